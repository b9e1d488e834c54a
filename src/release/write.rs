//! Writing a release record (`releases/<version>/`, or an area edition's
//! `releases/areas/<id>/<version>/`): staged under `releases/`, then put in place by the
//! output journal, as the output's version folders are.

use std::path::Path;

use crate::output;

/// Puts a release record in place at once: staged under `releases/`, then renamed in by a
/// journal (see `output::commit_journal`), never through a link. `dir` is the record's folder
/// under `releases/` (`1.0.0`, or an area edition's `areas/kent/1.0.0-kent.2`); `files` are
/// by project-relative path, and those under `releases/<dir>/` are written.
pub fn write_record(root: &Path, dir: &str, files: Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let releases = root.join("releases");
    output::create_dirs(root, Path::new("releases"))?;
    output::recover(&releases)?;
    // Hidden names at the top of `releases/`, where recovery looks for leftovers.
    let flat = dir.replace('/', "-");
    let staged = format!(".staging-{flat}");
    let prefix = format!("releases/{dir}/");
    for (path, bytes) in &files {
        let name = path.strip_prefix(&prefix).unwrap_or(path);
        output::replace_file_under(&releases, &format!("{staged}/{name}"), bytes)?;
    }
    let trash = format!(".old-{flat}");
    let journal = output::Journal {
        moves: vec![output::Move {
            new: staged,
            target: dir.to_string(),
            old: Some(format!("{trash}/{flat}")),
        }],
        remove: vec![trash],
    };
    output::commit_journal(&releases, &journal)
}
