//! Waymark: a static-site generator for heritage sites and homestays. One Markdown file per
//! place becomes a multilingual mobile website, and every place gets a permanent QR code.
//!
//! Data flows one way: load (config, content, theme) -> model (site) -> media (photos, audio)
//! -> backends that read the model: the website (`render`) and print files (`print`), each
//! writing through an output `Sink`. `pipeline` defines the stages once; each command runs
//! the ones it needs. ARCHITECTURE.md is the map.

// A Diagnostic (file, line, message, hint, source line) is the product of the error path, which is
// cold; boxing it everywhere would only add noise.
#![allow(clippy::result_large_err)]
// The one exception, the WebP encoder's FFI, says so where it is (media/webp.rs).
#![deny(unsafe_code)]

pub mod address;
pub mod cmd;
pub mod config;
pub mod content;
pub mod days;
pub mod deploy;
pub mod edit;
pub mod error;
pub mod export;
pub mod import;
pub mod incremental;
pub mod ledger;
pub mod lock;
pub mod media;
pub mod nearby;
pub mod output;
pub mod pipeline;
pub mod print;
pub mod progress;
pub mod qr;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod slug;
pub mod stats;
pub mod theme;
pub mod verify;
pub mod vocab;
pub mod yaml;

pub use pipeline::{build, check, plaques, BuildOptions, Report};
