//! Front matter: the YAML between the `---` lines at the top of an entry, as typed structs.
//! Every field is documented here; README.md's front-matter reference follows this file.

use crate::error::Diagnostic;
use crate::yaml;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Fields of an entry's default-language file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The entry's name, as on the sign at the site. Required.
    pub title: String,
    /// Plaque code, `[A-Z0-9-]{2,16}`. When absent, one is derived and pinned in plaques.lock.
    #[serde(default)]
    pub code: Option<String>,
    /// One or two sentences for lists, search results and link previews.
    #[serde(default)]
    pub summary: Option<String>,
    /// WGS84 degrees.
    #[serde(default)]
    pub location: Option<Location>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub commune: Option<String>,
    /// The former district (abolished 1 July 2025) that visitors and signs still use; for grouping.
    #[serde(default)]
    pub district: Option<String>,
    /// Files in the entry's bundle; the first is the cover.
    #[serde(default)]
    pub images: Vec<Image>,
    #[serde(default)]
    pub audio: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub date: Option<String>,
    /// Left out of the build unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// This entry's plaque size (a6, sticker, a4), when it differs from site.yaml's.
    #[serde(default)]
    pub plaque_size: Option<String>,
    /// The entry's places on the web (`content::links`): an address, or `{ url, label }`.
    #[serde(default)]
    pub links: Vec<WebLink>,

    // Relics.
    #[serde(default)]
    pub ranking: Option<Ranking>,
    /// The year the site was ranked.
    #[serde(default)]
    pub recognized: Option<u16>,

    // Homestays.
    #[serde(default)]
    pub phone: Option<String>,
    /// A phone number registered with Zalo, or a zalo.me link.
    #[serde(default)]
    pub zalo: Option<String>,
    /// VND a night.
    #[serde(default)]
    pub price_from: Option<u64>,
    #[serde(default)]
    pub booking_url: Option<String>,
    /// How many rooms, and how many guests the house sleeps.
    #[serde(default)]
    pub rooms: Option<u32>,
    #[serde(default)]
    pub guests: Option<u32>,
    /// Keys of `vocab::AMENITIES` (`wifi`, `hot-water`...), each shown with its icon.
    #[serde(default)]
    pub amenities: Vec<String>,
    /// Languages the hosts speak: keys of `vocab::SPOKEN` (`vi`, `en`, `zh`, `tay`...).
    #[serde(default)]
    pub languages: Vec<String>,
    /// `HH:MM`.
    #[serde(default)]
    pub check_in: Option<String>,
    #[serde(default)]
    pub check_out: Option<String>,
    /// What `price_from` is for: `room` (the default) or `person`.
    #[serde(default)]
    pub price_per: Option<String>,
    /// When the house takes no guests: `YYYY-MM-DD`, `YYYY-MM-DD..YYYY-MM-DD`, or words
    /// ("Tết Nguyên đán") shown as written.
    #[serde(default)]
    pub closed: Vec<String>,
    /// `YYYY-MM-DD`: the day the price was last checked (a warning after a year).
    #[serde(default)]
    pub price_updated: Option<String>,
    /// Local produce the house sells.
    #[serde(default)]
    pub specialties: Vec<Specialty>,
    /// Printed on the homestay's kit only; never published on the site.
    #[serde(default, skip_serializing)]
    pub wifi: Option<Wifi>,
    /// Printed on the homestay's kit only (VietQR); never published on the site.
    #[serde(default, skip_serializing)]
    pub bank: Option<Bank>,
}

pub const FIELDS: &[&str] = &[
    "title",
    "code",
    "summary",
    "location",
    "address",
    "commune",
    "district",
    "images",
    "audio",
    "tags",
    "date",
    "draft",
    "plaque_size",
    "links",
    "ranking",
    "recognized",
    "phone",
    "zalo",
    "price_from",
    "booking_url",
    "rooms",
    "guests",
    "amenities",
    "languages",
    "check_in",
    "check_out",
    "price_per",
    "closed",
    "price_updated",
    "specialties",
    "wifi",
    "bank",
];
pub const RELIC_ONLY: &[&str] = &["ranking", "recognized"];
pub const HOMESTAY_ONLY: &[&str] = &[
    "price_from",
    "booking_url",
    "rooms",
    "guests",
    "amenities",
    "languages",
    "check_in",
    "check_out",
    "price_per",
    "closed",
    "price_updated",
    "specialties",
    "wifi",
    "bank",
];

