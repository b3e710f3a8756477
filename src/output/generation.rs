//! The generation writer: files go to disk as the build makes them, so that a build never holds
//! the whole site in memory, and only files whose fingerprint changed are written.

use super::{Data, OutFile, Written};
use crate::error::{Diagnostic, Error, Result};
use parking_lot::Mutex;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

const GENERATIONS: &str = ".gen";
const CURRENT: &str = "current";
const MANIFEST: &str = ".manifest";
/// What a run keeps beside a generation's manifest, to tell the next run of the same product
/// what it holds: `.state-site`, `.state-print`.
const STATE: &str = ".state-";

/// Brings the generation that is not current up to date, one file at a time; `finish` deletes
/// what is gone and switches `current` to it. Dropped unfinished (a failed build), it records
/// what it wrote, so that the next build rewrites only those files, and `current` is untouched.
pub struct Writer {
    out: PathBuf,
    /// The product this run makes (`site/`, `print/`), or "" for the whole output.
    product: String,
    target: u8,
    gen: PathBuf,
    /// What the generation held when the build began (None: unknown, so every file is written).
    old: Option<BTreeMap<String, String>>,
    /// The current generation and its manifest: a file it holds as this build makes it is linked
    /// from there, not written (the build after a cold one would otherwise write everything).
    current: Option<(PathBuf, BTreeMap<String, String>)>,
    /// Path → fingerprint of every file of this build so far.
    new: Mutex<BTreeMap<String, String>>,
    made_dirs: Mutex<HashSet<PathBuf>>,
    /// The first file this run wrote of each content: the same bytes again (a QR landing is its
    /// entry's page) are a hard link to it, not a second copy.
    written_once: Mutex<HashMap<String, PathBuf>>,
    /// Files the published generation holds as this run makes them, to link at `finish`.
    pending: Mutex<Vec<(String, String)>>,
    /// What this run keeps for the next run of its product (`keep_state`).
    state: Mutex<Option<Vec<u8>>>,
    /// Publish a new generation even if no file differs (`republish`).
    republish: std::sync::atomic::AtomicBool,
    /// Files of `old` that the current generation does not have, with `current`'s filtered
    /// manifest enough to tell what is published at any path.
    not_published: HashSet<String>,
    /// Files written to disk (neither in this generation nor linked from the published one).
    written: AtomicUsize,
    /// Files that differ from the published ones, or are new.
    changed: Mutex<Vec<String>>,
    finished: bool,
}

impl Writer {
    /// Start writing `products` (`site/` and `moved/`, or `print/`) of the output folder `out`
    /// (checked with `check_target` first): the new generation keeps the published files of the
    /// other products as they are, so that `waymark build` never drops the print files, nor
    /// `plaques` the site. The first product names the state the run keeps.
    pub fn begin(out: &Path, products: &[&str]) -> Result<Writer> {
        let writer = Writer::begin_all(out)?;
        let others: Vec<(String, String)> = (writer.published_files().into_iter())
            .filter(|(p, _)| !products.iter().any(|product| p.starts_with(product)))
            .collect();
        let mut writer = writer;
        writer.product = products
            .first()
            .map_or("", |p| p.trim_end_matches('/'))
            .to_string();
        let current = writer.current.as_ref().map(|(dir, _)| dir.clone());
        if let Some(dir) = &current {
            others.into_par_iter().try_for_each(|(path, fingerprint)| {
                let from = dir.join(&path);
                writer.put(&OutFile::cached(path, from), &fingerprint)
            })?;
        }
        // And what the other products' runs kept with them.
        for state in (current.iter()).flat_map(|dir| std::fs::read_dir(dir).into_iter().flatten()) {
            let Ok(state) = state else { continue };
            let name = state.file_name().to_string_lossy().into_owned();
            if name.starts_with(STATE) && name != writer.state_name() {
                let to = writer.gen.join(&name);
                std::fs::copy(state.path(), &to).map_err(|e| Error::io(&to, e))?;
            }
        }
        // Kept files are not this run's changes.
        writer.changed.lock().clear();
        Ok(writer)
    }

