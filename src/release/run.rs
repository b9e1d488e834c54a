//! The release commands: `release`, `release --verify`, and `diff`.

use std::path::Path;

use super::changes::compare;
use super::diff_form::{Compared, html_form, json_form, names, text_form};
use super::{
    Recorded, ReleaseRecord, Snapshot, failed, generator, input_hashes, read_release, record_files,
    refusals, report, snapshot,
};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output;
use crate::pipeline::{
    Format, Pace, Report, Status, load, publish_release, render_packs, resolve_every_pack,
};

/// `guidepack release [--force]`.
pub fn release(root: &Path, force: bool) -> Report {
    let mut diagnostics = Diagnostics::default();
    let out = root.join("output");
    // A publish that was killed is finished or undone before anything else.
    if let Err(d) = crate::pipeline::recover_writes(root, &out, &mut diagnostics) {
        diagnostics.push(d);
        return failed(diagnostics, None, true);
    }
    let mut loaded = match load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(_) => return failed(diagnostics, None, true),
    };
    // A release writes the version itself: output/<version>/, as the sources make it.
    loaded.edition = super::Edition::Version;
    if force {
        // The record being replaced may be damaged: that is what --force is for.
        let replaced = format!(
            "{}/",
            super::record_dir(&loaded.project.config.pack.version)
        );
        let kept: Vec<Diagnostic> = diagnostics
            .sorted()
            .into_iter()
            .filter(|d| !d.file.as_deref().is_some_and(|f| f.starts_with(&replaced)))
            .collect();
        diagnostics = Diagnostics::default();
        diagnostics.extend(kept);
    }
    let (packs, found) = resolve_every_pack(&loaded);
    diagnostics.extend(found);
    if diagnostics.has_errors() {
        diagnostics.push(
            Diagnostic::error("release refused: the project has errors, listed here")
                .help("fix them (`guidepack check` lists them all), then release again"),
        );
        return failed(diagnostics, Some(&loaded), true);
    }
    refusals(&loaded, root, force, &mut diagnostics);
    if diagnostics.has_errors() {
        return failed(diagnostics, Some(&loaded), true);
    }
    let engine = crate::render::pdf::engine();
    let (templates, files) = match render_packs(
        &loaded,
        &packs,
        &[Format::Html, Format::Pdf],
        &engine,
        Pace::Batches,
    ) {
        Ok(rendered) => rendered,
        Err(found) => {
            diagnostics.extend(found);
            return failed(diagnostics, Some(&loaded), true);
        }
    };
    let config = &loaded.project.config;
    let version = &config.pack.version;
    let written = (|| -> std::io::Result<(usize, Vec<Diagnostic>)> {
        // A release is the complete version: nothing of an earlier build of it stays.
        let (manifest, (_, warnings)) = publish_release(&out, &loaded, &files, &templates)?;
        let record = ReleaseRecord {
            version: version.clone(),
            date: config.pack.date.clone(),
            generator: generator(),
            inputs: input_hashes(&loaded.sources),
        };
        write_record(
            root,
            version,
            record_files(&record, &manifest, &packs, &loaded.project.framework),
        )?;
        Ok((manifest.artifacts.len(), warnings))
    })();
    match written {
        Ok((artifacts, warnings)) => {
            diagnostics.extend(warnings);
            report(
                Status::Success,
                diagnostics,
                Some(&loaded),
                vec![format!(
                    "released {version}: {} packs, {artifacts} artifacts in output/{version}; record in releases/{version}",
                    packs.len()
                )],
                true,
            )
        }
        Err(err) => {
            let mut d = output::write_error(&out, &err);
            d.message = format!("cannot write the release: {err}");
            diagnostics.push(d);
            failed(diagnostics, Some(&loaded), true)
        }
    }
}

/// Puts a release record in place at once: staged under `releases/`, then renamed in by a
/// journal (see `output::commit_journal`), never through a link.
fn write_record(root: &Path, version: &str, files: Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let releases = root.join("releases");
    output::create_dirs(root, Path::new("releases"))?;
    output::recover(&releases)?;
    let staged = format!(".staging-{version}");
    let prefix = format!("releases/{version}/");
    for (path, bytes) in &files {
        let name = path.strip_prefix(&prefix).unwrap_or(path);
        output::replace_file_under(&releases, &format!("{staged}/{name}"), bytes)?;
    }
    let trash = format!(".old-{version}");
    let journal = output::Journal {
        moves: vec![output::Move {
            new: staged,
            target: version.to_string(),
            old: Some(format!("{trash}/{version}")),
        }],
        remove: vec![trash],
    };
    output::commit_journal(&releases, &journal)
}

/// The output forms of `diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Json,
    Html,
}

/// `guidepack diff <from> [<to>]`.
pub fn diff(
    root: &Path,
    from: &str,
    to: Option<&str>,
    audience: Option<&str>,
    area: Option<&str>,
    format: DiffFormat,
) -> Report {
    let mut diagnostics = Diagnostics::default();
    let loaded = match load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(_) => return failed(diagnostics, None, false),
    };
    let old: Recorded = match read_release(&loaded.sources, from) {
        Ok(r) => r,
        Err(d) => {
            diagnostics.push(d);
            return failed(diagnostics, Some(&loaded), false);
        }
    };
    let (to_label, new): (String, Vec<Snapshot>) = match to {
        Some(version) => match read_release(&loaded.sources, version) {
            Ok(r) => (version.to_string(), r.snapshots),
            Err(d) => {
                diagnostics.push(d);
                return failed(diagnostics, Some(&loaded), false);
            }
        },
        None => {
            let (packs, found) = resolve_every_pack(&loaded);
            diagnostics.extend(found);
            if diagnostics.has_errors() {
                return failed(diagnostics, Some(&loaded), false);
            }
            (
                "the working text".to_string(),
                packs
                    .iter()
                    .map(|p| snapshot(p, &loaded.project.framework))
                    .collect(),
            )
        }
    };
    let mut selected: Vec<&Snapshot> = new
        .iter()
        .filter(|s| audience.is_none_or(|a| s.audience == a))
        .filter(|s| s.area.as_deref() == area)
        .collect();
    // Packs in the order of guidepack.toml's audiences, as the site lists them.
    let audiences = &loaded.project.config.audiences;
    selected.sort_by_key(|s| {
        audiences
            .iter()
            .position(|a| a.id == s.audience)
            .unwrap_or(usize::MAX)
    });
    if selected.is_empty() {
        diagnostics.push(Diagnostic::error("no pack matches that audience and area").help(
            "give an audience id with --audience and, for a local area's pack, its id with --area",
        ));
        return report(Status::Usage, diagnostics, Some(&loaded), Vec::new(), false);
    }
    let compared: Vec<Compared> = selected
        .into_iter()
        .map(|s| {
            let recorded = old.snapshot(&s.pack);
            let (audience_name, area_name) = names(&loaded.project, s, recorded);
            let before = recorded.cloned().unwrap_or_default();
            Compared {
                snapshot: s,
                audience_name,
                area_name,
                changes: compare(&before, s),
            }
        })
        .collect();
    let text = match format {
        DiffFormat::Json => json_form(from, &to_label, &compared),
        DiffFormat::Text => text_form(from, &to_label, &compared),
        DiffFormat::Html => html_form(
            from,
            &to_label,
            &compared,
            &loaded.project.config.pack.language,
        ),
    };
    report(
        Status::Success,
        diagnostics,
        Some(&loaded),
        vec![text.trim_end().to_string()],
        false,
    )
}
