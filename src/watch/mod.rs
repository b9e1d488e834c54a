//! Watch mode's library: build once, then rebuild what each change affects.
//!
//! [`watcher`] turns file-system events into settled batches of touched paths; [`changes`]
//! classifies them; the long-lived [`Session`] re-reads, re-parses and rebuilds only what they
//! affect, through the one builder (`crate::build`). The loop and the terminal are the
//! command's (`commands::watch`); the preview server (`serve`) listens to it.

mod build;
pub mod changes;
mod refresh;
mod session;
mod watcher;

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};

pub use changes::{Change, ChangeKind, classify, classify_all};
pub use session::{Rebuild, Session, Update};
pub use watcher::{Batch, ProjectWatcher};

/// What the watch loop shares with whoever started it.
#[derive(Clone, Default)]
pub struct Control {
    /// Set (by the Ctrl-C handler) to end the loop.
    pub stop: Arc<AtomicBool>,
    /// Held for writing while output is swapped in; readers (the server) hold it to read.
    pub output_lock: Arc<RwLock<()>>,
}
