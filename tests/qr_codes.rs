//! Every plaque's QR code decodes, with an independent decoder, to a short link that resolves
//! to a page of the built site; the ledger keeps printed codes working through renames and deletions.

mod common;
use common::*;
use std::path::Path;

fn manifest(out: &Path) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(&read(out.join("print/manifest.json")))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn every_example_qr_decodes_to_a_page_of_the_site() {
    let site = example();
    build_ok(site.path());
    let out = plaques_ok(site.path(), &[]);
    let items = manifest(&out);
    assert!(items.len() >= 14, "one plaque per entry: {}", items.len());
    for item in &items {
        let code = item["code"].as_str().unwrap();
        let url = item["url"].as_str().unwrap();
        // Scheme and host in upper case travel in the QR code's alphanumeric mode.
        assert_eq!(url, format!("HTTPS://LANGSON.EXAMPLE/q/{code}/"));
        let png = out.join(format!("print/qr/{code}.png"));
        assert_eq!(zbar(&png), vec![url.to_string()], "{code}.png");
        // The link resolves to a file of the published site.
        let rel = url.strip_prefix("HTTPS://LANGSON.EXAMPLE/").unwrap();
        let landing = out.join("site").join(rel).join("index.html");
        assert!(landing.is_file(), "{url} has no page");
        // The landing is the entry page itself, with a canonical link to the real page.
        let page = item["page"].as_str().unwrap();
        assert!(
            read(&landing).contains(&format!(r#"<link rel="canonical" href="{page}">"#)),
            "{code}"
        );
        let page_file = out
            .join("site")
            .join(page.strip_prefix("https://langson.example/").unwrap())
            .join("index.html");
        assert!(page_file.is_file(), "{page}");
        for f in item["files"].as_array().unwrap() {
            assert!(out.join(f.as_str().unwrap()).is_file(), "{f}");
        }
    }
}

#[test]
fn svg_symbols_decode_after_a_browser_renders_them() {
    let site = example();
    let out = plaques_ok(site.path(), &[]);
    for code in ["HVT", "CHILANG", "QUYNHSON"] {
        let svg = out.join(format!("print/qr/{code}.svg"));
        let text = read(&svg);
        assert_eq!(text.matches("<path").count(), 1, "one path");
        let shot = tempfile::tempdir().unwrap();
        let png = shot.path().join("shot.png");
        let status = chromium(&shot.path().join("profile"))
            .arg("--window-size=600,600")
            .arg(format!("--screenshot={}", png.display()))
            .arg(format!("file://{}", svg.display()))
            .output()
            .expect("chromium must be installed; .ci/run installs it");
        assert!(status.status.success());
        assert_eq!(
            zbar(&png),
            vec![format!("HTTPS://LANGSON.EXAMPLE/q/{code}/")]
        );
    }
}

#[test]
fn short_links_use_small_symbols() {
    let site = example();
    let out = plaques_ok(site.path(), &[]);
    for item in manifest(&out) {
        let v = item["version"].as_i64().unwrap();
        // 40-odd characters at level Q fit version 4 at most.
        assert!(v <= 4, "{} uses version {v}", item["code"]);
    }
}

#[test]
fn landing_moves_to_the_visitors_language() {
    let site = example();
    let out = build_ok(site.path());
    let base = serve(&out.join("site"));
    let en = chromium_dom(&format!("{base}/q/HVT/"), "en-US");
    assert!(
        en.contains(r#"<html lang="en">"#),
        "English browser stays on Vietnamese: {en}"
    );
    assert!(en.contains("Hoàng Văn Thụ Memorial Site"));
    // As a plaque's QR code carries it: scheme and host in upper case, the same address.
    let upper = base.replace("http://127.0.0.1", "HTTP://LOCALHOST");
    let scanned = chromium_dom(&format!("{upper}/q/HVT/"), "en-US");
    assert!(scanned.contains(r#"<html lang="en">"#), "{scanned}");
    let zh = chromium_dom(&format!("{base}/q/HVT/"), "zh-CN");
    assert!(zh.contains(r#"<html lang="zh">"#));
    let vi = chromium_dom(&format!("{base}/q/HVT/"), "vi-VN");
    assert!(
        vi.contains(r#"<html lang="vi">"#),
        "a Vietnamese browser stays on the landing"
    );
    // A language the entry lacks: the Vietnamese landing stays.
    let fr = chromium_dom(&format!("{base}/q/MAUSON/"), "zh-CN");
    assert!(
        fr.contains(r#"<html lang="vi">"#),
        "Mẫu Sơn has no Chinese page, so the landing stays"
    );
    // The landing is the Vietnamese page byte for byte, but only a visitor who came by the code
    // is moved: the page opened at its own address stays Vietnamese.
    let page = "relics/khu-luu-niem-hoang-van-thu/index.html";
    assert_eq!(
        read(out.join("site/q/HVT/index.html")),
        read(out.join("site").join(page))
    );
    let own = chromium_dom(&format!("{base}/{page}"), "en-US");
    assert!(own.contains(r#"<html lang="vi">"#), "{own}");
}

const A: &str = "---\ntitle: Đền A\ncode: DENA\n---\nA\n";
const B: &str = "---\ntitle: Chùa B\n---\nB\n";

#[test]
fn codes_are_pinned_and_follow_renamed_entries() {
    let s = site(&[
        ("content/relics/den-a.md", A),
        ("content/relics/chua-b.md", B),
    ]);
    let out = build_ok(s.path());
    let lock = read(s.path().join("plaques.lock"));
    assert!(lock.contains("DENA: { page: relics/den-a }"), "{lock}");
    assert!(
        lock.contains("CHUAB: { page: relics/chua-b }"),
        "derived code pinned: {lock}"
    );
    assert!(out.join("site/q/CHUAB/index.html").is_file());

    // Move the entry with an explicit code to a new slug: its code follows it.
    std::fs::rename(
        s.path().join("content/relics/den-a.md"),
        s.path().join("content/relics/den-a-moi.md"),
    )
    .unwrap();
    let out = build_ok(s.path());
    let lock = read(s.path().join("plaques.lock"));
    assert!(lock.contains("DENA: { page: relics/den-a-moi }"), "{lock}");
    assert!(
        read(out.join("site/q/DENA/index.html")).contains("https://t.example/relics/den-a-moi/")
    );

    // A derived code keeps its value on later builds, even when another entry would now derive it.
    write(
        s.path(),
        "content/relics/chu-ab.md",
        "---\ntitle: Chú Ab\n---\n",
    );
    build_ok(s.path());
    let lock = read(s.path().join("plaques.lock"));
    assert!(
        lock.contains("CHUAB: { page: relics/chua-b }")
            && lock.contains("CHUAB-2: { page: relics/chu-ab }"),
        "{lock}"
    );
}

#[test]
fn deleted_entry_fails_until_its_code_is_retired() {
    let s = site(&[
        ("content/relics/den-a.md", A),
        ("content/relics/chua-b.md", B),
    ]);
    let out = build_ok(s.path());
    std::fs::remove_file(s.path().join("content/relics/den-a.md")).unwrap();
    let o = build(s.path(), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("plaque code DENA") && err.contains("retired_to"),
        "{err}"
    );
    assert!(
        out.join("site/q/DENA/index.html").is_file(),
        "previous output kept"
    );

    let lock = read(s.path().join("plaques.lock")).replace(
        "DENA: { page: relics/den-a }",
        "DENA: { retired_to: CHUAB }",
    );
    write(s.path(), "plaques.lock", &lock);
    let out = build_ok(s.path());
    let landing = read(out.join("site/q/DENA/index.html"));
    assert!(
        landing.contains("<h1>Chùa B</h1>"),
        "retired code serves its target"
    );
    assert!(landing.contains(r#"<link rel="canonical" href="https://t.example/relics/chua-b/">"#));
    assert!(
        read(s.path().join("plaques.lock")).contains("DENA: { retired_to: CHUAB }"),
        "retirement kept"
    );
    // A retired code has no new print files, but still resolves.
    let out = plaques_ok(s.path(), &[]);
    assert!(out.join("print/qr/CHUAB.png").exists());
    assert!(!out.join("print/qr/DENA.png").exists());
}

#[test]
fn duplicate_codes_name_both_files() {
    let s = site(&[
        ("content/relics/den-a.md", A),
        ("content/homestays/nha-a.md", A),
    ]);
    let o = build(s.path(), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("code DENA is used by two entries"), "{err}");
    assert!(
        err.contains("content/relics/den-a.md") && err.contains("content/homestays/nha-a.md"),
        "{err}"
    );
    assert!(
        err.contains("content/relics/den-a.md:3"),
        "points at the code line: {err}"
    );
}

#[test]
fn taking_a_printed_code_from_a_live_entry_is_refused() {
    let s = site(&[("content/relics/chua-b.md", B)]);
    build_ok(s.path()); // CHUAB is issued to chua-b
    write(
        s.path(),
        "content/relics/other.md",
        "---\ntitle: Other\ncode: CHUAB\n---\n",
    );
    let o = build(s.path(), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("code CHUAB is already issued for content/relics/chua-b.md"),
        "{err}"
    );
}