    /// Start writing the whole output folder `out`: what the run does not make is deleted.
    pub fn begin_all(out: &Path) -> Result<Writer> {
        std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
        adopt(out)?;
        let marker = out.join(super::MARKER);
        std::fs::write(
            &marker,
            "Written by Waymark: site/ is what to publish (`waymark build`); print/ is what to print (`waymark plaques`).\n",
        )
        .map_err(|e| Error::io(&marker, e))?;
        let active = active_generation(out);
        let target = if active == Some(0) { 1 } else { 0 };
        let gen = out.join(GENERATIONS).join(target.to_string());
        let fresh = !gen.exists();
        std::fs::create_dir_all(&gen).map_err(|e| Error::io(&gen, e))?;
        // Without a manifest we cannot trust what is there, so everything is written. The manifest
        // is removed before any change, so an interrupted update is never mistaken for a finished one.
        // A generation made just now holds nothing.
        let old = match fresh {
            true => Some(BTreeMap::new()),
            false => read_manifest(&gen),
        };
        let mut not_published = HashSet::new();
        let current = active.and_then(|a| {
            let dir = out.join(GENERATIONS).join(a.to_string());
            let mut m = read_manifest(&dir)?;
            // Only what this generation lacks is worth keeping: usually the last build's changes.
            if let Some(old) = &old {
                not_published = old
                    .keys()
                    .filter(|p| !m.contains_key(*p))
                    .cloned()
                    .collect();
                m.retain(|p, f| old.get(p) != Some(f));
            }
            Some((dir, m))
        });
        let manifest = gen.join(MANIFEST);
        if manifest.exists() {
            std::fs::remove_file(&manifest).map_err(|e| Error::io(&manifest, e))?;
        }
        // A state describes the files it was kept with: gone with them until a run keeps one.
        for old in std::fs::read_dir(&gen).into_iter().flatten().flatten() {
            if old.file_name().to_string_lossy().starts_with(STATE) {
                let _ = std::fs::remove_file(old.path());
            }
        }
        Ok(Writer {
            out: out.to_path_buf(),
            product: String::new(),
            target,
            gen,
            old,
            current,
            new: Mutex::default(),
            made_dirs: Mutex::default(),
            written_once: Mutex::default(),
            pending: Mutex::default(),
            state: Mutex::default(),
            republish: Default::default(),
            not_published,
            written: AtomicUsize::new(0),
            changed: Mutex::default(),
            finished: false,
        })
    }

    /// Every file of the published output, with its fingerprint.
    pub fn published_files(&self) -> Vec<(String, String)> {
        self.published_paths()
            .filter_map(|p| Some((p.clone(), self.published(p)?.to_string())))
            .collect()
    }

    /// Where the published file at `path` is on disk.
    pub fn published_source(&self, path: &str) -> Option<PathBuf> {
        self.current.as_ref().map(|(dir, _)| dir.join(path))
    }

    fn state_name(&self) -> String {
        format!("{STATE}{}", self.product)
    }

    /// What the last run of this product kept with the published generation (`keep_state`).
    pub fn published_state(&self) -> Option<Vec<u8>> {
        let (dir, _) = self.current.as_ref()?;
        std::fs::read(dir.join(self.state_name())).ok()
    }

    /// Keep `state` with the generation this run makes, for the next run of this product.
    /// It is written with the generation `finish` publishes, or beside the published one when
    /// the run changed no file (a new Waymark or a settings edit that changes no page must still
    /// be remembered, or every later build would render everything again).
    pub fn keep_state(&self, state: &[u8]) -> Result<()> {
        *self.state.lock() = Some(state.to_vec());
        Ok(())
    }

