//! Parse: front matter, Markdown and TOML data into the typed project model. Pure: it reads
//! only the in-memory [`SourceSet`](crate::sources::SourceSet).

mod block_attrs;
mod chapter;
mod config;
mod contacts;
mod destinations;
mod fences;
mod fonts;
mod framework;
mod heading_attrs;
mod markdown;

use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Pos, did_you_mean};
use crate::model::{Located, Project};
use crate::sources::SourceSet;

pub use chapter::parse_chapter;
pub use markdown::parse_markdown;

/// Parses every file of the project. Returns `None` when the configuration itself is unusable;
/// other problems are reported and the rest is parsed, so that one run reports them all.
pub fn parse_project(sources: &SourceSet, diagnostics: &mut Diagnostics) -> Option<Project> {
    let config = config::parse_config(sources, diagnostics)?;
    let framework = framework::parse_framework(sources, diagnostics);
    let glossary = framework::parse_glossary(sources, diagnostics);
    let mut chapters: Vec<_> = sources
        .texts_in("content", ".md")
        .filter_map(|(path, text)| parse_chapter(path, text, diagnostics))
        .collect();
    sort_chapters(&mut chapters);
    let areas = config::parse_areas(sources, diagnostics);
    Some(Project {
        config,
        chapters,
        framework,
        glossary,
        areas,
    })
}

/// Puts chapters in reading order: by `order`, then file name.
pub fn sort_chapters(chapters: &mut [crate::model::Chapter]) {
    chapters.sort_by(|a, b| {
        let order = |c: &crate::model::Chapter| c.meta.order.unwrap_or(i64::MAX);
        order(a).cmp(&order(b)).then(a.file.cmp(&b.file))
    });
}

/// Deserialises a TOML file, turning any error into a diagnostic at its position.
pub(crate) fn from_toml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    match toml::from_str(text) {
        Ok(value) => Some(value),
        Err(err) => {
            let index = LineIndex::new(text);
            let start = err.span().map_or(0, |span| span.start);
            if let Some(d) = contacts::unquoted_phone(file, text, &index, start) {
                diagnostics.push(d);
                return None;
            }
            let pos = err.span().map_or(Pos::new(1, 1), |_| index.pos(start));
            diagnostics.push(explain_serde_error(err.message(), file, pos));
            None
        }
    }
}

/// The position of a TOML span in its file (`index` is the file's, made once per file).
pub(crate) fn located<T>(file: &str, index: &LineIndex, spanned: toml::Spanned<T>) -> Located<T> {
    let pos = index.pos(spanned.span().start);
    Located {
        value: spanned.into_inner(),
        file: file.to_string(),
        pos,
    }
}

/// Reports a required text field that is empty or only spaces, at its value. `what` names the
/// thing that needs it ("every role").
pub(crate) fn require_text(
    file: &str,
    index: &LineIndex,
    value: &toml::Spanned<String>,
    key: &str,
    what: &str,
    diagnostics: &mut Diagnostics,
) {
    if value.get_ref().trim().is_empty() {
        let pos = index.pos(value.span().start);
        diagnostics.push(empty_field(key, what).at(file, pos));
    }
}

/// The error for an id that breaks the id rules.
pub fn malformed_id(what: &str, id: &str) -> Diagnostic {
    Diagnostic::error(format!("`{id}` is not a valid {what} id"))
        .help("ids use lowercase letters a-z, digits and hyphens, and start with a letter, like `designated-nurse`")
}

/// The error for a required field left empty.
pub(crate) fn empty_field(key: &str, what: &str) -> Diagnostic {
    Diagnostic::error(format!("`{key}` is empty")).help(format!(
        "{what} needs a `{key}`: write it between the quotes"
    ))
}

/// Reports a web address in data (a statute's `url`) that is not a complete `https://` or
/// `http://` address, by the rule every link follows.
pub(crate) fn require_web_address(
    file: &str,
    index: &LineIndex,
    value: &toml::Spanned<String>,
    key: &str,
    diagnostics: &mut Diagnostics,
) {
    let url = value.get_ref();
    if crate::links::classify(url) == crate::links::LinkKind::Web {
        return;
    }
    let pos = index.pos(value.span().start);
    let message = match crate::links::classify(url) {
        crate::links::LinkKind::Refused(why) => crate::links::explain(url, &why).0,
        _ if url.trim().is_empty() => format!("`{key}` is empty"),
        _ => format!("`{}` is not a web address", crate::links::shorten(url)),
    };
    diagnostics.push(
        Diagnostic::error(message)
            .at(file, pos)
            .help(format!("`{key}` is a full web address starting `https://` (or `http://`), like `https://www.legislation.gov.uk/ukpga/2004/31/section/11`")),
    );
}

