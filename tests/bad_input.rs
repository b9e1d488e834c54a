//! Bad input: each gives exit status 1, a message naming the file and line, and leaves the
//! previous output exactly as it was.

use crate::harness::{Project, Run};

/// Builds once (good), applies a change, builds again, and checks the failure left the output
/// byte for byte as it was.
pub fn fails_keeping_output(change: impl FnOnce(Project) -> Project) -> Run {
    let project = Project::minimal();
    project.build_html();
    let before = project.output_files();
    assert!(!before.is_empty());
    let project = change(project);
    let run = project.run(&["build", "--format", "html"]).expect(1);
    assert!(
        run.stderr
            .contains("nothing was written; the previous output is unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(
        project.output_files(),
        before,
        "the failed build changed the output"
    );
    let check = project.run(&["check"]).expect(1);
    assert!(
        !check.stderr.contains("nothing was written"),
        "check writes nothing anyway"
    );
    run
}

fn with_chapter(body: &'static str) -> impl FnOnce(Project) -> Project {
    move |p| p.chapter("02-bad.md", "title: Bad", body)
}

#[test]
fn unknown_audience_in_a_block() {
    fails_keeping_output(with_chapter("::: audience comissioners\ntext\n:::\n"))
        .has_error(
            "there is no audience `comissioners`",
            "content/02-bad.md:4:14",
        )
        .stderr_has("help: did you mean `commissioners`?");
}

#[test]
fn unknown_audience_in_a_section_and_front_matter() {
    fails_keeping_output(|p| {
        p.chapter(
            "02-bad.md",
            "title: Bad\naudiences: [provider]",
            "## S {audience=commisioners}\n",
        )
    })
    .has_error("there is no audience `provider`", "content/02-bad.md:3:13")
    .has_error(
        "there is no audience `commisioners`",
        "content/02-bad.md:5:1",
    );
}

#[test]
fn undefined_variable() {
    fails_keeping_output(with_chapter("Ask {{ area.nobody }}.\n"))
        .has_error(
            "variable `area.nobody` is not defined for the national pack",
            "content/02-bad.md:4:5",
        )
        .stderr_has("help: define `nobody` under [vars] in guidepack.toml");
}

#[test]
fn unknown_variable_suggests() {
    fails_keeping_output(with_chapter("\n\n{{ pack.titel }}\n"))
        .has_error("unknown variable `pack.titel`", "content/02-bad.md:6:1")
        .stderr_has("help: did you mean `pack.title`?");
}

#[test]
fn unclosed_fence() {
    fails_keeping_output(with_chapter("text\n\n::: audience providers\nmore\n"))
        .has_error(
            "this audience block is never closed",
            "content/02-bad.md:6:1",
        )
        .stderr_has("help: add a line with only `:::` where it ends");
}

#[test]
fn stray_fence() {
    fails_keeping_output(with_chapter("text\n:::\n"))
        .has_error("this `:::` closes nothing", "content/02-bad.md:5:1");
}

#[test]
fn malformed_front_matter() {
    fails_keeping_output(|p| p.file("content/02-bad.md", "---\ntitle: Bad\nordr: 3\n---\ntext\n"))
        .has_error("unknown key `ordr`", "content/02-bad.md:3:1")
        .stderr_has("help: did you mean `order`?");
    fails_keeping_output(|p| p.file("content/02-bad.md", "---\ntitle: Bad\ntext\n")).has_error(
        "the front matter opened here is never closed by a `---` line",
        "content/02-bad.md:1:1",
    );
    fails_keeping_output(|p| p.file("content/02-bad.md", "No front matter\n"))
        .has_error("this chapter has no front matter", "content/02-bad.md:1:1");
}

#[test]
fn unknown_config_key_suggests_the_intended_one() {
    fails_keeping_output(|p| {
        let text = p
            .read("guidepack.toml")
            .replace("language = ", "langauge = ");
        p.file("guidepack.toml", &text)
    })
    .has_error("unknown key `langauge`", "guidepack.toml:6:1")
    .stderr_has("6 | langauge = \"en-GB\"")
    .stderr_has("help: did you mean `language`?");
}

#[test]
fn duplicate_and_malformed_ids() {
    fails_keeping_output(with_chapter("## One {#same}\n\n## Two {#same}\n"))
        .has_error("the id `same` is used twice", "content/02-bad.md:6:1");
    fails_keeping_output(with_chapter("## One {#Bad_Id}\n")).has_error(
        "`Bad_Id` is not a valid heading id",
        "content/02-bad.md:4:1",
    );
    // Reported at the `id:` line that makes the clash, not at the title (issue 11).
    fails_keeping_output(|p| p.chapter("02-bad.md", "title: Bad\nid: intro", "x\n"))
        .has_error("the id `intro` is used twice", "content/02-bad.md:3:5");
}

#[test]
fn dangling_framework_references() {
    fails_keeping_output(|p| {
        p.file("content/framework/more.toml", "[[duty]]\nid = \"x\"\nrole = \"cgg\"\ntext = \"T\"\nbasis = [\"nope\"]\naudiences = [\"providers\"]\n")
    })
    .has_error("there is no role `cgg`", "content/framework/more.toml:3:8")
    .stderr_has("help: did you mean `ccg`?")
    .has_error("there is no statute `nope`", "content/framework/more.toml:5:10");
}

#[test]
fn duplicate_framework_ids_across_files() {
    fails_keeping_output(|p| {
        p.file(
            "content/framework/more.toml",
            "[[statute]]\nid = \"ca2004-s11\"\ntitle = \"Again\"\n",
        )
    })
    .has_error(
        "statute `ca2004-s11` is defined twice",
        "content/framework/more.toml:2:6",
    );
}

#[test]
fn accountability_cycle() {
    fails_keeping_output(|p| {
        let text = p.read("content/framework/data.toml").replace(
            "description = \"Leads the NHS.\"",
            "description = \"Leads the NHS.\"\naccountable_to = [\"trust\"]",
        );
        p.file("content/framework/data.toml", &text)
    })
    .stderr_has("error: accountability goes round in a circle: ")
    .stderr_has(" --> content/framework/data.toml:");
}

#[test]
fn unknown_link_target() {
    fails_keeping_output(with_chapter("See [this](#nowhere).\n")).has_error(
        "the link target `#nowhere` does not exist",
        "content/02-bad.md:4:5",
    );
}

#[test]
fn link_target_filtered_out_of_a_pack_names_the_pack() {
    fails_keeping_output(|p| {
        p.chapter(
            "02-bad.md",
            "title: Bad",
            "## Secret {#secret audience=commissioners}\n\nx\n\n## Open\n\nSee [it](#secret).\n",
        )
    })
    .has_error(
        "the link target `#secret` is not in the national Providers pack",
        "content/02-bad.md:10:5",
    )
    .has_error(
        "the link target `#secret` is not in the national Local authorities pack",
        "content/02-bad.md:10:5",
    );
}

#[test]
fn images_missing_outside_and_without_alt() {
    fails_keeping_output(with_chapter("![A map](assets/none.png)\n")).has_error(
        "the image `assets/none.png` does not exist",
        "content/02-bad.md:4:1",
    );
    fails_keeping_output(with_chapter("![A file](../../secret.png)\n")).has_error(
        "the image `../../secret.png` is outside the project",
        "content/02-bad.md:4:1",
    );
    fails_keeping_output(with_chapter("\n![](assets/dot.png)\n")).has_error(
        "the image `assets/dot.png` has no alt text",
        "content/02-bad.md:5:1",
    );
}

#[test]
fn invalid_utf8() {
    fails_keeping_output(|p| {
        p.write_bytes(
            "content/02-bad.md",
            b"---\ntitle: Bad\n---\nfine\nbad \xff here\n",
        );
        p
    })
    .has_error("this file is not valid UTF-8 text", "content/02-bad.md:5:5");
}

#[test]
fn unknown_directive_and_role() {
    fails_keeping_output(with_chapter("::: dutis\n:::\n"))
        .has_error("there is no directive `dutis`", "content/02-bad.md:4:1")
        .stderr_has("help: did you mean `::: duties`?");
    fails_keeping_output(with_chapter("::: role nobody\n:::\n"))
        .has_error("there is no role `nobody`", "content/02-bad.md:4:1");
}

#[test]
fn undefined_footnote() {
    fails_keeping_output(with_chapter("Text[^missing].\n")).has_error(
        "the footnote `[^missing]` is never defined",
        "content/02-bad.md:4:5",
    );
}

#[test]
fn raw_html_and_unknown_acronyms_are_warnings() {
    let p = Project::minimal().chapter(
        "02-warn.md",
        "title: Warn",
        "<script>alert(1)</script>\n\nThe LSCB meets.\n",
    );
    let run = p.build_html();
    let run = run
        .has_warning(
            "raw HTML is not allowed in a pack: it is shown as text",
            "content/02-warn.md:4:1",
        )
        .has_warning(
            "`LSCB` looks like an acronym, but the glossary does not explain it",
            "content/02-warn.md:6:5",
        );
    assert!(!run.stderr.contains("error:"));
    let html = p.read("output/2.0.0/providers/warn.html");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>"),
        "{html}"
    );
}

