//! What a long build shows while it runs, and the time summary at its end.
//!
//! [`Meter`] stands between the builder and the sink and counts the packs handed over. On a
//! terminal it keeps one line on stderr up to date (packs done of all, the pack just made, the
//! time left), at most ten times a second, and clears it at the end. Elsewhere (a CI log) it
//! writes a plain line at each tenth of a build of 20 packs or more, so that short builds and
//! their logs are as before. `--quiet` turns both off, and the summary's time line.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::build::{Sink, Timings};
use crate::diagnostic::Diagnostic;
use crate::output::PackFiles;
use crate::pack_id::PackId;
use crate::render::{HtmlTemplates, Registry};
use crate::resolve::Pack;

/// Plain lines are written only for builds of at least this many packs.
const PLAIN_FROM: usize = 20;

/// Shows the packs done as they are handed to `inner`.
pub struct Meter<'a> {
    pub inner: &'a mut dyn Sink,
    total: usize,
    done: usize,
    began: Instant,
    shown: Option<Instant>,
    mode: Mode,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Off,
    Terminal,
    Plain,
}

impl<'a> Meter<'a> {
    /// A meter for `total` packs (nothing shown when `quiet`).
    pub fn new(inner: &'a mut dyn Sink, total: usize, quiet: bool) -> Self {
        let mode = match (quiet, std::io::stderr().is_terminal()) {
            (true, _) => Mode::Off,
            (false, true) => Mode::Terminal,
            (false, false) if total >= PLAIN_FROM => Mode::Plain,
            (false, false) => Mode::Off,
        };
        Meter {
            inner,
            total,
            done: 0,
            began: Instant::now(),
            shown: None,
            mode,
        }
    }

    /// Clears the terminal's line (call once the build is over).
    pub fn finish(&mut self) {
        if self.mode == Mode::Terminal && self.shown.is_some() {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }

    fn show(&mut self, id: &PackId) {
        let now = Instant::now();
        let left = self.time_left(now);
        let mut err = std::io::stderr();
        match self.mode {
            Mode::Off => {}
            Mode::Terminal => {
                let due = self
                    .shown
                    .is_none_or(|at| now - at >= Duration::from_millis(100));
                if due || self.done == self.total {
                    let _ = write!(
                        err,
                        "\r\x1b[2K[{:>w$}/{}] {}{}",
                        self.done,
                        self.total,
                        id.dir(),
                        left.map(|l| format!(" · {} left", clock(l)))
                            .unwrap_or_default(),
                        w = self.total.to_string().len()
                    );
                    let _ = err.flush();
                    self.shown = Some(now);
                }
            }
            Mode::Plain => {
                let tenth = |n: usize| n * 10 / self.total;
                if tenth(self.done) > tenth(self.done - 1) && self.done < self.total {
                    let _ = writeln!(
                        err,
                        "made {} of {} packs ({}%){}",
                        self.done,
                        self.total,
                        self.done * 100 / self.total,
                        left.map(|l| format!(", about {} left", clock(l)))
                            .unwrap_or_default()
                    );
                    self.shown = Some(now);
                }
            }
        }
    }

    /// The time left at the pace so far, once some packs are done.
    fn time_left(&self, now: Instant) -> Option<Duration> {
        (self.done > 0 && self.done < self.total).then(|| {
            let each = (now - self.began).as_secs_f64() / self.done as f64;
            Duration::from_secs_f64(each * (self.total - self.done) as f64)
        })
    }
}

impl Sink for Meter<'_> {
    fn add(&mut self, pack: &Pack, files: PackFiles) -> Result<(), Diagnostic> {
        let id = files.id.clone();
        self.inner.add(pack, files)?;
        self.done += 1;
        self.show(&id);
        Ok(())
    }

    fn preview_done(
        &mut self,
        templates: &HtmlTemplates,
        found: &[(PackId, Vec<Diagnostic>)],
    ) -> Result<(), Diagnostic> {
        self.inner.preview_done(templates, found)
    }
}

/// `1m 05s`, `12s`.
fn clock(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        _ => format!("{}m {:02}s", s / 60, s % 60),
    }
}

/// Seconds with one decimal: `0.4 s`.
fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// The summary's last line: "took 18.8 s: read and checked 0.1 s, resolved 0.3 s, rendered
/// 18.1 s (PDF 97%, ODT 1%, Govspeak 1%, HTML 1%), wrote 0.3 s". Rendering is what is left of
/// the wall time; its shares are of the formats' times summed over the threads (a PDF is laid
/// out on several threads at once, so the sums are no wall times).
pub fn time_line(
    registry: &Registry,
    all: Duration,
    load: Duration,
    timings: &Timings,
    finish: Duration,
) -> String {
    let wrote = timings.hand_over + finish;
    let rendering = all.saturating_sub(load + timings.resolve + wrote);
    let summed: f64 = timings.render.iter().map(|(_, d)| d.as_secs_f64()).sum();
    let shares: Vec<String> = (timings.render.iter())
        .map(|(format, took)| {
            let share = match summed > 0.0 {
                true => (took.as_secs_f64() / summed * 100.0).round(),
                false => 0.0,
            };
            format!("{} {share}%", registry.label(format))
        })
        .collect();
    let shares = match shares.is_empty() {
        true => String::new(),
        false => format!(" ({})", shares.join(", ")),
    };
    format!(
        "took {}: read and checked {}, resolved {}, rendered {}{shares}, wrote {}",
        secs(all),
        secs(load),
        secs(timings.resolve),
        secs(rendering),
        secs(wrote)
    )
}

/// What the cache gave, when it gave something: "8 of 12 renderings (a pack in one format)
/// were unchanged and taken from the cache in <dir>".
pub fn cache_line(cache: Option<&crate::cache::PackCache>) -> Option<String> {
    let cache = cache?;
    let used = cache.used();
    (used.hits > 0).then(|| {
        format!(
            "{} of {} renderings (a pack in one format) were unchanged and taken from the cache in {}",
            used.hits,
            used.hits + used.misses,
            cache.dir().display()
        )
    })
}
