//! Text made safe for Govspeak: every character or line start that the gem's regex
//! pre-processing or kramdown would read as markup is written so that it shows as itself.
//!
//! Govspeak runs regexes over the raw text before kramdown parses it, and a regex does not see
//! a backslash escape (`\[Contact: x]` still holds `[Contact: x]`): the characters that begin
//! one of those patterns are written as numeric entities (`&#123;`), which no regex matches and
//! kramdown shows as the character. The rest take kramdown's backslash escapes.

/// The devolved-content tags: `:england: … :england:` anywhere in a text becomes a box.
const DEVOLVED: [&str; 6] = [
    "scotland:",
    "england:",
    "england-wales:",
    "northern-ireland:",
    "wales:",
    "london:",
];

/// Whether Govspeak deletes a character before parsing (control characters other than tab,
/// line feed and carriage return, and Unicode non-characters): such a character is left out.
pub fn forbidden(c: char) -> bool {
    let n = c as u32;
    matches!(n, 0x00..=0x08 | 0x0B | 0x0E..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF)
        || (n & 0xFFFE) == 0xFFFE
        || c == '\u{0C}'
}

/// Text as Govspeak that shows exactly this text. `line_start`: the text begins a line (of a
/// paragraph, a list item, a table cell's row…), where more characters are markup.
pub fn text(text: &str, line_start: bool) -> String {
    let chars: Vec<char> = text
        .chars()
        .filter(|c| !forbidden(*c))
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut start = 0;
    if line_start {
        // Leading spaces would make an indented code block; a reader sees none.
        while chars.get(start) == Some(&' ') {
            start += 1;
        }
        start += line_start_prefix(&chars[start..], &mut out);
    }
    for i in start..chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        match c {
            // Entities: characters that begin a Govspeak regex pattern, where a backslash
            // would not stop the regex (`{barchart}`, `[Contact:…]`, `$CTA`, `$$`…).
            '{' => out.push_str("&#123;"),
            '$' => out.push_str("&#36;"),
            '[' => out.push_str("&#91;"),
            '\\' => out.push_str("&#92;"),
            ':' if DEVOLVED.iter().any(|tag| starts_with(&chars[i + 1..], tag)) => {
                out.push_str("&#58;")
            }
            '&' if entity_follows(&chars[i + 1..]) => out.push_str("&amp;"),
            // kramdown's backslash escapes: emphasis, code, links, HTML, tables, smart quotes.
            '*' | '_' | '`' | ']' | '<' | '>' | '|' | '"' | '\'' | '#' => {
                out.push('\\');
                out.push(c);
            }
            // `--` and `---` become dashes, `...` an ellipsis.
            '-' if next == Some('-') || prev == Some('-') => out.push_str("\\-"),
            '.' if next == Some('.') || prev == Some('.') => out.push_str("\\."),
            c => out.push(c),
        }
    }
    out
}

/// What a line's first characters must be written as, pushed onto `out`; the number of
/// characters so handled (the rest go through the ordinary escapes).
fn line_start_prefix(chars: &[char], out: &mut String) -> usize {
    let first = match chars.first() {
        Some(c) => *c,
        None => return 0,
    };
    match first {
        // Govspeak markers at a line start: `^` information, `%` warning, `~~~` code fence,
        // `!!1` an attached image.
        '^' => {
            out.push_str("&#94;");
            1
        }
        '%' => {
            out.push_str("&#37;");
            1
        }
        '~' => {
            out.push_str("&#126;");
            1
        }
        ':' if DEVOLVED.iter().any(|tag| starts_with(&chars[1..], tag)) => {
            out.push_str("&#58;");
            1
        }
        // kramdown blocks: lists, headings, rules, definitions, setext underlines.
        '-' | '+' | '=' | ':' | '!' => {
            out.push('\\');
            out.push(first);
            1
        }
        // `s1. ` a step, `1. ` an ordered list item: the dot escaped.
        's' | '0'..='9' => {
            let digits_from = usize::from(first == 's');
            let digits = chars[digits_from..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            let dot = digits_from + digits;
            // Only a dot followed by a space (or nothing yet) makes the marker: `1.1` is text.
            let ends = chars.get(dot + 1).is_none_or(|c| c.is_whitespace());
            if digits > 0 && chars.get(dot) == Some(&'.') && ends {
                out.extend(&chars[..dot]);
                out.push_str("\\.");
                dot + 1
            } else {
                0
            }
        }
        _ => 0,
    }
}

fn starts_with(chars: &[char], word: &str) -> bool {
    let mut it = chars.iter();
    word.chars().all(|w| it.next() == Some(&w))
}

/// Whether `&` here would start an HTML entity (`&amp;`, `&#36;`, `&x;`).
fn entity_follows(chars: &[char]) -> bool {
    let name: Vec<char> = chars
        .iter()
        .take(33)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .copied()
        .collect();
    !name.is_empty() && chars.get(name.len()) == Some(&';')
}

/// A link's address as kramdown reads it inside `(…)`: the characters that end it or begin a
/// Govspeak pattern percent-encoded.
pub fn url(url: &str) -> String {
    let chars: Vec<char> = url.chars().filter(|c| !forbidden(*c)).collect();
    let mut out = String::with_capacity(url.len());
    for (i, c) in chars.iter().enumerate() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '[' => out.push_str("%5B"),
            ']' => out.push_str("%5D"),
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '|' => out.push_str("%7C"),
            '`' => out.push_str("%60"),
            '"' => out.push_str("%22"),
            '\\' => out.push_str("%5C"),
            '^' => out.push_str("%5E"),
            '$' => out.push_str("%24"),
            ':' if DEVOLVED.iter().any(|tag| starts_with(&chars[i + 1..], tag)) => {
                out.push_str("%3A")
            }
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(*c),
        }
    }
    out
}

