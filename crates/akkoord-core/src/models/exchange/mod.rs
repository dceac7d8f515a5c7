//! Stokman's exchange model, Equal Gain variant, as in the Decide tool.
//!
//! **Question.** Where do the outcomes of several issues end when actors trade support: each
//! gives ground on the issue it cares about less for movement on the issue it cares about more?
//!
//! **Assumptions.** The outcome of an issue is the salience × power weighted mean of the
//! positions (Stokman & Van Oosten 1994). Two actors can trade on a pair of issues when they
//! sit on opposite sides of both outcomes. The amounts give both actors the same utility gain
//! (the Equal Gain rule) and are as large as they can be without anyone moving past the
//! partner or pushing an outcome past the demanding actor.
//!
//! **Equations** (internal 0..100 scale; `w = s·c`, `D_d = Σ w`): outcome
//! `O_d = Σ w x / D_d`; a move `Δ` of actor `k` shifts `O_d` by `Δ w_kd / D_d`; equal gain:
//! `dp (s_Ip + s_Jp) = dq (s_Iq + s_Jq)`. Trades are carried out greedily, largest gain first;
//! after each, the candidates sharing an actor and issue with it are recalculated (found
//! through indexes, not by rescanning). At the end of a round each trading actor's preference
//! moves toward its voting position: `x' = (1 − α) x₀ + α y`, `α = (1 − s)·0.4 + 0.1`.
//!
//! **Reference.** Reproduces `decide-exchange-model` 2025.3.1 (SPEC in the project's shared
//! reference folder); every deviation is listed in docs/models/exchange.md. Its quirks that
//! decide which trades happen (the `moves` history, the `update_updates` rule, the one-sided
//! outcome cap) are kept, marked `[REF]`, so that results match.

mod rex;
mod round;
mod trade;

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

use crate::scenario::{ActorId, IssueId, Scenario};
use round::{Entry, RoundBuffers, RoundConfig, RoundState, run_round};

/// How ties between equally good trades are broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TieRule {
    /// Gains within a relative 1e-12 of the best tie; the earliest created wins. Stable under
    /// the precision of the arithmetic; the default.
    Canonical,
    /// The reference with `ALLOW_RANDOM = False`: a stable sort, first in list order wins.
    ListOrder,
    /// A seeded draw among the tied trades.
    Random,
}

/// Whether a run records the externalities of every trade carried out. They are one value per
/// actor with data on both issues and per trade: at 80 actors and 20 issues about 1.4 million
/// values in 10 rounds, most of a run's output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Externalities {
    /// Record them in [`TradeRecord::externalities`].
    Record,
    /// Leave [`TradeRecord::externalities`] empty.
    Skip,
}

/// Settings of an exchange-model run.
#[derive(Clone, Debug)]
pub struct ExchangeConfig {
    /// Number of rounds.
    pub rounds: u32,
    /// Tie rule.
    pub ties: TieRule,
    /// Weight of `1 − salience` in the preference update (0.4 in the reference).
    pub salience_weight: f64,
    /// Fixed weight in the preference update (0.1 in the reference).
    pub fixed_weight: f64,
    /// Randomized Equal Gain with this `p` in (0, 1]; `None` for plain Equal Gain.
    pub randomization: Option<f64>,
    /// Seed for random ties and randomized Equal Gain.
    pub seed: u64,
    /// Whether trades carry their externalities.
    pub externalities: Externalities,
}

impl ExchangeConfig {
    /// Plain Equal Gain with the reference's preference-update weights (0.4 and 0.1) and no
    /// randomization; seed 0; no externalities (only the JSON output shows them).
    pub fn equal_gain(rounds: u32, ties: TieRule) -> Self {
        Self {
            rounds,
            ties,
            salience_weight: 0.4,
            fixed_weight: 0.1,
            randomization: None,
            seed: 0,
            externalities: Externalities::Skip,
        }
    }
}

