//! The embedded Typst compiler: a sandboxed in-memory World and PDF export.
//!
//! [`PdfEngine`] is built once per process (fonts and the standard library)
//! and compiles any number of [`PdfJob`]s, also concurrently from several
//! threads. Each job gets its own sandboxed [`World`]: the only files that
//! exist are the job's `main` markup (at `main.typ` in the project root) and
//! the job's extra `files`. There is no file system access, no network, no
//! packages, no system fonts and no clock: `datetime.today()` and the PDF
//! creation date both come from [`PdfJob::date`].
//!
//! # Fonts
//!
//! Only the fonts embedded in `typst-assets` (through `typst-kit`) are used,
//! plus any fonts the caller passes to [`PdfEngine::with_fonts`]. The embedded
//! families (names for `#set text(font: …)`) are:
//!
//! - `"Libertinus Serif"` (regular, italic, semibold, bold + italics): the
//!   default text font;
//! - `"New Computer Modern"` (regular, italic, bold, bold italic);
//! - `"New Computer Modern Math"` (for equations);
//! - `"DejaVu Sans Mono"` (regular, oblique, bold, bold oblique): the default
//!   font of `raw` text.
//!
//! There is **no proportional sans-serif** among them. For a sans-serif
//! look, ship an OFL-licensed font with the project and hand its bytes to
//! [`PdfEngine::with_fonts`].
//!
//! # Accessibility: what PDF/UA-1 demands of the markup
//!
//! With [`PdfStandard::Ua1`] (the default) Typst writes a tagged PDF and
//! refuses to export (errors, not warnings) when the document breaks PDF/UA-1.
//! The markup must therefore:
//!
//! - set a title: `#set document(title: [Pack title])`. If the markup does not,
//!   the engine falls back to [`PdfJob::title`]; an empty title is an error
//!   ("PDF/UA-1 error: missing document title");
//! - set the language: `#set text(lang: "en", region: "gb")`. The PDF `/Lang`
//!   is derived from the text language of the content, not from
//!   [`PdfJob::language`] (Typst's default is `en`, so forgetting it silently
//!   yields `en`, not `en-GB`);
//! - give every image an alternative text: `image("x.png", alt: "…")`, or use
//!   `figure(…, alt: "…")` (missing alt text is an error);
//! - use a proper heading hierarchy: the first heading must be level 1 and
//!   levels may not be skipped (`=` then `===` is an error); headings may not
//!   be empty;
//! - not put links inside artifacts (page headers/footers, tilings) and not
//!   combine underline/overline/strike on the same text;
//! - mark table header rows with `table.header(…)` so the cells are tagged
//!   as `TH` (not enforced, but needed for accessible tables);
//! - only use characters the fonts can display (a glyph missing from every
//!   font is an error under PDF/UA and PDF/A).
//!
//! # Standards
//!
//! `typst_pdf::PdfStandards::new` accepts at most one PDF/A and at most one
//! PDF/UA standard plus an optional PDF version, as long as their version
//! ranges overlap. PDF/UA-1 together with PDF/A-2a therefore works
//! ([`PdfStandard::Ua1A2a`]); PDF/A-2 additionally forbids transparency
//! (e.g. images with an alpha channel). All choices produce PDF 1.7, always
//! tagged.
//!
//! # Diagnostics
//!
//! [`TypstDiagnostic::byte_range`] is relative to the text of the file named
//! by [`TypstDiagnostic::path`] (`"main.typ"` for [`PdfJob::main`], otherwise
//! the path as given in [`PdfJob::files`], normalised without a leading
//! slash), so callers can map it back through their own source map. For text
//! files that start with a UTF-8 byte-order mark, the mark is stripped first
//! and offsets are relative to the text after it.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::OnceLock;

use typst::diag::{
    FileError, FileResult, PackageError, Severity, SourceDiagnostic, SourceResult, Warned,
};
use typst::ecow::{EcoString, eco_format};
use typst::foundations::{Bytes, Datetime, Duration, Output, Smart};
use typst::syntax::{DiagSpan, DiagSpanKind, FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, Lang, Locale, Region};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::FontStore;
use typst_pdf::{PdfOptions, PdfStandards, Timestamp};

