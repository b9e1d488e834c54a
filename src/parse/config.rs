//! `guidepack.toml` and `content/areas/<id>/area.toml`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::{chapter::parse_chapter, empty_field, from_toml, located, malformed_id, require_text};
use crate::brand::Brand;
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Pos};
use crate::doc::is_valid_id;
use crate::model::{
    Accessibility, Area, Audience, ChangeNote, Config, Contact, HtmlConfig, PackInfo, PdfConfig,
    parse_date,
};
use crate::sources::{CONFIG_FILE, SourceSet};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    pack: PackInfo,
    #[serde(rename = "audience")]
    audiences: Vec<AudienceFile>,
    #[serde(default)]
    vars: BTreeMap<String, String>,
    #[serde(default)]
    pdf: PdfConfig,
    #[serde(default)]
    html: HtmlConfig,
    #[serde(default, rename = "change_note")]
    change_notes: Vec<ChangeNote>,
    accessibility: Option<Accessibility>,
    #[serde(default)]
    brand: Brand,
    /// `[labels]`: the project's own words for guidepack's labels (`labels::Labels`).
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AudienceFile {
    id: toml::Spanned<String>,
    name: toml::Spanned<String>,
    #[serde(default)]
    description: String,
}

pub(super) fn parse_config(sources: &SourceSet, diagnostics: &mut Diagnostics) -> Option<Config> {
    let text = sources.text(CONFIG_FILE)?;
    let file: ConfigFile = from_toml(CONFIG_FILE, text, diagnostics)?;
    let index = LineIndex::new(text);
    let key_pos = |key: &str| find_key(text, &index, key);

    let mut brand = file.brand;
    let mut ok = check_brand(CONFIG_FILE, text, &index, &mut brand, sources, diagnostics);
    ok &= check_labels(text, &index, &file.pack.language, &file.labels, diagnostics);
    let mut fail = |d: Diagnostic| {
        diagnostics.push(d);
        ok = false;
    };
    if parse_date(&file.pack.date).is_none() {
        fail(
            Diagnostic::error(format!("`{}` is not a date", file.pack.date))
                .at(CONFIG_FILE, key_pos("date"))
                .help("write the publication date as YYYY-MM-DD, for example \"2013-03-28\""),
        );
    }
    if !is_semver(&file.pack.version) {
        fail(
            Diagnostic::error(format!("`{}` is not a version number", file.pack.version))
                .at(CONFIG_FILE, key_pos("version"))
                .help("write a semantic version such as \"1.0.0\" or \"0.9.0-draft\""),
        );
    } else if let Some(core) = file.pack.version.strip_suffix("+unreleased") {
        // `output/<v>+unreleased/` is the working copy of a released version (output::released).
        fail(
            Diagnostic::error(format!(
                "`{}` is the name guidepack gives to the unreleased working copy of version {core}",
                file.pack.version
            ))
            .at(CONFIG_FILE, key_pos("version"))
            .help(format!(
                "write the version without `+unreleased`, such as \"{core}\""
            )),
        );
    }
    if !is_language_tag(&file.pack.language) {
        fail(
            Diagnostic::error(format!("`{}` is not a language tag", file.pack.language))
                .at(CONFIG_FILE, key_pos("language"))
                .help("write a BCP 47 language tag such as \"en-GB\" or \"cy\""),
        );
    }
    if file.audiences.is_empty() {
        fail(
            Diagnostic::error("the project has no audience")
                .in_file(CONFIG_FILE)
                .help("add an [[audience]] table with an `id` and a `name`"),
        );
    }
    for (key, value) in [
        ("title", &file.pack.title),
        ("publisher", &file.pack.publisher),
    ] {
        if value.trim().is_empty() {
            fail(empty_field(key, "the pack").at(CONFIG_FILE, key_pos(key)));
        }
    }
    for note in &file.change_notes {
        if note.text.trim().is_empty() {
            fail(empty_field("text", "every change note").at(CONFIG_FILE, key_pos("text")));
        }
    }
    if let Some(a) = &file.accessibility {
        // The keys of `[accessibility]` are placed in that table: `email` may be elsewhere too.
        let key_pos = |key: &str| find_table_key(text, &index, "accessibility", key);
        if let Some(email) = &a.email
            && !looks_like_email(email)
        {
            fail(
                Diagnostic::error(format!("`{email}` is not an email address"))
                    .at(CONFIG_FILE, key_pos("email"))
                    .help("write the address readers write to for another format, such as \"formats@example.org\""),
            );
        }
        if let Some(date) = &a.prepared
            && parse_date(date).is_none()
        {
            fail(
                Diagnostic::error(format!("`{date}` is not a date"))
                    .at(CONFIG_FILE, key_pos("prepared"))
                    .help("write the date the statement was prepared as YYYY-MM-DD, for example \"2013-03-28\""),
            );
        }
        if let Some(phone) = &a.phone
            && !phone.trim().is_empty()
            && !phone.chars().any(|c| c.is_ascii_digit())
        {
            fail(
                Diagnostic::error(format!("`{phone}` is not a telephone number"))
                    .at(CONFIG_FILE, key_pos("phone"))
                    .help("write the number readers call for another format, such as \"0300 123 4567\""),
            );
        }
        for (key, value) in [
            ("phone", &a.phone),
            ("response_time", &a.response_time),
            ("standard", &a.standard),
        ] {
            if value.as_ref().is_some_and(|v| v.trim().is_empty()) {
                fail(empty_field(key, "[accessibility]").at(CONFIG_FILE, key_pos(key)));
            }
        }
    }
    if file
        .pack
        .copyright
        .as_ref()
        .is_some_and(|c| c.trim().is_empty())
    {
        fail(empty_field("copyright", "the pack").at(CONFIG_FILE, key_pos("copyright")));
    }
    let mut seen = BTreeSet::new();
    let mut audiences = Vec::new();
    for audience in file.audiences {
        if audience.name.get_ref().trim().is_empty() {
            let pos = index.pos(audience.name.span().start);
            fail(empty_field("name", "every audience").at(CONFIG_FILE, pos));
        }
        let id = located(CONFIG_FILE, &index, audience.id);
        if !is_valid_id(&id.value) {
            fail(malformed_id("audience", &id.value).at(CONFIG_FILE, id.pos));
        } else if !seen.insert(id.value.clone()) {
            fail(
                Diagnostic::error(format!("audience `{}` is defined twice", id.value))
                    .at(CONFIG_FILE, id.pos)
                    .help("give each audience its own id"),
            );
        }
        audiences.push(Audience {
            id: id.value,
            name: audience.name.into_inner(),
            description: audience.description,
        });
    }
    let mut pdf = file.pdf;
    if !super::fonts::check_fonts(&mut pdf.fonts, &index, sources, diagnostics) {
        ok = false;
    }
    let mut pack = file.pack;
    pack.labels = crate::labels::Labels::new(&pack.language, &file.labels);
    ok.then_some(Config {
        pack,
        audiences,
        vars: file.vars,
        pdf,
        html: file.html,
        change_notes: file.change_notes,
        accessibility: file.accessibility,
        brand,
    })
}

