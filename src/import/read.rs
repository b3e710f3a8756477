//! The sheet's rows read: each line under the header told apart (a place, a group that gives
//! the places under it their district or commune, a total, a heading, the signatures), and
//! each place read into fields, with the cell of each for messages.

use super::header::{self, Column};
use super::place::Sheet;
use super::rows;
use super::table::{fold, Cell, Table};
use super::values;
use crate::edit::document::Change;
use crate::error::Diagnostic;
use crate::vocab::Kind;
use serde_yaml_ng::{Mapping, Value};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// One row read into fields, before it is matched to an entry.
pub struct Row {
    pub number: usize,
    /// The section folder and kind of entry: the sheet's `Section` column, else `--section`.
    pub section: String,
    pub kind: Kind,
    pub title: String,
    pub commune: Option<String>,
    pub code: Option<String>,
    pub changes: Vec<Change>,
    pub notes: Option<String>,
    /// Column letter of each field, for messages.
    pub columns: HashMap<String, String>,
    /// What was read with a caveat.
    pub warnings: Vec<Diagnostic>,
    /// Told apart from another row of the same name by its commune in its address.
    pub by_commune: bool,
}

/// What the lines under the header are.
pub struct Read {
    /// The places read, in sheet order.
    pub rows: Vec<Row>,
    /// Places that could not be read, by row.
    pub refused: Vec<(usize, Vec<Diagnostic>)>,
    /// Rows that are not places, and what each is.
    pub passed_over: Vec<(usize, String)>,
    /// How many rows are places (read or refused).
    pub places: usize,
}

/// Reads every line under the header (`below`: the header's last row).
pub fn read_places(table: &Table, below: usize, sheet: &Sheet, section: &str) -> Read {
    let columns = &sheet.columns;
    let title_col = columns
        .iter()
        .find(|(_, c)| *c == Column::Title)
        .map(|(i, _)| *i)
        .unwrap_or(0);
    let place = |row: usize, col: usize| sheet.at(row, col);
    let mut read = Read {
        rows: Vec::new(),
        refused: Vec::new(),
        passed_over: Vec::new(),
        places: 0,
    };
    // Rows that are not places are passed over and said; a group row that names a district
    // gives it to the places under it, until the next group.
    let mut group_district: Option<String> = None;
    let mut group_commune: Option<String> = None;
    // A numbered list ("STT" filled on most rows): a row without a number there is no place.
    let sequence = columns
        .iter()
        .find(|(_, c)| *c == Column::Sequence)
        .map(|(i, _)| *i);
    let numbered = sequence.filter(|&j| {
        // Among the rows that fill more than one cell (places do; a heading or a total, one).
        let filled: Vec<&Vec<Cell>> = table.rows[below + 1..]
            .iter()
            .filter(|r| r.iter().filter(|c| !c.text.is_empty()).count() >= 2)
            .collect();
        let with = filled.iter().filter(|r| rows::has_number(r.get(j))).count();
        with >= 2 && with * 2 >= filled.len()
    });
    for (i, cells) in table.rows.iter().enumerate().skip(below + 1) {
        let number = i + 1;
        let passed = &mut read.passed_over;
        match rows::classify(cells, title_col, numbered) {
            rows::Line::Blank => continue,
            rows::Line::Numbers => passed.push((number, "column numbers".into())),
            rows::Line::Total => passed.push((number, "a total".into())),
            rows::Line::Heading => passed.push((
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
                passed.push((number, what));
                // A commune's group sits inside its district's; a district's starts afresh.
                if commune.is_none() {
                    group_district = district;
                }
                group_commune = commune;
            }
            rows::Line::Signatures => {
                passed.push((number, "notes or signatures, to the end".into()));
                break;
            }
            rows::Line::Place => {
                read.places += 1;
                let ctx = RowContext {
                    section,
                    district: group_district.as_deref(),
                    commune: group_commune.as_deref(),
                };
                match read_row(number, cells, columns, &ctx, &place) {
                    Ok(r) => read.rows.push(r),
                    Err(d) => read.refused.push((number, d)),
                }
            }
        }
    }
    mark_same_names(&mut read.rows);
    read
}

/// The same name in two communes: two places, their slugs told apart by commune.
fn mark_same_names(rows: &mut [Row]) {
    let key = |r: &Row| format!("{}/{}", r.section, crate::slug::slugify(&r.title));
    let mut communes: HashMap<String, HashSet<String>> = HashMap::new();
    for r in rows.iter() {
        communes
            .entry(key(r))
            .or_default()
            .insert(fold(r.commune.as_deref().unwrap_or("")));
    }
    for r in rows.iter_mut() {
        r.by_commune = communes.get(&key(r)).is_some_and(|c| c.len() > 1);
    }
}

/// Whether `s` can name a section folder.
pub fn section_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A position a cell gives: a map link that holds one, or degrees.
fn position(text: &str) -> Option<(f64, f64)> {
    match values::map_link(text) {
        Some(Ok(p)) => Some(p),
        Some(Err(_)) => None,
        None => values::lat_lon(text),
    }
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
