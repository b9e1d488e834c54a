//! Issue 12, points 8 and 9: a broken record is reported first and what only follows from it
//! is dropped or marked; warnings reach the writer in the preview page and its status.

use crate::harness::{Project, Run};

/// The sample pack with `from` replaced by `to` in `file` (which must hold `from`).
fn sample_with(file: &str, from: &str, to: &str) -> Project {
    let p = Project::sample();
    let text = p.read(file);
    assert!(text.contains(from), "{file} has no {from:?}");
    let changed = text.replacen(from, to, 1);
    p.file(file, &changed)
}

/// The first diagnostic of a human report.
fn first(run: &Run) -> &str {
    run.stderr.split("\n\n").next().unwrap_or("")
}

/// The JSON lines of `check --format json`.
fn json_lines(p: &Project) -> Vec<serde_json::Value> {
    let run = p.run(&["check", "--format", "json"]).expect(1);
    run.stderr
        .lines()
        .chain(run.stdout.lines())
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const CCG_KIND: &str = "id = \"ccg\"\nname = \"Clinical commissioning group\"\nkind = \"organisation\"";

#[test]
fn a_role_of_an_unknown_kind_is_the_one_error_not_the_links_to_it() {
    let p = sample_with(
        "content/framework/roles.toml",
        CCG_KIND,
        "id = \"ccg\"\nname = \"Clinical commissioning group\"\nkind = \"person\"",
    );
    let run = p.run(&["check"]).expect(1);
    assert!(
        first(&run).starts_with(
            "error: `person` is not an allowed value here\n --> content/framework/roles.toml:"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("there is no role"),
        "links, directives and duties naming the role follow from its error:\n{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 error,"), "{}", run.stdout);

    let lines = json_lines(&p);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["file"], "content/framework/roles.toml");
    assert_eq!(lines[0]["message"], "`person` is not an allowed value here");
}

#[test]
fn the_other_records_of_a_file_still_load() {
    // A wrong kind of value in one role: the roles beside it are still there, so their
    // duties and the links to them are checked as usual (and the typo below is found).
    let p = sample_with(
        "content/framework/roles.toml",
        CCG_KIND,
        "id = \"ccg\"\nname = \"Clinical commissioning group\"\nkind = 7",
    )
    .chapter(
        "50-extra.md",
        "title: Extra",
        "See the [trust](role:provider-trusst).\n",
    );
    let run = p.run(&["check"]).expect(1);
    assert!(
        first(&run).contains(" --> content/framework/roles.toml:"),
        "{}",
        run.stderr
    );
    run.has_error("there is no role `provider-trusst`", "content/50-extra.md:4:9")
        .stderr_has("did you mean `role:provider-trust`?");
}

#[test]
fn a_broken_duty_or_statute_is_the_one_error() {
    let p = sample_with(
        "content/framework/duties.toml",
        "role = \"ccg\"",
        "role = [\"ccg\"]",
    );
    let run = p.run(&["check"]).expect(1);
    assert!(
        first(&run).contains(" --> content/framework/duties.toml:"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 error,"), "{}\n{}", run.stdout, run.stderr);

    // Duties rest on it and chapters link to it with `statute:`.
    let p = sample_with(
        "content/framework/statutes.toml",
        "id = \"children-act-1989-s17\"",
        "id = \"children-act-1989-s17\"\ncommencement = 1989",
    );
    let run = p.run(&["check"]).expect(1).has_error(
        "unknown key `commencement`",
        "content/framework/statutes.toml:6:1",
    );
    assert!(
        !run.stderr.contains("there is no statute"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 error,"), "{}", run.stdout);
}

#[test]
fn a_framework_file_that_is_not_valid_toml_comes_first() {
    // The quotation mark is never closed, but the ids of the file can still be read: what
    // names them is not an error of its own.
    let p = sample_with(
        "content/framework/roles.toml",
        CCG_KIND,
        "id = \"ccg\"\nname = \"Clinical commissioning group\nkind = \"organisation\"",
    );
    let run = p.run(&["check"]).expect(1);
    assert!(
        first(&run).starts_with("error: this quotation mark is never closed\n --> content/framework/roles.toml:"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("there is no role"), "{}", run.stderr);

    // A table header broken so that the role's id is lost: the references that may follow
    // from it come after it, each marked with the error they may follow from.
    let p = sample_with(
        "content/framework/roles.toml",
        "[[role]]\nid = \"ccg\"",
        "[[role]\nid = \"ccg\"",
    );
    let run = p.run(&["check"]).expect(1);
    let root = first(&run);
    assert!(
        root.starts_with("error: unclosed array table, expected `]`\n --> content/framework/roles.toml:"),
        "{}",
        run.stderr
    );
    let place = root.lines().nth(1).unwrap().trim_start_matches(" --> ");
    let knock_ons: Vec<&str> = run
        .stderr
        .split("\n\n")
        .filter(|d| d.contains("there is no role `ccg`"))
        .collect();
    assert!(knock_ons.len() > 3, "{}", run.stderr);
    for d in knock_ons {
        assert!(
            d.contains(&format!(
                "note: this may only follow from the error at {place}: fix that one first"
            )),
            "{d}"
        );
    }
    let lines = json_lines(&p);
    assert_eq!(lines[0]["message"], "unclosed array table, expected `]`");
    assert!(lines[0].get("follows_from").is_none(), "{}", lines[0]);
    let (line, column) = (lines[0]["line"].clone(), lines[0]["column"].clone());
    for later in &lines[1..] {
        assert_eq!(later["follows_from"]["file"], "content/framework/roles.toml");
        assert_eq!(later["follows_from"]["line"], line, "{later}");
        assert_eq!(later["follows_from"]["column"], column, "{later}");
    }
}

#[test]
fn a_broken_area_is_the_error_not_the_area_it_leaves_out() {
    let p = sample_with(
        "content/areas/northshire/area.toml",
        "name = \"Northshire\"",
        "name = Northshire",
    );
    let run = p
        .run(&["build", "--area", "northshire", "--format", "html"])
        .expect(1);
    assert!(
        first(&run).contains(" --> content/areas/northshire/area.toml:1:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error: there is no area `northshire`; the areas are riverbury\nnote: this may only follow from the error at content/areas/northshire/area.toml:1:"),
        "{}",
        run.stderr
    );
    assert!(!p.exists("output"), "nothing is written");
    let run = p.run(&["check"]).expect(1);
    assert!(run.stdout.contains("1 error,"), "{}", run.stdout);
}

#[test]
fn a_broken_glossary_does_not_bring_a_warning_for_every_acronym() {
    let p = sample_with(
        "content/glossary.toml",
        "CCG = \"clinical commissioning group\"",
        "CCG = clinical commissioning group",
    );
    let run = p.run(&["check"]).expect(1);
    assert!(
        first(&run).contains(" --> content/glossary.toml:"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 error, 0 warnings"), "{}\n{}", run.stdout, run.stderr);

    // One term of the wrong kind: the others still explain their acronyms.
    let p = sample_with(
        "content/glossary.toml",
        "CCG = \"clinical commissioning group\"",
        "CCG = 1",
    );
    let run = p.run(&["check"]).expect(1);
    assert!(run.stdout.contains("1 error, 0 warnings"), "{}\n{}", run.stdout, run.stderr);
}
