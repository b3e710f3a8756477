//! Lossy WebP through libwebp (libwebp-sys), behind one safe function.

use std::os::raw::c_int;

/// libwebp refuses larger images.
const MAX_SIDE: u32 = 16_383;

/// Encode tightly packed 8-bit RGB at `quality` (0–100). None when libwebp fails or the size
/// is out of its range.
pub fn encode_rgb(rgb: &[u8], width: u32, height: u32, quality: f32) -> Option<Vec<u8>> {
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return None;
    }
    let stride = width as usize * 3;
    if rgb.len() < stride * height as usize {
        return None;
    }
    let mut out: *mut u8 = std::ptr::null_mut();
    // SAFETY: the buffer holds `height` rows of `stride` bytes (checked above), the sizes fit a
    // c_int (MAX_SIDE), and libwebp only reads it. On success `out` points at `len` bytes that
    // libwebp allocated; they are copied and handed back to WebPFree exactly once.
    // The crate's one unsafe block (lib.rs denies the rest): libwebp has no safe binding
    // without the old vendored libwebp.
    #[allow(unsafe_code)]
    unsafe {
        let len = libwebp_sys::WebPEncodeRGB(
            rgb.as_ptr(),
            width as c_int,
            height as c_int,
            stride as c_int,
            quality,
            &mut out,
        );
        if out.is_null() {
            return None;
        }
        let bytes = (len > 0).then(|| std::slice::from_raw_parts(out, len).to_vec());
        libwebp_sys::WebPFree(out.cast());
        bytes
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_a_webp_that_decodes_to_its_size() {
        let rgb: Vec<u8> = (0..40 * 30 * 3).map(|i| (i % 251) as u8).collect();
        let webp = super::encode_rgb(&rgb, 40, 30, 75.0).unwrap();
        assert_eq!(&webp[..4], b"RIFF");
        assert_eq!(&webp[8..12], b"WEBP");
        let img = image::load_from_memory_with_format(&webp, image::ImageFormat::WebP).unwrap();
        assert_eq!((img.width(), img.height()), (40, 30));
    }

    #[test]
    fn refuses_what_libwebp_cannot_take() {
        assert!(super::encode_rgb(&[0; 3], 0, 1, 75.0).is_none());
        assert!(super::encode_rgb(&[0; 3], 2, 2, 75.0).is_none());
    }
}
