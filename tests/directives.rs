//! Data directives: duties (audience, role, all), roles, role, glossary, contacts.

use crate::harness::{Project, main_text};

fn page(p: &Project, audience: &str) -> String {
    p.read(&format!("output/2.0.0/{audience}/data.html"))
}

#[test]
fn duties_follow_the_pack_audience() {
    let p = Project::minimal().chapter(
        "02-data.md",
        "title: Data",
        "::: duties\nTable 1: Your duties\n:::\n",
    );
    p.build_html();
    let c = page(&p, "commissioners");
    assert!(
        c.contains("<caption class=\"gp-table__caption\">Table 1: Your duties</caption>"),
        "{c}"
    );
    assert!(
        c.contains("<th scope=\"col\" role=\"columnheader\" class=\"gp-align-left\">Duty</th>")
    );
    assert!(c.contains(
        "<th scope=\"row\" role=\"rowheader\" class=\"gp-align-left\" data-label=\"Duty\">Assure the safety of commissioned services.</th>"
    ));
    assert!(c.contains("Children Act 2004, section 11"));
    assert!(!c.contains("Train staff in safeguarding."));
    let pr = main_text(&page(&p, "providers"));
    assert!(pr.contains("Train staff in safeguarding. Provider trust Clinical commissioning group Good practice (no statutory basis)"), "{pr}");
}

#[test]
fn duties_of_one_role_and_all_duties() {
    let p = Project::minimal().chapter(
        "02-data.md",
        "title: Data",
        "::: duties role=trust\n:::\n\n::: duties all\nEverything\n:::\n",
    );
    p.build_html();
    let text = main_text(&page(&p, "commissioners"));
    assert!(text.contains("Duties of the provider trust"), "{text}");
    assert!(
        text.contains(
            "Everything Duty Who holds it Accountable to Statutory basis Assure the safety"
        ),
        "{text}"
    );
    assert_eq!(
        text.matches("Train staff in safeguarding.").count(),
        2,
        "{text}"
    );
}

#[test]
fn roles_and_one_role() {
    let p = Project::minimal().chapter(
        "02-data.md",
        "title: Data",
        "::: roles\n:::\n\n::: role ccg\n:::\n",
    );
    p.build_html();
    let text = main_text(&page(&p, "commissioners"));
    assert!(
        text.contains(
            "Clinical commissioning group Commissions local services. Accountable to: NHS England"
        ),
        "{text}"
    );
    assert!(
        !text.contains("Provider trust Provides hospital services."),
        "roles lists only the pack's audience: {text}"
    );
    assert!(text.contains("Organisation Commissions local services. Accountable to: NHS England Duties: Assure the safety of commissioned services. (Children Act 2004, section 11)"), "{text}");
}

#[test]
fn glossary_is_sorted() {
    let p = Project::minimal()
        .file("content/glossary.toml", "NHS = \"National Health Service\"\nCCG = \"clinical commissioning group\"\nagency = \"an organisation\"\n")
        .chapter("02-data.md", "title: Data", "::: glossary\n:::\n");
    p.build_html();
    let text = main_text(&page(&p, "providers"));
    assert!(
        text.contains(
            "agency an organisation CCG clinical commissioning group NHS National Health Service"
        ),
        "{text}"
    );
}

#[test]
fn contacts_in_a_national_pack_point_to_local_packs() {
    let p = Project::minimal().chapter("02-data.md", "title: Data", "::: contacts\n:::\n");
    p.build_html();
    assert!(
        main_text(&page(&p, "providers"))
            .contains("Each local area's pack lists the names and contact details")
    );
}

#[test]
fn every_pack_has_a_role_directory() {
    let p = Project::minimal();
    p.build_html();
    let text = main_text(&p.read("output/2.0.0/local-authorities/role-directory.html"));
    // Every role is there; the duties are the audience's only (none of the minimal project's
    // duties is for local authorities).
    assert!(text.contains("Provider trust Organisation Provides hospital services. Accountable to: Clinical commissioning group"), "{text}");
    assert!(!text.contains("Train staff in safeguarding."), "{text}");
}

/// Issue 12: the directory of roles lists the duties that apply to the pack's audience only.
#[test]
fn the_directory_of_roles_lists_the_audiences_duties() {
    let p = Project::minimal();
    p.build_html();
    let commissioners = main_text(&p.read("output/2.0.0/commissioners/role-directory.html"));
    let providers = main_text(&p.read("output/2.0.0/providers/role-directory.html"));
    assert!(commissioners.contains("Assure the safety of commissioned services."));
    assert!(
        !commissioners.contains("Train staff in safeguarding."),
        "{commissioners}"
    );
    assert!(providers.contains("Train staff in safeguarding."));
    assert!(
        !providers.contains("Assure the safety of commissioned services."),
        "{providers}"
    );
}
