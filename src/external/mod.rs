//! `check --external`: every web address in the text (links in chapters, local sections,
//! footnotes and captions) and in the data (each statute's `url`) tried once, a few at a time,
//! and each place where a broken one is written reported as a warning. Results are kept for a
//! day ([`cache`]); the requests are made by [`probe`]. Nothing else in guidepack goes online.

mod cache;
mod probe;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Pos, shown};
use crate::doc::Target;
use crate::links::{LinkKind, classify, normalise};
use crate::model::Project;

pub use cache::{CACHE_FILE, KEEP_SECONDS};

/// How many addresses are tried at once.
pub const AT_ONCE: usize = 8;

/// How long one request may take, from the name look-up to the answer, unless
/// `GUIDEPACK_EXTERNAL_TIMEOUT_MS` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The environment variable that sets the timeout in milliseconds (for tests, and for slow
/// connections).
pub const TIMEOUT_VARIABLE: &str = "GUIDEPACK_EXTERNAL_TIMEOUT_MS";

/// One place where a web address is written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub file: String,
    pub pos: Pos,
    /// The address as written there (with any `#part`).
    pub written: String,
}

/// Tries every web address of the project and reports each place of a broken one; returns a
/// line for the summary.
pub fn check_external(
    root: &Path,
    project: &Project,
    sources: &BTreeMap<String, String>,
    diagnostics: &mut Diagnostics,
) -> String {
    let addresses = collect(project, sources);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let cached = cache::load(root, now);
    let to_try: Vec<&str> = addresses
        .keys()
        .filter(|a| !cached.contains_key(*a))
        .map(String::as_str)
        .collect();
    let tried = try_all(&to_try, timeout(), now);
    // This computer offline: one warning, not one per address.
    let offline = !tried.is_empty() && tried.values().all(|(_, ours)| *ours);
    if offline {
        let (checked, _) = tried.values().next().expect("not empty");
        diagnostics.push(offline_warning(checked, tried.len()));
    }
    let mut results = BTreeMap::new();
    let mut kept = BTreeMap::new();
    for address in addresses.keys() {
        if let Some((checked, ours)) = tried.get(address) {
            results.insert(address.clone(), checked.clone());
            if !ours {
                kept.insert(address.clone(), checked.clone());
            }
        } else if let Some(checked) = cached.get(address) {
            results.insert(address.clone(), checked.clone());
            kept.insert(address.clone(), checked.clone());
        }
    }
    let (mut broken, mut not_reached) = (0, 0);
    for (address, places) in &addresses {
        let Some(problem) = results.get(address).and_then(|r| r.problem.as_ref()) else {
            continue;
        };
        if tried.get(address).is_some_and(|(_, ours)| *ours) {
            not_reached += 1;
        } else {
            broken += 1;
        }
        if offline && tried.contains_key(address) {
            continue;
        }
        let from_cache = cached.get(address).map(|c| c.checked_at);
        diagnostics.extend(report(places, problem, from_cache));
    }
    let mut line = format!(
        "external links: {} tried, {} from the last day's results, {} broken",
        counted(to_try.len(), "address", "addresses"),
        addresses.len() - to_try.len(),
        broken
    );
    if not_reached > 0 {
        line.push_str(&format!(", {not_reached} not reached from this computer"));
    }
    // Nothing new to keep, nothing written (a project without web addresses gets no cache).
    if !tried.values().any(|(_, ours)| !ours) {
        return line;
    }
    if let Err(err) = cache::save(root, &kept) {
        line.push_str(&format!(
            " (the results could not be kept in `{CACHE_FILE}`: {err})"
        ));
    }
    line
}

/// The warning for a run in which no address could be tried because this computer could not
/// reach the network.
fn offline_warning(example: &cache::Checked, count: usize) -> Diagnostic {
    let why = example.problem.as_deref().unwrap_or_default();
    Diagnostic::warning(format!(
        "none of the {} could be tried: this computer seems to be offline",
        counted(count, "web address", "web addresses")
    ))
    .help(format!("connect to the internet and run `guidepack check --external` again (these results are not kept); the first failure: {why}"))
}

fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The timeout of one request: `GUIDEPACK_EXTERNAL_TIMEOUT_MS` when it is a number of
/// milliseconds from 1 to 600 000, else [`DEFAULT_TIMEOUT`].
fn timeout() -> Duration {
    std::env::var(TIMEOUT_VARIABLE)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| (1..=600_000).contains(ms))
        .map_or(DEFAULT_TIMEOUT, Duration::from_millis)
}

