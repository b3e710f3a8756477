//! The editor's pages: plain HTML forms that work on a cheap phone with any input method (no
//! rich-text widget), in Vietnamese or English after the browser's language, with a few lines
//! of script for what only a script can do (the phone's location, moving photos). Tera
//! templates compiled into the binary (`templates/`), the editor's words one file a language
//! (`i18n/`); this file only gathers what each page shows.

use crate::content::fields::{self, Field, Input};
use crate::edit::field_msg::FieldMsg;
use crate::edit::form as edit_form;
use crate::edit::upload::{MAX_FILE, MAX_REQUEST};
use crate::edit::Opened;
use crate::error::Diagnostic;
use serde::Serialize;
use serde_yaml_ng::{Mapping, Value};
use std::collections::BTreeMap;
use std::sync::LazyLock;
use tera::{Context, Tera};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    /// From an Accept-Language header: Vietnamese when the browser prefers it over English.
    pub fn from_header(accept: Option<&str>) -> Lang {
        // The browser's languages by q-value (`en;q=0.9, vi;q=0.8` prefers English); the first
        // whose primary tag is one the editor speaks (`vi-VN` is Vietnamese).
        let preferred = accept_language::parse(accept.unwrap_or(""));
        let primary = |tag: &String| tag.split('-').next().unwrap_or("").to_ascii_lowercase();
        match preferred
            .iter()
            .map(primary)
            .find(|p| p == "vi" || p == "en")
        {
            Some(p) if p == "en" => Lang::En,
            _ => Lang::Vi,
        }
    }

    /// Of a message the backend wrote in both languages (a field's problem, a label of the
    /// field table), the one for this reader.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    fn code(self) -> &'static str {
        self.pick("vi", "en")
    }

    /// One of the editor's own words (`i18n/<lang>.yaml`).
    pub fn word(self, key: &str) -> &'static str {
        let words = &WORDS[self as usize];
        words.get(key).map(String::as_str).unwrap_or_else(|| {
            debug_assert!(false, "no editor word `{key}`");
            ""
        })
    }
}

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("style.css", include_str!("templates/style.css")),
    ("form.js", include_str!("templates/form.js")),
    ("macros.html", include_str!("templates/macros.html")),
    ("message.html", include_str!("templates/message.html")),
    ("list.html", include_str!("templates/list.html")),
    ("entry.html", include_str!("templates/entry.html")),
    ("raw.html", include_str!("templates/raw.html")),
    ("conflict.html", include_str!("templates/conflict.html")),
    ("pair.html", include_str!("templates/pair.html")),
    (
        "pairing_link.html",
        include_str!("templates/pairing_link.html"),
    ),
    ("owners.html", include_str!("templates/owners.html")),
    ("devices.html", include_str!("templates/devices.html")),
    ("delete.html", include_str!("templates/delete.html")),
    ("deleted.html", include_str!("templates/deleted.html")),
    ("activity.html", include_str!("templates/activity.html")),
    ("change.html", include_str!("templates/change.html")),
    ("waiting.html", include_str!("templates/waiting.html")),
    (
        "waiting_one.html",
        include_str!("templates/waiting_one.html"),
    ),
];

/// The templates are part of the binary and tested: a failure to parse is a bug, caught by the
/// first test that draws a page.
static TERA: LazyLock<Tera> = LazyLock::new(|| {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(crate::theme::escape_html);
    if let Err(e) = tera.add_raw_templates(TEMPLATES.iter().copied()) {
        panic!("the editor's templates: {e:?}");
    }
    tera
});

/// The words by language, in `Lang`'s order.
static WORDS: LazyLock<[BTreeMap<String, String>; 2]> = LazyLock::new(|| {
    let read = |text: &str, file: &str| {
        serde_yaml_ng::from_str(text)
            .unwrap_or_else(|e| panic!("the editor's words in {file}: {e}"))
    };
    [
        read(include_str!("i18n/vi.yaml"), "vi.yaml"),
        read(include_str!("i18n/en.yaml"), "en.yaml"),
    ]
});

/// Draws `template` for `lang` with `cx`, the words (`t`) and the language (`lang`) added.
fn draw(lang: Lang, template: &str, mut cx: Context) -> String {
    cx.insert("lang", lang.code());
    cx.insert("t", &WORDS[lang as usize]);
    TERA.render(template, &cx).unwrap_or_else(|e| {
        // Only a bug gets here (every page is drawn by the tests): say so, plainly.
        let mut why = format!("{e}");
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            why.push_str(&format!(": {s}"));
            source = s.source();
        }
        eprintln!("editor: page {template} not drawn: {why}");
        format!(
            "<!doctype html><title>Waymark</title><p>{}</p>",
            crate::theme::escape_html(&why)
        )
    })
}

fn titled(title: &str) -> Context {
    let mut cx = Context::new();
    cx.insert("title", title);
    cx
}

/// A short page that says one thing (refusals, "not created").
pub fn message(lang: Lang, title: &str, text: &str) -> String {
    let mut cx = titled(title);
    cx.insert("text", text);
    draw(lang, "message.html", cx)
}

