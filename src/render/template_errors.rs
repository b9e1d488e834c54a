//! A tera error in words, at its place: the template file, line and column it happened in
//! (tera gives a position only for a template it cannot read; for the others the tag is found
//! in the template's text), and whose mistake it is — the project's own template, or a bug in
//! guidepack's built-in ones.

use std::error::Error as _;

use super::template_bounds::{self, TemplateText, first_word, tags};
use crate::diagnostic::{Diagnostic, LineIndex, Pos, did_you_mean};

/// One HTML template: its tera name, project path, text, and whether the project wrote it.
pub(super) struct Template<'a> {
    pub name: &'a str,
    pub path: &'a str,
    pub text: &'a str,
    pub own: bool,
    /// What deleting the file falls back to, in words: "the built-in one".
    pub fallback: &'a str,
}

/// What went wrong, from the words of tera's error chain.
#[derive(Debug, PartialEq)]
enum Cause {
    /// A template that cannot be read: tera's position and what it expected.
    Syntax(Option<Pos>, String),
    Variable(String),
    Filter(String),
    Function(String),
    Test(String),
    /// An `include` of templates that do not exist.
    Include(Vec<String>),
    /// An `extends` of a template that does not exist.
    Parent(String),
    /// An `import` of macros from a template that does not exist.
    Import(String),
    /// A call of a macro (`namespace::name`) that is not defined, or of a namespace not
    /// imported.
    Macro(String),
    /// A `for` over something that is not a list.
    Loop(String),
    /// A filter that failed on its value, and why.
    FilterCall(String, String),
    Duplicate(&'static str, String),
    Other(String),
}

/// Every message of a tera error's chain, outermost first.
fn chain(err: &tera::Error) -> Vec<String> {
    let mut messages = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        messages.push(cause.to_string());
        source = cause.source();
    }
    messages
}

/// The text between the first `open` and the next `close` after it.
fn between<'m>(message: &'m str, open: &str, close: &str) -> Option<&'m str> {
    let start = message.find(open)? + open.len();
    let end = message[start..].find(close)? + start;
    Some(&message[start..end])
}

/// The template the error happened in, as far as tera says, and what went wrong.
fn understand(messages: &[String]) -> (Option<String>, Cause) {
    let top = messages.first().map_or("", String::as_str);
    let innermost = messages.last().map_or("", String::as_str);
    if let Some(name) = between(top, "Failed to parse '", "'") {
        let cause = match messages.get(1) {
            Some(m) if m.starts_with("Block `") || m.starts_with("Macro `") => {
                let what = if m.starts_with("Block") {
                    "block"
                } else {
                    "macro"
                };
                Cause::Duplicate(what, between(m, "`", "`").unwrap_or("").to_string())
            }
            Some(m) => syntax(m),
            None => Cause::Other(top.to_string()),
        };
        return (Some(name.to_string()), cause);
    }
    if let Some(child) = between(top, "Template '", "' is inheriting from '") {
        let parent = between(top, "is inheriting from '", "'").unwrap_or("");
        return (Some(child.to_string()), Cause::Parent(parent.to_string()));
    }
    if let Some(importer) = between(top, "Template `", "` loads macros from `") {
        let file = between(top, "loads macros from `", "`").unwrap_or("");
        return (Some(importer.to_string()), Cause::Import(file.to_string()));
    }
    let rendering = between(top, "Failed to render '", "'");
    let within = between(top, "(error happened in '", "')").or(rendering);
    let cause = if let Some(var) = between(innermost, "Variable `", "` not found in context") {
        Cause::Variable(var.to_string())
    } else if let Some(names) = between(innermost, "Template '", "' not found") {
        Cause::Include(
            names
                .trim_matches(['[', ']'])
                .split(',')
                .map(|n| n.trim().to_string())
                .collect(),
        )
    } else if let Some(var) = between(innermost, "Tried to iterate on a container (`", "`)")
        .or_else(|| {
            between(
                innermost,
                "Tried to iterate using key value on variable `",
                "`",
            )
        })
    {
        Cause::Loop(var.to_string())
    } else if let Some(name) = between(innermost, "Macro `", "` not found in template") {
        Cause::Macro(name.to_string())
    } else if let Some(namespace) = between(innermost, "Macro namespace `", "` was not found") {
        Cause::Macro(format!("{namespace}::"))
    } else if let Some(name) = between(innermost, "Filter '", "' not found") {
        Cause::Filter(name.to_string())
    } else if let Some(name) = between(innermost, "Function '", "' not found") {
        Cause::Function(name.to_string())
    } else if let Some(name) = between(innermost, "Test '", "' not found") {
        Cause::Test(name.to_string())
    } else if let Some(i) = messages.iter().position(|m| m.starts_with("Filter call '")) {
        let name = between(&messages[i], "Filter call '", "'").unwrap_or("");
        let why = messages[i + 1..].join(": ");
        Cause::FilterCall(name.to_string(), why)
    } else if messages.len() > 1 {
        Cause::Other(messages[1..].join(": "))
    } else {
        Cause::Other(top.to_string())
    };
    (within.map(str::to_string), cause)
}

