//! Hostile and unlucky input to the core (issue 11): nesting beyond any writer's intent, files
//! that are not files, output folders inside the sources, local sections that collide, and
//! messages that must stay safe and accurate. Each drives the real binary.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::bad_input::fails_keeping_output;
use crate::harness::{Project, Run, stderr_snapshot};

/// Runs the binary, killing it if it has not finished within `limit`: a hang is a failure.
fn run_within(project: &Project, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guidepack"))
        .arg("--project")
        .arg(project.path())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("guidepack {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        project: project.path().to_path_buf(),
    }
}

const LIMIT: Duration = Duration::from_secs(120);

// ---- 1. Nesting -------------------------------------------------------------------------------

#[test]
fn two_thousand_nested_list_items_are_an_error_not_a_crash() {
    let body = format!("Intro.\n\n{}item\n", "- ".repeat(2000));
    stderr_snapshot!(fails_keeping_output(|p| p.chapter(
        "02-deep.md",
        "title: Deep",
        &body
    )));
}

#[test]
fn two_thousand_nested_quotes_are_an_error_not_a_crash() {
    let body = format!("{}quoted\n", "> ".repeat(2000));
    stderr_snapshot!(fails_keeping_output(|p| p.chapter(
        "02-deep.md",
        "title: Deep",
        &body
    )));
}

#[test]
fn ten_thousand_nested_fences_are_an_error_in_check_and_build() {
    let body = format!(
        "{}text\n{}",
        "::: audience providers\n".repeat(10_000),
        ":::\n".repeat(10_000)
    );
    let run = fails_keeping_output(|p| p.chapter("02-deep.md", "title: Deep", &body));
    stderr_snapshot!(run);
}

#[test]
fn deeply_nested_emphasis_is_an_error_not_a_crash() {
    let body = format!("{}word{}\n", "*".repeat(3000), "*".repeat(3000));
    stderr_snapshot!(fails_keeping_output(|p| p.chapter(
        "02-deep.md",
        "title: Deep",
        &body
    )));
}

/// Thirty levels of everything a writer can nest, in one chapter: lists, quotes, callouts,
/// `:::` blocks and emphasis.
fn thirty_deep() -> String {
    let mut body = String::from("Intro.\n\n");
    for level in 0..30 {
        body.push_str(&"  ".repeat(level));
        body.push_str(&format!("- level {level}\n"));
    }
    body.push_str("\nAfter the list.\n\n");
    body.push_str(&format!("{}deep quote\n\n", "> ".repeat(30)));
    body.push_str("> [!NOTE]\n> A callout with\n> > a quote inside\n\n");
    body.push_str(&"::: audience providers commissioners local-authorities\n".repeat(30));
    body.push_str("Inside thirty blocks.\n");
    body.push_str(&":::\n".repeat(30));
    body.push_str(&format!(
        "\n{}deep emphasis{}\n",
        "*_".repeat(7),
        "_*".repeat(7)
    ));
    body
}

#[test]
fn thirty_levels_build_in_every_format() {
    let project = Project::minimal().chapter("02-deep.md", "title: Deep", &thirty_deep());
    let run = run_within(&project, &["build"], LIMIT).expect(0);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    let html = project.read("output/2.0.0/providers/deep.html");
    assert!(html.contains("level 29"));
    assert!(html.contains("deep quote"));
    assert!(html.contains("Inside thirty blocks."));
    assert!(project.exists("output/2.0.0/providers/test-pack-providers-2.0.0.pdf"));
}

#[test]
fn a_template_that_includes_itself_is_an_error_at_its_line() {
    stderr_snapshot!(fails_keeping_output(|p| {
        p.file(
            "templates/html/chapter.html",
            "<p>start</p>\n{% include \"chapter.html\" %}\n",
        )
    }));
}

// ---- 2, 15. Files that are not files -----------------------------------------------------------