/// Path of the main markup inside the virtual project.
const MAIN_PATH: &str = "main.typ";

/// The PDF standard a job must conform to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum PdfStandard {
    /// PDF/UA-1 (accessible, tagged PDF 1.7). The default.
    #[default]
    Ua1,
    /// PDF/A-2a (archival, tagged; no transparency).
    A2a,
    /// PDF/UA-1 and PDF/A-2a at once.
    Ua1A2a,
    /// No standard enforced (still a tagged PDF 1.7).
    None,
}

impl PdfStandard {
    /// The Typst standards this choice stands for.
    fn typst_list(self) -> &'static [typst_pdf::PdfStandard] {
        match self {
            Self::Ua1 => &[typst_pdf::PdfStandard::Ua_1],
            Self::A2a => &[typst_pdf::PdfStandard::A_2a],
            Self::Ua1A2a => &[typst_pdf::PdfStandard::Ua_1, typst_pdf::PdfStandard::A_2a],
            Self::None => &[],
        }
    }
}

/// One document to compile.
#[derive(Debug, Clone)]
pub struct PdfJob<'a> {
    /// The generated Typst markup of one pack, visible as `main.typ`.
    pub main: String,
    /// Extra virtual files by path relative to the project root, e.g.
    /// `("templates/pdf/pack.typ", bytes)` or `("content/assets/x.png", bytes)`.
    /// `#import`, `#include`, `image()`, `read()`, … resolve against these
    /// only (relative to the importing file, or to the root with a leading
    /// `/`).
    pub files: &'a [(String, Vec<u8>)],
    /// The pack date `(year, month, day)`: returned by `datetime.today()` and
    /// written as the PDF creation date (unless the markup sets
    /// `document(date: …)`). The clock is never read.
    pub date: (i32, u8, u8),
    /// The standard the PDF must conform to.
    pub standard: PdfStandard,
    /// Fallback document title, used when the markup does not
    /// `#set document(title: …)`. PDF/UA-1 requires a title.
    pub title: String,
    /// The pack language as a BCP 47 tag, e.g. `"en-GB"`. Only recorded as
    /// the document locale metadata when the markup sets none; the PDF
    /// `/Lang` comes from `#set text(lang: …, region: …)` in the markup.
    pub language: String,
    /// A stable identifier for the PDF (e.g. a hash of the pack id); Typst
    /// derives the PDF document ID from it, so the output is reproducible.
    pub ident: String,
}

/// A Typst error or warning, located in the virtual file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypstDiagnostic {
    /// The message.
    pub message: String,
    /// Hints, followed by the call trace (`while calling …`), if any.
    pub hints: Vec<String>,
    /// Virtual path of the file the diagnostic points into: `"main.typ"` for
    /// [`PdfJob::main`], else the path of one of [`PdfJob::files`].
    pub path: Option<String>,
    /// Byte range in that file's text.
    pub byte_range: Option<Range<usize>>,
    /// Error (`true`) or warning (`false`).
    pub is_error: bool,
}

impl TypstDiagnostic {
    /// A diagnostic that is not located in any file.
    fn detached(message: impl Into<String>, hints: Vec<String>) -> Self {
        Self {
            message: message.into(),
            hints,
            path: None,
            byte_range: None,
            is_error: true,
        }
    }
}

impl std::fmt::Display for TypstDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_error { "error" } else { "warning" })?;
        if let Some(path) = &self.path {
            write!(f, " in {path}")?;
            if let Some(range) = &self.byte_range {
                write!(f, " [{}..{}]", range.start, range.end)?;
            }
        }
        write!(f, ": {}", self.message)?;
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The embedded Typst compiler: fonts and standard library, built once per
/// process and shared by all compilations (it is `Send + Sync`).
pub struct PdfEngine {
    /// The font book and the lazily loaded fonts.
    fonts: FontStore,
    /// The Typst standard library.
    library: LazyHash<Library>,
}

