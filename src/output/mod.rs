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
//! Files are written as the build makes them (`Emitter` → `Writer`), so that the build never holds
//! the whole site in memory.

mod cache;
mod emit;
mod generation;
mod sizes;

pub use cache::{CacheDir, CACHE_ROOT};
pub use emit::{Collect, Discard, Emitter, Sink};
pub use generation::Writer;
pub use sizes::{compressed_len, gzipped_len, PageSizes};

use crate::error::{Diagnostic, Error, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Marks a folder as Waymark's own, so that it may be replaced; a folder without it is never deleted.
pub const MARKER: &str = ".waymark-output";

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
    /// A file in Waymark's own cache (plaques, processed photos, QR symbols), which is replaced by
    /// rename and never changed in place: the output links to it instead of copying it.
    Cached(PathBuf),
}

impl Data {
    /// The bytes, read from disk for a copied or cached file.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Data::Bytes(b) => Ok(b.clone()),
            Data::Copy(p) | Data::Cached(p) => std::fs::read(p),
        }
    }
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

    /// A file of Waymark's cache, linked into the output (see `Data::Cached`).
    pub fn cached(path: String, from: PathBuf) -> Self {
        OutFile {
            path,
            data: Data::Cached(from),
        }
    }

    /// What the manifest records, and a key of the content that is the same on every machine.
    /// For bytes, their length and digest; for a copied file, its source's length and
    /// modification time, so that an unchanged photo is never read again (its key: the length).
    pub fn fingerprint(&self) -> (String, u64) {
        match &self.data {
            Data::Bytes(b) => {
                let d = digest(b);
                (format!("{} {d:016x}", b.len()), d)
            }
            Data::Copy(from) | Data::Cached(from) => match std::fs::metadata(from) {
                Ok(m) => {
                    let mtime = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos());
                    (
                        format!("{} copy:{mtime}:{}", m.len(), from.display()),
                        m.len(),
                    )
                }
                Err(_) => (String::from("missing"), 0),
            },
        }
    }
}

/// XXH3, 64 bits: a frozen algorithm, the same on every machine and in every version of the
/// crate, and fast enough to hash every page of a build (FNV-1a, a byte at a time, was 6% of a
/// cold build's CPU).
pub fn digest(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// `digest` fed piece by piece (the service worker's digest of the whole site).
#[derive(Default)]
pub struct Digest(xxhash_rust::xxh3::Xxh3);

impl Digest {
    pub fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub fn finish(&self) -> u64 {
        self.0.digest()
    }
}

/// Write `path` whole or not at all: written beside under a temporary name (a dot name, which
/// `CacheDir::prune` clears after a killed run), then renamed over it. For files the output and
/// caches can make again.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_replacing(path, bytes, false, Mode::Shared)
}

/// `write_atomic`, flushed to the disk (the file, then its folder's entry) before it returns:
/// for what people wrote and what cannot be made again (entries, plaques.lock, owner links),
/// which a power cut on a small server must not take back.
pub fn write_durable(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_replacing(path, bytes, true, Mode::Shared)
}

/// `write_durable` for a file only this user may read (the editor's sessions and owner links).
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_replacing(path, bytes, true, Mode::Private)
}

/// Who may read a file written through a temporary one.
#[derive(Clone, Copy)]
enum Mode {
    /// As a plainly created file (0666 less the umask), or as the file it replaces: a web server
    /// running as another user serves the output, share images included.
    Shared,
    /// This user only (0600).
    Private,
}

/// A temporary file beside `path`, with the permissions `path` is to have (a temporary file is
/// made 0600, which renamed into place would hide it from the web server).
fn temporary_for(path: &Path, dir: &Path, mode: Mode) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let bits = match mode {
            Mode::Private => 0o600,
            Mode::Shared => {
                std::fs::metadata(path).map_or(0o666, |m| m.permissions().mode() & 0o777)
            }
        };
        builder.permissions(std::fs::Permissions::from_mode(bits));
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    builder.tempfile_in(dir)
}

/// Write several files all or none, each flushed to disk: every text goes to a temporary file
/// beside its target first; then each is renamed into place, and when one rename fails, the
/// files already moved are put back as they were (those that replaced a file from a link to it
/// kept beforehand). For the importer, whose run must not leave half a list behind.
pub fn write_all_or_none(files: &[(PathBuf, &[u8])]) -> std::io::Result<()> {
    use std::io::Write;
    let mut staged = Vec::new();
    for (path, bytes) in files {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut tmp = temporary_for(path, dir, Mode::Shared)?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        staged.push((tmp, path));
    }
    // (target, the link to what it replaced)
    let mut moved: Vec<(&Path, Option<PathBuf>)> = Vec::new();
    let undo = |moved: &[(&Path, Option<PathBuf>)]| {
        for (path, before) in moved.iter().rev() {
            let _ = match before {
                Some(b) => std::fs::rename(b, path),
                None => std::fs::remove_file(path),
            };
        }
    };
    for (tmp, path) in staged {
        let before = if path.exists() {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let b = path.with_file_name(format!(".{name}.before-{}", std::process::id()));
            let _ = std::fs::remove_file(&b);
            if let Err(e) = std::fs::hard_link(path, &b) {
                undo(&moved);
                return Err(e);
            }
            Some(b)
        } else {
            None
        };
        if let Err(e) = tmp.persist(path) {
            if let Some(b) = &before {
                let _ = std::fs::remove_file(b);
            }
            undo(&moved);
            return Err(e.error);
        }
        moved.push((path, before));
    }
    let mut dirs: Vec<&Path> = Vec::new();
    for (path, before) in &moved {
        if let Some(b) = before {
            let _ = std::fs::remove_file(b);
        }
        dirs.extend(path.parent());
    }
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        std::fs::File::open(d)?.sync_all()?;
    }
    Ok(())
}

