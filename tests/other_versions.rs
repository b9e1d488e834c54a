//! Other versions: every page of a pack lists the versions of the same pack in the output,
//! newest first, this one marked, written into the pages without JavaScript.

use std::path::Path;

use crate::harness::Project;
use crate::releases::bump;

/// The `(label, href, current)` of each link of a page's list of versions (footer), in order.
fn footer_versions(html: &str) -> Vec<(String, String, bool)> {
    let start = html
        .find("<!--gp:versions-->")
        .expect("the page has the region");
    let end = html.find("<!--/gp:versions-->").unwrap();
    links(&html[start..end])
}

fn links(region: &str) -> Vec<(String, String, bool)> {
    region
        .split("<a ")
        .skip(1)
        .map(|a| {
            let href = a
                .split("href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let current = a
                .split('>')
                .next()
                .unwrap()
                .contains("aria-current=\"true\"");
            let label = a.split_once('>').unwrap().1.split("</a>").next().unwrap();
            (label.to_string(), href.to_string(), current)
        })
        .collect()
}

/// The HTML pages of one pack folder in one version folder.
fn pages(p: &Project, version: &str, pack: &str) -> Vec<String> {
    let prefix = format!("{version}/{pack}/");
    p.output_files()
        .into_keys()
        .filter(|path| {
            path.strip_prefix(&prefix)
                .is_some_and(|rest| rest.ends_with(".html") && !rest.contains('/'))
        })
        .collect()
}

/// Checks that every page of `pack` in every version of `versions` (newest first) lists all of
/// them, newest first, its own marked, each link pointing at that version's contents page on
/// disk.
fn every_page_lists(p: &Project, pack: &str, versions: &[&str]) {
    for version in versions {
        let found = pages(p, version, pack);
        assert!(found.len() >= 3, "{version}: {found:?}");
        for page in found {
            let html = p.read(&format!("output/{page}"));
            let listed = footer_versions(&html);
            let labels: Vec<&str> = listed.iter().map(|(l, _, _)| l.as_str()).collect();
            assert_eq!(listed.len(), versions.len(), "{page}: {labels:?}");
            for ((label, href, current), expected) in listed.iter().zip(versions) {
                assert!(
                    label.starts_with(&format!("Version {expected}")),
                    "{page}: {labels:?}"
                );
                assert_eq!(*current, expected == version, "{page}: {label}");
                // Relative, so that it works from disk: resolve it from the page's folder.
                assert!(!href.starts_with('/') && !href.contains("://"), "{href}");
                let target = p.path().join("output").join(&page);
                let target = target.parent().unwrap().join(href);
                assert!(target.is_file(), "{page}: {href} does not resolve on disk");
                assert!(
                    target.ends_with(Path::new(expected).join(pack).join("index.html")),
                    "{page}: {href}"
                );
            }
        }
    }
    // The contents page says it in its summary list too.
    let contents = p.read(&format!("output/{}/{pack}/index.html", versions[0]));
    let start = contents.find("<!--gp:versions-summary-->").unwrap();
    let end = contents.find("<!--/gp:versions-summary-->").unwrap();
    assert_eq!(links(&contents[start..end]).len(), versions.len());
}

#[test]
fn three_versions_built_in_turn_each_list_all_newest_first() {
    let p = bump(Project::minimal(), "1.0.0");
    p.run(&["release"]).expect(0);
    // One version alone lists nothing.
    let only = p.read("output/1.0.0/providers/index.html");
    assert!(footer_versions(&only).is_empty(), "{only}");
    assert!(!only.contains("Versions of this pack"));

    let p = bump(p, "1.1.0");
    p.run(&["build", "--format", "html"]).expect(0);
    every_page_lists(&p, "providers", &["1.1.0", "1.0.0"]);

    let p = bump(p, "2.0.0");
    p.run(&["release"]).expect(0);
    every_page_lists(&p, "providers", &["2.0.0", "1.1.0", "1.0.0"]);
    every_page_lists(&p, "commissioners", &["2.0.0", "1.1.0", "1.0.0"]);
    // The banner stays on the older ones only.
    assert!(
        p.read("output/1.0.0/providers/index.html")
            .contains("Read version 2.0.0")
    );
    assert!(
        !p.read("output/2.0.0/providers/index.html")
            .contains("Read version")
    );
    let newest = p.read("output/2.0.0/providers/index.html");
    assert!(
        newest.contains("Version 2.0.0 (latest) (this version)</a>"),
        "{newest}"
    );

    // The released versions still verify, and a build of a release's own sources writes it as
    // released, the lists written in again.
    p.run(&["release", "--verify", "2.0.0"]).expect(0);
    let p = bump(p, "1.0.0");
    p.run(&["release", "--verify", "1.0.0"]).expect(0);
    p.run(&["build"]).expect(0);
    every_page_lists(&p, "providers", &["2.0.0", "1.1.0", "1.0.0"]);
    // The manifests of the rewritten folders describe the files as they now are.
    for version in ["1.0.0", "1.1.0", "2.0.0"] {
        let manifest: serde_json::Value =
            serde_json::from_str(&p.read(&format!("output/{version}/manifest.json"))).unwrap();
        for a in manifest["artifacts"].as_array().unwrap() {
            let path = format!("output/{version}/{}", a["path"].as_str().unwrap());
            let bytes = std::fs::read(p.path().join(&path)).unwrap();
            assert_eq!(
                a["sha256"].as_str().unwrap(),
                guidepack::output::sha256_hex(&bytes),
                "{path}"
            );
        }
    }
}

#[test]
fn a_working_copy_lists_itself_and_the_releases_do_not_list_it() {
    let p = bump(Project::minimal(), "1.0.0");
    p.run(&["release"]).expect(0);
    let p = bump(p, "1.1.0");
    p.run(&["release"]).expect(0);
    let released = p.read("output/1.1.0/providers/index.html");
    p.write_bytes(
        "content/01-intro.md",
        b"---\ntitle: Introduction\n---\n\nIntro text, changed after the release.\n",
    );
    p.run(&["build", "--format", "html"]).expect(0);
    assert_eq!(
        p.read("output/1.1.0/providers/index.html"),
        released,
        "the release's pages do not change"
    );
    let copy = p.read("output/1.1.0+unreleased/providers/index.html");
    let listed = footer_versions(&copy);
    let labels: Vec<(&str, bool)> = listed.iter().map(|(l, _, c)| (l.as_str(), *c)).collect();
    assert_eq!(
        labels,
        [
            ("Version 1.1.0 (latest)", false),
            ("Unreleased changes since 1.1.0 (this version)", true),
            ("Version 1.0.0", false),
        ],
        "{copy}"
    );
}
