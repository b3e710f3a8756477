//! The editor's addresses under `/_edit/`. Every one but the pairing and owner links needs a
//! paired session (a cookie: HttpOnly, SameSite=Strict); every POST also needs the session's
//! CSRF token and, when the browser sends one, an Origin of this server. An entry is named by
//! `section/slug` and looked up among the site's entries; no request path becomes a file path.

use super::http::App;
use crate::edit::auth::{Refusal, Scope, Session};
use crate::edit::form::{self, FieldMsg};
use crate::edit::pages::{self, Lang};
use crate::edit::upload::{Upload, MAX_FILE, MAX_REQUEST};
use crate::edit::{Editor, Failed};
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, FromRequestParts, Multipart, Path, Query, State,
};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::sync::Arc;

const COOKIE: &str = "waymark_edit";

pub struct EditorState {
    pub editor: Editor,
    /// The address phones use, for pairing links.
    pub base_url: String,
}

/// What a save request may carry on the wire: past `MAX_REQUEST` of kept files, further
/// files are read and dropped (so the typed text after them still arrives), up to this.
const RAW_REQUEST: usize = 4 * MAX_REQUEST;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/_edit", get(|| async { Redirect::to("/_edit/") }))
        .route("/_edit/", get(list))
        .route("/_edit/pair/{token}", get(pair_page))
        .route("/_edit/pair", post(pair))
        .route("/_edit/pair-another", post(pair_another))
        .route("/_edit/owner/{token}", get(owner_open))
        .route("/_edit/owners", get(owners).post(owner_new))
        .route("/_edit/owners/revoke", post(owner_revoke))
        .route("/_edit/devices", get(devices))
        .route("/_edit/devices/unpair", post(unpair))
        .route(
            "/_edit/delete/{section}/{slug}",
            get(delete_page).post(delete),
        )
        .route("/_edit/new", post(create))
        .route(
            "/_edit/e/{section}/{slug}",
            get(open)
                .post(save)
                .layer(DefaultBodyLimit::max(RAW_REQUEST)),
        )
        .route("/_edit/file/{section}/{slug}/{n}", get(photo))
        .layer(axum::middleware::map_response(secure))
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

/// Every answer under `/_edit/` (a tower layer, so no handler can forget it): no other site
/// may frame it, no cache keeps it, no link passes its address on.
async fn secure(mut r: Response) -> Response {
    let h = r.headers_mut();
    // A handler may allow a short private cache (a photo's original); nothing else is kept.
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    );
    // Pairing and owner links carry their token in the address: never pass it to another
    // site. (`no-referrer` would also make the browser send `Origin: null` on our own forms.)
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "x-content-type-options",
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
}

/// The one error of the editor's handlers: a refusal, answered in the asker's language.
pub struct Refused {
    why: Why,
    lang: Lang,
}

impl Refused {
    fn new(why: Why, headers: &HeaderMap) -> Refused {
        Refused {
            why,
            lang: lang(headers),
        }
    }

    /// A refusal of the pairing and owner links.
    fn of(r: Refusal, headers: &HeaderMap) -> Refused {
        let why = match r {
            Refusal::TooMany => Why::TooMany,
            Refusal::BadLink => Why::BadLink,
        };
        Refused::new(why, headers)
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let (status, vi, en) = match self.why {
            Why::NotPaired => (
                StatusCode::FORBIDDEN,
                "Điện thoại này chưa được ghép. Mở đường dẫn ghép mà `waymark serve --edit` in ra (hoặc quét mã QR của nó).",
                "This browser is not paired. Open the pairing link that `waymark serve --edit` printed (or scan its QR code).",
            ),
            Why::OneEntryOnly => (
                StatusCode::FORBIDDEN,
                "Đường dẫn của bạn chỉ mở được một mục.",
                "Your link opens one entry only.",
            ),
            Why::Csrf => (
                StatusCode::FORBIDDEN,
                "Yêu cầu này không đến từ trang soạn thảo (hoặc trang đã cũ): mở lại trang và thử lại.",
                "This request did not come from the editor's own page (or the page is old): open it again and retry.",
            ),
            Why::TooMany => (
                StatusCode::TOO_MANY_REQUESTS,
                "Thử sai quá nhiều lần. Đợi một phút rồi thử lại.",
                "Too many wrong tries. Wait a minute and try again.",
            ),
            Why::BadLink => (
                StatusCode::FORBIDDEN,
                "Đường dẫn này không dùng được (sai, đã dùng, đã hết hạn hoặc đã bị thu hồi). Xin một đường dẫn mới.",
                "This link does not work (wrong, used, expired or revoked). Ask for a new one.",
            ),
        };
        let l = self.lang;
        html(
            status,
            pages::message(l, l.t("Không được phép", "Not allowed"), l.t(vi, en)),
        )
    }
}

