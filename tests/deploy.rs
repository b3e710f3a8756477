//! `waymark deploy` against a real S3 server (s3s-fs, which scripts/test installs) started here
//! on a loopback port, path-style, and against a bare Git repository in a temp folder.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const KEY: &str = "WAYMARKTESTKEY";
const SECRET: &str = "waymark-test-secret-5f2c9a";
const BUCKET: &str = "lang-son";

/// s3s-fs on PATH or in ~/.cargo/bin; a missing server fails the test (nothing is skipped).
fn s3s_fs() -> PathBuf {
    let mut candidates: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("s3s-fs"))
                .collect()
        })
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        candidates.push(Path::new(&home).join(".cargo/bin/s3s-fs"));
    }
    candidates.into_iter().find(|p| p.is_file()).unwrap_or_else(|| {
        panic!("s3s-fs is not installed: run scripts/test, which installs it (cargo install s3s-fs --version 0.14.1 --features binary --locked)")
    })
}

/// A running s3s-fs with one bucket, killed when dropped.
struct S3 {
    child: Child,
    port: u16,
    root: tempfile::TempDir,
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_s3() -> S3 {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join(BUCKET)).unwrap();
    let port = free_port();
    let child = Command::new(s3s_fs())
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--access-key", KEY, "--secret-key", SECRET])
        .arg(root.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start s3s-fs");
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "s3s-fs did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    S3 { child, port, root }
}

impl S3 {
    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every object of the bucket with its bytes, as s3s-fs keeps them (a file a key).
    fn objects(&self) -> BTreeMap<String, Vec<u8>> {
        let dir = self.root.path().join(BUCKET);
        tree(&dir)
            .into_iter()
            .map(|(p, b)| (p.to_string_lossy().replace('\\', "/"), b))
            .collect()
    }

