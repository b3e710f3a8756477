//! What a homestay owner needs to promote the house online, beside the reception cards
//! (`kits`): a "find us online" card (`kits/<CODE>/online.svg`, `.pdf`, and `.png` with `--png`)
//! with the page's code and short link and up to four of the owner's links, each a labelled QR
//! code read back before it is kept; and `kits/<CODE>/social/`: the share image of the page
//! (`share.jpg`, as the website publishes it), a square QR image of the short link for posts
//! (`qr.png`, 1080×1080) and ready post texts (`post.vi.txt`, `post.en.txt`, `post.zh.txt`).

use super::draw::Drawer;
use super::layout::{path, QrBox};
use crate::content::links;
use crate::error::Diagnostic;
use crate::media::Media;
use crate::output::OutFile;
use crate::site::{Entry, Site};
use crate::theme::escape_html;
use crate::vocab::EcLevel;

const W: f64 = 105.0;
const H: f64 = 148.0;
/// The most links a card holds: four QR codes of 40 mm fit an A6 card two by two.
pub const MAX_LINKS: usize = 4;
const QR_MM: f64 = 40.0;
/// Where each of the four QR codes stands (x, y in mm).
const CELLS: [(f64, f64); MAX_LINKS] = [(8.0, 36.0), (57.0, 36.0), (8.0, 87.0), (57.0, 87.0)];
/// The square QR image for posts: 91.44 mm, 1080 pixels at the print resolution.
const POST_MM: f64 = 91.44;

/// One link on the card: its label (vi · service or the owner's) and address.
pub struct CardLink {
    pub label: String,
    pub url: String,
}

/// The first `MAX_LINKS` of the entry's links, labelled in the default language.
pub fn card_links(e: &Entry, lang: &str) -> Vec<CardLink> {
    (e.matter.links.iter())
        .filter_map(|l| {
            let url = links::parse(l.url()).ok()?;
            let label = match (l.label(), links::recognise(&url)) {
                (Some(label), _) => label.to_string(),
                (None, Some(s)) => s.label(lang).to_string(),
                (None, None) => return None,
            };
            Some(CardLink {
                label,
                url: url.to_string(),
            })
        })
        .take(MAX_LINKS)
        .collect()
}

/// The card's SVG and where each link's QR code is, with the symbols' widths.
fn card_svg(
    site: &Site,
    e: &Entry,
    items: &[(CardLink, crate::qr::Symbol)],
) -> (String, Vec<(QrBox, usize)>) {
    let title = &e.texts[site.default_language()].title;
    let short = site.short_link(&e.code);
    let short = short.trim_start_matches("https://");
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{W}mm" height="{H}mm" viewBox="0 0 {W} {H}" font-family="Noto Sans"><rect width="{W}" height="{H}" fill="#ffffff"/><rect x="3" y="3" width="{}" height="{}" rx="3" fill="none" stroke="#a0420d" stroke-width="0.8"/><text x="{}" y="13" font-size="4" text-anchor="middle" fill="#a0420d">{}</text><text x="{}" y="23" font-size="7" font-weight="bold" text-anchor="middle" fill="#111111">Tìm chúng tôi trên mạng</text><text x="{}" y="31" font-size="5" text-anchor="middle" fill="#333333">Find us online</text>"##,
        W - 6.0,
        H - 6.0,
        W / 2.0,
        escape_html(title),
        W / 2.0,
        W / 2.0,
    );
    let mut boxes = Vec::new();
    for ((link, sym), (x, y)) in items.iter().zip(CELLS) {
        let side = sym.width + 2 * crate::qr::QUIET_ZONE;
        let qr = QrBox {
            x,
            y,
            module: QR_MM / side as f64,
            side,
            path: path(&sym.dark, sym.width),
        };
        svg.push_str(&format!(
            r##"<g transform="translate({} {}) scale({})"><rect width="{}" height="{}" fill="#ffffff"/><path d="{}" fill="#000000" shape-rendering="crispEdges"/></g><text x="{}" y="{}" font-size="3.6" font-weight="bold" text-anchor="middle" fill="#111111">{}</text>"##,
            qr.x,
            qr.y,
            qr.module,
            qr.side,
            qr.side,
            qr.path,
            x + QR_MM / 2.0,
            y + QR_MM + 4.0,
            escape_html(&link.label),
        ));
        boxes.push((qr, sym.width));
    }
    svg.push_str(&format!(
        r##"<text x="{}" y="140" font-size="4.2" text-anchor="middle" fill="#111111">Mã · Code {} · {}</text></svg>"##,
        W / 2.0,
        escape_html(&e.code),
        escape_html(short),
    ));
    (svg, boxes)
}

