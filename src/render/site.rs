//! HTML pages with tera: a pack's contents page, one page per chapter, the whole pack on one
//! page, and the index of every pack built. The built-in templates are embedded; a project's
//! own `templates/html/<name>` replaces the built-in file of that name.

use std::error::Error as _;

use serde::Serialize;
use tera::{Context, Tera};

use super::html::{HtmlPage, TableNames};
use super::template_bounds::{self, TemplateText};
use crate::diagnostic::Diagnostic;
use crate::model::Config;
use crate::resolve::Pack;
use crate::sources::SourceSet;

/// The built-in HTML templates, by file name.
pub const BUILT_IN: [(&str, &str); 7] = [
    (
        "newer-banner.html",
        include_str!("../../templates/html/newer-banner.html"),
    ),
    ("base.html", include_str!("../../templates/html/base.html")),
    (
        "contents.html",
        include_str!("../../templates/html/contents.html"),
    ),
    (
        "chapter.html",
        include_str!("../../templates/html/chapter.html"),
    ),
    ("all.html", include_str!("../../templates/html/all.html")),
    (
        "site-index.html",
        include_str!("../../templates/html/site-index.html"),
    ),
    ("style.css", include_str!("../../templates/html/style.css")),
];

/// The HTML templates of a project: built-in, with the project's own in their place.
pub struct HtmlTemplates {
    tera: Tera,
    pub css: String,
}

impl HtmlTemplates {
    pub fn load(sources: &SourceSet) -> Result<Self, Diagnostic> {
        let mut tera = Tera::default();
        // Tera's own escaping also turns `/` into `&#x2F;`, which makes every link unreadable
        // in the page source; ours escapes what HTML needs.
        tera.set_escape_fn(super::html::escape);
        super::sandbox::lock_down(&mut tera);
        let mut css = String::new();
        let mut files = Vec::new();
        let mut paths = Vec::new();
        for (name, built_in) in BUILT_IN {
            let path = format!("templates/html/{name}");
            let text = sources.text(&path).unwrap_or(built_in);
            if name == "style.css" {
                css = text.to_string();
            } else {
                files.push((name, text));
                paths.push(path);
            }
        }
        let texts: Vec<TemplateText> = files
            .iter()
            .zip(paths.iter())
            .map(|((name, text), path)| TemplateText { path, name, text })
            .collect();
        template_bounds::check(&texts)?;
        tera.add_raw_templates(files)
            .map_err(|e| template_error(&e, sources))?;
        Ok(HtmlTemplates { tera, css })
    }

    /// The "newer version" banner alone, for the pages of older versions already written;
    /// `newer` is `(version, href)`, or `None` for no banner.
    pub fn newer_banner(&self, newer: Option<(&str, &str)>) -> String {
        let mut cx = Context::new();
        let newer =
            newer.map(|(version, href)| serde_json::json!({ "version": version, "href": href }));
        cx.insert("newer", &newer);
        self.tera
            .render("newer-banner.html", &cx)
            .unwrap_or_default()
    }

    fn render(
        &self,
        name: &str,
        context: &Context,
        sources: &SourceSet,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| template_error(&e, sources))
    }
}

/// What `check` finds in a project's own HTML templates: calls of functions guidepack turns
/// off, and templates that do not load.
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
    if own && let Err(d) = HtmlTemplates::load(sources) {
        found.push(d);
    }
    found
}

/// A tera error, with its chain of causes, as a diagnostic on the template file.
fn template_error(err: &tera::Error, sources: &SourceSet) -> Diagnostic {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    let file = BUILT_IN
        .iter()
        .map(|(name, _)| format!("templates/html/{name}"))
        .find(|path| {
            message.contains(path.rsplit('/').next().unwrap_or("")) && sources.contains(path)
        });
    let d = Diagnostic::error(format!("an HTML template failed: {message}"));
    match file {
        Some(file) => d
            .in_file(&file)
            .help("fix the template, or delete it to use the built-in one"),
        None => d.help("this is a bug in guidepack's built-in templates; please report it"),
    }
}

#[derive(Serialize)]
struct PackView<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    publisher: &'a str,
    version: &'a str,
    date: &'a str,
    date_display: String,
    language: &'a str,
    /// For an unreleased working copy: the release whose text has changed since.
    unreleased_since: Option<&'a str>,
    /// For the reviewer's copy (every audience's and area's text, labelled).
    reviewer_copy: bool,
}

#[derive(Serialize)]
struct ChapterLink<'a> {
    id: &'a str,
    number: &'a str,
    title: &'a str,
    href: String,
    summary: Option<&'a str>,
    draft: bool,
    current: bool,
}

