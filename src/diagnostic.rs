//! Diagnostics: what is wrong, where, and how to fix it; rendered for people or as JSON lines.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

/// How bad a diagnostic is: errors stop a build, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column (in characters) in a source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub const fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }
}

/// A value with the file and position it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub file: String,
    pub pos: Pos,
}

/// One finding about the project, in the words a policy writer understands.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Project-relative path with `/` separators, when the finding is about a file.
    pub file: Option<String>,
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// The error this one may only follow from (a record that could not be read, which a
    /// reference names): fixing that one first may make this one go away. Left out of the
    /// JSON when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follows_from: Option<Place>,
}

/// A place in a project file, as `file:line:col`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Place {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl Place {
    pub fn new(file: &str, pos: Pos) -> Self {
        Place {
            file: file.to_string(),
            line: pos.line,
            column: pos.col,
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            shown(&self.file),
            self.line,
            self.column.max(1)
        )
    }
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message.into())
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message.into())
    }

    fn new(severity: Severity, message: String) -> Self {
        Diagnostic {
            file: None,
            line: 0,
            column: 0,
            severity,
            message,
            help: None,
            follows_from: None,
        }
    }

    /// Places the finding in a file at a position.
    pub fn at(mut self, file: &str, pos: Pos) -> Self {
        self.file = Some(file.to_string());
        self.line = pos.line;
        self.column = pos.col;
        self
    }

    /// Places the finding in a file without a position (the file as a whole).
    pub fn in_file(mut self, file: &str) -> Self {
        self.file = Some(file.to_string());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Marks the finding as one that may only follow from the error at `cause`.
    pub fn follows_from(mut self, cause: Place) -> Self {
        self.follows_from = Some(cause);
        self
    }

    /// Where the finding comes in a report: findings about the configuration first, then the
    /// framework data and glossary, then the areas' data, then the text that uses them (a
    /// broken role is reported before the links that name it); findings that may only follow
    /// from another last.
    fn rank(&self) -> (bool, u8) {
        let stage = match self.file.as_deref() {
            None => 0,
            Some("guidepack.toml") => 1,
            Some(f) if f.starts_with("content/framework/") || f == "content/glossary.toml" => 2,
            Some(f) if f.starts_with("content/areas/") && f.ends_with("/area.toml") => 3,
            Some(_) => 4,
        };
        (self.follows_from.is_some(), stage)
    }
}

/// A diagnostic's message, for the rare place that carries one inside another error (an
/// `io::Error` of the output stage): [`crate::output::write_error`] takes it out whole.
impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// Every finding of a run, kept sorted and free of repeats (the same link can be wrong in
/// several packs; the writer needs to hear it once).
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The findings each once, root causes first: by [stage](Diagnostic::rank), then in
    /// file, line, column order.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort_by(|a, b| a.rank().cmp(&b.rank()).then_with(|| a.cmp(b)));
        items.dedup();
        items
    }
}

/// Renders findings as `error: …` / ` --> file:line:col` blocks with the source line and a caret.
pub fn render_human(diagnostics: &[Diagnostic], sources: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    // One index per file: a file with many findings is read once, not once per finding.
    let mut indexes: BTreeMap<&str, LineIndex> = BTreeMap::new();
    for d in diagnostics {
        let label = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{label}: {}", d.message);
        if let Some(file) = &d.file {
            let line_text = match sources.get(file) {
                Some(text) if d.line > 0 => indexes
                    .entry(file.as_str())
                    .or_insert_with(|| LineIndex::new(text))
                    .line(d.line),
                _ => None,
            };
            let file = shown(file);
            if d.line == 0 {
                let _ = writeln!(out, " --> {file}");
            } else {
                let _ = writeln!(out, " --> {file}:{}:{}", d.line, d.column.max(1));
            }
            if let Some(text) = line_text {
                let number = d.line.to_string();
                let pad = " ".repeat(number.len());
                let (text, caret_pad) = excerpt(text, d.column.saturating_sub(1) as usize);
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{number} | {text}");
                let _ = writeln!(out, "{pad} | {caret_pad}^");
            }
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "help: {help}");
        }
        if let Some(cause) = &d.follows_from {
            let _ = writeln!(
                out,
                "note: this may only follow from the error at {cause}: fix that one first"
            );
        }
        out.push('\n');
    }
    out
}

