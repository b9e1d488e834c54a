//! What changed between two snapshots of a pack: chapters, sections and blocks added, removed
//! and changed. A block that moved without changing is not a change.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use similar::{Algorithm, DiffTag, TextDiff, capture_diff_slices};

use super::snapshot::{ChapterText, Snapshot};

/// One change, in the order of the newer text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    ChapterAdded {
        chapter: String,
        title: String,
    },
    ChapterRemoved {
        chapter: String,
        title: String,
    },
    SectionAdded {
        chapter: String,
        section: String,
        title: String,
    },
    SectionRemoved {
        chapter: String,
        section: String,
        title: String,
    },
    BlockAdded {
        chapter: String,
        section: String,
        title: String,
        text: String,
    },
    BlockRemoved {
        chapter: String,
        section: String,
        title: String,
        text: String,
    },
    BlockChanged {
        chapter: String,
        section: String,
        title: String,
        old: String,
        new: String,
    },
}

impl Change {
    pub fn chapter(&self) -> &str {
        match self {
            Change::ChapterAdded { chapter, .. }
            | Change::ChapterRemoved { chapter, .. }
            | Change::SectionAdded { chapter, .. }
            | Change::SectionRemoved { chapter, .. }
            | Change::BlockAdded { chapter, .. }
            | Change::BlockRemoved { chapter, .. }
            | Change::BlockChanged { chapter, .. } => chapter,
        }
    }
}

/// Blocks this similar (0 to 1, by words) count as one block changed rather than one removed
/// and another added.
const SAME_BLOCK: f32 = 0.5;

/// The changes from `old` to `new`.
pub fn compare(old: &Snapshot, new: &Snapshot) -> Vec<Change> {
    let mut changes = Vec::new();
    let old_chapters: BTreeMap<&str, &ChapterText> =
        old.chapters.iter().map(|c| (c.id.as_str(), c)).collect();
    let new_ids: BTreeSet<&str> = new.chapters.iter().map(|c| c.id.as_str()).collect();
    for chapter in &new.chapters {
        match old_chapters.get(chapter.id.as_str()) {
            None => changes.push(Change::ChapterAdded {
                chapter: chapter.id.clone(),
                title: chapter.title.clone(),
            }),
            Some(before) => compare_chapter(before, chapter, &mut changes),
        }
    }
    for chapter in &old.chapters {
        if !new_ids.contains(&chapter.id.as_str()) {
            changes.push(Change::ChapterRemoved {
                chapter: chapter.id.clone(),
                title: chapter.title.clone(),
            });
        }
    }
    drop_moves(changes)
}

fn compare_chapter(old: &ChapterText, new: &ChapterText, changes: &mut Vec<Change>) {
    let chapter = &new.id;
    let old_sections: BTreeMap<&str, _> = old.sections.iter().map(|s| (s.id.as_str(), s)).collect();
    for section in &new.sections {
        let title = if section.title.is_empty() {
            new.title.clone()
        } else {
            section.title.clone()
        };
        let Some(before) = old_sections.get(section.id.as_str()) else {
            changes.push(Change::SectionAdded {
                chapter: chapter.clone(),
                section: section.id.clone(),
                title: title.clone(),
            });
            for text in &section.blocks {
                changes.push(Change::BlockAdded {
                    chapter: chapter.clone(),
                    section: section.id.clone(),
                    title: title.clone(),
                    text: text.clone(),
                });
            }
            continue;
        };
        // Blocks not kept as they were: pair each removed block with the most alike added
        // block of the section (a reworded paragraph, perhaps moved too); the rest were
        // really removed or added.
        let mut removed: Vec<(usize, &String)> = Vec::new();
        let mut added: Vec<(usize, &String)> = Vec::new();
        for op in capture_diff_slices(Algorithm::Myers, &before.blocks, &section.blocks) {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            if tag != DiffTag::Equal {
                removed.extend(old_range.clone().map(|i| (i, &before.blocks[i])));
                added.extend(new_range.clone().map(|i| (i, &section.blocks[i])));
            }
        }
        let mut found: Vec<(usize, u8, Change)> = Vec::new();
        let (chapter, id) = (chapter.clone(), section.id.clone());
        for (old_index, old_text) in removed {
            let best = added
                .iter()
                .enumerate()
                .map(|(k, (_, new_text))| (k, similarity(old_text, new_text)))
                .filter(|(_, score)| *score >= SAME_BLOCK)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            match best {
                Some((k, _)) => {
                    let (new_index, new_text) = added.remove(k);
                    if new_text != old_text {
                        let change = Change::BlockChanged {
                            chapter: chapter.clone(),
                            section: id.clone(),
                            title: title.clone(),
                            old: old_text.clone(),
                            new: new_text.clone(),
                        };
                        found.push((new_index, 1, change));
                    }
                }
                None => {
                    let change = Change::BlockRemoved {
                        chapter: chapter.clone(),
                        section: id.clone(),
                        title: title.clone(),
                        text: old_text.clone(),
                    };
                    found.push((old_index, 0, change));
                }
            }
        }
        for (new_index, text) in added {
            let change = Change::BlockAdded {
                chapter: chapter.clone(),
                section: id.clone(),
                title: title.clone(),
                text: text.clone(),
            };
            found.push((new_index, 1, change));
        }
        found.sort_by_key(|(position, order, _)| (*position, *order));
        changes.extend(found.into_iter().map(|(_, _, change)| change));
    }
    let new_ids: BTreeSet<&str> = new.sections.iter().map(|s| s.id.as_str()).collect();
    for section in &old.sections {
        if !new_ids.contains(&section.id.as_str()) {
            changes.push(Change::SectionRemoved {
                chapter: chapter.clone(),
                section: section.id.clone(),
                title: section.title.clone(),
            });
        }
    }
}

