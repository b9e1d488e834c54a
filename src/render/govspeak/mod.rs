//! The Govspeak format: one file a pack that a publisher pastes as the body of a GOV.UK HTML
//! publication (`<stem>.govspeak.md`), the images it shows (`govspeak-images/`), and the list
//! of files to upload and steps to take by hand (`<stem>.govspeak-uploads.txt`).
//!
//! GOV.UK gives the page its title (`h1`), so chapters are `##` and their headings one level
//! down; numbers are written, for the publisher to tick "Use manually numbered headings".

mod blocks;
mod escape;
mod uploads;

use std::collections::{BTreeMap, BTreeSet};

use super::renderer::{Download, DownloadKind, Files, PackRenderer, Renderer, Start};
use crate::diagnostic::Diagnostic;
use crate::doc::{Block, Inline};
use crate::model::Config;
use crate::resolve::Pack;
use crate::sources::SourceSet;
use blocks::{Place, Writer};

/// The folder of the pack folder that holds the images to upload.
pub const IMAGES_DIR: &str = "govspeak-images";

/// The Govspeak body of a GOV.UK HTML publication.
pub struct GovspeakRenderer;

impl Renderer for GovspeakRenderer {
    fn name(&self) -> &'static str {
        "govspeak"
    }

    fn label(&self) -> &'static str {
        "Govspeak"
    }

    /// The body and the uploads list at the top of the pack folder, and the images folder.
    fn owns(&self, rel: &str) -> bool {
        let top = !rel.contains('/')
            && (rel.ends_with(".govspeak.md") || rel.ends_with(".govspeak-uploads.txt"));
        top || rel.starts_with(&format!("{IMAGES_DIR}/"))
    }

    fn download(&self) -> Option<DownloadKind> {
        Some(DownloadKind {
            key: "govspeak",
            label: "Govspeak for GOV.UK",
            media_type: "text/markdown",
            ending: ".govspeak.md",
        })
    }

    fn names(&self, pack: &Pack, config: &Config) -> Option<Vec<String>> {
        let stem = stem(pack, &super::pack_config(config, pack));
        Some(vec![
            format!("{stem}.govspeak.md"),
            format!("{stem}.govspeak-uploads.txt"),
        ])
    }

    fn start<'a>(&'a self, start: &Start<'a>) -> Result<Box<dyn PackRenderer + 'a>, Diagnostic> {
        Ok(Box::new(Started {
            config: start.config,
            sources: start.sources,
        }))
    }
}

struct Started<'a> {
    config: &'a Config,
    sources: &'a SourceSet,
}

impl PackRenderer for Started<'_> {
    fn render(&self, pack: &Pack, downloads: &[Download]) -> Result<Files, Vec<Diagnostic>> {
        let config = &*super::pack_config(self.config, pack);
        let stem = stem(pack, config);
        let links = attachments(pack, config, downloads);
        let (body, mut images) = document(pack, config, &links);
        for image in &mut images {
            image.pixels = self
                .sources
                .bytes(&image.src)
                .and_then(crate::render::picture::bitmap_pixels);
        }
        let list = uploads::text(pack, config, &stem, &links, &images);
        // The body first: it is the download the formats after this one link to.
        let mut files: Files = vec![
            (format!("{stem}.govspeak.md"), body.into_bytes()),
            (format!("{stem}.govspeak-uploads.txt"), list.into_bytes()),
        ];
        for image in &images {
            if let Some(bytes) = self.sources.bytes(&image.src) {
                files.push((format!("{IMAGES_DIR}/{}", image.name), bytes.to_vec()));
            }
        }
        Ok(files)
    }
}

/// The name the pack's files share: the PDF's without `.pdf`.
fn stem(pack: &Pack, config: &Config) -> String {
    let pdf = super::pdf::file_name(pack, config);
    pdf.strip_suffix(".pdf").unwrap_or(&pdf).to_string()
}

