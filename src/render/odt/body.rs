//! The chapters as ODF text: headings with outline levels and bookmarks, paragraphs, lists,
//! tables with header rows, framed callouts and local text with their labels, roles and
//! terms; inlines, notes and pictures are in `inlines`.

mod inlines;

use std::collections::{BTreeMap, BTreeSet};

use super::Facts;
use super::xml::Xml;
use crate::diagnostic::Diagnostic;
use crate::doc::{Align, Block, Direction, Inline, Table, Target, plain_text};
use crate::resolve::{Pack, PackChapter};

/// A picture of the package: its path there and its size in pixels (`None`: the file is none
/// of the kinds a pack may show).
pub type Pictures = BTreeMap<String, Option<(String, f64, f64)>>;

/// What the body is made of.
pub struct Input<'a> {
    pub pack: &'a Pack,
    pub facts: &'a Facts,
    pub pictures: &'a Pictures,
    /// The statements on the back of the cover: each title with its blocks.
    pub statements: &'a [(&'a str, Vec<Block>)],
}

/// The contents lists chapters and the headings under them.
pub const CONTENTS_DEPTH: u8 = 2;

/// Every bookmark the document has (chapters, headings, roles, terms, numbered paragraphs),
/// and those a link points at.
fn anchors(pack: &Pack) -> (BTreeSet<String>, BTreeSet<String>) {
    fn walk(blocks: &[Block], out: &mut BTreeSet<String>) {
        for block in blocks {
            match block {
                Block::Heading(h) => {
                    out.insert(h.id.clone());
                }
                Block::Paragraph(p) => {
                    if let Some(n) = &p.number {
                        out.insert(paragraph_id(n));
                    }
                }
                Block::Entry(e) => {
                    if !e.id.is_empty() {
                        out.insert(e.id.clone());
                    }
                    walk(&e.blocks, out);
                }
                Block::Definitions(defs) => {
                    for d in defs {
                        out.extend(d.id.clone());
                        walk(&d.blocks, out);
                    }
                }
                Block::List(l) => l.items.iter().for_each(|i| walk(&i.blocks, out)),
                Block::Quote(b)
                | Block::Callout(_, b)
                | Block::Directed { blocks: b, .. }
                | Block::Local { blocks: b, .. }
                | Block::Labelled { blocks: b, .. }
                | Block::ForFormats { blocks: b, .. } => walk(b, out),
                _ => {}
            }
        }
    }
    let mut anchors = BTreeSet::new();
    let mut linked = BTreeSet::new();
    for chapter in &pack.chapters {
        anchors.insert(chapter.id.clone());
        walk(&chapter.blocks, &mut anchors);
        let mut links = |inlines: &[Inline]| {
            crate::doc::visit_links(inlines, &mut |link| {
                if let Target::Internal { chapter, anchor } = &link.target {
                    linked.insert(anchor.clone().unwrap_or_else(|| chapter.clone()));
                }
            })
        };
        crate::doc::visit_inlines(&chapter.blocks, &mut links);
        for (_, note) in &chapter.footnotes {
            crate::doc::visit_inlines(note, &mut links);
        }
    }
    (anchors, linked)
}

/// The bookmark of a numbered paragraph, as the HTML names it (`para-3-4`).
fn paragraph_id(number: &str) -> String {
    format!("para-{}", number.replace('.', "-"))
}

/// Writes blocks as ODF text.
pub struct Body<'a> {
    pub x: Xml,
    input: &'a Input<'a>,
    /// The Markdown file the blocks come from, for messages.
    file: String,
    chapter: String,
    footnotes: Vec<(u32, Vec<Block>)>,
    notes_done: BTreeSet<u32>,
    /// The level of the last heading, so that no level is skipped (as in the PDF).
    level: u8,
    in_link: bool,
    /// Inside a footnote, where ODF allows no other note.
    in_note: bool,
    /// The styles of the lists the text is in, outermost first (ODF allows no table in a list
    /// item: they are closed around one and opened again).
    lists: Vec<&'static str>,
    /// The paragraph style of a framed group (callout, local text, quote) being written.
    frame: Option<&'static str>,
    /// Text that goes at the start of the next paragraph (a task's box).
    prefix: Option<&'static str>,
    anchors: BTreeSet<String>,
    linked: BTreeSet<String>,
    bookmarked: BTreeSet<String>,
    tables: usize,
    frames: usize,
    /// The contents: level, bookmark and text of each chapter and heading listed.
    pub contents: Vec<(u8, String, String)>,
    pub errors: Vec<Diagnostic>,
    unreadable: BTreeSet<String>,
    /// The direction of the block being written, when it has one of its own (`{dir=…}`, a
    /// heading's `dir=`, a chapter's `language:`).
    dir: Option<Direction>,
    /// Each direction with the styles used in it (`Text_20_body`, `Tbl`): `content` writes a
    /// style of that direction for each, named as [`directed_style`] names it.
    pub directed: BTreeSet<(&'static str, String)>,
}