impl Default for PdfEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for PdfEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfEngine")
            .field("families", &self.font_families())
            .finish()
    }
}

impl PdfEngine {
    /// Builds an engine with the fonts embedded in `typst-assets` only (no
    /// system fonts, no network, no packages).
    pub fn new() -> Self {
        Self::with_fonts(Vec::new())
    }

    /// Builds an engine with the embedded fonts plus the given font files
    /// (TrueType/OpenType data; collections contribute all their faces).
    /// Data that is not a font is ignored.
    pub fn with_fonts(extra: Vec<Vec<u8>>) -> Self {
        let mut fonts = FontStore::new();
        fonts.extend(typst_kit::fonts::embedded());
        for data in extra {
            fonts.extend(Font::iter(Bytes::new(data)).map(|font| {
                let info = font.info().clone();
                (font, info)
            }));
        }
        Self {
            fonts,
            // A11yExtras lets the template tag row-header cells as row headers (`pdf.header-cell`)
            // in the tagged PDF.
            library: LazyHash::new(
                Library::builder()
                    .with_features([typst::Feature::A11yExtras].into_iter().collect())
                    .build(),
            ),
        }
    }

    /// The font families available to `#set text(font: …)`, sorted.
    pub fn font_families(&self) -> Vec<String> {
        let mut families: Vec<String> = self
            .fonts
            .book()
            .families()
            .map(|(name, _)| name.to_string())
            .collect();
        families.sort();
        families
    }

    /// Compiles one job to PDF bytes.
    ///
    /// Returns the PDF and the warnings, or all diagnostics (errors and
    /// warnings, see [`TypstDiagnostic::is_error`]) if compilation or export
    /// failed. The same job always yields byte-identical output.
    pub fn compile(
        &self,
        job: &PdfJob<'_>,
    ) -> Result<(Vec<u8>, Vec<TypstDiagnostic>), Vec<TypstDiagnostic>> {
        let world = SandboxWorld::new(self, job).map_err(|diag| vec![diag])?;

        let Warned { output, warnings } = compile_for(&world, typst_pdf::pdf);
        let mut warnings = world.convert_all(&warnings);
        let mut document = match output {
            Ok(document) => document,
            Err(errors) => {
                let mut all = world.convert_all(&errors);
                all.append(&mut warnings);
                return Err(all);
            }
        };

        let info = document.info_mut();
        if info.title.is_none() && !job.title.trim().is_empty() {
            info.title = Some(EcoString::from(job.title.as_str()));
        }
        if matches!(info.locale, Smart::Auto)
            && let Some(locale) = parse_locale(&job.language)
        {
            info.locale = Smart::Custom(locale);
        }

        let standards = PdfStandards::new(job.standard.typst_list()).map_err(|err| {
            vec![TypstDiagnostic::detached(
                err.message().as_str(),
                err.hints().iter().map(ToString::to_string).collect(),
            )]
        })?;
        let options = PdfOptions {
            ident: Smart::Custom(job.ident.clone()),
            timestamp: Some(Timestamp::new_utc(world.today)),
            standards,
            tagged: true,
            ..PdfOptions::default()
        };

        match typst_pdf::pdf(&document, &options) {
            Ok(bytes) => Ok((bytes, warnings)),
            Err(errors) => {
                let mut all = world.convert_all(&errors);
                all.append(&mut warnings);
                Err(all)
            }
        }
    }
}

/// Drops memoised compilation results that have not been used for `max_age`
/// compilations (0 drops everything). Call it between batches to bound memory.
pub fn evict(max_age: usize) {
    typst::comemo::evict(max_age);
}

/// Runs `typst::compile` for the document type that `export` accepts.
///
/// `typst` does not re-export the paged document type; borrowing it from the
/// PDF exporter's signature avoids a direct dependency on `typst-layout`.
fn compile_for<D: Output>(
    world: &dyn World,
    _export: fn(&D, &PdfOptions) -> SourceResult<Vec<u8>>,
) -> Warned<SourceResult<D>> {
    typst::compile::<D>(world)
}

