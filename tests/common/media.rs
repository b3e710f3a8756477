//! Generated media for tests: phone-like JPEGs with EXIF orientation and GPS tags, MP3 audio,
//! and hostile files.

/// A JPEG stored `w`×`h`, left half red and right half blue, with an EXIF block holding
/// `orientation` and a GPS position (21°50'12.34" N, 106°45'0" E), as a phone writes it.
pub fn phone_jpeg(w: u16, h: u16, orientation: u16) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(w as usize * h as usize * 3);
    for _y in 0..h {
        for x in 0..w {
            rgb.extend_from_slice(if x < w / 2 {
                &[220, 20, 20]
            } else {
                &[20, 20, 220]
            });
        }
    }
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 90);
    enc.add_exif_metadata(&exif(orientation)).unwrap();
    enc.encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// A little-endian TIFF block: IFD0 with Orientation and a pointer to a GPS IFD with latitude
/// and longitude.
fn exif(orientation: u16) -> Vec<u8> {
    let mut t: Vec<u8> = b"II\x2a\x00".to_vec();
    t.extend(8u32.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value);
    };
    // IFD0 at 8: 2 entries, ends at 8 + 2 + 24 + 4 = 38.
    t.extend(2u16.to_le_bytes());
    let o = orientation.to_le_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut t, 0x8825, 4, 1, 38u32.to_le_bytes());
    t.extend(0u32.to_le_bytes());
    // GPS IFD at 38: 4 entries, ends at 38 + 2 + 48 + 4 = 92; rationals at 92 and 116.
    t.extend(4u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, 5, 3, 92u32.to_le_bytes());
    entry(&mut t, 0x0003, 2, 2, *b"E\0\0\0");
    entry(&mut t, 0x0004, 5, 3, 116u32.to_le_bytes());
    t.extend(0u32.to_le_bytes());
    for (n, d) in [
        (21u32, 1u32),
        (50, 1),
        (1234, 100),
        (106, 1),
        (45, 1),
        (0, 1),
    ] {
        t.extend(n.to_le_bytes());
        t.extend(d.to_le_bytes());
    }
    t
}

/// Whether JPEG bytes carry an EXIF block (APP1 `Exif\0\0`) or GPS tags anywhere.
pub fn has_exif(jpeg: &[u8]) -> bool {
    jpeg.windows(6).any(|w| w == b"Exif\0\0")
}

/// The header of a `w`×`h` PNG (valid chunks and CRCs), without the pixels it promises.
pub fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend(kind);
        out.extend(data);
        out.extend(crc.sum().to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

/// `frames` silent MPEG-1 Layer III frames at 128 kbit/s, 44.1 kHz: 26 ms each.
pub fn silent_mp3(frames: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(frames * 417);
    for _ in 0..frames {
        out.extend([0xFF, 0xFB, 0x90, 0xC4]);
        out.extend(std::iter::repeat_n(0u8, 417 - 4));
    }
    out
}
