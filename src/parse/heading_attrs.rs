//! Heading attributes (`## Title {#id key=value}`): only the keys guidepack knows, each once and
//! with a value; no classes, no stray words. A typo here would otherwise show restricted text
//! to everyone, or hide a section from everyone, without a word.

use crate::condition::{Condition, Kind};
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Pos, did_you_mean};
use crate::doc::{Direction, HEADING_ATTRIBUTES};

/// Checks the attribute block of the heading whose Markdown is `src`, which starts at byte
/// `start` of the file `index` covers; returns the condition its `audience=`, `area=` and
/// `format=` make.
pub(super) fn check_heading_attributes(
    src: &str,
    start: usize,
    file: &str,
    index: &LineIndex,
    diagnostics: &mut Diagnostics,
) -> Condition {
    let mut condition = Condition::default();
    let Some(block) = attribute_block(src) else {
        return condition;
    };
    let at = |offset: usize| index.pos(start + offset);
    let mut ids = 0;
    let mut keys: Vec<&str> = Vec::new();
    for (offset, token) in tokens(&src[block.clone()], block.start) {
        let pos = at(offset);
        match token.as_bytes()[0] {
            _ if token.len() == 1 => diagnostics.push(stray(token, pos, file)),
            b'#' => {
                ids += 1;
                if ids > 1 {
                    diagnostics.push(
                        Diagnostic::error("this heading has two ids")
                            .at(file, pos)
                            .help("keep one `#id` in the braces"),
                    );
                }
            }
            b'.' => diagnostics.push(
                Diagnostic::error(format!(
                    "guidepack does not use heading classes like `{token}`"
                ))
                .at(file, pos)
                .help(known_keys_help()),
            ),
            _ => {
                let (key, value) = match token.split_once('=') {
                    Some((key, value)) => (key, Some(value)),
                    None => (token, None),
                };
                if let Some(d) = check_pair(key, value, &keys, file, pos) {
                    diagnostics.push(d);
                } else if let (Some(kind), Some(value)) = (Kind::from_word(key), value) {
                    let at = Pos::new(pos.line, pos.col + key.chars().count() as u32 + 1);
                    let test = Condition::parse_attribute(kind, value, file, at, diagnostics);
                    condition.tests.push(test);
                }
                keys.push(key);
            }
        }
    }
    condition
}

/// One `key=value`: a known key, given once, with a value it takes.
fn check_pair(
    key: &str,
    value: Option<&str>,
    seen: &[&str],
    file: &str,
    pos: Pos,
) -> Option<Diagnostic> {
    let Some((_, takes)) = HEADING_ATTRIBUTES.iter().find(|(k, _)| *k == key) else {
        let d = Diagnostic::error(format!("there is no heading attribute `{key}`")).at(file, pos);
        let known = HEADING_ATTRIBUTES.iter().map(|(k, _)| *k);
        return Some(match did_you_mean(key, known) {
            Some(close) => d.help(format!("did you mean `{close}`?")),
            None => d.help(known_keys_help()),
        });
    };
    if seen.contains(&key) {
        return Some(
            Diagnostic::error(format!("`{key}` is given twice on this heading"))
                .at(file, pos)
                .help(format!(
                    "give `{key}` once, with every value in it: `{key}` takes {takes}"
                )),
        );
    }
    match value.map(str::trim) {
        None | Some("") => Some(
            Diagnostic::error(format!("`{key}` has no value"))
                .at(file, pos)
                .help(format!(
                    "write `{key}=` and then {takes}, with no space after `=`"
                )),
        ),
        Some(v) if key == "local" && v != "required" => Some(
            Diagnostic::error(format!(
                "`local={v}` is not a local requirement guidepack knows"
            ))
            .at(file, pos)
            .help("write `local=required` for a section every area must replace"),
        ),
        Some(v) if key == "dir" && Direction::from_word(v).is_none() => Some(
            Diagnostic::error(format!("`{v}` is not a direction"))
                .at(file, pos)
                .help("write `dir=rtl` (right to left) or `dir=ltr` (left to right)"),
        ),
        Some(_) => None,
    }
}

