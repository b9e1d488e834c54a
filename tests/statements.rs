//! The statements every publication carries (issue 14, points 3 to 5): the accessibility
//! statement page of every HTML pack and the link to it in every page's footer, the licence in
//! that footer and on the back of the PDF's cover with the note on asking for another format,
//! `[accessibility]` checked with its place, `release` warning about what it misses, and the
//! pack pages and the site index linking to every download built.

use std::process::Command;

use crate::harness::{Project, required_tool, stderr_snapshot};

/// `[pack]` additions and a full `[accessibility]` table.
const LICENCE: &str = "licence = \"ogl-3\"\ncopyright = \"© Test publisher 2013\"\n";
const ACCESSIBILITY: &str = "\n[accessibility]\nemail = \"formats@example.org\"\n\
    phone = \"0300 123 4567\"\nresponse_time = \"15 working days\"\nstandard = \"WCAG 2.2 AA\"\n\
    compliance = \"partial\"\nknown_issues = [\"Some wide tables scroll sideways.\"]\n\
    prepared = \"2013-03-01\"\n";

/// The downloads a full build makes of every pack: (label in link text, file ending). The
/// formats registered later join this list.
const DOWNLOADS: [(&str, &str); 3] = [
    ("PDF", ".pdf"),
    ("OpenDocument text (ODT)", ".odt"),
    ("Govspeak for GOV.UK", ".govspeak.md"),
];

/// The minimal fixture with guidepack.toml changed by `edit`.
fn project(edit: impl Fn(&str) -> String) -> Project {
    let p = Project::minimal();
    let toml = p.read("guidepack.toml");
    p.file("guidepack.toml", &edit(&toml))
}

/// The minimal fixture with a licence, a copyright line and `[accessibility]`.
fn with_statements() -> Project {
    project(|toml| {
        toml.replace(
            "language = \"en-GB\"\n",
            &format!("language = \"en-GB\"\n{LICENCE}"),
        ) + ACCESSIBILITY
    })
}

/// The HTML files of one pack folder (not its subfolders).
fn pages(p: &Project, dir: &str) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = std::fs::read_dir(p.path().join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".html"))
        .map(|name| {
            let html = p.read(&format!("{dir}/{name}"));
            (name, html)
        })
        .collect();
    pages.sort();
    pages
}

/// The page's `<footer>`.
fn footer(html: &str) -> &str {
    let start = html.find("<footer").expect("a footer");
    &html[start..html[start..].find("</footer>").unwrap() + start]
}

#[test]
fn every_page_of_every_pack_links_to_its_accessibility_statement_and_carries_the_licence() {
    let p = with_statements();
    p.build_html();
    p.run(&["build", "--review"]).expect(0);
    for dir in [
        "output/2.0.0/commissioners",
        "output/2.0.0/providers",
        "output/2.0.0/review",
    ] {
        let pages = pages(&p, dir);
        assert!(
            pages.iter().any(|(name, _)| name == "accessibility.html"),
            "{dir}"
        );
        assert!(pages.len() >= 4, "{dir}: {pages:?}");
        for (name, html) in &pages {
            let footer = footer(html);
            assert!(
                footer.contains(
                    "<a class=\"gp-footer__link\" href=\"accessibility.html\">Accessibility statement</a>"
                ),
                "{dir}/{name}: {footer}"
            );
            assert!(
                footer.contains("<p>© Test publisher 2013</p>"),
                "{dir}/{name}"
            );
            assert!(
                footer.contains(
                    "<a href=\"https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/\" class=\"gp-external\">Open Government Licence v3.0</a>"
                ),
                "{dir}/{name}: {footer}"
            );
        }
    }
    // The statement is made from [accessibility], in the order of GOV.UK's sample.
    let page = p.read("output/2.0.0/providers/accessibility.html");
    let text = crate::harness::main_text(&page);
    let expected = [
        "Accessibility statement",
        "applies to the web pages of “Test pack” for Providers, version 2.0.0, published by Test publisher",
        "How accessible these pages are",
        "Some wide tables scroll sideways.",
        "Feedback and contact information",
        "email formats@example.org or phone 0300 123 4567",
        "We will reply within 15 working days.",
        "Reporting accessibility problems with these pages",
        "Enforcement procedure",
        "Compliance status",
        "These pages are partially compliant with WCAG 2.2 AA",
        "This statement was prepared on 1 March 2013.",
    ];
    let mut at = 0;
    for part in expected {
        let found = text[at..]
            .find(part)
            .unwrap_or_else(|| panic!("{part:?} not after {at} in {text}"));
        at += found + part.len();
    }
    assert!(page.contains("<a href=\"mailto:formats@example.org\""));
    assert!(page.contains("<a href=\"tel:03001234567\""));
    assert!(page.contains("<title>Accessibility statement – Test pack (Providers)</title>"));
    let review = crate::harness::main_text(&p.read("output/2.0.0/review/accessibility.html"));
    assert!(
        review.contains("the web pages of the reviewer's copy of “Test pack”, version 2.0.0"),
        "{review}"
    );
}

