//! Checks of what a homestay shows guests and where it is found online: `links`, the guest facts
//! (rooms, amenities, languages, times, seasons, the price's unit and age) and `specialties`.
//! Each problem is said at its own line, with the fix.

use super::front_matter::FrontMatter;
use super::links::{self, Problem};
use super::RawEntry;
use crate::error::{suggest, Diagnostic, Severity};
use crate::vocab::{AMENITIES, PRICE_PER, SPOKEN};

/// A price older than this is a warning: guests arrive expecting it.
const PRICE_STALE_DAYS: i64 = 365;

/// The largest count a field takes (the editor's number box stops there too).
pub fn most(field: &str) -> u32 {
    match field {
        "rooms" => 200,
        _ => 1000,
    }
}

pub fn check(e: &RawEntry, out: &mut Vec<Diagnostic>) {
    let m: &FrontMatter = &e.matter;
    // The line of `needle` in the list under `key` (the key's own line if not found).
    let at = |key: &str, needle: &str, msg: String| {
        let line = crate::yaml::item_line(&e.yaml, e.yaml_line, key, needle);
        let mut d = Diagnostic::error(&e.file, msg).at(line, None);
        d.source_line = e
            .yaml
            .lines()
            .nth(line.saturating_sub(e.yaml_line))
            .map(str::to_string);
        d
    };
    for l in &m.links {
        let url = l.url();
        match links::parse(url) {
            Ok(u) => {
                if links::recognise(&u).is_none() && l.label().is_none() {
                    out.push(
                        at("links", url, format!("link `{url}` needs a label: Waymark does not know this site"))
                            .hint(format!("write it as `- {{ url: \"{url}\", label: \"Cửa hàng của nhà\" }}`: the label is the button's text"))
                            .vi("đường dẫn này cần một nhãn (chữ trên nút), vì đây không phải trang quen thuộc như Facebook, Zalo, Booking"),
                    );
                }
            }
            Err(p) => out.push(link_problem(
                at("links", url, String::new()),
                "links",
                url,
                &p,
            )),
        }
    }
    let count = |key: &str, n: Option<u32>, max: u32| match n {
        Some(n) if n == 0 || n > max => Some(
            at(key, key, format!("`{key}: {n}` is not a plausible number"))
                .hint(format!(
                    "write a whole number from 1 to {max}, e.g. `{key}: 4`"
                ))
                .vi(format!("số {n} không hợp lý: ghi một số từ 1 đến {max}")),
        ),
        _ => None,
    };
    out.extend(count("rooms", m.rooms, most("rooms")));
    out.extend(count("guests", m.guests, most("guests")));
    for (key, list, known) in [
        ("amenities", &m.amenities, AMENITIES),
        ("languages", &m.languages, SPOKEN),
    ] {
        for item in list {
            if known.contains(&item.as_str()) {
                continue;
            }
            let close = suggest(item, known);
            out.push(
                at(
                    key,
                    item,
                    format!("`{item}` is not one of the {key} Waymark knows"),
                )
                .hint(match close {
                    Some(k) => format!("did you mean `{k}`? Known: {}", known.join(", ")),
                    None => format!("use one of: {}", known.join(", ")),
                })
                .vi(format!(
                    "“{item}” không có trong danh sách; chọn trong: {}",
                    known.join(", ")
                )),
            );
        }
    }
    for key in ["check_in", "check_out"] {
        let v = if key == "check_in" {
            &m.check_in
        } else {
            &m.check_out
        };
        if let Some(t) = v {
            if jiff::civil::Time::strptime("%H:%M", t.trim()).is_err() {
                out.push(
                    at(key, key, format!("`{key}: {t}` is not a time of day"))
                        .hint(format!(
                            "write hours and minutes, 24-hour clock, in quotes: `{key}: \"14:00\"`"
                        ))
                        .vi(format!(
                            "“{t}” không phải giờ: ghi giờ:phút theo 24 giờ, ví dụ 14:00"
                        )),
                );
            }
        }
    }
    if let Some(p) = &m.price_per {
        if !PRICE_PER.contains(&p.as_str()) {
            out.push(
                at("price_per", "price_per", format!("`price_per: {p}` is not room or person"))
                    .hint("write `price_per: room` (a room a night) or `price_per: person` (a guest a night)")
                    .vi("giá tính theo phòng (room) hoặc theo người (person)"),
            );
        }
    }
    for c in &m.closed {
        if closed_days(c).is_err() {
            out.push(
                at("closed", c, format!("`{c}` in `closed` looks like days but is not"))
                    .hint("write a day `2026-02-14`, days `2026-02-14..2026-02-20` (the first before the last), or words such as \"Tết Nguyên đán\"")
                    .vi(format!("“{c}” không phải ngày: ghi năm-tháng-ngày, hoặc hai ngày nối bằng .. (ngày đầu trước), hoặc ghi bằng chữ")),
            );
        }
    }
    // A price under a thousand đồng is a price written short (250 for 250.000đ) or a 0 for
    // "not known": the page would show it as it is.
    if let Some(p) = m.price_from.filter(|p| *p < 1000) {
        let (en, vi) = match p {
            0 => (
                "`price_from: 0` shows as a price of 0 đ on the page".to_string(),
                "giá 0 đ sẽ hiện đúng như vậy trên trang: chưa biết giá thì để trống".to_string(),
            ),
            _ => (
                format!("`price_from: {p}` is {p} đồng, not {p} thousand"),
                format!("giá {p} là {p} đồng, không phải {p} nghìn: ghi đủ, ví dụ {p}000"),
            ),
        };
        let mut d = at("price_from", "price_from", en)
            .hint(match p {
                0 => "leave `price_from` out until the host says the price".to_string(),
                _ => format!("write the whole price, e.g. `price_from: {p}000` ({p}.000đ)"),
            })
            .vi(vi);
        d.severity = Severity::Warning;
        out.push(d);
    }
    if let Some(day) = &m.price_updated {
        match crate::days::day_number(day) {
            None => out.push(
                at("price_updated", "price_updated", format!("price_updated `{day}` is not a date"))
                    .hint("write the day the price was checked as YYYY-MM-DD, e.g. `price_updated: 2026-03-01`")
                    .vi(format!("“{day}” không phải ngày: ghi năm-tháng-ngày, ví dụ 2026-03-01")),
            ),
            Some(n) => {
                let today = crate::days::day_number(&crate::days::today()).unwrap_or(n);
                if today - n > PRICE_STALE_DAYS {
                    let mut d = at(
                        "price_updated",
                        "price_updated",
                        format!("the price was last checked on {day}, more than a year ago"),
                    )
                    .hint("ask the host for today's price, then set `price_from` and `price_updated` to today")
                    .vi("giá đã hơn một năm chưa được kiểm tra: hỏi lại chủ nhà rồi sửa giá và ngày cập nhật");
                    d.severity = Severity::Warning;
                    out.push(d);
                }
            }
        }
    }
    for p in &m.specialties {
        if p.name.trim().is_empty() {
            out.push(
                at(
                    "specialties",
                    "name",
                    "a specialty has an empty name".into(),
                )
                .hint("give each specialty a `name`, e.g. `- { name: Hồng Bảo Lâm, price: 60000 }`")
                .vi("có một đặc sản chưa có tên"),
            );
        }
        if let Some(url) = &p.url {
            if let Err(why) = links::parse(url) {
                out.push(link_problem(
                    at("specialties", url, String::new()),
                    "specialties",
                    url,
                    &why,
                ));
            }
        }
        if let Some(photo) = &p.photo {
            let here = e.bundle.is_some()
                && super::validate_path_inside(photo)
                && e.assets.iter().any(|a| a == photo);
            if !here {
                out.push(
                    at("specialties", photo, format!("the specialty photo `{photo}` is not in the entry's folder"))
                        .hint("put the photo in the entry's own folder (content/homestays/<name>/) and write just its file name")
                        .vi(format!("không thấy ảnh “{photo}” trong thư mục của mục này: chép ảnh vào đó và chỉ ghi tên tệp")),
                );
            }
        }
    }
}

