//! The pack cache: a pack's files in one format, kept under a key that covers everything that
//! reaches them, so that a build whose pack has not changed takes its files instead of
//! rendering it again (a PDF is most of a build's time).
//!
//! The key ([`Keys::of`]) is the sha256 of
//! - guidepack's own code (`GUIDEPACK_BUILD_ID`, made by `build.rs` from `src/`, `templates/`
//!   and the locked dependencies), and the cache's own format;
//! - the *render inputs* ([`Keys::new`]): the configuration the output shows, and every file of
//!   the project that a renderer may read — all but the Markdown and TOML under `content/`
//!   and the release records under `releases/`, which reach a renderer only through the
//!   resolved pack;
//! - the format's name and the downloads of the formats before it (the PDF's name and size,
//!   which the HTML pages link to);
//! - the resolved pack itself, as its `Debug` text (every field of every part of it, by
//!   construction: a field added later is in the key without anyone remembering to add it).
//!
//! So a change to a chapter, the framework or an area reaches only the packs whose resolved
//! text it changes; a change to a template, a font, an image or `guidepack.toml` reaches every
//! pack. What is stored is checked when read ([`store`]): a damaged or cut-short entry is a
//! miss, never bytes served. The cache is an optimisation only: any failure to read or write it
//! leaves the build as it would be without it.

mod store;

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::model::Config;
use crate::output::Held;
use crate::render::{Download, Files};
use crate::resolve::Pack;
use crate::sources::{SourceSet, read_folder_holding};

pub use store::DEFAULT_LIMIT;

/// The folder of the cache in a project, unless `--cache` names another.
pub const DEFAULT_DIR: &str = ".guidepack-cache";

/// What the command line asks of the cache.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Choice {
    /// `<project>/.guidepack-cache/`.
    #[default]
    InProject,
    /// `--cache DIR`.
    At(PathBuf),
    /// `--no-cache`.
    Off,
}

impl Choice {
    /// The cache this choice opens for a project at `root`, if any. A folder inside one that
    /// guidepack reads (`content/`, `templates/`, `fonts/`, `releases/`) is refused: the
    /// cache would become part of the sources.
    pub fn open(&self, root: &Path) -> Result<Option<PackCache>, Diagnostic> {
        let dir = match self {
            Choice::InProject => root.join(DEFAULT_DIR),
            Choice::At(dir) => dir.clone(),
            Choice::Off => return Ok(None),
        };
        if let Some(folder) = read_folder_holding(root, &dir) {
            return Err(Diagnostic::error(format!(
                "the cache folder `{}` is inside the project's `{folder}/` folder, which guidepack reads",
                dir.display()
            ))
            .help("pass `--cache` a folder outside it, or leave it out to use `.guidepack-cache/`"));
        }
        Ok(Some(PackCache::new(dir, DEFAULT_LIMIT)))
    }
}

/// A cache folder and what one build took from it and gave it.
pub struct PackCache {
    store: store::Store,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

/// How a build used the cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Used {
    /// Pack files in one format taken from the cache.
    pub hits: usize,
    /// Rendered, and stored.
    pub misses: usize,
}

impl PackCache {
    /// A cache in `dir`, kept under `limit` bytes (the least recently used entries go first).
    /// Nothing is made on disk until something is stored.
    pub fn new(dir: PathBuf, limit: u64) -> PackCache {
        PackCache {
            store: store::Store { dir, limit },
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    /// The files stored under `key`, if any are and they are whole.
    pub fn get(&self, key: &Key) -> Option<Files> {
        let found = self.store.get(&key.hex());
        match found {
            Some(_) => self.hits.fetch_add(1, Ordering::Relaxed),
            None => self.misses.fetch_add(1, Ordering::Relaxed),
        };
        found
    }

    /// Stores `files` under `key` (silently not, when the folder cannot be written).
    /// What the entry of `key` holds, without its bytes, when `there` says the output has
    /// exactly those files already: the build links them from the output (counted as taken
    /// from the cache). `None` otherwise, and the build reads the entry.
    pub fn held(&self, key: &Key, there: impl Fn(&[Held]) -> bool) -> Option<Vec<Held>> {
        let hex = key.hex();
        let held = self.store.held(&hex).filter(|held| there(held))?;
        self.store.used(&hex);
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(held)
    }

    pub fn put(&self, key: &Key, files: &Files) {
        self.store.put(&key.hex(), files);
    }

    /// Drops the least recently used entries until the cache is under its limit.
    pub fn trim(&self) {
        self.store.trim();
    }

    /// The cache's folder.
    pub fn dir(&self) -> &Path {
        &self.store.dir
    }

    pub fn used(&self) -> Used {
        Used {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }
}

/// The key of one pack's files in one format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl Key {
    fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// What every key of one build shares: guidepack's code and the render inputs.
#[derive(Clone, Copy, Debug)]
pub struct Keys {
    inputs: [u8; 32],
}

/// Bumped when what is stored, or how keys are made, changes.
const FORMAT: &str = "guidepack-pack-cache/1";

impl Keys {
    /// The keys of a build that renders with `config` from `sources`.
    pub fn new(sources: &SourceSet, config: &Config) -> Keys {
        let mut hasher = Hasher::default();
        hasher.part(FORMAT.as_bytes());
        hasher.part(env!("GUIDEPACK_BUILD_ID").as_bytes());
        hasher.part(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.debug(config);
        let files = (sources.texts.iter().map(|(p, t)| (p, t.as_bytes())))
            .chain(sources.binaries.iter().map(|(p, b)| (p, b.as_slice())));
        let mut files: Vec<(&String, &[u8])> =
            files.filter(|(p, _)| read_by_renderers(p)).collect();
        files.sort_by(|a, b| a.0.cmp(b.0));
        for (path, bytes) in files {
            hasher.part(path.as_bytes());
            hasher.part(bytes);
        }
        Keys {
            inputs: hasher.finish(),
        }
    }

    /// The key of `pack` (as the format sees it) rendered in `format` after `downloads`.
    pub fn of(&self, pack: &Pack, format: &str, downloads: &[Download]) -> Key {
        let mut hasher = Hasher::default();
        hasher.part(&self.inputs);
        hasher.part(format.as_bytes());
        hasher.debug(&downloads);
        hasher.debug(pack);
        Key(hasher.finish())
    }
}

/// Whether a renderer may read a project file directly (not through the resolved pack).
fn read_by_renderers(path: &str) -> bool {
    let parsed = path.starts_with("content/") && (path.ends_with(".md") || path.ends_with(".toml"));
    !(parsed || path.starts_with("releases/"))
}

/// A sha256 over parts, each with its length before it (so two parts never read as one).
#[derive(Default)]
struct Hasher(Sha256);

impl Hasher {
    fn part(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    /// A value's `Debug` text, streamed into the hash (never held whole), then its end.
    fn debug(&mut self, value: &dyn fmt::Debug) {
        let mut stream = Stream(&mut self.0, 0);
        // Writing to a hash cannot fail.
        let _ = write!(stream, "{value:?}");
        let written = stream.1;
        self.0.update(written.to_le_bytes());
    }

    fn finish(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

struct Stream<'a>(&'a mut Sha256, u64);

impl fmt::Write for Stream<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        self.1 += s.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
