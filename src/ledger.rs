//! `plaques.lock`: every plaque code the build has issued and the page it leads to.
//! A printed code must resolve forever: codes follow their entries when they move,
//! and an entry that disappears stops the build until its code is retired to another page.

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::yaml;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub const FILE: &str = "plaques.lock";

/// Where a code leads.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// `section/slug` of the entry.
    #[serde(default)]
    pub page: Option<String>,
    /// Another code, an entry's `section/slug`, or a section name.
    #[serde(default)]
    pub retired_to: Option<String>,
    /// The day its plaque was first handed to print (`waymark plaques`), as YYYY-MM-DD: such a
    /// code is on a wall somewhere.
    #[serde(default)]
    pub printed: Option<String>,
}

impl Record {
    /// ", printed 2026-12-01" for a code on a wall, else "".
    fn printed_note(&self) -> String {
        self.printed
            .as_deref()
            .map(|d| format!(" (printed {d})"))
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    #[serde(default)]
    pub version: u32,
    #[serde(default)]
    pub codes: BTreeMap<String, Record>,
}

/// What an entry asks for: its page id, and its `code:` if it has one.
#[derive(Debug, Clone)]
pub struct Claim<'a> {
    pub page: String,
    pub code: Option<&'a str>,
    pub file: &'a Path,
    pub code_line: Option<usize>,
    /// A draft left out of the build: it keeps a code it has, and is given none.
    pub held: bool,
}

/// The outcome: a code for every claim (same order; empty for a held claim that has none),
/// and the ledger to write.
#[derive(Debug)]
pub struct Assignment {
    pub codes: Vec<String>,
    pub ledger: Ledger,
    /// Retired codes and what they now serve.
    pub retired: BTreeMap<String, String>,
}

/// The last plaques.lock parsed, by its exact text: `serve --edit` reads the file for every form,
/// list and save, and at 10,000 codes parsing it was a third of a save's time.
static LAST_READ: parking_lot::Mutex<Option<(String, Ledger)>> = parking_lot::Mutex::new(None);

