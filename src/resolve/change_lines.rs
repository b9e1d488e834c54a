//! The line a change is told in, in the "Changes in this version" annex: "**Changed**
//! paragraph 3.2 in <section>:" and the marked words, in the pack's words.

use std::collections::BTreeSet;

use crate::doc::{Block, Inline, Link, Paragraph, Target};
use crate::labels::Labels;
use crate::labels::inlines::{self, Value, sentence};
use crate::release::changes::{Change, DIRECTORY, Place, word_diff};

pub(super) fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

pub(super) fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(Paragraph {
        inlines,
        pos: Default::default(),
        number: None,
    })
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

/// How changes are told in one chapter's list: `before` is the older version, `roles` the
/// roles that the directory of roles has entries for, `labels` the pack's words.
pub(super) struct Said<'a> {
    pub chapter: &'a str,
    pub before: &'a str,
    pub roles: &'a BTreeSet<&'a str>,
    pub labels: &'a Labels,
}

/// The words of two versions, removed ones struck through and added ones underlined.
fn marked(old: &str, new: &str) -> Vec<Inline> {
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
    words
}

impl Said<'_> {
    fn link(&self, section: &str, title: &str) -> Inline {
        section_link(self.chapter, section, title)
    }

    fn place_link(&self, place: &Place) -> Inline {
        // A removed role has no entry in the directory any more: link to the directory.
        let gone = place
            .section
            .strip_prefix("role:")
            .is_some_and(|role| place.chapter == DIRECTORY && !self.roles.contains(role));
        let section = if gone { "" } else { place.section.as_str() };
        // The directory is named in the pack's words.
        let title = match place.chapter == DIRECTORY {
            true => self.labels.get("role_directory"),
            false => place.title.as_str(),
        };
        section_link(&place.chapter, section, title)
    }

    /// The role's entry in the directory, when it has one.
    fn role(&self, id: &str, name: &str) -> Inline {
        if self.roles.contains(id) {
            Inline::Link(Link {
                target: Target::Internal {
                    chapter: DIRECTORY.to_string(),
                    anchor: Some(format!("role:{id}")),
                },
                children: vec![text(name)],
                pos: Default::default(),
                title: Vec::new(),
                dest_parts: Vec::new(),
            })
        } else {
            text(name)
        }
    }

    /// "Listed in A, B and the directory of roles." (`key` is the sentence's label).
    fn places(&self, key: &str, places: &[Place]) -> Option<Block> {
        let links = places.iter().map(|p| vec![self.place_link(p)]).collect();
        let listed = inlines::list_and(self.labels, links);
        (!places.is_empty())
            .then(|| para(sentence(self.labels, key, vec![("places", listed.into())])))
    }

    /// "paragraph 3.2", "paragraph 3.2 (3.1 in version 1.0.0)" when its number moved, or for a
    /// removed paragraph "paragraph 2.3 of version 1.0.0" (as `diff` says it, in the pack's
    /// words).
    fn paragraph(&self, now: Option<&str>, was: Option<&str>, removed: bool) -> Option<String> {
        let n = now?;
        let version = ("version", self.before);
        Some(match (removed, was) {
            (true, _) => (self.labels).fill("changes_paragraph_of", &[("number", n), version]),
            (false, Some(was)) => self.labels.fill(
                "changes_paragraph_moved",
                &[("number", n), ("was", was), version],
            ),
            (false, None) => self.labels.fill("changes_paragraph", &[("number", n)]),
        })
    }

    /// "footnote 3" ("footnote 3 of version 1.0.0" when `of_before`), or "a footnote" when an
    /// old record did not number it.
    fn footnote(&self, number: u32, of_before: bool) -> String {
        let n = number.to_string();
        let values = [("number", n.as_str()), ("version", self.before)];
        let key = match (number, of_before) {
            (0, false) => "changes_a_footnote",
            (0, true) => "changes_a_footnote_of",
            (_, false) => "changes_footnote",
            (_, true) => "changes_footnote_of",
        };
        self.labels.fill(key, &values)
    }

    /// The first line of a change to a block or a footnote: "**Added** paragraph 3 in
    /// <section>:" (`key` is the line without a place, `key_at` with one).
    fn head(&self, key: &str, place: Option<String>, section: &str, title: &str) -> Block {
        let link: (&str, Value) = ("section", self.link(section, title).into());
        para(match place {
            Some(place) => sentence(
                self.labels,
                &format!("{key}_at"),
                vec![("place", place.into()), link],
            ),
            None => sentence(self.labels, key, vec![link]),
        })
    }

    /// The first line of a change to a duty: "**New duty** of <role>:".
    fn duty_head(&self, key: &str, role: &str, role_name: &str) -> Block {
        let role: (&str, Value) = ("role", self.role(role, role_name).into());
        para(sentence(self.labels, key, vec![role]))
    }

    /// One change as the blocks of a list item.
    pub(super) fn describe(&self, change: &Change) -> Vec<Block> {
        let labels = self.labels;
        match change {
            Change::ChapterAdded { title, .. } => vec![para(sentence(
                labels,
                "changes_new_chapter",
                vec![("chapter", self.link("", title).into())],
            ))],
            Change::ChapterRemoved { .. } => {
                vec![para(sentence(labels, "changes_chapter_removed", vec![]))]
            }
            Change::SectionAdded { section, title, .. } => vec![para(sentence(
                labels,
                "changes_new_section",
                vec![("section", self.link(section, title).into())],
            ))],
            Change::SectionRemoved { title, .. } => vec![para(sentence(
                labels,
                "changes_section_removed",
                vec![("section", title.as_str().into())],
            ))],
            Change::BlockAdded {
                section,
                title,
                text: added,
                paragraph,
                ..
            } => vec![
                self.head(
                    "changes_added",
                    self.paragraph(paragraph.as_deref(), None, false),
                    section,
                    title,
                ),
                para(vec![Inline::Inserted(vec![text(added)])]),
            ],
            Change::BlockRemoved {
                section,
                title,
                text: removed,
                paragraph,
                ..
            } => vec![
                self.head(
                    "changes_removed",
                    self.paragraph(paragraph.as_deref(), None, true),
                    section,
                    title,
                ),
                para(vec![Inline::Strike(vec![text(removed)])]),
            ],
            Change::BlockChanged {
                section,
                title,
                old,
                new,
                paragraph,
                old_paragraph,
                ..
            } => vec![
                self.head(
                    "changes_changed",
                    self.paragraph(paragraph.as_deref(), old_paragraph.as_deref(), false),
                    section,
                    title,
                ),
                para(marked(old, new)),
            ],
            Change::FootnoteAdded {
                section,
                title,
                footnote,
                text: added,
                ..
            } => vec![
                self.head(
                    "changes_added",
                    Some(self.footnote(*footnote, false)),
                    section,
                    title,
                ),
                para(vec![Inline::Inserted(vec![text(added)])]),
            ],
            Change::FootnoteRemoved {
                section,
                title,
                footnote,
                text: removed,
                ..
            } => vec![
                self.head(
                    "changes_removed",
                    Some(self.footnote(*footnote, true)),
                    section,
                    title,
                ),
                para(vec![Inline::Strike(vec![text(removed)])]),
            ],
            Change::FootnoteChanged {
                section,
                title,
                footnote,
                old,
                new,
                ..
            } => vec![
                self.head(
                    "changes_changed",
                    Some(self.footnote(*footnote, false)),
                    section,
                    title,
                ),
                para(marked(old, new)),
            ],
            Change::DutyAdded {
                role,
                role_name,
                text: added,
                places,
                ..
            } => vec![
                self.duty_head("changes_new_duty", role, role_name),
                para(vec![Inline::Inserted(vec![text(added)])]),
            ]
            .into_iter()
            .chain(self.places("changes_listed_in", places))
            .collect(),
            Change::DutyRemoved {
                role,
                role_name,
                text: removed,
                places,
                ..
            } => vec![
                self.duty_head("changes_duty_removed", role, role_name),
                para(vec![Inline::Strike(vec![text(removed)])]),
            ]
            .into_iter()
            .chain(self.places("changes_was_listed_in", places))
            .collect(),
            Change::DutyChanged {
                role,
                role_name,
                old,
                new,
                old_role_name,
                old_basis,
                basis,
                places,
                ..
            } => {
                let who: (&str, Value) = ("role", self.role(role, role_name).into());
                let head = match old_role_name {
                    Some(was) => sentence(
                        labels,
                        "changes_changed_duty_was",
                        vec![
                            who,
                            ("version", self.before.into()),
                            ("was", was.as_str().into()),
                        ],
                    ),
                    None => sentence(labels, "changes_changed_duty", vec![who]),
                };
                let mut blocks = vec![para(head), para(marked(old, new))];
                if let (Some(old_basis), Some(basis)) = (old_basis, basis) {
                    let or_none = |b: &str| match b.is_empty() {
                        true => labels.get("changes_no_basis").to_string(),
                        false => b.to_string(),
                    };
                    let marked = marked(&or_none(old_basis), &or_none(basis));
                    blocks.push(para(sentence(
                        labels,
                        "changes_basis",
                        vec![("basis", marked.into())],
                    )));
                }
                blocks.extend(self.places("changes_listed_in", places));
                blocks
            }
        }
    }
}
