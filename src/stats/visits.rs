//! A page's visits as the last `waymark stats` run wrote them (`output/stats/visits.csv`), for
//! the editor to show an owner how often their plaque is scanned.

use std::path::Path;

/// One page's visits through its plaques.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PageVisits {
    /// In the 30 days up to `until`.
    pub recent: u64,
    pub total: u64,
    /// The last day the report counts.
    pub until: String,
}

/// The days `recent` counts.
const RECENT_DAYS: i64 = 30;

/// The visits of page `page` (`section/slug`) in the report under `out` (the output folder),
/// or None when there is no report or it counts no visit of the page.
pub fn of_page(out: &Path, page: &str) -> Option<PageVisits> {
    let file = out.join(super::report::CSV);
    let mut reader = csv::ReaderBuilder::new().from_path(file).ok()?;
    // (day, visits) of the page; the report's own last day bounds `recent`.
    let mut days: Vec<(i64, String, u64)> = Vec::new();
    let mut last_day: Option<(i64, String)> = None;
    for row in reader.records().map_while(Result::ok) {
        let (Some(p), Some(day), Some(n)) = (row.get(1), row.get(2), row.get(3)) else {
            continue;
        };
        let (Some(number), Ok(n)) = (crate::days::day_number(day), n.parse::<u64>()) else {
            continue;
        };
        if last_day.as_ref().is_none_or(|(d, _)| number > *d) {
            last_day = Some((number, day.to_string()));
        }
        if p == page {
            days.push((number, day.to_string(), n));
        }
    }
    let (last, until) = last_day?;
    if days.is_empty() {
        return None;
    }
    Some(PageVisits {
        recent: days
            .iter()
            .filter(|(d, _, _)| last - d < RECENT_DAYS)
            .map(|(_, _, n)| n)
            .sum(),
        total: days.iter().map(|(_, _, n)| n).sum(),
        until,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pages_recent_and_total_visits_from_the_report() {
        let out = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(out.path().join("stats")).unwrap();
        // As `waymark stats` writes it: a BOM, quoted where needed, two codes of one page.
        std::fs::write(
            out.path().join(super::super::report::CSV),
            "\u{feff}code,page,day,visits\nNRG,homestays/na-rieng,2026-09-01,5\nNRG,homestays/na-rieng,2026-11-20,3\nNRG2,homestays/na-rieng,2026-11-29,2\nHVT,relics/hvt,2026-11-30,9\n",
        )
        .unwrap();
        let v = of_page(out.path(), "homestays/na-rieng").unwrap();
        assert_eq!(
            v,
            PageVisits {
                recent: 5,
                total: 10,
                until: "2026-11-30".into()
            }
        );
        assert_eq!(of_page(out.path(), "relics/none"), None);
        assert_eq!(of_page(&out.path().join("nothing"), "relics/hvt"), None);
    }
}
