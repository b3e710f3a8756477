//! `site.yaml`: the site's name, address, languages, theme and print defaults.

use crate::error::{Diagnostic, Error, Result};
pub use crate::vocab::{EcChoice, EcLevel, Size};
use crate::yaml;
use serde::Deserialize;
use std::path::Path;

pub mod target;

pub const FILE: &str = "site.yaml";

const KNOWN: &[&str] = &[
    "title",
    "description",
    "short_name",
    "base_url",
    "default_language",
    "languages",
    "theme",
    "qr",
    "plaque",
    "photos",
    "paginate_by",
    "tag_names",
    "previous_base_urls",
    "map",
    "timezone",
    "contact",
    "deploy",
    "editor",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The name under the icon of the installed web app (about 12 characters show); by
    /// default the title, cut at a word.
    #[serde(default)]
    pub short_name: Option<String>,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub default_language: String,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub qr: QrConfig,
    #[serde(default)]
    pub plaque: PlaqueConfig,
    #[serde(default)]
    pub photos: PhotoConfig,
    /// Entries on each page of a section or district list; 0 puts a whole list on one page.
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    /// Tags as other languages name them: tag (as entries write it) → language → name.
    #[serde(default)]
    pub tag_names: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// Addresses the site was published at before: the build writes a site for each under
    /// `output/moved/<host>/` that sends every page and printed code to its new address.
    #[serde(default)]
    pub previous_base_urls: Vec<String>,
    /// The IANA time zone the site's days are counted in (`waymark stats`).
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// Who visitors can call or write to (shown where a page cannot help them, such as the
    /// landing of a place being updated).
    #[serde(default)]
    pub contact: Option<Contact>,
    /// The map page's live map: its tiles and their credit.
    #[serde(default)]
    pub map: MapConfig,
    /// Where `waymark deploy` puts the site when no target is given (`target::Target`): a
    /// bucket or a branch, never credentials.
    #[serde(default)]
    pub deploy: Option<String>,
    /// What `serve --edit` asks of saves (`editor:` in site.yaml).
    #[serde(default)]
    pub editor: EditorConfig,
}

/// `editor:` in site.yaml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditorConfig {
    /// `true`: volunteers' and owners' saves wait for an admin's approval. Read as any YAML
    /// value so that `review: yes` or `review: on` gets a plain error at its line, not serde's.
    #[serde(default)]
    review: Option<serde_yaml_ng::Value>,
}

impl EditorConfig {
    /// Whether saves by volunteers and owners wait for an admin's approval.
    pub fn review(&self) -> bool {
        matches!(self.review, Some(serde_yaml_ng::Value::Bool(true)))
    }
}

/// `contact:` in site.yaml.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// The map page's live map (`map:` in site.yaml): where its tiles come from and whose they are.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapConfig {
    /// A tile URL template with `{z}`, `{x}` and `{y}` (and optionally `{s}`).
    #[serde(default = "default_tiles")]
    pub tiles: String,
    /// The credit the tiles' licence asks for, shown on the map as text.
    #[serde(default = "default_attribution")]
    pub attribution: String,
    /// Where the credit links to.
    #[serde(default = "default_attribution_url")]
    pub attribution_url: Option<String>,
}

impl Default for MapConfig {
    fn default() -> Self {
        MapConfig {
            tiles: default_tiles(),
            attribution: default_attribution(),
            attribution_url: default_attribution_url(),
        }
    }
}

fn default_tiles() -> String {
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into()
}

fn default_attribution() -> String {
    "© OpenStreetMap contributors".into()
}

fn default_attribution_url() -> Option<String> {
    Some("https://www.openstreetmap.org/copyright".into())
}

/// How photos are published (`photos:` in site.yaml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoConfig {
    /// Widths in pixels made of every photo (never wider than the photo itself).
    #[serde(default = "default_widths")]
    pub widths: Vec<u32>,
    /// 1–100; 80 is hard to tell from the original on a phone.
    #[serde(default = "default_jpeg_quality")]
    pub jpeg_quality: u8,
    /// 1–100; WebP at 75 looks like JPEG at 80 in about 30% fewer bytes.
    #[serde(default = "default_webp_quality")]
    pub webp_quality: u8,
}

