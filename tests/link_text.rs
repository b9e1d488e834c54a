//! Link destinations and titles with variables, and where acronyms are not expanded (the
//! glossary, link text, role and statute names, table header cells, beside an expansion the
//! writer gave), in both the HTML and the PDF.

use crate::harness::{Project, main_text, stderr_snapshot};

/// Builds HTML and PDF with the Typst markup written beside; returns the markup of `pack`
/// (`providers`, `areas-north-providers`) and the text of the PDF in `folder`, whitespace
/// folded (`None` without pdftotext).
fn build_both(p: &Project, args: &[&str], pack: &str, folder: &str) -> (String, Option<String>) {
    let typst = tempfile::tempdir().unwrap();
    let typst_dir = typst.path().to_str().unwrap();
    p.run_with(&[("GUIDEPACK_DEBUG_TYPST", typst_dir)], args)
        .expect(0);
    let markup = std::fs::read_to_string(typst.path().join(format!("{pack}.typ"))).unwrap();
    let folder = p.path().join(folder);
    let pdf = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|f| f.extension().is_some_and(|x| x == "pdf"))
        .unwrap_or_else(|| panic!("no PDF in {}", folder.display()));
    (markup, crate::harness::pdf_words(&pdf))
}

const PDF: &str = "output/2.0.0/providers";
const NORTH_PDF: &str = "output/2.0.0/areas/north/providers";

/// A project with an area whose values need escaping in an address.
fn with_area(body: &str) -> Project {
    Project::minimal()
        .chapter("02-links.md", "title: Links", body)
        .file(
            "content/areas/north/area.toml",
            "name = \"Northshire\"\n\n[vars]\nemail = \"safeguarding+north@nhs.example\"\nplace = \"Kent & Medway? #1 Ŵ\"\nsite = \"https://north.example/help?a=1&b=2\"\n",
        )
}

#[test]
fn variables_work_in_link_destinations_and_titles() {
    let p = with_area(concat!(
        "Write to [{{ area.email }}](mailto:{{area.email}}) or ",
        "[the team](mailto:{{ area.email }} \"Mail {{ area.name }}\"), ",
        "search [the list](https://example.org/find?area={{ area.place }}&x=1), ",
        "visit [the site]({{ area.site }}) or [again][site]; <mailto:{{ area.email }}>.\n\n",
        "[site]: <{{ area.site }}> \"The {{ area.name }} site\"\n",
    ));
    let (markup, text) = build_both(
        &p,
        &["build", "--area", "north", "--audience", "providers"],
        "areas-north-providers",
        NORTH_PDF,
    );
    let html = p.read("output/2.0.0/areas/north/providers/links.html");
    for wanted in [
        "<a href=\"mailto:safeguarding+north@nhs.example\" class=\"gp-external\">safeguarding+north@nhs.example</a>",
        "<a href=\"mailto:safeguarding+north@nhs.example\" class=\"gp-external\" title=\"Mail Northshire\">the team</a>",
        "<a href=\"https://example.org/find?area=Kent%20%26%20Medway%3F%20%231%20%C5%B4&amp;x=1\" class=\"gp-external\">the list</a>",
        "<a href=\"https://north.example/help?a=1&amp;b=2\" class=\"gp-external\">the site</a>",
        "<a href=\"https://north.example/help?a=1&amp;b=2\" class=\"gp-external\" title=\"The Northshire site\">again</a>",
        "<a href=\"mailto:safeguarding+north@nhs.example\" class=\"gp-external\">mailto:safeguarding+north@nhs.example</a>.",
    ] {
        assert!(html.contains(wanted), "{wanted}\n--- in\n{html}");
    }
    assert!(!html.contains("{{"), "{html}");
    for wanted in [
        "#link(\"mailto:safeguarding+north@nhs.example\")[",
        "#link(\"mailto:safeguarding+north@nhs.example\")[the team]",
        "#link(\"https://example.org/find?area=Kent%20%26%20Medway%3F%20%231%20%C5%B4&x=1\")[the list]",
        "#link(\"https://north.example/help?a=1&b=2\")[the site]",
    ] {
        assert!(markup.contains(wanted), "{wanted}\n--- in\n{markup}");
    }
    if let Some(text) = text {
        assert!(
            text.contains("Write to safeguarding+north@nhs.example or the team, search the list, visit the site or again; mailto:safeguarding+north@nhs.example."),
            "{text}"
        );
    }
}

#[test]
fn escaped_braces_and_code_stay_literal_in_links() {
    let p = Project::minimal().chapter(
        "02-links.md",
        "title: Links",
        "See [a](https://example.org/\\{{x}} \"Say \\{{ hi }}\") and `[b](mailto:{{ area.lead }})`.\n",
    );
    p.build_html();
    let html = p.read("output/2.0.0/providers/links.html");
    assert!(
        html.contains("<a href=\"https://example.org/%7B%7Bx}}\" class=\"gp-external\" title=\"Say {{ hi }}\">a</a>"),
        "{html}"
    );
    assert!(
        html.contains("<code>[b](mailto:{{ area.lead }})</code>"),
        "{html}"
    );
}