/// Inline code as a kramdown code span, when it can be one: a code span cannot be escaped, so
/// code that holds a backtick, a Govspeak pattern or a forbidden character, or starts or ends
/// with a space, is `None` (and is written as text).
pub fn code_span(code: &str) -> Option<String> {
    let plain = !code.is_empty()
        && !code.contains('`')
        && !code.starts_with(' ')
        && !code.ends_with(' ')
        && !code.chars().any(|c| forbidden(c) || c.is_control())
        && !has_govspeak_pattern(code);
    plain.then(|| format!("`{code}`"))
}

/// Whether raw text (a code block's line, an abbreviation's meaning) holds a pattern that
/// Govspeak's pre-processing finds anywhere on a line, or a step (`s1. `) after spaces.
pub fn has_govspeak_pattern(raw: &str) -> bool {
    const ANYWHERE: [&str; 10] = [
        "{barchart",
        "{stat-headline}",
        "{/stat-headline}",
        "{::",
        "{:/",
        "[embed:",
        "[Contact:",
        "[AttachmentLink:",
        "$$",
        "x[",
    ];
    let devolved = DEVOLVED.iter().any(|tag| raw.contains(&format!(":{tag}")));
    let step = {
        let rest = raw.trim_start_matches([' ', '\t']);
        rest.strip_prefix('s').is_some_and(|r| {
            let digits = r.chars().take_while(|c| c.is_ascii_digit()).count();
            digits > 0 && r[digits..].starts_with('.')
        })
    };
    devolved || step || ANYWHERE.iter().any(|p| raw.contains(p))
}

