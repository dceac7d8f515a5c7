//! The JSON output, version 1: serde types converted by hand from the engine's results.
//!
//! These types are a public contract documented in docs/output-format.md; changing one is a
//! reviewed format change. Maps keep the scenario's order of issues and actors.

use akkoord_core::backtest::AppointmentBacktest;
use akkoord_core::models::exchange::{
    ExchangeRun, ExternalityKind, Positions, TradeRecord, TradeSide,
};
use akkoord_core::models::expected_utility::{Action, EuRun, StopReason};
use akkoord_core::scenario::{AppointmentScenario, IssueId, Scenario};
use akkoord_core::scoring::{CategoricalSummary, IssueBacktest, LOG_SCORE_FLOOR};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// The version of this output format.
pub const SCHEMA_VERSION: u32 = 1;

/// A JSON object whose keys keep their order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrderedMap<T>(pub Vec<(String, T)>);

impl<T: Serialize> Serialize for OrderedMap<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<T> FromIterator<(String, T)> for OrderedMap<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

/// Positions by issue, then actor.
pub type PositionsJson = OrderedMap<OrderedMap<f64>>;

fn positions(s: &Scenario, positions: &Positions) -> PositionsJson {
    positions
        .iter()
        .zip(&s.issues)
        .map(|(list, issue)| {
            (
                issue.id.clone(),
                list.iter()
                    .map(|(a, x)| (s.actor(*a).id.clone(), *x))
                    .collect(),
            )
        })
        .collect()
}

fn by_issue(s: &Scenario, values: &[f64]) -> OrderedMap<f64> {
    s.issues
        .iter()
        .zip(values)
        .map(|(issue, v)| (issue.id.clone(), *v))
        .collect()
}

/// The output of `akkoord run exchange`.
#[derive(Clone, Debug, Serialize)]
pub struct ExchangeOutput {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Always `exchange`.
    pub model: &'static str,
    /// Settings of the run.
    pub settings: ExchangeSettings,
    /// Round 0 (the input), then every round.
    pub rounds: Vec<ExchangeRoundJson>,
    /// Summaries over repetitions of the randomized model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repetitions: Option<RepetitionSummary>,
}

/// Settings recorded with the output.
#[derive(Clone, Debug, Serialize)]
pub struct ExchangeSettings {
    /// Rounds run.
    pub rounds: u32,
    /// `canonical`, `list-order` or `random`.
    pub ties: String,
    /// Randomized Equal Gain's p (0 for plain Equal Gain).
    pub p: f64,
    /// Seed of the random streams.
    pub seed: u64,
}

/// One round.
#[derive(Clone, Debug, Serialize)]
pub struct ExchangeRoundJson {
    /// 0 for the input.
    pub round: u32,
    /// Preference positions after the round (the input for round 0).
    pub positions: PositionsJson,
    /// Outcomes from `positions`.
    pub outcomes: OrderedMap<f64>,
    /// Positions after the round's trades.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voting_positions: Option<PositionsJson>,
    /// Outcomes from the voting positions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voting_outcomes: Option<OrderedMap<f64>>,
    /// Trades carried out, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchanges: Option<Vec<ExchangeJson>>,
}

/// A trade carried out.
#[derive(Clone, Debug, Serialize)]
pub struct ExchangeJson {
    /// First issue of the pair.
    pub p: String,
    /// Second issue of the pair.
    pub q: String,
    /// The equal gain.
    pub gain: f64,
    /// The side supplying `q`.
    pub i: ExchangeSideJson,
    /// The side supplying `p`.
    pub j: ExchangeSideJson,
    /// Effects on every actor with data on both issues; only when asked for
    /// (`--externalities`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub externalities: Option<Vec<ExternalityJson>>,
}

