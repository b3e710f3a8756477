//! Files for machines: sitemap.xml (with language alternates), robots.txt, and `_redirects`
//! for hosts that honour it (Netlify, Cloudflare Pages), so that a typed short link in any case still works.

use crate::address::{landing, site_file, GEOJSON, GPX, REDIRECTS, ROBOTS, SITEMAP};
use crate::output::OutFile;
use crate::site::Site;
use std::fmt::Write;

pub fn feeds(site: &Site) -> Vec<OutFile> {
    let mut files = vec![
        OutFile::bytes(site_file(SITEMAP), sitemap(site)),
        OutFile::bytes(site_file(ROBOTS), robots(site)),
        OutFile::bytes(site_file(REDIRECTS), redirects(site)),
        OutFile::bytes(site_file(GEOJSON), geojson(site)),
        OutFile::bytes(site_file(GPX), gpx(site)),
    ];
    for lang in &site.config.languages {
        files.push(OutFile::bytes(search_path(lang), search_index(site, lang)));
    }
    files
}

/// Where `feeds` puts its files.
pub fn paths(site: &Site) -> Vec<String> {
    let mut paths: Vec<String> = [SITEMAP, ROBOTS, REDIRECTS, GEOJSON, GPX]
        .map(site_file)
        .into();
    paths.extend(site.config.languages.iter().map(|l| search_path(l)));
    paths
}

/// Where a language's search index is published, under `output/`.
pub fn search_path(lang: &str) -> String {
    site_file(&format!("search/{lang}.json"))
}

/// One row per entry, in the language where it has a translation: [title, summary, district, tags, url].
/// Arrays rather than objects keep it small; the page folds diacritics itself, so the index holds the text once.
fn search_index(site: &Site, lang: &str) -> String {
    // Serialized straight from the model: a tree of JSON values for 10,000 entries was the
    // largest thing a warm build held besides the model.
    let rows: Vec<(&str, &str, &str, String, String)> = site
        .sections
        .iter()
        .flat_map(|s| s.entries.iter())
        .map(|&i| {
            let e = &site.entries[i];
            let l = if e.texts.contains_key(lang) {
                lang
            } else {
                site.default_language()
            };
            let t = &e.texts[l];
            (
                t.title.as_str(),
                t.summary.as_deref().unwrap_or_default(),
                e.matter.district.as_deref().unwrap_or_default(),
                search_tags(site, e, lang),
                site.link(&site.entry_path(e, l)),
            )
        })
        .collect();
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
}

/// An entry's tags as the search index holds them: as written, and as `lang` names them.
fn search_tags(site: &Site, e: &crate::site::Entry, lang: &str) -> String {
    let mut words = e.matter.tags.join(" ");
    for t in &e.matter.tags {
        let name = Site::group_of(&site.tags, t).map(|g| site.tag_name(g, lang));
        if let Some(name) = name.filter(|n| n != t) {
            words.push(' ');
            words.push_str(name);
        }
    }
    words
}

/// A GeoJSON feature; fields in the order serde_json's own maps gave them (sorted).
#[derive(serde::Serialize)]
struct Feature<'a> {
    geometry: Point,
    properties: Properties<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(serde::Serialize)]
struct Point {
    coordinates: [f64; 2],
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(serde::Serialize)]
struct Properties<'a> {
    code: &'a str,
    district: &'a Option<String>,
    kind: crate::site::Kind,
    name: &'a str,
    url: String,
}

#[derive(serde::Serialize)]
struct Collection<'a> {
    features: Vec<Feature<'a>>,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// Every place with a location, for offline map apps (GeoJSON, RFC 7946: longitude first).
