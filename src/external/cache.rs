//! What `check --external` found, kept for a day in `output/.cache/external-links.json` so that
//! running it again does not ask every site again. A missing, unreadable or corrupt file is an
//! empty cache, never an error.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How long a result is kept, in seconds.
pub const KEEP_SECONDS: u64 = 24 * 60 * 60;

/// Where the cache lives, under the project's output folder.
pub const CACHE_FILE: &str = "output/.cache/external-links.json";

/// One address's result: when it was tried (seconds since 1970, UTC) and what was wrong, if
/// anything.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    pub checked_at: u64,
    pub problem: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    links: BTreeMap<String, Checked>,
}

/// The results still fresh at `now`, by address.
pub fn load(root: &Path, now: u64) -> BTreeMap<String, Checked> {
    let Ok(text) = fs::read_to_string(root.join(CACHE_FILE)) else {
        return BTreeMap::new();
    };
    let Ok(file) = serde_json::from_str::<CacheFile>(&text) else {
        return BTreeMap::new();
    };
    file.links
        .into_iter()
        .filter(|(_, c)| c.checked_at <= now && now - c.checked_at < KEEP_SECONDS)
        .collect()
}

/// Writes the results (replacing the file whole, so a stopped run leaves the old one or the
/// new one, never half of one).
pub fn save(root: &Path, links: &BTreeMap<String, Checked>) -> io::Result<()> {
    let path = root.join(CACHE_FILE);
    let dir = path.parent().unwrap_or(root);
    // As everywhere in the output folder, nothing is written through a link.
    for folder in [dir.parent().unwrap_or(root), dir] {
        if fs::symlink_metadata(folder).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(io::Error::other(format!(
                "`{}` is a link, and guidepack does not write through links",
                folder.strip_prefix(root).unwrap_or(folder).display()
            )));
        }
    }
    fs::create_dir_all(dir)?;
    let file = CacheFile {
        links: links.clone(),
    };
    let text = serde_json::to_string_pretty(&file).map_err(io::Error::other)?;
    let partial: PathBuf = dir.join(format!(".external-links.{}.partial", std::process::id()));
    fs::write(&partial, text)?;
    fs::rename(&partial, &path).inspect_err(|_| {
        let _ = fs::remove_file(&partial);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(at: u64) -> Checked {
        Checked {
            checked_at: at,
            problem: None,
        }
    }

    #[test]
    fn results_are_kept_for_a_day_and_a_corrupt_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let mut links = BTreeMap::new();
        links.insert("https://a.example/".to_string(), checked(1_000));
        links.insert(
            "https://b.example/".to_string(),
            checked(1_000 + KEEP_SECONDS),
        );
        save(dir.path(), &links).unwrap();
        let fresh = load(dir.path(), 1_000 + KEEP_SECONDS);
        assert_eq!(fresh.keys().collect::<Vec<_>>(), ["https://b.example/"]);
        // A result from the future (a clock put back) is not trusted.
        assert!(load(dir.path(), 999).is_empty());
        fs::write(dir.path().join(CACHE_FILE), "{ not json").unwrap();
        assert!(load(dir.path(), 1_000).is_empty());
    }
}
