//! The pipeline behind the commands: sources → parse → resolve → check → render → output.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::check::check_project;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Area, Audience, Project};
use crate::output::{self, Manifest, PackFiles};
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
    fn failed(diagnostics: Diagnostics, sources: &SourceSet) -> Self {
        Report {
            status: Status::ProjectErrors,
            diagnostics: diagnostics.sorted(),
            sources: sources.texts.clone(),
            summary: Vec::new(),
            writes: true,
        }
    }

    fn usage(message: String) -> Self {
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
    pub previous: Option<std::sync::Arc<crate::release::Recorded>>,
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
    let previous =
        crate::release::previous_release(&sources, &project.config.pack.version, diagnostics)
            .map(std::sync::Arc::new);
    Ok(Loaded {
        sources,
        project,
        ids,
        previous,
    })
}

/// `guidepack check`: every validation, over every pack; writes nothing.
pub fn check(root: &Path) -> Report {
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
    diagnostics.extend(found);
    let status = if diagnostics.has_errors() {
        Status::ProjectErrors
    } else {
        Status::Success
    };
    let found = diagnostics.sorted();
    let errors = found.iter().filter(|d| d.is_error()).count();
    let summary = vec![format!(
        "checked {} ({}, {}): {}, {}",
        counted(targets.len(), "pack"),
        counted(loaded.project.config.audiences.len(), "audience"),
        counted(loaded.project.areas.len(), "area"),
        counted(errors, "error"),
        counted(found.len() - errors, "warning"),
    )];
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
    let (mut packs, found) = resolve_text(loaded, targets);
    crate::release::add_change_summaries(&mut packs, loaded.previous.as_deref(), &loaded.project);
    (packs, found)
}

/// Resolves packs in parallel, without change summaries (enough for `check`).
fn resolve_text(
    loaded: &Loaded,
    targets: &[(&Audience, Option<&Area>)],
) -> (Vec<Pack>, Vec<Diagnostic>) {
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
        found.extend(diagnostics.sorted());
    }
    (packs, found)
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
        Err(message) => return Report::usage(message),
    };
    let (packs, found) = resolve_all(&loaded, &targets);
    diagnostics.extend(found);
    if diagnostics.has_errors() {
        return Report::failed(diagnostics, &loaded.sources);
    }
    let formats = if options.formats.is_empty() {
        vec![Format::Html, Format::Pdf]
    } else {
        options.formats.clone()
    };
    let engine = render::pdf::engine();
    let write_error = |err: std::io::Error| output::write_error(&out, &err);
    // Packs are staged on disk as they are rendered (memory stays flat however many packs),
    // and swapped in only when every pack has been made.
    let made = made_of(&formats);
    let mut staging = match output::Staging::new(&out, manifest_base(&loaded), made) {
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
    let batch = match pace {
        Pace::Batches => rayon::current_num_threads().max(1) * 2,
        Pace::InTurn => 1,
    };
    let mut errors = Vec::new();
    for chunk in packs.chunks(batch) {
        let done: Vec<_> = chunk
            .par_iter()
            .map(|pack| render_pack(pack, loaded, formats, engine, &templates))
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
    formats: &[Format],
    engine: Option<&PdfEngine>,
    templates: &HtmlTemplates,
) -> Result<PackFiles, Vec<Diagnostic>> {
    let config = &loaded.project.config;
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
    let committed = output::publish(
        out,
        manifest_base(loaded),
        packs,
        published,
        made_of(formats),
    )?;
    let files = packs.iter().map(|p| p.files.len()).sum();
    finish_output(out, loaded, templates, committed, packs.len(), files)
}

/// Writes a release's packs: the whole version folder is replaced by them at once.
pub fn publish_release(
    out: &Path,
    loaded: &Loaded,
    packs: &[PackFiles],
    templates: &HtmlTemplates,
) -> std::io::Result<(Manifest, Published)> {
    let mut staging = output::Staging::whole_version(out, manifest_base(loaded))?;
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
        version: config.pack.version.clone(),
        date: config.pack.date.clone(),
        generator: format!("guidepack {}", env!("CARGO_PKG_VERSION")),
        artifacts: Vec::new(),
    }
}

/// After a version's packs are in place: the site index, the banners of older versions, the
/// shared stylesheet, and the summary line.
fn finish_output(
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
    let summary = vec![format!(
        "built {packs} pack{} ({files} files) into {}; {} artifacts in version {}",
        if packs == 1 { "" } else { "s" },
        out.join(&manifest.version).display(),
        manifest.artifacts.len(),
        manifest.version
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
    manifests
        .iter()
        .enumerate()
        .map(|(i, m)| {
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
            IndexedVersion {
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
                latest: i == 0,
                packs: in_config_order(m.packs(), project)
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

/// Orders versions numerically: `1.10.0` after `1.9.0`, a pre-release before its release.
pub fn version_key(version: &str) -> (Vec<u64>, bool, String) {
    let (core, pre) = version.split_once('-').unwrap_or((version, ""));
    let numbers = core.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    (numbers, pre.is_empty(), pre.to_string())
}