/// Tries each address once, [`AT_ONCE`] at a time: what was found, and whether a failure may
/// be this computer's rather than the site's.
fn try_all(
    addresses: &[&str],
    timeout: Duration,
    now: u64,
) -> BTreeMap<String, (cache::Checked, bool)> {
    let prober = probe::Prober::new(timeout);
    let next = AtomicUsize::new(0);
    let results = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..AT_ONCE.min(addresses.len()) {
            scope.spawn(|| {
                while let Some(address) = addresses.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let failure = prober.probe(address).err();
                    let ours = failure.as_ref().is_some_and(|f| f.ours);
                    let checked = cache::Checked {
                        checked_at: now,
                        problem: failure.map(|f| f.words),
                    };
                    let mut results = results.lock().unwrap_or_else(|e| e.into_inner());
                    results.insert(address.to_string(), (checked, ours));
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// A warning at each place where a broken address is written, naming the others.
fn report(places: &[Place], problem: &str, from_cache: Option<u64>) -> Vec<Diagnostic> {
    const NAMED: usize = 10;
    places
        .iter()
        .map(|place| {
            let others: Vec<String> = places
                .iter()
                .filter(|p| *p != place)
                .map(|p| format!("{}:{}:{}", shown(&p.file), p.pos.line, p.pos.col))
                .collect();
            let mut help =
                "correct the address, or use the address the page has moved to"
                    .to_string();
            if !others.is_empty() {
                let mut list = others.iter().take(NAMED).cloned().collect::<Vec<_>>().join(", ");
                if others.len() > NAMED {
                    list.push_str(&format!(" and {} more", others.len() - NAMED));
                }
                help.push_str(&format!("; the same address is also used at {list}"));
            }
            if let Some(at) = from_cache {
                let when = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(at));
                help.push_str(&format!(
                    " (this result is from {when}: results are kept for a day in `{CACHE_FILE}`; delete that file to try again now)"
                ));
            }
            Diagnostic::warning(format!(
                "the web address `{}` does not work: {problem}",
                shown(&place.written)
            ))
            .at(&place.file, place.pos)
            .help(help)
        })
        .collect()
}

/// Every web address of the project, by the address tried (without its `#part`), with the
/// places where it is written in file and position order. `mailto:` and `tel:` addresses are
/// not web pages and are left out, and so is an address made with a variable (`{{ … }}`),
/// whose value depends on the pack.
pub fn collect(
    project: &Project,
    sources: &BTreeMap<String, String>,
) -> BTreeMap<String, Vec<Place>> {
    let mut found = Found::default();
    let chapters = project.texts();
    for chapter in chapters {
        chapter.visit_links(&mut |link| {
            if let Target::Written(dest) = &link.target {
                found.add(&chapter.file, link.pos, dest);
            }
        });
    }
    statute_addresses(sources, &mut found);
    for places in found.addresses.values_mut() {
        places.sort();
        places.dedup();
    }
    found.addresses
}

#[derive(Default)]
struct Found {
    addresses: BTreeMap<String, Vec<Place>>,
}

impl Found {
    fn add(&mut self, file: &str, pos: Pos, dest: &str) {
        let written = normalise(dest);
        if classify(&written) != LinkKind::Web || written.contains("{{") {
            return;
        }
        let address = match written.split_once('#') {
            Some((page, _)) => page.to_string(),
            None => written.clone(),
        };
        self.addresses.entry(address).or_default().push(Place {
            file: file.to_string(),
            pos,
            written,
        });
    }
}

/// The `url` of every statute, where it is written in `content/framework/*.toml` (the model
/// keeps the address but not its place, so the files are read again for the places; a file
/// that does not read was reported when the project was loaded).
fn statute_addresses(sources: &BTreeMap<String, String>, found: &mut Found) {
    #[derive(Deserialize)]
    struct Data {
        #[serde(default)]
        statute: Vec<StatuteUrl>,
    }
    #[derive(Deserialize)]
    struct StatuteUrl {
        url: Option<toml::Spanned<String>>,
    }
    let data_files = sources
        .iter()
        .filter(|(f, _)| f.starts_with("content/framework/") && f.ends_with(".toml"));
    for (file, text) in data_files {
        let Ok(data) = toml::from_str::<Data>(text) else {
            continue;
        };
        let index = LineIndex::new(text);
        for url in data.statute.into_iter().filter_map(|s| s.url) {
            found.add(file, index.pos(url.span().start), url.get_ref());
        }
    }
}
