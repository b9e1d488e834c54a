//! guidepack: framework data and Markdown prose into versioned, accessible PDF and HTML
//! guidance packs, one per audience and local area.
//!
//! The pipeline, one module per stage:
//! [`sources`] (read) → [`parse`] → [`resolve`] → [`check`] → [`render`] → [`output`] (write).
//! [`pipeline`] runs it for the commands; [`review`] writes the reviewer's copy; [`scaffold`] makes new projects; [`watch`] rebuilds
//! on every change and [`serve`] previews the output with live reload.

pub mod check;
pub mod check_links;
pub mod diagnostic;
pub mod doc;
pub mod external;
pub mod links;
pub mod model;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod release;
pub mod render;
pub mod resolve;
pub mod review;
pub mod scaffold;
pub mod serve;
pub mod sources;
pub mod svg;
pub mod watch;
