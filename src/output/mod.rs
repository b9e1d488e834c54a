//! Output: the only stage that writes. A build's files are staged in full beside the output,
//! then put in place by a journalled swap ([`journal`]), so a failed or killed build leaves the
//! previous output whole; nothing is ever written through a symbolic link ([`safe`]).

mod banner;
mod journal;
mod manifests;
mod present;
mod released;
mod safe;
pub mod shard;
mod versions_list;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
pub use crate::hash::sha256_hex;
use crate::pack_id::PackId;
use crate::version::Version;

pub use banner::{BannerFn, Marks, mark_older_versions};
pub use journal::{Journal, JournalDamaged, Move, commit as commit_journal, crash_point, recover};
pub use present::{Held, Present};
pub use released::{NotAsReleased, Record};
pub use safe::{LinkRefused, create_dirs, replace_file, replace_file_under};
pub use versions_list::{OtherVersion, VersionsFn};

/// The files of one pack, by path relative to the pack folder.
#[derive(Clone, Debug)]
pub struct PackFiles {
    /// The pack; its folder under `<version>/` is `id.dir()`.
    pub id: PackId,
    pub files: Vec<(String, Vec<u8>)>,
    /// Files the output already holds byte for byte (see [`Present`]): linked from there, never
    /// read. Only a build that asks for them (`Plan::present`) has any.
    pub held: Vec<Held>,
}

/// One artifact in `manifest.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ManifestEntry {
    /// Relative to `output/<version>/`.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    pub audience: String,
    pub area: Option<String>,
}

/// `output/<version>/manifest.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub version: Version,
    pub date: String,
    pub generator: String,
    pub artifacts: Vec<ManifestEntry>,
}

impl PackFiles {
    /// The pack's folder under `<version>/`.
    pub fn dir(&self) -> String {
        self.id.dir()
    }

    /// The pack's files by name, to ask of each file of a new build whether this pack had it
    /// with the same bytes ([`PackFiles::holds`]); made once per pack, as a search of the list
    /// for every file would cost the square of a pack's pages.
    pub fn by_name(&self) -> HashMap<&str, &[u8]> {
        self.files
            .iter()
            .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
            .collect()
    }

    /// Whether `files` (from [`PackFiles::by_name`]) has a file `rel` with exactly these bytes.
    pub fn holds(files: &HashMap<&str, &[u8]>, rel: &str, bytes: &[u8]) -> bool {
        files.get(rel).is_some_and(|before| *before == bytes)
    }
}

impl Manifest {
    /// The area whose released edition this version folder is (`output/1.0.0-kent.2/`,
    /// written by `release --area kent`): its version reads as an edition of that area and it
    /// holds that area's packs only. Such a folder is never rewritten (no "newer version"
    /// banner) and is never the site's latest version.
    pub fn area_edition(&self) -> Option<&str> {
        let area = self.version.edition_area()?;
        let only_area = !self.artifacts.is_empty()
            && (self.artifacts.iter()).all(|a| a.area.as_deref() == Some(area));
        only_area.then_some(area)
    }

    /// The packs the manifest lists.
    pub fn packs(&self) -> Vec<PackId> {
        let mut packs: Vec<PackId> = self.artifacts.iter().map(ManifestEntry::pack).collect();
        packs.dedup();
        packs.sort();
        packs.dedup();
        packs
    }
}

impl ManifestEntry {
    /// The pack the artifact belongs to.
    pub fn pack(&self) -> PackId {
        PackId::new(&self.audience, self.area.as_deref())
    }
}

/// Which of a pack folder's files a build makes. The files it does not make stay in each
/// pack's folder as they were (and in the manifest): `build --format html` keeps the pack's
/// PDF. Which file belongs to which format is the renderers' to say (`render::registry`).
pub enum Made {
    /// Every file of the pack.
    All,
    /// The files (by path in the pack folder) for which this says true.
    Only(Box<dyn Fn(&str) -> bool + Send + Sync>),
}

impl Made {
    /// Whether a build that makes these formats makes the file `rel` of a pack folder.
    pub fn makes(&self, rel: &str) -> bool {
        match self {
            Made::All => true,
            Made::Only(makes) => makes(rel),
        }
    }

