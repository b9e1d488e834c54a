//! The document tree as Typst markup, for the PDF. All text is escaped, so no character in the
//! content can change the meaning of the markup; the pack's data reaches the template as JSON.
//! A source map records where each block came from, to map Typst errors back to Markdown.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::diagnostic::Pos;
use crate::doc::{Align, Block, Inline, Table, Target, plain_text};
use crate::links::is_external;
use crate::resolve::{Pack, PackChapter};

/// Generated markup and where its parts came from.
#[derive(Debug, Default)]
pub struct Markup {
    pub text: String,
    /// `(offset in text, file, position)`, in offset order.
    pub map: Vec<(usize, String, Pos)>,
}

impl Markup {
    /// The Markdown place that produced the markup at `offset`.
    pub fn origin(&self, offset: usize) -> Option<(&str, Pos)> {
        let at = self.map.partition_point(|(start, _, _)| *start <= offset);
        at.checked_sub(1)
            .map(|i| (self.map[i].1.as_str(), self.map[i].2))
    }
}

/// The functions of the PDF template that the markup calls: a project's own template must
/// define each of them (the built-in one does).
pub const TEMPLATE_FUNCTIONS: [&str; 13] = [
    "pack",
    "num",
    "chapter-summary",
    "numbered-par",
    "note",
    "task-list",
    "callout",
    "definitions",
    "role-entry",
    "role-kind",
    "local-text",
    "gp-table",
    "gp-unbroken",
];

/// The markup of a whole pack: the template import, then every chapter.
pub fn pack_markup(pack: &Pack) -> Markup {
    let mut w = Writer::default();
    if has_labelled(pack) {
        // The reviewer's copy: a plain `labelled` for a project's own template that has none
        // (the template's own, imported below, takes its place).
        w.out.push_str(LABELLED_FALLBACK);
    }
    w.out.push_str("#import \"/templates/pdf/pack.typ\": *\n#show: pack.with(json(\"/guidepack/meta.json\"))\n\n");
    for chapter in &pack.chapters {
        w.chapter(chapter);
    }
    Markup {
        text: w.out,
        map: w.map,
    }
}

/// The path of the back of the cover among the files the PDF is compiled with: the statements
/// (the note on asking for another format, the copyright and licence), which the template
/// shows on the page after the cover with `include`.
pub const BACK_OF_COVER: &str = "guidepack/back-of-cover.typ";

/// The markup of the back of the cover: each section's title as a heading (kept out of the
/// contents, in the bookmarks), then its blocks; a section without blocks is left out. It
/// imports the template for the functions the markup calls (`gp-unbroken`).
pub fn back_of_cover_markup(sections: &[(&str, Vec<Block>)]) -> String {
    let mut w = Writer::default();
    w.out.push_str("#import \"/templates/pdf/pack.typ\": *\n\n");
    for (title, blocks) in sections.iter().filter(|(_, b)| !b.is_empty()) {
        let _ = writeln!(
            w.out,
            "#heading(level: 1, outlined: false, bookmarked: true)[{}]\n",
            escape(title)
        );
        w.level = 1;
        w.blocks(blocks);
    }
    w.out
}

/// What a labelled region looks like when a project's own template does not say.
const LABELLED_FALLBACK: &str = "#let labelled(label, body) = block(width: 100%, breakable: true, stroke: 1pt, inset: 8pt)[#block(sticky: true, strong(label)) #body]\n";

/// Whether a pack holds labelled regions (only the reviewer's copy does).
fn has_labelled(pack: &Pack) -> bool {
    fn any(blocks: &[Block]) -> bool {
        blocks.iter().any(|b| match b {
            Block::Labelled { .. } => true,
            Block::Local { blocks, .. }
            | Block::Directed { blocks, .. }
            | Block::Quote(blocks)
            | Block::Callout(_, blocks) => any(blocks),
            _ => false,
        })
    }
    pack.chapters.iter().any(|c| any(&c.blocks))
}

