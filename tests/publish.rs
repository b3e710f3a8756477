//! `waymark serve --edit --publish`: a save is in `output/site/` (as `waymark build` writes it)
//! when the editor answers, and says so; a change that does not build publishes nothing and
//! the live site stays whole.

mod common;
use common::editor::*;
use common::*;
use std::path::Path;
use std::time::{Duration, Instant};

const NHA: &str =
    "---\ntitle: Nhà Lan\nprice_from: 250000\nphone: \"0912 000 101\"\n---\n\nNhà sàn.\n";

fn live_page(site: &Path) -> String {
    read(site.join("output/site/homestays/nha-lan/index.html"))
}

#[test]
fn a_save_is_live_when_the_editor_answers_and_a_broken_change_publishes_nothing() {
    let s = site(&[("content/homestays/nha-lan.md", NHA)]);
    let ed = start(s.path(), &["--publish"]);
    ed.wait_for_log("published:");
    assert!(live_page(s.path()).contains("250"), "published at start");

    let b = pair(&ed.pair_link, "Lan");
    let r = save_one(&b, &ed.base, "homestays/nha-lan", "f.price_from", "320000");
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.header("location").unwrap().to_string();
    assert!(to.contains("live=yes"), "{to}");
    // Live the moment the editor answers, built as `waymark build` builds it.
    let live = live_page(s.path());
    assert!(live.contains("320") && !live.contains("250.000"), "{live}");
    // From the kept model, patched: the site is not loaded again for a price.
    let log = ed.log.lock().unwrap().join("\n");
    let after_save = &log[log.find("saved homestays/nha-lan").unwrap()..];
    assert!(
        after_save.contains("updated the page(s) of 1 file(s)") && !after_save.contains("rebuilt"),
        "{log}"
    );
    let page = b.get(&format!("{}{to}", ed.base)).body;
    assert!(page.contains("data-live=\"yes\""), "{page}");
    assert!(
        page.contains(&format!("{}/homestays/nha-lan/", ed.base)),
        "{page}"
    );

    // The same form saved again changes nothing, and says so of the live site, not a preview.
    let r = save_one(&b, &ed.base, "homestays/nha-lan", "f.price_from", "320000");
    let to = r.header("location").unwrap().to_string();
    assert!(to.contains("live=same"), "{to}");
    let page = b.get(&format!("{}{to}", ed.base)).body;
    assert!(
        page.contains("data-live=\"same\"") && page.contains("vẫn như cũ"),
        "{page}"
    );
    assert!(!page.contains("Trang xem trước"), "{page}");

    // A file broken on disk (not through the editor): nothing is published.
    let before = live_page(s.path());
    let current = std::fs::read_link(s.path().join("output/current")).unwrap();
    std::fs::write(
        s.path().join("content/homestays/nha-lan.md"),
        "---\ntitle: [unclosed\n---\n",
    )
    .unwrap();
    ed.wait_for_log("not published");
    assert_eq!(live_page(s.path()), before, "the live site stays as it was");
    assert_eq!(
        std::fs::read_link(s.path().join("output/current")).unwrap(),
        current
    );

    // A fresh `waymark build` of the final content makes the same page the server published.
    std::fs::write(s.path().join("content/homestays/nha-lan.md"), {
        let mut t = NHA.replace("250000", "410000");
        t.push('\n');
        t
    })
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !live_page(s.path()).contains("410") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let published = live_page(s.path());
    drop(ed);
    let fresh = tempfile::tempdir().unwrap();
    let out = build(
        s.path(),
        &["--out", fresh.path().to_str().unwrap(), "--force"],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        read(fresh.path().join("site/homestays/nha-lan/index.html")),
        published
    );
}

#[test]
fn a_public_url_with_a_path_or_another_scheme_is_refused_with_the_fix() {
    let s = site(&[("content/homestays/nha-lan.md", NHA)]);
    for bad in [
        "https://edit.example.org/waymark",
        "ftp://edit.example.org",
        "edit.example.org",
    ] {
        let out = std::process::Command::new(bin())
            .args(["serve", "--edit", "--public-url", bad, "--site"])
            .arg(s.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--public-url") && err.contains("https://"),
            "{bad}: {err}"
        );
    }
}

