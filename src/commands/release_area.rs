//! `guidepack release --area <id> [--force]`: one area's edition (`<national>-<id>.<revision>`)
//! released on its own. Only the national text and that area must pass `check` (another
//! area's errors do not matter); only that area's packs are built, into the edition's own
//! version folder `output/<area version>/areas/<id>/`, and its record is written to
//! `releases/areas/<id>/<area version>/`, both through the journalled writes a national release
//! uses. No other area, and no national pack, is rebuilt or rewritten.

use std::collections::BTreeMap;
use std::path::Path;

use super::Report;
use crate::build::{self, Loaded, Pace, Plan, recover_writes};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::output::{self, Manifest};
use crate::pack_id::PackId;
use crate::release::{Edition, area_record_dir, generator, input_hashes};
use crate::render::registry;
use crate::sources::SourceSet;

/// What was found, less the errors and warnings of other areas: they are those areas'
/// business, not this area's edition's.
pub fn this_areas(found: Diagnostics, area: &str) -> Diagnostics {
    let mut kept = Diagnostics::default();
    kept.extend((found.sorted().into_iter()).filter(|d| !in_other_area(d, area)));
    kept
}

/// Whether a message is about another area's own files (which an area's release ignores).
pub fn in_other_area(d: &Diagnostic, area: &str) -> bool {
    area_of(d).is_some_and(|id| id != area)
}

/// `guidepack release --area <id>`.
pub fn release_area(
    root: &Path,
    area: &str,
    force: bool,
    cache: &crate::cache::Choice,
    quiet: bool,
) -> Report {
    let mut diagnostics = Diagnostics::default();
    let out = root.join("output");
    if let Err(d) = recover_writes(root, &out, &mut diagnostics) {
        diagnostics.push(d);
        return Report::failed(diagnostics, &SourceSet::default(), true);
    }
    let mut loaded = match build::load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(sources) => return Report::failed(diagnostics, &sources, true),
    };
    let mut diagnostics = this_areas(diagnostics, area);
    let Some(found) = loaded.project.areas.iter().find(|a| a.id == area) else {
        let selection = crate::build::Selection {
            areas: vec![area.to_string()],
            ..Default::default()
        };
        let d = build::selected_packs(&loaded.project, &selection)
            .err()
            .unwrap_or_else(|| Diagnostic::error(format!("there is no area `{area}`")));
        return super::build::selection_failed(d, diagnostics, &loaded.sources);
    };
    let national = &loaded.project.config.pack.version;
    let version = national.area_edition(area, found.revision);
    let record_dir = area_record_dir(area, &version);
    let mut refused = Diagnostics::default();
    let drafts = loaded.project.chapters.iter().chain(&found.sections);
    for chapter in drafts.filter(|c| c.meta.draft) {
        refused.push(
            Diagnostic::error("release refused: this chapter is a draft")
                .at(&chapter.file, Pos::new(1, 1))
                .help(
                    "remove `draft: true` from its front matter when the text is ready to publish",
                ),
        );
    }
    if root.join(&record_dir).exists() && !force {
        refused.push(
            Diagnostic::error(format!(
                "release refused: {} version {version} is already released ({record_dir} exists)",
                found.name
            ))
            .in_file(&found.file)
            .help(format!(
                "raise `revision` in {} for a new release of the area, or pass --force to replace this one",
                found.file
            )),
        );
    }
    // The area's packs are built as the sources make them, beside the national ones.
    loaded.edition = Edition::Version;
    let registry = registry();
    let audiences = loaded.project.config.audience_ids();
    let national_packs: Vec<PackId> = audiences.iter().map(|a| PackId::new(a, None)).collect();
    let area_packs: Vec<PackId> = audiences
        .iter()
        .map(|a| PackId::new(a, Some(area)))
        .collect();
    // The national text must pass: its packs are resolved for their messages only.
    let check = Plan::resolving(national_packs);
    let outcome = build::run(&loaded, &check, &registry, &mut build::Discard);
    diagnostics.extend(outcome.diagnostics().cloned());
    let blocked = diagnostics.has_errors() || refused.has_errors();
    let cache = match cache.open(root) {
        Ok(cache) => cache,
        Err(d) => return Report::usage(d),
    };
    let plan = Plan {
        packs: area_packs,
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
    if blocked {
        let outcome = build::run(&loaded, &plan, &registry, &mut build::Discard);
        diagnostics.extend(outcome.diagnostics().cloned());
        diagnostics.extend(refused.sorted());
        return refuse(diagnostics, &loaded, area);
    }
    // The edition's own version folder, `output/<area version>/`, written whole: released
    // bytes that no build of the area, and no national build or release, ever rewrites.
    let base = Manifest {
        version: version.clone(),
        date: loaded.project.config.pack.date.clone(),
        generator: generator(),
        artifacts: Vec::new(),
    };
    let staging = match output::Staging::whole_version(&out, base) {
        Ok(staging) => staging,
        Err(err) => return write_failed(&out, &err, diagnostics, &loaded),
    };
    let release = super::publish::Publish {
        loaded: &loaded,
        plan: &plan,
        registry: &registry,
        out: &out,
        record_dir: record_dir.clone(),
        inputs: area_inputs(&loaded.sources, area),
        quiet,
    };
    use super::publish::Published;
    let (written, packs) = match super::publish::publish(root, release, staging, &mut diagnostics) {
        Published::Unresolved | Published::Failed => return refuse(diagnostics, &loaded, area),
        Published::Written(written, packs) => (written, packs),
    };
    match written {
        Ok((artifacts, warnings)) => {
            diagnostics.extend(warnings);
            Report::done(
                diagnostics,
                &loaded.sources,
                vec![format!(
                    "released {} {version}: {packs} packs, {artifacts} artifacts in output/{version}; record in {record_dir}",
                    found.name
                )],
                true,
            )
        }
        Err(err) => write_failed(&out, &err, diagnostics, &loaded),
    }
}

