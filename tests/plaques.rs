//! Printable plaques, made by `waymark plaques` (never by `build`): PDFs that print Vietnamese on
//! any machine and scan at 150 dpi, 300 dpi PNGs on request, SVGs for sign makers, A4 sheets with
//! crop marks, and the print days in plaques.lock. Checked with poppler-utils and zbarimg.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

fn run(cmd: &str, args: &[&str]) -> String {
    let o = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} must be installed (poppler-utils): {e}"));
    assert!(
        o.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Render a PDF at 150 dpi and decode every QR code on each page.
fn scan_pdf(pdf: &Path) -> Vec<String> {
    scan_pages(pdf).concat()
}

/// The codes on each page (zbarimg reports a page's codes in an order of its own, so sorted).
fn scan_pages(pdf: &Path) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    run(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            pdf.to_str().unwrap(),
            dir.path().join("p").to_str().unwrap(),
        ],
    );
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|p| {
            let mut codes = zbar(p);
            codes.sort();
            codes
        })
        .collect()
}

fn png_size(p: &Path) -> (u32, u32) {
    let b = std::fs::read(p).unwrap();
    assert_eq!(&b[1..4], b"PNG");
    (
        u32::from_be_bytes(b[16..20].try_into().unwrap()),
        u32::from_be_bytes(b[20..24].try_into().unwrap()),
    )
}

#[test]
fn every_plaque_prints_and_scans() {
    let site = example();
    let out = plaques_ok(site.path(), &["--png"]);
    let manifest: serde_json::Value =
        serde_json::from_str(&read(out.join("print/manifest.json"))).unwrap();
    for item in manifest.as_array().unwrap() {
        let code = item["code"].as_str().unwrap();
        let url = item["url"].as_str().unwrap();
        let pdf = out.join(format!("print/plaques/{code}.pdf"));
        assert_eq!(
            scan_pdf(&pdf),
            vec![url.to_string()],
            "{code}.pdf at 150 dpi"
        );
        assert_eq!(
            png_size(&out.join(format!("print/plaques/{code}.png"))),
            (1240, 1748),
            "A6 at 300 dpi"
        );
        let files: Vec<&str> = item["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert!(
            files.contains(&format!("print/plaques/{code}.pdf").as_str()),
            "{files:?}"
        );
    }
    // Fonts embedded and subset, text extractable with its diacritics.
    let pdf = out.join("print/plaques/HVT.pdf");
    let fonts = run("pdffonts", &[pdf.to_str().unwrap()]);
    let noto: Vec<&str> = fonts.lines().filter(|l| l.contains("NotoSans")).collect();
    assert!(!noto.is_empty(), "{fonts}");
    for l in noto {
        let cols: Vec<&str> = l.split_whitespace().collect();
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            ["yes", "yes", "yes"],
            "embedded, subset, unicode: {l}"
        );
    }
    let text = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    for want in [
        "Di sản Lạng Sơn",
        "Khu lưu niệm Hoàng",
        "Hoàng Văn Thụ Memorial Site",
        "Quét mã để xem thông tin",
        "langson.example/q/HVT/",
        "HVT",
    ] {
        assert!(text.contains(want), "{want} missing from:\n{text}");
    }
    // The SVG keeps its text as text, for editing.
    assert!(read(out.join("print/plaques/HVT.svg")).contains(">Khu lưu niệm Hoàng Văn Thụ<"));
}

#[test]
fn a4_sheets_hold_every_plaque_in_code_order() {
    let site = example();
    let out = plaques_ok(site.path(), &[]);
    let sheet = out.join("print/sheets/a6-on-a4.pdf");
    let info = run("pdfinfo", &[sheet.to_str().unwrap()]);
    assert!(
        info.contains("Pages:           8"),
        "16 A6 plaques, two to a page: {info}"
    );
    assert!(
        info.contains("595.276 x 841.89 pts") || info.contains("595.28 x 841.89 pts"),
        "A4: {info}"
    );
    let pages = scan_pages(&sheet);
    assert!(pages.iter().all(|p| p.len() <= 2), "{pages:?}");
    let codes = pages.concat();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes.len(), 16, "{codes:?}");
    assert_eq!(codes, sorted, "in code order");
    // Every plaque of the file shares one subset of each font.
    let fonts = run("pdffonts", &[sheet.to_str().unwrap()]);
    assert_eq!(fonts.lines().count(), 4, "regular and bold, once: {fonts}");
    let text = run("pdftotext", &[sheet.to_str().unwrap(), "-"]);
    assert!(text.contains("Khu lưu niệm Hoàng Văn Thụ"), "{text}");
}

