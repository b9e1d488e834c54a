//! The build core (issue 13): an earlier release record is read as an input, so a damaged one
//! is an error naming its file for every command that reads it (never a silent loss of the
//! change summary); `--format` takes the registered formats' names.

use crate::harness::{Project, Run};
use crate::releases::bump;

/// A project released as 1.0.0 and now at 1.1.0, built once (with its change summary).
fn after_a_release() -> Project {
    let p = bump(Project::minimal(), "1.0.0");
    p.run(&["release"]).expect(0);
    let p = bump(p, "1.1.0");
    p.build_html().expect(0);
    assert!(
        p.output_files()
            .iter()
            .any(|(path, bytes)| path.ends_with(".html")
                && String::from_utf8_lossy(bytes).contains("Changes in this version")),
        "the build of 1.1.0 has a change summary"
    );
    p
}

fn names_the_damage(run: Run, file: &str, what: &str) {
    let path = format!("releases/1.0.0/{file}");
    run.stderr_has(&format!("error: the release record {what}"))
        .stderr_has(&format!(" --> {path}"))
        .stderr_has("help: release records are written by `guidepack release` and never edited");
}

#[test]
fn a_damaged_earlier_release_record_is_an_error_naming_the_file() {
    for file in ["release.json", "manifest.json", "snapshot.json"] {
        for (damage, what) in [
            ("[", "it ends too early (the file was cut short)"),
            ("[}", "it is not valid JSON"),
            ("", "it is empty"),
            (
                "{\"something\": \"else\"}",
                "a value is not what `guidepack release` writes",
            ),
        ] {
            let p = after_a_release();
            let before = p.output_files();
            let p = p.file(&format!("releases/1.0.0/{file}"), damage);
            let expected = format!("`releases/1.0.0/{file}` is damaged: {what}");
            let run = p.run(&["build", "--format", "html"]).expect(1);
            names_the_damage(run, file, &expected);
            assert_eq!(
                p.output_files(),
                before,
                "the output is untouched ({file}: {damage:?})"
            );
            names_the_damage(p.run(&["check"]).expect(1), file, &expected);
            let run = p.run(&["release"]).expect(1);
            names_the_damage(run, file, &expected);
            assert!(!p.exists("releases/1.1.0"), "no record of 1.1.0 is written");
        }
    }
}

#[test]
fn a_missing_file_of_an_earlier_release_record_is_an_error_naming_it() {
    let p = after_a_release();
    std::fs::remove_file(p.path().join("releases/1.0.0/snapshot.json")).unwrap();
    p.run(&["build", "--format", "html"]).expect(1).stderr_has(
        "error: the release record of version 1.0.0 is incomplete: `releases/1.0.0/snapshot.json` is missing\n --> releases/1.0.0/snapshot.json",
    );
}

#[test]
fn format_takes_the_registered_names() {
    let p = Project::minimal();
    p.run(&["build", "--format", "docx"])
        .expect(2)
        .stderr_has("[possible values: pdf, odt, govspeak, html]");
    p.run(&["build", "--format", "html"]).expect(0);
    assert!(p.output_files().keys().all(|path| !path.ends_with(".pdf")));
}
