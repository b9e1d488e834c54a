//! Errors with their place (issue 13, point 7): a project's own HTML and PDF templates, a
//! damaged output manifest or journal, mistyped directives, `guidepack new` in a full folder.
//! Each test drives the real binary on a small made-up project and compares the whole of
//! stderr with a snapshot (`tests/snapshots/`), the project's temporary path written
//! `[project]`, so that a changed or an extra message is seen.

use crate::harness::{Project, Run};

/// The built-in PDF template, which a project's own starts from.
const BUILT_IN_PDF: &str = include_str!("../templates/pdf/pack.typ");

/// stderr with the project's temporary folder written `[project]`.
fn stderr(project: &Project, run: &Run) -> String {
    run.stderr
        .replace(&project.path().display().to_string(), "[project]")
}

/// Builds the project, changes it, builds again with `args`: exit 1, the output as it was;
/// the second build's stderr.
fn fails_keeping_output(
    project: Project,
    change: impl FnOnce(Project) -> Project,
    args: &[&str],
) -> String {
    project.run(args).expect(0);
    let before = project.output_files();
    let project = change(project);
    let run = project.run(args).expect(1);
    assert_eq!(project.output_files(), before, "the output changed");
    stderr(&project, &run)
}

/// An HTML build of the minimal project after `change`.
fn html_fails(change: impl FnOnce(Project) -> Project) -> String {
    fails_keeping_output(Project::minimal(), change, &["build", "--format", "html"])
}

/// A PDF build of the minimal project's providers pack with this `templates/pdf/pack.typ`.
fn pdf_fails(template: &str, change: impl FnOnce(Project) -> Project) -> String {
    let template = template.to_string();
    fails_keeping_output(
        Project::minimal(),
        |p| change(p.file("templates/pdf/pack.typ", &template)),
        &["build", "--format", "pdf", "--audience", "providers"],
    )
}

const CHAPTER_OPEN: &str = "{% extends \"base.html\" %}\n{% block main %}\n";
const CHAPTER_CLOSE: &str = "\n{% endblock main %}\n";

fn own_chapter(body: &str) -> impl FnOnce(Project) -> Project {
    let text = format!("{CHAPTER_OPEN}{body}{CHAPTER_CLOSE}");
    move |p| p.file("templates/html/chapter.html", &text)
}

#[test]
fn an_html_template_that_cannot_be_read_is_shown_at_its_line_and_column() {
    insta::assert_snapshot!(
        "html_syntax",
        html_fails(own_chapter("<p>{{ chapter.title }</p>"))
    );
}

#[test]
fn check_finds_an_html_template_that_cannot_be_read() {
    let p = Project::minimal().file(
        "templates/html/chapter.html",
        &format!("{CHAPTER_OPEN}{{% if chapter.draft %}}<p>Draft</p>{CHAPTER_CLOSE}"),
    );
    let run = p.run(&["check"]).expect(1);
    insta::assert_snapshot!("html_check_unclosed_if", stderr(&p, &run));
}

#[test]
fn an_unknown_name_in_an_html_template_is_shown_with_the_closest_one() {
    insta::assert_snapshot!(
        "html_unknown_variable",
        html_fails(own_chapter("<p>{{ chapter.titel }}</p>"))
    );
}

#[test]
fn an_area_in_a_national_page_says_how_to_guard_it() {
    insta::assert_snapshot!(
        "html_area_in_a_national_pack",
        html_fails(own_chapter("<p>For {{ area.name }}</p>"))
    );
}

#[test]
fn an_unknown_filter_in_an_html_template_is_shown_at_the_filter() {
    insta::assert_snapshot!(
        "html_unknown_filter",
        html_fails(own_chapter("<p>{{ chapter.title | shout }}</p>"))
    );
}

#[test]
fn a_loop_over_what_is_not_a_list_is_shown_at_the_loop() {
    insta::assert_snapshot!(
        "html_loop_over_a_value",
        html_fails(own_chapter(
            "<ul>\n{% for c in chapter.draft %}<li>{{ c }}</li>{% endfor %}\n</ul>"
        ))
    );
}

#[test]
fn an_error_in_the_projects_parent_template_names_the_parent() {
    // The built-in chapter, contents and one-page templates extend the project's base.
    insta::assert_snapshot!(
        "html_error_in_the_parent",
        html_fails(|p| {
            p.file(
            "templates/html/base.html",
            "<!DOCTYPE html>\n<html lang=\"{{ pack.language }}\">\n<title>{{ page_title }}</title>\n<p>{{ pack.publisher_name }}</p>\n{% block main %}{% endblock main %}\n</html>\n",
        )
        })
    );
}

#[test]
fn an_error_in_an_included_template_names_the_included_file() {
    // The built-in base includes the project's banner.
    insta::assert_snapshot!(
        "html_error_in_an_included_template",
        html_fails(|p| {
            p.file(
            "templates/html/newer-banner.html",
            "{#- The banner of an older version. -#}\n{% if newer %}<p>See {{ newer.version }}</p>{% endif %}\n<p>{{ banner_text }}</p>\n",
        )
        })
    );
}

