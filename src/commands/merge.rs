//! `guidepack merge <DIR>…`: joins the folders of n shards (`build --shard i/n` or
//! `release --shard i/n`, one per machine of a CI matrix) into one output. The set is checked
//! whole before anything is written: every shard made by this guidepack from these sources, of
//! one version, selection and formats, each of the n exactly once, no pack in two. Each pack's
//! files are checked against its shard's manifest as they are staged; then the output is
//! committed and finished by the same steps as a single build's (site index, manifest,
//! versions), so the bytes are the same. Release shards are written as a release, with the
//! record a single machine's release writes.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::Report;
use super::publish::{Made, Publish, write_release};
use super::release::{Ready, has_errors, ready, refused_report, released, write_failed};
use crate::build::shard::{ShardRecord, build_id, sources_hash};
use crate::build::{self, BuildOptions, Loaded, Plan, finish_output, recover_writes};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::{self, ManifestEntry, Staging, shard as folder};
use crate::pack_id::PackId;
use crate::release::{Snapshot, input_hashes, record_dir};
use crate::render::{HtmlTemplates, registry};
use crate::sources::SourceSet;

/// What `merge` is asked for.
#[derive(Clone, Debug, Default)]
pub struct MergeOptions {
    /// The shards' folders.
    pub shards: Vec<PathBuf>,
    /// Default: `<project>/output` (a release is always written there).
    pub out: Option<PathBuf>,
    /// Release shards: replace an existing record of the version.
    pub force: bool,
}

/// A shard's folder and its record.
struct Found {
    dir: PathBuf,
    record: ShardRecord,
}

/// `guidepack merge`.
pub fn merge(root: &Path, options: &MergeOptions) -> Report {
    let shards = match read_records(&options.shards) {
        Ok(shards) => shards,
        Err(d) => return Report::usage(d),
    };
    if let Err(d) = check_set(&shards) {
        return refused(d);
    }
    let release = shards[0].record.release;
    if release && options.out.is_some() {
        return Report::usage(
            Diagnostic::error("these are shards of a release, which is always written to the project's `output/` folder")
                .help("leave out `--out`"),
        );
    }
    let out = BuildOptions {
        out: options.out.clone(),
        ..BuildOptions::default()
    };
    let out = match out.output_dir(root) {
        Ok(out) => out,
        Err(d) => return Report::usage(d),
    };
    let mut diagnostics = Diagnostics::default();
    if let Err(d) = recover_writes(root, &out, &mut diagnostics) {
        diagnostics.push(d);
        return Report::failed(diagnostics, &SourceSet::default(), true);
    }
    if release {
        merge_release(root, &out, &shards, options.force, diagnostics)
    } else {
        merge_build(root, &out, &shards, diagnostics)
    }
}

/// Shards of `guidepack build`: their packs into the output, as one build of the selection
/// would put them there.
fn merge_build(root: &Path, out: &Path, shards: &[Found], mut diagnostics: Diagnostics) -> Report {
    let loaded = match build::load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(sources) => return Report::failed(diagnostics, &sources, true),
    };
    let check = check_made_from(&loaded, shards).and_then(|()| {
        // A record is only data: every pack it names must be one of this project's packs.
        let known: Vec<String> = build::all_packs(&loaded.project)
            .iter()
            .map(PackId::dir)
            .collect();
        match (shards[0].record.selection.iter()).find(|pack| !known.contains(pack)) {
            None => Ok(()),
            Some(pack) => Err(Diagnostic::error(format!(
                "the shards name a pack this project does not have: `{pack}`"
            ))
            .help("make every shard again with `guidepack build --shard i/n`, then merge them")),
        }
    });
    if let Err(d) = check {
        diagnostics.push(d);
        return Report::failed(diagnostics, &loaded.sources, true);
    }
    let first = &shards[0].record;
    let registry = registry();
    let templates = match HtmlTemplates::load(&loaded.sources) {
        Ok(templates) => templates,
        Err(d) => {
            diagnostics.push(d);
            return Report::failed(diagnostics, &loaded.sources, true);
        }
    };
    let staging = match loaded.staging(out, build::made(&first.formats)) {
        Ok(staging) => staging,
        Err(err) => {
            diagnostics.push(output::write_error(out, &err));
            return Report::failed(diagnostics, &loaded.sources, true);
        }
    };
    let (staging, packs, files) = match stage(shards, staging, out) {
        Ok(staged) => staged,
        Err(d) => {
            diagnostics.push(d);
            return Report::failed(diagnostics, &loaded.sources, true);
        }
    };
    diagnostics.extend(loaded.edition.note(&loaded.project.config.pack.version));
    let finished = staging.commit().and_then(|committed| {
        finish_output(out, &loaded, &templates, &registry, committed, packs, files)
    });
    match finished {
        Ok((summary, warnings)) => {
            diagnostics.extend(warnings);
            let mut lines = vec![format!("merged {} shards", shards.len())];
            lines.extend(summary);
            Report::done(diagnostics, &loaded.sources, lines, true)
        }
        Err(err) => {
            diagnostics.push(output::write_error(out, &err));
            Report::failed(diagnostics, &loaded.sources, true)
        }
    }
}

