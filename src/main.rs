//! The `waymark` command: arguments only; the work is in the library.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// A build allocates for every page and plaque from two threads: mimalloc takes 13% off a cold
/// build's CPU time and 6% off a print run's (BENCHMARKS.md, session 9).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "waymark",
    version,
    about = "Heritage sites and homestays from Markdown to a mobile website with permanent QR codes"
)]
struct Cli {
    /// Language of messages: `vi` adds Vietnamese to the key ones (default: from the locale).
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the website into output/site/ (and keep plaques.lock); print files come from `plaques`.
    Build {
        /// The site folder (with site.yaml and content/).
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// Where to write; defaults to <site>/output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Publish at this address instead of site.yaml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Include entries marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Replace an --out folder that Waymark did not make (its files are deleted).
        #[arg(long)]
        force: bool,
        /// Print the time each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Find every problem in the site (content, links, the plaque ledger) without writing.
    Check {
        /// The site folder (with site.yaml and content/).
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// Check against this address instead of site.yaml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Check entries marked `draft: true` too.
        #[arg(long)]
        drafts: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild when a file changes and reload the browser.
    Serve {
        /// The site folder.
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// The port [default: 1111, or the next free one when it is busy]. A port given is taken
        /// or the server does not start (a proxy in front of it expects it there).
        #[arg(long)]
        port: Option<u16>,
        /// The address to listen on; 0.0.0.0 lets a phone on the same Wi-Fi open the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Include entries marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print how long each stage of every rebuild took.
        #[arg(long)]
        timings: bool,
        /// Serve an editor at /_edit/ for browsers paired with the link printed at start.
        #[arg(long)]
        edit: bool,
        /// With --edit: make a Git commit of every save, naming the paired device.
        #[arg(long, requires = "edit")]
        commit: bool,
        /// With --edit (implies --commit): push each save's commit to this remote (a name
        /// from `git remote -v`, e.g. origin) on the branch checked out, and take others'
        /// commits from it (before each save and every --pull-every). Refused at start when
        /// the site is not in a Git repository, the remote is unknown or no branch is checked out.
        #[arg(long, value_name = "REMOTE", requires = "edit")]
        push: Option<String>,
        /// With --push: how often to take the remote's new commits: 60s (the default), 5m,
        /// 1h; 0 only before saves.
        #[arg(long, value_name = "INTERVAL", requires = "push", value_parser = waymark::cmd::serve::interval)]
        pull_every: Option<std::time::Duration>,
        /// After every good rebuild, build the site into output/ as `waymark build` does, so
        /// that a web server serving output/site/ shows each save seconds later.
        #[arg(long)]
        publish: bool,
        /// The address people reach this server at (https://… behind a reverse proxy): used
        /// for pairing and owner links and the links to live pages; cookies are Secure when
        /// it is https.
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
        /// A reverse proxy whose X-Forwarded-For is believed (repeat for several); from any
        /// other peer the header is ignored.
        #[arg(long = "trusted-proxy", value_name = "ADDR")]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// With --edit: a paired phone or owner's session unused this many days ends (sessions
        /// last across restarts).
        #[arg(long, value_name = "DAYS", default_value_t = 30, requires = "edit")]
        idle_days: u32,
    },
    /// Make the print files in output/print/: QR symbols, plaques (PDF, SVG), A4 sheets, homestay kits.
    Plaques {
        /// The site folder.
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// One size for every plaque: a6, sticker (100×100 mm) or a4 (default: site.yaml's, or the entry's own).
        #[arg(long)]
        size: Option<String>,
        /// Only these codes, comma-separated (e.g. HVT,CHILANG).
        #[arg(long)]
        codes: Option<String>,
        /// Only codes never printed before (plaques.lock records the day each code was first printed).
        #[arg(long = "new")]
        new_only: bool,
        /// Sheets of this paper with crop marks: a4 (the default) or none.
        #[arg(long)]
        sheet: Option<String>,
        /// Also a 300 dpi PNG of every plaque and kit card.
        #[arg(long)]
        png: bool,
        /// Where to write; defaults to <site>/output (the files go to its print/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace an --out folder that Waymark did not make (its files are deleted).
        #[arg(long)]
        force: bool,
        /// Print the time each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Start an entry: content/<section>/<slug>/index.md with every field explained, and a fresh plaque code.
    New {
        /// relic, homestay or place.
        #[arg(value_enum)]
        kind: KindArg,
        /// The place's name, e.g. "Đền Kỳ Cùng".
        title: String,
        /// Scaffold the translation into this language (the entry must exist).
        #[arg(long)]
        lang: Option<String>,
        /// The site folder.
        #[arg(long, default_value = ".")]
        site: PathBuf,
    },
    /// Fetch every code of plaques.lock at the live site and check each leads to its page.
    Verify {
        /// The site to check (default: site.yaml's base_url); an old address checks its moved/ site.
        url: Option<String>,
        /// The site folder.
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// Also every address in the live sitemap.xml.
        #[arg(long)]
        pages: bool,
        /// Requests at once.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// Seconds to wait for one answer.
        #[arg(long, default_value_t = 15)]
        timeout: u64,
        /// Tries again after no answer or a server error (5xx).
        #[arg(long, default_value_t = 2)]
        retries: u32,
    },
    /// Count plaque scans in web-server access logs: output/stats/ (a page and visits.csv).
    Stats(waymark::cmd::stats::Options),
    /// Put the built site in an S3 bucket (AWS, R2, any S3-compatible storage) or a pages branch.
    Deploy(waymark::cmd::deploy::Args),
    /// Entries from a spreadsheet (.xlsx, .xls, .ods, .csv): new rows become entries with codes.
    Import(waymark::cmd::import::Options),
    /// One row per entry, for reports and print shops: CSV (Excel-ready) or XLSX.
    Export {
        /// csv (default) or xlsx.
        #[arg(long, default_value = "csv")]
        format: String,
        /// The file to write (default: output/entries.csv or .xlsx).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The site folder.
        #[arg(long, default_value = ".")]
        site: PathBuf,
    },
    /// Make a new site that builds at once: site.yaml, content/, a theme override folder, .gitignore.
    Init {
        /// The folder to make it in.
        dir: PathBuf,
        /// The site's name.
        #[arg(long)]
        title: Option<String>,
    },
    /// Git's merge driver for a site's files: entry files field by field, plaques.lock code by
    /// code (`serve --push` uses it; `git config merge.waymark.driver "waymark merge-file %O %A %B %P %X %Y %S"`).
    MergeFile {
        /// The common ancestor's version (git's %O).
        base: PathBuf,
        /// This side's version (%A), replaced by the merge.
        ours: PathBuf,
        /// The other side's version (%B).
        theirs: PathBuf,
        /// The file's path in the repository (%P).
        path: String,
        /// Git's names for this side, the other and the ancestor (%X %Y %S, git 2.44 and
        /// later), for the conflict marks.
        #[arg(num_args = 0..=3)]
        labels: Vec<String>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum KindArg {
    Relic,
    Homestay,
    Place,
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            std::process::exit(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let vietnamese = match cli.lang.as_deref() {
        Some(l) => l.starts_with("vi"),
        None => waymark::error::locale_is_vietnamese(),
    };
    waymark::error::set_vietnamese(vietnamese);
    let code = match cli.command {
        Command::Build {
            site,
            out,
            base_url,
            drafts,
            force,
            timings,
        } => waymark::cmd::build::run(&waymark::cmd::build::Args {
            options: waymark::BuildOptions {
                site,
                out,
                base_url,
                drafts,
                force,
                ..Default::default()
            },
            timings,
        }),
        Command::Check {
            site,
            base_url,
            drafts,
        } => waymark::cmd::check::run(&waymark::BuildOptions {
            site,
            base_url,
            drafts,
            ..Default::default()
        }),
        Command::New {
            kind,
            title,
            lang,
            site,
        } => {
            let kind = match kind {
                KindArg::Relic => waymark::site::Kind::Relic,
                KindArg::Homestay => waymark::site::Kind::Homestay,
                KindArg::Place => waymark::site::Kind::Place,
            };
            waymark::cmd::new::run(&site, kind, &title, lang.as_deref())
        }
        Command::Serve {
            site,
            port,
            bind,
            drafts,
            timings,
            edit,
            commit,
            publish,
            public_url,
            trusted_proxies,
            idle_days,
            push,
            pull_every,
        } => waymark::cmd::serve::run(waymark::cmd::serve::Options {
            site,
            port,
            bind,
            drafts,
            timings,
            edit,
            commit: commit || push.is_some(),
            publish,
            public_url,
            trusted_proxies,
            idle: std::time::Duration::from_secs(u64::from(idle_days) * 24 * 3600),
            push,
            pull_every: pull_every.unwrap_or(waymark::cmd::serve::PULL_EVERY),
        }),
        Command::Plaques {
            site,
            size,
            codes,
            new_only,
            sheet,
            png,
            out,
            force,
            timings,
        } => waymark::cmd::plaques::run(&waymark::cmd::plaques::Args {
            options: waymark::BuildOptions {
                site,
                out,
                force,
                ..Default::default()
            },
            size,
            codes,
            sheet,
            png,
            new_only,
            timings,
        }),
        Command::MergeFile {
            base,
            ours,
            theirs,
            path,
            labels,
        } => waymark::cmd::merge_file::run(&base, &ours, &theirs, &path, &labels),
        Command::Init { dir, title } => waymark::cmd::init::run(&dir, title.as_deref()),
        Command::Stats(opts) => waymark::cmd::stats::run(&opts),
        Command::Import(opts) => waymark::cmd::import::run(&opts),
        Command::Deploy(args) => waymark::cmd::deploy::run(&args),
        Command::Export { format, out, site } => {
            waymark::cmd::export::run(&site, &format, out.as_deref())
        }
        Command::Verify {
            url,
            site,
            pages,
            concurrency,
            timeout,
            retries,
        } => waymark::cmd::verify::run(&waymark::cmd::verify::Options {
            site,
            url,
            pages,
            concurrency,
            timeout: std::time::Duration::from_secs(timeout.max(1)),
            retries,
            progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
        }),
    };
    std::process::exit(code);
}
