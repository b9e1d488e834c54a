//! `styles.xml`: the named styles an editor shows (the standard names, so that LibreOffice and
//! Word map them to their own: "Heading 1", "Text body", "Table Heading", "Footnote",
//! "Contents 1" …), the outline without automatic numbers (the numbers are in the headings'
//! text, as in the PDF), the list styles, the footnote configuration, and the page: its size,
//! the running footer with the version and "Page X of Y", the draft marks in the header, and
//! the cover's own page without them.

mod paragraphs;

use super::Facts;
use super::xml::Xml;

/// The namespaces of `content.xml` and `styles.xml`.
pub const NAMESPACES: [(&str, &str); 10] = [
    (
        "xmlns:office",
        "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    ),
    (
        "xmlns:style",
        "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    ),
    (
        "xmlns:text",
        "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    ),
    (
        "xmlns:table",
        "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    ),
    (
        "xmlns:draw",
        "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    ),
    (
        "xmlns:fo",
        "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    ),
    ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
    ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
    (
        "xmlns:meta",
        "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    ),
    (
        "xmlns:svg",
        "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    ),
];

/// The colours of the PDF template: text, accent, muted text, rules, tints, local text, marks.
const INK: &str = "#212b32";
/// The accent when the brand has no colour of its own.
pub const ACCENT: &str = "#005eb8";
const MUTED: &str = "#4c6272";
const RULE: &str = "#d8dde0";
const TINT: &str = "#f0f4f5";
const LOCAL: &str = "#00666a";
const MARK: &str = "#d5281b";

/// The body text's font, and code's: fonts every office suite has or replaces with a
/// metrically equal one.
pub const SANS: &str = "Arial";
pub const MONO: &str = "Liberation Mono";

/// Opens an element and writes its attributes.
pub fn open(x: &mut Xml, name: &'static str, attrs: &[(&str, &str)]) {
    x.start(name);
    for (k, v) in attrs {
        x.attr(k, v);
    }
}

/// A style: its `style:style` attributes, then its paragraph and text properties (each left
/// out when empty).
pub fn style(
    x: &mut Xml,
    attrs: &[(&str, &str)],
    paragraph: &[(&str, &str)],
    text: &[(&str, &str)],
) {
    open(x, "style:style", attrs);
    if !paragraph.is_empty() {
        x.empty("style:paragraph-properties", paragraph);
    }
    if !text.is_empty() {
        x.empty("style:text-properties", text);
    }
    x.end();
}

/// A named character style.
fn character(x: &mut Xml, name: &str, display: &str, text: &[(&str, &str)]) {
    style(
        x,
        &[
            ("style:name", name),
            ("style:display-name", display),
            ("style:family", "text"),
        ],
        &[],
        text,
    );
}

/// `styles.xml` of a pack.
pub fn styles(facts: &Facts) -> String {
    let mut x = Xml::new();
    x.start("office:document-styles");
    for (k, v) in NAMESPACES {
        x.attr(k, v);
    }
    x.attr("office:version", "1.2");
    font_faces(&mut x);
    x.start("office:styles");
    defaults(&mut x, facts);
    paragraphs::paragraphs(&mut x, facts);
    characters(&mut x, facts);
    lists(&mut x);
    outline(&mut x);
    x.empty(
        "text:notes-configuration",
        &[
            ("text:note-class", "footnote"),
            ("text:default-style-name", "Footnote"),
            ("text:citation-style-name", "Footnote_20_Symbol"),
            ("text:citation-body-style-name", "Footnote_20_anchor"),
            ("style:num-format", "1"),
            ("text:start-value", "0"),
            ("text:footnotes-position", "page"),
            ("text:start-numbering-at", "document"),
        ],
    );
    x.end();
    page_layouts(&mut x, facts);
    master_pages(&mut x, facts);
    x.finish()
}

/// The fonts the styles name.
pub fn font_faces(x: &mut Xml) {
    x.start("office:font-face-decls");
    x.empty(
        "style:font-face",
        &[
            ("style:name", SANS),
            ("svg:font-family", SANS),
            ("style:font-family-generic", "swiss"),
            ("style:font-pitch", "variable"),
        ],
    );
    x.empty(
        "style:font-face",
        &[
            ("style:name", MONO),
            ("svg:font-family", &format!("'{MONO}'")),
            ("style:font-family-generic", "modern"),
            ("style:font-pitch", "fixed"),
        ],
    );
    x.end();
}

/// The default paragraph style: the pack's language, the body font; and the default graphic
/// style (pictures sit in the text, not floating over it).
fn defaults(x: &mut Xml, facts: &Facts) {
    let mut text = vec![
        ("style:font-name", SANS),
        ("fo:font-size", "10.5pt"),
        ("fo:color", INK),
        ("fo:language", facts.language.as_str()),
    ];
    if let Some(country) = &facts.country {
        text.push(("fo:country", country.as_str()));
    }
    open(x, "style:default-style", &[("style:family", "paragraph")]);
    x.empty(
        "style:paragraph-properties",
        &[
            ("style:tab-stop-distance", "1.25cm"),
            ("style:writing-mode", "page"),
        ],
    );
    x.empty("style:text-properties", &text);
    x.end();
    open(x, "style:default-style", &[("style:family", "graphic")]);
    x.empty(
        "style:graphic-properties",
        &[("style:wrap", "none"), ("style:flow-with-text", "true")],
    );
    x.end();
    style(
        x,
        &[("style:name", "Graphics"), ("style:family", "graphic")],
        &[],
        &[],
    );
}

fn characters(x: &mut Xml, facts: &Facts) {
    character(x, "Emphasis", "Emphasis", &[("fo:font-style", "italic")]);
    character(
        x,
        "Strong_20_Emphasis",
        "Strong Emphasis",
        &[("fo:font-weight", "bold")],
    );
    character(
        x,
        "Source_20_Text",
        "Source Text",
        &[("style:font-name", MONO), ("fo:background-color", TINT)],
    );
    character(
        x,
        "Deleted_20_Text",
        "Deleted Text",
        &[
            ("style:text-line-through-style", "solid"),
            ("style:text-line-through-type", "single"),
        ],
    );
    character(
        x,
        "Inserted_20_Text",
        "Inserted Text",
        &[
            ("style:text-underline-style", "solid"),
            ("style:text-underline-width", "auto"),
            ("style:text-underline-color", "font-color"),
        ],
    );
    for (name, display) in [
        ("Internet_20_link", "Internet link"),
        ("Visited_20_Internet_20_Link", "Visited Internet Link"),
    ] {
        character(
            x,
            name,
            display,
            &[
                ("fo:color", facts.accent.as_str()),
                ("style:text-underline-style", "solid"),
                ("style:text-underline-width", "auto"),
                ("style:text-underline-color", "font-color"),
            ],
        );
    }
    character(x, "Index_20_Link", "Index Link", &[]);
    character(x, "Footnote_20_Symbol", "Footnote Symbol", &[]);
    character(
        x,
        "Footnote_20_anchor",
        "Footnote anchor",
        &[("style:text-position", "super 58%")],
    );
    character(
        x,
        "Mark",
        "Mark",
        &[("fo:font-weight", "bold"), ("fo:color", MARK)],
    );
}

/// "List Bullet" and "Numbering 123": ten levels each, indented 0.6 cm a level.
fn lists(x: &mut Xml) {
    for (name, display, numbered) in [
        ("List_20_Bullet", "List Bullet", false),
        ("Numbering_20_123", "Numbering 123", true),
    ] {
        open(
            x,
            "text:list-style",
            &[("style:name", name), ("style:display-name", display)],
        );
        for level in 1..=10u32 {
            let l = level.to_string();
            let margin = format!("{:.2}cm", 0.65 * level as f64);
            if numbered {
                open(
                    x,
                    "text:list-level-style-number",
                    &[
                        ("text:level", &l),
                        ("style:num-suffix", "."),
                        ("style:num-format", "1"),
                    ],
                );
            } else {
                let bullet = if level % 2 == 0 { "–" } else { "•" };
                open(
                    x,
                    "text:list-level-style-bullet",
                    &[("text:level", &l), ("text:bullet-char", bullet)],
                );
            }
            open(
                x,
                "style:list-level-properties",
                &[("text:list-level-position-and-space-mode", "label-alignment")],
            );
            x.empty(
                "style:list-level-label-alignment",
                &[
                    ("text:label-followed-by", "listtab"),
                    ("text:list-tab-stop-position", &margin),
                    ("fo:text-indent", "-0.65cm"),
                    ("fo:margin-left", &margin),
                ],
            );
            x.end();
            x.end();
        }
        x.end();
    }
}

/// The outline: ten levels, none numbered (the numbers are in the headings' text).
fn outline(x: &mut Xml) {
    open(x, "text:outline-style", &[("style:name", "Outline")]);
    for level in 1..=10u32 {
        open(
            x,
            "text:outline-level-style",
            &[("text:level", &level.to_string()), ("style:num-format", "")],
        );
        open(
            x,
            "style:list-level-properties",
            &[("text:list-level-position-and-space-mode", "label-alignment")],
        );
        x.empty(
            "style:list-level-label-alignment",
            &[
                ("text:label-followed-by", "nothing"),
                ("fo:text-indent", "0cm"),
                ("fo:margin-left", "0cm"),
            ],
        );
        x.end();
        x.end();
    }
    x.end();
}

/// The page (`pm1`, with header and footer) and the cover's page (`pm2`, without).
fn page_layouts(x: &mut Xml, facts: &Facts) {
    let width = format!("{:.2}cm", facts.page.0);
    let height = format!("{:.2}cm", facts.page.1);
    let margin = format!("{:.2}cm", facts.margin);
    let mut props = vec![
        ("fo:page-width", width.as_str()),
        ("fo:page-height", height.as_str()),
        ("style:print-orientation", "portrait"),
        ("fo:margin-top", "1.5cm"),
        ("fo:margin-bottom", "1.5cm"),
        ("fo:margin-left", margin.as_str()),
        ("fo:margin-right", margin.as_str()),
    ];
    // A pack in a right-to-left language runs right to left, page by page.
    if crate::model::direction(&facts.language_tag) == "rtl" {
        props.push(("style:writing-mode", "rl-tb"));
    }
    x.start("office:automatic-styles");
    for name in ["pm1", "pm2"] {
        open(x, "style:page-layout", &[("style:name", name)]);
        x.empty("style:page-layout-properties", &props);
        if name == "pm1" {
            x.start("style:header-style");
            x.empty(
                "style:header-footer-properties",
                &[("fo:min-height", "0.5cm"), ("fo:margin-bottom", "0.4cm")],
            );
            x.end();
            x.start("style:footer-style");
            let rule = format!("0.5pt solid {RULE}");
            x.empty(
                "style:header-footer-properties",
                &[
                    ("fo:min-height", "0.5cm"),
                    ("fo:margin-top", "0.5cm"),
                    ("fo:padding-top", "0.15cm"),
                    ("fo:border-top", &rule),
                ],
            );
            x.end();
        }
        x.end();
    }
    x.end();
}

/// "Standard": the header with the draft marks (when there are any) and the footer with the
/// running text (title, audience, area, version) and "Page X of Y"; "First Page": the cover.
fn master_pages(x: &mut Xml, facts: &Facts) {
    x.start("office:master-styles");
    open(
        x,
        "style:master-page",
        &[
            ("style:name", "Standard"),
            ("style:page-layout-name", "pm1"),
        ],
    );
    if !facts.marks.is_empty() {
        x.start("style:header");
        open(x, "text:p", &[("text:style-name", "Header")]);
        x.empty("text:tab", &[]);
        x.element(
            "text:span",
            &[("text:style-name", "Mark")],
            &facts.marks.join(" · "),
        );
        x.end();
        x.end();
    }
    x.start("style:footer");
    open(x, "text:p", &[("text:style-name", "Footer")]);
    x.text(&facts.running);
    x.empty("text:tab", &[]);
    // "Page {page} of {total}": the label's text around the page number and the count.
    let label = facts.labels.get("page_x_of_y");
    let mut rest = label;
    while let Some(at) = rest.find('{') {
        let (before, after) = rest.split_at(at);
        x.text(before);
        if let Some(after) = after.strip_prefix("{page}") {
            x.element("text:page-number", &[("text:select-page", "current")], "1");
            rest = after;
        } else if let Some(after) = after.strip_prefix("{total}") {
            x.element("text:page-count", &[], "1");
            rest = after;
        } else {
            x.text("{");
            rest = &after[1..];
        }
    }
    x.text(rest);
    x.end();
    x.end();
    x.end();
    x.empty(
        "style:master-page",
        &[
            ("style:name", "First_20_Page"),
            ("style:display-name", "First Page"),
            ("style:page-layout-name", "pm2"),
            ("style:next-style-name", "Standard"),
        ],
    );
    x.end();
}
