//! Properties: no Markdown input makes `check` or the HTML build panic; adversarial input
//! (random nesting depths, empty table cells, hostile link targets, files of every kind) is an
//! error or a correct build, never a crash, a hang or a live script.

use guidepack::build::{prepare, render_packs, resolve_every_pack};
use guidepack::diagnostic::Diagnostics;
use guidepack::sources::SourceSet;
use proptest::prelude::*;

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
        Just("{dir=rtl}\n".to_string()),
        Just("{dir=ltr x}\n".to_string()),
        Just("## Head {#r dir=rtl}\n".to_string()),
        Just("| a | b |\n|---|:-:|\n| 1 | 2 |\n".to_string()),
        Just("> [!WARNING]\n> careful\n".to_string()),
        Just("- [x] done\n".to_string()),
        Just("1. one\n".to_string()),
        Just("```\ncode\n".to_string()),
        Just("<b>html</b>".to_string()),
        Just("\n".to_string()),
        Just("---\n".to_string()),
        Just("| a | |\n|---|---|\n| | |\n| x |\n".to_string()),
        Just("| |\n|-|\n".to_string()),
        nested(),
        link_target().prop_map(|url| format!("[x]({url})")),
        link_target().prop_map(|url| format!("<{url}>")),
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

/// A container nested a random depth, up to twice the limit.
fn nested() -> impl Strategy<Value = String> {
    (0usize..4, 0usize..=2 * guidepack::doc::MAX_NESTING).prop_map(|(kind, depth)| match kind {
        0 => format!("\n{}item\n\n", "- ".repeat(depth)),
        1 => format!("\n{}quote\n\n", "> ".repeat(depth)),
        2 => format!(
            "\n{}text\n{}",
            "::: audience providers\n".repeat(depth),
            ":::\n".repeat(depth)
        ),
        _ => format!("{}w{}", "*_".repeat(depth / 2), "_*".repeat(depth / 2)),
    })
}

/// Link targets of every kind, with the tricks browsers forgive.
fn link_target() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        Just("javascript:"),
        Just("JaVaScRiPt:"),
        Just("vbscript:"),
        Just("data:text/html,"),
        Just("file:"),
        Just("https://"),
        Just("http://"),
        Just("mailto:"),
        Just("tel:"),
        Just("#"),
        Just(""),
    ];
    (scheme, "[a-z0-9()<>/.:@]{0,12}").prop_map(|(scheme, rest)| format!("{scheme}{rest}"))
}

/// The search's two script tags, the only ones a page may have (issue 16).
fn search_tags() -> String {
    format!(
        "<script defer src=\"search-index.js\"></script>\n{}",
        crate::search::SCRIPT_TAG
    )
}

/// Whether a file of a pack holds a link or source that a browser would run as script: a page
/// with a script other than the search's, or a search index that is not one JSON value.
fn has_live_script(name: &str, text: &str) -> bool {
    if name.ends_with("search.js") {
        return false;
    }
    if name.ends_with("search-index.js") {
        let json = text
            .split_once("window.guidepackSearch=")
            .and_then(|(_, rest)| rest.strip_suffix(";\n"));
        return json.is_none_or(|j| serde_json::from_str::<serde_json::Value>(j).is_err());
    }
    let lower = text.replacen(&search_tags(), "", 1).to_ascii_lowercase();
    [
        "href=\"javascript:",
        "href=\"vbscript:",
        "href=\"data:",
        "src=\"javascript:",
        "src=\"data:text",
    ]
    .iter()
    .any(|bad| lower.contains(bad))
        || lower.contains("<script")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn no_markdown_makes_check_or_build_panic(body in markdown()) {
        let mut diagnostics = Diagnostics::default();
        if let Ok(loaded) = prepare(project_with(&body), &mut diagnostics) {
            let (packs, found) = resolve_every_pack(&loaded);
            diagnostics.extend(found);
            if let Ok(files) = render_packs(&loaded, &packs, &["html"]) {
                for (name, bytes) in files.iter().flat_map(|p| &p.files) {
                    let text = String::from_utf8_lossy(bytes);
                    prop_assert!(!has_live_script(name, &text), "{} holds a live script:\n{}", name, body);
                }
            }
        }
        // Every finding has a place or is about the whole project.
        for d in diagnostics.sorted() {
            prop_assert!(d.file.is_none() || d.line > 0 || d.message.contains("file"), "{:?}", d);
        }
    }
}

