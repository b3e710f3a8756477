//! The editor: what volunteers change from a phone, written into the site's files. It knows
//! nothing of HTTP (`serve` hands it forms and uploads): it finds entries by their identity
//! (`section/slug`), never by a path from a request, checks a change as a build would, refuses
//! it when a file changed since the form was opened, and writes whole files atomically, under
//! the site lock that builds take, the entry file last.

pub mod activity;
pub mod document;
pub mod field_msg;
pub mod form;
pub mod git;
pub mod manage;
pub mod merge;
mod save;
pub mod sync;
pub mod upload;
pub mod waiting;
pub mod whole_site;

use crate::config::Config;
use crate::content::front_matter;
use crate::content::{self, EntryFiles};
use crate::error::{Diagnostic, Error};
use crate::vocab::Kind;
use document::Change;
use field_msg::FieldMsg;
use form::Submission;
use parking_lot::Mutex;
use serde_yaml_ng::{Mapping, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The owner links the editor keeps (hashed, with the owners' names), beside the site's files and
/// never published: deleting `.waymark-cache/` must not end them.
pub const OWNERS_FILE: &str = "owner-links.yaml";

pub struct Editor {
    pub site: PathBuf,
    /// Make a Git commit of each save.
    pub commit: bool,
    /// One save at a time in this process; the site lock keeps builds out.
    write: Mutex<()>,
    /// One approval or sending back at a time: two admins deciding on one change at once
    /// must not apply it twice.
    review: Mutex<()>,
    /// Files parsed for the whole-site check of earlier saves.
    memo: std::sync::Arc<content::Memo>,
    /// The files forms were made from, for merging a save from an older form.
    seen: merge::Seen,
    /// With `--push`: the remote each commit goes to and others' commits come from.
    remote: std::sync::OnceLock<std::sync::Arc<sync::Remote>>,
    /// The server's model, which judges a text-only save without loading the site again.
    kept: Option<std::sync::Arc<dyn whole_site::Kept>>,
    /// The site's Git repository folder, when it is in one (found once).
    git_dir: std::sync::OnceLock<Option<PathBuf>>,
}

/// An entry as the form shows it.
#[derive(Debug)]
pub struct Opened {
    pub id: String,
    pub kind: Kind,
    pub files: EntryFiles,
    pub version: String,
    pub fields: Mapping,
    pub body: String,
    /// Existing translations: language -> (version, fields, body).
    pub translations: BTreeMap<String, (String, Mapping, String)>,
    /// The code is in plaques.lock: shown, never editable.
    pub code_fixed: bool,
    pub languages: Vec<String>,
    pub default_language: String,
    /// Photos of the entry that carry a GPS position: (file, lat, lon), when the form offers
    /// them (`Editor::offer_gps`).
    pub gps: Vec<(String, f64, f64)>,
    /// The whole file, when its front matter does not parse: the form then edits it as text.
    pub raw: Option<String>,
}

#[derive(Debug)]
pub enum EditError {
    /// Checks failed; nothing was written.
    Invalid(Vec<FieldMsg>),
    /// A file changed on disk since the form was opened; nothing was written.
    Conflict {
        file: PathBuf,
        on_disk: String,
        yours: String,
    },
    /// Both this person and someone else changed these fields since the form was opened, to
    /// different values; nothing was written. `sub` holds this person's own changes, rebased
    /// on the file as it is now, to show in the form again.
    Clash {
        clashes: Vec<merge::Clash>,
        sub: Box<Submission>,
    },
    /// The entry is not there (any more).
    Gone,
    /// The save's files could not be written (a full disk, a read-only folder); nothing was
    /// written: what to tell the person, whose words the form gives back.
    Unwritten(FieldMsg),
    /// An admin's git rebase or merge is half done in the site's repository: nothing was
    /// written (it would be lost with `--abort`); what to tell the person, whose words the form
    /// gives back.
    Busy(FieldMsg),
    Io(String),
}

#[derive(Debug)]
pub struct Saved {
    pub files: Vec<PathBuf>,
    pub warnings: Vec<FieldMsg>,
    /// When the files were written, before the commit: a rebuild begun after it holds the save.
    pub at: std::time::Instant,
}

impl Opened {
    /// What the form showed when it was sent: the submitted values over the file's, so that a
    /// refused save gives the volunteer back every word they typed.
    pub fn with(mut self, sub: &Submission) -> Opened {
        fn overlay(m: &mut Mapping, changes: &[Change]) {
            for (k, v) in changes {
                match v {
                    Some(v) => {
                        m.insert(Value::String(k.clone()), v.clone());
                    }
                    None => {
                        m.remove(k.as_str());
                    }
                }
            }
        }
        overlay(&mut self.fields, &sub.changes);
        overlay(&mut self.fields, &sub.typed);
        if let Some(images) = &sub.images {
            self.fields
                .insert("images".into(), Value::Sequence(images.clone()));
        }
        if let Some(b) = &sub.body {
            self.body = b.clone();
        }
        self.version = sub.version.clone();
        for (lang, t) in &sub.translations {
            let entry = self
                .translations
                .entry(lang.clone())
                .or_insert_with(|| (String::new(), Mapping::new(), String::new()));
            entry.0 = t.version.clone().unwrap_or_default();
            overlay(&mut entry.1, &t.changes);
            if let Some(b) = &t.body {
                entry.2 = b.clone();
            }
        }
        self
    }
}

/// Whether every folder of `rel_dir` (relative to `site`) that exists is a real folder, not a
/// link: writing through a link could put a volunteer's files outside the site.
pub fn real_folders(site: &Path, rel_dir: &Path) -> bool {
    let mut at = site.to_path_buf();
    for part in rel_dir.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() || !m.is_dir() => return false,
            Ok(_) => {}
            Err(_) => return true,
        }
    }
    true
}

