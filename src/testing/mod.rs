//! Test-only: a small project made from strings in memory and taken through the stages as the
//! commands take it (parse, index ids, check), for the unit tests of resolve and check; and a
//! plain-text outline of a resolved pack to compare against. The unit tests of each check rule
//! and each resolve step are its submodules.

mod check_rules;
mod resolve_steps;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::doc::{Block, Inline, Target};
use crate::model::Project;
use crate::resolve::{IdIndex, Pack, Resolver, index_ids};
use crate::sources::SourceSet;

/// `guidepack.toml` of the test project: three audiences and one variable.
pub const CONFIG: &str = r#"[pack]
title = "Test pack"
publisher = "Test publisher"
version = "2.0.0"
date = "2013-03-28"
language = "en-GB"

[[audience]]
id = "commissioners"
name = "Commissioners"
description = "People who commission"

[[audience]]
id = "providers"
name = "Providers"
description = "People who provide"

[[audience]]
id = "local-authorities"
name = "Local authorities"
description = "Councils"

[vars]
lead = "the national lead"
"#;

/// The framework data: three roles (NHS England ← CCG ← trust), two duties, one statute.
pub const FRAMEWORK: &str = r#"[[role]]
id = "nhs-england"
name = "NHS England"
kind = "organisation"
description = "Leads the NHS."
audiences = ["commissioners", "providers"]

[[role]]
id = "ccg"
name = "Clinical commissioning group"
kind = "organisation"
description = "Commissions local services."
accountable_to = ["nhs-england"]
audiences = ["commissioners"]

[[role]]
id = "trust"
name = "Provider trust"
kind = "organisation"
description = "Provides hospital services."
accountable_to = ["ccg"]
audiences = ["providers"]

[[duty]]
id = "ccg-assure"
role = "ccg"
text = "Assure the safety of commissioned services."
basis = ["ca2004-s11"]
audiences = ["commissioners"]

[[duty]]
id = "trust-train"
role = "trust"
text = "Train staff in safeguarding."
basis = []
audiences = ["providers"]

[[statute]]
id = "ca2004-s11"
title = "Children Act 2004, section 11"
url = "https://www.legislation.gov.uk/ukpga/2004/31/section/11"
"#;

pub const GLOSSARY: &str =
    "CCG = \"clinical commissioning group\"\nNHS = \"National Health Service\"\n";

/// A project in memory, parsed, indexed and checked.
pub struct TestProject {
    pub project: Project,
    pub ids: IdIndex,
    /// What parsing, indexing and checking found, sorted.
    pub found: Vec<Diagnostic>,
}

impl TestProject {
    /// The base project (`CONFIG`, `FRAMEWORK`, `GLOSSARY` and nothing else) with `files`
    /// added, each replacing a base file of the same path. Panics when the configuration
    /// cannot be used at all.
    pub fn new(files: &[(&str, &str)]) -> Self {
        Self::with_binaries(files, &[])
    }

    /// [`TestProject::new`] with binary files (images) as well.
    pub fn with_binaries(files: &[(&str, &str)], binaries: &[(&str, &[u8])]) -> Self {
        let mut sources = SourceSet::default();
        for (path, bytes) in binaries {
            sources.binaries.insert(path.to_string(), bytes.to_vec());
        }
        for (path, text) in [
            ("guidepack.toml", CONFIG),
            ("content/framework/data.toml", FRAMEWORK),
            ("content/glossary.toml", GLOSSARY),
        ]
        .into_iter()
        .chain(files.iter().copied())
        {
            sources.texts.insert(path.to_string(), text.to_string());
        }
        let mut diagnostics = Diagnostics::default();
        let mut project = crate::parse::parse_project(&sources, &mut diagnostics)
            .unwrap_or_else(|| panic!("unusable project: {:?}", diagnostics.sorted()));
        let ids = index_ids(&mut project, &mut diagnostics);
        crate::check::check_project(
            &project,
            &ids,
            &sources,
            &crate::render::registry().names(),
            &mut diagnostics,
        );
        TestProject {
            project,
            ids,
            found: diagnostics.sorted(),
        }
    }

