//! Load: walk `content/`, split and parse every Markdown file, group translations with their entry.
//! Nothing here knows about URLs or HTML; that is the model's and the renderer's job.

pub mod fields;
pub mod front_matter;
pub mod guest;
pub mod links;
pub mod nesting;
mod validate;

pub use guest::closed_days;
pub use validate::check_code as validate_code;
pub use validate::entry as validate_entry;
pub use validate::is_inside as validate_path_inside;

use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics, Result};
use front_matter::{FrontMatter, TranslationMatter};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

pub const CONTENT_DIR: &str = "content";

/// Section folder names the build's own pages use: QR landings, district and tag lists, the map
/// (and each language's prefix, checked beside these).
const RESERVED: &[&str] = &["q", "districts", "tags", "map"];

/// The text of a home page or section intro (`_index.md`) in one language.
#[derive(Debug, Clone, Default)]
pub struct Intro {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: String,
    pub body_line: usize,
    pub file: PathBuf,
}

/// One language's version of an entry's text.
#[derive(Debug, Clone)]
pub struct Text {
    pub title: String,
    pub summary: Option<String>,
    pub address: Option<String>,
    /// Shared by the parse memo and the models made from it (a site's bodies are most of its size).
    pub body: std::sync::Arc<str>,
    pub body_line: usize,
    /// The file it came from, relative to the site folder.
    pub file: PathBuf,
    /// A translation's alt text and captions of the entry's photos.
    pub images: Vec<front_matter::Image>,
}

/// An entry as read from disk, before the model gives it URLs and a code.
#[derive(Debug, Clone)]
pub struct RawEntry {
    pub section: String,
    pub slug: String,
    /// The default-language file, relative to the site folder.
    pub file: PathBuf,
    /// The bundle folder relative to the site folder, for `<slug>/index.md` entries.
    pub bundle: Option<PathBuf>,
    /// Non-Markdown files in the bundle, relative to the bundle, sorted.
    pub assets: Vec<String>,
    pub matter: FrontMatter,
    /// The default file's front matter and its first line, so later checks can name lines.
    pub yaml: String,
    pub yaml_line: usize,
    /// Keyed by language; the default language is always present.
    pub texts: BTreeMap<String, Text>,
}

#[derive(Debug, Default)]
pub struct Loaded {
    /// Home page intro by language.
    pub home: BTreeMap<String, Intro>,
    /// Section intros: section -> language -> intro.
    pub section_intros: BTreeMap<String, BTreeMap<String, Intro>>,
    /// Section folders found, sorted.
    pub sections: Vec<String>,
    /// Sorted by file path.
    pub entries: Vec<RawEntry>,
    /// Drafts left out of this load (`draft: true` without `--drafts`), sorted by file path:
    /// their plaque codes stay theirs, and a printed one keeps answering (`site::Held`).
    pub held: Vec<RawEntry>,
    pub warnings: Vec<Diagnostic>,
}

/// Files as a change will leave them, over what is on disk: for checking a change (an editor
/// save, an import) as a build would see it, before anything is written.
#[derive(Debug, Default, Clone)]
pub struct Staged {
    /// New or changed Markdown files' text, relative to the site folder.
    pub texts: BTreeMap<PathBuf, String>,
    /// Files the change removes, relative to the site folder.
    pub removed: BTreeSet<PathBuf>,
    /// Bundle files the change adds (photos, audio), relative to the site folder.
    pub added: BTreeSet<PathBuf>,
}

impl Staged {
    fn is_empty(&self) -> bool {
        self.texts.is_empty() && self.removed.is_empty() && self.added.is_empty()
    }
}

/// Where a Markdown file sits in the content tree.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    HomeIntro,
    SectionIntro {
        section: String,
    },
    Entry {
        section: String,
        slug: String,
        bundle: bool,
    },
}

#[derive(Debug)]
struct Found {
    rel: PathBuf,
    role: Role,
    lang: String,
}

#[derive(Clone)]
enum Parsed {
    Intro(Intro),
    Entry(Box<FrontMatter>, Text, String),
    Translation(TranslationMatter, Text),
}

