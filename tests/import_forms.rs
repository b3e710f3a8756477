//! `waymark import` of lists shaped as offices keep them (issue #27): a "Biểu số 02" as an old
//! .xls (tests/fixtures/import/bieu02.xls, made by make_bieu02.py beside it) with its title
//! block, two-row header, column numbers, district groups, totals and signature block; an
//! .xlsx of the same kind made here; district homestay lists with values as people write them;
//! text with combining tone marks; an export read back. Every import is built afterwards.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Output;

fn fresh_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s");
    let o = std::process::Command::new(bin())
        .arg("init")
        .arg(&s)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, s)
}

fn import(site: &Path, file: &Path, extra: &[&str]) -> Output {
    std::process::Command::new(bin())
        .arg("import")
        .arg(file)
        .args(extra)
        .arg("--site")
        .arg(site)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(o))
}

/// The entry folders of a section.
fn entries(site: &Path, section: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.join("content").join(section))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('_'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn entry(site: &Path, id: &str) -> String {
    read(site.join("content").join(id).join("index.md"))
}

#[test]
fn a_bieu_02_xls_yields_exactly_its_relics_with_districts_and_years() {
    let (dir, s) = fresh_site();
    let before = entries(&s, "relics");
    let xls = repo().join("tests/fixtures/import/bieu02.xls");
    let o = import(&s, &xls, &[]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    let mut added: Vec<String> = entries(&s, "relics")
        .into_iter()
        .filter(|e| !before.contains(e))
        .collect();
    added.sort();
    assert_eq!(
        added,
        [
            "chua-thanh",
            "den-ky-cung",
            "den-mau-dong-dang",
            "dong-tam-thanh"
        ],
        "the four relics and nothing else: {text}"
    );
    assert!(
        text.contains("4 new, 0 changed, 0 unchanged, 0 refused"),
        "{text}"
    );
    // The header's second row, the column numbers, groups, totals and the signature block
    // are said to be passed over, never made entries.
    for said in [
        "row 9: not a place (column numbers)",
        "row 10: not a place (a group: district Thành phố Lạng Sơn for the rows below)",
        "row 13: not a place (a total)",
        "row 14: not a place (a group: district Cao Lộc for the rows below)",
        "row 17: not a place (a total)",
        "row 19: not a place (notes or signatures, to the end)",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    let den = entry(&s, "relics/den-ky-cung");
    assert!(
        den.contains("district: Thành phố Lạng Sơn")
            && den.contains("recognized: 1988")
            && den.contains("ranking: national")
            && den.contains("commune: Phường Vĩnh Trại"),
        "a real Excel date under Ngày, the merged group's district: {den}"
    );
    let tam = entry(&s, "relics/dong-tam-thanh");
    assert!(
        tam.contains("district: Thành phố Lạng Sơn") && tam.contains("recognized: 1988"),
        "a date typed as text: {tam}"
    );
    let mau = entry(&s, "relics/den-mau-dong-dang");
    assert!(
        mau.contains("district: Cao Lộc")
            && mau.contains("recognized: 2012")
            && mau.contains("ranking: provincial"),
        "\"II | HUYỆN CAO LỘC\" and \"ngày 3 tháng 4 năm 2012\": {mau}"
    );
    let chua = entry(&s, "relics/chua-thanh");
    assert!(
        chua.contains("district: Cao Lộc") && !chua.contains("\nrecognized:"),
        "a decision number alone is not a year: {chua}"
    );
    assert!(
        text.contains("`455/QĐ-UBND` has no date") && text.contains("row 16:column F"),
        "{text}"
    );
    let lock = read(s.join("plaques.lock"));
    for bad in [
        "nguyen",
        "hoang-thi-lan",
        "cong",
        "tong",
        "ten-di-tich",
        "huyen",
    ] {
        assert!(!lock.contains(&format!("relics/{bad}")), "{bad}: {lock}");
    }
    build_ok(&s);

    // Read again: the same four, unchanged, nothing written.
    let snapshot = tree(&s.join("content"));
    let o = import(&s, &xls, &[]);
    assert!(
        out(&o).contains("0 new, 0 changed, 4 unchanged, 0 refused"),
        "{}",
        out(&o)
    );
    assert!(tree(&s.join("content")) == snapshot);
    drop(dir);
}

/// A district's list as an .xlsx: two title rows, a one-row header with "Số quyết định, ngày"
/// and a column Waymark has no field for, a row "1 2 3…" of numbers, group rows split over STT
/// and name, a subtotal, a row with no name, and a district office's signature block.
fn district_list(path: &Path) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("DS").unwrap();
    let f = Format::new().set_bold();
    sheet
        .merge_range(0, 0, 0, 5, "UBND HUYỆN VĂN LÃNG", &f)
        .unwrap();
    sheet
        .merge_range(1, 0, 1, 5, "DANH SÁCH DI TÍCH TRÊN ĐỊA BÀN HUYỆN", &f)
        .unwrap();
    let header = [
        "STT",
        "Tên di tích",
        "Xã",
        "Số quyết định, ngày",
        "Đơn vị quản lý",
        "Cấp xếp hạng",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(3, c as u16, *h).unwrap();
    }
    for c in 0..6u16 {
        sheet.write_number(4, c, f64::from(c + 1)).unwrap();
    }
    let rows: &[&[&str]] = &[
        &["I", "Huyện Văn Lãng", "", "", "", ""],
        &[
            "1",
            "Khu lưu niệm Hoàng Văn Thụ",
            "Hoàng Văn Thụ",
            "2009/QĐ-TTg ngày 12/10/2012",
            "UBND xã",
            "Quốc gia đặc biệt",
        ],
        &["2", "", "Tân Mỹ", "455/QĐ-UBND", "UBND xã", "Cấp tỉnh"],
        &["", "Cộng: 1 di tích", "", "", "", ""],
        &["", "", "", "TM. UBND HUYỆN", "", ""],
        &["", "", "", "CHỦ TỊCH", "", ""],
        &["", "Nông Văn Bình", "", "Lý Thị Hoa", "", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(5 + r as u32, c as u16, *v).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

#[test]
fn a_district_xlsx_with_a_nameless_row_and_an_unused_column() {
    let (dir, s) = fresh_site();
    let xlsx = dir.path().join("van-lang.xlsx");
    district_list(&xlsx);
    let before = entries(&s, "relics");
    let o = import(&s, &xlsx, &[]);
    let text = out(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the nameless row is refused: {text}"
    );
    assert!(
        text.contains("row 8: refused")
            && text.contains("van-lang.xlsx:DS:row 8:column B")
            && text.contains("this row has no name"),
        "{text}"
    );
    assert_eq!(
        text.matches("column E `Đơn vị quản lý`").count(),
        1,
        "the unused column is named once: {text}"
    );
    assert!(
        text.contains("row 5: not a place (column numbers)"),
        "{text}"
    );
    assert!(
        text.contains("row 10: not a place (notes or signatures, to the end)"),
        "{text}"
    );
    let added: Vec<String> = entries(&s, "relics")
        .into_iter()
        .filter(|e| !before.contains(e))
        .collect();
    assert_eq!(added, ["khu-luu-niem-hoang-van-thu"], "{text}");
    let hvt = entry(&s, "relics/khu-luu-niem-hoang-van-thu");
    assert!(
        hvt.contains("district: Văn Lãng")
            && hvt.contains("recognized: 2012")
            && hvt.contains("ranking: special-national"),
        "\"Số quyết định, ngày\" is the decision: {hvt}"
    );
    build_ok(&s);
}

#[test]
fn text_with_combining_marks_is_written_composed_and_is_no_change() {
    use unicode_normalization::UnicodeNormalization;
    let (dir, s) = fresh_site();
    let csv = dir.path().join("nfd.csv");
    let nfd = |t: &str| t.nfd().collect::<String>();
    std::fs::write(
        &csv,
        nfd("Tên di tích,Xã,Huyện\nĐền Kỳ Cùng,Vĩnh Trại,Thành phố Lạng Sơn\n"),
    )
    .unwrap();
    let o = import(&s, &csv, &[]);
    assert!(o.status.success(), "{}", out(&o));
    let file = s.join("content/relics/den-ky-cung/index.md");
    let written = read(&file);
    assert!(
        written.contains("title: Đền Kỳ Cùng") && written.contains("district: Thành phố Lạng Sơn"),
        "NFC: {written}"
    );
    assert!(written.nfc().eq(written.chars()), "all of it NFC");
    // The same sheet again, and with --update: unchanged, the file untouched.
    let o = import(&s, &csv, &["--update"]);
    assert!(
        out(&o).contains("0 new, 0 changed, 1 unchanged"),
        "{}",
        out(&o)
    );
    assert_eq!(read(&file), written);
    // A change in another cell rewrites that line only; the title stays composed.
    std::fs::write(
        &csv,
        nfd("Tên di tích,Xã,Huyện\nĐền Kỳ Cùng,Vĩnh Trại,Cao Lộc\n"),
    )
    .unwrap();
    let o = import(&s, &csv, &["--update"]);
    let text = out(&o);
    assert!(
        text.contains("changed relics/den-ky-cung") && !text.contains("title:"),
        "{text}"
    );
    assert_eq!(
        read(&file),
        written.replace("district: Thành phố Lạng Sơn", "district: Cao Lộc")
    );
    build_ok(&s);
}

#[test]
fn an_export_read_into_another_site_keeps_sections_and_prices() {
    let src = example();
    let o = std::process::Command::new(bin())
        .args(["export", "--format", "xlsx", "--site"])
        .arg(src.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", out(&o));
    let file = src.path().join("output/export/entries.xlsx");
    let (_dir, s) = fresh_site();
    let o = import(&s, &file, &[]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    let nha = entry(&s, "homestays/nha-san-quynh-son");
    assert!(
        nha.contains("price_from:") && nha.contains("phone:"),
        "a homestay stays a homestay, with its price: {nha}"
    );
    assert!(
        !s.join("content/relics/nha-san-quynh-son").exists(),
        "not made a relic"
    );
    build_ok(&s);

    // A price on a relic's row is said, not dropped in silence.
    let csv = s.join("../price.csv");
    std::fs::write(&csv, "Tên di tích,Giá\nĐền Bắc Lệ,50.000đ\n").unwrap();
    let o = import(&s, &csv, &[]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert!(
        text.contains("the price `50.000đ` is not read: a price is for homestays")
            && text.contains("price.csv:CSV:row 2:column B"),
        "{text}"
    );
}

#[test]
fn homestay_values_as_people_write_them() {
    let (dir, s) = fresh_site();
    let csv = dir.path().join("homestay.csv");
    let rows = [
        "Tên homestay,Xã,Điện thoại,Zalo,Giá,Tọa độ,Đặt phòng",
        "Nhà sàn Bó Củng,Bắc Sơn,0988.111.222 / 0355 222 333,+84 912.345.678,từ 300.000,\"21.9000,106.3300\",fb.com/nhasanbocung",
        "Homestay Hoa Mai,Bắc Sơn,0912 345 678,,500.000 - 800.000 đ,\"https://www.google.com/maps/place/Hoa+Mai/@21.9012,106.3345,17z/data=!3m1!4b1\",booking.com/hotel/vn/hoa-mai",
        "Homestay Hoa Mai,Hữu Liên,091.234.5678,,Liên hệ,\"https://maps.google.com/?q=21.7,106.3\",",
        "Nhà Lan,Mẫu Sơn,+84912345679,,350k,https://maps.app.goo.gl/Xy12AbCd,",
        "Nhà nghỉ cộng đồng dân tộc Dao đỏ thôn Khuổi Cấp xã Mẫu Sơn huyện Lộc Bình tỉnh Lạng Sơn gần đỉnh núi,Mẫu Sơn,0205 3870 123,,250000,,",
    ];
    std::fs::write(&csv, rows.join("\n")).unwrap();
    let o = import(&s, &csv, &["--section", "homestays"]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert!(text.contains("5 new, 0 changed"), "{text}");
    let bo = entry(&s, "homestays/nha-san-bo-cung");
    for want in [
        "phone: 0988 111 222, 0355 222 333",
        "zalo: 0912 345 678",
        "price_from: 300000",
        "lat: 21.9",
        "lon: 106.33",
        "booking_url: https://fb.com/nhasanbocung",
    ] {
        assert!(bo.contains(want), "{want}: {bo}");
    }
    // The same name in two communes: two entries, told apart by commune.
    let a = entry(&s, "homestays/homestay-hoa-mai-bac-son");
    assert!(
        a.contains("price_from: 500000")
            && a.contains("lat: 21.9012")
            && a.contains("booking_url: https://booking.com/hotel/vn/hoa-mai"),
        "{a}"
    );
    let b = entry(&s, "homestays/homestay-hoa-mai-huu-lien");
    assert!(
        !b.contains("\nprice_from:")
            && b.contains("lat: 21.7")
            && b.contains("phone: 091 234 5678"),
        "Liên hệ is no price and no error: {b}"
    );
    let lan = entry(&s, "homestays/nha-lan");
    assert!(
        lan.contains("\nphone: '0912345679'") && !lan.contains("\nlocation:"),
        "{lan}"
    );
    assert!(
        text.contains("short map link holds no coordinates") && text.contains("row 5:column F"),
        "a short link is said to hold nothing: {text}"
    );
    let long: Vec<String> = entries(&s, "homestays")
        .into_iter()
        .filter(|e| e.starts_with("nha-nghi-cong-dong"))
        .collect();
    assert_eq!(long.len(), 1, "{text}");
    assert!(
        long[0].len() <= 60 && !long[0].ends_with('-'),
        "cut after a word: {}",
        long[0]
    );
    assert!(
        "nha-nghi-cong-dong-dan-toc-dao-do-thon-khuoi-cap-xa-mau-son-huyen-loc-binh"
            .starts_with(&format!("{}-", long[0])),
        "{}",
        long[0]
    );
    // What was written builds, with a call button for each number, labelled with the one it dials.
    let out_dir = build_ok(&s);
    let page = read(out_dir.join("site/homestays/nha-san-bo-cung/index.html"));
    assert!(
        page.contains(r#"href="tel:+84988111222">Gọi 0988 111 222</a>"#)
            && page.contains(r#"href="tel:+84355222333">Gọi 0355 222 333</a>"#),
        "{page}"
    );
}

#[test]
fn a_build_check_problem_is_named_by_sheet_row_and_column() {
    let (dir, s) = fresh_site();
    let csv = dir.path().join("relics.csv");
    // A booking link in a list of relics: read, but the build refuses it for a relic.
    std::fs::write(
        &csv,
        "Tên di tích,Xã,Đặt phòng\nĐền Bắc Lệ,Tân Thành,booking.com/x\nChùa Tiên,Tam Thanh,\nĐình Kỳ Lừa,Hoàng Văn Thụ,\n",
    )
    .unwrap();
    let o = import(&s, &csv, &[]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("relics.csv:CSV:row 2:column C")
            && text.contains("`booking_url` is a field of homestays"),
        "{text}"
    );
    assert!(
        !text.contains("content/relics/den-bac-le/index.md"),
        "never a file that does not exist: {text}"
    );
    build_ok(&s);
}

#[test]
fn when_most_rows_are_refused_nothing_is_written_unless_partial() {
    let (dir, s) = fresh_site();
    let csv = dir.path().join("shifted.csv");
    // A list whose columns were shifted: the ranking sits under the year.
    std::fs::write(
        &csv,
        "Tên di tích,Năm,Cấp xếp hạng\nĐền Bắc Lệ,Cấp tỉnh,1993\nChùa Tiên,Cấp tỉnh,1994\nĐình Kỳ Lừa,1995,Cấp tỉnh\n",
    )
    .unwrap();
    let state = |s: &Path| (tree(&s.join("content")), read(s.join("plaques.lock")));
    let before = state(&s);
    let o = import(&s, &csv, &[]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("nothing written: 2 of 3 rows were refused") && text.contains("--partial"),
        "{text}"
    );
    assert!(state(&s) == before, "no file, no code pinned");
    let o = import(&s, &csv, &["--partial"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("1 new") && text.contains("file(s) written"),
        "{text}"
    );
    assert!(s.join("content/relics/dinh-ky-lua/index.md").is_file());
    build_ok(&s);
}

#[test]
fn messages_in_vietnamese_with_lang_vi_or_a_vietnamese_locale() {
    let (dir, s) = fresh_site();
    let csv = dir.path().join("list.csv");
    std::fs::write(
        &csv,
        "Tên di tích,Cấp xếp hạng\nĐền Bắc Lệ,Cấp tỉnh\nChùa Tiên,hạng A\n,Cấp tỉnh\n",
    )
    .unwrap();
    let english = out(&import(&s, &csv, &["--dry-run"]));
    assert!(!english.contains("tiếng Việt"), "{english}");
    let run = |args: &[&str], lang: &str| {
        let o = std::process::Command::new(bin())
            .args(args)
            .arg("import")
            .arg(&csv)
            .args(["--dry-run", "--site"])
            .arg(&s)
            .env("LANG", lang)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .output()
            .unwrap();
        out(&o)
    };
    for text in [run(&["--lang", "vi"], "C.UTF-8"), run(&[], "vi_VN.UTF-8")] {
        assert!(
            text.contains("tiếng Việt: ô `hạng A`: viết Quốc gia đặc biệt, Quốc gia hoặc Cấp tỉnh"),
            "{text}"
        );
        assert!(text.contains("dòng này không có tên"), "{text}");
        assert!(
            text.contains("1 mới, 0 thay đổi, 0 không đổi, 2 bị từ chối"),
            "{text}"
        );
    }
}

#[test]
fn commune_groups_give_their_commune_and_a_checks_warning_is_said() {
    let (dir, s) = fresh_site();
    let csv = dir.path().join("loc-binh.csv");
    std::fs::write(
        &csv,
        "STT,Tên homestay,Điện thoại,Vĩ độ,Kinh độ\n\
         ,XÃ BẮC SƠN,,,\n\
         1,Nhà Hoa,0912 000 111,21.9,106.33\n\
         ,Xã Hữu Liên,,,\n\
         2,Nhà Mai,0912 000 222,48.85,2.35\n\
         \"Tổng cộng: 2 cơ sở\",,,,\n",
    )
    .unwrap();
    let o = import(&s, &csv, &["--section", "homestays"]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert!(text.contains("2 new, 0 changed"), "{text}");
    assert!(
        entry(&s, "homestays/nha-hoa").contains("commune: Xã Bắc Sơn"),
        "{}",
        entry(&s, "homestays/nha-hoa")
    );
    assert!(entry(&s, "homestays/nha-mai").contains("commune: Xã Hữu Liên"));
    assert!(
        text.contains("is outside Vietnam") && text.contains("loc-binh.csv:CSV:row 5:column D"),
        "the build's warning, by cell: {text}"
    );
    build_ok(&s);
}

/// A province's list as found by a new user: "TT" for the number column, the count written in
/// words and sentences ("Tổng số di tích: 3", "Toàn huyện: 3 di tích", "Tổng số có 3 di tích",
/// "Cộng toàn tỉnh"), a heading of candidates ("* Di tích đang đề nghị xếp hạng"), and both a
/// "Google Maps" and a "Tọa độ" column, one or the other filled. Only the places become entries,
/// each with its position.
#[test]
fn a_numbered_list_keeps_its_places_and_reads_either_position_column() {
    use rust_xlsxwriter::Workbook;
    let (_dir, s) = fresh_site();
    let before = entries(&s, "relics");
    let path = s.join("dm3.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let header = [
        "TT",
        "Tên di tích",
        "Địa điểm",
        "Cấp xếp hạng",
        "Google Maps",
        "Tọa độ",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let rows: &[&[&str]] = &[
        &[
            "1",
            "Đình Phai Vệ",
            "Đông Kinh",
            "Cấp tỉnh",
            "https://www.google.com/maps/place/x/@21.8510,106.7680,17z",
            "",
        ],
        &[
            "2",
            "Chùa Thành",
            "Vĩnh Trại",
            "Cấp tỉnh",
            "",
            "21.9000,106.3300",
        ],
        &["", "Tổng số di tích: 3", "", "", "", ""],
        &["", "Toàn huyện: 3 di tích", "", "", "", ""],
        &["", "Tổng số có 3 di tích", "", "", "", ""],
        &["", "* Di tích đang đề nghị xếp hạng", "", "", "", ""],
        &[
            "3",
            "Đền Bắc Lệ",
            "Tân Thành",
            "",
            "https://maps.app.goo.gl/AbCdEf",
            "21,68; 106,36",
        ],
        &["", "Cộng toàn tỉnh", "", "", "", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(1 + r as u32, c as u16, *v).unwrap();
            }
        }
    }
    book.save(&path).unwrap();
    let o = import(&s, &path, &[]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    let mut made: Vec<String> = entries(&s, "relics")
        .into_iter()
        .filter(|e| !before.contains(e))
        .collect();
    made.sort();
    assert_eq!(made, ["chua-thanh", "den-bac-le", "dinh-phai-ve"], "{text}");
    assert!(
        entry(&s, "relics/dinh-phai-ve").contains("lat: 21.851"),
        "from Google Maps"
    );
    assert!(
        entry(&s, "relics/chua-thanh").contains("lat: 21.9"),
        "from Tọa độ"
    );
    assert!(
        entry(&s, "relics/den-bac-le").contains("lat: 21.68"),
        "the short link holds none; Tọa độ does"
    );
    assert!(!text.contains("not read: column F"), "{text}");
    let ledger = read(s.join("plaques.lock"));
    for junk in ["tong-so", "toan-huyen", "cong-toan", "de-nghi"] {
        assert!(!ledger.contains(junk), "{junk} pinned a code: {ledger}");
    }
    build_ok(&s);
}
