//! `waymark serve --edit --push REMOTE`: a site kept in one Git remote, edited from several
//! servers and laptops. Real git, a real bare repository as the remote, real servers.

mod common;
use common::editor::*;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const NHA: &str =
    "---\ntitle: Nhà Lan\nprice_from: 250000\nphone: \"0912 000 101\"\n---\n\nNhà sàn.\n";
const FILE: &str = "content/homestays/nha-lan.md";
const ID: &str = "homestays/nha-lan";

fn git(dir: &Path, args: &[&str]) -> String {
    common::git(dir, args).trim().to_string()
}

/// A site committed on `main` and pushed to a bare repository, and the clones made of it.
struct Shared {
    tmp: tempfile::TempDir,
    bare: PathBuf,
}

impl Shared {
    fn new() -> Shared {
        let s = site(&[
            (FILE, NHA),
            (".gitignore", "output/\n.waymark-cache/\nowner-links.yaml\n"),
        ]);
        // The codes pinned in plaques.lock, as a laptop commits a site.
        build_ok(s.path());
        let tmp = tempfile::tempdir().unwrap();
        let bare = tmp.path().join("remote.git");
        git(
            tmp.path(),
            &["init", "-q", "--bare", "-b", "main", "remote.git"],
        );
        git(s.path(), &["init", "-q", "-b", "main"]);
        identity(s.path(), "Laptop");
        git(s.path(), &["add", "-A"]);
        git(s.path(), &["commit", "-qm", "the site"]);
        git(s.path(), &["push", "-q", bare.to_str().unwrap(), "main"]);
        Shared { tmp, bare }
    }

    /// A clone of the remote (its `origin`), with a Git identity.
    fn clone(&self, name: &str) -> PathBuf {
        let to = self.tmp.path().join(name);
        git(
            self.tmp.path(),
            &[
                "clone",
                "-q",
                self.bare.to_str().unwrap(),
                to.to_str().unwrap(),
            ],
        );
        identity(&to, name);
        to
    }

    /// The remote's `main` at `path`.
    fn file(&self, path: &str) -> String {
        git(&self.bare, &["show", &format!("main:{path}")])
    }

    fn subject(&self) -> String {
        git(&self.bare, &["log", "-1", "--format=%s", "main"])
    }
}

fn identity(dir: &Path, name: &str) {
    git(dir, &["config", "user.name", name]);
    git(dir, &["config", "user.email", "volunteer@example.org"]);
}

