//! Hostile and unlucky input (issue 11): link targets that would run a script, data that
//! becomes links, templates that read the environment, SVGs with scripts, empty table cells
//! and empty required fields, reserved ids, heading attribute typos. Each is an error at its
//! place (or a correct build), and a failed build leaves the output as it was.

use std::path::Path;

use guidepack::build::{prepare, render_packs, resolve_every_pack};
use guidepack::diagnostic::Diagnostics;
use guidepack::render::typst::pack_markup;
use guidepack::sources::SourceSet;
use proptest::prelude::*;

use crate::harness::{Project, Run, main_text, stderr_snapshot};

/// Builds once (good), applies a change, then `check` and `build` both fail and the output is
/// byte for byte as it was.
fn fails_keeping_output(change: impl FnOnce(Project) -> Project) -> Run {
    let project = Project::minimal();
    project.build_html();
    let before = project.output_files();
    let project = change(project);
    project.run(&["check"]).expect(1);
    let run = project.run(&["build"]).expect(1);
    assert_eq!(
        project.output_files(),
        before,
        "a failed build changed the output"
    );
    run
}

fn with_chapter(body: &str) -> impl FnOnce(Project) -> Project + '_ {
    move |p| p.chapter("02-bad.md", "title: Bad", body)
}

/// The scheme of a URL as a browser reads it (the WHATWG URL parser's first steps), written
/// apart from guidepack's own rule so that the two check each other.
fn browser_scheme(url: &str) -> Option<String> {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let ok = scheme.chars().next()?.is_ascii_alphabetic()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    ok.then(|| scheme.to_ascii_lowercase())
}

fn allowed(url: &str) -> bool {
    browser_scheme(url).is_none_or(|s| ["https", "http", "mailto", "tel"].contains(&s.as_str()))
}

/// Every `href` and `src` in an HTML text, attribute entities decoded as a browser does.
fn hrefs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            let value = part.split('"').next().unwrap_or("");
            out.push(
                value
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            );
        }
    }
    out
}

#[test]
fn script_links_are_errors_where_they_are_written() {
    let cases = [
        ("[x](javascript:alert(6))", "javascript"),
        ("Go [x](JaVaScRiPt:alert(6))", "javascript"),
        ("[x](vbscript:msgbox(1))", "vbscript"),
        ("[x](data:text/html,<script>alert(1)</script>)", "data"),
        ("<javascript:alert(1)>", "javascript"),
        ("[x](<\tjava\tscript:alert(1)>)", "javascript"),
        ("[x](&#106;avascript:alert(1))", "javascript"),
        ("[x](javascript&colon;alert(1))", "javascript"),
        ("[x](%6Aavascript:alert(1))", "javascript"),
        ("[x](file:///etc/passwd)", "file"),
    ];
    for (i, (body, scheme)) in cases.into_iter().enumerate() {
        stderr_snapshot!(
            fails_keeping_output(with_chapter(body)),
            format!("{i}-{scheme}")
        );
    }
}

