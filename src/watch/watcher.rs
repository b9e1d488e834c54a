//! File-system events for watch mode: notify's watcher over the project's own files only
//! (`guidepack.toml`, `content/`, `templates/`, `releases/`), debounced into settled batches
//! of touched paths, so that an atomic save, a checkout of a hundred files or a deleted and
//! re-created file each give one rebuild.
//!
//! The debouncing is done here rather than by notify-debouncer-full: a batch ends when the
//! whole project has been quiet for [`QUIET`], which groups a burst across many files as well
//! as per-file debouncing does, costs the save that starts a rebuild only those milliseconds
//! (the debouncer's per-path timeout and tick, plus the wait for the rest of a burst, came to
//! some 30), and wakes nobody while nothing happens.

use crate::diagnostic::Diagnostic;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{EventKind, MetadataKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// How long the project must be quiet after an event before the batch is settled: an editor's
/// save (temporary file, rename) or a checkout writes its files closer together than this.
const QUIET: Duration = Duration::from_millis(10);
/// The longest a burst may hold a rebuild back.
const SETTLE_LIMIT: Duration = Duration::from_secs(2);

type EventResult = notify::Result<notify::Event>;

/// The folders of a project that are watched, recursively, when they exist.
const FOLDERS: [&str; 3] = ["content", "templates", "releases"];

/// The paths touched since the last batch.
#[derive(Debug, Default)]
pub struct Batch {
    /// Project-relative paths with `/` separators.
    pub paths: BTreeSet<String>,
    /// Events may have been lost: every file must be read again.
    pub rescan: bool,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }
}

/// Watches a project.
pub struct ProjectWatcher {
    watcher: RecommendedWatcher,
    events: Receiver<EventResult>,
    /// The project root as the events name it.
    root: PathBuf,
    /// The output folder, whose events are never changes.
    out: PathBuf,
    /// The folders under watch.
    watched: BTreeSet<&'static str>,
}

impl ProjectWatcher {
    /// Starts watching; a message for the user when the system refuses.
    pub fn start(root: &Path, out: &Path) -> Result<Self, Diagnostic> {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let out = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
        let (sender, events) = channel();
        let watcher = notify::recommended_watcher(sender).map_err(|err| {
            Diagnostic::error(format!("cannot watch the project for changes: {err}"))
        })?;
        let mut watcher = ProjectWatcher {
            watcher,
            events,
            root,
            out,
            watched: BTreeSet::new(),
        };
        watcher
            .watcher
            .watch(&watcher.root, RecursiveMode::NonRecursive)
            .map_err(|err| {
                Diagnostic::error(format!(
                    "cannot watch `{}` for changes: {err}",
                    watcher.root.display()
                ))
            })?;
        watcher.watch_folders()?;
        Ok(watcher)
    }

    /// Watches the project folders that exist and are not watched yet; the ones it added.
    fn watch_folders(&mut self) -> Result<Vec<&'static str>, Diagnostic> {
        let mut added = Vec::new();
        for folder in FOLDERS {
            let path = self.root.join(folder);
            if self.watched.contains(folder) || !path.is_dir() {
                continue;
            }
            self.watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|err| {
                    Diagnostic::error(format!(
                        "cannot watch `{}` for changes: {err}",
                        path.display()
                    ))
                })?;
            self.watched.insert(folder);
            added.push(folder);
        }
        Ok(added)
    }

    /// Waits up to `timeout` for changes, then gathers every event until the project is quiet.
    pub fn next_batch(&mut self, timeout: Duration) -> Batch {
        let mut batch = Batch::default();
        match self.events.recv_timeout(timeout) {
            Ok(result) => self.add(&mut batch, result),
            Err(RecvTimeoutError::Timeout) => return batch,
            Err(RecvTimeoutError::Disconnected) => {
                batch.rescan = true;
                return batch;
            }
        }
        let start = Instant::now();
        while start.elapsed() < SETTLE_LIMIT {
            match self.events.recv_timeout(QUIET) {
                Ok(result) => self.add(&mut batch, result),
                Err(_) => break,
            }
        }
        self.forget_vanished_folders(&batch);
        if let Ok(added) = self.watch_folders() {
            // A project folder that appeared: what was written in it before the watch began
            // has no events of its own.
            batch.paths.extend(added.iter().map(|f| f.to_string()));
        }
        batch
    }

    fn add(&self, batch: &mut Batch, result: EventResult) {
        let Ok(event) = result else {
            batch.rescan = true;
            return;
        };
        if event.need_rescan() {
            batch.rescan = true;
        }
        if !changes_content(&event.kind) {
            return;
        }
        for path in &event.paths {
            if let Some(rel) = self.relative(path) {
                batch.paths.insert(rel);
            }
        }
    }

    /// A project folder that was removed (or removed and made again) is no longer watched by
    /// the system: it is watched afresh if it is there.
    fn forget_vanished_folders(&mut self, batch: &Batch) {
        for folder in FOLDERS {
            if self.watched.contains(folder) && batch.paths.contains(folder) {
                let _ = self.watcher.unwatch(&self.root.join(folder));
                self.watched.remove(folder);
            }
        }
        let root = self.root.clone();
        self.watched.retain(|folder| root.join(folder).is_dir());
    }

    /// The project-relative form of an event's path; `None` for the root itself, the output
    /// folder and paths outside the project.
    fn relative(&self, path: &Path) -> Option<String> {
        if path.starts_with(&self.out) {
            return None;
        }
        let rel = path.strip_prefix(&self.root).ok()?;
        let parts: Vec<&str> = rel
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect::<Option<_>>()?;
        (!parts.is_empty()).then(|| parts.join("/"))
    }
}

/// Whether an event can change what a file holds: reading a file (as every build does) or a
/// new access time changes nothing, and must not start a rebuild.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(meta)) => !matches!(
            meta,
            MetadataKind::AccessTime | MetadataKind::Extended | MetadataKind::Ownership
        ),
        _ => true,
    }
}
