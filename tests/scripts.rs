//! Other scripts: the project's own fonts for the PDF (`[pdf] fonts`), and text written right
//! to left (a pack `language` of ar, ur, fa or he).

use std::path::Path;
use std::process::Command;

use crate::harness::{Project, required_tool, stderr_snapshot};

const NOTO: &str = "/usr/share/fonts/truetype/noto";

/// The minimal project with a copy of the Debian Noto font `file` in `fonts/`, named under
/// `[pdf] fonts`; `None` (a skip, with a message) when the font is not installed.
fn with_font(file: &str) -> Option<Project> {
    let font = Path::new(NOTO).join(file);
    if !required_tool(font.is_file(), file, "fonts-noto-core") {
        return None;
    }
    let p = Project::minimal();
    p.write_bytes(&format!("fonts/{file}"), &std::fs::read(&font).unwrap());
    let config = p.read("guidepack.toml") + &format!("\n[pdf]\nfonts = [\"fonts/{file}\"]\n");
    Some(p.file("guidepack.toml", &config))
}

/// The text of a pack's PDF (`pdftotext`, with `-layout` when asked); `None` without it.
fn pdf_text(pdf: &Path, layout: bool) -> Option<String> {
    let mut command = Command::new("pdftotext");
    if layout {
        command.arg("-layout");
    }
    let run = command.arg(pdf).arg("-").output();
    if !required_tool(run.is_ok(), "pdftotext", "poppler-utils") {
        return None;
    }
    Some(String::from_utf8(run.unwrap().stdout).unwrap())
}

const BENGALI: &str = "বাংলা ভাষা শিশু সুরক্ষা";

#[test]
fn a_project_font_shows_a_script_the_embedded_fonts_lack() {
    let Some(p) = with_font("NotoSansBengali-Regular.ttf") else {
        return;
    };
    let p = p.chapter("02-bangla.md", "title: Bangla", &format!("{BENGALI}\n"));
    p.run(&["build", "--audience", "providers", "--format", "pdf"])
        .expect(0);
    let pdf = p
        .path()
        .join("output/2.0.0/providers/test-pack-providers-2.0.0.pdf");
    let Some(text) = pdf_text(&pdf, false) else {
        return;
    };
    assert!(text.contains(BENGALI), "{text}");
    // The font is an input: a release records it.
    p.run(&["release"]).expect(0);
    let record = p.read("releases/2.0.0/release.json");
    assert!(
        record.contains("fonts/NotoSansBengali-Regular.ttf"),
        "{record}"
    );
}

#[test]
fn without_the_font_the_error_names_the_option() {
    let p = Project::minimal().chapter("02-bangla.md", "title: Bangla", &format!("{BENGALI}\n"));
    let run = p
        .run(&["build", "--audience", "providers", "--format", "pdf"])
        .expect(1);
    assert!(
        run.stderr.contains("no embedded font has it")
            && run.stderr.contains("[pdf]")
            && run.stderr.contains("fonts = ["),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_font_entry_is_an_error_at_its_place() {
    let p = Project::minimal()
        .file("fonts/notes.ttf", "this is not a font\n")
        .file("content/assets/picture.ttf", "");
    let config = p.read("guidepack.toml")
        + "\n[pdf]\nfonts = [\"fonts/notes.ttf\", \"fonts/missing.ttf\", \"../outside.ttf\", \"content/assets/picture.ttf\"]\n";
    p.run(&["build", "--format", "html"]).expect(0);
    let p = p.file("guidepack.toml", &config);
    let before = p.output_files();
    stderr_snapshot!(p.run(&["build"]).expect(1));
    assert!(
        p.output_files() == before,
        "the previous output is untouched"
    );
}

const ARABIC: &str = "حماية الطفل مسؤولية الجميع";

#[test]
fn an_arabic_pack_is_right_to_left_in_html_and_pdf() {
    let Some(p) = with_font("NotoSansArabic-Regular.ttf") else {
        return;
    };
    let config = p
        .read("guidepack.toml")
        .replace("language = \"en-GB\"", "language = \"ar\"");
    let p = p.file("guidepack.toml", &config).chapter(
        "02-arabic.md",
        "title: Arabic",
        &format!("{ARABIC}\n"),
    );
    p.run(&["build", "--audience", "providers"]).expect(0);
    for page in ["arabic.html", "index.html", "all.html"] {
        let html = p.read(&format!("output/2.0.0/providers/{page}"));
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{page}");
    }
    assert!(
        p.read("output/index.html")
            .contains("<html lang=\"ar\" dir=\"rtl\">")
    );
    let pdf = p
        .path()
        .join("output/2.0.0/providers/test-pack-providers-2.0.0.pdf");
    let Some(text) = pdf_text(&pdf, true) else {
        return;
    };
    let line = text
        .lines()
        .find(|l| l.contains(ARABIC))
        .unwrap_or_else(|| panic!("{text}"));
    // pdftotext marks a run it reads right to left with RIGHT-TO-LEFT EMBEDDING, and the
    // paragraph stands at the right margin (the left of its line is blank in the layout).
    assert!(line.contains('\u{202b}'), "{line:?}");
    let indent = line.len() - line.trim_start().len();
    assert!(indent > 10, "not aligned right: {line:?}");
}

#[test]
fn an_english_pack_is_left_to_right() {
    let p = Project::minimal();
    p.run(&["build", "--audience", "providers", "--format", "html"])
        .expect(0);
    let html = p.read("output/2.0.0/providers/index.html");
    assert!(html.contains("<html lang=\"en-GB\">"), "no dir attribute");
}

#[test]
fn a_chapter_in_arabic_is_right_to_left_in_an_english_pack() {
    let Some(p) = with_font("NotoSansArabic-Regular.ttf") else {
        return;
    };
    let p = p.chapter(
        "02-arabic.md",
        "title: Arabic\nlanguage: ar",
        &format!("{ARABIC}\n"),
    );
    p.run(&["build", "--audience", "providers"]).expect(0);
    let page = p.read("output/2.0.0/providers/arabic.html");
    assert!(
        page.contains("<html lang=\"en-GB\">"),
        "the pack stays English"
    );
    assert!(
        page.contains("<div class=\"gp-chapter\" lang=\"ar\" dir=\"rtl\">"),
        "{page}"
    );
    let all = p.read("output/2.0.0/providers/all.html");
    assert!(all.contains("lang=\"ar\" dir=\"rtl\">"), "{all}");
    assert!(
        !p.read("output/2.0.0/providers/intro.html")
            .contains("dir=\"rtl\""),
        "other chapters stay left to right"
    );
    let pdf = p
        .path()
        .join("output/2.0.0/providers/test-pack-providers-2.0.0.pdf");
    let Some(text) = pdf_text(&pdf, true) else {
        return;
    };
    let line = text
        .lines()
        .find(|l| l.contains(ARABIC))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains('\u{202b}'), "{line:?}");
    assert!(
        line.len() - line.trim_start().len() > 10,
        "not aligned right: {line:?}"
    );
}

#[test]
fn a_chapter_language_that_is_not_a_tag_is_an_error() {
    let p = Project::minimal().chapter("02-x.md", "title: X\nlanguage: arabic script", "Text.\n");
    let run = p.run(&["check"]).expect(1);
    assert!(
        run.stderr.contains("`arabic script` is not a language tag")
            && run.stderr.contains("content/02-x.md:3"),
        "{}",
        run.stderr
    );
}