/// One line of the entry list.
#[derive(Serialize)]
pub struct Listed<'a> {
    pub id: &'a str,
    pub title: String,
    /// Its plaque codes in plaques.lock, so a code read off a plaque finds it.
    pub codes: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    /// A change to it waits for an admin's approval.
    pub waiting: bool,
    /// This person's change to it was sent back, with a note.
    pub returned: bool,
}

/// A file that is no entry's with an error, named on the list when the preview is broken.
#[derive(Serialize)]
pub struct FileProblem {
    pub file: String,
    pub text: String,
}

/// The list of entries matching `query` (by name, id or plaque code, accents ignored);
/// `site_problem` when the preview is broken, with the errors in files that are no entry's.
pub fn list(
    lang: Lang,
    entries: &[Listed],
    query: &str,
    csrf: &str,
    admin: bool,
    waiting: usize,
    site_problem: Option<&[FileProblem]>,
) -> String {
    let q = crate::slug::fold(query);
    let shown: Vec<&Listed> = entries
        .iter()
        .filter(|e| {
            q.is_empty()
                || crate::slug::fold(&e.title).contains(&q)
                || e.id.contains(&q)
                || e.codes.iter().any(|c| crate::slug::fold(c).contains(&q))
        })
        .collect();
    let mut cx = titled(lang.word("places"));
    cx.insert("entries", &shown);
    cx.insert("query", query);
    cx.insert("csrf", csrf);
    cx.insert("admin", &admin);
    cx.insert("waiting", &waiting);
    cx.insert("broken", &site_problem.is_some());
    cx.insert("site_problem", &site_problem.unwrap_or_default());
    cx.insert(
        "title_max",
        &fields::get("title").map_or(0, |f| f.max_chars),
    );
    draw(lang, "list.html", cx)
}

pub struct FormView<'a> {
    pub lang: Lang,
    pub opened: &'a Opened,
    pub csrf: &'a str,
    /// Problems of the last save, at their fields.
    pub msgs: &'a [FieldMsg],
    /// The build's problems with this entry's files.
    pub problems: &'a [Diagnostic],
    /// Just saved: say so, with a link to the preview.
    pub saved: bool,
    /// With `--publish`, whether the save is live: `yes`, `no` or `soon`.
    pub live: Option<&'a str>,
    /// The live page's address.
    pub live_url: String,
    /// The page's visits in the last `waymark stats` report.
    pub visits: Option<crate::stats::visits::PageVisits>,
    /// An owner may edit everything of the entry but its code.
    pub owner: bool,
    /// An admin also makes owner links and deletes.
    pub admin: bool,
    /// The districts, communes and tags the site uses, offered as suggestions.
    pub suggestions: &'a [(&'static str, Vec<String>)],
    /// What review mode says on the form.
    pub review: ReviewNotes,
}

/// What the form says of changes kept for approval (review mode).
#[derive(Serialize, Default)]
pub struct ReviewNotes {
    /// Just saved, and kept for an admin's approval.
    pub just_kept: bool,
    /// This phone's change waits: the form shows it.
    pub mine_waiting: bool,
    /// This phone's change was sent back: (by whom, their note); the form shows it.
    pub returned: Option<(String, String)>,
    /// The new photos and audio of this phone's kept change, by their names on the phone.
    pub kept_files: Vec<String>,
    /// Others whose changes to the entry wait.
    pub others: Vec<String>,
    /// This person's saves wait for an admin (review mode, not an admin).
    pub reviewed: bool,
}

/// A message shown on the form: its class (`err`, `warn`) and text.
#[derive(Serialize)]
struct Shown {
    class: &'static str,
    text: String,
}

impl Shown {
    fn of(lang: Lang, m: &FieldMsg) -> Shown {
        Shown {
            class: if m.warning { "warn" } else { "err" },
            text: lang.pick(&m.vi, &m.en).to_string(),
        }
    }
}

/// What the template needs to draw one field; which parts it reads depends on `input`.
#[derive(Serialize, Default)]
struct FieldView {
    input: &'static str,
    name: String,
    label: String,
    help: String,
    value: String,
    /// The phone stops typing at the field's limit (0: none); the save checks it again.
    max: usize,
    msgs: Vec<Shown>,
    /// A `<datalist>` of values the site already uses.
    list: Option<String>,
    html_type: &'static str,
    inputmode: &'static str,
    /// The code is pinned, or the reader an owner: shown, not editable.
    fixed: bool,
    checked: bool,
    options: Vec<Choice>,
    links: Vec<LinkRow>,
    specialties: Vec<SpecialtyRow>,
    /// The largest count a build takes (`content::guest`).
    max_count: u32,
    lat: String,
    lon: String,
    gps: Vec<Gps>,
    parts: Vec<Part>,
    photos: Vec<Photo>,
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
    selected: bool,
}

/// A row of `links`: an address and its label.
#[derive(Serialize)]
struct LinkRow {
    i: usize,
    url: String,
    label: String,
}

/// A row of `specialties`.
#[derive(Serialize)]
struct SpecialtyRow {
    i: usize,
    name: String,
    price: String,
    photo: String,
    url: String,
}

