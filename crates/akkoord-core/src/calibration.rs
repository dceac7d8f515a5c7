//! Calibration of the consensus model's parameters ([`PARAMETERS`]) on a library of
//! appointment cases whose outcome is known, and the out-of-sample scores that say whether the
//! fit is worth having.
//!
//! **Objective.** The mean floored log score ([`CategoricalForecast::log_score`]) of what
//! really happened, over the cases, each forecast with the same seed and the same draws for
//! every parameter vector (common random numbers): two vectors are compared on identical
//! uncertain inputs, so the objective moves only when the parameters change an outcome, and
//! Nelder–Mead (argmin) can follow it. The Brier score is reported beside it.
//!
//! **Coordinates.** The optimiser moves in logit coordinates of each parameter's range
//! (`low + (high − low) · σ(x)`), so no vector it tries lies outside the plausible range.
//!
//! **Identification.** A parameter is fitted only when the data can say something about it:
//! 1. *Profile.* The objective is evaluated across each parameter's range, the others at
//!    their argued values; a parameter whose objective moves less than [`FLAT_TOLERANCE`] is flat.
//! 2. *Stability.* After the cross-validation fits, a fitted parameter whose values across
//!    folds spread by more than [`UNSTABLE_SPREAD`] of its range is unstable.
//!
//! Either way the parameter is reported as not identified and kept at its argued value
//! (unstable ones are fixed and every fit is run again once).
//!
//! **Cross-validation.** Leave-one-case-out or K folds: each fold is fitted from the argued values
//! on the other cases only (never started from a fit that saw the held-out case) and then
//! forecasts its held-out cases. The spread of the fold fits (a jackknife over cases) is the
//! parameters' sampling spread, reported in the optimiser's coordinates.
//!
//! **Determinism.** Cases, folds and draws run in parallel with rayon; counts are integers
//! added in any order and every float is reduced in case order, so a calibration depends only
//! on the cases, the settings and the seed, never on the number of threads.
//!
//! This module never reads files or prints; progress goes out through a callback.

use std::sync::atomic::{AtomicUsize, Ordering};

use argmin::core::{CostFunction, Executor, State};
use argmin::solver::neldermead::NelderMead;
use rayon::prelude::*;

use crate::backtest::{Unscorable, actual_outcome};
use crate::models::consensus::{ConsensusParams, DrawPlan, PARAMETERS, Parameter, simulate_owned};
use crate::montecarlo::{naive_favourite, outcome_index};
use crate::scenario::{AppointmentScenario, Scenario};
use crate::scoring::{CategoricalForecast, CategoricalSummary, summarise_categorical};

/// A value for every parameter of [`PARAMETERS`], in that order.
pub type ParameterValues = [f64; PARAMETERS.len()];

/// The values argued by hand of every parameter: where a calibration starts, and what a
/// parameter it cannot identify keeps.
pub fn argued_values() -> ParameterValues {
    PARAMETERS.map(|p| p.argued)
}

/// The shipped defaults of every parameter.
pub fn default_values() -> ParameterValues {
    PARAMETERS.map(|p| p.default)
}

/// The consensus parameters of a case with `rounds` rounds and these values.
pub fn params_with(rounds: u32, values: &ParameterValues) -> ConsensusParams {
    let mut params = ConsensusParams::published(rounds);
    for (p, v) in PARAMETERS.iter().zip(values) {
        params.set(p.name, *v);
    }
    params
}

/// A parameter's objective moving less than this across its range (in mean log score, nats
/// per case) counts as flat: the library cannot identify it.
pub const FLAT_TOLERANCE: f64 = 0.01;

/// A fitted parameter whose fold fits have a standard deviation above this share of its
/// range counts as unstable: the library cannot pin it down.
pub const UNSTABLE_SPREAD: f64 = 0.2;

/// Where the profile evaluates each parameter, as shares of its range.
const PROFILE_POINTS: [f64; 5] = [0.05, 0.275, 0.5, 0.725, 0.95];

/// Size of the first simplex's steps in logit coordinates (about a quarter of the range
/// around the middle).
const SIMPLEX_STEP: f64 = 1.0;

/// Nelder–Mead stops when the objective's standard deviation over the simplex falls below
/// this (nats per case).
const SD_TOLERANCE: f64 = 1e-4;

/// Keeps a share of a range off its ends, where the logit is infinite.
const EDGE: f64 = 1e-6;

