//! The reviewer's copy (issue 13, point 6): `guidepack build --review` writes one HTML pack and
//! one PDF with every audience's and area's text into `output/<version>/review/`, each
//! conditional part labelled in words with who sees it and each area's local section beside
//! the national one; written atomically, never into a released version's folder.

use std::collections::BTreeMap;
use std::process::Command;

use crate::harness::{Project, main_text, required_tool};
use crate::releases::bump;

const REVIEW: &str = "output/1.0.0/review";
const PDF: &str = "output/1.0.0/review/safeguarding-children-in-the-reformed-nhs-review-1.0.0.pdf";

/// The sample with its reviewer's copy built.
fn sample_review() -> Project {
    let p = Project::sample();
    p.run(&["build", "--review"])
        .expect(0)
        .stdout_contains("built the reviewer's copy");
    p
}

trait StdoutHas {
    fn stdout_contains(self, text: &str) -> Self;
}

impl StdoutHas for crate::harness::Run {
    fn stdout_contains(self, text: &str) -> Self {
        assert!(
            self.stdout.contains(text),
            "expected {text:?} in stdout\n{}",
            self.stdout
        );
        self
    }
}

/// Where each of `texts` is in `haystack`; fails naming the one that is missing.
fn positions(haystack: &str, texts: &[&str]) -> Vec<usize> {
    texts
        .iter()
        .map(|t| {
            haystack
                .find(t)
                .unwrap_or_else(|| panic!("{t:?} is missing from\n{haystack}"))
        })
        .collect()
}

fn in_order(haystack: &str, texts: &[&str]) {
    let at = positions(haystack, texts);
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "{texts:#?} are not in this order: {at:?}"
    );
}

#[test]
fn the_sample_review_copy_has_every_chapter_of_every_pack() {
    let p = sample_review();
    // Every chapter page of every pack (each audience, nationally and in each area).
    p.run(&["build", "--format", "html", "--all-areas"])
        .expect(0);
    let files = p.output_files();
    let mut pages: Vec<String> = files
        .keys()
        .filter(|path| path.ends_with(".html") && !path.starts_with("1.0.0/review/"))
        .filter_map(|path| path.strip_prefix("1.0.0/").map(str::to_string))
        .filter_map(|rel| rel.rsplit('/').next().map(str::to_string))
        .collect();
    pages.sort();
    pages.dedup();
    let pages: Vec<String> = pages
        .into_iter()
        // The change summary and local variations are about one pack each: not in the copy.
        .filter(|page| !["changes.html", "local-variations.html"].contains(&page.as_str()))
        .collect();
    assert!(pages.len() > 10, "{pages:?}");
    for page in &pages {
        assert!(
            files.contains_key(&format!("1.0.0/review/{page}")),
            "the reviewer's copy has no {page}"
        );
    }
    // The local sections that areas add as chapters or sections are in it too.
    let all = main_text(&p.read(&format!("{REVIEW}/all.html")));
    for title in [
        "Local arrangements in Northshire",
        "Local arrangements in Riverbury",
        "The Northshire health referral pathway",
        "Named professionals in Riverbury providers",
        "Multi-agency training in Riverbury",
    ] {
        assert!(all.contains(title), "{title} is missing");
    }
}

#[test]
fn conditional_parts_are_labelled_with_who_sees_them() {
    let p = sample_review();
    let all = main_text(&p.read(&format!("{REVIEW}/all.html")));
    // `::: audience` fences, one after another as written, and `not`.
    in_order(
        &all,
        &[
            "Seen by: Commissioners only 1.5 You work for a clinical commissioning group",
            "Seen by: Providers only 1.6 You work for an NHS trust",
            "Seen by: Designated professionals only",
            "Seen by: Local authorities only",
        ],
    );
    assert!(
        all.contains("Seen by: Everyone except Local authorities"),
        "{all}"
    );
    // Nested fences: each box says its own condition, the inner one inside the outer one.
    let outer = positions(
        &all,
        &["Seen by: Commissioners, Designated professionals only"],
    )[0];
    in_order(
        &all[outer..],
        &[
            "Seen by: Commissioners, Designated professionals only",
            "Designated professionals advise the group",
            "Seen by: Designated professionals only",
            "Your role is advisory and strategic",
            "Some areas share their designated professionals",
        ],
    );
    // A heading's `{audience=…}` section: its label comes first, then the heading.
    assert!(
        all.contains("Seen by: Commissioners, Providers only Commissioning arrangements"),
        "{all}"
    );
    // A chapter limited by its front matter.
    assert!(all.contains(
        "Seen by: Commissioners, Providers, Designated professionals only — the whole chapter"
    ));
    // The label is text inside the region that it names, not colour alone.
    let html = p.read(&format!("{REVIEW}/purpose-and-scope.html"));
    assert!(
        html.contains("<div class=\"gp-labelled\" role=\"group\" aria-labelledby=\"gp-label-1\">\n<p class=\"gp-labelled__label\" id=\"gp-label-1\">Seen by: Commissioners only</p>"),
        "{html}"
    );
}