/// Checks `[labels]`: every key one of guidepack's labels, with the same placeholders; and
/// warns once when guidepack has no label set for the pack's language. Whether it is fine.
fn check_labels(
    text: &str,
    index: &LineIndex,
    language: &str,
    own: &BTreeMap<String, String>,
    diagnostics: &mut Diagnostics,
) -> bool {
    use crate::labels::{english, placeholders, primary_subtag, shipped};
    let english = english();
    let mut ok = true;
    for (key, value) in own {
        let pos = find_table_key(text, index, "labels", key);
        let Some(shipped_text) = english.get(key) else {
            let guess = crate::diagnostic::did_you_mean(key, english.keys().map(String::as_str));
            let help = match guess {
                Some(guess) => format!(
                    "did you mean `{guess}`? The labels are listed in the README (section \"Labels\")"
                ),
                None => "use one of the label keys listed in the README (section \"Labels\")"
                    .to_string(),
            };
            diagnostics.push(
                Diagnostic::error(format!("`{key}` is not one of guidepack's labels"))
                    .at(CONFIG_FILE, pos)
                    .help(help),
            );
            ok = false;
            continue;
        };
        let (want, have) = (placeholders(shipped_text), placeholders(value));
        if want != have {
            let list = |set: &BTreeSet<&str>| match set.is_empty() {
                true => "none".to_string(),
                false => (set.iter().map(|p| format!("{{{p}}}")))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            diagnostics.push(
                Diagnostic::error(format!(
                    "the label `{key}` has the placeholders {}, but guidepack fills {}",
                    list(&have),
                    list(&want)
                ))
                .at(CONFIG_FILE, pos)
                .help(format!(
                    "write each of {} once where its value goes, as in \"{shipped_text}\"",
                    list(&want)
                )),
            );
            ok = false;
        }
    }
    if shipped(language).is_none() && is_language_tag(language) {
        let english_still: Vec<&str> = (english.keys())
            .filter(|k| !own.contains_key(*k))
            .map(String::as_str)
            .collect();
        if !english_still.is_empty() {
            let first: Vec<String> = (english_still.iter().take(5))
                .map(|k| format!("`{k}`"))
                .collect();
            let more = match english_still.len() > 5 {
                true => ", …",
                false => "",
            };
            diagnostics.push(
                Diagnostic::warning(format!(
                    "guidepack has no labels in `{}`: {} of its {} labels stay English ({}{more})",
                    primary_subtag(language),
                    english_still.len(),
                    english.len(),
                    first.join(", ")
                ))
                .at(CONFIG_FILE, find_key(text, index, "language"))
                .help("give each label in your language in a [labels] table in guidepack.toml; the README lists them (section \"Labels\"); the shipped sets are en and cy"),
            );
        }
    }
    ok
}

/// Checks a file's `[brand]` and puts its logo as a path from the project root; whether it
/// is fine.
fn check_brand(
    file: &str,
    text: &str,
    index: &LineIndex,
    brand: &mut Brand,
    sources: &SourceSet,
    diagnostics: &mut Diagnostics,
) -> bool {
    let before = diagnostics.error_count();
    let at = |key: &str| find_table_key(text, index, "brand", key);
    for (key, value) in [
        ("logo", &brand.logo),
        ("logo_alt", &brand.logo_alt),
        ("organisation", &brand.organisation),
    ] {
        if value.as_ref().is_some_and(|v| v.trim().is_empty()) {
            diagnostics.push(empty_field(key, "[brand]").at(file, at(key)));
        }
    }
    if let Some(logo) = brand.logo.clone().filter(|l| !l.trim().is_empty()) {
        if brand.logo_alt.as_ref().is_none_or(|a| a.trim().is_empty()) {
            diagnostics.push(
                Diagnostic::error("the logo has no alt text")
                    .at(file, at("logo"))
                    .help("add `logo_alt = \"…\"` under [brand], saying what the logo shows, such as \"Northshire Safeguarding Children Partnership logo\": screen readers read it"),
            );
        }
        match crate::links::classify(&logo) {
            crate::links::LinkKind::Relative => match crate::sources::join_relative(file, &logo) {
                None => diagnostics.push(
                    Diagnostic::error(format!("the logo `{logo}` is outside the project"))
                        .at(file, at("logo"))
                        .help("copy the logo into the project folder, such as content/assets/logo.png, and give its path from this file"),
                ),
                Some(path) => match sources.bytes(&path) {
                    None if !sources.contains(&path) => diagnostics.push(
                        Diagnostic::error(format!("the logo `{logo}` does not exist"))
                            .at(file, at("logo"))
                            .help(format!("looked for {path}: the path is relative to the folder of {file}")),
                    ),
                    bytes if bytes.and_then(crate::render::picture::picture).is_none() => diagnostics.push(
                        Diagnostic::error(format!("the logo `{logo}` is not an image"))
                            .at(file, at("logo"))
                            .help("give a PNG, JPEG, GIF, WebP or SVG file"),
                    ),
                    _ => brand.logo = Some(path),
                },
            },
            _ => diagnostics.push(
                Diagnostic::error(format!("the logo `{}` is not a file in the project", crate::links::shorten(&logo)))
                    .at(file, at("logo"))
                    .help("save the logo in the project, such as content/assets/logo.png, and give its path from this file: a pack must work offline"),
            ),
        }
    }
    if let Some(colour) = &brand.colour {
        match crate::brand::parse_hex(colour.trim()) {
            None => diagnostics.push(
                Diagnostic::error(format!("`{colour}` is not a colour"))
                    .at(file, at("colour"))
                    .help(
                        "write the colour as `#` and six hexadecimal digits, such as \"#1d70b8\"",
                    ),
            ),
            Some(rgb) => {
                let (ratio, against) = crate::brand::weakest(rgb);
                if ratio < crate::brand::AA {
                    let shade = crate::brand::nearest_passing(rgb);
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "the colour `{colour}` has a contrast of only {} with {against}; text and links need at least 4.5:1",
                            crate::brand::ratio_display(ratio)
                        ))
                        .at(file, at("colour"))
                        .help(format!(
                            "the nearest shade of this colour that passes is \"{}\" ({} at the least): use it, or a darker one",
                            crate::brand::hex(shade),
                            crate::brand::ratio_display(crate::brand::weakest(shade).0)
                        )),
                    );
                } else {
                    brand.colour = Some(crate::brand::hex(rgb));
                }
            }
        }
    }
    diagnostics.error_count() == before
}

