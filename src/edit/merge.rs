//! A save made from a form whose file changed meanwhile (another volunteer, a text editor, a
//! `git pull`): the form's fields are compared with the file it was made from, and only what
//! this person changed is applied to the file as it is now. Fields both sides changed, to
//! different values, are the clashes the person is asked about, one by one.

use super::document;
use super::form::{Submission, Translation};
use serde_yaml_ng::{Mapping, Value};
use std::path::{Path, PathBuf};

/// One field both sides changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Clash {
    /// The form's input (`f.phone`, `body`, `t.en.title`).
    pub field: String,
    /// The value in the file now, as text.
    pub theirs: String,
}

impl Clash {
    /// The value in the file now, as the messages quote it.
    fn theirs_shown(&self) -> &str {
        if self.theirs.trim().is_empty() {
            "(trống)"
        } else {
            &self.theirs
        }
    }

    /// Said at the field: what the other person wrote, beside this person's own value.
    pub fn message(&self) -> super::field_msg::FieldMsg {
        let theirs = self.theirs_shown();
        super::field_msg::FieldMsg::error(
            &self.field,
            format!("While you were editing, someone else changed this to: «{theirs}». The box holds what you typed: keep it or change it, then save again."),
            format!("Trong lúc bạn sửa, người khác đã đổi mục này thành: «{theirs}». Ô này đang giữ nội dung bạn gõ: giữ nguyên hoặc sửa lại, rồi bấm Lưu."),
        )
    }
}

impl Clash {
    /// Said to the admin approving a waiting change: what is in the file now, which approving
    /// would overwrite.
    pub fn message_for_reviewer(&self) -> super::field_msg::FieldMsg {
        let theirs = self.theirs_shown();
        super::field_msg::FieldMsg::error(
            &self.field,
            format!("Since this change was made, someone else changed this field to: «{theirs}». Nothing was approved: send the change back so its author can choose, or change the entry yourself."),
            format!("Sau khi thay đổi này được gửi, người khác đã đổi mục này thành: «{theirs}». Chưa duyệt gì: hãy gửi trả để người viết chọn lại, hoặc tự sửa mục này."),
        )
    }
}

/// The texts of files as forms were made from them, by version: kept so that a save from an
/// older form can be merged with the file as it is now.
pub struct Seen {
    dir: PathBuf,
}

impl Seen {
    pub fn new(site: &Path) -> Seen {
        Seen {
            dir: site
                .join(crate::output::CACHE_ROOT)
                .join("editor")
                .join("seen"),
        }
    }

    /// Keep `text`, the file a form is made from.
    pub fn keep(&self, text: &str) {
        let path = self.dir.join(super::version(text.as_bytes()));
        if !path.exists() {
            let _ = std::fs::create_dir_all(&self.dir);
            let _ = crate::output::write_atomic(&path, text.as_bytes());
        }
    }

    /// The text of the file at `version`, if a form was made from it here.
    pub fn text(&self, version: &str) -> Option<String> {
        // A version is 16 hex digits; anything else is not a name to look up.
        if version.len() != 16 || !version.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        std::fs::read_to_string(self.dir.join(version)).ok()
    }
}

/// The fields, text and photo list `sub` changes from `base`, for applying to `now`, with the
/// version of `now`; or the clashes.
pub fn rebase(base: &str, now: &str, mut sub: Submission) -> (Submission, Vec<Clash>) {
    let (b, n) = (document::fields(base), document::fields(now));
    let mut clashes = Vec::new();
    sub.changes = own_changes(&b, &n, sub.changes, "f.", &mut clashes);
    sub.body = own_body(base, now, sub.body, "body", &mut clashes);
    if let Some(images) = sub.images.take() {
        let mine = Some(Value::Sequence(images.clone()));
        let (was, is) = (b.get("images").cloned(), n.get("images").cloned());
        let empty = |v: &Option<Value>| v.clone().or(Some(Value::Sequence(Vec::new())));
        if empty(&mine) != empty(&was) {
            if empty(&is) != empty(&was) && empty(&is) != empty(&mine) {
                clashes.push(Clash {
                    field: "photos".into(),
                    theirs: show(is.as_ref()),
                });
            }
            sub.images = Some(images);
        }
    }
    sub.version = super::version(now.as_bytes());
    (sub, clashes)
}

