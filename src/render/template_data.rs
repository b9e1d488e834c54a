//! The data every template sees, HTML and PDF alike: `pack`, `audience`, `area`, `brand` and
//! `labels` (the words guidepack writes itself, in the pack's language), under the same names in tera's context and in the PDF's `/guidepack/meta.json`.

use serde_json::{Value, json};

use crate::brand::Brand;
use crate::model::Config;
use crate::resolve::Pack;

/// How a template refers to the logo file.
#[derive(Clone, Copy)]
pub enum LogoRef {
    /// From a pack's page: its path under `content/`, copied into the pack's folder.
    Html,
    /// In the Typst world: `/` and its path in the project.
    Pdf,
}

/// The brand a pack is published under: its area's `[brand]` keys over the national ones.
pub fn pack_brand(config: &Config, pack: &Pack) -> Brand {
    match &pack.area {
        Some(area) => area.brand.over(&config.brand),
        None => config.brand.clone(),
    }
}

/// Where the logo's file goes in a pack's HTML folder (as chapter images go).
pub fn logo_file(path: &str) -> &str {
    path.strip_prefix("content/").unwrap_or(path)
}

/// `pack`: the pack's title, version (an area pack's edition, `1.0.0-kent.2`), the national
/// version it is of, date and the rest.
pub fn pack_value(config: &Config, pack: &Pack) -> Value {
    let info = &config.pack;
    json!({
        "title": info.title,
        "subtitle": info.subtitle,
        "publisher": info.publisher,
        "version": info.version,
        "national_version": info.national_version.as_ref().unwrap_or(&info.version),
        "date": info.date,
        "date_display": info.date_display(),
        "language": info.language,
        "dir": crate::model::direction(&info.language),
        "unreleased_since": info.unreleased_since,
        "reviewer_copy": pack.reviewer_copy,
    })
}

/// `labels`: every label by its key (`labels.contents`), placeholders such as `{version}` left
/// for the template to fill.
pub fn labels_value(config: &Config) -> Value {
    serde_json::to_value(&config.pack.labels).unwrap_or(Value::Null)
}

/// `audience`: id, name, description.
pub fn audience_value(pack: &Pack) -> Value {
    json!({
        "id": pack.audience.id,
        "name": pack.audience.name,
        "description": pack.audience.description,
    })
}

/// `area`: none for a national pack; else id, name, revision, tags, every var (`area.vars.<key>`, also
/// `area.<key>` when the key is none of the others), contacts and the area's own brand keys.
pub fn area_value(pack: &Pack) -> Value {
    let Some(area) = &pack.area else {
        return Value::Null;
    };
    let mut value = json!({
        "id": area.id,
        "name": area.name,
        "revision": area.revision,
        "tags": area.tags,
        "vars": area.vars,
        "contacts": area.contacts,
        "brand": area.brand,
    });
    if let Value::Object(map) = &mut value {
        for (key, text) in &area.vars {
            map.entry(key.clone()).or_insert_with(|| json!(text));
        }
    }
    value
}

/// `brand`: what the pack is published under (the area's keys over the national ones), with
/// the national organisation and, for an area with its own organisation, the "Published by"
/// line.
pub fn brand_value(config: &Config, pack: &Pack, logo: LogoRef) -> Value {
    let brand = pack_brand(config, pack);
    let national = config
        .brand
        .organisation
        .clone()
        .unwrap_or_else(|| config.pack.publisher.clone());
    let organisation = brand
        .organisation
        .clone()
        .unwrap_or_else(|| national.clone());
    let own = pack
        .area
        .as_ref()
        .and_then(|a| a.brand.organisation.as_ref());
    let labels = &config.pack.labels;
    let published_by = own.map(|own| {
        labels.fill(
            "published_by",
            &[("organisation", own), ("national", &national)],
        )
    });
    let logo_path = brand.logo.as_deref().map(|path| match logo {
        LogoRef::Html => logo_file(path).to_string(),
        LogoRef::Pdf => format!("/{path}"),
    });
    json!({
        "organisation": organisation,
        "national_organisation": national,
        "published_by": published_by,
        "logo": logo_path,
        "logo_alt": brand.logo.as_ref().and(brand.logo_alt.as_ref()),
        "colour": brand.colour,
    })
}