    /// GET through the server, signed: (status, content-type, cache-control, redirect, body).
    fn get(&self, key: &str) -> (u16, String, String, String, Vec<u8>) {
        use rusty_s3::S3Action;
        let bucket = rusty_s3::Bucket::new(
            self.endpoint().parse().unwrap(),
            rusty_s3::UrlStyle::Path,
            BUCKET,
            "us-east-1",
        )
        .unwrap();
        let creds = rusty_s3::Credentials::new(KEY, SECRET);
        let url = bucket
            .get_object(Some(&creds), key)
            .sign(Duration::from_secs(60));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let r = agent.get(url.as_str()).call().unwrap();
        let h = |n: &str| {
            r.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let (status, ct, cc, rd) = (
            r.status().as_u16(),
            h("content-type"),
            h("cache-control"),
            h("x-amz-website-redirect-location"),
        );
        let body = r.into_body().read_to_vec().unwrap();
        (status, ct, cc, rd, body)
    }
}

fn deploy_cmd(site: &Path, s3: &S3, extra: &[&str]) -> Command {
    deploy_at(site, &s3.endpoint(), extra)
}

/// `waymark deploy s3://BUCKET` through `endpoint`, with the server's credentials only.
fn deploy_at(site: &Path, endpoint: &str, extra: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.arg("deploy")
        .arg(format!("s3://{BUCKET}"))
        .arg("--site")
        .arg(site)
        .args(["--endpoint", endpoint])
        .args(extra)
        .env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
        .env("AWS_CONFIG_FILE", "/nonexistent/config");
    c
}

fn deploy(site: &Path, s3: &S3, extra: &[&str]) -> Output {
    deploy_cmd(site, s3, extra).output().expect("run waymark")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn deploy_ok(site: &Path, s3: &S3, extra: &[&str]) -> String {
    let o = deploy(site, s3, extra);
    assert!(
        o.status.success(),
        "deploy failed:\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

/// The number before `word` in the summary line ("3 uploaded").
fn count(summary: &str, word: &str) -> usize {
    let line = summary
        .lines()
        .find(|l| l.starts_with("deployed to") || l.starts_with("dry run"))
        .unwrap_or_else(|| panic!("no summary in:\n{summary}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words
        .iter()
        .position(|w| w.trim_matches(|c: char| !c.is_alphanumeric()) == word)
        .unwrap_or_else(|| panic!("no `{word}` in: {line}"));
    words[at - 1]
        .trim_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap_or_else(|_| panic!("no count before `{word}` in: {line}"))
}

/// The `i`th relic, 78 km from the next: no entry lists another as nearby, so an edit of one
/// changes its own pages and the lists only.
fn relic(i: usize, title: &str) -> String {
    let lat = 10.0 + 0.7 * i as f64;
    format!("---\ntitle: {title}\nlocation: {{ lat: {lat:.2}, lon: 106.0 }}\ndistrict: Thành phố Lạng Sơn\nranking: national\n---\n\nNgôi đền bên sông.\n")
}

/// A small site of `n` relics, built.
fn built_site(n: usize) -> tempfile::TempDir {
    let files: Vec<(String, String)> = (0..n)
        .map(|i| {
            (
                format!("content/relics/den-so-{i}/index.md"),
                relic(i, &format!("Đền số {i}")),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = site(&refs);
    build_ok(site.path());
    site
}

/// The published files of a built site, by key.
fn site_files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(&site.join("output/site"))
        .into_iter()
        .map(|(p, b)| (p.to_string_lossy().replace('\\', "/"), b))
        .collect()
}

fn code_of(site: &Path, slug: &str) -> String {
    let page = read(site.join(format!("output/site/relics/{slug}/index.html")));
    let lock = read(site.join("plaques.lock"));
    // plaques.lock names each code with its entry; the landing is /q/CODE/.
    let code = lock
        .lines()
        .filter(|l| l.contains(slug))
        .find_map(|l| {
            let t = l.trim().trim_start_matches("- ");
            t.split(':').next().map(|c| c.trim().to_string())
        })
        .filter(|c| !c.is_empty() && page.contains(&format!("/q/{c}/")));
    code.unwrap_or_else(|| {
        // Fall back to the landing that is this entry's page.
        let q = site.join("output/site/q");
        std::fs::read_dir(&q)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|c| read(q.join(c).join("index.html")) == page)
            .expect("a landing for the entry")
    })
}

#[test]
fn first_deploy_puts_every_file_with_its_type_and_lifetime() {
    let s3 = start_s3();
    let site = built_site(3);
    let out = deploy_ok(site.path(), &s3, &[]);
    let files = site_files(site.path());
    assert_eq!(count(&out, "uploaded"), count(&out, "new"), "{out}");
    assert_eq!(count(&out, "unchanged"), 0, "{out}");

    let bucket = s3.objects();
    for (key, bytes) in &files {
        assert_eq!(
            bucket.get(key),
            Some(bytes),
            "{key} missing or different in the bucket"
        );
    }
    assert!(
        bucket.contains_key(".waymark-deploy"),
        "the record of the deploy"
    );
    assert!(!bucket.contains_key(".waymark-deploy-pending"));
    // Besides the site's files, only redirect pages and the record.
    let extra: Vec<&String> = bucket
        .keys()
        .filter(|k| !files.contains_key(*k) && *k != ".waymark-deploy")
        .collect();
    assert!(!extra.is_empty());
    assert_eq!(count(&out, "uploaded"), files.len() + extra.len(), "{out}");

    let code = code_of(site.path(), "den-so-0");
    let checks = [
        (
            "index.html",
            "text/html; charset=utf-8",
            "public, max-age=300",
        ),
        (
            &format!("q/{code}/index.html"),
            "text/html; charset=utf-8",
            "public, max-age=300",
        ),
        ("sw.js", "text/javascript; charset=utf-8", "no-cache"),
        (
            "sitemap.xml",
            "text/xml; charset=utf-8",
            "public, max-age=3600",
        ),
        (
            "manifest.webmanifest",
            "application/manifest+json",
            "public, max-age=3600",
        ),
    ];
    for (key, ctype, cache) in checks {
        let (status, ct, cc, _, body) = s3.get(key);
        assert_eq!(status, 200, "{key}");
        assert_eq!(ct, ctype, "{key}");
        assert_eq!(cc, cache, "{key}");
        assert_eq!(Some(&body), files.get(key), "{key}");
    }
    // A short link typed in lower case: a page that redirects, which S3 websites also answer
    // with a 301.
    let lower = format!("q/{}/index.html", code.to_lowercase());
    assert_ne!(lower, format!("q/{code}/index.html"));
    let (status, ct, _, redirect, body) = s3.get(&lower);
    assert_eq!((status, ct.as_str()), (200, "text/html; charset=utf-8"));
    assert_eq!(redirect, format!("/q/{code}/"));
    assert!(String::from_utf8_lossy(&body).contains(&format!("https://t.example/q/{code}/")));
    let (status, _, _, redirect, _) = s3.get(&format!("Q/{code}/index.html"));
    assert_eq!(
        (status, redirect.as_str()),
        (200, format!("/q/{code}/").as_str())
    );

    // Nothing changed: nothing sent.
    let again = deploy_ok(site.path(), &s3, &[]);
    assert_eq!(count(&again, "uploaded"), 0, "{again}");
    assert_eq!(
        count(&again, "unchanged"),
        files.len() + extra.len(),
        "{again}"
    );
    assert_eq!(count(&again, "deleted"), 0, "{again}");
}

#[test]
fn an_edit_sends_only_what_changed_and_a_deleted_entry_goes_after_the_uploads() {
    let s3 = start_s3();
    let site = built_site(12);
    deploy_ok(site.path(), &s3, &[]);
    let total = s3.objects().len();

    write(
        site.path(),
        "content/relics/den-so-3/index.md",
        &relic(3, "Đền số ba đã sửa"),
    );
    build_ok(site.path());
    let plan = deploy_ok(site.path(), &s3, &["--dry-run"]);
    let uploads: Vec<&str> = plan
        .lines()
        .filter_map(|l| l.strip_prefix("upload  "))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert!(uploads.contains(&"relics/den-so-3/index.html"), "{plan}");
    assert!(
        !uploads.iter().any(|k| k.starts_with("relics/den-so-4/")),
        "{plan}"
    );
    assert!(
        uploads.len() >= 2 && uploads.len() * 4 < total,
        "{} of {total} objects for one edit:\n{plan}",
        uploads.len()
    );
    let out = deploy_ok(site.path(), &s3, &[]);
    assert_eq!(count(&out, "uploaded"), uploads.len(), "{out}");
    assert_eq!(count(&out, "new"), 0, "{out}");
    let (_, _, _, _, page) = s3.get("relics/den-so-3/index.html");
    assert!(String::from_utf8_lossy(&page).contains("Đền số ba đã sửa"));

    // An entry deleted: with --keep-stale its objects stay; then a deploy removes them.
    std::fs::remove_dir_all(site.path().join("content/relics/den-so-5")).unwrap();
    // Its printed code now leads to another entry, as plaques.lock asks.
    let lock = read(site.path().join("plaques.lock"));
    let lock: String = lock
        .lines()
        .map(|l| match l.split_once(": { page: relics/den-so-5 }") {
            Some((code, _)) => format!("{code}: {{ retired_to: relics/den-so-0 }}\n"),
            None => format!("{l}\n"),
        })
        .collect();
    assert!(lock.contains("retired_to"));
    write(site.path(), "plaques.lock", &lock);
    build_ok(site.path());
    let kept = deploy_ok(site.path(), &s3, &["--keep-stale"]);
    assert_eq!(count(&kept, "deleted"), 0, "{kept}");
    assert!(count(&kept, "stale") >= 1, "{kept}");
    assert!(s3.objects().contains_key("relics/den-so-5/index.html"));
    let out = deploy_ok(site.path(), &s3, &[]);
    assert!(count(&out, "deleted") >= 1, "{out}");
    let bucket = s3.objects();
    assert!(!bucket.contains_key("relics/den-so-5/index.html"), "{out}");
    for (key, bytes) in site_files(site.path()) {
        assert_eq!(bucket.get(&key), Some(&bytes), "{key}");
    }
    // Another tool's file under the prefix stays, unless --delete.
    std::fs::write(s3.root.path().join(BUCKET).join("not-ours.txt"), "x").unwrap();
    let out = deploy_ok(site.path(), &s3, &[]);
    assert_eq!(count(&out, "deleted"), 0, "{out}");
    assert!(s3.objects().contains_key("not-ours.txt"));
    let out = deploy_ok(site.path(), &s3, &["--delete"]);
    assert_eq!(count(&out, "deleted"), 1, "{out}");
    assert!(!s3.objects().contains_key("not-ours.txt"));
}

#[test]
fn a_dry_run_prints_the_plan_and_writes_nothing() {
    let s3 = start_s3();
    let site = built_site(2);
    let before = s3.objects();
    let out = deploy_ok(site.path(), &s3, &["--dry-run"]);
    assert_eq!(s3.objects(), before);
    assert!(before.is_empty());
    let planned = out.lines().filter(|l| l.starts_with("upload  ")).count();
    assert!(planned > site_files(site.path()).len(), "{out}");
    assert!(out.contains(&format!("would upload {planned} ")), "{out}");
    assert!(out.contains("nothing changed"), "{out}");
}

/// A TCP proxy to `port` that holds every chunk a client sends for `delay`: a slow uplink.
fn slow_proxy(port: u16, delay: Duration) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let at = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(server) = TcpStream::connect(("127.0.0.1", port)) else {
                continue;
            };
            let (mut c_read, mut s_write) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            let (mut s_read, mut c_write) = (server, client);
            std::thread::spawn(move || {
                let mut buf = [0u8; 65536];
                while let Ok(n @ 1..) = c_read.read(&mut buf) {
                    std::thread::sleep(delay);
                    if s_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = s_write.shutdown(std::net::Shutdown::Write);
            });
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut s_read, &mut c_write);
                let _ = c_write.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    at
}

#[test]
fn a_deploy_killed_half_way_loses_nothing_and_the_next_one_completes_it() {
    let s3 = start_s3();
    let site = built_site(8);
    deploy_ok(site.path(), &s3, &[]);
    let v1 = s3.objects();
    // Every page changes with the site's title.
    let yaml = read(site.path().join("site.yaml")).replace("title: Test", "title: Di sản Lạng Sơn");
    write(site.path(), "site.yaml", &yaml);
    build_ok(site.path());

    let proxy = slow_proxy(s3.port, Duration::from_millis(40));
    let mut child = deploy_at(
        site.path(),
        &format!("http://127.0.0.1:{proxy}"),
        &["--concurrency", "1"],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    // Killed once the first page of the new site is in the bucket.
    let start = Instant::now();
    let killed_after = loop {
        let now = s3.objects();
        let changed = now.iter().filter(|(k, b)| v1.get(*k) != Some(*b)).count();
        if changed > 2 {
            child.kill().unwrap();
            let _ = child.wait();
            break changed;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the deploy finished before it could be killed"
        );
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(20));
    };
    let half = s3.objects();
    for key in v1.keys() {
        assert!(
            half.contains_key(key),
            "{key} was lost by the killed deploy"
        );
    }
    assert!(half.contains_key(".waymark-deploy-pending"));
    let files = site_files(site.path());
    let done = files
        .iter()
        .filter(|(k, b)| half.get(*k) == Some(*b))
        .count();
    assert!(
        done < files.len(),
        "killed after {killed_after} changes, yet complete"
    );

    let out = deploy_ok(site.path(), &s3, &[]);
    let bucket = s3.objects();
    for (key, bytes) in &files {
        assert_eq!(
            bucket.get(key),
            Some(bytes),
            "{key} after the second deploy:\n{out}"
        );
    }
    assert!(!bucket.contains_key(".waymark-deploy-pending"));
    let again = deploy_ok(site.path(), &s3, &[]);
    assert_eq!(count(&again, "uploaded"), 0, "{again}");
}

#[test]
fn wrong_credentials_fail_clearly_without_the_secret() {
    let s3 = start_s3();
    let site = built_site(1);
    let wrong = "wrong-secret-never-printed-71c3";
    let o = deploy_cmd(site.path(), &s3, &[])
        .env("AWS_SECRET_ACCESS_KEY", wrong)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(all.contains("refused the credentials"), "{all}");
    assert!(all.contains("AWS_SECRET_ACCESS_KEY"), "{all}");
    assert!(!all.contains(wrong), "the secret was printed:\n{all}");
    assert!(!all.contains("X-Amz-Signature"), "{all}");
    assert!(s3.objects().is_empty());

    let o = deploy_cmd(site.path(), &s3, &[])
        .env("AWS_ACCESS_KEY_ID", "NOSUCHKEY")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("refused the credentials"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains(SECRET));

    // No credentials at all: where to put them.
    let o = deploy_cmd(site.path(), &s3, &[])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("~/.aws/credentials"), "{}", stderr(&o));

    // From a profile file instead of the environment.
    let aws = tempfile::tempdir().unwrap();
    write(
        aws.path(),
        "credentials",
        &format!("[site]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"),
    );
    let o = deploy_cmd(site.path(), &s3, &[])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_PROFILE", "site")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            aws.path().join("credentials"),
        )
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains(SECRET) && !stderr(&o).contains(SECRET));
    assert!(!s3.objects().is_empty());
}

#[test]
fn a_missing_bucket_and_an_unreachable_endpoint_say_so() {
    let s3 = start_s3();
    let site = built_site(1);
    let o = Command::new(bin())
        .args(["deploy", "s3://no-such-bucket", "--site"])
        .arg(site.path())
        .args(["--endpoint", &s3.endpoint()])
        .env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("there is no bucket `no-such-bucket`"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("create it"), "{}", stderr(&o));

    let closed = free_port();
    let start = Instant::now();
    let o = Command::new(bin())
        .args(["deploy", &format!("s3://{BUCKET}"), "--site"])
        .arg(site.path())
        .args(["--endpoint", &format!("http://127.0.0.1:{closed}")])
        .env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .output()
        .unwrap();
    let took = start.elapsed();
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("cannot reach the storage"), "{e}");
    assert!(e.contains("tried 5 times"), "{e}");
    assert!(
        took > Duration::from_secs(3) && took < Duration::from_secs(30),
        "{took:?}"
    );
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .expect("git");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[test]
fn a_pages_branch_holds_exactly_the_site_and_the_work_tree_is_untouched() {
    let site = built_site(10);
    let dir = site.path();
    // site.yaml names the target: `waymark deploy` needs no argument.
    let yaml = read(dir.join("site.yaml")) + "deploy: git:pages\n";
    write(dir, "site.yaml", &yaml);
    write(dir, ".gitignore", "output/\n.waymark-cache/\n");
    let remote = tempfile::tempdir().unwrap();
    git(remote.path(), &["init", "--bare", "-q"]);
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "site"]);
    git(
        dir,
        &[
            "remote",
            "add",
            "origin",
            &remote.path().display().to_string(),
        ],
    );
    // A change not committed, staged and unstaged, that the deploy must leave as it is.
    write(dir, "notes/todo.txt", "draft notes\n");
    git(dir, &["add", "notes/todo.txt"]);
    write(dir, "scratch.txt", "more\n");
    let status = git(dir, &["status", "--porcelain"]);
    let index = std::fs::read(dir.join(".git/index")).unwrap();
    let head = git(dir, &["rev-parse", "HEAD"]);

    let deploy = |extra: &[&str]| {
        let o = Command::new(bin())
            .arg("deploy")
            .arg("--site")
            .arg(dir)
            .args(extra)
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
        stdout(&o)
    };
    let out = deploy(&[]);
    assert!(out.contains("made branch `pages`"), "{out}");
    let first = git(remote.path(), &["rev-parse", "pages"]);

    let check = tempfile::tempdir().unwrap();
    git(
        check.path(),
        &[
            "clone",
            "-q",
            "-b",
            "pages",
            &remote.path().display().to_string(),
            ".",
        ],
    );
    let files = site_files(dir);
    let mut branch: BTreeMap<String, Vec<u8>> = tree(check.path())
        .into_iter()
        .map(|(p, b)| (p.to_string_lossy().into_owned(), b))
        .filter(|(p, _)| !p.starts_with(".git/"))
        .collect();
    assert!(branch.remove(".nojekyll").is_some());
    for (key, bytes) in &files {
        assert_eq!(branch.remove(key).as_ref(), Some(bytes), "{key}");
    }
    // What is left is the redirect pages of `_redirects`, nothing of the source.
    assert!(!branch.is_empty());
    for key in branch.keys() {
        assert!(
            key.starts_with("q/") || key.starts_with("Q/"),
            "{key} is not the site's"
        );
    }
    assert_eq!(git(check.path(), &["rev-list", "--count", "HEAD"]), "1");

    assert_eq!(git(dir, &["status", "--porcelain"]), status);
    assert_eq!(std::fs::read(dir.join(".git/index")).unwrap(), index);
    assert_eq!(git(dir, &["rev-parse", "HEAD"]), head);
    assert_eq!(git(dir, &["symbolic-ref", "HEAD"]), "refs/heads/main");

    // Nothing changed: no commit.
    let out = deploy(&[]);
    assert!(out.contains("no new commit"), "{out}");
    assert_eq!(git(remote.path(), &["rev-parse", "pages"]), first);

    // An edit: one commit on top, with only the changed files.
    write(
        dir,
        "content/relics/den-so-2/index.md",
        &relic(2, "Đền số hai"),
    );
    build_ok(dir);
    // The edit is the user's own change; the deploy adds none.
    let status = git(dir, &["status", "--porcelain"]);
    let plan = deploy(&["--dry-run"]);
    assert!(
        plan.contains("change   relics/den-so-2/index.html"),
        "{plan}"
    );
    assert_eq!(git(remote.path(), &["rev-parse", "pages"]), first);
    let out = deploy(&[]);
    assert!(out.contains("committed"), "{out}");
    assert_eq!(git(remote.path(), &["rev-parse", "pages~1"]), first);
    let changed = git(remote.path(), &["diff", "--name-only", "pages~1", "pages"]);
    assert!(
        changed.lines().any(|l| l == "relics/den-so-2/index.html"),
        "{changed}"
    );
    assert!(
        !changed.lines().any(|l| l.starts_with("relics/den-so-0/")),
        "{changed}"
    );
    assert!(
        changed.lines().count() * 2 < files.len(),
        "{} of {} files changed:\n{changed}",
        changed.lines().count(),
        files.len()
    );
    assert_eq!(git(dir, &["status", "--porcelain"]), status);
    assert_eq!(git(dir, &["rev-parse", "HEAD"]), head);
}

#[test]
fn verify_after_a_deploy_fails_on_a_broken_printed_code() {
    let site = built_site(2);
    let dir = site.path();
    let remote = tempfile::tempdir().unwrap();
    git(remote.path(), &["init", "--bare", "-q"]);
    git(dir, &["init", "-q", "-b", "main"]);
    git(
        dir,
        &[
            "remote",
            "add",
            "origin",
            &remote.path().display().to_string(),
        ],
    );
    // The "host": a folder served over HTTP, empty until the branch is checked out into it.
    let live = tempfile::tempdir().unwrap();
    let url = serve(live.path());
    let deploy = || {
        Command::new(bin())
            .args(["deploy", "git:pages", "--verify", "--url", &url, "--site"])
            .arg(dir)
            .output()
            .unwrap()
    };
    let o = deploy();
    assert_eq!(o.status.code(), Some(1), "{}\n{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("deployed to git:pages"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("broken"), "{}", stdout(&o));

    git(
        live.path(),
        &[
            "clone",
            "-q",
            "-b",
            "pages",
            &remote.path().display().to_string(),
            ".",
        ],
    );
    let o = deploy();
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("0 broken"), "{}", stdout(&o));
}

#[test]
fn targets_are_checked_before_anything_is_sent() {
    let site = built_site(1);
    let o = Command::new(bin())
        .args(["deploy", "ftp://host/site", "--site"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("s3://BUCKET"), "{}", stderr(&o));
    let o = Command::new(bin())
        .args(["deploy", "--site"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("deploy: s3://BUCKET"), "{}", stderr(&o));
}

#[test]
fn a_storage_that_takes_the_request_and_never_answers_is_given_up_on() {
    let site = built_site(1);
    // A server that accepts every connection and says nothing (a stalled proxy, a portal).
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in silent.incoming().flatten() {
            held.push(conn);
        }
    });
    let mut child = Command::new(bin())
        .args(["deploy", &format!("s3://{BUCKET}"), "--site"])
        .arg(site.path())
        .args(["--endpoint", &format!("http://127.0.0.1:{port}")])
        .env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // It ends by itself (a hang would hold the site lock, and every build, forever).
    let deadline = Instant::now() + Duration::from_secs(240);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the deploy still waits for a storage that never answers");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("no answer from the storage"),
        "said while it waits: {e}"
    );
    assert!(e.contains("cannot reach the storage"), "{e}");
    // And the site is free to build again.
    assert!(build(site.path(), &[]).status.success());
}
