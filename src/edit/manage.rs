//! Managing entries from the editor beyond a save: checking a new entry's name before it is
//! made, finding entries by plaque code, and deleting one without breaking a printed plaque
//! (its codes are retired in plaques.lock to its section, which their landings then serve).

use super::{EditError, Editor};
use crate::content::fields;
use crate::ledger::{self, Ledger};
use crate::vocab::Kind;
use std::collections::HashMap;
use std::path::PathBuf;

/// Where a deleted entry's files are kept, inside the cache folder: out of the site, but not
/// yet gone, should the delete have been a mistake.
pub const DELETED_DIR: &str = "deleted";

/// The intro file a section keeps when its last entry is deleted.
const SECTION_KEPT: &str = "---\n# Giữ thư mục này: biển QR của các mục đã xoá dẫn về đây.\n# Kept so that the plaque codes retired to this section keep leading here.\n---\n";

/// What a delete did.
#[derive(Debug)]
pub struct Deleted {
    /// The codes retired, each to the entry's section.
    pub retired: Vec<String>,
    /// The files, relative to the site folder, as they were (for `--commit`).
    pub removed: Vec<PathBuf>,
    /// Where they are kept now, relative to the site folder.
    pub kept_in: PathBuf,
}

/// Every plaque code the ledger gives to a page, by page (`section/slug`).
pub fn codes_by_page(ledger: &Ledger) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (code, rec) in &ledger.codes {
        if let Some(page) = &rec.page {
            out.entry(page.clone()).or_default().push(code.clone());
        }
    }
    out
}

impl Editor {
    /// Why a new entry cannot be called `title`, in (English, Vietnamese); None when it can.
    pub fn new_title_problem(&self, kind: Kind, title: &str) -> Option<(String, String)> {
        let field = fields::get("title")?;
        if let Err(why) = field.check_text(title) {
            return Some(why.message(field));
        }
        let slug = crate::slug::slugify(title);
        if slug.is_empty() {
            return Some((
                "the name needs letters or digits".into(),
                "tên cần có chữ cái hoặc chữ số".into(),
            ));
        }
        let id = format!("{}/{slug}", kind.section());
        let config = self.config().ok()?;
        self.entries(&config).contains_key(&id).then(|| {
            (
                format!(
                    "there is already an entry {id}: open it from the list, or choose another name"
                ),
                format!("đã có mục {id}: mở mục đó trong danh sách, hoặc đặt tên khác"),
            )
        })
    }