/// The default theme's words by language, in `Lang`'s order (amenities, languages spoken).
static THEME_WORDS: LazyLock<[BTreeMap<String, String>; 2]> = LazyLock::new(|| {
    [
        crate::theme::default_words("vi"),
        crate::theme::default_words("en"),
    ]
});

impl Lang {
    /// A word visitors read, from the default theme (`amenity_wifi`), or `key` itself.
    fn theme_word(self, key: &str) -> String {
        THEME_WORDS[self as usize]
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }
}

#[derive(Serialize)]
struct Gps {
    src: String,
    lat: f64,
    lon: f64,
}

#[derive(Serialize)]
struct Part {
    id: String,
    /// A word's key.
    label: &'static str,
    value: String,
    numeric: bool,
}

#[derive(Serialize)]
struct Photo {
    i: usize,
    src: String,
    alt: String,
    caption: String,
    thumb: String,
}

#[derive(Serialize)]
struct Translation {
    lang: String,
    name: String,
    version: String,
    msgs: Vec<String>,
    title: String,
    address: String,
    summary: String,
    images: Vec<Photo>,
    draft: bool,
    body: String,
}

#[derive(Serialize)]
struct Suggestion<'a> {
    id: &'a str,
    values: &'a [String],
}

pub fn entry_form(form: &FormView) -> String {
    let lang = form.lang;
    let opened = form.opened;
    let title = str_of(&opened.fields, "title");
    let shown_title = if title.is_empty() { &opened.id } else { &title };
    if let Some(raw) = &opened.raw {
        let mut cx = titled(shown_title);
        cx.insert("id", &opened.id);
        cx.insert(
            "msgs",
            &form
                .msgs
                .iter()
                .map(|m| lang.pick(&m.vi, &m.en))
                .collect::<Vec<_>>(),
        );
        cx.insert(
            "problems",
            &form
                .problems
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>(),
        );
        cx.insert("csrf", form.csrf);
        cx.insert("version", &opened.version);
        cx.insert("raw", raw);
        return draw(lang, "raw.html", cx);
    }
    let general: Vec<Shown> = form
        .msgs
        .iter()
        .filter(|m| m.field.is_empty() || m.field == "photos" || m.field == "audio")
        .map(|m| Shown::of(lang, m))
        .collect();
    let problems: Vec<Shown> = form
        .problems
        .iter()
        .map(|d| Shown {
            class: if d.is_error() { "err" } else { "warn" },
            text: match lang {
                Lang::Vi => d.vi.clone().unwrap_or_else(|| d.message.clone()),
                Lang::En => d.message.clone(),
            },
        })
        .collect();
    let suggestions: Vec<Suggestion> = form
        .suggestions
        .iter()
        .map(|(id, values)| Suggestion { id, values })
        .collect();
    let mut cx = titled(&title);
    cx.insert("heading", shown_title);
    cx.insert("id", &opened.id);
    cx.insert("saved", &form.saved);
    cx.insert("review", &form.review);
    cx.insert("live", &form.live.unwrap_or(""));
    cx.insert("live_url", &form.live_url);
    cx.insert(
        "visits",
        &form.visits.as_ref().map(|v| {
            lang.word("visits_line")
                .replace("{recent}", &v.recent.to_string())
                .replace("{total}", &v.total.to_string())
                .replace("{until}", &v.until)
        }),
    );
    // "Fix what is marked in red" only when a box is marked: a full disk is no one's box.
    let at_a_box = |m: &&FieldMsg| !m.warning && !m.field.is_empty();
    cx.insert("not_saved", &form.msgs.iter().any(|m| at_a_box(&m)));
    cx.insert("general", &general);
    cx.insert("problems", &problems);
    cx.insert("preview", &format!("/{}/", opened.id));
    cx.insert("csrf", form.csrf);
    cx.insert("version", &opened.version);
    cx.insert(
        "fields",
        &fields::for_kind(opened.kind)
            .map(|field| field_view(form, field))
            .collect::<Vec<_>>(),
    );
    cx.insert("body_msgs", &msgs_at(form, "f.body"));
    cx.insert("body", &opened.body);
    cx.insert("translations", &translations(form));
    cx.insert("suggestions", &suggestions);
    cx.insert("owner", &form.owner);
    cx.insert("admin", &form.admin);
    cx.insert("label_max", &super::auth::LABEL_MAX);
    cx.insert("max_file", &MAX_FILE);
    cx.insert("max_request", &MAX_REQUEST);
    let mb = |key: &str, n: usize| lang.word(key).replace("{mb}", &(n >> 20).to_string());
    cx.insert("too_big", &mb("too_big_file", MAX_FILE));
    cx.insert("too_much", &mb("too_much", MAX_REQUEST));
    draw(lang, "entry.html", cx)
}

fn str_of(m: &Mapping, key: &str) -> String {
    match m.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn sub_of(m: &Mapping, key: &str, sub: &str) -> String {
    m.get(key)
        .and_then(|value| value.get(sub))
        .map(|value| match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        })
        .unwrap_or_default()
}

