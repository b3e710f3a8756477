//! Files for machines: sitemap.xml (with language alternates), robots.txt, and `_redirects`
//! for hosts that honour it (Netlify, Cloudflare Pages), so that a typed short link in any case still works.

use crate::output::OutFile;
use crate::site::Site;
use std::fmt::Write;

pub fn feeds(site: &Site) -> Vec<OutFile> {
    vec![
        OutFile::bytes("site/sitemap.xml".into(), sitemap(site)),
        OutFile::bytes("site/robots.txt".into(), robots(site)),
        OutFile::bytes("site/_redirects".into(), redirects(site)),
    ]
}

fn sitemap(site: &Site) -> String {
    let all: Vec<&str> = site.config.languages.iter().map(String::as_str).collect();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let mut group = |langs: &[&str], path_of: &dyn Fn(&str) -> String, lastmod: Option<&str>| {
        for l in langs {
            let _ = write!(out, "<url><loc>{}</loc>", xml(&site.absolute(&path_of(l))));
            if let Some(d) = lastmod {
                let _ = write!(out, "<lastmod>{}</lastmod>", xml(d));
            }
            if langs.len() > 1 {
                for a in langs {
                    let _ = write!(
                        out,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{a}\" href=\"{}\"/>",
                        xml(&site.absolute(&path_of(a)))
                    );
                }
            }
            out.push_str("</url>\n");
        }
    };
    group(&all, &|l| site.home_path(l), None);
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
    let codes = site
        .entries
        .iter()
        .map(|e| e.code.as_str())
        .chain(site.retired.keys().map(String::as_str));
    let mut lines: Vec<String> = Vec::new();
    for code in codes {
        let to = site.link(&format!("/q/{code}/"));
        let lower = code.to_ascii_lowercase();
        if lower != code {
            lines.push(format!("{} {to} 301", site.link(&format!("/q/{lower}"))));
            lines.push(format!("{} {to} 301", site.link(&format!("/q/{lower}/"))));
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

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