/// Text from a file or a path as it is safe to print on a terminal: control characters escaped
/// (`\u{1b}`), so that no name or line can move the cursor, clear the screen or hide itself.
pub fn shown(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                c.escape_debug().collect()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// How many characters of a source line are shown around the caret.
const EXCERPT_CHARS: usize = 100;

/// A source line as shown under a message, and the padding that puts the caret under the
/// character at `caret` (0-based): control characters escaped, a long line cut around the caret.
fn excerpt(line: &str, caret: usize) -> (String, String) {
    let chars: Vec<char> = line.chars().collect();
    let caret = caret.min(chars.len());
    let (start, end) = if chars.len() <= EXCERPT_CHARS {
        (0, chars.len())
    } else {
        let start = caret.saturating_sub(EXCERPT_CHARS / 2);
        let end = (start + EXCERPT_CHARS).min(chars.len());
        (end.saturating_sub(EXCERPT_CHARS), end)
    };
    let mut text = String::new();
    let mut pad = String::new();
    if start > 0 {
        text.push('…');
        pad.push(' ');
    }
    for (i, c) in chars[start..end].iter().enumerate() {
        let piece = if c.is_control() && *c != '\t' {
            c.escape_debug().collect()
        } else {
            c.to_string()
        };
        if start + i < caret {
            pad.extend(piece.chars().map(|p| if p == '\t' { '\t' } else { ' ' }));
        }
        text.push_str(&piece);
    }
    if end < chars.len() {
        text.push('…');
    }
    (text, pad)
}

/// Renders findings as JSON lines, one object per finding, for CI.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        // Serialising plain strings and numbers cannot fail.
        out.push_str(&serde_json::to_string(d).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Maps byte offsets in a text to line and column. Made once per text (it reads the whole
/// text), then each lookup is a binary search: making one per lookup is quadratic.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Whether each line is ASCII, where a column is a byte count (found without counting,
    /// so that many positions on one long line stay cheap).
    ascii: Vec<bool>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let ascii = starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let end = starts.get(i + 1).copied().unwrap_or(text.len());
                text.as_bytes()[start..end].is_ascii()
            })
            .collect();
        LineIndex {
            text,
            starts,
            ascii,
        }
    }

    /// The position of a byte offset (clamped to the text; mid-character offsets round down).
    pub fn pos(&self, offset: usize) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = if self.ascii[line - 1] {
            offset - start + 1
        } else {
            self.text[start..offset].chars().count() + 1
        };
        Pos::new(line as u32, col as u32)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line(&self, line: u32) -> Option<&'a str> {
        let start = *self.starts.get(line.checked_sub(1)? as usize)?;
        if start == self.text.len() {
            // Nothing after the last line break: as `str::lines`, no line there.
            return None;
        }
        let end = self.line_start(line + 1);
        Some(
            self.text[start..end]
                .trim_end_matches('\n')
                .trim_end_matches('\r'),
        )
    }

    /// The text between two byte offsets (clamped).
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        let end = end.min(self.text.len());
        self.text.get(start.min(end)..end).unwrap_or("")
    }

    /// The byte offset where a 1-based line starts.
    pub fn line_start(&self, line: u32) -> usize {
        self.starts
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(self.text.len())
    }
}

/// The closest of `candidates` to `word`, if any is close enough to be a likely typo: a letter
/// or two wrong, swapped, missing or extra, or a long shared beginning.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let allowed = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| {
            (
                strsim::osa_distance(word, c),
                -strsim::jaro_winkler(word, c),
                c,
            )
        })
        .filter(|(distance, jw, _)| *distance <= allowed || -*jw > 0.9)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map(|(_, _, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_characters_not_bytes() {
        let index = LineIndex::new("ab\nŵŷx\n");
        assert_eq!(index.pos(0), Pos::new(1, 1));
        assert_eq!(index.pos(3), Pos::new(2, 1));
        assert_eq!(index.pos(7), Pos::new(2, 3));
        assert_eq!(
            index.pos(4),
            Pos::new(2, 1),
            "mid-character offsets round down"
        );
    }

    #[test]
    fn line_index_columns_on_ascii_and_other_lines_and_line_texts() {
        let text = "abc def\nŵŷ x\r\n\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.pos(4), Pos::new(1, 5));
        assert_eq!(index.pos(13), Pos::new(2, 4), "counted in characters");
        assert_eq!(index.pos(text.len()), Pos::new(4, 5));
        assert_eq!(index.line(1), Some("abc def"));
        assert_eq!(index.line(2), Some("ŵŷ x"));
        assert_eq!(index.line(3), Some(""));
        assert_eq!(index.line(4), Some("last"));
        assert_eq!(index.line(5), None);
        assert_eq!(index.line(0), None);
        assert_eq!(LineIndex::new("a\n").line(2), None, "as str::lines");
    }

    #[test]
    fn human_rendering_shows_the_line_and_a_caret() {
        let sources = BTreeMap::from([("a.md".to_string(), "one\ntwo {{ x }}\n".to_string())]);
        let d = Diagnostic::error("undefined variable `x`")
            .at("a.md", Pos::new(2, 5))
            .help("define it");
        let text = render_human(&[d], &sources);
        assert_eq!(
            text,
            "error: undefined variable `x`\n --> a.md:2:5\n  |\n2 | two {{ x }}\n  |     ^\nhelp: define it\n\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_caret_and_controls_escaped() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let (text, pad) = excerpt(&line, 5000);
        assert!(text.chars().count() <= EXCERPT_CHARS + 2, "{}", text.len());
        assert_eq!(text.chars().nth(pad.chars().count()), Some('X'));
        let (text, pad) = excerpt("\u{1b}[2Jab", 5);
        assert_eq!(text, "\\u{1b}[2Jab");
        assert_eq!(text.chars().nth(pad.chars().count()), Some('b'));
        assert_eq!(shown("a\u{7}b"), "a\\u{7}b");
    }

    #[test]
    fn suggestions_only_for_close_words() {
        assert_eq!(
            did_you_mean("langauge", ["language", "title"]),
            Some("language")
        );
        assert_eq!(did_you_mean("zzz", ["language", "title"]), None);
        assert_eq!(
            did_you_mean("cgg", ["nhs-england", "ccg", "trust"]),
            Some("ccg")
        );
        assert_eq!(
            did_you_mean("comissioners", ["commissioners", "providers"]),
            Some("commissioners")
        );
    }
}

/// Words joined as a sentence lists them: `A`, `A and B`, `A, B and C`.
pub fn and_list<S: AsRef<str>>(words: &[S]) -> String {
    match words {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod and_list_tests {
    #[test]
    fn words_are_listed_as_a_sentence_lists_them() {
        assert_eq!(super::and_list::<&str>(&[]), "");
        assert_eq!(super::and_list(&["PDF"]), "PDF");
        assert_eq!(super::and_list(&["PDF", "ODT"]), "PDF and ODT");
        assert_eq!(
            super::and_list(&["ODT", "Govspeak", "HTML"]),
            "ODT, Govspeak and HTML"
        );
    }
}
