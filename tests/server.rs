//! Waymark on a server, as README's "Run it on a server" sets it up: the shipped
//! `server/Caddyfile` run by a real Caddy in front of `waymark serve --edit --publish`, and a
//! phone's every request going through it: the live site as files, pairing, a save live at
//! once, cookies marked Secure, and a forged X-Forwarded-For that changes nothing; and a
//! phone in Chromium over HTTPS (Caddy's `tls internal`) across restarts of the server and the
//! browser.

mod common;
use common::editor::*;
use common::*;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NHA: &str =
    "---\ntitle: Nhà Lan\nprice_from: 250000\nphone: \"0912 000 101\"\n---\n\nNhà sàn.\n";

struct Caddy(Child);

impl Drop for Caddy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The shipped Caddyfile, for this test's host, site folder and upstream port; Caddy run on it
/// (stopped and waited for when the `Caddy` drops).
#[allow(clippy::zombie_processes)]
fn caddy(site: &Path, upstream: &str, home: &Path) -> (Caddy, String) {
    let port = free_port();
    let address = format!("http://127.0.0.1:{port}");
    (
        run_caddy(site, upstream, home, &address, "", "", port),
        address,
    )
}

/// The shipped Caddyfile served at `address` (its host block, with `block` added to it), with
/// `global` options added, Caddy run on it and waited for on `port`.
#[allow(clippy::zombie_processes)]
fn run_caddy(
    site: &Path,
    upstream: &str,
    home: &Path,
    address: &str,
    block: &str,
    global: &str,
    port: u16,
) -> Caddy {
    let shipped = read(repo().join("server/Caddyfile"));
    assert!(shipped.contains("waymark.example.org") && shipped.contains("127.0.0.1:1111"));
    assert!(
        shipped.contains("\n{\n\tservers {"),
        "the shipped global options"
    );
    let config = shipped
        .replacen(
            "\n{\n\tservers {",
            &format!("\n{{\n\tadmin off\n{global}\tservers {{"),
            1,
        )
        .replace("waymark.example.org {", &format!("{address} {{\n{block}"))
        .replace("/srv/waymark/site", site.to_str().unwrap())
        .replace("127.0.0.1:1111", upstream);
    let file = home.join("Caddyfile");
    std::fs::write(&file, config).unwrap();
    let child = Command::new("caddy")
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(&file)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("caddy is installed (scripts/test installs it)");
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Caddy(child);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("caddy did not start");
}

#[test]
fn behind_caddy_a_phone_pairs_saves_and_the_visitor_reads_it_live() {
    let s = site(&[
        ("content/homestays/nha-lan.md", NHA),
        (
            "content/relics/den/index.md",
            "---\ntitle: Đền\nimages: [cong.jpg]\n---\n",
        ),
    ]);
    std::fs::write(
        s.path().join("content/relics/den/cong.jpg"),
        common::media::phone_jpeg(800, 600, 1),
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let ed = start(
        s.path(),
        &[
            "--publish",
            "--public-url",
            "https://waymark.test",
            "--trusted-proxy",
            "127.0.0.1",
        ],
    );
    ed.wait_for_log("published:");
    let upstream = ed.base.trim_start_matches("http://").to_string();
    let (_caddy, web) = caddy(s.path(), &upstream, home.path());

    // The visitor: the published files, straight from Caddy.
    let page = request("GET", &format!("{web}/homestays/nha-lan/"), &[], b"");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Nhà Lan"));
    // Pages are asked for again on every visit (an owner's new price shows at once); photos a
    // day, data an hour.
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    let lock = read(s.path().join("plaques.lock"));
    let code = lock
        .lines()
        .find(|l| l.contains("page: homestays/nha-lan"))
        .and_then(|l| l.trim().split(':').next())
        .unwrap()
        .to_string();
    let landing = format!("/q/{code}/");
    for (path, lifetime) in [
        ("/sw.js", "no-cache"),
        (landing.as_str(), "no-cache"),
        ("/icon-192.png", "public, max-age=86400"),
        ("/relics/den/cong-480.jpg", "public, max-age=86400"),
        // The share image shows the entry's words (a homestay's price).
        ("/relics/den/cong-share.jpg", "no-cache"),
        ("/search/vi.json", "public, max-age=3600"),
    ] {
        let r = request("GET", &format!("{web}{path}"), &[], b"");
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("cache-control"), Some(lifetime), "{path}");
    }
    let missing = request("GET", &format!("{web}/no/such/page/"), &[], b"");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html"), "the site's own 404 page");
    assert_eq!(missing.header("cache-control"), Some("no-cache"));
    let manifest = request("GET", &format!("{web}/manifest.webmanifest"), &[], b"");
    assert_eq!(
        manifest.header("content-type"),
        Some("application/manifest+json")
    );
    // A QR reader that upper-cased the whole link reaches the landing.
    let upper = request("GET", &format!("{web}/Q/{code}/"), &[], b"");
    assert_eq!(upper.status, 301, "{}", upper.body);
    assert_eq!(upper.header("location"), Some(landing.as_str()));
    let upper = request("GET", &format!("{web}/Q/{code}"), &[], b"");
    assert_eq!(upper.header("location"), Some(landing.as_str()));
    // Typed in lower case: the server, asked on the 404, knows the code.
    let lower = code.to_lowercase();
    let typed = request("GET", &format!("{web}/q/{lower}/"), &[], b"");
    assert_eq!(typed.status, 308, "{}", typed.body);
    assert_eq!(typed.header("location"), Some(landing.as_str()));
    let unknown = request("GET", &format!("{web}/q/khong-co/"), &[], b"");
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("<html"), "the site's own 404 page");
    // The preview and its live reload stay on the server's own port.
    assert_eq!(
        request("GET", &format!("{web}/_print/"), &[], b"").status,
        404
    );

    // The phone: the pairing link printed for the public address, opened through Caddy.
    assert!(
        ed.pair_link.starts_with("https://waymark.test/_edit/pair/"),
        "{}",
        ed.pair_link
    );
    let link = ed.pair_link.replace("https://waymark.test", &web);
    let token = link.rsplit('/').next().unwrap();
    assert_eq!(request("GET", &link, &[], b"").status, 200);
    let r = Browser::default().post(
        &format!("{web}/_edit/pair"),
        &[("token", token), ("label", "Lan")],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let cookie = r.header("set-cookie").unwrap().to_string();
    for flag in [
        "Secure",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/_edit",
        "Max-Age=34560000",
    ] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
    let lan = Browser {
        cookie: Some(cookie.split(';').next().unwrap().to_string()),
        lang: "vi",
    };
    let r = save_one(&lan, &web, "homestays/nha-lan", "f.price_from", "320000");
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().contains("live=yes"));
    // Live for the visitor the moment the phone is told so.
    let page = request("GET", &format!("{web}/homestays/nha-lan/"), &[], b"");
    assert!(page.body.contains("320"), "{}", page.body);

    // A guesser naming a new client in every request is still the client Caddy saw.
    let wrong = format!("{web}/_edit/pair/{}", "f".repeat(32));
    for i in 0..5u8 {
        let forged = format!("198.51.100.{i}");
        let r = request("GET", &wrong, &[("X-Forwarded-For", &forged)], b"");
        assert_eq!(r.status, 403);
    }
    let r = request("GET", &wrong, &[("X-Forwarded-For", "203.0.113.7")], b"");
    assert_eq!(r.status, 429, "a forged X-Forwarded-For escaped the limit");
    // While another client, seen by Caddy at another address, is not held back.
    let other = Some(std::net::Ipv4Addr::new(127, 0, 5, 1));
    let unpaired = request_from(other, "GET", &format!("{web}/_edit/"), &[], b"");
    assert_eq!(unpaired.status, 403, "not paired, and not throttled");
    let again = request_from(other, "GET", &wrong, &[], b"");
    assert_eq!(
        again.status, 403,
        "its own wrong try, not the guesser's limit"
    );

    // The server restarting: a save through Caddy is told so, not "page not found".
    let fields = form_of(&lan, &web, "homestays/nha-lan");
    drop(ed);
    let r = save(&lan, &web, "homestays/nha-lan", &fields);
    assert_eq!(r.status, 502, "{}", r.body);
    assert!(
        r.body.contains("Máy chủ chưa trả lời") && r.body.contains("Back"),
        "{}",
        r.body
    );
    let not_found = request("GET", &format!("{web}/no-such-page/"), &[], b"");
    assert_eq!(not_found.status, 404);
    assert!(!r.body.contains(&not_found.body), "the site's 404 page");
}

