//! A change checked against the whole site before it is written: the site as the change would
//! leave it is loaded and modelled as `waymark build` does (every entry, slugs, plaque codes and
//! the ledger, drafts held with their codes), and the changed entries' links resolved. Only the
//! problems the change brings are returned, so one broken file elsewhere never blocks a save.

use crate::config::Config;
use crate::content::{self, Memo, Staged};
use crate::error::{Diagnostic, Error};
use crate::ledger::Ledger;
use crate::render::{markdown, Links};
use crate::site::Site;
use std::collections::BTreeSet;
use std::path::Path;

/// The errors a build of `site` would stop at with `staged` over its files, less those it
/// stops at today. `entries` are the `section/slug`s whose links are checked.
pub fn new_problems(
    site: &Path,
    config: &Config,
    staged: &Staged,
    entries: &[&str],
    memo: Option<&Memo>,
) -> Vec<Diagnostic> {
    let after = problems(site, config, staged, entries, memo);
    if after.is_empty() {
        return after;
    }
    let known: BTreeSet<(String, String)> = problems(site, config, &Staged::default(), &[], memo)
        .iter()
        .map(key)
        .collect();
    after
        .into_iter()
        .filter(|d| !known.contains(&key(d)))
        .collect()
}

/// What tells one problem from another across two loads: its file and its message.
fn key(d: &Diagnostic) -> (String, String) {
    (d.file.display().to_string(), d.message.clone())
}

fn problems(
    site: &Path,
    config: &Config,
    staged: &Staged,
    entries: &[&str],
    memo: Option<&Memo>,
) -> Vec<Diagnostic> {
    let errors = |e: Error| errors_of(site, e);
    let ledger = match Ledger::load(site) {
        Ok(l) => l,
        Err(e) => return errors(e),
    };
    problems_with_ledger(site, config, staged, &ledger, entries, memo)
}

/// The errors a build of `site` would stop at with `staged` over its files and `ledger` as
/// plaques.lock (a change that rewrites it too, as a delete retires codes), the links of
/// `entries` checked.
pub fn problems_with_ledger(
    site: &Path,
    config: &Config,
    staged: &Staged,
    ledger: &Ledger,
    entries: &[&str],
    memo: Option<&Memo>,
) -> Vec<Diagnostic> {
    let errors = |e: Error| errors_of(site, e);
    let loaded = match content::load_staged(site, config, false, memo, staged) {
        Ok(l) => l,
        Err(e) => return errors(e),
    };
    let model = match Site::from_loaded(site, config.clone(), loaded, ledger) {
        Ok(m) => m.site,
        Err(e) => return errors(e),
    };
    let media = crate::media::Media::default();
    let links = Links::new(&model, &media);
    let mut out = Vec::new();
    for e in model
        .entries
        .iter()
        .filter(|e| entries.contains(&e.page_id().as_str()))
    {
        for (lang, t) in &e.texts {
            let r = markdown::render(&t.body, &t.file, t.body_line, lang, &links);
            out.extend(r.problems.into_iter().filter(Diagnostic::is_error));
        }
    }
    out
}

/// A failed load's errors (its warnings left out), or the failure itself named at the site.
fn errors_of(site: &Path, e: Error) -> Vec<Diagnostic> {
    match e {
        Error::Site(ds) => ds.into_iter().filter(Diagnostic::is_error).collect(),
        other => vec![Diagnostic::error(site, other.to_string())],
    }
}
