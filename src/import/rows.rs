//! What a row under the header is. Offices' lists put rows between and around their places: a
//! row of column numbers "(1) (2) …", group rows ("I. Thành phố Lạng Sơn", "II | HUYỆN CAO
//! LỘC") that name the district of the rows below, totals ("Cộng", "Tổng số: 7 di tích") and,
//! at the end, the signature block ("Lạng Sơn, ngày 15 tháng 3 năm 2024", "Người lập biểu",
//! "KT. GIÁM ĐỐC", a name). None of them is a place.

use super::table::{fold, Cell};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A place.
    Place,
    /// Nothing in it.
    Blank,
    /// "(1) (2) (3)…" or "1 2 3…" under the header.
    Numbers,
    /// A group: the district or the commune it names, if it names one.
    Group {
        district: Option<String>,
        commune: Option<String>,
    },
    /// "Cộng", "Tổng số: 2 di tích".
    Total,
    /// One line of text across a numbered list, without a number of its own: a heading or a
    /// note ("* Di tích đang đề nghị xếp hạng", "Toàn huyện: 3 di tích").
    Heading,
    /// The signature block begins: this row and every one below it are not places.
    Signatures,
}

/// What `cells` is; `title` is the name column's index, `numbered` the number column ("STT")
/// when most rows of the list have a number there.
pub fn classify(cells: &[Cell], title: usize, numbered: Option<usize>) -> Line {
    let texts: Vec<&str> = cells
        .iter()
        .map(|c| c.text.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    if texts.is_empty() {
        return Line::Blank;
    }
    let name = cells.get(title).map(|c| c.text.as_str()).unwrap_or("");
    if texts.iter().any(|t| signature(t)) && (name.is_empty() || signature(name)) {
        return Line::Signatures;
    }
    // "Ghi chú: …" under the table: the list's notes, which end it as a signature does.
    let note = |t: &str| {
        let f = fold(t);
        ["ghi chu", "luu y", "nguon"].iter().any(|w| {
            f.strip_prefix(w)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
    };
    if texts.iter().all(|t| *t == texts[0]) && note(texts[0]) {
        return Line::Signatures;
    }
    if texts.len() >= 2 && texts.iter().all(|t| column_number(t)) {
        return Line::Numbers;
    }
    let first = texts[0];
    if total(first) || total(name) {
        return Line::Total;
    }
    if let Some(group) = group(first, name, &texts) {
        return Line::Group {
            district: district(group),
            commune: commune(group),
        };
    }
    let mut distinct = texts.clone();
    distinct.dedup();
    let unnumbered = numbered.is_some_and(|j| !has_number(cells.get(j)));
    if unnumbered && distinct.len() == 1 {
        return Line::Heading;
    }
    Line::Place
}

/// A sequence number: "1", "12.", a number cell.
pub fn has_number(cell: Option<&Cell>) -> bool {
    cell.is_some_and(|c| {
        c.number.is_some() || {
            let t = c.text.trim().trim_end_matches('.');
            !t.is_empty() && t.chars().all(|c| c.is_ascii_digit())
        }
    })
}

/// "(1)", "1", "(12)".
fn column_number(t: &str) -> bool {
    let t = t
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(t);
    !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit())
}

/// "Cộng", "Tổng số: 2 di tích", "Tổng cộng: 7 cơ sở", "Total": the word, then nothing or a
/// count (a place called "Cổng Thành" is not a total).
fn total(t: &str) -> bool {
    let f = fold(t);
    // Words that only a total begins with.
    let always = [
        "tong cong",
        "cong toan",
        "toan huyen",
        "toan tinh",
        "toan thanh pho",
        "tong so di tich",
        "tong so co",
    ];
    if always.iter().any(|w| f.starts_with(w)) {
        return true;
    }
    // Words a place's name may begin with too ("Cổng Thành"): then only a count, or nothing,
    // may follow.
    let rest = ["tong so", "tong", "cong", "total"]
        .iter()
        .find_map(|w| f.strip_prefix(w))
        .map(|rest| rest.trim_start_matches([':', ' ', '-', '.']));
    rest.is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// The group's name, when the row is a group: a Roman numeral or capital letter before it
/// ("I. Thành phố Lạng Sơn", merged across the row), or in the STT cell before the name, or a
/// row that holds only a district's name.
fn group<'a>(first: &'a str, name: &'a str, texts: &[&'a str]) -> Option<&'a str> {
    let mut distinct: Vec<&str> = texts.to_vec();
    distinct.dedup();
    if let Some((head, rest)) = first.split_once([' ', '.', ')']) {
        let rest = rest.trim_start_matches(['.', ')', ' ']).trim();
        if numeral(head) && !rest.is_empty() && distinct.len() == 1 {
            return Some(rest);
        }
    }
    if numeral(first.trim_end_matches(['.', ')'])) && !name.is_empty() && distinct.len() == 2 {
        return Some(name);
    }
    (distinct.len() == 1 && (district(first).is_some() || commune(first).is_some()))
        .then_some(first)
}

/// "I", "IV", "XII", "A", "B".
fn numeral(t: &str) -> bool {
    let roman = !t.is_empty() && t.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'));
    let letter = t.len() == 1 && t.chars().all(|c| c.is_ascii_uppercase());
    roman || letter
}

