//! The reviewer's copy: one pack with every audience's and area's text. Nothing is filtered:
//! each part that only some packs or formats hold is wrapped in a [`Block::Labelled`] that says
//! who sees it (in the words of [`Condition::label`]; nested parts say what both conditions
//! leave), and each area's local sections stand right beside the national text they replace or
//! join. It holds no [`Block::ForFormats`]: a format part is labelled ("PDF only") and every
//! format shows it.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::{Draft, Pack, PackScope, Resolver, VarScope, acronyms, directives, visible_ids};
use crate::condition::{Condition, Kind, Names, Test};
use crate::diagnostic::{Diagnostics, Located};
use crate::doc::{Align, Block, Heading, Inline, Paragraph, Table, plain_text};
use crate::labels::Labels;
use crate::labels::inlines::sentence;
use crate::model::{
    Area, Audience, Chapter, Directive, DirectiveKind, DutyFilter, Node, Placement, Project,
};

/// The audience the reviewer's copy is made for (its pages and PDF name it), in English; its
/// id is the copy's folder, [`crate::pack_id::REVIEW`].
pub fn reviewer_audience() -> Audience {
    reviewer_audience_in(&Labels::default())
}

/// The audience the reviewer's copy is made for, named in the words of `labels`.
fn reviewer_audience_in(labels: &Labels) -> Audience {
    Audience {
        id: crate::pack_id::REVIEW.to_string(),
        name: labels.get("reviewer_copy").to_string(),
        description: labels.get("review_description").to_string(),
    }
}

/// The full label of a region: "Seen by: <who>", and what it is when that needs saying.
fn seen_by(condition: &Condition, names: &Names, what: Option<&str>) -> String {
    let who = condition.label(names);
    match what {
        Some(what) => (names.labels).fill("seen_by_what", &[("who", &who), ("what", what)]),
        None => names.labels.fill("seen_by", &[("who", &who)]),
    }
}

/// A condition of one test on `kind`, of these values.
fn only(kind: Kind, negate: bool, values: &[&str], file: &str) -> Condition {
    Condition::of(Test {
        kind,
        negate,
        values: (values.iter())
            .map(|v| Located {
                value: v.to_string(),
                file: file.to_string(),
                pos: Default::default(),
            })
            .collect(),
    })
}

/// Whether some pack of `audience` (national or in an area) sees what `condition` holds.
fn audience_sees(project: &Project, condition: &Condition, audience: &str) -> bool {
    std::iter::once(None)
        .chain(project.areas.iter().map(Some))
        .any(|area| condition.admits(&crate::model::reader(audience, area)))
}

/// Whether some pack of `area` (or a national pack) sees what `condition` holds.
fn area_sees(project: &Project, condition: &Condition, area: Option<&Area>) -> bool {
    (project.config.audiences.iter()).any(|a| condition.admits(&crate::model::reader(&a.id, area)))
}

