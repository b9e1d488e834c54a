//! The PDF path: every construct's text reaches the PDF, arbitrary text survives escaping,
//! every CommonMark example compiles, rebuilds are byte-identical, and the PDF is tagged with
//! its title and language. Checks that read PDFs need `pdftotext`/`pdfinfo` (poppler-utils);
//! without them they say so and skip, except in CI, where a missing tool fails.

use std::process::Command;
use std::sync::OnceLock;

use guidepack::build::{Loaded, prepare};
use guidepack::diagnostic::{Diagnostics, LineIndex};
use guidepack::doc::{Block, Image, Inline, Paragraph};
use guidepack::render::pdf;
use guidepack::render::pdf_engine::PdfEngine;
use guidepack::resolve::{Pack, PackChapter};
use proptest::prelude::*;

use crate::harness::Project;

fn tool(name: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    crate::harness::required_tool(found, name, "poppler-utils")
}

/// The text of a PDF, whitespace folded, or `None` without pdftotext.
fn pdf_text(bytes: &[u8]) -> Option<String> {
    if !tool("pdftotext") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    Some(
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn minimal() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let mut diagnostics = Diagnostics::default();
        let sources = guidepack::sources::load(&root, &mut diagnostics).unwrap();
        prepare(sources, &mut diagnostics).ok().unwrap()
    })
}

fn engine() -> &'static PdfEngine {
    static ENGINE: OnceLock<PdfEngine> = OnceLock::new();
    ENGINE.get_or_init(pdf::engine)
}

/// A pack of the given chapters' blocks, compiled.
fn compile(chapters: Vec<Vec<Block>>) -> Result<Vec<u8>, Vec<guidepack::diagnostic::Diagnostic>> {
    let loaded = minimal();
    let pack = Pack {
        audience: loaded.project.config.audiences[0].clone(),
        area: None,
        chapters: chapters
            .into_iter()
            .enumerate()
            .map(|(i, blocks)| PackChapter {
                id: format!("c{i}"),
                number: (i + 1).to_string(),
                title: format!("Chapter {}", i + 1),
                language: None,
                summary: None,
                draft: false,
                file: Some(format!("content/c{i}.md")),
                blocks,
                footnotes: Vec::new(),
                formats: None,
            })
            .collect(),
        reviewer_copy: false,
    };
    pdf::render(&pack, &loaded.project.config, &loaded.sources, engine())
}

fn paragraph(text: &str) -> Block {
    Block::Paragraph(Paragraph {
        inlines: vec![Inline::Text(text.to_string())],
        pos: Default::default(),
        number: None,
    })
}

/// Every character that means something in Typst markup, and some that are not ASCII.
const AWKWARD: &str = "# $ * _ < > @ \\ = - + / ~ [ ] ' \" . ; : ( ) { } | ^ % & ! ? -- --- ... // /* */ \\u{41} #set text(red) $x^2$ <label> @ref http://x.org 1. 2) - + = Ŵ ŵ Ŷ ŷ £ € – — “” ‘’";

#[test]
fn special_characters_survive_into_the_pdf() {
    let pdf = compile(vec![vec![paragraph(AWKWARD)]]).expect("compiles");
    let Some(text) = pdf_text(&pdf) else { return };
    let wanted: String = AWKWARD.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains(&wanted), "wanted\n{wanted}\ngot\n{text}");
}

/// pdftotext merges a spacing grave accent with the letter beside it (poppler treats it as a
/// diacritic), so the backtick is checked alone.
#[test]
fn backticks_survive_into_the_pdf() {
    let pdf = compile(vec![vec![paragraph("before ` after")]]).expect("compiles");
    let Some(text) = pdf_text(&pdf) else { return };
    assert!(
        text.contains("before `") || text.contains("before\u{300}"),
        "{text}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_always_compiles_and_survives(text in "[ -_a-~ŵŷŴŶ£–—€]{1,80}") {
        let pdf = compile(vec![vec![paragraph(&text)]]);
        prop_assert!(pdf.is_ok(), "{:?}", pdf.err());
        if let Some(out) = pdf_text(&pdf.unwrap()) {
            // Lines wrap where the PDF has room, so compare without white space; pdftotext
            // drops a hyphen that ends a line (it takes it for a word broken in two), so
            // hyphens are left out too (the hyphen itself is checked in the test above).
            let squash = |s: &str| {
                s.chars()
                    .filter(|c| !c.is_whitespace() && *c != '-')
                    .collect::<String>()
            };
            prop_assert!(squash(&out).contains(&squash(&text)), "wanted {:?} in {:?}", text, out);
        }
    }
}