/// Files parsed by an earlier load, kept by `serve` so that a rebuild after one edit parses one
/// file: path -> (length, modification time, what it parsed to).
#[derive(Default)]
pub struct Memo(parking_lot::Mutex<HashMap<PathBuf, (u64, std::time::SystemTime, Parsed)>>);

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl Memo {
    fn parse(
        &self,
        site: &Path,
        f: &Found,
        config: &Config,
    ) -> std::result::Result<Parsed, Diagnostic> {
        let stamp = std::fs::metadata(site.join(&f.rel))
            .ok()
            .and_then(|m| Some((m.len(), m.modified().ok()?)));
        if let Some((len, mtime)) = stamp {
            let kept = self.0.lock().get(&f.rel).cloned();
            if let Some((l, m, parsed)) = kept {
                if l == len && m == mtime {
                    return Ok(parsed);
                }
            }
        }
        let parsed = parse_file(site, f, config)?;
        if let Some((len, mtime)) = stamp {
            self.0
                .lock()
                .insert(f.rel.clone(), (len, mtime, parsed.clone()));
        }
        Ok(parsed)
    }
}

/// Read every Markdown file under `<site>/content` (through `memo`, when given).
pub fn load(site: &Path, config: &Config, drafts: bool, memo: Option<&Memo>) -> Result<Loaded> {
    load_staged(site, config, drafts, memo, &Staged::default())
}

