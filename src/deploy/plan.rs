//! What an S3 deploy does, decided before any write: which objects to upload, which are already
//! there, which to delete.
//!
//! How Waymark knows an object is unchanged without downloading it: the bucket holds a record of
//! the last deploy (`.waymark-deploy`, gzipped lines of MD5, size, a digest of the headers, key),
//! written after every upload of that deploy succeeded. An object is left alone only when the
//! listing shows it with the local size (and, where the server lists ETags, an ETag that is the
//! local MD5, as S3, R2 and MinIO give for single-part uploads), and the record holds the local
//! MD5 and headers. Before uploading, a deploy writes the keys it is about to change to
//! `.waymark-deploy-pending`: a deploy killed half way leaves them there, and the next one
//! treats them as unknown (sends them again) instead of trusting the old record.

use super::files::Object;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};

/// The record of the last deploy, and the keys a deploy was changing when it stopped.
pub const RECORD: &str = ".waymark-deploy";
pub const PENDING: &str = ".waymark-deploy-pending";
const HEADER: &str = "waymark-deploy 1";

/// What the listing says of one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub size: u64,
    pub etag: Option<String>,
}

/// What the record says of one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub md5: String,
    pub size: u64,
    pub meta: u64,
}

impl Record {
    pub fn of(o: &Object) -> Record {
        Record {
            md5: o.md5_hex(),
            size: o.size,
            meta: o.meta(),
        }
    }
}

/// What to do with objects the bucket has and the site does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stale {
    /// Delete those an earlier deploy put there (the default): another tool's files under the
    /// same prefix stay.
    #[default]
    Ours,
    /// Delete every object under the prefix that the site does not have (`--delete`).
    All,
    /// Delete nothing (`--keep-stale`).
    Keep,
}

#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    /// Indexes into the objects, in the order to send them: other files first, then pages, then
    /// the service worker, so that a page never arrives before a photo it shows.
    pub upload: Vec<usize>,
    /// Of `upload`, those the bucket does not have at all.
    pub new: usize,
    pub unchanged: usize,
    pub delete: Vec<String>,
    /// Stale objects left where they are (`--keep-stale`, or not ours).
    pub kept: Vec<String>,
}

pub fn plan(
    objects: &[Object],
    remote: &BTreeMap<String, Remote>,
    record: &BTreeMap<String, Record>,
    pending: &BTreeSet<String>,
    stale: Stale,
) -> Plan {
    let mut plan = Plan::default();
    for (i, o) in objects.iter().enumerate() {
        let there = remote.get(&o.key);
        let same = there.is_some_and(|r| {
            let md5 = o.md5_hex();
            let etag_ok = match etag_md5(r.etag.as_deref()) {
                Some(e) => e == md5,
                // Multipart or unlisted ETags say nothing; the record decides.
                None => true,
            };
            r.size == o.size
                && etag_ok
                && !pending.contains(&o.key)
                && record.get(&o.key) == Some(&Record::of(o))
        });
        if same {
            plan.unchanged += 1;
        } else {
            plan.new += usize::from(there.is_none());
            plan.upload.push(i);
        }
    }
    plan.upload.sort_by_key(|&i| (rank(&objects[i].key), i));
    let wanted: BTreeSet<&str> = objects.iter().map(|o| o.key.as_str()).collect();
    for key in remote.keys().filter(|k| !wanted.contains(k.as_str())) {
        if key == RECORD || key == PENDING {
            continue;
        }
        let ours = record.contains_key(key) || pending.contains(key);
        match (stale, ours) {
            (Stale::All, _) | (Stale::Ours, true) => plan.delete.push(key.clone()),
            _ => plan.kept.push(key.clone()),
        }
    }
    plan
}

fn rank(key: &str) -> u8 {
    if key == crate::address::SERVICE_WORKER {
        2
    } else if key.ends_with(".html") {
        1
    } else {
        0
    }
}

/// The MD5 an ETag stands for: a quoted 32-digit hex string (not `…-N` of a multipart upload).
fn etag_md5(etag: Option<&str>) -> Option<String> {
    let e = etag?.trim().trim_start_matches("W/").trim_matches('"');
    (e.len() == 32 && e.bytes().all(|b| b.is_ascii_hexdigit())).then(|| e.to_ascii_lowercase())
}

/// The record to keep after a deploy: the site's objects, and the stale ones left in the bucket
/// that an earlier deploy put there (so that a later deploy still knows them as its own).
pub fn next_record(
    objects: &[Object],
    old: &BTreeMap<String, Record>,
    plan: &Plan,
) -> BTreeMap<String, Record> {
    let mut record: BTreeMap<String, Record> = objects
        .iter()
        .map(|o| (o.key.clone(), Record::of(o)))
        .collect();
    for key in &plan.kept {
        if let Some(r) = old.get(key) {
            record.insert(key.clone(), r.clone());
        }
    }
    record
}

/// The record as gzipped lines: the same record makes the same bytes.
pub fn encode(record: &BTreeMap<String, Record>) -> Vec<u8> {
    let mut text = String::with_capacity(record.len() * 80);
    text.push_str(HEADER);
    text.push('\n');
    for (key, r) in record {
        text.push_str(&format!("{} {} {:016x} {key}\n", r.md5, r.size, r.meta));
    }
    gzip(text.as_bytes())
}

