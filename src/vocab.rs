//! The words every layer shares: what kind of place an entry is, the printed sizes and the QR
//! error-correction levels. Below content, the model, the website and print, so that none of them
//! has to import another for a name.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Relic,
    Homestay,
    Place,
}

impl Kind {
    /// The section folder `waymark new` (and the editor) makes an entry of this kind in.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Relic => "relics",
            Kind::Homestay => "homestays",
            Kind::Place => "places",
        }
    }

    pub fn of_section(section: &str) -> Kind {
        match section {
            "relics" => Kind::Relic,
            "homestays" => Kind::Homestay,
            _ => Kind::Place,
        }
    }
}

/// Printed sizes. The scan distance is how far away a visitor typically stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String")]
pub enum Size {
    A6,
    Sticker,
    A4,
}

impl TryFrom<String> for Size {
    type Error = String;

    fn try_from(s: String) -> Result<Size, String> {
        Size::parse(&s).ok_or_else(|| {
            format!(
                "plaque size `{s}` is not one Waymark makes: use a6, sticker (100×100 mm) or a4"
            )
        })
    }
}

impl Size {
    pub const ALL: [Size; 3] = [Size::A6, Size::Sticker, Size::A4];

    pub fn parse(s: &str) -> Option<Size> {
        match s.to_ascii_lowercase().as_str() {
            "a6" => Some(Size::A6),
            "sticker" | "100x100" => Some(Size::Sticker),
            "a4" => Some(Size::A4),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Size::A6 => "a6",
            Size::Sticker => "sticker",
            Size::A4 => "a4",
        }
    }

    /// Width and height in mm.
    pub fn dims(self) -> (f64, f64) {
        match self {
            Size::A6 => (105.0, 148.0),
            Size::Sticker => (100.0, 100.0),
            Size::A4 => (210.0, 297.0),
        }
    }

    /// The distance a plaque of this size is made to scan from in the field, in metres: a plaque
    /// by a door read from beyond a rope, a sticker on a counter, a poster on a wall. The layout
    /// gives the symbol the room this needs (`print::layout::REACH_M_PER_MODULE_MM`).
    pub fn scan_distance_m(self) -> f64 {
        match self {
            Size::A6 => 1.0,
            Size::Sticker => 0.6,
            Size::A4 => 2.0,
        }
    }
}

/// QR error correction: L, M, Q or H (7, 15, 25, 30% of the symbol can be lost).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash)]
pub enum EcLevel {
    L,
    M,
    Q,
    H,
}

/// `qr.error_correction` in site.yaml: a level, or `auto` (`qr::auto_level`) to pick one per link.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash, Default)]
pub enum EcChoice {
    #[default]
    #[serde(rename = "auto")]
    Auto,
    L,
    M,
    Q,
    H,
}

/// What a homestay offers (`amenities:`), a fixed list so that every language names each one
/// and the page shows its icon: the theme's strings hold `amenity_<key>`.
pub const AMENITIES: &[&str] = &[
    "wifi",
    "hot-water",
    "air-conditioning",
    "parking",
    "breakfast",
    "local-meals",
    "motorbike-hire",
    "bicycles",
    "trekking-guide",
    "pickup",
    "laundry",
    "campfire",
];

/// Languages hosts speak (`languages:`): ISO 639-1 codes, and the languages of Lạng Sơn's
/// peoples that have none (Tày, Nùng, Dao, H'Mông). The theme's strings hold `speaks_<key>`.
pub const SPOKEN: &[&str] = &[
    "vi", "en", "zh", "fr", "de", "ko", "ja", "ru", "tay", "nung", "dao", "hmong",
];

/// A language of `SPOKEN` as a BCP 47 tag, for search engines: the peoples' languages have
/// ISO 639-3 codes of their own (Tày `tyz`, Nùng `nut`, the Dao's Iu Mien `ium`, Hmong `hmn`).
pub fn language_tag(key: &str) -> &str {
    match key {
        "tay" => "tyz",
        "nung" => "nut",
        "dao" => "ium",
        "hmong" => "hmn",
        other => other,
    }
}

/// What a price is for (`price_per:`).
pub const PRICE_PER: &[&str] = &["room", "person"];

/// The tags in a list as people type it in a form or a spreadsheet cell: separated by commas,
/// semicolons or lines, spaces around each dropped, empty ones skipped.
pub fn tag_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// A text that is not a price.
#[derive(Debug, PartialEq, Eq)]
pub struct NotAPrice;

