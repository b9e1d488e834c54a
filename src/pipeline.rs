//! The pipeline behind the commands: sources → parse → resolve → check → render → output.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::check::check_project;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Area, Audience, Config, Project};
use crate::output::{self, Manifest, PackFiles};
use crate::release::Edition;
use crate::render::pdf_engine::PdfEngine;
use crate::render::{self, HtmlTemplates, IndexedPack, IndexedVersion, PageSetup};
use crate::resolve::{IdIndex, Pack, Resolver, index_ids};
use crate::sources::{self, SourceSet};

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Html,
    Pdf,
}

/// Which packs a command is about.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Audience ids; empty means every audience.
    pub audiences: Vec<String>,
    /// Area ids.
    pub areas: Vec<String>,
    pub all_areas: bool,
    /// Build the national packs even when areas are named.
    pub national: bool,
}

#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    pub selection: Selection,
    /// Empty means HTML and PDF.
    pub formats: Vec<Format>,
    /// Default: `<project>/output`.
    pub out: Option<PathBuf>,
    pub jobs: Option<usize>,
}

impl BuildOptions {
    /// The output folder: `--out`, or `<project>/output`. Refused when it is the project folder
    /// or lies inside a folder guidepack reads (`content/`, `templates/`, `releases/`): every
    /// build would change its own sources, and `watch` would rebuild forever.
    pub fn output_dir(&self, root: &Path) -> Result<PathBuf, String> {
        let out = self.out.clone().unwrap_or_else(|| root.join("output"));
        let (Some(root_abs), Some(out_abs)) = (real_path(root), real_path(&out)) else {
            return Ok(out);
        };
        let inside = ["content", "templates", "releases"]
            .into_iter()
            .find(|dir| out_abs.starts_with(root_abs.join(dir)));
        match inside {
            Some(dir) => Err(format!(
                "the output folder `{}` is inside the project's `{dir}/` folder, which guidepack reads: each build would change its own sources",
                out.display()
            )),
            None if out_abs == root_abs => Err(format!(
                "the output folder `{}` is the project folder itself",
                out.display()
            )),
            None => Ok(out),
        }
    }
}

/// A path made absolute with its links resolved, for the part of it that exists.
fn real_path(path: &Path) -> Option<PathBuf> {
    let mut rest = Vec::new();
    let mut existing = path;
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut full = real;
            for part in rest.iter().rev() {
                full.push(part);
            }
            return Some(full);
        }
        rest.push(existing.file_name()?.to_owned());
        existing = existing
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
    }
}

/// How a command ended, for the exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// 0: done.
    Success,
    /// 1: the project has errors; nothing was written.
    ProjectErrors,
    /// 2: the command line was wrong.
    Usage,
}

/// What a command found and did.
#[derive(Debug)]
pub struct Report {
    pub status: Status,
    pub diagnostics: Vec<Diagnostic>,
    /// The text of the project's files, to show source lines in messages.
    pub sources: BTreeMap<String, String>,
    /// Lines for the terminal about what was done.
    pub summary: Vec<String>,
    /// Whether the command writes output (so a failure can say that nothing was written).
    pub writes: bool,
}

impl Report {
    pub(crate) fn failed(diagnostics: Diagnostics, sources: &SourceSet) -> Self {
        Report {
            status: Status::ProjectErrors,
            diagnostics: diagnostics.sorted(),
            sources: sources.texts.clone(),
            summary: Vec::new(),
            writes: true,
        }
    }

    pub(crate) fn usage(message: String) -> Self {
        Report {
            status: Status::Usage,
            diagnostics: vec![Diagnostic::error(message)],
            sources: BTreeMap::new(),
            summary: Vec::new(),
            writes: false,
        }
    }
}

/// A project read, parsed, indexed and checked.
pub struct Loaded {
    pub sources: SourceSet,
    pub project: Project,
    pub ids: IdIndex,
    /// The newest recorded release before this version, parsed once (change summaries are
    /// made against it).
    pub previous: Option<Arc<crate::release::Recorded>>,
    /// What a build of this version writes: the version, the release again, or an unreleased
    /// working copy (see [`Edition`]).
    pub edition: Edition,
}

impl Loaded {
    /// The output folder of this version's build, also the version its manifest carries:
    /// `1.0.0`, or `1.0.0+unreleased` for a working copy.
    pub fn output_version(&self) -> String {
        self.edition.folder(&self.project.config.pack.version)
    }

