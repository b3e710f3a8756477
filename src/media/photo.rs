//! One photo: decoded, turned upright, resized to the responsive widths and encoded as JPEG and
//! WebP. Pure: bytes in, bytes out; the cache and the file names are the caller's.
//! Only pixels are carried over, so EXIF (GPS position, camera, time), XMP and ICC data are dropped.

use fast_image_resize::{images::Image, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use serde::{Deserialize, Serialize};

/// A 4000×3000 phone photo is 12 MP; 50 MP covers the largest phone modes. Beyond that a photo
/// would take hundreds of MB to decode on a volunteer's laptop.
pub const MAX_PIXELS: u64 = 50_000_000;
/// The sharing image OpenGraph asks for.
pub const SHARE: (u32, u32) = (1200, 630);

/// What the photo settings make of every photo; part of the cache key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Settings {
    pub widths: Vec<u32>,
    pub jpeg_quality: u8,
    pub webp_quality: u8,
}

/// A photo as published: its upright size and the sizes made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Made {
    pub width: u32,
    pub height: u32,
    /// Ascending widths, each written as JPEG and WebP.
    pub variants: Vec<(u32, u32)>,
    /// The 1200×630 (or smaller) sharing crop, when asked for.
    pub share: Option<(u32, u32)>,
}

/// The encoded files of one photo, named by what they are (`480.jpg`, `480.webp`, `crop.jpg`).
pub struct Encoded {
    pub made: Made,
    pub files: Vec<(String, Vec<u8>)>,
    /// The sharing crop's pixels (RGB), for the share images drawn from it this run.
    pub crop: Option<Vec<u8>>,
}

#[derive(Debug)]
pub enum Problem {
    NotAPhoto,
    TooLarge(Option<(u32, u32)>),
    Unreadable(String),
    Encode(&'static str),
}

/// JPEG, PNG or WebP, by the bytes themselves (a text file named `.jpg` is not a photo).
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(ImageFormat::WebP)
    } else {
        None
    }
}

/// The widths to make of a photo `width` wide: the settings' widths below it, and the photo's own
/// width when a larger one was asked for (never enlarged).
pub fn widths_for(width: u32, wanted: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = wanted.iter().copied().filter(|&w| w < width).collect();
    if wanted.iter().any(|&w| w >= width) {
        out.push(width);
    }
    out.sort_unstable();
    out.dedup();
    out
}

pub fn process(bytes: &[u8], settings: &Settings, share: bool) -> Result<Encoded, Problem> {
    let rgb = decode_upright(bytes)?;
    let (width, height) = (rgb.width(), rgb.height());
    let src = Image::from_vec_u8(width, height, rgb.into_raw(), PixelType::U8x3)
        .map_err(|_| Problem::Encode("the decoded photo has an unexpected size"))?;
    let mut resizer = Resizer::new();
    let lanczos = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    let mut files = Vec::new();
    let mut variants = Vec::new();
    for w in widths_for(width, &settings.widths) {
        let h = scaled(height, w, width);
        let pixels = if w == width {
            src.buffer().to_vec()
        } else {
            let mut dst = Image::new(w, h, PixelType::U8x3);
            resizer
                .resize(&src, &mut dst, &lanczos)
                .map_err(|_| Problem::Encode("resizing failed"))?;
            dst.into_vec()
        };
        files.push((
            format!("{w}.jpg"),
            jpeg(&pixels, w, h, settings.jpeg_quality)?,
        ));
        let webp = super::webp::encode_rgb(&pixels, w, h, f32::from(settings.webp_quality))
            .ok_or(Problem::Encode("WebP encoding failed"))?;
        files.push((format!("{w}.webp"), webp));
        variants.push((w, h));
    }
    // The sharing crop is kept nearly lossless: share images (`share`) are drawn from it, each
    // time a name or price changes, without decoding the photo again.
    let (share, crop) = if share {
        let (w, h) = share_size(width, height);
        let mut dst = Image::new(w, h, PixelType::U8x3);
        resizer
            .resize(&src, &mut dst, &lanczos.fit_into_destination(None))
            .map_err(|_| Problem::Encode("cropping the sharing image failed"))?;
        files.push((CROP.to_string(), jpeg(dst.buffer(), w, h, 95)?));
        (Some((w, h)), Some(dst.into_vec()))
    } else {
        (None, None)
    };
    Ok(Encoded {
        made: Made {
            width,
            height,
            variants,
            share,
        },
        files,
        crop,
    })
}

