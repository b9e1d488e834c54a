//! HTML pages with tera: a pack's contents page, one page per chapter, the whole pack on one
//! page, and the index of every pack built. The built-in templates are embedded; a project's
//! own `templates/html/<name>` replaces the built-in file of that name.

use serde::Serialize;
use tera::{Context, Tera};

use super::html::{HtmlPage, TableNames};
use super::renderer::{Download, DownloadKind};
use super::search_index;
use super::template_bounds::{self, TemplateText};
use super::template_errors::{self, Template};
use crate::diagnostic::Diagnostic;
use crate::model::Config;
use crate::resolve::Pack;
use crate::sources::SourceSet;
use crate::statements;

/// The built-in HTML templates, by file name.
pub const BUILT_IN: [(&str, &str); 10] = [
    (
        "newer-banner.html",
        include_str!("../../templates/html/newer-banner.html"),
    ),
    (
        "versions.html",
        include_str!("../../templates/html/versions.html"),
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
        "accessibility.html",
        include_str!("../../templates/html/accessibility.html"),
    ),
    (
        "site-index.html",
        include_str!("../../templates/html/site-index.html"),
    ),
    ("style.css", include_str!("../../templates/html/style.css")),
    (
        "review.css",
        include_str!("../../templates/html/review.css"),
    ),
];

/// The HTML templates of a project: built-in, with the project's own in their place.
/// What a project's template falls back to when deleted.
const BUILT_IN_WORDS: &str = "the built-in one";

pub struct HtmlTemplates {
    tera: Tera,
    pub css: String,
    /// The styles of the reviewer's copy only, added after `css` in its own stylesheet (so
    /// that the packs' stylesheet is as it was).
    pub review_css: String,
    /// Each template's name, path, text, whether the project wrote it, and what deleting it
    /// falls back to, to place errors and say how to go on.
    files: Vec<(&'static str, String, String, bool, String)>,
    /// For a trial render with made-up packs: an error that may only come from the made-up
    /// data (an index past the end of a list) is let pass.
    lenient: bool,
    /// The templates of each area with its own (`content/areas/<id>/templates/html/…`), by id.
    pub areas: std::collections::BTreeMap<String, HtmlTemplates>,
}

impl HtmlTemplates {
    /// The project's templates, and those of each area with its own: an area's file wins over
    /// the project's, which wins over the built-in one, for that area's packs only.
    pub fn load(sources: &SourceSet) -> Result<Self, Diagnostic> {
        let mut templates = Self::load_for(sources, None)?;
        for id in areas_with_templates(sources) {
            let own = Self::load_for(sources, Some(&id))?;
            templates.areas.insert(id, own);
        }
        Ok(templates)
    }

    /// The templates a pack's pages are made with: its area's own, or the project's.
    pub fn for_pack(&self, pack: &Pack) -> &HtmlTemplates {
        (pack.area.as_ref())
            .and_then(|a| self.areas.get(&a.id))
            .unwrap_or(self)
    }