#[derive(Serialize)]
struct NavLink {
    href: String,
    title: String,
}

/// Up to this many chapters (annexes included), every chapter page lists every chapter in its
/// navigation. A longer pack's chapter pages list the chapters near the current one and link
/// to the contents page for the rest: a list of every chapter on every page would make the
/// pack's size grow with the square of its chapters (1,000 chapters wrote 661 MB).
pub const FULL_NAVIGATION_UP_TO: usize = 60;

/// How many chapters before and after the current one a long pack's chapter pages list.
pub const NAVIGATION_NEIGHBOURS: usize = 5;

/// The chapters a chapter page's navigation lists: all of them in an ordinary pack, those near
/// `current` in a long one; with how many are left out before and after.
pub fn navigation_window(
    chapters: usize,
    current: usize,
) -> (std::ops::Range<usize>, usize, usize) {
    if chapters <= FULL_NAVIGATION_UP_TO {
        return (0..chapters, 0, 0);
    }
    let start = current.saturating_sub(NAVIGATION_NEIGHBOURS);
    let end = (current + NAVIGATION_NEIGHBOURS + 1).min(chapters);
    (start..end, start, chapters - end)
}

/// What every page title and the PDF of the reviewer's copy say first.
pub const REVIEWER_COPY: &str = "Reviewer's copy — not for publication";

/// What a pack's pages need to know besides the pack.
pub struct PageSetup<'a> {
    pub config: &'a Config,
    pub pdf: Option<(String, usize)>,
    pub newer: Option<(String, String)>,
}

/// Renders the HTML pages of one pack: `(file name, contents)` pairs.
pub fn pack_pages(
    pack: &Pack,
    setup: &PageSetup,
    templates: &HtmlTemplates,
    sources: &SourceSet,
) -> Result<Vec<(String, String)>, Diagnostic> {
    let info = &setup.config.pack;
    let mut base = Context::new();
    base.insert(
        "pack",
        &PackView {
            title: &info.title,
            subtitle: info.subtitle.as_deref(),
            publisher: &info.publisher,
            version: &info.version,
            date: &info.date,
            date_display: info.date_display(),
            language: &info.language,
            unreleased_since: info.unreleased_since.as_deref(),
            reviewer_copy: info.reviewer_copy,
        },
    );
    base.insert("audience", &serde_json::json!({
        "id": pack.audience.id, "name": pack.audience.name, "description": pack.audience.description,
    }));
    base.insert(
        "area",
        &pack
            .area
            .as_ref()
            .map(|a| serde_json::json!({ "id": a.id, "name": a.name })),
    );
    base.insert("css_href", "style.css");
    base.insert("home_href", "index.html");
    base.insert("all_href", "all.html");
    base.insert(
        "site_href",
        &format!(
            "{}index.html",
            "../".repeat(pack.dir().matches('/').count() + 2)
        ),
    );
    base.insert("pdf_href", &setup.pdf.as_ref().map(|(name, _)| name));
    base.insert(
        "pdf_bytes_display",
        &setup
            .pdf
            .as_ref()
            .map(|(_, bytes)| format!("{} KB", bytes.div_ceil(1024))),
    );
    base.insert("draft", &pack.is_draft());
    base.insert(
        "newer",
        &setup
            .newer
            .as_ref()
            .map(|(version, href)| serde_json::json!({ "version": version, "href": href })),
    );
    base.insert(
        "generator",
        &format!("guidepack {}", env!("CARGO_PKG_VERSION")),
    );

    let audience_part = match &pack.area {
        None if info.reviewer_copy => "every audience and area".to_string(),
        None => pack.audience.name.clone(),
        Some(area) => format!("{}, {}", pack.audience.name, area.name),
    };
    // Every page title of a working copy says so first (browser tabs, bookmarks, history).
    let mut unreleased = info
        .unreleased_since
        .as_ref()
        .map_or(String::new(), |since| {
            format!("Unreleased changes since {since}: ")
        });
    if info.reviewer_copy {
        unreleased.insert_str(0, &format!("{REVIEWER_COPY}: "));
    }
    base.insert("chapters_before", &0);
    base.insert("chapters_after", &0);
    let links = |range: std::ops::Range<usize>, current: Option<&str>| -> Vec<ChapterLink> {
        pack.chapters[range]
            .iter()
            .map(|c| ChapterLink {
                id: &c.id,
                number: &c.number,
                title: &c.title,
                href: format!("{}.html", c.id),
                summary: c.summary.as_deref(),
                draft: c.draft,
                current: current == Some(c.id.as_str()),
            })
            .collect()
    };

    let mut pages = Vec::new();
    let mut contents = base.clone();
    let every = 0..pack.chapters.len();
    contents.insert("chapters", &links(every.clone(), None));
    contents.insert(
        "page_title",
        &format!("{unreleased}{} ({audience_part})", info.title),
    );
    pages.push((
        "index.html".to_string(),
        templates.render("contents.html", &contents, sources)?,
    ));

    for (i, chapter) in pack.chapters.iter().enumerate() {
        let tables = TableNames::default();
        let page = HtmlPage::new(&chapter.id, &chapter.title, false, 0, &tables);
        let mut cx = base.clone();
        let (near, before, after) = navigation_window(pack.chapters.len(), i);
        cx.insert("chapters", &links(near, Some(&chapter.id)));
        cx.insert("chapters_before", &before);
        cx.insert("chapters_after", &after);
        cx.insert(
            "page_title",
            &format!(
                "{unreleased}{} – {} ({audience_part})",
                chapter.title, info.title
            ),
        );
        cx.insert(
            "chapter",
            &serde_json::json!({
                "id": chapter.id,
                "number": chapter.number,
                "title": chapter.title,
                "summary": chapter.summary,
                "draft": chapter.draft,
                "body_html": page.blocks(&chapter.blocks),
                "footnotes_html": page.footnotes(&chapter.footnotes),
            }),
        );
        let nav = |c: &crate::resolve::PackChapter| NavLink {
            href: format!("{}.html", c.id),
            title: c.title.clone(),
        };
        cx.insert("prev", &i.checked_sub(1).map(|p| nav(&pack.chapters[p])));
        cx.insert("next", &pack.chapters.get(i + 1).map(nav));
        pages.push((
            format!("{}.html", chapter.id),
            templates.render("chapter.html", &cx, sources)?,
        ));
    }

    // One page: the table names are shared by all its chapters.
    let tables = TableNames::default();
    let sections: Vec<serde_json::Value> = pack
        .chapters
        .iter()
        .map(|chapter| {
            let page = HtmlPage::new(&chapter.id, &chapter.title, true, 1, &tables);
            serde_json::json!({
                "id": chapter.id,
                "number": chapter.number,
                "title": chapter.title,
                "draft": chapter.draft,
                "body_html": page.blocks(&chapter.blocks),
                "footnotes_html": page.footnotes(&chapter.footnotes),
            })
        })
        .collect();
    let mut all = base;
    all.insert("chapters", &links(every, None));
    all.insert("sections", &sections);
    all.insert(
        "page_title",
        &format!(
            "{unreleased}{} – whole pack on one page ({audience_part})",
            info.title
        ),
    );
    pages.push((
        "all.html".to_string(),
        templates.render("all.html", &all, sources)?,
    ));
    Ok(pages)
}

