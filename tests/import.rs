//! `waymark import` and `waymark export` with spreadsheets made here as culture offices make
//! them: a title row, merged cells, Vietnamese headers, DMS coordinates, a decision and its date
//! in one cell, a blank row, a duplicate; an ODS; CSVs in UTF-8, UTF-8 with BOM and Windows-1258.
//! Each is imported into a fresh `waymark init` site that then builds.

mod common;
use common::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

fn fresh_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(bin())
        .args(["init"])
        .arg(dir.path().join("s"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

fn import(site: &Path, file: &Path, extra: &[&str]) -> Output {
    std::process::Command::new(bin())
        .arg("import")
        .arg(file)
        .args(extra)
        .arg("--site")
        .arg(site)
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(o))
}

/// The province's list as an XLSX: title rows, a merged district, a decision-and-date cell, DMS.
fn relic_list(path: &Path) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Danh mục").unwrap();
    let f = Format::new();
    sheet
        .merge_range(0, 0, 0, 7, "DANH MỤC DI TÍCH ĐÃ XẾP HẠNG TỈNH LẠNG SƠN", &f)
        .unwrap();
    sheet
        .merge_range(1, 0, 1, 7, "(Kèm theo Quyết định số 12/QĐ-UBND)", &f)
        .unwrap();
    let headers = [
        "STT",
        "Tên di tích (tên đầy đủ theo xếp hạng)",
        "Số Quyết định (ngày)",
        "Địa điểm",
        "Xã / Phường",
        "Huyện",
        "Cấp xếp hạng",
        "Tọa độ",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let rows: [[&str; 8]; 4] = [
        [
            "1",
            "DTLS Đền Kỳ Cùng",
            "191-VH/QĐ, 22/3/1988",
            "Phường Vĩnh Trại",
            "Vĩnh Trại",
            "Thành phố Lạng Sơn",
            "Quốc gia",
            "21°51'12\"N 106°45'36\"E",
        ],
        [
            "2",
            "DLTC Động Tam Thanh",
            "QĐ 1288, 16/11/1988",
            "Phường Tam Thanh",
            "Tam Thanh",
            "",
            "Quốc gia",
            "21.8574, 106.7434",
        ],
        ["", "", "", "", "", "", "", ""],
        [
            "3",
            "ĐTLSCM Khu lưu niệm Hoàng Văn Thụ",
            "2009/QĐ-TTg, 12/10/2012",
            "Xã Hoàng Văn Thụ",
            "Hoàng Văn Thụ",
            "Văn Lãng",
            "Quốc gia đặc biệt",
            "22.0456, 106.5571",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if c == 0 && !v.is_empty() {
                sheet
                    .write_number(3 + r as u32, 0, v.parse::<f64>().unwrap())
                    .unwrap();
            } else if !v.is_empty() {
                sheet.write_string(3 + r as u32, c as u16, *v).unwrap();
            }
        }
    }
    // The district merged over the first two relics, as offices do.
    sheet
        .merge_range(3, 5, 4, 5, "Thành phố Lạng Sơn", &f)
        .unwrap();
    // A duplicate of the first row.
    for (c, v) in rows[0].iter().enumerate() {
        sheet.write_string(7, c as u16, *v).unwrap();
    }
    book.save(path).unwrap();
}

#[test]
fn a_provincial_xlsx_list_becomes_entries_that_build() {
    let dir = fresh_site();
    let s = dir.path().join("s");
    let xlsx = dir.path().join("danh-muc.xlsx");
    relic_list(&xlsx);
    let o = import(&s, &xlsx, &[]);
    let text = out(&o);
    // The duplicate is refused (exit 1), the rest written.
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("row 4: new relics/den-ky-cung"), "{text}");
    assert!(text.contains("row 5: new relics/dong-tam-thanh"), "{text}");
    assert!(
        text.contains("row 7: new relics/khu-luu-niem-hoang-van-thu"),
        "{text}"
    );
    assert!(
        text.contains("row 8: refused") && text.contains("danh-muc.xlsx:Danh mục:row 8:column B"),
        "{text}"
    );
    assert!(
        text.contains("3 new, 0 changed, 0 unchanged, 1 refused"),
        "{text}"
    );
    let den = read(s.join("content/relics/den-ky-cung/index.md"));
    assert!(
        den.contains("title: Đền Kỳ Cùng"),
        "the type prefix is not in the title: {den}"
    );
    assert!(den.contains("lịch sử"), "it is a tag: {den}");
    assert!(
        den.contains("ranking: national") && den.contains("recognized: 1988"),
        "{den}"
    );
    assert!(
        den.contains("lat: 21.853333") && den.contains("lon: 106.76"),
        "DMS read: {den}"
    );
    assert!(
        den.contains("# Tên địa điểm"),
        "the scaffold's comments, as `waymark new` writes: {den}"
    );
    let tam = read(s.join("content/relics/dong-tam-thanh/index.md"));
    assert!(
        tam.contains("district: Thành phố Lạng Sơn"),
        "the merged district reaches every row: {tam}"
    );
    let hvt = read(s.join("content/relics/khu-luu-niem-hoang-van-thu/index.md"));
    assert!(
        hvt.contains("ranking: special-national") && hvt.contains("recognized: 2012"),
        "{hvt}"
    );
    let lock = read(s.join("plaques.lock"));
    assert!(
        lock.contains("page: relics/den-ky-cung")
            && lock.contains("page: relics/khu-luu-niem-hoang-van-thu"),
        "{lock}"
    );
    build_ok(&s);

    // Importing the same list again: nothing new, nothing changed, nothing written.
    let before = tree(&s.join("content"));
    let o = import(&s, &xlsx, &[]);
    assert!(
        out(&o).contains("0 new, 0 changed, 3 unchanged, 1 refused"),
        "{}",
        out(&o)
    );
    assert!(
        out(&o).contains("row 4 above is relics/den-ky-cung too"),
        "{}",
        out(&o)
    );
    assert!(tree(&s.join("content")) == before, "nothing written");
}

