//! `waymark verify`: every code of plaques.lock fetched at the live site. A printed code is a
//! promise for years, and a build can only keep it inside its output folder: this checks what
//! visitors' phones actually get (a host that does not serve `/q/CODE/`, a lapsed domain, a
//! redirect loop, a landing whose page is gone), following only the redirects the site itself
//! makes.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Duration;

pub struct Options {
    pub site: PathBuf,
    /// The site to check; default `base_url`.
    pub url: Option<String>,
    /// Also every address in sitemap.xml.
    pub pages: bool,
    pub concurrency: usize,
    pub timeout: Duration,
    pub retries: u32,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
}

/// Redirects followed before a chain is called too long: phones' browsers give up after 16 to 20
/// (Safari's limit is the lowest).
const MAX_HOPS: usize = 16;

/// What one address answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// 200 at `at` (after the redirects), with the canonical link the page names.
    Ok {
        canonical: Option<String>,
        at: String,
    },
    /// Another status.
    Status(u16),
    /// Redirects that come back to an address already seen.
    Loop(Vec<String>),
    /// More redirects than a phone follows, none of them repeated.
    TooLong(Vec<String>),
    /// No answer: refused, unknown host, TLS, timed out.
    Failed(String),
}

/// One printed code or page, checked.
#[derive(Debug, Clone)]
pub struct Finding {
    pub what: String,
    pub url: String,
    /// The problem, or None when all is well.
    pub problem: Option<String>,
    /// A code whose plaque is printed (the worst kind of problem).
    pub printed: Option<String>,
    /// Something to know that is not a problem (a code whose entry is a draft).
    pub note: Option<String>,
}

pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn broken_printed(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.problem.is_some() && f.printed.is_some())
            .count()
    }
    pub fn broken_codes(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.problem.is_some() && f.what.starts_with("code "))
            .count()
    }
}

