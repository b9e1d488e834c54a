//! The `:::` fences of a chapter body: audience blocks and data directives.
//!
//! CommonMark has no fenced containers, so fences are found line by line before Markdown is
//! parsed (skipping fenced code, where `:::` is just text), and each fence line is then turned
//! into a thematic break of the same length. That ends any open paragraph, list or quote, keeps
//! every byte offset (and so every line and column) where it was, and lets the whole chapter be
//! parsed at once, so footnotes and link definitions work across fences.

use std::ops::Range;

/// One fence line of a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fence {
    /// Byte range of the line in the body, without its line ending.
    pub range: Range<usize>,
    /// `None` for a closing `:::`; otherwise the words after `:::`.
    pub words: Option<Vec<String>>,
}

/// Finds the fence lines of a body, outside fenced code.
pub fn find_fences(body: &str) -> Vec<Fence> {
    lines_outside_code(body)
        .into_iter()
        .filter(|(_, line)| line.starts_with(":::"))
        .map(|(range, line)| {
            let rest = line.trim_start_matches(':');
            let words: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
            Fence {
                range,
                words: (!words.is_empty()).then_some(words),
            }
        })
        .collect()
}

/// The lines of a body outside fenced code (the fences of code included neither), each with
/// its byte range, without its line ending.
pub fn lines_outside_code(body: &str) -> Vec<(Range<usize>, &str)> {
    let mut lines = Vec::new();
    let mut code: Option<(char, usize)> = None;
    let mut offset = 0;
    for raw in body.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let range = offset..offset + line.len();
        offset += raw.len();
        if let Some((marker, len)) = code_fence(line) {
            match code {
                None => code = Some((marker, len)),
                Some((open, open_len))
                    if open == marker && len >= open_len && closes_code(line) =>
                {
                    code = None
                }
                Some(_) => {}
            }
            continue;
        }
        if code.is_none() {
            lines.push((range, line));
        }
    }
    lines
}

/// A line that opens or closes fenced code: up to three spaces, then three or more backticks
/// or tildes.
fn code_fence(line: &str) -> Option<(char, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let marker = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.chars().take_while(|c| *c == marker).count();
    (len >= 3 && !(marker == '`' && rest[len..].contains('`'))).then_some((marker, len))
}

fn closes_code(line: &str) -> bool {
    line.trim().chars().all(|c| c == '`' || c == '~')
}

/// The body with each of `lines` (fence lines, block attribute lines) replaced by `***` and
/// spaces: a thematic break of equal length.
pub fn neutralise(body: &str, lines: &[Range<usize>]) -> String {
    let mut bytes = body.as_bytes().to_vec();
    for range in lines {
        for (i, b) in bytes[range.clone()].iter_mut().enumerate() {
            *b = if i < 3 { b'*' } else { b' ' };
        }
    }
    // Only whole lines were replaced, by ASCII, so the text is still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_inside_code_are_text() {
        let body = "::: audience providers\ntext\n:::\n```\n:::\n```\n::: glossary\n:::\n";
        let fences = find_fences(body);
        let words: Vec<_> = fences.iter().map(|f| f.words.clone()).collect();
        assert_eq!(
            words,
            vec![
                Some(vec!["audience".to_string(), "providers".to_string()]),
                None,
                Some(vec!["glossary".to_string()]),
                None
            ]
        );
    }

    #[test]
    fn neutralising_keeps_offsets() {
        let body = "a\n::: audience ŵ\nb\n:::\n";
        let fences = find_fences(body);
        let ranges: Vec<_> = fences.iter().map(|f| f.range.clone()).collect();
        let out = neutralise(body, &ranges);
        assert_eq!(out.len(), body.len());
        assert!(out.starts_with("a\n***"));
        assert_eq!(out.lines().nth(3), Some("***"));
    }

    #[test]
    fn only_column_zero_counts() {
        assert!(find_fences(" ::: audience x\n  :::\n").is_empty());
    }
}
