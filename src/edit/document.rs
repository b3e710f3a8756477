//! Changing an entry file's fields without rewriting the rest of it: comments, key order,
//! quoting and the body stay byte for byte where they did not change. The front matter is edited
//! in a lossless syntax tree (yaml-edit); the result is parsed again and compared with what was
//! asked for, so an edit that the tree would get wrong is refused rather than written.

use serde_yaml_ng::{Mapping, Value};
use std::str::FromStr;
use yaml_edit::Document;

/// A field's new value; `None` removes it.
pub type Change = (String, Option<Value>);

/// The text of a new entry file (`---`, the front matter, `---`, the body), then `changes`.
pub fn new_file(changes: &[Change], body: &str, order: &[&str]) -> Result<String, String> {
    apply(&format!("---\n---\n{body}"), changes, None, order)
}

/// `text` (a whole entry file) with `changes` made to its front matter and, when given, `body`
/// as its text. Keys new to the file go where `order` puts them among the keys it has.
pub fn apply(
    text: &str,
    changes: &[Change],
    body: Option<&str>,
    order: &[&str],
) -> Result<String, String> {
    let bom = text.starts_with('\u{feff}');
    let crlf = text.contains("\r\n");
    let lf = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let parts = Parts::of(&lf)?;
    let yaml = &lf[parts.yaml.clone()];
    let current: Mapping = if yaml.trim().is_empty() {
        Mapping::new()
    } else {
        serde_yaml_ng::from_str(yaml)
            .map_err(|e| format!("the front matter does not parse: {e}"))?
    };
    let mut expected = current.clone();
    let doc = if yaml.trim().is_empty() {
        Document::new()
    } else {
        Document::from_str(yaml).map_err(|e| format!("the front matter does not parse: {e}"))?
    };
    let mut touched = false;
    for (key, value) in changes {
        let old = current.get(key.as_str());
        match value {
            None | Some(Value::Null) => {
                // An empty value the scaffold wrote (`summary: ""`, `tags: []`) stays.
                let empty = match old {
                    Some(Value::String(s)) => s.is_empty(),
                    Some(Value::Sequence(s)) => s.is_empty(),
                    Some(Value::Null) => true,
                    _ => false,
                };
                if old.is_some() && !empty {
                    doc.remove(key.as_str());
                    expected.remove(key.as_str());
                    touched = true;
                }
            }
            Some(v) => {
                if old == Some(v) {
                    continue;
                }
                set(&doc, key, v, order)?;
                expected.insert(Value::String(key.clone()), v.clone());
                touched = true;
            }
        }
    }
    let new_yaml = if touched {
        let mut y = doc.to_string();
        if !y.is_empty() && !y.ends_with('\n') {
            y.push('\n');
        }
        // yaml-edit writes a document start of its own for an empty document.
        let y = y.strip_prefix("---\n").map(str::to_string).unwrap_or(y);
        let parsed: Mapping = if y.trim().is_empty() {
            Mapping::new()
        } else {
            serde_yaml_ng::from_str(&y).map_err(|e| format!("the edit did not parse: {e}"))?
        };
        if parsed != expected {
            return Err("the edit could not be made without changing other fields".into());
        }
        y
    } else {
        yaml.to_string()
    };
    let mut out = String::with_capacity(lf.len() + 64);
    out.push_str(&lf[..parts.yaml.start]);
    out.push_str(&new_yaml);
    out.push_str(&lf[parts.yaml.end..parts.body]);
    match body {
        Some(b) => {
            let b = b.replace("\r\n", "\n");
            out.push_str(&b);
        }
        None => out.push_str(&lf[parts.body..]),
    }
    if crlf {
        out = out.replace('\n', "\r\n");
    }
    if bom {
        out.insert(0, '\u{feff}');
    }
    Ok(out)
}

/// The front matter and the body of `text` (LF line endings), as byte ranges.
pub struct Parts {
    pub yaml: std::ops::Range<usize>,
    pub body: usize,
}

impl Parts {
    pub fn of(text: &str) -> Result<Parts, String> {
        let split = crate::content::front_matter::split(text, std::path::Path::new(""))
            .map_err(|d| d.message)?;
        let start = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
        let body = split.body.as_ptr() as usize - text.as_ptr() as usize;
        Ok(Parts {
            yaml: start..start + split.yaml.len(),
            body,
        })
    }
}

/// The body of an entry file, LF line endings.
pub fn body(text: &str) -> Result<String, String> {
    let lf = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let parts = Parts::of(&lf)?;
    Ok(lf[parts.body..].to_string())
}

/// The front matter of an entry file as a mapping (empty when it has none that parses).
pub fn fields(text: &str) -> Mapping {
    fields_strict(text).unwrap_or_default()
}

/// The front matter of an entry file as a mapping; None when it has none, or it does not parse.
pub fn fields_strict(text: &str) -> Option<Mapping> {
    let lf = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let parts = Parts::of(&lf).ok()?;
    let yaml = &lf[parts.yaml];
    if yaml.trim().is_empty() {
        return Some(Mapping::new());
    }
    serde_yaml_ng::from_str(yaml).ok()
}

