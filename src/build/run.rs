//! The builder: resolves the packs of a [`Plan`] and renders each with the plan's formats, in
//! registration order, handing each pack's files to a [`Sink`] as soon as it is made. Nothing
//! is rendered once a pack fails to resolve (the other packs are still resolved, for their
//! messages), and nothing more is handed over after the first error.

use std::collections::BTreeMap;
use std::time::Instant;

use rayon::prelude::*;

use super::sink::Sink;
use super::timings::{RenderTimes, Timings};
use super::{Loaded, Pace, Plan};
use crate::cache::{Keys, PackCache};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Config;
use crate::output::{Held, PackFiles, Present};
use crate::pack_id::PackId;
use crate::render::{
    Download, DownloadKind, Files, HtmlTemplates, PackRenderer, Registry, Renderer, Start, pack_for,
};
use crate::resolve::{Pack, Resolver};

/// What a run found and made.
#[derive(Default)]
pub struct Outcome {
    /// What resolving found, by pack, in the plan's order (each pack's sorted).
    pub found: Vec<(PackId, Vec<Diagnostic>)>,
    /// The errors of rendering and of the sink; empty when a pack failed to resolve (its
    /// errors come first, and nothing was rendered after them).
    pub failed: Vec<Diagnostic>,
    /// The packs handed to the sink, and their files.
    pub packs: usize,
    pub files: usize,
    /// Whether a preview was handed over before the slow formats were made.
    pub previewed: bool,
    /// The project's HTML templates, as loaded for this build (for the site's index).
    pub templates: Option<HtmlTemplates>,
    /// Where the time went.
    pub timings: Timings,
}

impl Outcome {
    /// Whether a pack failed to resolve.
    pub fn unresolved(&self) -> bool {
        self.found
            .iter()
            .flat_map(|(_, f)| f)
            .any(Diagnostic::is_error)
    }

    /// Whether every pack was made and handed over.
    pub fn succeeded(&self) -> bool {
        !self.unresolved() && self.failed.is_empty()
    }

    /// Every message, resolving's and rendering's.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.found.iter().flat_map(|(_, f)| f).chain(&self.failed)
    }
}

/// A format started for this build.
type Started<'a> = (&'a dyn Renderer, Box<dyn PackRenderer + 'a>);

/// Runs a plan into a sink.
pub fn run(loaded: &Loaded, plan: &Plan, registry: &Registry, sink: &mut dyn Sink) -> Outcome {
    let mut outcome = Outcome::default();
    let config = loaded.output_config();
    let chosen = if plan.formats.is_empty() {
        Vec::new()
    } else {
        registry.chosen(&plan.formats)
    };
    let templates = match chosen.is_empty() {
        true => None,
        false => match HtmlTemplates::load(&loaded.sources) {
            Ok(templates) => Some(templates),
            Err(d) => {
                outcome.failed.push(d);
                None
            }
        },
    };
    {
        let started = match &templates {
            Some(templates) => start(&chosen, loaded, &config, templates, &mut outcome),
            None => Vec::new(),
        };
        let builder = Builder {
            resolver: loaded.resolver(),
            templates: templates.as_ref(),
            config: &config,
            started: &started,
            downloads: registry.all().filter_map(|r| r.download()).collect(),
            cache: (plan.cache).map(|cache| (cache, Keys::new(&loaded.sources, &config))),
            present: plan.present,
            times: RenderTimes::default(),
        };
        builder.run(plan, sink, &mut outcome);
        outcome.timings.render = builder.times.taken();
        for (_, renderer) in &started {
            renderer.finish();
        }
    }
    if let Some(cache) = plan.cache {
        cache.trim();
    }
    if outcome.unresolved() {
        outcome.failed.clear();
    }
    outcome.templates = templates;
    outcome
}

/// Renders packs already resolved (whatever resolving found), one after another, with the
/// same renderers as [`run`]; kept in memory.
pub fn render_resolved(
    loaded: &Loaded,
    packs: &[Pack],
    formats: &[String],
    registry: &Registry,
) -> Result<Vec<PackFiles>, Vec<Diagnostic>> {
    let config = loaded.output_config();
    let templates = HtmlTemplates::load(&loaded.sources).map_err(|d| vec![d])?;
    let mut outcome = Outcome::default();
    let started = start(
        &registry.chosen(formats),
        loaded,
        &config,
        &templates,
        &mut outcome,
    );
    if !outcome.failed.is_empty() {
        return Err(outcome.failed);
    }
    let builder = Builder {
        resolver: loaded.resolver(),
        templates: Some(&templates),
        config: &config,
        started: &started,
        downloads: registry.all().filter_map(|r| r.download()).collect(),
        cache: None,
        present: None,
        times: RenderTimes::default(),
    };
    let made: Vec<_> = packs.par_iter().map(|p| builder.render(p)).collect();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for result in made {
        match result {
            Ok(pack) => files.push(pack),
            Err(found) => errors.extend(found),
        }
    }
    started.iter().for_each(|(_, r)| r.finish());
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn start<'a>(
    chosen: &[&'a dyn Renderer],
    loaded: &'a Loaded,
    config: &'a Config,
    templates: &'a HtmlTemplates,
    outcome: &mut Outcome,
) -> Vec<Started<'a>> {
    let start = Start {
        sources: &loaded.sources,
        config,
        templates,
    };
    let mut started = Vec::new();
    for renderer in chosen {
        match renderer.start(&start) {
            Ok(s) => started.push((*renderer, s)),
            Err(d) => outcome.failed.push(d),
        }
    }
    started
}

