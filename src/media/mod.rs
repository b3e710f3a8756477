//! Media: the photos and audio guides in entry bundles, made ready for phones on 3G.
//!
//! Every photo in a bundle (JPEG, PNG or WebP) is decoded, turned upright by its EXIF orientation,
//! stripped of all metadata (no GPS position is ever published) and written at the responsive
//! widths as WebP and JPEG, beside the entry's page; the cover also gives a 1200×630 sharing image.
//! The original file is never published. Work is cached by content in `.waymark-cache/photos/`.
//! Audio guides are published as they are, with their duration read for the page.
//!
//! This stage runs after the model and before render: pages need each photo's size.

pub mod audio;
mod cache;
pub mod photo;
pub mod share;
mod webp;

pub use audio::{format_duration, format_size, Audio};

use crate::error::{Diagnostic, Error, Result};
use crate::output::OutFile;
use crate::site::{Entry, Site};
use photo::{Made, Problem, Settings};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Photos Waymark publishes, by extension.
const PHOTO_EXTS: &[&str] = &["jpg", "jpeg", "png", "webp"];
/// Camera formats browsers cannot show: never published (they also carry GPS positions).
/// What to do with a photo in a camera format, for the build's error and the editor's refusal.
pub const CAMERA_ADVICE: &str =
    "export it as JPEG (on an iPhone: Settings > Camera > Formats > Most Compatible)";
pub const CAMERA_ADVICE_VI: &str = "ảnh ở định dạng máy ảnh (HEIC, TIFF...) mà trình duyệt không hiển thị được: hãy xuất ảnh sang JPEG";
pub const CAMERA_EXTS: &[&str] = &[
    "heic", "heif", "tif", "tiff", "dng", "cr2", "cr3", "nef", "arw",
];

/// What the pages need to know of the media: keyed by the file's path relative to the site.
#[derive(Debug, Default)]
pub struct Media {
    pub photos: BTreeMap<PathBuf, Photo>,
    pub audio: BTreeMap<PathBuf, Audio>,
    /// Share images by entry file and language (`share`).
    pub shares: BTreeMap<(PathBuf, String), ShareImage>,
}

/// A published share image: its file name in the entry's folder and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareImage {
    pub file: String,
    pub width: u32,
    pub height: u32,
    /// The image in `.waymark-cache/share/`.
    pub source: PathBuf,
}

/// A published photo: its files are `<stem>-<width>.jpg|.webp` and `<stem>-share.jpg` in the
/// entry's folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    pub stem: String,
    pub made: Made,
}

impl Photo {
    pub fn file(&self, width: u32, ext: &str) -> String {
        format!("{}-{width}.{ext}", self.stem)
    }

    /// The share image's name for `lang` (the default language's has none in its name).
    pub fn share_file(&self, lang: Option<&str>) -> String {
        match lang {
            None => format!("{}-share.jpg", self.stem),
            Some(l) => format!("{}-share.{l}.jpg", self.stem),
        }
    }

    /// The size an old browser without srcset gets: the widest at most 960 pixels.
    pub fn fallback(&self) -> (u32, u32) {
        let v = &self.made.variants;
        v.iter()
            .rev()
            .find(|(w, _)| *w <= 960)
            .or(v.first())
            .copied()
            .unwrap_or((self.made.width, self.made.height))
    }
}

/// A file name's extension, lower case ("" when it has none).
pub fn ext_of(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether a bundle file is published byte for byte (documents, audio); photos never are.
pub fn published_as_is(name: &str) -> bool {
    let ext = ext_of(name);
    !PHOTO_EXTS.contains(&ext.as_str()) && !CAMERA_EXTS.contains(&ext.as_str())
}

/// The photo settings of site.yaml (`photos:`), with their defaults.
pub fn settings(site: &Site) -> Settings {
    let p = &site.config.photos;
    let mut widths = p.widths.clone();
    widths.sort_unstable();
    widths.dedup();
    Settings {
        widths,
        jpeg_quality: p.jpeg_quality,
        webp_quality: p.webp_quality,
    }
}

struct Job<'a> {
    entry: &'a Entry,
    name: &'a str,
    rel: PathBuf,
    stem: String,
    cover: bool,
}

/// What the media stage made.
pub struct Processed {
    pub media: Media,
    pub files: Vec<OutFile>,
    pub warnings: Vec<Diagnostic>,
    /// Photos decoded and encoded this time (the rest came from the cache).
    pub photos_processed: usize,
}

