//! Makes the snapshot of a resolved pack (see `release::Snapshot`): the text recorded with a
//! release, and compared with for the change summary.

use std::collections::{BTreeMap, BTreeSet};

use crate::doc::{Block, Inline, plain_text};
use crate::model::Framework;
use crate::release::snapshot::*;

use super::Pack;

/// The snapshot of a resolved pack. Generated annexes (role directory, variations, changes)
/// are not part of the text and are left out, but the duties they list are recorded.
pub fn snapshot(pack: &Pack, framework: &Framework) -> Snapshot {
    let duty_texts = DutyIndex::new(framework);
    let mut listed: BTreeSet<String> = BTreeSet::new();
    let mut in_directory: BTreeSet<String> = BTreeSet::new();
    let mut chapters = Vec::new();
    // The change summary quotes text; it lists no duty.
    for chapter in pack
        .chapters
        .iter()
        .filter(|c| c.file.is_some() || c.id != "changes")
    {
        let mut walk = Walk {
            sections: vec![section("", "")],
            footnotes: chapter.footnotes.iter().cloned().collect(),
            placed: BTreeSet::new(),
            duties: &duty_texts,
            local: 0,
        };
        walk.blocks(&chapter.blocks);
        // Footnotes that nothing refers to (there should be none) go with the opening text.
        let rest: Vec<u32> = walk
            .footnotes
            .keys()
            .filter(|n| !walk.placed.contains(n))
            .copied()
            .collect();
        for number in rest {
            walk.footnote(number, Some(0));
        }
        let mut sections = walk.sections;
        if chapter.file.is_none() && chapter.id == DIRECTORY {
            in_directory.extend(
                sections
                    .iter()
                    .flat_map(|s| &s.blocks)
                    .filter_map(|b| b.duty.clone()),
            );
        }
        listed.extend(
            sections
                .iter()
                .flat_map(|s| &s.blocks)
                .filter_map(|b| b.duty.clone()),
        );
        if chapter.file.is_none() {
            continue;
        }
        sections.retain(|s| !s.id.is_empty() || !s.blocks.is_empty());
        chapters.push(ChapterText {
            id: chapter.id.clone(),
            title: chapter.title.clone(),
            sections,
        });
    }
    let duties = framework
        .duties
        .iter()
        .filter(|d| listed.contains(&d.id.value))
        .map(|d| DutyText {
            id: d.id.value.clone(),
            role: d.role.value.clone(),
            role_name: framework
                .role(&d.role.value)
                .map_or_else(|| d.role.value.clone(), |r| r.name.clone()),
            text: normal(&d.text),
            basis: d
                .basis
                .iter()
                .map(|b| {
                    framework
                        .statute(&b.value)
                        .map_or_else(|| b.value.clone(), |s| s.title.clone())
                })
                .collect::<Vec<_>>()
                .join("; "),
            in_directory: in_directory.contains(&d.id.value),
        })
        .collect();
    Snapshot {
        pack: pack.dir(),
        audience: pack.audience.id.clone(),
        audience_name: pack.audience.name.clone(),
        area: pack.area.as_ref().map(|a| a.id.clone()),
        area_name: pack.area.as_ref().map(|a| a.name.clone()),
        chapters,
        duties,
        area_values: pack.area.as_ref().map(area_values).unwrap_or_default(),
    }
}

/// An area's own values, as the text may show them (see `Snapshot::area_values`).
fn area_values(area: &super::PackArea) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    values.insert("area.name".to_string(), normal(&area.name));
    for (key, value) in &area.vars {
        values.insert(format!("area.{key}"), normal(value));
    }
    for (n, contact) in area.contacts.iter().enumerate() {
        let fields = [
            ("name", Some(&contact.name)),
            ("email", contact.email.as_ref()),
            ("phone", contact.phone.as_ref()),
        ];
        for (field, value) in fields {
            if let Some(value) = value {
                values.insert(format!("contact.{}.{field}", n + 1), normal(value));
            }
        }
    }
    values.retain(|_, v| !v.is_empty());
    values
}

fn section(id: &str, title: &str) -> SectionText {
    SectionText {
        id: id.to_string(),
        title: title.to_string(),
        blocks: Vec::new(),
        local: false,
    }
}

