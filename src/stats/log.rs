//! One line of a web server's access log: the combined format of nginx and Apache (with the
//! usual `[10/Oct/2026:13:55:36 +0700]` or an ISO 8601 time, nginx's `$time_iso8601`), or
//! Caddy's JSON (`ts` in seconds, or ISO 8601 with `time_format iso8601`). Only what counting a
//! plaque scan needs is read; nothing else is kept.

use jiff::Timestamp;

/// A request for a plaque's short link.
#[derive(Debug, Clone, PartialEq)]
pub struct Scan {
    /// The code, upper case.
    pub code: String,
    /// When, as an instant: its day depends on the site's time zone.
    pub at: Timestamp,
    pub address: String,
    pub agent: String,
}

#[derive(Debug, PartialEq)]
pub enum Line {
    Scan(Scan),
    /// A request for something else, or one that did not reach a page (4xx, 5xx, not GET).
    Other,
    /// Not a line of a known format (cut short, another format).
    Bad,
}

/// A line as bytes: most lines are for other files, and are only checked for their shape,
/// without decoding them.
pub fn parse_bytes(line: &[u8]) -> Line {
    static FINDERS: std::sync::OnceLock<[memchr::memmem::Finder<'static>; 2]> =
        std::sync::OnceLock::new();
    let [lower, upper] = FINDERS.get_or_init(|| {
        [
            memchr::memmem::Finder::new(b"/q/"),
            memchr::memmem::Finder::new(b"/Q/"),
        ]
    });
    let maybe_scan = lower.find(line).is_some() || upper.find(line).is_some();
    if maybe_scan {
        return parse(&String::from_utf8_lossy(line));
    }
    let line = line.trim_ascii_end();
    if line.first() == Some(&b'{') {
        let json_like = line.last() == Some(&b'}')
            && memchr::memmem::find(line, b"\"request\"").is_some()
            && memchr::memmem::find(line, b"\"ts\"").is_some();
        return if json_like { Line::Other } else { Line::Bad };
    }
    let (Some(a), Some(b)) = (memchr::memchr(b'[', line), memchr::memchr(b']', line)) else {
        return Line::Bad;
    };
    let shaped = a > 0
        && a < b
        && memchr::memchr_iter(b'"', &line[b..]).count() >= 6
        && std::str::from_utf8(&line[a + 1..b]).is_ok_and(time_shaped);
    if shaped {
        Line::Other
    } else {
        Line::Bad
    }
}

pub fn parse(line: &str) -> Line {
    // Most lines are for other files: the cheap test first.
    let lower_q = line.contains("/q/") || line.contains("/Q/");
    let line = line.trim_end();
    if line.starts_with('{') {
        return caddy(line, lower_q);
    }
    combined(line, lower_q)
}

/// `1.2.3.4 - - [10/Oct/2026:13:55:36 +0700] "GET /q/HVT/ HTTP/1.1" 200 2326 "ref" "agent"`
fn combined(line: &str, maybe_scan: bool) -> Line {
    if !maybe_scan {
        // Most lines: only whether they are of the format, with nothing allocated.
        let shaped = match (line.find('['), line.find(']')) {
            (Some(a), Some(b)) if a < b && a > 0 => {
                line.as_bytes()[b..].iter().filter(|c| **c == b'"').count() >= 6
                    && time_shaped(&line[a + 1..b])
            }
            _ => false,
        };
        return if shaped { Line::Other } else { Line::Bad };
    }
    let Some(address) = line.split(' ').next().filter(|a| !a.is_empty()) else {
        return Line::Bad;
    };
    let (Some(open), Some(close)) = (line.find('['), line.find(']')) else {
        return Line::Bad;
    };
    if close < open {
        return Line::Bad;
    }
    let Some(at) = bracketed_time(&line[open + 1..close]) else {
        return Line::Bad;
    };
    let rest = &line[close + 1..];
    let quoted: Vec<&str> = rest.split('"').collect();
    // ` "request" status size "referer" "agent"` splits into 7 parts (or more if odd).
    if quoted.len() < 7 {
        return Line::Bad;
    }
    let request = quoted[1];
    let status: u16 = match quoted[2]
        .split_whitespace()
        .next()
        .and_then(|s| s.parse().ok())
    {
        Some(s) => s,
        None => return Line::Bad,
    };
    let agent = quoted[5];
    if !maybe_scan {
        return Line::Other;
    }
    let mut parts = request.split(' ');
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("");
    scan(method, target, status, at, address, agent)
}

/// Whether the text between `[` and `]` looks like a time (`10/Oct/2026:…` or `2026-10-10T…`),
/// checked cheaply for the many lines that are not scans.
fn time_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    let clf =
        b.len() >= 11 && b[2] == b'/' && b[6] == b'/' && b[..2].iter().all(u8::is_ascii_digit);
    let iso = b.len() >= 19
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[..4].iter().all(u8::is_ascii_digit);
    clf || iso
}