struct Builder<'a> {
    templates: Option<&'a HtmlTemplates>,
    resolver: Resolver<'a>,
    config: &'a Config,
    started: &'a [Started<'a>],
    /// The downloads of every registered format that makes one, in registration order.
    downloads: Vec<DownloadKind>,
    /// Where a pack's files in a format are kept between builds, and the keys of this build.
    cache: Option<(&'a PackCache, Keys)>,
    /// What the output holds already (with the cache: files a key made that are there as made
    /// are linked, never read).
    present: Option<&'a Present>,
    times: RenderTimes,
}

impl Builder<'_> {
    fn run(&self, plan: &Plan, sink: &mut dyn Sink, outcome: &mut Outcome) {
        let batch = match plan.pace {
            Pace::Batches => rayon::current_num_threads().max(1) * 2,
            Pace::InTurn => plan.packs.len().max(1),
        };
        let renders = !self.started.is_empty() && outcome.failed.is_empty();
        for chunk in plan.packs.chunks(batch) {
            let started = Instant::now();
            let packs = self.resolve(chunk, outcome);
            outcome.timings.resolve += started.elapsed();
            if plan.formats.is_empty() {
                for pack in &packs {
                    let files = PackFiles {
                        id: pack.id(),
                        files: Vec::new(),
                        held: Vec::new(),
                    };
                    self.hand_over(pack, Ok(files), sink, outcome);
                }
                continue;
            }
            if !renders || outcome.unresolved() || !outcome.failed.is_empty() {
                continue;
            }
            if let Some(previous) = plan.preview
                && self.preview(&packs, previous, sink, outcome)
            {
                outcome.previewed = true;
            }
            match plan.pace {
                Pace::Batches => {
                    let made: Vec<_> = packs.par_iter().map(|p| self.render(p)).collect();
                    for (pack, made) in packs.iter().zip(made) {
                        self.hand_over(pack, made, sink, outcome);
                    }
                    if plan.packs.len() > batch {
                        self.started.iter().for_each(|(_, r)| r.trim());
                    }
                }
                Pace::InTurn => {
                    for pack in &packs {
                        let made = self.render(pack);
                        self.hand_over(pack, made, sink, outcome);
                    }
                }
            }
        }
    }

    /// Resolves some packs in parallel; what each found goes to the outcome.
    fn resolve(&self, ids: &[PackId], outcome: &mut Outcome) -> Vec<Pack> {
        let resolved: Vec<(Pack, Vec<Diagnostic>)> = ids
            .par_iter()
            .filter_map(|id| {
                let mut diagnostics = Diagnostics::default();
                let pack = resolve(&self.resolver, id, &mut diagnostics)?;
                Some((pack, diagnostics.sorted()))
            })
            .collect();
        let mut packs = Vec::with_capacity(resolved.len());
        for (pack, found) in resolved {
            outcome.found.push((pack.id(), found));
            packs.push(pack);
        }
        packs
    }

    /// One pack's files in every format of the plan.
    fn render(&self, pack: &Pack) -> Result<PackFiles, Vec<Diagnostic>> {
        let mut downloads = self.no_downloads();
        let mut files = Vec::new();
        let mut held = Vec::new();
        let dir = pack.dir();
        for (renderer, started) in self.started {
            let began = Instant::now();
            let seen = pack_for(pack, renderer.name());
            let made = match &self.cache {
                None => started.render(&seen, &downloads)?,
                Some((cache, keys)) => {
                    let key = keys.of(&seen, renderer.name(), &downloads);
                    // The output has exactly what this key made: linked from there.
                    let there = |files: &[Held]| self.present.is_some_and(|p| p.holds(&dir, files));
                    if let Some(kept) = cache.held(&key, there) {
                        self.times.add(renderer.name(), began.elapsed());
                        let names = kept.iter().map(|h| (h.name.as_str(), h.bytes as usize));
                        offer(*renderer, names, &mut downloads);
                        held.extend(kept);
                        continue;
                    }
                    match cache.get(&key) {
                        Some(kept) => kept,
                        None => {
                            let made = started.render(&seen, &downloads)?;
                            cache.put(&key, &made);
                            made
                        }
                    }
                }
            };
            self.times.add(renderer.name(), began.elapsed());
            let names = made.iter().map(|(n, b)| (n.as_str(), b.len()));
            offer(*renderer, names, &mut downloads);
            files.extend(made);
        }
        Ok(PackFiles {
            id: pack.id(),
            files,
            held,
        })
    }

    fn no_downloads(&self) -> Vec<Download> {
        self.downloads
            .iter()
            .map(|&kind| Download { kind, file: None })
            .collect()
    }

    /// The quick formats of every pack, beside the slow formats' files of the last build;
    /// handed over, then the sink's preview step. False when there is no preview to make
    /// (no slow or no quick format, or some pack has no files of a slow format yet).
    fn preview(
        &self,
        packs: &[Pack],
        previous: &BTreeMap<String, PackFiles>,
        sink: &mut dyn Sink,
        outcome: &mut Outcome,
    ) -> bool {
        let slow = |r: &&Started| r.0.slow();
        if !self.started.iter().any(|r| slow(&r)) || self.started.iter().all(|r| slow(&r)) {
            return false;
        }
        let mut kept: Vec<BTreeMap<&str, Files>> = Vec::new();
        for pack in packs {
            let mut of_pack = BTreeMap::new();
            for (renderer, _) in self.started.iter().filter(slow) {
                let Some(names) = renderer.names(pack, self.config) else {
                    return false;
                };
                let Some(old) = previous.get(&pack.dir()) else {
                    return false;
                };
                let mut files = Vec::new();
                for name in names {
                    let Some((_, bytes)) = old.files.iter().find(|(n, _)| *n == name) else {
                        return false;
                    };
                    files.push((name, bytes.clone()));
                }
                of_pack.insert(renderer.name(), files);
            }
            kept.push(of_pack);
        }
        let made: Vec<Result<PackFiles, Vec<Diagnostic>>> = packs
            .par_iter()
            .zip(kept.par_iter())
            .map(|(pack, kept)| {
                let mut downloads = self.no_downloads();
                let mut files = Vec::new();
                for (renderer, started) in self.started {
                    let made = match kept.get(renderer.name()) {
                        Some(old) => old.clone(),
                        None => started.render(&pack_for(pack, renderer.name()), &downloads)?,
                    };
                    let names = made.iter().map(|(n, b)| (n.as_str(), b.len()));
                    offer(*renderer, names, &mut downloads);
                    files.extend(made);
                }
                Ok(PackFiles {
                    id: pack.id(),
                    files,
                    held: Vec::new(),
                })
            })
            .collect();
        for (pack, made) in packs.iter().zip(made) {
            self.hand_over(pack, made, sink, outcome);
        }
        if !outcome.failed.is_empty() {
            return false;
        }
        let Some(templates) = self.templates else {
            return false;
        };
        match sink.preview_done(templates, &outcome.found) {
            Ok(()) => true,
            Err(d) => {
                outcome.failed.push(d);
                false
            }
        }
    }

    /// Gives a pack's files to the sink, unless something failed before.
    fn hand_over(
        &self,
        pack: &Pack,
        made: Result<PackFiles, Vec<Diagnostic>>,
        sink: &mut dyn Sink,
        outcome: &mut Outcome,
    ) {
        match made {
            Ok(files) if outcome.failed.is_empty() => {
                let count = files.files.len() + files.held.len();
                let began = Instant::now();
                let added = sink.add(pack, files);
                outcome.timings.hand_over += began.elapsed();
                match added {
                    Ok(()) => {
                        outcome.packs += 1;
                        outcome.files += count;
                    }
                    Err(d) => outcome.failed.push(d),
                }
            }
            Ok(_) => {}
            Err(found) => outcome.failed.extend(found),
        }
    }
}

/// A format's download of a pack, for the formats after it: its first file with the
/// download's ending, by name and size.
fn offer<'n>(
    renderer: &dyn Renderer,
    mut made: impl Iterator<Item = (&'n str, usize)>,
    downloads: &mut [Download],
) {
    let Some(kind) = renderer.download() else {
        return;
    };
    if let Some(download) = downloads.iter_mut().find(|d| d.kind == kind) {
        download.file = made
            .find(|(name, _)| name.ends_with(kind.ending))
            .map(|(name, size)| (name.to_string(), size));
    }
}

/// Resolves one pack, or the reviewer's copy ([`PackId::review`], when no audience has its
/// id); `None` when the project has no such audience or area.
fn resolve(resolver: &Resolver, id: &PackId, diagnostics: &mut Diagnostics) -> Option<Pack> {
    let project = resolver.project;
    let Some(audience) = project.config.audience(&id.audience) else {
        return id.is_review().then(|| resolver.review(diagnostics));
    };
    let area = match &id.area {
        None => None,
        Some(area) => Some(project.areas.iter().find(|a| &a.id == area)?),
    };
    Some(resolver.pack(audience, area, diagnostics))
}
