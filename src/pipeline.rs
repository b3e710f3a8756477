//! The one definition of Waymark's stages, which every command composes:
//!
//! ```text
//! load: site.yaml, plaques.lock, content/ and the theme  ->  Model (read-only from here)
//! media: photos and audio (cached)                        ->  Media, files, warnings
//! website backend (`render`): pages, feeds, landings      ->  site/ through a Sink
//! print backend (`print`): symbols, plaques, sheets, kits ->  print/ through a Sink
//! ```
//!
//! `build` = load, media, website, then write `site/` and plaques.lock; `check` = the same into
//! nothing; `plaques` = load, print, then write `print/` and the print days; `serve` = load,
//! media and website into memory, print when asked.

use crate::error::{Diagnostic, Error, Result};
use crate::ledger::Ledger;
use crate::output::{Discard, Emitter, Writer};
use crate::progress::Progress;
use crate::site::Site;
use crate::theme::Theme;
use crate::{
    config, content, error, incremental, ledger, lock, media, output, print, render, site,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// What a command was asked to do with a site.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub site: PathBuf,
    /// Defaults to `<site>/output`.
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Replace an output folder that Waymark did not make.
    pub force: bool,
    /// Parsed files kept between builds (by `serve`).
    pub memo: Option<Arc<content::Memo>>,
    /// Where the build reports how far it is, for a progress bar.
    pub progress: Option<Arc<Progress>>,
}

impl BuildOptions {
    pub fn out(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.site.join("output"))
    }
}

/// The model and what came with it: built once, then only read.
pub struct Model {
    pub site: Site,
    pub theme: Theme,
    /// plaques.lock as it must be written after a successful run.
    pub ledger: Ledger,
    /// Warnings of loading (content, theme).
    pub warnings: Vec<Diagnostic>,
}

/// Runs stages, timing each.
#[derive(Default)]
pub struct Pipeline {
    pub timings: crate::progress::Timings,
    progress: Option<Arc<Progress>>,
}

impl Pipeline {
    pub fn new(opts: &BuildOptions) -> Pipeline {
        Pipeline {
            timings: Vec::new(),
            progress: opts.progress.clone(),
        }
    }

    fn stage(&self, name: &'static str, total: usize) {
        if let Some(p) = &self.progress {
            p.stage(name, total);
        }
    }

    /// Load the site folder into the model, checking everything that can be checked without
    /// rendering; content and theme problems are reported together.
    pub fn load(&mut self, opts: &BuildOptions) -> Result<Model> {
        self.stage("loading content", 0);
        let root = &opts.site;
        let t = Instant::now();
        let mut config = config::Config::load(root)?;
        if let Some(url) = &opts.base_url {
            config::check_base_url(url)
                .map_err(|why| Error::Usage(format!("--base-url `{url}` {why}")))?;
            config.base_url = url.trim_end_matches('/').to_string();
        }
        let ledger = ledger::Ledger::load(root)?;
        self.timings.push(("config", t.elapsed()));

        let t = Instant::now();
        let (loaded, theme) = rayon::join(
            || content::load(root, &config, opts.drafts, opts.memo.as_deref()),
            || crate::theme::Theme::load(root, &config),
        );
        let (loaded, theme) = match (loaded, theme) {
            (Ok(l), Ok(t)) => (l, t),
            (Err(Error::Site(mut a)), Err(Error::Site(b))) => {
                a.extend(b);
                return Err(Error::Site(a));
            }
            (Err(e), _) | (_, Err(e)) => return Err(e),
        };
        self.timings.push(("load content and theme", t.elapsed()));

        let t = Instant::now();
        let site::Modeled {
            site,
            ledger,
            mut warnings,
        } = site::Site::from_loaded(root, config, loaded, &ledger)?;
        warnings.extend(theme.warnings.iter().cloned());
        self.timings.push(("model", t.elapsed()));
        Ok(Model {
            site,
            theme,
            ledger,
            warnings,
        })
    }

    /// Photos and audio: processed (or taken from the cache) before the pages, which need
    /// their sizes.
    pub fn media(&mut self, site: &Site) -> Result<media::Processed> {
        let t = Instant::now();
        let photos = site.entries.iter().map(|e| e.assets.len()).sum();
        self.stage("processing photos", photos);
        let processed = media::process(site, self.progress.as_deref())?;
        self.timings.push(("photos and audio", t.elapsed()));
        Ok(processed)
    }

