//! Review mode (`editor: { review: true }` in site.yaml): a volunteer's or an owner's save waits
//! outside `content/` until an admin approves it (then it goes through the normal save, and
//! with `--publish` it is live) or sends it back with a note (her words kept); an admin's own
//! save publishes at once; only admins see, preview and decide.

mod common;
use common::editor::*;
use common::*;
use std::path::Path;

const NHA: &str = "---\ntitle: Homestay Nhà Lan\nsummary: Nhà sàn của người Tày bên suối.\nprice_from: 350000\nphone: \"0912 000 101\"\n---\n\nNhà sàn gỗ, ba phòng.\nGiá 350.000đ một đêm.\n";
const DEN: &str = "---\ntitle: Đền Kỳ Cùng\nranking: national\n---\n\nĐền thờ Tả quan Đề đốc.\n";
const REVIEW: &str =
    "title: Di sản Lạng Sơn\nbase_url: https://t.example\nlanguages: [vi, en]\neditor:\n  review: true\n";

fn review_site() -> tempfile::TempDir {
    site(&[
        ("site.yaml", REVIEW),
        ("content/homestays/nha-lan.md", NHA),
        ("content/relics/den.md", DEN),
    ])
}

fn entry_file(site: &Path) -> String {
    read(site.join("content/homestays/nha-lan.md"))
}

fn live_page(site: &Path) -> String {
    read(site.join("output/site/homestays/nha-lan/index.html"))
}

/// The csrf token of `b`'s session, from the list page.
fn list_csrf(b: &Browser, base: &str) -> String {
    let r = b.get(&format!("{base}/_edit/"));
    assert_eq!(r.status, 200, "{}", r.body);
    let i = r.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    r.body[i..i + 32].to_string()
}

