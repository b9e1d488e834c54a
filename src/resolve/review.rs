//! The reviewer's copy: one pack with every audience's and area's text. Nothing is filtered:
//! each part that only some packs hold is wrapped in a [`Block::Labelled`] that says who sees
//! it, and each area's local sections stand right beside the national text they replace or
//! join. Labels are made by one function, [`condition_label`].

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::directives::{self, DutyFilter, Request};
use super::{Draft, Pack, PackScope, Resolver, VarScope, acronyms, section_audiences, visible_ids};
use crate::diagnostic::Diagnostics;
use crate::doc::{Align, Block, Heading, Inline, Paragraph, Table, plain_text};
use crate::model::{Area, Audience, Chapter, Directive, Node, Placement, Project};

/// Who reads the text being resolved: the readers of one pack (an audience, in an area or
/// nationally), or the clearance reviewer, who reads every pack's text at once.
#[derive(Clone, Copy, Debug)]
pub enum Reader<'a> {
    Pack {
        audience: &'a Audience,
        area: Option<&'a Area>,
    },
    Reviewer,
}

/// The audience id of the reviewer's copy: its folder is `output/<version>/review/`.
pub const REVIEW_ID: &str = "review";

/// The audience the reviewer's copy is made for (its pages and PDF name it).
pub fn reviewer_audience() -> Audience {
    Audience {
        id: REVIEW_ID.to_string(),
        name: "Reviewer's copy".to_string(),
        description: "Every audience's and every area's text in one copy, each part that only some packs hold labelled with who sees it. Not for publication.".to_string(),
    }
}

