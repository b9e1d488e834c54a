//! Check: every validation of the project model that does not depend on one pack (framework
//! references and cycles, audience ids, directives, images, footnotes, acronyms, areas).
//! What depends on a pack (variables, filtered links) is found while resolving each pack.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Pos, did_you_mean};
use crate::doc::{Block, Inline, is_valid_id};
use crate::model::{Chapter, Located, Node, Placement, Project};
use crate::parse::malformed_id;
use crate::resolve::{IdIndex, directives_request, for_each_heading, section_audiences};
use crate::sources::{SourceSet, join_relative};

/// Runs every project-level check.
pub fn check_project(
    project: &Project,
    ids: &IdIndex,
    sources: &SourceSet,
    diagnostics: &mut Diagnostics,
) {
    check_framework(project, diagnostics);
    let audiences = project.config.audience_ids();
    let all_chapters = project
        .chapters
        .iter()
        .chain(project.areas.iter().flat_map(|a| a.sections.iter()));
    let mut unknown_acronyms: BTreeMap<String, (String, Pos)> = BTreeMap::new();
    for chapter in all_chapters {
        let cx = ChapterCheck {
            project,
            chapter,
            sources,
            audiences: &audiences,
        };
        cx.run(diagnostics, &mut unknown_acronyms);
    }
    for (word, (file, pos)) in unknown_acronyms {
        diagnostics.push(
            Diagnostic::warning(format!("`{word}` looks like an acronym, but the glossary does not explain it"))
                .at(&file, pos)
                .help(format!("add `{word} = \"…\"` to content/glossary.toml, so that readers see what it stands for")),
        );
    }
    check_areas(project, ids, diagnostics);
    crate::check_links::check_link_targets(project, diagnostics);
    crate::svg::check_svg_files(sources, diagnostics);
    diagnostics.extend(crate::render::site::check_templates(sources));
}

fn unknown_audience(id: &Located<String>, audiences: &[&str]) -> Diagnostic {
    let d = Diagnostic::error(format!("there is no audience `{}`", id.value)).at(&id.file, id.pos);
    match did_you_mean(&id.value, audiences.iter().copied()) {
        Some(close) => d.help(format!("did you mean `{close}`?")),
        None => d.help(format!(
            "the audiences in guidepack.toml are {}",
            audiences.join(", ")
        )),
    }
}

fn check_framework(project: &Project, diagnostics: &mut Diagnostics) {
    let fw = &project.framework;
    let audiences = project.config.audience_ids();
    let ids = |kind: &str, list: Vec<&Located<String>>, diagnostics: &mut Diagnostics| {
        let mut seen: BTreeMap<&str, &Located<String>> = BTreeMap::new();
        for id in list {
            if !is_valid_id(&id.value) {
                diagnostics.push(malformed_id(kind, &id.value).at(&id.file, id.pos));
            }
            if let Some(first) = seen.insert(&id.value, id) {
                diagnostics.push(
                    Diagnostic::error(format!("{kind} `{}` is defined twice", id.value))
                        .at(&id.file, id.pos)
                        .help(format!(
                            "it is first defined at {}:{}:{}; remove one or give it another id",
                            first.file, first.pos.line, first.pos.col
                        )),
                );
            }
        }
    };
    ids(
        "role",
        fw.roles.iter().map(|r| &r.id).collect(),
        diagnostics,
    );
    ids(
        "duty",
        fw.duties.iter().map(|d| &d.id).collect(),
        diagnostics,
    );
    ids(
        "statute",
        fw.statutes.iter().map(|s| &s.id).collect(),
        diagnostics,
    );

    let role_ids: Vec<&str> = fw.roles.iter().map(|r| r.id.value.as_str()).collect();
    let statute_ids: Vec<&str> = fw.statutes.iter().map(|s| s.id.value.as_str()).collect();
    let reference = |kind: &str,
                     id: &Located<String>,
                     known: &[&str],
                     diagnostics: &mut Diagnostics| {
        if !known.contains(&id.value.as_str()) {
            let d = Diagnostic::error(format!("there is no {kind} `{}`", id.value))
                .at(&id.file, id.pos);
            diagnostics.push(match did_you_mean(&id.value, known.iter().copied()) {
                Some(close) => d.help(format!("did you mean `{close}`?")),
                None => d.help(format!("define a [[{kind}]] with this id in content/framework/, or correct the reference")),
            });
        }
    };
    for role in &fw.roles {
        for to in &role.accountable_to {
            reference("role", to, &role_ids, diagnostics);
        }
        for a in &role.audiences {
            if !audiences.contains(&a.value.as_str()) {
                diagnostics.push(unknown_audience(a, &audiences));
            }
        }
    }
    for duty in &fw.duties {
        reference("role", &duty.role, &role_ids, diagnostics);
        for basis in &duty.basis {
            reference("statute", basis, &statute_ids, diagnostics);
        }
        for a in &duty.audiences {
            if !audiences.contains(&a.value.as_str()) {
                diagnostics.push(unknown_audience(a, &audiences));
            }
        }
    }
    check_cycles(project, diagnostics);
}