/// The exchange model as an issue model of forecasts and reports: plain Equal Gain,
/// [`ISSUE_MODEL_ROUNDS`] rounds, canonical ties, stream 0; its prediction is the last
/// round's outcome. It needs at least two issues to trade across.
///
/// [`ISSUE_MODEL_ROUNDS`]: crate::models::issue_model::ISSUE_MODEL_ROUNDS
pub struct IssueForecast;

impl IssueForecast {
    /// The settings of the run.
    pub fn config() -> ExchangeConfig {
        ExchangeConfig::equal_gain(
            crate::models::issue_model::ISSUE_MODEL_ROUNDS,
            TieRule::Canonical,
        )
    }

    /// The run, or `None` for a scenario of fewer than two issues.
    pub fn run(s: &Scenario) -> Option<ExchangeRun> {
        (s.issues.len() >= 2).then(|| run(s, &Self::config(), 0))
    }
}

impl crate::models::issue_model::IssueModel for IssueForecast {
    fn name(&self) -> &'static str {
        "exchange"
    }

    fn predict(&self, s: &Scenario) -> Vec<Option<f64>> {
        let outcomes = Self::run(s)
            .and_then(|r| r.rounds.last().map(|round| round.outcomes.clone()))
            .unwrap_or_default();
        (0..s.issues.len())
            .map(|k| outcomes.get(k).copied())
            .collect()
    }
}

/// What an externality is, from the point of view of one actor and one trade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternalityKind {
    /// One of the two trading actors; the value is the trade's gain.
    Own,
    /// An actor in one of the trade's two groups for this issue pair.
    Inner,
    /// Any other actor with data on both issues.
    Outer,
}

/// The effect of a trade on an actor: the salience-weighted drop in its distance to the
/// outcomes of the two issues (positive is good for the actor).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Externality {
    /// The actor (index into the scenario's actors).
    pub actor: usize,
    /// Own, inner or outer.
    pub kind: ExternalityKind,
    /// The value.
    pub value: f64,
}

/// One side of a trade carried out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TradeSide {
    /// The actor (index into the scenario's actors).
    pub actor: usize,
    /// The issue it gave ground on (index into the scenario's issues).
    pub supply_issue: usize,
    /// The issue it gained on.
    pub demand_issue: usize,
    /// Its position on the supply issue at the start of the round.
    pub start: f64,
    /// Its position on the supply issue before this trade.
    pub from: f64,
    /// Its voting position after this trade.
    pub to: f64,
    /// The partner's round-start position on this issue: where this side moves toward.
    pub partner_position: f64,
    /// Its expected utility from the trade.
    pub eu: f64,
    /// Whether the outcome cap changed the trade for this side.
    pub adjusted: bool,
}

/// A trade carried out.
#[derive(Clone, Debug, PartialEq)]
pub struct TradeRecord {
    /// The first issue of the pair.
    pub p: usize,
    /// The second issue of the pair.
    pub q: usize,
    /// The equal gain.
    pub gain: f64,
    /// The side that supplies `q`.
    pub i: TradeSide,
    /// The side that supplies `p`.
    pub j: TradeSide,
    /// The trade's effect on every actor with data on both issues; empty when the run was
    /// told to skip them ([`Externalities::Skip`]).
    pub externalities: Vec<Externality>,
}

/// Positions of the actors on each issue: `positions[issue]` lists `(actor, position)` in
/// input order.
pub type Positions = Vec<Vec<(ActorId, f64)>>;

/// One round of a run, in the issues' own units.
#[derive(Clone, Debug)]
pub struct ExchangeRound {
    /// The round, from 1.
    pub round: u32,
    /// Preference positions at the start of the round.
    pub start_positions: Positions,
    /// Outcomes from the start positions.
    pub start_outcomes: Vec<f64>,
    /// Positions after this round's trades.
    pub voting_positions: Positions,
    /// Outcomes from the voting positions.
    pub voting_outcomes: Vec<f64>,
    /// Preference positions after the round's update (where the next round starts).
    pub positions: Positions,
    /// Outcomes from `positions`.
    pub outcomes: Vec<f64>,
    /// Candidate trades built at the start of the round.
    pub candidates: usize,
    /// Trades carried out, in order (positions in the issues' own units).
    pub trades: Vec<TradeRecord>,
}