/// The time of a combined-format line: `10/Oct/2026:13:55:36 +0700` (nginx's and Apache's
/// default) or ISO 8601, `2026-10-10T13:55:36+07:00` (nginx's `$time_iso8601`).
fn bracketed_time(s: &str) -> Option<Timestamp> {
    if s.as_bytes().get(2) == Some(&b'/') {
        return jiff::fmt::strtime::parse("%d/%b/%Y:%H:%M:%S %z", s)
            .and_then(|t| t.to_timestamp())
            .ok();
    }
    iso_time(s)
}

/// An ISO 8601 / RFC 3339 time with its offset: `2026-10-10T13:55:36+07:00`, `…Z`, or Caddy's
/// `2026-10-10T06:55:36.123Z` and `…+0700`.
fn iso_time(s: &str) -> Option<Timestamp> {
    s.parse::<Timestamp>().ok().or_else(|| {
        jiff::fmt::strtime::parse("%Y-%m-%dT%H:%M:%S%.f%z", s)
            .and_then(|t| t.to_timestamp())
            .ok()
    })
}

/// Caddy's `ts`: seconds since 1970 as a number (its default), in milli- or nanoseconds with
/// `time_format unix_milli_float`/`unix_nano`, or an ISO 8601 string (`time_format iso8601`).
fn caddy_time(ts: &serde_json::Value) -> Option<Timestamp> {
    if let Some(text) = ts.as_str() {
        return iso_time(text);
    }
    let n = ts.as_f64()?;
    // Seconds reach 1e11 in the year 5138: anything larger is a finer unit.
    let seconds = if n >= 1e17 {
        n / 1e9
    } else if n >= 1e14 {
        n / 1e6
    } else if n >= 1e11 {
        n / 1e3
    } else {
        n
    };
    Timestamp::from_second(seconds.floor() as i64).ok()
}

/// Caddy: `{"ts":1764491736.5,"request":{"remote_ip":"1.2.3.4","method":"GET","uri":"/q/HVT/",
/// "headers":{"User-Agent":["..."]}},"status":200}`.
fn caddy(line: &str, maybe_scan: bool) -> Line {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
        return Line::Bad;
    };
    let Some(req) = v.get("request") else {
        return Line::Bad;
    };
    let Some(at) = v.get("ts").and_then(caddy_time) else {
        return Line::Bad;
    };
    if !maybe_scan {
        return Line::Other;
    }
    let status = v.get("status").and_then(|s| s.as_u64()).unwrap_or(0) as u16;
    let text = |k: &str| req.get(k).and_then(|x| x.as_str()).unwrap_or("");
    let address = match text("client_ip") {
        "" => text("remote_ip"),
        ip => ip,
    };
    let agent = req
        .get("headers")
        .and_then(|h| h.get("User-Agent"))
        .and_then(|a| a.get(0))
        .and_then(|a| a.as_str())
        .unwrap_or("");
    scan(text("method"), text("uri"), status, at, address, agent)
}

