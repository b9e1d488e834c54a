//! The watch session fed with changes directly (issue 13): a `watch::Session` opened on a
//! fixture copy, files changed on disk, then `rebuild` called with the `Change`s a watcher
//! would report. No watcher, no sleeps, no timing: which packs each kind of change rebuilds,
//! what the listener hears, that a failed build keeps the last good output, and that the fix
//! rebuilds.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use guidepack::build::{BuildOptions, Selection};
use guidepack::watch::{Change, ChangeKind, Rebuild, Session, Update};

use crate::harness::Project;

/// What the listener heard, owned.
#[derive(Debug, PartialEq)]
enum Heard {
    Published {
        paths: Vec<String>,
        all: bool,
        warnings: Vec<String>,
    },
    Failed {
        messages: Vec<String>,
        text: String,
    },
}

/// A session on a project, with what its listener heard since the last look.
struct Watched {
    project: Project,
    session: Session,
    heard: Vec<Heard>,
}

const NATIONAL: [&str; 3] = ["commissioners", "local-authorities", "providers"];
const NORTH: [&str; 3] = [
    "areas/north/commissioners",
    "areas/north/local-authorities",
    "areas/north/providers",
];

/// The minimal project with a commissioners' chapter and an area with a local section.
fn project() -> Project {
    Project::minimal()
        .chapter(
            "02-comm.md",
            "title: Commissioning\naudiences: [commissioners]",
            "## Contracts {#contracts}\n\nFor commissioners.\n",
        )
        .file("content/areas/north/area.toml", "name = \"Northshire\"\n")
        .file(
            "content/areas/north/local.md",
            "---\ntitle: In Northshire\nafter: intro\n---\nLocal text.\n",
        )
}

impl Watched {
    /// Opens a session (HTML only, national and every area's packs) and builds once.
    fn open(project: Project) -> Self {
        Self::open_with(
            project,
            vec!["html".to_string()],
            Selection {
                all_areas: true,
                ..Selection::default()
            },
        )
    }

    fn open_with(project: Project, formats: Vec<String>, selection: Selection) -> Self {
        let options = BuildOptions {
            selection,
            formats,
            ..BuildOptions::default()
        };
        let session = Session::open(
            PathBuf::from(project.path()),
            &options,
            Arc::new(RwLock::new(())),
        )
        .unwrap_or_else(|d| panic!("cannot open: {d:?}"));
        let mut watched = Watched {
            project,
            session,
            heard: Vec::new(),
        };
        let first = watched.rebuild(&[]);
        assert!(first.failed.is_none(), "{:?}", first.failed);
        watched.heard.clear();
        watched
    }

    /// Rebuilds after these changes (each path with its kind), recording what is heard.
    fn rebuild(&mut self, changes: &[(&str, ChangeKind)]) -> Rebuild {
        let changes: Vec<Change> = changes
            .iter()
            .map(|(path, kind)| Change {
                path: path.to_string(),
                kind: kind.clone(),
            })
            .collect();
        let heard = &mut self.heard;
        self.session
            .rebuild(&changes, false, &mut |update| heard.push(owned(update)))
    }

    /// Writes a file, then rebuilds with the change a watcher would report for it.
    fn save(&mut self, path: &str, text: &str, kind: ChangeKind) -> Rebuild {
        self.project.write_bytes(path, text.as_bytes());
        self.rebuild(&[(path, kind)])
    }

    fn page(&self, pack: &str, page: &str) -> String {
        self.project.read(&format!("output/2.0.0/{pack}/{page}"))
    }
}

fn owned(update: Update<'_>) -> Heard {
    match update {
        Update::Published {
            paths,
            all,
            warnings,
            ..
        } => Heard::Published {
            paths: paths.to_vec(),
            all,
            warnings: warnings.iter().map(|d| d.message.clone()).collect(),
        },
        Update::Failed {
            diagnostics, text, ..
        } => Heard::Failed {
            messages: diagnostics.iter().map(|d| d.message.clone()).collect(),
            text: text.to_string(),
        },
    }
}

/// The packs a rebuild made, sorted.
fn packs(rebuild: &Rebuild) -> Vec<String> {
    let mut packs = rebuild.packs.clone();
    packs.sort();
    packs
}

fn every_pack() -> Vec<String> {
    let mut all: Vec<String> = NATIONAL
        .iter()
        .chain(&NORTH)
        .map(|s| s.to_string())
        .collect();
    all.sort();
    all
}

