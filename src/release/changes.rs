//! What changed between two snapshots of a pack: chapters, sections and blocks added, removed
//! and changed. A block that moved without changing is not a change.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use similar::{Algorithm, DiffTag, TextDiff, capture_diff_slices};

pub use super::snapshot::DIRECTORY;
use super::snapshot::{BlockText, ChapterText, DutyText, SectionText, Snapshot};

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
        /// Its paragraph number, when paragraphs are numbered.
        #[serde(skip_serializing_if = "Option::is_none")]
        paragraph: Option<String>,
    },
    BlockRemoved {
        chapter: String,
        section: String,
        title: String,
        text: String,
        /// Its paragraph number in the older version.
        #[serde(skip_serializing_if = "Option::is_none")]
        paragraph: Option<String>,
    },
    BlockChanged {
        chapter: String,
        section: String,
        title: String,
        old: String,
        new: String,
        /// Its paragraph number now, and in the older version.
        #[serde(skip_serializing_if = "Option::is_none")]
        paragraph: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        old_paragraph: Option<String>,
    },
    /// A footnote, in the section that refers to it; `footnote` is its number.
    FootnoteAdded {
        chapter: String,
        section: String,
        title: String,
        footnote: u32,
        text: String,
    },
    FootnoteRemoved {
        chapter: String,
        section: String,
        title: String,
        footnote: u32,
        text: String,
    },
    FootnoteChanged {
        chapter: String,
        section: String,
        title: String,
        footnote: u32,
        old: String,
        new: String,
    },
    /// A duty of the framework, reported once for every table and list that shows it
    /// (`places`), and the directory of roles.
    DutyAdded {
        duty: String,
        role: String,
        role_name: String,
        text: String,
        places: Vec<Place>,
    },
    DutyRemoved {
        duty: String,
        role: String,
        role_name: String,
        text: String,
        places: Vec<Place>,
    },
    DutyChanged {
        duty: String,
        role: String,
        role_name: String,
        old: String,
        new: String,
        /// Who held it and its statutory basis, before and now, when they changed.
        #[serde(skip_serializing_if = "Option::is_none")]
        old_role_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        old_basis: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        basis: Option<String>,
        places: Vec<Place>,
    },
}

/// A section where a changed duty is listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    pub chapter: String,
    pub section: String,
    pub title: String,
}

impl Change {
    /// The chapter it is reported under.
    pub fn chapter(&self) -> &str {
        match self {
            Change::ChapterAdded { chapter, .. }
            | Change::ChapterRemoved { chapter, .. }
            | Change::SectionAdded { chapter, .. }
            | Change::SectionRemoved { chapter, .. }
            | Change::BlockAdded { chapter, .. }
            | Change::BlockRemoved { chapter, .. }
            | Change::BlockChanged { chapter, .. }
            | Change::FootnoteAdded { chapter, .. }
            | Change::FootnoteRemoved { chapter, .. }
            | Change::FootnoteChanged { chapter, .. } => chapter,
            Change::DutyAdded { places, .. }
            | Change::DutyRemoved { places, .. }
            | Change::DutyChanged { places, .. } => {
                places.first().map_or(DIRECTORY, |p| p.chapter.as_str())
            }
        }
    }

    fn places(&mut self) -> Option<&mut Vec<Place>> {
        match self {
            Change::DutyAdded { places, .. }
            | Change::DutyRemoved { places, .. }
            | Change::DutyChanged { places, .. } => Some(places),
            _ => None,
        }
    }

    /// The section of a block change.
    fn place(&self) -> Option<Place> {
        match self {
            Change::BlockAdded {
                chapter,
                section,
                title,
                ..
            }
            | Change::BlockRemoved {
                chapter,
                section,
                title,
                ..
            }
            | Change::BlockChanged {
                chapter,
                section,
                title,
                ..
            } => Some(Place {
                chapter: chapter.clone(),
                section: section.clone(),
                title: title.clone(),
            }),
            _ => None,
        }
    }
}

/// Blocks this similar (0 to 1, by words) count as one block changed rather than one removed
/// and another added.
const SAME_BLOCK: f32 = 0.5;

