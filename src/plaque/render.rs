//! SVG to PDF (krilla: fonts embedded and subset, text kept as text, the same bytes every time)
//! and to pixels (resvg). The shipped fonts are loaded once; system fonts are never used.

use std::sync::Arc;

pub struct Renderer {
    options: usvg::Options<'static>,
}

const MM_PER_INCH: f64 = 25.4;
const PT_PER_MM: f32 = 72.0 / 25.4;

impl Renderer {
    pub fn new() -> crate::error::Result<Renderer> {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(super::FONT_REGULAR.to_vec());
        db.load_font_data(super::FONT_BOLD.to_vec());
        let options = usvg::Options {
            font_family: "Noto Sans".into(),
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        };
        Ok(Renderer { options })
    }

    pub fn tree(&self, svg: &str) -> Result<usvg::Tree, String> {
        usvg::Tree::from_str(svg, &self.options)
            .map_err(|e| format!("the plaque template is not valid SVG: {e}"))
    }

    /// One PDF page per SVG, each `w` × `h` mm.
    pub fn pdf(&self, svgs: &[&str], w: f64, h: f64) -> Result<Vec<u8>, String> {
        use krilla_svg::SurfaceExt;
        let mut doc = krilla::Document::new();
        let size = krilla::geom::Size::from_wh(w as f32 * PT_PER_MM, h as f32 * PT_PER_MM)
            .ok_or("empty page")?;
        for svg in svgs {
            let tree = self.tree(svg)?;
            let settings = krilla::page::PageSettings::from_wh(size.width(), size.height())
                .ok_or("empty page")?;
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

    /// (width, height, greyscale pixels) at `dpi`.
    pub fn raster(
        &self,
        svg: &str,
        w: f64,
        h: f64,
        dpi: f64,
    ) -> Result<(usize, usize, Vec<u8>), String> {
        let pixmap = self.pixmap(svg, w, h, dpi)?;
        let px: Vec<u8> = pixmap
            .data()
            .chunks_exact(4)
            .map(|p| {
                ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000)
                    as u8
            })
            .collect();
        Ok((pixmap.width() as usize, pixmap.height() as usize, px))
    }

    fn pixmap(
        &self,
        svg: &str,
        w: f64,
        h: f64,
        dpi: f64,
    ) -> Result<resvg::tiny_skia::Pixmap, String> {
        let tree = self.tree(svg)?;
        let (pw, ph) = (
            (w / MM_PER_INCH * dpi).round() as u32,
            (h / MM_PER_INCH * dpi).round() as u32,
        );
        let mut pixmap = resvg::tiny_skia::Pixmap::new(pw, ph).ok_or("empty image")?;
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        let sx = pw as f32 / tree.size().width();
        let sy = ph as f32 / tree.size().height();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(sx, sy),
            &mut pixmap.as_mut(),
        );
        Ok(pixmap)
    }

    /// The PDF and a 300 dpi PNG of one plaque.
    pub fn pdf_and_png(&self, svg: &str, w: f64, h: f64) -> Result<(Vec<u8>, Vec<u8>), String> {
        let pdf = self.pdf(&[svg], w, h)?;
        let png = png_rgb(&self.pixmap(svg, w, h, 300.0)?, 300.0)?;
        Ok((pdf, png))
    }

    /// The SVG with its text turned into outlines, for sign makers without the font.
    pub fn outlined(&self, svg: &str) -> Result<String, String> {
        Ok(self.tree(svg)?.to_string(&usvg::WriteOptions::default()))
    }
}

/// An opaque RGB PNG that says its resolution, so that a print shop's software sizes it right.
fn png_rgb(pixmap: &resvg::tiny_skia::Pixmap, dpi: f64) -> Result<Vec<u8>, String> {
    // The page is painted white first, so every pixel is opaque and needs no un-premultiplying.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // Fast compression made 390 KB plaques (six times the size) to save a few ms each: too big.
        enc.set_compression(png::Compression::Default);
        enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let per_metre = (dpi / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        let mut w = enc.write_header().map_err(|e| e.to_string())?;
        w.write_image_data(&rgb).map_err(|e| e.to_string())?;
    }
    Ok(out)
}
