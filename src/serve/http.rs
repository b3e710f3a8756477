//! The preview's HTTP side (axum on a small tokio runtime): the site from memory, live-reload
//! events, print files made on request, and the editor under `/_edit/` when `--edit` is on.

use super::{live, Shared};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct App {
    pub shared: Arc<Shared>,
    pub editor: Option<Arc<super::editor::EditorState>>,
}

pub fn router(app: App) -> Router {
    let mut r = Router::new().route(live::EVENTS_PATH, axum::routing::get(events));
    if app.editor.is_some() {
        r = r.merge(super::editor::routes());
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

async fn preview(State(app): State<App>, req: Request) -> Response {
    let raw = req.uri().path().to_string();
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

/// Server-sent events: a `reload` after each good build, a `problem` after each failed one
/// (and at once, when the site is broken as the page connects).
async fn events(State(app): State<App>) -> Response {
    let rx = app.shared.events.subscribe();
    let first = {
        let problem = app.shared.problem.read();
        let mut s = String::from("retry: 1000\n\n");
        if let Some(p) = problem.as_deref() {
            s.push_str(&live::event("problem", p));
        }
        s
    };
    let stream = futures_util::stream::unfold((Some(first), rx), |(first, mut rx)| async move {
        if let Some(f) = first {
            return Some((Ok::<_, Infallible>(f), (None, rx)));
        }
        let msg = match tokio::time::timeout(Duration::from_secs(15), rx.recv()).await {
            Ok(Ok(msg)) => msg,
            // A comment line keeps proxies and phones from closing an idle stream.
            Err(_) => ": ping\n\n".to_string(),
            // A browser that fell behind reloads once.
            Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {
                live::event("reload", "ok")
            }
            Ok(Err(tokio::sync::broadcast::error::RecvError::Closed)) => return None,
        };
        Some((Ok(msg), (None, rx)))
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}
