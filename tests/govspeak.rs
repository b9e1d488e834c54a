//! The Govspeak format (issue 14, point 1): every construct and every escaping rule of
//! PUBLISHING.md against expected files, the images and the uploads list, format conditions,
//! determinism, bad input, and, where GOV.UK's govspeak gem can be run, the sample rendered by
//! it with every text kept and nothing sanitised away.

use std::path::{Path, PathBuf};
use std::process::Command;

use guidepack::diagnostic::Diagnostics;
use guidepack::doc::{Block, Inline};
use guidepack::render::pack_for;

use crate::harness::Project;

const BODY: &str = "output/2.0.0/providers/test-pack-providers-2.0.0.govspeak.md";
const UPLOADS: &str = "output/2.0.0/providers/test-pack-providers-2.0.0.govspeak-uploads.txt";
const AREA_BODY: &str = "output/2.0.0/areas/northshire/providers/test-pack-northshire-providers-2.0.0-northshire.1.govspeak.md";

fn fixture() -> Project {
    Project::fixture("govspeak/project")
}

fn expected_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/govspeak/expected")
}

/// Compares a written file with its expected copy; `GUIDEPACK_BLESS=1` rewrites the copy.
fn assert_expected(p: &Project, path: &str, expected: &str) {
    let got = p.read(path);
    let file = expected_dir().join(expected);
    if std::env::var_os("GUIDEPACK_BLESS").is_some() {
        std::fs::write(&file, &got).unwrap();
    }
    let want = std::fs::read_to_string(&file).unwrap_or_default();
    if got != want {
        let first = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(got.lines().count().min(want.lines().count()));
        panic!(
            "{path} differs from {} at line {}:\n got: {:?}\nwant: {:?}\n(GUIDEPACK_BLESS=1 rewrites the expected file)",
            file.display(),
            first + 1,
            got.lines().nth(first),
            want.lines().nth(first)
        );
    }
}

fn build(p: &Project, formats: &[&str]) {
    let mut args = vec!["build", "--audience", "providers", "--all-areas"];
    for f in formats {
        args.extend(["--format", f]);
    }
    p.run(&args).expect(0);
}

/// Every construct (headings at every level, numbers, callouts, lists, tables with row
/// headers, footnotes, definitions, role entries, images, links, abbreviations, contacts) and
/// every escaping rule, as the expected files have them.
#[test]
fn every_construct_and_escaping_rule_matches_the_expected_files() {
    let p = fixture();
    build(&p, &["govspeak"]);
    assert_expected(&p, BODY, "providers.govspeak.md");
    assert_expected(&p, UPLOADS, "providers.govspeak-uploads.txt");
    assert_expected(&p, AREA_BODY, "northshire-providers.govspeak.md");
}

#[test]
fn headings_start_at_level_two_with_written_numbers_and_stable_ids() {
    let p = fixture();
    build(&p, &["govspeak"]);
    let body = p.read(BODY);
    assert!(body.starts_with("## 1. Headings and numbers {#headings}\n"));
    assert!(body.contains("\n### 1.1 Second level {#second}\n"));
    assert!(
        body.contains("\n#### 1.1.1 Third level with *emphasis* {#third-level-with-emphasis}\n")
    );
    // Below `######` there is no level: the sixth level shares it, told apart by its number.
    assert!(body.contains("\n###### 1.1.1.1.1 Fifth level {#fifth-level}\n"));
    assert!(body.contains("\n###### 1.1.1.1.1.1 Sixth level {#deepest}\n"));
    assert!(
        !body
            .lines()
            .any(|l| l.starts_with("# ") || l.starts_with("#######"))
    );
    assert!(body.contains("\n## A. Directory of roles {#role-directory}\n"));
    // Every id once.
    let ids: Vec<&str> = body
        .lines()
        .filter_map(|l| l.rsplit_once(" {#").map(|(_, id)| id))
        .collect();
    let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
    let uploads = p.read(UPLOADS);
    assert!(uploads.contains("Tick \"Use manually numbered headings\""));
}

