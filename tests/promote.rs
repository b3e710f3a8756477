//! Homestay owners promote their listings (issue #31): links as buttons with their icons and
//! labels, in JSON-LD `sameAs`; bad links refused at their line with the fix; the share image's
//! size and text (against a reference drawing of the band); the owner's kit (the online card's
//! codes decoded by zbarimg, the post QR image and texts); the page at 390 px in Chromium.

mod common;
use common::{build, build_ok, plaques_ok, read, site, stderr};
use std::path::Path;
use std::process::Command;

const FILE: &str = "content/homestays/nha-rieng/index.md";

/// Eight kinds of links, and one site Waymark does not know, with its label.
const LINKS: &[(&str, &str)] = &[
    ("https://www.facebook.com/nharieng", "Facebook"),
    ("https://www.tiktok.com/@nharieng", "TikTok"),
    ("https://zalo.me/4000000000000000001", "Zalo OA"),
    ("https://www.youtube.com/@nharieng", "YouTube"),
    (
        "https://www.booking.com/hotel/vn/nha-rieng.html",
        "Đặt qua Booking.com",
    ),
    (
        "https://www.agoda.com/nha-rieng/hotel/x.html",
        "Đặt qua Agoda",
    ),
    ("https://maps.app.goo.gl/NhaRieng", "Google Maps"),
    ("https://shopee.vn/nharieng", "Mua trên Shopee"),
    ("https://nharieng.example/", "Trang riêng"),
];

fn homestay(extra: &str) -> String {
    let mut links = String::from("links:\n");
    for (url, label) in LINKS {
        if url.contains("example") {
            links.push_str(&format!("  - {{ url: \"{url}\", label: \"{label}\" }}\n"));
        } else {
            links.push_str(&format!("  - {url}\n"));
        }
    }
    format!(
        "---\ntitle: Homestay Nà Riềng\ncode: NRG\nprice_from: 250000\n{links}{extra}---\n\nNhà sàn.\n"
    )
}

fn zh_translation() -> (&'static str, &'static str) {
    (
        "content/homestays/nha-rieng/index.zh.md",
        "---\ntitle: 那楞民宿\n---\n\n高脚屋。\n",
    )
}

const SITE_YAML: &str = "title: Test\nbase_url: https://t.example\nlanguages: [vi, en, zh]\n";

#[test]
fn every_link_is_a_button_with_its_label_and_in_same_as() {
    let (zh_file, zh_text) = zh_translation();
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        (FILE, &homestay("")),
        (zh_file, zh_text),
        (
            "content/homestays/nha-rieng/index.en.md",
            "---\ntitle: Nà Riềng Homestay\n---\n\nA stilt house.\n",
        ),
    ]);
    let out = build_ok(dir.path());
    let html = read(out.join("site/homestays/nha-rieng/index.html"));
    for (url, label) in LINKS {
        let button = format!("<a class=\"btn\" href=\"{url}\"");
        let at = html
            .find(&button)
            .unwrap_or_else(|| panic!("no button for {url}"));
        let end = at + html[at..].find("</a>").unwrap();
        assert!(html[at..end].contains(label), "{url}: {}", &html[at..end]);
        assert!(
            html[at..end].contains("<use href=\"#i-"),
            "{url} has no icon"
        );
    }
    // Each icon is defined once on the page, and only those used.
    for icon in [
        "facebook", "tiktok", "zalo", "youtube", "booking", "agoda", "maps", "shopee", "link",
    ] {
        assert_eq!(
            html.matches(&format!("<symbol id=\"i-{icon}\"")).count(),
            1,
            "{icon}"
        );
    }
    assert!(!html.contains("i-instagram"));
    // In English the known services are named in English; the owner's label stays.
    let en = read(out.join("site/en/homestays/nha-rieng/index.html"));
    assert!(en.contains("Book on Booking.com") && en.contains("Trang riêng"));
    let zh = read(out.join("site/zh/homestays/nha-rieng/index.html"));
    assert!(zh.contains("在 Agoda 预订"));
    // JSON-LD sameAs holds every link, as written.
    let start = html.find("application/ld+json\">").unwrap() + 21;
    let end = start + html[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    let same: Vec<&str> = ld["sameAs"]
        .as_array()
        .expect("sameAs")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let wanted: Vec<&str> = LINKS.iter().map(|(u, _)| *u).collect();
    assert_eq!(same, wanted);
}

