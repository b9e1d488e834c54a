//! The long-lived builder of watch mode: it owns the project as last read and parsed, the PDF
//! engine (whose Typst caches make recompiles incremental) and the last good output. On a
//! change it re-reads the changed files, re-parses what they hold (one chapter, or the whole
//! project for configuration, data and areas), and rebuilds the packs the change affects.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::changes::{Affected, Change, ChangeKind};
use super::refresh::{ReadErrors, refresh};
use crate::build::{self, BuildOptions, Loaded, Selection};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Chapter, PackInfo, Project};
use crate::output::PackFiles;
use crate::pack_id::PackId;
use crate::render::Registry;
use crate::sources::{self, SourceSet};

/// What the preview hears while a rebuild runs.
#[derive(Debug)]
pub enum Update<'a> {
    /// New files are in the output folder: their URL paths (`/1.0.0/providers/intro.html`);
    /// `all` when every page may have changed (configuration, templates).
    Published {
        paths: &'a [String],
        all: bool,
        /// The warnings of the build now served, every pack's (not only those rebuilt).
        warnings: &'a [Diagnostic],
        /// The project's `[pack]`: its language and labels, for the preview's own words.
        pack: &'a PackInfo,
    },
    /// The build failed: the last good output stays in place.
    Failed {
        diagnostics: &'a [Diagnostic],
        /// The diagnostics as the terminal shows them (file, line, source line, caret, help).
        text: &'a str,
        /// The project's `[pack]` when it could be read (its language and labels).
        pack: Option<&'a PackInfo>,
    },
}

/// What one rebuild did, for the terminal.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// The packs rebuilt.
    pub packs: Vec<String>,
    /// When a preview went in before the slow formats: how long until it was in place, the
    /// quick formats it had and the slow ones that followed (`html`; `pdf`).
    pub preview: Option<(Duration, Vec<&'static str>, Vec<&'static str>)>,
    /// How long until everything was in place (or the build failed).
    pub took: Duration,
    /// The lines of the output summary.
    pub summary: Vec<String>,
    /// The errors, as the terminal shows them, when the build failed.
    pub failed: Option<String>,
    /// The warnings of a good build.
    pub warnings: Vec<Diagnostic>,
    /// The warnings as the terminal shows them.
    pub warnings_text: String,
}

/// The project as last parsed (and indexed: indexing it again gives the same ids, so each
/// build indexes it in place, without a copy).
pub(super) struct Parsed {
    pub(super) project: Project,
    /// The previous release, parsed with the project (a change to `releases/` or the config
    /// parses the whole project again).
    pub(super) previous: Option<std::sync::Arc<crate::release::Recorded>>,
    /// The release record of the project's own version, when it is released.
    pub(super) released: Option<std::sync::Arc<crate::release::Recorded>>,
    /// Parse findings by chapter file; `""` for those of the rest of the project.
    pub(super) diagnostics: BTreeMap<String, Vec<Diagnostic>>,
}

/// The long-lived builder.
pub struct Session {
    pub(super) out: PathBuf,
    pub(super) selection: Selection,
    /// The formats asked for (empty: every one).
    pub(super) formats: Vec<String>,
    /// The formats, kept for the session: the PDF engine's caches make recompiles quick.
    pub(super) registry: Registry,
    pub(super) sources: SourceSet,
    pub(super) read_errors: ReadErrors,
    /// `Err` holds why the project could not be parsed at all (an unusable configuration).
    pub(super) parsed: Result<Parsed, Vec<Diagnostic>>,
    /// The packs whose output is older than the sources, rebuilt at the next good build.
    pub(super) stale: Affected,
    /// The ids of the text at the last build: when they change, links in every pack may.
    pub(super) last_ids: BTreeSet<String>,
    /// The files of each pack as last published, by pack folder.
    pub(super) published: BTreeMap<String, PackFiles>,
    /// The version folder of the last build (`1.0.0`, or `1.0.0+unreleased` for a working
    /// copy): when it changes, every pack is built into the new one.
    pub(super) folder: Option<String>,
    /// The warnings found while resolving each pack, by pack folder, as of its last good
    /// build: a rebuild of some packs keeps the others'.
    pub(super) pack_warnings: BTreeMap<String, Vec<Diagnostic>>,
    /// The warnings of the build under way (once it has none), then of the build served.
    pub(super) warnings: Vec<Diagnostic>,
    /// Warnings of the output code during the rebuild under way (a repaired output, a link
    /// left alone), for its report.
    pub(super) output_warnings: Vec<Diagnostic>,
    /// Held for writing while output is swapped in, so the server never reads half a swap.
    pub(super) output_lock: Arc<RwLock<()>>,
    /// Where packs are kept between builds and between sessions (`--cache`, `--no-cache`).
    pub(super) cache: Option<crate::cache::PackCache>,
}

