//! An accountability diagram as inline SVG for the HTML: real `<text>` (selectable, zoomable,
//! printable) at its natural size (never scaled below 14 px: its figure scrolls instead), each
//! box a link to the role's entry. Colours are attributes, which the stylesheet may override;
//! every text is escaped.

use std::fmt::Write as _;

use crate::diagram::Layout;
use crate::doc::Diagram;

/// The `<svg>` element of a laid-out diagram; `href` gives each role's link (empty: no link)
/// and `escape` escapes text for HTML (the page's own, `render::html::escape`).
pub fn svg(
    diagram: &Diagram,
    layout: &Layout,
    href: &dyn Fn(usize) -> String,
    escape: fn(&str) -> String,
) -> String {
    let style = crate::diagram::Style::default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg class=\"gp-diagram__svg\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-size=\"{fs}\">",
        w = layout.width,
        h = layout.height,
        fs = style.font_size
    );
    // Lines first, under the boxes; the list after the figure says the same in words.
    out.push_str("<g class=\"gp-diagram__lines\" aria-hidden=\"true\" fill=\"none\" stroke=\"#505a5f\" stroke-width=\"1.5\">\n");
    for edge in &layout.edges {
        let mut d = String::new();
        for (k, (x, y)) in edge.points.iter().enumerate() {
            let _ = write!(d, "{}{x} {y}", if k == 0 { "M" } else { " L" });
        }
        let _ = writeln!(out, "<path class=\"gp-diagram__line\" d=\"{d}\"/>");
        if let Some([(x0, y0), (x1, y1), (x2, y2)]) = crate::diagram::arrowhead(&edge.points) {
            // An arrowhead at the role answered to.
            let _ = writeln!(
                out,
                "<path class=\"gp-diagram__arrow\" d=\"M{x0} {y0} L{x1} {y1} L{x2} {y2} Z\" fill=\"#505a5f\" stroke=\"none\"/>"
            );
        }
    }
    out.push_str("</g>\n");
    for (i, placed) in layout.boxes.iter().enumerate() {
        let focus = diagram.focus == Some(i);
        let link = href(i);
        if !link.is_empty() {
            let _ = write!(
                out,
                "<a class=\"gp-diagram__role\" href=\"{}\">",
                escape(&link)
            );
        } else {
            out.push_str("<g class=\"gp-diagram__role\">");
        }
        let _ = write!(
            out,
            "<rect class=\"gp-diagram__box{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"{}\"/>",
            if focus { " gp-diagram__box--focus" } else { "" },
            placed.x,
            placed.y,
            placed.w,
            placed.h,
            if focus { "#f3f2f1" } else { "#ffffff" },
            if focus { 3 } else { 1 }
        );
        let cx = placed.x + placed.w / 2.0;
        let block = placed.lines.len() as f64 * style.line_height;
        let first = placed.y + (placed.h - block) / 2.0;
        out.push_str("<text class=\"gp-diagram__name\" text-anchor=\"middle\" fill=\"#0b0c0c\">");
        for (k, line) in placed.lines.iter().enumerate() {
            let baseline = first + k as f64 * style.line_height + baseline_in_line(&style);
            let _ = write!(
                out,
                "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
                round(cx),
                round(baseline),
                escape(line)
            );
        }
        out.push_str("</text>");
        out.push_str(if link.is_empty() { "</g>\n" } else { "</a>\n" });
    }
    out.push_str("</svg>\n");
    out
}

/// Where the baseline sits below the top of a line of text, so that capitals and lowercase are
/// centred in it (Noto Sans: x-height about half an em, capitals about 0.71).
pub fn baseline_in_line(style: &crate::diagram::Style) -> f64 {
    style.line_height / 2.0 + 0.3 * style.font_size
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
