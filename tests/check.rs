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
