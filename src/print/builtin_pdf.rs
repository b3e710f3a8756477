//! Plaques and kit cards of the built-in theme written straight into PDF (pdf-writer), without
//! drawing their SVGs: the SVG parse with its text layout, and krilla's font handling, were two
//! thirds of a plaque's cost (BENCHMARKS.md). A page draws what the default theme's `plaque.svg`
//! or `kit-card.svg` draws, from the same layout (`tests/plaques.rs` compares the two pixel by
//! pixel); a theme's own template, or a logo, goes through the SVG instead.

use super::layout::{Card, Layout, Line, QrBox};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

const PT_PER_MM: f32 = 72.0 / 25.4;

/// The inks of `plaque.svg` and `kit-card.svg`.
const GREEN: [f32; 3] = rgb(0x1d, 0x5b, 0x3a);
const BROWN: [f32; 3] = rgb(0xa0, 0x42, 0x0d);
const INK: [f32; 3] = rgb(0x11, 0x11, 0x11);
const GREY: [f32; 3] = rgb(0x33, 0x33, 0x33);
/// Their frame's stroke width and corner radius, in mm.
const FRAME_STROKE: f32 = 0.8;
const FRAME_RADIUS: f32 = 3.0;

const fn rgb(r: u8, g: u8, b: u8) -> [f32; 3] {
    [r as f32 / 255.0, g as f32 / 255.0, b as f32 / 255.0]
}

/// The shipped fonts, parsed once for a whole run.
pub struct Fonts {
    regular: Font,
    bold: Font,
}

struct Font {
    face: rustybuzz::Face<'static>,
    data: &'static [u8],
    name: &'static str,
}

impl Fonts {
    pub fn new() -> Option<Fonts> {
        let font = |data: &'static [u8], name| {
            Some(Font {
                face: rustybuzz::Face::from_slice(data, 0)?,
                data,
                name,
            })
        };
        Some(Fonts {
            regular: font(super::FONT_REGULAR, "NotoSans-Regular")?,
            bold: font(super::FONT_BOLD, "NotoSans-Bold")?,
        })
    }
}

/// One line of type, centred on the card at baseline `y`, `size` high (mm).
pub struct Run<'a> {
    text: &'a str,
    size: f64,
    bold: bool,
    color: [f32; 3],
    y: f64,
}

/// One page: paper, a frame `inset` from its edge, lines of type above and below a symbol.
pub struct Page<'a> {
    w: f64,
    h: f64,
    inset: f64,
    frame: [f32; 3],
    above: Vec<Run<'a>>,
    qr: &'a QrBox,
    runs: &'a [(usize, usize, usize)],
    below: Vec<Run<'a>>,
}

fn run(text: &str, size: f64, bold: bool, color: [f32; 3], y: f64) -> Run<'_> {
    Run {
        text,
        size,
        bold,
        color,
        y,
    }
}

fn each<'a>(
    lines: &'a [Line],
    size: f64,
    bold: bool,
    color: [f32; 3],
) -> impl Iterator<Item = Run<'a>> {
    lines
        .iter()
        .map(move |l| run(&l.text, size, bold, color, l.y))
}

/// A plaque as `plaque.svg` draws it; `runs` are its symbol's dark modules (`qr::runs`).
pub fn plaque<'a>(l: &'a Layout, runs: &'a [(usize, usize, usize)]) -> Page<'a> {
    let mut above = vec![run(&l.site_title, l.site_size, false, GREEN, l.site_y)];
    above.extend(each(&l.title, l.title_size, true, INK));
    above.extend(each(&l.title_en, l.en_size, false, GREY));
    above.extend(each(&l.summary, l.summary_size, false, GREY));
    Page {
        w: l.w,
        h: l.h,
        inset: l.frame,
        frame: GREEN,
        above,
        qr: &l.qr,
        runs,
        below: vec![
            run(&l.cta, l.cta_size, false, INK, l.cta_y),
            run(&l.link, l.link_size, false, INK, l.link_y),
            run(&l.code, l.code_size, true, GREEN, l.code_y),
        ],
    }
}

/// A kit card as `kit-card.svg` draws it.
pub fn kit_card<'a>(c: &'a Card, runs: &'a [(usize, usize, usize)]) -> Page<'a> {
    Page {
        w: c.w,
        h: c.h,
        inset: 3.0,
        frame: BROWN,
        above: vec![
            run(&c.place, 4.0, false, BROWN, 13.0),
            run(&c.heading_vi, 7.0, true, INK, 23.0),
            run(&c.heading_en, 5.0, false, GREY, 31.0),
        ],
        qr: &c.qr,
        runs,
        below: each(&c.details, 4.2, false, INK).collect(),
    }
}