    fn load_for(sources: &SourceSet, area: Option<&str>) -> Result<Self, Diagnostic> {
        let mut tera = Tera::default();
        // Tera's own escaping also turns `/` into `&#x2F;`, which makes every link unreadable
        // in the page source; ours escapes what HTML needs.
        tera.set_escape_fn(super::html::escape);
        super::sandbox::lock_down(&mut tera);
        let mut css = String::new();
        let mut review_css = String::new();
        let mut files = Vec::new();
        for (name, built_in) in BUILT_IN {
            let project = format!("templates/html/{name}");
            let in_area = area.map(|id| format!("content/areas/{id}/templates/html/{name}"));
            // What deleting the file falls back to, for an error's help.
            let (path, fallback) = match &in_area {
                Some(p) if sources.text(p).is_some() && sources.text(&project).is_some() => {
                    (p.clone(), format!("the project's `{project}`"))
                }
                Some(p) if sources.text(p).is_some() => (p.clone(), BUILT_IN_WORDS.to_string()),
                _ => (project, BUILT_IN_WORDS.to_string()),
            };
            let own = sources.text(&path);
            let text = own.unwrap_or(built_in);
            if name == "style.css" {
                css = text.to_string();
            } else if name == "review.css" {
                review_css = text.to_string();
            } else {
                files.push((name, path, text.to_string(), own.is_some(), fallback));
            }
        }
        let texts: Vec<TemplateText> = files
            .iter()
            .map(|(name, path, text, ..)| TemplateText { path, name, text })
            .collect();
        template_bounds::check(&texts)?;
        let mut templates = HtmlTemplates {
            tera,
            css,
            review_css,
            files,
            lenient: false,
            areas: Default::default(),
        };
        let raw: Vec<(&str, &str)> = templates
            .files
            .iter()
            .map(|(name, _, text, ..)| (*name, text.as_str()))
            .collect();
        if let Err(e) = templates.tera.add_raw_templates(raw) {
            return Err(templates.error(&e, None));
        }
        if sources.text("templates/html/site-index.html").is_some() {
            try_site_index(&templates)?;
        }
        Ok(templates)
    }

    /// A tera error as a diagnostic at its template's file, line and column.
    fn error(&self, err: &tera::Error, context: Option<&Context>) -> Diagnostic {
        let list: Vec<Template> = self
            .files
            .iter()
            .map(|(name, path, text, own, fallback)| Template {
                name,
                path,
                text,
                own: *own,
                fallback,
            })
            .collect();
        let context = context.map(|c| c.clone().into_json());
        template_errors::diagnose(err, &list, context.as_ref())
    }

    /// The "newer version" banner alone, for the pages of older versions already written;
    /// `newer` is `(version, href)`, or `None` for no banner.
    pub fn newer_banner(
        &self,
        newer: Option<(&str, &str)>,
        labels: &crate::labels::Labels,
    ) -> String {
        let mut cx = Context::new();
        cx.insert("labels", labels);
        let newer =
            newer.map(|(version, href)| serde_json::json!({ "version": version, "href": href }));
        cx.insert("newer", &newer);
        self.tera
            .render("newer-banner.html", &cx)
            .unwrap_or_default()
    }

    /// The list of a pack's versions alone (`versions.html`) for one place of a page
    /// (`footer` or `summary`), for the pages already in the output.
    pub fn versions_list(
        &self,
        versions: &[crate::output::OtherVersion],
        place: &str,
        labels: &crate::labels::Labels,
    ) -> String {
        let mut cx = Context::new();
        cx.insert("labels", labels);
        cx.insert("versions", versions);
        cx.insert("versions_place", place);
        self.tera.render("versions.html", &cx).unwrap_or_default()
    }

    pub(super) fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        match self.tera.render(name, context) {
            Ok(page) => Ok(page),
            Err(e) if self.lenient && template_errors::depends_on_data(&e) => Ok(String::new()),
            Err(e) => Err(self.error(&e, Some(context))),
        }
    }

    /// The same templates for trial renders with made-up data.
    pub(super) fn lenient(&self) -> Self {
        HtmlTemplates {
            tera: self.tera.clone(),
            css: String::new(),
            review_css: String::new(),
            files: self.files.clone(),
            lenient: true,
            areas: (self.areas.iter())
                .map(|(id, t)| (id.clone(), t.lenient()))
                .collect(),
        }
    }
}

/// The ids of the areas with a file under `content/areas/<id>/templates/html/`.
pub fn areas_with_templates(sources: &SourceSet) -> std::collections::BTreeSet<String> {
    (sources.texts.keys())
        .filter_map(|path| {
            let (id, rest) = path.strip_prefix("content/areas/")?.split_once('/')?;
            rest.starts_with("templates/html/").then(|| id.to_string())
        })
        .collect()
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

/// A whole-pack download made of the pack, as its pages link to it.
#[derive(Serialize)]
struct DownloadLink<'a> {
    #[serde(flatten)]
    kind: DownloadKind,
    href: &'a str,
    bytes_display: String,
}

