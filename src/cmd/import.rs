//! `waymark import`: print per row what became of it (new, changed field by field, unchanged,
//! refused with the reason), the rows that are not places and the columns not read, then what
//! was written; in Vietnamese too with `--lang vi` or a Vietnamese locale.

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
    let vi = crate::error::vietnamese();
    if let Some(enc) = report.encoding {
        println!("read {} as {enc} text", opts.file.display());
    }
    for col in &report.unused {
        println!("not read: {col}, a column Waymark has no field for (name it with --map MAP.yaml, or map it to `ignore`)");
        if vi {
            println!("  = tiếng Việt: không đọc {col}: Waymark không có trường cho cột này (đặt tên bằng --map, hoặc `ignore` để bỏ qua)");
        }
    }
    let mut passed = report.passed_over.iter().peekable();
    let mut warnings = report.warnings.iter().peekable();
    for (row, outcome) in &report.rows {
        while let Some((n, what)) = passed.next_if(|(n, _)| n < row) {
            println!("row {n}: not a place ({what})");
        }
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
        while let Some((_, w)) = warnings.next_if(|(n, _)| n <= row) {
            eprintln!("{w}\n");
        }
    }
    for (n, what) in passed {
        println!("row {n}: not a place ({what})");
    }
    let new = report.count(|o| matches!(o, Outcome::New { .. }));
    let changed = report.count(|o| matches!(o, Outcome::Changed { .. }));
    let same = report.count(|o| matches!(o, Outcome::Unchanged { .. }));
    let refused = report.count(|o| matches!(o, Outcome::Refused(_)));
    let (what, what_vi) = if report.written {
        let n = report.files.len();
        (format!("{n} file(s) written"), format!("đã ghi {n} tệp"))
    } else if opts.dry_run {
        (
            "nothing written (--dry-run)".into(),
            "chưa ghi gì (--dry-run)".into(),
        )
    } else if opts.strict && refused > 0 {
        (
            "nothing written: --strict and a row was refused".into(),
            "không ghi gì: có dòng bị từ chối và đang dùng --strict".into(),
        )
    } else if let Some((bad, places)) = report.misread.filter(|_| !opts.partial) {
        (
            format!("nothing written: {bad} of {places} rows were refused, so the list may have been misread, and codes made from it would be pinned forever; correct the rows, or import with --partial to write the rows that were read"),
            format!("không ghi gì: {bad} trên {places} dòng bị từ chối, có thể bảng bị đọc sai, mà mã biển đã cấp thì giữ mãi; sửa các dòng đó, hoặc nhập với --partial để ghi những dòng đọc được"),
        )
    } else {
        ("nothing to write".into(), "không có gì để ghi".into())
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
    if vi {
        let hint_vi = if hint.is_empty() {
            ""
        } else {
            "; dòng thay đổi chưa được ghi: nhập lại với --update để ghi"
        };
        println!(
            "bảng `{}`: {new} mới, {changed} thay đổi, {same} không đổi, {refused} bị từ chối; {what_vi}{hint_vi}",
            report.sheet
        );
    }
    if refused > 0 {
        1
    } else {
        0
    }
}