    /// The configuration the renderers see: the project's, except that a working copy's
    /// output carries its own version and says which release it has changed since.
    pub fn output_config(&self) -> Cow<'_, Config> {
        let config = &self.project.config;
        match &self.edition {
            Edition::WorkingCopy(copy) => {
                let mut changed = config.clone();
                changed.pack.version = self.output_version();
                changed.pack.unreleased_since = Some(copy.since.clone());
                Cow::Owned(changed)
            }
            _ => Cow::Borrowed(config),
        }
    }

    /// The formats a build makes, given those asked for: a build of the released sources
    /// makes HTML and PDF together, as the release did (its pages link to their PDF with its
    /// size), so that each file can be the released one.
    pub fn formats_for(&self, asked: &[Format]) -> Vec<Format> {
        if asked.is_empty() || matches!(self.edition, Edition::AsReleased(_)) {
            vec![Format::Html, Format::Pdf]
        } else {
            asked.to_vec()
        }
    }

    /// Staging for some packs of this build, set up for its edition: the released place
    /// takes only the recorded bytes (and a stale working copy goes).
    pub fn staging(&self, out: &Path, made: output::Made) -> std::io::Result<output::Staging> {
        let mut staging = output::Staging::new(out, manifest_base(self), made)?;
        let version = &self.project.config.pack.version;
        if let Some(record) = self.edition.record(version) {
            staging.as_released(record);
            staging.retire(&output::working_copy_of(version));
        }
        Ok(staging)
    }
}

/// Reads, parses and checks a project. When it cannot be used at all, `Err` holds what could
/// be read of it (for the source lines of the messages).
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Result<Loaded, SourceSet> {
    let sources = sources::load(root, diagnostics).ok_or_else(SourceSet::default)?;
    prepare(sources, diagnostics)
}

/// Parses and checks a project already in memory.
pub fn prepare(sources: SourceSet, diagnostics: &mut Diagnostics) -> Result<Loaded, SourceSet> {
    let Some(mut project) = crate::parse::parse_project(&sources, diagnostics) else {
        return Err(sources);
    };
    let ids = index_ids(&mut project, diagnostics);
    check_project(&project, &ids, &sources, diagnostics);
    let version = &project.config.pack.version;
    let around = crate::release::releases_around(&sources, version, diagnostics);
    let edition = Edition::of(version, around.current.map(Arc::new), &sources);
    Ok(Loaded {
        previous: around.previous.map(Arc::new),
        edition,
        sources,
        project,
        ids,
    })
}

/// `guidepack check`: every validation, over every pack; writes nothing.
pub fn check(root: &Path) -> Report {
    check_with(root, &CheckOptions::default())
}

/// What `check` does besides every validation.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions {
    /// Try every web address (`--external`): the only time guidepack goes online.
    pub external: bool,
    /// Count every warning as an error (`--strict`).
    pub strict: bool,
}

/// `check` with its options.
pub fn check_with(root: &Path, options: &CheckOptions) -> Report {
    let mut diagnostics = Diagnostics::default();
    let loaded = match load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(sources) => {
            return Report {
                writes: false,
                ..Report::failed(diagnostics, &sources)
            };
        }
    };
    let targets = all_targets(&loaded.project);
    let (_, found) = resolve_text(&loaded, &targets);
    diagnostics.extend(found.into_iter().flatten());
    let external = options.external.then(|| {
        let sources = &loaded.sources.texts;
        crate::external::check_external(root, &loaded.project, sources, &mut diagnostics)
    });
    let mut found = diagnostics.sorted();
    if options.strict {
        for d in &mut found {
            d.severity = crate::diagnostic::Severity::Error;
        }
    }
    let errors = found.iter().filter(|d| d.is_error()).count();
    let status = if errors > 0 {
        Status::ProjectErrors
    } else {
        Status::Success
    };
    let mut summary = vec![format!(
        "checked {} ({}, {}): {}, {}",
        counted(targets.len(), "pack"),
        counted(loaded.project.config.audiences.len(), "audience"),
        counted(loaded.project.areas.len(), "area"),
        counted(errors, "error"),
        counted(found.len() - errors, "warning"),
    )];
    summary.extend(external);
    Report {
        status,
        diagnostics: found,
        sources: loaded.sources.texts.clone(),
        summary,
        writes: false,
    }
}

