//! The search index of a pack's HTML: each section of each chapter (its chapter, heading, link
//! and plain text, taken from the chapter's body as that pack's pages show it), written as a
//! small script (`search-index.js`) so that it loads with a plain `<script src>`, from disk
//! (`file://`, where `fetch` is refused) as from any web server. `search.js` reads it.

use serde::Serialize;

/// The index's file name, beside the pack's pages.
pub const INDEX_FILE: &str = "search-index.js";
/// The search script's file name, beside the pack's pages.
pub const SCRIPT_FILE: &str = "search.js";
/// The search script: guidepack's own, no library, no network.
pub const SCRIPT: &str = include_str!("../../templates/html/search.js");

/// One chapter as its page shows it.
pub struct ChapterText<'a> {
    pub id: &'a str,
    pub number: &'a str,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    /// The chapter's body, rendered.
    pub body_html: &'a str,
}

#[derive(Serialize)]
struct Index<'a> {
    /// Per chapter: number, title, page.
    c: Vec<(&'a str, &'a str, String)>,
    /// Per section: chapter (index into `c`), heading, anchor (empty for the chapter's start),
    /// text.
    s: Vec<(usize, String, String, String)>,
}

/// The index file of a pack's chapters: `window.guidepackSearch = {…};`.
pub fn index_file(chapters: &[ChapterText]) -> String {
    let mut index = Index {
        c: Vec::with_capacity(chapters.len()),
        s: Vec::new(),
    };
    for (n, chapter) in chapters.iter().enumerate() {
        index
            .c
            .push((chapter.number, chapter.title, format!("{}.html", chapter.id)));
        let mut start = String::new();
        if let Some(summary) = chapter.summary {
            start.push_str(summary);
        }
        let mut sections = sections(chapter.body_html);
        // The text before the first heading belongs to the chapter's start (with its summary).
        if let Some(first) = sections.first()
            && first.anchor.is_empty()
        {
            let first = sections.remove(0);
            if !start.is_empty() && !first.text.is_empty() {
                start.push(' ');
            }
            start.push_str(&first.text);
        }
        if !start.is_empty() || sections.is_empty() {
            index
                .s
                .push((n, chapter.title.to_string(), String::new(), start));
        }
        for section in sections {
            index
                .s
                .push((n, section.heading, section.anchor, section.text));
        }
    }
    let json = serde_json::to_string(&index).unwrap_or_else(|_| "{\"c\":[],\"s\":[]}".into());
    format!(
        "/* The search index of this pack, read by {SCRIPT_FILE} (made by guidepack). */\n\
         window.guidepackSearch={json};\n"
    )
}

/// A part of a chapter's body: the heading that starts it (none for the text before the first
/// heading) and its text.
#[derive(Debug, PartialEq)]
struct Section {
    heading: String,
    anchor: String,
    text: String,
}

/// Elements whose text is not the reader's words (note numbers, paragraph numbers).
const SKIPPED: [(&str, &str); 2] = [
    ("<sup class=\"gp-fnref\"", "</sup>"),
    ("<span class=\"gp-para-num\"", "</span>"),
];