/// Whitespace folded to single spaces.
fn normal(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The framework's duties by their text, to recognise the table rows and list items that
/// list them.
struct DutyIndex<'f> {
    by_text: BTreeMap<String, &'f str>,
}

impl<'f> DutyIndex<'f> {
    fn new(framework: &'f Framework) -> Self {
        let mut by_text = BTreeMap::new();
        for duty in &framework.duties {
            by_text
                .entry(normal(&duty.text))
                .or_insert(duty.id.value.as_str());
        }
        DutyIndex { by_text }
    }

    /// The duty a table row lists: its first cell is the duty's text.
    fn row(&self, first_cell: &str) -> Option<String> {
        self.by_text.get(first_cell).map(|id| id.to_string())
    }

    /// The duty a list item lists: the duty's text, then its statutory basis in brackets.
    fn item(&self, text: &str) -> Option<String> {
        text.match_indices(" (")
            .find_map(|(at, _)| self.by_text.get(&text[..at]))
            .map(|id| id.to_string())
    }
}

/// A walk through a chapter's blocks, gathering sections of plain text.
struct Walk<'a> {
    sections: Vec<SectionText>,
    footnotes: BTreeMap<u32, Vec<Block>>,
    placed: BTreeSet<u32>,
    duties: &'a DutyIndex<'a>,
    /// How many [`Block::Local`]s the walk is inside.
    local: usize,
}

impl Walk<'_> {
    fn push(&mut self, block: BlockText) {
        let text = normal(&block.text);
        if let (false, Some(section)) = (text.is_empty(), self.sections.last_mut()) {
            section.blocks.push(BlockText { text, ..block });
        }
    }

    /// The plain texts of blocks inside another (a list item, a definition).
    fn inner(&self, blocks: &[Block]) -> String {
        let mut inner = Walk {
            sections: vec![section("", "")],
            footnotes: BTreeMap::new(),
            placed: BTreeSet::new(),
            duties: self.duties,
            local: 0,
        };
        inner.blocks(blocks);
        let texts: Vec<String> = inner
            .sections
            .into_iter()
            .flat_map(|s| s.blocks)
            .map(|b| b.text)
            .collect();
        texts.join(" ")
    }

    /// A footnote's paragraphs, after the block that first refers to it; `section` puts them
    /// in another section than the current one.
    fn footnote(&mut self, number: u32, section: Option<usize>) {
        if !self.placed.insert(number) {
            return;
        }
        let Some(blocks) = self.footnotes.get(&number).cloned() else {
            return;
        };
        let text = self.inner_blocks(&blocks);
        let at = section.unwrap_or(self.sections.len() - 1);
        for t in text {
            let t = normal(&t);
            if !t.is_empty() {
                self.sections[at].blocks.push(BlockText {
                    text: t,
                    footnote: Some(number),
                    ..Default::default()
                });
            }
        }
        // A footnote may refer to another.
        for n in refs(&blocks) {
            self.footnote(n, section);
        }
    }

    fn inner_blocks(&self, blocks: &[Block]) -> Vec<String> {
        let mut inner = Walk {
            sections: vec![section("", "")],
            footnotes: BTreeMap::new(),
            placed: BTreeSet::new(),
            duties: self.duties,
            local: 0,
        };
        inner.blocks(blocks);
        inner
            .sections
            .into_iter()
            .flat_map(|s| s.blocks)
            .map(|b| b.text)
            .collect()
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
            if !matches!(
                block,
                Block::Quote(_)
                    | Block::Callout(..)
                    | Block::Directed { .. }
                    | Block::Local { .. }
                    | Block::ForFormats { .. }
                    | Block::Labelled { .. }
                    | Block::Entry(_)
            ) {
                for n in refs(std::slice::from_ref(block)) {
                    self.footnote(n, None);
                }
            }
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(h) => self.sections.push(SectionText {
                id: h.id.clone(),
                title: plain_text(&h.inlines),
                blocks: Vec::new(),
                local: self.local > 0,
            }),
            Block::Paragraph(p) => self.push(BlockText {
                text: plain_text(&p.inlines),
                number: p.number.clone(),
                ..Default::default()
            }),
            Block::Note(inlines) => self.push(BlockText::plain(&plain_text(inlines))),
            Block::List(list) => {
                for item in &list.items {
                    let text = normal(&self.inner(&item.blocks));
                    let duty = self.duties.item(&text);
                    self.push(BlockText {
                        text: format!("• {text}"),
                        duty,
                        ..Default::default()
                    });
                }
            }
            // The area's own text: the section it opens (after the heading placed with it,
            // or the chapter it replaces) and every section inside it are local.
            Block::Local { blocks: b, .. } => {
                if let Some(section) = self.sections.last_mut() {
                    section.local = true;
                }
                self.local += 1;
                self.blocks(b);
                self.local -= 1;
            }
            Block::Quote(b)
            | Block::Callout(_, b)
            | Block::Directed { blocks: b, .. }
            | Block::ForFormats { blocks: b, .. }
            | Block::Labelled { blocks: b, .. } => self.blocks(b),
            Block::Code { text, .. } => self.push(BlockText::plain(text)),
            Block::Table(t) => {
                if !t.caption.is_empty() {
                    self.push(BlockText::plain(&plain_text(&t.caption)));
                }
                for row in &t.rows {
                    let cells: Vec<String> = row.iter().map(|c| plain_text(c)).collect();
                    let duty = cells.first().and_then(|c| self.duties.row(&normal(c)));
                    self.push(BlockText {
                        text: cells.join(" | "),
                        duty,
                        ..Default::default()
                    });
                }
            }
            Block::Definitions(defs) => {
                for d in defs {
                    let text = self.inner(&d.blocks);
                    self.push(BlockText::plain(&format!(
                        "{}: {}",
                        plain_text(&d.term),
                        text
                    )));
                }
            }
            Block::Entry(e) => {
                self.push(BlockText::plain(&plain_text(&e.title)));
                self.blocks(&e.blocks);
            }
            // Its caption and its lines as text: what changes when the diagram does.
            Block::Diagram(d) => self.blocks(&d.as_text()),
            Block::Rule => {}
        }
    }
}