/// A parse error of pest's: ` --> 3:21`, the line, and `= expected …`.
fn syntax(message: &str) -> Cause {
    let pos = between(message, "--> ", "\n").and_then(|at| {
        let (line, col) = at.trim().split_once(':')?;
        Some(Pos::new(line.parse().ok()?, col.parse().ok()?))
    });
    let expected = message
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .unwrap_or_else(|| message.trim());
    Cause::Syntax(pos, expected.to_string())
}

/// Whether `text[at..]` starts a whole name (`name` not inside a longer name or path).
fn whole(text: &str, at: usize, len: usize) -> bool {
    let part = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let before = text[..at].chars().next_back().is_none_or(|c| !part(c));
    let after = text[at + len..].chars().next().is_none_or(|c| !part(c));
    before && after
}

/// The byte offset of the first tag of `text` in which `found` finds something, and where in
/// the tag (relative to the tag's inner text).
fn in_tags(text: &str, found: impl Fn(&str, bool) -> Option<usize>) -> Option<usize> {
    tags(text).into_iter().find_map(|tag| {
        let inner_start = tag.inner.as_ptr() as usize - text.as_ptr() as usize;
        found(tag.inner, tag.statement).map(|at| inner_start + at)
    })
}

/// Where in `text` the name `name` is used as a whole name.
fn name_at(inner: &str, name: &str) -> Option<usize> {
    inner
        .match_indices(name)
        .map(|(i, _)| i)
        .find(|&i| whole(inner, i, name.len()))
}

/// Where in a template's text the cause is, if it can be found.
fn locate(text: &str, cause: &Cause) -> Option<usize> {
    match cause {
        Cause::Syntax(..) | Cause::Other(_) => None,
        Cause::Variable(name) | Cause::Loop(name) => in_tags(text, |inner, statement| {
            if matches!(cause, Cause::Loop(_)) && !(statement && first_word(inner) == "for") {
                return None;
            }
            name_at(inner, name)
        }),
        Cause::Filter(name) | Cause::FilterCall(name, _) => in_tags(text, |inner, statement| {
            let filter_tag = statement && first_word(inner) == "filter";
            inner
                .match_indices(name.as_str())
                .map(|(i, _)| i)
                .find(|&i| {
                    let before = inner[..i].trim_end();
                    whole(inner, i, name.len())
                        && (before.ends_with('|') || (filter_tag && before == "filter"))
                })
        }),
        Cause::Function(name) => in_tags(text, |inner, _| {
            inner
                .match_indices(name.as_str())
                .map(|(i, _)| i)
                .find(|&i| {
                    whole(inner, i, name.len())
                        && inner[i + name.len()..].trim_start().starts_with('(')
                })
        }),
        Cause::Test(name) => in_tags(text, |inner, _| {
            inner
                .match_indices(name.as_str())
                .map(|(i, _)| i)
                .find(|&i| {
                    let before = inner[..i].trim_end();
                    whole(inner, i, name.len())
                        && (before.ends_with(" is") || before.ends_with(" not"))
                })
        }),
        Cause::Include(names) => tag_naming(text, "include", names),
        Cause::Import(name) => tag_naming(text, "import", std::slice::from_ref(name)),
        Cause::Macro(call) => in_tags(text, |inner, _| {
            inner
                .match_indices(call.as_str())
                .map(|(i, _)| i)
                .find(|&i| call.ends_with("::") || whole(inner, i, call.len()))
        }),
        Cause::Parent(name) => tag_naming(text, "extends", std::slice::from_ref(name)),
        Cause::Duplicate(what, name) => {
            // The second definition is the one to remove or rename.
            let first = definition(text, what, name)?;
            let after = first + name.len();
            definition(&text[after..], what, name).map(|at| after + at)
        }
    }
}