/// "1 error", "2 errors": a count and its noun.
pub fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Every pack of a project: each audience nationally and in each area.
fn all_targets(project: &Project) -> Vec<(&Audience, Option<&Area>)> {
    let mut targets = Vec::new();
    for area in std::iter::once(None).chain(project.areas.iter().map(Some)) {
        for audience in &project.config.audiences {
            targets.push((audience, area));
        }
    }
    targets
}

/// The packs a selection names, or the reason it is wrong.
fn selected_targets<'p>(
    project: &'p Project,
    selection: &Selection,
) -> Result<Vec<(&'p Audience, Option<&'p Area>)>, String> {
    let config = &project.config;
    for id in &selection.audiences {
        if config.audience(id).is_none() {
            let known: Vec<&str> = config.audiences.iter().map(|a| a.id.as_str()).collect();
            return Err(format!(
                "there is no audience `{id}`; the audiences are {}",
                known.join(", ")
            ));
        }
    }
    for id in &selection.areas {
        if !project.areas.iter().any(|a| &a.id == id) {
            let known: Vec<&str> = project.areas.iter().map(|a| a.id.as_str()).collect();
            return Err(if known.is_empty() {
                format!(
                    "there is no area `{id}`: this project has no local areas yet (each is a folder content/areas/<id>/ with an area.toml)"
                )
            } else {
                format!(
                    "there is no area `{id}`; the areas are {}",
                    known.join(", ")
                )
            });
        }
    }
    let audiences: Vec<&Audience> = config
        .audiences
        .iter()
        .filter(|a| selection.audiences.is_empty() || selection.audiences.contains(&a.id))
        .collect();
    let national = selection.national || selection.all_areas || selection.areas.is_empty();
    let areas: Vec<&Area> = project
        .areas
        .iter()
        .filter(|a| selection.all_areas || selection.areas.contains(&a.id))
        .collect();
    let mut targets = Vec::new();
    if national {
        targets.extend(audiences.iter().map(|a| (*a, None)));
    }
    for area in areas {
        targets.extend(audiences.iter().map(|a| (*a, Some(area))));
    }
    Ok(targets)
}

/// Resolves packs in parallel, each with its change summary when there is a previous release;
/// the diagnostics of all of them.
fn resolve_all(
    loaded: &Loaded,
    targets: &[(&Audience, Option<&Area>)],
) -> (Vec<Pack>, Vec<Diagnostic>) {
    let (packs, found) = resolve_each(loaded, targets);
    (packs, found.into_iter().flatten().collect())
}

/// As [`resolve_all`], with the diagnostics of each pack apart (in the order of the packs).
fn resolve_each(
    loaded: &Loaded,
    targets: &[(&Audience, Option<&Area>)],
) -> (Vec<Pack>, Vec<Vec<Diagnostic>>) {
    let (mut packs, found) = resolve_text(loaded, targets);
    crate::release::add_change_summaries(&mut packs, loaded.previous.as_deref(), &loaded.project);
    (packs, found)
}

/// Resolves packs in parallel, without change summaries (enough for `check`); the
/// diagnostics of each pack.
fn resolve_text(
    loaded: &Loaded,
    targets: &[(&Audience, Option<&Area>)],
) -> (Vec<Pack>, Vec<Vec<Diagnostic>>) {
    let resolver = Resolver {
        project: &loaded.project,
        ids: &loaded.ids,
    };
    let results: Vec<(Pack, Diagnostics)> = targets
        .par_iter()
        .map(|(audience, area)| {
            let mut diagnostics = Diagnostics::default();
            let pack = resolver.pack(audience, *area, &mut diagnostics);
            (pack, diagnostics)
        })
        .collect();
    let mut packs = Vec::new();
    let mut found = Vec::new();
    for (pack, diagnostics) in results {
        packs.push(pack);
        found.push(diagnostics.sorted());
    }
    (packs, found)
}

/// A selection that names what is not there. When the project has errors, they come first
/// (an area whose area.toml is broken is not there either): the selection's message is
/// marked as one that may only follow from them.
fn selection_failed(message: String, mut diagnostics: Diagnostics, sources: &SourceSet) -> Report {
    let first = diagnostics.sorted().into_iter().find(Diagnostic::is_error);
    let Some(cause) = first.and_then(|d| Some((d.file?, d.line, d.column))) else {
        return Report::usage(message);
    };
    let (file, line, col) = cause;
    let place = crate::diagnostic::Place::new(&file, crate::diagnostic::Pos::new(line, col));
    diagnostics.push(Diagnostic::error(message).follows_from(place));
    Report::failed(diagnostics, sources)
}

