//! A pack as a PDF: its Typst markup, its data as JSON, the template and images as virtual
//! files, compiled by the embedded Typst engine. Typst's errors are mapped back to the Markdown
//! that produced the markup; a user never sees a line of generated Typst.

use std::collections::BTreeMap;

use serde_json::json;

use super::pdf_engine::{PdfEngine, PdfJob, PdfStandard as EngineStandard, TypstDiagnostic};
use super::renderer::{Download, DownloadKind, Files, PackRenderer, Renderer, Start};
use super::template_data as data;
use super::typst::{BACK_OF_COVER, Markup, TEMPLATE_FUNCTIONS, back_of_cover_markup, pack_markup};
use crate::diagnostic::{Diagnostic, LineIndex, did_you_mean};
use crate::hash::sha256_hex;
use crate::model::{Config, Paper, PdfStandard};
use crate::resolve::Pack;
use crate::sources::SourceSet;
use crate::statements;

/// The built-in PDF template.
pub const BUILT_IN_TEMPLATE: &str = include_str!("../../templates/pdf/pack.typ");
const TEMPLATE_PATH: &str = "templates/pdf/pack.typ";
/// The folder of the project's own Typst files: `pack.typ` and any file it imports.
const TEMPLATE_DIR: &str = "templates/pdf";

/// The engine with the fonts a pack uses: Noto Sans (from the `notosans` crate) and the fonts
/// embedded in typst-assets. Nothing is read from the system.
pub fn engine() -> PdfEngine {
    engine_with(Vec::new())
}

/// The engine with the pack fonts and the project's own (`[pdf] fonts`), after them: a
/// family the embedded ones lack (such as Noto Sans Bengali) is found by Typst's fallback.
fn engine_with(own: Vec<Vec<u8>>) -> PdfEngine {
    let mut fonts = vec![
        notosans::REGULAR_TTF.to_vec(),
        notosans::BOLD_TTF.to_vec(),
        notosans::ITALIC_TTF.to_vec(),
        notosans::BOLD_ITALIC_TTF.to_vec(),
    ];
    fonts.extend(own);
    PdfEngine::with_fonts(fonts)
}

/// An engine and the project fonts it was made with (path and sha256 of each).
type MadeEngine = (Vec<(String, String)>, std::sync::Arc<PdfEngine>);

/// The PDF format: one tagged PDF a pack, offered as the pack's download (`pdf_href` in the
/// HTML templates). It keeps its engine, whose caches make a recompile (watch mode) quick.
pub struct PdfRenderer {
    /// Made at the first PDF (loading fonts takes a moment; `check` needs none), with the
    /// project's own fonts (their paths and sha256), and made again when those change.
    engine: std::sync::Mutex<Option<MadeEngine>>,
}

impl PdfRenderer {
    pub fn new() -> Self {
        PdfRenderer {
            engine: std::sync::Mutex::new(None),
        }
    }
}

impl Default for PdfRenderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer for PdfRenderer {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn label(&self) -> &'static str {
        "PDF"
    }

    fn download(&self) -> Option<DownloadKind> {
        Some(DownloadKind {
            key: "pdf",
            label: "PDF",
            media_type: "application/pdf",
            ending: ".pdf",
        })
    }

    fn slow(&self) -> bool {
        true
    }

    fn names(&self, pack: &Pack, config: &Config) -> Option<Vec<String>> {
        Some(vec![file_name(pack, &super::pack_config(config, pack))])
    }

    fn start<'a>(&'a self, start: &Start<'a>) -> Result<Box<dyn PackRenderer + 'a>, Diagnostic> {
        let own: Vec<(String, &[u8])> = (start.config.pdf.fonts.iter())
            .filter_map(|f| Some((f.get_ref().clone(), start.sources.bytes(f.get_ref())?)))
            .collect();
        let key: Vec<(String, String)> = (own.iter())
            .map(|(path, bytes)| (path.clone(), crate::hash::sha256_hex(bytes)))
            .collect();
        let mut slot = self.engine.lock().unwrap_or_else(|e| e.into_inner());
        let engine = match &*slot {
            Some((made_with, engine)) if *made_with == key => engine.clone(),
            _ => {
                let bytes = own.iter().map(|(_, b)| b.to_vec()).collect();
                let engine = std::sync::Arc::new(engine_with(bytes));
                *slot = Some((key, engine.clone()));
                engine
            }
        };
        Ok(Box::new(Started {
            config: start.config,
            sources: start.sources,
            engine,
        }))
    }
}

struct Started<'a> {
    config: &'a Config,
    sources: &'a SourceSet,
    engine: std::sync::Arc<PdfEngine>,
}

