//! `guidepack release --verify <version>`: checks every file of a release record against a
//! rebuild from the sources: the inputs, the generator, every artifact's sha256 (and no more,
//! no fewer, none twice), the snapshot of every pack, and the record files' own bytes; for an
//! area edition (`--area <id>`), the same against its own record, and its released folder.

use std::collections::BTreeMap;
use std::path::Path;

use super::Report;
use super::publish::record_files_in;
use crate::build::sink::{Hashed, Snapshots};
use crate::build::{self, Pace, Plan};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::{Manifest, ManifestEntry};
use crate::pack_id::PackId;
use crate::release::{
    Recorded, ReleaseRecord, Snapshot, area_record_dir, generator, input_hashes, read_area_release,
    read_release, record_dir,
};
use crate::render::registry;
use crate::sources::SourceSet;
use crate::version::Version;

/// How many differences are listed before "and N more".
const SHOWN: usize = 20;

/// `guidepack release --verify <version>`: rebuilds, hashing each file as it is made (nothing
/// is written, no pack is kept), and compares with the record.
pub fn verify(root: &Path, version: &str) -> Report {
    let mut diagnostics = Diagnostics::default();
    let loaded = match build::load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(_) => return Report::failed(diagnostics, &SourceSet::default(), false),
    };
    let recorded = read_release(&loaded.sources, version);
    let current = loaded.project.config.pack.version.clone();
    let subject = Subject {
        version: Version::new(version),
        dir: record_dir(version),
        name: None,
        packs: build::all_packs(&loaded.project),
        inputs: input_hashes(&loaded.sources),
        released_folder: false,
    };
    let not_current = (current != version).then(|| {
        Diagnostic::error(format!(
            "cannot verify release {version}: the sources are version {current}"
        ))
        .in_file("guidepack.toml")
        .help(format!(
            "check out the sources of release {version} (for example its git tag), then verify"
        ))
    });
    compare(root, &loaded, subject, recorded, not_current, diagnostics)
}

/// `guidepack release --verify <version> --area <id>`: rebuilds that area's packs only and
/// compares them with its record in `releases/areas/<id>/<area version>/`, and with the
/// edition's released folder when the output has it. `<version>` is the area edition
/// (`1.0.0-kent.2`), or the national version for the area's current revision.
pub fn verify_area(root: &Path, version: &str, area: &str) -> Report {
    use super::release_area::{area_inputs, this_areas};
    let mut diagnostics = Diagnostics::default();
    let loaded = match build::load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(_) => return Report::failed(diagnostics, &SourceSet::default(), false),
    };
    let mut diagnostics = this_areas(diagnostics, area);
    let Some(found) = loaded.project.areas.iter().find(|a| a.id == area) else {
        diagnostics.push(Diagnostic::error(format!("there is no area `{area}`")));
        return Report::failed(diagnostics, &loaded.sources, false);
    };
    let config = &loaded.project.config;
    let current = config.pack.version.area_edition(area, found.revision);
    let version = if version.contains(&format!("-{area}.")) {
        Version::new(version)
    } else {
        current.clone()
    };
    let recorded = read_area_release(&loaded.sources, area, &version);
    let subject = Subject {
        dir: area_record_dir(area, &version),
        name: Some(found.name.clone()),
        packs: (config.audience_ids().iter())
            .map(|a| PackId::new(a, Some(area)))
            .collect(),
        inputs: area_inputs(&loaded.sources, area),
        released_folder: true,
        version,
    };
    let not_current = (current != subject.version).then(|| {
        Diagnostic::error(format!(
            "cannot verify release {}: the sources are {}'s version {current}",
            subject.version, found.name
        ))
        .in_file(&found.file)
        .help(format!(
            "check out the sources of release {}, then verify",
            subject.version
        ))
    });
    compare(root, &loaded, subject, recorded, not_current, diagnostics)
}

/// One record to verify against the sources.
struct Subject {
    version: Version,
    /// The record's folder (`releases/1.0.0`, `releases/areas/kent/1.0.0-kent.2`).
    dir: String,
    /// The area's name, for an area edition.
    name: Option<String>,
    /// The packs the record holds, rebuilt.
    packs: Vec<PackId>,
    /// The input files' hashes now, as the record would list them.
    inputs: BTreeMap<String, String>,
    /// Whether `output/<version>/` must hold the recorded bytes when it exists (an area
    /// edition's folder is never rewritten; a national one gets its versions regions).
    released_folder: bool,
}

