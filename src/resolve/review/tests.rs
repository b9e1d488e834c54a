use super::*;
use crate::diagnostic::Diagnostics;
use crate::resolve::{IdIndex, index_ids};
use crate::sources::SourceSet;

const CONFIG: &str = r#"[pack]
title = "Test pack"
publisher = "Test publisher"
version = "1.0.0"
date = "2013-03-28"
language = "en-GB"

[[audience]]
id = "commissioners"
name = "Commissioners"
description = "People who commission"

[[audience]]
id = "providers"
name = "Providers"
description = "People who provide"

[[audience]]
id = "local-authorities"
name = "Local authorities"
description = "Councils"

[vars]
lead = "the national lead"
"#;

const FRAMEWORK: &str = r#"[[role]]
id = "ccg"
name = "Clinical commissioning group"
kind = "organisation"
description = "Commissions care."
accountable_to = []
audiences = ["commissioners"]

[[duty]]
id = "ccg-duty"
role = "ccg"
text = "Commission safe care."
basis = []
audiences = ["commissioners", "providers"]
"#;

/// A project of `guidepack.toml`, the framework above and `files`, parsed and indexed.
fn project(files: &[(&str, &str)]) -> (Project, IdIndex) {
    let mut sources = SourceSet::default();
    let all = [
        ("guidepack.toml", CONFIG),
        ("content/framework/roles.toml", FRAMEWORK),
    ];
    for (path, text) in all.iter().chain(files) {
        sources.texts.insert(path.to_string(), text.to_string());
    }
    let mut diagnostics = Diagnostics::default();
    let mut project = crate::parse::parse_project(&sources, &mut diagnostics).expect("parses");
    let ids = index_ids(&mut project, &mut diagnostics);
    assert!(!diagnostics.has_errors(), "{:?}", diagnostics.sorted());
    (project, ids)
}

fn review(project: &Project, ids: &IdIndex) -> Pack {
    let mut diagnostics = Diagnostics::default();
    let pack = Resolver { project, ids }.resolve(Reader::Reviewer, &mut diagnostics);
    assert!(!diagnostics.has_errors(), "{:?}", diagnostics.sorted());
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

/// The plain text of blocks, headings and paragraphs and table cells, in order.
fn text(blocks: &[Block]) -> String {
    let mut out = String::new();
    crate::doc::visit_inlines(blocks, &mut |inlines| {
        out.push_str(&plain_text(inlines));
        out.push('\n');
    });
    out
}

fn chapter<'p>(pack: &'p Pack, id: &str) -> &'p crate::resolve::PackChapter {
    pack.chapters
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| {
            let ids: Vec<&str> = pack.chapters.iter().map(|c| c.id.as_str()).collect();
            panic!("no chapter {id} in {ids:?}")
        })
}

#[test]
fn labels_say_who_sees_a_part_in_words() {
    let (project, _) = project(&[("content/areas/north/area.toml", "name = \"Northshire\"\n")]);
    let names = Names::of(&project);
    let audiences = |negate, ids| condition_label(&Who::Audiences { negate, ids }, &names);
    let areas = |negate, ids| condition_label(&Who::Areas { negate, ids }, &names);
    assert_eq!(
        audiences(false, vec!["providers", "commissioners"]),
        "Commissioners, Providers only",
        "in the order of guidepack.toml"
    );
    assert_eq!(
        audiences(true, vec!["local-authorities"]),
        "All but Local authorities"
    );
    assert_eq!(areas(false, vec!["north"]), "Northshire only");
    assert_eq!(areas(false, vec!["national"]), "National packs only");
    assert_eq!(areas(true, vec!["north"]), "All but Northshire");
}

