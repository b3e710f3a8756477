//! A posted entry form, read into the changes it asks for. Inputs are named after the field
//! table (`f.title`, `f.location.lat`), the photos (`img.N.alt`) and the translations
//! (`t.en.title`); a value that cannot be a field's is reported at that field.

use super::document::Change;
use super::upload::Upload;
use crate::content::fields::{self, Input};
use crate::vocab::Kind;
use serde_yaml_ng::{Mapping, Value};
use std::collections::BTreeMap;

/// What a volunteer asked for in one save. Kept as YAML while a save waits for approval
/// (`waiting`), its photos and audio beside it as files.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Submission {
    /// The version of the default-language file the form was made from.
    pub version: String,
    pub changes: Vec<Change>,
    /// The text (None when the form did not carry it).
    pub body: Option<String>,
    /// The photos as listed in the form, in their new order, removed ones left out.
    pub images: Option<Vec<Value>>,
    pub removed_images: Vec<String>,
    #[serde(skip)]
    pub photos: Vec<Upload>,
    #[serde(skip)]
    pub audio: Option<Upload>,
    pub remove_audio: bool,
    pub translations: BTreeMap<String, Translation>,
    /// What was typed into fields whose values were refused, to show them again.
    pub typed: Vec<Change>,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Translation {
    /// The version of the file when it existed as the form was made; None for a new one.
    pub version: Option<String>,
    pub changes: Vec<Change>,
    pub body: Option<String>,
}

use super::field_msg::FieldMsg;

pub struct Context<'a> {
    pub kind: Kind,
    /// The default file's fields now.
    pub current: &'a Mapping,
    /// Whether the plaque code is in plaques.lock (and so cannot change).
    pub code_fixed: bool,
    pub languages: &'a [String],
    pub default_language: &'a str,
}

