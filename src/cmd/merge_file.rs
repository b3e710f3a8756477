//! `waymark merge-file BASE OURS THEIRS PATH`: git's merge driver for a site's files
//! (`serve --push` names it in its own git commands; an admin can name it in hers, README).
//! Entry files merge field by field and plaques.lock code by code; the result replaces OURS.
//! Exit 0: merged; 1: both sides changed the same thing, left with git's conflict markers.

use crate::edit::{git, merge};
use std::path::{Path, PathBuf};

pub fn run(base: &Path, ours: &Path, theirs: &Path, path: &str, labels: &[String]) -> i32 {
    // An older git passes `%X` as it is: no name then.
    let label = |i: usize, or: &str| match labels.get(i).filter(|l| !l.starts_with('%')) {
        Some(l) => format!("{path} ({l})"),
        None => format!("{path} ({or})"),
    };
    let names = [
        label(0, "this side"),
        label(2, "ancestor"),
        label(1, "other side"),
    ];
    let text_merge = || match git::merge_text_in_place(ours, base, theirs, &names) {
        true => 0,
        false => 1,
    };
    let read = |file: &Path| std::fs::read_to_string(file).map_err(|e| (file.to_path_buf(), e));
    let (b, o, t) = match (read(base), read(ours), read(theirs)) {
        (Ok(b), Ok(o), Ok(t)) => (b, o, t),
        (Err((_, e)), _, _) | (_, Err((_, e)), _) | (_, _, Err((_, e)))
            if e.kind() == std::io::ErrorKind::InvalidData =>
        {
            eprintln!("waymark merge-file: {path}: not UTF-8 text; merged as git merges text");
            return text_merge();
        }
        (Err((file, e)), _, _) | (_, Err((file, e)), _) | (_, _, Err((file, e))) => {
            eprintln!("waymark merge-file: cannot read {}: {e} (git names the three versions: BASE OURS THEIRS PATH)", file.display());
            return 2;
        }
    };
    match merge::file(path, &b, &o, &t) {
        merge::Merged::Clean(text) => match crate::output::write_atomic(ours, text.as_bytes()) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("waymark merge-file: {path}: cannot write the merge: {e}");
                2
            }
        },
        merge::Merged::Clash(what) => {
            eprintln!(
                "waymark merge-file: {path}: both sides changed {} differently: keep one by hand",
                what.join(", ")
            );
            // The marks hold only what clashes: the rest of both sides is made first.
            let order = crate::content::front_matter::FIELDS;
            match merge::narrowed(&b, &o, &t, order).and_then(|three| narrow(ours, three)) {
                Some((_dir, base, theirs)) => {
                    git::merge_text_in_place(ours, &base, &theirs, &names);
                }
                None => {
                    text_merge();
                }
            }
            1
        }
        merge::Merged::Text => text_merge(),
    }
}

/// `three` (ours, base, theirs) put where git's text merge reads them: ours in place of OURS,
/// the others in a folder of their own, returned with it (removed when it drops).
fn narrow(ours: &Path, three: [String; 3]) -> Option<(tempfile::TempDir, PathBuf, PathBuf)> {
    let [o, b, t] = three;
    let dir = tempfile::tempdir().ok()?;
    let (base, theirs) = (dir.path().join("base"), dir.path().join("theirs"));
    std::fs::write(&base, b).ok()?;
    std::fs::write(&theirs, t).ok()?;
    crate::output::write_atomic(ours, o.as_bytes()).ok()?;
    Some((dir, base, theirs))
}