/// Parses a BCP 47 tag such as `en-GB` (extra subtags are ignored).
fn parse_locale(tag: &str) -> Option<Locale> {
    let mut parts = tag.split(['-', '_']);
    let lang = Lang::from_str(parts.next()?).ok()?;
    let region = parts.next().and_then(|r| Region::from_str(r).ok());
    Some(Locale::new(lang, region))
}

/// A virtual file of a job.
struct Slot {
    /// The raw bytes.
    bytes: Bytes,
    /// The file parsed as Typst source, created on first request.
    source: OnceLock<FileResult<Source>>,
}

impl Slot {
    fn source(&self, id: FileId) -> FileResult<Source> {
        self.source
            .get_or_init(|| {
                let text = std::str::from_utf8(&self.bytes).map_err(|_| FileError::InvalidUtf8)?;
                let text = text.strip_prefix('\u{feff}').unwrap_or(text);
                Ok(Source::new(id, text.to_owned()))
            })
            .clone()
    }
}

/// The sandboxed world of one job.
struct SandboxWorld<'e> {
    engine: &'e PdfEngine,
    main: FileId,
    files: HashMap<FileId, Slot>,
    today: Datetime,
}

impl<'e> SandboxWorld<'e> {
    fn new(engine: &'e PdfEngine, job: &PdfJob<'_>) -> Result<Self, TypstDiagnostic> {
        let (year, month, day) = job.date;
        let today = Datetime::from_ymd(year, month, day).ok_or_else(|| {
            TypstDiagnostic::detached(
                format!("invalid pack date {year:04}-{month:02}-{day:02}"),
                Vec::new(),
            )
        })?;

        let mut files = HashMap::with_capacity(job.files.len() + 1);
        for (path, data) in job.files {
            let id = project_file(path).ok_or_else(|| {
                TypstDiagnostic::detached(
                    format!("invalid virtual file path `{path}`"),
                    vec!["use a relative path with `/` separators inside the project".into()],
                )
            })?;
            files.insert(
                id,
                Slot {
                    bytes: Bytes::new(data.clone()),
                    source: OnceLock::new(),
                },
            );
        }

        // The main markup wins over a same-named extra file.
        let main = project_file(MAIN_PATH)
            .ok_or_else(|| TypstDiagnostic::detached("invalid main path", Vec::new()))?;
        let source = Source::new(main, job.main.clone());
        let slot = Slot {
            bytes: Bytes::from_string(job.main.clone()),
            source: OnceLock::new(),
        };
        // A fresh `OnceLock` cannot be full yet, so `set` always succeeds.
        let _ = slot.source.set(Ok(source));
        files.insert(main, slot);

        Ok(Self {
            engine,
            main,
            files,
            today,
        })
    }

    fn lookup(&self, id: FileId) -> FileResult<&Slot> {
        match id.root() {
            VirtualRoot::Package(spec) => Err(FileError::Package(PackageError::Other(Some(
                eco_format!("{spec}: packages are not available in guidepack"),
            )))),
            VirtualRoot::Project => self
                .files
                .get(&id)
                .ok_or_else(|| FileError::NotFound(PathBuf::from(id.vpath().get_without_slash()))),
        }
    }

    fn convert_all(&self, diags: &[SourceDiagnostic]) -> Vec<TypstDiagnostic> {
        diags.iter().map(|diag| self.convert(diag)).collect()
    }

    fn convert(&self, diag: &SourceDiagnostic) -> TypstDiagnostic {
        let mut hints: Vec<String> = diag
            .hints
            .iter()
            // Typst's CLI-specific advice does not apply to the sandbox.
            .filter(|hint| !hint.v.contains("--root"))
            .map(|hint| self.with_location(hint.v.as_str(), hint.span))
            .collect();
        hints.extend(
            diag.trace
                .iter()
                .map(|point| self.with_location(&point.v.to_string(), point.span.into())),
        );
        TypstDiagnostic {
            message: diag.message.to_string(),
            hints,
            path: file_path(diag.span.id()),
            byte_range: self.range(diag.span),
            is_error: diag.severity == Severity::Error,
        }
    }

