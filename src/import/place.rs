//! Where in the spreadsheet: a row and cell named as `file:sheet:row N:column L`, so that every
//! problem says which cell to correct.

use super::header::{self, Column};
use crate::error::Diagnostic;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The sheet read, and what its columns hold.
pub struct Sheet {
    /// The file as the person named it.
    pub file: String,
    /// The sheet's name in the workbook.
    pub name: String,
    pub columns: Vec<(usize, Column)>,
}

impl Sheet {
    pub fn new(file: &Path, name: &str, columns: Vec<(usize, Column)>) -> Sheet {
        Sheet {
            file: file.display().to_string(),
            name: name.to_string(),
            columns,
        }
    }

    /// Row `row` (counted as the spreadsheet counts), column `col` (from 0).
    pub fn at(&self, row: usize, col: usize) -> PathBuf {
        PathBuf::from(format!(
            "{}:{}:row {row}:column {}",
            self.file,
            self.name,
            header::letter(col)
        ))
    }

    /// The first column that holds `c` (column A when none does, for messages).
    pub fn column(&self, c: Column) -> usize {
        self.columns
            .iter()
            .find(|(_, k)| *k == c)
            .map(|(i, _)| *i)
            .unwrap_or(0)
    }
}

/// Where to correct a build check's problem in a row: its sheet, row and the cell of the field
/// the problem's line falls in (an entry's file that does not exist yet names nothing).
pub fn in_sheet(
    problems: Vec<Diagnostic>,
    number: usize,
    columns: &HashMap<String, String>,
    text: &str,
    sheet: &Sheet,
) -> Vec<Diagnostic> {
    problems
        .into_iter()
        .map(|mut d| {
            let col = columns
                .get(&field_of(&d, text))
                .or_else(|| columns.get("title"))
                .map(|c| header::index(c))
                .unwrap_or(0);
            d.file = sheet.at(number, col);
            d.line = None;
            d.column = None;
            d.source_line = None;
            d
        })
        .collect()
}

/// The field a diagnostic's line falls in.
fn field_of(d: &Diagnostic, text: &str) -> String {
    d.line
        .and_then(|l| crate::edit::field_at(text, l))
        .unwrap_or_default()
}
