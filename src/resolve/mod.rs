//! Resolve: from the parsed project to one [`Pack`] per audience × area. Pure: no disk, no
//! clock. Audience blocks and sections are filtered, local sections placed, directives
//! expanded, variables, links and acronyms resolved, and headings and paragraphs numbered.

mod acronyms;
mod change_lines;
mod changes_annex;
mod directives;
mod ids;
mod inlines;
mod local;
mod review;
pub mod snapshot;

use std::collections::{BTreeMap, BTreeSet};

use std::borrow::Cow;

use crate::condition::{Reader, Seen};
use crate::diagnostic::Diagnostics;
use crate::doc::{Block, Inline};
use crate::model::{Area, Audience, Chapter, Node, Project};
use crate::pack_id::PackId;
use crate::release::Recorded;

pub use acronyms::{is_acronym, words};
pub use ids::{IdIndex, IdTarget, RESERVED_IDS, for_each_heading, index_ids};
pub use inlines::{VarScope, is_external};
pub use review::reviewer_audience;
pub use snapshot::snapshot;

/// One pack: the text that one audience (in one area, or nationally) reads.
#[derive(Clone, Debug)]
pub struct Pack {
    pub audience: Audience,
    pub area: Option<PackArea>,
    pub chapters: Vec<PackChapter>,
    /// The reviewer's copy ([`Resolver::review`]): every audience's and area's text, each part
    /// that some packs or formats only hold labelled; its pages and PDF say so.
    pub reviewer_copy: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackArea {
    pub id: String,
    pub name: String,
    pub tags: Vec<String>,
    pub vars: std::collections::BTreeMap<String, String>,
    pub contacts: Vec<PackContact>,
    /// The area's own `[brand]` keys ([`crate::brand::Brand::over`] adds the national ones).
    pub brand: crate::brand::Brand,
    /// The area's `revision` (its packs' version is `<national>-<id>.<revision>`).
    pub revision: u32,
}

/// An area's contact as templates see it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PackContact {
    pub role: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl PackArea {
    pub fn of(area: &Area) -> Self {
        PackArea {
            id: area.id.clone(),
            name: area.name.clone(),
            tags: area.tags.iter().map(|t| t.value.clone()).collect(),
            vars: area.vars.clone(),
            contacts: (area.contacts.iter())
                .map(|c| PackContact {
                    role: c.role.as_ref().map(|r| r.value.clone()),
                    name: c.name.clone(),
                    email: c.email.clone(),
                    phone: c.phone.clone(),
                })
                .collect(),
            brand: area.brand.clone(),
            revision: area.revision,
        }
    }
}

impl Pack {
    /// Which pack this is.
    pub fn id(&self) -> PackId {
        if self.reviewer_copy {
            return PackId::review();
        }
        PackId::new(&self.audience.id, self.area.as_ref().map(|a| a.id.as_str()))
    }

    /// The pack's folder under `output/<version>/`: `providers` or `areas/<id>/providers`.
    pub fn dir(&self) -> String {
        self.id().dir()
    }

    /// How the pack is named in messages: "the Providers pack" or "the Providers pack for Northshire".
    pub fn label(&self) -> String {
        if self.reviewer_copy {
            return "the reviewer's copy".to_string();
        }
        pack_label(&self.audience, self.area.as_ref().map(|a| a.name.as_str()))
    }

    pub fn is_draft(&self) -> bool {
        self.chapters.iter().any(|c| c.draft)
    }

    /// The pack as the format `name` shows it: the chapters and blocks of other formats
    /// dropped, [`Block::ForFormats`] unwrapped, and footnotes that nothing left refers to
    /// dropped. Numbers stay as resolved, so that a number means the same text in every
    /// format (one that leaves a numbered part out skips its number). Renderers only ever
    /// see a pack made by this.
    ///
    /// The reviewer's copy is the same in every format: its format parts are labelled
    /// ([`Block::Labelled`]), never left out.
    pub fn for_format(&self, name: &str) -> Cow<'_, Pack> {
        if self.reviewer_copy {
            return Cow::Borrowed(self);
        }
        let varies = self
            .chapters
            .iter()
            .any(|c| c.formats.is_some() || has_format_blocks(&c.blocks));
        if !varies {
            return Cow::Borrowed(self);
        }
        let chapters = self
            .chapters
            .iter()
            .filter(|c| shown_in(&c.formats, name))
            .map(|c| {
                let blocks = blocks_for_format(&c.blocks, name);
                let mut cited = BTreeSet::new();
                let mut cites = |inlines: &[Inline]| footnote_numbers(inlines, &mut cited);
                crate::doc::visit_inlines(&blocks, &mut cites);
                for (_, note) in &c.footnotes {
                    crate::doc::visit_inlines(note, &mut cites);
                }
                PackChapter {
                    blocks,
                    formats: None,
                    footnotes: (c.footnotes.iter())
                        .filter(|(n, _)| cited.contains(n))
                        .cloned()
                        .collect(),
                    ..c.clone_without_blocks()
                }
            })
            .collect();
        Cow::Owned(Pack {
            audience: self.audience.clone(),
            area: self.area.clone(),
            chapters,
            reviewer_copy: self.reviewer_copy,
        })
    }
}

