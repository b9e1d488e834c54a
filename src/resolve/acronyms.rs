//! Acronyms expanded for readers at their first use in a chapter, and only where an expansion
//! helps: never inside a name (a role's, a statute's, a glossary meaning), nor where the writer
//! has already given the expansion beside the acronym.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::doc::{Inline, plain_text};
use crate::model::Project;

/// The names that an acronym inside is part of, never expanded: role names, statute titles
/// and glossary meanings (also without their bracketed part, and the bracketed part when it
/// is a name itself, as in "NHS Commissioning Board (NHS England)"), those that hold an
/// acronym of the glossary.
pub(super) fn names(project: &Project) -> Vec<String> {
    let glossary = &project.glossary.entries;
    let framework = &project.framework;
    let mut names = BTreeSet::new();
    let written = framework
        .roles
        .iter()
        .map(|r| r.name.as_str())
        .chain(framework.statutes.iter().map(|s| s.title.as_str()))
        .chain(glossary.values().map(String::as_str));
    for name in written {
        for form in forms(name) {
            if words(form).any(|(_, w)| acronym_key(glossary, w).is_some()) {
                names.insert(form.to_string());
            }
        }
    }
    // Longest first, so that the widest name is found where names overlap.
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
}

/// A name as written, without its bracketed part, and that part when each word of it starts
/// with a capital.
fn forms(name: &str) -> Vec<&str> {
    let mut out = vec![name.trim()];
    if let Some((before, rest)) = name.split_once(" (") {
        out.push(before.trim());
        let inner = rest.split(')').next().unwrap_or("").trim();
        if !inner.is_empty()
            && inner
                .split_whitespace()
                .all(|w| w.starts_with(|c: char| c.is_uppercase()))
        {
            out.push(inner);
        }
    }
    out.retain(|f| !f.is_empty());
    out
}

/// The glossary key a word is the acronym (or the plural of the acronym) of.
fn acronym_key<'g>(glossary: &'g BTreeMap<String, String>, word: &str) -> Option<&'g str> {
    let key = word
        .strip_suffix('s')
        .filter(|k| glossary.contains_key(*k) && !glossary.contains_key(word))
        .unwrap_or(word);
    let (key, _) = glossary.get_key_value(key)?;
    is_acronym(key).then_some(key.as_str())
}

/// Marks the first use in the chapter (`seen` holds those already used) of each glossary
/// acronym in `inlines`, one run of inlines of a paragraph, list item or table cell.
pub(super) fn expand(
    inlines: Vec<Inline>,
    glossary: &BTreeMap<String, String>,
    names: &[String],
    seen: &mut BTreeSet<String>,
) -> Vec<Inline> {
    if glossary.is_empty() {
        return inlines;
    }
    // The run as a reader reads it, and where each inline starts in it: names and
    // expansions are found across emphasis and line breaks.
    let mut flat = String::new();
    let mut starts = Vec::with_capacity(inlines.len());
    for inline in &inlines {
        starts.push(flat.len());
        match inline {
            Inline::Text(text) => flat.push_str(text),
            Inline::SoftBreak | Inline::HardBreak => flat.push(' '),
            other => flat.push_str(&plain_text(std::slice::from_ref(other))),
        }
    }
    let inside_names = found_names(&flat, names);
    let mut out = Vec::with_capacity(inlines.len());
    for (inline, base) in inlines.into_iter().zip(starts) {
        let Inline::Text(text) = inline else {
            out.push(inline);
            continue;
        };
        let mut last = 0;
        for (start, word) in words(&text) {
            let Some(key) = acronym_key(glossary, word) else {
                continue;
            };
            let at = base + start;
            // Inside a name: not a use of the acronym on its own, so it is not counted.
            if seen.contains(key) || inside_names.iter().any(|r| r.contains(&at)) {
                continue;
            }
            seen.insert(key.to_string());
            let title = &glossary[key];
            if explained(&flat, at..at + word.len(), title) {
                continue;
            }
            if start > last {
                out.push(Inline::Text(text[last..start].to_string()));
            }
            out.push(Inline::Abbr {
                text: word.to_string(),
                title: title.clone(),
            });
            last = start + word.len();
        }
        if last < text.len() {
            out.push(Inline::Text(text[last..].to_string()));
        }
    }
    out
}

/// Where the names occur in a text, as whole words (or a plural: "GP practices").
fn found_names(text: &str, names: &[String]) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for name in names {
        for (at, _) in text.match_indices(name.as_str()) {
            let starts_word = text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let rest = &text[at + name.len()..];
            let rest = rest.strip_prefix('s').unwrap_or(rest);
            let ends_word = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
            if starts_word && ends_word {
                found.push(at..at + name.len());
            }
        }
    }
    found
}

