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
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/441.0.0.23.105;FBBV/539088405;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.1.2;FBSS/3;FBID/phone;FBLC/vi_VN;FBOP/5;FBRV/541416148]",
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
    let caddy = r#"{"level":"info","ts":1764551702.25,"logger":"http.log.access","request":{"remote_ip":"198.51.100.4","client_ip":"198.51.100.4","method":"GET","uri":"/q/DKC/","headers":{"User-Agent":["Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.42(0x18002a2d) NetType/WIFI Language/zh_CN"]}},"status":200}
{"level":"info","ts":1764551703.0,"request":{"remote_ip":"198.51.100.5","method":"GET","uri":"/q/ZZZ/","headers":{"User-Agent":["Mozilla/5.0 (Linux; Android 12; SM-A325F Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 Zalo android/12100702 ZaloTheme/light ZaloLanguage/vi"]}},"status":200}
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
        "\u{feff}code,page,day,visits\nDKC,relics/den-ky-cung,2025-12-01,1\nDKC,relics/den-ky-cung,2026-11-21,1\nHVT,relics/khu-luu-niem-hoang-van-thu,2026-11-02,1\nHVT,relics/khu-luu-niem-hoang-van-thu,2026-11-20,2\n"
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

/// Real user agents seen on plaque landings, and whether each is a person. The visitors are
/// phones, cheap ones included (CUBOT's brand holds "bot"), and the in-app browsers of Zalo,
/// Facebook and WeChat; the rest are crawlers, link previewers, monitors and scripts.
const VISITORS: &[&str] = &[
    "Mozilla/5.0 (Linux; Android 10; CUBOT_X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 11; CUBOT NOTE 20 PRO) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 9; CUBOT KING KONG CS Build/PPR1.180610.011) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.5359.128 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-A045F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; Redmi 10C) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 8.1.0; itel W5504) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.196 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
    // Zalo's in-app browser, Android and iOS.
    "Mozilla/5.0 (Linux; Android 12; SM-A325F Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 Zalo android/12100702 ZaloTheme/light ZaloLanguage/vi",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Zalo iOS/23.11.02 ZaloTheme/light ZaloLanguage/vi",
    // WeChat, Android and iOS.
    "Mozilla/5.0 (Linux; Android 13; V2219 Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/1110017 MMWEBSDK/20230805 MMWEBID/2766 MicroMessenger/8.0.42.2460(0x28002A3B) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.42(0x18002a2d) NetType/WIFI Language/zh_CN",
    // Facebook's in-app browser, Android and iOS.
    "Mozilla/5.0 (Linux; Android 13; SM-A145F Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.193 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/442.0.0.33.113;]",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/441.0.0.23.105;FBBV/539088405;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.1.2;FBSS/3;FBID/phone;FBLC/vi_VN;FBOP/5;FBRV/541416148]",
    // Safari and Chrome on iPhone, UC Browser, Cốc Cốc, Firefox, desktop Edge.
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; U; Android 11; vi-VN; RMX2185 Build/RP1A.201005.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.58 UCBrowser/13.6.0.1315 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; SM-A107F) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/118.0.270 Mobile Chrome/112.0.5615.270 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/117.0.226 Chrome/111.0.5563.226 Safari/537.36",
    "Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
];

const MACHINES: &[&str] = &[
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.216 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "GoogleOther",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.216 Mobile Safari/537.36 (compatible; GoogleOther)",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.216 Mobile Safari/537.36 (compatible; Google-InspectionTool/1.0;)",
    "Mediapartners-Google",
    "Mozilla/5.0 (Linux; Android 5.0; SM-G920A) AppleWebKit (KHTML, like Gecko) Chrome Mobile Safari (compatible; Mediapartners-Google/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "Mozilla/5.0 (Linux; Android 7.0;) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "WhatsApp/2.23.20.0 A",
    "TelegramBot (like TwitterBot)",
    "Twitterbot/1.0",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "HTTPie/3.2.2",
    "PostmanRuntime/7.36.0",
    "Python/3.11 aiohttp/3.9.1",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "undici",
    "node",
    "Dart/3.2 (dart:io)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36 Site24x7",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36 StatusCake",
    "Mozilla/5.0 (compatible; Let's Encrypt validation server; +https://www.letsencrypt.org)",
    "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "Go-http-client/2.0",
    "okhttp/4.12.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36",
    "-",
    "",
];