/// What a project path can be on disk.
#[derive(Clone, Debug)]
enum FileKind {
    Text,
    Empty,
    NotUtf8,
    Pipe,
    LinkToFile,
    LinkToFolder,
    Folder,
}

fn file_kind() -> impl Strategy<Value = FileKind> {
    prop_oneof![
        Just(FileKind::Text),
        Just(FileKind::Empty),
        Just(FileKind::NotUtf8),
        Just(FileKind::Pipe),
        Just(FileKind::LinkToFile),
        Just(FileKind::LinkToFolder),
        Just(FileKind::Folder),
    ]
}

const PATHS: [&str; 6] = [
    "content/02-x.md",
    "content/framework/more.toml",
    "content/glossary.toml",
    "content/assets/pic.png",
    "content/areas/kent/area.toml",
    "templates/html/chapter.html",
];

fn make(root: &std::path::Path, path: &str, kind: &FileKind) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&full);
    let _ = std::fs::remove_dir_all(&full);
    match kind {
        FileKind::Text => std::fs::write(&full, "---\ntitle: X\n---\nText.\n").unwrap(),
        FileKind::Empty => std::fs::write(&full, "").unwrap(),
        FileKind::NotUtf8 => std::fs::write(&full, [0xff, 0xfe, b'a']).unwrap(),
        FileKind::Pipe => {
            let made = std::process::Command::new("mkfifo").arg(&full).status();
            assert!(
                made.is_ok_and(|s| s.success()),
                "mkfifo is part of coreutils"
            );
        }
        FileKind::LinkToFile => {
            std::os::unix::fs::symlink(root.join("guidepack.toml"), &full).unwrap()
        }
        FileKind::LinkToFolder => std::os::unix::fs::symlink(root.join("content"), &full).unwrap(),
        FileKind::Folder => std::fs::create_dir_all(&full).unwrap(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Whatever kind of thing stands at a project path, loading and checking the project ends,
    /// and anything that is not an ordinary file is named in an error.
    #[test]
    fn no_kind_of_file_makes_loading_hang_or_panic(kinds in prop::collection::vec(file_kind(), PATHS.len())) {
        let dir = tempfile::tempdir().unwrap();
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        copy(&fixture, dir.path());
        for (path, kind) in PATHS.iter().zip(&kinds) {
            make(dir.path(), path, kind);
        }
        let mut diagnostics = Diagnostics::default();
        if let Some(sources) = guidepack::sources::load(dir.path(), &mut diagnostics) {
            let _ = prepare(sources, &mut diagnostics);
        }
        let found = diagnostics.sorted();
        for (path, kind) in PATHS.iter().zip(&kinds) {
            if matches!(kind, FileKind::Pipe | FileKind::LinkToFile | FileKind::LinkToFolder) {
                prop_assert!(
                    found.iter().any(|d| d.is_error() && d.file.as_deref() == Some(*path)),
                    "{} ({:?}) is not named in an error: {:?}", path, kind, found
                );
            }
        }
    }
}

fn copy(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Found by `no_markdown_makes_check_or_build_panic`: an image whose address is not a file of
/// the project (`check` refuses it) must not reach a renderer as an address either.
#[test]
fn an_image_address_outside_the_project_never_reaches_the_html() {
    for src in [
        "data:text/html,",
        "javascript:x",
        "https://example.org/x.png",
        "/etc/x.png",
    ] {
        let body = format!("---\ntitle: Fuzz\n---\n{{{{ pack.title }}}}![x]({src})");
        let mut diagnostics = Diagnostics::default();
        let loaded = prepare(project_with(&body), &mut diagnostics).expect("the project loads");
        let (packs, _) = resolve_every_pack(&loaded);
        let files = render_packs(&loaded, &packs, &["html"]).expect("the pages render");
        for (name, bytes) in files.iter().flat_map(|p| &p.files) {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains(&format!("src=\"{src}")),
                "{name} has the image {src}"
            );
        }
    }
}
