//! `guidepack new-area <id>`: a local area's folder that builds at once (made by
//! `crate::scaffold_area`), and what the terminal is told.

use std::path::Path;

use super::Report;
use crate::diagnostic::Diagnostics;

/// `guidepack new-area <id>` in the project at `root`.
pub fn new_area(root: &Path, id: &str) -> Report {
    if !crate::doc::is_valid_id(id) {
        return Report::usage(crate::parse::malformed_id("area", id));
    }
    let mut found = Diagnostics::default();
    let loaded = match crate::build::load(root, &mut found) {
        Ok(loaded) => loaded,
        Err(sources) => return Report::failed(found, &sources, false),
    };
    // The national text's own mistakes are `check`'s to report; a new area is made from what
    // could be read.
    let mut diagnostics = Diagnostics::default();
    match crate::scaffold_area::new_area(root, id, &loaded.project, &loaded.sources) {
        Ok(files) => {
            let names: Vec<&str> = files
                .iter()
                .map(|f| f.rsplit('/').next().unwrap_or(f))
                .collect();
            let summary = vec![
                format!(
                    "created the area `{id}` in content/areas/{id}/ ({})",
                    names.join(", ")
                ),
                format!(
                    "next: write its name, words and contacts in content/areas/{id}/area.toml and its local sections, then: guidepack build --area {id}"
                ),
            ];
            Report::done(diagnostics, &loaded.sources, summary, false)
        }
        Err(mistake) => {
            diagnostics.push(mistake);
            Report::failed(diagnostics, &loaded.sources, false)
        }
    }
}
