//! The build core: a project read, parsed, indexed and checked ([`Loaded`], with its release
//! records read as inputs), and the one builder ([`run`]) that every command uses: it runs a
//! [`Plan`] — which packs, which formats, at what pace — resolving and rendering each pack and
//! handing its files to a [`Sink`] (the staged output, a hashing sink, or nothing). The
//! reviewer's copy is one more pack of a plan ([`review_plan`]).

mod plan;
mod review;
mod run;
pub mod shard;
pub mod sink;
mod site;
#[cfg(test)]
mod tests;
mod timings;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::check::check_project;
use crate::diagnostic::Diagnostics;
use crate::model::{Config, Project};
use crate::output::{self, Manifest};
use crate::release::{Edition, Recorded};
use crate::render::Registry;
use crate::resolve::{IdIndex, Resolver, index_ids};
use crate::sources::{self, SourceSet};
use crate::version::Version;

pub use plan::{BuildOptions, Pace, Plan, Selection, all_packs, selected_packs};
pub use review::{review_plan, review_refused};
pub use run::{Outcome, render_resolved, run};
pub use sink::{Discard, Sink};
pub use site::{Published, finish_output, recover_writes};
pub use timings::Timings;

/// A project read, parsed, indexed and checked.
pub struct Loaded {
    pub sources: SourceSet,
    pub project: Project,
    pub ids: IdIndex,
    /// The newest recorded release before this version, read with the project (change
    /// summaries are made against it).
    pub previous: Option<Arc<Recorded>>,
    /// For each area with a recorded edition older than its current one, the newest such
    /// (`releases/areas/<id>/<version>/`): its packs' change summaries are made against it.
    pub area_previous: BTreeMap<String, Recorded>,
    /// What a build of this version writes: the version, the release again, or an unreleased
    /// working copy (see [`Edition`]).
    pub edition: Edition,
}

impl Loaded {
    /// The output folder of this version's build, also the version its manifest carries:
    /// `1.0.0`, or `1.0.0+unreleased` for a working copy.
    pub fn output_version(&self) -> Version {
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

    /// What resolves this project's packs.
    pub fn resolver(&self) -> Resolver<'_> {
        Resolver {
            project: &self.project,
            ids: &self.ids,
            previous: self.previous.as_deref(),
            area_previous: self
                .area_previous
                .iter()
                .map(|(k, v)| (k.as_str(), v))
                .collect(),
            formats: crate::render::registry().names(),
            format_labels: crate::render::registry().labels(),
        }
    }

    /// The formats a build makes, given those asked for (every registered one when none
    /// is): a build of the released sources makes every format, as the release did (its
    /// pages link to the downloads with their size), so that each file can be the released
    /// one.
    pub fn formats_for(&self, asked: &[String], registry: &Registry) -> Vec<String> {
        if asked.is_empty() || matches!(self.edition, Edition::AsReleased(_)) {
            registry.names().into_iter().map(str::to_string).collect()
        } else {
            asked.to_vec()
        }
    }

    /// Staging for some packs of this build, set up for its edition: the released place
    /// takes only the recorded bytes (and a stale working copy goes).
    pub fn staging(&self, out: &Path, made: output::Made) -> std::io::Result<output::Staging> {
        let mut staging = output::Staging::new(out, self.manifest_base(), made)?;
        let version = &self.project.config.pack.version;
        if let Some(record) = self.edition.record(version) {
            staging.as_released(record);
            staging.retire(&version.working_copy());
        }
        Ok(staging)
    }

    /// The manifest of this version before any artifact is in it.
    pub fn manifest_base(&self) -> Manifest {
        Manifest {
            version: self.output_version(),
            date: self.project.config.pack.date.clone(),
            generator: crate::release::generator(),
            artifacts: Vec::new(),
        }
    }
}

/// Reads, parses and checks a project. When it cannot be used at all, `Err` holds what could
/// be read of it (for the source lines of the messages).
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Result<Loaded, SourceSet> {
    let sources = sources::load(root, diagnostics).ok_or_else(SourceSet::default)?;
    prepare(sources, diagnostics)
}

/// Parses and checks a project already in memory: its text, its data and its release records.
pub fn prepare(sources: SourceSet, diagnostics: &mut Diagnostics) -> Result<Loaded, SourceSet> {
    let Some(project) = crate::parse::parse_project(&sources, diagnostics) else {
        return Err(sources);
    };
    let around =
        crate::release::releases_around(&sources, &project.config.pack.version, diagnostics);
    Ok(index(
        sources,
        project,
        around.previous.map(Arc::new),
        around.current.map(Arc::new),
        diagnostics,
    ))
}

/// Indexes and checks a parsed project, with its release records, and says what a build of
/// it is. Indexing is done in place and may be done again (watch mode keeps its project).
pub fn index(
    sources: SourceSet,
    mut project: Project,
    previous: Option<Arc<Recorded>>,
    released: Option<Arc<Recorded>>,
    diagnostics: &mut Diagnostics,
) -> Loaded {
    let ids = index_ids(&mut project, diagnostics);
    check_project(
        &project,
        &ids,
        &sources,
        &crate::render::registry().names(),
        diagnostics,
    );
    let edition = Edition::of(&project.config.pack.version, released, &sources);
    let area_previous = crate::release::editions_before(&sources, &project, diagnostics);
    Loaded {
        previous,
        area_previous,
        edition,
        sources,
        project,
        ids,
    }
}

/// Which files of a pack folder a build of `formats` makes (the others stay as they were).
pub fn made(formats: &[String]) -> output::Made {
    let registry = crate::render::registry();
    if registry.chosen(formats).len() == registry.names().len() {
        return output::Made::All;
    }
    let formats = formats.to_vec();
    output::Made::Only(Box::new(move |rel| registry.makes(&formats, rel)))
}

/// "1 error", "2 errors": a count and its noun.
pub fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Every pack of a loaded project, resolved and kept, with what resolving found (for tests
/// and small projects: a command streams its packs through [`run`] instead).
pub fn resolve_every_pack(
    loaded: &Loaded,
) -> (
    Vec<crate::resolve::Pack>,
    Vec<crate::diagnostic::Diagnostic>,
) {
    let mut kept = sink::Kept::default();
    let plan = Plan::resolving(all_packs(&loaded.project));
    let outcome = run(loaded, &plan, &crate::render::registry(), &mut kept);
    (kept.packs, outcome.diagnostics().cloned().collect())
}

/// Packs already resolved, rendered in `formats` and kept in memory, whatever resolving
/// found (for tests that look at what reaches the output even of a project with errors).
pub fn render_packs(
    loaded: &Loaded,
    packs: &[crate::resolve::Pack],
    formats: &[&str],
) -> Result<Vec<output::PackFiles>, Vec<crate::diagnostic::Diagnostic>> {
    let formats: Vec<String> = formats.iter().map(|f| f.to_string()).collect();
    run::render_resolved(loaded, packs, &formats, &crate::render::registry())
}
