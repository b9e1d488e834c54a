//! The review-mode resolve: nothing filtered, every condition labelled in the words of
//! `Condition::label`, local sections beside the national text, placeholders for values that
//! differ, directives for every audience and area.

use std::collections::BTreeSet;

use crate::doc::{Block, Inline, plain_text};
use crate::resolve::{Pack, PackChapter};
use crate::testing::TestProject;

/// The reviewer's copy of a test project of these files, which resolves without findings.
fn review(files: &[(&str, &str)]) -> Pack {
    let project = TestProject::new(files);
    project.assert_clean();
    let (pack, found) = project.review();
    assert!(found.is_empty(), "{found:#?}");
    pack
}

/// Every labelled region of `blocks`, depth first, with the plain text inside it.
fn regions(blocks: &[Block], out: &mut Vec<(String, String)>) {
    for block in blocks {
        match block {
            Block::Labelled { label, blocks } => {
                out.push((label.clone(), text(blocks)));
                regions(blocks, out);
            }
            Block::Local { blocks, .. } => regions(blocks, out),
            _ => {}
        }
    }
}

fn labels(blocks: &[Block]) -> Vec<String> {
    let mut found = Vec::new();
    regions(blocks, &mut found);
    found.into_iter().map(|(label, _)| label).collect()
}

/// The plain text of blocks, headings and paragraphs and table cells, in order.
fn text(blocks: &[Block]) -> String {
    let mut out = String::new();
    crate::doc::visit_inlines(blocks, &mut |inlines| {
        out.push_str(&plain_text(inlines));
        out.push('\n');
    });
    out
}

fn chapter<'p>(pack: &'p Pack, id: &str) -> &'p PackChapter {
    pack.chapters
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| {
            let ids: Vec<&str> = pack.chapters.iter().map(|c| c.id.as_str()).collect();
            panic!("no chapter {id} in {ids:?}")
        })
}

const NORTH: (&str, &str) = (
    "content/areas/north/area.toml",
    "name = \"Northshire\"\ntags = [\"coastal\"]\n\n[vars]\nlead = \"Jo North\"\n\n[[contact]]\nname = \"Jo North\"\n",
);
const SOUTH: (&str, &str) = ("content/areas/south/area.toml", "name = \"Southshire\"\n");

#[test]
fn nothing_is_filtered_and_every_audience_part_is_labelled() {
    let pack = review(&[
        (
            "content/01-a.md",
            "---\ntitle: A\n---\n\nFor all.\n\n::: audience commissioners providers\nFence text.\n\n::: audience providers\nNested text.\n:::\n:::\n\n::: audience not local-authorities\nNegated text.\n:::\n\n## Section {#sec audience=local-authorities}\n\nSection text.\n\n### Deeper\n\nDeeper text.\n\n## After {#after}\n\nAfter text.\n",
        ),
        (
            "content/02-b.md",
            "---\ntitle: B\naudiences: [providers]\n---\n\nChapter text.\n",
        ),
    ]);
    assert!(pack.reviewer_copy);
    assert_eq!(pack.dir(), "review");
    let mut found = Vec::new();
    regions(&chapter(&pack, "a").blocks, &mut found);
    let labels: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Seen by: Commissioners, Providers only",
            // Inside the box above: what both leave, said once.
            "Seen by: Providers only",
            "Seen by: Everyone except Local authorities",
            "Seen by: Local authorities only",
        ]
    );
    assert!(found[0].1.contains("Fence text.") && found[0].1.contains("Nested text."));
    assert!(found[2].1.contains("Negated text."));
    // A section runs from its heading to the next heading of its level, its subsections with it.
    let section = &found[3].1;
    assert!(section.starts_with("Section\n"), "{section}");
    assert!(section.contains("Deeper text.") && !section.contains("After text."));
    assert!(text(&chapter(&pack, "a").blocks).contains("After text."));

    let mut found = Vec::new();
    regions(&chapter(&pack, "b").blocks, &mut found);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "Seen by: Providers only — the whole chapter");
    assert!(found[0].1.contains("Chapter text."));
}

#[test]
fn area_tag_national_and_nested_conditions_are_labelled() {
    let pack = review(&[
        NORTH,
        SOUTH,
        (
            "content/01-a.md",
            "---\ntitle: A\n---\n\n::: area north\nNorth text.\n:::\n\n::: area tag:coastal\nCoastal text.\n:::\n\n::: area national\nNational text.\n:::\n\n::: area not national\nLocal text.\n:::\n\n::: audience providers\n::: area not south\nNested text.\n:::\n:::\n\n## Local {#local area=north,south}\n\nSection text.\n",
        ),
        (
            "content/02-b.md",
            "---\ntitle: B\nareas: [national]\naudiences: [commissioners]\n---\n\nChapter text.\n",
        ),
    ]);
    assert_eq!(
        labels(&chapter(&pack, "a").blocks),
        [
            "Seen by: Northshire only",
            "Seen by: Areas tagged coastal only",
            "Seen by: National packs only",
            "Seen by: Local area packs only",
            "Seen by: Providers only",
            "Seen by: Providers only; Every pack except Southshire",
            "Seen by: Northshire, Southshire only",
        ]
    );
    assert_eq!(
        labels(&chapter(&pack, "b").blocks),
        ["Seen by: Commissioners only; National packs only — the whole chapter"]
    );
}

