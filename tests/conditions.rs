//! Conditions beyond audience (contract §3.1): `::: area` (ids, `tag:`, `national`),
//! `::: format`, `not`, nesting, the same kinds as heading attributes and in front matter,
//! framework data, `tags` in area.toml, and each bad condition's whole message.

use crate::harness::{Project, main_text};

/// The minimal project with three areas: north (tagged coastal and north), south (tagged
/// inland) and east (no tags).
fn with_areas() -> Project {
    Project::minimal()
        .file(
            "content/areas/north/area.toml",
            "name = \"Northshire\"\ntags = [\"coastal\", \"north\"]\n",
        )
        .file(
            "content/areas/south/area.toml",
            "name = \"Southshire\"\ntags = [\"inland\"]\n",
        )
        .file("content/areas/east/area.toml", "name = \"Eastshire\"\n")
}

/// The text of a page of the providers' packs: national, then north, south and east.
fn provider_pages(p: &Project, chapter: &str) -> [String; 4] {
    [
        "providers",
        "areas/north/providers",
        "areas/south/providers",
        "areas/east/providers",
    ]
    .map(|dir| main_text(&p.read(&format!("output/2.0.0/{dir}/{chapter}.html"))))
}

fn build_all(p: &Project) {
    p.run(&["build", "--format", "html", "--all-areas"])
        .expect(0);
}

const PROVIDERS_PDF: &str = "output/2.0.0/providers/test-pack-providers-2.0.0.pdf";

#[test]
fn format_blocks_are_in_their_formats_only() {
    let p = Project::minimal().chapter(
        "02-formats.md",
        "title: Formats",
        "Everyone reads this.\n\n::: format pdf\nPrintable checklist here.\n:::\n\n::: format not pdf\nOnline form here.\n:::\n",
    );
    p.run(&["build", "--audience", "providers"]).expect(0);
    let html = main_text(&p.read("output/2.0.0/providers/formats.html"));
    assert!(
        html.contains("Everyone reads this.") && html.contains("Online form here."),
        "{html}"
    );
    assert!(!html.contains("Printable checklist"), "{html}");
    let all = main_text(&p.read("output/2.0.0/providers/all.html"));
    assert!(!all.contains("Printable checklist") && all.contains("Online form here."));
    let Some(pdf) = crate::harness::pdf_words(&p.path().join(PROVIDERS_PDF)) else {
        return;
    };
    assert!(
        pdf.contains("Everyone reads this.") && pdf.contains("Printable checklist here."),
        "{pdf}"
    );
    assert!(!pdf.contains("Online form here."), "{pdf}");
}

#[test]
fn a_pack_numbers_its_parts_once_for_every_format() {
    let p = Project::minimal().chapter(
        "02-numbers.md",
        "title: Numbers",
        "## First\n\nOne.\n\n## Checklist {format=pdf}\n\nTick each box.\n\n## Last\n\nThree.\n",
    );
    p.run(&["build", "--audience", "providers"]).expect(0);
    let html = main_text(&p.read("output/2.0.0/providers/numbers.html"));
    // The HTML leaves out section 2.2 and skips its number, so "2.3" means the same section
    // in both formats.
    assert!(
        html.contains("2.1 First") && html.contains("2.3 Last"),
        "{html}"
    );
    assert!(
        !html.contains("Checklist") && !html.contains("2.2"),
        "{html}"
    );
    let Some(pdf) = crate::harness::pdf_words(&p.path().join(PROVIDERS_PDF)) else {
        return;
    };
    assert!(
        pdf.contains("2.2 Checklist") && pdf.contains("Tick each box."),
        "{pdf}"
    );
    assert!(pdf.contains("2.3 Last"), "{pdf}");
}

