//! The cache on disk: one file an entry, `<dir>/v1/<first two hex digits>/<key>`, holding the
//! pack's files and, at its end, the sha256 of all before it. An entry is written to a
//! temporary file beside it and renamed into place, so a reader (another build sharing the
//! folder) sees a whole entry or none; one that does not check out whole is a miss and is
//! removed. The folder may be deleted at any time.
//!
//! An entry: `GPCACHE1`, the number of files (u32), then each file's name (u32 length, UTF-8)
//! and bytes (u64 length), little-endian; then the checksum.

use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use crate::render::Files;

/// The size a cache is kept under unless told otherwise: 2 GiB.
pub const DEFAULT_LIMIT: u64 = 2 << 30;

const MAGIC: &[u8; 8] = b"GPCACHE1";
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
                // Most recently used last out: the time orders entries for eviction only.
                if let Ok(file) = fs::File::options().append(true).open(&path) {
                    let _ = file.set_modified(SystemTime::now());
                }
                Some(files)
            }
            None => {
                let _ = fs::remove_file(&path);
                None
            }
        }
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
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let temporary = folder.join(format!(
            ".{key}.{}.{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let written = fs::File::create_new(&temporary)
            .and_then(|mut file| file.write_all(&encode(files)))
            .and_then(|()| fs::rename(&temporary, &path));
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
    }

    /// Removes the least recently used entries until the entries take at most the limit.
    pub fn trim(&self) {
        let mut entries = Vec::new();
        let Ok(folders) = fs::read_dir(self.dir.join(ENTRIES)) else {
            return;
        };
        for folder in folders.flatten() {
            let Ok(files) = fs::read_dir(folder.path()) else {
                continue;
            };
            for file in files.flatten() {
                let Ok(meta) = file.metadata() else { continue };
                if meta.is_file() {
                    let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                    entries.push((used, meta.len(), file.path()));
                }
            }
        }
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        if total <= self.limit {
            return;
        }
        entries.sort();
        for (_, len, path) in entries {
            if total <= self.limit {
                break;
            }
            if fs::remove_file(&path).is_ok() {
                total -= len;
            }
        }
    }
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
