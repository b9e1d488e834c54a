//! Reading the manifests of the output folder. A manifest that cannot be read or is damaged
//! (cut short by a full disk, edited by hand) is made again from the files of its version
//! folder, with a warning naming it: a pack is never left out of the new manifest or of
//! `output/index.html` because the list of an earlier build was lost.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::{Manifest, ManifestEntry, safe, sha256_hex};
use crate::diagnostic::Diagnostic;

/// A version's manifest as found in the output.
pub(super) struct Found {
    pub manifest: Manifest,
    /// When the file could not be read and the manifest was made from the version folder: the
    /// warning that says so. The file should then be written again.
    pub remade: Option<Diagnostic>,
}

/// Reads a version's manifest, if the version folder has one (never through a link); a
/// damaged one is made again from the folder's files.
pub(super) fn read(out: &Path, version: &str) -> Option<Found> {
    let rel = format!("{version}/manifest.json");
    safe::check_no_links(out, Path::new(&rel)).ok()?;
    let path = out.join(&rel);
    if !safe::exists(&path) {
        return None;
    }
    let why = if safe::is_regular_file(&path) {
        match fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<Manifest>(&bytes) {
                Ok(manifest) => {
                    return Some(Found {
                        manifest,
                        remade: None,
                    });
                }
                Err(err) => format!("it is damaged: {err}"),
            },
            Err(err) => format!("it cannot be read: {err}"),
        }
    } else {
        "it is not a file".to_string()
    };
    let damaged = fs::read(&path).unwrap_or_default();
    let version_dir = out.join(version);
    let manifest = Manifest {
        version: crate::version::Version::new(version),
        date: string_field(&damaged, "date").unwrap_or_default(),
        generator: string_field(&damaged, "generator")
            .unwrap_or_else(|| format!("guidepack {}", env!("CARGO_PKG_VERSION"))),
        artifacts: artifacts_on_disk(&version_dir),
    };
    let warning = Diagnostic::warning(format!(
        "`{}` was not used ({why}); the list of version {version}'s files was made again from the {} files in `{}`",
        path.display(),
        manifest.artifacts.len(),
        version_dir.display(),
    ))
    .help("nothing is lost: guidepack writes the file again now; if this happens again, check the disk and whatever else writes into the output folder");
    Some(Found {
        manifest,
        remade: Some(warning),
    })
}

/// Something other than a file where a version's manifest goes (a folder): a publish would
/// fail half way when it put the new manifest there, so it is refused before it starts.
/// Carried inside an `io::Error`; [`super::write_error`] says what to do.
#[derive(Debug)]
pub struct ManifestInTheWay {
    pub path: std::path::PathBuf,
}

impl std::fmt::Display for ManifestInTheWay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is not a file, and guidepack keeps the list of a version's files there",
            self.path.display()
        )
    }
}

impl std::error::Error for ManifestInTheWay {}

/// Refuses a version whose manifest's place holds something other than a file (a link is
/// replaced, never written through).
pub(super) fn check_place(out: &Path, version: &str) -> std::io::Result<()> {
    let path = out.join(version).join("manifest.json");
    if safe::exists(&path) && !safe::is_link(&path) && !safe::is_regular_file(&path) {
        return Err(std::io::Error::other(ManifestInTheWay { path }));
    }
    Ok(())
}

/// Every version in the output folder that has a manifest (made again where damaged), in
/// the order of their names. A version folder that is a link is left out
/// ([`super::mark_older_versions`] names it).
pub(super) fn all(out: &Path) -> Vec<Found> {
    let Ok(entries) = fs::read_dir(out) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names.iter().filter_map(|n| read(out, n)).collect()
}

/// A top-level `"key": "value"` of a damaged manifest, when its beginning survived.
fn string_field(damaged: &[u8], key: &str) -> Option<String> {
    let text = String::from_utf8_lossy(damaged);
    let after = &text[text.find(&format!("\"{key}\""))? + key.len() + 2..];
    let after = after.trim_start().strip_prefix(':')?.trim_start();
    let value: String = serde_json::Deserializer::from_str(after)
        .into_iter::<String>()
        .next()?
        .ok()?;
    Some(value)
}

/// The files of a version folder as manifest entries: every regular file inside a pack
/// folder (`<audience>/…` or `areas/<area>/<audience>/…`), links and hidden files left out.
pub(super) fn artifacts_on_disk(version_dir: &Path) -> Vec<ManifestEntry> {
    let mut found = BTreeMap::new();
    let mut folders = vec![String::new()];
    while let Some(rel) = folders.pop() {
        let Ok(entries) = fs::read_dir(version_dir.join(&rel)) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if name.starts_with('.') || kind.is_symlink() {
                continue;
            }
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if kind.is_dir() {
                folders.push(path);
            } else if kind.is_file()
                && let Some((audience, area)) = pack_of(&path)
                && let Ok(bytes) = fs::read(entry.path())
            {
                let entry = ManifestEntry {
                    sha256: sha256_hex(&bytes),
                    bytes: bytes.len() as u64,
                    audience,
                    area,
                    path: path.clone(),
                };
                found.insert(path, entry);
            }
        }
    }
    found.into_values().collect()
}

/// The audience and area of a file of a version folder, from its path; `None` for a file
/// outside every pack folder.
fn pack_of(path: &str) -> Option<(String, Option<String>)> {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["areas", area, audience, _, ..] => Some((audience.to_string(), Some(area.to_string()))),
        ["areas", ..] | [_] => None,
        [audience, ..] => Some((audience.to_string(), None)),
        [] => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_belong_to_the_pack_folder_they_are_in() {
        assert_eq!(
            pack_of("providers/index.html"),
            Some(("providers".into(), None))
        );
        assert_eq!(
            pack_of("areas/northshire/providers/assets/a.png"),
            Some(("providers".into(), Some("northshire".into())))
        );
        assert_eq!(pack_of("areas/northshire/x.html"), None);
        assert_eq!(pack_of("manifest.json"), None);
    }

    #[test]
    fn the_beginning_of_a_damaged_manifest_is_used() {
        let cut = br#"{
  "version": "1.0.0",
  "date": "2013-03-28",
  "generator": "guidepack 0.2.0",
  "artifacts": [
    {
      "path": "areas/north"#;
        assert_eq!(string_field(cut, "date").as_deref(), Some("2013-03-28"));
        assert_eq!(string_field(b"\0\0\0", "date"), None);
    }
}
