//! Brand (`[brand]` in guidepack.toml and area.toml): inheritance and override, the contrast
//! check of the colour, the logo's alt text and file; the template data every template sees.

use crate::harness::{Project, stderr_snapshot};

/// A small PNG (a 2×1 picture), as a logo.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x7b, 0x40, 0xe8,
    0xdd, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xc8, 0x92, 0x9e, 0x05,
    0x44, 0x00, 0x07, 0x80, 0x02, 0x3f, 0x89, 0xa1, 0x57, 0xc2, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

const NATIONAL_BRAND: &str = "\n[brand]\nlogo = \"content/assets/national.png\"\nlogo_alt = \"National Body logo\"\norganisation = \"National Body\"\ncolour = \"#005ea5\"\n";

/// The minimal project with a national brand, an area that overrides some keys (`north`)
/// and one that has none of its own (`south`).
fn branded() -> Project {
    let config = Project::minimal().read("guidepack.toml") + NATIONAL_BRAND;
    let p = Project::minimal()
        .file("guidepack.toml", &config)
        .file(
            "content/areas/north/area.toml",
            "name = \"Northshire\"\ntags = [\"coastal\"]\n\n[vars]\nlead = \"Jo North\"\n\n[[contact]]\nrole = \"ccg\"\nname = \"Jo North\"\nemail = \"jo@example.org\"\nphone = \"01632 960001\"\n\n[brand]\nlogo = \"north.png\"\nlogo_alt = \"Northshire Partnership logo\"\norganisation = \"Northshire Partnership\"\ncolour = \"#6a1b9a\"\n",
        )
        .file("content/areas/south/area.toml", "name = \"Southshire\"\n");
    p.write_bytes("content/assets/national.png", PNG);
    p.write_bytes("content/areas/north/north.png", PNG);
    p
}

#[test]
fn an_area_brand_overrides_the_national_one_key_by_key() {
    let p = branded();
    p.run(&[
        "build",
        "--format",
        "html",
        "--all-areas",
        "--audience",
        "providers",
    ])
    .expect(0);
    let north = p.read("output/2.0.0/areas/north/providers/index.html");
    assert!(
        north.contains(
            "Published by Northshire Partnership, based on national guidance from National Body"
        ),
        "{north}"
    );
    assert!(north.contains("<img class=\"gp-header__logo\" src=\"areas/north/north.png\" alt=\"Northshire Partnership logo\">"), "{north}");
    assert!(p.exists("output/2.0.0/areas/north/providers/areas/north/north.png"));
    assert!(
        p.read("output/2.0.0/areas/north/providers/style.css")
            .contains("--gp-brand: #6a1b9a;")
    );

    // South sets no brand: the national one, and no "Published by" line.
    let south = p.read("output/2.0.0/areas/south/providers/index.html");
    assert!(
        south.contains("<span class=\"gp-header__organisation\">National Body</span>"),
        "{south}"
    );
    assert!(
        south.contains("src=\"assets/national.png\" alt=\"National Body logo\""),
        "{south}"
    );
    assert!(!south.contains("Published by"), "{south}");
    assert!(p.exists("output/2.0.0/areas/south/providers/assets/national.png"));
    assert!(
        p.read("output/2.0.0/areas/south/providers/style.css")
            .contains("--gp-brand: #005ea5;")
    );

    // An area that overrides only the organisation keeps the national logo and colour.
    p.write_bytes(
        "content/areas/north/area.toml",
        b"name = \"Northshire\"\n\n[brand]\norganisation = \"Northshire Partnership\"\n",
    );
    p.run(&[
        "build",
        "--format",
        "html",
        "--area",
        "north",
        "--audience",
        "providers",
    ])
    .expect(0);
    let north = p.read("output/2.0.0/areas/north/providers/index.html");
    assert!(
        north.contains("src=\"assets/national.png\" alt=\"National Body logo\""),
        "{north}"
    );
    assert!(
        north.contains(
            "Published by Northshire Partnership, based on national guidance from National Body"
        ),
        "{north}"
    );
    assert!(
        p.read("output/2.0.0/areas/north/providers/style.css")
            .contains("--gp-brand: #005ea5;")
    );
}