/// Shards of `guidepack release`: checked again as a release is (a draft, an existing record,
/// the project's errors refuse it), then the version folder and the record written as one
/// machine's release writes them.
fn merge_release(
    root: &Path,
    out: &Path,
    shards: &[Found],
    force: bool,
    mut diagnostics: Diagnostics,
) -> Report {
    let registry = registry();
    let Ready {
        loaded,
        refused,
        left_out,
        packs,
    } = match ready(root, force, &registry, &mut diagnostics) {
        Ok(ready) => ready,
        Err(report) => return report,
    };
    if diagnostics.has_errors() || refused.has_errors() {
        return refused_report(&loaded, &packs, refused, diagnostics);
    }
    let check = check_made_from(&loaded, shards).and_then(|()| {
        let selection: Vec<String> = packs.iter().map(PackId::dir).collect();
        match selection == shards[0].record.selection {
            true => Ok(()),
            false => Err(Diagnostic::error(
                "the shards are not of this release: they hold other packs than the release of these sources has",
            )
            .help("make every shard again with `guidepack release --shard i/n`, then merge them")),
        }
    });
    if let Err(d) = check {
        diagnostics.push(d);
        return Report::failed(diagnostics, &loaded.sources, true);
    }
    let templates = match HtmlTemplates::load(&loaded.sources) {
        Ok(templates) => templates,
        Err(d) => {
            diagnostics.push(d);
            return has_errors(diagnostics, &loaded);
        }
    };
    let snapshots = match release_snapshots(shards) {
        Ok(snapshots) => snapshots,
        Err(d) => {
            diagnostics.push(d);
            return Report::failed(diagnostics, &loaded.sources, true);
        }
    };
    let version = &loaded.project.config.pack.version;
    let staging = match Staging::whole_version(out, loaded.manifest_base()) {
        Ok(mut staging) => {
            staging.retire(&version.working_copy());
            staging
        }
        Err(err) => return write_failed(out, &err, diagnostics, &loaded),
    };
    let (staging, count, files) = match stage(shards, staging, out) {
        Ok(staged) => staged,
        Err(d) => {
            diagnostics.push(d);
            return Report::failed(diagnostics, &loaded.sources, true);
        }
    };
    let plan = Plan::resolving(packs);
    let release = Publish {
        loaded: &loaded,
        plan: &plan,
        registry: &registry,
        out,
        record_dir: record_dir(version),
        inputs: input_hashes(&loaded.sources),
        quiet: true,
    };
    let made = Made {
        templates: &templates,
        snapshots,
        packs: count,
        files,
    };
    let written = write_release(root, &release, staging, made);
    let mut report = released(written, count, &left_out, out, diagnostics, &loaded);
    if !report.summary.is_empty() {
        report
            .summary
            .insert(0, format!("merged {} shards", shards.len()));
    }
    report
}

