//! A tourist's visit to the example site in a real headless Chromium (tests/browser/visitor.mjs):
//! a phone screenshot, search without diacritics, the QR landing's language switch, offline reading,
//! and the accessibility basics (320 px, 16 px text, 44 px tap targets).

mod common;
use common::*;
use std::process::Command;

#[test]
fn tourist_visit_in_headless_chromium() {
    let site = example();
    let out = build_ok(site.path());
    let shots = tempfile::tempdir().unwrap();
    browser_checks(
        "visitor.mjs",
        &[out.join("site").as_ref(), shots.path().as_ref()],
        "",
    );
    // The screenshot is a real 390x844 PNG.
    let png = std::fs::read(shots.path().join("entry-390x844.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((w, h), (390, 844));
}

#[test]
fn entry_pages_fit_one_round_trip() {
    let site = example();
    let out = build_ok(site.path());
    let o = build(site.path(), &[]);
    let err = stderr(&o);
    let kb: f64 = err
        .split("largest entry page ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no page weight in the summary: {err}"));
    assert!(kb > 1.0 && kb <= 14.0, "largest entry page {kb} KB gzipped");
    // Complete on its own: no third-party scripts, styles or fonts.
    for (path, bytes) in tree(&out.join("site")) {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8_lossy(&bytes);
            for bad in [
                "<script src=\"http",
                "<link rel=\"stylesheet\"",
                "fonts.googleapis",
                "cdn.",
            ] {
                assert!(!html.contains(bad), "{} loads {bad}", path.display());
            }
        }
    }
}

