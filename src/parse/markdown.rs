//! Markdown → document tree, with pulldown-cmark. Keeps positions for everything an error can
//! point at, finds `{{ variables }}` in text (never in code), and shows raw HTML as text.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd,
};

use super::destinations::{is_padding, is_variable_name, pad_destination_variables};
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Pos};
use crate::doc::{
    Align, Block, CalloutKind, Direction, Heading, Image, Inline, Link, List, ListItem,
    MAX_NESTING, Paragraph, Table, Target, plain_text, slugify,
};

/// Stands in for `\{{` while Markdown is parsed: three bytes, like what it replaces, so that
/// offsets stay true.
const ESCAPED_BRACES: char = '\u{E000}';

/// The Markdown extensions of the contract.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// The result of parsing one Markdown body.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Top-level blocks with the byte offset (in the body) where each starts.
    pub blocks: Vec<(usize, Block)>,
    pub footnotes: BTreeMap<String, Vec<Block>>,
}

/// Parses `body`, which starts at byte `base` of `file`'s text (`index` covers the whole file).
/// Thematic breaks that start at an offset in `markers` (in ascending order) are fence lines
/// (`None`) or `{dir=…}` lines (the direction they give the block under them, `Some`) and are
/// dropped.
pub fn parse_markdown(
    body: &str,
    base: usize,
    file: &str,
    index: &LineIndex,
    markers: &[(usize, Option<Direction>)],
    diagnostics: &mut Diagnostics,
) -> Parsed {
    let prepared =
        pad_destination_variables(body.replace("\\{{", &ESCAPED_BRACES.to_string()), options());
    let parser = Parser::new_ext(&prepared, options());
    check_definitions(&parser, base, file, index, diagnostics);
    let definitions = parser
        .reference_definitions()
        .iter()
        .map(|(label, def)| (label.to_lowercase(), def.span.clone()))
        .collect();
    let events: Vec<(Event, Range<usize>)> = parser.into_offset_iter().collect();
    let mut builder = Builder {
        src: &prepared,
        definitions,
        base,
        file,
        index,
        events,
        next: 0,
        task: None,
        depth: Depth::default(),
        diagnostics,
    };
    let mut parsed = Parsed::default();
    // The direction of a `{dir=…}` line above, and where that line is.
    let mut directed: Option<(Direction, usize)> = None;
    while let Some((event, range)) = builder.take() {
        if let Event::Rule = event
            && let Ok(i) = markers.binary_search_by_key(&range.start, |(start, _)| *start)
        {
            if let Some(above) = directed.take() {
                builder.no_block_under(above);
            }
            directed = markers[i].1.map(|dir| (dir, range.start));
            continue;
        }
        let block = match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let blocks = builder.blocks_until_end();
                parsed.footnotes.entry(label.to_string()).or_insert(blocks);
                None
            }
            Event::Start(tag) => builder.block(tag, range.clone()),
            Event::Rule => Some(Block::Rule),
            other => {
                // Inline content at the top level cannot happen in CommonMark; keep its text.
                builder.back(other, range.clone());
                let inlines = builder.inlines_until_block();
                Some(paragraph(inlines, builder.pos(range.start)))
            }
        };
        match (directed.take(), block) {
            (Some(above), Some(block)) => {
                let block = builder.directed(above, range.start, block);
                parsed.blocks.push((range.start, block));
            }
            (Some(above), None) => builder.no_block_under(above),
            (None, Some(block)) => parsed.blocks.push((range.start, block)),
            (None, None) => {}
        }
    }
    if let Some(above) = directed {
        builder.no_block_under(above);
    }
    parsed
}

/// Link reference definitions (`[label]: target`) whose target a pack refuses, used or not,
/// reported where they are written.
fn check_definitions(
    parser: &Parser,
    base: usize,
    file: &str,
    index: &LineIndex,
    diagnostics: &mut Diagnostics,
) {
    let mut found: Vec<(usize, String)> = parser
        .reference_definitions()
        .iter()
        .map(|(_, def)| (def.span.start, def.dest.to_string()))
        .collect();
    found.sort();
    for (start, dest) in found {
        if let crate::links::LinkKind::Refused(why) = crate::links::classify(&dest) {
            let (message, help) = crate::links::explain(&dest, &why);
            diagnostics.push(
                Diagnostic::error(message)
                    .at(file, index.pos(base + start))
                    .help(help),
            );
        }
    }
}

