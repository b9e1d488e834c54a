//! The named paragraph styles: text body, headings with their outline levels, title and cover,
//! the framed groups (callouts, local text, labelled parts), tables, captions, footnotes,
//! contents, header and footer.

use super::{INK, LOCAL, MARK, MONO, MUTED, RULE, TINT, open, style};
use crate::render::odt::Facts;
use crate::render::odt::xml::Xml;

/// The heading sizes, level 1 to 6.
const HEADING_SIZES: [&str; 6] = ["20pt", "15pt", "12.5pt", "11pt", "10.5pt", "10.5pt"];

/// A named paragraph style: internal name (`Text_20_body`), display name, parent, properties.
fn paragraph(
    x: &mut Xml,
    name: &str,
    display: &str,
    parent: &str,
    paragraph: &[(&str, &str)],
    text: &[(&str, &str)],
) {
    let mut attrs = vec![
        ("style:name", name),
        ("style:display-name", display),
        ("style:family", "paragraph"),
    ];
    if !parent.is_empty() {
        attrs.push(("style:parent-style-name", parent));
    }
    attrs.push(("style:class", "text"));
    style(x, &attrs, paragraph, text);
}

pub(super) fn paragraphs(x: &mut Xml, facts: &Facts) {
    paragraph(
        x,
        "Standard",
        "Default Paragraph Style",
        "",
        &[("fo:line-height", "115%")],
        &[],
    );
    paragraph(
        x,
        "Text_20_body",
        "Text body",
        "Standard",
        &[("fo:margin-top", "0cm"), ("fo:margin-bottom", "0.25cm")],
        &[],
    );
    paragraph(
        x,
        "Heading",
        "Heading",
        "Standard",
        &[
            ("fo:margin-top", "0.6cm"),
            ("fo:margin-bottom", "0.25cm"),
            ("fo:keep-with-next", "always"),
            ("fo:line-height", "100%"),
        ],
        &[("fo:font-weight", "bold"), ("fo:font-size", "13pt")],
    );
    for (i, size) in HEADING_SIZES.iter().enumerate() {
        let level = (i + 1).to_string();
        let name = format!("Heading_20_{level}");
        let display = format!("Heading {level}");
        let attrs = [
            ("style:name", name.as_str()),
            ("style:display-name", display.as_str()),
            ("style:family", "paragraph"),
            ("style:parent-style-name", "Heading"),
            ("style:next-style-name", "Text_20_body"),
            ("style:default-outline-level", level.as_str()),
            ("style:class", "text"),
        ];
        // A chapter starts on a new page, under a rule in the accent colour, as in the PDF.
        let first: &[(&str, &str)] = &[
            ("fo:break-before", "page"),
            ("fo:margin-top", "0cm"),
            ("fo:margin-bottom", "0.5cm"),
            ("fo:padding-top", "0.3cm"),
            ("fo:border-top", &format!("4pt solid {}", facts.accent)),
            ("fo:border-bottom", "none"),
            ("fo:border-left", "none"),
            ("fo:border-right", "none"),
        ];
        style(
            x,
            &attrs,
            if i == 0 { first } else { &[] },
            &[("fo:font-size", size)],
        );
    }
    paragraph(
        x,
        "Title",
        "Title",
        "Heading",
        &[("fo:margin-top", "3cm"), ("fo:margin-bottom", "0.4cm")],
        &[("fo:font-size", "28pt")],
    );
    paragraph(
        x,
        "Subtitle",
        "Subtitle",
        "Heading",
        &[("fo:margin-top", "0cm"), ("fo:margin-bottom", "1.2cm")],
        &[
            ("fo:font-size", "16pt"),
            ("fo:font-weight", "normal"),
            ("fo:color", MUTED),
        ],
    );
    let bar = format!("4pt solid {}", facts.accent);
    let cover_side: &[(&str, &str)] = &[
        ("fo:border-left", &bar),
        ("fo:padding-left", "0.35cm"),
        ("fo:margin-bottom", "0.15cm"),
    ];
    paragraph(
        x,
        "Cover_20_Audience",
        "Cover Audience",
        "Text_20_body",
        cover_side,
        &[("fo:font-size", "15pt"), ("fo:font-weight", "bold")],
    );
    paragraph(
        x,
        "Cover_20_Text",
        "Cover Text",
        "Text_20_body",
        cover_side,
        &[("fo:font-size", "11pt")],
    );
    paragraph(
        x,
        "Cover_20_Facts",
        "Cover Facts",
        "Text_20_body",
        &[("fo:margin-bottom", "0.15cm")],
        &[],
    );
    let mark = format!("1.5pt solid {MARK}");
    paragraph(
        x,
        "Cover_20_Mark",
        "Cover Mark",
        "Text_20_body",
        &[("fo:border", &mark), ("fo:padding", "0.2cm")],
        &[("fo:font-weight", "bold"), ("fo:color", MARK)],
    );
    paragraph(
        x,
        "Statement_20_Heading",
        "Statement Heading",
        "Heading",
        &[],
        &[("fo:font-size", "12.5pt")],
    );
    let rule = format!("0.75pt solid {RULE}");
    paragraph(
        x,
        "Chapter_20_Summary",
        "Chapter Summary",
        "Text_20_body",
        &[
            ("fo:margin-bottom", "0.6cm"),
            ("fo:padding-bottom", "0.4cm"),
            ("fo:border-bottom", &rule),
        ],
        &[("fo:font-size", "12.5pt")],
    );
    paragraph(
        x,
        "Numbered_20_Paragraph",
        "Numbered Paragraph",
        "Text_20_body",
        &[("fo:margin-left", "1.2cm"), ("fo:text-indent", "-1.2cm")],
        &[],
    );
    let side = format!("2pt solid {MUTED}");
    paragraph(
        x,
        "Note",
        "Note",
        "Text_20_body",
        &[("fo:border-left", &side), ("fo:padding-left", "0.3cm")],
        &[],
    );
    // Framed groups (callouts, local text, labelled parts): a label paragraph and the body's
    // paragraphs with the same frame, which an office suite joins into one box.
    let frames = [
        (
            "Callout",
            "Callout",
            format!("5pt solid {}", facts.accent),
            "#eef4fb",
        ),
        (
            "Local_20_Text",
            "Local Text",
            format!("3pt dashed {LOCAL}"),
            "transparent",
        ),
        (
            "Labelled",
            "Labelled",
            format!("1pt solid {INK}"),
            "transparent",
        ),
    ];
    for (name, display, border, background) in &frames {
        let boxed: Vec<(&str, &str)> = if *name == "Labelled" {
            vec![
                ("fo:border", border),
                ("fo:padding", "0.25cm"),
                ("fo:background-color", background),
            ]
        } else {
            vec![
                ("fo:border-left", border),
                ("fo:padding-left", "0.35cm"),
                ("fo:padding-top", "0.1cm"),
                ("fo:padding-bottom", "0.1cm"),
                ("fo:background-color", background),
            ]
        };
        paragraph(x, name, display, "Text_20_body", &boxed, &[]);
        let mut label = boxed.clone();
        label.push(("fo:keep-with-next", "always"));
        paragraph(
            x,
            &format!("{name}_20_Label"),
            &format!("{display} Label"),
            "Text_20_body",
            &label,
            &[("fo:font-weight", "bold")],
        );
    }
    paragraph(
        x,
        "Quotations",
        "Quotations",
        "Text_20_body",
        &[
            ("fo:margin-left", "0.6cm"),
            ("fo:margin-right", "0.6cm"),
            ("fo:border-left", &format!("4pt solid {RULE}")),
            ("fo:padding-left", "0.35cm"),
        ],
        &[],
    );
    paragraph(
        x,
        "Preformatted_20_Text",
        "Preformatted Text",
        "Standard",
        &[
            ("fo:background-color", TINT),
            ("fo:padding", "0.25cm"),
            ("fo:margin-bottom", "0.25cm"),
            ("fo:line-height", "100%"),
        ],
        &[("style:font-name", MONO), ("fo:font-size", "9.5pt")],
    );
    paragraph(
        x,
        "Horizontal_20_Line",
        "Horizontal Line",
        "Standard",
        &[
            ("fo:border-bottom", &rule),
            ("fo:padding", "0cm"),
            ("fo:margin-bottom", "0.4cm"),
        ],
        &[("fo:font-size", "6pt")],
    );
    paragraph(
        x,
        "List_20_Heading",
        "List Heading",
        "Text_20_body",
        &[
            ("fo:margin-bottom", "0.1cm"),
            ("fo:keep-with-next", "always"),
        ],
        &[("fo:font-weight", "bold")],
    );
    paragraph(
        x,
        "List_20_Contents",
        "List Contents",
        "Text_20_body",
        &[("fo:margin-left", "0.8cm")],
        &[],
    );
    paragraph(
        x,
        "Role_20_Name",
        "Role Name",
        "Text_20_body",
        &[("fo:margin-top", "0.3cm"), ("fo:keep-with-next", "always")],
        &[("fo:font-weight", "bold"), ("fo:font-size", "11.5pt")],
    );
    paragraph(
        x,
        "Role_20_Kind",
        "Role Kind",
        "Text_20_body",
        &[("fo:keep-with-next", "always")],
        &[
            ("fo:font-size", "8pt"),
            ("fo:font-weight", "bold"),
            ("fo:color", MUTED),
            ("fo:text-transform", "uppercase"),
            ("fo:letter-spacing", "0.03cm"),
        ],
    );
    paragraph(
        x,
        "Table_20_Contents",
        "Table Contents",
        "Standard",
        &[("fo:margin-bottom", "0cm"), ("fo:line-height", "100%")],
        &[("fo:font-size", "9.5pt")],
    );
    paragraph(
        x,
        "Table_20_Heading",
        "Table Heading",
        "Table_20_Contents",
        &[],
        &[("fo:font-weight", "bold")],
    );
    paragraph(
        x,
        "Caption",
        "Caption",
        "Standard",
        &[
            ("fo:margin-top", "0.2cm"),
            ("fo:margin-bottom", "0.25cm"),
            ("fo:keep-with-next", "always"),
        ],
        &[("fo:font-weight", "bold")],
    );
    paragraph(
        x,
        "Figure_20_Caption",
        "Figure Caption",
        "Caption",
        &[("fo:keep-with-next", "auto")],
        &[("fo:font-weight", "normal"), ("fo:color", MUTED)],
    );
    paragraph(
        x,
        "Image",
        "Image",
        "Text_20_body",
        &[("fo:keep-with-next", "always")],
        &[],
    );
    paragraph(
        x,
        "Footnote",
        "Footnote",
        "Standard",
        &[
            ("fo:margin-left", "0.5cm"),
            ("fo:text-indent", "-0.5cm"),
            ("fo:line-height", "100%"),
        ],
        &[("fo:font-size", "8.5pt")],
    );
    paragraph(
        x,
        "Contents_20_Heading",
        "Contents Heading",
        "Heading",
        &[("fo:margin-top", "0cm")],
        &[("fo:font-size", "20pt")],
    );
    for (level, indent, weight) in [(1, "0cm", "bold"), (2, "0.9cm", "normal")] {
        paragraph(
            x,
            &format!("Contents_20_{level}"),
            &format!("Contents {level}"),
            "Standard",
            &[
                ("fo:margin-left", indent),
                ("fo:margin-top", if level == 1 { "0.3cm" } else { "0.1cm" }),
            ],
            &[("fo:font-weight", weight)],
        );
    }
    let tab = format!("{:.2}cm", facts.text_width);
    for (name, display) in [("Header", "Header"), ("Footer", "Footer")] {
        open(
            x,
            "style:style",
            &[
                ("style:name", name),
                ("style:display-name", display),
                ("style:family", "paragraph"),
                ("style:parent-style-name", "Standard"),
                ("style:class", "extra"),
            ],
        );
        open(x, "style:paragraph-properties", &[]);
        x.start("style:tab-stops");
        x.empty(
            "style:tab-stop",
            &[("style:position", &tab), ("style:type", "right")],
        );
        x.end();
        x.end();
        x.empty(
            "style:text-properties",
            &[("fo:font-size", "8pt"), ("fo:color", MUTED)],
        );
        x.end();
    }
}
