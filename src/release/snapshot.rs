//! A snapshot of a pack's text: chapters, sections (by heading id) and blocks of plain text, as
//! recorded with a release, so that `diff` and change summaries work without the old sources.
//! These are the types; `resolve::snapshot` makes one from a resolved pack.

use serde::{Deserialize, Serialize};

/// The chapter where the directory of roles, which lists every duty, is.
pub const DIRECTORY: &str = "role-directory";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The pack's folder: `providers` or `areas/<id>/providers`.
    pub pack: String,
    pub audience: String,
    /// The audience's name, so that `diff` can name it when the sources are gone (empty in
    /// records written before names were recorded).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub audience_name: String,
    pub area: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_name: Option<String>,
    pub chapters: Vec<ChapterText>,
    /// The duties of the framework that the pack lists (in its tables, role entries or
    /// directory of roles), so that a changed duty is one change however often it is listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duties: Vec<DutyText>,
    /// In an area's pack, the area's own values as the text may show them (`area.name`,
    /// `area.<key>` for each of its `[vars]`, `contact.<n>.name|email|phone`), so that a
    /// change that only these make is told as a local one. Empty in national packs and in
    /// records written before this was recorded.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub area_values: std::collections::BTreeMap<String, String>,
}

impl Snapshot {
    /// Whether the section `section` (by heading id, `""` for the opening text) of chapter
    /// `chapter` is the area's own text; `None` when the snapshot has no such section.
    pub fn is_local(&self, chapter: &str, section: &str) -> Option<bool> {
        let chapter = self.chapters.iter().find(|c| c.id == chapter)?;
        let section = chapter.sections.iter().find(|s| s.id == section)?;
        Some(section.local)
    }

    /// Whether every section of chapter `chapter` is the area's own text.
    pub fn chapter_is_local(&self, chapter: &str) -> bool {
        (self.chapters.iter().find(|c| c.id == chapter))
            .is_some_and(|c| !c.sections.is_empty() && c.sections.iter().all(|s| s.local))
    }
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
    /// Each paragraph, list item, table row, footnote… in order.
    pub blocks: Vec<BlockText>,
    /// The section's text comes from the area's own files (a local section, in place of a
    /// national one or beside it). Absent (false) in national packs and older records.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub local: bool,
}

/// One block as plain text, with what identifies it to a reader: its paragraph number, its
/// footnote number, the duty it lists. Recorded as a bare string when it has none of these.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "BlockForm", into = "BlockForm")]
pub struct BlockText {
    pub text: String,
    /// `2.3` for a numbered paragraph.
    pub number: Option<String>,
    /// The footnote's number, for (a paragraph of) a footnote.
    pub footnote: Option<u32>,
    /// The id of the duty that this table row or list item lists.
    pub duty: Option<String>,
}

impl BlockText {
    pub fn plain(text: &str) -> Self {
        BlockText {
            text: text.to_string(),
            ..Default::default()
        }
    }

    /// What blocks are compared by: the text, with footnotes marked as such (as records written
    /// before footnotes were numbered hold them), so that a paragraph never matches a footnote.
    pub fn key(&self) -> String {
        match self.footnote {
            Some(_) => format!("Note: {}", self.text),
            None => self.text.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum BlockForm {
    Plain(String),
    Full {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        number: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        footnote: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duty: Option<String>,
    },
}

impl From<BlockForm> for BlockText {
    fn from(form: BlockForm) -> Self {
        match form {
            BlockForm::Plain(text) => BlockText {
                text,
                ..Default::default()
            },
            BlockForm::Full {
                text,
                number,
                footnote,
                duty,
            } => BlockText {
                text,
                number,
                footnote,
                duty,
            },
        }
    }
}

impl From<BlockText> for BlockForm {
    fn from(block: BlockText) -> Self {
        match block {
            BlockText {
                text,
                number: None,
                footnote: None,
                duty: None,
            } => BlockForm::Plain(text),
            BlockText {
                text,
                number,
                footnote,
                duty,
            } => BlockForm::Full {
                text,
                number,
                footnote,
                duty,
            },
        }
    }
}

/// A duty as a pack lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyText {
    pub id: String,
    /// The id and name of the role that holds it.
    pub role: String,
    pub role_name: String,
    pub text: String,
    /// The titles of its statutes, `; ` between them (empty for good practice).
    pub basis: String,
    /// Whether the pack's directory of roles lists it (under its role).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_directory: bool,
}

impl DutyText {
    /// Whether it reads the same: text, holder and statutory basis.
    pub fn same(&self, other: &DutyText) -> bool {
        (&self.text, &self.role, &self.basis) == (&other.text, &other.role, &other.basis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_without_origins_or_area_values_still_loads_and_writes_as_before() {
        let old = r#"{"pack": "areas/kent/providers", "audience": "providers", "area": "kent",
            "chapters": [{"id": "c", "title": "C", "sections": [{"id": "", "title": "", "blocks": ["x"]}]}]}"#;
        let snapshot: Snapshot = serde_json::from_str(old).unwrap();
        assert_eq!(snapshot.is_local("c", ""), Some(false));
        assert!(snapshot.area_values.is_empty());
        let written = serde_json::to_string(&snapshot).unwrap();
        assert!(
            !written.contains("local") && !written.contains("area_values"),
            "{written}"
        );
    }
}