/// Waits (at most `secs`) until `ok` holds.
fn eventually(what: &str, secs: u64, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !ok() {
        assert!(Instant::now() < deadline, "not within {secs} s: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_save_is_a_commit_on_the_remote_naming_the_phone_and_a_clone_of_it_builds() {
    let shared = Shared::new();
    let a = shared.clone("server-a");
    // --push alone: it implies --commit.
    let ed = start(&a, &["--push", "origin"]);
    ed.wait_for_log("git: each save is pushed to origin/main");
    let lan = pair(&ed.pair_link, "Điện thoại Lan");
    let r = save_one(&lan, &ed.base, ID, "f.price_from", "320000");
    assert_eq!(r.status, 303, "{}", r.body);
    eventually("the commit is on the remote", 30, || {
        shared.subject().contains("from the editor: Điện thoại Lan")
    });
    assert_eq!(
        shared.subject(),
        format!("edit {ID} (from the editor: Điện thoại Lan)")
    );
    assert!(shared.file(FILE).contains("price_from: 320000"));
    ed.wait_for_log("git: pushed 1 commit(s) to origin/main");
    let said = ed.log.lock().unwrap().join("\n");
    assert!(!said.contains("is not ignored by Git"), "{said}");
    assert_eq!(
        git(&a, &["rev-parse", "HEAD"]),
        git(&shared.bare, &["rev-parse", "main"])
    );
    // Anyone's clone (CI's, a laptop's) builds with it.
    let ci = shared.clone("ci");
    build_ok(&ci);
    let page = read(ci.join("output/site/homestays/nha-lan/index.html"));
    assert!(page.contains("320"), "{page}");
}

#[test]
fn a_save_on_one_server_reaches_the_other_by_its_timer_and_is_published_there() {
    let shared = Shared::new();
    let (a, b) = (shared.clone("server-a"), shared.clone("server-b"));
    let ed_a = start(&a, &["--push", "origin", "--pull-every", "3600s"]);
    let ed_b = start(&b, &["--push", "origin", "--pull-every", "1s", "--publish"]);
    ed_b.wait_for_log("published:");
    let live_b = || read(b.join("output/site/homestays/nha-lan/index.html"));
    assert!(!live_b().contains("987"), "not there yet");
    let lan = pair(&ed_a.pair_link, "Lan");
    let r = save_one(&lan, &ed_a.base, ID, "f.price_from", "987000");
    assert_eq!(r.status, 303, "{}", r.body);
    eventually("B's live site shows A's save", 60, || {
        live_b().contains("987")
    });
    ed_b.wait_for_log("git: took 1 commit(s) from origin/main");
    assert!(read(b.join(FILE)).contains("price_from: 987000"));
    assert_eq!(
        git(&b, &["rev-parse", "HEAD"]),
        git(&a, &["rev-parse", "HEAD"])
    );
    // B's own preview too.
    assert!(wait_for_page(
        &format!("{}/homestays/nha-lan/", ed_b.base),
        "987"
    ));
}

#[test]
fn a_remote_change_to_the_field_she_edits_is_a_clash_and_to_another_field_merges() {
    let shared = Shared::new();
    let a = shared.clone("server-a");
    // No timer to speak of: the fetch before each save takes the laptop's commit.
    let ed = start(&a, &["--push", "origin", "--pull-every", "3600s"]);
    ed.wait_for_log("git: each save is pushed");
    let lan = pair(&ed.pair_link, "Lan");
    let hoa = pair(&another_link(&lan, &ed.base), "Hoa");
    let lan_form = form_of(&lan, &ed.base, ID);
    let hoa_form = form_of(&hoa, &ed.base, ID);

    // A laptop pushes a new price while both forms are open.
    let laptop = shared.clone("laptop");
    std::fs::write(laptop.join(FILE), NHA.replace("250000", "300000")).unwrap();
    git(&laptop, &["commit", "-qam", "price from the owner's call"]);
    git(&laptop, &["push", "-q"]);

    // Lan changed the price too: the editor's clash, at that field, her value kept.
    let r = save(
        &lan,
        &ed.base,
        ID,
        &with(&lan_form, &[("f.price_from", Some("400000"))]),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("người khác đã đổi"), "{}", r.body);
    assert!(r.body.contains("300000"), "the laptop's price shown");
    let again = form_fields(&r.body);
    let price = again.iter().find(|(k, _)| k == "f.price_from").unwrap();
    assert_eq!(price.1, "400000", "the box holds what she typed");
    assert!(
        read(a.join(FILE)).contains("price_from: 300000"),
        "taken, not overwritten"
    );

    // Hoa changed the phone: saved on top of the laptop's price, and pushed.
    let r = save(
        &hoa,
        &ed.base,
        ID,
        &with(&hoa_form, &[("f.phone", Some("0987 654 321"))]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let file = read(a.join(FILE));
    assert!(
        file.contains("price_from: 300000") && file.contains("0987 654 321"),
        "{file}"
    );
    eventually("Hoa's commit is on the remote", 30, || {
        shared.subject().contains("from the editor: Hoa")
    });
    let there = shared.file(FILE);
    assert!(
        there.contains("price_from: 300000") && there.contains("0987 654 321"),
        "{there}"
    );
    assert_eq!(
        git(&shared.bare, &["log", "--format=%s", "main"])
            .lines()
            .count(),
        3,
        "the site, the laptop's, Hoa's: no merge commit"
    );
}

/// A volunteer's pairing link, made by the admin `admin` (*Ghép thêm điện thoại*).
fn another_link(admin: &Browser, base: &str) -> String {
    let list = admin.get(&format!("{base}/_edit/"));
    let i = list
        .body
        .find("name=\"csrf\" value=\"")
        .expect("a csrf token")
        + 19;
    let csrf = list.body[i..i + 32].to_string();
    let r = admin.post(
        &format!("{base}/_edit/pair-another"),
        &[("csrf", &csrf)],
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let i = r.body.find("/_edit/pair/").expect("a pairing link");
    format!("{base}{}", &r.body[i..i + 12 + 32])
}

/// A port where a server accepts connections and never answers: a dead link.
fn silent_server() -> (std::net::TcpListener, String) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/remote.git", l.local_addr().unwrap());
    (l, url)
}

#[test]
fn an_unreachable_remote_keeps_saves_local_without_hanging_and_they_go_once_it_is_back() {
    let shared = Shared::new();
    let a = shared.clone("server-a");
    // The admin's own limit for a stalled transfer: 20 s.
    git(&a, &["config", "http.lowSpeedLimit", "1000"]);
    git(&a, &["config", "http.lowSpeedTime", "20"]);
    let ed = start(&a, &["--push", "origin", "--pull-every", "1s"]);
    ed.wait_for_log("git: each save is pushed");
    let lan = pair(&ed.pair_link, "Lan");
    let remote_head = git(&shared.bare, &["rev-parse", "main"]);

    // A link that accepts and then says nothing: the save is not held for git's 20 s.
    let (_dead, url) = silent_server();
    git(&a, &["remote", "set-url", "origin", &url]);
    let asked = Instant::now();
    let r = save_one(&lan, &ed.base, ID, "f.price_from", "555000");
    let took = asked.elapsed();
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(took < Duration::from_secs(12), "the save waited {took:?}");
    assert!(read(a.join(FILE)).contains("price_from: 555000"));
    assert_eq!(
        git(&a, &["log", "-1", "--format=%s"]),
        format!("edit {ID} (from the editor: Lan)")
    );

    // The remote moved away.
    git(
        &a,
        &["remote", "set-url", "origin", shared.bare.to_str().unwrap()],
    );
    let away = shared.tmp.path().join("moved.git");
    std::fs::rename(&shared.bare, &away).unwrap();
    let r = save_one(&lan, &ed.base, ID, "f.phone", "0987 654 321");
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        git(&a, &["rev-list", "--count", "HEAD"]),
        "3",
        "both saves committed here"
    );
    ed.wait_for_log("git: cannot reach origin/main");
    let page = lan.get(&format!("{}/_edit/activity", ed.base));
    assert!(
        page.body
            .contains("2 thay đổi làm ở đây chưa có trên origin/main"),
        "{}",
        page.body
    );
    assert!(page.body.contains("không trả lời"), "{}", page.body);

    // Back: both commits go by the timer, nothing lost.
    std::fs::rename(&away, &shared.bare).unwrap();
    assert_eq!(
        git(&shared.bare, &["rev-parse", "main"]),
        remote_head,
        "nothing went"
    );
    git(
        &a,
        &["remote", "set-url", "origin", shared.bare.to_str().unwrap()],
    );
    eventually("both saves are on the remote", 60, || {
        git(&shared.bare, &["rev-parse", "main"]) == git(&a, &["rev-parse", "HEAD"])
    });
    let there = shared.file(FILE);
    assert!(
        there.contains("price_from: 555000") && there.contains("0987 654 321"),
        "{there}"
    );
    eventually("the activity page says all is sent", 10, || {
        lan.get(&format!("{}/_edit/activity", ed.base))
            .body
            .contains("Mọi thay đổi làm ở đây đã có trên origin/main")
    });
}

/// Server A with its remote moved away, `save` made there meanwhile by Lan (a commit on A
/// only), then what `laptop` does in its clone committed and pushed to the remote where it is,
/// and the remote put back.
struct Offline {
    a: PathBuf,
    ed: Editor,
    lan: Browser,
    /// A's commit of Lan's save, as made.
    mine: String,
}

fn saved_offline_while_a_laptop_pushes(
    shared: &Shared,
    save: impl FnOnce(&Browser, &str),
    laptop: impl FnOnce(&Path),
) -> Offline {
    let a = shared.clone("server-a");
    let dir = shared.clone("laptop");
    let ed = start(&a, &["--push", "origin", "--pull-every", "1s"]);
    ed.wait_for_log("git: each save is pushed");
    let lan = pair(&ed.pair_link, "Lan");
    let away = shared.tmp.path().join("moved.git");
    std::fs::rename(&shared.bare, &away).unwrap();
    save(&lan, &ed.base);
    ed.wait_for_log("git: cannot reach origin/main");
    let mine = git(&a, &["rev-parse", "HEAD"]);
    laptop(&dir);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "from the laptop"]);
    git(&dir, &["push", "-q", away.to_str().unwrap(), "main"]);
    std::fs::rename(&away, &shared.bare).unwrap();
    Offline { a, ed, lan, mine }
}

/// Lan's new price saved on A.
fn new_price(lan: &Browser, base: &str) {
    let r = save_one(lan, base, ID, "f.price_from", "300000");
    assert_eq!(r.status, 303, "{}", r.body);
}

/// The laptop's text of the entry.
fn laptop_writes(text: &str) -> impl FnOnce(&Path) + '_ {
    move |dir| std::fs::write(dir.join(FILE), text).unwrap()
}

