//! Plaques for every entry: SVG for sign makers, PDF for printers (fonts embedded and subset,
//! text extractable, the same bytes on every build) and PNG at 300 dpi, drawn from the theme's
//! `plaque.svg`; A4 sheets of them with crop marks; each checked by decoding its QR code back.

mod kits;
pub mod layout;
mod render;
mod sheets;

use crate::error::{Diagnostic, Error, Result};
use crate::output::{Data, Emitter, OutFile};
use crate::site::Site;
use crate::theme::Theme;
use layout::{Metrics, Size, Texts};
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// The fonts every plaque uses, shipped with Waymark (SIL Open Font License, themes/default/fonts/OFL.txt).
pub const FONT_REGULAR: &[u8] = include_bytes!("../../themes/default/fonts/NotoSans-Regular.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../../themes/default/fonts/NotoSans-Bold.ttf");

/// What to print.
#[derive(Debug, Clone)]
pub struct Options {
    pub size: Size,
    /// The size was asked for on the command line: it overrides each entry's own.
    pub size_forced: bool,
    /// Only these codes (all when empty).
    pub codes: Vec<String>,
    /// Impose the plaques on A4 sheets with crop marks.
    pub sheets: bool,
}

/// One plaque made (its files already emitted): the layout's warnings.
pub struct Made {
    pub code: String,
    pub size: Size,
    pub warnings: Vec<String>,
    /// The plaque's SVG (kept in the cache, not in memory), for imposing on sheets, and its digest.
    pub svg: Data,
    pub digest: u64,
}

/// Plaque options from site.yaml's `plaque:` (size, scan distance), with defaults.
pub fn options_from_config(site: &Site) -> Result<Options> {
    const KNOWN: &[&str] = &["size", "scan_distance_m", "outline_text", "logo"];
    // `plaque:` is read here rather than typed in config.rs; its keys get the same check as any other.
    let plaque = &site.config.plaque;
    if !plaque.is_null() && !plaque.is_mapping() {
        return Err(Error::one(
            Diagnostic::error(crate::config::FILE, "`plaque:` must be a mapping")
                .hint("write e.g. `plaque: { size: a6, scan_distance_m: 0.5 }`"),
        ));
    }
    for key in plaque.as_mapping().into_iter().flat_map(|m| m.keys()) {
        let name = key.as_str().unwrap_or("");
        if !KNOWN.contains(&name) {
            let hint = match crate::error::suggest(name, KNOWN) {
                Some(k) => format!("did you mean `{k}`? Known: {}", KNOWN.join(", ")),
                None => format!("use one of: {}", KNOWN.join(", ")),
            };
            return Err(Error::one(
                Diagnostic::error(
                    crate::config::FILE,
                    format!("unknown plaque setting `{name}`"),
                )
                .hint(hint),
            ));
        }
    }
    let size = match site.config.plaque.get("size").and_then(|v| v.as_str()) {
        Some(s) => Size::parse(s).ok_or_else(|| {
            Error::one(
                Diagnostic::error(
                    crate::config::FILE,
                    format!("plaque size `{s}` is not one Waymark makes"),
                )
                .hint("use `plaque: { size: a6 }`, `sticker` (100×100 mm) or `a4`"),
            )
        })?,
        None => Size::A6,
    };
    Ok(Options {
        size,
        size_forced: false,
        codes: Vec::new(),
        sheets: true,
    })
}

fn scan_distance(site: &Site, size: Size) -> f64 {
    site.config
        .plaque
        .get("scan_distance_m")
        .and_then(|v| v.as_f64())
        .filter(|d| *d > 0.0 && *d < 50.0)
        .unwrap_or_else(|| size.scan_distance_m())
}