#[test]
fn format_parts_are_labelled_and_every_format_shows_them() {
    let pack = review(&[
        (
            "content/01-a.md",
            "---\ntitle: A\n---\n\nFor all.\n\n::: format pdf\nPrint text.\n:::\n\n::: format not pdf\nScreen text.\n:::\n\n## Checklist {#checklist format=pdf}\n\nChecklist text.\n",
        ),
        (
            "content/02-b.md",
            "---\ntitle: B\nformats: [html]\n---\n\nWeb chapter.\n",
        ),
    ]);
    assert_eq!(
        labels(&chapter(&pack, "a").blocks),
        [
            "Seen by: PDF only",
            "Seen by: Not in the PDF",
            "Seen by: PDF only",
        ]
    );
    assert_eq!(
        labels(&chapter(&pack, "b").blocks),
        ["Seen by: HTML only — the whole chapter"]
    );
    // No part is for some formats only: the renderers get the whole copy.
    fn for_formats(blocks: &[Block]) -> bool {
        blocks.iter().any(|b| match b {
            Block::ForFormats { .. } => true,
            Block::Labelled { blocks, .. } | Block::Local { blocks, .. } => for_formats(blocks),
            _ => false,
        })
    }
    assert!(pack.chapters.iter().all(|c| c.formats.is_none()));
    assert!(!pack.chapters.iter().any(|c| for_formats(&c.blocks)));
    for format in ["html", "pdf"] {
        let seen = crate::render::pack_for(&pack, format);
        let all: String = seen.chapters.iter().map(|c| text(&c.blocks)).collect();
        for part in [
            "Print text.",
            "Screen text.",
            "Checklist text.",
            "Web chapter.",
        ] {
            assert!(all.contains(part), "{format} lacks {part}");
        }
    }
}

#[test]
fn local_sections_stand_beside_the_national_text_they_replace_or_join() {
    let pack = review(&[
        (
            "content/01-a.md",
            "---\ntitle: A\n---\n\n## One {#one}\n\nNational one.\n\n## Two {#two}\n\nNational two.\n\n## Three {#three}\n\nNational three.\n",
        ),
        NORTH,
        (
            "content/areas/north/two.md",
            "---\ntitle: Two in {{ area.name }}\nreplaces: two\n---\n\nNorth two, ask {{ area.lead }}.\n",
        ),
        (
            "content/areas/north/extra.md",
            "---\ntitle: Extra\nafter: one\naudiences: [providers]\n---\n\nNorth extra.\n",
        ),
        SOUTH,
        (
            "content/areas/south/two.md",
            "---\ntitle: Two in the south\nreplaces: two\n---\n\nSouth two.\n",
        ),
        (
            "content/areas/south/pre.md",
            "---\ntitle: Before three\nbefore: three\nformats: [pdf]\n---\n\nSouth before three.\n",
        ),
    ]);
    let a = chapter(&pack, "a");
    let all = text(&a.blocks);
    let order = [
        "National one.",
        "North extra.",
        "National two.",
        "North two, ask Jo North.",
        "South two.",
        "South before three.",
        "National three.",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|t| all.find(t).unwrap_or_else(|| panic!("{t} in {all}")))
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "{order:?} in order:\n{all}"
    );
    assert!(all.contains("Two in Northshire"), "the area's own values");

    let mut found = Vec::new();
    regions(&a.blocks, &mut found);
    let labels: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Seen by: Northshire only; Providers only — added after the section “One”",
            "Seen by: Every pack except Northshire, Southshire — their packs read their own text, below, in place of this section",
            "Seen by: Northshire only — in place of the section “Two”",
            "Seen by: Southshire only — in place of the section “Two”",
            "Seen by: Southshire only; PDF only — added before the section “Three”",
        ]
    );
    assert!(found[1].1.contains("National two.") && !found[1].1.contains("North two"));
    // Each local section keeps a heading of its own, with an id of its own.
    let mut headings = Vec::new();
    collect_headings(&a.blocks, &mut headings);
    let unique: BTreeSet<&String> = headings.iter().collect();
    assert_eq!(unique.len(), headings.len(), "{headings:?}");
    assert!(unique.contains(&"north-two".to_string()) && unique.contains(&"south-two".to_string()));
}

#[test]
fn a_national_section_that_an_area_replaces_for_some_packs_says_so() {
    let pack = review(&[
        (
            "content/01-a.md",
            "---\ntitle: A\n---\n\n## Two {#two}\n\nNational two.\n",
        ),
        NORTH,
        (
            "content/areas/north/two.md",
            "---\ntitle: Two in the north\nreplaces: two\naudiences: [providers]\n---\n\nNorth two.\n",
        ),
    ]);
    assert_eq!(
        labels(&chapter(&pack, "a").blocks),
        [
            "Seen by: Everyone — except the packs that read local text, below, in place of this section",
            "Seen by: Northshire only; Providers only — in place of the section “Two”",
        ]
    );
}

