//! The QR symbol codec: encode (smallest version, mixed modes, UTF-8 ECI beyond ASCII), draw
//! (SVG, raster, 1-bit PNG) and decode back from the modules as drawn with an independent
//! decoder (quircs), and a cache of symbols made. Knows nothing of sites: the print backend says
//! what to encode.

mod mask;
pub mod payload;

use crate::error::Result;
use crate::output::Data;
use crate::vocab::{EcChoice, EcLevel};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;

/// Quiet zone on every side, in modules (DESIGN.md section 5).
pub const QUIET_ZONE: usize = 4;
/// PNG pixels per module: large enough for decoders and for office printing of the bare symbol.
const PNG_SCALE: usize = 10;

/// A QR symbol as a grid of modules, quiet zone not included.
pub struct Symbol {
    pub width: usize,
    pub dark: Vec<bool>,
    pub version: i16,
}

pub fn encode(data: &str, ec: EcLevel) -> std::result::Result<Symbol, String> {
    let level = match ec {
        EcLevel::L => qrcode::EcLevel::L,
        EcLevel::M => qrcode::EcLevel::M,
        EcLevel::Q => qrcode::EcLevel::Q,
        EcLevel::H => qrcode::EcLevel::H,
    };
    let bits = if data.is_ascii() {
        qrcode::bits::encode_auto(data.as_bytes(), level).map_err(|e| e.to_string())?
    } else {
        utf8_bits(data, level)?
    };
    let (version, modules) = mask::modules(bits, level)?;
    let symbol = Symbol {
        width: version.width() as usize,
        dark: modules
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect(),
        version: match version {
            qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
        },
    };
    Ok(symbol)
}

/// The side of `data`'s symbol in modules, without drawing it (no mask search): a tenth of the
/// cost of `encode`, for laying out a plaque that is not drawn.
pub fn width(data: &str, ec: EcLevel) -> std::result::Result<usize, String> {
    if !data.is_ascii() {
        return encode(data, ec).map(|s| s.width);
    }
    let level = match ec {
        EcLevel::L => qrcode::EcLevel::L,
        EcLevel::M => qrcode::EcLevel::M,
        EcLevel::Q => qrcode::EcLevel::Q,
        EcLevel::H => qrcode::EcLevel::H,
    };
    let bits = qrcode::bits::encode_auto(data.as_bytes(), level).map_err(|e| e.to_string())?;
    Ok(bits.version().width() as usize)
}

/// The level `data` is encoded at under the site's `qr.error_correction`.
pub fn level(choice: EcChoice, data: &str) -> EcLevel {
    match choice {
        EcChoice::Auto => auto_level(data),
        EcChoice::L => EcLevel::L,
        EcChoice::M => EcLevel::M,
        EcChoice::Q => EcLevel::Q,
        EcChoice::H => EcLevel::H,
    }
}

/// The error correction a link gets under `qr.error_correction: auto`: the highest level whose
/// symbol is at most one version (4 modules a side) larger than the smallest the link can have.
/// Measured on an A6 plaque (`cargo bench --bench scan`, BENCHMARKS.md): the same card holds
/// the example's link at M in 25 modules or at H in 29, and H reads from farther in the field
/// (1.00/0.95 m against 0.90/0.90, rqrr/zbar) and in more random captures with zbar (62%
/// against 53%); one more version costs each module an eighth of its width.
pub fn auto_level(data: &str) -> EcLevel {
    let version = |level| {
        qrcode::bits::encode_auto(data.as_bytes(), level)
            .ok()
            .map(|b| match b.version() {
                qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
            })
    };
    let Some(smallest) = version(qrcode::EcLevel::L) else {
        return EcLevel::L;
    };
    [
        (qrcode::EcLevel::H, EcLevel::H),
        (qrcode::EcLevel::Q, EcLevel::Q),
        (qrcode::EcLevel::M, EcLevel::M),
    ]
    .into_iter()
    .find(|(level, _)| version(*level).is_some_and(|v| v <= smallest + 1))
    .map_or(EcLevel::L, |(_, ours)| ours)
}