/// The save's messages for `field` and its parts (`f.location.lat`).
fn msgs_at(form: &FormView, field: &str) -> Vec<Shown> {
    let part = format!("{field}.");
    form.msgs
        .iter()
        .filter(|m| m.field == field || m.field.starts_with(&part))
        .map(|m| Shown::of(form.lang, m))
        .collect()
}

fn field_view(form: &FormView, field: &Field) -> FieldView {
    let lang = form.lang;
    let opened = form.opened;
    let name = format!("f.{}", field.name);
    let (help_vi, help_en) = field.help_for(opened.kind);
    let mut view = FieldView {
        msgs: msgs_at(form, &name),
        label: lang.pick(field.vi, field.en).to_string(),
        help: lang.pick(help_vi, help_en).to_string(),
        value: str_of(&opened.fields, field.name),
        max: field.max_chars,
        name,
        ..FieldView::default()
    };
    view.input = match field.input {
        Input::Text => {
            if ["district", "commune"].contains(&field.name) {
                view.list = Some(format!("{}-list", field.name));
            }
            "text"
        }
        Input::LongText => "longtext",
        Input::Code => {
            view.fixed = opened.code_fixed || form.owner;
            "code"
        }
        Input::Tel | Input::Url | Input::Date | Input::Year | Input::Money => {
            (view.html_type, view.inputmode) = match field.input {
                Input::Tel => ("tel", "tel"),
                Input::Url => ("url", ""),
                Input::Date => ("date", ""),
                Input::Year => ("number", "numeric"),
                _ => ("text", "numeric"),
            };
            "typed"
        }
        Input::Bool => {
            view.checked = matches!(opened.fields.get(field.name), Some(Value::Bool(true)));
            "bool"
        }
        Input::Ranking | Input::PlaqueSize => {
            let options: &[(&'static str, &'static str)] = if field.input == Input::Ranking {
                &[
                    ("", "ranking_none"),
                    ("special-national", "ranking_special_national"),
                    ("national", "ranking_national"),
                    ("provincial", "ranking_provincial"),
                ]
            } else {
                &[
                    ("", "size_default"),
                    ("a6", "size_a6"),
                    ("sticker", "size_sticker"),
                    ("a4", "size_a4"),
                ]
            };
            view.options = options
                .iter()
                .map(|&(value, key)| Choice {
                    value,
                    label: lang.word(key).to_string(),
                    selected: value == view.value,
                })
                .collect();
            "select"
        }
        Input::Tags => {
            view.value = match opened.fields.get("tags") {
                Some(Value::Sequence(s)) => s
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => String::new(),
            };
            "tags"
        }
        Input::Location => {
            view.lat = sub_of(&opened.fields, "location", "lat");
            view.lon = sub_of(&opened.fields, "location", "lon");
            view.gps = opened
                .gps
                .iter()
                .map(|(src, lat, lon)| Gps {
                    src: src.clone(),
                    lat: *lat,
                    lon: *lon,
                })
                .collect();
            "location"
        }
        Input::Wifi | Input::Bank => {
            let parts: &[(&str, &'static str)] = if field.input == Input::Wifi {
                &[("ssid", "wifi_ssid"), ("password", "wifi_password")]
            } else {
                &[
                    ("bin", "bank_bin"),
                    ("account", "bank_account"),
                    ("name", "bank_name"),
                ]
            };
            view.parts = parts
                .iter()
                .map(|&(key, label)| Part {
                    id: format!("{}.{key}", view.name),
                    label,
                    value: sub_of(&opened.fields, field.name, key),
                    numeric: key == "bin" || key == "account",
                })
                .collect();
            "parts"
        }
        Input::Images => {
            view.msgs = msgs_at(form, "photos");
            view.photos = photos(opened);
            "images"
        }
        Input::Audio => {
            view.msgs = msgs_at(form, "audio");
            "audio"
        }
        Input::Links => {
            view.links = links(opened.fields.get(field.name));
            "links"
        }
        Input::Specialties => {
            view.specialties = specialties(opened.fields.get(field.name));
            "specialties"
        }
        Input::Amenities | Input::Spoken => {
            let (keys, prefix) = if field.input == Input::Amenities {
                (crate::vocab::AMENITIES, "amenity_")
            } else {
                (crate::vocab::SPOKEN, "speaks_")
            };
            let have = listed(opened.fields.get(field.name));
            view.options = keys
                .iter()
                .map(|&value| Choice {
                    value,
                    label: lang.theme_word(&format!("{prefix}{value}")),
                    selected: have.iter().any(|h| h == value),
                })
                .collect();
            "checks"
        }
        Input::Count => {
            view.max_count = crate::content::guest::most(field.name);
            "count"
        }
        Input::Time => {
            (view.html_type, view.inputmode) = ("time", "");
            "typed"
        }
        Input::PricePer => {
            view.options = std::iter::once(("", lang.word("ranking_none").to_string()))
                .chain(
                    crate::vocab::PRICE_PER
                        .iter()
                        .map(|&p| (p, lang.theme_word(&format!("per_{p}")))),
                )
                .map(|(value, label)| Choice {
                    value,
                    selected: value == view.value,
                    label,
                })
                .collect();
            "select"
        }
        Input::Closed => {
            view.value = listed(opened.fields.get(field.name)).join("\n");
            "lines"
        }
    };
    view
}

/// The texts of a list field.
fn listed(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// The rows of `links` as the file has them, and two empty rows for more.
fn links(value: Option<&Value>) -> Vec<LinkRow> {
    let items = match value {
        Some(Value::Sequence(items)) => items.as_slice(),
        _ => &[],
    };
    let mut rows: Vec<LinkRow> = items
        .iter()
        .map(|item| match item {
            Value::Mapping(m) => (str_of(m, "url"), str_of(m, "label")),
            other => (
                other.as_str().unwrap_or_default().to_string(),
                String::new(),
            ),
        })
        .enumerate()
        .map(|(i, (url, label))| LinkRow { i, url, label })
        .collect();
    for _ in 0..2 {
        let i = rows.len();
        rows.push(LinkRow {
            i,
            url: String::new(),
            label: String::new(),
        });
    }
    rows
}

/// The rows of `specialties` as the file has them, and an empty row for one more.
fn specialties(value: Option<&Value>) -> Vec<SpecialtyRow> {
    let items = match value {
        Some(Value::Sequence(items)) => items.as_slice(),
        _ => &[],
    };
    let empty = Mapping::new();
    items
        .iter()
        .map(|item| item.as_mapping().unwrap_or(&empty))
        .chain(std::iter::once(&empty))
        .enumerate()
        .map(|(i, m)| SpecialtyRow {
            i,
            name: str_of(m, "name"),
            price: str_of(m, "price"),
            photo: str_of(m, "photo"),
            url: str_of(m, "url"),
        })
        .collect()
}

fn photos(opened: &Opened) -> Vec<Photo> {
    let Some(Value::Sequence(items)) = opened.fields.get("images") else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let (src, alt, caption) = match item {
                Value::String(s) => (s.clone(), String::new(), String::new()),
                Value::Mapping(m) => (str_of(m, "src"), str_of(m, "alt"), str_of(m, "caption")),
                _ => return None,
            };
            Some(Photo {
                i,
                thumb: format!("/_edit/file/{}/{i}", opened.id),
                src,
                alt,
                caption,
            })
        })
        .collect()
}