    /// Publish this run's generation even if every file is recorded as published: some of the
    /// published files are gone (deleted from the output by hand), and this run makes them again.
    pub fn republish(&self) {
        self.republish.store(true, Ordering::Relaxed);
    }

    fn write_state(&self, gen: &Path) -> Result<()> {
        let Some(state) = self.state.lock().take() else {
            return Ok(());
        };
        let path = gen.join(self.state_name());
        super::write_atomic(&path, &state).map_err(|e| Error::io(&path, e))
    }

    /// The fingerprint of the file published at `path`, if there is one.
    fn published(&self, path: &str) -> Option<&str> {
        let (_, current) = self.current.as_ref()?;
        if let Some(f) = current.get(path) {
            return Some(f);
        }
        // Not in the filtered manifest: published as `old` has it, unless not published at all.
        match &self.old {
            Some(old) if !self.not_published.contains(path) => old.get(path).map(String::as_str),
            _ => None,
        }
    }

    /// Every path of the published site.
    fn published_paths(&self) -> impl Iterator<Item = &String> {
        let current = self.current.as_ref().map(|(_, m)| m);
        let old = self.old.as_ref().filter(|_| current.is_some());
        let filtered = current.into_iter().flat_map(|m| m.keys());
        let rest = old.into_iter().flat_map(|m| m.keys()).filter(move |p| {
            !self.not_published.contains(*p) && !current.is_some_and(|c| c.contains_key(*p))
        });
        filtered.chain(rest)
    }

