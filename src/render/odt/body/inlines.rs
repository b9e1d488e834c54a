//! Inlines as ODF text: spans, links, footnotes as notes, and pictures with their alt text
//! (and the error for an image file that is no image).

use super::Body;
use crate::diagnostic::{Diagnostic, Pos};
use crate::doc::{Block, Image, Inline, Target, plain_text};
use crate::links::is_safe_href;
use crate::resolve::Pack;

impl Body<'_> {
    /// The package path and pixel size of an image, or `None` when it has none (a file that
    /// is missing, which `check` reports, or one that is no image, reported here).
    pub(super) fn picture(&mut self, image: &Image) -> Option<(String, f64, f64)> {
        match self.input.pictures.get(&image.src) {
            Some(Some(found)) => Some(found.clone()),
            Some(None) => {
                if self.unreadable.insert(image.src.clone()) {
                    self.errors.push(unreadable(
                        &image.src,
                        &self.file,
                        image.pos,
                        self.input.pack,
                    ));
                }
                None
            }
            None => None,
        }
    }

    /// An image alone in its paragraph: as wide as it is (at 96 pixels to the inch), at most
    /// the text's width, with its title as a caption below.
    pub(super) fn figure(&mut self, image: &Image) {
        let Some((path, w, h)) = self.picture(image) else {
            return;
        };
        let width_cm = (w * 2.54 / 96.0).min(self.input.facts.text_width);
        self.open_para("Image");
        self.frame_element(image, &path, width_cm, width_cm * h / w);
        self.x.end();
        if !image.title.is_empty() {
            self.open_para("Figure_20_Caption");
            self.x.spaced_text(&image.title);
            self.x.end();
        }
    }

    /// `draw:frame` with the picture, its title and its alt text (`svg:title` and `svg:desc`
    /// after `draw:image`, as ODF orders them).
    fn frame_element(&mut self, image: &Image, path: &str, width_cm: f64, height_cm: f64) {
        self.frames += 1;
        let name =
            (self.input.facts.labels).fill("odt_image_name", &[("n", &self.frames.to_string())]);
        self.x
            .start("draw:frame")
            .attr("draw:style-name", "fr1")
            .attr("draw:name", &name)
            .attr("text:anchor-type", "as-char")
            .attr("svg:width", &format!("{width_cm:.3}cm"))
            .attr("svg:height", &format!("{height_cm:.3}cm"))
            .attr("draw:z-index", "0");
        self.x.empty(
            "draw:image",
            &[
                ("xlink:href", path),
                ("xlink:type", "simple"),
                ("xlink:show", "embed"),
                ("xlink:actuate", "onLoad"),
            ],
        );
        let title = if image.title.is_empty() {
            &image.alt
        } else {
            &image.title
        };
        self.x.element("svg:title", &[], title);
        self.x.element("svg:desc", &[], &image.alt);
        self.x.end();
    }

    pub(super) fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn span(&mut self, style: &str, children: &[Inline]) {
        self.x.start("text:span").attr("text:style-name", style);
        self.inlines(children);
        self.x.end();
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text) => {
                self.x.spaced_text(text);
            }
            Inline::Code(code) => {
                self.x
                    .start("text:span")
                    .attr("text:style-name", "Source_20_Text");
                self.x.code_text(code);
                self.x.end();
            }
            Inline::Raw(raw) => {
                self.x.spaced_text(raw);
            }
            Inline::Emph(c) => self.span("Emphasis", c),
            Inline::Strong(c) => self.span("Strong_20_Emphasis", c),
            Inline::Strike(c) => self.span("Deleted_20_Text", c),
            Inline::Inserted(c) => self.span("Inserted_20_Text", c),
            Inline::Link(link) => {
                let href = match &link.target {
                    Target::External(url) if is_safe_href(url) => Some(url.clone()),
                    Target::Internal { chapter, anchor } => {
                        let id = anchor.as_deref().unwrap_or(chapter);
                        self.anchors.contains(id).then(|| format!("#{id}"))
                    }
                    _ => None,
                };
                match href {
                    Some(href) if !self.in_link => {
                        self.x
                            .start("text:a")
                            .attr("xlink:type", "simple")
                            .attr("xlink:href", &href);
                        let title = plain_text(&link.title);
                        if !title.is_empty() {
                            self.x.attr("office:title", &title);
                        }
                        self.x
                            .attr("text:style-name", "Internet_20_link")
                            .attr("text:visited-style-name", "Visited_20_Internet_20_Link");
                        self.in_link = true;
                        self.inlines(&link.children);
                        self.in_link = false;
                        self.x.end();
                    }
                    _ => self.inlines(&link.children),
                }
            }
            Inline::Image(image) => match self.picture(image) {
                Some((path, w, h)) => {
                    let height_cm = 0.45;
                    self.frame_element(image, &path, height_cm * w / h, height_cm);
                }
                None => {
                    self.x.spaced_text(&image.alt);
                }
            },
            Inline::FootnoteRef { label, number, .. } => self.footnote(label, *number),
            Inline::SoftBreak => {
                self.x.text(" ");
            }
            Inline::HardBreak => {
                self.x.empty("text:line-break", &[]);
            }
            Inline::Var { name, .. } => {
                self.x.spaced_text(&format!("{{{{ {name} }}}}"));
            }
            Inline::Abbr { text, title } => {
                self.x.spaced_text(&format!("{text} ({title})"));
            }
        }
    }

    /// A footnote: the note itself at its first reference (marked with the pack's number),
    /// a reference to it at the others; inside a note, where ODF allows no note, the number.
    fn footnote(&mut self, label: &str, number: u32) {
        let id = format!("ftn-{}-{number}", self.chapter);
        let n = number.to_string();
        if number == 0 {
            self.x.text(&format!("[^{label}]"));
        } else if self.in_note {
            self.x.element(
                "text:span",
                &[("text:style-name", "Footnote_20_anchor")],
                &n,
            );
        } else if self.notes_done.insert(number) {
            let body = self
                .footnotes
                .binary_search_by_key(&number, |(n, _)| *n)
                .map(|at| self.footnotes[at].1.clone())
                .unwrap_or_default();
            self.x
                .start("text:note")
                .attr("text:id", &id)
                .attr("text:note-class", "footnote");
            self.x
                .element("text:note-citation", &[("text:label", &n)], &n);
            self.x.start("text:note-body");
            let outer = (
                std::mem::replace(&mut self.in_note, true),
                self.frame.take(),
                std::mem::take(&mut self.lists),
                std::mem::replace(&mut self.in_link, false),
                self.prefix.take(),
            );
            if body.is_empty() {
                self.open_para("Footnote");
                self.x.end();
            }
            self.note_blocks(&body);
            (
                self.in_note,
                self.frame,
                self.lists,
                self.in_link,
                self.prefix,
            ) = outer;
            self.x.end();
            self.x.end();
        } else {
            self.x
                .start("text:note-ref")
                .attr("text:note-class", "footnote")
                .attr("text:reference-format", "text")
                .attr("text:ref-name", &id);
            self.x.text(&n);
            self.x.end();
        }
    }

    /// A footnote's blocks: its paragraphs in the footnote style.
    fn note_blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Paragraph(p) if p.number.is_none() => self.para("Footnote", &p.inlines),
                other => self.block(other),
            }
        }
    }
}

/// The error for an image file that is no image a pack may show.
fn unreadable(src: &str, file: &str, pos: Pos, pack: &Pack) -> Diagnostic {
    let diagnostic = Diagnostic::error(format!(
        "the image `{src}` cannot be put in the ODT for {}: it is not a PNG, JPEG, GIF, WebP or SVG file",
        pack.label()
    ));
    let diagnostic = if file.is_empty() {
        diagnostic.in_file(src)
    } else {
        diagnostic.at(file, pos)
    };
    diagnostic
        .help("check that the image is a PNG, JPEG, GIF or SVG file that opens in other programs")
}