/// A file's size as the pages show it: "312 KB".
pub fn size_display(bytes: u64) -> String {
    format!("{} KB", bytes.div_ceil(1024))
}

/// The file name of a pack's accessibility statement (its id is reserved for it).
pub const ACCESSIBILITY_PAGE: &str = "accessibility.html";

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

/// What a pack's pages need to know besides the pack.
pub struct PageSetup<'a> {
    pub config: &'a Config,
    /// The whole-pack downloads of the formats made before the pages: the templates'
    /// `downloads` lists those made; each also gives `<key>_href` and `<key>_bytes_display`
    /// (`pdf_href`), empty when not made.
    pub downloads: &'a [Download],
    pub newer: Option<(String, String)>,
    /// The pack's versions (`versions.html`): empty when the pages are built; guidepack
    /// writes the list into the pages in the output afterwards (`output::mark_older_versions`).
    pub versions: &'a [crate::output::OtherVersion],
}

/// Renders the HTML pages of one pack: `(file name, contents)` pairs.
pub fn pack_pages(
    pack: &Pack,
    setup: &PageSetup,
    templates: &HtmlTemplates,
) -> Result<Vec<(String, String)>, Diagnostic> {
    let info = &setup.config.pack;
    let mut base = Context::new();
    use super::template_data as data;
    base.insert("pack", &data::pack_value(setup.config, pack));
    base.insert("audience", &data::audience_value(pack));
    base.insert("labels", &data::labels_value(setup.config));
    base.insert("area", &data::area_value(pack));
    base.insert(
        "brand",
        &data::brand_value(setup.config, pack, data::LogoRef::Html),
    );
    base.insert("css_href", "style.css");
    // The search script and its index (empty when `[html] search = false`).
    let search = setup.config.html.search;
    let href = |file: &'static str| if search { file } else { "" };
    base.insert("search_href", href(search_index::SCRIPT_FILE));
    base.insert("search_index_href", href(search_index::INDEX_FILE));
    base.insert("home_href", "index.html");
    base.insert("all_href", "all.html");
    base.insert(
        "site_href",
        &format!(
            "{}index.html",
            "../".repeat(pack.dir().matches('/').count() + 2)
        ),
    );
    for download in setup.downloads {
        let file = download.file.as_ref();
        base.insert(
            format!("{}_href", download.kind.key),
            &file.map(|(name, _)| name),
        );
        base.insert(
            format!("{}_bytes_display", download.kind.key),
            &file.map(|(_, bytes)| size_display(*bytes as u64)),
        );
    }
    let downloads: Vec<serde_json::Value> = (setup.downloads.iter())
        .filter_map(|d| {
            let (name, bytes) = d.file.as_ref()?;
            let link = DownloadLink {
                kind: d.kind,
                href: name,
                bytes_display: size_display(*bytes as u64),
            };
            // The format's name in the pack's language (`format_pdf`), else its own.
            let mut link = serde_json::to_value(link).ok()?;
            let key = format!("format_{}", d.kind.key);
            link["label"] = info.labels.get_or(&key, d.kind.label).into();
            Some(link)
        })
        .collect();
    base.insert("downloads", &downloads);
    // The statements every page carries: the licence in the footer, and a link to the
    // accessibility statement.
    let statement_page = |blocks: &[crate::doc::Block]| {
        let tables = TableNames::new(&setup.config.pack.labels);
        let title = setup.config.pack.labels.get("accessibility_statement");
        HtmlPage::new("", title, false, 0, &tables).blocks(blocks)
    };
    base.insert(
        "licence_html",
        &statement_page(&statements::licence(setup.config)),
    );
    base.insert("accessibility_href", ACCESSIBILITY_PAGE);
    base.insert("draft", &pack.is_draft());
    base.insert(
        "newer",
        &setup
            .newer
            .as_ref()
            .map(|(version, href)| serde_json::json!({ "version": version, "href": href })),
    );
    base.insert("versions", setup.versions);
    base.insert(
        "generator",
        &format!("guidepack {}", env!("CARGO_PKG_VERSION")),
    );

    let labels = &info.labels;
    let audience_part = match &pack.area {
        None if pack.reviewer_copy => labels.get("every_audience_and_area").to_string(),
        None => pack.audience.name.clone(),
        Some(area) => format!("{}, {}", pack.audience.name, area.name),
    };
    // Every page title of a working copy says so first (browser tabs, bookmarks, history).
    let mut unreleased = info
        .unreleased_since
        .as_ref()
        .map_or(String::new(), |since| {
            labels.fill("unreleased_since", &[("version", since.as_str())]) + ": "
        });
    if pack.reviewer_copy {
        unreleased.insert_str(0, &format!("{}: ", labels.get("reviewer_copy_title")));
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
    let mut bodies = Vec::new();
    let mut contents = base.clone();
    let every = 0..pack.chapters.len();
    contents.insert("chapters", &links(every.clone(), None));
    contents.insert(
        "page_title",
        &format!("{unreleased}{} ({audience_part})", info.title),
    );
    pages.push((
        "index.html".to_string(),
        templates.render("contents.html", &contents)?,
    ));

    for (i, chapter) in pack.chapters.iter().enumerate() {
        let tables = TableNames::new(&setup.config.pack.labels);
        let page = HtmlPage::new(&chapter.id, &chapter.title, false, 0, &tables);
        let body_html = page.blocks(&chapter.blocks);
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
                "language": chapter.language,
                "dir": chapter.language.as_deref().map(crate::model::direction),
                "body_html": &body_html,
                "footnotes_html": page.footnotes(&chapter.footnotes),
            }),
        );
        if search {
            bodies.push(body_html);
        }
        let nav = |c: &crate::resolve::PackChapter| NavLink {
            href: format!("{}.html", c.id),
            title: c.title.clone(),
        };
        cx.insert("prev", &i.checked_sub(1).map(|p| nav(&pack.chapters[p])));
        cx.insert("next", &pack.chapters.get(i + 1).map(nav));
        pages.push((
            format!("{}.html", chapter.id),
            templates.render("chapter.html", &cx)?,
        ));
    }

    // One page: the table names are shared by all its chapters.
    let tables = TableNames::new(&setup.config.pack.labels);
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
                "language": chapter.language,
                "dir": chapter.language.as_deref().map(crate::model::direction),
                "body_html": page.blocks(&chapter.blocks),
                "footnotes_html": page.footnotes(&chapter.footnotes),
            })
        })
        .collect();
    let mut all = base.clone();
    all.insert("chapters", &links(every.clone(), None));
    all.insert("sections", &sections);
    all.insert(
        "page_title",
        &format!(
            "{unreleased}{} – {} ({audience_part})",
            info.title,
            labels.get("one_page_title")
        ),
    );
    pages.push(("all.html".to_string(), templates.render("all.html", &all)?));
    if search {
        let chapters: Vec<search_index::ChapterText> = (pack.chapters.iter().zip(&bodies))
            .map(|(c, body)| search_index::ChapterText {
                id: &c.id,
                number: &c.number,
                title: &c.title,
                summary: c.summary.as_deref(),
                body_html: body,
            })
            .collect();
        pages.push((
            search_index::INDEX_FILE.to_string(),
            search_index::index_file(&chapters),
        ));
        pages.push((
            search_index::SCRIPT_FILE.to_string(),
            search_index::SCRIPT.to_string(),
        ));
    }

    let mut statement = base;
    statement.insert("chapters", &links(every, None));
    let (title, version) = (info.title.as_str(), info.version.as_str());
    let what = match &pack.area {
        None if pack.reviewer_copy => labels.fill(
            "a11y_what_review",
            &[("title", title), ("version", version)],
        ),
        _ => labels.fill(
            "a11y_what",
            &[
                ("title", title),
                ("audience", &audience_part),
                ("version", version),
            ],
        ),
    };
    statement.insert(
        "statement_html",
        &statement_page(&statements::accessibility_statement(setup.config, &what)),
    );
    let statement_title = labels.get("accessibility_statement");
    statement.insert("statement_title", statement_title);
    statement.insert(
        "page_title",
        &format!(
            "{unreleased}{statement_title} – {} ({audience_part})",
            info.title
        ),
    );
    pages.push((
        ACCESSIBILITY_PAGE.to_string(),
        templates.render("accessibility.html", &statement)?,
    ));
    Ok(pages)
}

