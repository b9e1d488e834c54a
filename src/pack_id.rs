//! Which pack: an audience, nationally or in one local area; and the one rule for its folder
//! under `output/<version>/` (`providers`, `areas/<id>/providers`). The reviewer's copy is one
//! more pack, [`PackId::review`], in `review/`.

use std::fmt;

/// The identity of a pack.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PackId {
    /// The audience id.
    pub audience: String,
    /// The local area's id; `None` for the national pack.
    pub area: Option<String>,
}

/// The folder of the reviewer's copy (`output/<version>/review/`), also its audience id in
/// the manifest. A project with an audience of this id has no reviewer's copy.
pub const REVIEW: &str = "review";

impl PackId {
    /// The reviewer's copy: every audience's and area's text in one pack.
    pub fn review() -> Self {
        PackId::new(REVIEW, None)
    }

    /// Whether this names the reviewer's copy's folder (or an audience of that id: a project
    /// that has one is refused a reviewer's copy).
    pub fn is_review(&self) -> bool {
        self.area.is_none() && self.audience == REVIEW
    }

    pub fn new(audience: &str, area: Option<&str>) -> Self {
        PackId {
            audience: audience.to_string(),
            area: area.map(str::to_string),
        }
    }

    /// The pack's folder under `output/<version>/`: `providers` or `areas/<id>/providers`.
    pub fn dir(&self) -> String {
        match &self.area {
            None => self.audience.clone(),
            Some(area) => format!("areas/{area}/{}", self.audience),
        }
    }
}

impl fmt::Display for PackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dir())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_folder_is_its_audience_under_its_area() {
        assert_eq!(PackId::new("providers", None).dir(), "providers");
        assert_eq!(
            PackId::new("providers", Some("northshire")).to_string(),
            "areas/northshire/providers"
        );
    }
}
