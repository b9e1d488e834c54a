//! `--format odt` (issue 14, point 2): a valid ODF package (the `mimetype` entry, the
//! manifest, every XML part), the structure an office suite shows (heading styles and outline,
//! the contents, tables with header rows, lists, notes, pictures with alt text, callouts), the
//! metadata, the cover and the footer; the same bytes on every build; bad input refused as in
//! every format; format conditions; and a round trip through LibreOffice keeping the text.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;

use roxmltree::{Document, Node};

use crate::harness::{Project, main_text, required_tool};

const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const STYLE: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
const DRAW: &str = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
const SVG: &str = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";
const XLINK: &str = "http://www.w3.org/1999/xlink";
const FO: &str = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const META: &str = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
const MANIFEST: &str = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0";
const MEDIA_TYPE: &str = "application/vnd.oasis.opendocument.text";

const PROVIDERS_ODT: &str = "output/2.0.0/providers/test-pack-providers-2.0.0.odt";
const SAMPLE_ODT: &str =
    "output/1.0.0/providers/safeguarding-children-in-the-reformed-nhs-providers-1.0.0.odt";

/// The entries of a package, in their order, with their bytes.
fn entries(odt: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(odt)).expect("the ODT is a zip");
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn part(odt: &[u8], name: &str) -> String {
    let (_, bytes) = entries(odt)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in the package"));
    String::from_utf8(bytes).unwrap()
}

fn is(node: &Node, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == name
}

fn attr<'a>(node: &Node<'a, '_>, ns: &str, name: &str) -> Option<&'a str> {
    node.attribute((ns, name))
}

/// The text of an ODF paragraph as a reader sees it: `text:s` and `text:tab` as spaces, the
/// citation of a note but not its body, no picture's title or description.
fn odf_text(node: Node) -> String {
    let mut out = String::new();
    for child in node.children() {
        if child.is_text() {
            out.push_str(child.text().unwrap_or(""));
        } else if is(&child, TEXT, "s") || is(&child, TEXT, "tab") || is(&child, TEXT, "line-break")
        {
            out.push(' ');
        } else if is(&child, TEXT, "note-body") || is(&child, DRAW, "frame") {
        } else {
            out.push_str(&odf_text(child));
        }
    }
    out
}

fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A minimal project with a chapter holding each construct, a licence and an
/// `[accessibility]` contact.
fn constructs() -> Project {
    let p = Project::minimal();
    let config = std::fs::read_to_string(p.path().join("guidepack.toml")).unwrap();
    let config = config.replacen(
        "[pack]\n",
        "[pack]\nlicence = \"ogl-3\"\ncopyright = \"© Crown copyright 2013\"\n",
        1,
    ) + "\n[accessibility]\nemail = \"formats@example.org\"\nresponse_time = \"15 working days\"\n";
    p.file("guidepack.toml", &config).chapter(
        "02-constructs.md",
        "title: Constructs\nsummary: Every kind of block.",
        "Intro with a note.[^first] And a [web link](https://example.org/a?b=1&c=2) and [a heading](#deeper).\n\n\
         ## Section two\n\nMore text, second reference.[^first]\n\n\
         ### Deeper\n\n3. three\n4. four\n   - nested bullet\n\n\
         > [!WARNING]\n> Mind the gap.\n\n\
         ![A small dot, four pixels square](assets/dot.png \"The dot\")\n\n\
         | Name | Value |\n|---|--:|\n| a | 1 |\n\n\
         ::: duties all\n:::\n\n\
         [^first]: Children Act 2004, section 10.\n",
    )
}

