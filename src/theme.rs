//! The theme: Tera templates, UI strings per language, and static files.
//! The default theme is compiled into the binary; a site's `themes/<name>/` overrides it file by file.

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::yaml;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The fonts Waymark draws with (plaques, kit cards, share images), shipped with it under the
/// SIL Open Font License (themes/default/fonts/OFL.txt).
pub const FONT_REGULAR: &[u8] = include_bytes!("../themes/default/fonts/NotoSans-Regular.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../themes/default/fonts/NotoSans-Bold.ttf");
/// Noto Sans CJK SC Bold cut to GB 2312's 6,763 hanzi and CJK punctuation
/// (`scripts/subset-cjk-font.sh`): Chinese names on share images, 2.8 MB instead of 20.
pub const FONT_CJK_BOLD: &[u8] =
    include_bytes!("../themes/default/fonts/NotoSansSC-Bold-GB2312.otf");

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../themes/default/", $path)))),*]
    };
}

/// The default theme's files, by path inside the theme folder.
const DEFAULT_FILES: &[(&str, &str)] = embed!(
    "templates/base.html",
    "templates/card.html",
    "templates/index.html",
    "templates/section.html",
    "templates/entry.html",
    "templates/404.html",
    "templates/held.html",
    "plaque.svg",
    "kit-card.svg",
    "templates/map.html",
    "templates/style.css",
    "templates/sw.js",
    "templates/manifest.webmanifest",
    "i18n/vi.yaml",
    "i18n/en.yaml",
    "i18n/zh.yaml",
);

/// The default theme's words in `lang` (empty for a language it has none in): the editor
/// labels amenities, languages and prices with the words visitors read.
pub fn default_words(lang: &str) -> BTreeMap<String, String> {
    let path = format!("i18n/{lang}.yaml");
    DEFAULT_FILES
        .iter()
        .find(|(p, _)| *p == path)
        .and_then(|(_, text)| serde_yaml_ng::from_str(text).ok())
        .unwrap_or_default()
}

/// The default theme's static files (icons, the default sharing image), published as they are.
const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "icon.svg",
        include_bytes!("../themes/default/static/icon.svg"),
    ),
    (
        "icon-192.png",
        include_bytes!("../themes/default/static/icon-192.png"),
    ),
    (
        "icon-512.png",
        include_bytes!("../themes/default/static/icon-512.png"),
    ),
    (
        "share.png",
        include_bytes!("../themes/default/static/share.png"),
    ),
    // The map page's live map (see static/leaflet/VERSIONS.txt); no other page loads it.
    (
        "leaflet/leaflet.js",
        include_bytes!("../themes/default/static/leaflet/leaflet.js"),
    ),
    (
        "leaflet/leaflet.css",
        include_bytes!("../themes/default/static/leaflet/leaflet.css"),
    ),
    (
        "leaflet/leaflet.markercluster.js",
        include_bytes!("../themes/default/static/leaflet/leaflet.markercluster.js"),
    ),
    (
        "leaflet/LICENSE-leaflet.txt",
        include_bytes!("../themes/default/static/leaflet/LICENSE-leaflet.txt"),
    ),
    (
        "leaflet/LICENSE-markercluster.txt",
        include_bytes!("../themes/default/static/leaflet/LICENSE-markercluster.txt"),
    ),
    (
        "leaflet/VERSIONS.txt",
        include_bytes!("../themes/default/static/leaflet/VERSIONS.txt"),
    ),
];

