//! `waymark import`: a culture office's list of ranked relics, or a district's homestays, read
//! from a spreadsheet into entries. The header row is found below title rows; columns are
//! matched by their Vietnamese or English names; each row becomes an entry (as `waymark new`
//! makes one, its code pinned in plaques.lock) or, matched to an existing entry by its code or
//! its title and commune, a field-by-field change written only with `--update`, through the
//! editor's format-preserving writer. Every file is checked as a build checks it, and the run
//! writes all of its files or none.

mod header;
mod rows;
pub mod table;
pub mod values;

use crate::content::{self, front_matter};
use crate::edit::document::{self, Change};
use crate::error::{Diagnostic, Error, Result};
use crate::ledger::{self, Ledger, Record};
use crate::vocab::Kind;
use header::Column;
use rayon::prelude::*;
use serde_yaml_ng::{Mapping, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use table::{fold, Cell};

/// What `waymark import` is asked for (its command-line arguments, read by clap).
#[derive(Debug, clap::Args)]
pub struct Options {
    /// The spreadsheet (.xlsx, .xls, .ods or .csv).
    pub file: PathBuf,
    /// The section the rows belong to: relics (default), homestays or another folder.
    #[arg(long)]
    pub section: Option<String>,
    /// A YAML file naming columns: `columns: { "Tên đầy đủ": title, "Số hiệu": code }`.
    #[arg(long)]
    pub map: Option<PathBuf>,
    /// The sheet to read (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Say what would happen, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also write changes to entries that exist (only the fields the sheet holds).
    #[arg(long)]
    pub update: bool,
    /// Write nothing when any row is refused.
    #[arg(long)]
    pub strict: bool,
    /// Write the rows that could be read even when most rows were refused.
    #[arg(long)]
    pub partial: bool,
    /// The site folder.
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
}

/// What became of one row.
#[derive(Debug)]
pub enum Outcome {
    New {
        id: String,
        code: String,
    },
    Changed {
        id: String,
        fields: Vec<(String, String, String)>,
    },
    Unchanged {
        id: String,
    },
    Refused(Vec<Diagnostic>),
}

pub struct Report {
    /// (spreadsheet row, outcome), in sheet order.
    pub rows: Vec<(usize, Outcome)>,
    pub written: bool,
    pub sheet: String,
    pub encoding: Option<&'static str>,
    /// Files that were (or would be) written.
    pub files: Vec<PathBuf>,
    /// What was read with a caveat (a value left out, a price a relic has no use for), by row.
    pub warnings: Vec<(usize, Diagnostic)>,
    /// Named columns Waymark has no field for: "column H `Đơn vị quản lý`".
    pub unused: Vec<String>,
    /// Rows under the header that are not places (column numbers, groups, totals, the
    /// signature block), and what each is.
    pub passed_over: Vec<(usize, String)>,
    /// When more than half of the places were refused: (refused, places), and nothing written.
    pub misread: Option<(usize, usize)>,
}

impl Report {
    pub fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.rows.iter().filter(|(_, o)| f(o)).count()
    }
}

/// One row read into fields, before it is matched to an entry.
struct Row {
    number: usize,
    /// The section folder and kind of entry: the sheet's `Section` column, else `--section`.
    section: String,
    kind: Kind,
    title: String,
    commune: Option<String>,
    code: Option<String>,
    changes: Vec<Change>,
    notes: Option<String>,
    /// Column letter of each field, for messages.
    columns: HashMap<String, String>,
    /// What was read with a caveat.
    warnings: Vec<Diagnostic>,
    /// Told apart from another row of the same name by its commune in its address.
    by_commune: bool,
}

/// Whether `s` can name a section folder.
fn section_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Slugs longer than this are cut after a word.
const SLUG_MAX: usize = 60;

