//! Block attribute lines: a line holding only `{dir=rtl}` (or `{dir=ltr}`), at the start of the
//! line and outside fenced code, gives the paragraph, list, quote, callout or table directly
//! under it that direction. `dir` is the only block attribute; anything else in such a line is
//! an error at its place, since a typo would otherwise show the braces to every reader.
//!
//! Like fence lines, these lines are found before Markdown is parsed and then turned into
//! thematic breaks of the same length (which end any open paragraph and keep every offset);
//! `markdown` drops those breaks and sets the next block's direction.

use std::ops::Range;

use super::fences::lines_outside_code;
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Pos, did_you_mean};
use crate::doc::Direction;

/// One block attribute line of a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockAttrs {
    /// Byte range of the line in the body, without its line ending.
    pub range: Range<usize>,
    /// The direction it gives; `None` when the line is in error (reported).
    pub dir: Option<Direction>,
}

/// Where a body is: its text starts at byte `base` of `file`, whose text `index` covers.
pub struct BodyPlace<'a> {
    pub base: usize,
    pub file: &'a str,
    pub index: &'a LineIndex<'a>,
}

/// Finds the block attribute lines of a body and reports what in them guidepack does not know.
pub fn find_block_attrs(
    body: &str,
    place: &BodyPlace,
    diagnostics: &mut Diagnostics,
) -> Vec<BlockAttrs> {
    lines_outside_code(body)
        .into_iter()
        .filter(|(_, line)| is_attribute_line(line))
        .map(|(range, line)| {
            let at = |offset: usize| place.index.pos(place.base + range.start + offset);
            let dir = read_line(line.trim_end(), &at, place.file, diagnostics);
            BlockAttrs { range, dir }
        })
        .collect()
}

/// A line that is only `{…}` from its first column (a `{{ variable }}` is text).
fn is_attribute_line(line: &str) -> bool {
    line.starts_with('{') && !line.starts_with("{{") && line.trim_end().ends_with('}')
}

/// The direction a `{…}` line gives, reporting each word in it that is not `dir=rtl` or
/// `dir=ltr`; `at` gives the place of a byte offset in the line.
fn read_line(
    line: &str,
    at: &dyn Fn(usize) -> Pos,
    file: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Direction> {
    let inside = &line[1..line.len() - 1];
    let words = words(inside, 1);
    if words.is_empty() {
        diagnostics.push(
            Diagnostic::error("these braces hold no attribute")
                .at(file, at(0))
                .help(allowed_help()),
        );
        return None;
    }
    let mut dir = None;
    let mut ok = true;
    for (offset, word) in words {
        let pos = at(offset);
        let (key, value) = match word.split_once('=') {
            Some((key, value)) => (key, Some(value)),
            None => (word, None),
        };
        let problem = match (key, value) {
            ("dir", _) if dir.is_some() => Some(
                Diagnostic::error("`dir` is given twice in these braces")
                    .help("keep one `dir=rtl` or `dir=ltr`"),
            ),
            ("dir", None | Some("")) => Some(
                Diagnostic::error("`dir` has no value")
                    .help("write `{dir=rtl}` (right to left) or `{dir=ltr}` (left to right)"),
            ),
            ("dir", Some(value)) => match Direction::from_word(value) {
                Some(found) => {
                    dir = Some(found);
                    None
                }
                None => Some(
                    Diagnostic::error(format!("`{value}` is not a direction"))
                        .help("write `dir=rtl` (right to left) or `dir=ltr` (left to right)"),
                ),
            },
            _ => Some(unknown(key)),
        };
        if let Some(d) = problem {
            diagnostics.push(d.at(file, pos));
            ok = false;
        }
    }
    dir.filter(|_| ok)
}

/// The error for a word that is not `dir`.
fn unknown(key: &str) -> Diagnostic {
    let d = Diagnostic::error(format!("there is no block attribute `{key}`"));
    match did_you_mean(key, ["dir"]) {
        Some(close) => d.help(format!("did you mean `{close}`? {}", allowed_help())),
        None => d.help(allowed_help()),
    }
}

fn allowed_help() -> String {
    "a line holding only braces gives the block under it attributes, and the only one is `dir`: `{dir=rtl}` (right to left) or `{dir=ltr}` (left to right); to start a line with braces as text, write `\\{`".to_string()
}

/// The words of `text` (split at ASCII white space) with their offsets plus `base`.
fn words(text: &str, base: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, b) in text
        .bytes()
        .enumerate()
        .chain(std::iter::once((text.len(), b' ')))
    {
        match (start, b.is_ascii_whitespace()) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                out.push((base + s, &text[s..i]));
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

    fn found(body: &str) -> (Vec<BlockAttrs>, Vec<(String, u32, u32)>) {
        let index = LineIndex::new(body);
        let place = BodyPlace {
            base: 0,
            file: "a.md",
            index: &index,
        };
        let mut diagnostics = Diagnostics::default();
        let attrs = find_block_attrs(body, &place, &mut diagnostics);
        let problems = diagnostics
            .sorted()
            .into_iter()
            .map(|d| (d.message, d.line, d.column))
            .collect();
        (attrs, problems)
    }

    #[test]
    fn a_dir_line_gives_its_direction() {
        let (attrs, problems) = found("Text.\n\n{dir=rtl}\nنص\n{ dir=ltr }\nText\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            attrs,
            vec![
                BlockAttrs {
                    range: 7..16,
                    dir: Some(Direction::Rtl)
                },
                BlockAttrs {
                    range: 22..33,
                    dir: Some(Direction::Ltr)
                }
            ]
        );
    }

    #[test]
    fn variables_code_and_indented_braces_are_text() {
        let (attrs, problems) = found("{{ pack.title }}\n```\n{x}\n```\n    {y}\n a {z}\n");
        assert!(attrs.is_empty() && problems.is_empty(), "{attrs:?}");
    }

    #[test]
    fn anything_else_is_an_error_at_its_column() {
        let (attrs, problems) = found("{dir=rtl lang=ar}\n{dri=rtl}\n{dir=up}\n{}\n{dir}\n");
        assert!(attrs.iter().all(|a| a.dir.is_none()));
        assert_eq!(
            problems,
            vec![
                ("there is no block attribute `lang`".to_string(), 1, 10),
                ("there is no block attribute `dri`".to_string(), 2, 2),
                ("`up` is not a direction".to_string(), 3, 2),
                ("these braces hold no attribute".to_string(), 4, 1),
                ("`dir` has no value".to_string(), 5, 2),
            ]
        );
        let (_, twice) = found("{dir=rtl dir=ltr}\n");
        assert_eq!(twice[0].0, "`dir` is given twice in these braces");
    }
}
