//! Unit tests of `check` (src/check.rs, src/check_links.rs): one small in-memory project per
//! rule, asserting every finding (severity, file:line:col, message), so that a rule that finds
//! too much is seen as well as one that finds nothing.

use super::{FRAMEWORK, TestProject};

fn chapter(body: &str) -> TestProject {
    TestProject::chapters(&[("02-a.md", "title: A", body)])
}

fn with_data(data: &str) -> TestProject {
    TestProject::new(&[("content/framework/more.toml", data)])
}

fn with_area(files: &[(&str, &str)]) -> TestProject {
    let mut all = vec![
        (
            "content/02-roles.md",
            "---\ntitle: Roles\n---\n## Arrangements {#arrangements}\n\nNational.\n",
        ),
        ("content/areas/north/area.toml", "name = \"Northshire\"\n"),
    ];
    all.extend_from_slice(files);
    TestProject::new(&all)
}

#[test]
fn the_base_project_and_a_plain_chapter_are_clean() {
    TestProject::new(&[]).assert_clean();
    chapter("Text for everyone.\n\n## Section\n\n### Subsection\n\nMore.\n").assert_clean();
}

// ---- framework data ---------------------------------------------------------------------------

#[test]
fn a_malformed_framework_id_is_an_error_at_the_id() {
    let p = with_data(
        "[[role]]\nid = \"Bad_Id\"\nname = \"B\"\nkind = \"post\"\ndescription = \"x\"\n",
    );
    assert_eq!(
        p.findings(),
        ["error content/framework/more.toml:2:6 `Bad_Id` is not a valid role id"]
    );
}

#[test]
fn a_framework_id_defined_twice_is_an_error_at_the_second() {
    let p = with_data(
        "[[role]]\nid = \"ccg\"\nname = \"Again\"\nkind = \"post\"\ndescription = \"x\"\n",
    );
    assert_eq!(
        p.findings(),
        ["error content/framework/more.toml:2:6 role `ccg` is defined twice"]
    );
    assert!(
        p.found[0]
            .help
            .as_deref()
            .unwrap()
            .contains("content/framework/data.toml:9:6")
    );
}

#[test]
fn unknown_roles_and_statutes_in_the_data_are_errors_where_named() {
    let p = with_data(
        "[[role]]\nid = \"x\"\nname = \"X\"\nkind = \"post\"\ndescription = \"x\"\naccountable_to = [\"ccgg\"]\n\n[[duty]]\nid = \"d\"\nrole = \"nobody-at-all\"\ntext = \"T.\"\nbasis = [\"ca2004-s12\"]\n",
    );
    assert_eq!(
        p.findings(),
        [
            "error content/framework/more.toml:6:19 there is no role `ccgg`",
            "error content/framework/more.toml:10:8 there is no role `nobody-at-all`",
            "error content/framework/more.toml:12:10 there is no statute `ca2004-s12`",
        ]
    );
    let help: Vec<_> = p.found.iter().map(|d| d.help.clone().unwrap()).collect();
    assert_eq!(help[0], "did you mean `ccg`?");
    assert!(help[1].starts_with("define a [[role]]"), "{}", help[1]);
    assert_eq!(help[2], "did you mean `ca2004-s11`?");
}

#[test]
fn an_unknown_audience_in_the_data_is_an_error() {
    let p = with_data(
        "[[duty]]\nid = \"d\"\nrole = \"ccg\"\ntext = \"T.\"\nbasis = []\naudiences = [\"provider\"]\n",
    );
    assert_eq!(
        p.findings(),
        ["error content/framework/more.toml:6:14 there is no audience `provider`"]
    );
    assert_eq!(
        p.found[0].help.as_deref(),
        Some("did you mean `providers`?")
    );
}

#[test]
fn a_circle_of_accountability_is_one_error() {
    let data = FRAMEWORK.replace(
        "description = \"Leads the NHS.\"",
        "description = \"Leads the NHS.\"\naccountable_to = [\"trust\"]",
    );
    let p = TestProject::new(&[("content/framework/data.toml", &data)]);
    // Named from its first role by id, at the link that closes it.
    assert_eq!(
        p.findings(),
        [
            "error content/framework/data.toml:22:19 accountability goes round in a circle: ccg → nhs-england → trust → ccg"
        ]
    );
}

// ---- chapters ---------------------------------------------------------------------------------

#[test]
fn unknown_audiences_in_front_matter_blocks_and_headings() {
    let p = TestProject::chapters(&[(
        "02-a.md",
        "title: A\naudiences: [provider]",
        "::: audience comissioners\nx\n:::\n\n## S {audience=!local-authority}\n",
    )]);
    assert_eq!(
        p.findings(),
        [
            "error content/02-a.md:3:13 there is no audience `provider`",
            "error content/02-a.md:5:14 there is no audience `comissioners`",
            "error content/02-a.md:9:17 there is no audience `local-authority`",
        ]
    );
}

