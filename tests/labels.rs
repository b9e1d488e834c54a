//! Issue 16, point 3: the reader's language. A Welsh pack is Welsh in every word guidepack
//! writes itself; `[labels]` overrides a label; a wrong label key or placeholder is an error
//! at its line; a language with no shipped label set warns once.

use std::collections::BTreeSet;

use crate::harness::{Project, stderr_snapshot};
use crate::releases::bump;

/// The words of a text, lower case (letters and apostrophes; numbers and placeholders left
/// out).
pub(crate) fn words(text: &str) -> BTreeSet<String> {
    let mut text = text.to_string();
    while let (Some(open), Some(close)) = (text.find('{'), text.find('}')) {
        if close < open {
            break;
        }
        text.replace_range(open..=close, " ");
    }
    text.split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(['\'', '’']).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

fn label_words(file: &str) -> BTreeSet<String> {
    let set: std::collections::BTreeMap<String, String> = toml::from_str(file).unwrap();
    set.values().flat_map(|v| words(v)).collect()
}

/// The English words guidepack writes (the `en` set) that are not also Welsh words of the
/// `cy` set or of the fixture's own text: none of them may appear in the Welsh pack.
fn english_only(project: &Project) -> BTreeSet<String> {
    let en = label_words(include_str!("../src/labels/en.toml"));
    let cy = label_words(include_str!("../src/labels/cy.toml"));
    let mut own = BTreeSet::new();
    for path in ["content/01-cyflwyniad.md", "content/02-rolau.md"] {
        own.extend(words(&project.read(path)));
    }
    // Of a TOML file, the texts only (its keys, such as `version`, are no words of the pack).
    for path in [
        "guidepack.toml",
        "content/glossary.toml",
        "content/framework/data.toml",
    ] {
        let value: toml::Value = toml::from_str(&project.read(path)).unwrap();
        own.extend(words(&texts(&value)));
    }
    let english: BTreeSet<String> = en.difference(&cy).cloned().collect();
    let english: BTreeSet<String> = english.difference(&own).cloned().collect();
    // The check can fail: the words it looks for are the ones guidepack used to write.
    for word in [
        "skip",
        "contents",
        "page",
        "version",
        "published",
        "october",
        "duty",
    ] {
        assert!(english.contains(word), "{word}");
    }
    english
}

/// Every string of a TOML value, and the keys of its inline maps (the glossary's terms).
fn texts(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(items) => items.iter().map(texts).collect::<Vec<_>>().join(" "),
        toml::Value::Table(table) => (table.iter())
            .map(|(k, v)| match v {
                toml::Value::String(s) if k.chars().any(char::is_uppercase) => format!("{k} {s}"),
                _ => texts(v),
            })
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

/// The visible text of a whole HTML page (its `<body>`), tags removed.
pub(crate) fn page_text(html: &str) -> String {
    let body = html.split("<body").nth(1).unwrap_or(html);
    let body = body.split_once('>').map_or(body, |(_, rest)| rest);
    let mut text = String::new();
    let mut inside = false;
    for c in body.chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                text.push(' ');
            }
            _ if !inside => text.push(c),
            _ => {}
        }
    }
    let text = (text.replace("&#39;", "'"))
        .replace("&amp;", "&")
        .replace("&quot;", "\"");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn english_in(text: &str, english: &BTreeSet<String>) -> Vec<String> {
    words(text).intersection(english).cloned().collect()
}

/// The Welsh fixture released as 1.0.0, then 1.1.0 with a change note (its changes annex).
fn welsh() -> Project {
    let p = Project::fixture("welsh");
    p.run(&["release"]).expect(0);
    bump(p, "1.1.0")
}

