//! The document tree as HTML: semantic, accessible markup with the classes of the built-in
//! stylesheet. All text is escaped; nothing from the content reaches the page as markup.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt::Write as _;

use crate::doc::{Align, Block, Inline, Target, plain_text};
use crate::links::is_safe_href;

/// The names of the table regions already on one page. Each table's scrollable region is a
/// landmark, and no two landmarks of a page may have the same name (axe's `landmark-unique`): a
/// table is named by its caption, or "Table N: <section heading>" without one (N counts the
/// tables of the page); a caption that an earlier table of the page already has gets " (table N)".
/// `all.html` shares one of these between the chapters on it.
#[derive(Default)]
pub struct TableNames {
    count: Cell<usize>,
    used: RefCell<HashSet<String>>,
    /// The labelled regions of the page so far (the reviewer's copy), for their labels' ids.
    labelled: Cell<usize>,
    /// The words the page's blocks are written with ("Table 3", "Note", "[removed: ").
    labels: crate::labels::Labels,
}

impl TableNames {
    /// The names of a page in the pack whose words are `labels`.
    pub fn new(labels: &crate::labels::Labels) -> Self {
        TableNames {
            labels: labels.clone(),
            ..Default::default()
        }
    }

    /// The id of the next labelled region's label: `gp-label-1`, `gp-label-2` … on the page.
    fn label_id(&self) -> String {
        let n = self.labelled.get() + 1;
        self.labelled.set(n);
        format!("gp-label-{n}")
    }

    fn name(&self, caption: &str, section: &str) -> String {
        let n = self.count.get() + 1;
        self.count.set(n);
        let mut name = match (caption, section) {
            ("", "") => self.labels.fill("table_n", &[("n", &n.to_string())]),
            ("", section) => (self.labels).fill(
                "table_n_section",
                &[("n", &n.to_string()), ("section", section)],
            ),
            (caption, _) => caption.to_string(),
        };
        let mut used = self.used.borrow_mut();
        if used.contains(&name) {
            let which = self.labels.fill("table_n_again", &[("n", &n.to_string())]);
            name = format!("{name} ({which})");
        }
        used.insert(name.clone());
        name
    }
}

/// How one page shows a chapter's blocks.
pub struct HtmlPage<'a> {
    /// The chapter being rendered.
    chapter: &'a str,
    /// True on `all.html`, where every chapter is on the page and links stay on it.
    one_page: bool,
    /// Added to every heading level (on `all.html` chapter titles are `h2`).
    heading_shift: u8,
    /// The table names of the page.
    tables: &'a TableNames,
    /// The text of the heading the blocks being rendered are under (at first the chapter's
    /// title), which names a table without a caption.
    section: RefCell<String>,
}

impl<'a> HtmlPage<'a> {
    /// A page (or, on `all.html`, a part of one) showing a chapter.
    pub fn new(
        chapter: &'a str,
        title: &str,
        one_page: bool,
        heading_shift: u8,
        tables: &'a TableNames,
    ) -> Self {
        HtmlPage {
            chapter,
            one_page,
            heading_shift,
            tables,
            section: RefCell::new(title.to_string()),
        }
    }

    /// The `href` of a link target; empty (the link is left out, its text kept) for anything
    /// that is not a safe target, however it got here.
    pub fn href(&self, target: &Target) -> String {
        let href = match target {
            Target::Internal { chapter, anchor } => match (self.one_page, anchor) {
                (true, Some(anchor)) => format!("#{anchor}"),
                (true, None) => format!("#{chapter}"),
                (false, Some(anchor)) if chapter == self.chapter => format!("#{anchor}"),
                (false, Some(anchor)) => format!("{chapter}.html#{anchor}"),
                (false, None) => format!("{chapter}.html"),
            },
            Target::External(url) | Target::Relative(url) | Target::Written(url) => url.clone(),
        };
        if is_safe_href(&href) {
            href
        } else {
            String::new()
        }
    }

    /// Renders blocks.
    pub fn blocks(&self, blocks: &[Block]) -> String {
        let mut out = String::new();
        for block in blocks {
            self.block(block, &mut out);
        }
        out
    }