/// A part of the form for each of the site's other languages.
fn translations(form: &FormView) -> Vec<Translation> {
    let opened = form.opened;
    let sources: Vec<String> = edit_form::listed_sources(&opened.fields);
    opened
        .languages
        .iter()
        .filter(|l| **l != opened.default_language)
        .map(|l| {
            let (version, fields, body) = opened
                .translations
                .get(l)
                .cloned()
                .unwrap_or_else(|| (String::new(), Mapping::new(), String::new()));
            let prefix = format!("t.{l}");
            Translation {
                lang: l.clone(),
                name: language_name(l),
                msgs: form
                    .msgs
                    .iter()
                    .filter(|m| m.field.starts_with(&prefix))
                    .map(|m| form.lang.pick(&m.vi, &m.en).to_string())
                    .collect(),
                title: str_of(&fields, "title"),
                address: str_of(&fields, "address"),
                summary: str_of(&fields, "summary"),
                images: sources
                    .iter()
                    .enumerate()
                    .map(|(i, src)| {
                        let (alt, caption) = translated_image(&fields, src);
                        Photo {
                            i,
                            src: src.clone(),
                            alt,
                            caption,
                            thumb: String::new(),
                        }
                    })
                    .collect(),
                draft: matches!(fields.get("draft"), Some(Value::Bool(true))),
                version,
                body,
            }
        })
        .collect()
}

fn translated_image(fields: &Mapping, src: &str) -> (String, String) {
    if let Some(Value::Sequence(items)) = fields.get("images") {
        for item in items {
            if let Value::Mapping(m) = item {
                if str_of(m, "src") == src {
                    return (str_of(m, "alt"), str_of(m, "caption"));
                }
            }
        }
    }
    (String::new(), String::new())
}

/// A language's own name, for the heading of its part of the form.
fn language_name(code: &str) -> String {
    match code {
        "vi" => "Tiếng Việt".into(),
        "en" => "English".into(),
        "zh" => "中文".into(),
        "fr" => "Français".into(),
        "ko" => "한국어".into(),
        "ja" => "日本語".into(),
        other => other.to_string(),
    }
}

/// The page shown when a save found the file changed: both versions, nothing lost.
pub fn conflict(lang: Lang, id: &str, file: &str, on_disk: &str, yours: &str) -> String {
    let mut cx = titled(lang.word("file_changed"));
    cx.insert("id", id);
    cx.insert("file", file);
    cx.insert("on_disk", on_disk);
    cx.insert("yours", yours);
    draw(lang, "conflict.html", cx)
}

/// The page a pairing link opens: a name for this device, and one button.
pub fn pair(lang: Lang, token: &str) -> String {
    let mut cx = titled(lang.word("pair_title"));
    cx.insert("token", token);
    cx.insert("label_max", &super::auth::LABEL_MAX);
    draw(lang, "pair.html", cx)
}

