//! Rebuild only what a change touches: compare each entry's fingerprint with the last build's and
//! re-render just the changed entries' pages (and the lists, when what they show changed).
//! An entry's card (title, summary, place...) also shows on the pages whose nearby lists hold
//! it. Anything structural (an entry added, removed, moved or given another code or language; a
//! section intro, whose title every entry page of the section shows; a district list that gains or
//! loses a page; a theme or site.yaml change) renders everything.

use crate::render::Selection;
use crate::site::{Entry, Nearby, Site};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// What the last good build looked like.
#[derive(Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Fingerprints {
    /// page id -> (everything on the entry's own pages, what lists show of it, which district
    /// and tag lists hold it, what its pin on the map shows)
    entries: HashMap<String, (u64, u64, u64, u64)>,
    /// Entries, their codes and languages, in order, and the district pages.
    structure: u64,
    /// Home and section intros.
    intros: u64,
    /// Each entry's nearby lists, by entry index.
    nearby: Vec<Nearby>,
}

fn hash(parts: &[&dyn Fn(&mut std::collections::hash_map::DefaultHasher)]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in parts {
        p(&mut h);
    }
    h.finish()
}

pub fn fingerprints(site: &Site, media: &crate::media::Media) -> Fingerprints {
    let mut entries = HashMap::with_capacity(site.entries.len());
    let mut structure = std::collections::hash_map::DefaultHasher::new();
    for e in &site.entries {
        let page = e.page_id();
        (
            &page,
            &e.code,
            e.texts.keys().collect::<Vec<_>>(),
            &e.assets,
        )
            .hash(&mut structure);
        let matter = serde_json::to_string(&e.matter).unwrap_or_default();
        // A replaced photo changes the page (its sizes) without changing the entry's text.
        let media = e.bundle.as_ref().map(|b| {
            let photos: Vec<_> = e
                .assets
                .iter()
                .map(|a| media.photos.get(&b.join(a)))
                .collect();
            let audio = e
                .matter
                .audio
                .as_ref()
                .and_then(|a| media.audio.get(&b.join(a)));
            format!("{photos:?}{audio:?}")
        });
        let full = hash(&[&|h| {
            matter.hash(h);
            media.hash(h);
            for (lang, t) in &e.texts {
                (
                    lang,
                    &t.title,
                    &t.summary,
                    &t.address,
                    &t.body,
                    &t.body_line,
                )
                    .hash(h);
            }
        }]);
        let lists = hash(&[&|h| (&e.matter.district, &e.matter.tags).hash(h)]);
        entries.insert(page, (full, card(e), lists, pin(e)));
    }
    // A district or tag page, or a page of its list, that appears or vanishes is a file added or
    // gone.
    for g in site.districts.iter().chain(&site.tags) {
        (&g.slug, site.config.list_pages(g.entries.len())).hash(&mut structure);
    }
    site.tags.len().hash(&mut structure);
    let intros = hash(&[&|h| {
        let sections: BTreeMap<&String, _> =
            site.sections.iter().map(|s| (&s.name, &s.intros)).collect();
        for (lang, i) in &site.home {
            (lang, &i.title, &i.summary, &i.body).hash(h);
        }
        for (name, intros) in sections {
            name.hash(h);
            for (lang, i) in intros {
                (lang, &i.title, &i.summary, &i.body).hash(h);
            }
        }
    }]);
    Fingerprints {
        entries,
        structure: structure.finish(),
        intros,
        nearby: site.nearby.clone(),
    }
}

/// What lists, cards, the search index, the sitemap, the map files and other entries' nearby
/// lists show of an entry: when it changes, they are rendered again. The one definition, for
/// rebuilds and patches alike.
pub fn card(e: &Entry) -> u64 {
    hash(&[&|h| {
        let m = &e.matter;
        (&m.district, &m.tags, &m.date, m.price_from).hash(h);
        format!("{:?}{:?}", m.location, m.ranking).hash(h);
        for (lang, t) in &e.texts {
            (lang, &t.title, &t.summary).hash(h);
        }
    }])
}

/// What the map page shows of an entry (`render::map`): its place, district and titles.
fn pin(e: &Entry) -> u64 {
    hash(&[&|h| {
        format!("{:?}", e.matter.location).hash(h);
        e.matter.district.hash(h);
        for (lang, t) in &e.texts {
            (lang, &t.title).hash(h);
        }
    }])
}

/// The entries whose pages show what changed of the `cards` entries: those whose nearby lists
/// hold one of them, and those whose nearby lists are not what they were (`before`).
pub fn neighbours(site: &Site, before: &[Nearby], cards: &HashSet<usize>) -> HashSet<usize> {
    if cards.is_empty() {
        return HashSet::new();
    }
    site.nearby
        .iter()
        .enumerate()
        .filter(|&(i, n)| {
            before.get(i) != Some(n)
                || n.relics
                    .iter()
                    .chain(&n.homestays)
                    .any(|(j, _)| cards.contains(j))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The pages to render after a change, or None when everything must be rendered.
pub fn selection(before: &Fingerprints, now: &Fingerprints, site: &Site) -> Option<Selection> {
    if before.structure != now.structure || before.entries.len() != now.entries.len() {
        return None;
    }
    if before.intros != now.intros {
        return None;
    }
    let (mut entries, mut cards) = (HashSet::new(), HashSet::new());
    // An entry that joined or left a district or tag list changes lists that do not hold it
    // now: then every list is rendered.
    let (mut regrouped, mut moved_pin) = (false, false);
    for (i, e) in site.entries.iter().enumerate() {
        let page = e.page_id();
        let (old, new) = (before.entries.get(&page)?, now.entries.get(&page)?);
        if old.0 != new.0 {
            entries.insert(i);
        }
        if old.1 != new.1 {
            cards.insert(i);
            regrouped |= old.2 != new.2;
            moved_pin |= old.3 != new.3;
        }
    }
    entries.extend(neighbours(site, &before.nearby, &cards));
    let lists = !cards.is_empty();
    Some(Selection {
        entries,
        lists,
        lists_of: (lists && !regrouped).then_some(cards),
        map: moved_pin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `build` keeps the fingerprints as JSON beside the site it publishes: nearby distances
    /// must read back exactly, or every entry looks moved and one title edit renders them all.
    #[test]
    fn nearby_distances_read_back_exactly() {
        let nearby: Vec<Nearby> = (0..2000u32)
            .map(|i| {
                let (a, b) = (f64::from(i) * 0.000_731, f64::from(i % 97) * 0.013_3);
                let km = 6371.0 * (a.sin() * b.cos()).acos().abs() / 7.0;
                Nearby {
                    relics: vec![(i as usize, km)],
                    homestays: vec![(0, km / 3.0)],
                }
            })
            .collect();
        let kept = Fingerprints {
            nearby: nearby.clone(),
            ..Fingerprints::default()
        };
        let read: Fingerprints =
            serde_json::from_slice(&serde_json::to_vec(&kept).unwrap()).unwrap();
        let differ = nearby.iter().zip(&read.nearby).filter(|(a, b)| a != b);
        assert_eq!(differ.count(), 0);
    }
}