#[test]
fn a_changed_row_is_listed_and_written_only_with_update_keeping_the_file() {
    let dir = fresh_site();
    let s = dir.path().join("s");
    let csv = dir.path().join("list.csv");
    std::fs::write(&csv, "Tên di tích,Xã,Huyện,Cấp xếp hạng,Năm\nĐền Kỳ Cùng,Vĩnh Trại,Thành phố Lạng Sơn,Quốc gia,1988\n").unwrap();
    assert!(import(&s, &csv, &[]).status.success());
    let file = s.join("content/relics/den-ky-cung/index.md");
    // A volunteer writes the text and a comment; then the office's list changes the district.
    let mine = read(&file).replace(
        "Viết giới thiệu ở đây",
        "Bài của Lan. Viết giới thiệu ở đây",
    );
    std::fs::write(&file, &mine).unwrap();
    std::fs::write(
        &csv,
        "Tên di tích,Xã,Huyện,Cấp xếp hạng,Năm\nĐền Kỳ Cùng,Vĩnh Trại,Cao Lộc,Quốc gia,1988\n",
    )
    .unwrap();
    let o = import(&s, &csv, &[]);
    let text = out(&o);
    assert!(
        text.contains("row 2: changed relics/den-ky-cung")
            && text.contains("district: Thành phố Lạng Sơn → Cao Lộc"),
        "{text}"
    );
    assert!(text.contains("--update"), "{text}");
    assert_eq!(read(&file), mine, "not written without --update");
    let o = import(&s, &csv, &["--update", "--dry-run"]);
    assert!(out(&o).contains("nothing written (--dry-run)"));
    assert_eq!(read(&file), mine);
    let o = import(&s, &csv, &["--update"]);
    assert!(o.status.success(), "{}", out(&o));
    assert_eq!(
        read(&file),
        mine.replace("district: Thành phố Lạng Sơn", "district: Cao Lộc"),
        "only the district line changed"
    );
}

/// A minimal OpenDocument spreadsheet: a header row and one homestay.
fn ods(path: &Path) {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Homestay">
<table:table-row><table:table-cell office:value-type="string"><text:p>Tên homestay</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Điện thoại</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Giá</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Vĩ độ</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Kinh độ</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Nhà sàn Nà Lạn</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>+84 912.000.101</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>250.000đ</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="22.0231"><text:p>22.0231</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="106.5902"><text:p>106.5902</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let file = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(file);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("META-INF/manifest.xml", stored).unwrap();
    z.write_all(manifest.as_bytes()).unwrap();
    z.start_file("content.xml", stored).unwrap();
    z.write_all(content.as_bytes()).unwrap();
    z.finish().unwrap();
}