impl Default for PhotoConfig {
    fn default() -> Self {
        PhotoConfig {
            widths: default_widths(),
            jpeg_quality: default_jpeg_quality(),
            webp_quality: default_webp_quality(),
        }
    }
}

fn default_widths() -> Vec<u32> {
    vec![480, 960, 1600]
}

fn default_jpeg_quality() -> u8 {
    80
}

fn default_webp_quality() -> u8 {
    75
}

/// What every plaque looks like (`plaque:` in site.yaml); an entry may pick its own size.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaqueConfig {
    #[serde(default = "default_size")]
    pub size: Size,
    /// How far away a visitor stands to scan, in metres; by default the size's own (1 m for A6).
    #[serde(default)]
    pub scan_distance_m: Option<f64>,
    /// Also write each plaque's SVG with its text as outlines, for sign makers without the font.
    #[serde(default)]
    pub outline_text: bool,
    /// An SVG in the site folder, drawn in the middle of every plaque's symbol (at error correction H).
    #[serde(default)]
    pub logo: Option<String>,
    /// Print the entry's summary (Vietnamese, and English when translated) under the title, where
    /// the layout has room: a visitor with no signal still learns what the place is.
    #[serde(default)]
    pub summary: bool,
}

impl Default for PlaqueConfig {
    fn default() -> Self {
        PlaqueConfig {
            size: default_size(),
            scan_distance_m: None,
            outline_text: false,
            logo: None,
            summary: false,
        }
    }
}

impl PlaqueConfig {
    /// The distance a plaque of `size` is laid out for.
    pub fn scan_distance(&self, size: Size) -> f64 {
        self.scan_distance_m
            .unwrap_or_else(|| size.scan_distance_m())
    }
}

