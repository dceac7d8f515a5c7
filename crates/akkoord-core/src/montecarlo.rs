//! Monte Carlo forecasts: every uncertain input drawn anew in each run, the model run on each
//! draw, and the results counted.
//!
//! **Invariant:** every uncertain value of appointment draw `i` takes its random number from
//! `(seed, i, the ids of what is drawn)` ([`crate::random`]), so no value depends on the
//! position of an actor, a candidate or an issue in the file; the issue models' draw `i` uses
//! its own `ChaCha8` stream (`seed`, stream `i`). Draws are run in parallel but collected in
//! draw order and reduced sequentially, so a forecast depends only on the scenario, the
//! settings and the seed, never on the number of threads.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};
use rayon::prelude::*;

use crate::calibration::{ParameterValues, from_free, to_free};
use crate::models::consensus::{ConsensusParams, Draw, DrawPlan, PARAMETERS, Path, simulate_owned};
use crate::models::issue_model::ISSUE_MODELS;
use crate::random::{Noise, key};
use crate::scenario::{AppointmentScenario, Scenario, Uncertainty};

/// Settings of a Monte Carlo run.
#[derive(Clone, Copy, Debug)]
pub struct McConfig {
    /// Number of draws.
    pub runs: usize,
    /// Seed of the random streams.
    pub seed: u64,
}

/// Draws a value around `value` for the issue models: a normal (the caller clamps it to the
/// scale), or a uniform range. Appointment draws use truncated normals instead
/// ([`crate::random::TruncatedNormal`]).
fn sample(u: &Uncertainty, value: f64, rng: &mut ChaCha8Rng) -> f64 {
    match *u {
        Uncertainty::None => value,
        Uncertainty::Uniform { low, high } => {
            if high > low {
                low + (high - low) * rng.random::<f64>()
            } else {
                low
            }
        }
        Uncertainty::Normal { sd } => match Normal::new(value, sd) {
            Ok(normal) if sd > 0.0 => normal.sample(rng),
            _ => value,
        },
    }
}

/// The random stream of draw `i`.
pub fn stream(seed: u64, i: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(i);
    rng
}

/// Draw `i` of an appointment's inputs (keyed random numbers: see [`crate::random`]).
pub fn draw(s: AppointmentScenario<'_>, params: &ConsensusParams, seed: u64, i: u64) -> Draw {
    DrawPlan::new(s, params).draw(seed, i)
}

/// Runs `f` on draws `0..runs` in parallel, in blocks, reporting progress after each block;
/// results come back in draw order.
fn run_draws<T: Send>(
    runs: usize,
    progress: &(dyn Fn(usize) + Sync),
    f: impl Fn(u64) -> T + Sync,
) -> Vec<T> {
    const BLOCK: usize = 64;
    let blocks: Vec<Vec<T>> = (0..runs.div_ceil(BLOCK))
        .into_par_iter()
        .map(|b| {
            let range = b * BLOCK..((b + 1) * BLOCK).min(runs);
            let out: Vec<T> = range.clone().map(|i| f(i as u64)).collect();
            progress(range.len());
            out
        })
        .collect();
    blocks.into_iter().flatten().collect()
}

/// A probability with its 95% Wilson interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The share of draws.
    pub probability: f64,
    /// Lower end of the 95% interval.
    pub low: f64,
    /// Upper end of the 95% interval.
    pub high: f64,
}

impl Estimate {
    /// The estimate from `hits` out of `runs`.
    pub fn new(hits: usize, runs: usize) -> Self {
        if runs == 0 {
            return Self {
                probability: 0.0,
                low: 0.0,
                high: 1.0,
            };
        }
        let n = runs as f64;
        let p = hits as f64 / n;
        let z = 1.959_963_984_540_054_f64;
        let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
        let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
        // The interval reaches 0 (or 1) exactly when no (or every) draw hit.
        let low = if hits == 0 {
            0.0
        } else {
            (centre - half).max(0.0)
        };
        let high = if hits == runs {
            1.0
        } else {
            (centre + half).min(1.0)
        };
        Self {
            probability: p,
            low,
            high,
        }
    }
}

