//! SVG to PDF (krilla: fonts embedded and subset, text kept as text, the same bytes every time)
//! and to pixels (resvg). The shipped fonts are loaded once; system fonts are never used.

use std::sync::Arc;

pub struct Drawer {
    options: usvg::Options<'static>,
    /// The fonts for drawing the built-in plaque and kit card straight into PDF.
    pub fonts: super::builtin_pdf::Fonts,
}

const MM_PER_INCH: f64 = 25.4;
/// The PNG's resolution: what print shops ask for.
pub const PRINT_DPI: f64 = 300.0;

/// One drawing of a plaque: the PDF, and pixels that the scan check (and, for a whole page at
/// `PRINT_DPI`, the PNG) are made from.
pub struct Drawn {
    pub pdf: Vec<u8>,
    pixels: Pixels,
    /// The pixels' resolution, and where their top left corner is on the page, in those pixels.
    dpi: f64,
    origin: (usize, usize),
}

enum Pixels {
    /// A drawing of the page or a region of it; always Some until dropped, when it goes back
    /// to this thread's spare.
    Page(Option<resvg::tiny_skia::Pixmap>),
    /// The symbol's square alone, one luminance byte a pixel, `side` pixels a row.
    Symbol { side: usize, grey: Vec<u8> },
}

thread_local! {
    /// A 300 dpi page is 8.7 MB: allocating (and the kernel zeroing) one for each of thousands
    /// of plaques costs more than drawing it, so each thread keeps its last one.
    static SPARE: std::cell::RefCell<Option<resvg::tiny_skia::Pixmap>> = const { std::cell::RefCell::new(None) };
}

/// A white page of `w` × `h` pixels, the thread's spare when it has that size.
fn white_page(w: u32, h: u32) -> Option<resvg::tiny_skia::Pixmap> {
    let spare = SPARE.with(|s| s.borrow_mut().take());
    let mut page = match spare {
        Some(p) if p.width() == w && p.height() == h => p,
        _ => resvg::tiny_skia::Pixmap::new(w, h)?,
    };
    page.fill(resvg::tiny_skia::Color::WHITE);
    Some(page)
}

impl Drop for Drawn {
    fn drop(&mut self) {
        if let Pixels::Page(page) = &mut self.pixels {
            let page = page.take();
            SPARE.with(|s| *s.borrow_mut() = page);
        }
    }
}

impl Drawn {
    /// The whole page as a PNG at `PRINT_DPI` (a drawing of the page, not of a region).
    pub fn png(&self) -> Result<Vec<u8>, String> {
        match &self.pixels {
            Pixels::Page(Some(pixmap)) => png_rgb(pixmap, self.dpi),
            _ => Err("only the symbol was drawn, not the page".into()),
        }
    }

    /// The luminance of the page's pixel at (x, y) seen at `dpi` (a divisor of the drawing's
    /// own): the mean of the block of drawn pixels it covers, as a scanner at that resolution
    /// would see it.
    pub fn grey_at(&self, x: usize, y: usize, dpi: f64) -> u8 {
        let k = (self.dpi / dpi).round().max(1.0) as usize;
        let (w, h, luminance): (usize, usize, &dyn Fn(usize) -> u32) = match &self.pixels {
            Pixels::Page(Some(pixmap)) => {
                let data = pixmap.data();
                (
                    pixmap.width() as usize,
                    pixmap.height() as usize,
                    &move |i| {
                        let p = &data[i * 4..];
                        (u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114)
                            / 1000
                    },
                )
            }
            Pixels::Symbol { side, grey } => (*side, *side, &|i| u32::from(grey[i])),
            Pixels::Page(None) => return 255,
        };
        let (x0, y0) = (
            (x * k).saturating_sub(self.origin.0),
            (y * k).saturating_sub(self.origin.1),
        );
        let mut sum = 0u32;
        for yy in y0.min(h - 1)..(y0 + k).min(h) {
            for xx in x0.min(w - 1)..(x0 + k).min(w) {
                sum += luminance(yy * w + xx);
            }
        }
        (sum / (k * k) as u32) as u8
    }
}

/// A page of a sheet: the SVG of its paper and marks, and the PDF pages placed on it.
pub struct Imposed {
    pub svg: String,
    pub placed: Vec<Placed>,
}

