//! Where everything goes on a plaque, in millimetres: text wrapped with the shipped font's own
//! metrics, and a QR symbol as large as the scan distance asks for (width ≥ distance / 10).

pub use crate::qr::path;
pub use crate::vocab::Size;
use serde::Serialize;

/// Measures text with a font's advance widths.
pub struct Metrics<'a> {
    regular: ttf_parser::Face<'a>,
    bold: ttf_parser::Face<'a>,
}

impl<'a> Metrics<'a> {
    pub fn new(regular: &'a [u8], bold: &'a [u8]) -> Option<Self> {
        Some(Metrics {
            regular: ttf_parser::Face::parse(regular, 0).ok()?,
            bold: ttf_parser::Face::parse(bold, 0).ok()?,
        })
    }

    /// Width in the same unit as `size`.
    pub fn width(&self, text: &str, size: f64, bold: bool) -> f64 {
        let face = if bold { &self.bold } else { &self.regular };
        let upem = f64::from(face.units_per_em());
        text.chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(0.6 * upem, f64::from)
            })
            .sum::<f64>()
            * size
            / upem
    }

    /// Break `text` into lines no wider than `max`; a word longer than a line is cut.
    pub fn wrap(&self, text: &str, size: f64, bold: bool, max: f64) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size, bold) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A single word wider than the line: cut it where it fills the line.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if self.width(&piece, size, bold) > max && piece.chars().count() > 1 {
                    let last = piece.pop().expect("a char");
                    lines.push(std::mem::take(&mut piece));
                    piece.push(last);
                }
            }
            line = piece;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

#[derive(Debug, Serialize)]
pub struct Line {
    pub text: String,
    pub y: f64,
}

#[derive(Debug, Serialize)]
pub struct QrBox {
    pub x: f64,
    pub y: f64,
    /// mm per module.
    pub module: f64,
    /// Side in modules, quiet zone included.
    pub side: usize,
    /// The dark modules as one path, in module units.
    pub path: String,
}

/// Everything `plaque.svg` needs, positions in mm.
#[derive(Debug, Serialize)]
pub struct Layout {
    pub w: f64,
    pub h: f64,
    pub frame: f64,
    pub site_title: String,
    pub site_y: f64,
    pub site_size: f64,
    pub title: Vec<Line>,
    pub title_size: f64,
    pub title_en: Vec<Line>,
    pub en_size: f64,
    /// The entry's summary under the title (`plaque: { summary: true }`), where there is room.
    pub summary: Vec<Line>,
    pub summary_size: f64,
    pub qr: QrBox,
    pub cta: String,
    pub cta_y: f64,
    pub cta_size: f64,
    pub link: String,
    pub link_y: f64,
    pub link_size: f64,
    pub code: String,
    pub code_y: f64,
    pub code_size: f64,
    /// The QR symbol's printed width in mm.
    pub qr_mm: f64,
    /// How far it scans in the field (`field_reach_m`), in metres.
    pub reach_m: f64,
    /// The type's share of its usual size (smaller to give the symbol room).
    pub type_scale: f64,
    /// What the layout could not honour (too small a symbol, a module under 0.5 mm).
    pub warnings: Vec<String>,
    /// The site's logo in the middle of the symbol, when there is one.
    pub logo: Option<LogoBox>,
}

/// Everything `kit-card.svg` needs of one homestay card, positions in mm.
#[derive(Debug, Serialize)]
pub struct Card {
    pub w: f64,
    pub h: f64,
    pub place: String,
    pub heading_vi: String,
    pub heading_en: String,
    pub qr: QrBox,
    pub details: Vec<Line>,
}

/// A logo drawn over the centre of the QR symbol, on a white square.
#[derive(Debug, Serialize)]
pub struct LogoBox {
    pub x: f64,
    pub y: f64,
    pub side: f64,
    pub pad: f64,
    pub view_box: String,
    pub content: String,
}

/// Share of the symbol's area a logo may cover: under error correction H all decoders read
/// through 20%, and fail at 22% (DESIGN.md section 5); 15% leaves room for wear.
pub const LOGO_AREA: f64 = 0.15;

