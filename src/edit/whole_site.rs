//! A change checked against the whole site before it is written: the site as the change would
//! leave it is loaded and modelled as `waymark build` does (every entry, slugs, plaque codes and
//! the ledger, drafts held with their codes), and the changed entries' links resolved. Only the
//! problems the change brings are returned, so one broken file elsewhere never blocks a save.
//!
//! A change that only rewrites entries' texts, in a way the model can take in place, is first
//! judged on the model the server keeps (`Kept`), which spares loading the site again (at
//! 10,000 entries, ~400 ms and ~100 MB for a moment). Only an acceptance is taken from it: a
//! refusal is confirmed by the whole site, as the kept model may be a moment behind the files.

use crate::config::Config;
use crate::content::{self, Memo, Staged};
use crate::error::{Diagnostic, Error};
use crate::ledger::Ledger;
use crate::render::{markdown, Links};
use crate::site::Site;
use std::collections::BTreeSet;
use std::path::Path;

/// A model of the site that the program running the editor keeps up to date (`serve`'s).
pub trait Kept: Send + Sync {
    /// `judge` run on the kept model when it is the site as its files make it (its last
    /// rebuild good, none running for long); None when no such model is at hand.
    fn judge(&self, judge: &dyn Fn(&Site) -> Option<Vec<Diagnostic>>) -> Option<Vec<Diagnostic>>;
}

/// The errors a build would stop at with `staged` over the files `model` was made of, when the
/// change only rewrites texts that the model can take in place (None otherwise): the links of
/// the rewritten texts, which is all such a change can break beyond its file's own checks (the
/// loader's checks of the file were passed without a word, and no file, code or photo changes).
pub fn in_model(model: &Site, staged: &Staged) -> Option<Vec<Diagnostic>> {
    if !staged.removed.is_empty() || !staged.added.is_empty() || staged.texts.is_empty() {
        return None;
    }
    let media = crate::media::Media::default();
    let links = Links::new(model, &media);
    let mut out = Vec::new();
    for (rel, text) in &staged.texts {
        let (i, edit) = model.text_edit(rel, text)?;
        let (lang, _) = model.entries[i]
            .texts
            .iter()
            .find(|(_, t)| t.file == *rel)?;
        let r = markdown::render(&edit.body, rel, edit.body_line, lang, &links);
        out.extend(r.problems.into_iter().filter(Diagnostic::is_error));
    }
    Some(out)
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const DEN: &str = "---\ntitle: Đền Kỳ Cùng\ncode: KC\n---\n\nGần [chùa](chua.md).\n";
    const CHUA: &str = "---\ntitle: Chùa Tam Thanh\n---\n\nChữ.\n";
    const CHUA_EN: &str = "---\ntitle: Tam Thanh Pagoda\n---\n\nText.\n";

    /// A site on disk and its model, as `serve` keeps it.
    fn kept() -> (tempfile::TempDir, Config, Site) {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            (
                "site.yaml",
                "title: T\nbase_url: https://t.example\nlanguages: [vi, en]\n",
            ),
            ("content/relics/den.md", DEN),
            ("content/relics/chua.md", CHUA),
            ("content/relics/chua.en.md", CHUA_EN),
        ];
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let config = Config::load(dir.path()).unwrap();
        let loaded = content::load(dir.path(), &config, false, None).unwrap();
        let ledger = Ledger::default();
        let model = Site::from_loaded(dir.path(), config.clone(), loaded, &ledger).unwrap();
        (dir, config, model.site)
    }

    fn staged(texts: &[(&str, &str)]) -> Staged {
        Staged {
            texts: texts
                .iter()
                .map(|(rel, text)| (PathBuf::from(rel), text.to_string()))
                .collect(),
            ..Staged::default()
        }
    }

    #[test]
    fn a_text_edit_is_judged_on_the_kept_model_as_the_whole_site_judges_it() {
        let (dir, config, model) = kept();
        let good = staged(&[
            ("content/relics/den.md", &DEN.replace("Gần", "Rất gần")),
            (
                "content/relics/chua.en.md",
                "---\ntitle: Tam Thanh\n---\n\nSee [the temple](den.md).\n",
            ),
        ]);
        assert_eq!(in_model(&model, &good), Some(vec![]));
        let whole = new_problems(
            dir.path(),
            &config,
            &good,
            &["relics/den", "relics/chua"],
            None,
        );
        assert!(whole.is_empty(), "{whole:?}");

        let broken = staged(&[(
            "content/relics/den.md",
            &DEN.replace("chua.md", "khong-co.md"),
        )]);
        let found = in_model(&model, &broken).expect("judged");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.contains("khong-co.md"),
            "{}",
            found[0].message
        );
        let whole = new_problems(dir.path(), &config, &broken, &["relics/den"], None);
        assert_eq!(
            found.iter().map(key).collect::<Vec<_>>(),
            whole.iter().map(key).collect::<Vec<_>>()
        );
    }

    #[test]
    fn what_changes_the_sites_structure_is_left_to_the_whole_site() {
        let (_dir, _config, model) = kept();
        let den = "content/relics/den.md";
        for text in [
            DEN.replace("code: KC", "code: KD"),
            DEN.replace("code: KC", "code: KC\ndraft: true"),
            DEN.replace("code: KC", "code: KC\nimages: [cong.jpg]"),
            // A field the loader warns of: the whole load reports it.
            DEN.replace("code: KC", "code: KC\ntitel: x"),
            // Not front matter the loader reads.
            DEN.replace("---\n\n", "\n"),
        ] {
            assert_eq!(in_model(&model, &staged(&[(den, &text)])), None, "{text}");
        }
        // A file the model does not hold: a new translation, a new entry.
        let new = staged(&[("content/relics/den.en.md", CHUA_EN)]);
        assert_eq!(in_model(&model, &new), None);
        let new = staged(&[("content/relics/moi.md", CHUA)]);
        assert_eq!(in_model(&model, &new), None);
        // Files added or removed beside a text.
        let mut photo = staged(&[(den, DEN)]);
        photo
            .added
            .insert(PathBuf::from("content/relics/den/cong.jpg"));
        assert_eq!(in_model(&model, &photo), None);
        let mut gone = staged(&[(den, DEN)]);
        gone.removed
            .insert(PathBuf::from("content/relics/chua.en.md"));
        assert_eq!(in_model(&model, &gone), None);
        assert_eq!(in_model(&model, &Staged::default()), None);
    }
}