#[derive(Default)]
struct Writer {
    out: String,
    map: Vec<(usize, String, Pos)>,
    file: String,
    chapter: String,
    /// The level of the last heading, so that no level is skipped (PDF/UA forbids it).
    level: u8,
    footnotes: Vec<(u32, Vec<Block>)>,
    footnotes_done: BTreeSet<u32>,
    /// Inside a link: PDF/UA forbids struck or extra-underlined text there (links are
    /// underlined), so strike and insert marks are left out.
    in_link: bool,
}

impl Writer {
    fn mark(&mut self, pos: Pos) {
        if pos.line > 0 && !self.file.is_empty() {
            self.map.push((self.out.len(), self.file.clone(), pos));
        }
    }

    fn chapter(&mut self, chapter: &PackChapter) {
        self.file = chapter.file.clone().unwrap_or_default();
        self.chapter = chapter.id.clone();
        self.footnotes = chapter.footnotes.clone();
        self.footnotes_done.clear();
        self.mark(Pos::new(1, 1));
        let _ = write!(
            self.out,
            "#heading(level: 1)[#num[{}]",
            escape(&chapter.number)
        );
        self.out.push_str(&escape(&chapter.title));
        let _ = writeln!(self.out, "]{}\n", label(&chapter.id));
        if let Some(summary) = &chapter.summary {
            let _ = writeln!(self.out, "#chapter-summary[{}]\n", escape(summary));
        }
        self.level = 1;
        match &chapter.language {
            // A chapter in its own language (`language:` in its front matter): its text in that
            // language and direction.
            Some(language) => {
                let lang = language.split(['-', '_']).next().unwrap_or("en");
                let dir = crate::model::direction(language);
                let _ = writeln!(
                    self.out,
                    "#[#set text(lang: {}, dir: {dir})\n",
                    string(&lang.to_lowercase())
                );
                self.blocks(&chapter.blocks);
                self.out.push_str("]\n\n");
            }
            None => self.blocks(&chapter.blocks),
        }
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    /// Blocks as the body of a content argument: a lone paragraph as its inlines.
    fn content(&mut self, blocks: &[Block]) {
        self.out.push('[');
        match blocks {
            [Block::Paragraph(p)] if p.number.is_none() => {
                self.mark(p.pos);
                self.inlines(&p.inlines);
            }
            _ => self.blocks(blocks),
        }
        self.out.push(']');
    }

    fn heading_level(&mut self, wanted: u8) -> u8 {
        let level = wanted.clamp(2, 6).min(self.level + 1);
        self.level = level;
        level
    }

    fn block(&mut self, block: &Block) {
        match block {
            // A heading with no text says nothing to a reader, and PDF/UA forbids it; `check`
            // warns about it.
            Block::Heading(h) if plain_text(&h.inlines).trim().is_empty() => {}
            Block::Heading(h) => {
                self.mark(h.pos);
                let level = self.heading_level(h.level);
                if let Some(dir) = h.dir() {
                    let _ = writeln!(self.out, "#[#set text(dir: {})", dir.as_str());
                }
                let _ = write!(self.out, "#heading(level: {level})[");
                if let Some(number) = &h.number {
                    let _ = write!(self.out, "#num[{}]", escape(number));
                }
                // A title in its own direction is isolated (RIGHT-TO-LEFT or LEFT-TO-RIGHT
                // ISOLATE … POP DIRECTIONAL ISOLATE), so that in the contents, set in the
                // pack's direction, its dots and page number stay after it.
                let isolate = h.dir().map(|dir| match dir {
                    crate::doc::Direction::Rtl => "\u{2067}",
                    crate::doc::Direction::Ltr => "\u{2066}",
                });
                self.out.push_str(isolate.unwrap_or(""));
                self.inlines(&h.inlines);
                self.out
                    .push_str(if isolate.is_some() { "\u{2069}" } else { "" });
                let _ = writeln!(self.out, "]{}\n", label(&h.id));
                if h.dir().is_some() {
                    self.out.push_str("]\n\n");
                }
            }
            // A block in a direction of its own (`{dir=rtl}`): set in a scope of that direction.
            Block::Directed { dir, blocks } => {
                let _ = writeln!(self.out, "#[#set text(dir: {})\n", dir.as_str());
                self.blocks(blocks);
                self.out.push_str("]\n\n");
            }
            Block::Paragraph(p) => {
                self.mark(p.pos);
                if let [Inline::Image(image)] = p.inlines.as_slice() {
                    let _ = write!(
                        self.out,
                        "#figure(image({}, alt: {}, width: 100%)",
                        path_literal(&image.src),
                        string(&image.alt)
                    );
                    if !image.title.is_empty() {
                        let _ = write!(self.out, ", caption: [{}]", escape(&image.title));
                    }
                    self.out.push_str(")\n\n");
                    return;
                }
                match &p.number {
                    Some(number) => {
                        let _ = write!(self.out, "#numbered-par({})[", string(number));
                        self.inlines(&p.inlines);
                        self.out.push(']');
                    }
                    None => {
                        self.out.push_str("#par[");
                        self.inlines(&p.inlines);
                        self.out.push(']');
                    }
                }
                self.out.push_str("\n\n");
            }
            Block::Note(inlines) => {
                self.out.push_str("#note[");
                self.inlines(inlines);
                self.out.push_str("]\n\n");
            }
            Block::List(list) => {
                let tasks = list.items.iter().any(|i| i.task.is_some());
                let tight = list.items.iter().all(|i| i.blocks.len() <= 1);
                if tasks {
                    self.out.push_str("#task-list(");
                    for item in &list.items {
                        let _ = write!(self.out, "({}, ", item.task.unwrap_or(false));
                        self.content(&item.blocks);
                        self.out.push_str("), ");
                    }
                } else {
                    match list.start {
                        Some(start) => {
                            let _ = write!(self.out, "#enum(start: {start}, tight: {tight}, ");
                        }
                        None => {
                            let _ = write!(self.out, "#list(tight: {tight}, ");
                        }
                    }
                    for item in &list.items {
                        self.content(&item.blocks);
                        self.out.push_str(", ");
                    }
                }
                self.out.push_str(")\n\n");
            }
            Block::Quote(blocks) => {
                self.out.push_str("#quote(block: true)");
                self.content(blocks);
                self.out.push_str("\n\n");
            }
            Block::Callout(kind, blocks) => {
                let _ = write!(
                    self.out,
                    "#callout({}, {})",
                    string(kind.class()),
                    string(kind.label())
                );
                self.content(blocks);
                self.out.push_str("\n\n");
            }
            Block::Code { lang, text } => {
                self.out.push_str("#raw(block: true, ");
                if let Some(lang) = lang {
                    let _ = write!(self.out, "lang: {}, ", string(lang));
                }
                let _ = writeln!(self.out, "{})\n", string(text.trim_end_matches('\n')));
            }
            Block::Table(table) => self.table(table),
            Block::Diagram(d) => self.diagram(d),
            Block::Rule => self.out.push_str("#line(length: 100%)\n\n"),
            Block::Definitions(defs) => {
                self.out.push_str("#definitions(");
                for d in defs {
                    self.out.push_str("([");
                    self.inlines(&d.term);
                    self.out.push_str("], ");
                    self.content(&d.blocks);
                    self.out.push_str("), ");
                }
                self.out.push_str(")\n\n");
            }
            Block::Entry(entry) => {
                if entry.id.is_empty() {
                    let _ = write!(
                        self.out,
                        "#role-entry(kind: {}, title: [",
                        string(&entry.kind)
                    );
                    self.inlines(&entry.title);
                    self.out.push_str("])");
                    self.content(&entry.blocks);
                    self.out.push_str("\n\n");
                } else {
                    // Directory entries are bookmarked but kept out of the printed contents.
                    let level = self.heading_level(2);
                    let _ = write!(
                        self.out,
                        "#heading(level: {level}, outlined: false, bookmarked: true)["
                    );
                    self.inlines(&entry.title);
                    let _ = writeln!(
                        self.out,
                        "]{}\n\n#role-kind({})\n",
                        label(&entry.id),
                        string(&entry.kind)
                    );
                    self.blocks(&entry.blocks);
                }
            }
            // `Pack::for_format` has unwrapped what the PDF shows and dropped the rest.
            Block::ForFormats { .. } => {}
            Block::Labelled { label, blocks } => {
                let _ = write!(self.out, "#labelled({})[", string(label));
                self.blocks(blocks);
                self.out.push_str("]\n\n");
            }
            // In the reviewer's copy, the labelled region around local text says whose it is.
            Block::Local { area, file, blocks } if area.is_empty() => {
                let outer = std::mem::replace(&mut self.file, file.clone());
                self.blocks(blocks);
                self.file = outer;
            }
            Block::Local { area, file, blocks } => {
                let outer = std::mem::replace(&mut self.file, file.clone());
                let _ = write!(self.out, "#local-text({})[", string(area));
                self.blocks(blocks);
                self.out.push_str("]\n\n");
                self.file = outer;
            }
        }
    }

    /// An accountability diagram: one figure, or, for a drawing taller than a page, a figure
    /// for each part, "(part k of n)", each with its own alt text.
    fn diagram(&mut self, d: &crate::doc::Diagram) {
        use crate::render::diagram_typst::{PART_HEIGHT, alt_text, drawing, part_of};
        let layout = crate::diagram::lay_out(d);
        let parts = crate::diagram::parts::split(&layout, PART_HEIGHT);
        let count = parts.len();
        for (k, part) in parts.iter().enumerate() {
            let of = (count > 1).then(|| part_of(&d.words, k + 1, count));
            let alt = alt_text(d, &part.boxes, of.as_deref().unwrap_or(""));
            let _ = write!(
                self.out,
                "#figure(kind: image, alt: {}, caption: [",
                string(&alt)
            );
            self.inlines(&d.caption);
            if let Some(of) = &of {
                self.out.push_str(&escape(of));
            }
            let _ = write!(self.out, "], {})", drawing(&layout, part, d.focus, string));
            self.out.push_str("\n\n");
        }
    }

    fn table(&mut self, table: &Table) {
        let columns = table
            .head
            .len()
            .max(table.rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1);
        self.out.push_str("#gp-table(caption: ");
        if table.caption.is_empty() {
            self.out.push_str("none");
        } else {
            self.out.push('[');
            self.inlines(&table.caption);
            self.out.push(']');
        }
        let _ = write!(self.out, ", columns: {columns}, align: (");
        for i in 0..columns {
            self.out
                .push_str(match table.aligns.get(i).copied().unwrap_or(Align::None) {
                    Align::Center => "center, ",
                    Align::Right => "right, ",
                    Align::Left | Align::None => "left, ",
                });
        }
        self.out.push_str("), header: (");
        self.cells(&table.head, columns);
        self.out.push_str("), rows: (");
        for row in &table.rows {
            self.out.push('(');
            self.cells(row, columns);
            self.out.push_str("), ");
        }
        let _ = writeln!(self.out, "), row-headers: {})\n", table.row_headers);
    }

    fn cells(&mut self, cells: &[Vec<Inline>], columns: usize) {
        for i in 0..columns {
            self.out.push('[');
            if let Some(cell) = cells.get(i) {
                self.inlines(cell);
            }
            self.out.push_str("], ");
        }
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text) => self.out.push_str(&escape(&numbers_unbroken(text))),
            Inline::Code(code) | Inline::Raw(code) => {
                let _ = write!(self.out, "#raw({})", string(code));
            }
            Inline::Emph(c) => self.wrap("emph", c),
            Inline::Strong(c) => self.wrap("strong", c),
            Inline::Strike(c) | Inline::Inserted(c) if self.in_link => self.inlines(c),
            Inline::Strike(c) => self.wrap("strike", c),
            Inline::Inserted(c) => self.wrap("underline", c),
            Inline::Link(link) => match &link.target {
                // Only a safe address becomes a link annotation; anything else keeps its text.
                Target::External(url) if is_external(url) => {
                    let _ = write!(self.out, "#link({})[", string(url));
                    match unbroken_address(url, &link.children) {
                        Some(markup) => {
                            self.out.push_str(&markup);
                            self.out.push(']');
                        }
                        None => self.link_children(&link.children),
                    }
                }
                Target::Internal { chapter, anchor }
                    if is_label(anchor.as_deref().unwrap_or(chapter)) =>
                {
                    let _ = write!(
                        self.out,
                        "#link(<{}>)[",
                        anchor.as_deref().unwrap_or(chapter)
                    );
                    self.link_children(&link.children);
                }
                _ => self.inlines(&link.children),
            },
            Inline::Image(image) => {
                let _ = write!(
                    self.out,
                    "#box(image({}, alt: {}, height: 1.2em))",
                    path_literal(&image.src),
                    string(&image.alt)
                );
            }
            Inline::FootnoteRef { number, label, .. } => {
                let id = format!("fn-{}-{number}", self.chapter);
                if *number == 0 {
                    self.out.push_str(&escape(&format!("[^{label}]")));
                } else if self.footnotes_done.insert(*number) {
                    // Footnotes are in number order: a search, not a scan per reference.
                    let body = self
                        .footnotes
                        .binary_search_by_key(number, |(n, _)| *n)
                        .map(|at| self.footnotes[at].1.clone())
                        .unwrap_or_default();
                    self.out.push_str("#footnote");
                    self.content(&body);
                    let _ = write!(self.out, "<{id}>");
                } else {
                    let _ = write!(self.out, "#footnote(<{id}>)");
                }
            }
            Inline::SoftBreak => self.out.push(' '),
            Inline::HardBreak => self.out.push_str("#linebreak()"),
            Inline::Var { name, .. } => self.out.push_str(&escape(&format!("{{{{ {name} }}}}"))),
            Inline::Abbr { text, title } => {
                self.out.push_str(&escape(text));
                self.out.push_str(&escape(&format!(" ({title})")));
            }
        }
    }

    fn link_children(&mut self, children: &[Inline]) {
        let outer = std::mem::replace(&mut self.in_link, true);
        self.inlines(children);
        self.in_link = outer;
        self.out.push(']');
    }

    fn wrap(&mut self, function: &str, children: &[Inline]) {
        let _ = write!(self.out, "#{function}[");
        self.inlines(children);
        self.out.push(']');
    }
}