/// A volunteer's phone, paired by admin `b`.
fn volunteer(b: &Browser, base: &str, label: &str) -> Browser {
    let r = b.post(
        &format!("{base}/_edit/pair-another"),
        &[("csrf", &list_csrf(b, base)), ("role", "volunteer")],
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let i = r.body.find("/_edit/pair/").unwrap();
    pair(&format!("{base}{}", &r.body[i..i + 12 + 32]), label)
}

/// The keys of the waiting list's changes, as the admin's page links them.
fn waiting_keys(admin: &Browser, base: &str) -> Vec<String> {
    let r = admin.get(&format!("{base}/_edit/waiting"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
        .split("data-key=\"")
        .skip(1)
        .map(|s| s[..16].to_string())
        .collect()
}

fn value<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn a_volunteers_save_waits_unseen_until_an_admin_approves_it_and_then_it_is_live() {
    let s = review_site();
    let ed = start(s.path(), &["--publish"]);
    ed.wait_for_log("published:");
    let admin = pair(&ed.pair_link, "Trưởng nhóm");
    let lan = volunteer(&admin, &ed.base, "Điện thoại Lan");
    let before = entry_file(s.path());
    assert!(live_page(s.path()).contains("350.000"));

    // Lan changes the price and the text, and adds a photo.
    let fields = form_of(&lan, &ed.base, "homestays/nha-lan");
    let changed = with(
        &fields,
        &[
            ("f.price_from", Some("420000")),
            (
                "body",
                Some("Nhà sàn gỗ, ba phòng.\nGiá 420.000đ một đêm, có bữa sáng.\n"),
            ),
        ],
    );
    let photo = media::phone_jpeg(480, 360, 1);
    let r = lan.post_multipart(
        &format!("{}/_edit/e/homestays/nha-lan", ed.base),
        &changed,
        &[("photos", "IMG_2041.jpg", photo)],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.header("location").unwrap().to_string();
    assert!(to.contains("waiting=1") && !to.contains("live="), "{to}");
    let page = lan.get(&format!("{}{to}", ed.base)).body;
    assert!(
        page.contains("data-waiting=\"yes\"") && page.contains("chờ quản trị viên duyệt"),
        "{page}"
    );
    assert!(!page.contains("data-live"), "not said to be live: {page}");

    // Nothing of it reached content/ or the live site.
    assert_eq!(entry_file(s.path()), before);
    assert!(!s.path().join("content/homestays/nha-lan").exists());
    std::thread::sleep(std::time::Duration::from_millis(500));
    let live = live_page(s.path());
    assert!(live.contains("350.000") && !live.contains("420"), "{live}");

    // She sees her version when she opens the entry again, and the list marks the entry.
    let again = form_of(&lan, &ed.base, "homestays/nha-lan");
    assert_eq!(value(&again, "f.price_from"), Some("420000"));
    assert!(value(&again, "body").unwrap().contains("có bữa sáng"));
    let form_page = lan
        .get(&format!("{}/_edit/e/homestays/nha-lan", ed.base))
        .body;
    assert!(form_page.contains("data-waiting=\"mine\"") && form_page.contains("IMG_2041.jpg"));
    let list = lan.get(&format!("{}/_edit/", ed.base)).body;
    assert!(list.contains("data-waiting>"), "{list}");

    // A volunteer sees no waiting list, preview or approve; nor does a stranger.
    let key = waiting_keys(&admin, &ed.base)
        .pop()
        .expect("one waiting change");
    let stranger = Browser::default();
    for b in [&lan, &stranger] {
        for path in [
            "/_edit/waiting".to_string(),
            format!("/_edit/waiting/{key}"),
            format!("/_edit/waiting/{key}/preview"),
        ] {
            let r = b.get(&format!("{}{path}", ed.base));
            assert_eq!(r.status, 403, "{path}: {}", r.body);
            assert!(!r.body.contains("420"), "{path}");
        }
    }
    let r = lan.post(
        &format!("{}/_edit/waiting/{key}/approve", ed.base),
        &[("csrf", &list_csrf(&lan, &ed.base))],
        &[],
    );
    assert_eq!(r.status, 403);
    assert_eq!(entry_file(s.path()), before);

    // The admin's list counts it; its page shows each field before and after, and the text's lines.
    let list = admin.get(&format!("{}/_edit/", ed.base)).body;
    assert!(list.contains("data-waiting-count=\"1\""), "{list}");
    let waiting = admin.get(&format!("{}/_edit/waiting", ed.base)).body;
    assert!(waiting.contains("Điện thoại Lan") && waiting.contains("Homestay Nhà Lan"));
    let one = admin.get(&format!("{}/_edit/waiting/{key}", ed.base)).body;
    assert!(one.contains("data-field=\"f.price_from\""), "{one}");
    let price = &one[one.find("data-field=\"f.price_from\"").unwrap()..];
    let price = &price[..price.find("</section>").unwrap()];
    assert!(
        price.contains("350000") && price.contains("420000"),
        "{price}"
    );
    assert!(
        one.contains("<span class=\"del\">- Giá 350.000đ một đêm.</span>"),
        "{one}"
    );
    assert!(one.contains("<span class=\"add\">+ Giá 420.000đ một đêm, có bữa sáng.</span>"));
    assert!(one.contains("IMG_2041.jpg"));
    // The preview is the entry's page as it would be, made in memory, never under output/.
    let preview = admin.get(&format!("{}/_edit/waiting/{key}/preview", ed.base));
    assert_eq!(preview.status, 200);
    let csp = preview.header("content-security-policy").unwrap_or("");
    assert!(
        csp.contains("script-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(preview.body.contains("Homestay Nhà Lan") && preview.body.contains("420.000"));
    assert!(!live_page(s.path()).contains("420"));

    // A cross-site POST, or one without the session's token, approves nothing.
    let csrf = list_csrf(&admin, &ed.base);
    let url = format!("{}/_edit/waiting/{key}/approve", ed.base);
    let forged = admin.post(
        &url,
        &[("csrf", &csrf)],
        &[("Origin", "https://evil.example")],
    );
    assert_eq!(forged.status, 403);
    assert_eq!(admin.post(&url, &[("csrf", "0")], &[]).status, 403);
    assert_eq!(entry_file(s.path()), before);

    // Approved: saved as a save is (the photo makes it a folder), and live when the page says so.
    let r = admin.post(&url, &[("csrf", &csrf)], &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.header("location").unwrap().to_string();
    assert!(
        to.contains("approved=homestays/nha-lan") && to.contains("live=yes"),
        "{to}"
    );
    let file = read(s.path().join("content/homestays/nha-lan/index.md"));
    assert!(
        file.contains("price_from: 420000") && file.contains("có bữa sáng"),
        "{file}"
    );
    assert!(
        file.contains("phone: \"0912 000 101\"") && file.contains("img-2041.jpg"),
        "the rest kept byte for byte: {file}"
    );
    assert!(s
        .path()
        .join("content/homestays/nha-lan/img-2041.jpg")
        .is_file());
    let live = live_page(s.path());
    assert!(live.contains("420.000"), "{live}");
    assert!(waiting_keys(&admin, &ed.base).is_empty());
    let form_page = lan
        .get(&format!("{}/_edit/e/homestays/nha-lan", ed.base))
        .body;
    assert!(
        !form_page.contains("data-waiting"),
        "nothing of hers waits now"
    );
    let activity = admin.get(&format!("{}/_edit/activity", ed.base)).body;
    assert!(
        activity.contains("Điện thoại Lan, approved by Trưởng nhóm"),
        "{activity}"
    );
    assert!(activity.contains("wait homestays/nha-lan"), "{activity}");

    // A later change's preview shows the photos the entry has.
    assert!(wait_for_page(
        &format!("{}/homestays/nha-lan/", ed.base),
        "img-2041"
    ));
    let r = save_one(
        &lan,
        &ed.base,
        "homestays/nha-lan",
        "f.summary",
        "Nhà sàn Tày, có ảnh cổng.",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let key = waiting_keys(&admin, &ed.base).pop().unwrap();
    let preview = admin.get(&format!("{}/_edit/waiting/{key}/preview", ed.base));
    assert!(
        preview.body.contains("Nhà sàn Tày, có ảnh cổng.") && preview.body.contains("img-2041"),
        "{}",
        preview.body
    );

    // An admin's own save publishes at once.
    let r = save_one(
        &admin,
        &ed.base,
        "relics/den",
        "f.summary",
        "Đền bên sông Kỳ Cùng.",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().contains("live=yes"));
    assert!(read(s.path().join("content/relics/den.md")).contains("Đền bên sông Kỳ Cùng."));
}

#[test]
fn sent_back_with_a_note_her_words_are_kept_and_a_waiting_save_survives_a_restart() {
    let s = review_site();
    let ed = start(s.path(), &[]);
    let admin = pair(&ed.pair_link, "Trưởng nhóm");
    let lan = volunteer(&admin, &ed.base, "Điện thoại Lan");
    let before = entry_file(s.path());
    let id = "homestays/nha-lan";
    let first = "Nhà sàn bên suối, 350.000đ một đêm.";
    assert_eq!(save_one(&lan, &ed.base, id, "f.summary", first).status, 303);
    // A second save from her reopened form replaces her waiting one.
    let second = "Nhà sàn bên suối Kỳ Cùng, phòng đôi 350.000đ một đêm.";
    assert_eq!(
        save_one(&lan, &ed.base, id, "f.summary", second).status,
        303
    );
    let keys = waiting_keys(&admin, &ed.base);
    assert_eq!(keys.len(), 1, "one waiting change a phone and entry");
    assert_eq!(entry_file(s.path()), before);

    // A restart loses nothing: sessions and the waiting change are on disk.
    drop(ed);
    let ed = start(s.path(), &[]);
    assert_eq!(waiting_keys(&admin, &ed.base), keys);
    let one = admin
        .get(&format!("{}/_edit/waiting/{}", ed.base, keys[0]))
        .body;
    assert!(one.contains(second) && !one.contains(first), "{one}");

    // Another volunteer opening the entry sees the live text, and that a change waits.
    let minh = volunteer(&admin, &ed.base, "Minh");
    let page = minh.get(&format!("{}/_edit/e/{id}", ed.base)).body;
    assert!(page.contains("data-waiting=\"other\"") && page.contains("Điện thoại Lan"));
    assert!(!page.contains(second));
    assert!(
        page.contains("data-reviewed"),
        "she is told her saves wait: {page}"
    );
    // What cannot build may not wait: a link to no entry is refused at the text, as any save.
    let r = save_one(
        &minh,
        &ed.base,
        "relics/den",
        "body",
        "Xem [nhà nghỉ gần đền](../../homestays/khong-co.md).\n",
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("khong-co.md"), "{}", r.body);
    assert_eq!(waiting_keys(&admin, &ed.base).len(), 1);

    // Sent back: nothing written; her words and the note are there when she opens the entry.
    let note = "Ghi rõ giá phòng gia đình nữa nhé.";
    let r = admin.post(
        &format!("{}/_edit/waiting/{}/return", ed.base, keys[0]),
        &[("csrf", &list_csrf(&admin, &ed.base)), ("note", note)],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(entry_file(s.path()), before);
    assert!(waiting_keys(&admin, &ed.base).is_empty());
    let list = lan.get(&format!("{}/_edit/", ed.base)).body;
    assert!(list.contains("data-returned>"), "her list marks it: {list}");
    let list = minh.get(&format!("{}/_edit/", ed.base)).body;
    assert!(!list.contains("data-returned>"), "not another's list");
    let page = lan.get(&format!("{}/_edit/e/{id}", ed.base)).body;
    assert!(
        page.contains("data-returned") && page.contains(note),
        "{page}"
    );
    assert!(page.contains("Trưởng nhóm đã gửi trả"), "{page}");
    let fields = form_fields(&page);
    assert_eq!(value(&fields, "f.summary"), Some(second));
    // She saves again: it waits once more, the note gone.
    let third = "Phòng đôi 350.000đ, phòng gia đình 600.000đ một đêm.";
    let r = save(
        &lan,
        &ed.base,
        id,
        &with(&fields, &[("f.summary", Some(third))]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = lan.get(&format!("{}/_edit/e/{id}", ed.base)).body;
    assert!(!page.contains("data-returned") && page.contains("data-waiting=\"mine\""));
    assert_eq!(waiting_keys(&admin, &ed.base).len(), 1);
    let activity = admin.get(&format!("{}/_edit/activity", ed.base)).body;
    assert!(activity.contains("return homestays/nha-lan"), "{activity}");

    // A volunteer's new entry starts as a draft, off the website; an admin's does not.
    for (who, title, draft) in [
        (&lan, "Homestay Bản Mạ", true),
        (&admin, "Nhà nghỉ Cốc Lùng", false),
    ] {
        let r = who.post(
            &format!("{}/_edit/new", ed.base),
            &[
                ("csrf", &list_csrf(who, &ed.base)),
                ("kind", "homestay"),
                ("title", title),
            ],
            &[],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        let to = r
            .header("location")
            .unwrap()
            .trim_start_matches("/_edit/e/")
            .to_string();
        let file = read(s.path().join("content").join(&to).join("index.md"));
        assert_eq!(file.contains("\ndraft: true"), draft, "{file}");
        assert_eq!(file.contains("\ndraft: false"), !draft, "{file}");
    }
}

#[test]
fn an_owners_save_waits_too_and_a_field_changed_meanwhile_is_a_clash_not_overwritten() {
    let s = review_site();
    let git = |args: &[&str]| common::git(s.path(), args);
    git_repo(s.path());
    let ed = start(s.path(), &["--commit"]);
    let admin = pair(&ed.pair_link, "Trưởng nhóm");
    let owner = owner_of(&admin, &ed.base, "homestays/nha-lan", "Chị Lan chủ nhà");
    let before = entry_file(s.path());
    let r = save_one(
        &owner,
        &ed.base,
        "homestays/nha-lan",
        "f.phone",
        "0912 345 678",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().contains("waiting=1"));
    assert_eq!(entry_file(s.path()), before, "an owner's save waits too");
    // An owner sees no waiting list.
    assert_eq!(owner.get(&format!("{}/_edit/waiting", ed.base)).status, 403);

    // Meanwhile the admin changes the same field himself: written at once.
    let r = save_one(
        &admin,
        &ed.base,
        "homestays/nha-lan",
        "f.phone",
        "0988 111 222",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(entry_file(s.path()).contains("0988 111 222"));

    // Approving the owner's change shows the clash at its field and overwrites nothing.
    let key = waiting_keys(&admin, &ed.base).pop().unwrap();
    let r = admin.post(
        &format!("{}/_edit/waiting/{key}/approve", ed.base),
        &[("csrf", &list_csrf(&admin, &ed.base))],
        &[],
    );
    assert_eq!(r.status, 409, "{}", r.body);
    let at = &r.body[r.body.find("data-field=\"f.phone\"").expect("the phone")..];
    let at = &at[..at.find("</section>").unwrap()];
    assert!(
        at.contains("role=\"alert\"") && at.contains("0988 111 222"),
        "{at}"
    );
    assert!(entry_file(s.path()).contains("0988 111 222"));
    assert_eq!(
        waiting_keys(&admin, &ed.base),
        vec![key.clone()],
        "still waiting"
    );

    // A field nobody else touched merges: the owner's summary goes through with his phone kept.
    let r = save_one(
        &owner,
        &ed.base,
        "homestays/nha-lan",
        "f.phone",
        "0988 111 222",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let fields = form_of(&owner, &ed.base, "homestays/nha-lan");
    let r = save(
        &owner,
        &ed.base,
        "homestays/nha-lan",
        &with(
            &fields,
            &[("f.summary", Some("Nhà sàn Tày, có chỗ đỗ xe máy."))],
        ),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = admin.post(
        &format!("{}/_edit/waiting/{key}/approve", ed.base),
        &[("csrf", &list_csrf(&admin, &ed.base))],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let file = entry_file(s.path());
    assert!(
        file.contains("Nhà sàn Tày, có chỗ đỗ xe máy.") && file.contains("0988 111 222"),
        "{file}"
    );
    // The commit names the owner and the admin who approved; nothing was committed while it waited.
    let log = git(&["log", "--format=%s"]);
    let subjects: Vec<&str> = log.lines().collect();
    assert_eq!(
        subjects,
        [
            "edit homestays/nha-lan (from the editor: Chị Lan chủ nhà, approved by Trưởng nhóm)",
            "edit homestays/nha-lan (from the editor: Trưởng nhóm)",
            "start"
        ],
        "{log}"
    );
}

#[test]
fn review_off_by_default_saves_at_once_and_a_wrong_setting_names_the_field_and_the_fix() {
    let s = site(&[("content/homestays/nha-lan.md", NHA)]);
    let ed = start(s.path(), &[]);
    let admin = pair(&ed.pair_link, "Trưởng nhóm");
    let lan = volunteer(&admin, &ed.base, "Điện thoại Lan");
    let r = save_one(
        &lan,
        &ed.base,
        "homestays/nha-lan",
        "f.price_from",
        "380000",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().contains("saved=1"));
    assert!(entry_file(s.path()).contains("price_from: 380000"));
    assert!(waiting_keys(&admin, &ed.base).is_empty());
    drop(ed);

    write(
        s.path(),
        "site.yaml",
        "title: T\nbase_url: https://t.example\neditor:\n  review: volunteers\n",
    );
    let out = build(s.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("review `volunteers` is not true or false")
            && err.contains("site.yaml:4")
            && err.contains("editor: { review: true }"),
        "{err}"
    );
}

#[test]
fn an_admin_on_a_390_px_phone_in_headless_chromium_finds_and_approves_a_waiting_change() {
    let s = review_site();
    let shots = std::env::var_os("WAYMARK_SCREENSHOTS")
        .map(|d| repo().join(d))
        .unwrap_or_else(|| s.path().join("shots"));
    let ed = start(s.path(), &[]);
    let admin = pair(&ed.pair_link, "Trưởng nhóm");
    let lan = volunteer(&admin, &ed.base, "Điện thoại Lan");
    let r = save_one(
        &lan,
        &ed.base,
        "homestays/nha-lan",
        "f.price_from",
        "420000",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // Another admin's phone, paired in the browser.
    let r = admin.post(
        &format!("{}/_edit/pair-another", ed.base),
        &[("csrf", &list_csrf(&admin, &ed.base)), ("role", "admin")],
        &[],
    );
    let i = r.body.find("/_edit/pair/").unwrap();
    let link = format!("{}{}", ed.base, &r.body[i..i + 12 + 32]);
    browser_checks(
        "review.mjs",
        &[ed.base.as_ref(), link.as_ref(), shots.as_ref()],
        &ed.log.lock().unwrap().join("\n"),
    );
    assert!(entry_file(s.path()).contains("price_from: 420000"));
}

#[test]
fn turned_off_her_waiting_version_and_its_photo_go_with_her_next_save() {
    let s = review_site();
    let ed = start(s.path(), &[]);
    let admin = pair(&ed.pair_link, "Trưởng nhóm");
    let lan = volunteer(&admin, &ed.base, "Điện thoại Lan");
    let fields = form_of(&lan, &ed.base, "homestays/nha-lan");
    let r = lan.post_multipart(
        &format!("{}/_edit/e/homestays/nha-lan", ed.base),
        &with(&fields, &[("f.price_from", Some("390000"))]),
        &[("photos", "Ảnh cổng.jpg", media::phone_jpeg(480, 360, 2))],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().contains("waiting=1"));
    // The team turns review off; her waiting version is still what her form shows.
    write(
        s.path(),
        "site.yaml",
        &REVIEW.replace("review: true", "review: false"),
    );
    let fields = form_of(&lan, &ed.base, "homestays/nha-lan");
    assert_eq!(value(&fields, "f.price_from"), Some("390000"));
    let r = save(
        &lan,
        &ed.base,
        "homestays/nha-lan",
        &with(&fields, &[("f.summary", Some("Nhà sàn Tày, cổng gỗ mới."))]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().contains("saved=1"));
    let file = read(s.path().join("content/homestays/nha-lan/index.md"));
    assert!(
        file.contains("price_from: 390000")
            && file.contains("cổng gỗ mới")
            && file.contains("anh-cong.jpg"),
        "{file}"
    );
    assert!(s
        .path()
        .join("content/homestays/nha-lan/anh-cong.jpg")
        .is_file());
    assert!(waiting_keys(&admin, &ed.base).is_empty());
    let page = lan
        .get(&format!("{}/_edit/e/homestays/nha-lan", ed.base))
        .body;
    assert!(!page.contains("data-waiting") && !page.contains("data-reviewed"));
}
