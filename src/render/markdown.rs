//! Markdown to HTML with pulldown-cmark: tables, footnotes, heading ids, smart punctuation,
//! and relative links between entries and to bundle files rewritten to their published URLs.

use crate::error::Diagnostic;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// Answers where a link in the content tree leads on the published site.
pub trait Resolver: Sync {
    /// `target` is relative to the site folder (e.g. `content/relics/chi-lang/index.md`), lexically normalised.
    fn resolve(&self, target: &Path, lang: &str) -> Option<String>;
    /// Prefix for site-relative links (`/x` -> base path + `/x`).
    fn base_path(&self) -> &str;
    /// The HTML of a published photo at `target` (responsive sizes), when it is one.
    fn picture(&self, _target: &Path, _alt: &str) -> Option<String> {
        None
    }
}

pub struct Rendered {
    pub html: String,
    pub problems: Vec<Diagnostic>,
}

fn options() -> Options {
    crate::content::markdown_options()
}

/// Render `body` of `file` (whose body starts at `body_line`) for a page in `lang`.
pub fn render(
    body: &str,
    file: &Path,
    body_line: usize,
    lang: &str,
    links: &dyn Resolver,
) -> Rendered {
    let mut problems = Vec::new();
    let line_of = |offset: usize| body_line + body[..offset.min(body.len())].matches('\n').count();
    let dir = file.parent().unwrap_or(Path::new(""));
    let mut events: Vec<Event> = Vec::new();
    // A bundle photo in the text becomes a <picture>: its alt text is gathered until the image ends.
    let mut photo: Option<(PathBuf, String)> = None;
    // Entries' bodies were checked when loaded; intros are checked here.
    let mut depth = crate::content::nesting::Depth::default();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if depth.step(&event) {
            problems.push(crate::content::nesting::too_deep(
                file,
                line_of(range.start),
            ));
            break;
        }
        if let Some((target, alt)) = &mut photo {
            match &event {
                Event::End(TagEnd::Image) => {
                    let html = links.picture(target, alt).unwrap_or_default();
                    events.push(Event::Html(html.into()));
                    photo = None;
                }
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
            continue;
        }
        if let Event::Start(Tag::Image { dest_url, .. }) = &event {
            if let Some(target) = local_target(dest_url, dir) {
                if links.picture(&target, "").is_some() {
                    photo = Some((target, String::new()));
                    continue;
                }
            }
        }
        let mut fix = |dest_url: &str| {
            rewrite(dest_url, dir, lang, links).unwrap_or_else(|why| {
                problems.push(link_problem(file, line_of(range.start), dest_url, why));
                "#".to_string()
            })
        };
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: fix(&dest_url).into(),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: fix(&dest_url).into(),
                title,
                id,
            }),
            other => other,
        };
        events.push(event);
    }
    add_heading_ids(&mut events);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered {
        html: super::sanitize::clean(&html),
        problems,
    }
}

/// `body` with every relative link and image address one folder deeper (`../x.md` becomes
/// `../../x.md`), for a file moved into a new subfolder: a single-file entry that becomes a
/// bundle. Only the addresses change; everything else stays byte for byte.
pub fn rebase_links(body: &str, prefix: &str) -> String {
    let relative = |d: &str| !(d.is_empty() || d.starts_with(['#', '/']) || has_scheme(d));
    let mut at: Vec<(usize, usize)> = Vec::new();
    let mut parser = Parser::new_ext(body, options()).into_offset_iter();
    for (event, range) in parser.by_ref() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &event {
            if !relative(dest_url) {
                continue;
            }
            // The address as written, after the `](` of an inline link.
            let text = &body[range.clone()];
            if let Some(i) = text
                .rfind(&format!("]({dest_url}"))
                .or_else(|| text.rfind(&format!("](<{dest_url}")))
            {
                let start = range.start + i + 2 + usize::from(text[i + 2..].starts_with('<'));
                at.push((start, start + dest_url.len()));
            }
        }
    }
    for (_, def) in parser.reference_definitions().iter() {
        if relative(&def.dest) {
            let text = &body[def.span.clone()];
            if let Some(i) = text.rfind(def.dest.as_ref()) {
                let start = def.span.start + i;
                at.push((start, start + def.dest.len()));
            }
        }
    }
    at.sort_unstable();
    at.dedup();
    let mut out = String::with_capacity(body.len() + at.len() * prefix.len());
    let mut last = 0;
    for (start, _) in at {
        out.push_str(&body[last..start]);
        out.push_str(prefix);
        last = start;
    }
    out.push_str(&body[last..]);
    out
}

fn link_problem(file: &Path, line: usize, dest: &str, why: &'static str) -> Diagnostic {
    Diagnostic::error(file, format!("link `{dest}` {why}"))
        .at(line, None)
        .hint("link to another entry by its file (`../chi-lang/index.md` or `../chi-lang.md`), to a file in this entry's folder by its name, or to a web page with https://").vi("liên kết hỏng: trỏ tới tệp của mục khác (`../chi-lang.md`), tới tệp trong thư mục này, hoặc tới trang web bắt đầu bằng https://")
}

