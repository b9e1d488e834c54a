//! An accountability diagram as Typst code for the PDF: the boxes, lines and names placed as
//! [`crate::diagram::layout`] laid them out, drawn natively (vector shapes, real text in Noto
//! Sans, the font the names were measured in). A drawing wider than the text or taller than the
//! page is scaled down to fit, as a whole.

use std::fmt::Write as _;

use crate::diagram::{Layout, Style};

/// Points per layout unit (a CSS pixel): names at 14 px are set at 8.4 pt.
pub const SCALE: f64 = 0.6;

/// The drawing as a Typst code expression (for a figure's body): `focus` is the box drawn
/// stronger; `string` makes a Typst string literal (`render::typst::string`).
pub fn drawing(layout: &Layout, focus: Option<usize>, string: fn(&str) -> String) -> String {
    let style = Style::default();
    let pt = |v: f64| format!("{}pt", (v * SCALE * 100.0).round() / 100.0);
    let mut out = String::new();
    let _ = write!(
        out,
        "layout(size => {{ let w = {}; let h = {}; let s = calc.min(1.0, size.width / w, if size.height.pt() > 0 and size.height.pt() < 1e6 {{ size.height * 0.85 / h }} else {{ 1.0 }}); scale(x: s * 100%, y: s * 100%, reflow: true, block(width: w, height: h, breakable: false, {{",
        pt(layout.width),
        pt(layout.height)
    );
    out.push_str("set text(font: \"Noto Sans\", size: ");
    let _ = write!(
        out,
        "{}, hyphenate: false, fill: rgb(\"#0b0c0c\")); set par(leading: {}em, justify: false); ",
        pt(style.font_size),
        ((style.line_height / style.font_size - 0.714) * 1000.0).round() / 1000.0
    );
    for edge in &layout.edges {
        for pair in edge.points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let _ = write!(
                out,
                "place(top + left, line(start: ({}, {}), end: ({}, {}), stroke: 0.9pt + rgb(\"#505a5f\"))); ",
                pt(a.0),
                pt(a.1),
                pt(b.0),
                pt(b.1)
            );
        }
        if let Some(corners) = crate::diagram::arrowhead(&edge.points) {
            let corners: Vec<String> = corners
                .iter()
                .map(|(x, y)| format!("({}, {})", pt(*x), pt(*y)))
                .collect();
            let _ = write!(
                out,
                "place(top + left, polygon(fill: rgb(\"#505a5f\"), {})); ",
                corners.join(", ")
            );
        }
    }
    for (i, placed) in layout.boxes.iter().enumerate() {
        let strong = focus == Some(i);
        let lines: Vec<String> = placed.lines.iter().map(|l| string(l)).collect();
        let _ = write!(
            out,
            "place(top + left, dx: {}, dy: {}, rect(width: {}, height: {}, radius: 1.5pt, inset: 0pt, fill: {}, stroke: {} + rgb(\"#0b0c0c\"), align(center + horizon, {{ {} }}))); ",
            pt(placed.x),
            pt(placed.y),
            pt(placed.w),
            pt(placed.h),
            if strong { "rgb(\"#f3f2f1\")" } else { "white" },
            if strong { "1.8pt" } else { "0.6pt" },
            lines
                .iter()
                .map(|l| format!("text({l})"))
                .collect::<Vec<_>>()
                .join("; linebreak(); ")
        );
    }
    out.push_str("})) })");
    out
}