impl Session {
    /// Reads the project (nothing is built yet: call [`Session::rebuild`] with no changes).
    /// `Err` when `root` is not a project at all.
    pub fn open(
        root: PathBuf,
        options: &BuildOptions,
        output_lock: Arc<RwLock<()>>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let out = options.out.clone().unwrap_or_else(|| root.join("output"));
        let cache = options.cache.open(&root).map_err(|d| vec![d])?;
        // A publish that was killed is finished or undone before anything else.
        let mut repaired = Diagnostics::default();
        build::recover_writes(&root, &out, &mut repaired).map_err(|d| vec![d])?;
        let mut diagnostics = Diagnostics::default();
        let Some(sources) = sources::load(&root, &mut diagnostics) else {
            return Err(diagnostics.sorted());
        };
        let mut session = Session {
            out,
            selection: options.selection.clone(),
            formats: options.formats.clone(),
            registry: crate::render::registry(),
            sources,
            read_errors: by_file(diagnostics.sorted()),
            parsed: Err(Vec::new()),
            stale: Affected::Every,
            last_ids: BTreeSet::new(),
            published: BTreeMap::new(),
            folder: None,
            pack_warnings: BTreeMap::new(),
            warnings: Vec::new(),
            output_warnings: repaired.sorted(),
            output_lock,
            cache,
        };
        session.parse_all();
        Ok(session)
    }

    /// The output folder.
    pub fn out(&self) -> &std::path::Path {
        &self.out
    }

