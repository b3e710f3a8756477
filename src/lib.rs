//! Waymark: a static-site generator for heritage sites and homestays. One Markdown file per
//! place becomes a multilingual mobile website, and every place gets a permanent QR code.
//!
//! Data flows one way: load (config, content) -> model (site) -> media (photos, audio: before
//! render, which needs their sizes) -> render (pages, feeds) -> print (plaques, kits, sheets)
//! -> qr (symbols, verified) -> write (atomic).

// A Diagnostic (file, line, message, hint, source line) is the product of the error path, which is
// cold; boxing it everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod cmd;
pub mod config;
pub mod content;
pub mod error;
pub mod ledger;
pub mod lock;
pub mod media;
pub mod nearby;
pub mod output;
pub mod plaque;
pub mod progress;
pub mod qr;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod slug;
pub mod theme;

use error::{Diagnostic, Error, Result};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Stage names and how long each took, for `--timings`.
pub type Timings = Vec<(&'static str, Duration)>;

/// What `waymark build` was asked to do.
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
    pub memo: Option<std::sync::Arc<content::Memo>>,
    /// Where the build reports how far it is, for a progress bar.
    pub progress: Option<std::sync::Arc<progress::Progress>>,
}

/// What a build made.
#[derive(Debug, Default)]
pub struct Report {
    pub out: PathBuf,
    pub entries: usize,
    pub pages: usize,
    pub qr_codes: usize,
    pub plaques: usize,
    /// Photos published, and how many of them were decoded and encoded (not from the cache).
    pub photos: (usize, usize),
    pub files: usize,
    /// Files that differ from the site published before (new, or changed), and files of it gone.
    pub changed: usize,
    pub gone: usize,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    /// The heaviest entry page: its path under output/ and its gzipped size in bytes.
    pub largest_page: Option<(String, usize)>,
}

/// Everything up to the model: what `build` and `check` share.
pub struct Loaded {
    pub site: site::Site,
    pub theme: theme::Theme,
}