#[test]
fn a_chapter_for_one_format_keeps_its_number_in_the_other() {
    let p = Project::minimal()
        .chapter(
            "02-print.md",
            "title: Print only\nformats: [pdf]",
            "For paper.\n",
        )
        .chapter("03-after.md", "title: After", "Then this.\n");
    p.run(&["build", "--audience", "providers"]).expect(0);
    assert!(!p.exists("output/2.0.0/providers/print.html"));
    let index = main_text(&p.read("output/2.0.0/providers/index.html"));
    assert!(
        !index.contains("Print only") && index.contains("After"),
        "{index}"
    );
    let after = p.read("output/2.0.0/providers/after.html");
    assert!(
        main_text(&after).contains("3 After") || after.contains(">3<"),
        "{}",
        main_text(&after)
    );
    let Some(pdf) = crate::harness::pdf_words(&p.path().join(PROVIDERS_PDF)) else {
        return;
    };
    assert!(
        pdf.contains("For paper.") && pdf.contains("Print only"),
        "{pdf}"
    );
}

#[test]
fn area_blocks_show_in_their_areas_packs_only() {
    let p = with_areas().chapter(
        "02-local.md",
        "title: Local",
        "All.\n\n::: area north south\nNorth and south only.\n:::\n",
    );
    build_all(&p);
    let [national, north, south, east] = provider_pages(&p, "local");
    assert!(north.contains("North and south only.") && south.contains("North and south only."));
    assert!(!national.contains("North and south only.") && !east.contains("North and south only."));
    assert!(national.contains("All.") && east.contains("All."));
}

#[test]
fn tag_blocks_show_in_the_packs_of_areas_with_the_tag() {
    let p = with_areas().chapter(
        "02-tags.md",
        "title: Tags",
        "::: area tag:coastal tag:inland\nCoast or inland.\n:::\n\n::: area tag:north\nNorthern.\n:::\n",
    );
    build_all(&p);
    let [national, north, south, east] = provider_pages(&p, "tags");
    assert!(
        north.contains("Coast or inland.") && north.contains("Northern."),
        "{north}"
    );
    assert!(
        south.contains("Coast or inland.") && !south.contains("Northern."),
        "{south}"
    );
    assert!(!east.contains("Coast or inland.") && !national.contains("Coast or inland."));
}

#[test]
fn national_blocks_show_in_national_packs_only() {
    let p = with_areas().chapter(
        "02-national.md",
        "title: National",
        "::: area national\nNo area here.\n:::\n",
    );
    build_all(&p);
    let [national, north, south, east] = provider_pages(&p, "national");
    assert!(national.contains("No area here."), "{national}");
    for area in [north, south, east] {
        assert!(!area.contains("No area here."), "{area}");
    }
}

#[test]
fn not_negates_the_whole_list() {
    let p = with_areas().chapter(
        "02-not.md",
        "title: Not",
        "::: area not national\nEvery area.\n:::\n\n::: area not north tag:inland\nNeither north nor inland.\n:::\n",
    );
    build_all(&p);
    let [national, north, south, east] = provider_pages(&p, "not");
    assert!(!national.contains("Every area.") && north.contains("Every area."));
    assert!(south.contains("Every area.") && east.contains("Every area."));
    assert!(
        national.contains("Neither north nor inland.")
            && east.contains("Neither north nor inland.")
    );
    assert!(
        !north.contains("Neither north nor inland.")
            && !south.contains("Neither north nor inland.")
    );
}

#[test]
fn nested_conditions_of_every_kind_must_all_hold() {
    let p = with_areas().chapter(
        "02-nested.md",
        "title: Nested",
        "::: area north\n::: audience providers\nNorthern providers.\n\n::: format html\nNorthern providers online.\n:::\n:::\n:::\n",
    );
    build_all(&p);
    let [national, north, south, _] = provider_pages(&p, "nested");
    assert!(north.contains("Northern providers.") && north.contains("Northern providers online."));
    assert!(!national.contains("Northern providers") && !south.contains("Northern providers"));
    let commissioners = main_text(&p.read("output/2.0.0/areas/north/commissioners/nested.html"));
    assert!(
        !commissioners.contains("Northern providers"),
        "{commissioners}"
    );
}