fn shown_in(formats: &Option<Vec<String>>, name: &str) -> bool {
    formats.as_ref().is_none_or(|f| f.iter().any(|f| f == name))
}

fn has_format_blocks(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| match b {
        Block::ForFormats { .. } => true,
        Block::Local { blocks, .. } => has_format_blocks(blocks),
        _ => false,
    })
}

/// `blocks` as the format `name` shows them.
fn blocks_for_format(blocks: &[Block], name: &str) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        match block {
            Block::ForFormats { formats, blocks } => {
                if formats.iter().any(|f| f == name) {
                    out.extend(blocks_for_format(blocks, name));
                }
            }
            Block::Local { area, file, blocks } => out.push(Block::Local {
                area: area.clone(),
                file: file.clone(),
                blocks: blocks_for_format(blocks, name),
            }),
            other => out.push(other.clone()),
        }
    }
    out
}

fn footnote_numbers(inlines: &[Inline], out: &mut BTreeSet<u32>) {
    for inline in inlines {
        match inline {
            Inline::FootnoteRef { number, .. } => {
                out.insert(*number);
            }
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Inserted(c) => {
                footnote_numbers(c, out)
            }
            Inline::Link(link) => footnote_numbers(&link.children, out),
            _ => {}
        }
    }
}

pub fn pack_label(audience: &Audience, area: Option<&str>) -> String {
    match area {
        None => format!("the national {} pack", audience.name),
        Some(area) => format!("the {} pack for {area}", audience.name),
    }
}

/// A chapter of a pack (or an annex that guidepack generates).
#[derive(Clone, Debug)]
pub struct PackChapter {
    pub id: String,
    /// `3`, or `A` for an annex.
    pub number: String,
    pub title: String,
    /// `language:` in the chapter's front matter, when it differs from the pack's.
    pub language: Option<String>,
    pub summary: Option<String>,
    pub draft: bool,
    /// The Markdown file it came from (none for generated annexes).
    pub file: Option<String>,
    pub blocks: Vec<Block>,
    /// Footnotes by number, in order of first reference.
    pub footnotes: Vec<(u32, Vec<Block>)>,
    /// The formats that show the chapter (`formats:` in its front matter); `None`: all.
    pub formats: Option<Vec<String>>,
}

impl PackChapter {
    fn clone_without_blocks(&self) -> PackChapter {
        PackChapter {
            id: self.id.clone(),
            number: self.number.clone(),
            title: self.title.clone(),
            language: self.language.clone(),
            summary: self.summary.clone(),
            draft: self.draft,
            file: self.file.clone(),
            blocks: Vec::new(),
            footnotes: Vec::new(),
            formats: self.formats.clone(),
        }
    }
}

/// What every pack of a project shares: the parsed project, its id index, and the previous
/// release (read with the project), against which each pack's change summary is made.
pub struct Resolver<'p> {
    pub project: &'p Project,
    pub ids: &'p IdIndex,
    pub previous: Option<&'p Recorded>,
    /// For each area with an earlier recorded edition, the newest one: its packs' change
    /// summaries compare with it rather than with `previous`.
    pub area_previous: BTreeMap<&'p str, &'p Recorded>,
    /// The names of the formats a pack may be written in (the renderers registered), for
    /// format conditions.
    pub formats: Vec<&'static str>,
    /// Each format's name and label (`("odt", "ODT")`), for messages and the reviewer's copy.
    pub format_labels: Vec<(&'static str, &'static str)>,
}

impl Resolver<'_> {
    /// How a format is named to readers: its label, or the name when it has none.
    pub fn format_label<'n>(&self, name: &'n str) -> &'n str {
        (self.format_labels.iter())
            .find(|(n, _)| *n == name)
            .map_or(name, |(_, label)| label)
    }
}

