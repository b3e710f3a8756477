//! The editor: what volunteers change from a phone, written into the site's files. It knows
//! nothing of HTTP (`serve` hands it forms and uploads): it finds entries by their identity
//! (`section/slug`), never by a path from a request, checks a change as a build would, refuses
//! it when the file changed since the form was opened, and writes whole files atomically.

pub mod document;
pub mod auth;
pub mod upload;
