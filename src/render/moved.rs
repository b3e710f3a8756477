//! A site for each address the site was published at before (`previous_base_urls`): in
//! `output/moved/<host>/`, every page and every printed code's landing of the new site has a
//! page at its old address that sends the visitor on (canonical link and an immediate meta
//! refresh, which every static host serves), with a `_redirects` file that makes it a permanent
//! redirect where the host honours one, and a 404 page that leads to the new home. Printed codes
//! that carry the old domain keep working for as long as someone serves that folder.

use crate::address;
use crate::error::Result;
use crate::output::{Emitter, OutFile};
use crate::site::Site;

/// The old addresses' sites, from the pages emitted so far under `site/`.
pub fn moved(site: &Site, emit: &Emitter) -> Result<()> {
    if site.config.previous_base_urls.is_empty() {
        return Ok(());
    }
    let pages: Vec<String> = (emit.paths_under(address::SITE).into_iter())
        .filter(|p| p.ends_with("/index.html"))
        .map(|p| p["site".len()..p.len() - "index.html".len()].to_string())
        .collect();
    let lang = site.default_language();
    let mut files = Vec::new();
    for old in &site.config.previous_base_urls {
        let host = crate::config::moved_host(old);
        let old_path = old
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("");
        let new_home = site.absolute("/");
        // `301!` makes Netlify redirect even where a file exists; Cloudflare Pages ignores that
        // line and takes the next (it always redirects before files).
        let to = &site.config.base_url;
        files.push(OutFile::bytes(
            address::moved_file(&host, "_redirects"),
            format!(
                "# {old} moved to {to}\n{old_path}/* {to}/:splat 301!\n{old_path}/* {to}/:splat 301\n"
            ),
        ));
        files.push(OutFile::bytes(
            address::moved_file(&host, "404.html"),
            redirect_page(lang, &new_home),
        ));
        for path in &pages {
            let rel = format!("{}{path}index.html", old_path.trim_start_matches('/'));
            let rel = rel.trim_start_matches('/');
            files.push(OutFile::bytes(
                address::moved_file(&host, rel),
                redirect_page(lang, &site.absolute(path)),
            ));
        }
    }
    emit.put_all(files)
}

/// A page that sends its visitor to `to` at once, and says where it went (also what `deploy`
/// puts where a host cannot redirect by itself).
pub fn redirect_page(lang: &str, to: &str) -> String {
    let to = crate::theme::escape_html(to);
    format!(
        "<!doctype html><html lang=\"{lang}\"><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width\"><title>{to}</title>\
<link rel=\"canonical\" href=\"{to}\"><meta http-equiv=\"refresh\" content=\"0; url={to}\">\
<meta name=\"robots\" content=\"noindex\"><p><a href=\"{to}\">{to}</a></p></html>\n"
    )
}