#[test]
fn an_undefined_variable_in_a_link_is_an_error_where_it_is_written() {
    let p = with_area(
        "Mail [us](mailto:{{ area.nurse }}) or [them](https://x.example \"For {{area.nurse}}\").\n",
    );
    stderr_snapshot!(p.run(&["check"]).expect(1));
    let p = with_area("Mail [us](mailto:{{ pack.titel }}).\n");
    stderr_snapshot!(p.run(&["check"]).expect(1));
}

#[test]
fn a_malformed_variable_in_a_link_is_an_error() {
    let p = Project::minimal().chapter("02-links.md", "title: Links", "Mail [us](mailto:{{ }}).\n");
    stderr_snapshot!(p.run(&["check"]).expect(1));
}

#[test]
fn a_variable_cannot_make_a_link_the_pack_refuses() {
    let p = Project::minimal()
        .chapter(
            "02-links.md",
            "title: Links",
            "Click [here]({{ area.js }}) or [there]( {{area.js}} ).\n",
        )
        .file(
            "content/areas/north/area.toml",
            "name = \"Northshire\"\n\n[vars]\njs = \"javascript:alert(1)\"\n",
        )
        .file(
            "guidepack.toml",
            &Project::minimal()
                .read("guidepack.toml")
                .replace("[vars]\n", "[vars]\njs = \"https://example.org/\"\n"),
        );
    let run = stderr_snapshot!(
        p.run(&["build", "--area", "north", "--audience", "providers"])
            .expect(1)
    );
    assert!(!run.stderr.contains("national"), "{}", run.stderr);
    assert!(!p.exists("output/2.0.0/areas/north/providers/links.html"));
    // In a value that is a part of an address, the same text is only text.
    let p = p.chapter(
        "02-links.md",
        "title: Links",
        "Search [here](https://example.org/?q={{ area.js }}).\n",
    );
    let (markup, _) = build_both(
        &p,
        &["build", "--area", "north", "--audience", "providers"],
        "areas-north-providers",
        NORTH_PDF,
    );
    let html = p.read("output/2.0.0/areas/north/providers/links.html");
    assert!(
        html.contains("href=\"https://example.org/?q=javascript:alert(1)\""),
        "{html}"
    );
    assert!(
        markup.contains("#link(\"https://example.org/?q=javascript:alert(1)\")[here]"),
        "{markup}"
    );
}

#[test]
fn an_image_path_with_a_variable_is_an_error() {
    let p = Project::minimal().chapter(
        "02-links.md",
        "title: Links",
        "![Logo](assets/{{ area.logo }}.png)\n",
    );
    stderr_snapshot!(p.run(&["check"]).expect(1));
}

/// A project whose glossary, roles and statutes hold acronyms.
fn acronyms(body: &str) -> Project {
    let p = Project::minimal();
    let data = p.read("content/framework/data.toml").replace(
        "name = \"NHS England\"",
        "name = \"NHS Commissioning Board (NHS England)\"",
    ) + "\n[[statute]]\nid = \"nhs-act\"\ntitle = \"NHS Act 2006\"\n\n[[duty]]\nid = \"trust-nhs\"\nrole = \"trust\"\ntext = \"Follow the NHS rules.\"\nbasis = [\"nhs-act\"]\naudiences = [\"providers\"]\n";
    p.file("content/framework/data.toml", &data)
        .file(
            "content/glossary.toml",
            "CCG = \"clinical commissioning group\"\nNHS = \"National Health Service\"\nFT = \"NHS foundation trust\"\n",
        )
        .chapter("02-acr.md", "title: Acronyms", body)
}

fn abbr(title: &str) -> String {
    format!("<abbr title=\"{title}\">")
}

#[test]
fn the_glossary_never_expands_and_the_next_use_still_does() {
    let p = acronyms("::: glossary\n:::\n\nThen the CCG and the NHS.\n");
    let (markup, text) = build_both(&p, &["build", "--audience", "providers"], "providers", PDF);
    let html = p.read("output/2.0.0/providers/acr.html");
    let (glossary, after) = html.split_once("Then the ").unwrap();
    assert!(!glossary.contains("<abbr"), "{glossary}");
    assert!(
        after.starts_with(&format!(
            "{}CCG</abbr> and the {}NHS</abbr>.",
            abbr("clinical commissioning group"),
            abbr("National Health Service")
        )),
        "{after}"
    );
    let table = markup
        .lines()
        .find(|l| l.contains("[Abbreviations and terms]"))
        .unwrap();
    assert!(
        table.contains("([CCG], [clinical commissioning group], )"),
        "{table}"
    );
    assert!(
        table.contains("([FT], [NHS foundation trust], )"),
        "{table}"
    );
    if let Some(text) = text {
        assert!(text.contains("CCG clinical commissioning group"), "{text}");
        assert!(text.contains("FT NHS foundation trust"), "{text}");
        assert!(
            text.contains(
                "Then the CCG (clinical commissioning group) and the NHS (National Health Service)."
            ),
            "{text}"
        );
    }
}

