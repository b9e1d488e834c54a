//! Conditions: which packs and formats see a part of the text (contract §3.1). One type for
//! `:::` blocks, heading attributes, front matter and framework data, parsed once and
//! evaluated against the pack being built.
//!
//! A [`Condition`] is a list of [`Test`]s that must all hold ("and": nested blocks, several
//! attributes); a test's values are alternatives ("or"), and `not` (or `!`) negates the list.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Diagnostics, Located, Pos, did_you_mean};
use crate::labels::Labels;

/// What a test looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The pack's audience: audience ids.
    Audience,
    /// The pack's area: area ids, `tag:<tag>` or `national`.
    Area,
    /// The output being written: format names.
    Format,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Audience, Kind::Area, Kind::Format];

    /// The word of a fence and a heading attribute: `audience`.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Audience => "audience",
            Kind::Area => "area",
            Kind::Format => "format",
        }
    }

    /// The front matter key: `audiences`.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Audience => "audiences",
            Kind::Area => "areas",
            Kind::Format => "formats",
        }
    }

    pub fn from_word(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.word() == word)
    }

    /// What its values are, in words.
    fn values(self) -> &'static str {
        match self {
            Kind::Audience => "audience ids",
            Kind::Area => "area ids, `tag:<tag>` or `national`",
            Kind::Format => "format names (`html`, `pdf`)",
        }
    }

    fn example(self) -> &'static str {
        match self {
            Kind::Audience => "commissioners providers",
            Kind::Area => "northshire tag:coastal",
            Kind::Format => "pdf",
        }
    }
}

/// Where a condition was written, which shapes how an error tells the writer to fix it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// `::: area northshire`
    Fence,
    /// `## Title {area=northshire}`
    Heading,
    /// `areas: [northshire]`
    FrontMatter,
}

/// One test: its kind, whether it is negated, and its values (alternatives).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Test {
    pub kind: Kind,
    pub negate: bool,
    pub values: Vec<Located<String>>,
}

/// Tests that must all hold; no tests: every pack and format sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Condition {
    pub tests: Vec<Test>,
}

/// The pack a condition is evaluated against: its audience, and its area (with the area's
/// tags) or none for a national pack.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    pub audience: &'a str,
    pub area: Option<(&'a str, &'a [Located<String>])>,
}

/// What a condition leaves of a part for one pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Not in this pack.
    Nowhere,
    /// In this pack, in every format.
    Everywhere,
    /// In this pack, in these formats only (never all of them, never none).
    Only(Vec<String>),
}

/// What a project names, for validating conditions.
#[derive(Clone, Debug, Default)]
pub struct Known<'a> {
    pub audiences: Vec<&'a str>,
    pub areas: Vec<&'a str>,
    pub tags: Vec<&'a str>,
    pub formats: Vec<&'a str>,
}

/// The names that labels use: audience and area names by id.
#[derive(Clone, Debug, Default)]
pub struct Names {
    pub audiences: BTreeMap<String, String>,
    pub areas: BTreeMap<String, String>,
    /// Format labels by name (`odt` → `ODT`); a format not listed is shown in capitals.
    pub formats: BTreeMap<String, String>,
    /// The words a label is written with (`seen_only`: "Providers only").
    pub labels: Labels,
}

const TAG: &str = "tag:";
const NATIONAL: &str = "national";

