//! Check: every validation of the project model that does not depend on one pack (framework
//! references and cycles, audience ids, directives, images, footnotes, acronyms, areas).
//! What depends on a pack (variables, filtered links) is found while resolving each pack.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use crate::condition::Known;
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Pos, did_you_mean};
use crate::doc::{Block, Inline, is_valid_id};
use crate::model::{Chapter, Located, Node, Placement, Project};
use crate::parse::malformed_id;
use crate::resolve::{IdIndex, for_each_heading};
use crate::sources::{SourceSet, join_relative};

/// Runs every project-level check.
pub fn check_project(
    project: &Project,
    ids: &IdIndex,
    sources: &SourceSet,
    formats: &[&'static str],
    diagnostics: &mut Diagnostics,
) {
    let known = known(project, formats);
    check_framework(project, &known, diagnostics);
    let all_chapters = project.texts();
    let mut unknown_acronyms: BTreeMap<String, (String, Pos)> = BTreeMap::new();
    for chapter in all_chapters {
        let cx = ChapterCheck {
            project,
            chapter,
            sources,
            known: &known,
            words: OnceCell::new(),
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
    diagnostics.extend(crate::render::trial::check_templates(sources));
    diagnostics.extend(crate::render::pdf::check_templates(sources));
}

/// What conditions may name in this project: its audiences, areas, areas' tags and formats.
pub fn known<'p>(project: &'p Project, formats: &[&'static str]) -> Known<'p> {
    let mut tags: Vec<&str> = (project.areas.iter())
        .flat_map(|a| a.tags.iter().map(|t| t.value.as_str()))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    Known {
        audiences: project.config.audience_ids(),
        areas: project.areas.iter().map(|a| a.id.as_str()).collect(),
        tags,
        formats: formats.to_vec(),
    }
}

fn check_framework(project: &Project, known: &Known, diagnostics: &mut Diagnostics) {
    let fw = &project.framework;
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
    // `exists` comes from the framework's index (a search of `known` for every reference would
    // make thousands of roles and duties cost their product), and a suggestion is looked for
    // once per wrong id, however often it is repeated.
    let mut suggestions: HashMap<(String, String), Option<String>> = HashMap::new();
    let mut reference = |kind: &str,
                         id: &Located<String>,
                         exists: bool,
                         known: &[&str],
                         diagnostics: &mut Diagnostics| {
        if !exists {
            let d = Diagnostic::error(format!("there is no {kind} `{}`", id.value))
                .at(&id.file, id.pos);
            let suggestion = suggestions
                .entry((kind.to_string(), id.value.clone()))
                .or_insert_with(|| {
                    did_you_mean(&id.value, known.iter().copied()).map(str::to_string)
                });
            let d = match suggestion {
                Some(close) => d.help(format!("did you mean `{close}`?")),
                None => d.help(format!("define a [[{kind}]] with this id in content/framework/, or correct the reference")),
            };
            diagnostics.extend(fw.unknown_reference(kind, &id.value, d));
        }
    };
    for role in &fw.roles {
        for to in &role.accountable_to {
            reference(
                "role",
                to,
                fw.role(&to.value).is_some(),
                &role_ids,
                diagnostics,
            );
        }
        role.condition.validate(known, diagnostics);
    }
    for duty in &fw.duties {
        reference(
            "role",
            &duty.role,
            fw.role(&duty.role.value).is_some(),
            &role_ids,
            diagnostics,
        );
        for basis in &duty.basis {
            reference(
                "statute",
                basis,
                fw.statute(&basis.value).is_some(),
                &statute_ids,
                diagnostics,
            );
        }
        duty.condition.validate(known, diagnostics);
    }
    check_cycles(project, diagnostics);
}

/// No role may be accountable to itself, directly or through others. Each group of roles that
/// reach one another (a strongly connected component) is one circle to report, shown as the
/// shortest way round from its first role; linear in the roles and their links.
fn check_cycles(project: &Project, diagnostics: &mut Diagnostics) {
    let graph: BTreeMap<&str, Vec<&Located<String>>> = project
        .framework
        .roles
        .iter()
        .map(|r| (r.id.value.as_str(), r.accountable_to.iter().collect()))
        .collect();
    let ids: Vec<&str> = graph.keys().copied().collect();
    let number: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let edges: Vec<Vec<(usize, &Located<String>)>> = graph
        .values()
        .map(|to| {
            to.iter()
                .filter_map(|t| number.get(t.value.as_str()).map(|&j| (j, *t)))
                .collect()
        })
        .collect();
    for component in strongly_connected(&edges) {
        let Some(&start) = component.iter().min() else {
            continue;
        };
        let inside: HashSet<usize> = component.iter().copied().collect();
        // The shortest way from `start` back to itself inside the component.
        let mut came_from: HashMap<usize, usize> = HashMap::new();
        let mut queue = VecDeque::from([start]);
        let mut closing = None;
        'search: while let Some(node) = queue.pop_front() {
            for &(next, link) in &edges[node] {
                if next == start {
                    closing = Some((node, link));
                    break 'search;
                }
                if inside.contains(&next) && !came_from.contains_key(&next) {
                    came_from.insert(next, node);
                    queue.push_back(next);
                }
            }
        }
        let Some((last, link)) = closing else {
            continue; // one role, not accountable to itself: no circle
        };
        let mut path = vec![last];
        while let Some(&before) = path.last().and_then(|n| came_from.get(n)) {
            path.push(before);
        }
        path.reverse();
        let mut cycle: Vec<&str> = path.iter().map(|&n| ids[n]).collect();
        cycle.push(ids[start]);
        diagnostics.push(
            Diagnostic::error(format!("accountability goes round in a circle: {}", cycle.join(" → ")))
                .at(&link.file, link.pos)
                .help("a role cannot be accountable to itself, directly or through others: remove one link of the circle from `accountable_to`"),
        );
    }
}

/// The strongly connected components of a graph given as lists of edges (Tarjan's algorithm,
/// without recursion: a chain of thousands of roles must not exhaust the stack).
fn strongly_connected<T>(edges: &[Vec<(usize, T)>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low, mut on_stack) = (vec![UNSEEN; n], vec![0; n], vec![false; n]);
    let (mut stack, mut components, mut counter) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        index[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        // Each frame: a node and the position of its next edge to follow.
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(top) = work.last_mut() {
            let node = top.0;
            if let Some((next, _)) = edges[node].get(top.1) {
                let next = *next;
                top.1 += 1;
                if index[next] == UNSEEN {
                    index[next] = counter;
                    low[next] = counter;
                    counter += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(parent) = work.last() {
                low[parent.0] = low[parent.0].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

struct ChapterCheck<'a> {
    project: &'a Project,
    chapter: &'a Chapter,
    sources: &'a SourceSet,
    /// What conditions may name.
    known: &'a Known<'a>,
    /// The chapter file's line index and where each word first stands, made when first needed
    /// (made again for each word looked up, they would cost the file's length each time).
    words: OnceCell<Option<FileWords<'a>>>,
}

/// A source file's line index, and the byte offset of the first use of each of its words.
struct FileWords<'a> {
    text: &'a str,
    index: LineIndex<'a>,
    first: HashMap<&'a str, usize>,
}

impl ChapterCheck<'_> {
    fn run(&self, diagnostics: &mut Diagnostics, acronyms: &mut BTreeMap<String, (String, Pos)>) {
        let file = &self.chapter.file;
        self.chapter
            .meta
            .condition
            .validate(self.known, diagnostics);
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
            h.condition.validate(self.known, diagnostics);
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
                Node::Conditional {
                    condition,
                    children,
                    ..
                } => {
                    condition.validate(self.known, diagnostics);
                    self.nodes(children, diagnostics, acronyms);
                }
                Node::Directive(d) => self.directive(d, diagnostics),
            }
        }
    }

    /// A directive is understood when its chapter is read; a role it names must exist.
    fn directive(&self, d: &crate::model::Directive, diagnostics: &mut Diagnostics) {
        let Some(id) = d.kind.role() else {
            return;
        };
        if self.project.framework.role(id).is_none() {
            let known = self
                .project
                .framework
                .roles
                .iter()
                .map(|r| r.id.value.as_str());
            let mut diag = Diagnostic::error(format!("there is no role `{id}`")).at(&d.file, d.pos);
            if let Some(close) = did_you_mean(id, known) {
                diag = diag.help(format!("did you mean `{close}`?"));
            }
            let framework = &self.project.framework;
            diagnostics.extend(framework.unknown_reference("role", id, diag));
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
                            && !self.project.glossary.may_explain(key)
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

    /// The first place a word stands alone in the chapter file (also in its plural, `CCGs`).
    fn locate_word(&self, word: &str) -> Pos {
        let found = self.words.get_or_init(|| {
            let text = self.sources.text(&self.chapter.file)?;
            let mut first = HashMap::new();
            for (at, w) in crate::resolve::words(text) {
                first.entry(w).or_insert(at);
            }
            Some(FileWords {
                text,
                index: LineIndex::new(text),
                first,
            })
        });
        let Some(file) = found else {
            return Pos::new(1, 1);
        };
        let wordlike = word.starts_with(|c: char| c.is_ascii_alphanumeric());
        let known = [word.to_string(), format!("{word}s")]
            .iter()
            .filter_map(|w| file.first.get(w.as_str()).copied())
            .min();
        if let Some(at) = known.filter(|_| wordlike) {
            return file.index.pos(at);
        }
        // Not a whole word of the file as `words` splits it (a footnote label, a word joined
        // to other letters): search the text.
        let bytes = file.text.as_bytes();
        for (at, _) in file.text.match_indices(word) {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(at + word.len());
            let boundary = |b: Option<&u8>| b.is_none_or(|b| !b.is_ascii_alphanumeric());
            if !wordlike || (boundary(before.as_ref()) && boundary(after.filter(|b| **b != b's'))) {
                return file.index.pos(at);
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
            Node::Conditional { children, .. } => collect_blocks(children, out),
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
    let required = required_local_sections(project);
    for area in &project.areas {
        for contact in &area.contacts {
            if let Some(role) = &contact.role
                && project.framework.role(&role.value).is_none()
            {
                let d = Diagnostic::error(format!("there is no role `{}`", role.value))
                    .at(&role.file, role.pos);
                let d = d.help(unknown_role_help(&role.value, &role_ids));
                let framework = &project.framework;
                diagnostics.extend(framework.unknown_reference("role", &role.value, d));
            }
        }
        let mut replaced: BTreeMap<&str, &Located<String>> = BTreeMap::new();
        let mut inserted: BTreeMap<&str, &Chapter> = BTreeMap::new();
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
            match placement {
                Placement::Replaces(t) => {
                    if let Some(first) = replaced.insert(&t.value, t) {
                        diagnostics.push(two_local_versions(&t.value, first, t));
                    }
                }
                Placement::After(_) | Placement::Before(_) => {
                    inserted_id_clash(section, ids, &mut inserted, diagnostics)
                }
            }
        }
        for section in &required {
            if !replaced.contains_key(section.id.as_str()) {
                let id = &section.id;
                diagnostics.push(
                    Diagnostic::error(format!("area `{}` ({}) has no local version of the section `{id}`, which every area must provide", area.id, area.name))
                        .at(&section.file, section.pos)
                        .help(format!(
                            "create content/areas/{}/{id}.md, starting like this:\n{}",
                            area.id,
                            indent(&section.template(&area.name))
                        )),
                );
            }
        }
    }
}

/// A national heading marked `local=required`: every area writes its own version.
pub struct RequiredSection {
    pub id: String,
    pub title: String,
    pub file: String,
    pub pos: Pos,
}

impl RequiredSection {
    /// The start of an area's file for this section: front matter that replaces it, with its
    /// heading, and a line to write over.
    pub fn template(&self, area_name: &str) -> String {
        let title = if self.title.contains([':', '#', '"', '\'']) || self.title.trim().is_empty() {
            format!(
                "\"{}\"",
                self.title.replace('\\', "\\\\").replace('"', "\\\"")
            )
        } else {
            self.title.clone()
        };
        format!(
            "---\ntitle: {title}\nreplaces: {}\n---\n\nHow this works in {area_name}: write it here.\n",
            self.id
        )
    }
}

/// The national headings marked `local=required`, in reading order.
pub fn required_local_sections(project: &Project) -> Vec<RequiredSection> {
    let mut required = Vec::new();
    for chapter in &project.chapters {
        for_each_heading(&chapter.nodes, &mut |block| {
            if let Block::Heading(h) = block
                && h.attr("local") == Some("required")
            {
                required.push(RequiredSection {
                    id: h.id.clone(),
                    title: crate::doc::plain_text(&h.inlines),
                    file: chapter.file.clone(),
                    pos: h.pos,
                });
            }
        });
    }
    required
}

/// Text set in by four spaces, for a help line.
fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The help for a contact's role that the framework does not define: the close one, and the
/// roles there are (the first twenty).
fn unknown_role_help(id: &str, role_ids: &[&str]) -> String {
    let mut sorted = role_ids.to_vec();
    sorted.sort_unstable();
    let shown: Vec<String> = sorted.iter().take(20).map(|r| format!("`{r}`")).collect();
    let more = sorted.len().saturating_sub(20);
    let list = match (shown.is_empty(), more) {
        (true, _) => return "the framework defines no roles yet: define a [[role]] in content/framework/, or leave `role` out".to_string(),
        (false, 0) => shown.join(", "),
        (false, n) => format!("{} and {n} more", shown.join(", ")),
    };
    match did_you_mean(id, role_ids.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? The roles are {list}"),
        None => format!("a contact's `role` is one of the framework's role ids: {list}"),
    }
}

/// Two local sections of one area that both replace the same national text: neither may win
/// silently.
fn two_local_versions(id: &str, first: &Located<String>, second: &Located<String>) -> Diagnostic {
    Diagnostic::error(format!(
        "two local sections of this area both replace `{id}`"
    ))
    .at(&second.file, second.pos)
    .help(format!(
        "the other is {}:{}:{}; merge them into one file, or point one of them at another id",
        first.file, first.pos.line, first.pos.col
    ))
}

/// A local section inserted beside national text becomes a page and an anchor of its own, so
/// its id may be neither a national id (it would replace that page) nor another local
/// section's of the same area.
fn inserted_id_clash<'p>(
    section: &'p Chapter,
    ids: &IdIndex,
    inserted: &mut BTreeMap<&'p str, &'p Chapter>,
    diagnostics: &mut Diagnostics,
) {
    let id = section.meta.id.as_str();
    let clash = match ids
        .get(id)
        .filter(|t| !t.file.starts_with("content/areas/"))
    {
        Some(national) => Some(format!(
            "it is the id of national text at {}:{}:{}",
            national.file, national.pos.line, national.pos.col
        )),
        None => inserted.get(id).map(|other| {
            format!(
                "another local section of this area, {}, has it too",
                other.file
            )
        }),
    };
    match clash {
        Some(why) => diagnostics.push(
            Diagnostic::error(format!(
                "this local section is added as a new page with the id `{id}`, which is taken"
            ))
            .at(
                &section.file,
                section.meta.id_pos.unwrap_or(section.meta.title_pos),
            )
            .help(format!(
                "{why}; give this section another `id:` in its front matter"
            )),
        ),
        None => {
            inserted.insert(id, section);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn components(edges: &[Vec<(usize, ())>]) -> Vec<Vec<usize>> {
        let mut found: Vec<Vec<usize>> = strongly_connected(edges)
            .into_iter()
            .map(|mut c| {
                c.sort();
                c
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn strongly_connected_components() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 → 0, 5 alone.
        let edges = vec![
            vec![(1, ())],
            vec![(2, ())],
            vec![(0, ())],
            vec![(3, ())],
            vec![(0, ())],
            vec![],
        ];
        assert_eq!(
            components(&edges),
            vec![vec![0, 1, 2], vec![3], vec![4], vec![5]]
        );
    }

    #[test]
    fn a_long_chain_needs_no_deep_stack() {
        let n = 200_000;
        let edges: Vec<Vec<(usize, ())>> = (0..n).map(|k| vec![((k + 1) % n, ())]).collect();
        assert_eq!(strongly_connected(&edges).len(), 1);
    }
}
