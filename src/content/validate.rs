//! Checks on an entry's values that the YAML types alone cannot make.

use super::front_matter::{HOMESTAY_ONLY, RELIC_ONLY};
use super::RawEntry;
use crate::error::Diagnostic;
use crate::yaml::key_line;
#[cfg(test)]
use std::path::PathBuf;
use std::path::{Component, Path};

/// Vietnam's bounding box, generously: a point outside it is probably a typo or swapped lat/lon.
const VN_LAT: (f64, f64) = (8.0, 23.6);
const VN_LON: (f64, f64) = (102.0, 110.0);

pub fn entry(site: &Path, e: &RawEntry) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for t in e.texts.values() {
        out.extend(super::nesting::problem(&t.body, &t.file, t.body_line));
    }
    let m = &e.matter;
    let err = |key: &str, msg: String| {
        let line = key_line(&e.yaml, e.yaml_line, key);
        let src = e.yaml.lines().nth(line.saturating_sub(e.yaml_line));
        let mut d = Diagnostic::error(&e.file, msg).at(line, None);
        d.source_line = src.map(str::to_string);
        d
    };

    if m.title.trim().is_empty() {
        out.push(
            err("title", "the title is empty".into())
                .hint("write the place's name after `title:`")
                .vi("chưa có tên: ghi tên của địa điểm"),
        );
    }
    if let Some(code) = &m.code {
        if let Err(why) = check_code(code) {
            out.push(err("code", format!("plaque code `{code}` {why}")).hint(
                "a code is 2 to 16 upper-case letters, digits or hyphens, e.g. `code: HVT` or `code: LS-001`").vi(format!("mã biển “{code}” không dùng được: mã gồm 2 đến 16 chữ in hoa, chữ số hoặc dấu gạch ngang, ví dụ HVT hoặc LS-001"),
            ));
        }
    }
    if let Some(loc) = m.location {
        let swapped =
            (VN_LAT.0..=VN_LAT.1).contains(&loc.lon) && (VN_LON.0..=VN_LON.1).contains(&loc.lat);
        if !(-90.0..=90.0).contains(&loc.lat) || !(-180.0..=180.0).contains(&loc.lon) {
            out.push(err("location", format!("location {}, {} is not on Earth", loc.lat, loc.lon)).vi(if swapped {
                "toạ độ bị đảo: vĩ độ là số nhỏ (khoảng 21,8), kinh độ là số lớn (khoảng 106,7)"
            } else {
                "toạ độ sai: vĩ độ từ -90 đến 90, kinh độ từ -180 đến 180"
            }).hint(if swapped {
                "lat and lon look swapped: write `location: { lat: 21.85, lon: 106.76 }` (lat is the smaller number here)"
            } else {
                "lat is between -90 and 90, lon between -180 and 180 (Lạng Sơn is near lat 21.85, lon 106.76)"
            }));
        } else if !(VN_LAT.0..=VN_LAT.1).contains(&loc.lat)
            || !(VN_LON.0..=VN_LON.1).contains(&loc.lon)
        {
            let swapped = (VN_LAT.0..=VN_LAT.1).contains(&loc.lon)
                && (VN_LON.0..=VN_LON.1).contains(&loc.lat);
            let mut d = err(
                "location",
                format!("location {}, {} is outside Vietnam", loc.lat, loc.lon),
            )
            .vi(if swapped {
                "vị trí nằm ngoài Việt Nam: có lẽ vĩ độ và kinh độ bị đảo (vĩ độ khoảng 21,8, kinh độ khoảng 106,7)"
            } else {
                "vị trí nằm ngoài Việt Nam: kiểm tra lại toạ độ (chép từ ứng dụng bản đồ: nhấn giữ vào địa điểm)"
            });
            d.severity = crate::error::Severity::Warning;
            out.push(d.hint(if swapped {
                "lat and lon look swapped: lat is the smaller number (about 21.8), lon the larger (about 106.7)"
            } else {
                "check the coordinates: copy them from a map app (long-press the place)"
            }));
        }
    }
    let kind_fields: &[(&str, &[&str])] = &[("relics", RELIC_ONLY), ("homestays", HOMESTAY_ONLY)];
    for (section, fields) in kind_fields {
        if e.section == *section {
            continue;
        }
        for f in *fields {
            let set = match *f {
                "ranking" => m.ranking.is_some(),
                "recognized" => m.recognized.is_some(),
                "price_from" => m.price_from.is_some(),
                "booking_url" => m.booking_url.is_some(),
                "wifi" => m.wifi.is_some(),
                "rooms" => m.rooms.is_some(),
                "guests" => m.guests.is_some(),
                "amenities" => !m.amenities.is_empty(),
                "languages" => !m.languages.is_empty(),
                "check_in" => m.check_in.is_some(),
                "check_out" => m.check_out.is_some(),
                "price_per" => m.price_per.is_some(),
                "closed" => !m.closed.is_empty(),
                "price_updated" => m.price_updated.is_some(),
                "specialties" => !m.specialties.is_empty(),
                "bank" => m.bank.is_some(),
                _ => false,
            };
            if set {
                out.push(
                    err(
                        f,
                        format!(
                            "`{f}` is a field of {section}, and this entry is in {}/",
                            e.section
                        ),
                    )
                    .hint(format!(
                        "move the entry to content/{section}/, or remove `{f}`"
                    ))
                    .vi(format!(
                        "trường “{}” chỉ dành cho {}: xoá giá trị này",
                        super::fields::get(f).map_or(*f, |x| x.vi),
                        if *section == "relics" {
                            "di tích"
                        } else {
                            "homestay"
                        }
                    )),
                );
            }
        }
    }
    if let Some(size) = &m.plaque_size {
        if crate::vocab::Size::parse(size).is_none() {
            out.push(
                err(
                    "plaque_size",
                    format!("plaque size `{size}` is not one Waymark makes"),
                )
                .hint("use a6, sticker (100×100 mm) or a4")
                .vi("cỡ biển chỉ có A6, nhãn dán 100 mm hoặc A4"),
            );
        }
    }
    if let Some(year) = m.recognized {
        if !(1900..=2100).contains(&year) {
            out.push(
                err(
                    "recognized",
                    format!("`recognized: {year}` is not a plausible year"),
                )
                .hint("write the year the ranking was given, e.g. `recognized: 1993`")
                .vi(format!(
                    "năm xếp hạng {year} không hợp lý: ghi năm có quyết định xếp hạng, ví dụ 1993"
                )),
            );
        }
    }
    if let Some(url) = &m.booking_url {
        if check_web_url(url).is_err() {
            out.push(
                err(
                    "booking_url",
                    format!("booking_url `{url}` is not a web address"),
                )
                .hint("write a full address starting with https:// (or http://)")
                .vi("đường dẫn đặt phòng phải là địa chỉ web đầy đủ, bắt đầu bằng https:// (hoặc http://)"),
            );
        }
    }
    super::guest::check(e, &mut out);
    if let Some(phone) = &m.phone {
        if check_phone(phone).is_err() {
            out.push(
                err("phone", format!("phone `{phone}` is not a phone number"))
                    .hint("write digits with an optional leading +, e.g. `phone: \"0205 3870 123\"` or `+84 205 3870 123`; two numbers separated by a comma")
                    .vi(format!("“{phone}” không phải số điện thoại: ghi 8 đến 15 chữ số, có thể có dấu + ở đầu, ví dụ 0205 3870 123 hoặc +84 205 3870 123; hai số thì cách nhau bằng dấu phẩy")),
            );
        }
    }
    if let Some(zalo) = &m.zalo {
        let ok = check_phone(zalo).is_ok() || zalo.starts_with("https://zalo.me/");
        if !ok {
            out.push(
                err(
                    "zalo",
                    format!("zalo `{zalo}` is neither a phone number nor a zalo.me link"),
                )
                .hint(
                    "write the phone number registered with Zalo, or the https://zalo.me/... link",
                )
                .vi(format!("“{zalo}” không phải số điện thoại hay đường dẫn zalo.me: ghi số điện thoại đăng ký Zalo, hoặc đường dẫn https://zalo.me/…")),
            );
        }
    }
    if let Some(date) = &m.date {
        if !crate::days::is_day(date) {
            out.push(
                err("date", format!("date `{date}` is not a date"))
                    .hint("write it as YYYY-MM-DD, e.g. `date: 2024-07-01`")
                    .vi(format!(
                        "“{date}” không phải ngày: ghi năm-tháng-ngày, ví dụ 2024-07-01"
                    )),
            );
        }
    }
    for tag in &m.tags {
        if tag.trim().is_empty() {
            out.push(
                err("tags", "a tag is empty".into())
                    .hint("remove the empty item from `tags`")
                    .vi("có một thẻ để trống: xoá thẻ trống"),
            );
        }
    }
    let media = m
        .images
        .iter()
        .map(|i| ("images", i.src()))
        .chain(m.audio.iter().map(|a| ("audio", a.as_str())));
    for (key, file) in media {
        match &e.bundle {
            None => out.push(err(key, format!("`{file}` is listed, but this entry is a single file, not a bundle folder")).hint(format!(
                "make a folder content/{}/{}/, move this file into it as index.md, and put `{file}` beside it",
                e.section, e.slug
            )).vi(format!("tệp “{file}” được ghi nhưng mục này chưa có thư mục riêng: tải ảnh lên từ biểu mẫu, hoặc tạo thư mục cho mục và chép tệp vào đó"))),
            Some(bundle) => {
                if !is_inside(file) {
                    out.push(err(key, format!("`{file}` points outside the entry's folder")).hint("media must be files in the entry's own folder: write just the file name").vi(format!("tệp “{file}” nằm ngoài thư mục của mục này: chỉ ghi tên tệp trong thư mục của mục")));
                } else if !e.assets.iter().any(|a| a == file) {
                    let path = site.join(bundle).join(file);
                    let is_link = std::fs::symlink_metadata(&path).map(|m| m.file_type().is_symlink()).unwrap_or(false);
                    if is_link {
                        out.push(err(key, format!("`{file}` is a link, and Waymark publishes only real files inside the site")).hint("copy the file itself into the entry's folder instead of linking to it").vi(format!("tệp “{file}” là liên kết (symlink): hãy chép chính tệp đó vào thư mục của mục này")));
                    } else {
                        out.push(err(key, format!("`{file}` is not in {}", bundle.display())).hint("check the file name (letter case counts), or copy the file into the entry's folder").vi(format!("không thấy tệp “{file}”: kiểm tra tên tệp (phân biệt chữ hoa, chữ thường) hoặc chép tệp vào thư mục của mục này")));
                    }
                }
            }
        }
    }
    out
}

