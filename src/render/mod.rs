//! Render: a resolved [`Pack`] to its files, one [`Renderer`] per format, listed in
//! [`registry`]. HTML through tera (`html_renderer`, `site`, `html`); PDF through the embedded
//! Typst compiler (`pdf`, `typst`, `pdf_engine`); ODT written by guidepack itself (`odt`);
//! Govspeak for GOV.UK (`govspeak`).

pub mod diagram_svg;
pub mod diagram_typst;
pub mod govspeak;
pub mod html;
pub mod html_renderer;
pub mod odt;
pub mod pdf;
pub mod pdf_engine;
pub mod picture;
pub mod registry;
pub mod renderer;
pub mod sandbox;
pub mod search_index;
pub mod site;
pub mod template_bounds;
pub mod template_data;
mod template_errors;
pub mod trial;
pub mod typst;

use std::collections::BTreeSet;

use crate::doc::{Block, Inline};
use crate::resolve::Pack;

pub use registry::{Registry, registry};

/// The configuration a pack is rendered with: the build's, except that an area's pack carries
/// its area's edition as its version (`1.0.0-kent.2`, on every page, the cover, the PDF's
/// metadata and the file names), and a working copy's says which area edition it changes.
pub fn pack_config<'a>(
    config: &'a crate::model::Config,
    pack: &crate::resolve::Pack,
) -> std::borrow::Cow<'a, crate::model::Config> {
    let Some(area) = pack.area.as_ref() else {
        return std::borrow::Cow::Borrowed(config);
    };
    let mut own = config.clone();
    own.pack.national_version = Some(config.pack.version.clone());
    own.pack.version = config.pack.version.area_edition(&area.id, area.revision);
    if let Some(since) = &config.pack.unreleased_since {
        own.pack.unreleased_since = Some(since.area_edition(&area.id, area.revision));
    }
    std::borrow::Cow::Owned(own)
}
pub use renderer::{Download, DownloadKind, Files, PackRenderer, Renderer, Start, pack_for};
pub use site::{
    HtmlTemplates, IndexedDownload, IndexedEdition, IndexedPack, IndexedVersion, PageSetup,
};

/// The project paths of every image a pack shows.
pub fn images(pack: &Pack) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut blocks: Vec<Block> = pack
        .chapters
        .iter()
        .flat_map(|c| c.blocks.iter().cloned())
        .collect();
    crate::doc::visit_inlines_mut(&mut blocks, &mut |inlines| {
        collect_images(inlines, &mut found)
    });
    found
}

fn collect_images(inlines: &[Inline], found: &mut BTreeSet<String>) {
    for inline in inlines {
        match inline {
            Inline::Image(image) => {
                found.insert(image.src.clone());
            }
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Inserted(c) => {
                collect_images(c, found)
            }
            Inline::Link(l) => collect_images(&l.children, found),
            _ => {}
        }
    }
}
