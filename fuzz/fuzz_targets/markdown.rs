//! Any text as an entry's Markdown body: rendering never panics, and what comes out is safe.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use waymark::render::markdown::{render, Resolver};

struct Nowhere;
impl Resolver for Nowhere {
    fn resolve(&self, target: &Path, _lang: &str) -> Option<String> {
        target.to_str().filter(|t| t.ends_with("ok.md")).map(|_| "/relics/ok/".to_string())
    }
    fn base_path(&self) -> &str {
        ""
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let out = render(text, Path::new("content/relics/x/index.md"), 4, "vi", &Nowhere);
    // Look inside tags only: the same words as escaped text are harmless.
    for tag in out.html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("").to_ascii_lowercase()) {
        assert!(!tag.starts_with("script"), "script tag in {}", out.html);
        // Only addresses matter: an id or text may say "javascript:" harmlessly.
        for attr in ["href=\"", "src=\"", "action=\""] {
            for (i, _) in tag.match_indices(attr) {
                let value = tag[i + attr.len()..].trim_start();
                assert!(!value.starts_with("javascript:"), "javascript: address in {}", out.html);
            }
        }
        let handler = tag.split_whitespace().skip(1).any(|a| a.starts_with("on") && a.contains('='));
        assert!(!handler, "event handler in {}", out.html);
    }
});
