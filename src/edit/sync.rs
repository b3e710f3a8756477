//! The site kept in one Git remote (`serve --edit --push REMOTE`): each save's commit is pushed
//! to the same-named branch of the remote, and others' commits are taken from it. A round
//! (`Editor::sync`, run by one thread of `serve`'s: at start, after each commit, before each
//! save and on a timer) pushes what waits here; fetches; fast-forwards when nothing here waits
//! (the file watcher then rebuilds, and the editor's field-by-field merge turns a remote change
//! to a field someone is editing into a clash at that field); and, when both sides moved,
//! rebases this server's commits onto the remote's, entry files merged field by field and
//! plaques.lock code by code (`waymark merge-file`, `edit::merge::file`): two servers that
//! changed different fields of one entry, or pinned codes for different new entries, both
//! land; the same field changed two ways stops for an admin. Nothing a person saved is ever lost: a
//! fast-forward or rebase git refuses changes nothing, a rebase that conflicts is not made (or
//! aborted), and its files are left for an admin, said in the terminal and on the activity
//! page. Never a `reset --hard`, never a forced push.

use super::git::{Failed, Git, LOCAL};
use super::Editor;
use parking_lot::{Condvar, Mutex};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The longest a fetch or push may take (a stalled link is given up on sooner, by git's own
/// limits: `git::Git::new`).
const NET: Duration = Duration::from_secs(30 * 60);
/// How long a save waits for the remote's newest commits before going on with what is here.
pub const PULL_WAIT: Duration = Duration::from_secs(4);

/// The remote and the state of the exchange with it.
pub struct Remote {
    /// The remote's name in the repository's configuration (its address stays there, out of
    /// process lists and logs).
    pub name: String,
    /// The branch checked out at start, pushed to the remote's branch of the same name.
    pub branch: String,
    git: Git,
    git_dir: PathBuf,
    /// `refs/remotes/<name>/<branch>`: the remote's branch as last fetched or pushed.
    tracking: String,
    state: Mutex<State>,
    /// A round is asked for (a commit to push, a save about to be made).
    asked: Mutex<bool>,
    wake: Condvar,
    /// When the last round that has fetched (or given up fetching) began.
    fetched: Mutex<Option<Instant>>,
    fetched_cv: Condvar,
}

#[derive(Default)]
struct State {
    /// When the remote last answered (seconds since 1970).
    reached: Option<u64>,
    problem: Option<Problem>,
    /// (this branch's commit, the remote's) whose rebase conflicts, with what was found: not
    /// tried again until one of them moves.
    conflicted: Option<((String, String), Found)>,
}

/// A problem a round found.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    kind: Trouble,
    why: String,
    files: Vec<String>,
}

impl Found {
    fn new(kind: Trouble, why: impl Into<String>) -> Found {
        Found {
            kind,
            why: why.into(),
            files: Vec::new(),
        }
    }
}

/// What keeps this server's commits and the remote's apart.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub kind: Trouble,
    /// Seconds since 1970.
    pub since: u64,
    /// Git's words, passwords hidden.
    pub why: String,
    /// The files both sides changed, for a conflict.
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trouble {
    /// The remote did not answer (offline, a wrong address or key): tried again later.
    Unreachable,
    /// Both sides changed the same field of an entry differently (or the same lines of another
    /// file): an admin joins them.
    Conflict,
    /// Something here holds the exchange up (uncommitted changes in the way, another branch
    /// checked out, a rebase begun by hand, the remote refusing the push).
    Blocked,
}

/// What the activity page shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Status {
    /// `origin/main`.
    pub remote: String,
    /// Commits here that the remote does not have (None: not known yet).
    pub waiting: Option<usize>,
    pub reached: Option<u64>,
    pub problem: Option<Problem>,
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The site's repository and git's identity, checked before a server that commits each save
/// starts (`--commit`, `--push`): else every save would be saved and never committed. The Git
/// folder; or what to do, naming `flag`.
pub fn can_commit(site: &Path, flag: &str) -> Result<PathBuf, String> {
    let git = Git::new(site);
    let git_dir = git
        .run(&["rev-parse", "--absolute-git-dir"], LOCAL)
        .map_err(|f| {
            if f.code.is_none() {
                f.why
            } else {
                format!(
                    "{} is not in a Git repository: make it one (git init; git add -A; git commit -m site), or leave out {flag}",
                    site.display()
                )
            }
        })?;
    git.run(&["var", "GIT_COMMITTER_IDENT"], LOCAL).map_err(|_| {
        "git has no name and email to make commits with: set them for this user (git config --global user.name \"Waymark server\"; git config --global user.email waymark@your.host)".to_string()
    })?;
    Ok(PathBuf::from(git_dir))
}

