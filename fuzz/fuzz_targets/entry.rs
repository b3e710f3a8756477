//! Any bytes as an entry file: the loader must answer with diagnostics, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

/// Lines as an editor counts them: CRLF, CR and LF each end one.
fn lines(data: &[u8]) -> usize {
    let text = String::from_utf8_lossy(data).replace("\r\n", "\n").replace('\r', "\n");
    text.matches('\n').count() + 1
}

fuzz_target!(|data: &[u8]| {
    for section in ["relics", "homestays"] {
        let problems = waymark::content::check_entry_bytes(data.to_vec(), Path::new("content/relics/x.md"), section);
        for p in problems {
            // Every problem names the file, and a line when it has one is inside the file.
            assert_eq!(p.file, Path::new("content/relics/x.md"));
            if let Some(line) = p.line {
                assert!(line >= 1 && line <= lines(data) + 1, "line {line}");
            }
            let _ = p.to_string();
        }
    }
});
