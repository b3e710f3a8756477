//! What templates see: plain serialisable structs, built once per language or per page.

use crate::address::{encode_component, international, phone_numbers, tel_uri, zalo_url};
use crate::media::Media;
use crate::site::{Entry, Kind, Site};
pub use crate::vocab::format_vnd;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize, Clone)]
pub struct SiteCtx {
    pub title: String,
    pub description: Option<String>,
    pub base_url: String,
    pub default_language: String,
    pub languages: Vec<LangLink>,
    pub sections: Vec<SectionLink>,
}

#[derive(Serialize, Clone)]
pub struct LangLink {
    pub code: String,
    pub name: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct SectionLink {
    pub name: String,
    pub title: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct Translation {
    pub lang: String,
    pub name: String,
    pub url: String,
    pub current: bool,
}

#[derive(Serialize, Clone)]
pub struct Alternate {
    pub hreflang: String,
    pub href: String,
}

#[derive(Serialize)]
pub struct PageCtx {
    pub title: String,
    /// The page's own summary, shown under its title.
    pub summary: Option<String>,
    /// What search results and link previews show: the summary, else the page's first
    /// paragraph, else what the site is (in the page's language).
    pub description: String,
    pub content: String,
    pub canonical: String,
    pub alternates: Vec<Alternate>,
    pub translations: Vec<Translation>,
}

/// An entry in a list, in the list's language where it has a translation.
#[derive(Serialize, Clone)]
pub struct Card {
    pub title: String,
    pub summary: Option<String>,
    pub url: String,
    pub district: Option<String>,
    pub lang: String,
    pub code: String,
    /// A homestay's lowest price a night, in the list's language: what a traveller compares first.
    pub price_from: Option<String>,
}

/// One number to call, as written and as dialled.
#[derive(Serialize)]
pub struct Call {
    pub number: String,
    pub tel: String,
}

#[derive(Serialize)]
pub struct Directions {
    pub google: String,
    pub osm: String,
    pub amap: String,
    pub geo: String,
}

#[derive(Serialize)]
pub struct EntryCtx {
    pub code: String,
    pub kind: Kind,
    pub section: String,
    pub section_title: String,
    pub section_url: String,
    pub slug: String,
    pub short_link: String,
    pub ranking: Option<&'static str>,
    pub ranking_label: Option<String>,
    pub recognized: Option<u16>,
    pub address: Option<String>,
    pub commune: Option<String>,
    pub district: Option<String>,
    pub location: Option<crate::content::front_matter::Location>,
    pub directions: Option<Directions>,
    pub phone: Option<String>,
    /// The first number's `tel:` link (kept for themes that use it).
    pub tel: Option<String>,
    /// A call button for each of the field's numbers.
    pub calls: Vec<Call>,
    pub zalo_url: Option<String>,
    pub price_from: Option<String>,
    pub booking_url: Option<String>,
    pub tags: Vec<String>,
    /// The district's and each tag's list page.
    pub district_url: Option<String>,
    pub tag_links: Vec<Link>,
    pub date: Option<String>,
    pub nearby_relics: Vec<NearCard>,
    pub nearby_homestays: Vec<NearCard>,
    /// schema.org description for search engines, already serialised (`</` escaped).
    pub jsonld: String,
    /// The first image, shown first on the page (WeChat takes a page's first image for its preview).
    pub cover: Option<super::pictures::Picture>,
    /// The other images, below the text.
    pub gallery: Vec<super::pictures::Picture>,
    pub audio: Option<super::pictures::AudioCtx>,
    /// `links:` and the booking link as buttons, each with its icon and label.
    pub links: Vec<super::links::Button>,
    /// The SVG symbols of the icons this page shows, defined once.
    pub icons: String,
    pub guest: Option<GuestCtx>,
    pub specialties: Vec<SpecialtyCtx>,
}

/// A homestay's facts for guests, in the page's language.
#[derive(Serialize, Default)]
pub struct GuestCtx {
    pub rooms: Option<u32>,
    pub guests: Option<u32>,
    pub check_in: Option<String>,
    pub check_out: Option<String>,
    /// "a night for a room" / "a night for a person", after the price.
    pub per: Option<String>,
    /// The day the price was checked, written for the page's language.
    pub price_updated: Option<String>,
    /// The names of the languages the hosts speak.
    pub languages: Vec<String>,
    /// Days or seasons when closed, written for the page's language.
    pub closed: Vec<String>,
    pub amenities: Vec<Amenity>,
}

#[derive(Serialize)]
pub struct Amenity {
    pub key: String,
    pub label: String,
}

#[derive(Serialize)]
pub struct SpecialtyCtx {
    pub name: String,
    pub price: Option<String>,
    pub url: Option<String>,
    pub picture: Option<super::pictures::Picture>,
}

#[derive(Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct NearCard {
    pub title: String,
    pub url: String,
    pub lang: String,
    /// Distance already formatted for the page's language ("3,2 km").
    pub distance: String,
}

/// UI strings of one language.
pub type Strings = BTreeMap<String, String>;

pub fn section_title(site: &Site, name: &str, lang: &str, t: &Strings) -> String {
    site.sections
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| s.intros.get(lang).and_then(|i| i.title.clone()))
        .or_else(|| t.get(&format!("section_{name}")).cloned())
        .unwrap_or_else(|| name.to_string())
}

