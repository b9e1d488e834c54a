//! The released place and the working copy: once a version is released, `output/<v>/` holds
//! only the bytes its record lists, and a build of other text for that version goes to
//! `output/<v>+unreleased/` (see README, "Versions and releases").

use std::collections::BTreeMap;
use std::fmt;
use std::io;

use super::ManifestEntry;

/// A build of a released version's own sources made a file that is not the recorded one.
/// Carried inside an `io::Error`; [`super::write_error`] turns it into plain words. Nothing is
/// written then: the released files stay.
#[derive(Debug)]
pub struct NotAsReleased {
    pub version: crate::version::Version,
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
    pub version: crate::version::Version,
    pub artifacts: BTreeMap<String, ManifestEntry>,
}

impl Record {
    pub fn new(version: &crate::version::Version, artifacts: &[ManifestEntry]) -> Self {
        Record {
            version: version.clone(),
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
