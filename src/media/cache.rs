//! The photo cache in `<site>/.waymark-cache/photos/`: one folder per (content, settings) holding
//! the encoded files and `made.json`, and an index from source path to that folder keyed by the
//! source's length and modification time, so that an unchanged photo is neither decoded nor read.
//!
//! A folder appears whole or not at all (`CacheDir::keep_dir`), so an interrupted build never
//! leaves a half-made entry that a later build would trust.

use super::photo::{self, Encoded, Made, Problem, Settings};
use crate::output::CacheDir;
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const INDEX: &str = "index.json";
const MADE: &str = "made.json";
/// Bumped when the same settings would make different files.
const PIPELINE: u32 = 2;
/// Bytes read of one photo file at most: a phone photo is 3–12 MB.
pub const MAX_FILE_BYTES: u64 = 100 << 20;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Row {
    len: u64,
    mtime_ns: u64,
    key: String,
}

pub struct Cache {
    dir: CacheDir,
    settings_digest: String,
    settings: Settings,
    index: Mutex<BTreeMap<String, Row>>,
    changed: AtomicBool,
    /// Photos decoded and encoded by this build (the rest came from the cache).
    pub processed: AtomicUsize,
}

impl Cache {
    pub fn open(site: &Path, settings: Settings) -> Cache {
        let dir = CacheDir::open(site, "photos");
        let index = (dir.read(INDEX))
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let settings_digest = format!(
            "{:016x}",
            crate::output::digest(
                format!(
                    "{PIPELINE} {} {:?}",
                    serde_json::to_string(&settings).unwrap_or_default(),
                    photo::SHARE
                )
                .as_bytes()
            )
        );
        Cache {
            dir,
            settings_digest,
            settings,
            index: Mutex::new(index),
            changed: AtomicBool::new(false),
            processed: AtomicUsize::new(0),
        }
    }

    /// The photo at `source` (site-relative `rel`) made with the cache's settings, the folder
    /// that holds its files, and the sharing crop's pixels when it was decoded now; decoded and
    /// encoded only when no earlier build made it.
    pub fn get(
        &self,
        source: &Path,
        rel: &str,
        share: bool,
    ) -> Result<(Made, PathBuf, Option<Vec<u8>>), Problem> {
        let meta = std::fs::metadata(source).map_err(|e| Problem::Unreadable(e.to_string()))?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(Problem::TooLarge(None));
        }
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64);
        // A cover also gets a sharing image: it is a different product of the same photo.
        let suffix = format!(
            "{}-{}",
            self.settings_digest,
            if share { "cover" } else { "photo" }
        );
        let known = self.index.lock().get(rel).cloned();
        if let Some(row) = known
            .filter(|r| r.len == meta.len() && r.mtime_ns == mtime_ns && r.key.ends_with(&suffix))
        {
            if let Some(made) = self.made(&row.key, share) {
                return Ok((made, self.dir.path(&row.key), None));
            }
        }
        let bytes = std::fs::read(source).map_err(|e| Problem::Unreadable(e.to_string()))?;
        let key = format!("{:016x}-{suffix}", crate::output::digest(&bytes));
        let mut crop = None;
        let made = match self.made(&key, share) {
            Some(made) => made,
            None => {
                let encoded = photo::process(&bytes, &self.settings, share)?;
                drop(bytes);
                self.processed.fetch_add(1, Ordering::Relaxed);
                self.put(&key, &encoded).map_err(|e| {
                    Problem::Unreadable(format!("the cache cannot be written: {e}"))
                })?;
                crop = encoded.crop;
                encoded.made
            }
        };
        self.index.lock().insert(
            rel.to_string(),
            Row {
                len: meta.len(),
                mtime_ns,
                key: key.clone(),
            },
        );
        self.changed.store(true, Ordering::Relaxed);
        Ok((made, self.dir.path(&key), crop))
    }

    fn made(&self, key: &str, share: bool) -> Option<Made> {
        let made: Made =
            serde_json::from_slice(&std::fs::read(self.dir.path(key).join(MADE)).ok()?).ok()?;
        (!share || made.share.is_some()).then_some(made)
    }

    fn put(&self, key: &str, encoded: &Encoded) -> std::io::Result<()> {
        let made = serde_json::to_vec(&encoded.made).map_err(std::io::Error::other)?;
        self.dir
            .keep_dir(key, |tmp| {
                for (name, bytes) in &encoded.files {
                    std::fs::write(tmp.join(name), bytes)?;
                }
                std::fs::write(tmp.join(MADE), &made)
            })
            .map(|_| ())
    }

    /// Save the index, forgetting sources that are gone and deleting folders no source uses
    /// (an edited photo's old sizes). Best effort: a cache that cannot be written only costs time.
    pub fn save(&self, site: &Path) {
        let mut index = self.index.lock();
        let before = index.len();
        index.retain(|rel, _| site.join(rel).is_file());
        if !self.changed.load(Ordering::Relaxed) && index.len() == before {
            return;
        }
        // The folders the index still uses stay; the rest (an edited photo's old sizes) go.
        for row in index.values() {
            self.dir.note(&row.key);
        }
        if let Ok(text) = serde_json::to_vec_pretty(&*index) {
            let _ = self.dir.keep(INDEX, &text);
        }
        self.dir.prune();
    }
}