fn mkfifo(path: &std::path::Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_named_pipe_as_a_chapter_or_data_file_is_refused_without_hanging() {
    for name in [
        "content/03-x.md",
        "content/framework/more.toml",
        "content/glossary.toml",
        "content/assets/pipe.png",
    ] {
        let project = Project::minimal();
        let path = project.path().join(name);
        let _ = std::fs::remove_file(&path);
        assert!(mkfifo(&path), "mkfifo is part of coreutils");
        for command in [&["check"][..], &["build", "--format", "html"][..]] {
            let run = run_within(&project, command, LIMIT).expect(1);
            assert!(
                run.stderr
                    .contains(&format!("`{name}` is a named pipe (FIFO), not a file")),
                "{name}: {}",
                run.stderr
            );
        }
    }
}

#[test]
fn a_character_device_is_refused_not_read_forever() {
    let project = Project::minimal();
    let path = project.path().join("content/03-zero.md");
    let made = Command::new("mknod")
        .arg(&path)
        .args(["c", "1", "5"])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipped: this machine does not let the tests make a device node (mknod)");
        return;
    }
    let run = run_within(&project, &["check"], LIMIT).expect(1);
    assert!(
        run.stderr
            .contains("`content/03-zero.md` is a character device"),
        "{}",
        run.stderr
    );
}

