//! Render: a resolved [`Pack`] to its files, one [`Renderer`] per format, listed in
//! [`registry`]. HTML through tera (`html_renderer`, `site`, `html`); PDF through the embedded
//! Typst compiler (`pdf`, `typst`, `pdf_engine`); ODT written by guidepack itself (`odt`);
//! Govspeak for GOV.UK (`govspeak`).

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
pub use renderer::{Download, DownloadKind, Files, PackRenderer, Renderer, Start, pack_for};
pub use site::{HtmlTemplates, IndexedDownload, IndexedPack, IndexedVersion, PageSetup};

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