#[test]
fn bad_links_are_refused_at_their_line_with_the_fix() {
    let text = "---\ntitle: Homestay\nlinks:\n  - https://www.facebook.com/ok\n  - http://www.tiktok.com/@x\n  - javascript:alert(1)\n  - data:text/html,hi\n  - https://unknown.example/shop\n  - facebook.com/nharieng\nrooms: 0\namenities: [wifi, hotwater]\ncheck_in: 2pm\nprice_per: night\nclosed: [2026-02-20..2026-02-14]\n---\n";
    let dir = site(&[(FILE, text)]);
    let o = build(dir.path(), &[]);
    assert!(!o.status.success());
    let err = stderr(&o);
    for (line, says) in [
        (5, "write `https://www.tiktok.com/@x`"),
        (6, "`javascript:` address"),
        (7, "`data:` address"),
        (8, "needs a label"),
        (9, "write `https://facebook.com/nharieng`"),
        (10, "rooms: 0"),
        (11, "did you mean"),
        (12, "\"14:00\""),
        (13, "price_per: room"),
        (14, "the first before the last"),
    ] {
        let at = format!("{FILE}:{line}");
        let block = err
            .split("\n\n")
            .find(|b| b.contains(&at))
            .unwrap_or_else(|| panic!("nothing at {at}:\n{err}"));
        assert!(block.contains(says), "{at} should say {says}:\n{block}");
    }
    assert!(
        !err.contains(&format!("{FILE}:4:")),
        "a good link refused:\n{err}"
    );
}

/// A photo of one colour, `w`×`h`, as PNG.
fn flat_png(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb(rgb));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

const GREY: [u8; 3] = [90, 110, 130];

/// The band drawn again from its description (media/share.rs): a reference to compare with.
fn reference(title: &str, line: &str, family: &str) -> image::RgbImage {
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="rgb({},{},{})"/><rect y="460" width="1200" height="170" fill="#000000" fill-opacity="0.62"/><text x="48" y="532" font-family="{family}" font-weight="bold" font-size="56" fill="#ffffff">{title}</text><text x="48" y="590" font-family="{family}" font-size="34" fill="#ffd98a">{line}</text></svg>"##,
        GREY[0], GREY[1], GREY[2]
    );
    let mut db = usvg::fontdb::Database::new();
    for f in [
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
        "NotoSansSC-Bold-GB2312.otf",
    ] {
        db.load_font_file(common::repo().join("themes/default/fonts").join(f))
            .unwrap();
    }
    let opts = usvg::Options {
        fontdb: std::sync::Arc::new(db),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg, &opts).unwrap();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(1200, 630).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    image::RgbImage::from_raw(1200, 630, rgb).unwrap()
}

/// Pixels of the band (y 460 on) whose luminance differs by more than a JPEG's noise.
fn band_differences(a: &image::RgbImage, b: &image::RgbImage) -> usize {
    let lum = |p: &image::Rgb<u8>| {
        (299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2])) / 1000
    };
    (460..630)
        .flat_map(|y| (0..1200).map(move |x| (x, y)))
        .filter(|&(x, y)| lum(a.get_pixel(x, y)).abs_diff(lum(b.get_pixel(x, y))) > 80)
        .count()
}

#[test]
fn the_share_image_is_1200_by_630_with_the_name_and_price_drawn_right() {
    let (zh_file, zh_text) = zh_translation();
    let text = homestay("images: [{ src: cover.png, alt: Nhà sàn }]\n");
    let dir = site(&[("site.yaml", SITE_YAML), (FILE, &text), (zh_file, zh_text)]);
    std::fs::write(
        dir.path().join("content/homestays/nha-rieng/cover.png"),
        flat_png(2400, 1260, GREY),
    )
    .unwrap();
    let out = build_ok(dir.path());
    let page = read(out.join("site/homestays/nha-rieng/index.html"));
    assert!(
        page.contains("content=\"https://t.example/homestays/nha-rieng/cover-share.jpg\""),
        "{page}"
    );
    assert!(page.contains("<meta property=\"og:image:width\" content=\"1200\">"));
    assert!(page.contains("<meta property=\"og:image:height\" content=\"630\">"));
    let zh_page = read(out.join("site/zh/homestays/nha-rieng/index.html"));
    assert!(zh_page.contains("cover-share.zh.jpg"));

    let cases = [
        (
            "cover-share.jpg",
            (
                "Homestay Nà Riềng",
                "Từ 250.000 ₫ / phòng / đêm",
                "Noto Sans",
            ),
            (
                "Homestay Na Rieng",
                "Từ 250.000 ₫ / phòng / đêm",
                "Noto Sans",
            ),
        ),
        (
            "cover-share.zh.jpg",
            (
                "那楞民宿",
                "每间每晚 250,000 ₫ 起",
                "Noto Sans CJK SC, Noto Sans",
            ),
            (
                "那兰民宿",
                "每间每晚 250,000 ₫ 起",
                "Noto Sans CJK SC, Noto Sans",
            ),
        ),
        (
            "cover-share.en.jpg",
            (
                "Homestay Nà Riềng",
                "From 250,000 ₫ a room a night",
                "Noto Sans",
            ),
            (
                "Homestay Nà Riềng",
                "From 350,000 ₫ a room a night",
                "Noto Sans",
            ),
        ),
    ];
    for (file, right, wrong) in cases {
        let made = image::open(out.join("site/homestays/nha-rieng").join(file))
            .unwrap()
            .into_rgb8();
        assert_eq!(made.dimensions(), (1200, 630), "{file}");
        // Above the band, the photo itself.
        let p = made.get_pixel(600, 200);
        assert!(
            p.0.iter().zip(GREY).all(|(a, b)| a.abs_diff(b) < 6),
            "{file}: {p:?}"
        );
        let near = band_differences(&made, &reference(right.0, right.1, right.2));
        let far = band_differences(&made, &reference(wrong.0, wrong.1, wrong.2));
        assert!(
            near * 4 < far && near < 400,
            "{file}: {near} pixels differ from the right text, {far} from the wrong one"
        );
    }
}