pub fn run(opts: &Options) -> Result<Report> {
    let config = crate::config::Config::load(&opts.site)?;
    let section = opts.section.clone().unwrap_or_else(|| "relics".into());
    if !section_name(&section) {
        return Err(Error::Usage(format!(
            "--section `{section}` is not a section folder name (lower-case letters, digits and -)"
        )));
    }
    let name = opts.file.display().to_string();
    let table = table::read(&opts.file, opts.sheet.as_deref())
        .map_err(|why| Error::one(Diagnostic::error(&opts.file, format!("{name} {why}"))))?;
    let overrides = match &opts.map {
        Some(p) => header::read_map(p)?,
        None => HashMap::new(),
    };
    let head = header::find(&table, &overrides).map_err(|why| {
        Error::one(
            Diagnostic::error(format!("{name}:{}", table.sheet), why)
                .hint("the header row names the columns (Tên di tích, Xã, Huyện, Cấp xếp hạng, Vĩ độ, Kinh độ, Mã...); name yours with --map MAP.yaml")
                .vi("không tìm thấy dòng tiêu đề cột (Tên di tích, Xã, Huyện, Cấp xếp hạng...): đặt tên cột bằng --map MAP.yaml"),
        )
    })?;
    let columns = head.columns.clone();
    let place = |row: usize, col: usize| {
        PathBuf::from(format!(
            "{name}:{}:row {row}:column {}",
            table.sheet,
            header::letter(col)
        ))
    };
    let title_col = columns
        .iter()
        .find(|(_, c)| *c == Column::Title)
        .map(|(i, _)| *i)
        .unwrap_or(0);

    // Rows into fields. Rows that are not places are passed over and said; a group row that
    // names a district gives it to the places under it, until the next group.
    let mut rows = Vec::new();
    let mut refused: Vec<(usize, Outcome)> = Vec::new();
    let mut passed_over = Vec::new();
    let mut group_district: Option<String> = None;
    let mut group_commune: Option<String> = None;
    let mut places = 0;
    // A numbered list ("STT" filled on most rows): a row without a number there is no place.
    let sequence = columns
        .iter()
        .find(|(_, c)| *c == Column::Sequence)
        .map(|(i, _)| *i);
    let numbered = sequence.filter(|&j| {
        // Among the rows that fill more than one cell (places do; a heading or a total, one).
        let filled: Vec<&Vec<Cell>> = table.rows[head.last_row + 1..]
            .iter()
            .filter(|r| r.iter().filter(|c| !c.text.is_empty()).count() >= 2)
            .collect();
        let with = filled.iter().filter(|r| rows::has_number(r.get(j))).count();
        with >= 2 && with * 2 >= filled.len()
    });
    for (i, cells) in table.rows.iter().enumerate().skip(head.last_row + 1) {
        let number = i + 1;
        match rows::classify(cells, title_col, numbered) {
            rows::Line::Blank => continue,
            rows::Line::Numbers => passed_over.push((number, "column numbers".into())),
            rows::Line::Total => passed_over.push((number, "a total".into())),
            rows::Line::Heading => passed_over.push((
                number,
                "a heading or note across the list (no number in its STT column)".into(),
            )),
            rows::Line::Group { district, commune } => {
                // Said with what it gives the rows below, so a misread group shows.
                let what = match (&district, &commune) {
                    (Some(d), _) => format!("a group: district {d} for the rows below"),
                    (_, Some(c)) => format!("a group: commune {c} for the rows below"),
                    _ => "a group".into(),
                };
                passed_over.push((number, what));
                // A commune's group sits inside its district's; a district's starts afresh.
                if commune.is_none() {
                    group_district = district;
                }
                group_commune = commune;
            }
            rows::Line::Signatures => {
                passed_over.push((number, "notes or signatures, to the end".into()));
                break;
            }
            rows::Line::Place => {
                places += 1;
                let ctx = RowContext {
                    section: &section,
                    district: group_district.as_deref(),
                    commune: group_commune.as_deref(),
                };
                match read_row(number, cells, &columns, &ctx, &place) {
                    Ok(r) => rows.push(r),
                    Err(d) => refused.push((number, Outcome::Refused(d))),
                }
            }
        }
    }
    // The same name in two communes: two places, their slugs told apart by commune.
    let mut communes: HashMap<String, HashSet<String>> = HashMap::new();
    for r in &rows {
        communes
            .entry(format!("{}/{}", r.section, crate::slug::slugify(&r.title)))
            .or_default()
            .insert(fold(r.commune.as_deref().unwrap_or("")));
    }
    for r in &mut rows {
        let key = format!("{}/{}", r.section, crate::slug::slugify(&r.title));
        r.by_commune = communes.get(&key).is_some_and(|c| c.len() > 1);
    }

    let _lock = if opts.dry_run {
        None
    } else {
        crate::lock::SiteLock::take(&opts.site)
    };
    let mut ledger = Ledger::load(&opts.site)?;
    let existing = content::entry_files(&opts.site, &config);
    let mut by_code: HashMap<String, String> = HashMap::new();
    let mut by_name: HashMap<(String, String), String> = HashMap::new();
    let mut texts: HashMap<String, String> = HashMap::new();
    for (id, files) in &existing {
        let Ok(text) = std::fs::read_to_string(opts.site.join(&files.file)) else {
            continue;
        };
        let fields = document::fields(&text);
        if let Some(c) = fields.get("code").and_then(Value::as_str) {
            by_code.insert(c.to_string(), id.clone());
        }
        let title = fields.get("title").and_then(Value::as_str).unwrap_or("");
        let commune = fields.get("commune").and_then(Value::as_str).unwrap_or("");
        by_name.insert((fold(title), fold(commune)), id.clone());
        texts.insert(id.clone(), text);
    }
    for (code, rec) in &ledger.codes {
        if let Some(page) = &rec.page {
            by_code.entry(code.clone()).or_insert_with(|| page.clone());
        }
    }

    // Each row planned (in parallel: a plan reads and checks, it writes nothing).
    let taken_slugs: HashSet<String> = existing.keys().cloned().collect();
    let planned: Vec<(usize, Result<Plan, Vec<Diagnostic>>)> = rows
        .par_iter()
        .map(|r| {
            (
                r.number,
                plan(
                    r,
                    &opts.site,
                    &existing,
                    &by_code,
                    &by_name,
                    &texts,
                    &taken_slugs,
                    &place,
                    &columns,
                ),
            )
        })
        .collect();

    // New entries' codes and slugs, given in sheet order so that two rows never share one.
    let mut outcomes: Vec<(usize, Outcome)> = refused;
    let mut writes: Vec<(PathBuf, String)> = Vec::new();
    // The sheet row of each file written.
    let mut row_of: HashMap<PathBuf, usize> = HashMap::new();
    let mut new_slugs: HashSet<String> = HashSet::new();
    let mut new_codes: HashSet<String> = HashSet::new();
    let mut matched: HashMap<String, usize> = HashMap::new();
    let mut pending = Vec::new();
    let kinds: HashMap<usize, (String, Kind)> = rows
        .iter()
        .map(|r| (r.number, (r.section.clone(), r.kind)))
        .collect();
    let mut warnings: Vec<(usize, Diagnostic)> = rows
        .iter()
        .flat_map(|r| r.warnings.iter().map(|w| (r.number, w.clone())))
        .collect();
    let twice = |number: usize, first: usize, id: &str| {
        Outcome::Refused(vec![Diagnostic::error(
            place(number, 0),
            format!("row {first} above is {id} too"),
        )
        .hint("two rows name the same place: keep one")
        .vi(format!(
            "dòng {first} ở trên cũng là {id}: hai dòng cùng một nơi, giữ lại một"
        ))])
    };
    for (number, p) in planned {
        match p {
            Err(d) => outcomes.push((number, Outcome::Refused(d))),
            Ok(Plan::Unchanged(ref id) | Plan::Changed { ref id, .. })
                if matched.contains_key(id) =>
            {
                outcomes.push((number, twice(number, matched[id], id)));
            }
            Ok(Plan::Unchanged(id)) => {
                matched.insert(id.clone(), number);
                outcomes.push((number, Outcome::Unchanged { id }));
            }
            Ok(Plan::Changed {
                id,
                file,
                text,
                fields,
            }) => {
                matched.insert(id.clone(), number);
                row_of.insert(file.clone(), number);
                writes.push((file, text));
                outcomes.push((number, Outcome::Changed { id, fields }));
            }
            Ok(Plan::New {
                slug,
                wanted_code,
                row_changes,
                notes,
                code_col,
            }) => {
                let section = &kinds[&number].0;
                let id = format!("{section}/{slug}");
                if !new_slugs.insert(slug.clone()) {
                    outcomes.push((
                        number,
                        Outcome::Refused(vec![Diagnostic::error(
                            place(number, code_col.0),
                            format!("a row above makes `{id}` already"),
                        )
                        .hint(
                            "two rows name the same place: keep one, or give them different names",
                        )
                        .vi("hai dòng cùng một nơi: giữ lại một, hoặc đặt tên khác nhau")]),
                    ));
                    continue;
                }
                let code = match wanted_code {
                    Some(c) => {
                        if new_codes.contains(&c)
                            || ledger
                                .codes
                                .get(&c)
                                .is_some_and(|r| r.page.as_deref() != Some(id.as_str()))
                        {
                            outcomes.push((
                                number,
                                Outcome::Refused(vec![Diagnostic::error(
                                    place(number, code_col.1),
                                    format!("code `{c}` is given to another place already"),
                                )
                                .hint("leave the code empty to have one made, or choose another")
                                .vi("mã biển này đã dùng cho nơi khác: để trống ô mã, hoặc chọn mã khác")]),
                            ));
                            continue;
                        }
                        c
                    }
                    None => ledger::derive_code(&id, |c| {
                        ledger.codes.contains_key(c)
                            || by_code.contains_key(c)
                            || new_codes.contains(c)
                    }),
                };
                new_codes.insert(code.clone());
                let (section, kind) = kinds[&number].clone();
                pending.push((number, id, section, kind, slug, code, row_changes, notes));
            }
        }
    }
    let cells_of: HashMap<usize, HashMap<String, String>> =
        rows.iter().map(|r| (r.number, r.columns.clone())).collect();
    // New entries' files made and checked on every core; a refused one gives its code back.
    let made: Vec<_> = pending
        .into_par_iter()
        .map(
            |(number, id, section, kind, slug, code, row_changes, notes)| {
                let base = crate::scaffold::entry_text(kind, "", &code);
                let body = format!("\n{}\n", notes.unwrap_or_default().trim());
                let rel = PathBuf::from(content::CONTENT_DIR)
                    .join(&section)
                    .join(&slug)
                    .join("index.md");
                let made = document::apply(&base, &row_changes, Some(&body), front_matter::FIELDS)
                    .map_err(|e| vec![Diagnostic::error(place(number, 0), e)])
                    .and_then(|text| {
                        // A new bundle, with no files of its own yet.
                        let bundle = rel.parent().map(Path::to_path_buf);
                        let problems = content::check_entry_text(
                            &opts.site,
                            &text,
                            &rel,
                            &section,
                            &slug,
                            bundle,
                            Vec::new(),
                        );
                        // The file does not exist yet: the cell is what to correct.
                        let problems =
                            in_sheet(problems, number, &cells_of[&number], &text, &place);
                        if problems.iter().any(Diagnostic::is_error) {
                            Err(problems)
                        } else {
                            Ok((text, problems))
                        }
                    });
                (number, id, code, rel, made)
            },
        )
        .collect();
    for (number, id, code, rel, made) in made {
        match made {
            Ok((text, cautions)) => {
                warnings.extend(cautions.into_iter().map(|w| (number, w)));
                ledger.codes.insert(
                    code.clone(),
                    Record {
                        page: Some(id.clone()),
                        retired_to: None,
                        printed: None,
                    },
                );
                row_of.insert(rel.clone(), number);
                writes.push((rel, text));
                outcomes.push((number, Outcome::New { id, code }));
            }
            Err(problems) => {
                new_codes.remove(&code);
                outcomes.push((number, Outcome::Refused(problems)));
            }
        }
    }
    outcomes.sort_by_key(|(n, _)| *n);
    // A refused row's caveats are beside the point; the rest in sheet order.
    let refused_numbers: HashSet<usize> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Refused(_)))
        .map(|(n, _)| *n)
        .collect();
    warnings.retain(|(n, _)| !refused_numbers.contains(n));
    warnings.sort_by_key(|(n, _)| *n);
    let refused_rows = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Refused(_)))
        .count();
    let any_refused = refused_rows > 0;
    // Most rows refused: the list was likely misread (a header taken for another, a shifted
    // column), and what was read should not pin plaque codes forever.
    let mut misread = (refused_rows * 2 > places).then_some((refused_rows, places));
    if !opts.update {
        let existing_files: HashSet<&PathBuf> = existing.values().map(|e| &e.file).collect();
        writes.retain(|(file, _)| !existing_files.contains(file));
    }
    // Said only when it holds something back.
    if writes.is_empty() {
        misread = None;
    }
    let write = !(opts.dry_run
        || writes.is_empty()
        || opts.strict && any_refused
        || misread.is_some() && !opts.partial);
    let files: Vec<PathBuf> = writes.iter().map(|(f, _)| f.clone()).collect();
    if write {
        // The site as this import leaves it must build, as an editor save must: checked whole
        // (slugs, codes and the ledger, links), before anything is written.
        let mut staged = content::Staged::default();
        staged.texts.extend(writes.iter().cloned());
        let pages: Vec<String> = writes
            .iter()
            .filter_map(|(f, _)| {
                let mut parts = f.iter().skip(1).map(|c| c.to_string_lossy());
                let section = parts.next()?;
                let slug = parts.next()?;
                Some(format!(
                    "{section}/{}",
                    crate::slug::slugify(slug.trim_end_matches(".md"))
                ))
            })
            .collect();
        let ids: Vec<&str> = pages.iter().map(String::as_str).collect();
        let problems =
            crate::edit::whole_site::new_problems(&opts.site, &config, &staged, &ids, None);
        if !problems.is_empty() {
            // A file this import would write is named by its row and cell.
            let placed = problems
                .into_iter()
                .flat_map(|d| {
                    let at = row_of.get(&d.file).copied();
                    let text = staged.texts.get(&d.file).cloned().unwrap_or_default();
                    match at {
                        Some(n) => in_sheet(vec![d], n, &cells_of[&n], &text, &place),
                        None => vec![d],
                    }
                })
                .collect();
            return Err(Error::Site(placed));
        }
        write_all(&opts.site, &writes)?;
        if !new_codes.is_empty() {
            ledger.save(&opts.site)?;
        }
    }
    Ok(Report {
        rows: outcomes,
        written: write,
        sheet: table.sheet.clone(),
        encoding: table.encoding,
        files,
        warnings,
        unused: head
            .unused
            .iter()
            .map(|(j, n)| format!("column {} `{n}`", header::letter(*j)))
            .collect(),
        passed_over,
        misread,
    })
}

