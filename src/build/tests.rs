//! The builder fed directly: what it renders, in which order, and when it renders nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::sink::Kept;
use super::*;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Config;
use crate::output::PackFiles;
use crate::pack_id::PackId;
use crate::render::{
    Download, DownloadKind, Files, HtmlTemplates, PackRenderer, Registry, Renderer, Start,
};
use crate::resolve::Pack;

/// The minimal fixture, with `body` as a second chapter.
fn loaded(body: &str) -> Loaded {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let mut diagnostics = Diagnostics::default();
    let mut sources = crate::sources::load(&root, &mut diagnostics).unwrap();
    sources.texts.insert(
        "content/02-more.md".to_string(),
        format!("---\ntitle: More\n---\n\n{body}\n"),
    );
    prepare(sources, &mut diagnostics).ok().unwrap()
}

/// A format that counts the packs it renders; `download` makes it offer its file.
struct Counting {
    name: &'static str,
    download: Option<&'static str>,
    slow: bool,
    made: Arc<AtomicUsize>,
    /// What it was given of the downloads of earlier formats, by pack.
    seen: Arc<std::sync::Mutex<Vec<Vec<Download>>>>,
}

fn counting(name: &'static str, download: Option<&'static str>, slow: bool) -> Counting {
    Counting {
        name,
        download,
        slow,
        made: Arc::default(),
        seen: Arc::default(),
    }
}

impl Renderer for Counting {
    fn name(&self) -> &'static str {
        self.name
    }
    fn label(&self) -> &'static str {
        "Test"
    }
    fn owns(&self, rel: &str) -> bool {
        rel.ends_with(&format!(".{}", self.name))
    }
    fn download(&self) -> Option<DownloadKind> {
        self.download.map(|key| DownloadKind {
            key,
            label: "Doc",
            media_type: "application/x-doc",
            ending: "",
        })
    }
    fn slow(&self) -> bool {
        self.slow
    }
    fn names(&self, pack: &Pack, _config: &Config) -> Option<Vec<String>> {
        Some(vec![format!("{}.{}", pack.audience.id, self.name)])
    }
    fn start<'a>(&'a self, _start: &Start<'a>) -> Result<Box<dyn PackRenderer + 'a>, Diagnostic> {
        Ok(Box::new(self))
    }
}

impl PackRenderer for &Counting {
    fn render(&self, pack: &Pack, downloads: &[Download]) -> Result<Files, Vec<Diagnostic>> {
        self.made.fetch_add(1, Ordering::SeqCst);
        self.seen.lock().unwrap().push(downloads.to_vec());
        let name = format!("{}.{}", pack.audience.id, self.name);
        Ok(vec![(
            name,
            format!("{} of {}", self.name, pack.dir()).into_bytes(),
        )])
    }
}

fn plan(loaded: &Loaded, formats: &[&str]) -> Plan<'static> {
    Plan {
        packs: all_packs(&loaded.project),
        formats: formats.iter().map(|f| f.to_string()).collect(),
        pace: Pace::Batches,
        preview: None,
        cache: None,
        present: None,
    }
}

#[test]
fn nothing_is_rendered_after_a_pack_fails_to_resolve() {
    let loaded = loaded("[nowhere](#no-such-heading)");
    let first = counting("one", None, false);
    let made = first.made.clone();
    let registry = Registry::with(vec![Box::new(first)]);
    let mut kept = Kept::default();
    let outcome = run(&loaded, &plan(&loaded, &["one"]), &registry, &mut kept);
    assert!(outcome.unresolved(), "the broken link is an error");
    assert_eq!(made.load(Ordering::SeqCst), 0, "no pack was rendered");
    assert!(kept.files.is_empty(), "no pack was handed over");
    assert!(outcome.failed.is_empty());
    // Every pack was still resolved, for its messages.
    assert_eq!(outcome.found.len(), all_packs(&loaded.project).len());
}

#[test]
fn renderers_run_in_registration_order_and_later_ones_see_earlier_downloads() {
    let loaded = loaded("More text.");
    let first = counting("doc", Some("doc"), false);
    let second = counting("page", None, false);
    let seen = second.seen.clone();
    let registry = Registry::with(vec![Box::new(first), Box::new(second)]);
    let mut kept = Kept::default();
    let outcome = run(&loaded, &plan(&loaded, &[]), &registry, &mut kept);
    assert!(outcome.succeeded());
    assert!(
        kept.files.iter().all(|f| f.files.is_empty()),
        "no formats: resolved only"
    );

    let mut kept = Kept::default();
    let outcome = run(
        &loaded,
        &plan(&loaded, &["page", "doc"]),
        &registry,
        &mut kept,
    );
    assert!(outcome.succeeded());
    let packs = all_packs(&loaded.project);
    assert_eq!(outcome.packs, packs.len());
    let ids: Vec<PackId> = kept.files.iter().map(|f| f.id.clone()).collect();
    assert_eq!(ids, packs, "packs are handed over in the plan's order");
    for pack in &kept.files {
        let names: Vec<&str> = pack.files.iter().map(|(n, _)| n.as_str()).collect();
        let audience = &pack.id.audience;
        assert_eq!(
            names,
            [format!("{audience}.doc"), format!("{audience}.page")]
        );
    }
    for downloads in seen.lock().unwrap().iter() {
        let [download] = downloads.as_slice() else {
            panic!("one download: {downloads:?}")
        };
        assert_eq!(download.kind.key, "doc");
        let (name, size) = download.file.clone().expect("the doc was made first");
        assert!(name.ends_with(".doc") && size > 0);
    }

    // A build without the format that offers the download still names it, as not made.
    seen.lock().unwrap().clear();
    run(
        &loaded,
        &plan(&loaded, &["page"]),
        &registry,
        &mut Kept::default(),
    );
    let seen = seen.lock().unwrap();
    assert!(!seen.is_empty());
    assert!(seen.iter().all(|d| d.len() == 1 && d[0].file.is_none()));
}

