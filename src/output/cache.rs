//! One folder of `<site>/.waymark-cache/`: the type every disk cache is (photos, plaques, QR
//! symbols, page sizes). Entries are files or folders kept by name; each appears whole or not at
//! all (written beside under a temporary name, then renamed), so a killed run never leaves a
//! cut-short entry that a later run would trust, and the output may hard-link to a kept file.
//! A run notes every entry it takes or keeps; after a whole run, `prune` deletes the rest.
//! Every cache only saves time: a folder that cannot be read or written is no error.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The folder every cache lives in, inside the site folder (safe to delete).
pub const CACHE_ROOT: &str = ".waymark-cache";

pub struct CacheDir {
    dir: PathBuf,
    /// Names of the entries this run took or kept.
    used: Mutex<HashSet<String>>,
}

impl CacheDir {
    /// The cache `name` of the site in `site`.
    pub fn open(site: &Path, name: &str) -> CacheDir {
        CacheDir {
            dir: site.join(CACHE_ROOT).join(name),
            used: Mutex::default(),
        }
    }

    /// Where the entry `name` is (or would be) kept.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Count `name` as used by this run, so that `prune` keeps it.
    pub fn note(&self, name: &str) {
        if let Ok(mut used) = self.used.lock() {
            if !used.contains(name) {
                used.insert(name.to_string());
            }
        }
    }

    /// The kept file `name`, when there is one (noted as used).
    pub fn get(&self, name: &str) -> Option<PathBuf> {
        let path = self.path(name);
        let found = path.exists();
        if found {
            self.note(name);
        }
        found.then_some(path)
    }

    /// The bytes of the kept file `name` (noted as used).
    pub fn read(&self, name: &str) -> Option<Vec<u8>> {
        let bytes = std::fs::read(self.path(name)).ok()?;
        self.note(name);
        Some(bytes)
    }

    /// Keep `bytes` as the file `name`, replacing any older one whole.
    pub fn keep(&self, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
        self.note(name);
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path(name);
        super::write_atomic(&path, bytes)?;
        Ok(path)
    }

    /// Keep a folder `name` that `fill` writes: filled under a temporary name, then renamed.
    /// When another job kept the same entry first, its folder stands (the same content).
    pub fn keep_dir(
        &self,
        name: &str,
        fill: impl FnOnce(&Path) -> io::Result<()>,
    ) -> io::Result<PathBuf> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        self.note(name);
        let tmp = self.dir.join(format!(
            ".tmp-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&tmp)?;
        let filled = fill(&tmp);
        let path = self.path(name);
        if filled.is_err() || std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        filled.map(|()| path)
    }

    /// Delete every entry this run did not use, and what killed runs left half-written (names
    /// starting with a dot). Only after a whole run, which holds the site's lock. How many.
    pub fn prune(&self) -> usize {
        let Ok(used) = self.used.lock() else { return 0 };
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        entries
            .flatten()
            .filter(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name.starts_with('.') || !used.contains(name.as_ref())
            })
            .filter(|e| {
                let p = e.path();
                match e.file_type().map(|t| t.is_dir()) {
                    Ok(true) => std::fs::remove_dir_all(p).is_ok(),
                    _ => std::fs::remove_file(p).is_ok(),
                }
            })
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_whole_entries_and_prunes_what_a_run_did_not_use() {
        let site = tempfile::tempdir().unwrap();
        let first = CacheDir::open(site.path(), "things");
        first.keep("a.bin", b"A").unwrap();
        first.keep("b.bin", b"B").unwrap();
        first
            .keep_dir("folder", |d| std::fs::write(d.join("x"), "X"))
            .unwrap();
        // A folder whose filling failed is not kept.
        assert!(first
            .keep_dir("broken", |_| Err(io::Error::other("no")))
            .is_err());
        assert!(first.get("broken").is_none());
        // A killed run's temporary file.
        std::fs::write(first.path(".a.bin.tmp-1-1"), "half").unwrap();

        let next = CacheDir::open(site.path(), "things");
        assert_eq!(next.read("a.bin").as_deref(), Some(&b"A"[..]));
        assert!(next.get("folder").is_some_and(|p| p.join("x").is_file()));
        assert_eq!(next.prune(), 2, "b.bin and the temporary file");
        let mut left: Vec<String> = std::fs::read_dir(site.path().join(CACHE_ROOT).join("things"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["a.bin", "folder"]);
    }
}
