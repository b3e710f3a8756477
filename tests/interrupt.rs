//! Killing a build at any moment (SIGKILL or SIGINT) leaves output/site whole: the old site or
//! the new one, never a mix.

mod common;
use common::*;
use std::process::{Command, Stdio};
use std::time::Instant;

fn make_site(n: usize, version: &str) -> tempfile::TempDir {
    let s = site(&[]);
    for i in 0..n {
        write(
            s.path(),
            &format!("content/relics/den-{i:04}.md"),
            &format!(
                "---\ntitle: Đền số {i}\nlocation: {{ lat: {}, lon: {} }}\n---\n\n{version} {}\n",
                21.5 + (i % 50) as f64 * 0.01,
                106.5 + (i / 50) as f64 * 0.01,
                "Nội dung. ".repeat(50)
            ),
        );
    }
    s
}

fn set_version(root: &std::path::Path, n: usize, version: &str) {
    for i in 0..n {
        let p = root.join(format!("content/relics/den-{i:04}.md"));
        let text = read(&p);
        let (head, _) = text.rsplit_once("\n\n").unwrap();
        std::fs::write(
            &p,
            format!("{head}\n\n{version} {}\n", "Nội dung. ".repeat(50)),
        )
        .unwrap();
    }
}

#[test]
fn killed_builds_leave_the_old_site_or_the_new_one() {
    let n = 300;
    let s = make_site(n, "old");
    let site_dir = s.path().join("output/site");
    let o = build(s.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let old = tree(&site_dir);

    // How long a whole build takes here, to spread the kills across it.
    set_version(s.path(), n, "new");
    let start = Instant::now();
    let mut probe = Command::new(bin())
        .args(["build", "--site"])
        .arg(s.path())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    probe.wait().unwrap();
    let full = start.elapsed();
    let new = tree(&site_dir);
    assert_ne!(old, new);

    // Back and forth between the two versions, killing each build somewhere along the way.
    let mut seen_old = 0;
    let mut seen_new = 0;
    for attempt in 0..10u32 {
        let version = if attempt % 2 == 0 { "old" } else { "new" };
        set_version(s.path(), n, version);
        let mut child = Command::new(bin())
            .args(["build", "--site"])
            .arg(s.path())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Deterministic spread from 5% to 140% of a full build, so that some builds finish.
        let at = full.mul_f64(0.05 + 1.35 * f64::from((attempt * 7) % 10) / 9.0);
        if attempt == 4 {
            // One build runs to the end, so that both sites are seen whatever the timing.
            child.wait().unwrap();
        } else {
            std::thread::sleep(at);
        }
        if attempt % 3 == 0 {
            // Ctrl-C, as a terminal sends it.
            let sent = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .unwrap();
            assert!(sent.success());
        } else {
            let _ = child.kill();
        }
        child.wait().unwrap();
        let now = tree(&site_dir);
        if now == old {
            seen_old += 1;
        } else if now == new {
            seen_new += 1;
        } else {
            panic!("after a kill at {at:?} the site is neither the old nor the new one");
        }
    }
    eprintln!("after the kills: {seen_old} times the old site, {seen_new} times the new one");
    assert!(seen_old + seen_new == 10);
    assert!(seen_old > 0 && seen_new > 0, "both sites were seen");
    // A build that runs to the end still works after all that.
    set_version(s.path(), n, "new");
    build_ok(s.path());
    assert_eq!(tree(&site_dir), new);
}

/// A second build of the same site waits for the first (it could otherwise delete cached plaques
/// the first is linking into its output), says so, and then builds.
#[test]
fn a_second_build_of_a_site_waits_for_the_first() {
    let s = make_site(3, "một");
    build_ok(s.path());
    // This test plays the first build: it holds the site's lock.
    let lock = std::fs::File::open(s.path().join(".waymark-cache/lock")).unwrap();
    lock.lock().unwrap();
    let mut second = Command::new(bin())
        .args(["build", "--site"])
        .arg(s.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(second.try_wait().unwrap().is_none(), "it waited");
    drop(lock);
    let done = second.wait_with_output().unwrap();
    assert!(done.status.success());
    let err = String::from_utf8_lossy(&done.stderr);
    assert!(err.contains("waiting for another waymark run"), "{err}");
}
