//! The three forms of `guidepack diff`: text, JSON and HTML. People read packs by their
//! audience's and area's names; JSON keeps the ids as fields beside the names.

use std::fmt::Write as _;

use serde_json::json;

use crate::model::Project;
use crate::release::Snapshot;
use crate::release::changes::{Change, Place, marked_words, paragraph_words};
use crate::render::html::escape;

/// A pack as compared: its snapshot, the names to show, and its changes.
pub struct Compared<'a> {
    pub snapshot: &'a Snapshot,
    pub audience_name: String,
    pub area_name: Option<String>,
    pub changes: Vec<Change>,
}

/// The names of a pack's audience and area: from guidepack.toml and area.toml when they still
/// name them, else as recorded with the release (`before` is the older record's snapshot).
pub fn names(
    project: &Project,
    snapshot: &Snapshot,
    before: Option<&Snapshot>,
) -> (String, Option<String>) {
    let recorded =
        |pick: fn(&Snapshot) -> Option<String>| pick(snapshot).or_else(|| before.and_then(pick));
    let audience = project
        .config
        .audiences
        .iter()
        .find(|a| a.id == snapshot.audience)
        .map(|a| a.name.clone())
        .or_else(|| recorded(|s| Some(s.audience_name.clone()).filter(|n| !n.is_empty())))
        .unwrap_or_else(|| snapshot.audience.clone());
    let area = snapshot.area.as_ref().map(|id| {
        project
            .areas
            .iter()
            .find(|a| &a.id == id)
            .map(|a| a.name.clone())
            .or_else(|| recorded(|s| s.area_name.clone()))
            .unwrap_or_else(|| id.clone())
    });
    (audience, area)
}