/// Make the plaques (and sheets) for the entries `opts` selects, into `emit`.
/// The QR symbols of plaques and cards come from `symbols`.
pub fn render(
    site: &Site,
    theme: &Theme,
    opts: &Options,
    symbols: &crate::qr::Cache,
    emit: &Emitter,
) -> Result<Printed> {
    let started = std::time::Instant::now();
    let renderer = render::Renderer::new()?;
    let cache = DiskCache::new(&site.root);
    let logo = load_logo(site)?;
    let metrics = Metrics::new(FONT_REGULAR, FONT_BOLD)
        .ok_or_else(|| Error::Usage("the shipped fonts cannot be read".into()))?;
    let ec = site.config.qr.error_correction;
    let default = site.default_language();
    let entries: Vec<&crate::site::Entry> = site
        .entries
        .iter()
        .filter(|e| opts.codes.is_empty() || opts.codes.contains(&e.code))
        .collect();
    let made: Vec<Result<Made>> = entries
        .par_iter()
        .map(|e| -> Result<Made> {
            let url = site.short_link(&e.code);
            let fail = |why: String| {
                Diagnostic::error(&e.file, format!("the plaque for {} {why}", e.code))
            };
            let size = match e.matter.plaque_size.as_deref().and_then(Size::parse) {
                Some(s) if !opts.size_forced => s,
                _ => opts.size,
            };
            // A logo over the symbol needs the highest error correction.
            let ec = if logo.is_some() {
                crate::config::EcLevel::H
            } else {
                ec
            };
            let symbol = symbols
                .symbol(&url, ec)
                .map_err(|w| fail(format!("has no QR code: {w}")))?;
            let nfc = |s: &str| s.nfc().collect::<String>();
            let title = nfc(&e.texts[default].title);
            let title_en = e
                .texts
                .get("en")
                .map(|t| nfc(&t.title))
                .filter(|t| *t != title);
            let site_title = nfc(&site.config.title);
            let texts = Texts {
                site_title: &site_title,
                title: &title,
                title_en: title_en.as_deref(),
                cta: "Quét mã để xem thông tin · Scan for information",
                link: url
                    .trim_start_matches("https://")
                    .trim_start_matches("http://"),
                code: &e.code,
            };
            let mut layout = layout::layout(
                size,
                scan_distance(site, size),
                &metrics,
                &texts,
                &symbol.dark,
                symbol.width,
            );
            if let Some((view_box, content)) = &logo {
                let symbol_mm = layout.qr.module * symbol.width as f64;
                let side = symbol_mm * layout::LOGO_AREA.sqrt();
                let centre = (
                    layout.qr.x + layout.qr.module * layout.qr.side as f64 / 2.0,
                    layout.qr.y + layout.qr.module * layout.qr.side as f64 / 2.0,
                );
                let pad = layout.qr.module * 0.5;
                layout.logo = Some(layout::LogoBox {
                    x: centre.0 - side / 2.0 + pad,
                    y: centre.1 - side / 2.0 + pad,
                    side: side - 2.0 * pad,
                    pad,
                    view_box: view_box.clone(),
                    content: content.clone(),
                });
            }
            let ctx =
                tera::Context::from_serialize(&layout).map_err(|err| fail(err.to_string()))?;
            let svg = theme.render("plaque.svg", &ctx)?;
            let digest = crate::output::digest(svg.as_bytes());
            let (pdf, png) = match (cache.file(digest, "pdf"), cache.file(digest, "png")) {
                (Some(pdf), Some(png)) => (pdf, png),
                _ => {
                    let mut drawn = renderer
                        .draw(&svg, layout.w, layout.h)
                        .map_err(|w| fail(format!("could not be drawn: {w}")))?;
                    // The plaque as printed must scan: decode its QR as seen at 150 dpi.
                    let read = read_symbol(&drawn, 150.0, &layout.qr, symbol.width);
                    if read.as_deref() != Ok(url.as_str()) {
                        return Err(fail(format!(
                            "does not scan back to {url} at 150 dpi (read {read:?})"
                        ))
                        .into());
                    }
                    let png = drawn.png().map_err(fail)?;
                    (
                        cache.keep(digest, "pdf", std::mem::take(&mut drawn.pdf)),
                        cache.keep(digest, "png", png),
                    )
                }
            };
            let base = format!("print/plaques/{}", e.code);
            let files = [
                OutFile {
                    path: format!("{base}.pdf"),
                    data: pdf,
                },
                OutFile {
                    path: format!("{base}.png"),
                    data: png,
                },
                OutFile {
                    path: format!("{base}.svg"),
                    data: cache
                        .file(digest, "svg")
                        .unwrap_or_else(|| cache.keep(digest, "svg", svg.clone().into_bytes())),
                },
            ];
            if site
                .config
                .plaque
                .get("outline_text")
                .and_then(|v| v.as_bool())
                == Some(true)
            {
                emit.put(OutFile::bytes(
                    format!("{base}.outlined.svg"),
                    renderer.outlined(&svg).map_err(fail)?,
                ))?;
            }
            let kept_svg = files[2].data.clone();
            for f in files {
                emit.put(f)?;
            }
            Ok(Made {
                svg: kept_svg,
                digest,
                size,
                code: e.code.clone(),
                warnings: layout.warnings,
            })
        })
        .collect();
    let mut warnings = Vec::new();
    let mut problems = Vec::new();
    let mut plaques = Vec::new();
    for (e, m) in entries.iter().zip(made) {
        match m {
            Ok(m) => {
                warnings.extend(
                    m.warnings
                        .iter()
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
    let plaques_took = started.elapsed();
    // Kits and sheets do not depend on each other: side by side, each in parallel inside.
    let ((kit_files, kits_took), (sheet_files, sheets_took)) = rayon::join(
        || {
            let t = std::time::Instant::now();
            let made = if opts.codes.is_empty() {
                kits::render(site, theme, &renderer, &cache, symbols, emit)
            } else {
                Ok(())
            };
            (made, t.elapsed())
        },
        || {
            let t = std::time::Instant::now();
            let made = if opts.sheets {
                all_sheets(&renderer, &cache, &mut plaques)
            } else {
                Ok(Vec::new())
            };
            (made, t.elapsed())
        },
    );
    kit_files?;
    emit.put_all(sheet_files?)?;
    if opts.codes.is_empty() && !opts.size_forced && opts.sheets {
        cache.prune();
    }
    let timings = vec![
        ("  plaques", plaques_took),
        ("  homestay kits", kits_took),
        ("  A4 sheets", sheets_took),
    ];
    Ok((warnings, timings))
}

/// What the print stage reports: warnings, and the time each part took.
pub type Printed = (Vec<Diagnostic>, crate::Timings);

/// The A4 sheets of every plaque size in use, plaques in code order.
fn all_sheets(
    renderer: &render::Renderer,
    cache: &DiskCache,
    plaques: &mut [Made],
) -> Result<Vec<OutFile>> {
    plaques.sort_by(|a, b| a.code.cmp(&b.code));
    let sizes: Vec<Size> = Size::ALL
        .into_iter()
        .filter(|s| plaques.iter().any(|p| p.size == *s))
        .collect();
    let jobs: Vec<(Size, String, Vec<&Made>)> = sizes
        .into_iter()
        .flat_map(|size| {
            let of_size: Vec<&Made> = plaques.iter().filter(|p| p.size == size).collect();
            sheet_files(size, of_size.len())
                .into_iter()
                .map(move |(path, range)| (size, path, of_size[range].to_vec()))
                .collect::<Vec<_>>()
        })
        .collect();
    jobs.into_par_iter()
        .map(|(size, path, part)| {
            // Keyed by the digests of its plaques, not their text: 16 bytes a plaque.
            let key: String = part.iter().map(|p| format!("{:016x}", p.digest)).collect();
            let key = crate::output::digest(format!("sheet {} {key}", size.name()).as_bytes());
            let pdf = match cache.file(key, "pdf") {
                Some(pdf) => pdf,
                None => {
                    let svg_of = |n: usize| {
                        part[n]
                            .svg
                            .read()
                            .map(|b| String::from_utf8_lossy(&b).into_owned())
                            .map_err(|e| format!("a plaque's SVG cannot be read back: {e}"))
                    };
                    let pdf = sheets::a4(renderer, part.len(), &svg_of, size)?;
                    cache.keep(key, "pdf", pdf)
                }
            };
            Ok(OutFile { path, data: pdf })
        })
        .collect()
}

/// The sheet files of `count` plaques of `size`, in code order: each file's path and plaques. At
/// most `sheets::per_file` a file, numbered when there are several.
fn sheet_files(size: Size, count: usize) -> Vec<(String, std::ops::Range<usize>)> {
    let per_file = sheets::per_file(size);
    let files = count.div_ceil(per_file);
    (0..files)
        .map(|n| {
            let path = match files {
                1 => format!("print/sheets/{}-on-a4.pdf", size.name()),
                _ => format!(
                    "print/sheets/{}-on-a4-{:0w$}.pdf",
                    size.name(),
                    n + 1,
                    w = files.to_string().len()
                ),
            };
            (path, n * per_file..count.min((n + 1) * per_file))
        })
        .collect()
}

/// Read the symbol back from a rendering of the whole plaque: the centre pixel of every module,
/// where the layout put it, decoded by rqrr (format, mask, error correction, data). This checks what
/// was drawn, logo and all, without the cost of finding the symbol in the image (most of a plaque's
/// time when done for every plaque); the tests decode whole pages with zbarimg.
pub fn read_symbol(
    drawn: &render::Drawn,
    dpi: f64,
    qr: &layout::QrBox,
    width: usize,
) -> std::result::Result<String, String> {
    let q = crate::qr::QUIET_ZONE as f64;
    let to_px = |mm: f64| (mm / 25.4 * dpi) as usize;
    let at = |x: usize, y: usize| {
        let cx = to_px(qr.x + (q + x as f64 + 0.5) * qr.module);
        let cy = to_px(qr.y + (q + y as f64 + 0.5) * qr.module);
        drawn.grey_at(cx, cy, dpi) < 128
    };
    let grid = rqrr::SimpleGrid::from_func(width, at);
    rqrr::Grid::new(grid)
        .decode()
        .map(|(_, s)| s)
        .map_err(|e| e.to_string())
}

/// The site's logo for plaques (`plaque: { logo: logo.svg }`): an SVG inside the site folder, as
/// (viewBox, content) to nest in the plaque.
fn load_logo(site: &Site) -> Result<Option<(String, String)>> {
    let Some(rel) = site.config.plaque.get("logo").and_then(|v| v.as_str()) else {
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
    let inner = sheets::inner(&text).to_string();
    Ok(Some((view_box, inner)))
}

/// Plaques already drawn, by a digest of their SVG, in `<site>/.waymark-cache/plaques/`: a plaque
/// whose text, code, link and template did not change is not drawn again. Safe to delete.
pub struct DiskCache {
    dir: std::path::PathBuf,
    /// The files this build took or kept, by name: after a whole build, the others are stale.
    used: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl DiskCache {
    pub fn new(site: &std::path::Path) -> DiskCache {
        DiskCache {
            dir: site.join(".waymark-cache").join("plaques"),
            used: Default::default(),
        }
    }

    fn note(&self, name: String) {
        self.used.lock().expect("cache lock").insert(name);
    }

    /// Delete what this build did not use: each edited title left its old plaque, cards and
    /// sheet file behind for good (a sheet file is up to 0.7 MB). Only after a build that made
    /// every plaque at the site's own size, so that `waymark plaques --size` or `--codes` never
    /// throws away the normal build's plaques. Best effort: the cache only saves time.
    pub fn prune(&self) -> usize {
        let used = self.used.lock().expect("cache lock");
        let Ok(dir) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        dir.flatten()
            .filter(|f| !used.contains(f.file_name().to_string_lossy().as_ref()))
            .filter(|f| std::fs::remove_file(f.path()).is_ok())
            .count()
    }

    fn key(digest: u64, what: &str) -> String {
        format!("{digest:016x}.{what}")
    }

    /// The `what` file (`pdf` or `png`) drawn (and checked) from this source before, as a file
    /// the output copies: a build never holds every plaque in memory.
    pub fn file(&self, source: u64, what: &str) -> Option<Data> {
        let name = Self::key(source, what);
        let path = self.dir.join(&name);
        let found = path.is_file();
        if found {
            self.note(name);
        }
        found.then_some(Data::Cached(path))
    }

    /// Keep `bytes` as the `what` file of this source, and hand back what the output should
    /// write: the kept file, or the bytes themselves when the cache cannot be written (a cache
    /// only saves time). Written under a temporary name and renamed, so that an interrupted
    /// build never leaves a cut-short file that a later build would trust.
    pub fn keep(&self, source: u64, what: &str, bytes: Vec<u8>) -> Data {
        let name = Self::key(source, what);
        let path = self.dir.join(&name);
        self.note(name);
        let kept = std::fs::create_dir_all(&self.dir).is_ok()
            && crate::output::write_atomic(&path, &bytes).is_ok();
        if kept {
            Data::Cached(path)
        } else {
            Data::Bytes(bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_are_split_into_files_of_a_hundred_pages() {
        // Two A6 plaques to an A4 page: 200 to a file.
        assert_eq!(sheets::per_file(Size::A6), 200);
        assert_eq!(
            sheet_files(Size::A6, 15),
            vec![("print/sheets/a6-on-a4.pdf".to_string(), 0..15)]
        );
        assert_eq!(sheet_files(Size::A6, 200).len(), 1);
        let files = sheet_files(Size::A6, 2001);
        assert_eq!(files.len(), 11);
        assert_eq!(
            files[0],
            ("print/sheets/a6-on-a4-01.pdf".to_string(), 0..200)
        );
        assert_eq!(
            files[10],
            ("print/sheets/a6-on-a4-11.pdf".to_string(), 2000..2001)
        );
        // Every plaque on exactly one file, in order.
        let all: Vec<usize> = files.iter().flat_map(|(_, r)| r.clone()).collect();
        assert_eq!(all, (0..2001).collect::<Vec<_>>());
        assert!(sheet_files(Size::A4, 0).is_empty());
    }
}
