//! Local areas: an area's sections put in place of national text, or inserted before or after
//! it, and the "Local variations" annex that lists them.

use super::{Draft, Resolver};
use crate::condition::Seen;
use crate::diagnostic::Diagnostics;
use crate::doc::{Align, Block, Heading, Inline, Link, Paragraph, Table, Target};
use crate::labels::Labels;
use crate::model::{Area, Audience, Chapter, Placement};

/// One departure of an area's text from the national text.
#[derive(Clone, Debug)]
pub(super) struct Variation {
    /// The label of what the local text does (`local_replaced`: "Replaced").
    pub kind: &'static str,
    /// The national chapter or section concerned.
    pub target_title: String,
    pub target: Target,
    pub local_title: Vec<Inline>,
}

/// Places the area's local sections into the pack's chapters; returns what was changed.
pub(super) fn place_sections(
    drafts: &mut Vec<Draft>,
    area: &Area,
    audience: &Audience,
    resolver: &Resolver,
    _diagnostics: &mut Diagnostics,
) -> Vec<Variation> {
    let mut variations = Vec::new();
    let reader = area.reader(&audience.id);
    for section in &area.sections {
        let formats = match section.meta.condition.seen_by(&reader, &resolver.formats) {
            Seen::Nowhere => continue,
            Seen::Everywhere => None,
            Seen::Only(formats) => Some(formats),
        };
        let Some(placement) = &section.meta.placement else {
            continue;
        };
        let (kind, target) = match placement {
            Placement::Replaces(t) => ("local_replaced", t),
            Placement::After(t) => ("local_added_after", t),
            Placement::Before(t) => ("local_added_before", t),
        };
        let Some(id_target) = resolver.ids.get(&target.value) else {
            continue;
        };
        let local = local_blocks(section, resolver, audience, area);
        let done = if id_target.is_chapter {
            place_chapter(
                drafts,
                section,
                placement,
                local,
                formats,
                &resolver.formats,
            )
        } else {
            let local = match formats {
                Some(formats) => Block::ForFormats {
                    formats,
                    blocks: vec![local],
                },
                None => local,
            };
            place_in_chapter(drafts, &id_target.chapter, section, placement, local)
        };
        if let Some(target_title) = done {
            variations.push(Variation {
                kind,
                target_title,
                target: Target::Internal {
                    chapter: if id_target.is_chapter && !matches!(placement, Placement::Replaces(_))
                    {
                        section.meta.id.clone()
                    } else {
                        id_target.chapter.clone()
                    },
                    anchor: (!id_target.is_chapter).then(|| match placement {
                        Placement::Replaces(t) => t.value.clone(),
                        _ => section.meta.id.clone(),
                    }),
                },
                local_title: crate::doc::text_with_variables(
                    &section.meta.title,
                    section.meta.title_pos,
                ),
            });
        }
    }
    variations
}

fn local_blocks(section: &Chapter, resolver: &Resolver, audience: &Audience, area: &Area) -> Block {
    let draft = resolver.draft(section, audience, Some(area));
    Block::Local {
        area: area.name.clone(),
        file: section.file.clone(),
        blocks: draft.blocks,
    }
}

/// A local section aimed at a whole chapter: replaces it, or becomes a chapter beside it.
fn place_chapter(
    drafts: &mut Vec<Draft>,
    section: &Chapter,
    placement: &Placement,
    local: Block,
    formats: Option<Vec<String>>,
    all: &[&str],
) -> Option<String> {
    let (Placement::Replaces(t) | Placement::After(t) | Placement::Before(t)) = placement;
    let at = drafts.iter().position(|d| d.id == t.value)?;
    let national_title = drafts[at].title.clone();
    let footnotes = section.footnotes.clone();
    match placement {
        Placement::Replaces(_) => {
            let draft = &mut drafts[at];
            draft.title = section.meta.title.clone();
            let kept = formats.is_some();
            draft.blocks = match formats {
                // Some formats show the local text; the others keep the national text.
                Some(formats) => {
                    let others: Vec<String> = (all.iter())
                        .filter(|f| !formats.contains(&f.to_string()))
                        .map(|f| f.to_string())
                        .collect();
                    let national = std::mem::take(&mut draft.blocks);
                    vec![
                        Block::ForFormats {
                            formats,
                            blocks: vec![local],
                        },
                        Block::ForFormats {
                            formats: others,
                            blocks: national,
                        },
                    ]
                }
                None => vec![local],
            };
            if kept {
                draft.footnotes.extend(footnotes);
            } else {
                draft.footnotes = footnotes;
            }
            draft.draft |= section.meta.draft;
        }
        Placement::After(_) | Placement::Before(_) => {
            let new = Draft {
                id: section.meta.id.clone(),
                title: section.meta.title.clone(),
                language: section.meta.language.clone(),
                summary: section.meta.summary.clone(),
                draft: section.meta.draft,
                file: Some(section.file.clone()),
                blocks: vec![local],
                footnotes,
                formats,
            };
            let index = if matches!(placement, Placement::After(_)) {
                at + 1
            } else {
                at
            };
            drafts.insert(index, new);
        }
    }
    Some(national_title)
}

