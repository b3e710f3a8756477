//! A save of an entry's form, in the steps it takes: the uploads checked (before the lock),
//! the form rebased on the files as they are now, where the files go (`Layout`: a single file
//! that gains a photo becomes a bundle), the photos and audio placed (`Media`), the new texts
//! made and checked (`Texts`), the site as the save leaves it checked whole, then the files
//! written, undone on failure, and committed.

use super::document::{self, Change};
use super::field_msg::FieldMsg;
use super::form::Submission;
use super::{check_translation, merge, real_folders, upload, version, EditError, Editor, Saved};
use crate::config::Config;
use crate::content::front_matter::{FIELDS, TRANSLATION_FIELDS};
use crate::content::{self, EntryFiles};
use serde_yaml_ng::{Mapping, Value};
use std::path::PathBuf;

/// A photo checked, with the upload it came from.
pub(super) type CheckedPhoto<'a> = (&'a upload::Upload, upload::Photo);
/// An audio file checked, with its extension.
pub(super) type CheckedAudio<'a> = (&'a upload::Upload, String);

/// Where a save's files go.
struct Layout {
    /// The entry's bundle folder, existing or to be made.
    bundle: Option<PathBuf>,
    /// A single-file entry that becomes a bundle with this save.
    becomes_bundle: bool,
    /// The entry's default file after the save.
    main: PathBuf,
}

impl Layout {
    fn of(files: &EntryFiles, adds_media: bool) -> Layout {
        let becomes_bundle = files.bundle.is_none() && adds_media;
        let bundle = match &files.bundle {
            Some(b) => Some(b.clone()),
            None if becomes_bundle => Some(files.file.with_extension("")),
            None => None,
        };
        let main = match (&bundle, becomes_bundle) {
            (Some(b), true) => b.join("index.md"),
            _ => files.file.clone(),
        };
        Layout {
            bundle,
            becomes_bundle,
            main,
        }
    }

    /// Where the translation in `lang` goes.
    fn translation(&self, files: &EntryFiles, lang: &str) -> PathBuf {
        match (&self.bundle, files.translations.get(lang)) {
            (_, Some(existing)) if !self.becomes_bundle => existing.clone(),
            (Some(b), _) => b.join(format!("index.{lang}.md")),
            (None, _) => files.file.with_extension(format!("{lang}.md")),
        }
    }

    /// A body as it reads in its new place: files moved one folder down keep their relative
    /// links working. `None` when the body stays as it is.
    fn moved_body(&self, body: Option<&str>, file_text: &str) -> Option<String> {
        if !self.becomes_bundle {
            return body.map(str::to_string);
        }
        let b = body
            .map(str::to_string)
            .unwrap_or_else(|| document::body(file_text).unwrap_or_default());
        Some(crate::render::markdown::rebase_links(&b, "../"))
    }
}

/// A save's photos and audio placed in the bundle.
struct Media<'a> {
    /// The fields that list them (`images`, `audio`).
    changes: Vec<Change>,
    /// New files: (path in the site, bytes).
    files: Vec<(PathBuf, &'a [u8])>,
    /// Bundle files the save removes, by name.
    removed: Vec<String>,
    /// The bundle's files by name after the save, removed ones included.
    names: Vec<String>,
}

/// The texts a save writes.
struct Texts {
    main: String,
    /// Translations: (path, text, the file it replaces when it moves).
    translations: Vec<(PathBuf, String, Option<String>)>,
    /// What the checks said (warnings alone do not stop the save).
    msgs: Vec<FieldMsg>,
}

/// A save checked and ready to write (or to keep for approval): the entry's files, the form
/// rebased on them, where its files go, its photos and its texts.
pub(super) struct Prepared<'a> {
    pub(super) files: EntryFiles,
    /// The entry's file as it is now.
    pub(super) text: String,
    /// The form, rebased on `text`: with the version of `text`.
    pub(super) sub: Submission,
    layout: Layout,
    media: Media<'a>,
    texts: Texts,
}