#[test]
fn link_text_never_expands_and_the_next_use_still_does() {
    let p = acronyms(
        "The [CCG](role:ccg) and [the NHS](https://nhs.example) report to the CCG and the NHS.\n",
    );
    let (markup, text) = build_both(&p, &["build", "--audience", "providers"], "providers", PDF);
    let html = p.read("output/2.0.0/providers/acr.html");
    assert!(
        html.contains(&format!(
            "<a href=\"role-directory.html#role:ccg\">CCG</a> and <a href=\"https://nhs.example\" class=\"gp-external\">the NHS</a> report to the {}CCG</abbr> and the {}NHS</abbr>.",
            abbr("clinical commissioning group"),
            abbr("National Health Service")
        )),
        "{html}"
    );
    if let Some(text) = text {
        assert!(
            text.contains("The CCG and the NHS report to the CCG (clinical commissioning group) and the NHS (National Health Service)."),
            "{text}"
        );
    }
    assert_eq!(
        markup.matches("\\(clinical commissioning group\\)").count(),
        1,
        "{markup}"
    );
}

#[test]
fn role_and_statute_names_never_expand() {
    let p = acronyms(
        "The NHS Commissioning Board leads; its operating name is NHS England.\n\n::: duties role=trust\n:::\n\nThe NHS changes.\n\n::: role nhs-england\n:::\n",
    );
    let (markup, text) = build_both(&p, &["build", "--audience", "providers"], "providers", PDF);
    let html = main_text(&p.read("output/2.0.0/providers/acr.html"));
    let raw = p.read("output/2.0.0/providers/acr.html");
    assert_eq!(raw.matches("<abbr").count(), 1, "{raw}");
    assert!(
        raw.contains(&format!(
            "The {}NHS</abbr> changes.",
            abbr("National Health Service")
        )),
        "{raw}"
    );
    assert!(html.contains("NHS Act 2006"), "{html}");
    let directory = p.read("output/2.0.0/providers/role-directory.html");
    let leads = directory
        .find("Leads the ")
        .expect("the NHS Commissioning Board's description");
    assert!(
        !directory[..leads].contains("<abbr"),
        "a name is expanded: {directory}"
    );
    assert!(
        directory.contains(&format!(
            "Leads the {}NHS</abbr>.",
            abbr("National Health Service")
        )),
        "{directory}"
    );
    assert!(
        !markup.contains("NHS \\(National Health Service\\) Commissioning"),
        "{markup}"
    );
    assert!(
        !markup.contains("NHS \\(National Health Service\\) Act"),
        "{markup}"
    );
    if let Some(text) = text {
        assert!(
            !text.contains("NHS (National Health Service) Commissioning"),
            "{text}"
        );
        assert!(
            !text.contains("NHS (National Health Service) England"),
            "{text}"
        );
        assert!(
            !text.contains("NHS (National Health Service) Act"),
            "{text}"
        );
        assert!(
            text.contains("The NHS (National Health Service) changes."),
            "{text}"
        );
        assert!(
            text.contains("Leads the NHS (National Health Service)."),
            "{text}"
        );
    }
}

#[test]
fn table_header_cells_never_expand() {
    let p = acronyms("| CCG duties | Notes |\n|---|---|\n| Plan | The CCG plans. |\n");
    let (_, text) = build_both(&p, &["build", "--audience", "providers"], "providers", PDF);
    let html = p.read("output/2.0.0/providers/acr.html");
    assert!(html.contains(">CCG duties</th>"), "{html}");
    assert!(
        html.contains(&format!(
            "The {}CCG</abbr> plans.",
            abbr("clinical commissioning group")
        )),
        "{html}"
    );
    if let Some(text) = text {
        assert!(text.contains("CCG duties Notes"), "{text}");
        assert!(
            text.contains("The CCG (clinical commissioning group) plans."),
            "{text}"
        );
    }
}

#[test]
fn an_expansion_the_writer_gave_is_not_repeated() {
    let p = acronyms(
        "A clinical commissioning group (CCG) works with each NHS (*National Health Service*) body.\n\nLater the CCG and the NHS meet.\n",
    )
    .chapter(
        "03-more.md",
        "title: More",
        "Each CCG (clinical commissioning groups are new) and the National Health Service (NHS). Then the CCG and the NHS.\n",
    );
    let (markup, text) = build_both(&p, &["build", "--audience", "providers"], "providers", PDF);
    let html = p.read("output/2.0.0/providers/acr.html");
    assert!(!html.contains("<abbr"), "{html}");
    let more = p.read("output/2.0.0/providers/more.html");
    assert!(!more.contains("<abbr"), "{more}");
    assert!(!markup.contains("Service\\) \\("), "{markup}");
    assert!(!markup.contains("group\\) \\("), "{markup}");
    if let Some(text) = text {
        assert!(
            text.contains("A clinical commissioning group (CCG) works with each NHS (National Health Service) body. Later the CCG and the NHS meet."),
            "{text}"
        );
        assert!(
            text.contains("Each CCG (clinical commissioning groups are new) and the National Health Service (NHS). Then the CCG and the NHS."),
            "{text}"
        );
    }
}