/// Fields of a translation (`index.en.md`): the text; the rest comes from the default-language file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationMatter {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    /// Alt text and captions in this language, by `src` of the default file's `images`.
    #[serde(default)]
    pub images: Vec<Image>,
    #[serde(default)]
    pub draft: bool,
}

pub const TRANSLATION_FIELDS: &[&str] = &["title", "summary", "address", "images", "draft"];

/// `_index.md` of the home page or a section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntroMatter {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
}

pub const INTRO_FIELDS: &[&str] = &["title", "summary"];

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Image {
    Path(String),
    Full {
        src: String,
        /// What the photo shows, for visitors who cannot see it.
        #[serde(default)]
        alt: Option<String>,
        /// Shown under the photo.
        #[serde(default)]
        caption: Option<String>,
    },
}

impl Image {
    pub fn src(&self) -> &str {
        match self {
            Image::Path(s) => s,
            Image::Full { src, .. } => src,
        }
    }
    pub fn alt(&self) -> Option<&str> {
        match self {
            Image::Path(_) => None,
            Image::Full { alt, .. } => alt.as_deref(),
        }
    }
    pub fn caption(&self) -> Option<&str> {
        match self {
            Image::Path(_) => None,
            Image::Full { caption, .. } => caption.as_deref(),
        }
    }
}

/// One of `links`: an address, or an address with the label it is shown with.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum WebLink {
    Url(String),
    Full {
        url: String,
        #[serde(default)]
        label: Option<String>,
    },
}

impl WebLink {
    pub fn url(&self) -> &str {
        match self {
            WebLink::Url(u) => u,
            WebLink::Full { url, .. } => url,
        }
    }
    pub fn label(&self) -> Option<&str> {
        match self {
            WebLink::Url(_) => None,
            WebLink::Full { label, .. } => label.as_deref().filter(|l| !l.trim().is_empty()),
        }
    }
}

/// A local specialty the house sells: a name, and optionally its price (VND), a photo in the
/// bundle and the shop where it is sold.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Specialty {
    pub name: String,
    #[serde(default)]
    pub price: Option<u64>,
    #[serde(default)]
    pub photo: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Ranking {
    SpecialNational,
    National,
    Provincial,
}