#[test]
fn sizes_outlines_and_print_warnings() {
    let s = site(&[
        ("site.yaml", "title: T\nbase_url: https://t.example\nplaque: { size: sticker, outline_text: true }\n"),
        ("content/relics/den.md", "---\ntitle: Đền Kỳ Cùng\ncode: DKC\n---\n"),
    ]);
    let out = plaques_ok(s.path(), &["--png"]);
    assert_eq!(
        png_size(&out.join("print/plaques/DKC.png")),
        (1181, 1181),
        "100 mm at 300 dpi"
    );
    let outlined = read(out.join("print/plaques/DKC.outlined.svg"));
    assert!(!outlined.contains("<text"), "outlined text has no <text>");
    assert_eq!(
        scan_pdf(&out.join("print/sheets/sticker-on-a4.pdf")),
        vec!["HTTPS://T.EXAMPLE/q/DKC/".to_string()]
    );

    // A poster read from far away needs a larger symbol than a sticker has room for.
    write(
        s.path(),
        "site.yaml",
        "title: T\nbase_url: https://t.example\nplaque: { size: sticker, scan_distance_m: 3 }\n",
    );
    let o = plaques(s.path(), &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning: plaque DKC")
            && err.contains("short of the 3 m it is made for")
            && err.contains("a 100 mm sticker has no more room"),
        "{err}"
    );

    write(
        s.path(),
        "site.yaml",
        "title: T\nbase_url: https://t.example\nplaque: { sise: a4 }\n",
    );
    // Settings are checked by every command that reads site.yaml, build included.
    let o = build(s.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("unknown field `sise`") && err.contains("did you mean `size`"),
        "{err}"
    );
    write(
        s.path(),
        "site.yaml",
        "title: T\nbase_url: https://t.example\nplaque: { size: a3 }\n",
    );
    let o = build(s.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("plaque size `a3`"), "{}", stderr(&o));
}

