//! The fastest rebuild: when an edit changed an existing entry's text or front matter, but not
//! what makes the site's structure (its code, draft state, photos, audio, plaque size; a district
//! or tag whose list gains or loses a page), the kept model is patched in place without loading
//! the site again. The entry's own pages are rendered first; when lists show what changed (a
//! title, summary, tags, date, district, place, ranking or price), the lists and the pages whose
//! nearby lists hold the entry follow. Anything else (a new or deleted file, a theme change)
//! returns None and takes the normal rebuild.

use crate::content::front_matter::FrontMatter;
use crate::site::rebuild::TextEdit as Edit;
use crate::site::{Nearby, Site};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What a patch changed, to render in two steps.
pub struct Patch {
    /// The edited entries, whose own pages are rendered first.
    pub entries: HashSet<usize>,
    /// The edited entries whose cards (what lists show) changed.
    cards: HashSet<usize>,
    /// The nearby lists before a place moved.
    nearby_before: Option<Vec<Nearby>>,
    /// How many source files were edited.
    pub edited: usize,
}

impl Patch {
    /// When lists show what changed: put the model's lists in order again, and name the other
    /// entries whose pages show the change (their nearby lists), to render with the lists.
    pub fn lists(self, site: &mut Site) -> Option<HashSet<usize>> {
        if self.cards.is_empty() {
            return None;
        }
        site.refresh_lists();
        let before = self.nearby_before.as_deref().unwrap_or(&site.nearby);
        let mut others = crate::incremental::neighbours(site, before, &self.cards);
        others.retain(|i| !self.entries.contains(i));
        Some(others)
    }
}

/// Patch `site` with what changed in `changed` (paths relative to the site folder). None, with
/// the model untouched, when the change is not one a patch can make.
pub fn apply(site: &mut Site, changed: &HashSet<PathBuf>) -> Option<Patch> {
    if changed.is_empty() {
        return None;
    }
    let mut edits = Vec::new();
    for rel in changed {
        let Some(&i) = site.by_file.get(rel) else {
            // A folder that held entries, moved or removed (a bundle deleted), changes the site;
            // an editor's (or sed's) temporary file, written and renamed away, does not.
            if site.root.join(rel).exists() || site.by_file.keys().any(|f| f.starts_with(rel)) {
                return None;
            }
            continue;
        };
        edits.push((i, rel, edit_of(site, i, rel)?));
    }
    if edits.is_empty() {
        return None;
    }
    // A district or tag that gains or loses its page, or a page of its list, changes the site's
    // files: the normal rebuild.
    let new_matter: HashMap<usize, &FrontMatter> = edits
        .iter()
        .filter_map(|(i, _, e)| e.matter.as_ref().map(|m| (*i, m)))
        .collect();
    let matter = |i: usize| {
        new_matter
            .get(&i)
            .copied()
            .unwrap_or(&site.entries[i].matter)
    };
    let regrouped = |names: &dyn Fn(&FrontMatter) -> &[String], now: &[crate::site::Group]| {
        let changed = new_matter
            .iter()
            .any(|(&i, m)| names(m) != names(&site.entries[i].matter));
        let pages = |n: usize| site.config.list_pages(n);
        changed
            && crate::site::group_sizes((0..site.entries.len()).map(|i| names(matter(i))))
                .iter()
                .map(|(slug, n)| (slug, pages(*n)))
                .ne(now.iter().map(|g| (&g.slug, pages(g.entries.len()))))
    };
    if regrouped(&|m| m.district.as_slice(), &site.districts) || regrouped(&|m| &m.tags, &site.tags)
    {
        return None;
    }
    let (mut entries, mut cards, edited) = (HashSet::new(), HashSet::new(), edits.len());
    let mut moved = false;
    for (i, rel, edit) in edits {
        let card_before = crate::incremental::card(&site.entries[i]);
        // The file's text is always found: `edit_of` checked that the model holds it.
        moved |= site.edit_entry(i, rel, edit);
        entries.insert(i);
        if crate::incremental::card(&site.entries[i]) != card_before {
            cards.insert(i);
        }
    }
    // The entry's own page lists the places near it: found again at once when it moved.
    let nearby_before = moved.then(|| {
        let before = site.nearby.clone();
        site.refresh_nearby();
        before
    });
    Some(Patch {
        entries,
        cards,
        nearby_before,
        edited,
    })
}

/// The edit of `rel` (entry `i`), read from disk, when the model can take it in place.
fn edit_of(site: &Site, i: usize, rel: &Path) -> Option<Edit> {
    let bytes = std::fs::read(site.root.join(rel)).ok()?;
    let text = crate::content::decode(bytes, rel).ok()?;
    let (j, edit) = site.text_edit(rel, &text)?;
    (j == i).then_some(edit)
}
