//! Saving an entry's form: the multipart request read whole (a file over the limit is passed
//! over and the words after it still read), then one of three paths: an oversized request
//! returns the form with every word, a broken file's whole text is saved as text, and a form is
//! read into field changes and saved. Every refusal gives the form back as the person left it.

use super::access::Paired;
use super::entries::{failed_page, form_page};
use super::html;
use super::EditorApp;
use crate::edit::field_msg::FieldMsg;
use crate::edit::form;
use crate::edit::upload::{self, Upload, MAX_FILE, MAX_REQUEST};
use crate::edit::waiting::Author;
use crate::edit::{EditError, Opened};
use crate::serve::publish::Outcome;
use crate::serve::ServeState;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;

pub async fn save(
    State(app): State<EditorApp>,
    person: Paired,
    Path((section, slug)): Path<(String, String)>,
    multipart: Multipart,
) -> Response {
    let id = format!("{section}/{slug}");
    if let Err(r) = person.may_edit(&id) {
        return r.into_response();
    }
    let posted = Posted::read(multipart).await;
    // The form is multipart, read above: its token is checked here, not by an extractor.
    if let Err(r) = person.csrf(posted.value("csrf").unwrap_or("")) {
        return r.into_response();
    }
    let shared = app.shared.clone();
    let answer =
        tokio::task::spawn_blocking(move || Saving { shared, person, id }.run(posted)).await;
    match answer {
        Ok(Answer::Saved { id, at, wrote }) => {
            let live = live_after(&app, at, wrote).await;
            Redirect::to(&format!("/_edit/e/{id}?saved=1{live}")).into_response()
        }
        Ok(Answer::Waiting { id }) => {
            Redirect::to(&format!("/_edit/e/{id}?waiting=1")).into_response()
        }
        Ok(Answer::Page(status, body)) => html(status, body),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// With `--publish`, whether a save made at `at` is live, as the form's address says it
/// (`&live=yes`, `no`, `full`, `soon`, or `same` when the save changed nothing); nothing
/// without it.
pub async fn live_after(app: &EditorApp, at: std::time::Instant, wrote: bool) -> &'static str {
    match (&app.shared.publisher, wrote) {
        (Some(publisher), true) => {
            let publisher = publisher.clone();
            let outcome =
                tokio::task::spawn_blocking(move || publisher.after(at, PUBLISH_WAIT)).await;
            match outcome.ok().flatten() {
                Some(Outcome::Live) => "&live=yes",
                Some(Outcome::NotPublished(_)) => "&live=no",
                Some(Outcome::DiskFull) => "&live=full",
                None => "&live=soon",
            }
        }
        (Some(_), false) => "&live=same",
        (None, _) => "",
    }
}

/// How long a save waits for the publish that follows it, to say whether it is live; a slower
/// one goes on, and the form says it is on its way.
const PUBLISH_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// What the request carried.
struct Posted {
    /// The text fields, in order.
    pairs: Vec<(String, String)>,
    /// The files kept, by input name.
    files: Vec<(String, Upload)>,
    /// Files passed over for their size, by name on the phone.
    too_big: Vec<String>,
    /// The request ended before its end (too much sent, or a broken connection).
    /// How it ended early: more than the server reads (413), or a broken or silent
    /// connection (408).
    cut_short: Option<StatusCode>,
}

impl Posted {
    async fn read(mut multipart: Multipart) -> Posted {
        let mut posted = Posted {
            pairs: Vec::new(),
            files: Vec::new(),
            too_big: Vec::new(),
            cut_short: None,
        };
        let mut kept = 0;
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) => {
                    posted.cut_short = Some(ended(e.status()));
                    break;
                }
            };
            let name = field.name().unwrap_or("").to_string();
            let Some(file_name) = field.file_name().map(str::to_string) else {
                match field.text().await {
                    Ok(t) => posted.pairs.push((name, t)),
                    Err(e) => {
                        posted.cut_short = Some(ended(e.status()));
                        break;
                    }
                }
                continue;
            };
            match read_file(field, kept).await {
                Ok(Some(bytes)) => {
                    kept += bytes.len();
                    let upload = Upload {
                        name: file_name,
                        bytes,
                    };
                    posted.files.push((name, upload));
                }
                Ok(None) => posted.too_big.push(file_name),
                Err(status) => {
                    posted.cut_short = Some(status);
                    break;
                }
            }
        }
        posted
    }

    fn value(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// One file's bytes, or `None` when it is over `MAX_FILE` or would take the request past
/// `MAX_REQUEST` with the `kept` bytes before it: then it is read to its end and dropped, so
/// the fields after it arrive. `Err` when the request breaks off, with the status to answer.
async fn read_file(
    mut field: axum::extract::multipart::Field<'_>,
    kept: usize,
) -> Result<Option<Vec<u8>>, StatusCode> {
    let mut bytes = Vec::new();
    let mut over = false;
    while let Some(chunk) = field.chunk().await.map_err(|e| ended(e.status()))? {
        if over {
            continue;
        }
        if bytes.len() + chunk.len() > MAX_FILE || kept + bytes.len() + chunk.len() > MAX_REQUEST {
            over = true;
            bytes = Vec::new();
        } else {
            bytes.extend_from_slice(&chunk);
        }
    }
    Ok((!over).then_some(bytes))
}

/// A request that ended early: too large when the body limit cut it, else it broke off or fell
/// silent.
fn ended(status: StatusCode) -> StatusCode {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        status
    } else {
        StatusCode::REQUEST_TIMEOUT
    }
}

