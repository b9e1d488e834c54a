//! Local areas: variable precedence, local sections (replaces, after, before), required local
//! sections, area.toml errors, selection of area packs, and the local variations annex.

use crate::harness::{Project, main_text, stderr_snapshot};

/// The minimal project with a chapter that has a required local section, and two areas.
fn with_areas() -> Project {
    Project::minimal()
        .chapter(
            "02-local.md",
            "title: Local",
            "## Arrangements {#arrangements local=required}\n\nNational arrangements text.\n\n## Other {#other}\n\nOther national text; ask {{ area.lead }} or {{ area.nurse }}.\n",
        )
        .file("guidepack.toml", &Project::minimal().read("guidepack.toml").replace("[vars]\n", "[vars]\nnurse = \"the national nurse\"\n"))
        .file("content/areas/north/area.toml", "name = \"Northshire\"\n\n[vars]\nlead = \"Jo North\"\n\n[[contact]]\nrole = \"ccg\"\nname = \"Jo North\"\nemail = \"jo@example.org\"\nphone = \"01632 960001\"\n")
        .file("content/areas/north/arrangements.md", "---\ntitle: Arrangements in {{ area.name }}\nreplaces: arrangements\n---\nNorthshire arrangements text.\n")
        .file("content/areas/south/area.toml", "name = \"Southshire\"\n")
        .file("content/areas/south/arrangements.md", "---\ntitle: Southshire arrangements\nreplaces: arrangements\n---\nSouthshire arrangements text.\n")
}

#[test]
fn variables_come_from_the_area_then_the_nation() {
    let p = with_areas();
    p.run(&["build", "--format", "html", "--all-areas"])
        .expect(0);
    let north = main_text(&p.read("output/2.0.0/areas/north/providers/local.html"));
    assert!(
        north.contains("ask Jo North or the national nurse."),
        "{north}"
    );
    let south = main_text(&p.read("output/2.0.0/areas/south/providers/local.html"));
    assert!(
        south.contains("ask the national lead or the national nurse."),
        "{south}"
    );
    let national = main_text(&p.read("output/2.0.0/providers/local.html"));
    assert!(
        national.contains("ask the national lead or the national nurse."),
        "{national}"
    );
}

#[test]
fn a_variable_missing_for_one_area_names_that_area() {
    let p = Project::minimal()
        .chapter("02-x.md", "title: X", "Ask {{ area.nurse }}.\n")
        .file(
            "content/areas/north/area.toml",
            "name = \"Northshire\"\n[vars]\nnurse = \"N\"\n",
        )
        .file("content/areas/south/area.toml", "name = \"Southshire\"\n");
    stderr_snapshot!(p.run(&["check"]).expect(1));
}

#[test]
fn replaced_text_is_gone_from_the_area_pack_only() {
    let p = with_areas();
    p.run(&["build", "--format", "html", "--all-areas"])
        .expect(0);
    let north = p.read("output/2.0.0/areas/north/commissioners/local.html");
    let text = main_text(&north);
    assert!(
        text.contains("Arrangements in Northshire")
            && text.contains("Northshire arrangements text."),
        "{text}"
    );
    assert!(!text.contains("National arrangements text."), "{text}");
    assert!(
        north.contains("<div class=\"gp-local\" data-area=\"Northshire\">"),
        "local text is marked"
    );
    let national = main_text(&p.read("output/2.0.0/commissioners/local.html"));
    assert!(
        national.contains("National arrangements text.") && !national.contains("Northshire"),
        "{national}"
    );
    // The page header names the area.
    assert!(north.contains("Northshire"));
}

