//! `waymark serve --edit` over HTTP: pairing, every refusal (unpaired, wrong token, CSRF,
//! another origin, an owner outside their entry, paths that try to escape), saves that keep the
//! file's format, checks that refuse and give the words back, conflicts, uploads, owner links.

mod common;
use common::editor::*;
use common::*;
use std::path::Path;

const DEN: &str = "---\n# checked at the site, 2026-11\ntitle: Đền Kỳ Cùng  # as on the sign\nlocation: { lat: 21.85, lon: 106.76 }\ndistrict: Thành phố Lạng Sơn\nranking: national\n---\n\nNgôi đền bên sông.\n\n> Trích  dẫn, hai dấu cách.\n";
const NHA: &str =
    "---\ntitle: Nhà Lan\nprice_from: 250000\nphone: \"0912 000 101\"\n---\n\nNhà sàn.\n";

fn a_site() -> tempfile::TempDir {
    site(&[
        ("content/relics/den.md", DEN),
        ("content/homestays/nha-lan.md", NHA),
    ])
}

fn den(s: &Path) -> String {
    read(s.join("content/relics/den.md"))
}

#[test]
fn unpaired_browsers_and_bad_links_are_refused_and_write_nothing() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let base = &ed.base;
    let stranger = Browser::default();
    for url in [
        "/_edit/",
        "/_edit/e/relics/den",
        "/_edit/owners",
        "/_edit/file/relics/den/0",
    ] {
        let r = stranger.get(&format!("{base}{url}"));
        assert_eq!(r.status, 403, "{url}: {}", r.status);
    }
    let r = stranger.post_multipart(
        &format!("{base}/_edit/e/relics/den"),
        &[("f.title".into(), "Hacked".into())],
        &[],
        &[],
    );
    assert_eq!(r.status, 403);
    let r = stranger.post(
        &format!("{base}/_edit/new"),
        &[("kind", "relic"), ("title", "X")],
        &[],
    );
    assert_eq!(r.status, 403);
    assert_eq!(den(s.path()), DEN);
    assert!(
        !s.path().join("content/relics/x.md").exists()
            && !s.path().join("content/relics/x").exists()
    );

    // Wrong pairing tokens: refused, and after five, even the right one waits.
    let right = ed.pair_link.clone();
    let wrong = format!("{}/_edit/pair/{}", base, "0".repeat(32));
    for _ in 0..5 {
        assert_eq!(request("GET", &wrong, &[], b"").status, 403);
    }
    assert_eq!(request("GET", &wrong, &[], b"").status, 429);
    assert_eq!(request("GET", &right, &[], b"").status, 429);
}

#[test]
fn a_pairing_link_pairs_once_and_its_session_cookie_is_strict() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let page = request("GET", &ed.pair_link, &[], b"");
    assert_eq!(page.status, 200);
    // Nothing is used up by looking (link previews in chat apps fetch pages).
    assert_eq!(request("GET", &ed.pair_link, &[], b"").status, 200);
    assert_eq!(page.header("referrer-policy"), Some("same-origin"));
    // Every answer of the editor, a refusal or a redirect too, carries the same protection.
    for r in [
        page.clone(),
        request("GET", &format!("{}/_edit/", ed.base), &[], b""),
        request("GET", &format!("{}/_edit", ed.base), &[], b""),
        request("GET", &format!("{}/_edit/pair/wrong", ed.base), &[], b""),
    ] {
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{}", r.status);
        assert_eq!(r.header("cache-control"), Some("no-store"), "{}", r.status);
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert!(r
            .header("content-security-policy")
            .is_some_and(|c| c.contains("frame-ancestors 'none'")));
    }
    let token = ed.pair_link.rsplit('/').next().unwrap();
    let r = Browser::default().post(
        &format!("{}/_edit/pair", ed.base),
        &[("token", token), ("label", "Lan")],
        &[],
    );
    assert_eq!(r.status, 303);
    let cookie = r.header("set-cookie").unwrap().to_ascii_lowercase();
    assert!(
        cookie.contains("httponly") && cookie.contains("samesite=strict"),
        "{cookie}"
    );
    let again = Browser::default().post(
        &format!("{}/_edit/pair", ed.base),
        &[("token", token), ("label", "Mallory")],
        &[],
    );
    assert_eq!(again.status, 403);
    // Without --edit there is no editor at all.
    let plain = spawn(s.path(), &[]);
    assert_eq!(
        request("GET", &format!("{}/_edit/", plain.base), &[], b"").status,
        404
    );
}

#[test]
fn a_save_changes_only_what_changed_and_the_preview_follows() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan's phone");
    let fields = form_of(&b, &ed.base, "relics/den");
    // Nothing changed: nothing written, byte for byte.
    let r = save(&b, &ed.base, "relics/den", &fields);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(den(s.path()), DEN);

    let fields = form_of(&b, &ed.base, "relics/den");
    let r = save(
        &b,
        &ed.base,
        "relics/den",
        &with(
            &fields,
            &[
                ("f.district", Some("Cao Lộc")),
                ("f.summary", Some("Đền thờ bên sông Kỳ Cùng.")),
            ],
        ),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/_edit/e/relics/den?saved=1"));
    let now = den(s.path());
    let expected = DEN
        .replace("district: Thành phố Lạng Sơn", "district: Cao Lộc")
        .replace(
            "  # as on the sign\n",
            "  # as on the sign\nsummary: Đền thờ bên sông Kỳ Cùng.\n",
        );
    assert_eq!(now, expected, "comments, flow style, order and body kept");
    assert!(
        wait_for_page(&format!("{}/relics/den/", ed.base), "Cao Lộc"),
        "the preview shows the edit"
    );
    assert!(
        wait_for_page(&format!("{}/relics/", ed.base), "Đền thờ bên sông Kỳ Cùng."),
        "and the list its summary"
    );

    // The body from a textarea (CRLF line breaks) lands as the file's LF text.
    let fields = form_of(&b, &ed.base, "relics/den");
    let body = "\r\nNgôi đền bên sông.\r\n\r\nMới thêm.\r\n";
    let r = save(
        &b,
        &ed.base,
        "relics/den",
        &with(&fields, &[("body", Some(body))]),
    );
    assert_eq!(r.status, 303);
    assert!(den(s.path()).ends_with("---\n\nNgôi đền bên sông.\n\nMới thêm.\n"));
}

#[test]
fn a_bad_value_is_refused_at_its_field_with_the_words_given_back() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let before = read(s.path().join("content/homestays/nha-lan.md"));
    let fields = form_of(&b, &ed.base, "homestays/nha-lan");
    let r = save(
        &b,
        &ed.base,
        "homestays/nha-lan",
        &with(
            &fields,
            &[
                ("f.price_from", Some("hai trăm nghìn")),
                ("body", Some("\nBài viết dài của Lan.\n")),
            ],
        ),
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("ghi giá bằng số đồng"),
        "the message in Vietnamese"
    );
    assert!(
        r.body.contains("Bài viết dài của Lan."),
        "her text is given back"
    );
    assert!(r.body.contains("hai trăm nghìn"), "and the value she typed");
    assert_eq!(read(s.path().join("content/homestays/nha-lan.md")), before);

    // A value that parses but the build refuses: the same check as `waymark build`.
    let fields = form_of(&b, &ed.base, "relics/den");
    let en = Browser {
        lang: "en",
        ..b.clone()
    };
    let r = en.post_multipart(
        &format!("{}/_edit/e/relics/den", ed.base),
        &with(
            &fields,
            &[
                ("f.location.lat", Some("200")),
                ("f.location.lon", Some("300")),
            ],
        ),
        &[],
        &[],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("is not on Earth"), "{}", r.body);
    assert_eq!(den(s.path()), DEN);
}

