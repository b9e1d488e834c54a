//! Accountability diagrams (`::: accountability`): drawn from the framework data in every
//! format, checked like the other data directives.

use std::process::Command;

use crate::harness::{Project, main_text, stderr_snapshot};

const PACK: &str = "::: accountability\nFigure 1: Who answers to whom\n:::\n";

fn page(p: &Project, audience: &str) -> String {
    p.read(&format!("output/2.0.0/{audience}/data.html"))
}

/// The `<svg>` … `</svg>` of a page.
fn svg(html: &str) -> &str {
    let start = html.find("<svg").expect("an svg");
    let end = html[start..].find("</svg>").expect("its end") + start + "</svg>".len();
    &html[start..end]
}

/// The text of every box (its lines joined by spaces), box after box.
fn names(svg: &str) -> String {
    svg.split("<tspan")
        .skip(1)
        .filter_map(|part| part.split_once('>'))
        .filter_map(|(_, rest)| rest.split_once("</tspan>"))
        .map(|(text, _)| text)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_packs_diagram_shows_its_roles_and_every_line_between_them() {
    let p = Project::minimal().chapter("02-data.md", "title: Data", PACK);
    p.build_html();
    let html = page(&p, "providers");
    assert!(html.contains("<figure class=\"gp-diagram\">"), "{html}");
    assert!(html.contains("id=\"gp-label-1\">Figure 1: Who answers to whom</figcaption>"));
    assert!(html.contains("role=\"group\" aria-labelledby=\"gp-label-1\" tabindex=\"0\""));
    assert!(!html.contains("role=\"img\""));
    let drawing = svg(&html);
    // The providers' roles (NHS England, the trust) and the role the trust answers to.
    for (name, id) in [
        ("NHS England", "nhs-england"),
        ("Provider trust", "trust"),
        ("Clinical commissioning group", "ccg"),
    ] {
        assert!(
            drawing.contains(&format!("href=\"role-directory.html#role:{id}\"")),
            "{drawing}"
        );
        assert!(names(drawing).contains(name), "{name}: {drawing}");
    }
    assert_eq!(drawing.matches("<rect").count(), 3, "{drawing}");
    assert_eq!(drawing.matches("class=\"gp-diagram__line\"").count(), 2);
    assert_eq!(drawing.matches("class=\"gp-diagram__arrow\"").count(), 2);
    // The text alternative says the same in words.
    let text = main_text(&html);
    assert!(
        text.contains("The lines of accountability as text NHS England is accountable to none of the roles shown. Clinical commissioning group is accountable to NHS England. Provider trust is accountable to Clinical commissioning group."),
        "{text}"
    );
    // The commissioners' pack has only its own two roles.
    let drawing = page(&p, "commissioners");
    assert_eq!(svg(&drawing).matches("<rect").count(), 2);
}

#[test]
fn one_roles_diagram_shows_its_chain_and_what_answers_to_it() {
    let p = Project::minimal().chapter(
        "02-data.md",
        "title: Data",
        "::: accountability role=ccg\n:::\n",
    );
    p.build_html();
    let html = page(&p, "local-authorities");
    assert!(
        html.contains(
            "Lines of accountability of the role: Clinical commissioning group</figcaption>"
        ),
        "{html}"
    );
    let drawing = svg(&html);
    assert_eq!(drawing.matches("<rect").count(), 3, "{drawing}");
    assert_eq!(drawing.matches("gp-diagram__box--focus").count(), 1);
}

#[test]
fn the_svg_of_a_small_diagram() {
    let p = Project::minimal().chapter("02-data.md", "title: Data", PACK);
    p.build_html();
    insta::assert_snapshot!(svg(&page(&p, "providers")));
}

#[test]
fn names_are_escaped_and_long_names_wrapped() {
    let p = Project::minimal()
        .chapter("02-data.md", "title: Data", PACK)
        .file(
            "content/framework/data.toml",
            &std::fs::read_to_string(
                Project::minimal()
                    .path()
                    .join("content/framework/data.toml"),
            )
            .unwrap()
            .replace(
                "name = \"Provider trust\"",
                "name = \"Provider <script>alert(1)</script> & \\\"trust\\\" with a very long name indeed\"",
            ),
        );
    p.build_html();
    let drawing = page(&p, "providers");
    let drawing = svg(&drawing);
    assert!(!drawing.contains("<script>"), "{drawing}");
    assert!(
        drawing.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{drawing}"
    );
    assert!(drawing.contains("&amp;"));
    assert!(drawing.matches("<tspan").count() > 5, "{drawing}");
}

#[test]
fn the_diagram_changes_when_the_roles_do() {
    let p = Project::minimal().chapter("02-data.md", "title: Data", PACK);
    p.build_html();
    let before = page(&p, "providers");
    let data = p.read("content/framework/data.toml");
    let p = p.file(
        "content/framework/data.toml",
        &data.replacen(
            "accountable_to = [\"ccg\"]",
            "accountable_to = [\"nhs-england\"]",
            1,
        ),
    );
    p.build_html();
    let after = page(&p, "providers");
    assert_ne!(svg(&before), svg(&after));
    let text = main_text(&after);
    assert!(
        text.contains("Provider trust is accountable to NHS England."),
        "{text}"
    );
    // The trust no longer answers to the group, which is not a providers' role.
    assert_eq!(svg(&after).matches("<rect").count(), 2);
}

#[test]
fn an_unknown_role_is_an_error_with_its_place() {
    let p = Project::minimal().chapter(
        "02-data.md",
        "title: Data",
        "Text.\n\n::: accountability role=cgg\n:::\n",
    );
    let run = p.run(&["build"]).expect(1);
    assert!(!p.exists("output"));
    stderr_snapshot!(run)
        .has_error("there is no role `cgg`", "content/02-data.md:6:1")
        .stderr_has("did you mean `ccg`?");
}

#[test]
fn wrong_arguments_say_what_it_takes() {
    let p =
        Project::minimal().chapter("02-data.md", "title: Data", "::: accountability all\n:::\n");
    p.run(&["check"])
        .expect(1)
        .stderr_has("`::: accountability` takes nothing or `role=<id>`")
        .stderr_has("write `::: accountability` or `::: accountability role=<id>`");
}

#[test]
fn govspeak_and_odt_write_the_lines_as_text() {
    let p = Project::minimal().chapter("02-data.md", "title: Data", PACK);
    p.run(&["build", "--format", "govspeak"]).expect(0);
    let files = p.output_files();
    let (_, govspeak) = files
        .iter()
        .find(|(name, _)| name.contains("/providers/") && name.ends_with(".govspeak.md"))
        .expect("a Govspeak file");
    let govspeak = String::from_utf8_lossy(govspeak);
    assert!(
        govspeak.contains("**Figure 1: Who answers to whom**"),
        "{govspeak}"
    );
    assert!(govspeak.contains("is accountable to"), "{govspeak}");
    assert!(!govspeak.contains("<svg"));
}

#[test]
fn the_pdf_draws_the_diagram_as_a_figure_with_real_text() {
    let p = Project::minimal().chapter("02-data.md", "title: Data", PACK);
    p.run(&["build", "--format", "pdf"]).expect(0);
    let files = p.output_files();
    let (name, _) = files
        .iter()
        .find(|(name, _)| name.contains("/providers/") && name.ends_with(".pdf"))
        .expect("a PDF");
    let path = p.path().join("output").join(name);
    let Some(text) = crate::harness::pdf_words(&path) else {
        return;
    };
    for name in [
        "NHS England",
        "Provider trust",
        "Figure 1: Who answers to whom",
    ] {
        assert!(text.contains(name), "{name}: {text}");
    }
    // Tagged as a figure.
    let out = Command::new("pdfinfo")
        .arg("-struct")
        .arg(&path)
        .output()
        .unwrap();
    let structure = String::from_utf8_lossy(&out.stdout);
    assert!(structure.contains("Figure"), "{structure}");
}

/// A framework of 61 roles for the providers: a board, four directorates under it and
/// fourteen teams under each; laid out side by side the teams would be 7,000 px wide.
fn big_framework() -> String {
    let mut data = std::fs::read_to_string(
        Project::minimal()
            .path()
            .join("content/framework/data.toml"),
    )
    .unwrap();
    let role = |id: &str, name: &str, up: Option<&str>| {
        let up = up.map_or_else(String::new, |u| format!("accountable_to = [\"{u}\"]\n"));
        format!(
            "\n[[role]]\nid = \"{id}\"\nname = \"{name}\"\nkind = \"organisation\"\ndescription = \"A role.\"\n{up}audiences = [\"providers\"]\n"
        )
    };
    data.push_str(&role("board", "Safeguarding children board", None));
    for d in 1..=4 {
        data.push_str(&role(
            &format!("dir-{d}"),
            &format!("Directorate {d} of children's services"),
            Some("board"),
        ));
        for t in 1..=14 {
            data.push_str(&role(
                &format!("team-{d}-{t}"),
                &format!("Team {d}.{t} for early help"),
                Some(&format!("dir-{d}")),
            ));
        }
    }
    data
}

#[test]
fn a_big_frameworks_pdf_figure_keeps_its_names_readable_and_splits_into_parts() {
    let p = Project::minimal()
        .chapter(
            "02-data.md",
            "title: Data",
            "::: accountability\nFigure 9: The board\n:::\n",
        )
        .file("content/framework/data.toml", &big_framework());
    p.run(&["build", "--format", "pdf"]).expect(0);
    let files = p.output_files();
    let (name, pdf) = files
        .iter()
        .find(|(name, _)| name.contains("/providers/") && name.ends_with(".pdf"))
        .expect("a PDF");
    // Each part is a figure of its own, with its own alt text: the caption, which part, and
    // the lines of the roles drawn in it.
    let raw = String::from_utf8_lossy(pdf);
    for part in [
        "part 1 of 2; lines ending in dashes continue in part 2",
        "part 2 of 2",
    ] {
        assert!(
            raw.contains(&format!("/Alt(Figure 9: The board ({part}")),
            "no alt text for {part}"
        );
    }
    assert!(raw.contains("Team 4.14 for early help is accountable to Directorate 4"));
    let path = p.path().join("output").join(name);
    let Some(text) = crate::harness::pdf_words(&path) else {
        return;
    };
    assert!(text.contains("Figure 9: The board (part 1 of 2;"), "{text}");
    assert!(text.contains("Figure 9: The board (part 2 of 2;"), "{text}");
    // Every name of the drawing is set at 8.4 pt or more: a word's box in Noto Sans is
    // 1.362 em high.
    let out = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    let boxes = String::from_utf8_lossy(&out.stdout);
    let heights: Vec<f64> = boxes
        .lines()
        .filter(|l| l.contains(">Team<") || l.contains(">Directorate<"))
        .filter_map(|l| {
            let attr = |name: &str| -> Option<f64> {
                let rest = l.split(&format!("{name}=\"")).nth(1)?;
                rest.split('"').next()?.parse().ok()
            };
            Some(attr("yMax")? - attr("yMin")?)
        })
        .collect();
    // (The names are in the directory of roles too, in the body's larger text.)
    assert!(heights.len() >= 60, "{boxes}");
    let smallest = heights.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(
        smallest >= 8.4 * 1.362 - 0.05,
        "names at {} pt",
        smallest / 1.362
    );
}

#[test]
fn two_diagrams_on_a_page_scroll_in_regions_named_by_their_own_captions() {
    let p = Project::minimal().chapter(
        "02-data.md",
        "title: Data",
        "::: accountability\nFigure 1: All\n:::\n\n::: accountability role=trust\nFigure 2: The trust\n:::\n",
    );
    p.build_html();
    let html = page(&p, "providers");
    let regions: Vec<&str> = html
        .split("<div class=\"gp-diagram__scroll\" role=\"group\" aria-labelledby=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(regions.len(), 2, "{html}");
    assert_ne!(regions[0], regions[1]);
    for (id, caption) in regions.iter().zip(["Figure 1: All", "Figure 2: The trust"]) {
        assert!(
            html.contains(&format!("id=\"{id}\">{caption}</figcaption>")),
            "{id}: {html}"
        );
    }
}
