//! What `check` finds in a project's own HTML templates, which it renders with made-up packs
//! (`check` makes no pack): calls of functions guidepack turns off, templates that do not
//! load, and mistakes met only while a page is rendered. An error that may only come from the
//! made-up data (an index past the end of a list) is let pass; a build still reports it.

use super::renderer::Download;
use super::site::{BUILT_IN, HtmlTemplates, PageSetup, pack_pages};
use crate::diagnostic::Diagnostic;
use crate::doc::{Block, Inline, Paragraph};
use crate::model::{Audience, Config, PackInfo};
use crate::resolve::{Pack, PackArea, PackChapter};
use crate::sources::SourceSet;

/// What `check` finds in a project's own HTML templates: calls of functions guidepack turns
/// off, templates that do not load, and mistakes met while their pages are rendered with
/// made-up packs.
pub fn check_templates(sources: &SourceSet) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut own = false;
    for (name, _) in BUILT_IN {
        let path = format!("templates/html/{name}");
        if let Some(text) = sources.text(&path) {
            own = true;
            found.extend(super::sandbox::turned_off_calls(&path, text));
        }
    }
    for (path, text) in &sources.texts {
        if path.starts_with("content/areas/") && path.contains("/templates/html/") {
            own = true;
            found.extend(super::sandbox::turned_off_calls(path, text));
        }
    }
    if own {
        let vars = area_var_keys(sources);
        let tried = HtmlTemplates::load(sources).and_then(|templates| {
            let templates = templates.lenient();
            pages(&templates, &vars, false)?;
            // An area's own templates make only that area's pages.
            (templates.areas.values()).try_for_each(|t| pages(t, &vars, true))
        });
        found.extend(tried.err());
    }
    found
}

/// Every key under `[vars]` in any area.toml: the made-up area has each, so that a template
/// may use `area.vars.<key>` (or `area.<key>`) of the project's areas.
fn area_var_keys(sources: &SourceSet) -> Vec<String> {
    let mut keys = std::collections::BTreeSet::new();
    for (path, text) in &sources.texts {
        let in_an_area = (path.strip_prefix("content/areas/"))
            .and_then(|rest| rest.strip_suffix("/area.toml"))
            .is_some_and(|id| !id.contains('/'));
        if !in_an_area {
            continue;
        }
        if let Ok(table) = toml::from_str::<toml::Table>(text)
            && let Some(toml::Value::Table(vars)) = table.get("vars")
        {
            keys.extend(vars.keys().cloned());
        }
    }
    keys.into_iter().collect()
}

fn chapter(id: &str, number: &str, summary: Option<&str>, draft: bool) -> PackChapter {
    PackChapter {
        id: id.to_string(),
        number: number.to_string(),
        title: format!("Chapter {number}"),
        language: None,
        summary: summary.map(str::to_string),
        draft,
        formats: None,
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
/// an unreleased working copy, with and without a PDF, a newer version, a licence and
/// `[accessibility]`.
fn pages(
    templates: &HtmlTemplates,
    var_keys: &[String],
    area_only: bool,
) -> Result<(), Diagnostic> {
    let info = PackInfo {
        title: "Guidance".to_string(),
        subtitle: Some("For everyone".to_string()),
        publisher: "Publisher".to_string(),
        version: crate::version::Version::new("2.0.0"),
        date: "2026-04-01".to_string(),
        language: "en-GB".to_string(),
        numbered_paragraphs: false,
        licence: Default::default(),
        copyright: None,
        unreleased_since: None,
        national_version: None,
        labels: Default::default(),
    };
    let audience = Audience {
        id: "providers".to_string(),
        name: "Providers".to_string(),
        description: "People who provide".to_string(),
    };
    let config = |unreleased_since: Option<&str>| Config {
        pack: PackInfo {
            unreleased_since: unreleased_since.map(crate::version::Version::new),
            // The released one with a licence and `[accessibility]`, the other without.
            licence: match unreleased_since {
                None => crate::model::Licence::Ogl3,
                Some(_) => crate::model::Licence::None,
            },
            copyright: unreleased_since
                .is_none()
                .then(|| "© Publisher 2026".to_string()),
            ..info.clone()
        },
        audiences: vec![audience.clone()],
        vars: Default::default(),
        pdf: Default::default(),
        html: Default::default(),
        change_notes: Vec::new(),
        accessibility: unreleased_since
            .is_none()
            .then(|| crate::model::Accessibility {
                email: Some("formats@example.org".to_string()),
                phone: Some("0300 123 4567".to_string()),
                response_time: Some("15 working days".to_string()),
                standard: Some("WCAG 2.2 AA".to_string()),
                compliance: Some(crate::model::Compliance::Partial),
                known_issues: vec!["Some tables have no caption.".to_string()],
                prepared: Some("2026-03-01".to_string()),
            }),
        brand: Default::default(),
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
        reviewer_copy: false,
    };
    let area = Pack {
        audience: audience.clone(),
        area: Some(PackArea {
            id: "northshire".to_string(),
            name: "Northshire".to_string(),
            tags: vec!["coastal".to_string()],
            vars: (var_keys.iter())
                .map(|k| (k.clone(), format!("area {k}")))
                .chain([(
                    "partnership".to_string(),
                    "Northshire Partnership".to_string(),
                )])
                .collect(),
            contacts: vec![crate::resolve::PackContact {
                role: Some("designated-nurse".to_string()),
                name: "Jo Example".to_string(),
                email: Some("jo@example.org".to_string()),
                phone: Some("01234 567890".to_string()),
            }],
            brand: crate::brand::Brand {
                logo: Some("content/assets/logo.png".to_string()),
                logo_alt: Some("Northshire logo".to_string()),
                organisation: Some("Northshire Partnership".to_string()),
                colour: Some("#1d70b8".to_string()),
            },
            revision: 1,
        }),
        chapters,
        reviewer_copy: false,
    };
    let (released, unreleased) = (config(None), config(Some("1.0.0")));
    // A made-up download of every format that makes one (the PDF), made and not made.
    let registry = super::registry();
    let downloads = |made: bool| -> Vec<Download> {
        (registry.all().filter_map(|r| r.download()))
            .map(|kind| Download {
                kind,
                file: made.then(|| (format!("pack.{}", kind.key), 123_456)),
            })
            .collect()
    };
    let (made, not_made) = (downloads(true), downloads(false));
    // A made-up list of versions: the newest, this one (a working copy), an older one.
    let version = |v: &str, current: bool, latest: bool| crate::output::OtherVersion {
        version: v.to_string(),
        href: format!("../../{v}/pack/index.html"),
        current,
        latest,
        unreleased_since: v.strip_suffix("+unreleased").map(str::to_string),
    };
    let versions = [
        version("3.0.0", false, true),
        version("1.0.0+unreleased", true, false),
        version("1.0.0", false, false),
    ];
    let setups = [
        PageSetup {
            config: &released,
            downloads: &made,
            newer: None,
            versions: &[],
        },
        PageSetup {
            config: &unreleased,
            downloads: &not_made,
            newer: Some(("3.0.0".to_string(), "../../3.0.0/index.html".to_string())),
            versions: &versions,
        },
    ];
    let packs = if area_only {
        vec![&area]
    } else {
        vec![&national, &area]
    };
    for pack in packs {
        for setup in &setups {
            pack_pages(pack, setup, templates)?;
        }
    }
    Ok(())
}