/// The letter of the `i`-th annex of a pack (from 0): `A`, `B`, …
fn annex_letter(i: usize) -> String {
    char::from(b'A' + i.min(25) as u8).to_string()
}

/// What the chapters of one pack are resolved with.
struct PackScope<'a> {
    vars: &'a VarScope<'a>,
    /// The ids that the pack holds.
    visible: &'a BTreeSet<String>,
    /// The ids that only some formats show, with those formats.
    shown_in: &'a BTreeMap<String, Vec<String>>,
    /// The pack as messages name it.
    label: &'a str,
    /// The names in which acronyms are never expanded.
    names: &'a [String],
    /// In the reviewer's copy: each area's variables, for its local text (the national text
    /// shows a placeholder where packs differ). `None` in a pack.
    review: Option<&'a [VarScope<'a>]>,
}

/// A chapter on its way through resolution: filtered and expanded, not yet numbered.
#[derive(Clone, Debug)]
struct Draft {
    id: String,
    title: String,
    language: Option<String>,
    summary: Option<String>,
    draft: bool,
    /// The Markdown file a writer wrote it in; `None` for an annex guidepack makes (which has
    /// no numbered paragraphs).
    file: Option<String>,
    blocks: Vec<Block>,
    footnotes: BTreeMap<String, Vec<Block>>,
    /// The formats that show it, when not all.
    formats: Option<Vec<String>>,
}

impl Resolver<'_> {
    /// Resolves the pack of `audience`, in `area` or nationally. Problems go to `diagnostics`;
    /// the pack is still made, as well as it can be.
    pub fn pack(
        &self,
        audience: &Audience,
        area: Option<&Area>,
        diagnostics: &mut Diagnostics,
    ) -> Pack {
        let project = self.project;
        let reader = crate::model::reader(&audience.id, area);
        let mut drafts: Vec<Draft> = project
            .chapters
            .iter()
            .filter_map(|c| {
                let formats = match c.meta.condition.seen_by(&reader, &self.formats) {
                    Seen::Nowhere => return None,
                    Seen::Everywhere => None,
                    Seen::Only(formats) => Some(formats),
                };
                Some(Draft {
                    formats,
                    ..self.draft(c, audience, area)
                })
            })
            .collect();
        let variations =
            area.map(|area| local::place_sections(&mut drafts, area, audience, self, diagnostics));

        let (visible, shown_in) = visible_ids(&drafts);
        let scope = VarScope {
            config: &project.config,
            audience,
            area,
        };
        let label = pack_label(audience, area.map(|a| a.name.as_str()));
        let names = acronyms::names(project);
        let pack = PackScope {
            vars: &scope,
            visible: &visible,
            shown_in: &shown_in,
            label: &label,
            names: &names,
            review: None,
        };
        let mut chapters = Vec::new();
        for (i, draft) in drafts.into_iter().enumerate() {
            let number = (i + 1).to_string();
            chapters.push(self.finish(draft, number, &pack, diagnostics));
        }
        let mut annexes = Vec::new();
        if let Some(variations) = variations.filter(|v| !v.is_empty()) {
            let labels = &project.config.pack.labels;
            annexes.push(local::variations_annex(&variations, area, labels));
        }
        annexes.push(directives::role_directory(project, audience));
        let lettered = annexes.len();
        for (i, annex) in annexes.into_iter().enumerate() {
            chapters.push(self.finish(annex, annex_letter(i), &pack, diagnostics));
        }
        let mut pack = Pack {
            audience: audience.clone(),
            area: area.map(PackArea::of),
            chapters,
            reviewer_copy: false,
        };
        // The change summary is made from the text of the pack without it, and lettered last.
        let previous = match area {
            Some(area) => (self.area_previous.get(area.id.as_str()).copied()).or(self.previous),
            None => self.previous,
        };
        if let Some(previous) = previous {
            let mut annex = changes_annex::change_summary(&pack, previous, project);
            annex.number = annex_letter(lettered);
            pack.chapters.push(annex);
        }
        pack
    }

    /// A chapter filtered for the pack, with its directives expanded.
    fn draft(&self, chapter: &Chapter, audience: &Audience, area: Option<&Area>) -> Draft {
        let reader = crate::model::reader(&audience.id, area);
        let mut items = Vec::new();
        flatten(&chapter.nodes, &reader, &self.formats, &mut items);
        let items = filter_sections(items, &reader, &self.formats);
        let blocks = self.expand(items, audience, area);
        Draft {
            formats: None,
            id: chapter.meta.id.clone(),
            title: chapter.meta.title.clone(),
            language: chapter.meta.language.clone(),
            summary: chapter.meta.summary.clone(),
            draft: chapter.meta.draft,
            file: Some(chapter.file.clone()),
            blocks,
            footnotes: chapter.footnotes.clone(),
        }
    }

    fn expand(&self, items: Vec<Item>, audience: &Audience, area: Option<&Area>) -> Vec<Block> {
        let mut blocks = Vec::new();
        for item in items {
            match item {
                Item::Block(block) => blocks.push(block),
                Item::Directive(d) => {
                    blocks.extend(crate::directives::expand(d, self.project, audience, area))
                }
                Item::Formats(formats, items) => blocks.push(Block::ForFormats {
                    formats,
                    blocks: self.expand(items, audience, area),
                }),
            }
        }
        blocks
    }

    fn finish(
        &self,
        draft: Draft,
        number: String,
        pack: &PackScope,
        diagnostics: &mut Diagnostics,
    ) -> PackChapter {
        let file = draft.file.as_deref().unwrap_or_default();
        let mut cx = inlines::Context::new(self, file, pack, &draft.footnotes);
        cx.formats = draft.formats.clone();
        let mut blocks = draft.blocks;
        cx.blocks(&mut blocks, diagnostics);
        let title = cx.text(&draft.title, diagnostics);
        let footnotes = cx.footnotes(diagnostics);
        number_blocks(
            &mut blocks,
            &number,
            self.project.config.pack.numbered_paragraphs && draft.file.is_some(),
        );
        PackChapter {
            id: draft.id,
            number,
            title,
            language: draft.language,
            summary: draft.summary,
            draft: draft.draft,
            file: draft.file,
            blocks,
            footnotes,
            formats: draft.formats,
        }
    }
}

