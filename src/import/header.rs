//! Finding the header row below a list's title rows, and what each column holds, by the names
//! lists give them in Vietnamese or English, with or without diacritics.

use super::table::{fold, Table};
use crate::error::{Diagnostic, Error, Result};
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Ignore,
    Title,
    Address,
    Commune,
    District,
    Type,
    Ranking,
    Decision,
    Year,
    Lat,
    Lon,
    LatLon,
    Phone,
    Zalo,
    Price,
    Code,
    Summary,
    Notes,
    Tags,
    Booking,
}

/// Header names (folded) and what they hold; the first that a header starts with wins, so
/// longer names come first.
const NAMES: &[(&str, Column)] = &[
    ("stt", Column::Ignore),
    ("so thu tu", Column::Ignore),
    ("no.", Column::Ignore),
    ("ten di tich", Column::Title),
    ("ten dia diem", Column::Title),
    ("ten homestay", Column::Title),
    ("ten co so", Column::Title),
    ("title", Column::Title),
    ("name", Column::Title),
    ("ten", Column::Title),
    ("dia diem", Column::Address),
    ("dia chi", Column::Address),
    ("address", Column::Address),
    ("location", Column::Address),
    ("xa/phuong", Column::Commune),
    ("xa / phuong", Column::Commune),
    ("xa", Column::Commune),
    ("phuong", Column::Commune),
    ("commune", Column::Commune),
    ("ward", Column::Commune),
    ("huyen", Column::District),
    ("district", Column::District),
    ("loai hinh", Column::Type),
    ("loai", Column::Type),
    ("type", Column::Type),
    ("cap xep hang", Column::Ranking),
    ("xep hang", Column::Ranking),
    ("cap", Column::Ranking),
    ("ranking", Column::Ranking),
    ("rank", Column::Ranking),
    ("so quyet dinh", Column::Decision),
    ("quyet dinh", Column::Decision),
    ("so qd", Column::Decision),
    ("decision", Column::Decision),
    ("nam xep hang", Column::Year),
    ("nam", Column::Year),
    ("year", Column::Year),
    ("recognized", Column::Year),
    ("vi do", Column::Lat),
    ("latitude", Column::Lat),
    ("lat", Column::Lat),
    ("kinh do", Column::Lon),
    ("longitude", Column::Lon),
    ("lon", Column::Lon),
    ("lng", Column::Lon),
    ("toa do", Column::LatLon),
    ("coordinates", Column::LatLon),
    ("gps", Column::LatLon),
    ("dien thoai", Column::Phone),
    ("sdt", Column::Phone),
    ("so dien thoai", Column::Phone),
    ("phone", Column::Phone),
    ("zalo", Column::Zalo),
    ("gia", Column::Price),
    ("price", Column::Price),
    ("ma bien", Column::Code),
    ("ma qr", Column::Code),
    ("ma", Column::Code),
    ("code", Column::Code),
    ("tom tat", Column::Summary),
    ("gioi thieu", Column::Summary),
    ("summary", Column::Summary),
    ("ghi chu", Column::Notes),
    ("notes", Column::Notes),
    ("note", Column::Notes),
    ("the", Column::Tags),
    ("tags", Column::Tags),
    ("dat phong", Column::Booking),
    ("booking", Column::Booking),
    // What `waymark export` writes and import has no use for.
    ("short link", Column::Ignore),
    ("page", Column::Ignore),
    ("section", Column::Ignore),
    ("photos", Column::Ignore),
    ("audio", Column::Ignore),
    ("translations", Column::Ignore),
    ("printed", Column::Ignore),
];

/// What a header names, when Waymark knows it.
pub fn column(header: &str, overrides: &HashMap<String, Column>) -> Option<Column> {
    let f = fold(header);
    if f.is_empty() {
        return None;
    }
    if let Some(c) = overrides.get(&f) {
        return Some(*c);
    }
    // "Title (en)", "Tên (vi)": another language's column is not the entry's own.
    let lang = f
        .strip_suffix(')')
        .and_then(|r| r.rsplit_once('('))
        .map(|(_, l)| l)
        .filter(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()));
    if lang.is_some_and(|l| l != "vi") {
        return Some(Column::Ignore);
    }
    NAMES
        .iter()
        .find(|(name, _)| {
            f == *name || f.starts_with(&format!("{name} ")) || f.starts_with(&format!("{name}("))
        })
        .map(|(_, c)| *c)
}