#[test]
fn ods_and_csv_in_every_encoding_import_and_build() {
    let dir = fresh_site();
    let s = dir.path().join("s");
    let file = dir.path().join("homestay.ods");
    ods(&file);
    let o = import(&s, &file, &["--section", "homestays"]);
    assert!(o.status.success(), "{}", out(&o));
    let nha = read(s.join("content/homestays/nha-san-na-lan/index.md"));
    assert!(
        nha.contains("phone: 0912 000 101")
            && nha.contains("price_from: 250000")
            && nha.contains("lat: 22.0231"),
        "{nha}"
    );

    let header = "Tên di tích;Xã;Cấp xếp hạng\n";
    let utf8 = format!("{header}Chùa Tiên;Tam Thanh;Cấp tỉnh\n");
    let bom = format!("\u{feff}{header}Đồn Đồng Đăng;Đồng Đăng;Cấp tỉnh\n");
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("utf8.csv", utf8.into_bytes(), "UTF-8", "relics/chua-tien"),
        ("bom.csv", bom.into_bytes(), "UTF-8", "relics/don-dong-dang"),
        (
            "excel.csv",
            windows_1258("Tên di tích,Xã,Cấp xếp hạng\nĐình Kỳ Lừa,Kỳ Lừa,Cấp tỉnh\n"),
            "Windows-1258",
            "relics/dinh-ky-lua",
        ),
    ];
    for (name, bytes, enc, id) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let o = import(&s, &p, &[]);
        let text = out(&o);
        assert!(o.status.success(), "{name}: {text}");
        assert!(text.contains(&format!("as {enc} text")), "{name}: {text}");
        assert!(text.contains(&format!("new {id}")), "{name}: {text}");
    }
    assert!(read(s.join("content/relics/dinh-ky-lua/index.md")).contains("title: Đình Kỳ Lừa"));
    build_ok(&s);
}

/// Text as Vietnamese Windows saves it: code page 1258, tone marks as combining characters.
fn windows_1258(text: &str) -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    let tones = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let split: String = text
        .chars()
        .flat_map(|c| {
            let d: String = c.nfd().collect();
            let base: String = d.chars().filter(|m| !tones.contains(m)).nfc().collect();
            let marks: String = d.chars().filter(|m| tones.contains(m)).collect();
            format!("{base}{marks}").chars().collect::<Vec<_>>()
        })
        .collect();
    let (bytes, _, unmapped) = encoding_rs::WINDOWS_1258.encode(&split);
    assert!(!unmapped);
    bytes.into_owned()
}

