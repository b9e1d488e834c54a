//! The width of a line of text in Noto Sans Regular, the font the PDF embeds (from the
//! `notosans` crate), read from the font's own advance widths with `ttf-parser`.

use std::sync::OnceLock;

/// Advance widths of the font, in em, by character; and the width of a character it lacks.
struct Metrics {
    face: Option<ttf_parser::Face<'static>>,
    units_per_em: f64,
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let face = ttf_parser::Face::parse(notosans::REGULAR_TTF, 0).ok();
        let units_per_em = face
            .as_ref()
            .map_or(1000.0, |f| f64::from(f.units_per_em()));
        Metrics { face, units_per_em }
    })
}

/// The advance of `c` in em; a character the font lacks counts as wide as an `M`.
fn advance(c: char) -> f64 {
    let m = metrics();
    let of = |c: char| {
        let face = m.face.as_ref()?;
        let glyph = face.glyph_index(c)?;
        face.glyph_hor_advance(glyph)
    };
    match of(c).or_else(|| of('M')) {
        Some(units) => f64::from(units) / m.units_per_em,
        None => 0.7,
    }
}

/// The width of `text` set in Noto Sans at `size` (in the unit of `size`), without kerning
/// (which only ever narrows a line of Latin text a little).
pub fn width(text: &str, size: f64) -> f64 {
    text.chars().map(advance).sum::<f64>() * size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font() {
        // Noto Sans: `i` is narrow, `W` wide, a space about a quarter of an em.
        assert!(width("i", 10.0) < width("W", 10.0));
        assert!((width("ab", 14.0) - width("a", 14.0) - width("b", 14.0)).abs() < 1e-9);
        let space = width(" ", 1.0);
        assert!(space > 0.2 && space < 0.3, "{space}");
        assert_eq!(width("", 14.0), 0.0);
        assert!(width("\u{10FFFF}", 10.0) > 0.0);
    }
}
