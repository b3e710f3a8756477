//! The planned rows turned into files, in sheet order: a second row for a place already
//! matched or made is refused, new entries get their slugs and codes (so that two rows never
//! share one), and new entries' files are made from the scaffold and checked on every core.

use super::place::{in_sheet, Sheet};
use super::plan::{Known, Plan};
use super::read::Row;
use super::Outcome;
use crate::content::{self, front_matter};
use crate::edit::document::{self, Change};
use crate::error::Diagnostic;
use crate::ledger::{self, Ledger, Record};
use crate::vocab::Kind;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What the import would write, and what became of each row.
#[derive(Default)]
pub struct Batch {
    /// (sheet row, outcome), not yet in order.
    pub outcomes: Vec<(usize, Outcome)>,
    /// Files to write: (path in the site, text).
    pub writes: Vec<(PathBuf, String)>,
    /// The sheet row of each file written.
    pub row_of: HashMap<PathBuf, usize>,
    /// Codes given to new entries (and put in the ledger).
    pub new_codes: HashSet<String>,
    /// What was read with a caveat, by row.
    pub warnings: Vec<(usize, Diagnostic)>,
}

/// A new entry with its slug and code, its file still to make.
pub struct Pending {
    number: usize,
    id: String,
    section: String,
    kind: Kind,
    slug: String,
    code: String,
    changes: Vec<Change>,
    notes: Option<String>,
}

impl Batch {
    /// Takes the plans in sheet order; `refused` are the rows that could not be read.
    pub fn new(
        planned: Vec<(usize, Result<Plan, Vec<Diagnostic>>)>,
        refused: Vec<(usize, Vec<Diagnostic>)>,
        rows: &[Row],
        known: &Known,
        ledger: &Ledger,
        sheet: &Sheet,
    ) -> (Batch, Vec<Pending>) {
        let mut batch = Batch {
            outcomes: refused
                .into_iter()
                .map(|(n, d)| (n, Outcome::Refused(d)))
                .collect(),
            warnings: rows
                .iter()
                .flat_map(|r| r.warnings.iter().map(|w| (r.number, w.clone())))
                .collect(),
            ..Batch::default()
        };
        let kinds: HashMap<usize, (&str, Kind)> = rows
            .iter()
            .map(|r| (r.number, (r.section.as_str(), r.kind)))
            .collect();
        let mut matched: HashMap<String, usize> = HashMap::new();
        let mut new_slugs: HashSet<String> = HashSet::new();
        let mut pending = Vec::new();
        for (number, p) in planned {
            let refuse = |d: Diagnostic| (number, Outcome::Refused(vec![d]));
            match p {
                Err(d) => batch.outcomes.push((number, Outcome::Refused(d))),
                Ok(Plan::Unchanged(ref id) | Plan::Changed { ref id, .. })
                    if matched.contains_key(id) =>
                {
                    let first = matched[id];
                    batch.outcomes.push(refuse(
                        Diagnostic::error(
                            sheet.at(number, 0),
                            format!("row {first} above is {id} too"),
                        )
                        .hint("two rows name the same place: keep one")
                        .vi(format!(
                            "dòng {first} ở trên cũng là {id}: hai dòng cùng một nơi, giữ lại một"
                        )),
                    ));
                }
                Ok(Plan::Unchanged(id)) => {
                    matched.insert(id.clone(), number);
                    batch.outcomes.push((number, Outcome::Unchanged { id }));
                }
                Ok(Plan::Changed {
                    id,
                    file,
                    text,
                    fields,
                }) => {
                    matched.insert(id.clone(), number);
                    batch.row_of.insert(file.clone(), number);
                    batch.writes.push((file, text));
                    batch
                        .outcomes
                        .push((number, Outcome::Changed { id, fields }));
                }
                Ok(Plan::New {
                    slug,
                    wanted_code,
                    row_changes,
                    notes,
                    code_col,
                }) => {
                    let (section, kind) = kinds[&number];
                    let id = format!("{section}/{slug}");
                    if !new_slugs.insert(slug.clone()) {
                        batch.outcomes.push(refuse(
                            Diagnostic::error(sheet.at(number, code_col.0), format!("a row above makes `{id}` already"))
                                .hint("two rows name the same place: keep one, or give them different names")
                                .vi("hai dòng cùng một nơi: giữ lại một, hoặc đặt tên khác nhau"),
                        ));
                        continue;
                    }
                    let code = match wanted_code {
                        Some(c) => {
                            let elsewhere = ledger
                                .codes
                                .get(&c)
                                .is_some_and(|r| r.page.as_deref() != Some(id.as_str()));
                            if batch.new_codes.contains(&c) || elsewhere {
                                batch.outcomes.push(refuse(
                                    Diagnostic::error(sheet.at(number, code_col.1), format!("code `{c}` is given to another place already"))
                                        .hint("leave the code empty to have one made, or choose another")
                                        .vi("mã biển này đã dùng cho nơi khác: để trống ô mã, hoặc chọn mã khác"),
                                ));
                                continue;
                            }
                            c
                        }
                        None => ledger::derive_code(&id, |c| {
                            ledger.codes.contains_key(c)
                                || known.by_code.contains_key(c)
                                || batch.new_codes.contains(c)
                        }),
                    };
                    batch.new_codes.insert(code.clone());
                    pending.push(Pending {
                        number,
                        id,
                        section: section.to_string(),
                        kind,
                        slug,
                        code,
                        changes: row_changes,
                        notes,
                    });
                }
            }
        }
        (batch, pending)
    }

