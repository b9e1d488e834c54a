//! Reading release records (`releases/<version>/{release,manifest,snapshot}.json`): every file
//! must be there and be what `guidepack release` wrote, or it is an error naming the file, so
//! that a damaged record never silently drops a change summary.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use super::{Recorded, ReleaseRecord, Snapshot, record_dir};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::output::Manifest;
use crate::sources::SourceSet;
use crate::version::Version;

/// The files of a release record.
pub const RECORD_FILES: [&str; 3] = ["release.json", "manifest.json", "snapshot.json"];

/// The releases recorded in the project (every folder of `releases/` with a file in it), by
/// version.
pub fn recorded_versions(sources: &SourceSet) -> Vec<Version> {
    let mut versions: Vec<Version> = sources
        .texts
        .keys()
        .chain(sources.binaries.keys())
        .filter_map(|p| p.strip_prefix("releases/")?.split_once('/'))
        // `releases/areas/` holds the records of area editions (`release --area`).
        .filter(|(version, _)| *version != "areas")
        .map(|(version, _)| Version::new(version))
        .collect();
    versions.sort_by_key(Version::key);
    versions.dedup();
    versions
}

fn help(version: &str) -> String {
    format!(
        "release records are written by `guidepack release` and never edited: restore `releases/{version}/` from version control, or record it again with `guidepack release --force` from the sources of version {version}"
    )
}

/// Reads a recorded release from the project's sources: every file present, valid, and
/// about this version; a manifest that lists a file twice or a snapshot that has a pack twice
/// is damaged.
pub fn read_release(sources: &SourceSet, version: &str) -> Result<Recorded, Diagnostic> {
    let dir = record_dir(version);
    let versions = recorded_versions(sources);
    if !versions.iter().any(|v| v == version) {
        let known = if versions.is_empty() {
            "there are no recorded releases in `releases/`".to_string()
        } else {
            let names: Vec<&str> = versions.iter().map(Version::as_str).collect();
            format!("the recorded releases are: {}", names.join(", "))
        };
        return Err(Diagnostic::error(format!(
            "there is no release `{version}`: {dir}/ is missing"
        ))
        .help(known));
    }
    read_record(sources, &dir, version, &help(version))
}

/// Reads the record in `dir` (`releases/<version>` or an area edition's
/// `releases/areas/<id>/<version>`); `help` says how to restore a damaged one.
fn read_record(
    sources: &SourceSet,
    dir: &str,
    version: &str,
    help: &str,
) -> Result<Recorded, Diagnostic> {
    let record: ReleaseRecord = parse(sources, dir, version, help, "release.json")?;
    let manifest: Manifest = parse(sources, dir, version, help, "manifest.json")?;
    let snapshots: Vec<Snapshot> = parse(sources, dir, version, help, "snapshot.json")?;
    for (file, recorded) in [
        ("release.json", &record.version),
        ("manifest.json", &manifest.version),
    ] {
        if recorded != version {
            let path = format!("{dir}/{file}");
            return Err(Diagnostic::error(format!(
                "the release record `{path}` is damaged: it is the record of version `{recorded}`, but it is in the folder of version `{version}`"
            ))
            .at(&path, find(sources, &path, "\"version\"", 1))
            .help(help));
        }
    }
    once_each(
        sources,
        (dir, help),
        "manifest.json",
        "path",
        manifest.artifacts.iter().map(|a| a.path.as_str()),
    )?;
    once_each(
        sources,
        (dir, help),
        "snapshot.json",
        "pack",
        snapshots.iter().map(|s| s.pack.as_str()),
    )?;
    Ok(Recorded {
        record,
        artifacts: manifest.artifacts,
        manifest_generator: manifest.generator,
        snapshots,
    })
}

/// Parses one file of a record; an error names it, with the line and column where serde
/// found the damage, in plain words.
fn parse<T: DeserializeOwned>(
    sources: &SourceSet,
    dir: &str,
    version: &str,
    help: &str,
    name: &str,
) -> Result<T, Diagnostic> {
    let path = format!("{dir}/{name}");
    let Some(text) = sources.text(&path) else {
        let what = if sources.bytes(&path).is_some() {
            "is not text (UTF-8)"
        } else {
            "is missing"
        };
        return Err(Diagnostic::error(format!(
            "the release record of version {version} is incomplete: `{path}` {what}"
        ))
        .in_file(&path)
        .help(help));
    };
    serde_json::from_str(text).map_err(|err| {
        use serde_json::error::Category;
        let detail = err.to_string();
        let detail = detail
            .rsplit_once(" at line ")
            .map_or(detail.as_str(), |(d, _)| d);
        let what = match err.classify() {
            Category::Eof if text.trim().is_empty() => "it is empty".to_string(),
            Category::Eof => "it ends too early (the file was cut short)".to_string(),
            Category::Syntax => format!("it is not valid JSON ({detail})"),
            Category::Data => format!("a value is not what `guidepack release` writes ({detail})"),
            Category::Io => detail.to_string(),
        };
        Diagnostic::error(format!("the release record `{path}` is damaged: {what}"))
            .at(
                &path,
                Pos::new(err.line().max(1) as u32, err.column().max(1) as u32),
            )
            .help(help)
    })
}

