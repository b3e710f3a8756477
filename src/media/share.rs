//! Share images: what Zalo, Facebook and Messenger show when a page is shared. The cover's
//! 1200×630 crop (made when the photo was decoded, `photo::process`) with a band across its foot:
//! the entry's name and its price a night (homestays) or ranking (relics), in the page's
//! language. Text is drawn with Waymark's own fonts (Noto Sans; Noto Sans CJK SC for Chinese),
//! so Vietnamese marks and hanzi come out the same on every machine.
//!
//! The band is an SVG drawn by resvg over the crop. Its layout, which the tests draw again to
//! compare: on a 1200×630 canvas, a black band at 62% from y 460 to the foot; the name in Noto
//! Sans Bold (Noto Sans CJK SC for Chinese) 56 px at x 48, baseline 532, made smaller (to 40 px)
//! and then cut with "…" to fit 1104 px; the line in Noto Sans 34 px, #ffd98a, baseline 590.

use crate::content::front_matter::Ranking;
use crate::site::{Entry, Kind, Site};
use std::sync::{Arc, OnceLock};

pub const WIDTH: f64 = 1200.0;
pub const HEIGHT: f64 = 630.0;
/// Bumped when the same band would be drawn differently: part of every cached image's key.
pub const VERSION: u32 = 1;
const SIZES: [f64; 3] = [56.0, 48.0, 40.0];
const ROOM: f64 = WIDTH - 96.0;

/// What a share image's band says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Band {
    pub lang: String,
    pub title: String,
    pub line: Option<String>,
}

/// The band of entry `e` in `lang`: its name there (else the default language's) and its
/// price, or its ranking.
pub fn band(site: &Site, e: &Entry, lang: &str) -> Band {
    let m = &e.matter;
    let text = e.text(lang, site.default_language());
    let per_person = m.price_per.as_deref() == Some("person");
    let line = match (e.kind, m.price_from, m.ranking) {
        (Kind::Homestay, Some(p), _) => Some(price_line(p, per_person, lang)),
        (_, _, Some(r)) => Some(ranking_line(r, lang).to_string()),
        _ => None,
    };
    Band {
        lang: if e.texts.contains_key(lang) {
            lang
        } else {
            site.default_language()
        }
        .to_string(),
        title: text.title.clone(),
        line,
    }
}

fn price_line(price: u64, per_person: bool, lang: &str) -> String {
    let p = crate::vocab::format_vnd(price, lang);
    match (lang, per_person) {
        ("vi", false) => format!("Từ {p} / phòng / đêm"),
        ("vi", true) => format!("Từ {p} / người / đêm"),
        ("zh", false) => format!("每间每晚 {p} 起"),
        ("zh", true) => format!("每人每晚 {p} 起"),
        (_, false) => format!("From {p} a room a night"),
        (_, true) => format!("From {p} a person a night"),
    }
}

fn ranking_line(r: Ranking, lang: &str) -> &'static str {
    match (lang, r) {
        ("vi", Ranking::SpecialNational) => "Di tích quốc gia đặc biệt",
        ("vi", Ranking::National) => "Di tích quốc gia",
        ("vi", Ranking::Provincial) => "Di tích cấp tỉnh",
        ("zh", Ranking::SpecialNational) => "国家特级遗迹",
        ("zh", Ranking::National) => "国家级遗迹",
        ("zh", Ranking::Provincial) => "省级遗迹",
        (_, Ranking::SpecialNational) => "Special national relic",
        (_, Ranking::National) => "National relic",
        (_, Ranking::Provincial) => "Provincial relic",
    }
}

/// The font family a band's text is set in: Chinese in the CJK font, the rest in Noto Sans
/// (each falls back to the other for the characters it lacks).
pub fn family(lang: &str) -> &'static str {
    if lang == "zh" {
        "Noto Sans CJK SC, Noto Sans"
    } else {
        "Noto Sans"
    }
}

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for font in [
            crate::theme::FONT_REGULAR,
            crate::theme::FONT_BOLD,
            crate::theme::FONT_CJK_BOLD,
        ] {
            db.load_font_data(font.to_vec());
        }
        usvg::Options {
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        }
    })
}

