//! `content/framework/*.toml` (roles, duties, statutes, merged) and `content/glossary.toml`.

use crate::condition::{Condition, Kind, Test};
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::{explain_serde_error, located, require_text, require_web_address};
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Place, Pos};
use crate::model::{Duty, Framework, Glossary, Located, Role, RoleKind, Statute, Unloaded};
use crate::sources::SourceSet;

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

/// The framework's records as read, before they are merged.
#[derive(Default)]
struct Read {
    roles: Vec<Role>,
    duties: Vec<Duty>,
    statutes: Vec<Statute>,
    unloaded: Unloaded,
}

/// One framework file being read.
struct FileCx<'a> {
    file: &'a str,
    index: LineIndex<'a>,
}

/// Reads every framework file record by record: a record that cannot be read is reported
/// and left out, and the rest of its file still loads. The ids of the records left out are
/// kept (`Framework::unloaded`), so that what names them is not reported as unknown as well.
pub(super) fn parse_framework(sources: &SourceSet, diagnostics: &mut Diagnostics) -> Framework {
    let mut read = Read::default();
    for (file, text) in sources.texts_in("content/framework", ".toml") {
        let cx = FileCx {
            file,
            index: LineIndex::new(text),
        };
        read_file(&cx, text, &mut read, diagnostics);
    }
    let mut framework = Framework::new(read.roles, read.duties, read.statutes);
    framework.unloaded = read.unloaded;
    framework
}

fn read_file(cx: &FileCx, text: &str, read: &mut Read, diagnostics: &mut Diagnostics) {
    let (root, errors) = DeTable::parse_recoverable(text);
    if let Some(err) = errors.first() {
        // Not valid TOML: the first error is the one to fix (those after it are often its
        // echoes), and no record of the file is loaded. The ids that can still be read name
        // records that exist; others may have been lost.
        let pos = err
            .span()
            .map_or(Pos::new(1, 1), |span| cx.index.pos(span.start));
        diagnostics.push(explain_serde_error(err.message(), cx.file, pos));
        let cause = Place::new(cx.file, pos);
        for (key, value) in root.get_ref() {
            let Some(kind) = record_kind(key.get_ref()) else {
                continue;
            };
            let items: Vec<&Spanned<DeValue>> = match value.get_ref() {
                DeValue::Array(items) => items.iter().collect(),
                _ => vec![value],
            };
            for item in items {
                if let Some(id) = item.get_ref().get("id").and_then(|v| v.get_ref().as_str()) {
                    let key = format!("{kind}:{id}");
                    read.unloaded.records.entry(key).or_insert(cause.clone());
                }
            }
        }
        read.unloaded.unknown.get_or_insert(cause);
        return;
    }
    for (key, value) in root.into_inner() {
        match record_kind(key.get_ref()) {
            Some("role") => {
                for role in records::<RoleFile>("role", value, cx, read, diagnostics) {
                    add_role(cx, role, read, diagnostics);
                }
            }
            Some("duty") => {
                for duty in records::<DutyFile>("duty", value, cx, read, diagnostics) {
                    add_duty(cx, duty, read, diagnostics);
                }
            }
            Some(_) => {
                for statute in records::<StatuteFile>("statute", value, cx, read, diagnostics) {
                    add_statute(cx, statute, read, diagnostics);
                }
            }
            None => {
                let message = format!(
                    "unknown field `{}`, expected one of `role`, `duty`, `statute`",
                    key.get_ref()
                );
                let pos = cx.index.pos(key.span().start);
                diagnostics.push(explain_serde_error(&message, cx.file, pos));
            }
        }
    }
}

/// The kind of record a top-level table holds: `[[role]]`, `[[duty]]`, `[[statute]]`.
fn record_kind(key: &str) -> Option<&'static str> {
    ["role", "duty", "statute"].into_iter().find(|k| *k == key)
}

/// The records of one `[[kind]]` list that can be read. Each that cannot is reported at its
/// error, and its id (when it has a readable one) noted as written but not loaded.
fn records<T: serde::de::DeserializeOwned>(
    kind: &'static str,
    value: Spanned<DeValue>,
    cx: &FileCx,
    read: &mut Read,
    diagnostics: &mut Diagnostics,
) -> Vec<T> {
    let items: Vec<Spanned<DeValue>> = match value.get_ref() {
        DeValue::Array(items) => items.to_vec(),
        // `[role]` or `role = …` instead of `[[role]]`: the reader's error says so.
        _ => {
            let err = match Vec::<T>::deserialize(ValueDeserializer::from(value.clone())) {
                Ok(list) => return list,
                Err(err) => err,
            };
            not_loaded(kind, &value, &err, cx, read, diagnostics);
            return Vec::new();
        }
    };
    let mut loaded = Vec::new();
    for item in items {
        match T::deserialize(ValueDeserializer::from(item.clone())) {
            Ok(record) => loaded.push(record),
            Err(err) => not_loaded(kind, &item, &err, cx, read, diagnostics),
        }
    }
    loaded
}