impl Ledger {
    pub fn load(site: &Path) -> Result<Ledger> {
        let path = site.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Ledger::default()),
            Err(e) => return Err(Error::io(&path, e)),
        };
        if let Some((_, ledger)) = LAST_READ.lock().as_ref().filter(|(t, _)| *t == text) {
            return Ok(ledger.clone());
        }
        let ledger = Self::parse(&text)?;
        *LAST_READ.lock() = Some((text, ledger.clone()));
        Ok(ledger)
    }

    fn parse(text: &str) -> Result<Ledger> {
        let ledger: Ledger = yaml::parse(text, Path::new(FILE), text, 1, &["version", "codes"])
            .map_err(|d| Error::one(d.hint("plaques.lock is written by the build; restore it from git (`git checkout plaques.lock`) if it was edited by mistake")))?;
        let mut problems = Vec::new();
        // A code written twice (a merge by hand, a line copied): its second line would win
        // without a word, and send its plaques elsewhere.
        let mut seen = BTreeSet::new();
        for (i, line) in text.lines().enumerate() {
            let key = line
                .strip_prefix("  ")
                .filter(|l| !l.starts_with([' ', '#']));
            let Some(code) = key.and_then(|l| l.split_once(':')).map(|(c, _)| c.trim()) else {
                continue;
            };
            if !code.is_empty() && !seen.insert(code) {
                problems.push(
                    Diagnostic::error(FILE, format!("code {code} has two lines"))
                        .at(i + 1, None)
                        .hint("keep the line whose page its plaques lead to (`git log -p plaques.lock` shows which came first), and delete the other")
                        .vi(format!("mã {code} có hai dòng: giữ dòng đúng, xoá dòng kia"))
                        .with_source(text),
                );
            }
        }
        for (code, rec) in &ledger.codes {
            if let Some(day) = rec.printed.as_deref().filter(|d| !crate::days::is_day(d)) {
                problems.push(
                    Diagnostic::error(FILE, format!("code {code}: `printed: {day}` is not a day written YYYY-MM-DD"))
                        .at(yaml::key_line(text, 1, code), None)
                        .hint("`waymark plaques` writes the day a code was first printed, e.g. `printed: 2026-12-01`; restore the line from git")
                        .with_source(text),
                );
            }
            if rec.page.is_some() == rec.retired_to.is_some() {
                // Found only for a bad record: scanning the file for every code would be quadratic.
                let line = yaml::key_line(text, 1, code);
                problems.push(
                    Diagnostic::error(FILE, format!("code {code} needs exactly one of `page:` or `retired_to:`"))
                        .at(line, None)
                        .hint("an issued code keeps `page: section/slug`; a retired one has `retired_to: OTHER-CODE` instead")
                        .with_source(text),
                );
            }
        }
        if problems.is_empty() {
            Ok(ledger)
        } else {
            Err(Error::Site(problems))
        }
    }

    /// Write plaques.lock, the one way it is written (builds, `new`, the editor, the importer):
    /// whole or not at all, flushed to disk, and only when it changed, so an unchanged site
    /// leaves the user's tree untouched.
    pub fn save(&self, site: &Path) -> Result<()> {
        let path = site.join(FILE);
        let text = self.to_text();
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            return Ok(());
        }
        crate::output::write_durable(&path, text.as_bytes()).map_err(|e| Error::io(&path, e))
    }

    /// The file's text: sorted, one code a line, with a header that says how to use it.
    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "# plaques.lock: every plaque code this site has issued, and the page it leads to.\n\
             # Written by `waymark build` (and `waymark plaques`, with the day a code was first printed);\n\
             # commit it with your content. A printed code must resolve\n\
             # forever, so never delete a line. When an entry is removed for good, replace its\n\
             # `page: ...` with `retired_to: OTHER-CODE` (or `section/slug`, or a section name).\n\
             version: 1\ncodes:\n",
        );
        for (code, rec) in &self.codes {
            let printed = rec
                .printed
                .as_deref()
                .map(|d| format!(", printed: {d}"))
                .unwrap_or_default();
            match (&rec.page, &rec.retired_to) {
                (Some(p), _) => out.push_str(&format!("  {code}: {{ page: {p}{printed} }}\n")),
                (None, Some(t)) => {
                    out.push_str(&format!("  {code}: {{ retired_to: {t}{printed} }}\n"))
                }
                (None, None) => {}
            }
        }
        out
    }

    /// Record `day` as the print day of each of `codes` that has none yet: the first print is
    /// the one that matters, since from then on the code is on a wall.
    pub fn mark_printed<'a>(&mut self, codes: impl IntoIterator<Item = &'a str>, day: &str) {
        for code in codes {
            if let Some(rec) = self.codes.get_mut(code) {
                rec.printed.get_or_insert_with(|| day.to_string());
            }
        }
    }

    /// Whether a plaque of `code` was ever handed to print.
    pub fn is_printed(&self, code: &str) -> bool {
        self.codes.get(code).is_some_and(|r| r.printed.is_some())
    }
}

/// Three plaques.lock texts merged (two servers on one remote each pinning codes): every code
/// either side has is kept, as a code is never dropped; a code both sides changed differently
/// (given to two pages, retired two ways) is a clash, named in `Err`, for a person to decide, as
/// its plaques must lead one way. A code first printed on both sides keeps the earlier day.
/// None when a side is not a plaques.lock that parses.
pub fn merge(
    base: &str,
    ours: &str,
    theirs: &str,
) -> Option<std::result::Result<String, Vec<String>>> {
    let parse = |t: &str| match t.trim() {
        "" => Ok(Ledger::default()),
        _ => Ledger::parse(t),
    };
    let (Ok(b), Ok(o), Ok(t)) = (parse(base), parse(ours), parse(theirs)) else {
        return None;
    };
    let mut out = o.clone();
    out.version = o.version.max(t.version);
    let mut clashes = Vec::new();
    for (code, theirs) in &t.codes {
        let was = b.codes.get(code);
        let Some(mine) = out.codes.get_mut(code) else {
            out.codes.insert(code.clone(), theirs.clone());
            continue;
        };
        if mine == theirs || Some(theirs) == was {
            continue;
        }
        if Some(&*mine) == was {
            *mine = theirs.clone();
        } else if (&mine.page, &mine.retired_to) == (&theirs.page, &theirs.retired_to) {
            // Printed on both sides: the first print is the one that matters.
            let first = [&mine.printed, &theirs.printed].into_iter().flatten().min();
            mine.printed = first.cloned();
        } else {
            clashes.push(code.clone());
        }
    }
    // Each side gave a new page a code of its own: which one its plaques carry is a person's
    // choice.
    let pages = |l: &Ledger| -> BTreeMap<String, usize> {
        let mut n = BTreeMap::new();
        for page in l.codes.values().filter_map(|r| r.page.clone()) {
            *n.entry(page).or_insert(0) += 1;
        }
        n
    };
    let (mine, theirs, merged) = (pages(&o), pages(&t), pages(&out));
    for (page, n) in merged {
        let most = mine.get(&page).max(theirs.get(&page)).copied().unwrap_or(0);
        if n > most {
            let codes = out
                .codes
                .iter()
                .filter(|(_, r)| r.page.as_deref() == Some(page.as_str()));
            clashes.extend(codes.map(|(c, _)| c.clone()));
        }
    }
    Some(match clashes.is_empty() {
        true => Ok(out.to_text()),
        false => Err(clashes),
    })
}

