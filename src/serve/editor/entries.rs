//! The entry list, a new entry, an entry's form, and its photos' originals.

use super::access::{Paired, Tokened, VolunteerForm};
use super::auth::Scope;
use super::views::{self, FileProblem, FormView, Lang, Listed};
use super::{html, said};
use crate::edit::form::FieldMsg;
use crate::edit::{Failed, Opened};
use crate::serve::http::App;
use crate::serve::Shared;
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

pub async fn list(State(app): State<App>, p: Paired, Query(query): Query<ListQuery>) -> Response {
    if let Scope::Entry(e) = &p.session.scope {
        return Redirect::to(&format!("/_edit/e/{e}")).into_response();
    }
    let shared = app.shared.clone();
    let body = tokio::task::spawn_blocking(move || list_page(&shared, &p, &query.q))
        .await
        .unwrap_or_default();
    html(StatusCode::OK, body)
}

fn list_page(shared: &Shared, p: &Paired, query: &str) -> String {
    let (editor, l) = (&p.state.editor, p.lang);
    let config = match editor.config() {
        Ok(c) => c,
        Err(e) => {
            let why = format!("{} {e}", l.word("site_yaml_broken"));
            return views::message(l, l.word("cannot_open"), &why);
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
            text: l
                .pick(d.vi.as_deref().unwrap_or(&d.message), &d.message)
                .to_string(),
        })
        .collect();
    views::list(
        l,
        &listed,
        query,
        &p.session.csrf,
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

pub async fn create(VolunteerForm(p, f): VolunteerForm<NewForm>) -> Response {
    let l = p.lang;
    let title = f.title.trim().to_string();
    let made = tokio::task::spawn_blocking(move || {
        let editor = &p.state.editor;
        match editor.new_title_problem(f.kind, &title) {
            Some(problem) => Ok(Err(problem)),
            None => editor.create(f.kind, &title, &p.session.label).map(Ok),
        }
    })
    .await;
    let not_created = |text: &str| {
        said(
            StatusCode::UNPROCESSABLE_ENTITY,
            l,
            l.word("not_created"),
            text,
        )
    };
    match made {
        Ok(Ok(Err((en, vi)))) => not_created(l.pick(&vi, &en)),
        Ok(Ok(Ok(id))) => Redirect::to(&format!("/_edit/e/{id}")).into_response(),
        Ok(Err(e)) => not_created(&format!("{}: {e}", l.word("new_not_made"))),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct OpenQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn open(
    State(app): State<App>,
    p: Paired,
    Path((section, slug)): Path<(String, String)>,
    Query(q): Query<OpenQuery>,
) -> Response {
    let id = format!("{section}/{slug}");
    if let Err(r) = p.may_edit(&id) {
        return r.into_response();
    }
    let shared = app.shared.clone();
    let just_saved = q.saved.is_some();
    let (status, body) = tokio::task::spawn_blocking(move || match p.state.editor.open(&id) {
        Ok(opened) => (
            StatusCode::OK,
            form_page(&shared, &p, opened, &[], just_saved),
        ),
        Err(f) => failed_page(p.lang, &id, f),
    })
    .await
    .unwrap_or((StatusCode::INTERNAL_SERVER_ERROR, String::new()));
    html(status, body)
}

/// An entry's form, with `msgs` at their fields and the build's problems with its files.
pub fn form_page(
    shared: &Shared,
    p: &Paired,
    mut opened: Opened,
    msgs: &[FieldMsg],
    saved: bool,
) -> String {
    p.state.editor.offer_gps(&mut opened);
    let files = &opened.files;
    let problems: Vec<crate::error::Diagnostic> = shared
        .diagnostics
        .read()
        .iter()
        .filter(|d| d.file == files.file || files.translations.values().any(|t| *t == d.file))
        .cloned()
        .collect();
    let suggestions = shared.suggestions();
    views::entry_form(&FormView {
        lang: p.lang,
        opened: &opened,
        csrf: &p.session.csrf,
        msgs,
        problems: &problems,
        saved,
        owner: p.is_owner(),
        suggestions: &suggestions,
    })
}

/// The page for an entry the editor could not open or save: gone, unreadable, changed.
pub fn failed_page(l: Lang, id: &str, f: Failed) -> (StatusCode, String) {
    let joined = |msgs: &[FieldMsg]| {
        msgs.iter()
            .map(|m| l.pick(&m.vi, &m.en))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match f {
        Failed::Gone => (
            StatusCode::NOT_FOUND,
            views::message(l, id, l.word("no_such_entry_moved")),
        ),
        Failed::Io(e) => (StatusCode::INTERNAL_SERVER_ERROR, views::message(l, id, &e)),
        Failed::Conflict {
            file,
            on_disk,
            yours,
        } => (
            StatusCode::CONFLICT,
            views::conflict(l, id, &file.display().to_string(), &on_disk, &yours),
        ),
        Failed::Clash { clashes, .. } => {
            let msgs: Vec<FieldMsg> = clashes.iter().map(|c| c.message()).collect();
            (StatusCode::CONFLICT, views::message(l, id, &joined(&msgs)))
        }
        Failed::Invalid(msgs) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            views::message(l, id, &joined(&msgs)),
        ),
    }
}

/// A photo's original, for the form's thumbnails.
pub async fn photo(p: Paired, Path((section, slug, n)): Path<(String, String, usize)>) -> Response {
    let id = format!("{section}/{slug}");
    if let Err(r) = p.may_edit(&id) {
        return r.into_response();
    }
    let found = tokio::task::spawn_blocking(move || {
        let path = p.state.editor.photo(&id, n)?;
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