#[test]
fn a_file_changed_since_an_unknown_form_is_a_conflict_with_both_versions() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let fields = form_of(&b, &ed.base, "relics/den");
    let theirs = DEN.replace("Ngôi đền bên sông.", "Sửa bằng máy tính.");
    write(s.path(), "content/relics/den.md", &theirs);
    // The file the form was made from is gone with the cache (`tests/saves.rs` has the merge
    // of a form whose file is known): both versions are shown whole.
    std::fs::remove_dir_all(s.path().join(".waymark-cache/editor")).unwrap();
    let r = save(
        &b,
        &ed.base,
        "relics/den",
        &with(&fields, &[("f.district", Some("Cao Lộc"))]),
    );
    assert_eq!(r.status, 409);
    assert!(
        r.body.contains("Sửa bằng máy tính."),
        "the version on disk is shown"
    );
    assert!(r.body.contains("district: Cao Lộc"), "and hers");
    assert_eq!(den(s.path()), theirs, "nothing written");
}

#[test]
fn two_saves_at_once_of_one_entry_one_lands_of_two_entries_both() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let den_form = form_of(&b, &ed.base, "relics/den");
    let nha_form = form_of(&b, &ed.base, "homestays/nha-lan");
    let go = |id: &'static str, fields: Vec<(String, String)>| {
        let (b, base) = (b.clone(), ed.base.clone());
        std::thread::spawn(move || save(&b, &base, id, &fields).status)
    };
    let one = go("relics/den", with(&den_form, &[("f.district", Some("A"))]));
    let two = go("relics/den", with(&den_form, &[("f.district", Some("B"))]));
    let mut same = [one.join().unwrap(), two.join().unwrap()];
    same.sort();
    assert_eq!(same, [303, 409]);
    let d = den(s.path());
    assert!(d.contains("district: A\n") ^ d.contains("district: B\n"));

    let den_form = form_of(&b, &ed.base, "relics/den");
    let one = go(
        "relics/den",
        with(&den_form, &[("f.commune", Some("Hoàng Văn Thụ"))]),
    );
    let two = go(
        "homestays/nha-lan",
        with(&nha_form, &[("f.zalo", Some("0912000101"))]),
    );
    assert_eq!((one.join().unwrap(), two.join().unwrap()), (303, 303));
    assert!(den(s.path()).contains("commune: Hoàng Văn Thụ"));
    assert!(read(s.path().join("content/homestays/nha-lan.md")).contains("zalo: '0912000101'"));
}

#[test]
fn forged_requests_are_refused() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let fields = form_of(&b, &ed.base, "relics/den");
    let changed = with(&fields, &[("f.title", Some("Hacked"))]);
    let url = format!("{}/_edit/e/relics/den", ed.base);
    // No token, a wrong token, another site's page.
    let r = b.post_multipart(&url, &with(&changed, &[("csrf", None)]), &[], &[]);
    assert_eq!(r.status, 403);
    let r = b.post_multipart(&url, &with(&changed, &[("csrf", Some("0123"))]), &[], &[]);
    assert_eq!(r.status, 403);
    let r = b.post_multipart(&url, &changed, &[], &[("Origin", "http://evil.example")]);
    assert_eq!(r.status, 403);
    // Another browser's cookie with this one's token.
    let other = pair(
        &{
            let r = b.post(
                &format!("{}/_edit/pair-another", ed.base),
                &[("csrf", &csrf(&fields))],
                &[],
            );
            assert_eq!(r.status, 200);
            let i = r.body.find("/_edit/pair/").unwrap();
            format!("{}{}", ed.base, &r.body[i..i + 12 + 32])
        },
        "Second",
    );
    let r = other.post_multipart(&url, &changed, &[], &[]);
    assert_eq!(r.status, 403);
    assert_eq!(den(s.path()), DEN);

    // Addresses that try to leave the content folder name no entry.
    for path in [
        "/_edit/e/..%2F..%2F/site.yaml",
        "/_edit/e/relics/..%2F..%2Fsite.yaml",
        "/_edit/e/%2Fetc/passwd",
        "/_edit/e/relics/den%00",
        "/_edit/file/relics/den/9",
    ] {
        let r = b.post_multipart(&format!("{}{path}", ed.base), &changed, &[], &[]);
        assert!(matches!(r.status, 404 | 400 | 405), "{path}: {}", r.status);
        let r = b.get(&format!("{}{path}", ed.base));
        assert!(matches!(r.status, 404 | 400), "{path}: {}", r.status);
    }
    assert_eq!(den(s.path()), DEN);
    assert!(read(s.path().join("site.yaml")).starts_with("title: Test"));
}

fn csrf(fields: &[(String, String)]) -> String {
    fields.iter().find(|(k, _)| k == "csrf").unwrap().1.clone()
}

