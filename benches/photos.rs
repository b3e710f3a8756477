//! Photos a second for 4000×3000 phone JPEGs, cold and cached, paired with Hugo (extended)
//! doing the same work on the same photos in the same run: widths 480/960/1600 as JPEG and WebP,
//! and a 1200×630 sharing crop of each.
//!
//! usage: cargo bench --bench photos [-- N]   (N photos, default 12; needs `hugo` on PATH for the pair)

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(12);
    let dir = tempfile::tempdir().expect("temp dir");
    let wm = dir.path().join("waymark");
    let hugo = dir.path().join("hugo");
    // Every photo different: the same bytes twice would be one photo to a content-keyed cache.
    let t = Instant::now();
    let photos: Vec<Vec<u8>> = (0..n).map(|i| phone_photo(4000, 3000, i as u32)).collect();
    println!(
        "{n} different photos of 4000×3000 ({} KB each, made in {:.1} s)",
        photos[0].len() / 1024,
        t.elapsed().as_secs_f64()
    );
    write(
        &wm,
        "site.yaml",
        b"title: Bench\nbase_url: https://bench.example\n",
    );
    write(&hugo, "config.toml", b"baseURL = \"https://bench.example/\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n");
    write(
        &hugo,
        "layouts/_default/single.html",
        HUGO_SINGLE.as_bytes(),
    );
    write(
        &hugo,
        "layouts/_default/list.html",
        b"{{ range .Pages }}{{ .Title }}{{ end }}",
    );
    write(
        &hugo,
        "layouts/index.html",
        b"{{ range .Site.RegularPages }}{{ .Title }}{{ end }}",
    );
    for (i, photo) in photos.iter().enumerate() {
        let front = format!(
            "---\ntitle: Place {i}\nimages:\n  - {{src: photo.jpg, alt: A place}}\n---\nText.\n"
        );
        write(
            &wm,
            &format!("content/relics/p{i}/index.md"),
            front.as_bytes(),
        );
        write(&wm, &format!("content/relics/p{i}/photo.jpg"), photo);
        let front = format!("---\ntitle: Place {i}\n---\nText.\n");
        write(
            &hugo,
            &format!("content/relics/p{i}/index.md"),
            front.as_bytes(),
        );
        write(&hugo, &format!("content/relics/p{i}/photo.jpg"), photo);
    }

    let waymark = env!("CARGO_BIN_EXE_waymark");
    let run_wm = || timed(Command::new(waymark).arg("build").arg("--site").arg(&wm));
    let _ = std::fs::remove_dir_all(wm.join(".waymark-cache"));
    let wm_cold = run_wm();
    let wm_warm = run_wm();
    println!(
        "{:<22} {:>9} {:>10} {:>10}",
        "", "wall (s)", "photos/s", "peak MiB"
    );
    report("waymark cold", wm_cold, n);
    report("waymark cached", wm_warm, n);
    let run_hugo = || {
        timed(
            Command::new("hugo")
                .arg("--quiet")
                .arg("-s")
                .arg(&hugo)
                .arg("-d")
                .arg(hugo.join("public")),
        )
    };
    if Command::new("hugo").arg("version").output().is_err() {
        println!("hugo not found: no paired figures (apt-get install hugo)");
        return;
    }
    let _ = std::fs::remove_dir_all(hugo.join("resources"));
    let hugo_cold = run_hugo();
    let hugo_warm = run_hugo();
    report("hugo cold", hugo_cold, n);
    report("hugo cached", hugo_warm, n);
    println!(
        "ratio waymark/hugo wall: cold {:.2}, cached {:.2} (under 1 is faster than Hugo)",
        wm_cold.0 / hugo_cold.0,
        wm_warm.0 / hugo_warm.0
    );
}

/// Each photo through Hugo's image pipeline as Waymark does it.
const HUGO_SINGLE: &str = r#"{{ with .Resources.GetMatch "photo.jpg" }}
{{ range slice 480 960 1600 }}{{ $j := $.Resources.GetMatch "photo.jpg" }}
{{ with $j.Resize (printf "%dx jpg q80" .) }}<img src="{{ .RelPermalink }}">{{ end }}
{{ with $j.Resize (printf "%dx webp q75" .) }}<img src="{{ .RelPermalink }}">{{ end }}{{ end }}
{{ with .Fill "1200x630 jpg q80" }}<meta content="{{ .RelPermalink }}">{{ end }}
{{ end }}<h1>{{ .Title }}</h1>{{ .Content }}"#;

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// Wall seconds and peak memory (KiB) of one run, by /usr/bin/time.
fn timed(cmd: &mut Command) -> (f64, u64) {
    let program = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%e %M")
        .arg(program)
        .args(args)
        .output()
        .expect("run /usr/bin/time");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let last = err.lines().last().unwrap_or("");
    let mut parts = last.split_whitespace();
    let wall = parts
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN);
    let rss = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    (wall, rss)
}

fn report(what: &str, (wall, rss): (f64, u64), n: usize) {
    println!(
        "{what:<22} {wall:>9.2} {:>10.1} {:>10}",
        n as f64 / wall,
        rss / 1024
    );
}

/// A photo-like image: smooth light over the frame with fine texture (leaves, stone), so that
/// it compresses like a real photo (a flat colour would flatter every encoder).
fn phone_photo(w: u16, h: u16, n: u32) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(w as usize * h as usize * 3);
    let mut seed: u32 = 0x9e37_79b9 ^ n.wrapping_mul(0x85eb_ca6b);
    for y in 0..h as u32 {
        for x in 0..w as u32 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed & 31) as i32 - 16;
            let sky = y < h as u32 / 3;
            let base = if sky {
                [120 + (y / 20) as i32, 160 + (y / 25) as i32, 220]
            } else {
                let wave = (((x as f32 / (37.0 + n as f32)).sin() + (y as f32 / 23.0).cos()) * 30.0)
                    as i32;
                [70 + wave, 110 + wave / 2, 50]
            };
            for c in base {
                rgb.push((c + noise).clamp(0, 255) as u8);
            }
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .expect("encode");
    out
}
