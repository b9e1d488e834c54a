//! Issue 16, point 3, for the formats and surfaces beyond the HTML pages: a Welsh pack's ODT,
//! Govspeak, PDF title, the page of all packs, the search box and the preview say guidepack's
//! own words in Welsh (the labels of the block "formats and surfaces" of `en.toml`/`cy.toml`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::process::Command;

use crate::harness::Project;
use crate::labels::{page_text, words};
use crate::serve::{Running, WAIT, first_event, wait_until, write};

const BLOCK: &str = "# --- formats and surfaces:";

/// The labels of the block "formats and surfaces" of a shipped set.
fn block(file: &str) -> BTreeMap<String, String> {
    let start = file.find(BLOCK).expect("the block of this module's labels");
    toml::from_str(&file[start..]).unwrap()
}

/// The English words of this block's labels that are neither Welsh words of the `cy` set nor
/// words of the fixture: none of them may remain in the Welsh pack.
fn english_only() -> BTreeSet<String> {
    let en: BTreeSet<String> = block(include_str!("../src/labels/en.toml"))
        .values()
        .flat_map(|v| words(v))
        .collect();
    let cy_set: BTreeMap<String, String> =
        toml::from_str(include_str!("../src/labels/cy.toml")).unwrap();
    let cy: BTreeSet<String> = cy_set.values().flat_map(|v| words(v)).collect();
    // (A letter on its own is no word: `{area}'s` leaves an `s`.)
    let english: BTreeSet<String> = (en.difference(&cy))
        .filter(|w| w.chars().count() > 1)
        .cloned()
        .collect();
    // The check can fail: these are words guidepack used to write in these places.
    for word in [
        "search",
        "results",
        "published",
        "online",
        "build",
        "download",
    ] {
        assert!(english.contains(word), "{word}");
    }
    english
}

fn english_in(text: &str, english: &BTreeSet<String>) -> Vec<String> {
    words(text).intersection(english).cloned().collect()
}

/// The text of an XML part (its tags removed) and its attribute values.
fn xml_text(xml: &str) -> String {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let mut out = String::new();
    for node in doc.descendants() {
        if let Some(text) = node.text().filter(|_| node.is_text()) {
            out.push_str(text);
            out.push(' ');
        }
    }
    out
}

