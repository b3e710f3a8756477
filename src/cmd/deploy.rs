//! `waymark deploy`: put the built site where visitors read it, print what was sent, and with
//! `--verify` check every printed code at the live site.

use crate::deploy::{Stale, Summary};
use crate::progress::Progress;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

/// What `waymark deploy` is asked for (its command-line arguments, read by clap).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// s3://BUCKET[/PREFIX] (S3, R2 or another S3-compatible storage) or git:BRANCH; default:
    /// site.yaml's `deploy:`.
    pub target: Option<String>,
    /// The site folder.
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
    /// The output folder the build wrote (default: <site>/output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The S3 API address of a provider other than AWS (R2, MinIO, a Vietnamese cloud).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The bucket's region (default: AWS_REGION, the profile's, or us-east-1).
    #[arg(long)]
    pub region: Option<String>,
    /// Print what would be uploaded and deleted; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also delete objects under the prefix that an earlier deploy did not put there.
    #[arg(long, conflicts_with = "keep_stale")]
    pub delete: bool,
    /// Delete nothing, not even files the site no longer has.
    #[arg(long)]
    pub keep_stale: bool,
    /// Uploads at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// The Git remote to push a branch to (a name or an address).
    #[arg(long, default_value = "origin")]
    pub remote: String,
    /// Then fetch every printed code at the live site (as `waymark verify`); exit 1 if one is broken.
    #[arg(long)]
    pub verify: bool,
    /// The live site's address for --verify (default: site.yaml's base_url).
    #[arg(long, requires = "verify")]
    pub url: Option<String>,
}

pub fn run(args: &Args) -> i32 {
    let start = std::time::Instant::now();
    let target = crate::config::Config::load(&args.site)
        .and_then(|config| crate::deploy::target_of(args.target.as_deref(), &config));
    let target = match target {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return e.exit_code();
        }
    };
    let progress = Arc::new(Progress::default());
    let options = crate::deploy::Options {
        site: args.site.clone(),
        out: args.out.clone(),
        endpoint: args.endpoint.clone(),
        region: args.region.clone(),
        remote: args.remote.clone(),
        dry_run: args.dry_run,
        stale: match (args.delete, args.keep_stale) {
            (true, _) => Stale::All,
            (_, true) => Stale::Keep,
            _ => Stale::Ours,
        },
        concurrency: args.concurrency.max(1),
        progress: Some(progress.clone()),
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        std::thread::spawn({
            let p = progress.clone();
            move || super::build::show_progress(&p)
        })
    });
    let result = crate::deploy::run(&target, &options);
    progress.finish();
    if let Some(bar) = bar {
        let _ = bar.join();
    }
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            if !args.dry_run {
                eprintln!("the deploy stopped; nothing was deleted, and the next deploy sends only what is still missing");
            }
            return e.exit_code();
        }
    };
    for step in &summary.steps {
        println!("{step}");
    }
    println!("{}", line(&summary, start.elapsed().as_secs_f64()));
    if args.verify && !args.dry_run {
        return super::verify::run(&crate::verify::Options {
            site: args.site.clone(),
            url: args.url.clone(),
            pages: false,
            concurrency: 8,
            timeout: std::time::Duration::from_secs(15),
            retries: 2,
            progress: std::io::stderr().is_terminal(),
        });
    }
    0
}

/// The summary line: what was sent, left, deleted, and how much.
fn line(s: &Summary, seconds: f64) -> String {
    let kept = match s.kept {
        0 => String::new(),
        n => format!(", {n} stale kept"),
    };
    let note = s
        .note
        .as_ref()
        .map(|n| format!("; {n}"))
        .unwrap_or_default();
    if s.dry_run {
        format!(
            "dry run, nothing changed at {}: would upload {} ({} new, {}), leave {} unchanged, delete {}{kept}{note}",
            s.target,
            s.uploaded,
            s.new,
            size(s.bytes),
            s.unchanged,
            s.deleted
        )
    } else {
        format!(
            "deployed to {}: {} uploaded ({} new, {}), {} unchanged, {} deleted{kept}{note}; {seconds:.2} s",
            s.target,
            s.uploaded,
            s.new,
            size(s.bytes),
            s.unchanged,
            s.deleted
        )
    }
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / 1048576.0),
    }
}