/// Where the first `{% block name %}` (or `macro`) of `text` names `name`.
fn definition(text: &str, what: &str, name: &str) -> Option<usize> {
    in_tags(text, |inner, statement| {
        (statement && first_word(inner) == what)
            .then(|| name_at(inner, name))
            .flatten()
    })
}

/// Where a `keyword` tag names one of `names` in quotes.
fn tag_naming(text: &str, keyword: &str, names: &[String]) -> Option<usize> {
    in_tags(text, |inner, statement| {
        if !statement || first_word(inner) != keyword {
            return None;
        }
        names.iter().find_map(|name| {
            ["\"", "'", "`"]
                .iter()
                .find_map(|q| inner.find(&format!("{q}{name}{q}")).map(|i| i + 1))
        })
    })
}

/// The templates to search, in order: `start`, then those it extends, includes and imports.
fn reachable<'t>(start: &str, templates: &'t [Template<'t>]) -> Vec<&'t Template<'t>> {
    let mut order: Vec<&Template> = templates.iter().filter(|t| t.name == start).collect();
    let mut next = 0;
    while next < order.len() {
        let t = order[next];
        next += 1;
        let text = TemplateText {
            path: t.path,
            name: t.name,
            text: t.text,
        };
        for (name, _) in template_bounds::references(&text) {
            if let Some(found) = templates.iter().find(|t| t.name == name)
                && !order.iter().any(|o| o.name == name)
            {
                order.push(found);
            }
        }
    }
    order
}

/// The names a page's context has, as dotted paths two levels deep (`chapter.title`).
fn context_names(context: &serde_json::Value) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(top) = context.as_object() {
        for (key, value) in top {
            names.push(key.clone());
            if let Some(inner) = value.as_object() {
                names.extend(inner.keys().map(|k| format!("{key}.{k}")));
            }
        }
    }
    names
}

