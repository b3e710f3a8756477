//! Pairing phones, owner links and the list of paired phones.

use super::access::{client, editor, session_cookie, Admin, AdminForm, Refused, Tokened};
use super::auth::Scope;
use super::EditorApp;
use super::{html, lang, said, views};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::CookieJar;
use std::net::SocketAddr;

/// The page a pairing link opens (the link is checked, not yet used).
pub async fn pair_page(
    State(app): State<EditorApp>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let state = editor(&app);
    match state
        .auth
        .pairing_open(&token, client(peer, &headers, &state.trusted_proxies))
    {
        Ok(()) => html(StatusCode::OK, views::pair(lang(&headers), &token)),
        Err(r) => Refused::of(r, &headers).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct PairForm {
    token: String,
    #[serde(default)]
    label: String,
}

pub async fn pair(
    State(app): State<EditorApp>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<PairForm>,
) -> Response {
    let state = editor(&app);
    let auth = &state.auth;
    match auth.pair(
        &form.token,
        &form.label,
        client(peer, &headers, &state.trusted_proxies),
    ) {
        Ok(cookie) => {
            // The label as kept (one cleaned line), never as sent: it must not forge log lines.
            let label = auth.session(&cookie).map(|s| s.label).unwrap_or_default();
            println!("editor: paired `{label}`");
            (
                jar.add(session_cookie(cookie, state.secure_cookies())),
                Redirect::to("/_edit/"),
            )
                .into_response()
        }
        Err(r) => Refused::of(r, &headers).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct PairAnotherForm {
    #[serde(default)]
    csrf: String,
    /// `admin` pairs another admin's phone; anything else, a volunteer's.
    #[serde(default)]
    role: String,
}

impl Tokened for PairAnotherForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A new pairing link for another phone (a volunteer's, or an admin's), as a link and a QR
/// code.
pub async fn pair_another(AdminForm(person, form): AdminForm<PairAnotherForm>) -> Response {
    let link = person.state.pairing_link(form.role == "admin");
    let qr = qrcode::QrCode::new(link.as_bytes())
        .map(|c| {
            c.render::<qrcode::render::svg::Color>()
                .min_dimensions(240, 240)
                .build()
        })
        .unwrap_or_default();
    html(StatusCode::OK, views::pairing_link(person.lang, &link, &qr))
}

/// An owner link opened: a session for its one entry, and its form.
pub async fn owner_open(
    State(app): State<EditorApp>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Response {
    let state = editor(&app);
    let auth = &state.auth;
    match auth.open_owner(&token, client(peer, &headers, &state.trusted_proxies)) {
        Ok(cookie) => {
            let entry = auth
                .session(&cookie)
                .and_then(|s| match s.scope {
                    Scope::Entry(e) => Some(e),
                    Scope::All => None,
                })
                .unwrap_or_default();
            let to = Redirect::to(&format!("/_edit/e/{entry}"));
            (jar.add(session_cookie(cookie, state.secure_cookies())), to).into_response()
        }
        Err(r) => Refused::of(r, &headers).into_response(),
    }
}

pub async fn owners(Admin(person): Admin) -> Response {
    let links = person.state.auth.owner_links();
    html(
        StatusCode::OK,
        views::owners(person.lang, &links, &person.session.csrf, None),
    )
}

#[derive(serde::Deserialize)]
pub struct OwnerForm {
    #[serde(default)]
    csrf: String,
    entry: String,
    #[serde(default)]
    label: String,
}

impl Tokened for OwnerForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

pub async fn owner_new(AdminForm(person, form): AdminForm<OwnerForm>) -> Response {
    let (st, lang) = (&person.state, person.lang);
    let known = st
        .editor
        .config()
        .map(|c| st.editor.entries(&c).contains_key(&form.entry))
        .unwrap_or(false);
    if !known {
        return StatusCode::NOT_FOUND.into_response();
    }
    match st
        .auth
        .new_owner_link(&form.entry, &form.label, &crate::days::today())
    {
        Ok(token) => {
            let link = format!("{}/_edit/owner/{token}", st.base_url);
            let links = st.auth.owner_links();
            let page = views::owners(
                lang,
                &links,
                &person.session.csrf,
                Some((&form.entry, &link)),
            );
            html(StatusCode::OK, page)
        }
        Err(e) => said(
            StatusCode::INTERNAL_SERVER_ERROR,
            lang,
            lang.word("link_not_made"),
            &format!("{}: {e}", super::auth::OWNERS_FILE),
        ),
    }
}

/// A form naming one thing by its id: an owner link to revoke, a phone to unpair.
#[derive(serde::Deserialize)]
pub struct IdForm {
    #[serde(default)]
    csrf: String,
    id: String,
}

impl Tokened for IdForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

pub async fn owner_revoke(AdminForm(person, form): AdminForm<IdForm>) -> Response {
    let _ = person.state.auth.revoke(&form.id);
    Redirect::to("/_edit/owners").into_response()
}

pub async fn devices(Admin(person): Admin) -> Response {
    let devices = person.state.auth.devices();
    html(
        StatusCode::OK,
        views::devices(
            person.lang,
            &devices,
            &person.session.id,
            &person.session.csrf,
        ),
    )
}

pub async fn unpair(AdminForm(person, form): AdminForm<IdForm>) -> Response {
    if person.state.auth.unpair(&form.id) {
        println!("editor: {} unpaired a phone", person.session.label);
    }
    Redirect::to("/_edit/devices").into_response()
}