pub fn run(opts: &Options) -> Result<Report> {
    let config = Config::load(&opts.site)?;
    let ledger = Ledger::load(&opts.site)?;
    let root = opts
        .url
        .clone()
        .unwrap_or_else(|| config.base_url.clone())
        .trim_end_matches('/')
        .to_string();
    if !(root.starts_with("http://") || root.starts_with("https://")) {
        return Err(Error::Usage(format!(
            "`{root}` is not a web address: give one that starts with https:// (or http://)"
        )));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(opts.timeout))
        .user_agent(concat!("waymark-verify/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let base_path = path_of(&config.base_url);
    let site = Site {
        base_url: config.base_url.trim_end_matches('/').to_string(),
        root: root.clone(),
    };

    // Each code, and where it must lead: its entry's page, or for a retired code what it
    // was retired to.
    let mut jobs: Vec<(String, String, Option<String>, Option<String>)> = Vec::new();
    for (code, rec) in &ledger.codes {
        let expected = expected_path(&ledger, code, &base_path);
        jobs.push((
            format!("code {code}"),
            format!("{root}{}", crate::address::landing(code)),
            expected,
            rec.printed.clone(),
        ));
    }
    if opts.pages {
        for url in pages(&agent, &config, &ledger, &site, opts.retries)? {
            jobs.push((format!("page {}", path_of(&url)), url, None, None));
        }
    }
    let bar = opts.progress.then(|| {
        let b = indicatif::ProgressBar::new(jobs.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.concurrency.max(1))
        .build()
        .map_err(|e| Error::Usage(e.to_string()))?;
    let findings: Vec<Finding> = pool.install(|| {
        jobs.into_par_iter()
            .map(|(what, url, expected, printed)| {
                let (outcome, body) = fetch(&agent, &url, opts.retries);
                // The landing of a code whose entry is a draft says it is being updated, and
                // names the entry it stands for: right, for now.
                if let (Outcome::Ok { .. }, Some(page)) = (&outcome, held(&body)) {
                    let right = expected
                        .as_deref()
                        .is_some_and(|want| path_of(want).trim_matches('/').ends_with(&page));
                    if right {
                        if let Some(b) = &bar {
                            b.inc(1);
                        }
                        return Finding {
                            what,
                            url,
                            problem: None,
                            printed,
                            note: Some(format!(
                                "{page} is a draft: the landing says it is being updated"
                            )),
                        };
                    }
                }
                let mut problem = judge(&outcome, expected.as_deref(), &site.base_url);
                // The landing is right; the page it names must be there too (a landing left
                // behind by a deleted page still answers 200).
                if let (
                    None,
                    Outcome::Ok {
                        canonical: Some(c),
                        at,
                    },
                    Some(_),
                ) = (&problem, &outcome, &expected)
                {
                    let page = site.reachable(c, at);
                    let (o, _) = fetch(&agent, &page, opts.retries);
                    match &o {
                        // The page names itself, as every page of the site does; a folder
                        // listing (a host's answer for a page that is gone) names nothing.
                        Outcome::Ok { canonical: own, .. }
                            if own.as_deref().map(path_of) == Some(path_of(c)) => {}
                        Outcome::Ok { .. } => {
                            problem = Some(format!(
                                "its page {} answers, but not with the entry's page (a folder listing, or another page)",
                                path_of(c)
                            ));
                        }
                        _ => problem = Some(format!("its page {} {}", path_of(c), describe(&o))),
                    }
                }
                if let Some(b) = &bar {
                    b.inc(1);
                }
                Finding {
                    what,
                    url,
                    problem,
                    printed,
                    note: None,
                }
            })
            .collect()
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(Report { findings })
}

/// The site's own address (`base_url`, which canonical links name) and the address being
/// checked (the same, an old address, or a copy served elsewhere).
struct Site {
    base_url: String,
    root: String,
}

impl Site {
    /// Where to fetch a page named by its canonical link, having landed at `landed`: on the
    /// address being checked when the landing was there (a copy served elsewhere), or where
    /// the canonical link says (the new address, reached from an old one).
    fn reachable(&self, canonical: &str, landed: &str) -> String {
        let absolute = join(&format!("{}/", self.base_url), canonical);
        let canonical = absolute.as_deref().unwrap_or(canonical);
        match canonical.strip_prefix(&self.base_url) {
            Some(rest) if landed.starts_with(&self.root) => format!("{}{rest}", self.root),
            _ => canonical.to_string(),
        }
    }

    /// `https://old.example/x` -> the same on the address being checked.
    fn on_root(&self, url: &str) -> String {
        match url.strip_prefix(&self.base_url) {
            Some(rest) => format!("{}{rest}", self.root),
            None => url.to_string(),
        }
    }
}

/// The pages `--pages` fetches: those of the checked site's sitemap. An old address's site has
/// none (it only leads on): there, the new site's sitemap, or failing that the ledger's pages.
fn pages(
    agent: &ureq::Agent,
    config: &Config,
    ledger: &Ledger,
    site: &Site,
    retries: u32,
) -> Result<Vec<String>> {
    let sitemap = |root: &str| match fetch(
        agent,
        &format!("{root}/{}", crate::address::SITEMAP),
        retries,
    ) {
        (Outcome::Ok { .. }, body) => Ok(locs(&body)),
        (other, _) => Err(describe(&other)),
    };
    let why = match sitemap(&site.root) {
        Ok(locs) => return Ok(locs.iter().map(|l| site.on_root(l)).collect()),
        Err(why) => why,
    };
    let old = config
        .previous_base_urls
        .iter()
        .any(|u| same_origin(u, &site.root));
    if !old {
        return Err(Error::Usage(format!(
            "cannot read {}/sitemap.xml: {why}",
            site.root
        )));
    }
    if let Ok(locs) = sitemap(&site.base_url) {
        return Ok(locs.iter().map(|l| site.on_root(l)).collect());
    }
    let mut pages = vec![format!("{}/", site.root)];
    for rec in ledger.codes.values() {
        if let Some(page) = &rec.page {
            let url = format!("{}/{page}/", site.root);
            if !pages.contains(&url) {
                pages.push(url);
            }
        }
    }
    Ok(pages)
}

/// Whether two addresses have the same scheme, host and port.
fn same_origin(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

/// The path a code must lead to (its page's, or a retired code's target's), under the site's
/// own path (`/` or `/di-san/`).
fn expected_path(ledger: &Ledger, code: &str, base: &str) -> Option<String> {
    let mut code = code.to_string();
    for _ in 0..10 {
        let rec = ledger.codes.get(&code)?;
        if let Some(page) = &rec.page {
            return Some(format!("{base}{page}/"));
        }
        let to = rec.retired_to.as_deref()?;
        if ledger.codes.contains_key(to) {
            code = to.to_string();
            continue;
        }
        // An entry's `section/slug`, or a section.
        return Some(format!("{base}{}/", to.trim_matches('/')));
    }
    None
}

/// `https://host/di-san/x` -> `/di-san/x`; the site's own path always ends with `/`.
fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let path = rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path.ends_with('/') || path.rsplit('/').next().is_some_and(|l| l.contains('.')) {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// GET `url`, following the site's redirects by hand (so that a loop is named), retrying what
/// may pass (no answer, a 5xx) up to `retries` times. Returns the outcome and the page's text.
fn fetch(agent: &ureq::Agent, url: &str, retries: u32) -> (Outcome, String) {
    let mut attempt = 0;
    loop {
        let (outcome, body) = follow(agent, url);
        let transient = matches!(outcome, Outcome::Failed(_) | Outcome::Status(500..=599));
        if !transient || attempt >= retries {
            return (outcome, body);
        }
        attempt += 1;
        std::thread::sleep(Duration::from_millis(300 * u64::from(attempt)));
    }
}

fn follow(agent: &ureq::Agent, url: &str) -> (Outcome, String) {
    // As the joined addresses are written, so that a repeat of the first is seen.
    let start = url::Url::parse(url).map_or_else(|_| url.to_string(), |u| u.to_string());
    let mut seen = vec![start.clone()];
    let mut current = start;
    loop {
        let mut resp = match agent.get(&current).call() {
            Ok(r) => r,
            Err(e) => return (Outcome::Failed(e.to_string()), String::new()),
        };
        let status = resp.status().as_u16();
        let next = if (300..400).contains(&status) {
            let location = resp
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .and_then(|l| join(&current, l));
            match location {
                Some(to) => to,
                None => return (Outcome::Status(status), String::new()),
            }
        } else if status != 200 {
            return (Outcome::Status(status), String::new());
        } else {
            let body = resp
                .body_mut()
                .with_config()
                .limit(8 * 1024 * 1024)
                .read_to_string()
                .unwrap_or_default();
            // The site of an old address (`moved/<host>/`) leads on with a meta refresh, as a
            // phone's browser would follow it.
            match refresh(&body).and_then(|r| join(&current, &r)) {
                Some(to) => to,
                None => {
                    let canonical = canonical(&body);
                    return (
                        Outcome::Ok {
                            canonical,
                            at: current,
                        },
                        body,
                    );
                }
            }
        };
        if seen.contains(&next) {
            seen.push(next);
            return (Outcome::Loop(seen), String::new());
        }
        if seen.len() > MAX_HOPS {
            seen.push(next);
            return (Outcome::TooLong(seen), String::new());
        }
        seen.push(next.clone());
        current = next;
    }
}

/// A Location header (or a refresh's address) against the address it came from; None when
/// either is not a web address.
fn join(from: &str, location: &str) -> Option<String> {
    let joined = url::Url::parse(from).ok()?.join(location.trim()).ok()?;
    matches!(joined.scheme(), "http" | "https").then(|| joined.to_string())
}

/// The entry (`section/slug`) a draft's "being updated" landing stands for.
fn held(html: &str) -> Option<String> {
    let i = html.find("data-held=\"")? + "data-held=\"".len();
    let j = html[i..].find('"')? + i;
    Some(html[i..j].to_string())
}

/// The href of `<link rel="canonical">`.
fn canonical(html: &str) -> Option<String> {
    let i = html.find("rel=\"canonical\"")?;
    let tag_start = html[..i].rfind('<')?;
    let tag_end = i + html[i..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let h = tag.find("href=\"")? + 6;
    let end = tag[h..].find('"')? + h;
    Some(tag[h..end].replace("&amp;", "&"))
}

/// The address of an immediate `<meta http-equiv="refresh" content="0; url=...">`.
fn refresh(html: &str) -> Option<String> {
    let i = html.find("http-equiv=\"refresh\"")?;
    let tag_end = i + html[i..].find('>')?;
    let tag = &html[html[..i].rfind('<')?..tag_end];
    let c = tag.find("content=\"")? + 9;
    let content = &tag[c..c + tag[c..].find('"')?];
    let (delay, rest) = content.split_once(';')?;
    if delay.trim() != "0" {
        return None;
    }
    let url = rest
        .trim()
        .strip_prefix("url=")
        .or_else(|| rest.trim().strip_prefix("URL="))?;
    Some(url.trim().replace("&amp;", "&"))
}

/// The `<loc>` addresses of a sitemap.
fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .map(|s| s.trim().replace("&amp;", "&"))
        .collect()
}

fn describe(o: &Outcome) -> String {
    match o {
        Outcome::Ok { .. } => "answers 200".into(),
        Outcome::Status(s) => format!("answers {s}"),
        Outcome::Loop(chain) => format!("redirects in a loop: {}", chain.join(" → ")),
        Outcome::TooLong(chain) => format!(
            "redirects more than {MAX_HOPS} times, more than a phone follows: {} → … → {}",
            chain.first().map_or("", String::as_str),
            chain.last().map_or("", String::as_str)
        ),
        Outcome::Failed(e) => format!("does not answer ({e})"),
    }
}

/// The problem with an outcome, for an address that must lead to `expected` (a path on the
/// site at `base_url`, which canonical links name).
fn judge(o: &Outcome, expected: Option<&str>, base_url: &str) -> Option<String> {
    match (o, expected) {
        (Outcome::Ok { canonical, .. }, Some(want)) => {
            // A relative link (a theme's own) is on the site it was read from.
            let canonical = canonical
                .as_deref()
                .map(|c| join(&format!("{base_url}/"), c).unwrap_or_else(|| c.to_string()));
            let got = canonical.as_deref().map(path_of);
            let elsewhere = canonical.as_deref().filter(|c| !same_origin(c, base_url));
            if let Some(c) = elsewhere {
                let wanted = join(base_url, want).unwrap_or_else(|| want.to_string());
                Some(format!(
                    "shows a page of another site ({c}) instead of {wanted}"
                ))
            } else if got.as_deref() == Some(want) {
                None
            } else {
                Some(match got {
                    Some(g) => format!("shows {g} instead of {want}"),
                    None => format!("shows a page without a canonical link, not {want}"),
                })
            }
        }
        (Outcome::Ok { .. }, None) => None,
        (other, _) => Some(describe(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_links_and_locations() {
        assert_eq!(
            path_of("https://a.vn/di-san/relics/den"),
            "/di-san/relics/den/"
        );
        assert_eq!(path_of("https://a.vn"), "/");
        assert_eq!(path_of("https://a.vn/sw.js?x"), "/sw.js");
        assert_eq!(
            join("https://a.vn/q/HVT/", "/relics/x/").as_deref(),
            Some("https://a.vn/relics/x/")
        );
        assert_eq!(
            join("https://a.vn/q/HVT", "HVT/").as_deref(),
            Some("https://a.vn/q/HVT/")
        );
        assert_eq!(
            join("http://a/q/", "https://b/x").as_deref(),
            Some("https://b/x")
        );
        // Forms a hand-made join got wrong: relative to the query, up a folder, protocol-relative.
        assert_eq!(
            join("https://a.vn/di-san/q/HVT/", "../../relics/x/").as_deref(),
            Some("https://a.vn/di-san/relics/x/")
        );
        assert_eq!(
            join("https://a.vn/q/HVT/", "//b.vn/q/HVT/").as_deref(),
            Some("https://b.vn/q/HVT/")
        );
        assert_eq!(
            join("https://a.vn/q/HVT/?x=1", "?lang=en").as_deref(),
            Some("https://a.vn/q/HVT/?lang=en")
        );
        assert_eq!(join("https://a.vn/q/HVT/", "javascript:alert(1)"), None);
        let html = "<link rel=\"alternate\" href=\"/x\"><link rel=\"canonical\" href=\"https://a.vn/relics/den/\">";
        assert_eq!(canonical(html).as_deref(), Some("https://a.vn/relics/den/"));
        let moved = "<link rel=\"canonical\" href=\"https://b.vn/q/HVT/\"><meta http-equiv=\"refresh\" content=\"0; url=https://b.vn/q/HVT/\">";
        assert_eq!(refresh(moved).as_deref(), Some("https://b.vn/q/HVT/"));
        assert_eq!(refresh(html), None);
        assert_eq!(
            locs("<url><loc>https://a/x/</loc></url><url><loc> https://a/y/ </loc></url>"),
            ["https://a/x/", "https://a/y/"]
        );
    }

    #[test]
    fn a_canonical_link_must_be_on_the_sites_host() {
        let ok = |c: &str| Outcome::Ok {
            canonical: Some(c.to_string()),
            at: "http://127.0.0.1:8080/q/A/".into(),
        };
        let base = "https://a.vn/di-san";
        let want = Some("/di-san/relics/a/");
        assert_eq!(
            judge(&ok("https://a.vn/di-san/relics/a/"), want, base),
            None
        );
        assert_eq!(judge(&ok("/di-san/relics/a/"), want, base), None);
        assert_eq!(
            judge(&ok("https://b.vn/di-san/relics/a/"), want, base).as_deref(),
            Some("shows a page of another site (https://b.vn/di-san/relics/a/) instead of https://a.vn/di-san/relics/a/")
        );
        assert_eq!(
            judge(&ok("http://a.vn/di-san/relics/a/"), want, base).as_deref(),
            Some("shows a page of another site (http://a.vn/di-san/relics/a/) instead of https://a.vn/di-san/relics/a/")
        );
        assert_eq!(
            judge(&ok("https://a.vn/di-san/relics/b/"), want, base).as_deref(),
            Some("shows /di-san/relics/b/ instead of /di-san/relics/a/")
        );
    }

    #[test]
    fn retired_codes_lead_where_they_were_retired_to() {
        let ledger: Ledger = serde_yaml_ng::from_str(
            "version: 1\ncodes:\n  A: { page: relics/a }\n  B: { retired_to: A }\n  C: { retired_to: relics }\n  D: { retired_to: E }\n  E: { retired_to: D }\n",
        )
        .unwrap();
        assert_eq!(
            expected_path(&ledger, "A", "/").as_deref(),
            Some("/relics/a/")
        );
        assert_eq!(
            expected_path(&ledger, "B", "/x/").as_deref(),
            Some("/x/relics/a/")
        );
        assert_eq!(
            expected_path(&ledger, "C", "/").as_deref(),
            Some("/relics/")
        );
        assert_eq!(expected_path(&ledger, "D", "/"), None);
    }
}