/// The names of the built-in templates, for help lines.
fn template_list(templates: &[Template]) -> String {
    let names: Vec<&str> = templates.iter().map(|t| t.name).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// Whether an error may come only from the data a page was given, not from its template: an
/// index past the end of a list (`versions[5]`). A trial render with made-up data lets it pass.
pub(super) fn depends_on_data(err: &tera::Error) -> bool {
    matches!(understand(&chain(err)).1, Cause::Variable(name) if name.contains('['))
}

/// A tera error as a diagnostic at its place. `context` is the page's context, for errors of
/// rendering (a name close to an unknown one is suggested).
pub(super) fn diagnose(
    err: &tera::Error,
    templates: &[Template],
    context: Option<&serde_json::Value>,
) -> Diagnostic {
    let messages = chain(err);
    let (within, cause) = understand(&messages);
    let searched = within
        .as_deref()
        .map_or_else(Vec::new, |start| reachable(start, templates));
    let (template, pos) = match &cause {
        Cause::Syntax(pos, _) => (searched.first().copied(), *pos),
        _ => searched
            .iter()
            .find_map(|t| {
                locate(t.text, &cause).map(|at| (Some(*t), Some(LineIndex::new(t.text).pos(at))))
            })
            .unwrap_or_else(|| {
                // Not found in any text: the template it happened in, or the project's own
                // template among those it uses.
                let first = searched.first().copied();
                let own = first
                    .filter(|t| t.own)
                    .or_else(|| searched.iter().copied().find(|t| t.own));
                (own.or(first), None)
            }),
    };
    let Some(template) = template.filter(|t| t.own) else {
        let name = template.map_or_else(
            || within.clone().unwrap_or_default(),
            |t| t.name.to_string(),
        );
        return Diagnostic::error(format!(
            "internal error: guidepack's built-in HTML template `{name}` failed: {}",
            messages.join(": ")
        ))
        .help("this is a bug in guidepack's built-in templates, not in your project; please report it");
    };
    let delete = format!("delete `{}` to use {}", template.path, template.fallback);
    let names = template_list(templates);
    let (message, help) = match &cause {
        Cause::Syntax(_, expected) => (
            format!("this HTML template cannot be read here: {expected}"),
            format!("correct the tag here, or {delete}"),
        ),
        Cause::Variable(name) => {
            let first = name.split('.').next().unwrap_or(name);
            let empty = context
                .and_then(|c| c.get(first))
                .is_some_and(serde_json::Value::is_null)
                && first != name;
            let known = context.map(context_names).unwrap_or_default();
            let close = did_you_mean(name, known.iter().map(String::as_str));
            let help = if empty {
                let why = if first == "area" {
                    " (a national pack has no area)"
                } else {
                    ""
                };
                format!(
                    "`{first}` is empty on some pages{why}: put the use inside `{{% if {first} %}}` … `{{% endif %}}`"
                )
            } else if let Some(close) = close {
                format!("did you mean `{close}`?")
            } else {
                format!(
                    "each built-in template lists at its top the names its pages have; use one of them, or {delete}"
                )
            };
            (
                format!("this HTML template uses `{name}`, which the page does not have"),
                help,
            )
        }
        Cause::Filter(name) => (
            format!("this HTML template uses a filter `{name}`, which tera does not have"),
            format!(
                "use one of tera's filters (https://keats.github.io/tera/docs/#built-in-filters), or {delete}"
            ),
        ),
        Cause::Function(name) => (
            format!("this HTML template calls a function `{name}`, which tera does not have"),
            format!(
                "use one of tera's functions (https://keats.github.io/tera/docs/#built-in-functions), or {delete}"
            ),
        ),
        Cause::Test(name) => (
            format!("this HTML template uses a test `{name}`, which tera does not have"),
            format!(
                "use one of tera's tests (https://keats.github.io/tera/docs/#built-in-tests), or {delete}"
            ),
        ),
        Cause::Include(missing) => (
            format!(
                "this HTML template includes `{}`, which is not one of guidepack's templates",
                missing.join("`, `")
            ),
            format!(
                "include one of {names}; a project's `templates/html/<name>` replaces the built-in template of that name"
            ),
        ),
        Cause::Parent(parent) => (
            format!(
                "this HTML template extends `{parent}`, which is not one of guidepack's templates"
            ),
            format!(
                "extend one of {names}; a project's `templates/html/<name>` replaces the built-in template of that name"
            ),
        ),
        Cause::Import(file) => (
            format!(
                "this HTML template imports macros from `{file}`, which is not one of guidepack's templates"
            ),
            format!(
                "import them from one of {names}; a project's `templates/html/<name>` replaces the built-in template of that name"
            ),
        ),
        Cause::Macro(call) => match call.strip_suffix("::") {
            Some(namespace) => (
                format!("this HTML template calls a macro of `{namespace}`, which it does not import"),
                format!(
                    "import the macros first: `{{% import \"<template>\" as {namespace} %}}` at the top of the template"
                ),
            ),
            None => (
                format!("this HTML template calls the macro `{call}`, which is not defined"),
                "define it with `{% macro … %}` in the template it is imported from, or correct the name".to_string(),
            ),
        },
        Cause::Loop(name) => (
            format!("this HTML template loops over `{name}`, which is not a list"),
            "`{% for … in … %}` needs a list, such as `chapters`: check the name".to_string(),
        ),
        Cause::FilterCall(name, why) => (
            format!("the filter `{name}` in this HTML template failed: {why}"),
            format!("check the value the filter is given and its arguments, or {delete}"),
        ),
        Cause::Duplicate(what, name) => (
            format!("this HTML template defines the {what} `{name}` twice"),
            format!("give each {what} its own name, or {delete}"),
        ),
        Cause::Other(why) => (
            format!("this HTML template failed: {why}"),
            format!("fix the template, or {delete}"),
        ),
    };
    let diagnostic = Diagnostic::error(message).help(help);
    match pos {
        Some(pos) => diagnostic.at(template.path, pos),
        None => diagnostic.in_file(template.path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn understood(messages: &[&str]) -> (Option<String>, Cause) {
        let messages: Vec<String> = messages.iter().map(|m| m.to_string()).collect();
        understand(&messages)
    }

    #[test]
    fn tera_errors_are_understood() {
        assert_eq!(
            understood(&[
                "Failed to render 'contents.html' (error happened in 'base.html').",
                "Variable `pack.nope` not found in context while rendering 'contents.html'",
            ]),
            (
                Some("base.html".into()),
                Cause::Variable("pack.nope".into())
            )
        );
        assert_eq!(
            understood(&[
                "Failed to render 'chapter.html'",
                "Filter 'shout' not found"
            ]),
            (Some("chapter.html".into()), Cause::Filter("shout".into()))
        );
        assert_eq!(
            understood(&[
                "Failed to render 'a.html'",
                "Template '[x.html, y.html]' not found"
            ]),
            (
                Some("a.html".into()),
                Cause::Include(vec!["x.html".into(), "y.html".into()])
            )
        );
        assert_eq!(
            understood(&[
                "Template 'chapter.html' is inheriting from 'layout.html', which doesn't exist or isn't loaded."
            ]),
            (
                Some("chapter.html".into()),
                Cause::Parent("layout.html".into())
            )
        );
        assert_eq!(
            understood(&[
                "Template `chapter.html` loads macros from `macros.html` which isn't present in Tera"
            ]),
            (
                Some("chapter.html".into()),
                Cause::Import("macros.html".into())
            )
        );
        assert_eq!(
            understood(&[
                "Failed to render 'contents.html'",
                "Macro `m::nope` not found in template `contents.html`"
            ]),
            (Some("contents.html".into()), Cause::Macro("m::nope".into()))
        );
        assert_eq!(
            understood(&["Something new"]),
            (None, Cause::Other("Something new".into()))
        );
    }

    fn render_error(text: &str) -> tera::Error {
        let mut tera = tera::Tera::default();
        tera.add_raw_template("chapter.html", text).unwrap();
        tera.render("chapter.html", &tera::Context::new())
            .unwrap_err()
    }

    #[test]
    fn an_error_in_a_built_in_template_is_guidepacks_and_in_the_projects_its_own() {
        let text = "<p>\n{{ chapter.titel }}</p>";
        let err = render_error(text);
        let mut template = Template {
            name: "chapter.html",
            path: "templates/html/chapter.html",
            text,
            own: false,
            fallback: "the built-in one",
        };
        let d = diagnose(&err, std::slice::from_ref(&template), None);
        assert_eq!(d.file, None);
        assert!(
            d.message.starts_with(
                "internal error: guidepack's built-in HTML template `chapter.html` failed: "
            ),
            "{}",
            d.message
        );
        assert_eq!(
            d.help.as_deref(),
            Some(
                "this is a bug in guidepack's built-in templates, not in your project; please report it"
            )
        );
        template.own = true;
        let d = diagnose(&err, std::slice::from_ref(&template), None);
        assert_eq!(
            (d.file.as_deref(), d.line, d.column),
            (Some("templates/html/chapter.html"), 2, 4)
        );
    }

    #[test]
    fn only_an_index_past_the_end_may_come_from_made_up_data() {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates([("a", "{{ versions[5].version }}"), ("b", "{{ titel }}")])
            .unwrap();
        let mut cx = tera::Context::new();
        cx.insert("versions", &Vec::<String>::new());
        assert!(depends_on_data(&tera.render("a", &cx).unwrap_err()));
        assert!(!depends_on_data(&tera.render("b", &cx).unwrap_err()));
    }

    #[test]
    fn names_are_found_as_whole_names_in_tags_only() {
        let text = "chapter.titles {# chapter.titel #}\n<p>{{ x.chapter.titel }} {{ chapter.titel | upper }}</p>";
        let at = locate(text, &Cause::Variable("chapter.titel".into())).unwrap();
        assert_eq!(LineIndex::new(text).pos(at), Pos::new(2, 29));
        let at = locate(text, &Cause::Filter("upper".into())).unwrap();
        assert_eq!(&text[at..at + 5], "upper");
        let text = "{% for c in chapters %}{% endfor %}\n{% for x in chapter.draft %}";
        let at = locate(text, &Cause::Loop("chapter.draft".into())).unwrap();
        assert_eq!(LineIndex::new(text).pos(at), Pos::new(2, 13));
    }
}