    /// The website backend: every page (or the `selection`), feeds and landings, into `emit`.
    pub fn website(
        &mut self,
        site: &Site,
        media: &media::Media,
        theme: &Theme,
        selection: Option<&render::Selection>,
        emit: &Emitter,
    ) -> Result<usize> {
        let t = Instant::now();
        self.stage("rendering pages", site.entries.len());
        let progress = self.progress.as_deref();
        let pages = render::website(site, media, theme, selection, progress, emit)?;
        self.timings.push(("render pages", t.elapsed()));
        Ok(pages)
    }

    /// The print backend: what `opts` asks for, into `emit`.
    pub fn print(
        &mut self,
        site: &Site,
        theme: &Theme,
        opts: &print::Options,
        emit: &Emitter,
    ) -> Result<print::Printed> {
        let t = Instant::now();
        self.stage("making plaques", 0);
        let mut printed = print::print(site, theme, opts, emit)?;
        self.timings.push(("print", t.elapsed()));
        self.timings.append(&mut printed.timings);
        Ok(printed)
    }
}

/// What a command made.
#[derive(Debug, Default)]
pub struct Report {
    pub out: PathBuf,
    pub entries: usize,
    pub pages: usize,
    /// Of the pages, those kept from the published site (nothing they show changed).
    pub kept: usize,
    /// Plaque codes the site has (each with its landing page).
    pub codes: usize,
    /// Photos published, and how many of them were decoded and encoded (not from the cache).
    pub photos: (usize, usize),
    pub files: usize,
    /// Files that differ from those published before (new, or changed), and files of it gone.
    pub changed: usize,
    pub gone: usize,
    pub warnings: Vec<Diagnostic>,
    pub timings: crate::progress::Timings,
    /// The heaviest entry page: its path under output/ and its gzipped size in bytes.
    pub largest_page: Option<(String, usize)>,
    /// Of the files, the paths (under the output folder) of those that changed.
    pub changed_paths: Vec<String>,
    /// What a print run made.
    pub printed: Option<print::Printed>,
}

/// What the website is made from: a model and its processed media, only read.
pub struct Sources<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub media: &'a media::Media,
    /// The media stage's files (photos from the cache), put again by every run.
    pub media_files: &'a [output::OutFile],
}

impl<'a> Sources<'a> {
    pub fn new(model: &'a Model, processed: &'a media::Processed) -> Sources<'a> {
        Sources {
            site: &model.site,
            theme: &model.theme,
            media: &processed.media,
            media_files: &processed.files,
        }
    }
}

/// The whole website into `emit`: what `check` does, and `build` when it cannot tell what changed.
fn website(from: &Sources, emit: &Emitter, p: &mut Pipeline) -> Result<usize> {
    // Before the pages: the service worker's digest covers the photos too.
    emit.put_all(from.media_files.to_vec())?;
    p.website(from.site, from.media, from.theme, None, emit)
}

/// What a website run made: `pages` in all, `kept` of them from the published site.
fn website_report(from: &Sources, pages: usize, kept: usize, emit: &Emitter) -> Report {
    Report {
        entries: from.site.entries.len(),
        pages,
        kept,
        codes: from.site.entries.len(),
        files: emit.count(|_| true),
        largest_page: emit.largest_page(),
        ..Report::default()
    }
}

/// A model's warnings and its media's, in that order, with the photos counted into `report`.
fn with_warnings(
    mut report: Report,
    model: &mut Model,
    processed: &mut media::Processed,
) -> Report {
    report.warnings = std::mem::take(&mut model.warnings);
    report.warnings.append(&mut processed.warnings);
    report.photos = (processed.media.photos.len(), processed.photos_processed);
    report
}

/// What a build keeps with the site it publishes, so that the next build renders only the
/// pages that changed: the pages' fingerprints, and a digest of everything else a page depends
/// on (this binary, site.yaml, the theme, the ledger's retirements).
#[derive(serde::Serialize, serde::Deserialize)]
struct Published {
    environment: u64,
    pages: incremental::Fingerprints,
}

fn environment(site: &Site, theme: &Theme) -> u64 {
    let mut d = crate::output::Digest::default();
    // Another build of Waymark may render otherwise: its length and time stand for its code.
    let exe = std::env::current_exe().and_then(std::fs::metadata);
    let stamp = exe.ok().map(|m| (m.len(), m.modified().ok()));
    d.write(format!("{stamp:?}").as_bytes());
    d.write(format!("{:?}", site.config).as_bytes());
    d.write(format!("{:?}", site.retired).as_bytes());
    d.write(format!("{:?}", site.held).as_bytes());
    d.write(&theme.digest.to_le_bytes());
    d.finish()
}