    /// The base project with these chapters (`content/<name>`, front matter and body).
    pub fn chapters(chapters: &[(&str, &str, &str)]) -> Self {
        let files: Vec<(String, String)> = chapters
            .iter()
            .map(|(name, front, body)| {
                (
                    format!("content/{name}"),
                    format!("---\n{front}\n---\n{body}"),
                )
            })
            .collect();
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        Self::new(&files)
    }

    /// What parsing and checking found, one line each: `error content/a.md:4:14 message`.
    pub fn findings(&self) -> Vec<String> {
        findings(&self.found)
    }

    /// Asserts that nothing was found.
    pub fn assert_clean(&self) -> &Self {
        assert!(self.found.is_empty(), "{:#?}", self.findings());
        self
    }

    /// Resolves the pack of `audience`, nationally or in `area`: the pack and what resolving
    /// it found.
    pub fn pack(&self, audience: &str, area: Option<&str>) -> (Pack, Vec<String>) {
        let audience = self
            .project
            .config
            .audiences
            .iter()
            .find(|a| a.id == audience)
            .unwrap_or_else(|| panic!("no audience {audience}"));
        let area = area.map(|id| {
            self.project
                .areas
                .iter()
                .find(|a| a.id == id)
                .unwrap_or_else(|| panic!("no area {id}"))
        });
        let mut diagnostics = Diagnostics::default();
        let pack = self.resolver().pack(audience, area, &mut diagnostics);
        (pack, findings(&diagnostics.sorted()))
    }

    /// Resolves the reviewer's copy: the copy and what resolving it found.
    pub fn review(&self) -> (Pack, Vec<String>) {
        let mut diagnostics = Diagnostics::default();
        let pack = self.resolver().review(&mut diagnostics);
        (pack, findings(&diagnostics.sorted()))
    }

    fn resolver(&self) -> Resolver<'_> {
        Resolver {
            project: &self.project,
            ids: &self.ids,
            previous: None,
            area_previous: Default::default(),
            formats: crate::render::registry().names(),
            format_labels: crate::render::registry().labels(),
        }
    }

    /// The outline of a pack that resolves without findings.
    pub fn outline(&self, audience: &str, area: Option<&str>) -> String {
        let (pack, found) = self.pack(audience, area);
        assert!(found.is_empty(), "{found:#?}");
        outline(&pack)
    }
}

/// Diagnostics one line each: `error content/a.md:4:14 message`.
pub fn findings(found: &[Diagnostic]) -> Vec<String> {
    found
        .iter()
        .map(|d| {
            let severity = if d.is_error() { "error" } else { "warning" };
            match &d.file {
                Some(file) => format!("{severity} {file}:{}:{} {}", d.line, d.column, d.message),
                None => format!("{severity} {}", d.message),
            }
        })
        .collect()
}

/// A resolved pack as plain text, one line per block: chapters as `3 Title [id]`, headings as
/// `## 3.1 Text {#id}`, paragraphs as `¶3.2 text` (the number when paragraphs are numbered),
/// links as `[text](#chapter/anchor)`, expanded acronyms as `CCG(clinical commissioning
/// group)`; the blocks of lists, quotes, entries and local sections indented under them.
pub fn outline(pack: &Pack) -> String {
    let mut out = String::new();
    for chapter in &pack.chapters {
        out.push_str(&format!(
            "{} {} [{}]\n",
            chapter.number, chapter.title, chapter.id
        ));
        blocks(&chapter.blocks, 1, &mut out);
        for (n, note) in &chapter.footnotes {
            out.push_str(&format!("  footnote {n}:\n"));
            blocks(note, 2, &mut out);
        }
    }
    out
}

