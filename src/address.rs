//! Every address Waymark makes, in one place: where a page, a landing or a print file lives in
//! the output, and the links that lead to them. Stages ask here instead of writing paths.

/// The output's products: `site/` to publish, `print/` to hand to a printer, and `moved/<host>/`
/// for each address the site was published at before, to serve there.
pub const SITE: &str = "site/";
pub const PRINT: &str = "print/";
pub const MOVED: &str = "moved/";
/// Scans counted from access logs (`waymark stats`).
pub const STATS: &str = "stats/";
/// Tables of the entries (`waymark export`).
pub const EXPORT: &str = "export/";
pub const PRODUCTS: [&str; 5] = ["site", "print", "moved", "stats", "export"];

/// `moved/<host>/<rel>`: a file of the site that redirects from an old address.
pub fn moved_file(host: &str, rel: &str) -> String {
    format!("{MOVED}{host}/{rel}")
}

/// Where plaque landings live, under the site's base path.
pub const LANDINGS: &str = "/q/";

/// The site-relative address of a code's landing: the short link a QR code encodes.
pub fn landing(code: &str) -> String {
    format!("{LANDINGS}{code}/")
}

/// A link as a QR code carries it: the scheme and host in upper case, which every browser reads
/// as the same address (RFC 3986 makes both case-insensitive), so that they travel in the QR
/// code's alphanumeric mode at 5.5 bits a character instead of 8. The path keeps its case: on
/// most static hosts it is case-sensitive, and printed codes' `/q/` must stay as printed.
pub fn scan_form(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let host_end = rest.find('/').unwrap_or(rest.len());
    format!(
        "{}://{}{}",
        scheme.to_ascii_uppercase(),
        rest[..host_end].to_ascii_uppercase(),
        &rest[host_end..]
    )
}

/// The output file of the page at a site-relative address (`/relics/den/` → `site/relics/den/index.html`).
pub fn page_file(path: &str) -> String {
    format!("site{path}index.html")
}

/// The output path of a file of the published site (`sw.js` → `site/sw.js`).
pub fn site_file(rel: &str) -> String {
    format!("{SITE}{rel}")
}

/// The output folder of an entry's own files (photos, audio): beside its default-language page.
pub fn entry_folder(section: &str, slug: &str) -> String {
    format!("site/{section}/{slug}")
}

/// `site/q/<CODE>/index.html`: a code's landing page.
pub fn landing_file(code: &str) -> String {
    page_file(&landing(code))
}

/// The site's page for addresses it does not have.
pub const NOT_FOUND: &str = "site/404.html";

/// The site's files for machines, under `site/`.
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const REDIRECTS: &str = "_redirects";
pub const GEOJSON: &str = "places.geojson";
pub const GPX: &str = "places.gpx";
pub const SERVICE_WORKER: &str = "sw.js";
pub const WEB_MANIFEST: &str = "manifest.webmanifest";

/// `print/qr/<CODE>.<ext>`: the bare symbol.
pub fn symbol_file(code: &str, ext: &str) -> String {
    format!("{PRINT}qr/{code}.{ext}")
}

/// `print/plaques/<CODE>.<ext>`.
pub fn plaque_file(code: &str, ext: &str) -> String {
    format!("{PRINT}plaques/{code}.{ext}")
}

/// Where plaques' files are, for finding them by code.
pub const PLAQUES: &str = "print/plaques/";

/// `print/kits/<CODE>/<name>`: a homestay kit's cards and its PDF.
pub fn kit_file(code: &str, name: &str) -> String {
    format!("{PRINT}kits/{code}/{name}")
}

/// `print/sheets/<size>-on-a4.pdf`, or the `n`th of `files` (from 1, zero-padded to sort).
pub fn sheet_file(size: &str, n: usize, files: usize) -> String {
    match files {
        1 => format!("{PRINT}sheets/{size}-on-a4.pdf"),
        _ => format!(
            "{PRINT}sheets/{size}-on-a4-{n:0w$}.pdf",
            w = files.to_string().len()
        ),
    }
}

/// `print/manifest.json`: every code, what it encodes and its files.
pub const PRINT_MANIFEST: &str = "print/manifest.json";

/// `tel:` with the country code, so that a foreign SIM dials it too.
pub fn tel_uri(phone: &str) -> String {
    format!("tel:{}", international(phone))
}

