//! The "Changes in this version" annex: what changed in this pack's text since the previous
//! release, with the hand-written change notes above it.

use std::collections::{BTreeMap, BTreeSet};

use super::change_lines::{Said, para, text};
use super::snapshot::snapshot;
use super::{Pack, PackChapter};
use crate::doc::{Block, Heading, Inline, List, ListItem};
use crate::model::{PackInfo, Project};
use crate::release::changes::{Change, compare};
use crate::release::{Recorded, Snapshot};

/// The annex of a pack (resolved with its other annexes, not yet lettered), when there is a
/// previous release to compare with. It goes after the other annexes, so that theirs keep
/// their letters whether or not a pack has a change summary (the directory of roles is annex
/// A in the first release and after it).
pub(super) fn change_summary(pack: &Pack, previous: &Recorded, project: &Project) -> PackChapter {
    let roles: BTreeSet<&str> = project
        .framework
        .roles
        .iter()
        .map(|r| r.id.value.as_str())
        .collect();
    change_annex(pack, previous, project, &roles)
}

fn change_annex(
    pack: &Pack,
    previous: &Recorded,
    project: &Project,
    roles: &BTreeSet<&str>,
) -> PackChapter {
    let config = &project.config;
    let info = &config.pack;
    let old_date = PackInfo {
        date: previous.record.date.clone(),
        ..info.clone()
    }
    .date_display();
    let mut blocks = Vec::new();
    let area = (pack.area.as_ref()).and_then(|a| project.areas.iter().find(|x| x.id == a.id));
    let this_version = match area {
        Some(area) => info.version.area_edition(&area.id, area.revision),
        None => info.version.clone(),
    };
    match area {
        None => {
            for note in (config.change_notes.iter()).filter(|n| info.version == n.version) {
                blocks.push(para(vec![text(&note.text)]));
            }
        }
        // In an area's pack, the national notes and the area's own are labelled apart.
        Some(area) => blocks.extend(area_notes(area, previous, &this_version, project)),
    }
    let labels = &info.labels;
    let who = match &pack.area {
        None => pack.audience.name.clone(),
        Some(area) => labels.fill(
            "audience_in_area",
            &[("audience", &pack.audience.name), ("area", &area.name)],
        ),
    };
    let before = previous.record.version.to_string();
    let (this, who) = (this_version.to_string(), who.as_str());
    let said = [
        ("who", who),
        ("version", this.as_str()),
        ("previous", before.as_str()),
        ("date", old_date.as_str()),
    ];
    let current = snapshot(pack, &project.framework);
    let changes = match previous.snapshot(&pack.dir()) {
        None => {
            blocks.push(para(vec![text(&labels.fill("changes_new_pack", &said))]));
            Vec::new()
        }
        Some(old) => compare(old, &current),
    };
    if previous.snapshot(&pack.dir()).is_some() {
        if changes.is_empty() {
            blocks.push(para(vec![text(&labels.fill("changes_none", &said))]));
        } else {
            blocks.push(para(vec![text(&labels.fill("changes_intro", &said))]));
        }
    }
    // An area's earlier edition of the same national version: its version number in the
    // text (`{{ pack.version }}`) differs only by the area's revision, a local change.
    let versions = match &pack.area {
        Some(area)
            if previous
                .record
                .version
                .national_of_edition(&area.id)
                .as_ref()
                == Some(&info.version) =>
        {
            Some((
                previous.record.version.to_string(),
                this_version.to_string(),
            ))
        }
        _ => None,
    };
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
            condition: Default::default(),
        }));
        let said = Said {
            chapter: &chapter,
            before: &previous.record.version,
            roles,
            labels,
        };
        let items = list
            .iter()
            .map(|c| {
                let mut blocks = said.describe(c);
                // In an area's pack each change says whose it is.
                if let (Some(area), Some(old)) = (&pack.area, previous.snapshot(&pack.dir()))
                    && let Some(Block::Paragraph(first)) = blocks.first_mut()
                {
                    let whose = match is_local(c, old, &current, &versions) {
                        true => labels.fill("local_change", &[("area", &area.name)]),
                        false => labels.get("national_change").to_string(),
                    };
                    first
                        .inlines
                        .splice(0..0, [Inline::Emph(vec![text(&whose)]), text(". ")]);
                }
                ListItem { task: None, blocks }
            })
            .collect();
        blocks.push(Block::List(List { start: None, items }));
    }
    PackChapter {
        id: "changes".to_string(),
        number: String::new(),
        title: labels.get("changes_title").to_string(),
        language: None,
        summary: Some(labels.fill("changes_summary", &[("version", &before)])),
        draft: false,
        file: None,
        blocks,
        footnotes: Vec::new(),
        formats: None,
    }
}