/// A whole-pack download of another format, linked from the body at an address the
/// publisher fills in once it is uploaded as an attachment.
pub(crate) struct Attachment {
    pub file: String,
    pub bytes: usize,
    /// What the file is, as GOV.UK names attachment types (`PDF`, `ODT`).
    pub kind: String,
    /// The link's text.
    pub title: String,
    /// The placeholder written as the link's address.
    pub placeholder: String,
}

fn attachments(pack: &Pack, config: &Config, downloads: &[Download]) -> Vec<Attachment> {
    let labels = &config.pack.labels;
    let who = match pack.reviewer_copy {
        true => labels.get("reviewer_copy"),
        false => &pack.audience.name,
    };
    let mut title = format!("{}: {who}", config.pack.title);
    if let Some(area) = &pack.area {
        title.push_str(", ");
        title.push_str(&area.name);
    }
    downloads
        .iter()
        .filter(|d| d.kind.key != "govspeak")
        .filter_map(|d| {
            let (file, bytes) = d.file.clone()?;
            let kind = d.kind.key.to_uppercase();
            let link = labels.fill(
                "download_link",
                &[
                    ("title", &title),
                    ("format", &kind),
                    ("size", &bytes.div_ceil(1024).to_string()),
                ],
            );
            Some(Attachment {
                placeholder: format!("REPLACE-WITH-ADDRESS-OF-{file}"),
                title: link,
                file,
                bytes,
                kind,
            })
        })
        .collect()
}

/// What the writer needs to know of the whole pack before it writes: footnote labels in the
/// order kramdown numbers them, and the ids links may point at.
struct Plan {
    notes: BTreeMap<(usize, u32), u32>,
    anchors: BTreeSet<String>,
    chapter_ids: BTreeSet<String>,
}

impl Plan {
    fn of(pack: &Pack) -> Plan {
        let mut order: Vec<(usize, u32)> = Vec::new();
        for (i, chapter) in pack.chapters.iter().enumerate() {
            crate::doc::visit_inlines(&chapter.blocks, &mut |inlines| {
                footnote_refs(inlines, &mut |n| push_new(&mut order, (i, n)))
            });
        }
        // kramdown numbers a note's own references after every reference in the body.
        let mut k = 0;
        while k < order.len() {
            let (i, n) = order[k];
            if let Some((_, body)) = pack.chapters[i].footnotes.iter().find(|(m, _)| *m == n) {
                crate::doc::visit_inlines(body, &mut |inlines| {
                    footnote_refs(inlines, &mut |m| push_new(&mut order, (i, m)))
                });
            }
            k += 1;
        }
        let notes = order
            .into_iter()
            .enumerate()
            .map(|(label, key)| (key, label as u32 + 1))
            .collect();
        let mut anchors = BTreeSet::new();
        let mut chapter_ids = BTreeSet::new();
        for chapter in &pack.chapters {
            chapter_ids.insert(chapter.id.clone());
            anchors.insert(chapter.id.clone());
            heading_ids(&chapter.blocks, &mut anchors);
        }
        anchors.retain(|id| is_kramdown_id(id));
        chapter_ids.retain(|id| anchors.contains(id));
        Plan {
            notes,
            anchors,
            chapter_ids,
        }
    }
}

fn push_new(order: &mut Vec<(usize, u32)>, key: (usize, u32)) {
    if key.1 > 0 && !order.contains(&key) {
        order.push(key);
    }
}

fn footnote_refs(inlines: &[Inline], f: &mut dyn FnMut(u32)) {
    for inline in inlines {
        match inline {
            Inline::FootnoteRef { number, .. } => f(*number),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Inserted(c) => {
                footnote_refs(c, f)
            }
            Inline::Link(link) => footnote_refs(&link.children, f),
            _ => {}
        }
    }
}

/// The ids of the headings and entries in blocks, at any depth.
fn heading_ids(blocks: &[Block], out: &mut BTreeSet<String>) {
    for block in blocks {
        match block {
            Block::Heading(h) => {
                out.insert(h.id.clone());
            }
            Block::Entry(e) => {
                if !e.id.is_empty() {
                    out.insert(e.id.clone());
                }
                heading_ids(&e.blocks, out);
            }
            Block::List(list) => list.items.iter().for_each(|i| heading_ids(&i.blocks, out)),
            Block::Quote(b)
            | Block::Callout(_, b)
            | Block::Directed { blocks: b, .. }
            | Block::Local { blocks: b, .. }
            | Block::Labelled { blocks: b, .. } => heading_ids(b, out),
            Block::Definitions(defs) => defs.iter().for_each(|d| heading_ids(&d.blocks, out)),
            _ => {}
        }
    }
}

