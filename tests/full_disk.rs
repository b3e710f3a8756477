//! A full disk under `serve --edit --publish`, as a small server's fills up with photos and logs:
//! a save that cannot be written says so and gives the person's words back, with every file as
//! it was; a publish that cannot be written leaves the live site as it was, the save is kept and
//! the editor says why it is not live; with space again, the next save goes live.
//!
//! The full disk is a small tmpfs mounted over the site's folders (scripts/test runs as root, or
//! with sudo, as it does to install Chromium and Caddy).

mod common;
use common::editor::*;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const NHA: &str = "---\ntitle: Nhà nghỉ Bản Hòa\nprice_from: 250000\nphone: \"0912 000 101\"\ndistrict: Văn Lãng\n---\n\nNhà sàn gỗ bên suối, có phòng cho 8 khách.\n";

/// A small tmpfs mounted at a folder, unmounted when dropped.
struct Small(PathBuf);

impl Small {
    fn mount(at: &Path, size: &str) -> Small {
        std::fs::create_dir_all(at).unwrap();
        let sudo = !is_root();
        let mut cmd = Command::new(if sudo { "sudo" } else { "mount" });
        if sudo {
            cmd.args(["-n", "mount"]);
        }
        let o = cmd
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .expect("mount");
        assert!(
            o.status.success(),
            "this test mounts a small tmpfs to fill (as root or with sudo, as scripts/test runs): {}",
            String::from_utf8_lossy(&o.stderr)
        );
        Small(at.to_path_buf())
    }

    /// Fill what is left with one file; its path, to remove to make space again.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let path = self.0.join("filler");
        let mut f = std::fs::File::create(&path).unwrap();
        let block = vec![0u8; 64 * 1024];
        loop {
            match f.write(&block) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
        // Then the last bytes, one small write at a time.
        while f.write(&[0u8; 512]).is_ok_and(|n| n > 0) {}
        path
    }
}

impl Drop for Small {
    fn drop(&mut self) {
        let umount = |prog: &str, args: &[&str]| {
            Command::new(prog)
                .args(args)
                .arg(&self.0)
                .status()
                .is_ok_and(|s| s.success())
        };
        if !umount("umount", &[]) {
            umount("sudo", &["-n", "umount", "-l"]);
        }
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn temp_names(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != "." && !n.starts_with(".waymark"))
        .collect()
}

#[test]
fn a_full_disk_loses_no_words_and_leaves_the_live_site_whole() {
    let s = site(&[("content/homestays/nha-hoa.md", NHA)]);
    let output = Small::mount(&s.path().join("output"), "4m");
    let ed = start(s.path(), &["--publish"]);
    ed.wait_for_log("published:");
    let page = s.path().join("output/site/homestays/nha-hoa/index.html");
    assert!(read(&page).contains("250.000"));
    let phone = pair(&ed.pair_link, "Chị Hòa");

    // The output's disk full: the save is kept, nothing is published, and the phone is told why.
    let live_before = tree(&s.path().join("output/site"));
    let filler = output.fill();
    let r = save_one(
        &phone,
        &ed.base,
        "homestays/nha-hoa",
        "f.price_from",
        "320000",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.header("location").unwrap().to_string();
    assert!(to.contains("live=full"), "{to}");
    let told = phone.get(&format!("{}{to}", ed.base)).body;
    assert!(
        told.contains("data-live=\"full\"") && told.contains("đầy"),
        "{told}"
    );
    assert!(read(s.path().join("content/homestays/nha-hoa.md")).contains("320000"));
    assert!(
        tree(&s.path().join("output/site")) == live_before,
        "the live site changed on a full disk"
    );
    assert!(read(&page).contains("250.000"));

    // Space again: the next save publishes both.
    std::fs::remove_file(filler).unwrap();
    let r = save_one(
        &phone,
        &ed.base,
        "homestays/nha-hoa",
        "f.phone",
        "0912 000 202",
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().contains("live=yes"));
    let live = read(&page);
    assert!(
        live.contains("320.000") && live.contains("0912 000 202"),
        "{live}"
    );
    drop(ed);
    drop(output);

    // The site's own disk full: the save is refused with her words in the form, and every
    // file is as it was, with no temporary file left behind.
    let content = s.path().join("content");
    let kept = tempfile::tempdir().unwrap();
    let copy = kept.path().join("content");
    std::fs::rename(&content, &copy).unwrap();
    let disk = Small::mount(&content, "1m");
    for e in walkdir::WalkDir::new(&copy).into_iter().flatten() {
        let to = content.join(e.path().strip_prefix(&copy).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let ed = start(s.path(), &["--publish"]);
    ed.wait_for_log("published:");
    let phone = pair(&ed.pair_link, "Chị Hòa");
    let fields = form_of(&phone, &ed.base, "homestays/nha-hoa");
    let before = read(content.join("homestays/nha-hoa.md"));
    let filler = disk.fill();
    let words = "Nhà sàn gỗ bên suối. Mùa lúa chín tháng chín, khách nên đặt trước hai tuần.";
    let her_save = || {
        let changed = [("body", Some(words)), ("f.price_from", Some("350000"))];
        save(
            &phone,
            &ed.base,
            "homestays/nha-hoa",
            &with(&fields, &changed),
        )
    };
    let r = her_save();
    assert_eq!(r.status, 507, "{}", r.body);
    assert!(r.body.contains(words), "her words come back: {}", r.body);
    assert!(r.body.contains("350000"), "{}", r.body);
    assert!(r.body.contains("đầy"), "{}", r.body);
    assert!(
        !r.body.contains("sửa các chỗ báo đỏ"),
        "no box is hers to fix: {}",
        r.body
    );
    assert_eq!(read(content.join("homestays/nha-hoa.md")), before);
    assert!(
        temp_names(&content).is_empty(),
        "{:?}",
        temp_names(&content)
    );

    // Space again: the same words save.
    std::fs::remove_file(filler).unwrap();
    let r = her_save();
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(read(content.join("homestays/nha-hoa.md")).contains("Mùa lúa chín"));
    drop(ed);
    drop(disk);
}