#[test]
fn without_a_licence_or_copyright_the_footer_has_none_and_the_statement_says_what_it_lacks() {
    let p = Project::minimal();
    p.build_html();
    for (name, html) in pages(&p, "output/2.0.0/providers") {
        let footer = footer(&html);
        assert!(!footer.contains("gp-footer__licence"), "{name}: {footer}");
        assert!(!footer.contains("Licence"), "{name}");
        assert!(footer.contains("href=\"accessibility.html\""), "{name}");
    }
    let text = crate::harness::main_text(&p.read("output/2.0.0/providers/accessibility.html"));
    assert!(text.contains("ask Test publisher"), "{text}");
    assert!(
        text.contains("The date this statement was prepared has not been given."),
        "{text}"
    );
}

/// The text of some pages of a PDF (`pdftotext -f first -l last`), or `None` without
/// pdftotext (a failure in CI).
fn pdf_pages(path: &std::path::Path, first: u32, last: u32) -> Option<String> {
    let run = Command::new("pdftotext")
        .args(["-f", &first.to_string(), "-l", &last.to_string(), "-layout"])
        .arg(path)
        .arg("-")
        .output();
    if !required_tool(run.is_ok(), "pdftotext", "poppler-utils") {
        return None;
    }
    let run = run.unwrap();
    assert!(run.status.success(), "{run:?}");
    Some(String::from_utf8_lossy(&run.stdout).into_owned())
}

/// Whitespace folded, so that text that wraps compares whole.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_pdf_carries_the_alternative_format_note_and_the_licence_on_the_back_of_the_cover() {
    let p = with_statements();
    p.run(&["build", "--audience", "providers"]).expect(0);
    let pdf = p
        .path()
        .join("output/2.0.0/providers/test-pack-providers-2.0.0.pdf");
    assert!(pdf.exists());
    let Some(cover) = pdf_pages(&pdf, 1, 1) else {
        return;
    };
    let back = folded(&pdf_pages(&pdf, 2, 2).unwrap());
    let contents = folded(&pdf_pages(&pdf, 3, 3).unwrap());
    assert!(!cover.contains("alternative format"), "{cover}");
    for part in [
        "Request an alternative format",
        "If you need this guidance in another format, such as large print, audio, Easy Read or braille, email formats@example.org or phone 0300 123 4567.",
        "(“Test pack for Providers”, version 2.0.0)",
        "We will reply within 15 working days.",
        "Copyright and licence",
        "© Test publisher 2013",
        "This publication is licensed under the terms of the Open Government Licence v3.0 except where otherwise stated.",
        "Kew, London TW9 4DU",
    ] {
        assert!(back.contains(part), "{part:?} not on page 2: {back}");
    }
    assert!(
        contents.starts_with("Contents"),
        "the contents follow on page 3: {contents}"
    );
    // The statements' headings are not chapters: they stay out of the printed contents.
    assert!(
        !contents.contains("Request an alternative format"),
        "{contents}"
    );

    // Without a licence, the back of the cover has the note alone.
    let p = Project::minimal();
    p.run(&["build", "--audience", "providers"]).expect(0);
    let pdf = p
        .path()
        .join("output/2.0.0/providers/test-pack-providers-2.0.0.pdf");
    let back = folded(&pdf_pages(&pdf, 2, 2).unwrap());
    assert!(
        back.contains("Request an alternative format") && back.contains("ask Test publisher"),
        "{back}"
    );
    assert!(!back.contains("Copyright and licence"), "{back}");
}