/// The one comparison of a record with a rebuild: the record read whole, the sources at its
/// version, the same generator, the same inputs; then every artifact, every pack's text, the
/// date, and the record files' own bytes.
fn compare(
    root: &Path,
    loaded: &build::Loaded,
    subject: Subject,
    recorded: Result<Recorded, Diagnostic>,
    not_current: Option<Diagnostic>,
    mut diagnostics: Diagnostics,
) -> Report {
    let failed = |diagnostics: Diagnostics| Report::failed(diagnostics, &loaded.sources, false);
    let Subject { version, dir, .. } = &subject;
    let recorded = match recorded {
        Ok(r) => r,
        Err(d) => {
            diagnostics.push(d);
            return failed(diagnostics);
        }
    };
    if diagnostics.has_errors() {
        return failed(diagnostics);
    }
    if let Some(d) = not_current {
        diagnostics.push(d);
        return failed(diagnostics);
    }
    let running = generator();
    for (file, recorded_by) in [
        ("release.json", &recorded.record.generator),
        ("manifest.json", &recorded.manifest_generator),
    ] {
        if *recorded_by != running {
            diagnostics.push(
                Diagnostic::error(format!(
                    "cannot verify release {version}: it was recorded by `{recorded_by}` (in {dir}/{file}), and this is `{running}`; another guidepack may write other bytes"
                ))
                .in_file(&format!("{dir}/{file}"))
                .help(format!(
                    "verify with `{recorded_by}`, the guidepack that recorded it; if the record was edited, restore it from version control"
                )),
            );
            return failed(diagnostics);
        }
    }
    let differing = input_differences(&recorded.record.inputs, &subject.inputs);
    if !differing.is_empty() {
        let shown: Vec<&str> = differing.iter().take(10).map(String::as_str).collect();
        diagnostics.push(
            Diagnostic::error(format!(
                "cannot verify release {version}: {} input files differ from the record: {}{}",
                differing.len(),
                shown.join(", "),
                if differing.len() > 10 { ", …" } else { "" }
            ))
            .help("verify the exact sources of the release: check out its tag and try again"),
        );
        return failed(diagnostics);
    }
    let config = &loaded.project.config;
    let registry = registry();
    let plan = Plan {
        packs: subject.packs.clone(),
        formats: registry.names().into_iter().map(str::to_string).collect(),
        pace: Pace::Batches,
        preview: None,
        cache: None,
        present: None,
    };
    let mut sink = Snapshots::new(Hashed::default(), &loaded.project.framework);
    let outcome = build::run(loaded, &plan, &registry, &mut sink);
    diagnostics.extend(outcome.diagnostics().cloned());
    if !outcome.succeeded() {
        return failed(diagnostics);
    }
    let snapshots: Vec<Snapshot> = sink.sorted();
    // What `guidepack release` writes for these sources.
    let rebuilt: BTreeMap<String, ManifestEntry> = sink.inner.entries;
    let manifest = Manifest {
        version: version.clone(),
        date: config.pack.date.clone(),
        generator: running.clone(),
        artifacts: rebuilt.values().cloned().collect(),
    };
    let record = ReleaseRecord {
        version: version.clone(),
        date: config.pack.date.clone(),
        generator: running,
        inputs: subject.inputs.clone(),
    };
    let mut mismatches = artifact_mismatches(&recorded.artifacts, &rebuilt);
    mismatches.extend(snapshot_mismatches(&recorded.snapshots, &snapshots, dir));
    if recorded.record.date != record.date {
        mismatches.push(format!(
            "{dir}/release.json records the date {}, but the sources say {}",
            recorded.record.date, record.date
        ));
    }
    if mismatches.is_empty() {
        // Every field agrees: the files must then be exactly what `release` writes.
        for (path, bytes) in record_files_in(dir, &record, &manifest, &snapshots) {
            if loaded.sources.text(&path).map(str::as_bytes) != Some(bytes.as_slice()) {
                mismatches.push(format!(
                    "{path} is not byte for byte what `guidepack release` writes for this release (it was edited)"
                ));
            }
        }
    }
    let out = root.join("output");
    let checked_folder = subject.released_folder && out.join(version.as_str()).is_dir();
    if checked_folder {
        mismatches.extend(folder_mismatches(&out, version, &recorded.artifacts));
    }
    if mismatches.is_empty() {
        let whose = (subject.name.as_ref()).map_or(String::new(), |n| format!(" of {n}"));
        let folder = if checked_folder {
            format!(", and so are the files in output/{version}")
        } else {
            String::new()
        };
        return Report::done(
            diagnostics,
            &loaded.sources,
            vec![format!(
                "release {version}{whose} verified: all {} artifacts are byte-identical to the record, and so are its release.json, manifest.json and snapshot.json{folder}",
                recorded.artifacts.len()
            )],
            false,
        );
    }
    let total = mismatches.len();
    for m in mismatches.iter().take(SHOWN) {
        diagnostics.push(
            Diagnostic::error(format!("release {version} does not reproduce: {m}")).help(
                "rebuild from the exact sources of the release; if the record was edited, restore it from version control",
            ),
        );
    }
    if total > SHOWN {
        diagnostics.push(Diagnostic::error(format!(
            "release {version} does not reproduce: and {} more differences",
            total - SHOWN
        )));
    }
    failed(diagnostics)
}

