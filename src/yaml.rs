//! The one place that talks to the YAML library, so that it can be swapped in one place
//! (serde_yaml is archived upstream; serde_yaml_ng is its maintained fork).
//! Its errors become diagnostics with the line in the user's file and a fix.

use crate::error::{suggest, Diagnostic};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Parse `text` (which starts at line `first_line` of `file`) into `T`.
/// `known` lists the accepted field names, for "did you mean" hints.
/// The field names of serde's "expected one of `a`, `b`" (or "expected `a`"), if it says them.
fn expected_fields(msg: &str) -> Vec<&str> {
    let Some(i) = msg.find(", expected ") else {
        return Vec::new();
    };
    let list = &msg[i + ", expected ".len()..];
    let list = list.strip_prefix("one of ").unwrap_or(list);
    let list = list.split(" at line ").next().unwrap_or(list);
    list.split(", ")
        .flat_map(|f| f.split(" or "))
        .filter_map(|f| f.trim().strip_prefix('`')?.strip_suffix('`'))
        .collect()
}

pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    whole_file: &str,
    first_line: usize,
    known: &[&str],
) -> Result<T, Diagnostic> {
    // An empty document is `null` to YAML; treat it as an empty mapping so that
    // "missing field `title`" is what the user hears.
    let doc = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml_ng::from_str(doc)
        .map_err(|e| to_diagnostic(&e, text, file, whole_file, first_line, known))
}

fn to_diagnostic(
    e: &serde_yaml_ng::Error,
    text: &str,
    file: &Path,
    whole_file: &str,
    first_line: usize,
    known: &[&str],
) -> Diagnostic {
    let raw = e.to_string();
    // The library appends " at line L column C" about its own snippet; we give the file's line instead.
    let msg = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let (line, column) = match e.location() {
        Some(loc) => (first_line + loc.line() - 1, Some(loc.column())),
        None => (first_line, None),
    };
    let mut d = Diagnostic::error(file, msg.clone());
    if let Some(field) = between_backticks(&msg, "unknown field `") {
        d.message = format!("unknown field `{field}`");
        // In a nested mapping (`photos:`, `location:`) serde names the fields it expected there.
        let expected = expected_fields(&msg);
        let known: &[&str] = if expected.is_empty() {
            known
        } else {
            &expected
        };
        let (hint, vi) = match suggest(field, known) {
            Some(k) => (
                format!("did you mean `{k}`? Known fields: {}", known.join(", ")),
                format!("không có trường `{field}`; có phải bạn định viết `{k}`?"),
            ),
            None => (
                format!("remove it, or use one of: {}", known.join(", ")),
                format!(
                    "không có trường `{field}`; hãy xoá dòng này hoặc dùng một trong: {}",
                    known.join(", ")
                ),
            ),
        };
        d = d.hint(hint).vi(vi);
    } else if let Some(field) = between_backticks(&msg, "missing field `") {
        d.message = format!("missing field `{field}`");
        d = d
            .hint(format!("add a line `{field}: ...` to the front matter"))
            .vi(format!(
                "thiếu trường `{field}`: thêm một dòng `{field}: ...` vào phần đầu tệp"
            ));
    } else if let Some(field) = between_backticks(&msg, "duplicate field `") {
        // The library points at the mapping; the user needs the repeated line.
        let second = text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                l.trim_start()
                    .strip_prefix(field)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
            .nth(1)
            .map(|(i, _)| first_line + i);
        let d = Diagnostic::error(file, format!("the field `{field}` is set twice"))
            .hint("each field may appear once: remove or merge the repeated line")
            .vi(format!(
                "trường `{field}` được viết hai lần: xoá hoặc gộp dòng lặp lại"
            ));
        return d.at(second.unwrap_or(line), None).with_source(whole_file);
    } else if msg.contains("duplicate entry") {
        d = d.hint("each field may appear once: remove or merge the repeated line");
    } else if msg.contains("invalid type: floating point") && msg.contains("u64") {
        // `350.000` is how Vietnamese writes three hundred and fifty thousand: YAML reads 350.
        d.message = plain_types(&msg);
        d = d
            .hint("write a price in đồng as digits alone, without dots or spaces: 350000")
            .vi("ghi giá bằng chữ số liền nhau, không có dấu chấm: 350000 (không viết 350.000)");
    } else if let Some(n) = price_written_as_people_do(&msg) {
        d.message = plain_types(&msg);
        d = d
            .hint(format!("write a price in đồng as digits alone: {n}"))
            .vi(format!("ghi giá bằng chữ số liền nhau: {n}"));
    } else if msg.contains("invalid type") || msg.contains("invalid value") {
        d.message = plain_types(&msg);
        d = d
            .hint("check the value's form against the front-matter reference in README.md (numbers unquoted, lists in [ ])")
            .vi("giá trị sai kiểu: số viết không có ngoặc kép, danh sách đặt trong [ ]");
    } else if msg.contains("unknown variant") {
        d = d.hint("use one of the values the message lists");
    } else if msg.contains("found character that cannot start any token") || msg.contains("tab") {
        d = d.hint(
            "YAML indents with spaces, never tabs; a value with `:` or `#` must be in quotes").vi("YAML thụt lề bằng dấu cách, không dùng phím Tab; giá trị có `:` hoặc `#` phải đặt trong ngoặc kép",
        );
    } else {
        d = d.hint(
            "check the YAML syntax on this line: `field: value`, values with `:` or `#` in quotes").vi("dòng này viết sai cú pháp: viết `tên_trường: giá trị`, giá trị có `:` hoặc `#` đặt trong ngoặc kép",
        );
    }
    d.at(line, column).with_source(whole_file)
}

