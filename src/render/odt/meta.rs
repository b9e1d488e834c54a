//! `meta.xml`: the title, language, creator (the publisher) and dates (from `pack.date`, never
//! the clock) where ODF puts them, the generator, and the version as a custom property.

use super::Facts;
use super::xml::Xml;

/// `meta.xml` of a pack.
pub fn meta(facts: &Facts) -> String {
    let mut x = Xml::new();
    x.start("office:document-meta")
        .attr(
            "xmlns:office",
            "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        )
        .attr(
            "xmlns:meta",
            "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
        )
        .attr("xmlns:dc", "http://purl.org/dc/elements/1.1/")
        .attr("office:version", "1.2");
    x.start("office:meta");
    x.element("meta:generator", &[], &facts.generator);
    x.element("dc:title", &[], &facts.document_title);
    if let Some(subtitle) = &facts.subtitle {
        x.element("dc:subject", &[], subtitle);
    }
    x.element("dc:language", &[], &facts.language_tag);
    x.element("meta:initial-creator", &[], &facts.publisher);
    x.element("dc:creator", &[], &facts.publisher);
    let date = format!("{}T00:00:00", facts.date);
    x.element("meta:creation-date", &[], &date);
    x.element("dc:date", &[], &date);
    x.element(
        "meta:user-defined",
        &[
            ("meta:name", facts.labels.get("version")),
            ("meta:value-type", "string"),
        ],
        &facts.version,
    );
    x.finish()
}