/// The header row (0-based) among the first rows, and each column's meaning: the row that
/// names the most known columns, and at least a name column.
pub fn find(
    table: &Table,
    overrides: &HashMap<String, Column>,
) -> std::result::Result<(usize, Vec<(usize, Column)>), String> {
    let mut best: Option<(usize, Vec<(usize, Column)>)> = None;
    for (i, row) in table.rows.iter().enumerate().take(30) {
        let mut cols: Vec<(usize, Column)> = Vec::new();
        for (j, cell) in row.iter().enumerate() {
            if let Some(c) = column(&cell.text, overrides) {
                // A merged header repeats its name over the columns it spans: the first one counts.
                if c == Column::Ignore || !cols.iter().any(|(_, k)| *k == c) {
                    cols.push((j, c));
                }
            }
        }
        let known = cols.iter().filter(|(_, c)| *c != Column::Ignore).count();
        let has_title = cols.iter().any(|(_, c)| *c == Column::Title);
        if has_title
            && known >= 2
            && best
                .as_ref()
                .is_none_or(|(_, b)| known > b.iter().filter(|(_, c)| *c != Column::Ignore).count())
        {
            best = Some((i, cols));
        }
    }
    best.ok_or_else(|| {
        "no header row found in the first 30 rows: a row naming the columns, at least the name (Tên di tích, Tên) and one more".to_string()
    })
}

/// `--map MAP.yaml`: `columns: { "header as written": field }`.
pub fn read_map(path: &Path) -> Result<HashMap<String, Column>> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct MapFile {
        columns: std::collections::BTreeMap<String, String>,
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let m: MapFile = crate::yaml::parse(&text, path, &text, 1, &["columns"]).map_err(Error::one)?;
    let mut out = HashMap::new();
    for (header, field) in m.columns {
        let c = match field.as_str() {
            "title" => Column::Title,
            "address" => Column::Address,
            "commune" => Column::Commune,
            "district" => Column::District,
            "type" => Column::Type,
            "ranking" => Column::Ranking,
            "decision" => Column::Decision,
            "recognized" | "year" => Column::Year,
            "lat" | "latitude" => Column::Lat,
            "lon" | "longitude" => Column::Lon,
            "location" | "coordinates" => Column::LatLon,
            "phone" => Column::Phone,
            "zalo" => Column::Zalo,
            "price_from" | "price" => Column::Price,
            "code" => Column::Code,
            "summary" => Column::Summary,
            "notes" | "body" => Column::Notes,
            "tags" => Column::Tags,
            "booking_url" => Column::Booking,
            "ignore" => Column::Ignore,
            other => {
                return Err(Error::one(
                    Diagnostic::error(path, format!("`{other}` (for column `{header}`) is not a field the importer fills"))
                        .hint("use title, address, commune, district, type, ranking, decision, recognized, lat, lon, location, phone, zalo, price_from, code, summary, notes, tags, booking_url or ignore"),
                ))
            }
        };
        out.insert(fold(&header), c);
    }
    Ok(out)
}

/// Column letters: 0 -> A, 25 -> Z, 26 -> AA.
pub fn letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The column index of letters (`A` -> 0).
pub fn index(letters: &str) -> usize {
    letters
        .bytes()
        .fold(0usize, |n, b| n * 26 + usize::from(b - b'A') + 1)
        .saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table::Cell;

    fn t(rows: &[&[&str]]) -> Table {
        Table {
            sheet: "S".into(),
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|s| Cell {
                            text: s.to_string(),
                            number: None,
                        })
                        .collect()
                })
                .collect(),
            encoding: None,
        }
    }

    #[test]
    fn the_header_is_found_below_title_rows() {
        let table = t(&[
            &["DANH MỤC DI TÍCH TỈNH LẠNG SƠN", "", ""],
            &["(Kèm theo Quyết định số 12/QĐ-UBND)", "", ""],
            &[
                "STT",
                "Tên di tích (tên đầy đủ theo xếp hạng)",
                "Số Quyết định (ngày)",
                "Địa điểm",
                "Cấp xếp hạng",
                "Toạ độ",
            ],
            &[
                "1",
                "Đền Kỳ Cùng",
                "191-VH/QĐ, 22/3/1988",
                "P. Vĩnh Trại",
                "Quốc gia",
                "21.85, 106.76",
            ],
        ]);
        let (row, cols) = find(&table, &HashMap::new()).unwrap();
        assert_eq!(row, 2);
        let kinds: Vec<Column> = cols.iter().map(|(_, c)| *c).collect();
        assert_eq!(
            kinds,
            [
                Column::Ignore,
                Column::Title,
                Column::Decision,
                Column::Address,
                Column::Ranking,
                Column::LatLon
            ]
        );
        assert!(find(&t(&[&["a", "b"], &["c", "d"]]), &HashMap::new()).is_err());
    }

    #[test]
    fn letters() {
        assert_eq!(
            (letter(0), letter(25), letter(26), letter(27)),
            ("A".into(), "Z".into(), "AA".into(), "AB".into())
        );
        assert_eq!((index("A"), index("Z"), index("AA")), (0, 25, 26));
    }
}