/// Read the form's text fields and files.
pub fn read(
    pairs: &[(String, String)],
    files: Vec<(String, Upload)>,
    cx: &Context,
) -> (Submission, Vec<FieldMsg>) {
    let get = |name: &str| -> Option<&str> {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let mut msgs = Vec::new();
    let mut sub = Submission {
        version: get("version").unwrap_or("").to_string(),
        body: get("body").map(normalise),
        ..Submission::default()
    };
    for field in fields::for_kind(cx.kind) {
        if matches!(field.input, Input::Images | Input::Audio) {
            continue;
        }
        if field.input == Input::Code && cx.code_fixed {
            continue;
        }
        let current = cx.current.get(field.name);
        let name = format!("f.{}", field.name);
        match value(field.input, &name, &get, current).and_then(|v| bounded(field, &name, v)) {
            Ok(v) => sub.changes.push((field.name.to_string(), v)),
            Err(m) => {
                msgs.push(m);
                sub.typed
                    .push((field.name.to_string(), Some(typed(&name, &get))));
            }
        }
    }
    let (images, removed) = images(pairs, cx.current);
    sub.images = images;
    sub.removed_images = removed;
    sub.remove_audio = get("audio.remove").is_some();
    for (name, upload) in files {
        if upload.bytes.is_empty() && upload.name.is_empty() {
            continue;
        }
        match name.as_str() {
            "photos" => sub.photos.push(upload),
            "audio" => sub.audio = Some(upload),
            _ => {}
        }
    }
    for lang in cx.languages.iter().filter(|l| *l != cx.default_language) {
        let p = |k: &str| format!("t.{lang}.{k}");
        let version = get(&p("version")).filter(|v| !v.is_empty());
        let title = get(&p("title")).unwrap_or("").trim();
        if version.is_none() && title.is_empty() {
            continue;
        }
        let mut t = Translation {
            version: version.map(str::to_string),
            body: get(&p("body")).map(normalise),
            ..Translation::default()
        };
        for name in ["title", "summary", "address"] {
            let input = if name == "summary" {
                Input::LongText
            } else {
                Input::Text
            };
            let checked =
                value(input, &p(name), &get, None).and_then(|v| match fields::get(name) {
                    Some(field) => bounded(field, &p(name), v),
                    None => Ok(v),
                });
            match checked {
                Ok(v) => t.changes.push((name.to_string(), v)),
                Err(m) => msgs.push(m),
            }
        }
        let draft = get(&p("draft")).is_some();
        t.changes
            .push(("draft".into(), draft.then_some(Value::Bool(true))));
        t.changes
            .push(("images".into(), translated_images(pairs, lang, cx.current)));
        sub.translations.insert(lang.clone(), t);
    }
    (sub, msgs)
}

/// `v` when the field table's bounds allow its text (each tag of a list), else the refusal at
/// input `name`: a crafted post cannot save a ten-line or megabyte title.
fn bounded(field: &fields::Field, name: &str, v: Option<Value>) -> Result<Option<Value>, FieldMsg> {
    let texts: Vec<&str> = match &v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Sequence(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for t in texts {
        if let Err(why) = field.check_text(t) {
            let (en, vi) = why.message(field);
            return Err(FieldMsg::error(name, en, vi));
        }
    }
    Ok(v)
}

/// A refused field's inputs as typed: its own text, or its parts (`lat`, `lon`, ...).
fn typed<'a>(name: &str, get: &impl Fn(&str) -> Option<&'a str>) -> Value {
    if let Some(v) = get(name) {
        return Value::String(v.to_string());
    }
    let mut m = Mapping::new();
    for part in ["lat", "lon", "ssid", "password", "bin", "account", "name"] {
        if let Some(v) = get(&format!("{name}.{part}")) {
            m.insert(part.into(), v.into());
        }
    }
    Value::Mapping(m)
}

/// Line breaks as LF: browsers send a textarea's with CRLF.
fn normalise(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn text(s: &str) -> Option<Value> {
    let t = s.trim();
    (!t.is_empty()).then(|| Value::String(t.to_string()))
}

fn value<'a>(
    input: Input,
    name: &str,
    get: &impl Fn(&str) -> Option<&'a str>,
    current: Option<&Value>,
) -> Result<Option<Value>, FieldMsg> {
    let raw = get(name).unwrap_or("");
    let bad = |en: &str, vi: &str| Err(FieldMsg::error(name, en, vi));
    Ok(match input {
        Input::Text | Input::Tel | Input::Url | Input::Date => text(raw),
        Input::LongText => text(&normalise(raw)),
        Input::Code => text(&raw.to_uppercase()),
        Input::Ranking => match raw.trim() {
            "" => None,
            r @ ("special-national" | "national" | "provincial") => Some(Value::String(r.into())),
            _ => {
                return bad(
                    "choose a ranking from the list",
                    "chọn cấp xếp hạng trong danh sách",
                )
            }
        },
        Input::PlaqueSize => match raw.trim() {
            "" => None,
            s if crate::vocab::Size::parse(s).is_some() => Some(Value::String(s.into())),
            _ => {
                return bad(
                    "choose a plaque size from the list",
                    "chọn cỡ biển trong danh sách",
                )
            }
        },
        Input::Bool => {
            let on = get(name).is_some_and(|v| v != "false");
            match (on, current) {
                (true, _) => Some(Value::Bool(true)),
                // `draft: false` written by hand stays as it is.
                (false, Some(Value::Bool(false))) => Some(Value::Bool(false)),
                (false, _) => None,
            }
        }
        Input::Year => match raw.trim() {
            "" => None,
            y => match y.parse::<u16>() {
                Ok(n) if (1000..=2100).contains(&n) => Some(Value::Number(n.into())),
                _ => return bad("a year, such as 1988", "ghi năm, ví dụ 1988"),
            },
        },
        Input::Money => match crate::vocab::vnd(raw) {
            // Under 1.000đ, a price written short (250 for 250.000đ), or 0 for "not known":
            // refused when typed, so it never goes live (one already in the file stays).
            Ok(Some(0)) if current.and_then(Value::as_u64) != Some(0) => {
                return bad(
                    "0 đồng? Leave the price empty when it is not known",
                    "Giá 0 đồng? Chưa biết giá thì để trống",
                )
            }
            Ok(Some(n)) if n < 1000 && current.and_then(Value::as_u64) != Some(n) => {
                return bad(
                    &format!("{n} đồng? Write the whole price, e.g. {n}000 or {n}k; leave it empty when it is not known"),
                    &format!("{n} đồng? Ghi đủ giá, ví dụ {n}.000 hoặc {n}k; chưa biết giá thì để trống"),
                )
            }
            Ok(v) => v.map(|n| Value::Number(n.into())),
            Err(crate::vocab::NotAPrice) => {
                return bad(
                    "a price in đồng, digits only: 250000",
                    "ghi giá bằng số đồng, ví dụ 250000",
                )
            }
        },
        Input::Tags => {
            let tags: Vec<Value> = crate::vocab::tag_list(raw)
                .map(|t| Value::String(t.to_string()))
                .collect();
            (!tags.is_empty()).then_some(Value::Sequence(tags))
        }
        Input::Location => {
            let lat = get(&format!("{name}.lat")).unwrap_or("").trim();
            let lon = get(&format!("{name}.lon")).unwrap_or("").trim();
            match (lat.is_empty(), lon.is_empty()) {
                (true, true) => None,
                (false, false) => match (crate::vocab::degrees(lat), crate::vocab::degrees(lon)) {
                    (Some(a), Some(b)) => {
                        let mut m = Mapping::new();
                        m.insert("lat".into(), a.into());
                        m.insert("lon".into(), b.into());
                        Some(Value::Mapping(m))
                    }
                    _ => {
                        return bad(
                            "latitude and longitude in degrees, such as 21.85 and 106.76",
                            "vĩ độ và kinh độ ghi bằng độ, ví dụ 21.85 và 106.76",
                        )
                    }
                },
                _ => {
                    return bad(
                        "give both latitude and longitude, or neither",
                        "cần cả vĩ độ và kinh độ, hoặc để trống cả hai",
                    )
                }
            }
        }
        Input::Wifi => {
            let ssid = get(&format!("{name}.ssid")).unwrap_or("").trim();
            let password = get(&format!("{name}.password")).unwrap_or("");
            if ssid.is_empty() {
                if !password.is_empty() {
                    return bad("the network's name is missing", "thiếu tên mạng Wi-Fi");
                }
                None
            } else {
                let mut m = Mapping::new();
                m.insert("ssid".into(), ssid.into());
                if !password.is_empty() {
                    m.insert("password".into(), password.into());
                }
                Some(Value::Mapping(m))
            }
        }
        Input::Bank => {
            let part = |k: &str| get(&format!("{name}.{k}")).unwrap_or("").trim().to_string();
            let (bin, account, holder) = (part("bin"), part("account"), part("name"));
            if bin.is_empty() && account.is_empty() && holder.is_empty() {
                None
            } else if bin.is_empty() || account.is_empty() {
                return bad(
                    "give the bank's BIN and the account number",
                    "cần mã BIN của ngân hàng và số tài khoản",
                );
            } else {
                let mut m = Mapping::new();
                m.insert("bin".into(), bin.into());
                m.insert("account".into(), account.into());
                if !holder.is_empty() {
                    m.insert("name".into(), holder.into());
                }
                Some(Value::Mapping(m))
            }
        }
        Input::Images | Input::Audio => None,
        Input::Links => {
            let mut links = Vec::new();
            for row in list_rows(name, "url", get) {
                let url = get(&format!("{row}.url")).unwrap_or("").trim();
                let label = get(&format!("{row}.label")).unwrap_or("").trim();
                match (url.is_empty(), label.is_empty()) {
                    (true, true) => continue,
                    (true, false) => {
                        return bad(
                            &format!("`{label}` has no address: write its https:// address, or clear the label"),
                            &format!("nhãn `{label}` chưa có đường dẫn: ghi địa chỉ https://, hoặc xoá nhãn"),
                        )
                    }
                    (false, true) => links.push(Value::String(url.to_string())),
                    (false, false) => {
                        let mut m = Mapping::new();
                        m.insert("url".into(), url.into());
                        m.insert("label".into(), label.into());
                        links.push(Value::Mapping(m));
                    }
                }
            }
            (!links.is_empty()).then_some(Value::Sequence(links))
        }
        Input::Specialties => {
            let mut items = Vec::new();
            for row in list_rows(name, "name", get) {
                let part = |k: &str| get(&format!("{row}.{k}")).unwrap_or("").trim();
                let (title, price, photo, url) =
                    (part("name"), part("price"), part("photo"), part("url"));
                if [title, price, photo, url].iter().all(|p| p.is_empty()) {
                    continue;
                }
                if title.is_empty() {
                    return bad("a specialty needs its name", "đặc sản cần có tên");
                }
                let mut m = Mapping::new();
                m.insert("name".into(), title.into());
                match crate::vocab::vnd(price) {
                    Ok(Some(n)) => {
                        m.insert("price".into(), Value::Number(n.into()));
                    }
                    Ok(None) => {}
                    Err(crate::vocab::NotAPrice) => {
                        return bad(
                            &format!("the price of `{title}`: in đồng, digits only: 120000"),
                            &format!("giá của `{title}`: ghi bằng số đồng, ví dụ 120000"),
                        )
                    }
                }
                for (k, v) in [("photo", photo), ("url", url)] {
                    if !v.is_empty() {
                        m.insert(k.into(), v.into());
                    }
                }
                items.push(Value::Mapping(m));
            }
            (!items.is_empty()).then_some(Value::Sequence(items))
        }
        Input::Amenities | Input::Spoken => {
            let keys = if input == Input::Amenities {
                crate::vocab::AMENITIES
            } else {
                crate::vocab::SPOKEN
            };
            let ticked: Vec<&str> = keys
                .iter()
                .filter(|k| get(&format!("{name}.{k}")).is_some())
                .copied()
                .collect();
            // In the file's own order (a host lists the languages they speak best first), the
            // newly ticked after: a form that changed nothing here writes nothing here.
            let mut chosen: Vec<&str> = match current {
                Some(Value::Sequence(items)) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|k| ticked.contains(k))
                    .collect(),
                _ => Vec::new(),
            };
            for k in ticked {
                if !chosen.contains(&k) {
                    chosen.push(k);
                }
            }
            let chosen: Vec<Value> = chosen
                .iter()
                .map(|k| Value::String(k.to_string()))
                .collect();
            (!chosen.is_empty()).then_some(Value::Sequence(chosen))
        }
        Input::Count => match raw.trim() {
            "" => None,
            n => match n.parse::<u32>() {
                Ok(n) if n >= 1 => Some(Value::Number(n.into())),
                _ => {
                    return bad(
                        "a whole number, 1 or more",
                        "ghi một số nguyên, từ 1 trở lên",
                    )
                }
            },
        },
        Input::Time => text(raw),
        Input::PricePer => match raw.trim() {
            "" => None,
            p if crate::vocab::PRICE_PER.contains(&p) => Some(Value::String(p.into())),
            _ => return bad("choose from the list", "chọn trong danh sách"),
        },
        Input::Closed => {
            let lines: Vec<Value> = normalise(raw)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Value::String(l.to_string()))
                .collect();
            (!lines.is_empty()).then_some(Value::Sequence(lines))
        }
    })
}