/// A change found, with the duty that the changed table row or list item lists.
type Found = (Change, Option<String>);

/// The changes from `old` to `new`.
pub fn compare(old: &Snapshot, new: &Snapshot) -> Vec<Change> {
    let old = &upgrade(old);
    let mut changes: Vec<Found> = Vec::new();
    let old_chapters: BTreeMap<&str, &ChapterText> =
        old.chapters.iter().map(|c| (c.id.as_str(), c)).collect();
    let new_ids: BTreeSet<&str> = new.chapters.iter().map(|c| c.id.as_str()).collect();
    for chapter in &new.chapters {
        match old_chapters.get(chapter.id.as_str()) {
            None => changes.push((
                Change::ChapterAdded {
                    chapter: chapter.id.clone(),
                    title: chapter.title.clone(),
                },
                None,
            )),
            Some(before) => compare_chapter(before, chapter, &mut changes),
        }
    }
    for chapter in &old.chapters {
        if !new_ids.contains(&chapter.id.as_str()) {
            changes.push((
                Change::ChapterRemoved {
                    chapter: chapter.id.clone(),
                    title: chapter.title.clone(),
                },
                None,
            ));
        }
    }
    let changes = drop_moves(changes);
    // A record written before duties were recorded says nothing about them.
    if old.audience_name.is_empty() {
        return changes.into_iter().map(|(change, _)| change).collect();
    }
    by_duty(changes, &old.duties, &new.duties)
}

/// A snapshot recorded before footnotes were marked: its footnotes are the blocks of a
/// chapter's opening text that start `Note: `.
fn upgrade(old: &Snapshot) -> Snapshot {
    let mut old = old.clone();
    if !old.audience_name.is_empty() {
        return old;
    }
    for section in old
        .chapters
        .iter_mut()
        .flat_map(|c| c.sections.iter_mut())
        .filter(|s| s.id.is_empty())
    {
        for block in &mut section.blocks {
            if let Some(text) = block.text.strip_prefix("Note: ") {
                *block = BlockText {
                    text: text.to_string(),
                    footnote: Some(0),
                    ..Default::default()
                };
            }
        }
    }
    old
}

fn section_title(chapter: &ChapterText, section: &SectionText) -> String {
    if section.title.is_empty() {
        chapter.title.clone()
    } else {
        section.title.clone()
    }
}

