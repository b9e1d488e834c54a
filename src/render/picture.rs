//! What an image file is, read from its header: its media type and its size in pixels (PNG,
//! JPEG, GIF, WebP) or an SVG's `width`/`height` or `viewBox`. The ODT sizes and lists its
//! pictures by it; the Govspeak uploads list says which bitmaps are too small for GOV.UK.

/// What an image is: its media type, and its size in pixels.
#[derive(Debug, PartialEq)]
pub struct Picture {
    pub media_type: &'static str,
    pub width: f64,
    pub height: f64,
}

/// The image's kind and pixel size, or `None` when it is none of the kinds a pack may show
/// (or its header is cut short).
pub fn picture(bytes: &[u8]) -> Option<Picture> {
    let be32 = |at: usize| -> Option<f64> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as f64)
    };
    let le16 = |at: usize| -> Option<f64> {
        Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?) as f64)
    };
    let le24 = |at: usize| -> Option<f64> {
        let b = bytes.get(at..at + 3)?;
        Some((b[0] as u32 | (b[1] as u32) << 8 | (b[2] as u32) << 16) as f64)
    };
    let found = |media_type, width: f64, height: f64| {
        (width > 0.0 && height > 0.0).then_some(Picture {
            media_type,
            width,
            height,
        })
    };
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.get(12..16) == Some(b"IHDR") {
        return found("image/png", be32(16)?, be32(20)?);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return found("image/gif", le16(6)?, le16(8)?);
    }
    if bytes.starts_with(b"\xff\xd8") {
        return jpeg(bytes).and_then(|(w, h)| found("image/jpeg", w, h));
    }
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        let (w, h) = match bytes.get(12..16)? {
            b"VP8 " => (le16(26)? as u32 & 0x3fff, le16(28)? as u32 & 0x3fff),
            b"VP8L" => {
                let b = u32::from_le_bytes(bytes.get(21..25)?.try_into().ok()?);
                ((b & 0x3fff) + 1, ((b >> 14) & 0x3fff) + 1)
            }
            b"VP8X" => (le24(24)? as u32 + 1, le24(27)? as u32 + 1),
            _ => return None,
        };
        return found("image/webp", w as f64, h as f64);
    }
    svg(bytes).and_then(|(w, h)| found("image/svg+xml", w, h))
}

/// A bitmap's size in whole pixels; `None` for an SVG (which has no pixel size) or a file that
/// is no image.
pub fn bitmap_pixels(bytes: &[u8]) -> Option<(u32, u32)> {
    picture(bytes)
        .filter(|p| p.media_type != "image/svg+xml")
        .map(|p| (p.width as u32, p.height as u32))
}

/// A JPEG's size, from its first start-of-frame segment.
fn jpeg(bytes: &[u8]) -> Option<(f64, f64)> {
    let mut at = 2;
    loop {
        while bytes.get(at) == Some(&0xff) && bytes.get(at + 1) == Some(&0xff) {
            at += 1;
        }
        if *bytes.get(at)? != 0xff {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        let length = u16::from_be_bytes(bytes.get(at + 2..at + 4)?.try_into().ok()?) as usize;
        let frame = matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc);
        if frame {
            let h = u16::from_be_bytes(bytes.get(at + 5..at + 7)?.try_into().ok()?);
            let w = u16::from_be_bytes(bytes.get(at + 7..at + 9)?.try_into().ok()?);
            return Some((w as f64, h as f64));
        }
        at += 2 + length;
    }
}

/// An SVG's size: its `width` and `height` (in px, or in absolute units, or a percentage of
/// its `viewBox`), else its `viewBox`, else 480 by 360 (a size a reader can enlarge).
fn svg(bytes: &[u8]) -> Option<(f64, f64)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).ok()?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return None;
    }
    let view: Option<(f64, f64)> = root.attribute("viewBox").and_then(|v| {
        let n: Vec<f64> = v
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        (n.len() == 4).then(|| (n[2], n[3]))
    });
    let length = |name: &str| root.attribute(name).and_then(css_px);
    match (length("width"), length("height"), view) {
        (Some(w), Some(h), _) => Some((w, h)),
        (Some(w), None, Some((vw, vh))) if vw > 0.0 => Some((w, w * vh / vw)),
        (None, Some(h), Some((vw, vh))) if vh > 0.0 => Some((h * vw / vh, h)),
        (_, _, Some(view)) => Some(view),
        _ => Some((480.0, 360.0)),
    }
}

/// A CSS length in px (`12`, `12px`, `3cm`, `1in`, `10pt`); `None` for a percentage or
/// anything else.
fn css_px(value: &str) -> Option<f64> {
    let value = value.trim();
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    let per = match unit.trim() {
        "" | "px" => 1.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        _ => return None,
    };
    Some(number * per).filter(|px| px.is_finite() && *px > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_come_from_the_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(640u32.to_be_bytes());
        png.extend(480u32.to_be_bytes());
        assert_eq!(
            picture(&png),
            Some(Picture {
                media_type: "image/png",
                width: 640.0,
                height: 480.0
            })
        );
        let gif = b"GIF89a\x20\x00\x10\x00";
        assert_eq!(
            picture(gif).map(|p| (p.width, p.height)),
            Some((32.0, 16.0))
        );
        let jpeg = b"\xff\xd8\xff\xe0\x00\x04ab\xff\xc0\x00\x11\x08\x00\x64\x00\xc8";
        assert_eq!(
            picture(jpeg).map(|p| (p.width, p.height)),
            Some((200.0, 100.0))
        );
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150" width="600"/>"#;
        assert_eq!(
            picture(svg).map(|p| (p.width, p.height)),
            Some((600.0, 300.0))
        );
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="2in" height="1in"/>"#;
        assert_eq!(
            picture(svg).map(|p| (p.width, p.height)),
            Some((192.0, 96.0))
        );
        assert_eq!(picture(b"not an image"), None);
        assert_eq!(picture(b"\x89PNG\r\n\x1a\n"), None);
    }
}