/// Text beyond ASCII (a Vietnamese name in a contact card) carries an ECI designator saying UTF-8,
/// so that readers do not guess Latin-1 and show "NÃ  Láº¡n". The smallest version that holds it.
fn utf8_bits(
    data: &str,
    level: qrcode::EcLevel,
) -> std::result::Result<qrcode::bits::Bits, String> {
    for v in 1..=40 {
        let mut bits = qrcode::bits::Bits::new(qrcode::Version::Normal(v));
        let fits = bits.push_eci_designator(26).is_ok()
            && bits.push_optimal_data(data.as_bytes()).is_ok()
            && bits.push_terminator(level).is_ok();
        if fits {
            return Ok(bits);
        }
    }
    Err("the text is too long for a QR code".into())
}

/// The symbol as an SVG: one `<path>` on white, crisp edges, quiet zone included, one user
/// unit a module, 8 px a module by default.
pub fn svg(sym: &Symbol) -> String {
    let side = sym.width + 2 * QUIET_ZONE;
    format!(
        r##"<?xml version="1.0" standalone="yes"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{px}" height="{px}" viewBox="0 0 {side} {side}" shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#ffffff"/><path d="{d}" fill="#000000"/></svg>
"##,
        px = side * 8,
        d = path(&sym.dark, sym.width)
    )
}

/// The dark modules as one SVG path in module units, quiet zone included: a rectangle a run.
pub fn path(modules: &[bool], width: usize) -> String {
    let mut d = String::with_capacity(width * width);
    let mut num = itoa::Buffer::new();
    for (x, y, len) in runs(modules, width) {
        // M{x} {y}h{run}v1h-{run}z
        d.push('M');
        d.push_str(num.format(x));
        d.push(' ');
        d.push_str(num.format(y));
        d.push('h');
        d.push_str(num.format(len));
        d.push_str("v1h-");
        d.push_str(num.format(len));
        d.push('z');
    }
    d
}

/// The dark modules as horizontal runs, (column, row, length) with the quiet zone included:
/// what the SVG path, the straight PDF and its check draw.
pub fn runs(modules: &[bool], width: usize) -> Vec<(usize, usize, usize)> {
    let q = QUIET_ZONE;
    let mut runs = Vec::new();
    for (y, row) in modules.chunks_exact(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] {
                let start = x;
                while x < width && row[x] {
                    x += 1;
                }
                runs.push((start + q, y + q, x - start));
            } else {
                x += 1;
            }
        }
    }
    runs
}

/// Greyscale pixels (0 dark, 255 light) with the quiet zone, `scale` pixels per module.
pub fn raster(sym: &Symbol, scale: usize) -> (usize, Vec<u8>) {
    let side = (sym.width + 2 * QUIET_ZONE) * scale;
    let mut px = vec![255u8; side * side];
    for my in 0..sym.width {
        for mx in 0..sym.width {
            if sym.dark[my * sym.width + mx] {
                let (x0, y0) = ((mx + QUIET_ZONE) * scale, (my + QUIET_ZONE) * scale);
                for y in y0..y0 + scale {
                    px[y * side + x0..y * side + x0 + scale].fill(0);
                }
            }
        }
    }
    (side, px)
}

