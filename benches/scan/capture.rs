//! A phone's camera preview of a printed plaque, simulated: the plaque (a raster with its size
//! in mm) placed on a grey wall at a distance, tilted and rotated, seen through a pinhole camera
//! of 1280×720 pixels and a 65° horizontal field of view; then blurred, darkened, noised, glared,
//! dirtied and JPEG-compressed as a cheap phone does. Deterministic for a given seed.

pub const W: usize = 1280;
pub const H: usize = 720;
const FOV_DEG: f64 = 65.0;

/// A plaque as printed: grey pixels and their density.
pub struct Print {
    pub grey: Vec<u8>,
    pub w: usize,
    pub h: usize,
    /// Pixels per millimetre.
    pub ppm: f64,
    /// Halvings of `grey`, for sampling from afar without aliasing: (pixels, w, h, ppm).
    mips: Vec<(Vec<u8>, usize, usize, f64)>,
}

impl Print {
    pub fn new(grey: Vec<u8>, w: usize, h: usize, ppm: f64) -> Print {
        let mut mips = vec![(grey.clone(), w, h, ppm)];
        while mips.last().is_some_and(|m| m.1 > 8 && m.2 > 8) {
            let (g, w0, h0, p) = mips.last().expect("a level");
            let (w1, h1) = (w0 / 2, h0 / 2);
            let mut out = vec![0u8; w1 * h1];
            for y in 0..h1 {
                for x in 0..w1 {
                    let s = |dx: usize, dy: usize| u32::from(g[(2 * y + dy) * w0 + 2 * x + dx]);
                    out[y * w1 + x] = ((s(0, 0) + s(1, 0) + s(0, 1) + s(1, 1) + 2) / 4) as u8;
                }
            }
            let p1 = p / 2.0;
            mips.push((out, w1, h1, p1));
        }
        Print {
            grey,
            w,
            h,
            ppm,
            mips,
        }
    }

    pub fn mm(&self) -> (f64, f64) {
        (self.w as f64 / self.ppm, self.h as f64 / self.ppm)
    }
}

/// How a capture is taken.
#[derive(Debug, Clone, Copy)]
pub struct Shot {
    /// Metres from the camera to the plaque's centre.
    pub distance: f64,
    /// Degrees the plaque is turned away about the vertical axis.
    pub tilt: f64,
    /// Degrees the phone is rotated about its view axis.
    pub rotation: f64,
    /// Gaussian blur, in pixels (focus, hand shake).
    pub blur: f64,
    /// 1.0 full light; 0.25 deep shade.
    pub light: f64,
    /// Sensor noise, standard deviation in grey levels.
    pub noise: f64,
    pub glare: bool,
    pub dirt: bool,
    /// JPEG quality of the frame the decoder gets.
    pub jpeg: u8,
    pub seed: u64,
}

impl Shot {
    /// Head-on, sharp, full light: the best a phone can do at `distance`.
    pub fn clean(distance: f64) -> Shot {
        Shot {
            distance,
            tilt: 0.0,
            rotation: 0.0,
            blur: 0.0,
            light: 1.0,
            noise: 2.0,
            glare: false,
            dirt: false,
            jpeg: 90,
            seed: 1,
        }
    }

    /// The field condition of issue #20: 30° tilt, 1 px blur, half light, sensor noise, JPEG 60.
    pub fn field(distance: f64) -> Shot {
        Shot {
            distance,
            tilt: 30.0,
            rotation: 5.0,
            blur: 1.0,
            light: 0.5,
            noise: 6.0,
            glare: false,
            dirt: false,
            jpeg: 60,
            seed: 2,
        }
    }

    /// A random capture from `rng`, with distances scaled by `reach` (1.0 for A6).
    pub fn random(rng: &mut Rng, reach: f64) -> Shot {
        Shot {
            distance: reach * rng.range(0.3, 1.6),
            tilt: rng.range(0.0, 50.0),
            rotation: rng.range(-20.0, 20.0),
            blur: rng.range(0.0, 1.5),
            light: rng.range(0.25, 1.0),
            noise: rng.range(2.0, 8.0),
            glare: rng.next_f64() < 0.3,
            dirt: rng.next_f64() < 0.3,
            jpeg: rng.range(50.0, 90.0) as u8,
            seed: rng.next_u64(),
        }
    }
}