/// A file's version: a digest of its bytes, sent with the form and compared on save.
pub fn version(bytes: &[u8]) -> String {
    format!("{:016x}", crate::output::digest(bytes))
}

impl Editor {
    pub fn new(site: &Path, commit: bool) -> Editor {
        Editor {
            site: site.to_path_buf(),
            commit,
            write: Mutex::new(()),
            review: Mutex::new(()),
            memo: Default::default(),
            seen: merge::Seen::new(site),
            remote: std::sync::OnceLock::new(),
            kept: None,
            git_dir: std::sync::OnceLock::new(),
        }
    }

    /// What to tell a person whose change cannot be written now, because an admin's git
    /// rebase, merge or cherry-pick is half done in the site's repository: written now, it would
    /// be lost with `--abort`, or taken into a commit that is not its own.
    pub fn git_busy(&self) -> Option<FieldMsg> {
        let dir = self.git_dir.get_or_init(|| {
            let asked = ["rev-parse", "--absolute-git-dir"];
            let dir = git::Git::new(&self.site).run(&asked, git::LOCAL).ok()?;
            Some(PathBuf::from(dir))
        });
        let op = sync::operation_in_progress(dir.as_deref()?)?;
        Some(FieldMsg::error(
            "",
            format!("An admin is joining changes on the server (a git {op} is under way): nothing was saved. What you typed is below; save again in a few minutes."),
            "Người quản lý đang ghép các thay đổi trên máy chủ: chưa lưu gì. Nội dung bạn gõ vẫn ở dưới; vài phút nữa bấm Lưu lại.",
        ))
    }

    /// The server's kept model judges the saves it can (see `whole_site`).
    pub fn judged_by(mut self, kept: std::sync::Arc<dyn whole_site::Kept>) -> Editor {
        self.kept = Some(kept);
        self
    }

    /// Parsed files shared with the server's rebuilds: one parse of each file, one copy in memory.
    pub fn sharing(mut self, memo: std::sync::Arc<content::Memo>) -> Editor {
        self.memo = memo;
        self
    }

    pub fn config(&self) -> Result<Config, Error> {
        Config::load(&self.site)
    }

    /// Every entry's files by id.
    pub fn entries(&self, config: &Config) -> BTreeMap<String, EntryFiles> {
        content::entry_files(&self.site, config)
    }