/// Every shard's record, read; a folder that is not a shard's is a mistake of the command line.
fn read_records(dirs: &[PathBuf]) -> Result<Vec<Found>, Diagnostic> {
    let mut found = Vec::with_capacity(dirs.len());
    for dir in dirs {
        let record = folder::read(dir, folder::RECORD).and_then(|bytes| ShardRecord::parse(&bytes));
        match record {
            Ok(record) => found.push(Found {
                dir: dir.clone(),
                record,
            }),
            Err(why) => {
                return Err(Diagnostic::error(format!(
                    "`{}` is not the folder of a finished shard: {why}",
                    dir.display()
                ))
                .help("pass the folders that `guidepack build --shard i/n` (or `release --shard i/n`) wrote, one for each of the n shards; a shard that was stopped must be made again"));
            }
        }
    }
    Ok(found)
}

/// Whether the shards make one whole: the same guidepack, sources, version, selection,
/// formats and kind, each of the n once, and every pack of the selection in exactly one.
fn check_set(shards: &[Found]) -> Result<(), Diagnostic> {
    let first = &shards[0];
    let name = |f: &Found| {
        format!(
            "shard {}/{} (`{}`)",
            f.record.shard,
            f.record.of,
            f.dir.display()
        )
    };
    let remake = "make every shard again from the same commit with the same guidepack and the same command, then merge them";
    for other in &shards[1..] {
        let (a, b) = (&first.record, &other.record);
        let differs = if a.build != b.build {
            Some(format!(
                "they were made by different builds of guidepack ({} and {})",
                a.generator, b.generator
            ))
        } else if a.sources != b.sources {
            Some("they were made from different sources (another commit, or files changed between them)".to_string())
        } else if a.version != b.version {
            Some(format!(
                "they are of different versions ({} and {})",
                a.version, b.version
            ))
        } else if a.release != b.release {
            Some("one is a share of a release and the other of a build".to_string())
        } else if a.of != b.of {
            Some(format!(
                "one is of {} shards and the other of {}",
                a.of, b.of
            ))
        } else if a.formats != b.formats || a.selection != b.selection {
            Some("they were made with different selections of packs or formats".to_string())
        } else {
            None
        };
        if let Some(why) = differs {
            return Err(Diagnostic::error(format!(
                "{} and {} cannot be merged: {why}",
                name(first),
                name(other)
            ))
            .help(remake));
        }
    }
    let count = first.record.of;
    let mut by_index: BTreeMap<usize, &Found> = BTreeMap::new();
    for shard in shards {
        if let Some(before) = by_index.insert(shard.record.shard, shard) {
            return Err(Diagnostic::error(format!(
                "shard {}/{count} is given twice: `{}` and `{}`",
                shard.record.shard,
                before.dir.display(),
                shard.dir.display()
            ))
            .help("pass each shard's folder once"));
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|i| !by_index.contains_key(i))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(Diagnostic::error(format!(
            "shard{} {} {} missing: a merge needs all {count}",
            if missing.len() == 1 { "" } else { "s" },
            crate::diagnostic::and_list(&missing),
            if missing.len() == 1 { "is" } else { "are" },
        ))
        .help("pass the folder of every shard; a shard that failed must be made again"));
    }
    let mut owner: HashMap<&str, &Found> = HashMap::new();
    for shard in shards {
        for pack in &shard.record.packs {
            if let Some(before) = owner.insert(pack, shard) {
                return Err(Diagnostic::error(format!(
                    "the pack `{pack}` is in two shards, {} and {}",
                    name(before),
                    name(shard)
                ))
                .help(remake));
            }
        }
    }
    if let Some(pack) = (first.record.selection.iter()).find(|p| !owner.contains_key(p.as_str())) {
        return Err(
            Diagnostic::error(format!("the pack `{pack}` is in none of the shards")).help(remake),
        );
    }
    if let Some((pack, shard)) = owner
        .iter()
        .find(|(p, _)| !first.record.selection.iter().any(|s| s == *p))
    {
        return Err(Diagnostic::error(format!(
            "{} holds the pack `{pack}`, which the shards' selection does not have",
            name(shard)
        ))
        .help(remake));
    }
    Ok(())
}