/// Whether `text` has the form of an email address: `name@host.tld`, no spaces.
pub(super) fn looks_like_email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(name, host)| {
        !name.is_empty()
            && host.contains('.')
            && !host.starts_with('.')
            && !host.ends_with('.')
            && !text
                .chars()
                .any(|c| c.is_whitespace() || c == '<' || c == '>')
            && !host.contains('@')
    })
}

/// The position of the first `key =` in a TOML text (for checks made after deserialising).
fn find_key(text: &str, index: &LineIndex, key: &str) -> Pos {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return index.pos(offset + line.len() - trimmed.len());
        }
        offset += line.len();
    }
    Pos::new(1, 1)
}

/// Where `key` is set in the table `[table]`: its line in that table, or else where
/// [`find_key`] finds it (an inline or dotted table).
fn find_table_key(text: &str, index: &LineIndex, table: &str, key: &str) -> Pos {
    let header = format!("[{table}]");
    let mut offset = 0;
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            inside = trimmed
                .split('#')
                .next()
                .is_some_and(|h| h.trim_end() == header);
        } else if inside
            && let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return index.pos(offset + line.len() - trimmed.len());
        }
        offset += line.len();
    }
    find_key(text, index, key)
}

fn is_semver(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    // The version names folders (`output/<version>/`, `releases/<version>/`): after the
    // numbers, only semver's letters, digits, dots and hyphens.
    let rest = &version[core.len()..];
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'))
        && !rest.contains("..")
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AreaFile {
    name: toml::Spanned<String>,
    #[serde(default)]
    tags: Vec<toml::Spanned<String>>,
    #[serde(default)]
    vars: BTreeMap<String, String>,
    #[serde(default, rename = "contact")]
    contacts: Vec<ContactFile>,
    #[serde(default)]
    brand: Brand,
    /// The area's edition of the national version (issue 15): default 1.
    revision: Option<toml::Spanned<i64>>,
    #[serde(default, rename = "change_note")]
    change_notes: Vec<ChangeNote>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactFile {
    role: Option<toml::Spanned<String>>,
    name: toml::Spanned<String>,
    email: Option<toml::Spanned<String>>,
    phone: Option<toml::Spanned<String>>,
}

/// Every `content/areas/<id>/area.toml` with the area's local sections, in id order.
pub(super) fn parse_areas(sources: &SourceSet, diagnostics: &mut Diagnostics) -> Vec<Area> {
    let mut areas = Vec::new();
    let folders: BTreeSet<&str> = sources
        .texts
        .keys()
        .chain(sources.binaries.keys())
        .filter_map(|p| {
            p.strip_prefix("content/areas/")?
                .split_once('/')
                .map(|(id, _)| id)
        })
        .collect();
    for id in folders {
        let file = format!("content/areas/{id}/area.toml");
        if !is_valid_id(id) {
            diagnostics.push(malformed_id("area", id).in_file(&file));
            continue;
        }
        let Some(text) = sources.text(&file) else {
            diagnostics.push(
                Diagnostic::error(format!(
                    "the area folder `content/areas/{id}` has no area.toml"
                ))
                .help(format!("create {file} with at least `name = \"…\"`")),
            );
            continue;
        };
        let Some(parsed) = from_toml::<AreaFile>(&file, text, diagnostics) else {
            continue;
        };
        let index = LineIndex::new(text);
        check_area_data(&file, &index, &parsed, diagnostics);
        let folder = format!("content/areas/{id}");
        let sections = sources
            .texts_in(&folder, ".md")
            .filter_map(|(path, text)| parse_chapter(path, text, diagnostics))
            .collect();
        let tags = area_tags(&file, &index, parsed.tags, diagnostics);
        let mut brand = parsed.brand;
        check_brand(&file, text, &index, &mut brand, sources, diagnostics);
        let revision = area_revision(&file, &index, parsed.revision.as_ref(), diagnostics);
        for note in &parsed.change_notes {
            if note.text.trim().is_empty() {
                diagnostics.push(
                    empty_field("text", "every change note")
                        .at(&file, find_key(text, &index, "text")),
                );
            }
        }
        areas.push(Area {
            revision,
            change_notes: parsed.change_notes,
            id: id.to_string(),
            name: parsed.name.into_inner(),
            tags,
            vars: parsed.vars,
            contacts: parsed
                .contacts
                .into_iter()
                .map(|c| Contact {
                    role: c.role.map(|r| located(&file, &index, r)),
                    name: c.name.into_inner(),
                    email: c.email.map(toml::Spanned::into_inner),
                    phone: c.phone.map(toml::Spanned::into_inner),
                })
                .collect(),
            brand,
            file,
            sections,
        });
    }
    areas
}

/// An area's `revision`: a whole number from 1 (1 when it is not given); an error at its
/// line otherwise (and 1 is used, so that checking goes on).
fn area_revision(
    file: &str,
    index: &LineIndex,
    revision: Option<&toml::Spanned<i64>>,
    diagnostics: &mut Diagnostics,
) -> u32 {
    let Some(revision) = revision else {
        return 1;
    };
    match u32::try_from(*revision.get_ref()) {
        Ok(n) if n >= 1 => n,
        _ => {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`revision = {}` is not a revision number",
                    revision.get_ref()
                ))
                .at(file, index.pos(revision.span().start))
                .help("an area's revision is a whole number from 1: 1 for its first edition of the national version, then 2, 3, … for each new release of the area"),
            );
            1
        }
    }
}