/// A glyph as shaped: its id in the whole font, advance and offsets in font units, and the text
/// it stands for (empty for the second glyph of a cluster).
struct Glyph {
    id: u16,
    advance: i32,
    dx: i32,
    dy: i32,
    text: String,
}

fn shape(font: &Font, text: &str) -> Vec<Glyph> {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    let shaped = rustybuzz::shape(&font.face, &[], buffer);
    let infos = shaped.glyph_infos();
    let positions = shaped.glyph_positions();
    let cluster_end = |i: usize| {
        let c = infos[i].cluster;
        (infos.iter().map(|g| g.cluster as usize))
            .filter(|&n| n > c as usize)
            .min()
            .unwrap_or(text.len())
    };
    (infos.iter().zip(positions).enumerate())
        .map(|(i, (info, pos))| {
            let first = i == 0 || infos[i - 1].cluster != info.cluster;
            let start = info.cluster as usize;
            Glyph {
                id: info.glyph_id as u16,
                advance: pos.x_advance,
                dx: pos.x_offset,
                dy: pos.y_offset,
                text: match first {
                    true => text.get(start..cluster_end(i)).unwrap_or("").to_string(),
                    false => String::new(),
                },
            }
        })
        .collect()
}

/// The glyphs one PDF uses of a font: the subset's glyph ids and what each stands for.
#[derive(Default)]
struct Used {
    remapper: subsetter::GlyphRemapper,
    text: Vec<(u16, String)>,
}

/// The pages as one PDF, each font subset to the glyphs they use.
pub fn document(fonts: &Fonts, pages: &[Page]) -> Result<Vec<u8>, String> {
    let mut used = [Used::default(), Used::default()];
    let contents: Vec<(f64, f64, Vec<u8>)> = (pages.iter())
        .map(|p| {
            let mut c = millimetres(p.h);
            draw(&mut c, fonts, &mut used, p);
            (p.w, p.h, c.finish().to_vec())
        })
        .collect();
    write(fonts, used, contents)
}

/// A page of a sheet: plaques placed on it, and the cells to put crop marks around (x, y, w, h).
pub struct Sheet {
    pub placed: Vec<Placed>,
    pub cells: Vec<[f64; 4]>,
}

/// A plaque laid out, its symbol's runs, and its top left corner on the sheet (mm), turned a
/// quarter clockwise or not.
pub struct Placed {
    pub layout: Layout,
    pub runs: Vec<(usize, usize, usize)>,
    pub x: f64,
    pub y: f64,
    pub turned: bool,
}

/// Sheets of `w` × `h` mm made one at a time by `next`, as one PDF whose fonts every plaque
/// on every page shares: one subset a font for a file of two hundred plaques.
pub fn sheets(
    fonts: &Fonts,
    w: f64,
    h: f64,
    mut next: impl FnMut() -> Option<Result<Sheet, String>>,
) -> Result<Vec<u8>, String> {
    let mut used = [Used::default(), Used::default()];
    let mut contents = Vec::new();
    while let Some(sheet) = next() {
        let sheet = sheet?;
        let mut c = millimetres(h);
        c.set_fill_rgb(1.0, 1.0, 1.0);
        c.rect(0.0, 0.0, w as f32, h as f32);
        c.fill_nonzero();
        for placed in &sheet.placed {
            let page = plaque(&placed.layout, &placed.runs);
            c.save_state();
            let (x, y) = (placed.x as f32, placed.y as f32);
            c.transform(match placed.turned {
                true => [0.0, 1.0, -1.0, 0.0, x + page.h as f32, y],
                false => [1.0, 0.0, 0.0, 1.0, x, y],
            });
            draw(&mut c, fonts, &mut used, &page);
            c.restore_state();
        }
        crop_marks(&mut c, &sheet.cells);
        contents.push((w, h, c.finish().to_vec()));
    }
    write(fonts, used, contents)
}