/// A paired browser, a volunteer's or an owner's: the extractor every editor address but the
/// pairing and owner links takes, so none can forget it.
pub struct Paired {
    st: Arc<EditorState>,
    s: Session,
    lang: Lang,
    headers: HeaderMap,
}

impl FromRequestParts<App> for Paired {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Refused> {
        let st = editor(app);
        let jar = CookieJar::from_headers(&parts.headers);
        let s = session(&st, &jar).ok_or_else(|| Refused::new(Why::NotPaired, &parts.headers))?;
        Ok(Paired {
            st,
            s,
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
    fn csrf(&self, token: &str) -> Result<(), Refused> {
        if post_ok(&self.headers, &self.s, Some(token)) {
            Ok(())
        } else {
            Err(self.refuse(Why::Csrf))
        }
    }

    /// Entry `id` is this session's to edit (every entry for a volunteer, one for an owner).
    fn may_edit(&self, id: &str) -> Result<(), Refused> {
        if self.s.may_edit(id) {
            Ok(())
        } else {
            Err(self.refuse(Why::OneEntryOnly))
        }
    }
}

/// A form that carries the session's CSRF token.
trait Tokened {
    fn csrf(&self) -> &str;
}

/// A volunteer's posted form, read and its token checked before the handler runs.
pub struct VolunteerForm<T>(Paired, T);

impl<T> axum::extract::FromRequest<App> for VolunteerForm<T>
where
    T: serde::de::DeserializeOwned + Tokened + Send,
{
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, app: &App) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Volunteer(p) = Volunteer::from_request_parts(&mut parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        let req = axum::extract::Request::from_parts(parts, body);
        let Form(f) = Form::<T>::from_request(req, app)
            .await
            .map_err(IntoResponse::into_response)?;
        p.csrf(f.csrf()).map_err(IntoResponse::into_response)?;
        Ok(VolunteerForm(p, f))
    }
}

/// A paired volunteer: an owner link's session is refused.
pub struct Volunteer(Paired);

impl FromRequestParts<App> for Volunteer {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Refused> {
        let p = Paired::from_request_parts(parts, app).await?;
        if p.s.scope != Scope::All {
            return Err(p.refuse(Why::OneEntryOnly));
        }
        Ok(Volunteer(p))
    }
}

fn session(st: &EditorState, jar: &CookieJar) -> Option<Session> {
    st.editor.auth.session(jar.get(COOKIE)?.value())
}

fn editor(app: &App) -> Arc<EditorState> {
    app.editor
        .clone()
        .expect("editor routes exist only with the editor")
}

/// A POST from a page of this server: same Origin (when sent) and the session's token.
fn post_ok(headers: &HeaderMap, s: &Session, csrf: Option<&str>) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_ok = match headers
        .get(header::ORIGIN)
        .map(|o| o.to_str().unwrap_or(""))
    {
        None => true,
        Some(origin) => host
            .is_some_and(|h| origin == format!("http://{h}") || origin == format!("https://{h}")),
    };
    origin_ok && csrf.is_some_and(|t| s.csrf_ok(t))
}

fn session_cookie(token: String) -> Cookie<'static> {
    Cookie::build((COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/_edit")
        .build()
}

/// The client a wrong try is counted against: the connection's address, or, when it comes
/// from a reverse proxy on this machine (Caddy in front of `serve`), the address the proxy
/// saw, which it appends last to X-Forwarded-For. Otherwise every phone would share the
/// proxy's address, and one guesser would keep them all out.
fn client(peer: SocketAddr, headers: &HeaderMap) -> std::net::IpAddr {
    if !peer.ip().is_loopback() {
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

async fn pair_page(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let st = editor(&app);
    match st.editor.auth.pairing_open(&token, client(peer, &headers)) {
        Ok(()) => html(StatusCode::OK, pages::pair(lang(&headers), &token)),
        Err(r) => Refused::of(r, &headers).into_response(),
    }
}

#[derive(serde::Deserialize)]
struct PairForm {
    token: String,
    #[serde(default)]
    label: String,
}

async fn pair(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(f): Form<PairForm>,
) -> Response {
    let st = editor(&app);
    match st
        .editor
        .auth
        .pair(&f.token, &f.label, client(peer, &headers))
    {
        Ok(cookie) => {
            // The label as kept (one cleaned line), never as sent: it must not forge log lines.
            let label = st
                .editor
                .auth
                .session(&cookie)
                .map(|s| s.label)
                .unwrap_or_default();
            println!("editor: paired `{label}`");
            (jar.add(session_cookie(cookie)), Redirect::to("/_edit/")).into_response()
        }
        Err(r) => Refused::of(r, &headers).into_response(),
    }
}

#[derive(serde::Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

impl Tokened for CsrfForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn pair_another(
    headers: HeaderMap,
    VolunteerForm(p, _): VolunteerForm<CsrfForm>,
) -> Response {
    let (st, _) = (p.st, p.s);
    let link = format!(
        "{}/_edit/pair/{}",
        st.base_url,
        st.editor.auth.new_pairing()
    );
    let qr = qrcode::QrCode::new(link.as_bytes())
        .map(|c| {
            c.render::<qrcode::render::svg::Color>()
                .min_dimensions(240, 240)
                .build()
        })
        .unwrap_or_default();
    html(
        StatusCode::OK,
        pages::pairing_link(lang(&headers), &link, &qr),
    )
}

async fn owner_open(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Response {
    let st = editor(&app);
    match st.editor.auth.open_owner(&token, client(peer, &headers)) {
        Ok(cookie) => {
            let entry = st
                .editor
                .auth
                .session(&cookie)
                .and_then(|s| match s.scope {
                    Scope::Entry(e) => Some(e),
                    Scope::All => None,
                })
                .unwrap_or_default();
            (
                jar.add(session_cookie(cookie)),
                Redirect::to(&format!("/_edit/e/{entry}")),
            )
                .into_response()
        }
        Err(r) => Refused::of(r, &headers).into_response(),
    }
}

#[derive(serde::Deserialize)]
struct ListQuery {
    #[serde(default)]
    q: String,
}

async fn list(
    State(app): State<App>,
    headers: HeaderMap,
    p: Paired,
    Query(query): Query<ListQuery>,
) -> Response {
    let (st, s) = (p.st, p.s);
    if let Scope::Entry(e) = &s.scope {
        return Redirect::to(&format!("/_edit/e/{e}")).into_response();
    }
    let shared = app.shared.clone();
    let l = lang(&headers);
    let body = tokio::task::spawn_blocking(move || {
        let config = match st.editor.config() {
            Ok(c) => c,
            Err(e) => {
                let why = format!(
                    "{} {e}",
                    l.t(
                        "Tệp site.yaml của trang đang lỗi, nhờ người quản lý trang sửa:",
                        "The site's site.yaml has a problem; ask whoever runs the site to fix it:"
                    )
                );
                return pages::message(l, l.t("Chưa mở được", "Cannot open"), &why);
            }
        };
        let files = st.editor.entries(&config);
        // (errors, warnings) by file, counted once: the list may hold 10,000 entries.
        let mut by_file: HashMap<std::path::PathBuf, (usize, usize)> = HashMap::new();
        for d in shared.diagnostics.read().iter() {
            let n = by_file.entry(d.file.clone()).or_default();
            if d.is_error() {
                n.0 += 1;
            } else {
                n.1 += 1;
            }
        }
        let titles = shared.titles.read();
        let mut codes = crate::ledger::Ledger::load(&st.editor.site)
            .map(|l| crate::edit::manage::codes_by_page(&l))
            .unwrap_or_default();
        let listed: Vec<pages::Listed> = files
            .iter()
            .map(|(id, f)| {
                let (errors, warnings) = std::iter::once(&f.file)
                    .chain(f.translations.values())
                    .filter_map(|p| by_file.get(p))
                    .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
                pages::Listed {
                    id,
                    title: titles.get(id).cloned().unwrap_or_else(|| id.clone()),
                    codes: codes.remove(id.as_str()).unwrap_or_default(),
                    errors,
                    warnings,
                }
            })
            .collect();
        let broken = shared.problem.read().is_some();
        // Errors in a file that is no entry's (plaques.lock, site.yaml, the theme): named, since
        // no entry's mark leads to them.
        let entry_files: std::collections::HashSet<&std::path::Path> = files
            .values()
            .flat_map(|f| std::iter::once(&f.file).chain(f.translations.values()))
            .map(|p| p.as_path())
            .collect();
        let mut other: Vec<(String, String)> = Vec::new();
        for d in shared.diagnostics.read().iter() {
            if d.is_error() && !entry_files.contains(d.file.as_path()) {
                let text = l
                    .t(d.vi.as_deref().unwrap_or(&d.message), &d.message)
                    .to_string();
                other.push((d.file.display().to_string(), text));
            }
        }
        pages::list(
            l,
            &listed,
            &query.q,
            &s.csrf,
            broken.then_some(other.as_slice()),
        )
    })
    .await
    .unwrap_or_default();
    html(StatusCode::OK, body)
}

#[derive(serde::Deserialize)]
struct NewForm {
    #[serde(default)]
    csrf: String,
    kind: String,
    title: String,
}

impl Tokened for NewForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn create(headers: HeaderMap, VolunteerForm(p, f): VolunteerForm<NewForm>) -> Response {
    let (st, s) = (p.st, p.s);
    let Some(kind) = pages::kind_of(&f.kind) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let l = lang(&headers);
    let title = f.title.trim().to_string();
    let made =
        tokio::task::spawn_blocking(move || match st.editor.new_title_problem(kind, &title) {
            Some(problem) => Ok(Err(problem)),
            None => st.editor.create(kind, &title, &s.label).map(Ok),
        })
        .await;
    match made {
        Ok(Ok(Err((en, vi)))) => html(
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::message(l, l.t("Chưa tạo được", "Not created"), l.t(&vi, &en)),
        ),
        Ok(Ok(Ok(id))) => Redirect::to(&format!("/_edit/e/{id}")).into_response(),
        Ok(Err(e)) => html(
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::message(
                l,
                l.t("Chưa tạo được", "Not created"),
                &format!(
                    "{}: {e}",
                    l.t("Chưa tạo được mục mới", "The new entry was not made")
                ),
            ),
        ),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(serde::Deserialize)]
struct OpenQuery {
    #[serde(default)]
    saved: Option<String>,
}

async fn open(
    State(app): State<App>,
    headers: HeaderMap,
    p: Paired,
    Path((section, slug)): Path<(String, String)>,
    Query(q): Query<OpenQuery>,
) -> Response {
    let id = format!("{section}/{slug}");
    if let Err(r) = p.may_edit(&id) {
        return r.into_response();
    }
    let (st, s) = (p.st, p.s);
    let l = lang(&headers);
    let shared = app.shared.clone();
    let notice = q.saved.map(|_| {
        format!(
            "{} <a href=\"/{}/\" target=\"_blank\">{}</a>",
            l.t(
                "Đã lưu. Trang xem trước cập nhật sau giây lát:",
                "Saved. The preview updates in a moment:"
            ),
            pages::esc(&id),
            l.t("xem trang", "view the page")
        )
    });
    let (status, body) = tokio::task::spawn_blocking(move || match st.editor.open(&id) {
        Ok(opened) => (
            StatusCode::OK,
            form_page(&shared, &st.editor, l, opened, &s, &[], notice),
        ),
        Err(f) => failed_page(l, &id, f),
    })
    .await
    .unwrap_or((StatusCode::INTERNAL_SERVER_ERROR, String::new()));
    html(status, body)
}

fn form_page(
    shared: &super::Shared,
    editor: &Editor,
    l: Lang,
    mut opened: crate::edit::Opened,
    s: &Session,
    msgs: &[FieldMsg],
    notice: Option<String>,
) -> String {
    editor.offer_gps(&mut opened);
    let opened = &opened;
    let problems: Vec<crate::error::Diagnostic> = shared
        .diagnostics
        .read()
        .iter()
        .filter(|d| {
            d.file == opened.files.file || opened.files.translations.values().any(|t| *t == d.file)
        })
        .cloned()
        .collect();
    let suggestions = pages::suggestions(&shared.suggestions());
    pages::entry_form(&pages::FormView {
        lang: l,
        opened,
        csrf: &s.csrf,
        msgs,
        problems: &problems,
        notice,
        owner: s.scope != Scope::All,
        suggestions: &suggestions,
    })
}

/// A field someone else changed meanwhile: what they wrote, beside this person's own value.
fn clash_msg(c: &crate::edit::merge::Clash) -> FieldMsg {
    let theirs = if c.theirs.trim().is_empty() {
        "(trống)".to_string()
    } else {
        c.theirs.clone()
    };
    FieldMsg::error(
        &c.field,
        format!("While you were editing, someone else changed this to: «{theirs}». The box holds what you typed: keep it or change it, then save again."),
        format!("Trong lúc bạn sửa, người khác đã đổi mục này thành: «{theirs}». Ô này đang giữ nội dung bạn gõ: giữ nguyên hoặc sửa lại, rồi bấm Lưu."),
    )
}

fn failed_page(l: Lang, id: &str, f: Failed) -> (StatusCode, String) {
    match f {
        Failed::Gone => (
            StatusCode::NOT_FOUND,
            pages::message(
                l,
                id,
                l.t(
                    "Không có mục này (có thể đã đổi tên hoặc xoá).",
                    "There is no such entry (it may have been renamed or removed).",
                ),
            ),
        ),
        Failed::Io(e) => (StatusCode::INTERNAL_SERVER_ERROR, pages::message(l, id, &e)),
        Failed::Conflict {
            file,
            on_disk,
            yours,
        } => (
            StatusCode::CONFLICT,
            pages::conflict(l, id, &file.display().to_string(), &on_disk, &yours),
        ),
        Failed::Clash { clashes, .. } => (
            StatusCode::CONFLICT,
            pages::message(
                l,
                id,
                &clashes
                    .iter()
                    .map(|c| l.t(&clash_msg(c).vi, &clash_msg(c).en).to_string())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ),
        Failed::Invalid(msgs) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::message(
                l,
                id,
                &msgs
                    .iter()
                    .map(|m| l.t(&m.vi, &m.en).to_string())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ),
    }
}

async fn save(
    State(app): State<App>,
    headers: HeaderMap,
    p: Paired,
    Path((section, slug)): Path<(String, String)>,
    mut multipart: Multipart,
) -> Response {
    let id = format!("{section}/{slug}");
    if let Err(r) = p.may_edit(&id) {
        return r.into_response();
    }
    let l = lang(&headers);
    // The form's fields and files. A file over the limit is passed over and the fields after
    // it are still read, and a request cut short keeps what came before: the form comes back
    // with every word typed.
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut files: Vec<(String, Upload)> = Vec::new();
    let mut too_big: Vec<String> = Vec::new();
    let mut cut_short = false;
    let mut kept = 0;
    'fields: loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                cut_short = true;
                break;
            }
        };
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                let mut field = field;
                let mut bytes = Vec::new();
                let mut over = false;
                loop {
                    match field.chunk().await {
                        Ok(Some(c)) if over => drop(c),
                        Ok(Some(c)) => {
                            if bytes.len() + c.len() > MAX_FILE
                                || kept + bytes.len() + c.len() > MAX_REQUEST
                            {
                                over = true;
                                bytes = Vec::new();
                            } else {
                                bytes.extend_from_slice(&c);
                            }
                        }
                        Ok(None) => break,
                        Err(_) => {
                            cut_short = true;
                            break 'fields;
                        }
                    }
                }
                if over {
                    too_big.push(file_name);
                    continue;
                }
                kept += bytes.len();
                files.push((
                    name,
                    Upload {
                        name: file_name,
                        bytes,
                    },
                ));
            }
            None => match field.text().await {
                Ok(t) => pairs.push((name, t)),
                Err(_) => {
                    cut_short = true;
                    break;
                }
            },
        }
    }
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    // The form is multipart, read above: its token is checked here, not by an extractor.
    if let Err(r) = p.csrf(csrf.unwrap_or("")) {
        return r.into_response();
    }
    let (st, s) = (p.st, p.s);
    let shared = app.shared.clone();
    let (status, body, to) = tokio::task::spawn_blocking(move || {
        let opened = match st.editor.open(&id) {
            Ok(o) => o,
            Err(f) => {
                let (status, body) = failed_page(l, &id, f);
                return (status, body, None);
            }
        };
        if cut_short || !too_big.is_empty() {
            let mut msgs: Vec<FieldMsg> = too_big
                .iter()
                .map(|name| {
                    FieldMsg::error(
                        "photos",
                        format!("`{name}` is too large (a photo may be {} MB, one save {} MB): nothing was saved; what you typed is below, choose a smaller photo or fewer at a time", MAX_FILE >> 20, MAX_REQUEST >> 20),
                        format!("tệp `{name}` quá lớn (mỗi ảnh tối đa {} MB, mỗi lần lưu {} MB): chưa lưu gì; nội dung bạn gõ vẫn ở dưới, hãy chọn ảnh nhỏ hơn hoặc ít ảnh hơn", MAX_FILE >> 20, MAX_REQUEST >> 20),
                    )
                })
                .collect();
            if cut_short {
                msgs.push(FieldMsg::error(
                    "photos",
                    format!("Too much was sent at once ({} MB at most), or the connection broke: nothing was saved. What you typed is below; choose fewer photos and save again.", MAX_REQUEST >> 20),
                    format!("Gửi quá nhiều một lần (tối đa {} MB) hoặc mất kết nối: chưa lưu gì. Nội dung bạn gõ vẫn ở dưới; chọn ít ảnh hơn rồi bấm Lưu lại.", MAX_REQUEST >> 20),
                ));
            }
            let cx = form::Context {
                kind: opened.kind,
                current: &opened.fields,
                code_fixed: opened.code_fixed || s.scope != Scope::All,
                languages: &opened.languages,
                default_language: &opened.default_language,
            };
            let shown = form::read(&pairs, Vec::new(), &cx).0;
            let back = opened.with(&shown);
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                form_page(&shared, &st.editor, l, back, &s, &msgs, None),
                None,
            );
        }
        if let Some(raw) = pairs
            .iter()
            .find(|(k, _)| k == "raw")
            .map(|(_, v)| v.clone())
        {
            let version = pairs
                .iter()
                .find(|(k, _)| k == "version")
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            return match st.editor.save_raw(&id, version, &raw, &s.label) {
                Ok(_) => (
                    StatusCode::SEE_OTHER,
                    String::new(),
                    Some(format!("/_edit/e/{id}?saved=1")),
                ),
                Err(Failed::Invalid(m)) => {
                    let mut back = opened;
                    back.raw = Some(raw);
                    back.version = version.to_string();
                    (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        form_page(&shared, &st.editor, l, back, &s, &m, None),
                        None,
                    )
                }
                Err(f) => {
                    let (status, body) = failed_page(l, &id, f);
                    (status, body, None)
                }
            };
        }
        let cx = form::Context {
            kind: opened.kind,
            current: &opened.fields,
            code_fixed: opened.code_fixed || s.scope != Scope::All,
            languages: &opened.languages,
            default_language: &opened.default_language,
        };
        let (sub, mut msgs) = form::read(&pairs, files, &cx);
        if msgs.is_empty() {
            // What the form showed, to give back if the save is refused.
            let shown = form::read(&pairs, Vec::new(), &cx).0;
            match st.editor.save(&id, sub, &s.label) {
                Ok(saved) => {
                    println!(
                        "editor: {} saved {id} ({} file(s))",
                        s.label,
                        saved.files.len()
                    );
                    return (
                        StatusCode::SEE_OTHER,
                        String::new(),
                        Some(format!("/_edit/e/{id}?saved=1")),
                    );
                }
                Err(Failed::Clash { clashes, sub }) => {
                    let msgs: Vec<FieldMsg> = clashes.iter().map(clash_msg).collect();
                    let now = match st.editor.open(&id) {
                        Ok(o) => o,
                        Err(f) => {
                            let (status, body) = failed_page(l, &id, f);
                            return (status, body, None);
                        }
                    };
                    return (
                        StatusCode::CONFLICT,
                        form_page(&shared, &st.editor, l, now.with(&sub), &s, &msgs, None),
                        None,
                    );
                }
                Err(Failed::Invalid(m)) => {
                    let back = opened.with(&shown);
                    return (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        form_page(&shared, &st.editor, l, back, &s, &m, None),
                        None,
                    );
                }
                Err(f) => {
                    let (status, body) = failed_page(l, &id, f);
                    return (status, body, None);
                }
            }
        }
        msgs.sort_by(|a, b| a.field.cmp(&b.field));
        let back = opened.with(&sub);
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&shared, &st.editor, l, back, &s, &msgs, None),
            None,
        )
    })
    .await
    .unwrap_or((StatusCode::INTERNAL_SERVER_ERROR, String::new(), None));
    match to {
        Some(to) => Redirect::to(&to).into_response(),
        None => html(status, body),
    }
}

