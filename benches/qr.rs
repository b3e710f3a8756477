//! Cost of each step of making a plaque's QR code, per symbol: `cargo bench --bench qr`.
//! Figures go to BENCHMARKS.md; nothing here asserts a time.

fn main() {
    use std::time::Instant;
    let ec = waymark::config::EcLevel::Q;
    let urls: Vec<String> = (0..200)
        .map(|i| format!("https://bench.example/q/ABC{i}/"))
        .collect();
    let t = Instant::now();
    let syms: Vec<_> = urls
        .iter()
        .map(|u| waymark::qr::encode(u, ec).unwrap())
        .collect();
    println!("encode {:?}", t.elapsed() / 200);
    let t = Instant::now();
    let r: Vec<_> = syms.iter().map(|s| waymark::qr::raster(s, 3)).collect();
    println!("raster3 {:?}", t.elapsed() / 200);
    let t = Instant::now();
    for (side, px) in &r {
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(*side, *side, |x, y| px[y * side + x]);
        for grid in img.detect_grids() {
            let _ = grid.decode();
        }
    }
    println!(
        "rqrr: find and decode in a whole image at 3 px a module {:?}",
        t.elapsed() / 200
    );
    let t = Instant::now();
    let r10: Vec<_> = syms.iter().map(|s| waymark::qr::raster(s, 10)).collect();
    println!("raster10 {:?}", t.elapsed() / 200);
    let t = Instant::now();
    for (s, (side, px)) in syms.iter().zip(&r10) {
        waymark::qr::decode_modules(s, *side, px).unwrap();
    }
    println!("decode_modules {:?}", t.elapsed() / 200);
    let t = Instant::now();
    for (side, px) in &r10 {
        waymark::qr::png(*side, px).unwrap();
    }
    println!("png {:?}", t.elapsed() / 200);
    let t = Instant::now();
    for c in &syms {
        waymark::qr::svg(c);
    }
    println!("svg {:?}", t.elapsed() / 200);
}
