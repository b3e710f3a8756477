//! Running `git` in the site folder for the editor, unattended: never a prompt, never a
//! password shown, and never longer than a deadline (a dead link must not hold a thread, or
//! the locks it holds, for ever).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How a git command ended when it did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// Git's words (stderr, else stdout), passwords in addresses hidden.
    pub why: String,
    /// What it printed on stdout (`push --porcelain` says there what was rejected).
    pub stdout: String,
    /// Its exit code; None when it did not run or was stopped.
    pub code: Option<i32>,
}

/// Git for one site folder, with what a network command needs to end on its own.
#[derive(Debug, Clone)]
pub struct Git {
    site: std::path::PathBuf,
    /// `-c` settings and environment for fetch and push, decided once (`Git::new`).
    net_config: Vec<String>,
    net_env: Vec<(&'static str, String)>,
    /// `-c` settings of Waymark's merge driver, for every command (`Git::merging_with`).
    merge_config: Vec<String>,
}

/// A transfer slower than 1 KB/s for a minute is given up on (and tried again later).
const LOW_SPEED: (&str, &str) = ("1000", "60");
/// SSH: a host that does not answer in 20 s, or a link silent for a minute, is given up on;
/// never a question (a passphrase, an unknown host key) that no one is there to answer.
const SSH: &str =
    "ssh -o ConnectTimeout=20 -o ServerAliveInterval=15 -o ServerAliveCountMax=4 -o BatchMode=yes";

impl Git {
    /// The admin's own settings win: the low-speed limits and the SSH command are only set
    /// when the repository's configuration and the environment leave them unset.
    pub fn new(site: &Path) -> Git {
        let mut git = Git {
            site: site.to_path_buf(),
            net_config: Vec::new(),
            net_env: vec![("GIT_TERMINAL_PROMPT", "0".into())],
            merge_config: Vec::new(),
        };
        let unset = |key: &str| git.run(&["config", "--get", key], LOCAL).is_err();
        let own_speed = !unset("http.lowSpeedLimit") || !unset("http.lowSpeedTime");
        let own_ssh = ["GIT_SSH_COMMAND", "GIT_SSH"]
            .iter()
            .any(|k| std::env::var_os(k).is_some())
            || !unset("core.sshCommand");
        if !own_speed {
            git.net_config = vec![
                format!("http.lowSpeedLimit={}", LOW_SPEED.0),
                format!("http.lowSpeedTime={}", LOW_SPEED.1),
            ];
        }
        if !own_ssh {
            git.net_env.push(("GIT_SSH_COMMAND", SSH.into()));
        }
        git
    }

    /// Merges (rebases, `merge-tree`) made with `program merge-file` (`waymark`'s) for entry
    /// files and plaques.lock, as `attributes` (a gitattributes file this writes) says, for
    /// this process's commands only: the repository's configuration is left as it is. An
    /// entry that two servers changed in different fields then merges; see `edit::merge`.
    pub fn merging_with(mut self, program: &Path, attributes: &Path) -> std::io::Result<Git> {
        let quoted = shlex::try_quote(program.to_str().unwrap_or_default())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        if quoted.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the program's path is not UTF-8",
            ));
        }
        if let Some(dir) = attributes.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::output::write_atomic(attributes, MERGED.as_bytes())?;
        self.merge_config = vec![
            format!("core.attributesFile={}", attributes.display()),
            format!("merge.{DRIVER}.name=Waymark: entry files field by field, plaques.lock code by code"),
            format!("merge.{DRIVER}.driver={quoted} merge-file %O %A %B %P %X %Y %S"),
        ];
        Ok(self)
    }

    /// A local command (no network), its stdout trimmed.
    pub fn run(&self, args: &[&str], limit: Duration) -> Result<String, Failed> {
        self.command(args, false, limit)
    }

    /// A command that talks to a remote.
    pub fn net(&self, args: &[&str], limit: Duration) -> Result<String, Failed> {
        self.command(args, true, limit)
    }

    fn command(&self, args: &[&str], net: bool, limit: Duration) -> Result<String, Failed> {
        let mut cmd = Command::new("git");
        // File names as they are (a folder may be named `Đền Kỳ Cùng`), not octal escapes.
        cmd.arg("-C")
            .arg(&self.site)
            .args(["-c", "core.quotePath=false"]);
        for c in &self.merge_config {
            cmd.args(["-c", c]);
        }
        if net {
            for c in &self.net_config {
                cmd.args(["-c", c]);
            }
            cmd.envs(self.net_env.iter().map(|(k, v)| (*k, v)));
        }
        // Nothing here may wait for a person: no editor for a message, no pager.
        cmd.env("GIT_EDITOR", "true")
            .env("GIT_PAGER", "cat")
            .env("LC_ALL", "C")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Its own process group, so that the helpers it starts stop with it at the deadline.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd.spawn().map_err(|e| Failed {
            why: match e.kind() {
                std::io::ErrorKind::NotFound => {
                    "git is not installed (apt-get install git)".to_string()
                }
                _ => format!("git could not run: {e}"),
            },
            stdout: String::new(),
            code: None,
        })?;
        let out = wait_within(child, limit);
        let stdout = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if out.status.is_some_and(|s| s.success()) {
            return Ok(stdout);
        }
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        let verb = args.iter().find(|a| !a.starts_with('-')).unwrap_or(&"");
        let why = match (out.status, stderr.is_empty()) {
            (None, _) => format!("git {verb} took longer than {} s", limit.as_secs()),
            (_, false) => stderr,
            (_, true) if !stdout.is_empty() => stdout.clone(),
            _ => format!("git {verb} failed"),
        };
        Err(Failed {
            why: hide_passwords(&why),
            stdout: hide_passwords(&stdout),
            code: out.status.and_then(|s| s.code()),
        })
    }
}