fn write_replacing(path: &Path, bytes: &[u8], durable: bool, mode: Mode) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = temporary_for(path, dir, mode)?;
    tmp.write_all(bytes)?;
    if durable {
        tmp.as_file().sync_all()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    if durable {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
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
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Written {
    /// Files written to disk (not linked from the published generation).
    pub written: usize,
    pub unchanged: usize,
    pub deleted: usize,
    /// Files that differ from the published ones, or were not published: what the build changed.
    pub changed: usize,
    /// Their paths.
    pub changed_paths: Vec<String>,
    /// Published files that this build did not make.
    pub gone: usize,
}

/// Make `files` the content of `out`, atomically; only changed files are written.
pub fn write(out: &Path, files: &[OutFile]) -> Result<Written> {
    let writer = Writer::begin_all(out)?;
    files
        .par_iter()
        .try_for_each(|f| writer.put(f, &f.fingerprint().0))?;
    writer.finish()
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
        let first = write(&out, &files("B")).unwrap();
        assert_eq!((first.written, first.changed), (2, 2));
        // The other generation, empty so far: its files are linked from the published one.
        let second = write(&out, &files("B")).unwrap();
        assert_eq!(
            (second.written, second.unchanged, second.changed),
            (0, 2, 0)
        );
        // Nothing changed: the published generation stays, and the other is not filled.
        assert_eq!(
            std::fs::read_link(out.join("current")).unwrap(),
            Path::new(".gen/0")
        );
        assert!(!out.join(".gen/1/site/a.html").exists());
        let third = write(&out, &files("B2")).unwrap();
        assert_eq!((third.written, third.unchanged, third.changed), (1, 1, 1));
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let links = std::fs::metadata(out.join(".gen/1/site/a.html"))
                .unwrap()
                .nlink();
            assert_eq!(
                links, 2,
                "the unchanged file linked from the published one, not written"
            );
        }
        assert_eq!(
            std::fs::read_to_string(out.join("site/b.html")).unwrap(),
            "B2"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("site/a.html")).unwrap(),
            "A"
        );
        // Put back: the other generation still holds "B", so nothing is written, but the
        // published site changed.
        let fourth = write(&out, &files("B")).unwrap();
        assert_eq!((fourth.written, fourth.changed), (0, 1));
        // A new file and a file gone.
        let fifth = write(&out, &[OutFile::bytes("site/c.html".into(), "C")]).unwrap();
        assert_eq!((fifth.changed, fifth.gone), (1, 2));
        let sixth = write(&out, &[OutFile::bytes("site/c.html".into(), "C")]).unwrap();
        assert_eq!((sixth.changed, sixth.gone), (0, 0));
    }

    #[test]
    fn a_generation_without_manifest_is_rewritten_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let f = vec![OutFile::bytes("site/a.html".into(), "A")];
        write(&out, &f).unwrap();
        let more = [f.clone(), vec![OutFile::bytes("site/b.html".into(), "B")]].concat();
        write(&out, &more).unwrap();
        // Simulate an update interrupted after a file was cut short: no manifest left. Waymark
        // replaces a file (unlink, then write) and never writes into one, because unchanged
        // files are hard links shared with the published generation; so does this damage.
        let inactive = out.join(".gen/0");
        std::fs::remove_file(inactive.join(".manifest")).unwrap();
        std::fs::remove_file(inactive.join("site/a.html")).unwrap();
        std::fs::write(inactive.join("site/a.html"), "half").unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("site/a.html")).unwrap(),
            "A",
            "the published file is untouched"
        );
        std::fs::write(inactive.join("site/stray.html"), "x").unwrap();
        write(&out, &f).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("site/a.html")).unwrap(),
            "A"
        );
        assert!(!out.join("site/stray.html").exists());
    }

    #[test]
    fn a_rename_that_fails_puts_back_what_was_moved() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a.md");
        std::fs::write(&a, "cũ").unwrap();
        // A folder where the second file should go: its rename fails.
        let b = d.path().join("b.md");
        std::fs::create_dir(&b).unwrap();
        std::fs::write(b.join("x"), "x").unwrap();
        let c = d.path().join("c.md");
        let r = write_all_or_none(&[
            (a.clone(), "mới".as_bytes()),
            (c.clone(), b"new"),
            (b.clone(), b"never"),
        ]);
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "cũ", "put back");
        assert!(!c.exists(), "a new file is taken away again");
        let left: Vec<_> = std::fs::read_dir(d.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 2, "no temporary file left: {left:?}");
        write_all_or_none(&[(a.clone(), "mới".as_bytes()), (c.clone(), b"new")]).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "mới");
    }

    #[test]
    fn a_durable_write_replaces_whole() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("plaques.lock");
        write_durable(&p, b"one").unwrap();
        write_durable(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }
}