/// No role may be accountable to itself, directly or through others.
fn check_cycles(project: &Project, diagnostics: &mut Diagnostics) {
    let graph: BTreeMap<&str, Vec<&Located<String>>> = project
        .framework
        .roles
        .iter()
        .map(|r| (r.id.value.as_str(), r.accountable_to.iter().collect()))
        .collect();
    let mut reported: BTreeSet<Vec<String>> = BTreeSet::new();
    for start in graph.keys() {
        // Depth-first search for a path back to `start`.
        let mut stack: Vec<(&str, Vec<&str>)> = vec![(start, vec![start])];
        let mut visited = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(node).into_iter().flatten() {
                let next_id = next.value.as_str();
                if next_id == *start {
                    let mut cycle: Vec<String> = path.iter().map(|s| s.to_string()).collect();
                    let mut key = cycle.clone();
                    key.sort();
                    if reported.insert(key) {
                        cycle.push(start.to_string());
                        diagnostics.push(
                            Diagnostic::error(format!("accountability goes round in a circle: {}", cycle.join(" → ")))
                                .at(&next.file, next.pos)
                                .help("a role cannot be accountable to itself, directly or through others: remove one link of the circle from `accountable_to`"),
                        );
                    }
                } else if visited.insert(next_id) {
                    let mut p = path.clone();
                    p.push(next_id);
                    stack.push((next_id, p));
                }
            }
        }
    }
}

struct ChapterCheck<'a> {
    project: &'a Project,
    chapter: &'a Chapter,
    sources: &'a SourceSet,
    audiences: &'a [&'a str],
}