impl Test {
    /// Parses the words after a kind: `not a b` (or `!a`, `b`); the problems go to
    /// `diagnostics`, and the test is still made. `at` is where the kind is written.
    pub fn parse(
        kind: Kind,
        words: Vec<Located<String>>,
        at: &Located<()>,
        written: Written,
        diagnostics: &mut Diagnostics,
    ) -> Test {
        let mut words = words;
        let mut negate = false;
        let mut sign = None;
        if let Some(first) = words.first_mut() {
            if first.value == "not" {
                negate = true;
                sign = Some(("not", first.pos));
                words.remove(0);
            } else if let Some(rest) = first.value.strip_prefix('!') {
                negate = true;
                sign = Some(("!", first.pos));
                first.value = rest.to_string();
                first.pos.col += 1;
            }
        }
        if let Some((sign, pos)) = sign
            && words.iter().all(|w| w.value.is_empty())
        {
            diagnostics.push(
                Diagnostic::error(format!("`{sign}` here has no {} after it", kind.key()))
                    .at(&at.file, pos)
                    .help(format!(
                        "after `{sign}`, name what should not see it: {}",
                        how_to_write(kind, written, true)
                    )),
            );
            return Test {
                kind,
                negate,
                values: Vec::new(),
            };
        }
        let values: Vec<Located<String>> =
            words.into_iter().filter(|w| !w.value.is_empty()).collect();
        if values.is_empty() {
            let message = match written {
                Written::Fence => format!("this {} block names no {}", kind.word(), kind.word()),
                Written::Heading => format!("`{}=` names no {}", kind.word(), kind.word()),
                Written::FrontMatter => {
                    format!("`{}` names no {}", kind.key(), kind.word())
                }
            };
            diagnostics.push(
                Diagnostic::error(message)
                    .at(&at.file, at.pos)
                    .help(format!(
                        "{}{}",
                        how_to_write(kind, written, false),
                        match written {
                            Written::FrontMatter => {
                                format!(", or leave `{}` out so that every pack has it", kind.key())
                            }
                            _ => String::new(),
                        }
                    )),
            );
        }
        for value in &values {
            if kind == Kind::Area && value.value == TAG {
                diagnostics.push(
                    Diagnostic::error("`tag:` here has no tag after it")
                        .at(&value.file, value.pos)
                        .help("write the tag right after the colon, as in `tag:coastal`; an area's tags are listed in its area.toml as `tags = [\"coastal\"]`"),
                );
            }
        }
        Test {
            kind,
            negate,
            values,
        }
    }

    /// Whether the test holds for `reader`; `None` for a format test, which only the format
    /// being written decides.
    pub fn holds(&self, reader: &Reader) -> Option<bool> {
        let matches = |value: &str| match self.kind {
            Kind::Audience => value == reader.audience,
            Kind::Area => match (value.strip_prefix(TAG), reader.area) {
                (_, None) => value == NATIONAL,
                (Some(tag), Some((_, tags))) => tags.iter().any(|t| t.value == tag),
                (None, Some((id, _))) => value == id,
            },
            Kind::Format => false,
        };
        (self.kind != Kind::Format)
            .then(|| self.values.iter().any(|v| matches(&v.value)) != self.negate)
    }

    /// Whether a format test lets `format` see the part (any other test: true).
    pub fn admits_format(&self, format: &str) -> bool {
        self.kind != Kind::Format || self.values.iter().any(|v| v.value == format) != self.negate
    }

    /// Reports each value that names nothing in the project.
    pub fn validate(&self, known: &Known, diagnostics: &mut Diagnostics) {
        for value in &self.values {
            let v = value.value.as_str();
            let d = match self.kind {
                Kind::Audience if !known.audiences.contains(&v) => Some(unknown(
                    value,
                    "audience",
                    &known.audiences,
                    format!("the audiences in guidepack.toml are {}", known.audiences.join(", ")),
                )),
                Kind::Area if v == NATIONAL || v == TAG => None,
                Kind::Area if known.areas.is_empty() => Some(
                    Diagnostic::error(format!(
                        "this project has no local areas, so `{v}` can never match"
                    ))
                    .at(&value.file, value.pos)
                    .help("add the area as content/areas/<id>/area.toml, or remove the condition; `national` alone matches the national packs"),
                ),
                Kind::Area => match v.strip_prefix(TAG) {
                    Some(tag) if !known.tags.contains(&tag) => {
                        let d = Diagnostic::error(format!("no area is tagged `{tag}`"))
                            .at(&value.file, value.pos);
                        Some(match did_you_mean(tag, known.tags.iter().copied()) {
                            Some(close) => d.help(format!("did you mean `tag:{close}`?")),
                            None if known.tags.is_empty() => d.help("no area.toml has tags yet: give an area `tags = [\"coastal\"]` in its area.toml"),
                            None => d.help(format!(
                                "the tags in the areas' area.toml files are {}",
                                known.tags.join(", ")
                            )),
                        })
                    }
                    Some(_) => None,
                    None if !known.areas.contains(&v) => {
                        let mut names = known.areas.clone();
                        names.push(NATIONAL);
                        Some(unknown(
                            value,
                            "area",
                            &names,
                            format!(
                                "the areas are {} (folders in content/areas/); write `tag:<tag>` for a tag, or `national`",
                                known.areas.join(", ")
                            ),
                        ))
                    }
                    None => None,
                },
                Kind::Format if !known.formats.contains(&v) => Some(unknown(
                    value,
                    "format",
                    &known.formats,
                    format!("the formats are {}", known.formats.join(", ")),
                )),
                _ => None,
            };
            diagnostics.extend(d);
        }
    }

