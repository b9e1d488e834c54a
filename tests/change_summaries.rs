//! Issue 12, point 11: change summaries and `diff` as readers use them: paragraph numbers, a
//! changed duty told once, footnotes changed rather than removed and added, packs named by
//! audience and area, and annex letters that stay put from one version to the next.

use crate::harness::{Project, main_text};
use crate::releases::bump;

const NUMBERED: &str = "language = \"en-GB\"\nnumbered_paragraphs = true\n";

/// The minimal project with `02-text.md`, released as 1.0.0 and bumped to 1.1.0.
fn released(project: Project, body: &str) -> Project {
    let p = bump(project, "1.0.0").chapter("02-text.md", "title: Text", body);
    p.run(&["release"]).expect(0);
    bump(p, "1.1.0")
}

fn numbered(p: Project) -> Project {
    let config = p
        .read("guidepack.toml")
        .replace("language = \"en-GB\"\n", NUMBERED);
    p.file("guidepack.toml", &config)
}

/// The commissioners' change summary of 1.1.0, as read.
fn summary(p: &Project) -> String {
    p.run(&["build", "--format", "html", "--audience", "commissioners"])
        .expect(0);
    main_text(&p.read("output/1.1.0/commissioners/changes.html"))
}

fn diff(p: &Project, args: &[&str]) -> String {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    p.run(&all).expect(0).stdout
}

#[test]
fn numbered_paragraphs_are_named_by_number_in_summaries_and_diffs() {
    let p = released(
        numbered(Project::minimal()),
        "First paragraph stays.\n\n## Duties {#duties}\n\nSecond paragraph will be reworded a little.\n\nThird paragraph will go.\n",
    )
    .chapter(
        "02-text.md",
        "title: Text",
        "First paragraph stays.\n\nA new paragraph.\n\n## Duties {#duties}\n\nSecond paragraph will be reworded a lot.\n",
    );
    let text = summary(&p);
    for wanted in [
        "Added paragraph 2.2 in Text: [added: A new paragraph.]",
        "Changed paragraph 2.3 (2.2 in version 1.0.0) in Duties: Second paragraph will be reworded a [removed: little.] [added: lot.]",
        "Removed paragraph 2.3 of version 1.0.0 from Duties: [removed: Third paragraph will go.]",
    ] {
        assert!(text.contains(wanted), "{wanted}\n--- in\n{text}");
    }
    let plain = diff(&p, &["1.0.0", "--audience", "commissioners"]);
    for wanted in [
        "  + paragraph 2.2 in \"Text\": A new paragraph.",
        "  ~ paragraph 2.3 (2.2 in version 1.0.0) in \"Duties\": Second paragraph",
        "  - paragraph 2.3 of version 1.0.0 in \"Duties\": Third paragraph will go.",
    ] {
        assert!(plain.contains(wanted), "{wanted}\n--- in\n{plain}");
    }
    let html = diff(&p, &["1.0.0", "--format", "html"]);
    assert!(
        html.contains("Changed paragraph 2.3 (2.2 in version 1.0.0) in &quot;Duties&quot;:"),
        "{html}"
    );
    let json: serde_json::Value = serde_json::from_str(&diff(
        &p,
        &["1.0.0", "--audience", "commissioners", "--format", "json"],
    ))
    .unwrap();
    let changed = &json["packs"][0]["changes"][1];
    assert_eq!(changed["kind"], "block-changed", "{json}");
    assert_eq!(changed["paragraph"], "2.3");
    assert_eq!(changed["old_paragraph"], "2.2");
}

