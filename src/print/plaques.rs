//! One plaque per entry: laid out (`layout`), drawn from the theme's `plaque.svg` into a PDF and
//! an SVG (and a 300 dpi PNG on request), and read back from its own pixels before it is kept.

use super::draw::Drawer;
use super::layout::{self, Metrics, Size, Texts};
use super::{DiskCache, Options, FONT_BOLD, FONT_REGULAR};
use crate::address;
use crate::error::{Diagnostic, Error, Result};
use crate::output::{Data, Emitter, OutFile};
use crate::site::{Entry, Site};
use crate::theme::Theme;
use crate::vocab::EcLevel;
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// The resolution the scan check reads a plaque at: a cheap phone's view of a plaque at arm's
/// length is no sharper.
const CHECK_DPI: f64 = 150.0;

/// One plaque made (its files already emitted).
pub struct Made {
    pub code: String,
    pub size: Size,
    /// The plaque's PDF (kept in the cache, not in memory), for imposing on sheets, and its key.
    pub pdf: Data,
    pub digest: u64,
}

/// What lays out every plaque of a site: its logo, the font's metrics, the texts all share.
pub struct Planner<'s> {
    site: &'s Site,
    logo: Option<(String, String)>,
    metrics: Metrics<'static>,
    site_title: String,
}

/// One plaque laid out, not yet drawn.
pub struct Planned {
    /// What its QR code carries.
    pub url: String,
    pub size: Size,
    pub symbol: crate::qr::Symbol,
    /// With the layout's warnings, and the reach warning when it falls short of its distance.
    pub layout: layout::Layout,
}

