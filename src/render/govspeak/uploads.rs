//! The uploads list beside the Govspeak body: every file to upload with its caption or title,
//! and the steps GOV.UK's publisher (Whitehall) needs by hand, since it has no upload API.

use std::fmt::Write as _;

use super::blocks::Upload;
use super::{Attachment, IMAGES_DIR};
use crate::model::Config;
use crate::resolve::Pack;

/// The text of `<stem>.govspeak-uploads.txt`.
pub(super) fn text(
    pack: &Pack,
    config: &Config,
    stem: &str,
    attachments: &[Attachment],
    images: &[Upload],
) -> String {
    let body = format!("{stem}.govspeak.md");
    let mut title = format!("{} – {}", config.pack.title, pack.audience.name);
    if let Some(area) = &pack.area {
        title.push_str(", ");
        title.push_str(&area.name);
    }
    let mut out = String::new();
    let _ = writeln!(out, "Publishing {body} on GOV.UK");
    let _ = writeln!(out, "{}", "=".repeat(body.len() + 23));
    let _ = writeln!(
        out,
        "\nThe body of a GOV.UK HTML publication, written in Govspeak, is\n\n   {body}\n\nGOV.UK's publisher (Whitehall) takes it only by hand: these are the files to upload and\nthe steps to take, in order.\n"
    );
    if pack.is_draft() || config.pack.unreleased_since.is_some() {
        let _ = writeln!(
            out,
            "NOT FOR PUBLICATION: this pack holds draft text or unreleased changes. Publish a released\nversion only.\n"
        );
    }
    let mut step = 0;
    let mut next = || {
        step += 1;
        step
    };

    let _ = writeln!(
        out,
        "{}. In the publication, add an HTML attachment titled:\n\n   {title}\n",
        next()
    );

    if !attachments.is_empty() {
        let _ = writeln!(
            out,
            "{}. Upload these files on the publication's Attachments tab, each with its title:\n",
            next()
        );
        for a in attachments {
            let _ = writeln!(
                out,
                "   - {}  ({}, {} KB)\n     Title: {}",
                a.file,
                a.kind,
                a.bytes.div_ceil(1024),
                a.title
                    .rsplit_once(" (")
                    .map_or(a.title.as_str(), |(t, _)| t)
            );
        }
        let _ = writeln!(
            out,
            "\n   Copy the address of each uploaded file: a later step puts it in the Body.\n"
        );
    }

    if !images.is_empty() {
        let _ = writeln!(
            out,
            "{}. Upload each image of the folder {IMAGES_DIR}/ on the publication's Images tab,\n   keeping its file name (the body names it: [Image: file name]) and giving it this caption.\n   GOV.UK keeps no alt text: the caption is the image's text alternative, shown under it.\n   Bitmaps (PNG, JPEG, GIF) must be at least 960 × 640 pixels; SVG has no such limit.\n",
            next()
        );
        for image in images {
            let caption: String = image
                .caption
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            let _ = writeln!(
                out,
                "   - {IMAGES_DIR}/{}\n     Caption: {caption}",
                image.name
            );
            if let Some((w, h)) = image.pixels.filter(|(w, h)| *w < 960 || *h < 640) {
                let _ = writeln!(
                    out,
                    "     Size: {w} × {h} pixels, smaller than the 960 × 640 Whitehall takes:\n     upload a larger version (or an SVG) of the same name"
                );
            }
        }
        out.push('\n');
    }

    let _ = writeln!(
        out,
        "{}. Open the body file in a text editor, copy all of it and paste it as plain text into\n   the HTML attachment's Body (not with \"paste and convert\", which drops tables).\n",
        next()
    );
    let _ = writeln!(
        out,
        "{}. Tick \"Use manually numbered headings\". The headings carry their numbers as written\n   (\"1. Purpose\", \"1.1 Why\"); without the tick GOV.UK numbers them again (\"1. 1. Purpose\").\n",
        next()
    );
    if !attachments.is_empty() {
        let _ = writeln!(
            out,
            "{}. In the Body, replace each placeholder with the address of the uploaded file:\n",
            next()
        );
        for a in attachments {
            let _ = writeln!(
                out,
                "   - {}\n     with the address of {}",
                a.placeholder, a.file
            );
        }
        let _ = writeln!(
            out,
            "\n   Search the Body for REPLACE-WITH-ADDRESS-OF to check that none is left.\n"
        );
    }
    let _ = writeln!(
        out,
        "{}. Preview the attachment, check the images, tables and links, and save.",
        next()
    );
    out
}

#[cfg(test)]
mod tests {
    use crate::render::picture::bitmap_pixels as pixels;

    #[test]
    fn bitmap_sizes_are_read_from_their_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend([0, 0, 2, 128, 0, 0, 1, 104]);
        assert_eq!(pixels(&png), Some((640, 360)));
        assert_eq!(pixels(b"GIF89a\xc0\x03\x80\x02"), Some((960, 640)));
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 17, 8, 2, 128, 3, 192, 3,
        ];
        assert_eq!(pixels(&jpeg), Some((960, 640)));
        assert_eq!(pixels(b"<svg/>"), None);
    }
}
