//! The "Changes in this version" annex: what changed in this pack's text since the previous
//! release, with the hand-written change notes above it.

use std::collections::BTreeMap;

use super::changes::{Change, compare, word_diff};
use super::{Recorded, snapshot};
use crate::doc::{Block, Heading, Inline, Link, List, ListItem, Paragraph, Target};
use crate::model::{Config, PackInfo};
use crate::resolve::{Pack, PackChapter};

/// Adds the annex to every pack, when there is a previous release to compare with. It goes
/// first among the annexes, which are lettered again.
pub fn add_change_summaries(packs: &mut [Pack], previous: Option<&Recorded>, config: &Config) {
    let Some(previous) = previous else { return };
    for pack in packs {
        let annex = change_annex(pack, previous, config);
        let first_annex = pack
            .chapters
            .iter()
            .position(|c| c.file.is_none())
            .unwrap_or(pack.chapters.len());
        pack.chapters.insert(first_annex, annex);
        for (i, chapter) in pack.chapters[first_annex..].iter_mut().enumerate() {
            chapter.number = char::from(b'A' + i as u8).to_string();
        }
    }
}

fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(Paragraph {
        inlines,
        pos: Default::default(),
        number: None,
    })
}

fn change_annex(pack: &Pack, previous: &Recorded, config: &Config) -> PackChapter {
    let info = &config.pack;
    let old_date = PackInfo {
        date: previous.record.date.clone(),
        ..info.clone()
    }
    .date_display();
    let mut blocks = Vec::new();
    for note in config
        .change_notes
        .iter()
        .filter(|n| n.version == info.version)
    {
        blocks.push(para(vec![text(&note.text)]));
    }
    let who = match &pack.area {
        None => pack.audience.name.clone(),
        Some(area) => format!("{} in {}", pack.audience.name, area.name),
    };
    let current = snapshot(pack);
    let changes = match previous.snapshot(&pack.dir()) {
        None => {
            blocks.push(para(vec![text(&format!(
                "This pack for {who} is new in version {}: there was no such pack in version {}.",
                info.version, previous.record.version
            ))]));
            Vec::new()
        }
        Some(old) => compare(old, &current),
    };
    if previous.snapshot(&pack.dir()).is_some() {
        if changes.is_empty() {
            blocks.push(para(vec![text(&format!(
                "Nothing in the text of this pack for {who} has changed since version {}, published {old_date}.",
                previous.record.version
            ))]));
        } else {
            blocks.push(para(vec![text(&format!(
                "This annex lists what has changed in the text of this pack for {who} since version {}, published {old_date}. Removed words are struck through and marked \"removed\"; added words are underlined and marked \"added\".",
                previous.record.version
            ))]));
        }
    }
    let titles: BTreeMap<&str, &str> = pack
        .chapters
        .iter()
        .map(|c| (c.id.as_str(), c.title.as_str()))
        .collect();
    // The changes by chapter, chapters in order of their first change.
    let mut by_chapter: Vec<(String, Vec<&Change>)> = Vec::new();
    let mut place: BTreeMap<&str, usize> = BTreeMap::new();
    for change in &changes {
        let at = *place.entry(change.chapter()).or_insert_with(|| {
            by_chapter.push((change.chapter().to_string(), Vec::new()));
            by_chapter.len() - 1
        });
        by_chapter[at].1.push(change);
    }
    for (chapter, list) in by_chapter {
        let removed_title = list.iter().find_map(|c| match c {
            Change::ChapterRemoved { title, .. } => Some(title.clone()),
            _ => None,
        });
        let title = titles
            .get(chapter.as_str())
            .map(|t| t.to_string())
            .or(removed_title)
            .unwrap_or(chapter.clone());
        blocks.push(Block::Heading(Heading {
            level: 2,
            id: format!("changes-{chapter}"),
            explicit_id: true,
            inlines: vec![text(&title)],
            pos: Default::default(),
            number: None,
            attrs: Vec::new(),
        }));
        let items = list
            .iter()
            .map(|c| ListItem {
                task: None,
                blocks: describe(c, &chapter),
            })
            .collect();
        blocks.push(Block::List(List { start: None, items }));
    }
    PackChapter {
        id: "changes".to_string(),
        number: String::new(),
        title: "Changes in this version".to_string(),
        summary: Some(format!(
            "What has changed since version {}.",
            previous.record.version
        )),
        draft: false,
        file: None,
        blocks,
        footnotes: Vec::new(),
    }
}

fn section_link(chapter: &str, section: &str, title: &str) -> Inline {
    Inline::Link(Link {
        target: Target::Internal {
            chapter: chapter.to_string(),
            anchor: (!section.is_empty()).then(|| section.to_string()),
        },
        children: vec![text(title)],
        pos: Default::default(),
        title: Vec::new(),
        dest_parts: Vec::new(),
    })
}

/// One change as the blocks of a list item.
fn describe(change: &Change, chapter: &str) -> Vec<Block> {
    let label = |s: &str| Inline::Strong(vec![text(s)]);
    match change {
        Change::ChapterAdded { title, .. } => {
            vec![para(vec![
                label("New chapter: "),
                section_link(chapter, "", title),
            ])]
        }
        Change::ChapterRemoved { .. } => vec![para(vec![label("This chapter has been removed.")])],
        Change::SectionAdded { section, title, .. } => {
            vec![para(vec![
                label("New section: "),
                section_link(chapter, section, title),
            ])]
        }
        Change::SectionRemoved { title, .. } => {
            vec![para(vec![label("Section removed: "), text(title)])]
        }
        Change::BlockAdded {
            section,
            title,
            text: added,
            ..
        } => vec![
            para(vec![
                label("Added"),
                text(" in "),
                section_link(chapter, section, title),
                text(":"),
            ]),
            para(vec![Inline::Inserted(vec![text(added)])]),
        ],
        Change::BlockRemoved {
            section,
            title,
            text: removed,
            ..
        } => vec![
            para(vec![
                label("Removed"),
                text(" from "),
                section_link(chapter, section, title),
                text(":"),
            ]),
            para(vec![Inline::Strike(vec![text(removed)])]),
        ],
        Change::BlockChanged {
            section,
            title,
            old,
            new,
            ..
        } => {
            let mut words = Vec::new();
            let mut last = '=';
            for (kind, part) in word_diff(old, new) {
                // A removal straight before an addition needs a space between them.
                if last == '-' && kind == '+' {
                    words.push(text(" "));
                }
                words.push(match kind {
                    '-' => Inline::Strike(vec![text(&part)]),
                    '+' => Inline::Inserted(vec![text(&part)]),
                    _ => text(&part),
                });
                last = kind;
            }
            vec![
                para(vec![
                    label("Changed"),
                    text(" in "),
                    section_link(chapter, section, title),
                    text(":"),
                ]),
                para(words),
            ]
        }
    }
}