/// Load the site folder into the model, checking everything that can be checked without rendering.
pub fn load(opts: &BuildOptions, timings: &mut Vec<(&'static str, Duration)>) -> Result<Loaded> {
    let root = &opts.site;
    let t = Instant::now();
    let mut config = config::Config::load(root)?;
    if let Some(url) = &opts.base_url {
        config::check_base_url(url)
            .map_err(|why| Error::Usage(format!("--base-url `{url}` {why}")))?;
        config.base_url = url.trim_end_matches('/').to_string();
    }
    let ledger = ledger::Ledger::load(root)?;
    timings.push(("config", t.elapsed()));

    let t = Instant::now();
    let (loaded, theme) = rayon::join(
        || content::load(root, &config, opts.drafts, opts.memo.as_deref()),
        || theme::Theme::load(root, &config),
    );
    // Report content and theme problems together, so that one run shows every problem.
    let (loaded, theme) = match (loaded, theme) {
        (Ok(l), Ok(t)) => (l, t),
        (Err(Error::Site(mut a)), Err(Error::Site(b))) => {
            a.extend(b);
            return Err(Error::Site(a));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    timings.push(("load content and theme", t.elapsed()));

    let t = Instant::now();
    let mut site = site::Site::new(root, config, loaded, &ledger)?;
    site.warnings.extend(theme.warnings.iter().cloned());
    timings.push(("model", t.elapsed()));
    Ok(Loaded { site, theme })
}

/// What a build made, its files already handed to the output.
pub struct Made {
    /// Photos published, and how many were processed rather than taken from the cache.
    pub photos: (usize, usize),
    pub plaques: usize,
    pub site: site::Site,
    pub pages: usize,
    pub qr_codes: usize,
}

/// Media, render, print and QR codes of a loaded site, every file handed to `emit` as soon as it
/// is made (so that a build never holds the whole site in memory).
pub fn make(
    opts: &BuildOptions,
    loaded: Loaded,
    emit: &output::Emitter,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Result<Made> {
    let progress = opts.progress.as_deref();
    let Loaded { mut site, theme } = loaded;
    let (media_files, photos_made) = media_stage(&mut site, progress, timings)?;
    // Before the pages: the service worker's digest covers the photos too.
    emit.put_all(media_files)?;

    let t = Instant::now();
    if let Some(p) = progress {
        p.stage("rendering pages", site.entries.len());
    }
    let pages = render::render_some(&site, &theme, None, progress, emit)?;
    timings.push(("render pages", t.elapsed()));
    // Nothing after the pages reads the Markdown (about 60 MB at 10,000 entries): its memory
    // goes to the print stage instead of adding to the peak.
    for text in site.entries.iter_mut().flat_map(|e| e.texts.values_mut()) {
        text.body = String::new();
    }

    let t = Instant::now();
    if let Some(p) = progress {
        p.stage("making plaques", site.entries.len());
    }
    let plaque_opts = plaque::options_from_config(&site)?;
    // One symbol cache for plaques, cards and bare QR codes, so that it knows every file in use.
    let symbols = qr::Cache::on_disk(&site.root);
    let (plaque_warnings, parts) = plaque::render(&site, &theme, &plaque_opts, &symbols, emit)?;
    site.warnings.extend(plaque_warnings);
    timings.push(("print", t.elapsed()));
    timings.extend(parts);
    let t = Instant::now();
    if let Some(p) = progress {
        p.stage("making QR codes", site.entries.len());
    }
    let qr_codes = qr::render(&site, &symbols, progress, emit)?;
    symbols.prune();
    let plaques = emit.count(|p| p.starts_with("print/plaques/") && p.ends_with(".pdf"));
    timings.push(("qr codes", t.elapsed()));
    Ok(Made {
        photos: (site.media.photos.len(), photos_made),
        site,
        pages,
        qr_codes,
        plaques,
    })
}

/// Photos and audio: processed (or taken from the cache) before render, which needs their sizes.
pub fn media_stage(
    site: &mut site::Site,
    progress: Option<&progress::Progress>,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Result<(Vec<output::OutFile>, usize)> {
    let t = Instant::now();
    if let Some(p) = progress {
        let photos = site.entries.iter().map(|e| e.assets.len()).sum();
        p.stage("processing photos", photos);
    }
    let processed = media::process(site, progress)?;
    site.media = processed.media;
    site.warnings.extend(processed.warnings);
    timings.push(("photos and audio", t.elapsed()));
    Ok((processed.files, processed.photos_processed))
}

/// Build the site in `opts.site` into its output folder.
pub fn build(opts: &BuildOptions) -> Result<Report> {
    let out = opts.out.clone().unwrap_or_else(|| opts.site.join("output"));
    output::check_target(&out, opts.force)?;
    let _lock = lock::SiteLock::take(&opts.site);
    let mut timings = Vec::new();
    if let Some(p) = opts.progress.as_deref() {
        p.stage("loading content", 0);
    }
    let loaded = load(opts, &mut timings)?;
    // Files are written as they are made; nothing is published until `finish` switches to them.
    let writer = output::Writer::begin(&out)?;
    let sizes = output::PageSizes::load(&opts.site);
    let emit = output::Emitter::measuring(&writer).remembering(&sizes);
    let made = make(opts, loaded, &emit, &mut timings)?;
    let (files, largest_page) = (emit.count(|_| true), emit.largest_page());
    drop(emit);

    let t = Instant::now();
    if let Some(p) = opts.progress.as_deref() {
        p.stage("writing", 0);
    }
    let written = writer.finish()?;
    write_ledger(&opts.site, &made.site.ledger)?;
    sizes.save();
    timings.push(("finish output", t.elapsed()));

    Ok(Report {
        out,
        entries: made.site.entries.len(),
        pages: made.pages,
        qr_codes: made.qr_codes,
        plaques: made.plaques,
        photos: made.photos,
        files,
        changed: written.changed,
        gone: written.gone,
        warnings: made.site.warnings,
        timings,
        largest_page,
    })
}

pub fn gzipped_len(bytes: &[u8]) -> usize {
    compressed_len(bytes, flate2::Compression::default())
}

/// The gzipped size of `bytes` at `level`.
pub fn compressed_len(bytes: &[u8], level: flate2::Compression) -> usize {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), level);
    let _ = enc.write_all(bytes);
    enc.finish().map(|v| v.len()).unwrap_or(bytes.len())
}

/// Every problem a build would meet, and the warnings only a check gives (missing translations,
/// tag names), without writing the output or the ledger; the caches fill as in a build.
pub fn check(opts: &BuildOptions) -> Result<Report> {
    let _lock = lock::SiteLock::take(&opts.site);
    let mut timings = Vec::new();
    let loaded = load(opts, &mut timings)?;
    let emit = output::Emitter::measuring(&output::Discard);
    let made = make(opts, loaded, &emit, &mut timings)?;
    let site = &made.site;
    let mut warnings = site.warnings.clone();
    for e in &site.entries {
        let missing: Vec<&str> = site
            .config
            .languages
            .iter()
            .filter(|l| !e.texts.contains_key(*l))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            warnings.push(
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
    warnings.extend(tag_name_warnings(&opts.site, site));
    Ok(Report {
        out: PathBuf::new(),
        entries: site.entries.len(),
        pages: made.pages,
        qr_codes: made.qr_codes,
        plaques: made.plaques,
        photos: made.photos,
        files: emit.count(|_| true),
        changed: 0,
        gone: 0,
        warnings,
        timings,
        largest_page: emit.largest_page(),
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
                .at(content::yaml::key_line(&text, 1, key), None)
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

/// Write plaques.lock only when it changed, so an unchanged site leaves the user's tree untouched.
pub fn write_ledger(root: &Path, ledger: &ledger::Ledger) -> Result<()> {
    let path = root.join(ledger::FILE);
    let text = ledger.to_text();
    if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
        return Ok(());
    }
    // plaques.lock is the record of every printed code: never left cut short by a killed build.
    output::write_atomic(&path, text.as_bytes()).map_err(|e| Error::io(&path, e))
}

/// The most memory this process has held (resident, in bytes), where the system tells it.
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