/// One side of a trade.
#[derive(Clone, Debug, Serialize)]
pub struct ExchangeSideJson {
    /// The actor.
    pub actor: String,
    /// The issue it gives ground on.
    pub supply_issue: String,
    /// The issue it gains on.
    pub demand_issue: String,
    /// Position before the trade.
    pub from: f64,
    /// Voting position after the trade.
    pub to: f64,
    /// Expected utility.
    pub eu: f64,
    /// Whether the outcome cap shortened the trade for this side.
    pub adjusted: bool,
}

/// An externality.
#[derive(Clone, Debug, Serialize)]
pub struct ExternalityJson {
    /// The actor.
    pub actor: String,
    /// `own`, `inner` or `outer`.
    pub kind: &'static str,
    /// Salience-weighted drop in distance to the outcomes (positive is good).
    pub value: f64,
}

/// Mean and variance of a quantity over repetitions.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct MeanVariance {
    /// Mean.
    pub mean: f64,
    /// Variance (divided by n − 1).
    pub variance: f64,
}

/// Summaries of the randomized model over repetitions.
#[derive(Clone, Debug, Serialize)]
pub struct RepetitionSummary {
    /// Repetitions run.
    pub repetitions: usize,
    /// Per round: the voting outcome and the preference outcome of each issue.
    pub rounds: Vec<RoundSummaryJson>,
    /// Covariance between issues of the last round's voting outcome.
    pub covariance: OrderedMap<OrderedMap<f64>>,
}

/// One round's summary.
#[derive(Clone, Debug, Serialize)]
pub struct RoundSummaryJson {
    /// The round.
    pub round: u32,
    /// Outcomes from the preference positions after the round.
    pub outcomes: OrderedMap<MeanVariance>,
    /// Outcomes from the voting positions.
    pub voting_outcomes: OrderedMap<MeanVariance>,
}

fn side(s: &Scenario, t: &TradeSide) -> ExchangeSideJson {
    ExchangeSideJson {
        actor: s.actors[t.actor].id.clone(),
        supply_issue: s.issues[t.supply_issue].id.clone(),
        demand_issue: s.issues[t.demand_issue].id.clone(),
        from: t.from,
        to: t.to,
        eu: t.eu,
        adjusted: t.adjusted,
    }
}

fn trade(s: &Scenario, t: &TradeRecord, with_externalities: bool) -> ExchangeJson {
    ExchangeJson {
        p: s.issues[t.p].id.clone(),
        q: s.issues[t.q].id.clone(),
        gain: t.gain,
        i: side(s, &t.i),
        j: side(s, &t.j),
        externalities: with_externalities.then(|| {
            t.externalities
                .iter()
                .map(|e| ExternalityJson {
                    actor: s.actors[e.actor].id.clone(),
                    kind: match e.kind {
                        ExternalityKind::Own => "own",
                        ExternalityKind::Inner => "inner",
                        ExternalityKind::Outer => "outer",
                    },
                    value: e.value,
                })
                .collect()
        }),
    }
}

/// The rounds of an exchange run in the output format. Trades carry their externalities when
/// the run recorded them (a trade always has at least its own two actors then).
pub fn exchange_rounds(s: &Scenario, run: &ExchangeRun) -> Vec<ExchangeRoundJson> {
    let with_externalities = run
        .rounds
        .iter()
        .flat_map(|r| &r.trades)
        .any(|t| !t.externalities.is_empty());
    let mut rounds = Vec::with_capacity(run.rounds.len() + 1);
    if let Some((start, outcomes)) = run.initial() {
        rounds.push(ExchangeRoundJson {
            round: 0,
            positions: positions(s, start),
            outcomes: by_issue(s, outcomes),
            voting_positions: None,
            voting_outcomes: None,
            exchanges: None,
        });
    }
    for r in &run.rounds {
        rounds.push(ExchangeRoundJson {
            round: r.round,
            positions: positions(s, &r.positions),
            outcomes: by_issue(s, &r.outcomes),
            voting_positions: Some(positions(s, &r.voting_positions)),
            voting_outcomes: Some(by_issue(s, &r.voting_outcomes)),
            exchanges: Some(
                r.trades
                    .iter()
                    .map(|t| trade(s, t, with_externalities))
                    .collect(),
            ),
        });
    }
    rounds
}