/// The rows of a field drawn as rows (`f.links.0.url`, `f.links.1.url`, ...): the prefix of
/// each row whose `part` the form sent, in order, up to the first missing.
fn list_rows<'a>(name: &str, part: &str, get: &impl Fn(&str) -> Option<&'a str>) -> Vec<String> {
    (0..MAX_ROWS)
        .map(|i| format!("{name}.{i}"))
        .take_while(|row| get(&format!("{row}.{part}")).is_some())
        .collect()
}

/// The most rows a form's list may send (links, specialties).
const MAX_ROWS: usize = 100;

/// The photo rows of the form (`img.N.src`, `.alt`, `.caption`, `.order`, `.remove`), for
/// photos the entry lists now: a row cannot name a file the entry does not have, and only a
/// row's `remove` takes a photo away (a photo without a row, from a form older than it or one
/// made by hand, stays as it is, after the others).
fn images(pairs: &[(String, String)], current: &Mapping) -> (Option<Vec<Value>>, Vec<String>) {
    let listed = listed_sources(current);
    let rows = rows(pairs, "img.");
    if rows.is_empty() && pairs.iter().all(|(k, _)| k != "images") {
        return (None, Vec::new());
    }
    let mut kept: Vec<(f64, usize, Value)> = Vec::new();
    let mut removed = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (n, row) in rows {
        let Some(src) = row.get("src").filter(|s| listed.contains(s)) else {
            continue;
        };
        if !seen.insert(src.clone()) {
            continue;
        }
        if row.contains_key("remove") {
            removed.push(src.clone());
            continue;
        }
        let order = row
            .get("order")
            .and_then(|o| o.trim().parse::<f64>().ok())
            .unwrap_or(n as f64);
        kept.push((
            order,
            n,
            image_value(src, row.get("alt"), row.get("caption")),
        ));
    }
    kept.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut images: Vec<Value> = kept.into_iter().map(|(_, _, v)| v).collect();
    if let Some(Value::Sequence(items)) = current.get("images") {
        let unrowed = items
            .iter()
            .filter(|i| source(i).is_some_and(|src| !seen.contains(src)));
        images.extend(unrowed.cloned());
    }
    (Some(images), removed)
}