/// Short hairlines at each corner of each cell, outside it, showing where to cut.
fn crop_marks(c: &mut Content, cells: &[[f64; 4]]) {
    const GAP: f32 = 0.4;
    const MARK: f32 = 1.5;
    c.set_stroke_rgb(0.0, 0.0, 0.0);
    c.set_line_width(0.2);
    for &[x, y, w, h] in cells {
        let (x, y, w, h) = (x as f32, y as f32, w as f32, h as f32);
        for (cx, cy, dx, dy) in [
            (x, y, -1.0, -1.0),
            (x + w, y, 1.0, -1.0),
            (x, y + h, -1.0, 1.0),
            (x + w, y + h, 1.0, 1.0),
        ] {
            c.move_to(cx + dx * GAP, cy);
            c.line_to(cx + dx * (GAP + MARK), cy);
            c.move_to(cx, cy + dy * GAP);
            c.line_to(cx, cy + dy * (GAP + MARK));
        }
    }
    c.stroke();
}

/// A content stream drawing in millimetres, y down, as in the SVG, on a page `h` mm high.
fn millimetres(h: f64) -> Content {
    let mut content = Content::new();
    content.transform([PT_PER_MM, 0.0, 0.0, -PT_PER_MM, 0.0, h as f32 * PT_PER_MM]);
    content
}

/// One plaque or card at the origin of the current millimetres.
fn draw(content: &mut Content, fonts: &Fonts, used: &mut [Used; 2], page: &Page) {
    let (w, h) = (page.w as f32, page.h as f32);
    content.set_fill_rgb(1.0, 1.0, 1.0);
    content.rect(0.0, 0.0, w, h);
    content.fill_nonzero();
    let f = page.inset as f32;
    let [r, g, b] = page.frame;
    content.set_stroke_rgb(r, g, b);
    content.set_line_width(FRAME_STROKE);
    rounded_rect(content, f, f, w - 2.0 * f, h - 2.0 * f, FRAME_RADIUS);
    content.stroke();
    for run in &page.above {
        text(content, fonts, used, page.w, run);
    }
    symbol(content, page.qr, page.runs);
    for run in &page.below {
        text(content, fonts, used, page.w, run);
    }
}

/// A rectangle with round corners of radius `r`, as a path.
fn rounded_rect(c: &mut Content, x: f32, y: f32, w: f32, h: f32, r: f32) {
    // The control points of a quarter circle drawn as one cubic Bézier.
    let k = r * 0.552_284_8;
    let (x1, y1) = (x + w, y + h);
    c.move_to(x + r, y);
    c.line_to(x1 - r, y);
    c.cubic_to(x1 - r + k, y, x1, y + r - k, x1, y + r);
    c.line_to(x1, y1 - r);
    c.cubic_to(x1, y1 - r + k, x1 - r + k, y1, x1 - r, y1);
    c.line_to(x + r, y1);
    c.cubic_to(x + r - k, y1, x, y1 - r + k, x, y1 - r);
    c.line_to(x, y + r);
    c.cubic_to(x, y + r - k, x + r - k, y, x + r, y);
    c.close_path();
}

/// The symbol on its white square, modules as filled runs.
fn symbol(c: &mut Content, qr: &QrBox, runs: &[(usize, usize, usize)]) {
    c.save_state();
    let m = qr.module as f32;
    c.transform([m, 0.0, 0.0, m, qr.x as f32, qr.y as f32]);
    let side = qr.side as f32;
    c.set_fill_rgb(1.0, 1.0, 1.0);
    c.rect(0.0, 0.0, side, side);
    c.fill_nonzero();
    c.set_fill_rgb(0.0, 0.0, 0.0);
    for &(x, y, len) in runs {
        c.rect(x as f32, y as f32, len as f32, 1.0);
    }
    c.fill_nonzero();
    c.restore_state();
}