/// The price a whole number's field was given as text ("250.000đ", "1tr2", "350k"), read.
fn price_written_as_people_do(msg: &str) -> Option<u64> {
    let (_, rest) = msg.split_once("invalid type: string \"")?;
    let (text, expected) = rest.split_once("\", expected ")?;
    if !expected.starts_with("u64") {
        return None;
    }
    crate::vocab::vnd(text).ok().flatten()
}

/// serde names the Rust type it wanted ("expected usize"); a volunteer needs the kind of value.
fn plain_types(msg: &str) -> String {
    let Some(i) = msg.rfind(", expected ") else {
        return msg.to_string();
    };
    let wanted = match &msg[i + ", expected ".len()..] {
        "usize" | "u32" | "u64" | "u16" => "a whole number, 0 or more",
        "u8" => "a whole number from 0 to 255",
        "i32" | "i64" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" | "bool" => "true or false",
        _ => return msg.to_string(),
    };
    format!("{}, expected {wanted}", &msg[..i])
}

fn between_backticks<'a>(msg: &'a str, prefix: &str) -> Option<&'a str> {
    let start = msg.find(prefix)? + prefix.len();
    let end = msg[start..].find('`')?;
    Some(&msg[start..start + end])
}

/// The 1-based line (in the whole file) where `key:` is set at the top level of the front matter,
/// so that checks made after parsing can still point at the right line.
pub fn key_line(front_matter: &str, first_line: usize, key: &str) -> usize {
    front_matter
        .lines()
        .position(|l| {
            let t = l.trim_start();
            t.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| first_line + i)
        .unwrap_or(first_line.saturating_sub(1).max(1))
}

/// The 1-based line of the first line at or below the top-level `key:` that holds `needle`: an
/// item of a list (`links:`), so that its problem is said at its own line.
pub fn item_line(front_matter: &str, first_line: usize, key: &str, needle: &str) -> usize {
    let start = key_line(front_matter, first_line, key);
    front_matter
        .lines()
        .enumerate()
        .skip(start.saturating_sub(first_line))
        .find(|(_, l)| l.contains(needle))
        .map_or(start, |(i, _)| first_line + i)
}

#[cfg(test)]
mod tests {
    #[test]
    fn nested_unknown_fields_are_matched_against_their_own_mapping() {
        assert_eq!(
            super::expected_fields(
                "unknown field `widht`, expected one of `widths`, `jpeg_quality`, `webp_quality`"
            ),
            vec!["widths", "jpeg_quality", "webp_quality"]
        );
        assert_eq!(
            super::expected_fields("unknown field `lng`, expected `lat` or `lon`"),
            vec!["lat", "lon"]
        );
        assert!(super::expected_fields("missing field `title`").is_empty());
        assert_eq!(
            super::plain_types("paginate_by: invalid type: string \"many\", expected usize"),
            "paginate_by: invalid type: string \"many\", expected a whole number, 0 or more"
        );
        let other = "invalid type: map, expected a sequence";
        assert_eq!(super::plain_types(other), other);
    }

    #[test]
    fn a_price_written_as_text_is_read_for_the_fix() {
        let read = |m: &str| super::price_written_as_people_do(m);
        let msg = |v: &str| format!("price_from: invalid type: string \"{v}\", expected u64");
        assert_eq!(read(&msg("250.000đ")), Some(250_000));
        assert_eq!(read(&msg("1tr2")), Some(1_200_000));
        assert_eq!(read(&msg("350k")), Some(350_000));
        assert_eq!(read(&msg("liên hệ")), None);
        let other = "rooms: invalid type: string \"5\", expected usize";
        assert_eq!(read(other), None);
    }
}
