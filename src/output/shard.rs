//! A shard's folder on disk (`guidepack build --shard i/n`): the version folder of its packs,
//! with their manifest, and its record (`shard.json`, and for a release's share the text of
//! its packs, `snapshot.json`). Written like any output (staged, then swapped in); read back,
//! file by file checked against the manifest, by `guidepack merge`.

use std::fs;
use std::path::Path;

use super::{Manifest, ManifestEntry, PackFiles, manifests, safe, sha256_hex};
use crate::diagnostic::Diagnostic;
use crate::pack_id::PackId;

/// The record of a shard's folder.
pub const RECORD: &str = "shard.json";

/// A record larger than this is no record (one of a million packs takes about 40 MB).
const MOST_RECORD: u64 = 64 << 20;

/// The text of a release share's packs.
pub const SNAPSHOTS: &str = "snapshot.json";

/// Whether `dir` may take a shard's output: it is not there yet, is empty, or holds a shard's
/// output already (which this one replaces); a folder with anything else in it (the project's
/// `output/`, a typo) is refused rather than emptied. The top-level names of the old shard
/// that the new one does not write over (another version's folder), to be retired with it.
pub fn prepare(dir: &Path, version: &str) -> Result<Vec<String>, Diagnostic> {
    let shown = dir.display();
    if safe::is_link(dir) {
        return Err(Diagnostic::error(format!(
            "the shard's output folder `{shown}` is a symbolic link, and guidepack never writes through links"
        ))
        .help("pass `--out` a real folder"));
    }
    if !safe::exists(dir) {
        return Ok(Vec::new());
    }
    let entries = fs::read_dir(dir).map_err(|err| {
        Diagnostic::error(format!(
            "cannot read the shard's output folder `{shown}`: {err}"
        ))
        .help("pass `--out` a folder guidepack can write, or one that is not there yet")
    })?;
    let names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    if !names.is_empty() && !safe::is_regular_file(&dir.join(RECORD)) {
        return Err(Diagnostic::error(format!(
            "the shard's output folder `{shown}` already holds files that are not a shard's (it has no {RECORD}), and a shard replaces its whole folder"
        ))
        .help("pass `--out` an empty folder, one that is not there yet, or the folder of an earlier shard"));
    }
    Ok(names
        .into_iter()
        .filter(|name| name != RECORD && name != SNAPSHOTS && name != version)
        .collect())
}

/// Removes a shard's record before its packs are swapped in: a shard stopped between the two
/// is then no shard at all (`merge` says so), never an old record over new packs.
pub fn unrecord(dir: &Path) -> std::io::Result<()> {
    for name in [RECORD, SNAPSHOTS] {
        let path = dir.join(name);
        if safe::exists(&path) {
            safe::clear(&path)?;
        }
    }
    Ok(())
}

/// Writes a shard's record files once its packs are in place, the record itself last.
pub fn record(dir: &Path, snapshots: Option<&[u8]>, record: &[u8]) -> std::io::Result<()> {
    if let Some(snapshots) = snapshots {
        safe::replace_file(&dir.join(SNAPSHOTS), snapshots)?;
    }
    safe::replace_file(&dir.join(RECORD), record)
}

/// A file of a shard's folder (`shard.json`, `snapshot.json`), or what is wrong.
pub fn read(dir: &Path, name: &str) -> Result<Vec<u8>, String> {
    let path = dir.join(name);
    if !safe::exists(&path) {
        return Err(format!("it has no {name}"));
    }
    if !safe::is_regular_file(&path) {
        return Err(format!("its {name} is not a file"));
    }
    if name == RECORD && fs::symlink_metadata(&path).is_ok_and(|m| m.len() > MOST_RECORD) {
        return Err(format!("its {name} is too large to be a shard's record"));
    }
    fs::read(&path).map_err(|err| format!("its {name} cannot be read: {err}"))
}

/// The manifest of a shard's version folder, or what is wrong (a damaged one is not made
/// again from the files, as the output's is: a shard is made again instead).
pub fn manifest(dir: &Path, version: &str) -> Result<Manifest, String> {
    match manifests::read(dir, version) {
        Some(found) if found.remade.is_none() => Ok(found.manifest),
        Some(_) => Err(format!(
            "its list of files ({version}/manifest.json) is damaged"
        )),
        None => Err(format!("it has no list of files ({version}/manifest.json)")),
    }
}

/// One pack's files in a shard's version folder, each checked against its manifest entry;
/// what is wrong (a file missing, changed or a link) otherwise.
pub fn pack_files(
    dir: &Path,
    version: &str,
    pack: &PackId,
    entries: &[&ManifestEntry],
) -> Result<PackFiles, String> {
    let version_dir = dir.join(version);
    let prefix = format!("{}/", pack.dir());
    let mut files = Vec::with_capacity(entries.len());
    for entry in entries {
        let Some(rel) = entry.path.strip_prefix(&prefix) else {
            continue;
        };
        let path = version_dir.join(&entry.path);
        let changed = || format!("its file `{version}/{}` is not the one it made", entry.path);
        if safe::check_no_links(&version_dir, Path::new(&entry.path)).is_err()
            || !safe::is_regular_file(&path)
        {
            return Err(format!("its file `{version}/{}` is missing", entry.path));
        }
        let bytes = fs::read(&path)
            .map_err(|err| format!("its file `{version}/{}` cannot be read: {err}", entry.path))?;
        if bytes.len() as u64 != entry.bytes || sha256_hex(&bytes) != entry.sha256 {
            return Err(changed());
        }
        files.push((rel.to_string(), bytes));
    }
    Ok(PackFiles {
        id: pack.clone(),
        files,
        held: Vec::new(),
    })
}
