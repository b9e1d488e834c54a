//! Released area editions (issue 15, points 3 and 4): `release --area <id>` writes the
//! edition's own version folder (`output/<area version>/`) that no later build or release
//! rewrites; `--verify` checks it; the site index lists it as its own row.

use std::collections::BTreeMap;

use crate::harness::{Project, stderr_snapshot};

/// The minimal project (version 2.0.0): a section only area packs read, Kent (revision 1,
/// with a local section and a variable) and Surrey.
fn with_kent() -> Project {
    Project::minimal_with_areas()
        .file(
            "content/areas/kent/area.toml",
            &kent_toml(1, "the Kent nurse"),
        )
        .file(
            "content/areas/kent/local.md",
            "---\ntitle: Kent arrangements\nafter: locally\n---\nKent text, first words.\n",
        )
}

fn kent_toml(revision: u32, nurse: &str) -> String {
    format!("name = \"Kent\"\nrevision = {revision}\n[vars]\nnurse = \"{nurse}\"\n")
}

/// Asserts that the summary (on stdout) says `text`.
fn said(run: &crate::harness::Run, text: &str) {
    assert!(
        run.stdout.contains(text),
        "expected {text:?} in\n{}",
        run.stdout
    );
}

/// The output's files under `prefix`, by path.
fn tree(p: &Project, prefix: &str) -> BTreeMap<String, Vec<u8>> {
    p.output_files()
        .into_iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .collect()
}

#[test]
fn a_released_area_edition_is_never_rewritten() {
    let p = with_kent();
    p.run(&["build", "--all-areas", "--format", "html"])
        .expect(0);
    let national = tree(&p, "2.0.0/");
    let run = p.run(&["release", "--area", "kent"]).expect(0);
    said(
        &run,
        "in output/2.0.0-kent.1; record in releases/areas/kent/2.0.0-kent.1",
    );
    // The edition has a folder of its own, with its own manifest of Kent's artifacts only.
    let first = tree(&p, "2.0.0-kent.1/");
    assert!(first.contains_key("2.0.0-kent.1/areas/kent/providers/index.html"));
    assert!(first.keys().all(|k| k.starts_with("2.0.0-kent.1/areas/kent/")
        || k == "2.0.0-kent.1/manifest.json"), "{:?}", first.keys());
    let manifest = p.read("output/2.0.0-kent.1/manifest.json");
    assert_eq!(
        manifest,
        p.read("releases/areas/kent/2.0.0-kent.1/manifest.json")
            .trim_end(),
        "the record lists exactly the folder's artifacts"
    );
    assert!(manifest.contains("\"path\": \"areas/kent/providers/index.html\""));
    // `release --area` rewrote nothing of the national folder or other areas.
    assert_eq!(tree(&p, "2.0.0/"), national);

    // Revision 2 with other text; the area and the whole project are built again.
    let p = p
        .file(
            "content/areas/kent/area.toml",
            &kent_toml(2, "the new Kent nurse"),
        )
        .file(
            "content/areas/kent/local.md",
            "---\ntitle: Kent arrangements\nafter: locally\n---\nKent text, second words.\n",
        );
    p.run(&["build", "--area", "kent"]).expect(0);
    p.run(&["build", "--all-areas"]).expect(0);
    assert_eq!(
        tree(&p, "2.0.0-kent.1/"),
        first,
        "builds leave the edition alone"
    );
    let national = tree(&p, "2.0.0/");
    p.run(&["release", "--area", "kent"]).expect(0);
    assert_eq!(
        tree(&p, "2.0.0-kent.1/"),
        first,
        "the next edition leaves it alone"
    );
    assert_eq!(tree(&p, "2.0.0/"), national, "and the national folder");
    let second = tree(&p, "2.0.0-kent.2/");
    let page =
        String::from_utf8_lossy(&second["2.0.0-kent.2/areas/kent/providers/all.html"]).into_owned();
    assert!(page.contains("second words") && page.contains("2.0.0-kent.2"));
    let page =
        String::from_utf8_lossy(&first["2.0.0-kent.1/areas/kent/providers/all.html"]).into_owned();
    assert!(page.contains("first words") && !page.contains("second words"));

    // The site index lists each edition as its own row; the national version stays latest.
    let index = p.read("output/index.html");
    for edition in ["2.0.0-kent.1", "2.0.0-kent.2"] {
        assert!(
            index.contains(&format!(
                "href=\"{edition}/areas/kent/providers/index.html\""
            )),
            "{edition}: {index}"
        );
        assert!(
            index.contains(&format!(
                "{edition}/areas/kent/providers/test-pack-kent-providers-{edition}.pdf"
            )),
            "{index}"
        );
    }
    for revision in [1, 2] {
        assert!(
            index.contains(&format!(
                "own release of version 2.0.0 (revision {revision})"
            )),
            "{index}"
        );
    }
    let latest = "<strong class=\"gp-tag gp-tag--latest\">Latest";
    assert!(
        index.contains(&format!("Version 2.0.0 {latest}")),
        "{index}"
    );
    assert!(!index.contains(&format!("kent.2 {latest}")), "{index}");

    // The same edition again is refused; --force replaces it (and only it).
    p.run(&["release", "--area", "kent"])
        .expect(1)
        .stderr_has("releases/areas/kent/2.0.0-kent.2 exists");
    assert_eq!(tree(&p, "2.0.0-kent.2/"), second);
    let p = p.file(
        "content/areas/kent/local.md",
        "---\ntitle: Kent arrangements\nafter: locally\n---\nKent text, forced words.\n",
    );
    p.run(&["release", "--area", "kent", "--force"]).expect(0);
    assert_ne!(tree(&p, "2.0.0-kent.2/"), second);
    assert_eq!(tree(&p, "2.0.0-kent.1/"), first);
    assert!(!p.exists("releases/.staging-areas-kent-2.0.0-kent.2"));

    // A national release rewrites its own folder only.
    let edition = tree(&p, "2.0.0-kent.2/");
    p.run(&["release"]).expect(0);
    assert_eq!(tree(&p, "2.0.0-kent.1/"), first);
    assert_eq!(tree(&p, "2.0.0-kent.2/"), edition);
    let index = p.read("output/index.html");
    assert!(index.contains("2.0.0-kent.2/areas/kent/providers/index.html"));
}