impl Remote {
    /// The site's repository checked for pushing to `name`, without the network (a server
    /// that starts offline still starts). Each refusal says what to do.
    pub fn open(site: &Path, name: &str) -> Result<Remote, String> {
        let git = Git::new(site);
        let git_dir = can_commit(site, "--push")?;
        if let Some(op) = operation_in_progress(&git_dir) {
            return Err(format!(
                "a {op} is in progress in {}: finish it (git {op} --continue) or undo it (git {op} --abort) first",
                site.display()
            ));
        }
        let branch = git
            .run(&["symbolic-ref", "--quiet", "--short", "HEAD"], LOCAL)
            .map_err(|_| {
                "no branch is checked out (HEAD is detached): check out the branch the site is kept on (git switch main)".to_string()
            })?;
        git.run(&["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], LOCAL)
            .map_err(|_| {
                format!("branch `{branch}` has no commit yet: commit the site first (git add -A; git commit -m site)")
            })?;
        if git.run(&["remote", "get-url", name], LOCAL).is_err() {
            return Err(if name.contains([':', '/']) {
                "--push takes the name of a remote, not an address: add it (git remote add origin ADDRESS) and pass --push origin; the address, and any token in it, then stays in git's configuration, out of process lists and logs"
                .to_string()
            } else {
                format!("there is no remote `{name}` in this repository: add it (git remote add {name} ADDRESS), or name another (git remote -v lists them)")
            });
        }
        Ok(Remote {
            tracking: format!("refs/remotes/{name}/{branch}"),
            name: name.to_string(),
            branch,
            git,
            git_dir,
            state: Mutex::default(),
            asked: Mutex::new(false),
            wake: Condvar::new(),
            fetched: Mutex::new(None),
            fetched_cv: Condvar::new(),
        })
    }

    /// Its rebases and merge checks made with `program merge-file` (`git::Git::merging_with`),
    /// the driver's attributes kept in the site's cache: an entry two servers changed in
    /// different fields then takes both.
    pub fn merging_with(mut self, site: &Path, program: &Path) -> Result<Remote, String> {
        let attributes = site.join(crate::output::CACHE_ROOT).join("git-attributes");
        let git = self.git.clone().merging_with(program, &attributes);
        self.git = git.map_err(|e| {
            format!(
                "cannot set up the merge of entry files ({}): {e}",
                attributes.display()
            )
        })?;
        Ok(self)
    }

    /// What is set up wrong without stopping the exchange: folders Waymark rewrites that Git
    /// does not ignore (the fast-forwards and rebases would find them changed, and stop).
    pub fn warnings(&self) -> Vec<String> {
        // Exit 1: not ignored.
        let unignored = |path: &str| {
            let asked = self.git.run(&["check-ignore", "-q", path], LOCAL);
            asked.is_err_and(|f| f.code == Some(1))
        };
        // The slash: asked of the folder, there or not yet made (`output/` in .gitignore
        // matches only folders).
        let folders = [crate::output::CACHE_ROOT, "output"]
            .into_iter()
            .filter(|dir| unignored(&format!("{dir}/")))
            .map(|dir| {
                format!("git: {dir}/ is not ignored by Git: add the line /{dir} to .gitignore, so that what Waymark rewrites there never holds up taking the remote's commits")
            });
        let owners = crate::edit::OWNERS_FILE;
        let names = unignored(owners).then(|| {
            format!("git: {owners} is not ignored by Git: it holds the owners' names, which a `git add -A` would send to the remote; add the line /{owners} to .gitignore (and `git rm --cached {owners}` if it was committed)")
        });
        folders.chain(names).collect()
    }

    /// `origin/main`.
    pub fn label(&self) -> String {
        format!("{}/{}", self.name, self.branch)
    }

    /// Ask for a round as soon as the one under way (if any) ends.
    pub fn nudge(&self) {
        *self.asked.lock() = true;
        self.wake.notify_all();
    }

    /// Wait until a round is asked for, or `every` has passed (for ever when None).
    pub fn wait(&self, every: Option<Duration>) {
        let mut asked = self.asked.lock();
        let deadline = every.map(|d| Instant::now() + d);
        while !*asked {
            match deadline {
                Some(d) => {
                    if self.wake.wait_until(&mut asked, d).timed_out() {
                        break;
                    }
                }
                None => self.wake.wait(&mut asked),
            }
        }
        *asked = false;
    }

    /// Whether a round that began at `since` or later has fetched, waiting at most `limit`.
    pub fn fetched_since(&self, since: Instant, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        let mut last = self.fetched.lock();
        loop {
            if last.is_some_and(|s| s >= since) {
                return true;
            }
            if self.fetched_cv.wait_until(&mut last, deadline).timed_out() {
                return false;
            }
        }
    }

    fn mark_fetched(&self, started: Instant) {
        *self.fetched.lock() = Some(started);
        self.fetched_cv.notify_all();
    }

    /// Commits of this branch that the remote's branch, as last known, does not have; None
    /// before the first fetch.
    pub fn waiting(&self) -> Option<usize> {
        let tip = self.tip()?;
        self.count(&format!("{tip}..HEAD"))
    }

    pub fn status(&self) -> Status {
        let state = self.state.lock();
        Status {
            remote: self.label(),
            waiting: self.waiting(),
            reached: state.reached,
            problem: state.problem.clone(),
        }
    }

    fn tip(&self) -> Option<String> {
        self.git
            .run(
                &[
                    "rev-parse",
                    "--verify",
                    "--quiet",
                    &format!("{}^{{commit}}", self.tracking),
                ],
                LOCAL,
            )
            .ok()
    }

    fn head(&self) -> Option<String> {
        self.git.run(&["rev-parse", "--verify", "HEAD"], LOCAL).ok()
    }

    fn count(&self, range: &str) -> Option<usize> {
        self.git
            .run(&["rev-list", "--count", range], LOCAL)
            .ok()?
            .parse()
            .ok()
    }

    /// A round's outcome, kept for the activity page; a new problem, or its end, said once
    /// in the terminal.
    fn outcome(&self, found: Option<Found>) {
        let mut state = self.state.lock();
        let remote = self.label();
        let Some(Found { kind, why, files }) = found else {
            if state.problem.take().is_some() {
                println!("git: {remote} and this server agree again");
            }
            return;
        };
        // The same trouble in other words (a dead link's errors vary, a conflict's count of
        // commits grows with each save) is not news: kept up to date, said once.
        if let Some(p) = state
            .problem
            .as_mut()
            .filter(|p| p.kind == kind && p.files == files)
        {
            p.why = why;
            return;
        }
        let said = match kind {
            Trouble::Unreachable => format!(
                "git: cannot reach {remote}; the saves are kept here, committed, and sent when it answers: {why}"
            ),
            Trouble::Conflict => format!(
                "git: this server's commits and {remote}'s change the same fields or lines of {} differently; nothing was joined and the files here are as they were. An admin must join them (see the editor's activity page): {why}",
                files.join(", ")
            ),
            Trouble::Blocked => format!("git: exchanging commits with {remote} is held up: {why}"),
        };
        eprintln!("{said}");
        state.problem = Some(Problem {
            kind,
            since: now(),
            why,
            files,
        });
    }

    /// The commits of `old_head` since `tip` by the names a rebase onto `tip` gave them: a
    /// rebase keeps each commit's author date and message, and their order.
    fn made_again(&self, old_head: &str, tip: &str) -> std::collections::HashMap<String, String> {
        let list = |range: String| -> Vec<(String, String)> {
            self.git
                .run(&["log", "--reverse", "--format=%H %at %s", &range], LOCAL)
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.split_once(' '))
                .map(|(hash, key)| (key.to_string(), hash.to_string()))
                .collect()
        };
        let mut new = list(format!("{tip}..HEAD")).into_iter();
        let mut renamed = std::collections::HashMap::new();
        // A commit the remote already had is dropped by the rebase: passed over here.
        for (key, old) in list(format!("{tip}..{old_head}")) {
            if let Some((_, hash)) = new.clone().find(|(k, _)| *k == key) {
                while new.next().is_some_and(|(_, h)| h != hash) {}
                renamed.insert(old, hash);
            }
        }
        renamed
    }

    /// The Markdown files and plaques.lock of `commit`, changed since the remote's branch, that
    /// hold a line of git's conflict marks.
    fn marked(&self, commit: &str) -> Vec<String> {
        let kinds = ["*.md", crate::ledger::FILE];
        // Only the files the commits to send changed: a push is not a search of the whole site.
        let paths: Vec<String> = match self.tip() {
            Some(tip) => {
                let mut diff = vec!["diff", "--name-only", &tip, commit, "--"];
                diff.extend(kinds);
                let Ok(changed) = self.git.run(&diff, LOCAL) else {
                    return Vec::new();
                };
                changed.lines().map(str::to_string).collect()
            }
            None => kinds.map(str::to_string).to_vec(),
        };
        if paths.is_empty() {
            return Vec::new();
        }
        let mut args = vec!["grep", "-l", "-E", "^(<<<<<<<|>>>>>>>)", commit, "--"];
        args.extend(paths.iter().map(String::as_str));
        // Exit 1: none.
        let found = self.git.run(&args, LOCAL).unwrap_or_default();
        let prefix = format!("{commit}:");
        let named = found.lines().map(|l| l.strip_prefix(&prefix).unwrap_or(l));
        named.map(str::to_string).collect()
    }

    /// Whether this branch and the remote's, as last fetched, are the pair whose rebase
    /// conflicted.
    fn stuck(&self) -> bool {
        let now = (self.head(), self.tip());
        let state = self.state.lock();
        state.conflicted.as_ref().is_some_and(|((head, tip), _)| {
            (Some(head), Some(tip)) == (now.0.as_ref(), now.1.as_ref())
        })
    }

    fn reached(&self) {
        self.state.lock().reached = Some(now());
    }

    /// Why no round can run now: a branch other than the one served, or an operation begun
    /// by hand.
    fn unready(&self) -> Option<String> {
        if let Some(op) = operation_in_progress(&self.git_dir) {
            return Some(format!(
                "a {op} is in progress in the site folder; finish it (git {op} --continue) or undo it (git {op} --abort)"
            ));
        }
        let branch = self
            .git
            .run(&["symbolic-ref", "--quiet", "--short", "HEAD"], LOCAL)
            .ok();
        (branch.as_deref() != Some(self.branch.as_str())).then(|| {
            format!(
                "branch `{}` is no longer checked out; switch back to it (git switch {})",
                self.branch, self.branch
            )
        })
    }

    /// The remote's branch into `tracking`; Ok(false) when the remote has no such branch yet.
    fn fetch(&self) -> Result<bool, Failed> {
        let spec = format!("+refs/heads/{}:{}", self.branch, self.tracking);
        match self
            .git
            .net(&["fetch", "--quiet", "--no-tags", &self.name, &spec], NET)
        {
            Ok(_) => Ok(true),
            Err(f) if f.why.contains("couldn't find remote ref") => Ok(false),
            Err(f) => Err(f),
        }
    }

    /// Push `commit` to the remote's branch: only ever a fast-forward there.
    fn push(&self, commit: &str) -> Pushed {
        let spec = format!("{commit}:refs/heads/{}", self.branch);
        match self
            .git
            .net(&["push", "--porcelain", &self.name, &spec], NET)
        {
            Ok(_) => {
                let _ = self.git.run(&["update-ref", &self.tracking, commit], LOCAL);
                Pushed::Done
            }
            // `[rejected]`: the remote has commits this one lacks (a hook's refusal is
            // `[remote rejected]`, which no rebase helps).
            Err(f) if f.stdout.contains("\t[rejected]") => Pushed::Rejected,
            Err(f) if f.stdout.contains("[remote rejected]") => Pushed::Refused(f.stdout),
            Err(f) => Pushed::Failed(f.why),
        }
    }
}

enum Pushed {
    Done,
    Rejected,
    Refused(String),
    Failed(String),
}

/// A rebase, merge or cherry-pick left half-way in the repository at `git_dir`.
pub(super) fn operation_in_progress(git_dir: &Path) -> Option<&'static str> {
    [
        ("rebase-merge", "rebase"),
        ("rebase-apply", "rebase"),
        ("MERGE_HEAD", "merge"),
        ("CHERRY_PICK_HEAD", "cherry-pick"),
    ]
    .into_iter()
    .find(|(f, _)| git_dir.join(f).exists())
    .map(|(_, op)| op)
}

