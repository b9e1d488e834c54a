//! The "newer version" banner on the pages of older versions in the output folder, written
//! as one journalled publish, never through a link.

use std::fs;
use std::io;
use std::path::Path;

use super::journal::{Journal, Move, commit};
use super::versions_list::{self, VersionsFn};
use super::{manifests, safe};
use crate::diagnostic::Diagnostic;
use crate::hash::sha256_hex;
use crate::version::unreleased_since;

/// Renders the "newer version" banner for `(version, href)`.
pub type BannerFn<'a> = &'a dyn Fn(Option<(&str, &str)>) -> String;

/// What guidepack writes into the marked regions of pages already in the output: the
/// "newer version" banner and the list of the pack's versions.
pub struct Marks<'a> {
    pub newer: BannerFn<'a>,
    pub versions: VersionsFn<'a>,
}

impl Marks<'_> {
    fn newer(&self, newer: Option<(&str, &str)>) -> String {
        (self.newer)(newer)
    }
}

const NEWER_START: &str = "<!--gp:newer-->";
const NEWER_END: &str = "<!--/gp:newer-->";

/// Where the changed pages are staged.
const STAGED: &str = ".banner-pages";

/// Points the HTML pages of every version but the newest in `out` to the newest (a banner
/// between the `gp:newer` markers of each page), and clears the banner of the newest. An
/// unreleased working copy (`1.0.0+unreleased`) is never the newest: it is bannered only when
/// a version newer than its release is in `out`. The
/// manifests of the versions changed are rewritten with the new hashes. `marks.newer` renders
/// the banner for `(version, href)`. Every page also gets the list of its pack's versions
/// (`marks.versions`, between the `gp:versions` markers, see [`versions_list`]). A version folder or page that is a symbolic link is left
/// alone, with a warning (returned).
pub fn mark_older_versions(out: &Path, marks: &Marks) -> io::Result<Vec<Diagnostic>> {
    let mut warnings = linked_versions(out);
    // A manifest made again from its folder is written again, whether or not a page changes.
    let mut remade = std::collections::BTreeSet::new();
    let mut manifests: Vec<_> = manifests::all(out)
        .into_iter()
        .map(|found| {
            if let Some(warning) = found.remade {
                warnings.push(warning);
                remade.insert(found.manifest.version.to_string());
            }
            found.manifest
        })
        // An area edition's released folder is never rewritten, nor pointed to.
        .filter(|m| m.area_edition().is_none())
        .collect();
    manifests.sort_by_key(|m| m.version.key());
    let Some(newest) = manifests
        .iter()
        .rfind(|m| unreleased_since(&m.version).is_none())
        .cloned()
    else {
        return Ok(warnings);
    };
    let newest_key = newest.version.key();
    let newest_packs: std::collections::BTreeSet<String> =
        newest.packs().iter().map(|id| id.dir()).collect();
    // The versions whose pages list their pack's versions (a working copy lists itself on
    // its own pages only).
    let listed: Vec<versions_list::Held> = (manifests.iter())
        .filter(|m| unreleased_since(&m.version).is_none())
        .map(versions_list::Held::of)
        .collect();
    let staged_root = out.join(STAGED);
    safe::clear(&staged_root)?;
    let mut moves = Vec::new();
    for manifest in &mut manifests {
        let is_newest = match unreleased_since(&manifest.version) {
            Some(since) => crate::version::key(since) >= newest_key,
            None => manifest.version == newest.version,
        };
        let version_dir = out.join(&manifest.version);
        let held = versions_list::Held::of(manifest);
        // The list is the same on every page of a pack at the same depth: rendered once.
        let mut rendered = std::collections::HashMap::new();
        let mut changed = remade.contains(manifest.version.as_str());
        for entry in manifest
            .artifacts
            .iter_mut()
            .filter(|a| a.path.ends_with(".html"))
        {
            let rel = Path::new(&entry.path);
            if safe::check_no_links(&version_dir, rel).is_err() {
                warnings.push(link_warning(&version_dir.join(rel)));
                continue;
            }
            let path = version_dir.join(rel);
            if !safe::is_regular_file(&path) {
                continue;
            }
            let Ok(html) = fs::read_to_string(&path) else {
                continue;
            };
            let dir = entry.pack().dir();
            let depth = entry.path.matches('/').count() + 1;
            let mut updated = html.clone();
            if let (Some(start), Some(end)) = (html.find(NEWER_START), html.find(NEWER_END))
                && start < end
            {
                let inner = if is_newest {
                    String::new()
                } else {
                    let up = "../".repeat(depth);
                    let target = if newest_packs.contains(&dir) {
                        format!("{up}{}/{dir}/index.html", newest.version)
                    } else {
                        format!("{up}index.html")
                    };
                    marks.newer(Some((&newest.version, &target)))
                };
                updated = format!("{}{NEWER_START}{inner}{}", &html[..start], &html[end..]);
            }
            let list = versions_list::for_page(&listed, &held, &newest.version, &dir, depth);
            for (name, place) in versions_list::PLACES {
                let key = (dir.clone(), depth, place);
                let inner = rendered
                    .entry(key)
                    .or_insert_with(|| (marks.versions)(&list, place));
                if let Some(marked) = versions_list::replace_regions(&updated, name, inner) {
                    updated = marked;
                }
            }
            if updated != html {
                let staged = format!("{STAGED}/{}/{}", manifest.version, entry.path);
                safe::write_new(&out.join(&staged), updated.as_bytes())?;
                moves.push(Move {
                    new: staged,
                    target: format!("{}/{}", manifest.version, entry.path),
                    old: None,
                });
                entry.sha256 = sha256_hex(updated.as_bytes());
                entry.bytes = updated.len() as u64;
                changed = true;
            }
        }
        if changed {
            let json = serde_json::to_vec_pretty(&*manifest).map_err(io::Error::other)?;
            let staged = format!("{STAGED}/{}/manifest.json", manifest.version);
            safe::write_new(&out.join(&staged), &json)?;
            moves.push(Move {
                new: staged,
                target: format!("{}/manifest.json", manifest.version),
                old: None,
            });
        }
    }
    if moves.is_empty() {
        safe::clear(&staged_root)?;
    } else {
        let journal = Journal {
            moves,
            remove: vec![STAGED.to_string()],
        };
        commit(out, &journal)?;
    }
    Ok(warnings)
}

/// Warnings for the entries of the output folder that are links where a version would be.
fn linked_versions(out: &Path) -> Vec<Diagnostic> {
    let Ok(entries) = fs::read_dir(out) else {
        return Vec::new();
    };
    let mut found: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            !name.starts_with('.') && !super::SITE_FILES.contains(&name.as_str())
        })
        .filter(|e| e.file_type().is_ok_and(|t| t.is_symlink()))
        .map(|e| link_warning(&e.path()))
        .collect();
    found.sort();
    found
}

fn link_warning(path: &Path) -> Diagnostic {
    Diagnostic::warning(format!(
        "`{}` is a symbolic link: guidepack does not write through links, so its pages get no \"newer version\" banner",
        path.display()
    ))
    .help("an output folder holds only what guidepack wrote: replace the link with a copy of what it points to, or remove it")
}
