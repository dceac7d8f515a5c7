//! The akkoord web workbench: a local server that lists the scenarios of a folder, shows one
//! scenario's forecast with its consensus map as an actor x candidate grid, re-forecasts on
//! each stance edit (a quick estimate, then the full forecast), and saves the edit back into
//! the TOML file with its comments and layout.
//!
//! This crate owns HTTP only: it turns requests into the library's settings, runs the
//! library's pipelines on rayon outside the async runtime, and renders with the library's
//! renderers. It never reads or writes a file outside the served folder ([`folder`]), never
//! writes a scenario that does not validate, and never overwrites a file changed on disk
//! since it was loaded. Every script and style it serves is compiled into it.

mod api;
pub mod edit;
pub mod folder;
mod page;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub use folder::ServedFolder;

/// The largest request body accepted.
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// What the server holds: the folder, and each opened scenario's text.
#[derive(Clone)]
pub struct AppState {
    folder: Arc<ServedFolder>,
    sessions: Arc<Mutex<HashMap<String, Session>>>,
}

/// One opened scenario.
#[derive(Clone, Debug)]
struct Session {
    /// The file's text when it was loaded or last saved: a save checks the disk against it.
    on_disk: String,
    /// The text with the edits made since.
    edited: String,
    /// The probabilities of the last full forecast, by outcome id: edits are shown against it.
    baseline: Vec<(String, f64)>,
}

/// The router of the workbench on `folder`.
pub fn router(folder: ServedFolder) -> Router {
    let state = AppState {
        folder: Arc::new(folder),
        sessions: Arc::default(),
    };
    Router::new()
        .route("/", get(page::list))
        .route("/s/{*name}", get(page::workbench))
        .route("/download/{*name}", get(api::download))
        .route("/api/stance/{*name}", post(api::stance))
        .route("/api/forecast/{*name}", get(api::forecast))
        .route("/api/save/{*name}", post(api::save))
        .route("/assets/app.js", get(page::script))
        .route("/assets/app.css", get(page::style))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// Serves the workbench on `listener` until the process ends.
pub async fn serve(folder: ServedFolder, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router(folder)).await
}