/// A whole run.
#[derive(Clone, Debug)]
pub struct ExchangeRun {
    /// The issues, in scenario order.
    pub issues: Vec<IssueId>,
    /// Every round.
    pub rounds: Vec<ExchangeRound>,
}

impl ExchangeRun {
    /// The input positions and outcomes (the start of round 1).
    pub fn initial(&self) -> Option<(&Positions, &[f64])> {
        self.rounds
            .first()
            .map(|r| (&r.start_positions, r.start_outcomes.as_slice()))
    }
}

/// Runs the model on every continuous issue of the scenario, with one random stream taken
/// from `config.seed` and `stream`.
pub fn run(scenario: &Scenario, config: &ExchangeConfig, stream: u64) -> ExchangeRun {
    let actor_count = scenario.actors.len();
    let entries: Vec<Vec<Entry>> = scenario
        .issues
        .iter()
        .map(|issue| {
            issue
                .positions
                .iter()
                .map(|p| Entry {
                    actor: p.actor.index(),
                    x: issue.scale.normalise(p.position),
                    salience: p.salience,
                    power: p.capability,
                })
                .collect()
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    rng.set_stream(stream);
    let randomization = config
        .randomization
        .filter(|p| *p > 0.0)
        .map(|p| rex::Randomization { p });
    let to_units = |entries: &[Vec<Entry>]| -> Positions {
        entries
            .iter()
            .zip(&scenario.issues)
            .map(|(list, issue)| {
                list.iter()
                    .map(|e| (ActorId::at(e.actor), issue.scale.denormalise(e.x)))
                    .collect()
            })
            .collect()
    };
    let outcomes_in_units = |state: &RoundState| -> Vec<f64> {
        state
            .outcomes()
            .iter()
            .zip(&scenario.issues)
            .map(|(o, issue)| issue.scale.denormalise(*o))
            .collect()
    };
    let mut state = RoundState::new(entries, actor_count);
    let mut rounds = Vec::with_capacity(config.rounds as usize);
    let mut buffers = RoundBuffers::default();
    for round in 1..=config.rounds {
        let mut round_config = RoundConfig {
            ties: config.ties,
            salience_weight: config.salience_weight,
            fixed_weight: config.fixed_weight,
            rng: &mut rng,
            randomization: randomization.as_ref(),
            externalities: config.externalities,
        };
        let result = run_round(&state, actor_count, &mut round_config, &mut buffers);
        let voting = RoundState::new(result.voting, actor_count);
        let next = RoundState::new(result.next, actor_count);
        let denormalise = |issue: usize, x: f64| scenario.issues[issue].scale.denormalise(x);
        let trades = result
            .trades
            .into_iter()
            .map(|mut t| {
                for side in [&mut t.i, &mut t.j] {
                    side.start = denormalise(side.supply_issue, side.start);
                    side.from = denormalise(side.supply_issue, side.from);
                    side.to = denormalise(side.supply_issue, side.to);
                    side.partner_position = denormalise(side.supply_issue, side.partner_position);
                }
                t
            })
            .collect();
        rounds.push(ExchangeRound {
            round,
            start_positions: to_units(&state.entries),
            start_outcomes: outcomes_in_units(&state),
            voting_positions: to_units(&voting.entries),
            voting_outcomes: outcomes_in_units(&voting),
            positions: to_units(&next.entries),
            outcomes: outcomes_in_units(&next),
            candidates: result.candidates,
            trades,
        });
        state = next;
    }
    ExchangeRun {
        issues: (0..scenario.issues.len()).map(IssueId::at).collect(),
        rounds,
    }
}