/// One PDF page (its first) placed with its top left corner at (x, y) mm, `w` × `h` mm upright.
pub struct Placed {
    pub pdf: Vec<u8>,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub turned: bool,
}

/// One PDF page a tree, each `w` × `h` mm; `next` gives the trees one at a time, so that a sheet of
/// thousands of pages never holds more than one parsed page.
fn pdf_of(
    mut next: impl FnMut() -> Option<Result<usvg::Tree, String>>,
    w: f64,
    h: f64,
) -> Result<Vec<u8>, String> {
    use krilla_svg::SurfaceExt;
    let mut doc = krilla::Document::new();
    let size = krilla::geom::Size::from_wh(w as f32 * PT_PER_MM, h as f32 * PT_PER_MM)
        .ok_or("empty page")?;
    while let Some(tree) = next() {
        let tree = tree?;
        let settings =
            krilla::page::PageSettings::from_wh(size.width(), size.height()).ok_or("empty page")?;
        let mut page = doc.start_page_with(settings);
        let mut surface = page.surface();
        surface
            .draw_svg(&tree, size, krilla_svg::SvgSettings::default())
            .ok_or("the SVG could not be drawn into the PDF")?;
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| format!("{e:?}"))
}
const PT_PER_MM: f32 = 72.0 / 25.4;

/// The pixels of a symbol's square drawn from `runs` of dark modules (column, row, length, quiet
/// zone included) as `straight` writes them into the PDF, at `dpi`, where the page has them.
pub fn symbol_pixels(
    qr: &super::layout::QrBox,
    runs: &[(usize, usize, usize)],
    dpi: f64,
) -> Result<Drawn, String> {
    let px = |mm: f64| mm / MM_PER_INCH * dpi;
    let origin = (px(qr.x).floor() as usize, px(qr.y).floor() as usize);
    let n = px(qr.module * qr.side as f64).ceil() as u32 + 2;
    if n > 20_000 {
        return Err("the symbol is too large to draw".into());
    }
    let side = n as usize;
    let mut grey = vec![255u8; side * side];
    let m = px(qr.module);
    let (x0, y0) = (px(qr.x) - origin.0 as f64, px(qr.y) - origin.1 as f64);
    // Modules are whole-pixel rectangles, edges rounded to the nearest pixel, as a rasteriser
    // without anti-aliasing fills them.
    let edge = |v: f64| (v.round().max(0.0) as usize).min(side);
    for &(x, y, len) in runs {
        let (left, top) = (x0 + x as f64 * m, y0 + y as f64 * m);
        let (l, r) = (edge(left), edge(left + len as f64 * m));
        for row in edge(top)..edge(top + m) {
            grey[row * side + l..row * side + r].fill(0);
        }
    }
    Ok(Drawn {
        pdf: Vec::new(),
        pixels: Pixels::Symbol { side, grey },
        dpi,
        origin,
    })
}

impl Drawer {
    pub fn new() -> crate::error::Result<Drawer> {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(super::FONT_REGULAR.to_vec());
        db.load_font_data(super::FONT_BOLD.to_vec());
        let options = usvg::Options {
            font_family: "Noto Sans".into(),
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        };
        let fonts = super::builtin_pdf::Fonts::new()
            .ok_or_else(|| crate::error::Error::Usage("the shipped fonts cannot be read".into()))?;
        Ok(Drawer { options, fonts })
    }

    pub fn tree(&self, svg: &str) -> Result<usvg::Tree, String> {
        usvg::Tree::from_str(svg, &self.options)
            .map_err(|e| format!("the plaque template is not valid SVG: {e}"))
    }

