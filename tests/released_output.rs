//! Released output is never replaced (issue 12, point 1): once `releases/<v>/` exists, a build
//! of other text for that version is an unreleased working copy in `output/<v>+unreleased/`,
//! marked on every page and in the PDF, and `output/<v>/` stays byte for byte as released.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Project, stderr_snapshot};
use crate::releases::bump;

const MARK: &str = "Unreleased changes since 1.0.0";

/// The minimal project with an area, at version 1.0.0, released.
fn released() -> Project {
    let p =
        bump(Project::minimal(), "1.0.0").file("content/areas/kent/area.toml", "name = \"Kent\"\n");
    p.run(&["release"]).expect(0);
    p
}

/// Every file under `output/<folder>/`, by path below it.
fn tree(p: &Project, folder: &str) -> BTreeMap<String, Vec<u8>> {
    let prefix = format!("{folder}/");
    p.output_files()
        .into_iter()
        .filter_map(|(path, bytes)| Some((path.strip_prefix(&prefix)?.to_string(), bytes)))
        .collect()
}

fn edit(p: &Project) {
    p.write_bytes(
        "content/01-intro.md",
        b"---\ntitle: Introduction\n---\n\nIntro text for everyone, reworded after the release.\n",
    );
}

fn unedit(p: &Project) {
    p.write_bytes(
        "content/01-intro.md",
        b"---\ntitle: Introduction\n---\n\nIntro text for everyone.\n",
    );
}

fn manifest(p: &Project, path: &str) -> serde_json::Value {
    serde_json::from_str(&p.read(path)).unwrap()
}

fn paths(manifest: &serde_json::Value) -> Vec<String> {
    manifest["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_build_after_a_release_leaves_the_released_files_as_released() {
    let p = released();
    let before = tree(&p, "1.0.0");
    let record = p.read("releases/1.0.0/manifest.json");
    assert_eq!(p.read("output/1.0.0/manifest.json"), record.trim_end());
    edit(&p);

    let run = p.run(&["build", "--area", "kent"]).expect(0);
    assert!(
        run.stdout.contains("1.0.0+unreleased"),
        "the summary says where: {}",
        run.stdout
    );
    stderr_snapshot!(run);
    p.run(&["build", "--audience", "providers", "--format", "html"])
        .expect(0);
    p.run(&["build"]).expect(0);

    assert!(
        tree(&p, "1.0.0") == before,
        "output/1.0.0 is byte for byte as released"
    );
    assert_eq!(p.read("output/1.0.0/manifest.json"), record.trim_end());

    // The working copy: its own place, its own manifest, the mark on every page.
    let copy = tree(&p, "1.0.0+unreleased");
    let page = String::from_utf8(copy["providers/intro.html"].clone()).unwrap();
    assert!(page.contains("reworded after the release"), "{page}");
    let title = page
        .split("<title>")
        .nth(1)
        .unwrap()
        .split("</title>")
        .next()
        .unwrap();
    assert!(title.contains(MARK), "the title is marked: {title}");
    for (path, bytes) in copy.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(html.contains(MARK), "{path} is not marked");
        assert!(
            !html.contains("Version 1.0.0,"),
            "{path} says it is version 1.0.0"
        );
        assert!(!html.contains("Newer version available"), "{path}");
    }
    assert!(copy.contains_key("providers/test-pack-providers-1.0.0+unreleased.pdf"));
    assert!(
        copy.contains_key(
            "areas/kent/providers/test-pack-kent-providers-1.0.0-kent.1+unreleased.pdf"
        )
    );
    let working = manifest(&p, "output/1.0.0+unreleased/manifest.json");
    assert_eq!(working["version"], "1.0.0+unreleased");
    let mut listed = paths(&working);
    listed.sort();
    let mut files: Vec<String> = copy
        .keys()
        .filter(|k| *k != "manifest.json")
        .cloned()
        .collect();
    files.sort();
    assert_eq!(
        listed, files,
        "the working copy's manifest lists its own files"
    );

    // The site index lists the working copy apart, and 1.0.0 stays the latest.
    let index = p.read("output/index.html");
    let latest = index.split("Latest").count() - 1;
    assert!(latest >= 1, "{index}");
    assert!(
        index.contains(&format!(
            "-title\">{MARK} <strong class=\"gp-tag gp-tag--unreleased\">Unreleased</strong></h2>"
        )),
        "{index}"
    );
    assert!(
        index.contains("href=\"1.0.0+unreleased/providers/index.html\""),
        "{index}"
    );
    assert!(
        index.contains("href=\"1.0.0/providers/index.html\""),
        "{index}"
    );

    // The record still verifies once the sources are the release's again.
    stderr_snapshot!(p.run(&["release", "--verify", "1.0.0"]).expect(1));
    unedit(&p);
    p.run(&["release", "--verify", "1.0.0"]).expect(0);
}

