//! Tera with nothing that reads the world: a project's HTML templates cannot read environment
//! variables, the clock or random numbers (templates can only include each other; tera reads
//! no file by itself here). Each such function is replaced by one that fails and says why, and
//! `check` finds their calls in the project's templates, at their line, before any build.

use std::collections::HashMap;

use tera::{Tera, Value};

use crate::diagnostic::{Diagnostic, LineIndex};

/// tera's functions that read the world, and why a template may not use them.
pub const TURNED_OFF: [(&str, &str); 3] = [
    ("get_env", "read the computer's environment variables"),
    (
        "now",
        "read the clock: the same sources must give the same pages",
    ),
    (
        "get_random",
        "make random numbers: the same sources must give the same pages",
    ),
];

/// The most numbers `range` makes: a page never needs more, and a huge range would exhaust
/// memory.
pub const RANGE_LIMIT: usize = 10_000;

/// Replaces tera's functions that read the world with ones that fail, and bounds `range`.
pub fn lock_down(tera: &mut Tera) {
    for (name, why) in TURNED_OFF {
        tera.register_function(
            name,
            move |_: &HashMap<String, Value>| -> tera::Result<Value> {
                Err(tera::Error::msg(format!(
                    "`{name}` is turned off in guidepack: a template may not {why}"
                )))
            },
        );
    }
    tera.register_function("range", range);
}

/// tera's `range(end=…, start=0, step_by=1)`, at most [`RANGE_LIMIT`] numbers.
fn range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let number = |key: &str, default: Option<u64>| -> tera::Result<u64> {
        match args.get(key) {
            Some(value) => value.as_u64().ok_or_else(|| {
                tera::Error::msg(format!(
                    "`range` got {key}={value}, but `{key}` must be a whole number"
                ))
            }),
            None => default.ok_or_else(|| tera::Error::msg("`range` needs an `end`")),
        }
    };
    let start = number("start", Some(0))?;
    let end = number("end", None)?;
    let step = number("step_by", Some(1))?.max(1);
    let count = end.saturating_sub(start).div_ceil(step);
    if count > RANGE_LIMIT as u64 {
        return Err(tera::Error::msg(format!(
            "`range` would make {count} numbers; guidepack allows at most {RANGE_LIMIT}"
        )));
    }
    Ok(Value::Array(
        (start..end)
            .step_by(step as usize)
            .map(Value::from)
            .collect(),
    ))
}

/// Calls of turned-off functions in a template's tags (`{{ … }}`, `{% … %}`), as errors at
/// their place in `file`.
pub fn turned_off_calls(file: &str, text: &str) -> Vec<Diagnostic> {
    let index = LineIndex::new(text);
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = next_tag(&text[from..]).map(|o| o + from) {
        let close_mark = if text[open..].starts_with("{{") {
            "}}"
        } else {
            "%}"
        };
        let close = text[open + 2..]
            .find(close_mark)
            .map_or(text.len(), |c| open + 2 + c);
        let tag = &text[open..close];
        for (name, why) in TURNED_OFF {
            for (at, _) in tag.match_indices(name) {
                let before = tag[..at].chars().next_back();
                let after = tag[at + name.len()..].trim_start();
                let starts_word =
                    before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
                if starts_word && after.starts_with('(') {
                    found.push(
                        Diagnostic::error(format!(
                            "this template calls `{name}`, which guidepack turns off"
                        ))
                        .at(file, index.pos(open + at))
                        .help(format!(
                            "a template may not {why}; put the value in guidepack.toml (`[vars]`) or in the template itself"
                        )),
                    );
                }
            }
        }
        from = close;
    }
    found
}

fn next_tag(text: &str) -> Option<usize> {
    match (text.find("{{"), text.find("{%")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_found_in_tags_only() {
        let text = "<p>now() is text</p>\n{{ get_env(name=\"HOME\") }}\n{% set t = now ( ) %}{{ not_now() }}";
        let found = turned_off_calls("templates/html/base.html", text);
        let places: Vec<(u32, u32)> = found.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(places, vec![(2, 4), (3, 12)]);
    }

    #[test]
    fn turned_off_functions_fail_and_range_is_bounded() {
        let mut tera = Tera::default();
        lock_down(&mut tera);
        let cx = tera::Context::new();
        for call in ["get_env(name=\"HOME\")", "now()", "get_random(end=9)"] {
            let err = tera
                .render_str(&format!("{{{{ {call} }}}}"), &cx)
                .unwrap_err();
            let mut message = err.to_string();
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                message.push_str(&cause.to_string());
                source = cause.source();
            }
            assert!(message.contains("is turned off in guidepack"), "{message}");
        }
        assert_eq!(
            tera.render_str("{% for i in range(end=3) %}{{ i }}{% endfor %}", &cx)
                .unwrap(),
            "012"
        );
        assert!(
            tera.render_str("{{ range(end=100000000) | length }}", &cx)
                .is_err()
        );
    }
}
