//! `guidepack release [--force]`: every pack of `pack.version`, checked and complete, written
//! as the whole version folder, and its record in `releases/<version>/`. Packs are streamed to
//! the staged output a batch at a time; only their text (snapshots) is kept for the record.
//! The publishing itself (`publish.rs`) is shared with `release --area`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Report;
use super::publish::{Publish, Published, publish};
use crate::build::shard::Shard;
use crate::build::{self, Loaded, Pace, Plan, recover_writes};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::output::{self, Staging};
use crate::pack_id::PackId;
use crate::release::{Edition, input_hashes, record_dir};
use crate::render::{Registry, registry};
use crate::sources::SourceSet;

/// `release --shard i/n [--out DIR]`: one machine's share of the release's packs.
pub struct Share {
    pub shard: Shard,
    /// Default: `<project>/shards/<i>-of-<n>`.
    pub out: Option<PathBuf>,
}

/// `guidepack release [--force] [--shard i/n]`.
pub fn release(
    root: &Path,
    force: bool,
    cache: &crate::cache::Choice,
    quiet: bool,
    share: Option<Share>,
) -> Report {
    let began = std::time::Instant::now();
    let mut diagnostics = Diagnostics::default();
    let out = match &share {
        None => root.join("output"),
        Some(share) => {
            let options = build::BuildOptions {
                out: share.out.clone(),
                shard: Some(share.shard),
                ..build::BuildOptions::default()
            };
            match options.output_dir(root) {
                Ok(out) => out,
                Err(d) => return Report::usage(d),
            }
        }
    };
    // A publish that was killed is finished or undone before anything else.
    if let Err(d) = recover_writes(root, &out, &mut diagnostics) {
        diagnostics.push(d);
        return Report::failed(diagnostics, &SourceSet::default(), true);
    }
    let registry = registry();
    let ready = match ready(root, force, &registry, &mut diagnostics) {
        Ok(ready) => ready,
        Err(report) => return report,
    };
    let loaded_in = began.elapsed();
    let cache = match cache.open(root) {
        Ok(cache) => cache,
        Err(d) => return Report::usage(d),
    };
    let Ready {
        loaded,
        refused,
        left_out,
        packs,
    } = ready;
    let blocked = diagnostics.has_errors() || refused.has_errors();
    let plan = Plan {
        packs,
        formats: if blocked {
            Vec::new()
        } else {
            registry.names().into_iter().map(str::to_string).collect()
        },
        pace: Pace::Batches,
        preview: None,
        cache: cache.as_ref(),
        present: None,
    };
    if let (Some(share), false) = (share, blocked) {
        diagnostics.extend(super::release_area::left_out_warnings(&left_out));
        let run = super::shard::ShardBuild {
            loaded: &loaded,
            registry: &registry,
            plan,
            shard: share.shard,
            out: &out,
            release: true,
            quiet,
            began,
            loaded_in,
        };
        return super::shard::make(run, diagnostics);
    }
    let staging = if blocked {
        None
    } else {
        match Staging::whole_version(&out, loaded.manifest_base()) {
            Ok(mut staging) => {
                staging.retire(&loaded.project.config.pack.version.working_copy());
                Some(staging)
            }
            Err(err) => return write_failed(&out, &err, diagnostics, &loaded),
        }
    };
    let Some(staging) = staging else {
        return refused_report(&loaded, &plan.packs, refused, diagnostics);
    };
    let version = &loaded.project.config.pack.version;
    let release = Publish {
        loaded: &loaded,
        plan: &plan,
        registry: &registry,
        out: &out,
        record_dir: record_dir(version),
        inputs: input_hashes(&loaded.sources),
        quiet,
    };
    let (written, packs) = match publish(root, release, staging, &mut diagnostics) {
        Published::Unresolved => return has_errors(diagnostics, &loaded),
        Published::Failed => return Report::failed(diagnostics, &loaded.sources, true),
        Published::Written(written, packs) => (written, packs),
    };
    released(written, packs, &left_out, &out, diagnostics, &loaded)
}

