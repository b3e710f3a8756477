//! Bad content is reported with the file, the line and a fix; it never panics, exits 1,
//! and leaves the previous output whole.

mod common;
use common::*;

fn fails_with(site: &std::path::Path) -> String {
    let o = build(site, &[]);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "expected exit 1, got {:?}:\n{err}",
        o.status.code()
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn unknown_field_names_file_line_and_suggests() {
    let s = site(&[(
        "content/relics/den.md",
        "---\ntitle: Đền\ndistrct: Văn Lãng\n---\nx\n",
    )]);
    let err = fails_with(s.path());
    assert!(err.contains("content/relics/den.md:3"), "{err}");
    assert!(err.contains("unknown field `distrct`"), "{err}");
    assert!(err.contains("did you mean `district`?"), "{err}");
    assert!(
        err.contains("3 | distrct: Văn Lãng"),
        "shows the line: {err}"
    );
}

#[test]
fn yaml_syntax_error_counts_the_front_matter_offset() {
    let s = site(&[(
        "content/relics/den.md",
        "---\ntitle: Đền\nsummary: [unclosed\ntags: [a]\n---\nx\n",
    )]);
    let err = fails_with(s.path());
    assert!(err.contains("content/relics/den.md:"), "{err}");
    let line: usize = err
        .split("content/relics/den.md:")
        .nth(1)
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (3..=5).contains(&line),
        "line {line} should be within the front matter: {err}"
    );
}

#[test]
fn wrong_type_and_out_of_range_values() {
    let s = site(&[
        (
            "content/relics/a.md",
            "---\ntitle: A\nlocation: { lat: \"hai mươi\", lon: 106 }\n---\n",
        ),
        (
            "content/relics/b.md",
            "---\ntitle: B\nlocation: { lat: 121.8, lon: 106.7 }\n---\n",
        ),
        ("content/relics/c.md", "---\ntitle: C\ncode: abc\n---\n"),
        (
            "content/homestays/d.md",
            "---\ntitle: D\nbooking_url: javascript:alert(1)\n---\n",
        ),
    ]);
    let err = fails_with(s.path());
    assert!(err.contains("content/relics/a.md:3"), "{err}");
    assert!(
        err.contains("content/relics/b.md:3") && err.contains("not on Earth"),
        "{err}"
    );
    assert!(
        err.contains("content/relics/c.md:3") && err.contains("plaque code `abc`"),
        "{err}"
    );
    assert!(
        err.contains("content/homestays/d.md:3") && err.contains("not a web address"),
        "{err}"
    );
    assert!(err.contains("4 error(s)"), "every problem at once: {err}");
}

#[test]
fn missing_title_unclosed_front_matter_empty_file_and_bad_utf8() {
    let s = site(&[
        ("content/relics/a.md", "---\nsummary: x\n---\n"),
        ("content/relics/b.md", "---\ntitle: B\n\nNo closing line.\n"),
        ("content/relics/c.md", ""),
    ]);
    std::fs::write(
        s.path().join("content/relics/d.md"),
        b"---\ntitle: \xff\xfe\n---\n",
    )
    .unwrap();
    let err = fails_with(s.path());
    assert!(
        err.contains("content/relics/a.md") && err.contains("missing field `title`"),
        "{err}"
    );
    assert!(
        err.contains("content/relics/b.md:1") && err.contains("not closed"),
        "{err}"
    );
    assert!(
        err.contains("content/relics/c.md") && err.contains("empty"),
        "{err}"
    );
    assert!(
        err.contains("content/relics/d.md:2") && err.contains("UTF-8"),
        "{err}"
    );
}

#[test]
fn bom_crlf_emoji_and_rtl_are_accepted() {
    let s = site(&[(
        "content/relics/a.md",
        "\u{feff}---\r\ntitle: \"Đền 🏯 مرحبا\"\r\n---\r\n\r\nBody ✨\r\n",
    )]);
    let out = build_ok(s.path());
    let page = read(out.join("site/relics/a/index.html"));
    assert!(page.contains("Đền 🏯 مرحبا"));
}

#[test]
fn translation_rules() {
    let s = site(&[
        ("content/relics/a.md", RELIC),
        (
            "content/relics/a.en.md",
            "---\ntitle: A\nlocation: { lat: 1, lon: 2 }\n---\n",
        ),
        ("content/relics/orphan.en.md", "---\ntitle: Orphan\n---\n"),
        ("content/relics/b.fr.md", "---\ntitle: B\n---\n"),
    ]);
    let err = fails_with(s.path());
    assert!(
        err.contains("content/relics/a.en.md:3")
            && err.contains("`location` does not belong in a translation"),
        "{err}"
    );
    assert!(
        err.contains("content/relics/orphan.en.md") && err.contains("no `vi` file"),
        "{err}"
    );
    assert!(
        err.contains("content/relics/b.fr.md") && err.contains("language `fr`"),
        "{err}"
    );
}