/// `load`, with the files of `staged` in place of what is on disk.
pub fn load_staged(
    site: &Path,
    config: &Config,
    drafts: bool,
    memo: Option<&Memo>,
    staged: &Staged,
) -> Result<Loaded> {
    let mut diags = Diagnostics::default();
    let root = site.join(CONTENT_DIR);
    if !root.is_dir() {
        diags.push(
            Diagnostic::error(CONTENT_DIR, "there is no content/ folder")
                .hint("make content/relics/ or content/homestays/ and put one Markdown file per place in it (`waymark new relic \"Tên\"` does this)"),
        );
        return diags.into_result().map(|_| Loaded::default());
    }
    let (mut found, sections, mut bundle_assets) = walk(site, &root, config, &mut diags);
    if !staged.is_empty() {
        stage(staged, config, &mut found, &mut bundle_assets, &mut diags);
    }

    let parsed: Vec<(Found, std::result::Result<Parsed, Diagnostic>)> = found
        .into_par_iter()
        .map(|f| {
            let r = match (staged.texts.get(&f.rel), memo) {
                (Some(text), _) => {
                    parse_text(decode(text.clone().into_bytes(), &f.rel), &f, config)
                }
                (None, Some(m)) => m.parse(site, &f, config),
                (None, None) => parse_file(site, &f, config),
            };
            (f, r)
        })
        .collect();

    let mut loaded = Loaded {
        sections,
        ..Loaded::default()
    };
    let mut defaults: BTreeMap<(String, String), Vec<(RawEntry, bool)>> = BTreeMap::new();
    let mut translations: Vec<(String, String, String, TranslationMatter, Text)> = Vec::new();
    let mut held: BTreeMap<(String, String), RawEntry> = BTreeMap::new();
    // Entries whose default file did not read: their translations are not orphans, and saying
    // so would put a second, misleading error before the one to fix.
    let mut unread: HashSet<(String, String)> = HashSet::new();
    for (f, r) in parsed {
        let p = match r {
            Ok(p) => p,
            Err(d) => {
                if let (Role::Entry { section, slug, .. }, true) =
                    (&f.role, f.lang == config.default_language)
                {
                    unread.insert((section.clone(), slug.clone()));
                }
                diags.push(d);
                continue;
            }
        };
        match (f.role, p) {
            (Role::HomeIntro, Parsed::Intro(i)) => {
                loaded.home.insert(f.lang, i);
            }
            (Role::SectionIntro { section }, Parsed::Intro(i)) => {
                loaded
                    .section_intros
                    .entry(section)
                    .or_default()
                    .insert(f.lang, i);
            }
            (
                Role::Entry {
                    section,
                    slug,
                    bundle,
                },
                Parsed::Entry(matter, text, yaml),
            ) => {
                let bundle_dir =
                    bundle.then(|| f.rel.parent().unwrap_or(Path::new("")).to_path_buf());
                let assets = bundle_dir
                    .as_ref()
                    .and_then(|b| bundle_assets.get(b).cloned())
                    .unwrap_or_default();
                let draft = matter.draft;
                let mut texts = BTreeMap::new();
                texts.insert(config.default_language.clone(), text);
                defaults
                    .entry((section.clone(), slug.clone()))
                    .or_default()
                    .push((
                        RawEntry {
                            section,
                            slug,
                            file: f.rel,
                            bundle: bundle_dir,
                            assets,
                            matter: *matter,
                            yaml,
                            yaml_line: 2,
                            texts,
                        },
                        draft,
                    ));
            }
            (Role::Entry { section, slug, .. }, Parsed::Translation(m, text)) => {
                translations.push((section, slug, f.lang, m, text));
            }
            _ => unreachable!("parse_file returns the kind its role asks for"),
        }
    }

    for ((section, slug), mut list) in std::mem::take(&mut defaults) {
        if list.len() > 1 {
            let files: Vec<String> = list
                .iter()
                .map(|(e, _)| e.file.display().to_string())
                .collect();
            for (e, _) in &list {
                diags.push(
                    Diagnostic::error(
                        &e.file,
                        format!(
                            "two entries have the slug `{slug}` in {section}/: {}",
                            files.join(" and ")
                        ),
                    )
                    .hint("rename one of the files or folders; each place needs its own address")
                    .vi("hai mục có cùng địa chỉ: đổi tên một tệp hoặc thư mục"),
                );
            }
            continue;
        }
        let (entry, draft) = list.pop().expect("one entry");
        if draft && !drafts {
            held.insert((section, slug), entry);
            continue;
        }
        defaults.insert((section, slug), vec![(entry, draft)]);
    }
    for (section, slug, lang, m, text) in translations {
        match defaults.get_mut(&(section.clone(), slug.clone())) {
            Some(list) => {
                if m.draft && !drafts {
                    continue;
                }
                let entry = &mut list[0].0;
                if let Some(prev) = entry.texts.get(&lang) {
                    diags.push(
                        Diagnostic::error(
                            &text.file,
                            format!("a second `{lang}` translation of {}", entry.file.display()),
                        )
                        .hint(format!(
                            "keep one of {} and {}",
                            prev.file.display(),
                            text.file.display()
                        )),
                    );
                    continue;
                }
                entry.texts.insert(lang, text);
            }
            None => {
                // A translation of a draft that was left out is held with it.
                if let Some(e) = held.get_mut(&(section.clone(), slug.clone())) {
                    if !m.draft {
                        e.texts.entry(lang).or_insert(text);
                    }
                } else if !unread.contains(&(section.clone(), slug.clone())) {
                    diags.push(
                        Diagnostic::error(&text.file, format!("this `{lang}` translation has no `{}` file beside it", config.default_language))
                            .hint(format!("a translation needs the entry's default-language file (index.md or {slug}.md) with its fields; create it, or rename this file")),
                    );
                }
            }
        }
    }
    loaded.entries = defaults
        .into_values()
        .map(|mut l| l.pop().expect("one entry").0)
        .collect();
    loaded.entries.sort_by(|a, b| a.file.cmp(&b.file));
    loaded.held = held.into_values().collect();
    loaded.held.sort_by(|a, b| a.file.cmp(&b.file));

    for e in &loaded.entries {
        diags.extend(validate::entry(site, e));
    }
    let warnings = diags.into_result()?;
    loaded.warnings = warnings;
    Ok(loaded)
}

/// The Markdown Waymark reads: CommonMark with tables, footnotes, heading ids, smart
/// punctuation and strikethrough.
pub fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_STRIKETHROUGH
}

/// Check one entry file's text as a load checks it (fields, values, nesting; links are
/// resolved later, by the renderer): for the editor and the importer before they write, and
/// for `check_entry_bytes`.
#[allow(clippy::too_many_arguments)]
pub fn check_entry_text(
    site: &Path,
    text: &str,
    rel: &Path,
    section: &str,
    slug: &str,
    bundle: Option<PathBuf>,
    assets: Vec<String>,
) -> Vec<Diagnostic> {
    match entry_from_text(text, rel, section, slug, "") {
        Ok(mut e) => {
            e.bundle = bundle;
            e.assets = assets;
            validate::entry(site, &e)
        }
        Err(d) => vec![d],
    }
}

