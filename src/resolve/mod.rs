//! Resolve: from the parsed project to one [`Pack`] per audience × area. Pure: no disk, no
//! clock. Audience blocks and sections are filtered, local sections placed, directives
//! expanded, variables, links and acronyms resolved, and headings and paragraphs numbered.

mod acronyms;
mod directives;
mod ids;
mod inlines;
mod local;
mod review;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Diagnostics;
use crate::doc::{Block, Heading, Inline};
use crate::model::{Area, Audience, Chapter, Node, Project};

pub use acronyms::{is_acronym, words};
pub use directives::{DutyFilter, Request as DirectiveRequest, request as directives_request};
pub use ids::{IdIndex, IdTarget, RESERVED_IDS, for_each_heading, index_ids};
pub use inlines::{VarScope, is_external};
pub use review::{Names, Reader, Who, condition_label, reviewer_audience};

/// One pack: the text that one audience (in one area, or nationally) reads.
#[derive(Clone, Debug)]
pub struct Pack {
    pub audience: Audience,
    pub area: Option<PackArea>,
    pub chapters: Vec<PackChapter>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackArea {
    pub id: String,
    pub name: String,
}

impl Pack {
    /// The pack's folder under `output/<version>/`: `providers` or `areas/<id>/providers`.
    pub fn dir(&self) -> String {
        match &self.area {
            None => self.audience.id.clone(),
            Some(area) => format!("areas/{}/{}", area.id, self.audience.id),
        }
    }

    /// How the pack is named in messages: "the Providers pack" or "the Providers pack for Northshire".
    pub fn label(&self) -> String {
        pack_label(&self.audience, self.area.as_ref().map(|a| a.name.as_str()))
    }

    pub fn is_draft(&self) -> bool {
        self.chapters.iter().any(|c| c.draft)
    }
}

pub fn pack_label(audience: &Audience, area: Option<&str>) -> String {
    let reviewer = reviewer_audience();
    if area.is_none() && audience.id == reviewer.id && audience.name == reviewer.name {
        return "the reviewer's copy".to_string();
    }
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
    pub summary: Option<String>,
    pub draft: bool,
    /// The Markdown file it came from (none for generated annexes).
    pub file: Option<String>,
    pub blocks: Vec<Block>,
    /// Footnotes by number, in order of first reference.
    pub footnotes: Vec<(u32, Vec<Block>)>,
}

/// What every pack of a project shares: the parsed project and its id index.
pub struct Resolver<'p> {
    pub project: &'p Project,
    pub ids: &'p IdIndex,
}

/// What the chapters of one pack are resolved with.
struct PackScope<'a> {
    vars: &'a VarScope<'a>,
    /// The ids that the pack holds.
    visible: &'a BTreeSet<String>,
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
    summary: Option<String>,
    draft: bool,
    file: String,
    blocks: Vec<Block>,
    footnotes: BTreeMap<String, Vec<Block>>,
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
        let mut drafts: Vec<Draft> = project
            .chapters
            .iter()
            .filter(|c| admits_chapter(c, &audience.id))
            .map(|c| self.draft(c, audience, area))
            .collect();
        let variations =
            area.map(|area| local::place_sections(&mut drafts, area, audience, self, diagnostics));

        let visible = visible_ids(&drafts);
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
            annexes.push(local::variations_annex(&variations, area));
        }
        annexes.push(directives::role_directory(project, audience));
        for (i, annex) in annexes.into_iter().enumerate() {
            let number = char::from(b'A' + i as u8).to_string();
            chapters.push(self.finish(annex, number, &pack, diagnostics));
        }
        Pack {
            audience: audience.clone(),
            area: area.map(|a| PackArea {
                id: a.id.clone(),
                name: a.name.clone(),
            }),
            chapters,
        }
    }

    /// A chapter filtered for the audience, with its directives expanded.
    fn draft(&self, chapter: &Chapter, audience: &Audience, area: Option<&Area>) -> Draft {
        let mut items = Vec::new();
        flatten(&chapter.nodes, &audience.id, &mut items);
        let items = filter_sections(items, &audience.id);
        let blocks = items
            .into_iter()
            .flat_map(|item| match item {
                Item::Block(block) => vec![block],
                Item::Directive(d) => directives::expand(d, self.project, audience, area),
            })
            .collect();
        Draft {
            id: chapter.meta.id.clone(),
            title: chapter.meta.title.clone(),
            summary: chapter.meta.summary.clone(),
            draft: chapter.meta.draft,
            file: chapter.file.clone(),
            blocks,
            footnotes: chapter.footnotes.clone(),
        }
    }

    fn finish(
        &self,
        draft: Draft,
        number: String,
        pack: &PackScope,
        diagnostics: &mut Diagnostics,
    ) -> PackChapter {
        let mut cx = inlines::Context::new(self, &draft.file, pack, &draft.footnotes);
        let mut blocks = draft.blocks;
        cx.blocks(&mut blocks, diagnostics);
        let title = cx.text(&draft.title, diagnostics);
        let footnotes = cx.footnotes(diagnostics);
        number_blocks(
            &mut blocks,
            &number,
            self.project.config.pack.numbered_paragraphs && draft.file.ends_with(".md"),
        );
        PackChapter {
            id: draft.id,
            number,
            title,
            summary: draft.summary,
            draft: draft.draft,
            file: draft.file.ends_with(".md").then_some(draft.file),
            blocks,
            footnotes,
        }
    }
}

