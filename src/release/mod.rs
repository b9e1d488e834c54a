//! Releases: `guidepack release` (a checked, complete build plus its record in
//! `releases/<version>/`), `release --verify`, the "Changes in this version" annex, and
//! `guidepack diff`.

mod annex;
pub mod changes;
pub mod run;
pub mod snapshot;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::output::{ManifestEntry, sha256_hex};
use crate::pipeline::version_key;
use crate::resolve::Pack;
use crate::sources::SourceSet;

pub use annex::add_change_summaries;
pub use changes::{Change, compare};
pub use snapshot::{Snapshot, snapshot};

/// `releases/<version>/release.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReleaseRecord {
    pub version: String,
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
    pub snapshots: Vec<Snapshot>,
}

impl Recorded {
    pub fn snapshot(&self, pack: &str) -> Option<&Snapshot> {
        self.snapshots.iter().find(|s| s.pack == pack)
    }
}

pub fn record_dir(version: &str) -> String {
    format!("releases/{version}")
}

/// The releases recorded in the project, by version.
pub fn recorded_versions(sources: &SourceSet) -> Vec<String> {
    let mut versions: Vec<String> = sources
        .texts
        .keys()
        .filter_map(|p| p.strip_prefix("releases/")?.strip_suffix("/release.json"))
        .filter(|v| !v.contains('/'))
        .map(str::to_string)
        .collect();
    versions.sort_by_key(|v| version_key(v));
    versions
}

/// Reads a recorded release from the project's sources.
pub fn read_release(sources: &SourceSet, version: &str) -> Result<Recorded, Diagnostic> {
    let dir = record_dir(version);
    let read = |name: &str| {
        let path = format!("{dir}/{name}");
        let text = sources.text(&path).ok_or_else(|| {
            Diagnostic::error(format!(
                "there is no release `{version}`: {path} is missing"
            ))
            .help(match recorded_versions(sources).as_slice() {
                [] => "no release is recorded yet: `guidepack release` records one".to_string(),
                versions => format!("the recorded releases are {}", versions.join(", ")),
            })
        })?;
        Ok::<_, Diagnostic>((path, text))
    };
    let parse_err = |path: &str, e: serde_json::Error| {
        Diagnostic::error(format!("the release record is damaged: {e}"))
            .at(path, Pos::new(e.line() as u32, e.column() as u32))
            .help("release records are written by `guidepack release`; restore this file from version control")
    };
    let (path, text) = read("release.json")?;
    let record: ReleaseRecord = serde_json::from_str(text).map_err(|e| parse_err(&path, e))?;
    let (path, text) = read("manifest.json")?;
    let manifest: crate::output::Manifest =
        serde_json::from_str(text).map_err(|e| parse_err(&path, e))?;
    let (path, text) = read("snapshot.json")?;
    let snapshots: Vec<Snapshot> = serde_json::from_str(text).map_err(|e| parse_err(&path, e))?;
    Ok(Recorded {
        record,
        artifacts: manifest.artifacts,
        snapshots,
    })
}

/// The newest recorded release older than `version`, if any.
pub fn previous_release(sources: &SourceSet, version: &str) -> Option<Recorded> {
    let current = version_key(version);
    let previous = recorded_versions(sources)
        .into_iter()
        .rev()
        .find(|v| version_key(v) < current)?;
    read_release(sources, &previous).ok()
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

/// Why a release is refused: check errors, drafts, an existing record.
pub fn refusals(
    loaded: &crate::pipeline::Loaded,
    root: &Path,
    force: bool,
    diagnostics: &mut Diagnostics,
) {
    let project = &loaded.project;
    let chapters = project
        .chapters
        .iter()
        .chain(project.areas.iter().flat_map(|a| a.sections.iter()));
    for chapter in chapters.filter(|c| c.meta.draft) {
        diagnostics.push(
            Diagnostic::error("release refused: this chapter is a draft")
                .at(&chapter.file, Pos::new(1, 1))
                .help(
                    "remove `draft: true` from its front matter when the text is ready to publish",
                ),
        );
    }
    let version = &project.config.pack.version;
    if root.join(record_dir(version)).exists() && !force {
        diagnostics.push(
            Diagnostic::error(format!("release refused: version {version} is already released ({} exists)", record_dir(version)))
                .in_file("guidepack.toml")
                .help("raise `version` under [pack] in guidepack.toml for a new release, or pass --force to replace this one"),
        );
    }
}

/// The files of a release record, by project-relative path.
pub fn record_files(
    record: &ReleaseRecord,
    manifest: &crate::output::Manifest,
    packs: &[Pack],
) -> Vec<(String, Vec<u8>)> {
    let dir = record_dir(&record.version);
    let mut snapshots: Vec<Snapshot> = packs.iter().map(snapshot).collect();
    snapshots.sort_by(|a, b| a.pack.cmp(&b.pack));
    vec![
        (format!("{dir}/release.json"), pretty_json(record)),
        (format!("{dir}/manifest.json"), pretty_json(manifest)),
        (format!("{dir}/snapshot.json"), pretty_json(&snapshots)),
    ]
}

/// Pretty JSON with a final newline, for files people read in version control.
pub fn pretty_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