fn compare_chapter(old: &ChapterText, new: &ChapterText, changes: &mut Vec<Found>) {
    let chapter = &new.id;
    let old_sections: BTreeMap<&str, _> = old.sections.iter().map(|s| (s.id.as_str(), s)).collect();
    let text_of = |s: &SectionText| -> Vec<BlockText> {
        s.blocks
            .iter()
            .filter(|b| b.footnote.is_none())
            .cloned()
            .collect()
    };
    for section in &new.sections {
        let title = section_title(new, section);
        let after = text_of(section);
        let opening = SectionText {
            id: String::new(),
            title: String::new(),
            blocks: Vec::new(),
            local: false,
        };
        // The text before a chapter's first heading is no section of its own: it may come
        // and go without a section being added or removed.
        let found = old_sections
            .get(section.id.as_str())
            .copied()
            .or(section.id.is_empty().then_some(&opening));
        let Some(before) = found else {
            changes.push((
                Change::SectionAdded {
                    chapter: chapter.clone(),
                    section: section.id.clone(),
                    title: title.clone(),
                },
                None,
            ));
            for block in &after {
                changes.push((
                    Change::BlockAdded {
                        chapter: chapter.clone(),
                        section: section.id.clone(),
                        title: title.clone(),
                        text: block.text.clone(),
                        paragraph: block.number.clone(),
                    },
                    block.duty.clone(),
                ));
            }
            continue;
        };
        let before = text_of(before);
        // Blocks not kept as they were: pair each removed block with the most alike added
        // block of the section (a reworded paragraph, perhaps moved too); the rest were
        // really removed or added.
        let (removed, added) = unmatched(&before, &after);
        let mut found: Vec<(usize, u8, Found)> = Vec::new();
        let (pairs, removed, added) = pair(removed, added, |_, _| false);
        for ((_, old_block), (new_index, new_block)) in pairs {
            let change = Change::BlockChanged {
                chapter: chapter.clone(),
                section: section.id.clone(),
                title: title.clone(),
                old: old_block.text.clone(),
                new: new_block.text.clone(),
                paragraph: new_block.number.clone(),
                old_paragraph: old_block
                    .number
                    .clone()
                    .filter(|n| Some(n) != new_block.number.as_ref()),
            };
            let duty = new_block.duty.clone().or(old_block.duty.clone());
            found.push((new_index, 1, (change, duty)));
        }
        for (old_index, block) in removed {
            let change = Change::BlockRemoved {
                chapter: chapter.clone(),
                section: section.id.clone(),
                title: title.clone(),
                text: block.text.clone(),
                paragraph: block.number.clone(),
            };
            found.push((old_index, 0, (change, block.duty.clone())));
        }
        for (new_index, block) in added {
            let change = Change::BlockAdded {
                chapter: chapter.clone(),
                section: section.id.clone(),
                title: title.clone(),
                text: block.text.clone(),
                paragraph: block.number.clone(),
            };
            found.push((new_index, 1, (change, block.duty.clone())));
        }
        found.sort_by_key(|(position, order, _)| (*position, *order));
        changes.extend(found.into_iter().map(|(_, _, change)| change));
    }
    let new_ids: BTreeSet<&str> = new.sections.iter().map(|s| s.id.as_str()).collect();
    for section in &old.sections {
        if section.id.is_empty() && !new_ids.contains("") {
            // The opening text is all gone.
            for block in text_of(section) {
                changes.push((
                    Change::BlockRemoved {
                        chapter: chapter.clone(),
                        section: String::new(),
                        title: new.title.clone(),
                        text: block.text.clone(),
                        paragraph: block.number.clone(),
                    },
                    block.duty.clone(),
                ));
            }
        } else if !new_ids.contains(&section.id.as_str()) {
            changes.push((
                Change::SectionRemoved {
                    chapter: chapter.clone(),
                    section: section.id.clone(),
                    title: section.title.clone(),
                },
                None,
            ));
        }
    }
    compare_footnotes(old, new, changes);
}

/// Blocks with their places in their section.
type Indexed<'a> = Vec<(usize, &'a BlockText)>;

/// A removed block and the added block it became.
type Pairs<'a> = Vec<((usize, &'a BlockText), (usize, &'a BlockText))>;

/// The blocks of `before` and `after` that the diff does not keep as they were, with their
/// places.
fn unmatched<'a>(before: &'a [BlockText], after: &'a [BlockText]) -> (Indexed<'a>, Indexed<'a>) {
    let old_keys: Vec<String> = before.iter().map(BlockText::key).collect();
    let new_keys: Vec<String> = after.iter().map(BlockText::key).collect();
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag != DiffTag::Equal {
            removed.extend(old_range.map(|i| (i, &before[i])));
            added.extend(new_range.map(|i| (i, &after[i])));
        }
    }
    (removed, added)
}

/// Removed and added blocks paired as one block changed: first those that `same` says are
/// one (a footnote of the same number), then each removed block with the most alike added
/// one. Returns the pairs and what is left of each side.
fn pair<'a>(
    removed: Indexed<'a>,
    mut added: Indexed<'a>,
    same: impl Fn(&BlockText, &BlockText) -> bool,
) -> (Pairs<'a>, Indexed<'a>, Indexed<'a>) {
    let mut pairs = Vec::new();
    let mut left = Vec::new();
    let mut unsure = Vec::new();
    for (old_index, old_block) in removed {
        match added.iter().position(|(_, b)| same(old_block, b)) {
            Some(k) => pairs.push(((old_index, old_block), added.remove(k))),
            None => unsure.push((old_index, old_block)),
        }
    }
    for (old_index, old_block) in unsure {
        let best = added
            .iter()
            .enumerate()
            .map(|(k, (_, new_block))| (k, similarity(&old_block.text, &new_block.text)))
            .filter(|(_, score)| *score >= SAME_BLOCK)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((k, _)) => pairs.push(((old_index, old_block), added.remove(k))),
            None => left.push((old_index, old_block)),
        }
    }
    pairs.sort_by_key(|(_, (new_index, _))| *new_index);
    (pairs, left, added)
}

