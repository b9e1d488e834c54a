//! Inline resolution within one chapter of one pack: variables, links, images, acronyms and
//! footnotes.

use std::collections::{BTreeMap, BTreeSet};

use super::{PackScope, Resolver, acronyms};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos, did_you_mean};
use crate::doc::{Block, Inline, Target};
pub use crate::links::is_external;
use crate::links::{LinkKind, ValueIn, classify, escape_value, explain, is_safe_href, normalise};
use crate::model::{Area, Audience, Config};
use crate::sources::join_relative;

/// What `{{ … }}` can name in one pack.
pub struct VarScope<'a> {
    pub config: &'a Config,
    pub audience: &'a Audience,
    pub area: Option<&'a Area>,
}

/// Why a variable has no value.
pub enum VarError {
    /// A name guidepack does not know at all.
    Unknown { suggestion: Option<String> },
    /// An `area.<key>` that neither the area nor the national `[vars]` defines.
    Undefined,
}

impl VarScope<'_> {
    pub fn lookup(&self, name: &str) -> Result<String, VarError> {
        let pack = &self.config.pack;
        let value = match name {
            "pack.title" => Some(pack.title.clone()),
            "pack.subtitle" => pack.subtitle.clone(),
            // An area's pack is its area's edition: `1.0.0-kent.2`.
            "pack.version" => Some(match self.area {
                Some(area) => pack
                    .version
                    .area_edition(&area.id, area.revision)
                    .to_string(),
                None => pack.version.to_string(),
            }),
            "pack.date" => Some(pack.date_display()),
            "pack.publisher" => Some(pack.publisher.clone()),
            "audience.id" => Some(self.audience.id.clone()),
            "audience.name" => Some(self.audience.name.clone()),
            "area.id" => self.area.map(|a| a.id.clone()),
            "area.name" => self.area.map(|a| a.name.clone()),
            _ => {
                let Some(key) = name.strip_prefix("area.") else {
                    let known = [
                        "pack.title",
                        "pack.version",
                        "pack.date",
                        "pack.publisher",
                        "audience.id",
                        "audience.name",
                        "area.name",
                    ];
                    let guess = did_you_mean(name, known).map(str::to_string).or_else(|| {
                        let short = name.rsplit('.').next().unwrap_or(name);
                        self.config
                            .vars
                            .contains_key(short)
                            .then(|| format!("area.{short}"))
                    });
                    return Err(VarError::Unknown { suggestion: guess });
                };
                self.area
                    .and_then(|a| a.vars.get(key))
                    .or_else(|| self.config.vars.get(key))
                    .cloned()
            }
        };
        value.ok_or(VarError::Undefined)
    }
}

/// The state of one chapter while its inlines are resolved.
pub(super) struct Context<'a> {
    resolver: &'a Resolver<'a>,
    /// The file the current blocks came from (a local section's file inside `Block::Local`).
    file: String,
    scope: &'a VarScope<'a>,
    visible: &'a BTreeSet<String>,
    /// The ids that only some formats show, with those formats.
    shown_in: &'a BTreeMap<String, Vec<String>>,
    /// The formats that show the blocks being resolved, when not all.
    pub(super) formats: Option<Vec<String>>,
    pack_label: &'a str,
    definitions: &'a BTreeMap<String, Vec<Block>>,
    footnote_numbers: BTreeMap<String, u32>,
    /// The labels in order of their numbers (number 1 first).
    footnote_order: Vec<String>,
    acronyms_seen: BTreeSet<String>,
    /// The names whose acronyms are never expanded ([`acronyms::names`]).
    names: &'a [String],
    /// The reviewer's copy: each area's variables (see [`PackScope`]).
    review: Option<&'a [VarScope<'a>]>,
}