/// A parameter's value in the optimiser's coordinates.
pub fn to_free(p: &Parameter, value: f64) -> f64 {
    let u = ((value - p.low) / (p.high - p.low)).clamp(EDGE, 1.0 - EDGE);
    (u / (1.0 - u)).ln()
}

/// A parameter's value from the optimiser's coordinates: always inside its range.
pub fn from_free(p: &Parameter, x: f64) -> f64 {
    p.low + (p.high - p.low) / (1.0 + (-x).exp())
}

/// An appointment with a known outcome.
#[derive(Clone, Copy, Debug)]
pub struct Case<'a> {
    /// The scenario, written as of a date before the decision.
    pub scenario: AppointmentScenario<'a>,
    /// What happened, indexed as [`outcome_index`] indexes outcomes.
    pub actual: usize,
    /// Outcomes: the candidates, then no agreement, then someone not named.
    pub outcomes: usize,
    /// Bargaining rounds.
    pub rounds: u32,
}

impl<'a> Case<'a> {
    /// The case of `scenario`, with `rounds` rounds (the scenario's own when `None`).
    pub fn new(scenario: &'a Scenario, rounds: Option<u32>) -> Result<Self, Unscorable> {
        let (appointing, actual) = actual_outcome(scenario)?;
        Ok(Self {
            scenario: appointing,
            actual,
            outcomes: appointing.appointment().candidates.len() + 2,
            rounds: rounds.unwrap_or_else(|| scenario.deadline.rounds_or_default()),
        })
    }

    /// The naive rule's forecast: certain of the candidate with the most weighted support.
    pub fn naive(&self) -> CategoricalForecast {
        let call = naive_favourite(self.scenario).unwrap_or(self.outcomes - 2);
        CategoricalForecast::certain(self.outcomes, call, self.actual)
    }

    /// The model's forecast with these parameter values: `runs` draws under `seed`, the same
    /// draws as a forecast of the case with the same settings.
    pub fn forecast(
        &self,
        values: &ParameterValues,
        runs: usize,
        seed: u64,
    ) -> CategoricalForecast {
        let params = params_with(self.rounds, values);
        let plan = DrawPlan::new(self.scenario, &params);
        let candidates = self.outcomes - 2;
        let counts = (0..runs as u64)
            .into_par_iter()
            .fold(
                || vec![0usize; self.outcomes],
                |mut counts, i| {
                    let path = simulate_owned(self.scenario, plan.draw(seed, i), &params);
                    counts[outcome_index(&path, candidates)] += 1;
                    counts
                },
            )
            .reduce(
                || vec![0usize; self.outcomes],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    a
                },
            );
        CategoricalForecast {
            probabilities: counts
                .into_iter()
                .map(|k| k as f64 / runs.max(1) as f64)
                .collect(),
            actual: self.actual,
        }
    }
}

/// How the cases are split for cross-validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folds {
    /// Each case held out alone.
    LeaveOneOut,
    /// This many folds; case `i` (in the library's order) falls in fold `i mod K`.
    K(usize),
}

impl std::fmt::Display for Folds {
    /// As the command line writes them: `loo`, or the number of folds.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::LeaveOneOut => f.write_str("loo"),
            Self::K(k) => write!(f, "{k}"),
        }
    }
}

impl Folds {
    /// The held-out cases of each fold.
    fn held_out(self, cases: usize) -> Vec<Vec<usize>> {
        let k = match self {
            Self::LeaveOneOut => cases,
            Self::K(k) => k.clamp(1, cases.max(1)),
        };
        (0..k)
            .map(|f| (0..cases).filter(|i| i % k == f).collect())
            .collect()
    }
}

/// Settings of a calibration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Draws per case and parameter vector.
    pub runs: usize,
    /// Seed of every forecast (the common random numbers).
    pub seed: u64,
    /// Cross-validation.
    pub folds: Folds,
    /// Nelder–Mead iterations per fit at most.
    pub max_iterations: u64,
}

/// Whether, and why not, a parameter was fitted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Identification {
    /// Fitted.
    Fitted,
    /// Its objective moved by only this much across its range: kept at its argued value.
    Flat {
        /// Largest minus smallest mean log score over the profile.
        objective_range: f64,
    },
    /// Its fold fits spread by this share of its range: kept at its argued value.
    Unstable {
        /// Standard deviation of the fold fits over the range.
        spread: f64,
    },
}

