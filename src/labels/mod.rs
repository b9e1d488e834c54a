//! The words guidepack writes itself (page furniture, table headings, dates), in the reader's
//! language: a label set chosen by the primary subtag of `[pack] language`, with the project's
//! `[labels]` over it.
//!
//! The shipped sets are `en.toml` and `cy.toml` beside this file, one `key = "text"` a line;
//! `{name}` in a text is a placeholder filled by guidepack (`{page}`, `{total}`, `{version}`).

pub mod inlines;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use serde::Serialize;

/// The shipped sets: primary language subtag and the text of its set.
const SHIPPED: [(&str, &str); 2] = [
    ("en", include_str!("en.toml")),
    ("cy", include_str!("cy.toml")),
];

type Set = BTreeMap<String, String>;

fn sets() -> &'static BTreeMap<&'static str, Set> {
    static SETS: OnceLock<BTreeMap<&'static str, Set>> = OnceLock::new();
    SETS.get_or_init(|| {
        SHIPPED
            .iter()
            // The shipped files are checked by the unit tests below: they always parse.
            .map(|(lang, text)| (*lang, toml::from_str(text).unwrap_or_default()))
            .collect()
    })
}

/// A label's text with its placeholders filled (`{name}` → the value), for a label's text
/// carried away from its set (a diagram's words).
pub fn fill_text(text: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(text.to_string(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

/// The primary subtag of a language tag, lower case: `cy-GB` → `cy`.
pub fn primary_subtag(language: &str) -> String {
    language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The shipped set of a language (`en-GB`, `cy`), if guidepack has one.
pub fn shipped(language: &str) -> Option<&'static Set> {
    sets().get(primary_subtag(language).as_str())
}

/// The English set: every key there is, and the words used where a set lacks one.
pub fn english() -> &'static Set {
    &sets()["en"]
}

/// The `{name}` placeholders of a label's text.
pub fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        rest = &rest[start + 1..];
        let Some(end) = rest.find('}') else { break };
        let name = &rest[..end];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            found.insert(name);
        }
        rest = &rest[end + 1..];
    }
    found
}

/// The labels of one pack: its language's set (English where there is none) with the
/// project's `[labels]` over it.
#[derive(Clone, Debug)]
pub struct Labels(Arc<Set>);

impl Default for Labels {
    fn default() -> Self {
        Labels(Arc::new(english().clone()))
    }
}

impl Serialize for Labels {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl Labels {
    /// The set for `language`, with `overrides` (already checked) over it.
    pub fn new(language: &str, overrides: &BTreeMap<String, String>) -> Self {
        let mut set = english().clone();
        if let Some(own) = shipped(language) {
            set.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        set.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        Labels(Arc::new(set))
    }

    /// The text of a label (its key itself if there is no such label: a programming error
    /// that the unit tests catch).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The text of a label, or `default` when there is no such label (a format's name).
    pub fn get_or<'a>(&'a self, key: &str, default: &'a str) -> &'a str {
        self.0.get(key).map_or(default, String::as_str)
    }

    /// A label with its placeholders filled: `fill("page_x_of_y", &[("page", "3"), …])`.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill_text(self.get(key), values)
    }

    /// Texts joined with `list_or` between each two: `A or B or C`.
    pub fn or_list(&self, items: &[String]) -> String {
        let mut items = items.iter();
        let first = items.next().cloned().unwrap_or_default();
        items.fold(first, |list, last| {
            self.fill("list_or", &[("list", &list), ("last", last)])
        })
    }

    /// A date as a reader writes it: `28 March 2013`, `31 Hydref 2011`.
    pub fn date(&self, (year, month, day): (i32, u8, u8)) -> String {
        let month = self.get(MONTHS[(month as usize).clamp(1, 12) - 1]);
        self.fill(
            "date",
            &[
                ("day", &day.to_string()),
                ("month", month),
                ("year", &year.to_string()),
            ],
        )
    }
}

const MONTHS: [&str; 12] = [
    "month_1", "month_2", "month_3", "month_4", "month_5", "month_6", "month_7", "month_8",
    "month_9", "month_10", "month_11", "month_12",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_sets_parse_and_have_the_same_keys_and_placeholders() {
        let parsed: Vec<(&str, Set)> = SHIPPED
            .iter()
            .map(|(lang, text)| (*lang, toml::from_str(text).expect(lang)))
            .collect();
        let (_, en) = &parsed[0];
        assert!(en.len() > 50);
        for (lang, set) in &parsed[1..] {
            let missing: Vec<_> = en.keys().filter(|k| !set.contains_key(*k)).collect();
            let extra: Vec<_> = set.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang} has unknown {extra:?}");
            for (key, text) in set {
                assert_eq!(placeholders(text), placeholders(&en[key]), "{lang}: {key}");
            }
        }
    }

    #[test]
    fn chosen_by_primary_subtag_with_overrides() {
        assert_eq!(Labels::new("cy-GB", &Set::new()).get("contents"), "Cynnwys");
        assert_eq!(
            Labels::new("en-GB", &Set::new()).get("contents"),
            "Contents"
        );
        assert_eq!(Labels::new("fr", &Set::new()).get("contents"), "Contents");
        let own = Set::from([("contents".to_string(), "Tabl cynnwys".to_string())]);
        assert_eq!(Labels::new("cy", &own).get("contents"), "Tabl cynnwys");
        assert_eq!(
            Labels::new("cy", &Set::new()).date((2011, 10, 31)),
            "31 Hydref 2011"
        );
        assert_eq!(Labels::default().date((2013, 3, 28)), "28 March 2013");
        let page = Labels::new("cy", &Set::new());
        let filled = page.fill("page_x_of_y", &[("page", "3"), ("total", "69")]);
        assert_eq!(filled, "Tudalen 3 o 69");
    }
}