#[test]
fn a_rejected_push_is_rebased_onto_the_remotes_commits_and_pushed() {
    let shared = Shared::new();
    // Lan changes the price; the laptop the text.
    let Offline {
        a,
        ed,
        lan,
        mine: before,
    } = saved_offline_while_a_laptop_pushes(
        &shared,
        new_price,
        laptop_writes(&NHA.replace("Nhà sàn.", "Nhà sàn bên suối.")),
    );

    // Rejected, rebased onto the laptop's commit, pushed: both on the remote, no merge commit.
    eventually("A's rebased commit is on the remote", 60, || {
        shared.file(FILE).contains("price_from: 300000")
    });
    assert_eq!(
        git(&shared.bare, &["rev-parse", "main"]),
        git(&a, &["rev-parse", "HEAD"])
    );
    ed.wait_for_log("has commits this server has not");
    ed.wait_for_log("git: put this server's 1 commit(s) after 1 from origin/main");
    let there = shared.file(FILE);
    assert!(
        there.contains("price_from: 300000") && there.contains("bên suối"),
        "{there}"
    );
    assert_eq!(
        git(&shared.bare, &["log", "--format=%s", "main"]),
        format!("edit {ID} (from the editor: Lan)\nfrom the laptop\nthe site")
    );
    eventually("A's preview shows both", 30, || {
        let page = http_get(&format!("{}/homestays/nha-lan/", ed.base)).1;
        page.contains("bên suối") && page.contains("300")
    });
    // The activity links to the commit as it is now.
    let now = git(&a, &["rev-parse", "HEAD"]);
    assert_ne!(now, before);
    let page = lan.get(&format!("{}/_edit/activity", ed.base)).body;
    assert!(page.contains(&format!("/_edit/activity/{now}")), "{page}");
    assert!(!page.contains(&before), "{page}");
}