/// One centred line of type: its glyphs by their id in the font's subset (Identity-H), moved
/// where shaping put them (kerning, marks).
fn text(c: &mut Content, fonts: &Fonts, used: &mut [Used; 2], card_w: f64, run: &Run) {
    let (font, used, name) = match run.bold {
        true => (&fonts.bold, &mut used[1], Name(b"F1")),
        false => (&fonts.regular, &mut used[0], Name(b"F0")),
    };
    let glyphs = shape(font, run.text);
    // Nothing to show, and a font no glyph uses is not in the page's resources.
    if glyphs.is_empty() {
        return;
    }
    let upem = f64::from(font.face.units_per_em());
    let total: i32 = glyphs.iter().map(|g| g.advance).sum();
    let x = card_w / 2.0 - f64::from(total) / upem * run.size / 2.0;
    let [r, g, b] = run.color;
    c.set_fill_rgb(r, g, b);
    c.begin_text();
    c.set_font(name, 1.0);
    let s = run.size as f32;
    // Upright again inside the page's y-down millimetres.
    c.set_text_matrix([s, 0.0, 0.0, -s, x as f32, run.y as f32]);
    let per_unit = 1000.0 / upem as f32;
    // Where the pen is (shaping) and where the PDF's own advance leaves it, in font units.
    let (mut pen, mut at) = (0i32, 0i32);
    let mut rise = 0;
    let mut i = 0;
    while i < glyphs.len() {
        // Glyphs at one height in one TJ; a mark raised or lowered gets its own.
        if glyphs[i].dy != rise {
            rise = glyphs[i].dy;
            c.set_rise(rise as f32 / upem as f32);
        }
        let mut show = c.show_positioned();
        let mut items = show.items();
        while i < glyphs.len() && glyphs[i].dy == rise {
            let glyph = &glyphs[i];
            let want = pen + glyph.dx;
            if want != at {
                items.adjust(-((want - at) as f32) * per_unit);
            }
            let cid = used.remapper.remap(glyph.id);
            if !glyph.text.is_empty() && !used.text.iter().any(|(c, _)| *c == cid) {
                used.text.push((cid, glyph.text.clone()));
            }
            items.show(Str(&cid.to_be_bytes()));
            at = want + i32::from(font.face.glyph_hor_advance(ttf_id(glyph.id)).unwrap_or(0));
            pen += glyph.advance;
            i += 1;
        }
        items.finish();
        show.finish();
    }
    if rise != 0 {
        c.set_rise(0.0);
    }
    c.end_text();
}

fn ttf_id(id: u16) -> ttf_parser::GlyphId {
    ttf_parser::GlyphId(id)
}

/// The PDF around the pages' content (each page's size in mm and its content stream): each
/// font used, subset to its glyphs, shared by the pages.
fn write(
    fonts: &Fonts,
    used: [Used; 2],
    contents: Vec<(f64, f64, Vec<u8>)>,
) -> Result<Vec<u8>, String> {
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut id = || {
        next += 1;
        Ref::new(next - 1)
    };
    let (catalog, tree) = (id(), id());
    let ids: Vec<(Ref, Ref)> = contents.iter().map(|_| (id(), id())).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(ids.iter().map(|(page, _)| *page))
        .count(contents.len() as i32);
    let mut fonts_used = Vec::new();
    let faces = [&fonts.regular, &fonts.bold];
    for ((used, font), key) in used.into_iter().zip(faces).zip([b"F0", b"F1"]) {
        if used.remapper.num_gids() <= 1 {
            continue;
        }
        let type0 = id();
        embed(&mut pdf, font, &used, type0, &mut id)?;
        fonts_used.push((key, type0));
    }
    for ((w, h, content), (page_id, content_id)) in contents.into_iter().zip(&ids) {
        pdf.stream(*content_id, &deflate(&content))
            .filter(Filter::FlateDecode);
        let mut p = pdf.page(*page_id);
        p.parent(tree);
        p.media_box(Rect::new(
            0.0,
            0.0,
            w as f32 * PT_PER_MM,
            h as f32 * PT_PER_MM,
        ));
        p.contents(*content_id);
        let mut resources = p.resources();
        let mut dict = resources.fonts();
        for (key, type0) in &fonts_used {
            dict.pair(Name(*key), *type0);
        }
    }
    Ok(pdf.finish())
}

