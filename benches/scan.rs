//! How far a printed plaque scans: each size of the Hoàng Văn Thụ plaque that `waymark plaques`
//! makes, captured as a phone would (benches/scan/capture.rs) and decoded by rqrr (in process),
//! ZXing's decoder (rxing, with `--features zxing`) and zbarimg, against the baseline volunteers
//! print today: the page's address as a plain QR code at error correction L, printed as wide as
//! the plaque's symbol.
//!
//! cargo bench --bench scan --features zxing   (SCAN_RUNS=N random captures a case, default 100;
//!                                      SCAN_SIZES=a6,sticker,a4; SCAN_EC=L|M|Q|H for the plaques)
//! SCAN_EXPLORE=1 cargo bench --bench scan   (the design space: one link in byte and alphanumeric
//!                                      mode at each level and several widths, SCAN_WIDTHS=61,72,80)
//! Prints per size and design: the share of random captures decoded to the exact payload, and
//! the farthest distance decoded clean and under the field condition.

#[path = "scan/capture.rs"]
mod capture;

use capture::{capture, decode_rqrr, Print, Rng, Shot, H, W};

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const DPI: f64 = 300.0;

struct Case {
    size: String,
    design: String,
    print: Print,
    payload: String,
    /// The scale of distances: 1.0 for A6 (105 mm wide), in proportion to the card's width.
    reach: f64,
    symbol_mm: f64,
}

fn main() {
    capture::quiet_rqrr_panics();
    let runs: usize = std::env::var("SCAN_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let work = tempfile::tempdir().expect("temp dir");
    let site = copy_example(work.path());
    let zbar = Command::new("zbarimg").arg("--version").output().is_ok();
    if !zbar {
        eprintln!("zbarimg not found (apt-get install zbar-tools): only rqrr decodes");
    }
    if std::env::var_os("SCAN_EXPLORE").is_some() {
        explore(runs, work.path(), zbar);
        return;
    }
    if let Ok(ec) = std::env::var("SCAN_EC") {
        // The plaques at another error-correction level, to compare designs.
        let yaml = site.join("site.yaml");
        let text = std::fs::read_to_string(&yaml).expect("site.yaml");
        let text = text.replace("error_correction: auto", &format!("error_correction: {ec}"));
        std::fs::write(&yaml, text).expect("site.yaml written");
    }
    let sizes = std::env::var("SCAN_SIZES").unwrap_or_else(|_| "a6,sticker,a4".into());
    let mut cases = Vec::new();
    for size in sizes.split(',') {
        let out = work.path().join(format!("out-{size}"));
        let status = Command::new(env!("CARGO_BIN_EXE_waymark"))
            .args([
                "plaques", "--codes", "HVT", "--png", "--sheet", "none", "--size", size, "--out",
            ])
            .arg(&out)
            .arg("--site")
            .arg(&site)
            .output()
            .expect("waymark runs");
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let manifest =
            std::fs::read_to_string(out.join("print/manifest.json")).expect("a manifest");
        let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("JSON");
        let item = manifest
            .as_array()
            .and_then(|a| a.iter().find(|p| p["code"] == "HVT"))
            .expect("the plaque in the manifest");
        let payload = item["url"]
            .as_str()
            .expect("the plaque's URL in the manifest")
            .to_string();
        let design = format!(
            "plaque ({}, {})",
            item["error_correction"].as_str().unwrap_or("?"),
            item["modules"]
        );
        let img = image::open(out.join("print/plaques/HVT.png"))
            .expect("the plaque's PNG")
            .to_luma8();
        let (w, h) = img.dimensions();
        let print = Print::new(img.into_raw(), w as usize, h as usize, DPI / 25.4);
        let symbol_mm = symbol_width_mm(&print).expect("the plaque's own symbol is found");
        let reach = print.mm().0.min(print.mm().1) / 105.0;
        let page = "https://langson.example/relics/khu-luu-niem-hoang-van-thu/".to_string();
        let baseline = baseline(&page, symbol_mm, print.mm());
        cases.push(Case {
            size: size.to_string(),
            design,
            print,
            payload,
            reach,
            symbol_mm,
        });
        cases.push(Case {
            size: size.to_string(),
            design: "baseline (page URL, L)".into(),
            print: baseline,
            payload: page,
            reach,
            symbol_mm,
        });
    }
    println!(
        "capture: {W}x{H} preview, 65° field of view; {runs} random captures a case (SCAN_RUNS); decoders {}",
        decoders(zbar).join("/")
    );
    println!(
        "{:<8} {:<24} {:>7} {:>16} {:>18} {:>18}",
        "size", "design", "symbol", "random read", "clean reach", "field reach"
    );
    for c in &cases {
        let mut rng = Rng::new(20_261_201);
        let shots: Vec<Shot> = (0..runs).map(|_| Shot::random(&mut rng, c.reach)).collect();
        let read = decode_all(c, &shots, work.path(), zbar);
        println!(
            "{:<8} {:<24} {:>5.0}mm {:>16} {:>18} {:>18}",
            c.size,
            c.design,
            c.symbol_mm,
            per_decoder(read.iter().map(|v| share(v))),
            metres(&reach(c, Shot::clean, work.path(), zbar)),
            metres(&reach(c, Shot::field, work.path(), zbar)),
        );
    }
    println!("reach: farthest distance where most of {FRAMES} captures decode, stepping 5 cm (10 cm for A4) from 20 cm");
}

/// The decoders of this run: rqrr always, ZXing with `--features zxing`, zbar when installed.
fn decoders(zbar: bool) -> Vec<&'static str> {
    let mut d = vec!["rqrr"];
    if cfg!(feature = "zxing") {
        d.push("zxing");
    }
    if zbar {
        d.push("zbar");
    }
    d
}