#[test]
fn a_changed_duty_is_told_once_with_the_places_that_list_it() {
    let p = released(
        Project::minimal(),
        "::: duties all\n:::\n\n## The group {#group}\n\n::: role ccg\n:::\n",
    );
    let data = p
        .read("content/framework/data.toml")
        .replace("Assure the safety", "Assure the quality and safety");
    let p = p.file("content/framework/data.toml", &data);
    let text = summary(&p);
    assert_eq!(text.matches("quality and").count(), 1, "{text}");
    assert!(
        text.contains("Changed duty of Clinical commissioning group: Assure the [added: quality and ]safety of commissioned services. Listed in Text, The group and Directory of roles."),
        "{text}"
    );
    let html = p.read("output/1.1.0/commissioners/changes.html");
    assert!(
        html.contains("href=\"role-directory.html#role:ccg\">Clinical commissioning group</a>"),
        "{html}"
    );
    // The providers' directory does not list the duty; their tables do.
    for audience in ["commissioners", "providers"] {
        let plain = diff(&p, &["1.0.0", "--audience", audience]);
        assert_eq!(plain.matches("quality and").count(), 1, "{plain}");
        assert!(
            plain.contains(
                "  ~ duty of Clinical commissioning group: Assure the {+quality and +}safety"
            ),
            "{plain}"
        );
    }
    let plain = diff(&p, &["1.0.0", "--audience", "providers"]);
    assert!(
        plain.contains("      listed in \"Text\" and \"The group\"\n"),
        "{plain}"
    );
    // A duty that only the directory lists is still a change.
    let p = released(Project::minimal(), "No tables here.\n");
    let data = p.read("content/framework/data.toml").replace(
        "Train staff in safeguarding.",
        "Train all staff in safeguarding.",
    );
    let p = p.file("content/framework/data.toml", &data);
    let plain = diff(&p, &["1.0.0", "--audience", "providers"]);
    assert!(
        plain.contains("  ~ duty of Provider trust: Train {+all +}staff in safeguarding.\n      listed in \"Directory of roles\""),
        "{plain}"
    );
    assert!(
        diff(&p, &["1.0.0", "--audience", "commissioners"]).contains(": none"),
        "the commissioners' directory does not list it"
    );
}

#[test]
fn an_edited_footnote_is_a_changed_footnote() {
    let p = released(
        Project::minimal(),
        "## Basis {#basis}\n\nThe duty has a statutory basis.[^law]\n\n[^law]: Section 11 of the Children Act 2004.\n",
    )
    .chapter(
        "02-text.md",
        "title: Text",
        "## Basis {#basis}\n\nThe duty has a statutory basis.[^law]\n\n[^law]: See Working Together to Safeguard Children, published in March 2013.\n",
    );
    let json: serde_json::Value = serde_json::from_str(&diff(
        &p,
        &["1.0.0", "--audience", "providers", "--format", "json"],
    ))
    .unwrap();
    let changes = json["packs"][0]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{json}");
    assert_eq!(changes[0]["kind"], "footnote-changed");
    assert_eq!(changes[0]["footnote"], 1);
    assert_eq!(changes[0]["section"], "basis");
    assert_eq!(changes[0]["old"], "Section 11 of the Children Act 2004.");
    let text = summary(&p);
    assert!(
        text.contains("Changed footnote 1 in Basis: [removed: Section 11 of the Children Act 2004.] [added: See Working Together to Safeguard Children, published in March 2013.]"),
        "{text}"
    );
    for not_wanted in [
        "Removed from",
        "Removed footnote",
        "Added in",
        "Added footnote",
    ] {
        assert!(!text.contains(not_wanted), "{text}");
    }
    assert!(
        diff(&p, &["1.0.0", "--audience", "providers"])
            .contains("  ~ footnote 1 in \"Basis\": [-Section 11 of the Children Act 2004.-]"),
    );
}

/// The minimal project with a local area whose pack has a local variations annex.
fn with_area() -> Project {
    Project::minimal()
        .chapter(
            "03-local.md",
            "title: Local",
            "## Arrangements {#arrangements}\n\nNational arrangements.\n",
        )
        .file("content/areas/north/area.toml", "name = \"Northshire\"\n")
        .file(
            "content/areas/north/arrangements.md",
            "---\ntitle: Arrangements in Northshire\nreplaces: arrangements\n---\nNorthshire arrangements.\n",
        )
}

/// Released as 1.0.0, then changed and released as 1.1.0.
fn two_releases() -> Project {
    let p = released(with_area(), "Text that will change.\n").chapter(
        "02-text.md",
        "title: Text",
        "Text that has changed.\n",
    );
    p.run(&["release"]).expect(0);
    p
}