/// Marks the round fetched when it ends, whatever way it ends, so that no save waits for it.
struct FetchedOnEnd<'a>(&'a Remote, Instant);

impl Drop for FetchedOnEnd<'_> {
    fn drop(&mut self) {
        self.0.mark_fetched(self.1);
    }
}

impl Editor {
    /// Push and take commits through `remote` from now on (`serve --push`).
    pub fn attach(&self, remote: std::sync::Arc<Remote>) {
        let _ = self.remote.set(remote);
    }

    pub fn remote(&self) -> Option<&Remote> {
        self.remote.get().map(|r| &**r)
    }

    /// Before a change is made: the remote's newest commits taken first when nothing here waits
    /// to be pushed, so that a form opened before them is merged with them field by field (a
    /// field both changed is a clash at that field). Waits `PULL_WAIT` at most: a save on a dead
    /// link goes on with what is here.
    pub(super) fn take_remote_first(&self) {
        let Some(remote) = self.remote() else {
            return;
        };
        let asked = Instant::now();
        remote.nudge();
        // Commits waiting here: no fast-forward can happen, nothing to wait for.
        if remote.waiting().is_some_and(|n| n > 0) {
            return;
        }
        remote.fetched_since(asked, PULL_WAIT);
    }

    /// One exchange with the remote: push what waits here; fetch; take the remote's commits
    /// (a fast-forward, or this server's commits rebased onto them); push what the rebase made.
    /// What it found is kept for the activity page.
    pub fn sync(&self) {
        let Some(remote) = self.remote() else {
            return;
        };
        let found = self.round(remote);
        remote.outcome(found.err());
    }