#[test]
fn sharing_and_search_engine_metadata() {
    let site = example();
    let out = build_ok(site.path()).join("site");
    let relic = read(out.join("en/relics/khu-luu-niem-hoang-van-thu/index.html"));
    assert!(relic.contains(r#"<meta property="og:title" content="Hoàng Văn Thụ Memorial Site">"#));
    assert!(
        relic.contains(r#"<meta property="og:image" content="https://langson.example/share.png">"#)
    );
    assert!(relic.contains(r#"<meta property="og:locale" content="en_US">"#));
    assert!(
        relic.contains(r#""@type":["TouristAttraction","LandmarksOrHistoricalBuildings"]"#),
        "{relic}"
    );
    assert!(relic
        .contains(r#""geo":{"@type":"GeoCoordinates","latitude":22.0205,"longitude":106.5871}"#));
    let stay = read(out.join("homestays/homestay-na-lan/index.html"));
    assert!(
        stay.contains(r#""@type":"LodgingBusiness""#)
            && stay.contains(r#""telephone":"+84912000101""#),
        "{stay}"
    );
    assert!(stay.contains(r#""priceRange":"250,000 VND+""#), "{stay}");
    let share = std::fs::read(out.join("share.png")).unwrap();
    assert!(share.len() < 300 * 1024);
    assert_eq!(u32::from_be_bytes(share[16..20].try_into().unwrap()), 1200);
    assert_eq!(u32::from_be_bytes(share[20..24].try_into().unwrap()), 630);
    // Offline files and maps.
    let sw = read(out.join("sw.js"));
    assert!(sw.contains("const CACHE = \"waymark-"));
    assert!(read(out.join("manifest.webmanifest")).contains("\"start_url\": \"/\""));
    let geo: serde_json::Value = serde_json::from_str(&read(out.join("places.geojson"))).unwrap();
    let first = &geo["features"][0]["geometry"]["coordinates"];
    assert!(
        first[0].as_f64().unwrap() > 100.0,
        "GeoJSON is longitude first"
    );
    assert!(read(out.join("places.gpx")).contains("<wpt lat=\"22.0205\" lon=\"106.5871\">"));
    let index: serde_json::Value = serde_json::from_str(&read(out.join("search/vi.json"))).unwrap();
    assert!(index.as_array().unwrap().len() >= 14);
    assert!(read(out.join("map/index.html")).contains("<svg"));
}

#[test]
fn service_worker_cache_changes_with_the_site() {
    let site = example();
    let out = build_ok(site.path()).join("site");
    let before = read(out.join("sw.js"));
    build_ok(site.path());
    assert_eq!(
        read(out.join("sw.js")),
        before,
        "same site, same cache name"
    );
    write(
        site.path(),
        "content/relics/mau-son.en.md",
        "---\ntitle: Mẫu Sơn\n---\nNew text.\n",
    );
    build_ok(site.path());
    assert_ne!(
        read(out.join("sw.js")),
        before,
        "a changed page gets a new cache name"
    );
}

/// Run tests/browser/map.mjs over `out`'s map page; its log.
fn map_checks(out: &std::path::Path, mode: &[&str]) -> String {
    let site = out.join("site");
    let mut args: Vec<&std::ffi::OsStr> = vec![site.as_ref(), "/map/".as_ref()];
    args.extend(mode.iter().map(|m| std::ffi::OsStr::new(*m)));
    browser_checks("map.mjs", &args, "")
}

#[test]
fn the_map_on_a_phone_online_and_offline() {
    // Tiles from the test's own server, so that "online" needs no internet.
    let site = example();
    let yaml = read(site.path().join("site.yaml"));
    write(
        site.path(),
        "site.yaml",
        &format!("{yaml}map:\n  tiles: /tiles/{{z}}/{{x}}/{{y}}.png\n"),
    );
    let out = build_ok(site.path());
    let log = map_checks(&out, &[]);
    assert!(log.contains("ok: with tiles, the live map shows"), "{log}");
    // The example as published: OpenStreetMap's tiles, which the test cannot reach.
    let site = example();
    let out = build_ok(site.path());
    let page = read(out.join("site/map/index.html"));
    assert!(
        page.contains(r#"data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png""#)
            && page.contains(r#"data-credit="© OpenStreetMap contributors""#),
        "{page}"
    );
    let log = map_checks(&out, &["offline"]);
    assert!(log.contains("ok: offline, the drawing shows"), "{log}");
    // Leaflet is published from the site itself, with its licence, and only the map loads it.
    for f in [
        "leaflet.js",
        "leaflet.css",
        "leaflet.markercluster.js",
        "LICENSE-leaflet.txt",
    ] {
        assert!(
            out.join("site/leaflet").join(f).is_file(),
            "{f} is published"
        );
    }
    for (path, bytes) in tree(&out.join("site")) {
        let is_map = path.starts_with("map") || path.to_string_lossy().contains("/map/");
        if path.extension().is_some_and(|e| e == "html") && !is_map {
            let html = String::from_utf8_lossy(&bytes);
            assert!(
                !html.contains("leaflet"),
                "{} mentions leaflet",
                path.display()
            );
        }
    }
}

#[test]
fn map_tiles_must_be_a_url_template() {
    for (map, says) in [
        ("  tiles: https://tiles.example/map.png\n", "{z}"),
        (
            "  attribution_url: javascript:alert(1)\n",
            "is not a web address",
        ),
    ] {
        let site = site(&[
            (
                "site.yaml",
                &format!("title: T\nbase_url: https://t.example\nmap:\n{map}"),
            ),
            ("content/relics/a.md", RELIC),
        ]);
        let o = build(site.path(), &[]);
        let err = stderr(&o);
        assert!(!o.status.success());
        assert!(
            err.contains("site.yaml:") && err.contains(says),
            "the error names the file and what is wrong: {err}"
        );
    }
}

/// The W3C Nu validator's messages that are its own gaps, not faults of the pages (each with why).
const VALIDATOR_GAPS: &[(&str, &str)] = &[];

#[test]
fn every_page_passes_the_w3c_validator() {
    let jar = browser_scripts().join("node_modules/vnu-jar/build/dist/vnu.jar");
    let site = example();
    // A place being updated whose plaque is up: its code's landing is the notice page.
    let mau_son = read(site.path().join("content/relics/mau-son.md"));
    write(
        site.path(),
        "content/relics/mau-son.md",
        &mau_son.replacen("---\n", "---\ndraft: true\n", 1),
    );
    let ledger = read(site.path().join("plaques.lock"));
    write(
        site.path(),
        "plaques.lock",
        &ledger.replace(
            "MAUSON: { page: relics/mau-son }",
            "MAUSON: { page: relics/mau-son, printed: 2026-01-15 }",
        ),
    );
    let out = build_ok(site.path()).join("site");
    assert!(read(out.join("q/MAUSON/index.html")).contains("class=\"held\""));
    // Every page of the example: home, entries, landings, maps, lists and 404, in each language.
    let pages: Vec<std::path::PathBuf> = tree(&out)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    for must in [
        "index.html",
        "en/index.html",
        "zh/index.html",
        "relics/khu-luu-niem-hoang-van-thu/index.html",
        "zh/relics/ai-chi-lang/index.html",
        "q/HVT/index.html",
        "map/index.html",
        "en/map/index.html",
        "zh/map/index.html",
        "zh/relics/index.html",
        "404.html",
    ] {
        assert!(pages.iter().any(|p| p.to_str() == Some(must)), "{must}");
    }
    let o = Command::new("java")
        .args(["-jar"])
        .arg(&jar)
        .args(["--format", "json", "--stdout", "--also-check-svg"])
        .args(pages.iter().map(|p| out.join(p)))
        .output()
        .expect("java must be installed for the validator (Debian: default-jre-headless)");
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("vnu: {e}: {}", stderr(&o)));
    let errors: Vec<String> = report["messages"]
        .as_array()
        .expect("vnu's messages")
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| format!("{}: {}", m["url"], m["message"]))
        .filter(|m| !VALIDATOR_GAPS.iter().any(|(gap, _)| m.contains(gap)))
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors over {} pages:\n{}",
        errors.len(),
        pages.len(),
        errors.join("\n")
    );
}

/// The `content` of a page's `<meta name="description">`.
fn meta_description(html: &str) -> String {
    let from = html
        .split(r#"<meta name="description" content=""#)
        .nth(1)
        .unwrap_or_else(|| panic!("no description in {html}"));
    from[..from.find('"').unwrap()].to_string()
}

/// The page's `<main>`, where the visitor reads.
fn main_of(html: &str) -> &str {
    &html[html.find("<main").unwrap()..html.find("</main>").unwrap()]
}

#[test]
fn home_shows_its_intro_once_and_each_language_describes_itself() {
    let title = "Di tích và Homestay Lạng Sơn";
    let site = site(&[
        (
            "site.yaml",
            &format!("title: {title}\nbase_url: https://t.example\nlanguages: [vi, en, zh]\n"),
        ),
        (
            "content/_index.md",
            "---\ntitle: Di sản\n---\n\nTrang này do đoàn viên thanh niên soạn.\n",
        ),
        (
            "content/_index.en.md",
            "---\ntitle: Heritage\n---\n\nWritten by youth-union volunteers.\n",
        ),
        (
            "content/relics/_index.md",
            "---\ntitle: Di tích\n---\n\nCác di tích lịch sử của tỉnh.\n",
        ),
        ("content/relics/den-ky-cung.md", RELIC),
    ]);
    let out = build_ok(site.path()).join("site");
    for (page, intro) in [
        ("index.html", "Trang này do đoàn viên thanh niên soạn."),
        ("en/index.html", "Written by youth-union volunteers."),
        ("relics/index.html", "Các di tích lịch sử của tỉnh."),
    ] {
        let html = read(out.join(page));
        assert_eq!(main_of(&html).matches(intro).count(), 1, "{page}: {html}");
        assert_eq!(meta_description(&html), intro, "{page}");
    }
    // Chinese has no intro and the site no description: the theme says what the site is, in
    // Chinese, rather than repeating the title.
    for page in ["zh/index.html", "zh/map/index.html", "zh/relics/index.html"] {
        let d = meta_description(&read(out.join(page)));
        assert!(
            d != title && d.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{page}: {d}"
        );
    }
    // An entry without a summary is described by its first paragraph.
    let entry = read(out.join("relics/den-ky-cung/index.html"));
    assert_eq!(meta_description(&entry), "Ngôi đền bên sông.");
    let manifest: serde_json::Value =
        serde_json::from_str(&read(out.join("manifest.webmanifest"))).unwrap();
    assert_eq!(manifest["short_name"], "Di tích và", "cut at a word");
    let about = manifest["description"].as_str().unwrap();
    assert!(!about.is_empty() && about != title, "{manifest}");
}

#[test]
fn the_web_app_takes_its_name_and_description_from_site_yaml() {
    let site = site(&[
        (
            "site.yaml",
            "title: Di tích và Homestay Lạng Sơn\nshort_name: Lạng Sơn\ndescription: Di tích và homestay của tỉnh.\nbase_url: https://t.example\nlanguages: [vi, en]\n",
        ),
        ("content/relics/den-ky-cung.md", RELIC),
    ]);
    let out = build_ok(site.path()).join("site");
    let manifest: serde_json::Value =
        serde_json::from_str(&read(out.join("manifest.webmanifest"))).unwrap();
    assert_eq!(manifest["short_name"], "Lạng Sơn");
    assert_eq!(manifest["description"], "Di tích và homestay của tỉnh.");
    let vi = read(out.join("index.html"));
    assert!(main_of(&vi).contains("Di tích và homestay của tỉnh."));
    // A district's list describes itself with the site's description, but does not show it.
    let district = read(out.join("districts/thanh-pho-lang-son/index.html"));
    assert_eq!(meta_description(&district), "Di tích và homestay của tỉnh.");
    assert!(!main_of(&district).contains("Di tích và homestay của tỉnh."));
    // The description is written in Vietnamese: not the English page's lead or description.
    let en = read(out.join("en/index.html"));
    assert!(!en.contains("Di tích và homestay của tỉnh."), "{en}");
}
