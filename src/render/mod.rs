//! Render: a resolved [`Pack`] to its files. HTML through tera (`site`, `html`); PDF comes
//! through the embedded Typst compiler.

pub mod html;
pub mod pdf;
pub mod pdf_engine;
pub mod sandbox;
pub mod site;
pub mod template_bounds;
mod template_errors;
pub mod trial;
pub mod typst;

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::doc::{Block, Inline};
use crate::resolve::Pack;
use crate::sources::SourceSet;

pub use site::{HtmlTemplates, IndexedPack, IndexedVersion, PageSetup};

/// The HTML files of a pack: its pages, its stylesheet and the images it shows.
pub fn html_files(
    pack: &Pack,
    setup: &PageSetup,
    templates: &HtmlTemplates,
    sources: &SourceSet,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let mut files: Vec<(String, Vec<u8>)> = site::pack_pages(pack, setup, templates)?
        .into_iter()
        .map(|(n, t)| (n, t.into_bytes()))
        .collect();
    files.push(("style.css".to_string(), templates.css.as_bytes().to_vec()));
    for path in images(pack) {
        if let Some(bytes) = sources.bytes(&path) {
            let rel = path.strip_prefix("content/").unwrap_or(&path);
            files.push((rel.to_string(), bytes.to_vec()));
        }
    }
    Ok(files)
}

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