impl<'a> Context<'a> {
    pub(super) fn new(
        resolver: &'a Resolver<'a>,
        file: &str,
        pack: &PackScope<'a>,
        definitions: &'a BTreeMap<String, Vec<Block>>,
    ) -> Self {
        Context {
            resolver,
            file: file.to_string(),
            scope: pack.vars,
            visible: pack.visible,
            shown_in: pack.shown_in,
            formats: None,
            pack_label: pack.label,
            definitions,
            footnote_numbers: BTreeMap::new(),
            footnote_order: Vec::new(),
            acronyms_seen: BTreeSet::new(),
            names: pack.names,
            review: pack.review,
        }
    }

    pub(super) fn blocks(&mut self, blocks: &mut [Block], diagnostics: &mut Diagnostics) {
        for block in blocks {
            match block {
                Block::Heading(h) => self.inlines(&mut h.inlines, false, diagnostics),
                Block::Paragraph(p) => self.inlines(&mut p.inlines, true, diagnostics),
                Block::Note(inlines) => self.inlines(inlines, true, diagnostics),
                Block::List(list) => {
                    for item in &mut list.items {
                        self.blocks(&mut item.blocks, diagnostics);
                    }
                }
                Block::Quote(b) | Block::Callout(_, b) | Block::Directed { blocks: b, .. } => {
                    self.blocks(b, diagnostics)
                }
                // What only some formats show: an acronym first used there is expanded
                // again at its next use, which the other formats may show first.
                Block::ForFormats { formats, blocks } => {
                    let seen = self.acronyms_seen.clone();
                    let narrowed = super::narrow(self.formats.as_deref(), formats);
                    let outer = self.formats.replace(narrowed);
                    self.blocks(blocks, diagnostics);
                    self.formats = outer;
                    self.acronyms_seen = seen;
                }
                // A part of the reviewer's copy that some packs only hold: likewise, an
                // acronym first used there is expanded again where the other packs first
                // meet it.
                Block::Labelled { blocks, .. } => {
                    let seen = self.acronyms_seen.clone();
                    self.blocks(blocks, diagnostics);
                    self.acronyms_seen = seen;
                }
                Block::Local { file, blocks, .. } => {
                    let outer = std::mem::replace(&mut self.file, file.clone());
                    // In the reviewer's copy, an area's local text reads with its area's values.
                    let area_scope = self.review.and_then(|scopes| {
                        scopes.iter().find(|s| {
                            s.area
                                .is_some_and(|a| a.sections.iter().any(|l| &l.file == file))
                        })
                    });
                    let outer_scope = match area_scope {
                        Some(scope) => Some(std::mem::replace(&mut self.scope, scope)),
                        None => None,
                    };
                    self.blocks(blocks, diagnostics);
                    self.file = outer;
                    if let Some(scope) = outer_scope {
                        self.scope = scope;
                    }
                }
                Block::Table(t) => {
                    self.inlines(&mut t.caption, false, diagnostics);
                    // Header cells (a column's, and a row's first cell when it heads the row)
                    // are labels: never expanded.
                    for cell in &mut t.head {
                        self.inlines(cell, false, diagnostics);
                    }
                    for row in &mut t.rows {
                        for (i, cell) in row.iter_mut().enumerate() {
                            let heads_row = i == 0 && t.row_headers;
                            self.inlines(cell, !heads_row, diagnostics);
                        }
                    }
                }
                Block::Definitions(defs) => {
                    for d in defs {
                        self.inlines(&mut d.term, false, diagnostics);
                        self.blocks(&mut d.blocks, diagnostics);
                    }
                }
                Block::Entry(e) => {
                    self.inlines(&mut e.title, false, diagnostics);
                    self.blocks(&mut e.blocks, diagnostics);
                }
                Block::Diagram(d) => {
                    self.inlines(&mut d.caption, false, diagnostics);
                    self.blocks(&mut d.text, diagnostics);
                }
                Block::Code { .. } | Block::Rule => {}
            }
        }
    }

    /// Whether a variable has different values in different packs of the text being resolved:
    /// the audience's, and an area's in national text.
    fn varies(&self, name: &str) -> bool {
        name.starts_with("audience.") || (name.starts_with("area.") && self.scope.area.is_none())
    }

