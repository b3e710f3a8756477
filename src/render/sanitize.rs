//! Nothing may run in a visitor's browser that the theme did not put there. The HTML that
//! Markdown makes (raw HTML included) passes through ammonia: no scripts, event handlers,
//! iframes, forms or styles beyond text alignment, and links and images only to the web
//! (http, https), to phones (tel, sms, geo), to mail, or within the site.

use std::collections::HashSet;
use std::sync::OnceLock;

fn policy() -> &'static ammonia::Builder<'static> {
    static POLICY: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    POLICY.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.url_schemes(HashSet::from([
            "http", "https", "mailto", "tel", "sms", "geo",
        ]))
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        // Heading ids (anchors), footnotes and table alignment, which Markdown makes.
        .add_generic_attributes(["id"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_tags(["picture", "source"])
        .add_tag_attributes("img", ["loading", "decoding", "srcset", "sizes"])
        .add_tag_attributes("source", ["type", "srcset", "sizes"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .add_allowed_classes("sup", ["footnote-reference"])
        .add_allowed_classes("div", ["footnote-definition"])
        .add_allowed_classes("sup", ["footnote-definition-label"]);
        b
    })
}

/// The HTML with everything unsafe removed.
pub fn clean(html: &str) -> String {
    policy().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn removes_scripts_handlers_and_bad_urls_in_any_case() {
        let dirty = r#"<p onclick="x()">hi</p><script>alert(1)</script><img src=x OnError="alert(1)">
<a href="JaVaScRiPt:alert(1)">a</a><a href="&#106;avascript:alert(1)">b</a><a href=" vbscript:x">c</a>
<img src="data:image/svg+xml;base64,PHN2Zz4="><iframe src="https://evil.example"></iframe>
<div style="background:url(javascript:alert(1))">d</div><svg onload="alert(1)"></svg><form><input></form>"#;
        let out = clean(dirty).to_lowercase();
        for bad in [
            "<script",
            "onclick",
            "onerror",
            "javascript:",
            "vbscript",
            "data:",
            "<iframe",
            "style=",
            "onload",
            "<form",
            "<input",
        ] {
            assert!(!out.contains(bad), "{bad} survived: {out}");
        }
        assert!(out.contains("<p>hi</p>"));
    }

    #[test]
    fn keeps_what_markdown_makes() {
        let ok = r##"<h2 id="lich-su">Lịch sử</h2><table><tr><td style="text-align: right">1</td></tr></table><a href="/relics/x/">x</a><a href="tel:+84912">t</a><a href="geo:21.8,106.7">g</a><img src="/relics/x/a.jpg" alt="A"><sup class="footnote-reference"><a href="#1">1</a></sup>"##;
        let out = clean(ok);
        for good in [
            r#"id="lich-su""#,
            "text-align:right",
            r#"href="/relics/x/""#,
            r#"href="tel:+84912""#,
            r#"href="geo:21.8,106.7""#,
            r#"src="/relics/x/a.jpg""#,
            "footnote-reference",
        ] {
            assert!(out.contains(good), "{good} lost: {out}");
        }
    }
}