#[test]
fn local_sections_stand_beside_the_national_section_they_replace_or_follow() {
    let p = sample_review();
    let all = main_text(&p.read(&format!("{REVIEW}/all.html")));
    in_order(
        &all,
        &[
            "Making a referral",
            "Seen by: Northshire only — added after the section “Making a referral” The Northshire health referral pathway",
            "Multi-agency safeguarding hubs",
        ],
    );
    in_order(
        &all,
        &[
            "Seen by: Riverbury only — added before the section “Multi-agency training” Multi-agency training in Riverbury",
            "Multi-agency training",
        ],
    );
    in_order(
        &all,
        &[
            "Seen by: Every pack except Northshire, Riverbury — their packs read their own text, below, in place of this section Local arrangements",
            "Seen by: Northshire only — in place of the section “Local arrangements” Local arrangements in Northshire",
            "Seen by: Riverbury only — in place of the section “Local arrangements” Local arrangements in Riverbury",
            "Contacts",
        ],
    );
    // A local section for some audiences says both.
    assert!(all.contains(
        "Seen by: Riverbury only; Providers only — added after the section “Named professionals”"
    ));
    // Local text reads with its own area's values; the national text shows placeholders.
    assert!(all.contains("The designated nurse is Jo Example"));
    assert!(all.contains("The designated nurse is Priya Testcase"));
    assert!(all.contains("ask {{ area.designated_nurse }}"), "{all}");
    let values = main_text(&p.read(&format!("{REVIEW}/local-values.html")));
    for value in [
        "your designated nurse for safeguarding children",
        "Jo Example, designated nurse for safeguarding children (01632 960101)",
        "Priya Testcase",
    ] {
        assert!(values.contains(value), "{value} in {values}");
    }
}

#[test]
fn directives_and_the_directory_show_every_audience_and_area() {
    let p = sample_review();
    let all = main_text(&p.read(&format!("{REVIEW}/all.html")));
    for label in [
        "Seen by: Commissioners only — made from the framework data for each audience",
        "Seen by: Local authorities only — made from the framework data for each audience",
        "Seen by: National packs only Each local area's pack lists",
        "Seen by: Northshire only — made from the area's contacts",
        "Seen by: Riverbury only — made from the area's contacts",
    ] {
        assert!(all.contains(label), "{label}");
    }
    let directory = main_text(&p.read(&format!("{REVIEW}/role-directory.html")));
    assert!(directory.contains("For: Commissioners"), "{directory}");
}

#[test]
fn every_page_and_the_pdf_say_it_is_not_for_publication() {
    let p = sample_review();
    let files = p.output_files();
    let pages: Vec<&String> = files
        .keys()
        .filter(|path| path.starts_with("1.0.0/review/") && path.ends_with(".html"))
        .collect();
    assert!(pages.len() > 10);
    for page in pages {
        let html = String::from_utf8_lossy(&files[page]);
        assert!(
            html.contains("<title>Reviewer&#39;s copy — not for publication: "),
            "{page}"
        );
        assert!(
            html.contains("id=\"gp-review-title\">Reviewer&#39;s copy — not for publication</p>"),
            "{page}"
        );
    }
    let path = p.path().join(PDF);
    let Some(text) = crate::harness::pdf_words(&path) else {
        return;
    };
    for wanted in [
        // Typst writes the apostrophe as a typographic one.
        "Reviewer’s copy — not for publication",
        "Seen by: Commissioners only",
        "Seen by: Everyone except Local authorities",
        "Seen by: Commissioners, Providers only",
        "Seen by: Northshire only — in place of the section “Local arrangements”",
        "Seen by: Riverbury only — added before the section “Multi-agency training”",
        // A page that starts inside a box repeats its label in the running header.
        "Continued: Seen by: Commissioners, Providers, Designated professionals only — the whole chapter",
    ] {
        assert!(text.contains(wanted), "{wanted:?} is missing from the PDF");
    }
}