/// The merge driver's name in git's configuration.
const DRIVER: &str = "waymark";
/// The files the driver merges: it leaves any that is not a Waymark file to git's text merge.
const MERGED: &str = "*.md merge=waymark\nplaques.lock merge=waymark\n";

/// Git's own line-by-line merge of three texts (`git merge-file`); None when they conflict or
/// git cannot run.
pub fn merge_lines(base: &str, ours: &str, theirs: &str) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).map(|_| path)
    };
    let (o, b, t) = (
        file("ours", ours).ok()?,
        file("base", base).ok()?,
        file("theirs", theirs).ok()?,
    );
    let out = Command::new("git")
        .args(["merge-file", "-p", "--quiet"])
        .args([&o, &b, &t])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    (out.status.success()).then(|| String::from_utf8(out.stdout).ok())?
}

/// The file `ours` replaced in place by git's text merge of `base` and `theirs` into it,
/// conflict marks named by `labels` (ours, base, theirs): what a person resolving it by hand
/// expects to find. Whether it merged without conflicts.
pub fn merge_text_in_place(ours: &Path, base: &Path, theirs: &Path, labels: &[String; 3]) -> bool {
    Command::new("git")
        .args(["merge-file", "--quiet"])
        .args(labels.iter().flat_map(|l| ["-L", l.as_str()]))
        .args([ours, base, theirs])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The limit of a local command: they take milliseconds; a minute means something is wrong.
pub const LOCAL: Duration = Duration::from_secs(60);

struct Ended {
    /// None: stopped at the deadline.
    status: Option<std::process::ExitStatus>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// The child's output, read while it runs (a full pipe would stop it); past `limit` its
/// process group (git and the ssh or https helper it started) is asked to stop (SIGTERM: git
/// then removes its lock files, which SIGKILL would leave behind, blocking every later
/// command), and killed if it does not.
fn wait_within(mut child: std::process::Child, limit: Duration) -> Ended {
    let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            let _ = tx.send(bytes);
        });
        rx
    };
    let stdout = read(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = read(child.stderr.take().map(|p| Box::new(p) as _));
    let deadline = Instant::now() + limit;
    let mut status = None;
    while Instant::now() < deadline {
        match child.try_wait() {
            Ok(Some(s)) => {
                status = Some(s);
                break;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break,
        }
    }
    if status.is_none() {
        let group = format!("-{}", child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let grace = Instant::now() + Duration::from_secs(5);
        while Instant::now() < grace && matches!(child.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = child.wait();
    }
    // A helper that outlived the group's end could hold a pipe open: its output is not waited for.
    let take = |rx: std::sync::mpsc::Receiver<Vec<u8>>| {
        rx.recv_timeout(Duration::from_secs(2)).unwrap_or_default()
    };
    Ended {
        status,
        stdout: take(stdout),
        stderr: take(stderr),
    }
}

/// `https://user:token@host` → `https://***@host`: git quotes remote addresses in its errors.
pub fn hide_passwords(text: &str) -> String {
    let re = regex::Regex::new(r"://[^/@\s]+@").expect("a valid pattern");
    re.replace_all(text, "://***@").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_addresses_are_hidden() {
        assert_eq!(
            hide_passwords("fatal: https://me:ghp_secret@github.com/a/b.git not found"),
            "fatal: https://***@github.com/a/b.git not found"
        );
        assert_eq!(hide_passwords("git@github.com:a/b"), "git@github.com:a/b");
    }

    #[test]
    fn a_command_past_its_deadline_is_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let git = Git::new(dir.path());
        // `git -c alias.wait='!sleep 30' wait`: a command that hangs.
        let started = Instant::now();
        let r = git.run(
            &["-c", "alias.hang=!sleep 30", "hang"],
            Duration::from_millis(300),
        );
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(r.unwrap_err().why.contains("took longer"));
    }
}