/// One parameter after calibration.
#[derive(Clone, Debug, PartialEq)]
pub struct CalibratedParameter {
    /// The parameter (name, argued value, default, range).
    pub parameter: Parameter,
    /// The value to use: fitted on every case, or the argued value when not identified.
    pub value: f64,
    /// Whether it was fitted.
    pub identification: Identification,
    /// The profile: `(value, mean log score)` across the range, the others at their argued values.
    pub profile: Vec<(f64, f64)>,
    /// The value fitted in each fold (the argued value when not fitted).
    pub fold_values: Vec<f64>,
    /// Sampling spread of the fitted value: the jackknife standard deviation of the fold fits
    /// in the optimiser's (logit) coordinates; 0 when not fitted.
    pub free_sd: f64,
}

/// Largest minus smallest mean log score of a profile.
fn objective_range(profile: &[(f64, f64)]) -> f64 {
    let (lo, hi) = profile
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, s)| {
            (lo.min(*s), hi.max(*s))
        });
    hi - lo
}

impl CalibratedParameter {
    /// How far the mean log score moves across the parameter's range (the others at their
    /// argued values).
    pub fn objective_range(&self) -> f64 {
        objective_range(&self.profile)
    }
}

/// Scores of one forecaster, in sample and out of sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    /// Every case forecast by the forecaster (for the calibrated model: fitted on every case).
    pub in_sample: CategoricalSummary,
    /// Every case forecast by a forecaster that never saw it (for the argued values and the naive
    /// rule, which fit nothing, the same as in sample).
    pub out_of_sample: CategoricalSummary,
    /// The out-of-sample forecast of each case, in the library's order.
    pub forecasts: Vec<CategoricalForecast>,
}

/// The result of a calibration.
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    /// Cases used.
    pub cases: usize,
    /// The settings.
    pub settings: Settings,
    /// Every parameter of [`PARAMETERS`], in order.
    pub parameters: Vec<CalibratedParameter>,
    /// The calibrated model.
    pub calibrated: Scored,
    /// The model with the values argued by hand.
    pub argued: Scored,
    /// The naive rule.
    pub naive: Scored,
    /// Forecasts of a case made during the calibration (objective evaluations × cases).
    pub case_forecasts: usize,
}

impl Calibration {
    /// The calibrated values of every parameter.
    pub fn values(&self) -> ParameterValues {
        let mut values = argued_values();
        for (v, p) in values.iter_mut().zip(&self.parameters) {
            *v = p.value;
        }
        values
    }
}

/// Errors of the optimiser (which cannot fail on a well-formed objective; kept as a value so
/// that no panic can come out of a calibration).
#[derive(Debug, thiserror::Error)]
#[error("the optimiser failed: {0}")]
pub struct OptimiserError(String);

/// The objective over a set of cases: the negative mean log score of the model with the free
/// parameters at `x` (logit coordinates) and the others at `base`.
struct Objective<'c, 'a> {
    cases: &'c [Case<'a>],
    free: &'c [usize],
    base: ParameterValues,
    runs: usize,
    seed: u64,
    forecasts: &'c AtomicUsize,
}

impl Objective<'_, '_> {
    fn values(&self, x: &[f64]) -> ParameterValues {
        let mut values = self.base;
        for (&i, &xi) in self.free.iter().zip(x) {
            values[i] = from_free(&PARAMETERS[i], xi);
        }
        values
    }

    fn mean_log_score(&self, values: &ParameterValues) -> f64 {
        mean_log_score(self.cases, values, self.runs, self.seed, self.forecasts)
    }
}

impl CostFunction for Objective<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, x: &Self::Param) -> Result<f64, argmin::core::Error> {
        Ok(-self.mean_log_score(&self.values(x)))
    }
}