#[test]
fn two_entries_with_one_slug() {
    let s = site(&[
        ("content/relics/den.md", RELIC),
        ("content/relics/den/index.md", RELIC),
    ]);
    let err = fails_with(s.path());
    assert!(
        err.contains("content/relics/den.md") && err.contains("content/relics/den/index.md"),
        "{err}"
    );
    assert!(err.contains("slug `den`"), "{err}");
}

#[test]
fn broken_link_names_its_line() {
    let s = site(&[(
        "content/relics/a.md",
        "---\ntitle: A\n---\n\nSee [there](../nowhere.md).\n",
    )]);
    let err = fails_with(s.path());
    assert!(
        err.contains("content/relics/a.md:5") && err.contains("leads to no entry"),
        "{err}"
    );
}

#[test]
fn missing_media_file() {
    let s = site(&[(
        "content/relics/a/index.md",
        "---\ntitle: A\nimages: [cong.jpg]\n---\n",
    )]);
    let err = fails_with(s.path());
    assert!(
        err.contains("content/relics/a/index.md:3") && err.contains("`cong.jpg` is not in"),
        "{err}"
    );
}

#[test]
fn bad_site_yaml() {
    let s = site(&[(
        "site.yaml",
        "title: T\nbase_url: langson.example\nlanguage: [vi]\n",
    )]);
    let err = fails_with(s.path());
    assert!(
        err.contains("site.yaml:3") && err.contains("did you mean `languages`"),
        "{err}"
    );
    let s = site(&[("site.yaml", "title: T\nbase_url: langson.example\n")]);
    let err = fails_with(s.path());
    assert!(
        err.contains("site.yaml:2") && err.contains("https://"),
        "{err}"
    );
    let s = tempfile::tempdir().unwrap();
    let err = fails_with(s.path());
    assert!(
        err.contains("site.yaml") && err.contains("waymark init"),
        "{err}"
    );
}

#[test]
fn theme_template_error_names_file_and_line() {
    let s = site(&[
        ("content/relics/a.md", RELIC),
        ("themes/default/templates/entry.html", "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title </h1>\n{% endblock main %}\n"),
    ]);
    let err = fails_with(s.path());
    assert!(
        err.contains("themes/default/templates/entry.html:3"),
        "{err}"
    );
}

#[test]
fn theme_overrides_one_template() {
    let s = site(&[
        ("content/relics/a.md", RELIC),
        (
            "themes/default/templates/404.html",
            "{% extends \"base.html\" %}{% block main %}<p>Lạc đường rồi</p>{% endblock main %}",
        ),
    ]);
    let out = build_ok(s.path());
    assert!(read(out.join("site/404.html")).contains("Lạc đường rồi"));
    // The other templates still come from the built-in theme.
    assert!(read(out.join("site/relics/a/index.html")).contains("<h1>Đền Kỳ Cùng</h1>"));
}