/// The inputs an area's release depends on: every input file except other areas' own.
pub fn area_inputs(sources: &SourceSet, area: &str) -> std::collections::BTreeMap<String, String> {
    input_hashes(sources)
        .into_iter()
        .filter(|(path, _)| area_of_path(path).is_none_or(|id| id == area))
        .collect()
}

fn refuse(mut diagnostics: Diagnostics, loaded: &Loaded, area: &str) -> Report {
    diagnostics.push(
        Diagnostic::error(format!(
            "release of area `{area}` refused: the national text or this area has errors, listed here"
        ))
        .help("fix them (`guidepack check` lists them all), then release again; other areas' errors do not stop this release"),
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

/// The areas a national release leaves out, each with its own errors (taken out of
/// `diagnostics`): errors in the area's own files (a draft among its sections too), and
/// errors found resolving its packs. When the national text itself has errors the release
/// is refused anyway, and nothing is left out (every message stays as it is).
pub fn areas_left_out(
    loaded: &Loaded,
    registry: &crate::render::Registry,
    diagnostics: &mut Diagnostics,
    refused: &mut Diagnostics,
) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut left_out: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    let (mut national, mut national_refused) = (Diagnostics::default(), Diagnostics::default());
    for (found, kept) in [
        (&*diagnostics, &mut national),
        (&*refused, &mut national_refused),
    ] {
        for d in found.sorted() {
            match area_of(&d).filter(|_| d.is_error()) {
                Some(area) => left_out.entry(area.to_string()).or_default().push(d),
                None => kept.push(d),
            }
        }
    }
    if national.has_errors() || national_refused.has_errors() {
        return BTreeMap::new();
    }
    let packs: Vec<PackId> = build::all_packs(&loaded.project)
        .into_iter()
        .filter(|p| p.area.as_ref().is_some_and(|a| !left_out.contains_key(a)))
        .collect();
    let plan = Plan::resolving(packs);
    let outcome = build::run(loaded, &plan, registry, &mut build::Discard);
    for (pack, found) in &outcome.found {
        let Some(area) = &pack.area else { continue };
        let errors: Vec<Diagnostic> = found.iter().filter(|d| d.is_error()).cloned().collect();
        if !errors.is_empty() {
            let kept = left_out.entry(area.clone()).or_default();
            for e in errors {
                if !kept.contains(&e) {
                    kept.push(e);
                }
            }
        }
    }
    *diagnostics = national;
    *refused = national_refused;
    left_out
}

/// The area whose own files a message is about.
fn area_of(d: &Diagnostic) -> Option<&str> {
    area_of_path(d.file.as_deref()?)
}

/// The area whose own file a project path is: `content/areas/<id>/…`.
fn area_of_path(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("content/areas/")?;
    rest.split_once('/').map(|(id, _)| id)
}

/// What a national release says of each area it left out: that it was not released, and
/// its errors (as warnings: the national release went ahead).
pub fn left_out_warnings(left_out: &BTreeMap<String, Vec<Diagnostic>>) -> Vec<Diagnostic> {
    let mut said = Vec::new();
    for (area, errors) in left_out {
        said.push(
            Diagnostic::warning(format!(
                "area `{area}` was not released: it has {}, listed here as `area {area} not released: …`",
                build::counted(errors.len(), "error")
            ))
            .in_file(&format!("content/areas/{area}/area.toml"))
            .help(format!(
                "fix them, then release the area on its own with `guidepack release --area {area}`"
            )),
        );
        for e in errors {
            let mut w = e.clone();
            w.severity = crate::diagnostic::Severity::Warning;
            w.message = format!("area {area} not released: {}", e.message);
            said.push(w);
        }
    }
    said
}
