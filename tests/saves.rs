//! A save or a hand edit never leaves the site unable to build: drafts keep their printed
//! codes' landings, codes never change from the editor, a save is checked against the whole
//! site before anything is written, saves from older forms merge field by field, photos too
//! large never cost the typed text, and `--commit` commits exactly what a save changed.

mod common;
use common::editor::*;
use common::*;
use std::path::Path;
use std::process::Command;

const DEN: &str = "---\ntitle: Thành nhà Mạc\ncode: NHAMAC\nsummary: Di tích thời Mạc.\nlocation: { lat: 21.84, lon: 106.75 }\n---\n\nTường thành cũ.\n";
const NHA: &str = "---\ntitle: Nhà Lan\nprice_from: 250000\nphone: \"0912 000 101\"\n---\n\nGần [thành nhà Mạc](../relics/thanh-nha-mac.md).\n";
const LEDGER: &str =
    "version: 1\ncodes:\n  NHAMAC: { page: relics/thanh-nha-mac, printed: 2026-01-15 }\n";

fn a_site() -> tempfile::TempDir {
    site(&[
        ("content/relics/thanh-nha-mac.md", DEN),
        ("content/homestays/nha-lan.md", NHA),
        ("plaques.lock", LEDGER),
    ])
}

fn check(site: &Path) -> std::process::Output {
    Command::new(bin())
        .args(["check", "--site"])
        .arg(site)
        .output()
        .unwrap()
}

#[test]
fn a_draft_with_a_printed_code_keeps_its_landing_in_every_language() {
    let s = a_site();
    build_ok(s.path());
    // The volunteer ticks draft by hand while the text is redone.
    let drafted = DEN.replace("code: NHAMAC\n", "code: NHAMAC\ndraft: true\n");
    write(s.path(), "content/relics/thanh-nha-mac.md", &drafted);
    write(
        s.path(),
        "content/relics/thanh-nha-mac.en.md",
        "---\ntitle: Mac Dynasty Citadel\n---\n",
    );
    write(
        s.path(),
        "site.yaml",
        "title: Di sản\nbase_url: https://langson.example\nlanguages: [vi, en, zh]\ncontact: { phone: \"0205 3870 123\" }\n",
    );
    let c = check(s.path());
    assert!(c.status.success(), "check: {}", stderr(&c));
    let out = build_ok(s.path()).join("site");
    let landing = read(out.join("q/NHAMAC/index.html"));
    assert!(landing.contains("Thành nhà Mạc"), "{landing}");
    assert!(landing.contains("đang được cập nhật"), "Vietnamese notice");
    assert!(landing.contains("Mac Dynasty Citadel") && landing.contains("being updated"));
    assert!(landing.contains("正在更新"), "Chinese notice");
    assert!(landing.contains("tel:02053870123"), "the site's contact");
    assert!(landing.contains("noindex"));
    assert!(
        !out.join("relics/thanh-nha-mac/index.html").exists(),
        "the draft itself is not published"
    );
    let nha = read(out.join("homestays/nha-lan/index.html"));
    assert!(
        nha.contains("href=\"/q/NHAMAC/\""),
        "a link to the draft leads to its landing"
    );
    let ledger = read(s.path().join("plaques.lock"));
    assert!(
        ledger.contains("NHAMAC: { page: relics/thanh-nha-mac, printed: 2026-01-15 }"),
        "{ledger}"
    );
    // Published again, the landing is the page again.
    write(s.path(), "content/relics/thanh-nha-mac.md", DEN);
    let out = build_ok(s.path()).join("site");
    assert!(read(out.join("q/NHAMAC/index.html")).contains("Tường thành cũ."));
}

#[test]
fn a_draft_without_a_code_is_given_none_and_links_to_it_lead_to_its_list() {
    let s = site(&[
        (
            "content/relics/moi.md",
            "---\ntitle: Mục mới\ndraft: true\n---\n",
        ),
        (
            "content/relics/den.md",
            "---\ntitle: Đền\n---\nXem [mục mới](moi.md).\n",
        ),
    ]);
    let out = build_ok(s.path()).join("site");
    let ledger = std::fs::read_to_string(s.path().join("plaques.lock")).unwrap_or_default();
    assert!(!ledger.contains("relics/moi"), "{ledger}");
    assert!(read(out.join("relics/den/index.html")).contains("href=\"/relics/\""));
}

