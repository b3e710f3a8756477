//! Write: the whole output tree is written beside the old one and swapped in with one atomic
//! rename, so a failed or interrupted build leaves the previous output whole.

use crate::error::{Diagnostic, Error, Result};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::ffi::OsString;
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

/// Write `files` as the new content of `out`, atomically.
pub fn write(out: &Path, files: &[OutFile]) -> Result<()> {
    let name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| OsString::from("output"));
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    clean_stale(&parent, &name);
    let tmp = parent.join(side_name(&name, "tmp"));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    }
    let result = write_tree(&tmp, files).and_then(|()| swap(&tmp, out, &parent, &name));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

fn side_name(name: &OsString, what: &str) -> OsString {
    let mut s = OsString::from(".");
    s.push(name);
    s.push(format!(".waymark-{what}-{}", std::process::id()));
    s
}

/// Remove side folders that an interrupted build left; their names say they are ours.
fn clean_stale(parent: &Path, name: &OsString) {
    let prefix = format!(".{}.waymark-", name.to_string_lossy());
    if let Ok(dir) = std::fs::read_dir(parent) {
        for item in dir.flatten() {
            let n = item.file_name().to_string_lossy().into_owned();
            if n.starts_with(&prefix) && item.path().join(MARKER).is_file() {
                let _ = std::fs::remove_dir_all(item.path());
            }
        }
    }
}

fn write_tree(root: &Path, files: &[OutFile]) -> Result<()> {
    let mut dirs = BTreeSet::new();
    dirs.insert(root.to_path_buf());
    for f in files {
        if let Some(p) = Path::new(&f.path).parent() {
            dirs.insert(root.join(p));
        }
    }
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
    }
    // The marker first: a half-written side folder can then be recognised and cleaned.
    let marker = root.join(MARKER);
    std::fs::write(
        &marker,
        "Written by `waymark build`, which replaces this folder whole on every build.\n",
    )
    .map_err(|e| Error::io(&marker, e))?;
    files.par_iter().try_for_each(|f| {
        let dest = root.join(&f.path);
        match &f.data {
            Data::Bytes(b) => std::fs::write(&dest, b).map_err(|e| Error::io(&dest, e)),
            Data::Copy(from) => std::fs::copy(from, &dest)
                .map(|_| ())
                .map_err(|e| Error::io(from, e)),
        }
    })
}

fn swap(tmp: &Path, out: &Path, parent: &Path, name: &OsString) -> Result<()> {
    if !out.exists() {
        return std::fs::rename(tmp, out).map_err(|e| Error::io(out, e));
    }
    if exchange(tmp, out).is_ok() {
        // `tmp` now holds the previous output.
        let _ = std::fs::remove_dir_all(tmp);
        return Ok(());
    }
    // No atomic exchange on this file system: two renames, with the old tree kept until the new is in place.
    let old = parent.join(side_name(name, "old"));
    std::fs::rename(out, &old).map_err(|e| Error::io(out, e))?;
    if let Err(e) = std::fs::rename(tmp, out) {
        let _ = std::fs::rename(&old, out);
        return Err(Error::io(out, e));
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings that live across the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
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
        // No side folders are left behind.
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }
}
