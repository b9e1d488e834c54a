//! Variables: pack, audience and national `[vars]`, escaping, and code.

use crate::harness::{Project, main_text};

#[test]
fn variables_take_their_values_per_pack() {
    let p = Project::minimal().chapter(
        "02-vars.md",
        "title: Vars",
        "{{ pack.title }} v{{ pack.version }}, {{ pack.date }}, by {{ pack.publisher }}, for {{ audience.name }} ({{ audience.id }}); ask {{ area.lead }}.\n",
    );
    p.build_html();
    let text = main_text(&p.read("output/2.0.0/providers/vars.html"));
    assert!(text.contains("Test pack v2.0.0, 28 March 2013, by Test publisher, for Providers (providers); ask the national lead."), "{text}");
}

#[test]
fn values_are_text_not_markup() {
    let p = Project::minimal()
        .file(
            "guidepack.toml",
            &Project::minimal()
                .read("guidepack.toml")
                .replace("the national lead", "<b>*bold*</b> & co"),
        )
        .chapter("02-vars.md", "title: Vars", "Ask {{ area.lead }}.\n");
    p.build_html();
    let html = p.read("output/2.0.0/providers/vars.html");
    assert!(
        html.contains("Ask &lt;b&gt;*bold*&lt;&#x2F;b&gt; &amp; co.")
            || html.contains("Ask &lt;b&gt;*bold*&lt;/b&gt; &amp; co."),
        "{html}"
    );
}

#[test]
fn escaped_braces_and_code_are_left_alone() {
    let p = Project::minimal().chapter(
        "02-vars.md",
        "title: Vars",
        "Write \\{{ pack.title }} like `{{ pack.title }}`.\n\n```\n{{ pack.version }}\n```\n",
    );
    p.build_html();
    let html = p.read("output/2.0.0/providers/vars.html");
    assert!(
        html.contains("Write {{ pack.title }} like <code>{{ pack.title }}</code>."),
        "{html}"
    );
    assert!(html.contains("<code>{{ pack.version }}\n</code>"), "{html}");
}