/// `guidepack build`.
pub fn build(root: &Path, options: &BuildOptions) -> Report {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build();
    match pool {
        Ok(pool) => pool.install(|| build_in_pool(root, options)),
        Err(err) => Report::usage(format!(
            "cannot start {} build threads: {err}",
            options.jobs.unwrap_or(0)
        )),
    }
}

fn build_in_pool(root: &Path, options: &BuildOptions) -> Report {
    let mut diagnostics = Diagnostics::default();
    let out = match options.output_dir(root) {
        Ok(out) => out,
        Err(message) => {
            let mut report = Report::usage(message);
            report.diagnostics[0].help =
                Some("pass `--out` a folder outside them, or leave it out to use `output/`".into());
            return report;
        }
    };
    if let Err(d) = recover_writes(root, &out, &mut diagnostics) {
        diagnostics.push(d);
        return Report::failed(diagnostics, &SourceSet::default());
    }
    let loaded = match load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(sources) => return Report::failed(diagnostics, &sources),
    };
    let targets = match selected_targets(&loaded.project, &options.selection) {
        Ok(targets) => targets,
        Err(message) => return selection_failed(message, diagnostics, &loaded.sources),
    };
    let (packs, found) = resolve_all(&loaded, &targets);
    diagnostics.extend(found);
    if diagnostics.has_errors() {
        return Report::failed(diagnostics, &loaded.sources);
    }
    diagnostics.extend(loaded.edition.note(&loaded.project.config.pack.version));
    let formats = loaded.formats_for(&options.formats);
    let engine = render::pdf::engine();
    let write_error = |err: std::io::Error| output::write_error(&out, &err);
    // Packs are staged on disk as they are rendered (memory stays flat however many packs),
    // and swapped in only when every pack has been made.
    let made = made_of(&formats);
    let mut staging = match loaded.staging(&out, made) {
        Ok(staging) => staging,
        Err(err) => {
            diagnostics.push(write_error(err));
            return Report::failed(diagnostics, &loaded.sources);
        }
    };
    let mut files = 0;
    let mut io_error = None;
    let rendered = render_packs_into(
        &loaded,
        &packs,
        &formats,
        &engine,
        Pace::Batches,
        &mut |pack| {
            files += pack.files.len();
            if io_error.is_none() {
                io_error = staging.add(&pack, None).err();
            }
        },
    );
    let templates = match (rendered, io_error) {
        (Ok(templates), None) => templates,
        (Err(found), _) => {
            staging.abandon();
            diagnostics.extend(found);
            return Report::failed(diagnostics, &loaded.sources);
        }
        (Ok(_), Some(err)) => {
            staging.abandon();
            diagnostics.push(write_error(err));
            return Report::failed(diagnostics, &loaded.sources);
        }
    };
    let finished = staging.commit().and_then(|committed| {
        finish_output(&out, &loaded, &templates, committed, packs.len(), files)
    });
    match finished {
        Ok((summary, warnings)) => Report {
            status: Status::Success,
            diagnostics: {
                diagnostics.extend(warnings);
                diagnostics.sorted()
            },
            sources: loaded.sources.texts.clone(),
            summary,
            writes: true,
        },
        Err(err) => {
            diagnostics.push(write_error(err));
            Report::failed(diagnostics, &loaded.sources)
        }
    }
}

/// Finishes or undoes a publish that was killed, in the output folder and in `releases/`,
/// before anything else reads them; what was repaired, as warnings.
pub fn recover_writes(
    root: &Path,
    out: &Path,
    diagnostics: &mut Diagnostics,
) -> Result<(), Diagnostic> {
    let releases = root.join("releases");
    // `releases/` as a link is not read as part of the project (see `sources`): not touched.
    let releases =
        (!std::fs::symlink_metadata(&releases).is_ok_and(|m| m.is_symlink())).then_some(releases);
    for dir in std::iter::once(out.to_path_buf()).chain(releases) {
        let found = output::recover(&dir).map_err(|err| output::write_error(&dir, &err))?;
        diagnostics.extend(found);
    }
    Ok(())
}