/// The input files that differ between the record and the sources, each saying how.
fn input_differences(
    recorded: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut differing: Vec<String> = Vec::new();
    for (path, hash) in recorded {
        match now.get(path) {
            None => differing.push(format!("{path} (removed)")),
            Some(h) if h != hash => differing.push(format!("{path} (changed)")),
            _ => {}
        }
    }
    differing.extend(
        now.keys()
            .filter(|p| !recorded.contains_key(*p))
            .map(|p| format!("{p} (added)")),
    );
    differing
}

/// Every file of a released folder `output/<version>/` that is not the recorded one.
fn folder_mismatches(out: &Path, version: &Version, artifacts: &[ManifestEntry]) -> Vec<String> {
    let mut found = Vec::new();
    let on_disk: BTreeMap<String, ManifestEntry> = (crate::output::files_on_disk(out, version)
        .into_iter())
    .map(|e| (e.path.clone(), e))
    .collect();
    for artifact in artifacts {
        let path = format!("output/{version}/{}", artifact.path);
        match on_disk.get(&artifact.path) {
            None => found.push(format!("{path} is missing")),
            Some(file) if file.sha256 != artifact.sha256 => {
                found.push(format!("{path} is not the released file (it was changed)"))
            }
            Some(_) => {}
        }
    }
    let listed: std::collections::BTreeSet<&str> =
        artifacts.iter().map(|a| a.path.as_str()).collect();
    for path in on_disk.keys().filter(|p| !listed.contains(p.as_str())) {
        found.push(format!(
            "output/{version}/{path} is not in the record (it was added)"
        ));
    }
    found
}

/// Every difference between the recorded artifacts and the rebuilt ones, both ways.
fn artifact_mismatches(
    recorded: &[ManifestEntry],
    rebuilt: &BTreeMap<String, ManifestEntry>,
) -> Vec<String> {
    let mut found = Vec::new();
    let mut seen = BTreeMap::new();
    for artifact in recorded {
        seen.insert(artifact.path.as_str(), ());
        match rebuilt.get(&artifact.path) {
            Some(entry) if entry.sha256 != artifact.sha256 => {
                found.push(format!("{} differs", artifact.path))
            }
            Some(entry) if entry != artifact => found.push(format!(
                "the record's entry for {} does not describe it (size, audience or area)",
                artifact.path
            )),
            Some(_) => {}
            None => found.push(format!("{} was not rebuilt", artifact.path)),
        }
    }
    found.extend(
        rebuilt
            .keys()
            .filter(|p| !seen.contains_key(p.as_str()))
            .map(|p| format!("{p} was rebuilt but is not in the record")),
    );
    found
}

/// Every pack whose recorded text differs from the text rebuilt from the sources.
fn snapshot_mismatches(recorded: &[Snapshot], rebuilt: &[Snapshot], dir: &str) -> Vec<String> {
    let mut found = Vec::new();
    for pack in rebuilt {
        match recorded.iter().find(|s| s.pack == pack.pack) {
            None => found.push(format!(
                "{dir}/snapshot.json has no text for the pack {}",
                pack.pack
            )),
            Some(s) if s != pack => found.push(format!(
                "{dir}/snapshot.json records other text for the pack {} than the sources give",
                pack.pack
            )),
            Some(_) => {}
        }
    }
    for s in recorded {
        if !rebuilt.iter().any(|p| p.pack == s.pack) {
            found.push(format!(
                "{dir}/snapshot.json has text for the pack {}, which the sources do not make",
                s.pack
            ));
        }
    }
    found
}