impl Resolver<'_> {
    /// The reviewer's copy: every chapter, block and local section, each conditional part
    /// labelled; national text shows a placeholder where packs read different values, and
    /// an annex lists the values; the directory of roles lists every duty with its audiences.
    pub fn review(&self, diagnostics: &mut Diagnostics) -> Pack {
        let project = self.project;
        let config = &project.config;
        let mut names = project.condition_names();
        names.formats = (self.format_labels.iter())
            .map(|(name, label)| (name.to_string(), label.to_string()))
            .collect();
        let labels = &config.pack.labels;
        let reviewer = reviewer_audience_in(labels);
        let mut used: BTreeSet<String> = self.ids.targets.keys().cloned().collect();
        used.extend(super::RESERVED_IDS.iter().map(|s| s.to_string()));
        let mut drafts: Vec<Draft> = (project.chapters.iter())
            .map(|c| self.review_draft(c, &names))
            .collect();
        self.place_local_sections(&mut drafts, &names, &mut used);

        let (visible, shown_in) = visible_ids(&drafts);
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
            shown_in: &shown_in,
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
            let who = if duty.audiences.is_empty() {
                labels.get("review_no_directory").to_string()
            } else {
                duty.condition.label(&names)
            };
            sentence(labels, "review_for", vec![("who", who.into())])
        };
        annexes.push(directives::review_role_directory(project, &note));
        for (i, annex) in annexes.into_iter().enumerate() {
            chapters.push(self.finish(annex, super::annex_letter(i), &pack, diagnostics));
        }
        Pack {
            audience: reviewer,
            area: None,
            chapters,
            reviewer_copy: true,
        }
    }

    /// A national chapter with nothing filtered out: a chapter for some packs or formats
    /// (its front matter) is labelled as a whole.
    fn review_draft(&self, chapter: &Chapter, names: &Names) -> Draft {
        let condition = &chapter.meta.condition;
        let mut blocks = self.review_nodes(&chapter.nodes, condition, names);
        if !condition.is_always() {
            blocks = vec![Block::Labelled {
                label: seen_by(
                    condition,
                    names,
                    Some(names.labels.get("review_whole_chapter")),
                ),
                blocks,
            }];
        }
        Draft {
            id: chapter.meta.id.clone(),
            title: chapter.meta.title.clone(),
            language: chapter.meta.language.clone(),
            summary: chapter.meta.summary.clone(),
            draft: chapter.meta.draft,
            file: Some(chapter.file.clone()),
            blocks,
            footnotes: chapter.footnotes.clone(),
            formats: None,
        }
    }

    /// A chapter body inside `outer` (what the parts around it hold): conditional blocks and
    /// sections of headings with conditions labelled with what they and `outer` leave,
    /// directives expanded for every audience and area that sees them.
    fn review_nodes(&self, nodes: &[Node], outer: &Condition, names: &Names) -> Vec<Block> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < nodes.len() {
            match &nodes[at] {
                // A section runs from its heading to the next heading of the same or a higher
                // level (of the same list: a block it holds ends inside it).
                Node::Block(Block::Heading(h)) if !h.condition.is_always() => {
                    let end = section_end(nodes, at, h.level);
                    let inner = outer.and_narrowed(&h.condition);
                    let mut blocks = vec![Block::Heading(h.clone())];
                    blocks.extend(self.review_nodes(&nodes[at + 1..end], &inner, names));
                    out.push(Block::Labelled {
                        label: seen_by(&inner, names, None),
                        blocks,
                    });
                    at = end;
                    continue;
                }
                Node::Block(block) => out.push(block.clone()),
                Node::Conditional {
                    condition,
                    children,
                    ..
                } => {
                    let inner = outer.and_narrowed(condition);
                    out.push(Block::Labelled {
                        label: seen_by(&inner, names, None),
                        blocks: self.review_nodes(children, &inner, names),
                    });
                }
                Node::Directive(d) => out.extend(self.review_directive(d, outer, names)),
            }
            at += 1;
        }
        out
    }

    /// A directive as every pack that sees it (inside `outer`) shows it: once when they all
    /// show the same, else once for each group of audiences (or each area) that sees the
    /// same, labelled.
    fn review_directive(
        &self,
        directive: &Directive,
        outer: &Condition,
        names: &Names,
    ) -> Vec<Block> {
        let project = self.project;
        let reviewer = reviewer_audience_in(&names.labels);
        let expand = |audience: &Audience, area: Option<&Area>| {
            crate::directives::expand(directive, project, audience, area)
        };
        match &directive.kind {
            DirectiveKind::Duties(DutyFilter::Audience)
            | DirectiveKind::Roles
            | DirectiveKind::Accountability(None) => {
                let mut groups: Vec<(Vec<Block>, Vec<&str>)> = Vec::new();
                let seeing = (project.config.audiences.iter())
                    .filter(|a| audience_sees(project, outer, &a.id));
                for audience in seeing {
                    let blocks = expand(audience, None);
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
                            &outer.and_narrowed(&only(
                                Kind::Audience,
                                false,
                                &ids,
                                &directive.file,
                            )),
                            names,
                            Some(names.labels.get("review_from_framework")),
                        ),
                        blocks,
                    })
                    .collect()
            }
            DirectiveKind::Contacts if !project.areas.is_empty() => {
                let mut out = Vec::new();
                if area_sees(project, outer, None) {
                    out.push(Block::Labelled {
                        label: seen_by(
                            &outer.and_narrowed(&only(
                                Kind::Area,
                                false,
                                &["national"],
                                &directive.file,
                            )),
                            names,
                            None,
                        ),
                        blocks: expand(&reviewer, None),
                    });
                }
                for area in (project.areas.iter()).filter(|a| area_sees(project, outer, Some(a))) {
                    out.push(Block::Labelled {
                        label: seen_by(
                            &outer.and_narrowed(&only(
                                Kind::Area,
                                false,
                                &[&area.id],
                                &directive.file,
                            )),
                            names,
                            Some(names.labels.get("review_from_contacts")),
                        ),
                        blocks: expand(&reviewer, Some(area)),
                    });
                }
                out
            }
            _ => expand(&reviewer, None),
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
        // The areas whose text replaces each target: those whose every pack reads it, and
        // whether some area's replacement is for some of its packs only.
        let mut replaced_by: BTreeMap<&str, (Vec<&str>, bool)> = BTreeMap::new();
        for (area, section, placement) in &parts {
            if let Placement::Replaces(t) = placement {
                let (areas, partly) = replaced_by.entry(t.value.as_str()).or_default();
                if !section.meta.condition.is_always() {
                    *partly = true;
                } else if !areas.contains(&area.id.as_str()) {
                    areas.push(&area.id);
                }
            }
        }
        let around = national_conditions(project);
        let mut wrapped: BTreeSet<&str> = BTreeSet::new();
        let mut after: BTreeMap<&str, usize> = BTreeMap::new();
        for (area, section, placement) in parts {
            let (Placement::Replaces(t) | Placement::After(t) | Placement::Before(t)) = placement;
            let target = t.value.as_str();
            let Some(found) = self.ids.get(target) else {
                continue;
            };
            // Who sees the local text: its area's packs, as its front matter says, of those
            // that see the national text where it goes.
            let around = around.get(target).cloned().unwrap_or_default();
            let who = around.and_narrowed(
                &only(Kind::Area, false, &[&area.id], &area.file)
                    .and_narrowed(&section.meta.condition),
            );
            let id = unique_id(&format!("{}-{}", area.id, section.meta.id), used);
            let local = self.review_nodes(&section.nodes, &who, names);
            let replaces = matches!(placement, Placement::Replaces(_));
            let (replacers, partly) = replaced_by.get(target).cloned().unwrap_or_default();
            let national_label = |what: &str| {
                let condition = match replacers.is_empty() {
                    true => around.clone(),
                    false => around.and_narrowed(&only(Kind::Area, true, &replacers, &area.file)),
                };
                let key = match (replacers.is_empty(), partly, replacers.len() == 1) {
                    (true, _, _) => "review_except_local",
                    (false, false, true) => "review_own_text_one",
                    (false, false, false) => "review_own_text_many",
                    (false, true, true) => "review_partly_one",
                    (false, true, false) => "review_partly_many",
                };
                let what = names.labels.get(what);
                let note = names.labels.fill(key, &[("what", what)]);
                seen_by(&condition, names, Some(&note))
            };
            if found.is_chapter {
                let Some(at) = drafts.iter().position(|d| d.id == target) else {
                    continue;
                };
                let title = drafts[at].title.clone();
                if replaces && wrapped.insert(target) {
                    let blocks = std::mem::take(&mut drafts[at].blocks);
                    drafts[at].blocks = vec![Block::Labelled {
                        label: national_label("review_chapter"),
                        blocks,
                    }];
                }
                let place = placed(placement, true, &title, &names.labels);
                let label = seen_by(&who, names, Some(&place));
                let draft = Draft {
                    id,
                    title: area_text(&section.meta.title, project, area),
                    language: section.meta.language.clone(),
                    summary: section.meta.summary.clone(),
                    draft: section.meta.draft,
                    file: Some(section.file.clone()),
                    blocks: vec![Block::Labelled {
                        label,
                        blocks: vec![local_block(section, local)],
                    }],
                    footnotes: section.footnotes.clone(),
                    formats: None,
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
                    let label = national_label("review_section");
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
                        condition: Default::default(),
                    }),
                );
                let place = placed(placement, false, &title, &names.labels);
                let label = seen_by(&who, names, Some(&place));
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

