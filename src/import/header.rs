//! Finding the header row below a list's title rows, and what each column holds, by the names
//! lists give them in Vietnamese or English, with or without diacritics.

use super::table::{fold, Cell, Table};
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
    /// `links`: one address a line, a label after a space.
    Links,
    Rooms,
    Guests,
    Amenities,
    /// `languages` (spoken by the hosts).
    Spoken,
    CheckIn,
    CheckOut,
    PricePer,
    /// `closed`: one day, days or words a line.
    Closed,
    PriceUpdated,
    /// The section folder (`relics`, `homestays`), as `waymark export` writes it.
    Section,
    /// The row's number in the list ("STT", "TT"): not kept, but a row without one in a
    /// numbered list is a heading, a total or a note, not a place.
    Sequence,
}

/// The header as found: the last of its rows (0-based; data starts below it), what each
/// column holds, and the named columns Waymark has no use for (said once, not dropped silently).
#[derive(Debug)]
pub struct Header {
    pub last_row: usize,
    pub columns: Vec<(usize, Column)>,
    pub unused: Vec<(usize, String)>,
}

/// Header names (folded) and what they hold; the first that a header starts with wins, so
/// longer names come first.
const NAMES: &[(&str, Column)] = &[
    ("stt", Column::Sequence),
    ("so thu tu", Column::Sequence),
    ("no.", Column::Sequence),
    ("ten di tich", Column::Title),
    ("ten dia diem", Column::Title),
    ("ten homestay", Column::Title),
    ("ten co so", Column::Title),
    ("title", Column::Title),
    ("name", Column::Title),
    ("ten", Column::Title),
    ("dia diem (xa", Column::Commune),
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
    ("ngay xep hang", Column::Year),
    ("ngay quyet dinh", Column::Year),
    ("ngay ky", Column::Year),
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
    ("ban do", Column::LatLon),
    ("google maps", Column::LatLon),
    ("google map", Column::LatLon),
    ("coordinates", Column::LatLon),
    ("gps", Column::LatLon),
    ("dien thoai", Column::Phone),
    ("sdt", Column::Phone),
    ("so dien thoai", Column::Phone),
    ("phone", Column::Phone),
    ("zalo", Column::Zalo),
    ("gia tinh theo", Column::PricePer),
    ("price per", Column::PricePer),
    ("price updated", Column::PriceUpdated),
    ("ngay cap nhat gia", Column::PriceUpdated),
    ("gia", Column::Price),
    ("price", Column::Price),
    ("links", Column::Links),
    ("lien ket", Column::Links),
    ("mang xa hoi", Column::Links),
    ("so phong", Column::Rooms),
    ("rooms", Column::Rooms),
    ("so khach", Column::Guests),
    ("guests", Column::Guests),
    ("tien nghi", Column::Amenities),
    ("amenities", Column::Amenities),
    ("ngon ngu", Column::Spoken),
    ("languages", Column::Spoken),
    ("nhan phong", Column::CheckIn),
    ("check-in", Column::CheckIn),
    ("check in", Column::CheckIn),
    ("tra phong", Column::CheckOut),
    ("check-out", Column::CheckOut),
    ("check out", Column::CheckOut),
    ("ngay nghi", Column::Closed),
    ("closed", Column::Closed),
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
    ("tt", Column::Sequence),
    // What `waymark export` writes and import has no use for.
    ("short link", Column::Ignore),
    ("page", Column::Ignore),
    ("section", Column::Section),
    ("draft", Column::Ignore),
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
    // A name is the header's first words, whatever follows them: "Số quyết định, ngày",
    // "Địa điểm (xã, phường)", "Giá/đêm".
    NAMES
        .iter()
        .find(|(name, _)| {
            f.strip_prefix(name)
                .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
        })
        .map(|(_, c)| *c)
}

/// What a column under a merged header holds ("Quyết định xếp hạng" over "Số" and "Ngày",
/// "Tọa độ" over "Vĩ độ" and "Kinh độ"): the lower name when Waymark knows it, a date under a
/// decision, else what the upper one names.
fn under(top: &str, sub: &str, overrides: &HashMap<String, Column>) -> Option<Column> {
    if sub.is_empty() || sub == top {
        return column(top, overrides);
    }
    let upper = column(top, overrides);
    let lower = column(sub, overrides).filter(|c| *c != Column::Title || upper.is_none());
    if let Some(c) = lower.filter(|c| *c != Column::Ignore) {
        return Some(c);
    }
    let s = fold(sub);
    let word = |w: &str| s == w || s.starts_with(&format!("{w} "));
    match upper {
        Some(Column::Decision | Column::Year)
            if word("ngay") || word("nam") || word("thoi gian") =>
        {
            Some(Column::Year)
        }
        Some(Column::Decision | Column::Year)
            if word("so") || word("so hieu") || word("ky hieu") =>
        {
            Some(Column::Decision)
        }
        None if top.is_empty() => lower,
        other => other.or(lower),
    }
}

