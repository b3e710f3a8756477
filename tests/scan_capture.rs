//! The phone-capture simulation that `cargo bench --bench scan` measures plaques with, tested
//! itself: a close, head-on, well-lit capture must decode, and captures that no phone could read
//! (too far, too blurred, too dark) must not, so the benchmark measures what it says.

#[path = "../benches/scan/capture.rs"]
#[allow(dead_code)]
mod capture;

use capture::{capture, decode_rqrr, Print, Shot};

const URL: &str = "https://langson.example/q/HVT/";

/// A 105 mm card with a 59 mm symbol, as an A6 plaque prints it.
fn card() -> Print {
    capture::card_with_qr(
        URL,
        qrcode::EcLevel::Q,
        59.0,
        (105.0, 148.0),
        (23.0, 40.0),
        8.0,
    )
}

#[test]
fn a_close_clean_capture_decodes_and_hopeless_ones_do_not() {
    let print = card();
    assert_eq!(decode_rqrr(&capture(&print, &Shot::clean(0.3))), [URL]);
    // Tilted, rotated and in shade but close: still readable.
    let mut s = Shot::field(0.3);
    s.jpeg = 80;
    assert_eq!(decode_rqrr(&capture(&print, &s)), [URL]);
    // 8 m away the symbol is a few pixels wide.
    assert!(decode_rqrr(&capture(&print, &Shot::clean(8.0))).is_empty());
    // A blur wider than a module.
    let mut blurred = Shot::clean(0.6);
    blurred.blur = 6.0;
    assert!(decode_rqrr(&capture(&print, &blurred)).is_empty());
    // Nearly no light and much noise.
    let mut dark = Shot::clean(0.4);
    dark.light = 0.03;
    dark.noise = 30.0;
    assert!(decode_rqrr(&capture(&print, &dark)).is_empty());
}

#[test]
fn captures_are_the_same_for_the_same_seed() {
    let print = card();
    let s = Shot::field(0.5);
    assert!(capture(&print, &s) == capture(&print, &s));
    let mut other = s;
    other.seed = 99;
    assert!(capture(&print, &s) != capture(&print, &other));
}
