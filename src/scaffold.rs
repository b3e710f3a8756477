//! `waymark new` and `waymark init`: files that volunteers start from, with every field
//! present and explained in short Vietnamese and English comments.

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::ledger::{self, Ledger, Record};
use crate::site::Kind;
use std::path::{Path, PathBuf};

/// What `waymark new` wrote.
#[derive(Debug)]
pub struct Created {
    pub files: Vec<PathBuf>,
    pub code: Option<String>,
}

/// Scaffold an entry (or, with `lang` other than the default, a translation of it).
pub fn new_entry(site: &Path, kind: Kind, title: &str, lang: Option<&str>) -> Result<Created> {
    let config = Config::load(site)?;
    let section = kind.section();
    let slug = crate::slug::slugify(title);
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "the name `{title}` has no letters or digits to make an address from"
        )));
    }
    let dir = site.join("content").join(section).join(&slug);
    let rel_dir = PathBuf::from("content").join(section).join(&slug);
    let default = config.default_language.as_str();
    let lang = lang.unwrap_or(default);
    if !config.languages.iter().any(|l| l == lang) {
        return Err(Error::Usage(format!(
            "--lang {lang} is not in site.yaml's languages [{}]",
            config.languages.join(", ")
        )));
    }
    let single = site
        .join("content")
        .join(section)
        .join(format!("{slug}.md"));
    if lang != default {
        let base = dir.join("index.md");
        if !base.is_file() {
            return Err(Error::one(
                Diagnostic::error(rel_dir.join("index.md"), "there is no entry to translate").hint(
                    format!(
                        "make the entry first: waymark new {} \"{title}\"",
                        kind_word(kind)
                    ),
                ),
            ));
        }
        let file = dir.join(format!("index.{lang}.md"));
        refuse_existing(&file, &rel_dir.join(format!("index.{lang}.md")))?;
        crate::output::write_durable(&file, translation_text(title).as_bytes())
            .map_err(|e| Error::io(&file, e))?;
        return Ok(Created {
            files: vec![rel_dir.join(format!("index.{lang}.md"))],
            code: None,
        });
    }
    refuse_existing(&dir.join("index.md"), &rel_dir.join("index.md"))?;
    refuse_existing(
        &single,
        &PathBuf::from("content")
            .join(section)
            .join(format!("{slug}.md")),
    )?;

    // Pin a fresh code now, so that two volunteers' new entries never share one.
    let mut ledger = Ledger::load(site)?;
    let taken = existing_codes(site);
    let code = ledger::derive_code(&format!("{section}/{slug}"), |c| {
        ledger.codes.contains_key(c) || taken.iter().any(|t| t == c)
    });
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let file = dir.join("index.md");
    crate::output::write_durable(&file, entry_text(kind, title, &code).as_bytes())
        .map_err(|e| Error::io(&file, e))?;
    ledger.codes.insert(
        code.clone(),
        Record {
            page: Some(format!("{section}/{slug}")),
            retired_to: None,
            printed: None,
        },
    );
    ledger.save(site)?;
    Ok(Created {
        files: vec![rel_dir.join("index.md")],
        code: Some(code),
    })
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Relic => "relic",
        Kind::Homestay => "homestay",
        Kind::Place => "place",
    }
}

fn refuse_existing(file: &Path, rel: &Path) -> Result<()> {
    if file.exists() {
        Err(Error::one(
            Diagnostic::error(rel, "this file exists already; nothing was written")
                .hint("edit it, or choose another name for the new entry"),
        ))
    } else {
        Ok(())
    }
}

/// `code:` values written in any entry, found without a full load so that a broken entry elsewhere
/// does not stop a volunteer from starting a new one.
fn existing_codes(site: &Path) -> Vec<String> {
    let mut codes = Vec::new();
    for item in walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .flatten()
    {
        if item.path().extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(item.path()) {
            for line in text.lines().take(80) {
                if let Some(v) = line.strip_prefix("code:") {
                    let v = v
                        .split('#')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .trim_matches('"')
                        .trim_matches('\'');
                    codes.push(v.to_string());
                }
            }
        }
    }
    codes
}

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