/// Whether the writer gave the expansion beside the acronym at `word`: "CCG (clinical
/// commissioning group)" or "clinical commissioning group (CCG)", in any case, plural or not.
fn explained(flat: &str, word: Range<usize>, title: &str) -> bool {
    let expansions: Vec<String> = forms(title).into_iter().map(normal).collect();
    let expansions = expansions
        .iter()
        .chain(title.split_once(':').map(|(t, _)| normal(t)).iter())
        .filter(|e| !e.is_empty())
        .cloned()
        .collect::<Vec<_>>();
    // Only the text near the acronym can hold its expansion.
    let near = title.len() + 16;
    let after = flat[word.end..].trim_start();
    if let Some(inside) = after.strip_prefix('(') {
        let inside = normal(head(inside, near));
        if expansions.iter().any(|e| inside.starts_with(e.as_str())) {
            return true;
        }
    }
    let before = flat[..word.start].trim_end();
    let closes = flat[word.end..].trim_start().starts_with(')');
    if let Some(before) = before.strip_suffix('(').filter(|_| closes) {
        let before = normal(tail(before, near));
        let singular = before.strip_suffix('s').unwrap_or(&before);
        if expansions
            .iter()
            .any(|e| before.ends_with(e.as_str()) || singular.ends_with(e.as_str()))
        {
            return true;
        }
    }
    false
}

/// The first `bytes` of a text or a little more (to a character's end).
fn head(text: &str, bytes: usize) -> &str {
    let end = (bytes..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    &text[..end]
}

/// The last `bytes` of a text or a little more (from a character's start).
fn tail(text: &str, bytes: usize) -> &str {
    let start = (0..=text.len().saturating_sub(bytes))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    &text[start..]
}

/// Text compared loosely: lower case, one space between words, plain apostrophes.
fn normal(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('\u{2019}', "'")
}

/// The words of a text with their byte offsets: runs of ASCII letters, digits and `&`.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = None;
    let mut out = Vec::new();
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let in_word = c.is_alphanumeric() || c == '&';
        match (start, in_word) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out.into_iter()
}

/// An acronym: two to six capitals (letters, with `&` allowed inside, as in `A&E`).
pub fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_ascii_uppercase()).count();
    (2..=6).contains(&letters) && word.chars().all(|c| c.is_ascii_uppercase() || c == '&')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> BTreeMap<String, String> {
        [
            ("CCG", "clinical commissioning group"),
            ("NHS", "National Health Service"),
            ("ICD", "intercollegiate document: roles and competences"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    fn expanded(text: &str, names: &[&str]) -> (Vec<String>, BTreeSet<String>) {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut seen = BTreeSet::new();
        let out = expand(
            vec![Inline::Text(text.to_string())],
            &glossary(),
            &names,
            &mut seen,
        );
        let abbrs = out
            .iter()
            .filter_map(|i| match i {
                Inline::Abbr { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect();
        (abbrs, seen)
    }

    #[test]
    fn a_name_and_its_parts() {
        assert_eq!(
            forms("NHS Commissioning Board (NHS England)"),
            [
                "NHS Commissioning Board (NHS England)",
                "NHS Commissioning Board",
                "NHS England"
            ]
        );
        assert_eq!(
            forms("Provider (NHS trust or independent provider)"),
            ["Provider (NHS trust or independent provider)", "Provider"]
        );
    }

    #[test]
    fn an_acronym_inside_a_name_is_not_a_use() {
        let (abbrs, seen) = expanded(
            "The NHS Commissioning Board and NHS England; then the NHS.",
            &["NHS Commissioning Board", "NHS England"],
        );
        assert_eq!(abbrs, ["NHS"]);
        assert!(seen.contains("NHS"));
        let (abbrs, seen) = expanded("The NHS England team.", &["NHS England"]);
        assert!(abbrs.is_empty() && seen.is_empty());
        // A name is whole words: "NHS Englandish" holds no name.
        let (abbrs, _) = expanded("The NHS Englandish and NHS England", &["NHS England"]);
        assert_eq!(abbrs, ["NHS"]);
        let (abbrs, _) = expanded("Two NHS Englands, then the NHS", &["NHS England"]);
        assert_eq!(abbrs, ["NHS"]);
    }

    #[test]
    fn an_expansion_beside_the_acronym_counts_as_its_first_use() {
        for text in [
            "A CCG (clinical commissioning group) and a CCG.",
            "A CCG (Clinical  Commissioning\nGroup) and a CCG.",
            "Two clinical commissioning groups (CCGs) and a CCG.",
            "A clinical commissioning group (CCG) and a CCG.",
            "The intercollegiate document (ICD) and the ICD, CCG (clinical commissioning group).",
        ] {
            let (abbrs, seen) = expanded(text, &[]);
            assert!(abbrs.is_empty(), "{text}: {abbrs:?}");
            assert!(!seen.is_empty(), "{text}");
        }
        for text in [
            "A CCG (see below).",
            "A clinical commissioning group CCG.",
            "A clinical commissioning group (the CCG).",
        ] {
            assert_eq!(expanded(text, &[]).0, ["CCG"], "{text}");
        }
    }
}
