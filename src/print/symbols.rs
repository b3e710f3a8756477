//! The bare QR symbols (`print/qr/<CODE>.svg|png`, each decoded back before it is kept) and
//! `print/manifest.json`: every printed code, what it encodes, its page and its files.

use crate::address;
use crate::error::{Diagnostic, Error, Result};
use crate::output::{Emitter, OutFile};
use crate::qr::{self, Cache};
use crate::site::{Entry, Site};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// One record of `print/manifest.json`.
#[derive(Serialize)]
struct ManifestItem {
    code: String,
    /// Exactly what the QR encodes.
    url: String,
    /// The entry's canonical page.
    page: String,
    title: String,
    section: String,
    source: String,
    version: i16,
    modules: usize,
    error_correction: String,
    files: Vec<String>,
}

/// Make and verify the bare QR symbols of `entries` and the manifest, into `emit` (after the
/// plaques, whose files the manifest lists with each code's); how many codes.
pub fn render(site: &Site, entries: &[&Entry], cache: &Cache, emit: &Emitter) -> Result<usize> {
    // print/plaques/<CODE>.<ext>, by code (one pass, not one scan of every file per entry).
    let mut plaque_files: HashMap<String, Vec<String>> = HashMap::new();
    for path in emit.paths_under(address::PLAQUES) {
        if let Some((code, _)) = path[address::PLAQUES.len()..].split_once('.') {
            plaque_files.entry(code.to_string()).or_default().push(path);
        }
    }
    let results: Vec<Result<ManifestItem>> = entries
        .par_iter()
        .map(|e| {
            let url = site.scan_link(&e.code);
            let ec = crate::qr::level(site.config.qr.error_correction, &url);
            let fail = |why: String| {
                Diagnostic::error(&e.file, format!("the QR code for {} ({url}) {why}", e.code))
                    .hint("use a shorter base_url or code; report this as a bug if it persists")
            };
            let stored = match cache.get(&url, ec) {
                Some(s) => s,
                None => {
                    // The plaque's symbol of the same link: encoded once a run.
                    let sym = cache
                        .symbol(&url, ec)
                        .map_err(|w| fail(format!("cannot be made: {w}")))?;
                    cache.put(&url, ec, qr::make(&url, &sym).map_err(fail)?)
                }
            };
            let svg_path = address::symbol_file(&e.code, "svg");
            let png_path = address::symbol_file(&e.code, "png");
            let item = ManifestItem {
                code: e.code.clone(),
                url,
                page: site.absolute(&site.entry_path(e, site.default_language())),
                title: e.texts[site.default_language()].title.clone(),
                section: e.section.clone(),
                source: e.file.to_string_lossy().replace('\\', "/"),
                version: stored.version,
                modules: stored.modules,
                error_correction: format!("{ec:?}"),
                files: {
                    // The plaque's own files, made by the print stage, are listed with the symbol's.
                    let mut f = vec![svg_path.clone(), png_path.clone()];
                    f.extend(plaque_files.get(&e.code).into_iter().flatten().cloned());
                    f
                },
            };
            emit.put(OutFile {
                path: svg_path,
                data: stored.svg,
            })?;
            emit.put(OutFile {
                path: png_path,
                data: stored.png,
            })?;
            Ok(item)
        })
        .collect();
    let mut manifest = Vec::new();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(m) => manifest.push(m),
            Err(Error::Site(d)) => problems.extend(d),
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Site(problems));
    }
    manifest.sort_by(|a, b| a.code.cmp(&b.code));
    let codes = manifest.len();
    let json = serde_json::to_string_pretty(&manifest).expect("manifest serialises");
    emit.put(OutFile::bytes(address::PRINT_MANIFEST.into(), json + "\n"))?;
    Ok(codes)
}