    pub fn open(&self, id: &str) -> Result<Opened, EditError> {
        let config = self.config().map_err(|e| EditError::Io(e.to_string()))?;
        let files = self.entries(&config).remove(id).ok_or(EditError::Gone)?;
        let text = self.read(&files.file)?;
        self.seen.keep(&text);
        let fields = document::fields(&text);
        // A file whose front matter does not parse is fixed as text, its error shown beside it.
        let raw = is_broken(&text).then(|| text.clone());
        let body = document::body(&text).unwrap_or_default();
        let mut translations = BTreeMap::new();
        for (lang, rel) in &files.translations {
            let t = self.read(rel)?;
            self.seen.keep(&t);
            translations.insert(
                lang.clone(),
                (
                    version(t.as_bytes()),
                    document::fields(&t),
                    document::body(&t).unwrap_or_default(),
                ),
            );
        }
        let code = fields
            .get("code")
            .and_then(Value::as_str)
            .map(str::to_string);
        let ledger = crate::ledger::Ledger::load(&self.site).unwrap_or_default();
        let issued = issued_code(&ledger, id);
        let code_fixed =
            issued.is_some() || code.as_ref().is_some_and(|c| ledger.codes.contains_key(c));
        let mut fields = fields;
        if let (Some(c), None) = (issued, code) {
            // The code the build gave it: shown, as fixed as one written in the file.
            fields.insert("code".into(), Value::String(c.to_string()));
        }
        Ok(Opened {
            id: id.to_string(),
            kind: Kind::of_section(&files.section),
            version: version(text.as_bytes()),
            fields,
            body,
            translations,
            code_fixed,
            languages: config.languages.clone(),
            default_language: config.default_language.clone(),
            gps: Vec::new(),
            raw,
            files,
        })
    }

    /// For an entry without a location, the positions its photos were taken at (read from the
    /// originals' EXIF): only for the form a person sees, not for saves or thumbnails.
    pub fn offer_gps(&self, o: &mut Opened) {
        o.gps.clear();
        if o.fields.get("location").is_some() {
            return;
        }
        let Some(bundle) = &o.files.bundle else {
            return;
        };
        for src in form::listed_sources(&o.fields).iter().take(12) {
            if !o.files.assets.contains(src) {
                continue;
            }
            if let Ok(bytes) = std::fs::read(self.site.join(bundle).join(src)) {
                if let Some((lat, lon)) = upload::gps(&bytes) {
                    o.gps.push((src.clone(), lat, lon));
                }
            }
        }
    }

    /// The original of the entry's `n`th listed photo, when it is a file of its bundle.
    pub fn photo(&self, id: &str, n: usize) -> Option<PathBuf> {
        let config = self.config().ok()?;
        let files = self.entries(&config).remove(id)?;
        let text = std::fs::read_to_string(self.site.join(&files.file)).ok()?;
        let src = form::listed_sources(&document::fields(&text))
            .get(n)?
            .clone();
        let bundle = files.bundle.as_ref()?;
        files
            .assets
            .contains(&src)
            .then(|| self.site.join(bundle).join(src))
    }

    fn read(&self, rel: &Path) -> Result<String, EditError> {
        let bytes = std::fs::read(self.site.join(rel))
            .map_err(|e| EditError::Io(format!("{}: {e}", rel.display())))?;
        String::from_utf8(bytes).map_err(|_| {
            EditError::Io(format!(
                "{} is not UTF-8 text; fix it in a text editor first",
                rel.display()
            ))
        })
    }

    /// Start a new entry, as `waymark new` does (the scaffold and a code pinned in
    /// plaques.lock); returns its id.
    /// `label` names the paired phone in the commit (with `--commit`). `draft`: the entry starts
    /// as a draft, kept off the website (a volunteer's new entry in review mode, which an admin
    /// publishes).
    pub fn create(
        &self,
        kind: Kind,
        title: &str,
        label: &str,
        draft: bool,
    ) -> Result<String, Error> {
        self.take_remote_first();
        let _one = self.write.lock();
        let _lock = crate::lock::SiteLock::take(&self.site);
        let created = crate::scaffold::new_entry(&self.site, kind, title, None)?;
        let file = created.files.first().cloned().unwrap_or_default();
        if draft {
            let path = self.site.join(&file);
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            let drafted = document::apply(
                &text,
                &[("draft".to_string(), Some(Value::Bool(true)))],
                None,
                front_matter::FIELDS,
            )
            .map_err(Error::Usage)?;
            crate::output::write_durable(&path, drafted.as_bytes())
                .map_err(|e| Error::io(&path, e))?;
        }
        // content/<section>/<slug>/index.md
        let mut parts = file
            .iter()
            .skip(1)
            .map(|c| c.to_string_lossy().into_owned());
        let section = parts.next().unwrap_or_default();
        let slug = parts.next().unwrap_or_default();
        self.record(&created.files, &format!("new {section}/{slug}"), label);
        Ok(format!("{section}/{slug}"))
    }

