//! What a deploy publishes: every file of the built site, each with its content type, its
//! cache lifetime and its MD5, plus the redirects of `_redirects` as objects of their own, for
//! hosts that do not read that file (S3, GitHub and GitLab Pages).

use crate::config::Config;
use crate::error::{Error, Result};
use md5::{Digest, Md5};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One object of the deploy.
#[derive(Debug, Clone)]
pub struct Object {
    /// Site-relative, `/`-separated (`relics/den/index.html`).
    pub key: String,
    pub body: Body,
    pub size: u64,
    pub md5: [u8; 16],
    pub content_type: String,
    pub cache_control: &'static str,
    /// Where an S3 website sends a visitor instead (`x-amz-website-redirect-location`).
    pub redirect: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Body {
    File(PathBuf),
    Bytes(Vec<u8>),
}

impl Object {
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match &self.body {
            Body::File(p) => std::fs::read(p),
            Body::Bytes(b) => Ok(b.clone()),
        }
    }

    pub fn md5_hex(&self) -> String {
        hex(&self.md5)
    }

    /// A digest of the headers the object is stored with: a deploy after a change of policy
    /// (a new lifetime, a content type) sends the object again though its bytes are the same.
    pub fn meta(&self) -> u64 {
        crate::output::digest(
            format!(
                "{}\n{}\n{}",
                self.content_type,
                self.cache_control,
                self.redirect.as_deref().unwrap_or("")
            )
            .as_bytes(),
        )
    }

    fn new(key: String, body: Body, bytes: &[u8], redirect: Option<String>) -> Object {
        Object {
            content_type: crate::address::content_type(&key),
            cache_control: cache_control(&key),
            size: bytes.len() as u64,
            md5: Md5::digest(bytes).into(),
            key,
            body,
            redirect,
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How long browsers and a CDN may keep a file. Pages and `/q/` landings change when an entry
/// does, so they are checked again after five minutes; the service worker on every visit (it
/// decides what the phone keeps offline); a file whose name carries a content digest never
/// changes; photos and audio, replaced under the same name when a volunteer changes them,
/// a day; everything else (lists for search, feeds, the map's data) an hour.
pub fn cache_control(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    let ctype = crate::address::content_type(name);
    if name == crate::address::SERVICE_WORKER {
        "no-cache"
    } else if name.ends_with(".html") {
        "public, max-age=300"
    } else if fingerprinted(name) {
        "public, max-age=31536000, immutable"
    } else if ctype.starts_with("image/") || ctype.starts_with("audio/") {
        "public, max-age=86400"
    } else {
        "public, max-age=3600"
    }
}

/// `name-<16 hex digits>.ext` (or `.` before the digest): the digest `output::digest` writes.
fn fingerprinted(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem.rsplit(['-', '.'])
        .next()
        .is_some_and(|d| d.len() == 16 && d.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The built site's folder: `<out>/site`, resolved to the generation it is published from, so
/// that a build finishing during the deploy does not change the files under it.
pub fn site_folder(site: &Path, out: Option<&Path>) -> Result<PathBuf> {
    let out = out.map_or_else(|| site.join("output"), Path::to_path_buf);
    let dir = out.join(crate::address::SITE.trim_end_matches('/'));
    match dir.canonicalize() {
        Ok(d) if d.is_dir() => Ok(d),
        _ => Err(Error::one(
            crate::error::Diagnostic::error(&dir, "there is no built site here to deploy")
                .hint("run `waymark build` first (or pass the --out folder the build wrote to)")
                .vi("chưa có trang đã dựng để đưa lên: chạy `waymark build` trước"),
        )),
    }
}

/// Every file under `dir` and the redirect objects, sorted by key.
pub fn collect(dir: &Path, config: &Config) -> Result<Vec<Object>> {
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(&path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if rel.contains('\n') {
            return Err(Error::one(
                crate::error::Diagnostic::error(
                    entry.path(),
                    "a file name with a line break cannot be published",
                )
                .hint("rename the file it comes from"),
            ));
        }
        paths.push((rel, entry.into_path()));
    }
    let mut objects: Vec<Object> = paths
        .into_par_iter()
        .map(|(rel, path)| {
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            Ok(Object::new(rel, Body::File(path), &bytes, None))
        })
        .collect::<Result<_>>()?;
    let redirects = redirect_objects(dir, config, &objects);
    objects.extend(redirects);
    objects.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(objects)
}

/// The exact redirects of the site's `_redirects` (short links typed in lower case, `/Q/` from
/// QR readers that upper-case a whole link) as pages at their addresses, which S3 also serves
/// as a redirect (`x-amz-website-redirect-location`). A path the site has a file for is left to
/// the file; lines with wildcards are not the site's and are skipped.
fn redirect_objects(dir: &Path, config: &Config, files: &[Object]) -> Vec<Object> {
    let Ok(text) = std::fs::read_to_string(dir.join(crate::address::REDIRECTS)) else {
        return Vec::new();
    };
    let base_path = config.base_path();
    let origin = &config.base_url[..config.base_url.len() - base_path.len()];
    let have: std::collections::BTreeSet<&str> = files.iter().map(|f| f.key.as_str()).collect();
    let mut made = std::collections::BTreeMap::new();
    for line in text.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        let (Some(from), Some(to)) = (words.next(), words.next()) else {
            continue;
        };
        if from.starts_with('#') || from.contains(['*', ':']) || !to.starts_with('/') {
            continue;
        }
        let Some(path) = from.strip_prefix(base_path) else {
            continue;
        };
        let path = path.trim_start_matches('/');
        let last = path.rsplit('/').next().unwrap_or("");
        let key = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else if last.contains('.') {
            path.to_string()
        } else {
            format!("{path}/index.html")
        };
        if have.contains(key.as_str()) || made.contains_key(&key) {
            continue;
        }
        let page = crate::render::redirect_page(&config.default_language, &format!("{origin}{to}"));
        made.insert(
            key.clone(),
            Object::new(
                key,
                Body::Bytes(page.clone().into_bytes()),
                page.as_bytes(),
                Some(to.to_string()),
            ),
        );
    }
    made.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_by_kind() {
        assert_eq!(cache_control("sw.js"), "no-cache");
        assert_eq!(cache_control("q/HVT/index.html"), "public, max-age=300");
        assert_eq!(cache_control("404.html"), "public, max-age=300");
        assert_eq!(
            cache_control("assets/app-0123456789abcdef.css"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("relics/den/cong-960.jpg"),
            "public, max-age=86400"
        );
        assert_eq!(cache_control("search/vi.json"), "public, max-age=3600");
        assert_eq!(cache_control("photo-1200.webp"), "public, max-age=86400");
        assert_eq!(cache_control("places.geojson"), "public, max-age=3600");
    }
}
