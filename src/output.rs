//! Write: atomic, incremental, and never outside `--out`.
//!
//! `out/` holds two generations of the whole output and a symlink `current` to one of them;
//! `out/site` and `out/print` are fixed links through `current`:
//!
//! ```text
//! out/.waymark-output   marker: this folder is Waymark's
//! out/current  -> .gen/1
//! out/site     -> current/site
//! out/print    -> current/print
//! out/.gen/0/  out/.gen/1/   each with .manifest: path, length and digest of every file
//! ```
//!
//! A build brings the generation that is *not* current up to date (writing only files whose
//! digest differs from its manifest and deleting files that are gone), then renames a new
//! `current` link over the old one: one atomic step. An interrupted or failed build leaves
//! `current`, and so the published tree, as it was; the old tree is never deleted wholesale.

use crate::error::{Diagnostic, Error, Result};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Marks a folder as Waymark's own, so that it may be replaced; a folder without it is never deleted.
pub const MARKER: &str = ".waymark-output";
const GENERATIONS: &str = ".gen";
const CURRENT: &str = "current";
const MANIFEST: &str = ".manifest";

/// One file of the output, by its path under the output folder (`site/...` or `print/...`).
#[derive(Debug, Clone)]
pub struct OutFile {
    pub path: String,
    pub data: Data,
}

#[derive(Debug, Clone)]
pub enum Data {
    Bytes(Vec<u8>),
    /// A file copied as it is (bundle photos, theme static files).
    Copy(PathBuf),
}

impl OutFile {
    pub fn bytes(path: String, data: impl Into<Vec<u8>>) -> Self {
        OutFile {
            path,
            data: Data::Bytes(data.into()),
        }
    }

    pub fn copy(path: String, from: PathBuf) -> Self {
        OutFile {
            path,
            data: Data::Copy(from),
        }
    }

    /// What the manifest records: for bytes, their length and digest; for a copied file, its
    /// source's length and modification time, so that an unchanged photo is never read again.
    fn fingerprint(&self) -> String {
        match &self.data {
            Data::Bytes(b) => format!("{} {:016x}", b.len(), digest(b)),
            Data::Copy(from) => match std::fs::metadata(from) {
                Ok(m) => {
                    let mtime = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos());
                    format!("{} copy:{mtime}:{}", m.len(), from.display())
                }
                Err(_) => String::from("missing"),
            },
        }
    }
}

/// FNV-1a, 64 bits: stable across machines and Rust versions.
pub fn digest(bytes: &[u8]) -> u64 {
    let mut h = Fnv::default();
    h.write(bytes);
    h.0
}

/// FNV-1a fed piece by piece (the service worker's digest of the whole site).
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Write `bytes` to `path` whole or not at all: into a temporary file beside it, then renamed
/// over it, so that a build killed mid-write never leaves a cut-short file (plaques.lock, or a
/// cache entry a later build would trust).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Refuse an output folder that holds files Waymark did not make, unless `force`.
pub fn check_target(out: &Path, force: bool) -> Result<()> {
    if force || !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(Error::Usage(format!(
            "--out {} is a file, not a folder; pick another path",
            out.display()
        )));
    }
    let ours = out.join(MARKER).is_file();
    let empty = std::fs::read_dir(out)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    if ours || empty {
        Ok(())
    } else {
        Err(Error::one(
            Diagnostic::error(out, "this output folder holds files that Waymark did not make")
                .hint("pick an empty or new folder with --out, or pass --force to replace it (its files will be deleted)"),
        ))
    }
}

/// What a write did, for the summary and the tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub written: usize,
    pub unchanged: usize,
    pub deleted: usize,
}

/// Make `files` the content of `out`, atomically; only changed files are written.
pub fn write(out: &Path, files: &[OutFile]) -> Result<Written> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    adopt(out)?;
    let marker = out.join(MARKER);
    std::fs::write(
        &marker,
        "Written by `waymark build`. site/ is what to publish; print/ is what to print.\n",
    )
    .map_err(|e| Error::io(&marker, e))?;
    let active = active_generation(out);
    let target = if active == Some(0) { 1 } else { 0 };
    let gen = out.join(GENERATIONS).join(target.to_string());
    let written = update_generation(&gen, files)?;
    switch(out, target)?;
    Ok(written)
}