/// The plain text an escaped text shows (for tests): entities and backslash escapes undone.
#[cfg(test)]
pub fn shown(escaped: &str) -> String {
    let mut out = String::new();
    let mut rest = escaped;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("&#")
            && let Some((num, tail)) = after.split_once(';')
            && let Ok(n) = num.parse::<u32>()
        {
            out.push(char::from_u32(n).unwrap_or('?'));
            rest = tail;
            continue;
        }
        if let Some(after) = rest.strip_prefix("&amp;") {
            out.push('&');
            rest = after;
            continue;
        }
        if c == '\\'
            && let Some(next) = rest[1..].chars().next()
        {
            out.push(next);
            rest = &rest[1 + next.len_utf8()..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_rule_of_publishing_md() {
        let cases = [
            ("s1. of the Act", true, "s1\\. of the Act"),
            ("s12.", true, "s12\\."),
            ("costs $$5", false, "costs &#36;&#36;5"),
            ("% of staff", true, "&#37; of staff"),
            ("50% of staff", true, "50% of staff"),
            ("^ marks", true, "&#94; marks"),
            ("2^3", false, "2^3"),
            ("*[CCG]: x", true, "\\*&#91;CCG\\]: x"),
            ("{barchart}", false, "&#123;barchart}"),
            ("{: .x}", false, "&#123;: .x}"),
            ("a | b", false, "a \\| b"),
            ("<b>", false, "\\<b\\>"),
            ("[Contact: 1]", false, "&#91;Contact: 1\\]"),
            (": term", true, "\\: term"),
            ("# no heading", true, "\\# no heading"),
            ("> no quote", true, "\\> no quote"),
            ("- no item", true, "\\- no item"),
            ("+ no item", true, "\\+ no item"),
            ("1. no item", true, "1\\. no item"),
            ("2*3*4", false, "2\\*3\\*4"),
            ("snake_case", false, "snake\\_case"),
            ("$C", true, "&#36;C"),
            ("$CTA and $E", true, "&#36;CTA and &#36;E"),
            ("a -- b --- c", false, "a \\-\\- b \\-\\-\\- c"),
            ("wait...", false, "wait\\.\\.\\."),
            ("<<x>>", false, "\\<\\<x\\>\\>"),
            ("\"x\" 'y'", false, "\\\"x\\\" \\'y\\'"),
            ("`code`", false, "\\`code\\`"),
            ("a\u{0}b\u{FFFE}c\u{7}", false, "abc"),
            (
                ":england: x :england:",
                false,
                "&#58;england: x &#58;england:",
            ),
            ("!!1", true, "\\!!1"),
            ("~~~", true, "&#126;~~"),
            ("&amp; &", false, "&amp;amp; &"),
            ("C:\\", false, "C:&#92;"),
            (":wales: x", true, "&#58;wales: x"),
            ("x[a](b)x", true, "x&#91;a\\](b)x"),
            ("1.1 numbered", true, "1.1 numbered"),
            ("   = underline", true, "\\= underline"),
        ];
        for (raw, line_start, want) in cases {
            assert_eq!(text(raw, line_start), want, "{raw:?}");
        }
    }

    #[test]
    fn urls_cannot_end_early_or_hold_a_govspeak_pattern() {
        assert_eq!(
            url("https://x.org/a (b)?q=[1]{2}$"),
            "https://x.org/a%20%28b%29?q=%5B1%5D%7B2%7D%24"
        );
        assert_eq!(url("https://x.org/:wales:"), "https://x.org/%3Awales:");
    }

    #[test]
    fn code_spans_only_when_nothing_needs_escaping() {
        assert_eq!(code_span("cargo test"), Some("`cargo test`".into()));
        assert_eq!(code_span("a`b"), None);
        assert_eq!(code_span("[Contact: 1]"), None);
        assert_eq!(code_span(" x"), None);
        assert_eq!(code_span("{barchart}"), None);
    }

    /// What could begin a Govspeak or kramdown construct at the start of a line.
    fn starts_a_construct(line: &str) -> bool {
        let first = line.chars().next();
        let step_or_item = {
            let rest = line.strip_prefix('s').unwrap_or(line);
            let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
            // kramdown's list marker and Govspeak's step need a space (or the line's end)
            // after the dot: `1.1` and `0.A` are text.
            digits > 0
                && rest[digits..]
                    .strip_prefix('.')
                    .is_some_and(|after| after.is_empty() || after.starts_with(char::is_whitespace))
        };
        matches!(
            first,
            Some(
                '^' | '%'
                    | '$'
                    | '#'
                    | '>'
                    | '-'
                    | '+'
                    | '*'
                    | ':'
                    | '|'
                    | '~'
                    | '`'
                    | '['
                    | '{'
                    | '<'
                    | '='
                    | '!'
                    | ' '
            )
        ) || step_or_item
    }

    proptest! {
        #[test]
        fn escaped_text_never_starts_a_construct_and_shows_the_text(
            raw in "[ -~\u{a0}-\u{ff}\u{2013}\u{201c}]{0,40}"
        ) {
            let escaped = text(&raw, true);
            prop_assert!(!starts_a_construct(&escaped), "{escaped:?}");
            for pattern in ["$$", "{:", "[Contact:", "*[", "--", "...", "<<", ">>", "{barchart", ":wales:"] {
                prop_assert!(!escaped.contains(pattern), "{pattern} in {escaped:?}");
            }
            prop_assert!(!has_govspeak_pattern(&escaped.replace("&#", "")), "{escaped:?}");
            let want: String = raw.trim_start_matches(' ').to_string();
            prop_assert_eq!(shown(&escaped), want);
        }
    }
}