#[test]
fn verifying_an_area_edition_checks_its_released_folder() {
    let p = with_kent();
    p.run(&["release", "--area", "kent"]).expect(0);
    let run = (p.run(&["release", "--verify", "2.0.0-kent.1", "--area", "kent"])).expect(0);
    said(&run, "and so are the files in output/2.0.0-kent.1");
    let page = "output/2.0.0-kent.1/areas/kent/providers/index.html";
    let changed = p.read(page).replace("Kent", "Kant");
    let p = p.file(page, &changed);
    p.file("output/2.0.0-kent.1/areas/kent/providers/extra.html", "x")
        .run(&["release", "--verify", "2.0.0-kent.1", "--area", "kent"])
        .expect(1)
        .stderr_has("output/2.0.0-kent.1/areas/kent/providers/index.html is not the released file (it was changed)")
        .stderr_has("output/2.0.0-kent.1/areas/kent/providers/extra.html is not in the record (it was added)");
}

#[test]
fn verifying_an_area_edition_checks_its_record_files_byte_for_byte() {
    let p = with_kent();
    p.run(&["release", "--area", "kent"]).expect(0);
    let record = "releases/areas/kent/2.0.0-kent.1/release.json";
    // The same JSON, written otherwise: no field differs, the bytes do.
    let edited = p.read(record).replace("\n  ", "\n    ");
    p.file(record, &edited)
        .run(&["release", "--verify", "2.0.0-kent.1", "--area", "kent"])
        .expect(1)
        .stderr_has("releases/areas/kent/2.0.0-kent.1/release.json is not byte for byte what `guidepack release` writes");
}

/// `version` in place of the minimal project's, with these national change notes.
fn national(p: Project, version: &str, notes: &[(&str, &str)]) -> Project {
    let mut config = Project::minimal()
        .read("guidepack.toml")
        .replace("version = \"2.0.0\"", &format!("version = \"{version}\""));
    for (v, text) in notes {
        config += &format!("\n[[change_note]]\nversion = \"{v}\"\ntext = \"{text}\"\n");
    }
    p.file("guidepack.toml", &config)
}

