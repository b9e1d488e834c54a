//! A chapter file: front matter (YAML between `---` or TOML between `+++`) and a body of
//! Markdown, audience blocks and data directives.

use serde::Deserialize;

use super::block_attrs::{BodyPlace, find_block_attrs};
use super::fences::{Fence, find_fences, neutralise};
use super::markdown::parse_markdown;
use super::{empty_field, explain_serde_error, malformed_id};
use crate::condition::{Condition, Kind, Test, Written};
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Pos};
use crate::directives::{self, OtherFences};
use crate::doc::{Block, Direction, Inline, MAX_NESTING, is_valid_id};
use crate::model::{Chapter, ChapterMeta, Directive, Located, Node, Placement};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    id: Option<String>,
    order: Option<i64>,
    audiences: Option<Vec<String>>,
    areas: Option<Vec<String>>,
    formats: Option<Vec<String>>,
    language: Option<String>,
    summary: Option<String>,
    #[serde(default)]
    draft: bool,
    replaces: Option<String>,
    after: Option<String>,
    before: Option<String>,
}

/// Parses one chapter; `None` when its front matter is unusable (reported).
pub fn parse_chapter(file: &str, text: &str, diagnostics: &mut Diagnostics) -> Option<Chapter> {
    let index = LineIndex::new(text);
    let (front, front_start, body_start) = split_front_matter(file, text, diagnostics)?;
    let front_line = index.pos(front_start).line - 1;
    let parsed: FrontMatter = if text.starts_with("+++") {
        match toml::from_str(front) {
            Ok(v) => v,
            Err(err) => {
                let pos = err
                    .span()
                    .map_or(Pos::new(1, 1), |s| LineIndex::new(front).pos(s.start));
                let pos = Pos::new(pos.line + front_line, pos.col);
                diagnostics.push(explain_serde_error(err.message(), file, pos));
                return None;
            }
        }
    } else {
        match serde_saphyr::from_str(front) {
            Ok(v) => v,
            Err(err) => {
                let (line, col) = err
                    .location()
                    .map_or((1, 1), |l| (l.line() as u32, l.column() as u32));
                let message = match &err {
                    serde_saphyr::Error::Message { msg, .. } => msg.clone(),
                    other => other
                        .to_string()
                        .lines()
                        .next()
                        .unwrap_or("malformed front matter")
                        .to_string(),
                };
                let pos = Pos::new(line.max(1) + front_line, col.max(1));
                let mut d = match yaml_layout(&message, front, line) {
                    Some((what, help)) => Diagnostic::error(what).at(file, pos).help(format!(
                        "{help} (the reader said: mapping values are not allowed in this context)"
                    )),
                    None => explain_serde_error(&message, file, pos),
                };
                if d.help.is_none() {
                    d = d.help("front matter is YAML: one `key: value` per line, for example `title: Roles and responsibilities`");
                }
                diagnostics.push(d);
                return None;
            }
        }
    };
    let meta = chapter_meta(parsed, file, front, front_line, diagnostics);
    let body = &text[body_start..];
    let fences = find_fences(body);
    let place = BodyPlace {
        base: body_start,
        file,
        index: &index,
    };
    let attrs = find_block_attrs(body, &place, diagnostics);
    let lines: Vec<_> = (fences.iter().map(|f| f.range.clone()))
        .chain(attrs.iter().map(|a| a.range.clone()))
        .collect();
    let neutral = neutralise(body, &lines);
    // Fence lines are dropped; a `{dir=…}` line sets the direction of the block under it.
    let mut markers: Vec<(usize, Option<Direction>)> = (fences.iter())
        .map(|f| (f.range.start, None))
        .chain(attrs.iter().map(|a| (a.range.start, a.dir)))
        .collect();
    markers.sort_by_key(|(start, _)| *start);
    let parsed = parse_markdown(&neutral, body_start, file, &index, &markers, diagnostics);
    let nodes = build_tree(
        file,
        &fences,
        parsed.blocks,
        body_start,
        &index,
        diagnostics,
    );
    Some(Chapter {
        file: file.to_string(),
        meta,
        nodes,
        footnotes: parsed.footnotes,
    })
}