impl Compared<'_> {
    /// "the national Providers pack", "the Providers pack for Northshire".
    fn label(&self) -> String {
        match &self.area_name {
            None => format!("the national {} pack", self.audience_name),
            Some(area) => format!("the {} pack for {area}", self.audience_name),
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub fn json_form(from: &str, to: &str, compared: &[Compared]) -> String {
    let packs: Vec<serde_json::Value> = compared
        .iter()
        .map(|c| {
            let s = c.snapshot;
            json!({
                "pack": s.pack,
                "audience": s.audience,
                "audience_name": c.audience_name,
                "area": s.area,
                "area_name": c.area_name,
                "changes": c.changes,
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({ "from": from, "to": to, "packs": packs }))
        .unwrap_or_default()
}

/// One change told in words: a sign (`+`, `-`, `~`), what and where ("paragraph 2.3 in
/// \"Duties\""), and its text: added, removed, or old and new.
struct Told {
    sign: char,
    what: String,
    text: Text,
    /// Further lines: a duty's statutory basis, where a duty is listed.
    notes: Vec<(String, Text)>,
}

enum Text {
    None,
    Added(String),
    Removed(String),
    Changed(String, String),
}

fn quoted(place: &Place) -> String {
    format!("\"{}\"", place.title)
}

fn listed(places: &[Place]) -> Vec<(String, Text)> {
    if places.is_empty() {
        return Vec::new();
    }
    let mut list: Vec<String> = places.iter().map(quoted).collect();
    let last = list.pop().unwrap_or_default();
    let all = match list.is_empty() {
        true => last,
        false => format!("{} and {last}", list.join(", ")),
    };
    vec![(format!("listed in {all}"), Text::None)]
}

fn footnote(number: u32) -> String {
    match number {
        0 => "a footnote".to_string(),
        n => format!("footnote {n}"),
    }
}

fn tell(change: &Change, from: &str) -> Told {
    let told = |sign, what: String, text| Told {
        sign,
        what,
        text,
        notes: Vec::new(),
    };
    match change {
        Change::ChapterAdded { title, .. } => told('+', format!("chapter \"{title}\""), Text::None),
        Change::ChapterRemoved { title, .. } => {
            told('-', format!("chapter \"{title}\""), Text::None)
        }
        Change::SectionAdded { title, .. } => told('+', format!("section \"{title}\""), Text::None),
        Change::SectionRemoved { title, .. } => {
            told('-', format!("section \"{title}\""), Text::None)
        }
        Change::BlockAdded {
            title,
            text,
            paragraph,
            ..
        } => {
            let what = match paragraph_words(paragraph.as_deref(), None, from, false) {
                Some(p) => format!("{p} in \"{title}\""),
                None => format!("in \"{title}\""),
            };
            told('+', what, Text::Added(text.clone()))
        }
        Change::BlockRemoved {
            title,
            text,
            paragraph,
            ..
        } => {
            let what = match paragraph_words(paragraph.as_deref(), None, from, true) {
                Some(p) => format!("{p} in \"{title}\""),
                None => format!("in \"{title}\""),
            };
            told('-', what, Text::Removed(text.clone()))
        }
        Change::BlockChanged {
            title,
            old,
            new,
            paragraph,
            old_paragraph,
            ..
        } => {
            let numbered =
                paragraph_words(paragraph.as_deref(), old_paragraph.as_deref(), from, false);
            let what = match numbered {
                Some(p) => format!("{p} in \"{title}\""),
                None => format!("in \"{title}\""),
            };
            told('~', what, Text::Changed(old.clone(), new.clone()))
        }
        Change::FootnoteAdded {
            title,
            footnote: n,
            text,
            ..
        } => told(
            '+',
            format!("{} in \"{title}\"", footnote(*n)),
            Text::Added(text.clone()),
        ),
        Change::FootnoteRemoved {
            title,
            footnote: n,
            text,
            ..
        } => told(
            '-',
            format!("{} of version {from} in \"{title}\"", footnote(*n)),
            Text::Removed(text.clone()),
        ),
        Change::FootnoteChanged {
            title,
            footnote: n,
            old,
            new,
            ..
        } => told(
            '~',
            format!("{} in \"{title}\"", footnote(*n)),
            Text::Changed(old.clone(), new.clone()),
        ),
        Change::DutyAdded {
            role_name,
            text,
            places,
            ..
        } => Told {
            notes: listed(places),
            ..told(
                '+',
                format!("duty of {role_name}"),
                Text::Added(text.clone()),
            )
        },
        Change::DutyRemoved {
            role_name,
            text,
            places,
            ..
        } => Told {
            notes: listed(places),
            ..told(
                '-',
                format!("duty of {role_name}"),
                Text::Removed(text.clone()),
            )
        },
        Change::DutyChanged {
            role_name,
            old,
            new,
            old_role_name,
            old_basis,
            basis,
            places,
            ..
        } => {
            let what = match old_role_name {
                Some(was) => format!("duty of {role_name} (in version {from}, of {was})"),
                None => format!("duty of {role_name}"),
            };
            let mut notes = Vec::new();
            if let (Some(old_basis), Some(basis)) = (old_basis, basis) {
                let or_none = |b: &String| {
                    if b.is_empty() {
                        "none (good practice)".to_string()
                    } else {
                        b.clone()
                    }
                };
                notes.push((
                    "statutory basis".to_string(),
                    Text::Changed(or_none(old_basis), or_none(basis)),
                ));
            }
            notes.extend(listed(places));
            Told {
                notes,
                ..told('~', what, Text::Changed(old.clone(), new.clone()))
            }
        }
    }
}

pub fn text_form(from: &str, to: &str, compared: &[Compared]) -> String {
    let plain = |text: &Text| match text {
        Text::None => String::new(),
        Text::Added(t) | Text::Removed(t) => format!(": {t}"),
        Text::Changed(old, new) => {
            let words = marked_words(old, new, |kind, w| match kind {
                '-' => format!("[-{w}-]"),
                '+' => format!("{{+{w}+}}"),
                _ => w.to_string(),
            });
            format!(": {words}")
        }
    };
    let mut out = String::new();
    for c in compared {
        let _ = writeln!(
            out,
            "Changes to {} from {from} to {to}{}",
            c.label(),
            if c.changes.is_empty() { ": none" } else { ":" }
        );
        for change in &c.changes {
            let told = tell(change, from);
            let _ = writeln!(out, "  {} {}{}", told.sign, told.what, plain(&told.text));
            for (what, text) in &told.notes {
                let _ = writeln!(out, "      {what}{}", plain(text));
            }
        }
    }
    out
}

pub fn html_form(from: &str, to: &str, compared: &[Compared], lang: &str) -> String {
    let marked = |text: &Text| match text {
        Text::None => String::new(),
        Text::Added(t) => format!(" <ins>{}</ins>", escape(t)),
        Text::Removed(t) => format!(" <del>{}</del>", escape(t)),
        Text::Changed(old, new) => {
            let words = marked_words(old, new, |kind, w| match kind {
                '-' => format!("<del>[removed: {}]</del>", escape(w)),
                '+' => format!("<ins>[added: {}]</ins>", escape(w)),
                _ => escape(w),
            });
            format!(" {words}")
        }
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Changes from {} to {}</title>\n<style>body{{font-family:Arial,sans-serif;max-width:48em;margin:2em auto;padding:0 1em;line-height:1.5;color:#0b0c0c}}del{{text-decoration:line-through}}ins{{text-decoration:underline}}.k{{font-weight:bold}}</style>\n</head>\n<body>\n<main>\n<h1>Changes from {} to {}</h1>\n",
        escape(lang),
        escape(from),
        escape(to),
        escape(from),
        escape(to)
    );
    for c in compared {
        let _ = writeln!(out, "<h2>{}</h2>", escape(&capitalised(&c.label())));
        if c.changes.is_empty() {
            out.push_str("<p>No changes.</p>\n");
            continue;
        }
        out.push_str("<ul>\n");
        for change in &c.changes {
            let told = tell(change, from);
            let verb = match (&told.text, told.sign) {
                (Text::None, '+') => "New",
                (Text::None, _) => "Removed",
                (_, '+') => "Added",
                (_, '-') => "Removed",
                _ => "Changed",
            };
            let mut item = format!(
                "<span class=\"k\">{verb} {}:</span>{}",
                escape(&told.what),
                marked(&told.text)
            );
            for (what, text) in &told.notes {
                let _ = write!(
                    item,
                    "<br>{}{}",
                    escape(&capitalised(what)),
                    if matches!(text, Text::None) {
                        String::new()
                    } else {
                        format!(":{}", marked(text))
                    }
                );
            }
            let _ = writeln!(out, "<li>{item}</li>");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
