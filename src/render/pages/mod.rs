//! Every HTML page: home and section lists per language, entry pages per translation,
//! QR landings per plaque code, and the 404 page. Rendered in parallel.

use super::context::{self, entry_ctx, site_ctx, versions, PageCtx, SiteCtx, Strings};
use super::markdown;
use super::Links;
use crate::content::Intro;
use crate::error::{Diagnostic, Diagnostics};
use crate::output::{Emitter, OutFile};
use crate::site::Site;
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::Context;

mod lists;
use lists::ListHead;

enum Job<'a> {
    Home(&'a str),
    Section(usize, &'a str),
    District(usize, &'a str),
    Tag(usize, &'a str),
    Map(&'a str),
    /// An entry's page in each of its languages, and the landings (default language) of the
    /// plaque codes that lead to it: its Markdown rendered once, and let go when done.
    Entry(usize, Vec<String>),
    /// A retired code that leads to a section rather than an entry.
    SectionLanding(String, usize),
    /// The landing of a code whose entry is a draft left out: "being updated".
    HeldLanding(String, usize),
    NotFound,
}

struct SiteWide<'a> {
    site: &'a Site,
    media: &'a crate::media::Media,
    theme: &'a Theme,
    links: Links<'a>,
    site_ctx: BTreeMap<&'a str, SiteCtx>,
    /// What the site is, in each language: the description of pages that have none of their own.
    about: BTreeMap<&'a str, String>,
}

/// The "being updated" notice of a held code's landing, in one language.
#[derive(Serialize)]
struct HeldNotice {
    lang: String,
    title: String,
    text: String,
    home: String,
    home_label: String,
}

#[derive(Serialize)]
struct LandingCtx {
    script: String,
}

/// Which pages to render: all of them, or (for a rebuild after a small change) some entries'
/// pages and landings, plus the lists when what they show changed.
pub struct Selection {
    pub entries: std::collections::HashSet<usize>,
    pub lists: bool,
    /// With `lists`: only the section, district and tag lists that hold one of these entries
    /// (what they show of them changed, but not which lists they are in); None: every list.
    pub lists_of: Option<std::collections::HashSet<usize>>,
    /// With `lists`: the map page too (its pins show places, titles and districts, which a
    /// price does not change; placing 10,000 pins took most of a price's publish).
    pub map: bool,
}

impl Selection {
    /// Some entries' pages, and every list when `lists`.
    pub fn of(entries: std::collections::HashSet<usize>, lists: bool) -> Selection {
        Selection {
            entries,
            lists,
            lists_of: None,
            map: true,
        }
    }
}

/// Render the pages `only` selects into `emit`, as each is made; how many.
pub fn render_all(
    site: &Site,
    media: &crate::media::Media,
    theme: &Theme,
    only: Option<&Selection>,
    progress: Option<&crate::progress::Progress>,
    diags: &mut Diagnostics,
    emit: &Emitter,
) -> crate::error::Result<usize> {
    let links = Links::new(site, media);
    let wanted = |i: usize| only.is_none_or(|s| s.entries.contains(&i));
    let lists = only.is_none_or(|s| s.lists);
    let about = (site.config.languages.iter())
        .map(|l| {
            let intro = site
                .home
                .get(l)
                .map(|i| markdown::render(&i.body, &i.file, i.body_line, l, &links).html);
            (
                l.as_str(),
                about(site, l, &theme.strings[l], intro.as_deref()),
            )
        })
        .collect();
    let shared = SiteWide {
        site,
        media,
        theme,
        about,
        site_ctx: site
            .config
            .languages
            .iter()
            .map(|l| (l.as_str(), site_ctx(site, l, &theme.strings)))
            .collect(),
        links,
    };

    let holds = |list: &[usize]| {
        let of = only.and_then(|s| s.lists_of.as_ref());
        of.is_none_or(|of| list.iter().any(|i| of.contains(i)))
    };
    let mut jobs = Vec::new();
    for lang in site.config.languages.iter().filter(|_| lists) {
        jobs.push(Job::Home(lang));
        for (i, s) in site.sections.iter().enumerate() {
            if holds(&s.entries) {
                jobs.push(Job::Section(i, lang));
            }
        }
        for (i, g) in site.districts.iter().enumerate() {
            if holds(&g.entries) {
                jobs.push(Job::District(i, lang));
            }
        }
        for (i, g) in site.tags.iter().enumerate() {
            if holds(&g.entries) {
                jobs.push(Job::Tag(i, lang));
            }
        }
        let map = only.is_none_or(|s| s.map);
        if map && site.entries.iter().any(|e| e.matter.location.is_some()) {
            jobs.push(Job::Map(lang));
        }
    }
    let mut landings: Vec<Vec<String>> =
        site.entries.iter().map(|e| vec![e.code.clone()]).collect();
    for (i, h) in site.held.iter().enumerate().filter(|_| lists) {
        if let Some(code) = &h.code {
            jobs.push(Job::HeldLanding(code.clone(), i));
        }
    }
    for (code, target) in &site.retired {
        match resolve_retired(site, target) {
            Some(Target::Entry(i)) => landings[i].push(code.clone()),
            Some(Target::Section(i)) if lists => jobs.push(Job::SectionLanding(code.clone(), i)),
            Some(Target::Held(i)) if lists => jobs.push(Job::HeldLanding(code.clone(), i)),
            _ => {}
        }
    }
    for (i, codes) in landings.into_iter().enumerate().filter(|(i, _)| wanted(*i)) {
        jobs.push(Job::Entry(i, codes));
    }
    if only.is_none() {
        jobs.push(Job::NotFound);
    }

    // Pages go to the output as they are made; problems are reported in the order of the jobs.
    let problems = parking_lot::Mutex::new(Vec::new());
    let pages = std::sync::atomic::AtomicUsize::new(0);
    jobs.par_iter().enumerate().try_for_each(|(n, j)| {
        let (files, found) = match j {
            Job::Entry(i, codes) => {
                crate::progress::tick(progress);
                shared.entry_files(*i, codes)
            }
            _ => match shared.render(j) {
                Ok(fs) => (fs.into_iter().map(|f| (f, None)).collect(), Vec::new()),
                Err(d) => (Vec::new(), vec![d]),
            },
        };
        if !found.is_empty() {
            problems.lock().push((n, found));
        }
        let made: usize = files
            .iter()
            .map(|(_, also)| 1 + also.as_ref().map_or(0, Vec::len))
            .sum();
        pages.fetch_add(made, std::sync::atomic::Ordering::Relaxed);
        files.into_iter().try_for_each(|(f, also)| match also {
            Some(also) => emit.put_entry_page(f, &also),
            None => emit.put(f),
        })
    })?;
    let mut problems = problems.into_inner();
    problems.sort_by_key(|(n, _)| *n);
    diags.extend(problems.into_iter().flat_map(|(_, d)| d));
    Ok(pages.into_inner())
}

/// A file made, and for an entry page the other paths it is published at (its QR landings).
type Published = (OutFile, Option<Vec<String>>);

enum Target {
    Entry(usize),
    Section(usize),
    Held(usize),
}

/// Follow a retired code's `retired_to` (a code, possibly retired itself, an entry or a section).
fn resolve_retired(site: &Site, target: &str) -> Option<Target> {
    let mut t = target.to_string();
    for _ in 0..16 {
        if let Some(i) = site
            .entries
            .iter()
            .position(|e| e.code == t || e.page_id() == t)
        {
            return Some(Target::Entry(i));
        }
        if let Some(i) = site
            .held
            .iter()
            .position(|h| h.code.as_deref() == Some(t.as_str()) || h.page_id() == t)
        {
            return Some(Target::Held(i));
        }
        if let Some(i) = site.sections.iter().position(|s| s.name == t) {
            return Some(Target::Section(i));
        }
        t = site.retired.get(&t)?.clone();
    }
    None
}

impl SiteWide<'_> {
    fn strings(&self, lang: &str) -> &Strings {
        &self.theme.strings[lang]
    }

    fn base_ctx(&self, lang: &str, page: PageCtx) -> Context {
        let mut ctx = Context::new();
        ctx.insert("lang", lang);
        ctx.insert("site", &self.site_ctx[lang]);
        ctx.insert("t", self.strings(lang));
        ctx.insert(
            "links",
            &serde_json::json!({ "home": self.site.link(&self.site.home_path(lang)) }),
        );
        ctx.insert("page", &page);
        ctx.insert(
            "share",
            &super::pictures::ShareRef {
                url: self.site.absolute("/share.png"),
                // A theme may replace share.png with an image of any size: none is claimed.
                width: 0,
                height: 0,
            },
        );
        ctx.insert("og_locale", og_locale(lang));
        ctx.insert("base_path", self.site.config.base_path());
        ctx
    }

    fn intro_html(&self, intro: Option<&Intro>, lang: &str) -> (String, Vec<Diagnostic>) {
        match intro {
            Some(i) => {
                let r = markdown::render(&i.body, &i.file, i.body_line, lang, &self.links);
                (r.html, r.problems)
            }
            None => (String::new(), Vec::new()),
        }
    }

    /// The context of a page that exists in every language at `path_of(lang)`.
    fn list_page(
        &self,
        lang: &str,
        path_of: &dyn Fn(&str) -> String,
        title: String,
        summary: Option<String>,
        content: String,
    ) -> Context {
        let site = self.site;
        let all: Vec<&str> = site.config.languages.iter().map(String::as_str).collect();
        let (translations, alternates) = versions(site, &all, lang, path_of, &self.theme.strings);
        let description = (summary.clone())
            .or_else(|| first_paragraph(&content))
            .unwrap_or_else(|| self.about[lang].clone());
        let page = PageCtx {
            title,
            summary,
            description,
            content,
            canonical: site.absolute(&path_of(lang)),
            alternates,
            translations,
        };
        self.base_ctx(lang, page)
    }

    fn render(&self, job: &Job) -> Result<Vec<OutFile>, Diagnostic> {
        let site = self.site;
        let file = |path: String, html: Vec<u8>| {
            vec![OutFile::bytes(crate::address::page_file(&path), html)]
        };
        match job {
            Job::Home(lang) => {
                let intro = site.home.get(*lang);
                let (content, problems) = self.intro_html(intro, lang);
                if let Some(p) = problems.into_iter().next() {
                    return Err(p);
                }
                let title = intro
                    .and_then(|i| i.title.clone())
                    .unwrap_or_else(|| site.config.title.clone());
                // The lead under the title: never the intro's own first paragraph (shown just
                // below), nor the default language's description on another language's page.
                let summary = intro.and_then(|i| i.summary.clone()).or_else(|| {
                    (*lang == site.default_language())
                        .then(|| site.config.description.clone())
                        .flatten()
                });
                let mut ctx = self.list_page(lang, &|l| site.home_path(l), title, summary, content);
                ctx.insert("home", &self.home_ctx(lang));
                ctx.insert("search_index", &site.link(&format!("/search/{lang}.json")));
                let has_map = site.entries.iter().any(|e| e.matter.location.is_some());
                ctx.insert(
                    "map_url",
                    &has_map.then(|| site.link(&map_path(site, lang))),
                );
                Ok(file(
                    site.home_path(lang),
                    self.theme.render_bytes("index.html", &ctx)?,
                ))
            }
            Job::Section(i, lang) => {
                let s = &site.sections[*i];
                let intro = s.intros.get(*lang);
                let (content, problems) = self.intro_html(intro, lang);
                if let Some(p) = problems.into_iter().next() {
                    return Err(p);
                }
                let title = context::section_title(site, &s.name, lang, self.strings(lang));
                let summary = intro.and_then(|i| i.summary.clone());
                self.list_files(
                    lang,
                    &|l| site.section_path(&s.name, l),
                    ListHead {
                        title,
                        summary,
                        intro: content,
                    },
                    self.list(*i, lang),
                    usize::MAX,
                )
            }
            Job::District(i, lang) => {
                let d = &site.districts[*i];
                let path_of = |l: &str| site.district_path(d, l);
                self.list_files(
                    lang,
                    &path_of,
                    ListHead::titled(d.name.clone()),
                    self.group_list(d, d.name.clone(), &path_of(lang), lang),
                    usize::MAX,
                )
            }
            Job::Tag(i, lang) => {
                let g = &site.tags[*i];
                let path_of = |l: &str| site.tag_path(g, l);
                let name = site.tag_name(g, lang);
                let title = self
                    .strings(lang)
                    .get("tag_title")
                    .map_or_else(|| format!("#{name}"), |t| t.replace("{tag}", name));
                self.list_files(
                    lang,
                    &path_of,
                    ListHead::titled(title),
                    self.group_list(g, name.to_string(), &path_of(lang), lang),
                    usize::MAX,
                )
            }
            Job::Map(lang) => {
                let title = self
                    .strings(lang)
                    .get("map_title")
                    .cloned()
                    .unwrap_or_else(|| "Map".into());
                let mut ctx =
                    self.list_page(lang, &|l| map_path(site, l), title, None, String::new());
                ctx.insert("map", &super::map::overview(site, lang));
                Ok(file(
                    map_path(site, lang),
                    self.theme.render_bytes("map.html", &ctx)?,
                ))
            }
            Job::Entry(..) => unreachable!("entries are rendered by entry_files"),
            Job::SectionLanding(code, i) => {
                let lang = site.default_language();
                let s = &site.sections[*i];
                let title = context::section_title(site, &s.name, lang, self.strings(lang));
                // The section's first page, at the code's address (its canonical link is the list's).
                let mut first = self.list_files(
                    lang,
                    &|l| site.section_path(&s.name, l),
                    ListHead::titled(title),
                    self.list(*i, lang),
                    1,
                )?;
                for f in &mut first {
                    f.path = crate::address::landing_file(code);
                }
                Ok(first)
            }
            Job::HeldLanding(code, i) => {
                let h = &site.held[*i];
                let lang = site.default_language();
                let title = h.titles.get(lang).cloned().unwrap_or_default();
                let page = PageCtx {
                    title: title.clone(),
                    summary: None,
                    // What the visitor is told: shown in previews too (a printed code gets shared).
                    description: (self.strings(lang).get("held_text").cloned())
                        .unwrap_or_else(|| self.about[lang].clone()),
                    content: String::new(),
                    canonical: site.absolute(&crate::address::landing(code)),
                    alternates: Vec::new(),
                    translations: Vec::new(),
                };
                let mut ctx = self.base_ctx(lang, page);
                // Every language's notice on the one page: the visitor reads their own.
                let notices: Vec<HeldNotice> = site
                    .config
                    .languages
                    .iter()
                    .map(|l| HeldNotice {
                        lang: l.clone(),
                        title: h.titles.get(l).cloned().unwrap_or_else(|| title.clone()),
                        text: self
                            .strings(l)
                            .get("held_text")
                            .cloned()
                            .unwrap_or_default(),
                        home: site.link(&site.home_path(l)),
                        home_label: self.strings(l).get("home").cloned().unwrap_or_default(),
                    })
                    .collect();
                ctx.insert("notices", &notices);
                // `waymark verify` reads it: this landing is right, its entry is a draft.
                ctx.insert("held_page", &h.page_id());
                ctx.insert("contact", &site.config.contact);
                Ok(vec![OutFile::bytes(
                    crate::address::landing_file(code),
                    self.theme.render_bytes("held.html", &ctx)?,
                )])
            }
            Job::NotFound => {
                let lang = site.default_language();
                let page = PageCtx {
                    title: self
                        .strings(lang)
                        .get("not_found_title")
                        .cloned()
                        .unwrap_or_else(|| "404".into()),
                    summary: None,
                    description: self
                        .strings(lang)
                        .get("not_found_text")
                        .cloned()
                        .unwrap_or_else(|| self.about[lang].clone()),
                    content: String::new(),
                    canonical: site.absolute("/404.html"),
                    alternates: Vec::new(),
                    translations: Vec::new(),
                };
                let ctx = self.base_ctx(lang, page);
                Ok(vec![OutFile::bytes(
                    crate::address::NOT_FOUND.to_string(),
                    self.theme.render_bytes("404.html", &ctx)?,
                )])
            }
        }
    }

    /// Entry `i`'s pages, each with the other paths it is published at (its QR landings), and
    /// the problems its Markdown has.
    fn entry_files(&self, i: usize, codes: &[String]) -> (Vec<Published>, Vec<Diagnostic>) {
        let site = self.site;
        let e = &site.entries[i];
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for (lang, text) in &e.texts {
            let r = markdown::render(&text.body, &text.file, text.body_line, lang, &self.links);
            problems.extend(r.problems);
            let mut ctx = self.entry_page(i, lang, &r.html);
            // The QR landings are the default-language page itself, byte for byte: it carries the
            // script that moves a visitor who came by a code to their language (it acts only under
            // /q/), so the page is rendered once for all its addresses.
            let landings = if lang == site.default_language() {
                codes
            } else {
                &[]
            };
            if !landings.is_empty() {
                self.add_landing(&mut ctx, i);
            }
            let html = match self.theme.render_bytes("entry.html", &ctx) {
                Ok(html) => html,
                Err(d) => {
                    problems.push(d);
                    continue;
                }
            };
            let also = landings
                .iter()
                .map(|code| crate::address::landing_file(code))
                .collect();
            let path = crate::address::page_file(&site.entry_path(e, lang));
            files.push((OutFile::bytes(path, html), Some(also)));
        }
        (files, problems)
    }

    /// An entry's page in `lang`.
    fn entry_page(&self, i: usize, lang: &str, body: &str) -> Context {
        let site = self.site;
        let e = &site.entries[i];
        let text = e.text(lang, site.default_language());
        let langs: Vec<&str> = site
            .config
            .languages
            .iter()
            .map(String::as_str)
            .filter(|l| e.texts.contains_key(*l))
            .collect();
        let (translations, alternates) = versions(
            site,
            &langs,
            lang,
            |l| site.entry_path(e, l),
            &self.theme.strings,
        );
        let description = (text.summary.clone())
            .or_else(|| first_paragraph(body))
            .unwrap_or_else(|| self.about[lang].clone());
        let page = PageCtx {
            title: text.title.clone(),
            summary: text.summary.clone(),
            description,
            content: body.to_string(),
            canonical: site.absolute(&site.entry_path(e, lang)),
            alternates,
            translations,
        };
        let mut ctx = self.base_ctx(lang, page);
        let entry = entry_ctx(site, self.media, i, lang, self.strings(lang));
        if let Some(share) = super::pictures::share_image(site, self.media, e, lang) {
            ctx.insert("share", &share);
        }
        ctx.insert("entry", &entry);
        ctx
    }

    /// Make an entry page's context that of its QR landing (default language, canonical to the
    /// real page, and a script that moves the visitor to their language).
    fn add_landing(&self, ctx: &mut Context, i: usize) {
        let site = self.site;
        let e = &site.entries[i];
        // The default language maps to "": its visitors stay on the landing, with no extra hop.
        let targets: BTreeMap<String, String> = site
            .config
            .languages
            .iter()
            .filter(|l| e.texts.contains_key(*l))
            .map(|l| {
                let url = if *l == site.default_language() {
                    String::new()
                } else {
                    site.link(&site.entry_path(e, l))
                };
                (l.to_ascii_lowercase(), url)
            })
            .collect();
        ctx.insert(
            "landing",
            &LandingCtx {
                script: landing_script(&targets, &site.link(crate::address::LANDINGS)),
            },
        );
    }
}

/// The text of the first `<p>` of rendered HTML, tags dropped and the entities that Markdown
/// writes turned back into characters (the template escapes the text again).
fn first_paragraph(html: &str) -> Option<String> {
    let start = html.find("<p>")? + 3;
    let end = start + html[start..].find("</p>")?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = (text.trim())
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    (!text.is_empty()).then_some(text)
}

/// What the site is, in `lang`, for pages with no description of their own and the web app:
/// the home page's summary there, the site's `description` (written in the default language),
/// the first paragraph of the home page's intro (`intro_html`), else the theme's sentence.
pub fn about(site: &Site, lang: &str, t: &Strings, intro_html: Option<&str>) -> String {
    site.home
        .get(lang)
        .and_then(|i| i.summary.clone())
        .or_else(|| {
            (lang == site.default_language())
                .then(|| site.config.description.clone())
                .flatten()
        })
        .or_else(|| intro_html.and_then(first_paragraph))
        .unwrap_or_else(|| match t.get("site_description") {
            Some(s) => s.replace("{title}", &site.config.title),
            None => site.config.title.clone(),
        })
}

fn map_path(site: &Site, lang: &str) -> String {
    format!("{}/map/", site.lang_prefix(lang))
}

/// OpenGraph locales for the languages Waymark sites use; others pass through.
fn og_locale(lang: &str) -> &str {
    match lang {
        "vi" => "vi_VN",
        "en" => "en_US",
        "zh" => "zh_CN",
        "fr" => "fr_FR",
        other => other,
    }
}

/// Moves a visitor who came by a QR code (an address under `landings`) to the first language they
/// prefer that the entry has; the default language stays put, and so does anyone who opened the
/// page itself.
fn landing_script(targets: &BTreeMap<String, String>, landings: &str) -> String {
    let map = serde_json::to_string(targets).unwrap_or_else(|_| "{}".into());
    let under = serde_json::to_string(landings).unwrap_or_else(|_| "\"/q/\"".into());
    // `</` cannot appear in JSON made from our URLs, but escape it anyway so the script cannot be closed early.
    let (map, under) = (map.replace("</", "<\\/"), under.replace("</", "<\\/"));
    format!(
        "(function(){{if(location.pathname.indexOf({under})!==0)return;\
var t={map},p=navigator.languages||[navigator.language||''];\
for(var i=0;i<p.length;i++){{var l=(p[i]||'').toLowerCase(),b=l.split('-')[0],u=t[l]||t[b];\
if(u!==undefined){{if(u)location.replace(u+location.hash);return}}}}}})();"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_description_from_the_first_paragraph() {
        let html = "<h2>x</h2><p>Đền <em>Kỳ Cùng</em> &amp; chợ</p><p>more</p>";
        assert_eq!(
            super::first_paragraph(html).as_deref(),
            Some("Đền Kỳ Cùng & chợ")
        );
        assert_eq!(super::first_paragraph("<ul><li>a</li></ul>"), None);
    }
}
