//! `waymark plaques`: the print files, into `output/print/`.

use crate::error::{Error, Result};
use crate::pipeline::PlaqueRun;
use crate::print::layout::Size;
use crate::BuildOptions;

pub struct Args {
    pub options: BuildOptions,
    pub size: Option<String>,
    pub codes: Option<String>,
    pub sheet: Option<String>,
    pub png: bool,
    pub new_only: bool,
    pub timings: bool,
}

pub fn run(args: &Args) -> i32 {
    let start = std::time::Instant::now();
    match parse(args).and_then(|run| crate::plaques(&args.options, &run)) {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("{w}\n");
            }
            if args.timings {
                super::build::print_timings(&report.timings);
            }
            let printed = report.printed.unwrap_or_default();
            if args.new_only && printed.plaques == 0 {
                eprintln!("every code has been printed before: nothing new to print (plaques.lock records each code's print day)");
                return 0;
            }
            eprintln!(
                "made {} plaque(s), {} sheet file(s) and {} homestay kit(s): {} files ({} changed) in {}; {} warning(s); {:.2} s",
                printed.plaques,
                printed.sheets,
                printed.kits,
                report.files,
                report.changed,
                report.out.join("print").display(),
                report.warnings.len(),
                start.elapsed().as_secs_f64()
            );
            0
        }
        Err(e) => {
            eprintln!("{e}");
            match e {
                Error::Usage(_) => eprintln!("see `waymark plaques --help`"),
                _ => eprintln!(
                    "nothing was printed; the previous print files were left as they were"
                ),
            }
            e.exit_code()
        }
    }
}

fn parse(args: &Args) -> Result<PlaqueRun> {
    let mut run = PlaqueRun {
        print: crate::print::Options::all(),
        new_only: args.new_only,
    };
    run.print.png = args.png;
    if let Some(s) = &args.size {
        run.print.size = Some(
            Size::parse(s)
                .ok_or_else(|| Error::Usage(format!("--size {s}: use a6, sticker or a4")))?,
        );
    }
    run.print.sheets = match args.sheet.as_deref() {
        None | Some("a4") | Some("A4") => true,
        Some("none") => false,
        Some(other) => {
            return Err(Error::Usage(format!(
                "--sheet {other}: sheets are a4 (the default), or none"
            )))
        }
    };
    if let Some(list) = &args.codes {
        run.print.codes = list
            .split(',')
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect();
    }
    Ok(run)
}
