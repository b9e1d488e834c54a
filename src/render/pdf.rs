//! A pack as a PDF: its Typst markup, its data as JSON, the template and images as virtual
//! files, compiled by the embedded Typst engine. Typst's errors are mapped back to the Markdown
//! that produced the markup; a user never sees a line of generated Typst.

use serde_json::json;

use super::pdf_engine::{PdfEngine, PdfJob, PdfStandard as EngineStandard, TypstDiagnostic};
use super::typst::{Markup, pack_markup};
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::model::{Config, Paper, PdfStandard};
use crate::output::sha256_hex;
use crate::resolve::Pack;
use crate::sources::SourceSet;

/// The built-in PDF template.
pub const BUILT_IN_TEMPLATE: &str = include_str!("../../templates/pdf/pack.typ");
const TEMPLATE_PATH: &str = "templates/pdf/pack.typ";

/// The engine with the fonts a pack uses: Noto Sans (from the `notosans` crate) and the fonts
/// embedded in typst-assets. Nothing is read from the system.
pub fn engine() -> PdfEngine {
    PdfEngine::with_fonts(vec![
        notosans::REGULAR_TTF.to_vec(),
        notosans::BOLD_TTF.to_vec(),
        notosans::ITALIC_TTF.to_vec(),
        notosans::BOLD_ITALIC_TTF.to_vec(),
    ])
}

/// The file name of a pack's PDF: `<slug>[-<area>]-<audience>-<version>.pdf`.
pub fn file_name(pack: &Pack, config: &Config) -> String {
    let slug = config.pack.slug();
    let version = &config.pack.version;
    match &pack.area {
        None => format!("{slug}-{}-{version}.pdf", pack.audience.id),
        Some(area) => format!("{slug}-{}-{}-{version}.pdf", area.id, pack.audience.id),
    }
}

/// The pack's data as the template reads it.
fn meta(pack: &Pack, config: &Config) -> serde_json::Value {
    let info = &config.pack;
    let (year, month, day) = info.ymd();
    let mut language = info.language.split('-');
    let lang = language.next().unwrap_or("en").to_lowercase();
    let region = language.find(|part| part.len() == 2).map(str::to_lowercase);
    let document_title = match &pack.area {
        None if info.reviewer_copy => format!("{} – {}", info.title, super::site::REVIEWER_COPY),
        None => format!("{} – {}", info.title, pack.audience.name),
        Some(area) => format!("{} – {}, {}", info.title, pack.audience.name, area.name),
    } + &unreleased_note(config);
    json!({
        "title": info.title,
        "subtitle": info.subtitle,
        "publisher": info.publisher,
        "version": info.version,
        "date": { "year": year, "month": month, "day": day },
        "date_display": info.date_display(),
        "audience": { "id": pack.audience.id, "name": pack.audience.name, "description": pack.audience.description },
        "area": pack.area.as_ref().map(|a| json!({ "id": a.id, "name": a.name })),
        "lang": lang,
        "region": region,
        "paper": match config.pdf.paper { Paper::A4 => "a4", Paper::Letter => "us-letter" },
        "draft": pack.is_draft(),
        "unreleased_since": info.unreleased_since,
        "reviewer_copy": info.reviewer_copy,
        "document_title": document_title,
        "generator": format!("guidepack {}", env!("CARGO_PKG_VERSION")),
    })
}

/// Renders one pack to PDF bytes.
pub fn render(
    pack: &Pack,
    config: &Config,
    sources: &SourceSet,
    engine: &PdfEngine,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let markup = pack_markup(pack);
    let template = sources.text(TEMPLATE_PATH).unwrap_or(BUILT_IN_TEMPLATE);
    let meta = serde_json::to_vec_pretty(&meta(pack, config)).unwrap_or_default();
    dump_for_template_authors(pack, &markup, &meta);
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (TEMPLATE_PATH.to_string(), template.as_bytes().to_vec()),
        ("guidepack/meta.json".to_string(), meta),
    ];
    for image in super::images(pack) {
        if let Some(bytes) = sources.bytes(&image) {
            files.push((image, bytes.to_vec()));
        }
    }
    let job = PdfJob {
        main: markup.text.clone(),
        files: &files,
        date: config.pack.ymd(),
        standard: match config.pdf.standard {
            PdfStandard::Ua1 => EngineStandard::Ua1,
            PdfStandard::A2a => EngineStandard::A2a,
            PdfStandard::None => EngineStandard::None,
        },
        title: meta_title(pack, config),
        language: config.pack.language.clone(),
        ident: sha256_hex(format!("{}/{}", config.pack.version, pack.dir()).as_bytes()),
    };
    match engine.compile(&job) {
        Ok((pdf, _warnings)) => Ok(pdf),
        Err(found) => Err(found
            .iter()
            .filter(|d| d.is_error)
            .map(|d| map_error(d, &markup, sources, &pack.label()))
            .collect()),
    }
}