    /// Whether every pack and format this test admits, `other` admits too (so that `other`
    /// says nothing more beside it). Sure answers only: false when it cannot tell.
    pub fn implies(&self, other: &Test) -> bool {
        if self.kind != other.kind {
            return false;
        }
        let has = |t: &Test, v: &str| t.values.iter().any(|w| w.value == v);
        let within = |a: &Test, b: &Test| a.values.iter().all(|v| has(b, &v.value));
        // Area ids and tags may name the same area: disjoint words say nothing there.
        let tagged = |t: &Test| t.values.iter().any(|v| v.value.starts_with(TAG));
        match (self.negate, other.negate) {
            (false, false) => within(self, other),
            (true, true) => within(other, self),
            (false, true) => {
                !(self.kind == Kind::Area && (tagged(self) || tagged(other)))
                    && !self.values.iter().any(|v| has(other, &v.value))
            }
            (true, false) => false,
        }
    }

    /// This test in plain words, for a reviewer: "Commissioners, Providers only".
    pub fn label(&self, names: &Names) -> String {
        let labels = &names.labels;
        let name = |value: &str| -> String {
            match self.kind {
                Kind::Audience => names
                    .audiences
                    .get(value)
                    .cloned()
                    .unwrap_or_else(|| value.to_string()),
                Kind::Area => match value.strip_prefix(TAG) {
                    Some(tag) => labels.fill("seen_areas_tagged", &[("tag", tag)]),
                    None if value == NATIONAL => labels.get("seen_national").to_string(),
                    None => names
                        .areas
                        .get(value)
                        .cloned()
                        .unwrap_or_else(|| value.to_string()),
                },
                Kind::Format => names
                    .formats
                    .get(value)
                    .cloned()
                    .unwrap_or_else(|| value.to_uppercase()),
            }
        };
        let list: Vec<String> = self.values.iter().map(|v| name(&v.value)).collect();
        let list = list.join(", ");
        let with_list = |key: &str, list: &str| labels.fill(key, &[("list", list)]);
        match (self.kind, self.negate) {
            (_, false) => capitalised(&with_list("seen_only", &list)),
            (Kind::Audience, true) => with_list("seen_everyone_except", &list),
            (Kind::Area, true) if self.values.iter().all(|v| v.value == NATIONAL) => {
                labels.get("seen_local_only").to_string()
            }
            (Kind::Area, true) => with_list("seen_every_pack_except", &list),
            (Kind::Format, true) => {
                let each: Vec<String> = (self.values.iter())
                    .map(|v| labels.fill("seen_not_in_format", &[("format", &name(&v.value))]))
                    .collect();
                with_list("seen_not_in", &labels.or_list(&each))
            }
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

fn unknown(value: &Located<String>, what: &str, known: &[&str], otherwise: String) -> Diagnostic {
    let d = Diagnostic::error(format!("there is no {what} `{}`", value.value))
        .at(&value.file, value.pos);
    match did_you_mean(&value.value, known.iter().copied()) {
        Some(close) => d.help(format!("did you mean `{close}`?")),
        None => d.help(otherwise),
    }
}

/// How to write a test of `kind` where it was written.
fn how_to_write(kind: Kind, written: Written, negated: bool) -> String {
    let example = kind.example();
    let not = if negated { "not " } else { "" };
    let bang = if negated { "!" } else { "" };
    match written {
        Written::Fence => format!(
            "list the {} after `::: {}`, for example `::: {} {not}{example}`",
            kind.values(),
            kind.word(),
            kind.word()
        ),
        Written::Heading => format!(
            "write `{}=` and then {} separated by commas, for example `{{{}={bang}{}}}`",
            kind.word(),
            kind.values(),
            kind.word(),
            example.replace(' ', ",")
        ),
        Written::FrontMatter => format!(
            "list the {}, for example `{}: [{}{}]`",
            kind.values(),
            kind.key(),
            if negated { "not, " } else { "" },
            example.replace(' ', ", ")
        ),
    }
}

impl Condition {
    /// A condition of one test.
    pub fn of(test: Test) -> Condition {
        Condition { tests: vec![test] }
    }

    /// Whether every pack and format sees it.
    pub fn is_always(&self) -> bool {
        self.tests.is_empty()
    }

    /// Both conditions at once ("and").
    pub fn and(&self, other: &Condition) -> Condition {
        let mut tests = self.tests.clone();
        tests.extend(other.tests.iter().cloned());
        Condition { tests }
    }

    /// `inner` inside `self` ("and", as nesting is), without the tests that the other side
    /// already implies: `::: audience providers` inside `::: audience commissioners providers`
    /// is seen by providers only, and says so once.
    pub fn and_narrowed(&self, inner: &Condition) -> Condition {
        let outer: Vec<&Test> = (self.tests.iter())
            .filter(|o| !inner.tests.iter().any(|i| i.implies(o)))
            .collect();
        let inner: Vec<&Test> = (inner.tests.iter())
            .filter(|i| !outer.iter().any(|o| o.implies(i)))
            .collect();
        Condition {
            tests: outer.into_iter().chain(inner).cloned().collect(),
        }
    }

    /// Whether its tests of `kind` (any of them) are written.
    pub fn has(&self, kind: Kind) -> bool {
        self.tests.iter().any(|t| t.kind == kind)
    }

    /// Whether the pack `reader` sees it in some format (its format tests are not looked at).
    pub fn admits(&self, reader: &Reader) -> bool {
        self.tests.iter().all(|t| t.holds(reader) != Some(false))
    }

    /// The formats, of `all`, that see it.
    pub fn formats<'f>(&self, all: &[&'f str]) -> Vec<&'f str> {
        all.iter()
            .copied()
            .filter(|f| self.tests.iter().all(|t| t.admits_format(f)))
            .collect()
    }