/// A new pairing link, as text and as a QR code (`qr_svg`, made by `qrcode`).
pub fn pairing_link(lang: Lang, link: &str, qr_svg: &str) -> String {
    let mut cx = titled(lang.word("pair_another"));
    cx.insert("link", link);
    cx.insert("qr_svg", qr_svg);
    draw(lang, "pairing_link.html", cx)
}

#[derive(Serialize)]
struct NewLink<'a> {
    entry: &'a str,
    link: &'a str,
}

/// The owner links, and the one just made (`(entry, link)`), shown this once.
pub fn owners(
    lang: Lang,
    links: &[super::auth::OwnerLink],
    csrf: &str,
    new_link: Option<(&str, &str)>,
) -> String {
    let mut cx = titled(lang.word("owner_links"));
    cx.insert("links", links);
    cx.insert("csrf", csrf);
    cx.insert(
        "new_link",
        &new_link.map(|(entry, link)| NewLink { entry, link }),
    );
    draw(lang, "owners.html", cx)
}

/// How long ago, in words.
fn ago(lang: Lang, secs: u64) -> String {
    let (key, n) = match secs {
        0..=59 => ("ago_now", 0),
        60..=3599 => ("ago_min", secs / 60),
        3600..=172_799 => ("ago_hours", secs / 3600),
        _ => ("ago_days", secs / 86_400),
    };
    lang.word(key).replace("{n}", &n.to_string())
}

#[derive(Serialize)]
struct Device<'a> {
    id: &'a str,
    label: &'a str,
    me: bool,
    last_used: String,
    paired: String,
}

/// The paired phones, each with its name and last use, and a button that unpairs it.
pub fn devices(lang: Lang, devices: &[super::auth::Session], me: &str, csrf: &str) -> String {
    let now = super::auth::now();
    let shown: Vec<Device> = devices
        .iter()
        .map(|d| Device {
            id: &d.id,
            label: &d.label,
            me: d.id == me,
            last_used: ago(lang, now.saturating_sub(d.last_used)),
            paired: ago(lang, now.saturating_sub(d.paired)),
        })
        .collect();
    let mut cx = titled(lang.word("paired_phones"));
    cx.insert("devices", &shown);
    cx.insert("csrf", csrf);
    draw(lang, "devices.html", cx)
}

#[derive(Serialize)]
struct ChangeRow {
    when: String,
    ago: String,
    who: String,
    what: String,
    entry: String,
    /// The entry still has a form to open.
    open: bool,
    commit: Option<String>,
}

/// The last changes made through the editor, newest first; `live(id)` tells whether an entry is
/// there to open.
pub fn activity(
    lang: Lang,
    changes: &[crate::edit::activity::Change],
    sync: Option<&crate::edit::sync::Status>,
    live: impl Fn(&str) -> bool,
) -> String {
    let now = super::auth::now();
    let rows: Vec<ChangeRow> = changes
        .iter()
        .map(|c| ChangeRow {
            when: crate::days::day_of(c.at as i64),
            ago: ago(lang, now.saturating_sub(c.at)),
            who: c.who.clone(),
            what: c.what.clone(),
            entry: c.entry().to_string(),
            open: live(c.entry()),
            commit: c.commit.clone(),
        })
        .collect();
    let mut cx = titled(lang.word("activity"));
    cx.insert("changes", &rows);
    if let Some(status) = sync {
        cx.insert("sync", &SyncView::of(lang, status, now));
    }
    draw(lang, "activity.html", cx)
}

/// The exchange with the Git remote (`--push`), in words.
#[derive(Serialize)]
struct SyncView {
    title: String,
    state: String,
    /// What keeps the two apart, said plainly; git's words and the files follow it.
    problem: Option<String>,
    why: String,
    files: Vec<String>,
    /// How an admin joins a conflict.
    fix: Option<String>,
}

impl SyncView {
    fn of(lang: Lang, s: &crate::edit::sync::Status, now: u64) -> SyncView {
        use crate::edit::sync::Trouble;
        let fill = |key: &str, at: u64| {
            lang.word(key)
                .replace("{remote}", &s.remote)
                .replace("{ago}", &ago(lang, now.saturating_sub(at)))
        };
        let mut state = match s.waiting {
            Some(0) => fill("sync_all_sent", now),
            Some(n) => fill("sync_waiting", now).replace("{n}", &n.to_string()),
            None => fill("sync_unknown", now),
        };
        if let Some(at) = s.reached {
            state = format!("{state} {}", fill("sync_reached", at));
        }
        let problem = s.problem.as_ref();
        SyncView {
            title: fill("sync_title", now),
            state,
            problem: problem.map(|p| match p.kind {
                Trouble::Unreachable => fill("sync_unreachable", p.since),
                Trouble::Conflict => fill("sync_conflict", p.since),
                Trouble::Blocked => fill("sync_blocked", p.since),
            }),
            // A conflict's own words are counts in English, which the plain line says already.
            why: problem
                .filter(|p| p.kind != Trouble::Conflict)
                .map(|p| p.why.clone())
                .unwrap_or_default(),
            files: problem.map(|p| p.files.clone()).unwrap_or_default(),
            fix: problem
                .filter(|p| p.kind == Trouble::Conflict)
                .map(|p| fill("sync_conflict_fix", p.since)),
        }
    }
}

