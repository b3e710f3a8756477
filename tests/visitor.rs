//! A tourist's visit to the example site in a real headless Chromium (tests/browser/visitor.mjs):
//! a phone screenshot, search without diacritics, the QR landing's language switch, offline reading,
//! and the accessibility basics (320 px, 16 px text, 44 px tap targets).

mod common;
use common::*;
use std::process::Command;

#[test]
fn tourist_visit_in_headless_chromium() {
    let dir = browser_scripts();
    let site = example();
    let out = build_ok(site.path());
    let shots = tempfile::tempdir().unwrap();
    let o = Command::new("node")
        .arg(dir.join("visitor.mjs"))
        .arg(out.join("site"))
        .arg(shots.path())
        .output()
        .expect("node (Node.js) must be installed");
    let log = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "browser checks failed:\n{log}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(log.contains("all passed") && !log.contains("FAIL"), "{log}");
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