    /// What the pack `reader` sees of it, in the formats `all`.
    pub fn seen_by(&self, reader: &Reader, all: &[&str]) -> Seen {
        if !self.admits(reader) {
            return Seen::Nowhere;
        }
        if !self.has(Kind::Format) {
            return Seen::Everywhere;
        }
        let formats = self.formats(all);
        if formats.is_empty() {
            Seen::Nowhere
        } else if formats.len() == all.len() {
            Seen::Everywhere
        } else {
            Seen::Only(formats.into_iter().map(str::to_string).collect())
        }
    }

    /// Reports every value that names nothing in the project.
    pub fn validate(&self, known: &Known, diagnostics: &mut Diagnostics) {
        for test in &self.tests {
            test.validate(known, diagnostics);
        }
    }

    /// Who sees it, in plain words: "Providers only; Northshire only"; "Everyone" when
    /// there is no test.
    pub fn label(&self, names: &Names) -> String {
        if self.tests.is_empty() {
            return names.labels.get("seen_everyone").to_string();
        }
        let labels: Vec<String> = self.tests.iter().map(|t| t.label(names)).collect();
        labels.join("; ")
    }

    /// Parses the words of a fence after `:::`, the first being a kind; `None` when it is not
    /// a kind (a directive, or an unknown word the caller reports).
    pub fn parse_fence(
        words: &[Located<String>],
        diagnostics: &mut Diagnostics,
    ) -> Option<Condition> {
        let (first, rest) = words.split_first()?;
        let kind = Kind::from_word(&first.value)?;
        let at = Located {
            value: (),
            file: first.file.clone(),
            pos: first.pos,
        };
        Some(Condition::of(Test::parse(
            kind,
            rest.to_vec(),
            &at,
            Written::Fence,
            diagnostics,
        )))
    }