/// Characters of `text` that none of the fonts has (they would be drawn as nothing).
pub fn missing(text: &str) -> Vec<char> {
    static FACES: OnceLock<Vec<ttf_parser::Face<'static>>> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        [
            crate::theme::FONT_REGULAR,
            crate::theme::FONT_BOLD,
            crate::theme::FONT_CJK_BOLD,
        ]
        .iter()
        .filter_map(|f| ttf_parser::Face::parse(f, 0).ok())
        .collect()
    });
    let mut out: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .filter(|c| faces.iter().all(|f| f.glyph_index(*c).is_none()))
        .collect();
    out.dedup();
    out
}

fn title_svg(title: &str, size: f64, lang: &str) -> String {
    format!(
        r##"<text x="48" y="532" font-family="{}" font-weight="bold" font-size="{size}" fill="#ffffff">{}</text>"##,
        family(lang),
        crate::theme::escape_html(title)
    )
}

/// The width the title takes at `size`, as resvg lays it out.
fn title_width(title: &str, size: f64, lang: &str) -> Option<f64> {
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}">{}</svg>"#,
        title_svg(title, size, lang)
    );
    let tree = usvg::Tree::from_str(&svg, options()).ok()?;
    Some(f64::from(tree.root().abs_bounding_box().width()))
}

/// The title as it fits the band: the largest size that holds it whole, else the smallest
/// with as many characters as fit and "…".
pub fn fit_title(title: &str, lang: &str) -> (String, f64) {
    for size in SIZES {
        if title_width(title, size, lang).is_some_and(|w| w <= ROOM) {
            return (title.to_string(), size);
        }
    }
    let size = SIZES[SIZES.len() - 1];
    let chars: Vec<char> = title.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let cut: String = chars[..mid]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
        if title_width(&cut, size, lang).is_some_and(|w| w <= ROOM) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let cut: String = chars[..lo]
        .iter()
        .collect::<String>()
        .trim_end()
        .to_string();
    (cut + "…", size)
}

/// The band alone as SVG, on a 1200×630 canvas (transparent above it), shown at `w`×`h`.
pub fn band_svg(band: &Band, w: u32, h: u32) -> String {
    let (title, size) = fit_title(&band.title, &band.lang);
    let line = band.line.as_deref().map_or(String::new(), |l| {
        format!(
            r##"<text x="48" y="590" font-family="{}" font-size="34" fill="#ffd98a">{}</text>"##,
            family(&band.lang),
            crate::theme::escape_html(l)
        )
    });
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {WIDTH} {HEIGHT}"><rect y="460" width="{WIDTH}" height="170" fill="#000000" fill-opacity="0.62"/>{}{line}</svg>"##,
        title_svg(&title, size, &band.lang)
    )
}

/// The share image: the crop (`rgb`, `w`×`h`) with the band drawn over it, as JPEG.
pub fn draw(rgb: &[u8], w: u32, h: u32, band: &Band, quality: u8) -> Result<Vec<u8>, String> {
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).ok_or("an empty crop")?;
    if rgb.len() != (w * h * 3) as usize {
        return Err("the crop has an unexpected size".into());
    }
    for (px, src) in pixmap
        .data_mut()
        .chunks_exact_mut(4)
        .zip(rgb.chunks_exact(3))
    {
        px[..3].copy_from_slice(src);
        px[3] = 255;
    }
    let tree = usvg::Tree::from_str(&band_svg(band, w, h), options())
        .map_err(|e| format!("the band cannot be drawn: {e}"))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    // Opaque all over, so the premultiplied pixels are the colours themselves.
    let out: Vec<u8> = (pixmap.data().chunks_exact(4))
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    super::photo::encode_jpeg(&out, w, h, quality).map_err(|_| "JPEG encoding failed".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_and_chinese_names_have_their_glyphs() {
        assert!(missing("Homestay Nà Riềng · Bắc Sơn").is_empty());
        assert!(missing("那兰民宿，北山").is_empty());
        assert_eq!(missing("a\u{10FFFD}"), vec!['\u{10FFFD}']);
    }

    #[test]
    fn long_names_are_made_smaller_then_cut() {
        let (t, size) = fit_title("Nà Riềng", "vi");
        assert_eq!((t.as_str(), size), ("Nà Riềng", 56.0));
        let long = "Nhà sàn ".repeat(12);
        let (t, size) = fit_title(&long, "vi");
        assert_eq!(size, 40.0);
        assert!(t.ends_with('…') && t.chars().count() < long.chars().count());
        assert!(title_width(&t, size, "vi").unwrap() <= ROOM);
    }
}
