//! Output: the only stage that writes. A build's files are staged in full beside the output,
//! then swapped in pack by pack, so a failed build leaves the previous output as it was.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The files of one pack, by path relative to the pack folder.
#[derive(Clone, Debug)]
pub struct PackFiles {
    /// `providers` or `areas/<id>/providers`, under `<version>/`.
    pub dir: String,
    pub audience: String,
    pub area: Option<String>,
    pub files: Vec<(String, Vec<u8>)>,
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
    pub version: String,
    pub date: String,
    pub generator: String,
    pub artifacts: Vec<ManifestEntry>,
}

impl PackFiles {
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
    /// The packs the manifest lists: `(dir, audience, area)`.
    pub fn packs(&self) -> Vec<(String, String, Option<String>)> {
        let mut packs: Vec<_> = self
            .artifacts
            .iter()
            .map(|a| {
                (
                    pack_dir_of(&a.path, &a.audience, a.area.as_deref()),
                    a.audience.clone(),
                    a.area.clone(),
                )
            })
            .collect();
        packs.dedup();
        packs.sort();
        packs.dedup();
        packs
    }
}

fn pack_dir_of(_path: &str, audience: &str, area: Option<&str>) -> String {
    match area {
        None => audience.to_string(),
        Some(area) => format!("areas/{area}/{audience}"),
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a version's manifest, if there is a readable one.
pub fn read_manifest(out: &Path, version: &str) -> Option<Manifest> {
    let text = fs::read_to_string(out.join(version).join("manifest.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// Every version in the output folder that has a manifest, in no particular order.
pub fn versions(out: &Path) -> Vec<Manifest> {
    let Ok(entries) = fs::read_dir(out) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    names
        .iter()
        .filter(|n| !n.starts_with('.'))
        .filter_map(|n| read_manifest(out, n))
        .collect()
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
) -> io::Result<Manifest> {
    let mut staging = Staging::new(out, manifest_base)?;
    for pack in packs {
        staging.add(pack, published.get(&pack.dir))?;
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
    entries: BTreeMap<String, ManifestEntry>,
    packs: Vec<String>,
    /// The artifacts of the version's manifest in the output now, by path.
    current: Option<BTreeMap<String, ManifestEntry>>,
}

impl Staging {
    pub fn new(out: &Path, base: Manifest) -> io::Result<Self> {
        fs::create_dir_all(out)?;
        let dir = out.join(format!(".staging-{}", base.version));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            base,
            entries: BTreeMap::new(),
            packs: Vec::new(),
            current: None,
        })
    }

    /// Writes one pack's files into the staging folder. `published` is what the output holds
    /// of this pack, when the caller knows it: a file with the same bytes there is linked
    /// (a PDF of a megabyte is then neither written nor hashed again).
    pub fn add(&mut self, pack: &PackFiles, published: Option<&PackFiles>) -> io::Result<()> {
        let published = published.map(PackFiles::by_name);
        for (rel, bytes) in &pack.files {
            let path = format!("{}/{rel}", pack.dir);
            let staged = self.dir.join(&path);
            let unchanged = published
                .as_ref()
                .is_some_and(|old| PackFiles::holds(old, rel, bytes));
            let linked = if unchanged {
                self.link_current(&path, &staged, bytes)
            } else {
                None
            };
            let entry = match linked {
                Some(entry) => entry,
                None => {
                    write_file(&staged, bytes)?;
                    ManifestEntry {
                        sha256: sha256_hex(bytes),
                        bytes: bytes.len() as u64,
                        audience: pack.audience.clone(),
                        area: pack.area.clone(),
                        path: path.clone(),
                    }
                }
            };
            self.entries.insert(path, entry);
        }
        self.packs.push(pack.dir.clone());
        Ok(())
    }

    /// Links the output's file at `path` (relative to the version folder) to `staged`, when
    /// it holds `bytes` and the manifest in the output lists it; its manifest entry. `None`
    /// when it cannot be reused.
    fn link_current(&mut self, path: &str, staged: &Path, bytes: &[u8]) -> Option<ManifestEntry> {
        let version = &self.base.version;
        let current = self.current.get_or_insert_with(|| {
            read_manifest(&self.out, version)
                .map(|m| {
                    m.artifacts
                        .into_iter()
                        .map(|a| (a.path.clone(), a))
                        .collect()
                })
                .unwrap_or_default()
        });
        let entry = current.get(path)?;
        let live = self.out.join(version).join(path);
        // Reading is much cheaper than hashing and writing, and nothing changed behind our back.
        if entry.bytes != bytes.len() as u64 || fs::read(&live).ok()? != bytes {
            return None;
        }
        fs::create_dir_all(staged.parent()?).ok()?;
        fs::hard_link(&live, staged).ok()?;
        Some(entry.clone())
    }

    /// Drops what was staged; the output stays as it was.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }

    /// Swaps the staged packs in (each pack folder by rename), then the manifest, which keeps
    /// the artifacts of packs this build did not make.
    pub fn commit(self) -> io::Result<Manifest> {
        let Staging {
            out,
            dir: staging,
            base,
            mut entries,
            packs,
            current: _,
        } = self;
        let version = base.version.clone();
        if let Some(old) = read_manifest(&out, &version) {
            let built: BTreeSet<&String> = packs.iter().collect();
            for entry in old.artifacts {
                let dir = pack_dir_of(&entry.path, &entry.audience, entry.area.as_deref());
                if !built.contains(&dir) && out.join(&version).join(&entry.path).is_file() {
                    entries.entry(entry.path.clone()).or_insert(entry);
                }
            }
        }
        let manifest = Manifest {
            artifacts: entries.into_values().collect(),
            ..base
        };
        let json = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
        write_file(&staging.join("manifest.json"), &json)?;

        let version_dir = out.join(&version);
        let trash = out.join(format!(".old-{version}"));
        if trash.exists() {
            fs::remove_dir_all(&trash)?;
        }
        for pack in &packs {
            let target = version_dir.join(pack);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            if target.exists() {
                let old = trash.join(pack);
                if let Some(parent) = old.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::rename(&target, &old)?;
            }
            fs::rename(staging.join(pack), &target)?;
        }
        fs::create_dir_all(&version_dir)?;
        fs::rename(
            staging.join("manifest.json"),
            version_dir.join("manifest.json"),
        )?;
        let _ = fs::remove_dir_all(&staging);
        let _ = fs::remove_dir_all(&trash);
        Ok(manifest)
    }
}

/// Renders the "newer version" banner for `(version, href)`.
pub type BannerFn<'a> = &'a dyn Fn(Option<(&str, &str)>) -> String;

const NEWER_START: &str = "<!--gp:newer-->";
const NEWER_END: &str = "<!--/gp:newer-->";

/// Points the HTML pages of every version but the newest in `out` to the newest (a banner
/// between the `gp:newer` markers of each page), and clears the banner of the newest. The
/// manifests of the versions changed are rewritten with the new hashes. `banner` renders the
/// banner for `(version, href)`.
pub fn mark_older_versions(out: &Path, banner: BannerFn) -> io::Result<()> {
    let mut manifests = versions(out);
    manifests.sort_by_key(|m| crate::pipeline::version_key(&m.version));
    let Some(newest) = manifests.last().cloned() else {
        return Ok(());
    };
    let newest_packs: BTreeSet<String> =
        newest.packs().into_iter().map(|(dir, _, _)| dir).collect();
    for manifest in &mut manifests {
        let is_newest = manifest.version == newest.version;
        let mut changed = false;
        for entry in manifest
            .artifacts
            .iter_mut()
            .filter(|a| a.path.ends_with(".html"))
        {
            let path = out.join(&manifest.version).join(&entry.path);
            let Ok(html) = fs::read_to_string(&path) else {
                continue;
            };
            let (Some(start), Some(end)) = (html.find(NEWER_START), html.find(NEWER_END)) else {
                continue;
            };
            let inner = if is_newest {
                String::new()
            } else {
                let dir = pack_dir_of(&entry.path, &entry.audience, entry.area.as_deref());
                let depth = entry.path.matches('/').count() + 1;
                let up = "../".repeat(depth);
                let target = if newest_packs.contains(&dir) {
                    format!("{up}{}/{dir}/index.html", newest.version)
                } else {
                    format!("{up}index.html")
                };
                banner(Some((&newest.version, &target)))
            };
            let updated = format!("{}{NEWER_START}{inner}{}", &html[..start], &html[end..]);
            if updated != html {
                replace_file(&path, updated.as_bytes())?;
                entry.sha256 = sha256_hex(updated.as_bytes());
                entry.bytes = updated.len() as u64;
                changed = true;
            }
        }
        if changed {
            let json = serde_json::to_vec_pretty(&*manifest).map_err(io::Error::other)?;
            replace_file(&out.join(&manifest.version).join("manifest.json"), &json)?;
        }
    }
    Ok(())
}

/// Writes a file whole: to a temporary name, then renamed over the old one.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let tmp = temp_name(path);
    write_file(&tmp, bytes)?;
    fs::rename(&tmp, path)
}

fn temp_name(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    path.with_file_name(format!(".{name}.partial"))
}

fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(dir: &str, text: &str) -> PackFiles {
        PackFiles {
            dir: dir.to_string(),
            audience: dir.rsplit('/').next().unwrap().to_string(),
            area: None,
            files: vec![("index.html".to_string(), text.as_bytes().to_vec())],
        }
    }

    fn base() -> Manifest {
        Manifest {
            version: "1.0.0".into(),
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
        )
        .unwrap();
        let m = publish(dir.path(), base(), &[pack("a", "three")], &BTreeMap::new()).unwrap();
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
        publish(dir.path(), base(), &[first.clone()], &BTreeMap::new()).unwrap();
        let published: BTreeMap<String, PackFiles> = [("a".to_string(), first)].into();

        // The PDF is unchanged, the page is new.
        let mut second = pack("a", "new contents");
        second
            .files
            .push(("big.pdf".to_string(), b"%PDF old".to_vec()));
        let m = publish(dir.path(), base(), &[second.clone()], &published).unwrap();
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
        publish(dir.path(), base(), &[second], &published).unwrap();
        assert_eq!(read("big.pdf"), b"%PDF old");
    }

    #[test]
    fn hashes_are_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
