//! The preview's HTTP side (axum on a small tokio runtime): the site from memory, live-reload
//! events, print files made on request, and the editor under `/_edit/` when `--edit` is on.

use super::{live, ServeState};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct App {
    pub shared: Arc<ServeState>,
    pub editor: Option<Arc<super::editor::EditorState>>,
}

pub fn router(app: App) -> Router {
    let mut r = Router::new().route(live::EVENTS_PATH, axum::routing::get(events));
    if let Some(editor) = &app.editor {
        r = r.merge(super::editor::routes(super::editor::EditorApp {
            shared: app.shared.clone(),
            editor: editor.clone(),
        }));
    } else {
        r = r
            .route("/_edit", axum::routing::any(not_enabled))
            .route("/_edit/{*rest}", axum::routing::any(not_enabled));
    }
    r.fallback(preview).with_state(app)
}

async fn not_enabled() -> Response {
    (
        StatusCode::NOT_FOUND,
        "the editor is off: start `waymark serve --edit` to edit from a browser",
    )
        .into_response()
}

async fn preview(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    req: Request,
) -> Response {
    let raw = req.uri().path().to_string();
    if raw.starts_with(KITS) && !from_this_computer(peer, req.headers()) {
        return (
            StatusCode::FORBIDDEN,
            "homestay kits hold Wi-Fi passwords and bank accounts: open /_print/kits/ on the computer that runs `waymark serve`, or make them with `waymark plaques`",
        )
            .into_response();
    }
    if let Some(to) = app.shared.short_link(&raw) {
        return axum::response::Redirect::permanent(&to).into_response();
    }
    let shared = app.shared.clone();
    match tokio::task::spawn_blocking(move || super::respond(&shared, &raw)).await {
        Ok((status, ctype, body)) => {
            let mut resp = Response::new(Body::from(body));
            *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let h = resp.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&ctype)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            resp
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Where the homestay kits are: their cards carry the Wi-Fi password and the bank account.
const KITS: &str = "/_print/kits/";

/// A request from the computer `serve` runs on itself: from loopback, and not forwarded there
/// by a proxy from elsewhere. The preview's other files are for anyone it is shown to; a kit
/// is only for whoever sits at the server.
fn from_this_computer(peer: std::net::SocketAddr, headers: &axum::http::HeaderMap) -> bool {
    peer.ip().to_canonical().is_loopback()
        && !headers.contains_key("x-forwarded-for")
        && !headers.contains_key("forwarded")
}

/// Server-sent events (axum's `Sse`): a `reload` after each good build, a `problem` after each
/// failed one (and at once, when the site is broken as the page connects); a comment every 15 s
/// keeps proxies and phones from closing an idle stream.
async fn events(State(app): State<App>) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let rx = app.shared.events.subscribe();
    let mut first = vec![Event::default().retry(Duration::from_secs(1))];
    if let Some(p) = app.shared.problem.read().as_deref() {
        first.push(live::LiveEvent::new("problem", p).sse());
    }
    let now = futures_util::stream::iter(first.into_iter().map(Ok::<_, Infallible>));
    let later = futures_util::stream::unfold(rx, |mut rx| async move {
        let event = match rx.recv().await {
            Ok(e) => e.sse(),
            // A browser that fell behind reloads once.
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                live::LiveEvent::new("reload", "ok").sse()
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok::<_, Infallible>(event), rx))
    });
    let mut resp = Sse::new(futures_util::StreamExt::chain(now, later))
        .keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(15))
                .text("ping"),
        )
        .into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}
