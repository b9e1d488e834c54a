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

    /// Asserts that stderr holds a diagnostic with this message at this place.
    pub fn has_error(self, message: &str, place: &str) -> Self {
        let wanted = format!("error: {message}\n --> {place}");
        assert!(
            self.stderr.contains(&wanted),
            "expected\n{wanted}\n--- in stderr\n{}",
            self.stderr
        );
        self
    }

    pub fn has_warning(self, message: &str, place: &str) -> Self {
        let wanted = format!("warning: {message}\n --> {place}");
        assert!(
            self.stderr.contains(&wanted),
            "expected\n{wanted}\n--- in stderr\n{}",
            self.stderr
        );
        self
    }

    pub fn stderr_has(self, text: &str) -> Self {
        assert!(
            self.stderr.contains(text),
            "expected {text:?} in stderr\n{}",
            self.stderr
        );
        self
    }
}

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