/// A local section aimed at a heading: replaces its section, or goes before or after it.
fn place_in_chapter(
    drafts: &mut [Draft],
    chapter: &str,
    section: &Chapter,
    placement: &Placement,
    local: Block,
) -> Option<String> {
    let (Placement::Replaces(t) | Placement::After(t) | Placement::Before(t)) = placement;
    let draft = drafts.iter_mut().find(|d| d.id == chapter)?;
    // The heading may stand in a part that some formats only show.
    let path = container_path(&draft.blocks, &t.value)?;
    let blocks = container_mut(&mut draft.blocks, &path)?;
    let start = blocks
        .iter()
        .position(|b| matches!(b, Block::Heading(h) if h.id == t.value))?;
    let Block::Heading(heading) = &blocks[start] else {
        return None;
    };
    let level = heading.level;
    let national_title = crate::doc::plain_text(&heading.inlines);
    let end = blocks[start + 1..]
        .iter()
        .position(|b| matches!(b, Block::Heading(h) if h.level <= level))
        .map_or(blocks.len(), |i| start + 1 + i);
    let new_heading = |id: String| {
        Block::Heading(Heading {
            level,
            id,
            explicit_id: true,
            inlines: crate::doc::text_with_variables(&section.meta.title, section.meta.title_pos),
            pos: section.meta.title_pos,
            number: None,
            attrs: Vec::new(),
            condition: Default::default(),
        })
    };
    match placement {
        Placement::Replaces(_) => {
            blocks.splice(start..end, [new_heading(t.value.clone()), local]);
        }
        Placement::After(_) => {
            blocks.splice(end..end, [new_heading(section.meta.id.clone()), local]);
        }
        Placement::Before(_) => {
            blocks.splice(start..start, [new_heading(section.meta.id.clone()), local]);
        }
    }
    for (label, blocks) in &section.footnotes {
        draft
            .footnotes
            .entry(label.clone())
            .or_insert_with(|| blocks.clone());
    }
    Some(national_title)
}

/// The indices of the [`Block::ForFormats`] parts, one inside the other, whose blocks hold the
/// heading `id` (none: the chapter's own blocks hold it).
fn container_path(blocks: &[Block], id: &str) -> Option<Vec<usize>> {
    if blocks
        .iter()
        .any(|b| matches!(b, Block::Heading(h) if h.id == id))
    {
        return Some(Vec::new());
    }
    blocks.iter().enumerate().find_map(|(i, b)| match b {
        Block::ForFormats { blocks, .. } => container_path(blocks, id).map(|mut path| {
            path.insert(0, i);
            path
        }),
        _ => None,
    })
}

fn container_mut<'b>(blocks: &'b mut Vec<Block>, path: &[usize]) -> Option<&'b mut Vec<Block>> {
    let Some((&first, rest)) = path.split_first() else {
        return Some(blocks);
    };
    match blocks.get_mut(first)? {
        Block::ForFormats { blocks, .. } => container_mut(blocks, rest),
        _ => None,
    }
}

/// The annex that tells a reader where this area's text departs from the national text, in
/// the words of `labels`.
pub(super) fn variations_annex(
    variations: &[Variation],
    area: Option<&Area>,
    labels: &Labels,
) -> Draft {
    let name = area.map_or(labels.get("local_this_area"), |a| a.name.as_str());
    let text = |s: &str| vec![Inline::Text(s.to_string())];
    let said = |key: &str| text(labels.get(key));
    let in_area = |key: &str| labels.fill(key, &[("area", name)]);
    let rows = variations
        .iter()
        .map(|v| {
            vec![
                vec![Inline::Link(Link {
                    target: v.target.clone(),
                    children: v.local_title.clone(),
                    pos: Default::default(),
                    title: Vec::new(),
                    dest_parts: Vec::new(),
                })],
                said(v.kind),
                text(&v.target_title),
            ]
        })
        .collect();
    Draft {
        id: "local-variations".to_string(),
        title: labels.get("local_variations").to_string(),
        language: None,
        summary: Some(in_area("local_variations_summary")),
        draft: false,
        file: None,
        formats: None,
        blocks: vec![
            Block::Paragraph(Paragraph {
                inlines: text(&in_area("local_variations_intro")),
                pos: Default::default(),
                number: None,
            }),
            Block::Table(Table {
                caption: text(&in_area("local_variations_in")),
                aligns: vec![Align::Left; 3],
                head: vec![
                    said("local_section"),
                    said("local_change_kind"),
                    said("national_section"),
                ],
                rows,
                row_headers: true,
                contacts: false,
            }),
        ],
        footnotes: Default::default(),
    }
}
