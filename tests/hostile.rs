//! Hostile content: nothing from an entry may run in a visitor's browser, and unsafe front-matter
//! URLs are refused with a clear error.

mod common;
use common::*;

const PAYLOADS: &str = r#"
Plain text survives.

<script>document.title='PWNED-script'</script>
<img src="x" onerror="document.title='PWNED-img'">
<svg onload="document.title='PWNED-svg'"><circle r="1"/></svg>
<details open ontoggle="document.title='PWNED-details'"><summary>s</summary></details>
<iframe srcdoc="<script>parent.document.title='PWNED-iframe'</script>"></iframe>
<object data="javascript:document.title='PWNED-object'"></object>
<embed src="javascript:document.title='PWNED-embed'">
<meta http-equiv="refresh" content="0;url=javascript:document.title='PWNED-meta'">
<base href="javascript:document.title='PWNED-base'//">
<style>body{background:url("javascript:document.title='PWNED-style'")}</style>
<a id="js" href="JaVaScRiPt:document.title='PWNED-link'">link</a>
<a id="ent" href="&#106;avascript:document.title='PWNED-entity'">entity</a>
<img id="data" src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+">
<div style="background-image:url(javascript:alert(1))">styled</div>
<math><mtext><table><mglyph><style><img src=x onerror="document.title='PWNED-mxss'"></style></mglyph></table></mtext></math>
<form action="javascript:document.title='PWNED-form'"><button>go</button></form>
"#;

#[test]
fn nothing_from_an_entry_runs_in_the_browser() {
    let body = format!("---\ntitle: \"Đền <script>document.title='PWNED-title'</script>\"\nsummary: \"\\\"><script>document.title='PWNED-summary'</script>\"\n---\n{PAYLOADS}");
    let s = site(&[("content/relics/den.md", &body)]);
    let out = build_ok(s.path());
    let html = read(out.join("site/relics/den/index.html"));
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    let lower = main.to_lowercase();
    for bad in [
        "<script",
        "javascript:",
        "onerror",
        "onload",
        "ontoggle",
        "<iframe",
        "<object",
        "<embed",
        "<base",
        "http-equiv",
        "data:image",
        "<form",
        "style=\"background",
    ] {
        assert!(!lower.contains(bad), "{bad} reached the page:\n{main}");
    }
    assert!(main.contains("Plain text survives."));

    // And in a real browser, after every script had its chance to run.
    let base = serve(&out.join("site"));
    let dom = chromium_dom(&format!("{base}/relics/den/"), "vi");
    let title = &dom[dom.find("<title>").unwrap()..dom.find("</title>").unwrap()];
    // A payload that ran would have replaced the whole title with its own PWNED-... marker.
    assert!(
        title.starts_with("<title>Đền &lt;script&gt;"),
        "a payload ran, or the title is not shown as text: {title}"
    );
    assert!(!dom.contains("<title>PWNED"), "a payload ran: {title}");
}

#[test]
fn front_matter_urls_must_be_web_addresses() {
    for url in [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "//evil.example",
        "ftp://x",
    ] {
        let s = site(&[(
            "content/homestays/nha.md",
            &format!("---\ntitle: Nhà\nbooking_url: \"{url}\"\n---\n"),
        )]);
        let o = build(s.path(), &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{url} accepted");
        assert!(
            err.contains("content/homestays/nha.md:3") && err.contains("not a web address"),
            "{err}"
        );
    }
}

#[test]
fn markdown_links_with_script_urls_are_errors() {
    for link in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " vbscript:x",
        "data:text/html;base64,PHNjcmlwdD4=",
    ] {
        let s = site(&[(
            "content/relics/den.md",
            &format!("---\ntitle: Đền\n---\n\n[x](<{link}>)\n"),
        )]);
        let o = build(s.path(), &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{link} accepted: {err}");
        assert!(err.contains("content/relics/den.md:5"), "{err}");
    }
}