fn paragraph(inlines: Vec<Inline>, pos: Pos) -> Block {
    Block::Paragraph(Paragraph {
        inlines,
        pos,
        number: None,
    })
}

struct Builder<'a, 'd> {
    src: &'a str,
    /// Where each link reference definition is written, by its label in lower case.
    definitions: BTreeMap<String, Range<usize>>,
    base: usize,
    file: &'a str,
    index: &'a LineIndex<'a>,
    events: Vec<(Event<'a>, Range<usize>)>,
    next: usize,
    task: Option<bool>,
    depth: Depth,
    diagnostics: &'d mut Diagnostics,
}

/// How deep the builder is in block containers and in inline containers.
#[derive(Default)]
struct Depth {
    blocks: usize,
    inlines: usize,
    /// Whether the limit has been reported in this body (once is enough).
    reported: bool,
}

impl<'a> Builder<'a, '_> {
    fn take(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        let item = self.events.get(self.next).cloned()?;
        self.next += 1;
        Some(item)
    }

    fn back(&mut self, _event: Event<'a>, _range: Range<usize>) {
        self.next -= 1;
    }

    fn peek(&self) -> Option<&Event<'a>> {
        self.events.get(self.next).map(|(e, _)| e)
    }

    fn pos(&self, offset: usize) -> Pos {
        self.index.pos(self.base + offset)
    }

    /// Builds the block that `tag` starts, consuming events up to its end; a container nested
    /// deeper than [`MAX_NESTING`] is reported and skipped.
    fn block(&mut self, tag: Tag<'a>, range: Range<usize>) -> Option<Block> {
        if !matches!(tag, Tag::BlockQuote(_) | Tag::List(_)) {
            return self.leaf_block(tag, range);
        }
        if self.depth.blocks >= MAX_NESTING {
            self.too_deep(range.start, "lists, quotes and callouts");
            return None;
        }
        self.depth.blocks += 1;
        let block = self.leaf_block(tag, range);
        self.depth.blocks -= 1;
        block
    }

    /// `block`, which starts at `start`, in the direction of the `{dir=…}` line at `at`: a
    /// paragraph, list, quote, callout or table on the line directly under it. Anything else
    /// is an error at the line, and the block keeps the direction around it.
    fn directed(&mut self, (dir, at): (Direction, usize), start: usize, block: Block) -> Block {
        let line = self.pos(at).line;
        let what = match &block {
            Block::Paragraph(_)
            | Block::List(_)
            | Block::Quote(_)
            | Block::Callout(..)
            | Block::Table(_) => None,
            Block::Heading(_) => Some((
                "a heading takes its direction in its own braces, not from a line above it",
                format!(
                    "remove this line and end the heading with `{{dir={}}}`, as in `## Title {{dir={}}}`",
                    dir.as_str(),
                    dir.as_str()
                ),
            )),
            _ => Some((
                "`{dir=…}` applies to a paragraph, list, quote, callout or table, and the block under this line is none of them",
                "remove this line, or move it above the paragraph, list, quote, callout or table it is for".to_string(),
            )),
        };
        let what = what.or_else(|| {
            (self.pos(start).line != line + 1).then(|| {
                (
                    "`{dir=…}` must stand on the line directly above the block it applies to",
                    "remove the blank line between this line and its block".to_string(),
                )
            })
        });
        match what {
            Some((message, help)) => {
                self.diagnostics.push(
                    Diagnostic::error(message)
                        .at(self.file, self.pos(at))
                        .help(help),
                );
                block
            }
            None => Block::Directed {
                dir,
                blocks: vec![block],
            },
        }
    }

    /// Reports a `{dir=…}` line at `at` with no block under it.
    fn no_block_under(&mut self, (_, at): (Direction, usize)) {
        self.diagnostics.push(
            Diagnostic::error("there is no block directly under this `{dir=…}` line")
                .at(self.file, self.pos(at))
                .help("put it on the line directly above the paragraph, list, quote, callout or table it is for"),
        );
    }

    /// Reports a container nested too deep (once a body) and skips it: the events up to its end.
    fn too_deep(&mut self, offset: usize, what: &str) {
        if !self.depth.reported {
            self.depth.reported = true;
            self.diagnostics.push(
                Diagnostic::error(format!(
                    "{what} are nested more than {MAX_NESTING} levels deep here"
                ))
                .at(self.file, self.pos(offset))
                .help(format!("nest them at most {MAX_NESTING} levels deep: split the text, or turn the deepest levels into plain paragraphs")),
            );
        }
        let mut open = 1usize;
        while let Some((event, _)) = self.take() {
            match event {
                Event::Start(_) => open += 1,
                Event::End(_) => open -= 1,
                _ => {}
            }
            if open == 0 {
                break;
            }
        }
    }

    fn leaf_block(&mut self, tag: Tag<'a>, range: Range<usize>) -> Option<Block> {
        let pos = self.pos(range.start);
        Some(match tag {
            Tag::Paragraph => paragraph(self.inlines_until_end(), pos),
            Tag::Heading {
                level,
                id,
                classes: _,
                attrs,
            } => {
                let condition = super::heading_attrs::check_heading_attributes(
                    self.src.get(range.clone()).unwrap_or(""),
                    self.base + range.start,
                    self.file,
                    self.index,
                    self.diagnostics,
                );
                let inlines = self.inlines_until_end();
                let explicit = id.map(|id| id.to_string());
                Block::Heading(Heading {
                    level: level as u8,
                    id: explicit
                        .clone()
                        .unwrap_or_else(|| slugify(&plain_text(&inlines))),
                    explicit_id: explicit.is_some(),
                    inlines,
                    pos,
                    number: None,
                    attrs: attrs
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v.map(|v| v.to_string()).unwrap_or_default()))
                        .collect(),
                    condition,
                })
            }
            Tag::BlockQuote(kind) => {
                let blocks = self.blocks_until_end();
                match kind {
                    None => Block::Quote(blocks),
                    Some(kind) => Block::Callout(callout_kind(kind), blocks),
                }
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                let mut text = String::new();
                while let Some((event, _)) = self.take() {
                    match event {
                        Event::Text(t) => text.push_str(&t),
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                Block::Code {
                    lang,
                    text: restore_code(&text),
                }
            }
            Tag::HtmlBlock => {
                let mut text = String::new();
                while let Some((event, _)) = self.take() {
                    match event {
                        Event::Html(t) | Event::Text(t) => text.push_str(&t),
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                self.warn_raw_html(pos);
                paragraph(vec![Inline::Raw(text.trim_end().to_string())], pos)
            }
            Tag::List(start) => {
                let mut items = Vec::new();
                while let Some((event, _)) = self.take() {
                    match event {
                        Event::Start(Tag::Item) => {
                            self.task = None;
                            let mut blocks = self.blocks_until_end();
                            let task = self.task.take();
                            if blocks.is_empty() {
                                blocks.push(paragraph(Vec::new(), pos));
                            }
                            items.push(ListItem { task, blocks });
                        }
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                Block::List(List { start, items })
            }
            Tag::Table(aligns) => self.table(aligns),
            Tag::FootnoteDefinition(_) | Tag::DefinitionList | Tag::MetadataBlock(_) => {
                let blocks = self.blocks_until_end();
                return blocks.into_iter().next();
            }
            other => {
                // An inline tag where a block was expected: keep its text as a paragraph.
                self.next -= 1;
                self.events[self.next] = (Event::Start(other), range);
                return Some(paragraph(self.inlines_until_block(), pos));
            }
        })
    }

    /// Blocks up to the end of the enclosing container; loose inline content (tight list
    /// items) becomes a paragraph.
    fn blocks_until_end(&mut self) -> Vec<Block> {
        let mut blocks = Vec::new();
        while let Some((event, range)) = self.take() {
            match event {
                Event::End(_) => break,
                Event::Rule => blocks.push(Block::Rule),
                Event::Start(tag) if is_block(&tag) => {
                    if let Some(block) = self.block(tag, range) {
                        blocks.push(block);
                    }
                }
                Event::TaskListMarker(done) => self.task = Some(done),
                other => {
                    self.back(other, range.clone());
                    let inlines = self.inlines_until_block();
                    blocks.push(paragraph(inlines, self.pos(range.start)));
                }
            }
        }
        blocks
    }

    /// Inlines up to the next block start or container end (not consumed).
    fn inlines_until_block(&mut self) -> Vec<Inline> {
        let mut collector = Collector::default();
        while let Some(event) = self.peek() {
            match event {
                Event::End(_) | Event::Rule => break,
                Event::Start(tag) if is_block(tag) => break,
                _ => {
                    let Some((event, range)) = self.take() else {
                        break;
                    };
                    self.inline(event, range, &mut collector);
                }
            }
        }
        collector.finish(self)
    }

    /// Inlines up to the end of the enclosing inline container (consumed).
    fn inlines_until_end(&mut self) -> Vec<Inline> {
        let mut collector = Collector::default();
        while let Some((event, range)) = self.take() {
            if let Event::End(_) = event {
                break;
            }
            self.inline(event, range, &mut collector);
        }
        collector.finish(self)
    }

    fn inline(&mut self, event: Event<'a>, range: Range<usize>, out: &mut Collector) {
        let pos = self.pos(range.start);
        match event {
            Event::Text(text) => out.text(&text, range),
            Event::Start(_) if self.depth.inlines >= MAX_NESTING => {
                out.flush(self);
                self.too_deep(range.start, "emphasis, links and other inline marks");
            }
            Event::Start(tag) => {
                out.flush(self);
                self.depth.inlines += 1;
                self.inline_container(tag, range, out);
                self.depth.inlines -= 1;
            }
            other => {
                out.flush(self);
                let inline = match other {
                    Event::Code(code) => Inline::Code(restore_code(&code)),
                    Event::InlineMath(t) | Event::DisplayMath(t) => Inline::Text(format!("${t}$")),
                    Event::Html(html) | Event::InlineHtml(html) => {
                        self.warn_raw_html(pos);
                        Inline::Raw(html.to_string())
                    }
                    Event::FootnoteReference(label) => Inline::FootnoteRef {
                        label: label.to_string(),
                        number: 0,
                        pos,
                    },
                    Event::SoftBreak => Inline::SoftBreak,
                    Event::HardBreak => Inline::HardBreak,
                    Event::TaskListMarker(done) => {
                        self.task = Some(done);
                        return;
                    }
                    Event::Rule | Event::End(_) | Event::Text(_) | Event::Start(_) => return,
                };
                out.inlines.push(inline);
            }
        }
    }

    /// The inline that `tag` starts, up to its end.
    fn inline_container(&mut self, tag: Tag<'a>, range: Range<usize>, out: &mut Collector) {
        let pos = self.pos(range.start);
        let inline = match tag {
            Tag::Emphasis => Inline::Emph(self.inlines_until_end()),
            Tag::Strong => Inline::Strong(self.inlines_until_end()),
            Tag::Strikethrough => Inline::Strike(self.inlines_until_end()),
            Tag::Link {
                dest_url,
                link_type,
                title,
                id,
            } => {
                // `<jo@example.org>` is a mail address without its scheme.
                let scheme = if link_type == LinkType::Email {
                    "mailto:"
                } else {
                    ""
                };
                // A reference link's address and title are written in its definition.
                let written = match link_type {
                    LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => self
                        .definitions
                        .get(&id.to_lowercase())
                        .cloned()
                        .unwrap_or(range.clone()),
                    _ => range.clone(),
                };
                let (dest_parts, title) = self.written_parts(&dest_url, &title, written);
                let target = if dest_parts.is_empty() {
                    format!("{scheme}{}", dest_url.replace(ESCAPED_BRACES, "%7B%7B"))
                } else {
                    format!("{scheme}{}", written_destination(&dest_parts))
                };
                let mut dest_parts = dest_parts;
                if !dest_parts.is_empty() && !scheme.is_empty() {
                    dest_parts.insert(0, Inline::Text(scheme.to_string()));
                }
                Inline::Link(Link {
                    target: Target::Written(target),
                    children: self.inlines_until_end(),
                    pos,
                    title,
                    dest_parts,
                })
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                let alt = plain_text(&self.inlines_until_end());
                if dest_url.contains("{{") {
                    self.diagnostics.push(
                        Diagnostic::error("an image's path cannot hold a variable")
                            .at(self.file, pos)
                            .help("write the image's path in full (`assets/diagram.png`); for an image that only one area shows, put it in that area's local section"),
                    );
                }
                Inline::Image(Image {
                    src: dest_url.to_string(),
                    alt,
                    title: title.to_string(),
                    pos,
                })
            }
            _ => {
                let inlines = self.inlines_until_end();
                out.inlines.extend(inlines);
                return;
            }
        };
        out.inlines.push(inline);
    }

    /// A link's destination and title as parts: text and `{{ variables }}`, each variable
    /// placed where it is written in `written` (the link, or its reference definition). The
    /// destination's parts are empty when it holds no variable.
    fn written_parts(
        &mut self,
        dest: &str,
        title: &str,
        written: Range<usize>,
    ) -> (Vec<Inline>, Vec<Inline>) {
        let dest = dest.replace(ESCAPED_BRACES, "%7B%7B");
        let in_dest = dest.matches("{{").count();
        let in_title = title.matches("{{").count();
        let src = self.src;
        let source = src.get(written.clone()).unwrap_or("");
        // The destination and title come last in what is written: theirs are the last `{{`.
        let hits: Vec<usize> = source.match_indices("{{").map(|(i, _)| i).collect();
        let first = hits.len().saturating_sub(in_dest + in_title);
        let from = |k: usize| written.start + hits.get(k).copied().unwrap_or(0);
        let mut dest_parts = Vec::new();
        if in_dest > 0 {
            let start = from(first);
            let source = src.get(start..written.end).unwrap_or("");
            split_variables(&dest, source, start, self, &mut dest_parts);
            if !dest_parts.iter().any(|p| matches!(p, Inline::Var { .. })) {
                dest_parts.clear();
            }
        }
        let mut title_parts = Vec::new();
        if in_title > 0 {
            let start = from(first + in_dest);
            let source = src.get(start..written.end).unwrap_or("");
            split_variables(title, source, start, self, &mut title_parts);
        } else {
            push_text(&mut title_parts, title);
        }
        (dest_parts, title_parts)
    }

    fn table(&mut self, aligns: Vec<Alignment>) -> Block {
        let mut table = Table {
            caption: Vec::new(),
            aligns: aligns.iter().map(|a| align(*a)).collect(),
            head: Vec::new(),
            rows: Vec::new(),
            row_headers: false,
            contacts: false,
        };
        while let Some((event, _)) = self.take() {
            match event {
                Event::Start(Tag::TableHead) => table.head = self.cells(),
                Event::Start(Tag::TableRow) => {
                    let row = self.cells();
                    table.rows.push(row);
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        Block::Table(table)
    }

    fn cells(&mut self) -> Vec<Vec<Inline>> {
        let mut cells = Vec::new();
        while let Some((event, _)) = self.take() {
            match event {
                Event::Start(Tag::TableCell) => cells.push(self.inlines_until_end()),
                Event::End(_) => break,
                _ => {}
            }
        }
        cells
    }

    fn warn_raw_html(&mut self, pos: Pos) {
        self.diagnostics.push(
            Diagnostic::warning("raw HTML is not allowed in a pack: it is shown as text")
                .at(self.file, pos)
                .help("write this in Markdown instead; to show a `<` as text, write `\\<`"),
        );
    }
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::Table(_)
            | Tag::DefinitionList
            | Tag::MetadataBlock(_)
    )
}

fn callout_kind(kind: BlockQuoteKind) -> CalloutKind {
    match kind {
        BlockQuoteKind::Note => CalloutKind::Note,
        BlockQuoteKind::Tip => CalloutKind::Tip,
        BlockQuoteKind::Important => CalloutKind::Important,
        BlockQuoteKind::Warning => CalloutKind::Warning,
        BlockQuoteKind::Caution => CalloutKind::Caution,
    }
}

fn align(a: Alignment) -> Align {
    match a {
        Alignment::None => Align::None,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

/// Code keeps what was written, escape included.
fn restore_code(text: &str) -> String {
    text.replace(ESCAPED_BRACES, "\\{{")
}

/// Gathers inlines, merging runs of text (pulldown-cmark splits text at punctuation) so that
/// variables are found whole.
#[derive(Default)]
struct Collector {
    inlines: Vec<Inline>,
    run: String,
    run_range: Option<Range<usize>>,
}

impl Collector {
    fn text(&mut self, text: &str, range: Range<usize>) {
        self.run.push_str(text);
        self.run_range = Some(match self.run_range.take() {
            Some(r) => r.start..range.end,
            None => range,
        });
    }

    fn flush(&mut self, builder: &mut Builder) {
        let Some(range) = self.run_range.take() else {
            return;
        };
        let text = std::mem::take(&mut self.run);
        let source = builder.src.get(range.clone()).unwrap_or("");
        split_variables(&text, source, range.start, builder, &mut self.inlines);
    }

    fn finish(mut self, builder: &mut Builder) -> Vec<Inline> {
        self.flush(builder);
        self.inlines
    }
}

/// Splits `{{ name }}` out of a run of text. `source` is the Markdown the run came from, used
/// to place each variable (the text may differ from it by escapes and smart punctuation).
fn split_variables(
    text: &str,
    source: &str,
    start: usize,
    builder: &mut Builder,
    out: &mut Vec<Inline>,
) {
    let mut source_hits = source.match_indices("{{").map(|(i, _)| i);
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let offset = source_hits.next().unwrap_or(0);
        let pos = builder.pos(start + offset);
        let after = &rest[open + 2..];
        match after
            .find("}}")
            .map(|close| (close, after[..close].trim_matches(is_padding)))
            .filter(|(_, name)| is_variable_name(name))
        {
            Some((close, name)) => {
                push_text(out, &rest[..open]);
                out.push(Inline::Var {
                    name: name.to_string(),
                    pos,
                });
                rest = &after[close + 2..];
            }
            None => {
                builder.diagnostics.push(
                    Diagnostic::error("`{{` starts a variable, but no variable name and `}}` follow")
                        .at(builder.file, pos)
                        .help("write a variable as `{{ pack.title }}`; to show `{{` as text, write `\\{{`"),
                );
                push_text(out, &rest[..open + 2]);
                rest = after;
            }
        }
    }
    push_text(out, rest);
}

fn push_text(out: &mut Vec<Inline>, text: &str) {
    if text.is_empty() {
        return;
    }
    let text = text.replace(ESCAPED_BRACES, "{{");
    match out.last_mut() {
        Some(Inline::Text(prev)) => prev.push_str(&text),
        _ => out.push(Inline::Text(text)),
    }
}

/// A destination with each variable written `{{name}}` (the form resolving looks for).
fn written_destination(parts: &[Inline]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Inline::Var { name, .. } => {
                out.push_str("{{");
                out.push_str(name);
                out.push_str("}}");
            }
            Inline::Text(text) => out.push_str(&text.replace("{{", "%7B%7B")),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> (Parsed, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let index = LineIndex::new(body);
        let parsed = parse_markdown(body, 0, "a.md", &index, &[], &mut diagnostics);
        (parsed, diagnostics)
    }

    fn first_inlines(body: &str) -> Vec<Inline> {
        match parse(body).0.blocks.into_iter().next() {
            Some((_, Block::Paragraph(p))) => p.inlines,
            other => panic!("not a paragraph: {other:?}"),
        }
    }

    #[test]
    fn variables_are_found_whole_despite_smart_punctuation() {
        let inlines = first_inlines("It's {{ pack.title }} -- v{{pack.version}}.");
        let vars: Vec<_> = inlines
            .iter()
            .filter_map(|i| match i {
                Inline::Var { name, pos } => Some((name.as_str(), pos.col)),
                _ => None,
            })
            .collect();
        assert_eq!(vars, vec![("pack.title", 6), ("pack.version", 27)]);
    }

    #[test]
    fn escaped_braces_and_code_are_not_variables() {
        let inlines = first_inlines("\\{{ x }} and `{{ y }}`");
        assert_eq!(
            inlines,
            vec![
                Inline::Text("{{ x }} and ".into()),
                Inline::Code("{{ y }}".into())
            ]
        );
    }

    #[test]
    fn variables_in_destinations_are_padded_outside_code() {
        let text = "[a](mailto:{{ x }}) `[b]({{ y }})` {{ z }} [c]( {{w}}) [d](x {{ v }})\n\n[r]:\n  {{\tu }}\n<mailto:{{ t }}> <b title=\"{{ s }}\"> <a:{{ q }}>\n";
        let padded = pad_destination_variables(text.to_string(), options());
        assert_eq!(
            padded,
            "[a](mailto:{{^x^}}) `[b]({{ y }})` {{ z }} [c]( {{w}}) [d](x {{ v }})\n\n[r]:\n  {{^u^}}\n<mailto:{{^t^}}> <b title=\"{{ s }}\"> <a:{{ q }}>\n"
        );
        assert_eq!(padded.len(), text.len());
        let (parsed, diagnostics) = parse("[a](mailto:{{ x }} \"To {{ y }}\")");
        assert!(diagnostics.is_empty());
        let Block::Paragraph(p) = &parsed.blocks[0].1 else {
            panic!()
        };
        let Inline::Link(link) = &p.inlines[0] else {
            panic!("{:?}", p.inlines)
        };
        assert_eq!(link.target, Target::Written("mailto:{{x}}".into()));
        assert!(
            matches!(&link.dest_parts[..], [Inline::Text(t), Inline::Var { name, pos }] if t == "mailto:" && name == "x" && pos.col == 12)
        );
        assert!(
            matches!(&link.title[..], [Inline::Text(t), Inline::Var { name, pos }] if t == "To " && name == "y" && pos.col == 24)
        );
    }

    #[test]
    fn a_malformed_variable_is_an_error() {
        let (_, diagnostics) = parse("Hello {{ not a var }}");
        let d = diagnostics.sorted();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (1, 7));
    }

    #[test]
    fn raw_html_is_text_with_a_warning() {
        let (parsed, diagnostics) = parse("<script>alert(1)</script>\n");
        assert!(
            matches!(&parsed.blocks[0].1, Block::Paragraph(p) if p.inlines == vec![Inline::Raw("<script>alert(1)</script>".into())])
        );
        assert_eq!(diagnostics.warning_count(), 1);
    }

    #[test]
    fn tight_task_lists_keep_their_marks() {
        let (parsed, _) = parse("- [x] done\n- [ ] to do\n");
        let Block::List(list) = &parsed.blocks[0].1 else {
            panic!()
        };
        assert_eq!(
            list.items.iter().map(|i| i.task).collect::<Vec<_>>(),
            vec![Some(true), Some(false)]
        );
    }

    #[test]
    fn headings_keep_attributes() {
        let (parsed, _) = parse("## Local {#local-arrangements local=required}\n");
        let Block::Heading(h) = &parsed.blocks[0].1 else {
            panic!()
        };
        assert_eq!(h.id, "local-arrangements");
        assert_eq!(h.attr("local"), Some("required"));
    }

    #[test]
    fn thematic_breaks_end_lists_and_tables() {
        let (parsed, _) = parse("- a\n***\n- b\n\n| x |\n|---|\n| 1 |\n***\n| 2 |\n");
        let kinds: Vec<&str> = parsed
            .blocks
            .iter()
            .map(|(_, b)| match b {
                Block::List(_) => "list",
                Block::Rule => "rule",
                Block::Table(_) => "table",
                Block::Paragraph(_) => "paragraph",
                _ => "other",
            })
            .collect();
        assert_eq!(
            kinds,
            ["list", "rule", "list", "table", "rule", "paragraph"]
        );
    }
}
