//! `content/framework/*.toml` (roles, duties, statutes, merged) and `content/glossary.toml`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{from_toml, located, require_text, require_web_address};
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex};
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
    name: Spanned<String>,
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
    text: Spanned<String>,
    #[serde(default)]
    basis: Vec<Spanned<String>>,
    #[serde(default)]
    audiences: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatuteFile {
    id: Spanned<String>,
    title: Spanned<String>,
    url: Option<Spanned<String>>,
}

pub(super) fn parse_framework(sources: &SourceSet, diagnostics: &mut Diagnostics) -> Framework {
    let mut framework = Framework::default();
    for (file, text) in sources.texts_in("content/framework", ".toml") {
        let Some(parsed) = from_toml::<FrameworkFile>(file, text, diagnostics) else {
            continue;
        };
        let all = |list: Vec<Spanned<String>>| {
            list.into_iter()
                .map(|s| located(file, text, s))
                .collect::<Vec<_>>()
        };
        for role in parsed.roles {
            require_text(file, text, &role.name, "name", "every role", diagnostics);
            framework.roles.push(Role {
                id: located(file, text, role.id),
                name: role.name.into_inner(),
                kind: role.kind,
                description: role.description,
                accountable_to: all(role.accountable_to),
                audiences: all(role.audiences),
            });
        }
        for duty in parsed.duties {
            require_text(file, text, &duty.text, "text", "every duty", diagnostics);
            framework.duties.push(Duty {
                id: located(file, text, duty.id),
                role: located(file, text, duty.role),
                text: duty.text.into_inner(),
                basis: all(duty.basis),
                audiences: all(duty.audiences),
            });
        }
        for statute in parsed.statutes {
            require_text(
                file,
                text,
                &statute.title,
                "title",
                "every statute",
                diagnostics,
            );
            if let Some(url) = &statute.url {
                require_web_address(file, text, url, "url", diagnostics);
            }
            framework.statutes.push(Statute {
                id: located(file, text, statute.id),
                title: statute.title.into_inner(),
                url: statute.url.map(|u| crate::links::normalise(u.get_ref())),
            });
        }
    }
    framework
}

pub(super) const GLOSSARY_FILE: &str = "content/glossary.toml";

pub(super) fn parse_glossary(sources: &SourceSet, diagnostics: &mut Diagnostics) -> Glossary {
    let Some(text) = sources.text(GLOSSARY_FILE) else {
        return Glossary::default();
    };
    let entries: Option<BTreeMap<String, Spanned<String>>> =
        from_toml(GLOSSARY_FILE, text, diagnostics);
    let entries = entries.unwrap_or_default();
    for (term, meaning) in &entries {
        if meaning.get_ref().trim().is_empty() {
            let pos = LineIndex::new(text).pos(meaning.span().start);
            diagnostics.push(
                Diagnostic::error(format!("the glossary gives `{term}` no meaning"))
                    .at(GLOSSARY_FILE, pos)
                    .help(format!("write what `{term}` stands for between the quotes")),
            );
        }
    }
    Glossary {
        entries: entries
            .into_iter()
            .map(|(k, v)| (k, v.into_inner()))
            .collect(),
    }
}
