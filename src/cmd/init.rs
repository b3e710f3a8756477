//! `waymark init DIR`.

use std::path::Path;

pub fn run(dir: &Path, title: Option<&str>) -> i32 {
    match crate::scaffold::init(dir, title) {
        Ok(files) => {
            for f in &files {
                println!("created {}", dir.join(f).display());
            }
            println!("next: cd {} && waymark serve", dir.display());
            0
        }
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    }
}