/// Process every photo and audio guide of the site (photos in parallel), reusing the cache.
pub fn process(site: &Site, progress: Option<&crate::progress::Progress>) -> Result<Processed> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut jobs = Vec::new();
    for e in &site.entries {
        let Some(bundle) = &e.bundle else { continue };
        let listed: BTreeSet<&str> = e.matter.images.iter().map(|i| i.src()).collect();
        let cover = e.matter.images.first().map(|i| i.src());
        let mut stems = BTreeSet::new();
        for name in &e.assets {
            let ext = ext_of(name);
            if CAMERA_EXTS.contains(&ext.as_str()) {
                let d = media_problem(
                    site,
                    e,
                    name,
                    format!(
                        "photo `{name}` is in a camera format ({}) that browsers cannot show",
                        ext.to_uppercase()
                    ),
                )
                .hint(format!(
                    "{CAMERA_ADVICE}, put the .jpg in the folder and list that instead"
                ))
                .vi(CAMERA_ADVICE_VI);
                if listed.contains(name.as_str()) {
                    problems.push(d);
                } else {
                    warnings.push(warning(
                        d.hint("it is not published; remove it or export it as JPEG"),
                    ));
                }
                continue;
            }
            if !PHOTO_EXTS.contains(&ext.as_str()) {
                if listed.contains(name.as_str()) {
                    problems.push(media_problem(site, e, name, format!("`{name}` is listed under `images`, but it is not a photo"))
                        .hint("images are JPEG, PNG or WebP files; link other files from the text instead"));
                }
                continue;
            }
            let stem = unique_stem(name, &mut stems);
            jobs.push(Job {
                entry: e,
                name,
                rel: bundle.join(name),
                stem,
                cover: cover == Some(name.as_str()),
            });
        }
        for t in e.texts.values() {
            for img in t.images.iter().filter(|i| !listed.contains(i.src())) {
                problems.push(Diagnostic::error(&t.file, format!("`{}` has alt text here, but it is not in the `images` of {}", img.src(), e.file.display()))
                    .hint("a translation gives alt text and captions for the default-language file's photos: use the same `src`"));
            }
        }
        for img in &e.matter.images {
            if img.alt().is_none() {
                warnings.push(warning(
                    media_problem(site, e, img.src(), format!("photo `{}` has no alt text", img.src()))
                        .hint(format!("describe it for visitors who cannot see it: `- {{ src: {}, alt: \"Cổng đền nhìn từ sân\" }}`", img.src()))
                        .vi("ảnh thiếu mô tả cho người khiếm thị: điền ô «Mô tả cho người không nhìn thấy» của ảnh (trong tệp: `alt: \"...\"`)"),
                ));
            }
        }
    }

    let cache = cache::Cache::open(&site.root, settings(site));
    let share_cache = crate::output::CacheDir::open(&site.root, "share");
    type Done = (PathBuf, Photo, PathBuf, Vec<Shared>);
    let done: Vec<std::result::Result<Done, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let rel = job.rel.to_string_lossy().replace('\\', "/");
            let result = cache.get(&site.root.join(&job.rel), &rel, job.cover);
            crate::progress::tick(progress);
            let (made, dir, crop) = result.map_err(|p| photo_problem(site, job, p))?;
            let photo = Photo {
                stem: job.stem.clone(),
                made,
            };
            // Drawn now, while the crop is in memory: a cold build decodes each photo once.
            let shared = match photo.made.share {
                Some(_) if job.cover => {
                    share_images(site, job.entry, &photo, &dir, crop, &share_cache).map_err(
                        |why| {
                            media_problem(
                                site,
                                job.entry,
                                job.name,
                                format!("the share image of `{}` cannot be made: {why}", job.name),
                            )
                            .hint("open the photo in a photo app and save it again as JPEG")
                        },
                    )?
                }
                _ => Vec::new(),
            };
            Ok((job.rel.clone(), photo, dir, shared))
        })
        .collect();
    cache.save(&site.root);
    share_cache.prune();

    let mut media = Media::default();
    let mut files = Vec::new();
    for (job, result) in jobs.iter().zip(done) {
        match result {
            Ok((rel, photo, dir, shared)) => {
                let folder = crate::address::entry_folder(&job.entry.section, &job.entry.slug);
                for (w, _) in &photo.made.variants {
                    for ext in ["jpg", "webp"] {
                        files.push(OutFile::cached(
                            format!("{folder}/{}", photo.file(*w, ext)),
                            dir.join(format!("{w}.{ext}")),
                        ));
                    }
                }
                for s in shared {
                    if let Some(w) = s.warning {
                        warnings.push(warning(w));
                    }
                    if !files
                        .iter()
                        .any(|f| f.path == format!("{folder}/{}", s.image.file))
                    {
                        files.push(OutFile::cached(
                            format!("{folder}/{}", s.image.file),
                            s.cached,
                        ));
                    }
                    media
                        .shares
                        .insert((job.entry.file.clone(), s.lang), s.image);
                }
                media.photos.insert(rel, photo);
            }
            Err(d) => problems.push(d),
        }
    }

    for e in &site.entries {
        let (Some(bundle), Some(name)) = (&e.bundle, &e.matter.audio) else {
            continue;
        };
        let rel = bundle.join(name);
        match audio::probe(&site.root.join(&rel), name) {
            Ok(a) => {
                if a.bytes > 20_000_000 {
                    warnings.push(warning(media_problem(site, e, name, format!("audio guide `{name}` is {}: slow to play over 3G", format_size(a.bytes)))
                        .hint("export it as mono MP3 at 64 kbit/s; speech stays clear at a tenth of the size")));
                }
                media.audio.insert(rel, a);
            }
            Err(why) => problems.push(
                media_problem(site, e, name, format!("audio guide `{name}` {why}"))
                    .hint("export it again as MP3 (or M4A/Ogg) from your recording app and replace the file")
                    .vi("tệp thuyết minh âm thanh hỏng hoặc sai định dạng: hãy xuất lại thành MP3"),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Site(problems));
    }
    Ok(Processed {
        media,
        files,
        warnings,
        photos_processed: cache.processed.load(std::sync::atomic::Ordering::Relaxed),
    })
}

