//! Render: Markdown and templates into the files of `output/site`.

pub(crate) mod context;
mod feeds;
mod links;
mod map;
pub mod markdown;
mod moved;
pub use moved::redirect_page;
mod pages;
mod paginate;
mod pictures;
mod sanitize;

use crate::address;
use crate::error::{Diagnostics, Result};
use crate::media::Media;
use crate::output::{Emitter, OutFile};
use crate::site::Site;
use crate::theme::Theme;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use moved::moved;
pub use pages::{render_all, Selection};

/// Resolves links in Markdown against the site's entries and bundle files.
pub struct Links<'a> {
    site: &'a Site,
    media: &'a Media,
    /// Bundle folder (relative to the site) to entry index.
    bundles: HashMap<PathBuf, usize>,
}

impl<'a> Links<'a> {
    pub fn new(site: &'a Site, media: &'a Media) -> Self {
        let bundles = site
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.bundle.clone().map(|b| (b, i)))
            .collect();
        Links {
            site,
            media,
            bundles,
        }
    }
}

/// `a/x.md` <-> `a/x/index.md` (and `x.en.md` <-> `x/index.en.md`).
fn other_form(target: &Path) -> Option<std::path::PathBuf> {
    let name = target.file_name()?.to_str()?;
    let stem = name.strip_suffix(".md")?;
    let parent = target.parent()?;
    if let Some(lang) = stem.strip_prefix("index") {
        let folder = parent.file_name()?.to_str()?;
        return Some(parent.parent()?.join(format!("{folder}{lang}.md")));
    }
    let (base, lang) = match stem.rsplit_once('.') {
        Some((b, l)) => (b, format!(".{l}")),
        None => (stem, String::new()),
    };
    Some(parent.join(base).join(format!("index{lang}.md")))
}

impl markdown::Resolver for Links<'_> {
    fn resolve(&self, target: &Path, lang: &str) -> Option<String> {
        let site = self.site;
        let entry_url = |i: usize| {
            let e = &site.entries[i];
            let l = if e.texts.contains_key(lang) {
                lang
            } else {
                site.default_language()
            };
            site.link(&site.entry_path(e, l))
        };
        if let Some(&i) = site.by_file.get(target) {
            return Some(entry_url(i));
        }
        // `x.md` and `x/index.md` name the same entry: a link keeps working when the editor
        // turns a single file into a bundle (or a volunteer does it by hand).
        if let Some(&i) = other_form(target).and_then(|t| site.by_file.get(&t)) {
            return Some(entry_url(i));
        }
        if let Some(&i) = self.bundles.get(target) {
            return Some(entry_url(i));
        }
        // A draft left out with its code: its landing says it is being updated.
        let held = |t: &Path| site.held.iter().find(|h| h.files.iter().any(|f| f == t));
        if let Some(h) = held(target).or_else(|| other_form(target).and_then(|t| held(&t))) {
            // Without a code (a new draft), the section's list.
            return Some(match &h.code {
                Some(code) => site.link(&crate::address::landing(code)),
                None => site.link(&site.section_path(&h.section, lang)),
            });
        }
        // A file in a bundle (or a subfolder of one): published beside the entry's default-language page.
        for bundle in target.ancestors().skip(1) {
            if let Some(&i) = self.bundles.get(bundle) {
                let e = &site.entries[i];
                let inner = target
                    .strip_prefix(bundle)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/");
                if !e.assets.contains(&inner) {
                    return None;
                }
                // A link to a photo leads to its largest published size; the original is not published.
                if let Some(p) = self.media.photos.get(target) {
                    let w = p.made.variants.last().map_or(p.made.width, |v| v.0);
                    return Some(format!("{}{}", site.folder_url(e), p.file(w, "jpg")));
                }
                return Some(site.link(&format!("/{}/{}/{inner}", e.section, e.slug)));
            }
        }
        None
    }

    fn base_path(&self) -> &str {
        self.site.config.base_path()
    }

    fn picture(&self, target: &Path, alt: &str) -> Option<String> {
        let photo = self.media.photos.get(target)?;
        let bundle = target.parent()?;
        let &i = self.bundles.get(bundle)?;
        let e = &self.site.entries[i];
        let p = pictures::picture(self.site, e, photo, alt.to_string(), None);
        Some(pictures::html(&p))
    }
}

/// Render the pages `only` selects (all when None), with the feeds and the files copied as they
/// are, into `emit`; how many pages. The service worker comes last: its cache name is a digest
/// of every other file emitted under `site/` (photos included, when emitted first), so it changes
/// exactly when the site does.
pub fn website(
    site: &Site,
    media: &Media,
    theme: &Theme,
    only: Option<&Selection>,
    progress: Option<&crate::progress::Progress>,
    emit: &Emitter,
) -> Result<usize> {
    let pages = website_without_worker(site, media, theme, only, progress, emit)?;
    finish(site, theme, emit)?;
    Ok(pages)
}