/// Give every claim a code, keeping every code already issued.
pub fn assign(
    ledger: &Ledger,
    claims: &[Claim],
    sections: &BTreeSet<String>,
) -> Result<Assignment> {
    let mut diags = Diagnostics::default();
    let pages: BTreeMap<&str, usize> = claims
        .iter()
        .enumerate()
        .map(|(i, c)| (c.page.as_str(), i))
        .collect();
    let mut codes: Vec<Option<String>> = vec![None; claims.len()];
    let mut owner: BTreeMap<String, usize> = BTreeMap::new();

    // 1. Codes written in front matter.
    for (i, c) in claims.iter().enumerate() {
        let Some(code) = c.code else { continue };
        if let Some(&j) = owner.get(code) {
            for (k, other) in [(i, j), (j, i)] {
                let mut d = Diagnostic::error(
                    claims[k].file,
                    format!(
                        "code {code} is used by two entries: {} and {}",
                        claims[k].file.display(),
                        claims[other].file.display()
                    ),
                )
                .hint("each plaque needs its own code: change `code:` in one of them")
                .vi("hai mục dùng chung một mã biển: đổi `code:` ở một trong hai tệp");
                if let Some(l) = claims[k].code_line {
                    d = d.at(l, None);
                }
                diags.push(d);
            }
            continue;
        }
        if let Some(Record { page: Some(p), .. }) = ledger.codes.get(code) {
            // The code was printed for another page that still exists and did not claim it: taking it
            // would send that plaque's visitors here.
            if let Some(&j) = pages.get(p.as_str()) {
                if j != i && claims[j].code.is_none() {
                    let note = ledger.codes[code].printed_note();
                    let mut d = Diagnostic::error(c.file, format!("code {code} is already issued{note} for {} (plaques.lock)", claims[j].file.display()))
                        .hint("pick another code for this entry; a printed code must keep leading to its page")
                        .vi(format!("mã {code} đã cấp cho địa điểm khác ({}): chọn mã khác cho địa điểm này", claims[j].file.display()));
                    if let Some(l) = c.code_line {
                        d = d.at(l, None);
                    }
                    diags.push(d);
                    continue;
                }
            }
        }
        if let Some(Record {
            retired_to: Some(_),
            ..
        }) = ledger.codes.get(code)
        {
            let mut d = Diagnostic::error(c.file, format!("code {code} was retired (plaques.lock) and its plaques lead elsewhere"))
                .hint("pick a new code, or remove the `retired_to:` line in plaques.lock to give the code back to this entry")
                .vi(format!("mã {code} đã thôi dùng và biển in của nó dẫn tới nơi khác: chọn mã mới"));
            if let Some(l) = c.code_line {
                d = d.at(l, None);
            }
            diags.push(d);
            continue;
        }
        owner.insert(code.to_string(), i);
        codes[i] = Some(code.to_string());
    }

    // 2. Codes already issued to a page, which keep their code.
    let mut by_page: BTreeMap<&str, &str> = BTreeMap::new();
    for (code, rec) in &ledger.codes {
        if let Some(p) = &rec.page {
            by_page.insert(p.as_str(), code.as_str());
        }
    }
    for (i, c) in claims.iter().enumerate() {
        if codes[i].is_some() || c.code.is_some() {
            continue;
        }
        if let Some(code) = by_page.get(c.page.as_str()) {
            if !owner.contains_key(*code) {
                owner.insert(code.to_string(), i);
                codes[i] = Some(code.to_string());
            }
        }
    }

    // 3. New codes, derived from the slug, in file order so that the result is stable.
    for (i, c) in claims.iter().enumerate() {
        if codes[i].is_some() || c.code.is_some() || c.held {
            continue;
        }
        let code = derive_code(&c.page, |k| {
            owner.contains_key(k) || ledger.codes.contains_key(k)
        });
        owner.insert(code.clone(), i);
        codes[i] = Some(code);
    }

    // 4. Every issued code must still lead somewhere.
    let mut next = Ledger {
        version: 1,
        codes: BTreeMap::new(),
    };
    let mut retired = BTreeMap::new();
    for (code, rec) in &ledger.codes {
        if owner.contains_key(code) {
            continue;
        }
        match (&rec.page, &rec.retired_to) {
            (Some(page), _) => diags.push(
                Diagnostic::error(FILE, format!("plaque code {code}{} leads to {page}, which no longer exists", rec.printed_note()))
                    .hint(format!(
                        "if the entry was moved or renamed, add `code: {code}` to its front matter; if it was removed, \
                         change the line in plaques.lock to `{code}: {{ retired_to: OTHER-CODE }}` so printed plaques lead somewhere; \
                         an issued code is never dropped or given to another page{}",
                        if rec.printed.is_some() { ", least of all one on a wall" } else { "" }
                    ))
                    .vi(format!(
                        "biển mã {code} đã in dẫn tới {page}, nay không còn: nếu đã đổi tên hoặc chuyển mục, thêm `code: {code}` vào mục đó; \
                         nếu đã xoá, sửa dòng trong plaques.lock thành `{code}: {{ retired_to: MÃ-KHÁC }}`"
                    )),
            ),
            (None, Some(target)) => {
                let ok = owner.contains_key(target) || pages.contains_key(target.as_str()) || sections.contains(target);
                if ok {
                    retired.insert(code.clone(), target.clone());
                    next.codes.insert(code.clone(), rec.clone());
                } else {
                    diags.push(
                        Diagnostic::error(FILE, format!("retired code {code} leads to `{target}`, which is neither a live code, an entry (section/slug) nor a section"))
                            .hint("point `retired_to:` at a code that an entry uses now, e.g. a nearby site's")
                            .vi(format!("mã đã thôi dùng {code} dẫn tới `{target}`, không phải mã, mục hay chuyên mục nào đang có: sửa `retired_to:` trong plaques.lock")),
                    );
                }
            }
            (None, None) => {}
        }
    }
    diags.into_result()?;
    let codes: Vec<String> = codes.into_iter().map(|c| c.unwrap_or_default()).collect();
    for (i, code) in codes.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
        next.codes.insert(
            code.clone(),
            Record {
                page: Some(claims[i].page.clone()),
                retired_to: None,
                printed: ledger.codes.get(code).and_then(|r| r.printed.clone()),
            },
        );
    }
    Ok(Assignment {
        codes,
        ledger: next,
        retired,
    })
}