impl Prepared<'_> {
    /// The files as the save would leave them: texts written, files added and removed.
    pub(super) fn staged(&self) -> content::Staged {
        staged(&self.layout, &self.files, &self.texts, &self.media)
    }

    /// The entry's file after the save, and the path it goes to.
    pub(super) fn main(&self) -> (&PathBuf, &str) {
        (&self.layout.main, &self.texts.main)
    }

    pub(super) fn warnings(&self) -> &[FieldMsg] {
        &self.texts.msgs
    }
}

impl Editor {
    /// Check and write what a volunteer asked for.
    pub fn save(&self, id: &str, sub: Submission, label: &str) -> Result<Saved, EditError> {
        let config = self.config().map_err(|e| EditError::Io(e.to_string()))?;
        let mut sub = sub;
        let (uploads, audio_upload) = (std::mem::take(&mut sub.photos), sub.audio.take());
        // Uploads are checked before anything waits for the lock.
        let (photos, audio) = self.check_uploads(&uploads, audio_upload.as_ref())?;
        // The remote's newest commits first: a change there to a field this person changed is
        // then a clash at that field (`rebase`), never merged blindly.
        self.take_remote_first();

        let _one = self.write.lock();
        let _lock = crate::lock::SiteLock::take(&self.site);
        if let Some(busy) = self.git_busy() {
            return Err(EditError::Busy(busy));
        }
        let p = self.prepare(&config, id, sub, &photos, audio.as_ref())?;
        let main_changed = p.text != p.texts.main;
        let written = self.write_save(&p.layout, &p.files, &p.texts, &p.media, main_changed)?;
        let at = std::time::Instant::now();
        self.record(&written, &format!("edit {id}"), label);
        Ok(Saved {
            files: written,
            warnings: p.texts.msgs,
            at,
        })
    }

