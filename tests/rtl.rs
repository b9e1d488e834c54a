//! One block in another direction (issue 16, point 4): a `{dir=rtl}` or `{dir=ltr}` line above a
//! paragraph, list, quote, callout or table, and `dir=` in a heading's braces, give that block
//! `dir` in the HTML, a scoped text direction in the PDF and paragraph styles of that direction
//! in the ODT; an Arabic pack's ODT pages run right to left; anything else in such a line is an
//! error at its place.

use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;

use crate::harness::{Project, required_tool, stderr_snapshot};

const ARABIC: &str = "حماية الطفل مسؤولية الجميع";
const NOTO_ARABIC: &str = "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf";

/// An English chapter with an Arabic paragraph, heading, callout, list and table, each given its
/// direction, and an English paragraph given `ltr`.
fn mixed_chapter() -> String {
    format!(
        "English before.\n\n{{dir=rtl}}\n{ARABIC}.\n\n## عنوان {{#arabic-heading dir=rtl}}\n\n{{dir=rtl}}\n> [!NOTE]\n> {ARABIC} في الملاحظة.\n\n{{dir=rtl}}\n- الممرضات\n- الأطباء\n\n{{dir=rtl}}\n| الدور | المسؤولية |\n|---|---|\n| الممرضة | الإبلاغ |\n\n{{dir=ltr}}\nEnglish after.\n\n{{{{ pack.title }}}}\n\n\\{{braces}} as text.\n"
    )
}

fn mixed() -> Project {
    Project::minimal().chapter("02-mixed.md", "title: Mixed", &mixed_chapter())
}