/// Footnotes, compared across the chapter: a footnote whose number and place stay is the same
/// footnote, however much its words changed.
fn compare_footnotes(old: &ChapterText, new: &ChapterText, changes: &mut Vec<Found>) {
    let notes = |chapter: &ChapterText| -> Vec<(BlockText, String, String)> {
        chapter
            .sections
            .iter()
            .flat_map(|s| {
                let title = section_title(chapter, s);
                s.blocks
                    .iter()
                    .filter(|b| b.footnote.is_some())
                    .map(move |b| (b.clone(), s.id.clone(), title.clone()))
            })
            .collect()
    };
    let (before, after) = (notes(old), notes(new));
    let old_blocks: Vec<BlockText> = before.iter().map(|(b, _, _)| b.clone()).collect();
    let new_blocks: Vec<BlockText> = after.iter().map(|(b, _, _)| b.clone()).collect();
    let (removed, added) = unmatched(&old_blocks, &new_blocks);
    let (pairs, removed, added) = pair(removed, added, |a, b| {
        a.footnote == b.footnote && a.footnote != Some(0)
    });
    let chapter = &new.id;
    let mut found: Vec<(usize, u8, Change)> = Vec::new();
    for ((_, old_block), (new_index, new_block)) in pairs {
        let (_, section, title) = &after[new_index];
        found.push((
            new_index,
            1,
            Change::FootnoteChanged {
                chapter: chapter.clone(),
                section: section.clone(),
                title: title.clone(),
                footnote: new_block.footnote.unwrap_or_default(),
                old: old_block.text.clone(),
                new: new_block.text.clone(),
            },
        ));
    }
    for (old_index, block) in removed {
        let (_, section, title) = &before[old_index];
        // Where it was, if that section is still there; else the chapter's opening.
        let section = if new.sections.iter().any(|s| &s.id == section) {
            section.clone()
        } else {
            String::new()
        };
        let title = if section.is_empty() {
            new.title.clone()
        } else {
            title.clone()
        };
        found.push((
            old_index,
            0,
            Change::FootnoteRemoved {
                chapter: chapter.clone(),
                section,
                title,
                footnote: block.footnote.unwrap_or_default(),
                text: block.text.clone(),
            },
        ));
    }
    for (new_index, block) in added {
        let (_, section, title) = &after[new_index];
        found.push((
            new_index,
            1,
            Change::FootnoteAdded {
                chapter: chapter.clone(),
                section: section.clone(),
                title: title.clone(),
                footnote: block.footnote.unwrap_or_default(),
                text: block.text.clone(),
            },
        ));
    }
    found.sort_by_key(|(position, order, _)| (*position, *order));
    changes.extend(found.into_iter().map(|(_, _, change)| (change, None)));
}

