//! Accountability diagrams laid out by guidepack: [`layout`] places the boxes and routes the
//! lines of a [`crate::doc::Diagram`] (a layered, top-down drawing), with each name measured in
//! the embedded Noto Sans ([`measure`]), so that the HTML (SVG) and the PDF (Typst) draw the
//! same picture.

pub mod compact;
pub mod components;
pub mod layout;
pub mod measure;
pub mod parts;
#[cfg(test)]
mod tests;

pub use components::layout;
pub use layout::{Layout, Placed, Style};

use crate::doc::Diagram;

/// The three corners of the arrowhead at the end of a line (its tip on the last point), along
/// the line's last segment; `None` for a line of fewer than two distinct points.
pub fn arrowhead(points: &[(f64, f64)]) -> Option<[(f64, f64); 3]> {
    let (&(x, y), rest) = points.split_last()?;
    let &(px, py) = rest.last()?;
    let (dx, dy) = (x - px, y - py);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1e-9 {
        return None;
    }
    let (ux, uy) = (dx / len, dy / len);
    let (bx, by) = (x - 9.0 * ux, y - 9.0 * uy);
    let r = |v: f64| (v * 10.0).round() / 10.0;
    Some([
        (r(x), r(y)),
        (r(bx - 4.5 * uy), r(by + 4.5 * ux)),
        (r(bx + 4.5 * uy), r(by - 4.5 * ux)),
    ])
}

/// The widest a drawing may be for the PDF to set its names at their smallest, 8.4 pt: the
/// text column of an A4 or US Letter page and 40 mm of its margins, in layout units.
pub const MAX_WIDTH: f64 = 910.0;

/// The layout of a diagram in the style every renderer uses (units are CSS pixels; the PDF
/// scales them). A drawing wider than [`MAX_WIDTH`] is laid out again with names wrapped
/// narrower and leaves stacked sooner, and the first that fits is taken (or the narrowest).
pub fn lay_out(diagram: &Diagram) -> Layout {
    let names: Vec<&str> = diagram.roles.iter().map(|r| r.name.as_str()).collect();
    let mut narrowest: Option<Layout> = None;
    for (text, budget) in [(130.0, 720.0), (104.0, 600.0), (84.0, 480.0)] {
        let style = Style {
            max_text_width: text,
            budget,
            ..Style::default()
        };
        let laid = layout(
            &names,
            &diagram.lines,
            &|text| measure::width(text, style.font_size),
            &style,
        );
        if laid.width <= MAX_WIDTH {
            return laid;
        }
        if narrowest.as_ref().is_none_or(|n| laid.width < n.width) {
            narrowest = Some(laid);
        }
    }
    narrowest.unwrap_or_else(|| layout(&names, &diagram.lines, &|_| 0.0, &Style::default()))
}
