//! Values as real lists write them, read into front-matter values: rankings in words, a
//! decision and its date in one cell, type abbreviations in names, coordinates in degrees,
//! degrees-minutes-seconds or one "lat, lon" cell, Excel date serials, phones, prices.

use super::table::{excel_day, fold, Cell};

/// "Quốc gia đặc biệt" / "Quốc gia" / "Cấp tỉnh" (and the keys themselves).
pub fn ranking(s: &str) -> Result<&'static str, String> {
    let f = fold(s);
    let f = f.trim_start_matches("di tich ").trim_start_matches("cap ");
    if f.contains("dac biet") || f == "special-national" || f.contains("special") {
        Ok("special-national")
    } else if f.contains("quoc gia") || f == "national" || f == "qg" {
        Ok("national")
    } else if f.contains("tinh") || f == "provincial" || f == "province" {
        Ok("provincial")
    } else {
        Err("write Quốc gia đặc biệt, Quốc gia or Cấp tỉnh".into())
    }
}

/// The year of a decision cell ("191-VH/QĐ, 22/3/1988", "QĐ 1288 ngày 16/11/1988", "1988"),
/// or of an Excel date.
pub fn year(c: &Cell) -> Option<u16> {
    if let Some(n) = c.number {
        if (1000.0..=2100.0).contains(&n) && n.fract() == 0.0 {
            return Some(n as u16);
        }
        return excel_day(n).and_then(|d| d[..4].parse().ok());
    }
    // The last four-digit run between 1900 and 2100: a date's year comes after its number.
    let mut best = None;
    let bytes = c.text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                let y: u16 = c.text[start..i].parse().unwrap_or(0);
                if (1900..=2100).contains(&y) {
                    best = Some(y);
                }
            }
        } else {
            i += 1;
        }
    }
    best
}

/// Type abbreviations that lists put before a name, and the tag each means.
const TYPES: &[(&str, &str)] = &[
    ("DTLSCM", "lịch sử cách mạng"),
    ("DTKTNT", "kiến trúc nghệ thuật"),
    ("DTLS", "lịch sử"),
    ("DLTC", "danh lam thắng cảnh"),
    ("DTKCH", "khảo cổ học"),
    ("KCH", "khảo cổ học"),
];

/// A name without its type abbreviation prefix ("DTLS Đền Kỳ Cùng" -> "Đền Kỳ Cùng"), and the
/// tag the abbreviation means.
pub fn name_and_type(s: &str) -> (String, Option<&'static str>) {
    let t = s.trim();
    for (abbr, tag) in TYPES {
        let upper = t.to_uppercase();
        // Written with or without the Đ: "ĐTLS", "DTLS", "DT LS".
        let plain = upper.replace('Đ', "D");
        let compact: String = plain
            .chars()
            .take(abbr.len() + 3)
            .filter(|c| !c.is_whitespace())
            .collect();
        if compact.starts_with(abbr) {
            // Skip the letters of the abbreviation (and spaces, dots, dashes, colons after it).
            let mut seen = 0;
            let mut cut = 0;
            for (i, ch) in t.char_indices() {
                if seen == abbr.len() {
                    cut = i;
                    break;
                }
                if !ch.is_whitespace() {
                    seen += 1;
                }
                cut = i + ch.len_utf8();
            }
            let rest = t[cut..]
                .trim_start_matches([' ', '.', '-', ':', '–'])
                .trim();
            if !rest.is_empty() && rest.chars().next().is_some_and(|c| !c.is_ascii_lowercase()) {
                return (rest.to_string(), Some(tag));
            }
        }
    }
    (t.to_string(), None)
}

pub use crate::vocab::degrees;

/// One cell holding both: "21.8537, 106.7610" or "21°51'N 106°45'E".
pub fn lat_lon(s: &str) -> Option<(f64, f64)> {
    let t = s.trim();
    // Decimal pair separated by a comma and space, a semicolon or a slash.
    for sep in [";", "/", ", ", "\t"] {
        if let Some((a, b)) = t.split_once(sep) {
            if let (Some(a), Some(b)) = (degrees(a), degrees(b)) {
                return Some((a, b));
            }
        }
    }
    // DMS pair: split after the N/S letter.
    let upper = t.to_uppercase();
    if let Some(i) = upper.find(['N', 'S']) {
        let (a, b) = t.split_at(i + 1);
        if let (Some(a), Some(b)) = (degrees(a), degrees(b)) {
            return Some((a, b));
        }
    }
    None
}

