//! A small XML writer for the ODT parts: elements and attributes in the order written, every
//! text and attribute value escaped, characters XML 1.0 cannot hold left out. Element names are
//! guidepack's own (static); only values come from the content.

/// An XML document being written.
pub struct Xml {
    out: String,
    /// The open elements, innermost last.
    open: Vec<&'static str>,
    /// Whether the last start tag is still open for attributes (`<a x="1"`).
    in_tag: bool,
}

impl Xml {
    /// A document with its XML declaration.
    pub fn new() -> Self {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            open: Vec::new(),
            in_tag: false,
        }
    }

    fn close_tag(&mut self) {
        if self.in_tag {
            self.out.push('>');
            self.in_tag = false;
        }
    }

    /// A part of a document, without the XML declaration, to be put into another with
    /// [`Xml::raw`].
    pub fn fragment() -> Self {
        Xml {
            out: String::new(),
            open: Vec::new(),
            in_tag: false,
        }
    }

    /// A fragment written by another writer (every element of it closed).
    pub fn raw(&mut self, fragment: Xml) -> &mut Self {
        self.close_tag();
        debug_assert!(fragment.open.is_empty() && !fragment.in_tag);
        self.out.push_str(&fragment.out);
        self
    }

    /// Text with every run of spaces kept (`text:s`), as code shows it.
    pub fn code_text(&mut self, text: &str) -> &mut Self {
        let mut rest = text;
        while !rest.is_empty() {
            let plain = rest.find([' ', '\t']).unwrap_or(rest.len());
            self.text(&rest[..plain]);
            rest = &rest[plain..];
            let spaces = rest.len() - rest.trim_start_matches(' ').len();
            if spaces > 0 {
                let c = spaces.to_string();
                self.empty("text:s", &[("text:c", &c)]);
                rest = &rest[spaces..];
            } else if let Some(after) = rest.strip_prefix('\t') {
                self.empty("text:tab", &[]);
                rest = after;
            }
        }
        self
    }

    /// Opens an element; attributes follow with [`Xml::attr`].
    pub fn start(&mut self, name: &'static str) -> &mut Self {
        self.close_tag();
        self.out.push('<');
        self.out.push_str(name);
        self.open.push(name);
        self.in_tag = true;
        self
    }

    /// An attribute of the element just opened.
    pub fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        debug_assert!(self.in_tag, "attribute {name} outside a start tag");
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(value, true, &mut self.out);
        self.out.push('"');
        self
    }

    /// Closes the innermost open element (`<a/>` when it holds nothing).
    pub fn end(&mut self) -> &mut Self {
        let name = self.open.pop().unwrap_or_default();
        if self.in_tag {
            self.out.push_str("/>");
            self.in_tag = false;
        } else {
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
        self
    }

    /// An element with attributes and nothing inside.
    pub fn empty(&mut self, name: &'static str, attrs: &[(&str, &str)]) -> &mut Self {
        self.start(name);
        for (k, v) in attrs {
            self.attr(k, v);
        }
        self.end()
    }

    /// An element holding only text.
    pub fn element(&mut self, name: &'static str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.start(name);
        for (k, v) in attrs {
            self.attr(k, v);
        }
        self.text(text);
        self.end()
    }

    /// Text, escaped, exactly as given (whitespace is the caller's business: see
    /// [`Xml::spaced_text`] for text in a paragraph).
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.close_tag();
        escape_into(text, false, &mut self.out);
        self
    }

    /// Text in a paragraph, its whitespace kept as ODF keeps it: a run of spaces as one space
    /// and `text:s` for the rest, a tab as `text:tab`, a line break as a space (the Markdown
    /// joined it); ODF would otherwise fold every run of whitespace into one space.
    pub fn spaced_text(&mut self, text: &str) -> &mut Self {
        if !text.contains("  ") && !text.contains(['\t', '\n', '\r']) {
            return self.text(text);
        }
        let mut plain = String::new();
        let mut spaces = 0usize;
        for c in text.chars() {
            match c {
                ' ' | '\n' | '\r' => spaces += 1,
                '\t' => {
                    self.spaces(&mut plain, &mut spaces);
                    self.text(&plain);
                    plain.clear();
                    self.empty("text:tab", &[]);
                }
                c => {
                    self.spaces(&mut plain, &mut spaces);
                    plain.push(c);
                }
            }
        }
        self.spaces(&mut plain, &mut spaces);
        self.text(&plain)
    }

    fn spaces(&mut self, plain: &mut String, spaces: &mut usize) {
        if *spaces == 0 {
            return;
        }
        plain.push(' ');
        if *spaces > 1 {
            self.text(plain);
            plain.clear();
            let more = (*spaces - 1).to_string();
            self.empty("text:s", &[("text:c", &more)]);
        }
        *spaces = 0;
    }

    /// The document, every element closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        self.out.push('\n');
        self.out
    }
}

/// Escapes `&`, `<`, `>` (and `"` in attributes; line breaks and tabs there as character
/// references, so that a value keeps them), and leaves out what XML 1.0 cannot hold (control
/// characters but tab and line breaks, lone surrogates cannot occur in a `str`, U+FFFE/FFFF).
fn escape_into(text: &str, attribute: bool, out: &mut String) {
    // Most text is printable ASCII with nothing to escape.
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && !matches!(b, b'&' | b'<' | b'>' | b'"'))
    {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' if attribute => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\r' | '\t' => out.push(c),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_and_elements_closed() {
        let mut x = Xml::new();
        x.start("text:p")
            .attr("xmlns:text", "urn:t")
            .attr("a", "\"<&>\"\n");
        x.text("a < b & c > d\u{0}\u{1b}");
        x.empty("text:tab", &[]);
        let out = x.finish();
        assert!(out.ends_with(
            "<text:p xmlns:text=\"urn:t\" a=\"&quot;&lt;&amp;&gt;&quot;&#10;\">a &lt; b &amp; c &gt; d<text:tab/></text:p>\n"
        ));
        assert!(roxmltree::Document::parse(&out).is_ok());
    }

    #[test]
    fn runs_of_spaces_and_tabs_survive() {
        let mut x = Xml::new();
        x.start("p");
        x.spaced_text("a   b\tc d");
        x.end();
        assert!(
            x.finish()
                .ends_with("<p>a <text:s text:c=\"2\"/>b<text:tab/>c d</p>\n")
        );
    }
}
