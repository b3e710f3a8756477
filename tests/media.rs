//! Photos and audio guides: phone photos published upright, without GPS, at the promised widths;
//! the cache; bad media as errors that name the entry and the file.

mod common;
use common::media::{has_exif, phone_jpeg, png_header, silent_mp3};
use common::{build, build_ok, read, site, stderr};
use std::path::Path;

const ENTRY: &str = "content/relics/den/index.md";

fn entry(images: &str, body: &str) -> String {
    format!("---\ntitle: Đền Mẫu\nlocation: {{lat: 21.85, lon: 106.76}}\n{images}---\n{body}\n")
}

fn put(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn decode(p: &Path) -> image::RgbImage {
    image::open(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .into_rgb8()
}

fn is_red(p: &image::Rgb<u8>) -> bool {
    p[0] > 150 && p[2] < 100
}

fn is_blue(p: &image::Rgb<u8>) -> bool {
    p[2] > 150 && p[0] < 100
}

/// A site with two phone photos: IMG_1 held upright (stored 2000×1500 with orientation 6, so
/// 1500×2000 as seen) and IMG_2 landscape 1200×900.
fn photo_site() -> tempfile::TempDir {
    let dir = site(&[(
        ENTRY,
        &entry(
            "images:\n  - {src: IMG_1.jpg, alt: Cổng đền}\n  - {src: IMG_2.jpg, alt: Sân đền, caption: Sân đền buổi sáng}\n",
            "Đền thờ.\n\n![Ảnh sân](IMG_2.jpg)",
        ),
    )]);
    put(
        dir.path(),
        "content/relics/den/IMG_1.jpg",
        &phone_jpeg(2000, 1500, 6),
    );
    put(
        dir.path(),
        "content/relics/den/IMG_2.jpg",
        &phone_jpeg(1200, 900, 1),
    );
    dir
}

#[test]
fn phone_photos_are_published_upright_without_gps_at_the_promised_widths() {
    let dir = photo_site();
    let out = build_ok(dir.path());
    let folder = out.join("site/relics/den");

    // Seen upright the photo is 1500 wide: 480 and 960, then its own width instead of 1600.
    for (w, h) in [(480, 640), (960, 1280), (1500, 2000)] {
        for ext in ["jpg", "webp"] {
            let img = decode(&folder.join(format!("img-1-{w}.{ext}")));
            assert_eq!((img.width(), img.height()), (w, h), "img-1-{w}.{ext}");
            // Stored left half red: upright, red is the top half.
            let (cx, top, bottom) = (w / 2, h / 8, h - h / 8);
            assert!(
                is_red(img.get_pixel(cx, top)),
                "top of img-1-{w}.{ext} is red"
            );
            assert!(
                is_blue(img.get_pixel(cx, bottom)),
                "bottom of img-1-{w}.{ext} is blue"
            );
        }
    }
    assert!(!folder.join("img-1-1600.jpg").exists(), "never enlarged");
    for w in [480, 960, 1200] {
        let img = decode(&folder.join(format!("img-2-{w}.jpg")));
        assert_eq!((img.width(), img.height()), (w, w * 3 / 4));
    }
    let share = decode(&folder.join("img-1-share.jpg"));
    assert_eq!((share.width(), share.height()), (1200, 630));
    assert!(
        !folder.join("img-2-share.jpg").exists(),
        "only the cover is shared"
    );
    // The web server in front runs as another user: every published file is readable by it.
    #[cfg(unix)]
    for e in walkdir::WalkDir::new(out.join("site"))
        .follow_links(true)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = e.metadata().unwrap().permissions().mode();
        assert!(mode & 0o004 != 0, "{} is {mode:o}", e.path().display());
    }

    // No original and no metadata is published anywhere.
    for f in common::tree(&out.join("site")) {
        let name = f.0.to_string_lossy().to_string();
        assert!(!name.contains("IMG_"), "original published: {name}");
        if name.ends_with(".jpg") {
            assert!(!has_exif(&f.1), "EXIF left in {name}");
        }
    }

    let page = read(folder.join("index.html"));
    assert!(page.contains(r#"<source type="image/webp" srcset="/relics/den/img-1-480.webp 480w, /relics/den/img-1-960.webp 960w, /relics/den/img-1-1500.webp 1500w""#), "{page}");
    assert!(page.contains(r#"src="/relics/den/img-1-960.jpg""#));
    assert!(
        page.contains(r#"width="960" height="1280" alt="Cổng đền" fetchpriority="high""#),
        "{page}"
    );
    assert!(
        page.contains(r#"alt="Sân đền" loading="lazy""#),
        "gallery is lazy"
    );
    assert!(page.contains("<figcaption>Sân đền buổi sáng</figcaption>"));
    assert!(
        page.contains(
            r#"<meta property="og:image" content="https://t.example/relics/den/img-1-share.jpg">"#
        ),
        "{page}"
    );
    // The photo in the text is a lazy <picture> too.
    assert!(page.contains(r#"srcset="/relics/den/img-2-480.jpg 480w, /relics/den/img-2-960.jpg 960w, /relics/den/img-2-1200.jpg 1200w""#), "{page}");
    assert!(page.contains(r#"alt="Ảnh sân" loading="lazy""#), "{page}");
}

fn photos_line(o: &std::process::Output) -> String {
    let err = stderr(o);
    assert!(o.status.success(), "{err}");
    let line = err.lines().find(|l| l.starts_with("built")).unwrap_or("");
    let start = line.find(" photos (").expect("a photo count");
    let start = line[..start].rfind(", ").map_or(0, |i| i + 2);
    let end = line[start..].find(')').expect("closing bracket") + start + 1;
    line[start..end].to_string()
}

#[test]
fn the_cache_skips_unchanged_photos_and_redoes_only_what_changed() {
    let dir = photo_site();
    let root = dir.path();
    let first_line = photos_line(&build(root, &[]));
    assert!(
        first_line.starts_with("2 photos (2 processed, 0 from cache)"),
        "{first_line}"
    );
    let first = std::fs::read(root.join("output/site/relics/den/img-1-960.webp")).unwrap();

    let again = photos_line(&build(root, &[]));
    assert!(
        again.starts_with("2 photos (0 processed, 2 from cache)"),
        "{again}"
    );

    // A replaced photo is processed again; the other is not.
    put(
        root,
        "content/relics/den/IMG_2.jpg",
        &phone_jpeg(1000, 800, 1),
    );
    let changed = photos_line(&build(root, &[]));
    assert!(
        changed.starts_with("2 photos (1 processed, 1 from cache)"),
        "{changed}"
    );
    let img = decode(&root.join("output/site/relics/den/img-2-960.jpg"));
    assert_eq!((img.width(), img.height()), (960, 768));
    assert!(!root.join("output/site/relics/den/img-2-1200.jpg").exists());

    // Other settings change every photo.
    common::write(
        root,
        "site.yaml",
        "title: Test\nbase_url: https://t.example\nlanguages: [vi, en]\nphotos:\n  webp_quality: 60\n",
    );
    let settings = photos_line(&build(root, &[]));
    assert!(settings.starts_with("2 photos (2 processed"), "{settings}");

    // Same input, same bytes, from the cache or made afresh.
    common::write(
        root,
        "site.yaml",
        "title: Test\nbase_url: https://t.example\nlanguages: [vi, en]\n",
    );
    std::fs::remove_dir_all(root.join(".waymark-cache")).unwrap();
    build_ok(root);
    assert_eq!(
        std::fs::read(root.join("output/site/relics/den/img-1-960.webp")).unwrap(),
        first
    );
}

/// One bad media file per case: the build fails with exit 1, names the entry and the file, and
/// leaves the last good output in place.
#[test]
fn bad_media_is_an_error_naming_the_entry_and_the_file() {
    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        (
            "corrupt JPEG",
            "broken.jpg",
            vec![
                0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 0xFF, 0xDB, 0, 3, 7,
            ],
            "cannot be read",
        ),
        (
            "text named .jpg",
            "note.jpg",
            b"this is not a photo\n".to_vec(),
            "is not a JPEG, PNG or WebP",
        ),
        (
            "100 megapixels",
            "huge.png",
            png_header(10_000, 10_000),
            "10000×10000 pixels (100 megapixels)",
        ),
        (
            "HEIC",
            "IMG_9.heic",
            b"\0\0\0\x18ftypheic".to_vec(),
            "camera format (HEIC)",
        ),
        (
            "not audio",
            "guide.mp3",
            b"ID3 but not really".to_vec(),
            "audio guide `guide.mp3`",
        ),
        (
            "wav audio",
            "guide.wav",
            vec![0; 64],
            "is not MP3, M4A or Ogg",
        ),
    ];
    for (what, name, bytes, expect) in cases {
        let field = if name.starts_with("guide") {
            format!("audio: {name}\n")
        } else {
            format!("images:\n  - {{src: {name}, alt: x}}\n")
        };
        let dir = site(&[(ENTRY, &entry("", "Đền."))]);
        let root = dir.path();
        build_ok(root);
        let before = read(root.join("output/site/relics/den/index.html"));
        common::write(root, ENTRY, &entry(&field, "Đền."));
        put(root, &format!("content/relics/den/{name}"), &bytes);
        let o = build(root, &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{what}: {err}");
        assert!(
            err.contains(&format!("{ENTRY}:")),
            "{what}: names the entry: {err}"
        );
        assert!(err.contains(name) && err.contains(expect), "{what}: {err}");
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert_eq!(
            read(root.join("output/site/relics/den/index.html")),
            before,
            "{what}"
        );
    }
}

#[test]
fn media_paths_never_leave_the_bundle() {
    let outside = tempfile::tempdir().unwrap();
    put(outside.path(), "secret.jpg", &phone_jpeg(64, 48, 1));
    for (what, src) in [
        ("parent path", "../../../etc/passwd"),
        ("missing file", "nothere.jpg"),
        ("symlink out of the site", "link.jpg"),
    ] {
        let dir = site(&[(
            ENTRY,
            &entry(&format!("images:\n  - {{src: '{src}', alt: x}}\n"), "Đền."),
        )]);
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            outside.path().join("secret.jpg"),
            dir.path().join("content/relics/den/link.jpg"),
        )
        .unwrap();
        let o = build(dir.path(), &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{what}: {err}");
        assert!(err.contains(ENTRY) && err.contains(src), "{what}: {err}");
        assert!(
            !dir.path().join("output/site").exists(),
            "{what}: nothing published"
        );
    }
}

#[test]
fn audio_guides_get_a_player_with_duration_and_size() {
    let dir = site(&[
        (ENTRY, &entry("audio: thuyet minh.mp3\n", "Đền.")),
        (
            "content/relics/den/index.en.md",
            "---\ntitle: Mother Temple\n---\nA temple.\n",
        ),
    ]);
    // 200 frames of 1152 samples at 44.1 kHz: 5.2 s, 83,400 bytes.
    put(
        dir.path(),
        "content/relics/den/thuyet minh.mp3",
        &silent_mp3(200),
    );
    let out = build_ok(dir.path());
    let page = read(out.join("site/relics/den/index.html"));
    assert!(
        page.contains(r#"<audio controls preload="none" src="/relics/den/thuyet%20minh.mp3">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<time datetime="PT0M5S">0:05</time> · 84 KB"#),
        "{page}"
    );
    assert_eq!(
        std::fs::read(out.join("site/relics/den/thuyet minh.mp3")).unwrap(),
        silent_mp3(200)
    );
    let en = read(out.join("site/en/relics/den/index.html"));
    assert!(en.contains("Audio guide"), "{en}");
}

#[test]
fn a_photo_without_alt_text_is_a_warning() {
    let dir = site(&[(ENTRY, &entry("images: [IMG_1.jpg]\n", "Đền."))]);
    put(
        dir.path(),
        "content/relics/den/IMG_1.jpg",
        &phone_jpeg(640, 480, 1),
    );
    let o = build(dir.path(), &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning") && err.contains("`IMG_1.jpg` has no alt text"),
        "{err}"
    );
    assert!(err.contains(&format!("{ENTRY}:4")), "names the line: {err}");
}

#[test]
fn translations_give_alt_text_and_captions_in_their_language() {
    let dir = site(&[
        (ENTRY, &entry("images:\n  - {src: IMG_1.jpg, alt: Cổng đền, caption: Cổng chính}\n  - {src: IMG_2.jpg, alt: Sân}\n", "Đền.")),
        (
            "content/relics/den/index.en.md",
            "---\ntitle: Mother Temple\nimages:\n  - {src: IMG_2.jpg, alt: The courtyard, caption: Morning}\n---\nA temple.\n",
        ),
    ]);
    put(
        dir.path(),
        "content/relics/den/IMG_1.jpg",
        &phone_jpeg(640, 480, 1),
    );
    put(
        dir.path(),
        "content/relics/den/IMG_2.jpg",
        &phone_jpeg(640, 480, 1),
    );
    let out = build_ok(dir.path());
    let en = read(out.join("site/en/relics/den/index.html"));
    assert!(en.contains(r#"alt="The courtyard" loading="lazy""#), "{en}");
    assert!(en.contains("<figcaption>Morning</figcaption>"), "{en}");
    // What the translation leaves out comes from the default language.
    assert!(en.contains(r#"alt="Cổng đền""#) && en.contains("<figcaption>Cổng chính</figcaption>"));
    let vi = read(out.join("site/relics/den/index.html"));
    assert!(vi.contains(r#"alt="Sân" loading="lazy""#) && !vi.contains("courtyard"));

    // A translation that names a photo the entry does not list is an error in that file.
    common::write(
        dir.path(),
        "content/relics/den/index.en.md",
        "---\ntitle: Mother Temple\nimages:\n  - {src: IMG_3.jpg, alt: Nothing}\n---\nA temple.\n",
    );
    let o = build(dir.path(), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/relics/den/index.en.md") && err.contains("IMG_3.jpg"),
        "{err}"
    );
}

#[test]
fn bad_photo_settings_name_the_line_and_the_fix() {
    let base = "title: Test\nbase_url: https://t.example\nphotos:\n";
    for (settings, expect) in [
        ("  widths: [0, 960]\n", "site.yaml:4"),
        (
            "  jpeg_quality: 120\n",
            "jpeg_quality 120 is not between 1 and 100",
        ),
        ("  widht: [480]\n", "did you mean `widths`?"),
    ] {
        let dir = site(&[
            ("site.yaml", &format!("{base}{settings}")),
            (ENTRY, &entry("", "Đền.")),
        ]);
        let o = build(dir.path(), &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{settings}: {err}");
        assert!(
            err.contains("site.yaml:") && err.contains(expect),
            "{settings}: {err}"
        );
    }
}
