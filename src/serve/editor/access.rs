//! Who a request comes from, checked before any handler runs: the extractors `Paired` (any
//! paired browser), `Volunteer` (not an owner link's) and `VolunteerForm` (a volunteer's posted
//! form with the session's token), the one error `Refused`, and the layer that puts the
//! security headers on every answer.

use super::auth::{Refusal, Scope, Session};
use super::views::Lang;
use super::EditorApp;
use super::{html, lang, views, EditorState};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

const COOKIE: &str = "waymark_edit";

/// Every answer under `/_edit/` (a tower layer, so no handler can forget it): no other site
/// may frame it, no cache keeps it, no link passes its address on.
pub async fn secure(mut r: Response) -> Response {
    let h = r.headers_mut();
    // A handler may allow a short private cache (a photo's original); nothing else is kept.
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // A handler may set a stricter policy of its own (a waiting change's preview: no script),
    // which must name these three too.
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ));
    // Pairing and owner links carry their token in the address: never pass it to another
    // site. (`no-referrer` would also make the browser send `Origin: null` on our own forms.)
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// Why the editor refuses a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    NotPaired,
    /// An owner link's session asking for more than its entry.
    OneEntryOnly,
    /// A POST without the session's token, or from another Origin.
    Csrf,
    TooMany,
    BadLink,
    /// A volunteer asking for what only an admin may do.
    AdminOnly,
}

/// The one error of the editor's handlers: a refusal, answered in the asker's language.
pub struct Refused {
    why: Why,
    lang: Lang,
}

impl Refused {
    pub fn new(why: Why, headers: &HeaderMap) -> Refused {
        Refused {
            why,
            lang: lang(headers),
        }
    }

    /// A refusal of the pairing and owner links.
    pub fn of(r: Refusal, headers: &HeaderMap) -> Refused {
        let why = match r {
            Refusal::TooMany => Why::TooMany,
            Refusal::BadLink => Why::BadLink,
        };
        Refused::new(why, headers)
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let (status, key) = match self.why {
            Why::NotPaired => (StatusCode::FORBIDDEN, "refused_not_paired"),
            Why::OneEntryOnly => (StatusCode::FORBIDDEN, "refused_one_entry"),
            Why::Csrf => (StatusCode::FORBIDDEN, "refused_csrf"),
            Why::TooMany => (StatusCode::TOO_MANY_REQUESTS, "refused_too_many"),
            Why::BadLink => (StatusCode::FORBIDDEN, "refused_bad_link"),
            Why::AdminOnly => (StatusCode::FORBIDDEN, "refused_admin_only"),
        };
        let lang = self.lang;
        html(
            status,
            views::message(lang, lang.word("not_allowed"), lang.word(key)),
        )
    }
}

/// A paired browser, a volunteer's or an owner's: the extractor every editor address but the
/// pairing and owner links takes, so none can forget it.
pub struct Paired {
    pub state: Arc<EditorState>,
    pub session: Session,
    pub lang: Lang,
    headers: HeaderMap,
}

impl FromRequestParts<EditorApp> for Paired {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, app: &EditorApp) -> Result<Self, Refused> {
        let state = editor(app);
        let jar = CookieJar::from_headers(&parts.headers);
        let session = jar
            .get(COOKIE)
            .and_then(|c| state.auth.session(c.value()))
            .ok_or_else(|| Refused::new(Why::NotPaired, &parts.headers))?;
        Ok(Paired {
            state,
            session,
            lang: lang(&parts.headers),
            headers: parts.headers.clone(),
        })
    }
}

impl Paired {
    fn refuse(&self, why: Why) -> Refused {
        Refused {
            why,
            lang: self.lang,
        }
    }

    /// A POST: the session's own token, and this server's Origin when the browser sends one.
    pub fn csrf(&self, token: &str) -> Result<(), Refused> {
        if same_origin(&self.headers) && self.session.csrf_ok(token) {
            Ok(())
        } else {
            Err(self.refuse(Why::Csrf))
        }
    }

    /// Entry `id` is this session's to edit (every entry for a volunteer, one for an owner).
    pub fn may_edit(&self, id: &str) -> Result<(), Refused> {
        if self.session.may_edit(id) {
            Ok(())
        } else {
            Err(self.refuse(Why::OneEntryOnly))
        }
    }