    /// Write the whole text of the entry's file as typed (the form for a file whose front
    /// matter does not parse), after the same checks and the same conflict test as `save`.
    pub fn save_raw(
        &self,
        id: &str,
        version_seen: &str,
        text: &str,
        label: &str,
    ) -> Result<Saved, EditError> {
        self.take_remote_first();
        let config = self.config().map_err(|e| EditError::Io(e.to_string()))?;
        let _one = self.write.lock();
        let _lock = crate::lock::SiteLock::take(&self.site);
        if let Some(busy) = self.git_busy() {
            return Err(EditError::Busy(busy));
        }
        let files = self.entries(&config).remove(id).ok_or(EditError::Gone)?;
        let now = self.read(&files.file)?;
        let text = text.replace("\r\n", "\n");
        if version(now.as_bytes()) != version_seen {
            return Err(EditError::Conflict {
                file: files.file.clone(),
                on_disk: now,
                yours: text,
            });
        }
        // The whole text is for a file the form cannot read; any other goes through the form,
        // whose checks (a code that never changes among them) a posted text cannot skip.
        if !is_broken(&now) {
            return Err(EditError::Invalid(vec![FieldMsg::error(
                "raw",
                "this entry opens as a form now: reload the page and edit it there",
                "mục này giờ mở được bằng biểu mẫu: tải lại trang và sửa ở đó",
            )]));
        }
        let mut msgs = self.check_main(
            &text,
            &files.file,
            &files,
            files.bundle.clone(),
            files.assets.clone(),
            &document::fields(&now),
        );
        if msgs.iter().any(|m| !m.warning) {
            return Err(EditError::Invalid(msgs));
        }
        let mut staged = content::Staged::default();
        staged.texts.insert(files.file.clone(), text.clone());
        msgs.extend(self.site_problems(&config, &staged, id));
        if msgs.iter().any(|m| !m.warning) {
            return Err(EditError::Invalid(msgs));
        }
        crate::output::write_durable(&self.site.join(&files.file), text.as_bytes())
            .map_err(|e| EditError::Unwritten(field_msg::not_written(&e)))?;
        let at = std::time::Instant::now();
        self.record(
            std::slice::from_ref(&files.file),
            &format!("edit {id}"),
            label,
        );
        Ok(Saved {
            files: vec![files.file],
            warnings: msgs,
            at,
        })
    }

    fn check_main(
        &self,
        text: &str,
        rel: &Path,
        files: &EntryFiles,
        bundle: Option<PathBuf>,
        assets: Vec<String>,
        before: &Mapping,
    ) -> Vec<FieldMsg> {
        let mut out: Vec<FieldMsg> = content::check_entry_text(
            &self.site,
            text,
            rel,
            &files.section,
            &files.slug,
            bundle,
            assets,
        )
        .iter()
        .map(|d| field_msg(d, text, "f."))
        .collect();
        let Ok(matter) =
            front_matter::split(text, rel).and_then(|s| front_matter::parse_entry(&s, rel, text))
        else {
            return out;
        };
        // A code plaques.lock gives this page never changes (its plaque may be on a wall), and
        // a new one may not be one it gives to another page.
        let new_code = matter.code.as_deref();
        let ledger = crate::ledger::Ledger::load(&self.site).unwrap_or_default();
        let page = format!("{}/{}", files.section, files.slug);
        if let (Some(have), Some(new)) = (issued_code(&ledger, &page), new_code) {
            if new != have {
                out.push(FieldMsg::error(
                    "f.code",
                    format!("this place's plaque code is {have}, and it cannot change: its plaque may already be printed; keep `code: {have}`"),
                    format!("mã biển của địa điểm này là {have} và không đổi được, vì biển có thể đã in: giữ mã {have}"),
                ));
                return out;
            }
        }
        if new_code != before.get("code").and_then(Value::as_str) {
            if let Some(code) = new_code {
                if let Some(rec) = ledger.codes.get(code) {
                    if rec.page.as_deref() != Some(page.as_str()) {
                        out.push(FieldMsg::error(
                            "f.code",
                            format!(
                                "code {code} is already given to another place in plaques.lock"
                            ),
                            format!("mã {code} đã dùng cho địa điểm khác trong plaques.lock"),
                        ));
                    }
                }
            }
        }
        out
    }