/// A font as a Type 0 font over a CID-keyed TrueType subset, with widths and a ToUnicode map so
/// that the text can be searched and copied.
fn embed(
    pdf: &mut Pdf,
    font: &Font,
    used: &Used,
    type0: Ref,
    id: &mut impl FnMut() -> Ref,
) -> Result<(), String> {
    let (cid, descriptor, file, cmap) = (id(), id(), id(), id());
    let subset = subsetter::subset(font.data, 0, &used.remapper)
        .map_err(|e| format!("the font could not be subset: {e}"))?;
    // The subset's tag: six capitals from the glyphs it holds, the same for the same glyphs.
    let gids: Vec<u16> = used.remapper.remapped_gids().collect();
    let mut hash = crate::output::digest(
        &gids
            .iter()
            .flat_map(|g| g.to_le_bytes())
            .collect::<Vec<_>>(),
    );
    let tag: String = (0..6)
        .map(|_| {
            let c = (b'A' + (hash % 26) as u8) as char;
            hash /= 26;
            c
        })
        .collect();
    let base = format!("{tag}+{}", font.name);
    let face = &font.face;
    let upem = face.units_per_em() as f32;
    let per_unit = |v: f32| v * 1000.0 / upem;
    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);
    let mut c = pdf.cid_font(cid);
    c.subtype(CidFontType::Type2);
    c.base_font(Name(base.as_bytes()));
    c.system_info(SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    });
    c.font_descriptor(descriptor);
    c.default_width(0.0);
    c.cid_to_gid_map_predefined(Name(b"Identity"));
    let widths: Vec<f32> = gids
        .iter()
        .map(|&g| per_unit(f32::from(face.glyph_hor_advance(ttf_id(g)).unwrap_or(0))))
        .collect();
    c.widths().consecutive(0, widths);
    c.finish();
    let bbox = face.global_bounding_box();
    pdf.font_descriptor(descriptor)
        .name(Name(base.as_bytes()))
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            per_unit(f32::from(bbox.x_min)),
            per_unit(f32::from(bbox.y_min)),
            per_unit(f32::from(bbox.x_max)),
            per_unit(f32::from(bbox.y_max)),
        ))
        .italic_angle(0.0)
        .ascent(per_unit(f32::from(face.ascender())))
        .descent(per_unit(f32::from(face.descender())))
        .cap_height(per_unit(f32::from(
            face.capital_height().unwrap_or(face.ascender()),
        )))
        .stem_v(80.0)
        .font_file2(file);
    let compressed = deflate(&subset);
    pdf.stream(file, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.len() as i32);
    let info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"UCS"),
        supplement: 0,
    };
    let mut unicode = UnicodeCmap::new(Name(b"Adobe-Identity-UCS"), info);
    let mut text = used.text.clone();
    text.sort();
    for (cid, s) in &text {
        unicode.pair_with_multiple(*cid, s.chars());
    }
    pdf.cmap(cmap, &unicode.finish());
    Ok(())
}

/// Font programs and page content, compressed quickly: a plaque's PDF is a few kilobytes either
/// way, and the default level took most of a plaque's time.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shaping_keeps_each_letter_s_text_for_copying() {
        let fonts = Fonts::new().unwrap();
        let glyphs = shape(&fonts.regular, "Lạng Sơn");
        let text: String = glyphs.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(text, "Lạng Sơn");
        assert!(
            glyphs.iter().all(|g| g.id != 0),
            "every letter is in the font"
        );
        // A decomposed letter is one cluster: its mark carries no text of its own.
        let decomposed = shape(&fonts.regular, "a\u{323}");
        let text: Vec<&str> = decomposed.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(text.concat(), "a\u{323}");
    }

    #[test]
    fn the_same_page_makes_the_same_bytes() {
        let fonts = Fonts::new().unwrap();
        let qr = QrBox {
            x: 10.0,
            y: 40.0,
            module: 2.0,
            side: 29,
            path: String::new(),
        };
        let card = Card {
            w: 105.0,
            h: 148.0,
            place: "Nhà Sàn".into(),
            heading_vi: "Nhắn tin Zalo".into(),
            heading_en: "Message us on Zalo".into(),
            qr,
            details: vec![Line {
                text: "0912 000 404".into(),
                y: 120.0,
            }],
        };
        let runs = crate::qr::runs(&[true; 21 * 21], 21);
        let one = document(&fonts, &[kit_card(&card, &runs)]).unwrap();
        let again = document(&fonts, &[kit_card(&card, &runs)]).unwrap();
        assert_eq!(one, again);
        let two = document(&fonts, &[kit_card(&card, &runs), kit_card(&card, &runs)]).unwrap();
        let text = String::from_utf8_lossy(&two);
        assert!(text.contains("/Count 2"), "two pages");
        assert_eq!(
            text.matches("/FontFile2").count(),
            2,
            "a font file each, shared by the pages"
        );
        // No bold text: no bold font, and nothing refers to one.
        let plain = Card {
            heading_vi: String::new(),
            ..card
        };
        let pdf = document(&fonts, &[kit_card(&plain, &runs)]).unwrap();
        let text = String::from_utf8_lossy(&pdf);
        assert!(!text.contains("Bold") && !text.contains("/F1"));
    }
}
