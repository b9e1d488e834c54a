//! The statements every publication carries, made from guidepack.toml: the copyright line and
//! licence (`[pack] licence`, `copyright`), the note on asking for an alternative format and
//! the accessibility statement (`[accessibility]`).
//!
//! They are document blocks (paragraphs, lists, headings, links), so that each format writes
//! them with its own block writer: the HTML footer and Accessibility page, the back of the PDF
//! and ODT cover, the end of the Govspeak file. Their wording follows GOV.UK's (the licence
//! notice is a fixed formula; the statement follows GOV.UK's sample accessibility statement).

use crate::diagnostic::{Diagnostic, LineIndex};
use crate::doc::{Block, Heading, Inline, Link, List, ListItem, Paragraph, Target};
use crate::labels::Labels;
use crate::labels::inlines::sentence;
use crate::model::{Accessibility, Compliance, Config, Licence};
use crate::sources::CONFIG_FILE;

/// The Open Government Licence v3.0.
pub const OGL_URL: &str =
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";
/// Creative Commons Attribution 4.0 International.
pub const CC_BY_URL: &str = "https://creativecommons.org/licenses/by/4.0/";

/// The keys of `[accessibility]` a release wants, with what each is for; empty when all are
/// there. With no `[accessibility]` table every key is missing.
pub fn missing_accessibility(config: &Config) -> Vec<(&'static str, &'static str)> {
    let a = config.accessibility.clone().unwrap_or_default();
    let mut missing = Vec::new();
    if a.email.is_none() && a.phone.is_none() {
        missing.push(("email", "where readers ask for another format"));
    }
    if a.response_time.is_none() {
        missing.push(("response_time", "how soon they get an answer"));
    }
    if a.standard.is_none() {
        missing.push(("standard", "the accessibility standard met"));
    }
    if a.compliance.is_none() {
        missing.push(("compliance", "how far the packs meet it"));
    }
    if a.prepared.is_none() {
        missing.push(("prepared", "the date the statement was prepared"));
    }
    missing
}

/// The warning `release` gives when `[accessibility]` is missing or incomplete, naming what is
/// missing (`None` when nothing is): at the table's header in guidepack.toml (`toml` is its
/// text), or at the file when there is no table. A warning: the packs are still released,
/// with a statement that says what it was not told.
pub fn accessibility_warning(config: &Config, toml: Option<&str>) -> Option<Diagnostic> {
    let missing = missing_accessibility(config);
    if missing.is_empty() {
        return None;
    }
    let and_list = |items: Vec<String>| match items.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    };
    let listed = and_list(
        (missing.iter())
            .map(|(key, what)| format!("`{key}` ({what})"))
            .collect(),
    );
    let keys = and_list(missing.iter().map(|(key, _)| format!("`{key}`")).collect());
    let header = toml.and_then(|text| {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if trimmed.split('#').next().map(str::trim_end) == Some("[accessibility]") {
                return Some(offset + line.len() - trimmed.len());
            }
            offset += line.len();
        }
        None
    });
    let (message, help) = match &config.accessibility {
        None => (
            format!(
                "guidepack.toml has no [accessibility] table, so the packs' accessibility \
                 statement and their note on asking for another format lack {listed}"
            ),
            format!(
                "add an [accessibility] table to guidepack.toml with {keys} (`phone` may stand \
                 for `email`); the README shows one"
            ),
        ),
        Some(_) => (
            format!(
                "[accessibility] in guidepack.toml does not give {listed}, so the packs' \
                 accessibility statement lacks them"
            ),
            format!("add {keys} under [accessibility] in guidepack.toml"),
        ),
    };
    let warning = Diagnostic::warning(message).help(help);
    Some(match (header, toml) {
        (Some(offset), Some(text)) => warning.at(CONFIG_FILE, LineIndex::new(text).pos(offset)),
        _ => warning.in_file(CONFIG_FILE),
    })
}