/// The post texts: the name, its summary, the price and the short link, in `lang`.
pub fn post_text(site: &Site, e: &Entry, lang: &str) -> String {
    let text = e.text(lang, site.default_language());
    let m = &e.matter;
    let mut out = format!("{}\n", text.title);
    if let Some(s) = &text.summary {
        out.push_str(&format!("{s}\n"));
    }
    if let Some(p) = m.price_from {
        let price = crate::vocab::format_vnd(p, lang);
        let person = m.price_per.as_deref() == Some("person");
        out.push_str(&match (lang, person) {
            ("vi", false) => format!("Giá từ {price} / phòng / đêm\n"),
            ("vi", true) => format!("Giá từ {price} / người / đêm\n"),
            ("zh", false) => format!("每间每晚 {price} 起\n"),
            ("zh", true) => format!("每人每晚 {price} 起\n"),
            (_, false) => format!("From {price} a room a night\n"),
            (_, true) => format!("From {price} a person a night\n"),
        });
    }
    let more = match lang {
        "vi" => "Xem ảnh, giá và đường đi",
        "zh" => "照片、价格和路线",
        _ => "Photos, prices and directions",
    };
    out.push_str(&format!("{more}: {}\n", site.short_link(&e.code)));
    out
}

/// The square QR image of the short link for posts: the symbol as large as fits, the name
/// above it and the link under it, on white.
fn post_qr_svg(site: &Site, e: &Entry, sym: &crate::qr::Symbol) -> (String, QrBox) {
    // In units of a 108-unit square, drawn POST_MM wide.
    let side = sym.width + 2 * crate::qr::QUIET_ZONE;
    let qr_mm = 80.0;
    let qr = QrBox {
        x: 14.0,
        y: 14.0,
        module: qr_mm / side as f64,
        side,
        path: path(&sym.dark, sym.width),
    };
    let title = &e.texts[site.default_language()].title;
    let short = site.short_link(&e.code);
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{POST_MM}mm" height="{POST_MM}mm" viewBox="0 0 108 108" font-family="Noto Sans"><rect width="108" height="108" fill="#ffffff"/><text x="54" y="10" font-size="5.5" font-weight="bold" text-anchor="middle" fill="#1d5b3a">{}</text><g transform="translate({} {}) scale({})"><path d="{}" fill="#000000" shape-rendering="crispEdges"/></g><text x="54" y="101" font-size="4.5" text-anchor="middle" fill="#111111">{}</text></svg>"##,
        escape_html(title),
        qr.x,
        qr.y,
        qr.module,
        qr.path,
        escape_html(short.trim_start_matches("https://")),
    );
    (svg, qr)
}

