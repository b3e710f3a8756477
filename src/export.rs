//! `waymark export`: one row per entry, for the province's report and the print shop's list of
//! codes and links: CSV that Excel and LibreOffice open with Vietnamese intact (UTF-8 with a
//! BOM), or XLSX with a frozen header row and columns as wide as their text. Its headers are
//! ones `waymark import` reads, so exporting and importing the file back changes nothing.

use crate::error::{Error, Result};
use crate::pipeline::{BuildOptions, Pipeline};
use std::path::{Path, PathBuf};

pub struct Table {
    pub headers: Vec<String>,
    /// Cells as text, and whether a cell is a number (written as one in XLSX).
    pub rows: Vec<Vec<(String, bool)>>,
}

pub fn table(site: &Path) -> Result<Table> {
    let opts = BuildOptions {
        site: site.to_path_buf(),
        drafts: true,
        ..BuildOptions::default()
    };
    let model = Pipeline::new(&opts).load(&opts)?;
    let s = &model.site;
    let default = s.default_language().to_string();
    let others: Vec<String> = s
        .config
        .languages
        .iter()
        .filter(|l| **l != default)
        .cloned()
        .collect();
    let mut headers: Vec<String> = ["Code", "Short link", "Page", "Section", "Title"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    headers.extend(others.iter().map(|l| format!("Title ({l})")));
    headers.extend(
        [
            "District",
            "Commune",
            "Latitude",
            "Longitude",
            "Ranking",
            "Recognized",
            "Phone",
            "Price",
            "Price per",
            "Price updated",
            "Rooms",
            "Guests",
            "Amenities",
            "Languages",
            "Check-in",
            "Check-out",
            "Closed",
            "Links",
            "Photos",
            "Audio",
            "Translations",
            "Printed",
            "Draft",
        ]
        .iter()
        .map(|h| h.to_string()),
    );
    let mut rows = Vec::new();
    let mut entries: Vec<&crate::site::Entry> = s.entries.iter().collect();
    entries.sort_by(|a, b| a.code.cmp(&b.code));
    for e in entries {
        let m = &e.matter;
        let text = |v: &str| (v.to_string(), false);
        let num = |v: String| (v, true);
        let opt = |v: &Option<String>| text(v.as_deref().unwrap_or(""));
        let mut row = vec![
            text(&e.code),
            text(&s.short_link(&e.code)),
            text(&s.absolute(&s.entry_path(e, &default))),
            text(&e.section),
            text(&m.title),
        ];
        for l in &others {
            row.push(text(e.texts.get(l).map(|t| t.title.as_str()).unwrap_or("")));
        }
        let translated: Vec<&str> = others
            .iter()
            .filter(|l| e.texts.contains_key(*l))
            .map(String::as_str)
            .collect();
        row.extend([
            opt(&m.district),
            opt(&m.commune),
            m.location.map_or(text(""), |l| num(l.lat.to_string())),
            m.location.map_or(text(""), |l| num(l.lon.to_string())),
            text(m.ranking.map(|r| r.key()).unwrap_or("")),
            m.recognized.map_or(text(""), |y| num(y.to_string())),
            opt(&m.phone),
            m.price_from.map_or(text(""), |p| num(p.to_string())),
            opt(&m.price_per),
            opt(&m.price_updated),
            m.rooms.map_or(text(""), |n| num(n.to_string())),
            m.guests.map_or(text(""), |n| num(n.to_string())),
            text(&m.amenities.join(", ")),
            text(&m.languages.join(", ")),
            opt(&m.check_in),
            opt(&m.check_out),
            text(&m.closed.join("\n")),
            // One a line, as the importer reads them: the address, then its label.
            text(
                &(m.links.iter())
                    .map(|l| match l.label() {
                        Some(label) => format!("{} {label}", l.url()),
                        None => l.url().to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            num(m.images.len().to_string()),
            opt(&m.audio),
            text(&translated.join(", ")),
            text(
                model
                    .ledger
                    .codes
                    .get(&e.code)
                    .and_then(|r| r.printed.as_deref())
                    .unwrap_or(""),
            ),
            text(if m.draft { "yes" } else { "" }),
        ]);
        rows.push(row);
    }
    Ok(Table { headers, rows })
}

pub fn csv(t: &Table) -> Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let io = |e: csv::Error| Error::Usage(format!("cannot write CSV: {e}"));
        w.write_record(&t.headers).map_err(io)?;
        for r in &t.rows {
            w.write_record(r.iter().map(|(v, is_num)| guarded(v, *is_num).into_owned()))
                .map_err(io)?;
        }
        w.flush()
            .map_err(|e| Error::Usage(format!("cannot write CSV: {e}")))?;
    }
    Ok(out)
}

/// A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first: a title
/// written by anyone could be `=HYPERLINK(...)`) gets the apostrophe that makes it text; import
/// drops it again.
fn guarded(v: &str, is_num: bool) -> std::borrow::Cow<'_, str> {
    if !is_num && v.starts_with(['=', '+', '-', '@']) {
        format!("'{v}").into()
    } else {
        v.into()
    }
}

pub fn xlsx(t: &Table) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| Error::Usage(format!("cannot write XLSX: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Waymark").map_err(err)?;
    let bold = Format::new().set_bold();
    let mut widths: Vec<usize> = t.headers.iter().map(|h| h.chars().count()).collect();
    for (c, h) in t.headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, h, &bold)
            .map_err(err)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (c, (v, is_num)) in row.iter().enumerate() {
            let (r, col) = (r as u32 + 1, c as u16);
            match v.parse::<f64>() {
                Ok(n) if *is_num => sheet.write_number(r, col, n).map_err(err)?,
                _ => sheet.write_string(r, col, v).map_err(err)?,
            };
            widths[c] = widths[c].max(v.chars().count());
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    for (c, w) in widths.iter().enumerate() {
        sheet
            .set_column_width(c as u16, (*w).clamp(6, 60) as f64 + 2.0)
            .map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

/// Write `bytes` as `output/export/entries.<format>`, a product of the output generations (kept
/// by builds, replaced whole by the next export). Returns the path to show.
pub fn publish(site: &Path, format: &str, bytes: Vec<u8>) -> Result<PathBuf> {
    let out = site.join("output");
    crate::output::check_target(&out, false)?;
    let rel = format!("{}entries.{format}", crate::address::EXPORT);
    let writer = crate::output::Writer::begin(&out, &[crate::address::EXPORT])?;
    let emit = crate::output::Emitter::new(&writer);
    // The other format's table stays.
    let dir = out.join(crate::address::EXPORT);
    for other in ["csv", "xlsx"].iter().filter(|f| **f != format) {
        let name = format!("entries.{other}");
        if let Ok(old) = std::fs::read(dir.join(&name)) {
            emit.put(crate::output::OutFile::bytes(
                format!("{}{name}", crate::address::EXPORT),
                old,
            ))?;
        }
    }
    emit.put(crate::output::OutFile::bytes(rel.clone(), bytes))?;
    drop(emit);
    writer.finish()?;
    Ok(out.join(rel))
}
