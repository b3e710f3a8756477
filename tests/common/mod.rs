//! Helpers shared by the integration tests: make sites in temp folders and run the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_waymark"))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temp folder, made of `files` (path, text) plus a minimal site.yaml unless given.
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    if !files.iter().any(|(p, _)| *p == "site.yaml") {
        write(
            dir.path(),
            "site.yaml",
            "title: Test\nbase_url: https://t.example\nlanguages: [vi, en]\n",
        );
    }
    for (p, text) in files {
        write(dir.path(), p, text);
    }
    dir
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A copy of the bundled example site (content, themes, site.yaml, plaques.lock) in a temp folder.
pub fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for item in walkdir::WalkDir::new(repo()).sort_by_file_name() {
        let item = item.unwrap();
        let rel = item.path().strip_prefix(repo()).unwrap();
        let top = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        if !["content", "themes", "site.yaml", "plaques.lock"].contains(&top.as_str()) {
            continue;
        }
        let dest = dir.path().join(rel);
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(item.path(), &dest).unwrap();
        }
    }
    dir
}

pub fn build(site: &Path, extra: &[&str]) -> Output {
    Command::new(bin())
        .arg("build")
        .arg("--site")
        .arg(site)
        .args(extra)
        .output()
        .expect("run waymark")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Build and insist that it worked.
pub fn build_ok(site: &Path) -> PathBuf {
    let o = build(site, &[]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    site.join("output")
}

pub fn read(p: impl AsRef<Path>) -> String {
    std::fs::read_to_string(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

/// Every file under `root` with its bytes, sorted, for comparing whole trees.
pub fn tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub const RELIC: &str = "---\ntitle: Đền Kỳ Cùng\nlocation: { lat: 21.85, lon: 106.76 }\ndistrict: Thành phố Lạng Sơn\nranking: national\n---\n\nNgôi đền bên sông.\n";
