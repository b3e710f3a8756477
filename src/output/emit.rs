//! Where the build's files go as each stage makes them: to disk (`build`), into memory (`serve`)
//! or nowhere (`check`). The `Emitter` in front of them keeps only each file's path and a key of
//! its content: enough to refuse two files at one path and to digest the site for its service
//! worker, without holding any page.

use super::sizes::{Content, PageSizes, Sizes};
use super::{OutFile, Writer};
use crate::error::{Diagnostic, Error, Result};
use parking_lot::Mutex;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Takes each file as it is made, with its fingerprint (see `OutFile::fingerprint`).
pub trait Sink: Sync {
    fn put(&self, file: OutFile, fingerprint: &str) -> Result<()>;
}

impl Sink for Writer {
    fn put(&self, file: OutFile, fingerprint: &str) -> Result<()> {
        Writer::put(self, &file, fingerprint)
    }
}

/// Keeps every file in memory (`serve`).
#[derive(Default)]
pub struct Collect(Mutex<Vec<OutFile>>);

impl Collect {
    pub fn into_files(self) -> Vec<OutFile> {
        self.0.into_inner()
    }
}

impl Sink for Collect {
    fn put(&self, file: OutFile, _: &str) -> Result<()> {
        self.0.lock().push(file);
        Ok(())
    }
}

/// Keeps nothing (`check`, which makes everything to find every problem and writes nothing).
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutFile, _: &str) -> Result<()> {
        Ok(())
    }
}

/// An entry page that may be the heaviest: its size at the fastest compression, path, content,
/// and its size at the default level or, when not known yet, its bytes.
type Candidate = (usize, String, Content, std::result::Result<usize, Vec<u8>>);

/// How many of the heaviest entry pages by quick compression are compressed again.
const CANDIDATES: usize = 16;

pub struct Emitter<'a> {
    sink: &'a dyn Sink,
    /// Path → content key of every file so far.
    seen: Mutex<BTreeMap<String, u64>>,
    /// The heaviest entry pages so far, when asked to measure.
    largest: Option<Mutex<Vec<Candidate>>>,
    /// Sizes earlier builds measured.
    sizes: Option<&'a PageSizes>,
}

impl<'a> Emitter<'a> {
    pub fn new(sink: &'a dyn Sink) -> Self {
        Emitter {
            sink,
            seen: Mutex::default(),
            largest: None,
            sizes: None,
        }
    }

    /// An emitter that also finds the entry page that weighs most gzipped, HTML with its inline
    /// CSS and JS: the one a tourist on 3G waits longest for (the target is 14 KB, one round trip).
    pub fn measuring(sink: &'a dyn Sink) -> Self {
        Emitter {
            largest: Some(Mutex::default()),
            ..Emitter::new(sink)
        }
    }

    /// Take pages' sizes from `sizes` when their content is known there, and record the rest.
    pub fn remembering(self, sizes: &'a PageSizes) -> Self {
        Emitter {
            sizes: Some(sizes),
            ..self
        }
    }

    /// Put an entry page, and the same bytes at each path of `also` (its QR landings), keeping it
    /// aside when measuring and it is among the heaviest by a quick compression.
    pub fn put_entry_page(&self, file: OutFile, also: &[String]) -> Result<()> {
        // The page is hashed once: for the kept sizes, the output and every copy.
        let (fingerprint, key) = file.fingerprint();
        if let super::Data::Bytes(b) = &file.data {
            for path in also {
                let copy = OutFile::bytes(path.clone(), b.clone());
                self.put_fingerprinted(copy, &fingerprint, key)?;
            }
        }
        if let super::Data::Bytes(b) = &file.data {
            self.measure(&file.path, (b.len(), key), || Some(b.into()));
        }
        self.put_fingerprinted(file, &fingerprint, key)
    }

