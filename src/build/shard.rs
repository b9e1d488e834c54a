//! Shards: one machine's share of a build, so that n machines (a CI matrix) make a build's packs
//! together. Every machine computes the same shares from the same sources: each selected pack
//! is weighed by the size of its resolved text (a PDF's layout time grows with its pages, and its
//! pages with its text), and the packs are dealt out heaviest first, each to the share that is
//! lightest so far (longest processing time first), ties broken by pack and by shard. Nothing
//! local to a machine (its cache, its clock, its number of cores) enters the weights: a share
//! computed from such a record could differ between two machines of one matrix, and a pack
//! would then be made twice or not at all.
//!
//! A shard's folder holds the version folder of its packs with a partial manifest, and
//! [`ShardRecord`] (`shard.json`): which shard of how many, of which sources, by which
//! guidepack, and every pack of the whole selection, so that `guidepack merge` can tell a
//! complete set of shards from a wrong one.

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::sink::Sink;
use super::{Loaded, Plan, run};
use crate::diagnostic::Diagnostic;
use crate::hash::sha256_hex;
use crate::output::PackFiles;
use crate::pack_id::PackId;
use crate::render::Registry;
use crate::resolve::Pack;
use crate::sources::SourceSet;

/// What `shard.json` starts with, so that a file of another kind is never read as one.
const FORMAT: &str = "guidepack-shard/1";

/// Shard `index` of `count` (both from 1: `--shard 3/8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

/// The most shards a build may be split into: more than any CI matrix allows (GitHub's has
/// 256 jobs), few enough that a mistyped count is caught.
pub const MOST: usize = 1000;

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let wrong = || {
            format!("`{text}` is not a shard: write `<i>/<n>`, like `3/8` for the third of eight")
        };
        let (index, count) = text.split_once('/').ok_or_else(wrong)?;
        let index: usize = index.trim().parse().map_err(|_| wrong())?;
        let count: usize = count.trim().parse().map_err(|_| wrong())?;
        if count == 0 || count > MOST {
            return Err(format!(
                "`{text}`: the number of shards must be from 1 to {MOST}"
            ));
        }
        if index == 0 || index > count {
            return Err(format!(
                "`{text}`: shards are numbered from 1 to {count}, so the first number must be one of those"
            ));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// The default folder of a shard's output, under the project: `shards/3-of-8`.
    pub fn folder(&self) -> String {
        format!("shards/{}-of-{}", self.index, self.count)
    }
}

/// `shard.json`: what one shard made, and of what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardRecord {
    /// Always [`FORMAT`].
    pub format: String,
    /// `guidepack 0.5.0`, for messages.
    pub generator: String,
    /// Which build of guidepack made it (its code, templates and locked dependencies): only
    /// shards made by the same one give the bytes of a single build.
    pub build: String,
    pub shard: usize,
    pub of: usize,
    /// The version folder the shard's packs are in (`1.0.0`, `1.0.0+unreleased`).
    pub version: String,
    /// [`sources_hash`] of the project the shard was made from.
    pub sources: String,
    /// The formats made, by name; empty when every format was.
    pub formats: Vec<String>,
    /// Whether it is a share of `guidepack release` (with the text of its packs in
    /// `snapshot.json`) rather than of `guidepack build`.
    pub release: bool,
    /// Every pack of the selection, in build order, by folder.
    pub selection: Vec<String>,
    /// This shard's packs, by folder.
    pub packs: Vec<String>,
}

impl ShardRecord {
    /// The record of one shard of a build of `selection` from `loaded`.
    pub fn new(
        loaded: &Loaded,
        shard: Shard,
        formats: &[String],
        release: bool,
        selection: &[PackId],
        packs: &[PackId],
    ) -> ShardRecord {
        ShardRecord {
            format: FORMAT.to_string(),
            generator: crate::release::generator(),
            build: build_id().to_string(),
            shard: shard.index,
            of: shard.count,
            version: loaded.output_version().to_string(),
            sources: sources_hash(&loaded.sources),
            formats: formats.to_vec(),
            release,
            selection: selection.iter().map(PackId::dir).collect(),
            packs: packs.iter().map(PackId::dir).collect(),
        }
    }

    /// Reads a record; what is wrong with it, in plain words.
    pub fn parse(bytes: &[u8]) -> Result<ShardRecord, String> {
        let value: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|err| format!("it is not a shard's record ({err})"))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(format!(
                "it is not a shard's record of this guidepack (it does not start with \"format\": \"{FORMAT}\")"
            ));
        }
        serde_json::from_value(value).map_err(|err| format!("it is damaged: {err}"))
    }

    pub fn to_json(&self) -> Vec<u8> {
        crate::release::pretty_json(self)
    }
}

