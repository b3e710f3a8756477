//! The homestay kit: cards for reception with the listing's QR, a way to reach the host (Zalo or
//! a call, and a MECARD that saves the number), the Wi-Fi join code and a VietQR bank transfer,
//! each labelled in Vietnamese and English. Only here do Wi-Fi and bank details appear. The
//! owner's online card and social files are `social`'s.

use super::draw::Drawer;
use super::layout::{path, Card, Line};
use crate::config::EcLevel;
use crate::error::Diagnostic;
use crate::output::OutFile;
use crate::qr::payload;
use crate::site::{Entry, Kind, Site};
use crate::theme::Theme;

const W: f64 = 105.0;
const H: f64 = 148.0;

/// (file name, Vietnamese heading, English heading, QR payload, lines of text under it)
type Spec = (
    &'static str,
    &'static str,
    &'static str,
    String,
    Vec<String>,
);

fn specs(site: &Site, e: &Entry) -> Result<Vec<Spec>, String> {
    let m = &e.matter;
    let mut cards: Vec<Spec> = vec![(
        "listing",
        "Trang của chúng tôi",
        "Our page",
        site.scan_link(&e.code),
        vec![site
            .short_link(&e.code)
            .trim_start_matches("https://")
            .to_string()],
    )];
    if let Some(z) = &m.zalo {
        cards.push((
            "zalo",
            "Nhắn tin Zalo",
            "Message us on Zalo",
            crate::address::zalo_url(z),
            vec![z.clone()],
        ));
    } else if let Some(p) = &m.phone {
        cards.push((
            "call",
            "Gọi cho chúng tôi",
            "Call us",
            crate::address::tel_uri(p),
            vec![p.clone()],
        ));
    }
    if let Some(p) = &m.phone {
        let name = &e.texts[site.default_language()].title;
        // A contact card holds one number: the first, the one the call card dials.
        let first = crate::address::phone_numbers(p).next().unwrap_or(p);
        let card = payload::mecard(name, first).map_err(|e| format!("contact card: {e}"))?;
        cards.push((
            "contact",
            "Lưu số điện thoại",
            "Save our number",
            card,
            vec![p.clone()],
        ));
    }
    if let Some(w) = &m.wifi {
        let code =
            payload::wifi(&w.ssid, w.password.as_deref()).map_err(|e| format!("Wi-Fi: {e}"))?;
        let mut lines = vec![format!("Wi-Fi: {}", w.ssid)];
        if let Some(p) = &w.password {
            lines.push(format!("Mật khẩu · Password: {p}"));
        }
        cards.push(("wifi", "Kết nối Wi-Fi", "Join our Wi-Fi", code, lines));
    }
    if let Some(b) = &m.bank {
        let purpose = format!("{} {}", e.code, e.texts[site.default_language()].title);
        let code = payload::vietqr(&b.bin, &b.account, None, Some(&purpose))
            .map_err(|e| format!("VietQR: {e}"))?;
        let mut lines = vec![format!("STK · Account: {}", b.account)];
        if let Some(n) = &b.name {
            lines.push(n.clone());
        }
        cards.push((
            "vietqr",
            "Chuyển khoản VietQR",
            "Pay by bank transfer",
            code,
            lines,
        ));
    }
    Ok(cards)
}

/// The kit of every homestay among `entries`: `print/kits/<CODE>/kit.pdf` and each card as SVG
/// (and PNG when `png`); how many kits.
#[allow(clippy::too_many_arguments)]
pub fn render(
    site: &Site,
    theme: &Theme,
    entries: &[&Entry],
    png: bool,
    drawer: &Drawer,
    cache: &super::DiskCache,
    symbols: &crate::qr::Cache,
    emit: &crate::output::Emitter,
    media: Option<&crate::media::Media>,
) -> crate::error::Result<usize> {
    use rayon::prelude::*;
    let homestays: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.kind == Kind::Homestay)
        .copied()
        .collect();
    // The first problem in entry order, whichever thread met it first.
    let kits: Vec<Result<(), crate::error::Error>> = homestays
        .par_iter()
        .map(|e| {
            let mut files = kit(site, theme, png, drawer, cache, symbols, e)
                .map_err(crate::error::Error::one)?;
            files.extend(
                super::social::files(site, e, media, png, drawer, cache, symbols)
                    .map_err(crate::error::Error::one)?,
            );
            emit.put_all(files)
        })
        .collect();
    kits.into_iter().collect::<Result<(), _>>()?;
    Ok(homestays.len())
}

/// A card laid out: its name, SVG, the payload its QR encodes and where the QR is.
struct Drawn {
    name: &'static str,
    svg: String,
    data: String,
    card: Card,
    symbol: crate::qr::Symbol,
}

