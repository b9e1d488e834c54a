//! The output and the release records under hostile and unlucky conditions: links planted in
//! the output, a process killed at every step of publishing, damaged release records, and a
//! build of one format beside the other's files.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::harness::{Project, Run, stderr_snapshot};
use crate::releases::bump;

/// Runs the binary with the crash hook set to `point`.
fn run_crashing(p: &Project, point: &str, args: &[&str]) -> Run {
    p.run_with(&[("GUIDEPACK_TEST_CRASH_AT", point)], args)
}

/// Every file of `dir`, by path, without following links.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                walk(&entry.path(), &format!("{name}/"), out);
            } else if kind.is_symlink() {
                out.insert(name, b"(link)".to_vec());
            } else {
                out.insert(name, fs::read(entry.path()).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, "", &mut files);
    files
}

/// Asserts that every manifest in the output lists files that exist with their recorded
/// sha256 and size, that every pack of a manifest has its folder with an `index.html` or a PDF,
/// and that nothing half-done is left.
fn assert_whole(p: &Project, context: &str) {
    let out = p.path().join("output");
    for entry in fs::read_dir(&out).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            !name.starts_with('.'),
            "{context}: {name} left in the output"
        );
        if !entry.file_type().unwrap().is_dir() {
            continue;
        }
        let manifest = entry.path().join("manifest.json");
        let manifest: serde_json::Value = serde_json::from_slice(
            &fs::read(&manifest).unwrap_or_else(|e| panic!("{context}: {name}: {e}")),
        )
        .unwrap_or_else(|e| panic!("{context}: {name}/manifest.json: {e}"));
        let mut packs = BTreeMap::new();
        for a in manifest["artifacts"].as_array().unwrap() {
            let path = a["path"].as_str().unwrap();
            let bytes = fs::read(entry.path().join(path))
                .unwrap_or_else(|e| panic!("{context}: {name}/{path}: {e}"));
            assert_eq!(
                a["sha256"].as_str().unwrap(),
                guidepack::output::sha256_hex(&bytes),
                "{context}: {name}/{path}"
            );
            assert_eq!(
                a["bytes"].as_u64().unwrap(),
                bytes.len() as u64,
                "{context}"
            );
            let pack = match a["area"].as_str() {
                Some(area) => format!("areas/{area}/{}", a["audience"].as_str().unwrap()),
                None => a["audience"].as_str().unwrap().to_string(),
            };
            packs.insert(pack, ());
        }
        assert!(!packs.is_empty(), "{context}: {name} lists no pack");
        for pack in packs.keys() {
            assert!(
                entry.path().join(pack).is_dir(),
                "{context}: the pack folder {name}/{pack} is missing"
            );
        }
    }
}

// ---- 8: links in the output are never written through

#[cfg(unix)]
#[test]
fn an_older_version_that_is_a_link_is_left_alone_with_a_warning() {
    let p = bump(Project::minimal(), "0.0.1");
    p.run(&["build", "--format", "html"]).expect(0);
    let elsewhere = tempfile::tempdir().unwrap();
    let moved = elsewhere.path().join("0.0.1");
    fs::rename(p.path().join("output/0.0.1"), &moved).unwrap();
    std::os::unix::fs::symlink(&moved, p.path().join("output/0.0.1")).unwrap();
    let before = tree(elsewhere.path());

    let p = bump(p, "0.1.0");
    stderr_snapshot!(p.run(&["build", "--format", "html"]).expect(0));
    assert_eq!(
        tree(elsewhere.path()),
        before,
        "nothing outside was written"
    );
    assert!(p.exists("output/0.1.0/providers/index.html"));
    assert_whole(&p, "after the build");
}

