//! `content.xml`: the cover with the pack's facts, the statements on the back of the cover, the
//! contents (entries written here, linked to the headings' bookmarks), and every chapter as
//! ODF text: headings with outline levels, tables with header rows, lists, footnotes as notes,
//! framed callouts and local text with their labels, links, and pictures with their alt text.

use std::collections::{BTreeMap, BTreeSet};

use super::Facts;
use super::styles::{NAMESPACES, font_faces, open, style};
use super::xml::Xml;
use crate::diagnostic::{Diagnostic, Pos};
use crate::doc::{Align, Block, Image, Inline, Table, Target, plain_text};
use crate::links::is_safe_href;
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
    pub statements: &'a [(&'static str, Vec<Block>)],
}

/// The contents lists chapters and the headings under them.
const CONTENTS_DEPTH: u8 = 2;

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
    automatic_styles(&mut x, input.facts);
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
    contents(&mut x, &body.contents, first);
    x.raw(body.x);
    Ok(x.finish())
}

/// The styles of this document's own parts: the pages the cover and its back start, the
/// tables' frames and the pictures' anchoring.
fn automatic_styles(x: &mut Xml, facts: &Facts) {
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
    open(
        x,
        "style:style",
        &[("style:name", "Tbl"), ("style:family", "table")],
    );
    let width = format!("{:.2}cm", facts.text_width);
    x.empty(
        "style:table-properties",
        &[
            ("style:width", &width),
            ("table:align", "margins"),
            ("fo:margin-top", "0.1cm"),
            ("fo:margin-bottom", "0.4cm"),
        ],
    );
    x.end();
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
    p(x, "Cover_Start", &facts.publisher);
    for (mark, explanation) in &facts.cover_marks {
        p(x, "Cover_20_Mark", mark);
        if !explanation.is_empty() {
            p(x, "Cover_20_Text", explanation);
        }
    }
    p(x, "Title", &facts.title);
    if let Some(subtitle) = &facts.subtitle {
        p(x, "Subtitle", subtitle);
    }
    p(x, "Cover_20_Audience", &format!("For: {}", facts.audience));
    if !facts.audience_description.is_empty() {
        p(x, "Cover_20_Text", &facts.audience_description);
    }
    if let Some(area) = &facts.area {
        p(x, "Cover_20_Audience", &format!("Area: {area}"));
    }
    p(
        x,
        "Cover_Facts_First",
        &format!("Version: {}", facts.version_shown),
    );
    p(
        x,
        "Cover_20_Facts",
        &format!("Published: {}", facts.date_display),
    );
    p(
        x,
        "Cover_20_Facts",
        &format!("Publisher: {}", facts.publisher),
    );
}