impl ChapterCheck<'_> {
    fn run(&self, diagnostics: &mut Diagnostics, acronyms: &mut BTreeMap<String, (String, Pos)>) {
        let file = &self.chapter.file;
        for a in self.chapter.meta.audiences.iter().flatten() {
            if !self.audiences.contains(&a.value.as_str()) {
                diagnostics.push(unknown_audience(a, self.audiences));
            }
        }
        self.nodes(&self.chapter.nodes, diagnostics, acronyms);
        let mut previous = 1u8;
        for_each_heading(&self.chapter.nodes, &mut |block| {
            let Block::Heading(h) = block else { return };
            if crate::doc::plain_text(&h.inlines).trim().is_empty() {
                diagnostics.push(
                    Diagnostic::warning("this heading has no text; it is left out of the PDF")
                        .at(file, h.pos)
                        .help("write the heading's words after the `#` marks, or remove the line"),
                );
            }
            if h.level == 1 {
                diagnostics.push(
                    Diagnostic::warning("a chapter body should not have a level-1 heading: the chapter title is the level-1 heading")
                        .at(file, h.pos)
                        .help("start the chapter's sections at `##`"),
                );
            } else if h.level > previous + 1 {
                diagnostics.push(
                    Diagnostic::warning(format!(
                        "this heading skips from level {previous} to level {}",
                        h.level
                    ))
                    .at(file, h.pos)
                    .help(format!(
                        "use {} so that screen-reader users can follow the structure",
                        "#".repeat(previous as usize + 1)
                    )),
                );
            }
            previous = h.level.max(2);
            if let Some((_, list)) = section_audiences(h) {
                let line = h.pos;
                for id in list {
                    if !self.audiences.contains(&id) {
                        let located = Located {
                            value: id.to_string(),
                            file: file.clone(),
                            pos: line,
                        };
                        diagnostics.push(unknown_audience(&located, self.audiences));
                    }
                }
            }
        });
        let mut defined: BTreeSet<&str> = BTreeSet::new();
        for (label, blocks) in &self.chapter.footnotes {
            defined.insert(label);
            self.blocks(blocks, diagnostics, acronyms);
        }
        self.footnote_refs(&self.chapter.nodes, &defined, diagnostics);
    }

    fn nodes(
        &self,
        nodes: &[Node],
        diagnostics: &mut Diagnostics,
        acronyms: &mut BTreeMap<String, (String, Pos)>,
    ) {
        for node in nodes {
            match node {
                Node::Block(block) => {
                    self.blocks(std::slice::from_ref(block), diagnostics, acronyms)
                }
                Node::Audience {
                    filter, children, ..
                } => {
                    for id in &filter.ids {
                        if !self.audiences.contains(&id.value.as_str()) {
                            diagnostics.push(unknown_audience(id, self.audiences));
                        }
                    }
                    self.nodes(children, diagnostics, acronyms);
                }
                Node::Directive(d) => self.directive(d, diagnostics),
            }
        }
    }

    fn directive(&self, d: &crate::model::Directive, diagnostics: &mut Diagnostics) {
        use crate::resolve::{DirectiveRequest, DutyFilter};
        match directives_request(d) {
            Err(message) => {
                let known = [
                    "duties", "roles", "role", "glossary", "contacts", "audience",
                ];
                let mut diag = Diagnostic::error(message).at(&d.file, d.pos);
                diag = match did_you_mean(&d.name, known) {
                    Some(close) if close != d.name => diag.help(format!("did you mean `::: {close}`?")),
                    _ => diag.help("the directives are `::: duties`, `::: duties all`, `::: duties role=<id>`, `::: roles`, `::: role <id>`, `::: glossary` and `::: contacts`; for an audience block write `::: audience <ids>`"),
                };
                diagnostics.push(diag);
            }
            Ok(DirectiveRequest::Role(id) | DirectiveRequest::Duties(DutyFilter::Role(id))) => {
                if self.project.framework.role(id).is_none() {
                    let known = self
                        .project
                        .framework
                        .roles
                        .iter()
                        .map(|r| r.id.value.as_str());
                    let mut diag =
                        Diagnostic::error(format!("there is no role `{id}`")).at(&d.file, d.pos);
                    if let Some(close) = did_you_mean(id, known) {
                        diag = diag.help(format!("did you mean `{close}`?"));
                    }
                    diagnostics.push(diag);
                }
            }
            Ok(_) => {}
        }
    }

    fn blocks(
        &self,
        blocks: &[Block],
        diagnostics: &mut Diagnostics,
        acronyms: &mut BTreeMap<String, (String, Pos)>,
    ) {
        let mut blocks = blocks.to_vec();
        crate::doc::visit_inlines_mut(&mut blocks, &mut |inlines| {
            self.inlines(inlines, diagnostics, acronyms)
        });
    }

    fn inlines(
        &self,
        inlines: &[Inline],
        diagnostics: &mut Diagnostics,
        acronyms: &mut BTreeMap<String, (String, Pos)>,
    ) {
        for inline in inlines {
            match inline {
                Inline::Image(image) => self.image(image, diagnostics),
                Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Inserted(c) => {
                    self.inlines(c, diagnostics, acronyms)
                }
                Inline::Link(l) => self.inlines(&l.children, diagnostics, acronyms),
                Inline::Text(text) => {
                    if let Some(label) = undefined_footnote(text) {
                        diagnostics.push(
                            Diagnostic::error(format!(
                                "the footnote `[^{label}]` is never defined"
                            ))
                            .at(&self.chapter.file, self.locate_word(&format!("[^{label}]")))
                            .help(format!("add a line `[^{label}]: the note` to this chapter")),
                        );
                    }
                    for (_, word) in crate::resolve::words(text) {
                        let key = word
                            .strip_suffix('s')
                            .filter(|w| crate::resolve::is_acronym(w))
                            .unwrap_or(word);
                        if crate::resolve::is_acronym(key)
                            && !self.project.glossary.entries.contains_key(key)
                            && !acronyms.contains_key(key)
                        {
                            let pos = self.locate_word(key);
                            acronyms.insert(key.to_string(), (self.chapter.file.clone(), pos));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The first place a word stands alone in the chapter file.
    fn locate_word(&self, word: &str) -> Pos {
        let Some(text) = self.sources.text(&self.chapter.file) else {
            return Pos::new(1, 1);
        };
        let bytes = text.as_bytes();
        for (at, _) in text.match_indices(word) {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(at + word.len());
            let boundary = |b: Option<&u8>| b.is_none_or(|b| !b.is_ascii_alphanumeric());
            let wordlike = word.starts_with(|c: char| c.is_ascii_alphanumeric());
            if !wordlike || (boundary(before.as_ref()) && boundary(after.filter(|b| **b != b's'))) {
                return LineIndex::new(text).pos(at);
            }
        }
        Pos::new(1, 1)
    }

    fn image(&self, image: &crate::doc::Image, diagnostics: &mut Diagnostics) {
        let file = &self.chapter.file;
        if image.alt.trim().is_empty() {
            diagnostics.push(
                Diagnostic::error(format!("the image `{}` has no alt text", image.src))
                    .at(file, image.pos)
                    .help("describe the image between the brackets, `![What the image shows](…)`: the PDF is tagged for screen readers and alt text is required"),
            );
        }
        match crate::links::classify(&image.src) {
            crate::links::LinkKind::Relative => {}
            crate::links::LinkKind::Web => {
                diagnostics.push(
                    Diagnostic::error(format!("the image `{}` is on the web", image.src))
                        .at(file, image.pos)
                        .help("save the image under content/assets/ and refer to it by its path: a pack must work offline"),
                );
                return;
            }
            _ => {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "the image `{}` is not a file in the project",
                        crate::links::shorten(&image.src)
                    ))
                    .at(file, image.pos)
                    .help("an image is a file under content/, written as its path from this Markdown file, like `assets/diagram.png`"),
                );
                return;
            }
        }
        match join_relative(file, &image.src) {
            None => diagnostics.push(
                Diagnostic::error(format!("the image `{}` is outside the project", image.src))
                    .at(file, image.pos)
                    .help("images must be inside the project folder; copy it to content/assets/"),
            ),
            Some(path) if !self.sources.contains(&path) => diagnostics.push(
                Diagnostic::error(format!("the image `{}` does not exist", image.src))
                    .at(file, image.pos)
                    .help(format!(
                        "looked for {path}: paths are relative to the Markdown file"
                    )),
            ),
            Some(_) => {}
        }
    }

    fn footnote_refs(
        &self,
        nodes: &[Node],
        defined: &BTreeSet<&str>,
        diagnostics: &mut Diagnostics,
    ) {
        let mut blocks: Vec<Block> = Vec::new();
        collect_blocks(nodes, &mut blocks);
        crate::doc::visit_inlines_mut(&mut blocks, &mut |inlines| {
            for_each_inline(inlines, &mut |inline| {
                if let Inline::FootnoteRef { label, pos, .. } = inline
                    && !defined.contains(label.as_str())
                {
                    diagnostics.push(
                        Diagnostic::error(format!("the footnote `[^{label}]` is never defined"))
                            .at(&self.chapter.file, *pos)
                            .help(format!("add a line `[^{label}]: the note` to this chapter")),
                    );
                }
            });
        });
    }
}

/// A `[^label]` left as text: Markdown shows a footnote reference as text when its
/// definition is missing.
fn undefined_footnote(text: &str) -> Option<&str> {
    let start = text.find("[^")? + 2;
    let len = text[start..].find(']')?;
    let label = &text[start..start + len];
    (!label.is_empty() && !label.contains(char::is_whitespace)).then_some(label)
}

fn collect_blocks(nodes: &[Node], out: &mut Vec<Block>) {
    for node in nodes {
        match node {
            Node::Block(b) => out.push(b.clone()),
            Node::Audience { children, .. } => collect_blocks(children, out),
            Node::Directive(_) => {}
        }
    }
}

fn for_each_inline(inlines: &[Inline], f: &mut dyn FnMut(&Inline)) {
    for inline in inlines {
        f(inline);
        match inline {
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Inserted(c) => {
                for_each_inline(c, f)
            }
            Inline::Link(l) => for_each_inline(&l.children, f),
            _ => {}
        }
    }
}

fn check_areas(project: &Project, ids: &IdIndex, diagnostics: &mut Diagnostics) {
    let role_ids: Vec<&str> = project
        .framework
        .roles
        .iter()
        .map(|r| r.id.value.as_str())
        .collect();
    let mut required: Vec<(String, String, Pos)> = Vec::new();
    for chapter in &project.chapters {
        for_each_heading(&chapter.nodes, &mut |block| {
            if let Block::Heading(h) = block
                && h.attr("local") == Some("required")
            {
                required.push((h.id.clone(), chapter.file.clone(), h.pos));
            }
        });
    }
    for area in &project.areas {
        for contact in &area.contacts {
            if let Some(role) = &contact.role
                && !role_ids.contains(&role.value.as_str())
            {
                let d = Diagnostic::error(format!("there is no role `{}`", role.value))
                    .at(&role.file, role.pos);
                diagnostics.push(match did_you_mean(&role.value, role_ids.iter().copied()) {
                    Some(close) => d.help(format!("did you mean `{close}`?")),
                    None => d,
                });
            }
        }
        let mut replaced = BTreeSet::new();
        for section in &area.sections {
            let Some(placement) = &section.meta.placement else {
                diagnostics.push(
                    Diagnostic::error(
                        "this local section does not say where it goes in the national text",
                    )
                    .at(&section.file, Pos::new(1, 1))
                    .help(
                        "add `replaces: <id>`, `after: <id>` or `before: <id>` to its front matter",
                    ),
                );
                continue;
            };
            let (Placement::Replaces(target)
            | Placement::After(target)
            | Placement::Before(target)) = placement;
            let national = ids
                .get(&target.value)
                .filter(|t| !t.file.starts_with("content/areas/"));
            if national.is_none() {
                let known = ids
                    .targets
                    .iter()
                    .filter(|(_, t)| !t.file.starts_with("content/areas/"))
                    .map(|(k, _)| k.as_str());
                let d = Diagnostic::error(format!(
                    "there is no chapter or heading `{}` in the national text",
                    target.value
                ))
                .at(&target.file, target.pos);
                diagnostics.push(match did_you_mean(&target.value, known) {
                    Some(close) => d.help(format!("did you mean `{close}`?")),
                    None => d.help(
                        "use the id of a national chapter or of a heading (`## Title {#id}`)",
                    ),
                });
            }
            if let Placement::Replaces(t) = placement {
                replaced.insert(t.value.clone());
            }
        }
        for (id, file, pos) in &required {
            if !replaced.contains(id) {
                diagnostics.push(
                    Diagnostic::error(format!("area `{}` ({}) has no local version of the section `{id}`, which every area must provide", area.id, area.name))
                        .at(file, *pos)
                        .help(format!("add a Markdown file to content/areas/{}/ with `replaces: {id}` in its front matter", area.id)),
                );
            }
        }
    }
}
