//! The build state the preview shares with every open page: a generation number that grows
//! with each publish or failure, what the last one was, and a condition variable on which the
//! server-sent-events connections wait.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::labels::Labels;
use crate::model::PackInfo;
use crate::watch::Update;

/// The last thing that happened.
#[derive(Clone, Debug, Default, Serialize)]
pub struct BuildState {
    /// Grows by one with each publish or failure; 0 before the first.
    pub generation: u64,
    /// Whether the last build succeeded (and its output is being served).
    pub ok: bool,
    /// The URL paths the last publish changed.
    pub paths: Vec<String>,
    /// Whether every page may have changed.
    pub all: bool,
    /// The errors of a failed build, as the terminal shows them.
    pub text: String,
    /// The errors of a failed build.
    pub errors: Vec<Diagnostic>,
    /// The warnings of the build being served (a failed build leaves them as they were: they
    /// are about the pages still shown).
    pub warnings: Vec<Diagnostic>,
    /// The project's `[pack] language` (empty before the first build) and labels: the words
    /// of the preview's overlay, notice and own pages.
    #[serde(skip)]
    pub language: String,
    #[serde(skip)]
    pub labels: Labels,
}

/// An event for the open pages.
#[derive(Debug, PartialEq, Eq)]
pub struct Event {
    /// `reload` or `failed`.
    pub name: &'static str,
    /// JSON.
    pub data: String,
}

impl BuildState {
    /// Takes the language and labels of the project as last read.
    fn take_words(&mut self, pack: &PackInfo) {
        if self.language != pack.language {
            self.language = pack.language.clone();
        }
        self.labels = pack.labels.clone();
    }

    /// The language of the preview's own pages.
    pub fn language(&self) -> &str {
        if self.language.is_empty() {
            "en"
        } else {
            &self.language
        }
    }
}

#[derive(Default)]
pub struct Hub {
    state: Mutex<(BuildState, bool)>,
    changed: Condvar,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, (BuildState, bool)> {
        // A poisoned lock only means a connection thread panicked; the state is still whole.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes in what the watch loop reports.
    pub fn update(&self, update: Update<'_>) {
        let mut guard = self.lock();
        let state = &mut guard.0;
        state.generation += 1;
        match update {
            Update::Published {
                paths,
                all,
                warnings,
                pack,
            } => {
                state.take_words(pack);
                state.ok = true;
                state.paths = paths.to_vec();
                state.all = all;
                state.text.clear();
                state.errors.clear();
                state.warnings = warnings.to_vec();
            }
            Update::Failed {
                diagnostics,
                text,
                pack,
            } => {
                if let Some(pack) = pack {
                    state.take_words(pack);
                }
                state.ok = false;
                state.paths.clear();
                state.all = false;
                state.text = text.to_string();
                state.errors = diagnostics.to_vec();
            }
        }
        drop(guard);
        self.changed.notify_all();
    }

    /// Ends every waiting connection.
    pub fn stop(&self) {
        self.lock().1 = true;
        self.changed.notify_all();
    }

    pub fn is_stopped(&self) -> bool {
        self.lock().1
    }

    pub fn state(&self) -> BuildState {
        self.lock().0.clone()
    }

    /// Waits until the generation passes `seen` (or `timeout`); the new state, if any.
    pub fn wait_after(&self, seen: u64, timeout: Duration) -> Option<BuildState> {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |(state, stopped)| {
                state.generation <= seen && !*stopped
            })
            .unwrap_or_else(|p| p.into_inner());
        (guard.0.generation > seen).then(|| guard.0.clone())
    }
}

