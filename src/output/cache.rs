//! One folder of `<site>/.waymark-cache/`: the type every disk cache is (photos, plaques, QR
//! symbols, page sizes). Entries are files or folders kept by name; each appears whole or not at
//! all (written beside under a temporary name, then renamed), so a killed run never leaves a
//! cut-short entry that a later run would trust, and the output may hard-link to a kept file.
//! A run notes every entry it takes or keeps; after a whole run, `prune` deletes the rest.
//! Every cache only saves time: a folder that cannot be read or written is no error.

use parking_lot::Mutex;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The folder every cache lives in, inside the site folder (safe to delete).
pub const CACHE_ROOT: &str = ".waymark-cache";

pub struct CacheDir {
    dir: PathBuf,
    /// Names of the entries this run took or kept.
    used: Mutex<HashSet<String>>,
    /// Small records kept together in one file, `RECORDS`, as it was when first read.
    records: std::sync::OnceLock<HashMap<String, Vec<u8>>>,
    /// The records this run took or kept, written back by `save_records`.
    records_used: Mutex<BTreeMap<String, Vec<u8>>>,
}

/// The file of a cache's small records: tens of thousands of entries of a few hundred bytes
/// cost a file creation each otherwise, most of a cold print run's kernel time.
const RECORDS: &str = "records.bin";

impl CacheDir {
    /// The cache `name` of the site in `site`.
    pub fn open(site: &Path, name: &str) -> CacheDir {
        CacheDir {
            dir: site.join(CACHE_ROOT).join(name),
            used: Mutex::default(),
            records: std::sync::OnceLock::new(),
            records_used: Mutex::default(),
        }
    }

    /// The small record `key`, when one was kept, by this run or before (noted as used).
    pub fn record(&self, key: &str) -> Option<Vec<u8>> {
        if let Some(value) = self.records_used.lock().get(key) {
            return Some(value.clone());
        }
        let records = self.records.get_or_init(|| {
            let bytes = std::fs::read(self.path(RECORDS)).unwrap_or_default();
            read_records(&bytes)
        });
        let value = records.get(key)?.clone();
        {
            let mut used = self.records_used.lock();
            used.insert(key.to_string(), value.clone());
        }
        Some(value)
    }

    /// Keep a small record; it reaches the disk with the others at `save_records`.
    pub fn keep_record(&self, key: &str, value: Vec<u8>) {
        {
            let mut used = self.records_used.lock();
            used.insert(key.to_string(), value);
        }
    }

    /// Write the records this run used, and unless `only_used`, the older ones too, as one file
    /// replaced whole.
    pub fn save_records(&self, only_used: bool) -> io::Result<()> {
        let used = self.records_used.lock();
        let mut all: BTreeMap<&str, &[u8]> = BTreeMap::new();
        if !only_used {
            if let Some(old) = self.records.get() {
                all.extend(old.iter().map(|(k, v)| (k.as_str(), v.as_slice())));
            } else if let Ok(bytes) = std::fs::read(self.path(RECORDS)) {
                let old = read_records(&bytes);
                let _ = self.records.set(old);
                if let Some(old) = self.records.get() {
                    all.extend(old.iter().map(|(k, v)| (k.as_str(), v.as_slice())));
                }
            }
        }
        all.extend(used.iter().map(|(k, v)| (k.as_str(), v.as_slice())));
        self.note(RECORDS);
        if all.is_empty() {
            return Ok(());
        }
        let mut bytes = Vec::new();
        for (k, v) in all {
            bytes.extend((k.len() as u32).to_le_bytes());
            bytes.extend(k.as_bytes());
            bytes.extend((v.len() as u32).to_le_bytes());
            bytes.extend(v);
        }
        self.keep(RECORDS, &bytes).map(|_| ())
    }

    /// Where the entry `name` is (or would be) kept.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Count `name` as used by this run, so that `prune` keeps it.
    pub fn note(&self, name: &str) {
        {
            let mut used = self.used.lock();
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
        let path = self.path(name);
        // The folder is made when a write first finds it missing, not looked for every time.
        match super::write_atomic(&path, bytes) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                std::fs::create_dir_all(&self.dir)?;
                super::write_atomic(&path, bytes)?;
            }
            written => written?,
        }
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
        let used = self.used.lock();
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

/// The records of a records file: (length, key, length, value) after one another; what a cut
/// or garbled file holds past its last whole record is ignored.
fn read_records(mut bytes: &[u8]) -> HashMap<String, Vec<u8>> {
    let mut records = HashMap::new();
    let take = |bytes: &mut &[u8]| -> Option<Vec<u8>> {
        let (len, rest) = bytes.split_at_checked(4)?;
        let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
        let (value, rest) = rest.split_at_checked(len)?;
        *bytes = rest;
        Some(value.to_vec())
    };
    while let (Some(key), Some(value)) = (take(&mut bytes), take(&mut bytes)) {
        let Ok(key) = String::from_utf8(key) else {
            break;
        };
        records.insert(key, value);
    }
    records
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

    #[test]
    fn small_records_share_one_file_and_keep_what_a_run_asks() {
        let site = tempfile::tempdir().unwrap();
        let first = CacheDir::open(site.path(), "things");
        first.keep_record("a", b"A".to_vec());
        first.keep_record("b", b"B".to_vec());
        first.save_records(true).unwrap();
        assert_eq!(
            std::fs::read_dir(first.path("")).unwrap().count(),
            1,
            "one file"
        );
        // A run that used `a` only: kept whole unless it prunes.
        let second = CacheDir::open(site.path(), "things");
        assert_eq!(second.record("a").as_deref(), Some(&b"A"[..]));
        second.keep_record("c", b"C".to_vec());
        assert_eq!(
            second.record("c").as_deref(),
            Some(&b"C"[..]),
            "kept by this run"
        );
        second.save_records(false).unwrap();
        let third = CacheDir::open(site.path(), "things");
        assert_eq!(third.record("b").as_deref(), Some(&b"B"[..]));
        assert_eq!(third.record("c").as_deref(), Some(&b"C"[..]));
        third.save_records(true).unwrap();
        let fourth = CacheDir::open(site.path(), "things");
        assert!(fourth.record("a").is_none(), "not used by the pruning run");
        assert!(fourth.record("b").is_some());
        // A file cut short keeps its whole records and loses the rest.
        let path = fourth.path(RECORDS);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        let cut = CacheDir::open(site.path(), "things");
        assert!(cut.record("b").is_some() && cut.record("c").is_none());
    }
}