/// Build the website of `opts.site` into its output folder's `site/`, and write plaques.lock.
/// When the published site was built from the same binary, settings and theme, only the pages
/// that changed are rendered, and the rest is kept as it is.
pub fn build(opts: &BuildOptions) -> Result<Report> {
    let out = opts.out();
    output::check_target(&out, opts.force)?;
    let _lock = lock::SiteLock::take(&opts.site);
    let mut p = Pipeline::new(opts);
    // Loaded first: a site that cannot be read makes no output folder.
    let mut model = p.load(opts)?;
    let mut processed = p.media(&model.site)?;
    let from = Sources::new(&model, &processed);
    let report = publish(&out, &from, None, false, &mut p)?;
    let t = Instant::now();
    model.ledger.save(&opts.site)?;
    p.timings.push(("plaques.lock", t.elapsed()));
    let mut report = with_warnings(report, &mut model, &mut processed);
    report.timings = p.timings;
    Ok(report)
}

/// The website of `from` published into `out`'s `site/` (and `moved/`) as a new generation,
/// switched in at once: only the pages whose fingerprints differ from the published site's
/// are rendered, the rest kept as published. `fingerprints`: the model's, when the caller has
/// them. `again`: a new generation even if nothing changed. What `build` and `serve --publish`
/// share; the caller holds the site lock.
/// Every code the published site in `out` answers (`site/q/<CODE>/`) is one `site` answers
/// too: a plaque may lead to it, so a change that drops one (an entry deleted with its line of
/// plaques.lock, a line lost in a merge) publishes nothing until plaques.lock says where the
/// code leads.
fn codes_kept(out: &Path, site: &crate::site::Site) -> Result<()> {
    let landings = out.join(crate::address::SITE).join("q");
    let Ok(dir) = std::fs::read_dir(landings) else {
        return Ok(());
    };
    let now: std::collections::HashSet<&str> = site.codes().collect();
    let mut lost: Vec<String> = dir
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|code| !now.contains(code.as_str()))
        .collect();
    if lost.is_empty() {
        return Ok(());
    }
    lost.sort();
    let problems = lost.iter().map(|code| {
        crate::error::Diagnostic::error(
            crate::ledger::FILE,
            format!("code {code} is on the live site (/q/{code}/), where a plaque may lead, but no entry has it and plaques.lock has no line for it"),
        )
        .hint(format!("put its line back in plaques.lock (`git log -p plaques.lock` shows it), or retire it to where its visitors should go: `{code}: {{ retired_to: relics }}` (a code, a section/slug or a section)"))
        .vi(format!("mã {code} đang có trên trang web (biển in có thể dẫn tới đó) nhưng không còn trong plaques.lock: thêm lại dòng của nó, hoặc ghi `{code}: {{ retired_to: relics }}`"))
    });
    Err(Error::Site(problems.collect()))
}

pub fn publish(
    out: &Path,
    from: &Sources,
    fingerprints: Option<incremental::Fingerprints>,
    again: bool,
    p: &mut Pipeline,
) -> Result<Report> {
    let site = from.site;
    codes_kept(out, site)?;
    // Files are written as they are made; nothing is published until `finish` switches to them.
    let t = Instant::now();
    let writer = Writer::begin(out, &[crate::address::SITE, crate::address::MOVED])?;
    let sizes = output::PageSizes::load(&site.root);
    p.timings.push(("begin output", t.elapsed()));
    let emit = Emitter::measuring(&writer).remembering(&sizes);
    let t = Instant::now();
    let now = Published {
        environment: environment(site, from.theme),
        pages: fingerprints.unwrap_or_else(|| incremental::fingerprints(site, from.media)),
    };
    let before: Option<Published> =
        (writer.published_state()).and_then(|b| serde_json::from_slice(&b).ok());
    let whole = published_whole(&writer, site);
    if !whole || again {
        writer.republish();
    }
    let selection = before
        .filter(|b| b.environment == now.environment && whole)
        .and_then(|b| incremental::selection(&b.pages, &now.pages, site));
    p.timings.push(("compare", t.elapsed()));
    let mut report = match &selection {
        None => {
            let pages = website(from, &emit, p)?;
            website_report(from, pages, 0, &emit)
        }
        Some(only) => changed_pages(from, only, &writer, &emit, p)?,
    };
    render::moved(site, &emit)?;
    report.files = emit.count(|_| true);
    drop(emit);

    let t = Instant::now();
    p.stage("writing", 0);
    let state = serde_json::to_vec(&now).map_err(|e| Error::Usage(e.to_string()))?;
    writer.keep_state(&state)?;
    let written = writer.finish()?;
    sizes.save();
    p.timings.push(("finish output", t.elapsed()));
    report.out = out.to_path_buf();
    report.changed = written.changed;
    report.gone = written.gone;
    report.changed_paths = written.changed_paths;
    Ok(report)
}

