//! Search in the HTML (issue 16, point 2): each pack's index holds that pack's own text only (as
//! its audience and area see it), `[html] search = false` writes no index and no script and
//! leaves the pages as they were, and in Chromium a reader types into the search box of a page
//! opened from disk and reads ranked results, by keyboard, axe-core clean. The browser check runs
//! `tests/a11y/search.mjs` (see tests/accessibility.rs for what it needs).

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

use crate::accessibility::browser_check_available;
use crate::harness::Project;

/// The search script's tag in an English pack: the search box's words are its attributes
/// (labels `search_*`, in the pack's language; `labels_formats` checks a Welsh pack's).
pub(crate) const SCRIPT_TAG: &str = "<script defer src=\"search.js\" data-region=\"This pack\" data-label=\"Search this pack\" data-button=\"Search\" data-none=\"No results for “{query}”\" data-one=\"{count} result for “{query}”\" data-many=\"{count} results for “{query}”\" data-many-shown=\"{count} results for “{query}”, the first {shown} shown\" data-chapter-start=\"Start of chapter\" data-in-chapter=\"In chapter\"></script>";

/// The index of a built pack: `{ c: [[number, title, page]], s: [[chapter, heading, anchor,
/// text]] }`.
fn index(p: &Project, pack: &str) -> Value {
    let js = p.read(&format!("{pack}/search-index.js"));
    let json = js
        .split_once("window.guidepackSearch=")
        .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
        .unwrap_or_else(|| panic!("not an index script: {js}"));
    serde_json::from_str(json).unwrap()
}

/// Every heading and text of an index, as one string.
fn all_text(index: &Value) -> String {
    let mut out = String::new();
    for s in index["s"].as_array().unwrap() {
        out.push_str(s[1].as_str().unwrap());
        out.push('\n');
        out.push_str(s[3].as_str().unwrap());
        out.push('\n');
    }
    out
}

fn conditional() -> Project {
    Project::minimal().chapter(
        "02-who.md",
        "title: Who does what\nid: who",
        "## For everyone {#everyone}\n\nShared words about kestrels.\n\n\
         ::: audience commissioners\nOnly commissioners read about zebrafish.\n:::\n\n\
         ## For providers {#providers-only audience=providers}\n\nProviders read about marmosets.\n\n\
         ## On paper {#paper format=pdf}\n\nPrinted words about walruses.\n",
    )
}

#[test]
fn each_index_holds_its_own_audiences_text_only() {
    let p = conditional();
    p.build_html();
    let commissioners = index(&p, "output/2.0.0/commissioners");
    let providers = index(&p, "output/2.0.0/providers");
    let c = all_text(&commissioners);
    let v = all_text(&providers);
    for text in [&c, &v] {
        assert!(text.contains("Shared words about kestrels."), "{text}");
        assert!(!text.contains("walruses"), "PDF-only text: {text}");
    }
    assert!(
        c.contains("Only commissioners read about zebrafish."),
        "{c}"
    );
    assert!(!v.contains("zebrafish"), "{v}");
    assert!(v.contains("Providers read about marmosets."), "{v}");
    assert!(
        !c.contains("marmosets") && !c.contains("For providers"),
        "{c}"
    );

    // Each section: its chapter, heading and anchor, as the pages link to them.
    let chapter = commissioners["c"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c[2] == "who.html")
        .expect("the chapter is in the index");
    assert_eq!(commissioners["c"][chapter][1], "Who does what");
    let section = commissioners["s"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s[2] == "everyone")
        .expect("the section is in the index");
    assert_eq!(section[0], chapter);
    // The heading as the page shows it, with its number.
    assert_eq!(section[1], "2.1 For everyone");
    assert!(
        p.read("output/2.0.0/commissioners/who.html")
            .contains("<h2 id=\"everyone\">")
    );
    // The script that reads it is beside it, and every page loads both.
    assert!(
        p.read("output/2.0.0/commissioners/search.js")
            .contains("guidepackSearch")
    );
    for page in ["index.html", "who.html", "all.html", "accessibility.html"] {
        let html = p.read(&format!("output/2.0.0/commissioners/{page}"));
        assert!(
            html.contains(&format!(
                "<script defer src=\"search-index.js\"></script>\n{SCRIPT_TAG}"
            )),
            "{page}"
        );
        assert!(!html.contains("<script>"), "{page} has an inline script");
    }
}

#[test]
fn an_areas_local_text_is_in_that_areas_index_only() {
    let p = Project::minimal()
        .chapter(
            "02-local.md",
            "title: Local",
            "## Arrangements {#arrangements}\n\nNational arrangements text.\n",
        )
        .file("content/areas/north/area.toml", "name = \"Northshire\"\n")
        .file(
            "content/areas/north/arrangements.md",
            "---\ntitle: Arrangements in {{ area.name }}\nreplaces: arrangements\n---\nNorthshire ferry timetable.\n",
        )
        .file("content/areas/south/area.toml", "name = \"Southshire\"\n");
    p.run(&["build", "--format", "html", "--all-areas"])
        .expect(0);
    let north = all_text(&index(&p, "output/2.0.0/areas/north/providers"));
    let south = all_text(&index(&p, "output/2.0.0/areas/south/providers"));
    let national = all_text(&index(&p, "output/2.0.0/providers"));
    assert!(north.contains("Northshire ferry timetable."), "{north}");
    assert!(north.contains("Arrangements in Northshire"), "{north}");
    assert!(!north.contains("National arrangements text."), "{north}");
    for other in [&south, &national] {
        assert!(!other.contains("ferry"), "{other}");
        assert!(other.contains("National arrangements text."), "{other}");
    }
}

