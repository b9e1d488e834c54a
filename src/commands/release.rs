//! `guidepack release [--force]`: every pack of `pack.version`, checked and complete, written
//! as the whole version folder, and its record in `releases/<version>/`. Packs are streamed to
//! the staged output a batch at a time; only their text (snapshots) is kept for the record.
//! The publishing itself (`publish.rs`) is shared with `release --area`.

use std::path::Path;

use super::Report;
use super::publish::{Publish, Published, publish};
use crate::build::{self, Loaded, Pace, Plan, recover_writes};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::output::{self, Staging};
use crate::release::{Edition, input_hashes, record_dir};
use crate::render::registry;
use crate::sources::SourceSet;

/// `guidepack release [--force]`.
pub fn release(root: &Path, force: bool, cache: &crate::cache::Choice, quiet: bool) -> Report {
    let mut diagnostics = Diagnostics::default();
    let out = root.join("output");
    // A publish that was killed is finished or undone before anything else.
    if let Err(d) = recover_writes(root, &out, &mut diagnostics) {
        diagnostics.push(d);
        return Report::failed(diagnostics, &SourceSet::default(), true);
    }
    let mut loaded = match build::load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(_) => return Report::failed(diagnostics, &SourceSet::default(), true),
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
        diagnostics = Diagnostics::default();
        diagnostics.extend(kept);
    }
    let registry = registry();
    let mut refused = Diagnostics::default();
    refusals(&loaded, root, force, &mut refused);
    // An area's own errors leave that area out; they do not stop the national release.
    let left_out =
        super::release_area::areas_left_out(&loaded, &registry, &mut diagnostics, &mut refused);
    let blocked = diagnostics.has_errors() || refused.has_errors();
    let cache = match cache.open(root) {
        Ok(cache) => cache,
        Err(d) => return Report::usage(d),
    };
    let plan = Plan {
        packs: build::all_packs(&loaded.project)
            .into_iter()
            .filter(|p| !p.area.as_ref().is_some_and(|a| left_out.contains_key(a)))
            .collect(),
        formats: if blocked {
            Vec::new()
        } else {
            registry.names().into_iter().map(str::to_string).collect()
        },
        pace: Pace::Batches,
        preview: None,
        cache: cache.as_ref(),
    };
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
        let outcome = build::run(&loaded, &plan, &registry, &mut build::Discard);
        diagnostics.extend(outcome.diagnostics().cloned());
        if diagnostics.has_errors() {
            return has_errors(diagnostics, &loaded);
        }
        diagnostics.extend(refused.sorted());
        return Report::failed(diagnostics, &loaded.sources, true);
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
    let config = &loaded.project.config;
    match written {
        Ok((artifacts, warnings)) => {
            diagnostics.extend(warnings);
            let mut summary = vec![format!(
                "released {version}: {packs} packs, {artifacts} artifacts in output/{version}; record in releases/{version}"
            )];
            if !left_out.is_empty() {
                diagnostics.extend(super::release_area::left_out_warnings(&left_out));
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
        Err(err) => write_failed(&out, &err, diagnostics, &loaded),
    }
}

fn has_errors(mut diagnostics: Diagnostics, loaded: &Loaded) -> Report {
    diagnostics.push(
        Diagnostic::error("release refused: the project has errors, listed here")
            .help("fix them (`guidepack check` lists them all), then release again"),
    );
    Report::failed(diagnostics, &loaded.sources, true)
}

fn write_failed(
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
