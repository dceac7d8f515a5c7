//! The JSON endpoints and downloads: a stance edit with its quick re-forecast, the full
//! forecast, the save, and the report and forecast files. Every failure is a 4xx with a
//! message (and the located problems of an invalid scenario), never a panic.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use akkoord::render::json::ForecastOutput;
use akkoord::settings::ForecastSettings;
use akkoord::{Error, Problem};

use crate::edit::{StanceEdit, apply_stance};
use crate::folder::Unservable;
use crate::{AppState, Session};

/// Draws of the quick estimate shown right after an edit, and its lever draws.
pub(crate) const QUICK_RUNS: u64 = 2000;
const QUICK_LEVER_RUNS: u64 = 200;

/// A failed request: its status and what to tell the user.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    pub(crate) problems: Vec<ProblemJson>,
}

/// A located problem of an invalid scenario, worded as `akkoord check` words it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ProblemJson {
    pub(crate) message: String,
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
    pub(crate) hints: Vec<String>,
}

impl Failure {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            problems: Vec::new(),
        }
    }
}

impl From<Unservable> for Failure {
    fn from(why: Unservable) -> Self {
        match why {
            Unservable::Outside => Self::new(
                StatusCode::FORBIDDEN,
                "that path is outside the served folder",
            ),
            Unservable::Missing => Self::new(StatusCode::NOT_FOUND, "no such scenario is served"),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let problems = e.problems().iter().map(problem_json).collect();
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: e.to_string(),
            problems,
        }
    }
}

fn problem_json(p: &Problem) -> ProblemJson {
    let place = p.line_column();
    ProblemJson {
        message: p.message.clone(),
        line: place.map(|(line, _)| line),
        column: place.map(|(_, column)| column),
        hints: p.hints.clone(),
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message, "problems": self.problems });
        (self.status, Json(body)).into_response()
    }
}

/// The scenario `name`'s session, opened from disk on first use.
pub(crate) fn session(state: &AppState, name: &str) -> Result<Session, Failure> {
    let path = state.folder.resolve(name)?;
    let mut sessions = state.sessions.lock().map_err(|_| {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the server's state is broken",
        )
    })?;
    if let Some(open) = sessions.get(name) {
        return Ok(open.clone());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("cannot read {name}: {e}"),
        )
    })?;
    let opened = Session {
        on_disk: text.clone(),
        edited: text,
        baseline: Vec::new(),
    };
    sessions.insert(name.to_owned(), opened.clone());
    Ok(opened)
}

/// Changes the session of `name` with `change`.
fn update(state: &AppState, name: &str, change: impl FnOnce(&mut Session)) -> Result<(), Failure> {
    let mut sessions = state.sessions.lock().map_err(|_| {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the server's state is broken",
        )
    })?;
    if let Some(open) = sessions.get_mut(name) {
        change(open);
    }
    Ok(())
}

/// The forecast of the appointment in `text` with `runs` draws (`None`: the full default),
/// run on the blocking pool so that the async runtime stays free.
pub(crate) async fn forecast_text(
    name: String,
    text: String,
    runs: Option<u64>,
) -> Result<ForecastOutput, Failure> {
    tokio::task::spawn_blocking(move || forecast_now(&name, &text, runs))
        .await
        .map_err(|_| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "the forecast stopped"))?
}

fn forecast_now(name: &str, text: &str, runs: Option<u64>) -> Result<ForecastOutput, Failure> {
    let loaded = akkoord::load::load(
        name,
        text.as_bytes(),
        &akkoord::load::LoadSettings::default(),
    )?;
    let s = &loaded.scenario;
    let appointing = s.with_appointment().ok_or_else(|| {
        Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "this scenario has no appointment; the workbench forecasts appointments",
        )
    })?;
    let mut settings = ForecastSettings {
        runs,
        ..ForecastSettings::default()
    };
    if runs.is_some() {
        settings.lever_runs = QUICK_LEVER_RUNS;
    }
    let result = akkoord::forecast::appointment(appointing, &settings, &|_| {})?;
    Ok(result.output(appointing))
}

/// One outcome's probability before and after an edit.
#[derive(Debug, Serialize)]
pub(crate) struct Change {
    id: String,
    label: String,
    before: Option<f64>,
    after: f64,
}

/// A forecast as the page shows it: the numbers, the chart, and the change.
#[derive(Debug, Serialize)]
pub(crate) struct ForecastReply {
    /// `quick` or `full`.
    estimate: &'static str,
    forecast: ForecastOutput,
    chart: String,
    changes: Vec<Change>,
}

fn reply(
    estimate: &'static str,
    forecast: ForecastOutput,
    baseline: &[(String, f64)],
) -> ForecastReply {
    let changes = forecast
        .outcomes
        .iter()
        .map(|o| Change {
            id: o.id.clone(),
            label: o.label.clone(),
            before: baseline.iter().find(|(id, _)| *id == o.id).map(|(_, p)| *p),
            after: o.probability,
        })
        .collect();
    ForecastReply {
        estimate,
        chart: crate::page::chart(&forecast),
        forecast,
        changes,
    }
}

