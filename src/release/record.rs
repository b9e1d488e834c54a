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
    let record: ReleaseRecord = parse(sources, version, "release.json")?;
    let manifest: Manifest = parse(sources, version, "manifest.json")?;
    let snapshots: Vec<Snapshot> = parse(sources, version, "snapshot.json")?;
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
            .help(help(version)));
        }
    }
    once_each(
        sources,
        version,
        "manifest.json",
        "path",
        manifest.artifacts.iter().map(|a| a.path.as_str()),
    )?;
    once_each(
        sources,
        version,
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
    version: &str,
    name: &str,
) -> Result<T, Diagnostic> {
    let path = format!("{}/{name}", record_dir(version));
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
        .help(help(version)));
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
            .help(help(version))
    })
}

/// Refuses a record file that lists the same `key` twice.
fn once_each<'a>(
    sources: &SourceSet,
    version: &str,
    name: &str,
    key: &str,
    values: impl Iterator<Item = &'a str>,
) -> Result<(), Diagnostic> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for value in values {
        let count = seen.entry(value).or_default();
        *count += 1;
        if *count == 2 {
            let path = format!("{}/{name}", record_dir(version));
            let total = sum_of(sources, &path, key, value);
            let needle = serde_json::to_string(value).unwrap_or_default();
            return Err(Diagnostic::error(format!(
                "the release record `{path}` is damaged: it lists `{value}` {total} times"
            ))
            .at(
                &path,
                find(sources, &path, &format!("\"{key}\": {needle}"), 2),
            )
            .help(help(version)));
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
