//! The cache on disk: one file an entry, `<dir>/v1/<first two hex digits>/<key>`, holding the
//! pack's files and, at its end, the sha256 of all before it. An entry is written to a
//! temporary file beside it and renamed into place, so a reader (another build sharing the
//! folder) sees a whole entry or none; one that does not check out whole is a miss and is
//! removed. The folder may be deleted at any time.
//!
//! An entry: `GPCACHE1`, the number of files (u32), then each file's name (u32 length, UTF-8)
//! and bytes (u64 length), little-endian; then the checksum.
//!
//! Beside each entry, `<key>.sum` lists what it holds without the bytes: a line `GPSUM1`, then
//! a line `<sha256> <size> <name>` a file, then the sha256 of all the lines before. A build
//! reads it to tell whether the output already holds a pack's files as the key made them
//! (`output::Present`), and then reads nothing more. It is written with the entry, or when an
//! entry made before summaries is read.

use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use crate::hash::sha256_hex;
use crate::output::Held;
use crate::render::Files;

/// The size a cache is kept under unless told otherwise: 2 GiB.
pub const DEFAULT_LIMIT: u64 = 2 << 30;

const MAGIC: &[u8; 8] = b"GPCACHE1";
const SUM_MAGIC: &str = "GPSUM1";
const SUM: &str = "sum";
const ENTRIES: &str = "v1";
/// Marks the folder as a cache for backup tools (<https://bford.info/cachedir/>).
const TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is guidepack's pack cache: it may be deleted at any time.\n";

pub(super) struct Store {
    pub dir: PathBuf,
    pub limit: u64,
}

impl Store {
    pub(super) fn path(&self, key: &str) -> PathBuf {
        self.dir.join(ENTRIES).join(&key[..2]).join(key)
    }

    pub fn get(&self, key: &str) -> Option<Files> {
        let path = self.path(key);
        let meta = fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > self.limit {
            return None;
        }
        let bytes = fs::read(&path).ok()?;
        match decode(&bytes) {
            Some(files) => {
                touch(&path);
                if !path.with_extension(SUM).exists() {
                    self.write(&path.with_extension(SUM), &summary(&files));
                }
                Some(files)
            }
            None => {
                let _ = fs::remove_file(&path);
                let _ = fs::remove_file(path.with_extension(SUM));
                None
            }
        }
    }

    /// What an entry holds, by name, size and sha256, when its summary reads whole.
    pub fn held(&self, key: &str) -> Option<Vec<Held>> {
        let path = self.path(key);
        let sum = path.with_extension(SUM);
        let meta = fs::symlink_metadata(&sum).ok()?;
        if !meta.is_file() || meta.len() > 1 << 24 {
            return None;
        }
        let text = fs::read_to_string(&sum).ok()?;
        let held = read_summary(&text);
        if held.is_none() {
            let _ = fs::remove_file(&sum);
        }
        held
    }

    /// Marks an entry as just used (after [`Store::held`] was of use).
    pub fn used(&self, key: &str) {
        touch(&self.path(key));
    }

    pub fn put(&self, key: &str, files: &Files) {
        let path = self.path(key);
        let Some(folder) = path.parent() else { return };
        if fs::create_dir_all(folder).is_err() {
            return;
        }
        let tag = self.dir.join("CACHEDIR.TAG");
        if !tag.exists() {
            let _ = fs::write(&tag, TAG);
        }
        // The summary after the entry: a summary is never of an entry that is not there.
        if self.write(&path, &encode(files)) {
            self.write(&path.with_extension(SUM), &summary(files));
        }
    }

