//! Bounds on a project's own HTML templates, checked before tera sees them: tera parses and
//! renders recursively and has no limit of its own, so a template that includes itself, a macro
//! that calls itself, or tags nested thousands deep would overflow the stack and abort the
//! process. Each is refused here with the template's file and line.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, LineIndex};
use crate::doc::MAX_NESTING;

/// One template: its project path and text.
pub struct TemplateText<'a> {
    pub path: &'a str,
    pub name: &'a str,
    pub text: &'a str,
}

/// The first problem found in a set of templates, if any.
pub fn check(templates: &[TemplateText]) -> Result<(), Diagnostic> {
    for template in templates {
        nesting(template)?;
    }
    references_form_no_circle(templates)?;
    for template in templates {
        macros_do_not_recurse(template)?;
    }
    Ok(())
}

/// A tag of a template: its inner text (between `{%`/`{{` and `%}`/`}}`) and byte offset.
pub(super) struct Tag<'t> {
    pub offset: usize,
    pub statement: bool,
    pub inner: &'t str,
}

pub(super) fn tags(text: &str) -> Vec<Tag<'_>> {
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find('{').map(|i| at + i) {
        let (close, statement) = match text.get(open + 1..open + 2) {
            Some("%") => ("%}", true),
            Some("{") => ("}}", false),
            Some("#") => ("#}", false),
            _ => {
                at = open + 1;
                continue;
            }
        };
        let start = open + 2;
        let Some(end) = text[start..].find(close).map(|i| start + i) else {
            break;
        };
        if text.get(open + 1..open + 2) != Some("#") {
            let inner = text[start..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
            tags.push(Tag {
                offset: open,
                statement,
                inner,
            });
        }
        at = end + 2;
    }
    tags
}

pub(super) fn first_word(inner: &str) -> &str {
    inner.split_whitespace().next().unwrap_or("")
}

fn error(template: &TemplateText, offset: usize, message: String, help: &str) -> Diagnostic {
    Diagnostic::error(message)
        .at(template.path, LineIndex::new(template.text).pos(offset))
        .help(help)
}

