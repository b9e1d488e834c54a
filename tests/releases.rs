//! Releases: refusals, records, change summaries per audience, diff, verify, banners, and
//! byte-identical releases from different folders.

use std::process::Command;

use crate::harness::{Project, main_text, stderr_snapshot};

/// The project with `pack.version` set to `version`.
pub fn bump(p: Project, version: &str) -> Project {
    let text: String = p
        .read("guidepack.toml")
        .lines()
        .map(|line| {
            if line.starts_with("version = ") {
                format!("version = \"{version}\"\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    p.file("guidepack.toml", &text)
}

fn released() -> Project {
    let p = bump(Project::minimal(), "1.0.0").chapter(
        "02-text.md",
        "title: Text",
        "## Shared {#shared}\n\nShared paragraph one stays the same.\n\nShared paragraph two will be reworded a little.\n\nShared paragraph three will be removed.\n\n::: audience providers\nProvider-only paragraph, soon changed.\n:::\n",
    );
    p.run(&["release", "--format"]).expect(2);
    p.run(&["release"]).expect(0);
    p
}

#[test]
fn releasing_twice_is_refused_unless_forced() {
    let p = released();
    stderr_snapshot!(p.run(&["release"]).expect(1));
    p.run(&["release", "--force"]).expect(0);
}

#[test]
fn a_draft_is_refused_with_its_file() {
    let p = Project::minimal().chapter("02-draft.md", "title: Draft\ndraft: true", "Not ready.\n");
    stderr_snapshot!(p.run(&["release"]).expect(1));
    assert!(!p.exists("releases"), "nothing is recorded");
}

#[test]
fn errors_refuse_a_release() {
    let p = Project::minimal().chapter("02-bad.md", "title: Bad", "[x](#nowhere)\n");
    stderr_snapshot!(p.run(&["release"]).expect(1));
}

#[test]
fn the_record_and_manifest_match_the_files() {
    let p = released();
    for file in ["release.json", "manifest.json", "snapshot.json"] {
        assert!(p.exists(&format!("releases/1.0.0/{file}")), "{file}");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&p.read("output/1.0.0/manifest.json")).unwrap();
    let artifacts = manifest["artifacts"].as_array().unwrap();
    assert!(
        artifacts
            .iter()
            .any(|a| a["path"].as_str().unwrap().ends_with(".pdf")),
        "PDFs are part of a release"
    );
    for a in artifacts {
        let bytes = std::fs::read(
            p.path()
                .join("output/1.0.0")
                .join(a["path"].as_str().unwrap()),
        )
        .unwrap();
        assert_eq!(
            a["sha256"].as_str().unwrap(),
            guidepack::output::sha256_hex(&bytes),
            "{}",
            a["path"]
        );
    }
    let record: serde_json::Value =
        serde_json::from_str(&p.read("releases/1.0.0/release.json")).unwrap();
    assert!(record["inputs"]["content/02-text.md"].is_string());
    assert!(
        record["inputs"]
            .get("releases/1.0.0/release.json")
            .is_none()
    );
    p.run(&["release", "--verify", "1.0.0"]).expect(0);
}

#[test]
fn verify_notices_changed_sources() {
    let p = released().chapter("03-new.md", "title: New", "x\n");
    stderr_snapshot!(p.run(&["release", "--verify", "1.0.0"]).expect(1));
}

fn second_version() -> Project {
    bump(released(), "1.1.0").chapter(
        "02-text.md",
        "title: Text",
        "## Shared {#shared}\n\nShared paragraph two will be reworded quite a little.\n\nShared paragraph one stays the same.\n\nA brand new shared paragraph.\n\n::: audience providers\nProvider-only paragraph, now changed.\n:::\n",
    )
}

#[test]
fn change_summaries_show_each_audience_its_own_changes() {
    let p = second_version();
    p.run(&["release"]).expect(0);
    let providers = main_text(&p.read("output/1.1.0/providers/changes.html"));
    let commissioners = main_text(&p.read("output/1.1.0/commissioners/changes.html"));
    for text in [&providers, &commissioners] {
        assert!(
            text.contains(
                "Removed from Shared: [removed: Shared paragraph three will be removed.]"
            ),
            "{text}"
        );
        assert!(
            text.contains("Added in Shared: [added: A brand new shared paragraph.]"),
            "{text}"
        );
        assert!(text.contains("reworded [added: quite ]a little."), "{text}");
        assert!(
            !text.contains("Shared paragraph one stays the same."),
            "a moved paragraph is not a change: {text}"
        );
    }
    assert!(
        providers.contains("Provider-only paragraph, [removed: soon] [added: now] changed."),
        "{providers}"
    );
    assert!(
        !commissioners.contains("Provider-only"),
        "another audience's change stays out: {commissioners}"
    );
    let html = p.read("output/1.1.0/providers/changes.html");
    assert!(
        html.contains("<del>") && html.contains("<ins>"),
        "not colour alone"
    );
    // The older version points to the newer one.
    let old = p.read("output/1.0.0/providers/index.html");
    assert!(
        old.contains("Read version 1.1.0")
            && old.contains("href=\"../../1.1.0/providers/index.html\""),
        "{old}"
    );
    assert!(
        !p.read("output/1.1.0/providers/index.html")
            .contains("Read version")
    );
    let index = p.read("output/index.html");
    assert!(
        index.find("Version 1.1.0").unwrap() < index.find("Version 1.0.0").unwrap(),
        "newest first"
    );
}

#[test]
fn diff_as_json() {
    let p = second_version();
    let run = p
        .run(&[
            "diff",
            "1.0.0",
            "--audience",
            "providers",
            "--format",
            "json",
        ])
        .expect(0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["from"], "1.0.0");
    assert_eq!(value["to"], "the working text");
    let pack = &value["packs"][0];
    assert_eq!(pack["audience"], "providers");
    assert!(pack["area"].is_null());
    let kinds: Vec<&str> = pack["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "block-changed",
            "block-removed",
            "block-added",
            "block-changed"
        ],
        "{value}"
    );
    assert_eq!(
        pack["changes"][1]["text"],
        "Shared paragraph three will be removed."
    );
    assert_eq!(pack["changes"][0]["section"], "shared");
    stderr_snapshot!(p.run(&["diff", "0.1.0"]).expect(1));
    let text = p
        .run(&["diff", "1.0.0", "--audience", "commissioners"])
        .expect(0)
        .stdout;
    assert!(
        text.contains("- in \"Shared\": Shared paragraph three will be removed."),
        "{text}"
    );
    let html = p
        .run(&["diff", "1.0.0", "--format", "html"])
        .expect(0)
        .stdout;
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("<del>"),
        "{html}"
    );
}

#[test]
fn releases_in_different_folders_are_identical() {
    let a = released();
    let b = released();
    assert_ne!(a.path(), b.path());
    assert_eq!(a.output_files(), b.output_files());
    for file in ["release.json", "manifest.json", "snapshot.json"] {
        assert_eq!(
            a.read(&format!("releases/1.0.0/{file}")),
            b.read(&format!("releases/1.0.0/{file}"))
        );
    }
    let out = Command::new("grep")
        .arg("-rl")
        .arg(a.path().to_str().unwrap())
        .arg(a.path())
        .output();
    if let Ok(out) = out {
        assert!(
            out.stdout.is_empty(),
            "no absolute path in any file: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
