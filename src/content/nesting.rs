//! How deep a body's quotes, lists and HTML elements nest, bounded: an entry nested deeper is
//! an error at its line, found when it is loaded (and checked by the editor and the importer
//! before they write), so that no build or preview spends minutes on it.

use crate::error::Diagnostic;
use pulldown_cmark::{Event, Parser};
use std::path::Path;

/// How deep quotes, lists and HTML elements may nest. Pages never need more, and the HTML
/// sanitiser's cost grows with the square of the depth (100,000 nested `>` took over a minute).
pub const MAX_NESTING: usize = 100;

/// The nesting depth of a Markdown event stream: containers, and elements opened by raw HTML.
#[derive(Default)]
pub struct Depth {
    blocks: usize,
    html: usize,
}

impl Depth {
    /// Take in one event; true when the depth is now over `MAX_NESTING`.
    pub fn step(&mut self, event: &Event) -> bool {
        match event {
            Event::Start(_) => self.blocks += 1,
            Event::End(_) => self.blocks = self.blocks.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) => {
                for (i, _) in h.match_indices('<') {
                    let rest = &h[i + 1..];
                    if rest.starts_with('/') {
                        self.html = self.html.saturating_sub(1);
                    } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
                        let tag_end = rest.find('>').unwrap_or(rest.len());
                        let name: String = rest
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric())
                            .collect::<String>()
                            .to_ascii_lowercase();
                        let void = [
                            "br", "img", "hr", "input", "wbr", "source", "meta", "link", "col",
                            "area",
                        ]
                        .contains(&name.as_str());
                        if !void && !rest[..tag_end].ends_with('/') {
                            self.html += 1;
                        }
                    }
                }
            }
            _ => {}
        }
        self.blocks + self.html > MAX_NESTING
    }
}

pub fn too_deep(file: &Path, line: usize) -> Diagnostic {
    Diagnostic::error(
        file,
        format!("quotes, lists or HTML elements are nested more than {MAX_NESTING} deep here"),
    )
    .at(line, None)
    .hint("a page needs a few levels at most: remove the extra `>`, list markers or HTML tags")
    .vi(format!("trích dẫn, danh sách hoặc thẻ HTML lồng nhau quá {MAX_NESTING} tầng: bỏ bớt các dấu `>`, dấu đầu dòng hoặc thẻ HTML"))
}

/// The first place `body` nests deeper than `MAX_NESTING`, as a build would report it: for
/// checks that do not render (the editor's save).
pub fn problem(body: &str, file: &Path, body_line: usize) -> Option<Diagnostic> {
    let mut depth = Depth::default();
    for (event, range) in Parser::new_ext(body, super::markdown_options()).into_offset_iter() {
        if depth.step(&event) {
            let line = body_line + body[..range.start.min(body.len())].matches('\n').count();
            return Some(too_deep(file, line));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn deep_nesting_is_found_at_its_line_and_a_few_levels_are_not() {
        let f = Path::new("content/relics/a.md");
        for deep in ["> ".repeat(5000), "* ".repeat(5000), "<div>".repeat(5000)] {
            let body = format!("Đoạn một.\n\n{deep} x\n");
            let d = super::problem(&body, f, 5).expect("too deep");
            assert_eq!(d.line, Some(7), "{d}");
        }
        let fine = "> a\n> > b\n\n* x\n  * y\n\n<div><p>z</p></div>\n";
        assert!(super::problem(fine, f, 1).is_none());
    }
}