#[test]
fn a_colour_without_enough_contrast_is_an_error_with_the_nearest_shade_that_passes() {
    let p = branded().file(
        "content/areas/south/area.toml",
        "name = \"Southshire\"\n\n[brand]\norganisation = \"Southshire\"\ncolour = \"#7fb2e5\"\n",
    );
    let run = stderr_snapshot!(p.run(&["check"]).expect(1));
    // The shade it suggests passes.
    let shade = run
        .stderr
        .split("is \"")
        .nth(1)
        .and_then(|s| s.get(..7))
        .expect("a shade")
        .to_string();
    p.write_bytes(
        "content/areas/south/area.toml",
        format!("name = \"Southshire\"\n\n[brand]\ncolour = \"{shade}\"\n").as_bytes(),
    );
    p.run(&["check"]).expect(0);
    // A colour that is not one.
    let p = p.file(
        "content/areas/south/area.toml",
        "name = \"Southshire\"\n\n[brand]\ncolour = \"purple\"\n",
    );
    stderr_snapshot!(p.run(&["check"]).expect(1), "not a colour");
}

#[test]
fn a_logo_without_alt_text_or_that_is_no_image_in_the_project_is_an_error() {
    let cases = [
        ("no alt text", "logo = \"north.png\"\n"),
        ("missing", "logo = \"missing.png\"\nlogo_alt = \"Logo\"\n"),
        (
            "outside",
            "logo = \"../../../../logo.png\"\nlogo_alt = \"Logo\"\n",
        ),
        (
            "on the web",
            "logo = \"https://example.org/logo.png\"\nlogo_alt = \"Logo\"\n",
        ),
        (
            "not an image",
            "logo = \"area.toml\"\nlogo_alt = \"Logo\"\n",
        ),
    ];
    for (case, keys) in cases {
        let p = branded().file(
            "content/areas/north/area.toml",
            &format!("name = \"Northshire\"\n\n[brand]\n{keys}"),
        );
        stderr_snapshot!(p.run(&["check"]).expect(1), case);
    }
    // In guidepack.toml too.
    let config = Project::minimal().read("guidepack.toml")
        + "\n[brand]\nlogo = \"content/assets/national.png\"\n";
    let p = branded().file("guidepack.toml", &config);
    stderr_snapshot!(p.run(&["check"]).expect(1), "national");
}

/// A contents page that shows every field of the template data.
const EVERY_FIELD: &str = r#"<!DOCTYPE html>
<html lang="{{ pack.language }}"><head><meta charset="utf-8"><title>{{ page_title }}</title></head>
<body><main id="main-content"><h1>{{ pack.title }}</h1>
<p>DATA pack={{ pack.title }}|{{ pack.version }}|{{ pack.national_version }}|{{ pack.publisher }}|{{ pack.date }} audience={{ audience.id }}|{{ audience.name }}
{%- if area %} area={{ area.id }}|{{ area.name }}|{{ area.revision }}|{{ area.tags | join(sep=",") }}|{{ area.vars.lead }}|{{ area.lead }}|{% for c in area.contacts %}{{ c.name }}/{{ c.role }}/{{ c.email }}/{{ c.phone }}{% endfor %}|{{ area.brand.organisation }}{% endif %}
 brand={{ brand.organisation }}|{{ brand.logo }}|{{ brand.logo_alt }}|{{ brand.colour }}|{{ brand.national_organisation }}|{{ brand.published_by }} downloads={% for d in downloads %}{{ d.key }}{% endfor %} END</p>
</main></body></html>
"#;