#[test]
fn a_build_of_the_released_sources_writes_only_the_released_bytes() {
    let p = released();
    let released = tree(&p, "1.0.0");
    let index = p.read("output/index.html");
    fs::remove_dir_all(p.path().join("output")).unwrap();

    // An HTML build of one pack: the released pages link to their PDF, so it is made too.
    let run = p
        .run(&["build", "--audience", "providers", "--format", "html"])
        .expect(0);
    assert!(run.stdout.contains("as released"), "{}", run.stdout);
    let rebuilt = tree(&p, "1.0.0");
    for (path, bytes) in rebuilt.iter().filter(|(k, _)| *k != "manifest.json") {
        assert!(path.starts_with("providers/"), "{path}");
        assert!(
            released.get(path) == Some(bytes),
            "{path} is not the released file"
        );
    }
    assert!(rebuilt.contains_key("providers/test-pack-providers-1.0.0.pdf"));
    let record = manifest(&p, "releases/1.0.0/manifest.json");
    for entry in manifest(&p, "output/1.0.0/manifest.json")["artifacts"]
        .as_array()
        .unwrap()
    {
        assert!(
            record["artifacts"].as_array().unwrap().contains(entry),
            "{entry} is not the record's"
        );
    }

    p.run(&["build", "--all-areas"]).expect(0);
    assert!(
        tree(&p, "1.0.0") == released,
        "a full build gives the release again"
    );
    assert_eq!(p.read("output/index.html"), index);

    // A working copy goes when the sources are the release's again.
    edit(&p);
    p.run(&["build", "--format", "html"]).expect(0);
    assert!(p.exists("output/1.0.0+unreleased/providers/intro.html"));
    unedit(&p);
    p.run(&["build", "--format", "html"]).expect(0);
    assert!(
        !p.exists("output/1.0.0+unreleased"),
        "the stale working copy is removed"
    );
    assert!(tree(&p, "1.0.0") == released);
    assert!(!p.read("output/index.html").contains("unreleased"));
}

#[test]
fn release_force_is_the_only_way_to_replace_a_release() {
    let p = released();
    edit(&p);
    p.run(&["build", "--format", "html"]).expect(0);
    stderr_snapshot!(p.run(&["release"]).expect(1));
    p.run(&["release", "--force"]).expect(0);
    assert!(
        !p.exists("output/1.0.0+unreleased"),
        "the working copy is now the release"
    );
    assert!(
        p.read("output/1.0.0/providers/intro.html")
            .contains("reworded after the release")
    );
    let page = p.read("output/1.0.0/providers/intro.html");
    assert!(!page.contains("nreleased"), "{page}");
    p.run(&["release", "--verify", "1.0.0"]).expect(0);
}

#[test]
fn newer_version_banners_never_point_at_a_working_copy() {
    let p = released();
    let p = bump(p, "1.1.0");
    p.run(&["release"]).expect(0);
    let newest = tree(&p, "1.1.0");
    edit(&p);
    p.run(&["build", "--format", "html"]).expect(0);
    assert!(tree(&p, "1.1.0") == newest, "1.1.0 stays as released");
    let old = p.read("output/1.0.0/providers/index.html");
    assert!(old.contains("Read version 1.1.0</a>"), "{old}");
    assert!(!old.contains("unreleased"), "{old}");
    let copy = p.read("output/1.1.0+unreleased/providers/index.html");
    assert!(copy.contains("Unreleased changes since 1.1.0"));
    assert!(!copy.contains("Newer version available"), "{copy}");
    let index = p.read("output/index.html");
    let latest = index
        .split("Version 1.1.0 <strong class=\"gp-tag gp-tag--latest\">Latest")
        .count();
    assert!(latest > 1, "1.1.0 is the latest: {index}");
}