/// An area's `tags`: short words (letters, digits, `-`, `_`, `.`; no spaces, no colons), each
/// once; a tag that is not is reported and left out.
fn area_tags(
    file: &str,
    index: &LineIndex,
    tags: Vec<toml::Spanned<String>>,
    diagnostics: &mut Diagnostics,
) -> Vec<crate::model::Located<String>> {
    let mut kept: Vec<crate::model::Located<String>> = Vec::new();
    for tag in tags {
        let tag = located(file, index, tag);
        let t = tag.value.as_str();
        let fine = !t.is_empty()
            && t.chars().count() <= 40
            && t.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !fine {
            diagnostics.push(
                Diagnostic::error(format!("`{t}` cannot be a tag"))
                    .at(file, tag.pos)
                    .help("a tag is one short word, like `coastal` or `north-east`: letters, digits and `-`, with no spaces or colons (`::: area tag:coastal` names it)"),
            );
        } else if kept.iter().any(|k| k.value == t) {
            diagnostics.push(
                Diagnostic::error(format!("the tag `{t}` is given twice"))
                    .at(file, tag.pos)
                    .help("list each tag once"),
            );
        } else {
            kept.push(tag);
        }
    }
    kept
}

/// An area's required fields are filled in, and its contacts' mail addresses and telephone
/// numbers are written as such (so a link can safely be made of them).
fn check_area_data(file: &str, index: &LineIndex, area: &AreaFile, diagnostics: &mut Diagnostics) {
    require_text(file, index, &area.name, "name", "every area", diagnostics);
    for contact in &area.contacts {
        require_text(
            file,
            index,
            &contact.name,
            "name",
            "every contact",
            diagnostics,
        );
        super::contacts::check_contact(
            file,
            index,
            contact.email.as_ref(),
            contact.phone.as_ref(),
            diagnostics,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_languages() {
        assert!(is_semver("1.0.0"));
        assert!(is_semver("0.9.0-consultation"));
        assert!(!is_semver("1.0"));
        assert!(!is_semver("v1.0.0"));
        assert!(!is_semver("1.0.0-/../../x"));
        assert!(is_semver("1.0.0-rc.1+build-2"));
        assert!(is_language_tag("en-GB"));
        assert!(is_language_tag("cy"));
        assert!(!is_language_tag("english"));
    }
}
