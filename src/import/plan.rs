//! A row matched to the site: an entry it changes (and how), one it leaves as it is, or a new
//! one (its slug; its code is given later, in sheet order). Planning reads and checks; it
//! writes nothing, so rows are planned in parallel.

use super::header::Column;
use super::place::{in_sheet, Sheet};
use super::read::Row;
use super::table::fold;
use crate::content::{self, front_matter, EntryFiles};
use crate::edit::document::{self, Change};
use crate::error::Diagnostic;
use crate::ledger::Ledger;
use serde_yaml_ng::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Slugs longer than this are cut after a word.
const SLUG_MAX: usize = 60;

/// The site as the import finds it: its entries, their texts, and what names them.
pub struct Known {
    pub files: BTreeMap<String, EntryFiles>,
    /// Entry id by plaque code (the files' `code:`, then plaques.lock's pages).
    pub by_code: HashMap<String, String>,
    /// Entry id by (title, commune), folded.
    pub by_name: HashMap<(String, String), String>,
    /// Each entry's default file's text, by id.
    pub texts: HashMap<String, String>,
}

impl Known {
    pub fn load(site: &Path, config: &crate::config::Config, ledger: &Ledger) -> Known {
        let files = content::entry_files(site, config);
        let mut known = Known {
            files: BTreeMap::new(),
            by_code: HashMap::new(),
            by_name: HashMap::new(),
            texts: HashMap::new(),
        };
        for (id, files) in &files {
            let Ok(text) = std::fs::read_to_string(site.join(&files.file)) else {
                continue;
            };
            let fields = document::fields(&text);
            if let Some(c) = fields.get("code").and_then(Value::as_str) {
                known.by_code.insert(c.to_string(), id.clone());
            }
            let title = fields.get("title").and_then(Value::as_str).unwrap_or("");
            let commune = fields.get("commune").and_then(Value::as_str).unwrap_or("");
            known
                .by_name
                .insert((fold(title), fold(commune)), id.clone());
            known.texts.insert(id.clone(), text);
        }
        for (code, rec) in &ledger.codes {
            if let Some(page) = &rec.page {
                known
                    .by_code
                    .entry(code.clone())
                    .or_insert_with(|| page.clone());
            }
        }
        known.files = files;
        known
    }

    /// Whether `id` (`section/slug`) is an entry's already.
    fn taken(&self, id: &str) -> bool {
        self.files.contains_key(id)
    }
}

pub enum Plan {
    New {
        slug: String,
        wanted_code: Option<String>,
        row_changes: Vec<Change>,
        notes: Option<String>,
        /// The title's and the code's column, for messages.
        code_col: (usize, usize),
    },
    Changed {
        id: String,
        file: PathBuf,
        text: String,
        fields: Vec<(String, String, String)>,
    },
    Unchanged(String),
}

