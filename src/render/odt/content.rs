//! `content.xml`: the cover with the pack's facts, the statements on the back of the cover,
//! the contents (entries written here, linked to the headings' bookmarks), then the chapters as
//! `body` writes them.

use super::Facts;
use std::collections::BTreeSet;

use super::body::{Body, Input, directed_style};
use super::styles::{NAMESPACES, font_faces, open, style};
use super::xml::Xml;
use crate::diagnostic::Diagnostic;

/// `content.xml` of a pack, or the errors that keep it from being made (an image that cannot
/// be read).
pub fn content(input: &Input) -> Result<String, Vec<Diagnostic>> {
    let mut body = Body::new(input);
    for chapter in &input.pack.chapters {
        body.chapter(chapter);
    }
    if !body.errors.is_empty() {
        return Err(body.errors);
    }
    let mut x = Xml::new();
    x.start("office:document-content");
    for (k, v) in NAMESPACES {
        x.attr(k, v);
    }
    x.attr("office:version", "1.2");
    font_faces(&mut x);
    automatic_styles(&mut x, input.facts, &body.directed);
    x.start("office:body");
    x.start("office:text");
    cover(&mut x, input);
    let mut back = Body::new(input);
    let mut first = true;
    for (title, blocks) in input.statements.iter().filter(|(_, b)| !b.is_empty()) {
        let style = if first {
            "Back_Start"
        } else {
            "Statement_20_Heading"
        };
        back.x
            .element("text:p", &[("text:style-name", style)], title);
        back.blocks(blocks);
        first = false;
    }
    x.raw(back.x);
    contents(
        &mut x,
        &body.contents,
        first,
        input.facts.labels.get("contents"),
    );
    x.raw(body.x);
    Ok(x.finish())
}

