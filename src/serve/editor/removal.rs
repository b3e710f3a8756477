//! Deleting an entry: a page that says what goes and where its plaques will lead, then the
//! delete itself (`edit::manage`), which also ends the entry's owner links.

use super::access::{Admin, AdminForm, Tokened};
use super::views::{self, Doomed};
use super::EditorApp;
use super::{html, said};
use crate::edit::EditError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// The page that asks before an entry is deleted: what it is, and what its plaques will show.
pub async fn confirm(
    State(app): State<EditorApp>,
    Admin(person): Admin,
    Path((section, slug)): Path<(String, String)>,
) -> Response {
    let (editor, lang) = (&person.state.editor, person.lang);
    let id = format!("{section}/{slug}");
    let known = editor
        .config()
        .map(|c| editor.entries(&c).contains_key(&id))
        .unwrap_or(false);
    if !known {
        return said(StatusCode::NOT_FOUND, lang, &id, lang.word("no_such_entry"));
    }
    let title = app
        .shared
        .titles
        .read()
        .get(&id)
        .cloned()
        .unwrap_or_else(|| id.clone());
    let codes = crate::ledger::Ledger::load(&editor.site)
        .map(|ledger| crate::edit::manage::codes_by_page(&ledger))
        .unwrap_or_default()
        .remove(&id)
        .unwrap_or_default();
    let doomed = Doomed {
        id: &id,
        title: &title,
        section: &section,
        codes: &codes,
    };
    html(
        StatusCode::OK,
        views::delete_confirm(lang, &doomed, &person.session.csrf),
    )
}

#[derive(serde::Deserialize)]
pub struct DeleteForm {
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

pub async fn delete(
    Path((section, slug)): Path<(String, String)>,
    AdminForm(person, form): AdminForm<DeleteForm>,
) -> Response {
    let lang = person.lang;
    let id = format!("{section}/{slug}");
    if form.confirm != "yes" {
        return Redirect::to(&format!("/_edit/delete/{id}")).into_response();
    }
    let (state, label) = (person.state.clone(), person.session.label.clone());
    let asked = id.clone();
    let done = tokio::task::spawn_blocking(move || state.editor.delete(&asked, &label)).await;
    let Ok(done) = done else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    match done {
        Ok(d) => {
            // Its owner links open nothing now.
            let _ = person.state.auth.forget_entry(&id);
            let retired = if d.retired.is_empty() {
                "none".to_string()
            } else {
                d.retired.join(", ")
            };
            println!(
                "editor: {} deleted {id} (codes retired to {section}: {retired}; files kept in {})",
                person.session.label,
                d.kept_in.display()
            );
            let gone = Doomed {
                id: &id,
                title: &id,
                section: &section,
                codes: &d.retired,
            };
            html(StatusCode::OK, views::deleted(lang, &gone))
        }
        Err(EditError::Gone) => said(StatusCode::NOT_FOUND, lang, &id, lang.word("no_such_entry")),
        Err(EditError::Invalid(msgs)) => {
            let text: Vec<&str> = msgs.iter().map(|m| lang.pick(&m.vi, &m.en)).collect();
            said(
                StatusCode::UNPROCESSABLE_ENTITY,
                lang,
                &id,
                &text.join("\n"),
            )
        }
        Err(f) => {
            let why = match f {
                EditError::Io(e) => e,
                other => format!("{other:?}"),
            };
            let text = format!("{} {why}", lang.word("not_deleted"));
            said(StatusCode::INTERNAL_SERVER_ERROR, lang, &id, &text)
        }
    }
}
