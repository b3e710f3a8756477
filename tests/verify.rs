//! `waymark verify` against the built site served on 127.0.0.1 by a small file server that can
//! also misbehave: a landing removed, a wrong page, a redirect loop, a slow answer; and the site
//! of an old address after a domain move.

mod common;
use common::*;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

#[derive(Clone)]
enum Twist {
    Redirect(&'static str),
    Slow(Duration),
}

/// Serve `root` on a free loopback port; `twists` by request path. Returns the base address.
fn serve_files(root: PathBuf, twists: HashMap<&'static str, Twist>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (root, twists) = (root.clone(), twists.clone());
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) <= 2 {
                        break;
                    }
                }
                let mut out = stream;
                match twists.get(path.as_str()) {
                    Some(Twist::Redirect(to)) => {
                        let _ = write!(out, "HTTP/1.1 301 Moved\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        return;
                    }
                    Some(Twist::Slow(d)) => std::thread::sleep(*d),
                    None => {}
                }
                let mut file = root.join(path.trim_start_matches('/'));
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                match std::fs::read(&file) {
                    Ok(body) => {
                        let _ = write!(
                            out,
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = out.write_all(&body);
                    }
                    Err(_) => {
                        let _ = write!(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found");
                    }
                }
            });
        }
    });
    base
}

/// Redirects from `from` through `prefix0` … `prefix{n-1}` to `to`: n + 1 of them, none repeated.
fn chain(
    twists: &mut HashMap<&'static str, Twist>,
    from: &'static str,
    prefix: &str,
    n: usize,
    to: &'static str,
) {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let mut at = from;
    for i in 0..n {
        let next = leak(format!("{prefix}{i}"));
        twists.insert(at, Twist::Redirect(next));
        at = next;
    }
    twists.insert(at, Twist::Redirect(to));
}