/// A body element after conditional blocks are applied.
enum Item<'a> {
    Block(Block),
    Directive(&'a crate::model::Directive),
    /// What only these formats show.
    Formats(Vec<String>, Vec<Item<'a>>),
}

/// The body for the pack `reader`: the blocks of conditions it meets, those for some formats
/// only kept as [`Item::Formats`].
fn flatten<'a>(nodes: &'a [Node], reader: &Reader, all: &[&str], out: &mut Vec<Item<'a>>) {
    for node in nodes {
        match node {
            Node::Block(block) => out.push(Item::Block(block.clone())),
            Node::Conditional {
                condition,
                children,
                ..
            } => match condition.seen_by(reader, all) {
                Seen::Nowhere => {}
                Seen::Everywhere => flatten(children, reader, all, out),
                Seen::Only(formats) => {
                    let mut inner = Vec::new();
                    flatten(children, reader, all, &mut inner);
                    out.push(Item::Formats(formats, inner));
                }
            },
            Node::Directive(d) => out.push(Item::Directive(d)),
        }
    }
}

/// Applies the conditions of headings (`{audience=…}`, `{area=…}`, `{format=…}`) to their
/// sections, from the heading to the next heading of the same or a higher level: a section the
/// pack does not see is dropped, one that some formats only show is kept as
/// [`Item::Formats`]. A section inside a block for some formats ends where that block ends.
fn filter_sections<'a>(items: Vec<Item<'a>>, reader: &Reader, all: &[&str]) -> Vec<Item<'a>> {
    /// Sections for some formats that are still open: level, formats, items.
    type Open<'a> = Vec<(u8, Vec<String>, Vec<Item<'a>>)>;
    fn close<'a>(open: &mut Open<'a>, out: &mut Vec<Item<'a>>, level: u8) {
        while open.last().is_some_and(|(l, _, _)| *l >= level) {
            let Some((_, formats, items)) = open.pop() else {
                break;
            };
            push(open, out, Item::Formats(formats, items));
        }
    }
    fn push<'a>(open: &mut Open<'a>, out: &mut Vec<Item<'a>>, item: Item<'a>) {
        match open.last_mut() {
            Some((_, _, items)) => items.push(item),
            None => out.push(item),
        }
    }
    let mut out = Vec::new();
    let mut open: Open = Vec::new();
    let mut skipping: Option<u8> = None;
    for item in items {
        let item = match item {
            Item::Formats(formats, inner) => {
                Item::Formats(formats, filter_sections(inner, reader, all))
            }
            other => other,
        };
        if let Item::Block(Block::Heading(h)) = &item {
            if skipping.is_some_and(|level| h.level <= level) {
                skipping = None;
            }
            if skipping.is_none() {
                close(&mut open, &mut out, h.level);
                match h.condition.seen_by(reader, all) {
                    Seen::Nowhere => skipping = Some(h.level),
                    Seen::Everywhere => {}
                    Seen::Only(formats) => open.push((h.level, formats, Vec::new())),
                }
            }
        }
        if skipping.is_none() {
            push(&mut open, &mut out, item);
        }
    }
    close(&mut open, &mut out, 0);
    out
}