#[test]
fn the_first_build_makes_every_selected_pack() {
    let project = project();
    let options = BuildOptions {
        selection: Selection {
            all_areas: true,
            ..Selection::default()
        },
        formats: vec!["html".to_string()],
        ..BuildOptions::default()
    };
    let mut session = Session::open(
        PathBuf::from(project.path()),
        &options,
        Arc::new(RwLock::new(())),
    )
    .unwrap();
    let mut heard = Vec::new();
    let first = session.rebuild(&[], false, &mut |u| heard.push(owned(u)));
    assert_eq!(packs(&first), every_pack());
    assert!(first.failed.is_none());
    assert!(
        matches!(&heard[..], [Heard::Published { all: true, .. }]),
        "{heard:?}"
    );
    assert!(project.exists("output/2.0.0/areas/north/providers/index.html"));
    // Nothing changed since: nothing is rebuilt.
    let again = session.rebuild(&[], false, &mut |_| {});
    assert_eq!(packs(&again), Vec::<String>::new());
}

#[test]
fn a_chapter_change_rebuilds_the_packs_of_its_audiences_only() {
    let mut w = Watched::open(project());
    let rebuild = w.save(
        "content/02-comm.md",
        "---\ntitle: Commissioning\naudiences: [commissioners]\n---\n## Contracts {#contracts}\n\nChanged for commissioners.\n",
        ChangeKind::Chapter,
    );
    assert!(rebuild.failed.is_none(), "{:?}", rebuild.failed);
    assert_eq!(
        packs(&rebuild),
        ["areas/north/commissioners", "commissioners"]
    );
    assert!(
        w.page("commissioners", "comm.html")
            .contains("Changed for commissioners.")
    );
    // The listener hears the pages that changed, not every page.
    assert_eq!(
        w.heard,
        [Heard::Published {
            paths: vec![
                "/2.0.0/areas/north/commissioners/all.html".to_string(),
                "/2.0.0/areas/north/commissioners/comm.html".to_string(),
                // The search index holds the changed text (issue 16).
                "/2.0.0/areas/north/commissioners/search-index.js".to_string(),
                "/2.0.0/commissioners/all.html".to_string(),
                "/2.0.0/commissioners/comm.html".to_string(),
                "/2.0.0/commissioners/search-index.js".to_string(),
            ],
            all: false,
            warnings: vec![],
        }]
    );
}

#[test]
fn a_chapter_for_every_audience_rebuilds_every_pack() {
    let mut w = Watched::open(project());
    let rebuild = w.save(
        "content/01-intro.md",
        "---\ntitle: Introduction\n---\n\nIntro text, changed.\n",
        ChangeKind::Chapter,
    );
    assert_eq!(packs(&rebuild), every_pack());
}

#[test]
fn a_chapter_moved_to_another_audience_rebuilds_the_old_and_the_new_packs() {
    let mut w = Watched::open(project());
    let rebuild = w.save(
        "content/02-comm.md",
        "---\ntitle: Commissioning\naudiences: [providers]\n---\n## Contracts {#contracts}\n\nNow for providers.\n",
        ChangeKind::Chapter,
    );
    assert_eq!(
        packs(&rebuild),
        [
            "areas/north/commissioners",
            "areas/north/providers",
            "commissioners",
            "providers"
        ]
    );
    assert!(!w.project.exists("output/2.0.0/commissioners/comm.html"));
    assert!(
        w.page("providers", "comm.html")
            .contains("Now for providers.")
    );
}

#[test]
fn a_removed_chapter_rebuilds_the_packs_it_was_in_and_its_pages_go() {
    let mut w = Watched::open(project());
    std::fs::remove_file(w.project.path().join("content/02-comm.md")).unwrap();
    let rebuild = w.rebuild(&[("content/02-comm.md", ChangeKind::Chapter)]);
    assert!(rebuild.failed.is_none(), "{:?}", rebuild.failed);
    // Its heading id is gone from the text, so links anywhere may change: every pack.
    assert_eq!(packs(&rebuild), every_pack());
    assert!(!w.project.exists("output/2.0.0/commissioners/comm.html"));
    assert!(w.project.exists("output/2.0.0/commissioners/intro.html"));
}