    fn is_all(&self) -> bool {
        matches!(self, Made::All)
    }
}

/// Files in the output folder's top level that a build replaces (see `pipeline`).
const SITE_FILES: [&str; 2] = ["index.html", "style.css"];

/// Reads a version's manifest, if the version folder has one (never through a link); a
/// damaged one is made again from the folder's files (see [`manifests`]).
pub fn read_manifest(out: &Path, version: &str) -> Option<Manifest> {
    manifests::read(out, version).map(|found| found.manifest)
}

/// The files of a version folder as they are on disk (regular files inside pack folders,
/// links and hidden files left out), each hashed, by path relative to the folder.
pub fn files_on_disk(out: &Path, version: &str) -> Vec<ManifestEntry> {
    manifests::artifacts_on_disk(&out.join(version))
}

/// Every version in the output folder that has a manifest, in no particular order; a damaged
/// manifest is made again from its folder's files. A version folder that is a link is left
/// out ([`mark_older_versions`] names it).
pub fn versions(out: &Path) -> Vec<Manifest> {
    manifests::all(out)
        .into_iter()
        .map(|f| f.manifest)
        .collect()
}

/// The error for a failed write to the output folder, in plain words; a diagnostic carried
/// inside it (a template that failed while the output was written) as it is.
pub fn write_error(out: &Path, err: &io::Error) -> Diagnostic {
    if let Some(carried) = err.get_ref().and_then(|e| e.downcast_ref::<Diagnostic>()) {
        return carried.clone();
    }
    if let Some(differs) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<NotAsReleased>())
    {
        return Diagnostic::error(format!(
            "cannot build version {} as released: {differs}; the released files in `{}` are kept as they were",
            differs.version,
            out.join(&differs.version).display()
        ))
        .help(format!(
            "this is a bug in guidepack: please report it; `guidepack release --verify {}` lists every difference",
            differs.version
        ));
    }
    if let Some(in_the_way) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<manifests::ManifestInTheWay>())
    {
        return Diagnostic::error(format!("cannot write the output: {in_the_way}")).help(format!(
            "remove `{}`: the next build writes the list again from the files of every pack",
            in_the_way.path.display()
        ));
    }
    if let Some(journal) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<JournalDamaged>())
    {
        return Diagnostic::error(journal.to_string()).help(format!(
            "an earlier build was stopped while it put its files in place, and its list of what it was doing cannot be followed: remove `{}`, then build every version you publish again, as pages in `{}` may be half old and half new",
            journal.path.display(),
            out.display()
        ));
    }
    if let Some(link) = err.get_ref().and_then(|e| e.downcast_ref::<LinkRefused>()) {
        return Diagnostic::error(format!("cannot write the output: {link}")).help(
            "guidepack writes only real folders and files in its output folder: remove the link (what it points to is not touched), or pass --out with another folder",
        );
    }
    Diagnostic::error(format!(
        "cannot write the output in `{}`: {err}",
        out.display()
    ))
    .help("check that the folder can be written to and that the disk is not full")
}

/// What a publish did: the version's manifest now, and warnings (a repaired output, a file
/// not kept because it is a link).
#[derive(Debug)]
pub struct Committed {
    pub manifest: Manifest,
    pub warnings: Vec<Diagnostic>,
}

/// Writes a version's packs: stages them, then swaps each pack folder in, and rewrites the
/// manifest with these packs in place of their previous artifacts. `published` holds what the
/// output already has of some packs (watch mode knows it): files with the same bytes are
/// linked from the output instead of written and hashed again.
pub fn publish(
    out: &Path,
    manifest_base: Manifest,
    packs: &[PackFiles],
    published: &BTreeMap<String, PackFiles>,
    made: Made,
) -> io::Result<Committed> {
    let mut staging = Staging::new(out, manifest_base, made)?;
    for pack in packs {
        staging.add(pack, published.get(&pack.dir()))?;
    }
    staging.commit()
}