#[test]
fn a_chapter_with_the_id_accessibility_is_an_error() {
    let by_id = Project::minimal().chapter(
        "02-access.md",
        "title: Access\nid: accessibility",
        "Text.\n",
    );
    stderr_snapshot!(by_id.run(&["check"]).expect(1), "front-matter-id");
    let by_name = Project::minimal().chapter("02-accessibility.md", "title: Access", "Text.\n");
    stderr_snapshot!(by_name.run(&["check"]).expect(1), "file-name");
    assert!(!by_name.exists("output"));
}

#[test]
fn a_bad_accessibility_email_phone_or_date_is_an_error_at_its_place() {
    for (case, from, to) in [
        (
            "email",
            "email = \"formats@example.org\"",
            "email = \"formats at example\"",
        ),
        ("phone", "phone = \"0300 123 4567\"", "phone = \"ring us\""),
        (
            "prepared",
            "prepared = \"2013-03-01\"",
            "prepared = \"1 March 2013\"",
        ),
        (
            "compliance",
            "compliance = \"partial\"",
            "compliance = \"mostly\"",
        ),
    ] {
        let p = with_statements();
        let toml = p.read("guidepack.toml");
        assert!(toml.contains(from));
        let p = p.file("guidepack.toml", &toml.replace(from, to));
        stderr_snapshot!(p.run(&["build"]).expect(1), case);
        assert!(!p.exists("output"), "{case}");
    }
}

