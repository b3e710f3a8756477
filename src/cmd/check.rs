//! `waymark check`: every problem at once, nothing written.

use crate::BuildOptions;

pub fn run(options: &BuildOptions) -> i32 {
    match crate::check(options) {
        Ok(report) => {
            for w in &report.warnings {
                println!("{w}\n");
            }
            println!(
                "checked {} entries: {} pages and {} plaque codes would be made; no errors, {} warning(s)",
                report.entries,
                report.pages,
                report.codes,
                report.warnings.len()
            );
            0
        }
        Err(e) => {
            println!("{e}");
            e.exit_code()
        }
    }
}
