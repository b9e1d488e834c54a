//! What a build is asked to make: the command line's selection and options, and the [`Plan`]
//! the builder runs — which packs, which formats, at what pace.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::output::PackFiles;
use crate::pack_id::PackId;
use crate::sources;

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

/// What `build`, `watch` and `serve` are asked for on the command line.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    pub selection: Selection,
    /// Format names (`render::registry`); empty means every format.
    pub formats: Vec<String>,
    /// Default: `<project>/output`.
    pub out: Option<PathBuf>,
    pub jobs: Option<usize>,
    /// `--cache DIR` or `--no-cache`; default `<project>/.guidepack-cache/`.
    pub cache: crate::cache::Choice,
    /// `--quiet`: no progress while building and no time summary.
    pub quiet: bool,
    /// `--shard i/n`: this machine's share of the packs, into the shard's own folder.
    pub shard: Option<super::shard::Shard>,
}

impl BuildOptions {
    /// The output folder: `--out`, or `<project>/output` (a shard's: `<project>/shards/<i>-of-<n>`). Refused when it is the project folder
    /// or lies inside a folder guidepack reads (`content/`, `templates/`, `fonts/`, `releases/`): every
    /// build would change its own sources, and `watch` would rebuild forever.
    pub fn output_dir(&self, root: &Path) -> Result<PathBuf, Diagnostic> {
        let default = self.shard.map_or("output".to_string(), |s| s.folder());
        let out = self.out.clone().unwrap_or_else(|| root.join(default));
        let is_root = sources::real_path(root).is_some_and(|r| Some(r) == sources::real_path(&out));
        let message = match sources::read_folder_holding(root, &out) {
            Some(dir) => format!(
                "the output folder `{}` is inside the project's `{dir}/` folder, which guidepack reads: each build would change its own sources",
                out.display()
            ),
            None if is_root => format!(
                "the output folder `{}` is the project folder itself",
                out.display()
            ),
            None => return Ok(out),
        };
        Err(Diagnostic::error(message)
            .help("pass `--out` a folder outside them, or leave it out to use `output/`"))
    }
}

/// How packs are rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// Two packs per thread at once, resolved and rendered a batch at a time, the renderers'
    /// caches trimmed between batches: memory stays flat however many packs a build has.
    Batches,
    /// Every pack resolved at once, then rendered one after another (each PDF still laid out
    /// on every thread), the caches kept for the next call: for a long-lived process (watch
    /// mode), which rebuilds few packs. Compiling several packs at once made such a process
    /// grow by about 0.4 MB a rebuild (four packs; Typst's state outside its memo cache); one
    /// at a time it stays flat.
    InTurn,
}

/// What the builder runs.
pub struct Plan<'a> {
    /// The packs, in the order they are built.
    pub packs: Vec<PackId>,
    /// The formats, by registered name; none to resolve only (`check`, `diff`).
    pub formats: Vec<String>,
    pub pace: Pace,
    /// A preview first (watch mode): the files of each pack as last published, by pack
    /// folder. When every slow format's files of every pack are there, the quick formats
    /// are made first and handed over beside those files ([`super::Sink::preview_done`]),
    /// then every format.
    pub preview: Option<&'a BTreeMap<String, PackFiles>>,
    /// Where packs whose inputs have not changed are taken from instead of rendered (see
    /// [`crate::cache`]); none for `check`, `diff` and `release --verify`.
    pub cache: Option<&'a crate::cache::PackCache>,
    /// What the output holds of this version already (a build into it, with the cache): a
    /// pack whose key made exactly those files is linked from there, never read again.
    pub present: Option<&'a crate::output::Present>,
}

impl<'a> Plan<'a> {
    /// A plan that resolves these packs, for what resolving finds, and makes nothing (`check`,
    /// `diff`, a refused build, weighing packs for shards).
    pub fn resolving(packs: Vec<PackId>) -> Plan<'a> {
        Plan {
            packs,
            formats: Vec::new(),
            pace: Pace::Batches,
            preview: None,
            cache: None,
            present: None,
        }
    }
}

/// Every pack of a project: each audience nationally and in each area.
pub fn all_packs(project: &Project) -> Vec<PackId> {
    let mut packs = Vec::new();
    for area in std::iter::once(None).chain(project.areas.iter().map(|a| Some(a.id.as_str()))) {
        for audience in &project.config.audiences {
            packs.push(PackId::new(&audience.id, area));
        }
    }
    packs
}

/// The packs a selection names, or why it is wrong (an error without a place).
pub fn selected_packs(project: &Project, selection: &Selection) -> Result<Vec<PackId>, Diagnostic> {
    let config = &project.config;
    for id in &selection.audiences {
        if config.audience(id).is_none() {
            let known: Vec<&str> = config.audiences.iter().map(|a| a.id.as_str()).collect();
            return Err(Diagnostic::error(format!(
                "there is no audience `{id}`; the audiences are {}",
                known.join(", ")
            )));
        }
    }
    for id in &selection.areas {
        if !project.areas.iter().any(|a| &a.id == id) {
            let known: Vec<&str> = project.areas.iter().map(|a| a.id.as_str()).collect();
            return Err(Diagnostic::error(if known.is_empty() {
                format!(
                    "there is no area `{id}`: this project has no local areas yet (each is a folder content/areas/<id>/ with an area.toml)"
                )
            } else {
                format!(
                    "there is no area `{id}`; the areas are {}",
                    known.join(", ")
                )
            }));
        }
    }
    let audiences: Vec<&str> = config
        .audiences
        .iter()
        .filter(|a| selection.audiences.is_empty() || selection.audiences.contains(&a.id))
        .map(|a| a.id.as_str())
        .collect();
    let national = selection.national || selection.all_areas || selection.areas.is_empty();
    let mut packs = Vec::new();
    if national {
        packs.extend(audiences.iter().map(|a| PackId::new(a, None)));
    }
    let areas = project
        .areas
        .iter()
        .filter(|a| selection.all_areas || selection.areas.contains(&a.id));
    for area in areas {
        packs.extend(audiences.iter().map(|a| PackId::new(a, Some(&area.id))));
    }
    Ok(packs)
}
