//! The one way a built model changes: `serve` patches the site it keeps when an edit changed an
//! entry's text or front matter but not the site's structure (see `serve::patch`, which decides
//! when). Everything else reads the model as `Site::from_loaded` made it. (Zola keeps this in its
//! `rebuild` component.)

use super::{districts, nearby, sort_by_title, tags, Site};
use crate::content::front_matter::{self, FrontMatter};
use crate::content::RawEntry;
use std::path::Path;

/// The new state of one file of an entry.
pub struct TextEdit {
    /// The default-language file's front matter (None for a translation).
    pub matter: Option<FrontMatter>,
    pub title: String,
    pub summary: Option<String>,
    pub address: Option<String>,
    pub body: String,
    pub body_line: usize,
}

impl Site {
    /// The edit that `text` makes of the model's file `rel`, with its entry's index, when the
    /// model can take it in place: the file is one of an entry's, and the text keeps what makes
    /// the site's structure (code, draft state, photos, audio, plaque size) and passes the
    /// loader's checks without a word (any problem or warning takes a whole load, which reports
    /// it). None otherwise.
    pub fn text_edit(&self, rel: &Path, text: &str) -> Option<(usize, TextEdit)> {
        let &i = self.by_file.get(rel)?;
        let e = &self.entries[i];
        let split = front_matter::split(text, rel).ok()?;
        let (body, body_line) = (split.body.to_string(), split.body_line);
        // The model holds this file's text (checked here, so that a patch never stops half-way).
        let held = e.texts.values().find(|t| t.file == rel)?;
        if rel != e.file {
            let m = front_matter::parse_translation(&split, rel, text).ok()?;
            if m.draft || m.images != held.images || m.title.trim().is_empty() {
                return None;
            }
            let edit = TextEdit {
                matter: None,
                title: m.title,
                summary: m.summary,
                address: m.address,
                body,
                body_line,
            };
            return Some((i, edit));
        }
        let m = front_matter::parse_entry(&split, rel, text).ok()?;
        if structure(&m)? != structure(&e.matter)? {
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
        if !crate::content::validate_entry(&self.root, &raw).is_empty() {
            return None;
        }
        let m = raw.matter;
        let edit = TextEdit {
            title: m.title.clone(),
            summary: m.summary.clone(),
            address: m.address.clone(),
            matter: Some(m),
            body,
            body_line,
        };
        Some((i, edit))
    }

    /// Put the edit of entry `i`'s file `rel` into the model; whether its place moved.
    pub fn edit_entry(&mut self, i: usize, rel: &Path, edit: TextEdit) -> bool {
        let e = &mut self.entries[i];
        let mut moved = false;
        if let Some(m) = edit.matter {
            moved = m.location != e.matter.location;
            e.matter = m;
        }
        if let Some(text) = e.texts.values_mut().find(|t| t.file == rel) {
            text.title = edit.title;
            text.summary = edit.summary;
            text.body = edit.body.into();
            text.body_line = edit.body_line;
            text.address = edit.address;
        }
        moved
    }

    /// After entries were edited in place (titles, districts; not added, removed or renamed):
    /// put each section in title order again and group the districts and tags anew.
    pub fn refresh_lists(&mut self) {
        let default = self.config.default_language.clone();
        for s in &mut self.sections {
            sort_by_title(&mut s.entries, &self.entries, &default);
        }
        self.districts = districts(&self.entries);
        self.tags = tags(&self.entries);
    }

    /// After places were moved in place: find each entry's nearby places anew.
    pub fn refresh_nearby(&mut self) {
        self.nearby = nearby(&self.entries);
    }
}

/// What makes the site's structure: files, addresses, codes, media. A change here is never
/// made in place.
fn structure(m: &FrontMatter) -> Option<String> {
    serde_json::to_string(&(&m.code, m.draft, &m.images, &m.audio, &m.plaque_size)).ok()
}