/// The header among the first rows: the row that names the most known columns, and at least
/// a name column, with the row under it when that one names parts of merged headers.
pub fn find(
    table: &Table,
    overrides: &HashMap<String, Column>,
) -> std::result::Result<Header, String> {
    let known = |cols: &[(usize, Column)]| {
        cols.iter()
            .filter(|(_, c)| !matches!(c, Column::Ignore | Column::Sequence))
            .count()
    };
    let mut best: Option<(usize, Vec<(usize, Column)>)> = None;
    for (i, row) in table.rows.iter().enumerate().take(30) {
        let names: Vec<(&str, &str)> = row.iter().map(|c| (c.text.as_str(), "")).collect();
        let cols = columns_of(&names, overrides);
        let has_title = cols.iter().any(|(_, c)| *c == Column::Title);
        if has_title
            && known(&cols) >= 2
            && best.as_ref().is_none_or(|(_, b)| known(&cols) > known(b))
        {
            best = Some((i, cols));
        }
    }
    let Some((row, cols)) = best else {
        return Err("no header row found in the first 30 rows: a row naming the columns, at least the name (Tên di tích, Tên) and one more".to_string());
    };
    let top = &table.rows[row];
    let next = table.rows.get(row + 1);
    let (last_row, columns, names) = match next.filter(|n| is_sub_header(top, n, &cols, overrides))
    {
        Some(sub) => {
            let width = top.len().max(sub.len());
            let names: Vec<(&str, &str)> =
                (0..width).map(|j| (text(top, j), text(sub, j))).collect();
            (row + 1, columns_of(&names, overrides), names)
        }
        None => {
            let names: Vec<(&str, &str)> = top.iter().map(|c| (c.text.as_str(), "")).collect();
            (row, cols, names)
        }
    };
    let mut unused: Vec<(usize, String)> = Vec::new();
    for (j, (t, s)) in names.iter().enumerate() {
        let name = if s.is_empty() || s == t {
            t.to_string()
        } else if t.is_empty() {
            s.to_string()
        } else {
            format!("{t} / {s}")
        };
        let said = unused.iter().any(|(_, n)| *n == name);
        if !name.is_empty() && !said && !columns.iter().any(|(i, _)| *i == j) {
            unused.push((j, name));
        }
    }
    Ok(Header {
        last_row,
        columns,
        unused,
    })
}

/// The text of `row`'s cell `j` (empty past its end).
fn text(row: &[Cell], j: usize) -> &str {
    row.get(j).map(|c| c.text.as_str()).unwrap_or("")
}

/// Each column's meaning from its (upper, lower) names. A merged header repeats its name over
/// the columns it spans: the first one counts.
fn columns_of(names: &[(&str, &str)], overrides: &HashMap<String, Column>) -> Vec<(usize, Column)> {
    let mut cols: Vec<(usize, Column)> = Vec::new();
    for (j, (top, sub)) in names.iter().enumerate() {
        if let Some(c) = under(top, sub, overrides) {
            // Several columns may hold a position ("Tọa độ" beside "Google Maps"): each is
            // read, the first that gives one wins. Other kinds: the first column counts.
            let repeatable = matches!(c, Column::Ignore | Column::LatLon | Column::Sequence);
            if repeatable || !cols.iter().any(|(_, k)| *k == c) {
                cols.push((j, c));
            }
        }
    }
    cols
}

/// Whether `sub`, the row under the header `top`, is the header's second row: it names what
/// some merged headers hold ("Số", "Ngày") and holds no place (its name cell is blank or the
/// header's own, merged down), nor numbers.
fn is_sub_header(
    top: &[Cell],
    sub: &[Cell],
    cols: &[(usize, Column)],
    overrides: &HashMap<String, Column>,
) -> bool {
    let title = cols
        .iter()
        .find(|(_, c)| *c == Column::Title)
        .map(|(i, _)| *i);
    let title_ok = title.is_none_or(|j| text(sub, j).is_empty() || text(sub, j) == text(top, j));
    let mut new_names = 0;
    for (j, cell) in sub.iter().enumerate() {
        if cell.text.is_empty() || cell.text == text(top, j) {
            continue;
        }
        if cell.number.is_some() || cell.text.chars().any(|c| c.is_ascii_digit()) {
            return false;
        }
        // A part of a header merged across columns, or a name Waymark knows.
        let above = text(top, j);
        let merged =
            !above.is_empty() && (j > 0 && text(top, j - 1) == above || text(top, j + 1) == above);
        if !merged && column(&cell.text, overrides).is_none() {
            return false;
        }
        new_names += 1;
    }
    title_ok && new_names > 0
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
            "links" => Column::Links,
            "rooms" => Column::Rooms,
            "guests" => Column::Guests,
            "amenities" => Column::Amenities,
            "languages" => Column::Spoken,
            "check_in" => Column::CheckIn,
            "check_out" => Column::CheckOut,
            "price_per" => Column::PricePer,
            "closed" => Column::Closed,
            "price_updated" => Column::PriceUpdated,
            "section" => Column::Section,
            "ignore" => Column::Ignore,
            other => {
                return Err(Error::one(
                    Diagnostic::error(path, format!("`{other}` (for column `{header}`) is not a field the importer fills"))
                        .hint("use title, address, commune, district, type, ranking, decision, recognized, lat, lon, location, phone, zalo, price_from, code, summary, notes, tags, booking_url, links, rooms, guests, amenities, languages, check_in, check_out, price_per, closed, price_updated or ignore"),
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
        let header = find(&table, &HashMap::new()).unwrap();
        assert_eq!(header.last_row, 2);
        let kinds: Vec<Column> = header.columns.iter().map(|(_, c)| *c).collect();
        assert_eq!(
            kinds,
            [
                Column::Sequence,
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