/// Refuses a record file that lists the same `key` twice.
fn once_each<'a>(
    sources: &SourceSet,
    (dir, help): (&str, &str),
    name: &str,
    key: &str,
    values: impl Iterator<Item = &'a str>,
) -> Result<(), Diagnostic> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for value in values {
        let count = seen.entry(value).or_default();
        *count += 1;
        if *count == 2 {
            let path = format!("{dir}/{name}");
            let total = sum_of(sources, &path, key, value);
            let needle = serde_json::to_string(value).unwrap_or_default();
            return Err(Diagnostic::error(format!(
                "the release record `{path}` is damaged: it lists `{value}` {total} times"
            ))
            .at(
                &path,
                find(sources, &path, &format!("\"{key}\": {needle}"), 2),
            )
            .help(help));
        }
    }
    Ok(())
}

fn sum_of(sources: &SourceSet, path: &str, key: &str, value: &str) -> usize {
    let needle = format!(
        "\"{key}\": {}",
        serde_json::to_string(value).unwrap_or_default()
    );
    sources
        .text(path)
        .map_or(0, |t| t.matches(&needle).count())
        .max(2)
}

/// The position of the n-th `needle` in a source file (1-based), or the file's start.
fn find(sources: &SourceSet, path: &str, needle: &str, n: usize) -> Pos {
    let Some(text) = sources.text(path) else {
        return Pos::new(1, 1);
    };
    let Some((offset, _)) = text.match_indices(needle).nth(n - 1) else {
        return Pos::new(1, 1);
    };
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos::new(line as u32, col as u32)
}

/// The recorded releases a build of a version needs.
#[derive(Default)]
pub struct Around {
    /// The newest release older than the version (change summaries are made against it).
    pub previous: Option<Recorded>,
    /// The version's own release, when it is released.
    pub current: Option<Recorded>,
}

/// Reads every recorded release, reporting each damaged one; the newest one older than
/// `version`, and `version`'s own.
pub fn releases_around(
    sources: &SourceSet,
    version: &str,
    diagnostics: &mut Diagnostics,
) -> Around {
    let key = crate::version::key(version);
    let mut around = Around::default();
    for recorded in recorded_versions(sources) {
        match read_release(sources, &recorded) {
            Ok(release) if recorded == version => around.current = Some(release),
            Ok(release) if recorded.key() < key => around.previous = Some(release),
            Ok(_) => {}
            Err(d) => {
                diagnostics.push(d);
                if recorded.key() < key {
                    around.previous = None;
                }
            }
        }
    }
    around
}

/// The editions of each area recorded in `releases/areas/<id>/<version>/`, by area, each in
/// version order.
pub fn recorded_editions(sources: &SourceSet) -> BTreeMap<String, Vec<Version>> {
    let mut found: BTreeMap<String, Vec<Version>> = BTreeMap::new();
    let paths = sources.texts.keys().chain(sources.binaries.keys());
    for path in paths.filter_map(|p| p.strip_prefix("releases/areas/")) {
        let mut parts = path.splitn(3, '/');
        if let (Some(area), Some(version), Some(_)) = (parts.next(), parts.next(), parts.next())
            && !version.starts_with('.')
        {
            found
                .entry(area.to_string())
                .or_default()
                .push(Version::new(version));
        }
    }
    for versions in found.values_mut() {
        versions.sort_by_key(Version::key);
        versions.dedup();
    }
    found
}

/// Reads a recorded area edition (`releases/areas/<area>/<version>/`), as [`read_release`]
/// reads a national one.
pub fn read_area_release(
    sources: &SourceSet,
    area: &str,
    version: &str,
) -> Result<Recorded, Diagnostic> {
    let dir = super::area_record_dir(area, version);
    let help = format!(
        "release records are written by `guidepack release --area {area}` and never edited: restore `{dir}/` from version control, or record it again with `guidepack release --area {area} --force` from the sources of {version}"
    );
    read_record(sources, &dir, version, &help)
}

/// For each area of the project, the newest recorded edition of it older than the area's
/// current one (`<national>-<area>.<revision>`): an area pack's change summary is made
/// against it. Each damaged record is reported; one damaged after the newest good one
/// leaves the area without a previous edition (as [`releases_around`] does).
pub fn editions_before(
    sources: &SourceSet,
    project: &crate::model::Project,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, Recorded> {
    let recorded = recorded_editions(sources);
    let mut before = BTreeMap::new();
    for area in &project.areas {
        let Some(versions) = recorded.get(&area.id) else {
            continue;
        };
        let current = project
            .config
            .pack
            .version
            .area_edition(&area.id, area.revision);
        for version in versions.iter().filter(|v| v.key() < current.key()) {
            match read_area_release(sources, &area.id, version) {
                Ok(release) => {
                    before.insert(area.id.clone(), release);
                }
                Err(d) => {
                    diagnostics.push(d);
                    before.remove(&area.id);
                }
            }
        }
    }
    before
}