pub fn entry_text(kind: Kind, title: &str, code: &str) -> String {
    let mut s = format!(
        "---\n\
# Tên địa điểm, như trên biển · The place's name, as on the sign\n\
title: {title}\n\
# Mã in trên biển QR; đừng đổi sau khi in · Plaque code; never change it once printed\n\
code: {code}\n\
# Một hai câu giới thiệu ngắn · One or two sentences for lists and previews\n\
summary: \"\"\n\
# Toạ độ (giữ ngón tay trên bản đồ để chép) · Coordinates (long-press on a map to copy)\n\
# location: {{ lat: 21.8537, lon: 106.7610 }}\n\
# Địa chỉ · Address\n\
# address: \"\"\n\
# Xã/phường · Commune\n\
# commune: \"\"\n\
# Huyện cũ mà du khách vẫn dùng · The former district that visitors still use\n\
# district: \"\"\n\
# Ảnh trong thư mục này, ảnh đầu là ảnh bìa · Photos in this folder, the first is the cover\n\
# images: [{{ src: anh-1.jpg, alt: \"Mô tả ảnh cho người không nhìn thấy\", caption: \"Chú thích dưới ảnh\" }}]\n\
# Thuyết minh âm thanh (MP3, M4A hoặc Ogg) · Audio guide (MP3, M4A or Ogg)\n\
# audio: thuyet-minh.mp3\n\
# Chủ đề, mỗi chủ đề có trang riêng liệt kê các nơi cùng chủ đề · Topics, each with a page listing its places\n\
# tags: [lịch sử, hang động]\n\
tags: []\n\
# Ngày cập nhật (năm-tháng-ngày) · Last revised (YYYY-MM-DD)\n\
# date: 2025-01-31\n\
# true = bản nháp, chưa đăng · true = a draft, not published\n\
draft: false\n\
# Khổ biển in: a6, sticker, a4 · Plaque size, when not site.yaml's\n\
# plaque_size: a6\n\
# Trang trên mạng (https://); trang lạ cần nhãn · Links (https://); other sites need a label\n\
# links: [https://www.facebook.com/ten-trang, {{ url: \"https://...\", label: \"Cửa hàng\" }}]\n",
        title = yaml_string(title),
    );
    match kind {
        Kind::Relic => s.push_str(
            "# Xếp hạng: special-national, national hoặc provincial · Ranking\n\
# ranking: national\n\
# Năm được xếp hạng · Year of the ranking\n\
# recognized: 1994\n\
# Điện thoại ban quản lý · Site office phone\n\
# phone: \"0205 3xxx xxx\"\n\
# Số Zalo của ban quản lý · The site office's Zalo number\n\
# zalo: \"09xx xxx xxx\"\n",
        ),
        Kind::Homestay => s.push_str(
            "# Điện thoại chủ nhà · The host's phone\n\
# phone: \"09xx xxx xxx\"\n\
# Số Zalo (hoặc link zalo.me) · Zalo number (or zalo.me link)\n\
# zalo: \"09xx xxx xxx\"\n\
# Giá mỗi đêm từ (đồng) · Price a night from (VND)\n\
# price_from: 250000\n\
# Trang đặt phòng · Booking page\n\
# booking_url: https://\n\
# Giá tính theo phòng hoặc người: room, person · Price per room or per person\n\
# price_per: room\n\
# Ngày hỏi lại giá (năm-tháng-ngày) · The day the price was checked\n\
# price_updated: 2026-01-31\n\
# Số phòng, số khách tối đa · Rooms, most guests\n\
# rooms: 4\n\
# guests: 12\n\
# Giờ nhận, trả phòng · Check-in, check-out\n\
# check_in: \"14:00\"\n\
# check_out: \"11:00\"\n\
# Tiện nghi: wifi, hot-water, air-conditioning, parking, breakfast, local-meals, motorbike-hire, bicycles, trekking-guide, pickup, laundry, campfire\n\
# amenities: [wifi, hot-water, local-meals]\n\
# Chủ nhà nói tiếng: vi, en, zh, fr, tay, nung, dao... · Languages the hosts speak\n\
# languages: [vi, tay]\n\
# Ngày nghỉ: một ngày, khoảng ngày hoặc chữ · Closed: a day, days or words\n\
# closed: [\"Tết Nguyên đán\", 2026-07-01..2026-07-15]\n\
# Đặc sản nhà bán · Local specialties the house sells\n\
# specialties: [{ name: \"Hồng không hạt\", price: 60000, photo: hong.jpg, url: \"https://shopee.vn/...\" }]\n\
# Wi-Fi, chỉ in trên thẻ, không đăng lên web · Wi-Fi, printed on the card only, never published\n\
# wifi: { ssid: \"Ten-wifi\", password: \"mat-khau\" }\n\
# Tài khoản nhận chuyển khoản VietQR, chỉ in · Bank account for VietQR, printed only\n\
# bank: { bin: \"970436\", account: \"0011000000000\", name: \"TEN CHU TAI KHOAN\" }\n",
        ),
        Kind::Place => {}
    }
    s.push_str(
        "---\n\n\
Viết giới thiệu ở đây bằng Markdown: lịch sử, cách đi, lưu ý khi tham quan.\n\
Write the description here in Markdown: history, how to get there, what to know.\n",
    );
    s
}