#[cfg(unix)]
#[test]
fn links_where_a_build_writes_are_refused_and_nothing_is_written() {
    for linked in ["output/2.0.0", "output/2.0.0/providers", "output"] {
        let p = Project::minimal();
        p.run(&["build", "--format", "html"]).expect(0);
        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("moved");
        fs::rename(p.path().join(linked), &target).unwrap();
        std::os::unix::fs::symlink(&target, p.path().join(linked)).unwrap();
        let before = tree(elsewhere.path());
        let outside_output = tree(p.path());

        stderr_snapshot!(p.run(&["build", "--format", "html"]).expect(1));
        assert_eq!(
            tree(elsewhere.path()),
            before,
            "{linked}: nothing outside was written"
        );
        assert_eq!(
            tree(p.path()),
            outside_output,
            "{linked}: nothing was written"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_page_that_is_a_link_is_not_written_through_by_the_banner() {
    let p = bump(Project::minimal(), "0.0.1");
    p.run(&["build", "--format", "html"]).expect(0);
    let elsewhere = tempfile::tempdir().unwrap();
    let page = elsewhere.path().join("index.html");
    fs::rename(p.path().join("output/0.0.1/providers/index.html"), &page).unwrap();
    std::os::unix::fs::symlink(&page, p.path().join("output/0.0.1/providers/index.html")).unwrap();
    let before = fs::read(&page).unwrap();

    let p = bump(p, "0.1.0");
    stderr_snapshot!(p.run(&["build", "--format", "html"]).expect(0));
    assert_eq!(fs::read(&page).unwrap(), before);
    // The other pages of 0.0.1 got their banner.
    assert!(
        p.read("output/0.0.1/commissioners/index.html")
            .contains("0.1.0/commissioners/index.html")
    );
}

// ---- 9: a publish killed at any step leaves an output that is whole after the next run

/// The crash points of one publish, in order (`point:n` is its n-th time in the run).
const FIRST_PUBLISH: [&str; 8] = [
    "before-journal",
    "journal",
    "moved-old",
    "moved-new",
    "moved-old:2",
    "moved-new:3",
    "moved-new:4",
    "journal-removed",
];

fn changed(p: Project) -> Project {
    p.chapter(
        "01-intro.md",
        "title: Introduction",
        "## Purpose {#purpose}\n\nThe new text of the pack, rewritten.\n",
    )
}

#[test]
fn a_build_killed_at_any_step_of_its_swap_is_repaired_by_the_next_run() {
    // The output of the new text, built cleanly, to compare with.
    let reference = changed(Project::minimal());
    reference.run(&["build", "--format", "html"]).expect(0);
    let new = tree(&reference.path().join("output"));

    for point in FIRST_PUBLISH {
        let p = Project::minimal();
        p.run(&["build", "--format", "html"]).expect(0);
        let old = tree(&p.path().join("output"));
        let p = changed(p);
        let crashed = run_crashing(&p, point, &["build", "--format", "html"]);
        assert_eq!(
            crashed.code, -1,
            "{point}: the hook aborts\n{}",
            crashed.stderr
        );

        // A run that fails on the project still repairs the output first.
        let broken = p.chapter("02-bad.md", "title: Bad", "[x](#nowhere)\n");
        broken.run(&["build", "--format", "html"]).expect(1);
        assert_whole(&broken, point);
        let now = tree(&broken.path().join("output"));
        assert!(
            now == old || now == new,
            "{point}: the output is neither all old nor all new"
        );
        if point.starts_with("moved-") || point.starts_with("journal") {
            assert!(now == new, "{point}: a started swap is finished");
        }

        fs::remove_file(broken.path().join("content/02-bad.md")).unwrap();
        broken.run(&["build", "--format", "html"]).expect(0);
        assert_whole(&broken, point);
        assert_eq!(tree(&broken.path().join("output")), new, "{point}");
    }
}

#[test]
fn a_build_killed_while_marking_older_versions_is_repaired() {
    // 0.9.0 in the output; building 2.0.0 publishes it (four moves: three packs and the
    // manifest), then marks 0.9.0's pages in a second journalled publish.
    let reference = bump(Project::minimal(), "0.9.0");
    reference.run(&["build", "--format", "html"]).expect(0);
    let reference = bump(reference, "2.0.0");
    reference.run(&["build", "--format", "html"]).expect(0);
    let new = tree(&reference.path().join("output"));

    for point in [
        "before-journal:2",
        "journal:2",
        "moved-new:5",
        "moved-new:9",
        "journal-removed:2",
    ] {
        let p = bump(Project::minimal(), "0.9.0");
        p.run(&["build", "--format", "html"]).expect(0);
        let p = bump(p, "2.0.0");
        let crashed = run_crashing(&p, point, &["build", "--format", "html"]);
        assert_eq!(crashed.code, -1, "{point}\n{}", crashed.stderr);
        p.run(&["check"]).expect(0);
        assert!(p.exists("output/2.0.0/manifest.json"), "{point}");
        p.run(&["build", "--format", "html"]).expect(0);
        assert_whole(&p, point);
        assert_eq!(tree(&p.path().join("output")), new, "{point}");
    }
}

#[test]
fn a_release_killed_while_its_version_folder_is_swapped_is_finished() {
    let p = bump(Project::minimal(), "1.0.0");
    p.run(&["build", "--format", "html"]).expect(0);
    // The old version folder is moved aside: output/1.0.0 does not exist at this moment.
    let crashed = run_crashing(&p, "moved-old", &["release"]);
    assert_eq!(crashed.code, -1, "{}", crashed.stderr);
    assert!(!p.exists("output/1.0.0"));
    stderr_snapshot!(
        p.run(&["build", "--format", "html", "--audience", "providers"])
            .expect(0)
    );
    assert_whole(&p, "after the release was finished");
    assert!(
        tree(&p.path().join("output/1.0.0"))
            .keys()
            .any(|k| k.ends_with(".pdf")),
        "the release's PDFs are in place"
    );
}

// ---- 16: a format not asked for is left as it was

#[test]
fn building_one_format_keeps_the_other() {
    let p = Project::minimal();
    p.run(&["build", "--audience", "providers"]).expect(0);
    let pdf = "output/2.0.0/providers/test-pack-providers-2.0.0.pdf";
    let pdf_bytes = fs::read(p.path().join(pdf)).unwrap();

    let p = changed(p);
    p.run(&["build", "--format", "html", "--audience", "providers"])
        .expect(0);
    assert_eq!(
        fs::read(p.path().join(pdf)).unwrap(),
        pdf_bytes,
        "the PDF stays"
    );
    assert!(
        p.read("output/2.0.0/providers/index.html")
            .contains("Introduction")
    );
    assert!(
        p.read("output/2.0.0/manifest.json")
            .contains("test-pack-providers-2.0.0.pdf")
    );
    assert_whole(&p, "after --format html");

    let page = p.read("output/2.0.0/providers/all.html");
    p.run(&["build", "--format", "pdf", "--audience", "providers"])
        .expect(0);
    assert_eq!(
        p.read("output/2.0.0/providers/all.html"),
        page,
        "the HTML stays"
    );
    assert!(p.exists(pdf));
    assert_whole(&p, "after --format pdf");
}

// ---- 14: a damaged release record is an error naming the file

#[test]
fn a_damaged_release_record_stops_build_check_and_release() {
    let record = |p: &Project, name: &str| p.read(&format!("releases/0.9.0/{name}"));
    type Damage = fn(&str) -> Option<String>;
    let damages: [(&str, Damage, &str); 5] = [
        (
            "release.json",
            |t| Some(t[..t.len() / 2].to_string()),
            "release-cut-short",
        ),
        ("manifest.json", |_| Some(String::new()), "manifest-empty"),
        (
            "snapshot.json",
            |t| Some(t.replacen("\"audience\": \"", "\"audience\": 5, \"was\": \"", 1)),
            "snapshot-wrong-type",
        ),
        ("snapshot.json", |_| None, "snapshot-missing"),
        (
            "release.json",
            |t| Some(t.replacen("\"version\": \"0.9.0\"", "\"version\": \"0.8.0\"", 1)),
            "release-other-version",
        ),
    ];
    for (name, damage, case) in damages {
        let p = Project::sample();
        let path = p.path().join("releases/0.9.0").join(name);
        match damage(&record(&p, name)) {
            Some(text) => fs::write(&path, text).unwrap(),
            None => fs::remove_file(&path).unwrap(),
        }
        for args in [&["check"][..], &["build", "--format", "html"], &["release"]] {
            let run = stderr_snapshot!(p.run(args).expect(1), format!("{case}-{}", args[0]));
            assert!(
                run.stderr.contains(&format!(" --> releases/0.9.0/{name}")),
                "{args:?}: the file is named\n{}",
                run.stderr
            );
            assert!(!p.exists("output"), "{args:?}: nothing is written");
        }
    }
}

#[test]
fn a_manifest_that_lists_a_file_twice_is_damaged() {
    let p = Project::sample();
    let path = p.path().join("releases/0.9.0/manifest.json");
    let text = fs::read_to_string(&path).unwrap();
    let mut manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    let first = manifest["artifacts"][0].clone();
    let artifacts = manifest["artifacts"].as_array_mut().unwrap();
    for _ in 0..1000 {
        artifacts.push(first.clone());
    }
    fs::write(&path, serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
    stderr_snapshot!(p.run(&["check"]).expect(1));
}

#[test]
fn verify_checks_every_recorded_file() {
    let p = bump(Project::minimal(), "1.0.0");
    p.run(&["release"]).expect(0);
    let verified = p.run(&["release", "--verify", "1.0.0"]).expect(0);
    assert!(
        verified
            .stdout
            .contains("and so are its release.json, manifest.json and snapshot.json"),
        "{}",
        verified.stdout
    );
    let dir = p.path().join("releases/1.0.0");
    let original: BTreeMap<String, String> = ["release.json", "manifest.json", "snapshot.json"]
        .iter()
        .map(|n| (n.to_string(), fs::read_to_string(dir.join(n)).unwrap()))
        .collect();
    let edit = |name: &str, text: String| {
        for (n, t) in &original {
            fs::write(dir.join(n), t).unwrap();
        }
        fs::write(dir.join(name), text).unwrap();
    };

    edit(
        "snapshot.json",
        original["snapshot.json"].replacen("Intro text for everyone.", "Intro text for nobody.", 1),
    );
    stderr_snapshot!(p.run(&["release", "--verify", "1.0.0"]).expect(1));

    let mut manifest: serde_json::Value = serde_json::from_str(&original["manifest.json"]).unwrap();
    let first = manifest["artifacts"][0].clone();
    manifest["artifacts"].as_array_mut().unwrap().push(first);
    edit(
        "manifest.json",
        serde_json::to_string_pretty(&manifest).unwrap(),
    );
    stderr_snapshot!(p.run(&["release", "--verify", "1.0.0"]).expect(1));

    edit(
        "release.json",
        // Another guidepack, whatever this one's version is.
        original["release.json"].replacen(
            &format!("\"generator\": \"guidepack {}\"", env!("CARGO_PKG_VERSION")),
            "\"generator\": \"guidepack 90.0.0\"",
            1,
        ),
    );
    stderr_snapshot!(p.run(&["release", "--verify", "1.0.0"]).expect(1));

    // Only the form changed (no final newline): still not what was recorded.
    edit(
        "release.json",
        original["release.json"].trim_end().to_string(),
    );
    stderr_snapshot!(p.run(&["release", "--verify", "1.0.0"]).expect(1));

    edit("release.json", original["release.json"].clone());
    p.run(&["release", "--verify", "1.0.0"]).expect(0);
}
