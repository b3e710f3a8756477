//! Who changed what, and when: every save, new entry and delete the editor makes is one line
//! of `.waymark-cache/editor/activity.jsonl` (with `--commit`, naming its commit), for the
//! admins' activity page. Appended a line at a time; a line that does not read is passed over.

use std::io::Write;
use std::path::{Path, PathBuf};

const FILE: &str = ".waymark-cache/editor/activity.jsonl";

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Change {
    /// Seconds since 1970.
    pub at: u64,
    /// The paired phone or owner, as named.
    pub who: String,
    /// `edit relics/den`, `new homestays/nha-lan`, `delete places/cho`.
    pub what: String,
    pub files: Vec<PathBuf>,
    /// The Git commit of the change, with `--commit`.
    pub commit: Option<String>,
}

impl Change {
    /// The entry it is about (`section/slug`).
    pub fn entry(&self) -> &str {
        self.what.split_once(' ').map_or("", |(_, id)| id)
    }
}

/// Adds `change` to the site's activity; a failure is said, never stops the save.
pub fn note(site: &Path, change: &Change) {
    let path = site.join(FILE);
    let written = serde_json::to_string(change)
        .map_err(std::io::Error::other)
        .and_then(|line| {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .read(true)
                .append(true)
                .open(&path)?;
            // A line torn by a crash would swallow this one: it starts on a line of its own.
            let torn = ends_torn(&mut file)?;
            // One write of the whole line: appends from two saves never interleave.
            let line = format!("{}{line}\n", if torn { "\n" } else { "" });
            file.write_all(line.as_bytes())
        });
    if let Err(e) = written {
        eprintln!("editor: activity not noted in {} ({e})", path.display());
    }
}

/// Whether `file` ends without a newline (a line cut short by a crash).
fn ends_torn(file: &mut std::fs::File) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    if file.metadata()?.len() == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

/// Changes whose commits were made again under other names (a rebase onto a remote's commits:
/// `edit::sync`) name the new ones, so that their links keep showing them. Lines that do not
/// read are kept as they are. Called under the editor's write lock, as `note` is.
pub fn rename_commits(site: &Path, renamed: &std::collections::HashMap<String, String>) {
    let path = site.join(FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let change = serde_json::from_str::<Change>(line).ok().and_then(|mut c| {
            let new = renamed.get(c.commit.as_deref()?)?;
            c.commit = Some(new.clone());
            serde_json::to_string(&c).ok()
        });
        out.push_str(change.as_deref().unwrap_or(line));
        out.push('\n');
    }
    if let Err(e) = crate::output::write_atomic(&path, out.as_bytes()) {
        eprintln!(
            "editor: activity's commits not renamed in {} ({e})",
            path.display()
        );
    }
}

/// The last `most` changes, newest first.
pub fn recent(site: &Path, most: usize) -> Vec<Change> {
    let text = std::fs::read_to_string(site.join(FILE)).unwrap_or_default();
    let mut changes: Vec<Change> = text
        .lines()
        .rev()
        .filter_map(|l| serde_json::from_str(l).ok())
        .take(most)
        .collect();
    changes.shrink_to_fit();
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_read_back_newest_first_and_a_torn_line_is_passed_over() {
        let site = tempfile::tempdir().unwrap();
        let change = |n: u64, what: &str| Change {
            at: n,
            who: "Lan".into(),
            what: what.into(),
            files: vec![PathBuf::from("content/relics/den.md")],
            commit: None,
        };
        note(site.path(), &change(1, "edit relics/den"));
        note(site.path(), &change(2, "new homestays/nha-lan"));
        let path = site.path().join(FILE);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"{\"at\": 3, \"who\"").unwrap();
        let got = recent(site.path(), 10);
        assert_eq!(
            got,
            vec![
                change(2, "new homestays/nha-lan"),
                change(1, "edit relics/den")
            ]
        );
        // The next change after the torn line is read.
        note(site.path(), &change(4, "edit relics/den"));
        assert_eq!(recent(site.path(), 1), vec![change(4, "edit relics/den")]);
        assert_eq!(got[0].entry(), "homestays/nha-lan");
        assert_eq!(recent(site.path(), 1).len(), 1);
    }

    #[test]
    fn commits_made_again_are_named_anew() {
        let site = tempfile::tempdir().unwrap();
        let change = |commit: &str| Change {
            at: 1,
            who: "Lan".into(),
            what: "edit relics/den".into(),
            files: Vec::new(),
            commit: Some(commit.into()),
        };
        note(site.path(), &change("aaa"));
        note(site.path(), &change("ccc"));
        let renamed = [("aaa".to_string(), "bbb".to_string())]
            .into_iter()
            .collect();
        rename_commits(site.path(), &renamed);
        assert_eq!(recent(site.path(), 10), vec![change("ccc"), change("bbb")]);
    }
}
