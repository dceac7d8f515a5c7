//! The server-rendered pages (minijinja): the scenario list and the workbench of one
//! scenario, with the charts drawn by the report's own SVG code. An invalid or issues-only
//! scenario gets a page that says so, never an error page from the server.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use akkoord::core::scenario::Uncertainty;
use akkoord::render::json::ForecastOutput;
use akkoord::render::svg;

use crate::AppState;
use crate::api::{Failure, QUICK_RUNS, forecast_text, probabilities, session};

const LIST: &str = include_str!("../templates/list.html");
const WORKBENCH: &str = include_str!("../templates/workbench.html");
const SCRIPT: &str = include_str!("../assets/app.js");
const STYLE: &str = include_str!("../assets/app.css");

fn render(template: &str, values: Value) -> Result<String, Failure> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.render_str(template, values)
        .map_err(|e| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, format!("page: {e}")))
}

/// The probability chart of a forecast.
pub(crate) fn chart(forecast: &ForecastOutput) -> String {
    let bars: Vec<svg::Bar> = forecast
        .outcomes
        .iter()
        .map(|o| svg::Bar {
            label: o.label.clone(),
            value: o.probability,
            interval: Some((o.interval[0], o.interval[1])),
        })
        .collect();
    svg::probability_bars("Who gets the job", &bars)
}

/// A row of the scenario list.
#[derive(Serialize)]
struct Row {
    name: String,
    status: String,
    headline: String,
}

/// `GET /`: every scenario of the folder with its check status and a quick headline.
pub(crate) async fn list(State(state): State<AppState>) -> Result<Html<String>, Failure> {
    let names = state.folder.scenarios().map_err(|e| {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot list the folder: {e}"),
        )
    })?;
    let mut rows = Vec::new();
    for name in names {
        let text = std::fs::read_to_string(state.folder.root().join(&name)).unwrap_or_default();
        let row = match forecast_text(name.clone(), text, Some(QUICK_RUNS)).await {
            Ok(forecast) => Row {
                status: "valid".to_owned(),
                headline: headline(&forecast),
                name,
            },
            Err(failure) => Row {
                status: if failure.problems.is_empty() {
                    "valid"
                } else {
                    "invalid"
                }
                .to_owned(),
                headline: failure.message,
                name,
            },
        };
        rows.push(row);
    }
    let folder = state.folder.root().display().to_string();
    render(LIST, context! { rows => Value::from(Serde(&rows)), folder }).map(Html)
}

fn headline(forecast: &ForecastOutput) -> String {
    forecast
        .outcomes
        .iter()
        .max_by(|a, b| a.probability.total_cmp(&b.probability))
        .map_or_else(String::new, |o| {
            format!("{} {:.1}% (quick estimate)", o.label, 100.0 * o.probability)
        })
}

/// A cell of the stance grid.
#[derive(Serialize)]
struct GridCell {
    candidate: String,
    /// Numbers as the file writes them (`20`, not `20.0`), for the editor's fields.
    support: Option<String>,
    sd: Option<String>,
    salience: Option<String>,
    /// Prefers the candidate to the fallback.
    above: bool,
}

#[derive(Serialize)]
struct GridRow {
    actor: String,
    name: String,
    cells: Vec<GridCell>,
}

/// `GET /s/{name}`: the workbench of one scenario.
pub(crate) async fn workbench(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, Failure> {
    let open = session(&state, &name)?;
    let loaded = akkoord::load::load(
        &name,
        open.edited.as_bytes(),
        &akkoord::load::LoadSettings::default(),
    );
    let scenario = match loaded {
        Ok(loaded) => loaded.scenario,
        Err(e) => {
            let failure = Failure::from(e);
            let page = render(
                WORKBENCH,
                context! { name, error => failure.message, problems => Value::from(Serde(&failure.problems)) },
            )?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page)).into_response());
        }
    };
    let Some(appointment) = scenario.appointment.as_ref() else {
        let page = render(
            WORKBENCH,
            context! {
                name,
                title => scenario.meta.title.clone(),
                error => "This scenario has no appointment: it holds continuous issues only. The workbench edits appointments; the report below covers the issues.",
                issues_only => true,
            },
        )?;
        return Ok(Html(page).into_response());
    };
    let grid: Vec<GridRow> = scenario
        .actors
        .iter()
        .enumerate()
        .map(|(a, actor)| GridRow {
            actor: actor.id.clone(),
            name: actor.name.clone(),
            cells: appointment
                .candidates
                .iter()
                .enumerate()
                .map(|(c, candidate)| {
                    let stance = appointment.stances[a][c].as_ref();
                    let fallback = appointment.fallback_stances[a].support;
                    GridCell {
                        candidate: candidate.id.clone(),
                        support: stance.map(|s| s.support.to_string()),
                        sd: stance.and_then(|s| match s.uncertainty {
                            Uncertainty::Normal { sd } => Some(sd.to_string()),
                            _ => None,
                        }),
                        salience: stance.map(|s| s.salience.to_string()),
                        above: stance.is_some_and(|s| s.support > fallback),
                    }
                })
                .collect(),
        })
        .collect();
    let candidates: Vec<(String, String)> = appointment
        .candidates
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    let forecast = forecast_text(name.clone(), open.edited.clone(), None).await?;
    let baseline = probabilities(&forecast);
    {
        let mut sessions = state.sessions.lock().map_err(|_| {
            Failure::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the server's state is broken",
            )
        })?;
        if let Some(s) = sessions.get_mut(&name) {
            s.baseline = baseline;
        }
    }
    let page = render(
        WORKBENCH,
        context! {
            name,
            title => forecast.title.clone(),
            chart => chart(&forecast),
            forecast => Value::from(Serde(&forecast)),
            grid => Value::from(Serde(&grid)),
            candidates,
        },
    )?;
    Ok(Html(page).into_response())
}

/// `GET /assets/app.js`.
pub(crate) async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
}

/// `GET /assets/app.css`.
pub(crate) async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE)
}