pub struct Texts<'t> {
    pub site_title: &'t str,
    pub title: &'t str,
    pub title_en: Option<&'t str>,
    /// Summaries to print under the title, in order (Vietnamese, then English), if room allows.
    pub summaries: Vec<&'t str>,
    pub cta: &'t str,
    pub link: &'t str,
    pub code: &'t str,
}

/// The logo's square over the middle of the symbol (`width` modules wide, in `qr`), covering
/// `LOGO_AREA` of it with a half-module white border.
pub fn logo_box(qr: &QrBox, width: usize, view_box: &str, content: &str) -> LogoBox {
    let symbol_mm = qr.module * width as f64;
    let side = symbol_mm * LOGO_AREA.sqrt();
    let centre = (
        qr.x + qr.module * qr.side as f64 / 2.0,
        qr.y + qr.module * qr.side as f64 / 2.0,
    );
    let pad = qr.module * 0.5;
    LogoBox {
        x: centre.0 - side / 2.0 + pad,
        y: centre.1 - side / 2.0 + pad,
        side: side - 2.0 * pad,
        pad,
        view_box: view_box.to_string(),
        content: content.to_string(),
    }
}

/// Smallest module an office inkjet prints reliably, in mm.
pub const MIN_MODULE_MM: f64 = 0.5;

/// How far a symbol decodes under the field condition (30° tilt, half light, 1 px of blur,
/// JPEG 60 on a 1280×720 preview), in metres per millimetre of module: measured by
/// `cargo bench --bench scan` (BENCHMARKS.md), where ZXing and zbar read a 2.74 mm module (the
/// A6 plaque) from 1.00 m.
pub const REACH_M_PER_MODULE_MM: f64 = 0.365;

/// Reach is measured in 5 cm steps: an estimate within half a step of a distance reaches it.
pub const REACH_TOLERANCE_M: f64 = 0.025;

/// The distance a symbol of `module` mm decodes from in the field, by the measured rule above.
pub fn field_reach_m(module: f64) -> f64 {
    module * REACH_M_PER_MODULE_MM
}

/// Type never shrinks below this share of its usual size to make room for the symbol.
const SMALLEST_TYPE: f64 = 0.6;

/// The text above the symbol at one type scale, and the height of the text below it.
struct Stack {
    scale: f64,
    site_size: f64,
    site_y: f64,
    title: Vec<Line>,
    title_size: f64,
    title_en: Vec<Line>,
    en_size: f64,
    cta_size: f64,
    link_size: f64,
    code_size: f64,
    /// Where the text above the symbol ends.
    top: f64,
    /// The height of the text below the symbol.
    below: f64,
}