/// One pack in the index of every pack built.
#[derive(Clone, Debug, Serialize)]
pub struct IndexedPack {
    pub audience_name: String,
    pub area_name: Option<String>,
    pub href: String,
    /// The pack's whole-pack downloads, as `<key>_href` (`pdf_href`): one for every format
    /// that makes one, null when the version has none of it.
    #[serde(flatten)]
    pub hrefs: std::collections::BTreeMap<String, Option<String>>,
    /// The pack's downloads, one for each of its version's `formats`, in that order (the
    /// columns of the version's table): `href` null where this pack has none of that format.
    pub downloads: Vec<IndexedDownload>,
}

/// A download of a pack in the index of every pack built.
#[derive(Clone, Debug, Serialize)]
pub struct IndexedDownload {
    #[serde(flatten)]
    pub kind: DownloadKind,
    pub href: Option<String>,
    pub bytes_display: Option<String>,
}

/// One version in the index of every pack built.
#[derive(Clone, Debug, Serialize)]
pub struct IndexedVersion {
    pub version: String,
    pub date_display: String,
    pub latest: bool,
    /// For an unreleased working copy (`1.0.0+unreleased`): the release it has changed since.
    pub unreleased_since: Option<String>,
    /// For an area's own released edition (`output/1.0.0-kent.2/`, from `release --area`):
    /// the area's name, the national version and the revision.
    pub area_edition: Option<IndexedEdition>,
    pub packs: Vec<IndexedPack>,
    /// The version's reviewer's copy, when one is built (listed apart from the packs).
    pub review: Option<IndexedPack>,
    /// The whole-pack downloads some pack of the version has, in registration order.
    pub formats: Vec<DownloadKind>,
}

