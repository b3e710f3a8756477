//! `waymark serve`.

use std::time::Duration;

pub use crate::serve::Options;

/// How often `--push` takes the remote's new commits unless told.
pub const PULL_EVERY: Duration = Duration::from_secs(60);

pub fn run(opts: Options) -> i32 {
    crate::serve::run(opts)
}

/// `--pull-every`: `90` or `90s`, `5m`, `1h`; `0` for never (only before saves).
pub fn interval(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a time: write 60s, 5m or 1h"))?;
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => return Err(format!("`{text}`: the unit is s, m or h (60s, 5m, 1h)")),
    };
    n.checked_mul(scale)
        .filter(|s| *s <= 7 * 24 * 3600)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("`{text}` is more than a week"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_as_people_write_them() {
        assert_eq!(interval("60s"), Ok(Duration::from_secs(60)));
        assert_eq!(interval("90"), Ok(Duration::from_secs(90)));
        assert_eq!(interval("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(interval("0"), Ok(Duration::ZERO));
        assert!(interval("5 minutes").is_err());
        assert!(interval("-1").is_err());
        assert!(interval("999999h").is_err());
    }
}