#[test]
fn ticking_draft_in_the_editor_keeps_the_site_building() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let r = save_one(&b, &ed.base, "relics/thanh-nha-mac", "f.draft", "on");
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(read(s.path().join("content/relics/thanh-nha-mac.md")).contains("draft: true"));
    assert!(wait_for_page(
        &format!("{}/q/NHAMAC/", ed.base),
        "đang được cập nhật"
    ));
    let out = build_ok(s.path()).join("site");
    assert!(out.join("q/NHAMAC/index.html").exists());
    // The volunteer finds the entry she hid by its name.
    let list = b.get(&format!("{}/_edit/?q=thanh%20nha", ed.base));
    assert!(list.body.contains("Thành nhà Mạc"), "{}", list.body);
}

#[test]
fn a_code_the_build_gave_is_shown_fixed_and_never_changes() {
    let s = a_site();
    build_ok(s.path());
    let ledger = read(s.path().join("plaques.lock"));
    let code = ledger
        .lines()
        .find(|l| l.contains("homestays/nha-lan"))
        .and_then(|l| l.trim().split(':').next())
        .unwrap()
        .to_string();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let page = b.get(&format!("{}/_edit/e/homestays/nha-lan", ed.base));
    assert!(
        page.body.contains(&format!("<strong>{code}</strong>")),
        "shown"
    );
    let fields = form_fields(&page.body);
    assert!(!fields.iter().any(|(k, _)| k == "f.code"), "not an input");
    // A crafted post that types a code anyway.
    let r = save(
        &b,
        &ed.base,
        "homestays/nha-lan",
        &with(
            &fields,
            &[
                ("f.code", Some("NEWCODE")),
                ("f.price_from", Some("300000")),
            ],
        ),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let file = read(s.path().join("content/homestays/nha-lan.md"));
    assert!(!file.contains("NEWCODE"), "{file}");
    assert!(file.contains("300000"));
    build_ok(s.path());
}

#[test]
fn the_whole_text_cannot_be_posted_for_an_entry_that_opens_as_a_form() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let fields = form_of(&b, &ed.base, "relics/thanh-nha-mac");
    let other = DEN.replace("code: NHAMAC", "code: KHAC");
    let r = save(
        &b,
        &ed.base,
        "relics/thanh-nha-mac",
        &with(&fields, &[("raw", Some(&other))]),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("biểu mẫu"), "{}", r.body);
    assert_eq!(read(s.path().join("content/relics/thanh-nha-mac.md")), DEN);
    build_ok(s.path());
}

#[test]
fn a_save_that_would_stop_the_build_is_refused_before_writing() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let fields = form_of(&b, &ed.base, "homestays/nha-lan");
    let r = save(
        &b,
        &ed.base,
        "homestays/nha-lan",
        &with(
            &fields,
            &[(
                "body",
                Some("Gần [đền](../relics/khong-co.md), chữ mới của Lan.\n"),
            )],
        ),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("khong-co.md"), "names the link");
    assert!(
        r.body.contains("chữ mới của Lan"),
        "the words come back in the form"
    );
    assert_eq!(read(s.path().join("content/homestays/nha-lan.md")), NHA);
    // A printed code is no input at all.
    let den = form_of(&b, &ed.base, "relics/thanh-nha-mac");
    assert!(!den.iter().any(|(k, _)| k == "f.code"), "printed: fixed");
}

#[test]
fn saves_from_older_forms_merge_field_by_field() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let lan = pair(&ed.pair_link, "Lan");
    let mine = form_of(&lan, &ed.base, "homestays/nha-lan");
    // Meanwhile another volunteer changes the phone on a laptop.
    let theirs = NHA.replace("0912 000 101", "0987 654 321");
    write(s.path(), "content/homestays/nha-lan.md", &theirs);
    let r = save(
        &lan,
        &ed.base,
        "homestays/nha-lan",
        &with(&mine, &[("f.price_from", Some("300000"))]),
    );
    assert_eq!(r.status, 303, "different fields merge: {}", r.body);
    let file = read(s.path().join("content/homestays/nha-lan.md"));
    assert!(file.contains("0987 654 321"), "theirs kept: {file}");
    assert!(file.contains("price_from: 300000"), "mine applied: {file}");

    // Both change the price: a clash, asked about at that field alone.
    let mine = form_of(&lan, &ed.base, "homestays/nha-lan");
    let now = file.replace("300000", "280000");
    write(s.path(), "content/homestays/nha-lan.md", &now);
    let r = save(
        &lan,
        &ed.base,
        "homestays/nha-lan",
        &with(
            &mine,
            &[
                ("f.price_from", Some("350000")),
                ("f.summary", Some("Nhà sàn gần thành")),
            ],
        ),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("người khác đã đổi"), "{}", r.body);
    assert!(r.body.contains("280000"), "theirs shown");
    assert_eq!(
        read(s.path().join("content/homestays/nha-lan.md")),
        now,
        "nothing written"
    );
    let again = form_fields(&r.body);
    let price = again.iter().find(|(k, _)| k == "f.price_from").unwrap();
    assert_eq!(price.1, "350000", "the box holds what she typed");
    let summary = again.iter().find(|(k, _)| k == "f.summary").unwrap();
    assert_eq!(summary.1, "Nhà sàn gần thành");
    // She keeps hers and saves again: it lands on the file as it is now.
    let r = save(&lan, &ed.base, "homestays/nha-lan", &again);
    assert_eq!(r.status, 303, "{}", r.body);
    let file = read(s.path().join("content/homestays/nha-lan.md"));
    assert!(file.contains("price_from: 350000") && file.contains("0987 654 321"));
}

