//! What the output already holds of a version, for a build from the pack cache: when the cache
//! says which files (names, sizes, sha256) a pack's key made, and the output has exactly those
//! files, untouched since its manifest was written, the pack's files are linked from the output
//! and never read, written or hashed again. That is most of a build in which little changed.
//!
//! "Untouched" is judged as `make` and git's index judge it: a file whose size differs from its
//! manifest entry, or that was modified after the manifest was written (hand-edited output), is
//! not taken as held, and the build writes it again from the cache's bytes.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{ManifestEntry, manifests, safe};

/// A file a pack's key made that the output holds byte for byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    /// Relative to the pack folder.
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// A version folder's files as its manifest lists them, and when the manifest was written.
pub struct Present {
    version_dir: PathBuf,
    entries: HashMap<String, ManifestEntry>,
    written: SystemTime,
}

impl Present {
    /// The output's version folder, if it has a manifest that reads whole (a damaged one is
    /// made again by the next publish; nothing is held until then).
    pub fn read(out: &Path, version: &str) -> Option<Present> {
        let found = manifests::read(out, version)?;
        if found.remade.is_some() {
            return None;
        }
        let manifest = out.join(version).join("manifest.json");
        let written = fs::symlink_metadata(&manifest).ok()?.modified().ok()?;
        Some(Present {
            version_dir: out.join(version),
            entries: (found.manifest.artifacts.into_iter())
                .map(|a| (a.path.clone(), a))
                .collect(),
            written,
        })
    }

    /// Whether the pack folder `dir` holds every one of these files, as made.
    pub fn holds(&self, dir: &str, files: &[Held]) -> bool {
        !files.is_empty() && files.iter().all(|file| self.holds_one(dir, file))
    }

    fn holds_one(&self, dir: &str, file: &Held) -> bool {
        let path = format!("{dir}/{}", file.name);
        let Some(entry) = self.entries.get(&path) else {
            return false;
        };
        if entry.bytes != file.bytes || entry.sha256 != file.sha256 {
            return false;
        }
        if safe::check_no_links(&self.version_dir, Path::new(&path)).is_err() {
            return false;
        }
        let Ok(meta) = fs::symlink_metadata(self.version_dir.join(&path)) else {
            return false;
        };
        meta.is_file()
            && meta.len() == file.bytes
            && meta
                .modified()
                .is_ok_and(|modified| modified <= self.written)
    }
}
