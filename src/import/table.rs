//! A spreadsheet as rows of text cells, whatever it came as: `.xlsx`, `.xls`, `.ods` (calamine)
//! or `.csv` (csv, in UTF-8 with or without BOM, UTF-16, or Windows-1258 as Vietnamese Excel
//! saves it). Merged cells give their value to every cell they cover, so a district merged down
//! ten rows is the district of each.

use calamine::{Data, Reader};
use std::path::Path;

/// One cell: its text as shown, and the number when it is one (Excel dates are numbers).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    pub number: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// The sheet's name (`CSV` for a CSV file).
    pub sheet: String,
    /// Rows from the sheet's first row (row 1 is `rows[0]`), columns from column A.
    pub rows: Vec<Vec<Cell>>,
    /// How a CSV file was decoded, to say so.
    pub encoding: Option<&'static str>,
}

/// Read `path` (its sheet `sheet`, else the first); the error says what is wrong in words.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Table, String> {
    if !path.is_file() {
        return Err(if path.is_dir() {
            "is a folder: give the spreadsheet file itself".into()
        } else {
            "does not exist: check the file's name and folder".into()
        });
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let table = match ext.as_str() {
        "csv" | "txt" => read_csv(path),
        "xlsx" | "xlsm" | "xls" | "ods" | "xlsb" => read_workbook(path, sheet),
        "" => Err("has no extension to tell its format: name it .xlsx, .xls, .ods or .csv".into()),
        _ => Err(format!(
            "is a `.{ext}` file, not a spreadsheet Waymark reads: save it as .xlsx, .xls, .ods or .csv"
        )),
    }?;
    Ok(composed(table))
}

/// Every cell in NFC: text typed with combining tone marks (some keyboards and systems send
/// them) is the same text as with precomposed letters, and is written and compared as such.
fn composed(mut table: Table) -> Table {
    use unicode_normalization::{is_nfc, UnicodeNormalization};
    for cell in table.rows.iter_mut().flatten() {
        if !is_nfc(&cell.text) {
            cell.text = cell.text.nfc().collect();
        }
    }
    if !is_nfc(&table.sheet) {
        table.sheet = table.sheet.nfc().collect();
    }
    table
}

fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<Table, String> {
    let mut book = calamine::open_workbook_auto(path).map_err(|e| {
        format!("cannot be opened as a workbook ({e}): is it damaged, protected by a password, or another kind of file renamed? Open it in Excel or LibreOffice and save it again")
    })?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s || fold(n) == fold(s))
            .cloned()
            .ok_or_else(|| format!("has no sheet `{s}`; its sheets are: {}", names.join(", ")))?,
        None => names.first().cloned().ok_or("has no sheet")?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| format!("sheet `{name}` cannot be read: {e}"))?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); r0 as usize];
    for row in range.rows() {
        let mut cells = vec![Cell::default(); c0 as usize];
        cells.extend(row.iter().map(cell));
        rows.push(cells);
    }
    let merged = match &mut book {
        calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        #[allow(deprecated)]
        calamine::Sheets::Xls(x) => x.worksheet_merge_cells(&name).unwrap_or_default(),
        _ => Vec::new(),
    };
    for m in merged {
        let value = rows
            .get(m.start.0 as usize)
            .and_then(|r| r.get(m.start.1 as usize))
            .cloned()
            .unwrap_or_default();
        for r in m.start.0..=m.end.0 {
            for c in m.start.1..=m.end.1 {
                let Some(row) = rows.get_mut(r as usize) else {
                    continue;
                };
                if row.len() <= c as usize {
                    row.resize(c as usize + 1, Cell::default());
                }
                row[c as usize] = value.clone();
            }
        }
    }
    Ok(Table {
        sheet: name,
        rows,
        encoding: None,
    })
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::default(),
        Data::String(s) => Cell {
            text: s.trim().to_string(),
            number: None,
        },
        Data::Int(i) => Cell {
            text: i.to_string(),
            number: Some(*i as f64),
        },
        Data::Float(f) => Cell {
            text: if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            },
            number: Some(*f),
        },
        Data::Bool(b) => Cell {
            text: b.to_string(),
            number: None,
        },
        Data::DateTime(dt) => Cell {
            text: crate::days::excel_day(dt.as_f64()).unwrap_or_default(),
            number: Some(dt.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell {
            text: s.clone(),
            number: None,
        },
        Data::Error(_) => Cell::default(),
    }
}

fn read_csv(path: &Path) -> Result<Table, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot be read: {e}"))?;
    let (text, encoding) = decode(&bytes)?;
    // Excel in a Vietnamese locale separates with `;` when `,` is the decimal mark.
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("row {} cannot be read as CSV: {e}", i + 1))?;
        rows.push(
            record
                .iter()
                .map(|t| {
                    // `'=x` is the text `=x`, as spreadsheets (and `waymark export`) write it.
                    let t = t.trim();
                    let text = match t.strip_prefix('\'') {
                        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
                        _ => t.to_string(),
                    };
                    let number = number(&text);
                    Cell { text, number }
                })
                .collect(),
        );
    }
    Ok(Table {
        sheet: "CSV".into(),
        rows,
        encoding: Some(encoding),
    })
}

/// A CSV cell's number, when it is one as written (`21.85`, `250000`).
fn number(s: &str) -> Option<f64> {
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    ok.then(|| s.parse().ok()).flatten()
}

/// CSV bytes as text: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1258.
fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, bad) = enc.decode(&bytes[bom..]);
        if bad {
            return Err(format!("is not valid {} text", enc.name()));
        }
        return Ok((text.into_owned(), enc.name()));
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok((t.to_string(), "UTF-8")),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1258.decode(bytes);
            Ok((
                unicode_normalization::UnicodeNormalization::nfc(text.as_ref()).collect(),
                "Windows-1258",
            ))
        }
    }
}

pub use crate::slug::fold;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let (t, e) = decode("\u{feff}Tên,Xã\nĐền,Hoàng Văn Thụ\n".as_bytes()).unwrap();
        assert_eq!((t.starts_with("Tên"), e), (true, "UTF-8"));
        // "Tên,Xã\nĐền" as Vietnamese Windows saves it: ê and Đ are one byte each, the tone
        // marks combining ones (0xDE tilde, 0xCC grave).
        let bytes = [
            0x54, 0xEA, 0x6E, 0x2C, 0x58, 0x61, 0xDE, 0x0A, 0xD0, 0xEA, 0xCC, 0x6E,
        ];
        let (t, e) = decode(&bytes).unwrap();
        assert_eq!(e, "Windows-1258");
        assert_eq!(t, "Tên,Xã\nĐền");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Tên,Xã\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(
            decode(&utf16).unwrap(),
            ("Tên,Xã\n".to_string(), "UTF-16LE")
        );
    }

    #[test]
    fn combining_tone_marks_are_composed() {
        let nfd = "Đe\u{302}\u{300}n Ky\u{300} Cu\u{300}ng";
        let t = composed(Table {
            sheet: "Di ti\u{301}ch".into(),
            rows: vec![vec![Cell {
                text: nfd.into(),
                number: None,
            }]],
            encoding: None,
        });
        assert_eq!(t.rows[0][0].text, "Đền Kỳ Cùng");
        assert_eq!(t.sheet, "Di tích");
    }

    #[test]
    fn excel_serials_and_folding() {
        assert_eq!(
            crate::days::excel_day(32_224.0).as_deref(),
            Some("1988-03-22")
        );
        assert_eq!(fold("  Tên  Di TÍCH "), "ten di tich");
    }
}
