//! Release records (`releases/<version>/{release,manifest,snapshot}.json`), read as an input of
//! the project like any other file: what was released ([`Recorded`]), the text of its packs
//! ([`Snapshot`]) and how two texts differ ([`changes`]), and what a build of a released
//! version is ([`Edition`]). The commands `release`, `release --verify` and `diff` are in
//! `commands`; the "Changes in this version" annex is made by `resolve`.

pub mod changes;
mod edition;
mod record;
pub mod snapshot;
mod write;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::hash::sha256_hex;
use crate::output::ManifestEntry;
use crate::sources::SourceSet;
use crate::version::Version;

pub use changes::{Change, compare};
pub use edition::{Edition, WorkingCopy};
pub use record::{
    Around, RECORD_FILES, editions_before, read_area_release, read_release, recorded_editions,
    recorded_versions, releases_around,
};
pub use snapshot::Snapshot;
pub use write::write_record;

/// `releases/<version>/release.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReleaseRecord {
    pub version: Version,
    pub date: String,
    pub generator: String,
    /// The sha256 of every input file (configuration, content, templates), by path.
    pub inputs: BTreeMap<String, String>,
}

/// A release as recorded: its record, its artifacts and the text of its packs.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub record: ReleaseRecord,
    pub artifacts: Vec<ManifestEntry>,
    /// The `generator` of the recorded manifest.
    pub manifest_generator: String,
    pub snapshots: Vec<Snapshot>,
}

impl Recorded {
    pub fn snapshot(&self, pack: &str) -> Option<&Snapshot> {
        self.snapshots.iter().find(|s| s.pack == pack)
    }
}

/// Where an area edition's record lives: `releases/areas/<id>/<area version>`.
pub fn area_record_dir(area: &str, version: &str) -> String {
    format!("releases/areas/{area}/{version}")
}

pub fn record_dir(version: &str) -> String {
    format!("releases/{version}")
}

/// The sha256 of every input file: everything read from the project except release records.
pub fn input_hashes(sources: &SourceSet) -> BTreeMap<String, String> {
    sources
        .texts
        .iter()
        .map(|(p, t)| (p, t.as_bytes()))
        .chain(sources.binaries.iter().map(|(p, b)| (p, b.as_slice())))
        .filter(|(p, _)| !p.starts_with("releases/"))
        .map(|(p, bytes)| (p.clone(), sha256_hex(bytes)))
        .collect()
}

/// Pretty JSON with a final newline, for files people read in version control.
pub fn pretty_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The `generator` written in manifests and release records.
pub fn generator() -> String {
    format!("guidepack {}", env!("CARGO_PKG_VERSION"))
}
