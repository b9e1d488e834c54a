//! The project model: configuration, framework data, glossary, areas and chapters, as parsed.
//!
//! Every value that an error may point at keeps its file and position.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::condition::{Condition, Names, Reader};
use crate::diagnostic::{Diagnostic, Place, Pos};
use crate::doc::{self, Block, Link};

/// A whole guidance project, loaded and parsed.
#[derive(Clone, Debug)]
pub struct Project {
    pub config: Config,
    pub chapters: Vec<Chapter>,
    pub framework: Framework,
    pub glossary: Glossary,
    pub areas: Vec<Area>,
}

impl Project {
    /// Every text of the project: the national chapters, then each area's local sections.
    pub fn texts(&self) -> impl Iterator<Item = &Chapter> {
        let local = self.areas.iter().flat_map(|a| a.sections.iter());
        self.chapters.iter().chain(local)
    }

    /// The audience and area names by id, for the labels of conditions.
    pub fn condition_names(&self) -> Names {
        Names {
            audiences: (self.config.audiences.iter())
                .map(|a| (a.id.clone(), a.name.clone()))
                .collect(),
            areas: (self.areas.iter())
                .map(|a| (a.id.clone(), a.name.clone()))
                .collect(),
            formats: Default::default(),
            labels: self.config.pack.labels.clone(),
        }
    }
}

pub use crate::diagnostic::Located;

/// `guidepack.toml`.
#[derive(Clone, Debug)]
pub struct Config {
    pub pack: PackInfo,
    pub audiences: Vec<Audience>,
    pub vars: BTreeMap<String, String>,
    pub pdf: PdfConfig,
    pub html: HtmlConfig,
    pub change_notes: Vec<ChangeNote>,
    /// `[accessibility]`: what the accessibility statement and the alternative-format note say.
    pub accessibility: Option<Accessibility>,
    /// `[brand]`: the national publisher's logo, organisation and accent colour.
    pub brand: crate::brand::Brand,
}

impl Config {
    pub fn audience(&self, id: &str) -> Option<&Audience> {
        self.audiences.iter().find(|a| a.id == id)
    }

    /// The audience ids, in the order of the packs.
    pub fn audience_ids(&self) -> Vec<&str> {
        self.audiences.iter().map(|a| a.id.as_str()).collect()
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackInfo {
    pub title: String,
    pub subtitle: Option<String>,
    pub publisher: String,
    pub version: crate::version::Version,
    pub date: String,
    pub language: String,
    #[serde(default)]
    pub numbered_paragraphs: bool,
    /// The licence the text is published under (`statements::licence` writes its statement).
    #[serde(default)]
    pub licence: Licence,
    /// The copyright line: `© Crown copyright 2013`.
    pub copyright: Option<String>,
    /// Set only in the output of an unreleased working copy (never read from guidepack.toml):
    /// the released version whose text has changed since. `version` is then
    /// `<that version>+unreleased`, what the working copy's folder and files are called.
    #[serde(skip)]
    pub unreleased_since: Option<crate::version::Version>,
    /// Set only in an area pack's configuration (`render::pack_config`): the national version
    /// its edition is of, while `version` is the area's (`1.0.0-kent.2`).
    #[serde(skip)]
    pub national_version: Option<crate::version::Version>,
    /// The words guidepack writes itself, in `language`, with the project's `[labels]` over
    /// them (set when the config is parsed; never read from `[pack]`).
    #[serde(skip)]
    pub labels: crate::labels::Labels,
}

/// The languages written right to left (by primary subtag): Arabic, Urdu, Persian, Hebrew.
const RIGHT_TO_LEFT: [&str; 4] = ["ar", "ur", "fa", "he"];

/// `rtl` for a language tag written right to left (`ar`, `ur-PK`), `ltr` otherwise.
pub fn direction(language: &str) -> &'static str {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    if RIGHT_TO_LEFT
        .iter()
        .any(|l| l.eq_ignore_ascii_case(primary))
    {
        "rtl"
    } else {
        "ltr"
    }
}

impl PackInfo {
    /// The file-name form of the title: `safeguarding-children-in-the-reformed-nhs`.
    pub fn slug(&self) -> String {
        crate::doc::slugify(&self.title)
    }

    /// The date as `(year, month, day)`; checked when the config is parsed.
    pub fn ymd(&self) -> (i32, u8, u8) {
        parse_date(&self.date).unwrap_or((1970, 1, 1))
    }

