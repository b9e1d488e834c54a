//! `guidepack release --verify <version>`: checks every file of a release record against a
//! rebuild from the sources: the inputs, the generator, every artifact's sha256 (and no more,
//! no fewer, none twice), the snapshot of every pack, and the record files' own bytes.

use std::collections::BTreeMap;
use std::path::Path;

use super::Report;
use super::release::record_files;
use crate::build::sink::{Hashed, Snapshots};
use crate::build::{self, Pace, Plan};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::{Manifest, ManifestEntry};
use crate::release::{ReleaseRecord, Snapshot, generator, input_hashes, read_release, record_dir};
use crate::render::registry;
use crate::sources::SourceSet;

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
    let failed = |diagnostics: Diagnostics| Report::failed(diagnostics, &loaded.sources, false);
    let recorded = match read_release(&loaded.sources, version) {
        Ok(r) => r,
        Err(d) => {
            diagnostics.push(d);
            return failed(diagnostics);
        }
    };
    if diagnostics.has_errors() {
        return failed(diagnostics);
    }
    let config = &loaded.project.config;
    let current = &config.pack.version;
    let dir = record_dir(version);
    if current != version {
        diagnostics.push(
            Diagnostic::error(format!(
                "cannot verify release {version}: the sources are version {current}"
            ))
            .in_file("guidepack.toml")
            .help(format!(
                "check out the sources of release {version} (for example its git tag), then verify"
            )),
        );
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
    let now = input_hashes(&loaded.sources);
    let mut differing: Vec<String> = Vec::new();
    for (path, hash) in &recorded.record.inputs {
        match now.get(path) {
            None => differing.push(format!("{path} (removed)")),
            Some(h) if h != hash => differing.push(format!("{path} (changed)")),
            _ => {}
        }
    }
    differing.extend(
        now.keys()
            .filter(|p| !recorded.record.inputs.contains_key(*p))
            .map(|p| format!("{p} (added)")),
    );
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
    let registry = registry();
    let plan = Plan {
        packs: build::all_packs(&loaded.project),
        formats: registry.names().into_iter().map(str::to_string).collect(),
        pace: Pace::Batches,
        preview: None,
    };
    let mut sink = Snapshots::new(Hashed::default(), &loaded.project.framework);
    let outcome = build::run(&loaded, &plan, &registry, &mut sink);
    diagnostics.extend(outcome.diagnostics().cloned());
    if !outcome.succeeded() {
        return failed(diagnostics);
    }
    let snapshots: Vec<Snapshot> = sink.sorted();
    // What `guidepack release` writes for these sources.
    let rebuilt: BTreeMap<String, ManifestEntry> = sink.inner.entries;

    let manifest = Manifest {
        version: version.into(),
        date: config.pack.date.clone(),
        generator: running.clone(),
        artifacts: rebuilt.values().cloned().collect(),
    };
    let record = ReleaseRecord {
        version: version.into(),
        date: config.pack.date.clone(),
        generator: running,
        inputs: now,
    };

    let mut mismatches = artifact_mismatches(&recorded.artifacts, &rebuilt);
    mismatches.extend(snapshot_mismatches(&recorded.snapshots, &snapshots, &dir));
    if recorded.record.date != record.date {
        mismatches.push(format!(
            "{dir}/release.json records the date {}, but the sources say {}",
            recorded.record.date, record.date
        ));
    }
    if mismatches.is_empty() {
        // Every field agrees: the files must then be exactly what `release` writes.
        for (path, bytes) in record_files(&record, &manifest, &snapshots) {
            if loaded.sources.text(&path).map(str::as_bytes) != Some(bytes.as_slice()) {
                mismatches.push(format!(
                    "{path} is not byte for byte what `guidepack release` writes for this release (it was edited)"
                ));
            }
        }
    }
    if mismatches.is_empty() {
        return Report::done(
            diagnostics,
            &loaded.sources,
            vec![format!(
                "release {version} verified: all {} artifacts are byte-identical to the record, and so are its release.json, manifest.json and snapshot.json",
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

/// `guidepack release --verify <version> --area <id>`: rebuilds that area's packs only and
/// compares them with its record in `releases/areas/<id>/<area version>/`. `<version>` is
/// the area edition (`1.0.0-kent.2`), or the national version for the area's current
/// revision.
pub fn verify_area(root: &Path, version: &str, area: &str) -> Report {
    use super::release_area::{area_inputs, area_record_dir, in_other_area};
    let mut diagnostics = Diagnostics::default();
    let loaded = match build::load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(_) => return Report::failed(diagnostics, &SourceSet::default(), false),
    };
    let kept: Vec<Diagnostic> = (diagnostics.sorted().into_iter())
        .filter(|d| !in_other_area(d, area))
        .collect();
    diagnostics = Diagnostics::default();
    diagnostics.extend(kept);
    let failed = |diagnostics: Diagnostics| Report::failed(diagnostics, &loaded.sources, false);
    let Some(found) = loaded.project.areas.iter().find(|a| a.id == area) else {
        diagnostics.push(Diagnostic::error(format!("there is no area `{area}`")));
        return failed(diagnostics);
    };
    let config = &loaded.project.config;
    let current = config.pack.version.area_edition(area, found.revision);
    let version = if version.contains(&format!("-{area}.")) {
        crate::version::Version::new(version)
    } else {
        config.pack.version.area_edition(area, found.revision)
    };
    let dir = area_record_dir(area, &version);
    let read = |name: &str| -> Result<String, Diagnostic> {
        let path = format!("{dir}/{name}");
        loaded.sources.text(&path).map(str::to_string).ok_or_else(|| {
            Diagnostic::error(format!("there is no release `{version}` of area `{area}`: `{path}` is missing"))
                .help(format!("`guidepack release --area {area}` records an area's release in releases/areas/{area}/<version>/"))
        })
    };
    let parsed = (|| -> Result<(ReleaseRecord, Manifest, Vec<Snapshot>), Diagnostic> {
        let damaged = |name: &str, e: serde_json::Error| {
            Diagnostic::error(format!("the release record `{dir}/{name}` is damaged: {e}"))
                .in_file(&format!("{dir}/{name}"))
                .help("release records are never edited: restore it from version control")
        };
        Ok((
            serde_json::from_str(&read("release.json")?).map_err(|e| damaged("release.json", e))?,
            serde_json::from_str(&read("manifest.json")?)
                .map_err(|e| damaged("manifest.json", e))?,
            serde_json::from_str(&read("snapshot.json")?)
                .map_err(|e| damaged("snapshot.json", e))?,
        ))
    })();
    let (record, manifest, recorded_snapshots) = match parsed {
        Ok(parsed) => parsed,
        Err(d) => {
            diagnostics.push(d);
            return failed(diagnostics);
        }
    };
    if diagnostics.has_errors() {
        return failed(diagnostics);
    }
    if current != version {
        diagnostics.push(
            Diagnostic::error(format!(
                "cannot verify release {version}: the sources are {}'s version {current}",
                found.name
            ))
            .in_file(&found.file)
            .help(format!(
                "check out the sources of release {version}, then verify"
            )),
        );
        return failed(diagnostics);
    }
    let running = generator();
    if record.generator != running {
        diagnostics.push(Diagnostic::error(format!(
            "cannot verify release {version}: it was recorded by `{}`, and this is `{running}`",
            record.generator
        )));
        return failed(diagnostics);
    }
    let now = area_inputs(&loaded.sources, area);
    let differing: Vec<&String> = (record.inputs.keys().chain(now.keys()))
        .filter(|p| record.inputs.get(*p) != now.get(*p))
        .collect();
    if !differing.is_empty() {
        let mut names: Vec<&str> = differing.iter().map(|p| p.as_str()).collect();
        names.dedup();
        diagnostics.push(
            Diagnostic::error(format!(
                "cannot verify release {version}: input files differ from the record: {}",
                names.join(", ")
            ))
            .help("verify the exact sources of the release: check out its tag and try again"),
        );
        return failed(diagnostics);
    }
    let registry = registry();
    let plan = Plan {
        packs: (config.audience_ids().iter())
            .map(|a| crate::pack_id::PackId::new(a, Some(area)))
            .collect(),
        formats: registry.names().into_iter().map(str::to_string).collect(),
        pace: Pace::Batches,
        preview: None,
    };
    let mut sink = Snapshots::new(Hashed::default(), &loaded.project.framework);
    let outcome = build::run(&loaded, &plan, &registry, &mut sink);
    diagnostics.extend(outcome.diagnostics().cloned());
    if !outcome.succeeded() {
        return failed(diagnostics);
    }
    let snapshots = sink.sorted();
    let mut mismatches = artifact_mismatches(&manifest.artifacts, &sink.inner.entries);
    mismatches.extend(snapshot_mismatches(&recorded_snapshots, &snapshots, &dir));
    // The edition's released folder, when the output has it, must hold the recorded bytes.
    let out = root.join("output");
    let released = out.join(version.as_str());
    let checked_folder = released.is_dir();
    if checked_folder {
        let on_disk: BTreeMap<String, ManifestEntry> =
            (crate::output::files_on_disk(&out, &version).into_iter())
                .map(|e| (e.path.clone(), e))
                .collect();
        for artifact in &manifest.artifacts {
            let path = format!("output/{version}/{}", artifact.path);
            match on_disk.get(&artifact.path) {
                None => mismatches.push(format!("{path} is missing")),
                Some(file) if file.sha256 != artifact.sha256 => {
                    mismatches.push(format!("{path} is not the released file (it was changed)"))
                }
                Some(_) => {}
            }
        }
        let listed: std::collections::BTreeSet<&str> =
            manifest.artifacts.iter().map(|a| a.path.as_str()).collect();
        for path in on_disk.keys().filter(|p| !listed.contains(p.as_str())) {
            mismatches.push(format!(
                "output/{version}/{path} is not in the record (it was added)"
            ));
        }
    }
    if mismatches.is_empty() {
        return Report::done(
            diagnostics,
            &loaded.sources,
            vec![format!(
                "release {version} of {} verified: all {} artifacts are byte-identical to the record{}",
                found.name,
                manifest.artifacts.len(),
                if checked_folder {
                    format!(", and so are the files in output/{version}")
                } else {
                    String::new()
                }
            )],
            false,
        );
    }
    for m in mismatches.iter().take(SHOWN) {
        diagnostics.push(
            Diagnostic::error(format!("release {version} does not reproduce: {m}"))
                .help("rebuild from the exact sources of the release; if the record was edited, restore it from version control"),
        );
    }
    failed(diagnostics)
}