/// An entry's files, found without parsing them.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryFiles {
    pub section: String,
    pub slug: String,
    /// The default-language file, relative to the site folder.
    pub file: PathBuf,
    /// The bundle folder, relative to the site folder.
    pub bundle: Option<PathBuf>,
    /// Translations by language, relative to the site folder.
    pub translations: BTreeMap<String, PathBuf>,
    /// Files in the bundle other than Markdown, relative to it.
    pub assets: Vec<String>,
}

/// Every entry's files by `section/slug`, for the editor, which lists and opens entries even
/// while one of them (or the site) is broken. A slug found twice keeps its first file.
pub fn entry_files(site: &Path, config: &Config) -> BTreeMap<String, EntryFiles> {
    let mut diags = Diagnostics::default();
    let (found, _, assets) = walk(site, &site.join(CONTENT_DIR), config, &mut diags);
    let mut out: BTreeMap<String, EntryFiles> = BTreeMap::new();
    let mut translations = Vec::new();
    for f in found {
        let Role::Entry {
            section,
            slug,
            bundle,
        } = f.role
        else {
            continue;
        };
        let id = format!("{section}/{slug}");
        if f.lang != config.default_language {
            translations.push((id, f.lang, f.rel));
            continue;
        }
        let bundle = bundle.then(|| f.rel.parent().unwrap_or(Path::new("")).to_path_buf());
        let assets = bundle
            .as_ref()
            .and_then(|b| assets.get(b).cloned())
            .unwrap_or_default();
        out.entry(id).or_insert(EntryFiles {
            section,
            slug,
            file: f.rel,
            bundle,
            translations: BTreeMap::new(),
            assets,
        });
    }
    for (id, lang, rel) in translations {
        if let Some(e) = out.get_mut(&id) {
            e.translations.entry(lang).or_insert(rel);
        }
    }
    out
}

/// Find the Markdown files and bundle assets. Hidden files and symlinks are not followed.
#[allow(clippy::type_complexity)]
fn walk(
    site: &Path,
    root: &Path,
    config: &Config,
    diags: &mut Diagnostics,
) -> (Vec<Found>, Vec<String>, BTreeMap<PathBuf, Vec<String>>) {
    let mut found = Vec::new();
    let mut sections = Vec::new();
    let mut assets: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for item in walker {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| rel(site, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                diags.push(Diagnostic::error(p, format!("cannot read: {e}")));
                continue;
            }
        };
        let relp = rel(site, item.path());
        let depth = item.depth();
        if item.file_type().is_dir() {
            if depth == 1 {
                let name = item.file_name().to_string_lossy().into_owned();
                if RESERVED.contains(&name.as_str()) || config.languages.contains(&name) {
                    diags.push(
                        Diagnostic::error(
                            &relp,
                            format!(
                                "`{name}` is an address Waymark uses for its own pages (/{name}/…)"
                            ),
                        )
                        .hint(format!(
                            "rename the folder, for example to `content/{name}-list/`"
                        ))
                        .vi(format!(
                            "thư mục `{name}` trùng với địa chỉ Waymark dùng cho trang riêng: hãy đổi tên thư mục"
                        )),
                    );
                }
                sections.push(name);
            }
            continue;
        }
        if !item.file_type().is_file() {
            // Links are never followed: nothing outside the site is read or published.
            if item.path_is_symlink() {
                diags.push(
                    Diagnostic::warning(&relp, "this is a link, and Waymark does not follow links")
                        .hint("copy the file or folder itself here if it belongs to the site"),
                );
            }
            continue;
        }
        let name = item.file_name().to_string_lossy().into_owned();
        let is_md = name.ends_with(".md");
        if !is_md {
            if depth >= 3 {
                // A bundle's files, in subfolders too: `photos/cong.jpg`.
                let bundle: PathBuf = relp.components().take(3).collect();
                let inner: Vec<String> = relp
                    .components()
                    .skip(3)
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                assets.entry(bundle).or_default().push(inner.join("/"));
            }
            continue;
        }
        if let Some(f) = classify(relp, depth, &name, config, diags) {
            found.push(f);
        }
    }
    (found, sections, assets)
}

