//! Accessibility of the output (issue 12, points 12 and 13): every page of the sample and of a
//! new pack has no axe-core violations in Chromium at 1280 and 375 px, each table region has a
//! name of its own, tables reflow into stacked cells on a phone and print as tables, and the PDF
//! keeps telephone numbers and email addresses whole. The browser checks run
//! `tests/a11y/axe.mjs` (Node, playwright-core and axe-core from `npm ci --prefix tests/a11y`,
//! Debian's Chromium); without them they say so and skip, except in CI, where that fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::harness::{Project, required_tool};

fn checker_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/a11y")
}

/// Whether the browser check can run here (see the module's note).
pub(crate) fn browser_check_available() -> bool {
    let node = Command::new("node").arg("--version").output().is_ok();
    if !required_tool(node, "node", "nodejs npm") {
        return false;
    }
    let installed = ["axe-core", "playwright-core"]
        .iter()
        .all(|m| checker_dir().join("node_modules").join(m).exists());
    if !installed {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the browser check's packages are required in CI but are not installed \
             (npm ci --prefix tests/a11y)"
        );
        eprintln!(
            "skipped: the browser check's packages are not installed (npm ci --prefix tests/a11y)"
        );
        return false;
    }
    required_tool(
        Path::new("/usr/bin/chromium").exists(),
        "/usr/bin/chromium",
        "chromium",
    )
}

