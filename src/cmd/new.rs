//! `waymark new relic|homestay "Tên"`.

use crate::site::Kind;
use std::path::Path;

pub fn run(site: &Path, kind: Kind, title: &str, lang: Option<&str>) -> i32 {
    match crate::scaffold::new_entry(site, kind, title, lang) {
        Ok(created) => {
            for f in &created.files {
                println!("created {}", f.display());
            }
            if let Some(code) = created.code {
                println!("plaque code {code} is pinned in plaques.lock");
            }
            println!("edit the file, then run `waymark serve` to see it");
            0
        }
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    }
}