/// Forecasts every case with `values` (in parallel, collected in order).
fn forecast_all(
    cases: &[Case<'_>],
    values: &ParameterValues,
    runs: usize,
    seed: u64,
    counter: &AtomicUsize,
) -> Vec<CategoricalForecast> {
    counter.fetch_add(cases.len(), Ordering::Relaxed);
    cases
        .par_iter()
        .map(|c| c.forecast(values, runs, seed))
        .collect()
}

fn mean_log_score(
    cases: &[Case<'_>],
    values: &ParameterValues,
    runs: usize,
    seed: u64,
    counter: &AtomicUsize,
) -> f64 {
    summarise_categorical(&forecast_all(cases, values, runs, seed, counter)).mean_log_score
}

/// Fits the parameters `free` (indices into [`PARAMETERS`]) on `cases` by Nelder–Mead from
/// the argued values, the others held there.
fn fit(
    cases: &[Case<'_>],
    free: &[usize],
    settings: &Settings,
    counter: &AtomicUsize,
) -> Result<ParameterValues, OptimiserError> {
    let base = argued_values();
    if free.is_empty() || cases.is_empty() {
        return Ok(base);
    }
    let start: Vec<f64> = free
        .iter()
        .map(|&i| to_free(&PARAMETERS[i], base[i]))
        .collect();
    // The first simplex: the argued values and one step along each free coordinate, toward the
    // middle of the range so that no vertex starts at an end.
    let mut simplex = vec![start.clone()];
    for k in 0..free.len() {
        let mut vertex = start.clone();
        vertex[k] += if start[k] > 0.0 {
            -SIMPLEX_STEP
        } else {
            SIMPLEX_STEP
        };
        simplex.push(vertex);
    }
    let objective = Objective {
        cases,
        free,
        base,
        runs: settings.runs,
        seed: settings.seed,
        forecasts: counter,
    };
    let solver = NelderMead::new(simplex)
        .with_sd_tolerance(SD_TOLERANCE)
        .map_err(|e| OptimiserError(e.to_string()))?;
    let result = Executor::new(objective, solver)
        .configure(|state| state.max_iters(settings.max_iterations))
        .run()
        .map_err(|e| OptimiserError(e.to_string()))?;
    let best = result.state().get_best_param().cloned().unwrap_or(start);
    let mut values = base;
    for (&i, &x) in free.iter().zip(&best) {
        values[i] = from_free(&PARAMETERS[i], x);
    }
    Ok(values)
}

/// The objective across each parameter's range, the others at their argued values.
fn profiles(
    cases: &[Case<'_>],
    settings: &Settings,
    counter: &AtomicUsize,
) -> Vec<Vec<(f64, f64)>> {
    PARAMETERS
        .iter()
        .enumerate()
        .map(|(i, p)| {
            PROFILE_POINTS
                .iter()
                .map(|share| {
                    let mut values = argued_values();
                    values[i] = p.low + share * (p.high - p.low);
                    let score =
                        mean_log_score(cases, &values, settings.runs, settings.seed, counter);
                    (values[i], score)
                })
                .collect()
        })
        .collect()
}

/// What the cross-validation gives: each fold's fit, and each case's out-of-sample forecast.
struct CrossValidation {
    fold_fits: Vec<ParameterValues>,
    forecasts: Vec<CategoricalForecast>,
}

fn cross_validate(
    cases: &[Case<'_>],
    free: &[usize],
    settings: &Settings,
    counter: &AtomicUsize,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<CrossValidation, OptimiserError> {
    let folds = settings.folds.held_out(cases.len());
    let total = folds.len();
    let done = AtomicUsize::new(0);
    let fits: Vec<(ParameterValues, Vec<(usize, CategoricalForecast)>)> = folds
        .par_iter()
        .map(|held_out| {
            let training: Vec<Case<'_>> = (0..cases.len())
                .filter(|i| !held_out.contains(i))
                .map(|i| cases[i])
                .collect();
            let values = fit(&training, free, settings, counter)?;
            counter.fetch_add(held_out.len(), Ordering::Relaxed);
            let forecasts = held_out
                .iter()
                .map(|&i| (i, cases[i].forecast(&values, settings.runs, settings.seed)))
                .collect();
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            progress(&format!("fold {n} of {total} fitted"));
            Ok((values, forecasts))
        })
        .collect::<Result<_, OptimiserError>>()?;
    let mut forecasts: Vec<Option<CategoricalForecast>> = vec![None; cases.len()];
    for (i, f) in fits.iter().flat_map(|(_, f)| f) {
        forecasts[*i] = Some(f.clone());
    }
    Ok(CrossValidation {
        fold_fits: fits.into_iter().map(|(v, _)| v).collect(),
        forecasts: forecasts.into_iter().flatten().collect(),
    })
}

/// Standard deviation (n − 1) of some numbers; 0 for fewer than two.
fn sd(xs: &[f64]) -> f64 {
    if xs.len() < 2 {
        return 0.0;
    }
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
}

/// The jackknife standard deviation of fold estimates: with `k` folds, each leaving out
/// `n/k` of `n` cases, `sqrt((k − 1)/k · Σ(θ_f − θ̄)²)` (Efron & Tibshirani 1993, ch. 11).
fn jackknife_sd(xs: &[f64]) -> f64 {
    let k = xs.len() as f64;
    if xs.len() < 2 {
        return 0.0;
    }
    sd(xs) * (k - 1.0) / k.sqrt()
}

/// Calibrates the consensus model's parameters on `cases` (see the module's documentation),
/// reporting progress in words.
pub fn calibrate(
    cases: &[Case<'_>],
    settings: Settings,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Calibration, OptimiserError> {
    let counter = AtomicUsize::new(0);
    let argued = argued_values();
    let argued_forecasts = forecast_all(cases, &argued, settings.runs, settings.seed, &counter);
    let profiles = profiles(cases, &settings, &counter);
    progress("profiles of every parameter measured");
    let mut identification: Vec<Identification> = profiles
        .iter()
        .map(|profile| {
            let range = objective_range(profile);
            if range < FLAT_TOLERANCE {
                Identification::Flat {
                    objective_range: range,
                }
            } else {
                Identification::Fitted
            }
        })
        .collect();
    let free_of = |identification: &[Identification]| -> Vec<usize> {
        (0..PARAMETERS.len())
            .filter(|&i| identification[i] == Identification::Fitted)
            .collect()
    };
    let mut free = free_of(&identification);
    let mut cv = cross_validate(cases, &free, &settings, &counter, progress)?;
    let share_spread = |i: usize, fits: &[ParameterValues]| {
        let p = &PARAMETERS[i];
        let shares: Vec<f64> = fits
            .iter()
            .map(|v| (v[i] - p.low) / (p.high - p.low))
            .collect();
        sd(&shares)
    };
    let mut unstable = false;
    for &i in &free {
        let spread = share_spread(i, &cv.fold_fits);
        if spread > UNSTABLE_SPREAD {
            identification[i] = Identification::Unstable { spread };
            unstable = true;
        }
    }
    if unstable {
        progress("parameters unstable across folds kept at their argued values; fitting again");
        free = free_of(&identification);
        cv = cross_validate(cases, &free, &settings, &counter, progress)?;
    }
    let fitted = fit(cases, &free, &settings, &counter)?;
    progress("every case fitted together");
    let in_sample = forecast_all(cases, &fitted, settings.runs, settings.seed, &counter);
    let parameters = PARAMETERS
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let fold_values: Vec<f64> = cv.fold_fits.iter().map(|v| v[i]).collect();
            let free_values: Vec<f64> = fold_values.iter().map(|&v| to_free(p, v)).collect();
            let is_fitted = identification[i] == Identification::Fitted;
            CalibratedParameter {
                parameter: *p,
                value: fitted[i],
                identification: identification[i],
                profile: profiles[i].clone(),
                fold_values,
                free_sd: if is_fitted {
                    jackknife_sd(&free_values)
                } else {
                    0.0
                },
            }
        })
        .collect();
    let naive: Vec<CategoricalForecast> = cases.iter().map(Case::naive).collect();
    let unfitted = |forecasts: Vec<CategoricalForecast>| Scored {
        in_sample: summarise_categorical(&forecasts),
        out_of_sample: summarise_categorical(&forecasts),
        forecasts,
    };
    Ok(Calibration {
        cases: cases.len(),
        settings,
        parameters,
        calibrated: Scored {
            in_sample: summarise_categorical(&in_sample),
            out_of_sample: summarise_categorical(&cv.forecasts),
            forecasts: cv.forecasts,
        },
        argued: unfitted(argued_forecasts),
        naive: unfitted(naive),
        case_forecasts: counter.into_inner(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jackknife_of_one_two_three_is_two_over_root_three() {
        assert!((jackknife_sd(&[1.0, 2.0, 3.0]) - 2.0 / 3f64.sqrt()).abs() < 1e-12);
        assert!(jackknife_sd(&[4.0]).abs() < 1e-15);
    }

    #[test]
    fn folds_deal_the_cases_round_robin() {
        assert_eq!(
            Folds::K(3).held_out(7),
            vec![vec![0, 3, 6], vec![1, 4], vec![2, 5]]
        );
        assert_eq!(Folds::LeaveOneOut.held_out(2), vec![vec![0], vec![1]]);
    }
}
