//! Saves that wait for an admin's approval (`editor: { review: true }` in site.yaml). A waiting
//! save is checked exactly as a save is (`Editor::prepare`: merged, every text checked, the
//! whole site built with it staged) but written outside `content/`, under
//! `.waymark-cache/editor/waiting/<key>/`, so that no build and no publish can see it: its
//! form (rebased on the file it found, which is kept as the base for merging later), the texts
//! as the save would write them, and its photos and audio as files. `record.yaml` is written
//! last, flushed, and is what makes a folder a waiting save. Approving goes through
//! `Editor::save`, merging against that base; sending back moves the record to `returned/`,
//! with the admin's note, so the author's words are never lost.

use super::document;
use super::field_msg::FieldMsg;
use super::form::Submission;
use super::upload::Upload;
use super::{EditError, Editor, Saved};
use serde_yaml_ng::Value;
use std::path::{Path, PathBuf};

/// One save kept aside: waiting for approval, or sent back to its author.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    /// Its folder's name: one a phone and entry (`key`).
    pub key: String,
    /// The entry, `section/slug`.
    pub id: String,
    /// The paired phone or owner link, as named.
    pub author: String,
    /// The session that saved it (its public id): her next save replaces it.
    pub device: String,
    /// Saved through an owner link.
    pub owner: bool,
    /// Seconds since 1970.
    pub at: u64,
    /// The form, rebased on the file it found (`texts[0].was`), its photos and audio left out.
    pub sub: Submission,
    /// Its photos and audio, as files of the folder.
    pub uploads: Vec<Kept>,
    /// The entry's files as the save found them and as it would write them, the entry's own
    /// file first.
    pub texts: Vec<Text>,
    /// Files the save would remove, and photos or audio it would add, relative to the site.
    pub removed: Vec<PathBuf>,
    pub added: Vec<PathBuf>,
    /// When sent back: who did, and what they said.
    #[serde(default)]
    pub returned_by: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A photo or audio file of a kept save.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Kept {
    /// `photos` or `audio`, as the form's inputs.
    pub input: String,
    /// Its name on the phone.
    pub name: String,
    /// Its file in the save's folder.
    pub file: String,
}

/// One file of a kept save.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Text {
    /// Where the save writes it, relative to the site.
    pub path: PathBuf,
    /// Its text when the save was made (None: a new file, such as a first translation).
    pub was: Option<String>,
    pub now: String,
}

/// Who saves.
pub struct Author<'a> {
    pub label: &'a str,
    /// The session's public id.
    pub device: &'a str,
    pub owner: bool,
}

/// Where a kept save is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelf {
    Waiting,
    Returned,
}

impl Shelf {
    fn dir(self, site: &Path) -> PathBuf {
        let name = match self {
            Shelf::Waiting => "waiting",
            Shelf::Returned => "returned",
        };
        site.join(crate::output::CACHE_ROOT)
            .join("editor")
            .join(name)
    }
}

const RECORD: &str = "record.yaml";

/// The folder name of `device`'s kept save of entry `id`: one a phone and entry, so a second
/// save from the same phone replaces the first, and two people's changes never mix.
pub fn key(id: &str, device: &str) -> String {
    format!(
        "{:016x}",
        crate::output::digest(format!("{id}\n{device}").as_bytes())
    )
}

/// A key as `key` makes it: anything else names no folder.
fn is_key(key: &str) -> bool {
    key.len() == 16 && key.bytes().all(|b| b.is_ascii_hexdigit())
}

/// One field a kept save changes, with its value before and after, as a person reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The form's input (`f.price_from`, `body`, `t.en.title`).
    pub field: String,
    /// The field's name in the file (`price_from`, `body`), for its label.
    pub name: String,
    /// The translation's language, None for the entry's own file.
    pub lang: Option<String>,
    pub before: String,
    pub after: String,
    /// For the text: its lines, each marked ` ` (kept), `-` (gone) or `+` (new).
    pub lines: Vec<(char, String)>,
}