#[test]
fn including_or_extending_a_template_that_is_not_there_names_the_tag() {
    insta::assert_snapshot!(
        "html_include_missing",
        html_fails(own_chapter("{% include \"footer.html\" %}"))
    );
    insta::assert_snapshot!(
        "html_extends_missing",
        html_fails(|p| p.file(
            "templates/html/chapter.html",
            "{# Our layout #}\n{% extends \"layout.html\" %}\n"
        ))
    );
    insta::assert_snapshot!(
        "html_import_missing",
        html_fails(|p| p.file(
            "templates/html/chapter.html",
            "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n"
        ))
    );
    insta::assert_snapshot!(
        "html_macro_missing",
        html_fails(|p| {
            p
            .file(
                "templates/html/contents.html",
                "{% extends \"base.html\" %}\n{% macro hello() %}Hello{% endmacro hello %}\n",
            )
            .file(
                "templates/html/chapter.html",
                "{% extends \"base.html\" %}\n{% import \"contents.html\" as m %}\n{% block main %}{{ m::helo() }}{% endblock main %}\n",
            )
        })
    );
}

#[test]
fn a_pdf_template_that_cannot_be_read_is_shown_once_for_every_pack() {
    let template = "#let pack(meta, body) = {\n  [#meta.title\n  body\n}\n";
    let run = fails_keeping_output(
        Project::minimal(),
        |p| p.file("templates/pdf/pack.typ", template),
        &["build", "--format", "pdf"],
    );
    insta::assert_snapshot!("pdf_syntax", run);
}

#[test]
fn an_unknown_name_in_a_pdf_template_is_shown_at_its_place() {
    let template = format!("#let accent-2 = acent.darken(20%)\n{BUILT_IN_PDF}");
    insta::assert_snapshot!("pdf_unknown_variable", pdf_fails(&template, |p| p));
}

#[test]
fn a_loop_over_what_is_not_a_list_in_a_pdf_template_is_shown_at_the_loop() {
    let template = format!(
        "#let meta = json(\"/guidepack/meta.json\")\n#let flags = for flag in meta.draft {{ flag }}\n{BUILT_IN_PDF}"
    );
    insta::assert_snapshot!("pdf_loop_over_a_value", pdf_fails(&template, |p| p));
}

#[test]
fn an_error_in_a_typst_file_the_template_imports_names_that_file() {
    let template = format!("#import \"parts.typ\": shout\n#let loud = shout(true)\n{BUILT_IN_PDF}");
    insta::assert_snapshot!(
        "pdf_error_in_an_imported_file",
        pdf_fails(&template, |p| {
            p.file(
            "templates/pdf/parts.typ",
            "// Helpers of our template.\n#let shout(words) = {\n  for word in words { upper(word) }\n}\n",
        )
        })
    );
}

#[test]
fn a_pdf_template_without_a_function_the_markup_uses_is_the_templates_fault() {
    let num = "#let num(n) = [#box(n)<gp-num> ]\n";
    assert!(BUILT_IN_PDF.contains(num), "the built-in template changed");
    let template = BUILT_IN_PDF.replace(num, "");
    insta::assert_snapshot!("pdf_missing_function", pdf_fails(&template, |p| p));
}

#[test]
fn mistyped_directives_are_shown_at_their_fence() {
    insta::assert_snapshot!(
        "directives",
        html_fails(|p| {
            p.chapter(
            "02-data.md",
            "title: Data",
            "::: dutis\n:::\n\n::: role\nWho\n:::\n\n::: duties role=\n:::\n\n::: glossary all\n:::\n\n::: timeline\n:::\n\n::: role nobody\n:::\n",
        )
        })
    );
}

