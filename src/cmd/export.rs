//! `waymark export`: write the entries' table and say where.

use std::path::Path;

pub fn run(site: &Path, format: &str, out: Option<&Path>) -> i32 {
    if !["csv", "xlsx"].contains(&format) {
        eprintln!("error: --format {format}: write csv or xlsx");
        return 2;
    }
    let result = crate::export::table(site).and_then(|t| {
        let bytes = match format {
            "xlsx" => crate::export::xlsx(&t)?,
            _ => crate::export::csv(&t)?,
        };
        Ok((t.rows.len(), bytes))
    });
    let (n, bytes) = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return e.exit_code();
        }
    };
    let written = match out {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                if let Err(e) = std::fs::create_dir_all(dir) {
                    eprintln!("error: {}: {e}", dir.display());
                    return 1;
                }
            }
            crate::output::write_atomic(path, &bytes)
                .map(|()| path.to_path_buf())
                .map_err(|e| crate::error::Error::io(path, e))
        }
        None => crate::export::publish(site, format, bytes),
    };
    let path = match written {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return e.exit_code();
        }
    };
    println!("exported {n} entries to {}", path.display());
    0
}