#[test]
fn json_diagnostics_for_ci() {
    let p = Project::minimal().chapter("02-bad.md", "title: Bad", "See [this](#nowhere).\n");
    let run = p.run(&["check", "--format", "json"]).expect(1);
    // Only JSON lines on stdout (issue 11): CI reads them from there.
    let line = run.stdout.lines().next().unwrap();
    let value: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(value["file"], "content/02-bad.md");
    assert_eq!(value["line"], 4);
    assert_eq!(value["column"], 5);
    assert_eq!(value["severity"], "error");
    assert_eq!(
        value["message"],
        "the link target `#nowhere` does not exist"
    );
}

#[test]
fn command_line_mistakes_exit_2() {
    let p = Project::minimal();
    p.run(&["build", "--audience", "nobody"])
        .expect(2)
        .stderr_has("there is no audience `nobody`");
    p.run(&["build", "--frobnicate"]).expect(2);
    p.run(&["build", "--area", "nowhere"])
        .expect(2)
        .stderr_has("there is no area `nowhere`");
}

#[test]
fn not_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_guidepack"))
        .args(["--project", dir.path().to_str().unwrap(), "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("this is not a guidepack project"));
}

/// Issue 12 (point 7): the parser errors writers meet most, in plain words with the fix, the
/// reader's own words kept as a note.
#[test]
fn parser_errors_in_plain_words() {
    let run = Project::minimal()
        .file(
            "content/02-a.md",
            "---\ntitle: Roles: who does what\n---\nx\n",
        )
        .file("content/03-b.md", "---\ntitle: B\n  summary: x\n---\nx\n")
        .file("content/04-c.md", "---\ntitle: \"C\n---\nx\n")
        .file(
            "content/areas/kent/area.toml",
            "name = \"Kent\"\n[[contact]]\nname = \"Jo\"\nphone = 01234567\n",
        )
        .run(&["check"])
        .expect(1);
    run.has_error(
        "the value of `title` has a colon in it, which starts a new key",
        "content/02-a.md:2:13",
    )
    .stderr_has("help: put the value in quotes: `title: \"Roles: who does what\"` (the reader said: mapping values are not allowed in this context)")
    .has_error(
        "this line is indented, so it is read as part of the line above",
        "content/03-b.md:3:",
    )
    .has_error("this quotation mark is never closed", "content/04-c.md:2:")
    .has_error("a number cannot start with 0 here", "content/areas/kent/area.toml:4:9");
    let text = std::fs::read_to_string(Project::minimal().path().join("guidepack.toml")).unwrap();
    let dated = text.replace("date = \"2013-03-28\"", "date = 2013-03-28");
    Project::minimal()
        .file("guidepack.toml", &dated)
        .run(&["check"])
        .expect(1)
        .has_error(
            "this looks like a date or a time, which must be written in quotes here",
            "guidepack.toml:5:8",
        );
    let data = std::fs::read_to_string(
        Project::minimal()
            .path()
            .join("content/framework/data.toml"),
    )
    .unwrap();
    assert!(data.contains("basis = [\"ca2004-s11\"]"));
    Project::minimal()
        .file(
            "content/framework/data.toml",
            &data.replacen("basis = [\"ca2004-s11\"]", "basis = \"ca2004-s11\"", 1),
        )
        .run(&["check"])
        .expect(1)
        .stderr_has("help: write it in square brackets: `[\"ca2004-s11\"]`");
}
