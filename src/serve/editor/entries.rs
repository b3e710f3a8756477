//! The entry list, a new entry, an entry's form, and its photos' originals.

use super::access::{Paired, Tokened, VolunteerForm};
use super::auth::Scope;
use super::views::{self, FileProblem, FormView, Lang, Listed};
use super::EditorApp;
use super::{html, said};
use crate::edit::field_msg::FieldMsg;
use crate::edit::waiting::Shelf;
use crate::edit::{EditError, Opened};
use crate::serve::ServeState;
use crate::vocab::Kind;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

#[derive(serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
}

pub async fn list(
    State(app): State<EditorApp>,
    person: Paired,
    Query(query): Query<ListQuery>,
) -> Response {
    if let Scope::Entry(e) = &person.session.scope {
        return Redirect::to(&format!("/_edit/e/{e}")).into_response();
    }
    let shared = app.shared.clone();
    let body = tokio::task::spawn_blocking(move || list_page(&shared, &person, &query.q))
        .await
        .unwrap_or_default();
    html(StatusCode::OK, body)
}

fn list_page(shared: &ServeState, person: &Paired, query: &str) -> String {
    let (editor, lang) = (&person.state.editor, person.lang);
    let config = match editor.config() {
        Ok(c) => c,
        Err(e) => {
            let why = format!("{} {e}", lang.word("site_yaml_broken"));
            return views::message(lang, lang.word("cannot_open"), &why);
        }
    };
    let files = editor.entries(&config);
    let diagnostics = shared.diagnostics.read();
    // (errors, warnings) by file, counted once: the list may hold 10,000 entries.
    let mut by_file: HashMap<&std::path::Path, (usize, usize)> = HashMap::new();
    for d in diagnostics.iter() {
        let n = by_file.entry(&d.file).or_default();
        if d.is_error() {
            n.0 += 1;
        } else {
            n.1 += 1;
        }
    }
    let waiting = editor.waiting();
    let returned = editor.returned_to(&person.session.id);
    let titles = shared.titles.read();
    let mut codes = crate::ledger::Ledger::load(&editor.site)
        .map(|ledger| crate::edit::manage::codes_by_page(&ledger))
        .unwrap_or_default();
    let listed: Vec<Listed> = files
        .iter()
        .map(|(id, f)| {
            let (errors, warnings) = std::iter::once(&f.file)
                .chain(f.translations.values())
                .filter_map(|path| by_file.get(path.as_path()))
                .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
            Listed {
                id,
                title: titles.get(id).cloned().unwrap_or_else(|| id.clone()),
                codes: codes.remove(id.as_str()).unwrap_or_default(),
                errors,
                warnings,
                waiting: waiting.iter().any(|p| p.id == *id),
                returned: returned.iter().any(|p| p.id == *id),
            }
        })
        .collect();
    let broken = shared.problem.read().is_some();
    // Errors in a file that is no entry's (plaques.lock, site.yaml, the theme): named, since
    // no entry's mark leads to them.
    let entry_files: HashSet<&PathBuf> = files
        .values()
        .flat_map(|f| std::iter::once(&f.file).chain(f.translations.values()))
        .collect();
    let other: Vec<FileProblem> = diagnostics
        .iter()
        .filter(|d| d.is_error() && !entry_files.contains(&d.file))
        .map(|d| FileProblem {
            file: d.file.display().to_string(),
            text: lang
                .pick(d.vi.as_deref().unwrap_or(&d.message), &d.message)
                .to_string(),
        })
        .collect();
    views::list(
        lang,
        &listed,
        query,
        &person.session.csrf,
        person.is_admin(),
        waiting.len(),
        broken.then_some(other.as_slice()),
    )
}

#[derive(serde::Deserialize)]
pub struct NewForm {
    #[serde(default)]
    csrf: String,
    kind: Kind,
    title: String,
}

impl Tokened for NewForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