fn odt_part(p: &Project, path: &str, part: &str) -> String {
    let bytes = std::fs::read(p.path().join(path)).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(part)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The Welsh fixture released as 1.0.0, then changed (an unreleased working copy), with a
/// chapter of callouts, tasks and a marked change.
fn welsh_working_copy() -> Project {
    let p = Project::fixture("welsh");
    p.run(&["release"]).expect(0);
    p.chapter(
        "03-nodiadau.md",
        "title: Nodiadau",
        "\n> [!NOTE]\n> Darllenwch hwn yn gyntaf.\n\n> [!WARNING]\n> Byddwch yn ofalus.\n> \
         Mae dau baragraff yma.\n\n- [x] Cytuno ar y cynllun\n- [ ] Rhannu'r cynllun\n",
    )
}

const DIR: &str = "output/1.0.0+unreleased/comisiynwyr";
const STEM: &str = "diogelu-plant-yn-y-gig-comisiynwyr-1.0.0+unreleased";

#[test]
fn the_odt_govspeak_and_pdf_title_of_a_welsh_pack_are_welsh() {
    let p = welsh_working_copy();
    p.run(&["build"]).expect(0);
    let english = english_only();

    let odt = format!("{DIR}/{STEM}.odt");
    let content = odt_part(&p, &odt, "content.xml");
    let styles = odt_part(&p, &odt, "styles.xml");
    let meta = odt_part(&p, &odt, "meta.xml");
    // (The working copy's version, `1.0.0+unreleased`, is a name, not words.)
    let odt_text = [&content, &styles, &meta].map(|x| xml_text(x)).join("\n");
    let odt_text = odt_text.replace("1.0.0+unreleased", "1.0.0-x");
    assert_eq!(
        english_in(&odt_text, &english),
        Vec::<String>::new(),
        "{odt_text}"
    );
    for welsh in [
        "Fersiwn: 1.0.0 gyda newidiadau heb eu rhyddhau (1.0.0-x)",
        "Cyhoeddwyd: 31 Hydref 2011",
        "Cyhoeddwr: Llywodraeth Cymru",
        "Ar gyfer: Comisiynwyr",
        "Newidiadau heb eu rhyddhau ers 1.0.0 — nid y testun a ryddhawyd",
        "Gofyn am fformat arall",
        "Nodyn",
        "Rhybudd",
        "(newidiadau heb eu rhyddhau ers 1.0.0)",
    ] {
        assert!(odt_text.contains(welsh), "{welsh}:\n{odt_text}");
    }
    // The footer's "Page X of Y", the contents' name and the tables' names.
    assert!(
        styles.contains("Tudalen <text:page-number text:select-page=\"current\">1</text:page-number> o <text:page-count>1</text:page-count>"),
        "{styles}"
    );
    assert!(content.contains("text:name=\"Cynnwys\""), "{content}");
    assert!(content.contains("table:name=\"Tabl1\""), "{content}");
    assert!(!content.contains("table:name=\"Table"), "{content}");
    assert!(meta.contains("meta:name=\"Fersiwn\""), "{meta}");

    // Govspeak escapes an apostrophe (`\\'`).
    let govspeak = p
        .read(&format!("{DIR}/{STEM}.govspeak.md"))
        .replace("\\'", "'");
    // The addresses the publisher replaces are not words readers see.
    let readable: String = (govspeak.split_whitespace())
        .map(|w| match w.find("REPLACE-WITH-ADDRESS-OF-") {
            Some(at) => &w[..at],
            None => w,
        })
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(
        english_in(&readable, &english),
        Vec::<String>::new(),
        "{govspeak}"
    );
    for welsh in [
        "%**Newidiadau heb eu rhyddhau ers 1.0.0:** Copi gwaith yw hwn, nid fersiwn 1.0.0",
        "Mae'r canllawiau hyn hefyd ar gael i'w lawrlwytho:",
        "^**Nodyn:** Darllenwch hwn yn gyntaf.^",
        "%**Rhybudd:** Byddwch yn ofalus.",
        "Wedi'i wneud: Cytuno ar y cynllun",
        "I'w wneud: Rhannu’r cynllun",
    ] {
        assert!(govspeak.contains(welsh), "{welsh}:\n{govspeak}");
    }

    // The PDF's title (its metadata; what a viewer's title bar and a screen reader say).
    let pdf = p.path().join(format!("{DIR}/{STEM}.pdf"));
    let found = Command::new("pdfinfo").arg("-v").output().is_ok();
    if crate::harness::required_tool(found, "pdfinfo", "poppler-utils") {
        let out = Command::new("pdfinfo").arg(&pdf).output().unwrap();
        let info = String::from_utf8_lossy(&out.stdout);
        let title = info
            .lines()
            .find_map(|l| l.strip_prefix("Title:"))
            .unwrap_or("");
        assert!(
            title.ends_with("Comisiynwyr (newidiadau heb eu rhyddhau ers 1.0.0)"),
            "{info}"
        );
        assert_eq!(english_in(title, &english), Vec::<String>::new(), "{info}");
    }
    if let Some(text) = crate::harness::pdf_text(&p.path().join(format!("{DIR}/{STEM}.pdf"))) {
        let text = text.replace("1.0.0+unreleased", "1.0.0-x");
        assert_eq!(english_in(&text, &english), Vec::<String>::new(), "{text}");
        assert!(
            text.contains("Newidiadau heb eu rhyddhau ers 1.0.0"),
            "{text}"
        );
    }
}

#[test]
fn the_reviewer_copy_and_the_page_of_all_packs_are_welsh() {
    let p = crate::releases::bump(welsh_working_copy(), "1.1.0");
    p.run(&["build", "--format", "html", "--format", "odt"])
        .expect(0);
    p.run(&["build", "--review"]).expect(0);
    let english = english_only();

    let index = p.read("output/index.html");
    let text = page_text(&index);
    assert_eq!(english_in(&text, &english), Vec::<String>::new(), "{text}");
    for welsh in [
        "Pob pecyn, yn ôl fersiwn, cynulleidfa ac ardal",
        "Darllenwch becyn yn eich porwr neu lawrlwythwch ef fel PDF, Testun OpenDocument (ODT) \
         neu Govspeak ar gyfer GOV.UK.",
        "Fersiwn 1.1.0 Diweddaraf",
        "Fersiwn 1.1.0, cyhoeddwyd 31 Hydref 2011",
        "Darllen neu lawrlwytho",
        "Darllen ar-lein",
        "Cenedlaethol",
        "Nid hon yw'r fersiwn ddiweddaraf.",
        "Nid i'w gyhoeddi Copi'r adolygydd o fersiwn 1.1.0",
        "(copi'r adolygydd, fersiwn 1.1.0)",
        "Gwnaed gyda guidepack",
    ] {
        assert!(text.contains(welsh), "{welsh}:\n{text}");
    }
    assert!(index.contains("<title>Pob pecyn – Diogelu plant yn y GIG</title>"));
    assert!(index.contains("aria-label=\"Fersiynau\""), "{index}");

    // The reviewer's copy's Govspeak says first, in Welsh, that it is not for publication.
    let review = p.read("output/1.1.0/review/diogelu-plant-yn-y-gig-review-1.1.0.govspeak.md");
    let review = review.replace("\\'", "'");
    assert!(
        review.starts_with("%**Copi'r adolygydd — nid i'w gyhoeddi:** Mae'r copi hwn"),
        "{review}"
    );
    assert!(
        review.contains("[Diogelu plant yn y GIG: Copi'r adolygydd (PDF, "),
        "{review}"
    );
    // Its notes before the first chapter (the labels that say who sees each part are
    // `resolve/review.rs`', still English: README, "Labels").
    let notes = review.split("\n## ").next().unwrap();
    let notes = notes
        .split("](REPLACE-WITH-ADDRESS-OF-")
        .map(|part| part.split_once(')').map_or(part, |(_, rest)| rest));
    let notes = notes.collect::<Vec<_>>().join(" ");
    assert_eq!(
        english_in(&notes, &english),
        Vec::<String>::new(),
        "{notes}"
    );
}

#[test]
fn the_search_box_gets_its_welsh_words_from_the_page() {
    let p = Project::fixture("welsh");
    p.build_html();
    let page = p.read("output/1.0.0/comisiynwyr/cyflwyniad.html");
    let script = (page.split("<script defer src=\"search.js\"").nth(1))
        .and_then(|rest| rest.split('>').next())
        .expect("the search script");
    for welsh in [
        "data-region=\"Y pecyn hwn\"",
        "data-label=\"Chwilio&#39;r pecyn hwn\"",
        "data-button=\"Chwilio\"",
        "data-none=\"Dim canlyniadau ar gyfer “{query}”\"",
        "data-one=\"{count} canlyniad ar gyfer “{query}”\"",
        "data-many=\"{count} canlyniad ar gyfer “{query}”\"",
        "data-many-shown=\"{count} canlyniad ar gyfer “{query}”, yn dangos y {shown} cyntaf\"",
        "data-chapter-start=\"Dechrau&#39;r bennod\"",
        "data-in-chapter=\"Yn y bennod\"",
    ] {
        assert!(script.contains(welsh), "{welsh}:\n{script}");
    }
    let english = english_only();
    // The attributes' values (their names are no words of the page).
    let values: Vec<&str> = script.split('"').skip(1).step_by(2).collect();
    assert_eq!(values.len(), 9, "{script}");
    let values = values.join(" ").replace("&#39;", "'");
    assert_eq!(
        english_in(&values, &english),
        Vec::<String>::new(),
        "{values}"
    );
    // The script's own English is a fallback only, read after the page's words.
    let js = p.read("output/1.0.0/comisiynwyr/search.js");
    assert!(js.contains("word(\"label\", \"Search this pack\")"), "{js}");
    assert!(
        !js.contains("el(\"label\", \"gp-search__label\", \"Search"),
        "{js}"
    );
}

#[test]
fn the_preview_speaks_welsh_in_its_pages_and_its_error_overlay() {
    let p = Project::fixture("welsh");
    let server = Running::start(&p, "serve", &["--format", "html"]);
    let english = english_only();
    let missing = server.get("/1.0.0/comisiynwyr/dim-tudalen.html");
    assert_eq!(missing.status, 404, "{}", server.output());
    assert!(
        missing.body.contains("<html lang=\"cy\">"),
        "{}",
        missing.body
    );
    assert!(
        missing.body.contains("<h1>Heb ei chanfod</h1>"),
        "{}",
        missing.body
    );
    assert!(
        missing.body.contains(">Hafan y rhagolwg</a>"),
        "{}",
        missing.body
    );
    // The page's words, not the live-reload script's code.
    let body = missing.body.split("<script").next().unwrap_or("");
    let shown = page_text(body);
    assert_eq!(
        english_in(&shown, &english),
        Vec::<String>::new(),
        "{shown}"
    );
    // The overlay's script holds no words of its own.
    let page = server.get("/1.0.0/comisiynwyr/cyflwyniad.html").body;
    assert!(
        page.contains("title.textContent = data.words.failed;"),
        "{page}"
    );
    assert!(!page.contains("The build failed"), "{page}");

    write(
        &p,
        "content/01-cyflwyniad.md",
        "---\ntitle: Cyflwyniad\n---\n\n::: audience comisiynwyr\nHeb ei gau.\n",
    );
    let failed = wait_until(WAIT, || server.status()["ok"] == false);
    assert!(failed, "{}", server.output());
    let event = first_event(server.port);
    assert!(event.contains("event: failed"), "{event}");
    for welsh in [
        "\"failed\":\"Methodd yr adeiladu\"",
        "\"hide\":\"Cuddio'r neges hon\"",
        "Mae'r dudalen hon yn dangos yr adeiladiad da diwethaf.",
    ] {
        assert!(event.contains(welsh), "{welsh}:\n{event}");
    }
}