/// The bytes of a part of an ODT package.
fn odt_part(odt: &Path, name: &str) -> String {
    let bytes = std::fs::read(odt).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("the ODT is a zip");
    let mut file = zip.by_name(name).unwrap();
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

#[test]
fn a_dir_line_and_a_heading_attribute_give_the_block_dir_in_html() {
    let p = mixed();
    p.run(&["build", "--audience", "providers", "--format", "html"])
        .expect(0);
    let page = p.read("output/2.0.0/providers/mixed.html");
    for wanted in [
        format!("<p dir=\"rtl\">{ARABIC}.</p>"),
        "<h2 id=\"arabic-heading\" dir=\"rtl\">".to_string(),
        "<div dir=\"rtl\" class=\"gp-callout gp-callout--note\" role=\"note\">".to_string(),
        "<ul dir=\"rtl\">\n<li>الممرضات</li>".to_string(),
        "<div dir=\"rtl\" class=\"gp-table-wrap\" role=\"region\"".to_string(),
        "<p dir=\"ltr\">English after.</p>".to_string(),
        "<p>English before.</p>".to_string(),
        "<p>Test pack</p>".to_string(),
        "<p>{braces} as text.</p>".to_string(),
    ] {
        assert!(page.contains(&wanted), "no {wanted} in\n{page}");
    }
    assert_eq!(page.matches(" dir=\"").count(), 6, "{page}");
    assert!(!page.contains("{dir="), "the line itself is not shown");
    let all = p.read("output/2.0.0/providers/all.html");
    assert!(all.contains(&format!("<p dir=\"rtl\">{ARABIC}.</p>")));
    // The page stays English: only the blocks change direction.
    assert!(page.contains("<html lang=\"en-GB\">"));
}

#[test]
fn govspeak_writes_a_directed_block_as_it_is() {
    let p = mixed();
    p.run(&["build", "--audience", "providers", "--format", "govspeak"])
        .expect(0);
    let text = p.read("output/2.0.0/providers/test-pack-providers-2.0.0.govspeak.md");
    assert!(text.contains(&format!("{ARABIC}.")), "{text}");
    assert!(!text.contains("dir="), "{text}");
}

#[test]
fn the_odt_gives_directed_blocks_styles_of_their_direction() {
    let p = mixed();
    p.run(&["build", "--audience", "providers", "--format", "odt"])
        .expect(0);
    let odt = p
        .path()
        .join("output/2.0.0/providers/test-pack-providers-2.0.0.odt");
    let content = odt_part(&odt, "content.xml");
    for wanted in [
        format!("<text:p text:style-name=\"RTL_Text_20_body\">{ARABIC}.</text:p>"),
        "<text:h text:style-name=\"RTL_Heading_20_2\"".to_string(),
        "<text:p text:style-name=\"RTL_Callout\">".to_string(),
        "table:style-name=\"RTL_Tbl\"".to_string(),
        "<text:p text:style-name=\"LTR_Text_20_body\">English after.</text:p>".to_string(),
        "<text:p text:style-name=\"Text_20_body\">English before.</text:p>".to_string(),
        "<style:style style:name=\"RTL_Text_20_body\" style:family=\"paragraph\" style:parent-style-name=\"Text_20_body\"><style:paragraph-properties style:writing-mode=\"rl-tb\" fo:text-align=\"end\"/>".to_string(),
        "<style:style style:name=\"LTR_Text_20_body\" style:family=\"paragraph\" style:parent-style-name=\"Text_20_body\"><style:paragraph-properties style:writing-mode=\"lr-tb\" fo:text-align=\"start\"/>".to_string(),
    ] {
        assert!(content.contains(&wanted), "no {wanted} in\n{content}");
    }
    assert!(
        content.contains("style:name=\"RTL_Tbl\"")
            && content.contains("style:writing-mode=\"rl-tb\"/></style:style>"),
        "{content}"
    );
    // An English pack's pages run left to right, as before.
    let styles = odt_part(&odt, "styles.xml");
    assert!(!styles.contains("rl-tb"), "{styles}");
}

#[test]
fn an_arabic_packs_odt_pages_run_right_to_left() {
    let p = Project::minimal();
    let config = p
        .read("guidepack.toml")
        .replace("language = \"en-GB\"", "language = \"ar\"");
    let p = p.file("guidepack.toml", &config).chapter(
        "02-arabic.md",
        "title: عربي",
        &format!("{ARABIC}\n\n{{dir=ltr}}\nEnglish inside.\n"),
    );
    p.run(&["build", "--audience", "providers", "--format", "odt"])
        .expect(0);
    let odt = p
        .path()
        .join("output/2.0.0/providers/test-pack-providers-2.0.0.odt");
    let styles = odt_part(&odt, "styles.xml");
    assert_eq!(
        styles.matches("style:writing-mode=\"rl-tb\"").count(),
        2,
        "both page layouts: {styles}"
    );
    let content = odt_part(&odt, "content.xml");
    assert!(
        content.contains("<text:p text:style-name=\"LTR_Text_20_body\">English inside.</text:p>"),
        "{content}"
    );
}

/// The text of a PDF as `pdftotext -layout` lays it out; `None` without the tool.
fn pdf_layout_text(pdf: &Path) -> Option<String> {
    let run = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output();
    if !required_tool(run.is_ok(), "pdftotext", "poppler-utils") {
        return None;
    }
    Some(String::from_utf8(run.unwrap().stdout).unwrap())
}

#[test]
fn the_pdf_sets_a_directed_block_right_to_left() {
    let font = Path::new(NOTO_ARABIC);
    if !required_tool(
        font.is_file(),
        "NotoSansArabic-Regular.ttf",
        "fonts-noto-core",
    ) {
        return;
    }
    let p = mixed();
    p.write_bytes(
        "fonts/NotoSansArabic-Regular.ttf",
        &std::fs::read(font).unwrap(),
    );
    let config =
        p.read("guidepack.toml") + "\n[pdf]\nfonts = [\"fonts/NotoSansArabic-Regular.ttf\"]\n";
    let p = p.file("guidepack.toml", &config);
    p.run(&["build", "--audience", "providers", "--format", "pdf"])
        .expect(0);
    let pdf = p
        .path()
        .join("output/2.0.0/providers/test-pack-providers-2.0.0.pdf");
    let Some(text) = pdf_layout_text(&pdf) else {
        return;
    };
    let line = |needle: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle} in\n{text}"))
            .to_string()
    };
    // pdftotext reads the run right to left (it marks it RIGHT-TO-LEFT EMBEDDING), in logical
    // order, and the paragraph stands at the right margin.
    let arabic = line(ARABIC);
    assert!(arabic.contains('\u{202b}'), "{arabic:?}");
    assert!(arabic.len() - arabic.trim_start().len() > 10, "{arabic:?}");
    // In the contents (left to right) the Arabic heading's page number stays at the end.
    let contents = text
        .lines()
        .find(|l| l.contains("عنوان") && l.contains(". . ."))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        contents.trim_end().ends_with(|c: char| c.is_ascii_digit()),
        "{contents:?}"
    );
    for english in ["English before.", "English after."] {
        let l = line(english);
        assert!(!l.starts_with("   "), "left to right at the left: {l:?}");
    }
}

#[test]
fn bad_block_attribute_lines_are_errors_at_their_place() {
    let body = "{dir=rtl lang=ar}\nText one.\n\n{dri=rtl}\nText two.\n\n{dir=up}\nText three.\n\n{}\nText four.\n\n{dir=rtl}\n\nText five.\n\n{dir=rtl}\n## Heading\n\n{dir=rtl}\n```\ncode\n```\n\n## Title {#t dir=sideways}\n\n## Other {#o dri=rtl}\n\n{dir=rtl}\n";
    let p = Project::minimal().chapter("02-bad.md", "title: Bad", body);
    stderr_snapshot!(p.run(&["check"]).expect(1));
}
