//! A pack's version (`1.0.0`, `1.0.0-rc.1`), and the version of an unreleased working copy of
//! a released one (`1.0.0+unreleased`, also its output folder): ordered as semver orders them.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// What a working copy's version and folder end with: semver build metadata, so that
/// `1.0.0+unreleased` reads "1.0.0 plus unreleased changes" and is never newer than a release.
const UNRELEASED: &str = "+unreleased";

/// A version as written in `guidepack.toml`, a manifest or a release record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Version(String);

impl Version {
    pub fn new(text: impl Into<String>) -> Self {
        Version(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What versions are ordered by: `1.10.0` after `1.9.0`, a pre-release before its
    /// release; build metadata (`+unreleased`) does not count, as in semver.
    pub fn key(&self) -> (Vec<u64>, bool, String) {
        key(&self.0)
    }

    /// The version (and folder name) of the unreleased working copy of this version.
    pub fn working_copy(&self) -> Version {
        Version(format!("{}{UNRELEASED}", self.0))
    }

    /// An area's edition of this national version: `1.0.0` with area `kent`, revision 2, is
    /// `1.0.0-kent.2`; a working copy's `1.0.0+unreleased` is `1.0.0-kent.2+unreleased`
    /// (semver build metadata stays last). A pre-release keeps its identifiers:
    /// `1.0.0-rc.1-kent.2`.
    pub fn area_edition(&self, area: &str, revision: u32) -> Version {
        let (core, build) = match self.0.split_once('+') {
            Some((core, build)) => (core, format!("+{build}")),
            None => (self.0.as_str(), String::new()),
        };
        Version(format!("{core}-{area}.{revision}{build}"))
    }

    /// The area whose edition this version is, when it reads `<national>-<area>.<revision>`
    /// (build metadata aside): `1.0.0-kent.2` gives `kent`. A national pre-release such as
    /// `1.0.0-rc.1` reads the same way, so callers also look at what the version holds (see
    /// `output::Manifest::area_edition`).
    pub fn edition_area(&self) -> Option<&str> {
        let core = self.0.split_once('+').map_or(self.0.as_str(), |(v, _)| v);
        let (_, last) = core.split_once('-')?;
        let last = last.rsplit_once('-').map_or(last, |(_, l)| l);
        let (area, revision) = last.split_once('.')?;
        let numeric = !revision.is_empty() && revision.bytes().all(|b| b.is_ascii_digit());
        (numeric && !area.is_empty()).then_some(area)
    }

    /// The national version an area edition belongs to: `1.0.0-kent.2` (area `kent`) gives
    /// `1.0.0`; `None` when this is not an edition of that area.
    pub fn national_of_edition(&self, area: &str) -> Option<Version> {
        let (core, build) = match self.0.split_once('+') {
            Some((core, build)) => (core, format!("+{build}")),
            None => (self.0.as_str(), String::new()),
        };
        let (national, revision) = core.rsplit_once(&format!("-{area}."))?;
        let numeric = !revision.is_empty() && revision.bytes().all(|b| b.is_ascii_digit());
        numeric.then(|| Version(format!("{national}{build}")))
    }

    /// The released version a working copy's version or folder stems from; `None` for a
    /// version itself.
    pub fn unreleased_since(&self) -> Option<Version> {
        unreleased_since(&self.0).map(Version::new)
    }
}

/// The ordering key of a version written as text (see [`Version::key`]).
pub fn key(version: &str) -> (Vec<u64>, bool, String) {
    let version = version.split_once('+').map_or(version, |(v, _)| v);
    let (core, pre) = version.split_once('-').unwrap_or((version, ""));
    let numbers = core.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    (numbers, pre.is_empty(), pre_release_key(pre))
}

/// A pre-release's identifiers as one string that sorts as semver orders them: numeric
/// identifiers by value and before words (`kent.2` before `kent.10`), a shorter list first.
fn pre_release_key(pre: &str) -> String {
    if pre.is_empty() {
        return String::new();
    }
    pre.split('.')
        .map(|id| match id.parse::<u64>() {
            Ok(n) if !id.is_empty() => format!("\u{1}0{n:020}"),
            _ => format!("\u{1}1{id}"),
        })
        .collect()
}

/// The released version a working copy's folder name stems from (see
/// [`Version::unreleased_since`]).
pub fn unreleased_since(folder: &str) -> Option<&str> {
    folder.strip_suffix(UNRELEASED)
}

impl Deref for Version {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Version {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<std::path::Path> for Version {
    fn as_ref(&self) -> &std::path::Path {
        std::path::Path::new(&self.0)
    }
}

impl AsRef<std::ffi::OsStr> for Version {
    fn as_ref(&self) -> &std::ffi::OsStr {
        std::ffi::OsStr::new(&self.0)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Version {
    fn from(text: &str) -> Self {
        Version::new(text)
    }
}

impl From<String> for Version {
    fn from(text: String) -> Self {
        Version(text)
    }
}

impl PartialEq<str> for Version {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Version {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Version {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

#[cfg(test)]
mod area_edition_tests {
    use super::Version;

    #[test]
    fn an_edition_names_its_area_and_national_version() {
        let v = Version::new("1.0.0-kent.2");
        assert_eq!(v.edition_area(), Some("kent"));
        assert_eq!(v.national_of_edition("kent"), Some(Version::new("1.0.0")));
        assert_eq!(v.national_of_edition("north"), None);
        assert_eq!(Version::new("1.0.0").edition_area(), None);
        assert_eq!(
            Version::new("1.0.0-rc.1-kent.3").national_of_edition("kent"),
            Some(Version::new("1.0.0-rc.1"))
        );
        assert!(Version::new("1.0.0-kent.10").key() > Version::new("1.0.0-kent.9").key());
        assert!(Version::new("1.0.0-kent.2").key() < Version::new("1.0.0").key());
    }

    #[test]
    fn area_editions() {
        let v = Version::new("1.0.0");
        assert_eq!(v.area_edition("kent", 2), "1.0.0-kent.2");
        assert_eq!(
            v.working_copy().area_edition("kent", 1),
            "1.0.0-kent.1+unreleased"
        );
        assert_eq!(
            Version::new("1.0.0-rc.1").area_edition("kent", 3),
            "1.0.0-rc.1-kent.3"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_ordered_as_semver_orders_them() {
        let v = |s: &str| Version::new(s).key();
        assert!(v("1.10.0") > v("1.9.0"));
        assert!(v("1.0.0-rc.1") < v("1.0.0"));
        assert_eq!(v("1.0.0+unreleased"), v("1.0.0"));
    }

    #[test]
    fn a_working_copy_names_its_release() {
        let copy = Version::new("1.0.0").working_copy();
        assert_eq!(copy, "1.0.0+unreleased");
        assert_eq!(copy.unreleased_since(), Some(Version::new("1.0.0")));
        assert_eq!(Version::new("1.0.0").unreleased_since(), None);
        assert_eq!(
            unreleased_since("1.0.0-rc.1+unreleased"),
            Some("1.0.0-rc.1")
        );
    }
}