/// The cached sharing crop's file name.
pub const CROP: &str = "crop.jpg";

/// A cached sharing crop back into RGB pixels, with its size.
pub fn decode_crop(bytes: &[u8]) -> Result<(Vec<u8>, u32, u32), Problem> {
    let img = image::load_from_memory_with_format(bytes, ImageFormat::Jpeg)
        .map_err(|e| Problem::Unreadable(e.to_string()))?
        .into_rgb8();
    let (w, h) = img.dimensions();
    Ok((img.into_raw(), w, h))
}

/// Progressive JPEG of RGB pixels at `quality`.
pub fn encode_jpeg(rgb: &[u8], w: u32, h: u32, quality: u8) -> Result<Vec<u8>, Problem> {
    jpeg(rgb, w, h, quality)
}

/// Decode, with the EXIF orientation applied so that the photo stands as the camera held it,
/// into 8-bit RGB (transparency laid on white).
fn decode_upright(bytes: &[u8]) -> Result<image::RgbImage, Problem> {
    let format = sniff(bytes).ok_or(Problem::NotAPhoto)?;
    let reader = || ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let unreadable = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => Problem::TooLarge(None),
        other => Problem::Unreadable(other.to_string()),
    };
    // The header alone first: a 100-megapixel photo is refused before any pixel is decoded.
    let (w, h) = reader().into_dimensions().map_err(unreadable)?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(Problem::TooLarge(Some((w, h))));
    }
    if w == 0 || h == 0 {
        return Err(Problem::Unreadable("it has no pixels".into()));
    }
    let mut reader = reader();
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    img.apply_orientation(orientation);
    Ok(if img.color().has_alpha() {
        on_white(img.into_rgba8())
    } else {
        img.into_rgb8()
    })
}

fn on_white(rgba: image::RgbaImage) -> image::RgbImage {
    let (w, h) = rgba.dimensions();
    let mut out = Vec::with_capacity(w as usize * h as usize * 3);
    for p in rgba.pixels() {
        let a = u16::from(p[3]);
        for c in &p.0[..3] {
            out.push(((u16::from(*c) * a + 255 * (255 - a) + 127) / 255) as u8);
        }
    }
    image::RgbImage::from_raw(w, h, out).unwrap_or_default()
}

fn scaled(height: u32, new_width: u32, width: u32) -> u32 {
    ((u64::from(height) * u64::from(new_width) + u64::from(width) / 2) / u64::from(width)).max(1)
        as u32
}

/// The largest crop of the sharing shape that the photo holds, at most 1200×630.
fn share_size(width: u32, height: u32) -> (u32, u32) {
    let (sw, sh) = SHARE;
    let w = width.min(sw);
    let h = scaled(sh, w, sw);
    if h <= height {
        (w, h)
    } else {
        (scaled(sw, height, sh).max(1), height)
    }
}

/// Progressive, so that a phone on 3G shows the whole photo blurred first, then sharp.
fn jpeg(rgb: &[u8], w: u32, h: u32, quality: u8) -> Result<Vec<u8>, Problem> {
    let (Ok(w), Ok(h)) = (u16::try_from(w), u16::try_from(h)) else {
        return Err(Problem::Encode("the photo is too wide for JPEG"));
    };
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, quality);
    enc.set_progressive(true);
    enc.encode(rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|_| Problem::Encode("JPEG encoding failed"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_enlarge() {
        assert_eq!(widths_for(4000, &[480, 960, 1600]), vec![480, 960, 1600]);
        assert_eq!(widths_for(1200, &[480, 960, 1600]), vec![480, 960, 1200]);
        assert_eq!(widths_for(960, &[480, 960, 1600]), vec![480, 960]);
        assert_eq!(widths_for(300, &[480, 960, 1600]), vec![300]);
    }

    #[test]
    fn share_crop_fits_inside_the_photo() {
        assert_eq!(share_size(4000, 3000), (1200, 630));
        assert_eq!(share_size(800, 600), (800, 420));
        assert_eq!(share_size(3000, 300), (571, 300));
    }

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0"), Some(ImageFormat::Jpeg));
        assert_eq!(sniff(b"hello, I am text"), None);
    }
}
