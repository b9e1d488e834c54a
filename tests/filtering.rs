//! Audience filtering: blocks, `not`, nesting, heading sections and whole chapters.

use crate::harness::{Project, main_text};

fn texts(project: &Project, chapter: &str) -> [String; 3] {
    ["commissioners", "providers", "local-authorities"]
        .map(|a| main_text(&project.read(&format!("output/2.0.0/{a}/{chapter}.html"))))
}

#[test]
fn audience_blocks_show_only_to_their_audiences() {
    let p = Project::minimal().chapter(
        "02-blocks.md",
        "title: Blocks",
        "Everyone.\n\n::: audience commissioners providers\nCP only.\n:::\n\n::: audience not providers\nNot providers.\n:::\n",
    );
    p.build_html();
    let [c, pr, la] = texts(&p, "blocks");
    assert!(
        c.contains("CP only.") && c.contains("Not providers."),
        "{c}"
    );
    assert!(
        pr.contains("CP only.") && !pr.contains("Not providers."),
        "{pr}"
    );
    assert!(
        !la.contains("CP only.") && la.contains("Not providers."),
        "{la}"
    );
    assert!(c.contains("Everyone.") && pr.contains("Everyone.") && la.contains("Everyone."));
}

#[test]
fn nested_blocks_need_every_enclosing_audience() {
    let p = Project::minimal().chapter(
        "02-nested.md",
        "title: Nested",
        "::: audience commissioners providers\nOuter.\n\n::: audience not commissioners\nInner.\n:::\n\nAfter inner.\n:::\n",
    );
    p.build_html();
    let [c, pr, la] = texts(&p, "nested");
    assert!(c.contains("Outer.") && !c.contains("Inner.") && c.contains("After inner."));
    assert!(pr.contains("Outer.") && pr.contains("Inner."));
    assert!(!la.contains("Outer.") && !la.contains("Inner.") && !la.contains("After inner."));
}

#[test]
fn heading_sections_run_to_the_next_heading_of_the_same_level() {
    let p = Project::minimal().chapter(
        "02-sections.md",
        "title: Sections",
        "## Open\n\nFor all.\n\n## Commissioning {audience=commissioners}\n\nCommissioners only.\n\n### Deeper\n\nStill commissioners only.\n\n## Back to all\n\nAll again.\n",
    );
    p.build_html();
    let [c, pr, _] = texts(&p, "sections");
    assert!(c.contains("Commissioners only.") && c.contains("Still commissioners only."));
    assert!(
        !pr.contains("Commissioning")
            && !pr.contains("Commissioners only.")
            && !pr.contains("Deeper"),
        "{pr}"
    );
    assert!(pr.contains("All again.") && pr.contains("For all."));
    // Heading numbers follow what each audience sees.
    assert!(pr.contains("2.2 Back to all"), "{pr}");
    assert!(c.contains("2.3 Back to all"), "{c}");
}

#[test]
fn chapters_with_audiences_appear_only_in_those_packs() {
    let p = Project::minimal().chapter(
        "02-only.md",
        "title: Only for providers\naudiences: [providers]",
        "Provider text.\n",
    );
    p.build_html();
    assert!(p.exists("output/2.0.0/providers/only.html"));
    assert!(!p.exists("output/2.0.0/commissioners/only.html"));
    assert!(
        !p.read("output/2.0.0/commissioners/index.html")
            .contains("Only for providers")
    );
    assert!(
        p.read("output/2.0.0/providers/index.html")
            .contains("Only for providers")
    );
}

#[test]
fn fences_inside_code_blocks_are_text() {
    let p = Project::minimal().chapter(
        "02-code.md",
        "title: Code",
        "```\n::: audience providers\n:::\n```\n",
    );
    p.build_html();
    let html = p.read("output/2.0.0/commissioners/code.html");
    assert!(html.contains("::: audience providers"), "{html}");
}

#[test]
fn numbered_paragraphs_leave_section_headings_unnumbered() {
    let config = Project::minimal().read("guidepack.toml").replace(
        "language = \"en-GB\"",
        "language = \"en-GB\"\nnumbered_paragraphs = true",
    );
    let p = Project::minimal().file("guidepack.toml", &config).chapter(
        "02-n.md",
        "title: N",
        "First.\n\n## Part\n\nSecond.\n\n- a list item\n",
    );
    p.build_html();
    let html = p.read("output/2.0.0/providers/n.html");
    assert!(
        html.contains("<span class=\"gp-para-num\">2.1</span> First."),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"gp-para-num\">2.2</span> Second."),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"part\">Part</h2>"), "{html}");
}
