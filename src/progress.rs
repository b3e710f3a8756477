//! How far a build is, for the progress bar that `waymark build` shows on a terminal.
//! The stages report; the command decides whether and how to show it.

use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

#[derive(Debug, Default)]
pub struct Progress {
    stage: Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
    finished: AtomicBool,
}

impl Progress {
    /// Start a stage of `total` steps (0 when unknown).
    pub fn stage(&self, name: &'static str, total: usize) {
        {
            let mut s = self.stage.lock();
            *s = name;
        }
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    pub fn finish(&self) {
        self.finished.store(true, Ordering::Relaxed);
    }

    pub fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Relaxed)
    }

    /// (stage, done, total)
    pub fn snapshot(&self) -> (&'static str, usize, usize) {
        let stage = *self.stage.lock();
        (
            stage,
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

/// Call `f` with the progress when there is one.
pub fn tick(p: Option<&Progress>) {
    if let Some(p) = p {
        p.tick();
    }
}

/// Stage names and how long each took, for `--timings`.
pub type Timings = Vec<(&'static str, Duration)>;

/// The most memory this process has held (resident, in bytes), where the system tells it.
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