    fn round(&self, remote: &Remote) -> Result<(), Found> {
        let fetched = FetchedOnEnd(remote, Instant::now());
        if let Some(why) = remote.unready() {
            return Err(Found::new(Trouble::Blocked, why));
        }
        // Commits waiting, unless their rebase is known to conflict (the push would only be
        // rejected again, every round).
        let push_first = remote.waiting().is_some_and(|n| n > 0) && !remote.stuck();
        if push_first && !self.push_head(remote)? {
            println!(
                "git: {} has commits this server has not: taking them first",
                remote.label()
            );
        }
        remote
            .fetch()
            .map_err(|f| Found::new(Trouble::Unreachable, f.why))?;
        remote.reached();
        self.integrate(remote)?;
        drop(fetched);
        // No branch there yet (a new remote), or commits here it lacks.
        let push = remote.tip().is_none() || remote.waiting().is_some_and(|n| n > 0);
        if push && !self.push_head(remote)? {
            println!(
                "git: {} moved again; trying again in the next round",
                remote.label()
            );
        }
        Ok(())
    }

    /// Push this branch's commit, said in the terminal; false when the remote rejected it for
    /// having commits this server lacks.
    fn push_head(&self, remote: &Remote) -> Result<bool, Found> {
        let Some(head) = remote.head() else {
            return Ok(true);
        };
        // A commit made by hand with git's conflict marks left in (a rebase continued too
        // soon) builds nowhere: sent, it would stop every server's publishing.
        let marked = remote.marked(&head);
        if !marked.is_empty() {
            return Err(Found {
                kind: Trouble::Blocked,
                why: "commits here hold git's conflict marks (<<<<<<< … >>>>>>>): they are not sent until the files named are fixed and committed".into(),
                files: marked,
            });
        }
        let before = remote.waiting();
        match remote.push(&head) {
            Pushed::Done => {
                remote.reached();
                let n = before.map_or(String::new(), |n| format!("{n} commit(s) "));
                println!("git: pushed {n}to {}", remote.label());
                Ok(true)
            }
            Pushed::Rejected => {
                remote.reached();
                Ok(false)
            }
            Pushed::Refused(why) => {
                remote.reached();
                Err(Found::new(
                    Trouble::Blocked,
                    format!("the remote refused the push: {why}"),
                ))
            }
            Pushed::Failed(why) => Err(Found::new(Trouble::Unreachable, why)),
        }
    }

