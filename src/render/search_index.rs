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
        index.c.push((
            chapter.number,
            chapter.title,
            format!("{}.html", chapter.id),
        ));
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
#[derive(Debug, Default, PartialEq)]
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

/// Text being gathered: white space runs made one space, none at the start.
#[derive(Default)]
struct Gather {
    bytes: Vec<u8>,
    space: bool,
}

impl Gather {
    fn push(&mut self, text: &[u8]) {
        for &b in text {
            if b.is_ascii_whitespace() {
                self.space = true;
            } else {
                if self.space && !self.bytes.is_empty() {
                    self.bytes.push(b' ');
                }
                self.space = false;
                self.bytes.push(b);
            }
        }
    }

    /// HTML text, its character references decoded.
    fn push_html(&mut self, html: &[u8]) {
        let mut from = 0;
        let mut i = 0;
        while i < html.len() {
            if html[i] != b'&' {
                i += 1;
                continue;
            }
            self.push(&html[from..i]);
            match reference(&html[i..]) {
                Some((c, len)) => {
                    let mut buf = [0u8; 4];
                    let c = if c == '\u{a0}' { ' ' } else { c };
                    self.push(c.encode_utf8(&mut buf).as_bytes());
                    i += len;
                }
                None => {
                    self.push(b"&");
                    i += 1;
                }
            }
            from = i;
        }
        self.push(&html[from..]);
    }

    fn take(&mut self) -> String {
        self.space = false;
        // Whole UTF-8 sequences were copied, and decoded characters encoded: still UTF-8.
        String::from_utf8(std::mem::take(&mut self.bytes)).unwrap_or_default()
    }
}

/// The sections of a rendered body: split at each heading with an id, tags taken out.
fn sections(html: &str) -> Vec<Section> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut current = Section::default();
    let mut text = Gather::default();
    let mut heading = Gather::default();
    let mut in_heading: Option<u8> = None;
    let mut from = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let target = if in_heading.is_some() {
            &mut heading
        } else {
            &mut text
        };
        target.push_html(&b[from..i]);
        let rest = &html[i..];
        if let Some((_, end)) = SKIPPED.iter().find(|(open, _)| rest.starts_with(open)) {
            i = rest.find(end).map_or(b.len(), |at| i + at + end.len());
            from = i;
            continue;
        }
        let Some(gt) = rest.find('>') else {
            from = b.len();
            break;
        };
        let tag = &rest[1..gt];
        i += gt + 1;
        from = i;
        let t = tag.as_bytes();
        let level = |at: usize| {
            (t.len() > at + 1 && t[at] == b'h' && (b'2'..=b'6').contains(&t[at + 1]))
                .then(|| t[at + 1])
        };
        if in_heading.is_none()
            && let Some(l) = level(0)
            && let Some(id) = attribute(tag, "id")
        {
            current.text = text.take();
            out.push(std::mem::take(&mut current));
            current.anchor = id;
            in_heading = Some(l);
        } else if in_heading.is_some() && t.first() == Some(&b'/') && level(1) == in_heading {
            current.heading = heading.take();
            in_heading = None;
        } else if is_block(tag) {
            let target = if in_heading.is_some() {
                &mut heading
            } else {
                &mut text
            };
            target.space = true;
        }
    }
    if in_heading.is_some() {
        heading.push_html(&b[from..]);
        current.heading = heading.take();
    } else {
        text.push_html(&b[from..]);
    }
    current.text = text.take();
    out.push(current);
    if out[0].text.is_empty() {
        out.remove(0);
    }
    out
}

/// An attribute's value in a tag's text (`h2 id="x" class="y"`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    let mut value = Gather::default();
    value.push_html(&tag.as_bytes()[start..start + len]);
    Some(value.take())
}

/// Whether a tag starts or ends a block (so words either side of it are apart).
fn is_block(tag: &str) -> bool {
    let name = tag.strip_prefix('/').unwrap_or(tag);
    let end = name
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(name.len());
    matches!(
        &name[..end],
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

/// The character a reference at the start of `html` stands for, and the reference's length.
fn reference(html: &[u8]) -> Option<(char, usize)> {
    let end = html[..html.len().min(12)].iter().position(|&b| b == b';')?;
    let name = std::str::from_utf8(&html[1..end]).ok()?;
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ if name.starts_with("#x") || name.starts_with("#X") => {
            char::from_u32(u32::from_str_radix(&name[2..], 16).ok()?)?
        }
        _ if name.starts_with('#') => char::from_u32(name[1..].parse().ok()?)?,
        _ => return None,
    };
    Some((c, end + 1))
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