/// One language's share image of an entry, made or found in the cache.
struct Shared {
    lang: String,
    image: ShareImage,
    cached: PathBuf,
    warning: Option<Diagnostic>,
}

/// The share images of entry `e` in each of the site's languages, from its cover's crop
/// (`crop`, when the photo was decoded this run; else the cached `crop.jpg` in `dir`), each
/// kept in `.waymark-cache/share/` by its crop and band. A language whose band says what the
/// default language's says shares its file.
fn share_images(
    site: &Site,
    e: &Entry,
    photo: &Photo,
    dir: &std::path::Path,
    crop: Option<Vec<u8>>,
    cache: &crate::output::CacheDir,
) -> std::result::Result<Vec<Shared>, String> {
    let quality = site.config.photos.jpeg_quality;
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut pixels: Option<(Vec<u8>, u32, u32)> = crop.map(|c| {
        let (w, h) = photo.made.share.unwrap_or((1, 1));
        (c, w, h)
    });
    let default = share::band(site, e, site.default_language());
    let mut out: Vec<Shared> = Vec::new();
    for lang in &site.config.languages {
        let mut band = share::band(site, e, lang);
        let mut warning = None;
        let missing = share::missing(&format!(
            "{}{}",
            band.title,
            band.line.as_deref().unwrap_or("")
        ));
        if !missing.is_empty() && *lang != default.lang {
            let chars: String = missing.iter().collect();
            warning = Some(Diagnostic::warning(&e.file, format!("the share image in `{lang}` cannot draw {chars}; it shows the name in {} instead", default.lang))
                .hint("Waymark's Chinese font holds the 6,763 hanzi of GB 2312; write the name with those, or leave it as it is"));
            band = share::Band {
                lang: lang.clone(),
                ..default.clone()
            };
        }
        let is_default = *lang == *site.default_language();
        // A band that says what the default language's says shares its file.
        let same = !is_default && band == default;
        let name = if is_default || same {
            photo.share_file(None)
        } else {
            photo.share_file(Some(lang))
        };
        let key = format!(
            "{:016x}.jpg",
            crate::output::digest(
                format!("{} {folder} {quality} {band:?}", share::VERSION).as_bytes()
            )
        );
        let cached = match cache.get(&key) {
            Some(p) => p,
            None => {
                if pixels.is_none() {
                    let bytes = std::fs::read(dir.join(photo::CROP)).map_err(|e| e.to_string())?;
                    pixels = Some(
                        photo::decode_crop(&bytes).map_err(|_| "the cached crop cannot be read")?,
                    );
                }
                let (rgb, w, h) = pixels.as_ref().ok_or("no crop")?;
                let jpeg = share::draw(rgb, *w, *h, &band, quality)?;
                cache
                    .keep(&key, &jpeg)
                    .map_err(|e| format!("the cache cannot be written: {e}"))?
            }
        };
        let (width, height) = photo.made.share.unwrap_or((0, 0));
        out.push(Shared {
            lang: lang.clone(),
            image: ShareImage {
                file: name,
                width,
                height,
                source: cached.clone(),
            },
            cached,
            warning,
        });
    }
    Ok(out)
}

