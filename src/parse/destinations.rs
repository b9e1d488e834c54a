//! Variables in link destinations: pulldown-cmark ends a destination at a space, so before
//! Markdown is parsed the spaces inside each `{{ name }}` of a destination are filled with a
//! stand-in of the same length, outside code and raw HTML, in bounded time.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// Stands in for a space or tab inside `{{ name }}` in a link's destination while Markdown
/// is parsed, which ends a destination at a space: one byte, like what it replaces, so that
/// offsets stay true. Inside the braces it reads as a space again.
pub(super) const VAR_PAD: char = '^';

/// How far the closing `}}` of a variable in a destination is looked for, in bytes.
const MAX_VARIABLE: usize = 200;

/// How deep parentheses nest in a destination before it is no destination (as pulldown-cmark
/// reads it).
const MAX_PARENS: usize = 32;

pub(super) fn is_padding(c: char) -> bool {
    c.is_whitespace() || c == VAR_PAD
}

/// Fills the spaces inside each `{{ name }}` of a link destination (after `](`, a reference
/// definition's `]:` or an autolink's `<scheme:`) with [`VAR_PAD`], outside code and raw HTML
/// (as Markdown with `options` reads them).
pub(super) fn pad_destination_variables(text: String, options: Options) -> String {
    let mut pads = Vec::new();
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices("](").chain(text.match_indices("]:")) {
        let mut p = at + 2;
        while matches!(bytes.get(p), Some(b' ' | b'\t')) {
            p += 1;
        }
        if bytes[at + 1] == b':' && bytes.get(p) == Some(&b'\n') {
            p += 1;
            while matches!(bytes.get(p), Some(b' ' | b'\t')) {
                p += 1;
            }
        }
        pad_destination(&text, p, false, &mut pads);
    }
    // An autolink: `<` and a scheme (`<mailto:{{ area.email }}>`).
    for (at, _) in text.match_indices('<') {
        let rest = &bytes[at + 1..];
        let colon = rest.iter().take(33).position(|&b| b == b':');
        let is_scheme = |c: &usize| {
            *c >= 2
                && rest[0].is_ascii_alphabetic()
                && rest[..*c]
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        };
        if let Some(colon) = colon.filter(is_scheme) {
            pad_destination(&text, at + 1 + colon + 1, true, &mut pads);
        }
    }
    if pads.is_empty() {
        return text;
    }
    // Code and raw HTML keep what was written.
    let kept: Vec<Range<usize>> = Parser::new_ext(&text, options)
        .into_offset_iter()
        .filter(|(event, _)| {
            matches!(
                event,
                Event::Code(_)
                    | Event::Html(_)
                    | Event::InlineHtml(_)
                    | Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)
            )
        })
        .map(|(_, range)| range)
        .collect();
    let mut bytes = text.into_bytes();
    for pad in pads {
        if !kept.iter().any(|r| r.contains(&pad)) {
            bytes[pad] = VAR_PAD as u8;
        }
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// Scans a destination from `p` to its end (a space, or an unbalanced `)`; `>` in an
/// autolink), recording the spaces inside its variables in `pads`.
fn pad_destination(text: &str, mut p: usize, autolink: bool, pads: &mut Vec<usize>) {
    let bytes = text.as_bytes();
    let mut nest = 0usize;
    while let Some(&b) = bytes.get(p) {
        if b == b'{' && bytes.get(p + 1) == Some(&b'{') {
            p = padded_variable(text, p, pads);
            continue;
        }
        match b {
            0..=b' ' | b'<' => break,
            b'>' if autolink => break,
            b'(' | b')' if autolink => {}
            b'(' if nest == MAX_PARENS => break,
            b'(' => nest += 1,
            b')' if nest == 0 => break,
            b')' => nest -= 1,
            _ => {}
        }
        p += 1;
    }
}

/// At a `{{` (offset `open`): when a well-formed variable follows, records the spaces inside
/// its braces in `pads`; returns where scanning goes on.
fn padded_variable(text: &str, open: usize, pads: &mut Vec<usize>) -> usize {
    let after = &text[open + 2..];
    // A variable closes on its line, and soon: looking further could take as long as the
    // text for each `{{` of it.
    let mut end = after.len().min(MAX_VARIABLE);
    while !after.is_char_boundary(end) {
        end -= 1;
    }
    let near = &after[..end];
    let line = &near[..near.find(['\n', '\r']).unwrap_or(near.len())];
    let Some(close) = line.find("}}") else {
        return open + 2;
    };
    let inner = &after[..close];
    if !is_variable_name(inner.trim()) {
        return open + 2;
    }
    pads.extend(
        inner
            .bytes()
            .enumerate()
            .filter(|(_, b)| matches!(b, b' ' | b'\t'))
            .map(|(i, _)| open + 2 + i),
    );
    open + 2 + close + 2
}

/// `pack.title`, `area.designated_nurse`: letters, digits, `_` and `-`, in dotted parts.
pub(super) fn is_variable_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|part| {
            let mut chars = part.chars();
            matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_scanned_in_bounded_time() {
        // Each `](` scans on only as far as a destination can go, and each `{{` looks for its
        // `}}` on its line, near it: a hostile text is still read in one pass or so.
        let hostile = format!("{}{}", "](".repeat(20_000), "{{ x".repeat(50_000));
        let padded = pad_destination_variables(hostile.clone(), Options::empty());
        assert_eq!(padded, hostile);
        let many = "[a](mailto:{{ x }}) ".repeat(20_000);
        assert_eq!(
            pad_destination_variables(many, Options::empty())
                .matches("{{^x^}}")
                .count(),
            20_000
        );
    }
}
