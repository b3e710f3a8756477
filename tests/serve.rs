//! `waymark serve` on loopback: a change is rebuilt and announced to the browser, an error is shown
//! as an overlay while the last good site stays up, and fixing it recovers.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    base: String,
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// The child is killed and waited for when the Server is dropped.
#[allow(clippy::zombie_processes)]
fn start(site: &std::path::Path) -> Server {
    let mut child = Command::new(bin())
        .args(["serve", "--port", "0", "--site"])
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, log) = mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(line) = log.recv_timeout(Duration::from_millis(200)) {
            if let Some(i) = line.find("at http://") {
                let base = line[i + 3..]
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_string();
                return Server { child, base, log };
            }
        }
    }
    panic!("serve did not start");
}

/// Subscribe to the live-reload events; each event's name and data arrive on the channel.
fn events(base: &str) -> mpsc::Receiver<String> {
    let host = base.strip_prefix("http://").unwrap().to_string();
    let mut s = std::net::TcpStream::connect(&host).unwrap();
    write!(s, "GET /_waymark/events HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
    let (tx, rx) = mpsc::channel();
    // One message a whole event: its `event:` line and its `data:` lines, up to the blank line.
    std::thread::spawn(move || {
        let mut event: Vec<String> = Vec::new();
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if line.starts_with("event:") || line.starts_with("data:") {
                event.push(line);
            } else if line.is_empty() && !event.is_empty() {
                let _ = tx.send(event.join("\n"));
                event.clear();
            }
        }
    });
    rx
}

fn wait_for(rx: &mpsc::Receiver<String>, what: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            if line.lines().next().is_some_and(|l| l.contains(what)) {
                // Its data, one `data:` line a line of the message, joined as the browser's
                // EventSource joins them.
                let data: Vec<&str> = line
                    .lines()
                    .filter_map(|l| l.strip_prefix("data:"))
                    .map(|d| d.strip_prefix(' ').unwrap_or(d))
                    .collect();
                return data.join("\n");
            }
            seen.push(line);
        }
    }
    panic!("no `{what}` event; saw {seen:?}");
}

#[test]
fn live_reload_error_overlay_and_recovery() {
    let s = site(&[
        ("content/relics/den.md", RELIC),
        ("content/relics/chua.md", "---\ntitle: Chùa\n---\nChùa.\n"),
    ]);
    let server = start(s.path());
    let (status, page) = http_get(&format!("{}/relics/den/", server.base));
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Đền Kỳ Cùng</h1>"));
    assert!(
        page.contains("/_waymark/events"),
        "live-reload script injected"
    );
    // Short links point at the preview server, so a phone can scan them.
    assert!(page.contains(&format!("{}/q/", server.base)), "{page}");
    let ev = events(&server.base);
    std::thread::sleep(Duration::from_millis(300));

    let log_line = |prefix: &str| {
        (0..50).find_map(|_| {
            server
                .log
                .recv_timeout(Duration::from_millis(200))
                .ok()
                .filter(|l| l.starts_with(prefix))
        })
    };
    // After an edit: the reload, the log line that says how it was rebuilt, and `text` on den's page.
    let shown = |log: &str, text: &str| {
        wait_for(&ev, "event: reload");
        assert!(log_line(log).is_some(), "no `{log}` in the log");
        let (_, page) = http_get(&format!("{}/relics/den/", server.base));
        assert!(page.contains(text), "{page}");
    };

    // Only the text changed: the kept model was patched, nothing else loaded.
    write(
        s.path(),
        "content/relics/den.md",
        &RELIC.replace("Ngôi đền bên sông.", "Đã sửa nội dung."),
    );
    shown("updated the page(s) of 1 file", "Đã sửa nội dung.");

    // den.md with `front` added to its front matter and `body` as its text.
    let edit_den = |front: &str, body: &str| {
        let text = RELIC
            .replace("Ngôi đền bên sông.", body)
            .replace("ranking: national", &format!("ranking: national\n{front}"));
        write(s.path(), "content/relics/den.md", &text);
    };
    // Front matter that only the entry's own page shows (an address) patches the model too.
    let with_address = |address: &str| edit_den(address, "Đã sửa nội dung.");
    with_address("address: 12 Phố Kỳ Cùng");
    shown("updated the page(s) of 1 file", "12 Phố Kỳ Cùng");
    // A page-only field the loader refuses (a relic has no price) is reported, not patched in.
    with_address("price_from: 100000");
    let data = wait_for(&ev, "event: problem");
    assert!(data.contains("price_from"), "{data}");
    with_address("address: 12 Phố Kỳ Cùng");
    wait_for(&ev, "event: reload");
    assert!(
        log_line("rebuilt").is_some(),
        "after a problem, the whole site is checked again"
    );

    // A summary, which lists show, is patched too: the entry's page first, then the lists.
    let with_summary = |body: &str| edit_den("address: 12 Phố Kỳ Cùng\nsummary: Đền cổ.", body);
    with_summary("Đã sửa nội dung.");
    shown("updated the lists", "Đền cổ.");
    let (_, list) = http_get(&format!("{}/relics/", server.base));
    assert!(list.contains("Đền cổ."), "{list}");

    // A broken link in a text-only edit is reported like any other problem.
    with_summary("[x](../khong-co.md)");
    let data = wait_for(&ev, "event: problem");
    assert!(data.contains("khong-co.md"), "{data}");
    with_summary("Đã sửa nội dung.");
    wait_for(&ev, "event: reload");

    write(
        s.path(),
        "content/relics/chua.md",
        "---\ntitle: Chùa\nlocaton: 1\n---\n",
    );
    let data = wait_for(&ev, "event: problem");
    assert!(data.contains("did you mean `location`"), "{data}");
    let (status, page) = http_get(&format!("{}/relics/den/", server.base));
    assert_eq!(status, 200, "the last good site is still served");
    assert!(
        page.contains("Đã sửa nội dung.") && page.contains("waymark-overlay"),
        "overlay on the page"
    );

    write(
        s.path(),
        "content/relics/chua.md",
        "---\ntitle: Chùa\nlocation: { lat: 21.85, lon: 106.76 }\n---\n",
    );
    wait_for(&ev, "event: reload");
    let (_, page) = http_get(&format!("{}/relics/den/", server.base));
    assert!(
        !page.contains("<pre id=\"waymark-overlay\""),
        "overlay gone after the fix"
    );
    // Print files are made when asked for: one code's alone, or the whole set for the index.
    let (status, pdf) = http_get(&format!("{}/_print/plaques/DEN.pdf", server.base));
    assert_eq!(status, 200);
    assert!(pdf.starts_with("%PDF"), "a PDF");
    let (status, png) = http_get(&format!("{}/_print/plaques/DEN.png", server.base));
    assert!(status == 200 && png.contains("PNG"), "a preview PNG");
    let (status, print) = http_get(&format!("{}/_print/", server.base));
    assert_eq!(status, 200);
    assert!(
        print.contains("manifest.json") && print.contains("sheets/"),
        "{print}"
    );
    let (status, _) = http_get(&format!("{}/no/such/page/", server.base));
    assert_eq!(status, 404);
    assert!(
        !s.path().join("output").exists(),
        "serve never writes output/"
    );
}

