//! Render: Markdown and templates into the files of `output/site`.

mod context;
mod feeds;
pub mod markdown;
mod pages;

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
        // A file in a bundle: published beside the entry's default-language page.
        let parent = target.parent()?;
        let &i = self.bundles.get(parent)?;
        let e = &site.entries[i];
        let name = target.file_name()?.to_str()?;
        if e.assets.iter().any(|a| a == name) {
            return Some(site.link(&format!("/{}/{}/{name}", e.section, e.slug)));
        }
        None
    }

    fn base_path(&self) -> &str {
        self.site.config.base_path()
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
    files.extend(feeds::feeds(site));
    for (rel, path) in &theme.statics {
        files.push(OutFile::copy(format!("site/{rel}"), path.clone()));
    }
    for e in &site.entries {
        if let Some(b) = &e.bundle {
            for a in &e.assets {
                files.push(OutFile::copy(
                    format!("site/{}/{}/{a}", e.section, e.slug),
                    site.root.join(b).join(a),
                ));
            }
        }
    }
    diags.into_result()?;
    check_collisions(&files)?;
    Ok(files)
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