/// A site of `n` homestays, so that a publish takes long enough to be cut in the middle.
fn many(n: usize) -> tempfile::TempDir {
    let files: Vec<(String, String)> = (0..n)
        .map(|i| {
            (
                format!("content/homestays/nha-{i}.md"),
                format!(
                    "---\ntitle: Nhà số {i}\nprice_from: {}\n---\n\nNhà sàn số {i}.\n",
                    200_000 + i
                ),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    site(&refs)
}

#[test]
fn a_publish_killed_midway_leaves_the_live_site_whole_and_a_restart_serves_and_keeps_the_phone() {
    let s = many(150);
    let ed = start(s.path(), &["--publish"]);
    ed.wait_for_log("published:");
    let before = tree(&s.path().join("output/site"));
    let lan = pair(&ed.pair_link, "Lan");
    let fields = form_of(&lan, &ed.base, "homestays/nha-7");
    let changed = with(&fields, &[("f.price_from", Some("999000"))]);
    // The save goes on in another thread; the server is killed (SIGKILL) while it publishes.
    let base = ed.base.clone();
    let phone = lan.clone();
    let saving = std::thread::spawn(move || save(&phone, &base, "homestays/nha-7", &changed));
    let deadline = Instant::now() + Duration::from_secs(30);
    // The save is written, then the watcher's rebuild publishes it: killed in between or while it
    // writes the new generation.
    let publishing = |log: &[String]| log.iter().any(|l| l.contains("saved homestays/nha-7"));
    while !publishing(&ed.log.lock().unwrap()) {
        assert!(
            Instant::now() < deadline,
            "the save did not happen: {:?}",
            ed.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(Duration::from_millis(60));
    let cut_short = ed
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains("published:"))
        .nth(1)
        .is_none();
    drop(ed);
    let _ = saving.join();
    eprintln!("killed while publishing: {cut_short}");

    // Whole: the site before the save, or the site after it, never a mix.
    let after_kill = tree(&s.path().join("output/site"));
    let fresh = tempfile::tempdir().unwrap();
    let out = build(
        s.path(),
        &["--out", fresh.path().to_str().unwrap(), "--force"],
    );
    assert!(out.status.success(), "{out:?}");
    let next = tree(&fresh.path().join("site"));
    assert!(
        after_kill == before || after_kill == next,
        "the live site is neither the previous nor the next one"
    );

    // A restart publishes what is on disk and knows the phone.
    let ed = start(s.path(), &["--publish"]);
    ed.wait_for_log("published:");
    assert_eq!(lan.get(&format!("{}/_edit/", ed.base)).status, 200);
    assert!(
        tree(&s.path().join("output/site")) == next,
        "the restart published the saved site"
    );
}

#[test]
fn with_a_deploy_target_in_site_yaml_each_publish_goes_to_the_pages_branch() {
    let s = site(&[("content/homestays/nha-lan.md", NHA)]);
    let remote = tempfile::tempdir().unwrap();
    let git = |dir: &Path, args: &[&str]| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    git(remote.path(), &["init", "-q", "--bare"]);
    git(s.path(), &["init", "-q"]);
    git(
        s.path(),
        &["remote", "add", "origin", remote.path().to_str().unwrap()],
    );
    let yaml = s.path().join("site.yaml");
    std::fs::write(&yaml, format!("{}\ndeploy: git:pages\n", read(&yaml))).unwrap();

    let ed = start(s.path(), &["--publish"]);
    ed.wait_for_log("deployed to");
    let page = |rev: &str| {
        git(
            remote.path(),
            &["show", &format!("{rev}:homestays/nha-lan/index.html")],
        )
    };
    assert!(page("pages").contains("Nhà Lan"));

    let lan = pair(&ed.pair_link, "Lan");
    let r = save_one(
        &lan,
        &ed.base,
        "homestays/nha-lan",
        "f.price_from",
        "380000",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().contains("live=yes"));
    // Live means deployed: the branch holds the new price when the editor says so.
    assert!(page("pages").contains("380"), "{}", page("pages"));
    assert_eq!(
        git(remote.path(), &["rev-list", "--count", "pages"]).trim(),
        "2"
    );
}

/// What a writer changes under the site lock (a rebase of `--push` passes through the remote's
/// files without this server's commits; a save writes several files) is never published half
/// made: the server reads the files once the lock is let go.
#[test]
fn files_changed_under_the_site_lock_are_published_as_they_are_when_it_is_let_go() {
    let s = site(&[("content/homestays/nha-lan.md", NHA)]);
    let ed = start(s.path(), &["--publish"]);
    ed.wait_for_log("published:");
    let file = s.path().join("content/homestays/nha-lan.md");
    // Live once: the watcher is at work (it starts after the first publish).
    let deadline = Instant::now() + Duration::from_secs(20);
    while !live_page(s.path()).contains("500.000") {
        assert!(Instant::now() < deadline, "an edit is not published");
        std::fs::write(&file, NHA.replace("250000", "500000")).unwrap();
        std::thread::sleep(Duration::from_millis(300));
    }
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(s.path().join(".waymark-cache/lock"))
        .unwrap();
    lock.lock().unwrap();
    std::fs::write(&file, NHA.replace("250000", "913000")).unwrap();
    // Long enough for the watcher to take the half-made state.
    std::thread::sleep(Duration::from_millis(800));
    std::fs::write(&file, NHA.replace("250000", "786000")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        live_page(s.path()).contains("500.000"),
        "nothing published under the lock"
    );
    lock.unlock().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let live = live_page(s.path());
        assert!(
            !live.contains("913.000"),
            "the half-made state was published"
        );
        if live.contains("786.000") {
            break;
        }
        assert!(Instant::now() < deadline, "not published after the lock");
        std::thread::sleep(Duration::from_millis(2));
    }
}
