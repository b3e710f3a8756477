//! `waymark build`.

use crate::error::Error;
use crate::BuildOptions;

pub struct Args {
    pub options: BuildOptions,
    pub timings: bool,
}

/// Build, print warnings and a one-line summary; return the exit status.
pub fn run(args: &Args) -> i32 {
    let start = std::time::Instant::now();
    match crate::build(&args.options) {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("{w}\n");
            }
            if args.timings {
                for (stage, t) in &report.timings {
                    eprintln!("{stage:>14}: {:>8.1} ms", t.as_secs_f64() * 1000.0);
                }
            }
            eprintln!(
                "built {} entries: {} pages, {} QR codes, {} files in {}; {} warning(s); {:.2} s",
                report.entries,
                report.pages,
                report.qr_codes,
                report.files,
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