#[test]
fn diffs_name_audiences_and_areas() {
    let p = two_releases();
    let html = diff(&p, &["1.0.0", "1.1.0", "--format", "html"]);
    assert!(
        html.contains("<h2>The national Commissioners pack</h2>"),
        "{html}"
    );
    assert!(!html.contains("commissioners pack"), "{html}");
    let html = diff(
        &p,
        &["1.0.0", "1.1.0", "--format", "html", "--area", "north"],
    );
    assert!(
        html.contains("<h2>The Local authorities pack for Northshire</h2>"),
        "{html}"
    );
    let plain = diff(&p, &["1.0.0", "1.1.0", "--audience", "providers"]);
    assert!(
        plain.starts_with("Changes to the national Providers pack from 1.0.0 to 1.1.0:"),
        "{plain}"
    );
    // JSON keeps the ids, with the names beside them.
    let json: serde_json::Value = serde_json::from_str(&diff(
        &p,
        &[
            "1.0.0",
            "1.1.0",
            "--area",
            "north",
            "--audience",
            "providers",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let pack = &json["packs"][0];
    assert_eq!(pack["audience"], "providers");
    assert_eq!(pack["audience_name"], "Providers");
    assert_eq!(pack["area"], "north");
    assert_eq!(pack["area_name"], "Northshire");
    // With the area and an audience gone from the sources, the records still name them.
    std::fs::remove_dir_all(p.path().join("content/areas/north")).unwrap();
    let config = p.read("guidepack.toml");
    let start = config
        .find("[[audience]]\nid = \"local-authorities\"")
        .unwrap();
    let end = start + config[start..].find("[vars]").unwrap();
    let p = p.file(
        "guidepack.toml",
        &format!("{}{}", &config[..start], &config[end..]),
    );
    let html = diff(
        &p,
        &["1.0.0", "1.1.0", "--format", "html", "--area", "north"],
    );
    assert!(
        html.contains("<h2>The Local authorities pack for Northshire</h2>"),
        "{html}"
    );
}

fn heading(p: &Project, page: &str) -> String {
    let html = p.read(page);
    let start = html.find("<h1").unwrap();
    main_text(&format!(
        "<main>{}</main>",
        &html[start..start + html[start..].find("</h1>").unwrap()]
    ))
}

#[test]
fn annex_letters_stay_when_a_change_summary_appears() {
    let p = two_releases();
    for (version, dir, pdf) in [
        ("1.0.0", "providers", "test-pack-providers-1.0.0.pdf"),
        ("1.1.0", "providers", "test-pack-providers-1.1.0.pdf"),
        (
            "1.0.0",
            "areas/north/providers",
            "test-pack-north-providers-1.0.0-north.1.pdf",
        ),
        (
            "1.1.0",
            "areas/north/providers",
            "test-pack-north-providers-1.1.0-north.1.pdf",
        ),
    ] {
        let base = format!("output/{version}/{dir}");
        let directory = if dir.starts_with("areas") { "B" } else { "A" };
        assert_eq!(
            heading(&p, &format!("{base}/role-directory.html")),
            format!("{directory} Directory of roles"),
            "{base}"
        );
        let contents = main_text(&p.read(&format!("{base}/index.html")));
        assert!(
            contents.contains(&format!("{directory} Directory of roles")),
            "{contents}"
        );
        let changes = if dir.starts_with("areas") { "C" } else { "B" };
        if version == "1.1.0" {
            assert_eq!(
                heading(&p, &format!("{base}/changes.html")),
                format!("{changes} Changes in this version"),
                "the change summary comes last"
            );
        } else {
            assert!(!p.exists(&format!("{base}/changes.html")));
        }
        if dir.starts_with("areas") {
            assert_eq!(
                heading(&p, &format!("{base}/local-variations.html")),
                "A Local variations"
            );
        }
        let Some(text) = crate::harness::pdf_words(&p.path().join(format!("{base}/{pdf}"))) else {
            continue;
        };
        // The headings (pdftotext reads the contents page in columns).
        assert!(
            text.contains(&format!(
                "{directory} Directory of roles Every role in this guidance"
            )),
            "{text}"
        );
        for other in ["A", "B", "C"].iter().filter(|l| **l != directory) {
            assert!(
                !text.contains(&format!("{other} Directory of roles")),
                "{text}"
            );
        }
        if version == "1.1.0" {
            assert!(
                text.contains(&format!(
                    "{changes} Changes in this version What has changed since version 1.0.0."
                )),
                "{text}"
            );
        }
    }
}