    /// Everything a save does but writing, to be called under the locks: the form rebased on
    /// the files as they are now, the photos placed, the texts made and checked, and the site as
    /// the save leaves it checked whole.
    pub(super) fn prepare<'a>(
        &self,
        config: &Config,
        id: &str,
        sub: Submission,
        photos: &[CheckedPhoto<'a>],
        audio: Option<&CheckedAudio<'a>>,
    ) -> Result<Prepared<'a>, EditError> {
        let files = self.entries(config).remove(id).ok_or(EditError::Gone)?;
        let text = self.read(&files.file)?;
        let sub = self.rebase(sub, &text, &files)?;
        let current = document::fields(&text);
        let sub = price_checked_today(sub, &current, &config.timezone);
        let layout = Layout::of(&files, !photos.is_empty() || audio.is_some());
        let media = place_media(&layout, &files, &sub, &current, photos, audio);
        let texts = self.new_texts(config, &layout, &files, &sub, &text, &current, &media)?;
        if version(text.as_bytes()) != sub.version {
            return Err(EditError::Conflict {
                file: files.file.clone(),
                on_disk: text,
                yours: texts.main,
            });
        }
        if texts.msgs.iter().any(|m| !m.warning) {
            return Err(EditError::Invalid(texts.msgs));
        }
        self.check_site(config, id, &layout, &files, &texts, &media)?;
        Ok(Prepared {
            files,
            text,
            sub,
            layout,
            media,
            texts,
        })
    }

    /// Step one of a save: photos and audio checked whole (type, size, pixels), each with the
    /// bundle-file extension it will have; any refused is a message at its input.
    pub(super) fn check_uploads<'a>(
        &self,
        uploads: &'a [upload::Upload],
        audio: Option<&'a upload::Upload>,
    ) -> Result<(Vec<CheckedPhoto<'a>>, Option<CheckedAudio<'a>>), EditError> {
        let mut msgs = Vec::new();
        let mut photos = Vec::new();
        for p in uploads {
            match upload::check_photo(p) {
                Ok(checked) => photos.push((p, checked)),
                Err(r) => msgs.push(FieldMsg::error("photos", r.en, r.vi)),
            }
        }
        let scratch = self.site.join(crate::output::CACHE_ROOT);
        let _ = std::fs::create_dir_all(&scratch);
        let audio = match audio {
            Some(a) => match upload::check_audio(a, &scratch) {
                Ok(ext) => Some((a, ext)),
                Err(r) => {
                    msgs.push(FieldMsg::error("audio", r.en, r.vi));
                    None
                }
            },
            None => None,
        };
        if msgs.is_empty() {
            Ok((photos, audio))
        } else {
            Err(EditError::Invalid(msgs))
        }
    }

    /// A save from a form made from an older version of the files: only what this person
    /// changed, applied to the files as they are now; a field both sides changed is a clash.
    /// Without the older version (a form from before a restart that lost it) the save goes on
    /// to the whole-file conflict.
    fn rebase(
        &self,
        sub: Submission,
        text: &str,
        files: &EntryFiles,
    ) -> Result<Submission, EditError> {
        let mut sub = sub;
        let mut clashes = Vec::new();
        if version(text.as_bytes()) != sub.version {
            if let Some(base) = self.seen.text(&sub.version) {
                let (rebased, found) = merge::rebase(&base, text, sub);
                sub = rebased;
                clashes.extend(found);
            }
        }
        for (lang, t) in std::mem::take(&mut sub.translations) {
            let now = match (files.translations.get(&lang), &t.version) {
                (Some(rel), Some(_)) => Some(self.read(rel)?),
                _ => None,
            };
            let base = t.version.as_deref().and_then(|v| self.seen.text(v));
            let t = match (now, base) {
                (Some(now), Some(base)) if Some(version(now.as_bytes())) != t.version => {
                    let (rebased, found) = merge::rebase_translation(&lang, &base, &now, t);
                    clashes.extend(found);
                    rebased
                }
                _ => t,
            };
            sub.translations.insert(lang, t);
        }
        if clashes.is_empty() {
            return Ok(sub);
        }
        sub.photos.clear();
        sub.audio = None;
        Err(EditError::Clash {
            clashes,
            sub: Box::new(sub),
        })
    }

    /// The new texts of the entry and its translations, each checked as a build checks it.
    #[allow(clippy::too_many_arguments)]
    fn new_texts(
        &self,
        config: &Config,
        layout: &Layout,
        files: &EntryFiles,
        sub: &Submission,
        text: &str,
        current: &Mapping,
        media: &Media,
    ) -> Result<Texts, EditError> {
        let mut changes = sub.changes.clone();
        changes.extend(media.changes.iter().cloned());
        let main_body = layout.moved_body(sub.body.as_deref(), text);
        let main = document::apply(text, &changes, main_body.as_deref(), FIELDS)
            .map_err(|e| EditError::Invalid(vec![FieldMsg::error("", e.clone(), e)]))?;
        let assets: Vec<String> = media
            .names
            .iter()
            .filter(|a| !media.removed.contains(a))
            .cloned()
            .collect();
        let mut msgs = self.check_main(
            &main,
            &layout.main,
            files,
            layout.bundle.clone(),
            assets,
            current,
        );
        let mut translations: Vec<(PathBuf, String, Option<String>)> = Vec::new();
        for (lang, t) in &sub.translations {
            if !config.languages.contains(lang) || *lang == config.default_language {
                continue;
            }
            let rel = layout.translation(files, lang);
            let (base, was) = match files.translations.get(lang) {
                Some(existing) => {
                    let now = self.read(existing)?;
                    (now.clone(), Some((existing.clone(), now)))
                }
                // The scaffold `waymark new --lang` writes, its fields then set like any edit.
                None => (crate::scaffold::translation_text(""), None),
            };
            // A translation opened as new that someone else has made meanwhile, or one that changed.
            let stale = match (&t.version, &was) {
                (Some(v), Some((_, now))) => *v != version(now.as_bytes()),
                (None, Some(_)) => true,
                (Some(_), None) => true,
                (None, None) => false,
            };
            let body = layout.moved_body(t.body.as_deref(), &base);
            let new_text = document::apply(&base, &t.changes, body.as_deref(), TRANSLATION_FIELDS)
                .map_err(|e| {
                    EditError::Invalid(vec![FieldMsg::error(&format!("t.{lang}"), e.clone(), e)])
                })?;
            if stale {
                return Err(EditError::Conflict {
                    file: rel,
                    on_disk: was.map(|(_, now)| now).unwrap_or_default(),
                    yours: new_text,
                });
            }
            if new_text == base && was.is_some() && !layout.becomes_bundle {
                continue;
            }
            msgs.extend(check_translation(&new_text, &rel, lang));
            translations.push((rel, new_text, was.map(|(p, _)| p.display().to_string())));
        }
        if layout.becomes_bundle {
            // Translations the form left alone move into the bundle as they are.
            for (lang, old) in &files.translations {
                let to = layout.translation(files, lang);
                if translations.iter().any(|(rel, _, _)| *rel == to) {
                    continue;
                }
                let now = self.read(old)?;
                let moved = document::apply(
                    &now,
                    &[],
                    layout.moved_body(None, &now).as_deref(),
                    TRANSLATION_FIELDS,
                )
                .map_err(|e| EditError::Io(format!("{}: {e}", old.display())))?;
                translations.push((to, moved, Some(old.display().to_string())));
            }
        }
        Ok(Texts {
            main,
            translations,
            msgs,
        })
    }

    /// The whole site as this save leaves it must still build; and the bundle must be a real
    /// folder of the site's.
    fn check_site(
        &self,
        config: &Config,
        id: &str,
        layout: &Layout,
        files: &EntryFiles,
        texts: &Texts,
        media: &Media,
    ) -> Result<(), EditError> {
        let staged = staged(layout, files, texts, media);
        let site_problems = self.site_problems(config, &staged, id);
        if !site_problems.is_empty() {
            return Err(EditError::Invalid(site_problems));
        }
        if let Some(b) = layout
            .bundle
            .as_ref()
            .filter(|b| !real_folders(&self.site, b))
        {
            let name = b.display().to_string();
            return Err(EditError::Invalid(vec![FieldMsg::error(
                "photos",
                format!("`{name}` is a link or a file, not a folder: nothing was saved; make it a real folder"),
                format!("`{name}` là liên kết hoặc tệp, không phải thư mục: chưa lưu gì"),
            )]));
        }
        Ok(())
    }

    /// Writes new photos and audio, translations, then the entry file (`main_changed`, or
    /// moved into a new bundle); on failure the new media files are removed and nothing else
    /// was replaced. Then the files the save replaces or removes go. Returns every path
    /// written or removed, for the commit.
    fn write_save(
        &self,
        layout: &Layout,
        files: &EntryFiles,
        texts: &Texts,
        media: &Media,
        main_changed: bool,
    ) -> Result<Vec<PathBuf>, EditError> {
        // Photos, translations and the entry, all or none: a disk that fills up half-way through
        // leaves every file as it was.
        let mut written: Vec<PathBuf> = (media.files.iter().map(|(rel, _)| rel.clone()))
            .chain(texts.translations.iter().map(|(rel, _, _)| rel.clone()))
            .collect();
        let mut all: Vec<(PathBuf, &[u8])> = (media.files.iter())
            .map(|(rel, bytes)| (self.site.join(rel), *bytes))
            .chain(
                (texts.translations.iter()).map(|(rel, t, _)| (self.site.join(rel), t.as_bytes())),
            )
            .collect();
        if main_changed || layout.becomes_bundle {
            all.push((self.site.join(&layout.main), texts.main.as_bytes()));
            written.push(layout.main.clone());
        }
        if let Err(e) = crate::output::write_all_or_none(&all) {
            if let Some(b) = &layout.bundle {
                // A new bundle's folder, made before the disk filled: gone again if empty.
                let _ = std::fs::remove_dir(self.site.join(b));
            }
            return Err(EditError::Unwritten(super::field_msg::not_written(&e)));
        }
        if layout.becomes_bundle {
            // The bundle's files are written; the single files they replace go (and their
            // removal goes into the commit with them).
            for old in std::iter::once(&files.file).chain(files.translations.values()) {
                let _ = std::fs::remove_file(self.site.join(old));
                written.push(old.clone());
            }
        }
        if let Some(b) = &layout.bundle {
            for name in &media.removed {
                // Only a file the bundle has, by a name that stays inside it.
                if files.assets.contains(name) && content::validate_path_inside(name) {
                    let _ = std::fs::remove_file(self.site.join(b).join(name));
                    written.push(b.join(name));
                }
            }
        }
        Ok(written)
    }
}

