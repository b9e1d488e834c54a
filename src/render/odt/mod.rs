//! The ODT format: one OpenDocument Text (ODF 1.2) file a pack, for editing in LibreOffice or
//! Word, made by guidepack itself: `content.xml` (`content`), `styles.xml` (`styles`),
//! `meta.xml` (`meta`) and the pictures, written with a small XML writer (`xml`) and zipped
//! the same way every time (`package`). Named like the pack's PDF, with `.odt`.

mod body;
mod content;
mod meta;
mod package;
mod styles;
mod xml;

use super::renderer::{Download, DownloadKind, Files, PackRenderer, Renderer, Start};
use crate::diagnostic::Diagnostic;
use crate::doc::Block;
use crate::model::{Config, Paper};
use crate::resolve::Pack;
use crate::sources::SourceSet;

pub use package::MEDIA_TYPE;

/// The ODT format, offered as a download of the whole pack (`odt_href` in the HTML templates).
pub struct OdtRenderer;

impl Renderer for OdtRenderer {
    fn name(&self) -> &'static str {
        "odt"
    }

    fn label(&self) -> &'static str {
        "ODT"
    }

    fn download(&self) -> Option<DownloadKind> {
        Some(DownloadKind {
            key: "odt",
            label: "OpenDocument text (ODT)",
            media_type: MEDIA_TYPE,
            ending: ".odt",
        })
    }

    fn names(&self, pack: &Pack, config: &Config) -> Option<Vec<String>> {
        Some(vec![file_name(pack, &super::pack_config(config, pack))])
    }

    fn start<'a>(&'a self, start: &Start<'a>) -> Result<Box<dyn PackRenderer + 'a>, Diagnostic> {
        Ok(Box::new(Started {
            config: start.config,
            sources: start.sources,
        }))
    }
}

struct Started<'a> {
    config: &'a Config,
    sources: &'a SourceSet,
}

impl PackRenderer for Started<'_> {
    fn render(&self, pack: &Pack, _downloads: &[Download]) -> Result<Files, Vec<Diagnostic>> {
        let config = &*super::pack_config(self.config, pack);
        let bytes = render(pack, config, self.sources)?;
        Ok(vec![(file_name(pack, config), bytes)])
    }
}

/// The file name of a pack's ODT: its PDF's, with `.odt`.
pub fn file_name(pack: &Pack, config: &Config) -> String {
    let pdf = super::pdf::file_name(pack, config);
    format!("{}.odt", pdf.strip_suffix(".pdf").unwrap_or(&pdf))
}

/// What the cover, footer, styles and metadata say of a pack.
pub struct Facts {
    pub title: String,
    /// `dc:title`: the title and the audience (and what the PDF's title adds).
    pub document_title: String,
    pub subtitle: Option<String>,
    /// The publishing body: the brand's organisation (an area's own, else the national one,
    /// else `[pack] publisher`).
    pub publisher: String,
    /// For an area with its own organisation: "Published by …, based on national guidance from …".
    pub published_by: Option<String>,
    /// The brand's logo in the package: its path, width and height in cm, and alt text.
    pub logo: Option<Logo>,
    /// The brand's colour (`#rrggbb`, checked for contrast), else guidepack's blue.
    pub accent: String,
    pub version: String,
    /// The version as the cover shows it (a working copy's says what it has changed since).
    pub version_shown: String,
    /// `pack.date`, `YYYY-MM-DD`.
    pub date: String,
    pub date_display: String,
    /// The language tag (`en-GB`), and its language and country for the styles.
    pub language_tag: String,
    pub language: String,
    pub country: Option<String>,
    pub generator: String,
    pub audience: String,
    pub audience_description: String,
    pub area: Option<String>,
    /// The marks at the top of every page (draft, reviewer's copy, unreleased changes).
    pub marks: Vec<String>,
    /// The marks on the cover, each with what it means (or nothing).
    pub cover_marks: Vec<(String, String)>,
    /// The footer's text: title · audience · area · version.
    pub running: String,
    /// The page's width and height, its side margins and the text's width, in cm.
    pub page: (f64, f64),
    pub margin: f64,
    pub text_width: f64,
    /// The words guidepack writes itself, in the pack's language.
    pub labels: crate::labels::Labels,
}

/// The brand's logo as the cover shows it.
pub struct Logo {
    pub path: String,
    pub width: f64,
    pub height: f64,
    pub alt: String,
}

/// The logo's height on the cover, and the most width it may take, in cm.
const LOGO_HEIGHT: f64 = 1.5;
const LOGO_MAX_WIDTH: f64 = 6.0;

