//! Where the builder hands each pack's files: the staged output ([`Staged`], for `build`,
//! `release` and watch mode), a hashing sink that writes nothing ([`Hashed`], for
//! `release --verify`), or nowhere ([`Discard`], for `check`); [`Snapshots`] keeps the text of
//! each pack besides (for a release record and `diff`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::hash::sha256_hex;
use crate::model::Framework;
use crate::output::{ManifestEntry, PackFiles, Staging, write_error};
use crate::pack_id::PackId;
use crate::release::Snapshot;
use crate::render::HtmlTemplates;
use crate::resolve::{Pack, snapshot};

/// What takes the packs a build makes.
pub trait Sink {
    /// One pack's files (none when the plan has no formats).
    fn add(&mut self, pack: &Pack, files: PackFiles) -> Result<(), Diagnostic>;

    /// A preview's packs have all been added (see `Plan::preview`); the same packs come again
    /// with every format. `found` is what resolving them found. Default: nothing.
    fn preview_done(
        &mut self,
        _templates: &HtmlTemplates,
        _found: &[(PackId, Vec<Diagnostic>)],
    ) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// Keeps nothing.
pub struct Discard;

impl Sink for Discard {
    fn add(&mut self, _pack: &Pack, _files: PackFiles) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// Stages each pack's files in the output as it comes (memory stays flat); the caller
/// commits or abandons the staging.
pub struct Staged<'a> {
    pub out: &'a Path,
    pub staging: Staging,
    /// What the output holds of some packs, by folder, when known (watch mode): unchanged
    /// files are linked, not written again.
    pub published: Option<&'a BTreeMap<String, PackFiles>>,
}

impl Sink for Staged<'_> {
    fn add(&mut self, _pack: &Pack, files: PackFiles) -> Result<(), Diagnostic> {
        let published = self.published.and_then(|p| p.get(&files.dir()));
        self.staging
            .add(&files, published)
            .map_err(|err| write_error(self.out, &err))
    }
}

/// Hashes each file and lets it go: the manifest entries a build would write, by path.
#[derive(Default)]
pub struct Hashed {
    pub entries: BTreeMap<String, ManifestEntry>,
}

impl Sink for Hashed {
    fn add(&mut self, _pack: &Pack, files: PackFiles) -> Result<(), Diagnostic> {
        for (rel, bytes) in &files.files {
            let path = format!("{}/{rel}", files.dir());
            self.entries.insert(
                path.clone(),
                ManifestEntry {
                    path,
                    sha256: sha256_hex(bytes),
                    bytes: bytes.len() as u64,
                    audience: files.id.audience.clone(),
                    area: files.id.area.clone(),
                },
            );
        }
        Ok(())
    }
}

/// Keeps the snapshot (text) of every pack, and hands its files on.
pub struct Snapshots<'a, S: Sink> {
    pub inner: S,
    pub framework: &'a Framework,
    pub snapshots: Vec<Snapshot>,
}

impl<'a, S: Sink> Snapshots<'a, S> {
    pub fn new(inner: S, framework: &'a Framework) -> Self {
        Snapshots {
            inner,
            framework,
            snapshots: Vec::new(),
        }
    }

    /// The snapshots, in the order of their pack folders (as a release records them).
    pub fn sorted(&self) -> Vec<Snapshot> {
        let mut snapshots = self.snapshots.clone();
        snapshots.sort_by(|a, b| a.pack.cmp(&b.pack));
        snapshots
    }
}

impl<S: Sink> Sink for Snapshots<'_, S> {
    fn add(&mut self, pack: &Pack, files: PackFiles) -> Result<(), Diagnostic> {
        self.snapshots.push(snapshot(pack, self.framework));
        self.inner.add(pack, files)
    }

    fn preview_done(
        &mut self,
        templates: &HtmlTemplates,
        found: &[(PackId, Vec<Diagnostic>)],
    ) -> Result<(), Diagnostic> {
        self.inner.preview_done(templates, found)
    }
}

/// Keeps every pack and its files in memory (for tests and small projects).
#[derive(Default)]
pub struct Kept {
    pub packs: Vec<Pack>,
    pub files: Vec<PackFiles>,
}

impl Sink for Kept {
    fn add(&mut self, pack: &Pack, files: PackFiles) -> Result<(), Diagnostic> {
        self.packs.push(pack.clone());
        self.files.push(files);
        Ok(())
    }
}
