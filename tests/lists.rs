//! Section and district lists split into pages (`paginate_by` in site.yaml): every entry on
//! exactly one page, in title order, with links between the pages in each language.

mod common;
use common::*;

fn relic(title: &str, district: &str) -> String {
    format!("---\ntitle: {title}\ndistrict: {district}\n---\nChữ.\n")
}

/// Titles of the cards on a list page, in order.
fn cards(html: &str) -> Vec<String> {
    html.split("<li class=\"card\">")
        .skip(1)
        .map(|c| {
            let t = c.split("<strong>").nth(1).unwrap();
            t[..t.find("</strong>").unwrap()].to_string()
        })
        .collect()
}

fn five_relics(paginate_by: &str) -> tempfile::TempDir {
    let yaml = format!(
        "title: Test\nbase_url: https://t.example\nlanguages: [vi, en]\npaginate_by: {paginate_by}\n"
    );
    let titles = ["Đền E", "Chùa A", "Đình D", "Cầu B", "Chợ C"];
    let files: Vec<(String, String)> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            (
                format!("content/relics/r{i}.md"),
                relic(t, if i < 3 { "Văn Lãng" } else { "Cao Lộc" }),
            )
        })
        .chain([("site.yaml".to_string(), yaml)])
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    site(&refs)
}