/// Block tags (`if`, `for`, `block`, `macro`, `filter`) and brackets in expressions nest at
/// most [`MAX_NESTING`] deep.
fn nesting(template: &TemplateText) -> Result<(), Diagnostic> {
    let mut depth = 0usize;
    for tag in tags(template.text) {
        if tag.statement {
            match first_word(tag.inner) {
                "if" | "for" | "block" | "macro" | "filter" | "raw" => depth += 1,
                word if word.starts_with("end") => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        let mut brackets = 0usize;
        let mut deepest = 0usize;
        for c in tag.inner.chars() {
            match c {
                '(' | '[' | '{' => {
                    brackets += 1;
                    deepest = deepest.max(brackets);
                }
                ')' | ']' | '}' => brackets = brackets.saturating_sub(1),
                _ => {}
            }
        }
        if depth > MAX_NESTING || deepest > MAX_NESTING {
            return Err(error(
                template,
                tag.offset,
                format!("this template nests tags or brackets more than {MAX_NESTING} levels deep"),
                "simplify the template: move the inner part into a macro or a separate variable",
            ));
        }
    }
    Ok(())
}

/// The template names that `include`, `extends` and `import` tags name, with their offsets.
pub(super) fn references<'t>(template: &TemplateText<'t>) -> Vec<(String, usize)> {
    tags(template.text)
        .into_iter()
        .filter(|t| t.statement && matches!(first_word(t.inner), "include" | "extends" | "import"))
        .flat_map(|t| {
            quoted(t.inner)
                .into_iter()
                .map(move |name| (name, t.offset))
        })
        .collect()
}

/// The strings in quotes in a tag.
fn quoted(inner: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = inner;
    while let Some(open) = rest.find(['"', '\'', '`']) {
        let quote = rest[open..].chars().next().unwrap_or('"');
        let after = &rest[open + 1..];
        let Some(close) = after.find(quote) else {
            break;
        };
        names.push(after[..close].to_string());
        rest = &after[close + 1..];
    }
    names
}

/// No template includes, extends or imports itself, directly or through others.
fn references_form_no_circle(templates: &[TemplateText]) -> Result<(), Diagnostic> {
    let by_name: BTreeMap<&str, &TemplateText> = templates.iter().map(|t| (t.name, t)).collect();
    let edges: BTreeMap<&str, Vec<(String, usize)>> =
        templates.iter().map(|t| (t.name, references(t))).collect();
    for start in templates {
        // Depth-first from each template, along references, looking for the start again.
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = vec![start.name];
        while let Some(name) = stack.pop() {
            for (next, offset) in edges.get(name).into_iter().flatten() {
                if next == start.name {
                    let (at, offset) = if name == start.name {
                        (start, *offset)
                    } else {
                        (by_name[name], *offset)
                    };
                    return Err(error(
                        at,
                        offset,
                        format!(
                            "the template `{}` includes itself{}",
                            start.name,
                            if name == start.name {
                                String::new()
                            } else {
                                format!(" through `{name}`")
                            }
                        ),
                        "a template may include, extend or import only templates that do not lead back to it",
                    ));
                }
                if by_name.contains_key(next.as_str()) && seen.insert(next.clone()) {
                    stack.push(by_name[next.as_str()].name);
                }
            }
        }
    }
    Ok(())
}

/// No macro calls itself, directly or through other macros of the same template.
fn macros_do_not_recurse(template: &TemplateText) -> Result<(), Diagnostic> {
    // Each macro's name, where it starts, and the macros its body calls (`self::name(`).
    let mut macros: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    let mut current: Option<String> = None;
    for tag in tags(template.text) {
        let word = first_word(tag.inner);
        if tag.statement && word == "macro" {
            let name = tag.inner["macro".len()..]
                .trim_start()
                .split(|c: char| c == '(' || c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_string();
            macros.insert(name.clone(), (tag.offset, BTreeSet::new()));
            current = Some(name);
        } else if tag.statement && word == "endmacro" {
            current = None;
        } else if let Some(name) = &current {
            let calls = called_macros(tag.inner);
            if let Some((_, called)) = macros.get_mut(name) {
                called.extend(calls);
            }
        }
    }
    for (name, (offset, _)) in &macros {
        let mut seen = BTreeSet::new();
        let mut stack = vec![name.as_str()];
        while let Some(m) = stack.pop() {
            for called in macros.get(m).map(|(_, c)| c).into_iter().flatten() {
                if called == name {
                    return Err(error(
                        template,
                        *offset,
                        format!("the macro `{name}` calls itself"),
                        "macros in guidepack templates may not call themselves: the pack's data has no unbounded nesting to walk",
                    ));
                }
                if seen.insert(called.as_str()) {
                    stack.push(called);
                }
            }
        }
    }
    Ok(())
}

/// The names of macros a tag calls as `namespace::name(`.
fn called_macros(inner: &str) -> Vec<String> {
    inner
        .match_indices("::")
        .filter_map(|(i, _)| {
            let name: String = inner[i + 2..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<(), Diagnostic> {
        check(&[TemplateText {
            path: "templates/html/chapter.html",
            name: "chapter.html",
            text,
        }])
    }

    #[test]
    fn a_template_that_includes_itself_is_refused() {
        let err = one("a\n{% include \"chapter.html\" %}").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("includes itself"), "{}", err.message);
    }

    #[test]
    fn a_circle_through_another_template_is_refused() {
        let err = check(&[
            TemplateText {
                path: "templates/html/a.html",
                name: "a.html",
                text: "{% include \"b.html\" %}",
            },
            TemplateText {
                path: "templates/html/b.html",
                name: "b.html",
                text: "x {% extends 'a.html' %}",
            },
        ])
        .unwrap_err();
        assert!(err.message.contains("through"), "{}", err.message);
    }

    #[test]
    fn recursive_macros_and_deep_nesting_are_refused() {
        let err = one("{% macro f(n) %}{{ self::f(n=n) }}{% endmacro f %}").unwrap_err();
        assert!(err.message.contains("calls itself"));
        let deep = "{% if a %}".repeat(MAX_NESTING + 1);
        assert!(one(&deep).is_err());
        let brackets = format!("{{{{ {}1{} }}}}", "(".repeat(40), ")".repeat(40));
        assert!(one(&brackets).is_err());
    }

    #[test]
    fn ordinary_templates_pass() {
        for (_, text) in super::super::site::BUILT_IN {
            one(text).unwrap();
        }
    }
}
