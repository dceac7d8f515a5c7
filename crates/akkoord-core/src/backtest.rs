//! Backtests of appointments: a forecast scored against what happened, beside the naive
//! baseline's call, and the scores over many cases.
//!
//! Pure like the rest of the engine: the caller runs the forecast
//! ([`crate::montecarlo::forecast_appointment`]) and names the case; this module only scores.

use crate::montecarlo::{AppointmentForecast, naive_favourite};
use crate::scenario::{AppointmentScenario, KnownOutcome, Scenario};
use crate::scoring::{
    CategoricalForecast, CategoricalSummary, ReliabilityBin, reliability, summarise_categorical,
};
use crate::validate::{NO_AGREEMENT, NOT_NAMED};

/// Bins of the backtest's reliability table.
pub const RELIABILITY_BINS: usize = 10;

/// Why a scenario cannot be scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unscorable {
    /// It has no appointment; backtests score appointments.
    NoAppointment,
    /// It records no known winner.
    NoOutcome,
}

impl std::fmt::Display for Unscorable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NoAppointment => "it has no appointment; backtests score appointments",
            Self::NoOutcome => "it records no known winner ([outcome] winner = ...)",
        })
    }
}

/// The outcome index a backtest scores: the candidates in order, then no agreement, then a
/// winner who was not named on the as-of date.
pub fn actual_outcome(s: &Scenario) -> Result<(AppointmentScenario<'_>, usize), Unscorable> {
    let appointing = s.with_appointment().ok_or(Unscorable::NoAppointment)?;
    let no_agreement = appointing.appointment().candidates.len();
    let actual = match &s.outcome {
        Some(KnownOutcome::Candidate(c)) => c.index(),
        Some(KnownOutcome::NoAgreement) => no_agreement,
        Some(KnownOutcome::NotNamed) => no_agreement + 1,
        _ => return Err(Unscorable::NoOutcome),
    };
    Ok((appointing, actual))
}

/// The naive baseline's call on a case and its scores.
#[derive(Clone, Debug)]
pub struct NaiveCall {
    /// The outcome it predicts (a candidate id, or no agreement).
    pub prediction: String,
    /// Whether that is what happened.
    pub hit: bool,
    /// Its Brier score.
    pub brier: f64,
    /// Its floored log score.
    pub log_score: f64,
    /// Its forecast: certainty on its call.
    pub forecast: CategoricalForecast,
}

/// One scored case.
#[derive(Clone, Debug)]
pub struct ScoredCase {
    /// How the caller names the case (a file name).
    pub label: String,
    /// The scenario's title.
    pub title: String,
    /// What happened: a candidate id, `no-agreement` or `not-named`.
    pub actual: String,
    /// The probability the forecast gave to what happened.
    pub probability: f64,
    /// The rank of what happened among the outcomes (1: the forecast's favourite).
    pub rank: usize,
    /// The Brier score.
    pub brier: f64,
    /// The floored log score.
    pub log_score: f64,
    /// The forecast over the outcomes (candidates, no agreement, not named).
    pub forecast: CategoricalForecast,
    /// The naive baseline on the same case.
    pub naive: NaiveCall,
    /// Sources cited for judgements.
    pub sources: usize,
    /// Of which carry no date.
    pub undated_sources: usize,
}

/// Scores `forecast`, the forecast of the appointment `s` whose outcome is `actual` (from
/// [`actual_outcome`]).
pub fn score_case(
    label: String,
    s: AppointmentScenario<'_>,
    actual: usize,
    forecast: &AppointmentForecast,
) -> ScoredCase {
    let a = s.appointment();
    let no_agreement = a.candidates.len();
    let mut probabilities: Vec<f64> = forecast.candidates.iter().map(|e| e.probability).collect();
    probabilities.push(forecast.no_agreement.probability);
    probabilities.push(forecast.not_named.probability);
    let forecast = CategoricalForecast {
        probabilities,
        actual,
    };
    let naive = naive_favourite(s).unwrap_or(no_agreement);
    let name = |o: usize| match o {
        o if o == no_agreement => NO_AGREEMENT.to_owned(),
        o if o == no_agreement + 1 => NOT_NAMED.to_owned(),
        c => a.candidates[c].id.clone(),
    };
    let (sources, undated_sources) = s.cited_sources().fold((0, 0), |(n, undated), e| {
        (n + 1, undated + usize::from(e.date.is_none()))
    });
    let naive_forecast = CategoricalForecast::certain(forecast.probabilities.len(), naive, actual);
    ScoredCase {
        label,
        title: s.meta.title.clone(),
        actual: name(actual),
        probability: forecast.probability_of_actual(),
        rank: forecast.rank(),
        brier: forecast.brier(),
        log_score: forecast.log_score(),
        naive: NaiveCall {
            prediction: name(naive),
            hit: naive == actual,
            brier: naive_forecast.brier(),
            log_score: naive_forecast.log_score(),
            forecast: naive_forecast,
        },
        forecast,
        sources,
        undated_sources,
    }
}

/// The scores of a backtest over its cases.
#[derive(Clone, Debug)]
pub struct AppointmentBacktest {
    /// Draws per case.
    pub runs: u64,
    /// The seed of every case's forecast.
    pub seed: u64,
    /// The cases, in the order given.
    pub cases: Vec<ScoredCase>,
    /// akkoord's scores over the cases.
    pub akkoord: CategoricalSummary,
    /// The naive baseline's.
    pub naive: CategoricalSummary,
    /// How often outcomes forecast at about each probability happened.
    pub reliability: Vec<ReliabilityBin>,
    /// Sources cited over all cases.
    pub sources: usize,
    /// Of which carry no date.
    pub undated_sources: usize,
}

/// The scores over `cases`, forecast with `runs` draws and `seed`.
pub fn summarise_cases(cases: Vec<ScoredCase>, runs: u64, seed: u64) -> AppointmentBacktest {
    let forecasts: Vec<CategoricalForecast> = cases.iter().map(|c| c.forecast.clone()).collect();
    let naive: Vec<CategoricalForecast> = cases.iter().map(|c| c.naive.forecast.clone()).collect();
    AppointmentBacktest {
        runs,
        seed,
        akkoord: summarise_categorical(&forecasts),
        naive: summarise_categorical(&naive),
        reliability: reliability(&forecasts, RELIABILITY_BINS),
        sources: cases.iter().map(|c| c.sources).sum(),
        undated_sources: cases.iter().map(|c| c.undated_sources).sum(),
        cases,
    }
}