#[test]
fn nothing_is_filtered_and_every_conditional_part_is_labelled() {
    let (project, ids) = project(&[
        (
            "content/01-a.md",
            "---\ntitle: A\n---\n\nFor all.\n\n::: audience commissioners providers\nFence text.\n\n::: audience providers\nNested text.\n:::\n:::\n\n::: audience not local-authorities\nNegated text.\n:::\n\n## Section {#sec audience=local-authorities}\n\nSection text.\n\n### Deeper\n\nDeeper text.\n\n## After {#after}\n\nAfter text.\n",
        ),
        (
            "content/02-b.md",
            "---\ntitle: B\naudiences: [providers]\n---\n\nChapter text.\n",
        ),
    ]);
    let pack = review(&project, &ids);
    assert_eq!(pack.dir(), "review");
    let mut found = Vec::new();
    regions(&chapter(&pack, "a").blocks, &mut found);
    let labels: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Seen by: Commissioners, Providers only",
            "Seen by: Providers only",
            "Seen by: All but Local authorities",
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
fn local_sections_stand_beside_the_national_text_they_replace_or_join() {
    let (project, ids) = project(&[
        (
            "content/01-a.md",
            "---\ntitle: A\n---\n\n## One {#one}\n\nNational one.\n\n## Two {#two}\n\nNational two.\n\n## Three {#three}\n\nNational three.\n",
        ),
        (
            "content/areas/north/area.toml",
            "name = \"Northshire\"\n\n[vars]\nlead = \"Jo North\"\n",
        ),
        (
            "content/areas/north/two.md",
            "---\ntitle: Two in {{ area.name }}\nreplaces: two\n---\n\nNorth two, ask {{ area.lead }}.\n",
        ),
        (
            "content/areas/north/extra.md",
            "---\ntitle: Extra\nafter: one\naudiences: [providers]\n---\n\nNorth extra.\n",
        ),
        ("content/areas/south/area.toml", "name = \"Southshire\"\n"),
        (
            "content/areas/south/two.md",
            "---\ntitle: Two in the south\nreplaces: two\n---\n\nSouth two.\n",
        ),
        (
            "content/areas/south/pre.md",
            "---\ntitle: Before three\nbefore: three\n---\n\nSouth before three.\n",
        ),
    ]);
    let pack = review(&project, &ids);
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
            "Seen by: All but Northshire, Southshire — their packs read their own text, below, in place of this section",
            "Seen by: Northshire only — in place of the section “Two”",
            "Seen by: Southshire only — in place of the section “Two”",
            "Seen by: Southshire only — added before the section “Three”",
        ]
    );
    assert!(found[1].1.contains("National two.") && !found[1].1.contains("North two"));
    // Each local section keeps a heading of its own, with an id of its own.
    let mut headings = BTreeSet::new();
    super::super::collect_heading_ids(&a.blocks, &mut headings);
    let mut count = 0;
    count_headings(&a.blocks, &mut count);
    assert_eq!(headings.len(), count, "{headings:?}");
    assert!(headings.contains("north-two") && headings.contains("south-two"));
}

fn count_headings(blocks: &[Block], count: &mut usize) {
    for block in blocks {
        match block {
            Block::Heading(_) => *count += 1,
            Block::Labelled { blocks, .. } | Block::Local { blocks, .. } => {
                count_headings(blocks, count)
            }
            _ => {}
        }
    }
}

#[test]
fn the_national_text_shows_placeholders_where_packs_differ() {
    let (project, ids) = project(&[
        (
            "content/01-a.md",
            "---\ntitle: A\n---\n\nAsk {{ area.lead }}; this is the {{ audience.name }} pack of {{ pack.title }}.\n",
        ),
        (
            "content/areas/north/area.toml",
            "name = \"Northshire\"\n\n[vars]\nlead = \"Jo North\"\n",
        ),
    ]);
    let pack = review(&project, &ids);
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
fn directives_are_expanded_for_every_audience_and_area() {
    let (project, ids) = project(&[
        (
            "content/01-a.md",
            "---\ntitle: A\n---\n\n::: duties\n:::\n\n::: duties all\n:::\n\n::: contacts\n:::\n",
        ),
        (
            "content/areas/north/area.toml",
            "name = \"Northshire\"\n\n[[contact]]\nname = \"Jo North\"\n",
        ),
    ]);
    let pack = review(&project, &ids);
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
        ]
    );
    assert!(found[0].1.contains("Commission safe care."));
    assert!(!found[2].1.contains("Commission safe care."));
    assert!(found[4].1.contains("Jo North"));
    // The directory lists every duty, with whose packs list it.
    let directory = text(&chapter(&pack, "role-directory").blocks);
    assert!(
        directory.contains("Commission safe care. (Good practice (no statutory basis)). For: Commissioners, Providers."),
        "{directory}"
    );
}

#[test]
fn local_text_whose_place_is_not_in_the_national_text_is_still_in_the_copy() {
    let (project, ids) = project(&[
        (
            "content/01-a.md",
            "---\ntitle: A\n---\n\n## One {#one}\n\nNational one.\n",
        ),
        ("content/areas/north/area.toml", "name = \"Northshire\"\n"),
        (
            "content/areas/north/extra.md",
            "---\ntitle: Extra\nafter: one\n---\n\n## North heading {#north-heading}\n\nNorth extra.\n",
        ),
        ("content/areas/south/area.toml", "name = \"Southshire\"\n"),
        (
            "content/areas/south/more.md",
            "---\ntitle: More\nafter: north-heading\n---\n\nSouth more.\n",
        ),
    ]);
    let mut diagnostics = Diagnostics::default();
    let pack = Resolver {
        project: &project,
        ids: &ids,
    }
    .review(&mut diagnostics);
    let all: String = pack.chapters.iter().map(|c| text(&c.blocks)).collect();
    assert!(
        all.contains("North extra.") && all.contains("South more."),
        "{all}"
    );
}
