//! The renderer abstraction: a resolved pack in, its files (artifacts) out. Each output format
//! is one [`Renderer`], listed once in `render::registry`; the builder (`build`) runs
//! the chosen ones in registration order, and nothing else names a format.
//!
//! A renderer that offers its output as a download of the whole pack (the PDF) declares it with
//! [`Renderer::download`] (a [`DownloadKind`]: key, label, media type); renderers registered
//! after it are given that file's name and size as a [`Download`] (the HTML pages link to
//! "Download PDF (312 KB)"). So a format whose pages link to another's file is registered
//! after it.

use std::borrow::Cow;

use crate::diagnostic::Diagnostic;
use crate::model::Config;
use crate::resolve::Pack;
use crate::sources::SourceSet;

use super::HtmlTemplates;

/// Files of a pack, by path relative to the pack folder.
pub type Files = Vec<(String, Vec<u8>)>;

/// What every renderer of one build is started with.
pub struct Start<'a> {
    pub sources: &'a SourceSet,
    /// The configuration the output shows (a working copy's carries its own version).
    pub config: &'a Config,
    /// The project's HTML templates (the site's pages, index and banners), loaded once a build.
    pub templates: &'a HtmlTemplates,
}

/// What kind of whole-pack download a format makes, as readers and browsers are told of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DownloadKind {
    /// The templates' name for it: `pdf` gives `pdf_href` and `pdf_bytes_display`. Lowercase
    /// letters and digits.
    pub key: &'static str,
    /// What a reader calls the format, in link text: "PDF", "OpenDocument text (ODT)".
    pub label: &'static str,
    /// Its media type, for the links' `type` attribute: `application/pdf`.
    pub media_type: &'static str,
    /// How the download's file name ends (`.pdf`, `.govspeak.md`), which tells it from the
    /// format's other files (a list of files to upload beside it).
    #[serde(skip)]
    pub ending: &'static str,
}

/// The download a renderer registered earlier made of a pack: `kind` is its renderer's
/// [`Renderer::download`], `file` its name and size when it was made.
#[derive(Clone, Debug)]
pub struct Download {
    pub kind: DownloadKind,
    pub file: Option<(String, usize)>,
}

/// One output format.
pub trait Renderer: Send + Sync {
    /// The name `--format` takes (`html`, `pdf`).
    fn name(&self) -> &'static str;

    /// The name readers and writers know the format by, in messages and labels: `PDF`,
    /// `ODT`, `Govspeak`.
    fn label(&self) -> &'static str;

    /// Whether this format claims a file of a pack folder (its path there): a file is the
    /// first registered format's that claims it, and a build of other formats keeps it as it
    /// was. A format may claim every file (HTML: pages, stylesheet, images) if it is
    /// registered after those that claim fewer.
    ///
    /// By default a format owns its download: the file at the top of the pack folder whose
    /// name ends as [`DownloadKind::ending`] says (the PDF, the ODT).
    fn owns(&self, rel: &str) -> bool {
        self.download()
            .is_some_and(|kind| !rel.contains('/') && rel.ends_with(kind.ending))
    }

    /// The whole-pack download this format makes, if it makes one (the PDF): later renderers
    /// see its file (the first file it makes of a pack whose name ends with the kind's
    /// `ending`) as a [`Download`] of this kind, and the HTML pages and the site index link to
    /// it with its label.
    fn download(&self) -> Option<DownloadKind> {
        None
    }

    /// Whether this format is slow to make: a preview (watch mode) shows the new output of
    /// the quick formats first, beside this format's files of the last build, when
    /// [`Renderer::names`] gives their names.
    fn slow(&self) -> bool {
        false
    }

    /// The names of the files this format will make of a pack, when it knows them before
    /// rendering (for a preview). `None`: not known.
    fn names(&self, _pack: &Pack, _config: &Config) -> Option<Vec<String>> {
        None
    }

    /// Starts a build with this format: what it needs once a build (templates, an engine).
    fn start<'a>(&'a self, start: &Start<'a>) -> Result<Box<dyn PackRenderer + 'a>, Diagnostic>;
}

/// A renderer started for one build.
pub trait PackRenderer: Sync {
    /// The pack's files in this format. `downloads` are those of the formats registered
    /// before this one.
    fn render(&self, pack: &Pack, downloads: &[Download]) -> Result<Files, Vec<Diagnostic>>;

    /// Between two batches of a large build: let go of caches that only grow.
    fn trim(&self) {}

    /// At the end of a build.
    fn finish(&self) {}
}

/// The one place where a pack is handed to a renderer: the pack as that format sees it, the
/// parts for other formats only (`::: format pdf`, `formats: [pdf]`) left out, so that no
/// renderer meets a format condition.
pub fn pack_for<'p>(pack: &'p Pack, format: &str) -> Cow<'p, Pack> {
    pack.for_format(format)
}
