//! `guidepack new <dir>`: a new project that builds at once (made by `crate::scaffold`), and
//! what the terminal is told.

use std::path::Path;

/// What `new` did.
pub enum Created {
    /// The lines for the terminal.
    Done(Vec<String>),
    /// Why the project could not be made.
    Failed(crate::diagnostic::Diagnostic),
}

/// `guidepack new <dir>`.
pub fn new(dir: &Path) -> Created {
    match crate::scaffold::new_project(dir) {
        Ok(files) => Created::Done(vec![
            format!(
                "created a new guidance project in {} ({} files)",
                dir.display(),
                files.len()
            ),
            format!("next: guidepack --project {} build", dir.display()),
        ]),
        Err(mistake) => Created::Failed(mistake),
    }
}