/// Who sees a part, in the terms of today's conditions: a `::: audience` fence or `{audience=…}`
/// heading, front matter `audiences:`, a local area's text, the national packs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who<'a> {
    /// Audience ids; `negate` for every audience but those.
    Audiences { negate: bool, ids: Vec<&'a str> },
    /// Area ids, `national` for the national packs; `negate` for every pack but theirs.
    Areas { negate: bool, ids: Vec<&'a str> },
}

/// The names that labels give ids: audiences and areas, in the project's order.
#[derive(Clone, Debug, Default)]
pub struct Names {
    audiences: Vec<(String, String)>,
    areas: Vec<(String, String)>,
}

impl Names {
    pub fn of(project: &Project) -> Self {
        Names {
            audiences: (project.config.audiences.iter())
                .map(|a| (a.id.clone(), a.name.clone()))
                .collect(),
            areas: (project.areas.iter())
                .map(|a| (a.id.clone(), a.name.clone()))
                .collect(),
        }
    }

    /// The names of `ids` in the project's order (an unknown id as itself, last).
    fn list(known: &[(String, String)], ids: &[&str], national: bool) -> String {
        let mut names: Vec<String> = known
            .iter()
            .filter(|(id, _)| ids.contains(&id.as_str()))
            .map(|(_, name)| name.clone())
            .collect();
        for id in ids {
            if national && *id == "national" {
                names.insert(0, "National packs".to_string());
            } else if !known.iter().any(|(k, _)| k == id) {
                names.push(id.to_string());
            }
        }
        names.join(", ")
    }
}

/// The text that says who sees a part: "Commissioners, Providers only", "All but Local
/// authorities", "Northshire only", "National packs only", "All but Northshire, Riverbury".
/// The one place where a condition becomes words (at the merge: `Condition::label`).
pub fn condition_label(who: &Who, names: &Names) -> String {
    let (negate, list) = match who {
        Who::Audiences { negate, ids } => (*negate, Names::list(&names.audiences, ids, false)),
        Who::Areas { negate, ids } => (*negate, Names::list(&names.areas, ids, true)),
    };
    if negate {
        format!("All but {list}")
    } else {
        format!("{list} only")
    }
}

/// The full label of a region: "Seen by: <who>", and what it is when that needs saying.
fn seen_by(who: &str, what: Option<&str>) -> String {
    match what {
        Some(what) => format!("Seen by: {who} — {what}"),
        None => format!("Seen by: {who}"),
    }
}

fn audiences_label(negate: bool, ids: Vec<&str>, names: &Names) -> String {
    condition_label(&Who::Audiences { negate, ids }, names)
}

fn areas_label(negate: bool, ids: Vec<&str>, names: &Names) -> String {
    condition_label(&Who::Areas { negate, ids }, names)
}

impl Resolver<'_> {
    /// Resolves the text for a reader: one pack, or the reviewer's copy.
    pub fn resolve(&self, reader: Reader, diagnostics: &mut Diagnostics) -> Pack {
        match reader {
            Reader::Pack { audience, area } => self.pack(audience, area, diagnostics),
            Reader::Reviewer => self.review(diagnostics),
        }
    }

    /// The reviewer's copy: every chapter, block and local section, each conditional part
    /// labelled; national text shows a placeholder where packs read different values, and
    /// an annex lists the values; the directory of roles lists every duty with its audiences.
    pub fn review(&self, diagnostics: &mut Diagnostics) -> Pack {
        let project = self.project;
        let config = &project.config;
        let names = Names::of(project);
        let reviewer = reviewer_audience();
        let mut used: BTreeSet<String> = self.ids.targets.keys().cloned().collect();
        used.extend(super::RESERVED_IDS.iter().map(|s| s.to_string()));
        let mut drafts: Vec<Draft> = (project.chapters.iter())
            .map(|c| self.review_draft(c, &names))
            .collect();
        self.place_local_sections(&mut drafts, &names, &mut used);

        let visible = visible_ids(&drafts);
        let scope = VarScope {
            config,
            audience: &reviewer,
            area: None,
        };
        let area_scopes: Vec<VarScope> = (project.areas.iter())
            .map(|area| VarScope {
                config,
                audience: &reviewer,
                area: Some(area),
            })
            .collect();
        let label = "the reviewer's copy".to_string();
        let acronym_names = acronyms::names(project);
        let pack = PackScope {
            vars: &scope,
            visible: &visible,
            label: &label,
            names: &acronym_names,
            review: Some(&area_scopes),
        };
        let mut chapters = Vec::new();
        for (i, draft) in drafts.into_iter().enumerate() {
            chapters.push(self.finish(draft, (i + 1).to_string(), &pack, diagnostics));
        }
        let mut annexes: Vec<Draft> = local_values_annex(project, &mut used).into_iter().collect();
        let note = |duty: &crate::model::Duty| {
            let ids: Vec<&str> = duty.audiences.iter().map(|a| a.value.as_str()).collect();
            let who = if ids.is_empty() {
                "no audience's directory (only `::: duties all`, `::: duties role=…` and `::: role` list it)".to_string()
            } else {
                Names::list(&names.audiences, &ids, false)
            };
            vec![
                Inline::Strong(vec![Inline::Text("For:".to_string())]),
                Inline::Text(format!(" {who}.")),
            ]
        };
        annexes.push(directives::review_role_directory(project, &note));
        for (i, annex) in annexes.into_iter().enumerate() {
            let number = char::from(b'A' + i as u8).to_string();
            chapters.push(self.finish(annex, number, &pack, diagnostics));
        }
        Pack {
            audience: reviewer,
            area: None,
            chapters,
        }
    }

    /// A national chapter with nothing filtered out: a chapter for some audiences is labelled
    /// as a whole.
    fn review_draft(&self, chapter: &Chapter, names: &Names) -> Draft {
        let mut blocks = self.review_nodes(&chapter.nodes, names);
        if let Some(list) = &chapter.meta.audiences {
            let ids = list.iter().map(|a| a.value.as_str()).collect();
            blocks = vec![Block::Labelled {
                label: seen_by(
                    &audiences_label(false, ids, names),
                    Some("the whole chapter"),
                ),
                blocks,
            }];
        }
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

    /// A chapter body: audience fences and sections labelled, directives expanded for
    /// every audience and area.
    fn review_nodes(&self, nodes: &[Node], names: &Names) -> Vec<Block> {
        let mut out = Vec::new();
        for node in nodes {
            match node {
                Node::Block(block) => out.push(block.clone()),
                Node::Audience {
                    filter, children, ..
                } => {
                    let ids = filter.ids.iter().map(|id| id.value.as_str()).collect();
                    out.push(Block::Labelled {
                        label: seen_by(&audiences_label(filter.negate, ids, names), None),
                        blocks: self.review_nodes(children, names),
                    });
                }
                Node::Directive(d) => out.extend(self.review_directive(d, names)),
            }
        }
        label_sections(out, names)
    }

    /// A directive as every pack shows it: once when every pack shows the same, else once for
    /// each group of audiences (or each area) that sees the same, labelled.
    fn review_directive(&self, directive: &Directive, names: &Names) -> Vec<Block> {
        let project = self.project;
        let reviewer = reviewer_audience();
        match directives::request(directive) {
            Ok(Request::Duties(DutyFilter::Audience) | Request::Roles) => {
                let mut groups: Vec<(Vec<Block>, Vec<&str>)> = Vec::new();
                for audience in &project.config.audiences {
                    let blocks = directives::expand(directive, project, audience, None);
                    match groups.iter_mut().find(|(b, _)| *b == blocks) {
                        Some((_, ids)) => ids.push(&audience.id),
                        None => groups.push((blocks, vec![&audience.id])),
                    }
                }
                if groups.len() == 1 {
                    return groups.remove(0).0;
                }
                groups
                    .into_iter()
                    .map(|(blocks, ids)| Block::Labelled {
                        label: seen_by(
                            &audiences_label(false, ids, names),
                            Some("made from the framework data for each audience"),
                        ),
                        blocks,
                    })
                    .collect()
            }
            Ok(Request::Contacts) if !project.areas.is_empty() => {
                let national = directives::expand(directive, project, &reviewer, None);
                let mut out = vec![Block::Labelled {
                    label: seen_by(&areas_label(false, vec!["national"], names), None),
                    blocks: national,
                }];
                for area in &project.areas {
                    out.push(Block::Labelled {
                        label: seen_by(
                            &areas_label(false, vec![area.id.as_str()], names),
                            Some("made from the area's contacts"),
                        ),
                        blocks: directives::expand(directive, project, &reviewer, Some(area)),
                    });
                }
                out
            }
            _ => directives::expand(directive, project, &reviewer, None),
        }
    }

    /// Puts each area's local sections beside the national text: right after the section or
    /// chapter it replaces or follows, right before the one it precedes, each labelled with
    /// its area and where it goes. A national part that areas replace is labelled too.
    fn place_local_sections(
        &self,
        drafts: &mut Vec<Draft>,
        names: &Names,
        used: &mut BTreeSet<String>,
    ) {
        let project = self.project;
        let parts: Vec<(&Area, &Chapter, &Placement)> = (project.areas.iter())
            .flat_map(|area| {
                (area.sections.iter())
                    .filter_map(move |s| Some((area, s, s.meta.placement.as_ref()?)))
            })
            .collect();
        let mut replaced_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (area, _, placement) in &parts {
            if let Placement::Replaces(t) = placement {
                let areas = replaced_by.entry(t.value.as_str()).or_default();
                if !areas.contains(&area.id.as_str()) {
                    areas.push(&area.id);
                }
            }
        }
        let mut wrapped: BTreeSet<&str> = BTreeSet::new();
        let mut after: BTreeMap<&str, usize> = BTreeMap::new();
        for (area, section, placement) in parts {
            let (Placement::Replaces(t) | Placement::After(t) | Placement::Before(t)) = placement;
            let target = t.value.as_str();
            let Some(found) = self.ids.get(target) else {
                continue;
            };
            let mut who = areas_label(false, vec![area.id.as_str()], names);
            if let Some(list) = &section.meta.audiences {
                let ids = list.iter().map(|a| a.value.as_str()).collect();
                who = format!("{who}; {}", audiences_label(false, ids, names));
            }
            let id = unique_id(&format!("{}-{}", area.id, section.meta.id), used);
            let local = self.review_nodes(&section.nodes, names);
            let replaces = matches!(placement, Placement::Replaces(_));
            let replacers = replaced_by.get(target).cloned().unwrap_or_default();
            let national_label = |what: &str| {
                let theirs = if replacers.len() == 1 { "its" } else { "their" };
                seen_by(
                    &areas_label(true, replacers.clone(), names),
                    Some(&format!(
                        "{theirs} packs read {theirs} own text, below, in place of this {what}"
                    )),
                )
            };
            if found.is_chapter {
                let Some(at) = drafts.iter().position(|d| d.id == target) else {
                    continue;
                };
                let title = drafts[at].title.clone();
                if replaces && wrapped.insert(target) {
                    let blocks = std::mem::take(&mut drafts[at].blocks);
                    drafts[at].blocks = vec![Block::Labelled {
                        label: national_label("chapter"),
                        blocks,
                    }];
                }
                let label = seen_by(&who, Some(&placed(placement, "the chapter", &title)));
                let draft = Draft {
                    id,
                    title: area_text(&section.meta.title, project, area),
                    summary: section.meta.summary.clone(),
                    draft: section.meta.draft,
                    file: section.file.clone(),
                    blocks: vec![Block::Labelled {
                        label,
                        blocks: vec![local_block(section, local)],
                    }],
                    footnotes: section.footnotes.clone(),
                };
                let index = match placement {
                    Placement::Before(_) => at,
                    _ => {
                        let count = after.entry(target).or_default();
                        *count += 1;
                        at + *count
                    }
                };
                drafts.insert(index, draft);
            } else {
                // The chapter that holds the target (one that holds it in other local text
                // when it is not a national heading), or else the last.
                let at = (drafts.iter().position(|d| d.id == found.chapter))
                    .or_else(|| {
                        drafts
                            .iter()
                            .position(|d| holds_heading_deep(&d.blocks, target))
                    })
                    .or(drafts.len().checked_sub(1));
                let Some(chapter) = at.and_then(|at| drafts.get_mut(at)) else {
                    continue;
                };
                if replaces && wrapped.insert(target) {
                    let label = national_label("section");
                    if let Some((blocks, range, _)) = find_section(&mut chapter.blocks, target) {
                        let national: Vec<Block> = blocks.drain(range.clone()).collect();
                        let wrapped = Block::Labelled {
                            label,
                            blocks: national,
                        };
                        blocks.insert(range.start, wrapped);
                    }
                }
                // A target that is not a section of the national text (a heading of other
                // local text) cannot be shown beside it: the local text goes at the chapter's
                // end, so that the copy still holds it.
                let found = match holds_heading(&chapter.blocks, target) {
                    true => find_section(&mut chapter.blocks, target),
                    false => None,
                };
                let (blocks, range, title) = match found {
                    Some(found) => found,
                    None => {
                        let end = chapter.blocks.len();
                        (&mut chapter.blocks, end..end, format!("#{target}"))
                    }
                };
                let level = first_heading_level(&blocks[range.start..]).unwrap_or(2);
                let mut local = local;
                let prefix = format!("{}/", area.id);
                rename_footnotes(&mut local, &prefix);
                local.insert(
                    0,
                    Block::Heading(Heading {
                        level,
                        id,
                        explicit_id: true,
                        inlines: crate::doc::text_with_variables(
                            &section.meta.title,
                            section.meta.title_pos,
                        ),
                        pos: section.meta.title_pos,
                        number: None,
                        attrs: Vec::new(),
                    }),
                );
                let label = seen_by(&who, Some(&placed(placement, "the section", &title)));
                let region = Block::Labelled {
                    label,
                    blocks: vec![local_block(section, local)],
                };
                let index = match placement {
                    Placement::Before(_) => range.start,
                    _ => {
                        let count = after.entry(target).or_default();
                        *count += 1;
                        range.end + *count - 1
                    }
                };
                blocks.insert(index, region);
                for (label, mut note) in section.footnotes.clone() {
                    rename_footnotes(&mut note, &prefix);
                    chapter.footnotes.insert(format!("{prefix}{label}"), note);
                }
            }
        }
    }
}

/// "in place of the section “Local arrangements”", "added after …", "added before …".
fn placed(placement: &Placement, what: &str, title: &str) -> String {
    match placement {
        Placement::Replaces(_) => format!("in place of {what} “{title}”"),
        Placement::After(_) => format!("added after {what} “{title}”"),
        Placement::Before(_) => format!("added before {what} “{title}”"),
    }
}

/// A local section's text, marked as the area's: its variables are the area's. Its own "Local
/// text" label is left out: the labelled region around it says whose it is.
fn local_block(section: &Chapter, blocks: Vec<Block>) -> Block {
    Block::Local {
        area: String::new(),
        file: section.file.clone(),
        blocks,
    }
}

/// A plain text (a local chapter's title) with the area's values put in; a name the area
/// does not define stays for resolving to report.
fn area_text(text: &str, project: &Project, area: &Area) -> String {
    if !text.contains("{{") {
        return text.to_string();
    }
    let reviewer = reviewer_audience();
    let scope = VarScope {
        config: &project.config,
        audience: &reviewer,
        area: Some(area),
    };
    let mut out = String::new();
    for part in crate::doc::text_with_variables(text, Default::default()) {
        match part {
            Inline::Var { name, .. } => match scope.lookup(&name) {
                Ok(value) => out.push_str(&value),
                Err(_) => out.push_str(&format!("{{{{ {name} }}}}")),
            },
            other => out.push_str(&plain_text(&[other])),
        }
    }
    out
}

/// `base`, or `base-2`, `base-3` … when an id of the text already has it.
fn unique_id(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 1;
    while used.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    used.insert(id.clone());
    id
}

/// Wraps each section whose heading says `{audience=…}` (from the heading to the next heading
/// of the same or a higher level) in a labelled region.
fn label_sections(blocks: Vec<Block>, names: &Names) -> Vec<Block> {
    let mut out = Vec::new();
    let mut rest = blocks.into_iter().peekable();
    while let Some(block) = rest.next() {
        let labelled = match &block {
            Block::Heading(h) => section_audiences(h).map(|(negate, ids)| {
                (h.level, seen_by(&audiences_label(negate, ids, names), None))
            }),
            _ => None,
        };
        let Some((level, label)) = labelled else {
            out.push(block);
            continue;
        };
        let mut inner = Vec::new();
        while let Some(next) = rest.peek() {
            if first_heading_level(std::slice::from_ref(next)).is_some_and(|l| l <= level) {
                break;
            }
            inner.extend(rest.next());
        }
        let mut blocks = vec![block];
        blocks.extend(label_sections(inner, names));
        out.push(Block::Labelled { label, blocks });
    }
    out
}

/// The level of the heading that `blocks` start with, inside labelled and local regions too.
fn first_heading_level(blocks: &[Block]) -> Option<u8> {
    first_heading(blocks).map(|h| h.level)
}

fn first_heading(blocks: &[Block]) -> Option<&Heading> {
    match blocks.first()? {
        Block::Heading(h) => Some(h),
        Block::Labelled { blocks, .. } | Block::Local { blocks, .. } => first_heading(blocks),
        _ => None,
    }
}

fn holds_heading(blocks: &[Block], id: &str) -> bool {
    blocks.iter().any(|b| match b {
        Block::Heading(h) => h.id == id,
        Block::Labelled { blocks, .. } => holds_heading(blocks, id),
        _ => false,
    })
}

/// Whether `blocks` hold a heading `id` anywhere, local text included.
fn holds_heading_deep(blocks: &[Block], id: &str) -> bool {
    blocks.iter().any(|b| match b {
        Block::Heading(h) => h.id == id,
        Block::Labelled { blocks, .. } | Block::Local { blocks, .. } => {
            holds_heading_deep(blocks, id)
        }
        _ => false,
    })
}

/// The section of heading `id`, wherever it is (inside labelled regions too): the blocks that
/// hold it, its range there, and its heading's text. A labelled region that starts with the
/// heading is the section.
fn find_section<'b>(
    blocks: &'b mut Vec<Block>,
    id: &str,
) -> Option<(&'b mut Vec<Block>, Range<usize>, String)> {
    enum Found {
        Heading(u8, String),
        Region(String),
        Inside,
    }
    let (at, found) = blocks.iter().enumerate().find_map(|(i, b)| match b {
        Block::Heading(h) if h.id == id => {
            Some((i, Found::Heading(h.level, plain_text(&h.inlines))))
        }
        Block::Labelled { blocks: inner, .. } => match first_heading(inner) {
            Some(h) if h.id == id => Some((i, Found::Region(plain_text(&h.inlines)))),
            _ if holds_heading(inner, id) => Some((i, Found::Inside)),
            _ => None,
        },
        _ => None,
    })?;
    match found {
        Found::Heading(level, title) => {
            let end = (at + 1..blocks.len())
                .find(|&j| {
                    first_heading_level(std::slice::from_ref(&blocks[j]))
                        .is_some_and(|l| l <= level)
                })
                .unwrap_or(blocks.len());
            Some((blocks, at..end, title))
        }
        Found::Region(title) => Some((blocks, at..at + 1, title)),
        Found::Inside => match &mut blocks[at] {
            Block::Labelled { blocks: inner, .. } => find_section(inner, id),
            _ => None,
        },
    }
}

