//! A snapshot of a pack's text: chapters, sections (by heading id) and blocks of plain text, as
//! recorded with a release, so that `diff` and change summaries work without the old sources.

use serde::{Deserialize, Serialize};

use crate::doc::{Block, plain_text};
use crate::resolve::Pack;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The pack's folder: `providers` or `areas/<id>/providers`.
    pub pack: String,
    pub audience: String,
    pub area: Option<String>,
    pub chapters: Vec<ChapterText>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChapterText {
    pub id: String,
    pub title: String,
    pub sections: Vec<SectionText>,
}

/// The text under one heading (or before the first heading, with an empty id), up to the next
/// heading of any level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionText {
    pub id: String,
    pub title: String,
    /// Each paragraph, list item, table row… as plain text, in order.
    pub blocks: Vec<String>,
}

/// The snapshot of a resolved pack. Generated annexes (role directory, variations, changes)
/// are not part of the text and are left out.
pub fn snapshot(pack: &Pack) -> Snapshot {
    let chapters = pack
        .chapters
        .iter()
        .filter(|c| c.file.is_some())
        .map(|chapter| {
            let mut sections = vec![SectionText {
                id: String::new(),
                title: String::new(),
                blocks: Vec::new(),
            }];
            collect(&chapter.blocks, &mut sections);
            for (_, blocks) in &chapter.footnotes {
                let mut notes = vec![SectionText {
                    id: String::new(),
                    title: String::new(),
                    blocks: Vec::new(),
                }];
                collect(blocks, &mut notes);
                sections[0].blocks.extend(
                    notes
                        .into_iter()
                        .flat_map(|s| s.blocks)
                        .map(|b| format!("Note: {b}")),
                );
            }
            sections.retain(|s| !s.id.is_empty() || !s.blocks.is_empty());
            ChapterText {
                id: chapter.id.clone(),
                title: chapter.title.clone(),
                sections,
            }
        })
        .collect();
    Snapshot {
        pack: pack.dir(),
        audience: pack.audience.id.clone(),
        area: pack.area.as_ref().map(|a| a.id.clone()),
        chapters,
    }
}

fn push(sections: &mut [SectionText], text: String) {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if let (false, Some(section)) = (text.is_empty(), sections.last_mut()) {
        section.blocks.push(text);
    }
}

fn collect(blocks: &[Block], sections: &mut Vec<SectionText>) {
    for block in blocks {
        match block {
            Block::Heading(h) => sections.push(SectionText {
                id: h.id.clone(),
                title: plain_text(&h.inlines),
                blocks: Vec::new(),
            }),
            Block::Paragraph(p) => push(sections, plain_text(&p.inlines)),
            Block::Note(inlines) => push(sections, plain_text(inlines)),
            Block::List(list) => {
                for item in &list.items {
                    let mut inner = vec![SectionText {
                        id: String::new(),
                        title: String::new(),
                        blocks: Vec::new(),
                    }];
                    collect(&item.blocks, &mut inner);
                    let text: Vec<String> = inner.into_iter().flat_map(|s| s.blocks).collect();
                    push(sections, format!("• {}", text.join(" ")));
                }
            }
            Block::Quote(b) | Block::Callout(_, b) | Block::Local { blocks: b, .. } => {
                collect(b, sections)
            }
            Block::Code { text, .. } => push(sections, text.clone()),
            Block::Table(t) => {
                if !t.caption.is_empty() {
                    push(sections, plain_text(&t.caption));
                }
                for row in &t.rows {
                    push(
                        sections,
                        row.iter()
                            .map(|c| plain_text(c))
                            .collect::<Vec<_>>()
                            .join(" | "),
                    );
                }
            }
            Block::Definitions(defs) => {
                for d in defs {
                    let mut inner = vec![SectionText {
                        id: String::new(),
                        title: String::new(),
                        blocks: Vec::new(),
                    }];
                    collect(&d.blocks, &mut inner);
                    let text: Vec<String> = inner.into_iter().flat_map(|s| s.blocks).collect();
                    push(
                        sections,
                        format!("{}: {}", plain_text(&d.term), text.join(" ")),
                    );
                }
            }
            Block::Entry(e) => {
                push(sections, plain_text(&e.title));
                collect(&e.blocks, sections);
            }
            Block::Rule => {}
        }
    }
}