fn translated_images(pairs: &[(String, String)], lang: &str, current: &Mapping) -> Option<Value> {
    let listed = listed_sources(current);
    let mut out = Vec::new();
    for (_, row) in rows(pairs, &format!("t.{lang}.img.")) {
        let Some(src) = row.get("src").filter(|s| listed.contains(s)) else {
            continue;
        };
        let alt = row.get("alt").map(|s| s.trim()).unwrap_or("");
        let caption = row.get("caption").map(|s| s.trim()).unwrap_or("");
        if alt.is_empty() && caption.is_empty() {
            continue;
        }
        out.push(image_value(src, row.get("alt"), row.get("caption")));
    }
    (!out.is_empty()).then_some(Value::Sequence(out))
}

fn image_value(src: &str, alt: Option<&String>, caption: Option<&String>) -> Value {
    let alt = alt.map(|s| s.trim()).filter(|s| !s.is_empty());
    let caption = caption.map(|s| s.trim()).filter(|s| !s.is_empty());
    if alt.is_none() && caption.is_none() {
        return Value::String(src.to_string());
    }
    let mut m = Mapping::new();
    m.insert("src".into(), src.into());
    if let Some(a) = alt {
        m.insert("alt".into(), a.into());
    }
    if let Some(c) = caption {
        m.insert("caption".into(), c.into());
    }
    Value::Mapping(m)
}