    /// Brings the project up to date with `changes` and rebuilds what they affect; `rescan`
    /// re-reads every file (when the watcher may have missed something).
    pub fn rebuild(
        &mut self,
        changes: &[Change],
        rescan: bool,
        listener: &mut dyn FnMut(Update<'_>),
    ) -> Rebuild {
        let start = Instant::now();
        if rescan {
            self.reload_all();
        } else {
            for change in changes {
                refresh(&mut self.sources, &mut self.read_errors, &change.path);
            }
            let full = self.parsed.is_err() || changes.iter().any(|c| c.kind.needs_full_parse());
            if full {
                self.parse_all();
            }
            for change in changes {
                let affected = match &change.kind {
                    ChangeKind::Chapter if full => self.chapter_packs(&change.path, None),
                    ChangeKind::Chapter => self.reparse_chapter(&change.path),
                    ChangeKind::Area(id) => self.area_packs(id),
                    ChangeKind::Config
                    | ChangeKind::Data
                    | ChangeKind::Template
                    | ChangeKind::Asset => Affected::Every,
                };
                self.stale.merge(affected);
            }
        }
        let mut rebuild = self.build(start, listener);
        rebuild.took = start.elapsed();
        rebuild
    }

    /// Reads every file again and parses everything.
    fn reload_all(&mut self) {
        let mut diagnostics = Diagnostics::default();
        if let Some(sources) = sources::load(&self.sources.root, &mut diagnostics) {
            self.sources = sources;
        }
        self.read_errors = by_file(diagnostics.sorted());
        self.parse_all();
        self.stale = Affected::Every;
    }

    fn parse_all(&mut self) {
        let mut diagnostics = Diagnostics::default();
        let project = crate::parse::parse_project(&self.sources, &mut diagnostics);
        let around = project.as_ref().map_or_else(Default::default, |project| {
            crate::release::releases_around(
                &self.sources,
                &project.config.pack.version,
                &mut diagnostics,
            )
        });
        let found = diagnostics.sorted();
        self.parsed = match project {
            Some(project) => {
                let mut by_chapter: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
                for d in found {
                    let key = match d.file.as_deref() {
                        Some(file) if is_chapter_path(file) => file.to_string(),
                        _ => String::new(),
                    };
                    by_chapter.entry(key).or_default().push(d);
                }
                Ok(Parsed {
                    project,
                    previous: around.previous.map(std::sync::Arc::new),
                    released: around.current.map(std::sync::Arc::new),
                    diagnostics: by_chapter,
                })
            }
            None => Err(found),
        };
    }

    /// Parses one chapter again and puts it in place of the old one; the packs it was or is in.
    fn reparse_chapter(&mut self, path: &str) -> Affected {
        let Ok(parsed) = &mut self.parsed else {
            return Affected::Every;
        };
        let chapters = &mut parsed.project.chapters;
        let old = chapters
            .iter()
            .position(|c| c.file == path)
            .map(|i| chapters.remove(i));
        let mut diagnostics = Diagnostics::default();
        let new = self
            .sources
            .text(path)
            .and_then(|text| crate::parse::parse_chapter(path, text, &mut diagnostics));
        parsed
            .diagnostics
            .insert(path.to_string(), diagnostics.sorted());
        let mut affected = self.chapter_packs(path, old.as_ref());
        if let Ok(parsed) = &mut self.parsed
            && let Some(chapter) = new
        {
            parsed.project.chapters.push(chapter);
            crate::parse::sort_chapters(&mut parsed.project.chapters);
            affected.merge(self.chapter_packs(path, None));
        }
        affected
    }

    /// The packs a chapter is in: those its front matter's conditions admit (`audiences:`,
    /// `areas:`, tags included; a tag's change is an area.toml change, which rebuilds that
    /// area's packs).
    /// `old` is the chapter as it was; otherwise the chapter as parsed now.
    fn chapter_packs(&self, path: &str, old: Option<&Chapter>) -> Affected {
        let Ok(parsed) = &self.parsed else {
            return Affected::Every;
        };
        let project = &parsed.project;
        let chapter = old.or_else(|| project.chapters.iter().find(|c| c.file == path));
        let Some(chapter) = chapter else {
            return Affected::Nothing;
        };
        let condition = &chapter.meta.condition;
        if condition.is_always() {
            return Affected::Every;
        }
        let mut affected = Affected::Nothing;
        for audience in &project.config.audiences {
            let id = audience.id.as_str();
            if condition.admits(&crate::model::reader(id, None)) {
                affected.add(PackId::new(id, None));
            }
            for area in &project.areas {
                if condition.admits(&area.reader(id)) {
                    affected.add(PackId::new(id, Some(&area.id)));
                }
            }
        }
        affected
    }

    /// The packs of one area (of every area for an empty id).
    fn area_packs(&self, id: &str) -> Affected {
        let Ok(parsed) = &self.parsed else {
            return Affected::Every;
        };
        let project = &parsed.project;
        let ids: Vec<&str> = if id.is_empty() {
            project.areas.iter().map(|a| a.id.as_str()).collect()
        } else {
            vec![id]
        };
        let mut affected = Affected::Nothing;
        for id in ids {
            for audience in &project.config.audiences {
                affected.add(PackId::new(&audience.id, Some(id)));
            }
        }
        affected
    }

    /// Indexes and checks the parsed project (in place: it is lent to the build and given
    /// back, never copied), then builds the stale packs.
    fn build(&mut self, start: Instant, listener: &mut dyn FnMut(Update<'_>)) -> Rebuild {
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(self.read_errors.values().cloned());
        let parsed = match std::mem::replace(&mut self.parsed, Err(Vec::new())) {
            Ok(parsed) => parsed,
            Err(found) => {
                diagnostics.extend(found.iter().cloned());
                self.parsed = Err(found);
                return self.fail(&diagnostics, start, listener);
            }
        };
        diagnostics.extend(parsed.diagnostics.values().flatten().cloned());
        let Parsed {
            project,
            previous,
            released,
            diagnostics: found,
        } = parsed;
        let loaded = build::index(
            std::mem::take(&mut self.sources),
            project,
            previous.clone(),
            released.clone(),
            &mut diagnostics,
        );
        let keys: BTreeSet<String> = loaded.ids.targets.keys().cloned().collect();
        if keys != self.last_ids {
            self.stale = Affected::Every;
            self.last_ids = keys;
        }
        let folder = loaded.output_version().to_string();
        if self.folder.as_ref() != Some(&folder) {
            // A new place (the sources left or came back to the release's): every pack.
            self.stale = Affected::Every;
            self.published.clear();
            self.folder = Some(folder);
        }
        let rebuild = self.build_loaded(&loaded, diagnostics, start, listener);
        let Loaded {
            sources, project, ..
        } = loaded;
        self.sources = sources;
        self.parsed = Ok(Parsed {
            project,
            previous,
            released,
            diagnostics: found,
        });
        rebuild
    }

    /// Reports a failed build: terminal text and the preview's overlay.
    pub(super) fn fail_with(
        &self,
        diagnostics: &Diagnostics,
        (sources, pack): (&SourceSet, Option<&PackInfo>),
        start: Instant,
        listener: &mut dyn FnMut(Update<'_>),
    ) -> Rebuild {
        let found = diagnostics.sorted();
        let text = crate::diagnostic::render_human(&found, &sources.texts);
        // The page shows the errors only: warnings would bury them.
        let errors: Vec<Diagnostic> = found.iter().filter(|d| d.is_error()).cloned().collect();
        let errors_text = crate::diagnostic::render_human(&errors, &sources.texts);
        listener(Update::Failed {
            diagnostics: &errors,
            text: &errors_text,
            pack,
        });
        Rebuild {
            took: start.elapsed(),
            failed: Some(text),
            ..Rebuild::default()
        }
    }

    fn fail(
        &self,
        diagnostics: &Diagnostics,
        start: Instant,
        listener: &mut dyn FnMut(Update<'_>),
    ) -> Rebuild {
        let pack = self.parsed.as_ref().ok().map(|p| &p.project.config.pack);
        self.fail_with(diagnostics, (&self.sources, pack), start, listener)
    }
}

/// `content/<name>.md`: a chapter file.
fn is_chapter_path(path: &str) -> bool {
    path.strip_prefix("content/")
        .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".md"))
}

fn by_file(found: Vec<Diagnostic>) -> ReadErrors {
    found
        .into_iter()
        .map(|d| (d.file.clone().unwrap_or_default(), d))
        .collect()
}

#[cfg(test)]
mod tests {
    //! The packs a change rebuilds when chapters carry conditions, the session fed with
    //! changes directly.

    use super::*;
    use crate::build::{BuildOptions, Selection};

    fn write(root: &std::path::Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(entry.file_name()));
            } else {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }

    fn rebuilt(session: &mut Session, path: &str, kind: ChangeKind) -> Vec<String> {
        let change = Change {
            path: path.to_string(),
            kind,
        };
        let rebuild = session.rebuild(&[change], false, &mut |_| {});
        assert!(rebuild.failed.is_none(), "{:?}", rebuild.failed);
        let mut packs = rebuild.packs;
        packs.sort();
        packs
    }

    #[test]
    fn a_change_rebuilds_the_packs_its_conditions_admit() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let fixture =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        copy(&fixture, root);
        let north = "name = \"Northshire\"\ntags = [\"coastal\"]\n";
        write(root, "content/areas/north/area.toml", north);
        write(
            root,
            "content/areas/south/area.toml",
            "name = \"Southshire\"\n",
        );
        let chapter = "content/02-local.md";
        write(
            root,
            chapter,
            "---\ntitle: Local\nareas: [north]\naudiences: [providers]\n---\nOne.\n",
        );
        let options = BuildOptions {
            selection: Selection {
                all_areas: true,
                ..Selection::default()
            },
            formats: vec!["html".to_string()],
            out: None,
            jobs: None,
            cache: crate::cache::Choice::Off,
            quiet: false,
            shard: None,
        };
        let lock = Arc::new(RwLock::new(()));
        let mut session = Session::open(root.to_path_buf(), &options, lock).unwrap();
        let first = session.rebuild(&[], false, &mut |_| {});
        assert!(first.failed.is_none(), "{:?}", first.failed);

        write(
            root,
            chapter,
            "---\ntitle: Local\nareas: [north]\naudiences: [providers]\n---\nTwo.\n",
        );
        assert_eq!(
            rebuilt(&mut session, chapter, ChangeKind::Chapter),
            ["areas/north/providers"]
        );

        // A tag names the areas that have it; the packs of the old and new conditions.
        write(
            root,
            chapter,
            "---\ntitle: Local\nareas: [\"tag:coastal\", south]\naudiences: [providers]\n---\nTwo.\n",
        );
        assert_eq!(
            rebuilt(&mut session, chapter, ChangeKind::Chapter),
            ["areas/north/providers", "areas/south/providers"]
        );
        write(
            root,
            chapter,
            "---\ntitle: Local\nareas: [\"tag:coastal\"]\naudiences: [providers]\n---\nTwo.\n",
        );
        assert_eq!(
            rebuilt(&mut session, chapter, ChangeKind::Chapter),
            ["areas/north/providers", "areas/south/providers"]
        );
        assert!(
            !root
                .join("output/2.0.0/areas/south/providers/local.html")
                .exists()
        );

        // A change of tags is a change of one area.toml: that area's packs.
        write(
            root,
            "content/areas/south/area.toml",
            "name = \"Southshire\"\ntags = [\"coastal\"]\n",
        );
        let packs = rebuilt(
            &mut session,
            "content/areas/south/area.toml",
            ChangeKind::Area("south".into()),
        );
        assert_eq!(
            packs,
            [
                "areas/south/commissioners",
                "areas/south/local-authorities",
                "areas/south/providers"
            ]
        );
        let page =
            std::fs::read_to_string(root.join("output/2.0.0/areas/south/providers/local.html"))
                .unwrap();
        assert!(page.contains("Two."));
    }
}