#[test]
fn long_lists_are_split_into_linked_pages() {
    let s = five_relics("2");
    let out = build_ok(s.path()).join("site");
    let page = |p: &str| read(out.join(p));

    // Every entry once, across the pages, in folded title order.
    let pages = [
        "relics/index.html",
        "relics/page/2/index.html",
        "relics/page/3/index.html",
    ];
    let all: Vec<String> = pages.iter().flat_map(|p| cards(&page(p))).collect();
    assert_eq!(all, ["Cầu B", "Chợ C", "Chùa A", "Đền E", "Đình D"]);
    assert_eq!(cards(&page(pages[0])).len(), 2);
    assert!(!out.join("relics/page/4").exists());
    assert!(
        !out.join("relics/page/1").exists(),
        "page 1 is the list itself"
    );

    // Page 2 links both ways, is its own canonical page, and has its English version.
    let two = page(pages[1]);
    assert!(two.contains(r#"<a rel="prev" href="/relics/">"#), "{two}");
    assert!(two.contains(r#"<a rel="next" href="/relics/page/3/">"#));
    assert!(two.contains(r#"<a aria-current="page" href="/relics/page/2/">2</a>"#));
    assert!(two.contains(r#"<link rel="canonical" href="https://t.example/relics/page/2/">"#));
    assert!(two.contains(r#"hreflang="en" href="https://t.example/en/relics/page/2/""#));
    assert!(two.contains("Trang 2"), "the page number is in its title");
    let en = page("en/relics/page/3/index.html");
    assert!(en.contains(r#"<a rel="prev" href="/en/relics/page/2/">← Previous</a>"#));
    assert!(!en.contains("rel=\"next\""), "the last page has no next");

    // District lists too: Văn Lãng has three entries, Cao Lộc two.
    assert_eq!(
        cards(&page("districts/van-lang/page/2/index.html")).len(),
        1
    );
    assert!(!out.join("districts/cao-loc/page/2").exists());
    assert!(!page("districts/cao-loc/index.html").contains("class=\"pager\""));

    // One entry fewer (its code retired to the list, as the ledger asks): the third page goes.
    std::fs::remove_file(s.path().join("content/relics/r4.md")).unwrap();
    let lock = s.path().join("plaques.lock");
    let ledger = read(&lock).replace("{ page: relics/r4 }", "{ retired_to: relics }");
    assert!(ledger.contains("retired_to"), "{ledger}");
    std::fs::write(&lock, ledger).unwrap();
    let out = build_ok(s.path()).join("site");
    assert!(out.join("relics/page/2/index.html").exists());
    assert!(
        !out.join("relics/page/3").exists(),
        "a stale page is removed"
    );
}

#[test]
fn paginate_by_zero_keeps_each_list_on_one_page() {
    let s = five_relics("0");
    let out = build_ok(s.path()).join("site");
    assert_eq!(cards(&read(out.join("relics/index.html"))).len(), 5);
    assert!(!out.join("relics/page").exists());
}

#[test]
fn a_bad_paginate_by_names_the_line() {
    let s = five_relics("many");
    let o = build(s.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("site.yaml:4"), "{err}");
}

#[test]
fn tags_and_districts_have_lists_linked_from_entries_and_home() {
    let yaml = "title: Test\nbase_url: https://t.example\nlanguages: [vi, en]\n";
    let entry = |t: &str, tags: &str| {
        format!("---\ntitle: {t}\ndistrict: Văn Lãng\ntags: [{tags}]\n---\nChữ.\n")
    };
    let s = site(&[
        ("site.yaml", yaml),
        ("content/relics/a.md", &entry("Đền A", "lịch sử, cách mạng")),
        // Another spelling of the same tag joins its list, once.
        ("content/relics/b.md", &entry("Đình B", "Lịch sử, lịch  sử")),
        (
            "content/homestays/c.md",
            &entry("Nhà C", "nhà sàn").replace("tags:", "price_from: 350000\ntags:"),
        ),
    ]);
    let out = build_ok(s.path()).join("site");
    let lich_su = read(out.join("tags/lich-su/index.html"));
    assert_eq!(cards(&lich_su), ["Đền A", "Đình B"]);
    assert!(lich_su.contains("<h1>Chủ đề: lịch sử</h1>"), "{lich_su}");
    assert_eq!(cards(&read(out.join("tags/nha-san/index.html"))), ["Nhà C"]);
    let en = read(out.join("en/tags/cach-mang/index.html"));
    assert!(en.contains("<h1>Topic: cách mạng</h1>"));
    // Not translated: the English list leads to the Vietnamese page, marked as such.
    assert!(en.contains(r#"<a href="/relics/a/" lang="vi">"#), "{en}");

    let page = read(out.join("relics/a/index.html"));
    assert!(
        page.contains(r##"<a href="/tags/lich-su/">#lịch sử</a>"##),
        "{page}"
    );
    assert!(page.contains(r#"<a href="/districts/van-lang/">Văn Lãng</a>"#));
    let home = read(out.join("index.html"));
    assert!(
        home.contains(r##"<a href="/tags/lich-su/">#lịch sử</a> <span class="muted">(2)</span>"##)
    );
    // A homestay's card says its price, as the list's language writes numbers.
    let price = r#"<p class="price">Giá từ 350.000 ₫ / đêm</p>"#;
    assert!(read(out.join("homestays/index.html")).contains(price));
    assert!(read(out.join("en/homestays/index.html")).contains("350,000 ₫"));
    let sitemap = read(out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://t.example/tags/nha-san/</loc>"));
    assert!(sitemap.contains("<loc>https://t.example/en/tags/nha-san/</loc>"));
}

#[test]
fn tag_names_name_tags_in_each_language() {
    let yaml = "title: Test\nbase_url: https://t.example\nlanguages: [vi, en]\n\
tag_names:\n  lịch sử: { en: History }\n  Cách mạng: { en: Revolution }\n";
    let entry = "---\ntitle: Đền A\ntags: [lịch sử, cách mạng, núi]\n---\nChữ.\n";
    let s = site(&[("site.yaml", yaml), ("content/relics/a.md", entry)]);
    let out = build_ok(s.path()).join("site");
    let en = read(out.join("en/tags/lich-su/index.html"));
    assert!(en.contains("<h1>Topic: History</h1>"), "{en}");
    // The English home lists tags in the order English readers read them.
    let home = read(out.join("en/index.html"));
    let (h, n, r) = ["#History", "#núi", "#Revolution"]
        .map(|t| home.find(t).unwrap())
        .into();
    assert!(h < n && n < r, "History, núi, Revolution");
    // A tag written with another case still takes its name; the Vietnamese pages keep the tag.
    let page = read(out.join("relics/a/index.html"));
    assert!(page.contains(">#cách mạng</a>") && !page.contains("Revolution"));
    let index = read(out.join("search/en.json"));
    assert!(
        index.contains("History") && index.contains("lịch sử"),
        "{index}"
    );

    // A language the site does not have is refused, with the line.
    let bad = yaml.replace("{ en: History }", "{ fr: Histoire }");
    write(s.path(), "site.yaml", &bad);
    let o = build(s.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("site.yaml:5") && err.contains("`fr`"), "{err}");
}