#[test]
fn reference_definitions_captions_and_footnotes_are_checked_too() {
    let p = Project::minimal().chapter(
        "02-bad.md",
        "title: Bad",
        "See [this][r].\n\n[r]: vbscript:msgbox(1)\n[unused]: javascript:alert(1)\n\n::: duties\n[x](javascript:alert(2))\n:::\n\nA note.[^n]\n\n[^n]: [y](javascript:alert(3))\n\n::: audience nobody-sees-this\n[z](javascript:alert(4))\n:::\n",
    );
    let run = p.run(&["check"]).expect(1);
    for place in ["4:5", "6:1", "7:1", "10:1", "15:7", "18:1"] {
        assert!(
            run.stderr
                .contains(&format!(" --> content/02-bad.md:{place}\n")),
            "no error at {place}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn mail_autolinks_and_safe_links_still_work() {
    let p = Project::minimal().chapter(
        "02-a.md",
        "title: A",
        "Write to <jo@example.org>, call [us](tel:+441632960001), read [this]( https://example.org/a ).\n",
    );
    p.build_html();
    let a = p.read("output/2.0.0/providers/a.html");
    assert!(a.contains("href=\"mailto:jo@example.org\""), "{a}");
    assert!(a.contains("href=\"tel:+441632960001\""), "{a}");
    assert!(a.contains("href=\"https://example.org/a\""), "{a}");
}

#[test]
fn a_statute_url_must_be_a_web_address() {
    stderr_snapshot!(fails_keeping_output(|p| {
        let data = p.read("content/framework/data.toml").replace(
            "https://www.legislation.gov.uk/ukpga/2004/31/section/11",
            "javascript:alert(1)",
        );
        p.file("content/framework/data.toml", &data)
    }));
}

#[test]
fn area_contacts_must_be_addresses_and_numbers() {
    stderr_snapshot!(fails_keeping_output(|p| {
        p.file(
            "content/areas/north/area.toml",
            "name = \"North\"\n\n[[contact]]\nname = \"Jo\"\nemail = \"javascript:alert(1)//@x.org\"\nphone = \"call me\"\n",
        )
    }));
}

#[test]
fn templates_cannot_read_the_environment_or_the_clock() {
    let built_in = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/html/chapter.html"),
    )
    .unwrap();
    let hostile = format!("{built_in}{{{{ get_env(name=\"HOME\") }}}}\n{{% set t = now() %}}\n");
    stderr_snapshot!(fails_keeping_output(
        |p| p.file("templates/html/chapter.html", &hostile)
    ));
}

const SVG_OPEN: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">";

#[test]
fn svgs_with_scripts_or_outside_references_are_refused() {
    for (case, body) in [
        ("script", "\n<script>alert(1)</script>"),
        ("onload", "\n\n<rect onload=\"alert(1)\"/>"),
        (
            "outside-image",
            "<image href=\"https://evil.example/x.png\"/>",
        ),
        ("foreign-object", "<foreignObject/>"),
    ] {
        let svg = format!("{SVG_OPEN}{body}</svg>\n");
        stderr_snapshot!(
            fails_keeping_output(|p| {
                p.file("content/assets/d.svg", &svg).chapter(
                    "02-a.md",
                    "title: A",
                    "![A drawing](assets/d.svg)\n",
                )
            }),
            case
        );
    }
}

#[test]
fn a_plain_svg_builds_and_is_copied() {
    let svg = format!("{SVG_OPEN}<rect width=\"5\" height=\"5\" fill=\"#005eb8\"/></svg>\n");
    let p = Project::minimal()
        .file("content/assets/d.svg", &svg)
        .chapter("02-a.md", "title: A", "![A blue square](assets/d.svg)\n");
    p.build_html();
    assert_eq!(p.read("output/2.0.0/providers/assets/d.svg"), svg);
}

#[test]
fn empty_table_cells_build_in_every_format() {
    let p = Project::minimal().chapter(
        "02-a.md",
        "title: A",
        "| Name | Phone | Note |\n|---|---|---|\n| Jo | | x |\n| Short |\n| | | |\n\n| | |\n|---|---|\n| only second | |\n",
    );
    p.run(&["check"]).expect(0);
    p.run(&["build"]).expect(0);
    let a = p.read("output/2.0.0/providers/a.html");
    assert!(
        a.contains("<td role=\"cell\" data-label=\"Phone\"></td>"),
        "{a}"
    );
    assert!(main_text(&a).contains("Jo x Short"), "{}", main_text(&a));
    let pdf = p
        .output_files()
        .into_iter()
        .find(|(name, _)| name.starts_with("2.0.0/providers/") && name.ends_with(".pdf"));
    assert!(pdf.is_some_and(|(_, bytes)| bytes.starts_with(b"%PDF")));
}

#[test]
fn empty_required_fields_are_errors_at_the_field() {
    let data = "[[role]]\nid = \"empty\"\nname = \"\"\nkind = \"post\"\n\n[[duty]]\nid = \"d\"\nrole = \"ccg\"\ntext = \"  \"\n\n[[statute]]\nid = \"s\"\ntitle = \"\"\n";
    stderr_snapshot!(fails_keeping_output(|p| {
        p.file("content/framework/more.toml", data)
            .file(
                "content/areas/north/area.toml",
                "name = \"North\"\n\n[[contact]]\nname = \"\"\nemail = \"jo@example.org\"\n",
            )
            .chapter("02-a.md", "title: \"\"", "Text.\n")
    }));
}

#[test]
fn reserved_ids_are_errors_at_the_heading_or_the_id() {
    for id in [
        "role-directory",
        "contents",
        "changes",
        "local-variations",
        "index",
        "fn-bad-1",
        "notes-bad",
        "para-3-4",
        "main-content",
    ] {
        stderr_snapshot!(
            fails_keeping_output(with_chapter(&format!("Text.\n## Heading {{#{id}}}\n"))),
            id
        );
    }
    stderr_snapshot!(fails_keeping_output(|p| p.chapter(
        "02-bad.md",
        "title: Bad\nid: all",
        "x\n"
    )));
}

#[test]
fn headings_whose_text_makes_a_reserved_id_build_in_every_format() {
    let p = Project::minimal().chapter(
        "02-a.md",
        "title: A",
        "## Contents\n\nOne.[^1]\n\n## Fn a 1\n\n## Index\n\n## Notes for local areas\n\n[^1]: A note.\n",
    );
    p.run(&["build"]).expect(0);
    let a = p.read("output/2.0.0/providers/a.html");
    assert!(a.contains("<h2 id=\"contents-2\">"), "{a}");
    assert!(a.contains("<h2 id=\"fn-a-1-2\">"), "{a}");
    assert!(a.contains("<h2 id=\"notes-for-local-areas\">"), "{a}");
    assert!(a.contains("<h2 id=\"index-2\">"), "{a}");
}

#[test]
fn heading_attribute_typos_are_errors_with_a_suggestion() {
    stderr_snapshot!(fails_keeping_output(with_chapter(
        "## T {#t audiance=commissioners}\n"
    )));
    stderr_snapshot!(fails_keeping_output(with_chapter("## T {#t audience=}\n")));
    stderr_snapshot!(fails_keeping_output(with_chapter(
        "## T {onclick=alert(1)}\n"
    )));
    stderr_snapshot!(fails_keeping_output(with_chapter(
        "## T {#t local=requird}\n"
    )));
}

#[test]
fn negated_section_audiences_work() {
    let p = Project::minimal().chapter(
        "02-a.md",
        "title: A",
        "## Not for providers {#np audience=!providers}\n\nHidden from providers.\n",
    );
    p.build_html();
    assert!(
        !p.read("output/2.0.0/providers/a.html")
            .contains("Hidden from providers")
    );
    assert!(
        p.read("output/2.0.0/commissioners/a.html")
            .contains("Hidden from providers")
    );
}

fn project_with(body: &str) -> SourceSet {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let mut diagnostics = Diagnostics::default();
    let mut sources = guidepack::sources::load(&root, &mut diagnostics).unwrap();
    sources.texts.insert(
        "content/02-links.md".to_string(),
        format!("---\ntitle: Links\n---\n{body}\n"),
    );
    sources
}

/// A link target: a scheme (allowed, refused, or a pack target), disguised as people and
/// attackers disguise them.
fn target() -> impl Strategy<Value = (String, bool)> {
    let scheme = prop_oneof![
        Just("javascript:alert(1)".to_string()),
        Just("vbscript:x".to_string()),
        Just("data:text/html,x".to_string()),
        Just("file:///etc/passwd".to_string()),
        Just("https://example.org/p".to_string()),
        Just("mailto:jo@example.org".to_string()),
        Just("tel:+44".to_string()),
        Just("#intro".to_string()),
        Just("role:ccg".to_string()),
        Just("files/x.pdf".to_string()),
        Just("//evil.example".to_string()),
        "[a-z]{1,8}:[a-z()]{0,6}",
    ];
    let disguise = prop_oneof![Just(0u8), Just(1), Just(2), Just(3), Just(4), Just(5),];
    // The second value: whether Markdown surely makes a link of it (a control character or a
    // tab may keep it from being one; then only what reaches the output is checked).
    (scheme, disguise).prop_map(|(s, how)| match how {
        1 => (s.to_uppercase(), true),
        2 => (format!("\u{1}{s}"), false),
        3 => (s.replacen(':', "&colon;", 1), true),
        4 => (s.replacen('a', "%61", 1), true),
        5 => {
            let mut t = s.to_string();
            t.insert(1.min(t.len()), '\t');
            (t, false)
        }
        _ => (s.to_string(), true),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Whatever the target, no refused scheme reaches an `href` or a PDF link, and a refused
    /// one is an error at the link.
    #[test]
    fn no_link_target_reaches_the_output_unless_allowed((dest, is_link) in target()) {
        let body = format!("[x](<{}>)", dest.replace('<', "%3C").replace('>', "%3E"));
        let mut diagnostics = Diagnostics::default();
        let loaded = prepare(project_with(&body), &mut diagnostics).ok().unwrap();
        let (packs, found) = resolve_every_pack(&loaded);
        diagnostics.extend(found);
        let plain = dest.replace("&colon;", ":").replace("%61", "a");
        let refused = !allowed(&dest) || !allowed(&plain);
        if is_link && refused && !plain.starts_with("role:") && !plain.starts_with('#') {
            prop_assert!(
                diagnostics.sorted().iter().any(|d| d.is_error() && d.file.as_deref() == Some("content/02-links.md")),
                "{dest:?} was not reported"
            );
        }
        let files = render_packs(&loaded, &packs, &["html"])
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        for pack in &files {
            for (name, bytes) in &pack.files {
                if name.ends_with(".html") {
                    for href in hrefs(&String::from_utf8_lossy(bytes)) {
                        prop_assert!(allowed(&href), "{href:?} in {name}");
                    }
                }
            }
        }
        for pack in &packs {
            let markup = pack_markup(pack).text;
            for link in markup.split("#link(\"").skip(1) {
                let url = link.split('"').next().unwrap_or("");
                prop_assert!(allowed(url) && browser_scheme(url).is_some(), "{url:?} in the PDF markup");
            }
        }
    }
}
