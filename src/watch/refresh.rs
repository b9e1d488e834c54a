//! Re-reads changed files into the in-memory [`SourceSet`]: the file as it is on disk now
//! (whatever events led here), a folder with everything in it, or the removal of what is gone.
//! The same rules as [`crate::sources`]: no symbolic links, no hidden or temporary files.

use crate::diagnostic::Diagnostic;
use crate::sources::SourceSet;
use std::collections::BTreeMap;
use std::fs;

/// Problems reading files, by project-relative path.
pub type ReadErrors = BTreeMap<String, Diagnostic>;

/// Brings `path` (project-relative) in `set` up to date with the disk: reads it (or every file
/// under it, for a folder) or removes it (and everything under it) when it is gone.
pub fn refresh(set: &mut SourceSet, errors: &mut ReadErrors, path: &str) {
    let full = set.root.join(path);
    match fs::symlink_metadata(&full) {
        Ok(meta) if meta.is_dir() => {
            remove_under(set, errors, path);
            read_folder(set, errors, path);
        }
        // A file, or something that is not (a link, a pipe): reading it says which.
        Ok(_) => {
            remove_under(set, errors, path);
            read_file(set, errors, path);
        }
        Err(_) => {
            remove(set, errors, path);
            remove_under(set, errors, path);
        }
    }
}

fn remove(set: &mut SourceSet, errors: &mut ReadErrors, path: &str) {
    set.texts.remove(path);
    set.binaries.remove(path);
    errors.remove(path);
}

fn remove_under(set: &mut SourceSet, errors: &mut ReadErrors, dir: &str) {
    let prefix = format!("{dir}/");
    set.texts.retain(|p, _| !p.starts_with(&prefix));
    set.binaries.retain(|p, _| !p.starts_with(&prefix));
    errors.retain(|p, _| !p.starts_with(&prefix));
}

fn read_folder(set: &mut SourceSet, errors: &mut ReadErrors, dir: &str) {
    let mut problems = Vec::new();
    for path in crate::sources::files_under(&set.root.clone(), dir, &mut problems) {
        read_file(set, errors, &path);
    }
    for problem in problems {
        let path = problem.file.clone().unwrap_or_else(|| dir.to_string());
        errors.insert(path, problem);
    }
}

fn read_file(set: &mut SourceSet, errors: &mut ReadErrors, path: &str) {
    remove(set, errors, path);
    let bytes = match crate::sources::read_bytes(&set.root, path) {
        Ok(Some(bytes)) => bytes,
        // Removed between the event and now: the removal will come as its own event.
        Ok(None) => return,
        Err(d) => {
            errors.insert(path.to_string(), d);
            return;
        }
    };
    if let Err(d) = crate::sources::store(set, path, bytes) {
        errors.insert(path.to_string(), d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn set(root: &Path) -> SourceSet {
        SourceSet {
            root: root.to_path_buf(),
            ..SourceSet::default()
        }
    }

    #[test]
    fn files_folders_and_removals_follow_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut sources = set(root);
        let mut errors = ReadErrors::new();
        fs::create_dir_all(root.join("content/areas/x")).unwrap();
        fs::write(root.join("content/a.md"), "\u{feff}one").unwrap();
        fs::write(root.join("content/areas/x/area.toml"), "name = 'X'").unwrap();
        fs::write(root.join("content/areas/x/.area.toml.swp"), "junk").unwrap();
        fs::write(root.join("content/dot.png"), [0u8, 159]).unwrap();

        refresh(&mut sources, &mut errors, "content/a.md");
        assert_eq!(sources.text("content/a.md"), Some("one"));
        refresh(&mut sources, &mut errors, "content/areas");
        assert!(sources.text("content/areas/x/area.toml").is_some());
        assert_eq!(sources.texts.len(), 2, "temporary files are left out");
        refresh(&mut sources, &mut errors, "content/dot.png");
        assert_eq!(sources.bytes("content/dot.png"), Some(&[0u8, 159][..]));

        fs::remove_dir_all(root.join("content/areas")).unwrap();
        refresh(&mut sources, &mut errors, "content/areas");
        assert!(sources.text("content/areas/x/area.toml").is_none());

        fs::write(root.join("content/a.md"), [b'o', 0xff]).unwrap();
        refresh(&mut sources, &mut errors, "content/a.md");
        assert!(sources.text("content/a.md").is_none());
        assert_eq!(
            errors["content/a.md"].message,
            "this file is not valid UTF-8 text"
        );
        fs::remove_file(root.join("content/a.md")).unwrap();
        refresh(&mut sources, &mut errors, "content/a.md");
        assert!(errors.is_empty());
    }
}