#[test]
fn a_new_heading_id_rebuilds_every_pack() {
    let mut w = Watched::open(project());
    let rebuild = w.save(
        "content/02-comm.md",
        "---\ntitle: Commissioning\naudiences: [commissioners]\n---\n## Contracts {#contracts}\n\nText.\n\n## Tenders {#tenders}\n\nMore.\n",
        ChangeKind::Chapter,
    );
    assert_eq!(packs(&rebuild), every_pack());
    assert!(
        matches!(&w.heard[..], [Heard::Published { all: true, .. }]),
        "{:?}",
        w.heard
    );
}

#[test]
fn an_area_change_rebuilds_that_areas_packs_only() {
    let mut w = Watched::open(project());
    let rebuild = w.save(
        "content/areas/north/local.md",
        "---\ntitle: In Northshire\nafter: intro\n---\nLocal text, changed.\n",
        ChangeKind::Area("north".into()),
    );
    assert!(rebuild.failed.is_none(), "{:?}", rebuild.failed);
    assert_eq!(packs(&rebuild), NORTH);
    assert!(
        w.page("areas/north/providers", "local.html")
            .contains("Local text, changed.")
    );
}

#[test]
fn a_new_area_is_built_and_others_are_not() {
    let mut w = Watched::open(project());
    w.project
        .write_bytes("content/areas/south/area.toml", b"name = \"Southshire\"\n");
    let rebuild = w.rebuild(&[("content/areas/south", ChangeKind::Area("south".into()))]);
    assert_eq!(
        packs(&rebuild),
        [
            "areas/south/commissioners",
            "areas/south/local-authorities",
            "areas/south/providers"
        ]
    );
    assert!(
        w.project
            .exists("output/2.0.0/areas/south/providers/index.html")
    );
}

#[test]
fn a_configuration_change_rebuilds_every_pack() {
    let mut w = Watched::open(project());
    let config = w
        .project
        .read("guidepack.toml")
        .replace("the national lead", "the new national lead");
    let rebuild = w.save("guidepack.toml", &config, ChangeKind::Config);
    assert_eq!(packs(&rebuild), every_pack());
    assert!(
        matches!(&w.heard[..], [Heard::Published { all: true, .. }]),
        "{:?}",
        w.heard
    );
}

#[test]
fn a_template_change_rebuilds_every_pack_with_it() {
    let mut w = Watched::open(project());
    let built_in = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/html/chapter.html"),
    )
    .unwrap();
    let template = built_in.replacen(
        "<div class=\"gp-prose\">",
        "<div class=\"gp-prose\"><!-- a project's own chapter template -->",
        1,
    );
    assert_ne!(template, built_in);
    let rebuild = w.save(
        "templates/html/chapter.html",
        &template,
        ChangeKind::Template,
    );
    assert!(rebuild.failed.is_none(), "{:?}", rebuild.failed);
    assert_eq!(packs(&rebuild), every_pack());
    assert!(
        w.page("areas/north/local-authorities", "intro.html")
            .contains("a project's own chapter template")
    );
}

