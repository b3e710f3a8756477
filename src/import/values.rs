//! Values as real lists write them, read into front-matter values: rankings in words, a
//! decision and its date in one cell, type abbreviations in names, coordinates in degrees,
//! degrees-minutes-seconds or one "lat, lon" cell, Excel date serials, phones, prices.

use super::table::{fold, Cell};
use crate::days::excel_day;

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

/// The year of a decision's date ("191-VH/QĐ, 22/3/1988", "QĐ 1288 ngày 16/11/1988", "ngày
/// 3 tháng 4 năm 2012", "1988"), or of an Excel date. A decision's number ("2012/QĐ-UBND") is
/// not a year: a year ends a date ("d/m/yyyy", "m/yyyy", "năm yyyy") or is the whole cell.
pub fn year(c: &Cell) -> Option<u16> {
    if let Some(n) = c.number {
        if (1000.0..=2100.0).contains(&n) && n.fract() == 0.0 {
            return Some(n as u16);
        }
        return excel_day(n).and_then(|d| d[..4].parse().ok());
    }
    let text = c.text.trim();
    let bytes = text.as_bytes();
    let mut best = None;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let Ok(y) = text[start..i].parse::<u16>() else {
            continue;
        };
        if i - start != 4 || !(1900..=2100).contains(&y) {
            continue;
        }
        let ends = bytes
            .get(i)
            .is_none_or(|b| !b.is_ascii_alphanumeric() && *b != b'/');
        let after_day_month = start >= 2
            && matches!(bytes[start - 1], b'/' | b'.' | b'-')
            && bytes[start - 2].is_ascii_digit();
        let after_nam = fold(&text[..start]).ends_with("nam");
        let whole = start == 0 && i == bytes.len();
        if ends && (after_day_month || after_nam || whole) {
            best = Some(y);
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

/// The tag a type abbreviation written alone means ("DTLS", "ĐTLS", "D.T.L.S" -> "lịch sử").
pub fn type_tag(s: &str) -> Option<&'static str> {
    let compact: String = s
        .to_uppercase()
        .replace('Đ', "D")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    TYPES
        .iter()
        .find(|(abbr, _)| *abbr == compact)
        .map(|(_, tag)| *tag)
}

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
    // "21.9000,106.3300": one comma and decimal points, as copied from a map.
    if let Some((a, b)) = t.split_once(',').filter(|_| t.matches(',').count() == 1) {
        if a.contains('.') && b.contains('.') {
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
fn phone(c: &Cell) -> Option<String> {
    // A number cell lost its leading 0 in Excel: 912345678 was 0912345678.
    let raw = match c.number {
        Some(n) if n.fract() == 0.0 && (1e8..1e10).contains(&n) => format!("0{}", n as u64),
        Some(n) if n.fract() == 0.0 && (84e8..85e9).contains(&n) => format!("+{}", n as u64),
        _ => c.text.clone(),
    };
    let mut t: String = raw
        .chars()
        .map(|ch| {
            if matches!(ch, '.' | '-' | '(' | ')') {
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
    let only = t.chars().all(|c| c.is_ascii_digit() || c == ' ');
    (only && (9..=11).contains(&digits)).then_some(t)
}

/// The phone numbers of a cell, each in one form, several as the `phone` field holds them
/// ("0988.111.222 / 0355 222 333" → "0988 111 222, 0355 222 333").
pub fn phones(c: &Cell) -> Option<String> {
    if c.number.is_some() {
        return phone(c);
    }
    let parts: Vec<String> = c
        .text
        .split(['/', ',', ';', '\n'])
        .flat_map(|p| p.split(" hoặc ").flat_map(|p| p.split(" or ")))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            phone(&Cell {
                text: p.to_string(),
                number: None,
            })
        })
        .collect::<Option<_>>()?;
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A Zalo cell: a zalo.me link (given its https://), else phone numbers.
pub fn zalo(c: &Cell) -> Option<String> {
    let t = c.text.trim();
    if fold(t).contains("zalo.me/") {
        return web_link(t).ok();
    }
    phones(c)
}

/// A web address as people write it, with `https://` added when it has none ("fb.com/nhasan",
/// "www.booking.com/hotel/vn/x").
pub fn web_link(s: &str) -> Result<String, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let full = if lower.starts_with("https://") || lower.starts_with("http://") {
        t.to_string()
    } else {
        format!("https://{t}")
    };
    match url::Url::parse(&full) {
        // A host with a dot and a letter: "106.3345" left over from a split position is not one.
        Ok(u)
            if u.host_str()
                .is_some_and(|h| h.contains('.') && h.chars().any(|c| c.is_ascii_alphabetic()))
                && !t.contains(char::is_whitespace) =>
        {
            Ok(full)
        }
        _ => Err("not a web address (write it as https://booking.com/... or fb.com/...)".into()),
    }
}

/// Words that say a price is asked for, not written: no price, and nothing wrong.
const NO_PRICE: &[&str] = &["lien he", "lh", "thoa thuan", "contact", "call"];

/// "250.000đ", "250,000 VND", "250k", 250000, "từ 300.000", "500.000 - 800.000 đ" (the lower
/// bound: the price it starts from); "Liên hệ" is no price.
pub fn price(c: &Cell) -> Result<Option<u64>, String> {
    if let Some(n) = c.number {
        return if n >= 0.0 && n.fract() == 0.0 {
            Ok(Some(n as u64))
        } else {
            Err("a price is a whole number of đồng".into())
        };
    }
    let f = fold(&c.text);
    let says = |w: &str| {
        f.strip_prefix(w)
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
    };
    if NO_PRICE.iter().any(|w| says(w)) {
        return Ok(None);
    }
    let lower = c.text.trim().to_lowercase();
    // "1.200.000đ/phòng", "350k / đêm", "200.000 đ/người": what the price is for, dropped.
    let lower = match lower.split_once('/') {
        Some((amount, per)) if !per.chars().any(|c| c.is_ascii_digit()) => {
            amount.trim().to_string()
        }
        _ => lower,
    };
    let lower = ["từ ", "chỉ từ ", "from "]
        .iter()
        .find_map(|p| lower.strip_prefix(p))
        .unwrap_or(&lower)
        .trim();
    let (from, to) = match lower.split_once(['-', '–', '~']) {
        Some((a, b)) if !a.trim().is_empty() => (a.trim(), Some(b.trim())),
        _ => match lower.split_once(" đến ") {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (lower, None),
        },
    };
    // "300-500k": the unit written once, after the upper bound.
    let unit = |t: &str| {
        t.trim_end_matches(['đ', 'd', ' '])
            .trim_end_matches("/đêm")
            .trim_end()
            .ends_with('k')
    };
    let from = match to {
        Some(to) if unit(to) && !unit(from) => format!("{from}k"),
        _ => from.to_string(),
    };
    let bad = || "write the price in đồng, e.g. 250000, 250.000đ or từ 300.000".to_string();
    if let Some(to) = to {
        crate::vocab::vnd(to).map_err(|_| bad())?;
    }
    crate::vocab::vnd(&from).map_err(|_| bad())
}

/// What a map link says about a place: `None` when `s` is not a map link; the coordinates a
/// Google Maps link holds (its pin "!3d…!4d…", its view "@lat,lon", or "?q=lat,lon"); or why
/// it holds none. A link is never fetched: a short link (maps.app.goo.gl) holds no coordinates.
pub fn map_link(s: &str) -> Option<Result<(f64, f64), String>> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let linkish = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("maps.")
        || lower.starts_with("goo.gl/")
        || lower.starts_with("www.google.");
    if !linkish {
        return None;
    }
    let Ok(url) = web_link(t).and_then(|u| url::Url::parse(&u).map_err(|e| e.to_string())) else {
        return Some(Err("not a map link that can be read".into()));
    };
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    if host == "maps.app.goo.gl" || host == "goo.gl" || host.ends_with(".page.link") {
        return Some(Err("a short map link holds no coordinates, and Waymark does not open links: open it, then copy the coordinates (press and hold the pin) or the long link from the address bar".into()));
    }
    let path = url.path().to_string();
    let pin = || {
        let i = path.find("!3d")?;
        let rest = &path[i + 3..];
        let (lat, rest) = rest.split_once("!4d")?;
        let lon = rest.split('!').next()?;
        Some((degrees(lat)?, degrees(lon)?))
    };
    let view = || {
        let at = path.split('/').find(|seg| seg.starts_with('@'))?;
        let mut parts = at[1..].split(',');
        Some((degrees(parts.next()?)?, degrees(parts.next()?)?))
    };
    let query = || {
        url.query_pairs()
            .filter(|(k, _)| {
                matches!(
                    k.as_ref(),
                    "q" | "query" | "ll" | "center" | "destination" | "daddr"
                )
            })
            .find_map(|(_, v)| lat_lon(&v.replace('+', " ")))
    };
    let search = || {
        let seg = path
            .split('/')
            .skip_while(|s| *s != "search" && *s != "dir")
            .nth(1)?;
        let seg = percent_encoding::percent_decode_str(seg).decode_utf8_lossy();
        lat_lon(&seg.replace('+', " "))
    };
    Some(
        pin()
            .or_else(view)
            .or_else(query)
            .or_else(search)
            .ok_or_else(|| "this map link holds no coordinates: in Google Maps, press and hold the place's pin and copy the coordinates shown (e.g. 21.8537, 106.7610)".into()),
    )
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
            phones(&text("+84 912.345.678")).as_deref(),
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
        assert!(price(&text("rẻ")).is_err());
    }

    #[test]
    fn values_as_homestay_lists_write_them() {
        assert_eq!(lat_lon("21.9000,106.3300"), Some((21.9, 106.33)));
        assert_eq!(lat_lon("21,6800; 106,3600"), Some((21.68, 106.36)));
        assert_eq!(
            map_link("https://www.google.com/maps/place/Nh%C3%A0+s%C3%A0n/@21.9012,106.3345,17z/data=!3m1!4b1"),
            Some(Ok((21.9012, 106.3345)))
        );
        assert_eq!(
            map_link("https://www.google.com/maps/place/X/@21.9,106.3,17z/data=!3m1!4b1!4m6!3m5!1s0x0:0x0!8m2!3d21.9051!4d106.3377"),
            Some(Ok((21.9051, 106.3377))),
            "the pin, not the view"
        );
        assert_eq!(
            map_link("https://maps.google.com/?q=21.9,106.3"),
            Some(Ok((21.9, 106.3)))
        );
        assert_eq!(
            map_link("https://www.google.com/maps/search/?api=1&query=21.85%2C106.76"),
            Some(Ok((21.85, 106.76)))
        );
        assert_eq!(
            map_link("https://www.google.com/maps/search/21.85%2C+106.76"),
            Some(Ok((21.85, 106.76)))
        );
        assert!(map_link("https://maps.app.goo.gl/AbCdEf123")
            .unwrap()
            .unwrap_err()
            .contains("short map link holds no coordinates"));
        assert!(
            map_link("https://www.google.com/maps/place/Nh%C3%A0+s%C3%A0n")
                .unwrap()
                .is_err()
        );
        assert_eq!(map_link("21.9, 106.3"), None);
        assert_eq!(price(&text("từ 300.000")), Ok(Some(300_000)));
        assert_eq!(price(&text("500.000 - 800.000 đ")), Ok(Some(500_000)));
        assert_eq!(price(&text("1.200.000đ/phòng")), Ok(Some(1_200_000)));
        assert_eq!(price(&text("350k / đêm")), Ok(Some(350_000)));
        assert_eq!(price(&text("200.000 đ/người")), Ok(Some(200_000)));
        // A type written as its abbreviation alone is the tag in words.
        assert_eq!(type_tag("DTLS"), Some("lịch sử"));
        assert_eq!(type_tag("Đ.T.L.S"), Some("lịch sử"));
        assert_eq!(type_tag("Lịch sử"), None);
        assert_eq!(price(&text("300-500k")), Ok(Some(300_000)));
        assert_eq!(price(&text("350.000đ/đêm")), Ok(Some(350_000)));
        assert_eq!(price(&text("250,000 VNĐ")), Ok(Some(250_000)));
        assert_eq!(price(&text("Liên hệ")), Ok(None));
        assert_eq!(price(&text("LH: 0912 345 678")), Ok(None));
        assert_eq!(
            phones(&text("0988.111.222 / 0355 222 333")).as_deref(),
            Some("0988 111 222, 0355 222 333")
        );
        assert_eq!(
            phones(&text("091.234.5678")).as_deref(),
            Some("091 234 5678")
        );
        assert_eq!(
            phones(&Cell {
                text: "84987123456".into(),
                number: Some(84_987_123_456.0)
            })
            .as_deref(),
            Some("0987123456")
        );
        assert_eq!(phones(&text("0912 345 678 / gọi tối")), None);
        assert_eq!(
            zalo(&text("+84 912.345.678")).as_deref(),
            Some("0912 345 678")
        );
        assert_eq!(
            zalo(&text("zalo.me/0912345678")).as_deref(),
            Some("https://zalo.me/0912345678")
        );
        assert_eq!(
            web_link("fb.com/nhasan").as_deref(),
            Ok("https://fb.com/nhasan")
        );
        assert_eq!(
            web_link("https://booking.com/x").as_deref(),
            Ok("https://booking.com/x")
        );
        assert!(web_link("gọi chủ nhà").is_err());
        assert!(web_link("106.3345").is_err());
        assert_eq!(year(&text("2012/QĐ-UBND")), None, "a number, not a year");
        assert_eq!(year(&text("ngày 3 tháng 4 năm 2012")), Some(2012));
        assert_eq!(year(&text("22/3/1988")), Some(1988));
        assert_eq!(year(&text("1988")), Some(1988));
    }
}
