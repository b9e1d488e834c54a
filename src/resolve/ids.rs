//! The ids of a project's text: chapters and headings, unique across the national text, so that
//! `[text](#id)` means the same thing in every pack.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::doc::{Block, RESERVED_PATTERNS, is_reserved_id, is_valid_id, plain_text, slugify};
use crate::model::{Chapter, Node, Project};
use crate::parse::malformed_id;

pub use crate::doc::RESERVED_IDS;

/// Where an id points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdTarget {
    /// The chapter that holds it.
    pub chapter: String,
    /// True when the id is the chapter's own.
    pub is_chapter: bool,
    pub file: String,
    pub pos: Pos,
}

/// Every id of the national text and of each area's local sections.
#[derive(Clone, Debug, Default)]
pub struct IdIndex {
    pub targets: BTreeMap<String, IdTarget>,
}

impl IdIndex {
    pub fn get(&self, id: &str) -> Option<&IdTarget> {
        self.targets.get(id)
    }
}

/// Checks explicit ids, makes ids from heading text unique (`-2`, `-3` …), and indexes them.
/// Done again on the same project, it gives the same ids.
/// Local sections of areas are indexed with the national text: their ids may not clash with it.
pub fn index_ids(project: &mut Project, diagnostics: &mut Diagnostics) -> IdIndex {
    let mut index = IdIndex::default();
    let mut explicit: BTreeSet<String> = BTreeSet::new();
    let chapters = project
        .chapters
        .iter_mut()
        .chain(project.areas.iter_mut().flat_map(|a| a.sections.iter_mut()));
    let chapters: Vec<&mut Chapter> = chapters.collect();
    let chapter_ids: BTreeSet<String> = chapters
        .iter()
        .map(|c| c.meta.id.clone())
        .chain(RESERVED_IDS.iter().map(|id| id.to_string()))
        .collect();
    let is_chapter = |id: &str| chapter_ids.contains(id);

    // Chapter ids and explicit heading ids first: they win over ids made from text.
    for chapter in &chapters {
        let is_local = chapter.meta.placement.is_some();
        let chapter_id = &chapter.meta.id;
        if is_reserved_id(chapter_id, &is_chapter) {
            let pos = chapter.meta.id_pos.unwrap_or(chapter.meta.title_pos);
            diagnostics.push(
                reserved(chapter_id)
                    .at(&chapter.file, pos)
                    .help(match chapter.meta.id_pos {
                        Some(_) => "give this chapter another `id`".to_string(),
                        None => format!(
                            "its file name gives it this id: add another `id: …` to its front matter, or rename the file; {}",
                            reserved_help()
                        ),
                    }),
            );
        }
        if !is_local {
            add(
                &mut index,
                &mut explicit,
                chapter_id,
                IdTarget {
                    chapter: chapter_id.clone(),
                    is_chapter: true,
                    file: chapter.file.clone(),
                    pos: chapter.meta.id_pos.unwrap_or(chapter.meta.title_pos),
                },
                diagnostics,
            );
        }
        for_each_heading(&chapter.nodes, &mut |block| {
            if let Block::Heading(h) = block
                && h.explicit_id
            {
                if !is_valid_id(&h.id) {
                    diagnostics.push(malformed_id("heading", &h.id).at(&chapter.file, h.pos));
                } else if is_reserved_id(&h.id, &is_chapter) {
                    diagnostics.push(
                        reserved(&h.id)
                            .at(&chapter.file, h.pos)
                            .help(format!("give the heading another id; {}", reserved_help())),
                    );
                    return;
                }
                add(
                    &mut index,
                    &mut explicit,
                    &h.id,
                    IdTarget {
                        chapter: chapter_id.clone(),
                        is_chapter: false,
                        file: chapter.file.clone(),
                        pos: h.pos,
                    },
                    diagnostics,
                );
            }
        });
    }
    // Then ids made from heading text, in chapter order, made unique. The last suffix given
    // to each text is kept (ids are never freed), so that 20,000 headings with the same text
    // do not each try `-2`, `-3`, … from the start.
    let mut last_suffix: HashMap<String, u32> = HashMap::new();
    for chapter in chapters {
        let chapter_id = chapter.meta.id.clone();
        let file = chapter.file.clone();
        for_each_heading_mut(&mut chapter.nodes, &mut |block| {
            if let Block::Heading(h) = block
                && !h.explicit_id
            {
                // Made from the text again, so that indexing the same project twice (watch
                // mode keeps its project between builds) gives the same ids.
                // A made-up id steps aside from a reserved one too (`contents-2`).
                let base = slugify(&plain_text(&h.inlines));
                h.id = base.clone();
                let n = last_suffix.entry(base.clone()).or_insert(1);
                if *n > 1 {
                    h.id = format!("{base}-{n}");
                }
                while index.targets.contains_key(&h.id) || is_reserved_id(&h.id, &is_chapter) {
                    *n += 1;
                    h.id = format!("{base}-{n}");
                }
                index.targets.insert(
                    h.id.clone(),
                    IdTarget {
                        chapter: chapter_id.clone(),
                        is_chapter: false,
                        file: file.clone(),
                        pos: h.pos,
                    },
                );
            }
        });
    }
    index
}

fn reserved(id: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "the id `{id}` is reserved for a part that guidepack makes itself"
    ))
}

fn reserved_help() -> String {
    let quoted = |list: &[&str]| {
        list.iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "guidepack keeps the ids {} and the anchors {}",
        quoted(&RESERVED_IDS),
        quoted(&RESERVED_PATTERNS)
    )
}

fn add(
    index: &mut IdIndex,
    explicit: &mut BTreeSet<String>,
    id: &str,
    target: IdTarget,
    diagnostics: &mut Diagnostics,
) {
    if let Some(first) = index.targets.get(id) {
        diagnostics.push(
            Diagnostic::error(format!("the id `{id}` is used twice"))
                .at(&target.file, target.pos)
                .help(format!(
                    "it is first used at {}:{}:{}; give one of them another id",
                    first.file, first.pos.line, first.pos.col
                )),
        );
        return;
    }
    explicit.insert(id.to_string());
    index.targets.insert(id.to_string(), target);
}

/// Calls `f` on every heading block of a chapter body, in document order.
pub fn for_each_heading(nodes: &[Node], f: &mut dyn FnMut(&Block)) {
    for node in nodes {
        match node {
            Node::Block(block) => f(block),
            Node::Conditional { children, .. } => for_each_heading(children, f),
            Node::Directive(_) => {}
        }
    }
}

fn for_each_heading_mut(nodes: &mut [Node], f: &mut dyn FnMut(&mut Block)) {
    for node in nodes {
        match node {
            Node::Block(block) => f(block),
            Node::Conditional { children, .. } => for_each_heading_mut(children, f),
            Node::Directive(_) => {}
        }
    }
}