/// A phone number in one form: digits with the usual Vietnamese grouping kept as written, but
/// `+84` / `84` made a leading 0 and dots, dashes and brackets made spaces.
pub fn phone(c: &Cell) -> Option<String> {
    // A number cell lost its leading 0 in Excel: 912345678 was 0912345678.
    let raw = match c.number {
        Some(n) if n.fract() == 0.0 && (1e8..1e10).contains(&n) => format!("0{}", n as u64),
        _ => c.text.clone(),
    };
    let mut t: String = raw
        .chars()
        .map(|ch| {
            if matches!(ch, '.' | '-' | '(' | ')' | '/') {
                ' '
            } else {
                ch
            }
        })
        .collect();
    t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(rest) = t.strip_prefix("+84") {
        t = format!("0{}", rest.trim_start());
    } else if t.starts_with("84") && t.chars().filter(char::is_ascii_digit).count() == 11 {
        t = format!("0{}", &t[2..]);
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    (!t.is_empty())
        .then_some(t)
        .filter(|_| (9..=11).contains(&digits))
}

/// "250.000đ", "250,000 VND", "250k", 250000.
pub fn price(c: &Cell) -> Result<Option<u64>, String> {
    if let Some(n) = c.number {
        return if n >= 0.0 && n.fract() == 0.0 {
            Ok(Some(n as u64))
        } else {
            Err("a price is a whole number of đồng".into())
        };
    }
    crate::vocab::vnd(&c.text)
        .map_err(|_| "write the price in đồng, e.g. 250000 or 250.000đ".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell {
            text: s.into(),
            number: None,
        }
    }

    #[test]
    fn rankings_years_and_names() {
        assert_eq!(ranking("Quốc gia đặc biệt"), Ok("special-national"));
        assert_eq!(ranking("Di tích Quốc gia"), Ok("national"));
        assert_eq!(ranking("Cấp tỉnh"), Ok("provincial"));
        assert!(ranking("hạng A").is_err());
        assert_eq!(year(&text("191-VH/QĐ, 22/3/1988")), Some(1988));
        assert_eq!(
            year(&text("QĐ số 2009/QĐ-UBND ngày 12/10/2012")),
            Some(2012)
        );
        assert_eq!(
            year(&Cell {
                text: String::new(),
                number: Some(32_224.0)
            }),
            Some(1988)
        );
        assert_eq!(
            name_and_type("DTLS Đền Kỳ Cùng"),
            ("Đền Kỳ Cùng".into(), Some("lịch sử"))
        );
        assert_eq!(
            name_and_type("ĐTLSCM: Khu lưu niệm Hoàng Văn Thụ"),
            (
                "Khu lưu niệm Hoàng Văn Thụ".into(),
                Some("lịch sử cách mạng")
            )
        );
        assert_eq!(
            name_and_type("Động Tam Thanh"),
            ("Động Tam Thanh".into(), None)
        );
        assert_eq!(
            name_and_type("DLTC Động Tam Thanh").1,
            Some("danh lam thắng cảnh")
        );
    }

    #[test]
    fn coordinates_phones_prices() {
        assert_eq!(degrees("21°51'12\"N"), Some(21.853333));
        assert_eq!(degrees("106° 45' 36\" E"), Some(106.76));
        assert_eq!(degrees("21,8537"), Some(21.8537));
        assert_eq!(lat_lon("21.8537, 106.7610"), Some((21.8537, 106.761)));
        assert_eq!(
            lat_lon("21°51'12\"N 106°45'36\"E"),
            Some((21.853333, 106.76))
        );
        assert_eq!(
            phone(&text("+84 912.345.678")).as_deref(),
            Some("0912 345 678")
        );
        assert_eq!(
            phone(&Cell {
                text: "912345678".into(),
                number: Some(912_345_678.0)
            })
            .as_deref(),
            Some("0912345678")
        );
        assert_eq!(phone(&text("12")), None);
        assert_eq!(price(&text("250.000đ")), Ok(Some(250_000)));
        assert_eq!(price(&text("250k")), Ok(Some(250_000)));
        assert!(price(&text("liên hệ")).is_err());
    }
}