    /// An owner link's session: the entry is all it may edit, and its code stays as it is.
    pub fn is_owner(&self) -> bool {
        self.session.scope != Scope::All
    }

    /// An admin's phone: it pairs others, makes owner links, deletes.
    pub fn is_admin(&self) -> bool {
        self.session.admin && !self.is_owner()
    }
}

/// A form that carries the session's CSRF token.
pub trait Tokened {
    fn csrf(&self) -> &str;
}

/// A volunteer's posted form, read and its token checked before the handler runs.
pub struct VolunteerForm<T>(pub Paired, pub T);

impl<T> FromRequest<EditorApp> for VolunteerForm<T>
where
    T: serde::de::DeserializeOwned + Tokened + Send,
{
    type Rejection = Response;

    async fn from_request(req: Request, app: &EditorApp) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Volunteer(p) = Volunteer::from_request_parts(&mut parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        let req = Request::from_parts(parts, body);
        let Form(f) = Form::<T>::from_request(req, app)
            .await
            .map_err(IntoResponse::into_response)?;
        p.csrf(f.csrf()).map_err(IntoResponse::into_response)?;
        Ok(VolunteerForm(p, f))
    }
}

/// A paired volunteer: an owner link's session is refused.
pub struct Volunteer(pub Paired);

impl FromRequestParts<EditorApp> for Volunteer {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, app: &EditorApp) -> Result<Self, Refused> {
        let p = Paired::from_request_parts(parts, app).await?;
        if p.is_owner() {
            return Err(p.refuse(Why::OneEntryOnly));
        }
        Ok(Volunteer(p))
    }
}

/// An admin's phone.
pub struct Admin(pub Paired);

impl FromRequestParts<EditorApp> for Admin {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, app: &EditorApp) -> Result<Self, Refused> {
        let Volunteer(p) = Volunteer::from_request_parts(parts, app).await?;
        if !p.is_admin() {
            return Err(p.refuse(Why::AdminOnly));
        }
        Ok(Admin(p))
    }
}

/// An admin's posted form, its token checked.
pub struct AdminForm<T>(pub Paired, pub T);

impl<T> FromRequest<EditorApp> for AdminForm<T>
where
    T: serde::de::DeserializeOwned + Tokened + Send,
{
    type Rejection = Response;

    async fn from_request(req: Request, app: &EditorApp) -> Result<Self, Response> {
        let VolunteerForm(p, form) = VolunteerForm::<T>::from_request(req, app).await?;
        if !p.is_admin() {
            return Err(p.refuse(Why::AdminOnly).into_response());
        }
        Ok(AdminForm(p, form))
    }
}

pub fn editor(app: &EditorApp) -> Arc<EditorState> {
    app.editor.clone()
}

/// No Origin (an older browser), or this server's.
fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match headers
        .get(header::ORIGIN)
        .map(|o| o.to_str().unwrap_or(""))
    {
        None => true,
        Some(origin) => host
            .is_some_and(|h| origin == format!("http://{h}") || origin == format!("https://{h}")),
    }
}

/// The session's cookie: never read by scripts, never sent from another site's page, and
/// over https only when the server is reached by https (`--public-url https://…`). It outlives
/// the browser (a phone short of memory closes it, and Zalo's browser ends with the chat), for
/// the longest a browser keeps a cookie: the server ends the session itself, after
/// `--idle-days` unused or when an admin unpairs the phone.
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((COOKIE, token))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .path("/_edit")
        .max_age(COOKIE_LIFETIME)
        .build()
}

/// Chrome keeps a cookie at most 400 days.
const COOKIE_LIFETIME: time::Duration = time::Duration::days(400);

/// The client a wrong try is counted against: the connection's address, or, when it comes
/// from a reverse proxy named by `--trusted-proxy` (Caddy in front of `serve`), the address
/// the proxy saw, which it puts last in X-Forwarded-For. Otherwise every phone would share the
/// proxy's address, and one guesser would keep them all out; from any other peer the header
/// is the client's own word, and ignored.
pub fn client(peer: SocketAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer.ip().to_canonical()) {
        return peer.ip();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .last()
        .and_then(|ip| ip.trim().parse().ok())
        .unwrap_or(peer.ip())
}
