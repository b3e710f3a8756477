//! One build, check or `plaques` run of a site at a time, as Cargo does with its build folder:
//! a build deletes the plaques its site no longer uses from `.waymark-cache/`, and another run
//! of the same site could be about to link one of them into its output. A second run waits, and
//! says why. `serve`'s rebuilds take it with `--edit` or `--publish`, from reading the files to
//! writing plaques.lock and the live site (they never delete from the cache, but a half-made
//! change must not go live, nor a pin overwrite a deletion's plaques.lock); its editor takes it
//! for each save, new entry, deletion and exchange with a remote, so that a build never reads
//! half a save.

use std::fs::TryLockError;
use std::path::Path;

/// Held until dropped (the kernel lets go of it when the file closes, even after a crash).
pub struct SiteLock {
    _file: std::fs::File,
}

impl SiteLock {
    /// Wait until no other Waymark run holds `site`'s lock, then hold it. None when `site` is not
    /// a site, or the lock file cannot be made (a read-only folder): the run goes on unguarded
    /// rather than failing.
    pub fn take(site: &Path) -> Option<SiteLock> {
        Self::hold(site, true)
    }

    /// `take`, without a word while it waits: for `serve`'s rebuilds, which wait on the
    /// server's own editor (a save, a commit) as a matter of course.
    pub fn wait(site: &Path) -> Option<SiteLock> {
        Self::hold(site, false)
    }

    fn hold(site: &Path, say: bool) -> Option<SiteLock> {
        // Not a site (a mistyped --site): the run fails on its own, and leaves no folder behind.
        if !site.join(crate::config::FILE).is_file() {
            return None;
        }
        let dir = site.join(crate::output::CACHE_ROOT);
        std::fs::create_dir_all(&dir).ok()?;
        let path = dir.join("lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .ok()?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                if say {
                    eprintln!(
                        "waiting for another waymark run on this site to finish (lock: {})",
                        path.display()
                    );
                }
                file.lock().ok()?;
            }
            // A file system without locks: go on unguarded, as when the file cannot be made.
            Err(TryLockError::Error(_)) => return None,
        }
        Some(SiteLock { _file: file })
    }
}
