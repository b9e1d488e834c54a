//! The formats guidepack writes, by name: what `::: format` and `formats:` may name. A leaf,
//! so that resolve and check can know the names without depending on the renderers.

/// Every format's name, in the order the formats are written.
pub fn format_names() -> &'static [&'static str] {
    &["html", "pdf"]
}
