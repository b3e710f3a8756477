//! `waymark check` reports every problem at once and writes nothing.

mod common;
use common::*;
use std::process::Command;

fn check(site: &std::path::Path) -> (Option<i32>, String) {
    let o = Command::new(bin())
        .args(["check", "--site"])
        .arg(site)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn example_passes_with_translation_warnings_and_writes_nothing() {
    let site = example();
    let lock_before = read(site.path().join("plaques.lock"));
    let (code, out) = check(site.path());
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("warning: no translation into zh"), "{out}");
    assert!(out.contains("content/relics/mau-son.md"), "{out}");
    assert!(!site.path().join("output").exists(), "check wrote output");
    assert_eq!(read(site.path().join("plaques.lock")), lock_before);
}

#[test]
fn reports_every_error_and_ledger_breaks() {
    let s = site(&[
        (
            "content/relics/a.md",
            "---\ntitle: A\ncode: A1\n---\n[x](../gone.md)\n",
        ),
        (
            "content/relics/b.md",
            "---\ntitle: B\nlocation: { lat: 106.7, lon: 21.8 }\n---\n",
        ),
        (
            "plaques.lock",
            "version: 1\ncodes:\n  A1: { page: relics/a }\n  OLD: { page: relics/removed }\n",
        ),
    ]);
    let (code, out) = check(s.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("content/relics/b.md:3") && out.contains("look swapped"),
        "{out}"
    );
    // Field errors stop the check before the model (links, ledger); those are reported once fields are valid.
    let s2 = site(&[
        ("content/relics/a.md", "---\ntitle: A\ncode: A1\n---\n"),
        (
            "plaques.lock",
            "version: 1\ncodes:\n  A1: { page: relics/a }\n  OLD: { page: relics/removed }\n",
        ),
    ]);
    let (code, out) = check(s2.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("plaque code OLD leads to relics/removed, which no longer exists"),
        "{out}"
    );
}

#[test]
fn tag_names_that_name_no_tag_and_unnamed_tags_are_warned() {
    let yaml = "title: Test\nbase_url: https://t.example\nlanguages: [vi, en]\n\
tag_names:\n  lịch su: { en: History }\n";
    let s = site(&[
        ("site.yaml", yaml),
        (
            "content/relics/a.md",
            "---\ntitle: Đền\ntags: [lịch sử, hang động]\n---\nChữ.\n",
        ),
        ("content/relics/a.en.md", "---\ntitle: Temple\n---\nText.\n"),
    ]);
    let (code, out) = check(s.path());
    assert_eq!(code, Some(0), "warnings only: {out}");
    // Names are matched by slug: `lịch su` names the tag `lịch sử`.
    assert!(!out.contains("no entry has the tag `lịch su`"), "{out}");
    assert!(
        out.contains("the tag `hang động` has no name in en"),
        "{out}"
    );
    assert!(!out.contains("the tag `lịch sử` has no name"), "{out}");

    let typo = yaml.replace("lịch su:", "lich xu:");
    write(s.path(), "site.yaml", &typo);
    let (_, out) = check(s.path());
    assert!(
        out.contains("tag_names: no entry has the tag `lich xu`"),
        "{out}"
    );
    assert!(out.contains("site.yaml:5"), "{out}");
    assert!(out.contains("did you mean `lịch sử`"), "{out}");
}

#[test]
fn a_price_written_short_or_zero_is_warned_of_at_its_line() {
    let s = site(&[
        (
            "content/homestays/nha-lan.md",
            "---\ntitle: Nhà Lan\nprice_from: 250\n---\n",
        ),
        (
            "content/homestays/nha-moc.md",
            "---\ntitle: Nhà Mộc\nsummary: Nhà gỗ.\nprice_from: 0\n---\n",
        ),
        (
            "content/homestays/nha-suoi.md",
            "---\ntitle: Nhà Suối\nprice_from: 1000\n---\n",
        ),
    ]);
    let (code, out) = check(s.path());
    assert_eq!(code, Some(0), "warnings only: {out}");
    assert!(out.contains("content/homestays/nha-lan.md:3"), "{out}");
    assert!(out.contains("`price_from: 250` is 250 đồng"), "{out}");
    assert!(out.contains("price_from: 250000"), "the fix: {out}");
    assert!(out.contains("content/homestays/nha-moc.md:4"), "{out}");
    assert!(out.contains("leave `price_from` out"), "{out}");
    assert!(!out.contains("nha-suoi.md:3"), "1.000đ is a price: {out}");
}

/// A file an admin left half-merged (git's conflict marks in its text) never goes live.
#[test]
fn conflict_marks_left_by_a_merge_stop_the_build_at_their_line() {
    let s = site(&[(
        "content/homestays/nha-lan.md",
        "---\ntitle: Nhà Lan\n---\n\n<<<<<<< HEAD\nNhà sàn bên suối.\n=======\nNhà sàn gỗ.\n>>>>>>> 8c47bb6 (edit homestays/nha-lan)\n",
    ), (
        "content/relics/den.md",
        "---\ntitle: Đền\n---\n\nTiêu đề\n=======\n\nMột tiêu đề gạch dưới là Markdown, không phải dấu.\n",
    )]);
    let (code, out) = check(s.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("content/homestays/nha-lan.md:5"), "{out}");
    assert!(out.contains("marks of a merge"), "{out}");
    assert!(!out.contains("content/relics/den.md"), "{out}");
}
