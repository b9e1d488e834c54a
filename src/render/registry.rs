//! The one table of output formats: every [`Renderer`], in the order a build runs them.

use super::renderer::{DownloadKind, Renderer};

/// The registered formats, in the order they run.
pub struct Registry {
    renderers: Vec<Box<dyn Renderer>>,
}

/// Every format guidepack makes. Adding one is a module with a [`Renderer`] and a line here.
pub fn registry() -> Registry {
    Registry {
        renderers: vec![
            Box::new(super::pdf::PdfRenderer::new()),
            Box::new(super::odt::OdtRenderer),
            Box::new(super::govspeak::GovspeakRenderer),
            Box::new(super::html_renderer::HtmlRenderer),
        ],
    }
}

impl Registry {
    /// A registry of these renderers, in this order (for tests and for trying a format).
    pub fn with(renderers: Vec<Box<dyn Renderer>>) -> Self {
        Registry { renderers }
    }

    /// Every format's name, in registration order.
    pub fn names(&self) -> Vec<&'static str> {
        self.renderers.iter().map(|r| r.name()).collect()
    }

    /// Every format's name and label (`("odt", "ODT")`), in registration order.
    pub fn labels(&self) -> Vec<(&'static str, &'static str)> {
        self.renderers
            .iter()
            .map(|r| (r.name(), r.label()))
            .collect()
    }

    /// The label of the format named `name` (the name itself when none is registered).
    pub fn label<'n>(&self, name: &'n str) -> &'n str {
        self.all()
            .find(|r| r.name() == name)
            .map_or(name, |r| r.label())
    }

    /// The registered formats.
    pub fn all(&self) -> impl Iterator<Item = &dyn Renderer> {
        self.renderers.iter().map(|r| r.as_ref())
    }

    /// The formats named (every one for an empty list), in registration order. Names that
    /// are not registered are left out (the command line takes only registered names).
    pub fn chosen(&self, names: &[String]) -> Vec<&dyn Renderer> {
        self.all()
            .filter(|r| names.is_empty() || names.iter().any(|n| n == r.name()))
            .collect()
    }

    /// The format a file of a pack folder belongs to: the first that claims it.
    pub fn owner(&self, rel: &str) -> Option<&dyn Renderer> {
        self.all().find(|r| r.owns(rel))
    }

    /// Whether a build of `names` (every format for an empty list) makes the file `rel` of a
    /// pack folder.
    pub fn makes(&self, names: &[String], rel: &str) -> bool {
        self.owner(rel)
            .is_some_and(|r| names.is_empty() || names.iter().any(|n| n == r.name()))
    }

    /// The whole-pack download a file of a pack folder is, if it is one: its format's kind
    /// (not for the format's other files, whose names end otherwise).
    pub fn download_of(&self, rel: &str) -> Option<DownloadKind> {
        (self.owner(rel).and_then(|r| r.download())).filter(|kind| rel.ends_with(kind.ending))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_the_first_format_s_that_claims_it() {
        let registry = registry();
        assert_eq!(registry.names(), ["pdf", "odt", "govspeak", "html"]);
        let owner = |rel: &str| registry.owner(rel).map(|r| r.name());
        assert_eq!(owner("guide-providers-1.0.0.pdf"), Some("pdf"));
        assert_eq!(owner("index.html"), Some("html"));
        assert_eq!(owner("assets/leaflet.pdf"), Some("html"));
        assert_eq!(owner("dot.png"), Some("html"));
        let html = ["html".to_string()];
        assert!(registry.makes(&html, "index.html") && !registry.makes(&html, "a.pdf"));
        assert!(registry.makes(&[], "a.pdf"));
        assert_eq!(registry.download_of("a.pdf").map(|k| k.key), Some("pdf"));
        assert_eq!(owner("guide-providers-1.0.0.odt"), Some("odt"));
        assert_eq!(owner("assets/x.odt"), Some("html"));
        assert_eq!(registry.download_of("a.odt").map(|k| k.key), Some("odt"));
        assert_eq!(registry.download_of("index.html"), None);
        assert_eq!(owner("g-providers-1.0.0.govspeak.md"), Some("govspeak"));
        assert_eq!(
            owner("g-providers-1.0.0.govspeak-uploads.txt"),
            Some("govspeak")
        );
        assert_eq!(owner("govspeak-images/dot.png"), Some("govspeak"));
        assert_eq!(owner("assets/notes.govspeak.md"), Some("html"));
        assert_eq!(
            registry.download_of("g.govspeak.md").map(|k| k.key),
            Some("govspeak")
        );
        assert_eq!(registry.download_of("g.govspeak-uploads.txt"), None);
    }

    /// A format with a file beside its download (a list of files to upload).
    struct Paste;

    impl Renderer for Paste {
        fn name(&self) -> &'static str {
            "paste"
        }
        fn label(&self) -> &'static str {
            "Paste"
        }
        fn owns(&self, rel: &str) -> bool {
            rel.ends_with(".paste.md") || rel.ends_with(".paste-uploads.txt")
        }
        fn download(&self) -> Option<DownloadKind> {
            Some(DownloadKind {
                key: "paste",
                label: "Text to paste",
                media_type: "text/markdown",
                ending: ".paste.md",
            })
        }
        fn start<'a>(
            &'a self,
            _: &super::super::Start<'a>,
        ) -> Result<Box<dyn super::super::PackRenderer + 'a>, crate::diagnostic::Diagnostic>
        {
            unreachable!("not started in this test")
        }
    }

    #[test]
    fn of_a_format_s_files_only_the_one_with_its_download_s_ending_is_the_download() {
        let registry = Registry::with(vec![Box::new(Paste)]);
        assert_eq!(
            registry.download_of("g-1.0.0.paste.md").map(|k| k.key),
            Some("paste")
        );
        assert_eq!(registry.download_of("g-1.0.0.paste-uploads.txt"), None);
    }
}
