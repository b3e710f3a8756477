//! Days as Waymark writes them (`YYYY-MM-DD`: print days, `date:` in front matter, visits), on
//! jiff's calendar: a day that does not exist (31 February) is not a day.

use jiff::civil::Date;

/// The day `s` names, when it is written `YYYY-MM-DD` and exists.
pub fn parse(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    s.parse::<Date>().ok()
}

/// Whether `s` is a day written `YYYY-MM-DD` that exists.
pub fn is_day(s: &str) -> bool {
    parse(s).is_some()
}

/// Today as YYYY-MM-DD (UTC), or the day of `SOURCE_DATE_EPOCH` when it is set, so that a
/// reproducible run records the same day.
pub fn today() -> String {
    day_of(now())
}

/// Today in the time zone `tz` (site.yaml's `timezone:`, an IANA name); UTC's when it is unknown.
pub fn today_in(tz: &str) -> String {
    let secs = now();
    match (
        jiff::tz::TimeZone::get(tz),
        jiff::Timestamp::from_second(secs),
    ) {
        (Ok(zone), Ok(ts)) => zone.to_datetime(ts).date().to_string(),
        _ => day_of(secs),
    }
}

fn now() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| jiff::Timestamp::now().as_second())
}

/// The UTC day (YYYY-MM-DD) of a Unix time in seconds.
pub fn day_of(secs: i64) -> String {
    let ts = jiff::Timestamp::from_second(secs).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    ts.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}

/// Days from 1970-01-01 to a day written YYYY-MM-DD.
pub fn day_number(day: &str) -> Option<i64> {
    let d = parse(day)?;
    let epoch = Date::constant(1970, 1, 1);
    Some(i64::from(epoch.until(d).ok()?.get_days()))
}

/// An Excel date serial (days since 1899-12-30, as spreadsheets store dates) as YYYY-MM-DD.
pub fn excel_day(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let start = Date::constant(1899, 12, 30);
    let d = start
        .checked_add(jiff::Span::new().days(serial.floor() as i64))
        .ok()?;
    Some(d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_that_exist() {
        assert!(is_day("2024-02-29"));
        assert!(!is_day("2023-02-29"), "not a leap year");
        assert!(!is_day("2026-02-31"));
        assert!(!is_day("2026-13-01") && !is_day("20260101") && !is_day("2026-1-01"));
    }

    #[test]
    fn day_counts_and_back() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-12-03"), Some(20_790));
        assert_eq!(day_of(20_790 * 86_400), "2026-12-03");
        assert_eq!(day_of(-1), "1969-12-31");
        assert_eq!(excel_day(45_000.0).as_deref(), Some("2023-03-15"));
        assert_eq!(excel_day(0.0), None);
        for n in [0i64, 19_000, 20_423, 11_016, -1] {
            assert_eq!(day_number(&day_of(n * 86_400)), Some(n));
        }
        assert_eq!(day_of(1_764_551_702), "2025-12-01");
        assert_eq!(day_number("2026-02-30"), None);
    }
}
