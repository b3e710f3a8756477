//! One line of a web server's access log: the combined format of nginx and Apache, or Caddy's
//! JSON. Only what counting a plaque scan needs is read; nothing else is kept.

/// A request for a plaque's short link.
#[derive(Debug, Clone, PartialEq)]
pub struct Scan {
    /// The code, upper case.
    pub code: String,
    /// YYYY-MM-DD.
    pub day: String,
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
        && std::str::from_utf8(&line[a + 1..b]).is_ok_and(clf_day_valid);
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
                    && clf_day_valid(&line[a + 1..b])
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
    let Some(day) = clf_day(&line[open + 1..close]) else {
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
    scan(method, target, status, day, address, agent)
}

fn clf_day_valid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 11 && b[2] == b'/' && b[6] == b'/' && b[..2].iter().all(u8::is_ascii_digit)
}

/// `10/Oct/2026:13:55:36 +0700` -> `2026-10-10` (the day where the server is).
fn clf_day(s: &str) -> Option<String> {
    let date = s.split(':').next()?;
    let mut it = date.split('/');
    let d: u32 = it.next()?.parse().ok()?;
    let m = month(it.next()?)?;
    let y: u32 = it.next()?.parse().ok()?;
    ((1..=31).contains(&d) && (1970..=9999).contains(&y)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn month(s: &str) -> Option<u32> {
    const M: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    M.iter().position(|m| *m == s).map(|i| i as u32 + 1)
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
    let Some(ts) = v.get("ts").and_then(|t| t.as_f64()) else {
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
    let day = crate::ledger::day_of(ts as i64);
    scan(text("method"), text("uri"), status, day, address, agent)
}

fn scan(method: &str, target: &str, status: u16, day: String, address: &str, agent: &str) -> Line {
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
        day,
        address: address.to_string(),
        agent: agent.to_string(),
    })
}

/// Link previewers, crawlers and monitors: their requests are not visitors. In-app browsers
/// (Zalo, Facebook's, WeChat) are people and count.
pub fn is_bot(agent: &str) -> bool {
    let a = agent.to_ascii_lowercase();
    if a.is_empty() || a == "-" {
        return true;
    }
    const WORDS: &[&str] = &[
        "bot",
        "crawl",
        "spider",
        "slurp",
        "facebookexternalhit",
        "facebookcatalog",
        "whatsapp",
        "telegrambot",
        "zalo-preview",
        "zalolinkpreview",
        "zalobot",
        "skypeuripreview",
        "preview",
        "embedly",
        "curl/",
        "wget/",
        "python-requests",
        "python-urllib",
        "go-http-client",
        "okhttp",
        "headless",
        "lighthouse",
        "pingdom",
        "uptime",
        "monitor",
        "httpclient",
        "java/",
        "libwww",
        "scrapy",
        "feedfetcher",
        "axios/",
        "node-fetch",
        "waymark-verify",
    ];
    WORDS.iter().any(|w| a.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZALO: &str = "Mozilla/5.0 (Linux; Android 12; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36 Zalo android/12010";

    #[test]
    fn combined_lines() {
        let l = format!("203.0.113.9 - - [01/Dec/2026:08:15:02 +0700] \"GET /q/hvt/?src=qr HTTP/1.1\" 200 5120 \"-\" \"{ZALO}\"");
        match parse(&l) {
            Line::Scan(s) => {
                assert_eq!(
                    (s.code.as_str(), s.day.as_str(), s.address.as_str()),
                    ("HVT", "2026-12-01", "203.0.113.9")
                );
                assert!(!is_bot(&s.agent), "Zalo's in-app browser is a visitor");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(parse("1.2.3.4 - - [01/Dec/2026:08:15:02 +0700] \"GET /relics/ HTTP/1.1\" 200 1 \"-\" \"x\""), Line::Other);
        assert_eq!(parse("1.2.3.4 - - [01/Dec/2026:08:15:02 +0700] \"GET /q/HVT/ HTTP/1.1\" 404 1 \"-\" \"x\""), Line::Other);
        assert_eq!(parse("1.2.3.4 - - [01/Dec/2026:08:15:02 +0700] \"GET /q/HVT/x.png HTTP/1.1\" 200 1 \"-\" \"x\""), Line::Other);
        assert_eq!(parse("1.2.3.4 - - [01/Dec/2026:08:1"), Line::Bad);
        assert_eq!(parse("garbage"), Line::Bad);
        for l in [
            "1.2.3.4 - - [01/Dec/2026:08:15:02 +0700] \"GET /relics/ HTTP/1.1\" 200 1 \"-\" \"x\"",
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
    fn caddy_lines() {
        let l = r#"{"level":"info","ts":1764551702.25,"request":{"remote_ip":"198.51.100.4","method":"GET","uri":"/q/DKC/","headers":{"User-Agent":["Mozilla/5.0 MicroMessenger/8.0"]}},"status":200}"#;
        match parse(l) {
            Line::Scan(s) => assert_eq!((s.code.as_str(), s.day.as_str()), ("DKC", "2025-12-01")),
            other => panic!("{other:?}"),
        }
        assert_eq!(parse(r#"{"ts":1,"request":{"uri":"/"#), Line::Bad);
    }

    #[test]
    fn previewers_and_crawlers_are_not_visitors() {
        for a in [
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "WhatsApp/2.23.20.0",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0)",
            "TelegramBot (like TwitterBot)",
            "Zalo-Preview/1.0",
            "curl/8.5.0",
            "-",
        ] {
            assert!(is_bot(a), "{a}");
        }
        for a in [
            ZALO,
            "Mozilla/5.0 (iPhone) [FBAN/FBIOS;FBAV/400]",
            "Mozilla/5.0 MicroMessenger/8.0.40",
        ] {
            assert!(!is_bot(a), "{a}");
        }
    }
}
