//! The words every layer shares: what kind of place an entry is, the printed sizes and the QR
//! error-correction levels. Below content, the model, the website and print, so that none of them
//! has to import another for a name.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Relic,
    Homestay,
    Place,
}

impl Kind {
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

    /// Typical scan distance in metres: a plaque by a door, a sticker on a counter, a poster on a wall.
    pub fn scan_distance_m(self) -> f64 {
        match self {
            Size::A6 => 0.5,
            Size::Sticker => 0.4,
            Size::A4 => 1.0,
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