    /// Writes a file of the cache whole (a temporary file renamed into place); whether it was.
    fn write(&self, path: &Path, bytes: &[u8]) -> bool {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
            return false;
        };
        let temporary = folder.join(format!(
            ".{}.{}.{}",
            name.to_string_lossy(),
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let written = fs::File::create_new(&temporary)
            .and_then(|mut file| file.write_all(bytes))
            .and_then(|()| fs::rename(&temporary, path));
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        written.is_ok()
    }

    /// Removes the least recently used entries until the entries take at most the limit.
    pub fn trim(&self) {
        let mut entries = Vec::new();
        let mut summaries = 0;
        let Ok(folders) = fs::read_dir(self.dir.join(ENTRIES)) else {
            return;
        };
        for folder in folders.flatten() {
            let Ok(files) = fs::read_dir(folder.path()) else {
                continue;
            };
            for file in files.flatten() {
                let Ok(meta) = file.metadata() else { continue };
                let path = file.path();
                if !meta.is_file() {
                    continue;
                }
                // A summary goes with its entry, and counts towards the size.
                if path.extension().is_some_and(|e| e == SUM) {
                    match path.with_extension("").exists() {
                        true => summaries += meta.len(),
                        false => drop(fs::remove_file(&path)),
                    }
                    continue;
                }
                let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                entries.push((used, meta.len(), path));
            }
        }
        let mut total: u64 = entries.iter().map(|e| e.1).sum::<u64>() + summaries;
        if total <= self.limit {
            return;
        }
        entries.sort();
        for (_, len, path) in entries {
            if total <= self.limit {
                break;
            }
            if fs::remove_file(&path).is_ok() {
                let sum = path.with_extension(SUM);
                let sum_len = fs::symlink_metadata(&sum).map_or(0, |m| m.len());
                if fs::remove_file(&sum).is_ok() {
                    total = total.saturating_sub(sum_len);
                }
                total = total.saturating_sub(len);
            }
        }
    }
}

/// Most recently used last out: the time orders entries for eviction only.
fn touch(path: &Path) {
    if let Ok(file) = fs::File::options().append(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}

/// An entry's summary (see the module's text). A name with a line break in it cannot be listed:
/// such an entry has an empty summary, which holds nothing.
pub(super) fn summary(files: &Files) -> Vec<u8> {
    let mut text = format!("{SUM_MAGIC}\n");
    if files.iter().any(|(name, _)| name.contains(['\n', '\r'])) {
        return Vec::new();
    }
    for (name, bytes) in files {
        text.push_str(&format!("{} {} {name}\n", sha256_hex(bytes), bytes.len()));
    }
    let sum = sha256_hex(text.as_bytes());
    text.push_str(&sum);
    text.push('\n');
    text.into_bytes()
}

/// The files a summary lists, or `None` when it is not a whole, well-made summary.
pub(super) fn read_summary(text: &str) -> Option<Vec<Held>> {
    let body = text.strip_suffix('\n')?;
    let (body, sum) = body.rsplit_once('\n')?;
    let body = format!("{body}\n");
    if sha256_hex(body.as_bytes()) != sum {
        return None;
    }
    let mut lines = body.lines();
    if lines.next()? != SUM_MAGIC {
        return None;
    }
    let mut held = Vec::new();
    for line in lines {
        let mut parts = line.splitn(3, ' ');
        let (sha256, bytes, name) = (parts.next()?, parts.next()?, parts.next()?);
        if sha256.len() != 64 || !is_relative_name(name) {
            return None;
        }
        held.push(Held {
            name: name.to_string(),
            bytes: bytes.parse().ok()?,
            sha256: sha256.to_string(),
        });
    }
    (!held.is_empty()).then_some(held)
}

pub(super) fn encode(files: &Files) -> Vec<u8> {
    let size: usize = files.iter().map(|(n, b)| 12 + n.len() + b.len()).sum();
    let mut out = Vec::with_capacity(8 + 4 + size + 32);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(files.len() as u32).to_le_bytes());
    for (name, bytes) in files {
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

/// The files of an entry, or `None` when it is not a whole, well-made entry.
pub(super) fn decode(bytes: &[u8]) -> Option<Files> {
    let body_len = bytes.len().checked_sub(32)?;
    let (body, sum) = bytes.split_at(body_len);
    if Sha256::digest(body).as_slice() != sum {
        return None;
    }
    let mut rest = body.strip_prefix(MAGIC.as_slice())?;
    let count = u32::from_le_bytes(take(&mut rest, 4)?.try_into().ok()?);
    let mut files = Vec::new();
    for _ in 0..count {
        let len = u32::from_le_bytes(take(&mut rest, 4)?.try_into().ok()?);
        let name = std::str::from_utf8(take(&mut rest, usize::try_from(len).ok()?)?).ok()?;
        if !is_relative_name(name) {
            return None;
        }
        let len = u64::from_le_bytes(take(&mut rest, 8)?.try_into().ok()?);
        let data = take(&mut rest, usize::try_from(len).ok()?)?;
        files.push((name.to_string(), data.to_vec()));
    }
    rest.is_empty().then_some(files)
}

fn take<'a>(rest: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if rest.len() < n {
        return None;
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Some(head)
}

/// A file name inside a pack folder: relative, with no `..`, nothing odd.
fn is_relative_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains(['\\', '\0'])
        && Path::new(name)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}