/// The event that tells a page which had seen generation `seen` about `state`.
pub fn event_for(state: &BuildState, seen: u64) -> Option<Event> {
    if state.generation <= seen || state.generation == 0 {
        return None;
    }
    if !state.ok {
        // The overlay's words, in the project's language.
        let labels = &state.labels;
        let data = serde_json::json!({
            "generation": state.generation,
            "text": state.text,
            "errors": state.errors,
            "words": {
                "failed": labels.get("preview_failed"),
                "note": labels.get("preview_failed_note"),
                "hide": labels.get("preview_hide_message"),
            },
        });
        return Some(Event {
            name: "failed",
            data: data.to_string(),
        });
    }
    // A page that missed a publish in between cannot know what that one changed.
    let all = state.all || state.generation > seen + 1;
    // The warnings come with every publish, so that a page that does not reload still shows
    // the current ones: `notice` is the part of the page that lists them ("" when none).
    let data = serde_json::json!({
        "generation": state.generation,
        "paths": state.paths,
        "all": all,
        "warnings": state.warnings,
        "notice": super::live::notice(&state.warnings, &state.labels),
    });
    Some(Event {
        name: "reload",
        data: data.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack_info(language: &str) -> PackInfo {
        PackInfo {
            title: "Guidance".to_string(),
            subtitle: None,
            publisher: "Publisher".to_string(),
            version: crate::version::Version::new("2.0.0"),
            date: "2026-04-01".to_string(),
            language: language.to_string(),
            numbered_paragraphs: false,
            licence: Default::default(),
            copyright: None,
            unreleased_since: None,
            national_version: None,
            labels: Labels::new(language, &Default::default()),
        }
    }

    #[test]
    fn the_overlay_and_the_notice_speak_the_pack_language() {
        let hub = Hub::default();
        let warning = Diagnostic::warning("raw HTML is not allowed in a pack");
        hub.update(Update::Published {
            paths: &[],
            all: false,
            warnings: std::slice::from_ref(&warning),
            pack: &pack_info("cy"),
        });
        let event = event_for(&hub.state(), 0).unwrap();
        assert!(
            event.data.contains("1 rhybudd yn yr adeiladiad diwethaf"),
            "{}",
            event.data
        );
        assert!(
            !event.data.contains("warning in the last build"),
            "{}",
            event.data
        );
        // A failure before the configuration could be read keeps the words it had.
        hub.update(Update::Failed {
            diagnostics: &[],
            text: "error: x",
            pack: None,
        });
        let event = event_for(&hub.state(), 1).unwrap();
        assert!(
            event.data.contains("\"failed\":\"Methodd yr adeiladu\""),
            "{}",
            event.data
        );
        assert!(!event.data.contains("The build failed"), "{}", event.data);
        assert_eq!(hub.state().language(), "cy");
        assert_eq!(BuildState::default().language(), "en");
    }

    #[test]
    fn pages_hear_of_publishes_and_failures() {
        let pack = pack_info("en-GB");
        let hub = Hub::default();
        assert!(hub.wait_after(0, Duration::from_millis(1)).is_none());
        hub.update(Update::Published {
            paths: &["/1.0.0/p/a.html".to_string()],
            all: false,
            warnings: &[],
            pack: &pack,
        });
        let state = hub.wait_after(0, Duration::from_millis(1)).unwrap();
        let event = event_for(&state, 0).unwrap();
        assert_eq!(event.name, "reload");
        assert!(event.data.contains("\"all\":false"), "{}", event.data);
        assert!(event_for(&state, 1).is_none());

        let error = Diagnostic::error("unclosed fence");
        hub.update(Update::Failed {
            diagnostics: std::slice::from_ref(&error),
            text: "error: unclosed fence",
            pack: None,
        });
        let state = hub.state();
        let event = event_for(&state, 1).unwrap();
        assert_eq!(event.name, "failed");
        assert!(event.data.contains("unclosed fence"));

        let warning = Diagnostic::warning("raw HTML is not allowed in a pack");
        hub.update(Update::Published {
            paths: &[],
            all: false,
            warnings: std::slice::from_ref(&warning),
            pack: &pack,
        });
        let event = event_for(&hub.state(), 1).unwrap();
        assert!(
            event.data.contains("\"all\":true"),
            "a skipped publish reloads every page"
        );
        assert!(
            event.data.contains("raw HTML is not allowed"),
            "{}",
            event.data
        );
        assert_eq!(hub.state().warnings.len(), 1);
        hub.update(Update::Failed {
            diagnostics: std::slice::from_ref(&error),
            text: "error: unclosed fence",
            pack: None,
        });
        assert_eq!(
            hub.state().warnings.len(),
            1,
            "the warnings of the pages still served stay"
        );
    }
}
