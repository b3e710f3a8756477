//! Gzipped sizes of entry pages that earlier builds measured, by content, in
//! `<site>/.waymark-cache/pages/sizes`: finding the heaviest page of an unchanged site compresses
//! nothing again.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::path::Path;

/// A page's content: its length and digest (see `OutFile::fingerprint`).
pub type Content = (usize, u64);

/// Sizes at the fastest gzip level, and at the default level when a build needed it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sizes {
    pub quick: usize,
    pub exact: Option<usize>,
}

const FILE: &str = "sizes";

pub struct PageSizes {
    cache: super::CacheDir,
    known: HashMap<Content, Sizes>,
    /// What this build's pages measured: the next build's `known`.
    seen: Mutex<HashMap<Content, Sizes>>,
}

impl PageSizes {
    /// The sizes kept for the site in `root` (none when the file is missing or unreadable: a
    /// cache is never a reason to fail).
    pub fn load(root: &Path) -> PageSizes {
        let cache = super::CacheDir::open(root, "pages");
        let known = (cache.read(FILE))
            .map(|bytes| {
                String::from_utf8_lossy(&bytes)
                    .lines()
                    .filter_map(parse)
                    .collect()
            })
            .unwrap_or_default();
        PageSizes {
            cache,
            known,
            seen: Mutex::default(),
        }
    }

    /// The sizes of `content` when known, remembered for the next build.
    pub fn get(&self, content: Content) -> Option<Sizes> {
        let s = *self.known.get(&content)?;
        self.record(content, s);
        Some(s)
    }

    pub fn record(&self, content: Content, sizes: Sizes) {
        let mut seen = self.seen.lock();
        let s = seen.entry(content).or_insert(sizes);
        s.exact = s.exact.or(sizes.exact);
    }

    /// Keep this build's sizes (only those: pages gone are forgotten).
    pub fn save(&self) {
        let seen = self.seen.lock();
        let mut rows: Vec<_> = seen.iter().collect();
        rows.sort_by_key(|(c, _)| **c);
        let mut text = String::with_capacity(rows.len() * 40);
        for ((len, digest), s) in rows {
            let exact = s.exact.map_or("-".to_string(), |e| e.to_string());
            text.push_str(&format!("{len} {digest:016x} {} {exact}\n", s.quick));
        }
        let _ = self.cache.keep(FILE, text.as_bytes());
    }
}

fn parse(line: &str) -> Option<(Content, Sizes)> {
    let mut f = line.split(' ');
    let len = f.next()?.parse().ok()?;
    let digest = u64::from_str_radix(f.next()?, 16).ok()?;
    let quick = f.next()?.parse().ok()?;
    let exact = match f.next()? {
        "-" => None,
        e => Some(e.parse().ok()?),
    };
    Some(((len, digest), Sizes { quick, exact }))
}

/// The gzipped size of `bytes` at the default level.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_seen_are_kept_for_the_next_build_and_others_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let first = PageSizes::load(dir.path());
        let (a, b) = ((10, 1), (20, 2));
        first.record(
            a,
            Sizes {
                quick: 9,
                exact: None,
            },
        );
        first.record(
            a,
            Sizes {
                quick: 9,
                exact: Some(8),
            },
        );
        first.record(
            b,
            Sizes {
                quick: 15,
                exact: None,
            },
        );
        first.save();
        let second = PageSizes::load(dir.path());
        assert_eq!(
            second.get(a),
            Some(Sizes {
                quick: 9,
                exact: Some(8)
            })
        );
        assert_eq!(second.get((10, 3)), None, "another content is not known");
        second.save();
        let third = PageSizes::load(dir.path());
        assert!(third.get(a).is_some());
        assert_eq!(third.get(b), None, "a page the second build did not make");
    }
}

#[cfg(test)]
mod compressed_len_tests {
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