/// Where a Markdown file at `relp` (`depth` folders below content/) sits: an intro, an entry or
/// a translation; None, with the reason in `diags`, for a file that is not read.
fn classify(
    relp: PathBuf,
    depth: usize,
    name: &str,
    config: &Config,
    diags: &mut Diagnostics,
) -> Option<Found> {
    let stem = &name[..name.len() - 3];
    let (base, lang) = split_lang(stem, config);
    let lang = match lang {
        Ok(l) => l,
        Err(code) => {
            diags.push(
                Diagnostic::error(
                    &relp,
                    format!(
                        "language `{code}` in the file name is not in site.yaml's languages [{}]",
                        config.languages.join(", ")
                    ),
                )
                .hint(format!(
                    "add `{code}` to `languages` in site.yaml, or rename the file"
                )),
            );
            return None;
        }
    };
    let comps: Vec<String> = relp
        .components()
        .skip(1)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let role = match (depth, base) {
        (1, "_index") => Role::HomeIntro,
        (2, "_index") => Role::SectionIntro {
            section: comps[0].clone(),
        },
        (2, slug) => Role::Entry {
            section: comps[0].clone(),
            slug: crate::slug::slugify(slug),
            bundle: false,
        },
        (3, "index") => Role::Entry {
            section: comps[0].clone(),
            slug: crate::slug::slugify(&comps[1]),
            bundle: true,
        },
        (1, _) => {
            diags.push(
                Diagnostic::error(&relp, "an entry must sit in a section folder")
                    .hint("move it to content/relics/ or content/homestays/ (only _index.md belongs directly in content/)"),
            );
            return None;
        }
        _ => {
            diags.push(
                Diagnostic::warning(&relp, "this Markdown file is not read")
                    .hint("an entry is content/<section>/<slug>.md or content/<section>/<slug>/index.md; move it there, or rename it to .txt"),
            );
            return None;
        }
    };
    if let Role::Entry { slug, .. } = &role {
        if slug.is_empty() {
            diags.push(
                Diagnostic::error(&relp, "the file or folder name gives an empty slug")
                    .hint("name it with letters or digits, e.g. den-ky-cung"),
            );
            return None;
        }
    }
    Some(Found {
        rel: relp,
        role,
        lang: lang.to_string(),
    })
}

/// Put a change's files over what `walk` found on disk.
fn stage(
    staged: &Staged,
    config: &Config,
    found: &mut Vec<Found>,
    assets: &mut BTreeMap<PathBuf, Vec<String>>,
    diags: &mut Diagnostics,
) {
    found.retain(|f| !staged.removed.contains(&f.rel));
    for rel in staged.texts.keys() {
        if found.iter().any(|f| f.rel == *rel) {
            continue;
        }
        let depth = rel.components().count().saturating_sub(1);
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(f) = classify(rel.clone(), depth, &name, config, diags) {
            found.push(f);
        }
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    for (bundle, names) in assets.iter_mut() {
        names.retain(|n| !staged.removed.contains(&bundle.join(n)));
    }
    for rel in &staged.added {
        if rel.components().count() > 3 {
            let bundle: PathBuf = rel.components().take(3).collect();
            let inner: Vec<String> = rel
                .components()
                .skip(3)
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let list = assets.entry(bundle).or_default();
            list.push(inner.join("/"));
            list.sort();
            list.dedup();
        }
    }
}

/// `index.en` -> (`index`, Ok("en")); `index` -> (`index`, Ok(default));
/// `index.fr` with fr not configured -> Err("fr").
fn split_lang<'a>(
    stem: &'a str,
    config: &'a Config,
) -> (&'a str, std::result::Result<&'a str, String>) {
    if let Some((base, suffix)) = stem.rsplit_once('.') {
        if config.languages.iter().any(|l| l == suffix) {
            return (base, Ok(suffix));
        }
        let looks_like_lang =
            (2..=3).contains(&suffix.len()) && suffix.chars().all(|c| c.is_ascii_lowercase());
        if looks_like_lang {
            return (base, Err(suffix.to_string()));
        }
    }
    (stem, Ok(config.default_language.as_str()))
}

fn rel(site: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(site).unwrap_or(p).to_path_buf()
}