/// Counts the preview steps.
#[derive(Default)]
struct Steps {
    added: Vec<(usize, PackFiles)>,
    previews: usize,
}

impl Sink for Steps {
    fn add(&mut self, _pack: &Pack, files: PackFiles) -> Result<(), Diagnostic> {
        self.added.push((self.previews, files));
        Ok(())
    }
    fn preview_done(
        &mut self,
        _templates: &HtmlTemplates,
        _found: &[(PackId, Vec<Diagnostic>)],
    ) -> Result<(), Diagnostic> {
        self.previews += 1;
        Ok(())
    }
}

#[test]
fn a_preview_shows_the_quick_formats_beside_the_slow_ones_of_the_last_build() {
    let loaded = loaded("More text.");
    let slow = counting("doc", Some("doc"), true);
    let quick = counting("page", None, false);
    let (slow_made, quick_made) = (slow.made.clone(), quick.made.clone());
    let quick_seen = quick.seen.clone();
    let registry = Registry::with(vec![Box::new(slow), Box::new(quick)]);
    let packs = all_packs(&loaded.project);
    let plan_with = |preview| Plan {
        packs: packs.clone(),
        formats: Vec::new(),
        pace: Pace::InTurn,
        preview,
        cache: None,
        present: None,
    };
    let formats = vec!["doc".to_string(), "page".to_string()];

    // No earlier build: no preview.
    let empty = BTreeMap::new();
    let mut steps = Steps::default();
    let plan = Plan {
        formats: formats.clone(),
        ..plan_with(Some(&empty))
    };
    let outcome = run(&loaded, &plan, &registry, &mut steps);
    assert!(outcome.succeeded() && !outcome.previewed);
    assert_eq!(steps.previews, 0);

    // With the last build's files: the quick format first, beside the old slow files.
    let published: BTreeMap<String, PackFiles> = steps
        .added
        .iter()
        .map(|(_, f)| {
            let mut old = f.clone();
            for (name, bytes) in &mut old.files {
                if name.ends_with(".doc") {
                    *bytes = b"old doc, longer than the new".to_vec();
                }
            }
            (f.dir(), old)
        })
        .collect();
    slow_made.store(0, Ordering::SeqCst);
    quick_made.store(0, Ordering::SeqCst);
    quick_seen.lock().unwrap().clear();
    let mut steps = Steps::default();
    let plan = Plan {
        formats,
        ..plan_with(Some(&published))
    };
    let outcome = run(&loaded, &plan, &registry, &mut steps);
    assert!(outcome.succeeded() && outcome.previewed);
    assert_eq!(steps.previews, 1);
    assert_eq!(slow_made.load(Ordering::SeqCst), packs.len());
    assert_eq!(quick_made.load(Ordering::SeqCst), 2 * packs.len());
    let (previewed, then): (Vec<_>, Vec<_>) = steps.added.iter().partition(|(s, _)| *s == 0);
    assert_eq!((previewed.len(), then.len()), (packs.len(), packs.len()));
    for (_, files) in previewed {
        let doc = files
            .files
            .iter()
            .find(|(n, _)| n.ends_with(".doc"))
            .unwrap();
        assert_eq!(
            doc.1, b"old doc, longer than the new",
            "the last build's file"
        );
    }
    // The preview's pages were told the old file's size, the final ones the new one's.
    let seen = quick_seen.lock().unwrap();
    let sizes: Vec<usize> = seen.iter().map(|d| d[0].file.as_ref().unwrap().1).collect();
    assert!(sizes[..packs.len()].iter().all(|s| *s == 28));
    assert!(sizes[packs.len()..].iter().all(|s| *s != 28));
}

#[test]
fn indexing_the_same_project_again_gives_the_same_ids() {
    let loaded = loaded("## Same\n\n## Same\n\n## Contents\n");
    let Loaded {
        sources, project, ..
    } = loaded;
    let ids = |project: &crate::model::Project| {
        let mut found = Vec::new();
        for chapter in &project.chapters {
            crate::resolve::for_each_heading(&chapter.nodes, &mut |b| {
                if let crate::doc::Block::Heading(h) = b {
                    found.push(h.id.clone());
                }
            });
        }
        found
    };
    let first = ids(&project);
    assert_eq!(first, ["same", "same-2", "contents-2"]);
    let again = index(sources, project, None, None, &mut Diagnostics::default());
    assert_eq!(ids(&again.project), first);
}
