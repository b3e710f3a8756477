//! Deleting an entry: a page that says what goes and where its plaques will lead, then the
//! delete itself (`edit::manage`), which also ends the entry's owner links.

use super::access::{Tokened, Volunteer, VolunteerForm};
use super::views::{self, Doomed};
use super::{html, said};
use crate::edit::Failed;
use crate::serve::http::App;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// The page that asks before an entry is deleted: what it is, and what its plaques will show.
pub async fn confirm(
    State(app): State<App>,
    Volunteer(p): Volunteer,
    Path((section, slug)): Path<(String, String)>,
) -> Response {
    let (editor, l) = (&p.state.editor, p.lang);
    let id = format!("{section}/{slug}");
    let known = editor
        .config()
        .map(|c| editor.entries(&c).contains_key(&id))
        .unwrap_or(false);
    if !known {
        return said(StatusCode::NOT_FOUND, l, &id, l.word("no_such_entry"));
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
        views::delete_confirm(l, &doomed, &p.session.csrf),
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
    VolunteerForm(p, f): VolunteerForm<DeleteForm>,
) -> Response {
    let l = p.lang;
    let id = format!("{section}/{slug}");
    if f.confirm != "yes" {
        return Redirect::to(&format!("/_edit/delete/{id}")).into_response();
    }
    let (state, label) = (p.state.clone(), p.session.label.clone());
    let asked = id.clone();
    let done = tokio::task::spawn_blocking(move || state.editor.delete(&asked, &label)).await;
    let Ok(done) = done else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    match done {
        Ok(d) => {
            // Its owner links open nothing now.
            let _ = p.state.auth.forget_entry(&id);
            let retired = if d.retired.is_empty() {
                "none".to_string()
            } else {
                d.retired.join(", ")
            };
            println!(
                "editor: {} deleted {id} (codes retired to {section}: {retired}; files kept in {})",
                p.session.label,
                d.kept_in.display()
            );
            let gone = Doomed {
                id: &id,
                title: &id,
                section: &section,
                codes: &d.retired,
            };
            html(StatusCode::OK, views::deleted(l, &gone))
        }
        Err(Failed::Gone) => said(StatusCode::NOT_FOUND, l, &id, l.word("no_such_entry")),
        Err(Failed::Invalid(msgs)) => {
            let text: Vec<&str> = msgs.iter().map(|m| l.pick(&m.vi, &m.en)).collect();
            said(StatusCode::UNPROCESSABLE_ENTITY, l, &id, &text.join("\n"))
        }
        Err(f) => {
            let why = match f {
                Failed::Io(e) => e,
                other => format!("{other:?}"),
            };
            let text = format!("{} {why}", l.word("not_deleted"));
            said(StatusCode::INTERNAL_SERVER_ERROR, l, &id, &text)
        }
    }
}