#[test]
fn numbered_paragraphs_are_written_numbers() {
    let p = fixture();
    let config = p.read("guidepack.toml").replace(
        "language = \"en-GB\"",
        "language = \"en-GB\"\nnumbered_paragraphs = true",
    );
    let p = p.file("guidepack.toml", &config);
    build(&p, &["govspeak"]);
    let body = p.read(BODY);
    assert!(
        body.contains("\n1.1 Opening text for everyone.\n"),
        "{body}"
    );
    assert!(body.contains("\n### Second level {#second}\n"));
    assert!(body.contains("\n1.2 Text under the second level.\n"));
}

#[test]
fn callouts_use_the_form_that_keeps_their_text_and_meaning() {
    let p = fixture();
    build(&p, &["govspeak"]);
    let body = p.read(BODY);
    // One line of information: `^`, with its label.
    assert!(body.contains("\n^**Note:** A one-line note with a [link](#second).^\n"));
    assert!(body.contains("\n^**Tip:** A tip on one line.^\n"));
    // Abbreviations reach `^`.
    assert!(body.contains("\n^**Important:** An important point that mentions the CCG first.^\n"));
    // One line of warning: `%`.
    assert!(body.contains("\n%**Warning:** A one-line warning, 50% sure.%\n"));
    // Several paragraphs, a list, a line break, an acronym or a footnote in a warning: a box.
    for (label, first) in [
        ("Note", "A note of two paragraphs."),
        ("Note", "A note with a list:"),
        ("Warning", "A warning that uses an acronym first: the ICB."),
        ("Caution", "A caution with a footnote.[^1]"),
        ("Warning", "A warning with a line break,\\\\"),
    ] {
        let block = format!("\n$CTA\n**{label}**\n\n{first}\n");
        assert!(body.contains(&block), "{block}");
    }
    // In a list, where no Govspeak block can start: the label in bold.
    assert!(body.contains("\n    **Note**\n\n    The nested note.\n"));
}

#[test]
fn acronyms_footnotes_tables_and_contacts_take_govspeak_forms() {
    let p = fixture();
    build(&p, &["govspeak"]);
    let body = p.read(BODY);
    assert!(body.ends_with(
        "*[CCG]: clinical commissioning group\n*[CTA]: call to action\n*[ICB]: integrated care board\n*[NHS]: National Health Service\n"
    ));
    // Numeric labels in order over the whole file; a note used twice keeps its label.
    assert!(body.contains("note[^2] and another[^3], and the first again[^2]."));
    assert!(body.contains(
        "\n[^2]: The first note, with a second paragraph.\n\n    Its second paragraph.\n"
    ));
    // Row headers as `# ` in the first column only; a `#` elsewhere escaped; pipes escaped.
    assert!(body.contains("\n| # Assure the safety of commissioned services. |"));
    assert!(body.contains("\n| a \\| b | \\# not a header | 3 |\n"));
    assert!(body.contains("\n|:--|:-:|--:|\n"));
    let area = p.read(AREA_BODY);
    assert!(area.contains(
        "\n$C\n**Jo Example**\\\\\nRole: [Clinical commissioning group](#role:ccg)\\\\\nEmail: [jo\\_example@example.org](mailto:jo_example@example.org)\\\\\nTelephone: 01632 960101\n$C\n"
    ));
    // A `$` at a line's end would close the box: written as an entity.
    assert!(area.contains("\n$C\n**Costs team &#36;**\\\\\n"));
    // A telephone link is text (GOV.UK takes http, https, mailto and # links only).
    assert!(body.contains("[mail](mailto:someone@example.org), a phone and a [role](#role:ccg)"));
    assert!(!body.contains("tel:"));
    // No raw HTML anywhere.
    assert!(!body.lines().any(|l| l.starts_with('<')) && !body.contains("<b>"));
}