/// Reports a record that cannot be read and remembers its id.
fn not_loaded(
    kind: &'static str,
    item: &Spanned<DeValue>,
    err: &toml::de::Error,
    cx: &FileCx,
    read: &mut Read,
    diagnostics: &mut Diagnostics,
) {
    let at = err.span().unwrap_or_else(|| item.span());
    let pos = cx.index.pos(at.start);
    diagnostics.push(explain_serde_error(err.message(), cx.file, pos));
    let cause = Place::new(cx.file, pos);
    match item.get_ref().get("id").and_then(|v| v.get_ref().as_str()) {
        Some(id) => {
            let key = format!("{kind}:{id}");
            read.unloaded.records.entry(key).or_insert(cause);
        }
        None => {
            read.unloaded.unknown.get_or_insert(cause);
        }
    }
}

fn add_role(cx: &FileCx, role: RoleFile, read: &mut Read, diagnostics: &mut Diagnostics) {
    let (file, index) = (cx.file, &cx.index);
    require_text(file, index, &role.name, "name", "every role", diagnostics);
    read.roles.push(Role {
        id: located(file, index, role.id),
        name: role.name.into_inner(),
        kind: role.kind,
        description: role.description,
        accountable_to: all(cx, role.accountable_to),
        condition: audience_condition(all(cx, role.audiences.clone())),
        audiences: all(cx, role.audiences),
    });
}

fn add_duty(cx: &FileCx, duty: DutyFile, read: &mut Read, diagnostics: &mut Diagnostics) {
    let (file, index) = (cx.file, &cx.index);
    require_text(file, index, &duty.text, "text", "every duty", diagnostics);
    read.duties.push(Duty {
        id: located(file, index, duty.id),
        role: located(file, index, duty.role),
        text: duty.text.into_inner(),
        basis: all(cx, duty.basis),
        condition: audience_condition(all(cx, duty.audiences.clone())),
        audiences: all(cx, duty.audiences),
    });
}

/// A record's `audiences` as a condition: the packs of those audiences (none when the list
/// is empty, as written).
fn audience_condition(audiences: Vec<crate::model::Located<String>>) -> Condition {
    Condition::of(Test {
        kind: Kind::Audience,
        negate: false,
        values: audiences,
    })
}

fn add_statute(cx: &FileCx, statute: StatuteFile, read: &mut Read, diagnostics: &mut Diagnostics) {
    let (file, index) = (cx.file, &cx.index);
    let what = "every statute";
    require_text(file, index, &statute.title, "title", what, diagnostics);
    if let Some(url) = &statute.url {
        require_web_address(file, index, url, "url", diagnostics);
    }
    read.statutes.push(Statute {
        id: located(file, index, statute.id),
        title: statute.title.into_inner(),
        url: statute.url.map(|u| crate::links::normalise(u.get_ref())),
    });
}

fn all(cx: &FileCx, list: Vec<Spanned<String>>) -> Vec<Located<String>> {
    list.into_iter()
        .map(|s| located(cx.file, &cx.index, s))
        .collect()
}

pub(super) const GLOSSARY_FILE: &str = "content/glossary.toml";

pub(super) fn parse_glossary(sources: &SourceSet, diagnostics: &mut Diagnostics) -> Glossary {
    let mut glossary = Glossary::default();
    let Some(text) = sources.text(GLOSSARY_FILE) else {
        return glossary;
    };
    let index = LineIndex::new(text);
    let (root, errors) = DeTable::parse_recoverable(text);
    if let Some(err) = errors.first() {
        let pos = err.span().map_or(Pos::new(1, 1), |s| index.pos(s.start));
        diagnostics.push(explain_serde_error(err.message(), GLOSSARY_FILE, pos));
        glossary.unread = true;
        return glossary;
    }
    // Term by term: one wrong value leaves the others explained.
    for (term, value) in root.into_inner() {
        let term = term.into_inner().into_owned();
        let meaning = match <Spanned<String>>::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(meaning) => meaning,
            Err(err) => {
                let at = err.span().unwrap_or_else(|| value.span());
                let pos = index.pos(at.start);
                diagnostics.push(explain_serde_error(err.message(), GLOSSARY_FILE, pos));
                glossary.unloaded.insert(term);
                continue;
            }
        };
        if meaning.get_ref().trim().is_empty() {
            let pos = index.pos(meaning.span().start);
            diagnostics.push(
                Diagnostic::error(format!("the glossary gives `{term}` no meaning"))
                    .at(GLOSSARY_FILE, pos)
                    .help(format!("write what `{term}` stands for between the quotes")),
            );
        }
        glossary.entries.insert(term, meaning.into_inner());
    }
    glossary
}
