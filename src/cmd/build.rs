//! `waymark build`.

use crate::error::Error;
use crate::progress::Progress;
use crate::BuildOptions;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

pub struct Args {
    pub options: BuildOptions,
    pub timings: bool,
}

/// Build, print warnings and a one-line summary; return the exit status.
pub fn run(args: &Args) -> i32 {
    let start = std::time::Instant::now();
    let progress = Arc::new(Progress::default());
    let mut options = args.options.clone();
    options.progress = Some(progress.clone());
    let bar = std::io::stderr().is_terminal().then(|| {
        std::thread::spawn({
            let p = progress.clone();
            move || show_progress(&p)
        })
    });
    let result = crate::build(&options);
    progress.finish();
    if let Some(bar) = bar {
        let _ = bar.join();
    }
    match result {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("{w}\n");
            }
            if args.timings {
                print_timings(&report.timings);
            }
            let largest = report
                .largest_page
                .as_ref()
                .map(|(p, n)| {
                    format!(
                        "; largest entry page {:.1} KB gzipped ({p})",
                        *n as f64 / 1024.0
                    )
                })
                .unwrap_or_default();
            let photos = match report.photos {
                (0, _) => String::new(),
                (n, made) => format!(
                    ", {n} photo{} ({made} processed, {} from cache)",
                    if n == 1 { "" } else { "s" },
                    n - made
                ),
            };
            let kept = match report.kept {
                0 => String::new(),
                n => format!(" ({} made, {n} unchanged)", report.pages - n),
            };
            let gone = match report.gone {
                0 => String::new(),
                n => format!(", {n} gone"),
            };
            eprintln!(
                "built {} entries: {} pages{kept}, {} plaque codes{photos}, {} files ({} changed{gone}) in {}; {} warning(s){largest}; {:.2} s",
                report.entries,
                report.pages,
                report.codes,
                report.files,
                report.changed,
                report.out.display(),
                report.warnings.len(),
                start.elapsed().as_secs_f64()
            );
            0
        }
        Err(e) => {
            eprintln!("{e}");
            match e {
                Error::Usage(_) => eprintln!("see `waymark build --help`"),
                _ => eprintln!("the build was stopped; the previous output was left as it was"),
            }
            e.exit_code()
        }
    }
}

/// Each stage's time and the peak memory, for `--timings`.
pub fn print_timings(timings: &crate::progress::Timings) {
    for (stage, t) in timings {
        eprintln!("{stage:>14}: {:>8.1} ms", t.as_secs_f64() * 1000.0);
    }
    if let Some(peak) = crate::progress::peak_memory() {
        eprintln!("   peak memory: {:>8.1} MiB", peak as f64 / 1048576.0);
    }
}

/// A progress bar on a terminal, only for runs that take longer than a second (builds, deploys).
pub(crate) fn show_progress(p: &Progress) {
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(1) {
        if p.is_finished() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let bar = indicatif::ProgressBar::new(0);
    let style =
        indicatif::ProgressStyle::with_template("{spinner} {msg:<16} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
    bar.set_style(style);
    while !p.is_finished() {
        let (stage, done, total) = p.snapshot();
        bar.set_message(stage);
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        std::thread::sleep(Duration::from_millis(100));
    }
    bar.finish_and_clear();
}