/// Gives the footnotes of a local section a label of their own (`<area>/<label>`), so that two
/// areas' notes, and the national ones, never take each other's place in a chapter.
fn rename_footnotes(blocks: &mut [Block], prefix: &str) {
    fn rename(inlines: &mut [Inline], prefix: &str) {
        for inline in inlines {
            match inline {
                Inline::FootnoteRef { label, .. } => *label = format!("{prefix}{label}"),
                Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Inserted(c) => {
                    rename(c, prefix)
                }
                Inline::Link(link) => rename(&mut link.children, prefix),
                _ => {}
            }
        }
    }
    crate::doc::visit_inlines_mut(blocks, &mut |inlines| rename(inlines, prefix));
}

/// The annex that gives each placeholder's value in each pack, when the project has any.
fn local_values_annex(project: &Project, used: &mut BTreeSet<String>) -> Option<Draft> {
    let config = &project.config;
    let keys: BTreeSet<&String> = (config.vars.keys())
        .chain(project.areas.iter().flat_map(|a| a.vars.keys()))
        .collect();
    if keys.is_empty() {
        return None;
    }
    let text = |s: &str| vec![Inline::Text(s.to_string())];
    let mut rows = Vec::new();
    for key in keys {
        let placeholder = vec![Inline::Code(format!("{{{{ area.{key} }}}}"))];
        let national = config.vars.get(key);
        rows.push(vec![
            placeholder.clone(),
            text("National packs"),
            text(national.map_or("— (not defined: national text cannot use it)", |v| v)),
        ]);
        for area in &project.areas {
            let value = match area.vars.get(key) {
                Some(value) => value.clone(),
                None if national.is_some() => "the national value".to_string(),
                None => "— (not defined)".to_string(),
            };
            rows.push(vec![placeholder.clone(), text(&area.name), text(&value)]);
        }
    }
    let code = |s: &str| Inline::Code(s.to_string());
    let intro = vec![
        Inline::Text("In this copy, a part of the national text that reads differently in each pack is shown by its placeholder, such as ".to_string()),
        code("{{ area.designated_nurse }}"),
        Inline::Text(". Each pack reads the value below in its place, and ".to_string()),
        code("{{ audience.name }}"),
        Inline::Text(" reads as the name of the pack's audience. An area's own local sections are shown with that area's values.".to_string()),
    ];
    Some(Draft {
        id: unique_id("local-values", used),
        title: "Placeholders and their values".to_string(),
        summary: Some(
            "What each pack reads in place of each placeholder of the national text.".to_string(),
        ),
        draft: false,
        file: String::new(),
        blocks: vec![
            Block::Paragraph(Paragraph {
                inlines: intro,
                pos: Default::default(),
                number: None,
            }),
            Block::Table(Table {
                caption: text("The value of each placeholder in each pack"),
                aligns: vec![Align::Left; 3],
                head: vec![text("Placeholder"), text("Packs"), text("Value")],
                rows,
                row_headers: true,
            }),
        ],
        footnotes: Default::default(),
    })
}

#[cfg(test)]
mod tests;