impl Pending {
    /// What it changes, field by field, in the entry's file and each translation.
    pub fn changes(&self, default_language: &str) -> Vec<FieldChange> {
        let mut out = Vec::new();
        for t in &self.texts {
            let lang = translation_lang(&t.path).filter(|l| l != default_language);
            let prefix = match &lang {
                Some(l) => format!("t.{l}."),
                None => "f.".to_string(),
            };
            let was = t.was.as_deref().unwrap_or("");
            let (before, after) = (document::fields(was), document::fields(&t.now));
            let mut keys: Vec<String> = after.keys().chain(before.keys()).map(show_key).collect();
            let mut seen = std::collections::HashSet::new();
            keys.retain(|k| seen.insert(k.clone()));
            for k in keys {
                let (b, a) = (before.get(k.as_str()), after.get(k.as_str()));
                if b != a {
                    out.push(FieldChange {
                        field: format!("{prefix}{k}"),
                        name: k.clone(),
                        lang: lang.clone(),
                        before: show(b),
                        after: show(a),
                        lines: Vec::new(),
                    });
                }
            }
            let (bb, ab) = (
                document::body(was).unwrap_or_default(),
                document::body(&t.now).unwrap_or_default(),
            );
            if bb.trim_end() != ab.trim_end() {
                let field = match &lang {
                    Some(l) => format!("t.{l}.body"),
                    None => "body".to_string(),
                };
                out.push(FieldChange {
                    field,
                    name: "body".into(),
                    lang: lang.clone(),
                    lines: line_diff(&bb, &ab),
                    before: bb,
                    after: ab,
                });
            }
        }
        out
    }

    /// The names of its new photos and audio, as on the phone.
    pub fn upload_names(&self) -> Vec<String> {
        self.uploads.iter().map(|k| k.name.clone()).collect()
    }

    fn staged(&self) -> crate::content::Staged {
        let mut staged = crate::content::Staged::default();
        for t in &self.texts {
            staged.texts.insert(t.path.clone(), t.now.clone());
        }
        staged.removed.extend(self.removed.iter().cloned());
        staged.added.extend(self.added.iter().cloned());
        staged
    }
}

impl Editor {
    /// Check `sub` as a save of entry `id` is checked, and keep it aside for an admin to
    /// approve, in place of `author`'s earlier kept save of the entry (whose photos and audio
    /// go on with it: the form shows only the entry's own photos). Nothing under `content/`
    /// changes. Returns the checks' warnings.
    pub fn wait(
        &self,
        id: &str,
        sub: Submission,
        author: &Author,
    ) -> Result<Vec<FieldMsg>, EditError> {
        let config = self.config().map_err(|e| EditError::Io(e.to_string()))?;
        let key = key(id, author.device);
        let mut sub = sub;
        self.carry_kept_files(id, author.device, &mut sub)?;
        let (uploads, audio_upload) = (std::mem::take(&mut sub.photos), sub.audio.take());
        let (photos, audio) = self.check_uploads(&uploads, audio_upload.as_ref())?;
        let _one = self.write.lock();
        let _lock = crate::lock::SiteLock::take(&self.site);
        let p = self.prepare(&config, id, sub, &photos, audio.as_ref())?;
        // The file the save found is the base an approval merges against.
        self.seen.keep(&p.text);
        let staged = p.staged();
        let warnings = p.warnings().to_vec();
        let (main_path, main_text) = p.main();
        let mut texts = vec![Text {
            path: main_path.clone(),
            was: Some(p.text.clone()),
            now: main_text.to_string(),
        }];
        for (rel, now) in staged
            .texts
            .iter()
            .filter(|(rel, _)| rel.as_path() != main_path.as_path())
        {
            let lang = translation_lang(rel);
            let from = lang
                .as_ref()
                .and_then(|l| p.files.translations.get(l))
                .cloned();
            let was = from.and_then(|f| std::fs::read_to_string(self.site.join(f)).ok());
            if let Some(was) = &was {
                self.seen.keep(was);
            }
            texts.push(Text {
                path: rel.clone(),
                was,
                now: now.clone(),
            });
        }
        let mut kept = Vec::new();
        let mut files: Vec<(String, &[u8])> = Vec::new();
        for (input, u) in uploads
            .iter()
            .map(|u| ("photos", u))
            .chain(audio_upload.iter().map(|u| ("audio", u)))
        {
            let file = format!("{:016x}.bin", crate::output::digest(&u.bytes));
            kept.push(Kept {
                input: input.to_string(),
                name: u.name.clone(),
                file: file.clone(),
            });
            files.push((file, &u.bytes));
        }
        let pending = Pending {
            key: key.clone(),
            id: id.to_string(),
            author: author.label.to_string(),
            device: author.device.to_string(),
            owner: author.owner,
            at: now(),
            sub: p.sub,
            uploads: kept,
            texts,
            removed: staged.removed.into_iter().collect(),
            added: staged.added.into_iter().collect(),
            returned_by: None,
            note: None,
        };
        self.put(Shelf::Waiting, &pending, &files)?;
        remove_dir(&Shelf::Returned.dir(&self.site).join(&key));
        self.note(author.label, &format!("wait {id}"));
        Ok(warnings)
    }