/// "mapping values are not allowed" in a writer's words: a colon inside a value, or a line
/// indented under the one above; `line` is 1-based in `front`.
fn yaml_layout(message: &str, front: &str, line: u32) -> Option<(String, String)> {
    if !message.contains("mapping values are not allowed") {
        return None;
    }
    let text = front.lines().nth(line.checked_sub(1)? as usize)?;
    if text.starts_with([' ', '\t']) {
        return Some((
            "this line is indented, so it is read as part of the line above".into(),
            "start every front matter key at the beginning of its line".into(),
        ));
    }
    let (key, value) = text.split_once(':')?;
    Some((
        format!(
            "the value of `{}` has a colon in it, which starts a new key",
            key.trim()
        ),
        format!(
            "put the value in quotes: `{}: \"{}\"`",
            key.trim(),
            value.trim().replace('"', "\\\"")
        ),
    ))
}

/// Finds the front matter: its text, the byte offset where it starts, and where the body starts.
fn split_front_matter<'t>(
    file: &str,
    text: &'t str,
    diagnostics: &mut Diagnostics,
) -> Option<(&'t str, usize, usize)> {
    let delimiter = if text.starts_with("---") {
        "---"
    } else if text.starts_with("+++") {
        "+++"
    } else {
        diagnostics.push(
            Diagnostic::error("this chapter has no front matter")
                .at(file, Pos::new(1, 1))
                .help("start the file with a `---` line, then `title: …`, then another `---` line"),
        );
        return None;
    };
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = first_end;
    for line in text[first_end..].split_inclusive('\n') {
        if line.trim_end() == delimiter {
            return Some((&text[first_end..offset], first_end, offset + line.len()));
        }
        offset += line.len();
    }
    diagnostics.push(
        Diagnostic::error(format!(
            "the front matter opened here is never closed by a `{delimiter}` line"
        ))
        .at(file, Pos::new(1, 1))
        .help(format!(
            "add a line `{delimiter}` after the last front matter key"
        )),
    );
    None
}

fn chapter_meta(
    fm: FrontMatter,
    file: &str,
    front: &str,
    front_line: u32,
    diagnostics: &mut Diagnostics,
) -> ChapterMeta {
    let find = |key: &str, value: &str| find_in_front(front, key, value, front_line);
    let stem = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".md");
    let id_pos = fm.id.as_deref().map(|id| find("id", id));
    let id = match fm.id {
        Some(id) => {
            if !is_valid_id(&id) {
                diagnostics.push(malformed_id("chapter", &id).at(file, find("id", &id)));
            }
            id
        }
        None => default_id(stem),
    };
    if fm.title.trim().is_empty() {
        diagnostics.push(empty_field("title", "every chapter").at(file, find("title", "")));
    }
    if let Some(language) = &fm.language {
        let primary = language.split(['-', '_']).next().unwrap_or("");
        if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
            diagnostics.push(
                Diagnostic::error(format!("`{language}` is not a language tag"))
                    .at(file, find("language", language))
                    .help("write the language's code, such as `ar` (Arabic), `ur` (Urdu), `bn` (Bengali) or `cy` (Welsh)"),
            );
        }
    }
    let place = |key: &str, value: Option<String>| {
        value.map(|v| Located {
            pos: find(key, &v),
            value: v,
            file: file.to_string(),
        })
    };
    let placements: Vec<Placement> = [
        place("replaces", fm.replaces).map(Placement::Replaces),
        place("after", fm.after).map(Placement::After),
        place("before", fm.before).map(Placement::Before),
    ]
    .into_iter()
    .flatten()
    .collect();
    if placements.len() > 1 {
        diagnostics.push(
            Diagnostic::error(
                "a local section can either replace national text or be inserted, not both",
            )
            .at(
                file,
                find("replaces", "")
                    .max(find("after", ""))
                    .max(find("before", "")),
            )
            .help("keep one of `replaces`, `after` and `before`"),
        );
    }
    ChapterMeta {
        title_pos: find("title", ""),
        id_pos,
        title: fm.title,
        id,
        order: fm.order,
        condition: front_condition(
            [
                (Kind::Audience, fm.audiences),
                (Kind::Area, fm.areas),
                (Kind::Format, fm.formats),
            ],
            file,
            &find,
            diagnostics,
        ),
        language: fm.language,
        summary: fm.summary,
        draft: fm.draft,
        placement: placements.into_iter().next(),
    }
}

