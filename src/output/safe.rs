//! Writing without following links: every file guidepack writes is created new (never opened
//! for writing if something is there) and renamed into place, and a symbolic link found on the
//! way is refused, so nothing outside the output folder is ever written through a link.

use std::fmt;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};

/// A symbolic link where guidepack was about to write. Carried inside an `io::Error`;
/// [`super::write_error`] turns it into plain words.
#[derive(Debug)]
pub struct LinkRefused {
    pub path: PathBuf,
}

impl fmt::Display for LinkRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is a symbolic link, and guidepack never writes through links",
            self.path.display()
        )
    }
}

impl std::error::Error for LinkRefused {}

pub fn refused(path: &Path) -> io::Error {
    io::Error::other(LinkRefused {
        path: path.to_path_buf(),
    })
}

/// Whether `path` is a symbolic link (not followed).
pub fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Whether something (a file, a folder or a link) is at `path`, without following a link.
pub fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// Whether `path` is a regular file (a link to one is not).
pub fn is_regular_file(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
}

/// Refuses when `base` or any part of `rel` below it is a symbolic link. Parts that do not
/// exist yet are fine: guidepack creates them as folders.
pub fn check_no_links(base: &Path, rel: &Path) -> io::Result<()> {
    if is_link(base) {
        return Err(refused(base));
    }
    let mut path = base.to_path_buf();
    for part in rel.components() {
        match part {
            Component::Normal(name) => path.push(name),
            _ => {
                return Err(io::Error::other(format!(
                    "`{}` is not a plain path",
                    rel.display()
                )));
            }
        }
        if is_link(&path) {
            return Err(refused(&path));
        }
    }
    Ok(())
}

/// Creates the folders of `rel` under `base` (which must exist), refusing links on the way.
pub fn create_dirs(base: &Path, rel: &Path) -> io::Result<()> {
    check_no_links(base, rel)?;
    fs::create_dir_all(base.join(rel))
}

/// Removes whatever is at `path`: a link itself (never what it points to), a file, or a folder
/// with everything in it. Nothing there is fine.
pub fn clear(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(err),
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
    }
}

/// Writes a new file at `path`, creating its folder; fails if anything is already there (so a
/// link planted at that name is never written through).
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

/// Writes a file whole: to a new temporary name beside it, then renamed over the old one. A
/// link at `path` is replaced, not written through; a link on the way to it is refused by
/// the callers that know the base folder ([`replace_file_under`]).
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if is_regular_file(path) && fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let tmp = temp_name(path);
    clear(&tmp)?;
    write_new(&tmp, bytes)?;
    fs::rename(&tmp, path)
}

/// [`replace_file`] for `base/rel`, refusing a link anywhere on the way.
pub fn replace_file_under(base: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let rel = Path::new(rel);
    check_no_links(base, rel)?;
    if let Some(parent) = rel.parent() {
        create_dirs(base, parent)?;
    }
    replace_file(&base.join(rel), bytes)
}

/// The temporary name [`replace_file`] writes to: hidden, so that nothing reads it.
pub fn temp_name(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    path.with_file_name(format!(".{name}.partial"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_are_refused_and_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("index.html"), "theirs").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("0.0.1")).unwrap();
        let err = replace_file_under(dir.path(), "0.0.1/index.html", b"ours").unwrap_err();
        assert!(err.get_ref().unwrap().is::<LinkRefused>(), "{err}");
        assert_eq!(
            fs::read_to_string(outside.path().join("index.html")).unwrap(),
            "theirs"
        );

        // A link at the file's own name is replaced by the file, not written through.
        std::os::unix::fs::symlink(
            outside.path().join("index.html"),
            dir.path().join("index.html"),
        )
        .unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("partial"),
            dir.path().join(".index.html.partial"),
        )
        .unwrap();
        replace_file(&dir.path().join("index.html"), b"ours").unwrap();
        assert!(!is_link(&dir.path().join("index.html")));
        assert_eq!(
            fs::read_to_string(outside.path().join("index.html")).unwrap(),
            "theirs"
        );
        assert!(!outside.path().join("partial").exists());
    }
}
