//! Nearby places: for every entry with a location, the closest relic sites and homestays by
//! great-circle distance. A grid of cells keeps it near-linear at 10,000 entries: each search
//! looks at rings of cells around the entry until no closer place can lie further out.

use std::collections::HashMap;

/// Cells hold about this many points on average, whatever the density.
const PER_CELL: f64 = 4.0;
const EARTH_KM: f64 = 6371.0088;

/// Great-circle distance in km (haversine).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * EARTH_KM * h.sqrt().min(1.0).asin()
}

/// Points by grid cell, for one group of candidates (say, the homestays).
pub struct Index {
    cells: HashMap<(i32, i32), Vec<usize>>,
    points: Vec<(f64, f64)>,
    /// Cell size in degrees, from the points' density: a province of 15 places and a country of
    /// 10,000 both look at a handful of candidates per search.
    cell: f64,
}

impl Index {
    /// `points[i]` is candidate i's (lat, lon), or None when it has no location.
    pub fn new(points: &[Option<(f64, f64)>]) -> Index {
        let present: Vec<(f64, f64)> = points.iter().flatten().copied().collect();
        let (mut lat0, mut lat1, mut lon0, mut lon1) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
        for p in &present {
            lat0 = lat0.min(p.0);
            lat1 = lat1.max(p.0);
            lon0 = lon0.min(p.1);
            lon1 = lon1.max(p.1);
        }
        let area = (lat1 - lat0).max(0.01) * (lon1 - lon0).max(0.01);
        let cell = (area * PER_CELL / present.len().max(1) as f64)
            .sqrt()
            .clamp(0.005, 1.0);
        let mut index = Index {
            cells: HashMap::new(),
            points: vec![(0.0, 0.0); points.len()],
            cell,
        };
        for (i, p) in points.iter().enumerate() {
            if let Some(p) = p {
                let c = index.cell_of(*p);
                index.cells.entry(c).or_default().push(i);
                index.points[i] = *p;
            }
        }
        index
    }

    fn cell_of(&self, p: (f64, f64)) -> (i32, i32) {
        (
            (p.0 / self.cell).floor() as i32,
            (p.1 / self.cell).floor() as i32,
        )
    }

    /// Up to `k` candidates within `max_km` of `from`, closest first (ties by index), skipping `except`.
    pub fn nearest(
        &self,
        from: (f64, f64),
        k: usize,
        max_km: f64,
        except: Option<usize>,
    ) -> Vec<(usize, f64)> {
        let mut found: Vec<(usize, f64)> = Vec::new();
        let (cy, cx) = self.cell_of(from);
        // One ring of cells covers at least this far in every direction, even at high latitude.
        let ring_km = self.cell * 111.0 * from.0.to_radians().cos().max(0.1);
        let max_ring = ((max_km / ring_km).ceil() as i32 + 1).min(2000);
        for r in 0..=max_ring {
            for dy in -r..=r {
                for dx in -r..=r {
                    if dy.abs() != r && dx.abs() != r {
                        continue; // inside: seen on an earlier ring
                    }
                    let Some(list) = self.cells.get(&(cy + dy, cx + dx)) else {
                        continue;
                    };
                    for &i in list {
                        if Some(i) == except {
                            continue;
                        }
                        let d = distance_km(from, self.points[i]);
                        if d <= max_km {
                            found.push((i, d));
                        }
                    }
                }
            }
            // Everything beyond ring r is at least r * ring_km away.
            if found.len() >= k {
                found.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
                if found[k - 1].1 <= r as f64 * ring_km {
                    break;
                }
            }
        }
        found.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        found.truncate(k);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_distance() {
        // Lạng Sơn city to Đồng Đăng: about 14 km as the crow flies.
        let d = distance_km((21.8537, 106.7610), (21.9556, 106.6960));
        assert!((12.0..16.0).contains(&d), "{d}");
    }

    #[test]
    fn grid_agrees_with_brute_force() {
        // A deterministic scatter over the province.
        let mut pts = Vec::new();
        let mut s: u64 = 42;
        for _ in 0..500 {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let a = (s >> 33) as f64 / (1u64 << 31) as f64;
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let b = (s >> 33) as f64 / (1u64 << 31) as f64;
            pts.push(Some((21.3 + a * 1.0, 106.0 + b * 1.2)));
        }
        pts[7] = None;
        let idx = Index::new(&pts);
        for q in [0usize, 10, 99, 250] {
            let from = pts[q].unwrap();
            let got = idx.nearest(from, 5, 30.0, Some(q));
            let mut brute: Vec<(usize, f64)> = pts
                .iter()
                .enumerate()
                .filter(|(i, p)| *i != q && p.is_some())
                .map(|(i, p)| (i, distance_km(from, p.unwrap())))
                .filter(|(_, d)| *d <= 30.0)
                .collect();
            brute.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            brute.truncate(5);
            assert_eq!(
                got.iter().map(|x| x.0).collect::<Vec<_>>(),
                brute.iter().map(|x| x.0).collect::<Vec<_>>()
            );
        }
    }
}