/// The files as a save leaves them, for checking (and previewing) it before it is written.
fn staged(layout: &Layout, files: &EntryFiles, texts: &Texts, media: &Media) -> content::Staged {
    let mut staged = content::Staged::default();
    staged.texts.insert(layout.main.clone(), texts.main.clone());
    for (rel, t, _) in &texts.translations {
        staged.texts.insert(rel.clone(), t.clone());
    }
    if layout.becomes_bundle {
        staged.removed.insert(files.file.clone());
        staged.removed.extend(files.translations.values().cloned());
    }
    if let Some(b) = &layout.bundle {
        staged
            .removed
            .extend(media.removed.iter().map(|name| b.join(name)));
    }
    staged
        .added
        .extend(media.files.iter().map(|(rel, _)| rel.clone()));
    staged
}

/// Photos and audio: their names in the bundle, and the fields that list them.
fn place_media<'a>(
    layout: &Layout,
    files: &EntryFiles,
    sub: &Submission,
    current: &Mapping,
    photos: &[CheckedPhoto<'a>],
    audio: Option<&CheckedAudio<'a>>,
) -> Media<'a> {
    let mut media = Media {
        changes: Vec::new(),
        files: Vec::new(),
        removed: sub.removed_images.clone(),
        names: files.assets.clone(),
    };
    // Only called with media when there is a bundle (`Layout::of`).
    let in_bundle = |name: &str| layout.bundle.clone().unwrap_or_default().join(name);
    let mut images = sub
        .images
        .clone()
        .unwrap_or_else(|| match current.get("images") {
            Some(Value::Sequence(s)) => s.clone(),
            _ => Vec::new(),
        });
    for (upload, checked) in photos {
        let name = upload::bundle_name(&upload.name, checked.ext, &media.names);
        media.names.push(name.clone());
        images.push(Value::String(name.clone()));
        media.files.push((in_bundle(&name), &upload.bytes));
    }
    if sub.images.is_some() || !photos.is_empty() {
        media.changes.push((
            "images".into(),
            (!images.is_empty()).then(|| Value::Sequence(images)),
        ));
    }
    let old_audio = current.get("audio").and_then(Value::as_str);
    if let Some((upload, ext)) = audio {
        let name = upload::bundle_name(&upload.name, ext, &media.names);
        media.names.push(name.clone());
        media.files.push((in_bundle(&name), &upload.bytes));
        media.removed.extend(old_audio.map(str::to_string));
        media
            .changes
            .push(("audio".into(), Some(Value::String(name))));
    } else if sub.remove_audio {
        media.removed.extend(old_audio.map(str::to_string));
        media.changes.push(("audio".into(), None));
    }
    media
}

/// A new price is a price checked today: `price_updated` follows `price_from` when the person
/// changed the one and left the other as it was (visitors are told how old a price is).
fn price_checked_today(
    mut sub: Submission,
    current: &serde_yaml_ng::Mapping,
    tz: &str,
) -> Submission {
    let now = |key: &str| current.get(key).cloned();
    let posted = |sub: &Submission, key: &str| {
        (sub.changes.iter().rev())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let price = posted(&sub, "price_from");
    let new_price = price.is_some_and(|p| p != now("price_from"));
    let day = posted(&sub, "price_updated");
    let day_left = day.is_none_or(|d| d == now("price_updated"));
    if new_price && day_left {
        let today = serde_yaml_ng::Value::String(crate::days::today_in(tz));
        sub.changes.retain(|(k, _)| k != "price_updated");
        sub.changes.push(("price_updated".to_string(), Some(today)));
    }
    sub
}