#[test]
fn the_pdf_of_a_working_copy_is_marked_on_the_cover_and_every_page() {
    let p = released();
    edit(&p);
    p.run(&["build", "--audience", "providers", "--format", "pdf"])
        .expect(0);
    let pdf = p
        .path()
        .join("output/1.0.0+unreleased/providers/test-pack-providers-1.0.0+unreleased.pdf");
    let run = Command::new("pdftotext")
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output();
    if !crate::harness::required_tool(run.is_ok(), "pdftotext", "poppler-utils") {
        return;
    }
    let text = String::from_utf8(run.unwrap().stdout).unwrap();
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 3, "{text}");
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains(MARK), "page {} is not marked:\n{page}", i + 1);
    }
    assert!(pages[0].contains("not the released text"), "{}", pages[0]);
}

#[test]
fn watch_after_a_release_writes_the_working_copy() {
    let p = released();
    let before = tree(&p, "1.0.0");
    let mut child = Command::new(env!("CARGO_BIN_EXE_guidepack"))
        .arg("--project")
        .arg(p.path())
        .args(["watch", "--format", "html"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|l| l.contains("watching "));
    assert!(started);
    edit(&p);
    let page = p
        .path()
        .join("output/1.0.0+unreleased/providers/intro.html");
    let start = Instant::now();
    let mut found = false;
    while start.elapsed() < Duration::from_secs(60) && !found {
        std::thread::sleep(Duration::from_millis(50));
        found = fs::read_to_string(&page).is_ok_and(|t| t.contains("reworded") && t.contains(MARK));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(found, "watch wrote the working copy");
    assert!(
        tree(&p, "1.0.0") == before,
        "watch left the release as released"
    );
}

#[test]
fn a_release_by_another_guidepack_is_not_rebuilt_in_its_place() {
    let p = released();
    let before = tree(&p, "1.0.0");
    let record = p.read("releases/1.0.0/release.json");
    let generator = record
        .lines()
        .find(|l| l.contains("\"generator\""))
        .unwrap()
        .to_string();
    p.write_bytes(
        "releases/1.0.0/release.json",
        record
            .replace(&generator, "  \"generator\": \"guidepack 0.0.1\",")
            .as_bytes(),
    );
    stderr_snapshot!(p.run(&["build", "--format", "html"]).expect(0));
    assert!(tree(&p, "1.0.0") == before);
    assert!(
        p.read("output/1.0.0+unreleased/providers/intro.html")
            .contains(MARK)
    );
}

#[test]
fn a_released_file_that_would_come_out_different_is_refused_not_replaced() {
    let p = released();
    let manifest_path = "releases/1.0.0/manifest.json";
    let mut record = manifest(&p, manifest_path);
    let entry = record["artifacts"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|a| a["path"] == "providers/intro.html")
        .unwrap();
    entry["sha256"] = serde_json::json!("0".repeat(64));
    let mut text = serde_json::to_string_pretty(&record).unwrap();
    text.push('\n');
    p.write_bytes(manifest_path, text.as_bytes());
    let before = p.output_files();
    stderr_snapshot!(p.run(&["build", "--audience", "providers"]).expect(1));
    assert!(p.output_files() == before, "nothing was written");
}

#[test]
fn a_version_named_like_a_working_copy_is_refused() {
    stderr_snapshot!(crate::bad_input::fails_keeping_output(|p| {
        let config = p
            .read("guidepack.toml")
            .replace("version = \"2.0.0\"", "version = \"2.0.0+unreleased\"");
        p.file("guidepack.toml", &config)
    }));
}