/// How often a holdout consented through a concession.
#[derive(Clone, Debug, PartialEq)]
pub struct DealSummary {
    /// The holdout.
    pub actor: usize,
    /// The side issue, or `None` for a generic side payment.
    pub issue: Option<usize>,
    /// The candidate it consented to (always the winner of the draws counted).
    pub candidate: usize,
    /// Share of draws with this deal.
    pub probability: f64,
    /// Mean move of the side issue's outcome toward the holdout, in the issue's units.
    pub mean_shift: f64,
    /// Mean price paid by the candidate's supporters (capability × salience units).
    pub mean_price: f64,
}

/// How much a change of one stance moves the favourite's chances.
#[derive(Clone, Debug, PartialEq)]
pub struct Lever {
    /// The actor whose stance changes.
    pub actor: usize,
    /// The candidate the stance is about.
    pub candidate: usize,
    /// The change of support, in points.
    pub change: f64,
    /// The candidate's probability before: the headline figure.
    pub before: f64,
    /// After: the headline figure plus the change measured on the lever draws with common
    /// random numbers (the same draws with and without the change).
    pub after: f64,
}

/// A forecast of an appointment.
#[derive(Clone, Debug)]
pub struct AppointmentForecast {
    /// Draws run.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// Probability of each candidate, in candidate order.
    pub candidates: Vec<Estimate>,
    /// Probability that someone not named in the scenario is appointed.
    pub not_named: Estimate,
    /// Probability that nobody is agreed by the deadline.
    pub no_agreement: Estimate,
    /// `by_round[k]`: probability of agreement (on a candidate or an outsider) in round `k`
    /// (0: as the scenario stands).
    pub by_round: Vec<f64>,
    /// Per actor: probability of blocking the eventual winner as the scenario stands.
    pub holdout_at_start: Vec<f64>,
    /// Per actor: probability of still blocking the front-runner when the process ends
    /// without a listed winner (fallback or outsider).
    pub holdout_at_end: Vec<f64>,
    /// Per actor: probability of being the last holdout to consent (ties share the draw).
    pub last_holdout: Vec<f64>,
    /// Deals that unlocked the winner, most frequent first.
    pub deals: Vec<DealSummary>,
    /// Levers, largest effect first.
    pub levers: Vec<Lever>,
    /// The date of each round (`by_round`'s index), evenly spaced from the scenario's
    /// `as_of` to its deadline; empty unless both dates are given.
    pub round_dates: Vec<String>,
    /// The median round of agreement among the draws that agree (on anyone).
    pub median_round: Option<u32>,
    /// With parameter uncertainty ([`forecast_appointment_with_spread`]): the 95% forecast
    /// interval of each outcome (candidates, then `not_named`, then `no_agreement`), the
    /// spread that the parameters' sampling uncertainty gives, with the Monte Carlo error
    /// added; `None` when the parameters are fixed.
    pub forecast_intervals: Option<Vec<(f64, f64)>>,
}

/// A deal's holdout, side issue (or payment) and candidate.
type DealKey = (usize, Option<usize>, usize);

/// The outcome of a draw among `candidates` candidates: the winner's index, `candidates` for
/// no agreement, `candidates + 1` for someone not named (the order of backtests' outcomes).
pub fn outcome_index(path: &Path, candidates: usize) -> usize {
    match (path.winner, path.outsider, path.round) {
        (Some(c), _, Some(_)) => c,
        (None, true, Some(_)) => candidates + 1,
        _ => candidates,
    }
}