#[test]
fn the_package_is_valid_and_the_manifest_lists_every_part() {
    let p = constructs();
    p.run(&["build", "--format", "odt", "--audience", "providers"])
        .expect(0);
    let odt = std::fs::read(p.path().join(PROVIDERS_ODT)).unwrap();
    // `mimetype` first, stored (method 0), no extra field, its media type at offset 38.
    assert_eq!(&odt[0..4], b"PK\x03\x04");
    assert_eq!(
        u16::from_le_bytes([odt[8], odt[9]]),
        0,
        "mimetype is stored"
    );
    assert_eq!(u16::from_le_bytes([odt[28], odt[29]]), 0, "no extra field");
    assert_eq!(&odt[30..38], b"mimetype");
    assert_eq!(&odt[38..38 + MEDIA_TYPE.len()], MEDIA_TYPE.as_bytes());
    let entries = entries(&odt);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "mimetype");
    for part in [
        "content.xml",
        "styles.xml",
        "meta.xml",
        "META-INF/manifest.xml",
    ] {
        assert!(names.contains(&part), "{names:?}");
    }
    // The manifest lists the package and every part but itself and `mimetype`, and nothing else.
    let manifest = part(&odt, "META-INF/manifest.xml");
    let doc = Document::parse(&manifest).unwrap();
    let listed: BTreeMap<&str, &str> = doc
        .descendants()
        .filter(|n| is(n, MANIFEST, "file-entry"))
        .map(|n| {
            (
                attr(&n, MANIFEST, "full-path").unwrap(),
                attr(&n, MANIFEST, "media-type").unwrap(),
            )
        })
        .collect();
    let mut expected: BTreeSet<&str> = names
        .iter()
        .copied()
        .filter(|n| *n != "mimetype" && *n != "META-INF/manifest.xml")
        .collect();
    expected.insert("/");
    assert_eq!(listed.keys().copied().collect::<BTreeSet<_>>(), expected);
    assert_eq!(listed["/"], MEDIA_TYPE);
    assert!(names.iter().any(|n| n.starts_with("Pictures/")));
    for (name, media_type) in &listed {
        if name.starts_with("Pictures/") {
            assert_eq!(*media_type, "image/png");
        }
    }
    // Every XML part parses, and says its ODF version.
    for (name, bytes) in &entries {
        if name.ends_with(".xml") {
            let text = std::str::from_utf8(bytes).unwrap();
            let doc = Document::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let version = doc
                .root_element()
                .attributes()
                .find(|a| a.name() == "version");
            assert_eq!(version.map(|a| a.value()), Some("1.2"), "{name}");
        }
    }
}