/// Whether every rendered file of the published site is still there to keep (a page deleted
/// by hand from `output/` makes the next build render everything).
fn published_whole(writer: &Writer, site: &Site) -> bool {
    use rayon::prelude::*;
    (writer.published_files().par_iter())
        .filter(|(path, _)| path.starts_with(crate::address::SITE) && render::renders(site, path))
        .all(|(path, _)| writer.published_source(path).is_some_and(|p| p.is_file()))
}

/// The pages `only` selects rendered again, and every other file of the published site kept as
/// it is, into `emit`: the same files a whole build would make.
fn changed_pages(
    from: &Sources,
    only: &render::Selection,
    writer: &Writer,
    emit: &Emitter,
    p: &mut Pipeline,
) -> Result<Report> {
    emit.put_all(from.media_files.to_vec())?;
    let t = Instant::now();
    let (site, theme) = (from.site, from.theme);
    let progress = p.progress.clone();
    let made = render::website_without_worker(
        site,
        from.media,
        theme,
        Some(only),
        progress.as_deref(),
        emit,
    )?;
    let entry_pages: std::collections::HashSet<String> = (site.entries.iter())
        .flat_map(|e| {
            e.texts
                .keys()
                .map(move |l| crate::address::page_file(&site.entry_path(e, l)))
        })
        .collect();
    // Pages and feeds not rendered again; copied files were all put afresh, and a copied file
    // not put now is gone (a photo that lost a size).
    let carried: Vec<(String, String)> = (writer.published_files().into_iter())
        .filter(|(path, _)| {
            path.starts_with(crate::address::SITE)
                && !emit.contains(path)
                && render::renders(site, path)
        })
        .collect();
    let kept = carried.iter().filter(|(p, _)| p.ends_with(".html")).count();
    {
        use rayon::prelude::*;
        carried
            .into_par_iter()
            .try_for_each(|(path, fingerprint)| {
                let Some(from) = writer.published_source(&path) else {
                    return Ok(());
                };
                let entry_page = entry_pages.contains(&path);
                emit.carry(path, from, &fingerprint, entry_page)
            })?;
    }
    render::finish(site, theme, emit)?;
    p.timings.push(("render changed pages", t.elapsed()));
    Ok(website_report(from, made + kept, kept, emit))
}

/// Every problem a build would meet, and the warnings only a check gives (missing translations,
/// tag names), without writing the output or the ledger; the caches fill as in a build.
pub fn check(opts: &BuildOptions) -> Result<Report> {
    let _lock = lock::SiteLock::take(&opts.site);
    let mut p = Pipeline::new(opts);
    let emit = Emitter::measuring(&Discard);
    let mut model = p.load(opts)?;
    let mut processed = p.media(&model.site)?;
    let pages = website(&Sources::new(&model, &processed), &emit, &mut p)?;
    let report = website_report(&Sources::new(&model, &processed), pages, 0, &emit);
    let mut report = with_warnings(report, &mut model, &mut processed);
    let site = &model.site;
    for e in &site.entries {
        let missing: Vec<&str> = (site.config.languages.iter())
            .filter(|l| !e.texts.contains_key(*l))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            report.warnings.push(
                Diagnostic::warning(
                    &e.file,
                    format!("no translation into {}", missing.join(", ")),
                )
                .hint(format!(
                    "add {} beside this file with the translated title, summary and text",
                    translation_names(e, &missing)
                )),
            );
        }
    }
    report.warnings.extend(tag_name_warnings(&opts.site, site));
    report.warnings.extend(print::plaque_warnings(site)?);
    report.timings = p.timings;
    Ok(report)
}

/// What `waymark plaques` was asked for.
#[derive(Debug, Clone, Default)]
pub struct PlaqueRun {
    pub print: print::Options,
    /// Only codes never handed to print before.
    pub new_only: bool,
}