#[test]
fn heading_structure_warnings() {
    let p = chapter("# Top\n\n## Fine\n\n#### Skipped\n\n## \n");
    assert_eq!(
        p.findings(),
        [
            "warning content/02-a.md:4:1 a chapter body should not have a level-1 heading: the chapter title is the level-1 heading",
            "warning content/02-a.md:8:1 this heading skips from level 2 to level 4",
            "warning content/02-a.md:10:1 this heading has no text; it is left out of the PDF",
        ]
    );
    assert_eq!(
        p.found[1].help.as_deref(),
        Some("use ### so that screen-reader users can follow the structure")
    );
}

#[test]
fn unknown_directives_and_wrong_arguments() {
    let p = chapter("::: dutis\n:::\n\n::: roles extra\n:::\n\n::: frobnicate\n:::\n");
    assert_eq!(
        p.findings(),
        [
            "error content/02-a.md:4:1 there is no directive `dutis`",
            "error content/02-a.md:7:1 `::: roles` takes nothing",
            "error content/02-a.md:10:1 there is no directive `frobnicate`",
        ]
    );
    assert_eq!(
        p.found[0].help.as_deref(),
        Some("did you mean `::: duties`?")
    );
    assert!(
        p.found[2]
            .help
            .as_deref()
            .unwrap()
            .starts_with("the directives are")
    );
}

#[test]
fn a_directive_naming_an_unknown_role() {
    let p = chapter("::: role trusts\n:::\n\n::: duties role=nobody-here\n:::\n");
    assert_eq!(
        p.findings(),
        [
            "error content/02-a.md:4:1 there is no role `trusts`",
            "error content/02-a.md:7:1 there is no role `nobody-here`",
        ]
    );
    assert_eq!(p.found[0].help.as_deref(), Some("did you mean `trust`?"));
    assert_eq!(p.found[1].help, None);
}

#[test]
fn known_directives_are_clean() {
    chapter(
        "::: duties\n:::\n\n::: duties all\n:::\n\n::: duties role=ccg\n:::\n\n::: roles\n:::\n\n::: role trust\n:::\n\n::: glossary\n:::\n\n::: contacts\n:::\n",
    )
    .assert_clean();
}

#[test]
fn an_undefined_footnote_is_an_error_where_it_is_used() {
    let p = chapter("Defined[^a] and not[^b].\n\n[^a]: The note.\n");
    assert_eq!(
        p.findings(),
        ["error content/02-a.md:4:20 the footnote `[^b]` is never defined"]
    );
}

#[test]
fn an_acronym_missing_from_the_glossary_is_one_warning_at_its_first_use() {
    let p = TestProject::chapters(&[
        (
            "02-a.md",
            "title: A",
            "The CCG and the LSCB.\n\nThe LSCBs again.\n",
        ),
        ("03-b.md", "title: B", "The LSCB once more, and the NHS.\n"),
    ]);
    assert_eq!(
        p.findings(),
        [
            "warning content/02-a.md:4:17 `LSCB` looks like an acronym, but the glossary does not explain it"
        ]
    );
}

#[test]
fn images_without_alt_on_the_web_outside_missing_or_not_files() {
    let p = TestProject::new(&[(
        "content/02-a.md",
        "---\ntitle: A\n---\n![](assets/dot.png)\n\n![Web](https://example.org/a.png)\n\n![Up](../../x.png)\n\n![None](assets/none.png)\n\n![Data](data:image/png;base64,AAAA)\n",
    )]);
    assert_eq!(
        p.findings(),
        [
            "error content/02-a.md:4:1 the image `assets/dot.png` does not exist",
            "error content/02-a.md:4:1 the image `assets/dot.png` has no alt text",
            "error content/02-a.md:6:1 the image `https://example.org/a.png` is on the web",
            "error content/02-a.md:8:1 the image `../../x.png` is outside the project",
            "error content/02-a.md:10:1 the image `assets/none.png` does not exist",
            "error content/02-a.md:12:1 the image `data:image/png;base64,AAAA` is not a file in the project",
        ]
    );
}

#[test]
fn an_image_in_the_project_is_clean() {
    TestProject::with_binaries(
        &[(
            "content/02-a.md",
            "---\ntitle: A\n---\n![A dot](assets/dot.png)\n",
        )],
        &[("content/assets/dot.png", b"\x89PNG")],
    )
    .assert_clean();
}

// ---- links (check_links) ----------------------------------------------------------------------

#[test]
fn a_refused_link_scheme_is_an_error_where_it_is_written() {
    let p = chapter(
        "Fine [web](https://example.org) and [mail](mailto:a@example.org).\n\nBad [x](javascript:alert(1)) and [y](file:///etc/passwd).\n",
    );
    assert_eq!(
        p.findings(),
        [
            "error content/02-a.md:6:5 the link `javascript:alert(1)` uses `javascript:`, which a pack does not allow",
            "error content/02-a.md:6:34 the link `file:///etc/passwd` uses `file:`, which a pack does not allow",
        ]
    );
}