/// The published name of a photo: its file name folded to a URL-safe slug, made unique in its
/// folder (`Ảnh cổng.JPG` -> `anh-cong`; `a.jpg` and `a.png` -> `a`, `a-png`).
fn unique_stem(name: &str, taken: &mut BTreeSet<String>) -> String {
    let base = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut stem = crate::slug::slugify(base);
    if stem.is_empty() {
        stem = "photo".into();
    }
    if taken.contains(&stem) {
        stem = crate::slug::slugify(name);
    }
    let mut n = 2;
    let first = stem.clone();
    while taken.contains(&stem) {
        stem = format!("{first}-{n}");
        n += 1;
    }
    taken.insert(stem.clone());
    stem
}

fn warning(mut d: Diagnostic) -> Diagnostic {
    d.severity = crate::error::Severity::Warning;
    d
}

/// A problem with a media file, reported at the line of the entry that names it (when one does).
fn media_problem(site: &Site, e: &Entry, name: &str, message: String) -> Diagnostic {
    let mut d = Diagnostic::error(&e.file, message);
    let text = std::fs::read_to_string(site.root.join(&e.file)).unwrap_or_default();
    if let Some((i, line)) = text
        .lines()
        .enumerate()
        .skip(1)
        .find(|(_, l)| l.contains(name))
    {
        d = d.at(i + 1, None);
        d.source_line = Some(line.to_string());
    }
    d
}

fn photo_problem(site: &Site, job: &Job, problem: Problem) -> Diagnostic {
    let name = job.name;
    let file = job.rel.display();
    let d = |msg: String| media_problem(site, job.entry, name, msg);
    match problem {
        Problem::NotAPhoto => d(format!("photo `{name}` is not a JPEG, PNG or WebP image ({file} holds something else)"))
            .hint("open it in a photo app and save it again as JPEG, or remove it from the folder")
            .vi("tệp không phải ảnh JPEG, PNG hay WebP: hãy mở bằng ứng dụng ảnh và lưu lại dạng JPEG"),
        Problem::TooLarge(Some((w, h))) => d(format!(
            "photo `{name}` is {w}×{h} pixels ({} megapixels); Waymark takes photos up to {} megapixels",
            (u64::from(w) * u64::from(h)).div_ceil(1_000_000),
            photo::MAX_PIXELS / 1_000_000
        ))
        .hint("resize it to about 4000 pixels wide before adding it; pages show it at most 1600 pixels wide")
        .vi("ảnh quá lớn: hãy thu nhỏ còn khoảng 4000 điểm ảnh chiều ngang"),
        Problem::TooLarge(None) => d(format!("photo `{name}` is too large to read ({file})"))
            .hint(format!("photos up to {} megapixels and {} MB are taken; resize it to about 4000 pixels wide", photo::MAX_PIXELS / 1_000_000, cache::MAX_FILE_BYTES >> 20))
            .vi("ảnh quá lớn, không đọc được: hãy thu nhỏ còn khoảng 4000 điểm ảnh chiều ngang"),
        Problem::Unreadable(why) => d(format!("photo `{name}` cannot be read: {why}"))
            .hint("the file is damaged or cut short (an interrupted copy?); copy it again from the phone, or open and re-save it as JPEG")
            .vi("ảnh bị hỏng hoặc chép chưa xong: hãy chép lại từ điện thoại"),
        Problem::Encode(why) => d(format!("photo `{name}`: {why}"))
            .hint("open it in a photo app and save it again as JPEG")
            .vi("không xử lý được ảnh này: hãy mở bằng ứng dụng ảnh và lưu lại dạng JPEG"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_url_safe_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique_stem("Ảnh cổng.JPG", &mut taken), "anh-cong");
        assert_eq!(unique_stem("a.jpg", &mut taken), "a");
        assert_eq!(unique_stem("a.png", &mut taken), "a-png");
        assert_eq!(unique_stem("A.png", &mut taken), "a-png-2");
    }

    #[test]
    fn originals_of_photos_are_never_published_as_is() {
        assert!(!published_as_is("IMG_0001.JPG"));
        assert!(!published_as_is("x.heic"));
        assert!(published_as_is("guide.mp3"));
        assert!(published_as_is("plan.pdf"));
    }
}