#[test]
fn every_field_of_the_template_data_reaches_a_project_template() {
    let p = branded().file("templates/html/contents.html", EVERY_FIELD);
    p.run(&[
        "build",
        "--area",
        "north",
        "--audience",
        "providers",
        "--format",
        "html",
        "--format",
        "pdf",
    ])
    .expect(0);
    let page = p.read("output/2.0.0/areas/north/providers/index.html");
    let data = page
        .split("DATA ")
        .nth(1)
        .and_then(|s| s.split(" END").next())
        .expect("data");
    assert_eq!(
        data,
        "pack=Test pack|2.0.0-north.1|2.0.0|Test publisher|2013-03-28 audience=providers|Providers area=north|Northshire|1|coastal|Jo North|Jo North|Jo North/ccg/jo@example.org/01632 960001|Northshire Partnership\n brand=Northshire Partnership|areas/north/north.png|Northshire Partnership logo|#6a1b9a|National Body|Published by Northshire Partnership, based on national guidance from National Body downloads=pdf"
    );
}

#[test]
fn the_pdf_template_reads_the_same_data_and_loads_the_logo_no_chapter_shows() {
    let p = branded();
    let dump = p.path().join("typst-dump");
    let dump_env = dump.to_string_lossy().to_string();
    p.run_with(
        &[("GUIDEPACK_DEBUG_TYPST", &dump_env)],
        &[
            "build",
            "--area",
            "north",
            "--audience",
            "providers",
            "--format",
            "pdf",
        ],
    )
    .expect(0);
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dump.join("areas-north-providers.json")).expect("the meta"),
    )
    .expect("JSON");
    assert_eq!(meta["pack"]["title"], "Test pack");
    assert_eq!(meta["pack"]["version"], "2.0.0-north.1");
    assert_eq!(meta["pack"]["national_version"], "2.0.0");
    assert_eq!(meta["area"]["revision"], 1);
    assert_eq!(meta["audience"]["id"], "providers");
    assert_eq!(meta["area"]["tags"][0], "coastal");
    assert_eq!(meta["area"]["vars"]["lead"], "Jo North");
    assert_eq!(meta["area"]["lead"], "Jo North");
    assert_eq!(meta["area"]["contacts"][0]["email"], "jo@example.org");
    assert_eq!(meta["area"]["brand"]["colour"], "#6a1b9a");
    assert_eq!(meta["brand"]["logo"], "/content/areas/north/north.png");
    assert_eq!(meta["brand"]["logo_alt"], "Northshire Partnership logo");
    assert_eq!(
        meta["brand"]["published_by"],
        "Published by Northshire Partnership, based on national guidance from National Body"
    );
    // The built-in template shows the logo on the cover: no chapter shows it, yet it loads.
    let pdf = p
        .output_files()
        .into_iter()
        .find(|(name, _)| name.ends_with(".pdf"))
        .expect("a PDF")
        .1;
    assert!(pdf.starts_with(b"%PDF"));
    // A project template whose cover shows only the logo (the built-in helpers kept).
    let template = include_str!("../templates/pdf/pack.typ").to_string()
        + "#let pack(meta, body) = { set document(title: meta.document_title); image(meta.brand.logo, alt: meta.brand.logo_alt); body }\n";
    let p = p.file("templates/pdf/pack.typ", &template);
    p.run(&[
        "build",
        "--area",
        "north",
        "--audience",
        "providers",
        "--format",
        "pdf",
    ])
    .expect(0);
}

/// The built-in contents page with a mark of who wrote it.
fn contents_marked(mark: &str) -> String {
    include_str!("../templates/html/contents.html").replace(
        "{% block main %}",
        &format!("{{% block main %}}<p>{mark}</p>"),
    )
}

