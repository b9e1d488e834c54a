//! `guidepack check`: every validation, over every pack; writes nothing (but the cache of
//! `--external`).

use std::path::Path;

use super::{Report, Status};
use crate::build::{self, Plan, counted};
use crate::diagnostic::{Diagnostics, Severity};

/// What `check` does besides every validation.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions {
    /// Try every web address (`--external`): the only time guidepack goes online.
    pub external: bool,
    /// Count every warning as an error (`--strict`).
    pub strict: bool,
}

/// `guidepack check`.
pub fn check(root: &Path) -> Report {
    check_with(root, &CheckOptions::default())
}

/// `check` with its options: the builder's plan of every pack, with no formats.
pub fn check_with(root: &Path, options: &CheckOptions) -> Report {
    let mut diagnostics = Diagnostics::default();
    let loaded = match build::load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(sources) => return Report::failed(diagnostics, &sources, false),
    };
    let plan = Plan::resolving(build::all_packs(&loaded.project));
    let outcome = build::run(
        &loaded,
        &plan,
        &crate::render::registry(),
        &mut build::Discard,
    );
    diagnostics.extend(outcome.diagnostics().cloned());
    let external = options.external.then(|| {
        let sources = &loaded.sources.texts;
        crate::external::check_external(root, &loaded.project, sources, &mut diagnostics)
    });
    let mut found = diagnostics.sorted();
    if options.strict {
        for d in &mut found {
            d.severity = Severity::Error;
        }
    }
    let errors = found.iter().filter(|d| d.is_error()).count();
    let status = if errors > 0 {
        Status::ProjectErrors
    } else {
        Status::Success
    };
    let mut summary = vec![format!(
        "checked {} ({}, {}): {}, {}",
        counted(plan.packs.len(), "pack"),
        counted(loaded.project.config.audiences.len(), "audience"),
        counted(loaded.project.areas.len(), "area"),
        counted(errors, "error"),
        counted(found.len() - errors, "warning"),
    )];
    summary.extend(external);
    Report {
        status,
        diagnostics: found,
        sources: loaded.sources.texts.clone(),
        summary,
        writes: false,
    }
}