/// Where the section whose heading (of `level`) is `nodes[at]` ends: at the next heading of the
/// same or a higher level in the same list, or at the end of the list (a block it is in ends it).
fn section_end(nodes: &[Node], at: usize, level: u8) -> usize {
    (at + 1..nodes.len())
        .find(|&j| matches!(&nodes[j], Node::Block(Block::Heading(g)) if g.level <= level))
        .unwrap_or(nodes.len())
}

/// What the national chapters and their headings are seen by, by id (as the copy labels
/// them): a chapter's front matter, and within it the blocks and sections around each
/// heading. Local text placed beside one is seen by what sees it and its own area.
fn national_conditions(project: &Project) -> BTreeMap<&str, Condition> {
    fn walk<'p>(nodes: &'p [Node], outer: &Condition, out: &mut BTreeMap<&'p str, Condition>) {
        let mut at = 0;
        while at < nodes.len() {
            match &nodes[at] {
                Node::Block(Block::Heading(h)) if !h.condition.is_always() => {
                    let end = section_end(nodes, at, h.level);
                    let inner = outer.and_narrowed(&h.condition);
                    out.insert(&h.id, inner.clone());
                    walk(&nodes[at + 1..end], &inner, out);
                    at = end;
                    continue;
                }
                Node::Block(Block::Heading(h)) => {
                    out.insert(&h.id, outer.clone());
                }
                Node::Conditional {
                    condition,
                    children,
                    ..
                } => walk(children, &outer.and_narrowed(condition), out),
                _ => {}
            }
            at += 1;
        }
    }
    let mut out = BTreeMap::new();
    for chapter in &project.chapters {
        let condition = &chapter.meta.condition;
        out.insert(chapter.meta.id.as_str(), condition.clone());
        walk(&chapter.nodes, condition, &mut out);
    }
    out
}