/// `website` without the service worker, for a caller that adds files of its own first.
pub fn website_without_worker(
    site: &Site,
    media: &Media,
    theme: &Theme,
    only: Option<&Selection>,
    progress: Option<&crate::progress::Progress>,
    emit: &Emitter,
) -> Result<usize> {
    let mut diags = Diagnostics::default();
    let pages = render_all(site, media, theme, only, progress, &mut diags, emit)?;
    let mut files = Vec::new();
    // The feeds list every entry: made again only when what they show may have changed.
    if only.is_none_or(|s| s.lists) {
        files.extend(feeds::feeds(site));
    }
    for (rel, src) in &theme.statics {
        files.push(match src {
            crate::theme::Static::Embedded(b) => {
                OutFile::bytes(address::site_file(rel), b.to_vec())
            }
            crate::theme::Static::File(p) => OutFile::copy(address::site_file(rel), p.clone()),
        });
    }
    for e in &site.entries {
        if let Some(b) = &e.bundle {
            // Photos are published by the media stage, resized and without their metadata.
            for a in e.assets.iter().filter(|a| crate::media::published_as_is(a)) {
                files.push(OutFile::copy(
                    format!("{}/{a}", address::entry_folder(&e.section, &e.slug)),
                    site.root.join(b).join(a),
                ));
            }
        }
    }
    diags.into_result()?;
    files.push(manifest(site, theme)?);
    emit.put_all(files)?;
    Ok(pages)
}

/// Whether a build renders the file at `path` (a page or a feed), rather than copying it (photos,
/// audio, theme files, bundle files): a build that renders only what changed keeps the rest of
/// the rendered files as published, and copies the others afresh.
pub fn renders(site: &Site, path: &str) -> bool {
    path.ends_with(".html") || feeds::paths(site).iter().any(|p| p == path)
}

/// The service worker, last of the site's files: its cache name is a digest of every other one.
pub fn finish(site: &Site, theme: &Theme, emit: &Emitter) -> Result<()> {
    emit.put(service_worker(site, theme, emit.site_digest())?)
}

fn manifest(site: &Site, theme: &Theme) -> Result<OutFile> {
    let lang = site.default_language();
    let mut ctx = tera::Context::new();
    ctx.insert("site", &context::site_ctx(site, lang, &theme.strings));
    ctx.insert("lang", lang);
    ctx.insert("base_path", site.config.base_path());
    let short = (site.config.short_name.clone()).unwrap_or_else(|| short_name(&site.config.title));
    ctx.insert("short_name", &short);
    let about = (site.config.description.clone())
        .unwrap_or_else(|| pages::about(site, lang, &theme.strings[lang], None));
    ctx.insert("description", &about);
    let text = theme
        .render("manifest.webmanifest", &ctx)
        .map_err(crate::error::Error::one)?;
    Ok(OutFile::bytes(
        address::site_file(address::WEB_MANIFEST),
        text,
    ))
}

/// Launchers show about 12 characters under an app's icon: the title's first words that fit
/// ("Di tích và Homestay Lạng Sơn" → "Di tích và"), or its first word cut when even that is longer.
fn short_name(title: &str) -> String {
    const FITS: usize = 12;
    let mut out = String::new();
    for word in title.split_whitespace() {
        let len = out.chars().count() + usize::from(!out.is_empty()) + word.chars().count();
        if len > FITS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = title.trim().chars().take(FITS).collect();
    }
    out
}

fn service_worker(site: &Site, theme: &Theme, digest: u64) -> Result<OutFile> {
    let mut shell: Vec<String> = site
        .config
        .languages
        .iter()
        .map(|l| site.link(&site.home_path(l)))
        .collect();
    shell.extend(
        site.config
            .languages
            .iter()
            .map(|l| site.link(&format!("/search/{l}.json"))),
    );
    shell.push(site.link("/404.html"));
    shell.push(site.link("/icon.svg"));
    let mut ctx = tera::Context::new();
    ctx.insert("cache_name", &format!("waymark-{digest:016x}"));
    ctx.insert("shell", &shell);
    ctx.insert(
        "fallback",
        &site.link(&site.home_path(site.default_language())),
    );
    let text = theme
        .render("sw.js", &ctx)
        .map_err(crate::error::Error::one)?;
    Ok(OutFile::bytes(
        address::site_file(address::SERVICE_WORKER),
        text,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_names_end_at_a_word() {
        assert_eq!(
            super::short_name("Di tích và Homestay Lạng Sơn"),
            "Di tích và"
        );
        assert_eq!(super::short_name("Lạng Sơn"), "Lạng Sơn");
        assert_eq!(
            super::short_name("谅山文化遗产与民宿指南大全集"),
            "谅山文化遗产与民宿指南大"
        );
        assert_eq!(super::short_name("Thànhphốcổkínhxưa đẹp"), "Thànhphốcổkí");
    }
}