/// Decode every shot of a case with each decoder (zbar in one zbarimg run): what each read
/// exactly, in the order of `decoders`.
fn decode_all(c: &Case, shots: &[Shot], dir: &Path, zbar: bool) -> Vec<Vec<bool>> {
    let frames: Vec<Vec<u8>> = shots.par_iter().map(|s| capture(&c.print, s)).collect();
    let mut out = vec![frames
        .par_iter()
        .map(|f| decode_rqrr(f).contains(&c.payload))
        .collect()];
    #[cfg(feature = "zxing")]
    out.push(
        frames
            .par_iter()
            .map(|f| capture::decode_zxing(f).contains(&c.payload))
            .collect(),
    );
    if !zbar {
        return out;
    }
    let files: Vec<PathBuf> = frames
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let p = dir.join(format!("frame-{i}.png"));
            let mut bytes = Vec::new();
            {
                let mut enc = png::Encoder::new(&mut bytes, W as u32, H as u32);
                enc.set_color(png::ColorType::Grayscale);
                let mut w = enc.write_header().expect("png header");
                w.write_image_data(f).expect("png data");
            }
            std::fs::write(&p, bytes).expect("frame written");
            p
        })
        .collect();
    let run = Command::new("zbarimg")
        .args(["--xml", "-q", "-Sdisable", "-Sqrcode.enable"])
        .args(&files)
        .output()
        .expect("zbarimg runs");
    let xml = String::from_utf8_lossy(&run.stdout);
    out.push(
        files
            .iter()
            .map(|f| {
                let name = f.display().to_string();
                xml.split("<source href='")
                    .find(|s| s.starts_with(&name))
                    .is_some_and(|s| s.contains(&format!("<data><![CDATA[{}]]></data>", c.payload)))
            })
            .collect(),
    );
    for f in files {
        let _ = std::fs::remove_file(f);
    }
    out
}

/// Captures a distance for a reach: they differ in sensor noise, JPEG blocks and where the
/// plaque falls between pixels, as a phone's successive frames do.
const FRAMES: u64 = 5;

/// The farthest distance at which most of `FRAMES` shots of kind `shot` decode, per decoder:
/// distances step up until three in a row fail.
fn reach(c: &Case, shot: fn(f64) -> Shot, dir: &Path, zbar: bool) -> Vec<f64> {
    let step = if c.reach > 1.5 { 0.10 } else { 0.05 };
    // Up to two and a half times the card's random range: no design here reads farther.
    let distances: Vec<f64> = (0..)
        .map(|i| 0.2 + step * i as f64)
        .take_while(|d| *d <= 2.5 * c.reach + 1e-9)
        .collect();
    let shots: Vec<Shot> = distances
        .iter()
        .flat_map(|d| {
            (0..FRAMES).map(move |k| Shot {
                seed: shot(*d).seed + 1000 * k,
                ..shot(*d)
            })
        })
        .collect();
    let far = |ok: &Vec<bool>| {
        let mut best = 0.0;
        let mut misses = 0;
        for (d, frames) in distances.iter().zip(ok.chunks(FRAMES as usize)) {
            if frames.iter().filter(|x| **x).count() * 2 > frames.len() {
                best = *d;
                misses = 0;
            } else if best > 0.0 {
                misses += 1;
                if misses == 3 {
                    break;
                }
            }
        }
        best
    };
    decode_all(c, &shots, dir, zbar).iter().map(far).collect()
}