    /// The remote's commits taken into this branch, under the locks a save takes (a save never
    /// sees half of it): a fast-forward when nothing here waits, else a rebase of the commits
    /// here onto the remote's.
    fn integrate(&self, remote: &Remote) -> Result<(), Found> {
        let _one = self.write.lock();
        let _lock = crate::lock::SiteLock::take(&self.site);
        let (Some(head), Some(tip)) = (remote.head(), remote.tip()) else {
            return Ok(());
        };
        let behind = remote.count(&format!("{head}..{tip}")).unwrap_or(0);
        if behind == 0 {
            return Ok(());
        }
        // Codes this server's rebuilds pinned for entries that came from the remote would
        // otherwise wait in the working tree for the next save, and stand in the way.
        let pinned = remote
            .git
            .run(
                &["diff", "--quiet", "HEAD", "--", crate::ledger::FILE],
                LOCAL,
            )
            .is_err_and(|f| f.code == Some(1));
        let head = if pinned {
            self.commit_only(&[], "pin plaque codes", "waymark serve")
                .unwrap_or(head)
        } else {
            head
        };
        let ahead = remote.count(&format!("{tip}..{head}")).unwrap_or(0);
        if ahead == 0 {
            remote
                .git
                // Never an autostash (an admin's `merge.autoStash`): its conflicts would be
                // left as markers in the files.
                .run(
                    &[
                        "-c",
                        "merge.autoStash=false",
                        "merge",
                        "--ff-only",
                        "--quiet",
                        &tip,
                    ],
                    LOCAL,
                )
                .map_err(|f| {
                    Found::new(
                        Trouble::Blocked,
                        format!("the remote's commits cannot be taken: {}", f.why),
                    )
                })?;
            println!("git: took {behind} commit(s) from {}", remote.label());
            return Ok(());
        }
        let pair = (head.clone(), tip.clone());
        if let Some((seen, found)) = &remote.state.lock().conflicted {
            if *seen == pair {
                return Err(found.clone());
            }
        }
        // Asked first without touching the files: the watcher would publish a file with
        // conflict markers in its text, however briefly.
        let result = match conflicts(remote, &head, &tip) {
            Some(files) => Err(Found {
                kind: Trouble::Conflict,
                why: format!("{ahead} commit(s) here, {behind} on the remote"),
                files,
            }),
            None => rebase(remote, &head, &tip).map_err(|(files, why)| Found {
                kind: if files.is_empty() {
                    Trouble::Blocked
                } else {
                    Trouble::Conflict
                },
                why,
                files,
            }),
        };
        match &result {
            Ok(()) => {
                println!(
                    "git: put this server's {ahead} commit(s) after {behind} from {}",
                    remote.label()
                );
                super::activity::rename_commits(&self.site, &remote.made_again(&head, &tip));
            }
            Err(found) if found.kind == Trouble::Conflict => {
                remote.state.lock().conflicted = Some((pair, found.clone()));
            }
            Err(_) => {}
        }
        result
    }
}

