//! An entry's places on the web as large buttons (`links:` and the `booking_url`), each with its
//! service's icon and name in the page's language, and the icons themselves: small SVG symbols
//! defined once on the page (only those it uses) and drawn with `<use>`, so that eight buttons
//! cost a few hundred bytes and no icon font is fetched.

use crate::content::links::{self, BOOKING};
use crate::site::Entry;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Button {
    pub url: String,
    pub label: String,
    /// The icon's key: the service's (`facebook`...), or `link` for another site.
    pub icon: &'static str,
}

/// The buttons of `links:`, after the booking link when the entry has one. Addresses were
/// checked when the entry was read; one that does not parse is left out rather than shown.
pub fn buttons(e: &Entry, lang: &str) -> Vec<Button> {
    let m = &e.matter;
    let booking = m.booking_url.iter().map(|u| Button {
        url: u.clone(),
        label: BOOKING.label(lang).to_string(),
        icon: BOOKING.key,
    });
    let own = m.links.iter().filter_map(|l| {
        let url = links::parse(l.url()).ok()?;
        let service = links::recognise(&url);
        let label = match (l.label(), service) {
            (Some(label), _) => label.to_string(),
            (None, Some(s)) => s.label(lang).to_string(),
            (None, None) => return None,
        };
        Some(Button {
            url: url.to_string(),
            label,
            icon: service.map_or("link", |s| s.key),
        })
    });
    booking.chain(own).collect()
}

/// The addresses for JSON-LD `sameAs`: the entry's own places on the web.
pub fn same_as(e: &Entry) -> Vec<String> {
    (e.matter.links.iter())
        .filter_map(|l| links::parse(l.url()).ok().map(|u| u.to_string()))
        .collect()
}

/// A brand's badge: its colour and a letter (no logo is copied).
fn badge(color: &str, letter: &str) -> String {
    format!(
        r##"<rect width="24" height="24" rx="6" fill="{color}"/><text x="12" y="17.5" font-size="15" font-weight="700" text-anchor="middle" fill="#fff" font-family="sans-serif">{letter}</text>"##
    )
}

/// A line drawing in the text's colour.
fn line(d: &str) -> String {
    format!(
        r#"<path d="{d}" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>"#
    )
}

/// The inside of icon `key`'s `<symbol>` (24×24), for services and amenities.
fn icon(key: &str) -> Option<String> {
    Some(match key {
        "facebook" => badge("#1877f2", "f"),
        "tiktok" => badge("#111", "T"),
        "zalo" => badge("#0068ff", "Z"),
        "youtube" => r##"<rect y="4" width="24" height="16" rx="5" fill="#e00"/><path d="M10 8.5v7l6-3.5z" fill="#fff"/>"##.to_string(),
        "instagram" => badge("#c13584", "◎"),
        "booking" => badge("#003580", "B"),
        "agoda" => badge("#5c2d91", "a"),
        "airbnb" => badge("#e61e4d", "A"),
        "traveloka" => badge("#0194f3", "t"),
        "trip" => badge("#287dfa", "T"),
        "maps" => r##"<path d="M12 2a7 7 0 0 0-7 7c0 5 7 13 7 13s7-8 7-13a7 7 0 0 0-7-7z" fill="#db4437"/><circle cx="12" cy="9" r="2.6" fill="#fff"/>"##.to_string(),
        "shopee" => badge("#ee4d2d", "S"),
        "lazada" => badge("#0f146d", "L"),
        "tiki" => badge("#1a94ff", "t"),
        "postal" => line("M3 6h18v12H3zM3 6l9 7 9-7"),
        "book" => line("M4 6h16v14H4zM4 10h16M8 3v5M16 3v5"),
        "link" => line("M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1"),
        "wifi" => line("M2 9a15 15 0 0 1 20 0M5 12.5a10 10 0 0 1 14 0M8.5 16a5 5 0 0 1 7 0M12 20h.01"),
        "hot-water" => line("M12 3c4 5 6 8 6 11a6 6 0 0 1-12 0c0-3 2-6 6-11z"),
        "air-conditioning" => line("M12 2v20M3.3 7l17.4 10M3.3 17 20.7 7"),
        "parking" => line("M4 3h16v18H4zM9 17V7h4a3 3 0 0 1 0 6H9"),
        "breakfast" => line("M4 9h12v5a5 5 0 0 1-5 5H9a5 5 0 0 1-5-5zM16 11h2a2 2 0 0 1 0 4h-2M8 3v3M12 3v3"),
        "local-meals" => line("M3 12h18a9 7 0 0 1-18 0zM14 3l6 7M10 4l7 6"),
        "motorbike-hire" => line("M2 17a3 3 0 1 0 6 0 3 3 0 1 0-6 0M16 17a3 3 0 1 0 6 0 3 3 0 1 0-6 0M5 17l4-7h6l4 7M13 6h3l2 4"),
        "bicycles" => line("M1.5 17a3.5 3.5 0 1 0 7 0 3.5 3.5 0 1 0-7 0M15.5 17a3.5 3.5 0 1 0 7 0 3.5 3.5 0 1 0-7 0M5 17l5-8h6l3 8M10 9l3 8M14 5h3"),
        "trekking-guide" => line("M2 20 9 8l4 6 3-4 6 10z"),
        "pickup" => line("M3 16v-4l2-5h14l2 5v4zM6 16v3M18 16v3M7 12h.01M17 12h.01"),
        "laundry" => line("M8 3 3 6l2 4 3-1v12h8V9l3 1 2-4-5-3a4 4 0 0 1-8 0z"),
        "campfire" => line("M12 3c3 4 5 6 5 9a5 5 0 0 1-10 0c0-2 1-3 2-4 0 2 1 3 2 3 0-3 0-5 1-8zM4 21l16-3M4 18l16 3"),
        _ => return None,
    })
}

/// The `<svg>` of symbols for the icons `keys` (each once, in the order given), hidden, for
/// `<use href="#i-KEY">`; empty when there is none.
pub fn sprite<'a>(keys: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = String::new();
    for key in keys {
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        if let Some(inner) = icon(key) {
            out.push_str(&format!(
                r#"<symbol id="i-{key}" viewBox="0 0 24 24">{inner}</symbol>"#
            ));
        }
    }
    if out.is_empty() {
        return out;
    }
    format!(r#"<svg class="sprite" aria-hidden="true" focusable="false">{out}</svg>"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_and_amenity_has_an_icon() {
        for key in links::keys().chain(crate::vocab::AMENITIES.iter().copied()) {
            assert!(icon(key).is_some(), "no icon for {key}");
        }
        let s = sprite(["wifi", "facebook", "wifi"]);
        assert_eq!(s.matches("<symbol").count(), 2);
        assert!(sprite(["nothing"]).is_empty());
    }
}