fn set(doc: &Document, key: &str, value: &Value, order: &[&str]) -> Result<(), String> {
    let order = order.iter().copied();
    match value {
        Value::String(s) => {
            // The tree's own quoting, checked; a string it would write so that it reads back
            // as something else is written double-quoted instead.
            let probe = Document::new();
            probe.set("x", s.as_str());
            let back: Option<Mapping> = serde_yaml_ng::from_str(&probe.to_string()).ok();
            if back.and_then(|m| m.get("x").cloned()) == Some(value.clone()) {
                doc.set_with_field_order(key, s.as_str(), order);
            } else {
                let quoted = Document::from_str(&format!(
                    "x: {}\n",
                    serde_json::to_string(s).expect("a string serialises")
                ))
                .map_err(|e| e.to_string())?;
                let node = quoted.get("x").ok_or("no value")?;
                doc.set_with_field_order(key, node, order);
            }
        }
        Value::Bool(b) => {
            doc.set_with_field_order(key, *b, order);
        }
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                doc.set_with_field_order(key, u, order);
            } else if let Some(i) = n.as_i64() {
                doc.set_with_field_order(key, i, order);
            } else if let Some(f) = n.as_f64() {
                doc.set_with_field_order(key, f, order);
            }
        }
        Value::Sequence(_) | Value::Mapping(_) => {
            let text = serde_yaml_ng::to_string(value).map_err(|e| e.to_string())?;
            let node = Document::from_str(&text).map_err(|e| e.to_string())?;
            if let Some(seq) = node.as_sequence() {
                doc.set_with_field_order(key, seq, order);
            } else if let Some(map) = node.as_mapping() {
                doc.set_with_field_order(key, map, order);
            } else {
                return Err(format!("cannot write `{key}`"));
            }
        }
        Value::Null | Value::Tagged(_) => return Err(format!("cannot write `{key}`")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::FIELDS;

    const FILE: &str = "---\n# Khu lưu niệm, checked 2026-11\ntitle: Khu lưu niệm Hoàng Văn Thụ  # as on the sign\ncode: HVT\nlocation: { lat: 21.95, lon: 106.4 }\ntags: [lich-su]\n# the old district\ndistrict: Văn Lãng\n---\n\nNgôi nhà  cũ.\n\n> Trích dẫn.\n";

    fn s(v: &str) -> Option<Value> {
        Some(Value::String(v.into()))
    }

    #[test]
    fn one_field_changes_and_nothing_else() {
        let out = apply(FILE, &[("district".into(), s("Cao Lộc"))], None, FIELDS).unwrap();
        assert_eq!(out, FILE.replace("district: Văn Lãng", "district: Cao Lộc"));
    }

    #[test]
    fn unchanged_values_keep_their_style() {
        let loc: Value = serde_yaml_ng::from_str("{lat: 21.95, lon: 106.4}").unwrap();
        let out = apply(
            FILE,
            &[
                ("location".into(), Some(loc)),
                ("title".into(), s("Khu lưu niệm Hoàng Văn Thụ")),
            ],
            None,
            FIELDS,
        )
        .unwrap();
        assert_eq!(out, FILE);
    }

    #[test]
    fn new_keys_go_in_field_order_and_removed_ones_go() {
        let out = apply(
            FILE,
            &[("summary".into(), s("Nơi ở: 1940.")), ("tags".into(), None)],
            None,
            FIELDS,
        )
        .unwrap();
        let summary = out.find("summary:").unwrap();
        assert!(out.find("code:").unwrap() < summary && summary < out.find("location:").unwrap());
        assert!(!out.contains("tags"));
        assert!(out.contains("# the old district\ndistrict: Văn Lãng"));
        let m = fields(&out);
        assert_eq!(m.get("summary"), s("Nơi ở: 1940.").as_ref());
    }

    #[test]
    fn values_that_look_like_others_stay_strings() {
        for tricky in [
            "0912345678",
            "yes",
            "no",
            "1988",
            "- a",
            "#x",
            "a: b",
            "'q'",
            "*star",
            "null",
            "~",
            "ờ \"x\" \\ y",
        ] {
            let out = apply(FILE, &[("address".into(), s(tricky))], None, FIELDS).unwrap();
            assert_eq!(
                fields(&out).get("address"),
                s(tricky).as_ref(),
                "{tricky}: {out}"
            );
        }
    }

    #[test]
    fn body_and_line_endings() {
        let crlf = FILE.replace('\n', "\r\n");
        let out = apply(&crlf, &[], Some("\r\nMới.\r\n"), FIELDS).unwrap();
        assert!(out.ends_with("---\r\n\r\nMới.\r\n"), "{out:?}");
        assert!(!out.replace("\r\n", "").contains('\n'));
        let bom = format!("\u{feff}{FILE}");
        let out = apply(&bom, &[("district".into(), s("X"))], None, FIELDS).unwrap();
        assert!(out.starts_with("\u{feff}---\n"));
        assert_eq!(body(&out).unwrap(), body(FILE).unwrap());
    }

    #[test]
    fn nested_values_and_new_files() {
        let images: Value = serde_yaml_ng::from_str("[{src: a.jpg, alt: Cổng}, b.jpg]").unwrap();
        let out = new_file(
            &[
                ("title".into(), s("Nhà Lan")),
                ("images".into(), Some(images.clone())),
                ("price_from".into(), Some(Value::Number(250000.into()))),
            ],
            "\nChào.\n",
            FIELDS,
        )
        .unwrap();
        assert!(out.starts_with("---\ntitle: Nhà Lan\n"), "{out}");
        let m = fields(&out);
        assert_eq!(m.get("images"), Some(&images));
        assert_eq!(body(&out).unwrap(), "\nChào.\n");
        crate::content::front_matter::split(&out, std::path::Path::new("x")).unwrap();
    }
}
