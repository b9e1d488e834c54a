//! The document tree: the blocks and inlines of a chapter, from parse through resolve to render.
//!
//! Parsing produces it with unresolved parts (variables, link targets, directives); resolving
//! produces the final tree of one pack, which both the HTML and the PDF renderers walk, so the
//! two outputs can never disagree about what a reader sees.

use crate::condition::Condition;
use crate::diagnostic::Pos;

/// How deep a writer's containers may nest: lists, block quotes and callouts in one count,
/// `:::` blocks in another, emphasis and links in a third. Every stage after parsing walks the
/// tree recursively and Typst lays out nested blocks within a fixed depth, so parsing refuses
/// anything deeper, at the line where the limit is crossed. 30 levels is far beyond what any
/// guidance needs, and every format builds at that depth.
pub const MAX_NESTING: usize = 30;

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Heading(Heading),
    Paragraph(Paragraph),
    List(List),
    Quote(Vec<Block>),
    Callout(CalloutKind, Vec<Block>),
    Code {
        lang: Option<String>,
        text: String,
    },
    Table(Table),
    Rule,
    /// A set of terms and their descriptions (the roles list).
    Definitions(Vec<Definition>),
    /// A titled entry with an anchor (one role).
    Entry(Entry),
    /// An accountability diagram (`::: accountability`): roles as boxes joined by their lines
    /// of accountability, which each renderer lays out with [`crate::diagram`] and draws, or
    /// shows as its text alternative.
    Diagram(Diagram),
    /// One block (paragraph, list, quote, callout or table) written in a direction of its
    /// own: a `{dir=rtl}` line above it. Renderers set the direction on the block itself.
    Directed {
        dir: Direction,
        blocks: Vec<Block>,
    },
    /// Text that a local area added or put in place of national text.
    Local {
        area: String,
        file: String,
        blocks: Vec<Block>,
    },
    /// A short note in the flow of the text (for example, "local packs list the contacts").
    Note(Vec<Inline>),
    /// What only some formats show (`::: format pdf`, `{format=pdf}`): kept in the resolved
    /// pack, which all its formats share (so numbers agree), and unwrapped or dropped by
    /// `resolve::Pack::for_format` before a renderer sees the pack.
    ForFormats {
        formats: Vec<String>,
        blocks: Vec<Block>,
    },
    /// A part of the reviewer's copy that only some packs or formats hold, with the text that
    /// says who sees it ("Seen by: Commissioners, Providers only"); renderers show the label as
    /// text at the top of a bordered region (never colour alone). Packs themselves never hold
    /// one, and the reviewer's copy holds no [`Block::ForFormats`]: its format parts are
    /// labelled, so every format shows them.
    Labelled {
        label: String,
        blocks: Vec<Block>,
    },
}

/// The attributes a heading may carry after its `#id` (`## Title {#id key=value}`), each with
/// what it takes. Anything else in the braces is an error.
pub const HEADING_ATTRIBUTES: [(&str, &str); 5] = [
    (
        "audience",
        "audience ids separated by commas, with `!` before them for every audience but those",
    ),
    (
        "area",
        "area ids, `tag:<tag>` or `national`, separated by commas, with `!` before them for every pack but those",
    ),
    (
        "format",
        "format names (`html`, `pdf`) separated by commas, with `!` before them for every format but those",
    ),
    ("local", "`required`"),
    ("dir", "`rtl` for right to left or `ltr` for left to right"),
];

/// Which way a block's text runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Rtl,
    Ltr,
}

impl Direction {
    /// `rtl` or `ltr`, as a `dir=` attribute and a `{dir=…}` line write it.
    pub fn from_word(word: &str) -> Option<Direction> {
        match word {
            "rtl" => Some(Direction::Rtl),
            "ltr" => Some(Direction::Ltr),
            _ => None,
        }
    }