async fn photo(p: Paired, Path((section, slug, n)): Path<(String, String, usize)>) -> Response {
    let id = format!("{section}/{slug}");
    if let Err(r) = p.may_edit(&id) {
        return r.into_response();
    }
    let st = p.st;
    let found = tokio::task::spawn_blocking(move || {
        let path = st.editor.photo(&id, n)?;
        let bytes = std::fs::read(&path).ok()?;
        Some((super::content_type(&path.to_string_lossy()), bytes))
    })
    .await
    .ok()
    .flatten();
    match found {
        Some((ctype, bytes)) => {
            let mut r = bytes.into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&ctype)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            );
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=60"),
            );
            r.headers_mut().insert(
                "x-content-type-options",
                HeaderValue::from_static("nosniff"),
            );
            r
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn owners(Volunteer(p): Volunteer, headers: HeaderMap) -> Response {
    let (st, s) = (p.st, p.s);
    html(
        StatusCode::OK,
        pages::owners(lang(&headers), &st.editor.auth.owner_links(), &s.csrf, None),
    )
}

#[derive(serde::Deserialize)]
struct OwnerForm {
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

async fn owner_new(headers: HeaderMap, VolunteerForm(p, f): VolunteerForm<OwnerForm>) -> Response {
    let (st, s) = (p.st, p.s);
    let known = st
        .editor
        .config()
        .map(|c| st.editor.entries(&c).contains_key(&f.entry))
        .unwrap_or(false);
    if !known {
        return StatusCode::NOT_FOUND.into_response();
    }
    match st
        .editor
        .auth
        .new_owner_link(&f.entry, &f.label, &crate::days::today())
    {
        Ok(token) => {
            let link = format!("{}/_edit/owner/{token}", st.base_url);
            html(
                StatusCode::OK,
                pages::owners(
                    lang(&headers),
                    &st.editor.auth.owner_links(),
                    &s.csrf,
                    Some((&f.entry, &link)),
                ),
            )
        }
        Err(e) => html(
            StatusCode::INTERNAL_SERVER_ERROR,
            pages::message(
                lang(&headers),
                lang(&headers).t("Chưa tạo được đường dẫn", "The link was not made"),
                &format!("owner-links.yaml: {e}"),
            ),
        ),
    }
}

/// A form naming one thing by its id: an owner link to revoke, a phone to unpair.
#[derive(serde::Deserialize)]
struct IdForm {
    #[serde(default)]
    csrf: String,
    id: String,
}

impl Tokened for IdForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn owner_revoke(VolunteerForm(p, f): VolunteerForm<IdForm>) -> Response {
    let (st, _) = (p.st, p.s);
    let _ = st.editor.auth.revoke(&f.id);
    Redirect::to("/_edit/owners").into_response()
}

async fn devices(Volunteer(p): Volunteer, headers: HeaderMap) -> Response {
    let (st, s) = (p.st, p.s);
    html(
        StatusCode::OK,
        pages::devices(lang(&headers), &st.editor.auth.devices(), &s.id, &s.csrf),
    )
}

async fn unpair(VolunteerForm(p, f): VolunteerForm<IdForm>) -> Response {
    let (st, s) = (p.st, p.s);
    if st.editor.auth.unpair(&f.id) {
        println!("editor: {} unpaired a phone", s.label);
    }
    Redirect::to("/_edit/devices").into_response()
}

/// The page that asks before an entry is deleted: what it is, and what its plaques will show.
async fn delete_page(
    State(app): State<App>,
    headers: HeaderMap,
    Volunteer(p): Volunteer,
    Path((section, slug)): Path<(String, String)>,
) -> Response {
    let (st, s) = (p.st, p.s);
    let id = format!("{section}/{slug}");
    let l = lang(&headers);
    let known = st
        .editor
        .config()
        .map(|c| st.editor.entries(&c).contains_key(&id))
        .unwrap_or(false);
    if !known {
        return html(
            StatusCode::NOT_FOUND,
            pages::message(l, &id, l.t("Không có mục này.", "There is no such entry.")),
        );
    }
    let title = app
        .shared
        .titles
        .read()
        .get(&id)
        .cloned()
        .unwrap_or_else(|| id.clone());
    let codes = crate::ledger::Ledger::load(&st.editor.site)
        .map(|ledger| crate::edit::manage::codes_by_page(&ledger))
        .unwrap_or_default()
        .remove(&id)
        .unwrap_or_default();
    html(
        StatusCode::OK,
        pages::delete_confirm(l, &id, &title, &section, &codes, &s.csrf),
    )
}

#[derive(serde::Deserialize)]
struct DeleteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: String,
}

