//! The block and inline writer: a chapter's document tree as Govspeak, every text escaped
//! (`escape`), each construct in the form GOV.UK's gem renders as the HTML does (headings one
//! level down, callouts as `^`, `%` or `$CTA`, contacts as `$C`, images as `[Image: …]`
//! lines), never raw HTML.

use std::collections::{BTreeMap, BTreeSet};

use super::escape;
use crate::doc::{Align, Block, CalloutKind, Image, Inline, Link, ListItem, Table, Target};
use crate::labels::Labels;

/// Where a block is written.
#[derive(Clone, Copy)]
pub(super) struct Place {
    /// Its lines start at the first column (not in a list, quote, footnote or table): only
    /// there does Govspeak see a marker (`$CTA`, `^`, `[Image: …]`).
    pub column0: bool,
    /// Inside a `$CTA` box, which cannot hold another.
    pub in_box: bool,
}

impl Place {
    pub const TOP: Place = Place {
        column0: true,
        in_box: false,
    };
    const NESTED: Place = Place {
        column0: false,
        in_box: false,
    };
}

/// A file the publisher uploads: an image, with the caption that carries its text alternative.
#[derive(Clone, Debug)]
pub(super) struct Upload {
    pub src: String,
    pub name: String,
    pub caption: String,
    /// Its size in pixels, when it is a bitmap whose size could be read.
    pub pixels: Option<(u32, u32)>,
}

/// What the whole document shares while it is written.
pub(super) struct Writer<'a> {
    /// The index of the chapter being written (footnote numbers are per chapter).
    pub chapter: usize,
    /// Footnote labels: (chapter index, number in the chapter) to `[^label]`.
    pub notes: &'a BTreeMap<(usize, u32), u32>,
    /// The ids the document gives its headings, which internal links may point at.
    pub anchors: &'a BTreeSet<String>,
    /// The chapter ids written.
    pub chapter_ids: &'a BTreeSet<String>,
    /// Ids already given (a repeated id is given once, to its first heading).
    given: BTreeSet<String>,
    /// Images to upload, in order of first use.
    pub uploads: Vec<Upload>,
    upload_of: BTreeMap<(String, String), usize>,
    /// Images met in blocks that cannot hold an `[Image: …]` line, placed after the block.
    pending: Vec<String>,
    /// Acronyms used, with their meanings.
    pub abbreviations: BTreeMap<String, String>,
    /// The words guidepack writes itself, in the pack's language.
    labels: &'a Labels,
}

/// How a run of inlines is written.
#[derive(Clone, Copy)]
struct Flow {
    /// At the start of a line.
    line_start: bool,
    /// On one line (a heading, a table cell, a one-line callout): a hard break is a space.
    one_line: bool,
}

impl<'a> Writer<'a> {
    pub fn new(
        notes: &'a BTreeMap<(usize, u32), u32>,
        anchors: &'a BTreeSet<String>,
        chapter_ids: &'a BTreeSet<String>,
        labels: &'a Labels,
    ) -> Self {
        Writer {
            chapter: 0,
            notes,
            anchors,
            chapter_ids,
            given: BTreeSet::new(),
            uploads: Vec::new(),
            upload_of: BTreeMap::new(),
            pending: Vec::new(),
            abbreviations: BTreeMap::new(),
            labels,
        }
    }

    /// ` {#id}` for a heading, the first time the id is given; empty after that.
    pub fn id_suffix(&mut self, id: &str) -> String {
        if !id.is_empty() && self.anchors.contains(id) && self.given.insert(id.to_string()) {
            format!(" {{#{id}}}")
        } else {
            String::new()
        }
    }

    /// Blocks, separated by blank lines. Where lines start at the first column, each block's
    /// images follow it as `[Image: …]` lines.
    pub fn blocks(&mut self, blocks: &[Block], place: Place) -> String {
        let mut parts: Vec<String> = Vec::new();
        for block in blocks {
            let written = self.block(block, place);
            if !written.is_empty() {
                parts.push(written);
            }
            if place.column0 {
                parts.extend(self.take_images());
            }
        }
        parts.join("\n\n")
    }