    /// The word for HTML's `dir` and Typst's `text(dir: …)`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Rtl => "rtl",
            Direction::Ltr => "ltr",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Heading {
    /// 2 to 6 in a chapter body (the chapter title is level 1).
    pub level: u8,
    /// The anchor: explicit (`{#id}`) or made from the text.
    pub id: String,
    pub explicit_id: bool,
    pub inlines: Vec<Inline>,
    pub pos: Pos,
    /// `1.2.3` once resolved.
    pub number: Option<String>,
    /// Other attributes: `audience=…`, `local=required`.
    pub attrs: Vec<(String, String)>,
    /// Its `audience=`, `area=` and `format=` attributes: who sees the section it starts.
    pub condition: Condition,
}

impl Heading {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The direction its `dir=` attribute gives the heading (not the section under it).
    pub fn dir(&self) -> Option<Direction> {
        self.attr("dir").and_then(Direction::from_word)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Paragraph {
    pub inlines: Vec<Inline>,
    pub pos: Pos,
    /// `3.4` when paragraphs are numbered.
    pub number: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct List {
    /// The first number of an ordered list; `None` for a bulleted list.
    pub start: Option<u64>,
    pub items: Vec<ListItem>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ListItem {
    /// `Some(done)` for a task list item.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalloutKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl CalloutKind {
    pub fn label(self) -> &'static str {
        match self {
            CalloutKind::Note => "Note",
            CalloutKind::Tip => "Tip",
            CalloutKind::Important => "Important",
            CalloutKind::Warning => "Warning",
            CalloutKind::Caution => "Caution",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            CalloutKind::Note => "note",
            CalloutKind::Tip => "tip",
            CalloutKind::Important => "important",
            CalloutKind::Warning => "warning",
            CalloutKind::Caution => "caution",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub caption: Vec<Inline>,
    pub aligns: Vec<Align>,
    pub head: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
    /// Whether the first cell of each row heads that row.
    pub row_headers: bool,
    /// Whether each row is one contact (`::: contacts`): a format with contact boxes
    /// (Govspeak's `$C`) shows each row as one.
    pub contacts: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    pub id: Option<String>,
    pub term: Vec<Inline>,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: Vec<Inline>,
    pub kind: String,
    pub blocks: Vec<Block>,
}

/// What an accountability diagram shows: the roles, the lines between them, its caption and
/// the same lines written out as text (the alternative for readers who cannot see it, and what
/// a format that cannot draw shows).
#[derive(Clone, Debug, PartialEq)]
pub struct Diagram {
    pub caption: Vec<Inline>,
    pub roles: Vec<DiagramRole>,
    /// `(role, the role it is accountable to)`, as indexes into `roles`.
    pub lines: Vec<(usize, usize)>,
    /// The role that `::: accountability role=<id>` is about, drawn stronger.
    pub focus: Option<usize>,
    /// The lines of accountability as text: a list, one item for each role.
    pub text: Vec<Block>,
    /// The words the formats add around the drawing, in the pack's language.
    pub words: DiagramWords,
}

/// A diagram's own words, from the pack's labels (`diagram_*`), with their placeholders.
#[derive(Clone, Debug, PartialEq)]
pub struct DiagramWords {
    /// The heading of the lines as text (HTML).
    pub as_text: String,
    /// What a part's caption adds (PDF): `{k}`, `{count}`, `{next}`.
    pub part: String,
    /// `{next}` for a first or last part: `part {k}`.
    pub next_one: String,
    /// `{next}` for a part in the middle: `parts {before} and {after}`.
    pub next_two: String,
}

impl Diagram {
    /// The diagram as a format that cannot draw it shows it: its caption, then the lines of
    /// accountability as text.
    pub fn as_text(&self) -> Vec<Block> {
        let mut blocks = vec![Block::Paragraph(Paragraph {
            inlines: vec![Inline::Strong(self.caption.clone())],
            pos: Pos::default(),
            number: None,
        })];
        blocks.extend(self.text.iter().cloned());
        blocks
    }
}

/// One box of a diagram: the role's name and where its entry is.
#[derive(Clone, Debug, PartialEq)]
pub struct DiagramRole {
    pub name: String,
    pub target: Target,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text(String),
    Code(String),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    /// Text added since the previous version (in change summaries).
    Inserted(Vec<Inline>),
    Link(Link),
    Image(Image),
    /// A footnote reference: the label while parsed, the number once resolved.
    FootnoteRef {
        label: String,
        number: u32,
        pos: Pos,
    },
    SoftBreak,
    HardBreak,
    /// `{{ name }}`, replaced by its value when resolved.
    Var {
        name: String,
        pos: Pos,
    },
    /// An acronym expanded for readers at its first use in a chapter.
    Abbr {
        text: String,
        title: String,
    },
    /// Raw HTML in the Markdown, shown as text.
    Raw(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub target: Target,
    pub children: Vec<Inline>,
    pub pos: Pos,
    /// The link's title (`[text](url "title")`), shown as a tooltip: text and, until resolved,
    /// variables. Empty when the writer gave none.
    pub title: Vec<Inline>,
    /// The destination as written, in parts, when it holds `{{ variables }}` (empty when it
    /// does not): resolving puts each value in, escaped for the address, and makes `target`.
    pub dest_parts: Vec<Inline>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// As written in the Markdown, before resolution.
    Written(String),
    /// A chapter of the pack, and a heading or other anchor in it.
    Internal {
        chapter: String,
        anchor: Option<String>,
    },
    /// A web or mail address.
    External(String),
    /// A relative link kept as written.
    Relative(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    /// Project-relative path once resolved; as written before.
    pub src: String,
    pub alt: String,
    pub title: String,
    pub pos: Pos,
}

/// The plain text of inlines, as a reader would read it aloud.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) | Inline::Raw(t) => out.push_str(t),
            Inline::Abbr { text, .. } => out.push_str(text),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Inserted(c) => {
                push_plain(c, out)
            }
            Inline::Link(link) => push_plain(&link.children, out),
            Inline::Image(image) => out.push_str(&image.alt),
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
            Inline::Var { name, .. } => {
                out.push_str("{{ ");
                out.push_str(name);
                out.push_str(" }}");
            }
            Inline::FootnoteRef { .. } => {}
        }
    }
}

/// A plain text that may hold `{{ variables }}` (a title from front matter) as inlines, each
/// variable placed at `pos`.
pub fn text_with_variables(text: &str, pos: Pos) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}").map(|c| open + c) else {
            break;
        };
        if open > 0 {
            out.push(Inline::Text(rest[..open].to_string()));
        }
        out.push(Inline::Var {
            name: rest[open + 2..close].trim().to_string(),
            pos,
        });
        rest = &rest[close + 2..];
    }
    if !rest.is_empty() {
        out.push(Inline::Text(rest.to_string()));
    }
    out
}

/// Every run of inlines in `blocks`, as [`visit_inlines_mut`] finds them, read only.
pub fn visit_inlines(blocks: &[Block], f: &mut dyn FnMut(&[Inline])) {
    for block in blocks {
        match block {
            Block::Heading(h) => f(&h.inlines),
            Block::Paragraph(p) => f(&p.inlines),
            Block::Note(inlines) => f(inlines),
            Block::List(list) => {
                for item in &list.items {
                    visit_inlines(&item.blocks, f);
                }
            }
            Block::Quote(b)
            | Block::Callout(_, b)
            | Block::Local { blocks: b, .. }
            | Block::Directed { blocks: b, .. }
            | Block::ForFormats { blocks: b, .. }
            | Block::Labelled { blocks: b, .. } => visit_inlines(b, f),
            Block::Table(t) => {
                f(&t.caption);
                t.head.iter().for_each(|cell| f(cell));
                t.rows.iter().flatten().for_each(|cell| f(cell));
            }
            Block::Definitions(defs) => {
                for d in defs {
                    f(&d.term);
                    visit_inlines(&d.blocks, f);
                }
            }
            Block::Entry(e) => {
                f(&e.title);
                visit_inlines(&e.blocks, f);
            }
            Block::Diagram(d) => {
                f(&d.caption);
                visit_inlines(&d.text, f);
            }
            Block::Code { .. } | Block::Rule => {}
        }
    }
}

/// Every link in `inlines`, those inside emphasis and inside another link's text included.
pub fn visit_links(inlines: &[Inline], f: &mut dyn FnMut(&Link)) {
    for inline in inlines {
        match inline {
            Inline::Link(link) => {
                f(link);
                visit_links(&link.children, f);
            }
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Inserted(c) => {
                visit_links(c, f)
            }
            _ => {}
        }
    }
}

/// Calls `f` on every inline list in the blocks, depth first, mutably.
pub fn visit_inlines_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    for block in blocks {
        match block {
            Block::Heading(h) => f(&mut h.inlines),
            Block::Paragraph(p) => f(&mut p.inlines),
            Block::Note(inlines) => f(inlines),
            Block::List(list) => {
                for item in &mut list.items {
                    visit_inlines_mut(&mut item.blocks, f);
                }
            }
            Block::Quote(b)
            | Block::Callout(_, b)
            | Block::Local { blocks: b, .. }
            | Block::Directed { blocks: b, .. }
            | Block::ForFormats { blocks: b, .. }
            | Block::Labelled { blocks: b, .. } => visit_inlines_mut(b, f),
            Block::Table(t) => {
                f(&mut t.caption);
                t.head.iter_mut().for_each(&mut *f);
                t.rows.iter_mut().flatten().for_each(&mut *f);
            }
            Block::Definitions(defs) => {
                for d in defs {
                    f(&mut d.term);
                    visit_inlines_mut(&mut d.blocks, f);
                }
            }
            Block::Entry(e) => {
                f(&mut e.title);
                visit_inlines_mut(&mut e.blocks, f);
            }
            Block::Diagram(d) => {
                f(&mut d.caption);
                visit_inlines_mut(&mut d.text, f);
            }
            Block::Code { .. } | Block::Rule => {}
        }
    }
}