pub fn site_ctx(site: &Site, lang: &str, strings: &BTreeMap<String, Strings>) -> SiteCtx {
    let t = &strings[lang];
    SiteCtx {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        base_url: site.config.base_url.clone(),
        default_language: site.config.default_language.clone(),
        languages: site
            .config
            .languages
            .iter()
            .map(|l| LangLink {
                code: l.clone(),
                name: language_name(strings, l),
                url: site.link(&site.home_path(l)),
            })
            .collect(),
        sections: site
            .sections
            .iter()
            .map(|s| SectionLink {
                name: s.name.clone(),
                title: section_title(site, &s.name, lang, t),
                url: site.link(&site.section_path(&s.name, lang)),
            })
            .collect(),
    }
}

pub fn language_name(strings: &BTreeMap<String, Strings>, lang: &str) -> String {
    strings
        .get(lang)
        .and_then(|t| t.get("language_name"))
        .cloned()
        .unwrap_or_else(|| lang.to_string())
}

/// Translations and hreflang alternates for a page that exists in `langs`, given its path per language.
pub fn versions(
    site: &Site,
    langs: &[&str],
    current: &str,
    path_of: impl Fn(&str) -> String,
    strings: &BTreeMap<String, Strings>,
) -> (Vec<Translation>, Vec<Alternate>) {
    let translations = langs
        .iter()
        .map(|l| Translation {
            lang: l.to_string(),
            name: language_name(strings, l),
            url: site.link(&path_of(l)),
            current: *l == current,
        })
        .collect();
    let mut alternates: Vec<Alternate> = langs
        .iter()
        .map(|l| Alternate {
            hreflang: l.to_string(),
            href: site.absolute(&path_of(l)),
        })
        .collect();
    alternates.push(Alternate {
        hreflang: "x-default".into(),
        href: site.absolute(&path_of(site.default_language())),
    });
    (translations, alternates)
}

/// The language an entry is shown in on a page in `lang`: its own text there, else the default.
fn shown_in<'a>(site: &'a Site, e: &Entry, lang: &'a str) -> &'a str {
    if e.texts.contains_key(lang) {
        lang
    } else {
        site.default_language()
    }
}

pub fn card(site: &Site, e: &Entry, lang: &str) -> Card {
    let l = shown_in(site, e, lang);
    let text = &e.texts[l];
    Card {
        title: text.title.clone(),
        summary: text.summary.clone(),
        url: site.link(&site.entry_path(e, l)),
        district: e.matter.district.clone(),
        lang: l.to_string(),
        code: e.code.clone(),
        price_from: e.matter.price_from.map(|p| format_vnd(p, lang)),
    }
}

