//! `waymark stats`: scans counted from nginx, gzipped and Caddy logs, one visit per visitor per
//! code per day, previewers left out, bad lines named, silent plaques flagged; no address kept.

mod common;
use common::*;
use std::io::Write;

const ZALO: &str = "Mozilla/5.0 (Linux; Android 12; SM-A135F) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36 Zalo android/12010";

fn combined(ip: &str, day: u32, path: &str, status: u16, agent: &str) -> String {
    format!("{ip} - - [{day:02}/Nov/2026:09:30:00 +0700] \"GET {path} HTTP/2.0\" {status} 5120 \"-\" \"{agent}\"\n")
}

#[test]
fn scans_are_counted_from_every_kind_of_log_and_reported() {
    let s = example();
    // HVT and TNM printed long ago; TNM gets no scan: a silent plaque.
    let lock = read(s.path().join("plaques.lock"))
        .replace(
            "HVT: { page: relics/khu-luu-niem-hoang-van-thu }",
            "HVT: { page: relics/khu-luu-niem-hoang-van-thu, printed: 2026-01-10 }",
        )
        .replace(
            "TNM: { page: relics/thanh-nha-mac }",
            "TNM: { page: relics/thanh-nha-mac, printed: 2026-01-10 }",
        );
    write(s.path(), "plaques.lock", &lock);
    build_ok(s.path());

    let logs = s.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let mut nginx = String::new();
    nginx += &combined("203.0.113.7", 20, "/q/HVT/", 200, ZALO);
    nginx += &combined("203.0.113.7", 20, "/q/HVT/", 200, ZALO); // the same visitor again
    nginx += &combined(
        "203.0.113.8",
        20,
        "/q/HVT/",
        200,
        "Mozilla/5.0 (iPhone) [FBAN/FBIOS;FBAV/400]",
    );
    nginx += &combined(
        "66.249.66.1",
        20,
        "/q/HVT/",
        200,
        "Mozilla/5.0 (compatible; Googlebot/2.1)",
    );
    nginx += &combined("31.13.1.1", 20, "/q/HVT/", 200, "facebookexternalhit/1.1");
    nginx += &combined("203.0.113.9", 21, "/q/DKC/", 200, ZALO);
    nginx += &combined("203.0.113.9", 21, "/q/DKC/", 404, ZALO);
    nginx += &combined("203.0.113.9", 21, "/relics/", 200, ZALO);
    nginx += "203.0.113.10 - - [21/Nov/2026:09:3\n"; // cut short
    nginx += "just some other text\n";
    std::fs::write(logs.join("access.log"), &nginx).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(combined("203.0.113.7", 20, "/q/HVT", 301, ZALO).as_bytes())
        .unwrap(); // same visit, other file
    gz.write_all(combined("198.51.100.2", 2, "/q/HVT/", 200, ZALO).as_bytes())
        .unwrap();
    std::fs::write(logs.join("access.log.2.gz"), gz.finish().unwrap()).unwrap();
    let caddy = r#"{"level":"info","ts":1764551702.25,"logger":"http.log.access","request":{"remote_ip":"198.51.100.4","client_ip":"198.51.100.4","method":"GET","uri":"/q/DKC/","headers":{"User-Agent":["Mozilla/5.0 MicroMessenger/8.0.40"]}},"status":200}
{"level":"info","ts":1764551703.0,"request":{"remote_ip":"198.51.100.5","method":"GET","uri":"/q/ZZZ/","headers":{"User-Agent":["Mozilla/5.0 Zalo"]}},"status":200}
"#;
    std::fs::write(logs.join("caddy.json"), caddy).unwrap();

    let o = std::process::Command::new(bin())
        .args(["stats", "--site"])
        .arg(s.path())
        .arg(logs.join("access.log"))
        .arg(logs.join("access.log.2.gz"))
        .arg(logs.join("caddy.json"))
        .env("SOURCE_DATE_EPOCH", "1796083200") // 2026-12-01
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(
        err.contains("access.log: 2 line(s) not in a known log format, skipped (lines 9, 10)"),
        "{err}"
    );
    // HVT: two visitors on the 20th (the repeat and the redirect of one of them not counted),
    // one on the 2nd; DKC one on the 21st and one (Caddy) on 2025-12-01.
    assert!(out.contains("5 visit(s) through 2 plaque(s)"), "{out}");
    assert!(
        out.contains("2 from previewers and crawlers left out"),
        "{out}"
    );

    let report = s.path().join("output/stats");
    let csv = read(report.join("visits.csv"));
    assert_eq!(
        csv,
        "code,page,day,visits\nDKC,relics/den-ky-cung,2025-12-01,1\nDKC,relics/den-ky-cung,2026-11-21,1\nHVT,relics/khu-luu-niem-hoang-van-thu,2026-11-02,1\nHVT,relics/khu-luu-niem-hoang-van-thu,2026-11-20,2\n"
    );
    let page = read(report.join("index.html"));
    assert!(
        page.contains("<svg") && !page.contains("<script"),
        "a chart, no script"
    );
    assert!(
        page.contains("ZZZ (1)"),
        "codes not in the ledger are listed"
    );
    for ip in ["203.0.113", "198.51.100", "66.249"] {
        assert!(
            !page.contains(ip) && !csv.contains(ip),
            "no address is written"
        );
    }
    // The website is still published beside the report, and a build keeps the report.
    assert!(s.path().join("output/site/index.html").is_file());
    build_ok(s.path());
    assert!(report.join("visits.csv").is_file());
}

#[test]
fn silent_plaques_and_missing_logs() {
    let s = example();
    let lock = read(s.path().join("plaques.lock"))
        .replace(
            "TNM: { page: relics/thanh-nha-mac }",
            "TNM: { page: relics/thanh-nha-mac, printed: 2026-01-10 }",
        )
        .replace(
            "HVT: { page: relics/khu-luu-niem-hoang-van-thu }",
            "HVT: { page: relics/khu-luu-niem-hoang-van-thu, printed: 2026-11-25 }",
        );
    write(s.path(), "plaques.lock", &lock);
    let log = s.path().join("access.log");
    std::fs::write(&log, combined("203.0.113.7", 20, "/q/DKC/", 200, ZALO)).unwrap();
    let run = |extra: &[&str]| {
        std::process::Command::new(bin())
            .args(["stats", "--site"])
            .arg(s.path())
            .args(extra)
            // 2026-12-01
            .env("SOURCE_DATE_EPOCH", "1796083200")
            .output()
            .unwrap()
    };
    let o = run(&[log.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("silent: TNM printed 2026-01-10, never scanned in these logs"),
        "{out}"
    );
    assert!(
        !out.contains("silent: HVT"),
        "printed 6 days ago is not silent yet: {out}"
    );
    assert!(read(s.path().join("output/stats/index.html")).contains("class=\"silent\"><td>TNM"));
    let o = run(&[log.to_str().unwrap(), "--silent-days", "400"]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("silent:"));
    let o = run(&["/nonexistent/access.log"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a file"));
}
