//! The one way a built model changes: `serve` patches the site it keeps when an edit changed an
//! entry's text or front matter but not the site's structure (see `serve::patch`, which decides
//! when). Everything else reads the model as `Site::from_loaded` made it. (Zola keeps this in its
//! `rebuild` component.)

use super::{districts, nearby, sort_by_title, tags, Site};
use crate::content::front_matter::FrontMatter;
use std::path::Path;

/// The new state of one file of an entry, read from disk.
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
            text.body = edit.body;
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