/// One commit as Git shows it (`git show --stat --patch`).
pub fn change(lang: Lang, commit: &str, shown: &str) -> String {
    let mut cx = titled(lang.word("activity"));
    cx.insert("commit", commit);
    cx.insert("shown", shown);
    draw(lang, "change.html", cx)
}

/// A change just approved or sent back, said on the waiting list.
pub struct Done {
    pub id: String,
    pub approved: bool,
    /// With `--publish`, after an approval: `yes`, `no` or `soon`.
    pub live: String,
}

#[derive(Serialize)]
struct WaitingRow {
    key: String,
    id: String,
    title: String,
    who: String,
    owner: bool,
    when: String,
    ago: String,
    fields: usize,
}

/// The changes waiting for approval, oldest first.
pub fn waiting(
    lang: Lang,
    waiting: &[crate::edit::waiting::Pending],
    done: Option<&Done>,
    base_url: &str,
) -> String {
    let now = super::auth::now();
    let rows: Vec<WaitingRow> = waiting
        .iter()
        .map(|p| WaitingRow {
            key: p.key.clone(),
            id: p.id.clone(),
            title: crate::edit::waiting::title_of(p),
            who: p.author.clone(),
            owner: p.owner,
            when: crate::days::day_of(p.at as i64),
            ago: ago(lang, now.saturating_sub(p.at)),
            fields: p.changes("").len() + p.uploads.len(),
        })
        .collect();
    let mut cx = titled(lang.word("waiting_list"));
    cx.insert("rows", &rows);
    if let Some(d) = done {
        cx.insert("done_id", &d.id);
        cx.insert("done_approved", &d.approved);
        cx.insert("done_live", &d.live);
        cx.insert("done_url", &format!("{base_url}/{}/", d.id));
    }
    draw(lang, "waiting.html", cx)
}

#[derive(Serialize)]
struct ChangeView {
    field: String,
    label: String,
    before: String,
    after: String,
    /// The text's lines, marked: (class, mark, line).
    lines: Vec<(&'static str, char, String)>,
    msgs: Vec<Shown>,
}

/// One waiting change: who and when, each field before and after (the text as marked lines),
/// its new photos, a link to its preview, and the buttons to approve or send it back.
pub fn waiting_one(
    lang: Lang,
    p: &crate::edit::waiting::Pending,
    changes: &[crate::edit::waiting::FieldChange],
    msgs: &[FieldMsg],
    csrf: &str,
) -> String {
    let now = super::auth::now();
    let shown: Vec<ChangeView> = changes
        .iter()
        .map(|c| {
            let label = match fields::get(&c.name) {
                Some(f) => lang.pick(f.vi, f.en).to_string(),
                None if c.name == "body" => lang.word("text").to_string(),
                None => c.name.clone(),
            };
            ChangeView {
                field: c.field.clone(),
                label: match &c.lang {
                    Some(l) => format!("{label} ({l})"),
                    None => label,
                },
                before: c.before.clone(),
                after: c.after.clone(),
                lines: c
                    .lines
                    .iter()
                    .map(|(m, l)| {
                        let class = match m {
                            '+' => "add",
                            '-' => "del",
                            _ => "same",
                        };
                        (class, *m, l.clone())
                    })
                    .collect(),
                msgs: msgs
                    .iter()
                    .filter(|m| m.field == c.field)
                    .map(|m| Shown::of(lang, m))
                    .collect(),
            }
        })
        .collect();
    let general: Vec<Shown> = msgs
        .iter()
        .filter(|m| !changes.iter().any(|c| c.field == m.field))
        .map(|m| Shown::of(lang, m))
        .collect();
    let mut cx = titled(&crate::edit::waiting::title_of(p));
    cx.insert("key", &p.key);
    cx.insert("id", &p.id);
    cx.insert("who", &p.author);
    cx.insert("owner", &p.owner);
    cx.insert("when", &crate::days::day_of(p.at as i64));
    cx.insert("ago", &ago(lang, now.saturating_sub(p.at)));
    cx.insert("changes", &shown);
    cx.insert("uploads", &p.upload_names());
    cx.insert("general", &general);
    cx.insert("refused", &msgs.iter().any(|m| !m.warning));
    cx.insert("csrf", csrf);
    cx.insert("note_max", &crate::edit::waiting::NOTE_MAX);
    draw(lang, "waiting_one.html", cx)
}

/// What an entry is, for the page that asks before deleting it.
pub struct Doomed<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub section: &'a str,
    /// Its plaque codes: after the delete they lead to the section's list.
    pub codes: &'a [String],
}

/// Asks before deleting an entry: what goes, and where its printed plaques will lead.
pub fn delete_confirm(lang: Lang, doomed: &Doomed, csrf: &str) -> String {
    let mut cx = titled(lang.word("delete_question"));
    cx.insert("id", doomed.id);
    cx.insert("title", doomed.title);
    cx.insert("section", doomed.section);
    cx.insert("codes", doomed.codes);
    cx.insert("csrf", csrf);
    draw(lang, "delete.html", cx)
}