fn admits_chapter(chapter: &Chapter, audience: &str) -> bool {
    chapter
        .meta
        .audiences
        .as_ref()
        .is_none_or(|list| list.iter().any(|a| a.value == audience))
}

/// A body element after audience blocks are applied.
enum Item<'a> {
    Block(Block),
    Directive(&'a crate::model::Directive),
}

fn flatten<'a>(nodes: &'a [Node], audience: &str, out: &mut Vec<Item<'a>>) {
    for node in nodes {
        match node {
            Node::Block(block) => out.push(Item::Block(block.clone())),
            Node::Audience {
                filter, children, ..
            } => {
                if filter.admits(audience) {
                    flatten(children, audience, out);
                }
            }
            Node::Directive(d) => out.push(Item::Directive(d)),
        }
    }
}

/// Drops the sections whose heading says `{audience=…}` without this audience: from that heading
/// to the next heading of the same or a higher level.
fn filter_sections<'a>(items: Vec<Item<'a>>, audience: &str) -> Vec<Item<'a>> {
    let mut kept = Vec::new();
    let mut skipping: Option<u8> = None;
    for item in items {
        if let Item::Block(Block::Heading(h)) = &item {
            if skipping.is_some_and(|level| h.level <= level) {
                skipping = None;
            }
            if skipping.is_none() && !section_admits(h, audience) {
                skipping = Some(h.level);
            }
        }
        if skipping.is_none() {
            kept.push(item);
        }
    }
    kept
}

/// The audiences of a heading's `audience=a,b` attribute (`!a,b` for all but those).
pub fn section_audiences(h: &Heading) -> Option<(bool, Vec<&str>)> {
    let value = h.attr("audience")?;
    let (negate, list) = match value.strip_prefix('!').or(value.strip_prefix("not ")) {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    Some((
        negate,
        list.split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect(),
    ))
}

fn section_admits(h: &Heading, audience: &str) -> bool {
    section_audiences(h).is_none_or(|(negate, list)| list.contains(&audience) != negate)
}

/// Ids that a pack holds: its chapters, their headings, and the generated annexes.
fn visible_ids(drafts: &[Draft]) -> BTreeSet<String> {
    let mut ids: BTreeSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    for draft in drafts {
        ids.insert(draft.id.clone());
        collect_heading_ids(&draft.blocks, &mut ids);
    }
    ids
}

fn collect_heading_ids(blocks: &[Block], ids: &mut BTreeSet<String>) {
    for block in blocks {
        match block {
            Block::Heading(h) => {
                ids.insert(h.id.clone());
            }
            Block::Local { blocks, .. } | Block::Labelled { blocks, .. } => {
                collect_heading_ids(blocks, ids)
            }
            _ => {}
        }
    }
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
            Block::Local { blocks, .. } | Block::Labelled { blocks, .. } => {
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
mod tests;