    /// Write `file` unless the generation already holds it as it is.
    pub fn put(&self, file: &OutFile, fingerprint: &str) -> Result<()> {
        let recorded = self.published(&file.path) == Some(fingerprint);
        if !recorded {
            self.changed.lock().push(file.path.clone());
        }
        // This generation holds it as it is (and still has it: not deleted from the output by hand).
        let same = self
            .old
            .as_ref()
            .and_then(|m| m.get(&file.path))
            .is_some_and(|f| f == fingerprint)
            && self.gen.join(&file.path).is_file();
        // Published as it is, and still there.
        let published = !same
            && recorded
            && (self.current.as_ref()).is_some_and(|(dir, _)| dir.join(&file.path).is_file());
        if !same && recorded && !published {
            // Deleted from the published output by hand: this run puts it back.
            self.changed.lock().push(file.path.clone());
        }
        if published {
            // Published as it is: linked from there at `finish`, and only if the run changed
            // anything (a run that changed nothing publishes nothing new).
            (self.pending.lock()).push((file.path.clone(), fingerprint.to_string()));
            return Ok(());
        }
        if !same {
            // Recorded as unknown first: a write that fails half-way is rewritten next time.
            self.record(&file.path, "?");
            if !self.write_file(file, fingerprint)? {
                self.written.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.record(&file.path, fingerprint);
        Ok(())
    }

    fn record(&self, path: &str, fingerprint: &str) {
        self.new
            .lock()
            .insert(path.to_string(), fingerprint.to_string());
    }

    /// Write one file; true when it was linked from the current generation (the same there).
    fn write_file(&self, f: &OutFile, fingerprint: &str) -> Result<bool> {
        let dest = self.gen.join(&f.path);
        if let Some(dir) = dest.parent() {
            let known = self.made_dirs.lock().contains(dir);
            if !known {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                self.made_dirs.lock().insert(dir.to_path_buf());
            }
        }
        let from_current = (self.current.as_ref())
            .filter(|(_, manifest)| manifest.get(&f.path).is_some_and(|c| c == fingerprint))
            .map(|(dir, _)| dir.join(&f.path));
        let may_exist = self.old.as_ref().is_none_or(|m| m.contains_key(&f.path));
        // A file there that this generation alone holds is written over where it is: deleting it
        // and creating another makes ext4 look for a free inode past every one just freed, which
        // was most of the kernel's time in a print run over an older generation.
        let in_place = may_exist
            && from_current.is_none()
            && matches!(f.data, Data::Bytes(_))
            && sole_file(&dest);
        // Any other file there may be a hard link into a cache or the other generation: replaced,
        // never written through.
        if may_exist && !in_place {
            let _ = std::fs::remove_file(&dest);
        }
        if let Some(from) = from_current {
            if std::fs::hard_link(from, &dest).is_ok() {
                return Ok(true);
            }
        }
        match &f.data {
            Data::Bytes(b) => {
                let first = (self.written_once.lock()).get(fingerprint).cloned();
                let linked = first.is_some_and(|f| {
                    if in_place {
                        let _ = std::fs::remove_file(&dest);
                    }
                    std::fs::hard_link(f, &dest).is_ok()
                });
                if !linked {
                    std::fs::write(&dest, b).map_err(|e| Error::io(&dest, e))?;
                    (self.written_once.lock()).insert(fingerprint.to_string(), dest.clone());
                }
            }
            Data::Copy(from) => {
                // A copy must not follow a link out of the site.
                if std::fs::symlink_metadata(from)
                    .map(|m| m.file_type().is_symlink())
                    .unwrap_or(false)
                {
                    return Err(Error::one(
                        Diagnostic::error(from, "this file is a link; Waymark publishes only real files inside the site")
                            .hint("copy the file itself into the folder instead of linking to it"),
                    ));
                }
                std::fs::copy(from, &dest).map_err(|e| Error::io(from, e))?;
            }
            Data::Cached(from) => {
                // Cache files are replaced by rename, never changed in place, so the output may
                // share them: a hard link costs no copy. Across file systems, a copy, never
                // written through a link that was there.
                let linked = std::fs::hard_link(from, &dest).or_else(|_| {
                    let _ = std::fs::remove_file(&dest);
                    std::fs::hard_link(from, &dest)
                });
                linked
                    .or_else(|_| std::fs::copy(from, &dest).map(|_| ()))
                    .map_err(|e| Error::io(from, e))?;
            }
        }
        Ok(false)
    }

    /// Delete what this build did not make, record the manifest and switch `current` to this
    /// generation: the one atomic step.
    pub fn finish(mut self) -> Result<Written> {
        let pending = std::mem::take(&mut *self.pending.lock());
        let gone = {
            let new = self.new.lock();
            let pending: HashSet<&str> = pending.iter().map(|(p, _)| p.as_str()).collect();
            self.published_paths()
                .filter(|p| !new.contains_key(*p) && !pending.contains(p.as_str()))
                .count()
        };
        let unchanged = self.changed.lock().is_empty() && gone == 0;
        let unchanged = unchanged && !self.republish.load(Ordering::Relaxed);
        if let (true, Some((published, _))) = (unchanged, &self.current) {
            // The published output stays; this generation keeps what it has (`Drop` records it).
            self.write_state(published)?;
            let kept = self.new.lock().len() + pending.len();
            let written = self.written.load(Ordering::Relaxed);
            return Ok(Written {
                gone: 0,
                written,
                unchanged: kept - written,
                deleted: 0,
                changed: 0,
                changed_paths: Vec::new(),
            });
        }
        let dir = self.current.as_ref().map(|(dir, _)| dir.clone());
        pending.par_iter().try_for_each(|(path, fingerprint)| {
            let Some(dir) = &dir else { return Ok(()) };
            self.record(path, "?");
            self.write_file(&OutFile::cached(path.clone(), dir.join(path)), fingerprint)?;
            self.record(path, fingerprint);
            Ok::<(), Error>(())
        })?;
        self.finished = true;
        let new = std::mem::take(&mut *self.new.lock());
        let stale: Vec<PathBuf> = match &self.old {
            Some(m) => m
                .keys()
                .filter(|p| !new.contains_key(p.as_str()))
                .map(|p| self.gen.join(p))
                .collect(),
            None => walkdir::WalkDir::new(&self.gen)
                .into_iter()
                .flatten()
                .filter(|e| !e.file_type().is_dir())
                .filter_map(|e| {
                    let rel = e
                        .path()
                        .strip_prefix(&self.gen)
                        .ok()?
                        .to_string_lossy()
                        .replace('\\', "/");
                    let own = rel == MANIFEST || rel.starts_with(STATE);
                    (!own && !new.contains_key(rel.as_str())).then(|| e.path().to_path_buf())
                })
                .collect(),
        };
        for p in &stale {
            let _ = std::fs::remove_file(p);
        }
        if !stale.is_empty() {
            remove_empty_dirs(&self.gen);
        }
        self.write_state(&self.gen)?;
        write_manifest(&self.gen, &new)?;
        switch(&self.out, self.target)?;
        let written = self.written.load(Ordering::Relaxed);
        let changed_paths = std::mem::take(&mut *self.changed.lock());
        Ok(Written {
            gone,
            written,
            unchanged: new.len() - written,
            deleted: stale.len(),
            changed: changed_paths.len(),
            changed_paths,
        })
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        // What is on disk now: the old files as they were, with this build's written over them.
        let new = self.new.lock();
        let Some(old) = &self.old else { return };
        let mut now = old.clone();
        now.extend(new.iter().map(|(p, f)| (p.clone(), f.clone())));
        let _ = write_manifest(&self.gen, &now);
    }
}

/// Whether `path` is a plain file with no other name (no hard link into a cache or the other
/// generation), so that writing over it changes nothing else.
fn sole_file(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.nlink() == 1)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

fn write_manifest(gen: &Path, rows: &BTreeMap<String, String>) -> Result<()> {
    let mut text = String::with_capacity(rows.len() * 64);
    for (p, f) in rows {
        text.push_str(p);
        text.push('\t');
        text.push_str(f);
        text.push('\n');
    }
    let path = gen.join(MANIFEST);
    super::write_atomic(&path, text.as_bytes()).map_err(|e| Error::io(&path, e))
}

/// Turn an output folder of the older layout (plain `site/` and `print/` folders) into generations.
fn adopt(out: &Path) -> Result<()> {
    for name in crate::address::PRODUCTS {
        let p = out.join(name);
        let is_plain_dir = std::fs::symlink_metadata(&p)
            .map(|m| m.is_dir())
            .unwrap_or(false);
        if is_plain_dir {
            std::fs::remove_dir_all(&p).map_err(|e| Error::io(&p, e))?;
        }
    }
    Ok(())
}

fn active_generation(out: &Path) -> Option<u8> {
    let link = std::fs::read_link(out.join(CURRENT)).ok()?;
    match link.file_name()?.to_str()? {
        "0" => Some(0),
        "1" => Some(1),
        _ => None,
    }
}

fn read_manifest(gen: &Path) -> Option<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(gen.join(MANIFEST)).ok()?;
    Some(
        text.lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(p, f)| (p.to_string(), f.to_string()))
            .collect(),
    )
}