/// The sections of a rendered body: split at each heading with an id, tags taken out.
fn sections(html: &str) -> Vec<Section> {
    let mut out = vec![Section {
        heading: String::new(),
        anchor: String::new(),
        text: String::new(),
    }];
    let mut in_heading: Option<char> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, in_heading.is_some(), &rest[..lt]);
        rest = &rest[lt..];
        if let Some((_, end)) = SKIPPED.iter().find(|(open, _)| rest.starts_with(open)) {
            rest = rest.find(end).map_or("", |at| &rest[at + end.len()..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let bytes = tag.as_bytes();
        let heading_level = |b: &[u8], at: usize| {
            (b.len() > at + 1 && (b[at] == b'h' || b[at] == b'H') && (b'2'..=b'6').contains(&b[at + 1]))
                .then(|| b[at + 1] as char)
        };
        if let Some(level) = heading_level(bytes, 0)
            && let Some(id) = attribute(tag, "id")
            && in_heading.is_none()
        {
            out.push(Section {
                heading: String::new(),
                anchor: id,
                text: String::new(),
            });
            in_heading = Some(level);
            continue;
        }
        if tag.starts_with('/') && heading_level(bytes, 1) == in_heading && in_heading.is_some() {
            in_heading = None;
            continue;
        }
        if is_block(tag) {
            push_text(&mut out, in_heading.is_some(), " ");
        }
    }
    push_text(&mut out, in_heading.is_some(), rest);
    for s in &mut out {
        s.heading = s.heading.split_whitespace().collect::<Vec<_>>().join(" ");
        s.text = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    if out[0].text.is_empty() {
        out.remove(0);
    }
    out
}

/// Adds text (HTML, entities and all) to the current section's heading or text.
fn push_text(out: &mut [Section], heading: bool, html: &str) {
    if html.is_empty() {
        return;
    }
    let Some(last) = out.last_mut() else { return };
    let target = if heading {
        &mut last.heading
    } else {
        &mut last.text
    };
    decode_into(target, html);
}

/// An attribute's value in a tag's text (`h2 id="x" class="y"`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    let mut value = String::new();
    decode_into(&mut value, &tag[start..start + len]);
    Some(value)
}

/// Whether a tag starts or ends a block (so words either side of it are apart).
fn is_block(tag: &str) -> bool {
    let name = tag.trim_start_matches('/');
    let name = name
        .split(|c: char| c.is_whitespace() || c == '/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        name.as_str(),
        "p" | "br"
            | "li"
            | "dt"
            | "dd"
            | "td"
            | "th"
            | "tr"
            | "div"
            | "section"
            | "figure"
            | "figcaption"
            | "caption"
            | "blockquote"
            | "pre"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "dl"
            | "table"
            | "hr"
            | "text"
            | "tspan"
            | "aside"
    )
}

/// HTML text with its character references decoded.
fn decode_into(out: &mut String, html: &str) {
    let mut rest = html;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[..rest.len().min(12)].find(';');
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ if name.starts_with("#x") || name.starts_with("#X") => {
                    u32::from_str_radix(&name[2..], 16).ok().and_then(char::from_u32)
                }
                _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(if c == '\u{a0}' { ' ' } else { c });
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_splits_at_its_headings_with_tags_and_note_numbers_taken_out() {
        let html = "<p class=\"gp-para\" id=\"para-1\"><span class=\"gp-para-num\">1.1</span> \
                    Before <em>any</em> heading.</p>\n<h2 id=\"who\">Who &amp; why</h2>\n\
                    <p>Text<sup class=\"gp-fnref\"><a href=\"#fn-1\">1</a></sup> here.</p>\
                    <ul><li>one</li><li>two</li></ul><h3 id=\"more\">More</h3><p>Last.</p>";
        let found = sections(html);
        let texts: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|s| (s.heading.as_str(), s.anchor.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                ("", "", "Before any heading."),
                ("Who & why", "who", "Text here. one two"),
                ("More", "more", "Last."),
            ]
        );
    }

    #[test]
    fn the_index_is_a_script_with_one_entry_per_section() {
        let body = "<p>Intro.</p><h2 id=\"a\">A</h2><p>Alpha</p>";
        let js = index_file(&[ChapterText {
            id: "one",
            number: "1",
            title: "One",
            summary: Some("Sum."),
            body_html: body,
        }]);
        assert!(js.starts_with("/* The search index"));
        assert!(js.contains(
            "window.guidepackSearch={\"c\":[[\"1\",\"One\",\"one.html\"]],\
             \"s\":[[0,\"One\",\"\",\"Sum. Intro.\"],[0,\"A\",\"a\",\"Alpha\"]]};"
        ));
    }
}
