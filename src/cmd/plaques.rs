//! `waymark plaques`: print files only, with print options.

use crate::error::{Error, Result};
use crate::plaque::layout::Size;
use crate::BuildOptions;
use std::path::PathBuf;

pub struct Args {
    pub site: PathBuf,
    pub size: Option<String>,
    pub codes: Option<String>,
    pub sheet: Option<String>,
    pub out: Option<PathBuf>,
}

pub fn run(args: &Args) -> i32 {
    match plaques(args) {
        Ok((out, n)) => {
            println!("made {n} plaque(s) in {}", out.display());
            0
        }
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    }
}

fn plaques(args: &Args) -> Result<(PathBuf, usize)> {
    let _lock = crate::lock::SiteLock::take(&args.site);
    let mut timings = Vec::new();
    let opts = BuildOptions {
        site: args.site.clone(),
        ..BuildOptions::default()
    };
    let crate::Loaded { site, theme } = crate::load(&opts, &mut timings)?;
    let mut popts = crate::plaque::options_from_config(&site)?;
    if let Some(s) = &args.size {
        popts.size = Size::parse(s)
            .ok_or_else(|| Error::Usage(format!("--size {s}: use a6, sticker or a4")))?;
    }
    popts.sheets = match args.sheet.as_deref() {
        None => false,
        Some("a4") | Some("A4") => true,
        Some(other) => {
            return Err(Error::Usage(format!(
                "--sheet {other}: only a4 sheets are made"
            )))
        }
    };
    if let Some(list) = &args.codes {
        popts.codes = list
            .split(',')
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect();
        let unknown: Vec<&String> = popts
            .codes
            .iter()
            .filter(|c| site.entry_by_code(c).is_none())
            .collect();
        if !unknown.is_empty() {
            return Err(Error::Usage(format!(
                "no entry has the code(s) {}; see print/manifest.json for the codes",
                unknown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let out = args.out.clone().unwrap_or_else(|| {
        args.site
            .join("output")
            .join(format!("plaques-{}", popts.size.name()))
    });
    crate::output::check_target(&out, false)?;
    let writer = crate::output::Writer::begin(&out)?;
    let emit = crate::output::Emitter::new(&writer);
    let symbols = crate::qr::Cache::on_disk(&site.root);
    let (warnings, _) = crate::plaque::render(&site, &theme, &popts, &symbols, &emit)?;
    for w in &warnings {
        eprintln!("{w}\n");
    }
    let n = emit.count(|p| p.starts_with("print/plaques/") && p.ends_with(".pdf"));
    drop(emit);
    writer.finish()?;
    Ok((out, n))
}