#[test]
fn an_area_template_wins_over_the_project_one_for_that_area_only() {
    let p = branded()
        .file(
            "templates/html/contents.html",
            &contents_marked("PROJECT TEMPLATE"),
        )
        .file(
            "content/areas/north/templates/html/contents.html",
            &contents_marked("NORTH TEMPLATE"),
        );
    p.run(&[
        "build",
        "--format",
        "html",
        "--all-areas",
        "--audience",
        "providers",
    ])
    .expect(0);
    let page = |dir: &str| p.read(&format!("output/2.0.0/{dir}/index.html"));
    assert!(page("areas/north/providers").contains("NORTH TEMPLATE"));
    assert!(!page("areas/north/providers").contains("PROJECT TEMPLATE"));
    assert!(page("areas/south/providers").contains("PROJECT TEMPLATE"));
    assert!(page("providers").contains("PROJECT TEMPLATE"));
    assert!(!page("providers").contains("NORTH TEMPLATE"));

    // The PDF: the area's pack.typ for its packs only.
    let template = include_str!("../templates/pdf/pack.typ").to_string();
    let p = p
        .file(
            "content/areas/north/templates/pdf/pack.typ",
            &(template.clone() + "#let pack(meta, body) = { set document(title: meta.document_title, author: \"NORTH PDF\"); body }\n"),
        );
    p.run(&[
        "build",
        "--format",
        "pdf",
        "--all-areas",
        "--audience",
        "providers",
    ])
    .expect(0);
    let pdf_of = |dir: &str| {
        (p.output_files().into_iter())
            .find(|(name, _)| name.starts_with(dir) && name.ends_with(".pdf"))
            .expect("a PDF")
            .1
    };
    let has = |bytes: &[u8]| bytes.windows(9).any(|w| w == b"NORTH PDF");
    assert!(has(&pdf_of("2.0.0/areas/north/providers/")));
    assert!(!has(&pdf_of("2.0.0/areas/south/providers/")));
}

#[test]
fn an_error_in_an_area_template_names_that_file_and_line() {
    let broken_html = contents_marked("{{ area.nothing_here }}");
    let p = branded().file(
        "content/areas/north/templates/html/contents.html",
        &broken_html,
    );
    stderr_snapshot!(p.run(&["check"]).expect(1), "html");
    let broken_pdf = include_str!("../templates/pdf/pack.typ").to_string() + "\n#let broken = (\n";
    let p = branded().file("content/areas/north/templates/pdf/pack.typ", &broken_pdf);
    stderr_snapshot!(p.run(&["check"]).expect(1), "pdf syntax");
    let failing_pdf = include_str!("../templates/pdf/pack.typ").to_string()
        + "#let pack(meta, body) = { set document(title: meta.document_title); meta.no_such_key; body }\n";
    let p = branded().file("content/areas/north/templates/pdf/pack.typ", &failing_pdf);
    stderr_snapshot!(
        p.run(&[
            "build",
            "--format",
            "pdf",
            "--area",
            "north",
            "--audience",
            "providers"
        ])
        .expect(1),
        "pdf build"
    );
}

#[test]
fn an_area_template_imports_its_own_typst_files_which_win_over_the_projects() {
    // The project's template imports `parts.typ`; north has its own `parts.typ`.
    let template = include_str!("../templates/pdf/pack.typ").to_string()
        + "#import \"parts.typ\": mark\n#let pack(meta, body) = { set document(title: meta.document_title, author: mark); body }\n";
    let p = branded()
        .file("templates/pdf/pack.typ", &template)
        .file("templates/pdf/parts.typ", "#let mark = \"PROJECT PARTS\"\n")
        .file(
            "content/areas/north/templates/pdf/parts.typ",
            "#let mark = \"NORTH PARTS\"\n",
        );
    p.run(&[
        "build",
        "--format",
        "pdf",
        "--all-areas",
        "--audience",
        "providers",
    ])
    .expect(0);
    let pdf_of = |dir: &str| {
        (p.output_files().into_iter())
            .find(|(name, _)| name.starts_with(dir) && name.ends_with(".pdf"))
            .expect("a PDF")
            .1
    };
    let has = |bytes: &[u8], mark: &[u8]| bytes.windows(mark.len()).any(|w| w == mark);
    assert!(has(&pdf_of("2.0.0/areas/north/providers/"), b"NORTH PARTS"));
    assert!(has(
        &pdf_of("2.0.0/areas/south/providers/"),
        b"PROJECT PARTS"
    ));
    assert!(has(&pdf_of("2.0.0/providers/"), b"PROJECT PARTS"));

    // An error in the area's file is placed there, and deleting it falls back to the project's.
    let p = p.file(
        "content/areas/north/templates/pdf/parts.typ",
        "#let mark = \"NORTH PARTS\"\n#let broken = 1 + \"a\"\n",
    );
    stderr_snapshot!(
        p.run(&[
            "build",
            "--format",
            "pdf",
            "--area",
            "north",
            "--audience",
            "providers"
        ])
        .expect(1),
        "area parts"
    );
    let p = p.file(
        "content/areas/north/templates/pdf/pack.typ",
        &(template + "\n#let broken = (\n"),
    );
    stderr_snapshot!(
        p.run(&["check"]).expect(1),
        "area pack with a project template"
    );
}

