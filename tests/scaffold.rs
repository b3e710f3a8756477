//! `waymark init` makes a site that builds at once; `waymark new` scaffolds entries that build,
//! pins their codes, and never overwrites.

mod common;
use common::*;
use std::process::Command;
use waymark::content::front_matter::{FIELDS, HOMESTAY_ONLY, RELIC_ONLY};

fn waymark(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn init_then_new_then_build() {
    let tmp = tempfile::tempdir().unwrap();
    let o = waymark(
        tmp.path(),
        &["init", "langson", "--title", "Di sản Văn Lãng"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let site = tmp.path().join("langson");
    let ignored = read(site.join(".gitignore"));
    assert!(
        ignored.contains("/output") && ignored.contains("/owner-links.yaml"),
        "{ignored}"
    );
    assert!(site.join("themes/default").is_dir());

    let o = waymark(&site, &["new", "relic", "Đền Kỳ Cùng"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let entry = read(site.join("content/relics/den-ky-cung/index.md"));
    // Every field a relic may have is in the scaffold, explained.
    let relic_fields = FIELDS.iter().filter(|f| !HOMESTAY_ONLY.contains(f));
    for field in relic_fields {
        assert!(
            entry.contains(&format!("{field}:")),
            "field {field} missing:\n{entry}"
        );
    }
    assert!(entry.contains("code: DKC"), "{entry}");
    assert!(read(site.join("plaques.lock")).contains("DKC: { page: relics/den-ky-cung }"));

    let o = waymark(&site, &["new", "homestay", "Nhà sàn Bác Chài"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stay = read(site.join("content/homestays/nha-san-bac-chai/index.md"));
    for field in FIELDS.iter().filter(|f| !RELIC_ONLY.contains(f)) {
        assert!(stay.contains(&format!("{field}:")), "field {field} missing");
    }

    let o = waymark(&site, &["new", "relic", "Đền Kỳ Cùng", "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site
        .join("content/relics/den-ky-cung/index.en.md")
        .is_file());

    let out = build_ok(&site);
    assert!(out.join("site/relics/den-ky-cung/index.html").is_file());
    assert!(out.join("site/en/relics/den-ky-cung/index.html").is_file());
    assert!(out.join("site/q/DKC/index.html").is_file());
    assert!(out
        .join("site/homestays/nha-san-bac-chai/index.html")
        .is_file());

    // The examples the homestay's comments give of what guests are told, uncommented, build
    // (a specialty's photo left out: the folder has none).
    let file = site.join("content/homestays/nha-san-bac-chai/index.md");
    let text = read(&file);
    let present: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once(':').map(|(k, _)| k))
        .filter(|k| !k.starts_with('#') && !k.starts_with(' '))
        .collect();
    let examples: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| {
            l.split_once(": ").is_some_and(|(k, _)| {
                let facts = [
                    "rooms",
                    "guests",
                    "check_in",
                    "check_out",
                    "amenities",
                    "languages",
                    "closed",
                    "specialties",
                    "wifi",
                    "bank",
                ];
                facts.contains(&k) && !present.contains(&k)
            })
        })
        .map(|l| l.replace(" photo: hong.jpg,", ""))
        .collect();
    assert!(
        examples.iter().any(|l| l.starts_with("specialties:")),
        "{text}"
    );
    let opened = text.replacen("---\n", &format!("---\n{}\n", examples.join("\n")), 1);
    std::fs::write(&file, opened).unwrap();
    build_ok(&site);
}

/// A fresh site made by `waymark init`, with one relic added by `waymark new`.
fn site_with(tmp: &tempfile::TempDir, title: &str) -> std::path::PathBuf {
    assert!(waymark(tmp.path(), &["init", "s"]).status.success());
    let site = tmp.path().join("s");
    assert!(waymark(&site, &["new", "relic", title]).status.success());
    site
}

#[test]
fn new_refuses_to_overwrite_and_init_refuses_a_site() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(&tmp, "Chùa Tiên");
    std::fs::write(site.join("content/relics/chua-tien/index.md"), "my work").unwrap();
    let o = waymark(&site, &["new", "relic", "Chùa Tiên"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("exists already"), "{}", stderr(&o));
    assert_eq!(
        read(site.join("content/relics/chua-tien/index.md")),
        "my work"
    );
    let o = waymark(tmp.path(), &["init", "s"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("a site exists here already"));
}

#[test]
fn two_new_entries_never_share_a_code() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(&tmp, "Chùa Tiên");
    assert!(waymark(&site, &["new", "relic", "Cầu Thành"])
        .status
        .success());
    let a = read(site.join("content/relics/chua-tien/index.md"));
    let b = read(site.join("content/relics/cau-thanh/index.md"));
    assert!(
        a.contains("code: CT\n") || a.contains("code: CHUATI\n"),
        "{a}"
    );
    let code = |t: &str| {
        t.lines()
            .find(|l| l.starts_with("code:"))
            .unwrap()
            .to_string()
    };
    assert_ne!(code(&a), code(&b));
    build_ok(&site);
}