/// The copyright line and the licence statement with its link, as paragraphs: empty when
/// guidepack.toml sets neither `copyright` nor a licence.
pub fn licence(config: &Config) -> Vec<Block> {
    let pack = &config.pack;
    let labels = &pack.labels;
    let mut blocks = Vec::new();
    if let Some(copyright) = &pack.copyright {
        blocks.push(para(vec![text(copyright)]));
    }
    let statement = match pack.licence {
        Licence::Ogl3 => sentence(
            labels,
            "licence_ogl",
            vec![
                (
                    "licence",
                    link(OGL_URL, labels.get("licence_ogl_name")).into(),
                ),
                (
                    "licence_url",
                    link(
                        OGL_URL,
                        "nationalarchives.gov.uk/doc/open-government-licence/version/3",
                    )
                    .into(),
                ),
                (
                    "email",
                    link(
                        "mailto:psi@nationalarchives.gov.uk",
                        "psi@nationalarchives.gov.uk",
                    )
                    .into(),
                ),
            ],
        ),
        Licence::CcBy4 => sentence(
            labels,
            "licence_cc_by",
            vec![
                (
                    "licence",
                    link(CC_BY_URL, labels.get("licence_cc_by_name")).into(),
                ),
                ("publisher", pack.publisher.as_str().into()),
            ],
        ),
        Licence::None => return blocks,
    };
    blocks.push(para(statement));
    blocks.push(para(vec![text(labels.get("licence_third_party"))]));
    blocks
}

/// The short note on asking for this publication in another format: who to ask (the
/// `[accessibility]` email and phone, or else the publisher), what to tell them and how soon
/// they answer. Paragraphs, no heading.
pub fn alternative_formats(config: &Config, pack_title: &str) -> Vec<Block> {
    let a = config.accessibility.clone().unwrap_or_default();
    let labels = &config.pack.labels;
    // One sentence, the contact (links) where `{contact}` is.
    let sentence = labels.get("alt_formats_ask");
    let (before, after) = sentence.split_once("{contact}").unwrap_or((sentence, ""));
    let mut ask = vec![text(before)];
    ask.extend(contact_inlines(&a, &config.pack.publisher, labels));
    ask.push(text(after));
    // A working copy is named by the release it has changed since.
    let version = match &config.pack.unreleased_since {
        Some(since) => labels.fill(
            "alt_formats_version_unreleased",
            &[("version", since.as_str())],
        ),
        None => labels.fill(
            "alt_formats_version",
            &[("version", config.pack.version.as_str())],
        ),
    };
    let mut tell = vec![text(&labels.fill(
        "alt_formats_tell",
        &[("title", pack_title), ("version", &version)],
    ))];
    if let Some(time) = &a.response_time {
        tell.push(text(" "));
        tell.push(text(&labels.fill("alt_formats_reply", &[("time", time)])));
    }
    vec![para(ask), para(tell)]
}

/// "email x or phone y", or "ask <publisher>" when `[accessibility]` gives neither.
fn contact_inlines(a: &Accessibility, publisher: &str, labels: &Labels) -> Vec<Inline> {
    let mut inlines = Vec::new();
    if let Some(email) = &a.email {
        inlines.push(text(&(labels.get("contact_email").to_string() + " ")));
        inlines.push(link(&format!("mailto:{email}"), email));
    }
    if let Some(phone) = &a.phone {
        inlines.push(text(&if inlines.is_empty() {
            labels.get("contact_phone").to_string() + " "
        } else {
            format!(" {} ", labels.get("contact_or_phone"))
        }));
        let digits: String = phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        inlines.push(link(&format!("tel:{digits}"), phone));
    }
    if inlines.is_empty() {
        inlines.push(text(
            &labels.fill("contact_ask", &[("publisher", publisher)]),
        ));
    }
    inlines
}

