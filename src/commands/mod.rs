//! The commands, a layer above the library: each reads the project, runs the builder
//! (`crate::build`) with its plan and sink, and reports what it found and did. Nothing in the
//! library imports this module.

pub mod build;
pub mod check;
pub mod diff;
mod diff_form;
pub mod merge;
pub mod new;
pub mod new_area;
pub mod progress;
pub mod publish;
pub mod release;
pub mod release_area;
pub mod serve;
pub mod shard;
pub mod verify;
pub mod watch;

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::sources::SourceSet;

/// How a command ended, for the exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// 0: done.
    Success,
    /// 1: the project has errors; nothing was written.
    ProjectErrors,
    /// 2: the command line was wrong.
    Usage,
    /// 3: `release` released the national packs (and every area that passes), but some
    /// areas could not be released because of their own errors.
    Partial,
}

/// What a command found and did.
#[derive(Debug)]
pub struct Report {
    pub status: Status,
    pub diagnostics: Vec<Diagnostic>,
    /// The text of the project's files, to show source lines in messages.
    pub sources: BTreeMap<String, String>,
    /// Lines for the terminal about what was done.
    pub summary: Vec<String>,
    /// Whether the command writes output (so a failure can say that nothing was written).
    pub writes: bool,
}

impl Report {
    /// A command that found errors in the project.
    pub fn failed(diagnostics: Diagnostics, sources: &SourceSet, writes: bool) -> Self {
        Report {
            status: Status::ProjectErrors,
            diagnostics: diagnostics.sorted(),
            sources: sources.texts.clone(),
            summary: Vec::new(),
            writes,
        }
    }

    /// A command line that names what is not there.
    pub fn usage(diagnostic: Diagnostic) -> Self {
        Report {
            status: Status::Usage,
            diagnostics: vec![diagnostic],
            sources: BTreeMap::new(),
            summary: Vec::new(),
            writes: false,
        }
    }

    /// A command that did what it was asked.
    pub fn done(
        diagnostics: Diagnostics,
        sources: &SourceSet,
        summary: Vec<String>,
        writes: bool,
    ) -> Self {
        Report {
            status: Status::Success,
            diagnostics: diagnostics.sorted(),
            sources: sources.texts.clone(),
            summary,
            writes,
        }
    }
}