pub(crate) fn probabilities(forecast: &ForecastOutput) -> Vec<(String, f64)> {
    forecast
        .outcomes
        .iter()
        .map(|o| (o.id.clone(), o.probability))
        .collect()
}

/// `POST /api/stance/{name}`: applies a stance edit in memory and returns the quick estimate
/// with its change against the last full forecast. An edit that makes the scenario invalid
/// is refused with its problems and not kept.
pub(crate) async fn stance(
    State(state): State<AppState>,
    Path(name): Path<String>,
    edit: Result<Json<StanceEdit>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<ForecastReply>, Failure> {
    let Json(edit) = edit.map_err(|e| {
        // Too large stays 413; every other unreadable body is the client's mistake, 400.
        let status = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            e.status()
        } else {
            StatusCode::BAD_REQUEST
        };
        Failure::new(status, e.body_text())
    })?;
    let open = session(&state, &name)?;
    let edited = apply_stance(&open.edited, &edit)
        .map_err(|e| Failure::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    let forecast = forecast_text(name.clone(), edited.clone(), Some(QUICK_RUNS)).await?;
    update(&state, &name, |s| s.edited = edited)?;
    Ok(Json(reply("quick", forecast, &open.baseline)))
}

/// `GET /api/forecast/{name}`: the full forecast of the scenario as edited, with its change
/// against the last full one, which it then replaces.
pub(crate) async fn forecast(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Json<ForecastReply>, Failure> {
    let open = session(&state, &name)?;
    let forecast = forecast_text(name.clone(), open.edited.clone(), None).await?;
    let now = probabilities(&forecast);
    update(&state, &name, |s| s.baseline = now)?;
    Ok(Json(reply("full", forecast, &open.baseline)))
}

/// `POST /api/save/{name}`: writes the edited scenario to its file, only when it validates
/// and the file has not changed on disk since it was loaded; write, then rename, so that no
/// reader ever sees half a file.
pub(crate) async fn save(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, Failure> {
    let path = state.folder.resolve(&name)?;
    let open = session(&state, &name)?;
    akkoord::load::load(
        &name,
        open.edited.as_bytes(),
        &akkoord::load::LoadSettings::default(),
    )?;
    let now = std::fs::read_to_string(&path).unwrap_or_default();
    if now != open.on_disk {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            format!(
                "{name} changed on disk since it was opened; reload it before saving (nothing was written)"
            ),
        ));
    }
    let mut temporary = path.clone().into_os_string();
    temporary.push(".akkoord-saving");
    let written =
        std::fs::write(&temporary, &open.edited).and_then(|()| std::fs::rename(&temporary, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot write {name}: {e}"),
        ));
    }
    let saved = open.edited.clone();
    update(&state, &name, |s| s.on_disk = saved)?;
    Ok(Json(serde_json::json!({ "saved": name })))
}

/// The format of a download.
#[derive(Debug, Deserialize)]
pub(crate) struct DownloadQuery {
    format: String,
}

/// `GET /download/{name}?format=html|json|csv`: the report or the forecast of the scenario as
/// edited.
pub(crate) async fn download(
    State(state): State<AppState>,
    Path(name): Path<String>,
    query: Result<Query<DownloadQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Failure> {
    let Query(query) = query.map_err(|e| Failure::new(StatusCode::BAD_REQUEST, e.body_text()))?;
    let open = session(&state, &name)?;
    let stem = name.trim_end_matches(".toml").replace('/', "-");
    let (kind, body) = match query.format.as_str() {
        "html" => {
            let text = open.edited.clone();
            let label = name.clone();
            let report = tokio::task::spawn_blocking(move || report_now(&label, &text))
                .await
                .map_err(|_| {
                    Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "the report stopped")
                })??;
            ("text/html; charset=utf-8", (report, "html"))
        }
        "json" | "csv" => {
            let forecast = forecast_text(name.clone(), open.edited.clone(), None).await?;
            if query.format == "json" {
                (
                    "application/json",
                    (akkoord::render::json::to_string(&forecast), "json"),
                )
            } else {
                (
                    "text/csv",
                    (akkoord::render::csv_out::forecast(&forecast), "csv"),
                )
            }
        }
        other => {
            return Err(Failure::new(
                StatusCode::BAD_REQUEST,
                format!("unknown format \"{other}\", expected html, json or csv"),
            ));
        }
    };
    let (text, extension) = body;
    let disposition = format!("attachment; filename=\"{stem}.{extension}\"");
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}

fn report_now(name: &str, text: &str) -> Result<String, Failure> {
    let loaded = akkoord::load::load(
        name,
        text.as_bytes(),
        &akkoord::load::LoadSettings::default(),
    )?;
    let settings = akkoord::report::ReportSettings {
        name: name.to_owned(),
        untitled: name.to_owned(),
        format: Some(loaded.format),
        ..akkoord::report::ReportSettings::default()
    };
    Ok(akkoord::report::report(&loaded.scenario, &settings)?.html)
}