/// Whether kramdown takes `{#id}` as a heading's id (an XML name; Whitehall also strips a
/// leading number, which guidepack's ids never have).
fn is_kramdown_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
}

/// The body and the images it shows.
fn document(pack: &Pack, config: &Config, links: &[Attachment]) -> (String, Vec<blocks::Upload>) {
    let plan = Plan::of(pack);
    let labels = &config.pack.labels;
    let mut w = Writer::new(&plan.notes, &plan.anchors, &plan.chapter_ids, labels);
    let mut parts: Vec<String> = Vec::new();
    let note = |title: &str, text: &str| {
        format!(
            "%**{}:** {}%",
            escape::text(title, false),
            escape::text(text, false)
        )
    };
    if let Some(since) = &config.pack.unreleased_since {
        let version = [("version", &*since.to_string())];
        parts.push(note(
            &labels.fill("unreleased_since", &version),
            &labels.fill("working_copy_text", &version),
        ));
    }
    if pack.reviewer_copy {
        // Like the copy's pages and PDF, it says first that it is not for publication.
        parts.push(note(
            labels.get("reviewer_copy_title"),
            labels.get("reviewer_copy_short_text"),
        ));
    }
    if pack.is_draft() {
        parts.push(note(labels.get("draft_mark"), labels.get("draft_text")));
    }
    if !links.is_empty() {
        parts.push(escape::text(labels.get("also_to_download"), true));
        parts.push(
            links
                .iter()
                .map(|l| format!("*   [{}]({})", escape::text(&l.title, false), l.placeholder))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    for (i, chapter) in pack.chapters.iter().enumerate() {
        w.chapter = i;
        let number = if chapter.number.is_empty() {
            String::new()
        } else {
            format!("{}. ", escape::text(&chapter.number, false))
        };
        parts.push(format!(
            "## {number}{}{}",
            escape::text(&chapter.title, false),
            w.id_suffix(&chapter.id)
        ));
        if let Some(summary) = chapter.summary.as_deref().filter(|s| !s.trim().is_empty()) {
            parts.push(escape::text(summary, true));
        }
        let body = w.blocks(&chapter.blocks, Place::TOP);
        if !body.is_empty() {
            parts.push(body);
        }
        let mut notes: Vec<(u32, &Vec<Block>)> = chapter
            .footnotes
            .iter()
            .filter_map(|(n, blocks)| plan.notes.get(&(i, *n)).map(|label| (*label, blocks)))
            .collect();
        notes.sort_by_key(|(label, _)| *label);
        for (label, blocks) in notes {
            let body = w.blocks(
                blocks,
                Place {
                    column0: false,
                    in_box: true,
                },
            );
            parts.push(footnote(label, &body));
        }
        parts.extend(w.take_images());
    }
    let licence = closing(config);
    if !licence.is_empty() {
        let title = escape::text(labels.get("licence_title"), false);
        parts.push(format!("## {title}"));
        parts.push(w.blocks(&licence, Place::TOP));
    }
    let mut body = parts.join("\n\n");
    let abbreviations = abbreviation_lines(&w.abbreviations, &body);
    if !abbreviations.is_empty() {
        body.push_str("\n\n");
        body.push_str(&abbreviations.join("\n"));
    }
    (tidy(&body), w.uploads)
}

/// The statements the file ends with: the copyright line and the licence, with its link.
fn closing(config: &Config) -> Vec<Block> {
    crate::statements::licence(config)
}

/// A footnote's definition: `[^1]: ` before its first line, the rest indented four spaces.
fn footnote(label: u32, body: &str) -> String {
    let mut out = format!("[^{label}]:");
    for (i, line) in body.lines().enumerate() {
        if i == 0 {
            out.push(' ');
            out.push_str(line);
        } else if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str("\n    ");
            out.push_str(line);
        }
    }
    out
}

/// The abbreviation definitions: for each acronym used, its plural first when the text uses
/// it (`*[CCGs]: …` before `*[CCG]: …`), with the glossary's meaning. A meaning that Govspeak's
/// pre-processing would change (the line is not escaped by kramdown) is left out.
fn abbreviation_lines(used: &BTreeMap<String, String>, body: &str) -> Vec<String> {
    let mut by_key: BTreeMap<String, String> = BTreeMap::new();
    for (text, meaning) in used {
        let key = match text.strip_suffix('s') {
            Some(stem) if stem.chars().any(|c| c.is_ascii_uppercase()) => stem,
            _ => text.as_str(),
        };
        by_key
            .entry(key.to_string())
            .or_insert_with(|| meaning.clone());
    }
    let mut lines = Vec::new();
    for (key, meaning) in by_key {
        let meaning: String = meaning
            .chars()
            .filter(|c| !escape::forbidden(*c))
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        let meaning = meaning.trim();
        let plain_key = key.chars().all(|c| c.is_alphanumeric() || c == '&');
        if meaning.is_empty() || !plain_key || escape::has_govspeak_pattern(meaning) {
            continue;
        }
        let plural = format!("{key}s");
        if has_word(body, &plural) {
            lines.push(format!("*[{plural}]: {meaning}"));
        }
        lines.push(format!("*[{key}]: {meaning}"));
    }
    lines
}

/// Whether `word` is in `text` as a whole word.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// The finished text: no trailing spaces (two would be a line break), and a blockquote's
/// quotation marks at its line's start or end written as entities (Govspeak deletes them
/// there, to draw its own); one newline at the end.
fn tidy(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 1);
    for line in body.lines() {
        let line = line.trim_end();
        if line.starts_with('>') {
            out.push_str(&quote_line(line));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The quotation marks Govspeak removes at the start and end of a blockquote's line.
const QUOTES: [char; 7] = [
    '"', '\u{201C}', '\u{201D}', '\u{201E}', '\u{201F}', '\u{2033}', '\u{2036}',
];

fn quote_line(line: &str) -> String {
    let mut line = line.to_string();
    // The end: a quotation mark (escaped or not) that ends the line.
    if let Some(last) = line.chars().next_back().filter(|c| QUOTES.contains(c)) {
        line.truncate(line.len() - last.len_utf8());
        if last == '"' && line.ends_with('\\') {
            line.pop();
        }
        line.push_str(&format!("&#{};", last as u32));
    }
    // The start: the first character after `>` and spaces.
    let body_at = 1 + line[1..].len() - line[1..].trim_start().len();
    if let Some(first) = line[body_at..]
        .chars()
        .next()
        .filter(|c| QUOTES.contains(c))
    {
        line.replace_range(
            body_at..body_at + first.len_utf8(),
            &format!("&#{};", first as u32),
        );
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blockquote_quotation_marks_are_kept() {
        assert_eq!(
            quote_line("> “Everyone’s job.”"),
            "> &#8220;Everyone’s job.&#8221;"
        );
        assert_eq!(quote_line("> say \\\"hi\\\""), "> say \\\"hi&#34;");
        assert_eq!(quote_line("> plain"), "> plain");
    }

    #[test]
    fn plurals_are_defined_first_and_only_when_used() {
        let used = BTreeMap::from([
            (
                "CCGs".to_string(),
                "clinical commissioning group".to_string(),
            ),
            ("LA".to_string(), "local authority".to_string()),
            ("X".to_string(), "a {barchart} meaning".to_string()),
        ]);
        assert_eq!(
            abbreviation_lines(&used, "the CCGs and the LA"),
            [
                "*[CCGs]: clinical commissioning group",
                "*[CCG]: clinical commissioning group",
                "*[LA]: local authority",
            ]
        );
    }

    #[test]
    fn footnotes_indent_their_later_paragraphs() {
        assert_eq!(footnote(2, "One.\n\nTwo."), "[^2]: One.\n\n    Two.");
    }
}
