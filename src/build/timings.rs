//! Where a build's time went, for the summary a command prints at its end: resolving (the
//! wall time of its parallel batches), each format's rendering (summed over the threads that
//! made its packs, a pack taken from the cache costing nothing) and handing the files to the
//! sink (staging them on disk).

use std::sync::Mutex;
use std::time::Duration;

/// The times of one run of the builder.
#[derive(Debug, Default)]
pub struct Timings {
    pub resolve: Duration,
    /// By format name, in registration order.
    pub render: Vec<(&'static str, Duration)>,
    pub hand_over: Duration,
}

/// Rendering times added from several threads.
#[derive(Default)]
pub(super) struct RenderTimes(Mutex<Vec<(&'static str, Duration)>>);

impl RenderTimes {
    pub(super) fn add(&self, format: &'static str, took: Duration) {
        let Ok(mut times) = self.0.lock() else { return };
        match times.iter_mut().find(|(name, _)| *name == format) {
            Some((_, sum)) => *sum += took,
            None => times.push((format, took)),
        }
    }

    pub(super) fn taken(&self) -> Vec<(&'static str, Duration)> {
        self.0.lock().map(|t| t.clone()).unwrap_or_default()
    }
}