/// "in place of the section “Local arrangements”", "added after …", "added before …" (of
/// the chapter when `chapter`).
fn placed(placement: &Placement, chapter: bool, title: &str, labels: &Labels) -> String {
    let key = match (placement, chapter) {
        (Placement::Replaces(_), false) => "review_in_place_of_section",
        (Placement::Replaces(_), true) => "review_in_place_of_chapter",
        (Placement::After(_), false) => "review_after_section",
        (Placement::After(_), true) => "review_after_chapter",
        (Placement::Before(_), false) => "review_before_section",
        (Placement::Before(_), true) => "review_before_chapter",
    };
    labels.fill(key, &[("title", title)])
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
    let reviewer = reviewer_audience_in(&project.config.pack.labels);
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

/// Whether `blocks`, which start with a heading of `level`, are that heading's section alone.
fn is_one_section(blocks: &[Block], level: u8) -> bool {
    (blocks.iter().skip(1))
        .all(|b| first_heading_level(std::slice::from_ref(b)).is_none_or(|l| l > level))
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
        // A region that is the section (its heading's `{…}` condition): not one that holds
        // more (a chapter labelled as a whole).
        Block::Labelled { blocks: inner, .. } => match first_heading(inner) {
            Some(h) if h.id == id && is_one_section(inner, h.level) => {
                Some((i, Found::Region(plain_text(&h.inlines))))
            }
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
    let labels = &config.pack.labels;
    let keys: BTreeSet<&String> = (config.vars.keys())
        .chain(project.areas.iter().flat_map(|a| a.vars.keys()))
        .collect();
    if keys.is_empty() {
        return None;
    }
    let text = |s: &str| vec![Inline::Text(s.to_string())];
    let said = |key: &str| text(labels.get(key));
    let mut rows = Vec::new();
    for key in keys {
        let placeholder = vec![Inline::Code(format!("{{{{ area.{key} }}}}"))];
        let national = config.vars.get(key);
        rows.push(vec![
            placeholder.clone(),
            said("review_national_packs"),
            text(national.map_or(labels.get("review_not_defined_national"), |v| v.as_str())),
        ]);
        for area in &project.areas {
            let value = match area.vars.get(key) {
                Some(value) => value.as_str(),
                None if national.is_some() => labels.get("review_national_value"),
                None => labels.get("review_not_defined"),
            };
            rows.push(vec![placeholder.clone(), text(&area.name), text(value)]);
        }
    }
    let example = rows.first().map_or_else(Vec::new, |row| row[0].clone());
    let intro = sentence(
        labels,
        "review_values_intro",
        vec![
            ("example", example.into()),
            (
                "audience_name",
                Inline::Code("{{ audience.name }}".to_string()).into(),
            ),
        ],
    );
    Some(Draft {
        id: unique_id("local-values", used),
        title: labels.get("review_values_title").to_string(),
        language: None,
        summary: Some(labels.get("review_values_summary").to_string()),
        draft: false,
        file: None,
        blocks: vec![
            Block::Paragraph(Paragraph {
                inlines: intro,
                pos: Default::default(),
                number: None,
            }),
            Block::Table(Table {
                caption: said("review_values_caption"),
                aligns: vec![Align::Left; 3],
                head: vec![
                    said("review_placeholder"),
                    said("review_packs"),
                    said("review_value"),
                ],
                rows,
                row_headers: true,
                contacts: false,
            }),
        ],
        footnotes: Default::default(),
        formats: None,
    })
}

#[cfg(test)]
mod tests;