/// The change notes of an area's pack since `previous` (the area's previous edition, or the
/// previous national release when the area has none): the national notes of every national
/// version after the one `previous` belongs to, up to this one, "National change: …", then
/// the area's own notes of every edition after `previous`, up to `this_version`, "Local
/// change (Kent): …". A note of an earlier version than this one says its version.
fn area_notes(
    area: &crate::model::Area,
    previous: &Recorded,
    this_version: &crate::version::Version,
    project: &Project,
) -> Vec<Block> {
    use crate::version::key;
    let info = &project.config.pack;
    let before = &previous.record.version;
    let national_before = before
        .national_of_edition(&area.id)
        .unwrap_or(before.clone());
    let between = |version: &str, after: &str, upto: &str| {
        key(version) > key(after) && key(version) <= key(upto)
    };
    let mut blocks = Vec::new();
    let mut national: Vec<&crate::model::ChangeNote> = (project.config.change_notes.iter())
        .filter(|n| between(&n.version, &national_before, &info.version))
        .collect();
    national.sort_by_key(|n| key(&n.version));
    for note in national {
        let labels = &info.labels;
        let label = match note.version == info.version.as_str() {
            true => labels.fill("national_change_note", &[("text", &note.text)]),
            false => labels.fill(
                "national_change_in_note",
                &[("version", &note.version), ("text", &note.text)],
            ),
        };
        blocks.push(para(vec![text(&label)]));
    }
    let mut local: Vec<&crate::model::ChangeNote> = (area.change_notes.iter())
        .filter(|n| between(&n.version, before, this_version))
        .collect();
    local.sort_by_key(|n| key(&n.version));
    for note in local {
        let labels = &info.labels;
        let fills = [
            ("area", area.name.as_str()),
            ("version", note.version.as_str()),
            ("text", note.text.as_str()),
        ];
        let label = match note.version == this_version.as_str() {
            true => labels.fill("local_change_note", &fills),
            false => labels.fill("local_change_in_note", &fills),
        };
        blocks.push(para(vec![text(&label)]));
    }
    blocks
}

/// Whether a change in an area's pack is the area's own: its section's text comes from the
/// area's files (before or now, as `SectionText::local` records it; a chapter when all its
/// sections do), or the text changed only where the area's own values stand (its name,
/// `[vars]`, contacts: the same text once each value, old and new, is put back as its
/// placeholder). A duty of the framework, and everything else, is national.
fn is_local(
    change: &Change,
    old: &Snapshot,
    new: &Snapshot,
    versions: &Option<(String, String)>,
) -> bool {
    let local_in = |snap: &Snapshot, chapter: &str, section: &str| {
        snap.is_local(chapter, section).unwrap_or(false)
    };
    match change {
        Change::ChapterAdded { chapter, .. } => new.chapter_is_local(chapter),
        Change::ChapterRemoved { chapter, .. } => old.chapter_is_local(chapter),
        Change::SectionAdded {
            chapter, section, ..
        }
        | Change::BlockAdded {
            chapter, section, ..
        }
        | Change::FootnoteAdded {
            chapter, section, ..
        } => local_in(new, chapter, section),
        Change::SectionRemoved {
            chapter, section, ..
        }
        | Change::BlockRemoved {
            chapter, section, ..
        }
        | Change::FootnoteRemoved {
            chapter, section, ..
        } => local_in(old, chapter, section),
        Change::BlockChanged {
            chapter,
            section,
            old: before,
            new: after,
            ..
        }
        | Change::FootnoteChanged {
            chapter,
            section,
            old: before,
            new: after,
            ..
        } => {
            local_in(old, chapter, section)
                || local_in(new, chapter, section)
                || values_only(before, after, old, new, versions)
        }
        Change::DutyAdded { .. } | Change::DutyRemoved { .. } | Change::DutyChanged { .. } => false,
    }
}

/// Whether two texts of a block differ only where the area's own values stand (with the
/// pack's version among them when `versions`, old and new, differ by the revision only).
fn values_only(
    before: &str,
    after: &str,
    old: &Snapshot,
    new: &Snapshot,
    versions: &Option<(String, String)>,
) -> bool {
    let (mut old_values, mut new_values) = (old.area_values.clone(), new.area_values.clone());
    if let Some((was, is)) = versions {
        old_values.insert("pack.version".to_string(), was.clone());
        new_values.insert("pack.version".to_string(), is.clone());
    }
    placeholders(before, &old_values) == placeholders(after, &new_values)
}

/// A text with each of an area's values put back as its placeholder (`{{ area.nurse }}`),
/// the longest values first.
fn placeholders(text: &str, values: &BTreeMap<String, String>) -> String {
    let mut by_length: Vec<(&String, &String)> = values.iter().collect();
    by_length.sort_by_key(|(key, value)| (std::cmp::Reverse(value.len()), *key));
    let mut text = text.to_string();
    for (key, value) in by_length {
        text = text.replace(value.as_str(), &format!("{{{{ {key} }}}}"));
    }
    text
}