/// The name of `style` in the direction `dir` (`rtl`): `RTL_Text_20_body`.
pub fn directed_style(dir: &str, style: &str) -> String {
    format!("{}_{style}", dir.to_uppercase())
}

impl<'a> Body<'a> {
    pub fn new(input: &'a Input<'a>) -> Self {
        let (anchors, linked) = anchors(input.pack);
        Body {
            x: Xml::fragment(),
            input,
            file: String::new(),
            chapter: String::new(),
            footnotes: Vec::new(),
            notes_done: BTreeSet::new(),
            level: 1,
            in_link: false,
            in_note: false,
            lists: Vec::new(),
            frame: None,
            prefix: None,
            anchors,
            linked,
            bookmarked: BTreeSet::new(),
            tables: 0,
            frames: 0,
            contents: Vec::new(),
            errors: Vec::new(),
            unreadable: BTreeSet::new(),
            dir: None,
            directed: BTreeSet::new(),
        }
    }

    pub fn chapter(&mut self, chapter: &PackChapter) {
        self.file = chapter.file.clone().unwrap_or_default();
        self.chapter = chapter.id.clone();
        self.footnotes = chapter.footnotes.clone();
        self.notes_done.clear();
        // A chapter in a language of another direction than the pack's is set in it.
        let pack_dir = crate::model::direction(&self.input.facts.language_tag);
        self.dir = (chapter.language.as_deref())
            .map(crate::model::direction)
            .filter(|dir| *dir != pack_dir)
            .and_then(Direction::from_word);
        let text = [chapter.number.as_str(), chapter.title.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        self.open_heading(1, &chapter.id, true, &text);
        self.x.spaced_text(&text);
        self.x.end();
        self.level = 1;
        if let Some(summary) = &chapter.summary {
            let style = self.directed("Chapter_20_Summary");
            self.x.start("text:p").attr("text:style-name", &style);
            self.x.spaced_text(summary);
            self.x.end();
        }
        self.blocks(&chapter.blocks);
        self.dir = None;
    }

    /// `style`, or its variant in the direction of the block being written.
    fn directed(&mut self, style: &str) -> String {
        match self.dir {
            Some(dir) => {
                self.directed.insert((dir.as_str(), style.to_string()));
                directed_style(dir.as_str(), style)
            }
            None => style.to_string(),
        }
    }

    /// Opens `text:h` with its outline level and bookmark, and lists it in the contents.
    fn open_heading(&mut self, level: u8, id: &str, outlined: bool, text: &str) {
        let style = self.directed(&format!("Heading_20_{level}"));
        self.x
            .start("text:h")
            .attr("text:style-name", &style)
            .attr("text:outline-level", &level.to_string());
        if !id.is_empty() && self.bookmarked.insert(id.to_string()) {
            self.x.empty("text:bookmark", &[("text:name", id)]);
            if outlined && level <= CONTENTS_DEPTH {
                self.contents
                    .push((level, id.to_string(), text.to_string()));
            }
        }
    }

    fn heading_level(&mut self, wanted: u8) -> u8 {
        let level = wanted.clamp(2, 6).min(self.level + 1);
        self.level = level;
        level
    }

    /// Opens a paragraph in `style`, or in the frame's style inside a framed group.
    fn open_para(&mut self, style: &str) {
        let style = self.directed(self.frame.unwrap_or(style));
        self.x.start("text:p").attr("text:style-name", &style);
        if let Some(prefix) = self.prefix.take() {
            self.x.text(prefix);
        }
    }

    fn para(&mut self, style: &str, inlines: &[Inline]) {
        self.open_para(style);
        self.inlines(inlines);
        self.x.end();
    }

    pub fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    /// Blocks in a framed group: a label paragraph, then the blocks in the frame's style.
    fn framed(&mut self, frame: &'static str, label: Option<(&str, &str)>, blocks: &[Block]) {
        if let Some((label_style, label)) = label {
            self.open_para(label_style);
            self.x.spaced_text(label);
            self.x.end();
        }
        let outer = self.frame.replace(frame);
        self.blocks(blocks);
        self.frame = outer;
    }

    fn block(&mut self, block: &Block) {
        match block {
            // A heading with no text says nothing to a reader (as in the PDF).
            Block::Heading(h) if plain_text(&h.inlines).trim().is_empty() => {}
            Block::Heading(h) => {
                let level = self.heading_level(h.level);
                let mut text = h.number.clone().map(|n| n + " ").unwrap_or_default();
                text.push_str(&plain_text(&h.inlines));
                let outer = self.dir;
                self.dir = h.dir().or(outer);
                self.open_heading(level, &h.id, true, &text);
                self.dir = outer;
                if let Some(number) = &h.number {
                    self.x.text(number).text(" ");
                }
                self.inlines(&h.inlines);
                self.x.end();
            }
            Block::Paragraph(p) => {
                if let [Inline::Image(image)] = p.inlines.as_slice()
                    && self.picture(image).is_some()
                {
                    self.figure(image);
                    return;
                }
                match &p.number {
                    Some(number) => {
                        self.open_para("Numbered_20_Paragraph");
                        self.bookmark(&paragraph_id(number));
                        self.x.text(number);
                        if self.frame.is_none() {
                            self.x.empty("text:tab", &[]);
                        } else {
                            self.x.text(" ");
                        }
                        self.inlines(&p.inlines);
                        self.x.end();
                    }
                    None => self.para("Text_20_body", &p.inlines),
                }
            }
            Block::Note(inlines) => {
                self.open_para("Note");
                self.x.element(
                    "text:span",
                    &[("text:style-name", "Strong_20_Emphasis")],
                    self.input.facts.labels.get("note_colon"),
                );
                self.x.text(" ");
                self.inlines(inlines);
                self.x.end();
            }
            Block::List(list) => {
                let tasks = list.items.iter().any(|i| i.task.is_some());
                let style = match list.start {
                    Some(_) if !tasks => "Numbering_20_123",
                    _ => "List_20_Bullet",
                };
                self.x.start("text:list").attr("text:style-name", style);
                self.lists.push(style);
                for (i, item) in list.items.iter().enumerate() {
                    self.x.start("text:list-item");
                    if let (0, Some(start), false) = (i, list.start, tasks)
                        && start != 1
                    {
                        self.x.attr("text:start-value", &start.to_string());
                    }
                    self.prefix = item.task.map(|done| if done { "☑ " } else { "☐ " });
                    self.blocks(&item.blocks);
                    if item.blocks.is_empty() || self.prefix.is_some() {
                        self.open_para("Text_20_body");
                        self.x.end();
                    }
                    self.x.end();
                }
                self.lists.pop();
                self.x.end();
            }
            Block::Quote(blocks) => self.framed("Quotations", None, blocks),
            Block::Directed { dir, blocks } => {
                let outer = self.dir.replace(*dir);
                self.blocks(blocks);
                self.dir = outer;
            }
            Block::Callout(kind, blocks) => {
                let key = format!("callout_{}", kind.class());
                let label = self.input.facts.labels.get_or(&key, kind.label());
                self.framed("Callout", Some(("Callout_20_Label", label)), blocks)
            }
            Block::Code { text, .. } => {
                self.open_para("Preformatted_20_Text");
                for (i, line) in text.trim_end_matches('\n').split('\n').enumerate() {
                    if i > 0 {
                        self.x.empty("text:line-break", &[]);
                    }
                    self.x.code_text(line.trim_end_matches('\r'));
                }
                self.x.end();
            }
            Block::Table(table) if !self.lists.is_empty() => self.table_in_list(table),
            Block::Table(table) => self.table(table),
            Block::Rule => {
                self.open_para("Horizontal_20_Line");
                self.x.end();
            }
            Block::Definitions(defs) => {
                for d in defs {
                    self.open_para("List_20_Heading");
                    if let Some(id) = &d.id {
                        self.bookmark(id);
                    }
                    self.inlines(&d.term);
                    self.x.end();
                    self.framed("List_20_Contents", None, &d.blocks);
                }
            }
            // The caption and the lines of accountability as text.
            Block::Diagram(d) => self.blocks(&d.as_text()),
            Block::Entry(entry) => {
                if entry.id.is_empty() {
                    self.para("Role_20_Name", &entry.title);
                } else {
                    // Directory entries are headings, kept out of the contents (as in the PDF).
                    let level = self.heading_level(2);
                    self.open_heading(level, &entry.id, false, "");
                    self.inlines(&entry.title);
                    self.x.end();
                }
                self.open_para("Role_20_Kind");
                self.x.spaced_text(&entry.kind);
                self.x.end();
                self.blocks(&entry.blocks);
            }
            // `Pack::for_format` has unwrapped what the ODT shows and dropped the rest.
            Block::ForFormats { .. } => {}
            Block::Labelled { label, blocks } => {
                self.framed("Labelled", Some(("Labelled_20_Label", label)), blocks)
            }
            // In the reviewer's copy, the labelled region around local text says whose it is.
            Block::Local { area, file, blocks } if area.is_empty() => {
                let outer = std::mem::replace(&mut self.file, file.clone());
                self.blocks(blocks);
                self.file = outer;
            }
            Block::Local { area, file, blocks } => {
                let outer = std::mem::replace(&mut self.file, file.clone());
                let label = (self.input.facts.labels).fill("local_text", &[("area", area)]);
                self.framed(
                    "Local_20_Text",
                    Some(("Local_20_Text_20_Label", &label)),
                    blocks,
                );
                self.file = outer;
            }
        }
    }

    /// A bookmark where a link points.
    fn bookmark(&mut self, id: &str) {
        if self.linked.contains(id) && self.bookmarked.insert(id.to_string()) {
            self.x.empty("text:bookmark", &[("text:name", id)]);
        }
    }

    fn table(&mut self, table: &Table) {
        let columns = columns(table);
        if !table.caption.is_empty() {
            self.para("Caption", &table.caption);
        }
        self.tables += 1;
        let name =
            (self.input.facts.labels).fill("odt_table_name", &[("n", &self.tables.to_string())]);
        let style = self.directed("Tbl");
        self.x
            .start("table:table")
            .attr("table:name", &name)
            .attr("table:style-name", &style);
        self.x.start("table:table-column");
        if columns > 1 {
            self.x
                .attr("table:number-columns-repeated", &columns.to_string());
        }
        self.x.end();
        if !table.head.is_empty() {
            self.x.start("table:table-header-rows");
            self.row(table, &table.head, columns, true);
            self.x.end();
        }
        for row in &table.rows {
            self.row(table, row, columns, false);
        }
        self.x.end();
    }

    fn row(&mut self, table: &Table, cells: &[Vec<Inline>], columns: usize, head: bool) {
        self.x.start("table:table-row");
        for i in 0..columns {
            let heads = head || (i == 0 && table.row_headers);
            let align = table.aligns.get(i).copied().unwrap_or(Align::None);
            let style = match (heads, align) {
                (true, Align::Center) => "TH_C",
                (true, Align::Right) => "TH_R",
                (true, _) => "Table_20_Heading",
                (false, Align::Center) => "TC_C",
                (false, Align::Right) => "TC_R",
                (false, _) => "Table_20_Contents",
            };
            // The aligned cells' styles are automatic ones, which take no direction of their own.
            let style = match style {
                "Table_20_Heading" | "Table_20_Contents" => self.directed(style),
                aligned => aligned.to_string(),
            };
            self.x
                .start("table:table-cell")
                .attr("table:style-name", if head { "TblHead" } else { "TblCell" })
                .attr("office:value-type", "string");
            self.x.start("text:p").attr("text:style-name", &style);
            if let Some(cell) = cells.get(i) {
                self.inlines(cell);
            }
            self.x.end();
            self.x.end();
        }
        self.x.end();
    }

    /// A table in a list item, where ODF allows none: the open lists are closed before it and
    /// opened again after it, numbering on, the item going on without a second label
    /// (`text:list-header`), as office suites write it themselves.
    fn table_in_list(&mut self, table: &Table) {
        let lists = std::mem::take(&mut self.lists);
        for _ in &lists {
            self.x.end(); // the item
            self.x.end(); // its list
        }
        self.table(table);
        for style in &lists {
            self.x
                .start("text:list")
                .attr("text:style-name", style)
                .attr("text:continue-numbering", "true");
            self.x.start("text:list-header");
        }
        self.lists = lists;
    }
}

/// How many columns a table has: its widest row.
fn columns(table: &Table) -> usize {
    table
        .head
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1)
}