/// A translation's changes rebased the same way (`base` and `now` its file's texts).
pub fn rebase_translation(
    lang: &str,
    base: &str,
    now: &str,
    mut t: Translation,
) -> (Translation, Vec<Clash>) {
    let (b, n) = (document::fields(base), document::fields(now));
    let mut clashes = Vec::new();
    let prefix = format!("t.{lang}.");
    t.changes = own_changes(&b, &n, t.changes, &prefix, &mut clashes);
    t.body = own_body(base, now, t.body, &format!("t.{lang}.body"), &mut clashes);
    t.version = Some(super::version(now.as_bytes()));
    (t, clashes)
}

fn own_changes(
    base: &Mapping,
    now: &Mapping,
    changes: Vec<document::Change>,
    prefix: &str,
    clashes: &mut Vec<Clash>,
) -> Vec<document::Change> {
    changes
        .into_iter()
        .filter(|(k, mine)| {
            let (was, is) = (base.get(k.as_str()), now.get(k.as_str()));
            if mine.as_ref() == was {
                return false;
            }
            if is != was && is != mine.as_ref() {
                clashes.push(Clash {
                    field: format!("{prefix}{k}"),
                    theirs: show(is),
                });
            }
            true
        })
        .collect()
}

fn own_body(
    base: &str,
    now: &str,
    mine: Option<String>,
    field: &str,
    clashes: &mut Vec<Clash>,
) -> Option<String> {
    let mine = mine?;
    let was = document::body(base).unwrap_or_default();
    let is = document::body(now).unwrap_or_default();
    if same_text(&mine, &was) {
        return None;
    }
    if !same_text(&is, &was) && !same_text(&is, &mine) {
        clashes.push(Clash {
            field: field.to_string(),
            theirs: is,
        });
    }
    Some(mine)
}

/// Texts equal but for the line ends and trailing blank lines a browser's textarea changes.
fn same_text(a: &str, b: &str) -> bool {
    a.replace("\r\n", "\n").trim_end() == b.replace("\r\n", "\n").trim_end()
}

/// An entry file changed on two sides since `base` (two servers on one remote, or a server and
/// a laptop), merged as the editor merges a form: the fields and body that `theirs` changed
/// are made in `ours`, in its own format. A field both sides changed differently is a clash
/// (`Err`, naming the fields), never a guess; a body both sides changed is merged line by line
/// by `lines` (git's text merge), a clash when it cannot be. None when a side has no front
/// matter that parses (a file added on both sides has an empty base).
pub fn entry_file(
    base: &str,
    ours: &str,
    theirs: &str,
    order: &[&str],
    lines: &dyn Fn(&str, &str, &str) -> Option<String>,
) -> Option<Result<String, Vec<String>>> {
    if ours == theirs || base == theirs {
        return Some(Ok(ours.to_string()));
    }
    if base == ours {
        return Some(Ok(theirs.to_string()));
    }
    let b = document::fields_strict(base)?;
    let o = document::fields_strict(ours)?;
    let t = document::fields_strict(theirs)?;
    let mut clashes = Vec::new();
    let mut changes = Vec::new();
    for k in b.keys().chain(t.keys().filter(|k| !b.contains_key(*k))) {
        let (was, is, mine) = (b.get(k), t.get(k), o.get(k));
        if is == was || mine == is {
            continue;
        }
        match k.as_str() {
            Some(key) if mine == was => changes.push((key.to_string(), is.cloned())),
            _ => clashes.push(show(Some(k))),
        }
    }
    let body = |t: &str| document::body(t).ok();
    let (bb, ob, tb) = (body(base)?, body(ours)?, body(theirs)?);
    let new_body = if tb == bb || ob == tb {
        None
    } else if ob == bb {
        Some(tb)
    } else {
        let merged = lines(&bb, &ob, &tb);
        if merged.is_none() {
            clashes.push("body".into());
        }
        merged
    };
    if !clashes.is_empty() {
        return Some(Err(clashes));
    }
    Some(document::apply(ours, &changes, new_body.as_deref(), order).map_err(|why| vec![why]))
}

