//! Trial renders of a project's own HTML templates with made-up packs and versions, so that
//! their mistakes are found before anything is written: by `check`, which renders no pack, and,
//! for `site-index.html`, by every build (the index is written after the packs are in place,
//! too late to refuse the build). An error that may only come from the made-up data (an index
//! past the end of a list) is let pass; the real render still reports it.

use super::site::{
    HtmlTemplates, IndexedPack, IndexedVersion, PageSetup, index_context, pack_pages,
};
use crate::diagnostic::Diagnostic;
use crate::doc::{Block, Inline, Paragraph};
use crate::model::{Audience, Config, PackInfo};
use crate::resolve::{Pack, PackArea, PackChapter};

/// Renders `site-index.html` with a latest, an older and an unreleased version, each with a
/// national and an area pack, with and without a PDF.
pub(super) fn site_index(templates: &HtmlTemplates) -> Result<(), Diagnostic> {
    let templates = templates.lenient();
    let packs = vec![
        IndexedPack {
            audience_name: "Providers".to_string(),
            area_name: None,
            href: "2.0.0/providers/index.html".to_string(),
            pdf_href: Some("2.0.0/providers/pack.pdf".to_string()),
        },
        IndexedPack {
            audience_name: "Providers".to_string(),
            area_name: Some("Northshire".to_string()),
            href: "2.0.0/areas/northshire/providers/index.html".to_string(),
            pdf_href: None,
        },
    ];
    let version = |version: &str, latest: bool, since: Option<&str>| IndexedVersion {
        version: version.to_string(),
        date_display: "1 April 2026".to_string(),
        latest,
        unreleased_since: since.map(str::to_string),
        packs: packs.clone(),
    };
    let versions = [
        version("2.0.0+unreleased", false, Some("2.0.0")),
        version("2.0.0", true, None),
        version("1.0.0", false, None),
    ];
    let cx = index_context("Guidance", "en-GB", &versions);
    templates.render("site-index.html", &cx).map(|_| ())
}

fn chapter(id: &str, number: &str, summary: Option<&str>, draft: bool) -> PackChapter {
    PackChapter {
        id: id.to_string(),
        number: number.to_string(),
        title: format!("Chapter {number}"),
        summary: summary.map(str::to_string),
        draft,
        file: Some(format!("content/{id}.md")),
        blocks: vec![Block::Paragraph(Paragraph {
            inlines: vec![Inline::Text("Text.".to_string())],
            pos: Default::default(),
            number: None,
        })],
        footnotes: vec![(
            1,
            vec![Block::Paragraph(Paragraph {
                inlines: vec![Inline::Text("A note.".to_string())],
                pos: Default::default(),
                number: None,
            })],
        )],
    }
}

/// Renders every page template for a national and an area pack, of a released version and of
/// an unreleased working copy, with and without a PDF and a newer version.
pub(super) fn pages(templates: &HtmlTemplates) -> Result<(), Diagnostic> {
    let info = PackInfo {
        title: "Guidance".to_string(),
        subtitle: Some("For everyone".to_string()),
        publisher: "Publisher".to_string(),
        version: "2.0.0".to_string(),
        date: "2026-04-01".to_string(),
        language: "en-GB".to_string(),
        numbered_paragraphs: false,
        unreleased_since: None,
    };
    let audience = Audience {
        id: "providers".to_string(),
        name: "Providers".to_string(),
        description: "People who provide".to_string(),
    };
    let config = |unreleased_since: Option<&str>| Config {
        pack: PackInfo {
            unreleased_since: unreleased_since.map(str::to_string),
            ..info.clone()
        },
        audiences: vec![audience.clone()],
        vars: Default::default(),
        pdf: Default::default(),
        html: Default::default(),
        change_notes: Vec::new(),
    };
    let chapters = vec![
        chapter("introduction", "1", Some("What this is."), false),
        chapter("roles", "2", None, true),
        chapter("role-directory", "A", Some("Every role."), false),
    ];
    let national = Pack {
        audience: audience.clone(),
        area: None,
        chapters: chapters.clone(),
    };
    let area = Pack {
        audience: audience.clone(),
        area: Some(PackArea {
            id: "northshire".to_string(),
            name: "Northshire".to_string(),
        }),
        chapters,
    };
    let (released, unreleased) = (config(None), config(Some("1.0.0")));
    let setups = [
        PageSetup {
            config: &released,
            pdf: Some(("pack.pdf".to_string(), 123_456)),
            newer: None,
        },
        PageSetup {
            config: &unreleased,
            pdf: None,
            newer: Some(("3.0.0".to_string(), "../../3.0.0/index.html".to_string())),
        },
    ];
    for pack in [&national, &area] {
        for setup in &setups {
            pack_pages(pack, setup, templates)?;
        }
    }
    Ok(())
}