/// The district a group names, as entries write it: "HUYỆN CAO LỘC" → "Cao Lộc", "Thành phố
/// Lạng Sơn" → "Thành phố Lạng Sơn".
pub fn district(group: &str) -> Option<String> {
    let f = fold(group);
    let words: Vec<&str> = group.split_whitespace().collect();
    let (keep, skip) = if f.starts_with("huyen ") || f.starts_with("quan ") {
        (None, 1)
    } else if f.starts_with("thanh pho ") {
        (Some("Thành phố"), 2)
    } else if f.starts_with("thi xa ") {
        (Some("Thị xã"), 2)
    } else if f.starts_with("tp. ") || f.starts_with("tp ") {
        (Some("Thành phố"), 1)
    } else {
        return None;
    };
    let name: Vec<String> = words.iter().skip(skip).map(|w| capitalised(w)).collect();
    if name.is_empty() {
        return None;
    }
    Some(match keep {
        Some(k) => format!("{k} {}", name.join(" ")),
        None => name.join(" "),
    })
}

/// The commune a group names, as written but not in capitals: "XÃ BẮC SƠN" → "Xã Bắc Sơn".
pub fn commune(group: &str) -> Option<String> {
    let f = fold(group);
    if !["xa ", "phuong ", "thi tran "]
        .iter()
        .any(|p| f.starts_with(p))
    {
        return None;
    }
    let shouting = !group.chars().any(char::is_lowercase);
    Some(if shouting {
        group
            .split_whitespace()
            .map(capitalised)
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        group.trim().to_string()
    })
}

/// "LỘC" → "Lộc", "lạng" → "Lạng".
fn capitalised(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The lines a signature block is made of: the place and date it was signed, who made the
/// list, who signs for whom.
fn signature(t: &str) -> bool {
    let f = fold(t);
    let dated = f.contains(", ngay ") && f.contains(" thang ") && f.contains(" nam ");
    let roles = [
        "nguoi lap bieu",
        "nguoi lap",
        "nguoi ky",
        // "KT." (signing for), "TM." (on behalf of), "TL."; without the dot only before the
        // office they sign for, so that a homestay called "TM House" stays one.
        "kt.",
        "tm.",
        "tl.",
        "kt giam doc",
        "tm ubnd",
        "tm uy ban",
        "giam doc",
        "pho giam doc",
        "chu tich",
        "pho chu tich",
        "thu truong",
        "truong phong",
        "noi nhan",
    ];
    dated || roles.iter().any(|r| f.starts_with(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<Cell> {
        cells
            .iter()
            .map(|t| Cell {
                text: t.to_string(),
                number: None,
            })
            .collect()
    }

    fn classify_(cells: &[Cell], title: usize) -> Line {
        classify(cells, title, None)
    }

    #[test]
    fn a_line_without_a_number_in_a_numbered_list_is_a_heading() {
        let numbered = Some(0);
        for t in [
            "* Di tích đang đề nghị xếp hạng",
            "Di tích kiến trúc nghệ thuật",
        ] {
            assert_eq!(
                classify(&row(&["", t, ""]), 1, numbered),
                Line::Heading,
                "{t}"
            );
        }
        assert_eq!(
            classify(&row(&["3", "Đền Mẫu Đồng Đăng", ""]), 1, numbered),
            Line::Place
        );
        // Unnumbered lists keep every named row a place.
        assert_eq!(
            classify(&row(&["", "Đền Mẫu Đồng Đăng", ""]), 1, None),
            Line::Place
        );
    }

    #[test]
    fn rows_that_are_not_places() {
        let merged = "I. Thành phố Lạng Sơn";
        assert_eq!(
            classify_(&row(&[merged, merged, merged]), 1),
            Line::Group {
                district: Some("Thành phố Lạng Sơn".into()),
                commune: None
            }
        );
        assert_eq!(
            classify_(&row(&["II", "HUYỆN CAO LỘC", ""]), 1),
            Line::Group {
                district: Some("Cao Lộc".into()),
                commune: None
            }
        );
        assert_eq!(
            classify_(&row(&["A", "Di tích cấp quốc gia", ""]), 1),
            Line::Group {
                district: None,
                commune: None
            }
        );
        assert_eq!(classify_(&row(&["(1)", "(2)", "(3)"]), 1), Line::Numbers);
        assert_eq!(classify_(&row(&["1", "2", "3", "4"]), 1), Line::Numbers);
        for t in [
            "Cộng",
            "Tổng số: 2 di tích",
            "Tổng cộng: 7 cơ sở",
            "TỔNG CỘNG",
            "Tổng số di tích: 3",
            "Toàn huyện: 3 di tích",
            "Tổng số có 3 di tích",
            "Cộng toàn tỉnh",
        ] {
            assert_eq!(classify_(&row(&["", t, ""]), 1), Line::Total, "{t}");
        }
        for t in [
            "Lạng Sơn, ngày 15 tháng 3 năm 2024",
            "Người lập biểu",
            "KT. GIÁM ĐỐC",
            "TM. UBND HUYỆN",
            "CHỦ TỊCH",
            "Ghi chú: danh mục gồm các di tích đã xếp hạng",
        ] {
            assert_eq!(classify_(&row(&["", t, ""]), 1), Line::Signatures, "{t}");
            assert_eq!(classify_(&row(&["", "", t]), 1), Line::Signatures, "{t}");
        }
        assert_eq!(classify_(&row(&["", "", ""]), 1), Line::Blank);
    }

    #[test]
    fn places_stay_places() {
        for name in [
            "Cổng Thành Lạng Sơn",
            "Đền Kỳ Cùng",
            "Ải Chi Lăng",
            "Chùa Tiên",
            "Động Tam Thanh",
        ] {
            assert_eq!(
                classify_(&row(&["1", name, "Quốc gia"]), 1),
                Line::Place,
                "{name}"
            );
        }
        // A decision date in a row is not the signature block's date line.
        assert_eq!(
            classify_(&row(&["3", "Đền Mẫu", "ngày 3 tháng 4 năm 2012"]), 1),
            Line::Place
        );
        // Nor is a place with no name: it is refused as a place.
        assert_eq!(classify_(&row(&["5", "", "Cấp tỉnh"]), 1), Line::Place);
    }
}