/// README's server as a phone meets it: Caddy with a certificate of its own (`tls internal`)
/// in front of `serve --edit --publish`, and the system's Chromium at 390×844 through HTTPS:
/// pair, save the homestay's price, see it on the page Caddy serves; then the server and the
/// browser restarted, and the same phone saves again without pairing.
#[test]
fn a_phone_over_https_through_caddy_pairs_saves_live_and_keeps_its_session_across_restarts() {
    let s = site(&[("content/homestays/nha-lan.md", NHA)]);
    let home = tempfile::tempdir().unwrap();
    let (https, http, upstream) = (free_port(), free_port(), free_port());
    let origin = format!("https://waymark.test:{https}");
    let args = [
        "--publish",
        "--port",
        &upstream.to_string(),
        "--public-url",
        &origin,
        "--trusted-proxy",
        "127.0.0.1",
    ]
    .map(str::to_string);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let ed = start(s.path(), &args);
    ed.wait_for_log("published:");
    let global = format!("\thttp_port {http}\n\thttps_port {https}\n\tskip_install_trust\n");
    let _caddy = run_caddy(
        s.path(),
        &format!("127.0.0.1:{upstream}"),
        home.path(),
        "waymark.test",
        "\ttls internal\n",
        &global,
        https,
    );
    let profile = home.path().join("phone");
    let shots = std::env::var_os("WAYMARK_SCREENSHOTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| home.path().join("shots"));
    let phone = |mode: &str, link: &str, server: &Editor| {
        let words = [mode, origin.as_str(), link, profile.to_str().unwrap()];
        let mut args: Vec<&std::ffi::OsStr> = words.iter().map(std::ffi::OsStr::new).collect();
        args.push(shots.as_os_str());
        browser_checks("https.mjs", &args, &server.log.lock().unwrap().join("\n"));
    };
    assert!(
        ed.pair_link.starts_with(&format!("{origin}/_edit/pair/")),
        "{}",
        ed.pair_link
    );
    phone("first", &ed.pair_link, &ed);
    assert!(read(s.path().join("content/homestays/nha-lan.md")).contains("price_from: 320000"));

    // The server restarted (as systemd would), on the port Caddy proxies to.
    drop(ed);
    let ed = start(s.path(), &args);
    ed.wait_for_log("published:");
    phone("again", "", &ed);
    let file = read(s.path().join("content/homestays/nha-lan.md"));
    assert!(file.contains("price_from: 1200000"), "{file}");
}