/// Text with a no-break space for each single space between two digits, so that a telephone
/// number in prose ("01632 960101") never breaks across lines.
fn numbers_unbroken(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let splits = |i: usize| {
        bytes[i] == b' '
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
    };
    if !(0..bytes.len()).any(splits) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 4);
    for (i, c) in text.char_indices() {
        out.push(if splits(i) { '\u{a0}' } else { c });
    }
    out.into()
}

/// A telephone number or email address shown as itself (`[01632 960101](tel:…)`, the contacts
/// table's cells) as markup that never breaks inside: the number in one box, its spaces
/// no-break spaces; the address in two, the part up to the `@` and the domain, so that an
/// address too long for its column breaks only after the `@`, and a part still too long is
/// shrunk to fit (the template's `gp-unbroken`; a table's column widths keep each part whole).
/// `None` for a link whose text is anything else, which breaks as text does.
fn unbroken_address(url: &str, children: &[Inline]) -> Option<String> {
    let shown = plain_text(children);
    let shown = shown.trim();
    let boxed = |text: &str| format!("#gp-unbroken[{}]", escape(text).replace(' ', "\u{a0}"));
    if url.starts_with("tel:")
        && !shown.is_empty()
        && shown.chars().any(|c| c.is_ascii_digit())
        && shown
            .chars()
            .all(|c| c.is_ascii_digit() || " +()-.".contains(c))
    {
        return Some(boxed(shown));
    }
    let address = url.strip_prefix("mailto:")?;
    let address = address.split('?').next().unwrap_or(address);
    let (local, domain) = shown.split_once('@')?;
    if shown != address || local.is_empty() || domain.is_empty() || shown.contains(' ') {
        return None;
    }
    Some(format!("{}{}", boxed(&format!("{local}@")), boxed(domain)))
}