/// One pack in the index of every pack built.
#[derive(Clone, Debug, Serialize)]
pub struct IndexedPack {
    pub audience_name: String,
    pub area_name: Option<String>,
    pub href: String,
    pub pdf_href: Option<String>,
}

/// One version in the index of every pack built.
#[derive(Clone, Debug, Serialize)]
pub struct IndexedVersion {
    pub version: String,
    pub date_display: String,
    pub latest: bool,
    /// For an unreleased working copy (`1.0.0+unreleased`): the release it has changed since.
    pub unreleased_since: Option<String>,
    pub packs: Vec<IndexedPack>,
    /// The version's reviewer's copy, when one is built (listed apart from the packs).
    pub review: Option<IndexedPack>,
}

/// `output/index.html`: every pack built, by version (newest first), audience and area.
pub fn site_index(
    config: &Config,
    versions: &[IndexedVersion],
    templates: &HtmlTemplates,
    sources: &SourceSet,
) -> Result<String, Diagnostic> {
    let mut cx = Context::new();
    cx.insert("title", &config.pack.title);
    cx.insert(
        "generator",
        &format!("guidepack {}", env!("CARGO_PKG_VERSION")),
    );
    cx.insert("css_href", "style.css");
    cx.insert("language", &config.pack.language);
    cx.insert("versions", versions);
    templates.render("site-index.html", &cx, sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigation_lists_all_chapters_of_an_ordinary_pack_and_the_nearby_ones_of_a_long_one() {
        assert_eq!(navigation_window(60, 30), (0..60, 0, 0));
        assert_eq!(navigation_window(61, 30), (25..36, 25, 25));
        assert_eq!(navigation_window(100, 0), (0..6, 0, 94));
        assert_eq!(navigation_window(100, 99), (94..100, 94, 0));
    }
}
