//! What a build of `pack.version` is, given its release record: the version itself (not yet
//! released), the release again (its exact sources and guidepack), or an unreleased working
//! copy, which has its own output place so that released bytes are never replaced.

use std::sync::Arc;

use super::{Recorded, generator, input_hashes};
use crate::diagnostic::Diagnostic;
use crate::output::Record;
use crate::sources::SourceSet;
use crate::version::Version;

/// What a build of the project's version writes.
#[derive(Clone, Debug)]
pub enum Edition {
    /// The version has no release record: `output/<version>/`, as the build makes it.
    Version,
    /// The sources and guidepack are those of the release: `output/<version>/`, and only the
    /// bytes its record lists.
    AsReleased(Arc<Recorded>),
    /// The version is released and its sources (or guidepack) have changed since:
    /// `output/<version>+unreleased/`, marked as unreleased on every page and in every PDF.
    WorkingCopy(WorkingCopy),
}

/// An unreleased working copy of a released version.
#[derive(Clone, Debug)]
pub struct WorkingCopy {
    /// The released version.
    pub since: Version,
    /// What differs from the record, in words: input files, or the guidepack that writes.
    pub differences: Vec<String>,
}

/// How many differing input files a message names before "…".
const NAMED: usize = 5;

impl Edition {
    /// The edition of the sources of `version`, whose release record (if any) is `current`.
    pub fn of(version: &Version, current: Option<Arc<Recorded>>, sources: &SourceSet) -> Edition {
        let Some(record) = current else {
            return Edition::Version;
        };
        let mut differences = changed_inputs(&record, sources);
        let running = generator();
        if differences.is_empty() && record.record.generator != running {
            differences.push(format!(
                "it was released by {}, and this is {running}",
                record.record.generator
            ));
        }
        if differences.is_empty() {
            Edition::AsReleased(record)
        } else {
            Edition::WorkingCopy(WorkingCopy {
                since: version.clone(),
                differences,
            })
        }
    }

    /// The name of the output folder (and the version the output carries).
    pub fn folder(&self, version: &Version) -> Version {
        match self {
            Edition::WorkingCopy(_) => version.working_copy(),
            _ => version.clone(),
        }
    }

    /// The record that the files of the released place must match.
    pub fn record(&self, version: &Version) -> Option<Record> {
        match self {
            Edition::AsReleased(recorded) => Some(Record::new(version, &recorded.artifacts)),
            _ => None,
        }
    }

    /// The note a build of a working copy gives: where it went, and why.
    pub fn note(&self, version: &Version) -> Option<Diagnostic> {
        let Edition::WorkingCopy(copy) = self else {
            return None;
        };
        let folder = version.working_copy();
        Some(
            Diagnostic::warning(format!(
                "version {version} is already released, and the sources have changed since ({}): these packs are an unreleased working copy in `output/{folder}/`, marked \"Unreleased changes since {version}\" on every page; `output/{version}/` keeps the released files",
                copy.differences.join("; ")
            ))
            .in_file("guidepack.toml")
            .help(format!(
                "to publish these changes, raise `version` under [pack] in guidepack.toml and run `guidepack release` (or replace release {version} with `guidepack release --force`)"
            )),
        )
    }
}

/// The input files that differ from the record, in one line: `content/a.md, content/b.md
/// added, content/c.md removed`, at most [`NAMED`] by name.
fn changed_inputs(record: &Recorded, sources: &SourceSet) -> Vec<String> {
    let now = input_hashes(sources);
    let recorded = &record.record.inputs;
    let mut changed: Vec<String> = Vec::new();
    for (path, hash) in recorded {
        match now.get(path) {
            None => changed.push(format!("{path} removed")),
            Some(h) if h != hash => changed.push(path.clone()),
            _ => {}
        }
    }
    changed.extend(
        now.keys()
            .filter(|p| !recorded.contains_key(*p))
            .map(|p| format!("{p} added")),
    );
    if changed.len() > NAMED {
        let more = changed.len() - NAMED;
        changed.truncate(NAMED);
        changed.push(format!("{more} more files"));
    }
    if changed.is_empty() {
        changed
    } else {
        vec![changed.join(", ")]
    }
}