/// A content file's bytes as text: UTF-8 required, a byte-order mark dropped, CRLF and CR made
/// LF (line numbers stay the same).
pub fn decode(bytes: Vec<u8>, rel: &Path) -> std::result::Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        Diagnostic::error(rel, "the file is not valid UTF-8 text")
            .at(line, None)
            .hint("save it as UTF-8 (in most editors: Save with encoding → UTF-8)")
            .vi("tệp không phải văn bản UTF-8: lưu lại với mã hoá UTF-8")
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    // A lone CR (old Mac files) is a line break too, for YAML and for editors: count it as one.
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

/// An entry from the text of its default-language file, as `load` would read it from `rel` (a
/// single file, not a bundle): for building a model without a folder (tests, importers).
pub fn entry_from_text(
    text: &str,
    rel: &Path,
    section: &str,
    slug: &str,
    default_language: &str,
) -> std::result::Result<RawEntry, Diagnostic> {
    let split = front_matter::split(text, rel)?;
    let matter = front_matter::parse_entry(&split, rel, text)?;
    let own = Text {
        title: matter.title.clone(),
        summary: matter.summary.clone(),
        address: matter.address.clone(),
        body: split.body.into(),
        body_line: split.body_line,
        file: rel.to_path_buf(),
        images: Vec::new(),
    };
    Ok(RawEntry {
        section: section.to_string(),
        slug: slug.to_string(),
        file: rel.to_path_buf(),
        bundle: None,
        assets: Vec::new(),
        yaml: split.yaml.to_string(),
        yaml_line: split.yaml_line,
        texts: BTreeMap::from([(default_language.to_string(), own)]),
        matter,
    })
}

/// Check one entry file from its bytes alone, as the build would (fields, values, links left
/// unresolved): for `waymark check` of a single file and for fuzzing.
pub fn check_entry_bytes(bytes: Vec<u8>, rel: &Path, section: &str) -> Vec<Diagnostic> {
    let text = match decode(bytes, rel) {
        Ok(t) => t,
        Err(d) => return vec![d],
    };
    let slug = front_matter::split(&text, rel)
        .ok()
        .and_then(|s| front_matter::parse_entry(&s, rel, &text).ok())
        .map(|m| crate::slug::slugify(&m.title))
        .unwrap_or_default();
    check_entry_text(
        Path::new("/nonexistent"),
        &text,
        rel,
        section,
        &slug,
        None,
        Vec::new(),
    )
}

fn parse_file(site: &Path, f: &Found, config: &Config) -> std::result::Result<Parsed, Diagnostic> {
    let bytes = std::fs::read(site.join(&f.rel))
        .map_err(|e| Diagnostic::error(&f.rel, format!("cannot read: {e}")))?;
    parse_text(decode(bytes, &f.rel), f, config)
}

fn parse_text(
    text: std::result::Result<String, Diagnostic>,
    f: &Found,
    config: &Config,
) -> std::result::Result<Parsed, Diagnostic> {
    let text = text?;
    let split = front_matter::split(&text, &f.rel)?;
    let body = split.body.to_string();
    match &f.role {
        Role::HomeIntro | Role::SectionIntro { .. } => {
            let m = front_matter::parse_intro(&split, &f.rel, &text)?;
            Ok(Parsed::Intro(Intro {
                title: m.title,
                summary: m.summary,
                body,
                body_line: split.body_line,
                file: f.rel.clone(),
            }))
        }
        Role::Entry { .. } if f.lang == config.default_language => {
            let m = front_matter::parse_entry(&split, &f.rel, &text)?;
            let text_part = Text {
                title: m.title.clone(),
                summary: m.summary.clone(),
                address: m.address.clone(),
                body: body.into(),
                body_line: split.body_line,
                file: f.rel.clone(),
                images: Vec::new(),
            };
            Ok(Parsed::Entry(
                Box::new(m),
                text_part,
                split.yaml.to_string(),
            ))
        }
        Role::Entry { .. } => {
            let m = front_matter::parse_translation(&split, &f.rel, &text)?;
            let t = Text {
                title: m.title.clone(),
                summary: m.summary.clone(),
                address: m.address.clone(),
                body: body.into(),
                body_line: split.body_line,
                file: f.rel.clone(),
                images: m.images.clone(),
            };
            Ok(Parsed::Translation(m, t))
        }
    }
}