/// Rewrites serde's messages ("unknown field `x`, expected one of …") in plain words, with the
/// likely intended key where one is close.
pub(crate) fn explain_serde_error(message: &str, file: &str, pos: Pos) -> Diagnostic {
    let message = strip_location(message.trim()).trim_end_matches('.');
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = backticked(expected);
        let help = match did_you_mean(key, allowed.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None if allowed.is_empty() => "remove this key: none is allowed here".to_string(),
            None => format!(
                "the keys allowed here are {}",
                allowed
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Diagnostic::error(format!("unknown key `{key}`"))
            .at(file, pos)
            .help(help);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = backticked(expected);
        let list = allowed
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = match did_you_mean(value, allowed.iter().copied()) {
            Some(close) => format!("did you mean `{close}`? The values allowed here are {list}"),
            None => format!("the values allowed here are {list}"),
        };
        return Diagnostic::error(format!("`{value}` is not an allowed value here"))
            .at(file, pos)
            .help(help);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return Diagnostic::error(format!("missing key `{key}`"))
            .at(file, pos)
            .help(format!("add `{key} = …` here"));
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return Diagnostic::error(format!("the key `{key}` is written twice"))
            .at(file, pos)
            .help(format!("keep one `{key}:` line and delete the other"));
    }
    if message.starts_with("cannot deserialize null") {
        return Diagnostic::error("this key has no value")
            .at(file, pos)
            .help("write its value after the colon, for example `title: Roles and responsibilities`, or remove the key");
    }
    if message == "expected string scalar" || message.starts_with("expected string") {
        return Diagnostic::error("wrong kind of value: text is expected here")
            .at(file, pos)
            .help("write the text in quotes, for example `title: \"Roles: who does what\"`");
    }
    if message.contains("recursion") || message.contains("nesting") && message.contains("deep") {
        return Diagnostic::error("this value is nested too deeply to read")
            .at(file, pos)
            .help("lists and tables here nest a few levels at most: write the data flat");
    }
    if let Some((what, help)) = plain_words(message) {
        return Diagnostic::error(what)
            .at(file, pos)
            .help(format!("{help} (the reader said: {message})"));
    }
    if message.starts_with("invalid type") {
        return Diagnostic::error(format!("wrong kind of value: {message}")).at(file, pos);
    }
    Diagnostic::error(message.to_string()).at(file, pos)
}

/// The TOML and YAML readers' messages that writers meet most, in their words: (what is
/// wrong, how to fix it).
fn plain_words(message: &str) -> Option<(String, String)> {
    if message.starts_with("invalid type: map, expected a string") {
        return Some((
            "this looks like a date or a time, which must be written in quotes here".into(),
            "write it in quotes, for example `date = \"2013-03-28\"`".into(),
        ));
    }
    if let Some(rest) = message.strip_prefix("invalid type: string ")
        && let Some(value) = rest.strip_suffix(", expected a sequence")
    {
        return Some((
            "a list is expected here, not a single value".into(),
            format!("write it in square brackets: `[{value}]`"),
        ));
    }
    if message.starts_with("unexpected leading zero") {
        return Some((
            "a number cannot start with 0 here".into(),
            "write it in quotes, so that it is kept as written: `phone = \"01234 567890\"`".into(),
        ));
    }
    if message == "unclosed quote" || message.starts_with("invalid basic string") {
        return Some((
            "this quotation mark is never closed".into(),
            "end the value with the same quotation mark, on the same line".into(),
        ));
    }
    None
}

/// The names in a serde "expected one of `a`, `b`" list (with or without backticks).
fn backticked(text: &str) -> Vec<&str> {
    if text.contains('`') {
        return text.split('`').skip(1).step_by(2).collect();
    }
    let list = text.trim_start_matches([',', ' ']);
    let list = list
        .strip_prefix("expected one of ")
        .or_else(|| list.strip_prefix("expected "))
        .unwrap_or("");
    list.split([',', ' '])
        .filter(|w| !w.is_empty() && *w != "or")
        .collect()
}

/// Drops a leading "error: line 2 column 1: " that some parsers put in their messages (the
/// position is shown separately).
fn strip_location(message: &str) -> &str {
    let rest = message.strip_prefix("error: ").unwrap_or(message);
    match rest.strip_prefix("line ").and_then(|r| r.split_once(": ")) {
        Some((place, tail)) if place.contains("column") => tail,
        _ => rest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_suggest_the_intended_one() {
        let d = explain_serde_error(
            "unknown field `langauge`, expected one of `title`, `language`",
            "guidepack.toml",
            Pos::new(3, 1),
        );
        assert_eq!(d.message, "unknown key `langauge`");
        assert_eq!(d.help.as_deref(), Some("did you mean `language`?"));
    }

    #[test]
    fn yaml_messages_without_backticks() {
        let d = explain_serde_error(
            "error: line 2 column 1: unknown field `sumary`, expected one of title, id, summary",
            "a.md",
            Pos::new(3, 1),
        );
        assert_eq!(d.message, "unknown key `sumary`");
        assert_eq!(d.help.as_deref(), Some("did you mean `summary`?"));
    }

    #[test]
    fn unknown_values_list_the_allowed_ones() {
        let d = explain_serde_error(
            "unknown variant `a5`, expected `a4` or `letter`",
            "g.toml",
            Pos::new(1, 1),
        );
        assert_eq!(d.message, "`a5` is not an allowed value here");
        assert!(d.help.unwrap().contains("`a4`, `letter`"));
    }
}
