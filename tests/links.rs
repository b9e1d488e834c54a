//! Cross-references: `#id` to chapters and headings, `role:`, `statute:`, external links,
//! images, acronyms and footnotes.

use crate::harness::Project;

#[test]
fn internal_links_go_to_chapters_and_headings() {
    let p = Project::minimal()
        .chapter(
            "02-a.md",
            "title: A",
            "## Target heading {#target}\n\nText.\n",
        )
        .chapter(
            "03-b.md",
            "title: B",
            "See [the chapter](#a), [the heading](#target) and [the intro](#intro).\n",
        );
    p.build_html();
    let b = p.read("output/2.0.0/providers/b.html");
    assert!(b.contains("<a href=\"a.html\">the chapter</a>"), "{b}");
    assert!(
        b.contains("<a href=\"a.html#target\">the heading</a>"),
        "{b}"
    );
    let all = p.read("output/2.0.0/providers/all.html");
    assert!(
        all.contains("<a href=\"#a\">the chapter</a>")
            && all.contains("<a href=\"#target\">the heading</a>"),
        "one page keeps links on the page"
    );
}

#[test]
fn role_and_statute_links() {
    let p = Project::minimal().chapter(
        "02-a.md",
        "title: A",
        "The [CCG](role:ccg) under [section 11](statute:ca2004-s11).\n",
    );
    p.build_html();
    let a = p.read("output/2.0.0/providers/a.html");
    assert!(
        a.contains("<a href=\"role-directory.html#role:ccg\">CCG</a>"),
        "{a}"
    );
    assert!(a.contains("<a href=\"https://www.legislation.gov.uk/ukpga/2004/31/section/11\" class=\"gp-external\">section 11</a>"), "{a}");
    assert!(
        p.read("output/2.0.0/providers/role-directory.html")
            .contains("id=\"role:ccg\"")
    );
}

#[test]
fn acronyms_expand_at_first_use_in_each_chapter() {
    let p = Project::minimal()
        .chapter("02-a.md", "title: A", "The CCG and the CCG; two CCGs.\n")
        .chapter("03-b.md", "title: B", "The CCG again.\n");
    p.build_html();
    let a = p.read("output/2.0.0/providers/a.html");
    assert_eq!(
        a.matches("<abbr title=\"clinical commissioning group\">")
            .count(),
        1,
        "{a}"
    );
    assert!(
        p.read("output/2.0.0/providers/b.html")
            .contains("<abbr title=\"clinical commissioning group\">CCG</abbr>")
    );
}

#[test]
fn images_are_copied_with_their_alt_text() {
    let p = Project::minimal().chapter("02-a.md", "title: A", "![A blue square](assets/dot.png)\n");
    p.build_html();
    assert!(
        p.read("output/2.0.0/providers/a.html")
            .contains("<img src=\"assets/dot.png\" alt=\"A blue square\">")
    );
    assert!(p.exists("output/2.0.0/providers/assets/dot.png"));
}

#[test]
fn footnotes_are_numbered_in_order_of_reference() {
    let p = Project::minimal().chapter(
        "02-a.md",
        "title: A",
        "First[^b] and second[^a].\n\n[^a]: Note A.\n[^b]: Note B.\n",
    );
    p.build_html();
    let a = p.read("output/2.0.0/providers/a.html");
    let b_at = a.find("Note B.").unwrap();
    let a_at = a.find("Note A.").unwrap();
    assert!(b_at < a_at, "the first reference gets note 1");
    assert!(a.contains("href=\"#fn-a-1\""), "{a}");
}

#[test]
fn external_links_are_kept() {
    let p = Project::minimal().chapter(
        "02-a.md",
        "title: A",
        "Mail [us](mailto:team@example.org) or read [this](https://example.org/x?a=1&b=2).\n",
    );
    p.build_html();
    let a = p.read("output/2.0.0/providers/a.html");
    assert!(a.contains("href=\"mailto:team@example.org\""));
    assert!(
        a.contains("href=\"https://example.org/x?a=1&amp;b=2\""),
        "{a}"
    );
}