/// A file of the theme's `static/`, from the binary or from the site's theme folder.
#[derive(Debug, Clone)]
pub enum Static {
    Embedded(&'static [u8]),
    File(PathBuf),
}

/// Templates of printed things, at the theme's top level.
const PRINT_TEMPLATES: &[&str] = &["plaque.svg", "kit-card.svg"];

pub struct Theme {
    pub tera: tera::Tera,
    /// UI strings by language, each already merged with its fallbacks.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
    /// Files to publish as they are: (path under output/site, file on disk).
    pub statics: Vec<(String, Static)>,
    pub warnings: Vec<Diagnostic>,
    /// A digest of every template and string: what pages look like (static files are copied
    /// on every build, so they need none).
    pub digest: u64,
    /// The print templates (`plaque.svg`, `kit-card.svg`) the site's theme draws its own way.
    own_print: Vec<&'static str>,
}

impl Theme {
    pub fn load(site: &Path, config: &Config) -> Result<Theme> {
        let rel_dir = PathBuf::from("themes").join(&config.theme);
        let dir = site.join(&rel_dir);
        if config.theme != "default" && !dir.is_dir() {
            return Err(Error::one(
                Diagnostic::error(crate::config::FILE, format!("theme `{}` is not in themes/", config.theme))
                    .hint("remove the `theme:` line to use the built-in theme, or create themes/<name>/templates/"),
            ));
        }
        // Every file: embedded first, then the site's own on top.
        let mut files: BTreeMap<String, (PathBuf, String)> = DEFAULT_FILES
            .iter()
            .map(|(p, text)| {
                (
                    p.to_string(),
                    (PathBuf::from("<built-in theme>").join(p), text.to_string()),
                )
            })
            .collect();
        let mut statics: BTreeMap<String, Static> = DEFAULT_STATIC
            .iter()
            .map(|(p, b)| (p.to_string(), Static::Embedded(b)))
            .collect();
        if dir.is_dir() {
            for item in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let item = item.map_err(|e| {
                    Error::one(Diagnostic::error(
                        &rel_dir,
                        format!("cannot read the theme: {e}"),
                    ))
                })?;
                if !item.file_type().is_file() {
                    continue;
                }
                let inner = item.path().strip_prefix(&dir).unwrap_or(item.path());
                let key = inner.to_string_lossy().replace('\\', "/");
                if let Some(rest) = key.strip_prefix("static/") {
                    statics.insert(rest.to_string(), Static::File(item.path().to_path_buf()));
                    continue;
                }
                if !(key.starts_with("templates/")
                    || key.starts_with("i18n/")
                    || PRINT_TEMPLATES.contains(&key.as_str()))
                {
                    continue;
                }
                let text = std::fs::read_to_string(item.path()).map_err(|e| {
                    Error::one(
                        Diagnostic::error(rel_dir.join(inner), format!("cannot read: {e}"))
                            .hint("theme files must be UTF-8 text"),
                    )
                })?;
                files.insert(key, (rel_dir.join(inner), text));
            }
        }
        let mut digest = crate::output::Digest::default();
        for (key, (_, text)) in &files {
            digest.write(key.as_bytes());
            digest.write(&[0]);
            digest.write(text.as_bytes());
            digest.write(&[0]);
        }
        let digest = digest.finish();
        let own_print = PRINT_TEMPLATES
            .iter()
            .copied()
            .filter(|name| {
                let built_in = DEFAULT_FILES
                    .iter()
                    .find(|(p, _)| p == name)
                    .map(|(_, t)| *t);
                files.get(*name).map(|(_, text)| text.as_str()) != built_in
            })
            .collect();
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml", ".svg"]);
        tera.set_escape_fn(escape_html);
        let templates: Vec<(String, String)> = files
            .iter()
            .filter_map(|(k, (_, text))| {
                let name = if PRINT_TEMPLATES.contains(&k.as_str()) {
                    Some(k.as_str())
                } else {
                    k.strip_prefix("templates/")
                };
                name.map(|n| (n.to_string(), text.clone()))
            })
            .collect();
        tera.add_raw_templates(templates)
            .map_err(|e| template_error(&e, &files))?;