#[test]
fn photos_from_a_phone_make_a_bundle_and_offer_their_location() {
    let s = site(&[
        (
            "content/places/cho.md",
            "---\ntitle: Chợ Kỳ Lừa\n---\n\nXem [đền](../relics/den.md).\n",
        ),
        ("content/relics/den.md", DEN),
    ]);
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let url = format!("{}/_edit/e/places/cho", ed.base);
    let fields = form_of(&b, &ed.base, "places/cho");

    // Lies and damage are refused; nothing is written.
    let mut cut = media::phone_jpeg(64, 48, 1);
    cut.truncate(cut.len() / 2);
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic00000000000000000000");
    for (name, bytes, says) in [
        ("notes.jpg", b"just text".to_vec(), "không phải ảnh"),
        ("cut.jpg", cut, "bị hỏng"),
        ("IMG_0001.HEIC", heic, "HEIC"),
    ] {
        let r = b.post_multipart(&url, &fields, &[("photos", name, bytes)], &[]);
        assert_eq!(r.status, 422, "{name}");
        assert!(r.body.contains(says), "{name}: {}", r.body);
    }
    assert!(s.path().join("content/places/cho.md").is_file());
    assert!(!s.path().join("content/places/cho").exists());

    let photo = media::phone_jpeg(120, 90, 1);
    let r = b.post_multipart(
        &url,
        &fields,
        &[
            ("photos", "IMG 2041.JPG", photo.clone()),
            ("photos", "IMG 2041.JPG", photo),
        ],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let bundle = s.path().join("content/places/cho");
    assert!(bundle.join("img-2041.jpg").is_file() && bundle.join("img-2041-2.jpg").is_file());
    assert!(
        !s.path().join("content/places/cho.md").exists(),
        "the single file became the bundle"
    );
    let text = read(bundle.join("index.md"));
    assert!(
        text.contains("img-2041.jpg") && text.contains("img-2041-2.jpg"),
        "{text}"
    );
    assert!(
        text.contains("[đền](../../relics/den.md)"),
        "its link still leads to the temple: {text}"
    );
    // The form offers the photo's position for the empty location.
    let form = b.get(&url).body;
    assert!(form.contains("data-gps=\"21.836761,106.75\""), "{form}");
    assert!(
        wait_for_page(&format!("{}/places/cho/", ed.base), "img-2041-"),
        "the preview shows the photo"
    );

    // Alt text, reorder and removal.
    let fields = form_of(&b, &ed.base, "places/cho");
    let r = b.post_multipart(
        &url,
        &with(
            &fields,
            &[
                ("img.0.remove", Some("on")),
                ("img.1.alt", Some("Cổng chợ")),
            ],
        ),
        &[],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let text = read(bundle.join("index.md"));
    assert!(
        !text.contains("img-2041.jpg") && text.contains("alt: Cổng chợ"),
        "{text}"
    );
    assert!(
        !bundle.join("img-2041.jpg").exists(),
        "a removed photo's file goes"
    );

    // Audio: a real MP3 lands; a text file named .mp3 does not.
    let fields = form_of(&b, &ed.base, "places/cho");
    let r = b.post_multipart(
        &url,
        &fields,
        &[("audio", "guide.mp3", b"not audio at all".to_vec())],
        &[],
    );
    assert_eq!(r.status, 422);
    let r = b.post_multipart(
        &url,
        &fields,
        &[("audio", "Thuyết minh.mp3", media::silent_mp3(400))],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(read(bundle.join("index.md")).contains("audio: thuyet-minh.mp3"));
    assert!(bundle.join("thuyet-minh.mp3").is_file());
}

#[test]
fn new_entries_translations_owner_links_and_commits() {
    let s = a_site();
    let git = |args: &[&str]| common::git(s.path(), args);
    git_repo(s.path());
    let ed = start(s.path(), &["--commit"]);
    let b = pair(&ed.pair_link, "Điện thoại Lan");
    let fields = form_of(&b, &ed.base, "relics/den");

    // A new relic, as `waymark new` makes it: the code pinned in plaques.lock.
    let r = b.post(
        &format!("{}/_edit/new", ed.base),
        &[
            ("csrf", &csrf(&fields)),
            ("kind", "relic"),
            ("title", "Chùa Tiên"),
        ],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/_edit/e/relics/chua-tien"));
    let lock = read(s.path().join("plaques.lock"));
    assert!(lock.contains("page: relics/chua-tien"), "{lock}");

    // An English translation, side by side.
    let fields = form_of(&b, &ed.base, "relics/den");
    let r = save(
        &b,
        &ed.base,
        "relics/den",
        &with(
            &fields,
            &[
                ("t.en.title", Some("Ky Cung Temple")),
                ("t.en.body", Some("\nA temple by the river.\n")),
            ],
        ),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let en = read(s.path().join("content/relics/den.en.md"));
    assert!(
        en.contains("title: Ky Cung Temple") && en.ends_with("A temple by the river.\n"),
        "{en}"
    );
    assert!(wait_for_page(
        &format!("{}/en/relics/den/", ed.base),
        "A temple by the river."
    ));
    let log = git(&["log", "--format=%s"]);
    assert!(
        log.contains("edit relics/den (from the editor: Điện thoại Lan)"),
        "{log}"
    );
    assert!(
        log.contains("new relics/chua-tien (from the editor: Điện thoại Lan)"),
        "the phone that made it is named: {log}"
    );

    // An owner link opens one entry and nothing else, and ends when revoked.
    let fields = form_of(&b, &ed.base, "homestays/nha-lan");
    let r = b.post(
        &format!("{}/_edit/owners", ed.base),
        &[
            ("csrf", &csrf(&fields)),
            ("entry", "homestays/nha-lan"),
            ("label", "Chị Lan"),
        ],
        &[],
    );
    assert_eq!(r.status, 200);
    let i = r.body.find("/_edit/owner/").unwrap();
    let link = format!("{}{}", ed.base, &r.body[i..i + 13 + 32]);
    let kept = read(s.path().join("owner-links.yaml"));
    assert!(
        !kept.contains(&link[link.len() - 32..]),
        "only a hash is kept"
    );
    let owner = open_owner_link(&link);
    let mine = form_of(&owner, &ed.base, "homestays/nha-lan");
    assert!(
        !mine.iter().any(|(k, _)| k == "f.code"),
        "an owner cannot change the code"
    );
    let r = save(
        &owner,
        &ed.base,
        "homestays/nha-lan",
        &with(
            &mine,
            &[
                ("f.price_from", Some("300000")),
                ("f.wifi.ssid", Some("NhaLan")),
                ("f.wifi.password", Some("mat-khau-rieng")),
            ],
        ),
    );
    assert_eq!(r.status, 303);
    let file = read(s.path().join("content/homestays/nha-lan.md"));
    assert!(
        file.contains("price_from: 300000") && file.contains("password: mat-khau-rieng"),
        "{file}"
    );
    let page = format!("{}/homestays/nha-lan/", ed.base);
    assert!(
        wait_for_page(&page, "300.000"),
        "the new price is in the preview"
    );
    assert!(
        !http_get(&page).1.contains("mat-khau-rieng"),
        "the Wi-Fi password is not"
    );
    assert_eq!(
        owner.get(&format!("{}/_edit/e/relics/den", ed.base)).status,
        403
    );
    let r = owner.post_multipart(
        &format!("{}/_edit/e/relics/den", ed.base),
        &with(&mine, &[("f.title", Some("X"))]),
        &[],
        &[],
    );
    assert_eq!(r.status, 403);
    assert_eq!(owner.get(&format!("{}/_edit/owners", ed.base)).status, 403);
    assert_eq!(owner.get(&format!("{}/_edit/", ed.base)).status, 303);
    let id = kept
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("- id: ")
                .or_else(|| l.trim().strip_prefix("id: "))
        })
        .unwrap()
        .to_string();
    let r = b.post(
        &format!("{}/_edit/owners/revoke", ed.base),
        &[("csrf", &csrf(&fields)), ("id", &id)],
        &[],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        owner
            .get(&format!("{}/_edit/e/homestays/nha-lan", ed.base))
            .status,
        403
    );
    assert_eq!(request("GET", &link, &[], b"").status, 403);
    // Nothing of it is published.
    let out = build_ok(s.path());
    assert!(tree(&out)
        .iter()
        .all(|(p, _)| !p.to_string_lossy().contains("owner")));
}

/// The volunteer's whole path on a phone-sized Chromium. Its screenshots go to
/// `WAYMARK_SCREENSHOTS` when set (README's come from `WAYMARK_SCREENSHOTS=docs/editor`).
#[test]
fn a_volunteer_on_a_phone_in_headless_chromium() {
    let s = a_site();
    let photo = s.path().join("IMG_2041.jpg");
    std::fs::write(&photo, media::phone_jpeg(480, 360, 1)).unwrap();
    let shots = std::env::var_os("WAYMARK_SCREENSHOTS")
        .map(|d| repo().join(d))
        .unwrap_or_else(|| s.path().join("shots"));
    let ed = start(s.path(), &[]);
    browser_checks(
        "editor.mjs",
        &[
            ed.base.as_ref(),
            ed.pair_link.as_ref(),
            s.path().as_ref(),
            photo.as_ref(),
            shots.as_ref(),
        ],
        &ed.log.lock().unwrap().join("\n"),
    );
    assert!(shots.join("3-form.png").is_file());
}

#[test]
fn a_390_px_phone_in_headless_chromium_fits_taps_and_reaches_save() {
    let s = a_site();
    write(
        s.path(),
        "plaques.lock",
        "version: 1\ncodes:\n  DKC: { page: relics/den }\n  NLAN: { page: homestays/nha-lan }\n",
    );
    // A code in plaques.lock: the form shows it fixed, in plain words.
    write(
        s.path(),
        "content/relics/den.md",
        &DEN.replace("ranking: national\n", "ranking: national\ncode: DKC\n"),
    );
    let shots = std::env::var_os("WAYMARK_SCREENSHOTS")
        .map(|d| repo().join(d))
        .unwrap_or_else(|| s.path().join("shots"));
    let ed = start(s.path(), &[]);
    browser_checks(
        "phone.mjs",
        &[ed.base.as_ref(), ed.pair_link.as_ref(), shots.as_ref()],
        &ed.log.lock().unwrap().join("\n"),
    );
}

#[test]
fn a_delete_with_commit_is_one_commit_of_the_files_and_the_ledger() {
    let s = site(&[
        ("content/relics/den.md", DEN),
        ("content/homestays/nha-lan.md", NHA),
        (
            "plaques.lock",
            "version: 1\ncodes:\n  DKC: { page: relics/den }\n  NL: { page: homestays/nha-lan }\n",
        ),
    ]);
    let git = |args: &[&str]| common::git(s.path(), args);
    git_repo(s.path());
    let ed = start(s.path(), &["--commit"]);
    let b = pair(&ed.pair_link, "Điện thoại Lan");
    let r = b.post(
        &format!("{}/_edit/delete/relics/den", ed.base),
        &[("csrf", &list_csrf(&b, &ed.base)), ("confirm", "yes")],
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let log = git(&["log", "--format=%s"]);
    assert!(
        log.starts_with("delete relics/den (from the editor: Điện thoại Lan)"),
        "{log}"
    );
    let changed = git(&["show", "--name-status", "--format=", "HEAD"]);
    assert!(changed.contains("D\tcontent/relics/den.md"), "{changed}");
    assert!(changed.contains("M\tplaques.lock"), "{changed}");
    assert_eq!(
        git(&["status", "--porcelain", "content", "plaques.lock"]),
        ""
    );
    // It was the last relic: the section keeps an intro file, so a fresh clone (Git keeps no
    // empty folder) still builds, and the code still lands.
    assert!(changed.contains("A\tcontent/relics/_index.md"), "{changed}");
    let clone = tempfile::tempdir().unwrap();
    let o = std::process::Command::new("git")
        .args(["clone", "-q"])
        .arg(s.path())
        .arg(clone.path().join("c"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let out = std::process::Command::new(bin())
        .args(["build", "--site"])
        .arg(clone.path().join("c"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(clone
        .path()
        .join("c/output/site/q/DKC/index.html")
        .is_file());
}

#[test]
fn wrong_tries_from_other_addresses_never_keep_a_new_phone_or_an_owner_out() {
    let s = a_site();
    // The proxy on this machine is named; the other loopback addresses below are clients.
    let ed = start(s.path(), &["--trusted-proxy", "127.0.0.1"]);
    let b = pair(&ed.pair_link, "Lan");
    let link = another_link(&b, &ed.base);
    let owner_page = {
        let r = b.post(
            &format!("{}/_edit/owners", ed.base),
            &[
                ("csrf", &list_csrf(&b, &ed.base)),
                ("entry", "homestays/nha-lan"),
            ],
            &[],
        );
        let i = r.body.find("/_edit/owner/").unwrap();
        format!("{}{}", ed.base, &r.body[i..i + 13 + 32])
    };
    // 100 wrong pairing and owner tokens, from 100 other addresses.
    for i in 0..100u8 {
        let from = std::net::Ipv4Addr::new(127, 0, 1, i + 1);
        let wrong = if i % 2 == 0 { "pair" } else { "owner" };
        let url = format!("{}/_edit/{wrong}/{:032x}", ed.base, i);
        assert_eq!(request_from(Some(from), "GET", &url, &[], b"").status, 403);
    }
    // The right ones still work, from a fresh address.
    let fresh = Some(std::net::Ipv4Addr::new(127, 0, 2, 1));
    assert_eq!(request_from(fresh, "GET", &link, &[], b"").status, 200);
    let token = link.rsplit('/').next().unwrap();
    let body = format!("token={token}&label=Lan");
    let r = request_from(
        fresh,
        "POST",
        &format!("{}/_edit/pair", ed.base),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = request_from(fresh, "GET", &owner_page, &[], b"");
    assert_eq!(r.status, 303, "{}", r.body);
    // And one address that guesses is still stopped.
    let guesser = Some(std::net::Ipv4Addr::new(127, 0, 3, 1));
    let wrong = format!("{}/_edit/pair/{}", ed.base, "f".repeat(32));
    for _ in 0..5 {
        assert_eq!(request_from(guesser, "GET", &wrong, &[], b"").status, 403);
    }
    assert_eq!(request_from(guesser, "GET", &wrong, &[], b"").status, 429);

    // Behind the trusted reverse proxy, the client is the one it forwards.
    let link = another_link(&b, &ed.base);
    for i in 0..40u8 {
        let xff = format!("192.0.2.1, 198.51.100.{i}");
        let r = request("GET", &wrong, &[("X-Forwarded-For", &xff)], b"");
        assert_eq!(r.status, 403);
    }
    let r = request("GET", &link, &[("X-Forwarded-For", "203.0.113.50")], b"");
    assert_eq!(r.status, 200);
    for _ in 0..5 {
        request("GET", &wrong, &[("X-Forwarded-For", "203.0.113.66")], b"");
    }
    let r = request("GET", &link, &[("X-Forwarded-For", "203.0.113.66")], b"");
    assert_eq!(r.status, 429, "the guesser behind the proxy waits");
}

#[test]
fn a_forwarded_address_from_a_peer_that_is_no_trusted_proxy_is_ignored() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let link = another_link(&b, &ed.base);
    let wrong = format!("{}/_edit/pair/{}", ed.base, "f".repeat(32));
    // A guesser that names a new client in every request is still one client: its own.
    for i in 0..5u8 {
        let forged = format!("198.51.100.{i}");
        let r = request("GET", &wrong, &[("X-Forwarded-For", &forged)], b"");
        assert_eq!(r.status, 403);
    }
    let r = request("GET", &link, &[("X-Forwarded-For", "203.0.113.9")], b"");
    assert_eq!(r.status, 429, "a forged X-Forwarded-For escaped the limit");
    // Another peer is not held back by it.
    let other = Some(std::net::Ipv4Addr::new(127, 0, 4, 1));
    assert_eq!(request_from(other, "GET", &link, &[], b"").status, 200);
}

#[test]
fn a_bad_phone_and_zalo_are_told_at_their_fields_in_plain_words() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let fields = form_of(&b, &ed.base, "homestays/nha-lan");
    let bad = with(
        &fields,
        &[
            ("f.phone", Some("gọi cho Lan")),
            ("f.zalo", Some("zalo.com/lan")),
        ],
    );
    let r = save(&b, &ed.base, "homestays/nha-lan", &bad);
    assert_eq!(r.status, 422, "{}", r.body);
    // Each message sits in its field's part of the form, in Vietnamese.
    let phone = r.body.find("for=\"f.phone\"").unwrap();
    let zalo = r.body.find("for=\"f.zalo\"").unwrap();
    let next = r.body[zalo..].find("<label").map(|i| zalo + i + 1).unwrap();
    let next = r.body[next..].find("<label").map(|i| next + i).unwrap();
    assert!(
        r.body[phone..zalo].contains("không phải số điện thoại"),
        "{}",
        &r.body[phone..zalo]
    );
    assert!(
        r.body[zalo..next].contains("không phải số điện thoại hay đường dẫn zalo.me"),
        "{}",
        &r.body[zalo..next]
    );
    // No YAML: no `field: "value"`, no quoting advice.
    for jargon in ["phone: &quot;", "`phone", "quoted", "ngoặc kép"] {
        assert!(!r.body.contains(jargon), "{jargon} in the page");
    }
    let en = Browser {
        lang: "en",
        ..b.clone()
    };
    let r = en.post_multipart(
        &format!("{}/_edit/e/homestays/nha-lan", ed.base),
        &bad,
        &[],
        &[],
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("is not a phone number"),
        "English for an English browser"
    );
    assert!(
        !r.body.contains("phone: &quot;"),
        "no YAML in English either"
    );
    assert_eq!(read(s.path().join("content/homestays/nha-lan.md")), NHA);
}

#[test]
fn one_line_fields_are_one_short_line_in_the_editor_and_the_build() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(
        &ed.pair_link,
        "Lan\neditor: Mallory saved relics/den (9 file(s))\u{1b}[2K",
    );
    let fields = form_of(&b, &ed.base, "relics/den");
    let ten_lines = "Đền Kỳ Cùng\n".repeat(10);
    let huge = "Đền Kỳ Cùng ".repeat(120_000);
    for (title, said) in [(ten_lines.as_str(), "một dòng"), (huge.as_str(), "quá 200")] {
        let r = save(
            &b,
            &ed.base,
            "relics/den",
            &with(&fields, &[("f.title", Some(title))]),
        );
        assert_eq!(r.status, 422);
        assert!(r.body.contains(said), "{said}");
    }
    assert_eq!(den(s.path()), DEN);
    // The device's name reached the terminal as one line: no forged one.
    let log = ed.log.lock().unwrap().join("\n");
    assert!(
        log.contains("editor: paired `Lan editor: Mallory saved relics/den (9 file(s)) [2K`"),
        "{log}"
    );
    assert!(
        !log.lines().any(|l| l.starts_with("editor: Mallory")),
        "{log}"
    );
    assert!(!log.contains('\u{1b}'));

    // A hand-edited file is refused by the build, at its line.
    let hand = DEN.replace(
        "title: Đền Kỳ Cùng  # as on the sign\n",
        &format!("title: {}\n", "Đền ".repeat(100)),
    );
    write(s.path(), "content/relics/den.md", &hand);
    let out = std::process::Command::new(bin())
        .args(["build", "--site"])
        .arg(s.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/relics/den.md:3"), "{err}");
    assert!(err.contains("more than 200"), "{err}");
}

#[test]
fn paired_phones_are_listed_and_a_lost_one_unpaired_at_once() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let lan = pair(&ed.pair_link, "Điện thoại Lan");
    let lost = pair(&another_link(&lan, &ed.base), "Điện thoại Minh");
    assert_eq!(lost.get(&format!("{}/_edit/", ed.base)).status, 200);
    let r = lan.get(&format!("{}/_edit/devices", ed.base));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Điện thoại Lan") && r.body.contains("Điện thoại Minh"));
    assert!(r.body.contains("dùng lần cuối"));
    // Minh's row: its id.
    let row = &r.body[r.body.find("Điện thoại Minh").unwrap()..];
    let i = row.find("name=\"id\" value=\"").unwrap() + 17;
    let id = &row[i..i + 12];
    let r = lan.post(
        &format!("{}/_edit/devices/unpair", ed.base),
        &[("csrf", &list_csrf(&lan, &ed.base)), ("id", id)],
        &[],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        lost.get(&format!("{}/_edit/", ed.base)).status,
        403,
        "unpaired at once"
    );
    assert_eq!(
        lost.get(&format!("{}/_edit/e/relics/den", ed.base)).status,
        403
    );
    assert_eq!(lan.get(&format!("{}/_edit/", ed.base)).status, 200);
    let r = lan.get(&format!("{}/_edit/devices", ed.base));
    assert!(!r.body.contains("Điện thoại Minh"));

    // An owner sees no phones and unpairs none; without the token, nothing happens either.
    let owner = owner_of(&lan, &ed.base, "homestays/nha-lan", "Chị Lan");
    let r = owner.get(&format!("{}/_edit/devices", ed.base));
    assert_eq!(r.status, 403);
    assert!(r.body.contains("chỉ mở được một mục"), "{}", r.body);
    let owner_csrf = {
        let f = form_of(&owner, &ed.base, "homestays/nha-lan");
        csrf(&f)
    };
    let r = lan.get(&format!("{}/_edit/devices", ed.base));
    let i = r.body.find("name=\"id\" value=\"").unwrap() + 17;
    let lan_id = r.body[i..i + 12].to_string();
    let r = owner.post(
        &format!("{}/_edit/devices/unpair", ed.base),
        &[("csrf", &owner_csrf), ("id", &lan_id)],
        &[],
    );
    assert_eq!(r.status, 403);
    let r = lan.post(
        &format!("{}/_edit/devices/unpair", ed.base),
        &[("id", &lan_id)],
        &[],
    );
    assert_eq!(r.status, 403);
    assert_eq!(lan.get(&format!("{}/_edit/", ed.base)).status, 200);
}

const HVT: &str = "---\ntitle: Khu lưu niệm Chủ tịch Hoàng Văn Thụ\ncode: HVT\ndistrict: Văn Lãng\n---\n\nNơi sinh của đồng chí Hoàng Văn Thụ.\n";
const HVT_EN: &str =
    "---\ntitle: Hoang Van Thu Memorial\n---\n\nThe birthplace of Hoang Van Thu.\n";

#[test]
fn an_entry_found_by_its_code_is_deleted_and_its_plaque_still_lands() {
    let s = site(&[
        ("content/relics/den.md", DEN),
        ("content/relics/khu-luu-niem-hoang-van-thu/index.md", HVT),
        ("content/relics/khu-luu-niem-hoang-van-thu/index.en.md", HVT_EN),
        ("content/homestays/nha-lan.md", NHA),
        (
            "plaques.lock",
            "version: 1\ncodes:\n  DKC: { page: relics/den }\n  HVT: { page: relics/khu-luu-niem-hoang-van-thu, printed: 2026-11-20 }\n  NL: { page: homestays/nha-lan }\n  OLD: { retired_to: HVT }\n",
        ),
    ]);
    std::fs::copy(
        repo().join("tests/fixtures/exif/piexif.jpg"),
        s.path()
            .join("content/relics/khu-luu-niem-hoang-van-thu/cong.jpg"),
    )
    .unwrap();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let id = "relics/khu-luu-niem-hoang-van-thu";
    // Typing the code off the plaque finds it, and only it.
    let r = b.get(&format!("{}/_edit/?q=HVT", ed.base));
    assert!(r.body.contains("Hoàng Văn Thụ"), "{}", r.body);
    assert!(!r.body.contains("Đền Kỳ Cùng"));
    let r = b.get(&format!("{}/_edit/?q=hvt", ed.base));
    assert!(r.body.contains("Hoàng Văn Thụ"));
    assert!(wait_for_page(
        &format!("{}/q/HVT/", ed.base),
        "Hoàng Văn Thụ"
    ));

    // An owner cannot delete.
    let owner = owner_of(&b, &ed.base, id, "Chị Lan");
    assert_eq!(
        owner.get(&format!("{}/_edit/delete/{id}", ed.base)).status,
        403
    );
    let owner_csrf = csrf(&form_of(&owner, &ed.base, id));
    let r = owner.post(
        &format!("{}/_edit/delete/{id}", ed.base),
        &[("csrf", &owner_csrf), ("confirm", "yes")],
        &[],
    );
    assert_eq!(r.status, 403);
    // Asked first; not deleted without the confirmation.
    let page = b.get(&format!("{}/_edit/delete/{id}", ed.base));
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("HVT") && page.body.contains("/relics/"),
        "{}",
        page.body
    );
    let token = list_csrf(&b, &ed.base);
    let r = b.post(
        &format!("{}/_edit/delete/{id}", ed.base),
        &[("csrf", &token)],
        &[],
    );
    assert_eq!(r.status, 303);
    assert!(s
        .path()
        .join("content/relics/khu-luu-niem-hoang-van-thu/index.md")
        .exists());

    // Another entry links to it: deleting would break the build, so it is refused, in words.
    let linking = format!("{DEN}\n[Khu lưu niệm](khu-luu-niem-hoang-van-thu/index.md)\n");
    write(s.path(), "content/relics/den.md", &linking);
    let r = b.post(
        &format!("{}/_edit/delete/{id}", ed.base),
        &[("csrf", &token), ("confirm", "yes")],
        &[],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("content/relics/den.md:"), "{}", r.body);
    assert!(r.body.contains("liên kết"));
    assert!(s
        .path()
        .join("content/relics/khu-luu-niem-hoang-van-thu/index.md")
        .exists());
    assert!(read(s.path().join("plaques.lock")).contains("HVT: { page:"));
    write(s.path(), "content/relics/den.md", DEN);

    let r = b.post(
        &format!("{}/_edit/delete/{id}", ed.base),
        &[("csrf", &token), ("confirm", "yes")],
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Đã xoá"));
    assert!(!s
        .path()
        .join("content/relics/khu-luu-niem-hoang-van-thu")
        .exists());
    let lock = read(s.path().join("plaques.lock"));
    assert!(
        lock.contains("HVT: { retired_to: relics, printed: 2026-11-20 }"),
        "{lock}"
    );
    assert!(
        lock.contains("OLD: { retired_to: relics }"),
        "a code retired to it follows: {lock}"
    );
    assert!(lock.contains("DKC: { page: relics/den }"));
    // The owner's link went with the entry.
    assert_eq!(owner.get(&format!("{}/_edit/e/{id}", ed.base)).status, 403);
    assert!(!read(s.path().join("owner-links.yaml")).contains(id));
    // The plaque's landing now serves the section; the list no longer has the entry.
    assert!(
        wait_for_page(&format!("{}/q/HVT/", ed.base), "Đền Kỳ Cùng"),
        "{:?}",
        ed.log.lock().unwrap()
    );
    let r = request("GET", &format!("{}/q/HVT/", ed.base), &[], b"");
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("Nơi sinh của đồng chí"));
    assert!(!b
        .get(&format!("{}/_edit/", ed.base))
        .body
        .contains("Hoàng Văn Thụ"));
    // The site still builds, and the code is never given out again.
    let out = std::process::Command::new(bin())
        .args(["build", "--site"])
        .arg(s.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let built = read(s.path().join("output/site/q/HVT/index.html"));
    assert!(built.contains("Đền Kỳ Cùng"), "{built}");
    let r = b.post(
        &format!("{}/_edit/new", ed.base),
        &[
            ("csrf", &token),
            ("kind", "relic"),
            ("title", "Hoàng Văn Thụ"),
        ],
        &[],
    );
    assert_eq!(r.status, 303);
    let lock = read(s.path().join("plaques.lock"));
    assert!(lock.contains("HVT: { retired_to: relics"), "{lock}");
}

#[test]
fn a_photo_tagged_by_piexif_offers_its_position() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let fields = form_of(&b, &ed.base, "homestays/nha-lan");
    let photo = std::fs::read(repo().join("tests/fixtures/exif/piexif.jpg")).unwrap();
    let r = b.post_multipart(
        &format!("{}/_edit/e/homestays/nha-lan", ed.base),
        &fields,
        &[("photos", "chi-lang.jpg", photo)],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let form = b
        .get(&format!("{}/_edit/e/homestays/nha-lan", ed.base))
        .body;
    assert!(form.contains("data-gps=\"21.6656,106.620167\""), "{form}");
}

#[test]
fn links_odd_names_and_oversized_uploads_cannot_get_through() {
    let s = a_site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Bí mật\n---\nSECRET\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        s.path().join("content/relics/lien-ket.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), s.path().join("content/relics/thu-muc")).unwrap();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    for id in [
        "relics/lien-ket",
        "relics/thu-muc",
        "relics/secret",
        "relics/%C4%91%E1%BB%81n",
        "relics/den%2F..%2F..%2Fsite.yaml",
    ] {
        let r = b.get(&format!("{}/_edit/e/{id}", ed.base));
        assert_eq!(r.status, 404, "{id}");
        assert!(!r.body.contains("SECRET"));
    }
    let fields = form_of(&b, &ed.base, "relics/den");
    let r = b.post_multipart(
        &format!("{}/_edit/e/relics/lien-ket", ed.base),
        &fields,
        &[],
        &[],
    );
    assert_eq!(r.status, 404);
    assert!(read(outside.path().join("secret.md")).contains("SECRET"));

    // A link where the photo's bundle folder would go: refused, nothing written through it.
    write(
        s.path(),
        "content/places/cho.md",
        "---\ntitle: Chợ\n---\n\nChợ.\n",
    );
    std::os::unix::fs::symlink(outside.path(), s.path().join("content/places/cho")).unwrap();
    let cho = form_of(&b, &ed.base, "places/cho");
    let r = b.post_multipart(
        &format!("{}/_edit/e/places/cho", ed.base),
        &cho,
        &[("photos", "a.jpg", media::phone_jpeg(64, 48, 1))],
        &[],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        1,
        "only secret.md outside"
    );

    // A photo over 25 MB is refused with the limit named; nothing is written.
    let mut big = media::phone_jpeg(64, 48, 1);
    big.resize(26 * 1024 * 1024, 0);
    let r = b.post_multipart(
        &format!("{}/_edit/e/relics/den", ed.base),
        &fields,
        &[("photos", "big.jpg", big)],
        &[],
    );
    assert_eq!(r.status, 413);
    assert!(r.body.contains("25 MB"), "{}", r.body);
    assert_eq!(den(s.path()), DEN);
    assert!(!s.path().join("content/relics/den").exists());
}

#[test]
fn a_file_whose_front_matter_is_broken_is_fixed_as_text() {
    let broken = "---\ntitle: Đền\nlocation: { lat: 21.8, lon: \n---\n\nChữ của Lan.\n";
    let s = site(&[("content/relics/den.md", broken)]);
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let r = b.get(&format!("{}/_edit/e/relics/den", ed.base));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("name=\"raw\""), "the whole file to fix");
    assert!(r.body.contains("Chữ của Lan."));
    let fields = form_fields(&r.body);
    // Still broken: refused, the text given back.
    let r = save(
        &b,
        &ed.base,
        "relics/den",
        &with(
            &fields,
            &[("raw", Some("---\ntitle: [\n---\nChữ của Lan, sửa.\n"))],
        ),
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Chữ của Lan, sửa."));
    assert_eq!(read(s.path().join("content/relics/den.md")), broken);
    let fixed = "---\ntitle: Đền\nlocation: { lat: 21.8, lon: 106.7 }\n---\n\nChữ của Lan.\n";
    let r = save(
        &b,
        &ed.base,
        "relics/den",
        &with(&fields, &[("raw", Some(fixed))]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(read(s.path().join("content/relics/den.md")), fixed);
    assert!(wait_for_page(
        &format!("{}/relics/den/", ed.base),
        "Chữ của Lan."
    ));
    // Fixed, it opens as a form again.
    assert!(form_of(&b, &ed.base, "relics/den")
        .iter()
        .any(|(k, v)| k == "f.title" && v == "Đền"));
}

#[test]
fn a_save_waits_for_a_build_that_holds_the_site_lock() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let fields = form_of(&b, &ed.base, "relics/den");
    // What `waymark build` holds while it reads the entries.
    let lock = waymark::lock::SiteLock::take(s.path()).expect("the lock");
    let (b2, base) = (b.clone(), ed.base.clone());
    let changed = with(&fields, &[("f.district", Some("Cao Lộc"))]);
    let save = std::thread::spawn(move || save(&b2, &base, "relics/den", &changed).status);
    std::thread::sleep(std::time::Duration::from_millis(800));
    assert_eq!(
        den(s.path()),
        DEN,
        "nothing written while the build holds the lock"
    );
    assert!(!save.is_finished());
    drop(lock);
    assert_eq!(save.join().unwrap(), 303);
    assert!(den(s.path()).contains("district: Cao Lộc"));
}

#[test]
fn an_owner_edits_links_amenities_times_and_specialties_and_reads_them_back() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let volunteer = pair(&ed.pair_link, "Minh");
    let lan = owner_of(&volunteer, &ed.base, "homestays/nha-lan", "Chị Lan");
    let fields = form_of(&lan, &ed.base, "homestays/nha-lan");
    // Two empty link rows and one empty specialty row wait in a new form.
    for name in [
        "f.links.0.url",
        "f.links.1.label",
        "f.specialties.0.name",
        "f.check_in",
        "f.price_per",
    ] {
        assert!(
            fields.iter().any(|(k, _)| k == name),
            "{name} in {fields:?}"
        );
    }
    let changed = with(
        &fields,
        &[
            ("f.links.0.url", Some("https://www.facebook.com/nhalan")),
            ("f.links.1.url", Some("https://nhalan.example.vn/dat-phong")),
            ("f.links.1.label", Some("Đặt phòng")),
            ("f.amenities.wifi", Some("on")),
            ("f.amenities.breakfast", Some("on")),
            ("f.languages.tay", Some("on")),
            ("f.rooms", Some("4")),
            ("f.check_in", Some("14:00")),
            ("f.price_per", Some("room")),
            ("f.closed", Some("2027-02-05..2027-02-12\r\nTết")),
            ("f.specialties.0.name", Some("Miến dong")),
            ("f.specialties.0.price", Some("120.000")),
        ],
    );
    let r = save(&lan, &ed.base, "homestays/nha-lan", &changed);
    assert_eq!(r.status, 303, "{}", r.body);
    let text = read(s.path().join("content/homestays/nha-lan.md"));
    for want in [
        "https://www.facebook.com/nhalan",
        "label: Đặt phòng",
        "- wifi",
        "- breakfast",
        "- tay",
        "rooms: 4",
        "14:00",
        "price_per: room",
        "Tết",
        "name: Miến dong",
        "price: 120000",
    ] {
        assert!(text.contains(want), "{want} in\n{text}");
    }
    assert!(text.contains("Nhà sàn."), "the text kept:\n{text}");
    // The form shows them back: a filled row and two empty ones, the boxes ticked.
    let again = form_of(&lan, &ed.base, "homestays/nha-lan");
    let value = |k: &str| again.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(value("f.links.1.label"), Some("Đặt phòng"));
    assert_eq!(value("f.links.3.url"), Some(""));
    assert_eq!(value("f.amenities.wifi"), Some("on"));
    assert_eq!(value("f.amenities.parking"), None);
    assert_eq!(value("f.specialties.0.price"), Some("120000"));

    // An http:// link is refused at its field with the fix, and nothing is written.
    let bad = with(
        &again,
        &[("f.links.2.url", Some("http://zalo.me/0912000101"))],
    );
    let r = save(&lan, &ed.base, "homestays/nha-lan", &bad);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("https://"), "{}", r.body);
    assert_eq!(read(s.path().join("content/homestays/nha-lan.md")), text);
}

#[test]
fn a_restart_keeps_phones_and_owners_paired_and_an_idle_or_unpaired_session_ends() {
    let s = a_site();
    let (lan, owner, minh_id) = {
        let ed = start(s.path(), &[]);
        let lan = pair(&ed.pair_link, "Lan");
        let owner = owner_of(&lan, &ed.base, "homestays/nha-lan", "Chị Lan");
        let minh = pair(&another_link(&lan, &ed.base), "Minh");
        let devices = lan.get(&format!("{}/_edit/devices", ed.base)).body;
        let i = devices.find("Minh").unwrap();
        let id_at = devices[i..].find("name=\"id\" value=\"").unwrap() + i + 17;
        let id = devices[id_at..id_at + 12].to_string();
        drop(minh);
        (lan, owner, id)
    };
    // Kept by the hash of the cookie only, in the cache, never in content/ or the site.
    let kept = read(s.path().join(".waymark-cache/editor/sessions.yaml"));
    let cookie_token = lan.cookie.as_ref().unwrap().split('=').nth(1).unwrap();
    assert!(
        !kept.contains(cookie_token),
        "the cookie itself is not kept"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.path().join(".waymark-cache/editor/sessions.yaml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "readable by this user only: {mode:o}");
    }

    // After a restart: the phone and the owner edit on, without pairing again.
    let ed = start(s.path(), &[]);
    assert_eq!(lan.get(&format!("{}/_edit/", ed.base)).status, 200);
    assert_eq!(
        owner
            .get(&format!("{}/_edit/e/homestays/nha-lan", ed.base))
            .status,
        200
    );
    // Unpairing is kept too.
    let r = lan.post(
        &format!("{}/_edit/devices/unpair", ed.base),
        &[("csrf", &list_csrf(&lan, &ed.base)), ("id", &minh_id)],
        &[],
    );
    assert_eq!(r.status, 303);
    drop(ed);

    // A session unused longer than --idle-days ends: the phone is asked to pair again.
    let path = s.path().join(".waymark-cache/editor/sessions.yaml");
    let aged = read(&path)
        .lines()
        .map(|l| match l.trim_start().strip_prefix("last_used: ") {
            Some(_) => l.split("last_used").next().unwrap().to_string() + "last_used: 1000",
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, aged).unwrap();
    let ed = start(s.path(), &["--idle-days", "7"]);
    let r = lan.get(&format!("{}/_edit/", ed.base));
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.body.contains("/_edit/pair") || r.body.contains("đường dẫn ghép mới"),
        "{}",
        r.body
    );
    assert!(
        !read(&path).contains("Lan"),
        "the idle session is gone from the file"
    );
}

#[test]
fn a_volunteer_edits_while_only_admins_pair_phones_make_owner_links_and_delete() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    // The phone paired from the server's terminal is an admin's.
    let admin = pair(&ed.pair_link, "Trưởng nhóm");
    let minh = pair(&another_link(&admin, &ed.base), "Minh");
    let list = minh.get(&format!("{}/_edit/", ed.base));
    assert_eq!(list.status, 200);
    assert!(!list.body.contains("/_edit/owners") && !list.body.contains("pair-another"));
    // A volunteer saves like anyone.
    let fields = form_of(&minh, &ed.base, "homestays/nha-lan");
    assert!(!read_form_page(&minh, &ed.base).contains("/_edit/delete/"));
    let r = save(
        &minh,
        &ed.base,
        "homestays/nha-lan",
        &with(&fields, &[("f.price_from", Some("300000"))]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // And is refused what only admins may do, with the reason.
    let csrf = list_csrf(&minh, &ed.base);
    for (method, path, form) in [
        ("GET", "/_edit/owners", vec![]),
        ("GET", "/_edit/devices", vec![]),
        ("GET", "/_edit/delete/relics/den", vec![]),
        ("POST", "/_edit/pair-another", vec![("csrf", csrf.as_str())]),
        (
            "POST",
            "/_edit/owners",
            vec![("csrf", csrf.as_str()), ("entry", "homestays/nha-lan")],
        ),
        (
            "POST",
            "/_edit/delete/relics/den",
            vec![("csrf", csrf.as_str()), ("confirm", "yes")],
        ),
    ] {
        let url = format!("{}{path}", ed.base);
        let r = if method == "GET" {
            minh.get(&url)
        } else {
            minh.post(&url, &form, &[])
        };
        assert_eq!(r.status, 403, "{method} {path}: {}", r.body);
        assert!(r.body.contains("quản lý"), "{}", r.body);
    }
    assert!(s.path().join("content/relics/den.md").is_file());
    // An admin may pair another admin.
    let r = admin.post(
        &format!("{}/_edit/pair-another", ed.base),
        &[("csrf", &list_csrf(&admin, &ed.base)), ("role", "admin")],
        &[],
    );
    let i = r.body.find("/_edit/pair/").unwrap();
    let second = pair(
        &format!("{}{}", ed.base, &r.body[i..i + 12 + 32]),
        "Phó nhóm",
    );
    assert_eq!(
        second.get(&format!("{}/_edit/devices", ed.base)).status,
        200
    );
}

fn read_form_page(b: &Browser, base: &str) -> String {
    b.get(&format!("{base}/_edit/e/homestays/nha-lan")).body
}

#[test]
fn admins_see_who_changed_what_with_each_commit_and_volunteers_do_not() {
    let s = a_site();
    git_repo(s.path());
    let ed = start(s.path(), &["--commit"]);
    let admin = pair(&ed.pair_link, "Lan");
    let r = save_one(
        &admin,
        &ed.base,
        "homestays/nha-lan",
        "f.price_from",
        "330000",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = admin.get(&format!("{}/_edit/activity", ed.base));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<strong>Lan</strong>"), "{}", page.body);
    assert!(page
        .body
        .contains("href=\"/_edit/e/homestays/nha-lan\">edit homestays/nha-lan</a>"));
    let i = page.body.find("/_edit/activity/").unwrap();
    let link = &page.body[i..i + "/_edit/activity/".len() + 40];
    let change = admin.get(&format!("{}{link}", ed.base));
    assert_eq!(change.status, 200);
    assert!(
        change.body.contains("+price_from: 330000"),
        "{}",
        change.body
    );
    // Only a commit the activity names is shown.
    let other = admin.get(&format!("{}/_edit/activity/HEAD~1", ed.base));
    assert_eq!(other.status, 404);
    let minh = pair(&another_link(&admin, &ed.base), "Minh");
    assert_eq!(minh.get(&format!("{}/_edit/activity", ed.base)).status, 403);
    assert_eq!(minh.get(&format!("{}{link}", ed.base)).status, 403);
}

#[test]
fn a_save_that_changes_the_price_leaves_the_owners_lists_as_written() {
    let text = "---\ntitle: Nhà Lan\nprice_from: 250000\nlanguages: [vi, tay, en]\namenities: [parking, wifi]\nlinks:\n  - https://www.facebook.com/nhalan\n  - { url: \"https://nhalan.example.vn/\", label: Trang nhà }\nclosed: [\"2027-02-05..2027-02-12\", Tết]\nspecialties:\n  - { name: Miến dong, price: 120000 }\n---\n\nNhà sàn.\n";
    let s = site(&[("content/homestays/nha-lan.md", text)]);
    let ed = start(s.path(), &[]);
    let lan = pair(&ed.pair_link, "Lan");
    let r = save_one(
        &lan,
        &ed.base,
        "homestays/nha-lan",
        "f.price_from",
        "300000",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // The price, and the day it was checked (a new price is checked today); nothing else.
    let saved = read(s.path().join("content/homestays/nha-lan.md"));
    let day = saved
        .lines()
        .find(|l| l.starts_with("price_updated: "))
        .unwrap_or_else(|| panic!("{saved}"));
    assert_eq!(
        saved.replace(&format!("{day}\n"), ""),
        text.replace("250000", "300000"),
        "only the price changed"
    );
}

/// An admin's rebase stopped half-way in the site's repository (as the activity page tells her
/// to run one): a save then is refused with its words given back, and nothing is written or
/// committed, since `git rebase --abort` would throw it away.
#[test]
fn saves_wait_while_an_admins_rebase_is_half_done() {
    let s = a_site();
    git_repo(s.path());
    let den = s.path().join("content/relics/den.md");
    git(s.path(), &["checkout", "-q", "-b", "other"]);
    std::fs::write(&den, DEN.replace("bên sông", "bên suối")).unwrap();
    git(s.path(), &["commit", "-qam", "other"]);
    git(s.path(), &["checkout", "-q", "-"]);
    std::fs::write(&den, DEN.replace("bên sông", "cạnh sông")).unwrap();
    git(s.path(), &["commit", "-qam", "here"]);
    let stopped = std::process::Command::new("git")
        .arg("-C")
        .arg(s.path())
        .args(["rebase", "other"])
        .output()
        .unwrap();
    assert!(
        !stopped.status.success(),
        "the rebase stops at its conflict"
    );
    let head = git(s.path(), &["rev-parse", "HEAD"]);
    let nha = read(s.path().join("content/homestays/nha-lan.md"));

    let ed = start(s.path(), &["--commit"]);
    let b = pair(&ed.pair_link, "Lan");
    let r = save_one(
        &b,
        &ed.base,
        "homestays/nha-lan",
        "f.summary",
        "Nhà sàn ba gian",
    );
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("Người quản lý đang ghép"), "{}", r.body);
    assert!(
        r.body.contains("Nhà sàn ba gian"),
        "her words come back: {}",
        r.body
    );
    assert_eq!(read(s.path().join("content/homestays/nha-lan.md")), nha);
    assert_eq!(git(s.path(), &["rev-parse", "HEAD"]), head);

    // The rebase given up: saves go on.
    git(s.path(), &["rebase", "--abort"]);
    let r = save_one(
        &b,
        &ed.base,
        "homestays/nha-lan",
        "f.summary",
        "Nhà sàn ba gian",
    );
    assert_eq!(r.status, 303, "{}", r.body);
}
