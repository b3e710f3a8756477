//! Any values through the kit's QR payload builders: no panic, and what they build reads back.
#![no_main]
use libfuzzer_sys::fuzz_target;
use waymark::qr::payload::{crc16_ccitt_false, mecard, vietqr, wifi};

/// Undo the Wi-Fi format's backslash escapes.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Split at unescaped `;`.
fn fields(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut esc = false;
    for c in s.chars() {
        if esc {
            out.last_mut().unwrap().push('\\');
            out.last_mut().unwrap().push(c);
            esc = false;
        } else if c == '\\' {
            esc = true;
        } else if c == ';' {
            out.push(String::new());
        } else {
            out.last_mut().unwrap().push(c);
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parts: Vec<&str> = text.splitn(4, '\u{0}').collect();
    let (a, b) = (parts.first().copied().unwrap_or(""), parts.get(1).copied().unwrap_or(""));

    if let Ok(p) = wifi(a, Some(b)) {
        // An empty password makes an open network.
        let (rest, with_password) = match p.strip_prefix("WIFI:T:WPA;") {
            Some(r) => (r, true),
            None => (p.strip_prefix("WIFI:T:nopass;").expect("a WPA or open network"), false),
        };
        let f = fields(rest);
        assert_eq!(unescape(f[0].strip_prefix("S:").unwrap()), a, "{p}");
        if with_password {
            assert_eq!(unescape(f[1].strip_prefix("P:").unwrap()), b, "{p}");
        } else {
            assert!(b.is_empty(), "{p}");
        }
    }
    let _ = mecard(a, b);
    let amount = parts.get(2).and_then(|s| s.parse::<u64>().ok());
    if let Ok(p) = vietqr(a, b, amount, parts.get(3).copied()) {
        assert!(p.is_ascii());
        let (body, crc) = p.split_at(p.len() - 4);
        assert_eq!(crc, format!("{:04X}", crc16_ccitt_false(body.as_bytes())));
        // Every top-level TLV's length is right.
        let mut rest = body;
        while rest.len() >= 4 {
            let len: usize = rest[2..4].parse().expect("a two-digit length");
            if &rest[..2] == "63" {
                assert_eq!(len, 4);
                break;
            }
            rest = &rest[4 + len..];
        }
    }
});
