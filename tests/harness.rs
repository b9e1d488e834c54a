//! The fixture harness: copies a fixture project into a temporary folder, changes files in it,
//! runs the real `guidepack` binary, and reads what it wrote.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Project {
    dir: tempfile::TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The project folder it ran in.
    pub project: PathBuf,
}

impl Run {
    /// Asserts the exit code, showing the output when it differs.
    pub fn expect(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "exit status\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts that stderr holds a diagnostic with this message at this place. A test whose
    /// point is a message snapshots the whole stderr instead ([`stderr_snapshot!`]), so that a
    /// changed or extra message is seen; these stay for tests written that way elsewhere.
    #[allow(dead_code)]
    pub fn has_error(self, message: &str, place: &str) -> Self {
        let wanted = format!("error: {message}\n --> {place}");
        assert!(
            self.stderr.contains(&wanted),
            "expected\n{wanted}\n--- in stderr\n{}",
            self.stderr
        );
        self
    }

    #[allow(dead_code)]
    pub fn has_warning(self, message: &str, place: &str) -> Self {
        let wanted = format!("warning: {message}\n --> {place}");
        assert!(
            self.stderr.contains(&wanted),
            "expected\n{wanted}\n--- in stderr\n{}",
            self.stderr
        );
        self
    }

    #[allow(dead_code)]
    pub fn stderr_has(self, text: &str) -> Self {
        assert!(
            self.stderr.contains(text),
            "expected {text:?} in stderr\n{}",
            self.stderr
        );
        self
    }

    /// The whole stderr with what varies from run to run replaced by a placeholder: the
    /// temporary project folder (`[PROJECT]`), any other temporary folder (`[TMP]`), a
    /// loopback port (`127.0.0.1:[PORT]`), an HTTP date (`[DATE]`, the time of a cached result
    /// of `check --external`) and guidepack's own version (`guidepack [VERSION]`), so that a
    /// snapshot of it changes only when a message does.
    pub fn normalised_stderr(&self) -> String {
        let mut text = self.stderr.clone();
        for root in [self.project.canonicalize().ok(), Some(self.project.clone())]
            .into_iter()
            .flatten()
        {
            text = text.replace(&*root.to_string_lossy(), "[PROJECT]");
        }
        let tmp = std::env::temp_dir().join(".tmp");
        text = replace_marked(&text, &tmp.to_string_lossy(), "[TMP]", |c| {
            c.is_ascii_alphanumeric()
        });
        text = replace_marked(&text, "127.0.0.1:", "127.0.0.1:[PORT]", |c| {
            c.is_ascii_digit()
        });
        text = replace_http_dates(&text);
        text.replace(
            &format!("guidepack {}", env!("CARGO_PKG_VERSION")),
            "guidepack [VERSION]",
        )
    }
}

/// Replaces each `marker` and the run of characters after it that `tail` accepts by `with`.
fn replace_marked(text: &str, marker: &str, with: &str, tail: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at]);
        let after = &rest[at + marker.len()..];
        let end = after.find(|c: char| !tail(c)).unwrap_or(after.len());
        if end == 0 {
            out.push_str(marker);
        } else {
            out.push_str(with);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Replaces each HTTP date (`Mon, 30 Nov 2026 11:10:27 GMT`) by `[DATE]`.
fn replace_http_dates(text: &str) -> String {
    const SHAPE: &str = "Aaa, 00 Aaa 0000 00:00:00 GMT";
    let fits = |candidate: &str| {
        candidate.len() == SHAPE.len()
            && candidate.chars().zip(SHAPE.chars()).all(|(c, s)| match s {
                'A' | 'a' => c.is_ascii_alphabetic(),
                '0' => c.is_ascii_digit(),
                _ => c == s,
            })
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" GMT") {
        let end = at + " GMT".len();
        let start = end.saturating_sub(SHAPE.len());
        if rest.is_char_boundary(start) && fits(&rest[start..end]) {
            out.push_str(&rest[..start]);
            out.push_str("[DATE]");
        } else {
            out.push_str(&rest[..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Snapshots the whole stderr of a [`Run`] with insta (in `tests/snapshots/`, named after the
/// test), normalised by [`Run::normalised_stderr`], and gives the run back. A message changed,
/// added or lost fails the test; `INSTA_UPDATE=always cargo test` rewrites the snapshots, to
/// be read before they are committed. A macro, so that each snapshot is named after the test
/// that takes it; in a loop, give each case a name (`stderr_snapshot!(run, "javascript")`),
/// which becomes the snapshot's suffix (`<test>@javascript.snap`).
macro_rules! stderr_snapshot {
    ($run:expr) => {{
        let run: $crate::harness::Run = $run;
        insta::assert_snapshot!(run.normalised_stderr());
        run
    }};
    ($run:expr, $case:expr) => {{
        let run: $crate::harness::Run = $run;
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix($crate::harness::snapshot_suffix(&$case));
        settings.bind(|| insta::assert_snapshot!(run.normalised_stderr()));
        run
    }};
}

/// A case's name as a snapshot file's suffix: letters, digits and `-`, the rest `_`.
pub fn snapshot_suffix(case: &str) -> String {
    case.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
pub(crate) use stderr_snapshot;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Project {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join(name), dir.path());
        Project { dir }
    }

    /// The small project most tests start from: three audiences, three roles, two duties.
    pub fn minimal() -> Self {
        Self::fixture("minimal")
    }

    /// The minimal project with two areas, Kent and Surrey, whose packs differ by a variable:
    /// nine packs.
    pub fn minimal_with_areas() -> Self {
        Self::minimal()
            .chapter(
                "03-ask.md",
                "title: Ask",
                "National text.\n\n## Locally {#locally area=!national}\n\nAsk {{ area.nurse }}.\n",
            )
            .file(
                "content/areas/kent/area.toml",
                "name = \"Kent\"\n[vars]\nnurse = \"the Kent nurse\"\n",
            )
            .file(
                "content/areas/surrey/area.toml",
                "name = \"Surrey\"\n[vars]\nnurse = \"the Surrey nurse\"\n",
            )
    }

    /// A copy of this repository's sample pack.
    pub fn sample() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&root.join("content"), &dir.path().join("content"));
        copy_dir(&root.join("releases"), &dir.path().join("releases"));
        fs::copy(
            root.join("guidepack.toml"),
            dir.path().join("guidepack.toml"),
        )
        .unwrap();
        Project { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes (or replaces) a file.
    pub fn file(self, path: &str, text: &str) -> Self {
        self.write_bytes(path, text.as_bytes());
        self
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let path = self.dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    /// A chapter with YAML front matter.
    pub fn chapter(self, name: &str, front: &str, body: &str) -> Self {
        self.file(
            &format!("content/{name}"),
            &format!("---\n{front}\n---\n{body}"),
        )
    }

    /// Runs `guidepack --project <dir> <args>`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(&[], args)
    }

    /// Runs `guidepack --project <dir> <args>` with these environment variables set.
    pub fn run_with(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_guidepack"))
            .arg("--project")
            .arg(self.dir.path())
            .args(args)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            project: self.dir.path().to_path_buf(),
        }
    }

    /// Builds HTML and asserts it succeeded.
    pub fn build_html(&self) -> Run {
        self.run(&["build", "--format", "html"]).expect(0)
    }

    pub fn read(&self, path: &str) -> String {
        fs::read_to_string(self.dir.path().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.dir.path().join(path).exists()
    }

    /// Every file under `output/` with its bytes.
    pub fn output_files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        collect(&self.dir.path().join("output"), "", &mut files);
        files
    }
}

/// A PDF's text as `pdftotext` reads it (UTF-8); `None`, after saying so, when `pdftotext`
/// is not there (a failure in CI: see [`required_tool`]).
pub fn pdf_text(path: &Path) -> Option<String> {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    if !required_tool(found, "pdftotext", "poppler-utils") {
        return None;
    }
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext {}", path.display());
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A PDF's text with its white space (line ends, no-break spaces) folded to single spaces.
pub fn pdf_words(path: &Path) -> Option<String> {
    let text = pdf_text(path)?;
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Every file under `dir` with its bytes, by path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(dir, "", &mut files);
    files
}

fn collect(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let entry = entry.unwrap();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().unwrap().is_dir() {
            collect(&entry.path(), &format!("{name}/"), out);
        } else {
            out.insert(name, fs::read(entry.path()).unwrap());
        }
    }
}

/// The visible text of an HTML page's `<main>`, tags removed and whitespace folded. Inline
/// tags join their text to what is around it, as a browser shows it.
pub fn main_text(html: &str) -> String {
    const INLINE: [&str; 11] = [
        "a", "abbr", "em", "strong", "code", "span", "sup", "del", "ins", "/", "img",
    ];
    let main = html
        .split("<main")
        .nth(1)
        .and_then(|m| m.split("</main>").next())
        .unwrap_or(html);
    let main = main.split_once('>').map_or(main, |(_, rest)| rest);
    let mut text = String::new();
    let mut rest = main;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = rest[open + 1..close.saturating_sub(1)].trim_start_matches('/');
        let name = tag.split([' ', '>']).next().unwrap_or("");
        if !INLINE.contains(&name) {
            text.push(' ');
        }
        rest = &rest[close.min(rest.len())..];
    }
    text.push_str(rest);
    let text = text
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a tool that some checks need is installed. Locally a missing tool skips those checks
/// with a message; in CI (`CI=true`) it fails the test, so that CI cannot pass by skipping.
pub fn required_tool(found: bool, name: &str, package: &str) -> bool {
    if found {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "`{name}` is required in CI but is not installed (apt-get install {package})"
    );
    eprintln!("skipped: `{name}` is not installed (apt-get install {package})");
    false
}
