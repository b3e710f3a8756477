//! Waymark: a static-site generator for heritage sites and homestays. One Markdown file per
//! place becomes a multilingual mobile website, and every place gets a permanent QR code.
//!
//! Data flows one way: load (config, content, theme) -> model (site) -> media (photos, audio)
//! -> backends that read the model: the website (`render`) and print files (`print`), each
//! writing through an output `Sink`. `pipeline` defines the stages once; each command runs
//! the ones it needs. ARCHITECTURE.md is the map.

// A Diagnostic (file, line, message, hint, source line) is the product of the error path, which is
// cold; boxing it everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod address;
pub mod cmd;
pub mod config;
pub mod content;
pub mod edit;
pub mod error;
pub mod export;
pub mod import;
pub mod incremental;
pub mod ledger;
pub mod lock;
pub mod media;
pub mod nearby;
pub mod output;
pub mod pipeline;
pub mod print;
pub mod progress;
pub mod qr;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod slug;
pub mod stats;
pub mod theme;
pub mod verify;
pub mod vocab;
pub mod yaml;

pub use pipeline::{build, check, plaques, BuildOptions, Report};
use std::time::Duration;

/// Stage names and how long each took, for `--timings`.
pub type Timings = Vec<(&'static str, Duration)>;

pub fn gzipped_len(bytes: &[u8]) -> usize {
    compressed_len(bytes, flate2::Compression::default())
}

/// The gzipped size of `bytes` at `level`.
pub fn compressed_len(bytes: &[u8], level: flate2::Compression) -> usize {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), level);
    let _ = enc.write_all(bytes);
    enc.finish().map(|v| v.len()).unwrap_or(bytes.len())
}

/// The most memory this process has held (resident, in bytes), where the system tells it.
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