/// How packs are rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// Two packs per thread at once. Typst's memo cache is global and grows with every
    /// document compiled, so it is trimmed between batches (never during a compile, which
    /// relies on it): memory stays flat however many packs a build has.
    Batches,
    /// One pack after another (each PDF still laid out on every thread), the cache kept for
    /// the next call: for a long-lived process (watch mode). Compiling several packs at once
    /// made such a process grow by about 0.4 MB a rebuild (four packs; Typst's state outside
    /// its memo cache); one at a time it stays flat.
    InTurn,
}

/// Renders resolved packs to their files. Pure: nothing is written.
/// The PDF engine is the caller's, so that a long-lived process (watch mode) keeps one engine
/// and its caches across builds.
pub fn render_packs(
    loaded: &Loaded,
    packs: &[Pack],
    formats: &[Format],
    engine: &PdfEngine,
    pace: Pace,
) -> Result<(HtmlTemplates, Vec<PackFiles>), Vec<Diagnostic>> {
    let mut files = Vec::new();
    let templates = render_packs_into(loaded, packs, formats, engine, pace, &mut |pack| {
        files.push(pack)
    })?;
    Ok((templates, files))
}

/// Renders packs in parallel and hands each pack's files to `sink` as soon as its batch is
/// done, so that the caller can write them and let them go. After the first error, the other
/// packs are still rendered (to report every error) but no longer handed over.
pub fn render_packs_into(
    loaded: &Loaded,
    packs: &[Pack],
    formats: &[Format],
    engine: &PdfEngine,
    pace: Pace,
    sink: &mut dyn FnMut(PackFiles),
) -> Result<HtmlTemplates, Vec<Diagnostic>> {
    let templates = HtmlTemplates::load(&loaded.sources).map_err(|d| vec![d])?;
    let engine = formats.contains(&Format::Pdf).then_some(engine);
    let config = loaded.output_config();
    let batch = match pace {
        Pace::Batches => rayon::current_num_threads().max(1) * 2,
        Pace::InTurn => 1,
    };
    let mut errors = Vec::new();
    for chunk in packs.chunks(batch) {
        let done: Vec<_> = chunk
            .par_iter()
            .map(|pack| render_pack(pack, loaded, &config, formats, engine, &templates))
            .collect();
        if engine.is_some() && pace == Pace::Batches && packs.len() > batch {
            render::pdf_engine::evict(0);
        }
        for result in done {
            match result {
                Ok(files) if errors.is_empty() => sink(files),
                Ok(_) => {}
                Err(found) => errors.extend(found),
            }
        }
    }
    if engine.is_some() {
        // Keep the memo cache of the embedded compiler bounded across builds: an incremental
        // recompile in watch mode needs what the last builds used, not more.
        render::pdf_engine::evict(3);
    }
    if errors.is_empty() {
        Ok(templates)
    } else {
        Err(errors)
    }
}

/// One pack's files: the PDF first, so that the HTML can link to it with its size.
fn render_pack(
    pack: &Pack,
    loaded: &Loaded,
    config: &Config,
    formats: &[Format],
    engine: Option<&PdfEngine>,
    templates: &HtmlTemplates,
) -> Result<PackFiles, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut pdf = None;
    if let Some(engine) = engine {
        let bytes = render::pdf::render(pack, config, &loaded.sources, engine)?;
        let name = render::pdf::file_name(pack, config);
        pdf = Some((name.clone(), bytes.len()));
        files.push((name, bytes));
    }
    if formats.contains(&Format::Html) {
        let setup = PageSetup {
            config,
            pdf,
            newer: None,
        };
        files.extend(
            render::html_files(pack, &setup, templates, &loaded.sources).map_err(|d| vec![d])?,
        );
    }
    Ok(PackFiles {
        dir: pack.dir(),
        audience: pack.audience.id.clone(),
        area: pack.area.as_ref().map(|a| a.id.clone()),
        files,
    })
}

/// Resolves every pack of a loaded project (for `check` and for tests).
pub fn resolve_every_pack(loaded: &Loaded) -> (Vec<Pack>, Vec<Diagnostic>) {
    resolve_all(loaded, &all_targets(&loaded.project))
}

/// The packs a selection names, or the reason it is wrong (for watch mode).
pub fn targets_of<'p>(
    project: &'p Project,
    selection: &Selection,
) -> Result<Vec<(&'p Audience, Option<&'p Area>)>, String> {
    selected_targets(project, selection)
}

/// Resolves some packs in parallel (for watch mode, which redoes the affected packs only).
pub fn resolve_packs(
    loaded: &Loaded,
    targets: &[(&Audience, Option<&Area>)],
) -> (Vec<Pack>, Vec<Diagnostic>) {
    resolve_all(loaded, targets)
}