#[test]
fn every_commonmark_example_compiles() {
    let data: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("data/commonmark-spec-0.31.2.json")).unwrap();
    assert_eq!(data.len(), 652);
    let mut chapters = Vec::new();
    for example in &data {
        let markdown = example["markdown"].as_str().unwrap();
        let index = LineIndex::new(markdown);
        let mut diagnostics = Diagnostics::default();
        let parsed = guidepack::parse::parse_markdown(
            markdown,
            0,
            "example.md",
            &index,
            &[],
            &mut diagnostics,
        );
        let mut blocks: Vec<Block> = parsed.blocks.into_iter().map(|(_, b)| b).collect();
        // Images must be project files: point every one at the fixture's image.
        guidepack::doc::visit_inlines_mut(&mut blocks, &mut |inlines| point_images(inlines));
        chapters.push(blocks);
    }
    // Each example compiles, or (for the few in scripts that no embedded font has) fails with
    // the content error that names the text; never with an internal error.
    let mut unprintable = 0;
    for (batch, group) in chapters.chunks(163).enumerate() {
        if compile(group.to_vec()).is_ok() {
            continue;
        }
        for (i, example) in group.iter().enumerate() {
            if let Err(errors) = compile(vec![example.clone()]) {
                for e in &errors {
                    let number = batch * 163 + i + 1;
                    assert!(
                        e.message.contains("cannot be shown in the PDF") && e.file.is_some(),
                        "example {number}: {e:?}"
                    );
                }
                unprintable += errors.len();
            }
        }
    }
    assert!(
        unprintable < 10,
        "{unprintable} characters could not be shown"
    );
}

fn point_images(inlines: &mut Vec<Inline>) {
    for inline in inlines {
        match inline {
            Inline::Image(Image { src, alt, .. }) => {
                *src = "content/assets/dot.png".to_string();
                if alt.is_empty() {
                    *alt = "image".to_string();
                }
            }
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => point_images(c),
            Inline::Link(l) => point_images(&mut l.children),
            _ => {}
        }
    }
}

#[test]
fn every_construct_reaches_the_pdf() {
    let p = Project::minimal().chapter(
        "02-every.md",
        "title: Everything\nsummary: A tour of every construct.",
        "## Heading two {#h2}\n\nPara with *emph*, **strong**, ~~struck~~, `code`, a [link](https://example.org), an [internal link](#h2), a CCG and a note[^n].\n\n\
         [^n]: The footnote text.\n\n\
         1. first ordered\n2. second ordered\n   - nested bullet\n\n\
         Between lists.\n\n\
         5. starts at five\n\n\
         - [x] done task\n- [ ] open task\n\n\
         > A block quote.\n\n\
         > [!WARNING]\n> A warning callout.\n\n\
         ```\ncode block line\n```\n\n\
         | Left | Right |\n|:-----|------:|\n| cell one | cell two |\n\n\
         ![A blue square](assets/dot.png)\n\n\
         Line one  \nline two after a hard break.\n\n\
         <b>raw html</b>\n\n\
         ***\n\n\
         ::: duties\nTable 9: The duties\n:::\n\n::: role trust\n:::\n",
    );
    p.run(&["build", "--format", "pdf", "--audience", "providers"])
        .expect(0);
    let pdf = std::fs::read(
        p.path()
            .join("output/2.0.0/providers/test-pack-providers-2.0.0.pdf"),
    )
    .unwrap();
    let Some(text) = pdf_text(&pdf) else { return };
    for wanted in [
        "Test pack",
        "Providers",
        "Version 2.0.0",
        "28 March 2013",
        "Everything",
        "A tour of every construct.",
        "Heading two",
        "emph",
        "strong",
        "struck",
        "code",
        "internal link",
        "CCG (clinical commissioning group)",
        "The footnote text.",
        "first ordered",
        "nested bullet",
        "starts at five",
        "done task",
        "open task",
        "A block quote.",
        "Warning",
        "A warning callout.",
        "code block line",
        "cell one",
        "cell two",
        "line two after a hard break.",
        "raw html",
        "Table 9: The duties",
        "Train staff in safeguarding.",
        "Provider trust",
        "Directory of roles",
    ] {
        assert!(
            text.contains(wanted),
            "{wanted:?} is missing from the PDF text:\n{text}"
        );
    }
}

#[test]
fn rebuilds_are_byte_identical_and_pdfs_are_tagged() {
    let p = Project::minimal();
    p.run(&["build", "--format", "pdf"]).expect(0);
    let path = p
        .path()
        .join("output/2.0.0/commissioners/test-pack-commissioners-2.0.0.pdf");
    let first = std::fs::read(&path).unwrap();
    std::fs::remove_dir_all(p.path().join("output")).unwrap();
    p.run(&["build", "--format", "pdf"]).expect(0);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        first,
        "same input, same bytes"
    );
    if !tool("pdfinfo") {
        return;
    }
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
            .unwrap_or_default()
    };
    assert_eq!(field("Tagged:"), "yes", "{info}");
    assert_eq!(field("Title:"), "Test pack – Commissioners", "{info}");
    assert!(
        field("CreationDate:").starts_with("Thu Mar 28 00:00:00 2013"),
        "{info}"
    );
    let meta = Command::new("pdfinfo")
        .arg("-meta")
        .arg(&path)
        .output()
        .unwrap();
    let meta = String::from_utf8_lossy(&meta.stdout);
    assert!(
        meta.contains("en-GB"),
        "the language is in the metadata: {meta}"
    );
    assert!(
        meta.contains("pdfuaid:part") || meta.contains("pdfuaid"),
        "PDF/UA-1 is declared: {meta}"
    );
}