/// The owner's online card and social files of homestay `e`.
pub fn files(
    site: &Site,
    e: &Entry,
    media: Option<&Media>,
    png: bool,
    drawer: &Drawer,
    cache: &super::DiskCache,
    symbols: &crate::qr::Cache,
) -> Result<Vec<OutFile>, Diagnostic> {
    let fail =
        |why: String| Diagnostic::error(&e.file, format!("the owner's kit for {} {why}", e.code));
    let mut out = Vec::new();
    let social = |name: &str| crate::address::kit_file(&e.code, &format!("social/{name}"));
    for lang in &site.config.languages {
        out.push(OutFile::bytes(
            social(&format!("post.{lang}.txt")),
            post_text(site, e, lang),
        ));
    }
    // The share image as the website publishes it (made from the cover, in the media stage).
    let default = site.default_language();
    if let Some(share) = media.and_then(|m| m.shares.get(&(e.file.clone(), default.to_string()))) {
        out.push(OutFile::cached(social("share.jpg"), share.source.clone()));
    }
    // The square QR image for posts, read back from its pixels.
    let link = site.scan_link(&e.code);
    let level = crate::qr::level(site.config.qr.error_correction, &link);
    let sym = symbols
        .symbol(&link, level)
        .map_err(|w| fail(format!("has a code that cannot be made: {w}")))?;
    let (svg, qr) = post_qr_svg(site, e, &sym);
    let key = crate::output::digest(format!("post-qr {svg}").as_bytes());
    let data = match cache.file(key, "png") {
        Some(d) => d,
        None => {
            let tree = drawer.tree(&svg).map_err(&fail)?;
            // 91.44 mm at the print resolution (300 dpi) is 1080 pixels.
            let k = POST_MM / 108.0;
            let drawn = drawer.pixels(&tree, POST_MM, POST_MM).map_err(&fail)?;
            let at = QrBox {
                x: qr.x * k,
                y: qr.y * k,
                module: qr.module * k,
                side: qr.side,
                path: String::new(),
            };
            let read = super::read_symbol(&drawn, 150.0, &at, sym.width);
            if read.as_deref() != Ok(link.as_str()) {
                return Err(fail(format!(
                    "has a post QR image that does not scan back (read {read:?})"
                )));
            }
            cache.keep(key, "png", drawn.png().map_err(&fail)?)
        }
    };
    out.push(OutFile {
        path: social("qr.png"),
        data,
    });
    // The card, when the owner gave links.
    let chosen = card_links(e, default);
    if chosen.is_empty() {
        return Ok(out);
    }
    let mut items = Vec::new();
    for l in chosen {
        let sym = symbols.symbol(&l.url, EcLevel::M).map_err(|w| {
            fail(format!(
                "has a link that cannot be a QR code ({}): {w}",
                l.url
            ))
        })?;
        items.push((l, sym));
    }
    let (svg, boxes) = card_svg(site, e, &items);
    let key = crate::output::digest(format!("online {svg}").as_bytes());
    let kept = cache
        .file(key, "pdf")
        .filter(|_| !png || cache.file(key, "png").is_some());
    let (pdf, card_png) = match kept {
        Some(pdf) => (pdf, png.then(|| cache.file(key, "png")).flatten()),
        None => {
            let tree = drawer.tree(&svg).map_err(&fail)?;
            for ((l, _), (qr, width)) in items.iter().zip(&boxes) {
                let drawn = drawer
                    .region(&tree, W, (qr.x, qr.y, qr.module * qr.side as f64), 150.0)
                    .map_err(&fail)?;
                let read = super::read_symbol(&drawn, 150.0, qr, *width);
                if read.as_deref() != Ok(l.url.as_str()) {
                    return Err(fail(format!(
                        "has a card whose {} code does not scan back (read {read:?})",
                        l.label
                    )));
                }
            }
            let card_png = match png {
                true => {
                    let drawn = drawer.pixels(&tree, W, H).map_err(&fail)?;
                    Some(cache.keep(key, "png", drawn.png().map_err(&fail)?))
                }
                false => None,
            };
            let mut once = Some(tree);
            let pdf = drawer
                .pdf_of_trees(|| once.take().map(Ok), W, H)
                .map_err(&fail)?;
            (cache.keep(key, "pdf", pdf), card_png)
        }
    };
    out.push(OutFile {
        path: crate::address::kit_file(&e.code, "online.pdf"),
        data: pdf,
    });
    if let Some(data) = card_png {
        out.push(OutFile {
            path: crate::address::kit_file(&e.code, "online.png"),
            data,
        });
    }
    out.push(OutFile::bytes(
        crate::address::kit_file(&e.code, "online.svg"),
        svg,
    ));
    Ok(out)
}
