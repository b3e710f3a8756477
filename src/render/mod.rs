//! Render: Markdown and templates into the files of `output/site`.

pub(crate) mod context;
mod feeds;
mod map;
pub mod markdown;
mod pages;
mod pictures;
mod sanitize;

use crate::error::{Diagnostic, Diagnostics, Result};
use crate::output::OutFile;
use crate::site::Site;
use crate::theme::Theme;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use pages::{render_site, Selection};

/// Resolves links in Markdown against the site's entries and bundle files.
pub struct Links<'a> {
    site: &'a Site,
    /// Bundle folder (relative to the site) to entry index.
    bundles: HashMap<PathBuf, usize>,
}

impl<'a> Links<'a> {
    pub fn new(site: &'a Site) -> Self {
        let bundles = site
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.bundle.clone().map(|b| (b, i)))
            .collect();
        Links { site, bundles }
    }
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
        if let Some(&i) = self.bundles.get(target) {
            return Some(entry_url(i));
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
                if let Some(p) = site.media.photos.get(target) {
                    let w = p.made.variants.last().map_or(p.made.width, |v| v.0);
                    return Some(format!(
                        "{}{}",
                        crate::media::folder_url(site, e),
                        p.file(w, "jpg")
                    ));
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
        let photo = self.site.media.photos.get(target)?;
        let bundle = target.parent()?;
        let &i = self.bundles.get(bundle)?;
        let e = &self.site.entries[i];
        let p = pictures::picture(self.site, e, photo, alt.to_string(), None);
        Some(pictures::html(&p))
    }
}

/// Render everything under `output/site`.
pub fn render(site: &Site, theme: &Theme) -> Result<Vec<OutFile>> {
    render_some(site, theme, None, None)
}

/// Render the pages `only` selects (all when None), with the feeds and the files copied as they are.
pub fn render_some(
    site: &Site,
    theme: &Theme,
    only: Option<&Selection>,
    progress: Option<&crate::progress::Progress>,
) -> Result<Vec<OutFile>> {
    let mut diags = Diagnostics::default();
    let mut files = render_site(site, theme, only, progress, &mut diags);
    // The feeds list every entry: made again only when what they show may have changed.
    if only.is_none_or(|s| s.lists) {
        files.extend(feeds::feeds(site));
    }
    for (rel, src) in &theme.statics {
        files.push(match src {
            crate::theme::Static::Embedded(b) => OutFile::bytes(format!("site/{rel}"), b.to_vec()),
            crate::theme::Static::File(p) => OutFile::copy(format!("site/{rel}"), p.clone()),
        });
    }
    for e in &site.entries {
        if let Some(b) = &e.bundle {
            // Photos are published by the media stage, resized and without their metadata.
            for a in e.assets.iter().filter(|a| crate::media::published_as_is(a)) {
                files.push(OutFile::copy(
                    format!("site/{}/{}/{a}", e.section, e.slug),
                    site.root.join(b).join(a),
                ));
            }
        }
    }
    diags.into_result()?;
    files.push(manifest(site, theme)?);
    // The service worker last: its cache name is a digest of every other file, so it changes
    // exactly when the site does.
    files.push(service_worker(site, theme, &files)?);
    check_collisions(&files)?;
    Ok(files)
}

fn manifest(site: &Site, theme: &Theme) -> Result<OutFile> {
    let lang = site.default_language();
    let mut ctx = tera::Context::new();
    ctx.insert("site", &context::site_ctx(site, lang, &theme.strings));
    ctx.insert("lang", lang);
    ctx.insert("base_path", site.config.base_path());
    let text = theme
        .render("manifest.webmanifest", &ctx)
        .map_err(crate::error::Error::one)?;
    Ok(OutFile::bytes("site/manifest.webmanifest".into(), text))
}

fn service_worker(site: &Site, theme: &Theme, files: &[OutFile]) -> Result<OutFile> {
    let mut sorted: Vec<&OutFile> = files
        .iter()
        .filter(|f| f.path.starts_with("site/"))
        .collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut digest = crate::output::Fnv::default();
    for f in sorted {
        digest.write(f.path.as_bytes());
        match &f.data {
            crate::output::Data::Bytes(b) => digest.write(b),
            crate::output::Data::Copy(p) => {
                let len = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
                digest.write(&len.to_le_bytes());
            }
        }
    }
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
    ctx.insert("cache_name", &format!("waymark-{:016x}", digest.0));
    ctx.insert("shell", &shell);
    ctx.insert(
        "fallback",
        &site.link(&site.home_path(site.default_language())),
    );
    let text = theme
        .render("sw.js", &ctx)
        .map_err(crate::error::Error::one)?;
    Ok(OutFile::bytes("site/sw.js".into(), text))
}

/// Two outputs at one path would silently lose one of them.
fn check_collisions(files: &[OutFile]) -> Result<()> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if let Some(&j) = seen.get(f.path.as_str()) {
            let _ = j;
            problems.push(
                Diagnostic::error(&f.path, format!("two outputs would be written to output/{}", f.path))
                    .hint("a bundle file has the name of a page the build makes (index.html?), or a static theme file clashes with a page; rename one"),
            );
        } else {
            seen.insert(&f.path, i);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(crate::error::Error::Site(problems))
    }
}
