//! Who sent a request, by its user agent: a person, or a machine (a link previewer, a crawler, a
//! monitor, a command-line or library client). Machines come from crawler-user-agents
//! (`crawlers.txt`, refreshed by `scripts/update-crawlers.sh`), with Waymark's own additions for
//! what that list leaves in and the in-app browsers where most scans in Vietnam happen.

use regex::Regex;
use std::sync::OnceLock;

/// crawler-user-agents' patterns, one a line, after a `#` header.
const CRAWLERS: &str = include_str!("crawlers.txt");

/// Link previewers that share a name with an in-app browser: machines, even though the app's
/// name is in them.
const PREVIEWERS: &[&str] = &[
    r"(?i)facebookexternalhit",
    r"(?i)facebookcatalog",
    r"(?i)zalo[-_ ]?(link)?[-_ ]?preview",
    r"(?i)zalobot",
];

/// In-app browsers of Zalo, Facebook and WeChat: a person who scanned the plaque inside the app.
/// Each is a WebView, whose agent names its engine: the app's name without one is the app's
/// own fetcher (a link previewer), not a person.
const IN_APP: &str = r"(?:\bZalo\b|\bFBAN/|\bFBAV/|\bFB_IAB/|\bMicroMessenger/)";
const ENGINE: &str = r"AppleWebKit/";

/// Clients that crawler-user-agents does not list (it keeps to crawlers): tools, libraries and
/// monitors that fetch a page with no one looking at it.
const TOOLS: &[&str] = &[
    r"^PostmanRuntime/",
    r"^undici",
    r"^node(?:$|[/ ])",
    r"^Dart/",
    r"^axios/",
    r"(?i)okhttp",
    r"HeadlessChrome",
    r"Chrome-Lighthouse",
    r"(?i)^python-urllib",
    r"(?i)^Java/",
    r"(?i)^libwww-perl",
    r"^waymark-verify/",
];

struct Matchers {
    previewers: Regex,
    in_app: Regex,
    engine: Regex,
    machines: Regex,
}

fn matchers() -> &'static Matchers {
    static M: OnceLock<Matchers> = OnceLock::new();
    M.get_or_init(|| Matchers {
        previewers: any(PREVIEWERS.iter().copied()),
        in_app: any([IN_APP]),
        engine: any([ENGINE]),
        machines: any(crawler_patterns().chain(TOOLS.iter().copied())),
    })
}

/// One regular expression that matches where any of `patterns` does. The patterns are Waymark's
/// own text, compiled in (a test compiles them all), never a user's.
fn any<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Regex {
    let joined: Vec<String> = patterns.into_iter().map(|p| format!("(?:{p})")).collect();
    Regex::new(&joined.join("|")).expect("the built-in agent patterns compile")
}

/// The patterns of `crawlers.txt`, without its header.
fn crawler_patterns() -> impl Iterator<Item = &'static str> {
    CRAWLERS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
}

/// A machine's request, not a visitor's: no agent at all, a link previewer, a crawler, a monitor,
/// a command-line or library client. In-app browsers (Zalo, Facebook, WeChat) are visitors.
pub fn is_bot(agent: &str) -> bool {
    let agent = agent.trim();
    if agent.is_empty() || agent == "-" {
        return true;
    }
    let m = matchers();
    if m.previewers.is_match(agent) {
        return true;
    }
    if m.in_app.is_match(agent) {
        return !m.engine.is_match(agent);
    }
    m.machines.is_match(agent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles_on_its_own_and_together() {
        let m = matchers();
        assert!(m.machines.is_match("Googlebot/2.1") && !m.machines.is_match("Zalo"));
        let mut n = 0;
        for p in crawler_patterns().chain(TOOLS.iter().copied()) {
            assert!(Regex::new(p).is_ok(), "{p}");
            n += 1;
        }
        assert!(n > 1000, "the list is read whole: {n}");
    }

    #[test]
    fn an_apps_name_without_a_browser_is_its_fetcher() {
        let webview = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Zalo iOS/23.11.02";
        assert!(!is_bot(webview));
        assert!(is_bot("Zalo iOS/23.11.02"));
        assert!(is_bot("Mozilla/5.0 (compatible; ZaloLinkPreview/1.0)"));
        assert!(is_bot("Mozilla/5.0 MicroMessenger/8.0.40"));
    }
}