/// For a clash, the three versions (ours, base, theirs) to give git's text merge so that its
/// marks hold only what clashes: every change that does not clash, from either side, is made in
/// all three, each in its own format. None when a side is not an entry file that parses.
pub fn narrowed(base: &str, ours: &str, theirs: &str, order: &[&str]) -> Option<[String; 3]> {
    let b = document::fields_strict(base)?;
    let o = document::fields_strict(ours)?;
    let t = document::fields_strict(theirs)?;
    let mut agreed: Vec<document::Change> = Vec::new();
    let keys = b.keys().chain(o.keys()).chain(t.keys());
    let mut seen = Vec::new();
    for k in keys {
        if seen.contains(&k) {
            continue;
        }
        seen.push(k);
        let (was, mine, is) = (b.get(k), o.get(k), t.get(k));
        let value = match () {
            _ if mine == is || is == was => mine,
            _ if mine == was => is,
            _ => continue,
        };
        agreed.push((k.as_str()?.to_string(), value.cloned()));
    }
    let body = |t: &str| document::body(t).ok();
    let (bb, ob, tb) = (body(base)?, body(ours)?, body(theirs)?);
    let agreed_body = match () {
        _ if ob == tb || tb == bb => Some(ob),
        _ if ob == bb => Some(tb),
        _ => None,
    };
    let made = |text: &str| document::apply(text, &agreed, agreed_body.as_deref(), order).ok();
    Some([made(ours)?, made(base)?, made(theirs)?])
}

/// How a file changed on two sides merged (`waymark merge-file`, git's merge driver).
#[derive(Debug, PartialEq, Eq)]
pub enum Merged {
    Clean(String),
    /// What both sides changed differently: fields, or plaque codes.
    Clash(Vec<String>),
    /// Not a file Waymark reads (no front matter, plaques.lock that does not parse): git's
    /// own text merge.
    Text,
}

/// A Waymark file changed on two sides since `base`, merged: entry files field by field,
/// plaques.lock code by code (`ledger::merge`).
pub fn file(path: &str, base: &str, ours: &str, theirs: &str) -> Merged {
    let merged = if Path::new(path).file_name() == Some(crate::ledger::FILE.as_ref()) {
        crate::ledger::merge(base, ours, theirs)
    } else {
        let order = crate::content::front_matter::FIELDS;
        entry_file(base, ours, theirs, order, &super::git::merge_lines)
    };
    match merged {
        Some(Ok(text)) => Merged::Clean(text),
        Some(Err(clashes)) => Merged::Clash(clashes),
        None => Merged::Text,
    }
}

