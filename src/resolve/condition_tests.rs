//! Unit tests of conditions in resolve: what a pack keeps for some formats only, the numbers
//! it gives, and what [`Pack::for_format`] leaves to each renderer.

use std::collections::BTreeMap;

use super::{Pack, Resolver, index_ids};
use crate::diagnostic::Diagnostics;
use crate::doc::{Block, plain_text};
use crate::sources::SourceSet;

const CONFIG: &str = "[pack]\ntitle = \"T\"\npublisher = \"P\"\nversion = \"1.0.0\"\ndate = \"2020-01-01\"\nlanguage = \"en-GB\"\n\n[[audience]]\nid = \"providers\"\nname = \"Providers\"\ndescription = \"d\"\n\n[[audience]]\nid = \"commissioners\"\nname = \"Commissioners\"\ndescription = \"d\"\n";

/// The pack of `audience` (in `area`, when given) of a project of these files.
fn pack(files: &[(&str, &str)], audience: &str, area: Option<&str>) -> Pack {
    let mut texts = BTreeMap::from([("guidepack.toml".to_string(), CONFIG.to_string())]);
    for (path, text) in files {
        texts.insert(path.to_string(), text.to_string());
    }
    let sources = SourceSet {
        root: Default::default(),
        texts,
        binaries: BTreeMap::new(),
    };
    let mut d = Diagnostics::default();
    let mut project = crate::parse::parse_project(&sources, &mut d).unwrap();
    let ids = index_ids(&mut project, &mut d);
    let resolver = Resolver {
        project: &project,
        ids: &ids,
        previous: None,
        area_previous: Default::default(),
        formats: crate::render::registry().names(),
        format_labels: crate::render::registry().labels(),
    };
    let audience = project.config.audience(audience).unwrap();
    let area = area.map(|id| project.areas.iter().find(|a| a.id == id).unwrap());
    let pack = resolver.pack(audience, area, &mut d);
    assert!(!d.has_errors(), "{:?}", d.sorted());
    pack
}

/// Each block of the first chapter as a line: headings and paragraphs with their numbers.
fn lines(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Heading(h) => out.push(format!(
                "{} {}",
                h.number.as_deref().unwrap_or("#"),
                plain_text(&h.inlines)
            )),
            Block::Paragraph(p) => out.push(format!(
                "{} {}",
                p.number.as_deref().unwrap_or("-"),
                plain_text(&p.inlines)
            )),
            Block::ForFormats { formats, blocks } => {
                out.push(format!("[{}", formats.join(" ")));
                lines(blocks, out);
                out.push("]".into());
            }
            Block::Local { blocks, .. } => lines(blocks, out),
            _ => {}
        }
    }
}

fn first_chapter(pack: &Pack) -> Vec<String> {
    let mut out = Vec::new();
    lines(&pack.chapters[0].blocks, &mut out);
    out
}

const SECTIONS: &str = "---\ntitle: C\n---\n## A\n\nOne.\n\n## B {format=pdf}\n\nTwo.\n\n### B1\n\nDeeper.\n\n## C\n\nThree.\n\n::: format html\n## D\n\nFour.\n:::\n\nFive.\n";

#[test]
fn a_section_for_one_format_stays_in_the_pack_with_its_numbers() {
    let pack = pack(&[("content/01-c.md", SECTIONS)], "providers", None);
    assert_eq!(
        first_chapter(&pack),
        [
            "1.1 A",
            "- One.",
            "[pdf",
            "1.2 B",
            "- Two.",
            "1.2.1 B1",
            "- Deeper.",
            "]",
            "1.3 C",
            "- Three.",
            "[html",
            "1.4 D",
            "- Four.",
            "]",
            "- Five."
        ]
    );
}