fn default_size() -> Size {
    Size::A6
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QrConfig {
    /// `auto` (the default: the highest level one version of the symbol buys), or L, M, Q, H.
    #[serde(default)]
    pub error_correction: EcChoice,
}

impl Default for QrConfig {
    fn default() -> Self {
        QrConfig {
            error_correction: EcChoice::Auto,
        }
    }
}

/// A list page of 50 cards is about 3 KB gzipped: it arrives in the first round trip with its
/// header and styles, and is a short scroll on a phone.
fn default_paginate_by() -> usize {
    50
}

fn default_language() -> String {
    "vi".into()
}

fn default_timezone() -> String {
    "Asia/Ho_Chi_Minh".into()
}

fn default_theme() -> String {
    "default".into()
}

impl Config {
    /// Read and check `<site>/site.yaml`.
    pub fn load(site: &Path) -> Result<Config> {
        let path = site.join(FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::one(
                Diagnostic::error(FILE, format!("cannot read {FILE}: {e}"))
                    .hint("run waymark in a site folder (one with site.yaml and content/), pass --site DIR, or make one with `waymark init DIR`"),
            )
        })?;
        Config::parse(&text)
    }

    /// Parse and check the text of a `site.yaml`.
    pub fn parse(text: &str) -> Result<Config> {
        let text = text
            .strip_prefix('\u{feff}')
            .unwrap_or(text)
            .replace("\r\n", "\n");
        let mut config: Config =
            yaml::parse(&text, Path::new(FILE), &text, 1, KNOWN).map_err(Error::one)?;
        config.check(&text)?;
        Ok(config)
    }

    fn check(&mut self, text: &str) -> Result<()> {
        let at = |key: &str| yaml::key_line(text, 1, key);
        let mut problems = Vec::new();
        if self.title.trim().is_empty() {
            problems.push(
                Diagnostic::error(FILE, "the site's title is empty")
                    .at(at("title"), None)
                    .hint("write the name visitors see at the top of every page, e.g. `title: Di sản Lạng Sơn`")
                    .vi("tên trang đang để trống: ghi tên trang, ví dụ `title: Di sản Lạng Sơn`")
                    .with_source(text),
            );
        }
        if let Err(why) = check_base_url(&self.base_url) {
            problems.push(
                Diagnostic::error(FILE, format!("base_url `{}` {why}", self.base_url))
                    .at(at("base_url"), None)
                    .hint("write the address the site will be published at, e.g. `base_url: https://langson.example.org`")
                    .with_source(text),
            );
        }
        self.base_url = self.base_url.trim_end_matches('/').to_string();
        if self.languages.is_empty() {
            self.languages.push(self.default_language.clone());
        }
        for lang in &self.languages {
            if !is_language_code(lang) {
                problems.push(
                    Diagnostic::error(FILE, format!("`{lang}` is not a language code"))
                        .at(at("languages"), None)
                        .hint("use two- or three-letter codes such as vi, en, zh (optionally with a region: zh-TW)")
                        .with_source(text),
                );
            }
        }
        if !self.languages.contains(&self.default_language) {
            problems.push(
                Diagnostic::error(
                    FILE,
                    format!(
                        "default_language `{}` is not in languages [{}]",
                        self.default_language,
                        self.languages.join(", ")
                    ),
                )
                .at(at("default_language"), None)
                .hint("add it to `languages`, or pick one of them as default_language")
                .with_source(text),
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        for lang in &self.languages {
            if !seen.insert(lang) {
                problems.push(
                    Diagnostic::error(FILE, format!("language `{lang}` is listed twice"))
                        .at(at("languages"), None)
                        .with_source(text),
                );
            }
        }
        for (tag, names) in &self.tag_names {
            for (lang, name) in names {
                let why = if !self.languages.contains(lang) {
                    format!("`{lang}` is not one of the site's languages")
                } else if name.trim().is_empty() {
                    "the name is empty".to_string()
                } else {
                    continue;
                };
                problems.push(
                    Diagnostic::error(FILE, format!("tag_names: `{tag}`: {why}"))
                        .at(at(tag), None)
                        .hint(format!(
                            "name the tag in the site's languages ({}): `{tag}: {{ en: History }}`",
                            self.languages.join(", ")
                        ))
                        .with_source(text),
                );
            }
        }
        if let Some(d) = self
            .plaque
            .scan_distance_m
            .filter(|d| !(*d > 0.0 && *d < 50.0))
        {
            problems.push(
                Diagnostic::error(FILE, format!("scan_distance_m {d} is not between 0 and 50 metres"))
                    .at(at("scan_distance_m"), None)
                    .hint("how far a visitor stands from the plaque to scan it: `plaque: { scan_distance_m: 0.5 }`")
                    .with_source(text),
            );
        }
        let mut seen_urls = std::collections::BTreeSet::new();
        for old in &mut self.previous_base_urls {
            let why = match check_base_url(old) {
                Err(why) => Some(why.to_string()),
                Ok(()) if old.trim_end_matches('/') == self.base_url => {
                    Some("is the site's base_url itself".into())
                }
                Ok(()) if !seen_urls.insert(moved_host(old)) => {
                    Some("has the same host as another previous address".into())
                }
                Ok(()) => None,
            };
            if let Some(why) = why {
                problems.push(
                    Diagnostic::error(FILE, format!("previous_base_urls: `{old}` {why}"))
                        .at(at("previous_base_urls"), None)
                        .hint("list the addresses the site was published at before, e.g. `previous_base_urls: [https://old.example]`")
                        .with_source(text),
                );
            }
            *old = old.trim_end_matches('/').to_string();
        }
        if let Some(Err(why)) = self.deploy.as_deref().map(target::Target::parse) {
            problems.push(
                Diagnostic::error(FILE, format!("deploy: {why}"))
                    .at(at("deploy"), None)
                    .hint("e.g. `deploy: s3://my-site?endpoint=https://s3.example.vn` or `deploy: git:gh-pages`; keys and secrets go in the environment or ~/.aws/credentials, never in site.yaml")
                    .with_source(text),
            );
        }
        match &self.editor.review {
            None | Some(serde_yaml_ng::Value::Bool(_)) => {}
            Some(other) => {
                let shown = serde_yaml_ng::to_string(other).unwrap_or_default();
                problems.push(
                    Diagnostic::error(FILE, format!("editor: review `{}` is not true or false", shown.trim()))
                        .at(at("review"), None)
                        .hint("write `editor: { review: true }` to make volunteers' and owners' saves wait for an admin's approval, or `review: false` (the default) to publish them at once")
                        .vi("editor: review phải là true hoặc false: `review: true` để bài sửa của tình nguyện viên và chủ nhà chờ quản trị viên duyệt")
                        .with_source(text),
                );
            }
        }
        let tiles = &self.map.tiles;
        if !["{z}", "{x}", "{y}"].iter().all(|k| tiles.contains(k)) {
            problems.push(
                Diagnostic::error(FILE, format!("map tiles `{tiles}` lack {{z}}, {{x}} or {{y}}"))
                    .at(at(if text.lines().any(|l| l.trim_start().starts_with("tiles:")) { "tiles" } else { "map" }), None)
                    .hint("write a tile URL template, e.g. `map: { tiles: \"https://tile.openstreetmap.org/{z}/{x}/{y}.png\" }`")
                    .with_source(text),
            );
        }
        if let Some(url) = (self.map.attribution_url.as_deref())
            .filter(|u| !u.starts_with("https://") && !u.starts_with("http://"))
        {
            problems.push(
                Diagnostic::error(FILE, format!("map attribution_url `{url}` is not a web address"))
                    .at(at("attribution_url"), None)
                    .hint("write the page of the tiles' licence, e.g. `attribution_url: https://www.openstreetmap.org/copyright`")
                    .with_source(text),
            );
        }
        if self
            .short_name
            .as_deref()
            .is_some_and(|n| n.trim().is_empty())
        {
            problems.push(
                Diagnostic::error(FILE, "short_name is empty")
                    .at(at("short_name"), None)
                    .hint("write the app's name under its icon in about 12 characters, or remove the line")
                    .with_source(text),
            );
        }
        if let Err(why) = time_zone(&self.timezone) {
            problems.push(
                Diagnostic::error(FILE, format!("timezone `{}` {why}", self.timezone))
                    .at(at("timezone"), None)
                    .hint("write an IANA time zone name, as `timezone: Asia/Ho_Chi_Minh` (Vietnam, the default) or `timezone: Asia/Bangkok`")
                    .with_source(text),
            );
        }
        let p = &self.photos;
        if p.widths.is_empty() || p.widths.iter().any(|w| !(16..=4096).contains(w)) {
            problems.push(
                Diagnostic::error(
                    FILE,
                    format!(
                        "photo widths {:?} must be one or more widths between 16 and 4096 pixels",
                        p.widths
                    ),
                )
                .at(at("widths"), None)
                .hint("the default suits phones and laptops: `widths: [480, 960, 1600]`")
                .with_source(text),
            );
        }
        for (key, q) in [
            ("jpeg_quality", p.jpeg_quality),
            ("webp_quality", p.webp_quality),
        ] {
            if !(1..=100).contains(&q) {
                problems.push(
                    Diagnostic::error(FILE, format!("{key} {q} is not between 1 and 100"))
                        .at(at(key), None)
                        .hint("80 for JPEG and 75 for WebP look like the original on a phone")
                        .with_source(text),
                );
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Site(problems))
        }
    }

    /// The path part of base_url ("" or "/sub"), which every site-relative link starts with.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, r)| r);
        after_scheme.find('/').map_or("", |i| &after_scheme[i..])
    }

    /// How many pages a list of `entries` takes (at least one, so an empty list still has its page).
    pub fn list_pages(&self, entries: usize) -> usize {
        match self.paginate_by {
            0 => 1,
            per => entries.div_ceil(per).max(1),
        }
    }

    /// The site's time zone (checked when the config was read; UTC if it somehow is not known).
    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        time_zone(&self.timezone).unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// Other languages than the default, in the site's order.
    pub fn other_languages(&self) -> impl Iterator<Item = &String> {
        self.languages
            .iter()
            .filter(move |l| **l != self.default_language)
    }
}

/// The folder name of an old address's site under `output/moved/`: its host (and port).
pub fn moved_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split('/').next().unwrap_or(rest);
    host.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A time zone of the IANA database bundled into Waymark (so a host without
/// /usr/share/zoneinfo counts the same days), or why not, with the nearest name.
fn time_zone(name: &str) -> std::result::Result<jiff::tz::TimeZone, String> {
    let db = jiff::tz::db();
    db.get(name).map_err(|_| {
        let names: Vec<String> = db.available().map(|n| n.to_string()).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        // Only a near miss (a typo, spaces for underscores): a far one misleads (Asia/Hanoi is
        // not Asia/Harbin).
        let near = crate::error::suggest(name, &names)
            .filter(|near| strsim::damerau_levenshtein(name, near) <= 2);
        match near {
            Some(near) => format!("is not a time zone name (did you mean {near}?)"),
            None => "is not a time zone name".into(),
        }
    })
}

/// Accepts `http(s)://host[:port][/path]`.
pub fn check_base_url(url: &str) -> std::result::Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with https:// or http://")?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err("has no host name");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
    {
        return Err("contains spaces or quotes");
    }
    if url.contains('?') || url.contains('#') {
        return Err("must not have a query (?) or fragment (#)");
    }
    let host_ok = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok {
        return Err("has characters that a host name cannot have");
    }
    Ok(())
}

fn is_language_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let main = parts.next().unwrap_or("");
    (2..=3).contains(&main.len())
        && main.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_checks() {
        assert!(check_base_url("https://a.example").is_ok());
        assert!(check_base_url("http://127.0.0.1:8080/sub").is_ok());
        assert!(check_base_url("a.example").is_err());
        assert!(check_base_url("https://").is_err());
        assert!(check_base_url("https://a b").is_err());
    }

    #[test]
    fn a_blank_title_is_refused_at_its_line() {
        let e = Config::parse("title: \"  \"\nbase_url: https://a.example\n").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("title is empty") && text.contains(":1"),
            "{text}"
        );
    }

    #[test]
    fn time_zones() {
        assert!(time_zone("Asia/Ho_Chi_Minh").is_ok());
        assert!(time_zone("UTC").is_ok());
        assert_eq!(
            time_zone("Asia/Ho Chi_Minh").unwrap_err(),
            "is not a time zone name (did you mean Asia/Ho_Chi_Minh?)"
        );
        assert_eq!(
            time_zone("Asia/Hanoi").unwrap_err(),
            "is not a time zone name"
        );
    }

    #[test]
    fn review_is_true_or_false_and_anything_else_is_named_with_the_fix() {
        let base = "title: T\nbase_url: https://a.example\n";
        assert!(!Config::parse(base).unwrap().editor.review());
        let on = Config::parse(&format!("{base}editor:\n  review: true\n")).unwrap();
        assert!(on.editor.review());
        let off = Config::parse(&format!("{base}editor: {{ review: false }}\n")).unwrap();
        assert!(!off.editor.review());
        let wrong = Config::parse(&format!("{base}editor:\n  review: volunteers\n"))
            .unwrap_err()
            .to_string();
        assert!(
            wrong.contains("review `volunteers` is not true or false")
                && wrong.contains("review: true")
                && wrong.contains(":4"),
            "{wrong}"
        );
        let typo = Config::parse(&format!("{base}editor: {{ reveiw: true }}\n"))
            .unwrap_err()
            .to_string();
        assert!(typo.contains("reveiw") && typo.contains("review"), "{typo}");
    }

    #[test]
    fn a_deploy_target_is_checked_at_its_line() {
        let ok =
            Config::parse("title: T\nbase_url: https://a.example\ndeploy: git:gh-pages\n").unwrap();
        assert_eq!(ok.deploy.as_deref(), Some("git:gh-pages"));
        let e = Config::parse("title: T\nbase_url: https://a.example\ndeploy: ftp://host\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("site.yaml:3"), "{e}");
        assert!(e.contains("s3://BUCKET"), "{e}");
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("vi"));
        assert!(is_language_code("zh-TW"));
        assert!(!is_language_code("Vietnamese"));
        assert!(!is_language_code("e"));
    }
}