    /// Renders a chapter's footnotes as a "Notes" section (empty when there are none).
    pub fn footnotes(&self, footnotes: &[(u32, Vec<Block>)]) -> String {
        if footnotes.is_empty() {
            return String::new();
        }
        let level = (2 + self.heading_shift).min(6);
        let id = format!("notes-{}", self.chapter);
        let labels = &self.tables.labels;
        let title = escape(labels.get("footnotes_title"));
        let mut out = format!(
            "<section class=\"gp-footnotes\" aria-labelledby=\"{id}\">\n<h{level} id=\"{id}\">{title}</h{level}>\n<ol>\n"
        );
        for (number, blocks) in footnotes {
            let fid = format!("fn-{}-{number}", self.chapter);
            let _ = write!(out, "<li id=\"{fid}\" value=\"{number}\">");
            let body = self.blocks(blocks);
            let back = format!(
                " <a class=\"gp-fnback\" href=\"#fnref-{}-{number}\">{}</a>",
                self.chapter,
                escape(&labels.fill("footnote_back", &[("number", &number.to_string())]))
            );
            // Put the back link inside the last paragraph when there is one.
            match body.rfind("</p>") {
                Some(at) => {
                    out.push_str(&body[..at]);
                    out.push_str(&back);
                    out.push_str(&body[at..]);
                }
                None => {
                    out.push_str(&body);
                    out.push_str(&back);
                }
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</section>\n");
        out
    }

    fn block(&self, block: &Block, out: &mut String) {
        match block {
            Block::Heading(h) => {
                let level = (h.level.max(2) + self.heading_shift).min(6);
                *self.section.borrow_mut() = plain_text(&h.inlines);
                let dir = h
                    .dir()
                    .map_or(String::new(), |d| format!(" dir=\"{}\"", d.as_str()));
                let _ = write!(out, "<h{level} id=\"{}\"{dir}>", escape(&h.id));
                if let Some(number) = &h.number {
                    let _ = write!(out, "<span class=\"gp-num\">{}</span> ", escape(number));
                }
                self.inlines(&h.inlines, out);
                let _ = writeln!(out, "</h{level}>");
            }
            Block::Paragraph(p) => {
                match &p.number {
                    Some(number) => {
                        let _ = write!(
                            out,
                            "<p class=\"gp-para\" id=\"para-{}\"><span class=\"gp-para-num\">{}</span> ",
                            number.replace('.', "-"),
                            escape(number)
                        );
                    }
                    None => out.push_str("<p>"),
                }
                self.inlines(&p.inlines, out);
                out.push_str("</p>\n");
            }
            Block::Note(inlines) => {
                out.push_str("<p class=\"gp-note\">");
                self.inlines(inlines, out);
                out.push_str("</p>\n");
            }
            Block::List(list) => {
                let tasks = list.items.iter().any(|i| i.task.is_some());
                match (list.start, tasks) {
                    (_, true) => out.push_str("<ul class=\"gp-tasks\">\n"),
                    (Some(1), false) => out.push_str("<ol>\n"),
                    (Some(n), false) => {
                        let _ = writeln!(out, "<ol start=\"{n}\">");
                    }
                    (None, false) => out.push_str("<ul>\n"),
                }
                let labels = &self.tables.labels;
                for item in &list.items {
                    match item.task {
                        Some(true) => {
                            let _ = write!(
                                out,
                                "<li class=\"gp-task gp-task--done\"><span class=\"gp-task__mark\" aria-hidden=\"true\">✓</span><span class=\"gp-visually-hidden\">{}: </span>",
                                escape(labels.get("task_done"))
                            );
                        }
                        Some(false) => {
                            let _ = write!(
                                out,
                                "<li class=\"gp-task gp-task--todo\"><span class=\"gp-task__mark\" aria-hidden=\"true\"></span><span class=\"gp-visually-hidden\">{}: </span>",
                                escape(labels.get("task_todo"))
                            );
                        }
                        None => out.push_str("<li>"),
                    }
                    // A tight item's single paragraph reads better without <p>.
                    match item.blocks.as_slice() {
                        [Block::Paragraph(p)] if p.number.is_none() => {
                            self.inlines(&p.inlines, out)
                        }
                        blocks => out.push_str(&self.blocks(blocks)),
                    }
                    out.push_str("</li>\n");
                }
                out.push_str(if list.start.is_some() && !tasks {
                    "</ol>\n"
                } else {
                    "</ul>\n"
                });
            }
            Block::Quote(blocks) => {
                out.push_str("<blockquote class=\"gp-quote\">\n");
                out.push_str(&self.blocks(blocks));
                out.push_str("</blockquote>\n");
            }
            Block::Callout(kind, blocks) => {
                let _ = writeln!(
                    out,
                    "<div class=\"gp-callout gp-callout--{}\" role=\"note\">\n<p class=\"gp-callout__title\">{}</p>",
                    kind.class(),
                    escape(
                        self.tables
                            .labels
                            .get_or(&format!("callout_{}", kind.class()), kind.label())
                    )
                );
                out.push_str(&self.blocks(blocks));
                out.push_str("</div>\n");
            }
            Block::Code { lang, text } => {
                match lang {
                    Some(lang) => {
                        let _ = write!(
                            out,
                            "<pre class=\"gp-code\"><code data-lang=\"{}\">",
                            escape(lang)
                        );
                    }
                    None => out.push_str("<pre class=\"gp-code\"><code>"),
                }
                out.push_str(&escape(text));
                out.push_str("</code></pre>\n");
            }
            Block::Table(table) => self.table(table, out),
            Block::Directed { dir, blocks } => out.push_str(&with_dir(&self.blocks(blocks), *dir)),
            Block::Diagram(diagram) => self.diagram(diagram, out),
            Block::Labelled { label, blocks } => self.labelled(label, blocks, out),
            Block::Rule => out.push_str("<hr class=\"gp-rule\">\n"),
            Block::Definitions(defs) => {
                out.push_str("<dl class=\"gp-roles\">\n");
                for d in defs {
                    match &d.id {
                        Some(id) => {
                            let _ = write!(out, "<dt id=\"{}\">", escape(id));
                        }
                        None => out.push_str("<dt>"),
                    }
                    self.inlines(&d.term, out);
                    out.push_str("</dt>\n<dd>\n");
                    out.push_str(&self.blocks(&d.blocks));
                    out.push_str("</dd>\n");
                }
                out.push_str("</dl>\n");
            }
            Block::Entry(entry) => {
                if entry.id.is_empty() {
                    out.push_str("<div class=\"gp-role\">\n<p class=\"gp-role__name\">");
                    self.inlines(&entry.title, out);
                    out.push_str("</p>\n");
                } else {
                    let level = (2 + self.heading_shift).min(6);
                    let _ = write!(
                        out,
                        "<div class=\"gp-role\" id=\"{}\">\n<h{level} class=\"gp-role__name\">",
                        escape(&entry.id)
                    );
                    self.inlines(&entry.title, out);
                    let _ = writeln!(out, "</h{level}>");
                }
                let _ = writeln!(
                    out,
                    "<p class=\"gp-role__kind\">{}</p>",
                    escape(&entry.kind)
                );
                out.push_str(&self.blocks(&entry.blocks));
                out.push_str("</div>\n");
            }
            // `Pack::for_format` has unwrapped what the HTML shows and dropped the rest.
            Block::ForFormats { .. } => {}
            // In the reviewer's copy, the labelled region around local text says whose it is.
            Block::Local { area, blocks, .. } if area.is_empty() => {
                out.push_str(&self.blocks(blocks));
            }
            Block::Local { area, blocks, .. } => {
                let label = self.tables.labels.fill("local_text", &[("area", area)]);
                let _ = writeln!(
                    out,
                    "<div class=\"gp-local\" data-area=\"{}\">\n<p class=\"gp-local__label\">{}</p>",
                    escape(area),
                    escape(&label)
                );
                out.push_str(&self.blocks(blocks));
                out.push_str("</div>\n");
            }
        }
    }

    /// A part that only some packs hold (the reviewer's copy): a bordered group whose first
    /// line is its label, as text, which also names the group for screen readers. Not a
    /// landmark: a page has many regions with the same label.
    fn labelled(&self, label: &str, blocks: &[Block], out: &mut String) {
        let id = self.tables.label_id();
        let _ = writeln!(
            out,
            "<div class=\"gp-labelled\" role=\"group\" aria-labelledby=\"{id}\">\n<p class=\"gp-labelled__label\" id=\"{id}\">{}</p>",
            escape(label)
        );
        out.push_str(&self.blocks(blocks));
        out.push_str("</div>\n");
    }

    /// An accountability diagram: a figure named by its caption, the SVG in a region that
    /// scrolls sideways (by keyboard too) when the screen is narrower than the drawing, and
    /// the lines of accountability as a list that a reader can open.
    fn diagram(&self, diagram: &crate::doc::Diagram, out: &mut String) {
        let layout = crate::diagram::lay_out(diagram);
        let id = self.tables.label_id();
        let _ = write!(
            out,
            "<figure class=\"gp-diagram\">\n<figcaption class=\"gp-diagram__caption\" id=\"{id}\">"
        );
        self.inlines(&diagram.caption, out);
        let _ = writeln!(
            out,
            "</figcaption>\n<div class=\"gp-diagram__scroll\" role=\"group\" aria-labelledby=\"{id}\" tabindex=\"0\">"
        );
        let href = |i: usize| {
            diagram
                .roles
                .get(i)
                .map_or_else(String::new, |r| self.href(&r.target))
        };
        out.push_str(&crate::render::diagram_svg::svg(
            diagram, &layout, &href, escape,
        ));
        let _ = writeln!(
            out,
            "</div>\n<details class=\"gp-diagram__text\">\n<summary>{}</summary>",
            escape(&diagram.words.as_text)
        );
        out.push_str(&self.blocks(&diagram.text));
        out.push_str("</details>\n</figure>\n");
    }

    /// A table in a named, keyboard-scrollable region. On narrow screens the stylesheet shows
    /// each row as a block of cells, each cell labelled with its column header (`data-label`);
    /// the explicit ARIA roles keep the table a table for screen readers when its parts are
    /// displayed as blocks.
    fn table(&self, table: &crate::doc::Table, out: &mut String) {
        let name = self
            .tables
            .name(&plain_text(&table.caption), &self.section.borrow());
        let _ = writeln!(
            out,
            "<div class=\"gp-table-wrap\" role=\"region\" aria-label=\"{}\" tabindex=\"0\">\n<table class=\"gp-table gp-table--reflow\" role=\"table\">",
            escape(&name)
        );
        if !table.caption.is_empty() {
            out.push_str("<caption class=\"gp-table__caption\">");
            self.inlines(&table.caption, out);
            out.push_str("</caption>\n");
        }
        let align = |i: usize| match table.aligns.get(i).copied().unwrap_or(Align::None) {
            Align::None => "",
            Align::Left => " class=\"gp-align-left\"",
            Align::Center => " class=\"gp-align-center\"",
            Align::Right => " class=\"gp-align-right\"",
        };
        out.push_str("<thead role=\"rowgroup\">\n<tr role=\"row\">");
        for (i, cell) in table.head.iter().enumerate() {
            let _ = write!(out, "<th scope=\"col\" role=\"columnheader\"{}>", align(i));
            self.inlines(cell, out);
            out.push_str("</th>");
        }
        out.push_str("</tr>\n</thead>\n<tbody role=\"rowgroup\">\n");
        let labels: Vec<String> = table.head.iter().map(|h| plain_text(h)).collect();
        for row in &table.rows {
            out.push_str("<tr role=\"row\">");
            for (i, cell) in row.iter().enumerate() {
                let header = i == 0 && table.row_headers;
                let _ = write!(
                    out,
                    "<{}{}",
                    if header {
                        "th scope=\"row\" role=\"rowheader\""
                    } else {
                        "td role=\"cell\""
                    },
                    align(i)
                );
                match labels.get(i) {
                    Some(label) if !label.trim().is_empty() => {
                        let _ = write!(out, " data-label=\"{}\">", escape(label));
                    }
                    _ => out.push('>'),
                }
                self.inlines(cell, out);
                out.push_str(if header { "</th>" } else { "</td>" });
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
    }

    pub fn inlines(&self, inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Text(text) => out.push_str(&escape(text)),
                Inline::Code(code) => {
                    let _ = write!(out, "<code>{}</code>", escape(code));
                }
                Inline::Emph(c) => self.wrap("em", c, out),
                Inline::Strong(c) => self.wrap("strong", c, out),
                Inline::Strike(c) => {
                    let mark = escape(self.tables.labels.get("removed"));
                    let _ = write!(
                        out,
                        "<del><span class=\"gp-visually-hidden\">[{mark}: </span>"
                    );
                    self.inlines(c, out);
                    out.push_str("<span class=\"gp-visually-hidden\">]</span></del>");
                }
                Inline::Inserted(c) => {
                    let mark = escape(self.tables.labels.get("added"));
                    let _ = write!(
                        out,
                        "<ins><span class=\"gp-visually-hidden\">[{mark}: </span>"
                    );
                    self.inlines(c, out);
                    out.push_str("<span class=\"gp-visually-hidden\">]</span></ins>");
                }
                Inline::Link(link) => {
                    let href = self.href(&link.target);
                    if href.is_empty() {
                        self.inlines(&link.children, out);
                    } else {
                        let external = matches!(link.target, Target::External(_));
                        let title = plain_text(&link.title);
                        let _ = write!(
                            out,
                            "<a href=\"{}\"{}{}>",
                            escape(&href),
                            if external {
                                " class=\"gp-external\""
                            } else {
                                ""
                            },
                            if title.is_empty() {
                                String::new()
                            } else {
                                format!(" title=\"{}\"", escape(&title))
                            }
                        );
                        self.inlines(&link.children, out);
                        out.push_str("</a>");
                    }
                }
                Inline::Image(image) => {
                    let src = image.src.strip_prefix("content/").unwrap_or(&image.src);
                    let _ = write!(
                        out,
                        "<img src=\"{}\" alt=\"{}\"",
                        escape(src),
                        escape(&image.alt)
                    );
                    if !image.title.is_empty() {
                        let _ = write!(out, " title=\"{}\"", escape(&image.title));
                    }
                    out.push('>');
                }
                Inline::FootnoteRef { label, number, .. } => {
                    if *number == 0 {
                        let _ = write!(out, "[^{}]", escape(label));
                    } else {
                        let _ = write!(
                            out,
                            "<sup class=\"gp-fnref\"><a id=\"fnref-{c}-{number}\" href=\"#fn-{c}-{number}\" aria-label=\"{name}\">{number}</a></sup>",
                            c = self.chapter,
                            name = escape(
                                &(self.tables.labels)
                                    .fill("note_n", &[("number", &number.to_string())])
                            ),
                        );
                    }
                }
                Inline::SoftBreak => out.push('\n'),
                Inline::HardBreak => out.push_str("<br>\n"),
                Inline::Var { name, .. } => {
                    let _ = write!(out, "{{{{ {} }}}}", escape(name));
                }
                Inline::Abbr { text, title } => {
                    let _ = write!(
                        out,
                        "<abbr title=\"{}\">{}</abbr>",
                        escape(title),
                        escape(text)
                    );
                }
                Inline::Raw(raw) => {
                    let _ = write!(out, "<span class=\"gp-raw\">{}</span>", escape(raw));
                }
            }
        }
    }

    fn wrap(&self, tag: &str, children: &[Inline], out: &mut String) {
        let _ = write!(out, "<{tag}>");
        self.inlines(children, out);
        let _ = write!(out, "</{tag}>");
    }
}

/// Escapes text for HTML content and attribute values.
/// `html` with `dir` on its first element: the block that a `{dir=…}` line is for.
fn with_dir(html: &str, dir: crate::doc::Direction) -> String {
    let name_end = (html.starts_with('<'))
        .then(|| html[1..].find([' ', '>']).map(|i| i + 1))
        .flatten();
    match name_end {
        Some(at) => format!("{} dir=\"{}\"{}", &html[..at], dir.as_str(), &html[at..]),
        None => html.to_string(),
    }
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than white space are not allowed in HTML text.
            c if c.is_control() && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// A figure for a paragraph that holds one image alone, so the alt text and title read well.
pub fn is_figure(inlines: &[Inline]) -> bool {
    matches!(inlines, [Inline::Image(_)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_direction_goes_on_the_first_element() {
        use crate::doc::Direction;
        assert_eq!(
            with_dir("<p>x</p>\n", Direction::Rtl),
            "<p dir=\"rtl\">x</p>\n"
        );
        assert_eq!(
            with_dir("<div class=\"a\"><p>x</p></div>", Direction::Ltr),
            "<div dir=\"ltr\" class=\"a\"><p>x</p></div>"
        );
        assert_eq!(with_dir("", Direction::Rtl), "");
    }
    use crate::doc::Link;

    #[test]
    fn an_unsafe_target_never_becomes_an_href() {
        let tables = TableNames::default();
        let page = HtmlPage::new("a", "A", false, 0, &tables);
        for url in [
            "javascript:alert(1)",
            " JAVASCRIPT:x",
            "data:text/html,x",
            "role:ccg",
        ] {
            for target in [
                Target::External(url.to_string()),
                Target::Relative(url.to_string()),
                Target::Written(url.to_string()),
            ] {
                assert_eq!(page.href(&target), "", "{target:?}");
                let link = Inline::Link(Link {
                    target,
                    children: vec![Inline::Text("kept".into())],
                    pos: Default::default(),
                    title: Vec::new(),
                    dest_parts: Vec::new(),
                });
                let mut out = String::new();
                page.inlines(&[link], &mut out);
                assert_eq!(out, "kept");
            }
        }
        assert_eq!(
            page.href(&Target::External("https://example.org".into())),
            "https://example.org"
        );
    }
}
