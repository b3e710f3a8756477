//! The editor's addresses under `/_edit/`. Every one but the pairing and owner links needs a
//! paired session (a cookie: HttpOnly, SameSite=Strict); every POST also needs the session's
//! CSRF token and, when the browser sends one, an Origin of this server. An entry is named by
//! `section/slug` and looked up among the site's entries; no request path becomes a file path.
//!
//! `access` holds the extractors and the one error every handler returns, `auth` who may edit,
//! `views` the pages; the handlers are by what they serve: `entries`, `saving`, `people`,
//! `removal`, `history`, `review` (changes waiting for approval).

mod access;
pub mod auth;
mod entries;
mod history;
mod people;
mod removal;
mod review;
mod saving;
mod views;

use crate::edit::upload::MAX_REQUEST;
use crate::edit::Editor;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use views::Lang;

pub struct EditorState {
    pub editor: Editor,
    /// Who may edit: pairings, sessions, owner links.
    pub auth: auth::Auth,
    /// The address phones use (`--public-url`, else this server's), for pairing and owner
    /// links and the links to pages; no trailing slash.
    pub base_url: String,
    /// Peers whose X-Forwarded-For is believed (`--trusted-proxy`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl EditorState {
    pub fn new(
        site: &Path,
        base_url: &str,
        trusted_proxies: Vec<std::net::IpAddr>,
        idle: std::time::Duration,
        editor: Editor,
    ) -> EditorState {
        EditorState {
            editor,
            auth: auth::Auth::with_ttl(site, auth::PAIR_TTL, idle),
            base_url: base_url.trim_end_matches('/').to_string(),
            trusted_proxies,
        }
    }

    /// Cookies only over https when people reach the server by https.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// A new one-time pairing link, for an admin's phone or a volunteer's.
    pub fn pairing_link(&self, admin: bool) -> String {
        format!(
            "{}/_edit/pair/{}",
            self.base_url,
            self.auth.new_pairing(admin)
        )
    }
}

/// The longest any editor request may take.
const REQUEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// The longest a request body may send nothing.
const BODY_SILENCE: std::time::Duration = std::time::Duration::from_secs(30);

/// What a save request may carry on the wire: past `MAX_REQUEST` of kept files, further
/// files are read and dropped (so the typed text after them still arrives), up to this.
const RAW_REQUEST: usize = 4 * MAX_REQUEST;

/// What the editor's handlers are given: the server's state and the editor's.
#[derive(Clone)]
pub struct EditorApp {
    pub shared: Arc<super::ServeState>,
    pub editor: Arc<EditorState>,
}

/// The editor's routes, with their own state (axum's sub-router idiom): they need nothing of
/// the server's router.
pub fn routes<S>(app: EditorApp) -> Router<S> {
    Router::new()
        .route("/_edit", get(|| async { Redirect::to("/_edit/") }))
        .route("/_edit/", get(entries::list))
        .route("/_edit/pair/{token}", get(people::pair_page))
        .route("/_edit/pair", post(people::pair))
        .route("/_edit/pair-another", post(people::pair_another))
        .route("/_edit/owner/{token}", get(people::owner_open))
        .route("/_edit/owners", get(people::owners).post(people::owner_new))
        .route("/_edit/owners/revoke", post(people::owner_revoke))
        .route("/_edit/devices", get(people::devices))
        .route("/_edit/devices/unpair", post(people::unpair))
        .route("/_edit/activity", get(history::list))
        .route("/_edit/activity/{commit}", get(history::one))
        .route(
            "/_edit/delete/{section}/{slug}",
            get(removal::confirm).post(removal::delete),
        )
        .route("/_edit/waiting", get(review::list))
        .route("/_edit/waiting/{key}", get(review::one))
        .route("/_edit/waiting/{key}/preview", get(review::preview))
        .route("/_edit/waiting/{key}/approve", post(review::approve))
        .route("/_edit/waiting/{key}/return", post(review::send_back))
        .route("/_edit/new", post(entries::create))
        .route(
            "/_edit/e/{section}/{slug}",
            get(entries::open)
                .post(saving::save)
                .layer(DefaultBodyLimit::max(RAW_REQUEST)),
        )
        .route("/_edit/file/{section}/{slug}/{n}", get(entries::photo))
        .layer(axum::middleware::map_response(access::secure))
        // A save over 4G may take minutes (100 MB of photos); nothing takes longer. A body
        // that stops arriving is cut sooner, and its form comes back with every word.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_LIMIT,
        ))
        .layer(RequestBodyTimeoutLayer::new(BODY_SILENCE))
        .with_state(app)
}

fn lang(headers: &HeaderMap) -> Lang {
    Lang::from_header(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// An HTML answer.
fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// A page that says one thing.
fn said(status: StatusCode, lang: Lang, title: &str, text: &str) -> Response {
    html(status, views::message(lang, title, text))
}

/// Values the site uses, for suggestions: districts, communes and tags of the kept model.
pub fn suggestion_lists(site: &crate::site::Site) -> Vec<(&'static str, Vec<String>)> {
    let mut districts = BTreeSet::new();
    let mut communes = BTreeSet::new();
    let mut tags = BTreeSet::new();
    for e in &site.entries {
        districts.extend(e.matter.district.clone());
        communes.extend(e.matter.commune.clone());
        tags.extend(e.matter.tags.iter().cloned());
    }
    vec![
        ("district", districts.into_iter().collect()),
        ("commune", communes.into_iter().collect()),
        ("tags", tags.into_iter().collect()),
    ]
}

/// Every entry's title by id, drafts left out of the preview included (a volunteer finds the
/// entry they just hid by its name).
pub fn titles(site: &crate::site::Site) -> HashMap<String, String> {
    let default = site.default_language();
    site.entries
        .iter()
        .map(|e| (e.page_id(), e.matter.title.clone()))
        .chain(site.held.iter().map(|h| {
            (
                h.page_id(),
                h.titles.get(default).cloned().unwrap_or_default(),
            )
        }))
        .collect()
}