/// The artifact paths a manifest lists.
fn listed(p: &Project, version: &str) -> Vec<String> {
    let manifest: serde_json::Value =
        serde_json::from_str(&p.read(&format!("output/{version}/manifest.json"))).unwrap();
    manifest["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_damaged_manifest_of_this_version_loses_no_pack() {
    let p = Project::minimal();
    p.build_html();
    let whole = listed(&p, "2.0.0");
    let text = p.read("output/2.0.0/manifest.json");
    // Cut short, as by a full disk.
    p.write_bytes("output/2.0.0/manifest.json", &text.as_bytes()[..300]);
    let run = p
        .run(&["build", "--format", "html", "--audience", "providers"])
        .expect(0);
    insta::assert_snapshot!("manifest_damaged_this_version", stderr(&p, &run));
    assert_eq!(listed(&p, "2.0.0"), whole);
    let index = p.read("output/index.html");
    for audience in ["commissioners", "providers", "local-authorities"] {
        assert!(
            index.contains(&format!("2.0.0/{audience}/index.html")),
            "{audience} is not in the index:\n{index}"
        );
    }
    // Written again: the next build has nothing to say.
    let run = p
        .run(&["build", "--format", "html", "--audience", "providers"])
        .expect(0);
    assert_eq!(run.stderr, "");
}

#[test]
fn a_damaged_manifest_of_an_earlier_version_keeps_it_in_the_index() {
    let p = Project::minimal();
    p.build_html();
    let whole = listed(&p, "2.0.0");
    p.write_bytes(
        "output/2.0.0/manifest.json",
        b"{\"version\": \"2.0.0\", \"date\": \"2013-03-28\", \"artifacts\": [{\"pa",
    );
    let config = p.read("guidepack.toml").replace("2.0.0", "3.0.0");
    let p = p.file("guidepack.toml", &config);
    let run = p.run(&["build", "--format", "html"]).expect(0);
    insta::assert_snapshot!("manifest_damaged_earlier_version", stderr(&p, &run));
    let index = p.read("output/index.html");
    assert!(
        index.contains("Version 2.0.0, published 28 March 2013"),
        "{index}"
    );
    assert!(index.contains("2.0.0/providers/index.html"), "{index}");
    assert_eq!(listed(&p, "2.0.0"), whole);
}

#[test]
fn a_folder_in_the_manifests_place_is_refused_and_an_empty_manifest_made_again() {
    let p = Project::minimal();
    p.build_html();
    let whole = listed(&p, "2.0.0");
    std::fs::remove_file(p.path().join("output/2.0.0/manifest.json")).unwrap();
    std::fs::create_dir(p.path().join("output/2.0.0/manifest.json")).unwrap();
    let run = p
        .run(&["build", "--format", "html", "--audience", "providers"])
        .expect(1);
    // A folder in its place would stop the publish half way: refused before it starts.
    insta::assert_snapshot!("manifest_is_a_folder", stderr(&p, &run));
    std::fs::remove_dir(p.path().join("output/2.0.0/manifest.json")).unwrap();
    p.write_bytes("output/2.0.0/manifest.json", b"");
    p.run(&["build", "--format", "html", "--audience", "providers"])
        .expect(0);
    assert_eq!(listed(&p, "2.0.0"), whole);
}

#[test]
fn a_damaged_journal_says_what_to_do() {
    let p = Project::minimal();
    p.build_html();
    p.write_bytes("output/.guidepack-journal.json", b"{\"moves\": [");
    let run = p.run(&["build", "--format", "html"]).expect(1);
    insta::assert_snapshot!("journal_damaged", stderr(&p, &run));
    p.write_bytes(
        "output/.guidepack-journal.json",
        br#"{"moves": [{"new": "../elsewhere", "target": "2.0.0", "old": null}], "remove": []}"#,
    );
    let run = p.run(&["build", "--format", "html"]).expect(1);
    insta::assert_snapshot!("journal_outside", stderr(&p, &run));
}

#[test]
fn a_new_project_in_a_full_folder_is_refused_with_help() {
    let p = Project::minimal();
    let run = p.run(&["new", p.path().to_str().unwrap()]).expect(1);
    insta::assert_snapshot!("new_in_a_full_folder", stderr(&p, &run));
}

#[test]
fn a_mistake_in_the_projects_index_template_is_found_before_any_pack_is_written() {
    // `output/index.html` is written after the packs: its template is tried first.
    insta::assert_snapshot!(
        "html_site_index",
        html_fails(|p| {
            p.file(
            "templates/html/site-index.html",
            "<!DOCTYPE html>\n<html lang=\"{{ language }}\">\n<title>{{ titel }}</title>\n{% for v in versions %}<p>{{ v.version }}</p>{% endfor %}\n</html>\n",
        )
        })
    );
}

#[test]
fn check_tries_the_projects_page_templates_with_made_up_packs() {
    let p = Project::minimal().file(
        "templates/html/chapter.html",
        &format!("{CHAPTER_OPEN}<p>{{{{ pack.publisher | upcase }}}}</p>{CHAPTER_CLOSE}"),
    );
    let run = p.run(&["check"]).expect(1);
    insta::assert_snapshot!("html_check_unknown_filter", stderr(&p, &run));
}

#[test]
fn copies_of_the_built_in_templates_pass_the_trial() {
    let mut p = Project::minimal();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/html");
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        p = p.file(
            &format!("templates/html/{name}"),
            &std::fs::read_to_string(&path).unwrap(),
        );
    }
    let run = p.run(&["check"]).expect(0);
    assert_eq!(run.stderr, "");
    p.build_html();
}

#[test]
fn check_finds_a_pdf_template_that_cannot_be_read() {
    let p = Project::minimal()
        .file(
            "templates/pdf/pack.typ",
            &format!("#import \"parts.typ\": shout\n{BUILT_IN_PDF}"),
        )
        .file("templates/pdf/parts.typ", "#let shout(x) = upper(x\n");
    let run = p.run(&["check"]).expect(1);
    insta::assert_snapshot!("pdf_check_syntax", stderr(&p, &run));
}
