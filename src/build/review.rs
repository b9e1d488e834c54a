//! The reviewer's copy as a plan: one more pack ([`PackId::review`]), resolved by
//! `Resolver::review` and rendered by every registered format into `output/<version>/review/`
//! through the same builder and sinks as the packs; and when a project cannot have one.

use super::{Loaded, Pace, Plan};
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::pack_id::{PackId, REVIEW};
use crate::release::Edition;
use crate::render::Registry;

/// The plan of the reviewer's copy: the one pack, in every registered format.
pub fn review_plan<'a>(registry: &Registry) -> Plan<'a> {
    Plan {
        packs: vec![PackId::review()],
        formats: registry.names().into_iter().map(str::to_string).collect(),
        pace: Pace::Batches,
        preview: None,
        cache: None,
        present: None,
    }
}

/// Why a reviewer's copy cannot be written, if it cannot: the sources are a released
/// version's (whose folder holds only the released files), or an audience has the copy's
/// folder name.
pub fn review_refused(loaded: &Loaded) -> Option<Diagnostic> {
    let config = &loaded.project.config;
    let version = &config.pack.version;
    if config.audience(REVIEW).is_some() {
        let text = loaded.sources.text("guidepack.toml").unwrap_or_default();
        let at = text.find(&format!("\"{REVIEW}\"")).unwrap_or(0);
        return Some(
            Diagnostic::error(format!(
                "an audience has the id `{REVIEW}`, the folder of the reviewer's copy (`output/{version}/{REVIEW}/`)"
            ))
            .at("guidepack.toml", LineIndex::new(text).pos(at))
            .help("give that audience another id to build a reviewer's copy"),
        );
    }
    if let Edition::AsReleased(_) = loaded.edition {
        return Some(
            Diagnostic::error(format!(
                "version {version} is released and these are its sources: a reviewer's copy is never written into a released version's folder (`output/{version}/` keeps exactly the released files)"
            ))
            .in_file("guidepack.toml")
            .help(format!(
                "a reviewer's copy is for text on its way to a release: raise `version` under [pack] in guidepack.toml (or change the text, which makes an unreleased working copy of {version}) and build it again"
            )),
        );
    }
    None
}
