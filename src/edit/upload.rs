//! Photos and audio sent from a phone: checked whole before anything is written (the bytes are
//! what they claim, decode to the end, are not too large to decode), named for the bundle, and
//! the photo's GPS position read so the form can offer it as the entry's location.

use crate::media::photo::{sniff, MAX_PIXELS};
use crate::media::{ext_of, CAMERA_ADVICE, CAMERA_ADVICE_VI, CAMERA_EXTS};
use image::ImageFormat;

/// The most one photo or audio file may weigh, and one save altogether (stated in the form).
pub const MAX_FILE: usize = 25 * 1024 * 1024;
pub const MAX_REQUEST: usize = 100 * 1024 * 1024;

/// A file passed over because it was over `MAX_FILE`, or past `MAX_REQUEST` with the others.
pub fn too_big(name: &str) -> super::field_msg::FieldMsg {
    let (file_mb, all_mb) = (MAX_FILE >> 20, MAX_REQUEST >> 20);
    super::field_msg::FieldMsg::error(
        "photos",
        format!("`{name}` is too large (a photo may be {file_mb} MB, one save {all_mb} MB): nothing was saved; what you typed is below, choose a smaller photo or fewer at a time"),
        format!("tệp `{name}` quá lớn (mỗi ảnh tối đa {file_mb} MB, mỗi lần lưu {all_mb} MB): chưa lưu gì; nội dung bạn gõ vẫn ở dưới, hãy chọn ảnh nhỏ hơn hoặc ít ảnh hơn"),
    )
}

/// A request that ended before its end: more than the server reads, or a broken connection.
pub fn cut_short() -> super::field_msg::FieldMsg {
    let all_mb = MAX_REQUEST >> 20;
    super::field_msg::FieldMsg::error(
        "photos",
        format!("Too much was sent at once ({all_mb} MB at most), or the connection broke: nothing was saved. What you typed is below; choose fewer photos and save again."),
        format!("Gửi quá nhiều một lần (tối đa {all_mb} MB) hoặc mất kết nối: chưa lưu gì. Nội dung bạn gõ vẫn ở dưới; chọn ít ảnh hơn rồi bấm Lưu lại."),
    )
}

/// A file as the browser sent it.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The name on the phone (used only to make the bundle's file name from).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A checked photo: the bundle's file name to give it, and where it was taken.
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    pub ext: &'static str,
    pub gps: Option<(f64, f64)>,
}

/// Why an upload is refused, in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub en: String,
    pub vi: String,
}

fn refused(en: impl Into<String>, vi: impl Into<String>) -> Refused {
    Refused {
        en: en.into(),
        vi: vi.into(),
    }
}