#[test]
fn sections_go_after_and_before_their_targets() {
    let p = with_areas()
        .file("content/areas/north/extra.md", "---\ntitle: Northshire extra\nafter: other\n---\nAfter text.\n")
        .file("content/areas/north/early.md", "---\ntitle: Northshire early\nbefore: other\n---\nBefore text.\n")
        .file("content/areas/north/chapter.md", "---\ntitle: A whole local chapter\nid: north-chapter\nafter: intro\n---\nChapter text.\n");
    p.run(&["build", "--format", "html", "--area", "north"])
        .expect(0);
    let text = main_text(&p.read("output/2.0.0/areas/north/providers/local.html"));
    let order = [
        "Northshire arrangements text.",
        "Northshire early",
        "Before text.",
        "Other national text",
        "Northshire extra",
        "After text.",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|s| {
            text.find(s)
                .unwrap_or_else(|| panic!("{s} missing: {text}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{order:?} out of order in {text}"
    );
    let contents = main_text(&p.read("output/2.0.0/areas/north/providers/index.html"));
    let intro = contents.find("Introduction").unwrap();
    let local = contents.find("A whole local chapter").unwrap();
    let next = contents.find("Local").unwrap();
    assert!(
        intro < local && local < contents.rfind("Local variations").unwrap() && next > 0,
        "{contents}"
    );
    assert!(
        !p.exists("output/2.0.0/providers/north-chapter.html"),
        "--area alone builds no national pack"
    );
}

#[test]
fn the_variations_annex_lists_what_changed() {
    let p = with_areas().file(
        "content/areas/north/extra.md",
        "---\ntitle: Northshire extra\nafter: other\n---\nAfter text.\n",
    );
    p.run(&["build", "--format", "html", "--area", "north", "--national"])
        .expect(0);
    let annex = main_text(&p.read("output/2.0.0/areas/north/providers/local-variations.html"));
    assert!(
        annex.contains("Arrangements in Northshire Replaced Arrangements"),
        "{annex}"
    );
    assert!(
        annex.contains("Northshire extra Added after Other"),
        "{annex}"
    );
    assert!(
        p.exists("output/2.0.0/providers/index.html"),
        "--national adds the national packs"
    );
    assert!(
        !p.exists("output/2.0.0/providers/local-variations.html"),
        "national packs have no variations annex"
    );
}

#[test]
fn contacts_list_the_area_contacts() {
    let p = with_areas().chapter("03-contacts.md", "title: Contacts", "::: contacts\n:::\n");
    p.run(&["build", "--format", "html", "--area", "north"])
        .expect(0);
    let html = p.read("output/2.0.0/areas/north/providers/contacts.html");
    let text = main_text(&html);
    assert!(text.contains("Contacts in Northshire Name Role Email Telephone Jo North Clinical commissioning group jo@example.org 01632 960001"), "{text}");
    assert!(
        html.contains("href=\"mailto:jo@example.org\"")
            && html.contains("href=\"tel:01632960001\"")
    );
}

#[test]
fn a_missing_target_is_an_error() {
    stderr_snapshot!(
        with_areas()
            .file(
                "content/areas/north/bad.md",
                "---\ntitle: Bad\nafter: othr\n---\nx\n",
            )
            .run(&["check"])
            .expect(1)
    );
}

#[test]
fn replacing_and_inserting_at_once_is_an_error() {
    stderr_snapshot!(
        with_areas()
            .file(
                "content/areas/north/bad.md",
                "---\ntitle: Bad\nreplaces: other\nafter: other\n---\nx\n"
            )
            .run(&["check"])
            .expect(1)
    );
}

#[test]
fn a_required_local_section_missing_in_one_area() {
    let p = with_areas().file("content/areas/west/area.toml", "name = \"Westshire\"\n");
    stderr_snapshot!(p.run(&["check"]).expect(1));
    let run = p.run(&["check"]);
    assert!(
        !run.stderr.contains("area `north`") && !run.stderr.contains("area `south`"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_key_in_area_toml() {
    stderr_snapshot!(
        with_areas()
            .file(
                "content/areas/south/area.toml",
                "name = \"Southshire\"\n\n[[contact]]\nname = \"X\"\nemial = \"x@example.org\"\n",
            )
            .run(&["check"])
            .expect(1)
    );
}

#[test]
fn the_site_index_lists_area_packs() {
    let p = with_areas();
    p.run(&["build", "--format", "html", "--all-areas"])
        .expect(0);
    let index = p.read("output/index.html");
    assert!(
        index.contains("2.0.0/areas/north/providers/index.html") && index.contains("Northshire"),
        "{index}"
    );
    assert!(index.contains("2.0.0/providers/index.html"));
}