    /// Adds to `sub` the new photos and audio of `device`'s kept save of entry `id` (waiting
    /// or sent back), before its own: the form shows only the entry's own photos, and her next
    /// save, kept or written, must not lose them.
    pub fn carry_kept_files(
        &self,
        id: &str,
        device: &str,
        sub: &mut Submission,
    ) -> Result<(), EditError> {
        let Some((shelf, earlier)) = self.mine(id, device) else {
            return Ok(());
        };
        let dir = shelf.dir(&self.site).join(&earlier.key);
        let mut carried = Vec::new();
        for k in &earlier.uploads {
            let bytes = std::fs::read(dir.join(&k.file))
                .map_err(|e| EditError::Io(format!("{}: {e}", k.name)))?;
            let upload = Upload {
                name: k.name.clone(),
                bytes,
            };
            match k.input.as_str() {
                "audio" if sub.audio.is_none() && !sub.remove_audio => sub.audio = Some(upload),
                "photos" => carried.push(upload),
                _ => {}
            }
        }
        carried.append(&mut sub.photos);
        sub.photos = carried;
        Ok(())
    }

    /// Writes `pending` on `shelf`: its files first, each flushed, then its record (which makes
    /// the folder a kept save), then the files an earlier record there used and this one does
    /// not.
    fn put(
        &self,
        shelf: Shelf,
        pending: &Pending,
        files: &[(String, &[u8])],
    ) -> Result<(), EditError> {
        let io = |e: std::io::Error| EditError::Unwritten(super::field_msg::not_written(&e));
        let dir = shelf.dir(&self.site).join(&pending.key);
        std::fs::create_dir_all(&dir).map_err(io)?;
        for (name, bytes) in files {
            crate::output::write_durable(&dir.join(name), bytes).map_err(io)?;
        }
        let yaml = serde_yaml_ng::to_string(pending).map_err(|e| EditError::Io(e.to_string()))?;
        crate::output::write_durable(&dir.join(RECORD), yaml.as_bytes()).map_err(io)?;
        if let Ok(listing) = std::fs::read_dir(&dir) {
            for f in listing.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if name != RECORD && !pending.uploads.iter().any(|k| k.file == name) {
                    let _ = std::fs::remove_file(f.path());
                }
            }
        }
        Ok(())
    }

    /// The kept save `key` on `shelf`.
    pub fn pending(&self, shelf: Shelf, key: &str) -> Option<Pending> {
        if !is_key(key) {
            return None;
        }
        let text = std::fs::read_to_string(shelf.dir(&self.site).join(key).join(RECORD)).ok()?;
        serde_yaml_ng::from_str(&text).ok()
    }

    /// Every save waiting for approval, oldest first.
    pub fn waiting(&self) -> Vec<Pending> {
        self.shelf(Shelf::Waiting)
    }

    /// The saves sent back to `device`'s person, oldest first.
    pub fn returned_to(&self, device: &str) -> Vec<Pending> {
        let mut out = self.shelf(Shelf::Returned);
        out.retain(|p| p.device == device);
        out
    }

    /// Every kept save on `shelf` (a folder without its record, cut short by a crash, is none).
    fn shelf(&self, shelf: Shelf) -> Vec<Pending> {
        let mut out: Vec<Pending> = std::fs::read_dir(shelf.dir(&self.site))
            .map(|d| {
                d.flatten()
                    .filter_map(|e| self.pending(shelf, &e.file_name().to_string_lossy()))
                    .collect()
            })
            .unwrap_or_default();
        out.sort_by(|a, b| (a.at, &a.key).cmp(&(b.at, &b.key)));
        out
    }

    /// `device`'s kept save of entry `id`: waiting, else sent back.
    pub fn mine(&self, id: &str, device: &str) -> Option<(Shelf, Pending)> {
        let key = key(id, device);
        [Shelf::Waiting, Shelf::Returned]
            .into_iter()
            .find_map(|s| self.pending(s, &key).map(|p| (s, p)))
    }

    /// Forget `device`'s kept saves of entry `id` (her own save went through at once).
    pub fn drop_mine(&self, id: &str, device: &str) {
        let key = key(id, device);
        for shelf in [Shelf::Waiting, Shelf::Returned] {
            remove_dir(&shelf.dir(&self.site).join(&key));
        }
    }

    /// Apply waiting save `key` through `save`, as its author's save approved by `approver`:
    /// merged with the file as it is now against the file the save found, so a change made
    /// meanwhile is kept, and a field both changed is a clash (the save then stays waiting).
    pub fn approve(&self, key: &str, approver: &str) -> Result<Saved, EditError> {
        let _deciding = self.review.lock();
        let p = self.pending(Shelf::Waiting, key).ok_or(EditError::Gone)?;
        let dir = Shelf::Waiting.dir(&self.site).join(key);
        let record = std::fs::read(dir.join(RECORD)).unwrap_or_default();
        for t in &p.texts {
            if let Some(was) = &t.was {
                self.seen.keep(was);
            }
        }
        let mut sub = p.sub;
        for k in &p.uploads {
            let bytes = std::fs::read(dir.join(&k.file))
                .map_err(|e| EditError::Io(format!("{}: {e}", k.name)))?;
            let upload = Upload {
                name: k.name.clone(),
                bytes,
            };
            if k.input == "audio" {
                sub.audio = Some(upload);
            } else {
                sub.photos.push(upload);
            }
        }
        let label = format!("{}, approved by {approver}", p.author);
        let saved = self.save(&p.id, sub, &label)?;
        // Only the version approved goes: one its author saved meanwhile keeps waiting.
        let _one = self.write.lock();
        if std::fs::read(dir.join(RECORD)).unwrap_or_default() == record {
            remove_dir(&dir);
        }
        Ok(saved)
    }

    /// Send waiting save `key` back to its author with `note`: kept on the returned shelf,
    /// shown to her when she opens the entry, nothing written to the site.
    pub fn send_back(&self, key: &str, admin: &str, note: &str) -> Result<Pending, EditError> {
        let _deciding = self.review.lock();
        let _one = self.write.lock();
        let mut p = self.pending(Shelf::Waiting, key).ok_or(EditError::Gone)?;
        let from = Shelf::Waiting.dir(&self.site).join(key);
        let mut files = Vec::new();
        for k in &p.uploads {
            let bytes = std::fs::read(from.join(&k.file))
                .map_err(|e| EditError::Io(format!("{}: {e}", k.name)))?;
            files.push((k.file.clone(), bytes));
        }
        p.returned_by = Some(admin.to_string());
        let note = note.trim();
        p.note = (!note.is_empty()).then(|| note.chars().take(NOTE_MAX).collect());
        let borrowed: Vec<(String, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.clone(), b.as_slice()))
            .collect();
        self.put(Shelf::Returned, &p, &borrowed)?;
        remove_dir(&from);
        self.note(admin, &format!("return {}", p.id));
        Ok(p)
    }

    /// The entry's page as waiting save `key` would make it: the site loaded with the save's
    /// files staged over `content/` and modelled as a build does, that one page rendered in
    /// memory, with the photos `media` has made already (a new photo is made when the save is
    /// published). `Err` says why not.
    pub fn preview(&self, key: &str, media: &crate::media::Media) -> Result<String, String> {
        let p = self
            .pending(Shelf::Waiting, key)
            .ok_or_else(|| "no such waiting change".to_string())?;
        let config = self.config().map_err(|e| e.to_string())?;
        // Drafts included: the page of a new entry (a draft until an admin publishes it) is
        // previewed too.
        let loaded =
            crate::content::load_staged(&self.site, &config, true, Some(&self.memo), &p.staged())
                .map_err(|e| e.to_string())?;
        let ledger = crate::ledger::Ledger::load(&self.site).unwrap_or_default();
        let model = crate::site::Site::from_loaded(&self.site, config.clone(), loaded, &ledger)
            .map_err(|e| e.to_string())?
            .site;
        let i = model
            .entries
            .iter()
            .position(|e| e.page_id() == p.id)
            .ok_or_else(|| "the entry has no page".to_string())?;
        let theme = crate::theme::Theme::load(&self.site, &config).map_err(|e| e.to_string())?;
        let sink = crate::output::Collect::default();
        {
            let emit = crate::output::Emitter::new(&sink);
            let only = crate::render::Selection::of(std::iter::once(i).collect(), false);
            crate::render::website_without_worker(&model, media, &theme, Some(&only), None, &emit)
                .map_err(|e| e.to_string())?;
        }
        let want = format!("site/{}/index.html", p.id);
        sink.into_files()
            .into_iter()
            .find(|f| f.path == want)
            .and_then(|f| f.data.read().ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .ok_or_else(|| "the page was not made".to_string())
    }

    /// The id of the entry waiting save `key` is for.
    pub fn pending_id(&self, key: &str) -> Option<String> {
        self.pending(Shelf::Waiting, key).map(|p| p.id)
    }

    fn note(&self, who: &str, what: &str) {
        super::activity::note(
            &self.site,
            &super::activity::Change {
                at: now(),
                who: who.to_string(),
                what: what.to_string(),
                files: Vec::new(),
                commit: None,
            },
        );
    }
}

