//! `serve --edit --push REMOTE`: the site's repository checked at start (`edit::sync`), and one
//! thread that exchanges commits with the remote: at once, whenever a save's commit or a save
//! about to be made asks for it, and every `--pull-every`.

use super::editor::EditorState;
use crate::edit::sync::Remote;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// `--push`'s remote, checked: `Some(None)` without `--push`; None, said, when it cannot be
/// used (the server does not start).
pub fn open(site: &Path, push: Option<&str>) -> Option<Option<Arc<Remote>>> {
    let Some(name) = push else {
        return Some(None);
    };
    let program =
        std::env::current_exe().map_err(|e| format!("cannot find this program's path: {e}"));
    match Remote::open(site, name).and_then(|r| r.merging_with(site, &program?)) {
        Ok(r) => Some(Some(Arc::new(r))),
        Err(why) => {
            // A remote named by an address may hold a password.
            let shown = crate::edit::git::hide_passwords(name);
            eprintln!("error: --push {shown}: {why}");
            None
        }
    }
}

/// The exchange's thread; `every` zero: only when asked (saves), no timer.
pub fn start(remote: Option<Arc<Remote>>, editor: Option<&Arc<EditorState>>, every: Duration) {
    let (Some(remote), Some(state)) = (remote, editor) else {
        return;
    };
    for warning in remote.warnings() {
        eprintln!("{warning}");
    }
    state.editor.attach(remote.clone());
    println!(
        "git: each save is pushed to {}{}",
        remote.label(),
        match every.as_secs() {
            0 => String::new(),
            s => format!("; its new commits are taken every {s} s and before each save"),
        }
    );
    let state = state.clone();
    let every = (!every.is_zero()).then_some(every);
    let spawned = std::thread::Builder::new()
        .name("git-exchange".into())
        .spawn(move || loop {
            // A bug of Waymark's in a round is said, and the next round still comes.
            let round = std::panic::AssertUnwindSafe(|| state.editor.sync());
            if std::panic::catch_unwind(round).is_err() {
                eprintln!("git: the exchange with {} stopped on an internal error; it is tried again at the next save or timer", remote.label());
            }
            remote.wait(every);
        });
    if let Err(e) = spawned {
        eprintln!(
            "git: cannot start the exchange with the remote ({e}); saves are committed here only"
        );
    }
}