pub fn check_photo(u: &Upload) -> Result<Photo, Refused> {
    let name = &u.name;
    if u.bytes.len() > MAX_FILE {
        return Err(refused(
            format!("`{name}` is larger than {} MB", MAX_FILE >> 20),
            format!("ảnh `{name}` lớn hơn {} MB", MAX_FILE >> 20),
        ));
    }
    let camera = is_heif(&u.bytes) || CAMERA_EXTS.contains(&ext_of(name).as_str());
    if camera {
        return Err(refused(
            format!("`{name}` is in a camera format that browsers cannot show: {CAMERA_ADVICE}"),
            format!("`{name}`: {CAMERA_ADVICE_VI}"),
        ));
    }
    let format = sniff(&u.bytes).ok_or_else(|| {
        refused(
            format!("`{name}` is not a JPEG, PNG or WebP photo"),
            format!("tệp `{name}` không phải ảnh JPEG, PNG hay WebP"),
        )
    })?;
    let damaged = || {
        refused(
            format!("`{name}` is damaged or cut short: send it again"),
            format!("ảnh `{name}` bị hỏng hoặc gửi chưa hết: hãy gửi lại"),
        )
    };
    // A JPEG that stops before its end marker decodes to grey stripes without an error.
    if format == ImageFormat::Jpeg {
        let end = u.bytes.iter().rposition(|b| *b != 0).unwrap_or(0);
        if end < 1 || u.bytes[end - 1..=end] != [0xFF, 0xD9] {
            return Err(damaged());
        }
    }
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(&u.bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let (w, h) = reader.into_dimensions().map_err(|_| damaged())?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(refused(
            format!(
                "`{name}` is {w}×{h} pixels, more than {} million: make it smaller",
                MAX_PIXELS / 1_000_000
            ),
            format!("ảnh `{name}` quá lớn ({w}×{h} điểm ảnh): hãy thu nhỏ ảnh"),
        ));
    }
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(&u.bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    reader.decode().map_err(|_| damaged())?;
    Ok(Photo {
        ext: match format {
            ImageFormat::Png => "png",
            ImageFormat::WebP => "webp",
            _ => "jpg",
        },
        gps: gps(&u.bytes),
    })
}

/// Check an audio guide; returns its extension.
pub fn check_audio(u: &Upload, scratch: &std::path::Path) -> Result<String, Refused> {
    let name = &u.name;
    if u.bytes.len() > MAX_FILE {
        return Err(refused(
            format!("`{name}` is larger than {} MB", MAX_FILE >> 20),
            format!("tệp `{name}` lớn hơn {} MB", MAX_FILE >> 20),
        ));
    }
    let ext = ext_of(name);
    let ext = match ext.as_str() {
        "mp3" | "m4a" | "ogg" | "oga" | "opus" | "aac" => ext,
        _ => {
            return Err(refused(
                format!("`{name}` is not MP3, M4A or Ogg, the formats phone browsers play"),
                format!("tệp `{name}` không phải MP3, M4A hay Ogg"),
            ))
        }
    };
    // lofty reads from a file; the scratch copy is removed when `tmp` drops, whatever it finds.
    let written = tempfile::Builder::new()
        .prefix(".upload-")
        .suffix(&format!(".{ext}"))
        .tempfile_in(scratch)
        .and_then(|mut tmp| std::io::Write::write_all(&mut tmp, &u.bytes).map(|()| tmp));
    let tmp = written.map_err(|e| {
        refused(
            format!("`{name}` could not be checked: {e}"),
            format!("chưa kiểm tra được tệp `{name}` (máy chủ không ghi tạm được): hãy thử lại"),
        )
    })?;
    let probed = crate::media::audio::probe(tmp.path(), &format!("x.{ext}"));
    probed.map_err(|why| {
        refused(
            format!("`{name}` {why}"),
            format!("tệp âm thanh `{name}` hỏng hoặc không phải âm thanh"),
        )
    })?;
    Ok(ext)
}

/// A file name for `upload` in a bundle that has `taken` files: the phone's name made
/// address-safe (`IMG 2041.JPG` -> `img-2041.jpg`), numbered when it is taken.
pub fn bundle_name(upload_name: &str, ext: &str, taken: &[String]) -> String {
    let base = upload_name.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(base);
    let mut stem = crate::slug::slugify(stem);
    if stem.is_empty() {
        stem = "photo".into();
    }
    stem.truncate(60);
    let mut name = format!("{stem}.{ext}");
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        name = format!("{stem}-{n}.{ext}");
        n += 1;
    }
    name
}

fn is_heif(bytes: &[u8]) -> bool {
    bytes.len() > 12
        && &bytes[4..8] == b"ftyp"
        && [&b"heic"[..], b"heix", b"mif1", b"msf1", b"heim", b"heis"].contains(&&bytes[8..12])
}