/// The licence statement ends the body (GOV.UK's abbreviations follow it, as they must come
/// last), with its links kept.
#[test]
fn the_licence_statement_ends_the_file() {
    let p = fixture();
    build(&p, &["govspeak"]);
    let body = p.read(BODY);
    let at = body.find("\n## Copyright and licence\n\n© Crown copyright 2013\n\nThis publication is licensed under the terms of the [Open Government Licence v3.0](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/) except where otherwise stated.")
        .expect("the licence statement");
    assert!(
        body[at..].contains("[psi@nationalarchives.gov.uk](mailto:psi@nationalarchives.gov.uk).")
    );
    let after: Vec<&str> = body[at..]
        .lines()
        .skip(8)
        .filter(|l| !l.is_empty())
        .collect();
    assert!(after.iter().all(|l| l.starts_with("*[")), "{after:?}");
    // Without a licence or copyright, no heading.
    let p = fixture();
    let config = p
        .read("guidepack.toml")
        .replace("licence = \"ogl-3\"\n", "")
        .replace("copyright = \"© Crown copyright 2013\"\n", "");
    let p = p.file("guidepack.toml", &config);
    build(&p, &["govspeak"]);
    assert!(!p.read(BODY).contains("Copyright and licence"));
}

#[test]
fn images_are_uploads_with_unique_names_and_captions() {
    let p = fixture();
    build(&p, &["govspeak"]);
    let body = p.read(BODY);
    assert!(body.contains(
        "\n\n[Image: dot.png]\n\nText with an inline image  in the middle.\n\n[Image: dot-2.png]\n"
    ));
    // An image in a list item follows the list, at a line's start.
    assert!(body.contains("\n*   An item with an image\n\n[Image: dot.png]\n"));
    let dot = std::fs::read(p.path().join("content/assets/dot.png")).unwrap();
    for name in ["dot.png", "dot-2.png"] {
        let path = p
            .path()
            .join("output/2.0.0/providers/govspeak-images")
            .join(name);
        assert_eq!(std::fs::read(&path).unwrap(), dot, "{name}");
    }
    let uploads = p.read(UPLOADS);
    assert!(uploads.contains("   - govspeak-images/dot.png\n     Caption: A blue square\n"));
    assert!(uploads.contains("   - govspeak-images/dot-2.png\n     Caption: A blue dot in text\n"));
}

/// The links to the PDF: a placeholder address, listed in the uploads file with the file, its
/// title and size; and the HTML sees the Govspeak file as a download.
#[test]
fn links_to_the_pdf_are_placeholders_the_uploads_list_names() {
    let p = fixture();
    p.run(&[
        "build",
        "--audience",
        "providers",
        "--format",
        "pdf",
        "--format",
        "govspeak",
    ])
    .expect(0);
    let body = p.read(BODY);
    let pdf = "test-pack-providers-2.0.0.pdf";
    let size = std::fs::metadata(p.path().join("output/2.0.0/providers").join(pdf))
        .unwrap()
        .len()
        .div_ceil(1024);
    let link = format!(
        "This guidance is also available to download:\n\n*   [Test pack: Providers (PDF, {size} KB)](REPLACE-WITH-ADDRESS-OF-{pdf})\n"
    );
    assert!(body.starts_with(&link), "{body}");
    let uploads = p.read(UPLOADS);
    assert!(uploads.contains(&format!(
        "   - {pdf}  (PDF, {size} KB)\n     Title: Test pack: Providers\n"
    )));
    assert!(uploads.contains(&format!(
        "   - REPLACE-WITH-ADDRESS-OF-{pdf}\n     with the address of {pdf}\n"
    )));
}

#[test]
fn format_conditions_name_govspeak() {
    let p = fixture().chapter(
        "06-conditions.md",
        "title: Conditions\nid: conditions",
        "::: format govspeak\nOnly on GOV.UK.\n:::\n\n::: format html\nOnly in the HTML.\n:::\n\nFor everyone.\n",
    );
    p.run(&[
        "build",
        "--audience",
        "providers",
        "--format",
        "govspeak",
        "--format",
        "html",
    ])
    .expect(0);
    let body = p.read(BODY);
    assert!(body.contains("\nOnly on GOV.UK.\n") && body.contains("\nFor everyone.\n"));
    assert!(!body.contains("Only in the HTML."));
    let html = p.read("output/2.0.0/providers/conditions.html");
    assert!(html.contains("Only in the HTML.") && !html.contains("Only on GOV.UK."));
    // A misspelt format is refused with the registered names, govspeak among them.
    let bad = fixture().chapter(
        "06-conditions.md",
        "title: Conditions\nid: conditions",
        "::: format govspek\nx\n:::\n",
    );
    bad.run(&["build", "--format", "govspeak"])
        .expect(1)
        .stderr_has("govspeak");
}