/// Make the print files into the output folder's `print/` (the website, if built, stays as it
/// is), and record in plaques.lock the day each code was first printed.
pub fn plaques(opts: &BuildOptions, run: &PlaqueRun) -> Result<Report> {
    let out = opts.out();
    output::check_target(&out, opts.force)?;
    let _lock = lock::SiteLock::take(&opts.site);
    let mut p = Pipeline::new(opts);
    let mut model = p.load(opts)?;
    let mut popts = run.print.clone();
    let unknown: Vec<&str> = (popts.codes.iter())
        .filter(|c| model.site.entry_by_code(c).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(Error::Usage(format!(
            "no entry has the code(s) {}; `waymark plaques` with no --codes lists every code in print/manifest.json",
            unknown.join(", ")
        )));
    }
    if run.new_only {
        let all = popts.codes.is_empty();
        let fresh: Vec<String> = (model.site.entries.iter())
            .map(|e| e.code.clone())
            .filter(|c| !model.ledger.is_printed(c) && (all || popts.codes.contains(c)))
            .collect();
        if fresh.is_empty() {
            return Ok(Report {
                out,
                entries: model.site.entries.len(),
                codes: model.site.entries.len(),
                warnings: model.warnings,
                timings: p.timings,
                printed: Some(print::Printed::default()),
                ..Report::default()
            });
        }
        popts.codes = fresh;
    }
    let writer = Writer::begin(&out, &[crate::address::PRINT])?;
    let emit = Emitter::new(&writer);
    let printed = p.print(&model.site, &model.theme, &popts, &emit)?;
    let files = emit.count(|_| true);
    drop(emit);
    let t = Instant::now();
    let written = writer.finish()?;
    model.ledger.mark_printed(
        printed.codes.iter().map(String::as_str),
        &crate::days::today(),
    );
    model.ledger.save(&opts.site)?;
    p.timings.push(("finish output", t.elapsed()));
    let mut warnings = model.warnings;
    warnings.extend(printed.warnings.iter().cloned());
    Ok(Report {
        out,
        entries: model.site.entries.len(),
        codes: model.site.entries.len(),
        files,
        changed: written.changed,
        gone: written.gone,
        warnings,
        timings: p.timings,
        printed: Some(printed),
        ..Report::default()
    })
}

/// `tag_names` in site.yaml that name no tag (a typo leaves a tag untranslated without a word),
/// and, once a site names its tags, the tags it has not named in every language.
fn tag_name_warnings(root: &Path, site: &site::Site) -> Vec<Diagnostic> {
    let names = &site.config.tag_names;
    if names.is_empty() {
        return Vec::new();
    }
    let text = std::fs::read_to_string(root.join(config::FILE)).unwrap_or_default();
    let tags: Vec<&str> = site.tags.iter().map(|g| g.name.as_str()).collect();
    let mut warnings = Vec::new();
    for key in names.keys() {
        if site::Site::group_of(&site.tags, key).is_none() {
            let hint = match error::suggest(key, &tags) {
                Some(t) => format!("did you mean `{t}`? Entries write it that way"),
                None => "remove it, or check its spelling against the entries' `tags:`".into(),
            };
            warnings.push(
                Diagnostic::warning(
                    config::FILE,
                    format!("tag_names: no entry has the tag `{key}`"),
                )
                .at(crate::yaml::key_line(&text, 1, key), None)
                .hint(hint)
                .with_source(&text),
            );
        }
    }
    for g in &site.tags {
        let missing: Vec<&str> = (site.config.other_languages())
            .filter(|l| !site.tag_is_named(g, l))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            let example: Vec<String> = missing.iter().map(|l| format!("{l}: ...")).collect();
            warnings.push(
                Diagnostic::warning(
                    config::FILE,
                    format!("the tag `{}` has no name in {}", g.name, missing.join(", ")),
                )
                .hint(format!(
                    "add `{}: {{ {} }}` under tag_names",
                    g.name,
                    example.join(", ")
                )),
            );
        }
    }
    warnings
}

fn translation_names(e: &site::Entry, langs: &[&str]) -> String {
    let name = e
        .file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("index.md");
    let stem = name.strip_suffix(".md").unwrap_or(name);
    langs
        .iter()
        .map(|l| format!("{stem}.{l}.md"))
        .collect::<Vec<_>>()
        .join(", ")
}