/// Counts the paths of a forecast.
fn summarise(s: &Scenario, paths: &[Path], rounds: u32, seed: u64) -> AppointmentForecast {
    let m = s.candidate_count();
    let n = s.actors.len();
    let runs = paths.len();
    let mut wins = vec![0usize; m];
    let (mut none, mut outsider) = (0, 0);
    let mut by_round = vec![0usize; rounds as usize + 1];
    let mut at_start = vec![0usize; n];
    let mut at_end = vec![0usize; n];
    let mut last = vec![0.0f64; n];
    // (actor, issue, candidate) -> (draws, total shift, total price)
    let mut deals: Vec<(DealKey, usize, f64, f64)> = Vec::new();
    for p in paths {
        match outcome_index(p, m) {
            o if o < m => wins[o] += 1,
            o if o == m => none += 1,
            _ => outsider += 1,
        }
        if let (Some(r), true) = (p.round, p.winner.is_some() || p.outsider) {
            by_round[r as usize] += 1;
        }
        for &a in &p.holdouts_at_start {
            at_start[a] += 1;
        }
        for &a in &p.holdouts_at_end {
            at_end[a] += 1;
        }
        for &a in &p.last_holdouts {
            last[a] += 1.0 / p.last_holdouts.len() as f64;
        }
        let mut seen: Vec<DealKey> = Vec::new();
        for deal in &p.deals {
            let key = (deal.actor, deal.issue, deal.candidate);
            let first = !seen.contains(&key);
            seen.push(key);
            match deals.iter_mut().find(|e| e.0 == key) {
                Some(e) => {
                    e.1 += usize::from(first);
                    e.2 += deal.shift;
                    e.3 += deal.price;
                }
                None => deals.push((key, 1, deal.shift, deal.price)),
            }
        }
    }
    let share = |k: usize| {
        if runs == 0 {
            0.0
        } else {
            k as f64 / runs as f64
        }
    };
    let mut deals: Vec<DealSummary> = deals
        .into_iter()
        .map(
            |((actor, issue, candidate), count, shift, price)| DealSummary {
                actor,
                issue,
                candidate,
                probability: share(count),
                mean_shift: shift / count as f64,
                mean_price: price / count as f64,
            },
        )
        .collect();
    deals.sort_by(|a, b| {
        b.probability
            .total_cmp(&a.probability)
            .then_with(|| s.actors[a.actor].id.cmp(&s.actors[b.actor].id))
            .then_with(|| a.issue.cmp(&b.issue))
    });
    AppointmentForecast {
        runs,
        seed,
        candidates: wins.iter().map(|&w| Estimate::new(w, runs)).collect(),
        not_named: Estimate::new(outsider, runs),
        no_agreement: Estimate::new(none, runs),
        by_round: by_round.into_iter().map(share).collect(),
        holdout_at_start: at_start.into_iter().map(share).collect(),
        holdout_at_end: at_end.into_iter().map(share).collect(),
        last_holdout: last
            .into_iter()
            .map(|x| if runs == 0 { 0.0 } else { x / runs as f64 })
            .collect(),
        deals,
        levers: Vec::new(),
        round_dates: s.round_dates(rounds).unwrap_or_default(),
        median_round: median_round(paths),
        forecast_intervals: None,
    }
}

/// The median round of agreement among the paths that agree.
fn median_round(paths: &[Path]) -> Option<u32> {
    let mut rounds: Vec<u32> = paths
        .iter()
        .filter(|p| p.winner.is_some() || p.outsider)
        .filter_map(|p| p.round)
        .collect();
    rounds.sort_unstable();
    rounds.get(rounds.len().saturating_sub(1) / 2).copied()
}