/// With `GUIDEPACK_DEBUG_TYPST=<dir>`, writes each pack's generated markup (`<pack>.typ`) and
/// data (`<pack>.json`) there, for people writing their own PDF template. Off by default.
fn dump_for_template_authors(pack: &Pack, markup: &Markup, meta: &[u8]) {
    let Some(dir) = std::env::var_os("GUIDEPACK_DEBUG_TYPST") else {
        return;
    };
    let name = pack.dir().replace('/', "-");
    let dir = std::path::Path::new(&dir);
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(dir.join(format!("{name}.typ")), &markup.text))
        .and_then(|()| std::fs::write(dir.join(format!("{name}.json")), meta));
    // A debugging aid for template authors: it says when it could not do its job.
    if let Err(err) = written {
        eprintln!(
            "warning: GUIDEPACK_DEBUG_TYPST: cannot write the markup into `{}`: {err}",
            dir.display()
        );
    }
}

fn meta_title(pack: &Pack, config: &Config) -> String {
    if config.pack.reviewer_copy {
        return format!(
            "{} – {}{}",
            config.pack.title,
            super::site::REVIEWER_COPY,
            unreleased_note(config)
        );
    }
    format!(
        "{} – {}{}",
        config.pack.title,
        pack.audience.name,
        unreleased_note(config)
    )
}

/// What the title of a working copy's PDF adds: ` (unreleased changes since 1.0.0)`.
fn unreleased_note(config: &Config) -> String {
    config
        .pack
        .unreleased_since
        .as_ref()
        .map_or(String::new(), |since| {
            format!(" (unreleased changes since {since})")
        })
}

/// Places a Typst error: in the project's own template, or at the Markdown that produced the
/// generated markup (where it is guidepack's fault, unless the content named a bad image).
fn map_error(d: &TypstDiagnostic, markup: &Markup, sources: &SourceSet, pack: &str) -> Diagnostic {
    let offset = d.byte_range.as_ref().map_or(0, |r| r.start);
    let hints = if d.hints.is_empty() {
        String::new()
    } else {
        format!(" ({})", d.hints.join("; "))
    };
    match d.path.as_deref() {
        Some(TEMPLATE_PATH) if sources.text(TEMPLATE_PATH).is_some() => {
            let text = sources.text(TEMPLATE_PATH).unwrap_or_default();
            Diagnostic::error(format!(
                "the PDF template failed for {pack}: {}{hints}",
                d.message
            ))
            .at(TEMPLATE_PATH, LineIndex::new(text).pos(offset))
            .help("fix the project's template, or delete it to use the built-in one")
        }
        Some("main.typ") | None if d.message.contains("could not be displayed") => {
            let what = d
                .message
                .split('`')
                .nth(1)
                .unwrap_or("this text")
                .trim_matches('"')
                .to_string();
            let diagnostic = Diagnostic::error(format!(
                "the text \"{what}\" cannot be shown in the PDF for {pack}: no embedded font has it"
            ));
            let diagnostic = match markup.origin(offset) {
                Some((file, pos)) => diagnostic.at(file, pos),
                None => diagnostic,
            };
            diagnostic.help("the PDF fonts cover Latin (with Welsh), Greek and Cyrillic; write it another way or leave it out")
        }
        Some("main.typ") | None => {
            let is_content = d.message.contains("image") || d.message.contains("decode");
            let message = if is_content {
                format!("the PDF for {pack} could not be made: {}", d.message)
            } else {
                format!(
                    "internal error: guidepack produced PDF markup that does not compile for {pack}: {}{hints}",
                    d.message
                )
            };
            let diagnostic = Diagnostic::error(message);
            let diagnostic = match markup.origin(offset) {
                Some((file, pos)) => diagnostic.at(file, pos),
                None => diagnostic,
            };
            if is_content {
                diagnostic.help("check that the image is a PNG, JPEG, GIF or SVG file that opens in other programs")
            } else {
                diagnostic.help("this is a bug in guidepack, not in your text; please report it with this Markdown")
            }
        }
        Some(other) => Diagnostic::error(format!(
            "the PDF for {pack} could not be made: {}{hints}",
            d.message
        ))
        .in_file(other)
        .help("this file is used by the PDF; check that it is valid"),
    }
}