#[test]
fn an_area_pack_is_compared_with_the_areas_previous_edition_and_each_change_is_labelled() {
    let p = national(with_kent(), "1.0.0", &[]).chapter(
        "02-version.md",
        "title: Version",
        "The national words, first.\n",
    );
    p.run(&["release", "--area", "kent"]).expect(0);
    // A national release after Kent's edition: Kent still compares with its own edition.
    let notes = [("1.1.0", "First national revision.")];
    let p = national(p, "1.1.0", &notes);
    p.run(&["release"]).expect(0);
    let notes = [
        ("1.1.0", "First national revision."),
        ("1.2.0", "Second national revision."),
    ];
    let p = national(p, "1.2.0", &notes)
        .chapter("02-version.md", "title: Version", "The national words, second.\n")
        .file(
            "content/areas/kent/area.toml",
            &(kent_toml(2, "the new Kent nurse")
                + "\n[[change_note]]\nversion = \"1.0.0-kent.1\"\ntext = \"Kent's first edition.\"\n"
                + "\n[[change_note]]\nversion = \"1.2.0-kent.2\"\ntext = \"Kent's nurse changed.\"\n"),
        )
        .file(
            "content/areas/kent/local.md",
            "---\ntitle: Kent arrangements\nafter: locally\n---\nKent text, second words.\n",
        );
    p.run(&[
        "build",
        "--all-areas",
        "--audience",
        "providers",
        "--format",
        "html",
    ])
    .expect(0);
    let kent = crate::harness::main_text(&p.read("output/1.2.0/areas/kent/providers/changes.html"));
    for expected in [
        "since version 1.0.0-kent.1",
        "National change in version 1.1.0: First national revision.",
        "National change: Second national revision.",
        "Local change (Kent): Kent's nurse changed.",
        // The national text's change, the area's variable, the area's own section.
        "National change. Changed in Version",
        "Local change (Kent). Changed in Locally",
        "Local change (Kent). Changed in Kent arrangements",
    ] {
        assert!(kent.contains(expected), "{expected:?} in {kent}");
    }
    assert!(
        !kent.contains("Kent's first edition"),
        "an earlier edition's note: {kent}"
    );
    // Surrey has no edition of its own: it compares with the previous national release.
    let surrey =
        crate::harness::main_text(&p.read("output/1.2.0/areas/surrey/providers/changes.html"));
    for expected in [
        "since version 1.1.0",
        "National change: Second national revision.",
        "National change. Changed in Version",
    ] {
        assert!(surrey.contains(expected), "{expected:?} in {surrey}");
    }
    assert!(!surrey.contains("First national revision"), "{surrey}");
    assert!(!surrey.contains("Local change"), "{surrey}");
    // A national pack's summary is as before: no labels.
    let providers = crate::harness::main_text(&p.read("output/1.2.0/providers/changes.html"));
    assert!(!providers.contains("National change"), "{providers}");
}

#[test]
fn a_new_revision_of_the_same_national_version_is_a_local_change_of_the_version() {
    let p = with_kent().chapter(
        "02-version.md",
        "title: Version",
        "This is version {{ pack.version }}.\n",
    );
    p.run(&["release", "--area", "kent"]).expect(0);
    let p = p.file(
        "content/areas/kent/area.toml",
        &kent_toml(2, "the Kent nurse"),
    );
    p.run(&[
        "build",
        "--area",
        "kent",
        "--audience",
        "providers",
        "--format",
        "html",
    ])
    .expect(0);
    let kent = crate::harness::main_text(&p.read("output/2.0.0/areas/kent/providers/changes.html"));
    assert!(
        kent.contains("Local change (Kent). Changed in Version: This is version"),
        "{kent}"
    );
    assert!(!kent.contains("National change"), "{kent}");
}

#[test]
fn an_area_release_killed_while_it_writes_is_finished_or_undone() {
    // Each step of each journalled write: the edition folder, then its record.
    for (point, n) in [
        ("journal", 1),
        ("moved-new", 1),
        ("before-journal", 2),
        ("journal", 2),
        ("journal-removed", 2),
    ] {
        let p = with_kent();
        let crashed = p.run_with(
            &[("GUIDEPACK_TEST_CRASH_AT", &format!("{point}:{n}"))],
            &["release", "--area", "kent"],
        );
        assert_ne!(crashed.code, 0, "{point}:{n} crashes");
        // The next release finishes (or undoes) what was stopped, then goes on or finds the
        // edition recorded: either way a whole record and folder that verify.
        p.run(&["check"]).expect(0);
        let again = p.run(&["release", "--area", "kent"]);
        if again.code != 0 {
            again
                .expect(1)
                .stderr_has("2.0.0-kent.1 is already released");
        }
        p.run(&["release", "--verify", "2.0.0-kent.1", "--area", "kent"])
            .expect(0);
        let hidden: Vec<String> = std::fs::read_dir(p.path().join("releases"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(hidden.is_empty(), "{point}:{n}: {hidden:?}");
    }
}

#[test]
fn a_damaged_earlier_edition_record_is_an_error_naming_its_file() {
    let p = with_kent();
    p.run(&["release", "--area", "kent"]).expect(0);
    let p = p.file(
        "content/areas/kent/area.toml",
        &kent_toml(2, "the Kent nurse"),
    );
    p.run(&["build", "--all-areas", "--format", "html"])
        .expect(0);
    let p = p.file(
        "releases/areas/kent/2.0.0-kent.1/snapshot.json",
        "[{\"pack\": ",
    );
    let before = p.output_files();
    let run = stderr_snapshot!(
        p.run(&["build", "--area", "kent", "--format", "html"])
            .expect(1)
    );
    run.has_error(
        "the release record `releases/areas/kent/2.0.0-kent.1/snapshot.json` is damaged: it ends too early (the file was cut short)",
        "releases/areas/kent/2.0.0-kent.1/snapshot.json:1:10",
    );
    assert_eq!(p.output_files(), before, "the previous output is untouched");
}