/// A build of another format keeps the Govspeak files of the last build: they are its own.
#[test]
fn a_build_of_other_formats_keeps_the_govspeak_files() {
    let p = fixture();
    build(&p, &["govspeak"]);
    let before = p.output_files();
    build(&p, &["html"]);
    let after = p.output_files();
    let ours: Vec<&String> = before.keys().filter(|k| k.contains("govspeak")).collect();
    assert!(ours.len() >= 6, "{ours:?}");
    for name in ours {
        assert_eq!(after.get(name), before.get(name), "{name}");
    }
}

#[test]
fn rebuilds_are_byte_identical() {
    let p = fixture();
    build(&p, &["govspeak"]);
    let first = p.output_files();
    build(&p, &["govspeak"]);
    let second = p.output_files();
    let govspeak: Vec<&String> = first.keys().filter(|k| k.contains("govspeak")).collect();
    assert!(govspeak.len() >= 6, "{govspeak:?}");
    for name in govspeak {
        assert!(first[name] == second[name], "{name} changed between builds");
    }
}

/// An image without alt text fails in Govspeak exactly as in the other formats, and the
/// output of the last build is left as it was.
#[test]
fn an_image_without_alt_text_fails_in_govspeak_as_in_every_format() {
    let p = fixture();
    build(&p, &["govspeak"]);
    let before = p.output_files();
    let p = p.chapter("06-bad.md", "title: Bad\nid: bad", "![](assets/dot.png)\n");
    let mut messages = Vec::new();
    for format in ["govspeak", "html", "pdf"] {
        let run = p
            .run(&["build", "--audience", "providers", "--format", format])
            .expect(1);
        assert!(
            run.stderr
                .contains("the image `assets/dot.png` has no alt text"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("content/06-bad.md:5:1"),
            "{}",
            run.stderr
        );
        messages.push(run.normalised_stderr());
    }
    assert!(messages.iter().all(|m| m == &messages[0]), "{messages:#?}");
    assert_eq!(p.output_files(), before);
}

/// The texts a reader sees in a pack's blocks, one run of adjacent text at a time. A contacts
/// table at the top level is a set of contact boxes, which name a contact without the "Name"
/// heading and leave out an empty ("—") cell.
fn texts(blocks: &[Block], out: &mut Vec<String>) {
    let blocks: Vec<Block> = blocks
        .iter()
        .cloned()
        .map(|block| match block {
            Block::Table(mut t) if t.contacts => {
                // The other headings are written as labels ("Email: …").
                t.head.truncate(0);
                for cell in t.rows.iter_mut().flatten() {
                    if guidepack::doc::plain_text(cell) == "—" {
                        cell.clear();
                    }
                }
                Block::Table(t)
            }
            other => other,
        })
        .collect();
    guidepack::doc::visit_inlines(&blocks, &mut |inlines| runs(inlines, out));
}

fn runs(inlines: &[Inline], out: &mut Vec<String>) {
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut Vec<String>| {
        let folded = run.split_whitespace().collect::<Vec<_>>().join(" ");
        if !folded.is_empty() {
            out.push(folded);
        }
        run.clear();
    };
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Raw(t) => run.push_str(t),
            Inline::Code(c) | Inline::Abbr { text: c, .. } => {
                flush(&mut run, out);
                out.push(c.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Inserted(c) => {
                flush(&mut run, out);
                runs(c, out);
            }
            Inline::Link(link) => {
                flush(&mut run, out);
                runs(&link.children, out);
            }
            _ => flush(&mut run, out),
        }
    }
    flush(&mut run, out);
}

/// A stand-in for `govuk_publishing_components`, which the gem requires and uses only to
/// render attachments and buttons (neither of which guidepack writes).
const COMPONENTS_STUB: &str =
    "module GovukPublishingComponents\n  def self.render(*_args, **_kw) = \"\"\nend\n";

/// Renders a Govspeak file as GOV.UK does, printing whether the sanitiser would change it
/// (Whitehall refuses such a body) and then the visible text.
const RENDER: &str = r#"
require "govspeak"
text = File.read(ARGV[0], encoding: "UTF-8")
images = ARGV[1..].map { |n| { id: n, url: "/i/#{n}", alt_text: "", caption: "caption" } }
html = Govspeak::Document.new(text, images: images).to_html
puts Govspeak::HtmlValidator.new(text).valid? ? "valid" : "INVALID"
puts Nokogiri::HTML5.fragment(html).text.split.join(" ")
"#;

/// Runs the govspeak gem's code on each pack's Govspeak file (the sample's, and the fixture's
/// of every escaping rule): every text of the pack is in the HTML it makes, and nothing is
/// sanitised away. Needs `GOVSPEAK_LIB` pointing at the gem's `lib/` and Debian's ruby-kramdown,
/// ruby-nokogiri, ruby-sanitize, ruby-actionview, ruby-addressable, ruby-htmlentities,
/// ruby-i18n and ruby-rinku.
#[test]
fn the_govspeak_gem_keeps_every_text_and_sanitises_nothing() {
    let Some(lib) = std::env::var_os("GOVSPEAK_LIB") else {
        eprintln!(
            "skipped: set GOVSPEAK_LIB to the govspeak gem's lib/ to render the Govspeak with GOV.UK's code. \
             CI cannot have it: the gem's code is in no registry CI reaches and may not be committed here"
        );
        return;
    };
    let stub = tempfile::tempdir().unwrap();
    std::fs::write(
        stub.path().join("govuk_publishing_components.rb"),
        COMPONENTS_STUB,
    )
    .unwrap();
    std::fs::write(stub.path().join("render.rb"), RENDER).unwrap();
    for (p, version) in [(Project::sample(), "1.0.0"), (fixture(), "2.0.0")] {
        p.run(&["build", "--format", "govspeak", "--all-areas"])
            .expect(0);
        let mut diagnostics = Diagnostics::default();
        let loaded = guidepack::build::load(p.path(), &mut diagnostics)
            .unwrap_or_else(|_| panic!("the project loads"));
        let resolver = loaded.resolver();
        let project = &loaded.project;
        let areas: Vec<Option<&guidepack::model::Area>> = std::iter::once(None)
            .chain(project.areas.iter().map(Some))
            .collect();
        for audience in &project.config.audiences {
            for area in &areas {
                let pack = resolver.pack(audience, *area, &mut diagnostics);
                let pack = pack_for(&pack, "govspeak");
                let folder = p.path().join("output").join(version).join(pack.dir());
                let file = std::fs::read_dir(&folder)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .find(|f| f.to_string_lossy().ends_with(".govspeak.md"))
                    .unwrap();
                let images: Vec<String> = std::fs::read_dir(folder.join("govspeak-images"))
                    .map(|d| {
                        d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                let out = Command::new("ruby")
                    .arg("-I")
                    .arg(stub.path())
                    .arg("-I")
                    .arg(&lib)
                    .arg(stub.path().join("render.rb"))
                    .arg(&file)
                    .args(&images)
                    .output()
                    .expect("ruby runs");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let stdout = String::from_utf8_lossy(&out.stdout);
                let (verdict, shown) = stdout.split_once('\n').unwrap();
                assert_eq!(verdict, "valid", "the sanitiser changes {}", file.display());
                let mut wanted = Vec::new();
                for chapter in &pack.chapters {
                    wanted.push(chapter.title.clone());
                    texts(&chapter.blocks, &mut wanted);
                    for (_, note) in &chapter.footnotes {
                        texts(note, &mut wanted);
                    }
                }
                for text in wanted {
                    assert!(
                        shown.contains(&text),
                        "{text:?} of {} is not in the HTML the gem makes of {}",
                        pack.label(),
                        file.display()
                    );
                }
            }
        }
    }
}