/// Forecasts an appointment: `config.runs` draws of the consensus dynamics, then levers on
/// the first `lever_runs` of the same draws (common random numbers).
pub fn forecast_appointment(
    s: AppointmentScenario<'_>,
    params: &ConsensusParams,
    config: McConfig,
    lever_runs: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> AppointmentForecast {
    let plan = DrawPlan::new(s, params);
    let paths = run_draws(config.runs, progress, |i| {
        simulate_owned(s, plan.draw(config.seed, i), params)
    });
    let mut forecast = summarise(&s, &paths, params.rounds, config.seed);
    forecast.levers = levers(
        s,
        params,
        &plan,
        config.seed,
        &paths[..lever_runs.min(config.runs)],
        &forecast,
    );
    forecast
}

/// Parameter vectors a forecast with parameter uncertainty draws: draw `i` runs with vector
/// `i mod PARAMETER_GROUPS`, so each vector's outcome shares can be compared.
pub const PARAMETER_GROUPS: usize = 40;

/// Parameter vector `group` drawn around `params` with `spread` (the standard deviation of
/// each parameter of [`PARAMETERS`] in logit coordinates of its range; 0 keeps it fixed),
/// from random numbers keyed by the group and the parameter's name.
pub fn parameter_draw(
    params: &ConsensusParams,
    spread: &ParameterValues,
    seed: u64,
    group: u64,
) -> ConsensusParams {
    let noise = Noise::new(seed ^ PARAMETER_STREAM, group);
    let mut drawn = params.clone();
    for (p, &sd) in PARAMETERS.iter().zip(spread) {
        if let (true, Some(centre)) = (sd > 0.0, params.get(p.name)) {
            let x = to_free(p, centre) + sd * noise.normal(key(&["parameter", p.name]));
            drawn.set(p.name, from_free(p, x));
        }
    }
    drawn
}

/// Separates the parameters' random numbers from the inputs' of the same draw.
const PARAMETER_STREAM: u64 = 0x9E37_79B9_7F4A_7C15;

/// Forecasts an appointment with parameter uncertainty: draw `i` runs with the parameter
/// vector `i mod` [`PARAMETER_GROUPS`] drawn by [`parameter_draw`], so the probabilities
/// integrate over what the calibration leaves uncertain. Each outcome's forecast interval is
/// its probability ± 1.96 standard deviations of the between-vector variance (less the
/// Monte Carlo variance within a vector: a random-effects estimate) plus the Monte Carlo
/// variance of the whole; the Wilson intervals stay the Monte Carlo error alone. Levers are
/// measured at the fitted values, on draws of their own.
pub fn forecast_appointment_with_spread(
    s: AppointmentScenario<'_>,
    params: &ConsensusParams,
    spread: &ParameterValues,
    config: McConfig,
    lever_runs: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> AppointmentForecast {
    let groups: Vec<(ConsensusParams, DrawPlan)> = (0..PARAMETER_GROUPS as u64)
        .map(|g| {
            let p = parameter_draw(params, spread, config.seed, g);
            let plan = DrawPlan::new(s, &p);
            (p, plan)
        })
        .collect();
    let paths = run_draws(config.runs, progress, |i| {
        // Draw indices come from `0..runs`, a `usize`: the conversion cannot fail.
        let group = usize::try_from(i).map_or(0, |i| i % PARAMETER_GROUPS);
        let (p, plan) = &groups[group];
        simulate_owned(s, plan.draw(config.seed, i), p)
    });
    let mut forecast = summarise(&s, &paths, params.rounds, config.seed);
    let m = s.candidate_count();
    let mut counts = vec![vec![0usize; m + 2]; PARAMETER_GROUPS];
    for (i, path) in paths.iter().enumerate() {
        counts[i % PARAMETER_GROUPS][outcome_index(path, m)] += 1;
    }
    let sizes: Vec<usize> = (0..PARAMETER_GROUPS)
        .map(|g| counts[g].iter().sum())
        .collect();
    // Outcomes in the order of the forecast: candidates, not named, no agreement.
    let order: Vec<usize> = (0..m).chain([m + 1, m]).collect();
    forecast.forecast_intervals = Some(
        order
            .iter()
            .map(|&o| {
                let shares: Vec<(f64, usize)> = (0..PARAMETER_GROUPS)
                    .filter(|&g| sizes[g] > 0)
                    .map(|g| (counts[g][o] as f64 / sizes[g] as f64, sizes[g]))
                    .collect();
                forecast_interval(&shares, config.runs)
            })
            .collect(),
    );
    let plan = DrawPlan::new(s, params);
    let fixed = run_draws(lever_runs.min(config.runs), &|_| {}, |i| {
        simulate_owned(s, plan.draw(config.seed, i), params)
    });
    let at_fitted = summarise(&s, &fixed, params.rounds, config.seed);
    forecast.levers = levers(s, params, &plan, config.seed, &fixed, &at_fitted);
    forecast
}

/// The 95% forecast interval of a probability from its shares under each parameter vector
/// (share, draws): the between-vector variance less the mean Monte Carlo variance within a
/// vector, plus the Monte Carlo variance of all `runs` draws.
fn forecast_interval(shares: &[(f64, usize)], runs: usize) -> (f64, f64) {
    let k = shares.len();
    if k < 2 || runs == 0 {
        return (0.0, 1.0);
    }
    let p = shares.iter().map(|(q, n)| q * *n as f64).sum::<f64>() / runs as f64;
    let mean = shares.iter().map(|(q, _)| q).sum::<f64>() / k as f64;
    let between = shares.iter().map(|(q, _)| (q - mean).powi(2)).sum::<f64>() / (k - 1) as f64;
    let within = shares
        .iter()
        .map(|(q, n)| q * (1.0 - q) / (*n as f64).max(1.0))
        .sum::<f64>()
        / k as f64;
    let variance = (between - within).max(0.0) + p * (1.0 - p) / runs as f64;
    let half = 1.959_963_984_540_054 * variance.sqrt();
    ((p - half).max(0.0), (p + half).min(1.0))
}

/// Actors whose stance change is measured as a lever: at most [`LEVER_ACTORS`], screened
/// cheaply from the headline's own counts. Those that block in some draw (at the start or at
/// the deadline) come first, most often first; then the rest by capability. The screen keeps
/// the lever search a bounded multiple of the headline whatever the size of the body (a
/// member that never blocks and carries little weight cannot move the favourite much).
fn lever_candidates(s: &Scenario, forecast: &AppointmentForecast) -> Vec<usize> {
    let blocking = |a: usize| forecast.holdout_at_start[a] + forecast.holdout_at_end[a];
    let mut actors: Vec<usize> = (0..s.actors.len()).collect();
    actors.sort_by(|&x, &y| {
        blocking(y)
            .total_cmp(&blocking(x))
            .then_with(|| s.actors[y].capability.total_cmp(&s.actors[x].capability))
            .then_with(|| s.actors[x].id.cmp(&s.actors[y].id))
    });
    actors.truncate(LEVER_ACTORS);
    actors
}

/// The most actors whose levers are measured.
const LEVER_ACTORS: usize = 16;

/// The stance changes (±15 points of one actor's support for the favourite) that move the
/// favourite's probability most. Measured on the first draws of the headline (`paths`), with
/// and without the change; reported as the headline plus that difference, so that "before" is
/// the headline figure.
fn levers(
    s: AppointmentScenario<'_>,
    params: &ConsensusParams,
    plan: &DrawPlan,
    seed: u64,
    paths: &[Path],
    forecast: &AppointmentForecast,
) -> Vec<Lever> {
    const CHANGE: f64 = 15.0;
    let a = s.appointment();
    let Some(favourite) = (0..forecast.candidates.len()).max_by(|x, y| {
        forecast.candidates[*x]
            .probability
            .total_cmp(&forecast.candidates[*y].probability)
            .then_with(|| a.candidates[*y].id.cmp(&a.candidates[*x].id))
    }) else {
        return Vec::new();
    };
    let runs = paths.len();
    if runs == 0 {
        return Vec::new();
    }
    let base = paths.iter().filter(|p| p.winner == Some(favourite)).count();
    let before = forecast.candidates[favourite].probability;
    let changes: Vec<(usize, f64)> = lever_candidates(&s, forecast)
        .into_iter()
        .flat_map(|a| [CHANGE, -CHANGE].map(|delta| (a, delta)))
        .collect();
    // Per draw, per change: whether the favourite wins; summed in draw order.
    // More support never lowers a candidate's chances (a tested property of the model): a
    // rise cannot cost the favourite a draw it wins, nor a fall win it a draw it loses, so
    // only the other draws are run again.
    let wins: Vec<Vec<bool>> = run_draws(runs, &|_| {}, |i| {
        let d = plan.draw(seed, i);
        let i_path = usize::try_from(i).expect("draw indices come from 0..runs, a usize");
        let won = paths[i_path].winner == Some(favourite);
        changes
            .iter()
            .map(|&(actor, delta)| {
                if won == (delta > 0.0) {
                    return won;
                }
                let mut d = d.clone();
                d.support[actor][favourite] = (d.support[actor][favourite] + delta).min(100.0);
                d.stated[actor][favourite] = true;
                simulate_owned(s, d, params).winner == Some(favourite)
            })
            .collect()
    });
    let mut levers: Vec<Lever> = changes
        .iter()
        .enumerate()
        .map(|(k, &(actor, change))| {
            let hits = wins.iter().filter(|w| w[k]).count();
            let effect = (hits as f64 - base as f64) / runs as f64;
            Lever {
                actor,
                candidate: favourite,
                change,
                before,
                after: (before + effect).clamp(0.0, 1.0),
            }
        })
        .filter(|l| (l.after - l.before).abs() > 0.0)
        .collect();
    levers.sort_by(|x, y| {
        (y.after - y.before)
            .abs()
            .total_cmp(&(x.after - x.before).abs())
            .then_with(|| s.actors[x.actor].id.cmp(&s.actors[y.actor].id))
            .then_with(|| y.change.total_cmp(&x.change))
    });
    levers.truncate(8);
    levers
}

/// The naive baseline: the candidate with the most weighted support as stated wins (every
/// stated or default salience counted, as the first model did; ties to the earlier
/// candidate).
pub fn naive_favourite(s: AppointmentScenario<'_>) -> Option<usize> {
    let a = s.appointment();
    let support: Vec<f64> = (0..a.candidates.len())
        .map(|c| {
            let (mut total, mut pro) = (0.0, 0.0);
            for i in (0..s.actors.len()).filter(|&i| s.actors[i].votes) {
                let f = &a.fallback_stances[i];
                let (mut u, sal) = a.stances[i][c]
                    .as_ref()
                    .map_or((f.support, f.salience), |st| (st.support, st.salience));
                for criterion in a.criteria.iter().filter(|k| !k.passes[c]) {
                    for concern in criterion.concerns.iter().filter(|x| x.actor.index() == i) {
                        u = (u - concern.penalty).max(0.0);
                    }
                }
                let w = s.actors[i].capability * sal;
                total += w;
                if u > f.support {
                    pro += w;
                }
            }
            if total > 0.0 { pro / total } else { 0.0 }
        })
        .collect();
    (0..support.len()).fold(None, |best: Option<usize>, c| match best {
        Some(b) if support[b] >= support[c] => Some(b),
        _ => Some(c),
    })
}

/// The predictions of one model for one issue over the draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelInterval {
    /// The model's name.
    pub model: &'static str,
    /// The prediction from the stated values.
    pub stated: f64,
    /// Mean over the draws.
    pub mean: f64,
    /// 5th percentile.
    pub p05: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// Forecasts of one continuous issue.
#[derive(Clone, Debug)]
pub struct IssueForecast {
    /// The issue (index into the scenario's issues).
    pub issue: usize,
    /// One entry per model.
    pub models: Vec<ModelInterval>,
}

/// Every model's prediction for every issue from one draw of positions, saliences and
/// capabilities (or the stated values without `rng`): `[model][issue]` in the order of
/// [`ISSUE_MODELS`].
fn predict_issues(s: &Scenario, rng: Option<&mut ChaCha8Rng>) -> Vec<Vec<Option<f64>>> {
    let mut drawn = s.clone();
    if let Some(rng) = rng {
        for actor in &mut drawn.actors {
            actor.capability =
                sample(&actor.capability_uncertainty, actor.capability, rng).max(0.0);
        }
        for issue in &mut drawn.issues {
            for p in &mut issue.positions {
                p.position = sample(&p.position_uncertainty, p.position, rng)
                    .clamp(issue.scale.lower, issue.scale.upper);
                p.salience = sample(&p.salience_uncertainty, p.salience, rng).clamp(0.0, 1.0);
            }
        }
    }
    ISSUE_MODELS.iter().map(|m| m.predict(&drawn)).collect()
}

/// The `q` quantile of sorted values, interpolating between neighbours.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // rank lies in 0..len
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64)
}

/// Forecasts every continuous issue with every model, over `config.runs` draws.
pub fn forecast_issues(
    s: &Scenario,
    config: McConfig,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<IssueForecast> {
    let stated = predict_issues(s, None);
    let draws = run_draws(config.runs, progress, |i| {
        predict_issues(s, Some(&mut stream(config.seed, i)))
    });
    (0..s.issues.len())
        .map(|k| IssueForecast {
            issue: k,
            models: ISSUE_MODELS
                .iter()
                .enumerate()
                .filter_map(|(m, model)| {
                    let stated = stated[m][k].filter(|v| v.is_finite())?;
                    Some((m, model.name(), stated))
                })
                .map(|(m, name, stated)| {
                    let mut values: Vec<f64> = draws
                        .iter()
                        .filter_map(|d| d[m][k])
                        .filter(|v| v.is_finite())
                        .collect();
                    let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
                    values.sort_by(f64::total_cmp);
                    ModelInterval {
                        model: name,
                        stated,
                        mean,
                        p05: percentile(&values, 0.05),
                        p50: percentile(&values, 0.5),
                        p95: percentile(&values, 0.95),
                    }
                })
                .collect(),
        })
        .collect()
}
