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
// The one exception, the WebP encoder's FFI, says so where it is (media/webp.rs).
#![deny(unsafe_code)]

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

/// The gzipped size of `bytes` at `level`: gzip's 10-byte header and 8-byte trailer around the
/// deflate stream, counted without keeping it. Each thread keeps its compressor for each level
/// (a build measures every entry page, and a new compressor's state cost a fifth as much as
/// compressing a page).
pub fn compressed_len(bytes: &[u8], level: flate2::Compression) -> usize {
    use std::cell::RefCell;
    thread_local! {
        static DEFLATE: RefCell<Vec<(u32, flate2::Compress)>> = const { RefCell::new(Vec::new()) };
    }
    const GZIP_FRAME: usize = 18;
    DEFLATE.with(|kept| {
        let mut kept = kept.borrow_mut();
        let at = match kept.iter().position(|(l, _)| *l == level.level()) {
            Some(at) => at,
            None => {
                kept.push((level.level(), flate2::Compress::new(level, false)));
                kept.len() - 1
            }
        };
        let c = &mut kept[at].1;
        c.reset();
        let mut scratch = [0u8; 16 * 1024];
        // The input first, then the end, as a gzip writer calls it: the same stream, byte for byte.
        while (c.total_in() as usize) < bytes.len() {
            let read = c.total_in() as usize;
            if c.compress(&bytes[read..], &mut scratch, flate2::FlushCompress::None)
                .is_err()
            {
                return bytes.len() + GZIP_FRAME;
            }
        }
        loop {
            match c.compress(&[], &mut scratch, flate2::FlushCompress::Finish) {
                Ok(flate2::Status::StreamEnd) => return GZIP_FRAME + c.total_out() as usize,
                Ok(_) => continue,
                Err(_) => return bytes.len() + GZIP_FRAME,
            }
        }
    })
}

/// The most memory this process has held (resident, in bytes), where the system tells it.
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    #[test]
    fn compressed_len_is_the_length_of_the_gzip_file() {
        use std::io::Write;
        let noise: Vec<u8> = (0u32..200_000)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let page = "<p>Khu lưu niệm Hoàng Văn Thụ</p>".repeat(500);
        for level in [flate2::Compression::fast(), flate2::Compression::default()] {
            // Twice each, so that a kept compressor starts clean.
            for bytes in [&b""[..], page.as_bytes(), &noise, page.as_bytes(), &noise] {
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), level);
                gz.write_all(bytes).unwrap();
                let file = gz.finish().unwrap();
                assert_eq!(super::compressed_len(bytes, level), file.len());
            }
        }
    }
}