/// How alike two texts are, by words, from 0 to 1.
pub fn similarity(old: &str, new: &str) -> f32 {
    TextDiff::from_words(old, new).ratio()
}

/// A block removed in one place and added unchanged in another moved: not a change.
fn drop_moves(changes: Vec<Change>) -> Vec<Change> {
    let mut removed: BTreeMap<String, usize> = BTreeMap::new();
    let mut added: BTreeMap<String, usize> = BTreeMap::new();
    for change in &changes {
        match change {
            Change::BlockRemoved { text, .. } => *removed.entry(text.clone()).or_default() += 1,
            Change::BlockAdded { text, .. } => *added.entry(text.clone()).or_default() += 1,
            _ => {}
        }
    }
    let mut moved: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (text, count) in &removed {
        if let Some(n) = added.get(text) {
            let m = (*count).min(*n);
            moved.insert(text.clone(), (m, m));
        }
    }
    changes
        .into_iter()
        .filter(|change| match change {
            Change::BlockRemoved { text, .. } => take(&mut moved, text, 0),
            Change::BlockAdded { text, .. } => take(&mut moved, text, 1),
            _ => true,
        })
        .collect()
}

/// Keeps a change unless it is one of the moves still to drop.
fn take(moved: &mut BTreeMap<String, (usize, usize)>, text: &str, side: usize) -> bool {
    match moved.get_mut(text) {
        Some(counts) => {
            let left = if side == 0 {
                &mut counts.0
            } else {
                &mut counts.1
            };
            if *left > 0 {
                *left -= 1;
                false
            } else {
                true
            }
        }
        None => true,
    }
}

/// The words of two versions of a block: `(kind, text)` with kind `=`, `-` or `+`.
pub fn word_diff(old: &str, new: &str) -> Vec<(char, String)> {
    let diff = TextDiff::from_words(old, new);
    let mut out: Vec<(char, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            similar::ChangeTag::Equal => '=',
            similar::ChangeTag::Delete => '-',
            similar::ChangeTag::Insert => '+',
        };
        let text = change.value().to_string();
        match out.last_mut() {
            Some((k, t)) if *k == kind => t.push_str(&text),
            _ => out.push((kind, text)),
        }
    }
    out
}

/// A changed block as one string: `mark(kind, words)` renders the removed (`-`) and added (`+`)
/// words; a removal straight before an addition gets a space between them.
pub fn marked_words(old: &str, new: &str, mark: impl Fn(char, &str) -> String) -> String {
    let mut out = String::new();
    let mut last = '=';
    for (kind, words) in word_diff(old, new) {
        if last == '-' && kind == '+' {
            out.push(' ');
        }
        out.push_str(&mark(kind, &words));
        last = kind;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::snapshot::SectionText;

    fn snap(sections: Vec<(&str, Vec<&str>)>) -> Snapshot {
        Snapshot {
            pack: "p".into(),
            audience: "p".into(),
            area: None,
            chapters: vec![ChapterText {
                id: "c".into(),
                title: "C".into(),
                sections: sections
                    .into_iter()
                    .map(|(id, blocks)| SectionText {
                        id: id.into(),
                        title: id.into(),
                        blocks: blocks.into_iter().map(String::from).collect(),
                    })
                    .collect(),
            }],
        }
    }

    #[test]
    fn added_removed_and_changed_blocks() {
        let old = snap(vec![(
            "s",
            vec!["one two three four", "gone entirely", "kept"],
        )]);
        let new = snap(vec![(
            "s",
            vec!["one two three five", "kept", "brand new words here"],
        )]);
        let kinds: Vec<&str> = compare(&old, &new)
            .iter()
            .map(|c| match c {
                Change::BlockChanged { .. } => "changed",
                Change::BlockRemoved { .. } => "removed",
                Change::BlockAdded { .. } => "added",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["changed", "removed", "added"]);
    }

    #[test]
    fn a_moved_block_is_not_a_change() {
        let old = snap(vec![
            ("a", vec!["moving text", "stay"]),
            ("b", vec!["other"]),
        ]);
        let new = snap(vec![
            ("a", vec!["stay"]),
            ("b", vec!["other", "moving text"]),
        ]);
        assert!(compare(&old, &new).is_empty());
    }

    #[test]
    fn word_diffs_mark_what_changed() {
        assert_eq!(
            word_diff("the old text", "the new text"),
            vec![
                ('=', "the ".to_string()),
                ('-', "old".to_string()),
                ('+', "new".to_string()),
                ('=', " text".to_string())
            ]
        );
    }
}
