//! Issue 16, point 3: the words of a Welsh pack that guidepack writes beyond its page
//! furniture are Welsh too: the licence and accessibility statements, the changes annex's
//! line for each change, the "Local variations" annex, the reviewer's copy's labels and its
//! annex of placeholders, footnotes, task lists and the kinds of role.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::Project;
use crate::labels::page_text;
use crate::releases::bump;

const EN: &str = include_str!("../src/labels/en.toml");
const CY: &str = include_str!("../src/labels/cy.toml");
/// The line that starts the block of these labels in both sets.
const BLOCK: &str = "# --- generated annexes, statements, reviewer's copy, local variations";

/// The labels of the block, English and Welsh, by key.
fn block_labels() -> Vec<(String, String, String)> {
    let (_, en_block) = EN.split_once(BLOCK).expect("the block in en.toml");
    let en_block = en_block.split_once('\n').unwrap().1;
    let en: BTreeMap<String, String> = toml::from_str(en_block).unwrap();
    let cy: BTreeMap<String, String> = toml::from_str(CY).unwrap();
    assert!(CY.contains(BLOCK), "the block in cy.toml");
    assert!(en.len() > 100, "{}", en.len());
    (en.into_iter())
        .map(|(key, text)| {
            let welsh = cy.get(&key).cloned().unwrap_or_default();
            (key, text, welsh)
        })
        .collect()
}

/// The fixed words of a label's text: its parts between placeholders and bold marks, with
/// the punctuation around them trimmed, that the Welsh text does not share ("AbilityNet")
/// and that are a word of four letters or more.
fn fragments(en: &str, cy: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = en.replace("**", "{}");
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        parts.push(rest[..open].to_string());
        rest = rest[close..].to_string();
    }
    parts.push(rest);
    let punctuation: &[char] = &[
        ' ', ':', '.', ',', '(', ')', '“', '”', '"', '‘', '’', '—', '-', '`',
    ];
    (parts.iter())
        .map(|p| p.trim_matches(punctuation).to_string())
        .filter(|p| p.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .filter(|p| !cy.contains(p.as_str()))
        .collect()
}

/// Whether `text` holds `fragment` as whole words.
fn holds(text: &str, fragment: &str) -> bool {
    text.match_indices(fragment).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + fragment.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The text of every HTML page under `dir`, by path.
fn pages(dir: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            pages(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&path).unwrap();
            out.insert(path.display().to_string(), page_text(&html));
        }
    }
}

/// The fixture released as 1.0.0, then changed (a paragraph reworded, one removed, a new
/// section and chapter, a footnote and two duties changed, a duty added) as 1.1.0, built
/// with its area and as the reviewer's copy.
fn changed_and_built() -> Project {
    let p = Project::fixture("welsh-annexes");
    p.run(&["release"]).expect(0);
    let chapter = p
        .read("content/01-cyflwyniad.md")
        .replace(
            "yn gweithio gyda phartneriaid",
            "yn gweithio'n agos gyda phartneriaid",
        )
        .replace("Bydd y paragraff hwn yn cael ei dynnu.\n\n", "")
        .replace(
            "[^1]: Deddf Plant 2004.",
            "[^1]: Deddf Plant 2004, adran 11.",
        )
        .replace(
            "## Dyletswyddau",
            "## Adran newydd\n\nTestun newydd yn yr adran.\n\n## Dyletswyddau",
        );
    let data = p
        .read("content/framework/data.toml")
        .replace(
            "Hyfforddi staff mewn diogelu.",
            "Hyfforddi pob aelod o staff mewn diogelu.",
        )
        .replace("basis = []", "basis = [\"deddf\"]")
        + "\n[[duty]]\nid = \"adrodd\"\nrole = \"bwrdd\"\ntext = \"Adrodd bob blwyddyn.\"\nbasis = []\naudiences = [\"comisiynwyr\", \"darparwyr\"]\n";
    let p = p
        .file("content/01-cyflwyniad.md", &chapter)
        .file("content/framework/data.toml", &data)
        .chapter(
            "03-newydd.md",
            "title: Pennod newydd",
            "\nTestun y bennod newydd.\n",
        );
    let p = bump(p, "1.1.0");
    p.run(&["build", "--format", "html", "--all-areas"])
        .expect(0);
    p.run(&["build", "--review"]).expect(0);
    p
}