/// A link's new address, or why it is broken.
fn rewrite(
    dest: &str,
    dir: &Path,
    lang: &str,
    links: &dyn Resolver,
) -> Result<String, &'static str> {
    let lower = dest.trim_start().to_ascii_lowercase();
    // Script in a link runs in the visitor's browser: never let content put it there.
    if ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return Err("uses a script or data address, which is not allowed");
    }
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
        return Ok(dest.to_string());
    }
    if let Some(rest) = dest.strip_prefix('/') {
        return Ok(format!("{}/{rest}", links.base_path()));
    }
    let (path, suffix) = match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    let decoded = percent_decode(path);
    let target = normalise(&dir.join(&decoded)).ok_or("leads outside the site folder")?;
    match links.resolve(&target, lang) {
        Some(url) => Ok(format!("{url}{suffix}")),
        None => Err("leads to no entry or file in the site"),
    }
}

/// The site-relative file a relative link in `dir` points at, if it is one.
fn local_target(dest: &str, dir: &Path) -> Option<PathBuf> {
    if dest.is_empty() || dest.starts_with(['#', '/']) || has_scheme(dest) {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    normalise(&dir.join(percent_decode(path)))
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) => {
            let scheme = &s[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Decode `%XX` escapes; the text as it was when the result is not UTF-8.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| s.to_string())
}

/// Resolve `.` and `..` without touching the disk; None when the path climbs above its root.
pub fn normalise(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(x) => out.push(x),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Give every heading without an explicit `{#id}` one made from its text, unique in the page.
fn add_heading_ids(events: &mut [Event]) {
    let mut used: HashMap<String, usize> = HashMap::new();
    for e in events.iter() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            used.insert(id.to_string(), 1);
        }
    }
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let mut id = crate::slug::slugify(&text);
            if id.is_empty() {
                id = "section".into();
            }
            let n = used.entry(id.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                id = format!("{id}-{}", *n - 1);
            }
            if let Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) = std::mem::replace(&mut events[i], Event::SoftBreak)
            {
                events[i] = Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes,
                    attrs,
                });
            }
            i = j;
        }
        i += 1;
    }
}

#[cfg(test)]
mod nesting_tests {
    use std::path::Path;

    #[test]
    fn deep_nesting_is_an_error_at_its_line_and_a_few_levels_are_not() {
        let f = Path::new("content/relics/a.md");
        for deep in ["> ".repeat(5000), "* ".repeat(5000), "<div>".repeat(5000)] {
            let body = format!("Đoạn một.\n\n{deep} x\n");
            let r = super::render(&body, f, 5, "vi", &super::tests::Fake);
            assert!(
                r.problems.iter().any(|p| p.message.contains("nested")),
                "{deep:.10}"
            );
        }
    }
}

#[cfg(test)]
mod rebase_tests {
    #[test]
    fn relative_addresses_go_one_folder_deeper() {
        let body = "See [the memorial](../relics/hvt/index.md#x) and ![gate](cong.jpg), [web](https://a.vn/x), [top](#top), [ref][r].\n\n[r]: ../relics/b.md\n";
        let out = super::rebase_links(body, "../");
        assert_eq!(out, "See [the memorial](../../relics/hvt/index.md#x) and ![gate](../cong.jpg), [web](https://a.vn/x), [top](#top), [ref][r].\n\n[r]: ../../relics/b.md\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) struct Fake;
    impl Resolver for Fake {
        fn resolve(&self, target: &Path, lang: &str) -> Option<String> {
            match target.to_str()? {
                "content/relics/chi-lang/index.md" | "content/relics/chi-lang" => {
                    Some(format!("/{lang}/relics/chi-lang/"))
                }
                "content/relics/hvt/cong.jpg" => Some("/relics/hvt/cong.jpg".into()),
                _ => None,
            }
        }
        fn base_path(&self) -> &str {
            "/sub"
        }
    }

    fn r(md: &str) -> Rendered {
        render(
            md,
            Path::new("content/relics/hvt/index.md"),
            10,
            "en",
            &Fake,
        )
    }

    #[test]
    fn rewrites_entry_and_bundle_links() {
        let out = r("[Chi Lăng](../chi-lang/index.md#history) ![gate](cong.jpg) [abs](/map/)");
        assert!(
            out.html.contains(r#"href="/en/relics/chi-lang/#history""#),
            "{}",
            out.html
        );
        assert!(
            out.html.contains(r#"src="/relics/hvt/cong.jpg""#),
            "{}",
            out.html
        );
        assert!(out.html.contains(r#"href="/sub/map/""#), "{}", out.html);
        assert!(out.problems.is_empty());
    }

    #[test]
    fn broken_link_names_line() {
        let out = r("text\n\n[x](../nowhere.md)");
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].line, Some(12));
    }

    #[test]
    fn script_links_are_refused() {
        let out = r("[x](JavaScript:alert(1))");
        assert_eq!(out.problems.len(), 1);
        assert!(
            !out.html.to_lowercase().contains("javascript:"),
            "{}",
            out.html
        );
    }

    #[test]
    fn heading_ids_tables_footnotes_smart_quotes() {
        let out = r("## Lịch sử\n\n## Lịch sử\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\"quoted\"[^1]\n\n[^1]: note");
        assert!(out.html.contains(r#"<h2 id="lich-su">"#), "{}", out.html);
        assert!(out.html.contains(r#"<h2 id="lich-su-1">"#), "{}", out.html);
        assert!(out.html.contains("<table>"), "{}", out.html);
        assert!(out.html.contains("\u{201c}quoted\u{201d}"), "{}", out.html);
        assert!(out.html.contains("footnote-definition"), "{}", out.html);
    }
}
