//! Review mode (`editor: { review: true }`): the admins' list of changes waiting for approval,
//! each change field by field with a preview of its page, and approving (through the normal
//! save) or sending back with a note. Everything here is an admin's: a volunteer or owner is
//! refused by the extractors, and every POST carries the session's token.

use super::access::{Admin, AdminForm, Tokened};
use super::views::{self, Lang};
use super::EditorApp;
use super::{html, said};
use crate::edit::field_msg::FieldMsg;
use crate::edit::waiting::{Pending, Shelf};
use crate::edit::EditError;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

#[derive(serde::Deserialize)]
pub struct ListQuery {
    /// The entry just approved or sent back, and with `--publish` whether it is live.
    #[serde(default)]
    approved: Option<String>,
    #[serde(default)]
    returned: Option<String>,
    #[serde(default)]
    live: Option<String>,
}

/// The waiting list, oldest first.
pub async fn list(Admin(person): Admin, Query(q): Query<ListQuery>) -> Response {
    let page = tokio::task::spawn_blocking(move || {
        let editor = &person.state.editor;
        let waiting = editor.waiting();
        let done = match (&q.approved, &q.returned) {
            (Some(id), _) => Some(views::Done {
                id: id.clone(),
                approved: true,
                live: q.live.clone().unwrap_or_default(),
            }),
            (None, Some(id)) => Some(views::Done {
                id: id.clone(),
                approved: false,
                live: String::new(),
            }),
            _ => None,
        };
        views::waiting(person.lang, &waiting, done.as_ref(), &person.state.base_url)
    })
    .await;
    match page {
        Ok(page) => html(StatusCode::OK, page),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// One waiting change: who, when, each field before and after, and the buttons.
pub async fn one(Admin(person): Admin, Path(key): Path<String>) -> Response {
    let (status, body) = tokio::task::spawn_blocking(move || {
        let editor = &person.state.editor;
        match editor.pending(Shelf::Waiting, &key) {
            Some(p) => (StatusCode::OK, change_page(&person, &p, &[])),
            None => gone(person.lang),
        }
    })
    .await
    .unwrap_or((StatusCode::INTERNAL_SERVER_ERROR, String::new()));
    html(status, body)
}

/// The entry's page as the waiting change would make it, drawn in memory for this admin only.
pub async fn preview(
    State(app): State<EditorApp>,
    Admin(person): Admin,
    Path(key): Path<String>,
) -> Response {
    let lang = person.lang;
    let made = tokio::task::spawn_blocking(move || {
        let editor = &person.state.editor;
        let media = editor
            .pending_id(&key)
            .map(|id| entry_photos(&app, &id))
            .unwrap_or_default();
        editor.preview(&key, &media)
    })
    .await;
    match made {
        Ok(Ok(page)) => {
            let mut r = html(StatusCode::OK, page);
            // A page to look at, on the editor's address: its styles are inline, and no script
            // of it runs with an admin's session (the editor's own three rules kept).
            r.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'none'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'",
                ),
            );
            r
        }
        Ok(Err(why)) => said(StatusCode::NOT_FOUND, lang, lang.word("preview"), &why),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The photos the preview server has made of entry `id`'s bundle (the kept model's, copied
/// under its lock, which a rebuild holds only briefly), so its preview shows them.
fn entry_photos(app: &EditorApp, id: &str) -> crate::media::Media {
    let mut media = crate::media::Media::default();
    let kept = app.shared.kept.lock();
    let Some(kept) = kept.as_ref() else {
        return media;
    };
    let bundle = kept
        .site
        .entries
        .iter()
        .find(|e| e.page_id() == id)
        .and_then(|e| e.bundle.clone());
    if let Some(bundle) = bundle {
        media.photos = kept
            .media
            .photos
            .range(bundle.clone()..)
            .take_while(|(path, _)| path.starts_with(&bundle))
            .map(|(path, photo)| (path.clone(), photo.clone()))
            .collect();
    }
    media
}

#[derive(serde::Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
}

impl Tokened for DecideForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// Approve: the change goes through the normal save, as its author's, merged with the file as
/// it is now. A field changed meanwhile by someone else is shown at its field, and the change
/// stays waiting.
pub async fn approve(
    State(app): State<EditorApp>,
    Path(key): Path<String>,
    AdminForm(person, _form): AdminForm<DecideForm>,
) -> Response {
    let done = tokio::task::spawn_blocking(move || {
        let editor = &person.state.editor;
        let Some(p) = editor.pending(Shelf::Waiting, &key) else {
            return Err(gone(person.lang));
        };
        match editor.approve(&key, &person.session.label) {
            Ok(saved) => {
                println!(
                    "editor: {} approved {}'s change to {}",
                    person.session.label, p.author, p.id
                );
                Ok((p.id, saved.at, !saved.files.is_empty()))
            }
            Err(e) => Err(refused(&person, &p, e)),
        }
    })
    .await;
    match done {
        Ok(Ok((id, at, wrote))) => {
            let live = super::saving::live_after(&app, at, wrote).await;
            Redirect::to(&format!("/_edit/waiting?approved={id}{live}")).into_response()
        }
        Ok(Err((status, body))) => html(status, body),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Send back: the change is kept for its author with the admin's note; nothing is written.
pub async fn send_back(
    Path(key): Path<String>,
    AdminForm(person, form): AdminForm<DecideForm>,
) -> Response {
    let lang = person.lang;
    let done = tokio::task::spawn_blocking(move || {
        person
            .state
            .editor
            .send_back(&key, &person.session.label, &form.note)
    })
    .await;
    match done {
        Ok(Ok(p)) => Redirect::to(&format!("/_edit/waiting?returned={}", p.id)).into_response(),
        Ok(Err(_)) => {
            let (status, body) = gone(lang);
            html(status, body)
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn gone(lang: Lang) -> (StatusCode, String) {
    (
        StatusCode::NOT_FOUND,
        views::message(
            lang,
            lang.word("waiting_list"),
            lang.word("no_such_waiting"),
        ),
    )
}

/// An approval that did not go through: the change again, with why at its fields.
fn refused(person: &super::access::Paired, p: &Pending, e: EditError) -> (StatusCode, String) {
    let (status, msgs) = match e {
        EditError::Clash { clashes, .. } => (
            StatusCode::CONFLICT,
            clashes.iter().map(|c| c.message_for_reviewer()).collect(),
        ),
        EditError::Invalid(msgs) => (StatusCode::UNPROCESSABLE_ENTITY, msgs),
        EditError::Unwritten(msg) => (StatusCode::INSUFFICIENT_STORAGE, vec![msg]),
        EditError::Busy(msg) => (StatusCode::SERVICE_UNAVAILABLE, vec![msg]),
        // The entry was deleted or renamed since: the change stays, to be sent back whole.
        EditError::Gone => (
            StatusCode::NOT_FOUND,
            vec![FieldMsg::error(
                "",
                "This entry is no longer on the site (deleted or renamed): nothing was approved. Send the change back to keep its words for its author.",
                "Mục này không còn trên trang (đã xoá hoặc đổi tên): chưa duyệt gì. Hãy gửi trả để giữ lại nội dung cho người viết.",
            )],
        ),
        EditError::Conflict { file, .. } => (
            StatusCode::CONFLICT,
            vec![FieldMsg::error(
                "",
                format!("{} changed and cannot be merged", file.display()),
                format!("{} đã thay đổi và không gộp được", file.display()),
            )],
        ),
        EditError::Io(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            vec![FieldMsg::error("", e.clone(), e)],
        ),
    };
    (status, change_page(person, p, &msgs))
}

fn change_page(person: &super::access::Paired, p: &Pending, msgs: &[FieldMsg]) -> String {
    let default = person
        .state
        .editor
        .config()
        .map(|c| c.default_language)
        .unwrap_or_else(|_| "vi".into());
    views::waiting_one(
        person.lang,
        p,
        &p.changes(&default),
        msgs,
        &person.session.csrf,
    )
}
