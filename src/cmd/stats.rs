//! `waymark stats`: print the summary of plaque scans and where the report went.

pub use crate::stats::Options;

pub fn run(opts: &Options) -> i32 {
    let done = match crate::stats::run(opts) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return e.exit_code();
        }
    };
    let c = &done.counts;
    for (file, bad) in &c.bad {
        if let Some(n) = bad.cut_short_after {
            eprintln!(
                "warning: {}: gzip file cut short after line {n}; the lines before it are counted (copy the file again from the server if it was cut in the copy)",
                file.display()
            );
        }
        if bad.count == 0 {
            continue;
        }
        let lines: Vec<String> = bad.first.iter().map(u64::to_string).collect();
        eprintln!(
            "warning: {}: {} line(s) not in a known log format, skipped (lines {}{})",
            file.display(),
            bad.count,
            lines.join(", "),
            if bad.count as usize > lines.len() {
                ", …"
            } else {
                ""
            }
        );
    }
    for s in &done.silent {
        println!(
            "silent: {} printed {}, {}",
            s.code,
            s.printed,
            match &s.last_visit {
                Some(d) => format!("last scanned {d}"),
                None => "never scanned in these logs".into(),
            }
        );
    }
    let visits: u64 = c.visits.values().flat_map(|d| d.values()).sum();
    println!(
        "{visits} visit(s) through {} plaque(s) in {} line(s){}; {} from previewers and crawlers left out; report: {}",
        c.visits.len(),
        c.lines,
        c.span
            .as_ref()
            .map(|(a, z)| format!(" ({a} to {z})"))
            .unwrap_or_default(),
        c.bots,
        done.out.join(crate::address::STATS).join("index.html").display()
    );
    0
}
