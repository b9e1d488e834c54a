//! `guidepack build`: the selected packs, in the asked formats, staged and swapped into the
//! output folder; and `guidepack build --review`, the reviewer's copy, the same way
//! (`build::review_plan`).

use std::path::Path;

use std::time::Instant;

use super::Report;
use super::progress::{Meter, cache_line, time_line};
use crate::build::sink::Staged;
use crate::build::{self, BuildOptions, Pace, Plan, finish_output, recover_writes};
use crate::diagnostic::{Diagnostic, Diagnostics, Place, Pos};
use crate::output;
use crate::pack_id::PackId;
use crate::render::registry;
use crate::sources::SourceSet;

/// `guidepack build`.
pub fn build(root: &Path, options: &BuildOptions) -> Report {
    in_pool(options, || build_in_pool(root, options, false))
}

/// `guidepack build --review` (with `--out` and `--jobs`; the command line refuses the other
/// options of `build` with it): the reviewer's copy into `output/<version>/review/`, written
/// as the packs are, so an error leaves the previous copy as it was. A released version's
/// folder never gets one.
pub fn review(root: &Path, options: &BuildOptions) -> Report {
    in_pool(options, || build_in_pool(root, options, true))
}

fn in_pool(options: &BuildOptions, run: impl FnOnce() -> Report + Send) -> Report {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build();
    match pool {
        Ok(pool) => pool.install(run),
        Err(err) => Report::usage(Diagnostic::error(format!(
            "cannot start {} build threads: {err}",
            options.jobs.unwrap_or(0)
        ))),
    }
}

fn build_in_pool(root: &Path, options: &BuildOptions, review: bool) -> Report {
    let began = Instant::now();
    let mut diagnostics = Diagnostics::default();
    let out = match options.output_dir(root) {
        Ok(out) => out,
        Err(d) => return Report::usage(d),
    };
    if let Err(d) = recover_writes(root, &out, &mut diagnostics) {
        diagnostics.push(d);
        return Report::failed(diagnostics, &SourceSet::default(), true);
    }
    let loaded = match build::load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(sources) => return Report::failed(diagnostics, &sources, true),
    };
    let loaded_in = began.elapsed();
    let registry = registry();
    let cache = match options.cache.open(root) {
        Ok(cache) => cache,
        Err(d) => return Report::usage(d),
    };
    // What the output holds of this version: with the cache, packs whose files are there as
    // their keys made them are linked, never read (a shard's folder is made whole each time).
    let present = match (&cache, options.shard) {
        (Some(_), None) => output::Present::read(&out, &loaded.output_version()),
        _ => None,
    };
    let plan = if review {
        if let Some(refused) = build::review_refused(&loaded) {
            diagnostics.push(refused);
            return Report::failed(diagnostics, &loaded.sources, true);
        }
        build::review_plan(&registry)
    } else {
        let packs = match build::selected_packs(&loaded.project, &options.selection) {
            Ok(packs) => packs,
            Err(d) => return selection_failed(d, diagnostics, &loaded.sources),
        };
        Plan {
            packs,
            formats: loaded.formats_for(&options.formats, &registry),
            pace: Pace::Batches,
            preview: None,
            cache: cache.as_ref(),
            present: present.as_ref(),
        }
    };
    // Every pack resolved for its messages only, nothing made: when the build cannot go on.
    let messages_only = |diagnostics: &mut Diagnostics| {
        let resolve_only = plan_without_formats(&plan);
        let outcome = build::run(&loaded, &resolve_only, &registry, &mut build::Discard);
        diagnostics.extend(outcome.diagnostics().cloned());
    };
    if diagnostics.has_errors() {
        messages_only(&mut diagnostics);
        return Report::failed(diagnostics, &loaded.sources, true);
    }
    if let Some(shard) = options.shard {
        let run = super::shard::ShardBuild {
            loaded: &loaded,
            registry: &registry,
            plan,
            shard,
            out: &out,
            release: false,
            quiet: options.quiet,
            began,
            loaded_in,
        };
        return super::shard::make(run, diagnostics);
    }
    // Packs are staged on disk as they are made (memory stays flat however many packs), and
    // swapped in only when every pack has been made.
    let staging = loaded.staging(&out, build::made(&plan.formats));
    let staging = match staging {
        Ok(staging) => staging,
        Err(err) => {
            // The messages of resolving come first, as they would without the failed write.
            messages_only(&mut diagnostics);
            if !diagnostics.has_errors() {
                diagnostics.push(output::write_error(&out, &err));
            }
            return Report::failed(diagnostics, &loaded.sources, true);
        }
    };
    let mut sink = Staged {
        out: &out,
        staging,
        published: None,
    };
    let mut meter = Meter::new(&mut sink, plan.packs.len(), options.quiet);
    let outcome = build::run(&loaded, &plan, &registry, &mut meter);
    meter.finish();
    let finishing = Instant::now();
    diagnostics.extend(outcome.diagnostics().cloned());
    let (true, Some(templates)) = (outcome.succeeded(), outcome.templates.as_ref()) else {
        sink.staging.abandon();
        return Report::failed(diagnostics, &loaded.sources, true);
    };
    diagnostics.extend(loaded.edition.note(&loaded.project.config.pack.version));
    let finished = sink.staging.commit().and_then(|committed| {
        finish_output(
            &out,
            &loaded,
            templates,
            &registry,
            committed,
            outcome.packs,
            outcome.files,
        )
    });
    match finished {
        Ok((summary, warnings)) => {
            diagnostics.extend(warnings);
            let summary = match review {
                false => (summary.into_iter())
                    .chain(cache_line(cache.as_ref()))
                    .chain((!options.quiet).then(|| {
                        let finish = finishing.elapsed();
                        time_line(
                            &registry,
                            began.elapsed(),
                            loaded_in,
                            &outcome.timings,
                            finish,
                        )
                    }))
                    .collect(),
                true => {
                    let into = out
                        .join(loaded.output_version())
                        .join(PackId::review().dir());
                    let registry = crate::render::registry();
                    let formats: Vec<&str> =
                        plan.formats.iter().map(|f| registry.label(f)).collect();
                    vec![format!(
                        "built the reviewer's copy ({} files: every audience's and area's text, in {}) into {}",
                        outcome.files,
                        crate::diagnostic::and_list(&formats),
                        into.display()
                    )]
                }
            };
            Report::done(diagnostics, &loaded.sources, summary, true)
        }
        Err(err) => {
            diagnostics.push(output::write_error(&out, &err));
            Report::failed(diagnostics, &loaded.sources, true)
        }
    }
}

fn plan_without_formats<'a>(plan: &Plan<'a>) -> Plan<'a> {
    Plan {
        packs: plan.packs.clone(),
        formats: Vec::new(),
        pace: plan.pace,
        preview: None,
        cache: None,
        present: None,
    }
}

/// A selection that names what is not there. When the project has errors, they come first
/// (an area whose area.toml is broken is not there either): the selection's message is
/// marked as one that may only follow from them.
pub fn selection_failed(
    selection: Diagnostic,
    mut diagnostics: Diagnostics,
    sources: &SourceSet,
) -> Report {
    let first = diagnostics.sorted().into_iter().find(Diagnostic::is_error);
    let Some(cause) = first.and_then(|d| Some((d.file?, d.line, d.column))) else {
        return Report::usage(selection);
    };
    let (file, line, col) = cause;
    let place = Place::new(&file, Pos::new(line, col));
    diagnostics.push(selection.follows_from(place));
    Report::failed(diagnostics, sources, true)
}