/// A card `card` mm (w, h) at `ppm` pixels a millimetre with `text` as a QR symbol at `ec`,
/// `symbol_mm` wide (its quiet zone not counted), its top-left corner at `at` mm.
pub fn card_with_qr(
    text: &str,
    ec: qrcode::EcLevel,
    symbol_mm: f64,
    card: (f64, f64),
    at: (f64, f64),
    ppm: f64,
) -> Print {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), ec).expect("a QR code");
    let n = code.width();
    let colors = code.to_colors();
    let (w, h) = ((card.0 * ppm) as usize, (card.1 * ppm) as usize);
    let module = symbol_mm / n as f64;
    let mut grey = vec![250u8; w * h];
    for y in 0..h {
        for x in 0..w {
            let (mx, my) = (
                (x as f64 / ppm - at.0) / module,
                (y as f64 / ppm - at.1) / module,
            );
            let inside = mx >= 0.0 && my >= 0.0 && (mx as usize) < n && (my as usize) < n;
            if inside && colors[my as usize * n + mx as usize] == qrcode::Color::Dark {
                grey[y * w + x] = 20;
            }
        }
    }
    Print::new(grey, w, h, ppm)
}

/// A small deterministic generator (PCG-style), so that runs compare.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let x = self.0;
        (x ^ (x >> 33)).wrapping_mul(0xff51afd7ed558ccd) ^ (x >> 29)
    }
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.next_f64()
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.next_f64().max(1e-12), self.next_f64());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// The camera frame (grey, W×H) of `print` taken as `shot` says, after JPEG compression.
pub fn capture(print: &Print, shot: &Shot) -> Vec<u8> {
    let mut rng = Rng::new(shot.seed);
    let f = (W as f64 / 2.0) / (FOV_DEG.to_radians() / 2.0).tan();
    let (pw, ph) = print.mm();
    let (t, r) = (shot.tilt.to_radians(), shot.rotation.to_radians());
    // The plaque's plane: its centre straight ahead, turned by `tilt` about the vertical axis;
    // the phone turned by `rotation` about its axis (the image rotates the other way).
    let normal = [t.sin(), 0.0, -t.cos()];
    let ux = [t.cos(), 0.0, t.sin()];
    let uy = [0.0, 1.0, 0.0];
    // The mip level whose pixels are about the size of a frame pixel at the plaque's centre.
    let mm_per_px = shot.distance * 1000.0 / f;
    // Where the plaque falls between the sensor's pixels: a hand never holds it twice alike.
    let jitter = |rng: &mut Rng| rng.range(-0.5, 0.5) * mm_per_px / 1000.0;
    let centre = [jitter(&mut rng), jitter(&mut rng), shot.distance];
    let level = print
        .mips
        .iter()
        .rposition(|m| 1.0 / m.3 <= mm_per_px * 0.7)
        .unwrap_or(0);
    let (src, sw, shh, sppm) = {
        let m = &print.mips[level];
        (&m.0, m.1, m.2, m.3)
    };
    // Dirt: dark blotches fixed on the plaque.
    let blotches: Vec<(f64, f64, f64, f64)> = if shot.dirt {
        (0..6)
            .map(|_| {
                (
                    rng.range(0.0, pw),
                    rng.range(0.0, ph),
                    rng.range(3.0, 9.0),
                    rng.range(0.35, 0.7),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let glare = shot.glare.then(|| {
        (
            rng.range(0.2, 0.8) * pw,
            rng.range(0.2, 0.8) * ph,
            rng.range(15.0, 35.0),
        )
    });
    let (cr, sr) = (r.cos(), r.sin());
    let mut frame = vec![0f64; W * H];
    let sample = |x: f64, y: f64| -> f64 {
        // Bilinear, in the chosen level's pixels.
        let (fx, fy) = (x * sppm - 0.5, y * sppm - 0.5);
        let (x0, y0) = (fx.floor(), fy.floor());
        let (ax, ay) = (fx - x0, fy - y0);
        let px = |xx: f64, yy: f64| -> f64 {
            let (xi, yi) = (
                xx.clamp(0.0, sw as f64 - 1.0) as usize,
                yy.clamp(0.0, shh as f64 - 1.0) as usize,
            );
            f64::from(src[yi * sw + xi])
        };
        let top = px(x0, y0) * (1.0 - ax) + px(x0 + 1.0, y0) * ax;
        let bottom = px(x0, y0 + 1.0) * (1.0 - ax) + px(x0 + 1.0, y0 + 1.0) * ax;
        top * (1.0 - ay) + bottom * ay
    };
    let wall = 140.0;
    for py in 0..H {
        for px in 0..W {
            let mut acc = 0.0;
            // 2×2 rays a pixel.
            for (ox, oy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                let (sx, sy) = (
                    px as f64 + ox - W as f64 / 2.0,
                    py as f64 + oy - H as f64 / 2.0,
                );
                let (rx, ry) = (cr * sx - sr * sy, sr * sx + cr * sy);
                let dir = [rx / f, ry / f, 1.0];
                let denom = normal[0] * dir[0] + normal[1] * dir[1] + normal[2] * dir[2];
                let num = normal[0] * centre[0] + normal[1] * centre[1] + normal[2] * centre[2];
                let tt = num / denom;
                if tt <= 0.0 {
                    acc += wall;
                    continue;
                }
                let p = [
                    dir[0] * tt - centre[0],
                    dir[1] * tt - centre[1],
                    dir[2] * tt - centre[2],
                ];
                let x = (p[0] * ux[0] + p[1] * ux[1] + p[2] * ux[2]) * 1000.0 + pw / 2.0;
                let y = (p[0] * uy[0] + p[1] * uy[1] + p[2] * uy[2]) * 1000.0 + ph / 2.0;
                if x < 0.0 || y < 0.0 || x >= pw || y >= ph {
                    acc += wall;
                    continue;
                }
                let mut v = sample(x, y);
                for (bx, by, br, k) in &blotches {
                    if (x - bx).powi(2) + (y - by).powi(2) < br * br {
                        v *= k;
                    }
                }
                if let Some((gx, gy, gr)) = glare {
                    let d2 = ((x - gx).powi(2) + (y - gy).powi(2)) / (gr * gr);
                    v += 255.0 * 0.9 * (-d2).exp();
                }
                acc += v;
            }
            frame[py * W + px] = acc / 4.0;
        }
    }
    if shot.blur > 0.05 {
        gaussian(&mut frame, shot.blur);
    }
    let bytes: Vec<u8> = frame
        .iter()
        .map(|v| {
            (v * shot.light + shot.noise * rng.normal())
                .round()
                .clamp(0.0, 255.0) as u8
        })
        .collect();
    jpeg_round_trip(&bytes, shot.jpeg)
}

fn gaussian(img: &mut [f64], sigma: f64) {
    let radius = (sigma * 3.0).ceil() as isize;
    let kernel: Vec<f64> = (-radius..=radius)
        .map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f64 = kernel.iter().sum();
    let kernel: Vec<f64> = kernel.iter().map(|k| k / sum).collect();
    let mut tmp = vec![0f64; img.len()];
    // Rows, then columns: (length of a line, its stride, number of lines, their stride).
    blur_lines(img, &mut tmp, &kernel, (W, 1), (H, W));
    blur_lines(&tmp, img, &kernel, (H, W), (W, 1));
}

fn blur_lines(
    src: &[f64],
    dst: &mut [f64],
    kernel: &[f64],
    along: (usize, usize),
    across: (usize, usize),
) {
    let radius = (kernel.len() / 2) as isize;
    for line in 0..across.0 {
        for i in 0..along.0 {
            let mut a = 0.0;
            for (k, w) in kernel.iter().enumerate() {
                let j = (i as isize + k as isize - radius).clamp(0, along.0 as isize - 1) as usize;
                a += src[line * across.1 + j * along.1] * w;
            }
            dst[line * across.1 + i * along.1] = a;
        }
    }
}

fn jpeg_round_trip(grey: &[u8], quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(grey, W as u16, H as u16, jpeg_encoder::ColorType::Luma)
        .expect("a JPEG of a frame");
    image::load_from_memory_with_format(&out, image::ImageFormat::Jpeg)
        .expect("our own JPEG decodes")
        .to_luma8()
        .into_raw()
}

/// The text rqrr (in process) reads in a frame, if any.
/// (rqrr 0.9 panics on a few distorted frames, an assertion in its grid finder: that frame
/// counts as not read.)
pub fn decode_rqrr(frame: &[u8]) -> Vec<String> {
    std::panic::catch_unwind(|| {
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(W, H, |x, y| frame[y * W + x]);
        img.detect_grids()
            .iter()
            .filter_map(|g| g.decode().ok().map(|(_, s)| s))
            .collect()
    })
    .unwrap_or_default()
}

/// The text ZXing's decoder (rxing, its Rust port) reads in a frame, if any; default hints, as a
/// phone's scanner in continuous mode.
#[cfg(feature = "zxing")]
#[allow(dead_code)] // the capture test does not use it
pub fn decode_zxing(frame: &[u8]) -> Vec<String> {
    std::panic::catch_unwind(|| {
        rxing::helpers::detect_in_luma(
            frame.to_vec(),
            W as u32,
            H as u32,
            Some(rxing::BarcodeFormat::QR_CODE),
        )
        .map(|r| vec![r.getText().to_string()])
        .unwrap_or_default()
    })
    .unwrap_or_default()
}

/// Keep rqrr's caught panics out of the output; any other panic is reported as usual.
pub fn quiet_rqrr_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info
            .location()
            .is_some_and(|l| l.file().contains("rqrr") || l.file().contains("rxing"))
        {
            default(info);
        }
    }));
}