#[test]
fn release_warns_once_naming_what_accessibility_misses_and_releases_all_the_same() {
    let none = Project::minimal();
    let run = stderr_snapshot!(none.run(&["release"]).expect(0), "no-table");
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    assert!(none.exists("releases/2.0.0"));

    let partial = project(|toml| {
        format!(
            "{toml}\n[accessibility]\nemail = \"formats@example.org\"\nstandard = \"WCAG 2.2 AA\"\n"
        )
    });
    stderr_snapshot!(partial.run(&["release"]).expect(0), "incomplete");
    // A build says nothing of it: the warning is the release's.
    let run = partial.run(&["build", "--format", "html"]).expect(0);
    assert!(!run.stderr.contains("[accessibility]"), "{}", run.stderr);

    let full = with_statements();
    let run = full.run(&["release"]).expect(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn the_index_and_every_page_of_a_pack_link_to_every_download_built() {
    let p = with_statements();
    p.run(&["build"]).expect(0);
    p.run(&["build", "--review"]).expect(0);
    let manifest: serde_json::Value =
        serde_json::from_str(&p.read("output/2.0.0/manifest.json")).unwrap();
    let artifacts: Vec<&str> = manifest["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    let index = p.read("output/index.html");
    for dir in ["commissioners", "providers", "local-authorities", "review"] {
        for (label, ending) in DOWNLOADS {
            let file = artifacts
                .iter()
                .find(|path| {
                    path.strip_prefix(&format!("{dir}/"))
                        .is_some_and(|name| !name.contains('/') && name.ends_with(ending))
                })
                .unwrap_or_else(|| panic!("the manifest lists no {ending} of {dir}"));
            let name = file.rsplit('/').next().unwrap();
            // The index links to it by its path in the version, with its label.
            let href = format!("<a href=\"2.0.0/{file}\" type=\"");
            let at = index
                .find(&href)
                .unwrap_or_else(|| panic!("the index does not link to {file}"));
            let link = &index[at..at + index[at..].find("</a>").unwrap()];
            assert!(
                link.to_lowercase()
                    .contains(&format!(">download {}", label.to_lowercase())),
                "{link}"
            );
            // Every page of the pack links to it in its footer, saying what it is.
            for (page, html) in pages(&p, &format!("output/2.0.0/{dir}")) {
                let wanted = format!("href=\"{name}\" type=\"");
                let footer = footer(&html);
                let at = footer
                    .find(&wanted)
                    .unwrap_or_else(|| panic!("{dir}/{page} does not link to {name}"));
                let link = &footer[at..at + footer[at..].find("</a>").unwrap()];
                assert!(
                    link.contains(&format!(
                        ">{label} version<span class=\"gp-visually-hidden\"> of this pack</span> ("
                    )),
                    "{dir}/{page}: {link}"
                );
            }
        }
    }
    // The index lists a pack's formats in one cell, one link a line, however many there are.
    assert!(
        index.contains("<th scope=\"col\">Read or download</th>")
            && index.contains("<ul class=\"gp-formats\">"),
        "{index}"
    );
    // An HTML-only build of another version lists no download.
    let html = project(|toml| toml.replace("version = \"2.0.0\"", "version = \"3.0.0\""));
    html.build_html();
    let index = html.read("output/index.html");
    let v3 = &index[index.find("Version 3.0.0").unwrap()..];
    let v3 = &v3[..v3.find("</table>").unwrap()];
    for (label, _) in DOWNLOADS {
        assert!(!v3.contains(&format!(">Download {label}")), "{v3}");
    }
    let contents = html.read("output/3.0.0/providers/index.html");
    assert!(!contents.contains("Download the pack as"), "{contents}");
}

#[test]
fn a_project_s_own_accessibility_template_is_tried_by_check() {
    let p = Project::minimal().file(
        "templates/html/accessibility.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ statement.missing }}\n{% endblock main %}\n",
    );
    stderr_snapshot!(p.run(&["check"]).expect(1));
    // Its own page replaces the built-in one.
    let p = Project::minimal().file(
        "templates/html/accessibility.html",
        "{% extends \"base.html\" %}\n{% block main %}<h1>{{ statement_title }}</h1><p>Our own words.</p>{% endblock main %}\n",
    );
    p.build_html();
    let page = p.read("output/2.0.0/providers/accessibility.html");
    assert!(page.contains("<p>Our own words.</p>"), "{page}");
}

#[test]
fn the_accessibility_page_and_the_download_links_pass_axe_at_1280_and_375_px() {
    if !crate::accessibility::browser_check_available() {
        return;
    }
    let p = with_statements();
    p.run(&["build", "--audience", "providers"]).expect(0);
    let report =
        crate::accessibility::browser_check(&p, &["output/index.html", "output/2.0.0/providers"]);
    assert!(report["pages"].as_u64().unwrap() >= 5, "{report}");
    let found = crate::accessibility::findings(&report);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn a_project_s_own_site_index_is_tried_with_downloads_before_a_build() {
    let index = "<html><body>{% for v in versions %}{% for p in v.packs %}{% for d in p.downloads %}\
                 <a href=\"{{ d.href }}\">{{ d.label }} {{ d.size }}</a>{% endfor %}{% endfor %}{% endfor %}\
                 </body></html>\n";
    let p = Project::minimal().file("templates/html/site-index.html", index);
    let run = p.run(&["build", "--format", "html"]).expect(1);
    assert!(
        run.stderr.contains("d.size") && run.stderr.contains("templates/html/site-index.html:1:"),
        "{}",
        run.stderr
    );
    assert!(!p.exists("output"));
    let p = Project::minimal().file(
        "templates/html/site-index.html",
        &index.replace("d.size", "d.bytes_display"),
    );
    p.run(&["build", "--format", "html"]).expect(0);
}