#[test]
fn bad_files_and_bad_rows_are_named_and_write_nothing() {
    let dir = fresh_site();
    let s = dir.path().join("s");
    let state = |s: &Path| (tree(&s.join("content")), read(s.join("plaques.lock")));
    let before = state(&s);
    let write = |name: &str, bytes: &[u8]| -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let text_as_xlsx = write("notes.xlsx", b"this is not a workbook");
    let o = import(&s, &text_as_xlsx, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("notes.xlsx cannot be opened as a workbook"),
        "{}",
        out(&o)
    );

    let o = import(&s, &dir.path().join("missing.xlsx"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("missing.xlsx does not exist"),
        "{}",
        out(&o)
    );

    let good = dir.path().join("good.xlsx");
    relic_list(&good);
    let bytes = std::fs::read(&good).unwrap();
    let cut = write("cut.xlsx", &bytes[..bytes.len() / 2]);
    let o = import(&s, &cut, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("cut.xlsx cannot be opened"), "{}", out(&o));

    let no_header = write("plain.csv", "a,b,c\n1,2,3\n".as_bytes());
    let o = import(&s, &no_header, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("no header row found"), "{}", out(&o));

    let far = write(
        "far.csv",
        "Tên di tích,Vĩ độ,Kinh độ\nĐền Xa,210.5,106.7\n".as_bytes(),
    );
    let o = import(&s, &far, &[]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    assert!(
        text.contains("far.csv:CSV:row 2:column B")
            && text.contains("latitude is between -90 and 90"),
        "{text}"
    );

    let strict = write(
        "strict.csv",
        "Tên di tích,Vĩ độ,Kinh độ\nĐền Gần,21.8,106.7\nĐền Xa,210.5,106.7\n".as_bytes(),
    );
    let o = import(&s, &strict, &["--strict"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("nothing written: --strict"), "{}", out(&o));
    assert!(state(&s) == before, "nothing written by any of them");
}

#[test]
fn export_then_import_changes_nothing() {
    let s = example();
    for format in ["csv", "xlsx"] {
        let o = std::process::Command::new(bin())
            .args(["export", "--format", format, "--site"])
            .arg(s.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", out(&o));
        let file = s.path().join(format!("output/export/entries.{format}"));
        let before = tree(&s.path().join("content"));
        let o = import(s.path(), &file, &["--update"]);
        let text = out(&o);
        assert!(o.status.success(), "{text}");
        assert!(
            text.contains("0 new, 0 changed, 16 unchanged, 0 refused"),
            "{text}"
        );
        assert!(tree(&s.path().join("content")) == before, "nothing changed");
    }
    let csv = std::fs::read(s.path().join("output/export/entries.csv")).unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBFCode,Short link,Page"),
        "UTF-8 with BOM for Excel"
    );
    let text = String::from_utf8_lossy(&csv);
    assert!(text.contains("HVT,https://langson.example/q/HVT/,https://langson.example/relics/khu-luu-niem-hoang-van-thu/,relics,Khu lưu niệm Hoàng Văn Thụ"), "{text}");
    // A build leaves the exports beside the site.
    build_ok(s.path());
    assert!(s.path().join("output/export/entries.xlsx").is_file());
}

#[test]
fn a_mapping_file_names_unusual_columns_and_a_sheet_is_chosen() {
    let dir = fresh_site();
    let s = dir.path().join("s");
    let xlsx = dir.path().join("two.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let first = book.add_worksheet();
    first.set_name("Ghi chú").unwrap();
    first.write_string(0, 0, "Bảng này để trống").unwrap();
    let second = book.add_worksheet();
    second.set_name("Di tích").unwrap();
    for (c, h) in ["Tên đầy đủ", "Số hiệu biển", "Đơn vị quản lý"]
        .iter()
        .enumerate()
    {
        second.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["Thành nhà Mạc", "TNM", "Ban quản lý"].iter().enumerate() {
        second.write_string(1, c as u16, *v).unwrap();
    }
    book.save(&xlsx).unwrap();
    let map = dir.path().join("map.yaml");
    std::fs::write(
        &map,
        "columns:\n  Tên đầy đủ: title\n  Số hiệu biển: code\n  Đơn vị quản lý: ignore\n",
    )
    .unwrap();
    let o = import(
        &s,
        &xlsx,
        &["--sheet", "Di tích", "--map", map.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("new relics/thanh-nha-mac (code TNM)"),
        "{}",
        out(&o)
    );
    assert!(read(s.join("plaques.lock")).contains("TNM: { page: relics/thanh-nha-mac }"));
    let o = import(&s, &xlsx, &["--sheet", "Không có"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("has no sheet `Không có`; its sheets are: Ghi chú, Di tích"),
        "{}",
        out(&o)
    );
    std::fs::write(&map, "columns:\n  Tên đầy đủ: tittle\n").unwrap();
    let o = import(&s, &xlsx, &["--map", map.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("`tittle` (for column `Tên đầy đủ`) is not a field"),
        "{}",
        out(&o)
    );
}

#[test]
fn a_title_that_looks_like_a_formula_stays_text_both_ways() {
    let s = site(&[(
        "content/relics/den.md",
        "---\ntitle: \"=HYPERLINK(\\\"https://evil.example\\\";\\\"Đền\\\")\"\n---\n\nĐền.\n",
    )]);
    let o = std::process::Command::new(bin())
        .args(["export", "--site"])
        .arg(s.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", out(&o));
    let file = s.path().join("output/export/entries.csv");
    let csv = read(&file);
    assert!(
        csv.contains("\"'=HYPERLINK("),
        "a spreadsheet shows it as text: {csv}"
    );
    let o = import(s.path(), &file, &["--update"]);
    assert!(
        out(&o).contains("0 new, 0 changed, 1 unchanged"),
        "{}",
        out(&o)
    );
}

#[test]
fn nothing_is_imported_through_a_link_out_of_the_site() {
    let dir = fresh_site();
    let s = dir.path().join("s");
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), s.join("content/homestays")).unwrap();
    let csv = dir.path().join("h.csv");
    std::fs::write(&csv, "Tên homestay,Giá\nNhà Lan,250000\n").unwrap();
    let o = import(&s, &csv, &["--section", "homestays"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("a link or a file stands where this folder should be"),
        "{}",
        out(&o)
    );
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

#[test]
fn an_update_keeps_an_entry_with_photos_valid() {
    let dir = fresh_site();
    let s = dir.path().join("s");
    write(&s, "content/relics/den-ky-cung/index.md", "---\ntitle: Đền Kỳ Cùng\ncommune: Vĩnh Trại\nimages: [{ src: cong.jpg, alt: Cổng }]\n---\n\nĐền.\n");
    std::fs::write(
        s.join("content/relics/den-ky-cung/cong.jpg"),
        media::phone_jpeg(64, 48, 1),
    )
    .unwrap();
    let csv = dir.path().join("list.csv");
    std::fs::write(
        &csv,
        "Tên di tích,Xã,Huyện\nĐền Kỳ Cùng,Vĩnh Trại,Cao Lộc\n",
    )
    .unwrap();
    let o = import(&s, &csv, &["--update"]);
    assert!(o.status.success(), "{}", out(&o));
    let text = read(s.join("content/relics/den-ky-cung/index.md"));
    assert!(
        text.contains("district: Cao Lộc")
            && text.contains("images: [{ src: cong.jpg, alt: Cổng }]"),
        "{text}"
    );
    build_ok(&s);
}

/// An import is checked against the whole site before it writes, as an editor save is: a note
/// whose link leads nowhere would stop the next build (a file's own checks do not follow
/// links), so nothing is written.
#[test]
fn an_import_that_would_stop_the_build_writes_nothing() {
    let s = site(&[(
        "content/relics/den-ky-cung.md",
        "---\ntitle: Đền Kỳ Cùng\n---\n",
    )]);
    let csv = s.path().join("ds.csv");
    std::fs::write(
        &csv,
        "STT,Tên di tích,Huyện,Ghi chú\n1,Chùa Tam Thanh,Thành phố Lạng Sơn,Gần [đền Kỳ Cùng](../den-ky-cung-cu.md)\n2,Đình Nà Lạn,Văn Lãng,\n",
    )
    .unwrap();
    let content = |d: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        tree(d)
            .into_iter()
            .filter(|(p, _)| !p.starts_with(".waymark-cache"))
            .collect()
    };
    let before = content(s.path());
    let o = import(s.path(), &csv, &[]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("den-ky-cung-cu.md"), "{text}");
    assert!(
        text.contains("row 2:column D"),
        "named by its row and the notes' cell: {text}"
    );
    assert!(
        !text.contains("chua-tam-thanh/index.md"),
        "not by a file that does not exist: {text}"
    );
    assert_eq!(content(s.path()), before, "nothing written: {text}");
    build_ok(s.path());
}

/// A row matched by its code that names another place (another title in another commune) is a
/// mistyped code: refused, so the printed plaque keeps showing its place; a rename in the same
/// commune goes through.
#[test]
fn a_code_in_the_sheet_never_moves_a_plaque_to_another_place() {
    let hvt = "---\ntitle: Khu lưu niệm Hoàng Văn Thụ\ncode: HVT\ncommune: Hoàng Văn Thụ\ndistrict: Văn Lãng\n---\n";
    let s = site(&[("content/relics/hvt.md", hvt)]);
    build_ok(s.path());
    let csv = s.path().join("ds.csv");
    std::fs::write(
        &csv,
        "STT,Tên di tích,Xã,Huyện,Mã\n1,Đình Phai Vệ,Đông Kinh,Thành phố Lạng Sơn,HVT\n",
    )
    .unwrap();
    let o = import(s.path(), &csv, &["--update"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("code HVT is the plaque of Khu lưu niệm Hoàng Văn Thụ"),
        "{text}"
    );
    assert_eq!(read(s.path().join("content/relics/hvt.md")), hvt);
    std::fs::write(
        &csv,
        "STT,Tên di tích,Xã,Huyện,Mã\n1,Khu di tích Hoàng Văn Thụ,Hoàng Văn Thụ,Văn Lãng,HVT\n",
    )
    .unwrap();
    let o = import(s.path(), &csv, &["--update"]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert!(
        read(s.path().join("content/relics/hvt.md")).contains("title: Khu di tích Hoàng Văn Thụ")
    );
}