/// A record read back; None for one that is not Waymark's or is damaged (then nothing is
/// trusted, and every object is sent again).
pub fn decode(bytes: &[u8]) -> Option<BTreeMap<String, Record>> {
    let text = gunzip(bytes)?;
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let mut record = BTreeMap::new();
    for line in lines {
        let mut parts = line.splitn(4, ' ');
        let md5 = parts.next()?.to_string();
        let size = parts.next()?.parse().ok()?;
        let meta = u64::from_str_radix(parts.next()?, 16).ok()?;
        let key = parts.next()?.to_string();
        record.insert(key, Record { md5, size, meta });
    }
    Some(record)
}

/// The pending keys, one a line, gzipped.
pub fn encode_keys<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<u8> {
    let mut text = String::from(HEADER);
    text.push('\n');
    for k in keys {
        text.push_str(k);
        text.push('\n');
    }
    gzip(text.as_bytes())
}

/// Pending keys read back; a damaged list is a list of every key (the caller trusts nothing).
pub fn decode_keys(bytes: &[u8]) -> Option<BTreeSet<String>> {
    let text = gunzip(bytes)?;
    let mut lines = text.lines();
    (lines.next()? == HEADER).then(|| lines.map(str::to_string).collect())
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

fn gunzip(bytes: &[u8]) -> Option<String> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::files::Body;

    fn obj(key: &str, bytes: &[u8]) -> Object {
        use md5::Digest;
        Object {
            key: key.into(),
            body: Body::Bytes(bytes.to_vec()),
            size: bytes.len() as u64,
            md5: md5::Md5::digest(bytes).into(),
            content_type: crate::address::content_type(key),
            cache_control: super::super::files::cache_control(key),
            redirect: None,
        }
    }

    fn listed(o: &Object, etag: bool) -> Remote {
        Remote {
            size: o.size,
            etag: etag.then(|| format!("\"{}\"", o.md5_hex())),
        }
    }

    #[test]
    fn unchanged_needs_the_listing_and_the_record_to_agree() {
        let a = obj("a/index.html", b"aaa");
        let b = obj("b.jpg", b"bbbb");
        let sw = obj("sw.js", b"s");
        let objects = vec![a.clone(), b.clone(), sw.clone()];
        let record: BTreeMap<_, _> = objects
            .iter()
            .map(|o| (o.key.clone(), Record::of(o)))
            .collect();
        let mut remote: BTreeMap<_, _> = objects
            .iter()
            .map(|o| (o.key.clone(), listed(o, false)))
            .collect();
        let none = BTreeSet::new();
        let p = plan(&objects, &remote, &record, &none, Stale::Ours);
        assert_eq!((p.upload.len(), p.unchanged), (0, 3));

        // A listed ETag that is not the local MD5: someone changed it.
        remote.get_mut("b.jpg").unwrap().etag = Some("\"00000000000000000000000000000000\"".into());
        let p = plan(&objects, &remote, &record, &none, Stale::Ours);
        assert_eq!(p.upload, vec![1]);
        // A multipart ETag says nothing.
        remote.get_mut("b.jpg").unwrap().etag = Some("\"abc-2\"".into());
        assert!(plan(&objects, &remote, &record, &none, Stale::Ours)
            .upload
            .is_empty());

        // A key a killed deploy was changing is sent again.
        let pending: BTreeSet<String> = ["a/index.html".to_string()].into();
        assert_eq!(
            plan(&objects, &remote, &record, &pending, Stale::Ours).upload,
            vec![0]
        );

        // No record (another tool's upload, or a lost record): everything again, assets first.
        let p = plan(&objects, &remote, &BTreeMap::new(), &none, Stale::Ours);
        assert_eq!(p.upload, vec![1, 0, 2]);
        assert_eq!(p.new, 0);
    }

    #[test]
    fn stale_objects_by_whose_they_are() {
        let a = obj("a/index.html", b"aaa");
        let objects = vec![a.clone()];
        let mut record: BTreeMap<_, _> = [(a.key.clone(), Record::of(&a))].into();
        record.insert(
            "gone/index.html".into(),
            Record {
                md5: "x".into(),
                size: 1,
                meta: 0,
            },
        );
        let mut remote: BTreeMap<_, _> = [(a.key.clone(), listed(&a, true))].into();
        for k in ["gone/index.html", "other-tool.txt", RECORD, PENDING] {
            remote.insert(
                k.into(),
                Remote {
                    size: 1,
                    etag: None,
                },
            );
        }
        let none = BTreeSet::new();
        let p = plan(&objects, &remote, &record, &none, Stale::Ours);
        assert_eq!(p.delete, vec!["gone/index.html"]);
        assert_eq!(p.kept, vec!["other-tool.txt"]);
        let p = plan(&objects, &remote, &record, &none, Stale::All);
        assert_eq!(p.delete, vec!["gone/index.html", "other-tool.txt"]);
        let p = plan(&objects, &remote, &record, &none, Stale::Keep);
        assert!(p.delete.is_empty());
        // Kept objects of ours stay ours in the next record.
        let next = next_record(&objects, &record, &p);
        assert!(next.contains_key("gone/index.html"));
        assert!(!next.contains_key("other-tool.txt"));
    }

    #[test]
    fn records_read_back() {
        let a = obj("a b/index.html", b"aaa");
        let record: BTreeMap<_, _> = [(a.key.clone(), Record::of(&a))].into();
        let bytes = encode(&record);
        assert_eq!(bytes, encode(&record));
        assert_eq!(decode(&bytes), Some(record));
        assert_eq!(decode(b"not gzip"), None);
        let keys = decode_keys(&encode_keys(["x", "y/z"].into_iter())).unwrap();
        assert_eq!(keys.len(), 2);
    }
}
