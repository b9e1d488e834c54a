//! Progress and the time summary (issue 17, point 5): plain lines at each tenth of a build of
//! 20 packs or more when stderr is no terminal (a CI log), the time line at the end of the
//! summary, and neither with `--quiet`.

use crate::harness::Project;

/// The minimal project (three audiences) with seven areas: 24 packs.
fn with_seven_areas() -> Project {
    let mut p = Project::minimal();
    for n in 1..=7 {
        p = p.file(
            &format!("content/areas/area-{n}/area.toml"),
            &format!("name = \"Area {n}\"\n"),
        );
    }
    p
}

#[test]
fn a_long_build_shows_plain_progress_lines_and_where_the_time_went() {
    let p = with_seven_areas();
    let run = p
        .run(&["build", "--all-areas", "--format", "html", "--no-cache"])
        .expect(0);
    let lines: Vec<&str> = (run.stderr.lines())
        .filter(|l| l.starts_with("made "))
        .collect();
    assert_eq!(
        lines.len(),
        9,
        "one line a tenth, none at the end:\n{}",
        run.stderr
    );
    assert!(
        lines[0].starts_with("made 3 of 24 packs (12%)"),
        "{}",
        lines[0]
    );
    assert!(
        lines[8].starts_with("made 22 of 24 packs (91%)"),
        "{}",
        lines[8]
    );
    let last = run.stdout.lines().last().unwrap();
    assert!(last.starts_with("took "), "{}", run.stdout);
    for part in [
        "read and checked",
        "resolved",
        "rendered",
        "(HTML 100%)",
        "wrote",
    ] {
        assert!(last.contains(part), "{part} is not in {last}");
    }
}

#[test]
fn quiet_shows_neither_and_a_short_build_no_progress() {
    let p = with_seven_areas();
    let run = p
        .run(&["build", "--all-areas", "--format", "html", "--quiet"])
        .expect(0);
    assert!(!run.stderr.contains("made "), "{}", run.stderr);
    assert!(!run.stdout.contains("took "), "{}", run.stdout);
    assert!(run.stdout.contains("built 24 packs"), "{}", run.stdout);
    let short = p.run(&["build", "--format", "html"]).expect(0);
    assert!(!short.stderr.contains("made "), "{}", short.stderr);
}