pub fn layout(
    size: Size,
    distance_m: f64,
    m: &Metrics,
    t: &Texts,
    modules: &[bool],
    width: usize,
) -> Layout {
    let (w, h) = size.dims();
    let unit = w.min(h);
    // A thin frame at the card's edge: the symbol's quiet zone may reach almost to it.
    let frame = unit * 0.012;
    let inset = frame + 0.6;
    let text_w = w - 2.0 * unit * 0.06;
    let side = width + 2 * crate::qr::QUIET_ZONE;
    // The symbol with its quiet zone spans at most the card inside the frame.
    let across = w - 2.0 * inset;
    let wanted_module = distance_m / REACH_M_PER_MODULE_MM;
    let wanted_box = (wanted_module * side as f64).min(across);

    let stack = |scale: f64, warnings: &mut Vec<String>| {
        // Small type shrinks less than the title: it must stay legible at arm's length.
        let small = scale.max(0.75);
        let site_size = unit * 0.045 * small;
        let site_y = inset + site_size;
        let mut y = site_y + site_size * 0.5;
        // The title shrinks until it fits in three lines.
        let mut title_size = unit * 0.075 * scale;
        let mut lines = m.wrap(t.title, title_size, true, text_w);
        while lines.len() > 3 && title_size > unit * 0.05 * scale {
            title_size *= 0.9;
            lines = m.wrap(t.title, title_size, true, text_w);
        }
        if lines.len() > 3 {
            // The QR code must keep its room: a title that still does not fit is cut, and said so.
            lines.truncate(3);
            let last = &mut lines[2];
            while !last.is_empty() && m.width(&format!("{last}…"), title_size, true) > text_w {
                last.pop();
            }
            last.push('…');
            warnings.push(
                "the title is too long for the plaque and was shortened; set a shorter one for print"
                    .to_string(),
            );
        }
        let title: Vec<Line> = lines
            .into_iter()
            .map(|text| {
                y += title_size * 1.15;
                Line { text, y }
            })
            .collect();
        let en_size = unit * 0.048 * small;
        let title_en: Vec<Line> = t
            .title_en
            .map(|en| m.wrap(en, en_size, false, text_w))
            .unwrap_or_default()
            .into_iter()
            .take(2)
            .map(|text| {
                y += en_size * 1.2;
                Line { text, y }
            })
            .collect();
        let (cta_size, link_size) = (unit * 0.04 * small, unit * 0.036 * small);
        let code_size = unit * 0.075 * scale;
        let below = cta_size * 1.2 + link_size * 1.4 + code_size * 1.35;
        Stack {
            scale,
            site_size,
            site_y,
            title,
            title_size,
            title_en,
            en_size,
            cta_size,
            link_size,
            code_size,
            top: y + title_size * 0.3,
            below,
        }
    };
    // The symbol box (quiet zone included) that fits between `top` and the text below.
    let box_for = |top: f64, below: f64| (h - inset - below - top).min(across).max(10.0);
    // Type shrinks (down to SMALLEST_TYPE) while the symbol is short of the width its scan
    // distance needs: the symbol is what makes a plaque scan from the road.
    let mut warnings = Vec::new();
    let mut st = stack(1.0, &mut warnings);
    while box_for(st.top, st.below) + 0.01 < wanted_box && st.scale > SMALLEST_TYPE {
        let mut again = Vec::new();
        st = stack((st.scale * 0.92).max(SMALLEST_TYPE), &mut again);
        warnings = again;
    }
    let mut y = st.top;

    // The summary takes only the room the symbol can spare: as many lines as keep it at the
    // width its scan distance needs.
    let summary_size = unit * 0.036 * st.scale.max(0.75);
    let step = summary_size * 1.3;
    let mut candidates: Vec<(String, bool)> = Vec::new();
    for text in &t.summaries {
        let lines = m.wrap(text, summary_size, false, text_w);
        let n = lines.len();
        candidates.extend(lines.into_iter().enumerate().map(|(i, l)| (l, i + 1 == n)));
    }
    let mut keep = candidates.len();
    while keep > 0 && box_for(y + keep as f64 * step + step * 0.3, st.below) + 0.01 < wanted_box {
        keep -= 1;
    }
    let summary: Vec<Line> = candidates
        .into_iter()
        .take(keep)
        .enumerate()
        .map(|(i, (mut text, ends))| {
            if i + 1 == keep && !ends {
                // Cut inside a sentence: say so.
                while !text.is_empty() && m.width(&format!("{text}…"), summary_size, false) > text_w
                {
                    text.pop();
                }
                text.push('…');
            }
            y += step;
            Line { text, y }
        })
        .collect();
    if keep > 0 {
        y += step * 0.3;
    } else if !t.summaries.is_empty() {
        warnings.push(format!(
            "the summary has no room beside a symbol that scans from {distance_m} m; set a shorter `plaque: {{ scan_distance_m }}` or a larger size to print it"
        ));
    }
    let qr_total = box_for(y, st.below);
    let module = qr_total / side as f64;
    let symbol_mm = module * width as f64;
    // Room the symbol cannot use (it spans the card already) goes evenly above and below it.
    let spare = (h - inset - st.below - y - qr_total).max(0.0) / 2.0;
    y += spare;
    if module < MIN_MODULE_MM {
        warnings.push(format!(
            "a QR module prints {module:.2} mm wide, under the {MIN_MODULE_MM} mm an office printer makes reliably; use a shorter base_url or code, or a larger size"
        ));
    }
    let qr = QrBox {
        x: (w - qr_total) / 2.0,
        y,
        module,
        side,
        path: path(modules, width),
    };
    y += qr_total + spare + st.cta_size * 0.9;
    let cta_y = y;
    y += st.link_size * 1.4;
    let link_y = y;
    y += st.code_size * 1.2;
    let code_y = y;
    Layout {
        w,
        h,
        frame,
        site_title: t.site_title.to_string(),
        site_y: st.site_y,
        site_size: st.site_size,
        title: st.title,
        title_size: st.title_size,
        title_en: st.title_en,
        en_size: st.en_size,
        summary,
        summary_size,
        qr,
        cta: t.cta.to_string(),
        cta_y,
        cta_size: st.cta_size,
        link: t.link.to_string(),
        link_y,
        link_size: st.link_size,
        code: t.code.to_string(),
        code_y,
        code_size: st.code_size,
        qr_mm: symbol_mm,
        reach_m: field_reach_m(module),
        type_scale: st.scale,
        warnings,
        logo: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_path_is_one_rectangle_per_run() {
        // Rows: dark dark light dark / all light / all dark / all light.
        let m = [
            true, true, false, true, false, false, false, false, true, true, true, true, false,
            false, false, false,
        ];
        let q = crate::qr::QUIET_ZONE;
        let path = path(&m, 4);
        let want = format!(
            "M{} {}h2v1h-2zM{} {}h1v1h-1zM{} {}h4v1h-4z",
            q,
            q,
            q + 3,
            q,
            q,
            q + 2
        );
        assert_eq!(path, want);
    }

    fn metrics() -> Metrics<'static> {
        Metrics::new(super::super::FONT_REGULAR, super::super::FONT_BOLD).unwrap()
    }

    #[test]
    fn wraps_vietnamese_titles_within_the_width() {
        let m = metrics();
        let lines = m.wrap(
            "Khu lưu niệm đồng chí Hoàng Văn Thụ và di tích lịch sử Văn Lãng",
            8.0,
            true,
            80.0,
        );
        assert!(lines.len() >= 2, "{lines:?}");
        for l in &lines {
            assert!(m.width(l, 8.0, true) <= 80.0, "{l}");
        }
        assert_eq!(
            lines.join(" "),
            "Khu lưu niệm đồng chí Hoàng Văn Thụ và di tích lịch sử Văn Lãng"
        );
    }

    fn hvt() -> Texts<'static> {
        Texts {
            site_title: "Di sản Lạng Sơn",
            title: "Khu lưu niệm Hoàng Văn Thụ",
            title_en: Some("Hoàng Văn Thụ Memorial Site"),
            summaries: Vec::new(),
            cta: "Quét mã để xem thông tin · Scan for information",
            link: "langson.example/q/HVT/",
            code: "HVT",
        }
    }

    #[test]
    fn at_its_own_distance_the_symbol_spans_the_card_and_the_text_still_fits() {
        let m = metrics();
        let modules = vec![true; 29 * 29];
        for size in Size::ALL {
            let l = layout(size, size.scan_distance_m(), &m, &hvt(), &modules, 29);
            let (w, h) = size.dims();
            let total = l.qr.module * l.qr.side as f64;
            // The quiet zone reaches the frame on both sides; on the square sticker, the text
            // above and below it instead.
            assert!((l.qr.x * 2.0 + total - w).abs() < 1e-6);
            if size == Size::Sticker {
                let below = l.code_y + l.code_size * 0.15;
                assert!(below > h - l.frame - 2.0, "{size:?}: {below}");
            } else {
                assert!(
                    l.qr.x > l.frame && l.qr.x < l.frame + 1.0,
                    "{size:?}: {}",
                    l.qr.x
                );
            }
            // Title above, call to action, link and code below, all on the card.
            let last_title = l.title_en.last().unwrap_or(l.title.last().unwrap());
            assert!(last_title.y < l.qr.y, "{size:?}");
            assert!(l.cta_y > l.qr.y + total && l.link_y > l.cta_y && l.code_y > l.link_y);
            assert!(l.code_y + l.code_size * 0.3 < h - l.frame, "{size:?}");
            assert!(l.type_scale >= SMALLEST_TYPE - 1e-9, "{size:?}");
            for line in &l.title {
                assert!(m.width(&line.text, l.title_size, true) <= w * 0.88 + 1e-6);
            }
            assert!(!l.title_en.is_empty(), "nothing the plaque carries is lost");
        }
        // An A6 plaque reaches its metre: 29 modules of 2.7 mm.
        let a6 = layout(Size::A6, 1.0, &m, &hvt(), &modules, 29);
        assert!(
            a6.qr.module > 2.7 && a6.reach_m > 0.98,
            "{} {}",
            a6.qr.module,
            a6.reach_m
        );
    }

    #[test]
    fn type_shrinks_only_for_a_symbol_short_of_its_distance() {
        let m = metrics();
        let modules = vec![true; 29 * 29];
        // Read from close by, the usual type: the symbol already has what it needs.
        let near = layout(Size::A6, 0.3, &m, &hvt(), &modules, 29);
        assert_eq!(near.type_scale, 1.0);
        assert_eq!(near.title_size, 105.0 * 0.075);
        assert!(near.reach_m >= 0.3);
        // From a metre, smaller type (never under SMALLEST_TYPE) gives the symbol its room.
        let far = layout(Size::A6, 1.0, &m, &hvt(), &modules, 29);
        assert!(
            far.type_scale < 1.0 && far.qr_mm >= near.qr_mm,
            "{}",
            far.type_scale
        );
        // A sticker's square leaves less room: type at its floor, symbol as large as that allows.
        let sticker = layout(Size::Sticker, 3.0, &m, &hvt(), &modules, 29);
        assert!((sticker.type_scale - SMALLEST_TYPE).abs() < 1e-9);
        assert!(
            sticker.qr_mm > 50.0 && sticker.reach_m < 3.0,
            "{}",
            sticker.qr_mm
        );
        assert_eq!(sticker.title.len(), 1);
        assert!(!sticker.title_en.is_empty());
    }

    #[test]
    fn a_summary_takes_only_the_room_the_symbol_can_spare() {
        let m = metrics();
        let long = "Khu di tích lịch sử quốc gia đặc biệt, nơi đồng chí Hoàng Văn Thụ sinh ra và lớn lên; nhà sàn truyền thống của người Tày được dựng lại bên suối.";
        let t = Texts {
            site_title: "S",
            title: "Đền",
            title_en: None,
            summaries: vec![long, "A memorial by a stream."],
            cta: "Scan",
            link: "https://a.example/q/A/",
            code: "A",
        };
        let modules = vec![true; 29 * 29];
        for size in Size::ALL {
            let plain = layout(
                size,
                size.scan_distance_m(),
                &m,
                &Texts {
                    summaries: Vec::new(),
                    ..t
                },
                &modules,
                29,
            );
            let with = layout(size, size.scan_distance_m(), &m, &t, &modules, 29);
            // Never below what the scan distance needs (nor, where even a plaque without a
            // summary falls short, below that), never larger than without a summary.
            let needs = size.scan_distance_m() / REACH_M_PER_MODULE_MM * 29.0;
            let floor = plain.qr_mm.min(needs);
            assert!(
                with.qr_mm + 0.01 >= floor,
                "{size:?}: {} < {floor}",
                with.qr_mm
            );
            assert!(with.qr_mm <= plain.qr_mm + 1e-9);
            // A summary with no room at all is said so, and nothing else changes.
            let others: Vec<&String> = (with.warnings.iter())
                .filter(|w| !w.starts_with("the summary has no room"))
                .collect();
            assert_eq!(others, plain.warnings.iter().collect::<Vec<_>>());
            assert_eq!(with.summary.is_empty(), others.len() < with.warnings.len());
            // Lines fit the width, below the title and above the symbol.
            for l in &with.summary {
                assert!(m.width(&l.text, with.summary_size, false) <= size.dims().0 * 0.88 + 0.01);
                assert!(l.y < with.qr.y, "{size:?}");
            }
        }
        // Both summaries fit whole on an A6 plaque.
        let a6 = layout(Size::A6, 0.5, &m, &t, &modules, 29);
        assert_eq!(
            a6.summary.last().map(|l| l.text.as_str()),
            Some("A memorial by a stream.")
        );
        // A summary too long for the room is cut, and the cut line says so; a poster read from
        // as close holds more.
        let longer = [long; 6].join(" ");
        let t = Texts {
            summaries: vec![&longer],
            ..t
        };
        let a6 = layout(Size::A6, 0.5, &m, &t, &modules, 29);
        let a4 = layout(Size::A4, 0.5, &m, &t, &modules, 29);
        assert!(
            !a6.summary.is_empty() && a6.summary.len() < a4.summary.len(),
            "{} {}",
            a6.summary.len(),
            a4.summary.len()
        );
        assert!(a6.summary.last().unwrap().text.ends_with('…'));
    }
}