#[test]
fn a_rejected_push_whose_rebase_conflicts_leaves_everything_here_and_says_so() {
    let shared = Shared::new();
    // Lan changes the price; the owner's laptop too, to another.
    let Offline { a, ed, lan, mine } = saved_offline_while_a_laptop_pushes(
        &shared,
        new_price,
        laptop_writes(&NHA.replace("250000", "400000")),
    );
    let text = read(a.join(FILE));
    let status = git(&a, &["status", "--porcelain"]);

    // The push is rejected; the rebase would conflict; nothing here moves.
    ed.wait_for_log("has commits this server has not");
    ed.wait_for_log("change the same fields or lines of content/homestays/nha-lan.md");
    assert_eq!(git(&a, &["rev-parse", "HEAD"]), mine);
    assert_eq!(git(&a, &["symbolic-ref", "HEAD"]), "refs/heads/main");
    assert_eq!(read(a.join(FILE)), text);
    assert_eq!(git(&a, &["status", "--porcelain"]), status);
    assert!(!a.join(".git/rebase-merge").exists() && !a.join(".git/rebase-apply").exists());
    assert!(
        shared.file(FILE).contains("price_from: 400000"),
        "the remote keeps the laptop's"
    );

    // Said to the admins, with the file and how to join it.
    let page = lan.get(&format!("{}/_edit/activity", ed.base)).body;
    assert!(
        page.contains("sửa cùng một chỗ (cùng ô, hoặc cùng dòng)"),
        "{page}"
    );
    assert!(
        page.contains("<li class=\"code\">content/homestays/nha-lan.md</li>"),
        "{page}"
    );
    assert!(page.contains("git rebase origin/main"), "{page}");

    // Saves go on meanwhile, committed here.
    let r = save_one(&lan, &ed.base, ID, "f.phone", "0987 654 321");
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(git(&a, &["rev-parse", "HEAD~1"]), mine);
    assert!(shared.file(FILE).contains("price_from: 400000"));
}