/// What a release that went ahead reports: its summary, the areas it left out (exit status
/// 3), or the write that failed. Shared with `merge` (of a release's shards).
pub(super) fn released(
    written: std::io::Result<(usize, Vec<Diagnostic>)>,
    packs: usize,
    left_out: &std::collections::BTreeMap<String, Vec<Diagnostic>>,
    out: &Path,
    mut diagnostics: Diagnostics,
    loaded: &Loaded,
) -> Report {
    let config = &loaded.project.config;
    let version = &config.pack.version;
    match written {
        Ok((artifacts, warnings)) => {
            diagnostics.extend(warnings);
            let mut summary = vec![format!(
                "released {version}: {packs} packs, {artifacts} artifacts in output/{version}; record in releases/{version}"
            )];
            if !left_out.is_empty() {
                diagnostics.extend(super::release_area::left_out_warnings(left_out));
                let names: Vec<&str> = left_out.keys().map(String::as_str).collect();
                summary.push(format!(
                    "NOT released: {} (their errors are listed above); exit status 3",
                    crate::diagnostic::and_list(&names)
                ));
                let mut report = Report::done(diagnostics, &loaded.sources, summary, true);
                report.status = super::Status::Partial;
                return report;
            }
            // What the accessibility statement was not told: said once, by a release that
            // went ahead (a refused one has its errors to show).
            diagnostics.extend(crate::statements::accessibility_warning(
                config,
                loaded.sources.text(crate::sources::CONFIG_FILE),
            ));
            Report::done(diagnostics, &loaded.sources, summary, true)
        }
        Err(err) => write_failed(out, &err, diagnostics, loaded),
    }
}

/// A project read for its release: what refuses it, and the packs it has.
pub(super) struct Ready {
    pub loaded: Loaded,
    /// Why the release is refused (drafts, an existing record), if it is.
    pub refused: Diagnostics,
    /// The areas left out for their own errors, with them.
    pub left_out: BTreeMap<String, Vec<Diagnostic>>,
    /// Every pack of the release: each audience nationally and in each area not left out.
    pub packs: Vec<PackId>,
}

/// Reads the project for a release of `pack.version` (`--force`: a damaged record of it is no
/// error); the project's errors go to `diagnostics`, and the release is blocked when there
/// are any or when `refused` has some. `Err` when the project cannot be read at all.
pub(super) fn ready(
    root: &Path,
    force: bool,
    registry: &Registry,
    diagnostics: &mut Diagnostics,
) -> Result<Ready, Report> {
    let mut loaded = match build::load(root, diagnostics) {
        Ok(loaded) => loaded,
        Err(_) => {
            let found = std::mem::take(diagnostics);
            return Err(Report::failed(found, &SourceSet::default(), true));
        }
    };
    // A release writes the version itself: output/<version>/, as the sources make it.
    loaded.edition = Edition::Version;
    if force {
        // The record being replaced may be damaged: that is what --force is for.
        let replaced = format!("{}/", record_dir(&loaded.project.config.pack.version));
        let kept: Vec<Diagnostic> = diagnostics
            .sorted()
            .into_iter()
            .filter(|d| !d.file.as_deref().is_some_and(|f| f.starts_with(&replaced)))
            .collect();
        *diagnostics = Diagnostics::default();
        diagnostics.extend(kept);
    }
    let mut refused = Diagnostics::default();
    refusals(&loaded, root, force, &mut refused);
    // An area's own errors leave that area out; they do not stop the national release.
    let left_out =
        super::release_area::areas_left_out(&loaded, registry, diagnostics, &mut refused);
    let packs = build::all_packs(&loaded.project)
        .into_iter()
        .filter(|p| !p.area.as_ref().is_some_and(|a| left_out.contains_key(a)))
        .collect();
    Ok(Ready {
        loaded,
        refused,
        left_out,
        packs,
    })
}

/// A release refused: the project's errors (every pack resolved for its messages), or else
/// why it is refused.
pub(super) fn refused_report(
    loaded: &Loaded,
    packs: &[PackId],
    refused: Diagnostics,
    mut diagnostics: Diagnostics,
) -> Report {
    let plan = Plan::resolving(packs.to_vec());
    let outcome = build::run(loaded, &plan, &registry(), &mut build::Discard);
    diagnostics.extend(outcome.diagnostics().cloned());
    if diagnostics.has_errors() {
        return has_errors(diagnostics, loaded);
    }
    diagnostics.extend(refused.sorted());
    Report::failed(diagnostics, &loaded.sources, true)
}

pub(super) fn has_errors(mut diagnostics: Diagnostics, loaded: &Loaded) -> Report {
    diagnostics.push(
        Diagnostic::error("release refused: the project has errors, listed here")
            .help("fix them (`guidepack check` lists them all), then release again"),
    );
    Report::failed(diagnostics, &loaded.sources, true)
}

pub(super) fn write_failed(
    out: &Path,
    err: &std::io::Error,
    mut diagnostics: Diagnostics,
    loaded: &Loaded,
) -> Report {
    let mut d = output::write_error(out, err);
    d.message = format!("cannot write the release: {err}");
    diagnostics.push(d);
    Report::failed(diagnostics, &loaded.sources, true)
}

/// Why a release is refused: drafts, an existing record.
fn refusals(loaded: &Loaded, root: &Path, force: bool, diagnostics: &mut Diagnostics) {
    let project = &loaded.project;
    for chapter in project.texts().filter(|c| c.meta.draft) {
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