#[test]
fn symbolic_links_are_named_as_links_not_dropped() {
    let project =
        Project::minimal().file("elsewhere/04-linked.md", "---\ntitle: Linked\n---\nText.\n");
    let root = project.path();
    std::os::unix::fs::symlink(
        root.join("elsewhere/04-linked.md"),
        root.join("content/04-linked.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(root.join("elsewhere"), root.join("content/areas")).unwrap();
    // Both `content/04-linked.md` and `content/areas` are named as links.
    stderr_snapshot!(project.run(&["check"]).expect(1));
}

#[test]
fn a_file_name_that_is_not_utf8_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let project = Project::minimal();
    let name = std::ffi::OsStr::from_bytes(b"05-caf\xe9.md");
    std::fs::write(
        project.path().join("content").join(name),
        "---\ntitle: Cafe\n---\n",
    )
    .unwrap();
    stderr_snapshot!(project.run(&["check"]).expect(1));
}

#[test]
fn a_framework_folder_that_is_a_file_is_named() {
    let project = Project::minimal();
    let dir = project.path().join("content/framework");
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::write(&dir, "not a folder").unwrap();
    stderr_snapshot!(project.run(&["check"]).expect(1));
}

// ---- 4. Output inside the sources ----------------------------------------------------------------

#[test]
fn an_output_folder_inside_the_sources_is_refused() {
    let project = Project::minimal();
    for out in ["content/gen", "content/areas", "templates/x", "releases"] {
        for command in ["build", "watch"] {
            let dir = project.path().join(out);
            let run = run_within(
                &project,
                &[command, "--format", "html", "--out", dir.to_str().unwrap()],
                Duration::from_secs(30),
            )
            .expect(2);
            stderr_snapshot!(run, format!("{command}-{out}"));
        }
    }
    assert!(!project.exists("content/gen"));
    assert!(!project.exists("content/areas"));
}

// ---- 11. Local sections that collide ----------------------------------------------------------

fn with_area() -> Project {
    Project::minimal()
        .chapter("02-roles.md", "title: Roles", "Roles text.\n")
        .file("content/areas/kent/area.toml", "name = \"Kent\"\n")
}

#[test]
fn a_local_section_with_a_national_id_is_an_error() {
    stderr_snapshot!(
        with_area()
            .file(
                "content/areas/kent/extra.md",
                "---\ntitle: Extra\nid: intro\nafter: roles\n---\nLocal text.\n",
            )
            .run(&["check"])
            .expect(1)
    );
}

#[test]
fn two_local_sections_replacing_one_id_are_an_error_naming_both() {
    stderr_snapshot!(
        with_area()
            .file(
                "content/areas/kent/a.md",
                "---\ntitle: A\nreplaces: roles\n---\nA.\n",
            )
            .file(
                "content/areas/kent/b.md",
                "---\ntitle: B\nreplaces: roles\n---\nB.\n",
            )
            .run(&["check"])
            .expect(1)
    );
}

// ---- 17. Messages --------------------------------------------------------------------------------

#[test]
fn a_duplicate_chapter_id_is_reported_at_its_id_line() {
    stderr_snapshot!(
        Project::minimal()
            .chapter("02-other.md", "title: Other\nid: intro", "Text.\n")
            .run(&["check"])
            .expect(1)
    );
}

#[test]
fn long_lines_are_shortened_and_control_characters_escaped() {
    let line = format!(
        "{} {{{{ nope }}}} \u{1b}[2J{}",
        "word ".repeat(4000),
        "x".repeat(5000)
    );
    let run = Project::minimal()
        .chapter("02-long.md", "title: Long", &line)
        .run(&["check"])
        .expect(1);
    assert!(
        !run.stderr.contains('\u{1b}'),
        "a raw escape reached the terminal"
    );
    assert!(
        run.stderr.lines().all(|l| l.chars().count() < 300),
        "a line of the message is not shortened"
    );
    stderr_snapshot!(run);
}

#[test]
fn check_json_writes_only_json_lines_on_stdout() {
    let run = Project::minimal()
        .chapter("02-bad.md", "title: Bad", "::: audience nobody\nx\n:::\n")
        .run(&["check", "--format", "json"])
        .expect(1);
    assert!(!run.stdout.trim().is_empty());
    for line in run.stdout.lines() {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        assert!(value.get("message").is_some());
    }
    assert!(!run.stderr.contains("\"message\""));
}

#[test]
fn no_empty_lists_after_a_colon() {
    stderr_snapshot!(
        Project::minimal()
            .run(&["build", "--area", "kent"])
            .expect(2)
    );
}

#[test]
fn valid_but_strange_input_is_never_blamed_on_guidepack() {
    // A NUL in data (TOML's `\u0000`), a NUL in prose, and lists and quotes 30 deep build in
    // both formats; a 100 KB address is the writer's error, not "a bug in guidepack".
    let project = Project::minimal()
        .chapter(
            "02-odd.md",
            "title: Odd",
            "A NUL \u{0} here.\n\n> > > > > quoted\n",
        )
        .file(
            "content/framework/odd.toml",
            "[[statute]]\nid = \"odd-act\"\ntitle = \"Odd Act\\u0000 1990\"\nurl = \"https://example.org/odd\"\n",
        );
    let run = run_within(&project, &["build"], LIMIT).expect(0);
    assert!(!run.stderr.contains("bug in guidepack"), "{}", run.stderr);
    let url = format!("https://example.org/{}", "a".repeat(100_000));
    let run = project
        .file(
            "content/03-long.md",
            &format!("---\ntitle: Long\n---\nA [long link]({url}).\n"),
        )
        .run(&["build"])
        .expect(1);
    assert!(!run.stderr.contains("bug in guidepack"), "{}", run.stderr);
    stderr_snapshot!(run);
}

#[test]
fn front_matter_mistakes_get_no_library_advice() {
    let run = Project::minimal()
        .file("content/02-a.md", "---\ntitle: A\ntitle: B\n---\nx\n")
        .file("content/03-b.md", "---\ntitle:\n---\nx\n")
        .run(&["check"])
        .expect(1);
    stderr_snapshot!(run);
}

#[test]
fn serve_outside_a_project_says_so_and_serves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let nowhere = dir.path().join("nowhere");
    let output = Command::new(env!("CARGO_BIN_EXE_guidepack"))
        .arg("--project")
        .arg(&nowhere)
        .args(["serve", "--port", "0"])
        .output()
        .unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        project: nowhere,
    }
    .expect(1);
    assert!(
        !run.stdout.contains("serving the preview"),
        "{}",
        run.stdout
    );
    stderr_snapshot!(run);
}