/// Runs the browser check on pages (or folders of pages) of a project; page names in the
/// report are relative to the project.
pub(crate) fn browser_check(project: &Project, pages: &[&str]) -> Value {
    let out = Command::new("node")
        .arg(checker_dir().join("axe.mjs"))
        .args(pages)
        .current_dir(project.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the browser check did not run\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The report's violations and layout problems, one readable line (or block) each.
pub(crate) fn findings(report: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for v in report["violations"].as_array().unwrap() {
        let mut text = format!(
            "{} at {} px: {} ({}): {}",
            v["page"].as_str().unwrap(),
            v["viewport"],
            v["rule"].as_str().unwrap(),
            v["impact"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap()
        );
        for node in v["nodes"].as_array().unwrap() {
            text.push_str(&format!(
                "\n    {}\n    {}\n    {}",
                node["target"].as_str().unwrap(),
                node["html"].as_str().unwrap(),
                node["summary"]
                    .as_str()
                    .unwrap_or("")
                    .replace('\n', "\n    ")
            ));
        }
        found.push(text);
    }
    for l in report["layout"].as_array().unwrap() {
        found.push(format!(
            "{} at {}: {}",
            l["page"].as_str().unwrap(),
            l["viewport"],
            l["problem"].as_str().unwrap()
        ));
    }
    found
}

#[test]
fn every_page_of_the_sample_and_of_a_new_pack_passes_axe_at_1280_and_375_px() {
    if !browser_check_available() {
        return;
    }
    let sample = Project::sample();
    sample
        .run(&["build", "--all-areas", "--format", "html"])
        .expect(0);
    let new = tempfile::tempdir().unwrap();
    let made = new.path().join("made");
    let run = Command::new(env!("CARGO_BIN_EXE_guidepack"))
        .arg("new")
        .arg(&made)
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let run = Command::new(env!("CARGO_BIN_EXE_guidepack"))
        .args(["--project", made.to_str().unwrap()])
        .args(["build", "--all-areas", "--format", "html"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");

    // One browser for both projects' pages.
    let report = browser_check(&sample, &["output", made.join("output").to_str().unwrap()]);
    let pages = report["pages"].as_u64().unwrap();
    assert!(pages > 150, "only {pages} pages were checked");
    let found = findings(&report);
    assert!(
        found.is_empty(),
        "{} problems on {pages} pages:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn duties_and_contacts_tables_fit_a_phone_and_print_as_tables() {
    if !browser_check_available() {
        return;
    }
    let sample = Project::sample();
    sample
        .run(&["build", "--area", "northshire", "--format", "html"])
        .expect(0);
    let pack = "output/1.0.0/areas/northshire/commissioners";
    let duties = format!("{pack}/roles.html");
    let contacts = format!("{pack}/next-steps.html");
    // The pages hold the 4-column tables the check is about.
    assert!(sample.read(&duties).contains(">Statutory basis</th>"));
    assert!(sample.read(&contacts).contains(">Telephone</th>"));

    let report = browser_check(&sample, &[&duties, &contacts]);
    // Every cell was measured at 375 px: no sideways scroll, on screen, not cut off, labelled
    // with its column header; and printed, every table is still a table.
    assert!(report["cells"].as_u64().unwrap() > 40, "{report}");
    let found = findings(&report);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The `aria-label`s of a page's table regions, in order.
fn region_names(html: &str) -> Vec<String> {
    html.split("<div class=\"gp-table-wrap\" role=\"region\" aria-label=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn every_table_region_of_a_page_has_a_name_of_its_own() {
    let table = "| A | B |\n|---|---|\n| 1 | 2 |\n";
    let p = Project::minimal()
        .chapter(
            "02-tables.md",
            "title: Tables\nid: tables",
            &format!(
                "{table}\n## Local contacts\n\n{table}\n{table}\n## Key dates\n\n{table}\n\
                 ::: duties\nTable 1: Duties\n:::\n\n::: duties\nTable 1: Duties\n:::\n"
            ),
        )
        .chapter(
            "03-more.md",
            "title: More\nid: more",
            &format!("## Local contacts\n\n{table}"),
        );
    p.build_html();
    let chapter = region_names(&p.read("output/2.0.0/commissioners/tables.html"));
    assert_eq!(
        chapter,
        [
            "Table 1: Tables",
            "Table 2: Local contacts",
            "Table 3: Local contacts",
            "Table 4: Key dates",
            "Table 1: Duties",
            "Table 1: Duties (table 6)",
        ]
    );
    // On the one-page version the names are unique across chapters too.
    let all = region_names(&p.read("output/2.0.0/commissioners/all.html"));
    assert_eq!(all.len(), 7, "{all:?}");
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "{all:?}");
    assert!(
        all.contains(&"Table 7: Local contacts".to_string()),
        "{all:?}"
    );
}

fn pdftotext_layout(pdf: &Path) -> Option<String> {
    let run = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output();
    if !required_tool(run.is_ok(), "pdftotext", "poppler-utils") {
        return None;
    }
    let run = run.unwrap();
    assert!(run.status.success());
    // A no-break space is a space to the reader.
    Some(String::from_utf8_lossy(&run.stdout).replace('\u{a0}', " "))
}

#[test]
fn telephone_numbers_and_email_addresses_never_break_inside_in_the_pdf() {
    let long_local = "designated.professionals.for.safeguarding.children";
    let long_domain = "northshire-and-riverbury-integrated-care-board.example.org";
    let p = Project::sample();
    let area = p.read("content/areas/northshire/area.toml");
    let p = p.file(
        "content/areas/northshire/area.toml",
        &format!(
            "{area}\n[[contact]]\nname = \"Designated professionals' shared mailbox\"\n\
             email = \"{long_local}@{long_domain}\"\nphone = \"+44 1632 960 999\"\n"
        ),
    );
    p.run(&[
        "build",
        "--area",
        "northshire",
        "--audience",
        "commissioners",
        "--format",
        "pdf",
    ])
    .expect(0);
    // The sample's Northshire edition (its revision is in its area.toml).
    let folder = p.path().join("output/1.0.0/areas/northshire/commissioners");
    let pdf = (std::fs::read_dir(&folder).expect("the pack's folder"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|path| path.extension().is_some_and(|e| e == "pdf"))
        .expect("the PDF");
    let Some(text) = pdftotext_layout(&pdf) else {
        return;
    };
    // The table, from its caption to the heading after it (it crosses a page).
    let table = text
        .split("Table 9.1: Safeguarding contacts")
        .nth(1)
        .and_then(|rest| rest.split("Feedback on this pack").next())
        .expect("the contacts table is in the PDF");
    let lines: Vec<&str> = table.lines().collect();
    let on_a_line = |s: &str| lines.iter().any(|l| l.contains(s));
    for whole in [
        "jo.example@example.org",
        "sam.sample@example.org",
        "lado@northshire.example.org",
        "lscb@northshire.example.org",
        "01632 960101",
        "01632 960102",
        "01632 960150",
        "01632 960180",
        "+44 1632 960 999",
    ] {
        assert!(on_a_line(whole), "{whole} is not whole on a line:\n{table}");
    }
    // An address too long for its column breaks only after the @, each part whole.
    let long = format!("{long_local}@{long_domain}");
    assert!(
        on_a_line(&long) || (on_a_line(&format!("{long_local}@")) && on_a_line(long_domain)),
        "{long} is broken other than after the @:\n{table}"
    );
    // And in prose, a telephone number stays on one line.
    for line in text.lines() {
        assert!(
            !line.trim_end().ends_with("01632"),
            "a telephone number is broken across lines: {line}"
        );
    }
}