/// The numbers of a `phone` field: one, or several separated by commas ("0988 111 222, 0355
/// 222 333"), as a household with two phones writes it.
pub fn phone_numbers(phone: &str) -> impl Iterator<Item = &str> {
    phone.split(',').map(str::trim).filter(|p| !p.is_empty())
}

/// The first of the field's numbers with the country code: the one a call button dials.
pub fn international(phone: &str) -> String {
    let phone = phone_numbers(phone).next().unwrap_or("");
    let plus = phone.trim_start().starts_with('+');
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit()).collect();
    if plus {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("+84{rest}")
    } else {
        digits
    }
}

/// Zalo links take the Vietnamese local number (0...).
pub fn zalo_url(zalo: &str) -> String {
    if zalo.starts_with("https://") {
        return zalo.to_string();
    }
    let intl = international(zalo);
    let local = match intl.strip_prefix("+84") {
        Some(rest) => format!("0{rest}"),
        None => intl.trim_start_matches('+').to_string(),
    };
    format!("https://zalo.me/{local}")
}

/// Percent-encode a URL query component or path segment (RFC 3986 unreserved characters kept).
pub fn encode_component(s: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// The content type of a file by its name, whatever the case of its extension (`IMG.JPG`),
/// with a charset for text.
pub fn content_type(name: &str) -> String {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    // The site's own formats, which the general table does not know or gets wrong.
    let own = match ext.as_str() {
        "webmanifest" => Some("application/manifest+json"),
        "geojson" => Some("application/geo+json"),
        "gpx" => Some("application/gpx+xml"),
        "_redirects" => Some("text/plain"),
        "js" => Some("text/javascript"),
        // RFC 4337; mime_guess says audio/m4a, which browsers do not all know.
        "m4a" => Some("audio/mp4"),
        _ => None,
    };
    let mime = own.map(str::to_string).unwrap_or_else(|| {
        mime_guess::from_ext(&ext)
            .first_or_octet_stream()
            .essence_str()
            .to_string()
    });
    if mime.starts_with("text/") {
        format!("{mime}; charset=utf-8")
    } else {
        mime
    }
}

#[cfg(test)]
mod content_type_tests {
    #[test]
    fn by_extension_whatever_its_case() {
        assert_eq!(super::content_type("cong.JPG"), "image/jpeg");
        assert_eq!(super::content_type("a/IMG_2041.Jpeg"), "image/jpeg");
        assert_eq!(
            super::content_type("index.html"),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            super::content_type("manifest.webmanifest"),
            "application/manifest+json"
        );
        assert_eq!(
            super::content_type("sw.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(super::content_type("guide.M4A"), "audio/mp4");
        assert_eq!(
            super::content_type("places.geojson"),
            "application/geo+json"
        );
        assert_eq!(super::content_type("x.unknown"), "application/octet-stream");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(landing("HVT"), "/q/HVT/");
        assert_eq!(
            scan_form("https://langson.example/sub/q/HVT/"),
            "HTTPS://LANGSON.EXAMPLE/sub/q/HVT/"
        );
        assert_eq!(
            scan_form("http://xn--lng-sn-7va.vn:8080/q/A1/"),
            "HTTP://XN--LNG-SN-7VA.VN:8080/q/A1/"
        );
        assert_eq!(scan_form("no scheme"), "no scheme");
        assert_eq!(
            page_file("/en/relics/den/"),
            "site/en/relics/den/index.html"
        );
        assert_eq!(sheet_file("a6", 1, 1), "print/sheets/a6-on-a4.pdf");
        assert_eq!(sheet_file("a6", 3, 11), "print/sheets/a6-on-a4-03.pdf");
        assert_eq!(kit_file("HNL", "kit.pdf"), "print/kits/HNL/kit.pdf");
    }

    #[test]
    fn phone_links() {
        assert_eq!(tel_uri("0205 3870 123"), "tel:+842053870123");
        assert_eq!(tel_uri("+84 912 345 678"), "tel:+84912345678");
        assert_eq!(zalo_url("+84 912 345 678"), "https://zalo.me/0912345678");
        assert_eq!(zalo_url("0912.345.678"), "https://zalo.me/0912345678");
        assert_eq!(tel_uri("0988 111 222, 0355 222 333"), "tel:+84988111222");
    }
}