#[test]
fn a_failed_build_keeps_the_last_good_output_and_the_fix_rebuilds() {
    let mut w = Watched::open(project());
    let before = w.project.output_files();
    let broken = w.save(
        "content/02-comm.md",
        "---\ntitle: Commissioning\naudiences: [commissioners]\n---\n::: audience providers\nNever closed.\n",
        ChangeKind::Chapter,
    );
    assert_eq!(packs(&broken), Vec::<String>::new());
    let text = broken.failed.expect("the build fails");
    assert!(
        text.contains("error: this audience block is never closed\n --> content/02-comm.md:5:1"),
        "{text}"
    );
    assert_eq!(
        w.project.output_files(),
        before,
        "the last good output stays"
    );
    match &w.heard[..] {
        [Heard::Failed { messages, text }] => {
            assert_eq!(messages, &["this audience block is never closed"]);
            assert!(text.contains("content/02-comm.md:5:1"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    w.heard.clear();

    // Another change while broken: still failing, still the same output.
    let still = w.save(
        "content/01-intro.md",
        "---\ntitle: Introduction\n---\n\nIntro, changed while broken.\n",
        ChangeKind::Chapter,
    );
    assert!(still.failed.is_some());
    assert_eq!(w.project.output_files(), before);
    w.heard.clear();

    // The fix rebuilds what changed while it was broken, both chapters.
    let fixed = w.save(
        "content/02-comm.md",
        "---\ntitle: Commissioning\naudiences: [commissioners]\n---\n## Contracts {#contracts}\n\nFixed.\n",
        ChangeKind::Chapter,
    );
    assert!(fixed.failed.is_none(), "{:?}", fixed.failed);
    assert_eq!(packs(&fixed), every_pack());
    assert!(w.page("commissioners", "comm.html").contains("Fixed."));
    assert!(
        w.page("providers", "intro.html")
            .contains("Intro, changed while broken.")
    );
    assert!(
        matches!(&w.heard[..], [Heard::Published { .. }]),
        "{:?}",
        w.heard
    );
}

#[test]
fn an_unusable_configuration_fails_and_its_fix_rebuilds_everything() {
    let mut w = Watched::open(project());
    let before = w.project.output_files();
    let good = w.project.read("guidepack.toml");
    let broken = w.save("guidepack.toml", "[pack\n", ChangeKind::Config);
    assert!(broken.failed.is_some());
    assert!(
        matches!(&w.heard[..], [Heard::Failed { .. }]),
        "{:?}",
        w.heard
    );
    assert_eq!(w.project.output_files(), before);
    let fixed = w.save("guidepack.toml", &good, ChangeKind::Config);
    assert!(fixed.failed.is_none(), "{:?}", fixed.failed);
    assert_eq!(packs(&fixed), every_pack());
}

#[test]
fn warnings_are_reported_and_kept_for_the_packs_not_rebuilt() {
    let mut w = Watched::open(project());
    let rebuild = w.save(
        "content/02-comm.md",
        "---\ntitle: Commissioning\naudiences: [commissioners]\n---\n## Contracts {#contracts}\n\nThe LSCB meets.\n",
        ChangeKind::Chapter,
    );
    let warned = "`LSCB` looks like an acronym, but the glossary does not explain it";
    assert_eq!(
        rebuild
            .warnings
            .iter()
            .map(|d| d.message.as_str())
            .collect::<Vec<_>>(),
        [warned]
    );
    assert!(
        rebuild.warnings_text.contains("content/02-comm.md:7:5"),
        "{}",
        rebuild.warnings_text
    );
    match &w.heard[..] {
        [Heard::Published { warnings, .. }] => assert_eq!(warnings, &[warned]),
        other => panic!("{other:?}"),
    }
    // A rebuild of the area's packs only still serves the warning of the others.
    w.heard.clear();
    w.save(
        "content/areas/north/local.md",
        "---\ntitle: In Northshire\nafter: intro\n---\nLocal text again.\n",
        ChangeKind::Area("north".into()),
    );
    match &w.heard[..] {
        [Heard::Published { warnings, .. }] => assert_eq!(warnings, &[warned]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_html_goes_in_first_beside_the_previous_pdf() {
    let project = Project::minimal();
    let mut w = Watched::open_with(
        project,
        vec!["html".to_string(), "pdf".to_string()],
        Selection {
            audiences: vec!["providers".into()],
            ..Selection::default()
        },
    );
    let pdf_name = |w: &Watched| -> String {
        let files: BTreeMap<String, Vec<u8>> = w.project.output_files();
        files
            .keys()
            .find(|k| k.starts_with("2.0.0/providers/") && k.ends_with(".pdf"))
            .cloned()
            .expect("a PDF")
    };
    let name = pdf_name(&w);
    let rebuild = w.save(
        "content/01-intro.md",
        "---\ntitle: Introduction\n---\n\nIntro text, changed.\n",
        ChangeKind::Chapter,
    );
    assert!(rebuild.failed.is_none(), "{:?}", rebuild.failed);
    assert_eq!(packs(&rebuild), ["providers"]);
    assert!(
        rebuild
            .preview
            .as_ref()
            .is_some_and(|(_, quick, slow)| quick == &["html"] && slow == &["pdf"]),
        "the HTML was published before the PDF"
    );
    // Heard twice: the HTML with the previous PDF, then the new PDF.
    assert_eq!(w.heard.len(), 2, "{:?}", w.heard);
    match &w.heard[1] {
        Heard::Published { paths, .. } => {
            assert!(paths.contains(&format!("/{name}")), "{paths:?}")
        }
        other => panic!("{other:?}"),
    }
    assert!(
        w.page("providers", "intro.html")
            .contains("Intro text, changed.")
    );
}