#[test]
fn the_default_port_moves_on_when_taken_and_a_port_given_does_not() {
    let s = site(&[("content/relics/den.md", RELIC)]);
    // A port given, taken: the server does not start somewhere a proxy does not expect it.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let o = Command::new(bin())
        .args(["serve", "--port", &port.to_string(), "--site"])
        .arg(s.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains(&format!("port {port} is taken")), "{said}");

    // No port given: 1111, or the next free one (held here when nothing else holds it).
    let _default = std::net::TcpListener::bind("127.0.0.1:1111");
    let mut child = Command::new(bin())
        .args(["serve", "--site"])
        .arg(s.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("at http://") {
        line.clear();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("at http://127.0.0.1:11"), "{line}");
    assert!(!line.contains(":1111/"), "took the busy port: {line}");
}

/// The title of `page` at `base`, as its nearby lists and the section list show it.
fn shows(base: &str, page: &str, text: &str) -> bool {
    http_get(&format!("{base}{page}")).1.contains(text)
}

#[test]
fn title_and_place_edits_reach_lists_and_nearby_pages() {
    let chua = "---\ntitle: Chùa Tiên\nlocation: { lat: 21.86, lon: 106.76 }\n---\nChùa.\n";
    let s = site(&[
        ("content/relics/den.md", RELIC),
        ("content/relics/chua.md", chua),
    ]);
    let server = start(s.path());
    let base = server.base.clone();
    assert!(
        shows(&base, "/relics/chua/", "Đền Kỳ Cùng"),
        "den is near chua"
    );
    let ev = events(&base);
    std::thread::sleep(Duration::from_millis(300));
    let den = |from: &str, to: &str| {
        write(s.path(), "content/relics/den.md", &RELIC.replace(from, to));
    };

    // A new title: the entry's page at once, then the list and the page that lists it nearby,
    // each announced with the pages it made (a browser elsewhere does not reload).
    den("Đền Kỳ Cùng", "Đền Mới");
    let first = wait_for(&ev, "event: reload");
    assert!(first.contains("/relics/den/"), "{first}");
    assert!(!first.contains("/relics/chua/"), "{first}");
    let then = wait_for(&ev, "event: reload");
    assert!(
        then.contains("/relics/chua/") && then.contains("/relics/ "),
        "{then}"
    );
    assert!(shows(&base, "/relics/den/", "<h1>Đền Mới</h1>"));
    assert!(shows(&base, "/relics/chua/", "Đền Mới"), "nearby list");
    assert!(shows(&base, "/relics/", "Đền Mới"), "section list");

    // After a problem the whole site is compared with the last good build: the nearby page too.
    den("title: Đền Kỳ Cùng", "title: [Đền");
    wait_for(&ev, "event: problem");
    den("Đền Kỳ Cùng", "Đền Cũ");
    wait_for(&ev, "event: reload");
    assert!(shows(&base, "/relics/chua/", "Đền Cũ"), "nearby list");
    assert!(!shows(&base, "/relics/chua/", "Đền Mới"));

    // Moved 70 km away: no longer near.
    den("lat: 21.85", "lat: 22.48");
    wait_for(&ev, "event: reload");
    wait_for(&ev, "event: reload");
    assert!(!shows(&base, "/relics/chua/", "Đền Kỳ Cùng"), "moved away");
    assert!(shows(&base, "/relics/den/", "22.48"), "map links follow");

    // A district that loses its last entry loses its page (a whole rebuild, not a patch).
    assert!(shows(
        &base,
        "/districts/thanh-pho-lang-son/",
        "Đền Kỳ Cùng"
    ));
    den("district: Thành phố Lạng Sơn", "district: Cao Lộc");
    wait_for(&ev, "event: reload");
    let (status, _) = http_get(&format!("{base}/districts/thanh-pho-lang-son/"));
    assert_eq!(status, 404);
    assert!(shows(&base, "/districts/cao-loc/", "Đền Kỳ Cùng"));
}

#[test]
fn a_district_list_that_loses_a_page_loses_its_file() {
    // One entry a page: Văn Lãng lists two (two pages), Cao Lộc one.
    let relic = |t: &str, d: &str| format!("---\ntitle: {t}\ndistrict: {d}\n---\nChữ.\n");
    let s = site(&[
        (
            "site.yaml",
            "title: Test\nbase_url: https://t.example\npaginate_by: 1\n",
        ),
        ("content/relics/a.md", &relic("Chùa A", "Văn Lãng")),
        ("content/relics/b.md", &relic("Chùa B", "Văn Lãng")),
        ("content/relics/c.md", &relic("Chùa C", "Cao Lộc")),
    ]);
    let server = start(s.path());
    let base = server.base.clone();
    assert!(shows(&base, "/districts/van-lang/page/2/", "Chùa B"));
    let ev = events(&base);
    std::thread::sleep(Duration::from_millis(300));
    // Both districts keep their pages, but the lists change length: not a patch of the lists.
    write(s.path(), "content/relics/b.md", &relic("Chùa B", "Cao Lộc"));
    wait_for(&ev, "event: reload");
    let (status, _) = http_get(&format!("{base}/districts/van-lang/page/2/"));
    assert_eq!(status, 404, "a stale list page is not served");
    assert!(shows(&base, "/districts/cao-loc/page/2/", "Chùa C"));
    assert!(shows(&base, "/districts/cao-loc/", "Chùa B"));
}

#[test]
fn a_bundle_folder_moved_away_takes_its_page_with_it() {
    let s = site(&[
        ("content/relics/den.md", RELIC),
        (
            "content/relics/chua-tien/index.md",
            "---\ntitle: Chùa Tiên\n---\nChùa trên núi.\n",
        ),
    ]);
    let server = start(s.path());
    let base = server.base.clone();
    assert!(shows(&base, "/relics/", "Chùa Tiên"));
    let ev = events(&base);
    std::thread::sleep(Duration::from_millis(300));
    // The folder moves (to the trash, say) as another entry's text is saved: no file of the
    // folder is named by the change, and the other edit alone could be patched.
    let trash = tempfile::tempdir().unwrap();
    write(
        s.path(),
        "content/relics/den.md",
        &format!("{RELIC}\nThêm một câu.\n"),
    );
    std::fs::rename(
        s.path().join("content/relics/chua-tien"),
        trash.path().join("chua-tien"),
    )
    .unwrap();
    wait_for(&ev, "event: reload");
    let (status, _) = http_get(&format!("{base}/relics/chua-tien/"));
    assert_eq!(status, 404, "the page of a removed entry is not served");
    assert!(!http_get(&format!("{base}/relics/")).1.contains("Chùa Tiên"));
}

#[test]
fn a_new_tag_gets_its_page_and_a_dropped_one_loses_it() {
    let s = site(&[
        ("content/relics/den.md", RELIC),
        (
            "content/relics/chua.md",
            "---\ntitle: Chùa\ntags: [tâm linh]\n---\nChùa.\n",
        ),
    ]);
    let server = start(s.path());
    let base = server.base.clone();
    assert!(shows(&base, "/tags/tam-linh/", "Chùa"));
    let ev = events(&base);
    std::thread::sleep(Duration::from_millis(300));
    let den = |tags: &str| {
        let text = RELIC.replace("ranking:", &format!("tags: [{tags}]\nranking:"));
        write(s.path(), "content/relics/den.md", &text);
    };
    // A tag another entry has: its list shows the entry (a patch of the lists).
    den("tâm linh");
    wait_for(&ev, "event: reload");
    let then = wait_for(&ev, "event: reload");
    let named: Vec<&str> = then.split(' ').collect();
    assert!(named.contains(&"/tags/tam-linh/"), "{then}");
    // Every list is rendered again, but the relic list shows no tags: its browsers stay put.
    assert!(!named.contains(&"/relics/"), "{then}");
    assert!(shows(&base, "/tags/tam-linh/", "Đền Kỳ Cùng"));
    assert!(shows(&base, "/relics/den/", "/tags/tam-linh/"));
    // A tag nobody had: a new page, so the whole site is rebuilt.
    den("tâm linh, lễ hội");
    wait_for(&ev, "event: reload");
    assert!(shows(&base, "/tags/le-hoi/", "Đền Kỳ Cùng"));
    den("tâm linh");
    wait_for(&ev, "event: reload");
    let (status, _) = http_get(&format!("{base}/tags/le-hoi/"));
    assert_eq!(status, 404, "a tag no entry has any more has no page");
}

#[test]
fn a_new_price_reaches_the_homestay_list() {
    let home = "---\ntitle: Nhà Na\nprice_from: 300000\n---\nNhà.\n";
    let s = site(&[("content/homestays/na.md", home)]);
    let server = start(s.path());
    let base = server.base.clone();
    assert!(shows(&base, "/homestays/", "300.000 ₫"));
    let ev = events(&base);
    std::thread::sleep(Duration::from_millis(300));
    write(
        s.path(),
        "content/homestays/na.md",
        &home.replace("300000", "450000"),
    );
    wait_for(&ev, "event: reload");
    wait_for(&ev, "event: reload");
    assert!(
        shows(&base, "/homestays/", "450.000 ₫"),
        "the list shows the new price"
    );
}

/// The live-reload script in a real browser (tests/browser/live.mjs): an edit reloads the pages
/// it changed and leaves the others alone; a broken file shows over the page until fixed.
#[test]
fn live_reload_in_headless_chromium() {
    let s = site(&[
        ("content/relics/den.md", RELIC),
        (
            "content/relics/chua.md",
            "---\ntitle: Chùa Tiên\nlocation: { lat: 21.86, lon: 106.76 }\n---\nChùa.\n",
        ),
        (
            "content/relics/xa.md",
            "---\ntitle: Đồn Xa\nlocation: { lat: 22.9, lon: 106.3 }\n---\nXa.\n",
        ),
    ]);
    let server = start(s.path());
    browser_checks("live.mjs", &[server.base.as_ref(), s.path().as_ref()], "");
}

#[test]
fn homestay_kits_with_wifi_and_bank_details_are_for_this_computer_only() {
    let s = example();
    let ed = common::editor::spawn(s.path(), &["--edit"]);
    let code = read(s.path().join("plaques.lock"))
        .lines()
        .find(|l| l.contains("homestays/homestay-na-lan"))
        .and_then(|l| l.split(':').next())
        .unwrap()
        .trim()
        .to_string();
    let kit = format!("{}/_print/kits/{code}/wifi.svg", ed.base);
    // At the server itself: the card, Wi-Fi password and all.
    let here = common::editor::request("GET", &kit, &[], b"");
    assert_eq!(here.status, 200, "{}", here.body);
    // Forwarded from anywhere else (a proxy in front, a phone on the Wi-Fi): refused.
    for header in [
        ("X-Forwarded-For", "192.0.2.9"),
        ("Forwarded", "for=192.0.2.9"),
    ] {
        let there = common::editor::request("GET", &kit, &[header], b"");
        assert_eq!(there.status, 403, "{header:?}");
        assert!(!there.body.contains("khach"), "the password went out");
    }
    // The plaques stay open to the preview's viewers.
    let plaque = common::editor::request(
        "GET",
        &format!("{}/_print/", ed.base),
        &[("X-Forwarded-For", "192.0.2.9")],
        b"",
    );
    assert_eq!(plaque.status, 200);
}