/// "a / b / c", one figure per decoder.
fn per_decoder(figures: impl Iterator<Item = String>) -> String {
    figures.collect::<Vec<_>>().join("/")
}

fn share(v: &[bool]) -> String {
    format!(
        "{:.0}%",
        100.0 * v.iter().filter(|x| **x).count() as f64 / v.len().max(1) as f64
    )
}

fn metres(r: &[f64]) -> String {
    per_decoder(r.iter().map(|m| format!("{m:.2}"))) + " m"
}

/// The width of the QR symbol on a print, from where rqrr finds its corners.
fn symbol_width_mm(p: &Print) -> Option<f64> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(p.w, p.h, |x, y| p.grey[y * p.w + x]);
    let grid = img.detect_grids().into_iter().next()?;
    let b = grid.bounds;
    let w = (((b[1].x - b[0].x).pow(2) + (b[1].y - b[0].y).pow(2)) as f64).sqrt();
    Some(w / p.ppm)
}

/// A card the size of the plaque with the page's address as a plain QR code at L, the symbol
/// (without its quiet zone) `symbol_mm` wide, centred.
fn baseline(url: &str, symbol_mm: f64, card: (f64, f64)) -> Print {
    let at = ((card.0 - symbol_mm) / 2.0, (card.1 - symbol_mm) / 2.0);
    capture::card_with_qr(url, qrcode::EcLevel::L, symbol_mm, card, at, DPI / 25.4)
}

/// The bundled example, copied, so that `waymark plaques` records print days in the copy.
fn copy_example(into: &Path) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let site = into.join("site");
    std::fs::create_dir_all(&site).expect("a site folder");
    for name in ["content", "themes", "site.yaml", "plaques.lock"] {
        let ok = Command::new("cp")
            .arg("-r")
            .arg(root.join(name))
            .arg(site.join(name))
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "cannot copy {name}");
    }
    site
}

/// The design space on an A6 card: the same short link in byte mode (lower case) and in
/// alphanumeric mode (upper case), at each error-correction level, printed at several widths.
fn explore(runs: usize, dir: &Path, zbar: bool) {
    let links = [
        "https://langson.example/q/HVT/",
        "HTTPS://LANGSON.EXAMPLE/Q/HVT/",
        "HTTPS://LANGSON.EXAMPLE/Q/NHITHANH/",
    ];
    let widths: Vec<f64> = std::env::var("SCAN_WIDTHS")
        .ok()
        .map(|v| v.split(',').filter_map(|w| w.parse().ok()).collect())
        .unwrap_or_else(|| vec![61.0, 70.0, 80.0]);
    let levels = [
        ("L", qrcode::EcLevel::L),
        ("M", qrcode::EcLevel::M),
        ("Q", qrcode::EcLevel::Q),
        ("H", qrcode::EcLevel::H),
    ];
    println!(
        "{:<38} {:>3} {:>4} {:>6} {:>16} {:>18} {:>18}",
        "payload", "ec", "mods", "symbol", "random read", "clean reach", "field reach"
    );
    for link in links {
        for (name, ec) in levels {
            let n = qrcode::QrCode::with_error_correction_level(link.as_bytes(), ec)
                .expect("a code")
                .width();
            for &mm in &widths {
                let card = (105.0, 148.0);
                let print = capture::card_with_qr(
                    link,
                    ec,
                    mm,
                    card,
                    ((card.0 - mm) / 2.0, 30.0),
                    DPI / 25.4,
                );
                let c = Case {
                    size: "a6".into(),
                    design: "explore".into(),
                    print,
                    payload: link.to_string(),
                    reach: 1.0,
                    symbol_mm: mm,
                };
                let mut rng = Rng::new(20_261_201);
                let shots: Vec<Shot> = (0..runs).map(|_| Shot::random(&mut rng, 1.0)).collect();
                let read = decode_all(&c, &shots, dir, zbar);
                println!(
                    "{:<38} {:>3} {:>4} {:>4.0}mm {:>16} {:>18} {:>18}",
                    link,
                    name,
                    n,
                    mm,
                    per_decoder(read.iter().map(|v| share(v))),
                    metres(&reach(&c, Shot::clean, dir, zbar)),
                    metres(&reach(&c, Shot::field, dir, zbar)),
                );
            }
        }
    }
}