#[test]
fn people_and_machines_are_told_apart_by_real_user_agents() {
    use waymark::stats::agents::is_bot;
    let wrong: Vec<&str> = VISITORS.iter().copied().filter(|a| is_bot(a)).collect();
    assert!(wrong.is_empty(), "visitors left out: {wrong:#?}");
    let wrong: Vec<&str> = MACHINES.iter().copied().filter(|a| !is_bot(a)).collect();
    assert!(wrong.is_empty(), "machines counted: {wrong:#?}");
}

/// A site copy whose plaques.lock and site.yaml are as given, and a `stats` run over `logs`.
fn stats_run(s: &std::path::Path, logs: &[std::path::PathBuf]) -> std::process::Output {
    std::process::Command::new(bin())
        .args(["stats", "--site"])
        .arg(s)
        .args(logs)
        .env("SOURCE_DATE_EPOCH", "1796083200") // 2026-12-01
        .output()
        .unwrap()
}

fn csv_rows(s: &std::path::Path) -> Vec<String> {
    read(s.join("output/stats/visits.csv"))
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(String::from)
        .collect()
}

#[test]
fn a_cubot_phone_counts_and_tools_and_monitors_do_not() {
    let s = example();
    let mut log = String::new();
    for (i, agent) in VISITORS.iter().chain(MACHINES).enumerate() {
        log += &combined(&format!("203.0.113.{i}"), 20, "/q/HVT/", 200, agent);
    }
    let path = s.path().join("access.log");
    std::fs::write(&path, &log).unwrap();
    let o = stats_run(s.path(), &[path]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert_eq!(
        csv_rows(s.path()),
        [format!(
            "HVT,relics/khu-luu-niem-hoang-van-thu,2026-11-20,{}",
            VISITORS.len()
        )]
    );
    assert!(
        out.contains(&format!(
            "{} from previewers and crawlers left out",
            MACHINES.len()
        )),
        "{out}"
    );
}

#[test]
fn days_are_the_site_time_zones_in_every_log_format() {
    let s = example();
    let logs = s.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    // 23:30 UTC on 3 December is 06:30 on 4 December in Vietnam.
    let nginx = format!(
        "203.0.113.1 - - [03/Dec/2026:23:30:00 +0000] \"GET /q/HVT/ HTTP/1.1\" 200 5120 \"-\" \"{ZALO}\"\n"
    );
    // nginx with `log_format iso '$remote_addr - $remote_user [$time_iso8601] "$request" ...'`.
    let iso = format!(
        "203.0.113.2 - - [2026-12-03T23:30:00+00:00] \"GET /q/HVT/ HTTP/2.0\" 200 5120 \"https://zalo.me/\" \"{ZALO}\"\n"
    );
    let caddy = format!(
        "{{\"level\":\"info\",\"ts\":1796340600.25,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{{\"remote_ip\":\"203.0.113.3\",\"remote_port\":\"51234\",\"client_ip\":\"203.0.113.3\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"langson.example\",\"uri\":\"/q/HVT/\",\"headers\":{{\"User-Agent\":[\"{ZALO}\"]}}}},\"status\":200}}\n"
    );
    // Caddy with `format json { time_format iso8601 }`.
    let caddy_iso = caddy
        .replace("1796340600.25", "\"2026-12-03T23:30:00.250Z\"")
        .replace("203.0.113.3", "203.0.113.4");
    // A scan at 16:59 UTC on 30 November, 23:59 in Vietnam: still November there.
    let november = format!(
        "203.0.113.5 - - [30/Nov/2026:16:59:00 +0000] \"GET /q/DKC/ HTTP/1.1\" 200 5120 \"-\" \"{ZALO}\"\n"
    );
    for (name, text) in [
        ("nginx.log", nginx.clone() + &november),
        ("iso.log", iso),
        ("caddy.json", caddy),
        ("caddy-iso.json", caddy_iso),
    ] {
        std::fs::write(logs.join(name), text).unwrap();
    }
    let all: Vec<_> = ["nginx.log", "iso.log", "caddy.json", "caddy-iso.json"]
        .iter()
        .map(|n| logs.join(n))
        .collect();
    let o = stats_run(s.path(), &all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "every line read: {}", stderr(&o));
    assert_eq!(
        csv_rows(s.path()),
        [
            "DKC,relics/den-ky-cung,2026-11-30,1",
            "HVT,relics/khu-luu-niem-hoang-van-thu,2026-12-04,4"
        ]
    );

    // Another zone, named in site.yaml, moves the same instants to other days.
    let yaml = read(s.path().join("site.yaml"));
    write(s.path(), "site.yaml", &format!("{yaml}timezone: UTC\n"));
    let o = stats_run(s.path(), &all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        csv_rows(s.path()),
        [
            "DKC,relics/den-ky-cung,2026-11-30,1",
            "HVT,relics/khu-luu-niem-hoang-van-thu,2026-12-03,4"
        ]
    );

    // A name that is not a zone stops the run at its line, with the fix, and keeps the report.
    write(
        s.path(),
        "site.yaml",
        &format!("{yaml}timezone: Asia/Hanoi\n"),
    );
    let line = yaml.lines().count() + 1;
    let o = stats_run(s.path(), &all);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("timezone `Asia/Hanoi` is not a time zone name"),
        "{err}"
    );
    assert!(err.contains(&format!("site.yaml:{line}")), "{err}");
    assert!(err.contains("Asia/Ho_Chi_Minh"), "{err}");
    assert_eq!(csv_rows(s.path()).len(), 2, "the previous report is kept");
}

