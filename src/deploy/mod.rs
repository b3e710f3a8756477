//! `waymark deploy`: the published site (`output/site/`) to where visitors read it, an S3
//! bucket (AWS, Cloudflare R2, the S3-compatible storage of Vietnamese clouds, with a CDN in
//! front) or a Git branch that a pages host serves. `run` is the one entry point, for the
//! command and for `serve --edit --publish`.
//!
//! `files` lists what to publish (types, cache lifetimes, MD5s, redirect pages), `plan` decides
//! what an S3 deploy sends and deletes, `s3` and `git` do it. Both read the generation the build
//! published, under the site's lock, so that a build cannot change the files being sent.

mod credentials;
pub mod files;
pub mod git;
pub mod plan;
pub mod s3;

pub use crate::config::target::Target;
pub use plan::Stale;

use crate::error::{Diagnostic, Error, Result};
use crate::progress::Progress;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone, Default)]
pub struct Options {
    /// The site folder (with site.yaml).
    pub site: PathBuf,
    /// The output folder the build wrote (default `<site>/output`).
    pub out: Option<PathBuf>,
    /// The S3 API's address, over the target's `?endpoint=` and `AWS_ENDPOINT_URL`.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// The Git remote to push a branch to (a name or an address).
    pub remote: String,
    /// Plan, print, change nothing.
    pub dry_run: bool,
    pub stale: Stale,
    /// Uploads at once.
    pub concurrency: usize,
    pub progress: Option<Arc<Progress>>,
}

/// What a deploy did (or, for a dry run, would do).
#[derive(Debug, Default)]
pub struct Summary {
    pub target: String,
    /// Objects (or files of the branch) sent: new and changed.
    pub uploaded: usize,
    /// Of `uploaded`, those the target did not have.
    pub new: usize,
    pub unchanged: usize,
    pub deleted: usize,
    /// Stale objects left in place (`--keep-stale`, or another tool's).
    pub kept: usize,
    /// Bytes of what was sent.
    pub bytes: u64,
    pub dry_run: bool,
    /// For a dry run, each step of the plan.
    pub steps: Vec<String>,
    /// What became of the branch (Git).
    pub note: Option<String>,
}

/// The target `waymark deploy` was given, or site.yaml's `deploy:`.
pub fn target_of(given: Option<&str>, config: &crate::config::Config) -> Result<Target> {
    match given.or(config.deploy.as_deref()) {
        Some(text) => Target::parse(text).map_err(Error::Usage),
        None => Err(Error::Usage(
            "name where to deploy: `waymark deploy s3://BUCKET[/PREFIX]` or `waymark deploy git:BRANCH`, or write it in site.yaml as `deploy: s3://BUCKET`".into(),
        )),
    }
}

/// Deploy the built site of `opts.site` to `target`.
pub fn run(target: &Target, opts: &Options) -> Result<Summary> {
    let config = crate::config::Config::load(&opts.site)?;
    // A build that starts now waits: it could otherwise rewrite the files being sent.
    let _lock = crate::lock::SiteLock::take(&opts.site);
    let dir = files::site_folder(&opts.site, opts.out.as_deref())?;
    if let Some(p) = &opts.progress {
        p.stage("reading the site", 0);
    }
    let objects = files::collect(&dir, &config)?;
    if objects.is_empty() {
        return Err(Error::one(
            Diagnostic::error(&dir, "the built site is empty").hint("run `waymark build` first"),
        ));
    }
    if let Target::S3 { prefix, .. } = target {
        warn_prefix(prefix, &config.base_url);
    }
    match target {
        Target::S3 {
            bucket,
            prefix,
            endpoint,
            region,
        } => s3::deploy(
            &s3::Where {
                bucket,
                prefix,
                endpoint: opts.endpoint.as_deref().or(endpoint.as_deref()),
                region: opts.region.as_deref().or(region.as_deref()),
            },
            &objects,
            opts,
        ),
        Target::Git { branch } => git::deploy(branch, opts, &dir, &objects, &config.title),
    }
}

/// A site put under a folder of the bucket links and leads its short links to the folder only
/// when `base_url` ends with it: said before anything is sent.
fn warn_prefix(prefix: &str, base_url: &str) {
    if prefix.is_empty() {
        return;
    }
    let path = url::Url::parse(base_url)
        .map(|u| u.path().trim_matches('/').to_string())
        .unwrap_or_default();
    if path != prefix && !path.ends_with(&format!("/{prefix}")) {
        eprintln!(
            "warning: the site goes under `{prefix}/` of the bucket, but site.yaml's base_url ({base_url}) does not end with /{prefix}: its links and short links would lead outside that folder\n  = help: set base_url to the address the folder is served at (…/{prefix}) and build again"
        );
    }
}