#[test]
fn heading_attributes_take_every_kind() {
    let p = with_areas().chapter(
        "02-sections.md",
        "title: Sections",
        "## Open\n\nFor all.\n\n## Local contacts {area=!national}\n\nCall your area.\n\n## Coast {area=tag:coastal}\n\nMind the tide.\n\n## Providers {audience=providers area=north}\n\nNorthern providers section.\n\n## Checklist {format=pdf}\n\nPaper only.\n\n## Closing\n\nAll again.\n",
    );
    build_all(&p);
    let [national, north, south, _] = provider_pages(&p, "sections");
    assert!(!national.contains("Call your area.") && north.contains("Call your area."));
    assert!(north.contains("Mind the tide.") && !south.contains("Mind the tide."));
    assert!(
        north.contains("Northern providers section.")
            && !south.contains("Northern providers section.")
    );
    let commissioners = main_text(&p.read("output/2.0.0/areas/north/commissioners/sections.html"));
    assert!(
        !commissioners.contains("Northern providers section."),
        "{commissioners}"
    );
    for page in [&national, &north, &south] {
        assert!(
            !page.contains("Paper only.") && page.contains("All again."),
            "{page}"
        );
    }
}

#[test]
fn front_matter_takes_every_list() {
    let p = with_areas()
        .chapter(
            "02-north.md",
            "title: North only\nareas: [north]",
            "Northern chapter.\n",
        )
        .chapter(
            "03-coast.md",
            "title: Coast\nareas: [tag:coastal, national]",
            "Coast chapter.\n",
        )
        .chapter(
            "04-local.md",
            "title: Local\nareas: [not, national]",
            "Local chapter.\n",
        )
        .chapter(
            "05-providers.md",
            "title: Providers\naudiences: [providers]",
            "Providers chapter.\n",
        )
        .chapter(
            "06-paper.md",
            "title: Paper\nformats: [pdf]",
            "Paper chapter.\n",
        )
        .chapter(
            "07-areas.md",
            "title: Areas\nareas: [not national]",
            "Written as one YAML item.\n",
        );
    build_all(&p);
    let has = |dir: &str, chapter: &str| p.exists(&format!("output/2.0.0/{dir}/{chapter}.html"));
    assert!(has("areas/north/providers", "north") && !has("providers", "north"));
    assert!(!has("areas/south/providers", "north"));
    assert!(has("areas/north/providers", "coast") && has("providers", "coast"));
    assert!(!has("areas/south/providers", "coast"));
    assert!(has("areas/east/providers", "local") && !has("providers", "local"));
    assert!(has("providers", "providers") && !has("commissioners", "providers"));
    assert!(!has("providers", "paper") && !has("areas/north/providers", "paper"));
    assert!(has("areas/east/providers", "areas") && !has("providers", "areas"));
}

#[test]
fn local_sections_take_conditions_in_front_matter() {
    let p = with_areas()
        .chapter("02-duties.md", "title: Duties", "## Contacts {#contacts}\n\nNational contacts.\n")
        .file(
            "content/areas/north/contacts.md",
            "---\ntitle: Northern contacts\nreplaces: contacts\naudiences: [providers]\n---\nCall the northern desk.\n",
        );
    build_all(&p);
    let [_, north, _, _] = provider_pages(&p, "duties");
    assert!(north.contains("Call the northern desk.") && !north.contains("National contacts."));
    let commissioners = main_text(&p.read("output/2.0.0/areas/north/commissioners/duties.html"));
    assert!(
        commissioners.contains("National contacts.") && !commissioners.contains("northern desk")
    );
}

#[test]
fn framework_audiences_choose_the_packs_that_list_a_role() {
    let p = Project::minimal().chapter("02-roles.md", "title: Roles", "::: roles\n:::\n");
    p.build_html();
    let providers = main_text(&p.read("output/2.0.0/providers/roles.html"));
    let commissioners = main_text(&p.read("output/2.0.0/commissioners/roles.html"));
    // The descriptions are the roles' own entries (a name may also stand in a line of
    // accountability).
    assert!(
        providers.contains("Provides hospital services.")
            && !providers.contains("Commissions local services."),
        "{providers}"
    );
    assert!(
        commissioners.contains("Commissions local services.")
            && !commissioners.contains("Provides hospital services."),
        "{commissioners}"
    );
}