/// A `closed` item that looks like days and is not (`2026-02-30`, the last before the first).
#[derive(Debug, PartialEq, Eq)]
pub struct NotDays;

/// The days a `closed` item names: None for words ("Tết"), an error for days written wrong.
pub fn closed_days(item: &str) -> Result<Option<(String, String)>, NotDays> {
    let t = item.trim();
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok(None);
    }
    let (from, to) = t.split_once("..").unwrap_or((t, t));
    let (from, to) = (from.trim(), to.trim());
    match (crate::days::day_number(from), crate::days::day_number(to)) {
        (Some(a), Some(b)) if a <= b => Ok(Some((from.to_string(), to.to_string()))),
        _ => Err(NotDays),
    }
}

/// A refused address, said with the fix: the https form, or what a link may be.
fn link_problem(d: Diagnostic, key: &str, url: &str, p: &Problem) -> Diagnostic {
    let mut d = d;
    match p {
        Problem::Http(fixed) => {
            d.message = format!(
                "`{url}` is not secure (http://); Waymark links only to https:// addresses"
            );
            d.hint(format!("write `{fixed}`")).vi(format!(
                "đường dẫn phải bắt đầu bằng https://: sửa thành {fixed}"
            ))
        }
        Problem::NoScheme(fixed) => {
            d.message = format!("`{url}` in `{key}` is not a full address");
            d.hint(format!("write `{fixed}`"))
                .vi(format!("đường dẫn chưa đầy đủ: sửa thành {fixed}"))
        }
        Problem::Scheme(scheme) => {
            d.message = format!(
                "`{url}` is a `{scheme}:` address; only https:// web addresses can be links"
            );
            d.hint("write the page's address starting with https://, as the browser shows it")
                .vi("chỉ nhận địa chỉ trang web bắt đầu bằng https://")
        }
        Problem::Credentials => {
            d.message = format!("`{url}` holds a user name or password");
            d.hint("remove the `name:password@` part: it would be published")
                .vi("đường dẫn có tên đăng nhập hoặc mật khẩu: xoá phần đó đi")
        }
        Problem::NotAnAddress => {
            d.message = format!("`{url}` in `{key}` is not a web address");
            d.hint("copy the address from the browser's address bar, starting with https://")
                .vi("không phải địa chỉ trang web: chép địa chỉ từ thanh địa chỉ của trình duyệt, bắt đầu bằng https://")
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn closed_days_and_words() {
        use super::closed_days;
        assert_eq!(closed_days("Tết Nguyên đán"), Ok(None));
        assert_eq!(
            closed_days("2026-02-14..2026-02-20"),
            Ok(Some(("2026-02-14".into(), "2026-02-20".into())))
        );
        assert!(closed_days("2026-02-20..2026-02-14").is_err());
        assert!(closed_days("2026-02-30").is_err());
    }
}
