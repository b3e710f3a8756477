//! The print backend: everything a team hands to a print shop, made on demand by `waymark plaques`
//! (and by `serve` under `/_print/`), never by a website build. Reads the model; writes `print/`:
//! bare QR symbols (SVG, PNG) and `manifest.json`, plaques (PDF, SVG; PNG at 300 dpi on request)
//! from the theme's `plaque.svg`, A4 sheets with crop marks, and homestay kits. Every symbol is
//! decoded back before it is written, plaques and cards from their own pixels.

mod builtin_pdf;
mod draw;
mod kits;
pub mod layout;
mod plaques;
mod sheets;
mod social;
mod symbols;

use crate::error::{Diagnostic, Result};
use crate::output::{Data, Emitter, OutFile};
use crate::site::{Entry, Site};
use crate::theme::Theme;
use layout::Size;
use rayon::prelude::*;

/// The fonts every plaque uses (`theme`'s, shipped with Waymark).
pub use crate::theme::{FONT_BOLD, FONT_REGULAR};

/// What to print.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// One size for every plaque, overriding each entry's own and site.yaml's.
    pub size: Option<Size>,
    /// Only these codes (all when empty).
    pub codes: Vec<String>,
    /// Impose the plaques on A4 sheets with crop marks.
    pub sheets: bool,
    /// Also a 300 dpi PNG of every plaque and kit card (the PDF and SVG are always made).
    pub png: bool,
    /// After a whole run, delete cache files it did not use (not from `serve`, which runs
    /// beside builds without the site's lock).
    pub prune_cache: bool,
}

impl Options {
    /// Everything, as a print shop wants it: every code, sheets, no PNG.
    pub fn all() -> Options {
        Options {
            sheets: true,
            prune_cache: true,
            ..Options::default()
        }
    }

    /// Whether this run makes the whole print set at the site's own sizes, after which cache
    /// files it did not use are stale.
    fn is_whole(&self) -> bool {
        self.prune_cache && self.codes.is_empty() && self.size.is_none() && self.sheets
    }
}

/// What a print run made (its files already handed to the output).
#[derive(Debug, Default)]
pub struct Printed {
    /// The codes whose plaques were made, in code order.
    pub codes: Vec<String>,
    pub plaques: usize,
    pub kits: usize,
    pub sheets: usize,
    pub warnings: Vec<Diagnostic>,
    pub timings: crate::progress::Timings,
}