/// As [`resolve_packs`], with the diagnostics of each pack apart (watch mode keeps the
/// warnings of the packs it does not rebuild).
pub fn resolve_packs_each(
    loaded: &Loaded,
    targets: &[(&Audience, Option<&Area>)],
) -> (Vec<Pack>, Vec<Vec<Diagnostic>>) {
    resolve_each(loaded, targets)
}

/// Summary lines and warnings of a publish.
pub type Published = (Vec<String>, Vec<Diagnostic>);

/// Writes rendered packs as `build` does (staged, swapped in, manifest and index updated);
/// packs not given keep their files, and the packs given keep those of the formats not in
/// `formats`. `published` is what the output holds of some packs, by folder, when the caller
/// knows it (watch mode): unchanged files are linked, not rewritten.
pub fn publish_packs(
    out: &Path,
    loaded: &Loaded,
    packs: &[PackFiles],
    templates: &HtmlTemplates,
    published: &BTreeMap<String, PackFiles>,
    formats: &[Format],
) -> std::io::Result<Published> {
    let mut staging = loaded.staging(out, made_of(formats))?;
    for pack in packs {
        if let Err(err) = staging.add(pack, published.get(&pack.dir)) {
            staging.abandon();
            return Err(err);
        }
    }
    let committed = staging.commit()?;
    let files = packs.iter().map(|p| p.files.len()).sum();
    finish_output(out, loaded, templates, committed, packs.len(), files)
}

/// Writes a release's packs: the whole version folder is replaced by them at once, and the
/// version's working copy, now released or replaced, goes.
pub fn publish_release(
    out: &Path,
    loaded: &Loaded,
    packs: &[PackFiles],
    templates: &HtmlTemplates,
) -> std::io::Result<(Manifest, Published)> {
    let mut staging = output::Staging::whole_version(out, manifest_base(loaded))?;
    staging.retire(&output::working_copy_of(
        &loaded.project.config.pack.version,
    ));
    for pack in packs {
        staging.add(pack, None)?;
    }
    let committed = staging.commit()?;
    let manifest = committed.manifest.clone();
    let files = packs.iter().map(|p| p.files.len()).sum();
    let published = finish_output(out, loaded, templates, committed, packs.len(), files)?;
    Ok((manifest, published))
}

fn made_of(formats: &[Format]) -> output::Made {
    output::Made {
        html: formats.contains(&Format::Html),
        pdf: formats.contains(&Format::Pdf),
    }
}

fn manifest_base(loaded: &Loaded) -> Manifest {
    let config = &loaded.project.config;
    Manifest {
        version: loaded.output_version(),
        date: config.pack.date.clone(),
        generator: format!("guidepack {}", env!("CARGO_PKG_VERSION")),
        artifacts: Vec::new(),
    }
}

/// After a version's packs are in place: the site index, the banners of older versions, the
/// shared stylesheet, and the summary line.
pub(crate) fn finish_output(
    out: &Path,
    loaded: &Loaded,
    templates: &HtmlTemplates,
    committed: output::Committed,
    packs: usize,
    files: usize,
) -> std::io::Result<Published> {
    let config = &loaded.project.config;
    let versions = index_versions(out, &loaded.project);
    let index = render::site::site_index(config, &versions, templates, &loaded.sources)
        .map_err(|d| std::io::Error::other(d.message))?;
    let mut warnings = committed.warnings;
    let manifest = committed.manifest;
    warnings.extend(output::mark_older_versions(out, &|newer| {
        templates.newer_banner(newer)
    })?);
    output::replace_file(&out.join("style.css"), templates.css.as_bytes())?;
    output::replace_file(&out.join("index.html"), index.as_bytes())?;
    let into = out.join(&manifest.version);
    let version = &config.pack.version;
    let (place, artifacts) = match &loaded.edition {
        Edition::Version => (String::new(), format!("version {version}")),
        Edition::AsReleased(_) => (
            ", byte for byte as released".to_string(),
            format!("version {version}"),
        ),
        Edition::WorkingCopy(_) => (
            format!(
                ", an unreleased working copy (release {version} stays as released in {})",
                out.join(version).display()
            ),
            "this working copy".to_string(),
        ),
    };
    let summary = vec![format!(
        "built {packs} pack{} ({files} files) into {}{place}; {} artifacts in {artifacts}",
        if packs == 1 { "" } else { "s" },
        into.display(),
        manifest.artifacts.len(),
    )];
    Ok((summary, warnings))
}

