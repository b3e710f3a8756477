//! `waymark verify`: print what the live site answers for each printed code; exit 1 when any
//! code (or, with --pages, any page) is broken.

pub use crate::verify::Options;

pub fn run(opts: &Options) -> i32 {
    let report = match crate::verify::run(opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return e.exit_code();
        }
    };
    // Printed plaques first: they are on walls.
    let mut problems: Vec<&crate::verify::Finding> = report
        .findings
        .iter()
        .filter(|f| f.problem.is_some())
        .collect();
    problems.sort_by_key(|f| {
        (
            f.printed.is_none(),
            !f.what.starts_with("code "),
            f.what.clone(),
        )
    });
    for f in &problems {
        let what = f.what.trim_start_matches("code ");
        let problem = f.problem.as_deref().unwrap_or("");
        match &f.printed {
            Some(day) => println!("{what}: printed {day}, {problem}  ({})", f.url),
            None => println!("{what}: {problem}  ({})", f.url),
        }
    }
    for f in report.findings.iter().filter(|f| f.problem.is_none()) {
        if let Some(note) = &f.note {
            println!(
                "{}: {note}  ({})",
                f.what.trim_start_matches("code "),
                f.url
            );
        }
    }
    let codes = report
        .findings
        .iter()
        .filter(|f| f.what.starts_with("code "))
        .count();
    let pages = report.findings.len() - codes;
    println!(
        "checked {codes} code(s){}: {} broken ({} of them printed){}",
        if pages > 0 {
            format!(" and {pages} page(s)")
        } else {
            String::new()
        },
        report.broken_codes(),
        report.broken_printed(),
        if pages > 0 {
            format!(
                ", {} page(s) broken",
                problems.len() - report.broken_codes()
            )
        } else {
            String::new()
        }
    );
    if problems.is_empty() {
        0
    } else {
        1
    }
}
