//! Crash-safe publishing. Everything a publish changes is first written under hidden names in
//! the output folder; then a journal (`.guidepack-journal.json`) lists the renames that put it
//! in place, and only then are they done. A process killed at any point leaves either no
//! journal (the output is all old; the hidden leftovers are removed) or a journal whose renames
//! [`recover`] finishes (the output is all new). Every write of guidepack recovers first.

use std::fs;
use std::io;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::safe;
use crate::diagnostic::Diagnostic;

const JOURNAL: &str = ".guidepack-journal.json";

/// Hidden names of the output folder's top level that only guidepack makes: what a publish
/// leaves there while it runs, and removes when it is done.
const LEFTOVERS: [&str; 4] = [".staging-", ".old-", ".banner-", JOURNAL];

/// One rename of a publish: `new` goes to `target`; what was at `target` (a folder) goes to
/// `old` first, to be removed once the journal is done. Paths are relative to the output.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Move {
    pub new: String,
    pub target: String,
    pub old: Option<String>,
}

/// The renames of one publish, and what to remove when they are done.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Journal {
    pub moves: Vec<Move>,
    pub remove: Vec<String>,
}

/// A journal that cannot be finished: it cannot be read, or names a place outside the output
/// folder. Carried inside an `io::Error`; [`super::write_error`] says what to do.
#[derive(Debug)]
pub struct JournalDamaged {
    pub path: std::path::PathBuf,
    /// What is wrong with it, in words.
    pub why: String,
}

impl std::fmt::Display for JournalDamaged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the output's journal `{}` cannot be used: {}",
            self.path.display(),
            self.why
        )
    }
}

impl std::error::Error for JournalDamaged {}

/// The hidden test hook: `GUIDEPACK_TEST_CRASH_AT=<point>` (or `<point>:<n>` for its n-th
/// time) aborts the process at that point of publishing, as `kill -9` would. The crash tests
/// use it to check that every point recovers; it is read nowhere else.
pub fn crash_point(point: &str) {
    static HOOK: OnceLock<Option<(String, usize)>> = OnceLock::new();
    static SEEN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let hook = HOOK.get_or_init(|| {
        let value = std::env::var("GUIDEPACK_TEST_CRASH_AT").ok()?;
        let (name, n) = match value.split_once(':') {
            Some((name, n)) => (name.to_string(), n.parse().ok()?),
            None => (value, 1),
        };
        Some((name, n))
    });
    let Some((name, n)) = hook else {
        return;
    };
    if name != point {
        return;
    }
    let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
    seen.push(point.to_string());
    if seen.len() == *n {
        std::process::abort();
    }
}

/// Commits a publish: writes the journal, does its renames, removes it and the leftovers.
pub fn commit(out: &Path, journal: &Journal) -> io::Result<()> {
    let bytes = serde_json::to_vec(journal).map_err(io::Error::other)?;
    let tmp = safe::temp_name(&out.join(JOURNAL));
    safe::clear(&tmp)?;
    safe::write_new(&tmp, &bytes)?;
    fs::File::open(&tmp)?.sync_all()?;
    crash_point("before-journal");
    fs::rename(&tmp, out.join(JOURNAL))?;
    crash_point("journal");
    finish(out, journal)
}

/// Does the renames not yet done, then removes the journal and what it names for removal.
/// Doing it again after a crash anywhere inside gives the same result.
fn finish(out: &Path, journal: &Journal) -> io::Result<()> {
    for step in &journal.moves {
        let new = out.join(&step.new);
        if !safe::exists(&new) {
            continue; // done before
        }
        let target = out.join(&step.target);
        if let Some(parent) = Path::new(&step.target).parent() {
            safe::create_dirs(out, parent)?;
        }
        if let Some(old) = &step.old
            && safe::exists(&target)
        {
            // `new` is still there, so what is at `target` is the old one.
            let old = out.join(old);
            safe::clear(&old)?;
            if let Some(parent) = old.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::rename(&target, &old)?;
            crash_point("moved-old");
        }
        fs::rename(&new, &target)?;
        crash_point("moved-new");
    }
    fs::remove_file(out.join(JOURNAL))?;
    crash_point("journal-removed");
    for rel in &journal.remove {
        safe::clear(&out.join(rel))?;
    }
    Ok(())
}