/// The versions in the output folder, newest first, with their packs, for `output/index.html`.
fn index_versions(out: &Path, project: &Project) -> Vec<IndexedVersion> {
    let mut manifests = output::versions(out);
    manifests.sort_by_key(|m| std::cmp::Reverse(version_key(&m.version)));
    let area_names: HashMap<&str, &str> = project
        .areas
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let latest = manifests
        .iter()
        .find(|m| output::unreleased_since(&m.version).is_none())
        .map(|m| m.version.clone());
    manifests
        .iter()
        .map(|m| {
            // Each pack's PDF (directly in the pack folder), found in one pass over the
            // artifacts rather than one pass per pack.
            let mut pdfs: HashMap<&str, &str> = HashMap::new();
            for a in &m.artifacts {
                if let Some((dir, name)) = a.path.rsplit_once('/')
                    && name.ends_with(".pdf")
                {
                    pdfs.entry(dir).or_insert(&a.path);
                }
            }
            // The reviewer's copy is listed apart from the packs (unless an audience has its
            // folder's name, when there is none).
            let review_id = crate::resolve::reviewer_audience().id;
            let is_review = |dir: &str, area: &Option<String>| {
                dir == review_id && area.is_none() && project.config.audience(&review_id).is_none()
            };
            let mut packs = m.packs();
            let review = packs
                .iter()
                .position(|(dir, _, area)| is_review(dir, area))
                .map(|at| packs.remove(at))
                .map(|(dir, _, _)| IndexedPack {
                    audience_name: "Reviewer's copy".to_string(),
                    area_name: None,
                    href: format!("{}/{dir}/index.html", m.version),
                    pdf_href: pdfs
                        .get(dir.as_str())
                        .map(|path| format!("{}/{path}", m.version)),
                });
            IndexedVersion {
                review,
                version: m.version.clone(),
                date_display: crate::model::parse_date(&m.date)
                    .map(|_| {
                        crate::model::PackInfo {
                            date: m.date.clone(),
                            ..project.config.pack.clone()
                        }
                        .date_display()
                    })
                    .unwrap_or_else(|| m.date.clone()),
                latest: latest.as_ref() == Some(&m.version),
                unreleased_since: output::unreleased_since(&m.version).map(str::to_string),
                packs: in_config_order(packs, project)
                    .into_iter()
                    .map(|(dir, audience, area)| IndexedPack {
                        audience_name: project
                            .config
                            .audience(&audience)
                            .map_or(audience.clone(), |a| a.name.clone()),
                        area_name: area.as_ref().map(|id| {
                            area_names
                                .get(id.as_str())
                                .map_or(id.clone(), |name| name.to_string())
                        }),
                        href: format!("{}/{dir}/index.html", m.version),
                        pdf_href: pdfs
                            .get(dir.as_str())
                            .map(|path| format!("{}/{path}", m.version)),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// A version's packs as a reader expects them: the national packs first, then each area's by
/// name, and within each, the audiences in the order of guidepack.toml.
fn in_config_order(
    mut packs: Vec<(String, String, Option<String>)>,
    project: &Project,
) -> Vec<(String, String, Option<String>)> {
    let position: HashMap<&str, usize> = project
        .config
        .audiences
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let area_name: HashMap<&str, String> = project
        .areas
        .iter()
        .map(|a| (a.id.as_str(), a.name.to_lowercase()))
        .collect();
    packs.sort_by_cached_key(|(_, audience, area)| {
        let area = area.as_deref().map(|id| {
            (
                area_name.get(id).cloned().unwrap_or_else(|| id.to_string()),
                id.to_string(),
            )
        });
        let place = position
            .get(audience.as_str())
            .copied()
            .unwrap_or(usize::MAX);
        (area, place, audience.clone())
    });
    packs
}

/// Orders versions numerically: `1.10.0` after `1.9.0`, a pre-release before its release;
/// build metadata (`+unreleased`) does not count, as in semver.
pub fn version_key(version: &str) -> (Vec<u64>, bool, String) {
    let version = version.split_once('+').map_or(version, |(v, _)| v);
    let (core, pre) = version.split_once('-').unwrap_or((version, ""));
    let numbers = core.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    (numbers, pre.is_empty(), pre.to_string())
}