impl Facts {
    fn new(pack: &Pack, config: &Config) -> Self {
        let info = &config.pack;
        let brand =
            super::template_data::brand_value(config, pack, super::template_data::LogoRef::Pdf);
        let words = |key: &str| brand[key].as_str().map(str::to_string);
        let (year, month, day) = info.ymd();
        let labels = &info.labels;
        let since = info.unreleased_since.as_ref().map(|v| v.to_string());
        let unreleased_note = since.as_ref().map_or(String::new(), |s| {
            format!(" {}", labels.fill("unreleased_in_title", &[("version", s)]))
        });
        let audience = pack.audience.name.clone();
        let reviewer_copy = labels.get("reviewer_copy_title");
        // As the PDF's title.
        let document_title = match &pack.area {
            _ if pack.reviewer_copy => format!("{} – {reviewer_copy}", info.title),
            Some(area) => format!("{} – {audience}, {}", info.title, area.name),
            None => format!("{} – {audience}", info.title),
        } + &unreleased_note;
        let mut parts = info.language.split('-');
        let language = parts.next().unwrap_or("en").to_lowercase();
        let country = parts.find(|p| p.len() == 2).map(str::to_uppercase);
        let mut marks = Vec::new();
        let mut cover_marks = Vec::new();
        if pack.reviewer_copy {
            marks.push(reviewer_copy.to_string());
            cover_marks.push((
                reviewer_copy.to_string(),
                labels.get("reviewer_copy_pdf_text").to_string(),
            ));
        }
        if pack.is_draft() {
            let draft = labels.get("draft_not_for_use");
            marks.push(draft.to_string());
            cover_marks.push((draft.to_string(), String::new()));
        }
        if let Some(since) = &since {
            let version = [("version", since.as_str())];
            marks.push(labels.fill("unreleased_not_released", &version));
            cover_marks.push((
                labels.fill("unreleased_since", &version),
                labels.fill("unreleased_pdf_text", &version),
            ));
        }
        let mut running = vec![info.title.clone(), pack.audience.name.clone()];
        if let Some(area) = &pack.area {
            running.push(area.name.clone());
        }
        running.push(match &since {
            None => labels.fill("version_x", &[("version", info.version.as_ref())]),
            Some(since) => labels.fill("unreleased_since", &[("version", since)]),
        });
        let page = match config.pdf.paper {
            Paper::A4 => (21.0, 29.7),
            Paper::Letter => (21.59, 27.94),
        };
        let margin = 2.5;
        Facts {
            title: info.title.clone(),
            document_title,
            subtitle: info.subtitle.clone().filter(|s| !s.is_empty()),
            publisher: words("organisation").unwrap_or_else(|| info.publisher.clone()),
            published_by: words("published_by"),
            logo: None,
            accent: words("colour").unwrap_or_else(|| styles::ACCENT.to_string()),
            version: info.version.to_string(),
            version_shown: match &since {
                None => info.version.to_string(),
                Some(since) => labels.fill(
                    "with_unreleased_changes_of",
                    &[("version", since), ("working", info.version.as_ref())],
                ),
            },
            date: format!("{year:04}-{month:02}-{day:02}"),
            date_display: info.date_display(),
            language_tag: info.language.clone(),
            language,
            country,
            generator: format!("guidepack {}", env!("CARGO_PKG_VERSION")),
            audience,
            audience_description: pack.audience.description.clone(),
            area: pack.area.as_ref().map(|a| a.name.clone()),
            marks,
            cover_marks,
            running: running.join(" · "),
            page,
            margin,
            text_width: page.0 - 2.0 * margin,
            labels: labels.clone(),
        }
    }
}

/// The statements on the back of the cover, each under its title: how to ask for another
/// format, then the copyright and licence (left out when guidepack.toml sets neither).
fn statements<'a>(config: &'a Config, pack_title: &str) -> Vec<(&'a str, Vec<Block>)> {
    use crate::statements::{alternative_formats, licence};
    let labels = &config.pack.labels;
    vec![
        (
            labels.get("alternative_formats_title"),
            alternative_formats(config, pack_title),
        ),
        (labels.get("licence_title"), licence(config)),
    ]
}

/// Renders one pack to the bytes of its ODT.
pub fn render(
    pack: &Pack,
    config: &Config,
    sources: &SourceSet,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let mut facts = Facts::new(pack, config);
    let mut pictures = body::Pictures::new();
    let mut parts = Vec::new();
    let mut picture_parts = Vec::new();
    // The brand's logo, for the cover (whether or not a chapter shows it).
    let brand = super::template_data::pack_brand(config, pack);
    if let (Some(src), Some(alt)) = (&brand.logo, &brand.logo_alt)
        && let Some(bytes) = sources.bytes(src)
        && let Some(found) = super::picture::picture(bytes)
    {
        let ending = src.rsplit_once('.').map_or("img", |(_, e)| e);
        let path = format!("Pictures/logo.{}", ending.to_ascii_lowercase());
        let scale = (LOGO_HEIGHT / found.height).min(LOGO_MAX_WIDTH / found.width);
        facts.logo = Some(Logo {
            path: path.clone(),
            width: found.width * scale,
            height: found.height * scale,
            alt: alt.clone(),
        });
        picture_parts.push(package::Part {
            path,
            media_type: found.media_type,
            bytes: bytes.to_vec(),
            deflate: found.media_type == "image/svg+xml",
        });
    }
    for (i, src) in super::images(pack).into_iter().enumerate() {
        let Some(bytes) = sources.bytes(&src) else {
            continue;
        };
        let Some(found) = super::picture::picture(bytes) else {
            pictures.insert(src, None);
            continue;
        };
        let name: String = src
            .rsplit('/')
            .next()
            .unwrap_or("image")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = format!("Pictures/{}-{name}", i + 1);
        pictures.insert(src, Some((path.clone(), found.width, found.height)));
        picture_parts.push(package::Part {
            path,
            media_type: found.media_type,
            bytes: bytes.to_vec(),
            deflate: found.media_type == "image/svg+xml",
        });
    }
    let statements = statements(config, &facts.title);
    let content = content::content(&body::Input {
        pack,
        facts: &facts,
        pictures: &pictures,
        statements: &statements,
    })?;
    for (path, xml) in [
        ("content.xml", content),
        ("styles.xml", styles::styles(&facts)),
        ("meta.xml", meta::meta(&facts)),
    ] {
        parts.push(package::Part {
            path: path.to_string(),
            media_type: "text/xml",
            bytes: xml.into_bytes(),
            deflate: true,
        });
    }
    parts.extend(picture_parts);
    package::package(&parts).map_err(|e| {
        vec![
            Diagnostic::error(format!(
                "internal error: the ODT for {} could not be packed: {e}",
                pack.label()
            ))
            .help("this is a bug in guidepack, not in your text; please report it"),
        ]
    })
}