/// An area's own release of a national version, as the site index names it.
#[derive(Clone, Debug, Serialize)]
pub struct IndexedEdition {
    pub area_name: String,
    pub national_version: String,
    pub revision: String,
}

/// `output/index.html`: every pack built, by version (newest first), audience and area.
pub fn site_index(
    config: &Config,
    versions: &[IndexedVersion],
    templates: &HtmlTemplates,
) -> Result<String, Diagnostic> {
    let info = &config.pack;
    let cx = index_context(&info.title, &info.language, &info.labels, versions);
    templates.render("site-index.html", &cx)
}

fn index_context(
    title: &str,
    language: &str,
    labels: &crate::labels::Labels,
    versions: &[IndexedVersion],
) -> Context {
    // The formats' names in the pack's language (`format_pdf`), as the packs' pages say them.
    let mut versions = serde_json::to_value(versions).unwrap_or(serde_json::Value::Null);
    let name = |kind: &mut serde_json::Value| {
        let key = kind["key"].as_str().map(|k| format!("format_{k}"));
        if let (Some(key), Some(label)) = (key, kind["label"].as_str()) {
            kind["label"] = labels.get_or(&key, label).to_string().into();
        }
    };
    for version in versions.as_array_mut().into_iter().flatten() {
        for kind in version["formats"].as_array_mut().into_iter().flatten() {
            name(kind);
        }
        let downloads = |pack: &mut serde_json::Value| {
            if let Some(kinds) = pack.get_mut("downloads").and_then(|d| d.as_array_mut()) {
                kinds.iter_mut().for_each(name);
            }
        };
        version["packs"]
            .as_array_mut()
            .into_iter()
            .flatten()
            .for_each(downloads);
        if version["review"].is_object() {
            downloads(&mut version["review"]);
        }
    }
    let mut cx = Context::new();
    cx.insert("title", title);
    cx.insert(
        "generator",
        &format!("guidepack {}", env!("CARGO_PKG_VERSION")),
    );
    cx.insert("css_href", "style.css");
    cx.insert("language", language);
    cx.insert("dir", crate::model::direction(language));
    cx.insert("versions", &versions);
    cx.insert("labels", labels);
    cx
}