/// What row `r` does to the site.
pub fn plan(
    r: &Row,
    site: &Path,
    known: &Known,
    sheet: &Sheet,
) -> std::result::Result<Plan, Vec<Diagnostic>> {
    let col_of = |c: Column| sheet.column(c);
    let place = |row: usize, col: usize| sheet.at(row, col);
    let matched = r
        .code
        .as_ref()
        .and_then(|c| known.by_code.get(c))
        .or_else(|| {
            known
                .by_name
                .get(&(fold(&r.title), fold(r.commune.as_deref().unwrap_or(""))))
        })
        .cloned();
    if let Some(id) = matched {
        let Some(files) = known.files.get(&id) else {
            return Err(vec![Diagnostic::error(
                place(r.number, col_of(Column::Code)),
                format!(
                    "code {} leads to {id} in plaques.lock, which has no file",
                    r.code.clone().unwrap_or_default()
                ),
            )
            .hint(
                "restore the entry's file, or leave the code out to make a new entry",
            )]);
        };
        let text = known.texts.get(&id).cloned().unwrap_or_default();
        let before = document::fields(&text);
        // Matched by its code, a row that names another place (another title, and another
        // commune or district) is a mistyped code, not a rename: the code's plaque would show
        // the row's place. Refused, since a code follows its place forever.
        let by_its_code = r
            .code
            .as_ref()
            .is_some_and(|c| known.by_code.contains_key(c));
        if by_its_code {
            let was = |k: &str| before.get(k).and_then(|v| v.as_str()).map(fold);
            let differs = |k: &str, now: Option<&str>| matches!((was(k), now.map(fold)), (Some(a), Some(b)) if a != b);
            let row_district = r
                .changes
                .iter()
                .find(|(k, _)| k == "district")
                .and_then(|(_, v)| v.as_ref())
                .and_then(|v| v.as_str());
            let elsewhere =
                differs("commune", r.commune.as_deref()) || differs("district", row_district);
            if differs("title", Some(&r.title)) && elsewhere {
                let code = r.code.clone().unwrap_or_default();
                let title = before
                    .get("title")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                return Err(vec![Diagnostic::error(
                    place(r.number, col_of(Column::Code)),
                    format!("code {code} is the plaque of {title} ({id}), and this row names another place, {}", r.title),
                )
                .hint("check the code in this row: leave it empty to make a new entry; a code leads to its place forever")
                .vi(format!("mã {code} là biển của {title}, còn dòng này là nơi khác ({}): kiểm tra lại mã, hoặc để trống để tạo mục mới", r.title))]);
            }
        }
        let mut changes: Vec<Change> = Vec::new();
        let mut diffs = Vec::new();
        for (k, v) in &r.changes {
            // An empty cell never removes what an entry has.
            let Some(v) = v else { continue };
            // A code in the ledger is the entry's code whether or not its file says so.
            if k == "code" {
                continue;
            }
            let old = before.get(k.as_str());
            if !same(old, v) {
                diffs.push((k.clone(), show(old), show(Some(v))));
                changes.push((k.clone(), Some(v.clone())));
            }
        }
        if changes.is_empty() {
            return Ok(Plan::Unchanged(id));
        }
        let new_text = document::apply(&text, &changes, None, front_matter::FIELDS)
            .map_err(|e| vec![Diagnostic::error(place(r.number, 0), e)])?;
        let problems = content::check_entry_text(
            site,
            &new_text,
            &files.file,
            &files.section,
            &files.slug,
            files.bundle.clone(),
            files.assets.clone(),
        );
        if problems.iter().any(Diagnostic::is_error) {
            return Err(in_sheet(problems, r.number, &r.columns, &new_text, sheet));
        }
        return Ok(Plan::Changed {
            id,
            file: files.file.clone(),
            text: new_text,
            fields: diffs,
        });
    }
    let section = &r.section;
    let mut slug = crate::slug::slugify(&r.title);
    if r.by_commune {
        if let Some(c) = r.commune.as_deref().map(crate::slug::slugify) {
            // The commune's words kept whole, the name's cut to make room.
            let name = crate::slug::shortened(&slug, SLUG_MAX.saturating_sub(c.len() + 1));
            slug = format!("{name}-{c}");
        }
    }
    let slug = crate::slug::shortened(&slug, SLUG_MAX).to_string();
    if slug.is_empty() {
        return Err(vec![Diagnostic::error(
            place(r.number, col_of(Column::Title)),
            format!(
                "the name `{}` has no letters or digits to make an address from",
                r.title
            ),
        )]);
    }
    if known.taken(&format!("{section}/{slug}")) {
        return Err(vec![Diagnostic::error(
            place(r.number, col_of(Column::Title)),
            format!("`{}` matches the address of {section}/{slug}, but not its code or commune", r.title),
        )
        .hint("add the entry's code to the row to update it, or write the commune as the entry has it")]);
    }
    Ok(Plan::New {
        slug,
        wanted_code: r.code.clone(),
        row_changes: r
            .changes
            .iter()
            .filter(|(k, _)| k != "code")
            .cloned()
            .collect(),
        notes: r.notes.clone(),
        code_col: (col_of(Column::Title), col_of(Column::Code)),
    })
}

/// Whether a sheet's value is what the entry has: text compared composed (NFC), so that a title
/// typed with combining marks on either side is not a change.
fn same(old: Option<&Value>, new: &Value) -> bool {
    use unicode_normalization::UnicodeNormalization;
    match (old, new) {
        (Some(Value::String(a)), Value::String(b)) => a.nfc().eq(b.nfc()),
        (old, new) => old == Some(new),
    }
}

fn show(v: Option<&Value>) -> String {
    match v {
        None => "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => serde_yaml_ng::to_string(other)
            .unwrap_or_default()
            .trim()
            .replace('\n', " "),
    }
}
