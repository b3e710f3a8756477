//! The admins' activity page: who changed what through the editor, and when, with each change
//! as Git shows it when `--commit` made one; with `--push`, how the exchange with the remote
//! stands, and what an admin must join by hand.

use super::access::Admin;
use super::{html, said, views};
use crate::edit::activity;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// How many changes the page lists.
const SHOWN: usize = 300;
/// The most of a change's text shown (a commit of many photos is mostly their names).
const CHANGE_MAX: usize = 200 * 1024;

pub async fn list(Admin(person): Admin) -> Response {
    let page = tokio::task::spawn_blocking(move || {
        let editor = &person.state.editor;
        let changes = activity::recent(&editor.site, SHOWN);
        let entries = editor
            .config()
            .map(|c| editor.entries(&c))
            .unwrap_or_default();
        let sync = editor.remote().map(|r| r.status());
        views::activity(person.lang, &changes, sync.as_ref(), |id| {
            entries.contains_key(id)
        })
    })
    .await;
    match page {
        Ok(page) => html(StatusCode::OK, page),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// One change, by its commit: only a commit the activity names, never any revision asked for.
pub async fn one(Admin(person): Admin, Path(commit): Path<String>) -> Response {
    let lang = person.lang;
    let shown = tokio::task::spawn_blocking(move || {
        let site = &person.state.editor.site;
        let known = activity::recent(site, SHOWN)
            .iter()
            .any(|c| c.commit.as_deref() == Some(commit.as_str()));
        if !known {
            return None;
        }
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(site)
            .args(["show", "--stat", "--patch", "--no-color", "--no-ext-diff"])
            .arg(&commit)
            .output()
            .ok()?;
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        if text.len() > CHANGE_MAX {
            let cut = (0..=CHANGE_MAX)
                .rev()
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(0);
            text.truncate(cut);
            text.push_str("\n…");
        }
        Some((commit, text))
    })
    .await
    .ok()
    .flatten();
    match shown {
        Some((commit, text)) => html(StatusCode::OK, views::change(lang, &commit, &text)),
        None => said(
            StatusCode::NOT_FOUND,
            lang,
            lang.word("activity"),
            lang.word("no_such_change"),
        ),
    }
}