/// A field's value as a person reads it.
fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => serde_yaml_ng::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(changes: &[(&str, Option<&str>)], body: Option<&str>) -> Submission {
        Submission {
            changes: changes
                .iter()
                .map(|(k, v)| (k.to_string(), v.map(|v| Value::String(v.into()))))
                .collect(),
            body: body.map(str::to_string),
            ..Submission::default()
        }
    }

    const BASE: &str = "---\ntitle: Nhà A\nphone: '0912 345 678'\nsummary: Cũ\n---\nThân bài.\n";

    #[test]
    fn only_the_fields_this_person_changed_are_applied() {
        let now = "---\ntitle: Nhà A\nphone: '0987 654 321'\nsummary: Cũ\n---\nThân bài.\n";
        let posted = sub(
            &[
                ("title", Some("Nhà A")),
                ("phone", Some("0912 345 678")),
                ("summary", Some("Mới")),
            ],
            Some("Thân bài.\n"),
        );
        let (rebased, clashes) = rebase(BASE, now, posted);
        assert!(clashes.is_empty(), "{clashes:?}");
        let keys: Vec<&str> = rebased.changes.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["summary"], "the other side's phone is kept");
        assert!(rebased.body.is_none());
        assert_eq!(rebased.version, crate::edit::version(now.as_bytes()));
    }

    #[test]
    fn a_field_both_sides_changed_differently_is_a_clash() {
        let now = "---\ntitle: Nhà A\nphone: '0987 654 321'\nsummary: Cũ\n---\nThân bài khác.\n";
        let posted = sub(
            &[("phone", Some("0911 111 111")), ("summary", Some("Cũ"))],
            Some("Thân bài của tôi.\n"),
        );
        let (_, clashes) = rebase(BASE, now, posted);
        let fields: Vec<&str> = clashes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["f.phone", "body"]);
        assert_eq!(clashes[0].theirs, "0987 654 321");
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_clash() {
        let now = "---\ntitle: Nhà A\nphone: '0912 345 678'\nsummary: Mới\n---\nThân bài.\n";
        let (_, clashes) = rebase(BASE, now, sub(&[("summary", Some("Mới"))], None));
        assert!(clashes.is_empty());
    }

    /// Two servers each gave the same entry a new field: git's text merge stops there (both
    /// inserted at one place), the field merge takes both, in the file's own format.
    #[test]
    fn new_fields_from_both_sides_are_both_kept() {
        let base = "---\ntitle: Nhà A # tên trên biển\nprice_from: 250000\n---\nThân bài.\n";
        let ours = base.replace(
            "price_from: 250000\n",
            "price_from: 250000\nphone: '0912'\n",
        );
        let theirs = base.replace("price_from: 250000\n", "price_from: 250000\nzalo: '0987'\n");
        assert_eq!(super::super::git::merge_lines(base, &ours, &theirs), None);
        let Merged::Clean(merged) = file("content/homestays/a.md", base, &ours, &theirs) else {
            panic!("not merged");
        };
        assert!(
            merged.starts_with("---\ntitle: Nhà A # tên trên biển\n"),
            "{merged}"
        );
        let f = document::fields(&merged);
        assert_eq!(f.get("phone"), Some(&Value::String("0912".into())));
        assert_eq!(f.get("zalo"), Some(&Value::String("0987".into())));
        assert!(merged.ends_with("---\nThân bài.\n"), "{merged}");
    }

    #[test]
    fn a_field_both_servers_changed_differently_is_left_to_a_person() {
        let base = "---\ntitle: Nhà A\nprice_from: 250000\nphone: '0912'\n---\nThân bài.\n";
        let ours = base.replace("250000", "300000");
        let theirs = base.replace("250000", "350000").replace("0912", "0987");
        let got = file("content/homestays/a.md", base, &ours, &theirs);
        assert_eq!(got, Merged::Clash(vec!["price_from".into()]));
        // The same new value on both sides, and a field one side removed, merge.
        let theirs = base
            .replace("250000", "300000")
            .replace("phone: '0912'\n", "");
        let Merged::Clean(merged) = file("content/homestays/a.md", base, &ours, &theirs) else {
            panic!("not merged");
        };
        assert_eq!(
            merged,
            "---\ntitle: Nhà A\nprice_from: 300000\n---\nThân bài.\n"
        );
    }

    #[test]
    fn bodies_both_sides_changed_merge_line_by_line_or_clash() {
        let base = "---\ntitle: A\n---\nĐoạn một.\n\nĐoạn hai.\n\nĐoạn ba.\n";
        let ours = &base.replace("Đoạn một.", "Đoạn một, sửa.");
        let theirs = &base.replace("Đoạn ba.", "Đoạn ba, sửa.");
        let Merged::Clean(merged) = file("content/relics/a.md", base, ours, theirs) else {
            panic!("not merged");
        };
        assert!(
            merged.contains("một, sửa") && merged.contains("ba, sửa"),
            "{merged}"
        );
        let theirs = &base.replace("Đoạn một.", "Đoạn một, khác.");
        let got = file("content/relics/a.md", base, ours, theirs);
        assert_eq!(got, Merged::Clash(vec!["body".into()]));
    }

    #[test]
    fn files_without_front_matter_are_left_to_gits_text_merge() {
        let got = file("README.md", "# A\n", "# A\n\nx\n", "# B\n");
        assert_eq!(got, Merged::Text);
        // Added on both sides: no base to merge fields from.
        let got = file(
            "content/relics/a.md",
            "",
            "---\ntitle: A\n---\n",
            "---\ntitle: B\n---\n",
        );
        assert_eq!(got, Merged::Text);
    }

    /// A clash marked by git's text merge holds only what clashes: a new Zalo here and a new
    /// phone there, beside the price both changed, are outside the marks, each kept.
    #[test]
    fn the_marks_of_a_clash_hold_only_what_clashes() {
        let base = "---\ntitle: Nhà A\nprice_from: 250000\nphone: '0912'\n---\nThân bài.\n";
        let ours = base
            .replace("250000", "300000")
            .replace("phone: '0912'\n", "phone: '0912'\nzalo: '0977'\n");
        let theirs = base.replace("250000", "400000").replace("'0912'", "'0988'");
        let order = crate::content::front_matter::FIELDS;
        let [o, b, t] = narrowed(base, &ours, &theirs, order).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let (o, b, t) = (path("o", &o), path("b", &b), path("t", &t));
        let names = ["here".to_string(), "base".to_string(), "there".to_string()];
        assert!(!super::super::git::merge_text_in_place(&o, &b, &t, &names));
        let marked = std::fs::read_to_string(&o).unwrap();
        let start = marked.find("<<<<<<<").unwrap();
        let end = marked.find(">>>>>>>").unwrap();
        let inside = &marked[start..end];
        assert!(
            inside.contains("300000") && inside.contains("400000"),
            "{marked}"
        );
        assert!(
            !inside.contains("zalo") && !inside.contains("phone"),
            "{marked}"
        );
        assert!(
            marked.contains("zalo: '0977'") && marked.contains("phone: '0988'"),
            "{marked}"
        );
    }
}
