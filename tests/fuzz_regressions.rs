//! Inputs the fuzzers (fuzz/, `cargo +nightly fuzz run ...`) once broke on, kept as tests.

use std::path::Path;

fn inputs(prefix: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn entries_report_lines_inside_the_file() {
    let cases = inputs("entry-");
    assert!(!cases.is_empty());
    for (name, bytes) in cases {
        // Lines as an editor counts them: CRLF, CR and LF each end one.
        let text = String::from_utf8_lossy(&bytes)
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        let lines = text.matches('\n').count() + 1;
        for p in waymark::content::check_entry_bytes(
            bytes.clone(),
            Path::new("content/relics/x.md"),
            "relics",
        ) {
            if let Some(l) = p.line {
                assert!(l <= lines + 1, "{name}: line {l} of {lines}: {p}");
            }
        }
    }
}

#[test]
fn markdown_text_that_looks_like_markup_stays_text() {
    struct Nowhere;
    impl waymark::render::markdown::Resolver for Nowhere {
        fn resolve(&self, _: &Path, _: &str) -> Option<String> {
            None
        }
        fn base_path(&self) -> &str {
            ""
        }
    }
    for (name, bytes) in inputs("markdown-") {
        let text = String::from_utf8_lossy(&bytes);
        let out = waymark::render::markdown::render(
            &text,
            Path::new("content/relics/x.md"),
            1,
            "vi",
            &Nowhere,
        );
        for tag in out
            .html
            .split('<')
            .skip(1)
            .map(|t| t.split('>').next().unwrap_or("").to_ascii_lowercase())
        {
            assert!(
                !tag.split_whitespace().skip(1).any(|a| a.starts_with("on")),
                "{name}: {}",
                out.html
            );
        }
        for tag in out
            .html
            .split('<')
            .skip(1)
            .map(|t| t.split('>').next().unwrap_or("").to_ascii_lowercase())
        {
            for attr in ["href=\"", "src=\""] {
                for (i, _) in tag.match_indices(attr) {
                    assert!(
                        !tag[i + attr.len()..].starts_with("javascript:"),
                        "{name}: {}",
                        out.html
                    );
                }
            }
        }
    }
}
