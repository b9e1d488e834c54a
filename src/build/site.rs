//! What a build does around its packs: finishes or undoes a publish that was killed, and,
//! once a version's packs are in place, the site's index (`output/index.html`), the banners of
//! older versions, the shared stylesheet and the summary line.

use std::collections::HashMap;
use std::path::Path;

use super::Loaded;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Project;
use crate::output::{self, ManifestEntry};
use crate::pack_id::PackId;
use crate::release::Edition;
use crate::render::site::size_display;
use crate::render::{
    DownloadKind, HtmlTemplates, IndexedDownload, IndexedEdition, IndexedPack, IndexedVersion,
    Registry,
};

/// Summary lines and warnings of a publish.
pub type Published = (Vec<String>, Vec<Diagnostic>);

/// Finishes or undoes a publish that was killed, in the output folder and in `releases/`,
/// before anything else reads them; what was repaired, as warnings.
pub fn recover_writes(
    root: &Path,
    out: &Path,
    diagnostics: &mut Diagnostics,
) -> Result<(), Diagnostic> {
    let releases = root.join("releases");
    // `releases/` as a link is not read as part of the project (see `sources`): not touched.
    let releases =
        (!std::fs::symlink_metadata(&releases).is_ok_and(|m| m.is_symlink())).then_some(releases);
    for dir in std::iter::once(out.to_path_buf()).chain(releases) {
        let found = output::recover(&dir).map_err(|err| output::write_error(&dir, &err))?;
        diagnostics.extend(found);
    }
    Ok(())
}

/// After a version's packs are in place: the site index, the banners of older versions, the
/// shared stylesheet, and the summary line.
pub fn finish_output(
    out: &Path,
    loaded: &Loaded,
    templates: &HtmlTemplates,
    registry: &Registry,
    committed: output::Committed,
    packs: usize,
    files: usize,
) -> std::io::Result<Published> {
    let config = &loaded.project.config;
    let versions = index_versions(out, &loaded.project, registry);
    let index = crate::render::site::site_index(config, &versions, templates)
        .map_err(std::io::Error::other)?;
    let mut warnings = committed.warnings;
    let manifest = committed.manifest;
    let marks = output::Marks {
        newer: &|newer| templates.newer_banner(newer, &config.pack.labels),
        versions: &|versions, place| templates.versions_list(versions, place, &config.pack.labels),
    };
    warnings.extend(output::mark_older_versions(out, &marks)?);
    output::replace_file(&out.join("style.css"), templates.css.as_bytes())?;
    output::replace_file(&out.join("index.html"), index.as_bytes())?;
    let into = out.join(&manifest.version);
    let version = &config.pack.version;
    let (place, artifacts) = match &loaded.edition {
        Edition::Version => (String::new(), format!("version {version}")),
        Edition::AsReleased(_) => (
            ", byte for byte as released".to_string(),
            format!("version {version}"),
        ),
        Edition::WorkingCopy(_) => (
            format!(
                ", an unreleased working copy (release {version} stays as released in {})",
                out.join(version).display()
            ),
            "this working copy".to_string(),
        ),
    };
    let summary = vec![format!(
        "built {packs} pack{} ({files} files) into {}{place}; {} artifacts in {artifacts}",
        if packs == 1 { "" } else { "s" },
        into.display(),
        manifest.artifacts.len(),
    )];
    Ok((summary, warnings))
}

