//! The overview map: every place drawn at its coordinates as an SVG, each a numbered pin that
//! links to its page, with the numbers' legend below. It needs no map library, no tiles and no
//! network, so it works offline and on a Chinese SIM. With signal, the page's script puts a
//! live map (Leaflet, tiles from `map.tiles` in site.yaml) in its place, once a tile has loaded.
//! For turn-by-turn, each page links to the visitor's own map apps, and places.geojson / .gpx
//! load every place into offline map apps.

use super::context::card;
use crate::site::{Kind, Site};
use serde::Serialize;

/// Drawing width in SVG units: about the CSS pixels of a phone's page (286 at 320 px wide, 356
/// at 390), so that sizes in units are about sizes on the screen.
const WIDTH: f64 = 320.0;
/// A pin's tap circle: 50 units are 44.5 px on a 320 px phone, 55 px at 390.
pub const PIN: f64 = 25.0;
const PAD: f64 = PIN + 4.0;
/// How far from its place a pin may be moved to keep clear of the others, in rings of this step.
const RING: f64 = PIN * 0.6;
const RINGS: usize = 24;

#[derive(Serialize)]
pub struct Overview {
    pub width: f64,
    pub height: f64,
    pub pin: f64,
    pub points: Vec<Point>,
    pub geojson: String,
    pub gpx: String,
    pub tiles: String,
    pub attribution: String,
    pub attribution_url: Option<String>,
    /// The folder of the live map's script and styles.
    pub leaflet: String,
}

#[derive(Serialize)]
pub struct Point {
    /// The number on the pin and in the legend, from 1.
    pub n: usize,
    /// Where the pin is drawn; `moved` when that is not the place itself (`px`, `py`), which
    /// a line then joins to it.
    pub x: f64,
    pub y: f64,
    pub px: f64,
    pub py: f64,
    pub moved: bool,
    pub lat: f64,
    pub lon: f64,
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
    let scale = (WIDTH - 2.0 * PAD) / span_x;
    let height = (span_y * scale + 2.0 * PAD).clamp(360.0, 560.0);
    let scale = scale.min((height - 2.0 * PAD) / span_y);
    // Centre the drawing when the frame is wider or taller than the places need.
    let off_x = (WIDTH - 2.0 * PAD - span_x * scale) / 2.0;
    let off_y = (height - 2.0 * PAD - (lat1 - lat0) * scale) / 2.0;
    let mut placed = Placer::new(WIDTH, height);
    let points = located
        .iter()
        .enumerate()
        .map(|(n, &(i, la, lo))| {
            let e = &site.entries[i];
            let c = card(site, e, lang);
            let px = (PAD + off_x + (lo - lon0) * k * scale).round();
            let py = (PAD + off_y + (lat1 - la) * scale).round();
            let (x, y) = placed.place(px, py);
            Point {
                n: n + 1,
                x,
                y,
                px,
                py,
                moved: (x, y) != (px, py),
                lat: la,
                lon: lo,
                title: c.title,
                url: c.url,
                lang: c.lang,
                kind: e.kind,
                district: e.matter.district.clone(),
            }
        })
        .collect();
    let map = &site.config.map;
    Overview {
        width: WIDTH,
        height: height.round(),
        pin: PIN,
        points,
        geojson: site.link("/places.geojson"),
        gpx: site.link("/places.gpx"),
        tiles: map.tiles.clone(),
        attribution: map.attribution.clone(),
        attribution_url: map.attribution_url.clone(),
        leaflet: site.link("/leaflet/"),
    }
}

/// Puts pins where they do not cover one another: at their place when it is free, else at the
/// nearest free spot on rings around it (a tap then finds one pin, and every number shows).
/// Pins are kept in a grid of cells one pin wide, so a place looks at nine cells.
struct Placer {
    width: f64,
    height: f64,
    cells: std::collections::HashMap<(i64, i64), Vec<(f64, f64)>>,
}

impl Placer {
    fn new(width: f64, height: f64) -> Placer {
        Placer {
            width,
            height,
            cells: Default::default(),
        }
    }

    fn cell(x: f64, y: f64) -> (i64, i64) {
        (
            (x / (2.0 * PIN)).floor() as i64,
            (y / (2.0 * PIN)).floor() as i64,
        )
    }

    fn free(&self, x: f64, y: f64) -> bool {
        let inside =
            (PIN..=self.width - PIN).contains(&x) && (PIN..=self.height - PIN).contains(&y);
        let (cx, cy) = Placer::cell(x, y);
        inside
            && (cx - 1..=cx + 1).all(|i| {
                (cy - 1..=cy + 1).all(|j| {
                    self.cells.get(&(i, j)).is_none_or(|pins| {
                        pins.iter().all(|&(a, b)| (a - x).hypot(b - y) >= 2.0 * PIN)
                    })
                })
            })
    }

    /// Where the pin of a place at (x, y) goes; at the place itself when nothing is free near it
    /// (a region with more places than the drawing has room for).
    fn place(&mut self, x: f64, y: f64) -> (f64, f64) {
        let spot = std::iter::once((x, y))
            .chain((1..=RINGS).flat_map(|r| {
                let radius = r as f64 * RING;
                // More directions on wider rings, so that their spots stay about a step apart.
                let steps = (6 * r).min(48);
                (0..steps).map(move |s| {
                    let a = std::f64::consts::TAU * s as f64 / steps as f64;
                    (
                        (x + radius * a.cos()).round(),
                        (y - radius * a.sin()).round(),
                    )
                })
            }))
            .find(|&(a, b)| self.free(a, b))
            .unwrap_or((x, y));
        self.cells
            .entry(Placer::cell(spot.0, spot.1))
            .or_default()
            .push(spot);
        spot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_keep_clear_of_one_another() {
        let mut p = Placer::new(WIDTH, 400.0);
        // Five places on top of each other, as the buildings of one town are.
        let spots: Vec<_> = (0..5).map(|i| p.place(160.0 + i as f64, 200.0)).collect();
        assert_eq!(spots[0], (160.0, 200.0), "the first stays at its place");
        for (i, a) in spots.iter().enumerate() {
            for b in &spots[i + 1..] {
                let d = (a.0 - b.0).hypot(a.1 - b.1);
                assert!(d >= 2.0 * PIN, "{a:?} and {b:?} are {d} apart");
            }
        }
    }

    #[test]
    fn pins_stay_inside_the_drawing() {
        let mut p = Placer::new(WIDTH, 300.0);
        for _ in 0..4 {
            let (x, y) = p.place(PIN, PIN);
            assert!((PIN..=WIDTH - PIN).contains(&x) && (PIN..=300.0 - PIN).contains(&y));
        }
    }
}