#[test]
fn homestay_kits_scan_to_what_they_say() {
    let site = example();
    let out = plaques_ok(site.path(), &["--png"]);
    let kit = out.join("print/kits/HNL");
    let decode = |name: &str| zbar(&kit.join(format!("{name}.png")));
    assert_eq!(decode("listing"), vec!["HTTPS://LANGSON.EXAMPLE/q/HNL/"]);
    assert_eq!(decode("zalo"), vec!["https://zalo.me/0912000101"]);
    assert_eq!(
        decode("contact"),
        vec!["MECARD:N:Homestay Nà Lạn;TEL:0912000101;;"],
        "UTF-8 names read back"
    );
    assert_eq!(
        decode("wifi"),
        vec![r"WIFI:T:WPA;S:NaLan-Homestay;P:khach\;quy\:2024;;"],
        "escaped ; and :"
    );
    let vietqr = decode("vietqr");
    assert_eq!(vietqr.len(), 1);
    let v = &vietqr[0];
    assert!(
        v.starts_with("000201010211")
            && v.contains("0006970436")
            && v.contains("0113001100000000102")
            && v.contains("5802VN"),
        "{v}"
    );
    let (body, crc) = v.split_at(v.len() - 4);
    assert_eq!(
        crc,
        format!(
            "{:04X}",
            waymark::qr::payload::crc16_ccitt_false(body.as_bytes())
        )
    );
    // One page a card, labelled in both languages.
    let pdf = kit.join("kit.pdf");
    assert!(run("pdfinfo", &[pdf.to_str().unwrap()]).contains("Pages:           5"));
    let text = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    for want in [
        "Kết nối Wi-Fi",
        "Join our Wi-Fi",
        "Chuyển khoản VietQR",
        "Pay by bank transfer",
        "Lưu số điện thoại",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    // A homestay without Wi-Fi or bank details gets no such cards.
    assert!(
        !out.join("print/kits/HMS/wifi.png").exists()
            && out.join("print/kits/HMS/call.png").exists()
    );
}

#[test]
fn plaques_command_makes_only_what_is_asked() {
    let site = example();
    let out = plaques_ok(
        site.path(),
        &[
            "--codes",
            "hvt,CHILANG",
            "--size",
            "a4",
            "--sheet",
            "a4",
            "--png",
        ],
    )
    .join("print");
    assert_eq!(
        names_in(&out.join("plaques")),
        [
            "CHILANG.pdf",
            "CHILANG.png",
            "CHILANG.svg",
            "HVT.pdf",
            "HVT.png",
            "HVT.svg"
        ]
    );
    assert_eq!(
        png_size(&out.join("plaques/HVT.png")),
        (2480, 3508),
        "A4 at 300 dpi"
    );
    let codes = scan_pdf(&out.join("sheets/a4-on-a4.pdf"));
    assert_eq!(
        codes,
        [
            "HTTPS://LANGSON.EXAMPLE/q/CHILANG/",
            "HTTPS://LANGSON.EXAMPLE/q/HVT/"
        ]
    );
    assert!(
        !site.path().join("output/site").exists(),
        "print files only"
    );
    let o = plaques(site.path(), &["--codes", "NOPE"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("NOPE"));
}

#[test]
fn build_draws_nothing_and_print_keeps_the_site() {
    let site = example();
    let o = build(site.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = site.path().join("output");
    assert!(
        out.join("site/q/HVT/index.html").is_file(),
        "landings are pages"
    );
    assert!(!out.join("print").exists(), "a build makes no print file");
    assert!(
        !site.path().join(".waymark-cache/plaques").exists()
            && !site.path().join(".waymark-cache/qr").exists(),
        "nor draws a plaque or symbol"
    );
    // Printing leaves the published site as it was, and building again leaves the print files.
    let before = tree(&out.join("site"));
    plaques_ok(site.path(), &[]);
    assert_eq!(tree(&out.join("site")), before);
    let print = tree(&out.join("print"));
    assert!(print.iter().any(|(p, _)| p.ends_with("plaques/HVT.pdf")));
    assert!(
        !print
            .iter()
            .any(|(p, _)| p.extension().is_some_and(|e| e == "png") && p.starts_with("plaques")),
        "no plaque PNG without --png"
    );
    let o = build(site.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(tree(&out.join("print")), print);
    assert_eq!(tree(&out.join("site")), before);
    // Byte-identical when made again from nothing.
    std::fs::remove_dir_all(site.path().join(".waymark-cache")).unwrap();
    plaques_ok(site.path(), &[]);
    assert!(
        tree(&out.join("print")) == print,
        "same bytes from a cold cache"
    );
}

#[test]
fn the_ledger_records_the_day_a_code_was_first_printed() {
    let s = site(&[
        ("content/relics/den.md", "---\ntitle: Đền\ncode: DEN\n---\n"),
        (
            "content/relics/chua.md",
            "---\ntitle: Chùa\ncode: CHUA\n---\n",
        ),
    ]);
    let lock = || read(s.path().join("plaques.lock"));
    let day = |code: &str| {
        lock()
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{code}:")))
            .and_then(|l| l.split("printed: ").nth(1))
            .map(|r| r.trim_end_matches(" }").to_string())
    };
    build_ok(s.path());
    assert_eq!(day("DEN"), None, "a build prints nothing");
    let o = std::process::Command::new(bin())
        .args(["plaques", "--codes", "DEN", "--site"])
        .arg(s.path())
        .env("SOURCE_DATE_EPOCH", "1796083200") // 2026-12-01
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(day("DEN").as_deref(), Some("2026-12-01"));
    assert_eq!(day("CHUA"), None);
    // --new makes only what was never printed, and a later print keeps the first day.
    let o = std::process::Command::new(bin())
        .args(["plaques", "--new", "--site"])
        .arg(s.path())
        .env("SOURCE_DATE_EPOCH", "1798761600") // 2027-01-01
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        names_in(&s.path().join("output/print/plaques")),
        ["CHUA.pdf", "CHUA.svg"]
    );
    assert_eq!(day("DEN").as_deref(), Some("2026-12-01"));
    assert_eq!(day("CHUA").as_deref(), Some("2027-01-01"));
    let o = plaques(s.path(), &["--new"]);
    assert!(
        o.status.success() && stderr(&o).contains("nothing new to print"),
        "{}",
        stderr(&o)
    );
    // A build keeps the days; a printed code whose entry is deleted stops the build, saying so.
    build_ok(s.path());
    assert_eq!(day("DEN").as_deref(), Some("2026-12-01"));
    std::fs::remove_file(s.path().join("content/relics/den.md")).unwrap();
    let o = build(s.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("DEN (printed 2026-12-01)") && err.contains("retired_to"),
        "{err}"
    );
}

#[test]
fn a_summary_is_printed_where_the_plaque_has_room() {
    let relic = "---\ntitle: Đền Kỳ Cùng\ncode: DKC\nsummary: Ngôi đền thờ quan Tuần Tranh bên sông Kỳ Cùng.\n---\n";
    let en = "---\ntitle: Ky Cung Temple\nsummary: A temple by the Ky Cung river.\n---\n";
    let s = site(&[
        ("site.yaml", "title: T\nbase_url: https://t.example\nlanguages: [vi, en]\nplaque: { summary: true, size: a4 }\n"),
        ("content/relics/den/index.md", relic),
        ("content/relics/den/index.en.md", en),
    ]);
    // A poster made to scan from 2 m gives its symbol the whole width: no room, and it says so.
    let o = plaques(s.path(), &[]);
    assert!(o.status.success());
    assert!(
        stderr(&o)
            .contains("plaque DKC: the summary has no room beside a symbol that scans from 2 m"),
        "{}",
        stderr(&o)
    );
    write(
        s.path(),
        "site.yaml",
        "title: T\nbase_url: https://t.example\nlanguages: [vi, en]\nplaque: { summary: true, size: a4, scan_distance_m: 1.5 }\n",
    );
    let out = plaques_ok(s.path(), &[]);
    let pdf = out.join("print/plaques/DKC.pdf");
    let text = run("pdftotext", &[pdf.to_str().unwrap(), "-"]).replace('\n', " ");
    assert!(text.contains("quan Tuần Tranh"), "{text}");
    assert!(text.contains("A temple by the Ky Cung river."), "{text}");
    assert_eq!(scan_pdf(&pdf), ["HTTPS://T.EXAMPLE/q/DKC/"]);
    // Without the setting, no summary.
    write(
        s.path(),
        "site.yaml",
        "title: T\nbase_url: https://t.example\nlanguages: [vi, en]\nplaque: { size: a4 }\n",
    );
    let out = plaques_ok(s.path(), &[]);
    let text = run(
        "pdftotext",
        &[out.join("print/plaques/DKC.pdf").to_str().unwrap(), "-"],
    );
    assert!(!text.contains("Tuần Tranh"), "{text}");
}

#[test]
fn logo_within_the_error_correction_budget_and_sizes_per_entry() {
    let logo = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#1d5b3a"/><text x="5" y="7" font-size="5" text-anchor="middle" fill="#fff">LS</text></svg>"##;
    let s = site(&[
        (
            "site.yaml",
            "title: T\nbase_url: https://t.example\nplaque: { logo: logo.svg }\n",
        ),
        ("logo.svg", logo),
        ("content/relics/den.md", "---\ntitle: Đền\ncode: DEN\n---\n"),
        (
            "content/relics/poster.md",
            "---\ntitle: Ải Chi Lăng\ncode: POSTER\nplaque_size: a4\n---\n",
        ),
    ]);
    let out = plaques_ok(s.path(), &["--png"]);
    let svg = read(out.join("print/plaques/DEN.svg"));
    assert!(
        svg.contains(r##"<circle cx="5" cy="5" r="5" fill="#1d5b3a"/>"##),
        "logo drawn"
    );
    // Still scans from the printed PDF, with the logo over the middle of the symbol.
    assert_eq!(
        scan_pdf(&out.join("print/plaques/DEN.pdf")),
        ["HTTPS://T.EXAMPLE/q/DEN/"]
    );
    assert_eq!(
        png_size(&out.join("print/plaques/POSTER.png")),
        (2480, 3508),
        "this entry asked for a poster"
    );
    assert_eq!(png_size(&out.join("print/plaques/DEN.png")), (1240, 1748));
    assert!(
        out.join("print/sheets/a4-on-a4.pdf").is_file()
            && out.join("print/sheets/a6-on-a4.pdf").is_file()
    );

    write(
        s.path(),
        "site.yaml",
        "title: T\nbase_url: https://t.example\nplaque: { logo: ../logo.svg }\n",
    );
    let o = plaques(s.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("inside the site folder"),
        "{}",
        stderr(&o)
    );
}

/// The names of the files in `dir`, sorted.
fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_plaque_cache_keeps_only_what_the_last_print_used() {
    let s = site(&[
        ("content/relics/den.md", "---\ntitle: Đền\ncode: DEN\n---\n"),
        (
            "content/relics/chua.md",
            "---\ntitle: Chùa\ncode: CHUA\n---\n",
        ),
    ]);
    let cache = s.path().join(".waymark-cache/plaques");
    let files = || names_in(&cache);
    plaques_ok(s.path(), &[]);
    let first = files();
    assert!(!first.is_empty());

    // A new title makes a new plaque and sheet; the old ones are deleted, the other plaque kept.
    write(
        s.path(),
        "content/relics/den.md",
        "---\ntitle: Đền Mới\ncode: DEN\n---\n",
    );
    plaques_ok(s.path(), &[]);
    let second = files();
    assert_eq!(second.len(), first.len(), "{first:?}\n{second:?}");
    assert_ne!(second, first);
    let kept = first.iter().filter(|f| second.contains(f)).count();
    assert!(kept > 0, "the unchanged plaque's files stay");

    // Print files of another size or of some codes only never delete the build's plaques.
    for args in [["--size", "sticker"], ["--codes", "CHUA"]] {
        plaques_ok(s.path(), &args);
        assert!(second.iter().all(|f| files().contains(f)), "{args:?}");
    }
    // The next whole print uses the same files as the last one, and deletes the stickers.
    plaques_ok(s.path(), &[]);
    assert_eq!(files(), second);
}

#[test]
fn the_qr_cache_keeps_only_the_symbols_in_use() {
    let home = "---\ntitle: Nhà\ncode: NHA\nphone: \"0912345678\"\nwifi: { ssid: Nha, password: \"12345678\" }\n---\n";
    let s = site(&[
        ("content/relics/den.md", "---\ntitle: Đền\ncode: DEN\n---\n"),
        ("content/homestays/nha.md", home),
    ]);
    let cache = s.path().join(".waymark-cache/qr");
    let files = || names_in(&cache);
    plaques_ok(s.path(), &[]);
    let first = files();
    // A killed run's temporary file.
    std::fs::write(cache.join(".0123.svg.tmp-1-1"), "half").unwrap();

    // Another address: every link changes, and the old symbols go; the Wi-Fi card's stays.
    let yaml = "title: Test\nbase_url: https://moi.example\nlanguages: [vi, en]\n";
    write(s.path(), "site.yaml", yaml);
    plaques_ok(s.path(), &[]);
    let second = files();
    assert_eq!(second.len(), first.len(), "{first:?}\n{second:?}");
    let kept: Vec<_> = first.iter().filter(|f| second.contains(f)).collect();
    assert_eq!(
        kept,
        ["records.bin"],
        "the symbol files of the old address go"
    );
    assert!(second.iter().all(|f| !f.starts_with('.')));
    // Each symbol's modules are small records in one file, kept by the same rule: the Wi-Fi
    // card's does not depend on the address; those of the old address go.
    let records =
        String::from_utf8_lossy(&std::fs::read(cache.join("records.bin")).unwrap()).into_owned();
    assert!(
        records.contains("WIFI:T:WPA;S:Nha;"),
        "the Wi-Fi card's symbol"
    );
    assert!(records.contains("MOI.EXAMPLE") && !records.contains("T.EXAMPLE"));
    // Nothing changed: nothing deleted, nothing made.
    plaques_ok(s.path(), &[]);
    assert_eq!(files(), second);
}

#[test]
fn bad_print_options_and_print_days_are_refused_with_the_fix() {
    let s = site(&[("content/relics/den.md", "---\ntitle: Đền\ncode: DEN\n---\n")]);
    let o = plaques(s.path(), &["--sheet", "a3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--sheet a3") && stderr(&o).contains("none"),
        "{}",
        stderr(&o)
    );
    let o = plaques(s.path(), &["--size", "a5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("use a6, sticker or a4"),
        "{}",
        stderr(&o)
    );
    // A print day edited by hand into something else is named with its line, and nothing is made.
    plaques_ok(s.path(), &[]);
    let lock = read(s.path().join("plaques.lock"));
    let day = lock.split("printed: ").nth(1).unwrap()[..10].to_string();
    write(s.path(), "plaques.lock", &lock.replace(&day, "hôm qua"));
    for o in [build(s.path(), &[]), plaques(s.path(), &[])] {
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(
            err.contains("plaques.lock:") && err.contains("`printed: hôm qua`"),
            "{err}"
        );
        assert!(err.contains("YYYY-MM-DD"), "{err}");
    }
}

#[test]
fn a_plaque_that_cannot_scan_from_its_distance_is_named_with_why() {
    let s = site(&[
        (
            "site.yaml",
            "title: T\nbase_url: https://di-tich-lich-su.so-van-hoa-the-thao.langson.gov.vn/cong-thong-tin\n",
        ),
        ("content/relics/den.md", "---\ntitle: Đền\ncode: DENKYCUNG\n---\n"),
    ]);
    let o = plaques(s.path(), &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning: plaque DENKYCUNG: its QR symbol is"),
        "{err}"
    );
    assert!(err.contains("content/relics/den.md"), "{err}");
    assert!(
        err.contains("characters, which takes") && err.contains("a shorter base_url or code"),
        "{err}"
    );
    // `waymark check` says the same before anything is printed.
    let o = std::process::Command::new(bin())
        .args(["check", "--site"])
        .arg(s.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{said}");
    assert!(
        said.contains("plaque DENKYCUNG: its QR symbol is")
            && said.contains("content/relics/den.md"),
        "{said}"
    );
    // A short base_url on the same card: no warning.
    write(
        s.path(),
        "site.yaml",
        "title: T\nbase_url: https://ls.example\n",
    );
    let o = plaques(s.path(), &[]);
    assert!(stderr(&o).contains(" 0 warning(s)"), "{}", stderr(&o));
}

/// Grey pixels (width, height, values) of one page of a PDF as poppler draws it at `dpi`.
fn pdf_grey(pdf: &Path, page: usize, dpi: u32) -> (usize, usize, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("page");
    let n = page.to_string();
    let dpi = dpi.to_string();
    let args = ["-gray", "-r", &dpi, "-f", &n, "-l", &n, "-singlefile"];
    let mut all: Vec<&str> = args.to_vec();
    all.extend([pdf.to_str().unwrap(), out.to_str().unwrap()]);
    run("pdftoppm", &all);
    let bytes = std::fs::read(out.with_extension("pgm")).unwrap();
    // P5, width, height, maxval, each followed by one whitespace byte, then the pixels.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
        at += 1;
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, bytes[at..at + w * h].to_vec())
}

/// Grey pixels of a PNG Waymark drew from the SVG (resvg).
fn png_grey(p: &Path) -> (usize, usize, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::fs::File::open(p).unwrap());
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let grey = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| {
            ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8
        })
        .collect();
    (info.width as usize, info.height as usize, grey)
}

/// The share of pixels that are ink in one drawing and paper in the other.
fn ink_mismatch(a: &(usize, usize, Vec<u8>), b: &(usize, usize, Vec<u8>)) -> f64 {
    // Poppler and resvg round the page to whole pixels each their own way.
    assert!(
        a.0.abs_diff(b.0) <= 1 && a.1.abs_diff(b.1) <= 1,
        "the same page size"
    );
    let (w, h) = (a.0.min(b.0), a.1.min(b.1));
    let differ = (0..h)
        .flat_map(|y| (0..w).map(move |x| (y, x)))
        .filter(|&(y, x)| (a.2[y * a.0 + x] < 128) != (b.2[y * b.0 + x] < 128))
        .count();
    differ as f64 / (w * h) as f64
}

#[test]
fn built_in_plaques_and_cards_written_straight_to_pdf_look_as_their_svg_draws() {
    // The PDFs of the built-in plaque and kit card are written without drawing their SVGs;
    // the PNGs are drawn from the SVGs. Both must show the same thing.
    let site = example();
    let out = plaques_ok(site.path(), &["--png"]);
    let plaque = |code: &str, ext: &str| out.join(format!("print/plaques/{code}.{ext}"));
    let hvt_pdf = pdf_grey(&plaque("HVT", "pdf"), 1, 300);
    let same = ink_mismatch(&hvt_pdf, &png_grey(&plaque("HVT", "png")));
    let other = ink_mismatch(&hvt_pdf, &png_grey(&plaque("CHILANG", "png")));
    // Anti-aliased edges differ between poppler and resvg (0.4% of the pixels here); a title
    // moved off its line is over 1%, another plaque 19%.
    assert!(
        same < 0.008,
        "the PDF and the SVG of HVT differ in {same:.4} of the pixels"
    );
    assert!(other > 0.1, "the measure tells plaques apart: {other:.4}");
    let kit = |f: &str| out.join(format!("print/kits/HHL/{f}"));
    let card_pdf = pdf_grey(&kit("kit.pdf"), 1, 300);
    let card = ink_mismatch(&card_pdf, &png_grey(&kit("listing.png")));
    let zalo = ink_mismatch(&card_pdf, &png_grey(&kit("zalo.png")));
    assert!(
        card < 0.008,
        "the PDF and the SVG of a card differ in {card:.4} of the pixels"
    );
    assert!(zalo > 0.1, "the measure tells cards apart: {zalo:.4}");
    // The text stays text, in the order it is read.
    let text = run("pdftotext", &[plaque("HVT", "pdf").to_str().unwrap(), "-"]);
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s:?} in {text}"));
    assert!(at("Di sản Lạng Sơn") < at("Khu lưu niệm Hoàng Văn Thụ"));
    assert!(at("Khu lưu niệm Hoàng Văn Thụ") < at("langson.example/q/HVT/"));
    let fonts = run("pdffonts", &[plaque("HVT", "pdf").to_str().unwrap()]);
    assert_eq!(
        fonts
            .matches("CID TrueType      Identity-H       yes yes yes")
            .count(),
        2,
        "regular and bold, embedded, subset, with a ToUnicode map: {fonts}"
    );
}

#[test]
fn a_theme_s_own_plaque_and_card_are_drawn_from_their_svg() {
    let built_in =
        |name: &str| std::fs::read_to_string(repo().join("themes/default").join(name)).unwrap();
    // The built-in templates with one more line each: only a drawing of the SVG shows it.
    let mark = |svg: String, text: &str| {
        svg.replace(
            "</svg>",
            &format!("<text x=\"10\" y=\"8\" font-size=\"3\">{text}</text></svg>"),
        )
    };
    let plaque = mark(built_in("plaque.svg"), "Đoàn thanh niên xã");
    let card = mark(built_in("kit-card.svg"), "Chủ nhà tự in");
    let s = site(&[
        ("site.yaml", "title: T\nbase_url: https://t.example\n"),
        (
            "content/relics/den.md",
            "---\ntitle: Đền Kỳ Cùng\ncode: DKC\n---\n",
        ),
        (
            "content/homestays/nha.md",
            "---\ntitle: Nhà Sàn\ncode: NS\nzalo: \"0912000404\"\n---\n",
        ),
        ("themes/default/plaque.svg", &plaque),
        ("themes/default/kit-card.svg", &card),
    ]);
    let out = plaques_ok(s.path(), &[]);
    let text = |p: &str| run("pdftotext", &[out.join(p).to_str().unwrap(), "-"]);
    assert!(text("print/plaques/DKC.pdf").contains("Đoàn thanh niên xã"));
    assert!(text("print/kits/NS/kit.pdf").contains("Chủ nhà tự in"));
    assert_eq!(
        scan_pdf(&out.join("print/plaques/DKC.pdf")),
        vec!["HTTPS://T.EXAMPLE/q/DKC/".to_string()]
    );
    // A template broken by hand: the error names it and how to mend it; the print files stay.
    write(
        s.path(),
        "themes/default/plaque.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>",
    );
    let o = plaques(s.path(), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("themes/default/plaque.svg must stay valid SVG"),
        "{err}"
    );
    assert!(
        text("print/plaques/DKC.pdf").contains("Đoàn thanh niên xã"),
        "the last print stands"
    );
    // Back to the built-in templates: the straight PDFs, without the line.
    std::fs::remove_dir_all(s.path().join("themes")).unwrap();
    let out = plaques_ok(s.path(), &[]);
    let text = |p: &str| run("pdftotext", &[out.join(p).to_str().unwrap(), "-"]);
    assert!(!text("print/plaques/DKC.pdf").contains("Đoàn thanh niên xã"));
    assert!(text("print/plaques/DKC.pdf").contains("Đền Kỳ Cùng"));
    assert!(!text("print/kits/NS/kit.pdf").contains("Chủ nhà tự in"));
}
