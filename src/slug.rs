//! URL slugs. Vietnamese is folded to ASCII (Đ/đ to d, diacritics dropped) so that links survive
//! being typed on any keyboard and pasted into any chat app.

/// "Khu lưu niệm Hoàng Văn Thụ" -> "khu-luu-niem-hoang-van-thu".
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A slug no longer than `max` bytes, cut after a whole word: a list's "name" can be a whole
/// sentence, and a folder name (and an address) should stay readable and well under the file
/// system's 255 bytes.
pub fn shortened(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    match slug[..=max].rfind('-') {
        Some(i) if i > 0 => &slug[..i],
        // One very long word: cut inside it (slugs are ASCII).
        _ => &slug[..max],
    }
}

/// Folds text for matching and sorting: lower case ASCII, diacritics dropped, single spaces
/// ("  Tên  Di TÍCH " -> "ten di tich").
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    ascii.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(
            slugify("Khu lưu niệm Hoàng Văn Thụ"),
            "khu-luu-niem-hoang-van-thu"
        );
        assert_eq!(slugify("Đền Kỳ Cùng"), "den-ky-cung");
        assert_eq!(slugify("ĐỒNG ĐĂNG"), "dong-dang");
        assert_eq!(slugify("Ải Chi Lăng"), "ai-chi-lang");
        assert_eq!(slugify("  --Nhà sàn -- Bắc Sơn!  "), "nha-san-bac-son");
        assert_eq!(slugify("already-a-slug"), "already-a-slug");
    }

    #[test]
    fn long_slugs_are_cut_after_a_word() {
        let s = slugify("Di tích lịch sử địa điểm chiến thắng Chi Lăng nơi diễn ra các trận đánh lớn chống quân xâm lược phương Bắc");
        let short = shortened(&s, 60);
        assert!(short.len() <= 60 && s.starts_with(short), "{short}");
        assert!(s[short.len()..].starts_with('-'), "cut at a word: {short}");
        assert_eq!(shortened("den-ky-cung", 60), "den-ky-cung");
        assert_eq!(shortened(&"a".repeat(80), 60).len(), 60);
    }

    #[test]
    fn fold_drops_marks() {
        assert_eq!(fold("Chi Lăng"), "chi lang");
    }
}