/// Changes to the table rows and list items that list a duty become one change of that
/// duty, in the place of the first of them, naming every place; a duty that changed where
/// only the directory of roles lists it is reported at the end.
fn by_duty(changes: Vec<Found>, old: &[DutyText], new: &[DutyText]) -> Vec<Change> {
    let mut pending: BTreeMap<String, Change> = BTreeMap::new();
    let old_duties: BTreeMap<&str, &DutyText> = old.iter().map(|d| (d.id.as_str(), d)).collect();
    let new_duties: BTreeMap<&str, &DutyText> = new.iter().map(|d| (d.id.as_str(), d)).collect();
    for duty in new {
        let change = match old_duties.get(duty.id.as_str()) {
            None => Change::DutyAdded {
                duty: duty.id.clone(),
                role: duty.role.clone(),
                role_name: duty.role_name.clone(),
                text: duty.text.clone(),
                places: Vec::new(),
            },
            Some(before) if !before.same(duty) => Change::DutyChanged {
                duty: duty.id.clone(),
                role: duty.role.clone(),
                role_name: duty.role_name.clone(),
                old: before.text.clone(),
                new: duty.text.clone(),
                old_role_name: (before.role != duty.role).then(|| before.role_name.clone()),
                old_basis: (before.basis != duty.basis).then(|| before.basis.clone()),
                basis: (before.basis != duty.basis).then(|| duty.basis.clone()),
                places: Vec::new(),
            },
            Some(_) => continue,
        };
        pending.insert(duty.id.clone(), change);
    }
    for duty in old {
        if !new_duties.contains_key(duty.id.as_str()) {
            pending.insert(
                duty.id.clone(),
                Change::DutyRemoved {
                    duty: duty.id.clone(),
                    role: duty.role.clone(),
                    role_name: duty.role_name.clone(),
                    text: duty.text.clone(),
                    places: Vec::new(),
                },
            );
        }
    }
    let listed: BTreeMap<&str, &DutyText> =
        old.iter().chain(new).map(|d| (d.id.as_str(), d)).collect();
    let mut out: Vec<Change> = Vec::new();
    let mut placed: BTreeMap<String, usize> = BTreeMap::new();
    for (change, duty) in changes {
        let Some(id) = duty.filter(|id| pending.contains_key(id) || placed.contains_key(id)) else {
            out.push(change);
            continue;
        };
        let place = change.place();
        let at = match placed.get(&id) {
            Some(at) => *at,
            None => {
                let Some(duty_change) = pending.remove(&id) else {
                    continue;
                };
                out.push(duty_change);
                placed.insert(id, out.len() - 1);
                out.len() - 1
            }
        };
        if let (Some(place), Some(places)) = (place, out[at].places())
            && !places.contains(&place)
        {
            places.push(place);
        }
    }
    // The directory of roles, last.
    for change in out.iter_mut().chain(pending.values_mut()) {
        let duty = match change {
            Change::DutyAdded { duty, .. }
            | Change::DutyRemoved { duty, .. }
            | Change::DutyChanged { duty, .. } => listed.get(duty.as_str()).copied(),
            _ => None,
        };
        if let (Some(duty), Some(places)) = (duty.filter(|d| d.in_directory), change.places()) {
            places.push(Place {
                chapter: DIRECTORY.to_string(),
                section: format!("role:{}", duty.role),
                title: "Directory of roles".to_string(),
            });
        }
    }
    // Duties in the order of the framework.
    let mut order: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, duty) in new.iter().chain(old).enumerate() {
        order.entry(duty.id.as_str()).or_insert(i);
    }
    let mut rest: Vec<(String, Change)> = pending.into_iter().collect();
    rest.sort_by_key(|(id, _)| order.get(id.as_str()).copied().unwrap_or(usize::MAX));
    out.extend(rest.into_iter().map(|(_, change)| change));
    out
}

/// How alike two texts are, by words, from 0 to 1.
pub fn similarity(old: &str, new: &str) -> f32 {
    TextDiff::from_words(old, new).ratio()
}