/// Where the photo was taken, from its EXIF GPS tags, in degrees.
pub fn gps(bytes: &[u8]) -> Option<(f64, f64)> {
    use exif::{In, Tag, Value};
    // Tools such as piexif end the GPS block with a pointer to a "next" block, which the
    // standard does not allow in it; the tags read before that are good, so keep them.
    let data = match exif::Reader::new()
        .continue_on_error(true)
        .read_from_container(&mut std::io::Cursor::new(bytes))
    {
        Ok(data) => data,
        Err(e) => e.distill_partial_result(|_| {}).ok()?,
    };
    let degrees = |tag: Tag, reference: Tag, negative: &str| -> Option<f64> {
        let field = data.get_field(tag, In::PRIMARY)?;
        let Value::Rational(parts) = &field.value else {
            return None;
        };
        let d = parts.first()?.to_f64()
            + parts.get(1)?.to_f64() / 60.0
            + parts.get(2).map(|r| r.to_f64()).unwrap_or(0.0) / 3600.0;
        let sign = data
            .get_field(reference, In::PRIMARY)
            .map(|r| r.display_value().to_string())
            .filter(|r| r.starts_with(negative))
            .map_or(1.0, |_| -1.0);
        d.is_finite().then_some(sign * d)
    };
    let lat = degrees(Tag::GPSLatitude, Tag::GPSLatitudeRef, "S")?;
    let lon = degrees(Tag::GPSLongitude, Tag::GPSLongitudeRef, "W")?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) && (lat, lon) != (0.0, 0.0))
        .then(|| ((lat * 1e6).round() / 1e6, (lon * 1e6).round() / 1e6))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg() -> Vec<u8> {
        let img = image::RgbImage::from_pixel(64, 48, image::Rgb([200, 120, 40]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
            .encode_image(&img)
            .unwrap();
        out
    }

    fn up(name: &str, bytes: Vec<u8>) -> Upload {
        Upload {
            name: name.into(),
            bytes,
        }
    }

    #[test]
    fn a_photo_passes_and_lies_do_not() {
        assert_eq!(check_photo(&up("IMG_1.JPG", jpeg())).unwrap().ext, "jpg");
        let text = check_photo(&up("a.jpg", b"hello, I am text".to_vec())).unwrap_err();
        assert!(text.en.contains("not a JPEG"), "{text:?}");
        let mut cut = jpeg();
        cut.truncate(cut.len() / 2);
        assert!(check_photo(&up("cut.jpg", cut))
            .unwrap_err()
            .en
            .contains("damaged"));
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic0000000000000000");
        assert!(check_photo(&up("IMG.HEIC", heic))
            .unwrap_err()
            .en
            .contains("camera format"));
    }

    #[test]
    fn a_png_that_claims_a_huge_size_is_refused_before_decoding() {
        // A valid PNG header for 60000×60000 pixels with a few bytes of data: a "zip bomb".
        let mut png = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut png, 60000, 60000);
            enc.set_color(png::ColorType::Grayscale);
            let mut w = enc.write_header().unwrap();
            let _ = w.write_image_data(&[]);
        }
        let err = check_photo(&up("bomb.png", png)).unwrap_err();
        assert!(
            err.en.contains("60000×60000") || err.en.contains("damaged"),
            "{err:?}"
        );
    }

    /// Photos tagged by tools rather than phones: piexif (big-endian, GPSVersionID first,
    /// rationals over 100 and 10,000, a next-IFD pointer after the GPS block) and ExifTool,
    /// made by tests/fixtures/exif/make.py.
    #[test]
    fn gps_written_by_common_tools_is_read() {
        let piexif = include_bytes!("../../tests/fixtures/exif/piexif.jpg");
        let (lat, lon) = gps(piexif).expect("piexif's GPS position");
        assert!(
            (lat - 21.6656).abs() < 1e-4 && (lon - 106.6202).abs() < 1e-4,
            "{lat}, {lon}"
        );
        let exiftool = include_bytes!("../../tests/fixtures/exif/exiftool.jpg");
        let (lat, lon) = gps(exiftool).expect("ExifTool's GPS position");
        assert!(
            (lat - 21.944).abs() < 1e-4 && (lon - 106.701).abs() < 1e-4,
            "{lat}, {lon}"
        );
    }

    #[test]
    fn names_are_safe_and_unique() {
        let taken = vec!["img-2041.jpg".to_string()];
        assert_eq!(bundle_name("IMG 2041.JPG", "jpg", &taken), "img-2041-2.jpg");
        assert_eq!(bundle_name("../../etc/passwd", "jpg", &[]), "passwd.jpg");
        assert_eq!(bundle_name("Cổng đền.jpeg", "jpg", &[]), "cong-den.jpg");
        assert_eq!(bundle_name(".jpg", "png", &[]), "photo.png");
    }
}
