//! `waymark merge-file BASE OURS THEIRS PATH`: git's merge driver for a site's files
//! (`serve --push` names it in its own git commands; an admin can name it in hers, README).
//! Entry files merge field by field and plaques.lock code by code; the result replaces OURS.
//! Exit 0: merged; 1: both sides changed the same thing, left with git's conflict markers.

use crate::edit::{git, merge};
use std::path::Path;

pub fn run(base: &Path, ours: &Path, theirs: &Path, path: &str) -> i32 {
    let text_merge = || match git::merge_text_in_place(ours, base, theirs, path) {
        true => 0,
        false => 1,
    };
    let read = std::fs::read_to_string;
    let (Ok(b), Ok(o), Ok(t)) = (read(base), read(ours), read(theirs)) else {
        // Not text Waymark reads (not UTF-8): as git would merge it.
        return text_merge();
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
            text_merge();
            1
        }
        merge::Merged::Text => text_merge(),
    }
}