pub fn entry_ctx(site: &Site, media: &Media, i: usize, lang: &str, t: &Strings) -> EntryCtx {
    let e = &site.entries[i];
    let m = &e.matter;
    let near = |list: &[(usize, f64)]| -> Vec<NearCard> {
        list.iter()
            .map(|&(j, km)| {
                // A card's title, link and language alone: a nearby place is a line, not a card.
                let near = &site.entries[j];
                let l = shown_in(site, near, lang);
                NearCard {
                    title: near.texts[l].title.clone(),
                    url: site.link(&site.entry_path(near, l)),
                    lang: l.to_string(),
                    distance: format_km(km, lang),
                }
            })
            .collect()
    };
    let mut gallery = super::pictures::pictures(site, media, e, lang);
    let cover = (!gallery.is_empty()).then(|| gallery.remove(0));
    let text = e.text(lang, site.default_language());
    let ranking = m.ranking.map(|r| r.key());
    let links = super::links::buttons(e, lang);
    let guest = guest_ctx(e, lang, t);
    EntryCtx {
        code: e.code.clone(),
        kind: e.kind,
        section: e.section.clone(),
        section_title: section_title(site, &e.section, lang, t),
        section_url: site.link(&site.section_path(&e.section, lang)),
        slug: e.slug.clone(),
        short_link: site.short_link(&e.code),
        ranking,
        ranking_label: ranking.map(|r| {
            t.get(&format!("ranking_{r}"))
                .cloned()
                .unwrap_or_else(|| r.to_string())
        }),
        recognized: m.recognized,
        address: text.address.clone(),
        commune: m.commune.clone(),
        district: m.district.clone(),
        location: m.location,
        directions: m.location.map(|l| directions(l.lat, l.lon, &text.title)),
        phone: m.phone.clone(),
        tel: m.phone.as_deref().map(tel_uri),
        calls: m
            .phone
            .as_deref()
            .map(phone_numbers)
            .into_iter()
            .flatten()
            .map(|number| Call {
                number: number.to_string(),
                tel: tel_uri(number),
            })
            .collect(),
        zalo_url: m.zalo.as_deref().map(zalo_url),
        price_from: m.price_from.map(|p| format_vnd(p, lang)),
        booking_url: m.booking_url.clone(),
        tags: m.tags.clone(),
        district_url: (m.district.as_deref())
            .and_then(|d| Site::group_of(&site.districts, d))
            .map(|g| site.link(&site.district_path(g, lang))),
        tag_links: (m.tags.iter())
            .filter_map(|t| Site::group_of(&site.tags, t))
            .map(|g| Link {
                name: site.tag_name(g, lang).to_string(),
                url: site.link(&site.tag_path(g, lang)),
            })
            .collect(),
        date: m.date.clone(),
        nearby_relics: near(&site.nearby[i].relics),
        nearby_homestays: near(&site.nearby[i].homestays),
        jsonld: jsonld(site, media, e, lang),
        cover,
        gallery,
        audio: super::pictures::audio(site, media, e),
        icons: super::links::sprite(
            (links.iter().map(|b| b.icon)).chain(
                guest
                    .iter()
                    .flat_map(|g| g.amenities.iter().map(|a| a.key.as_str())),
            ),
        ),
        links,
        guest,
        specialties: specialties(site, media, e, lang),
    }
}

/// A string of the theme's, or its key when the theme lacks it.
fn say(t: &Strings, key: &str) -> String {
    t.get(key).cloned().unwrap_or_else(|| key.to_string())
}