    /// Pages of `w` × `h` mm, each an SVG (paper, crop marks) with PDF pages placed on it: the
    /// A4 sheets carry the plaques' own PDFs, not a second drawing of their SVGs.
    pub fn impose(
        &self,
        mut next: impl FnMut() -> Option<Result<Imposed, String>>,
        w: f64,
        h: f64,
    ) -> Result<Vec<u8>, String> {
        use krilla_svg::SurfaceExt;
        let mut doc = krilla::Document::new();
        let size = krilla::geom::Size::from_wh(w as f32 * PT_PER_MM, h as f32 * PT_PER_MM)
            .ok_or("empty page")?;
        while let Some(page) = next() {
            let page = page?;
            let tree = self.tree(&page.svg)?;
            let settings = krilla::page::PageSettings::from_wh(size.width(), size.height())
                .ok_or("empty page")?;
            let mut sheet = doc.start_page_with(settings);
            let mut surface = sheet.surface();
            surface
                .draw_svg(&tree, size, krilla_svg::SvgSettings::default())
                .ok_or("the SVG could not be drawn into the PDF")?;
            for placed in page.placed {
                let pdf = krilla::pdf::Pdf::new(placed.pdf)
                    .map_err(|e| format!("a plaque's PDF cannot be read back: {e:?}"))?;
                let pdf = krilla::pdf::PdfDocument::new(Arc::new(pdf));
                let (x, y) = (placed.x as f32 * PT_PER_MM, placed.y as f32 * PT_PER_MM);
                let (pw, ph) = (placed.w as f32 * PT_PER_MM, placed.h as f32 * PT_PER_MM);
                // Turned a quarter clockwise, its top left corner at the cell's top right.
                let at = match placed.turned {
                    true => krilla::geom::Transform::from_row(0.0, 1.0, -1.0, 0.0, x + ph, y),
                    false => krilla::geom::Transform::from_translate(x, y),
                };
                surface.push_transform(&at);
                surface.draw_pdf_page(
                    &pdf,
                    krilla::geom::Size::from_wh(pw, ph).ok_or("empty plaque")?,
                    0,
                );
                surface.pop();
            }
            surface.finish();
            sheet.finish();
        }
        doc.finish().map_err(|e| format!("{e:?}"))
    }

    /// A plaque drawn once: its PDF and its pixels at `PRINT_DPI`, from one parse of the SVG.
    pub fn draw(&self, svg: &str, w: f64, h: f64) -> Result<Drawn, String> {
        let tree = self.tree(svg)?;
        let mut drawn = self.pixels(&tree, w, h)?;
        let mut once = Some(tree);
        drawn.pdf = pdf_of(|| once.take().map(Ok), w, h)?;
        Ok(drawn)
    }

    /// A plaque's PDF, and the pixels of one square of it (x, y, side in mm) at `dpi`: what the
    /// scan check reads, at a fraction of the cost of the whole page at print resolution.
    pub fn draw_region(
        &self,
        svg: &str,
        w: f64,
        h: f64,
        region: (f64, f64, f64),
        dpi: f64,
    ) -> Result<Drawn, String> {
        let tree = self.tree(svg)?;
        let mut drawn = self.region(&tree, w, region, dpi)?;
        let mut once = Some(tree);
        drawn.pdf = pdf_of(|| once.take().map(Ok), w, h)?;
        Ok(drawn)
    }

    /// The pixels of a square (x, y, side in mm) of a page `w` mm wide at `dpi`, `pdf` left empty.
    pub fn region(
        &self,
        tree: &usvg::Tree,
        w: f64,
        (x, y, side): (f64, f64, f64),
        dpi: f64,
    ) -> Result<Drawn, String> {
        let px = |mm: f64| mm / MM_PER_INCH * dpi;
        // Whole pixels, so that the region's pixels are the page's pixels at this resolution.
        let origin = (px(x).floor() as usize, px(y).floor() as usize);
        let n = px(side).ceil() as u32 + 2;
        let mut pixmap = white_page(n, n).ok_or("empty image")?;
        let scale = px(w) as f32 / tree.size().width();
        let transform = resvg::tiny_skia::Transform::from_scale(scale, scale)
            .post_translate(-(origin.0 as f32), -(origin.1 as f32));
        resvg::render(tree, transform, &mut pixmap.as_mut());
        Ok(Drawn {
            pdf: Vec::new(),
            pixels: Pixels::Page(Some(pixmap)),
            dpi,
            origin,
        })
    }

    /// The pixels alone (`pdf` left empty): for kit cards, whose PDF is the whole kit's.
    pub fn pixels(&self, tree: &usvg::Tree, w: f64, h: f64) -> Result<Drawn, String> {
        let (pw, ph) = (
            (w / MM_PER_INCH * PRINT_DPI).round() as u32,
            (h / MM_PER_INCH * PRINT_DPI).round() as u32,
        );
        let mut pixmap = white_page(pw, ph).ok_or("empty image")?;
        let sx = pw as f32 / tree.size().width();
        let sy = ph as f32 / tree.size().height();
        resvg::render(
            tree,
            resvg::tiny_skia::Transform::from_scale(sx, sy),
            &mut pixmap.as_mut(),
        );
        Ok(Drawn {
            pdf: Vec::new(),
            pixels: Pixels::Page(Some(pixmap)),
            dpi: PRINT_DPI,
            origin: (0, 0),
        })
    }

