//! The `waymark` command: arguments only; the work is in the library.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "waymark",
    version,
    about = "Heritage sites and homestays from Markdown to a mobile website with permanent QR codes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into output/ (site/ to publish, print/ to print).
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
    /// Find every problem in the site (content, links, QR round trips, the plaque ledger) without writing.
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
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            std::process::exit(if e.use_stderr() { 2 } else { 0 });
        }
    };
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
    };
    std::process::exit(code);
}
