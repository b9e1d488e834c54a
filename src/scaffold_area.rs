//! `guidepack new-area <id>`: a local area's folder that builds at once — an `area.toml` with
//! every `{{ area.<key> }}` the national text uses, and a file for every required local section.

use std::fs;
use std::path::Path;

use crate::check::required_local_sections;
use crate::diagnostic::Diagnostic;
use crate::doc::is_valid_id;
use crate::model::Project;
use crate::sources::SourceSet;

/// The files of a new area, by path relative to the project, in the order they are written.
pub fn area_files(id: &str, project: &Project, sources: &SourceSet) -> Vec<(String, String)> {
    let name = display_name(id);
    let folder = format!("content/areas/{id}");
    let mut files = vec![(
        format!("{folder}/area.toml"),
        area_toml(id, &name, project, sources),
    )];
    for (i, section) in required_local_sections(project).iter().enumerate() {
        let stem = if is_valid_id(&section.id) && section.id != "area" {
            section.id.clone()
        } else {
            format!("local-section-{}", i + 1)
        };
        let path = format!("{folder}/{stem}.md");
        if files.iter().all(|(p, _)| *p != path) {
            files.push((path, section.template(&name)));
        }
    }
    files
}

/// Writes a new area's folder into the project at `root`; refuses, touching nothing, when the
/// id is not an id or the folder exists. The files written, relative to the project.
pub fn new_area(
    root: &Path,
    id: &str,
    project: &Project,
    sources: &SourceSet,
) -> Result<Vec<String>, Diagnostic> {
    if !is_valid_id(id) {
        return Err(crate::parse::malformed_id("area", id));
    }
    let folder = root.join("content").join("areas").join(id);
    if folder.exists() || folder.symlink_metadata().is_ok() {
        return Err(Diagnostic::error(format!(
            "the area `{id}` already exists (content/areas/{id}/)"
        ))
        .help("`guidepack new-area` never writes over an area: choose another id, or edit the files in that folder"));
    }
    let cannot = |what: &str, path: &Path, err: std::io::Error| {
        Diagnostic::error(format!("cannot {what} `{}`: {err}", path.display()))
            .help("check that you may write in that folder and that the disk is not full")
    };
    let areas = root.join("content").join("areas");
    fs::create_dir_all(&areas).map_err(|e| cannot("create", &areas, e))?;
    // `create_dir` fails if the folder appeared meanwhile: an existing area is never written in.
    fs::create_dir(&folder).map_err(|e| cannot("create", &folder, e))?;
    let mut written = Vec::new();
    for (rel, text) in area_files(id, project, sources) {
        let path = root.join(&rel);
        if let Err(e) = fs::write(&path, text) {
            let _ = fs::remove_dir_all(&folder);
            return Err(cannot("write", &path, e));
        }
        written.push(rel);
    }
    Ok(written)
}

/// `north-kent` → `North Kent`: a first name for the area, to write over.
fn display_name(id: &str) -> String {
    id.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The keys of `{{ area.<key> }}` in the national chapters (not `id` or `name`), each once, in
/// reading order.
pub fn national_area_vars(project: &Project, sources: &SourceSet) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for chapter in &project.chapters {
        let Some(text) = sources.text(&chapter.file) else {
            continue;
        };
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            let after = &rest[open + 2..];
            let Some(close) = after.find("}}") else { break };
            if let Some(key) = after[..close].trim().strip_prefix("area.")
                && !matches!(key, "id" | "name")
                && !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
                && !keys.iter().any(|k| k == key)
            {
                keys.push(key.to_string());
            }
            rest = &after[close + 2..];
        }
    }
    keys
}

fn area_toml(id: &str, name: &str, project: &Project, sources: &SourceSet) -> String {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let key = |k: &str| {
        if k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        {
            k.to_string()
        } else {
            quote(k)
        }
    };
    let mut out = format!(
        "# The local area `{id}`, made by `guidepack new-area {id}`.\n\
         # Its packs: guidepack build --area {id}\n\n\
         # The area's name, as readers see it.\n\
         name = {}\n\n\
         # The area's edition of the national version: its packs are version\n\
         # {edition}. Raise it (2, 3…) for each new release of the area's own\n\
         # text, with a [[change_note]] (below) saying what changed.\n\
         # revision = 1\n",
        quote(name),
        edition = project.config.pack.version.area_edition(id, 1),
    );
    let vars = national_area_vars(project, sources);
    out.push_str("\n# The words the national text takes from each area: `{{ area.<key> }}`.\n");
    if vars.is_empty() {
        out.push_str("# The national text uses none yet.\n");
    } else {
        out.push_str(
            "# A key left as a comment keeps the national wording shown; remove the `#` and\n\
             # write this area's own words between the quotes.\n",
        );
    }
    out.push_str("[vars]\n");
    for k in &vars {
        match project.config.vars.get(k) {
            Some(national) => {
                out.push_str(&format!("# {} = {}\n", key(k), quote(national)));
            }
            None => {
                out.push_str(&format!(
                    "# No national wording: every area writes its own.\n{} = {}\n",
                    key(k),
                    quote(&format!("(to be written: {k})"))
                ));
            }
        }
    }
    let role = project
        .framework
        .roles
        .first()
        .map_or("designated-nurse", |r| r.id.value.as_str());
    out.push_str(&format!(
        "\n# The area's contacts, one [[contact]] each; `role` is optional and is one of the\n\
         # framework's role ids. Write telephone numbers in quotes.\n\
         # [[contact]]\n\
         # role = {}\n\
         # name = \"Jo Example\"\n\
         # email = \"jo.example@example.org\"\n\
         # phone = \"01234 567890\"\n",
        quote(role)
    ));
    out.push_str(&format!(
        "\n# The brand the area publishes under (any key left out is the national one):\n\
         # the logo (an image in the area's folder) with its alt text, the publishing\n\
         # body's name, and an accent colour that keeps 4.5:1 contrast with white.\n\
         # [brand]\n\
         # logo = \"logo.png\"\n\
         # logo_alt = \"{name} Safeguarding Children Partnership logo\"\n\
         # organisation = \"{name} Safeguarding Children Partnership\"\n\
         # colour = \"#1d70b8\"\n\
         \n# What changed in each of the area's editions, shown in its packs' summary of changes.\n\
         # [[change_note]]\n\
         # version = {}\n\
         # text = \"First {name} edition of the national guidance.\"\n",
        quote(project.config.pack.version.area_edition(id, 1).as_str()),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_ids() {
        assert_eq!(display_name("north-kent"), "North Kent");
        assert_eq!(display_name("kent2"), "Kent2");
    }
}
