//! What `serve` adds to HTML pages: a script that reloads on rebuild and shows build errors
//! over the page, and the same error as plain HTML for a page loaded while the site is broken.

pub const EVENTS_PATH: &str = "/_waymark/events";

const SCRIPT: &str = r#"<script>(function(){if(!window.EventSource)return;var es=new EventSource("/_waymark/events");
es.addEventListener("reload",function(e){var p=location.pathname.replace(/index\.html$/,"");
if(e.data=="ok"||e.data.split(" ").indexOf(p)>=0)location.reload()});
es.addEventListener("problem",function(e){var d=document.getElementById("waymark-overlay");
if(!d){d=document.createElement("pre");d.id="waymark-overlay";d.setAttribute("role","alert");
d.style.cssText="position:fixed;inset:0;margin:0;padding:1rem;background:rgba(40,0,0,.94);color:#fff;font:14px/1.45 monospace;white-space:pre-wrap;overflow:auto;z-index:2147483647";
document.body.appendChild(d)}d.textContent=e.data});})();</script>"#;

/// Insert the live-reload script (and, when the last build failed, the error) before `</body>`.
pub fn inject(html: &[u8], problem: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let mut extra = String::new();
    if let Some(p) = problem {
        extra.push_str(&overlay(p));
    }
    extra.push_str(SCRIPT);
    match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

pub fn overlay(problem: &str) -> String {
    format!(
        "<pre id=\"waymark-overlay\" role=\"alert\" style=\"position:fixed;inset:0;margin:0;padding:1rem;background:rgba(40,0,0,.94);color:#fff;font:14px/1.45 monospace;white-space:pre-wrap;overflow:auto;z-index:2147483647\">{}</pre>",
        escape(problem)
    )
}

/// A live-reload event for every open page: `reload` (with the pages made, or "ok") after a
/// good build, `problem` (the build's error) after a failed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEvent {
    pub name: &'static str,
    pub data: String,
}

impl LiveEvent {
    pub fn new(name: &'static str, data: &str) -> LiveEvent {
        LiveEvent {
            name,
            data: data.to_string(),
        }
    }

    /// As a server-sent event (axum writes a multi-line message as several `data:` lines, which
    /// the browser joins again).
    pub fn sse(&self) -> axum::response::sse::Event {
        axum::response::sse::Event::default()
            .event(self.name)
            .data(&self.data)
    }
}

/// The data of a `reload` event after a partial rebuild: the address of every page it changed,
/// so that only browsers showing one of them reload ("ok", all of them, when there are many).
pub fn pages(paths: &[String]) -> String {
    const MANY: usize = 500;
    let pages: Vec<String> = paths
        .iter()
        .filter_map(|p| p.strip_prefix("site/"))
        .filter_map(|p| p.strip_suffix("index.html"))
        .map(|p| format!("/{p}"))
        .collect();
    if pages.len() > MANY {
        return "ok".into();
    }
    pages.join(" ")
}

use crate::theme::escape_html as escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_body_end() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            Some("bad <b>"),
        ))
        .unwrap();
        assert!(out.contains("waymark-overlay"));
        assert!(out.contains("bad &lt;b&gt;"));
        assert!(out.ends_with("</script></body></html>"));
    }

    #[test]
    fn reload_names_the_pages_made() {
        let paths = [
            "site/relics/den/index.html",
            "site/index.html",
            "site/sw.js",
            "print/manifest.json",
        ]
        .map(String::from);
        assert_eq!(pages(&paths), "/relics/den/ /");
    }
}