fn verify(site: &Path, args: &[&str]) -> Output {
    std::process::Command::new(bin())
        .arg("verify")
        .args(args)
        .arg("--site")
        .arg(site)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_healthy_site_passes_and_every_kind_of_breakage_is_named() {
    let s = example();
    let out = build_ok(s.path());
    let root = out.join("site");
    let base = serve_files(root.clone(), HashMap::new());
    let o = verify(s.path(), &[&base, "--pages"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    assert!(text.contains("checked 16 code(s) and"), "{text}");
    assert!(text.contains(": 0 broken"), "{text}");

    // A copy with a landing removed (of a printed code), a wrong page, a loop and a slow answer.
    let lock = read(s.path().join("plaques.lock")).replace(
        "HVT: { page: relics/khu-luu-niem-hoang-van-thu }",
        "HVT: { page: relics/khu-luu-niem-hoang-van-thu, printed: 2026-12-01 }",
    );
    write(s.path(), "plaques.lock", &lock);
    let broken = tempfile::tempdir().unwrap();
    for (rel, bytes) in tree(&root) {
        let p = broken.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    std::fs::remove_file(broken.path().join("q/HVT/index.html")).unwrap();
    std::fs::copy(
        broken.path().join("relics/mau-son/index.html"),
        broken.path().join("q/DKC/index.html"),
    )
    .unwrap();
    // A landing whose canonical link names another host (a copy of the site on a lapsed domain).
    let tnm = broken.path().join("q/TNM/index.html");
    let html = read(&tnm);
    assert!(html.contains("href=\"https://langson.example/relics/thanh-nha-mac/\""));
    std::fs::write(
        &tnm,
        html.replace(
            "https://langson.example/relics/thanh-nha-mac/",
            "https://langson-example.com.vn/relics/thanh-nha-mac/",
        ),
    )
    .unwrap();
    // A page deleted by hand on the server, its landing left behind: the landing still answers.
    std::fs::remove_file(broken.path().join("relics/dong-tam-thanh/index.html")).unwrap();
    assert!(broken.path().join("q/TAMTHANH/index.html").is_file());
    // Redirect chains without a repeat, as hosts and CDNs make them (http→https, www, a trailing
    // slash): not loops. One longer than any phone follows is named as that.
    let mut twists = HashMap::from([
        ("/q/CHILANG/", Twist::Redirect("/q/CHILANG")),
        ("/q/CHILANG", Twist::Redirect("/q/CHILANG/")),
        ("/q/BACSON/", Twist::Slow(Duration::from_secs(4))),
        ("/q/HUULIE/", Twist::Redirect("/r/1")),
        ("/r/1", Twist::Redirect("/r/2")),
        ("/r/2", Twist::Redirect("/q/HUULIE/index.html")),
    ]);
    chain(
        &mut twists,
        "/q/NHITHANH/",
        "/t/",
        9,
        "/q/NHITHANH/index.html",
    );
    chain(&mut twists, "/q/MAUSON/", "/s/", 20, "/q/MAUSON/index.html");
    let base = serve_files(broken.path().to_path_buf(), twists);
    let o = verify(s.path(), &[&base, "--timeout", "1", "--retries", "1"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("TNM: shows a page of another site (https://langson-example.com.vn/relics/thanh-nha-mac/) instead of https://langson.example/relics/thanh-nha-mac/"),
        "{text}"
    );
    assert!(
        text.contains("TAMTHANH: its page /relics/dong-tam-thanh/ answers 404"),
        "{text}"
    );
    assert!(
        !text.contains("HUULIE"),
        "three redirects are not a loop: {text}"
    );
    assert!(
        !text.contains("NHITHANH"),
        "ten redirects are not a loop: {text}"
    );
    assert!(
        text.contains("MAUSON: redirects more than 16 times, more than a phone follows"),
        "{text}"
    );
    assert!(!text.contains("MAUSON: redirects in a loop"), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("HVT: printed 2026-12-01, answers 404"),
        "printed codes first: {text}"
    );
    assert!(
        text.contains("DKC: shows /relics/mau-son/ instead of /relics/den-ky-cung/"),
        "{text}"
    );
    assert!(text.contains("CHILANG: redirects in a loop"), "{text}");
    assert!(text.contains("BACSON: does not answer"), "{text}");
    assert!(text.contains("7 broken (1 of them printed)"), "{text}");
}

#[test]
fn the_site_of_an_old_address_leads_every_code_to_the_new_one() {
    // The new address is this machine's: the old site's pages lead there.
    let s = example();
    let out = s.path().join("output");
    let new_base = serve_files(out.join("site"), HashMap::new());
    let yaml = read(s.path().join("site.yaml")).replace(
        "base_url: https://langson.example",
        &format!("base_url: {new_base}"),
    );
    assert!(yaml.contains(&new_base));
    write(
        s.path(),
        "site.yaml",
        &format!("{yaml}\nprevious_base_urls: [https://old.example]\n"),
    );
    build_ok(s.path());
    let moved = out.join("moved/old.example");
    assert!(moved.join("q/HVT/index.html").is_file());
    let old_base = serve_files(moved, HashMap::new());
    let o = verify(s.path(), &[&old_base]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains("checked 16 code(s): 0 broken"), "{text}");
    // Nothing answers at all: every code is broken, and said so.
    let o = verify(s.path(), &["http://127.0.0.1:9", "--retries", "0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("16 broken"), "{}", stdout(&o));
    let o = verify(s.path(), &["ftp://x"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn pages_of_an_old_address_are_checked_without_its_sitemap() {
    // The old address is served here too: its site (output/moved/<host>/) has no sitemap, it
    // only leads on to the new one.
    let s = example();
    let out = s.path().join("output");
    let new_base = serve_files(out.join("site"), HashMap::new());
    let old_root = tempfile::tempdir().unwrap();
    let old_base = serve_files(old_root.path().to_path_buf(), HashMap::new());
    let yaml = read(s.path().join("site.yaml")).replace(
        "base_url: https://langson.example",
        &format!("base_url: {new_base}"),
    );
    write(
        s.path(),
        "site.yaml",
        &format!("{yaml}\nprevious_base_urls: [{old_base}]\n"),
    );
    build_ok(s.path());
    let moved = out
        .join("moved")
        .join(waymark::config::moved_host(&old_base));
    for (rel, bytes) in tree(&moved) {
        let p = old_root.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    assert!(!old_root.path().join("sitemap.xml").exists());
    let sitemap = read(out.join("site/sitemap.xml"));
    let pages = sitemap.matches("<loc>").count();
    assert!(pages > 15, "{sitemap}");

    // The new site's sitemap names the pages, each fetched at the old address.
    let o = verify(s.path(), &[&old_base, "--pages"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    assert!(
        text.contains(&format!("checked 16 code(s) and {pages} page(s): 0 broken")),
        "{text}"
    );

    // Without it either (the new site not answering for it), the ledger's pages and the home.
    let lock = read(s.path().join("plaques.lock"));
    let ledger_pages: std::collections::BTreeSet<&str> = lock
        .lines()
        .filter_map(|l| l.split("{ page: ").nth(1))
        .collect();
    let cut = tempfile::tempdir().unwrap();
    for (rel, bytes) in tree(&out.join("site")) {
        if rel != Path::new("sitemap.xml") {
            let p = cut.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
    }
    std::fs::remove_dir_all(out.join("site")).ok();
    std::fs::remove_file(out.join("site")).ok();
    std::os::unix::fs::symlink(cut.path(), out.join("site")).unwrap();
    assert!(!out.join("site/sitemap.xml").exists());
    let o = verify(s.path(), &[&old_base, "--pages"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    assert!(
        text.contains(&format!(
            "checked 16 code(s) and {} page(s): 0 broken",
            ledger_pages.len() + 1
        )),
        "{text}"
    );

    // A site at its own address still needs its sitemap for --pages.
    let o = verify(s.path(), &[&new_base, "--pages"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("sitemap.xml: answers 404"),
        "{}",
        stderr(&o)
    );
}

/// A code whose entry was made a draft answers with "being updated": right for now, said as a
/// note, not counted as broken.
#[test]
fn a_drafts_landing_is_a_note_not_a_broken_code() {
    let s = example();
    build_ok(s.path());
    let file = s.path().join("content/relics/mau-son/index.md");
    let file = if file.exists() {
        file
    } else {
        s.path().join("content/relics/mau-son.md")
    };
    let text = read(&file).replacen("---\n", "---\ndraft: true\n", 1);
    std::fs::write(&file, text).unwrap();
    let out = build_ok(s.path());
    let base = serve_files(out.join("site"), HashMap::new());
    let o = verify(s.path(), &[&base]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    assert!(text.contains("relics/mau-son is a draft"), "{text}");
    assert!(text.contains(": 0 broken"), "{text}");
}

/// A host that answers a folder whose page is gone with a listing of the folder (Python's
/// http.server, Apache with Indexes): the landing answers, and the page behind it answers 200
/// too, but is not the entry's page.
#[test]
fn a_folder_listing_behind_a_landing_is_a_broken_code() {
    let s = example();
    let out = build_ok(s.path());
    let copy = tempfile::tempdir().unwrap();
    for (rel, bytes) in tree(&out.join("site")) {
        let p = copy.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let listing = "<!DOCTYPE HTML><html><head><title>Directory listing for /relics/mau-son/</title></head><body><h1>Directory listing for /relics/mau-son/</h1><ul><li><a href=\"mau-son-480.jpg\">mau-son-480.jpg</a></li></ul></body></html>";
    std::fs::write(copy.path().join("relics/mau-son/index.html"), listing).unwrap();
    let base = serve_files(copy.path().to_path_buf(), HashMap::new());
    let o = verify(s.path(), &[&base]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("not with the entry's page"), "{text}");
}