/// Git's own line merge of three texts fails: the case a field-by-field merge is for.
fn text_merge_conflicts(base: &str, ours: &str, theirs: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = [("ours", ours), ("base", base), ("theirs", theirs)]
        .iter()
        .map(|(name, text)| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect();
    let merged = Command::new("git")
        .args(["merge-file", "-p", "--quiet"])
        .args(&paths)
        .output()
        .unwrap();
    merged.status.code() == Some(1)
}

#[test]
fn fields_two_sides_added_to_one_entry_are_both_kept() {
    let shared = Shared::new();
    // Lan gives the homestay a summary on A; another editor its address: both new fields, both
    // placed right after the title by the editor's field order.
    let laptop = NHA.replace(
        "title: Nhà Lan\n",
        "title: Nhà Lan\naddress: Thôn Nà Riềng\n",
    );
    let summary = |lan: &Browser, base: &str| {
        let r = save_one(lan, base, ID, "f.summary", "Nhà sàn bên suối");
        assert_eq!(r.status, 303, "{}", r.body);
    };
    let Offline { a, ed, mine, .. } =
        saved_offline_while_a_laptop_pushes(&shared, summary, laptop_writes(&laptop));
    let saved = git(&a, &["show", &format!("{mine}:{FILE}")]) + "\n";
    assert!(text_merge_conflicts(NHA, &saved, &laptop), "{saved}");

    eventually("A's rebased commit is on the remote", 60, || {
        shared.file(FILE).contains("bên suối")
    });
    ed.wait_for_log("git: put this server's 1 commit(s) after 1 from origin/main");
    let there = shared.file(FILE);
    assert!(
        there.contains("summary: Nhà sàn bên suối") && there.contains("address: Thôn Nà Riềng"),
        "{there}"
    );
    assert_eq!(read(a.join(FILE)).trim_end(), there);
    assert_eq!(git(&a, &["status", "--porcelain"]), "");
    eventually("A's preview shows both", 30, || {
        let page = http_get(&format!("{}/homestays/nha-lan/", ed.base)).1;
        page.contains("bên suối") && page.contains("Nà Riềng")
    });
}

#[test]
fn codes_two_sides_pinned_for_new_entries_are_all_kept() {
    let shared = Shared::new();
    // A new relic on A, another on a laptop (whose build pins its code): both codes go in
    // plaques.lock at one place.
    let new_relic = |lan: &Browser, base: &str| {
        let r = lan.post(
            &format!("{base}/_edit/new"),
            &[
                ("csrf", &list_csrf(lan, base)),
                ("kind", "relic"),
                ("title", "Chùa Tiên"),
            ],
            &[],
        );
        assert_eq!(r.status, 303, "{}", r.body);
    };
    let laptop = |dir: &Path| {
        let file = dir.join("content/relics/den-mau.md");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, "---\ntitle: Đền Mẫu\n---\n\nĐền thờ Mẫu.\n").unwrap();
        build_ok(dir);
    };
    let Offline { a, ed, mine, .. } =
        saved_offline_while_a_laptop_pushes(&shared, new_relic, laptop);
    let code = |lock: &str, page: &str| {
        let line = lock.lines().find(|l| l.contains(page)).unwrap_or_default();
        line.trim()
            .split(':')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let ours = git(&a, &["show", &format!("{mine}:plaques.lock")]) + "\n";
    let theirs = shared.file("plaques.lock") + "\n";
    let (tien, mau) = (
        code(&ours, "relics/chua-tien"),
        code(&theirs, "relics/den-mau"),
    );
    assert!(!tien.is_empty() && !mau.is_empty(), "{ours}\n{theirs}");
    let base = git(&a, &["show", &format!("{mine}~1:plaques.lock")]) + "\n";
    assert!(
        text_merge_conflicts(&base, &ours, &theirs),
        "{ours}\n{theirs}"
    );

    eventually("A's rebased commit is on the remote", 60, || {
        let tree = git(&shared.bare, &["ls-tree", "-r", "--name-only", "main"]);
        tree.contains("content/relics/chua-tien/index.md")
    });
    ed.wait_for_log("git: put this server's 1 commit(s) after 1 from origin/main");
    let lock = shared.file("plaques.lock");
    assert_eq!(code(&lock, "relics/chua-tien"), tien, "{lock}");
    assert_eq!(code(&lock, "relics/den-mau"), mau, "{lock}");
    // A clone of the remote builds, with both codes where they were pinned.
    let ci = shared.clone("ci");
    build_ok(&ci);
    assert_eq!(read(ci.join("plaques.lock")), read(a.join("plaques.lock")));
    assert!(ci.join(format!("output/site/q/{tien}/index.html")).exists());
    assert!(ci.join(format!("output/site/q/{mau}/index.html")).exists());
}

#[test]
fn push_is_refused_at_start_without_a_repository_a_known_remote_or_a_branch() {
    let serve = |dir: &Path, extra: &[&str]| {
        Command::new(bin())
            .args(["serve", "--port", "0", "--site"])
            .arg(dir)
            .args(extra)
            .output()
            .unwrap()
    };
    let s = site(&[(FILE, NHA)]);
    let o = serve(s.path(), &["--edit", "--push", "origin"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not in a Git repository"),
        "{}",
        stderr(&o)
    );
    // --commit alone too: else every save would be saved and never committed, said only in
    // the server's log.
    let o = serve(s.path(), &["--edit", "--commit"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--commit") && stderr(&o).contains("git init"),
        "{}",
        stderr(&o)
    );

    git(s.path(), &["init", "-q", "-b", "main"]);
    identity(s.path(), "T");
    git(s.path(), &["add", "-A"]);
    git(s.path(), &["commit", "-qm", "site"]);
    let o = serve(s.path(), &["--edit", "--push", "origin"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no remote `origin`"), "{}", stderr(&o));
    let o = serve(
        s.path(),
        &["--edit", "--push", "https://me:s3cr3t@example.org/r.git"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("name of a remote"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("s3cr3t"), "{}", stderr(&o));

    git(s.path(), &["remote", "add", "origin", "/nowhere/r.git"]);
    git(s.path(), &["checkout", "-q", "--detach"]);
    let o = serve(s.path(), &["--edit", "--push", "origin"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("detached"), "{}", stderr(&o));

    // Without the editor there is nothing to push; --pull-every needs --push.
    let o = serve(s.path(), &["--push", "origin"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--edit"), "{}", stderr(&o));
    let o = serve(s.path(), &["--edit", "--pull-every", "5m"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--push"), "{}", stderr(&o));

    let help = Command::new(bin())
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("--push <REMOTE>") && help.contains("implies --commit"),
        "{help}"
    );
    assert!(help.contains("--pull-every <INTERVAL>"), "{help}");
}

/// README's lines for an admin's own git: her rebases join entry files field by field too, and
/// a field both sides changed stops with git's marks, each side named as git names it.
#[test]
fn an_admins_own_git_merges_with_waymark_merge_file_as_the_readme_says() {
    let shared = Shared::new();
    let (here, there) = (shared.clone("admin"), shared.clone("other"));
    let driver = format!("{} merge-file %O %A %B %P %X %Y %S", bin().display());
    git(&here, &["config", "merge.waymark.driver", &driver]);
    std::fs::write(
        here.join(".git/info/attributes"),
        "*.md merge=waymark\nplaques.lock merge=waymark\n",
    )
    .unwrap();
    let edit = |dir: &Path, from: &str, to: &str, what: &str| {
        let text = read(dir.join(FILE));
        std::fs::write(dir.join(FILE), text.replace(from, to)).unwrap();
        git(dir, &["commit", "-qam", what]);
    };
    // Different fields: joined.
    edit(
        &there,
        "title: Nhà Lan\n",
        "title: Nhà Lan\naddress: Thôn Nà Riềng\n",
        "address",
    );
    git(&there, &["push", "-q", "origin", "main"]);
    edit(
        &here,
        "title: Nhà Lan\n",
        "title: Nhà Lan\nsummary: Nhà sàn\n",
        "summary",
    );
    git(&here, &["pull", "-q", "--rebase", "origin", "main"]);
    let joined = read(here.join(FILE));
    assert!(
        joined.contains("address: Thôn Nà Riềng") && joined.contains("summary: Nhà sàn"),
        "{joined}"
    );
    // One field, two values: stopped, marked, each side named.
    edit(&there, "250000", "400000", "the laptop's price");
    git(&there, &["push", "-q", "origin", "main"]);
    edit(&here, "250000", "300000", "the server's price");
    git(&here, &["fetch", "-q", "origin"]);
    let stopped = Command::new("git")
        .arg("-C")
        .arg(&here)
        .args(["rebase", "origin/main"])
        .output()
        .unwrap();
    assert!(!stopped.status.success());
    let marked = read(here.join(FILE));
    assert!(
        marked.contains("<<<<<<< ") && marked.contains("price_from: 400000"),
        "{marked}"
    );
    assert!(
        marked.contains("the server's price"),
        "this side's commit is named: {marked}"
    );
    git(&here, &["rebase", "--abort"]);
}

/// A commit made by hand with git's conflict marks left in (a rebase continued too soon) is not
/// sent: every server would take a site that does not build. Fixed and committed, it goes.
#[test]
fn a_commit_holding_conflict_marks_is_not_sent() {
    let shared = Shared::new();
    let a = shared.clone("server-a");
    let ed = start(&a, &["--push", "origin", "--pull-every", "1s"]);
    ed.wait_for_log("git: each save is pushed");
    let before = git(&shared.bare, &["rev-parse", "main"]);
    let marked = NHA.replace(
        "Nhà sàn.\n",
        "<<<<<<< HEAD\nNhà sàn.\n=======\nNhà sàn gỗ.\n>>>>>>> 0abbc15 (laptop)\n",
    );
    std::fs::write(a.join(FILE), marked).unwrap();
    git(&a, &["commit", "-qam", "continued too soon"]);
    ed.wait_for_log("hold git's conflict marks");
    assert_eq!(git(&shared.bare, &["rev-parse", "main"]), before);
    std::fs::write(a.join(FILE), NHA.replace("Nhà sàn.", "Nhà sàn gỗ.")).unwrap();
    git(&a, &["commit", "-qam", "fixed"]);
    eventually("the fixed commits are sent", 30, || {
        shared.file(FILE).contains("Nhà sàn gỗ.")
    });
}

/// `waymark merge-file` by hand: a clean merge replaces OURS; a missing version is named, with
/// the order git gives them, and nothing is written.
#[test]
fn merge_file_merges_in_place_and_names_a_missing_version() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let base = file("base", NHA);
    let ours = file("ours", &NHA.replace("250000", "300000"));
    let theirs = file("theirs", &NHA.replace("0912 000 101", "0988 111 222"));
    let run = |args: &[&std::ffi::OsStr]| {
        Command::new(bin())
            .arg("merge-file")
            .args(args)
            .output()
            .unwrap()
    };
    let o = run(&[
        base.as_os_str(),
        ours.as_os_str(),
        theirs.as_os_str(),
        FILE.as_ref(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let merged = read(&ours);
    assert!(
        merged.contains("price_from: 300000") && merged.contains("0988 111 222"),
        "{merged}"
    );
    let missing = dir.path().join("gone");
    let o = run(&[
        base.as_os_str(),
        ours.as_os_str(),
        missing.as_os_str(),
        FILE.as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read") && stderr(&o).contains("gone"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read(&ours), merged, "nothing written");
}
