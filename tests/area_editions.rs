//! Area editions (issue 15, points 3 and 4): an area's `revision` and its version string
//! `<national>-<area>.<revision>` on every page, the cover, the PDF and the file names.

use crate::harness::Project;

/// The minimal project (version 2.0.0) with two areas: Kent at revision 2, Surrey unrevised.
fn with_editions() -> Project {
    Project::minimal()
        .chapter(
            "02-version.md",
            "title: Version",
            "This is version {{ pack.version }}.\n",
        )
        .file(
            "content/areas/kent/area.toml",
            "name = \"Kent\"\nrevision = 2\n\n[[change_note]]\nversion = \"2.0.0-kent.2\"\ntext = \"Kent's contacts updated.\"\n",
        )
        .file("content/areas/surrey/area.toml", "name = \"Surrey\"\n")
}

#[test]
fn an_area_pack_carries_its_edition_everywhere() {
    let p = with_editions();
    p.run(&["build", "--all-areas", "--audience", "providers"])
        .expect(0);
    let kent = "output/2.0.0/areas/kent/providers";
    for page in ["index.html", "version.html", "all.html"] {
        let html = p.read(&format!("{kent}/{page}"));
        assert!(html.contains("2.0.0-kent.2"), "{page}: {html}");
    }
    let text = crate::harness::main_text(&p.read(&format!("{kent}/version.html")));
    assert!(text.contains("This is version 2.0.0-kent.2."), "{text}");
    // An area without `revision` is at revision 1; the national pack keeps its version.
    assert!(
        p.read("output/2.0.0/areas/surrey/providers/index.html")
            .contains("2.0.0-surrey.1")
    );
    let national = p.read("output/2.0.0/providers/version.html");
    assert!(!national.contains("kent") && national.contains("This is version 2.0.0."));
    let files = p.output_files();
    let pdf = files
        .keys()
        .find(|k| k.starts_with("2.0.0/areas/kent/providers/") && k.ends_with(".pdf"))
        .expect("a Kent PDF");
    assert!(pdf.ends_with("-kent-providers-2.0.0-kent.2.pdf"), "{pdf}");
    if let Some(text) = crate::harness::pdf_text(&p.path().join(format!("output/{pdf}"))) {
        // The cover and the running footer of every page.
        assert!(text.matches("2.0.0-kent.2").count() >= 3, "{text}");
    }
}

#[test]
fn a_revision_that_is_not_a_whole_number_from_1_is_an_error_at_its_line() {
    for bad in ["0", "-1", "1.5", "\"2\""] {
        let p = Project::minimal().file(
            "content/areas/kent/area.toml",
            &format!("name = \"Kent\"\nrevision = {bad}\n"),
        );
        let run = p.run(&["check"]).expect(1);
        run.stderr_has("content/areas/kent/area.toml:2:");
    }
}

/// Kent fine; Surrey broken in its own file (a local section that replaces nothing) and
/// Essex broken only when its packs are resolved (a variable the national text needs).
fn with_broken_areas() -> Project {
    with_editions()
        .chapter(
            "03-ask.md",
            "title: Ask",
            "National text.\n\n## Locally {#locally area=!national}\n\nAsk {{ area.nurse }}.\n",
        )
        .file(
            "guidepack.toml",
            &Project::minimal()
                .read("guidepack.toml")
                .replace("version = \"2.0.0\"", "version = \"1.0.0\""),
        )
        .file(
            "content/areas/kent/area.toml",
            "name = \"Kent\"\nrevision = 2\n[vars]\nnurse = \"the Kent nurse\"\n",
        )
        .file(
            "content/areas/surrey/area.toml",
            "name = \"Surrey\"\n[vars]\nnurse = \"N\"\n",
        )
        .file(
            "content/areas/surrey/bad.md",
            "---\ntitle: Bad\nreplaces: no-such-id\n---\nx\n",
        )
        .file("content/areas/essex/area.toml", "name = \"Essex\"\n")
}

#[test]
fn an_area_is_released_alone_whatever_other_areas_hold() {
    let p = with_broken_areas();
    p.run(&["release", "--area", "kent"]).expect(0);
    let dir = "releases/areas/kent/1.0.0-kent.2";
    for file in ["release.json", "manifest.json", "snapshot.json"] {
        assert!(p.exists(&format!("{dir}/{file}")), "{file}");
    }
    let manifest = p.read(&format!("{dir}/manifest.json"));
    assert!(
        manifest.contains("\"version\": \"1.0.0-kent.2\""),
        "{manifest}"
    );
    assert!(
        manifest.contains("areas/kent/providers/test-pack-kent-providers-1.0.0-kent.2.pdf"),
        "{manifest}"
    );
    // Only Kent's packs: no national pack, no other area, and no national record.
    assert!(!manifest.contains("\"path\": \"providers/"), "{manifest}");
    let record = p.read(&format!("{dir}/release.json"));
    assert!(!record.contains("content/areas/surrey/"), "{record}");
    // Into the edition's own folder; nothing of the national version's folder is written.
    assert!(p.exists("output/1.0.0-kent.2/areas/kent/providers/index.html"));
    assert!(!p.exists("output/1.0.0-kent.2/areas/surrey"));
    assert!(!p.exists("output/1.0.0"));
    assert!(!p.exists("releases/1.0.0"));
    // Released once: the same revision again is refused, --force replaces it.
    p.run(&["release", "--area", "kent"])
        .expect(1)
        .stderr_has("raise `revision` in content/areas/kent/area.toml");
    p.run(&["release", "--area", "kent", "--force"]).expect(0);
    p.run(&["release", "--verify", "1.0.0-kent.2", "--area", "kent"])
        .expect(0);
    // A change to another area does not stop Kent's record verifying.
    let p = p.file(
        "content/areas/essex/area.toml",
        "name = \"Essex\"\ntags = [\"x\"]\n",
    );
    p.run(&["release", "--verify", "1.0.0-kent.2", "--area", "kent"])
        .expect(0);
    // A change to Kent does.
    let p = p.file(
        "content/areas/kent/area.toml",
        "name = \"Kent\"\nrevision = 2\n[vars]\nnurse = \"another nurse\"\n",
    );
    p.run(&["release", "--verify", "1.0.0-kent.2", "--area", "kent"])
        .expect(1)
        .stderr_has("content/areas/kent/area.toml");
}

