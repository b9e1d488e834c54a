//! `guidepack new`: a small project that builds at once, from files embedded in the binary.

use std::fs;
use std::path::Path;

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

/// Writes a new project into `dir`, which must not exist or be empty.
pub fn new_project(dir: &Path) -> Result<Vec<String>, String> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(format!(
                "`{}` already exists and is not empty: choose a new folder",
                dir.display()
            ));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        written.push(rel.to_string());
    }
    fs::write(dir.join(".gitignore"), "/output\n")
        .map_err(|e| format!("cannot write .gitignore: {e}"))?;
    Ok(written)
}
