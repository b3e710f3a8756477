//! `serve --publish`: the preview's model is the live site's (the site's own base URL, no
//! drafts), and every good rebuild or patch of it is published into `output/` as `waymark
//! build` publishes (`pipeline::publish`: only the pages that changed rendered, a new
//! generation switched in at once), so that a web server serving `output/site/` shows a save a
//! moment after it. The preview then serves the published files from disk rather than keeping
//! a second copy in memory. A rebuild that fails publishes nothing: the live site stays as it
//! was. When `site.yaml` names a `deploy:` target, each publish is then deployed there as
//! `waymark deploy` deploys it (only what changed is sent), and is live once that is done.
//! The editor waits for the publish that follows its save, to say whether it is live.

use crate::pipeline::{Pipeline, Report, Sources};
use parking_lot::{Condvar, Mutex};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How a publish ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Live,
    /// Nothing published; why, in one line.
    NotPublished(String),
    /// Nothing published: the disk is full.
    DiskFull,
}

struct Last {
    /// When the rebuild of the last publish (or of the one that refused to publish) began.
    started: Option<Instant>,
    outcome: Option<Outcome>,
}

pub struct Publisher {
    site: PathBuf,
    out: PathBuf,
    last: Mutex<Last>,
    ended: Condvar,
    /// Both generations hold the site (`publish`).
    primed: AtomicBool,
    /// The last publish stopped on a full disk.
    full: AtomicBool,
}

impl Publisher {
    pub fn new(site: &Path) -> Publisher {
        Publisher {
            site: site.to_path_buf(),
            out: site.join("output"),
            last: Mutex::new(Last {
                started: None,
                outcome: None,
            }),
            ended: Condvar::new(),
            primed: AtomicBool::new(false),
            full: AtomicBool::new(false),
        }
    }

    /// The output folder: `site/` in it is the live site.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Writes the website of `from` into `output/` as `waymark build` does; said in the
    /// terminal. The caller holds the site lock (a save or a `waymark build` never runs beside it).
    /// The first publish of a server is made twice: then both of the output's generations hold
    /// the site, and the next publish (a save's) writes only what the save changed instead of
    /// linking every file into the other generation (seconds at 10,000 entries).
    pub fn publish(
        &self,
        from: &Sources,
        fingerprints: crate::incremental::Fingerprints,
    ) -> crate::error::Result<Report> {
        let published = self.publish_primed(from, fingerprints);
        let full = matches!(&published, Err(crate::error::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::StorageFull);
        self.full.store(full, Ordering::Release);
        published
    }

    fn publish_primed(
        &self,
        from: &Sources,
        fingerprints: crate::incremental::Fingerprints,
    ) -> crate::error::Result<Report> {
        if self.primed.load(Ordering::Acquire) {
            return self.publish_again(from, fingerprints, false);
        }
        self.publish_again(from, fingerprints.clone(), false)?;
        let report = self.publish_again(from, fingerprints, true)?;
        self.primed.store(true, Ordering::Release);
        Ok(report)
    }

    fn publish_again(
        &self,
        from: &Sources,
        fingerprints: crate::incremental::Fingerprints,
        again: bool,
    ) -> crate::error::Result<Report> {
        // The caller holds the site lock (`serve::rebuild_guarded`).
        let started = Instant::now();
        crate::output::check_target(&self.out, false)?;
        let report = crate::pipeline::publish(
            &self.out,
            from,
            Some(fingerprints),
            again,
            &mut Pipeline::default(),
        )?;
        println!(
            "published: {} files changed in {} ms",
            report.changed,
            started.elapsed().as_millis()
        );
        Ok(report)
    }

    /// The rebuild begun at `started` has ended, and published unless `problem`: deployed, when
    /// site.yaml names a target, and told to the saves waiting for it.
    pub fn settle(&self, started: Instant, problem: Option<&str>) {
        let outcome = match problem {
            Some(_) if self.full.load(Ordering::Acquire) => {
                eprintln!("not published (the live site is unchanged): the disk is full");
                Outcome::DiskFull
            }
            Some(why) => {
                eprintln!("not published (the live site is unchanged): the site does not build");
                Outcome::NotPublished(why.lines().next().unwrap_or_default().to_string())
            }
            None => match self.deploy() {
                Ok(deployed) => {
                    if !deployed.is_empty() {
                        println!("{deployed}");
                    }
                    Outcome::Live
                }
                Err(e) => {
                    let why = e.to_string();
                    eprintln!("published here, but not deployed: {why}");
                    Outcome::NotPublished(why.lines().next().unwrap_or_default().to_string())
                }
            },
        };
        self.end(started, outcome);
    }

    /// Deploys the built site to `site.yaml`'s `deploy:` target, if it names one; what was sent,
    /// for the terminal.
    fn deploy(&self) -> crate::error::Result<String> {
        let config = crate::config::Config::load(&self.site)?;
        let Some(target) = config.deploy.as_deref() else {
            return Ok(String::new());
        };
        let target = crate::deploy::Target::parse(target)
            .map_err(|why| crate::error::Error::Usage(format!("site.yaml deploy: {why}")))?;
        let options = crate::deploy::Options {
            site: self.site.clone(),
            remote: "origin".into(),
            concurrency: 8,
            ..crate::deploy::Options::default()
        };
        let summary = crate::deploy::run(&target, &options)?;
        Ok(format!(
            "deployed to {} ({} sent, {} deleted)",
            summary.target, summary.uploaded, summary.deleted
        ))
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
