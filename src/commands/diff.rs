//! `guidepack diff <from> [<to>]`: what changed between two releases, or a release and the
//! working text (resolved by the builder with no formats), as text, JSON or HTML.

use std::path::Path;

use super::diff_form::{Compared, html_form, json_form, names, text_form};
use super::{Report, Status};
use crate::build::sink::Snapshots;
use crate::build::{self, Plan};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::release::{Recorded, Snapshot, compare, read_release};
use crate::sources::SourceSet;

/// The output forms of `diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Json,
    Html,
}

/// `guidepack diff <from> [<to>]`.
pub fn diff(
    root: &Path,
    from: &str,
    to: Option<&str>,
    audience: Option<&str>,
    area: Option<&str>,
    format: DiffFormat,
) -> Report {
    let mut diagnostics = Diagnostics::default();
    let loaded = match build::load(root, &mut diagnostics) {
        Ok(loaded) => loaded,
        Err(_) => return Report::failed(diagnostics, &SourceSet::default(), false),
    };
    let failed = |diagnostics: Diagnostics| Report::failed(diagnostics, &loaded.sources, false);
    let old: Recorded = match read_release(&loaded.sources, from) {
        Ok(r) => r,
        Err(d) => {
            diagnostics.push(d);
            return failed(diagnostics);
        }
    };
    let (to_label, new): (String, Vec<Snapshot>) = match to {
        Some(version) => match read_release(&loaded.sources, version) {
            Ok(r) => (version.to_string(), r.snapshots),
            Err(d) => {
                diagnostics.push(d);
                return failed(diagnostics);
            }
        },
        None => {
            let plan = Plan::resolving(build::all_packs(&loaded.project));
            let mut sink = Snapshots::new(build::Discard, &loaded.project.framework);
            let outcome = build::run(&loaded, &plan, &crate::render::registry(), &mut sink);
            diagnostics.extend(outcome.diagnostics().cloned());
            if diagnostics.has_errors() {
                return failed(diagnostics);
            }
            ("the working text".to_string(), sink.snapshots)
        }
    };
    let mut selected: Vec<&Snapshot> = new
        .iter()
        .filter(|s| audience.is_none_or(|a| s.audience == a))
        .filter(|s| s.area.as_deref() == area)
        .collect();
    // Packs in the order of guidepack.toml's audiences, as the site lists them.
    let audiences = &loaded.project.config.audiences;
    selected.sort_by_key(|s| {
        audiences
            .iter()
            .position(|a| a.id == s.audience)
            .unwrap_or(usize::MAX)
    });
    if selected.is_empty() {
        diagnostics.push(Diagnostic::error("no pack matches that audience and area").help(
            "give an audience id with --audience and, for a local area's pack, its id with --area",
        ));
        return Report {
            status: Status::Usage,
            ..Report::failed(diagnostics, &loaded.sources, false)
        };
    }
    let compared: Vec<Compared> = selected
        .into_iter()
        .map(|s| {
            let recorded = old.snapshot(&s.pack);
            let (audience_name, area_name) = names(&loaded.project, s, recorded);
            let before = recorded.cloned().unwrap_or_default();
            Compared {
                snapshot: s,
                audience_name,
                area_name,
                changes: compare(&before, s),
            }
        })
        .collect();
    let text = match format {
        DiffFormat::Json => json_form(from, &to_label, &compared),
        DiffFormat::Text => text_form(from, &to_label, &compared),
        DiffFormat::Html => html_form(
            from,
            &to_label,
            &compared,
            &loaded.project.config.pack.language,
        ),
    };
    Report::done(
        diagnostics,
        &loaded.sources,
        vec![text.trim_end().to_string()],
        false,
    )
}
