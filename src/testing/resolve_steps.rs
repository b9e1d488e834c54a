//! Unit tests of `resolve`: one small in-memory project per step (filtering, local sections,
//! directives, variables, links, acronyms, numbering), each pack compared as a plain-text
//! outline ([`super::outline`]) or by what resolving it found.

use super::TestProject;

fn chapter(front: &str, body: &str) -> TestProject {
    TestProject::chapters(&[("02-a.md", front, body)])
}

/// The outline of the chapter with the id `a` alone (`02-a.md`).
fn body_of(p: &TestProject, audience: &str, area: Option<&str>) -> String {
    let outline = p.outline(audience, area);
    outline
        .split_inclusive('\n')
        .skip_while(|l| !l.ends_with("[a]\n"))
        .take_while(|l| l.ends_with("[a]\n") || l.starts_with(' '))
        .collect()
}

// ---- filtering --------------------------------------------------------------------------------

#[test]
fn a_chapter_is_in_the_packs_of_its_audiences_only() {
    let p = TestProject::chapters(&[
        ("01-every.md", "title: Every", "For everyone.\n"),
        (
            "02-c.md",
            "title: Comm\naudiences: [commissioners]",
            "Comm.\n",
        ),
    ]);
    p.assert_clean();
    let titles = |audience: &str| -> Vec<String> {
        let (pack, _) = p.pack(audience, None);
        pack.chapters.iter().map(|c| c.title.clone()).collect()
    };
    assert_eq!(
        titles("commissioners"),
        ["Every", "Comm", "Directory of roles"]
    );
    assert_eq!(titles("providers"), ["Every", "Directory of roles"]);
}

#[test]
fn audience_blocks_filter_and_nest_as_and() {
    let p = chapter(
        "title: A",
        "Everyone.\n\n::: audience commissioners providers\nComm or prov.\n\n::: audience not commissioners\nProv only (nested).\n:::\n:::\n\n::: audience not providers\nNot prov.\n:::\n",
    );
    p.assert_clean();
    assert_eq!(
        body_of(&p, "commissioners", None),
        "1 A [a]\n  ¶ Everyone.\n  ¶ Comm or prov.\n  ¶ Not prov.\n"
    );
    assert_eq!(
        body_of(&p, "providers", None),
        "1 A [a]\n  ¶ Everyone.\n  ¶ Comm or prov.\n  ¶ Prov only (nested).\n"
    );
    assert_eq!(
        body_of(&p, "local-authorities", None),
        "1 A [a]\n  ¶ Everyone.\n  ¶ Not prov.\n"
    );
}

#[test]
fn a_heading_audience_filters_its_section_up_to_the_next_heading_of_its_level() {
    let p = chapter(
        "title: A",
        "## Shared\n\nS.\n\n## For providers {audience=providers}\n\nP.\n\n### Deeper, still filtered\n\nD.\n\n## Not providers {audience=!providers}\n\nN.\n\n## Again shared\n\nA.\n",
    );
    p.assert_clean();
    assert_eq!(
        body_of(&p, "providers", None),
        "1 A [a]\n  ## 1.1 Shared {#shared}\n  ¶ S.\n  ## 1.2 For providers {#for-providers}\n  ¶ P.\n  ### 1.2.1 Deeper, still filtered {#deeper-still-filtered}\n  ¶ D.\n  ## 1.3 Again shared {#again-shared}\n  ¶ A.\n"
    );
    assert_eq!(
        body_of(&p, "commissioners", None),
        "1 A [a]\n  ## 1.1 Shared {#shared}\n  ¶ S.\n  ## 1.2 Not providers {#not-providers}\n  ¶ N.\n  ## 1.3 Again shared {#again-shared}\n  ¶ A.\n"
    );
}

// ---- local sections ---------------------------------------------------------------------------

fn with_north(local: &[(&str, &str)]) -> TestProject {
    let mut files = vec![
        (
            "content/02-a.md",
            "---\ntitle: A\n---\n## First {#first}\n\nNational first.\n\n## Second {#second}\n\nNational second.\n",
        ),
        ("content/03-b.md", "---\ntitle: B\n---\nChapter B.\n"),
        (
            "content/areas/north/area.toml",
            "name = \"Northshire\"\n\n[vars]\nnurse = \"Jo\"\n",
        ),
    ];
    files.extend_from_slice(local);
    TestProject::new(&files)
}

