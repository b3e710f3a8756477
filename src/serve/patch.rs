//! The fastest rebuild: when an edit changed only the Markdown text of existing entries (the
//! most common edit, a typo fixed), the kept model is patched with the new text and only those
//! entries' pages are rendered, without loading the site again. Anything else (front matter, a
//! new or deleted file, a theme change) returns None and takes the normal rebuild.

use crate::content::front_matter;
use crate::output::OutFile;
use crate::render::Selection;
use crate::site::Site;
use crate::theme::Theme;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Patch `site` with the new text of `changed` (paths relative to the site folder) and render
/// the pages of the entries they belong to. None when the change is more than text.
pub fn text_only(
    site: &mut Site,
    theme: &Theme,
    changed: &HashSet<PathBuf>,
) -> Option<crate::error::Result<Vec<OutFile>>> {
    if changed.is_empty() {
        return None;
    }
    let mut updates = Vec::new();
    for rel in changed {
        let &i = site.by_file.get(rel)?;
        let (body, body_line) = same_matter(site, i, rel)?;
        updates.push((i, rel, body, body_line));
    }
    let mut entries = HashSet::new();
    for (i, rel, body, body_line) in updates {
        let text = site.entries[i]
            .texts
            .values_mut()
            .find(|t| t.file == *rel)?;
        text.body = body;
        text.body_line = body_line;
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
    Some(rendered.map(|_| kept.into_files()))
}

/// The new body of `rel` (entry `i`), when its front matter is exactly as the model has it.
fn same_matter(site: &Site, i: usize, rel: &Path) -> Option<(String, usize)> {
    let e = &site.entries[i];
    let bytes = std::fs::read(site.root.join(rel)).ok()?;
    let text = crate::content::decode(bytes, rel).ok()?;
    let split = front_matter::split(&text, rel).ok()?;
    if *rel == e.file {
        let m = front_matter::parse_entry(&split, rel, &text).ok()?;
        // wifi and bank are not serialised (they are never published): compare them apart.
        let same = serde_json::to_string(&m).ok()? == serde_json::to_string(&e.matter).ok()?
            && format!("{:?}{:?}", m.wifi, m.bank)
                == format!("{:?}{:?}", e.matter.wifi, e.matter.bank);
        same.then(|| (split.body.to_string(), split.body_line))
    } else {
        let m = front_matter::parse_translation(&split, rel, &text).ok()?;
        let t = e.texts.values().find(|t| t.file == *rel)?;
        let same = !m.draft
            && m.title == t.title
            && m.summary == t.summary
            && m.address == t.address
            && m.images == t.images;
        same.then(|| (split.body.to_string(), split.body_line))
    }
}
