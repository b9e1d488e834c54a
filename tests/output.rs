//! Output layout, determinism, `new`, and the sample pack.

use crate::harness::Project;

#[test]
fn layout_follows_the_contract() {
    let p = Project::minimal().chapter("02-more.md", "title: More", "Text.\n");
    p.build_html();
    for path in [
        "output/index.html",
        "output/2.0.0/manifest.json",
        "output/2.0.0/providers/index.html",
        "output/2.0.0/providers/intro.html",
        "output/2.0.0/providers/more.html",
        "output/2.0.0/providers/all.html",
        "output/2.0.0/commissioners/index.html",
        "output/2.0.0/local-authorities/index.html",
    ] {
        assert!(p.exists(path), "{path}");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&p.read("output/2.0.0/manifest.json")).unwrap();
    let artifacts = manifest["artifacts"].as_array().unwrap();
    let entry = artifacts
        .iter()
        .find(|a| a["path"] == "providers/more.html")
        .unwrap();
    assert_eq!(entry["audience"], "providers");
    assert!(entry["area"].is_null());
    let bytes = std::fs::read(p.path().join("output/2.0.0/providers/more.html")).unwrap();
    assert_eq!(entry["bytes"], bytes.len());
    assert_eq!(
        entry["sha256"].as_str().unwrap(),
        guidepack::output::sha256_hex(&bytes)
    );
    let index = p.read("output/index.html");
    assert!(index.contains("2.0.0/providers/index.html"), "{index}");
}

#[test]
fn pages_are_accessible_by_construction() {
    let p = Project::minimal().chapter(
        "02-more.md",
        "title: More",
        "## Part\n\nText.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    );
    p.build_html();
    for page in ["index.html", "more.html", "all.html"] {
        let html = p.read(&format!("output/2.0.0/providers/{page}"));
        assert!(html.contains("<html lang=\"en-GB\""), "{page}");
        assert_eq!(html.matches("<h1").count(), 1, "{page} has one h1");
        assert!(
            html.contains("href=\"#main-content\""),
            "{page} has a skip link"
        );
        assert!(
            html.contains("<main")
                && html.contains("<nav")
                && html.contains("<header")
                && html.contains("<footer")
        );
        // No script but the search's own two files, deferred: the page works without them.
        assert_eq!(
            html.matches("<script").count(),
            2,
            "{page} has only the search's scripts"
        );
        assert!(
            html.contains(&format!(
                "<script defer src=\"search-index.js\"></script>\n{}",
                crate::search::SCRIPT_TAG
            )),
            "{page} needs no JavaScript but the search's"
        );
        assert!(
            !html.contains("http://") && !html.contains("//cdn"),
            "{page} loads nothing from the web"
        );
        assert!(
            html.contains("Version 2.0.0") || html.contains("version 2.0.0"),
            "{page} shows the version"
        );
        assert!(html.contains("28 March 2013"), "{page} shows the date");
        assert!(html.contains("Providers"), "{page} shows the audience");
    }
    let more = p.read("output/2.0.0/providers/more.html");
    assert!(
        more.contains("<th scope=\"col\" role=\"columnheader\">a</th>"),
        "{more}"
    );
    assert!(
        more.contains("<h2 id=\"part\"><span class=\"gp-num\">2.1</span> Part</h2>"),
        "{more}"
    );
}

#[test]
fn same_input_same_bytes() {
    let p = Project::sample();
    p.build_html();
    let first = p.output_files();
    std::fs::remove_dir_all(p.path().join("output")).unwrap();
    p.build_html();
    assert_eq!(p.output_files(), first);
}

#[test]
fn new_makes_a_project_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mine");
    let bin = env!("CARGO_BIN_EXE_guidepack");
    let out = std::process::Command::new(bin)
        .arg("new")
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = std::process::Command::new(bin)
        .args([
            "--project",
            target.to_str().unwrap(),
            "build",
            "--format",
            "html",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).is_empty(),
        "a new project has no warnings"
    );
    assert!(
        target
            .join("output/0.1.0/commissioners/introduction.html")
            .exists()
    );
    let again = std::process::Command::new(bin)
        .arg("new")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(1),
        "new refuses a folder that is not empty"
    );
}

#[test]
fn the_sample_checks_clean_and_builds() {
    let p = Project::sample();
    let run = p.run(&["check"]).expect(0);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    p.build_html();
    for audience in [
        "commissioners",
        "providers",
        "designated-professionals",
        "local-authorities",
    ] {
        assert!(
            p.exists(&format!("output/1.0.0/{audience}/all.html")),
            "{audience}"
        );
        // The sample ships the record of its consultation draft, so every pack shows changes.
        let changes =
            crate::harness::main_text(&p.read(&format!("output/1.0.0/{audience}/changes.html")));
        assert!(
            changes.contains("since version 0.9.0, published 14 January 2013"),
            "{changes}"
        );
        assert!(
            changes.contains("In June 2010 the [removed: Government] [added: government] asked"),
            "{changes}"
        );
    }
}

/// Issue 12: the site index lists packs in guidepack.toml's audience order, national first.
#[test]
fn the_site_index_follows_the_audience_order_of_the_configuration() {
    let p = Project::minimal();
    p.build_html();
    let index = p.read("output/index.html");
    let at = |name: &str| {
        index
            .find(&format!("<th scope=\"row\">{name}</th>"))
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    // guidepack.toml: commissioners, providers, local authorities (not alphabetical).
    assert!(at("Commissioners") < at("Providers"));
    assert!(at("Providers") < at("Local authorities"));
}
