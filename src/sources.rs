//! Sources: every file of a project read once from disk, sandboxed to the project root.
//!
//! This is one of the two stages that touch the disk (the other is `output`). Everything after
//! it works on the in-memory [`SourceSet`].

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, shown};

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

    /// Every file (text or binary) under a folder, at any depth, in path order.
    pub fn files_under(&self, dir: &str) -> Vec<&str> {
        let prefix = format!("{dir}/");
        let from = (
            std::ops::Bound::Included(prefix.as_str()),
            std::ops::Bound::Unbounded,
        );
        let mut all: Vec<&str> = (self.texts.range::<str, _>(from).map(|(p, _)| p.as_str()))
            .take_while(|path| path.starts_with(&prefix))
            .chain(
                (self.binaries.range::<str, _>(from).map(|(p, _)| p.as_str()))
                    .take_while(|path| path.starts_with(&prefix)),
            )
            .collect();
        all.sort_unstable();
        all
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

/// The folders of a project whose files guidepack reads by kind.
const FOLDERS: [&str; 8] = [
    "content",
    "fonts",
    "releases",
    "content/framework",
    "content/areas",
    "templates",
    "templates/html",
    "templates/pdf",
];

/// The name of the file that marks a project root.
pub const CONFIG_FILE: &str = "guidepack.toml";

/// The error for a folder without a `guidepack.toml`.
pub fn not_a_project(root: &Path) -> Diagnostic {
    Diagnostic::error(format!(
        "no {CONFIG_FILE} in `{}`: this is not a guidepack project",
        root.display()
    ))
    .help("run guidepack in the project folder, pass `--project <DIR>`, or start one with `guidepack new <DIR>`")
}

/// Reads the project at `root`. Unreadable or non-UTF-8 text files become diagnostics.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Option<SourceSet> {
    let config_path = root.join(CONFIG_FILE);
    if !config_path.is_file() {
        diagnostics.push(not_a_project(root));
        return None;
    }
    let mut set = SourceSet {
        root: root.to_path_buf(),
        ..SourceSet::default()
    };
    read_file(&mut set, root, CONFIG_FILE, diagnostics);
    for folder in FOLDERS {
        if root.join(folder).exists() && !root.join(folder).is_dir() {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{folder}` is a file, but guidepack expects a folder here"
                ))
                .in_file(folder)
                .help(format!("make `{folder}` a folder and put its files in it")),
            );
        }
    }
    walk(&mut set, root, "content", diagnostics);
    walk(&mut set, root, "templates", diagnostics);
    walk(&mut set, root, "fonts", diagnostics);
    walk(&mut set, root, "releases", diagnostics);
    Some(set)
}

fn walk(set: &mut SourceSet, root: &Path, rel: &str, diagnostics: &mut Diagnostics) {
    let mut problems = Vec::new();
    for path in files_under(root, rel, &mut problems) {
        read_file(set, root, &path, diagnostics);
    }
    for problem in problems {
        diagnostics.push(problem);
    }
}

/// The largest file a project may hold (a chapter, a data file, an image): far above any real
/// one, and a bound on what a stray huge file costs.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The files under a project folder, by project-relative path, in name order; hidden files and
/// editors' temporary files left out. What cannot be part of a project is reported in
/// `problems` rather than silently left out: symbolic links (which could lead outside the
/// project), names that are not UTF-8, unreadable folders. Special files (pipes, devices,
/// sockets) are listed, so that reading them reports what they are.
pub fn files_under(root: &Path, rel: &str, problems: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut files = Vec::new();
    let entries = match fs::read_dir(root.join(rel)) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return files,
        Err(err) => {
            problems.push(unreadable(rel, "the folder ", &err));
            return files;
        }
    };
    let mut names: Vec<(String, bool)> = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                problems.push(unreadable(rel, "the folder ", &err));
                continue;
            }
        };
        let name = match entry.file_name().into_string() {
            Ok(name) => name,
            Err(raw) => {
                let path = format!("{rel}/{}", raw.to_string_lossy());
                problems.push(
                    Diagnostic::error(format!(
                        "the file name `{}` is not UTF-8 text, so guidepack cannot use it",
                        shown(&path)
                    ))
                    .in_file(rel)
                    .help("rename the file using ordinary letters, digits and hyphens"),
                );
                continue;
            }
        };
        if is_ignored(&name) {
            continue;
        }
        let path = format!("{rel}/{name}");
        match entry.file_type() {
            Ok(kind) if kind.is_symlink() => problems.push(symlink_refused(&path)),
            Ok(kind) => names.push((name, kind.is_dir())),
            Err(err) => problems.push(unreadable(&path, "", &err)),
        }
    }
    names.sort();
    for (name, is_dir) in names {
        let path = format!("{rel}/{name}");
        if is_dir {
            files.extend(files_under(root, &path, problems));
        } else {
            files.push(path);
        }
    }
    files
}

fn symlink_refused(path: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "`{}` is a symbolic link: guidepack does not follow links, which could lead outside the project",
        shown(path)
    ))
    .in_file(path)
    .help("put the file (or folder) itself here instead of a link to it")
}

/// A file or folder (`what` says which, as "the folder " or "") that cannot be read.
fn unreadable(path: &str, what: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!(
        "cannot read {what}`{}`: {}",
        shown(path),
        plain_io(err)
    ))
    .in_file(path)
    .help("make it readable by the user who runs guidepack, or remove it")
}

/// An I/O error in plain words, without the "(os error N)" tail.
fn plain_io(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_lowercase(),
        None => text,
    }
}

/// What kind of thing a path is, when it is not a regular file or folder.
fn special_kind(kind: fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Reads one project file, refusing anything but a regular file of at most [`MAX_FILE_BYTES`]:
/// a pipe would block forever and a device never end. `Ok(None)` when it is gone.
pub fn read_bytes(root: &Path, rel: &str) -> Result<Option<Vec<u8>>, Diagnostic> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let full = root.join(rel);
    let failed = |err: std::io::Error| unreadable(rel, "", &err);
    let not_a_file = |kind: fs::FileType| {
        Diagnostic::error(format!(
            "`{}` is {}, not a file guidepack can read",
            shown(rel),
            special_kind(kind)
        ))
        .in_file(rel)
        .help("a project holds only ordinary files: replace it with one, or remove it")
    };
    let meta = match fs::symlink_metadata(&full) {
        Ok(meta) => meta,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(failed(err)),
    };
    if meta.file_type().is_symlink() {
        return Err(symlink_refused(rel));
    }
    if !meta.is_file() {
        return Err(not_a_file(meta.file_type()));
    }
    // Opened without blocking and checked again, in case it was swapped for a pipe meanwhile.
    const O_NONBLOCK: i32 = 0o4000;
    const O_NOFOLLOW: i32 = 0o400000;
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK | O_NOFOLLOW)
        .open(&full)
        .map_err(failed)?;
    let meta = file.metadata().map_err(failed)?;
    if !meta.is_file() {
        return Err(not_a_file(meta.file_type()));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_FILE_BYTES) as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(rel));
    }
    Ok(Some(bytes))
}

fn too_large(rel: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "`{}` is larger than {} MiB, the most a project file may be",
        shown(rel),
        MAX_FILE_BYTES / (1024 * 1024)
    ))
    .in_file(rel)
    .help("split the text into several chapters, or make the image smaller")
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
        || is_sed_temporary(name)
}

/// `sed -i` writes the new text to `sedXXXXXX` (six random letters and digits) beside the file,
/// then renames it over the file.
fn is_sed_temporary(name: &str) -> bool {
    name.len() == 9
        && name.starts_with("sed")
        && name[3..].bytes().all(|b| b.is_ascii_alphanumeric())
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
    let stored = match read_bytes(root, rel) {
        Ok(Some(bytes)) => store(set, rel, bytes),
        Ok(None) => Ok(()),
        Err(d) => Err(d),
    };
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

/// The folder guidepack reads (`content/`, `templates/`, `fonts/`, `releases/`) that `dir`
/// lies in, if it lies in one of the project at `root` (links resolved): a folder guidepack
/// writes there would become part of its own sources.
pub fn read_folder_holding(root: &Path, dir: &Path) -> Option<&'static str> {
    let (root, dir) = (real_path(root)?, real_path(dir)?);
    ["content", "templates", "fonts", "releases"]
        .into_iter()
        .find(|folder| dir.starts_with(root.join(folder)))
}

/// A path made absolute with its links resolved, for the part of it that exists.
pub fn real_path(path: &Path) -> Option<PathBuf> {
    let mut rest = Vec::new();
    let mut existing = path;
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut full = real;
            for part in rest.iter().rev() {
                full.push(part);
            }
            return Some(full);
        }
        rest.push(existing.file_name()?.to_owned());
        existing = existing
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
    }
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
        for name in [
            ".a.md.swp",
            "a.md~",
            "#a.md#",
            ".hidden",
            "x.tmp",
            "sedAb12xZ",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("01-intro.md"));
        assert!(!is_ignored("sed-notes.md"));
    }
}