/// Brings the output folder back to a whole state after a publish that was interrupted: a
/// journal is finished (all new), leftovers of an unfinished staging are removed (all old).
/// What it did, as warnings.
pub fn recover(out: &Path) -> io::Result<Vec<Diagnostic>> {
    let mut notes = Vec::new();
    if !safe::exists(out) {
        return Ok(notes);
    }
    if safe::is_link(out) {
        return Err(safe::refused(out));
    }
    let journal_path = out.join(JOURNAL);
    if safe::is_regular_file(&journal_path) {
        let text = fs::read(&journal_path)?;
        let damaged = |why: String| {
            io::Error::other(JournalDamaged {
                path: journal_path.clone(),
                why,
            })
        };
        let journal: Journal = serde_json::from_slice(&text)
            .map_err(|err| damaged(format!("it is damaged ({err})")))?;
        if let Some(bad) = journal
            .moves
            .iter()
            .flat_map(|m| [Some(&m.new), Some(&m.target), m.old.as_ref()])
            .chain(journal.remove.iter().map(Some))
            .flatten()
            .find(|p| !is_inside(p))
        {
            return Err(damaged(format!(
                "it names `{bad}`, outside the output folder"
            )));
        }
        finish(out, &journal)?;
        notes.push(
            Diagnostic::warning(format!(
                "the last build was stopped while it was putting its files in place in `{}`; it has been finished, so the output is whole",
                out.display()
            ))
            .help("nothing to do: this build goes on from a complete output"),
        );
    }
    let mut unfinished = false;
    for entry in fs::read_dir(out)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let partial = name.starts_with('.') && name.ends_with(".partial");
        if partial || LEFTOVERS.iter().any(|p| name.starts_with(p)) {
            safe::clear(&entry.path())?;
            // Old folders left after a finished publish are only waste; staged ones are a
            // publish that never happened.
            unfinished |= name.starts_with(".staging-") || name.starts_with(".banner-");
        }
    }
    if unfinished && notes.is_empty() {
        notes.push(
            Diagnostic::warning(format!(
                "the last build was stopped before it put its files in place in `{}`; its unfinished files were removed and the output is as it was before it",
                out.display()
            ))
            .help("nothing to do: this build writes the output afresh"),
        );
    }
    Ok(notes)
}

/// Whether a journal path stays inside the output folder.
fn is_inside(rel: &str) -> bool {
    let path = Path::new(rel);
    !rel.is_empty()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<String> {
        let mut found = Vec::new();
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().unwrap().is_dir() {
                found.extend(
                    files(&entry.path())
                        .into_iter()
                        .map(|f| format!("{name}/{f}")),
                );
            } else {
                found.push(format!(
                    "{name}={}",
                    fs::read_to_string(entry.path()).unwrap()
                ));
            }
        }
        found.sort();
        found
    }

    #[test]
    fn an_interrupted_journal_is_finished_whatever_was_done() {
        let journal = Journal {
            moves: vec![
                Move {
                    new: ".staging-1/a".into(),
                    target: "1/a".into(),
                    old: Some(".old-1/a".into()),
                },
                Move {
                    new: ".staging-1/m".into(),
                    target: "1/m".into(),
                    old: None,
                },
            ],
            remove: vec![".staging-1".into(), ".old-1".into()],
        };
        // Every state a crash can leave: after 0, 1 (old moved), 2 (new in place), 3 moves.
        for done in 0..4 {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path();
            safe::write_new(&out.join("1/a/x"), b"old").unwrap();
            safe::write_new(&out.join("1/m"), b"old manifest").unwrap();
            safe::write_new(&out.join(".staging-1/a/x"), b"new").unwrap();
            safe::write_new(&out.join(".staging-1/m"), b"new manifest").unwrap();
            fs::write(out.join(JOURNAL), serde_json::to_vec(&journal).unwrap()).unwrap();
            if done >= 1 {
                fs::create_dir_all(out.join(".old-1")).unwrap();
                fs::rename(out.join("1/a"), out.join(".old-1/a")).unwrap();
            }
            if done >= 2 {
                fs::rename(out.join(".staging-1/a"), out.join("1/a")).unwrap();
            }
            if done >= 3 {
                fs::rename(out.join(".staging-1/m"), out.join("1/m")).unwrap();
            }
            let notes = recover(out).unwrap();
            assert_eq!(notes.len(), 1, "{done}");
            assert_eq!(files(out), ["1/a/x=new", "1/m=new manifest"], "{done}");
        }
    }

    #[test]
    fn leftovers_without_a_journal_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        safe::write_new(&out.join("1/a/x"), b"old").unwrap();
        safe::write_new(&out.join(".staging-1/a/x"), b"new").unwrap();
        safe::write_new(&out.join(".index.html.partial"), b"half").unwrap();
        recover(out).unwrap();
        assert_eq!(files(out), ["1/a/x=old"]);
        assert!(
            recover(out).unwrap().is_empty(),
            "a whole output needs nothing"
        );
    }

    #[test]
    fn a_journal_cannot_reach_outside() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal {
            moves: vec![],
            remove: vec!["../x".into()],
        };
        fs::write(
            dir.path().join(JOURNAL),
            serde_json::to_vec(&journal).unwrap(),
        )
        .unwrap();
        assert!(recover(dir.path()).is_err());
    }
}