#[test]
fn an_area_release_is_refused_for_that_areas_errors_only() {
    let p = with_broken_areas();
    p.run(&["release", "--area", "surrey"])
        .expect(1)
        .stderr_has("content/areas/surrey/bad.md:3:11")
        .stderr_has("release of area `surrey` refused");
    p.run(&["release", "--area", "essex"])
        .expect(1)
        .stderr_has("area.nurse");
    assert!(!p.exists("releases"), "nothing is recorded");
    assert!(!p.exists("output/1.0.0"), "nothing is written");
    // A national error refuses every area's release.
    let p = p.chapter("04-bad.md", "title: Bad", "See [x](#no-such-anchor).\n");
    p.run(&["release", "--area", "kent"]).expect(1);
    assert!(!p.exists("releases"));
}

#[test]
fn a_national_release_leaves_out_a_broken_area_and_says_so() {
    let p = with_broken_areas();
    let run = p.run(&["release"]).expect(3);
    run.stderr_has("area `surrey` was not released")
        .stderr_has("area surrey not released: there is no chapter or heading `no-such-id`")
        .stderr_has("area `essex` was not released")
        .stderr_has("content/areas/surrey/bad.md:3:11");
    assert!(p.exists("releases/1.0.0/release.json"));
    let manifest = p.read("releases/1.0.0/manifest.json");
    assert!(manifest.contains("\"path\": \"providers/index.html\""));
    assert!(
        manifest.contains("areas/kent/providers/"),
        "a passing area is released"
    );
    assert!(!manifest.contains("areas/surrey/") && !manifest.contains("areas/essex/"));
    assert!(!p.exists("output/1.0.0/areas/surrey"));
    // The national text's own error still refuses the whole release.
    let p =
        bump_version(p, "1.1.0").chapter("04-bad.md", "title: Bad", "See [x](#no-such-anchor).\n");
    p.run(&["release"])
        .expect(1)
        .stderr_has("nothing was written");
    assert!(!p.exists("releases/1.1.0"));
}

fn bump_version(p: Project, version: &str) -> Project {
    let config = p
        .read("guidepack.toml")
        .replace("version = \"1.0.0\"", &format!("version = \"{version}\""));
    p.file("guidepack.toml", &config)
}

#[test]
fn an_area_change_summary_labels_national_and_local_change_notes() {
    let p = with_editions();
    let config = p
        .read("guidepack.toml")
        .replace("version = \"2.0.0\"", "version = \"1.0.0\"");
    let p = p.file("guidepack.toml", &config);
    p.run(&["release"]).expect(0);
    let config = p
        .read("guidepack.toml")
        .replace("version = \"1.0.0\"", "version = \"1.1.0\"")
        + "\n[[change_note]]\nversion = \"1.1.0\"\ntext = \"The national duties were revised.\"\n";
    let p = p
        .file("guidepack.toml", &config)
        .file(
            "content/areas/kent/area.toml",
            "name = \"Kent\"\nrevision = 2\n\n[[change_note]]\nversion = \"1.1.0-kent.2\"\ntext = \"Kent's contacts updated.\"\n",
        )
        .chapter("02-version.md", "title: Version", "This is version {{ pack.version }}, revised.\n");
    p.run(&[
        "build",
        "--national",
        "--area",
        "kent",
        "--audience",
        "providers",
        "--format",
        "html",
    ])
    .expect(0);
    let kent = crate::harness::main_text(&p.read("output/1.1.0/areas/kent/providers/changes.html"));
    assert!(
        kent.contains("National change: The national duties were revised."),
        "{kent}"
    );
    assert!(
        kent.contains("Local change (Kent): Kent's contacts updated."),
        "{kent}"
    );
    assert!(
        kent.contains("revised"),
        "the national text's change reaches Kent: {kent}"
    );
    let national = crate::harness::main_text(&p.read("output/1.1.0/providers/changes.html"));
    assert!(
        national.contains("The national duties were revised.") && !national.contains("Kent"),
        "{national}"
    );
}