/// A price in đồng as people write it: `250000`, `250.000`, `250,000 đ`, `250.000 VND`, `250k`,
/// `250 nghìn`, and millions as owners text them: `1tr2`, `1,2 tr`, `1.5 triệu`, `2 triệu 500`.
/// None for an empty text.
pub fn vnd(text: &str) -> Result<Option<u64>, NotAPrice> {
    let t = text.trim().to_lowercase();
    let t = t
        .trim_end_matches("/đêm")
        .trim_end_matches("vnd")
        .trim_end_matches("vnđ")
        .trim_end_matches(['đ', 'd'])
        .trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Some((whole, rest)) = t.split_once("triệu").or_else(|| t.split_once("tr")) {
        return millions(whole.trim(), rest.trim()).map(Some);
    }
    let thousands = ["k", "nghìn", "ngàn"]
        .iter()
        .find_map(|s| t.strip_suffix(s));
    let (t, times) = match thousands {
        Some(rest) => (rest.trim(), 1000),
        None => (t, 1),
    };
    let digits: String = t
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' '))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(NotAPrice);
    }
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(times))
        .map(Some)
        .ok_or(NotAPrice)
}

/// Millions written `1tr2` (1,200,000), `1,2tr`, `1.5 triệu`, `2 triệu 500` (2,500,000): the
/// digits after the unit, or after a comma or point before it, are the million's fraction.
fn millions(whole: &str, rest: &str) -> Result<u64, NotAPrice> {
    let (int, frac) = whole.split_once(['.', ',']).unwrap_or((whole, ""));
    let frac = match (frac.is_empty(), rest) {
        (true, rest) => rest,
        (false, "") => frac,
        _ => return Err(NotAPrice),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) || frac.len() > 6 {
        return Err(NotAPrice);
    }
    let int: u64 = int.parse().map_err(|_| NotAPrice)?;
    let frac: u64 = format!("{frac:0<6}").parse().map_err(|_| NotAPrice)?;
    int.checked_mul(1_000_000)
        .and_then(|n| n.checked_add(frac))
        .ok_or(NotAPrice)
}

/// Degrees as people write them: `21.8537`, `21,8537`, `21°51'12"N`, `106° 45' 36" E`,
/// `21 51 12 N` (S and W negative), to six decimals.
pub fn degrees(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let upper = t.to_uppercase();
    let negative = upper.ends_with('S') || upper.ends_with('W') || upper.starts_with('-');
    let cleaned: String = upper
        .chars()
        .map(|c| match c {
            '0'..='9' | '.' => c,
            ',' => '.',
            _ => ' ',
        })
        .collect();
    let parts: Vec<f64> = cleaned
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect();
    let value = match parts.as_slice() {
        [d] => *d,
        [d, m] => d + m / 60.0,
        [d, m, s] => d + m / 60.0 + s / 3600.0,
        _ => return None,
    };
    let v = if negative { -value } else { value };
    v.is_finite().then_some((v * 1e6).round() / 1e6)
}

/// 350000 -> "350.000 ₫" in Vietnamese, "350,000 ₫" elsewhere.
pub fn format_vnd(amount: u64, lang: &str) -> String {
    let sep = if lang == "vi" { '.' } else { ',' };
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    format!("{out} ₫")
}

#[cfg(test)]
mod reader_tests {
    #[test]
    fn tags_as_typed() {
        let tags: Vec<&str> = super::tag_list(" lịch sử, ;cách mạng\nnhà sàn ,").collect();
        assert_eq!(tags, ["lịch sử", "cách mạng", "nhà sàn"]);
    }

    #[test]
    fn prices_and_degrees_as_written() {
        assert_eq!(super::vnd("250k"), Ok(Some(250_000)));
        assert_eq!(super::vnd("250 nghìn"), Ok(Some(250_000)));
        assert_eq!(super::vnd("1tr2"), Ok(Some(1_200_000)));
        assert_eq!(super::vnd("1,2tr"), Ok(Some(1_200_000)));
        assert_eq!(super::vnd("1.5 triệu"), Ok(Some(1_500_000)));
        assert_eq!(super::vnd("2 triệu 500"), Ok(Some(2_500_000)));
        assert_eq!(super::vnd("1tr250"), Ok(Some(1_250_000)));
        assert_eq!(super::vnd("3tr"), Ok(Some(3_000_000)));
        assert_eq!(super::vnd("tr"), Err(super::NotAPrice));
        assert_eq!(super::vnd("1,2tr5"), Err(super::NotAPrice));
        assert_eq!(super::vnd("1,200,000 VND"), Ok(Some(1_200_000)));
        assert_eq!(super::vnd("250.000đ/đêm"), Ok(Some(250_000)));
        assert_eq!(super::vnd(""), Ok(None));
        assert_eq!(super::vnd("-5"), Err(super::NotAPrice));
        assert_eq!(super::vnd("liên hệ"), Err(super::NotAPrice));
        assert_eq!(super::degrees("21°51'12\"N"), Some(21.853333));
        assert_eq!(super::degrees("106° 45' 36\" E"), Some(106.76));
        assert_eq!(super::degrees("21,8537"), Some(21.8537));
        assert_eq!(super::degrees("-12.5"), Some(-12.5));
        assert_eq!(super::degrees("x"), None);
    }

    #[test]
    fn prices() {
        assert_eq!(super::format_vnd(350000, "vi"), "350.000 ₫");
        assert_eq!(super::format_vnd(1200000, "en"), "1,200,000 ₫");
        assert_eq!(super::format_vnd(500, "en"), "500 ₫");
    }
}