fn blocks(list: &[Block], depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for block in list {
        match block {
            Block::Heading(h) => out.push_str(&format!(
                "{pad}{} {}{} {{#{}}}\n",
                "#".repeat(h.level.into()),
                h.number.as_ref().map_or(String::new(), |n| format!("{n} ")),
                text(&h.inlines),
                h.id
            )),
            Block::Paragraph(p) => out.push_str(&format!(
                "{pad}¶{} {}\n",
                p.number.as_deref().unwrap_or(""),
                text(&p.inlines)
            )),
            Block::List(l) => {
                for item in &l.items {
                    out.push_str(&format!("{pad}-\n"));
                    blocks(&item.blocks, depth + 1, out);
                }
            }
            Block::Quote(b) => {
                out.push_str(&format!("{pad}>\n"));
                blocks(b, depth + 1, out);
            }
            Block::Directed { dir, blocks: b } => {
                out.push_str(&format!("{pad}dir={}\n", dir.as_str()));
                blocks(b, depth + 1, out);
            }
            Block::Callout(kind, b) => {
                out.push_str(&format!("{pad}[!{}]\n", kind.label()));
                blocks(b, depth + 1, out);
            }
            Block::Code { text, .. } => out.push_str(&format!("{pad}code {text:?}\n")),
            Block::Table(t) => {
                out.push_str(&format!("{pad}table \"{}\"\n", text(&t.caption)));
                let row = |cells: &[Vec<Inline>]| {
                    cells
                        .iter()
                        .map(|c| text(c))
                        .collect::<Vec<_>>()
                        .join(" | ")
                };
                out.push_str(&format!("{pad}  head: {}\n", row(&t.head)));
                for r in &t.rows {
                    out.push_str(&format!("{pad}  row: {}\n", row(r)));
                }
            }
            Block::Rule => out.push_str(&format!("{pad}---\n")),
            Block::Definitions(defs) => {
                for d in defs {
                    out.push_str(&format!("{pad}term {}\n", text(&d.term)));
                    blocks(&d.blocks, depth + 1, out);
                }
            }
            Block::Diagram(d) => {
                out.push_str(&format!("{pad}diagram {}\n", text(&d.caption)));
                for &(from, to) in &d.lines {
                    out.push_str(&format!(
                        "{pad}  line: {} -> {}\n",
                        d.roles[from].name, d.roles[to].name
                    ));
                }
            }
            Block::Entry(e) => {
                out.push_str(&format!(
                    "{pad}entry {} ({}) {{#{}}}\n",
                    text(&e.title),
                    e.kind,
                    e.id
                ));
                blocks(&e.blocks, depth + 1, out);
            }
            Block::Local {
                area,
                file,
                blocks: b,
            } => {
                out.push_str(&format!("{pad}local {area} from {file}\n"));
                blocks(b, depth + 1, out);
            }
            Block::Note(inlines) => out.push_str(&format!("{pad}note {}\n", text(inlines))),
            Block::ForFormats { formats, blocks: b } => {
                out.push_str(&format!("{pad}only in {}\n", formats.join(", ")));
                blocks(b, depth + 1, out);
            }
            Block::Labelled { label, blocks: b } => {
                out.push_str(&format!("{pad}labelled \"{label}\"\n"));
                blocks(b, depth + 1, out);
            }
        }
    }
}

/// Inlines as text, with links, expansions and variables marked.
pub fn text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text(t) => out.push_str(t),
            Inline::Code(t) => out.push_str(&format!("`{t}`")),
            Inline::Raw(t) => out.push_str(&format!("raw({t})")),
            Inline::Emph(c) => out.push_str(&format!("*{}*", text(c))),
            Inline::Strong(c) => out.push_str(&format!("**{}**", text(c))),
            Inline::Strike(c) => out.push_str(&format!("~~{}~~", text(c))),
            Inline::Inserted(c) => out.push_str(&format!("++{}++", text(c))),
            Inline::Link(link) => {
                let target = match &link.target {
                    Target::Written(w) => format!("written:{w}"),
                    Target::Internal { chapter, anchor } => match anchor {
                        Some(anchor) => format!("#{chapter}/{anchor}"),
                        None => format!("#{chapter}"),
                    },
                    Target::External(url) => url.clone(),
                    Target::Relative(path) => format!("relative:{path}"),
                };
                out.push_str(&format!("[{}]({target})", text(&link.children)));
            }
            Inline::Image(image) => out.push_str(&format!("![{}]({})", image.alt, image.src)),
            Inline::FootnoteRef { number, .. } => out.push_str(&format!("[^{number}]")),
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
            Inline::Var { name, .. } => out.push_str(&format!("{{{{ {name} }}}}")),
            Inline::Abbr { text: t, title } => out.push_str(&format!("{t}({title})")),
        }
    }
    out
}
