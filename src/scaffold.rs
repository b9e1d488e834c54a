//! `guidepack new`: a small project that builds at once, from files embedded in the binary.

use std::fs;
use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The starter project, by path relative to the new project's root.
const FILES: [(&str, &str); 5] = [
    (
        "guidepack.toml",
        include_str!("../templates/new-project/guidepack.toml"),
    ),
    (
        "content/01-introduction.md",
        include_str!("../templates/new-project/content/01-introduction.md"),
    ),
    (
        "content/02-roles.md",
        include_str!("../templates/new-project/content/02-roles.md"),
    ),
    (
        "content/framework/framework.toml",
        include_str!("../templates/new-project/content/framework/framework.toml"),
    ),
    (
        "content/glossary.toml",
        include_str!("../templates/new-project/content/glossary.toml"),
    ),
];

/// Writes a new project into `dir`, which must not exist or be empty; the files written.
pub fn new_project(dir: &Path) -> Result<Vec<String>, Diagnostic> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Diagnostic::error(format!(
                "`{}` already exists and is not empty",
                dir.display()
            ))
            .help(
                "choose a new folder, or an empty one: `guidepack new` never writes over files",
            ));
        }
    }
    let cannot = |what: &str, path: &Path, err: std::io::Error| {
        Diagnostic::error(format!("cannot {what} `{}`: {err}", path.display()))
            .help("check that you may write in that folder and that the disk is not full")
    };
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| cannot("create", parent, e))?;
        }
        fs::write(&path, text).map_err(|e| cannot("write", &path, e))?;
        written.push(rel.to_string());
    }
    let ignore = dir.join(".gitignore");
    fs::write(&ignore, "/output\n/.guidepack-cache\n/shards\n")
        .map_err(|e| cannot("write", &ignore, e))?;
    Ok(written)
}