/// Which build of guidepack this is (see `build.rs`).
pub fn build_id() -> &'static str {
    env!("GUIDEPACK_BUILD_ID")
}

/// One hash of every input file of a project (the files a release record lists), to tell
/// whether two shards were made from the same sources.
pub fn sources_hash(sources: &SourceSet) -> String {
    let inputs = crate::release::input_hashes(sources);
    let mut text = String::new();
    for (path, sha) in &inputs {
        let _ = writeln!(text, "{sha}  {path}");
    }
    sha256_hex(text.as_bytes())
}

/// This shard's packs of `packs`, in their order: the same on every machine for the same
/// sources (see the module's text).
pub fn share(loaded: &Loaded, registry: &Registry, packs: &[PackId], shard: Shard) -> Vec<PackId> {
    let weights = weigh(loaded, registry, packs);
    let owners = deal(&weights, shard.count);
    (packs.iter().zip(owners))
        .filter(|(_, owner)| *owner + 1 == shard.index)
        .map(|(id, _)| id.clone())
        .collect()
}

/// Each pack's expected cost: the length of its resolved text (its `Debug` form, counted as it
/// is written, never held). A pack that does not resolve weighs nothing (its shard reports it).
fn weigh(loaded: &Loaded, registry: &Registry, packs: &[PackId]) -> Vec<u64> {
    let plan = Plan::resolving(packs.to_vec());
    let mut weights = Weights::default();
    run(loaded, &plan, registry, &mut weights);
    packs
        .iter()
        .map(|id| weights.found.get(id).copied().unwrap_or(0))
        .collect()
}

/// Weighs each pack handed over.
#[derive(Default)]
struct Weights {
    found: HashMap<PackId, u64>,
}

impl Sink for Weights {
    fn add(&mut self, pack: &Pack, _files: PackFiles) -> Result<(), Diagnostic> {
        let mut counter = Counter(0);
        let _ = write!(counter, "{pack:?}");
        self.found.insert(pack.id(), counter.0);
        Ok(())
    }
}

struct Counter(u64);

impl fmt::Write for Counter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len() as u64;
        Ok(())
    }
}

/// Deals items of these weights out to `count` shares, heaviest first, each to the lightest
/// share so far (the first of equals); equal weights go in their order. Each item's share
/// (from 0).
pub fn deal(weights: &[u64], count: usize) -> Vec<usize> {
    let count = count.max(1);
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| weights[b].cmp(&weights[a]).then(a.cmp(&b)));
    let mut loads = vec![0u64; count];
    let mut owners = vec![0; weights.len()];
    for item in order {
        let lightest = (0..count).min_by_key(|&s| (loads[s], s)).unwrap_or(0);
        // Every item costs something beyond its text (its pages' frame, its files).
        loads[lightest] += weights[item] + 1;
        owners[item] = lightest;
    }
    owners
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_read_as_i_of_n() {
        assert_eq!("3/8".parse(), Ok(Shard { index: 3, count: 8 }));
        assert!("0/8".parse::<Shard>().unwrap_err().contains("from 1 to 8"));
        assert!("9/8".parse::<Shard>().is_err());
        assert!("1/0".parse::<Shard>().is_err());
        assert!("3".parse::<Shard>().unwrap_err().contains("`<i>/<n>`"));
        assert!("a/b".parse::<Shard>().is_err());
        assert_eq!(Shard { index: 3, count: 8 }.folder(), "shards/3-of-8");
    }

    #[test]
    fn the_heaviest_packs_are_dealt_first_to_the_lightest_share() {
        // 10 and 9 open two shares; 5 joins the 9 (lighter), 4 the 10, then 1 and 1.
        let owners = deal(&[5, 10, 1, 9, 4, 1], 2);
        assert_eq!(owners, vec![1, 0, 0, 1, 0, 1]);
        let load = |s| {
            (owners.iter().zip([5, 10, 1, 9, 4, 1]))
                .filter(|(o, _)| **o == s)
                .map(|(_, w)| w)
                .sum::<u64>()
        };
        assert_eq!((load(0), load(1)), (15, 15));
        // More shares than packs: the rest are empty; one share takes everything.
        assert_eq!(deal(&[3, 3], 4), vec![0, 1]);
        assert_eq!(deal(&[3, 1, 2], 1), vec![0, 0, 0]);
        assert_eq!(deal(&[], 3), Vec::<usize>::new());
    }
}