fn scan(
    method: &str,
    target: &str,
    status: u16,
    at: Timestamp,
    address: &str,
    agent: &str,
) -> Line {
    if method != "GET" || !(200..400).contains(&status) {
        return Line::Other;
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    // `/q/CODE/`, `/q/CODE` or under the site's own path (`/di-san/q/CODE/`).
    let Some(i) = path.find("/q/").or_else(|| path.find("/Q/")) else {
        return Line::Other;
    };
    let rest = &path[i + 3..];
    let code = rest.split('/').next().unwrap_or("");
    let after = &rest[code.len()..];
    let valid = (2..=16).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && (after.is_empty() || after == "/" || after == "/index.html");
    if !valid {
        return Line::Other;
    }
    Line::Scan(Scan {
        code: code.to_ascii_uppercase(),
        at,
        address: address.to_string(),
        agent: agent.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZALO: &str = "Mozilla/5.0 (Linux; Android 12; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36 Zalo android/12010";

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn combined_lines() {
        let l = format!("203.0.113.9 - - [01/Dec/2026:08:15:02 +0700] \"GET /q/hvt/?src=qr HTTP/1.1\" 200 5120 \"-\" \"{ZALO}\"");
        match parse(&l) {
            Line::Scan(s) => {
                assert_eq!(
                    (s.code.as_str(), s.at, s.address.as_str(), s.agent.as_str()),
                    ("HVT", at("2026-12-01T01:15:02Z"), "203.0.113.9", ZALO)
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(parse("1.2.3.4 - - [01/Dec/2026:08:15:02 +0700] \"GET /relics/ HTTP/1.1\" 200 1 \"-\" \"x\""), Line::Other);
        assert_eq!(parse("1.2.3.4 - - [01/Dec/2026:08:15:02 +0700] \"GET /q/HVT/ HTTP/1.1\" 404 1 \"-\" \"x\""), Line::Other);
        assert_eq!(parse("1.2.3.4 - - [01/Dec/2026:08:15:02 +0700] \"GET /q/HVT/x.png HTTP/1.1\" 200 1 \"-\" \"x\""), Line::Other);
        assert_eq!(parse("1.2.3.4 - - [31/Nov/2026:08:15:02 +0700] \"GET /q/HVT/ HTTP/1.1\" 200 1 \"-\" \"x\""), Line::Bad);
        assert_eq!(parse("1.2.3.4 - - [01/Dec/2026:08:1"), Line::Bad);
        assert_eq!(parse("garbage"), Line::Bad);
        for l in [
            "1.2.3.4 - - [01/Dec/2026:08:15:02 +0700] \"GET /relics/ HTTP/1.1\" 200 1 \"-\" \"x\"",
            "1.2.3.4 - - [2026-12-01T08:15:02+07:00] \"GET /relics/ HTTP/1.1\" 200 1 \"-\" \"x\"",
            "1.2.3.4 - - [01/Dec/2026:08:1",
            "garbage",
            r#"{"ts":1,"request":{"uri":"/relics/"},"status":200}"#,
            r#"{"ts":1,"request":{"uri":"/rel"#,
        ] {
            assert_eq!(parse_bytes(l.as_bytes()), parse(l), "{l}");
        }
        assert!(
            matches!(parse("1.2.3.4 - - [01/Dec/2026:08:15:02 +0700] \"GET /di-san/q/TNM HTTP/1.1\" 301 1 \"-\" \"x\""), Line::Scan(s) if s.code == "TNM")
        );
    }

    #[test]
    fn every_way_a_server_writes_the_time() {
        // nginx's default `$time_local`, its `$time_iso8601`, and Apache's `%{%Y-%m-%dT%H:%M:%S%z}t`.
        for (time, want) in [
            ("03/Dec/2026:23:30:00 +0000", "2026-12-03T23:30:00Z"),
            ("04/Dec/2026:06:30:00 +0700", "2026-12-03T23:30:00Z"),
            ("2026-12-03T23:30:00+00:00", "2026-12-03T23:30:00Z"),
            ("2026-12-04T06:30:00+07:00", "2026-12-03T23:30:00Z"),
            ("2026-12-04T06:30:00+0700", "2026-12-03T23:30:00Z"),
        ] {
            let l = format!(
                "203.0.113.9 - - [{time}] \"GET /q/HVT/ HTTP/1.1\" 200 5120 \"-\" \"{ZALO}\""
            );
            assert!(
                matches!(parse(&l), Line::Scan(s) if s.at == at(want)),
                "{l}"
            );
            let other = l.replace("/q/HVT/", "/relics/");
            assert_eq!(parse_bytes(other.as_bytes()), Line::Other, "{other}");
        }
        // Caddy: seconds (its default), milliseconds, nanoseconds, ISO 8601 (`time_format iso8601`).
        for ts in [
            "1796340600.25",
            "1796340600250.0",
            "1796340600250000000",
            "\"2026-12-03T23:30:00.250Z\"",
            "\"2026-12-04T06:30:00.250+0700\"",
        ] {
            let l = format!(
                r#"{{"level":"info","ts":{ts},"logger":"http.log.access","msg":"handled request","request":{{"remote_ip":"198.51.100.4","method":"GET","uri":"/q/DKC/","headers":{{"User-Agent":["{ZALO}"]}}}},"status":200}}"#
            );
            assert!(
                matches!(parse(&l), Line::Scan(s) if s.at.as_second() == at("2026-12-03T23:30:00Z").as_second()),
                "{l}: {:?}",
                parse(&l)
            );
        }
    }

    #[test]
    fn caddy_lines() {
        let l = r#"{"level":"info","ts":1764551702.25,"request":{"remote_ip":"198.51.100.4","method":"GET","uri":"/q/DKC/","headers":{"User-Agent":["Mozilla/5.0 MicroMessenger/8.0"]}},"status":200}"#;
        match parse(l) {
            Line::Scan(s) => {
                assert_eq!((s.code.as_str(), s.at), ("DKC", at("2025-12-01T01:15:02Z")))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(parse(r#"{"ts":1,"request":{"uri":"/"#), Line::Bad);
        assert_eq!(
            parse(r#"{"ts":"yesterday","request":{"method":"GET","uri":"/q/DKC/"},"status":200}"#),
            Line::Bad
        );
    }
}
