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

#[test]
fn links_out_of_the_site_are_refused() {
    let s = site(&[(
        "content/relics/den/index.md",
        "---\ntitle: Đền\nimages: [cong.jpg, anh/mat-truoc.jpg]\n---\n![gate](anh/mat-truoc.jpg)\n",
    )]);
    std::os::unix::fs::symlink("/etc/passwd", s.path().join("content/relics/den/cong.jpg"))
        .unwrap();
    let photo = s.path().join("content/relics/den/anh/mat-truoc.jpg");
    std::fs::create_dir_all(photo.parent().unwrap()).unwrap();
    std::fs::write(&photo, common::media::phone_jpeg(64, 48, 1)).unwrap();
    let o = build(s.path(), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/relics/den/index.md:3") && err.contains("`cong.jpg` is a link"),
        "{err}"
    );
    // A linked entry file is not read, and says so.
    std::fs::remove_file(s.path().join("content/relics/den/cong.jpg")).unwrap();
    write(
        s.path(),
        "content/relics/den/index.md",
        "---\ntitle: Đền\nimages: [anh/mat-truoc.jpg]\n---\n![gate](anh/mat-truoc.jpg)\n",
    );
    std::os::unix::fs::symlink("/etc/hostname", s.path().join("content/relics/ngoai.md")).unwrap();
    let o = build(s.path(), &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("content/relics/ngoai.md") && err.contains("does not follow links"),
        "{err}"
    );
    let out = s.path().join("output/site");
    assert!(!out.join("relics/ngoai/index.html").exists());
    // Photos in a bundle's subfolder are published (processed, beside the page), and links to
    // them resolve; the original is not published.
    assert!(out.join("relics/den/anh-mat-truoc-64.jpg").is_file());
    assert!(!out.join("relics/den/anh/mat-truoc.jpg").exists());
    assert!(read(out.join("relics/den/index.html"))
        .contains(r#"src="/relics/den/anh-mat-truoc-64.jpg""#));
}

#[test]
fn bad_inputs_each_get_one_clear_answer() {
    // (file text, expected in the error, or None when it must be accepted)
    let long_title = "Đ".repeat(10_000);
    let big_body = "Lạng Sơn. ".repeat(1_000_000); // about 10 MB
    let cases: Vec<(String, Option<&str>)> = vec![
        ("---\ntitle: A\n\tdistrict: x\n---\n".into(), Some(":3")),
        ("---\ntitle: [a, b]\n---\n".into(), Some("invalid type")),
        // A title is one line of 200 characters at most (content::fields).
        (
            format!("---\ntitle: \"{long_title}\"\n---\n"),
            Some("more than 200"),
        ),
        (format!("---\ntitle: Lớn\n---\n{big_body}"), None),
        (
            "---\ntitle: A\ncode: ABCDEFGHIJKLMNOPQRSTU\n---\n".into(),
            Some("2 to 16 characters"),
        ),
        (
            "---\ntitle: A\nlocation: { lat: 91, lon: 106 }\n---\n".into(),
            Some("not on Earth"),
        ),
        (
            "---\ntitle: A\ndate: 31/12/2024\n---\n".into(),
            Some("not a date"),
        ),
        (
            "---\ntitle: A\nphone: gọi tôi\n---\n".into(),
            Some("not a phone number"),
        ),
        ("---\n---\n".into(), Some("missing field `title`")),
    ];
    for (text, expect) in cases {
        let s = site(&[("content/relics/a.md", &text)]);
        let o = build(s.path(), &[]);
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{err}");
        match expect {
            None => assert!(
                o.status.success(),
                "rejected: {}",
                &err[..err.len().min(400)]
            ),
            Some(what) => {
                assert_eq!(
                    o.status.code(),
                    Some(1),
                    "accepted: {}",
                    &text[..text.len().min(80)]
                );
                assert!(
                    err.contains("content/relics/a.md") && err.contains(what),
                    "{what}: {err}"
                );
            }
        }
    }
}

#[test]
fn deep_nesting_is_refused_at_its_line_instead_of_freezing_the_build() {
    for deep in [
        "> ".repeat(100_000),
        "<div>".repeat(100_000),
        "- ".repeat(100_000),
    ] {
        let s = site(&[(
            "content/relics/sau.md",
            &format!("---\ntitle: Sâu\n---\n\nĐoạn đầu.\n\n{deep}x\n"),
        )]);
        let out = build(s.path(), &[]);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(err.contains("nested more than 100 deep"), "{err}");
        assert!(err.contains("content/relics/sau.md:7"), "{err}");
    }
}
