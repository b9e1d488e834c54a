//! The HTML format: a pack's pages (tera templates), its stylesheet and the images it shows,
//! linking to the whole-pack downloads of the formats made before it.

use super::renderer::{Download, Files, PackRenderer, Renderer, Start};
use super::site::{self, HtmlTemplates, PageSetup};
use crate::diagnostic::Diagnostic;
use crate::model::Config;
use crate::resolve::Pack;
use crate::sources::SourceSet;

/// The HTML pages of a pack.
pub struct HtmlRenderer;

impl Renderer for HtmlRenderer {
    fn name(&self) -> &'static str {
        "html"
    }

    fn label(&self) -> &'static str {
        "HTML"
    }

    /// Pages, stylesheet and images: every file another format does not claim first.
    fn owns(&self, _rel: &str) -> bool {
        true
    }

    fn start<'a>(&'a self, start: &Start<'a>) -> Result<Box<dyn PackRenderer + 'a>, Diagnostic> {
        Ok(Box::new(Started {
            config: start.config,
            sources: start.sources,
            templates: start.templates,
        }))
    }
}

struct Started<'a> {
    config: &'a Config,
    sources: &'a SourceSet,
    templates: &'a HtmlTemplates,
}

impl PackRenderer for Started<'_> {
    fn render(&self, pack: &Pack, downloads: &[Download]) -> Result<Files, Vec<Diagnostic>> {
        let config = super::pack_config(self.config, pack);
        let setup = PageSetup {
            config: &config,
            downloads,
            newer: None,
            versions: &[],
        };
        html_files(pack, &setup, self.templates, self.sources).map_err(|d| vec![d])
    }
}

/// The HTML files of a pack: its pages, its stylesheet and the images it shows.
pub fn html_files(
    pack: &Pack,
    setup: &PageSetup,
    templates: &HtmlTemplates,
    sources: &SourceSet,
) -> Result<Files, Diagnostic> {
    let templates = templates.for_pack(pack);
    let mut files: Files = site::pack_pages(pack, setup, templates)?
        .into_iter()
        .map(|(n, t)| (n, t.into_bytes()))
        .collect();
    let mut css = templates.css.clone();
    if pack.reviewer_copy {
        // The copy's boxes and banner are styled in its own stylesheet only.
        css.push('\n');
        css.push_str(&templates.review_css);
    }
    let brand = super::template_data::pack_brand(setup.config, pack);
    if let Some(colour) = &brand.colour {
        // The accent: the colour of rules, bars and links (checked for contrast when parsed).
        css.push_str(&format!(
            "\n/* [brand] colour */\n:root {{\n  --gp-brand: {colour};\n  --gp-link: {colour};\n}}\n"
        ));
    }
    files.push(("style.css".to_string(), css.into_bytes()));
    if let Some(logo) = &brand.logo
        && let Some(bytes) = sources.bytes(logo)
    {
        let rel = super::template_data::logo_file(logo).to_string();
        if !files.iter().any(|(name, _)| *name == rel) {
            files.push((rel, bytes.to_vec()));
        }
    }
    for path in super::images(pack) {
        if let Some(bytes) = sources.bytes(&path) {
            let rel = path.strip_prefix("content/").unwrap_or(&path);
            if !files.iter().any(|(name, _)| name == rel) {
                files.push((rel.to_string(), bytes.to_vec()));
            }
        }
    }
    Ok(files)
}