/// `prefix N.key` inputs grouped by N.
fn rows(pairs: &[(String, String)], prefix: &str) -> BTreeMap<usize, BTreeMap<String, String>> {
    let mut out: BTreeMap<usize, BTreeMap<String, String>> = BTreeMap::new();
    for (k, v) in pairs {
        let Some(rest) = k.strip_prefix(prefix) else {
            continue;
        };
        let Some((n, key)) = rest.split_once('.') else {
            continue;
        };
        if let Ok(n) = n.parse::<usize>() {
            out.entry(n).or_default().insert(key.to_string(), v.clone());
        }
    }
    out
}

/// The `src` of every photo the entry lists.
pub fn listed_sources(current: &Mapping) -> Vec<String> {
    match current.get("images") {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(source)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// The file an `images:` item names: `a.jpg`, or `{src: a.jpg, alt: …}`.
fn source(item: &Value) -> Option<&str> {
    match item {
        Value::String(s) => Some(s),
        Value::Mapping(m) => m.get("src").and_then(Value::as_str),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn cx<'a>(current: &'a Mapping, languages: &'a [String]) -> Context<'a> {
        Context {
            kind: Kind::Homestay,
            current,
            code_fixed: true,
            languages,
            default_language: "vi",
        }
    }

    #[test]
    fn values_become_fields_and_bad_ones_name_their_input() {
        let current = Mapping::new();
        let langs = vec!["vi".to_string()];
        let (sub, msgs) = read(
            &pairs(&[
                ("f.title", " Nhà Lan "),
                ("f.price_from", "250.000đ"),
                ("f.location.lat", "21,85"),
                ("f.location.lon", "106.76"),
                ("f.tags", "homestay, view núi,"),
                ("f.code", "NEW"),
                ("body", "a\r\nb"),
            ]),
            vec![],
            &cx(&current, &langs),
        );
        assert!(msgs.is_empty(), "{msgs:?}");
        let get = |k: &str| sub.changes.iter().find(|(n, _)| n == k).unwrap().1.clone();
        assert_eq!(get("title"), Some(Value::String("Nhà Lan".into())));
        assert_eq!(get("price_from"), Some(Value::Number(250000.into())));
        assert_eq!(get("summary"), None);
        let loc = get("location").unwrap();
        assert_eq!(loc.get("lat").and_then(Value::as_f64), Some(21.85));
        assert_eq!(get("tags").unwrap().as_sequence().unwrap().len(), 2);
        assert!(
            sub.changes.iter().all(|(n, _)| n != "code"),
            "a fixed code is not read"
        );
        assert_eq!(sub.body.as_deref(), Some("a\nb"));

        let (_, msgs) = read(
            &pairs(&[("f.price_from", "hai trăm"), ("f.location.lat", "21.8")]),
            vec![],
            &cx(&current, &langs),
        );
        let fields: Vec<&str> = msgs.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(fields, ["f.location", "f.price_from"]);

        // Crafted posts: a title of ten lines, or of a megabyte, a ranking not on the list.
        let (_, msgs) = read(
            &pairs(&[
                ("f.title", &"Dòng\n".repeat(10)),
                ("f.summary", &"x".repeat(1_350_000)),
                ("f.tags", "ok, a\rb"),
                ("t.en.title", "Two\nlines"),
            ]),
            vec![],
            &cx(&current, &["vi".to_string(), "en".to_string()]),
        );
        let fields: Vec<&str> = msgs.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(
            fields,
            ["f.title", "f.summary", "f.tags", "t.en.title"],
            "{msgs:?}"
        );
        assert!(msgs[0].vi.contains("một dòng") && msgs[1].vi.contains("quá 500"));
    }

    #[test]
    fn photo_rows_reorder_remove_and_cannot_name_other_files() {
        let current: Mapping =
            serde_yaml_ng::from_str("images: [a.jpg, {src: b.jpg, alt: B}, c.jpg]").unwrap();
        let langs = vec!["vi".to_string(), "en".to_string()];
        let (sub, _) = read(
            &pairs(&[
                ("img.0.src", "a.jpg"),
                ("img.0.order", "3"),
                ("img.1.src", "b.jpg"),
                ("img.1.alt", "Cổng"),
                ("img.1.order", "1"),
                ("img.2.src", "c.jpg"),
                ("img.2.remove", "on"),
                ("img.3.src", "../../site.yaml"),
                ("t.en.title", "Lan's house"),
                ("t.en.img.0.src", "b.jpg"),
                ("t.en.img.0.alt", "Gate"),
            ]),
            vec![],
            &cx(&current, &langs),
        );
        let images = sub.images.unwrap();
        assert_eq!(images.len(), 2);
        assert_eq!(images[0].get("alt").and_then(Value::as_str), Some("Cổng"));
        assert_eq!(images[1], Value::String("a.jpg".into()));
        assert_eq!(sub.removed_images, ["c.jpg"]);
        let en = &sub.translations["en"];
        assert!(en.version.is_none());
        let imgs = en.changes.iter().find(|(n, _)| n == "images").unwrap();
        assert_eq!(imgs.1.as_ref().unwrap().as_sequence().unwrap().len(), 1);
    }

    /// A form made by hand naming a photo the entry does not have, and leaving out the ones it
    /// has, takes nothing away: only `remove` does.
    #[test]
    fn a_photo_without_its_row_stays() {
        let current: Mapping =
            serde_yaml_ng::from_str("images: [a.jpg, {src: b.jpg, alt: B}, c.jpg]").unwrap();
        let langs = vec!["vi".to_string()];
        let (sub, _) = read(
            &pairs(&[
                ("img.0.src", "khong-co.jpg"),
                ("img.1.src", "c.jpg"),
                ("img.1.order", "1"),
                ("img.2.src", "c.jpg"),
                ("img.2.remove", "on"),
            ]),
            vec![],
            &cx(&current, &langs),
        );
        let images = sub.images.unwrap();
        let kept: Vec<Option<&str>> = images.iter().map(source).collect();
        assert_eq!(kept, [Some("c.jpg"), Some("a.jpg"), Some("b.jpg")]);
        assert_eq!(images[2].get("alt").and_then(Value::as_str), Some("B"));
        assert!(
            sub.removed_images.is_empty(),
            "a second row of c.jpg is not read"
        );
    }

    /// An owner typing "250" meant 250.000đ: refused at the box, with the fix; a price already
    /// in the file is not held against an unrelated save.
    #[test]
    fn a_price_typed_under_a_thousand_is_refused_at_its_box() {
        let langs = vec!["vi".to_string()];
        let current: Mapping =
            serde_yaml_ng::from_str("title: Nhà Lan\nprice_from: 300000").unwrap();
        let fixes = [
            ("250", "ví dụ 250.000 hoặc 250k"),
            ("0", "Chưa biết giá thì để trống"),
        ];
        for (typed, fix) in fixes {
            let (_, msgs) = read(
                &pairs(&[("f.price_from", typed)]),
                vec![],
                &cx(&current, &langs),
            );
            assert_eq!(msgs.len(), 1, "{typed}: {msgs:?}");
            assert_eq!(msgs[0].field, "f.price_from");
            assert!(msgs[0].vi.contains(fix), "{}", msgs[0].vi);
            assert!(!msgs[0].vi.contains("0.000 hoặc 0k"), "{}", msgs[0].vi);
        }
        let (sub, msgs) = read(
            &pairs(&[("f.price_from", "250k")]),
            vec![],
            &cx(&current, &langs),
        );
        assert!(msgs.is_empty(), "{msgs:?}");
        let price = sub.changes.iter().find(|(k, _)| k == "price_from").unwrap();
        assert_eq!(price.1, Some(Value::Number(250_000.into())));
        let short: Mapping = serde_yaml_ng::from_str("title: Nhà Lan\nprice_from: 250").unwrap();
        let (_, msgs) = read(
            &pairs(&[("f.price_from", "250")]),
            vec![],
            &cx(&short, &langs),
        );
        assert!(msgs.is_empty(), "as it was in the file: {msgs:?}");
    }
}
