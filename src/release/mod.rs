//! Releases: `guidepack release` (a checked, complete build plus its record in
//! `releases/<version>/`), `release --verify`, the "Changes in this version" annex, and
//! `guidepack diff`.

mod annex;
pub mod changes;
mod diff_form;
mod edition;
mod record;
pub mod run;
pub mod snapshot;
mod verify;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::output::{ManifestEntry, sha256_hex};
use crate::pipeline::{Loaded, Report, Status};
use crate::resolve::Pack;
use crate::sources::SourceSet;

pub use annex::add_change_summaries;
pub use changes::{Change, compare};
pub use edition::{Edition, WorkingCopy};
pub use record::{
    Around, RECORD_FILES, previous_release, read_release, recorded_versions, releases_around,
};
pub use snapshot::{Snapshot, snapshot};
pub use verify::verify;

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
    /// The `generator` of the recorded manifest.
    pub manifest_generator: String,
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
    let chapters = project.texts();
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
    framework: &crate::model::Framework,
) -> Vec<(String, Vec<u8>)> {
    let dir = record_dir(&record.version);
    let mut snapshots: Vec<Snapshot> = packs.iter().map(|p| snapshot(p, framework)).collect();
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

/// The `generator` written in manifests and release records.
pub fn generator() -> String {
    format!("guidepack {}", env!("CARGO_PKG_VERSION"))
}

/// A command's report.
fn report(
    status: Status,
    diagnostics: Diagnostics,
    loaded: Option<&Loaded>,
    summary: Vec<String>,
    writes: bool,
) -> Report {
    Report {
        status,
        diagnostics: diagnostics.sorted(),
        sources: loaded.map(|l| l.sources.texts.clone()).unwrap_or_default(),
        summary,
        writes,
    }
}

fn failed(diagnostics: Diagnostics, loaded: Option<&Loaded>, writes: bool) -> Report {
    report(
        Status::ProjectErrors,
        diagnostics,
        loaded,
        Vec::new(),
        writes,
    )
}