pub fn check_code(code: &str) -> Result<(), &'static str> {
    if !(2..=16).contains(&code.len()) {
        return Err("must be 2 to 16 characters long");
    }
    if !code
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
    {
        return Err("may hold only A-Z, 0-9 and -");
    }
    Ok(())
}

pub fn check_web_url(url: &str) -> Result<(), ()> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or(())?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty()
        || url
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
    {
        return Err(());
    }
    Ok(())
}

/// A phone number, or several separated by commas (see `address::phone_numbers`).
pub fn check_phone(phone: &str) -> Result<(), ()> {
    if phone.contains(',') {
        let mut n = 0;
        for p in crate::address::phone_numbers(phone) {
            check_one_phone(p)?;
            n += 1;
        }
        return if n > 0 { Ok(()) } else { Err(()) };
    }
    check_one_phone(phone)
}

fn check_one_phone(phone: &str) -> Result<(), ()> {
    let digits = phone.chars().filter(|c| c.is_ascii_digit()).count();
    let allowed = phone.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')') || (c == '+' && i == 0)
    });
    if allowed && (8..=15).contains(&digits) {
        Ok(())
    } else {
        Err(())
    }
}

/// A relative path that stays inside its folder: no `..`, no root, no drive.
pub fn is_inside(p: &str) -> bool {
    !p.is_empty()
        && Path::new(p)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert!(check_code("HVT").is_ok());
        assert!(check_code("LS-001").is_ok());
        assert!(check_code("hvt").is_err());
        assert!(check_code("A").is_err());
        assert!(check_code("ABCDEFGHIJKLMNOPQ").is_err());
    }

    #[test]
    fn phones() {
        assert!(check_phone("0205 3870 123").is_ok());
        assert!(check_phone("+84 912 345 678").is_ok());
        assert!(check_phone("call me").is_err());
        assert!(check_phone("0988 111 222, 0355 222 333").is_ok());
        assert!(check_phone("0988 111 222, call me").is_err());
        assert!(check_phone(",").is_err());
        assert!(check_phone("12+3456789").is_err());
    }

    /// Every problem a value can have is said in plain Vietnamese too: the editor shows it at the
    /// field to volunteers who never see the file, so no YAML (no `field: value`, no backticks).
    #[test]
    fn every_value_problem_has_plain_vietnamese() {
        let dir = tempfile::tempdir().unwrap();
        let homestay = "---\ntitle: \" \"\nphone: gọi tôi\nzalo: zalo.com/abc\ndate: 01/07/2024\nbooking_url: booking.com/x\nlocation: { lat: 48.85, lon: 2.35 }\ntags: [\" \"]\nimages: [a.jpg]\nranking: national\n---\n";
        let relic = "---\ntitle: Đền\ncode: hvt\nrecognized: 1200\nplaque_size: a3\nprice_from: 1\nlocation: { lat: 200, lon: 300 }\nimages: [../x.jpg, b.jpg]\n---\n";
        let mut seen = 0;
        for (text, section, bundle) in [
            (homestay, "homestays", None),
            (relic, "relics", Some(PathBuf::from("content/relics/den"))),
        ] {
            let rel = Path::new("content/x/a.md");
            let diags =
                super::super::check_entry_text(dir.path(), text, rel, section, "a", bundle, vec![]);
            assert!(diags.len() >= 6, "{diags:?}");
            for d in diags {
                seen += 1;
                let vi =
                    d.vi.as_deref()
                        .unwrap_or_else(|| panic!("no Vietnamese for: {d}"));
                assert!(
                    !vi.contains('`') && !vi.contains(" lat ") && !vi.contains(": \""),
                    "{vi}"
                );
            }
        }
        assert!(seen >= 14, "{seen}");
    }

    #[test]
    fn dates_and_paths() {
        assert!(crate::days::is_day("2024-07-01"));
        assert!(!crate::days::is_day("2024-13-01"));
        assert!(!crate::days::is_day("01/07/2024"));
        assert!(is_inside("photo.jpg"));
        assert!(!is_inside("../../etc/passwd"));
        assert!(!is_inside("/etc/passwd"));
    }
}