/// Make the print files of the entries `opts` selects, into `emit`.
pub fn print(site: &Site, theme: &Theme, opts: &Options, emit: &Emitter) -> Result<Printed> {
    let entries: Vec<&crate::site::Entry> = site
        .entries
        .iter()
        .filter(|e| opts.codes.is_empty() || opts.codes.contains(&e.code))
        .collect();
    let cache = DiskCache::new(&site.root);
    // One symbol cache for plaques, cards and bare symbols, so that it knows every file in use.
    let symbols = crate::qr::Cache::on_disk(&site.root);
    let drawer = draw::Drawer::new()?;
    // The owners' kits carry each homestay's share image, made with the website's photos
    // (from the photo cache when a build made them).
    let media = match entries
        .iter()
        .any(|e| e.kind == crate::site::Kind::Homestay && !e.matter.images.is_empty())
    {
        true => Some(crate::media::process(site, None)?.media),
        false => None,
    };
    let started = std::time::Instant::now();
    let (mut made, warnings) =
        plaques::make(site, theme, opts, &entries, &drawer, &cache, &symbols, emit)?;
    let plaques_took = started.elapsed();
    let planner = plaques::Planner::new(site)?;
    let by_code: std::collections::HashMap<&str, &Entry> =
        entries.iter().map(|e| (e.code.as_str(), *e)).collect();
    let plan_of = planner.direct_pdf(theme).then_some(|code: &str| {
        let e = by_code.get(code).ok_or("a plaque of no entry")?;
        let planned = planner
            .plan(e, opts.size, Some(&symbols))
            .map_err(|d| d.to_string())?;
        let runs = crate::qr::runs(&planned.symbol.dark, planned.symbol.width);
        Ok((planned.layout, runs))
    });
    // Kits and sheets do not depend on each other: side by side, each in parallel inside.
    let ((kits, kits_took), (sheet_files, sheets_took)) = rayon::join(
        || {
            let t = std::time::Instant::now();
            let kits = kits::render(
                site,
                theme,
                &entries,
                opts.png,
                &drawer,
                &cache,
                &symbols,
                emit,
                media.as_ref(),
            );
            (kits, t.elapsed())
        },
        || {
            let t = std::time::Instant::now();
            let sheets = if opts.sheets {
                all_sheets(
                    &drawer,
                    &cache,
                    &mut made,
                    plan_of.as_ref().map(|f| f as &PlanOf<'_>),
                )
            } else {
                Ok(Vec::new())
            };
            (sheets, t.elapsed())
        },
    );
    let kits = kits?;
    let sheet_files = sheet_files?;
    let sheets = sheet_files.len();
    emit.put_all(sheet_files)?;
    let t = std::time::Instant::now();
    symbols::render(site, &entries, &symbols, emit)?;
    let symbols_took = t.elapsed();
    symbols.save(opts.is_whole());
    if opts.is_whole() {
        cache.prune();
        symbols.prune();
    }
    let mut codes: Vec<String> = made.iter().map(|m| m.code.clone()).collect();
    codes.sort();
    Ok(Printed {
        plaques: codes.len(),
        codes,
        kits,
        sheets,
        warnings,
        timings: vec![
            ("  plaques", plaques_took),
            ("  homestay kits", kits_took),
            ("  A4 sheets", sheets_took),
            ("  QR symbols", symbols_took),
        ],
    })
}

/// The A4 sheets of every plaque size in use, plaques in code order.
/// Plaques drawn straight into PDF are laid out again (`plan_of`, by code) onto sheets that
/// share one subset of each font; others have their own PDF pages placed.
fn all_sheets(
    drawer: &draw::Drawer,
    cache: &DiskCache,
    plaques: &mut [plaques::Made],
    plan_of: Option<&PlanOf<'_>>,
) -> Result<Vec<OutFile>> {
    plaques.sort_by(|a, b| a.code.cmp(&b.code));
    let sizes: Vec<Size> = Size::ALL
        .into_iter()
        .filter(|s| plaques.iter().any(|p| p.size == *s))
        .collect();
    let jobs: Vec<(Size, String, Vec<&plaques::Made>)> = sizes
        .into_iter()
        .flat_map(|size| {
            let of_size: Vec<&plaques::Made> = plaques.iter().filter(|p| p.size == size).collect();
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
            let way = if plan_of.is_some() {
                "straight"
            } else {
                "of PDFs"
            };
            let key =
                crate::output::digest(format!("sheet {way} {} {key}", size.name()).as_bytes());
            let pdf = match cache.file(key, "pdf") {
                Some(pdf) => pdf,
                None => {
                    let pdf = match plan_of {
                        Some(plan_of) => {
                            let laid_out = |n: usize| plan_of(&part[n].code);
                            sheets::a4_direct(&drawer.fonts, part.len(), &laid_out, size)?
                        }
                        None => {
                            let pdf_of = |n: usize| {
                                (part[n].pdf.read())
                                    .map_err(|e| format!("a plaque's PDF cannot be read back: {e}"))
                            };
                            sheets::a4(drawer, part.len(), &pdf_of, size)?
                        }
                    };
                    cache.keep(key, "pdf", pdf)
                }
            };
            Ok(OutFile { path, data: pdf })
        })
        .collect()
}

/// A plaque laid out again by its code, for a sheet.
type PlanOf<'a> = dyn Fn(&str) -> std::result::Result<sheets::PlaqueLaidOut, String> + Sync + 'a;

/// The sheet files of `count` plaques of `size`, in code order: each file's path and plaques. At
/// most `sheets::per_file` a file, numbered when there are several.
fn sheet_files(size: Size, count: usize) -> Vec<(String, std::ops::Range<usize>)> {
    let per_file = sheets::per_file(size);
    let files = count.div_ceil(per_file);
    (0..files)
        .map(|n| {
            let path = crate::address::sheet_file(size.name(), n + 1, files);
            (path, n * per_file..count.min((n + 1) * per_file))
        })
        .collect()
}

/// What every plaque of the site would warn of, laid out but not drawn (`waymark check`): a
/// symbol short of its scan distance and why, a title cut to fit.
pub fn plaque_warnings(site: &Site) -> Result<Vec<Diagnostic>> {
    let entries: Vec<&Entry> = site.entries.iter().collect();
    plaques::warnings(site, &entries)
}

/// Read the symbol back from a rendering of the whole plaque: the centre pixel of every module,
/// where the layout put it, decoded by quircs (format, mask, error correction, data). This checks what
/// was drawn, logo and all, without the cost of finding the symbol in the image (most of a plaque's
/// time when done for every plaque); the tests decode whole pages with zbarimg.
pub fn read_symbol(
    drawn: &draw::Drawn,
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
    crate::qr::decode_grid(width, at)
}

/// Plaques, kit cards and sheets already drawn, by a digest of their source, in
/// `.waymark-cache/plaques/`: a plaque whose text, code, link and template did not change is not
/// drawn again, and the output links to the kept file instead of holding it in memory.
pub struct DiskCache(crate::output::CacheDir);

impl DiskCache {
    pub fn new(site: &std::path::Path) -> DiskCache {
        DiskCache(crate::output::CacheDir::open(site, "plaques"))
    }

    fn name(digest: u64, what: &str) -> String {
        format!("{digest:016x}.{what}")
    }

    /// The `what` file (`pdf`, `png`, `svg`) made from this source before.
    pub fn file(&self, source: u64, what: &str) -> Option<Data> {
        self.0.get(&Self::name(source, what)).map(Data::Cached)
    }

    /// Keep `bytes` as the `what` file of this source, and hand back what the output should
    /// write: the kept file, or the bytes themselves when the cache cannot be written.
    pub fn keep(&self, source: u64, what: &str, bytes: Vec<u8>) -> Data {
        match self.0.keep(&Self::name(source, what), &bytes) {
            Ok(path) => Data::Cached(path),
            Err(_) => Data::Bytes(bytes),
        }
    }

    /// After a whole print run: delete what it did not use (each edited title left a plaque,
    /// cards and a sheet file of up to 0.7 MB behind).
    pub fn prune(&self) -> usize {
        self.0.prune()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan check's pixels of a straight plaque: the symbol's runs, where the layout puts
    /// them, read back at 150 dpi; runs drawn a module off are not read as the link.
    #[test]
    fn the_check_reads_the_runs_where_the_layout_puts_them() {
        let link = "https://hvt.example/q/HVT/";
        let symbol = crate::qr::encode(link, crate::vocab::EcLevel::H).unwrap();
        let side = symbol.width + 2 * crate::qr::QUIET_ZONE;
        let qr = layout::QrBox {
            x: 11.5,
            y: 37.25,
            module: 59.0 / side as f64,
            side,
            path: String::new(),
        };
        let runs = crate::qr::runs(&symbol.dark, symbol.width);
        let drawn = draw::symbol_pixels(&qr, &runs, 150.0).unwrap();
        assert_eq!(read_symbol(&drawn, 150.0, &qr, symbol.width).unwrap(), link);
        let shifted: Vec<_> = runs.iter().map(|&(x, y, n)| (x + 1, y, n)).collect();
        let drawn = draw::symbol_pixels(&qr, &shifted, 150.0).unwrap();
        assert_ne!(
            read_symbol(&drawn, 150.0, &qr, symbol.width).as_deref(),
            Ok(link)
        );
    }

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
