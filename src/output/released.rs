//! The released place and the working copy: once a version is released, `output/<v>/` holds
//! only the bytes its record lists, and a build of other text for that version goes to
//! `output/<v>+unreleased/` (see README, "Versions and releases").

use std::collections::BTreeMap;
use std::fmt;
use std::io;

use super::ManifestEntry;

/// What a working copy's version and folder end with: semver build metadata, so that
/// `1.0.0+unreleased` reads "1.0.0 plus unreleased changes" and is never newer than a release.
const UNRELEASED: &str = "+unreleased";

/// The version (and folder name) of the unreleased working copy of `version`.
pub fn working_copy_of(version: &str) -> String {
    format!("{version}{UNRELEASED}")
}

/// The released version a working copy's version or folder stems from; `None` for a version.
pub fn unreleased_since(version: &str) -> Option<&str> {
    version.strip_suffix(UNRELEASED)
}

/// A build of a released version's own sources made a file that is not the recorded one.
/// Carried inside an `io::Error`; [`super::write_error`] turns it into plain words. Nothing is
/// written then: the released files stay.
#[derive(Debug)]
pub struct NotAsReleased {
    pub version: String,
    pub path: String,
    pub recorded: bool,
}

impl fmt::Display for NotAsReleased {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (version, path) = (&self.version, &self.path);
        if self.recorded {
            write!(
                f,
                "the sources are those of release {version}, but `{version}/{path}` came out different from the released file"
            )
        } else {
            write!(
                f,
                "the sources are those of release {version}, but they made `{version}/{path}`, which the release does not have"
            )
        }
    }
}

impl std::error::Error for NotAsReleased {}

/// The record's artifacts, to check each file a build puts in the released place against.
pub struct Record {
    pub version: String,
    pub artifacts: BTreeMap<String, ManifestEntry>,
}

impl Record {
    pub fn new(version: &str, artifacts: &[ManifestEntry]) -> Self {
        Record {
            version: version.to_string(),
            artifacts: artifacts
                .iter()
                .map(|a| (a.path.clone(), a.clone()))
                .collect(),
        }
    }

    /// Refuses an entry that is not exactly the record's (path, sha256, size, audience, area).
    pub fn check(&self, entry: &ManifestEntry) -> io::Result<()> {
        match self.artifacts.get(&entry.path) {
            Some(recorded) if recorded == entry => Ok(()),
            found => Err(io::Error::other(NotAsReleased {
                version: self.version.clone(),
                path: entry.path.clone(),
                recorded: found.is_some(),
            })),
        }
    }

    pub fn lists(&self, path: &str) -> bool {
        self.artifacts.contains_key(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_working_copy_is_named_by_its_release() {
        assert_eq!(working_copy_of("1.0.0"), "1.0.0+unreleased");
        assert_eq!(unreleased_since("1.0.0+unreleased"), Some("1.0.0"));
        assert_eq!(unreleased_since("1.0.0"), None);
        assert_eq!(
            unreleased_since("1.0.0-rc.1+unreleased"),
            Some("1.0.0-rc.1")
        );
    }
}
