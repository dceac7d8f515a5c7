//! Forecasts: an appointment (who gets the job, or no agreement) or every model's outcome of
//! continuous issues, by Monte Carlo over every uncertain input.

use akkoord_core::models::consensus::{ConsensusMap, ConsensusParams, consensus_map};
use akkoord_core::montecarlo::{self, AppointmentForecast, IssueForecast, McConfig};
use akkoord_core::scenario::{AppointmentScenario, Scenario};

use akkoord_report::json::{ConsensusSettingsJson, ForecastOutput};

use crate::settings::ForecastSettings;
use crate::{Error, draws, with_threads};

/// Progress of a forecast: called with the number of draws just finished, from worker threads.
pub type Progress<'a> = &'a (dyn Fn(usize) + Sync);

/// An appointment forecast with what it was made from.
#[derive(Clone, Debug)]
pub struct AppointmentResult {
    /// The forecast.
    pub forecast: AppointmentForecast,
    /// The consensus map as the scenario stands.
    pub map: ConsensusMap,
    /// The parameters of the consensus model it ran with (at their fitted values, when
    /// drawn with a spread).
    pub params: ConsensusParams,
    /// The consensus settings as outputs record them.
    pub settings: ConsensusSettingsJson,
}

impl AppointmentResult {
    /// The forecast as the outputs (JSON, tables, CSV, HTML) show it.
    pub fn output(&self, s: AppointmentScenario<'_>) -> ForecastOutput {
        ForecastOutput::new(s, &self.forecast, &self.map, self.settings.clone())
    }
}

/// Forecasts the appointment of `s`.
pub fn appointment(
    s: AppointmentScenario<'_>,
    settings: &ForecastSettings,
    progress: Progress<'_>,
) -> Result<AppointmentResult, Error> {
    crate::load::require_unit_saliences(&s, "forecast")?;
    let params = settings.consensus_params(&s)?;
    let config = McConfig {
        runs: draws(settings.appointment_runs())?,
        seed: settings.seed,
    };
    let lever_runs = usize::try_from(settings.lever_runs).unwrap_or(usize::MAX);
    let spread = settings.spread();
    let forecast = with_threads(settings.threads, || {
        if spread.iter().any(|sd| *sd > 0.0) {
            montecarlo::forecast_appointment_with_spread(
                s, &params, &spread, config, lever_runs, progress,
            )
        } else {
            montecarlo::forecast_appointment(s, &params, config, lever_runs, progress)
        }
    })?;
    Ok(AppointmentResult {
        forecast,
        map: consensus_map(s, &params),
        settings: settings.consensus_json(Some(params.rounds))?,
        params,
    })
}

/// A forecast of continuous issues.
#[derive(Clone, Debug)]
pub struct IssuesResult {
    /// Draws run.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// One forecast per issue, in issue order.
    pub forecasts: Vec<IssueForecast>,
}

/// Forecasts every continuous issue of `s` with every issue model.
pub fn issues(
    s: &Scenario,
    settings: &ForecastSettings,
    progress: Progress<'_>,
) -> Result<IssuesResult, Error> {
    crate::load::require_unit_saliences(s, "forecast")?;
    let config = McConfig {
        runs: draws(settings.issue_runs(s))?,
        seed: settings.seed,
    };
    let forecasts = with_threads(settings.threads, || {
        montecarlo::forecast_issues(s, config, progress)
    })?;
    Ok(IssuesResult {
        runs: config.runs,
        seed: config.seed,
        forecasts,
    })
}
