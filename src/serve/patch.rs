//! The fastest rebuild: when an edit changed only what an entry's own pages show (the Markdown
//! text, a typo fixed, or front matter that no list, card, map or nearby list shows: phone, price,
//! address, booking link...), the kept model is patched and only that entry's pages are rendered,
//! without loading the site again. Anything else (a title, a place on the map, a new or deleted
//! file, a theme change) returns None and takes the normal rebuild.

use crate::content::front_matter::{self, FrontMatter};
use crate::content::RawEntry;
use crate::output::OutFile;
use crate::render::Selection;
use crate::site::Site;
use crate::theme::Theme;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Patch `site` with what changed in `changed` (paths relative to the site folder) and render
/// the pages of the entries they belong to: the files, and how many source files were edited.
/// None when the change reaches beyond those pages.
pub fn page_only(
    site: &mut Site,
    theme: &Theme,
    changed: &HashSet<PathBuf>,
) -> Option<crate::error::Result<(Vec<OutFile>, usize)>> {
    if changed.is_empty() {
        return None;
    }
    let mut edits = Vec::new();
    for rel in changed {
        let Some(&i) = site.by_file.get(rel) else {
            // An editor's (or sed's) temporary file, written and renamed away: nothing to do.
            if site.root.join(rel).exists() {
                return None;
            }
            continue;
        };
        edits.push((i, rel, page_edit(site, i, rel)?));
    }
    if edits.is_empty() {
        return None;
    }
    let (mut entries, edited) = (HashSet::new(), edits.len());
    for (i, rel, edit) in edits {
        let e = &mut site.entries[i];
        if let Some(m) = edit.matter {
            e.matter = m;
        }
        let text = e.texts.values_mut().find(|t| t.file == *rel)?;
        text.body = edit.body;
        text.body_line = edit.body_line;
        text.address = edit.address;
        entries.insert(i);
    }
    let only = Selection {
        entries,
        lists: false,
    };
    let kept = crate::output::Collect::default();
    let emit = crate::output::Emitter::new(&kept);
    let rendered = crate::render::render_some(site, theme, Some(&only), None, &emit);
    drop(emit);
    Some(rendered.map(|_| (kept.into_files(), edited)))
}

/// The new state of one file of entry `i`.
struct Edit {
    /// The default-language file's front matter.
    matter: Option<FrontMatter>,
    address: Option<String>,
    body: String,
    body_line: usize,
}

/// What lists, cards, the map, feeds, nearby lists, media and the ledger take from the front
/// matter: when all of it is as the model has it, the edit is the entry's own pages' alone.
fn seen_elsewhere(m: &FrontMatter) -> Option<String> {
    serde_json::to_string(&(
        (&m.title, &m.code, &m.summary, &m.district, &m.tags, &m.date),
        (m.draft, &m.images, &m.audio, &m.plaque_size),
        format!("{:?}{:?}", m.location, m.ranking),
    ))
    .ok()
}

/// The edit of `rel` (entry `i`), when it changes only what the entry's own pages show and the
/// loader would accept it without a word (any problem or warning takes the normal rebuild,
/// which reports it).
fn page_edit(site: &Site, i: usize, rel: &Path) -> Option<Edit> {
    let e = &site.entries[i];
    let bytes = std::fs::read(site.root.join(rel)).ok()?;
    let text = crate::content::decode(bytes, rel).ok()?;
    let split = front_matter::split(&text, rel).ok()?;
    let (body, body_line) = (split.body.to_string(), split.body_line);
    if *rel == e.file {
        let m = front_matter::parse_entry(&split, rel, &text).ok()?;
        if seen_elsewhere(&m)? != seen_elsewhere(&e.matter)? {
            return None;
        }
        let raw = RawEntry {
            section: e.section.clone(),
            slug: e.slug.clone(),
            file: rel.to_path_buf(),
            bundle: e.bundle.clone(),
            assets: e.assets.clone(),
            yaml: split.yaml.to_string(),
            yaml_line: split.yaml_line,
            texts: Default::default(),
            matter: m,
        };
        if !crate::content::validate_entry(&site.root, &raw).is_empty() {
            return None;
        }
        Some(Edit {
            address: raw.matter.address.clone(),
            matter: Some(raw.matter),
            body,
            body_line,
        })
    } else {
        let m = front_matter::parse_translation(&split, rel, &text).ok()?;
        let t = e.texts.values().find(|t| t.file == *rel)?;
        let same = !m.draft && m.title == t.title && m.summary == t.summary && m.images == t.images;
        same.then_some(Edit {
            matter: None,
            address: m.address,
            body,
            body_line,
        })
    }
}