        let mut warnings = Vec::new();
        let mut raw: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (k, (file, text)) in &files {
            let Some(lang) = k
                .strip_prefix("i18n/")
                .and_then(|n| n.strip_suffix(".yaml"))
            else {
                continue;
            };
            let map: BTreeMap<String, String> =
                yaml::parse(text, file, text, 1, &[]).map_err(Error::one)?;
            raw.insert(lang.to_string(), map);
        }
        let mut strings = BTreeMap::new();
        for lang in &config.languages {
            if !raw.contains_key(lang) {
                warnings.push(
                    Diagnostic::warning(rel_dir.join("i18n").join(format!("{lang}.yaml")), format!("no UI strings for `{lang}`; English ones are used"))
                        .hint(format!("copy i18n/en.yaml of the theme to themes/{}/i18n/{lang}.yaml and translate it", config.theme)),
                );
            }
            // Fallback order: English, the site's default language, then the language itself.
            let mut merged = BTreeMap::new();
            for l in ["en", config.default_language.as_str(), lang.as_str()] {
                if let Some(m) = raw.get(l) {
                    merged.extend(m.clone());
                }
            }
            strings.insert(lang.clone(), merged);
        }
        Ok(Theme {
            tera,
            strings,
            statics: statics.into_iter().collect(),
            warnings,
            digest,
            own_print,
        })
    }

    /// Whether the print template `name` is the built-in one, whatever theme the site uses.
    pub fn is_built_in(&self, name: &str) -> bool {
        !self.own_print.contains(&name)
    }

    /// Render `template` with `ctx`, naming the template when it fails.
    pub fn render(
        &self,
        template: &str,
        ctx: &tera::Context,
    ) -> std::result::Result<String, Diagnostic> {
        self.tera
            .render(template, ctx)
            .map_err(|e| template_failed(template, &e))
    }

    /// `render`'s bytes, for a page written as they are: Tera writes them from valid text, so
    /// they are not checked as UTF-8 again (3% of a cold build).
    pub fn render_bytes(
        &self,
        template: &str,
        ctx: &tera::Context,
    ) -> std::result::Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| template_failed(template, &e))?;
        Ok(out)
    }
}

fn template_failed(template: &str, e: &tera::Error) -> Diagnostic {
    Diagnostic::error(
        PathBuf::from("templates").join(template),
        format!("the template failed: {}", chain(e)),
    )
    .hint("check the variable names the template uses against README.md's theme section")
}

/// HTML (and XML) escaping of the five characters that need it, for every page, feed and form
/// Waymark writes: the one escaper of the crate. Not Tera's, which also escapes `/` and so bloats
/// every URL six-fold for no safety gain in quoted attributes and text. pulldown-cmark's own
/// escaper (already what Markdown bodies go through), so one table serves the whole site.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 16);
    // Into a String, writing cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, input);
    out
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Tera's parse errors say "--> L:C" in their text; turn that into the file's line.
fn template_error(e: &tera::Error, files: &BTreeMap<String, (PathBuf, String)>) -> Error {
    let text = chain(e);
    let name = files
        .iter()
        .filter(|(k, _)| k.starts_with("templates/"))
        .find(|(k, _)| text.contains(&format!("'{}'", &k["templates/".len()..])));
    let mut d = Diagnostic::error(
        name.map(|(_, (p, _))| p.clone())
            .unwrap_or_else(|| PathBuf::from("templates")),
        format!(
            "template error: {}",
            text.lines().next().unwrap_or("").trim()
        ),
    );
    if let Some(pos) = text.find("--> ") {
        let rest = &text[pos + 4..];
        let mut nums = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        if let (Some(l), Some(c)) = (nums.next(), nums.next()) {
            if let (Ok(l), Ok(c)) = (l.parse(), c.parse()) {
                d = d.at(l, Some(c));
                if let Some((_, (_, src))) = name {
                    d = d.with_source(src);
                }
            }
        }
    }
    let detail: Vec<&str> = text
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    Error::one(d.hint(format!(
        "fix the template syntax ({{{{ value }}}}, {{% tag %}} ... {{% endtag %}}){}",
        if detail.is_empty() {
            String::new()
        } else {
            format!("; Tera says: {}", detail.join(" "))
        }
    )))
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_the_five_characters_and_keeps_the_rest() {
        assert_eq!(
            super::escape_html("Đền <Kỳ> & \"Lừa\" 'x' M4 5h3"),
            "Đền &lt;Kỳ&gt; &amp; &quot;Lừa&quot; &#39;x&#39; M4 5h3"
        );
        assert_eq!(super::escape_html(""), "");
        assert_eq!(super::escape_html("&"), "&amp;");
    }
}