enum Answer {
    /// Saved (at `at`): to the entry's form, which says so. `wrote`: a file changed, so a
    /// publish follows.
    Saved {
        id: String,
        at: std::time::Instant,
        wrote: bool,
    },
    /// Kept aside for an admin's approval (review mode): nothing is published.
    Waiting {
        id: String,
    },
    Page(StatusCode, String),
}

/// One save of entry `id` by the person `p`.
struct Saving {
    shared: Arc<ServeState>,
    person: Paired,
    id: String,
}

impl Saving {
    fn run(self, posted: Posted) -> Answer {
        let opened = match self.person.state.editor.open(&self.id) {
            Ok(o) => o,
            Err(f) => return self.failed(f),
        };
        if posted.cut_short.is_some() || !posted.too_big.is_empty() {
            return self.oversized(opened, &posted);
        }
        if let Some(raw) = posted.value("raw") {
            if self.reviewed() {
                // A file opened as text cannot be kept aside field by field, and a posted text
                // would skip the review: an admin fixes it.
                let lang = self.person.lang;
                return Answer::Page(
                    StatusCode::FORBIDDEN,
                    super::views::message(lang, &self.id, lang.word("raw_needs_admin")),
                );
            }
            return self.save_text(
                opened,
                raw.to_string(),
                posted.value("version").unwrap_or(""),
            );
        }
        self.save_form(opened, posted)
    }

    /// The form back, as sent but for its files, with what was too large.
    fn oversized(&self, opened: Opened, posted: &Posted) -> Answer {
        let mut msgs: Vec<FieldMsg> = posted.too_big.iter().map(|n| upload::too_big(n)).collect();
        if posted.cut_short.is_some() {
            msgs.push(upload::cut_short());
        }
        let shown = form::read(&posted.pairs, Vec::new(), &self.context(&opened)).0;
        let status = posted.cut_short.unwrap_or(StatusCode::PAYLOAD_TOO_LARGE);
        self.form(status, opened.with(&shown), &msgs)
    }

    /// A file whose front matter does not parse, saved as the text it was given.
    fn save_text(&self, opened: Opened, raw: String, version: &str) -> Answer {
        let editor = &self.person.state.editor;
        match editor.save_raw(&self.id, version, &raw, &self.person.session.label) {
            Ok(saved) => self.saved(&saved),
            Err(EditError::Invalid(msgs)) => {
                let mut back = opened;
                back.raw = Some(raw);
                back.version = version.to_string();
                self.form(StatusCode::UNPROCESSABLE_ENTITY, back, &msgs)
            }
            Err(EditError::Unwritten(msg)) => {
                let mut back = opened;
                back.raw = Some(raw);
                back.version = version.to_string();
                self.form(StatusCode::INSUFFICIENT_STORAGE, back, &[msg])
            }
            Err(EditError::Busy(msg)) => {
                let mut back = opened;
                back.raw = Some(raw);
                back.version = version.to_string();
                self.form(StatusCode::SERVICE_UNAVAILABLE, back, &[msg])
            }
            Err(f) => self.failed(f),
        }
    }