impl PackRenderer for Started<'_> {
    fn render(&self, pack: &Pack, _downloads: &[Download]) -> Result<Files, Vec<Diagnostic>> {
        let config = &*super::pack_config(self.config, pack);
        let bytes = render(pack, config, self.sources, &self.engine)?;
        Ok(vec![(file_name(pack, config), bytes)])
    }

    /// Typst's memo cache is global and grows with every document compiled: trimmed between
    /// batches (never during a compile, which relies on it), so memory stays flat however
    /// many packs a build has.
    fn trim(&self) {
        super::pdf_engine::evict(0);
    }

    /// Keeps the memo cache bounded across builds: an incremental recompile in watch mode
    /// needs what the last builds used, not more.
    fn finish(&self) {
        super::pdf_engine::evict(3);
    }
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
        None if pack.reviewer_copy => {
            format!(
                "{} – {}",
                info.title,
                info.labels.get("reviewer_copy_title")
            )
        }
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
        "lang": lang,
        "region": region,
        "dir": crate::model::direction(&info.language),
        "paper": match config.pdf.paper { Paper::A4 => "a4", Paper::Letter => "us-letter" },
        "draft": pack.is_draft(),
        "unreleased_since": info.unreleased_since,
        "reviewer_copy": pack.reviewer_copy,
        "document_title": document_title,
        "generator": format!("guidepack {}", env!("CARGO_PKG_VERSION")),
        // The template data HTML templates see, under the same names.
        "pack": data::pack_value(config, pack),
        "area": data::area_value(pack),
        "brand": data::brand_value(config, pack, data::LogoRef::Pdf),
        "labels": data::labels_value(config),
    })
}

/// The files of a pack's PDF template, by their path in the Typst world (`templates/pdf/…`)
/// with the project file each is read from: every file under the project's `templates/pdf/`
/// (Typst files it imports, images such as a logo it shows, whether or not a chapter does), each
/// replaced by its area's file of the same path under `content/areas/<id>/templates/pdf/`,
/// which may also add files. With no `pack.typ` in either, the built-in one is used.
fn template_files(pack: &Pack, sources: &SourceSet) -> BTreeMap<String, String> {
    let mut files: BTreeMap<String, String> = (sources.files_under(TEMPLATE_DIR).into_iter())
        .map(|path| (path.to_string(), path.to_string()))
        .collect();
    if let Some(area) = &pack.area {
        let dir = format!("content/areas/{}/{TEMPLATE_DIR}", area.id);
        for path in sources.files_under(&dir) {
            if let Some(rest) = path.strip_prefix(dir.as_str()) {
                files.insert(format!("{TEMPLATE_DIR}{rest}"), path.to_string());
            }
        }
    }
    files
}

/// Renders one pack to PDF bytes.
pub fn render(
    pack: &Pack,
    config: &Config,
    sources: &SourceSet,
    engine: &PdfEngine,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let markup = pack_markup(pack);
    // An area's own template files win over the project's, which win over the built-in one.
    let template_files = template_files(pack, sources);
    let template = (template_files.get(TEMPLATE_PATH))
        .and_then(|path| sources.text(path))
        .unwrap_or(BUILT_IN_TEMPLATE);
    let meta = serde_json::to_vec_pretty(&meta(pack, config)).unwrap_or_default();
    dump_for_template_authors(pack, &markup, &meta);
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (TEMPLATE_PATH.to_string(), template.as_bytes().to_vec()),
        ("guidepack/meta.json".to_string(), meta),
        (
            BACK_OF_COVER.to_string(),
            back_of_cover(pack, config).into_bytes(),
        ),
    ];
    // The template's other files, which it may import or show.
    for (world, path) in &template_files {
        if let Some(bytes) = sources.bytes(path).filter(|_| world != TEMPLATE_PATH) {
            files.push((world.clone(), bytes.to_vec()));
        }
    }
    // The logo loads whether or not a chapter shows it.
    let logo = data::pack_brand(config, pack).logo;
    for image in super::images(pack).into_iter().chain(logo) {
        if let Some(bytes) = sources.bytes(&image)
            && !files.iter().any(|(path, _)| *path == image)
        {
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
            .map(|d| map_error(d, &markup, sources, &pack.label(), &template_files))
            .collect()),
    }
}