/// Turn an output folder of the older layout (plain `site/` and `print/` folders) into generations.
fn adopt(out: &Path) -> Result<()> {
    for name in ["site", "print"] {
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

/// Bring one generation folder to exactly `files`.
fn update_generation(gen: &Path, files: &[OutFile]) -> Result<Written> {
    std::fs::create_dir_all(gen).map_err(|e| Error::io(gen, e))?;
    // Without a manifest we cannot trust what is there, so everything is written. The manifest is
    // removed before any change, so an interrupted update is never mistaken for a finished one.
    let old = read_manifest(gen);
    let manifest_path = gen.join(MANIFEST);
    if manifest_path.exists() {
        std::fs::remove_file(&manifest_path).map_err(|e| Error::io(&manifest_path, e))?;
    }
    let fingerprints: Vec<String> = files.par_iter().map(OutFile::fingerprint).collect();
    let new_paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();

    // Files that are gone: from the manifest, or, without one, from the folder itself.
    let stale: Vec<PathBuf> = match &old {
        Some(m) => m
            .keys()
            .filter(|p| !new_paths.contains(p.as_str()))
            .map(|p| gen.join(p))
            .collect(),
        None => walkdir::WalkDir::new(gen)
            .into_iter()
            .flatten()
            .filter(|e| !e.file_type().is_dir())
            .filter_map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(gen)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/");
                (!new_paths.contains(rel.as_str())).then(|| e.path().to_path_buf())
            })
            .collect(),
    };
    for p in &stale {
        let _ = std::fs::remove_file(p);
    }

    let todo: Vec<usize> = (0..files.len())
        .filter(|&i| {
            old.as_ref()
                .and_then(|m| m.get(&files[i].path))
                .is_none_or(|f| *f != fingerprints[i])
        })
        .collect();
    let mut dirs = BTreeSet::new();
    for &i in &todo {
        if let Some(p) = Path::new(&files[i].path).parent() {
            dirs.insert(gen.join(p));
        }
    }
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
    }
    todo.par_iter().try_for_each(|&i| {
        let f = &files[i];
        let dest = gen.join(&f.path);
        match &f.data {
            Data::Bytes(b) => std::fs::write(&dest, b).map_err(|e| Error::io(&dest, e)),
            Data::Copy(from) => {
                // A copy must not follow a link out of the site.
                if std::fs::symlink_metadata(from).map(|m| m.file_type().is_symlink()).unwrap_or(false) {
                    return Err(Error::one(
                        Diagnostic::error(from, "this file is a link; Waymark publishes only real files inside the site")
                            .hint("copy the file itself into the folder instead of linking to it"),
                    ));
                }
                std::fs::copy(from, &dest).map(|_| ()).map_err(|e| Error::io(from, e))
            }
        }
    })?;
    remove_empty_dirs(gen);

    let mut manifest = String::with_capacity(files.len() * 64);
    let mut rows: Vec<(&str, &str)> = files
        .iter()
        .zip(&fingerprints)
        .map(|(f, p)| (f.path.as_str(), p.as_str()))
        .collect();
    rows.sort();
    for (p, f) in rows {
        manifest.push_str(p);
        manifest.push('\t');
        manifest.push_str(f);
        manifest.push('\n');
    }
    std::fs::write(&manifest_path, manifest).map_err(|e| Error::io(&manifest_path, e))?;
    Ok(Written {
        written: todo.len(),
        unchanged: files.len() - todo.len(),
        deleted: stale.len(),
    })
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
    for name in ["site", "print"] {
        let link = out.join(name);
        if !out
            .join(GENERATIONS)
            .join(target.to_string())
            .join(name)
            .is_dir()
        {
            // Print files alone (`waymark plaques`) have no site to link to.
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
    for name in ["site", "print"] {
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

    #[test]
    fn replaces_whole_tree_and_refuses_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write(&out, &[OutFile::bytes("site/a.html".into(), "A")]).unwrap();
        write(&out, &[OutFile::bytes("site/b.html".into(), "B")]).unwrap();
        assert!(!out.join("site/a.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("site/b.html")).unwrap(),
            "B"
        );
        assert!(check_target(&out, false).is_ok());
        let foreign = dir.path().join("docs");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("thesis.txt"), "mine").unwrap();
        assert!(check_target(&foreign, false).is_err());
        // Nothing is written beside the output folder.
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let files = |b: &str| {
            vec![
                OutFile::bytes("site/a.html".into(), "A"),
                OutFile::bytes("site/b.html".into(), b.to_string()),
            ]
        };
        assert_eq!(write(&out, &files("B")).unwrap().written, 2);
        assert_eq!(write(&out, &files("B")).unwrap().written, 2); // the other generation, empty so far
        let third = write(&out, &files("B2")).unwrap();
        assert_eq!((third.written, third.unchanged), (1, 1));
        assert_eq!(
            std::fs::read_to_string(out.join("site/b.html")).unwrap(),
            "B2"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("site/a.html")).unwrap(),
            "A"
        );
    }

    #[test]
    fn a_generation_without_manifest_is_rewritten_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let f = vec![OutFile::bytes("site/a.html".into(), "A")];
        write(&out, &f).unwrap();
        write(&out, &f).unwrap();
        // Simulate an update interrupted after a file was damaged: no manifest left.
        let inactive = out.join(".gen/0");
        std::fs::remove_file(inactive.join(".manifest")).unwrap();
        std::fs::write(inactive.join("site/a.html"), "half").unwrap();
        std::fs::write(inactive.join("site/stray.html"), "x").unwrap();
        write(&out, &f).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("site/a.html")).unwrap(),
            "A"
        );
        assert!(!out.join("site/stray.html").exists());
    }
}
