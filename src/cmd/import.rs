//! `waymark import`: print per row what became of it (new, changed field by field, unchanged,
//! refused with the reason), then what was written.

pub use crate::import::Options;
use crate::import::Outcome;

pub fn run(opts: &Options) -> i32 {
    let report = match crate::import::run(opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return e.exit_code();
        }
    };
    if let Some(enc) = report.encoding {
        println!("read {} as {enc} text", opts.file.display());
    }
    for (row, outcome) in &report.rows {
        match outcome {
            Outcome::New { id, code } => println!("row {row}: new {id} (code {code})"),
            Outcome::Unchanged { id } => println!("row {row}: unchanged {id}"),
            Outcome::Changed { id, fields } => {
                println!("row {row}: changed {id}");
                for (f, old, new) in fields {
                    println!("    {f}: {old} → {new}");
                }
            }
            Outcome::Refused(diags) => {
                println!("row {row}: refused");
                for d in diags {
                    eprintln!("{d}\n");
                }
            }
        }
    }
    let new = report.count(|o| matches!(o, Outcome::New { .. }));
    let changed = report.count(|o| matches!(o, Outcome::Changed { .. }));
    let same = report.count(|o| matches!(o, Outcome::Unchanged { .. }));
    let refused = report.count(|o| matches!(o, Outcome::Refused(_)));
    let what = if report.written {
        format!("{} file(s) written", report.files.len())
    } else if opts.dry_run {
        "nothing written (--dry-run)".into()
    } else if opts.strict && refused > 0 {
        "nothing written: --strict and a row was refused".into()
    } else {
        "nothing to write".into()
    };
    let hint = if changed > 0 && !opts.update {
        "; changed rows were not written: import again with --update to write them"
    } else {
        ""
    };
    println!(
        "sheet `{}`: {new} new, {changed} changed, {same} unchanged, {refused} refused; {what}{hint}",
        report.sheet
    );
    if refused > 0 {
        1
    } else {
        0
    }
}