#[test]
fn a_local_section_replaces_national_text_in_its_area_only() {
    let p = with_north(&[(
        "content/areas/north/first.md",
        "---\ntitle: Northshire first\nreplaces: first\n---\nLocal first.\n",
    )]);
    p.assert_clean();
    assert_eq!(
        body_of(&p, "providers", None),
        "1 A [a]\n  ## 1.1 First {#first}\n  ¶ National first.\n  ## 1.2 Second {#second}\n  ¶ National second.\n"
    );
    // In its place, under its own title, marked as local; the id stays the national one.
    assert_eq!(
        body_of(&p, "providers", Some("north")),
        "1 A [a]\n  ## 1.1 Northshire first {#first}\n  local Northshire from content/areas/north/first.md\n    ¶ Local first.\n  ## 1.2 Second {#second}\n  ¶ National second.\n"
    );
}

#[test]
fn local_sections_go_before_and_after_sections_and_chapters() {
    let p = with_north(&[
        (
            "content/areas/north/x.md",
            "---\ntitle: After second\nafter: second\n---\nAfter second.\n",
        ),
        (
            "content/areas/north/y.md",
            "---\ntitle: Before B\nbefore: b\n---\nBefore chapter B.\n",
        ),
    ]);
    p.assert_clean();
    assert_eq!(
        p.outline("providers", Some("north")),
        "1 A [a]
  ## 1.1 First {#first}
  ¶ National first.
  ## 1.2 Second {#second}
  ¶ National second.
  ## 1.3 After second {#x}
  local Northshire from content/areas/north/x.md
    ¶ After second.
2 Before B [y]
  local Northshire from content/areas/north/y.md
    ¶ Before chapter B.
3 B [b]
  ¶ Chapter B.
A Local variations [local-variations]
  ¶ This pack is the national guidance with local text for Northshire. The table lists every section where the local text replaces the national text or adds to it. Local text is marked \"Local text\" where it appears.
  table \"Local variations in Northshire\"
    head: Local section | Change | National section
    row: [After second](#a/x) | Added after | Second
    row: [Before B](#y) | Added before | B
B Directory of roles [role-directory]
  ¶ Every organisation and post named in this guidance, what it is accountable for and to whom, in alphabetical order.
  entry Clinical commissioning group (Organisation) {#role:ccg}
    ¶ Commissions local services.
    ¶ **Accountable to:** [NHS England](#role-directory/role:nhs-england)
  entry NHS England (Organisation) {#role:nhs-england}
    ¶ Leads the NHS(National Health Service).
    ¶ **Accountable to:** —
  entry Provider trust (Organisation) {#role:trust}
    ¶ Provides hospital services.
    ¶ **Accountable to:** [Clinical commissioning group](#role-directory/role:ccg)
    ¶ **Duties:**
    -
      ¶ Train staff in safeguarding. (Good practice (no statutory basis))
"
    );
}

#[test]
fn a_local_section_for_other_audiences_is_left_out() {
    let p = with_north(&[(
        "content/areas/north/first.md",
        "---\ntitle: For commissioners\naudiences: [commissioners]\nreplaces: first\n---\nLocal.\n",
    )]);
    p.assert_clean();
    assert!(!p.outline("providers", Some("north")).contains("Local."));
    assert!(p.outline("commissioners", Some("north")).contains("Local."));
}

// ---- directives -------------------------------------------------------------------------------

#[test]
fn duties_list_the_packs_audience_all_or_one_role() {
    let p = chapter(
        "title: A",
        "::: duties\nWhat you must do\n:::\n\n::: duties all\n:::\n\n::: duties role=trust\n:::\n",
    );
    p.assert_clean();
    assert_eq!(
        body_of(&p, "commissioners", None),
        "1 A [a]
  table \"What you must do\"
    head: Duty | Who holds it | Accountable to | Statutory basis
    row: Assure the safety of commissioned services. | [Clinical commissioning group](#role-directory/role:ccg) | [NHS England](#role-directory/role:nhs-england) | [Children Act 2004, section 11](https://www.legislation.gov.uk/ukpga/2004/31/section/11)
  table \"Every duty in this guidance\"
    head: Duty | Who holds it | Accountable to | Statutory basis
    row: Assure the safety of commissioned services. | [Clinical commissioning group](#role-directory/role:ccg) | [NHS England](#role-directory/role:nhs-england) | [Children Act 2004, section 11](https://www.legislation.gov.uk/ukpga/2004/31/section/11)
    row: Train staff in safeguarding. | [Provider trust](#role-directory/role:trust) | [Clinical commissioning group](#role-directory/role:ccg) | Good practice (no statutory basis)
  table \"Duties of the provider trust\"
    head: Duty | Who holds it | Accountable to | Statutory basis
    row: Train staff in safeguarding. | [Provider trust](#role-directory/role:trust) | [Clinical commissioning group](#role-directory/role:ccg) | Good practice (no statutory basis)
"
    );
}

#[test]
fn roles_role_glossary_and_contacts() {
    let p = TestProject::new(&[
        (
            "content/02-a.md",
            "---\ntitle: A\n---\n::: roles\n:::\n\n::: role trust\n:::\n\n::: glossary\n:::\n\n::: contacts\n:::\n",
        ),
        (
            "content/areas/north/area.toml",
            "name = \"Northshire\"\n\n[[contact]]\nrole = \"ccg\"\nname = \"Jo Bloggs\"\nemail = \"jo@example.org\"\nphone = \"01234 567890\"\n",
        ),
    ]);
    p.assert_clean();
    // The roles of this audience; one role's entry (its anchor is the directory's); the
    // glossary; contacts only in an area's pack.
    assert_eq!(
        body_of(&p, "providers", None),
        "1 A [a]
  term [NHS England](#role-directory/role:nhs-england)
    ¶ Leads the NHS(National Health Service).
    ¶ **Accountable to:** —
  term [Provider trust](#role-directory/role:trust)
    ¶ Provides hospital services.
    ¶ **Accountable to:** [Clinical commissioning group](#role-directory/role:ccg)
  entry Provider trust (Organisation) {#}
    ¶ Provides hospital services.
    ¶ **Accountable to:** [Clinical commissioning group](#role-directory/role:ccg)
    ¶ **Duties:**
    -
      ¶ Train staff in safeguarding. (Good practice (no statutory basis))
  table \"Abbreviations and terms\"
    head: Abbreviation or term | Meaning
    row: CCG | clinical commissioning group
    row: NHS | National Health Service
  note Each local area's pack lists the names and contact details of its safeguarding leads here.
"
    );
    let north = body_of(&p, "providers", Some("north"));
    assert!(
        north.ends_with(
            "  table \"Contacts in Northshire\"
    head: Name | Role | Email | Telephone
    row: Jo Bloggs | [Clinical commissioning group](#role-directory/role:ccg) | [jo@example.org](mailto:jo@example.org) | [01234 567890](tel:01234567890)
"
        ),
        "{north}"
    );
}

#[test]
fn the_role_directory_lists_the_audiences_duties() {
    let p = TestProject::new(&[]);
    let (pack, found) = p.pack("providers", None);
    assert!(found.is_empty(), "{found:?}");
    // Every role, with the duties of this audience only (the CCG's duty is the commissioners').
    assert_eq!(
        super::outline(&pack),
        "A Directory of roles [role-directory]
  ¶ Every organisation and post named in this guidance, what it is accountable for and to whom, in alphabetical order.
  entry Clinical commissioning group (Organisation) {#role:ccg}
    ¶ Commissions local services.
    ¶ **Accountable to:** [NHS England](#role-directory/role:nhs-england)
  entry NHS England (Organisation) {#role:nhs-england}
    ¶ Leads the NHS(National Health Service).
    ¶ **Accountable to:** —
  entry Provider trust (Organisation) {#role:trust}
    ¶ Provides hospital services.
    ¶ **Accountable to:** [Clinical commissioning group](#role-directory/role:ccg)
    ¶ **Duties:**
    -
      ¶ Train staff in safeguarding. (Good practice (no statutory basis))
"
    );
}

// ---- variables --------------------------------------------------------------------------------

#[test]
fn variables_come_from_the_area_then_the_national_vars() {
    let p = TestProject::new(&[
        (
            "content/02-a.md",
            "---\ntitle: A for {{ audience.name }}\n---\n{{ pack.title }}, {{ pack.version }}, {{ pack.date }}, {{ pack.publisher }}; {{ audience.name }}; {{ area.lead }}.\n",
        ),
        (
            "content/areas/north/area.toml",
            "name = \"Northshire\"\n\n[vars]\nlead = \"the Northshire lead\"\n",
        ),
    ]);
    p.assert_clean();
    assert_eq!(
        body_of(&p, "providers", None),
        "1 A for Providers [a]\n  ¶ Test pack, 2.0.0, 28 March 2013, Test publisher; Providers; the national lead.\n"
    );
    assert_eq!(
        body_of(&p, "providers", Some("north")),
        "1 A for Providers [a]\n  ¶ Test pack, 2.0.0-north.1, 28 March 2013, Test publisher; Providers; the Northshire lead.\n"
    );
}

#[test]
fn an_undefined_or_unknown_variable_is_an_error_naming_the_pack() {
    let p = TestProject::new(&[
        (
            "content/02-a.md",
            "---\ntitle: A\n---\n{{ area.nurse }} and {{ area.name }} and {{ pack.titel }}.\n",
        ),
        ("content/areas/north/area.toml", "name = \"Northshire\"\n"),
    ]);
    p.assert_clean();
    let (_, national) = p.pack("providers", None);
    assert_eq!(
        national,
        [
            "error content/02-a.md:4:1 variable `area.nurse` is not defined for the national pack",
            "error content/02-a.md:4:22 variable `area.name` is not defined for the national pack",
            "error content/02-a.md:4:42 unknown variable `pack.titel`",
        ]
    );
    let (_, north) = p.pack("providers", Some("north"));
    assert_eq!(
        north,
        [
            "error content/02-a.md:4:1 variable `area.nurse` is not defined for area `north` (Northshire)",
            "error content/02-a.md:4:42 unknown variable `pack.titel`",
        ]
    );
}

// ---- links ------------------------------------------------------------------------------------

#[test]
fn links_to_chapters_headings_roles_and_statutes_are_resolved() {
    let p = TestProject::chapters(&[
        (
            "02-a.md",
            "title: A",
            "See [B](#b), [its part](#part), [the CCG](role:ccg), [s11](statute:ca2004-s11), [web](https://example.org/x) and [mail](mailto:a@example.org).\n",
        ),
        ("03-b.md", "title: B", "## Part {#part}\n\nText.\n"),
    ]);
    p.assert_clean();
    assert_eq!(
        body_of(&p, "commissioners", None),
        "1 A [a]\n  ¶ See [B](#b), [its part](#b/part), [the CCG](#role-directory/role:ccg), [s11](https://www.legislation.gov.uk/ukpga/2004/31/section/11), [web](https://example.org/x) and [mail](mailto:a@example.org).\n"
    );
}

#[test]
fn a_link_to_text_filtered_out_of_a_pack_is_an_error_naming_that_pack() {
    let p = chapter(
        "title: A",
        "## Secret {#secret audience=commissioners}\n\nS.\n\n## Open\n\nSee [it](#secret).\n",
    );
    p.assert_clean();
    let (_, found) = p.pack("commissioners", None);
    assert!(found.is_empty(), "{found:?}");
    let (_, found) = p.pack("providers", None);
    assert_eq!(
        found,
        [
            "error content/02-a.md:10:5 the link target `#secret` is not in the national Providers pack"
        ]
    );
}

// ---- acronyms ---------------------------------------------------------------------------------

#[test]
fn an_acronym_is_expanded_at_its_first_use_in_each_chapter_only() {
    let p = TestProject::chapters(&[
        (
            "02-a.md",
            "title: A",
            "## The CCG\n\nThe CCG meets. The CCG again. The NHS and CCGs.\n",
        ),
        ("03-b.md", "title: B", "The CCGs meet.\n"),
    ]);
    p.assert_clean();
    let outline = p.outline("commissioners", None);
    // Not in the heading; the first use in the text, the plural too, and again in the next
    // chapter.
    assert!(
        outline.starts_with(
            "1 A [a]\n  ## 1.1 The CCG {#the-ccg}\n  ¶ The CCG(clinical commissioning group) meets. The CCG again. The NHS(National Health Service) and CCGs.\n2 B [b]\n  ¶ The CCGs(clinical commissioning group) meet.\n"
        ),
        "{outline}"
    );
}

#[test]
fn an_acronym_is_not_expanded_beside_its_expansion_or_in_link_text() {
    let p = chapter(
        "title: A",
        "The [CCG](#a) link. A clinical commissioning group (CCG) here. The CCG after.\n",
    );
    p.assert_clean();
    // Link text is not a use; the writer's own expansion is the first use.
    assert_eq!(
        body_of(&p, "commissioners", None),
        "1 A [a]\n  ¶ The [CCG](#a) link. A clinical commissioning group (CCG) here. The CCG after.\n"
    );
}

// ---- numbering --------------------------------------------------------------------------------

#[test]
fn chapters_headings_and_annexes_are_numbered_per_pack() {
    let p = TestProject::chapters(&[
        ("01-x.md", "title: X\naudiences: [commissioners]", "X.\n"),
        (
            "02-a.md",
            "title: A",
            "## One\n\n### One one\n\n### One two\n\n## Two\n\n#### Deep after a skip\n",
        ),
    ]);
    // X is the commissioners' only: A is chapter 1 for providers. A skipped level counts as 1.
    let providers = p.outline("providers", None);
    assert!(
        providers.starts_with(
            "1 A [a]\n  ## 1.1 One {#one}\n  ### 1.1.1 One one {#one-one}\n  ### 1.1.2 One two {#one-two}\n  ## 1.2 Two {#two}\n  #### 1.2.1.1 Deep after a skip {#deep-after-a-skip}\nA Directory of roles [role-directory]\n"
        ),
        "{providers}"
    );
    let commissioners = p.outline("commissioners", None);
    assert!(commissioners.contains("2 A [a]") && commissioners.contains("## 2.1 One"));
}

#[test]
fn numbered_paragraphs_number_the_writers_paragraphs_not_headings() {
    let config = super::CONFIG.replace(
        "language = \"en-GB\"",
        "language = \"en-GB\"\nnumbered_paragraphs = true",
    );
    let p = TestProject::new(&[
        ("guidepack.toml", &config),
        (
            "content/02-a.md",
            "---\ntitle: A\n---\nFirst.\n\n## Section\n\nSecond.\n\n- a list item\n\n> A quote.\n\n::: duties\n:::\n",
        ),
    ]);
    p.assert_clean();
    // Lists and quotes are not numbered, nor is the generated table.
    assert_eq!(
        body_of(&p, "providers", None),
        "1 A [a]
  ¶1.1 First.
  ## Section {#section}
  ¶1.2 Second.
  -
    ¶ a list item
  >
    ¶ A quote.
  table \"Duties relevant to providers\"
    head: Duty | Who holds it | Accountable to | Statutory basis
    row: Train staff in safeguarding. | [Provider trust](#role-directory/role:trust) | [Clinical commissioning group](#role-directory/role:ccg) | Good practice (no statutory basis)
"
    );
}

#[test]
fn footnotes_are_numbered_in_the_order_of_first_reference() {
    let p = chapter(
        "title: A",
        "First[^later] and second[^sooner], the first again[^later].\n\n[^sooner]: Defined first.\n[^later]: Defined last.\n",
    );
    p.assert_clean();
    assert_eq!(
        body_of(&p, "providers", None),
        "1 A [a]\n  ¶ First[^1] and second[^2], the first again[^1].\n  footnote 1:\n    ¶ Defined last.\n  footnote 2:\n    ¶ Defined first.\n"
    );
}
