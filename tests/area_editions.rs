//! Area editions (issue 15, points 3 and 4): an area's `revision` and its version string
//! `<national>-<area>.<revision>` on every page, the cover, the PDF and the file names.

use std::process::Command;

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
    assert!(p.read("output/2.0.0/areas/surrey/providers/index.html").contains("2.0.0-surrey.1"));
    let national = p.read("output/2.0.0/providers/version.html");
    assert!(!national.contains("kent") && national.contains("This is version 2.0.0."));
    let files = p.output_files();
    let pdf = files
        .keys()
        .find(|k| k.starts_with("2.0.0/areas/kent/providers/") && k.ends_with(".pdf"))
        .expect("a Kent PDF");
    assert!(pdf.ends_with("-kent-providers-2.0.0-kent.2.pdf"), "{pdf}");
    if let Some(text) = pdf_text(&p, &format!("output/{pdf}")) {
        // The cover and the running footer of every page.
        assert!(text.matches("2.0.0-kent.2").count() >= 3, "{text}");
    }
}

/// The text of a PDF, or `None` without pdftotext.
fn pdf_text(p: &Project, path: &str) -> Option<String> {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    if !crate::harness::required_tool(found, "pdftotext", "poppler-utils") {
        return None;
    }
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(p.path().join(path))
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
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
