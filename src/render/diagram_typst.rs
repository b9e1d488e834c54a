//! An accountability diagram as Typst code for the PDF: the boxes, lines and names placed as
//! [`crate::diagram::layout`] laid them out, drawn natively (vector shapes, real text in Noto
//! Sans, the font the names were measured in), one part of the drawing at a time
//! ([`crate::diagram::parts`]). Names are never set below 8.4 pt: a part wider than the text
//! column runs into the page's margins, and only one wider than that (wider than
//! [`crate::diagram::MAX_WIDTH`]) is scaled down.

use std::fmt::Write as _;

use crate::diagram::parts::Part;
use crate::diagram::{Layout, Style};
use crate::doc::{Block, Diagram, DiagramWords, plain_text};
use crate::labels::fill_text;

/// Points per layout unit (a CSS pixel): names at 14 px are set at 8.4 pt, their smallest.
pub const SCALE: f64 = 0.6;

/// The tallest part of a drawing, in layout units: with its caption and notes, it fits in the
/// text of a US Letter page (the shorter of the two papers) at [`SCALE`].
pub const PART_HEIGHT: f64 = 960.0;

/// How far a line leaving a part runs on, dashed, past the part's edge.
const STUB: f64 = 12.0;

/// How far into the margins (both together) a drawing wider than the text column may run
/// before it is scaled: to 8 mm from each edge of an A4 or US Letter page.
const BLEED: &str = "40mm";

/// What a part's caption adds: which part it is, and where its dashed lines continue, in the
/// diagram's words (" (part 2 of 3; lines ending in dashes continue in parts 1 and 3)").
pub fn part_of(words: &DiagramWords, k: usize, count: usize) -> String {
    let (before, after) = ((k - 1).to_string(), (k + 1).to_string());
    let next = match (k > 1, k < count) {
        (true, true) => fill_text(&words.next_two, &[("before", &before), ("after", &after)]),
        (true, false) => fill_text(&words.next_one, &[("k", &before)]),
        _ => fill_text(&words.next_one, &[("k", &after)]),
    };
    let (k, count) = (k.to_string(), count.to_string());
    let part = fill_text(
        &words.part,
        &[("k", &k), ("count", &count), ("next", &next)],
    );
    format!(" ({part})")
}

/// A part's alt text: the caption, `of` ("(part k of n)" or nothing), and the lines of
/// accountability of the roles drawn in it, in words (the diagram's text, one item a role).
pub fn alt_text(diagram: &Diagram, boxes: &[usize], of: &str) -> String {
    let mut alt = plain_text(&diagram.caption);
    alt.push_str(of);
    let items: Vec<&[Block]> = match diagram.text.first() {
        Some(Block::List(list)) => list
            .items
            .iter()
            .map(|item| item.blocks.as_slice())
            .collect(),
        _ => Vec::new(),
    };
    alt.push(':');
    for &i in boxes {
        if let Some(blocks) = items.get(i) {
            crate::doc::visit_inlines(blocks, &mut |inlines| {
                alt.push(' ');
                alt.push_str(&plain_text(inlines));
            });
        }
    }
    alt
}

/// The drawing as a Typst code expression (for a figure's body): `focus` is the box drawn
/// stronger; `string` makes a Typst string literal (`render::typst::string`).
pub fn drawing(
    layout: &Layout,
    part: &Part,
    focus: Option<usize>,
    string: fn(&str) -> String,
) -> String {
    let style = Style::default();
    let pt = |v: f64| format!("{}pt", (v * SCALE * 100.0).round() / 100.0);
    let above = if part.up.is_empty() { 0.0 } else { STUB };
    let below = if part.down.is_empty() { 0.0 } else { STUB };
    let mut out = String::new();
    let _ = write!(
        out,
        "layout(size => {{ let w = {}; let h = {}; let s = calc.min(1.0, (size.width + {BLEED}) / w); let over = calc.max(0pt, w * s - size.width); let body = scale(x: s * 100%, y: s * 100%, reflow: true, block(width: w, height: h, breakable: false, {{",
        pt(layout.width),
        pt(part.height + above + below)
    );
    out.push_str("set text(font: \"Noto Sans\", size: ");
    let _ = write!(
        out,
        "{}, hyphenate: false, fill: rgb(\"#0b0c0c\")); set par(leading: {}em, justify: false); ",
        pt(style.font_size),
        ((style.line_height / style.font_size - 0.714) * 1000.0).round() / 1000.0
    );
    let line = |out: &mut String, a: (f64, f64), b: (f64, f64), dash: &str| {
        let _ = write!(
            out,
            "place(top + left, line(start: ({}, {}), end: ({}, {}), stroke: (paint: rgb(\"#505a5f\"), thickness: 0.9pt{dash}))); ",
            pt(a.0),
            pt(a.1 + above),
            pt(b.0),
            pt(b.1 + above)
        );
    };
    for [a, b] in &part.segments {
        line(&mut out, *a, *b, "");
    }
    let dashed = ", dash: (2pt, 1.5pt)";
    for &x in &part.up {
        line(&mut out, (x, 0.0), (x, -STUB), dashed);
    }
    for &x in &part.down {
        line(&mut out, (x, part.height), (x, part.height + STUB), dashed);
    }
    for corners in &part.arrows {
        let corners: Vec<String> = corners
            .iter()
            .map(|(x, y)| format!("({}, {})", pt(*x), pt(*y + above)))
            .collect();
        let _ = write!(
            out,
            "place(top + left, polygon(fill: rgb(\"#505a5f\"), {})); ",
            corners.join(", ")
        );
    }
    for &i in &part.boxes {
        let placed = &layout.boxes[i];
        let strong = focus == Some(i);
        let lines: Vec<String> = placed.lines.iter().map(|l| string(l)).collect();
        let _ = write!(
            out,
            "place(top + left, dx: {}, dy: {}, rect(width: {}, height: {}, radius: 1.5pt, inset: 0pt, fill: {}, stroke: {} + rgb(\"#0b0c0c\"), align(center + horizon, {{ {} }}))); ",
            pt(placed.x),
            pt(placed.y - part.top + above),
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
    // Wider than the column: centred on the page (the left margin is 8 mm the wider).
    out.push_str("})); if over > 0pt { box(width: size.width, align(left, move(dx: -over / 2 - calc.min(over / 2, 4mm), body))) } else { body } })");
    out
}