/// The footnotes that blocks refer to, in order.
fn refs(blocks: &[Block]) -> Vec<u32> {
    let mut out = Vec::new();
    for block in blocks {
        block_refs(block, &mut out);
    }
    out
}

fn block_refs(block: &Block, out: &mut Vec<u32>) {
    match block {
        Block::Heading(h) => inline_refs(&h.inlines, out),
        Block::Paragraph(p) => inline_refs(&p.inlines, out),
        Block::Note(inlines) => inline_refs(inlines, out),
        Block::List(list) => list
            .items
            .iter()
            .flat_map(|i| &i.blocks)
            .for_each(|b| block_refs(b, out)),
        Block::Quote(b)
        | Block::Callout(_, b)
        | Block::Directed { blocks: b, .. }
        | Block::Local { blocks: b, .. }
        | Block::ForFormats { blocks: b, .. }
        | Block::Labelled { blocks: b, .. } => b.iter().for_each(|b| block_refs(b, out)),
        Block::Table(t) => {
            inline_refs(&t.caption, out);
            t.head
                .iter()
                .chain(t.rows.iter().flatten())
                .for_each(|c| inline_refs(c, out));
        }
        Block::Definitions(defs) => defs.iter().for_each(|d| {
            inline_refs(&d.term, out);
            d.blocks.iter().for_each(|b| block_refs(b, out));
        }),
        Block::Entry(e) => {
            inline_refs(&e.title, out);
            e.blocks.iter().for_each(|b| block_refs(b, out));
        }
        Block::Diagram(d) => {
            inline_refs(&d.caption, out);
            d.text.iter().for_each(|b| block_refs(b, out));
        }
        Block::Code { .. } | Block::Rule => {}
    }
}

fn inline_refs(inlines: &[Inline], out: &mut Vec<u32>) {
    for inline in inlines {
        match inline {
            Inline::FootnoteRef { number, .. } => out.push(*number),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Inserted(c) => {
                inline_refs(c, out)
            }
            Inline::Link(link) => inline_refs(&link.children, out),
            _ => {}
        }
    }
}