/// A day `YYYY-MM-DD` as people of `lang` write it: 14/02/2026 in Vietnamese, 2026年2月14日 in
/// Chinese, 14 Feb 2026 in English.
pub fn format_day(day: &str, lang: &str) -> String {
    let Some(d) = crate::days::parse(day) else {
        return day.to_string();
    };
    match lang {
        "vi" => d.strftime("%d/%m/%Y").to_string(),
        "zh" => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        _ => d.strftime("%-d %b %Y").to_string(),
    }
}

fn guest_ctx(e: &Entry, lang: &str, t: &Strings) -> Option<GuestCtx> {
    let m = &e.matter;
    let g = GuestCtx {
        rooms: m.rooms,
        guests: m.guests,
        check_in: m.check_in.clone(),
        check_out: m.check_out.clone(),
        per: m.price_per.as_deref().map(|p| say(t, &format!("per_{p}"))),
        price_updated: m.price_updated.as_deref().map(|d| format_day(d, lang)),
        languages: m
            .languages
            .iter()
            .map(|l| say(t, &format!("speaks_{l}")))
            .collect(),
        closed: (m.closed.iter())
            .map(|c| match crate::content::closed_days(c) {
                Ok(Some((a, b))) if a == b => format_day(&a, lang),
                Ok(Some((a, b))) => format!("{} – {}", format_day(&a, lang), format_day(&b, lang)),
                _ => c.clone(),
            })
            .collect(),
        amenities: (m.amenities.iter())
            .map(|a| Amenity {
                key: a.clone(),
                label: say(t, &format!("amenity_{a}")),
            })
            .collect(),
    };
    let empty = g.rooms.is_none()
        && g.guests.is_none()
        && g.check_in.is_none()
        && g.check_out.is_none()
        && g.per.is_none()
        && g.price_updated.is_none()
        && g.languages.is_empty()
        && g.closed.is_empty()
        && g.amenities.is_empty();
    (!empty).then_some(g)
}

fn specialties(site: &Site, media: &Media, e: &Entry, lang: &str) -> Vec<SpecialtyCtx> {
    (e.matter.specialties.iter())
        .map(|p| SpecialtyCtx {
            name: p.name.clone(),
            price: p.price.map(|v| format_vnd(v, lang)),
            url: (p.url.as_deref())
                .and_then(|u| crate::content::links::parse(u).ok())
                .map(|u| u.to_string()),
            picture: (p.photo.as_deref())
                .and_then(|f| super::pictures::photo(media, e, f))
                .map(|ph| super::pictures::picture(site, e, ph, p.name.clone(), None)),
        })
        .collect()
}

/// 3.2 km, or 3,2 km in Vietnamese; whole km beyond 10.
pub fn format_km(km: f64, lang: &str) -> String {
    let s = if km < 10.0 {
        format!("{km:.1}")
    } else {
        format!("{km:.0}")
    };
    let s = if lang == "vi" { s.replace('.', ",") } else { s };
    format!("{s} km")
}

