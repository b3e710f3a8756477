//! `serve --publish`: after every good rebuild of the preview, the site is built into
//! `output/` exactly as `waymark build` builds it (the same pipeline, incremental, a new
//! generation switched in at once), so that a web server serving `output/site/` shows a save
//! seconds after it. A build that fails publishes nothing: the live site stays as it was.
//! When `site.yaml` names a `deploy:` target, each publish is then deployed there as
//! `waymark deploy` deploys it (only what changed is sent), and is live once that is done.
//! The editor waits for the publish that follows its save, to say whether it is live.

use crate::BuildOptions;
use parking_lot::{Condvar, Mutex};
use std::path::Path;
use std::time::{Duration, Instant};

/// How a publish ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Live,
    /// Nothing published; why, in one line.
    NotPublished(String),
}

struct Last {
    /// When the last publish (or the rebuild that refused to publish) began.
    started: Option<Instant>,
    outcome: Option<Outcome>,
}

pub struct Publisher {
    opts: BuildOptions,
    last: Mutex<Last>,
    ended: Condvar,
    /// One publish at a time.
    one: Mutex<()>,
}

impl Publisher {
    /// `memo`: the preview's parsed files, shared (a file is parsed once for both builds).
    pub fn new(site: &Path, memo: Option<std::sync::Arc<crate::content::Memo>>) -> Publisher {
        Publisher {
            // The site's own base URL and no drafts: what `waymark build` makes.
            opts: BuildOptions {
                site: site.to_path_buf(),
                memo,
                ..BuildOptions::default()
            },
            last: Mutex::new(Last {
                started: None,
                outcome: None,
            }),
            ended: Condvar::new(),
            one: Mutex::new(()),
        }
    }

    /// Builds the site into `output/` as `waymark build` does; said in the terminal.
    pub fn publish(&self) {
        let _one = self.one.lock();
        let started = Instant::now();
        let outcome = match crate::pipeline::build(&self.opts).and_then(|report| {
            let deployed = self.deploy()?;
            Ok((report, deployed))
        }) {
            Ok((report, deployed)) => {
                println!(
                    "published: {} files changed{deployed} in {} ms",
                    report.changed,
                    started.elapsed().as_millis()
                );
                Outcome::Live
            }
            Err(e) => {
                let why = e.to_string();
                eprintln!("not published (the live site is unchanged): {why}");
                Outcome::NotPublished(why.lines().next().unwrap_or_default().to_string())
            }
        };
        self.end(started, outcome);
    }

    /// Deploys the built site to `site.yaml`'s `deploy:` target, if it names one; what was sent,
    /// for the terminal.
    fn deploy(&self) -> crate::error::Result<String> {
        let config = crate::config::Config::load(&self.opts.site)?;
        let Some(target) = config.deploy.as_deref() else {
            return Ok(String::new());
        };
        let target = crate::deploy::Target::parse(target)
            .map_err(|why| crate::error::Error::Usage(format!("site.yaml deploy: {why}")))?;
        let options = crate::deploy::Options {
            site: self.opts.site.clone(),
            remote: "origin".into(),
            concurrency: 8,
            ..crate::deploy::Options::default()
        };
        let summary = crate::deploy::run(&target, &options)?;
        Ok(format!(
            ", deployed to {} ({} sent, {} deleted)",
            summary.target, summary.uploaded, summary.deleted
        ))
    }

    /// A rebuild that failed, begun at `started`: nothing is published.
    pub fn refused(&self, started: Instant, why: &str) {
        let first = why.lines().next().unwrap_or_default().to_string();
        eprintln!("not published (the live site is unchanged): the site does not build");
        self.end(started, Outcome::NotPublished(first));
    }

    fn end(&self, started: Instant, outcome: Outcome) {
        let mut last = self.last.lock();
        last.started = Some(started);
        last.outcome = Some(outcome);
        self.ended.notify_all();
    }

    /// The outcome of the first publish that began after `since`, waiting for it at most
    /// `limit`; `None` when none ended in time.
    pub fn after(&self, since: Instant, limit: Duration) -> Option<Outcome> {
        let deadline = Instant::now() + limit;
        let mut last = self.last.lock();
        loop {
            if last.started.is_some_and(|s| s >= since) {
                return last.outcome.clone();
            }
            if self.ended.wait_until(&mut last, deadline).timed_out() {
                return None;
            }
        }
    }
}