#[test]
fn the_owners_kit_has_the_online_card_and_social_files() {
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        (
            FILE,
            &homestay("images: [{ src: cover.png, alt: Nhà sàn }]\n"),
        ),
    ]);
    std::fs::write(
        dir.path().join("content/homestays/nha-rieng/cover.png"),
        flat_png(1600, 1000, GREY),
    )
    .unwrap();
    let out = plaques_ok(dir.path(), &["--png"]);
    let kit = out.join("print/kits/NRG");
    // The card: the first four links, each decoded back by an independent decoder.
    let pdf = kit.join("online.pdf");
    assert!(pdf.is_file());
    let png = tempfile::tempdir().unwrap();
    common::succeed(
        Command::new("pdftoppm")
            .args(["-r", "150", "-png"])
            .arg(&pdf)
            .arg(png.path().join("card")),
        "pdftoppm (poppler-utils)",
    );
    let page = std::fs::read_dir(png.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut read_back = common::zbar(&page);
    read_back.sort();
    let mut wanted: Vec<String> = LINKS[..4].iter().map(|(u, _)| u.to_string()).collect();
    wanted.sort();
    assert_eq!(read_back, wanted);
    let svg = read(kit.join("online.svg"));
    for (_, label) in &LINKS[..4] {
        assert!(svg.contains(label), "{label}");
    }
    assert!(svg.contains("NRG") && svg.contains("t.example/q/NRG/"));
    // Social: the share image as published, the post QR image and the texts.
    let share = image::open(kit.join("social/share.jpg")).unwrap();
    assert_eq!((share.width(), share.height()), (1200, 630));
    let qr = kit.join("social/qr.png");
    let qr_img = image::open(&qr).unwrap();
    assert_eq!((qr_img.width(), qr_img.height()), (1080, 1080));
    assert_eq!(
        common::zbar(&qr),
        vec!["HTTPS://T.EXAMPLE/q/NRG/".to_string()]
    );
    let vi = read(kit.join("social/post.vi.txt"));
    assert!(vi.starts_with("Homestay Nà Riềng\n"), "{vi}");
    assert!(
        vi.contains("250.000 ₫") && vi.contains("https://t.example/q/NRG/"),
        "{vi}"
    );
    let zh = read(kit.join("social/post.zh.txt"));
    assert!(zh.contains("每间每晚 250,000 ₫ 起") && zh.contains("https://t.example/q/NRG/"));
    assert!(read(kit.join("social/post.en.txt")).contains("From 250,000 ₫ a room a night"));
}

/// The Nà Riềng page of the example at 390 px in each language, for looking at
/// (`WAYMARK_SCREENSHOTS=docs/promote` keeps them there); it must not scroll sideways.
#[test]
fn chromium_shows_the_homestay_page_at_390_px_in_each_language() {
    let dir = common::example();
    let out = build_ok(dir.path());
    let base = common::serve(&out.join("site"));
    let keep = std::env::var("WAYMARK_SCREENSHOTS")
        .ok()
        .map(|d| common::repo().join(d));
    let shots = tempfile::tempdir().unwrap();
    for (lang, path) in [
        ("vi", "/homestays/homestay-na-rieng/"),
        ("en", "/en/homestays/homestay-na-rieng/"),
        ("zh", "/zh/homestays/homestay-na-rieng/"),
    ] {
        let file = keep
            .clone()
            .unwrap_or_else(|| shots.path().to_path_buf())
            .join(format!("na-rieng-{lang}.png"));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let profile = tempfile::tempdir().unwrap();
        common::succeed(
            common::chromium(profile.path())
                .args([
                    "--hide-scrollbars",
                    "--force-device-scale-factor=1",
                    "--window-size=390,2600",
                ])
                .arg(format!("--screenshot={}", file.display()))
                .arg(format!("{base}{path}")),
            "chromium",
        );
        let img = image::open(&file).unwrap();
        assert_eq!(img.width(), 390);
        // The DOM after scripts: the share button is shown, and nothing is wider than the screen.
        let dom = common::chromium_dom(&format!("{base}{path}"), lang);
        assert!(dom.contains("id=\"share\""), "{lang}");
        assert!(
            !dom.contains("id=\"share\" hidden"),
            "{lang}: share button hidden"
        );
        let _ = Path::new(&file);
    }
}