    /// One PDF page per parsed SVG that `next` gives, each `w` × `h` mm.
    pub fn pdf_of_trees(
        &self,
        next: impl FnMut() -> Option<Result<usvg::Tree, String>>,
        w: f64,
        h: f64,
    ) -> Result<Vec<u8>, String> {
        pdf_of(next, w, h)
    }

    /// The SVG with its text turned into outlines, for sign makers without the font.
    pub fn outlined(&self, svg: &str) -> Result<String, String> {
        Ok(self.tree(svg)?.to_string(&usvg::WriteOptions::default()))
    }
}

/// An opaque PNG that says its resolution, so that a print shop's software sizes it right.
///
/// A plaque has a few dozen colours (its inks and their anti-aliased edges), so it is written as
/// an indexed PNG: lossless, a quarter of the pixel data, with one fixed filter (Paeth: as small
/// as trying every filter on every row, in half the time) and fast compression. A drawing with more
/// than 256 colours (a logo with gradients) falls back to RGB with adaptive filters.
fn png_rgb(pixmap: &resvg::tiny_skia::Pixmap, dpi: f64) -> Result<Vec<u8>, String> {
    // The page is painted white first, so every pixel is opaque and needs no un-premultiplying.
    let (color, palette, data) = match indexed(pixmap.data()) {
        Some((palette, indices)) => (png::ColorType::Indexed, Some(palette), indices),
        None => {
            let rgb: Vec<u8> = pixmap
                .data()
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            (png::ColorType::Rgb, None, rgb)
        }
    };
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        enc.set_color(color);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        if let Some(p) = palette {
            enc.set_palette(p);
            enc.set_filter(png::FilterType::Paeth);
            enc.set_adaptive_filter(png::AdaptiveFilterType::NonAdaptive);
        } else {
            enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        }
        let per_metre = (dpi / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        let mut w = enc.write_header().map_err(|e| e.to_string())?;
        w.write_image_data(&data).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// The palette (RGB triples, in order of first appearance, so the same drawing gives the same
/// bytes) and one index per pixel; None past 256 colours.
fn indexed(rgba: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    // Colours seen, in a small open-addressed table (colour + 1, so that 0 means empty): one
    // lookup per change of colour, and runs of paper or ink are the rule.
    const SLOTS: usize = 1024;
    let mut table = [(0u32, 0u8); SLOTS];
    let mut palette = Vec::new();
    let mut indices = Vec::with_capacity(rgba.len() / 4);
    let (mut last, mut index) = (u32::MAX, 0u8);
    for p in rgba.chunks_exact(4) {
        let c = u32::from_le_bytes([p[0], p[1], p[2], 0]);
        if c != last {
            last = c;
            let mut slot = (c.wrapping_mul(0x9E37_79B1) >> 22) as usize;
            loop {
                match table[slot] {
                    (0, _) => {
                        index = u8::try_from(palette.len() / 3).ok()?;
                        table[slot] = (c + 1, index);
                        palette.extend_from_slice(&c.to_le_bytes()[..3]);
                        break;
                    }
                    (k, i) if k == c + 1 => {
                        index = i;
                        break;
                    }
                    _ => slot = (slot + 1) % SLOTS,
                }
            }
        }
        indices.push(index);
    }
    Some((palette, indices))
}

#[cfg(test)]
mod tests {
    #[test]
    fn few_colours_are_indexed_in_order_of_appearance() {
        let px = [
            255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255, 29, 91, 58, 255,
        ];
        let (palette, idx) = super::indexed(&px).unwrap();
        assert_eq!(palette, vec![255, 255, 255, 0, 0, 0, 29, 91, 58]);
        assert_eq!(idx, vec![0, 1, 0, 2]);
        let many: Vec<u8> = (0..300u32)
            .flat_map(|i| [(i % 256) as u8, (i / 256) as u8, 0, 255])
            .collect();
        assert!(super::indexed(&many).is_none());
    }
}
