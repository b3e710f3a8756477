//! Photos and audio on pages: `<picture>` with WebP and JPEG srcsets, width and height (no layout
//! shift), and the audio player with its duration and size.

use crate::content::front_matter::Image;
use crate::media::{format_duration, format_size, Media, Photo};
use crate::site::{Entry, Site};
use serde::Serialize;

/// The page column is 42rem wide with 1rem of padding each side.
pub const SIZES: &str = "(min-width: 42rem) 40rem, calc(100vw - 2rem)";

#[derive(Debug, Serialize)]
pub struct Picture {
    /// The JPEG for browsers without srcset.
    pub src: String,
    pub srcset: String,
    pub webp_srcset: String,
    pub sizes: &'static str,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AudioCtx {
    pub src: String,
    pub mime: String,
    /// `3:25`
    pub duration: String,
    /// ISO 8601 (`PT3M25S`), for `<time datetime>`.
    pub iso_duration: String,
    /// `2.1 MB`
    pub size: String,
}

/// The published photo of bundle file `name` of entry `e`.
pub fn photo<'a>(media: &'a Media, e: &Entry, name: &str) -> Option<&'a Photo> {
    media.photos.get(&e.bundle.as_ref()?.join(name))
}

pub fn picture(
    site: &Site,
    e: &Entry,
    photo: &Photo,
    alt: String,
    caption: Option<String>,
) -> Picture {
    let folder = site.folder_url(e);
    let set = |ext: &str| {
        photo
            .made
            .variants
            .iter()
            .map(|(w, _)| format!("{folder}{} {w}w", photo.file(*w, ext)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (w, h) = photo.fallback();
    Picture {
        src: format!("{folder}{}", photo.file(w, "jpg")),
        srcset: set("jpg"),
        webp_srcset: set("webp"),
        sizes: SIZES,
        width: w,
        height: h,
        alt,
        caption,
    }
}

/// The pictures of an entry's `images`, in order (the first is the cover), with the alt text
/// and captions of `lang` where its translation gives them.
pub fn pictures(site: &Site, media: &Media, e: &Entry, lang: &str) -> Vec<Picture> {
    let text = e.text(lang, site.default_language());
    e.matter
        .images
        .iter()
        .filter_map(|img: &Image| {
            let p = photo(media, e, img.src())?;
            let own = text.images.iter().find(|t| t.src() == img.src());
            let alt = own.and_then(|t| t.alt()).or(img.alt());
            let caption = own.and_then(|t| t.caption()).or(img.caption());
            let alt = alt
                .or(caption)
                .map_or_else(|| text.title.clone(), str::to_string);
            Some(picture(site, e, p, alt, caption.map(str::to_string)))
        })
        .collect()
}

/// A share image as pages name it.
#[derive(Debug, Serialize)]
pub struct ShareRef {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// The entry's share image in `lang` (absolute URL and size), when its cover has one.
pub fn share_image(site: &Site, media: &Media, e: &Entry, lang: &str) -> Option<ShareRef> {
    let s = media.shares.get(&(e.file.clone(), lang.to_string()))?;
    Some(ShareRef {
        url: site.absolute(&format!("/{}/{}/{}", e.section, e.slug, s.file)),
        width: s.width,
        height: s.height,
    })
}

pub fn audio(site: &Site, media: &Media, e: &Entry) -> Option<AudioCtx> {
    let name = e.matter.audio.as_ref()?;
    let a = media.audio.get(&e.bundle.as_ref()?.join(name))?;
    let s = a.seconds;
    Some(AudioCtx {
        src: format!("{}{}", site.folder_url(e), encode_path(name)),
        mime: a.mime.clone(),
        duration: format_duration(s),
        iso_duration: format!("PT{}M{}S", s / 60, s % 60),
        size: format_size(a.bytes),
    })
}

/// A bundle file name as a URL path (spaces and non-ASCII letters percent-encoded).
fn encode_path(name: &str) -> String {
    name.split('/')
        .map(crate::address::encode_component)
        .collect::<Vec<_>>()
        .join("/")
}

/// A picture in Markdown text: below the fold, so loaded lazily.
pub fn html(p: &Picture) -> String {
    let esc = crate::theme::escape_html;
    format!(
        r#"<picture><source type="image/webp" srcset="{}" sizes="{}"><img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="lazy" decoding="async"></picture>"#,
        esc(&p.webp_srcset),
        p.sizes,
        esc(&p.src),
        esc(&p.srcset),
        p.sizes,
        p.width,
        p.height,
        esc(&p.alt)
    )
}