pub fn translation_text(title: &str) -> String {
    format!(
        "---\n\
# Bản dịch chỉ có tên, giới thiệu ngắn, địa chỉ, mô tả ảnh và bài viết; các trường khác lấy từ index.md.\n\
# A translation holds only the title, summary, address, photo descriptions and text; the rest comes from index.md.\n\
title: {}\n\
summary: \"\"\n\
# address: \"\"\n\
# images: [{{ src: anh-1.jpg, alt: \"What the photo shows\", caption: \"Caption\" }}]\n\
---\n\n\
Translated text here.\n",
        yaml_string(title)
    )
}

/// Make a working site skeleton in `dir`.
pub fn init(dir: &Path, title: Option<&str>) -> Result<Vec<PathBuf>> {
    if dir.join(crate::config::FILE).exists() {
        return Err(Error::one(
            Diagnostic::error(
                dir.join(crate::config::FILE),
                "a site exists here already; nothing was written",
            )
            .hint("run `waymark build` in it, or pick a new folder for `waymark init`"),
        ));
    }
    let title = title.unwrap_or("Di sản quê em");
    let files: Vec<(&str, String)> = vec![
        (
            "site.yaml",
            format!(
                "# Tên trang · Site name\ntitle: {}\n\
# Địa chỉ sẽ đăng trang; mã QR dẫn về đây · Where the site is published; QR codes lead here\n\
base_url: https://example.org\n\
# Ngôn ngữ chính và các ngôn ngữ · Main language and all languages\n\
default_language: vi\nlanguages: [vi, en, zh]\n\
# Mức sửa lỗi của mã QR: auto, L, M, Q, H · QR error correction\nqr:\n  error_correction: auto\n\
# Số địa điểm mỗi trang danh sách (0: một trang) · Places on each list page (0: one page)\n\
paginate_by: 50\n",
                yaml_string(title)
            ),
        ),
        (
            "content/_index.md",
            format!("---\ntitle: {}\nsummary: \"\"\n---\n\nGiới thiệu trang ở đây.\n", yaml_string(title)),
        ),
        (
            "themes/default/README.md",
            "Đặt ở đây tệp nào của giao diện mặc định cần thay (templates/*.html, templates/style.css, i18n/<lang>.yaml, static/).\n\
Put here any file of the built-in theme you want to replace (templates/*.html, templates/style.css, i18n/<lang>.yaml, static/).\n"
                .to_string(),
        ),
        // Owner links hold owners' names: kept on the server, never in a shared repository.
        (
            ".gitignore",
            "/output\n/.waymark-cache\n/owner-links.yaml\n".to_string(),
        ),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(PathBuf::from(rel));
    }
    let created = new_entry(dir, Kind::Relic, "Đình làng", None)?;
    written.extend(created.files);
    written.push(PathBuf::from(ledger::FILE));
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaffold_parses_as_an_entry() {
        for kind in [Kind::Relic, Kind::Homestay] {
            let text = entry_text(kind, "Đền \"Kỳ\" Cùng", "DKC");
            let f = Path::new("content/relics/den/index.md");
            let split = crate::content::front_matter::split(&text, f).unwrap();
            let m = crate::content::front_matter::parse_entry(&split, f, &text).unwrap();
            assert_eq!(m.title, "Đền \"Kỳ\" Cùng");
            assert_eq!(m.code.as_deref(), Some("DKC"));
        }
    }
}
