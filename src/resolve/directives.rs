//! The directory of roles, the annex every pack ends with (each role's entry is made as
//! `::: role` makes it, in [`crate::directives`]).

use super::Draft;
use crate::directives::{DutyNote, role_entry};
use crate::doc::{Block, Inline, Paragraph};
use crate::model::{Audience, Project, Role};

fn para(text: &str) -> Block {
    Block::Paragraph(Paragraph {
        inlines: vec![Inline::Text(text.to_string())],
        pos: Default::default(),
        number: None,
    })
}

/// The annex every pack ends with: each role, so that `role:` links have somewhere to go, with
/// the duties that apply to the pack's audience (as `::: duties` lists them).
pub(super) fn role_directory(project: &Project, audience: &Audience) -> Draft {
    directory(project, Some(audience), None)
}

/// The directory of the reviewer's copy: every duty of each role, each followed by `note`
/// (whose packs list it).
pub(super) fn review_role_directory(project: &Project, note: DutyNote) -> Draft {
    directory(project, None, Some(note))
}

fn directory(project: &Project, audience: Option<&Audience>, note: Option<DutyNote>) -> Draft {
    let framework = &project.framework;
    let labels = &project.config.pack.labels;
    let mut roles: Vec<&Role> = framework.roles.iter().collect();
    roles.sort_by_key(|a| a.name.to_lowercase());
    let mut blocks = vec![para(labels.get("role_directory_intro"))];
    blocks.extend(roles.into_iter().map(|role| {
        role_entry(
            framework,
            role,
            labels,
            Some(format!("role:{}", role.id.value)),
            audience,
            note,
        )
    }));
    Draft {
        id: "role-directory".to_string(),
        title: labels.get("role_directory").to_string(),
        language: None,
        summary: Some(labels.get("role_directory_summary").to_string()),
        draft: false,
        file: None,
        blocks,
        footnotes: Default::default(),
        formats: None,
    }
}