#[test]
fn every_page_of_the_copy_passes_axe_at_1280_and_375_px() {
    if !crate::accessibility::browser_check_available() {
        return;
    }
    let p = sample_review();
    let report = crate::accessibility::browser_check(&p, &[REVIEW]);
    let pages = report["pages"].as_u64().unwrap();
    assert!(pages > 10, "only {pages} pages were checked");
    let found = crate::accessibility::findings(&report);
    assert!(
        found.is_empty(),
        "{} problems on {pages} pages:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_review_pdf_is_tagged_pdf_ua() {
    let p = sample_review();
    let found = Command::new("pdfinfo").arg("-v").output().is_ok();
    if !required_tool(found, "pdfinfo", "poppler-utils") {
        return;
    }
    let path = p.path().join(PDF);
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
            .unwrap_or_default()
    };
    assert_eq!(field("Tagged:"), "yes", "{info}");
    assert_eq!(
        field("Title:"),
        "Safeguarding children in the reformed NHS – Reviewer's copy — not for publication",
        "{info}"
    );
    let meta = Command::new("pdfinfo")
        .arg("-meta")
        .arg(&path)
        .output()
        .unwrap();
    let meta = String::from_utf8_lossy(&meta.stdout);
    assert!(meta.contains("pdfuaid"), "PDF/UA-1 is declared: {meta}");
    assert!(meta.contains("en-GB"), "{meta}");
}

