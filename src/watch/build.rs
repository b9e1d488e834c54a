//! One rebuild of the stale packs through the builder (`crate::build`): with a preview, so
//! that the new HTML goes in at once beside the PDF of the last good build (the preview
//! updates within milliseconds), then every format; each step published with the ordinary
//! output code, under the output lock, and told to the listener.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::changes::Affected;
use super::session::{Rebuild, Session, Update};
use crate::build::{self, Loaded, Pace, Plan, Sink, finish_output};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::PackFiles;
use crate::pack_id::PackId;
use crate::render::{HtmlTemplates, Registry};
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
            return self.fail_with(
                &diagnostics,
                (&loaded.sources, Some(&loaded.project.config.pack)),
                start,
                listener,
            );
        }
        let packs = match build::selected_packs(&loaded.project, &self.selection) {
            Ok(packs) => packs,
            Err(d) => {
                diagnostics.push(
                    d.help("restore what the command line names, or restart with other options"),
                );
                return self.fail_with(
                    &diagnostics,
                    (&loaded.sources, Some(&loaded.project.config.pack)),
                    start,
                    listener,
                );
            }
        };
        let all = self.stale == Affected::Every;
        let selected: Vec<String> = packs.iter().map(PackId::dir).collect();
        let plan = Plan {
            packs: packs
                .into_iter()
                .filter(|id| self.stale.contains(id))
                .collect(),
            formats: loaded.formats_for(&self.formats, &self.registry),
            pace: Pace::InTurn,
            preview: Some(&self.published),
            cache: self.cache.as_ref(),
            present: None,
        };
        let plan_formats = plan.formats.clone();
        // What the whole build found (reading, parsing, checking), and where it goes.
        let mut found = Diagnostics::default();
        found.extend(diagnostics.sorted());
        found.extend(loaded.edition.note(&loaded.project.config.pack.version));
        let mut sink = Publisher {
            out: &self.out,
            output_lock: &self.output_lock,
            loaded,
            registry: &self.registry,
            formats: &plan.formats,
            before: &self.published,
            now: BTreeMap::new(),
            pending: Vec::new(),
            all,
            listener,
            warnings: Warnings {
                build: found.sorted(),
                packs: &mut self.pack_warnings,
                selected: &selected,
                every: &mut self.warnings,
            },
            output_warnings: &mut self.output_warnings,
            summary: Vec::new(),
            preview_ready: None,
            start,
        };
        let outcome = build::run(loaded, &plan, &self.registry, &mut sink);
        diagnostics.extend(outcome.diagnostics().cloned());
        let mut rebuild = Rebuild {
            packs: outcome.found.iter().map(|(id, _)| id.dir()).collect(),
            ..Rebuild::default()
        };
        if !outcome.unresolved() {
            sink.warnings.update(&outcome.found);
        }
        let finished = match (outcome.succeeded(), outcome.templates.as_ref()) {
            (true, Some(templates)) => sink.publish(templates),
            (true, None) => Ok(()),
            (false, _) => Err(None),
        };
        let Publisher {
            now,
            summary,
            preview_ready,
            listener,
            ..
        } = sink;
        self.published.extend(now);
        if let Err(failed) = finished {
            diagnostics.extend(failed);
            return self.fail_with(
                &diagnostics,
                (&loaded.sources, Some(&loaded.project.config.pack)),
                start,
                listener,
            );
        }
        rebuild.summary = summary;
        if let Some(ready) = preview_ready.filter(|_| outcome.previewed) {
            let chosen = self.registry.chosen(&plan_formats);
            let names = |slow: bool| {
                chosen
                    .iter()
                    .filter(move |r| r.slow() == slow)
                    .map(|r| r.name())
            };
            rebuild.preview = Some((ready, names(false).collect(), names(true).collect()));
        }
        rebuild.warnings = self.warnings.clone();
        self.stale = Affected::Nothing;
        rebuild
            .warnings
            .extend(std::mem::take(&mut self.output_warnings));
        rebuild.warnings_text =
            crate::diagnostic::render_human(&rebuild.warnings, &loaded.sources.texts);
        rebuild
    }
}

/// The warnings watch mode shows: the build's own, and those of every selected pack as of its
/// last good build (a rebuild of some packs keeps the others').
struct Warnings<'a> {
    build: Vec<Diagnostic>,
    packs: &'a mut BTreeMap<String, Vec<Diagnostic>>,
    selected: &'a [String],
    every: &'a mut Vec<Diagnostic>,
}