/// Escapes text for Typst markup: every character with a meaning in markup gets a backslash,
/// and line breaks become spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '`' | '<' | '>' | '@' | '[' | ']' | '=' | '-' | '+'
            | '/' | '~' | '\'' | '"' | '.' | ';' | '(' | ')' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            // Other control characters (a NUL from a data file's `\u0000`) mean nothing to a
            // reader and cannot be shown: they are left out.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether an id can be written as a Typst label (`<id>`) without changing the markup
/// around it: Typst's label characters only.
fn is_label(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
}

/// ` <id>` after a heading, or nothing for an id that is not a safe label (`check` reports
/// such ids; this is the last line of defence).
fn label(id: &str) -> String {
    if is_label(id) {
        format!(" <{id}>")
    } else {
        String::new()
    }
}

/// A Typst string literal.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A project file path as an absolute Typst path literal.
fn path_literal(path: &str) -> String {
    string(&format!("/{path}"))
}

/// The plain text of a chapter title, for bookmarks and metadata.
pub fn title_text(inlines: &[Inline]) -> String {
    plain_text(inlines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telephone_numbers_and_email_addresses_never_break_inside() {
        let text = |t: &str| vec![Inline::Text(t.into())];
        assert_eq!(
            unbroken_address("tel:01632960101", &text("01632 960101")).as_deref(),
            Some("#gp-unbroken[01632\u{a0}960101]")
        );
        assert_eq!(
            unbroken_address("mailto:jo@x.org", &text("jo@x.org")).as_deref(),
            Some("#gp-unbroken[jo\\@]#gp-unbroken[x\\.org]")
        );
        // Link text other than the address itself breaks as text does.
        assert_eq!(unbroken_address("mailto:jo@x.org", &text("Email Jo")), None);
        assert_eq!(unbroken_address("tel:999", &text("Call the police")), None);
        assert_eq!(unbroken_address("https://x.org", &text("x.org")), None);
        assert_eq!(
            numbers_unbroken("ring 01632 960101 or 999"),
            "ring 01632\u{a0}960101 or 999"
        );
        assert_eq!(numbers_unbroken("no numbers here"), "no numbers here");
    }

    #[test]
    fn escaping_neutralises_markup() {
        assert_eq!(escape("#set text(red)"), "\\#set text\\(red\\)");
        assert_eq!(escape("a_b*c*"), "a\\_b\\*c\\*");
        assert_eq!(escape("https://x.org"), "https\\:\\/\\/x\\.org");
        assert_eq!(escape("£5 – ŵ"), "£5 – ŵ");
    }

    #[test]
    fn unsafe_targets_and_labels_never_reach_the_markup() {
        let mut w = Writer::default();
        for target in [
            Target::External("javascript:alert(1)".into()),
            Target::External("data:text/html,x".into()),
            Target::Relative("vbscript:x".into()),
            Target::Internal {
                chapter: "a> #panic()".into(),
                anchor: None,
            },
        ] {
            w.inline(&Inline::Link(crate::doc::Link {
                target,
                children: vec![Inline::Text("kept".into())],
                pos: Pos::default(),
                title: Vec::new(),
                dest_parts: Vec::new(),
            }));
        }
        assert_eq!(w.out, "keptkeptkeptkept");
        assert_eq!(label("x> #panic()"), "");
        assert_eq!(label("role:ccg"), " <role:ccg>");
    }

    #[test]
    fn strings_are_literals() {
        assert_eq!(string("say \"hi\"\\\n"), "\"say \\\"hi\\\"\\\\\\n\"");
    }
}