#[test]
fn for_format_leaves_each_format_its_own_blocks_and_the_same_numbers() {
    let pack = pack(&[("content/01-c.md", SECTIONS)], "providers", None);
    let html = first_chapter(&pack.for_format("html"));
    assert_eq!(
        html,
        [
            "1.1 A", "- One.", "1.3 C", "- Three.", "1.4 D", "- Four.", "- Five."
        ]
    );
    let pdf = first_chapter(&pack.for_format("pdf"));
    assert_eq!(
        pdf,
        [
            "1.1 A",
            "- One.",
            "1.2 B",
            "- Two.",
            "1.2.1 B1",
            "- Deeper.",
            "1.3 C",
            "- Three.",
            "- Five."
        ]
    );
}

#[test]
fn for_format_borrows_a_pack_without_format_parts() {
    let plain = "---\ntitle: C\n---\nText.\n";
    let pack = pack(&[("content/01-c.md", plain)], "providers", None);
    assert!(matches!(
        pack.for_format("html"),
        std::borrow::Cow::Borrowed(_)
    ));
}

#[test]
fn chapters_and_footnotes_of_other_formats_are_dropped() {
    let files = [
        (
            "content/01-a.md",
            "---\ntitle: A\n---\nAll.[^1]\n\n::: format pdf\nPrint.[^2]\n:::\n\n[^1]: First.\n[^2]: Second.\n",
        ),
        (
            "content/02-b.md",
            "---\ntitle: B\nformats: [pdf]\n---\nPaper.\n",
        ),
        ("content/03-c.md", "---\ntitle: C\n---\nLast.\n"),
    ];
    let pack = pack(&files, "providers", None);
    let html = pack.for_format("html");
    let chapters: Vec<(&str, &str)> = (html.chapters.iter())
        .map(|c| (c.number.as_str(), c.id.as_str()))
        .collect();
    assert_eq!(chapters[..2], [("1", "a"), ("3", "c")]);
    let notes: Vec<u32> = html.chapters[0].footnotes.iter().map(|(n, _)| *n).collect();
    assert_eq!(notes, [1]);
    let pdf = pack.for_format("pdf");
    assert_eq!(pdf.chapters[1].id, "b");
    assert_eq!(pdf.chapters[0].footnotes.len(), 2);
}

#[test]
fn area_tag_and_audience_conditions_are_decided_per_pack() {
    let files = [
        (
            "content/areas/north/area.toml",
            "name = \"North\"\ntags = [\"coastal\"]\n",
        ),
        ("content/areas/south/area.toml", "name = \"South\"\n"),
        (
            "content/01-c.md",
            "---\ntitle: C\n---\n::: area tag:coastal\n::: audience providers\nCoast.\n:::\n:::\n\n## N {area=national}\n\nNational.\n\n## Z\n\nAll.\n",
        ),
    ];
    let text =
        |audience: &str, area: Option<&str>| first_chapter(&pack(&files, audience, area)).join("|");
    assert_eq!(text("providers", Some("north")), "- Coast.|1.1 Z|- All.");
    assert_eq!(text("commissioners", Some("north")), "1.1 Z|- All.");
    assert_eq!(text("providers", Some("south")), "1.1 Z|- All.");
    assert_eq!(text("providers", None), "1.1 N|- National.|1.2 Z|- All.");
}

#[test]
fn a_local_section_finds_its_target_in_a_part_for_one_format() {
    let files = [
        ("content/areas/north/area.toml", "name = \"North\"\n"),
        (
            "content/areas/north/list.md",
            "---\ntitle: Local list\nreplaces: list\n---\nLocal.\n",
        ),
        (
            "content/01-c.md",
            "---\ntitle: C\n---\n## List {#list format=pdf}\n\nNational.\n\n## After\n\nAll.\n",
        ),
    ];
    let pack = pack(&files, "providers", Some("north"));
    assert_eq!(
        first_chapter(&pack),
        [
            "[pdf",
            "1.1 Local list",
            "- Local.",
            "]",
            "1.2 After",
            "- All."
        ]
    );
}
