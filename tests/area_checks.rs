//! What a local area needs checked (issue 15, point 5): contact mail addresses and telephone
//! numbers, unquoted telephone numbers in TOML, unknown contact roles, a missing required
//! local section, and `guidepack new-area`.

use crate::harness::{Project, main_text, stderr_snapshot};

/// The minimal project with one area whose `area.toml` is `toml`.
fn area(toml: &str) -> Project {
    Project::minimal().file("content/areas/north/area.toml", toml)
}

/// One contact of the area with these extra lines.
fn contact(lines: &str) -> Project {
    area(&format!(
        "name = \"Northshire\"\n\n[[contact]]\nname = \"Jo North\"\n{lines}\n"
    ))
}

#[test]
fn mail_addresses_are_checked_for_form() {
    for (case, email) in [
        ("nothing-after-at", "jo.example@"),
        ("space", "jo example@example.org"),
        ("no-at", "jo.example.org"),
        ("no-domain", "jo@example"),
        ("two-addresses", "jo@example.org, sam@example.org"),
    ] {
        stderr_snapshot!(
            contact(&format!("email = \"{email}\""))
                .run(&["check"])
                .expect(1),
            case
        );
    }
}

#[test]
fn telephone_numbers_are_checked_for_form() {
    for (case, phone) in [
        ("letters", "0800 CALL NOW"),
        ("too-few-digits", "01632 9601"),
        ("no-leading-zero", "1632 960101"),
        ("plus44-with-zero", "+44 01632 960101"),
        ("extension", "01632 960101 ext 12"),
    ] {
        stderr_snapshot!(
            contact(&format!("phone = \"{phone}\""))
                .run(&["check"])
                .expect(1),
            case
        );
    }
}

#[test]
fn well_formed_contacts_pass() {
    for phone in [
        "01632 960101",
        "(01632) 960-101",
        "0800 123 4567",
        "+44 1632 960101",
        "+44 (0)1632 960101",
        "+353 1 234 5678",
        "116 123",
    ] {
        contact(&format!(
            "role = \"ccg\"\nemail = \"jo.north@example.org\"\nphone = \"{phone}\""
        ))
        .run(&["check"])
        .expect(0);
    }
}

#[test]
fn an_unquoted_phone_number_is_told_to_be_quoted() {
    for (case, value) in [
        ("with-space", "01632 960101"),
        ("leading-zero", "01632960101"),
        ("integer", "1632960101"),
        ("plus", "+44 1632 960101   # office"),
    ] {
        stderr_snapshot!(
            contact(&format!("phone = {value}"))
                .run(&["check"])
                .expect(1),
            case
        );
    }
}

#[test]
fn an_unknown_contact_role_lists_the_roles() {
    stderr_snapshot!(
        contact("role = \"tust\"").run(&["check"]).expect(1),
        "close"
    );
    stderr_snapshot!(
        contact("role = \"designated-nurse\"")
            .run(&["check"])
            .expect(1),
        "far"
    );
}

#[test]
fn a_missing_required_section_shows_the_file_to_create() {
    let p = area("name = \"Northshire\"\n").chapter(
        "02-local.md",
        "title: Local",
        "## Local arrangements: who to call {#local-arrangements local=required}\n\nNational text.\n",
    );
    let run = stderr_snapshot!(p.run(&["check"]).expect(1));
    // The help's template, written where it says, is what the area needed.
    let help = run.stderr.split("starting like this:\n").nth(1).unwrap();
    let template: String = help
        .lines()
        .take_while(|l| l.is_empty() || l.starts_with("    "))
        .map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or(l)))
        .collect();
    p.file("content/areas/north/local-arrangements.md", &template)
        .run(&["check"])
        .expect(0);
}

/// The minimal project with national text that asks each area for words and a section.
fn expecting_areas() -> Project {
    Project::minimal().chapter(
        "02-local.md",
        "title: Local help",
        "Ask {{ area.lead }}; {{ area.lead }} again.\n\n## Out of hours {#out-of-hours area=!national}\n\nCall {{ area.out_of_hours }} in {{ area.name }}.\n\n## Local arrangements {#local-arrangements local=required}\n\nNational text.\n",
    )
}

#[test]
fn new_area_scaffolds_an_area_that_builds_at_once() {
    let p = expecting_areas();
    let run = p.run(&["new-area", "north-kent"]).expect(0);
    assert!(
        run.stdout.contains("content/areas/north-kent/"),
        "{}",
        run.stdout
    );
    let toml = p.read("content/areas/north-kent/area.toml");
    assert!(toml.contains("name = \"North Kent\""), "{toml}");
    // A national wording is shown as a comment; a word with none nationally is to be written.
    assert!(toml.contains("# lead = \"the national lead\""), "{toml}");
    assert!(
        toml.contains("\nout_of_hours = \"(to be written: out_of_hours)\""),
        "{toml}"
    );
    assert_eq!(toml.matches("lead =").count(), 1, "{toml}");
    let section = p.read("content/areas/north-kent/local-arrangements.md");
    assert!(
        section.contains("replaces: local-arrangements"),
        "{section}"
    );
    p.run(&["check"]).expect(0);
    p.run(&["build", "--area", "north-kent", "--format", "html"])
        .expect(0);
    // Every example in it (revision, vars, contact, brand, change note), once its `#`s are
    // removed, passes the checks.
    let uncommented: String = (toml.lines())
        .map(|line| match line.strip_prefix("# ") {
            Some(rest) if rest.starts_with('[') || rest.contains(" = ") => rest,
            _ => line,
        })
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(uncommented.contains("\nrevision = 1\n"), "{uncommented}");
    assert!(uncommented.contains("\n[brand]\n"), "{uncommented}");
    assert!(
        uncommented.contains("\nversion = \"2.0.0-north-kent.1\"\n"),
        "{uncommented}"
    );
    let p = p.file("content/areas/north-kent/area.toml", &uncommented);
    p.write_bytes("content/areas/north-kent/logo.png", crate::brand::PNG);
    p.run(&["check"]).expect(0);
    let html = p.read("output/2.0.0/areas/north-kent/commissioners/local.html");
    let text = main_text(&html);
    assert!(
        text.contains("How this works in North Kent") && !text.contains("National text."),
        "{text}"
    );
}

#[test]
fn new_area_refuses_an_existing_area_and_touches_nothing() {
    let p = expecting_areas()
        .file(
            "content/areas/north/area.toml",
            "name = \"Northshire\"\n[vars]\nout_of_hours = \"x\"\n",
        )
        .file(
            "content/areas/north/arrangements.md",
            "---\ntitle: A\nreplaces: local-arrangements\n---\nmine\n",
        );
    let before = p.read("content/areas/north/area.toml");
    stderr_snapshot!(p.run(&["new-area", "north"]).expect(1));
    assert_eq!(p.read("content/areas/north/area.toml"), before);
    assert!(!p.exists("content/areas/north/local-arrangements.md"));
    assert_eq!(
        std::fs::read_dir(p.path().join("content/areas/north"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn new_area_refuses_a_bad_id() {
    let p = expecting_areas();
    stderr_snapshot!(p.run(&["new-area", "North_Kent"]).expect(2));
    assert!(!p.exists("content/areas"));
}