    /// Resolves variables in a plain text (a chapter title).
    pub(super) fn text(&mut self, text: &str, diagnostics: &mut Diagnostics) -> String {
        if !text.contains("{{") {
            return text.to_string();
        }
        let mut out = String::new();
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            out.push_str(&rest[..open]);
            let after = &rest[open + 2..];
            let Some(close) = after.find("}}") else { break };
            let name = after[..close].trim();
            out.push_str(&self.variable(name, Pos::new(2, 1), diagnostics));
            rest = &after[close + 2..];
        }
        out.push_str(rest);
        out
    }

    fn variable(&mut self, name: &str, pos: Pos, diagnostics: &mut Diagnostics) -> String {
        match self.scope.lookup(name) {
            Ok(value) => value,
            Err(VarError::Unknown { suggestion }) => {
                let mut d =
                    Diagnostic::error(format!("unknown variable `{name}`")).at(&self.file, pos);
                d = match suggestion {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help("variables are pack.title, pack.version, pack.date, pack.publisher, audience.name, area.name and area.<key> for keys under [vars]"),
                };
                diagnostics.push(d);
                format!("{{{{ {name} }}}}")
            }
            Err(VarError::Undefined) => {
                let key = name.strip_prefix("area.").unwrap_or(name);
                let (place, help) = match self.scope.area {
                    Some(area) if matches!(key, "id" | "name") => {
                        (format!("area {}", area.id), String::new())
                    }
                    Some(area) => (
                        format!("area `{}` ({})", area.id, area.name),
                        format!(
                            "define `{key}` under [vars] in {} or in guidepack.toml",
                            area.file
                        ),
                    ),
                    None if matches!(key, "id" | "name") => (
                        "the national pack".to_string(),
                        format!(
                            "`{name}` exists only in area packs: put this text in an area's local section"
                        ),
                    ),
                    None => (
                        "the national pack".to_string(),
                        format!("define `{key}` under [vars] in guidepack.toml"),
                    ),
                };
                let mut d =
                    Diagnostic::error(format!("variable `{name}` is not defined for {place}"))
                        .at(&self.file, pos);
                if !help.is_empty() {
                    d = d.help(help);
                }
                diagnostics.push(d);
                String::new()
            }
        }
    }

    fn inlines(&mut self, inlines: &mut Vec<Inline>, expand: bool, diagnostics: &mut Diagnostics) {
        let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
        for mut inline in inlines.drain(..) {
            match &mut inline {
                Inline::Var { name, pos } => {
                    let value = self.variable(name, *pos, diagnostics);
                    if self.review.is_some() && self.varies(name) {
                        // The reviewer's copy shows where packs differ, not one pack's value.
                        out.push(Inline::Code(format!("{{{{ {name} }}}}")));
                    } else {
                        push_text(&mut out, value);
                    }
                    continue;
                }
                Inline::Text(_) => {
                    if let Inline::Text(text) = inline {
                        push_text(&mut out, text);
                    }
                    continue;
                }
                Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Inserted(c) => {
                    self.inlines(c, expand, diagnostics)
                }
                Inline::Link(link) => {
                    if !link.dest_parts.is_empty() {
                        let parts = std::mem::take(&mut link.dest_parts);
                        link.target = self.destination(&parts, link.pos, diagnostics);
                    }
                    self.inlines(&mut link.title, false, diagnostics);
                    self.link(&mut link.target, link.pos, diagnostics);
                    // Link text is never expanded: it names what it links to.
                    self.inlines(&mut link.children, false, diagnostics);
                }
                Inline::Image(image) => match join_relative(&self.file, &image.src) {
                    Some(path) => image.src = path,
                    None => {
                        // Not a file of the project (`check` reports it): no renderer may get
                        // an address such as `data:` or `https:` as an image, so its alt text
                        // stands in its place.
                        let alt = std::mem::take(&mut image.alt);
                        push_text(&mut out, alt);
                        continue;
                    }
                },
                Inline::FootnoteRef { label, number, .. }
                    if self.definitions.contains_key(label.as_str()) =>
                {
                    let next = self.footnote_numbers.len() as u32 + 1;
                    *number = *self
                        .footnote_numbers
                        .entry(label.clone())
                        .or_insert_with(|| {
                            self.footnote_order.push(label.clone());
                            next
                        });
                }
                _ => {}
            }
            out.push(inline);
        }
        if expand {
            out = acronyms::expand(
                out,
                &self.resolver.project.glossary.entries,
                self.names,
                &mut self.acronyms_seen,
            );
        }
        *inlines = out;
    }

    /// A link's address with its variables' values put in, escaped for the address; an
    /// address that the link rule refuses is an error here (where the values are known), and
    /// not a link.
    fn destination(&mut self, parts: &[Inline], pos: Pos, diagnostics: &mut Diagnostics) -> Target {
        let errors = diagnostics.error_count();
        let mut dest = String::new();
        let mut names = Vec::new();
        for part in parts {
            match part {
                Inline::Text(text) => dest.push_str(text),
                Inline::Var { name, pos } => {
                    let value = self.variable(name, *pos, diagnostics);
                    let place = if dest.is_empty() {
                        ValueIn::Address
                    } else {
                        ValueIn::Part {
                            mail: dest
                                .trim_start()
                                .to_ascii_lowercase()
                                .starts_with("mailto:"),
                        }
                    };
                    dest.push_str(&escape_value(&value, place));
                    names.push(format!("`{{{{ {name} }}}}`"));
                }
                _ => {}
            }
        }
        if diagnostics.error_count() > errors {
            return Target::External(String::new());
        }
        if let LinkKind::Refused(why) = classify(&dest) {
            let (message, help) = explain(&dest, &why);
            diagnostics.push(Diagnostic::error(message).at(&self.file, pos).help(format!(
                "the address is made with {} in {}: {help}",
                names.join(" and "),
                self.pack_label
            )));
            return Target::External(String::new());
        }
        Target::Written(dest)
    }

    /// The formats that show the text being resolved but not the target `id`.
    fn missing_in(&self, id: &str) -> Vec<String> {
        let Some(shown) = self.shown_in.get(id) else {
            return Vec::new();
        };
        let here: Vec<String> = match &self.formats {
            Some(formats) => formats.clone(),
            None => (self.resolver.formats.iter())
                .map(|f| f.to_string())
                .collect(),
        };
        here.into_iter().filter(|f| !shown.contains(f)).collect()
    }

    fn link(&mut self, target: &mut Target, pos: Pos, diagnostics: &mut Diagnostics) {
        let Target::Written(dest) = target else {
            return;
        };
        let dest = dest.clone();
        let ids = self.resolver.ids;
        let framework = &self.resolver.project.framework;
        *target = match classify(&dest) {
            LinkKind::Fragment(id) => match ids.get(&id) {
                Some(_) if self.visible.contains(&id) && !self.missing_in(&id).is_empty() => {
                    let missing = self.missing_in(&id);
                    let upper = |list: &[String]| -> String {
                        let list: Vec<&str> =
                            list.iter().map(|f| self.resolver.format_label(f)).collect();
                        crate::diagnostic::and_list(&list)
                    };
                    let shown = upper(self.shown_in.get(&id).map_or(&[][..], |f| f.as_slice()));
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "the link target `#{id}` is in the {} only, but this link is also in the {}",
                            shown,
                            upper(&missing),
                        ))
                        .at(&self.file, pos)
                        .help("put the link in a part for the same formats (`::: format …`), or link to something every format shows"),
                    );
                    Target::External(String::new())
                }
                Some(found) if self.visible.contains(&id) => Target::Internal {
                    chapter: found.chapter.clone(),
                    anchor: (!found.is_chapter).then(|| id.to_string()),
                },
                Some(_) => {
                    diagnostics.push(
                        Diagnostic::error(format!("the link target `#{id}` is not in {}", self.pack_label))
                            .at(&self.file, pos)
                            .help("that section is filtered out of this pack by its audiences: link to something this audience sees, or put the link in an audience block"),
                    );
                    Target::External(String::new())
                }
                None => {
                    let known = ids.targets.keys().map(String::as_str);
                    let mut d =
                        Diagnostic::error(format!("the link target `#{id}` does not exist"))
                            .at(&self.file, pos);
                    d = match did_you_mean(&id, known) {
                        Some(close) => d.help(format!("did you mean `#{close}`?")),
                        None => d.help("link to a chapter id or a heading id; give a heading an id with `## Title {#some-id}`"),
                    };
                    diagnostics.push(d);
                    Target::External(String::new())
                }
            },
            LinkKind::Role(id) => {
                if framework.role(&id).is_none() {
                    let known = framework.roles.iter().map(|r| r.id.value.as_str());
                    let mut d =
                        Diagnostic::error(format!("there is no role `{id}`")).at(&self.file, pos);
                    d = match did_you_mean(&id, known) {
                        Some(close) => d.help(format!("did you mean `role:{close}`?")),
                        None => d.help(
                            "roles are defined as [[role]] tables in content/framework/*.toml",
                        ),
                    };
                    diagnostics.extend(framework.unknown_reference("role", &id, d));
                }
                Target::Internal {
                    chapter: "role-directory".to_string(),
                    anchor: Some(format!("role:{id}")),
                }
            }
            LinkKind::Statute(id) => match framework.statute(&id) {
                Some(statute) => match &statute.url {
                    // Checked when the data is read; never written if it is not safe.
                    Some(url) if is_safe_href(url) => Target::External(url.clone()),
                    Some(_) => Target::External(String::new()),
                    None => {
                        diagnostics.push(
                            Diagnostic::error(format!("statute `{id}` has no `url` to link to"))
                                .at(&self.file, pos)
                                .help(format!(
                                    "add `url = \"…\"` to the statute in {}",
                                    statute.id.file
                                )),
                        );
                        Target::External(String::new())
                    }
                },
                None => {
                    let known = framework.statutes.iter().map(|s| s.id.value.as_str());
                    let mut d = Diagnostic::error(format!("there is no statute `{id}`"))
                        .at(&self.file, pos);
                    if let Some(close) = did_you_mean(&id, known) {
                        d = d.help(format!("did you mean `statute:{close}`?"));
                    }
                    diagnostics.extend(framework.unknown_reference("statute", &id, d));
                    Target::External(String::new())
                }
            },
            LinkKind::Web | LinkKind::Mail | LinkKind::Phone => Target::External(normalise(&dest)),
            // Reported by `check` wherever it is written; the text stays, the link goes.
            LinkKind::Refused(_) => Target::External(String::new()),
            LinkKind::Relative => {
                diagnostics.push(
                Diagnostic::warning(format!(
                    "the link `{dest}` is kept as written and may not work in the published pack"
                ))
                .at(&self.file, pos)
                .help("link to `#id` for a part of the pack, to a full `https://` address, or to `mailto:` an email address"),
            );
                Target::Relative(dest)
            }
        };
    }

    /// The chapter's footnotes in order of first reference, resolved like the text.
    pub(super) fn footnotes(&mut self, diagnostics: &mut Diagnostics) -> Vec<(u32, Vec<Block>)> {
        let mut out = Vec::new();
        // A footnote may itself refer to another, which then gets the next number: go on
        // until every number has its text.
        let mut next = 0;
        while let Some(label) = self.footnote_order.get(next).cloned() {
            next += 1;
            let mut blocks = self.definitions.get(&label).cloned().unwrap_or_default();
            self.blocks(&mut blocks, diagnostics);
            out.push((next as u32, blocks));
        }
        out
    }
}

fn push_text(out: &mut Vec<Inline>, text: String) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Inline::Text(prev)) => prev.push_str(&text),
        _ => out.push(Inline::Text(text)),
    }
}