impl Ranking {
    pub fn key(self) -> &'static str {
        match self {
            Ranking::SpecialNational => "special-national",
            Ranking::National => "national",
            Ranking::Provincial => "provincial",
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Wifi {
    pub ssid: String,
    #[serde(default)]
    pub password: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Bank {
    /// The bank's six-digit NAPAS BIN.
    pub bin: String,
    pub account: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// A Markdown file split at its front matter.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the file where the YAML starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// The line of the first conflict mark git leaves in a file it could not merge, if any: a
/// page must never go live with them (`=======` alone is also a Markdown heading's underline).
fn conflict_marks(text: &str) -> Option<usize> {
    if !text.contains("<<<<<<<") && !text.contains(">>>>>>>") {
        return None;
    }
    let mark = |l: &str| l.starts_with("<<<<<<<") || l.starts_with(">>>>>>>");
    text.lines().position(mark).map(|i| i + 1)
}

/// Split `text` (BOM removed, LF line endings) into front matter and body.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    if let Some(line) = conflict_marks(text) {
        return Err(Diagnostic::error(
            file,
            "the file still holds the marks of a merge that was not finished (<<<<<<<, =======, >>>>>>>)",
        )
        .at(line, Some(1))
        .hint("keep the right lines between <<<<<<< and >>>>>>>, delete the three lines of marks, and save (then `git add` the file, if a rebase waits for it)")
        .vi("tệp còn dấu của một lần ghép chưa xong (<<<<<<<, =======, >>>>>>>): giữ những dòng đúng, xoá ba dòng dấu rồi lưu")
        .with_source(text));
    }
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "---" {
        let what = if text.trim().is_empty() {
            "the file is empty"
        } else {
            "the file does not start with front matter"
        };
        return Err(Diagnostic::error(file, what)
            .at(1, Some(1))
            .hint("start the file with a line `---`, then `title: ...`, then a closing `---`, then the text").vi("tệp phải bắt đầu bằng dòng `---`, rồi `title: ...`, rồi một dòng `---` đóng lại, sau đó mới đến bài viết")
            .with_source(text));
    }
    let yaml_start = first.len() + 1;
    let mut offset = yaml_start.min(text.len());
    for (line_no, line) in (2..).zip(text[offset..].split_inclusive('\n')) {
        if line.trim_end() == "---" {
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start.min(text.len())..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(file, "the front matter is not closed")
        .at(1, Some(1))
        .hint("add a line `---` after the last field of the front matter")
        .vi("phần đầu tệp chưa được đóng: thêm một dòng `---` sau trường cuối cùng")
        .with_source(text))
}

/// Parse a default-language entry's front matter.
pub fn parse_entry(s: &Split, file: &Path, text: &str) -> Result<FrontMatter, Diagnostic> {
    let m: FrontMatter = yaml::parse(s.yaml, file, text, s.yaml_line, FIELDS)?;
    fn one<'a>(k: &'static str, v: &'a Option<String>) -> Option<(&'static str, &'a str)> {
        v.as_deref().map(|v| (k, v))
    }
    let texts = [
        Some(("title", m.title.as_str())),
        one("summary", &m.summary),
        one("address", &m.address),
        one("commune", &m.commune),
        one("district", &m.district),
        one("phone", &m.phone),
        one("zalo", &m.zalo),
        one("booking_url", &m.booking_url),
        one("check_in", &m.check_in),
        one("check_out", &m.check_out),
    ];
    let tags = m.tags.iter().map(|t| ("tags", t.as_str()));
    let links = (m.links.iter()).flat_map(|l| [Some(l.url()), l.label()].into_iter().flatten());
    let lists = (links.map(|t| ("links", t)))
        .chain(m.closed.iter().map(|t| ("closed", t.as_str())))
        .chain(m.specialties.iter().flat_map(|p| {
            [Some(p.name.as_str()), p.url.as_deref()]
                .into_iter()
                .flatten()
                .map(|t| ("specialties", t))
        }));
    match out_of_bounds(
        texts.into_iter().flatten().chain(tags).chain(lists),
        s,
        file,
        text,
    ) {
        Some(d) => Err(d),
        None => Ok(m),
    }
}

/// The first text of `texts` (field, value) that the field table's bounds refuse, as an error at
/// its field's line: a title is one line of 200 characters at most, whoever wrote it.
fn out_of_bounds<'a>(
    texts: impl Iterator<Item = (&'static str, &'a str)>,
    s: &Split,
    file: &Path,
    text: &str,
) -> Option<Diagnostic> {
    for (name, value) in texts {
        let Some(field) = super::fields::get(name) else {
            continue;
        };
        if let Err(why) = field.check_text(value) {
            let (en, vi) = why.message(field);
            let fix = match why {
                super::fields::Bound::NewLine => {
                    format!("write `{name}` on one line, without line breaks")
                }
                super::fields::Bound::Invisible => {
                    format!("type `{name}` again, without the invisible direction mark")
                }
                super::fields::Bound::TooLong { max, .. } => {
                    format!(
                        "`{name}` may have {max} characters at most; put longer text in the body"
                    )
                }
            };
            return Some(
                Diagnostic::error(file, en)
                    .at(yaml::key_line(s.yaml, s.yaml_line, name), None)
                    .hint(fix)
                    .vi(vi)
                    .with_source(text),
            );
        }
    }
    None
}

/// Parse a translation's front matter; a field that belongs to the default-language file is named as such.
pub fn parse_translation(
    s: &Split,
    file: &Path,
    text: &str,
) -> Result<TranslationMatter, Diagnostic> {
    let m: TranslationMatter = yaml::parse(s.yaml, file, text, s.yaml_line, TRANSLATION_FIELDS).map_err(|mut d| {
        let moved = FIELDS
            .iter()
            .find(|f| d.message == format!("unknown field `{f}`"));
        if let Some(field) = moved {
            d.message = format!("`{field}` does not belong in a translation");
            d.hint = Some(format!(
                "a translation holds only {}; `{field}` is read from the default-language file (index.md), so remove it here",
                TRANSLATION_FIELDS.join(", ")
            ));
        }
        d
    })?;
    let texts = [
        Some(("title", m.title.as_str())),
        m.summary.as_deref().map(|v| ("summary", v)),
        m.address.as_deref().map(|v| ("address", v)),
    ];
    match out_of_bounds(texts.into_iter().flatten(), s, file, text) {
        Some(d) => Err(d),
        None => Ok(m),
    }
}

pub fn parse_intro(s: &Split, file: &Path, text: &str) -> Result<IntroMatter, Diagnostic> {
    yaml::parse(s.yaml, file, text, s.yaml_line, INTRO_FIELDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<FrontMatter, Diagnostic> {
        let f = Path::new("content/relics/a.md");
        let s = split(text, f)?;
        parse_entry(&s, f, text)
    }

    #[test]
    fn splits_and_counts_lines() {
        let t = "---\ntitle: A\n---\n\nBody\n";
        let s = split(t, Path::new("x.md")).unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn unclosed_and_missing_front_matter() {
        assert!(split("---\ntitle: A\n", Path::new("x.md"))
            .unwrap_err()
            .message
            .contains("not closed"));
        assert!(split("title: A\n", Path::new("x.md"))
            .unwrap_err()
            .message
            .contains("does not start"));
        assert!(split("", Path::new("x.md"))
            .unwrap_err()
            .message
            .contains("empty"));
    }

    #[test]
    fn unknown_field_gets_line_and_suggestion() {
        let d = p("---\ntitle: A\ndistrct: Văn Lãng\n---\n").unwrap_err();
        assert_eq!(d.message, "unknown field `distrct`");
        assert_eq!(d.line, Some(3));
        assert!(d.hint.unwrap().contains("did you mean `district`"));
    }

    #[test]
    fn wrong_type_points_at_line() {
        let d = p("---\ntitle: A\nlocation:\n  lat: \"hai mươi\"\n  lon: 106\n---\n").unwrap_err();
        assert_eq!(d.line, Some(4), "{d}");
        assert!(d.message.contains("invalid type"), "{d}");
    }

    #[test]
    fn missing_title() {
        let d = p("---\nsummary: x\n---\n").unwrap_err();
        assert!(d.message.contains("missing field `title`"), "{d}");
    }

    #[test]
    fn duplicate_key_is_an_error() {
        let d = p("---\ntitle: A\ntitle: B\n---\n").unwrap_err();
        assert!(d.message.contains("set twice"), "{d}");
        assert_eq!(d.line, Some(3), "{d}");
    }

    #[test]
    fn translation_rejects_location() {
        let f = Path::new("content/relics/a/index.en.md");
        let t = "---\ntitle: A\nlocation: {lat: 1, lon: 2}\n---\n";
        let d = parse_translation(&split(t, f).unwrap(), f, t).unwrap_err();
        assert!(
            d.message.contains("does not belong in a translation"),
            "{d}"
        );
    }

    #[test]
    fn a_title_is_one_short_line_in_entries_and_translations() {
        let d = p("---\ntitle: |\n  Dòng một\n  Dòng hai\nsummary: x\n---\n").unwrap_err();
        assert!(d.message.contains("one line"), "{d}");
        assert_eq!(d.line, Some(2), "{d}");
        assert!(d.vi.unwrap().contains("một dòng"));
        let long = format!(
            "---\ndistrict: Cao Lộc\ntitle: {}\n---\n",
            "Đền ".repeat(60)
        );
        let d = p(&long).unwrap_err();
        assert!(d.message.contains("more than 200"), "{d}");
        assert_eq!(d.line, Some(3), "{d}");
        let f = Path::new("content/relics/a/index.en.md");
        let t = format!("---\ntitle: A\nsummary: {}\n---\n", "word ".repeat(120));
        let d = parse_translation(&split(&t, f).unwrap(), f, &t).unwrap_err();
        assert!(d.message.contains("more than 500"), "{d}");
        assert!(p("---\ntitle: Đền Kỳ Cùng\ntags: [đền, sông]\n---\n").is_ok());
    }

    #[test]
    fn images_take_both_forms() {
        let fm = p("---\ntitle: A\nimages: [a.jpg, {src: b.jpg, alt: Cổng}]\n---\n").unwrap();
        assert_eq!(fm.images[0].src(), "a.jpg");
        assert_eq!(fm.images[1].alt(), Some("Cổng"));
    }
}