/// A multipart body with a file first, as a browser sends the form (the photo input comes
/// before the text).
fn photo_first(fields: &[(String, String)], photo: &[u8]) -> (String, Vec<u8>) {
    use std::io::Write;
    let boundary = "----waymark-saves-boundary";
    let mut body = Vec::new();
    for (k, v) in fields.iter().take(2) {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        )
        .unwrap();
    }
    write!(body, "--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"IMG_2041.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").unwrap();
    body.extend_from_slice(photo);
    body.extend_from_slice(b"\r\n");
    for (k, v) in fields.iter().skip(2) {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        )
        .unwrap();
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn a_photo_too_large_costs_no_typed_word() {
    let s = a_site();
    let ed = start(s.path(), &[]);
    let b = pair(&ed.pair_link, "Lan");
    let fields = form_of(&b, &ed.base, "homestays/nha-lan");
    assert_eq!(fields[0].0, "csrf");
    let typed = with(
        &fields,
        &[
            ("f.summary", Some("Nhà sàn ba gian, view đồng lúa")),
            ("body", Some("Chị Lan nấu cơm lam rất ngon.\n")),
        ],
    );
    let cookie = b.cookie.clone().unwrap();
    for size in [26 << 20, 120 << 20] {
        let mut photo = vec![0xFFu8, 0xD8, 0xFF];
        photo.resize(size, 0x11);
        let (ctype, body) = photo_first(&typed, &photo);
        let r = request(
            "POST",
            &format!("{}/_edit/e/homestays/nha-lan", ed.base),
            &[
                ("Cookie", &cookie),
                ("Content-Type", &ctype),
                ("Accept-Language", "vi"),
            ],
            &body,
        );
        assert_eq!(r.status, 413, "{size}: {}", r.body);
        assert!(
            r.body.contains("id=\"entry\""),
            "{size}: the form comes back"
        );
        assert!(r.body.contains("view đồng lúa"), "{size}: summary kept");
        assert!(r.body.contains("cơm lam"), "{size}: text kept");
        assert!(r.body.contains("chưa lưu gì"), "{size}: said in Vietnamese");
        assert_eq!(read(s.path().join("content/homestays/nha-lan.md")), NHA);
    }
}

#[test]
fn a_commit_holds_exactly_what_the_save_changed() {
    let s = a_site();
    build_ok(s.path());
    let d = s.path();
    git_repo(d);
    // Someone's half-done work, staged by hand: not the editor's to commit.
    write(d, "notes.txt", "việc đang làm\n");
    git(d, &["add", "notes.txt"]);
    let ed = start(d, &["--commit"]);
    let b = pair(&ed.pair_link, "Điện thoại Lan");
    let fields = form_of(&b, &ed.base, "homestays/nha-lan");
    let r = b.post_multipart(
        &format!("{}/_edit/e/homestays/nha-lan", ed.base),
        &fields,
        &[("photos", "nha.jpg", common::media::phone_jpeg(64, 48, 1))],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let last = git(d, &["show", "--name-status", "--format=%s", "HEAD"]);
    assert!(last.contains("from the editor: Điện thoại Lan"), "{last}");
    assert!(
        last.contains("D\tcontent/homestays/nha-lan.md"),
        "the single file's removal: {last}"
    );
    assert!(last.contains("A\tcontent/homestays/nha-lan/index.md"));
    assert!(!last.contains("notes.txt"), "{last}");
    let staged = git(d, &["diff", "--cached", "--name-only"]);
    assert_eq!(staged.trim(), "notes.txt", "still staged for its owner");
    // A fresh clone builds.
    let clone = tempfile::tempdir().unwrap();
    let to = clone.path().join("c");
    let o = Command::new("git")
        .args(["clone", "-q"])
        .arg(d)
        .arg(&to)
        .output()
        .unwrap();
    assert!(o.status.success());
    build_ok(&to);
}

#[test]
fn a_new_price_is_a_price_checked_today_and_one_typed_as_owners_text_it_is_read() {
    let s = site(&[(
        "content/homestays/nha-lan.md",
        "---\ntitle: Nhà Lan\nprice_from: 250000\nprice_updated: 2025-01-01\n---\n\nNhà sàn.\n",
    )]);
    let ed = start(s.path(), &[]);
    let lan = pair(&ed.pair_link, "Chị Lan");
    let file = || read(s.path().join("content/homestays/nha-lan.md"));

    // Another field: the day the price was checked stays.
    let r = save_one(
        &lan,
        &ed.base,
        "homestays/nha-lan",
        "f.phone",
        "0912 345 678",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(file().contains("price_updated: 2025-01-01"), "{}", file());

    // A new price, as owners text it: read as 1,200,000 đồng, checked today (in Vietnam, or
    // within a day of UTC's date).
    let r = save_one(&lan, &ed.base, "homestays/nha-lan", "f.price_from", "1tr2");
    assert_eq!(r.status, 303, "{}", r.body);
    let text = file();
    assert!(text.contains("price_from: 1200000"), "{text}");
    let day = text
        .lines()
        .find_map(|l| l.strip_prefix("price_updated: "))
        .unwrap_or_default()
        .to_string();
    let now = jiff::Timestamp::now();
    let near: Vec<String> = [-1i64, 0, 1]
        .iter()
        .map(|d| {
            (now + jiff::SignedDuration::from_hours(24 * d))
                .strftime("%Y-%m-%d")
                .to_string()
        })
        .collect();
    assert!(
        near.contains(&day),
        "price_updated `{day}`, not near {near:?}"
    );

    // Both at once: the day the person wrote is kept.
    let fields = form_of(&lan, &ed.base, "homestays/nha-lan");
    let r = save(
        &lan,
        &ed.base,
        "homestays/nha-lan",
        &with(
            &fields,
            &[
                ("f.price_from", Some("350k")),
                ("f.price_updated", Some("2026-11-30")),
            ],
        ),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let text = file();
    assert!(
        text.contains("price_from: 350000") && text.contains("price_updated: 2026-11-30"),
        "{text}"
    );
}

/// A code the live site answers never stops answering: an entry deleted with its line of
/// plaques.lock (by hand, or lost in a merge) publishes nothing, with the fix; retired, it
/// publishes, and its landing still answers. `serve --publish` reads plaques.lock when it
/// changes, so that fix goes live without a restart.
#[test]
fn a_published_code_dropped_from_plaques_lock_stops_the_publish_until_it_is_retired() {
    let s = site(&[
        ("content/relics/nhamac.md", DEN),
        (
            "content/relics/den.md",
            "---\ntitle: Đền Mẫu\ncode: DENMAU\n---\n",
        ),
    ]);
    build_ok(s.path());
    let landing = s.path().join("output/site/q/DENMAU/index.html");
    assert!(landing.is_file());
    let lock = s.path().join("plaques.lock");
    let without = |text: &str| {
        text.lines()
            .filter(|l| !l.contains("DENMAU"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    };
    std::fs::remove_file(s.path().join("content/relics/den.md")).unwrap();
    std::fs::write(&lock, without(&read(&lock))).unwrap();
    let o = build(s.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let said = stderr(&o);
    assert!(said.contains("code DENMAU is on the live site"), "{said}");
    assert!(said.contains("retired_to"), "the fix: {said}");
    assert!(landing.is_file(), "the live site stays as it was");

    // Served and published: the same refusal, and the fix in plaques.lock goes live by itself.
    let ed = start(s.path(), &["--publish"]);
    ed.wait_for_log("code DENMAU is on the live site");
    std::fs::write(
        &lock,
        read(&lock).replace("codes:\n", "codes:\n  DENMAU: { retired_to: relics }\n"),
    )
    .unwrap();
    ed.wait_for_log("published:");
    let page = read(&landing);
    assert!(
        page.contains("/relics/"),
        "the retired code leads to its section: {page}"
    );
    let o = build(s.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
}