// Bad conditions: each with the whole of what `check` says.

/// What `check` prints for a project, its temporary folder replaced.
fn check_stderr(p: &Project) -> String {
    let run = p.run(&["check"]).expect(1);
    let root = p.path().to_string_lossy().into_owned();
    run.stderr.replace(&root, "[project]")
}

fn bad_body(body: &str) -> String {
    check_stderr(&with_areas().chapter("02-bad.md", "title: Bad", body))
}

#[test]
fn an_unknown_kind_is_an_error() {
    insta::assert_snapshot!(bad_body("::: areas north\nText.\n:::\n"));
}

#[test]
fn an_unknown_audience_is_an_error() {
    insta::assert_snapshot!(bad_body("::: audience provders\nText.\n:::\n"));
}

#[test]
fn an_unknown_area_is_an_error() {
    insta::assert_snapshot!(bad_body("::: area nort\nText.\n:::\n"));
}

#[test]
fn an_unknown_tag_is_an_error() {
    insta::assert_snapshot!(bad_body("::: area tag:costal\nText.\n:::\n"));
}

#[test]
fn an_unknown_format_is_an_error() {
    insta::assert_snapshot!(bad_body("::: format pfd\nText.\n:::\n"));
}

#[test]
fn not_with_nothing_after_it_is_an_error() {
    insta::assert_snapshot!(bad_body("::: area not\nText.\n:::\n"));
}

#[test]
fn a_kind_with_no_values_is_an_error() {
    insta::assert_snapshot!(bad_body("::: format\nText.\n:::\n"));
}

#[test]
fn a_tag_with_no_name_is_an_error() {
    insta::assert_snapshot!(bad_body("::: area tag:\nText.\n:::\n"));
}

#[test]
fn an_area_condition_without_areas_is_an_error() {
    let p = Project::minimal().chapter("02-bad.md", "title: Bad", "::: area north\nText.\n:::\n");
    insta::assert_snapshot!(check_stderr(&p));
}

#[test]
fn bad_heading_attributes_are_errors() {
    insta::assert_snapshot!(bad_body(
        "## One {format=pfd}\n\n## Two {area=!}\n\n## Three {area=tag:costal,nort}\n\n## Four {formats=pdf}\n"
    ));
}

#[test]
fn bad_front_matter_lists_are_errors() {
    let p = with_areas()
        .chapter(
            "02-bad.md",
            "title: Bad\nformats: [pfd]\nareas: []",
            "Text.\n",
        )
        .chapter(
            "03-worse.md",
            "title: Worse\naudiences: [not]\nareas: [\"tag:nrth\"]",
            "Text.\n",
        );
    insta::assert_snapshot!(check_stderr(&p));
}

#[test]
fn bad_tags_in_area_toml_are_errors() {
    let p = with_areas().file(
        "content/areas/south/area.toml",
        "name = \"Southshire\"\ntags = [\"inland\", \"river side\", \"a:b\", \"inland\"]\n",
    );
    insta::assert_snapshot!(check_stderr(&p));
}

#[test]
fn a_link_to_a_part_one_format_leaves_out_is_an_error() {
    let p = Project::minimal().chapter(
        "02-links.md",
        "title: Links",
        "See [the checklist](#checklist).\n\n::: format pdf\nOr [print it](#checklist).\n:::\n\n## Checklist {#checklist format=pdf}\n\nTick.\n",
    );
    insta::assert_snapshot!(check_stderr(&p));
}

#[test]
fn a_link_inside_the_same_formats_is_fine() {
    let p = Project::minimal().chapter(
        "02-links.md",
        "title: Links",
        "::: format pdf\nSee [the checklist](#checklist).\n:::\n\n## Checklist {#checklist format=pdf}\n\nTick.\n",
    );
    p.run(&["check"]).expect(0);
}