/// The body of the Accessibility page of a pack's HTML (its title is the label
/// `accessibility_statement`): GOV.UK's sample statement, in its order, filled in from
/// `[accessibility]`. `what` names the pages covered (the label `a11y_what`).
pub fn accessibility_statement(config: &Config, what: &str) -> Vec<Block> {
    let a = config.accessibility.clone().unwrap_or_default();
    let publisher = config.pack.publisher.as_str();
    let labels = &config.pack.labels;
    let said = |key: &str| para(vec![text(labels.get(key))]);
    let mut b = vec![
        para(vec![text(&labels.fill(
            "a11y_applies",
            &[("what", what), ("publisher", publisher)],
        ))]),
        said("a11y_able"),
        bullets(
            &[
                "a11y_able_colours",
                "a11y_able_zoom",
                "a11y_able_keyboard",
                "a11y_able_speech",
                "a11y_able_screen_reader",
            ]
            .map(|key| labels.get(key)),
        ),
        para(sentence(
            labels,
            "a11y_abilitynet",
            vec![(
                "abilitynet",
                link(
                    "https://mcmw.abilitynet.org.uk/",
                    labels.get("a11y_abilitynet_name"),
                )
                .into(),
            )],
        )),
        heading("how-accessible", labels.get("a11y_how_accessible")),
    ];
    if a.known_issues.is_empty() {
        b.push(said(match a.compliance {
            Some(Compliance::Full) => "a11y_none_known",
            _ => "a11y_none_listed",
        }));
    } else {
        b.push(said("a11y_known_issues"));
        b.push(bullets(&a.known_issues));
    }
    b.push(heading("feedback", labels.get("a11y_feedback")));
    b.extend(alternative_formats(config, &config.pack.title));
    b.push(heading("reporting-problems", labels.get("a11y_reporting")));
    b.push(para(sentence(
        labels,
        "a11y_report",
        vec![("contact", contact_inlines(&a, publisher, labels).into())],
    )));
    b.push(heading("enforcement", labels.get("a11y_enforcement")));
    b.push(para(sentence(
        labels,
        "a11y_enforcement_text",
        vec![(
            "eass",
            link(
                "https://www.equalityadvisoryservice.com/",
                labels.get("a11y_eass_name"),
            )
            .into(),
        )],
    )));
    b.push(heading(
        "technical-information",
        labels.get("a11y_technical"),
    ));
    b.push(para(vec![text(
        &labels.fill("a11y_committed", &[("publisher", publisher)]),
    )]));
    if let Some(standard) = &a.standard {
        b.push(subheading(
            "compliance-status",
            labels.get("a11y_compliance_status"),
        ));
        let key = match a.compliance {
            Some(Compliance::Full) => "a11y_compliance_full",
            Some(Compliance::Partial) => "a11y_compliance_partial",
            Some(Compliance::None) => "a11y_compliance_none",
            None => "a11y_compliance_tested",
        };
        b.push(para(vec![text(
            &labels.fill(key, &[("standard", standard)]),
        )]));
    }
    b.push(heading("preparation", labels.get("a11y_preparation")));
    b.push(para(vec![text(&match &a.prepared {
        Some(date) => labels.fill(
            "a11y_prepared",
            &[(
                "date",
                &crate::model::PackInfo {
                    date: date.clone(),
                    ..config.pack.clone()
                }
                .date_display(),
            )],
        ),
        None => labels.get("a11y_prepared_unknown").to_string(),
    })]));
    b
}

fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

fn link(href: &str, label: &str) -> Inline {
    Inline::Link(Link {
        target: Target::External(href.to_string()),
        children: vec![text(label)],
        pos: Default::default(),
        title: Vec::new(),
        dest_parts: Vec::new(),
    })
}

fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(Paragraph {
        inlines,
        pos: Default::default(),
        number: None,
    })
}

fn bullets<S: AsRef<str>>(items: &[S]) -> Block {
    Block::List(List {
        start: None,
        items: items
            .iter()
            .map(|i| ListItem {
                task: None,
                blocks: vec![para(vec![text(i.as_ref())])],
            })
            .collect(),
    })
}

fn heading(id: &str, title: &str) -> Block {
    heading_at(2, id, title)
}

