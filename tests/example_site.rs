//! The bundled Lạng Sơn example builds into a complete multilingual site.

mod common;
use common::*;

#[test]
fn example_builds_every_page_in_every_language() {
    let site = example();
    let out = build_ok(site.path());
    let s = out.join("site");
    for p in [
        "index.html",
        "en/index.html",
        "zh/index.html",
        "relics/index.html",
        "en/relics/index.html",
        "homestays/index.html",
        "relics/khu-luu-niem-hoang-van-thu/index.html",
        "en/relics/khu-luu-niem-hoang-van-thu/index.html",
        "zh/relics/khu-luu-niem-hoang-van-thu/index.html",
        "relics/ai-chi-lang/index.html",
        "homestays/homestay-na-lan/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "q/HVT/index.html",
    ] {
        assert!(s.join(p).is_file(), "missing output/site/{p}");
    }
    // At least 10 relic and tourism sites and 4 homestays, each in Vietnamese and English.
    let count = |dir: &str| {
        std::fs::read_dir(s.join(dir))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_dir())
            .count()
    };
    assert!(count("relics") >= 10, "relics: {}", count("relics"));
    assert!(count("homestays") >= 4, "homestays: {}", count("homestays"));
    assert_eq!(
        count("relics"),
        count("en/relics"),
        "every relic has an English page"
    );
    assert!(count("zh/relics") >= 3, "some Chinese pages");
}

#[test]
fn entry_pages_carry_language_links_and_facts() {
    let site = example();
    let out = build_ok(site.path()).join("site");
    let vi = read(out.join("relics/khu-luu-niem-hoang-van-thu/index.html"));
    assert!(vi.contains("<html lang=\"vi\">"));
    assert!(vi.contains("<h1>Khu lưu niệm Hoàng Văn Thụ</h1>"));
    assert!(
        vi.contains(
            r#"hreflang="en" href="https://langson.example/en/relics/khu-luu-niem-hoang-van-thu/""#
        ),
        "hreflang alternate"
    );
    assert!(vi.contains(r#"hreflang="x-default""#));
    assert!(
        vi.contains(r#"<a href="/en/relics/khu-luu-niem-hoang-van-thu/" hreflang="en""#),
        "language switcher"
    );
    assert!(vi.contains(r#"<link rel="canonical" href="https://langson.example/relics/khu-luu-niem-hoang-van-thu/">"#));
    assert!(
        vi.contains("Di tích quốc gia"),
        "ranking shown in Vietnamese"
    );
    assert!(
        vi.contains("https://www.google.com/maps/dir/?api=1&amp;destination=22.0205,106.5871"),
        "directions"
    );
    // Markdown: a link to another entry's file became that entry's URL; headings got ids; tables render.
    assert!(
        vi.contains(r#"<a href="/homestays/homestay-na-lan/">"#),
        "{vi}"
    );
    assert!(vi.contains(r#"<h2 id="tham-quan">"#));
    assert!(vi.contains("<table>"));
    assert!(vi.contains("<style>"), "critical CSS inline");

    let en = read(out.join("en/relics/khu-luu-niem-hoang-van-thu/index.html"));
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("National relic"));
    // The English page links to the English version of the linked entry.
    assert!(
        en.contains(r#"<a href="/en/homestays/homestay-na-lan/">"#),
        "{en}"
    );
    // Non-text fields are inherited from the Vietnamese file.
    assert!(en.contains("destination=22.0205,106.5871"));

    let stay = read(out.join("homestays/homestay-na-lan/index.html"));
    assert!(
        stay.contains(r#"href="tel:+84912000101""#),
        "tel link in international form"
    );
    assert!(stay.contains("https://zalo.me/0912000101"));
    assert!(stay.contains("250.000 ₫"));
    let booking = read(out.join("homestays/nha-san-quynh-son/index.html"));
    assert!(booking.contains("https://langson.example/dat-phong/quynh-son"));
}

#[test]
fn home_lists_sections_and_districts_and_sitemap_has_alternates() {
    let site = example();
    let out = build_ok(site.path()).join("site");
    let home = read(out.join("index.html"));
    assert!(
        home.contains("Tổ công nghệ số cộng đồng"),
        "intro from content/_index.md"
    );
    assert!(home.contains(r#"href="/relics/khu-luu-niem-hoang-van-thu/""#));
    assert!(
        home.contains(r#"<a href="/districts/van-lang/">Văn Lãng</a>"#),
        "entries by district: {home}"
    );
    let district = read(out.join("districts/van-lang/index.html"));
    assert!(
        district.contains("Khu lưu niệm Hoàng Văn Thụ") && district.contains("Homestay Nà Lạn")
    );
    let en_home = read(out.join("en/index.html"));
    assert!(en_home.contains("community digital-technology teams"));
    let sitemap = read(out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://langson.example/en/relics/ai-chi-lang/</loc>"));
    assert!(sitemap.contains(r#"<xhtml:link rel="alternate" hreflang="zh" href="https://langson.example/zh/relics/ai-chi-lang/"/>"#));
    let robots = read(out.join("robots.txt"));
    assert!(robots.contains("Sitemap: https://langson.example/sitemap.xml"));
}

#[test]
fn wifi_passwords_and_bank_details_never_reach_the_site() {
    let site = example();
    let out = build_ok(site.path()).join("site");
    for (path, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("khach;quy:2024"),
            "wifi password in {}",
            path.display()
        );
        assert!(
            !text.contains("0011000000001"),
            "bank account in {}",
            path.display()
        );
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let a = example();
    let b = example();
    // What is published and printed, followed through the output's generation links.
    let made = |site: &std::path::Path| {
        build_ok(site);
        let out = plaques_ok(site, &[]);
        [tree(&out.join("site")), tree(&out.join("print"))].concat()
    };
    let ta = made(a.path());
    let tb = made(b.path());
    assert_eq!(ta.len(), tb.len());
    for ((pa, da), (pb, db)) in ta.iter().zip(&tb) {
        assert_eq!(pa, pb);
        assert!(da == db, "{} differs between builds", pa.display());
    }
    // And a rebuild in place gives the same bytes again.
    let again = made(a.path());
    assert_eq!(ta, again);
}

#[test]
fn base_url_with_a_path_and_out_flag() {
    let site = example();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let o = build(
        site.path(),
        &[
            "--out",
            target.to_str().unwrap(),
            "--base-url",
            "https://example.org/langson/",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(target.join("site/relics/ai-chi-lang/index.html"));
    assert!(
        page.contains(
            r#"<link rel="canonical" href="https://example.org/langson/relics/ai-chi-lang/">"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"href="/langson/relics/dong-tam-thanh/""#),
        "links carry the base path"
    );
    assert!(!site.path().join("output").exists(), "--out was honoured");
}