#[test]
fn failed_build_leaves_previous_output_whole() {
    let s = site(&[("content/relics/a.md", RELIC)]);
    let out = build_ok(s.path());
    let before = tree(&out);
    write(
        s.path(),
        "content/relics/b.md",
        "---\ntitle: B\nlocaton: x\n---\n",
    );
    let err = fails_with(s.path());
    assert!(err.contains("did you mean `location`"), "{err}");
    assert_eq!(tree(&out), before, "output changed after a failed build");
    let siblings: Vec<String> = std::fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("waymark-") && n != ".waymark-cache")
        .collect();
    assert!(siblings.is_empty(), "side folders left: {siblings:?}");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let s = site(&[("content/relics/a.md", RELIC)]);
    write(s.path(), "output/thesis.docx", "not Waymark's");
    let err = fails_with(s.path());
    assert!(err.contains("--force"), "{err}");
    assert_eq!(read(s.path().join("output/thesis.docx")), "not Waymark's");
    let o = build(s.path(), &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn drafts_are_left_out_unless_asked() {
    let s = site(&[
        ("content/relics/a.md", RELIC),
        (
            "content/relics/b.md",
            "---\ntitle: Nháp\ndraft: true\n---\n",
        ),
        ("content/relics/b.en.md", "---\ntitle: Draft\n---\n"),
    ]);
    let out = build_ok(s.path());
    assert!(!out.join("site/relics/b/index.html").exists());
    let o = build(s.path(), &["--drafts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("site/relics/b/index.html").exists());
    assert!(out.join("site/en/relics/b/index.html").exists());
}

#[test]
fn slugs_fold_vietnamese_folder_names() {
    let s = site(&[("content/relics/Đền Kỳ Cùng/index.md", RELIC)]);
    let out = build_ok(s.path());
    assert!(out.join("site/relics/den-ky-cung/index.html").is_file());
}

#[test]
fn usage_errors_exit_2() {
    let o = std::process::Command::new(bin())
        .args(["build", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let s = site(&[("content/relics/a.md", RELIC)]);
    let o = build(s.path(), &["--base-url", "ftp://x"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn key_messages_also_in_vietnamese() {
    let s = site(&[(
        "content/relics/den.md",
        "---\ntitle: Đền\ndistrct: Văn Lãng\n---\nx\n",
    )]);
    let o = std::process::Command::new(bin())
        .args(["--lang", "vi", "build", "--site"])
        .arg(s.path())
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(err.contains("có phải bạn định viết `district`?"), "{err}");
    let o = std::process::Command::new(bin())
        .args(["--lang", "en", "build", "--site"])
        .arg(s.path())
        .output()
        .unwrap();
    assert!(
        !stderr(&o).contains("tiếng Việt"),
        "English only when asked"
    );
    let o = std::process::Command::new(bin())
        .env("LANG", "vi_VN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["build", "--site"])
        .arg(s.path())
        .output()
        .unwrap();
    assert!(
        stderr(&o).contains("tiếng Việt"),
        "the locale chooses Vietnamese"
    );
}

#[test]
fn timings_and_summary() {
    let s = site(&[("content/relics/a.md", RELIC)]);
    let o = build(s.path(), &["--timings"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("render pages:"), "{err}");
    assert!(!err.contains("plaques:"), "a build prints nothing: {err}");
    #[cfg(target_os = "linux")]
    assert!(err.contains("peak memory:") && err.contains("MiB"), "{err}");
    assert!(
        err.contains("built 1 entries") && err.contains("1 plaque codes"),
        "{err}"
    );
    // Not a terminal: no progress bar escape codes.
    assert!(!err.contains('\u{1b}'), "{err:?}");
    let o = plaques(s.path(), &["--timings"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("plaques:") && err.contains("A4 sheets:"),
        "{err}"
    );
    assert!(err.contains("made 1 plaque(s), 1 sheet file(s)"), "{err}");
}

#[test]
fn a_section_folder_may_not_take_an_address_of_the_builds_own() {
    // site() makes a vi + en site: `content/en/` would sit where the English pages go.
    for folder in ["tags", "q", "en"] {
        let s = site(&[(&format!("content/{folder}/a.md"), RELIC)]);
        let err = fails_with(s.path());
        assert!(err.contains(&format!("content/{folder}")), "{err}");
        assert!(err.contains("an address Waymark uses"), "{err}");
        assert!(err.contains("rename the folder"), "{err}");
    }
}

#[test]
fn a_mistyped_site_folder_is_reported_and_not_made() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("lang-son-typo");
    for cmd in ["build", "check"] {
        let o = std::process::Command::new(bin())
            .args([cmd, "--site"])
            .arg(&typo)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{cmd}");
        // `check` reports on standard output, `build` on standard error.
        let said = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
        assert!(said.contains("cannot read site.yaml"), "{said}");
        assert!(!typo.exists(), "{cmd} made the folder");
    }
}

#[test]
fn a_broken_default_file_is_the_one_error_not_its_translations() {
    let s = site(&[
        (
            "site.yaml",
            "title: Di sản Lạng Sơn\nbase_url: https://langson.example\nlanguages: [vi, en]\n",
        ),
        (
            "content/homestays/nha-lan.md",
            "---\ntitle: Nhà Lan\nprice_from: 350.000\n---\nNhà sàn.\n",
        ),
        (
            "content/homestays/nha-lan.en.md",
            "---\ntitle: Lan's house\n---\nA stilt house.\n",
        ),
    ]);
    let err = fails_with(s.path());
    assert!(err.contains("content/homestays/nha-lan.md:3"), "{err}");
    assert!(
        err.contains("350000"),
        "the fix for a Vietnamese-written price: {err}"
    );
    assert!(
        !err.contains("no `vi` file beside it"),
        "a misleading second error: {err}"
    );
    assert!(err.contains("1 error(s)"), "{err}");
}
