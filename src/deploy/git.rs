//! The Git target: the site committed to a branch of its own (what GitHub, GitLab and
//! Cloudflare Pages serve), one commit a deploy on top of the branch as the remote has it, and
//! pushed. Git's plumbing does it beside the user's work: a temporary index, the built site as
//! the work tree of one `git add`, `write-tree`, `commit-tree`, `update-ref`. The user's working
//! tree, index and checked-out branch are never touched. A deploy that changes nothing makes no
//! commit.

use super::files::{Body, Object};
use super::{Options, Summary};
use crate::edit::git::hide_passwords;
use crate::error::{Diagnostic, Error, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// GitHub Pages runs Jekyll on a branch without it, which hides `_redirects` and any other
/// file or folder whose name starts with `_`.
const NO_JEKYLL: &str = ".nojekyll";

pub fn deploy(
    branch: &str,
    opts: &Options,
    site_dir: &Path,
    objects: &[Object],
    title: &str,
) -> Result<Summary> {
    let target = format!("git:{branch}");
    let fail = |message: String, hint: &str| {
        Error::one(Diagnostic::error(&target, message).hint(hint.to_string()))
    };
    let remote = opts.remote.as_str();
    let site = &opts.site;
    let git_dir = git(site, &["rev-parse", "--absolute-git-dir"], &[]).map_err(|_| {
        fail(
            format!("{} is not in a Git repository", site.display()),
            "make it one (`git init`, then `git remote add origin URL`): the site's branch is kept there and pushed to the remote",
        )
    })?;
    let git_dir = Path::new(&git_dir);
    let head_ref = format!("refs/heads/{branch}");
    let worktrees = git(site, &["worktree", "list", "--porcelain"], &[]).unwrap_or_default();
    if worktrees.lines().any(|l| l == format!("branch {head_ref}")) {
        return Err(fail(
            format!("branch `{branch}` is checked out: deploying to it would replace the files you are working on"),
            "deploy to a branch of its own, e.g. git:gh-pages (Waymark makes it)",
        ));
    }
    let known_remote = git(site, &["remote", "get-url", remote], &[]).is_ok();
    if !known_remote && !remote.contains([':', '/']) {
        return Err(fail(
            format!("there is no remote `{remote}` in this repository"),
            &format!("add it (`git remote add {remote} URL`), or pass --remote with the name of another or an address"),
        ));
    }

    // The branch as the remote has it: the next commit goes on top of it.
    let listed = git(site, &["ls-remote", "--heads", remote, &head_ref], &[]).map_err(|why| {
        fail(
            format!("cannot reach the remote `{remote}`: {why}"),
            "check the remote's address (`git remote -v`) and that you may push to it (SSH key or token)",
        )
    })?;
    let remote_tip = listed.split_whitespace().next().map(str::to_string);
    let fetched = format!("refs/waymark/deploy/{branch}");
    if remote_tip.is_some() {
        let spec = format!("+{head_ref}:{fetched}");
        git(
            site,
            &[
                "fetch",
                "--quiet",
                "--no-tags",
                "--no-write-fetch-head",
                remote,
                &spec,
            ],
            &[],
        )
        .map_err(|why| {
            fail(
                format!("cannot fetch `{branch}` from `{remote}`: {why}"),
                "check your access to the remote",
            )
        })?;
    }
    let local_tip = git(
        site,
        &[
            "rev-parse",
            "--verify",
            "-q",
            &format!("{head_ref}^{{commit}}"),
        ],
        &[],
    )
    .ok();
    let base = remote_tip.clone().or(local_tip.clone());

    // A temporary index; for a dry run, new objects in a temporary store too.
    let tmp = tempfile::tempdir().map_err(|e| Error::io(&std::env::temp_dir(), e))?;
    let index = tmp.path().join("index");
    let mut env: Vec<(&str, String)> = vec![("GIT_INDEX_FILE", index.display().to_string())];
    if opts.dry_run {
        let store = tmp.path().join("objects");
        std::fs::create_dir_all(&store).map_err(|e| Error::io(&store, e))?;
        env.push(("GIT_OBJECT_DIRECTORY", store.display().to_string()));
        env.push((
            "GIT_ALTERNATE_OBJECT_DIRECTORIES",
            git_dir.join("objects").display().to_string(),
        ));
    }
    stage(opts, "committing");
    add_folder(git_dir, site_dir, &env, false).map_err(|why| {
        fail(
            format!("could not add the site to the branch: {why}"),
            "see git's message above",
        )
    })?;
    // The redirect pages and .nojekyll, from a folder of their own into the same index.
    let extra = tmp.path().join("extra");
    let mut extras: Vec<(&str, &[u8])> = objects
        .iter()
        .filter_map(|o| match &o.body {
            Body::Bytes(b) => Some((o.key.as_str(), b.as_slice())),
            Body::File(_) => None,
        })
        .collect();
    if !objects.iter().any(|o| o.key == NO_JEKYLL) {
        extras.push((NO_JEKYLL, b""));
    }
    for (key, bytes) in &extras {
        let path = extra.join(key);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    }
    add_folder(git_dir, &extra, &env, true).map_err(|why| {
        fail(
            format!("could not add the redirect pages: {why}"),
            "see git's message above",
        )
    })?;
    let tree = git(site, &["write-tree"], &env).map_err(|why| {
        fail(
            format!("could not write the site's tree: {why}"),
            "see git's message above",
        )
    })?;

    let base_tree = match &base {
        Some(b) => Some(
            git(site, &["rev-parse", &format!("{b}^{{tree}}")], &env)
                .map_err(|why| fail(why, "see git's message above"))?,
        ),
        None => None,
    };
    let changes = match &base_tree {
        Some(t) => git(
            site,
            &["diff-tree", "-r", "--no-renames", "--name-status", t, &tree],
            &env,
        )
        .map_err(|why| fail(why, "see git's message above"))?,
        None => git(site, &["ls-tree", "-r", "--name-only", &tree], &env)
            .map_err(|why| fail(why, "see git's message above"))?
            .lines()
            .map(|k| format!("A\t{k}"))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let sizes: BTreeMap<&str, u64> = objects.iter().map(|o| (o.key.as_str(), o.size)).collect();
    let mut summary = Summary {
        target: match remote {
            "origin" => target.clone(),
            r => format!("{target} ({r})"),
        },
        dry_run: opts.dry_run,
        ..Default::default()
    };
    let total = objects.len() + usize::from(!objects.iter().any(|o| o.key == NO_JEKYLL));
    for line in changes.lines() {
        let Some((status, key)) = line.split_once('\t') else {
            continue;
        };
        match status {
            "A" | "M" => {
                summary.uploaded += 1;
                summary.new += usize::from(status == "A");
                summary.bytes += sizes.get(key).copied().unwrap_or(0);
                summary.steps.push(format!(
                    "{}  {key}",
                    if status == "A" { "add    " } else { "change " }
                ));
            }
            _ => {
                summary.deleted += 1;
                summary.steps.push(format!("delete   {key}"));
            }
        }
    }
    summary.unchanged = total - summary.uploaded;
    if opts.dry_run {
        summary.note = Some(match summary.uploaded + summary.deleted {
            0 => format!("no commit would be made: `{branch}` already holds this site"),
            _ => format!("a commit would be made on `{branch}` and pushed to `{remote}`"),
        });
        return Ok(summary);
    }
    summary.steps.clear();

    let unchanged = base_tree.as_deref() == Some(tree.as_str());
    let commit = match (&base, unchanged) {
        (Some(b), true) => b.clone(),
        _ => {
            let message = commit_message(site, title, total);
            let mut args = vec!["commit-tree", tree.as_str(), "-m", message.as_str()];
            if let Some(b) = &base {
                args.extend(["-p", b.as_str()]);
            }
            let mut env = env.clone();
            // A machine without a Git identity still deploys; the user's own is used otherwise.
            if git(site, &["var", "GIT_COMMITTER_IDENT"], &[]).is_err() {
                for k in ["GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"] {
                    env.push((k, "Waymark".into()));
                }
                for k in ["GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"] {
                    env.push((k, "waymark@localhost".into()));
                }
            }
            git(site, &args, &env).map_err(|why| {
                fail(
                    format!("could not commit the site: {why}"),
                    "see git's message above",
                )
            })?
        }
    };
    if local_tip.as_deref() != Some(commit.as_str()) {
        git(
            site,
            &["update-ref", "-m", "waymark deploy", &head_ref, &commit],
            &[],
        )
        .map_err(|why| {
            fail(
                format!("could not move `{branch}`: {why}"),
                "see git's message above",
            )
        })?;
    }
    let pushed = remote_tip.as_deref() != Some(commit.as_str());
    if pushed {
        stage(opts, "pushing");
        git(site, &["push", "--quiet", remote, &format!("{commit}:{head_ref}")], &[]).map_err(|why| {
            fail(
                format!("could not push `{branch}` to `{remote}`: {why}"),
                &format!("the commit is kept in your branch `{branch}`; check that you may push to `{remote}`, then deploy again"),
            )
        })?;
    }
    let _ = git(site, &["update-ref", "-d", &fetched], &[]);
    let short = &commit[..commit.len().min(10)];
    summary.note = Some(match (unchanged, pushed, remote_tip.is_none()) {
        (true, false, _) => {
            format!("no new commit: `{branch}` on `{remote}` already holds this site ({short})")
        }
        (true, true, _) => format!("`{branch}` ({short}) pushed to `{remote}`"),
        (false, _, true) => format!("made branch `{branch}` ({short}) and pushed it to `{remote}`"),
        (false, _, false) => format!("committed {short} on `{branch}` and pushed it to `{remote}`"),
    });
    Ok(summary)
}

fn stage(opts: &Options, name: &'static str) {
    if let Some(p) = &opts.progress {
        p.stage(name, 0);
    }
}

fn commit_message(site: &Path, title: &str, files: usize) -> String {
    let from = match (
        git(site, &["rev-parse", "--short", "HEAD"], &[]),
        git(site, &["symbolic-ref", "--short", "-q", "HEAD"], &[]),
    ) {
        (Ok(c), Ok(b)) => format!(" from {c} ({b})"),
        (Ok(c), Err(_)) => format!(" from {c}"),
        _ => String::new(),
    };
    format!("Deploy {title}{from}\n\n{files} files, written by `waymark deploy`.\n")
}

/// `git add` of a whole folder into the index of `env`, exactly as the files are: no line-end
/// conversion, no filters from the user's attributes (an LFS rule would store pointers), ignore
/// rules overridden.
fn add_folder(
    git_dir: &Path,
    dir: &Path,
    env: &[(&str, String)],
    keep_others: bool,
) -> std::result::Result<String, String> {
    let mut args = vec![
        "-c".to_string(),
        "core.autocrlf=false".into(),
        "-c".into(),
        "core.safecrlf=false".into(),
        "-c".into(),
        "core.attributesFile=/dev/null".into(),
        format!("--git-dir={}", git_dir.display()),
        format!("--work-tree={}", dir.display()),
        "add".into(),
        "--force".into(),
    ];
    args.push(
        if keep_others {
            "--ignore-removal"
        } else {
            "--all"
        }
        .into(),
    );
    args.extend(["--".into(), ".".into()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    git(dir, &refs, env)
}

/// Run git in `dir`; its output, or its message with any password in an address hidden.
fn git(dir: &Path, args: &[&str], env: &[(&str, String)]) -> std::result::Result<String, String> {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir).args(args);
    // Never stop to ask for a password: a deploy may run unattended. A remote over HTTP that
    // sends less than 1 KB/s for 30 s is given up on: a stalled link must not hang a deploy
    // that holds the site lock.
    cmd.env("GIT_TERMINAL_PROMPT", "0");
    cmd.env("GIT_HTTP_LOW_SPEED_LIMIT", "1000");
    cmd.env("GIT_HTTP_LOW_SPEED_TIME", "30");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            "git is not installed: install it (apt-get install git) to deploy to a branch"
                .to_string()
        }
        _ => format!("git could not run: {e}"),
    })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        let text = String::from_utf8_lossy(&out.stderr).trim().to_string();
        Err(hide_passwords(if text.is_empty() {
            "git failed"
        } else {
            &text
        }))
    }
}
