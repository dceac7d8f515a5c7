//! The self-contained HTML report (with each chart also as SVG text): the forecast of an
//! appointment, or every model on continuous issues, and every assumption it rests on.

use akkoord_core::models::consensus::PARAMETERS;
use akkoord_core::models::exchange;
use akkoord_core::models::expected_utility;
use akkoord_core::models::issue_model::ISSUE_MODEL_ROUNDS;
use akkoord_core::scenario::{AppointmentScenario, Scenario};
use akkoord_io::InputFormat;
use akkoord_report::html::{self, IssueResults, Report};
use akkoord_report::json::{ForecastOutput, IssueForecastOutput};

use crate::Error;
use crate::settings::ForecastSettings;

/// Settings of [`report`].
#[derive(Clone, Debug, Default)]
pub struct ReportSettings {
    /// The forecast's settings.
    pub forecast: ForecastSettings,
    /// How the scenario is named in the report (its path).
    pub name: String,
    /// The title when the scenario has none: `Report on` this (the file's name).
    pub untitled: String,
    /// The format the scenario was read from.
    pub format: Option<InputFormat>,
}

/// The report on scenario `s`.
pub fn report(s: &Scenario, settings: &ReportSettings) -> Result<Report, Error> {
    crate::load::require_unit_saliences(s, "report")?;
    let mut parameters = vec![
        ("scenario".to_owned(), settings.name.clone()),
        (
            "read as".to_owned(),
            settings.format.map_or("", InputFormat::name).to_owned(),
        ),
        ("seed".to_owned(), settings.forecast.seed.to_string()),
    ];
    let about = |parameters| html::ReportSettings {
        version: env!("CARGO_PKG_VERSION"),
        parameters,
        fallback_title: format!("Report on {}", settings.untitled),
    };
    match s.with_appointment() {
        Some(appointing) => {
            let out = appointment(appointing, &settings.forecast, &mut parameters)?;
            Ok(html::appointment(appointing, &out, &about(parameters)))
        }
        None => issues(s, &settings.forecast, parameters, &about),
    }
}

/// The forecast of an appointment, with its parameters listed.
fn appointment(
    s: AppointmentScenario<'_>,
    settings: &ForecastSettings,
    parameters: &mut Vec<(String, String)>,
) -> Result<ForecastOutput, Error> {
    let result = crate::forecast::appointment(s, settings, &|_| {})?;
    let p = &result.params;
    parameters.extend([
        (
            "model".to_owned(),
            "consensus (veto) model with lobbying and side deals; docs/models/consensus.md"
                .to_owned(),
        ),
        (
            "Monte Carlo draws".to_owned(),
            settings.appointment_runs().to_string(),
        ),
        (
            "rounds before the fallback".to_owned(),
            p.rounds.to_string(),
        ),
        (
            "deal window (last rounds in which holdouts sell consent through side deals)"
                .to_owned(),
            p.deal_window.to_string(),
        ),
        ("lobbying intensity".to_owned(), p.lobbying.to_string()),
        (
            "withdrawal threshold".to_owned(),
            p.withdraw_share.to_string(),
        ),
        (
            "nomination threshold".to_owned(),
            p.nomination_share.to_string(),
        ),
        ("lever draws".to_owned(), settings.lever_runs.to_string()),
        ("parameters from".to_owned(), settings.model.source.clone()),
    ]);
    // The parameters of the second generation (the others are listed above by name).
    for param in PARAMETERS {
        let listed = ["lobbying", "withdraw_share", "nomination_share"].contains(&param.name);
        if let (false, Some(value)) = (listed, p.get(param.name)) {
            parameters.push((param.name.replace('_', " "), value.to_string()));
        }
    }
    Ok(result.output(s))
}

/// The report of continuous issues: every model's prediction, trajectories, positions.
fn issues(
    s: &Scenario,
    settings: &ForecastSettings,
    mut parameters: Vec<(String, String)>,
    about: &dyn Fn(Vec<(String, String)>) -> html::ReportSettings<'static>,
) -> Result<Report, Error> {
    // The same runs as the issue models of the forecast.
    let bdm = expected_utility::run(s, &expected_utility::IssueForecast::config());
    let exchange_run = exchange::IssueForecast::run(s);
    let result = crate::forecast::issues(s, settings, &|_| {})?;
    let forecast = IssueForecastOutput::new(s, result.runs, result.seed, &result.forecasts);
    parameters.extend([
        (
            "expected-utility model".to_owned(),
            format!("scholz preset, {ISSUE_MODEL_ROUNDS} rounds"),
        ),
        (
            "exchange model".to_owned(),
            format!("Equal Gain, {ISSUE_MODEL_ROUNDS} rounds, canonical ties"),
        ),
        (
            "Monte Carlo draws for the intervals".to_owned(),
            result.runs.to_string(),
        ),
    ]);
    let results = IssueResults {
        bdm: &bdm,
        exchange: exchange_run.as_ref(),
        forecast: Some(&forecast),
    };
    Ok(html::issues(s, &results, &about(parameters)))
}