/// A block removed in one place and added unchanged in another moved: not a change.
fn drop_moves(changes: Vec<Found>) -> Vec<Found> {
    let mut removed: BTreeMap<String, usize> = BTreeMap::new();
    let mut added: BTreeMap<String, usize> = BTreeMap::new();
    for (change, _) in &changes {
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
        .filter(|(change, _)| match change {
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

/// The words of two versions of a block: `(kind, text)` with kind `=`, `-` or `+`; when most
/// words changed, the whole old text and the whole new one.
pub fn word_diff(old: &str, new: &str) -> Vec<(char, String)> {
    let diff = TextDiff::from_words(old, new);
    // Words rewritten more than kept, or edits scattered all through, read better as the old
    // text, then the new.
    let edits = diff
        .ops()
        .iter()
        .filter(|op| op.tag() != DiffTag::Equal)
        .count();
    if diff.ratio() < SAME_BLOCK || (edits > 4 && diff.ratio() < 0.75) {
        return vec![('-', old.to_string()), ('+', new.to_string())];
    }
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

/// The words a change uses for the paragraph it is about, when paragraphs are numbered:
/// "paragraph 3.2", "paragraph 3.2 (3.1 in version 1.0.0)" when its number moved, or for a
/// removed paragraph "paragraph 2.3 of version 1.0.0". The annex and `diff` both say it so.
pub fn paragraph_words(
    now: Option<&str>,
    was: Option<&str>,
    before: &str,
    removed: bool,
) -> Option<String> {
    let n = now?;
    Some(match (removed, was) {
        (true, _) => format!("paragraph {n} of version {before}"),
        (false, Some(was)) => format!("paragraph {n} ({was} in version {before})"),
        (false, None) => format!("paragraph {n}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(sections: Vec<(&str, Vec<&str>)>) -> Snapshot {
        Snapshot {
            pack: "p".into(),
            audience: "p".into(),
            audience_name: "P".into(),
            chapters: vec![ChapterText {
                id: "c".into(),
                title: "C".into(),
                sections: sections
                    .into_iter()
                    .map(|(id, blocks)| SectionText {
                        id: id.into(),
                        title: id.into(),
                        blocks: blocks.into_iter().map(BlockText::plain).collect(),
                        local: false,
                    })
                    .collect(),
            }],
            ..Default::default()
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

    fn block(text: &str, footnote: Option<u32>, duty: Option<&str>) -> BlockText {
        BlockText {
            text: text.into(),
            footnote,
            duty: duty.map(String::from),
            ..Default::default()
        }
    }

    fn duty(text: &str) -> DutyText {
        DutyText {
            id: "d".into(),
            role: "r".into(),
            role_name: "R".into(),
            text: text.into(),
            basis: String::new(),
            in_directory: true,
        }
    }

    fn with(blocks: Vec<BlockText>, duties: Vec<DutyText>) -> Snapshot {
        let mut s = snap(vec![("s", vec![])]);
        s.chapters[0].sections[0].blocks = blocks;
        s.duties = duties;
        s
    }

    #[test]
    fn a_rewritten_footnote_of_the_same_number_is_changed() {
        let old = with(vec![block("alpha beta gamma", Some(1), None)], vec![]);
        let new = with(
            vec![block("something else entirely", Some(1), None)],
            vec![],
        );
        assert!(matches!(
            compare(&old, &new).as_slice(),
            [Change::FootnoteChanged { footnote: 1, .. }]
        ));
    }

    #[test]
    fn a_duty_listed_twice_is_one_change_naming_its_places() {
        let old = with(
            vec![
                block("Do a thing. | R", None, Some("d")),
                block("• Do a thing. (law)", None, Some("d")),
            ],
            vec![duty("Do a thing.")],
        );
        let new = with(
            vec![
                block("Do a better thing. | R", None, Some("d")),
                block("• Do a better thing. (law)", None, Some("d")),
            ],
            vec![duty("Do a better thing.")],
        );
        let changes = compare(&old, &new);
        assert_eq!(changes.len(), 1, "{changes:?}");
        let Change::DutyChanged { places, .. } = &changes[0] else {
            panic!("{changes:?}")
        };
        let chapters: Vec<&str> = places.iter().map(|p| p.chapter.as_str()).collect();
        assert_eq!(chapters, ["c", DIRECTORY]);
    }

    #[test]
    fn records_without_duties_or_numbered_footnotes_still_compare() {
        // As written before this version: footnotes as `Note: ` blocks, no duties, no names.
        let mut old = with(vec![BlockText::plain("Note: a footnote")], vec![]);
        old.audience_name = String::new();
        old.chapters[0].sections[0].id = String::new();
        let mut new = with(
            vec![block("a footnote", Some(1), None)],
            vec![duty("Do it.")],
        );
        new.chapters[0].sections[0].id = String::new();
        assert_eq!(compare(&old, &new), Vec::new());
    }

    #[test]
    fn scattered_rewording_reads_as_old_then_new() {
        assert_eq!(
            word_diff("a b c d e f g h i", "v b w d x f y h z").len(),
            2,
            "old text, then new"
        );
    }
}