/// The longest note an admin's "send back" keeps.
pub const NOTE_MAX: usize = 2000;

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn remove_dir(dir: &Path) {
    if dir.is_dir() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The language of a translation file by its name (`index.en.md` → `en`).
fn translation_lang(rel: &Path) -> Option<String> {
    let stem = rel.file_stem()?.to_str()?;
    let (_, lang) = stem.rsplit_once('.')?;
    (!lang.is_empty()).then(|| lang.to_string())
}

fn show_key(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        other => show(Some(other)),
    }
}

/// A field's value as a person reads it.
fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(other) => serde_yaml_ng::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// The lines of `before` and `after`, each marked kept (` `), gone (`-`) or new (`+`), by
/// their longest common subsequence. Texts longer than a few thousand lines are shown as the
/// old text gone and the new one added: the table would not be worth its memory.
pub fn line_diff(before: &str, after: &str) -> Vec<(char, String)> {
    let (a, b): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    if a.len().saturating_mul(b.len()) > 4_000_000 {
        return a
            .iter()
            .map(|l| ('-', l.to_string()))
            .chain(b.iter().map(|l| ('+', l.to_string())))
            .collect();
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((' ', a[i].to_string()));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(('-', a[i].to_string()));
            i += 1;
        } else {
            out.push(('+', b[j].to_string()));
            j += 1;
        }
    }
    out
}

