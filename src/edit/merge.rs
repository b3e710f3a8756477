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
}
