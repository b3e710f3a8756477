//! Helpers shared by the integration tests: make sites in temp folders and run the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod editor;
pub mod media;

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

/// `waymark plaques --site SITE ARGS...`.
pub fn plaques(site: &Path, extra: &[&str]) -> Output {
    Command::new(bin())
        .arg("plaques")
        .arg("--site")
        .arg(site)
        .args(extra)
        .output()
        .expect("run waymark")
}

/// Make the print files and insist that it worked; the output folder (files under its `print/`).
pub fn plaques_ok(site: &Path, extra: &[&str]) -> PathBuf {
    let o = plaques(site, extra);
    assert!(o.status.success(), "plaques failed:\n{}", stderr(&o));
    site.join("output")
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
        .follow_links(true)
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

/// Serve `root` over HTTP on 127.0.0.1 (a free port) for browser tests; returns the base URL.
/// The server thread lives until the test process ends.
pub fn serve(root: &Path) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() {
                    return;
                }
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).map(|n| n == 0).unwrap_or(true) || h == "\r\n" {
                        break;
                    }
                }
                let path = first
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .split('?')
                    .next()
                    .unwrap_or("/")
                    .to_string();
                let mut file = root.join(path.trim_start_matches('/'));
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                let (status, body, ctype) = match std::fs::read(&file) {
                    Ok(b) if !path.contains("..") => {
                        let ctype = match file.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("svg") => "image/svg+xml",
                            Some("png") => "image/png",
                            Some("js") => "text/javascript",
                            Some("json") | Some("webmanifest") => "application/json",
                            _ => "application/octet-stream",
                        };
                        ("200 OK", b, ctype)
                    }
                    _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
                };
                let mut s = &stream;
                let _ = write!(s, "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = s.write_all(&body);
            });
        }
    });
    format!("http://{addr}")
}

/// Debian's headless Chromium with the flags this closed network needs and a fresh profile.
pub fn chromium(profile: &Path) -> Command {
    let mut c = Command::new("chromium");
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// The DOM of `url` after its scripts ran, in headless Chromium with `lang` as the browser's language.
pub fn chromium_dom(url: &str, lang: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let o = succeed(
        chromium(profile.path())
            .args(["--virtual-time-budget=5000", "--dump-dom"])
            .arg(format!("--lang={lang}"))
            .arg(format!("--accept-lang={lang}"))
            .arg(url),
        "chromium (Debian package `chromium`) must be installed for browser tests; .ci/run installs it",
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Run a tool the tests need (`needs` says which and where from) and insist that it succeeds.
pub fn succeed(cmd: &mut Command, needs: &str) -> Output {
    let o = cmd.output().expect(needs);
    assert!(
        o.status.success(),
        "{:?} failed: {}",
        cmd.get_program(),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Decode every QR symbol in an image file with zbarimg (Debian's zbar-tools), an independent decoder.
pub fn zbar(file: &Path) -> Vec<String> {
    let o = Command::new("zbarimg")
        .args(["--nodbus", "-q", "--raw"])
        .arg(file)
        .output()
        .expect("zbarimg (Debian package `zbar-tools`) must be installed; .ci/run installs it");
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .filter(|l| !l.is_empty())
        .collect()
}

/// A plain HTTP GET over loopback: (status, body).
pub fn http_get(url: &str) -> (u16, String) {
    let r = editor::request("GET", url, &[], b"");
    (r.status, r.body)
}

/// tests/browser, with playwright-core installed (pinned in package-lock.json; it drives Debian's
/// chromium and downloads no browser). Cargo runs test binaries one after another, and each
/// binary has one browser test, so two installs never race.
pub fn browser_scripts() -> PathBuf {
    let dir = repo().join("tests/browser");
    // Everything package-lock.json pins: an older install may lack the newest package.
    if !dir.join("node_modules/playwright-core").is_dir()
        || !dir
            .join("node_modules/vnu-jar/build/dist/vnu.jar")
            .is_file()
    {
        succeed(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--prefix"])
                .arg(&dir),
            "npm (Node.js) must be installed for the browser tests",
        );
    }
    dir
}

/// Run `tests/browser/SCRIPT` with `args` under Node.js: the test fails, with the script's output
/// and `server` (a server's log, or ""), unless every check passed. The script's output.
pub fn browser_checks(script: &str, args: &[&std::ffi::OsStr], server: &str) -> String {
    let o = Command::new("node")
        .arg(browser_scripts().join(script))
        .args(args)
        .output()
        .expect("node (Node.js) must be installed");
    let log = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success() && log.contains("all passed") && !log.contains("FAIL"),
        "{script}: browser checks failed:\n{log}\n{}\nserver:\n{server}",
        String::from_utf8_lossy(&o.stderr)
    );
    log
}

/// `git -C dir ARGS`, which must succeed; what it printed.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `dir` made a Git repository of the files it holds (but `output/` and the cache), with a
/// name and email of its own for the commits the editor makes, in one commit.
pub fn git_repo(dir: &Path) {
    git(dir, &["init", "-q"]);
    git(dir, &["config", "user.email", "t@example.org"]);
    git(dir, &["config", "user.name", "T"]);
    std::fs::write(dir.join(".gitignore"), "output/\n.waymark-cache/\n").unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "start"]);
}