#[test]
fn a_month_without_visits_is_a_bar_of_zero() {
    let s = example();
    let mut log = String::new();
    log += &combined("203.0.113.1", 20, "/q/HVT/", 200, ZALO).replace("/Nov/", "/Aug/");
    log += &combined("203.0.113.2", 20, "/q/HVT/", 200, ZALO);
    let path = s.path().join("access.log");
    std::fs::write(&path, &log).unwrap();
    let o = stats_run(s.path(), &[path]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = read(s.path().join("output/stats/index.html"));
    let bars: Vec<&str> = page
        .split("<title>")
        .skip(1)
        .filter_map(|t| t.split("</title>").next())
        .filter(|t| t.starts_with("2026-"))
        .collect();
    assert_eq!(
        bars,
        ["2026-08: 1", "2026-09: 0", "2026-10: 0", "2026-11: 1"]
    );
}

#[test]
fn a_gzip_file_cut_short_is_named_and_its_lines_before_count() {
    let s = example();
    let mut text = String::new();
    for i in 0..4000 {
        text += &combined(
            &format!("10.{}.{}.{}", i / 65536, i / 256 % 256, i % 256),
            20,
            "/q/HVT/",
            200,
            ZALO,
        );
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    let whole = gz.finish().unwrap();
    let logs = s.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let cut = logs.join("access.log.2.gz");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let o = stats_run(s.path(), &[cut]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let n: usize = err
        .split("access.log.2.gz: gzip file cut short after line ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the cut is named: {err}"));
    assert!(n > 0 && n < 4000, "{n}");
    assert!(!err.contains("not in a known log format"), "{err}");
    // Every whole line before the cut is a visitor of its own.
    assert_eq!(
        csv_rows(s.path()),
        [format!(
            "HVT,relics/khu-luu-niem-hoang-van-thu,2026-11-20,{n}"
        )]
    );
    let page = read(s.path().join("output/stats/index.html"));
    assert!(page.contains(&format!("gzip file cut short after line {n}")));
}
