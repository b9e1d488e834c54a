//! Properties: no Markdown input makes `check` or the HTML build panic.

use guidepack::diagnostic::Diagnostics;
use guidepack::pipeline::{Format, Pace, prepare, render_packs, resolve_every_pack};
use guidepack::sources::SourceSet;
use proptest::prelude::*;

fn engine() -> &'static guidepack::render::pdf_engine::PdfEngine {
    static ENGINE: std::sync::OnceLock<guidepack::render::pdf_engine::PdfEngine> =
        std::sync::OnceLock::new();
    ENGINE.get_or_init(guidepack::render::pdf::engine)
}

fn project_with(body: &str) -> SourceSet {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let mut diagnostics = Diagnostics::default();
    let mut sources = guidepack::sources::load(&root, &mut diagnostics).unwrap();
    sources
        .texts
        .insert("content/02-fuzz.md".to_string(), body.to_string());
    sources
}

/// Fragments that exercise every construct, mixed with arbitrary text.
fn markdown() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("::: audience providers\n".to_string()),
        Just("::: audience not commissioners\n".to_string()),
        Just(":::\n".to_string()),
        Just("::: duties\n".to_string()),
        Just("::: role ccg\n".to_string()),
        Just("::: glossary\n".to_string()),
        Just("{{ pack.title }}".to_string()),
        Just("{{ area.lead }}".to_string()),
        Just("{{".to_string()),
        Just("\\{{".to_string()),
        Just("[x](#intro)".to_string()),
        Just("[x](role:ccg)".to_string()),
        Just("![alt](assets/dot.png)".to_string()),
        Just("[^1]".to_string()),
        Just("[^1]: note\n".to_string()),
        Just("## Head {#h audience=providers}\n".to_string()),
        Just("| a | b |\n|---|:-:|\n| 1 | 2 |\n".to_string()),
        Just("> [!WARNING]\n> careful\n".to_string()),
        Just("- [x] done\n".to_string()),
        Just("1. one\n".to_string()),
        Just("```\ncode\n".to_string()),
        Just("<b>html</b>".to_string()),
        Just("\n".to_string()),
        Just("---\n".to_string()),
        "\\PC{0,12}",
    ];
    (prop::collection::vec(fragment, 0..24), any::<bool>()).prop_map(|(parts, front)| {
        let body = parts.concat();
        if front {
            format!("---\ntitle: Fuzz\n---\n{body}")
        } else {
            body
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn no_markdown_makes_check_or_build_panic(body in markdown()) {
        let mut diagnostics = Diagnostics::default();
        if let Ok(loaded) = prepare(project_with(&body), &mut diagnostics) {
            let (packs, found) = resolve_every_pack(&loaded);
            diagnostics.extend(found);
            let _ = render_packs(&loaded, &packs, &[Format::Html], engine(), Pace::Batches);
        }
        // Every finding has a place or is about the whole project.
        for d in diagnostics.sorted() {
            prop_assert!(d.file.is_none() || d.line > 0 || d.message.contains("file"), "{:?}", d);
        }
    }
}