/// Ids that a pack holds (its chapters, their headings, and the generated annexes), and those
/// of them that some formats only show, with those formats.
fn visible_ids(drafts: &[Draft]) -> (BTreeSet<String>, BTreeMap<String, Vec<String>>) {
    let mut ids: BTreeSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    let mut shown_in = BTreeMap::new();
    for draft in drafts {
        ids.insert(draft.id.clone());
        if let Some(formats) = &draft.formats {
            shown_in.insert(draft.id.clone(), formats.clone());
        }
        let only = draft.formats.as_deref();
        collect_heading_ids(&draft.blocks, only, &mut ids, &mut shown_in);
    }
    (ids, shown_in)
}

fn collect_heading_ids(
    blocks: &[Block],
    only: Option<&[String]>,
    ids: &mut BTreeSet<String>,
    shown_in: &mut BTreeMap<String, Vec<String>>,
) {
    for block in blocks {
        match block {
            Block::Heading(h) => {
                ids.insert(h.id.clone());
                if let Some(formats) = only {
                    shown_in.insert(h.id.clone(), formats.to_vec());
                }
            }
            Block::Local { blocks, .. } | Block::Labelled { blocks, .. } => {
                collect_heading_ids(blocks, only, ids, shown_in)
            }
            Block::ForFormats { formats, blocks } => {
                let narrowed = narrow(only, formats);
                collect_heading_ids(blocks, Some(&narrowed), ids, shown_in)
            }
            _ => {}
        }
    }
}

/// The formats of `formats` that `only` (all when `None`) also has.
fn narrow(only: Option<&[String]>, formats: &[String]) -> Vec<String> {
    (formats.iter())
        .filter(|f| only.is_none_or(|only| only.contains(f)))
        .cloned()
        .collect()
}

/// Numbers headings (`3.1`, `3.1.2`) or, when asked, the top-level paragraphs that a writer
/// wrote (`3.4`) instead; generated paragraphs (captions, notes) are not numbered.
fn number_blocks(blocks: &mut [Block], chapter: &str, paragraphs: bool) {
    let mut counters = [0u32; 7];
    let mut para = 0;
    number_in(blocks, chapter, paragraphs, &mut counters, &mut para);
}

fn number_in(
    blocks: &mut [Block],
    chapter: &str,
    paragraphs: bool,
    counters: &mut [u32; 7],
    para: &mut u32,
) {
    for block in blocks {
        match block {
            // With numbered paragraphs, the paragraph numbers are the references (as in DfE
            // and DH guidance): section headings stay unnumbered so that "2.1" means one thing.
            Block::Heading(_) if paragraphs => {}
            Block::Heading(h) => {
                let level = h.level.clamp(2, 6) as usize;
                counters[level] += 1;
                counters[level + 1..].iter_mut().for_each(|c| *c = 0);
                let mut number = chapter.to_string();
                for (depth, count) in counters.iter().enumerate().take(level + 1).skip(2) {
                    // A skipped level (## then ####) counts as 1 rather than 0.
                    let count = if *count == 0 && depth < level {
                        1
                    } else {
                        *count
                    };
                    number.push_str(&format!(".{count}"));
                }
                h.number = Some(number);
            }
            Block::Paragraph(p) if paragraphs && p.pos.line > 0 && !is_image_only(&p.inlines) => {
                *para += 1;
                p.number = Some(format!("{chapter}.{para}"));
            }
            Block::Local { blocks, .. }
            | Block::Directed { blocks, .. }
            | Block::ForFormats { blocks, .. }
            | Block::Labelled { blocks, .. } => {
                number_in(blocks, chapter, paragraphs, counters, para)
            }
            _ => {}
        }
    }
}

fn is_image_only(inlines: &[Inline]) -> bool {
    !inlines.is_empty()
        && inlines
            .iter()
            .all(|i| matches!(i, Inline::Image(_) | Inline::SoftBreak))
}

#[cfg(test)]
mod condition_tests;
#[cfg(test)]
mod tests;