#[test]
fn the_odt_cover_shows_the_area_logo_and_organisation_and_names_it_the_creator() {
    let p = branded();
    p.run(&[
        "build",
        "--all-areas",
        "--audience",
        "providers",
        "--format",
        "odt",
    ])
    .expect(0);
    let odt_of = |dir: &str| {
        (p.output_files().into_iter())
            .find(|(name, _)| name.starts_with(dir) && name.ends_with(".odt"))
            .expect("an ODT")
            .1
    };
    let part = |odt: &[u8], name: &str| {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(odt)).expect("a zip");
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut text)
            .expect("UTF-8");
        text
    };
    let north = odt_of("2.0.0/areas/north/providers/");
    let content = part(&north, "content.xml");
    assert!(
        content.contains("xlink:href=\"Pictures/logo.png\""),
        "{content}"
    );
    assert!(content.contains("<svg:desc>Northshire Partnership logo</svg:desc>"));
    assert!(content.contains(
        "Published by Northshire Partnership, based on national guidance from National Body"
    ));
    assert!(part(&north, "META-INF/manifest.xml").contains("Pictures/logo.png"));
    assert!(
        part(&north, "styles.xml").contains("#6a1b9a"),
        "the area's colour"
    );
    assert!(!part(&north, "styles.xml").contains("#005ea5"));
    assert!(part(&north, "meta.xml").contains("<dc:creator>Northshire Partnership</dc:creator>"));
    // South has no brand of its own: the national one.
    let south = odt_of("2.0.0/areas/south/providers/");
    assert!(part(&south, "meta.xml").contains("<dc:creator>National Body</dc:creator>"));
    assert!(!part(&south, "content.xml").contains("Published by"));
    assert!(
        part(&south, "styles.xml").contains("#005ea5"),
        "the national colour"
    );
}

#[test]
fn a_pdf_template_shows_an_image_of_its_own_folder_that_no_chapter_shows() {
    // The issue's case: a template that shows `templates/pdf/banner.png` failed with "file not
    // found (searched at templates/pdf/banner.png)" unless a chapter showed the image too.
    let template = include_str!("../templates/pdf/pack.typ").to_string()
        + "#let pack(meta, body) = { set document(title: meta.document_title); image(\"banner.png\", alt: \"A banner\"); body }\n";
    let p = Project::minimal().file("templates/pdf/pack.typ", &template);
    p.write_bytes("templates/pdf/banner.png", PNG);
    p.run(&["build", "--audience", "providers", "--format", "pdf"])
        .expect(0);
    // An area's own image of that name wins for its packs.
    let p = p.file("content/areas/north/area.toml", "name = \"Northshire\"\n");
    p.write_bytes(
        "content/areas/north/templates/pdf/banner.png",
        b"not an image",
    );
    let run = p.run(&[
        "build",
        "--area",
        "north",
        "--audience",
        "providers",
        "--format",
        "pdf",
    ]);
    stderr_snapshot!(run.expect(1), "not an image");
}