fn remove_empty_dirs(root: &Path) {
    let dirs: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .contents_first(true)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_dir() && e.path() != root)
        .map(|e| e.path().to_path_buf())
        .collect();
    for d in dirs {
        let _ = std::fs::remove_dir(d); // fails, harmlessly, when not empty
    }
}

/// Point `current` at generation `target` with one rename, and make sure `site` and `print` lead through it.
#[cfg(unix)]
fn switch(out: &Path, target: u8) -> Result<()> {
    use std::os::unix::fs::symlink;
    let tmp = out.join(format!(".{CURRENT}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    symlink(Path::new(GENERATIONS).join(target.to_string()), &tmp)
        .map_err(|e| Error::io(&tmp, e))?;
    let current = out.join(CURRENT);
    std::fs::rename(&tmp, &current).map_err(|e| Error::io(&current, e))?;
    for name in crate::address::PRODUCTS {
        let link = out.join(name);
        if !out
            .join(GENERATIONS)
            .join(target.to_string())
            .join(name)
            .is_dir()
        {
            // A product this output does not have (print files alone, no old address): no link.
            let _ = std::fs::remove_file(&link);
            continue;
        }
        if std::fs::read_link(&link).ok().as_deref() != Some(&Path::new(CURRENT).join(name)) {
            let _ = std::fs::remove_file(&link);
            symlink(Path::new(CURRENT).join(name), &link).map_err(|e| Error::io(&link, e))?;
        }
    }
    Ok(())
}

/// Without symlinks: copy the finished generation over plain folders (not atomic, but whole on success).
#[cfg(not(unix))]
fn switch(out: &Path, target: u8) -> Result<()> {
    let gen = out.join(GENERATIONS).join(target.to_string());
    for name in crate::address::PRODUCTS {
        let dest = out.join(name);
        let _ = std::fs::remove_dir_all(&dest);
        for e in walkdir::WalkDir::new(gen.join(name)).into_iter().flatten() {
            let rel = e.path().strip_prefix(&gen).unwrap_or(e.path());
            let to = out.join(rel);
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).map_err(|err| Error::io(&to, err))?;
            } else {
                std::fs::copy(e.path(), &to).map_err(|err| Error::io(&to, err))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: &Path) -> String {
        std::fs::read_to_string(p).unwrap()
    }

    #[test]
    fn a_linked_cache_file_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let (out, cached) = (dir.path().join("output"), dir.path().join("cache.png"));
        std::fs::write(&cached, "cached").unwrap();
        let linked = [OutFile::cached("print/a.png".into(), cached.clone())];
        for _ in 0..2 {
            super::super::write(&out, &linked).unwrap();
        }
        // The same path now made as bytes in both generations: the cache must not change.
        let bytes = [OutFile::bytes("print/a.png".into(), "new")];
        for _ in 0..2 {
            super::super::write(&out, &bytes).unwrap();
        }
        assert_eq!(read(&cached), "cached");
        assert_eq!(read(&out.join("print/a.png")), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_only_this_generation_holds_is_written_over_where_it_is() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let files = |v: &str| [OutFile::bytes("print/a.svg".into(), v.to_string())];
        super::super::write(&out, &files("1")).unwrap();
        super::super::write(&out, &files("2")).unwrap();
        let gen = |n: &str| out.join(GENERATIONS).join(n).join("print/a.svg");
        let inode = std::fs::metadata(gen("0")).unwrap().ino();
        super::super::write(&out, &files("3")).unwrap();
        assert_eq!(read(&out.join("print/a.svg")), "3");
        assert_eq!(std::fs::metadata(gen("0")).unwrap().ino(), inode);
        assert_eq!(read(&gen("1")), "2", "the other generation is untouched");
    }

    #[test]
    fn a_failed_build_records_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let files = |b: &str| {
            [
                OutFile::bytes("site/a.html".into(), "A"),
                OutFile::bytes("site/b.html".into(), b.to_string()),
            ]
        };
        super::super::write(&out, &files("B")).unwrap();
        super::super::write(&out, &files("B")).unwrap();
        {
            // A build that wrote one changed file, then failed (dropped unfinished).
            let w = Writer::begin_all(&out).unwrap();
            let f = OutFile::bytes("site/b.html".into(), "B2");
            w.put(&f, &f.fingerprint().0).unwrap();
        }
        // Nothing was published.
        assert_eq!(read(&out.join("site/b.html")), "B");
        // The next build into that generation trusts its record: only b.html differs from it.
        let next = super::super::write(&out, &files("B3")).unwrap();
        assert_eq!((next.written, next.unchanged), (1, 1));
        assert_eq!(read(&out.join("site/b.html")), "B3");
        assert_eq!(read(&out.join("site/a.html")), "A");
    }
}