/// A position a cell gives: a map link that holds one, or degrees.
fn position(text: &str) -> Option<(f64, f64)> {
    match values::map_link(text) {
        Some(Ok(p)) => Some(p),
        Some(Err(_)) => None,
        None => values::lat_lon(text),
    }
}

/// Where to correct a build check's problem in a row: its sheet, row and the cell of the field
/// the problem's line falls in (an entry's file that does not exist yet names nothing).
fn in_sheet(
    problems: Vec<Diagnostic>,
    number: usize,
    columns: &HashMap<String, String>,
    text: &str,
    place: &(dyn Fn(usize, usize) -> PathBuf + Sync),
) -> Vec<Diagnostic> {
    problems
        .into_iter()
        .map(|mut d| {
            let col = columns
                .get(&field_of(&d, text))
                .or_else(|| columns.get("title"))
                .map(|c| header::index(c))
                .unwrap_or(0);
            d.file = place(number, col);
            d.line = None;
            d.column = None;
            d.source_line = None;
            d
        })
        .collect()
}

enum Plan {
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

#[allow(clippy::too_many_arguments)]
fn plan(
    r: &Row,
    site: &Path,
    existing: &BTreeMap<String, content::EntryFiles>,
    by_code: &HashMap<String, String>,
    by_name: &HashMap<(String, String), String>,
    texts: &HashMap<String, String>,
    taken: &HashSet<String>,
    place: &(dyn Fn(usize, usize) -> PathBuf + Sync),
    columns: &[(usize, Column)],
) -> std::result::Result<Plan, Vec<Diagnostic>> {
    let col_of = |c: Column| {
        columns
            .iter()
            .find(|(_, k)| *k == c)
            .map(|(i, _)| *i)
            .unwrap_or(0)
    };
    let matched = r
        .code
        .as_ref()
        .and_then(|c| by_code.get(c))
        .or_else(|| by_name.get(&(fold(&r.title), fold(r.commune.as_deref().unwrap_or("")))))
        .cloned();
    if let Some(id) = matched {
        let Some(files) = existing.get(&id) else {
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
        let text = texts.get(&id).cloned().unwrap_or_default();
        let before = document::fields(&text);
        // Matched by its code, a row that names another place (another title, and another
        // commune or district) is a mistyped code, not a rename: the code's plaque would show
        // the row's place. Refused, since a code follows its place forever.
        let by_its_code = r.code.as_ref().is_some_and(|c| by_code.contains_key(c));
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
            return Err(in_sheet(problems, r.number, &r.columns, &new_text, place));
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
    if taken.contains(&format!("{section}/{slug}")) {
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

/// The field a diagnostic's line falls in.
fn field_of(d: &Diagnostic, text: &str) -> String {
    d.line
        .and_then(|l| crate::edit::field_at(text, l))
        .unwrap_or_default()
}

/// What a row is read with besides its cells.
struct RowContext<'a> {
    /// `--section` (or relics): the section of rows without a `Section` cell.
    section: &'a str,
    /// The district and commune of the group rows above, for rows whose own cells are empty.
    district: Option<&'a str>,
    commune: Option<&'a str>,
}

fn read_row(
    number: usize,
    cells: &[Cell],
    columns: &[(usize, Column)],
    ctx: &RowContext,
    place: &dyn Fn(usize, usize) -> PathBuf,
) -> std::result::Result<Row, Vec<Diagnostic>> {
    // The first cell of kind `c` that holds something (a kind may have several columns).
    let get = |c: Column| -> Option<(usize, &Cell)> {
        columns
            .iter()
            .filter(|(_, k)| *k == c)
            .filter_map(|(i, _)| cells.get(*i).map(|cell| (*i, cell)))
            .find(|(_, cell)| !cell.text.is_empty() || cell.number.is_some())
    };
    let col_of = |c: Column| {
        columns
            .iter()
            .find(|(_, k)| *k == c)
            .map(|(i, _)| *i)
            .unwrap_or(0)
    };
    let Some((_, title_cell)) = get(Column::Title) else {
        return Err(vec![Diagnostic::error(
            place(number, col_of(Column::Title)),
            "this row has no name, and a place without one cannot become an entry",
        )
        .hint("write the place's name in the cell, or delete the row if it is not a place")
        .vi("dòng này không có tên: điền tên địa điểm vào ô, hoặc xoá dòng nếu không phải một địa điểm")]);
    };
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let (section, kind) = match get(Column::Section) {
        Some((i, cell)) if !section_name(cell.text.trim()) => {
            problems.push(
                Diagnostic::error(
                    place(number, i),
                    format!("`{}` is not a section folder name", cell.text),
                )
                .hint("write relics, homestays or another folder's name (lower-case letters, digits and -)")
                .vi("tên mục (Section) chỉ gồm chữ thường không dấu, chữ số và dấu -: relics, homestays"),
            );
            (ctx.section.to_string(), Kind::of_section(ctx.section))
        }
        Some((_, cell)) => {
            let s = cell.text.trim().to_string();
            let k = Kind::of_section(&s);
            (s, k)
        }
        None => (ctx.section.to_string(), Kind::of_section(ctx.section)),
    };
    let mut row = Row {
        number,
        section,
        kind,
        title: String::new(),
        commune: None,
        code: None,
        changes: Vec::new(),
        notes: None,
        columns: HashMap::new(),
        warnings: Vec::new(),
        by_commune: false,
    };
    let (title, type_tag) = values::name_and_type(&title_cell.text);
    row.title = title.clone();
    let set = |field: &str, v: Value, col: usize, row: &mut Row| {
        row.columns.insert(field.to_string(), header::letter(col));
        row.changes.push((field.to_string(), Some(v)));
    };
    set(
        "title",
        Value::String(title),
        col_of(Column::Title),
        &mut row,
    );
    let mut bad = |col: usize, value: &str, why: &str, vi: &str| {
        problems.push(
            Diagnostic::error(place(number, col), format!("`{value}`: {why}"))
                .hint("correct the cell and import again; the other rows are not affected")
                .vi(format!(
                    "ô `{value}`: {vi}; sửa ô rồi nhập lại, các dòng khác không bị ảnh hưởng"
                )),
        );
    };
    let mut note = |col: usize, message: String, vi: &str| {
        warnings.push(Diagnostic::warning(place(number, col), message).vi(vi.to_string()));
    };
    let text_fields = [
        (Column::Address, "address"),
        (Column::Commune, "commune"),
        (Column::District, "district"),
        (Column::Summary, "summary"),
    ];
    for (c, field) in text_fields {
        if let Some((i, cell)) = get(c) {
            set(field, Value::String(cell.text.clone()), i, &mut row);
        }
    }
    if get(Column::District).is_none() {
        if let Some(d) = ctx.district {
            // The group row's district: said as coming from the name column's row above.
            set(
                "district",
                Value::String(d.to_string()),
                col_of(Column::Title),
                &mut row,
            );
        }
    }
    if get(Column::Commune).is_none() {
        if let Some(c) = ctx.commune {
            set(
                "commune",
                Value::String(c.to_string()),
                col_of(Column::Title),
                &mut row,
            );
        }
    }
    row.commune = get(Column::Commune)
        .map(|(_, c)| c.text.clone())
        .or(ctx.commune.map(str::to_string));
    if let Some((i, cell)) = get(Column::Zalo) {
        match values::zalo(cell) {
            Some(z) => set("zalo", Value::String(z), i, &mut row),
            None => bad(
                i,
                &cell.text,
                "not a Zalo number or zalo.me link",
                "không phải số Zalo hay đường dẫn zalo.me",
            ),
        }
    }
    if let Some((i, cell)) = get(Column::Booking) {
        match values::web_link(&cell.text) {
            Ok(u) => set("booking_url", Value::String(u), i, &mut row),
            Err(why) => bad(i, &cell.text, &why, "không phải địa chỉ trang web"),
        }
    }
    if let Some((i, cell)) = get(Column::Code) {
        let code = cell.text.trim().to_uppercase();
        match crate::content::validate_code(&code) {
            Ok(()) => {
                row.code = Some(code.clone());
                set("code", Value::String(code), i, &mut row);
            }
            Err(why) => bad(
                i,
                &cell.text,
                &format!("a plaque code {why}"),
                "mã biển gồm 2 đến 16 chữ in hoa, chữ số hoặc dấu gạch ngang",
            ),
        }
    }
    let mut tags: Vec<Value> = Vec::new();
    if let Some(t) = type_tag {
        tags.push(Value::String(t.to_string()));
    }
    if let Some((_, cell)) = get(Column::Type) {
        for t in crate::vocab::tag_list(&cell.text) {
            // "DTLS" alone is the abbreviation a list writes for a type: its tag, in words.
            let t = match values::type_tag(t) {
                Some(tag) => tag.to_string(),
                None => t.to_lowercase(),
            };
            let t = t
                .trim_start_matches("di tích ")
                .trim_start_matches("dt ")
                .to_string();
            if !tags.iter().any(|x| x.as_str() == Some(t.as_str())) {
                tags.push(Value::String(t));
            }
        }
    }
    if let Some((_, cell)) = get(Column::Tags) {
        for t in crate::vocab::tag_list(&cell.text) {
            if !tags.iter().any(|x| x.as_str() == Some(t)) {
                tags.push(Value::String(t.to_string()));
            }
        }
    }
    if !tags.is_empty() {
        let col = get(Column::Type)
            .or(get(Column::Tags))
            .or(get(Column::Title))
            .map(|(i, _)| i)
            .unwrap_or(0);
        set("tags", Value::Sequence(tags), col, &mut row);
    }
    if kind == Kind::Relic {
        if let Some((i, cell)) = get(Column::Ranking) {
            match values::ranking(&cell.text) {
                Ok(r) => set("ranking", Value::String(r.into()), i, &mut row),
                Err(why) => bad(
                    i,
                    &cell.text,
                    &why,
                    "viết Quốc gia đặc biệt, Quốc gia hoặc Cấp tỉnh",
                ),
            }
        }
        // The year of the date column ("Ngày", "Năm"), else of a decision that has its date.
        match (get(Column::Year), get(Column::Decision)) {
            (Some((i, cell)), _) => match values::year(cell) {
                Some(y) => set("recognized", Value::Number(y.into()), i, &mut row),
                None => bad(
                    i,
                    &cell.text,
                    "no year in it (write the decision's date, e.g. 22/3/1988)",
                    "không có năm (viết ngày quyết định, ví dụ 22/3/1988)",
                ),
            },
            (None, Some((i, cell))) => match values::year(cell) {
                Some(y) => set("recognized", Value::Number(y.into()), i, &mut row),
                None => note(
                    i,
                    format!(
                        "`{}` has no date, so the year it was ranked is left out",
                        cell.text
                    ),
                    "quyết định không ghi ngày nên chưa có năm xếp hạng",
                ),
            },
            (None, None) => {}
        }
    }
    let loc = match (get(Column::Lat), get(Column::Lon), get(Column::LatLon)) {
        (Some((i, a)), Some((j, b)), _) => match (coord(a), coord(b)) {
            (Some(x), Some(y)) => Some((x, y, i)),
            (None, _) => {
                bad(
                    i,
                    &a.text,
                    "not a latitude (write 21.8537 or 21°51'12\"N)",
                    "không phải vĩ độ (viết 21.8537 hoặc 21°51'12\"N)",
                );
                None
            }
            (_, None) => {
                bad(
                    j,
                    &b.text,
                    "not a longitude (write 106.761 or 106°45'36\"E)",
                    "không phải kinh độ (viết 106.761 hoặc 106°45'36\"E)",
                );
                None
            }
        },
        // Of several position columns, the first that gives a position.
        (_, _, Some(_))
            if columns
                .iter()
                .filter(|(_, k)| *k == Column::LatLon)
                .filter_map(|(i, _)| cells.get(*i).map(|c| (*i, c)))
                .any(|(_, c)| position(&c.text).is_some()) =>
        {
            columns
                .iter()
                .filter(|(_, k)| *k == Column::LatLon)
                .filter_map(|(i, _)| cells.get(*i).map(|c| (*i, c)))
                .find_map(|(i, c)| position(&c.text).map(|(x, y)| (x, y, i)))
        }
        (_, _, Some((i, c))) => match values::map_link(&c.text) {
            Some(Ok((x, y))) => Some((x, y, i)),
            Some(Err(why)) => {
                note(
                    i,
                    format!("`{}`: {why}; the location is left out", c.text),
                    "đường dẫn bản đồ không chứa toạ độ (Waymark không mở đường dẫn): mở nó, nhấn giữ vào ghim rồi chép toạ độ",
                );
                None
            }
            None => match values::lat_lon(&c.text) {
                Some((x, y)) => Some((x, y, i)),
                None => {
                    bad(
                        i,
                        &c.text,
                        "not a position (write 21.8537, 106.761 or paste a Google Maps link)",
                        "không phải toạ độ (viết 21.8537, 106.761 hoặc dán đường dẫn Google Maps)",
                    );
                    None
                }
            },
        },
        _ => None,
    };
    if let Some((lat, lon, col)) = loc {
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            bad(col, &format!("{lat}, {lon}"), "latitude is between -90 and 90 and longitude between -180 and 180 (Lạng Sơn is near 21.85, 106.76)", "vĩ độ từ -90 đến 90, kinh độ từ -180 đến 180 (Lạng Sơn khoảng 21.85, 106.76)");
        } else {
            let mut m = Mapping::new();
            m.insert("lat".into(), lat.into());
            m.insert("lon".into(), lon.into());
            set("location", Value::Mapping(m), col, &mut row);
        }
    }
    if let Some((i, cell)) = get(Column::Phone) {
        match values::phones(cell) {
            Some(p) => set("phone", Value::String(p), i, &mut row),
            None => bad(
                i,
                &cell.text,
                "not a phone number (9 to 11 digits; two numbers separated by / or ,)",
                "không phải số điện thoại (9 đến 11 chữ số; hai số cách nhau bằng / hoặc ,)",
            ),
        }
    }
    if let Some((i, cell)) = get(Column::Price) {
        if kind == Kind::Homestay {
            match values::price(cell) {
                Ok(Some(p)) => set("price_from", Value::Number(p.into()), i, &mut row),
                Ok(None) => {}
                Err(why) => bad(
                    i,
                    &cell.text,
                    &why,
                    "viết giá bằng đồng, ví dụ 250000, 250.000đ hoặc từ 300.000",
                ),
            }
        } else {
            note(
                i,
                format!(
                    "the price `{}` is not read: a price is for homestays, and this row is in `{}`",
                    cell.text, row.section
                ),
                "giá chỉ dùng cho homestay: nhập với --section homestays, hoặc ghi homestays ở cột Section",
            );
        }
    }
    // `links` (every kind), one a line: an address, and a label after a space.
    if let Some((i, cell)) = get(Column::Links) {
        let mut list = Vec::new();
        for line in cell.text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (url, label) = line.split_once(' ').unwrap_or((line, ""));
            match values::web_link(url) {
                Ok(u) if label.trim().is_empty() => list.push(Value::String(u)),
                Ok(u) => {
                    let mut m = Mapping::new();
                    m.insert("url".into(), u.into());
                    m.insert("label".into(), label.trim().into());
                    list.push(Value::Mapping(m));
                }
                Err(why) => bad(i, line, &why, "không phải địa chỉ trang web"),
            }
        }
        if !list.is_empty() {
            set("links", Value::Sequence(list), i, &mut row);
        }
    }
    let guest_columns = [
        (Column::Rooms, "rooms"),
        (Column::Guests, "guests"),
        (Column::Amenities, "amenities"),
        (Column::Spoken, "languages"),
        (Column::CheckIn, "check_in"),
        (Column::CheckOut, "check_out"),
        (Column::PricePer, "price_per"),
        (Column::Closed, "closed"),
        (Column::PriceUpdated, "price_updated"),
    ];
    for (c, field) in guest_columns {
        let Some((i, cell)) = get(c) else { continue };
        if kind != Kind::Homestay {
            note(
                i,
                format!("`{}` is not read: `{field}` is for homestays, and this row is in `{}`", cell.text, row.section),
                "cột này chỉ dùng cho homestay: nhập với --section homestays, hoặc ghi homestays ở cột Section",
            );
            continue;
        }
        // Values as the build reads them; a wrong one is refused by the build's checks, at this cell.
        let v = match c {
            Column::Rooms | Column::Guests => {
                match cell.number.filter(|n| n.fract() == 0.0 && *n >= 0.0) {
                    Some(n) => Value::Number((n as u64).into()),
                    None => match cell.text.trim().parse::<u64>() {
                        Ok(n) => Value::Number(n.into()),
                        Err(_) => {
                            bad(i, &cell.text, "not a whole number", "không phải số nguyên");
                            continue;
                        }
                    },
                }
            }
            Column::Amenities | Column::Spoken => Value::Sequence(
                crate::vocab::tag_list(&cell.text)
                    .map(|t| Value::String(t.to_lowercase()))
                    .collect(),
            ),
            Column::Closed => Value::Sequence(
                (cell.text.lines().map(str::trim).filter(|l| !l.is_empty()))
                    .map(|l| Value::String(l.to_string()))
                    .collect(),
            ),
            // A spreadsheet's time of day is a fraction of a day.
            Column::CheckIn | Column::CheckOut => {
                match cell.number.filter(|n| (0.0..1.0).contains(n)) {
                    Some(f) => {
                        let minutes = (f * 1440.0).round() as u32;
                        Value::String(format!("{:02}:{:02}", minutes / 60, minutes % 60))
                    }
                    None => Value::String(cell.text.trim().to_string()),
                }
            }
            Column::PriceUpdated => match cell.number.and_then(crate::days::excel_day) {
                Some(day) => Value::String(day),
                None => Value::String(cell.text.trim().to_string()),
            },
            _ => match crate::slug::slugify(cell.text.trim()).as_str() {
                "phong" => Value::String("room".into()),
                "nguoi" => Value::String("person".into()),
                other => Value::String(other.to_string()),
            },
        };
        set(field, v, i, &mut row);
    }
    row.notes = get(Column::Notes).map(|(i, c)| {
        // The new entry's text: a problem in it (a link that leads nowhere) is this cell's.
        row.columns.insert("body".into(), header::letter(i));
        c.text.clone()
    });
    row.warnings = warnings;
    if problems.is_empty() {
        Ok(row)
    } else {
        Err(problems)
    }
}

fn coord(c: &Cell) -> Option<f64> {
    match c.number {
        Some(n) => Some(n),
        None => values::degrees(&c.text),
    }
}

/// Write every file whole or none: all beside their places first, then each renamed over.
fn write_all(site: &Path, writes: &[(PathBuf, String)]) -> Result<()> {
    for (rel, _) in writes {
        let dir = rel.parent().unwrap_or(Path::new(""));
        if !crate::edit::real_folders(site, dir) {
            return Err(Error::one(
                Diagnostic::error(
                    dir,
                    "a link or a file stands where this folder should be; nothing was written",
                )
                .hint("make it a real folder inside the site, then import again"),
            ));
        }
    }
    let files: Vec<(PathBuf, &[u8])> = writes
        .iter()
        .map(|(rel, text)| (site.join(rel), text.as_bytes()))
        .collect();
    crate::output::write_all_or_none(&files).map_err(|e| Error::io(site, e))
}