/// After a delete: what happened to its plaques.
pub fn deleted(lang: Lang, gone: &Doomed) -> String {
    let mut cx = titled(lang.word("deleted"));
    cx.insert("id", gone.id);
    cx.insert("section", gone.section);
    cx.insert("codes", gone.codes);
    draw(lang, "deleted.html", cx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browsers_preference_by_q_value() {
        let of = |h: &str| Lang::from_header(Some(h));
        assert_eq!(of("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"), Lang::Vi);
        assert_eq!(of("en-US,en;q=0.9"), Lang::En);
        assert_eq!(of("en-GB"), Lang::En);
        assert_eq!(of("en;q=0.5, vi;q=0.9"), Lang::Vi, "q-values, not order");
        assert_eq!(of("zh-CN,zh;q=0.9"), Lang::Vi);
        assert_eq!(Lang::from_header(None), Lang::Vi);
    }

    #[test]
    fn both_languages_have_every_word() {
        let [vi, en] = &*WORDS;
        let missing: Vec<&String> = vi.keys().filter(|k| !en.contains_key(*k)).collect();
        let extra: Vec<&String> = en.keys().filter(|k| !vi.contains_key(*k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{missing:?} {extra:?}"
        );
        assert!(vi.values().chain(en.values()).all(|w| !w.is_empty()));
    }

    #[test]
    fn every_page_draws_in_both_languages_with_its_values_escaped() {
        let evil = "<b>\"Đền\" & 'x'</b>";
        let session = crate::serve::editor::auth::Session::for_test(evil);
        for lang in [Lang::Vi, Lang::En] {
            let listed = [Listed {
                id: "relics/den",
                title: evil.into(),
                codes: vec!["LS-001".into()],
                errors: 1,
                warnings: 0,
                waiting: true,
                returned: true,
            }];
            let problem = [FileProblem {
                file: "plaques.lock".into(),
                text: evil.into(),
            }];
            let pages = [
                message(lang, evil, evil),
                list(lang, &listed, "", evil, true, 2, Some(&problem)),
                list(lang, &listed, "nothing matches this", evil, false, 0, None),
                conflict(lang, evil, evil, evil, evil),
                pair(lang, evil),
                pairing_link(lang, evil, "<svg></svg>"),
                owners(lang, &[], evil, Some((evil, evil))),
                devices(lang, std::slice::from_ref(&session), &session.id, evil),
                delete_confirm(
                    lang,
                    &Doomed {
                        id: evil,
                        title: evil,
                        section: evil,
                        codes: &["LS-001".into()],
                    },
                    evil,
                ),
                deleted(
                    lang,
                    &Doomed {
                        id: evil,
                        title: evil,
                        section: evil,
                        codes: &[],
                    },
                ),
            ];
            let pending = crate::edit::waiting::Pending {
                key: crate::edit::waiting::key("homestays/nha-lan", evil),
                id: "homestays/nha-lan".into(),
                author: evil.into(),
                device: evil.into(),
                owner: true,
                at: 0,
                sub: Default::default(),
                uploads: vec![crate::edit::waiting::Kept {
                    input: "photos".into(),
                    name: evil.into(),
                    file: "x.bin".into(),
                }],
                texts: vec![crate::edit::waiting::Text {
                    path: "content/homestays/nha-lan.md".into(),
                    was: Some(format!(
                        "---\ntitle: Nhà Lan\nprice_from: 250000\n---\n{evil}\n"
                    )),
                    now: format!("---\ntitle: Nhà Lan\nprice_from: 350000\n---\n{evil} mới\n"),
                }],
                removed: Vec::new(),
                added: Vec::new(),
                returned_by: None,
                note: None,
            };
            let changes = pending.changes("vi");
            let clash = FieldMsg::error("f.price_from", evil, evil);
            let done = Done {
                id: evil.into(),
                approved: true,
                live: "yes".into(),
            };
            let more = [
                waiting(lang, std::slice::from_ref(&pending), Some(&done), evil),
                waiting(lang, &[], None, evil),
                waiting_one(lang, &pending, &changes, &[clash], evil),
            ];
            assert!(more[0].contains(lang.word("approved_live")) && more[0].contains(&pending.key));
            assert!(more[1].contains(lang.word("nothing_waiting")));
            assert!(more[2].contains("data-field=\"f.price_from\"") && more[2].contains("350000"));
            assert!(more[2].contains("class=\"del\"") && more[2].contains("class=\"add\""));
            for page in pages.iter().chain(&more) {
                assert!(page.starts_with("<!doctype html>"), "{page}");
                assert!(page.contains(&format!("<html lang=\"{}\">", lang.code())));
                assert!(!page.contains("<b>"), "a value went out unescaped: {page}");
                assert!(!page.contains("{{") && !page.contains("{%"), "{page}");
            }
            assert!(pages[1].contains(lang.word("preview_broken")));
            assert!(pages[2].contains(lang.word("nothing_found")));
            assert!(
                pages[5].contains("<svg></svg>"),
                "the QR code is drawn as SVG"
            );
        }
    }
}