fn mean_variance(values: &[f64]) -> MeanVariance {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = if values.len() > 1 {
        values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    MeanVariance { mean, variance }
}

/// Mean, variance and covariance of outcomes over repetitions (in repetition order, so the
/// result does not depend on how the repetitions were scheduled).
pub fn repetition_summary(s: &Scenario, runs: &[ExchangeRun]) -> RepetitionSummary {
    let round_count = runs.first().map_or(0, |r| r.rounds.len());
    let rounds = (0..round_count)
        .map(|k| {
            let summarise = |pick: &dyn Fn(&ExchangeRun) -> f64| {
                mean_variance(&runs.iter().map(pick).collect::<Vec<_>>())
            };
            RoundSummaryJson {
                round: runs[0].rounds[k].round,
                outcomes: s
                    .issues
                    .iter()
                    .enumerate()
                    .map(|(d, issue)| (issue.id.clone(), summarise(&|r| r.rounds[k].outcomes[d])))
                    .collect(),
                voting_outcomes: s
                    .issues
                    .iter()
                    .enumerate()
                    .map(|(d, issue)| {
                        (
                            issue.id.clone(),
                            summarise(&|r| r.rounds[k].voting_outcomes[d]),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let last = |d: usize| -> Vec<f64> {
        runs.iter()
            .filter_map(|r| r.rounds.last().map(|x| x.voting_outcomes[d]))
            .collect()
    };
    let covariance = s
        .issues
        .iter()
        .enumerate()
        .map(|(a, ia)| {
            let xa = last(a);
            let ma = xa.iter().sum::<f64>() / xa.len().max(1) as f64;
            let row = s
                .issues
                .iter()
                .enumerate()
                .map(|(b, ib)| {
                    let xb = last(b);
                    let mb = xb.iter().sum::<f64>() / xb.len().max(1) as f64;
                    let n = xa.len() as f64;
                    let cov = if xa.len() > 1 {
                        xa.iter()
                            .zip(&xb)
                            .map(|(x, y)| (x - ma) * (y - mb))
                            .sum::<f64>()
                            / (n - 1.0)
                    } else {
                        0.0
                    };
                    (ib.id.clone(), cov)
                })
                .collect();
            (ia.id.clone(), row)
        })
        .collect();
    RepetitionSummary {
        repetitions: runs.len(),
        rounds,
        covariance,
    }
}

/// The output of `akkoord run bdm`.
#[derive(Clone, Debug, Serialize)]
pub struct BdmOutput {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Always `bdm`.
    pub model: &'static str,
    /// The preset.
    pub preset: String,
    /// Round 0 (the input), then every round run; an issue that stopped earlier is absent
    /// from later rounds.
    pub rounds: Vec<BdmRoundJson>,
    /// Why each issue's run stopped.
    pub stops: OrderedMap<StopJson>,
}

/// One round of the expected-utility model over all issues.
#[derive(Clone, Debug, Serialize)]
pub struct BdmRoundJson {
    /// The round.
    pub round: u32,
    /// Positions by issue and actor.
    pub positions: PositionsJson,
    /// The weighted median of each issue: the predicted outcome.
    pub outcomes: OrderedMap<f64>,
    /// The weighted mean of each issue.
    pub means: OrderedMap<f64>,
    /// Risk exponents used in the round.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<PositionsJson>,
    /// Each actor's action: `confrontation:X`, `compromise:X`, `capitulation:X` or `stay`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<OrderedMap<OrderedMap<String>>>,
}

/// Why a run stopped.
#[derive(Clone, Debug, Serialize)]
pub struct StopJson {
    /// `rounds`, `agreement`, `converged`, `cycle` or `max-rounds`.
    pub reason: &'static str,
    /// Rounds run.
    pub rounds: usize,
    /// For a cycle: its period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<u32>,
    /// For a cycle: the median averaged over it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycle_median: Option<f64>,
    /// For a cycle: the mean averaged over it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycle_mean: Option<f64>,
}

/// An action as written in the output.
pub fn action_label(s: &Scenario, actor_ids: &[usize], action: Action) -> String {
    match action.partner() {
        Some(j) => format!("{}:{}", action.kind(), s.actors[actor_ids[j]].id),
        None => action.kind().to_owned(),
    }
}

/// Why a run stopped, in the output format.
pub fn stop_json(run: &EuRun) -> StopJson {
    let rounds = run.rounds.len() - 1;
    let plain = |reason| StopJson {
        reason,
        rounds,
        period: None,
        cycle_median: None,
        cycle_mean: None,
    };
    match &run.stop {
        StopReason::Rounds => plain("rounds"),
        StopReason::Agreement => plain("agreement"),
        StopReason::Converged => plain("converged"),
        StopReason::MaxRounds => plain("max-rounds"),
        StopReason::Cycle {
            period,
            median,
            mean,
        } => StopJson {
            reason: "cycle",
            rounds,
            period: Some(*period),
            cycle_median: Some(*median),
            cycle_mean: Some(*mean),
        },
    }
}

/// The output of the expected-utility model for the issues it ran on.
pub fn bdm_output(s: &Scenario, preset: &str, runs: &[(IssueId, EuRun)]) -> BdmOutput {
    let rounds_run = runs.iter().map(|(_, r)| r.rounds.len()).max().unwrap_or(0);
    let actor_ids = |issue: IssueId| -> Vec<usize> {
        s.issues[issue.index()]
            .positions
            .iter()
            .map(|p| p.actor.index())
            .collect()
    };
    let rounds = (0..rounds_run)
        .map(|k| {
            let live: Vec<(&IssueId, &akkoord_core::models::expected_utility::EuRound)> = runs
                .iter()
                .filter_map(|(id, run)| run.rounds.get(k).map(|r| (id, r)))
                .collect();
            let per_actor = |values: &dyn Fn(
                &akkoord_core::models::expected_utility::EuRound,
            ) -> &[f64]|
             -> PositionsJson {
                live.iter()
                    .map(|(id, r)| {
                        let ids = actor_ids(**id);
                        (
                            s.issues[id.index()].id.clone(),
                            ids.iter()
                                .zip(values(r))
                                .map(|(a, v)| (s.actors[*a].id.clone(), *v))
                                .collect(),
                        )
                    })
                    .collect()
            };
            BdmRoundJson {
                round: u32::try_from(k).unwrap_or(u32::MAX),
                positions: per_actor(&|r| &r.positions),
                outcomes: live
                    .iter()
                    .map(|(id, r)| (s.issues[id.index()].id.clone(), r.median))
                    .collect(),
                means: live
                    .iter()
                    .map(|(id, r)| (s.issues[id.index()].id.clone(), r.mean))
                    .collect(),
                risk: (k > 0).then(|| per_actor(&|r| &r.risk)),
                actions: (k > 0).then(|| {
                    live.iter()
                        .map(|(id, r)| {
                            let ids = actor_ids(**id);
                            let labels = ids
                                .iter()
                                .zip(&r.actions)
                                .map(|(a, act)| {
                                    (s.actors[*a].id.clone(), action_label(s, &ids, *act))
                                })
                                .collect();
                            (s.issues[id.index()].id.clone(), labels)
                        })
                        .collect()
                }),
            }
        })
        .collect();
    let stops = runs
        .iter()
        .map(|(id, run)| (s.issues[id.index()].id.clone(), stop_json(run)))
        .collect();
    BdmOutput {
        schema_version: SCHEMA_VERSION,
        model: "bdm",
        preset: preset.to_owned(),
        rounds,
        stops,
    }
}

/// Serialises an output value as pretty JSON with a final newline.
pub fn to_string<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("output types always serialise") + "\n"
}

impl ExchangeOutput {
    /// The output of a run (and, for the randomized model, of all its repetitions).
    pub fn new(s: &Scenario, settings: ExchangeSettings, runs: &[ExchangeRun]) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            model: "exchange",
            rounds: runs
                .first()
                .map(|r| exchange_rounds(s, r))
                .unwrap_or_default(),
            repetitions: (runs.len() > 1 || settings.p > 0.0).then(|| repetition_summary(s, runs)),
            settings,
        }
    }
}

/// The consensus model's settings of a forecast or a backtest: every parameter's value, and
/// where the values came from.
#[derive(Clone, Debug, Serialize)]
pub struct ConsensusSettingsJson {
    /// Bargaining rounds before the fallback holds (`null` in a backtest, where each case has
    /// its own).
    pub rounds: Option<u32>,
    /// Last rounds in which holdouts sell consent.
    pub deal_window: u32,
    /// Every parameter of the model, by name.
    pub parameters: OrderedMap<f64>,
    /// `defaults` (the shipped values), or the parameters file given with `--params`.
    pub source: String,
    /// The parameters file's provenance (command, library, scores), as written in it.
    pub provenance: OrderedMap<String>,
    /// Sampling spread of calibrated parameters (sd in logit coordinates of the range) that
    /// each draw samples from; empty when the parameters are fixed.
    pub spread: OrderedMap<f64>,
}

/// The output of `akkoord forecast` on an appointment.
#[derive(Clone, Debug, Serialize)]
pub struct ForecastOutput {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Draws run.
    pub runs: usize,
    /// Seed of the random streams.
    pub seed: u64,
    /// The consensus model's settings.
    pub settings: ConsensusSettingsJson,
    /// The scenario's title.
    pub title: String,
    /// Each candidate, then `not-named` (someone not yet named), then `no-agreement`.
    pub outcomes: Vec<OutcomeJson>,
    /// When agreement comes: probability by round.
    pub timing: Vec<TimingJson>,
    /// The median date of agreement among the draws that agree, when the scenario has dates.
    pub agreement_by: Option<String>,
    /// Per actor: how often it blocked the winner at the start, how often it still blocked
    /// the front-runner when the process ended without a listed winner, and how often it was
    /// the last to consent.
    pub blockers: Vec<BlockerJson>,
    /// Deals made to buy consent.
    pub deals: Vec<DealJson>,
    /// Stance changes that move the favourite's chances most.
    pub levers: Vec<LeverJson>,
    /// The consensus map from the stated values.
    pub map: Vec<MapJson>,
    /// The Nash bargaining choice among candidates that pass as the scenario stands.
    pub nash_choice: Option<String>,
}

/// One outcome's probability.
#[derive(Clone, Debug, Serialize)]
pub struct OutcomeJson {
    /// Candidate id, or `no-agreement`.
    pub id: String,
    /// Display label.
    pub label: String,
    /// Share of draws.
    pub probability: f64,
    /// 95% interval (Wilson): the Monte Carlo error.
    pub interval: [f64; 2],
    /// 95% forecast interval from the parameters' calibrated spread (with the Monte Carlo
    /// error); only when the parameters file gives a spread.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast_interval: Option<[f64; 2]>,
}

/// Probability of agreement in a round.
#[derive(Clone, Debug, Serialize)]
pub struct TimingJson {
    /// The round (0: as the scenario stands).
    pub round: usize,
    /// The round's date (evenly spaced from `as_of` to the deadline), when both are given.
    pub date: Option<String>,
    /// Probability of agreement in that round.
    pub probability: f64,
}

/// An actor as a holdout.
#[derive(Clone, Debug, Serialize)]
pub struct BlockerJson {
    /// The actor.
    pub actor: String,
    /// Probability it blocked the eventual winner as the scenario stood.
    pub probability: f64,
    /// Probability it still blocked the front-runner when the process ended without a listed
    /// winner (the fallback held or an outsider was found).
    pub at_end: f64,
    /// Probability it was the last holdout to consent (ties share the draw).
    pub last_holdout: f64,
}

/// A deal.
#[derive(Clone, Debug, Serialize)]
pub struct DealJson {
    /// The holdout that consented.
    pub actor: String,
    /// The candidate it consented to.
    pub candidate: String,
    /// The side issue that moved, or `side-payment` for a generic side payment.
    pub issue: String,
    /// Share of draws with this deal (every one unlocks the winner of its draw).
    pub probability: f64,
    /// Mean move of the side issue's outcome toward the holdout, in the issue's units.
    pub mean_shift: f64,
    /// Mean price paid by the candidate's supporters (capability × salience units).
    pub mean_price: f64,
}

/// A lever.
#[derive(Clone, Debug, Serialize)]
pub struct LeverJson {
    /// The actor whose stance changes.
    pub actor: String,
    /// The candidate.
    pub candidate: String,
    /// Change of support, in points.
    pub change: f64,
    /// The candidate's probability before: the headline figure.
    pub before: f64,
    /// After the change.
    pub after: f64,
}

/// A candidate in the consensus map.
#[derive(Clone, Debug, Serialize)]
pub struct MapJson {
    /// The candidate.
    pub candidate: String,
    /// Whether it passes as the scenario stands.
    pub passes: bool,
    /// Capability × salience share of voters preferring it to the fallback.
    pub weighted_support: f64,
    /// Actors blocking it.
    pub blockers: Vec<String>,
    /// The only actor in its way, if just one.
    pub pivotal: Option<String>,
}

impl ForecastOutput {
    /// The output of an appointment forecast.
    #[allow(clippy::too_many_lines)] // one hand-written conversion, field by field
    pub fn new(
        s: AppointmentScenario<'_>,
        f: &akkoord_core::montecarlo::AppointmentForecast,
        map: &akkoord_core::models::consensus::ConsensusMap,
        settings: ConsensusSettingsJson,
    ) -> Self {
        let a = s.appointment();
        let mut outcomes: Vec<OutcomeJson> = a
            .candidates
            .iter()
            .zip(&f.candidates)
            .map(|(c, e)| OutcomeJson {
                id: c.id.clone(),
                label: c.name.clone(),
                probability: e.probability,
                interval: [e.low, e.high],
                forecast_interval: None,
            })
            .collect();
        outcomes.push(OutcomeJson {
            id: akkoord_core::validate::NOT_NAMED.to_owned(),
            label: "someone not yet named".to_owned(),
            probability: f.not_named.probability,
            interval: [f.not_named.low, f.not_named.high],
            forecast_interval: None,
        });
        outcomes.push(OutcomeJson {
            id: akkoord_core::validate::NO_AGREEMENT.to_owned(),
            label: format!("no agreement by the deadline: {}", a.fallback.label),
            probability: f.no_agreement.probability,
            interval: [f.no_agreement.low, f.no_agreement.high],
            forecast_interval: None,
        });
        if let Some(intervals) = &f.forecast_intervals {
            for (o, (low, high)) in outcomes.iter_mut().zip(intervals) {
                o.forecast_interval = Some([*low, *high]);
            }
        }
        let mut blockers: Vec<BlockerJson> = s
            .actors
            .iter()
            .enumerate()
            .filter(|(n, _)| f.holdout_at_start[*n] > 0.0 || f.holdout_at_end[*n] > 0.0)
            .map(|(n, actor)| BlockerJson {
                actor: actor.id.clone(),
                probability: f.holdout_at_start[n],
                at_end: f.holdout_at_end[n],
                last_holdout: f.last_holdout[n],
            })
            .collect();
        blockers.sort_by(|x, y| {
            (y.probability + y.at_end)
                .total_cmp(&(x.probability + x.at_end))
                .then_with(|| x.actor.cmp(&y.actor))
        });
        Self {
            schema_version: SCHEMA_VERSION,
            runs: f.runs,
            seed: f.seed,
            settings,
            title: s.meta.title.clone(),
            outcomes,
            timing: f
                .by_round
                .iter()
                .enumerate()
                .map(|(round, &probability)| TimingJson {
                    round,
                    date: f.round_dates.get(round).cloned(),
                    probability,
                })
                .collect(),
            agreement_by: f
                .median_round
                .and_then(|r| f.round_dates.get(r as usize).cloned()),
            blockers,
            deals: f
                .deals
                .iter()
                .map(|d| DealJson {
                    actor: s.actors[d.actor].id.clone(),
                    candidate: a.candidates[d.candidate].id.clone(),
                    issue: d
                        .issue
                        .map_or_else(|| "side-payment".to_owned(), |k| s.issues[k].id.clone()),
                    probability: d.probability,
                    mean_shift: d.mean_shift,
                    mean_price: d.mean_price,
                })
                .collect(),
            levers: f
                .levers
                .iter()
                .map(|l| LeverJson {
                    actor: s.actors[l.actor].id.clone(),
                    candidate: a.candidates[l.candidate].id.clone(),
                    change: l.change,
                    before: l.before,
                    after: l.after,
                })
                .collect(),
            map: map
                .candidates
                .iter()
                .map(|c| MapJson {
                    candidate: a.candidates[c.candidate.index()].id.clone(),
                    passes: c.passes,
                    weighted_support: c.weighted_support,
                    blockers: c.blockers.iter().map(|b| s.actor(*b).id.clone()).collect(),
                    pivotal: c.pivotal.map(|b| s.actor(b).id.clone()),
                })
                .collect(),
            nash_choice: map.nash_choice.map(|c| a.candidates[c.index()].id.clone()),
        }
    }
}

/// The output of `akkoord forecast` on a scenario with only continuous issues.
#[derive(Clone, Debug, Serialize)]
pub struct IssueForecastOutput {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Draws run.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// Per issue, each model's prediction.
    pub issues: Vec<IssueForecastJson>,
}

/// One issue's predictions.
#[derive(Clone, Debug, Serialize)]
pub struct IssueForecastJson {
    /// The issue.
    pub issue: String,
    /// One entry per model.
    pub models: Vec<ModelIntervalJson>,
}

/// One model's prediction with its interval.
#[derive(Clone, Debug, Serialize)]
pub struct ModelIntervalJson {
    /// `compromise`, `median`, `nash`, `expected-utility` or `exchange`.
    pub model: &'static str,
    /// From the stated values.
    pub stated: f64,
    /// Mean over the draws.
    pub mean: f64,
    /// 90% interval over the draws (5th and 95th percentiles).
    pub interval: [f64; 2],
}

impl IssueForecastOutput {
    /// The output of an issue forecast.
    pub fn new(
        s: &Scenario,
        runs: usize,
        seed: u64,
        forecasts: &[akkoord_core::montecarlo::IssueForecast],
    ) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            runs,
            seed,
            issues: forecasts
                .iter()
                .map(|f| IssueForecastJson {
                    issue: s.issues[f.issue].id.clone(),
                    models: f
                        .models
                        .iter()
                        .map(|m| ModelIntervalJson {
                            model: m.model,
                            stated: m.stated,
                            mean: m.mean,
                            interval: [m.p05, m.p95],
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// One scored case of an appointment backtest.
#[derive(Debug, Serialize)]
pub struct BacktestCaseJson {
    file: String,
    title: String,
    actual: String,
    probability: f64,
    rank: usize,
    brier: f64,
    log_score: f64,
    naive: NaiveJson,
    /// Sources cited for judgements, and how many of them carry no date.
    sources: usize,
    undated_sources: usize,
}

/// The naive baseline's score on a case.
#[derive(Debug, Serialize)]
pub struct NaiveJson {
    prediction: String,
    hit: bool,
    brier: f64,
    log_score: f64,
}

/// Scores over the cases of a backtest.
#[derive(Debug, Serialize)]
pub struct CategoricalSummaryJson {
    mean_brier: f64,
    mean_log_score: f64,
    rank_one_rate: f64,
    mean_probability_of_actual: f64,
}

impl From<&CategoricalSummary> for CategoricalSummaryJson {
    fn from(s: &CategoricalSummary) -> Self {
        Self {
            mean_brier: s.mean_brier,
            mean_log_score: s.mean_log_score,
            rank_one_rate: s.rank_one_rate,
            mean_probability_of_actual: s.mean_probability_of_actual,
        }
    }
}

/// A reliability bin of a backtest.
#[derive(Debug, Serialize)]
pub struct ReliabilityJson {
    low: f64,
    high: f64,
    forecasts: usize,
    mean_forecast: f64,
    observed: f64,
}

/// The output of `akkoord backtest` on appointments.
#[derive(Debug, Serialize)]
pub struct BacktestOutput {
    schema_version: u32,
    runs: u64,
    seed: u64,
    settings: ConsensusSettingsJson,
    cases: Vec<BacktestCaseJson>,
    mean_brier: f64,
    naive_mean_brier: f64,
    akkoord: CategoricalSummaryJson,
    naive: CategoricalSummaryJson,
    log_score_floor: f64,
    reliability: Vec<ReliabilityJson>,
    sources: usize,
    undated_sources: usize,
}

impl BacktestOutput {
    /// The output of an appointment backtest run with the consensus `settings`.
    pub fn new(b: &AppointmentBacktest, settings: ConsensusSettingsJson) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            runs: b.runs,
            seed: b.seed,
            settings,
            cases: b
                .cases
                .iter()
                .map(|c| BacktestCaseJson {
                    file: c.label.clone(),
                    title: c.title.clone(),
                    actual: c.actual.clone(),
                    probability: c.probability,
                    rank: c.rank,
                    brier: c.brier,
                    log_score: c.log_score,
                    naive: NaiveJson {
                        prediction: c.naive.prediction.clone(),
                        hit: c.naive.hit,
                        brier: c.naive.brier,
                        log_score: c.naive.log_score,
                    },
                    sources: c.sources,
                    undated_sources: c.undated_sources,
                })
                .collect(),
            mean_brier: b.akkoord.mean_brier,
            naive_mean_brier: b.naive.mean_brier,
            akkoord: (&b.akkoord).into(),
            naive: (&b.naive).into(),
            log_score_floor: LOG_SCORE_FLOOR,
            reliability: b
                .reliability
                .iter()
                .map(|r| ReliabilityJson {
                    low: r.low,
                    high: r.high,
                    forecasts: r.forecasts,
                    mean_forecast: r.mean_forecast,
                    observed: r.observed,
                })
                .collect(),
            sources: b.sources,
            undated_sources: b.undated_sources,
        }
    }
}

/// The output of `akkoord backtest --input-format deu`.
#[derive(Debug, Serialize)]
pub struct IssueBacktestOutput {
    schema_version: u32,
    cases: usize,
    capability: &'static str,
    models: Vec<ModelScoreJson>,
}

/// One model's errors in an issue backtest.
#[derive(Debug, Serialize)]
pub struct ModelScoreJson {
    model: String,
    n: usize,
    mae: f64,
    sd: f64,
    median: f64,
    by: Vec<GroupScoreJson>,
}

/// One model's errors on one group of issues.
#[derive(Debug, Serialize)]
pub struct GroupScoreJson {
    dimension: String,
    value: String,
    n: usize,
    mae: f64,
}

impl IssueBacktestOutput {
    /// The output of an issue backtest.
    pub fn new(b: &IssueBacktest) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            cases: b.scorable_issues,
            capability: b.capability,
            models: b
                .models
                .iter()
                .map(|s| ModelScoreJson {
                    model: s.model.clone(),
                    n: s.overall.n,
                    mae: s.overall.mae,
                    sd: s.overall.sd,
                    median: s.overall.median,
                    by: s
                        .by_group
                        .iter()
                        .map(|((d, v), e)| GroupScoreJson {
                            dimension: d.clone(),
                            value: v.clone(),
                            n: e.n,
                            mae: e.mae,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