/// The condition of `audiences:`, `areas:` and `formats:` (`not` as a list's first item, or
/// before its first value as in `[not national]`, or `!` before its first value, negates it).
fn front_condition(
    lists: [(Kind, Option<Vec<String>>); 3],
    file: &str,
    find: &dyn Fn(&str, &str) -> Pos,
    diagnostics: &mut Diagnostics,
) -> Condition {
    let mut condition = Condition::default();
    for (kind, list) in lists {
        let Some(list) = list else { continue };
        // `[not national]` is one YAML item: its `not` is read as a word of its own.
        let list = match list.split_first() {
            Some((first, rest)) if first.trim().starts_with("not ") => {
                let value = first.trim()["not ".len()..].trim().to_string();
                std::iter::once("not".to_string())
                    .chain(std::iter::once(value))
                    .chain(rest.iter().cloned())
                    .collect()
            }
            _ => list,
        };
        let words = list
            .into_iter()
            .map(|value| Located {
                pos: find(kind.key(), value.trim_start_matches('!')),
                value,
                file: file.to_string(),
            })
            .collect();
        let at = Located {
            value: (),
            file: file.to_string(),
            pos: find(kind.key(), ""),
        };
        let test = Test::parse(kind, words, &at, Written::FrontMatter, diagnostics);
        condition.tests.push(test);
    }
    condition
}

/// A chapter's default id: the file stem without a leading number and hyphen.
fn default_id(stem: &str) -> String {
    let trimmed = stem.trim_start_matches(|c: char| c.is_ascii_digit());
    let trimmed = if trimmed.len() < stem.len() {
        trimmed.trim_start_matches(['-', '_'])
    } else {
        stem
    };
    if is_valid_id(trimmed) {
        trimmed.to_string()
    } else {
        crate::doc::slugify(trimmed)
    }
}

/// Where `key` (and `value` on its line, or on a following list line) is in the front matter.
fn find_in_front(front: &str, key: &str, value: &str, front_line: u32) -> Pos {
    let lines: Vec<&str> = front.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let is_key = trimmed
            .strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with([':', '=']));
        if !is_key {
            continue;
        }
        for (j, candidate) in lines.iter().enumerate().skip(i) {
            if j > i && !candidate.trim_start().starts_with('-') {
                break;
            }
            if let Some(col) = (!value.is_empty()).then(|| candidate.find(value)).flatten() {
                return Pos::new(
                    front_line + j as u32 + 1,
                    candidate[..col].chars().count() as u32 + 1,
                );
            }
        }
        let col = line.len() - trimmed.len();
        return Pos::new(front_line + i as u32 + 1, col as u32 + 1);
    }
    Pos::new(front_line.max(1), 1)
}

/// The fences that are not directives, for the help of a mistyped directive.
const OTHER_FENCES: OtherFences = OtherFences {
    words: &["audience", "area", "format"],
    help: "for a block that some packs only see write `::: audience <ids>`, `::: area <ids>` or `::: format <names>`",
};