/// A 1-bit greyscale PNG: a QR symbol has two colours, so eight pixels fit in a byte.
pub fn png(side: usize, pixels: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let row_bytes = side.div_ceil(8);
    let mut packed = vec![0u8; row_bytes * side];
    for (y, row) in pixels.chunks_exact(side).enumerate() {
        // A row is the one above it again for most of a module's height.
        if y > 0 && row == &pixels[(y - 1) * side..y * side] {
            packed.copy_within((y - 1) * row_bytes..y * row_bytes, y * row_bytes);
            continue;
        }
        let out = &mut packed[y * row_bytes..(y + 1) * row_bytes];
        for (byte, eight) in out.iter_mut().zip(row.chunks(8)) {
            *byte = eight
                .iter()
                .enumerate()
                .fold(0u8, |b, (i, &p)| b | (u8::from(p >= 128) << (7 - i)));
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::One);
        enc.set_compression(png::Compression::Fast);
        let mut w = enc.write_header().map_err(|e| e.to_string())?;
        w.write_image_data(&packed).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Read the modules back from the rendered raster (the centre pixel of each) and decode them with
/// an independent decoder (quircs): format, mask, error correction and data. Locating the symbol in
/// a photo is what makes full-image decoding slow (about 5 ms a symbol); the raster's geometry is
/// ours, so the build skips that step, and the tests decode whole images with zbarimg.
pub fn decode_modules(sym: &Symbol, side: usize, pixels: &[u8]) -> Result<String, String> {
    let scale = side / (sym.width + 2 * QUIET_ZONE);
    let at = |x: usize, y: usize| {
        let px = (x + QUIET_ZONE) * scale + scale / 2;
        let py = (y + QUIET_ZONE) * scale + scale / 2;
        pixels[py * side + px] < 128
    };
    decode_grid(sym.width, at)
}

/// Decode a symbol's modules (`dark(x, y)`, `width` a side) with quircs, a port of the quirc
/// decoder: 18 µs a symbol where rqrr took 265 (its error correction raises the generator to a
/// power bit by bit for every term), which was the largest cost of a print run.
pub fn decode_grid(width: usize, dark: impl Fn(usize, usize) -> bool) -> Result<String, String> {
    let mut bits = vec![0u8; (width * width).div_ceil(8)];
    for y in 0..width {
        for x in 0..width {
            if dark(x, y) {
                let i = y * width + x;
                bits[i / 8] |= 1 << (i % 8);
            }
        }
    }
    decode_bitmap(width, &bits)
}

/// quircs's reading of a module grid packed as its `cell_bitmap` (bit `y * width + x`, lowest
/// bit first), as text. A panic inside the decoder is a failed reading, never a crash.
fn decode_bitmap(width: usize, bits: &[u8]) -> Result<String, String> {
    let mut code = quircs::Code::default();
    if bits.len() > code.cell_bitmap.len() {
        return Err("the symbol is larger than QR codes are".into());
    }
    code.size = width as i32;
    code.cell_bitmap[..bits.len()].copy_from_slice(bits);
    let data = std::panic::catch_unwind(|| code.decode())
        .map_err(|_| "the decoder failed on it".to_string())?
        .map_err(|e| e.to_string())?;
    String::from_utf8(data.payload)
        .map_err(|_| "it decodes to bytes that are not UTF-8 text".into())
}

/// A symbol made and verified: its files' bytes and its size.
pub struct Made {
    pub svg: String,
    pub png: Vec<u8>,
    pub version: i16,
    pub modules: usize,
}

/// Symbols already made (and read back), by link and error correction: in memory for `serve`,
/// where most rebuilds change no link, and in `.waymark-cache/qr/` for print runs, whose output
/// links to the cached PNGs instead of holding every symbol in memory.
#[derive(Default)]
pub struct Cache {
    memory: Mutex<HashMap<(String, EcLevel), Arc<Made>>>,
    disk: Option<crate::output::CacheDir>,
}

/// A symbol's files as the output takes them, and its size.
pub struct Stored {
    pub svg: Data,
    pub png: Data,
    pub version: i16,
    pub modules: usize,
}

impl Stored {
    fn of(made: &Made) -> Stored {
        Stored {
            svg: Data::Bytes(made.svg.clone().into_bytes()),
            png: Data::Bytes(made.png.clone()),
            version: made.version,
            modules: made.modules,
        }
    }
}

/// A cached symbol, when the bytes are whole and are the symbol of `data`.
fn read_symbol(bytes: &[u8], data: &str) -> Option<Symbol> {
    let (head, rest) = bytes.split_at_checked(10)?;
    let version = i16::from_le_bytes([head[0], head[1]]);
    let width = u32::from_le_bytes(head[2..6].try_into().ok()?) as usize;
    let len = u32::from_le_bytes(head[6..10].try_into().ok()?) as usize;
    let (stored, bits) = rest.split_at_checked(len)?;
    if stored != data.as_bytes() || bits.len() != (width * width).div_ceil(8) {
        return None;
    }
    let dark = (0..width * width)
        .map(|i| bits[i / 8] >> (i % 8) & 1 == 1)
        .collect();
    Some(Symbol {
        width,
        dark,
        version,
    })
}

/// Bumped when the same link would make other files, or the files are kept otherwise.
const CACHE_VERSION: u8 = 3;

impl Cache {
    pub fn on_disk(site: &std::path::Path) -> Cache {
        Cache {
            memory: Mutex::default(),
            disk: Some(crate::output::CacheDir::open(site, "qr")),
        }
    }

    /// Delete the files no symbol of this run used (a changed link or base_url leaves every old
    /// symbol behind), and any temporary file a killed run left. Only after a whole run.
    pub fn prune(&self) -> usize {
        self.disk.as_ref().map_or(0, |d| d.prune())
    }

    /// Write the small records (each symbol's modules, each symbol file's size and link) in
    /// one file: those this run used, and unless `only_used` the others too. Best effort.
    pub fn save(&self, only_used: bool) {
        if let Some(d) = &self.disk {
            let _ = d.save_records(only_used);
        }
    }

    /// The stem of a symbol's cache files.
    fn stem(url: &str, ec: EcLevel) -> String {
        let key = format!("{CACHE_VERSION} {ec:?} {url}");
        format!("{:016x}", crate::output::digest(key.as_bytes()))
    }

    pub fn get(&self, url: &str, ec: EcLevel) -> Option<Stored> {
        let Some(disk) = &self.disk else {
            let memory = self.memory.lock();
            return memory.get(&(url.to_string(), ec)).map(|m| Stored::of(m));
        };
        let stem = Self::stem(url, ec);
        // `<stem>.qr`: version, modules and the link, so that a digest collision can never serve
        // another link's symbol; written after the PNG beside it.
        let bytes = disk.record(&format!("{stem}.qr"))?;
        let (head, link) = bytes.split_at_checked(6)?;
        let version = i16::from_le_bytes([head[0], head[1]]);
        let modules = u32::from_le_bytes(head[2..6].try_into().ok()?) as usize;
        if link != url.as_bytes() {
            return None;
        }
        let png = disk.get(&format!("{stem}.png"))?;
        // The SVG is drawn again from the kept modules: a few microseconds, where a cache file
        // and the output's link to it cost three directory changes.
        let sym = self.symbol(url, ec).ok()?;
        Some(Stored {
            svg: Data::Bytes(svg(&sym).into_bytes()),
            png: Data::Cached(png),
            version,
            modules,
        })
    }

    /// Keep a symbol just made; best effort: a cache that cannot be written only costs time.
    pub fn put(&self, url: &str, ec: EcLevel, made: Made) -> Stored {
        let Some(disk) = &self.disk else {
            let made = Arc::new(made);
            {
                let mut m = self.memory.lock();
                m.insert((url.to_string(), ec), made.clone());
            }
            return Stored::of(&made);
        };
        let stem = Self::stem(url, ec);
        let mut head = Vec::with_capacity(6 + url.len());
        head.extend(made.version.to_le_bytes());
        head.extend((made.modules as u32).to_le_bytes());
        head.extend(url.as_bytes());
        let kept = disk.keep(&format!("{stem}.png"), &made.png);
        if kept.is_ok() {
            disk.keep_record(&format!("{stem}.qr"), head);
        }
        match kept {
            Ok(png) => Stored {
                svg: Data::Bytes(made.svg.into_bytes()),
                png: Data::Cached(png),
                version: made.version,
                modules: made.modules,
            },
            Err(_) => Stored::of(&made),
        }
    }

    /// The symbol of `data` (its dark modules), encoded once and then read from the cache: the
    /// plaques and kit cards of a warm run need the modules, not the encoder's search.
    pub fn symbol(&self, data: &str, ec: EcLevel) -> std::result::Result<Symbol, String> {
        let name = self.disk.as_ref().map(|_| {
            let key = format!("{CACHE_VERSION} symbol {ec:?} {data}");
            format!("{:016x}.sym", crate::output::digest(key.as_bytes()))
        });
        if let (Some(disk), Some(name)) = (&self.disk, &name) {
            if let Some(sym) = disk.record(name).and_then(|b| read_symbol(&b, data)) {
                return Ok(sym);
            }
        }
        let sym = encode(data, ec)?;
        if let (Some(disk), Some(name)) = (&self.disk, &name) {
            let mut bytes = Vec::with_capacity(10 + data.len() + sym.dark.len() / 8 + 1);
            bytes.extend(sym.version.to_le_bytes());
            bytes.extend((sym.width as u32).to_le_bytes());
            bytes.extend((data.len() as u32).to_le_bytes());
            bytes.extend(data.as_bytes());
            for chunk in sym.dark.chunks(8) {
                bytes.push(
                    chunk
                        .iter()
                        .enumerate()
                        .fold(0u8, |b, (i, &d)| b | (u8::from(d) << i)),
                );
            }
            disk.keep_record(name, bytes);
        }
        Ok(sym)
    }
}

/// Draw `sym`, the symbol of `url`, as SVG and PNG, decoding the PNG's pixels back with an
/// independent decoder first.
pub fn make(url: &str, sym: &Symbol) -> std::result::Result<Made, String> {
    let (side, pixels) = raster(sym, PNG_SCALE);
    let decoded = decode_modules(sym, side, &pixels);
    if decoded.as_deref() != Ok(url) {
        return Err(format!(
            "did not decode back to its link (read {decoded:?})"
        ));
    }
    let png = png(side, &pixels).map_err(|why| format!("could not be written as PNG: {why}"))?;
    Ok(Made {
        svg: svg(sym),
        png,
        version: sym.version,
        modules: sym.width,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The symbols rqrr (a second decoder, for tests) finds in a whole image.
    fn decode(side_w: usize, side_h: usize, pixels: &[u8]) -> Vec<String> {
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(side_w, side_h, |x, y| {
            pixels[y * side_w + x]
        });
        img.detect_grids()
            .into_iter()
            .filter_map(|g| g.decode().ok().map(|(_, s)| s))
            .collect()
    }

    #[test]
    fn round_trips_and_picks_small_versions() {
        let url = "https://ls.example/q/HVT/";
        let sym = encode(url, EcLevel::Q).unwrap();
        assert!(sym.version <= 3, "version {}", sym.version);
        let (side, px) = raster(&sym, 4);
        assert_eq!(decode(side, side, &px), vec![url.to_string()]);
    }

    #[test]
    fn an_upper_case_host_buys_error_correction() {
        // Byte mode: the example's link needs 29 modules at Q and 33 at H.
        let lower = "https://langson.example/q/HVT/";
        let upper = crate::address::scan_form(lower);
        assert_eq!(encode(lower, EcLevel::Q).unwrap().width, 29);
        assert_eq!(encode(lower, EcLevel::H).unwrap().width, 33);
        // Scheme and host in alphanumeric mode: H in the same 29.
        assert_eq!(encode(&upper, EcLevel::H).unwrap().width, 29);
        assert_eq!(auto_level(&upper), EcLevel::H);
        assert_eq!(width(&upper, EcLevel::H), Ok(29));
        assert_eq!(width(lower, EcLevel::H), Ok(33));
        let sym = encode(&upper, EcLevel::H).unwrap();
        let (side, px) = raster(&sym, 4);
        assert_eq!(decode(side, side, &px), vec![upper.clone()]);
    }

    #[test]
    fn auto_level_spends_at_most_one_version() {
        // Smallest at L: version 4 (33 modules); H would take version 6, Q version 5.
        let long = "HTTPS://DI-TICH.SO-VAN-HOA.LANGSON.GOV.VN/cong-thong-tin/q/DENKYCUNG/";
        let width = |ec| encode(long, ec).unwrap().width;
        let chosen = auto_level(long);
        assert!(width(chosen) <= width(EcLevel::L) + 4, "{chosen:?}");
        assert_ne!(chosen, EcLevel::H, "H would cost two versions");
        assert!(width(EcLevel::H) > width(EcLevel::L) + 4);
        // A link that fits version 1 at L (21 modules) gets no more than version 2.
        let short = "HTTPS://LS.VN/q/A/";
        assert_eq!(encode(short, EcLevel::L).unwrap().width, 21);
        assert!(encode(short, auto_level(short)).unwrap().width <= 25);
    }

    #[test]
    fn the_png_holds_every_pixel_and_a_grid_decodes_to_its_text() {
        let sym = encode("https://png.example/q/PNG/", EcLevel::Q).unwrap();
        for scale in [1, 3, 10] {
            let (side, pixels) = raster(&sym, scale);
            let png = png(side, &pixels).unwrap();
            let mut reader = ::png::Decoder::new(std::io::Cursor::new(png))
                .read_info()
                .unwrap();
            let mut buf = vec![0; reader.output_buffer_size()];
            let info = reader.next_frame(&mut buf).unwrap();
            let row_bytes = info.line_size;
            for y in 0..side {
                for x in 0..side {
                    let light = buf[y * row_bytes + x / 8] >> (7 - x % 8) & 1 == 1;
                    assert_eq!(
                        light,
                        pixels[y * side + x] >= 128,
                        "pixel ({x}, {y}) at {scale}"
                    );
                }
            }
        }
        let (side, pixels) = raster(&sym, 10);
        assert_eq!(
            decode_modules(&sym, side, &pixels).as_deref(),
            Ok("https://png.example/q/PNG/")
        );
        // A changed module is corrected.
        let w = sym.width;
        let flipped = |x: usize, y: usize| sym.dark[y * w + x] != (x == 10 && y == 12);
        assert_eq!(
            decode_grid(w, flipped).as_deref(),
            Ok("https://png.example/q/PNG/")
        );
        let blank = |_, _| false;
        assert!(decode_grid(w, blank).is_err());
        // Every other module of the lower half flipped: past what error correction mends.
        let spoiled =
            |x: usize, y: usize| sym.dark[y * w + x] != (y > w / 2 && (x + y).is_multiple_of(2));
        assert!(decode_grid(w, spoiled).is_err());
    }

    #[test]
    fn text_beyond_ascii_reads_back_as_written() {
        let text = "WIFI:T:WPA;S:Nhà sàn Hữu Liên;P:12345678;;";
        let sym = encode(text, EcLevel::M).unwrap();
        let w = sym.width;
        assert_eq!(
            decode_grid(w, |x, y| sym.dark[y * w + x]).as_deref(),
            Ok(text)
        );
    }

    #[test]
    fn modules_are_runs_along_each_row_past_the_quiet_zone() {
        let dark = [
            true, true, false, //
            false, false, false, //
            true, false, true,
        ];
        let q = QUIET_ZONE;
        assert_eq!(
            runs(&dark, 3),
            vec![(q, q, 2), (q, q + 2, 1), (q + 2, q + 2, 1)]
        );
    }

    #[test]
    fn svg_is_one_path_with_quiet_zone() {
        let sym = encode("https://ls.example/q/AB/", EcLevel::Q).unwrap();
        let s = svg(&sym);
        assert_eq!(s.matches("<path").count(), 1);
        assert!(s.contains("crispEdges"));
        let side = (sym.width + 2 * QUIET_ZONE) * 8;
        assert!(s.contains(&format!("width=\"{side}\"")), "{s}");
    }
}
