//! Publishing a release, national or an area's edition: its packs built into a staged whole
//! version folder, committed, the output finished, and its record written, each step
//! journalled, so that a release either happens whole or leaves the output untouched.

use std::collections::BTreeMap;
use std::path::Path;

use crate::build::sink::{Snapshots, Staged};
use crate::build::{self, Loaded, Plan, finish_output};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::{Manifest, Staging};
use crate::release::{ReleaseRecord, Snapshot, generator, pretty_json, write_record};
use crate::render::{HtmlTemplates, Registry};

/// One release to publish: its packs, built into a staged whole version folder, and its
/// record.
pub struct Publish<'a> {
    pub loaded: &'a Loaded,
    pub plan: &'a Plan<'a>,
    pub registry: &'a Registry,
    pub out: &'a Path,
    /// The record's folder: `releases/1.0.0`, `releases/areas/kent/1.0.0-kent.2`.
    pub record_dir: String,
    /// The inputs the record lists.
    pub inputs: BTreeMap<String, String>,
    /// `--quiet`: no progress while the packs are made.
    pub quiet: bool,
}

/// How a publish ended.
pub enum Published {
    /// A pack did not resolve: nothing written, the errors are in the diagnostics.
    Unresolved,
    /// A pack failed to render: nothing written.
    Failed,
    /// The version folder committed and the record written (or the write that failed), with
    /// the number of packs.
    Written(std::io::Result<(usize, Vec<Diagnostic>)>, usize),
}

/// The one publishing step of `release` and `release --area`: builds the plan's packs into
/// `staging` (a whole version folder), keeping their text; commits the folder, finishes the
/// output (site index, versions) and writes the record, each through the journalled writes.
/// On any failure before the commit the staging is abandoned and the output is untouched.
pub fn publish(
    root: &Path,
    release: Publish,
    staging: Staging,
    diagnostics: &mut Diagnostics,
) -> Published {
    let Publish {
        loaded,
        plan,
        registry,
        out,
        quiet,
        ..
    } = release;
    let (outcome, snapshots, staging) =
        make_with_text(loaded, plan, registry, (out, staging), quiet);
    diagnostics.extend(outcome.diagnostics().cloned());
    if outcome.unresolved() {
        staging.abandon();
        return Published::Unresolved;
    }
    let (true, Some(templates)) = (outcome.succeeded(), outcome.templates.as_ref()) else {
        staging.abandon();
        return Published::Failed;
    };
    let made = Made {
        templates,
        snapshots,
        packs: outcome.packs,
        files: outcome.files,
    };
    let written = write_release(root, &release, staging, made);
    Published::Written(written, outcome.packs)
}

/// Makes a plan's packs into `staging` (in the output folder `into.0`), showing progress unless
/// `quiet`, and keeps the text of each: what the builder found and made, the packs' text in the
/// order of their folders, and the staging, to commit or abandon.
pub fn make_with_text(
    loaded: &Loaded,
    plan: &Plan,
    registry: &Registry,
    into: (&Path, Staging),
    quiet: bool,
) -> (build::Outcome, Vec<Snapshot>, Staging) {
    let (out, staging) = into;
    let staged = Staged {
        out,
        staging,
        published: None,
    };
    let mut sink = Snapshots::new(staged, &loaded.project.framework);
    let outcome = {
        let mut meter = super::progress::Meter::new(&mut sink, plan.packs.len(), quiet);
        let outcome = build::run(loaded, plan, registry, &mut meter);
        meter.finish();
        outcome
    };
    let snapshots = sink.sorted();
    (outcome, snapshots, sink.inner.staging)
}

/// A release's packs, all staged.
pub struct Made<'a> {
    pub templates: &'a HtmlTemplates,
    /// The text of every pack, in the order of their folders.
    pub snapshots: Vec<Snapshot>,
    pub packs: usize,
    pub files: usize,
}

/// Commits a release's staged version folder, finishes the output (site index, versions) and
/// writes the record, each through the journalled writes: the number of artifacts, and the
/// warnings. Shared by `release` and `merge` (of a release's shards).
pub fn write_release(
    root: &Path,
    release: &Publish,
    staging: Staging,
    made: Made,
) -> std::io::Result<(usize, Vec<Diagnostic>)> {
    let config = &release.loaded.project.config;
    // A release is the complete version: nothing of an earlier build of it stays.
    let committed = staging.commit()?;
    // The record lists exactly the folder's artifacts.
    let manifest = committed.manifest.clone();
    let (_, warnings) = finish_output(
        release.out,
        release.loaded,
        made.templates,
        release.registry,
        committed,
        made.packs,
        made.files,
    )?;
    let record = ReleaseRecord {
        version: manifest.version.clone(),
        date: config.pack.date.clone(),
        generator: generator(),
        inputs: release.inputs.clone(),
    };
    let dir = &release.record_dir;
    let files = record_files_in(dir, &record, &manifest, &made.snapshots);
    let under = dir.strip_prefix("releases/").unwrap_or(dir);
    write_record(root, under, files)?;
    Ok((manifest.artifacts.len(), warnings))
}

/// The files of a release record in `dir` (`releases/1.0.0`, or an area edition's
/// `releases/areas/kent/1.0.0-kent.2`): `release.json`, `manifest.json`, `snapshot.json`.
pub fn record_files_in(
    dir: &str,
    record: &ReleaseRecord,
    manifest: &Manifest,
    snapshots: &[Snapshot],
) -> Vec<(String, Vec<u8>)> {
    vec![
        (format!("{dir}/release.json"), pretty_json(record)),
        (format!("{dir}/manifest.json"), pretty_json(manifest)),
        (format!("{dir}/snapshot.json"), pretty_json(&snapshots)),
    ]
}