    fn save_form(&self, opened: Opened, posted: Posted) -> Answer {
        let cx = self.context(&opened);
        // What the form showed, to give back if the save is refused.
        let shown = form::read(&posted.pairs, Vec::new(), &cx).0;
        let (sub, mut msgs) = form::read(&posted.pairs, posted.files, &cx);
        if !msgs.is_empty() {
            msgs.sort_by(|a, b| a.field.cmp(&b.field));
            return self.form(StatusCode::UNPROCESSABLE_ENTITY, opened.with(&sub), &msgs);
        }
        let (editor, label) = (&self.person.state.editor, &self.person.session.label);
        let result = if self.reviewed() {
            let author = Author {
                label,
                device: &self.person.session.id,
                owner: self.person.is_owner(),
            };
            match editor.wait(&self.id, sub, &author) {
                Ok(_) => {
                    println!("editor: {label} saved {} (waiting for approval)", self.id);
                    return Answer::Waiting {
                        id: self.id.clone(),
                    };
                }
                Err(e) => Err(e),
            }
        } else {
            // Her kept version's new photos go with a save written at once too (review turned
            // off, or she was made an admin since).
            let mut sub = sub;
            match editor.carry_kept_files(&self.id, &self.person.session.id, &mut sub) {
                Ok(()) => editor.save(&self.id, sub, label),
                Err(e) => Err(e),
            }
        };
        match result {
            Ok(saved) => {
                // Her own save went through: an earlier kept version of hers is behind it.
                editor.drop_mine(&self.id, &self.person.session.id);
                println!(
                    "editor: {label} saved {} ({} file(s))",
                    self.id,
                    saved.files.len()
                );
                self.saved(&saved)
            }
            Err(EditError::Clash { clashes, sub }) => {
                // Over the file as it is now, this person's values at the clashing fields.
                let msgs: Vec<FieldMsg> = clashes.iter().map(|c| c.message()).collect();
                match editor.open(&self.id) {
                    Ok(now) => self.form(StatusCode::CONFLICT, now.with(&sub), &msgs),
                    Err(f) => self.failed(f),
                }
            }
            Err(EditError::Invalid(msgs)) => {
                self.form(StatusCode::UNPROCESSABLE_ENTITY, opened.with(&shown), &msgs)
            }
            Err(EditError::Unwritten(msg)) => {
                eprintln!(
                    "editor: {label}'s save of {} was not written: {}",
                    self.id, msg.en
                );
                self.form(
                    StatusCode::INSUFFICIENT_STORAGE,
                    opened.with(&shown),
                    &[msg],
                )
            }
            Err(EditError::Busy(msg)) => {
                self.form(StatusCode::SERVICE_UNAVAILABLE, opened.with(&shown), &[msg])
            }
            Err(f) => self.failed(f),
        }
    }

    /// Whether this person's saves wait for an admin (`editor: { review: true }`): a
    /// volunteer's and an owner's do, an admin's never.
    fn reviewed(&self) -> bool {
        !self.person.is_admin()
            && self
                .person
                .state
                .editor
                .config()
                .is_ok_and(|c| c.editor.review())
    }

    fn saved(&self, saved: &crate::edit::Saved) -> Answer {
        Answer::Saved {
            id: self.id.clone(),
            at: saved.at,
            wrote: !saved.files.is_empty(),
        }
    }

    fn context<'a>(&self, opened: &'a Opened) -> form::Context<'a> {
        form::Context {
            kind: opened.kind,
            current: &opened.fields,
            code_fixed: opened.code_fixed || self.person.is_owner(),
            languages: &opened.languages,
            default_language: &opened.default_language,
        }
    }

    fn form(&self, status: StatusCode, opened: Opened, msgs: &[FieldMsg]) -> Answer {
        Answer::Page(
            status,
            form_page(&self.shared, &self.person, opened, msgs, None),
        )
    }

    fn failed(&self, f: EditError) -> Answer {
        let (status, body) = failed_page(self.person.lang, &self.id, f);
        Answer::Page(status, body)
    }
}