#[test]
fn a_welsh_pack_has_no_english_word_written_by_guidepack() {
    let p = welsh();
    p.run(&["build", "--format", "html", "--format", "pdf"])
        .expect(0);
    let english = english_only(&p);
    let dir = "output/1.1.0/comisiynwyr";
    for page in [
        "index.html",
        "accessibility.html",
        "cyflwyniad.html",
        "rolau.html",
        "role-directory.html",
        "changes.html",
        "all.html",
    ] {
        let text = page_text(&p.read(&format!("{dir}/{page}")));
        assert_eq!(
            english_in(&text, &english),
            Vec::<String>::new(),
            "{page}:\n{text}"
        );
    }
    let index = page_text(&p.read(&format!("{dir}/index.html")));
    for welsh in [
        "Neidio i'r prif gynnwys",
        "Cynnwys",
        "31 Hydref 2011",
        "Fersiwn 1.1.0",
    ] {
        assert!(index.contains(welsh), "{welsh}:\n{index}");
    }
    let chapter = page_text(&p.read(&format!("{dir}/cyflwyniad.html")));
    for welsh in [
        "Dyletswydd",
        "Yn atebol i",
        "Sail statudol",
        "Arfer da (dim sail statudol)",
        "Bwrdd iechyd",
        "Byrfodd neu derm",
    ] {
        assert!(chapter.contains(welsh), "{welsh}:\n{chapter}");
    }
    let changes = page_text(&p.read(&format!("{dir}/changes.html")));
    assert!(changes.contains("Newidiadau yn y fersiwn hon"), "{changes}");
    assert!(changes.contains("Rydym wedi diweddaru'r bennod gyntaf."));
    let pdf = format!("{dir}/diogelu-plant-yn-y-gig-comisiynwyr-1.1.0.pdf");
    let Some(pdf) = crate::harness::pdf_text(&p.path().join(pdf)) else {
        return;
    };
    assert_eq!(english_in(&pdf, &english), Vec::<String>::new(), "{pdf}");
    for welsh in [
        "Tudalen 2 o",
        "Cynnwys",
        "31 Hydref 2011",
        "Gofyn am fformat arall",
    ] {
        assert!(pdf.contains(welsh), "{welsh}:\n{pdf}");
    }
}

#[test]
fn a_labels_table_overrides_a_label() {
    let p = Project::fixture("welsh");
    let config = p.read("guidepack.toml") + "\n[labels]\ncontents = \"Tabl cynnwys\"\n";
    let p = p.file("guidepack.toml", &config);
    p.build_html();
    let html = p.read("output/1.0.0/comisiynwyr/index.html");
    assert!(html.contains("id=\"contents\">Tabl cynnwys</h2>"), "{html}");
    assert!(!html.contains(">Cynnwys<"), "{html}");
    let index = page_text(&html);
    // Other labels stay Welsh.
    assert!(index.contains("Neidio i'r prif gynnwys"), "{index}");
}

#[test]
fn an_unknown_label_key_is_an_error_with_did_you_mean() {
    let p = Project::minimal();
    let config = p.read("guidepack.toml") + "\n[labels]\ncontnets = \"Table of contents\"\n";
    let p = p.file("guidepack.toml", &config);
    stderr_snapshot!(p.run(&["check"]).expect(1));
    assert!(!p.exists("output"));
}

#[test]
fn a_label_with_other_placeholders_is_an_error() {
    let p = Project::minimal();
    let config = p.read("guidepack.toml") + "\n[labels]\npage_x_of_y = \"Page {page}\"\n";
    let p = p.file("guidepack.toml", &config);
    stderr_snapshot!(p.run(&["check"]).expect(1));
    p.run(&["build", "--format", "html"]).expect(1);
    assert!(!p.exists("output/2.0.0"));
}

#[test]
fn a_language_with_no_label_set_warns_once() {
    let p = Project::minimal();
    let config = p
        .read("guidepack.toml")
        .replace("language = \"en-GB\"", "language = \"fr\"");
    let p = p.file("guidepack.toml", &config);
    let message = "guidepack has no labels in `fr`";
    for (case, args) in [
        ("check", &["check"][..]),
        ("build", &["build", "--format", "html"][..]),
    ] {
        let run = p.run(args).expect(0);
        assert_eq!(run.stderr.matches(message).count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains("stay English"), "{}", run.stderr);
        stderr_snapshot!(run, case);
    }
    // With every label given, nothing stays English: no warning.
    let en: std::collections::BTreeMap<String, String> =
        toml::from_str(include_str!("../src/labels/en.toml")).unwrap();
    let mut own = config + "\n[labels]\n";
    for (key, text) in &en {
        own.push_str(&format!("{key} = {}\n", toml::Value::String(text.clone())));
    }
    let p = p.file("guidepack.toml", &own);
    let run = p.run(&["check"]).expect(0);
    assert!(!run.stderr.contains(message), "{}", run.stderr);
}