/// The back of the cover: how to ask for another format, then the copyright and licence.
fn back_of_cover(pack: &Pack, config: &Config) -> String {
    let labels = &config.pack.labels;
    let info = &config.pack;
    let title = match &pack.area {
        Some(area) => labels.fill(
            "title_for_audience",
            &[
                ("title", &info.title),
                (
                    "audience",
                    &format!("{}, {}", pack.audience.name, area.name),
                ),
            ],
        ),
        None if pack.reviewer_copy => config.pack.title.clone(),
        None => labels.fill(
            "title_for_audience",
            &[("title", &info.title), ("audience", &pack.audience.name)],
        ),
    };
    back_of_cover_markup(&[
        (
            labels.get("alternative_formats_title"),
            statements::alternative_formats(config, &title),
        ),
        (labels.get("licence_title"), statements::licence(config)),
    ])
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
    if pack.reviewer_copy {
        return format!(
            "{} – {}{}",
            config.pack.title,
            config.pack.labels.get("reviewer_copy_title"),
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
            let version = since.to_string();
            let note = (config.pack.labels).fill("unreleased_in_title", &[("version", &version)]);
            format!(" {note}")
        })
}

/// What `check` finds in the project's own Typst files without making a PDF: their syntax
/// errors, worded as a build words them.
pub fn check_templates(sources: &SourceSet) -> Vec<Diagnostic> {
    let areas = (sources.texts.iter())
        .filter(|(path, _)| {
            path.starts_with("content/areas/")
                && path.contains("/templates/pdf/")
                && path.ends_with(".typ")
        })
        .map(|(path, text)| (path.as_str(), text.as_str()));
    sources
        .texts_in(TEMPLATE_DIR, ".typ")
        .chain(areas)
        .flat_map(|(path, text)| {
            let index = LineIndex::new(text);
            super::pdf_engine::syntax_errors(text)
                .into_iter()
                .map(move |(message, range)| {
                    Diagnostic::error(format!("this PDF template failed: {message}"))
                        .at(path, index.pos(range.start))
                        .help(format!(
                            "correct the template here, or {}",
                            delete_to_fall_back(path, sources)
                        ))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Places a Typst error: in the project's own template (or a Typst file it imports), or at
/// the Markdown that produced the generated markup (where it is guidepack's fault, unless the
/// content named a bad image or the project's template does not define what the markup uses).
fn map_error(
    d: &TypstDiagnostic,
    markup: &Markup,
    sources: &SourceSet,
    pack: &str,
    template_files: &BTreeMap<String, String>,
) -> Diagnostic {
    let template_file = (template_files.get(TEMPLATE_PATH)).map_or(TEMPLATE_PATH, String::as_str);
    let offset = d.byte_range.as_ref().map_or(0, |r| r.start);
    let hints = |sources: &SourceSet| {
        let hints = template_hints(&d.hints, sources);
        if hints.is_empty() {
            String::new()
        } else {
            format!(" ({})", hints.join("; "))
        }
    };
    let own_template = template_files.contains_key(TEMPLATE_PATH);
    // A template file's path in the Typst world stands for the file it was read from (an
    // area's own, or the project's).
    let path = (d.path.as_deref()).map(|p| template_files.get(p).map_or(p, String::as_str));
    match path {
        Some(path)
            if template_files.values().any(|own| own == path) && sources.text(path).is_some() =>
        {
            let text = sources.text(path).unwrap_or_default();
            Diagnostic::error(format!(
                "this PDF template failed: {}{}",
                d.message,
                hints(sources)
            ))
            .at(path, LineIndex::new(text).pos(offset))
            .help(template_help(d, sources, path))
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
            diagnostic.help("the PDF fonts cover Latin (with Welsh), Greek and Cyrillic; for another script, add a font file that has it to the project and name it in guidepack.toml under [pdf]: `fonts = [\"fonts/NotoSansBengali-Regular.ttf\"]` (the Noto fonts cover most scripts)")
        }
        Some("main.typ") | None
            if own_template && !d.message.contains("image") && !d.message.contains("decode") =>
        {
            not_fitting(
                d,
                &hints(sources),
                template_file,
                &delete_to_fall_back(template_file, sources),
            )
        }
        Some("main.typ") | None => {
            let is_content = d.message.contains("image") || d.message.contains("decode");
            let message = if is_content {
                format!("the PDF for {pack} could not be made: {}", d.message)
            } else {
                format!(
                    "internal error: guidepack produced PDF markup that does not compile for {pack}: {}{}",
                    d.message,
                    hints(sources)
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
            "the PDF for {pack} could not be made: {}{}",
            d.message,
            hints(sources)
        ))
        .in_file(other)
        .help("this file is used by the PDF; check that it is valid"),
    }
}

/// The help for an error in the project's own Typst files: the closest of the names they
/// define for an unknown one, else how to go on.
fn template_help(d: &TypstDiagnostic, sources: &SourceSet, template_file: &str) -> String {
    let defined: Vec<&str> = sources
        .texts_in(TEMPLATE_DIR, ".typ")
        .flat_map(|(_, text)| text.lines())
        .filter_map(|line| line.trim_start().strip_prefix("#let "))
        .map(|rest| {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .filter(|name| !name.is_empty())
        .collect();
    let close = d
        .message
        .strip_prefix("unknown variable: ")
        .and_then(|name| did_you_mean(name, defined));
    match close {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!(
            "correct the template here, or {}",
            delete_to_fall_back(template_file, sources)
        ),
    }
}

/// What deleting a PDF template file falls back to: an area's file, the project's file of the
/// same name (or, for `pack.typ`, the built-in template); a project's file, the built-in
/// template (by deleting `pack.typ`).
fn delete_to_fall_back(path: &str, sources: &SourceSet) -> String {
    let area_file = (path.strip_prefix("content/areas/"))
        .and_then(|rest| rest.split_once("/templates/pdf/"))
        .map(|(_, name)| format!("{TEMPLATE_DIR}/{name}"));
    match area_file {
        Some(project) if sources.text(&project).is_some() => {
            format!("delete `{path}` to use the project's `{project}`")
        }
        Some(project) if project == TEMPLATE_PATH => {
            format!("delete `{path}` to use the built-in one")
        }
        Some(_) => {
            let folder = path.rsplit_once('/').map_or(path, |(folder, _)| folder);
            format!("delete `{folder}` to use the project's template")
        }
        None => format!("delete `{TEMPLATE_PATH}` to use the built-in one"),
    }
}

/// An error in guidepack's markup that only the project's own template can cause: the markup
/// compiles with the built-in template, so the project's lacks a definition the markup uses,
/// or defines it with other arguments.
fn not_fitting(
    d: &TypstDiagnostic,
    hints: &str,
    template_file: &str,
    fall_back: &str,
) -> Diagnostic {
    let missing = d
        .message
        .strip_prefix("unknown variable: ")
        .filter(|name| TEMPLATE_FUNCTIONS.contains(name));
    let message = match missing {
        Some(name) => format!(
            "the PDF template `{template_file}` does not define `{name}`, which guidepack's markup uses"
        ),
        None => format!(
            "the PDF template `{template_file}` does not fit guidepack's markup: {}{hints}",
            d.message
        ),
    };
    Diagnostic::error(message).in_file(template_file).help(format!(
        "define each function the markup uses as the built-in template does (`{}`); `GUIDEPACK_DEBUG_TYPST=<folder>` writes the markup of each pack there; or {fall_back}",
        TEMPLATE_FUNCTIONS.join("`, `")
    ))
}

/// Typst's hints, with the call trace placed in the project's files (`file:line:col`) and
/// the steps through guidepack's generated markup left out: a user never sees its offsets.
fn template_hints(hints: &[String], sources: &SourceSet) -> Vec<String> {
    hints
        .iter()
        .filter_map(|hint| {
            let Some((text, place)) = hint.rsplit_once(" (") else {
                return Some(hint.clone());
            };
            let Some((path, range)) = place.trim_end_matches(')').split_once(" [") else {
                return Some(hint.clone());
            };
            let file = sources.text(path)?;
            let start: usize = range.split("..").next()?.parse().ok()?;
            let pos = LineIndex::new(file).pos(start);
            Some(format!("{text} at {path}:{}:{}", pos.line, pos.col))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_template_defines_every_function_the_markup_uses() {
        for name in TEMPLATE_FUNCTIONS {
            let defined = BUILT_IN_TEMPLATE
                .lines()
                .filter_map(|line| line.strip_prefix("#let "))
                .any(|rest| {
                    rest.strip_prefix(name)
                        .is_some_and(|after| after.starts_with(['(', ' ', '=']))
                });
            assert!(defined, "the built-in template does not define `{name}`");
        }
    }

    #[test]
    fn hints_name_template_places_and_leave_out_the_generated_markup() {
        let mut sources = SourceSet::default();
        sources.texts.insert(
            TEMPLATE_PATH.to_string(),
            "#let a = 1\n#let b = x\n".to_string(),
        );
        let hints = vec![
            "error occurred while importing this module (main.typ [1..36])".to_string(),
            "error occurred in this call (templates/pdf/pack.typ [13..18])".to_string(),
            "try `x` instead".to_string(),
        ];
        assert_eq!(
            template_hints(&hints, &sources),
            vec![
                "error occurred in this call at templates/pdf/pack.typ:2:3".to_string(),
                "try `x` instead".to_string()
            ]
        );
    }
}
