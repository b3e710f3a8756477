//! A domain move (`previous_base_urls`): the build writes a site for each old address under
//! `output/moved/<host>/` that sends every page and printed code to its new address.

mod common;
use common::*;

#[test]
fn every_page_and_code_at_an_old_address_leads_to_its_new_one() {
    let site = example();
    let yaml = site.path().join("site.yaml");
    let text = read(&yaml);
    let moved = format!(
        "{text}\nprevious_base_urls: [\"https://langson-cu.example/\", \"http://huyen.example:8080/di-san\"]\n"
    );
    std::fs::write(&yaml, moved).unwrap();
    let out = build_ok(site.path());
    let old = out.join("moved/langson-cu.example");
    let published = tree(&out.join("site"));
    let pages: Vec<_> = (published.iter())
        .filter(|(p, _)| p.ends_with("index.html"))
        .collect();
    assert!(pages.len() > 100);
    for (page, _) in &pages {
        // Every page has its old address, leading to the new one.
        let html = read(old.join(page));
        let rel = page.to_string_lossy();
        let new = format!(
            "https://langson.example/{}",
            rel.trim_end_matches("index.html")
        );
        assert!(
            html.contains(&format!(r#"<link rel="canonical" href="{new}">"#)),
            "{rel}: {html}"
        );
        assert!(
            html.contains(&format!(r#"content="0; url={new}""#)),
            "{rel}"
        );
    }
    assert!(read(old.join("q/HVT/index.html")).contains("https://langson.example/q/HVT/"));
    // An old address with a path keeps it; a permanent redirect where the host reads `_redirects`.
    let path = out.join("moved/huyen.example_8080");
    assert!(path.join("di-san/q/HVT/index.html").is_file());
    let redirects = read(path.join("_redirects"));
    assert!(
        redirects.contains("/di-san/* https://langson.example/:splat 301!\n"),
        "{redirects}"
    );
    assert!(
        redirects.contains("/di-san/* https://langson.example/:splat 301\n"),
        "{redirects}"
    );
    assert!(read(path.join("404.html")).contains("url=https://langson.example/\""));

    // The same addresses twice, or the site's own address, are refused with the line.
    std::fs::write(
        &yaml,
        format!("{text}\nprevious_base_urls: [https://langson.example]\n"),
    )
    .unwrap();
    let o = build(site.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("site.yaml:") && stderr(&o).contains("is the site's base_url itself"),
        "{}",
        stderr(&o)
    );
    // Without old addresses, the moved sites go.
    std::fs::write(&yaml, &text).unwrap();
    build_ok(site.path());
    assert!(!out.join("moved").exists());
}

#[test]
fn a_browser_at_the_old_address_lands_on_the_new_page() {
    let site = example();
    let new_dir = tempfile::tempdir().unwrap();
    let old_dir = tempfile::tempdir().unwrap();
    // Both addresses served on this machine: the new site, and the old one's folder (linked
    // once built, as its name holds the port).
    let new = serve(&new_dir.path().join("site"));
    let old = serve(&old_dir.path().join("root"));
    let yaml = site.path().join("site.yaml");
    let text = read(&yaml).replace(
        "base_url: https://langson.example",
        &format!("base_url: {new}"),
    );
    std::fs::write(&yaml, format!("{text}\nprevious_base_urls: [\"{old}\"]\n")).unwrap();
    let out = build_ok(site.path());
    std::os::unix::fs::symlink(out.join("site"), new_dir.path().join("site")).unwrap();
    let host = old.trim_start_matches("http://").replace(':', "_");
    std::os::unix::fs::symlink(out.join("moved").join(host), old_dir.path().join("root")).unwrap();
    let dom = chromium_dom(&format!("{old}/q/HVT/"), "vi-VN");
    assert!(
        dom.contains("Hoàng Văn Thụ"),
        "the printed code's page: {dom}"
    );
    assert!(
        dom.contains(&format!(r#"<link rel="canonical" href="{new}/relics/"#)),
        "{dom}"
    );
}
