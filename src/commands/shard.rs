//! `guidepack build --shard i/n` and `guidepack release --shard i/n`: one machine's share of
//! the packs (`build::shard`), made as any build is and written whole into the shard's own
//! folder, with its record (`shard.json`); `guidepack merge` joins the shards.

use std::path::Path;
use std::time::Instant;

use super::Report;
use super::progress::{cache_line, time_line};
use crate::build::shard::{Shard, ShardRecord, share};
use crate::build::{Loaded, Plan};
use crate::diagnostic::Diagnostics;
use crate::output::{self, Staging, shard as folder};
use crate::release::pretty_json;
use crate::render::Registry;

/// One shard to make.
pub struct ShardBuild<'a> {
    pub loaded: &'a Loaded,
    pub registry: &'a Registry,
    /// The plan of the whole selection; the shard makes its share of the packs.
    pub plan: Plan<'a>,
    pub shard: Shard,
    /// The shard's folder.
    pub out: &'a Path,
    /// A share of a release: the text of its packs is kept for the record.
    pub release: bool,
    pub quiet: bool,
    /// When the command began, and when the project was read (for the time line).
    pub began: Instant,
    pub loaded_in: std::time::Duration,
}

/// Makes a shard: its packs staged as they are made, then swapped into its folder in place of
/// whatever an earlier shard left there, then its record. An error leaves the folder as it was.
pub fn make(run: ShardBuild, mut diagnostics: Diagnostics) -> Report {
    let ShardBuild {
        loaded,
        registry,
        mut plan,
        shard,
        out,
        release,
        quiet,
        began,
        loaded_in,
    } = run;
    let sources = &loaded.sources;
    let version = loaded.output_version();
    let retired = match folder::prepare(out, &version) {
        Ok(retired) => retired,
        Err(d) => return Report::usage(d),
    };
    let selection = std::mem::take(&mut plan.packs);
    plan.packs = share(loaded, registry, &selection, shard);
    let staging = Staging::whole_version(out, loaded.manifest_base()).map(|mut staging| {
        if let Some(record) = loaded.edition.record(&loaded.project.config.pack.version) {
            staging.as_released(record);
        }
        for name in &retired {
            staging.retire(name);
        }
        staging
    });
    let staging = match staging {
        Ok(staging) => staging,
        Err(err) => {
            diagnostics.push(output::write_error(out, &err));
            return Report::failed(diagnostics, sources, true);
        }
    };
    let (outcome, snapshots, staging) =
        super::publish::make_with_text(loaded, &plan, registry, (out, staging), quiet);
    let finishing = Instant::now();
    diagnostics.extend(outcome.diagnostics().cloned());
    let snapshots = release.then(|| pretty_json(&snapshots));
    if !outcome.succeeded() {
        staging.abandon();
        return Report::failed(diagnostics, sources, true);
    }
    let record = ShardRecord::new(
        loaded,
        shard,
        &plan.formats,
        release,
        &selection,
        &plan.packs,
    );
    let written = folder::unrecord(out)
        .and_then(|()| staging.commit())
        .and_then(|committed| {
            diagnostics.extend(committed.warnings);
            folder::record(out, snapshots.as_deref(), &record.to_json())
        });
    if let Err(err) = written {
        diagnostics.push(output::write_error(out, &err));
        return Report::failed(diagnostics, sources, true);
    }
    let mut summary = vec![format!(
        "made shard {shard}: {} of the {} packs ({} files) into {}; once all {} shards are made, join them with `guidepack merge`{}",
        outcome.packs,
        selection.len(),
        outcome.files,
        out.display(),
        shard.count,
        if release {
            " (which writes the release)"
        } else {
            ""
        },
    )];
    summary.extend(cache_line(plan.cache));
    if !quiet {
        let finish = finishing.elapsed();
        summary.push(time_line(
            registry,
            began.elapsed(),
            loaded_in,
            &outcome.timings,
            finish,
        ));
    }
    Report::done(diagnostics, sources, summary, true)
}