fn collect_headings(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Heading(h) => out.push(h.id.clone()),
            Block::Labelled { blocks, .. } | Block::Local { blocks, .. } => {
                collect_headings(blocks, out)
            }
            _ => {}
        }
    }
}

#[test]
fn the_national_text_shows_placeholders_where_packs_differ() {
    let pack = review(&[
        (
            "content/01-a.md",
            "---\ntitle: A\n---\n\nAsk {{ area.lead }}; this is the {{ audience.name }} pack of {{ pack.title }}.\n",
        ),
        NORTH,
    ]);
    let para = &chapter(&pack, "a").blocks[0];
    let Block::Paragraph(p) = para else {
        panic!("{para:?}")
    };
    assert!(p.inlines.contains(&Inline::Code("{{ area.lead }}".into())));
    assert!(
        p.inlines
            .contains(&Inline::Code("{{ audience.name }}".into()))
    );
    assert!(
        plain_text(&p.inlines).contains("Test pack"),
        "the same in every pack"
    );
    let values = text(&chapter(&pack, "local-values").blocks);
    assert!(
        values.contains("the national lead") && values.contains("Jo North"),
        "{values}"
    );
}

#[test]
fn directives_are_expanded_for_every_audience_and_area_that_sees_them() {
    let pack = review(&[
        (
            "content/01-a.md",
            "---\ntitle: A\n---\n\n::: duties\n:::\n\n::: duties all\n:::\n\n::: contacts\n:::\n\n::: audience providers\n::: duties\n:::\n:::\n",
        ),
        NORTH,
    ]);
    let mut found = Vec::new();
    regions(&chapter(&pack, "a").blocks, &mut found);
    let labels: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Seen by: Commissioners only — made from the framework data for each audience",
            "Seen by: Providers only — made from the framework data for each audience",
            "Seen by: Local authorities only — made from the framework data for each audience",
            "Seen by: National packs only",
            "Seen by: Northshire only — made from the area's contacts",
            // Inside a providers' part, only the providers' table: no box of its own.
            "Seen by: Providers only",
        ]
    );
    assert!(found[0].1.contains("Assure the safety"));
    assert!(!found[2].1.contains("Assure the safety"));
    assert!(found[4].1.contains("Jo North"));
    assert!(found[5].1.contains("Train staff") && !found[5].1.contains("Assure the safety"));
    // The directory lists every duty, with whose packs list it.
    let directory = text(&chapter(&pack, "role-directory").blocks);
    assert!(
        directory.contains("Assure the safety of commissioned services. (Children Act 2004, section 11). For: Commissioners only."),
        "{directory}"
    );
}

#[test]
fn local_text_whose_place_is_not_in_the_national_text_is_still_in_the_copy() {
    let project = TestProject::new(&[
        (
            "content/01-a.md",
            "---\ntitle: A\n---\n\n## One {#one}\n\nNational one.\n",
        ),
        ("content/areas/north/area.toml", "name = \"Northshire\"\n"),
        (
            "content/areas/north/extra.md",
            "---\ntitle: Extra\nafter: one\n---\n\n## North heading {#north-heading}\n\nNorth extra.\n",
        ),
        SOUTH,
        (
            "content/areas/south/more.md",
            "---\ntitle: More\nafter: north-heading\n---\n\nSouth more.\n",
        ),
    ]);
    let (pack, _) = project.review();
    let all: String = pack.chapters.iter().map(|c| text(&c.blocks)).collect();
    assert!(
        all.contains("North extra.") && all.contains("South more."),
        "{all}"
    );
}

#[test]
fn local_text_beside_a_conditional_part_says_who_sees_both() {
    let pack = review(&[
        (
            "content/01-a.md",
            "---\ntitle: A\naudiences: [commissioners, providers]\n---\n\n## One {#one}\n\nNational one.\n\n## Two {#two format=pdf}\n\nNational two.\n",
        ),
        NORTH,
        (
            "content/areas/north/after-one.md",
            "---\ntitle: After one\nafter: one\naudiences: [providers]\n---\n\nNorth one.\n",
        ),
        (
            "content/areas/north/two.md",
            "---\ntitle: Two in the north\nreplaces: two\n---\n\nNorth two.\n",
        ),
    ]);
    assert_eq!(
        labels(&chapter(&pack, "a").blocks),
        [
            "Seen by: Commissioners, Providers only — the whole chapter",
            "Seen by: Northshire only; Providers only — added after the section “One”",
            "Seen by: Commissioners, Providers only; PDF only; Every pack except Northshire — its packs read its own text, below, in place of this section",
            "Seen by: Commissioners, Providers only; PDF only",
            "Seen by: Commissioners, Providers only; PDF only; Northshire only — in place of the section “Two”",
        ]
    );
}