    /// The problems a build would stop at once `staged` is written, that it does not stop at
    /// today, each at its field when it is in one of the staged texts.
    fn site_problems(&self, config: &Config, staged: &content::Staged, id: &str) -> Vec<FieldMsg> {
        let accepted = (self.kept.as_ref())
            .and_then(|k| k.judge(&|model| whole_site::in_model(model, staged)))
            .filter(Vec::is_empty);
        let found = accepted.unwrap_or_else(|| {
            whole_site::new_problems(&self.site, config, staged, &[id], Some(&self.memo))
        });
        found
            .iter()
            .map(|d| match staged.texts.get(&d.file) {
                Some(text) => {
                    let prefix = match translation_lang(&d.file, config) {
                        Some(lang) => format!("t.{lang}."),
                        None => "f.".to_string(),
                    };
                    field_msg(d, text, &prefix)
                }
                None => {
                    let mut m = field_msg(d, "", "");
                    let file = d.file.display();
                    m.en = format!("{file}: {}", m.en);
                    m.vi = format!("{file}: {}", m.vi);
                    m
                }
            })
            .collect()
    }

    /// A change made: noted in the activity, and with `--commit` one commit of exactly `files`
    /// (written or removed) and plaques.lock, whatever else is staged or changed in the working
    /// tree.
    fn record(&self, files: &[PathBuf], what: &str, label: &str) {
        if files.is_empty() {
            return;
        }
        let commit = self
            .commit
            .then(|| self.commit_only(files, what, label))
            .flatten();
        if let (Some(remote), Some(_)) = (self.remote(), &commit) {
            // Pushed from the exchange's own thread: the phone does not wait on the network.
            remote.nudge();
        }
        activity::note(
            &self.site,
            &activity::Change {
                at: std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs()),
                who: label.to_string(),
                what: what.to_string(),
                files: files.to_vec(),
                commit,
            },
        );
    }

    /// One commit of exactly `files` and plaques.lock; its hash.
    fn commit_only(&self, files: &[PathBuf], what: &str, label: &str) -> Option<String> {
        let git = |args: &[&std::ffi::OsStr]| {
            std::process::Command::new("git")
                .arg("-C")
                .arg(&self.site)
                .args(args)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        // A path git knows nothing of and that is not there (a file written, then removed)
        // would fail the whole commit.
        let ledger = Path::new(crate::ledger::FILE);
        let paths: Vec<&Path> = files
            .iter()
            .map(PathBuf::as_path)
            .chain(std::iter::once(ledger))
            .filter(|p| {
                self.site.join(p).exists()
                    || git(&[
                        "ls-files".as_ref(),
                        "--error-unmatch".as_ref(),
                        "--".as_ref(),
                        p.as_os_str(),
                    ])
            })
            .collect();
        let mut add: Vec<&std::ffi::OsStr> = vec!["add".as_ref(), "-A".as_ref(), "--".as_ref()];
        add.extend(paths.iter().map(|p| p.as_os_str()));
        let message = format!("{what} (from the editor: {label})");
        // `--only` with paths: the commit holds these paths alone, and what else was staged
        // stays staged for whoever staged it.
        let mut commit: Vec<&std::ffi::OsStr> = vec![
            "commit".as_ref(),
            "-q".as_ref(),
            "-m".as_ref(),
            message.as_ref(),
            "--only".as_ref(),
            "--".as_ref(),
        ];
        commit.extend(paths.iter().map(|p| p.as_os_str()));
        if !git(&add) || !git(&commit) {
            eprintln!("editor: could not make a git commit of {what}; the files are saved");
            return None;
        }
        let head = std::process::Command::new("git")
            .arg("-C")
            .arg(&self.site)
            .args(["rev-parse", "HEAD"])
            .output()
            .ok()?;
        Some(String::from_utf8_lossy(&head.stdout).trim().to_string())
    }
}