/// The versions in the output folder, newest first, with their packs, for `output/index.html`.
fn index_versions(out: &Path, project: &Project, registry: &Registry) -> Vec<IndexedVersion> {
    let mut manifests = output::versions(out);
    manifests.sort_by_key(|m| std::cmp::Reverse(m.version.key()));
    let area_names: HashMap<&str, &str> = project
        .areas
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let latest = manifests
        .iter()
        .find(|m| m.version.unreleased_since().is_none() && m.area_edition().is_none())
        .map(|m| m.version.clone());
    let kinds: Vec<DownloadKind> = registry.all().filter_map(|r| r.download()).collect();
    manifests
        .iter()
        .map(|m| {
            // Each pack's downloads (directly in the pack folder), found in one pass over the
            // artifacts rather than one pass per pack.
            let mut downloads: HashMap<(&str, &str), &ManifestEntry> = HashMap::new();
            for a in &m.artifacts {
                if let Some((dir, name)) = a.path.rsplit_once('/')
                    && let Some(kind) = registry.download_of(name)
                {
                    downloads.entry((dir, kind.key)).or_insert(a);
                }
            }
            // The version's formats: those some pack of it has (the columns of its table).
            let formats: Vec<DownloadKind> = (kinds.iter())
                .filter(|kind| downloads.keys().any(|(_, key)| *key == kind.key))
                .copied()
                .collect();
            // The reviewer's copy is listed apart from the packs (unless an audience has its
            // folder's name, when there is none).
            let mut packs = m.packs();
            let review = (packs.iter())
                .position(|id| is_review_copy(id, project))
                .map(|at| packs.remove(at));
            let indexed = |id: PackId| {
                let dir = id.dir();
                IndexedPack {
                    audience_name: match is_review_copy(&id, project) {
                        true => crate::resolve::reviewer_audience().name,
                        false => (project.config.audience(&id.audience))
                            .map_or(id.audience.clone(), |a| a.name.clone()),
                    },
                    area_name: id.area.as_ref().map(|area| {
                        area_names
                            .get(area.as_str())
                            .map_or(area.clone(), |name| name.to_string())
                    }),
                    href: format!("{}/{dir}/index.html", m.version),
                    hrefs: (kinds.iter())
                        .map(|kind| {
                            let entry = downloads.get(&(dir.as_str(), kind.key));
                            let href = entry.map(|a| format!("{}/{}", m.version, a.path));
                            (format!("{}_href", kind.key), href)
                        })
                        .collect(),
                    downloads: (formats.iter())
                        .map(|&kind| {
                            let entry = downloads.get(&(dir.as_str(), kind.key));
                            IndexedDownload {
                                kind,
                                href: entry.map(|a| format!("{}/{}", m.version, a.path)),
                                bytes_display: entry.map(|a| size_display(a.bytes)),
                            }
                        })
                        .collect(),
                }
            };
            IndexedVersion {
                review: review.map(&indexed),
                version: m.version.to_string(),
                date_display: crate::model::parse_date(&m.date)
                    .map(|_| {
                        crate::model::PackInfo {
                            date: m.date.clone(),
                            ..project.config.pack.clone()
                        }
                        .date_display()
                    })
                    .unwrap_or_else(|| m.date.clone()),
                latest: latest.as_ref() == Some(&m.version),
                formats: formats.clone(),
                unreleased_since: m.version.unreleased_since().map(|v| v.to_string()),
                area_edition: m.area_edition().and_then(|area| {
                    let national = m.version.national_of_edition(area)?;
                    let revision = m.version.rsplit_once('.')?.1.to_string();
                    Some(IndexedEdition {
                        area_name: area_names
                            .get(area)
                            .map_or(area.to_string(), |n| n.to_string()),
                        national_version: national.to_string(),
                        revision,
                    })
                }),
                packs: in_config_order(packs, project)
                    .into_iter()
                    .map(indexed)
                    .collect(),
            }
        })
        .collect()
}

/// Whether a pack of the output is the reviewer's copy (not an audience's pack of its name).
fn is_review_copy(id: &PackId, project: &Project) -> bool {
    id.is_review() && project.config.audience(&id.audience).is_none()
}

/// A version's packs as a reader expects them: the national packs first, then each area's by
/// name, and within each, the audiences in the order of guidepack.toml.
fn in_config_order(mut packs: Vec<PackId>, project: &Project) -> Vec<PackId> {
    let position: HashMap<&str, usize> = project
        .config
        .audiences
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let area_name: HashMap<&str, String> = project
        .areas
        .iter()
        .map(|a| (a.id.as_str(), a.name.to_lowercase()))
        .collect();
    packs.sort_by_cached_key(|id| {
        let area = id.area.as_deref().map(|area| {
            (
                area_name
                    .get(area)
                    .cloned()
                    .unwrap_or_else(|| area.to_string()),
                area.to_string(),
            )
        });
        let place = position
            .get(id.audience.as_str())
            .copied()
            .unwrap_or(usize::MAX);
        (area, place, id.audience.clone())
    });
    packs
}