/// The styles of this document's own parts: the pages the cover and its back start, the
/// tables' frames, the pictures' anchoring, and the styles of the blocks in a direction of
/// their own (`directed`, from [`Body`]).
fn automatic_styles(x: &mut Xml, facts: &Facts, directed: &BTreeSet<(&'static str, String)>) {
    x.start("office:automatic-styles");
    let paragraph = |x: &mut Xml, name: &str, parent: &str, props: &[(&str, &str)]| {
        let mut attrs = vec![
            ("style:name", name),
            ("style:family", "paragraph"),
            ("style:parent-style-name", parent),
        ];
        if let Some((_, master)) = props.iter().find(|(k, _)| *k == "master") {
            attrs.push(("style:master-page-name", master));
        }
        let props: Vec<_> = props
            .iter()
            .filter(|(k, _)| *k != "master")
            .copied()
            .collect();
        style(x, &attrs, &props, &[]);
    };
    paragraph(
        x,
        "Cover_Start",
        "Text_20_body",
        &[("master", "First_20_Page")],
    );
    let rule = "0.75pt solid #d8dde0";
    paragraph(
        x,
        "Cover_Facts_First",
        "Cover_20_Facts",
        &[
            ("fo:margin-top", "2.5cm"),
            ("fo:padding-top", "0.3cm"),
            ("fo:border-top", rule),
        ],
    );
    paragraph(
        x,
        "Back_Start",
        "Statement_20_Heading",
        &[("master", "Standard"), ("style:page-number", "auto")],
    );
    paragraph(
        x,
        "Contents_Start",
        "Contents_20_Heading",
        &[("master", "Standard"), ("style:page-number", "auto")],
    );
    paragraph(
        x,
        "Contents_Break",
        "Contents_20_Heading",
        &[("fo:break-before", "page")],
    );
    for (name, parent, align) in [
        ("TC_C", "Table_20_Contents", "center"),
        ("TC_R", "Table_20_Contents", "end"),
        ("TH_C", "Table_20_Heading", "center"),
        ("TH_R", "Table_20_Heading", "end"),
    ] {
        paragraph(x, name, parent, &[("fo:text-align", align)]);
    }
    // The blocks in a direction of their own: their paragraph styles run that way, from
    // its start, and their tables' columns run that way too.
    // LibreOffice reads `fo:text-align` by the page's sides whatever the writing mode, so a
    // right-to-left paragraph is aligned to the `end` (its right) and a left-to-right one to
    // the `start` (its left).
    let writing_mode = |dir: &str| if dir == "rtl" { "rl-tb" } else { "lr-tb" };
    for (dir, parent) in directed.iter().filter(|(_, p)| p != "Tbl") {
        let align = if *dir == "rtl" { "end" } else { "start" };
        let props = [
            ("style:writing-mode", writing_mode(dir)),
            ("fo:text-align", align),
        ];
        paragraph(x, &directed_style(dir, parent), parent, &props);
    }
    let tables = (directed.iter())
        .filter(|(_, p)| p == "Tbl")
        .map(|(dir, _)| (directed_style(dir, "Tbl"), Some(writing_mode(dir))));
    let width = format!("{:.2}cm", facts.text_width);
    for (name, mode) in std::iter::once(("Tbl".to_string(), None)).chain(tables) {
        open(
            x,
            "style:style",
            &[("style:name", &name), ("style:family", "table")],
        );
        let mut props = vec![
            ("style:width", width.as_str()),
            ("table:align", "margins"),
            ("fo:margin-top", "0.1cm"),
            ("fo:margin-bottom", "0.4cm"),
        ];
        props.extend(mode.map(|mode| ("style:writing-mode", mode)));
        x.empty("style:table-properties", &props);
        x.end();
    }
    for (name, background, bottom) in [
        ("TblHead", "#f0f4f5", "1.5pt solid #212b32"),
        ("TblCell", "transparent", "0.5pt solid #d8dde0"),
    ] {
        open(
            x,
            "style:style",
            &[("style:name", name), ("style:family", "table-cell")],
        );
        x.empty(
            "style:table-cell-properties",
            &[
                ("fo:padding", "0.12cm"),
                ("fo:background-color", background),
                ("fo:border-top", "0.5pt solid #d8dde0"),
                ("fo:border-bottom", bottom),
                ("fo:border-left", "none"),
                ("fo:border-right", "none"),
            ],
        );
        x.end();
    }
    open(
        x,
        "style:style",
        &[
            ("style:name", "fr1"),
            ("style:family", "graphic"),
            ("style:parent-style-name", "Graphics"),
        ],
    );
    x.empty(
        "style:graphic-properties",
        &[
            ("style:vertical-pos", "top"),
            ("style:vertical-rel", "baseline"),
        ],
    );
    x.end();
    x.end();
}

/// The cover: the publisher, the marks, title and subtitle, who the pack is for (and where),
/// and its version, date and publisher, on a page of its own.
fn cover(x: &mut Xml, input: &Input) {
    let facts = input.facts;
    let p = |x: &mut Xml, style: &str, text: &str| {
        x.element("text:p", &[("text:style-name", style)], text);
    };
    x.start("text:p").attr("text:style-name", "Cover_Start");
    if let Some(logo) = &facts.logo {
        x.start("draw:frame")
            .attr("draw:style-name", "fr1")
            .attr("draw:name", "Logo")
            .attr("text:anchor-type", "as-char")
            .attr("svg:width", &format!("{:.3}cm", logo.width))
            .attr("svg:height", &format!("{:.3}cm", logo.height))
            .attr("draw:z-index", "0");
        x.empty(
            "draw:image",
            &[
                ("xlink:href", &logo.path),
                ("xlink:type", "simple"),
                ("xlink:show", "embed"),
                ("xlink:actuate", "onLoad"),
            ],
        );
        x.element("svg:title", &[], &logo.alt);
        x.element("svg:desc", &[], &logo.alt);
        x.end();
        x.empty("text:line-break", &[]);
    }
    x.text(&facts.publisher);
    x.end();
    if let Some(published_by) = &facts.published_by {
        p(x, "Cover_20_Text", published_by);
    }
    for (mark, explanation) in &facts.cover_marks {
        p(x, "Cover_20_Mark", mark);
        if !explanation.is_empty() {
            p(x, "Text_20_body", explanation);
        }
    }
    p(x, "Title", &facts.title);
    if let Some(subtitle) = &facts.subtitle {
        p(x, "Subtitle", subtitle);
    }
    let labels = &facts.labels;
    let audience = labels.fill("for_colon", &[("audience", &facts.audience)]);
    p(x, "Cover_20_Audience", &audience);
    if !facts.audience_description.is_empty() {
        p(x, "Cover_20_Text", &facts.audience_description);
    }
    if let Some(area) = &facts.area {
        p(
            x,
            "Cover_20_Audience",
            &labels.fill("area_colon", &[("area", area)]),
        );
    }
    p(
        x,
        "Cover_Facts_First",
        &labels.fill("version_colon", &[("version", &facts.version_shown)]),
    );
    p(
        x,
        "Cover_20_Facts",
        &labels.fill("published_colon", &[("date", &facts.date_display)]),
    );
    p(
        x,
        "Cover_20_Facts",
        &labels.fill("publisher_colon", &[("publisher", &facts.publisher)]),
    );
}

/// The contents: an ODF table of contents whose entries are written here (an office suite
/// shows them as they are until someone updates the index), each a link to its heading.
fn contents(x: &mut Xml, entries: &[(u8, String, String)], new_page: bool, title: &str) {
    let depth = super::body::CONTENTS_DEPTH.to_string();
    open(
        x,
        "text:table-of-content",
        &[("text:name", title), ("text:protected", "false")],
    );
    open(
        x,
        "text:table-of-content-source",
        &[
            ("text:outline-level", &depth),
            ("text:use-index-marks", "false"),
        ],
    );
    x.element(
        "text:index-title-template",
        &[("text:style-name", "Contents_20_Heading")],
        title,
    );
    for level in 1..=super::body::CONTENTS_DEPTH {
        let style = format!("Contents_20_{level}");
        open(
            x,
            "text:table-of-content-entry-template",
            &[
                ("text:outline-level", &level.to_string()),
                ("text:style-name", &style),
            ],
        );
        x.empty(
            "text:index-entry-link-start",
            &[("text:style-name", "Index_20_Link")],
        );
        x.empty("text:index-entry-text", &[]);
        x.empty("text:index-entry-link-end", &[]);
        x.end();
    }
    x.end();
    x.start("text:index-body");
    open(x, "text:index-title", &[("text:name", "Contents_Head")]);
    let style = if new_page {
        "Contents_Start"
    } else {
        "Contents_Break"
    };
    x.element("text:p", &[("text:style-name", style)], title);
    x.end();
    for (level, bookmark, text) in entries {
        let style = format!("Contents_20_{level}");
        open(x, "text:p", &[("text:style-name", &style)]);
        x.element(
            "text:a",
            &[
                ("xlink:type", "simple"),
                ("xlink:href", &format!("#{bookmark}")),
                ("text:style-name", "Index_20_Link"),
                ("text:visited-style-name", "Index_20_Link"),
            ],
            text,
        );
        x.end();
    }
    x.end();
    x.end();
}
