//! The list of a pack's versions on each of its pages, and the marked regions of a page that
//! guidepack rewrites after a build (`<!--gp:NAME-->…<!--/gp:NAME-->`), see README "Other
//! versions".

use std::collections::BTreeSet;

use serde::Serialize;

use super::Manifest;
use crate::version::{Version, unreleased_since};

/// One version of a pack, as a page lists it (the `versions` of `versions.html`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct OtherVersion {
    /// `1.1.0`, or `1.1.0+unreleased` for a working copy.
    pub version: String,
    /// The pack's contents page in that version, relative to the page that lists it.
    pub href: String,
    /// The version of the page that lists it.
    pub current: bool,
    /// The newest version in the output (never a working copy).
    pub latest: bool,
    /// The release a working copy stems from; `None` for a version.
    pub unreleased_since: Option<String>,
}

/// Renders the list of versions of a page's pack for one place of the page (`footer` or
/// `summary`).
pub type VersionsFn<'a> = &'a dyn Fn(&[OtherVersion], &str) -> String;

/// The marked regions the list goes into, with the place each is for.
pub const PLACES: [(&str, &str); 2] = [("versions", "footer"), ("versions-summary", "summary")];

/// A version folder's version and the folders of the packs it holds.
pub struct Held {
    pub version: Version,
    pub dirs: BTreeSet<String>,
}

impl Held {
    pub fn of(manifest: &Manifest) -> Self {
        Held {
            version: manifest.version.clone(),
            dirs: manifest.packs().iter().map(|p| p.dir()).collect(),
        }
    }
}

/// The versions of the pack in folder `dir` for a page `depth` folders below the output
/// folder, in the version `current`, newest first: every version folder of `listed` that
/// holds that pack, and `current` itself when it is a working copy (a working copy is listed
/// on its own pages only). `listed` holds the versions whose pages carry the list: no area
/// edition folder (never rewritten) and no working copy.
pub fn for_page(
    listed: &[Held],
    current: &Held,
    newest: &Version,
    dir: &str,
    depth: usize,
) -> Vec<OtherVersion> {
    let up = "../".repeat(depth);
    let own_copy = unreleased_since(&current.version).is_some();
    let mut found: Vec<&Held> = listed
        .iter()
        .chain(own_copy.then_some(current))
        .filter(|m| m.dirs.contains(dir))
        .collect();
    // Newest first; a working copy just after the release it stems from.
    found.sort_by_key(|m| {
        let copy = unreleased_since(&m.version).is_some();
        std::cmp::Reverse((m.version.key(), !copy))
    });
    found.dedup_by(|a, b| a.version == b.version);
    found
        .into_iter()
        .map(|m| OtherVersion {
            version: m.version.to_string(),
            href: format!("{up}{}/{dir}/index.html", m.version),
            current: m.version == current.version,
            latest: m.version == *newest,
            unreleased_since: unreleased_since(&m.version).map(str::to_string),
        })
        .collect()
}

/// `html` with the content of every region marked `name` replaced by `inner`; `None` when
/// the page has no such region.
pub fn replace_regions(html: &str, name: &str, inner: &str) -> Option<String> {
    let (start, end) = (format!("<!--gp:{name}-->"), format!("<!--/gp:{name}-->"));
    let mut out = String::with_capacity(html.len() + inner.len());
    let mut rest = html;
    let mut found = false;
    while let Some(at) = rest.find(&start) {
        let after = at + start.len();
        let Some(len) = rest[after..].find(&end) else {
            break;
        };
        out.push_str(&rest[..after]);
        out.push_str(inner);
        out.push_str(&end);
        rest = &rest[after + len + end.len()..];
        found = true;
    }
    out.push_str(rest);
    found.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_marked_region_is_replaced_and_nothing_else() {
        let html =
            "a<!--gp:versions-->old<!--/gp:versions-->b<!--gp:versions--><!--/gp:versions-->c";
        assert_eq!(
            replace_regions(html, "versions", "X").unwrap(),
            "a<!--gp:versions-->X<!--/gp:versions-->b<!--gp:versions-->X<!--/gp:versions-->c"
        );
        assert_eq!(replace_regions("no marks", "versions", "X"), None);
        // A region of another name is not this one.
        let other = "<!--gp:versions-summary-->s<!--/gp:versions-summary-->";
        assert_eq!(replace_regions(other, "versions", "X"), None);
    }
}