#[test]
fn a_refused_link_in_a_footnote_or_local_section_is_found_too() {
    let p = with_area(&[(
        "content/areas/north/local.md",
        "---\ntitle: Local\nafter: arrangements\n---\nSee [x](vbscript:x).\n",
    )]);
    assert_eq!(
        p.findings(),
        [
            "error content/areas/north/local.md:5:5 the link `vbscript:x` uses `vbscript:`, which a pack does not allow"
        ]
    );
    let p = chapter("Text[^n].\n\n[^n]: A [note](data:text/html,x).\n");
    assert_eq!(
        p.findings(),
        [
            "error content/02-a.md:6:9 the link `data:text/html,x` uses `data:`, which a pack does not allow"
        ]
    );
}

// ---- areas ------------------------------------------------------------------------------------

#[test]
fn an_area_contact_with_an_unknown_role() {
    let p = TestProject::new(&[(
        "content/areas/north/area.toml",
        "name = \"Northshire\"\n\n[[contact]]\nrole = \"trusts\"\nname = \"Jo\"\n",
    )]);
    assert_eq!(
        p.findings(),
        ["error content/areas/north/area.toml:4:8 there is no role `trusts`"]
    );
    let help = p.found[0].help.as_deref().unwrap_or_default();
    assert!(
        help.starts_with("did you mean `trust`? The roles are `") && help.contains("`trust`"),
        "{help}"
    );
}

#[test]
fn a_local_section_must_say_where_it_goes_and_name_national_text() {
    let p = with_area(&[
        ("content/areas/north/a.md", "---\ntitle: A\n---\nNowhere.\n"),
        (
            "content/areas/north/b.md",
            "---\ntitle: B\nreplaces: arangements\n---\nTypo.\n",
        ),
        (
            "content/areas/north/c.md",
            "---\ntitle: C\nbefore: zzzzzz\n---\nUnknown.\n",
        ),
    ]);
    assert_eq!(
        p.findings(),
        [
            "error content/areas/north/a.md:1:1 this local section does not say where it goes in the national text",
            "error content/areas/north/b.md:3:11 there is no chapter or heading `arangements` in the national text",
            "error content/areas/north/c.md:3:9 there is no chapter or heading `zzzzzz` in the national text",
        ]
    );
    assert_eq!(
        p.found[1].help.as_deref(),
        Some("did you mean `arrangements`?")
    );
    assert!(
        p.found[2]
            .help
            .as_deref()
            .unwrap()
            .starts_with("use the id of a national chapter")
    );
}

#[test]
fn two_local_sections_replacing_one_id() {
    let p = with_area(&[
        (
            "content/areas/north/a.md",
            "---\ntitle: A\nreplaces: arrangements\n---\nA.\n",
        ),
        (
            "content/areas/north/b.md",
            "---\ntitle: B\nreplaces: arrangements\n---\nB.\n",
        ),
    ]);
    assert_eq!(
        p.findings(),
        [
            "error content/areas/north/b.md:3:11 two local sections of this area both replace `arrangements`"
        ]
    );
}

#[test]
fn an_inserted_local_section_needs_an_id_of_its_own() {
    let p = with_area(&[
        (
            "content/areas/north/a.md",
            "---\ntitle: A\nid: roles\nafter: arrangements\n---\nA.\n",
        ),
        (
            "content/areas/north/b.md",
            "---\ntitle: B\nid: extra\nafter: arrangements\n---\nB.\n",
        ),
        (
            "content/areas/north/c.md",
            "---\ntitle: C\nid: extra\nbefore: arrangements\n---\nC.\n",
        ),
    ]);
    assert_eq!(
        p.findings(),
        [
            "error content/areas/north/a.md:3:5 this local section is added as a new page with the id `roles`, which is taken",
            "error content/areas/north/c.md:3:5 this local section is added as a new page with the id `extra`, which is taken",
        ]
    );
    let help: Vec<_> = p.found.iter().map(|d| d.help.clone().unwrap()).collect();
    assert_eq!(
        help,
        [
            "it is the id of national text at content/02-roles.md:2:1; give this section another `id:` in its front matter",
            "another local section of this area, content/areas/north/b.md, has it too; give this section another `id:` in its front matter",
        ]
    );
}

#[test]
fn a_required_local_section_missing_in_an_area() {
    let p = TestProject::new(&[
        (
            "content/02-roles.md",
            "---\ntitle: Roles\n---\n## Arrangements {#arrangements local=required}\n\nNational.\n",
        ),
        ("content/areas/north/area.toml", "name = \"Northshire\"\n"),
        ("content/areas/south/area.toml", "name = \"Southshire\"\n"),
        (
            "content/areas/south/local.md",
            "---\ntitle: South\nreplaces: arrangements\n---\nSouth.\n",
        ),
    ]);
    assert_eq!(
        p.findings(),
        [
            "error content/02-roles.md:4:1 area `north` (Northshire) has no local version of the section `arrangements`, which every area must provide"
        ]
    );
}