    fn with_location(&self, text: &str, span: DiagSpan) -> String {
        match (file_path(span.id()), self.range(span)) {
            (Some(path), Some(range)) => {
                format!("{text} ({path} [{}..{}])", range.start, range.end)
            }
            (Some(path), None) => format!("{text} ({path})"),
            _ => text.to_string(),
        }
    }
}

/// The syntax errors of one Typst file, each with its byte range, found without compiling
/// (for `check`, which makes no PDF).
pub fn syntax_errors(text: &str) -> Vec<(String, Range<usize>)> {
    let source = Source::detached(text);
    let (errors, _) = source.root().errors_and_warnings();
    errors
        .into_iter()
        .filter_map(|e| {
            let range = match e.span.get() {
                DiagSpanKind::Number { num, sub_range, .. } => source.range(num, sub_range)?,
                DiagSpanKind::Range { range, .. } => range,
                DiagSpanKind::Detached => return None,
            };
            Some((e.message.to_string(), range))
        })
        .collect()
}

/// The virtual path of a file as reported in diagnostics (`"main.typ"`,
/// `"templates/pdf/pack.typ"`, …).
fn file_path(id: Option<FileId>) -> Option<String> {
    id.map(|id| match id.root() {
        VirtualRoot::Project => id.vpath().get_without_slash().to_string(),
        VirtualRoot::Package(spec) => format!("{spec}{}", id.vpath().get_with_slash()),
    })
}

/// Interns a path inside the virtual project root.
fn project_file(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    if vpath.is_root() {
        return None;
    }
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl World for SandboxWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.engine.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.lookup(id)?.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        Ok(self.lookup(id)?.bytes.clone())
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job<'a>(main: &str, files: &'a [(String, Vec<u8>)]) -> PdfJob<'a> {
        PdfJob {
            main: main.to_string(),
            files,
            date: (2025, 3, 14),
            standard: PdfStandard::Ua1,
            title: "Test".into(),
            language: "en-GB".into(),
            ident: "test".into(),
        }
    }

    #[test]
    fn engine_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<PdfEngine>();
    }

    #[test]
    fn reproducible_and_dated() {
        let engine = PdfEngine::new();
        let job = job(
            "#set text(lang: \"en\", region: \"gb\")\n= Hi\n#datetime.today().display()",
            &[],
        );
        let (a, _) = engine.compile(&job).expect("compiles");
        let (b, _) = engine.compile(&job).expect("compiles");
        assert_eq!(a, b);
    }

    #[test]
    fn ua1_requires_title() {
        let engine = PdfEngine::new();
        let mut untitled = job("= Hi", &[]);
        untitled.title = String::new();
        let errors = engine.compile(&untitled).expect_err("title required");
        assert!(
            errors
                .iter()
                .any(|d| d.message.contains("missing document title"))
        );
        untitled.standard = PdfStandard::None;
        assert!(engine.compile(&untitled).is_ok());
    }

    #[test]
    fn error_ranges_point_into_main() {
        let engine = PdfEngine::new();
        let main = "= Title\nSome #undefined-var text\n";
        let errors = engine
            .compile(&job(main, &[]))
            .expect_err("unknown variable");
        let range = errors[0].byte_range.clone().expect("located");
        assert_eq!(errors[0].path.as_deref(), Some("main.typ"));
        assert_eq!(&main[range], "undefined-var");
    }

    #[test]
    fn sandboxed() {
        let engine = PdfEngine::new();
        let errors = engine
            .compile(&job("#read(\"/etc/passwd\")", &[]))
            .expect_err("no fs");
        assert!(
            errors
                .iter()
                .any(|d| d.is_error && d.message.contains("not found"))
        );
        let errors = engine
            .compile(&job("#import \"@preview/x:0.1.0\": *", &[]))
            .expect_err("no packages");
        assert!(
            errors
                .iter()
                .any(|d| d.message.contains("packages are not available"))
        );
        let errors = engine
            .compile(&job("#image(\"x.png\")", &[]))
            .expect_err("missing file");
        assert_eq!(errors[0].byte_range, Some(7..14));
    }
}
