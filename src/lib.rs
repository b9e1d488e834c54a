//! guidepack: framework data and Markdown prose into versioned, accessible PDF and HTML
//! guidance packs, one per audience and local area.
//!
//! The pipeline, one module per stage:
//! [`sources`] (read, release records included) → [`parse`] → [`resolve`] → [`check`] →
//! [`render`] → [`output`] (write). [`build`] is the one builder that runs it; the
//! [`commands`] sit above everything else, and nothing below imports them. [`scaffold`] makes
//! new projects; [`watch`] rebuilds on every change and [`serve`] previews the output with
//! live reload.

pub mod brand;
pub mod build;
pub mod cache;
pub mod check;
pub mod check_links;
pub mod commands;
pub mod condition;
pub mod diagnostic;
pub mod diagram;
pub mod directives;
pub mod doc;
pub mod external;
pub mod hash;
pub mod labels;
pub mod links;
pub mod model;
pub mod output;
pub mod pack_id;
pub mod parse;
pub mod release;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod scaffold_area;
pub mod serve;
pub mod sources;
pub mod statements;
pub mod svg;
#[cfg(test)]
mod testing;
pub mod version;
pub mod watch;