/// The files a merge of `head` and `tip` would conflict in, asked of git without touching the
/// working tree (`merge-tree`, git 2.38 and later; None from an older git, whose rebase then
/// finds out).
fn conflicts(remote: &Remote, head: &str, tip: &str) -> Option<Vec<String>> {
    let asked = remote.git.run(
        &[
            "merge-tree",
            "--write-tree",
            "--name-only",
            "--no-messages",
            head,
            tip,
        ],
        LOCAL,
    );
    match asked {
        // Exit 1: conflicts; the first line is the tree, the conflicted files follow.
        Err(f) if f.code == Some(1) => {
            let mut files: Vec<String> = f
                .stdout
                .lines()
                .skip(1)
                .take_while(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            files.dedup();
            Some(files)
        }
        _ => None,
    }
}

/// This branch's commits since `tip` rebased onto it. On failure the rebase is aborted, so
/// the branch, the index and the working tree are exactly as before; returns the conflicted
/// files (none when git refused to begin, e.g. for uncommitted changes) and git's words.
pub(crate) fn rebase(remote: &Remote, head: &str, tip: &str) -> Result<(), (Vec<String>, String)> {
    // Never an autostash (an admin's `rebase.autoStash`): git refuses to begin over
    // uncommitted changes instead, and they stay as they are.
    let asked = ["-c", "rebase.autoStash=false", "rebase", "--quiet", tip];
    let Err(f) = remote.git.run(&asked, LOCAL) else {
        return Ok(());
    };
    let mut files = Vec::new();
    if operation_in_progress(&remote.git_dir).is_some() {
        files = remote
            .git
            .run(&["diff", "--name-only", "--diff-filter=U"], LOCAL)
            .map(|out| out.lines().map(str::to_string).collect())
            .unwrap_or_default();
        if let Err(a) = remote.git.run(&["rebase", "--abort"], LOCAL) {
            return Err((
                files,
                format!("{}; and `git rebase --abort` failed: {}", f.why, a.why),
            ));
        }
    }
    if remote.head().as_deref() != Some(head) {
        return Err((
            files,
            format!(
                "{}; the branch is not back at {head}: check it by hand",
                f.why
            ),
        ));
    }
    Err((files, f.why))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) -> String {
        let o = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }

    fn identity(dir: &Path) {
        git(dir, &["config", "user.email", "t@example.org"]);
        git(dir, &["config", "user.name", "T"]);
    }

    /// A server's repository at `dir`: branch `branch` with one commit of `f.md` (`text`), and
    /// `bare` as its `origin`.
    fn server_of(dir: &Path, bare: &Path, branch: &str, text: &str) {
        let parent = dir.parent().unwrap();
        git(parent, &["init", "-q", "-b", branch, dir.to_str().unwrap()]);
        identity(dir);
        std::fs::write(dir.join("f.md"), text).unwrap();
        git(dir, &["add", "f.md"]);
        git(dir, &["commit", "-qm", "start"]);
        git(dir, &["remote", "add", "origin", bare.to_str().unwrap()]);
    }

    /// The laptop's `f.md` changed to `text`, committed and pushed.
    fn laptop_pushes(laptop: &Path, text: &str) {
        std::fs::write(laptop.join("f.md"), text).unwrap();
        git(laptop, &["commit", "-qam", "laptop"]);
        git(laptop, &["push", "-q"]);
    }

    /// A remote, a server's clone and a laptop's, each with one commit of `f.md` on `main`.
    fn three() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let (bare, server, laptop) = (
            t.path().join("r.git"),
            t.path().join("s"),
            t.path().join("l"),
        );
        git(
            t.path(),
            &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()],
        );
        server_of(&server, &bare, "main", "price: 1\nphone: 1\n");
        git(&server, &["push", "-q", "origin", "main"]);
        git(
            t.path(),
            &[
                "clone",
                "-q",
                bare.to_str().unwrap(),
                laptop.to_str().unwrap(),
            ],
        );
        identity(&laptop);
        (t, server, laptop)
    }

    #[test]
    fn a_rebase_that_conflicts_is_aborted_and_everything_is_as_before() {
        let (_t, server, laptop) = three();
        laptop_pushes(&laptop, "price: 2\nphone: 1\n");
        std::fs::write(server.join("f.md"), "price: 3\nphone: 1\n").unwrap();
        git(&server, &["commit", "-qam", "server"]);
        // Work in progress beside it: staged, and not.
        std::fs::write(server.join("notes.txt"), "staged\n").unwrap();
        git(&server, &["add", "notes.txt"]);
        std::fs::write(server.join("scratch.txt"), "untracked\n").unwrap();
        // An admin's taste for autostash changes nothing.
        git(&server, &["config", "rebase.autoStash", "true"]);
        let remote = Remote::open(&server, "origin").unwrap();
        assert!(remote.fetch().unwrap());
        let head = remote.head().unwrap();
        let tip = remote.tip().unwrap();
        let status = git(&server, &["status", "--porcelain"]);
        // Without the merge-tree question, straight to the rebase git refuses to begin (the
        // index holds changes) ...
        let (files, why) = rebase(&remote, &head, &tip).unwrap_err();
        assert!(files.is_empty(), "{files:?}");
        assert!(
            why.contains("uncommitted") || why.contains("index"),
            "{why}"
        );
        assert_eq!(git(&server, &["status", "--porcelain"]), status);
        // ... and, with nothing in the way, the rebase that conflicts, aborted.
        git(&server, &["reset", "-q", "notes.txt"]);
        std::fs::remove_file(server.join("notes.txt")).unwrap();
        let status = git(&server, &["status", "--porcelain"]);
        let (files, _) = rebase(&remote, &head, &tip).unwrap_err();
        assert_eq!(files, ["f.md"]);
        assert_eq!(remote.head().unwrap(), head);
        assert_eq!(git(&server, &["symbolic-ref", "HEAD"]), "refs/heads/main");
        assert_eq!(
            std::fs::read_to_string(server.join("f.md")).unwrap(),
            "price: 3\nphone: 1\n"
        );
        assert_eq!(git(&server, &["status", "--porcelain"]), status);
        assert!(operation_in_progress(&remote.git_dir).is_none());
        // merge-tree tells the same without touching anything.
        assert_eq!(
            conflicts(&remote, &head, &tip),
            Some(vec!["f.md".to_string()])
        );
    }

    #[test]
    fn a_rebase_without_conflict_puts_the_commits_here_after_the_remotes() {
        let (_t, server, laptop) = three();
        std::fs::write(laptop.join("g.md"), "new\n").unwrap();
        git(&laptop, &["add", "g.md"]);
        git(&laptop, &["commit", "-qm", "laptop"]);
        git(&laptop, &["push", "-q"]);
        std::fs::write(server.join("f.md"), "price: 3\nphone: 1\n").unwrap();
        git(&server, &["commit", "-qam", "server"]);
        let remote = Remote::open(&server, "origin").unwrap();
        assert!(remote.fetch().unwrap());
        let (head, tip) = (remote.head().unwrap(), remote.tip().unwrap());
        assert_eq!(conflicts(&remote, &head, &tip), None);
        rebase(&remote, &head, &tip).unwrap();
        assert_eq!(
            git(&server, &["log", "--format=%s"]),
            "server\nlaptop\nstart"
        );
        assert_eq!(remote.waiting(), Some(1));
        let renamed = remote.made_again(&head, &tip);
        assert_eq!(renamed.get(&head), remote.head().as_ref(), "{renamed:?}");
        assert_eq!(renamed.len(), 1);
    }

    #[test]
    fn a_fast_forward_that_uncommitted_changes_stand_in_the_way_of_changes_nothing() {
        let (_t, server, laptop) = three();
        laptop_pushes(&laptop, "price: 2\nphone: 1\n");
        // Changed here by hand, not committed; and an admin's taste for autostash.
        std::fs::write(server.join("f.md"), "price: 1\nphone: 1\nnote: 9\n").unwrap();
        git(&server, &["config", "merge.autoStash", "true"]);
        let head = git(&server, &["rev-parse", "HEAD"]);
        let editor = Editor::new(&server, true);
        editor.attach(std::sync::Arc::new(
            Remote::open(&server, "origin").unwrap(),
        ));
        editor.sync();
        let status = editor.remote().unwrap().status();
        let problem = status.problem.expect("held up");
        assert_eq!(problem.kind, Trouble::Blocked, "{problem:?}");
        assert!(problem.why.contains("f.md"), "{problem:?}");
        assert_eq!(git(&server, &["rev-parse", "HEAD"]), head);
        assert_eq!(
            std::fs::read_to_string(server.join("f.md")).unwrap(),
            "price: 1\nphone: 1\nnote: 9\n"
        );
        // Committed, it goes the way of any commit here: rebased onto the laptop's, pushed.
        git(&server, &["commit", "-qam", "by hand"]);
        editor.sync();
        assert!(editor.remote().unwrap().status().problem.is_none());
        assert_eq!(
            git(&laptop, &["ls-remote", "origin", "main"])
                .split_whitespace()
                .next(),
            Some(git(&server, &["rev-parse", "HEAD"]).as_str())
        );
        assert_eq!(
            git(&server, &["show", "HEAD:f.md"]),
            "price: 2\nphone: 1\nnote: 9"
        );
    }

    #[test]
    fn codes_pinned_here_are_committed_before_the_remotes_commits_are_taken() {
        let (_t, server, laptop) = three();
        let pins = "A: 1\nB: 2\nC: 3\nD: 4\n";
        std::fs::write(server.join("plaques.lock"), pins).unwrap();
        git(&server, &["add", "plaques.lock"]);
        git(&server, &["commit", "-qm", "codes"]);
        git(&server, &["push", "-q", "origin", "main"]);
        git(&laptop, &["pull", "-q"]);
        std::fs::write(laptop.join("plaques.lock"), pins.replace("A: 1", "A: 9")).unwrap();
        git(&laptop, &["commit", "-qam", "laptop's code"]);
        git(&laptop, &["push", "-q"]);
        // A rebuild here pinned E.
        std::fs::write(server.join("plaques.lock"), format!("{pins}E: 5\n")).unwrap();
        let editor = Editor::new(&server, true);
        editor.attach(std::sync::Arc::new(
            Remote::open(&server, "origin").unwrap(),
        ));
        editor.sync();
        let status = editor.remote().unwrap().status();
        assert!(status.problem.is_none(), "{status:?}");
        assert_eq!(
            std::fs::read_to_string(server.join("plaques.lock")).unwrap(),
            "A: 9\nB: 2\nC: 3\nD: 4\nE: 5\n"
        );
        assert_eq!(git(&server, &["status", "--porcelain"]), "");
        assert_eq!(
            git(&laptop, &["ls-remote", "origin", "main"])
                .split_whitespace()
                .next(),
            Some(git(&server, &["rev-parse", "HEAD"]).as_str())
        );
    }

    #[test]
    fn an_empty_remote_gets_the_branch() {
        let t = tempfile::tempdir().unwrap();
        let (bare, server) = (t.path().join("r.git"), t.path().join("s"));
        git(t.path(), &["init", "-q", "--bare", bare.to_str().unwrap()]);
        server_of(&server, &bare, "site", "price: 1\n");
        let editor = Editor::new(&server, true);
        editor.attach(std::sync::Arc::new(
            Remote::open(&server, "origin").unwrap(),
        ));
        editor.sync();
        let status = editor.remote().unwrap().status();
        assert!(status.problem.is_none(), "{status:?}");
        assert_eq!(status.waiting, Some(0));
        assert_eq!(
            git(&bare, &["rev-parse", "site"]),
            git(&server, &["rev-parse", "HEAD"])
        );
    }

    #[test]
    fn folders_waymark_rewrites_that_git_does_not_ignore_are_warned_of() {
        let (_t, server, _) = three();
        let remote = Remote::open(&server, "origin").unwrap();
        let said = remote.warnings();
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(
            said[2].contains("owner-links.yaml") && said[2].contains("names"),
            "{said:?}"
        );
        for ignore in ["/output\n/.waymark-cache\n", "output/\n.waymark-cache/\n"] {
            let ignore = format!("{ignore}/owner-links.yaml\n");
            std::fs::write(server.join(".gitignore"), &ignore).unwrap();
            assert_eq!(remote.warnings(), Vec::<String>::new(), "{ignore}");
        }
    }

    #[test]
    fn a_folder_without_git_a_detached_head_and_an_unknown_remote_are_refused() {
        let plain = tempfile::tempdir().unwrap();
        let err = Remote::open(plain.path(), "origin").err().unwrap();
        assert!(err.contains("not in a Git repository"), "{err}");
        let (_t, server, _) = three();
        assert!(Remote::open(&server, "upstream")
            .err()
            .unwrap()
            .contains("no remote `upstream`"));
        let url = Remote::open(&server, "https://me:s3cr3t@example.org/r.git")
            .err()
            .unwrap();
        assert!(
            url.contains("name of a remote") && !url.contains("s3cr3t"),
            "{url}"
        );
        git(&server, &["checkout", "-q", "--detach"]);
        assert!(Remote::open(&server, "origin")
            .err()
            .unwrap()
            .contains("detached"));
    }
}