    /// New entries' files made and checked on every core; a refused one gives its code back,
    /// a made one's code goes into `ledger`.
    pub fn make_new(
        &mut self,
        pending: Vec<Pending>,
        site: &Path,
        rows: &[Row],
        sheet: &Sheet,
        ledger: &mut Ledger,
    ) {
        let cells_of: HashMap<usize, &HashMap<String, String>> =
            rows.iter().map(|r| (r.number, &r.columns)).collect();
        let made: Vec<_> = pending
            .into_par_iter()
            .map(|p| {
                let made = entry_file(&p, site, cells_of[&p.number], sheet);
                (p, made)
            })
            .collect();
        for (p, made) in made {
            match made {
                Ok((rel, text, cautions)) => {
                    self.warnings
                        .extend(cautions.into_iter().map(|w| (p.number, w)));
                    ledger.codes.insert(
                        p.code.clone(),
                        Record {
                            page: Some(p.id.clone()),
                            retired_to: None,
                            printed: None,
                        },
                    );
                    self.row_of.insert(rel.clone(), p.number);
                    self.writes.push((rel, text));
                    let (id, code) = (p.id, p.code);
                    self.outcomes.push((p.number, Outcome::New { id, code }));
                }
                Err(problems) => {
                    self.new_codes.remove(&p.code);
                    self.outcomes.push((p.number, Outcome::Refused(problems)));
                }
            }
        }
    }

    /// How many rows were refused.
    pub fn refused(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Refused(_)))
            .count()
    }

    /// Outcomes in sheet order, and the caveats of the rows not refused, in sheet order too.
    pub fn in_order(&mut self) {
        self.outcomes.sort_by_key(|(n, _)| *n);
        let refused: HashSet<usize> = self
            .outcomes
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Refused(_)))
            .map(|(n, _)| *n)
            .collect();
        self.warnings.retain(|(n, _)| !refused.contains(n));
        self.warnings.sort_by_key(|(n, _)| *n);
    }
}

/// A new entry's file: the scaffold with the row's fields, checked as a build checks it
/// (problems named at the row's cells, since the file does not exist yet).
fn entry_file(
    p: &Pending,
    site: &Path,
    cells: &HashMap<String, String>,
    sheet: &Sheet,
) -> Result<(PathBuf, String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let base = crate::scaffold::entry_text(p.kind, "", &p.code);
    let body = format!("\n{}\n", p.notes.as_deref().unwrap_or_default().trim());
    let rel = PathBuf::from(content::CONTENT_DIR)
        .join(&p.section)
        .join(&p.slug)
        .join("index.md");
    let text = document::apply(&base, &p.changes, Some(&body), front_matter::FIELDS)
        .map_err(|e| vec![Diagnostic::error(sheet.at(p.number, 0), e)])?;
    // A new bundle, with no files of its own yet.
    let bundle = rel.parent().map(Path::to_path_buf);
    let problems =
        content::check_entry_text(site, &text, &rel, &p.section, &p.slug, bundle, Vec::new());
    let problems = in_sheet(problems, p.number, cells, &text, sheet);
    if problems.iter().any(Diagnostic::is_error) {
        Err(problems)
    } else {
        Ok((rel, text, problems))
    }
}