pub async fn create(VolunteerForm(person, form): VolunteerForm<NewForm>) -> Response {
    let lang = person.lang;
    let title = form.title.trim().to_string();
    let made = tokio::task::spawn_blocking(move || {
        let editor = &person.state.editor;
        // In review mode a volunteer's new entry starts as a draft: nothing of it is published
        // until an admin approves it and unticks "draft".
        let draft = !person.is_admin() && editor.config().is_ok_and(|c| c.editor.review());
        if let Some(busy) = editor.git_busy() {
            return Ok(Err((busy.en, busy.vi)));
        }
        match editor.new_title_problem(form.kind, &title) {
            Some(problem) => Ok(Err(problem)),
            None => editor
                .create(form.kind, &title, &person.session.label, draft)
                .map(Ok),
        }
    })
    .await;
    let not_created = |text: &str| {
        said(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            lang.word("not_created"),
            text,
        )
    };
    match made {
        Ok(Ok(Err((en, vi)))) => not_created(lang.pick(&vi, &en)),
        Ok(Ok(Ok(id))) => Redirect::to(&format!("/_edit/e/{id}")).into_response(),
        Ok(Err(e)) => not_created(&format!("{}: {e}", lang.word("new_not_made"))),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct OpenQuery {
    #[serde(default)]
    saved: Option<String>,
    /// After a save with `--publish`: `yes`, `no` or `soon`.
    #[serde(default)]
    live: Option<String>,
    /// After a save kept for an admin's approval (review mode).
    #[serde(default)]
    waiting: Option<String>,
}

pub async fn open(
    State(app): State<EditorApp>,
    person: Paired,
    Path((section, slug)): Path<(String, String)>,
    Query(q): Query<OpenQuery>,
) -> Response {
    let id = format!("{section}/{slug}");
    if let Err(r) = person.may_edit(&id) {
        return r.into_response();
    }
    let shared = app.shared.clone();
    let saved = (q.saved.is_some() || q.waiting.is_some()).then(|| Saved {
        live: q
            .live
            .filter(|l| ["yes", "no", "full", "soon", "same"].contains(&l.as_str())),
        waiting: q.waiting.is_some(),
    });
    let (status, body) = tokio::task::spawn_blocking(move || {
        let editor = &person.state.editor;
        match editor.open(&id) {
            Ok(opened) => {
                // Her version kept aside (waiting, or sent back) is what she goes on editing:
                // over the file as it is, with the version it was made from, so her next save
                // merges as any save from an older form does.
                let opened = match editor.mine(&id, &person.session.id) {
                    Some((_, kept)) => opened.with(&kept.sub),
                    None => opened,
                };
                (
                    StatusCode::OK,
                    form_page(&shared, &person, opened, &[], saved.as_ref()),
                )
            }
            Err(f) => failed_page(person.lang, &id, f),
        }
    })
    .await
    .unwrap_or((StatusCode::INTERNAL_SERVER_ERROR, String::new()));
    html(status, body)
}

/// A save just made, as the form says it.
pub struct Saved {
    /// With `--publish`: `yes` (live), `no` (the site did not build) or `soon`.
    pub live: Option<String>,
    /// Kept for an admin's approval, not written (review mode).
    pub waiting: bool,
}

/// An entry's form, with `msgs` at their fields and the build's problems with its files.
pub fn form_page(
    shared: &ServeState,
    person: &Paired,
    mut opened: Opened,
    msgs: &[FieldMsg],
    saved: Option<&Saved>,
) -> String {
    person.state.editor.offer_gps(&mut opened);
    let files = &opened.files;
    let problems: Vec<crate::error::Diagnostic> = shared
        .diagnostics
        .read()
        .iter()
        .filter(|d| d.file == files.file || files.translations.values().any(|t| *t == d.file))
        .cloned()
        .collect();
    let suggestions = shared.suggestions();
    let editor = &person.state.editor;
    let mine = editor.mine(&opened.id, &person.session.id);
    let review = views::ReviewNotes {
        just_kept: saved.is_some_and(|s| s.waiting),
        mine_waiting: matches!(mine, Some((Shelf::Waiting, _))),
        returned: match &mine {
            Some((Shelf::Returned, p)) => Some((
                p.returned_by.clone().unwrap_or_default(),
                p.note.clone().unwrap_or_default(),
            )),
            _ => None,
        },
        kept_files: mine.map(|(_, p)| p.upload_names()).unwrap_or_default(),
        others: editor
            .waiting()
            .into_iter()
            .filter(|p| p.id == opened.id && p.device != person.session.id)
            .map(|p| p.author)
            .collect(),
        reviewed: !person.is_admin() && editor.config().is_ok_and(|c| c.editor.review()),
    };
    views::entry_form(&FormView {
        lang: person.lang,
        opened: &opened,
        csrf: &person.session.csrf,
        msgs,
        problems: &problems,
        saved: saved.is_some_and(|s| !s.waiting),
        review,
        live: saved.and_then(|s| s.live.as_deref()),
        live_url: format!("{}/{}/", person.state.base_url, opened.id),
        visits: crate::stats::visits::of_page(&person.state.editor.site.join("output"), &opened.id),
        owner: person.is_owner(),
        admin: person.is_admin(),
        suggestions: &suggestions,
    })
}

/// The page for an entry the editor could not open or save: gone, unreadable, changed.
pub fn failed_page(lang: Lang, id: &str, error: EditError) -> (StatusCode, String) {
    let joined = |msgs: &[FieldMsg]| {
        msgs.iter()
            .map(|m| lang.pick(&m.vi, &m.en))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match error {
        EditError::Gone => (
            StatusCode::NOT_FOUND,
            views::message(lang, id, lang.word("no_such_entry_moved")),
        ),
        EditError::Io(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            views::message(lang, id, &e),
        ),
        EditError::Unwritten(msg) => (
            StatusCode::INSUFFICIENT_STORAGE,
            views::message(lang, id, lang.pick(&msg.vi, &msg.en)),
        ),
        EditError::Busy(msg) => (
            StatusCode::SERVICE_UNAVAILABLE,
            views::message(lang, id, lang.pick(&msg.vi, &msg.en)),
        ),
        EditError::Conflict {
            file,
            on_disk,
            yours,
        } => (
            StatusCode::CONFLICT,
            views::conflict(lang, id, &file.display().to_string(), &on_disk, &yours),
        ),
        EditError::Clash { clashes, .. } => {
            let msgs: Vec<FieldMsg> = clashes.iter().map(|c| c.message()).collect();
            (
                StatusCode::CONFLICT,
                views::message(lang, id, &joined(&msgs)),
            )
        }
        EditError::Invalid(msgs) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            views::message(lang, id, &joined(&msgs)),
        ),
    }
}

/// A photo's original, for the form's thumbnails.
pub async fn photo(
    person: Paired,
    Path((section, slug, n)): Path<(String, String, usize)>,
) -> Response {
    let id = format!("{section}/{slug}");
    if let Err(r) = person.may_edit(&id) {
        return r.into_response();
    }
    let found = tokio::task::spawn_blocking(move || {
        let path = person.state.editor.photo(&id, n)?;
        let bytes = std::fs::read(&path).ok()?;
        Some((crate::serve::content_type(&path.to_string_lossy()), bytes))
    })
    .await
    .ok()
    .flatten();
    let Some((ctype, bytes)) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&ctype)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=60"),
    );
    r
}
