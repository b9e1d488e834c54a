//! `content/framework/*.toml` (roles, duties, statutes, merged) and `content/glossary.toml`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{from_toml, located};
use crate::diagnostic::{Diagnostics, LineIndex};
use crate::model::{Duty, Framework, Glossary, Role, RoleKind, Statute};
use crate::sources::SourceSet;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameworkFile {
    #[serde(default, rename = "role")]
    roles: Vec<RoleFile>,
    #[serde(default, rename = "duty")]
    duties: Vec<DutyFile>,
    #[serde(default, rename = "statute")]
    statutes: Vec<StatuteFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleFile {
    id: Spanned<String>,
    name: String,
    kind: RoleKind,
    #[serde(default)]
    description: String,
    #[serde(default)]
    accountable_to: Vec<Spanned<String>>,
    #[serde(default)]
    audiences: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DutyFile {
    id: Spanned<String>,
    role: Spanned<String>,
    text: String,
    #[serde(default)]
    basis: Vec<Spanned<String>>,
    #[serde(default)]
    audiences: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatuteFile {
    id: Spanned<String>,
    title: String,
    url: Option<String>,
}

pub(super) fn parse_framework(sources: &SourceSet, diagnostics: &mut Diagnostics) -> Framework {
    let (mut roles, mut duties, mut statutes) = (Vec::new(), Vec::new(), Vec::new());
    for (file, text) in sources.texts_in("content/framework", ".toml") {
        let Some(parsed) = from_toml::<FrameworkFile>(file, text, diagnostics) else {
            continue;
        };
        let index = LineIndex::new(text);
        let at = |spanned: Spanned<String>| located(file, &index, spanned);
        let all = |list: Vec<Spanned<String>>| list.into_iter().map(at).collect::<Vec<_>>();
        for role in parsed.roles {
            roles.push(Role {
                id: at(role.id),
                name: role.name,
                kind: role.kind,
                description: role.description,
                accountable_to: all(role.accountable_to),
                audiences: all(role.audiences),
            });
        }
        for duty in parsed.duties {
            duties.push(Duty {
                id: at(duty.id),
                role: at(duty.role),
                text: duty.text,
                basis: all(duty.basis),
                audiences: all(duty.audiences),
            });
        }
        for statute in parsed.statutes {
            statutes.push(Statute {
                id: at(statute.id),
                title: statute.title,
                url: statute.url,
            });
        }
    }
    Framework::new(roles, duties, statutes)
}

pub(super) const GLOSSARY_FILE: &str = "content/glossary.toml";

pub(super) fn parse_glossary(sources: &SourceSet, diagnostics: &mut Diagnostics) -> Glossary {
    let Some(text) = sources.text(GLOSSARY_FILE) else {
        return Glossary::default();
    };
    let entries: Option<BTreeMap<String, String>> = from_toml(GLOSSARY_FILE, text, diagnostics);
    Glossary {
        entries: entries.unwrap_or_default(),
    }
}