/// Places the Markdown blocks in the tree of audience blocks and directives that the fences make.
fn build_tree(
    file: &str,
    fences: &[Fence],
    blocks: Vec<(usize, Block)>,
    base: usize,
    index: &LineIndex,
    diagnostics: &mut Diagnostics,
) -> Vec<Node> {
    enum Frame {
        Conditional {
            condition: Condition,
            pos: Pos,
            children: Vec<Node>,
        },
        /// A directive, or `None` for one that could not be understood (reported): its body
        /// and closing fence are still its own.
        Directive {
            directive: Option<Directive>,
            pos: Pos,
            body: Vec<Block>,
        },
        /// A block opened deeper than the nesting limit (reported): what it holds goes to the
        /// frame below it, so the tree never grows deeper than the limit.
        TooDeep,
    }
    let mut root: Vec<Node> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut blocks = blocks.into_iter().peekable();

    fn push_node(stack: &mut [Frame], root: &mut Vec<Node>, node: Node) {
        match stack.iter_mut().rfind(|f| !matches!(f, Frame::TooDeep)) {
            Some(Frame::Conditional { children, .. }) => children.push(node),
            Some(Frame::Directive { body, .. }) => {
                if let Node::Block(block) = node {
                    body.push(block);
                }
            }
            Some(Frame::TooDeep) | None => root.push(node),
        }
    }
    let mut reported_depth = false;

    for fence in fences {
        while let Some((_, block)) = blocks.next_if(|(offset, _)| *offset < fence.range.start) {
            push_node(&mut stack, &mut root, Node::Block(block));
        }
        let pos = index.pos(base + fence.range.start);
        match &fence.words {
            None => match stack.pop() {
                None => diagnostics.push(
                    Diagnostic::error("this `:::` closes nothing")
                        .at(file, pos)
                        .help("remove it, or open a block before it with `::: audience <ids>` or a directive such as `::: glossary`"),
                ),
                Some(Frame::Conditional { condition, pos, children }) => {
                    push_node(&mut stack, &mut root, Node::Conditional { condition, pos, children })
                }
                Some(Frame::Directive { directive, body, .. }) => {
                    if let Some(mut directive) = directive {
                        directive.caption = caption(body);
                        push_node(&mut stack, &mut root, Node::Directive(directive));
                    }
                }
                Some(Frame::TooDeep) => {}
            },
            Some(_) if stack.len() >= MAX_NESTING => {
                if !reported_depth {
                    reported_depth = true;
                    diagnostics.push(
                        Diagnostic::error(format!("`:::` blocks are nested more than {MAX_NESTING} levels deep here"))
                            .at(file, pos)
                            .help(format!("nest them at most {MAX_NESTING} levels deep: a block inside another already applies both conditions, so one block with both is the same")),
                    );
                }
                stack.push(Frame::TooDeep);
            }
            Some(words) if matches!(stack.last(), Some(Frame::Directive { .. })) => {
                diagnostics.push(
                    Diagnostic::error(format!("`::: {}` cannot open inside a data directive", words.join(" ")))
                        .at(file, pos)
                        .help("close the directive with a `:::` line first: its body is only a caption"),
                );
            }
            Some(words) if Kind::from_word(&words[0]).is_some() => {
                let words = located_words(file, words, index, base + fence.range.start);
                let condition = Condition::parse_fence(&words, diagnostics).unwrap_or_default();
                stack.push(Frame::Conditional { condition, pos, children: Vec::new() });
            }
            Some(words) => {
                let directive = match directives::parse(words, &OTHER_FENCES) {
                    Ok((name, kind)) => Some(Directive { name, kind, caption: Vec::new(), pos, file: file.to_string() }),
                    Err(mistake) => {
                        diagnostics.push(mistake.at(file, pos));
                        None
                    }
                };
                stack.push(Frame::Directive { directive, pos, body: Vec::new() });
            }
        }
    }
    for (_, block) in blocks {
        push_node(&mut stack, &mut root, Node::Block(block));
    }
    while let Some(frame) = stack.pop() {
        let (what, pos, node) = match frame {
            Frame::Conditional {
                condition,
                pos,
                children,
            } => (
                match condition.tests.first() {
                    Some(test) if test.kind == Kind::Area => "area block",
                    Some(test) if test.kind == Kind::Format => "format block",
                    _ => "audience block",
                },
                pos,
                Some(Node::Conditional {
                    condition,
                    pos,
                    children,
                }),
            ),
            Frame::Directive { directive, pos, .. } => {
                ("directive", pos, directive.map(Node::Directive))
            }
            Frame::TooDeep => continue,
        };
        diagnostics.push(
            Diagnostic::error(format!("this {what} is never closed"))
                .at(file, pos)
                .help("add a line with only `:::` where it ends"),
        );
        if let Some(node) = node {
            push_node(&mut stack, &mut root, node);
        }
    }
    root
}