fn geojson(site: &Site) -> String {
    let lang = site.default_language();
    let features = site
        .entries
        .iter()
        .filter_map(|e| {
            let l = e.matter.location?;
            Some(Feature {
                geometry: Point {
                    coordinates: [l.lon, l.lat],
                    kind: "Point",
                },
                properties: Properties {
                    name: &e.texts[lang].title,
                    code: &e.code,
                    kind: e.kind,
                    district: &e.matter.district,
                    url: site.absolute(&site.entry_path(e, lang)),
                },
                kind: "Feature",
            })
        })
        .collect();
    let doc = Collection {
        features,
        kind: "FeatureCollection",
    };
    serde_json::to_string(&doc).unwrap_or_default() + "\n"
}

/// The same places as GPX 1.1 waypoints (OsmAnd, Maps.me, Organic Maps).
fn gpx(site: &Site) -> String {
    let lang = site.default_language();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"Waymark\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n<metadata><name>{}</name></metadata>\n",
        crate::theme::escape_html(&site.config.title)
    );
    for e in &site.entries {
        let Some(l) = e.matter.location else { continue };
        let t = &e.texts[lang];
        let _ = writeln!(
            out,
            "<wpt lat=\"{}\" lon=\"{}\"><name>{}</name>{}<link href=\"{}\"/><type>{}</type></wpt>",
            l.lat,
            l.lon,
            crate::theme::escape_html(&t.title),
            t.summary
                .as_deref()
                .map(|s| format!("<desc>{}</desc>", crate::theme::escape_html(s)))
                .unwrap_or_default(),
            crate::theme::escape_html(&site.absolute(&site.entry_path(e, lang))),
            match e.kind {
                crate::site::Kind::Relic => "relic",
                crate::site::Kind::Homestay => "homestay",
                crate::site::Kind::Place => "place",
            }
        );
    }
    out.push_str("</gpx>\n");
    out
}

fn sitemap(site: &Site) -> String {
    let all: Vec<&str> = site.config.languages.iter().map(String::as_str).collect();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let mut group = |langs: &[&str], path_of: &dyn Fn(&str) -> String, lastmod: Option<&str>| {
        for l in langs {
            let _ = write!(
                out,
                "<url><loc>{}</loc>",
                crate::theme::escape_html(&site.absolute(&path_of(l)))
            );
            if let Some(d) = lastmod {
                let _ = write!(out, "<lastmod>{}</lastmod>", crate::theme::escape_html(d));
            }
            if langs.len() > 1 {
                for a in langs {
                    let _ = write!(
                        out,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{a}\" href=\"{}\"/>",
                        crate::theme::escape_html(&site.absolute(&path_of(a)))
                    );
                }
            }
            out.push_str("</url>\n");
        }
    };
    group(&all, &|l| site.home_path(l), None);
    for d in &site.districts {
        group(&all, &|l| site.district_path(d, l), None);
    }
    for t in &site.tags {
        group(&all, &|l| site.tag_path(t, l), None);
    }
    for s in &site.sections {
        group(&all, &|l| site.section_path(&s.name, l), None);
        for &i in &s.entries {
            let e = &site.entries[i];
            let langs: Vec<&str> = all
                .iter()
                .copied()
                .filter(|l| e.texts.contains_key(*l))
                .collect();
            group(&langs, &|l| site.entry_path(e, l), e.matter.date.as_deref());
        }
    }
    out.push_str("</urlset>\n");
    out
}

fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        site.absolute("/sitemap.xml")
    )
}

fn redirects(site: &Site) -> String {
    let mut out = String::from(
        "# Short links typed in lower case, or upper-cased by a QR reader, lead to the landing.\n",
    );
    let codes = site.codes();
    let mut lines: Vec<String> = Vec::new();
    for code in codes {
        let to = site.link(&landing(code));
        let lower = code.to_ascii_lowercase();
        if lower != code {
            let lower = landing(&lower);
            lines.push(format!(
                "{} {to} 301",
                site.link(lower.trim_end_matches('/'))
            ));
            lines.push(format!("{} {to} 301", site.link(&lower)));
        }
        lines.push(format!("{} {to} 301", site.link(&format!("/Q/{code}"))));
        lines.push(format!("{} {to} 301", site.link(&format!("/Q/{code}/"))));
    }
    lines.sort();
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    out
}