    /// The date as a reader writes it, in the pack's language: `28 March 2013`.
    pub fn date_display(&self) -> String {
        self.labels.date(self.ymd())
    }
}

/// Parses `YYYY-MM-DD` into a real calendar date.
pub fn parse_date(text: &str) -> Option<(i32, u8, u8)> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1..=12).contains(&m).then_some(())?;
    (1..=days[m as usize - 1]).contains(&d).then_some((y, m, d))
}

#[derive(Clone, Debug)]
pub struct Audience {
    pub id: String,
    pub name: String,
    pub description: String,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
pub enum PdfStandard {
    #[default]
    #[serde(rename = "ua-1")]
    Ua1,
    #[serde(rename = "a-2a")]
    A2a,
    #[serde(rename = "none")]
    None,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdfConfig {
    #[serde(default)]
    pub paper: Paper,
    #[serde(default)]
    pub standard: PdfStandard,
    /// `[pdf] fonts`: the project's own font files, given as paths from guidepack.toml, each
    /// a path from the project root once checked (`parse::fonts`).
    #[serde(default)]
    pub fonts: Vec<toml::Spanned<String>>,
}

/// `[pack] licence`: the licence a publication is released under.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
pub enum Licence {
    /// The Open Government Licence v3.0.
    #[serde(rename = "ogl-3")]
    Ogl3,
    /// Creative Commons Attribution 4.0 International.
    #[serde(rename = "cc-by-4")]
    CcBy4,
    /// No open licence: only the copyright line, if any.
    #[default]
    #[serde(rename = "none")]
    None,
}

/// `[accessibility]` in guidepack.toml: how readers ask for another format and what the
/// accessibility statement says. Every key is optional; `release` warns about those missing.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    /// Where to ask for another format (and report a problem).
    pub email: Option<String>,
    pub phone: Option<String>,
    /// How soon a request is answered: "15 working days".
    pub response_time: Option<String>,
    /// The standard the packs are tested against: "WCAG 2.2 AA".
    pub standard: Option<String>,
    /// How far they meet it.
    pub compliance: Option<Compliance>,
    /// Parts that do not meet it yet, most serious first.
    #[serde(default)]
    pub known_issues: Vec<String>,
    /// The date the statement was prepared (YYYY-MM-DD).
    pub prepared: Option<String>,
}

/// How far the packs meet their accessibility standard (the statement's "compliance status").
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Compliance {
    Full,
    Partial,
    None,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HtmlConfig {
    pub base_url: Option<String>,
    /// Whether each pack gets its search index and script (`[html] search`, on by default).
    #[serde(default = "search_on")]
    pub search: bool,
}

fn search_on() -> bool {
    true
}

impl Default for HtmlConfig {
    fn default() -> Self {
        HtmlConfig {
            base_url: None,
            search: true,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeNote {
    pub version: String,
    pub text: String,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RoleKind {
    Organisation,
    Post,
    Partnership,
    Regulator,
}

impl RoleKind {
    /// The key of the label that names the kind to readers ("Organisation").
    pub fn label_key(self) -> &'static str {
        match self {
            RoleKind::Organisation => "role_kind_organisation",
            RoleKind::Post => "role_kind_post",
            RoleKind::Partnership => "role_kind_partnership",
            RoleKind::Regulator => "role_kind_regulator",
        }
    }
}

/// Roles, duties and statutes, merged from every `content/framework/*.toml`, with an index by
/// id (made by [`Framework::new`]): a pack looks roles up for every duty, so a search through
/// the list each time would make thousands of roles and duties cost their product.
#[derive(Clone, Debug, Default)]
pub struct Framework {
    pub roles: Vec<Role>,
    pub duties: Vec<Duty>,
    pub statutes: Vec<Statute>,
    index: FrameworkIndex,
    /// What was written but could not be loaded.
    pub unloaded: Unloaded,
}

/// Framework records that are written but could not be loaded (each has its error): a
/// reference to one of them is not an error of its own.
#[derive(Clone, Debug, Default)]
pub struct Unloaded {
    /// `role:ccg` (kind and id) → where the record's error is.
    pub records: BTreeMap<String, Place>,
    /// The first error that left records whose ids are unknown (a file that is not valid
    /// TOML, a record without a readable `id`): any unknown id may follow from it.
    pub unknown: Option<Place>,
}

/// Positions in the lists by id; the first of two with the same id wins (a duplicate is an
/// error that `check` reports).
#[derive(Clone, Debug, Default)]
struct FrameworkIndex {
    roles: HashMap<String, usize>,
    statutes: HashMap<String, usize>,
    duties_by_role: HashMap<String, Vec<usize>>,
}

impl Framework {
    pub fn new(roles: Vec<Role>, duties: Vec<Duty>, statutes: Vec<Statute>) -> Self {
        let mut index = FrameworkIndex::default();
        for (i, role) in roles.iter().enumerate() {
            index.roles.entry(role.id.value.clone()).or_insert(i);
        }
        for (i, statute) in statutes.iter().enumerate() {
            index.statutes.entry(statute.id.value.clone()).or_insert(i);
        }
        for (i, duty) in duties.iter().enumerate() {
            let of_role = index.duties_by_role.entry(duty.role.value.clone());
            of_role.or_default().push(i);
        }
        Framework {
            roles,
            duties,
            statutes,
            index,
            unloaded: Unloaded::default(),
        }
    }

    /// The error for a reference to a `kind` ("role", "duty", "statute") that does not exist,
    /// as it should be reported: `None` when the record is written but could not be loaded
    /// (its own error says what is wrong), marked as following from a framework error when
    /// some records could not be read at all.
    pub fn unknown_reference(&self, kind: &str, id: &str, error: Diagnostic) -> Option<Diagnostic> {
        if self.unloaded.records.contains_key(&format!("{kind}:{id}")) {
            return None;
        }
        Some(match &self.unloaded.unknown {
            Some(cause) => error.follows_from(cause.clone()),
            None => error,
        })
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        let at = *self.index.roles.get(id)?;
        self.roles.get(at).filter(|r| r.id.value == id)
    }

    pub fn statute(&self, id: &str) -> Option<&Statute> {
        let at = *self.index.statutes.get(id)?;
        self.statutes.get(at).filter(|s| s.id.value == id)
    }

    /// The duties that a role holds, in the order of the data.
    pub fn duties_of<'a>(&'a self, role: &str) -> impl Iterator<Item = &'a Duty> + 'a {
        let found = self.index.duties_by_role.get(role);
        found
            .into_iter()
            .flatten()
            .filter_map(|&i| self.duties.get(i))
    }
}

#[derive(Clone, Debug)]
pub struct Role {
    pub id: Located<String>,
    pub name: String,
    pub kind: RoleKind,
    pub description: String,
    pub accountable_to: Vec<Located<String>>,
    pub audiences: Vec<Located<String>>,
    /// `audiences` as a condition: the packs in which `::: roles` lists it.
    pub condition: Condition,
}

#[derive(Clone, Debug)]
pub struct Duty {
    pub id: Located<String>,
    pub role: Located<String>,
    pub text: String,
    pub basis: Vec<Located<String>>,
    pub audiences: Vec<Located<String>>,
    /// `audiences` as a condition: the packs whose `::: duties` lists it.
    pub condition: Condition,
}

#[derive(Clone, Debug)]
pub struct Statute {
    pub id: Located<String>,
    pub title: String,
    pub url: Option<String>,
}

/// Acronyms and terms with their expansions, sorted.
#[derive(Clone, Debug, Default)]
pub struct Glossary {
    pub entries: BTreeMap<String, String>,
    /// Terms written in the glossary whose meaning could not be read (each has its error).
    pub unloaded: std::collections::BTreeSet<String>,
    /// Whether the glossary file could not be read at all (its error is reported): whether
    /// it explains a word is then not known.
    pub unread: bool,
}

impl Glossary {
    /// Whether a word needs no "not in the glossary" warning: it is there, or it may be and
    /// the glossary's own error is what to fix.
    pub fn may_explain(&self, term: &str) -> bool {
        self.unread || self.entries.contains_key(term) || self.unloaded.contains(term)
    }
}

/// One local area: `content/areas/<id>/area.toml` and its local sections.
#[derive(Clone, Debug)]
pub struct Area {
    pub id: String,
    pub name: String,
    pub file: String,
    /// `tags = […]`: the groups that `::: area tag:<tag>` names.
    pub tags: Vec<Located<String>>,
    pub vars: BTreeMap<String, String>,
    pub contacts: Vec<Contact>,
    /// The area's own `[brand]` keys (the national ones fill in the rest).
    pub brand: crate::brand::Brand,
    pub sections: Vec<Chapter>,
    /// `revision = N` (default 1): the area's edition of the national version; its packs'
    /// version is `<national version>-<area>.<revision>` ([`crate::version::Version::area_edition`]).
    pub revision: u32,
    /// The area's own `[[change_note]]`s.
    pub change_notes: Vec<ChangeNote>,
}

#[derive(Clone, Debug)]
pub struct Contact {
    pub role: Option<Located<String>>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A chapter (or an area's local section) as parsed, before any pack is resolved.
#[derive(Clone, Debug)]
pub struct Chapter {
    pub file: String,
    pub meta: ChapterMeta,
    pub nodes: Vec<Node>,
    /// Footnote definitions by label.
    pub footnotes: BTreeMap<String, Vec<Block>>,
}

impl Chapter {
    /// Every link written in the chapter: its text in whatever packs it is filtered into, its
    /// directives' captions and its footnotes.
    pub fn visit_links(&self, f: &mut dyn FnMut(&Link)) {
        fn in_nodes(nodes: &[Node], f: &mut dyn FnMut(&Link)) {
            for node in nodes {
                match node {
                    Node::Block(block) => in_blocks(std::slice::from_ref(block), f),
                    Node::Conditional { children, .. } => in_nodes(children, f),
                    Node::Directive(d) => doc::visit_links(&d.caption, f),
                }
            }
        }
        fn in_blocks(blocks: &[Block], f: &mut dyn FnMut(&Link)) {
            doc::visit_inlines(blocks, &mut |inlines| doc::visit_links(inlines, f));
        }
        in_nodes(&self.nodes, f);
        for footnote in self.footnotes.values() {
            in_blocks(footnote, f);
        }
    }
}

/// A chapter's front matter.
#[derive(Clone, Debug, Default)]
pub struct ChapterMeta {
    pub title: String,
    pub id: String,
    pub order: Option<i64>,
    /// `audiences:`, `areas:` and `formats:`: which packs and formats have the chapter.
    pub condition: Condition,
    /// `language:`: the chapter's own language tag (`ar`, `ur-PK`), when not the pack's.
    pub language: Option<String>,
    pub summary: Option<String>,
    pub draft: bool,
    /// For an area's local section: where it goes in the national text.
    pub placement: Option<Placement>,
    pub title_pos: crate::diagnostic::Pos,
    /// Where the front matter gives the `id`, when it does.
    pub id_pos: Option<crate::diagnostic::Pos>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    Replaces(Located<String>),
    After(Located<String>),
    Before(Located<String>),
}

/// An element of a chapter body: Markdown blocks, conditional blocks and data directives.
#[derive(Clone, Debug)]
pub enum Node {
    Block(Block),
    /// `::: audience a b`, `::: area not national`, `::: format pdf`: what some packs or
    /// formats only see.
    Conditional {
        condition: Condition,
        pos: Pos,
        children: Vec<Node>,
    },
    Directive(Directive),
}

impl Area {
    /// The area as conditions see it.
    pub fn reader<'a>(&'a self, audience: &'a str) -> Reader<'a> {
        Reader {
            audience,
            area: Some((self.id.as_str(), self.tags.as_slice())),
        }
    }
}

/// The pack of `audience` in `area` (or national) as conditions see it.
pub fn reader<'a>(audience: &'a str, area: Option<&'a Area>) -> Reader<'a> {
    match area {
        Some(area) => area.reader(audience),
        None => Reader {
            audience,
            area: None,
        },
    }
}

/// `::: duties role=ccg` and its caption, understood when the chapter is read (from the
/// table of directives, `crate::directives`).
#[derive(Clone, Debug)]
pub struct Directive {
    /// Its name, as the table of directives has it.
    pub name: &'static str,
    pub kind: DirectiveKind,
    pub caption: Vec<crate::doc::Inline>,
    pub pos: Pos,
    pub file: String,
}

/// What a directive asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    Duties(DutyFilter),
    Roles,
    Role(String),
    Glossary,
    Contacts,
    /// `::: accountability`, or `::: accountability role=<id>` (`Some(id)`).
    Accountability(Option<String>),
}

/// Which duties `::: duties` lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DutyFilter {
    /// The pack's audience's (`::: duties`).
    Audience,
    /// Every duty (`::: duties all`).
    All,
    /// One role's (`::: duties role=<id>`).
    Role(String),
}

impl DirectiveKind {
    /// The role it names, if any: `::: role <id>`, `::: duties role=<id>`.
    pub fn role(&self) -> Option<&str> {
        match self {
            DirectiveKind::Role(id)
            | DirectiveKind::Duties(DutyFilter::Role(id))
            | DirectiveKind::Accountability(Some(id)) => Some(id),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real() {
        assert_eq!(parse_date("2013-03-28"), Some((2013, 3, 28)));
        assert_eq!(parse_date("2012-02-29"), Some((2012, 2, 29)));
        assert_eq!(parse_date("2013-02-29"), None);
        assert_eq!(parse_date("2013-3-28"), None);
        assert_eq!(parse_date("28/03/2013"), None);
    }
}