/// One homestay's cards and kit.pdf. The kit is kept in the cache under the digest of all its
/// cards: a kit made (and read back) before is neither drawn nor read again.
fn kit(
    site: &Site,
    theme: &Theme,
    png: bool,
    drawer: &Drawer,
    cache: &super::DiskCache,
    symbols: &crate::qr::Cache,
    e: &Entry,
) -> Result<Vec<OutFile>, Diagnostic> {
    let fail =
        |why: String| Diagnostic::error(&e.file, format!("the homestay kit for {} {why}", e.code));
    let specs = specs(site, e).map_err(|w| {
        fail(format!("cannot be made: {w}"))
            .hint("check `phone`, `wifi` and `bank` in the front matter")
    })?;
    let mut cards = Vec::new();
    for (name, vi, en, data, lines) in specs {
        let ec = if name == "listing" {
            crate::qr::level(site.config.qr.error_correction, &data)
        } else {
            EcLevel::M
        };
        let sym = symbols
            .symbol(&data, ec)
            .map_err(|w| fail(format!("has a code that cannot be made: {w}")))?;
        let side = sym.width + 2 * crate::qr::QUIET_ZONE;
        let qr_mm = (W - 24.0).min(H - 40.0 - 8.0 * lines.len() as f64 - 10.0);
        let mut y = 36.0 + qr_mm + 8.0;
        let details = lines
            .into_iter()
            .map(|text| {
                let l = Line { text, y };
                y += 7.0;
                l
            })
            .collect();
        let card = Card {
            w: W,
            h: H,
            place: e.texts[site.default_language()].title.clone(),
            heading_vi: vi.into(),
            heading_en: en.into(),
            qr: super::layout::QrBox {
                x: (W - qr_mm) / 2.0,
                y: 36.0,
                module: qr_mm / side as f64,
                side,
                path: path(&sym.dark, sym.width),
            },
            details,
        };
        let ctx = tera::Context::from_serialize(&card).map_err(|err| fail(err.to_string()))?;
        cards.push(Drawn {
            name,
            svg: theme.render("kit-card.svg", &ctx)?,
            data,
            card,
            symbol: sym,
        });
    }
    // The built-in card goes straight into the PDF; a theme's own through its SVG.
    let straight = theme.is_built_in("kit-card.svg").then_some(&drawer.fonts);
    let maker = if straight.is_some() {
        "pdf-writer"
    } else {
        "krilla"
    };
    let all = crate::output::digest(
        (cards.iter().map(|c| c.svg.as_str()))
            .chain([maker])
            .collect::<String>()
            .as_bytes(),
    );
    let card_png = |c: &Drawn| cache.file(crate::output::digest(c.svg.as_bytes()), "png");
    let kept = cache
        .file(all, "pdf")
        .filter(|_| !png || cards.iter().all(|c| card_png(c).is_some()));
    let (pdf, pngs) = match kept {
        Some(pdf) => (pdf, cards.iter().map(card_png).collect::<Vec<_>>()),
        None => {
            let runs: Vec<_> = (cards.iter())
                .map(|c| crate::qr::runs(&c.symbol.dark, c.symbol.width))
                .collect();
            let mut trees = Vec::new();
            let mut pngs = Vec::new();
            for (c, runs) in cards.iter().zip(&runs) {
                let qr = &c.card.qr;
                // The whole card when its PNG is wanted; else the symbol, as the PDF has it.
                let tree = match (png, straight) {
                    (false, Some(_)) => None,
                    _ => Some(
                        (drawer.tree(&c.svg))
                            .map_err(|w| {
                                fail(format!("could not be drawn: {w}")).hint(format!(
                                    "themes/{}/kit-card.svg must stay valid SVG once filled in: check it in a browser, or delete it to use the built-in card",
                                    site.config.theme
                                ))
                            })?,
                    ),
                };
                let drawn = match &tree {
                    None => super::draw::symbol_pixels(qr, runs, 150.0),
                    Some(tree) if png => drawer.pixels(tree, W, H),
                    Some(tree) => {
                        let side = qr.module * qr.side as f64;
                        drawer.region(tree, W, (qr.x, qr.y, side), 150.0)
                    }
                }
                .map_err(|w| fail(format!("could not be drawn: {w}")))?;
                let read = super::read_symbol(&drawn, 150.0, qr, c.symbol.width);
                if read.as_deref() != Ok(c.data.as_str()) {
                    return Err(fail(format!(
                        "has a {} card that does not scan back (read {read:?})",
                        c.name
                    )));
                }
                pngs.push(match png {
                    true => {
                        let bytes = drawn.png().map_err(fail)?;
                        Some(cache.keep(crate::output::digest(c.svg.as_bytes()), "png", bytes))
                    }
                    false => None,
                });
                trees.extend(tree);
            }
            let pdf = match straight {
                Some(fonts) => {
                    let pages: Vec<super::builtin_pdf::Page> = (cards.iter().zip(&runs))
                        .map(|(c, runs)| super::builtin_pdf::kit_card(&c.card, runs))
                        .collect();
                    super::builtin_pdf::document(fonts, &pages)
                }
                None => {
                    let mut trees = trees.into_iter();
                    drawer.pdf_of_trees(|| trees.next().map(Ok), W, H)
                }
            }
            .map_err(|w| fail(format!("could not be made into a PDF: {w}")))?;
            (cache.keep(all, "pdf", pdf), pngs)
        }
    };
    let mut files = Vec::new();
    for (c, png) in cards.into_iter().zip(pngs) {
        if let Some(png) = png {
            files.push(OutFile {
                path: crate::address::kit_file(&e.code, &format!("{}.png", c.name)),
                data: png,
            });
        }
        files.push(OutFile::bytes(
            crate::address::kit_file(&e.code, &format!("{}.svg", c.name)),
            c.svg,
        ));
    }
    files.push(OutFile {
        path: crate::address::kit_file(&e.code, "kit.pdf"),
        data: pdf,
    });
    Ok(files)
}