/// Whether a file's front matter does not parse: only such a file is edited as its whole text.
fn is_broken(text: &str) -> bool {
    let text = text.replace("\r\n", "\n");
    document::Parts::of(&text)
        .ok()
        .and_then(|p| {
            let yaml = &text[p.yaml];
            serde_yaml_ng::from_str::<Mapping>(yaml)
                .ok()
                .or_else(|| yaml.trim().is_empty().then(Mapping::new))
        })
        .is_none()
}

/// The language of a translation file (`index.en.md`, `den.zh.md`), None for the default one.
fn translation_lang(rel: &Path, config: &Config) -> Option<String> {
    let stem = rel.file_stem()?.to_str()?;
    let (_, lang) = stem.rsplit_once('.')?;
    (config.languages.iter().any(|l| l == lang) && lang != config.default_language)
        .then(|| lang.to_string())
}

/// The code plaques.lock has issued to `page` (`section/slug`), if any.
fn issued_code<'a>(ledger: &'a crate::ledger::Ledger, page: &str) -> Option<&'a str> {
    ledger
        .codes
        .iter()
        .find(|(_, r)| r.page.as_deref() == Some(page))
        .map(|(c, _)| c.as_str())
}

fn check_translation(text: &str, rel: &Path, lang: &str) -> Vec<FieldMsg> {
    let prefix = format!("t.{lang}.");
    match front_matter::split(text, rel) {
        Ok(split) => match front_matter::parse_translation(&split, rel, text) {
            Ok(_) => Vec::new(),
            Err(d) => vec![field_msg(&d, text, &prefix)],
        },
        Err(d) => vec![field_msg(&d, text, &prefix)],
    }
}

/// A build's diagnostic, placed at the input of the field its line belongs to.
fn field_msg(d: &Diagnostic, text: &str, prefix: &str) -> FieldMsg {
    let field = d
        .line
        .and_then(|line| field_at(text, line))
        .map(|f| format!("{prefix}{f}"))
        .unwrap_or_default();
    // The build's hint says how to write the file; a volunteer at a form needs the problem in
    // plain words, in their language (every value check has a Vietnamese text).
    let label = field
        .rsplit('.')
        .next()
        .and_then(crate::content::fields::get)
        .map(|f| f.vi);
    let vi = d.vi.clone().unwrap_or_else(|| match label {
        Some(l) => format!("“{l}”: giá trị này không dùng được, hãy sửa lại"),
        None => "Có lỗi trong nội dung: hãy kiểm tra lại".to_string(),
    });
    FieldMsg {
        field,
        en: d.message.clone(),
        vi,
        warning: !d.is_error(),
    }
}

/// The top-level key whose value holds file line `line` (1-based), or `body` past the front
/// matter.
pub fn field_at(text: &str, line: usize) -> Option<String> {
    let parts = document::Parts::of(text).ok()?;
    let body_line = text[..parts.body].matches('\n').count() + 1;
    if line >= body_line {
        return Some("body".into());
    }
    let yaml_first = text[..parts.yaml.start].matches('\n').count() + 1;
    let lines: Vec<&str> = text[parts.yaml.clone()].lines().collect();
    let mut i = line
        .checked_sub(yaml_first)?
        .min(lines.len().checked_sub(1)?);
    loop {
        let l = lines[i];
        if !l.starts_with([' ', '\t', '#', '-']) {
            if let Some((key, _)) = l.split_once(':') {
                return Some(key.trim().to_string());
            }
        }
        i = i.checked_sub(1)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_belongs_to_its_key() {
        let t = "---\ntitle: A\nlocation:\n  lat: x\n  lon: 1\n---\nbody\n";
        assert_eq!(field_at(t, 4).as_deref(), Some("location"));
        assert_eq!(field_at(t, 2).as_deref(), Some("title"));
        assert_eq!(field_at(t, 7).as_deref(), Some("body"));
    }
}
