//! Choosing a symbol's mask: the same choice as `qrcode`'s `Canvas::apply_best_mask`, scored
//! without its cost. Its finder-pattern score boxes a closure for every module of every line
//! of every candidate mask, which made the mask search the largest cost of `waymark plaques`
//! (18% of a cold print run, BENCHMARKS.md). The rules, their order and their `u16`
//! arithmetic are `qrcode` 0.14's, so that a symbol keeps its modules; a test holds the two
//! choices equal.

use qrcode::bits::Bits;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel, Version};

/// The candidates in `qrcode`'s order: of equal scores, the first wins.
const PATTERNS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The symbol's modules (left to right, then top to bottom), as `QrCode::with_bits` gives them.
pub fn modules(bits: Bits, level: EcLevel) -> Result<(Version, Vec<Color>), String> {
    let version = bits.version();
    let data = bits.into_bytes();
    let (encoded, ec) =
        qrcode::ec::construct_codewords(&data, version, level).map_err(|e| e.to_string())?;
    let mut canvas = Canvas::new(version, level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&encoded, &ec);
    let best = match version {
        Version::Micro(_) => canvas.apply_best_mask(),
        Version::Normal(_) => {
            let width = version.width() as usize;
            let mut best: Option<(u16, Canvas)> = None;
            for pattern in PATTERNS {
                let mut masked = canvas.clone();
                masked.apply_mask(pattern);
                let score = penalty(&dark_modules(&masked, width), width);
                if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
                    best = Some((score, masked));
                }
            }
            best.map(|(_, c)| c).unwrap_or(canvas)
        }
    };
    Ok((version, best.into_colors()))
}

fn dark_modules(canvas: &Canvas, width: usize) -> Vec<bool> {
    let w = width as i16;
    (0..w)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .map(|(x, y)| canvas.get(x, y).is_dark())
        .collect()
}

/// `qrcode`'s total penalty of a masked symbol (ISO/IEC 18004 §7.8.3, with its own
/// reading of the balance rule). Once masked, every module is `Masked(colour)`, so
/// comparing colours is comparing modules.
fn penalty(dark: &[bool], width: usize) -> u16 {
    let at = |x: usize, y: usize| dark[y * width + x];
    let row = |y: usize| move |x: usize| at(x, y);
    let column = |x: usize| move |y: usize| at(x, y);
    let mut total = 0u16;
    for i in 0..width {
        total = total
            .wrapping_add(runs(row(i), width))
            .wrapping_add(runs(column(i), width));
    }
    total = total.wrapping_add(blocks(dark, width));
    let mut finder_h = 0u16;
    let mut finder_v = 0u16;
    for i in 0..width {
        finder_h = finder_h.wrapping_add(finders(row(i), width));
        finder_v = finder_v.wrapping_add(finders(column(i), width));
    }
    // The three finder patterns themselves match nine times each way.
    total = total
        .wrapping_add(finder_h.wrapping_sub(360))
        .wrapping_add(finder_v.wrapping_sub(360));
    total.wrapping_add(balance(dark))
}

/// 3 + N for each run of 5 + N modules of one colour in a line.
fn runs(get: impl Fn(usize) -> bool, width: usize) -> u16 {
    let mut score = 0u16;
    let mut len = 1u16;
    for j in 1..=width {
        if j < width && get(j) == get(j - 1) {
            len += 1;
        } else {
            if len >= 5 {
                score = score.wrapping_add(len - 2);
            }
            len = 1;
        }
    }
    score
}

/// 3 for each 2×2 block of one colour, overlaps counted.
fn blocks(dark: &[bool], width: usize) -> u16 {
    let mut score = 0u16;
    for y in 0..width - 1 {
        for x in 0..width - 1 {
            let c = dark[y * width + x];
            if dark[y * width + x + 1] == c
                && dark[(y + 1) * width + x] == c
                && dark[(y + 1) * width + x + 1] == c
            {
                score = score.wrapping_add(3);
            }
        }
    }
    score
}

/// 40 for each dark-light-dark×3-light-dark in a line with four light modules (or the edge)
/// on either side.
fn finders(get: impl Fn(usize) -> bool, width: usize) -> u16 {
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    let mut score = 0u16;
    for j in 0..width.saturating_sub(6) {
        if !(0..7).all(|k| get(j + k) == PATTERN[k]) {
            continue;
        }
        let dark_in = |from: usize, to: usize| (from..to.min(width)).any(&get);
        if !dark_in(j.saturating_sub(4), j) || !dark_in(j + 7, j + 11) {
            score = score.wrapping_add(40);
        }
    }
    score
}

/// How far the share of dark modules is from half, in half-percent steps.
fn balance(dark: &[bool]) -> u16 {
    let ratio = dark.iter().filter(|d| **d).count() * 200 / dark.len();
    ratio.abs_diff(100) as u16
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::QrCode;

    /// Links, Wi-Fi and payment payloads of many lengths at every level: the mask chosen here
    /// and by `qrcode` itself give the same modules.
    #[test]
    fn same_modules_as_qrcode() {
        let mut seed = 0x9e37_79b9_u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let alphabet = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/.-_;?=&%";
        let mut masks_seen = std::collections::HashSet::new();
        for case in 0..400 {
            let len = 1 + (next() as usize % 180);
            let data: Vec<u8> = (0..len)
                .map(|_| alphabet[next() as usize % alphabet.len()])
                .collect();
            let level = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H][case % 4];
            let theirs = QrCode::with_error_correction_level(&data, level).unwrap();
            let bits = qrcode::bits::encode_auto(&data, level).unwrap();
            let (version, ours) = modules(bits, level).unwrap();
            assert_eq!(version, theirs.version());
            assert_eq!(
                ours,
                theirs.to_colors(),
                "case {case}: {data:?} at {level:?}"
            );
            masks_seen.insert(format!("{:?}", &ours[..theirs.width() * 9]));
        }
        // Many symbols, not one drawn over and over.
        assert!(masks_seen.len() > 300);
    }

    #[test]
    fn scores_follow_the_rules() {
        // A line of 7 dark then 1 light scores 3 + 2 for its run.
        let line = [true, true, true, true, true, true, true, false];
        assert_eq!(runs(|j| line[j], line.len()), 5);
        // A finder-like pattern with light on its left edge scores 40.
        let line = [
            true, false, true, true, true, false, true, true, true, true, true,
        ];
        assert_eq!(finders(|j| line[j], line.len()), 40);
        // An all-dark 3×3 holds four 2×2 blocks.
        assert_eq!(blocks(&[true; 9], 3), 12);
        assert_eq!(balance(&[true, true, true, false]), 50);
    }
}