/// A short, typeable code from a page id: the initials of the slug's words
/// ("relics/khu-luu-niem-hoang-van-thu" -> "KLNHVT"), with a number on a clash.
pub fn derive_code(page: &str, taken: impl Fn(&str) -> bool) -> String {
    let slug = page.rsplit('/').next().unwrap_or(page);
    let words: Vec<&str> = slug.split('-').filter(|w| !w.is_empty()).collect();
    let mut base: String = words
        .iter()
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_ascii_uppercase())
        .filter(|c| c.is_ascii_alphanumeric())
        .take(10)
        .collect();
    if base.len() < 3 {
        base = slug
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .take(6)
            .collect();
    }
    while base.len() < 2 {
        base.push('X');
    }
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken(c))
        .expect("an unbounded range finds a free code")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn record(page: Option<&str>, retired_to: Option<&str>, printed: Option<&str>) -> Record {
        Record {
            page: page.map(String::from),
            retired_to: retired_to.map(String::from),
            printed: printed.map(String::from),
        }
    }

    fn claim<'a>(page: &str, code: Option<&'a str>, file: &'a Path) -> Claim<'a> {
        Claim {
            page: page.into(),
            code,
            file,
            code_line: None,
            held: false,
        }
    }

    #[test]
    fn a_held_draft_keeps_its_code_and_is_given_none() {
        let ledger = Ledger {
            version: 1,
            codes: [(
                "NHAMAC".to_string(),
                record(Some("relics/nha-mac"), None, Some("2026-01-15")),
            )]
            .into(),
        };
        let f = Path::new("content/relics/x.md");
        let mut kept = claim("relics/nha-mac", None, f);
        kept.held = true;
        let mut fresh = claim("relics/moi", None, f);
        fresh.held = true;
        let a = assign(&ledger, &[kept, fresh], &BTreeSet::new()).unwrap();
        assert_eq!(a.codes, ["NHAMAC", ""]);
        assert_eq!(a.ledger.codes.len(), 1, "no code for the new draft");
        assert_eq!(
            a.ledger.codes["NHAMAC"].printed.as_deref(),
            Some("2026-01-15")
        );
    }

    #[test]
    fn derives_initials_and_avoids_clashes() {
        assert_eq!(
            derive_code("relics/khu-luu-niem-hoang-van-thu", |_| false),
            "KLNHVT"
        );
        assert_eq!(
            derive_code("relics/chua-tam-thanh", |c| c == "CTT"),
            "CTT-2"
        );
        assert_eq!(derive_code("homestays/ab", |_| false), "AB");
    }

    #[test]
    fn code_follows_a_moved_entry() {
        let f = PathBuf::from("content/relics/new/index.md");
        let mut old = Ledger::default();
        old.codes
            .insert("HVT".into(), record(Some("relics/old"), None, None));
        let a = assign(
            &old,
            &[claim("relics/new", Some("HVT"), &f)],
            &BTreeSet::new(),
        )
        .unwrap();
        assert_eq!(a.codes, vec!["HVT"]);
        assert_eq!(a.ledger.codes["HVT"].page.as_deref(), Some("relics/new"));
    }

    #[test]
    fn vanished_entry_fails_until_retired() {
        let f = PathBuf::from("content/relics/b.md");
        let mut old = Ledger::default();
        old.codes
            .insert("GONE".into(), record(Some("relics/a"), None, None));
        let err = assign(&old, &[claim("relics/b", Some("B1"), &f)], &BTreeSet::new()).unwrap_err();
        assert!(err.to_string().contains("GONE"), "{err}");
        old.codes
            .insert("GONE".into(), record(None, Some("B1"), None));
        let a = assign(&old, &[claim("relics/b", Some("B1"), &f)], &BTreeSet::new()).unwrap();
        assert_eq!(a.retired["GONE"], "B1");
    }

    #[test]
    fn duplicate_codes_name_both_files() {
        let (f1, f2) = (
            PathBuf::from("content/relics/a.md"),
            PathBuf::from("content/relics/b.md"),
        );
        let err = assign(
            &Ledger::default(),
            &[
                claim("relics/a", Some("X1"), &f1),
                claim("relics/b", Some("X1"), &f2),
            ],
            &BTreeSet::new(),
        )
        .unwrap_err();
        let s = err.to_string();
        assert!(
            s.contains("content/relics/a.md") && s.contains("content/relics/b.md"),
            "{s}"
        );
    }

    #[test]
    fn a_printed_code_keeps_its_day_when_it_follows_its_entry() {
        let f = PathBuf::from("content/relics/new/index.md");
        let mut old = Ledger::default();
        old.codes.insert(
            "HVT".into(),
            record(Some("relics/old"), None, Some("2026-12-01")),
        );
        let a = assign(
            &old,
            &[claim("relics/new", Some("HVT"), &f)],
            &BTreeSet::new(),
        )
        .unwrap();
        assert_eq!(a.ledger.codes["HVT"].printed.as_deref(), Some("2026-12-01"));
        // Gone without `retired_to`: the error says the code is on a wall.
        let err = assign(
            &old,
            &[claim("relics/other", Some("X"), &f)],
            &BTreeSet::new(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("HVT (printed 2026-12-01)"), "{err}");
        let mut l = a.ledger;
        l.mark_printed(["HVT", "NONE"], "2027-01-01");
        assert_eq!(l.codes["HVT"].printed.as_deref(), Some("2026-12-01"));
    }

    #[test]
    fn text_round_trips() {
        let mut l = Ledger {
            version: 1,
            ..Ledger::default()
        };
        l.codes
            .insert("A1".into(), record(Some("relics/a"), None, None));
        l.codes
            .insert("B2".into(), record(None, Some("A1"), Some("2026-12-01")));
        let back: Ledger = serde_yaml_ng::from_str(&l.to_text()).unwrap();
        assert_eq!(back, l);
    }

    fn lock(lines: &[&str]) -> String {
        let mut l = Ledger::default();
        for line in lines {
            let (code, page) = line.split_once(' ').unwrap();
            l.codes.insert(code.into(), record(Some(page), None, None));
        }
        l.to_text()
    }

    /// Two servers each pinned a code for a new entry: neighbouring lines, which git's text
    /// merge would stop at.
    #[test]
    fn codes_issued_on_two_servers_are_all_kept() {
        let base = lock(&["DKC relics/den-ky-cung", "TT relics/tam-thanh"]);
        let ours = lock(&[
            "DKC relics/den-ky-cung",
            "DM relics/den-mau",
            "TT relics/tam-thanh",
        ]);
        let theirs = lock(&[
            "DKC relics/den-ky-cung",
            "DN relics/den-na",
            "TT relics/tam-thanh",
        ]);
        let merged = merge(&base, &ours, &theirs).unwrap().unwrap();
        let l = Ledger::parse(&merged).unwrap();
        assert_eq!(
            l.codes.keys().collect::<Vec<_>>(),
            ["DKC", "DM", "DN", "TT"]
        );
        // A code one side lost (plaques.lock edited by hand) is never dropped.
        let lost = lock(&["DKC relics/den-ky-cung"]);
        let merged = merge(&base, &lost, &base).unwrap().unwrap();
        assert!(Ledger::parse(&merged).unwrap().codes.contains_key("TT"));
    }

    #[test]
    fn a_code_given_two_ways_is_a_clash_and_print_days_keep_the_first() {
        let base = lock(&["DKC relics/den-ky-cung"]);
        let ours = lock(&["DKC relics/den-ky-cung", "DM relics/den-mau"]);
        let theirs = lock(&["DKC relics/den-ky-cung", "DM relics/dinh-mo"]);
        assert_eq!(
            merge(&base, &ours, &theirs),
            Some(Err(vec!["DM".to_string()]))
        );
        let printed =
            |day: &str| base.replace("den-ky-cung }", &format!("den-ky-cung, printed: {day} }}"));
        let merged = merge(&base, &printed("2026-12-03"), &printed("2026-11-30")).unwrap();
        assert_eq!(merged, Ok(printed("2026-11-30")));
        assert_eq!(merge(&base, "codes: [", &base), None);
    }

    #[test]
    fn a_code_written_twice_is_named_at_its_second_line() {
        let text = "version: 1\ncodes:\n  HVT: { page: relics/hvt }\n  DM: { page: relics/den-mau }\n  HVT: { page: relics/other }\n";
        let Err(Error::Site(ds)) = Ledger::parse(text) else {
            panic!("parsed");
        };
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert!(
            ds[0].message.contains("HVT has two lines"),
            "{}",
            ds[0].message
        );
        assert_eq!(ds[0].line, Some(5));
        let block =
            "version: 1\ncodes:\n  HVT:\n    page: relics/hvt\n  DM:\n    page: relics/den-mau\n";
        assert!(Ledger::parse(block).is_ok(), "block style is no duplicate");
    }

    #[test]
    fn two_codes_given_to_one_new_page_on_two_sides_clash() {
        let base = lock(&["DKC relics/den-ky-cung"]);
        let ours = lock(&["DKC relics/den-ky-cung", "DM relics/den-mau"]);
        let theirs = lock(&["DKC relics/den-ky-cung", "DMA relics/den-mau"]);
        assert_eq!(
            merge(&base, &ours, &theirs),
            Some(Err(vec!["DM".to_string(), "DMA".to_string()]))
        );
    }
}
