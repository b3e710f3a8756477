//! `waymark import`: a culture office's list of ranked relics, or a district's homestays, read
//! from a spreadsheet into entries. The header row is found below title rows; columns are
//! matched by their Vietnamese or English names; each row becomes an entry (as `waymark new`
//! makes one, its code pinned in plaques.lock) or, matched to an existing entry by its code or
//! its title and commune, a field-by-field change written only with `--update`, through the
//! editor's format-preserving writer. Every file is checked as a build checks it, and the run
//! writes all of its files or none.

//!
//! The steps of `run`: `table` reads the workbook, `header` finds what each column holds,
//! `read` tells places from other lines and reads them (`rows`, `values`), `plan` matches each
//! to the site, `batch` gives new entries their slugs and codes in sheet order and makes their
//! files; then the site as the import would leave it is checked whole, and the files written
//! all or none. `place` names a sheet's row and cell in every message.

mod batch;
mod header;
mod place;
mod plan;
mod read;
mod rows;
pub mod table;
pub mod values;

use crate::config::Config;
use crate::content;
use crate::error::{Diagnostic, Error, Result};
use crate::ledger::Ledger;
use batch::Batch;
use place::{in_sheet, Sheet};
use plan::Known;
use rayon::prelude::*;
use read::Read;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

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

pub fn run(opts: &Options) -> Result<Report> {
    let config = Config::load(&opts.site)?;
    let section = opts.section.clone().unwrap_or_else(|| "relics".into());
    if !read::section_name(&section) {
        return Err(Error::Usage(format!(
            "--section `{section}` is not a section folder name (lower-case letters, digits and -)"
        )));
    }
    let (table, head) = open(opts)?;
    let sheet = Sheet::new(&opts.file, &table.sheet, head.columns.clone());
    let Read {
        rows,
        refused,
        passed_over,
        places,
    } = read::read_places(&table, head.last_row, &sheet, &section);

    let _lock = if opts.dry_run {
        None
    } else {
        crate::lock::SiteLock::take(&opts.site)
    };
    let mut ledger = Ledger::load(&opts.site)?;
    let known = Known::load(&opts.site, &config, &ledger);
    // Each row planned in parallel: a plan reads and checks, it writes nothing.
    let planned: Vec<_> = rows
        .par_iter()
        .map(|r| (r.number, plan::plan(r, &opts.site, &known, &sheet)))
        .collect();
    let (mut batch, pending) = Batch::new(planned, refused, &rows, &known, &ledger, &sheet);
    batch.make_new(pending, &opts.site, &rows, &sheet, &mut ledger);
    batch.in_order();

    if !opts.update {
        let existing: HashSet<&PathBuf> = known.files.values().map(|e| &e.file).collect();
        batch.writes.retain(|(file, _)| !existing.contains(file));
    }
    // Most rows refused: the list was likely misread (a header taken for another, a shifted
    // column), and what was read should not pin plaque codes forever. Said only when it holds
    // something back.
    let refused_rows = batch.refused();
    let misread =
        (refused_rows * 2 > places && !batch.writes.is_empty()).then_some((refused_rows, places));
    let write = !(opts.dry_run
        || batch.writes.is_empty()
        || opts.strict && refused_rows > 0
        || misread.is_some() && !opts.partial);
    if write {
        check_whole_site(&opts.site, &config, &batch, &rows, &sheet)?;
        write_all(&opts.site, &batch.writes)?;
        if !batch.new_codes.is_empty() {
            ledger.save(&opts.site)?;
        }
    }
    Ok(Report {
        files: batch.writes.iter().map(|(f, _)| f.clone()).collect(),
        rows: batch.outcomes,
        written: write,
        sheet: table.sheet.clone(),
        encoding: table.encoding,
        warnings: batch.warnings,
        unused: head
            .unused
            .iter()
            .map(|(j, n)| format!("column {} `{n}`", header::letter(*j)))
            .collect(),
        passed_over,
        misread,
    })
}

/// The sheet read, and its header found.
fn open(opts: &Options) -> Result<(table::Table, header::Header)> {
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
    Ok((table, head))
}

/// The site as this import leaves it must build, as an editor save must: checked whole (slugs,
/// codes and the ledger, links) before anything is written; a file this import would write is
/// named by its row and cell.
fn check_whole_site(
    site: &Path,
    config: &Config,
    batch: &Batch,
    rows: &[read::Row],
    sheet: &Sheet,
) -> Result<()> {
    let mut staged = content::Staged::default();
    staged.texts.extend(batch.writes.iter().cloned());
    let pages: Vec<String> = batch
        .writes
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
    let problems = crate::edit::whole_site::new_problems(site, config, &staged, &ids, None);
    if problems.is_empty() {
        return Ok(());
    }
    let cells_of: HashMap<usize, &HashMap<String, String>> =
        rows.iter().map(|r| (r.number, &r.columns)).collect();
    let placed = problems
        .into_iter()
        .flat_map(|d| match batch.row_of.get(&d.file) {
            Some(&n) => {
                let text = staged.texts.get(&d.file).cloned().unwrap_or_default();
                in_sheet(vec![d], n, cells_of[&n], &text, sheet)
            }
            None => vec![d],
        })
        .collect();
    Err(Error::Site(placed))
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