impl Tokened for DeleteForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn delete(
    headers: HeaderMap,
    Path((section, slug)): Path<(String, String)>,
    VolunteerForm(p, f): VolunteerForm<DeleteForm>,
) -> Response {
    let (st, s) = (p.st, p.s);
    let l = lang(&headers);
    let id = format!("{section}/{slug}");
    if f.confirm != "yes" {
        return Redirect::to(&format!("/_edit/delete/{id}")).into_response();
    }
    let label = s.label.clone();
    let done = tokio::task::spawn_blocking(move || {
        let r = st.editor.delete(&id, &label);
        (id, r)
    })
    .await;
    match done {
        Ok((id, Ok(d))) => {
            println!(
                "editor: {} deleted {id} (codes retired to {section}: {}; files kept in {})",
                s.label,
                if d.retired.is_empty() {
                    "none".to_string()
                } else {
                    d.retired.join(", ")
                },
                d.kept_in.display()
            );
            html(StatusCode::OK, pages::deleted(l, &id, &section, &d.retired))
        }
        Ok((id, Err(Failed::Gone))) => html(
            StatusCode::NOT_FOUND,
            pages::message(l, &id, l.t("Không có mục này.", "There is no such entry.")),
        ),
        Ok((id, Err(Failed::Invalid(msgs)))) => html(
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::message(
                l,
                &id,
                &msgs
                    .iter()
                    .map(|m| l.t(&m.vi, &m.en).to_string())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ),
        Ok((id, Err(f))) => {
            let why = match f {
                Failed::Io(e) => e,
                other => format!("{other:?}"),
            };
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                pages::message(
                    l,
                    &id,
                    &format!(
                        "{} {why}",
                        l.t(
                            "Chưa xoá được, không có gì thay đổi:",
                            "Not deleted, nothing changed:"
                        )
                    ),
                ),
            )
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
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

/// Entry titles of the kept model by id.
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