/// A version's output being written: packs are staged one by one in a folder beside the
/// output (so a build need not hold them all in memory), then swapped in together by
/// [`Staging::commit`]. Until then the previous output is untouched.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    base: Manifest,
    made: Made,
    /// The staged folder replaces the whole version folder (a release), not pack by pack.
    whole: bool,
    entries: BTreeMap<String, ManifestEntry>,
    packs: Vec<String>,
    /// The artifacts of the version's manifest in the output now, by path.
    current: Option<BTreeMap<String, ManifestEntry>>,
    /// For the released place: the record every staged file must match.
    record: Option<Record>,
    /// Folders of the output's top level that this publish removes (a stale working copy).
    retired: Vec<String>,
    warnings: Vec<Diagnostic>,
}

impl Staging {
    /// Staging for some packs of a version; the version's other packs stay.
    pub fn new(out: &Path, base: Manifest, made: Made) -> io::Result<Self> {
        Self::open(out, base, made, false)
    }

    /// Staging for a whole version: what the output had of it goes (a release).
    pub fn whole_version(out: &Path, base: Manifest) -> io::Result<Self> {
        Self::open(out, base, Made::All, true)
    }

    fn open(out: &Path, base: Manifest, made: Made, whole: bool) -> io::Result<Self> {
        if safe::is_link(out) {
            return Err(safe::refused(out));
        }
        fs::create_dir_all(out)?;
        // An interrupted publish is finished or undone before anything else.
        let warnings = recover(out)?;
        safe::check_no_links(out, Path::new(&base.version))?;
        for name in SITE_FILES {
            if safe::is_link(&out.join(name)) {
                return Err(safe::refused(&out.join(name)));
            }
        }
        if !whole {
            manifests::check_place(out, &base.version)?;
        }
        let dir = out.join(format!(".staging-{}", base.version));
        safe::clear(&dir)?;
        fs::create_dir(&dir)?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            base,
            made,
            whole,
            entries: BTreeMap::new(),
            packs: Vec::new(),
            current: None,
            record: None,
            retired: Vec::new(),
            warnings,
        })
    }

    /// Makes this the staging of a released version: every file added must be the recorded
    /// one (or the whole publish is refused), and the manifest keeps no artifact the record
    /// does not list.
    pub fn as_released(&mut self, record: Record) {
        self.record = Some(record);
    }

    /// Removes the output's top-level folder `name` in the same publish, if it is there.
    pub fn retire(&mut self, name: &str) {
        self.retired.push(name.to_string());
    }

    fn version_dir(&self) -> PathBuf {
        self.out.join(&self.base.version)
    }

    /// Writes one pack's files into the staging folder. `published` is what the output holds
    /// of this pack, when the caller knows it: a file with the same bytes there is linked
    /// (a PDF of a megabyte is then neither written nor hashed again).
    pub fn add(&mut self, pack: &PackFiles, published: Option<&PackFiles>) -> io::Result<()> {
        if !self.whole {
            safe::check_no_links(&self.version_dir(), Path::new(&pack.dir()))?;
        }
        if self.stays_in_place(pack) {
            // Nothing of the pack changes: its folder stays as it is, and its manifest entries.
            for held in &pack.held {
                let path = format!("{}/{}", pack.dir(), held.name);
                let entry = self.current().get(&path).cloned();
                let entry = entry.ok_or_else(|| io::Error::other(format!("`{path}` went")))?;
                if let Some(record) = &self.record {
                    record.check(&entry)?;
                }
                self.entries.insert(path, entry);
            }
            return Ok(());
        }
        let published = published.map(PackFiles::by_name);
        for (rel, bytes) in &pack.files {
            let path = format!("{}/{rel}", pack.dir());
            let staged = self.dir.join(&path);
            // A file the output already holds byte for byte is linked, not written and hashed
            // again (a build from the pack cache changes few files). Without a record of what
            // was published, the file in the output is compared (`link_current` reads it).
            let unchanged = match &published {
                Some(old) => PackFiles::holds(old, rel, bytes),
                None => !self.whole,
            };
            let linked = if unchanged {
                self.link_current(&path, &staged, bytes)
            } else {
                None
            };
            let entry = match linked {
                Some(entry) => entry,
                None => {
                    safe::write_new(&staged, bytes)?;
                    ManifestEntry {
                        sha256: sha256_hex(bytes),
                        bytes: bytes.len() as u64,
                        audience: pack.id.audience.clone(),
                        area: pack.id.area.clone(),
                        path: path.clone(),
                    }
                }
            };
            if let Some(record) = &self.record {
                record.check(&entry)?;
            }
            self.entries.insert(path, entry);
        }
        for held in &pack.held {
            let path = format!("{}/{}", pack.dir(), held.name);
            let entry = self.link_held(&path, held)?;
            if let Some(record) = &self.record {
                record.check(&entry)?;
            }
            self.entries.insert(path, entry);
        }
        if !self.whole && !self.made.is_all() {
            self.keep_unmade(pack)?;
        }
        self.packs.push(pack.dir());
        Ok(())
    }

    /// Whether a pack is wholly what the output holds: every file it makes is held (see
    /// [`Present`]) and its folder has exactly the files the manifest lists for it, nothing more
    /// (a stray file or link would otherwise outlive the build). Such a pack is neither staged
    /// nor moved.
    fn stays_in_place(&mut self, pack: &PackFiles) -> bool {
        if self.whole || !pack.files.is_empty() || pack.held.is_empty() {
            return false;
        }
        let dir = pack.dir();
        let prefix = format!("{dir}/");
        let held: HashMap<&str, &Held> = pack.held.iter().map(|h| (h.name.as_str(), h)).collect();
        self.current();
        let Some(current) = self.current.as_ref() else {
            return false;
        };
        let listed: BTreeSet<&str> = (current.keys())
            .filter_map(|path| path.strip_prefix(&prefix))
            .collect();
        let made_listed: Vec<&str> = listed
            .iter()
            .copied()
            .filter(|rel| self.made.makes(rel))
            .collect();
        let all_held = made_listed.len() == held.len()
            && made_listed.iter().all(|rel| {
                let entry = &current[&format!("{prefix}{rel}")];
                (held.get(rel)).is_some_and(|h| h.bytes == entry.bytes && h.sha256 == entry.sha256)
            });
        all_held
            && safe::check_no_links(&self.version_dir(), Path::new(&dir)).is_ok()
            && files_under(&self.version_dir().join(&dir)).is_some_and(|found| {
                found.len() == listed.len() && found.iter().all(|f| listed.contains(f.as_str()))
            })
    }

    /// Links a file the output holds as made ([`Present::holds`] said so a moment ago) into
    /// the staged pack; its manifest entry.
    fn link_held(&mut self, path: &str, held: &Held) -> io::Result<ManifestEntry> {
        let version_dir = self.version_dir();
        safe::check_no_links(&version_dir, Path::new(path))?;
        let entry = self.current().get(path).cloned();
        let Some(entry) = entry.filter(|e| e.bytes == held.bytes && e.sha256 == held.sha256) else {
            return Err(io::Error::other(format!(
                "`{}` changed while guidepack was building: build again",
                version_dir.join(path).display()
            )));
        };
        let staged = self.dir.join(path);
        if let Some(parent) = staged.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::hard_link(version_dir.join(path), &staged)?;
        Ok(entry)
    }

    /// The manifest in the output now, by path (read once; made again from the version
    /// folder, with a warning, when it is damaged).
    fn current(&mut self) -> &BTreeMap<String, ManifestEntry> {
        let (out, version) = (&self.out, &self.base.version);
        let warnings = &mut self.warnings;
        self.current.get_or_insert_with(|| {
            manifests::read(out, version)
                .map(|found| {
                    warnings.extend(found.remade);
                    found
                        .manifest
                        .artifacts
                        .into_iter()
                        .map(|a| (a.path.clone(), a))
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// Stages the files of the pack's formats this build does not make, as the output has
    /// them (linked, not copied), with their manifest entries. A file that went missing is
    /// dropped; one that is a link is left out, with a warning.
    fn keep_unmade(&mut self, pack: &PackFiles) -> io::Result<()> {
        let prefix = format!("{}/", pack.dir());
        self.current();
        let made = &self.made;
        let kept: Vec<ManifestEntry> = self
            .current
            .iter()
            .flat_map(BTreeMap::values)
            .filter(|a| {
                a.path
                    .strip_prefix(&prefix)
                    .is_some_and(|rel| !made.makes(rel))
            })
            .cloned()
            .collect();
        for mut entry in kept {
            if self.entries.contains_key(&entry.path) {
                continue;
            }
            let rel = Path::new(&entry.path);
            let live = self.version_dir().join(rel);
            if safe::check_no_links(&self.version_dir(), rel).is_err() {
                self.warnings.push(
                    Diagnostic::warning(format!(
                        "`{}` is a symbolic link: it was not kept in the new output",
                        live.display()
                    ))
                    .help("build this format again to put a real file there"),
                );
                continue;
            }
            if !safe::is_regular_file(&live) {
                continue;
            }
            let staged = self.dir.join(rel);
            if let Some(parent) = staged.parent() {
                fs::create_dir_all(parent)?;
            }
            if fs::hard_link(&live, &staged).is_err() {
                fs::copy(&live, &staged)?;
            }
            let bytes = fs::read(&staged)?;
            entry.sha256 = sha256_hex(&bytes);
            entry.bytes = bytes.len() as u64;
            self.entries.insert(entry.path.clone(), entry);
        }
        Ok(())
    }

    /// Links the output's file at `path` (relative to the version folder) to `staged`, when
    /// it holds `bytes` and the manifest in the output lists it; its manifest entry. `None`
    /// when it cannot be reused.
    fn link_current(&mut self, path: &str, staged: &Path, bytes: &[u8]) -> Option<ManifestEntry> {
        let entry = self.current().get(path)?.clone();
        let version_dir = self.version_dir();
        safe::check_no_links(&version_dir, Path::new(path)).ok()?;
        let live = version_dir.join(path);
        // Reading is much cheaper than hashing and writing, and nothing changed behind our back.
        if !safe::is_regular_file(&live)
            || entry.bytes != bytes.len() as u64
            || fs::read(&live).ok()? != bytes
        {
            return None;
        }
        fs::create_dir_all(staged.parent()?).ok()?;
        fs::hard_link(&live, staged).ok()?;
        Some(entry)
    }

    /// Drops what was staged; the output stays as it was.
    pub fn abandon(self) {
        let _ = safe::clear(&self.dir);
    }

    /// Puts the staged packs in place (each pack folder, or the whole version folder, by
    /// rename, as a journal lists them), then the manifest, which keeps the artifacts of packs
    /// this build did not make.
    pub fn commit(mut self) -> io::Result<Committed> {
        let version = self.base.version.clone();
        if !self.whole {
            let old: Vec<ManifestEntry> = self.current().values().cloned().collect();
            let version_dir = self.version_dir();
            let built: BTreeSet<&String> = self.packs.iter().collect();
            for entry in old {
                let dir = entry.pack().dir();
                let whole = safe::check_no_links(&version_dir, Path::new(&entry.path)).is_ok()
                    && safe::is_regular_file(&version_dir.join(&entry.path));
                let released = self.record.as_ref().is_none_or(|r| r.lists(&entry.path));
                if !built.contains(&dir) && whole && released {
                    self.entries.entry(entry.path.clone()).or_insert(entry);
                }
            }
        }
        let Staging {
            out,
            dir: staging,
            base,
            entries,
            packs,
            whole,
            warnings,
            retired,
            ..
        } = self;
        let manifest = Manifest {
            artifacts: entries.into_values().collect(),
            ..base
        };
        let json = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
        safe::write_new(&staging.join("manifest.json"), &json)?;

        let staged = format!(".staging-{version}");
        let trash = format!(".old-{version}");
        safe::clear(&out.join(&trash))?;
        let retire = retired
            .into_iter()
            .filter(|name| safe::exists(&out.join(name)))
            .map(|name| Move {
                new: name.clone(),
                target: format!("{trash}/{name}"),
                old: None,
            })
            .collect::<Vec<_>>();
        let mut journal = if whole {
            Journal {
                moves: vec![Move {
                    new: staged.clone(),
                    target: version.to_string(),
                    old: Some(format!("{trash}/{version}")),
                }],
                remove: vec![trash],
            }
        } else {
            let mut moves: Vec<Move> = packs
                .iter()
                .map(|pack| Move {
                    new: format!("{staged}/{pack}"),
                    target: format!("{version}/{pack}"),
                    old: Some(format!("{trash}/{pack}")),
                })
                .collect();
            moves.push(Move {
                new: format!("{staged}/manifest.json"),
                target: format!("{version}/manifest.json"),
                old: None,
            });
            Journal {
                moves,
                remove: vec![staged, trash],
            }
        };
        journal.moves.extend(retire);
        commit_journal(&out, &journal)?;
        Ok(Committed { manifest, warnings })
    }
}

/// The regular files under `dir`, by path relative to it; `None` when something there is
/// neither a file nor a folder (a link), or cannot be read.
fn files_under(dir: &Path) -> Option<Vec<String>> {
    let mut found = Vec::new();
    let mut folders = vec![String::new()];
    while let Some(rel) = folders.pop() {
        for entry in fs::read_dir(dir.join(&rel)).ok()? {
            let entry = entry.ok()?;
            let name = entry.file_name().into_string().ok()?;
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let kind = entry.file_type().ok()?;
            if kind.is_dir() {
                folders.push(path);
            } else if kind.is_file() {
                found.push(path);
            } else {
                return None;
            }
        }
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(dir: &str, text: &str) -> PackFiles {
        PackFiles {
            id: PackId::new(dir, None),
            files: vec![("index.html".to_string(), text.as_bytes().to_vec())],
            held: Vec::new(),
        }
    }

    fn base() -> Manifest {
        Manifest {
            version: Version::new("1.0.0"),
            date: "2013-03-28".into(),
            generator: "test".into(),
            artifacts: vec![],
        }
    }

    #[test]
    fn a_partial_build_keeps_the_other_packs_in_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        publish(
            dir.path(),
            base(),
            &[pack("a", "one"), pack("b", "two")],
            &BTreeMap::new(),
            Made::All,
        )
        .unwrap();
        let m = publish(
            dir.path(),
            base(),
            &[pack("a", "three")],
            &BTreeMap::new(),
            Made::All,
        )
        .unwrap()
        .manifest;
        assert_eq!(m.artifacts.len(), 2);
        assert_eq!(
            fs::read_to_string(dir.path().join("1.0.0/a/index.html")).unwrap(),
            "three"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("1.0.0/b/index.html")).unwrap(),
            "two"
        );
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["1.0.0"], "no staging left behind");
    }

    #[test]
    fn files_the_output_already_has_are_reused_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut first = pack("a", "contents");
        first
            .files
            .push(("big.pdf".to_string(), b"%PDF old".to_vec()));
        publish(
            dir.path(),
            base(),
            &[first.clone()],
            &BTreeMap::new(),
            Made::All,
        )
        .unwrap();
        let published: BTreeMap<String, PackFiles> = [("a".to_string(), first)].into();

        // The PDF is unchanged, the page is new.
        let mut second = pack("a", "new contents");
        second
            .files
            .push(("big.pdf".to_string(), b"%PDF old".to_vec()));
        let m = publish(dir.path(), base(), &[second.clone()], &published, Made::All)
            .unwrap()
            .manifest;
        let read = |rel: &str| fs::read(dir.path().join("1.0.0/a").join(rel)).unwrap();
        assert_eq!(read("index.html"), b"new contents");
        assert_eq!(read("big.pdf"), b"%PDF old");
        for entry in &m.artifacts {
            let bytes = fs::read(dir.path().join("1.0.0").join(&entry.path)).unwrap();
            assert_eq!(entry.sha256, sha256_hex(&bytes), "{}", entry.path);
            assert_eq!(entry.bytes, bytes.len() as u64, "{}", entry.path);
        }

        // A file that went from the output is written again, not lost.
        fs::remove_file(dir.path().join("1.0.0/a/big.pdf")).unwrap();
        let published: BTreeMap<String, PackFiles> = [("a".to_string(), second.clone())].into();
        publish(dir.path(), base(), &[second], &published, Made::All).unwrap();
        assert_eq!(read("big.pdf"), b"%PDF old");
    }
}