fn subheading(id: &str, title: &str) -> Block {
    heading_at(3, id, title)
}

fn heading_at(level: u8, id: &str, title: &str) -> Block {
    Block::Heading(Heading {
        level,
        id: id.to_string(),
        explicit_id: true,
        inlines: vec![text(title)],
        pos: Default::default(),
        number: None,
        attrs: Vec::new(),
        condition: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{CONFIG, TestProject};

    fn config(pack_extra: &str, tables: &str) -> Config {
        let toml = CONFIG.replace(
            "language = \"en-GB\"\n",
            &format!("language = \"en-GB\"\n{pack_extra}"),
        );
        let project = TestProject::new(&[("guidepack.toml", &format!("{toml}\n{tables}"))]);
        assert!(project.found.is_empty(), "{:?}", project.found);
        project.project.config
    }

    /// The blocks' text, a line each.
    fn words(blocks: &[Block]) -> String {
        let mut out = String::new();
        for block in blocks {
            match block {
                Block::Paragraph(p) => out += &crate::doc::plain_text(&p.inlines),
                Block::Heading(h) => out += &crate::doc::plain_text(&h.inlines),
                Block::List(l) => {
                    out += &l.items.iter().map(|i| words(&i.blocks)).collect::<String>()
                }
                _ => {}
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn no_licence_and_no_copyright_say_nothing() {
        assert!(licence(&config("", "")).is_empty());
    }

    #[test]
    fn the_ogl_statement_is_the_government_formula_with_its_link() {
        let c = config(
            "licence = \"ogl-3\"\ncopyright = \"© Crown copyright 2013\"\n",
            "",
        );
        let blocks = licence(&c);
        let text = words(&blocks);
        assert!(text.starts_with("© Crown copyright 2013"), "{text}");
        assert!(text.contains("Open Government Licence v3.0 except where otherwise stated"));
        assert!(text.contains("Kew, London TW9 4DU"));
        assert!(format!("{blocks:?}").contains(OGL_URL));
    }

    #[test]
    fn cc_by_credits_the_publisher() {
        let text = words(&licence(&config("licence = \"cc-by-4\"\n", "")));
        assert!(
            text.contains("CC BY 4.0") && text.contains("credit Test publisher"),
            "{text}"
        );
    }

    #[test]
    fn the_alternative_format_note_names_the_contact_and_the_reply_time() {
        let c = config(
            "",
            "[accessibility]\nemail = \"formats@example.org\"\nphone = \"0300 123 4567\"\nresponse_time = \"15 working days\"\n",
        );
        let blocks = alternative_formats(&c, "Test pack");
        let text = words(&blocks);
        assert!(
            text.contains("email formats@example.org or phone 0300 123 4567"),
            "{text}"
        );
        assert!(text.contains("version 2.0.0") && text.contains("within 15 working days"));
        assert!(format!("{blocks:?}").contains("tel:03001234567"));
        let without = words(&alternative_formats(&config("", ""), "Test pack"));
        assert!(without.contains("ask Test publisher"), "{without}");
    }

    #[test]
    fn the_statement_follows_the_sample_and_says_what_is_missing() {
        let c = config(
            "",
            "[accessibility]\nemail = \"a@example.org\"\nstandard = \"WCAG 2.2 AA\"\ncompliance = \"partial\"\nknown_issues = [\"Some tables have no caption.\"]\nprepared = \"2013-03-01\"\n",
        );
        let text = words(&accessibility_statement(&c, "these pages"));
        for part in [
            "How accessible these pages are",
            "Some tables have no caption.",
            "Enforcement procedure",
            "partially compliant with WCAG 2.2 AA",
            "prepared on 1 March 2013",
        ] {
            assert!(text.contains(part), "{part} not in {text}");
        }
        assert_eq!(
            missing_accessibility(&c)
                .iter()
                .map(|m| m.0)
                .collect::<Vec<_>>(),
            ["response_time"]
        );
        assert_eq!(missing_accessibility(&config("", "")).len(), 5);
    }
}