/// Whether the shards were made by this guidepack from these sources, for this version.
fn check_made_from(loaded: &Loaded, shards: &[Found]) -> Result<(), Diagnostic> {
    let record = &shards[0].record;
    let remake = "make the shards and merge them from the same commit, with the same guidepack";
    if record.build != build_id() {
        return Err(Diagnostic::error(format!(
            "the shards were made by another build of guidepack ({}) than this one ({})",
            record.generator,
            crate::release::generator()
        ))
        .help(remake));
    }
    if record.sources != sources_hash(&loaded.sources) {
        return Err(Diagnostic::error(
            "the shards were made from other sources than this project's: a file was changed, added or removed since",
        )
        .help(remake));
    }
    if loaded.output_version() != record.version {
        return Err(Diagnostic::error(format!(
            "the shards are of version {}, and a build of this project is of {}",
            record.version,
            loaded.output_version()
        ))
        .help(remake));
    }
    Ok(())
}

/// Stages every shard's packs, each file checked against its shard's manifest: the staging,
/// and the number of packs and files; on any error the staging is abandoned.
fn stage(
    shards: &[Found],
    mut staging: Staging,
    out: &Path,
) -> Result<(Staging, usize, usize), Diagnostic> {
    match stage_into(shards, &mut staging, out) {
        Ok((packs, files)) => Ok((staging, packs, files)),
        Err(d) => {
            staging.abandon();
            Err(d)
        }
    }
}

fn stage_into(
    shards: &[Found],
    staging: &mut Staging,
    out: &Path,
) -> Result<(usize, usize), Diagnostic> {
    let (mut packs, mut files) = (0, 0);
    for shard in shards {
        let record = &shard.record;
        let unusable = |why: String| {
            Diagnostic::error(format!(
                "shard {}/{} (`{}`) cannot be used: {why}",
                record.shard,
                record.of,
                shard.dir.display()
            ))
            .help("make that shard again, then merge")
        };
        let manifest = folder::manifest(&shard.dir, &record.version).map_err(unusable)?;
        let mut by_pack: HashMap<String, Vec<&ManifestEntry>> = HashMap::new();
        for entry in &manifest.artifacts {
            by_pack.entry(entry.pack().dir()).or_default().push(entry);
        }
        for dir in &record.packs {
            let entries = by_pack.get(dir).map(Vec::as_slice).unwrap_or_default();
            let id = pack_of(dir);
            if entries.is_empty() {
                return Err(unusable(format!("it has no files of the pack `{dir}`")));
            }
            let made =
                folder::pack_files(&shard.dir, &record.version, &id, entries).map_err(unusable)?;
            files += made.files.len();
            packs += 1;
            staging
                .add(&made, None)
                .map_err(|err| output::write_error(out, &err))?;
        }
    }
    Ok((packs, files))
}

/// The pack of a folder name (`providers`, `areas/kent/providers`).
fn pack_of(dir: &str) -> PackId {
    match dir
        .strip_prefix("areas/")
        .and_then(|rest| rest.split_once('/'))
    {
        Some((area, audience)) => PackId::new(audience, Some(area)),
        None => PackId::new(dir, None),
    }
}

/// The text of every pack of a release's shards, in the order of their folders.
fn release_snapshots(shards: &[Found]) -> Result<Vec<Snapshot>, Diagnostic> {
    let mut all = Vec::new();
    for shard in shards {
        let read = folder::read(&shard.dir, folder::SNAPSHOTS).and_then(|bytes| {
            serde_json::from_slice::<Vec<Snapshot>>(&bytes)
                .map_err(|err| format!("its {} is damaged: {err}", folder::SNAPSHOTS))
        });
        match read {
            Ok(snapshots) => all.extend(snapshots),
            Err(why) => {
                return Err(Diagnostic::error(format!(
                    "shard {}/{} (`{}`) cannot be used: {why}",
                    shard.record.shard,
                    shard.record.of,
                    shard.dir.display()
                ))
                .help("make that shard again, then merge"));
            }
        }
    }
    all.sort_by(|a, b| a.pack.cmp(&b.pack));
    Ok(all)
}

/// A set of shards that cannot be merged: nothing is written.
fn refused(d: Diagnostic) -> Report {
    let mut diagnostics = Diagnostics::default();
    diagnostics.push(d);
    Report::failed(diagnostics, &SourceSet::default(), true)
}