#[test]
fn a_welsh_pack_has_no_english_in_its_annexes_statements_and_review_copy() {
    let p = changed_and_built();
    let mut texts = BTreeMap::new();
    pages(&p.path().join("output/1.1.0"), &mut texts);
    assert!(texts.len() > 20, "{:?}", texts.keys());
    let labels = block_labels();
    let mut english = Vec::new();
    for (key, en, cy) in &labels {
        for fragment in fragments(en, cy) {
            for (page, text) in &texts {
                if holds(text, &fragment) {
                    english.push(format!("{key}: “{fragment}” in {page}"));
                }
            }
        }
    }
    assert_eq!(english, Vec::<String>::new());

    // The Welsh words are there, in the pages that hold them (a tag reads as a space).
    let page = |path: &str| {
        let key = p.path().join("output/1.1.0").join(path);
        texts
            .get(&key.display().to_string())
            .cloned()
            .unwrap_or_else(|| panic!("{path}"))
    };
    let expect = |path: &str, welsh: &[&str]| {
        let text = page(path);
        for words in welsh {
            assert!(text.contains(words), "{words} not in {path}:\n{text}");
        }
    };
    expect(
        "comisiynwyr/accessibility.html",
        &[
            "Mae'r datganiad hygyrchedd hwn yn berthnasol i dudalennau gwe",
            "Pa mor hygyrch yw'r tudalennau hyn",
            "Mae rhai tablau yn llydan.",
            "Gwasanaeth Cynghori a Chymorth Cydraddoldeb (EASS)",
            "yn cydymffurfio'n rhannol â WCAG 2.2 AA",
            "Paratowyd y datganiad hwn ar 1 Hydref 2011.",
            "anfonwch e-bost at fformatau@example.org neu ffoniwch 0300 060 4400",
        ],
    );
    expect(
        "comisiynwyr/index.html",
        &[
            "© Hawlfraint y Goron 2011",
            "o dan delerau'r Drwydded Llywodraeth Agored v3.0",
            "Kew, Llundain TW9 4DU",
        ],
    );
    expect(
        "comisiynwyr/changes.html",
        &[
            "Pennod newydd: Pennod newydd",
            "Adran newydd: Adran newydd",
            "Newidiwyd paragraff 1.2 yn Cyflwyniad :",
            "Tynnwyd paragraff 1.3 o fersiwn 1.0.0 o Cyflwyniad :",
            "Newidiwyd troednodyn 1 yn Cyflwyniad :",
            "Dyletswydd newydd Bwrdd iechyd :",
            "Dyletswydd wedi'i newid Nyrs ddynodedig :",
            "Sail statudol: [tynnwyd: dim (arfer da) ]",
            "Wedi'i rhestru yn Dyletswyddau a Cyfeiriadur rolau .",
        ],
    );
    expect(
        "comisiynwyr/cyflwyniad.html",
        &[
            "Nodiadau",
            "Yn ôl i gyfeirnod 1",
            "Wedi'i wneud:",
            "I'w wneud:",
        ],
    );
    expect("comisiynwyr/role-directory.html", &["Sefydliad", "Swydd"]);
    expect(
        "areas/caerdydd/comisiynwyr/local-variations.html",
        &[
            "Amrywiadau lleol: Caerdydd",
            "Y canllawiau cenedlaethol gyda thestun lleol ar gyfer Caerdydd yw'r pecyn hwn.",
            "Adran leol",
            "Disodlwyd",
            "Ychwanegwyd cyn",
        ],
    );
    expect(
        "areas/caerdydd/comisiynwyr/cyflwyniad.html",
        &["Testun lleol: Caerdydd", "tîm diogelu Caerdydd"],
    );
    expect(
        "review/cyflwyniad.html",
        &[
            "Gwelir gan: Comisiynwyr yn unig",
            "Gwelir gan: Nid yn fformat PDF",
            "yn lle'r adran “Trefniadau lleol”",
            "mae pecynnau'r ardal yn darllen ei thestun ei hun, isod, yn lle'r adran hon",
        ],
    );
    // The one-page version's title, in a browser tab.
    let all = p.read("output/1.1.0/comisiynwyr/all.html");
    assert!(
        all.contains("Diogelu plant yn y GIG – y pecyn cyfan ar un dudalen (Comisiynwyr)</title>"),
        "{all}"
    );
    expect(
        "review/local-values.html",
        &[
            "Dalfannau a'u gwerthoedd",
            "Pecynnau cenedlaethol",
            "Dalfan",
        ],
    );
}

#[test]
fn the_fragments_found_are_the_english_ones() {
    // The check above can fail: it finds the English of a label in a page.
    let found = fragments(
        "**Added** {place} in {section}:",
        "**Ychwanegwyd** {place} yn {section}:",
    );
    assert_eq!(found, ["Added"]);
    assert!(holds("Seen by: Providers only", "Seen by"));
    assert!(!holds("Postcode", "Post"));
    let labels = block_labels();
    let all: Vec<String> = (labels.iter())
        .flat_map(|(_, en, cy)| fragments(en, cy))
        .collect();
    for english in [
        "Seen by",
        "Local variations",
        "Enforcement procedure",
        "Notes",
        "Organisation",
    ] {
        assert!(all.iter().any(|f| f == english), "{english}");
    }
}
