//! Change classification: what a changed file is (chapter, data, area, template, config,
//! asset) and so which stages re-run and which packs a rebuild must redo.

use std::collections::BTreeSet;

use crate::sources::{CONFIG_FILE, is_ignored};

/// What kind of project file changed (Zola's `ChangeKind`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// `guidepack.toml`: the whole project is parsed again and every pack rebuilt.
    Config,
    /// A chapter, `content/*.md`: that chapter alone is parsed again; the packs of its
    /// audiences are rebuilt.
    Chapter,
    /// Framework data, the glossary, release records or another data file: the project is
    /// parsed again and every pack rebuilt.
    Data,
    /// A file of one local area, `content/areas/<id>/…`: that area's packs only. An empty id
    /// (the `content/areas` folder itself) stands for every area.
    Area(String),
    /// An HTML or PDF template: every pack is rendered again (nothing is parsed).
    Template,
    /// An image or other file under `content/`: every pack is rendered again.
    Asset,
}

impl ChangeKind {
    /// The word the terminal shows for it.
    pub fn label(&self) -> &'static str {
        match self {
            ChangeKind::Config => "configuration",
            ChangeKind::Chapter => "chapter",
            ChangeKind::Data => "data",
            ChangeKind::Area(_) => "area",
            ChangeKind::Template => "template",
            ChangeKind::Asset => "asset",
        }
    }

    /// Whether the project model must be parsed again from every file.
    pub fn needs_full_parse(&self) -> bool {
        matches!(
            self,
            ChangeKind::Config | ChangeKind::Data | ChangeKind::Area(_)
        )
    }
}

/// A changed path (project-relative, `/` separators) and what it is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub path: String,
    pub kind: ChangeKind,
}

/// Classifies a project-relative path; `None` when it is not part of the project (output,
/// editors' temporary files, hidden files, anything outside the project's folders).
pub fn classify(path: &str) -> Option<ChangeKind> {
    if path.is_empty() || path.split('/').any(is_ignored) {
        return None;
    }
    if path == CONFIG_FILE {
        return Some(ChangeKind::Config);
    }
    let (top, rest) = path.split_once('/').unwrap_or((path, ""));
    match top {
        "templates" => Some(ChangeKind::Template),
        "releases" => Some(ChangeKind::Data),
        "content" => Some(classify_content(rest)),
        _ => None,
    }
}

/// A path under `content/` (without the `content/` prefix; empty for the folder itself).
fn classify_content(rest: &str) -> ChangeKind {
    if rest.is_empty() || rest == "framework" {
        return ChangeKind::Data;
    }
    if rest == "areas" {
        return ChangeKind::Area(String::new());
    }
    if let Some(area) = rest.strip_prefix("areas/") {
        let id = area.split('/').next().unwrap_or(area);
        return ChangeKind::Area(id.to_string());
    }
    if !rest.contains('/') && rest.ends_with(".md") {
        return ChangeKind::Chapter;
    }
    if rest.ends_with(".toml") || rest.starts_with("framework/") {
        return ChangeKind::Data;
    }
    ChangeKind::Asset
}

/// The changes of a batch of touched paths, sorted, each path once; paths that are not part
/// of the project are left out, and so is a folder when a path under it is in the batch (its
/// files say more).
pub fn classify_all<'a>(paths: impl IntoIterator<Item = &'a String>) -> Vec<Change> {
    let paths: BTreeSet<&String> = paths.into_iter().collect();
    let set: BTreeSet<Change> = paths
        .iter()
        .filter(|path| {
            let prefix = format!("{path}/");
            !paths.iter().any(|other| other.starts_with(&prefix))
        })
        .filter_map(|path| {
            classify(path).map(|kind| Change {
                path: path.to_string(),
                kind,
            })
        })
        .collect();
    set.into_iter().collect()
}

/// Which packs a rebuild must redo.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Affected {
    /// None yet.
    #[default]
    Nothing,
    /// These packs, by folder (`providers`, `areas/<id>/providers`).
    Packs(BTreeSet<crate::pack_id::PackId>),
    /// Every pack of the selection.
    Every,
}

impl Affected {
    pub fn add(&mut self, dir: crate::pack_id::PackId) {
        match self {
            Affected::Every => {}
            Affected::Packs(dirs) => {
                dirs.insert(dir);
            }
            Affected::Nothing => *self = Affected::Packs(BTreeSet::from([dir])),
        }
    }

    pub fn merge(&mut self, other: Affected) {
        match other {
            Affected::Nothing => {}
            Affected::Every => *self = Affected::Every,
            Affected::Packs(dirs) => dirs.into_iter().for_each(|d| self.add(d)),
        }
    }

    pub fn contains(&self, dir: &crate::pack_id::PackId) -> bool {
        match self {
            Affected::Nothing => false,
            Affected::Packs(dirs) => dirs.contains(dir),
            Affected::Every => true,
        }
    }

    pub fn is_nothing(&self) -> bool {
        matches!(self, Affected::Nothing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_where_they_live() {
        let cases = [
            ("guidepack.toml", Some(ChangeKind::Config)),
            ("content/01-intro.md", Some(ChangeKind::Chapter)),
            ("content/glossary.toml", Some(ChangeKind::Data)),
            ("content/framework/roles.toml", Some(ChangeKind::Data)),
            ("content/framework", Some(ChangeKind::Data)),
            ("releases/1.0.0/record.json", Some(ChangeKind::Data)),
            (
                "content/areas/northshire/area.toml",
                Some(ChangeKind::Area("northshire".into())),
            ),
            (
                "content/areas/northshire/local.md",
                Some(ChangeKind::Area("northshire".into())),
            ),
            (
                "content/areas/northshire",
                Some(ChangeKind::Area("northshire".into())),
            ),
            ("content/areas", Some(ChangeKind::Area(String::new()))),
            ("templates/html/base.html", Some(ChangeKind::Template)),
            ("templates/pdf/pack.typ", Some(ChangeKind::Template)),
            ("content/assets/dot.png", Some(ChangeKind::Asset)),
            ("output/1.0.0/providers/index.html", None),
            ("content/.01-intro.md.swp", None),
            ("content/01-intro.md~", None),
            ("content/.hidden/x.md", None),
            ("README.md", None),
            ("target/debug/guidepack", None),
        ];
        for (path, kind) in cases {
            assert_eq!(classify(path), kind, "{path}");
        }
    }

    #[test]
    fn a_batch_lists_each_change_once() {
        let paths = [
            "content/02-b.md".to_string(),
            "content/02-b.md~".to_string(),
            "output/index.html".to_string(),
            "guidepack.toml".to_string(),
            "content/areas".to_string(),
            "content/areas/x".to_string(),
            "content/areas/x/area.toml".to_string(),
        ];
        let changes = classify_all(&paths);
        assert_eq!(
            changes.iter().map(|c| c.path.as_str()).collect::<Vec<_>>(),
            [
                "content/02-b.md",
                "content/areas/x/area.toml",
                "guidepack.toml"
            ]
        );
    }

    #[test]
    fn affected_packs_accumulate() {
        let mut affected = Affected::default();
        assert!(affected.is_nothing());
        let pack = |audience: &str, area: Option<&str>| crate::pack_id::PackId::new(audience, area);
        affected.add(pack("providers", None));
        affected.merge(Affected::Packs(BTreeSet::from([pack(
            "providers",
            Some("x"),
        )])));
        assert!(
            affected.contains(&pack("providers", Some("x")))
                && !affected.contains(&pack("commissioners", None))
        );
        affected.merge(Affected::Every);
        assert!(affected.contains(&pack("commissioners", None)));
    }
}
