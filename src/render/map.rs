//! The overview map: every place drawn at its coordinates as an SVG, each a link to its page.
//! It needs no map library, no tiles and no network, so it works offline and on a Chinese SIM;
//! for turn-by-turn, each page links to the visitor's own map apps, and places.geojson / .gpx
//! load every place into offline map apps.

use super::context::card;
use crate::site::{Kind, Site};
use serde::Serialize;

/// Drawing width in SVG units; the height follows the region's shape.
const WIDTH: f64 = 1000.0;
const PAD: f64 = 50.0;
/// Room on the right for the labels of the easternmost places.
const LABEL_ROOM: f64 = 260.0;

#[derive(Serialize)]
pub struct Overview {
    pub width: f64,
    pub height: f64,
    pub points: Vec<Point>,
    pub geojson: String,
    pub gpx: String,
}

#[derive(Serialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub title: String,
    pub url: String,
    pub lang: String,
    pub kind: Kind,
    pub district: Option<String>,
}

pub fn overview(site: &Site, lang: &str) -> Overview {
    let located: Vec<(usize, f64, f64)> = site
        .sections
        .iter()
        .flat_map(|s| s.entries.iter())
        .filter_map(|&i| site.entries[i].matter.location.map(|l| (i, l.lat, l.lon)))
        .collect();
    let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(_, la, lo) in &located {
        lat0 = lat0.min(la);
        lat1 = lat1.max(la);
        lon0 = lon0.min(lo);
        lon1 = lon1.max(lo);
    }
    // Equirectangular, with longitude shrunk by the cosine of the middle latitude so that
    // distances look right; a single place still gets a sensible frame.
    let k = ((lat0 + lat1) / 2.0).to_radians().cos();
    let span_x = ((lon1 - lon0) * k).max(0.05);
    let span_y = (lat1 - lat0).max(0.05);
    let scale = (WIDTH - 2.0 * PAD - LABEL_ROOM) / span_x;
    let height = (span_y * scale + 2.0 * PAD).clamp(300.0, 2000.0);
    let scale = scale.min((height - 2.0 * PAD) / span_y);
    let points = located
        .iter()
        .map(|&(i, la, lo)| {
            let e = &site.entries[i];
            let c = card(site, e, lang);
            Point {
                x: (PAD + (lo - lon0) * k * scale).round(),
                y: (PAD + (lat1 - la) * scale).round(),
                title: c.title,
                url: c.url,
                lang: c.lang,
                kind: e.kind,
                district: e.matter.district.clone(),
            }
        })
        .collect();
    Overview {
        width: WIDTH,
        height: height.round(),
        points,
        geojson: site.link("/places.geojson"),
        gpx: site.link("/places.gpx"),
    }
}