    /// The `[Image: …]` lines of the images met since the last ones were placed.
    pub fn take_images(&mut self) -> Vec<String> {
        self.pending
            .drain(..)
            .map(|name| format!("[Image: {name}]"))
            .collect()
    }

    fn block(&mut self, block: &Block, place: Place) -> String {
        match block {
            Block::Heading(h) => {
                let level = usize::from((h.level.max(2) + 1).min(6));
                let mut line = format!("{} ", "#".repeat(level));
                if let Some(number) = &h.number {
                    line.push_str(&escape::text(number, false));
                    line.push(' ');
                }
                self.inlines(&h.inlines, ONE_LINE, &mut line);
                line.push_str(&self.id_suffix(&h.id));
                line
            }
            Block::Paragraph(p) => {
                let mut out = String::new();
                let flow = match &p.number {
                    Some(number) => {
                        out.push_str(&escape::text(number, true));
                        out.push(' ');
                        Flow {
                            line_start: false,
                            one_line: false,
                        }
                    }
                    None => LINES,
                };
                self.inlines(&p.inlines, flow, &mut out);
                if p.number.is_none() && out.trim().is_empty() {
                    // A paragraph that held an image only: the image's line says it all.
                    return String::new();
                }
                out
            }
            Block::Note(inlines) => {
                let mut out = String::new();
                self.inlines(inlines, LINES, &mut out);
                out
            }
            Block::List(list) => {
                let tasks = list.items.iter().any(|i| i.task.is_some());
                let legislative =
                    !tasks && list.start.is_some_and(|n| n != 1) && place.column0 && !place.in_box;
                if legislative {
                    return self.legislative_list(list.start.unwrap_or(1), &list.items);
                }
                let loose = list.items.iter().any(|i| i.blocks.len() > 1);
                let mut items = Vec::new();
                for (i, item) in list.items.iter().enumerate() {
                    let marker = match list.start {
                        // kramdown numbers every ordered list from 1, so a list that starts
                        // elsewhere (and is not at the top level) is bulleted, its numbers
                        // written.
                        Some(1) if !tasks => format!("{}.", i + 1),
                        _ => "*".to_string(),
                    };
                    let mut label = match item.task {
                        Some(true) => format!("{}: ", self.labels.get("task_done")),
                        Some(false) => format!("{}: ", self.labels.get("task_todo")),
                        None => String::new(),
                    };
                    if let Some(start) = list.start.filter(|n| *n != 1 || tasks) {
                        label = format!("{}. {label}", start + i as u64);
                    }
                    let body = self.blocks(&item.blocks, Place::NESTED);
                    let body = if label.is_empty() {
                        body
                    } else {
                        format!("{}{body}", escape::text(&label, true))
                    };
                    items.push(indent_item(&marker, &body));
                }
                items.join(if loose { "\n\n" } else { "\n" })
            }
            Block::Quote(blocks) => {
                let inner = self.blocks(blocks, Place::NESTED);
                inner
                    .lines()
                    .map(|l| {
                        if l.is_empty() {
                            ">".to_string()
                        } else {
                            format!("> {l}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            Block::Callout(kind, blocks) => self.callout(*kind, blocks, place),
            Block::Code { text, .. } => code_block(text),
            Block::Table(table) if table.contacts && place.column0 && !place.in_box => {
                self.contacts(table)
            }
            Block::Table(table) => self.table(table),
            Block::Rule => "* * *".to_string(),
            Block::Definitions(defs) => {
                let mut out = Vec::new();
                for d in defs {
                    let mut term = String::new();
                    self.inlines(&d.term, ONE_LINE_START, &mut term);
                    let body = self.blocks(&d.blocks, Place::NESTED);
                    if body.is_empty() {
                        out.push(term);
                    } else {
                        // A blank line before `:` makes each block of the definition a
                        // paragraph, as the HTML has them, when it has several.
                        let gap = if d.blocks.len() > 1 { "\n\n" } else { "\n" };
                        out.push(format!("{term}{gap}{}", indent_item(":", &body)));
                    }
                }
                out.join("\n\n")
            }
            // GOV.UK publishing takes no inline SVG: the caption and the lines as text.
            Block::Diagram(d) => self.blocks(&d.as_text(), place),
            Block::Entry(entry) => {
                let mut parts = Vec::new();
                let mut title = String::new();
                if entry.id.is_empty() {
                    title.push_str("**");
                    self.inlines(&entry.title, ONE_LINE, &mut title);
                    title.push_str("**");
                } else {
                    title.push_str("### ");
                    self.inlines(&entry.title, ONE_LINE, &mut title);
                    title.push_str(&self.id_suffix(&entry.id));
                }
                parts.push(title);
                parts.push(escape::text(&entry.kind, true));
                let body = self.blocks(&entry.blocks, place);
                if !body.is_empty() {
                    parts.push(body);
                }
                parts.join("\n\n")
            }
            // `Pack::for_format` has unwrapped what this format shows and dropped the rest.
            Block::ForFormats { .. } => String::new(),
            Block::Local { area, blocks, .. } if area.is_empty() => self.blocks(blocks, place),
            // GOV.UK's Govspeak has no markup for a direction: the block is written as it is.
            Block::Directed { blocks, .. } => self.blocks(blocks, place),
            Block::Local { area, blocks, .. } => {
                let label = self.labels.fill("local_text", &[("area", area)]);
                self.labelled(&label, blocks, place)
            }
            Block::Labelled { label, blocks } => self.labelled(label, blocks, place),
        }
    }

    /// A part with a label (the reviewer's copy): a `$CTA` box whose first line is the label
    /// where a box can be, else the label in bold above the blocks.
    fn labelled(&mut self, label: &str, blocks: &[Block], place: Place) -> String {
        let label = format!("**{}**", escape::text(label, false));
        if place.column0 && !place.in_box {
            let body = self.blocks(
                blocks,
                Place {
                    column0: true,
                    in_box: true,
                },
            );
            return format!("$CTA\n{label}\n\n{body}\n$CTA");
        }
        let body = self.blocks(blocks, place);
        if body.is_empty() {
            label
        } else {
            format!("{label}\n\n{body}")
        }
    }

    /// A callout: information (note, tip, important) as `^…^` and a warning (warning,
    /// caution) as `%…%` when it is one paragraph that fits on one line (a warning's body is
    /// a separate document, which abbreviations and footnotes do not reach, so one that holds
    /// either is a box); otherwise a `$CTA` box; inside another box, a list or a quote, the
    /// label in bold above the blocks. The label is always written, as the HTML shows it.
    fn callout(&mut self, kind: CalloutKind, blocks: &[Block], place: Place) -> String {
        let key = format!("callout_{}", kind.class());
        let label = self.labels.get_or(&key, kind.label()).to_string();
        let information = matches!(
            kind,
            CalloutKind::Note | CalloutKind::Tip | CalloutKind::Important
        );
        if place.column0 && !place.in_box {
            if let [Block::Paragraph(p)] = blocks
                && p.number.is_none()
                && fits_one_line(&p.inlines, information)
            {
                let mark = if information { '^' } else { '%' };
                let mut line = format!("{mark}**{label}:** ");
                self.inlines(&p.inlines, ONE_LINE, &mut line);
                line.push(mark);
                return line;
            }
            return self.labelled(&label, blocks, place);
        }
        self.labelled(&label, blocks, place)
    }

    /// A list whose numbers matter (it does not start at 1): Govspeak's legislative list,
    /// whose numbers are written.
    fn legislative_list(&mut self, start: u64, items: &[ListItem]) -> String {
        let mut out = vec!["$LegislativeList".to_string()];
        for (i, item) in items.iter().enumerate() {
            let body = self.blocks(&item.blocks, Place::NESTED);
            let number = format!("{}. ", start + i as u64);
            out.push(indent_item("*", &format!("{number}{body}")));
        }
        out.push("$EndLegislativeList".to_string());
        out.join("\n")
    }

    /// The area's contacts as contact boxes: each row a `$C` box, its first cell in bold, each
    /// other cell after its column's heading. A box's body is plain kramdown, closed by the
    /// first line that ends in `$`; escaped text holds no `$`.
    fn contacts(&mut self, table: &Table) -> String {
        let mut parts = Vec::new();
        if !table.caption.is_empty() {
            let mut caption = String::new();
            self.inlines(&table.caption, LINES, &mut caption);
            parts.push(caption);
        }
        for row in &table.rows {
            let mut lines = Vec::new();
            for (i, cell) in row.iter().enumerate() {
                let shown = crate::doc::plain_text(cell);
                if shown.trim().is_empty() || shown.trim() == "—" {
                    continue;
                }
                let mut line = String::new();
                if i == 0 {
                    line.push_str("**");
                    self.inlines(cell, ONE_LINE, &mut line);
                    line.push_str("**");
                } else {
                    let head = table
                        .head
                        .get(i)
                        .map(|h| crate::doc::plain_text(h))
                        .unwrap_or_default();
                    if !head.trim().is_empty() {
                        line.push_str(&escape::text(&format!("{head}: "), true));
                    }
                    self.inlines(cell, ONE_LINE, &mut line);
                }
                lines.push(line);
            }
            parts.push(format!("$C\n{}\n$C", lines.join("\\\\\n")));
        }
        parts.join("\n\n")
    }

    /// A kramdown table: its caption a paragraph above it, a header row, and `# ` before the
    /// first cell of each row when that cell heads the row.
    fn table(&mut self, table: &Table) -> String {
        let mut out = String::new();
        if !table.caption.is_empty() {
            self.inlines(&table.caption, LINES, &mut out);
            out.push_str("\n\n");
        }
        let columns = table
            .head
            .len()
            .max(table.rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1);
        let row_line = |w: &mut Self, cells: &[Vec<Inline>], header_col: bool| {
            let mut line = String::from("|");
            for i in 0..columns {
                line.push(' ');
                if i == 0 && header_col {
                    line.push_str("# ");
                }
                if let Some(cell) = cells.get(i) {
                    w.inlines(cell, ONE_LINE, &mut line);
                }
                line.push_str(" |");
            }
            line
        };
        out.push_str(&row_line(self, &table.head, false));
        out.push('\n');
        out.push('|');
        for i in 0..columns {
            out.push_str(match table.aligns.get(i).copied().unwrap_or(Align::None) {
                Align::None => "---",
                Align::Left => ":--",
                Align::Center => ":-:",
                Align::Right => "--:",
            });
            out.push('|');
        }
        for row in &table.rows {
            out.push('\n');
            out.push_str(&row_line(self, row, table.row_headers));
        }
        out
    }

    fn inlines(&mut self, inlines: &[Inline], flow: Flow, out: &mut String) {
        let mut flow = flow;
        let mut i = 0;
        while i < inlines.len() {
            // Adjacent texts are escaped as one, so that `-` + `-` is seen as `--`.
            if let Inline::Text(_) = inlines[i] {
                let mut run = String::new();
                while let Some(Inline::Text(t)) = inlines.get(i) {
                    run.push_str(t);
                    i += 1;
                }
                self.text(&run, &mut flow, out);
                continue;
            }
            self.inline(&inlines[i], &mut flow, out);
            i += 1;
        }
    }

    fn text(&mut self, text: &str, flow: &mut Flow, out: &mut String) {
        let escaped = escape::text(text, flow.line_start);
        if !escaped.is_empty() {
            flow.line_start = false;
        }
        out.push_str(&escaped);
    }

    fn inline(&mut self, inline: &Inline, flow: &mut Flow, out: &mut String) {
        match inline {
            Inline::Text(t) | Inline::Raw(t) => self.text(t, flow, out),
            Inline::Code(code) => match escape::code_span(code).filter(|_| !code.contains('|')) {
                Some(span) => {
                    out.push_str(&span);
                    flow.line_start = false;
                }
                None => self.text(code, flow, out),
            },
            Inline::Emph(c) => self.wrap("*", c, flow, out),
            Inline::Strong(c) => self.wrap("**", c, flow, out),
            Inline::Strike(c) => self.marked("removed", c, flow, out),
            Inline::Inserted(c) => self.marked("added", c, flow, out),
            Inline::Link(link) => self.link(link, flow, out),
            Inline::Image(image) => self.image(image),
            Inline::FootnoteRef { label, number, .. } => {
                match self.notes.get(&(self.chapter, *number)) {
                    Some(n) if *number > 0 => {
                        out.push_str(&format!("[^{n}]"));
                        flow.line_start = false;
                    }
                    _ => self.text(&format!("[^{label}]"), flow, out),
                }
            }
            Inline::SoftBreak => out.push(' '),
            Inline::HardBreak if flow.one_line => out.push(' '),
            Inline::HardBreak => {
                let kept = out.trim_end_matches(' ').len();
                out.truncate(kept);
                out.push_str("\\\\\n");
                flow.line_start = true;
            }
            Inline::Var { name, .. } => self.text(&format!("{{{{ {name} }}}}"), flow, out),
            Inline::Abbr { text, title } => {
                self.abbreviations
                    .entry(text.clone())
                    .or_insert_with(|| title.clone());
                self.text(text, flow, out);
            }
        }
    }

    fn wrap(&mut self, mark: &str, children: &[Inline], flow: &mut Flow, out: &mut String) {
        let mut inner = String::new();
        let inner_flow = Flow {
            line_start: false,
            one_line: flow.one_line,
        };
        self.inlines(children, inner_flow, &mut inner);
        if inner.trim().is_empty() {
            out.push_str(&inner);
            return;
        }
        out.push_str(mark);
        out.push_str(&inner);
        out.push_str(mark);
        flow.line_start = false;
    }

    /// Struck or added text (change summaries): Govspeak has no mark for it, so it says so in
    /// words, as the HTML does to screen readers.
    fn marked(&mut self, key: &str, children: &[Inline], flow: &mut Flow, out: &mut String) {
        let what = self.labels.get(key).to_string();
        self.text(&format!("[{what}: "), flow, out);
        self.inlines(children, *flow, out);
        self.text("]", flow, out);
    }

    fn link(&mut self, link: &Link, flow: &mut Flow, out: &mut String) {
        let href = match &link.target {
            Target::Internal { chapter, anchor } => anchor
                .as_ref()
                .filter(|a| self.anchors.contains(*a))
                .or(Some(chapter).filter(|c| self.chapter_ids.contains(*c)))
                .map(|id| format!("#{id}")),
            Target::External(url) => {
                let lower = url.to_ascii_lowercase();
                ["https://", "http://", "mailto:"]
                    .iter()
                    .any(|s| lower.starts_with(s))
                    .then(|| escape::url(url))
            }
            // A file beside the pages, or an address not resolved: its text only.
            Target::Relative(_) | Target::Written(_) => None,
        };
        let Some(href) = href else {
            self.inlines(&link.children, *flow, out);
            flow.line_start = false;
            return;
        };
        let mut text = String::new();
        self.inlines(
            &link.children,
            Flow {
                line_start: false,
                one_line: true,
            },
            &mut text,
        );
        if text.trim().is_empty() {
            text = escape::text(href.trim_start_matches("mailto:"), false);
        }
        out.push('[');
        out.push_str(&text);
        out.push_str("](");
        out.push_str(&href);
        out.push(')');
        flow.line_start = false;
    }

    /// An image: an upload with its caption, placed as an `[Image: …]` line after the block.
    fn image(&mut self, image: &Image) {
        let key = (image.src.clone(), image.alt.clone());
        let index = match self.upload_of.get(&key) {
            Some(i) => *i,
            None => {
                let name = unique_name(&image.src, &self.uploads);
                self.uploads.push(Upload {
                    src: image.src.clone(),
                    name,
                    caption: image.alt.clone(),
                    pixels: None,
                });
                self.upload_of.insert(key, self.uploads.len() - 1);
                self.uploads.len() - 1
            }
        };
        self.pending.push(self.uploads[index].name.clone());
    }
}

const LINES: Flow = Flow {
    line_start: true,
    one_line: false,
};
const ONE_LINE: Flow = Flow {
    line_start: false,
    one_line: true,
};
const ONE_LINE_START: Flow = Flow {
    line_start: true,
    one_line: true,
};

/// Whether a one-paragraph callout can be a one-line `^` or `%` callout: no line break and
/// no image; a warning (a separate document) also no footnote and no acronym to expand.
fn fits_one_line(inlines: &[Inline], information: bool) -> bool {
    inlines.iter().all(|inline| match inline {
        Inline::HardBreak | Inline::Image(_) => false,
        Inline::FootnoteRef { .. } | Inline::Abbr { .. } => information,
        Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Inserted(c) => {
            fits_one_line(c, information)
        }
        Inline::Link(link) => fits_one_line(&link.children, information),
        _ => true,
    })
}

/// A list item or definition: its marker, its first line after the marker and the rest
/// indented to the item's content.
fn indent_item(marker: &str, body: &str) -> String {
    let width = (marker.len() + 1).max(4);
    let pad = " ".repeat(width);
    let mut out = String::new();
    for (i, line) in body.lines().enumerate() {
        if i == 0 {
            out.push_str(marker);
            out.push_str(&" ".repeat(width - marker.len()));
            out.push_str(line);
        } else {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad);
                out.push_str(line);
            }
        }
    }
    if body.is_empty() {
        out.push_str(marker);
    }
    out
}

/// A code block: fenced when every line is safe from Govspeak's pre-processing (which a code
/// block cannot escape); otherwise its lines as text, one per line, so the text survives.
fn code_block(code: &str) -> String {
    let lines: Vec<&str> = code.trim_end_matches('\n').lines().collect();
    let safe = lines.iter().all(|line| {
        let first = line.trim_start().chars().next();
        !escape::has_govspeak_pattern(line)
            && !line.chars().any(|c| escape::forbidden(c) || c == '\r')
            && !matches!(first, Some('^' | '%' | '$' | '[' | '>' | '!' | '{'))
    });
    if safe {
        let longest = lines
            .iter()
            .map(|l| l.split(|c| c != '~').map(str::len).max().unwrap_or(0))
            .max()
            .unwrap_or(0);
        let fence = "~".repeat(longest.max(2) + 1);
        return format!("{fence}\n{}\n{fence}", lines.join("\n"));
    }
    lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| escape::text(l, true))
        .collect::<Vec<_>>()
        .join("\\\\\n")
}

/// A file name for an upload: the image's own, in lower case letters, digits, `-`, `_` and
/// `.`, made unique among the pack's uploads (Whitehall needs each name once in an edition).
fn unique_name(src: &str, uploads: &[Upload]) -> String {
    let base: String = src
        .rsplit('/')
        .next()
        .unwrap_or(src)
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let base = base.trim_matches(['.', '-']).to_string();
    let base = if base.is_empty() {
        "image".to_string()
    } else {
        base
    };
    let (stem, ext) = match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem.to_string(), format!(".{ext}")),
        _ => (base.clone(), String::new()),
    };
    let taken = |name: &str| uploads.iter().any(|u| u.name == name);
    let mut name = base;
    let mut n = 2;
    while taken(&name) {
        name = format!("{stem}-{n}{ext}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_names_are_unique_and_plain() {
        let mut uploads = Vec::new();
        for src in [
            "content/a/Chart 1.PNG",
            "content/b/chart-1.png",
            "content/x/",
        ] {
            let name = unique_name(src, &uploads);
            uploads.push(Upload {
                src: src.into(),
                name,
                caption: String::new(),
                pixels: None,
            });
        }
        let names: Vec<&str> = uploads.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["chart-1.png", "chart-1-2.png", "image"]);
    }

    #[test]
    fn items_indent_their_later_lines() {
        assert_eq!(indent_item("*", "a\n\nb"), "*   a\n\n    b");
        assert_eq!(indent_item("10.", "a\nb"), "10. a\n    b");
    }

    #[test]
    fn code_that_govspeak_would_change_is_written_as_text() {
        assert_eq!(code_block("let x = 1;\n"), "~~~\nlet x = 1;\n~~~");
        assert_eq!(code_block("a\n~~~\nb"), "~~~~\na\n~~~\nb\n~~~~");
        assert_eq!(code_block("$CTA\nx"), "&#36;CTA\\\\\nx");
        assert_eq!(code_block("  s1. step"), "s1\\. step");
    }
}