fn stray(token: &str, pos: Pos, file: &str) -> Diagnostic {
    Diagnostic::error(format!("`{token}` in this heading's braces means nothing"))
        .at(file, pos)
        .help(known_keys_help())
}

fn known_keys_help() -> String {
    let keys: Vec<String> = HEADING_ATTRIBUTES
        .iter()
        .map(|(k, takes)| format!("`{k}` ({takes})"))
        .collect();
    format!(
        "the braces after a heading hold its `#id` and these attributes only: {}; to end a heading with braces as text, write `\\{{`",
        keys.join(", ")
    )
}

/// The byte range of the text inside a heading's trailing `{…}`, found as pulldown-cmark finds
/// it: the last `{` of the heading's text line, with no `{`, `}`, `<`, `>`, `\` inside.
fn attribute_block(src: &str) -> Option<std::ops::Range<usize>> {
    let lines: Vec<(usize, &str)> = src
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some((start, line))
        })
        .collect();
    let underline = |line: &str| {
        let t = line.trim();
        !t.is_empty() && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-'))
    };
    let (line_start, line) = match lines.as_slice() {
        [.., text, last] if underline(last.1) => *text,
        [first, ..] => *first,
        [] => return None,
    };
    let mut text = line.trim_end();
    if !text.ends_with('}') {
        // An ATX heading's closing `#`s come after the block.
        text = text.trim_end_matches('#').trim_end();
    }
    let close = text.strip_suffix('}')?.len();
    let open = text[..close].rfind(['{', '}', '<', '>', '\\'])?;
    (text.as_bytes()[open] == b'{').then(|| line_start + open + 1..line_start + close)
}

/// The words of an attribute block with their offsets (as pulldown-cmark splits it: ASCII
/// white space).
fn tokens(block: &str, base: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, b) in block
        .bytes()
        .enumerate()
        .chain(std::iter::once((block.len(), b' ')))
    {
        match (start, b.is_ascii_whitespace()) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                out.push((base + s, &block[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(line: &str) -> Vec<(String, u32)> {
        let index = LineIndex::new(line);
        let mut diagnostics = Diagnostics::default();
        check_heading_attributes(line, 0, "a.md", &index, &mut diagnostics);
        diagnostics
            .sorted()
            .into_iter()
            .map(|d| (d.message, d.column))
            .collect()
    }

    #[test]
    fn known_attributes_pass() {
        assert!(problems("## T {#t audience=commissioners,providers}\n").is_empty());
        assert!(problems("## T {#t local=required}\n").is_empty());
        assert!(problems("## T {#t dir=rtl}\n").is_empty());
        assert!(problems("## For {{ area.name }}\n").is_empty());
        assert!(problems("## Plain\n").is_empty());
        assert!(problems("T {#t}\n===\n").is_empty());
    }

    #[test]
    fn typos_and_empty_values_are_errors_at_their_column() {
        assert_eq!(
            problems("## T {#t audiance=commissioners}\n"),
            vec![("there is no heading attribute `audiance`".to_string(), 10)]
        );
        assert_eq!(
            problems("## T {#t audience=}\n"),
            vec![("`audience` has no value".to_string(), 10)]
        );
        assert_eq!(
            problems("## T {onclick=alert(1)}\n")[0].0,
            "there is no heading attribute `onclick`"
        );
        assert_eq!(problems("## T {.x}\n").len(), 1);
        assert_eq!(problems("## T {#a #b}\n")[0].0, "this heading has two ids");
        assert_eq!(
            problems("## T {#a x}\n")[0].0,
            "`x` in this heading's braces means nothing"
        );
        assert_eq!(problems("## T {local=requird}\n").len(), 1);
        assert_eq!(
            problems("## T {#t dir=rlt}\n"),
            vec![("`rlt` is not a direction".to_string(), 10)]
        );
        assert_eq!(
            problems("## T {audience=a audience=b}\n")[0].0,
            "`audience` is given twice on this heading"
        );
        assert_eq!(
            problems("## T {#t local} ##\n")[0].0,
            "`local` has no value"
        );
    }
}