/// Every HTML page of the output, by path.
fn pages(p: &Project) -> BTreeMap<String, String> {
    p.output_files()
        .into_iter()
        .filter(|(name, _)| name.ends_with(".html"))
        .map(|(name, bytes)| (name, String::from_utf8(bytes).unwrap()))
        .collect()
}

#[test]
fn search_off_writes_no_index_and_no_script_and_the_pages_are_otherwise_the_same() {
    let on = conditional();
    on.build_html();
    let config = on.read("guidepack.toml");
    let off = conditional().file(
        "guidepack.toml",
        &format!("{config}\n[html]\nsearch = false\n"),
    );
    off.build_html();

    let files = off.output_files();
    assert!(
        !files.keys().any(|f| f.contains("search")),
        "{:?}",
        files.keys()
    );
    let with = pages(&on);
    let without = pages(&off);
    assert_eq!(
        with.keys().collect::<Vec<_>>(),
        without.keys().collect::<Vec<_>>()
    );
    let tags = &format!("\n<script defer src=\"search-index.js\"></script>\n{SCRIPT_TAG}");
    for (name, html) in &with {
        let plain = &without[name];
        assert!(!plain.contains("<script"), "{name}");
        if name.matches('/').count() >= 2 {
            // A pack's page: the same bytes but the two script tags.
            assert!(html.contains(tags), "{name}");
        }
        assert_eq!(&html.replace(tags, ""), plain, "{name}");
    }
}

#[test]
fn a_misspelt_search_key_is_an_error() {
    let p = Project::minimal();
    let config = p.read("guidepack.toml");
    let p = p.file(
        "guidepack.toml",
        &format!("{config}\n[html]\nserch = false\n"),
    );
    p.run(&["build", "--format", "html"])
        .expect(1)
        .stderr_has("serch")
        .stderr_has("search");
}

#[test]
fn a_reader_types_a_query_into_a_page_opened_from_disk_and_reads_the_results() {
    if !browser_check_available() {
        return;
    }
    let sample = Project::sample();
    sample
        .run(&["build", "--audience", "commissioners", "--format", "html"])
        .expect(0);
    let page = "output/1.0.0/commissioners/roles.html";
    let out = Command::new("node")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/a11y/search.mjs"))
        .args([page, "designated nur"])
        .current_dir(sample.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the search check did not run\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();

    // Without JavaScript: no search box, only the two script tags.
    assert_eq!(report["nojs"]["forms"], 0, "{report}");
    assert_eq!(
        report["nojs"]["scripts"],
        serde_json::json!(["search-index.js", "search.js"])
    );
    let views = report["views"].as_array().unwrap();
    assert_eq!(views.len(), 2, "{report}");
    for view in views {
        let width = &view["width"];
        assert_eq!(view["errors"], serde_json::json!([]), "at {width}: {view}");
        assert_eq!(view["label"], "Search this pack");
        let results = view["results"].as_array().unwrap();
        assert!(results.len() >= 3, "at {width}: {view}");
        let count = view["count"].as_str().unwrap();
        assert!(
            count.starts_with(&format!("{} result", results.len())) || count.contains("shown"),
            "{count}"
        );
        // The count is announced through the live region.
        assert_eq!(view["status"].as_str().unwrap(), format!("{count}."));
        assert_eq!(view["live"], "polite");
        for r in results {
            // A link to a section of a page of the pack, its chapter, and the match marked.
            let href = r["href"].as_str().unwrap();
            assert!(href.ends_with(".html") || href.contains(".html#"), "{href}");
            assert!(!href.contains("://"), "{href}");
            assert!(r["where"].as_str().unwrap().contains("chapter"), "{r}");
            let marks: Vec<String> = (r["marks"].as_array().unwrap().iter())
                .map(|m| m.as_str().unwrap().to_lowercase())
                .collect();
            assert!(
                marks.iter().any(|m| m == "designated" || m == "nur"),
                "the match is marked: {r}"
            );
            assert!(marks.iter().all(|m| m == "designated" || m == "nur"), "{r}");
        }
        // Every term must match, the last as the start of a word: a section about the
        // designated nurse is among the results, both terms marked.
        assert!(
            results.iter().any(|r| {
                let marks = r["marks"].to_string().to_lowercase();
                r["snippet"].as_str().unwrap().contains("designated nurse")
                    && marks.contains("\"designated\"")
                    && marks.contains("\"nur\"")
            }),
            "{view}"
        );
        // The heading that holds a term ranks first.
        assert!(
            results[0]["heading"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("designated"),
            "{view}"
        );
        // Keyboard: the down arrow reaches the results; Escape clears and returns to the box.
        assert_eq!(view["focusAfterArrow"], true, "{view}");
        assert_eq!(
            view["afterEscape"],
            serde_json::json!({ "value": "", "shown": false, "focused": true })
        );
        assert_eq!(view["noMatch"], "No results for “designated nur qqqzzx”");
        let found: Vec<String> = view["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.to_string())
            .collect();
        assert!(
            found.is_empty(),
            "axe-core at {width} px with the results showing:\n{}",
            found.join("\n")
        );
    }
}