#[test]
fn the_copy_is_in_the_manifest_and_the_index_apart_from_the_packs() {
    let p = sample_review();
    p.run(&["build", "--format", "html"]).expect(0);
    let manifest: serde_json::Value =
        serde_json::from_str(&p.read("output/1.0.0/manifest.json")).unwrap();
    let review: Vec<&serde_json::Value> = manifest["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["path"].as_str().unwrap().starts_with("review/"))
        .collect();
    assert!(review.len() > 10, "a later build keeps the copy listed");
    for artifact in &review {
        assert_eq!(artifact["audience"], "review");
        assert!(artifact["area"].is_null());
        assert!(p.exists(&format!(
            "output/1.0.0/{}",
            artifact["path"].as_str().unwrap()
        )));
    }
    let index = p.read("output/index.html");
    let table_end = index.find("</table>").unwrap();
    let link = index
        .find("href=\"1.0.0/review/index.html\"")
        .expect("linked");
    assert!(
        link > table_end,
        "listed after the packs' table, not as a pack"
    );
    // (Its words are labels, which tera escapes: `'` is written `&#39;`.)
    assert!(index.contains("Not for publication</strong> Reviewer&#39;s copy of version 1.0.0"));
    assert_eq!(
        index.matches("Latest").count(),
        1,
        "only the version is the latest"
    );
    // The boxes are styled by the copy's own stylesheet: the packs' is as it was.
    assert!(
        p.read(&format!("{REVIEW}/style.css"))
            .contains(".gp-labelled {")
    );
    assert!(
        !p.read("output/1.0.0/providers/style.css")
            .contains("gp-labelled")
    );
    assert!(!p.read("output/style.css").contains("gp-labelled"));
}

#[test]
fn a_failed_review_build_leaves_the_previous_copy_as_it_was() {
    let p = sample_review();
    let before = p.output_files();
    let p = p.file(
        "content/03-principles.md",
        "---\ntitle: Principles\n---\n\n::: audience comissioners\nTypo.\n:::\n",
    );
    p.run(&["build", "--review"])
        .expect(1)
        .stderr_has("there is no audience `comissioners`")
        .stderr_has("nothing was written; the previous output is unchanged");
    assert_eq!(
        before,
        p.output_files(),
        "the output is byte for byte as it was"
    );
}

#[test]
fn review_does_not_combine_with_pack_selection() {
    let p = Project::minimal();
    for args in [
        ["--audience", "providers"].as_slice(),
        &["--area", "kent"],
        &["--all-areas"],
        &["--national"],
        &["--format", "pdf"],
    ] {
        let mut all = vec!["build", "--review"];
        all.extend(args);
        p.run(&all)
            .expect(2)
            .stderr_has("the argument '--review' cannot be used with");
    }
    assert!(!p.exists("output"), "nothing written");
}

#[test]
fn a_released_version_gets_no_review_copy_in_its_folder() {
    let p = bump(Project::minimal(), "1.0.0");
    p.run(&["release"]).expect(0);
    let released: BTreeMap<String, Vec<u8>> = p.output_files();
    p.run(&["build", "--review"])
        .expect(1)
        .stderr_has("version 1.0.0 is released and these are its sources: a reviewer's copy is never written into a released version's folder");
    assert_eq!(released, p.output_files());

    // Changed text is an unreleased working copy: its reviewer's copy goes with it.
    p.write_bytes(
        "content/01-intro.md",
        b"---\ntitle: Introduction\n---\n\nIntro text, reworded after the release.\n",
    );
    p.run(&["build", "--review"]).expect(0);
    let index = p.read("output/1.0.0+unreleased/review/index.html");
    assert!(index.contains(
        "<title>Reviewer&#39;s copy — not for publication: Unreleased changes since 1.0.0: "
    ));
    let after = p.output_files();
    let released_now: BTreeMap<&String, &Vec<u8>> = after
        .iter()
        .filter(|(path, _)| path.starts_with("1.0.0/"))
        .collect();
    let released_before: BTreeMap<&String, &Vec<u8>> = released
        .iter()
        .filter(|(path, _)| path.starts_with("1.0.0/"))
        .collect();
    assert_eq!(released_before, released_now, "released bytes never change");
}

#[test]
fn an_audience_with_the_copys_folder_name_is_refused() {
    let p = Project::minimal();
    let config = p
        .read("guidepack.toml")
        .replace("id = \"providers\"", "id = \"review\"");
    let p = p.file("guidepack.toml", &config);
    p.run(&["build", "--review"])
        .expect(1)
        .has_error(
            "an audience has the id `review`, the folder of the reviewer's copy (`output/2.0.0/review/`)",
            "guidepack.toml:14:6",
        );
}

/// A project with a condition of every kind: area (id, tag, national, `not`), format (fence,
/// heading attribute, front matter), nesting, and a local section for the PDF only.
fn every_condition() -> Project {
    Project::minimal()
        .file(
            "content/areas/northshire/area.toml",
            "name = \"Northshire\"\ntags = [\"coastal\"]\n",
        )
        .file("content/areas/riverbury/area.toml", "name = \"Riverbury\"\n")
        .file(
            "content/02-conditions.md",
            "---\ntitle: Conditions\n---\n\n::: area northshire\nOnly Northshire reads this.\n:::\n\n::: area tag:coastal\nCoastal areas read this.\n:::\n\n::: area national\nThe national packs read this.\n:::\n\n::: format pdf\nOnly the PDF carries this.\n:::\n\n::: audience providers\n::: area not riverbury\nProviders outside Riverbury read this.\n:::\n:::\n\n## Printable checklist {#checklist format=pdf}\n\nTick each box.\n\n## Local contacts {#local-contacts area=!national}\n\nAsk the area.\n",
        )
        .file(
            "content/03-web.md",
            "---\ntitle: On the web\nformats: [html]\n---\n\nThis chapter is on the web only.\n",
        )
        .file(
            "content/areas/riverbury/print.md",
            "---\ntitle: Riverbury's print note\nafter: checklist\nformats: [pdf]\n---\n\nRiverbury prints this.\n",
        )
}

#[test]
fn every_condition_kind_is_labelled_in_the_html_and_the_pdf() {
    let p = every_condition();
    p.run(&["build", "--review"])
        .expect(0)
        .stdout_contains("built the reviewer's copy");
    // Each label, and the text that follows it.
    let labels = [
        ("Seen by: Northshire only", "Only Northshire reads this."),
        (
            "Seen by: Areas tagged coastal only",
            "Coastal areas read this.",
        ),
        (
            "Seen by: National packs only",
            "The national packs read this.",
        ),
        ("Seen by: PDF only", "Only the PDF carries this."),
        ("Seen by: Providers only", "Seen by: Providers only; Every"),
        (
            "Seen by: Providers only; Every pack except Riverbury",
            "Providers outside Riverbury read this.",
        ),
        ("Seen by: PDF only", "2.1 Printable checklist"),
        (
            "Seen by: Riverbury only; PDF only — added after the section “Printable checklist”",
            "2.2 Riverbury's print note",
        ),
        ("Seen by: Local area packs only", "2.3 Local contacts"),
        (
            "Seen by: HTML only — the whole chapter",
            "This chapter is on the web only.",
        ),
    ];
    // The HTML shows the PDF's parts, and the PDF the HTML's, each labelled.
    let all = main_text(&p.read("output/2.0.0/review/all.html"));
    for (label, text) in labels {
        let both = format!("{label} {text}");
        assert!(all.contains(&both), "{both:?} is not in the HTML:\n{all}");
    }
    let pdf = p
        .path()
        .join("output/2.0.0/review/test-pack-review-2.0.0.pdf");
    if let Some(pdf) = crate::harness::pdf_words(&pdf) {
        // In the order written, each label before its text (after the contents page).
        let mut at = pdf.find("Seen by:").expect("labels in the PDF");
        for (label, text) in labels {
            let found = pdf[at..].find(label);
            let found = found.unwrap_or_else(|| panic!("{label:?} is not in the PDF:\n{pdf}"));
            at += found;
            assert!(
                pdf[at..].contains(text),
                "{text:?} does not follow {label:?} in the PDF:\n{pdf}"
            );
        }
    }
    // The packs themselves are filtered as before: the national HTML has no PDF part.
    p.run(&["build", "--format", "html"]).expect(0);
    let national = main_text(&p.read("output/2.0.0/providers/all.html"));
    assert!(!national.contains("Only the PDF carries this."));
    assert!(!national.contains("Seen by:"));
}