    /// Parses a heading attribute's value (`a,b`, `!national`) that starts at `pos`.
    pub fn parse_attribute(
        kind: Kind,
        value: &str,
        file: &str,
        pos: Pos,
        diagnostics: &mut Diagnostics,
    ) -> Test {
        let mut words = Vec::new();
        let mut col = pos.col;
        for part in value.split(',') {
            words.push(Located {
                value: part.trim().to_string(),
                file: file.to_string(),
                pos: Pos::new(
                    pos.line,
                    col + (part.len() - part.trim_start().len()) as u32,
                ),
            });
            col += part.chars().count() as u32 + 1;
        }
        let at = Located {
            value: (),
            file: file.to_string(),
            pos,
        };
        Test::parse(kind, words, &at, Written::Heading, diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Located<String>> {
        let mut out = Vec::new();
        let mut col = 1;
        for part in line.split(' ') {
            if !part.is_empty() {
                out.push(Located {
                    value: part.to_string(),
                    file: "c.md".into(),
                    pos: Pos::new(1, col),
                });
            }
            col += part.len() as u32 + 1;
        }
        out
    }

    fn fence(line: &str) -> (Condition, Vec<Diagnostic>) {
        let mut d = Diagnostics::default();
        let c = Condition::parse_fence(&words(line), &mut d).unwrap();
        (c, d.sorted())
    }

    const TAGS: [&str; 2] = ["coastal", "north"];

    fn tags() -> Vec<Located<String>> {
        TAGS.iter()
            .map(|t| Located {
                value: t.to_string(),
                file: "a".into(),
                pos: Pos::new(1, 1),
            })
            .collect()
    }

    #[test]
    fn fences_parse_kinds_not_and_positions() {
        let (c, d) = fence("area not northshire tag:coastal");
        assert!(d.is_empty(), "{d:?}");
        let t = &c.tests[0];
        assert_eq!((t.kind, t.negate, t.values.len()), (Kind::Area, true, 2));
        assert_eq!(t.values[1].pos, Pos::new(1, 21));
        assert!(
            Condition::parse_fence(&words("duties all"), &mut Diagnostics::default()).is_none()
        );
    }

    #[test]
    fn bad_fences_are_errors_at_their_word() {
        let (_, d) = fence("audience not");
        assert_eq!(d[0].message, "`not` here has no audiences after it");
        let (_, d) = fence("format");
        assert_eq!(d[0].message, "this format block names no format");
        let (_, d) = fence("area tag:");
        assert_eq!(
            (d[0].message.as_str(), d[0].column),
            ("`tag:` here has no tag after it", 6)
        );
    }

    #[test]
    fn heading_values_split_on_commas_with_columns() {
        let mut d = Diagnostics::default();
        let t = Condition::parse_attribute(
            Kind::Area,
            "!national,tag:x",
            "c.md",
            Pos::new(3, 10),
            &mut d,
        );
        assert!(d.is_empty());
        assert!(t.negate);
        assert_eq!(t.values[0].value, "national");
        assert_eq!(t.values[0].pos, Pos::new(3, 11));
        assert_eq!(t.values[1].pos, Pos::new(3, 20));
        let _ = Condition::parse_attribute(Kind::Area, "!", "c.md", Pos::new(3, 10), &mut d);
        assert_eq!(d.sorted()[0].message, "`!` here has no areas after it");
    }

    #[test]
    fn evaluation_against_packs_and_formats() {
        let tags = tags();
        let national = Reader {
            audience: "providers",
            area: None,
        };
        let north = Reader {
            audience: "providers",
            area: Some(("northshire", &tags)),
        };
        let south = Reader {
            audience: "commissioners",
            area: Some(("southshire", &[])),
        };
        let c = |line: &str| fence(line).0;
        assert!(c("area national").admits(&national) && !c("area national").admits(&north));
        assert!(c("area tag:coastal").admits(&north) && !c("area tag:coastal").admits(&south));
        assert!(!c("area tag:coastal").admits(&national));
        assert!(
            c("area not northshire").admits(&south) && !c("area not northshire").admits(&north)
        );
        assert!(c("audience not providers").admits(&south));
        // Nesting is "and".
        let both = c("audience providers").and(&c("area northshire"));
        assert!(both.admits(&north) && !both.admits(&national) && !both.admits(&south));
        // Formats stay open until a format is written.
        let all = ["html", "pdf"];
        assert_eq!(
            c("format pdf").seen_by(&north, &all),
            Seen::Only(vec!["pdf".into()])
        );
        assert_eq!(
            c("format not pdf").seen_by(&north, &all),
            Seen::Only(vec!["html".into()])
        );
        assert_eq!(c("format html pdf").seen_by(&north, &all), Seen::Everywhere);
        assert_eq!(
            c("format pdf").and(&c("format html")).seen_by(&north, &all),
            Seen::Nowhere
        );
        assert_eq!(
            c("format pdf")
                .and(&c("area national"))
                .seen_by(&north, &all),
            Seen::Nowhere
        );
        assert_eq!(Condition::default().seen_by(&north, &all), Seen::Everywhere);
    }

    #[test]
    fn validation_names_the_unknown_value_with_a_suggestion() {
        let known = Known {
            audiences: vec!["commissioners", "providers"],
            areas: vec!["northshire"],
            tags: TAGS.to_vec(),
            formats: vec!["html", "pdf"],
        };
        let check = |line: &str| {
            let mut d = Diagnostics::default();
            fence(line).0.validate(&known, &mut d);
            d.sorted()
                .into_iter()
                .map(|d| format!("{} | {}", d.message, d.help.unwrap_or_default()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            check("audience provders"),
            ["there is no audience `provders` | did you mean `providers`?"]
        );
        assert_eq!(
            check("area northshir"),
            ["there is no area `northshir` | did you mean `northshire`?"]
        );
        assert_eq!(
            check("area tag:costal"),
            ["no area is tagged `costal` | did you mean `tag:coastal`?"]
        );
        assert_eq!(
            check("format pfd"),
            ["there is no format `pfd` | did you mean `pdf`?"]
        );
        assert!(check("area national tag:north northshire").is_empty());
        let none = Known {
            areas: vec![],
            tags: vec![],
            ..known.clone()
        };
        let mut d = Diagnostics::default();
        fence("area northshire").0.validate(&none, &mut d);
        assert_eq!(
            d.sorted()[0].message,
            "this project has no local areas, so `northshire` can never match"
        );
    }

    #[test]
    fn nesting_says_each_condition_once() {
        let c = |line: &str| fence(line).0;
        let names = Names::default();
        let label = |outer: &str, inner: &str| c(outer).and_narrowed(&c(inner)).label(&names);
        assert_eq!(label("audience a b", "audience b"), "B only");
        assert_eq!(label("audience b", "audience a b"), "B only");
        assert_eq!(label("audience not c", "audience a"), "A only");
        assert_eq!(
            label("audience not c", "audience not c d"),
            "Everyone except c, d"
        );
        assert_eq!(label("audience a", "area north"), "A only; North only");
        assert_eq!(label("format pdf", "format pdf"), "PDF only");
        // A tag may name the area: both are said.
        assert_eq!(
            label("area not north", "area tag:coastal"),
            "Every pack except north; Areas tagged coastal only"
        );
    }

    #[test]
    fn labels_say_who_sees_it() {
        let names = Names {
            audiences: [
                ("commissioners", "Commissioners"),
                ("providers", "Providers"),
                ("local-authorities", "Local authorities"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .into(),
            areas: [("northshire".to_string(), "Northshire".to_string())].into(),
            formats: [("govspeak".to_string(), "Govspeak".to_string())].into(),
            labels: Default::default(),
        };
        let label = |line: &str| fence(line).0.label(&names);
        assert_eq!(label("format govspeak"), "Govspeak only");
        assert_eq!(
            label("audience commissioners providers"),
            "Commissioners, Providers only"
        );
        assert_eq!(
            label("audience not local-authorities"),
            "Everyone except Local authorities"
        );
        assert_eq!(label("area northshire"), "Northshire only");
        assert_eq!(label("area tag:coastal"), "Areas tagged coastal only");
        assert_eq!(label("area national"), "National packs only");
        assert_eq!(label("area not national"), "Local area packs only");
        assert_eq!(label("area not northshire"), "Every pack except Northshire");
        assert_eq!(label("format pdf"), "PDF only");
        assert_eq!(label("format not pdf"), "Not in the PDF");
        let both = fence("audience providers")
            .0
            .and(&fence("area northshire").0);
        assert_eq!(both.label(&names), "Providers only; Northshire only");
        assert_eq!(Condition::default().label(&names), "Everyone");
    }
}