/// schema.org JSON-LD: LodgingBusiness for homestays, TouristAttraction (and, for ranked relics,
/// LandmarksOrHistoricalBuildings) for the rest.
fn jsonld(site: &Site, media: &Media, e: &Entry, lang: &str) -> String {
    let m = &e.matter;
    let text = e.text(lang, site.default_language());
    let types: serde_json::Value = match e.kind {
        Kind::Homestay => "LodgingBusiness".into(),
        Kind::Relic if m.ranking.is_some() => {
            serde_json::json!(["TouristAttraction", "LandmarksOrHistoricalBuildings"])
        }
        _ => "TouristAttraction".into(),
    };
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": types,
        "name": text.title,
        "url": site.absolute(&site.entry_path(e, lang)),
        "inLanguage": lang,
    });
    let o = v.as_object_mut().expect("an object");
    if let Some(s) = &text.summary {
        o.insert("description".into(), s.clone().into());
    }
    if let Some(l) = m.location {
        o.insert(
            "geo".into(),
            serde_json::json!({"@type": "GeoCoordinates", "latitude": l.lat, "longitude": l.lon}),
        );
    }
    let mut address = serde_json::json!({"@type": "PostalAddress", "addressCountry": "VN"});
    if let Some(a) = &text.address {
        address["streetAddress"] = a.clone().into();
    }
    if let Some(d) = &m.district {
        address["addressLocality"] = d.clone().into();
    }
    o.insert("address".into(), address);
    if let Some(p) = &m.phone {
        o.insert("telephone".into(), international(p).into());
    }
    if let Some(p) = m.price_from {
        o.insert(
            "priceRange".into(),
            format!("{} VND+", format_vnd(p, "en").trim_end_matches(" ₫")).into(),
        );
    }
    if let Some(share) = super::pictures::share_image(site, media, e, lang) {
        o.insert("image".into(), share.url.into());
    }
    let same_as = super::links::same_as(e);
    if !same_as.is_empty() {
        o.insert("sameAs".into(), same_as.into());
    }
    if let Some(n) = m.rooms {
        o.insert("numberOfRooms".into(), n.into());
    }
    for (key, v) in [("checkinTime", &m.check_in), ("checkoutTime", &m.check_out)] {
        if let Some(v) = v {
            o.insert(key.into(), v.clone().into());
        }
    }
    if !m.languages.is_empty() {
        let tags: Vec<&str> = m
            .languages
            .iter()
            .map(|l| crate::vocab::language_tag(l))
            .collect();
        o.insert("knowsLanguage".into(), tags.into());
    }
    if !m.amenities.is_empty() {
        let features: Vec<serde_json::Value> = (m.amenities.iter())
            .map(|a| serde_json::json!({"@type": "LocationFeatureSpecification", "name": a, "value": true}))
            .collect();
        o.insert("amenityFeature".into(), features.into());
    }
    // What the house sells, as schema.org offers of products.
    let offers: Vec<serde_json::Value> = (m.specialties.iter())
        .map(|p| {
            let mut product = serde_json::json!({"@type": "Product", "name": p.name});
            if let Some(photo) =
                (p.photo.as_deref()).and_then(|f| super::pictures::photo(media, e, f))
            {
                let (w, _) = photo.fallback();
                product["image"] = site
                    .absolute(&format!(
                        "/{}/{}/{}",
                        e.section,
                        e.slug,
                        photo.file(w, "jpg")
                    ))
                    .into();
            }
            let mut offer = serde_json::json!({"@type": "Offer", "itemOffered": product});
            if let Some(price) = p.price {
                offer["price"] = price.into();
                offer["priceCurrency"] = "VND".into();
            }
            if let Some(u) = (p.url.as_deref()).and_then(|u| crate::content::links::parse(u).ok()) {
                offer["url"] = u.to_string().into();
            }
            offer
        })
        .collect();
    if !offers.is_empty() {
        o.insert("makesOffer".into(), offers.into());
    }
    serde_json::to_string(&v)
        .unwrap_or_default()
        .replace("</", "<\\/")
}

/// Map links for every visitor: Google (blocked in China), OpenStreetMap, Amap (WGS84, longitude first)
/// and a `geo:` URI that opens whatever map app the phone has.
pub fn directions(lat: f64, lon: f64, name: &str) -> Directions {
    let q = encode_component(name);
    Directions {
        google: format!("https://www.google.com/maps/dir/?api=1&destination={lat},{lon}"),
        osm: format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"),
        amap: format!("https://uri.amap.com/marker?position={lon},{lat}&name={q}&coordinate=wgs84&callnative=1"),
        geo: format!("geo:{lat},{lon}?q={lat},{lon}({q})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amap_is_longitude_first_wgs84() {
        let d = directions(21.9, 106.6, "Đồng Đăng");
        assert!(d.amap.contains("position=106.6,21.9"), "{}", d.amap);
        assert!(d.amap.contains("coordinate=wgs84"));
        assert!(d.geo.starts_with("geo:21.9,106.6"));
    }
}