    /// Keep an entry page among the heaviest when measuring: its sizes from those earlier builds
    /// kept, else from its `bytes` compressed quickly.
    fn measure<'b>(
        &self,
        path: &str,
        content: Content,
        bytes: impl Fn() -> Option<std::borrow::Cow<'b, [u8]>>,
    ) {
        let Some(largest) = &self.largest else { return };
        let known = self.sizes.and_then(|s| s.get(content));
        let mut read = None;
        let quick = match known {
            Some(k) => k.quick,
            None => {
                let Some(b) = bytes() else { return };
                let quick = super::compressed_len(&b, flate2::Compression::fast());
                if let Some(sizes) = self.sizes {
                    sizes.record(content, Sizes { quick, exact: None });
                }
                read = Some(b);
                quick
            }
        };
        let mut l = largest.lock();
        // The same few pages whatever order they come in: by quick size, then path.
        let heavier = |n: usize, p: &str| {
            l.iter()
                .any(|(m, q, _, _)| n > *m || (n == *m && p < q.as_str()))
        };
        if l.len() < CANDIDATES || heavier(quick, path) {
            let exact = match known.and_then(|k| k.exact) {
                Some(e) => Ok(e),
                None => match read.or_else(&bytes) {
                    Some(b) => Err(b.into_owned()),
                    None => return,
                },
            };
            l.push((quick, path.to_string(), content, exact));
            l.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            l.truncate(CANDIDATES);
        }
    }

    /// Put a file of the published output again as it is, from `from`, with `fingerprint` as
    /// the published manifest records it: a build that renders only what changed keeps the
    /// rest this way, and its digest of the site and its heaviest page come out as a whole
    /// build's would.
    pub fn carry(
        &self,
        path: String,
        from: std::path::PathBuf,
        fingerprint: &str,
        entry_page: bool,
    ) -> Result<()> {
        let (len, rest) = fingerprint.split_once(' ').unwrap_or(("0", ""));
        let len: usize = len.parse().unwrap_or(0);
        // The key `OutFile::fingerprint` gives: a copied file's length, else the bytes' digest.
        let key = match rest.starts_with("copy:") {
            true => len as u64,
            false => u64::from_str_radix(rest, 16).unwrap_or(0),
        };
        if entry_page {
            self.measure(&path, (len, key), || {
                std::fs::read(&from).ok().map(Into::into)
            });
        }
        let file = OutFile {
            path,
            data: super::Data::Cached(from),
        };
        self.put_fingerprinted(file, fingerprint, key)
    }

    /// The entry page that weighs most gzipped (as a server compresses it), and that size.
    /// Compressing every page that way took a tenth of a warm build; the fastest level ranks pages
    /// nearly as it does, for a third of the cost, and only the few heaviest by it are compressed
    /// again at the server's level.
    pub fn largest_page(&self) -> Option<(String, usize)> {
        let l = self.largest.as_ref()?.lock();
        l.iter()
            .map(|(quick, p, content, exact)| {
                let exact = match exact {
                    Ok(e) => *e,
                    Err(b) => super::gzipped_len(b),
                };
                if let Some(sizes) = self.sizes {
                    let exact = Some(exact);
                    sizes.record(
                        *content,
                        Sizes {
                            quick: *quick,
                            exact,
                        },
                    );
                }
                (p.clone(), exact)
            })
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
    }

    pub fn put(&self, file: OutFile) -> Result<()> {
        let (fingerprint, key) = file.fingerprint();
        self.put_fingerprinted(file, &fingerprint, key)
    }

    fn put_fingerprinted(&self, file: OutFile, fingerprint: &str, key: u64) -> Result<()> {
        let clash = self.seen.lock().insert(file.path.clone(), key).is_some();
        if clash {
            // Two outputs at one path would silently lose one of them.
            return Err(Error::one(
                Diagnostic::error(&file.path, format!("two outputs would be written to output/{}", file.path))
                    .hint("a bundle file has the name of a page the build makes (index.html?), or a static theme file clashes with a page; rename one"),
            ));
        }
        self.sink.put(file, fingerprint)
    }

    pub fn put_all(&self, files: Vec<OutFile>) -> Result<()> {
        files.into_par_iter().try_for_each(|f| self.put(f))
    }

    /// A digest of every file under `site/` so far, path and content, in path order: it changes
    /// exactly when the published site does.
    pub fn site_digest(&self) -> u64 {
        let seen = self.seen.lock();
        let mut digest = super::Digest::default();
        for (path, key) in seen.range("site/".to_string().."site0".to_string()) {
            digest.write(path.as_bytes());
            digest.write(&key.to_le_bytes());
        }
        digest.finish()
    }

    /// Whether a file was put at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.seen.lock().contains_key(path)
    }

    /// How many files so far pass `keep` (by path).
    pub fn count(&self, keep: impl Fn(&str) -> bool) -> usize {
        let seen = self.seen.lock();
        seen.keys().filter(|p| keep(p)).count()
    }

    /// The paths so far that start with `prefix`, in order.
    pub fn paths_under(&self, prefix: &str) -> Vec<String> {
        let seen = self.seen.lock();
        seen.range(prefix.to_string()..)
            .take_while(|(p, _)| p.starts_with(prefix))
            .map(|(p, _)| p.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: String) -> OutFile {
        OutFile::bytes(path.to_string(), html)
    }

    #[test]
    fn two_files_at_one_path_are_refused() {
        let kept = Collect::default();
        let emit = Emitter::new(&kept);
        emit.put(page("site/a/index.html", "A".into())).unwrap();
        let err = emit.put(page("site/a/index.html", "B".into())).unwrap_err();
        assert!(
            err.to_string()
                .contains("two outputs would be written to output/site/a/index.html"),
            "{err}"
        );
        drop(emit);
        assert_eq!(
            kept.into_files().len(),
            1,
            "the second one never reached the sink"
        );
    }

    #[test]
    fn an_entry_page_is_also_put_at_its_landings() {
        let kept = Collect::default();
        let emit = Emitter::measuring(&kept);
        let landings = [
            "site/q/A/index.html".to_string(),
            "site/q/B/index.html".to_string(),
        ];
        emit.put_entry_page(page("site/a/index.html", "Đền".into()), &landings)
            .unwrap();
        // A landing's path is taken like any other: a second file there is refused.
        assert!(emit.put(page("site/q/B/index.html", "x".into())).is_err());
        drop(emit);
        let mut files: Vec<(String, Vec<u8>)> = kept
            .into_files()
            .into_iter()
            .map(|f| match f.data {
                crate::output::Data::Bytes(b) => (f.path, b),
                _ => panic!("bytes expected"),
            })
            .collect();
        files.sort();
        let want = |p: &str| (p.to_string(), "Đền".as_bytes().to_vec());
        assert_eq!(
            files,
            [
                want("site/a/index.html"),
                want("site/q/A/index.html"),
                want("site/q/B/index.html")
            ]
        );
    }

    #[test]
    fn the_site_digest_follows_published_files_only() {
        let digest = |files: &[(&str, &str)]| {
            let emit = Emitter::new(&Discard);
            for (p, b) in files {
                emit.put(page(p, b.to_string())).unwrap();
            }
            emit.site_digest()
        };
        let base = digest(&[("site/a.html", "A"), ("print/x.pdf", "X")]);
        assert_eq!(
            base,
            digest(&[("print/x.pdf", "X"), ("site/a.html", "A")]),
            "order does not matter"
        );
        assert_eq!(
            base,
            digest(&[("site/a.html", "A"), ("print/x.pdf", "Y")]),
            "print files are not published"
        );
        assert_ne!(base, digest(&[("site/a.html", "B"), ("print/x.pdf", "X")]));
    }

    #[test]
    fn the_heaviest_page_is_found_among_many() {
        let emit = Emitter::measuring(&Discard);
        // Forty pages that compress to almost nothing, and one shorter page that does not.
        for i in 0..40 {
            let path = format!("site/p{i:02}/index.html");
            emit.put_entry_page(page(&path, "a".repeat(3000 + i)), &[])
                .unwrap();
        }
        let noisy: String = (0..2500u32)
            .map(|i| char::from(b'a' + (i.wrapping_mul(2654435761) >> 27) as u8 % 26))
            .collect();
        emit.put_entry_page(page("site/noisy/index.html", noisy.clone()), &[])
            .unwrap();
        let (path, size) = emit.largest_page().unwrap();
        assert_eq!(path, "site/noisy/index.html");
        assert_eq!(size, crate::output::gzipped_len(noisy.as_bytes()));
    }

    #[test]
    fn sizes_an_earlier_build_measured_are_used_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let pages: Vec<(String, String)> = (0..20)
            .map(|i| {
                (
                    format!("site/p{i:02}/index.html"),
                    format!("page {i} ").repeat(40 + i),
                )
            })
            .collect();
        let measure = |sizes: &PageSizes| {
            let emit = Emitter::measuring(&Discard).remembering(sizes);
            for (p, b) in &pages {
                emit.put_entry_page(page(p, b.clone()), &[]).unwrap();
            }
            emit.largest_page().unwrap()
        };
        let first = PageSizes::load(dir.path());
        let found = measure(&first);
        first.save();
        let second = PageSizes::load(dir.path());
        assert_eq!(
            measure(&second),
            found,
            "the same page and size from the kept sizes"
        );
        // The kept sizes are trusted: a page recorded heavier is reported so.
        let (_, b) = &pages[3];
        let tampered = PageSizes::load(dir.path());
        tampered.record(
            (b.len(), super::super::digest(b.as_bytes())),
            Sizes {
                quick: 1 << 20,
                exact: Some(1 << 20),
            },
        );
        tampered.save();
        let third = PageSizes::load(dir.path());
        assert_eq!(measure(&third), (pages[3].0.clone(), 1 << 20));
    }
}
