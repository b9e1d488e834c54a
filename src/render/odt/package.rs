//! The ODT package: a zip whose first entry is the stored `mimetype`, then the XML parts and
//! pictures in a fixed order, and `META-INF/manifest.xml` listing every part. Every entry has
//! the zip epoch as its time, mode 0o644, no extra field and a fixed compression level, so two
//! builds of a pack give the same bytes.

use std::io::{Cursor, Write};

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use super::xml::Xml;

/// The media type of an OpenDocument text.
pub const MEDIA_TYPE: &str = "application/vnd.oasis.opendocument.text";

/// One part of the package.
pub struct Part {
    /// Its path in the package (`content.xml`, `Pictures/1-chart.png`).
    pub path: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
    /// Deflated (XML), or stored (pictures already compressed).
    pub deflate: bool,
}

/// A part the zip writer could not add (it writes to memory, so only a bug can cause it).
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct PackError {
    path: String,
    source: zip::result::ZipError,
}

/// The deflate level of the XML parts: the fastest. Level 6 made the ODT's build cost twice
/// the HTML's (longest-match search was 28% of an ODT build) for files a third smaller.
const LEVEL: i64 = 1;

/// The package of these parts, in this order, with its manifest last.
pub fn package(parts: &[Part]) -> Result<Vec<u8>, PackError> {
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    let base = SimpleFileOptions::default()
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
        .large_file(false);
    let stored = base.compression_method(CompressionMethod::Stored);
    let deflated = base
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(LEVEL));
    let mut add = |path: &str, bytes: &[u8], deflate: bool| -> Result<(), PackError> {
        z.start_file(path, if deflate { deflated } else { stored })
            .and_then(|()| z.write_all(bytes).map_err(Into::into))
            .map_err(|source| PackError {
                path: path.to_string(),
                source,
            })
    };
    add("mimetype", MEDIA_TYPE.as_bytes(), false)?;
    for part in parts {
        add(&part.path, &part.bytes, part.deflate)?;
    }
    add("META-INF/manifest.xml", manifest(parts).as_bytes(), true)?;
    let cursor = z.finish().map_err(|source| PackError {
        path: "the package's end".to_string(),
        source,
    })?;
    Ok(cursor.into_inner())
}

/// `META-INF/manifest.xml`: the package itself, then every part.
fn manifest(parts: &[Part]) -> String {
    let mut x = Xml::new();
    x.start("manifest:manifest")
        .attr(
            "xmlns:manifest",
            "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
        )
        .attr("manifest:version", "1.2");
    x.empty(
        "manifest:file-entry",
        &[
            ("manifest:full-path", "/"),
            ("manifest:version", "1.2"),
            ("manifest:media-type", MEDIA_TYPE),
        ],
    );
    for part in parts {
        x.empty(
            "manifest:file-entry",
            &[
                ("manifest:full-path", &part.path),
                ("manifest:media-type", part.media_type),
            ],
        );
    }
    x.finish()
}
