//! One rebuild of the stale packs: resolve them, render their HTML at once (with the PDF of
//! the last good build beside it, so the preview updates within milliseconds), then their
//! PDFs through the long-lived engine, and publish each step with the ordinary output code.

use std::collections::BTreeMap;
use std::time::Instant;

use rayon::prelude::*;

use super::changes::Affected;
use super::session::{Rebuild, Session, Update};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::PackFiles;
use crate::pipeline::{self, Format, Loaded, Pace};
use crate::render::{self, HtmlTemplates, PageSetup};
use crate::resolve::Pack;

impl Session {
    pub(super) fn build_loaded(
        &mut self,
        loaded: &Loaded,
        mut diagnostics: Diagnostics,
        start: Instant,
        listener: &mut dyn FnMut(Update<'_>),
    ) -> Rebuild {
        if diagnostics.has_errors() {
            return self.fail_with(&diagnostics, &loaded.sources, start, listener);
        }
        let targets = match pipeline::targets_of(&loaded.project, &self.selection) {
            Ok(targets) => targets,
            Err(message) => {
                diagnostics
                    .push(Diagnostic::error(message).help(
                        "restore what the command line names, or restart with other options",
                    ));
                return self.fail_with(&diagnostics, &loaded.sources, start, listener);
            }
        };
        let all = self.stale == Affected::Every;
        let selected: Vec<String> = targets
            .iter()
            .map(|(audience, area)| pack_dir(&audience.id, *area))
            .collect();
        let targets: Vec<_> = targets
            .into_iter()
            .filter(|(audience, area)| self.stale.contains(&pack_dir(&audience.id, *area)))
            .collect();
        let (packs, found) = pipeline::resolve_packs_each(loaded, &targets);
        let mut pack_warnings = BTreeMap::new();
        for (pack, found) in packs.iter().zip(found) {
            diagnostics.extend(found.iter().cloned());
            pack_warnings.insert(pack.dir(), found);
        }
        if diagnostics.has_errors() {
            return self.fail_with(&diagnostics, &loaded.sources, start, listener);
        }
        diagnostics.extend(loaded.edition.note(&loaded.project.config.pack.version));
        let formats = loaded.formats_for(&self.formats);
        // The packs not rebuilt keep their warnings; packs no longer selected lose theirs.
        self.pack_warnings.extend(pack_warnings);
        self.pack_warnings.retain(|dir, _| selected.contains(dir));
        let mut every = Diagnostics::default();
        every.extend(diagnostics.sorted());
        every.extend(self.pack_warnings.values().flatten().cloned());
        self.warnings = every.sorted();
        let mut rebuild = Rebuild {
            packs: packs.iter().map(Pack::dir).collect(),
            warnings: self.warnings.clone(),
            ..Rebuild::default()
        };
        rebuild.warnings_text =
            crate::diagnostic::render_human(&rebuild.warnings, &loaded.sources.texts);

        // The HTML first, when the PDFs take longer and a previous PDF can stand in for now.
        if let Some(quick) = self.html_with_previous_pdfs(loaded, &packs, &formats) {
            match quick {
                Ok((templates, files)) => {
                    if let Err(d) = self.publish(loaded, &templates, files, &formats, all, listener)
                    {
                        diagnostics.push(d);
                        return self.fail_with(&diagnostics, &loaded.sources, start, listener);
                    }
                    rebuild.html_ready = Some(start.elapsed());
                }
                Err(found) => {
                    diagnostics.extend(found);
                    return self.fail_with(&diagnostics, &loaded.sources, start, listener);
                }
            }
        }
        match pipeline::render_packs(loaded, &packs, &formats, &self.engine, Pace::InTurn) {
            Ok((templates, files)) => {
                match self.publish(loaded, &templates, files, &formats, all, listener) {
                    Ok(summary) => rebuild.summary = summary,
                    Err(d) => {
                        diagnostics.push(d);
                        return self.fail_with(&diagnostics, &loaded.sources, start, listener);
                    }
                }
            }
            Err(found) => {
                diagnostics.extend(found);
                return self.fail_with(&diagnostics, &loaded.sources, start, listener);
            }
        }
        self.stale = Affected::Nothing;
        let found = std::mem::take(&mut self.output_warnings);
        if !found.is_empty() {
            rebuild.warnings.extend(found);
            rebuild.warnings_text =
                crate::diagnostic::render_human(&rebuild.warnings, &loaded.sources.texts);
        }
        rebuild
    }

    /// The packs' HTML, each with its PDF from the last good build: `None` when PDFs are not
    /// built, or some pack has no previous PDF of the same name (a first build, a new version).
    #[allow(clippy::type_complexity)]
    fn html_with_previous_pdfs(
        &self,
        loaded: &Loaded,
        packs: &[Pack],
        formats: &[Format],
    ) -> Option<Result<(HtmlTemplates, Vec<PackFiles>), Vec<Diagnostic>>> {
        if !(formats.contains(&Format::Pdf) && formats.contains(&Format::Html)) {
            return None;
        }
        let config = loaded.output_config();
        let config = config.as_ref();
        let mut previous = Vec::new();
        for pack in packs {
            let name = render::pdf::file_name(pack, config);
            let old = self.published.get(&pack.dir())?;
            let (_, bytes) = old.files.iter().find(|(n, _)| *n == name)?;
            previous.push((name, bytes));
        }
        let templates = match HtmlTemplates::load(&loaded.sources) {
            Ok(templates) => templates,
            Err(d) => return Some(Err(vec![d])),
        };
        let rendered: Result<Vec<PackFiles>, Diagnostic> = packs
            .par_iter()
            .zip(previous.par_iter())
            .map(|(pack, (name, bytes))| {
                let setup = PageSetup {
                    config,
                    pdf: Some((name.clone(), bytes.len())),
                    newer: None,
                };
                let shown = pack.for_format("html");
                let mut files = render::html_files(&shown, &setup, &templates, &loaded.sources)?;
                files.push((name.clone(), bytes.to_vec()));
                Ok(PackFiles {
                    dir: pack.dir(),
                    audience: pack.audience.id.clone(),
                    area: pack.area.as_ref().map(|a| a.id.clone()),
                    files,
                })
            })
            .collect();
        Some(
            rendered
                .map(|files| (templates, files))
                .map_err(|d| vec![d]),
        )
    }

    /// Swaps the packs into the output folder (under the output lock), remembers them, and
    /// tells the listener which URL paths changed. The summary lines of the output code.
    fn publish(
        &mut self,
        loaded: &Loaded,
        templates: &HtmlTemplates,
        files: Vec<PackFiles>,
        formats: &[Format],
        all: bool,
        listener: &mut dyn FnMut(Update<'_>),
    ) -> Result<Vec<String>, Diagnostic> {
        let written = {
            // A poisoned lock only means a reader panicked; the output is still whole.
            let _guard = self
                .output_lock
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            pipeline::publish_packs(
                &self.out,
                loaded,
                &files,
                templates,
                &self.published,
                formats,
            )
        };
        let (summary, warnings) =
            written.map_err(|err| crate::output::write_error(&self.out, &err))?;
        self.output_warnings.extend(warnings);
        let version = loaded.output_version();
        let mut paths = Vec::new();
        for pack in files {
            let old = self.published.get(&pack.dir).map(PackFiles::by_name);
            if old.is_none() {
                paths.push("/index.html".to_string());
            }
            for (rel, bytes) in &pack.files {
                let same = old
                    .as_ref()
                    .is_some_and(|old| PackFiles::holds(old, rel, bytes));
                if !same {
                    paths.push(format!("/{version}/{}/{rel}", pack.dir));
                }
            }
            self.published.insert(pack.dir.clone(), pack);
        }
        paths.sort();
        paths.dedup();
        listener(Update::Published {
            paths: &paths,
            all,
            warnings: &self.warnings,
        });
        Ok(summary)
    }
}

/// A pack's folder under `output/<version>/`.
fn pack_dir(audience: &str, area: Option<&crate::model::Area>) -> String {
    match area {
        None => audience.to_string(),
        Some(area) => format!("areas/{}/{audience}", area.id),
    }
}