impl Warnings<'_> {
    /// Takes in what resolving found in the packs rebuilt.
    fn update(&mut self, found: &[(PackId, Vec<Diagnostic>)]) {
        for (id, found) in found {
            self.packs.insert(id.dir(), found.clone());
        }
        // Packs no longer selected lose theirs.
        self.packs.retain(|dir, _| self.selected.contains(dir));
        let mut every = Diagnostics::default();
        every.extend(self.build.iter().cloned());
        every.extend(self.packs.values().flatten().cloned());
        *self.every = every.sorted();
    }
}

/// The sink of a watch rebuild: keeps each pack's files, and publishes them when a step is
/// done (the preview, then every format).
struct Publisher<'a, 'l> {
    out: &'a Path,
    output_lock: &'a Arc<RwLock<()>>,
    loaded: &'a Loaded,
    registry: &'a Registry,
    formats: &'a [String],
    /// What the output held of each pack before this rebuild, by folder.
    before: &'a BTreeMap<String, PackFiles>,
    /// What this rebuild has published, by folder.
    now: BTreeMap<String, PackFiles>,
    pending: Vec<PackFiles>,
    /// Whether every page may have changed.
    all: bool,
    listener: &'l mut dyn FnMut(Update<'_>),
    warnings: Warnings<'a>,
    output_warnings: &'a mut Vec<Diagnostic>,
    summary: Vec<String>,
    /// How long until the preview was in place.
    preview_ready: Option<Duration>,
    start: Instant,
}

impl Sink for Publisher<'_, '_> {
    fn add(&mut self, _pack: &Pack, files: PackFiles) -> Result<(), Diagnostic> {
        self.pending.push(files);
        Ok(())
    }

    fn preview_done(
        &mut self,
        templates: &HtmlTemplates,
        found: &[(PackId, Vec<Diagnostic>)],
    ) -> Result<(), Diagnostic> {
        self.warnings.update(found);
        self.publish(templates).map_err(|d| {
            d.into_iter()
                .next()
                .unwrap_or_else(|| Diagnostic::error("the preview could not be published"))
        })?;
        self.preview_ready = Some(self.start.elapsed());
        Ok(())
    }
}

impl Publisher<'_, '_> {
    /// What the output holds of a pack now.
    fn published(&self, dir: &str) -> Option<&PackFiles> {
        self.now.get(dir).or_else(|| self.before.get(dir))
    }

    /// Swaps the pending packs into the output folder (under the output lock), remembers
    /// them, and tells the listener which URL paths changed.
    fn publish(&mut self, templates: &HtmlTemplates) -> Result<(), Option<Diagnostic>> {
        let files = std::mem::take(&mut self.pending);
        let written = {
            // A poisoned lock only means a reader panicked; the output is still whole.
            let _guard = self
                .output_lock
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            self.write(&files, templates)
        };
        let (summary, warnings) =
            written.map_err(|err| Some(crate::output::write_error(self.out, &err)))?;
        self.summary = summary;
        self.output_warnings.extend(warnings);
        let version = self.loaded.output_version();
        let mut paths = Vec::new();
        for pack in files {
            let dir = pack.dir();
            let old = self.published(&dir).map(PackFiles::by_name);
            if old.is_none() {
                paths.push("/index.html".to_string());
            }
            for (rel, bytes) in &pack.files {
                let same = old
                    .as_ref()
                    .is_some_and(|old| PackFiles::holds(old, rel, bytes));
                if !same {
                    paths.push(format!("/{version}/{dir}/{rel}"));
                }
            }
            self.now.insert(dir, pack);
        }
        paths.sort();
        paths.dedup();
        (self.listener)(Update::Published {
            paths: &paths,
            all: self.all,
            warnings: self.warnings.every,
            pack: &self.loaded.project.config.pack,
        });
        Ok(())
    }

    /// Writes packs as `build` does (staged, swapped in, manifest and index updated); the
    /// packs' files of the formats not made stay, and unchanged files are linked.
    fn write(
        &self,
        files: &[PackFiles],
        templates: &HtmlTemplates,
    ) -> std::io::Result<build::Published> {
        let made = build::made(self.formats);
        let mut staging = self.loaded.staging(self.out, made)?;
        for pack in files {
            if let Err(err) = staging.add(pack, self.published(&pack.dir())) {
                staging.abandon();
                return Err(err);
            }
        }
        let committed = staging.commit()?;
        let count = files.iter().map(|p| p.files.len()).sum();
        finish_output(
            self.out,
            self.loaded,
            templates,
            self.registry,
            committed,
            files.len(),
            count,
        )
    }
}