impl<'s> Planner<'s> {
    pub fn new(site: &'s Site) -> Result<Planner<'s>> {
        Ok(Planner {
            site,
            logo: load_logo(site)?,
            metrics: Metrics::new(FONT_REGULAR, FONT_BOLD)
                .ok_or_else(|| Error::Usage("the shipped fonts cannot be read".into()))?,
            site_title: site.config.title.nfc().collect(),
        })
    }

    /// Whether the plaques go straight into PDF: the built-in `plaque.svg`, and no logo (an SVG
    /// of any kind, drawn by usvg).
    pub fn direct_pdf(&self, theme: &Theme) -> bool {
        theme.is_built_in("plaque.svg") && self.logo.is_none()
    }

    /// Lay out `e`'s plaque (at `size`, else its own or the site's size), its symbol from
    /// `symbols`; without them, only the symbol's size is known (enough for the warnings).
    pub fn plan(
        &self,
        e: &Entry,
        size: Option<Size>,
        symbols: Option<&crate::qr::Cache>,
    ) -> std::result::Result<Planned, Diagnostic> {
        let site = self.site;
        let settings = &site.config.plaque;
        let default = site.default_language();
        let url = site.scan_link(&e.code);
        let link = site.short_link(&e.code);
        // A logo over the symbol needs the highest error correction.
        let ec = match self.logo {
            Some(_) => EcLevel::H,
            None => crate::qr::level(site.config.qr.error_correction, &url),
        };
        let size = size
            .or_else(|| e.matter.plaque_size.as_deref().and_then(Size::parse))
            .unwrap_or(settings.size);
        let symbol = match symbols {
            Some(cache) => cache.symbol(&url, ec),
            None => crate::qr::width(&url, ec).map(|width| crate::qr::Symbol {
                width,
                dark: vec![false; width * width],
                version: 0,
            }),
        }
        .map_err(|w| {
            Diagnostic::error(
                &e.file,
                format!("the plaque for {} has no QR code: {w}", e.code),
            )
        })?;
        let nfc = |s: &str| s.nfc().collect::<String>();
        let text = &e.texts[default];
        let title = nfc(&text.title);
        let en = e.texts.get("en");
        let title_en = en.map(|t| nfc(&t.title)).filter(|t| *t != title);
        let summaries: Vec<String> = if settings.summary {
            let en = en.filter(|_| default != "en");
            [Some(text), en]
                .into_iter()
                .flatten()
                .filter_map(|t| t.summary.as_deref())
                .map(|s| nfc(s.trim()))
                .filter(|s| !s.is_empty())
                .collect()
        } else {
            Vec::new()
        };
        let texts = Texts {
            site_title: &self.site_title,
            title: &title,
            title_en: title_en.as_deref(),
            summaries: summaries.iter().map(String::as_str).collect(),
            cta: "Quét mã để xem thông tin · Scan for information",
            link: link
                .trim_start_matches("https://")
                .trim_start_matches("http://"),
            code: &e.code,
        };
        let distance = settings.scan_distance(size);
        let mut layout = layout::layout(
            size,
            distance,
            &self.metrics,
            &texts,
            &symbol.dark,
            symbol.width,
        );
        if layout.reach_m + layout::REACH_TOLERANCE_M < distance {
            let why = short_reach(&layout, size, (symbol.width, ec), &url, self.logo.is_some());
            layout.warnings.push(format!(
                "its QR symbol is {:.0} mm wide ({} modules of {:.1} mm) and scans from about {:.2} m, short of the {distance} m it is made for: {why}",
                layout.qr_mm, symbol.width, layout.qr.module, layout.reach_m
            ));
        }
        if let Some((view_box, content)) = &self.logo {
            layout.logo = Some(layout::logo_box(
                &layout.qr,
                symbol.width,
                view_box,
                content,
            ));
        }
        Ok(Planned {
            url,
            size,
            symbol,
            layout,
        })
    }
}

/// What the plaques of `entries` would warn of (a symbol short of its distance, a title cut),
/// without drawing them.
pub fn warnings(site: &Site, entries: &[&Entry]) -> Result<Vec<Diagnostic>> {
    let planner = Planner::new(site)?;
    let planned: Vec<std::result::Result<Planned, Diagnostic>> = entries
        .par_iter()
        .map(|e| planner.plan(e, None, None))
        .collect();
    let mut out = Vec::new();
    for (e, p) in entries.iter().zip(planned) {
        match p {
            Ok(p) => out.extend(
                (p.layout.warnings.iter())
                    .map(|w| Diagnostic::warning(&e.file, format!("plaque {}: {w}", e.code))),
            ),
            Err(d) => out.push(d),
        }
    }
    Ok(out)
}

/// The plaques of `entries`, each emitted as soon as it is made; the layout's warnings.
#[allow(clippy::too_many_arguments)]
pub fn make(
    site: &Site,
    theme: &Theme,
    opts: &Options,
    entries: &[&Entry],
    drawer: &Drawer,
    cache: &DiskCache,
    symbols: &crate::qr::Cache,
    emit: &Emitter,
) -> Result<(Vec<Made>, Vec<Diagnostic>)> {
    let planner = Planner::new(site)?;
    let settings = &site.config.plaque;
    // The built-in plaque without a logo goes straight into a PDF; any other through its SVG.
    let straight = planner.direct_pdf(theme).then_some(&drawer.fonts);
    let results: Vec<Result<(Made, Vec<String>)>> = entries
        .par_iter()
        .map(|e| {
            let fail = |why: String| {
                Diagnostic::error(&e.file, format!("the plaque for {} {why}", e.code))
            };
            let Planned {
                url,
                size,
                symbol,
                layout,
                ..
            } = planner.plan(e, opts.size, Some(symbols))?;
            let ctx =
                tera::Context::from_serialize(&layout).map_err(|err| fail(err.to_string()))?;
            let svg = theme.render("plaque.svg", &ctx)?;
            let digest = crate::output::digest(svg.as_bytes());
            // The PDF's key: the SVG it shows, and which of the two ways drew it.
            let maker = if straight.is_some() {
                "pdf-writer"
            } else {
                "krilla"
            };
            let pdf_key = crate::output::digest(format!("{maker} {digest:016x}").as_bytes());
            let png_wanted = opts.png;
            let (pdf, png) = match (cache.file(pdf_key, "pdf"), cache.file(digest, "png")) {
                (Some(pdf), png) if png.is_some() || !png_wanted => (pdf, png),
                _ => {
                    let qr = &layout.qr;
                    let (w, h) = (layout.w, layout.h);
                    let drawn = match straight {
                        Some(fonts) => {
                            let runs = crate::qr::runs(&symbol.dark, symbol.width);
                            let pdf = super::builtin_pdf::document(
                                fonts,
                                &[super::builtin_pdf::plaque(&layout, &runs)],
                            );
                            // The symbol as written into the PDF, or the whole plaque at print
                            // resolution when its PNG is wanted.
                            let pixels = match png_wanted {
                                true => drawer.tree(&svg).and_then(|t| drawer.pixels(&t, w, h)),
                                false => super::draw::symbol_pixels(qr, &runs, CHECK_DPI),
                            };
                            pixels.and_then(|mut d| {
                                d.pdf = pdf?;
                                Ok(d)
                            })
                        }
                        None if png_wanted => drawer.draw(&svg, w, h),
                        None => {
                            let side = qr.module * qr.side as f64;
                            drawer.draw_region(&svg, w, h, (qr.x, qr.y, side), CHECK_DPI)
                        }
                    };
                    let mut drawn = drawn.map_err(|w| {
                        let template = format!("themes/{}/plaque.svg", site.config.theme);
                        fail(format!("could not be drawn: {w}")).hint(format!(
                            "{template} must stay valid SVG once filled in: check it in a browser, or delete it to use the built-in plaque"
                        ))
                    })?;
                    // The plaque as printed must scan: decode its QR as seen at 150 dpi.
                    let read = super::read_symbol(&drawn, CHECK_DPI, qr, symbol.width);
                    if read.as_deref() != Ok(url.as_str()) {
                        return Err(fail(format!(
                            "does not scan back to {url} at 150 dpi (read {read:?})"
                        ))
                        .into());
                    }
                    let png = match png_wanted {
                        true => Some(cache.keep(digest, "png", drawn.png().map_err(fail)?)),
                        false => None,
                    };
                    (
                        cache.keep(pdf_key, "pdf", std::mem::take(&mut drawn.pdf)),
                        png,
                    )
                }
            };
            // The SVG is made on every run (its digest is the plaque's key), so it is written as
            // it is, not kept in the cache as well: a cache file and a link cost three directory
            // changes where one file costs one.
            let svg_data = Data::Bytes(svg.clone().into_bytes());
            emit.put(OutFile {
                path: address::plaque_file(&e.code, "pdf"),
                data: pdf.clone(),
            })?;
            emit.put(OutFile {
                path: address::plaque_file(&e.code, "svg"),
                data: svg_data,
            })?;
            if let Some(png) = png.filter(|_| png_wanted) {
                emit.put(OutFile {
                    path: address::plaque_file(&e.code, "png"),
                    data: png,
                })?;
            }
            if settings.outline_text {
                emit.put(OutFile::bytes(
                    address::plaque_file(&e.code, "outlined.svg"),
                    drawer.outlined(&svg).map_err(fail)?,
                ))?;
            }
            let made = Made {
                pdf,
                digest: pdf_key,
                size,
                code: e.code.clone(),
            };
            Ok((made, layout.warnings))
        })
        .collect();
    let mut warnings = Vec::new();
    let mut problems = Vec::new();
    let mut plaques = Vec::new();
    for (e, m) in entries.iter().zip(results) {
        match m {
            Ok((m, said)) => {
                warnings.extend(
                    (said.iter())
                        .map(|w| Diagnostic::warning(&e.file, format!("plaque {}: {w}", m.code))),
                );
                plaques.push(m);
            }
            Err(Error::Site(d)) => problems.extend(d),
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Site(problems));
    }
    Ok((plaques, warnings))
}

/// Why a plaque's symbol is too small for its scan distance, and what would mend it.
fn short_reach(
    layout: &layout::Layout,
    size: Size,
    (modules, ec): (usize, EcLevel),
    url: &str,
    logo: bool,
) -> String {
    let mut why = Vec::new();
    if logo {
        why.push("the logo asks for error correction H, which takes more modules (leave `plaque: { logo }` out)".to_string());
    }
    // A link of up to about 35 characters fits 29 modules at H (the example's); a longer one
    // takes more modules, or a lower level that wears less well.
    if modules > 29 || (ec != EcLevel::H && !logo) {
        why.push(format!(
            "the link {url} is {} characters, which takes {modules} modules at error correction {ec:?} (a shorter base_url or code makes each module larger)",
            url.chars().count()
        ));
    }
    let lines = layout.title.len() + layout.title_en.len() + layout.summary.len();
    if lines > 3 {
        why.push(format!(
            "{lines} lines of title and summary take its room (a shorter title, or `summary: false`)"
        ));
    }
    let card = match size {
        Size::A6 => "an A6 card",
        Size::Sticker => "a 100 mm sticker",
        Size::A4 => "an A4 poster",
    };
    why.push(format!("{card} has no more room (use a larger `size`)"));
    why.join("; ")
}

/// The site's logo for plaques (`plaque: { logo: logo.svg }`): an SVG inside the site folder, as
/// (viewBox, content) to nest in the plaque.
fn load_logo(site: &Site) -> Result<Option<(String, String)>> {
    let Some(rel) = site.config.plaque.logo.as_deref() else {
        return Ok(None);
    };
    let bad = |why: &str| {
        Error::one(
            Diagnostic::error(crate::config::FILE, format!("plaque logo `{rel}` {why}"))
                .hint("give the path of an SVG file in the site folder, e.g. `plaque: { logo: logo.svg }`"),
        )
    };
    if !crate::content::validate_path_inside(rel) || !rel.ends_with(".svg") {
        return Err(bad("must be an .svg file inside the site folder"));
    }
    let path = site.root.join(rel);
    if std::fs::symlink_metadata(&path)
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false)
    {
        return Err(bad("is a link; copy the file itself into the site"));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| bad(&format!("cannot be read: {e}")))?;
    let root_start = text.find("<svg").ok_or_else(|| bad("is not an SVG"))?;
    let root_end = root_start
        + text[root_start..]
            .find('>')
            .ok_or_else(|| bad("is not an SVG"))?;
    let root = &text[root_start..root_end];
    let attr = |name: &str| {
        let key = format!("{name}=\"");
        root.find(&key)
            .map(|i| &root[i + key.len()..])
            .and_then(|r| r.split('"').next())
            .map(str::to_string)
    };
    let number = |s: Option<String>| s.and_then(|v| v.trim_end_matches("px").parse::<f64>().ok());
    let view_box = match attr("viewBox") {
        Some(v) => v,
        None => match (number(attr("width")), number(attr("height"))) {
            (Some(w), Some(h)) => format!("0 0 {w} {h}"),
            _ => return Err(bad("has neither a viewBox nor a width and height")),
        },
    };
    let inner = super::sheets::inner(&text).to_string();
    Ok(Some((view_box, inner)))
}