/// The words of a fence line with their positions.
fn located_words(
    file: &str,
    words: &[String],
    index: &LineIndex,
    line_start: usize,
) -> Vec<Located<String>> {
    let line = index.pos(line_start).line;
    let line_text = &index_line(index, line_start);
    let mut search_from = 0;
    words
        .iter()
        .map(|word| {
            let at = line_text[search_from..]
                .find(word.as_str())
                .map_or(0, |i| i + search_from);
            search_from = at + word.len();
            let col = line_text[..at].chars().count() as u32 + 1;
            Located {
                value: word.clone(),
                file: file.to_string(),
                pos: Pos::new(line, col),
            }
        })
        .collect()
}

fn index_line(index: &LineIndex, offset: usize) -> String {
    let pos = index.pos(offset);
    let start = index.line_start(pos.line);
    let end = index.line_start(pos.line + 1);
    index_text(index, start, end)
        .trim_end_matches(['\n', '\r'])
        .to_string()
}

fn index_text(index: &LineIndex, start: usize, end: usize) -> String {
    index.slice(start, end).to_string()
}

/// A directive's body as one line of caption text.
fn caption(body: Vec<Block>) -> Vec<Inline> {
    let mut inlines = Vec::new();
    for block in body {
        if let Block::Paragraph(p) = block {
            if !inlines.is_empty() {
                inlines.push(Inline::SoftBreak);
            }
            inlines.extend(p.inlines);
        }
    }
    inlines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(text: &str) -> (Option<Chapter>, Vec<Diagnostic>) {
        let mut diagnostics = Diagnostics::default();
        let chapter = parse_chapter("content/01-intro.md", text, &mut diagnostics);
        (chapter, diagnostics.sorted())
    }

    #[test]
    fn default_ids_drop_the_number() {
        assert_eq!(default_id("01-purpose-and-scope"), "purpose-and-scope");
        assert_eq!(default_id("glossary"), "glossary");
        assert_eq!(default_id("2013"), "section");
    }

    #[test]
    fn nested_audience_blocks_make_a_tree() {
        let (c, d) = chapter(
            "---\ntitle: T\n---\nA\n\n::: audience providers\nB\n::: audience not providers\nC\n:::\n:::\nD\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let nodes = c.unwrap().nodes;
        assert_eq!(nodes.len(), 3);
        let Node::Conditional {
            children,
            condition,
            ..
        } = &nodes[1]
        else {
            panic!()
        };
        assert_eq!(condition.tests[0].values[0].pos, Pos::new(6, 14));
        assert_eq!(children.len(), 2);
    }

    #[test]
    fn unclosed_and_stray_fences_are_errors_with_lines() {
        let (_, d) = chapter("---\ntitle: T\n---\n::: audience providers\ntext\n");
        assert_eq!(
            (d[0].line, d[0].message.as_str()),
            (4, "this audience block is never closed")
        );
        let (_, d) = chapter("---\ntitle: T\n---\ntext\n:::\n");
        assert_eq!(
            (d[0].line, d[0].message.as_str()),
            (5, "this `:::` closes nothing")
        );
    }

    #[test]
    fn directive_bodies_are_captions() {
        let (c, _) =
            chapter("---\ntitle: T\n---\n::: duties role=ccg\nTable 2: What CCGs do\n:::\n");
        let Node::Directive(d) = &c.unwrap().nodes[0] else {
            panic!()
        };
        assert_eq!(
            d.kind,
            crate::model::DirectiveKind::Duties(crate::model::DutyFilter::Role("ccg".into()))
        );
        assert_eq!(crate::doc::plain_text(&d.caption), "Table 2: What CCGs do");
        assert_eq!(d.pos, Pos::new(4, 1));
    }

    #[test]
    fn front_matter_errors_point_into_the_file() {
        let (_, d) = chapter("---\ntitle: T\nsumary: x\n---\n");
        assert_eq!(d[0].message, "unknown key `sumary`");
        assert_eq!(d[0].help.as_deref(), Some("did you mean `summary`?"));
        assert_eq!(d[0].line, 3);
        let (_, d) = chapter("+++\ntitle = \"T\"\nodrer = 2\n+++\n");
        assert_eq!(
            (d[0].line, d[0].help.as_deref()),
            (3, Some("did you mean `order`?"))
        );
    }
}