/// Makes an anchor from heading text: lowercase ASCII letters, digits and hyphens.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty()
            && !slug.ends_with('-')
            && (c.is_whitespace() || c == '-' || c == '/')
        {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    match slug.chars().next() {
        Some(c) if c.is_ascii_lowercase() => slug,
        Some(_) => format!("s-{slug}"),
        None => "section".to_string(),
    }
}

/// Ids of the parts and pages guidepack makes itself: its annexes, the contents list, the pack's
/// `index.html`, `all.html` and `accessibility.html`, the skip link's target, its banners and
/// its number label.
pub const RESERVED_IDS: [&str; 13] = [
    "role-directory",
    "changes",
    "local-variations",
    "contents",
    "index",
    "all",
    "accessibility",
    "main-content",
    "gp-draft-title",
    "gp-newer-title",
    "gp-unreleased-title",
    "gp-review-title",
    "gp-num",
];

/// The anchors guidepack makes inside chapters, as they are written in messages.
pub const RESERVED_PATTERNS: [&str; 5] = [
    "gp-label-<number>",
    "notes-<chapter>",
    "fn-<chapter>-<number>",
    "fnref-<chapter>-<number>",
    "para-<number>-<number>",
];

/// Whether an id is one guidepack keeps for what it makes: one of [`RESERVED_IDS`], or an
/// anchor of [`RESERVED_PATTERNS`] (a chapter's notes, a footnote and its reference, a
/// numbered paragraph); `is_chapter` says which ids are chapters.
pub fn is_reserved_id(id: &str, is_chapter: &dyn Fn(&str) -> bool) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let footnote = |rest: &str| {
        rest.rsplit_once('-')
            .is_some_and(|(chapter, n)| digits(n) && is_chapter(chapter))
    };
    RESERVED_IDS.contains(&id)
        || id.strip_prefix("gp-label-").is_some_and(digits)
        || id.strip_prefix("notes-").is_some_and(is_chapter)
        || id.strip_prefix("fn-").is_some_and(footnote)
        || id.strip_prefix("fnref-").is_some_and(footnote)
        || id
            .strip_prefix("para-")
            .and_then(|rest| rest.split_once('-'))
            .is_some_and(|(a, b)| digits(a) && digits(b))
}

/// Whether `id` is a well-formed id: lowercase ASCII letters, digits and hyphens, from a letter.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_valid_ids() {
        assert_eq!(
            slugify("Roles and responsibilities"),
            "roles-and-responsibilities"
        );
        assert_eq!(slugify("Section 11: the duty"), "section-11-the-duty");
        assert_eq!(slugify("2013 reforms"), "s-2013-reforms");
        assert_eq!(slugify("Ŵ"), "section");
        for text in ["A  b", "--x--", "Children's services"] {
            assert!(is_valid_id(&slugify(text)), "{text}");
        }
    }

    #[test]
    fn id_rules() {
        assert!(is_valid_id("ccg"));
        assert!(is_valid_id("children-act-2004-s11"));
        assert!(!is_valid_id("CCG"));
        assert!(!is_valid_id("1ccg"));
        assert!(!is_valid_id("ccg_x"));
        assert!(!is_valid_id(""));
    }
}