/// Renders a project's own `site-index.html` with made-up versions when the templates load,
/// so that its mistakes stop a build before any pack is written: the index itself is written
/// after the packs are in place, too late to refuse the build. An error that may only come from
/// the made-up data (an index past the end of a list) is let pass; the real render reports it.
fn try_site_index(templates: &HtmlTemplates) -> Result<(), Diagnostic> {
    // A made-up download for every `<key>_href` the template uses (`pdf_href`): the index
    // gives one for each format that makes a whole-pack download (see `build::site`).
    let text = (templates.files.iter())
        .find(|(name, ..)| *name == "site-index.html")
        .map_or("", |(_, _, text, ..)| text.as_str());
    let mut keys: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter_map(|word| word.strip_suffix("_href"))
        .filter(|key| !key.is_empty())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let hrefs = |href: fn(&str) -> Option<String>| {
        (keys.iter())
            .map(|key| (format!("{key}_href"), href(key)))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    // And made-up downloads as the index lists them, two formats (this module does not know
    // the registered ones: the registry knows the HTML format, which uses these templates).
    let formats = [("pdf", "PDF"), ("doc", "Document")].map(|(key, label)| DownloadKind {
        key,
        label,
        media_type: "application/octet-stream",
        ending: "",
    });
    let downloads = |href: fn(&str) -> Option<String>| -> Vec<IndexedDownload> {
        (formats.iter())
            .map(|&kind| IndexedDownload {
                kind,
                href: href(kind.key),
                bytes_display: href(kind.key).map(|_| size_display(123_456)),
            })
            .collect()
    };
    let templates = templates.lenient();
    let packs = vec![
        IndexedPack {
            audience_name: "Providers".to_string(),
            area_name: None,
            href: "2.0.0/providers/index.html".to_string(),
            hrefs: hrefs(|key| Some(format!("2.0.0/providers/pack.{key}"))),
            downloads: downloads(|key| Some(format!("2.0.0/providers/pack.{key}"))),
        },
        IndexedPack {
            audience_name: "Providers".to_string(),
            area_name: Some("Northshire".to_string()),
            href: "2.0.0/areas/northshire/providers/index.html".to_string(),
            hrefs: hrefs(|_| None),
            downloads: downloads(|_| None),
        },
    ];
    let version = |version: &str, latest: bool, since: Option<&str>| IndexedVersion {
        version: version.to_string(),
        date_display: "1 April 2026".to_string(),
        latest,
        unreleased_since: since.map(str::to_string),
        area_edition: None,
        packs: packs.clone(),
        review: Some(IndexedPack {
            audience_name: "Reviewer's copy".to_string(),
            area_name: None,
            href: format!("{version}/review/index.html"),
            hrefs: hrefs(|key| Some(format!("review/pack.{key}"))),
            downloads: downloads(|key| Some(format!("review/pack.{key}"))),
        }),
        formats: formats.to_vec(),
    };
    let versions = [
        version("2.0.0+unreleased", false, Some("2.0.0")),
        version("2.0.0", true, None),
        version("1.0.0", false, None),
    ];
    let labels = crate::labels::Labels::default();
    let cx = index_context("Guidance", "en-GB", &labels, &versions);
    templates.render("site-index.html", &cx).map(|_| ())
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
