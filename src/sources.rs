//! Sources: every file of a project read once from disk, sandboxed to the project root.
//!
//! This is one of the two stages that touch the disk (the other is `output`). Everything after
//! it works on the in-memory [`SourceSet`].

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex};

/// The project's files, by path relative to the project root with `/` separators.
#[derive(Debug, Default, Clone)]
pub struct SourceSet {
    pub root: PathBuf,
    /// Text files (Markdown, TOML, templates), valid UTF-8.
    pub texts: BTreeMap<String, String>,
    /// Other files under `content/` (images and the like).
    pub binaries: BTreeMap<String, Vec<u8>>,
}

impl SourceSet {
    pub fn text(&self, path: &str) -> Option<&str> {
        self.texts.get(path).map(String::as_str)
    }

    /// Text files under a folder whose names end with `ext`, in path order. Only the paths
    /// under the folder are visited (each area's folder is read without going through all).
    pub fn texts_in<'a>(
        &'a self,
        dir: &'a str,
        ext: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let prefix = format!("{dir}/");
        self.texts
            .range::<str, _>((
                std::ops::Bound::Included(prefix.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(path, _)| path.starts_with(&prefix))
            .filter_map(move |(path, text)| {
                let rest = &path[dir.len() + 1..];
                (!rest.contains('/') && rest.ends_with(ext))
                    .then_some((path.as_str(), text.as_str()))
            })
    }

    /// Whether a project-relative file exists (text or binary).
    pub fn contains(&self, path: &str) -> bool {
        self.texts.contains_key(path) || self.binaries.contains_key(path)
    }

    /// The bytes of any project file.
    pub fn bytes(&self, path: &str) -> Option<&[u8]> {
        self.texts
            .get(path)
            .map(|t| t.as_bytes())
            .or_else(|| self.binaries.get(path).map(Vec::as_slice))
    }
}

/// The name of the file that marks a project root.
pub const CONFIG_FILE: &str = "guidepack.toml";

/// Reads the project at `root`. Unreadable or non-UTF-8 text files become diagnostics.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Option<SourceSet> {
    let config_path = root.join(CONFIG_FILE);
    if !config_path.is_file() {
        diagnostics.push(
            Diagnostic::error(format!("no {CONFIG_FILE} in `{}`: this is not a guidepack project", root.display()))
                .help("run guidepack in the project folder, pass `--project <DIR>`, or start one with `guidepack new <DIR>`"),
        );
        return None;
    }
    let mut set = SourceSet {
        root: root.to_path_buf(),
        ..SourceSet::default()
    };
    read_file(&mut set, root, CONFIG_FILE, diagnostics);
    walk(&mut set, root, "content", diagnostics);
    walk(&mut set, root, "templates", diagnostics);
    walk(&mut set, root, "releases", diagnostics);
    Some(set)
}

fn walk(set: &mut SourceSet, root: &Path, rel: &str, diagnostics: &mut Diagnostics) {
    for path in files_under(root, rel) {
        read_file(set, root, &path, diagnostics);
    }
}

/// The files under a project folder, by project-relative path, in name order; hidden files,
/// editors' temporary files and symbolic links (which could lead outside the project) left out.
pub fn files_under(root: &Path, rel: &str) -> Vec<String> {
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(root.join(rel)) else {
        return files;
    };
    let mut names: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let kind = e.file_type().ok()?;
            (!kind.is_symlink() && !is_ignored(&name)).then_some((name, kind.is_dir()))
        })
        .collect();
    names.sort();
    for (name, is_dir) in names {
        let path = format!("{rel}/{name}");
        if is_dir {
            files.extend(files_under(root, &path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Hidden files and editors' temporary files are never part of a project.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.starts_with(".#")
}

fn is_text(path: &str) -> bool {
    [".md", ".toml", ".html", ".typ", ".css", ".json", ".txt"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// Where a project file's bytes go in a [`SourceSet`], or why it cannot be used: text files must
/// be UTF-8 (a byte-order mark is dropped); every other file is kept as bytes.
pub fn store(set: &mut SourceSet, rel: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
    if !is_text(rel) {
        set.binaries.insert(rel.to_string(), bytes);
        return Ok(());
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            set.texts.insert(rel.to_string(), text);
            Ok(())
        }
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&err.as_bytes()[..valid]).into_owned();
            let pos = LineIndex::new(&prefix).pos(valid);
            Err(Diagnostic::error("this file is not valid UTF-8 text")
                .at(rel, pos)
                .help("save the file with UTF-8 encoding (most editors offer it under \"Save as\" or \"Encoding\")"))
        }
    }
}

fn read_file(set: &mut SourceSet, root: &Path, rel: &str, diagnostics: &mut Diagnostics) {
    let stored = fs::read(root.join(rel))
        .map_err(|err| Diagnostic::error(format!("cannot read this file: {err}")).in_file(rel))
        .and_then(|bytes| store(set, rel, bytes));
    if let Err(d) = stored {
        diagnostics.push(d);
    }
}

/// Joins a relative reference to the folder of `from`, lexically; `None` when the result would
/// leave the project root.
pub fn join_relative(from_file: &str, reference: &str) -> Option<String> {
    if reference.starts_with('/') || reference.contains('\\') || reference.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = from_file.split('/').collect();
    parts.pop();
    for part in reference.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_references_stay_inside_the_root() {
        assert_eq!(
            join_relative("content/a.md", "assets/x.png").as_deref(),
            Some("content/assets/x.png")
        );
        assert_eq!(
            join_relative("content/a.md", "../guidepack.toml").as_deref(),
            Some("guidepack.toml")
        );
        assert_eq!(join_relative("content/a.md", "../../etc/passwd"), None);
        assert_eq!(join_relative("content/a.md", "/etc/passwd"), None);
        assert_eq!(join_relative("content/a.md", "C:/x.png"), None);
    }

    #[test]
    fn editor_temp_files_are_ignored() {
        for name in [".a.md.swp", "a.md~", "#a.md#", ".hidden", "x.tmp"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("01-intro.md"));
    }
}