/// The contents: an ODF table of contents whose entries are written here (an office suite
/// shows them as they are until someone updates the index), each a link to its heading.
fn contents(x: &mut Xml, entries: &[(u8, String, String)], new_page: bool) {
    let depth = CONTENTS_DEPTH.to_string();
    open(
        x,
        "text:table-of-content",
        &[("text:name", "Contents"), ("text:protected", "false")],
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
        "Contents",
    );
    for level in 1..=CONTENTS_DEPTH {
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
    x.element("text:p", &[("text:style-name", style)], "Contents");
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
struct Body<'a> {
    x: Xml,
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
    contents: Vec<(u8, String, String)>,
    errors: Vec<Diagnostic>,
    unreadable: BTreeSet<String>,
}

impl<'a> Body<'a> {
    fn new(input: &'a Input<'a>) -> Self {
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
        }
    }

    fn chapter(&mut self, chapter: &PackChapter) {
        self.file = chapter.file.clone().unwrap_or_default();
        self.chapter = chapter.id.clone();
        self.footnotes = chapter.footnotes.clone();
        self.notes_done.clear();
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
            self.x
                .start("text:p")
                .attr("text:style-name", "Chapter_20_Summary");
            self.x.spaced_text(summary);
            self.x.end();
        }
        self.blocks(&chapter.blocks);
    }

    /// Opens `text:h` with its outline level and bookmark, and lists it in the contents.
    fn open_heading(&mut self, level: u8, id: &str, outlined: bool, text: &str) {
        let style = format!("Heading_20_{level}");
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
        let style = self.frame.unwrap_or(style);
        self.x.start("text:p").attr("text:style-name", style);
        if let Some(prefix) = self.prefix.take() {
            self.x.text(prefix);
        }
    }

    fn para(&mut self, style: &str, inlines: &[Inline]) {
        self.open_para(style);
        self.inlines(inlines);
        self.x.end();
    }

    fn blocks(&mut self, blocks: &[Block]) {
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
                self.open_heading(level, &h.id, true, &text);
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
                    "Note:",
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
            Block::Callout(kind, blocks) => {
                self.framed("Callout", Some(("Callout_20_Label", kind.label())), blocks)
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
                let label = format!("Local text: {area}");
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
        let name = format!("Table{}", self.tables);
        self.x
            .start("table:table")
            .attr("table:name", &name)
            .attr("table:style-name", "Tbl");
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
            self.x
                .start("table:table-cell")
                .attr("table:style-name", if head { "TblHead" } else { "TblCell" })
                .attr("office:value-type", "string");
            self.x.start("text:p").attr("text:style-name", style);
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

    /// The package path and pixel size of an image, or `None` when it has none (a file that
    /// is missing, which `check` reports, or one that is no image, reported here).
    fn picture(&mut self, image: &Image) -> Option<(String, f64, f64)> {
        match self.input.pictures.get(&image.src) {
            Some(Some(found)) => Some(found.clone()),
            Some(None) => {
                if self.unreadable.insert(image.src.clone()) {
                    self.errors.push(unreadable(
                        &image.src,
                        &self.file,
                        image.pos,
                        self.input.pack,
                    ));
                }
                None
            }
            None => None,
        }
    }

    /// An image alone in its paragraph: as wide as it is (at 96 pixels to the inch), at most
    /// the text's width, with its title as a caption below.
    fn figure(&mut self, image: &Image) {
        let Some((path, w, h)) = self.picture(image) else {
            return;
        };
        let width_cm = (w * 2.54 / 96.0).min(self.input.facts.text_width);
        self.open_para("Image");
        self.frame_element(image, &path, width_cm, width_cm * h / w);
        self.x.end();
        if !image.title.is_empty() {
            self.open_para("Figure_20_Caption");
            self.x.spaced_text(&image.title);
            self.x.end();
        }
    }

    /// `draw:frame` with the picture, its title and its alt text (`svg:title` and `svg:desc`
    /// after `draw:image`, as ODF orders them).
    fn frame_element(&mut self, image: &Image, path: &str, width_cm: f64, height_cm: f64) {
        self.frames += 1;
        let name = format!("Image {}", self.frames);
        self.x
            .start("draw:frame")
            .attr("draw:style-name", "fr1")
            .attr("draw:name", &name)
            .attr("text:anchor-type", "as-char")
            .attr("svg:width", &format!("{width_cm:.3}cm"))
            .attr("svg:height", &format!("{height_cm:.3}cm"))
            .attr("draw:z-index", "0");
        self.x.empty(
            "draw:image",
            &[
                ("xlink:href", path),
                ("xlink:type", "simple"),
                ("xlink:show", "embed"),
                ("xlink:actuate", "onLoad"),
            ],
        );
        let title = if image.title.is_empty() {
            &image.alt
        } else {
            &image.title
        };
        self.x.element("svg:title", &[], title);
        self.x.element("svg:desc", &[], &image.alt);
        self.x.end();
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn span(&mut self, style: &str, children: &[Inline]) {
        self.x.start("text:span").attr("text:style-name", style);
        self.inlines(children);
        self.x.end();
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text) => {
                self.x.spaced_text(text);
            }
            Inline::Code(code) => {
                self.x
                    .start("text:span")
                    .attr("text:style-name", "Source_20_Text");
                self.x.code_text(code);
                self.x.end();
            }
            Inline::Raw(raw) => {
                self.x.spaced_text(raw);
            }
            Inline::Emph(c) => self.span("Emphasis", c),
            Inline::Strong(c) => self.span("Strong_20_Emphasis", c),
            Inline::Strike(c) => self.span("Deleted_20_Text", c),
            Inline::Inserted(c) => self.span("Inserted_20_Text", c),
            Inline::Link(link) => {
                let href = match &link.target {
                    Target::External(url) if is_safe_href(url) => Some(url.clone()),
                    Target::Internal { chapter, anchor } => {
                        let id = anchor.as_deref().unwrap_or(chapter);
                        self.anchors.contains(id).then(|| format!("#{id}"))
                    }
                    _ => None,
                };
                match href {
                    Some(href) if !self.in_link => {
                        self.x
                            .start("text:a")
                            .attr("xlink:type", "simple")
                            .attr("xlink:href", &href);
                        let title = plain_text(&link.title);
                        if !title.is_empty() {
                            self.x.attr("office:title", &title);
                        }
                        self.x
                            .attr("text:style-name", "Internet_20_link")
                            .attr("text:visited-style-name", "Visited_20_Internet_20_Link");
                        self.in_link = true;
                        self.inlines(&link.children);
                        self.in_link = false;
                        self.x.end();
                    }
                    _ => self.inlines(&link.children),
                }
            }
            Inline::Image(image) => match self.picture(image) {
                Some((path, w, h)) => {
                    let height_cm = 0.45;
                    self.frame_element(image, &path, height_cm * w / h, height_cm);
                }
                None => {
                    self.x.spaced_text(&image.alt);
                }
            },
            Inline::FootnoteRef { label, number, .. } => self.footnote(label, *number),
            Inline::SoftBreak => {
                self.x.text(" ");
            }
            Inline::HardBreak => {
                self.x.empty("text:line-break", &[]);
            }
            Inline::Var { name, .. } => {
                self.x.spaced_text(&format!("{{{{ {name} }}}}"));
            }
            Inline::Abbr { text, title } => {
                self.x.spaced_text(&format!("{text} ({title})"));
            }
        }
    }

    /// A footnote: the note itself at its first reference (marked with the pack's number),
    /// a reference to it at the others; inside a note, where ODF allows no note, the number.
    fn footnote(&mut self, label: &str, number: u32) {
        let id = format!("ftn-{}-{number}", self.chapter);
        let n = number.to_string();
        if number == 0 {
            self.x.text(&format!("[^{label}]"));
        } else if self.in_note {
            self.x.element(
                "text:span",
                &[("text:style-name", "Footnote_20_anchor")],
                &n,
            );
        } else if self.notes_done.insert(number) {
            let body = self
                .footnotes
                .binary_search_by_key(&number, |(n, _)| *n)
                .map(|at| self.footnotes[at].1.clone())
                .unwrap_or_default();
            self.x
                .start("text:note")
                .attr("text:id", &id)
                .attr("text:note-class", "footnote");
            self.x
                .element("text:note-citation", &[("text:label", &n)], &n);
            self.x.start("text:note-body");
            let outer = (
                std::mem::replace(&mut self.in_note, true),
                self.frame.take(),
                std::mem::take(&mut self.lists),
                std::mem::replace(&mut self.in_link, false),
                self.prefix.take(),
            );
            if body.is_empty() {
                self.open_para("Footnote");
                self.x.end();
            }
            self.note_blocks(&body);
            (
                self.in_note,
                self.frame,
                self.lists,
                self.in_link,
                self.prefix,
            ) = outer;
            self.x.end();
            self.x.end();
        } else {
            self.x
                .start("text:note-ref")
                .attr("text:note-class", "footnote")
                .attr("text:reference-format", "text")
                .attr("text:ref-name", &id);
            self.x.text(&n);
            self.x.end();
        }
    }

    /// A footnote's blocks: its paragraphs in the footnote style.
    fn note_blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Paragraph(p) if p.number.is_none() => self.para("Footnote", &p.inlines),
                other => self.block(other),
            }
        }
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

/// The error for an image file that is no image a pack may show.
fn unreadable(src: &str, file: &str, pos: Pos, pack: &Pack) -> Diagnostic {
    let diagnostic = Diagnostic::error(format!(
        "the image `{src}` cannot be put in the ODT for {}: it is not a PNG, JPEG, GIF, WebP or SVG file",
        pack.label()
    ));
    let diagnostic = if file.is_empty() {
        diagnostic.in_file(src)
    } else {
        diagnostic.at(file, pos)
    };
    diagnostic
        .help("check that the image is a PNG, JPEG, GIF or SVG file that opens in other programs")
}