#[test]
fn structure_metadata_cover_and_footer_are_where_odf_puts_them() {
    let p = constructs();
    p.run(&["build", "--format", "odt", "--audience", "providers"])
        .expect(0);
    let odt = std::fs::read(p.path().join(PROVIDERS_ODT)).unwrap();
    let content = part(&odt, "content.xml");
    let content = Document::parse(&content).unwrap();
    let styles = part(&odt, "styles.xml");
    let styles = Document::parse(&styles).unwrap();

    // Headings: outline levels, named styles, numbers in their text, no level skipped.
    let headings: Vec<(String, String, String)> = content
        .descendants()
        .filter(|n| is(n, TEXT, "h"))
        .map(|n| {
            (
                attr(&n, TEXT, "outline-level").unwrap().to_string(),
                attr(&n, TEXT, "style-name").unwrap().to_string(),
                folded(&odf_text(n)),
            )
        })
        .collect();
    let find = |text: &str| {
        headings
            .iter()
            .find(|(_, _, t)| t == text)
            .unwrap_or_else(|| panic!("no heading {text:?} in {headings:?}"))
    };
    assert_eq!(find("2 Constructs").0, "1");
    assert_eq!(find("2 Constructs").1, "Heading_20_1");
    assert_eq!(find("2.1 Section two").0, "2");
    assert_eq!(find("2.1 Section two").1, "Heading_20_2");
    assert_eq!(find("2.1.1 Deeper").0, "3");
    assert_eq!(find("2.1.1 Deeper").1, "Heading_20_3");
    // The heading styles: display names, outline levels; the outline has no automatic numbers.
    for level in 1..=6 {
        let name = format!("Heading_20_{level}");
        let style = styles
            .descendants()
            .find(|n| is(n, STYLE, "style") && attr(n, STYLE, "name") == Some(&name))
            .unwrap_or_else(|| panic!("no style {name}"));
        assert_eq!(
            attr(&style, STYLE, "display-name"),
            Some(format!("Heading {level}").as_str())
        );
        assert_eq!(
            attr(&style, STYLE, "default-outline-level"),
            Some(level.to_string().as_str())
        );
    }
    let outline = styles
        .descendants()
        .find(|n| is(n, TEXT, "outline-style"))
        .expect("an outline style");
    let levels: Vec<_> = outline
        .children()
        .filter(|n| is(n, TEXT, "outline-level-style"))
        .collect();
    assert_eq!(levels.len(), 10);
    assert!(
        levels
            .iter()
            .all(|l| attr(l, STYLE, "num-format") == Some(""))
    );

    // The contents: its entries written, each a link to its heading's bookmark.
    let toc = content
        .descendants()
        .find(|n| is(n, TEXT, "table-of-content"))
        .expect("a table of contents");
    let entries: Vec<(String, String)> = toc
        .descendants()
        .filter(|n| is(n, TEXT, "a"))
        .map(|a| {
            (
                attr(&a, XLINK, "href").unwrap().to_string(),
                folded(&odf_text(a)),
            )
        })
        .collect();
    assert!(
        entries.contains(&("#constructs".to_string(), "2 Constructs".to_string())),
        "{entries:?}"
    );
    let bookmarks: BTreeSet<&str> = content
        .descendants()
        .filter(|n| is(n, TEXT, "bookmark"))
        .filter_map(|n| attr(&n, TEXT, "name"))
        .collect();
    for (href, _) in &entries {
        assert!(bookmarks.contains(&href[1..]), "{href} has no bookmark");
    }
    assert!(entries.iter().any(|(_, t)| t == "2.1 Section two"));
    assert!(
        !entries.iter().any(|(_, t)| t == "2.1.1 Deeper"),
        "the contents go two levels deep"
    );

    // Tables: the header row in `table:table-header-rows`, its cells and row headers in the
    // heading style; the duties table's caption before it.
    let tables: Vec<_> = content
        .descendants()
        .filter(|n| is(n, TABLE, "table"))
        .collect();
    assert_eq!(tables.len(), 2, "the Markdown table and the duties table");
    for table in &tables {
        let head = table
            .children()
            .find(|n| is(n, TABLE, "table-header-rows"))
            .expect("a header row");
        let cells: Vec<_> = head
            .descendants()
            .filter(|n| is(n, TEXT, "p"))
            .map(|p| attr(&p, TEXT, "style-name").unwrap())
            .collect();
        assert!(!cells.is_empty());
        assert!(
            cells
                .iter()
                .all(|s| s.starts_with("Table_20_Heading") || s.starts_with("TH_"))
        );
    }
    let markdown = tables[0];
    let head: Vec<String> = markdown
        .descendants()
        .filter(|n| is(n, TABLE, "table-header-rows"))
        .flat_map(|h| {
            h.descendants()
                .filter(|n| is(n, TEXT, "p"))
                .map(|p| odf_text(p))
        })
        .collect();
    assert_eq!(head, ["Name", "Value"]);
    // The right-aligned column keeps its alignment.
    let body_cells: Vec<_> = markdown
        .children()
        .filter(|n| is(n, TABLE, "table-row"))
        .flat_map(|r| r.descendants().filter(|n| is(n, TEXT, "p")))
        .map(|p| attr(&p, TEXT, "style-name").unwrap())
        .collect();
    assert_eq!(body_cells, ["Table_20_Contents", "TC_R"]);
    let duties = tables[1];
    let first_cells: Vec<&str> = duties
        .children()
        .filter(|n| is(n, TABLE, "table-row"))
        .filter_map(|r| r.descendants().find(|n| is(n, TEXT, "p")))
        .map(|p| attr(&p, TEXT, "style-name").unwrap())
        .collect();
    assert!(!first_cells.is_empty());
    assert!(
        first_cells.iter().all(|s| *s == "Table_20_Heading"),
        "row headers: {first_cells:?}"
    );
    let caption = duties.prev_sibling_element().unwrap();
    assert_eq!(attr(&caption, TEXT, "style-name"), Some("Caption"));

    // Footnotes: a note at the first reference, numbered as the pack numbers it, and a
    // reference to it at the second.
    let notes: Vec<_> = content
        .descendants()
        .filter(|n| is(n, TEXT, "note"))
        .collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(attr(&notes[0], TEXT, "note-class"), Some("footnote"));
    let citation = notes[0]
        .children()
        .find(|n| is(n, TEXT, "note-citation"))
        .unwrap();
    assert_eq!(citation.text(), Some("1"));
    let body = notes[0]
        .children()
        .find(|n| is(n, TEXT, "note-body"))
        .unwrap();
    assert_eq!(folded(&odf_text(body)), "Children Act 2004, section 10.");
    let id = attr(&notes[0], TEXT, "id").unwrap();
    let refs: Vec<_> = content
        .descendants()
        .filter(|n| is(n, TEXT, "note-ref"))
        .collect();
    assert_eq!(refs.len(), 1);
    assert_eq!(attr(&refs[0], TEXT, "ref-name"), Some(id));

    // The picture: embedded, sized from its pixels, with its title and alt text after it.
    let frame = content
        .descendants()
        .find(|n| is(n, DRAW, "frame"))
        .expect("a picture");
    let kids: Vec<_> = frame.children().filter(|n| n.is_element()).collect();
    assert!(is(&kids[0], DRAW, "image"));
    assert!(
        attr(&kids[0], XLINK, "href")
            .unwrap()
            .starts_with("Pictures/")
    );
    assert!(is(&kids[1], SVG, "title") && kids[1].text() == Some("The dot"));
    assert!(is(&kids[2], SVG, "desc") && kids[2].text() == Some("A small dot, four pixels square"));
    // 4 px at 96 to the inch.
    assert_eq!(attr(&frame, SVG, "width"), Some("0.106cm"));
    assert_eq!(attr(&frame, SVG, "height"), Some("0.106cm"));

    // Lists: an ordered list keeps its start, a nested list is inside its item.
    let ordered = content
        .descendants()
        .find(|n| is(n, TEXT, "list") && attr(n, TEXT, "style-name") == Some("Numbering_20_123"))
        .expect("an ordered list");
    let first = ordered
        .children()
        .find(|n| is(n, TEXT, "list-item"))
        .unwrap();
    assert_eq!(attr(&first, TEXT, "start-value"), Some("3"));
    assert!(ordered.descendants().skip(1).any(|n| is(&n, TEXT, "list")));

    // The callout: framed paragraphs with the label in text.
    let label = content
        .descendants()
        .find(|n| is(n, TEXT, "p") && attr(n, TEXT, "style-name") == Some("Callout_20_Label"))
        .expect("a callout label");
    assert_eq!(odf_text(label), "Warning");
    let framed = label.next_sibling_element().unwrap();
    assert_eq!(attr(&framed, TEXT, "style-name"), Some("Callout"));
    assert_eq!(folded(&odf_text(framed)), "Mind the gap.");

    // Links: a web address, and a link to a heading's bookmark.
    let links: Vec<&str> = content
        .descendants()
        .filter(|n| is(n, TEXT, "a"))
        .filter(|n| !n.ancestors().any(|a| is(&a, TEXT, "table-of-content")))
        .filter_map(|n| attr(&n, XLINK, "href"))
        .collect();
    assert!(
        links.contains(&"https://example.org/a?b=1&c=2"),
        "{links:?}"
    );
    assert!(
        links.contains(&"#deeper") && bookmarks.contains("deeper"),
        "{links:?}"
    );

    // The cover: the pack's facts on the first page, which has its own page style.
    let paragraphs: Vec<String> = content
        .descendants()
        .filter(|n| is(n, TEXT, "p"))
        .map(|n| odf_text(n))
        .collect();
    for fact in [
        "Test publisher",
        "Test pack",
        "For: Providers",
        "People who provide",
        "Version: 2.0.0",
        "Published: 28 March 2013",
        "Publisher: Test publisher",
    ] {
        let at = paragraphs.iter().position(|p| p == fact);
        assert!(
            at.is_some_and(|at| at < 8),
            "{fact:?} is not on the cover: {paragraphs:?}"
        );
    }
    // The back of the cover, before the contents: how to ask for another format, and the
    // licence.
    let back = paragraphs
        .iter()
        .position(|p| p == "Request an alternative format");
    let licence = paragraphs.iter().position(|p| p == "Copyright and licence");
    let contents = paragraphs.iter().position(|p| p == "Contents");
    assert!(
        back > Some(6) && back < licence && licence < contents,
        "{paragraphs:?}"
    );
    assert!(paragraphs.contains(&"© Crown copyright 2013".to_string()));
    assert!(links.contains(&"mailto:formats@example.org"), "{links:?}");
    assert!(
        links.contains(
            &"https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
        )
    );
    let first_style = content
        .descendants()
        .find(|n| is(n, STYLE, "style") && attr(n, STYLE, "name") == Some("Cover_Start"))
        .unwrap();
    assert_eq!(
        attr(&first_style, STYLE, "master-page-name"),
        Some("First_20_Page")
    );

    // The footer: the version and "Page X of Y".
    let footer = styles
        .descendants()
        .find(|n| is(n, STYLE, "footer"))
        .expect("a footer");
    assert_eq!(
        folded(&odf_text(footer)),
        "Test pack · Providers · Version 2.0.0 Page 1 of 1"
    );
    assert!(footer.descendants().any(|n| is(&n, TEXT, "page-number")));
    assert!(footer.descendants().any(|n| is(&n, TEXT, "page-count")));

    // The language on the default paragraph style; the metadata.
    let default = styles
        .descendants()
        .find(|n| is(n, STYLE, "default-style") && attr(n, STYLE, "family") == Some("paragraph"))
        .unwrap();
    let text = default
        .children()
        .find(|n| is(n, STYLE, "text-properties"))
        .unwrap();
    assert_eq!(attr(&text, FO, "language"), Some("en"));
    assert_eq!(attr(&text, FO, "country"), Some("GB"));
    let meta = part(&odt, "meta.xml");
    let meta = Document::parse(&meta).unwrap();
    let value = |ns: &str, name: &str| {
        meta.descendants()
            .find(|n| is(n, ns, name))
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    assert_eq!(value(DC, "title").as_deref(), Some("Test pack – Providers"));
    assert_eq!(value(DC, "language").as_deref(), Some("en-GB"));
    assert_eq!(value(DC, "creator").as_deref(), Some("Test publisher"));
    assert_eq!(value(DC, "date").as_deref(), Some("2013-03-28T00:00:00"));
    assert_eq!(
        value(META, "creation-date").as_deref(),
        Some("2013-03-28T00:00:00")
    );
    assert!(value(META, "generator").unwrap().starts_with("guidepack "));
}

#[test]
fn a_table_in_a_list_item_stays_a_table_and_the_list_goes_on() {
    let p = Project::minimal().chapter(
        "02-list.md",
        "title: List",
        "1. first\n\n   | A | B |\n   |---|---|\n   | 1 | 2 |\n\n   after the table\n2. second\n",
    );
    p.run(&["build", "--format", "odt", "--audience", "providers"])
        .expect(0);
    let odt = std::fs::read(p.path().join(PROVIDERS_ODT)).unwrap();
    let content = part(&odt, "content.xml");
    let doc = Document::parse(&content).unwrap();
    let table = doc
        .descendants()
        .find(|n| is(n, TABLE, "table"))
        .expect("a table");
    assert!(!table.ancestors().any(|a| is(&a, TEXT, "list")));
    let before = table.prev_sibling_element().unwrap();
    let after = table.next_sibling_element().unwrap();
    assert!(is(&before, TEXT, "list") && is(&after, TEXT, "list"));
    assert_eq!(attr(&after, TEXT, "continue-numbering"), Some("true"));
    let kids: Vec<_> = after.children().filter(|n| n.is_element()).collect();
    assert!(
        is(&kids[0], TEXT, "list-header"),
        "the item goes on without a second number"
    );
    assert_eq!(folded(&odf_text(kids[0])), "after the table");
    assert!(is(&kids[1], TEXT, "list-item") && folded(&odf_text(kids[1])) == "second");
}

#[test]
fn a_draft_is_marked_on_the_cover_and_at_the_top_of_every_page() {
    let p = Project::minimal().chapter("02-draft.md", "title: Draft\ndraft: true", "Not ready.\n");
    p.run(&["build", "--format", "odt", "--audience", "providers"])
        .expect(0);
    let odt = std::fs::read(p.path().join(PROVIDERS_ODT)).unwrap();
    let content = part(&odt, "content.xml");
    let content = Document::parse(&content).unwrap();
    let mark = content
        .descendants()
        .find(|n| is(n, TEXT, "p") && attr(n, TEXT, "style-name") == Some("Cover_20_Mark"))
        .expect("a mark on the cover");
    assert_eq!(odf_text(mark), "DRAFT — not for use");
    let styles = part(&odt, "styles.xml");
    let styles = Document::parse(&styles).unwrap();
    let header = styles
        .descendants()
        .find(|n| is(n, STYLE, "header"))
        .expect("a header");
    assert_eq!(folded(&odf_text(header)), "DRAFT — not for use");
    // Without a draft chapter, neither.
    let p = Project::minimal();
    p.run(&["build", "--format", "odt", "--audience", "providers"])
        .expect(0);
    let odt = std::fs::read(p.path().join(PROVIDERS_ODT)).unwrap();
    assert!(!part(&odt, "content.xml").contains("DRAFT"));
    assert!(!part(&odt, "styles.xml").contains("<style:header>"));
}

#[test]
fn two_builds_give_the_same_bytes() {
    let p = Project::sample();
    let build = || {
        p.run(&["build", "--format", "odt", "--audience", "providers"])
            .expect(0);
        std::fs::read(p.path().join(SAMPLE_ODT)).unwrap()
    };
    let first = build();
    std::fs::remove_dir_all(p.path().join("output")).unwrap();
    let second = build();
    assert!(first == second, "two builds of the ODT differ");
    // Every entry has the zip epoch as its time.
    let mut zip = zip::ZipArchive::new(Cursor::new(&first[..])).unwrap();
    for i in 0..zip.len() {
        let file = zip.by_index(i).unwrap();
        assert_eq!(
            file.last_modified(),
            Some(zip::DateTime::default()),
            "{:?}",
            file.name()
        );
    }
}

#[test]
fn an_image_without_alt_text_fails_in_odt_as_in_every_format() {
    let p = Project::minimal();
    p.run(&["build"]).expect(0);
    let before = p.output_files();
    let p = p.chapter("02-bad.md", "title: Bad", "\n![](assets/dot.png)\n");
    let mut messages = Vec::new();
    for format in ["odt", "pdf", "html"] {
        let run = p.run(&["build", "--format", format]).expect(1);
        assert!(run.stderr.contains("has no alt text"), "{}", run.stderr);
        messages.push(run.normalised_stderr());
        assert!(p.output_files() == before, "{format}: the output changed");
    }
    assert_eq!(messages[0], messages[1]);
    assert_eq!(messages[0], messages[2]);
}

#[test]
fn an_image_file_that_is_no_image_is_an_error_at_its_line() {
    let p = Project::minimal();
    p.write_bytes("content/assets/fake.png", b"not a picture at all");
    let p = p.chapter(
        "02-bad.md",
        "title: Bad",
        "Text.\n\n![A chart](assets/fake.png)\n",
    );
    let run = p
        .run(&["build", "--format", "odt", "--audience", "providers"])
        .expect(1);
    assert!(
        run.stderr.contains("error: the image `content/assets/fake.png` cannot be put in the ODT for the national Providers pack: it is not a PNG, JPEG, GIF, WebP or SVG file\n --> content/02-bad.md:6:1"),
        "{}",
        run.stderr
    );
    assert!(!p.exists(PROVIDERS_ODT));
}

#[test]
fn format_conditions_take_odt() {
    let p = Project::minimal().chapter(
        "02-formats.md",
        "title: Formats",
        "Everyone reads this.\n\n::: format odt\nEditable copy only.\n:::\n\n::: format not odt\nNot in the editable copy.\n:::\n",
    );
    p.run(&["build", "--audience", "providers"]).expect(0);
    let odt = std::fs::read(p.path().join(PROVIDERS_ODT)).unwrap();
    let content = part(&odt, "content.xml");
    let doc = Document::parse(&content).unwrap();
    let text: Vec<String> = doc
        .descendants()
        .filter(|n| is(n, TEXT, "p"))
        .map(|n| odf_text(n))
        .collect();
    assert!(text.iter().any(|t| t == "Everyone reads this."));
    assert!(text.iter().any(|t| t == "Editable copy only."), "{text:?}");
    assert!(!text.iter().any(|t| t.contains("Not in the editable copy")));
    let html = main_text(&p.read("output/2.0.0/providers/formats.html"));
    assert!(html.contains("Not in the editable copy.") && !html.contains("Editable copy only"));
    // A misspelt format name is refused with the registered names.
    let p = p.chapter("03-typo.md", "title: Typo", "::: format odtt\nx\n:::\n");
    let run = p.run(&["check"]).expect(1);
    assert!(run.stderr.contains("`odt`"), "{}", run.stderr);
}

/// `soffice` run headless with a profile of its own, given at most two minutes.
fn soffice(profile: &Path, convert_to: &str, odt: &Path, out: &Path) -> bool {
    Command::new("timeout")
        .arg("120")
        .arg("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", convert_to, "--outdir"])
        .arg(out)
        .arg(odt)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn libreoffice_opens_the_sample_and_keeps_every_paragraph() {
    let found = Command::new("soffice").arg("--version").output().is_ok();
    if !required_tool(found, "soffice", "libreoffice-writer-nogui") {
        return;
    }
    let p = Project::sample();
    p.run(&[
        "build",
        "--format",
        "odt",
        "--format",
        "html",
        "--audience",
        "providers",
    ])
    .expect(0);
    let odt_path = p.path().join(SAMPLE_ODT);
    let odt = std::fs::read(&odt_path).unwrap();
    let work = tempfile::tempdir().unwrap();
    let profile = work.path().join("profile");
    assert!(
        soffice(&profile, "txt:Text", &odt_path, work.path()),
        "LibreOffice could not convert the ODT to text"
    );
    assert!(
        soffice(&profile, "pdf", &odt_path, work.path()),
        "LibreOffice could not convert the ODT to PDF"
    );
    let stem = odt_path.file_stem().unwrap().to_string_lossy().to_string();
    let txt = std::fs::read_to_string(work.path().join(format!("{stem}.txt"))).unwrap();
    let txt = folded(txt.trim_start_matches('\u{feff}'));
    let pdf = work.path().join(format!("{stem}.pdf"));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));

    // Every paragraph and heading of the body, in LibreOffice's text; every footnote in its PDF.
    let content = part(&odt, "content.xml");
    let doc = Document::parse(&content).unwrap();
    let mut paragraphs = 0;
    let mut notes = Vec::new();
    for node in doc
        .descendants()
        .filter(|n| is(n, TEXT, "p") || is(n, TEXT, "h"))
    {
        let text = folded(&odf_text(node));
        if text.is_empty() {
            continue;
        }
        if node.ancestors().any(|a| is(&a, TEXT, "note-body")) {
            notes.push(text);
        } else {
            assert!(
                txt.contains(&text),
                "LibreOffice lost the paragraph {text:?}"
            );
            paragraphs += 1;
        }
    }
    assert!(paragraphs > 300, "only {paragraphs} paragraphs");
    assert!(!notes.is_empty());
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    if required_tool(found, "pdftotext", "poppler-utils") {
        let out = Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let text = folded(&String::from_utf8_lossy(&out.stdout));
        for note in &notes {
            assert!(
                text.contains(note.as_str()),
                "the PDF lost the footnote {note:?}"
            );
        }
    }

    // The ODT holds every numbered paragraph the HTML pack has.
    let html = p.read("output/1.0.0/providers/all.html");
    let numbers: BTreeSet<String> = html
        .split("<span class=\"gp-para-num\">")
        .skip(1)
        .filter_map(|s| s.split('<').next())
        .map(str::to_string)
        .collect();
    let in_odt: BTreeSet<String> = doc
        .descendants()
        .filter(|n| {
            is(n, TEXT, "p") && attr(n, TEXT, "style-name") == Some("Numbered_20_Paragraph")
        })
        .filter_map(|n| odf_text(n).split_whitespace().next().map(str::to_string))
        .collect();
    assert!(numbers.len() > 100);
    assert_eq!(numbers, in_odt);
    // A paragraph of the HTML, word for word.
    assert!(
        main_text(&html)
            .contains("The 2004 Act spreads responsibility beyond the local authority.")
    );
    assert!(txt.contains("The 2004 Act spreads responsibility beyond the local authority."));
}
