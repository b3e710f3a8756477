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
    let colors = match version {
        Version::Micro(_) => canvas.apply_best_mask().into_colors(),
        Version::Normal(_) => {
            let width = version.width() as usize;
            let mut best: Option<(u16, Vec<Color>)> = None;
            for pattern in PATTERNS {
                let mut masked = canvas.clone();
                masked.apply_mask(pattern);
                let colors = masked.into_colors();
                let score = penalty(&colors, width);
                if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
                    best = Some((score, colors));
                }
            }
            match best {
                Some((_, colors)) => colors,
                None => canvas.apply_best_mask().into_colors(),
            }
        }
    };
    Ok((version, colors))
}

/// `qrcode`'s total penalty of a masked symbol (ISO/IEC 18004 §7.8.3, with its own reading of
/// the balance rule). Once masked, every module is `Masked(colour)`, so comparing colours is
/// comparing modules. Each line is scored without a branch a module: on a symbol's random
/// data, branches on colour are mispredicted half the time.
fn penalty(colors: &[Color], width: usize) -> u16 {
    let rows: Vec<u8> = colors.iter().map(|c| u8::from(*c == Color::Dark)).collect();
    let mut columns = vec![0u8; rows.len()];
    for (i, line) in rows.chunks_exact(width).enumerate() {
        for (j, dark) in line.iter().enumerate() {
            columns[j * width + i] = *dark;
        }
    }
    let mut total = 0u16;
    let mut finder_h = 0u16;
    let mut finder_v = 0u16;
    for (row, column) in rows.chunks_exact(width).zip(columns.chunks_exact(width)) {
        total = total.wrapping_add(runs(row)).wrapping_add(runs(column));
        finder_h = finder_h.wrapping_add(finders(row));
        finder_v = finder_v.wrapping_add(finders(column));
    }
    total = total.wrapping_add(blocks(&rows, width));
    // The three finder patterns themselves match nine times each way.
    total = total
        .wrapping_add(finder_h.wrapping_sub(360))
        .wrapping_add(finder_v.wrapping_sub(360));
    total.wrapping_add(balance(&rows))
}

/// 3 + N for each run of 5 + N modules of one colour in a line.
fn runs(line: &[u8]) -> u16 {
    let mut score = 0u16;
    let mut len = 1u16;
    for pair in line.windows(2) {
        let same = pair[0] == pair[1];
        let ended = !same && len >= 5;
        score = score.wrapping_add(u16::from(ended) * len.wrapping_sub(2));
        len = u16::from(same) * len + 1;
    }
    if len >= 5 {
        score = score.wrapping_add(len - 2);
    }
    score
}

/// 3 for each 2×2 block of one colour, overlaps counted.
fn blocks(dark: &[u8], width: usize) -> u16 {
    let mut score = 0u16;
    for (top, bottom) in dark
        .chunks_exact(width)
        .zip(dark.chunks_exact(width).skip(1))
    {
        for x in 0..width - 1 {
            let sum = top[x] + top[x + 1] + bottom[x] + bottom[x + 1];
            score = score.wrapping_add(3 * u16::from(sum == 0 || sum == 4));
        }
    }
    score
}

/// 40 for each dark-light-dark×3-light-dark in a line with four light modules (or the edge)
/// on either side: a window of 4 + 7 + 4 modules slides along the line, light beyond its ends.
fn finders(line: &[u8]) -> u16 {
    const PATTERN: u32 = 0b101_1101;
    let mut score = 0u16;
    let mut window = 0u32;
    // The window's middle seven are modules j..j+7 once module j + 10 has come in.
    for k in 0..line.len() + 4 {
        let dark = line.get(k).copied().unwrap_or(0);
        window = ((window << 1) | u32::from(dark)) & 0x7fff;
        let matched = k >= 10 && (window >> 4) & 0x7f == PATTERN;
        let light_side = window >> 11 == 0 || window & 0xf == 0;
        score = score.wrapping_add(40 * u16::from(matched && light_side));
    }
    score
}

/// How far the share of dark modules is from half, in half-percent steps.
fn balance(dark: &[u8]) -> u16 {
    let count: usize = dark.iter().map(|d| usize::from(*d)).sum();
    (count * 200 / dark.len()).abs_diff(100) as u16
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
        assert_eq!(runs(&[1, 1, 1, 1, 1, 1, 1, 0]), 5);
        assert_eq!(runs(&[0, 1, 1, 1, 1, 1]), 3);
        // A finder-like pattern with light on its left edge scores 40.
        assert_eq!(finders(&[1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1]), 40);
        // Dark within four modules on both sides: no score.
        assert_eq!(finders(&[1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 1]), 0);
        // An all-dark 3×3 holds four 2×2 blocks.
        assert_eq!(blocks(&[1; 9], 3), 12);
        assert_eq!(balance(&[1, 1, 1, 0]), 50);
    }
}
