//! A build after an edit renders only the pages the edit touched and keeps the rest of the
//! published site; what it publishes is, byte for byte, what a build from nothing makes.

mod common;
use common::*;
use std::path::Path;

/// Build `site` in place (the published site kept from the last build) and in a fresh copy
/// with no output and no cache; the two published trees must be the same. The summary of the
/// build in place.
fn same_as_a_cold_build(site: &Path) -> String {
    let o = build(site, &[]);
    let said = stderr(&o);
    assert!(o.status.success(), "{said}");
    let fresh = tempfile::tempdir().unwrap();
    for item in ["content", "themes", "site.yaml", "plaques.lock"] {
        let from = site.join(item);
        for e in walkdir::WalkDir::new(&from).into_iter().flatten() {
            let to = fresh.path().join(e.path().strip_prefix(site).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(e.path(), &to).unwrap();
            }
        }
    }
    let cold = build_ok(fresh.path());
    let (warm, cold) = (tree(&site.join("output/site")), tree(&cold.join("site")));
    let names = |t: &[(std::path::PathBuf, Vec<u8>)]| -> Vec<std::path::PathBuf> {
        t.iter().map(|(p, _)| p.clone()).collect()
    };
    assert_eq!(names(&warm), names(&cold), "{said}");
    for ((pw, dw), (pc, dc)) in warm.iter().zip(&cold) {
        assert_eq!(pw, pc);
        assert!(dw == dc, "{} differs from a cold build's", pw.display());
    }
    said
}

/// How many pages the summary says were kept as they were (0 when it says none).
fn kept(said: &str) -> usize {
    said.split(" unchanged)")
        .next()
        .filter(|s| s.len() < said.len())
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[test]
fn only_what_an_edit_touches_is_rendered_and_the_site_is_a_cold_builds() {
    let s = example();
    let site = s.path();
    let first = same_as_a_cold_build(site);
    assert_eq!(
        kept(&first),
        0,
        "the first build renders everything: {first}"
    );

    let again = same_as_a_cold_build(site);
    assert!(
        again.contains("(0 made, "),
        "nothing changed, nothing rendered: {again}"
    );

    // A body edit: the entry's own pages.
    let den = site.join("content/relics/den-ky-cung.md");
    let text = read(&den);
    std::fs::write(&den, format!("{text}\nMột đoạn mới.\n")).unwrap();
    let body = same_as_a_cold_build(site);
    assert!(kept(&body) > 100, "{body}");

    // A title: lists, feeds and the pages that list it nearby too.
    std::fs::write(
        &den,
        read(&den).replace("title: Đền Kỳ Cùng", "title: Đền Kỳ Cùng (sửa)"),
    )
    .unwrap();
    let title = same_as_a_cold_build(site);
    assert!(kept(&title) < kept(&body), "{title}");

    // A homestay's price: the lists that hold it (its section, district and tags), not the others.
    let mau_son = site.join("content/homestays/homestay-mau-son.md");
    std::fs::write(
        &mau_son,
        read(&mau_son).replace("price_from: 350000", "price_from: 380000"),
    )
    .unwrap();
    let price = same_as_a_cold_build(site);
    // Moved to another district: the list it left is rendered again too.
    std::fs::write(
        &mau_son,
        read(&mau_son).replace("district: Lộc Bình", "district: Văn Lãng"),
    )
    .unwrap();
    let moved = same_as_a_cold_build(site);
    assert!(kept(&moved) < kept(&price), "{moved}\n{price}");

    // A theme template or site.yaml: everything again.
    let footer = site.join("themes/default/templates/base.html");
    std::fs::write(
        &footer,
        read(&footer).replace("</body>", "<!-- sửa --></body>"),
    )
    .unwrap();
    let theme = same_as_a_cold_build(site);
    assert_eq!(kept(&theme), 0, "{theme}");
    let yaml = site.join("site.yaml");
    std::fs::write(&yaml, format!("{}\npaginate_by: 4\n", read(&yaml))).unwrap();
    let settings = same_as_a_cold_build(site);
    assert_eq!(kept(&settings), 0, "{settings}");

    // A setting no page shows renders everything once, and is remembered though no file changed.
    std::fs::write(
        &yaml,
        read(&yaml).replace(
            "paginate_by: 4",
            // The time zone of `waymark stats` (the example's photos would change with a photo setting).
            "paginate_by: 4\ntimezone: Asia/Bangkok",
        ),
    )
    .unwrap();
    let unseen = same_as_a_cold_build(site);
    assert!(
        unseen.contains("(0 changed)") && kept(&unseen) == 0,
        "{unseen}"
    );
    let next = same_as_a_cold_build(site);
    assert!(next.contains("(0 made, "), "{next}");

    // A new entry and a deleted one.
    write(
        site,
        "content/relics/moi.md",
        "---\ntitle: Mới\n---\nMới.\n",
    );
    let added = same_as_a_cold_build(site);
    assert_eq!(kept(&added), 0, "{added}");
    std::fs::remove_file(site.join("content/relics/moi.md")).unwrap();
    let lock = read(site.join("plaques.lock"))
        .replace("MOI: { page: relics/moi }", "MOI: { retired_to: DKC }");
    std::fs::write(site.join("plaques.lock"), lock).unwrap();
    same_as_a_cold_build(site);

    // A page deleted from the output by hand is made again.
    let page = site.join("output/site/relics/den-ky-cung/index.html");
    assert!(page.is_file());
    std::fs::remove_file(&page).unwrap();
    let deleted = same_as_a_cold_build(site);
    assert_eq!(kept(&deleted), 0, "{deleted}");
    assert!(page.is_file());

    // A published file removed by hand is not trusted: that build renders everything.
    let out = site.join("output");
    std::fs::remove_file(out.join("current")).unwrap();
    let relinked = same_as_a_cold_build(site);
    assert_eq!(kept(&relinked), 0, "{relinked}");
}