    /// Delete entry `id`: its codes retired to its section in plaques.lock (so printed plaques
    /// keep leading somewhere and no code is given out again), its files moved out of
    /// `content/` into the cache's `deleted/` folder, under the site lock a save takes.
    pub fn delete(&self, id: &str, label: &str) -> Result<Deleted, EditError> {
        self.take_remote_first();
        let config = self.config().map_err(|e| EditError::Io(e.to_string()))?;
        let _one = self.write.lock();
        let _lock = crate::lock::SiteLock::take(&self.site);
        if let Some(busy) = self.git_busy() {
            return Err(EditError::Busy(busy));
        }
        let mut all = self.entries(&config);
        let files = all.remove(id).ok_or(EditError::Gone)?;
        let mut ledger = Ledger::load(&self.site).map_err(|e| EditError::Io(e.to_string()))?;
        let section = files.section.clone();
        let retired: Vec<String> = codes_by_page(&ledger).remove(id).unwrap_or_default();
        let mut changed = false;
        for rec in ledger.codes.values_mut() {
            let leads_here = rec.page.as_deref() == Some(id)
                || rec
                    .retired_to
                    .as_ref()
                    .is_some_and(|t| t == id || retired.contains(t));
            if leads_here {
                rec.page = None;
                rec.retired_to = Some(section.clone());
                changed = true;
            }
        }

        // The site as the delete leaves it must still build: another entry's link to this one
        // would break it. Only entries whose text names its slug can link to it.
        let mut staged = crate::content::Staged::default();
        staged.removed.insert(files.file.clone());
        staged.removed.extend(files.translations.values().cloned());
        let linking: Vec<&str> = all
            .iter()
            .filter(|(_, f)| {
                std::iter::once(&f.file)
                    .chain(f.translations.values())
                    .any(|p| {
                        std::fs::read_to_string(self.site.join(p))
                            .is_ok_and(|t| t.contains(files.slug.as_str()))
                    })
            })
            .map(|(other, _)| other.as_str())
            .collect();
        if !linking.is_empty() {
            let check = |staged: &crate::content::Staged, ledger: &Ledger| {
                super::whole_site::problems_with_ledger(
                    &self.site,
                    &config,
                    staged,
                    ledger,
                    &linking,
                    Some(&self.memo),
                )
            };
            let before = check(
                &crate::content::Staged::default(),
                &Ledger::load(&self.site).unwrap_or_default(),
            );
            let broken: Vec<String> = check(&staged, &ledger)
                .into_iter()
                .filter(|d| {
                    !before
                        .iter()
                        .any(|b| b.file == d.file && b.message == d.message)
                })
                .map(|d| match d.line {
                    Some(line) => format!("{}:{line}", d.file.display()),
                    None => d.file.display().to_string(),
                })
                .collect();
            if !broken.is_empty() {
                return Err(EditError::Invalid(vec![super::field_msg::FieldMsg::error(
                    "",
                    format!(
                        "not deleted: these link to it, and their links would break: {}. Change or remove those links first",
                        broken.join(", ")
                    ),
                    format!(
                        "chưa xoá: các mục sau có liên kết tới mục này, xoá đi thì liên kết hỏng: {}. Hãy sửa hoặc bỏ các liên kết đó trước",
                        broken.join(", ")
                    ),
                )]));
            }
        }

        // The files to move: the bundle folder whole, or the file and its translations.
        let moves: Vec<PathBuf> = match &files.bundle {
            Some(b) => vec![b.clone()],
            None => std::iter::once(files.file.clone())
                .chain(files.translations.values().cloned())
                .collect(),
        };
        let io = |e: std::io::Error| EditError::Io(e.to_string());
        // A folder of its own for each delete, so an entry deleted twice a day keeps both.
        let day_dir = PathBuf::from(crate::output::CACHE_ROOT)
            .join(DELETED_DIR)
            .join(format!(
                "{}-{}-{}",
                crate::days::today(),
                files.section,
                files.slug
            ));
        std::fs::create_dir_all(self.site.join(&day_dir)).map_err(io)?;
        let made = tempfile::Builder::new()
            .prefix("")
            .rand_bytes(6)
            .tempdir_in(self.site.join(&day_dir))
            .map_err(io)?
            .keep();
        let kept_in = day_dir.join(made.file_name().unwrap_or_default());
        let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
        let undo = |moved: &[(PathBuf, PathBuf)]| {
            for (from, to) in moved.iter().rev() {
                let _ = std::fs::rename(self.site.join(to), self.site.join(from));
            }
        };
        for rel in &moves {
            let name = rel.file_name().map(PathBuf::from).unwrap_or_default();
            let to = kept_in.join(name);
            if let Err(e) = std::fs::rename(self.site.join(rel), self.site.join(&to)) {
                undo(&moved);
                return Err(io(e));
            }
            moved.push((rel.clone(), to));
        }
        // The last entry of its section: Git keeps no empty folder, and a section that is not
        // there cannot take the codes retired to it, so the section keeps an intro file.
        let mut written: Vec<PathBuf> = Vec::new();
        let intro = PathBuf::from(crate::content::CONTENT_DIR)
            .join(&section)
            .join("_index.md");
        let last = !all.values().any(|f| f.section == section);
        if changed && last && !self.site.join(&intro).exists() {
            if let Err(e) =
                crate::output::write_atomic(&self.site.join(&intro), SECTION_KEPT.as_bytes())
            {
                undo(&moved);
                return Err(io(e));
            }
            written.push(intro);
        }
        // The entry is out of content/; now its codes lead to the section. Should the ledger
        // not be written, the files go back: a code must never lead nowhere.
        if changed {
            if let Err(e) = crate::output::write_atomic(
                &self.site.join(ledger::FILE),
                ledger.to_text().as_bytes(),
            ) {
                undo(&moved);
                return Err(io(e));
            }
        }
        let mut removed: Vec<PathBuf> = std::iter::once(files.file.clone())
            .chain(files.translations.values().cloned())
            .collect();
        if let Some(b) = &files.bundle {
            removed.extend(files.assets.iter().map(|a| b.join(a)));
        }
        let touched: Vec<PathBuf> = removed.iter().chain(&written).cloned().collect();
        self.record(&touched, &format!("delete {id}"), label);
        Ok(Deleted {
            retired,
            removed,
            kept_in,
        })
    }
}