/// The fields of a kept save's entry file after it, for a list's title.
pub fn title_of(p: &Pending) -> String {
    p.texts
        .first()
        .map(|t| document::fields(&t.now))
        .unwrap_or_default()
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or(&p.id)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_diff_marks_lines_kept_gone_and_new() {
        let d = line_diff(
            "Nhà sàn.\nGiá 250.000đ.\nCó chỗ để xe.",
            "Nhà sàn.\nGiá 350.000đ.\nCó chỗ để xe.\nCó bữa sáng.",
        );
        let marks: String = d.iter().map(|(m, _)| *m).collect();
        assert_eq!(marks, " -+ +", "{d:?}");
        assert!(d.contains(&('-', "Giá 250.000đ.".into())));
        assert!(d.contains(&('+', "Có bữa sáng.".into())));
    }

    #[test]
    fn a_key_names_a_phone_and_an_entry_and_nothing_else_is_read() {
        let k = key("homestays/nha-lan", "abc");
        assert!(is_key(&k));
        assert_ne!(k, key("homestays/nha-lan", "abd"));
        assert!(!is_key("../../etc/passwd"));
        assert!(!is_key("0123456789abcdeg"));
    }

    #[test]
    fn only_a_folder_with_its_record_is_a_kept_save_and_sending_back_keeps_it_whole() {
        let site = tempfile::tempdir().unwrap();
        let editor = Editor::new(site.path(), false);
        let mut p = pending();
        let photo: &[u8] = b"\xff\xd8 not really a photo";
        p.uploads.push(Kept {
            input: "photos".into(),
            name: "IMG_2041.jpg".into(),
            file: "a.bin".into(),
        });
        // A save cut short before its record: its photo is there, and it is no kept save.
        let dir = Shelf::Waiting.dir(site.path()).join(&p.key);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.bin"), photo).unwrap();
        assert!(editor.waiting().is_empty());
        editor
            .put(Shelf::Waiting, &p, &[("a.bin".into(), photo)])
            .unwrap();
        let got = editor.waiting();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].texts[0].now, p.texts[0].now, "the texts read back");
        let back = editor
            .send_back(&p.key, "Trưởng nhóm", "  Ghi rõ giá phòng đôi.  ")
            .unwrap();
        assert_eq!(back.note.as_deref(), Some("Ghi rõ giá phòng đôi."));
        assert!(editor.waiting().is_empty() && !dir.exists());
        let kept = editor.returned_to("d");
        assert_eq!(kept.len(), 1);
        let moved = Shelf::Returned.dir(site.path()).join(&p.key).join("a.bin");
        assert_eq!(std::fs::read(moved).unwrap(), photo);
        assert!(editor.returned_to("someone else").is_empty());
        assert!(matches!(
            editor.send_back(&p.key, "x", ""),
            Err(EditError::Gone)
        ));
    }

    fn pending() -> Pending {
        Pending {
            key: key("homestays/nha-lan", "d"),
            id: "homestays/nha-lan".into(),
            author: "Lan".into(),
            device: "d".into(),
            owner: false,
            at: 0,
            sub: Submission::default(),
            uploads: Vec::new(),
            texts: vec![Text {
                path: "content/homestays/nha-lan.md".into(),
                was: Some("---\ntitle: Nhà Lan\nprice_from: 250000\n---\nNhà sàn.\n".into()),
                now: "---\ntitle: Nhà Lan\nprice_from: 350000\nphone: '0912 000 101'\n---\nNhà sàn gỗ.\n".into(),
            }],
            removed: Vec::new(),
            added: Vec::new(),
            returned_by: None,
            note: None,
        }
    }

    #[test]
    fn changes_are_listed_field_by_field() {
        let p = pending();
        let c = p.changes("vi");
        let fields: Vec<&str> = c.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["f.price_from", "f.phone", "body"]);
        assert_eq!(
            (c[0].before.as_str(), c[0].after.as_str()),
            ("250000", "350000")
        );
        assert_eq!(c[1].before, "");
        assert_eq!(title_of(&p), "Nhà Lan");
    }
}
