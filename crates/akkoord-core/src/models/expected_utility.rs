//! Bueno de Mesquita's expected-utility model of group decisions, with the published variants
//! as presets.
//!
//! **Question.** Where does a single-issue decision end when each actor, round after round,
//! weighs challenging others, compromising or giving in?
//!
//! **Assumptions** (BDM 1994, 1997, 2002; Scholz, Calbert & Smith 2011). The predicted outcome
//! is the weighted median position `μ` (weights capability × salience). An actor's chance of
//! prevailing over another, `P_ij`, comes from the votes of all actors, each voting with
//! capability × salience for the position it prefers. The target's salience is the chance that
//! it resists a challenge. Each actor has a risk exponent `r ∈ [0.5, 2]` from how exposed it
//! is to challenges (its security level). Positions are updated simultaneously.
//!
//! **Equations** (`d = |x_a − x_b| / Δ`, `Δ` the initial range of positions):
//! `U_s = 2 − 4(0.5 − 0.5d)^r`, `U_f = 2 − 4(0.5 + 0.5d)^r`, `U_sq = 2 − 4·0.5^r`;
//! `E(U_ab) = s_b[P_ab U_s + (1 − P_ab) U_f] + (1 − s_b) U_s − {Q U_sq + (1 − Q)[T U_b + (1 − T) U_w]}`;
//! security `S_k = Σ_{j≠k} E(U_jk)` with `r = 1`; `R_i = (2S_i − max S − min S)/(max S − min S)`;
//! `r_i = (1 − R_i/3)/(1 + R_i/3)`. A receiver `i` of a challenge from `j` compares its own
//! `a = E^i(U_ij)` with `b = E^i(U_ji)`: `b > a > 0` it loses the conflict and moves to `x_j`;
//! `b > 0 > a`, `b > |a|` it compromises to `x_i + (x_j − x_i)|a/b|`; `b > 0 > a`, `b < |a|`
//! it capitulates to `x_j`.
//!
//! **Presets.** `scholz` reproduces the code of Scholz et al., which meets BDM's 1994 published
//! trajectory: the "global" probability, and two quirks of that code, each marked `[B1]` or
//! `[B2]` below and reproduced only under this preset. `textbook` is the paper's reading with
//! those quirks fixed. `masad2016` follows BDM 2002 as read by Masad (2016): stochastic
//! contests, reneging on accepted offers, and his quirk `[B3]`.
//!
//! **Cost.** `O(n³)` per pass for the probabilities (two passes a round), `O(n²)` for the rest.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;

use crate::scenario::{IssueId, Scenario};

/// A published variant of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// Scholz et al.'s code: reproduces BDM's 1994 published trajectory. The default.
    Scholz,
    /// The paper's reading with the known bugs fixed.
    Textbook,
    /// BDM 2002 as implemented by Masad (2016): stochastic conflicts and reneging.
    Masad2016,
}

/// How the probability that one actor prevails over another is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Probability {
    /// Votes with the voters' risk exponents, normalised over all pairs (Scholz's code).
    Global,
    /// Risk-neutral votes for i over the votes for either (the paper).
    Pairwise,
}

/// How a receiver chooses among offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OfferRule {
    /// Scholz's code: a lost conflict first (closest), else the compromise with the smallest
    /// weighted position `[B2]`; capitulation never happens `[B1]`.
    Scholz,
    /// The smallest move, ties to the larger `b`.
    SmallestMove,
    /// Masad 2016: threats above 1e-4, smallest move, category from the last threat `[B3]`,
    /// reneging and stochastic contests.
    Masad,
}

struct Variant {
    probability: Probability,
    full_no_challenge: bool,
    offers: OfferRule,
}

impl Preset {
    fn variant(self) -> Variant {
        match self {
            Self::Scholz => Variant {
                probability: Probability::Global,
                full_no_challenge: false,
                offers: OfferRule::Scholz,
            },
            Self::Textbook => Variant {
                probability: Probability::Pairwise,
                full_no_challenge: true,
                offers: OfferRule::SmallestMove,
            },
            Self::Masad2016 => Variant {
                probability: Probability::Pairwise,
                full_no_challenge: true,
                offers: OfferRule::Masad,
            },
        }
    }
}

/// When a run stops.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stopping {
    /// Exactly this many rounds, as the reference implementations do.
    Rounds(u32),
    /// Until the median moves less than `epsilon · Δ` for `patience` rounds, the positions stop
    /// changing or repeat (a cycle), or `max_rounds` is reached.
    Convergence {
        /// Relative tolerance on the median's move.
        epsilon: f64,
        /// Rounds the median must stay still.
        patience: u32,
        /// The most rounds run.
        max_rounds: u32,
    },
}

/// Salience shocks (BDM 1998, 2002): before each round, each actor's salience is redrawn
/// uniformly in [0, 1] with this probability.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SalienceShock {
    /// Probability of a redraw per actor and round.
    pub probability: f64,
}

/// Settings of a run.
#[derive(Clone, Debug)]
pub struct EuConfig {
    /// The variant.
    pub preset: Preset,
    /// When to stop.
    pub stopping: Stopping,
    /// Probability that the status quo persists if nobody challenges (1 in published runs).
    pub q: f64,
    /// Probability that an unchallenged move goes the actor's way (1 in published runs).
    pub t: f64,
    /// Salience shocks, if any.
    pub salience_shock: Option<SalienceShock>,
    /// Seed for stochastic contests and salience shocks.
    pub seed: u64,
}

impl EuConfig {
    /// A preset as published: Q = T = 1, no salience shocks, seed 0.
    pub fn published(preset: Preset, stopping: Stopping) -> Self {
        Self {
            preset,
            stopping,
            q: 1.0,
            t: 1.0,
            salience_shock: None,
            seed: 0,
        }
    }
}

/// The expected-utility model as an issue model of forecasts and reports: the Scholz preset
/// as published, [`ISSUE_MODEL_ROUNDS`] rounds; its prediction is the last round's median.
///
/// [`ISSUE_MODEL_ROUNDS`]: crate::models::issue_model::ISSUE_MODEL_ROUNDS
pub struct IssueForecast;

impl IssueForecast {
    /// The settings of the run.
    pub fn config() -> EuConfig {
        EuConfig::published(
            Preset::Scholz,
            Stopping::Rounds(crate::models::issue_model::ISSUE_MODEL_ROUNDS),
        )
    }
}

impl crate::models::issue_model::IssueModel for IssueForecast {
    fn name(&self) -> &'static str {
        "expected-utility"
    }

    fn predict(&self, s: &Scenario) -> Vec<Option<f64>> {
        run(s, &Self::config())
            .iter()
            .map(|(_, run)| Some(run.rounds.last().map_or(f64::NAN, |r| r.median)))
            .collect()
    }
}

/// What an actor did in a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Kept its position.
    Stay,
    /// Lost a conflict to this actor (or expects to) and moved to its position.
    Confrontation(usize),
    /// Moved part of the way toward this actor.
    Compromise(usize),
    /// Gave in to this actor.
    Capitulation(usize),
}

impl Action {
    /// `confrontation`, `compromise`, `capitulation` or `stay`.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Stay => "stay",
            Self::Confrontation(_) => "confrontation",
            Self::Compromise(_) => "compromise",
            Self::Capitulation(_) => "capitulation",
        }
    }

    /// The other actor involved, if any.
    pub fn partner(self) -> Option<usize> {
        match self {
            Self::Stay => None,
            Self::Confrontation(j) | Self::Compromise(j) | Self::Capitulation(j) => Some(j),
        }
    }
}

/// The state after a round (round 0 holds the inputs).
#[derive(Clone, Debug)]
pub struct EuRound {
    /// The round, from 0.
    pub round: u32,
    /// Positions, in actor order.
    pub positions: Vec<f64>,
    /// The weighted median: the predicted outcome.
    pub median: f64,
    /// The weighted mean: the compromise outcome.
    pub mean: f64,
    /// Risk exponents used during the round (empty for round 0).
    pub risk: Vec<f64>,
    /// What each actor did (empty for round 0).
    pub actions: Vec<Action>,
}

/// Why a run stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum StopReason {
    /// The requested number of rounds ran.
    Rounds,
    /// Every actor already agreed at the start.
    Agreement,
    /// The median stopped moving, or no position changed.
    Converged,
    /// Positions (or the median) repeat with this period; the averages are over one period.
    Cycle {
        /// Rounds in one cycle.
        period: u32,
        /// Mean of the median over the cycle.
        median: f64,
        /// Mean of the weighted mean over the cycle.
        mean: f64,
    },
    /// `max_rounds` ran without convergence.
    MaxRounds,
}

/// A run on one issue.
#[derive(Clone, Debug)]
pub struct EuRun {
    /// Every round, from round 0.
    pub rounds: Vec<EuRound>,
    /// Why it stopped.
    pub stop: StopReason,
    /// Rounds in which every actor's security level was equal, so all risk exponents were set to 1.
    pub degenerate_risk_rounds: Vec<u32>,
}

/// One actor's data for the model.
#[derive(Clone, Copy, Debug)]
pub struct EuActor {
    /// Capability, >= 0.
    pub capability: f64,
    /// Position.
    pub position: f64,
    /// Salience, 0..=1.
    pub salience: f64,
}

/// Internal quantities of one pass, for tests against published tables.
#[derive(Clone, Debug)]
pub struct PassMatrices {
    /// Risk exponents in force.
    pub risk: Vec<f64>,
    /// `p[i][j]`: probability that i prevails over j.
    pub p: Vec<Vec<f64>>,
    /// `eu_own[i][j] = E^i(U_ij)`: i's expected utility from challenging j.
    pub eu_own: Vec<Vec<f64>>,
    /// `eu_other[i][j] = E^i(U_ji)`: j's challenge of i as i sees it.
    pub eu_other: Vec<Vec<f64>>,
    /// Whether all security levels were equal.
    pub degenerate: bool,
}

/// Runs the model on each continuous issue of the scenario, with the actors' capabilities
/// and each issue's positions and saliences.
pub fn run(scenario: &Scenario, config: &EuConfig) -> Vec<(IssueId, EuRun)> {
    scenario
        .issues
        .iter()
        .enumerate()
        .map(|(n, _)| {
            let actors = issue_actors(scenario, n);
            let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
            rng.set_stream(n as u64);
            (IssueId::at(n), run_issue(&actors, config, &mut rng))
        })
        .collect()
}

/// The model's input for one issue of a scenario: each actor with a position on it, with its
/// capability and that issue's position and salience, in input order.
pub fn issue_actors(scenario: &Scenario, issue: usize) -> Vec<EuActor> {
    scenario.issues[issue]
        .positions
        .iter()
        .map(|p| EuActor {
            capability: scenario.actor(p.actor).capability,
            position: p.position,
            salience: p.salience,
        })
        .collect()
}

/// The weighted median: the lowest actor position minimising `Σ w_k |x_k − y|` (weights
/// capability × salience).
pub fn weighted_median(positions: &[f64], weights: &[f64]) -> f64 {
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by(|a, b| positions[*a].total_cmp(&positions[*b]));
    let total: f64 = weights.iter().sum();
    let mut cumulative = 0.0;
    for &k in &order {
        cumulative += weights[k];
        if cumulative >= total / 2.0 {
            return positions[k];
        }
    }
    order.first().map_or(0.0, |k| positions[*k])
}

/// The weighted mean (capability × salience); the plain mean when no actor has weight.
pub fn weighted_mean(positions: &[f64], weights: &[f64]) -> f64 {
    let total: f64 = weights.iter().sum();
    let mean = if total == 0.0 {
        positions.iter().sum::<f64>() / positions.len().max(1) as f64
    } else {
        positions
            .iter()
            .zip(weights)
            .map(|(x, w)| x * w)
            .sum::<f64>()
            / total
    };
    // Rounding can carry the mean an ulp past the extreme positions, and so off the scale
    // (100000.00000000001 on 0..100000, found by fuzzing): a mean lies between them.
    let lowest = positions.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = positions.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lowest <= highest {
        mean.clamp(lowest, highest)
    } else {
        mean
    }
}

/// The model's state for one pass: positions, weights, range and risk exponents.
struct Pass<'a> {
    x: &'a [f64],
    c: &'a [f64],
    s: &'a [f64],
    range: f64,
    q: f64,
    t: f64,
    median: f64,
    full_no_challenge: bool,
}

impl Pass<'_> {
    /// `p[i][j]` for all pairs. Exponents of exactly 1 (the risk pass) make the votes linear.
    #[allow(clippy::float_cmp)]
    fn probabilities(&self, risk: &[f64], probability: Probability) -> Vec<Vec<f64>> {
        let risk_neutral = probability == Probability::Pairwise || risk.iter().all(|r| *r == 1.0);
        let for_i = if risk_neutral {
            self.linear_votes()
        } else {
            self.votes_with_exponents(risk)
        };
        let total: f64 = 2.0 * for_i.iter().flatten().sum::<f64>();
        #[allow(clippy::float_cmp)]
        let same = |i: usize, j: usize| self.x[i] == self.x[j];
        match probability {
            // Each probability depends on its own vote total only: converted in place, so that
            // a large issue holds one n × n matrix here, not two.
            Probability::Global => {
                let mut p = for_i;
                for (i, row) in p.iter_mut().enumerate() {
                    for (j, v) in row.iter_mut().enumerate() {
                        *v = if same(i, j) { 0.0 } else { *v / total };
                    }
                }
                p
            }
            Probability::Pairwise => {
                let n = self.x.len();
                (0..n)
                    .map(|i| {
                        (0..n)
                            .map(|j| {
                                if same(i, j) {
                                    return 0.0;
                                }
                                let both = for_i[i][j] + for_i[j][i];
                                if both > 0.0 { for_i[i][j] / both } else { 0.5 }
                            })
                            .collect()
                    })
                    .collect()
            }
        }
    }

    /// `for_i[i][j] = Σ_k max(0, v_k(i, j))` with the voters' risk exponents: the votes for i
    /// over j. Up to [`DIRECT_VOTES_MAX`] actors each pair sums over all voters, `O(n³)`
    /// (vectorised, pairs in parallel); above, through prefix sums, `O(n² log n)`.
    fn votes_with_exponents(&self, risk: &[f64]) -> Vec<Vec<f64>> {
        let n = self.x.len();
        if n > DIRECT_VOTES_MAX {
            return self.votes_by_prefix_sums(risk);
        }
        // votes[a][k] = w_k (|x_k − x_a| / Δ)^{r_k}: voter k's disutility of position a.
        let votes: Vec<Vec<f64>> = (0..n)
            .map(|a| (0..n).map(|k| self.disutility(risk, k, a)).collect())
            .collect();
        // Rows are split across threads only in chunks of 64: small issues (and issues run
        // inside a parallel Monte Carlo) stay on one thread without scheduling overhead.
        (0..n)
            .into_par_iter()
            .with_min_len(64)
            .map(|i| {
                (0..n)
                    .map(|j| positive_differences(&votes[j], &votes[i]))
                    .collect()
            })
            .collect()
    }

    /// Voter `k`'s disutility of position `a`: `w_k (|x_k − x_a| / Δ)^{r_k}`.
    fn disutility(&self, risk: &[f64], k: usize, a: usize) -> f64 {
        self.c[k] * self.s[k] * ((self.x[k] - self.x[a]).abs() / self.range).powf(risk[k])
    }

    /// The votes of [`Self::votes_with_exponents`] in `O(n² log n)` time and one n × n
    /// matrix of prefix sums. A voter's disutility grows with its distance whatever its
    /// exponent, so the voters for i over j are those on i's side of the midpoint: one run of
    /// the voters sorted by position, whose sum is a difference of prefix sums. The sums
    /// differ from the direct ones in the last bits.
    #[allow(clippy::float_cmp)] // only exactly equal positions have no votes
    fn votes_by_prefix_sums(&self, risk: &[f64]) -> Vec<Vec<f64>> {
        let n = self.x.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|a, b| self.x[*a].total_cmp(&self.x[*b]));
        let xs: Vec<f64> = order.iter().map(|&k| self.x[k]).collect();
        // prefix[a * (n + 1) + t]: Σ of the disutilities of position a over the t leftmost voters.
        let mut prefix = vec![0.0; n * (n + 1)];
        prefix
            .par_chunks_mut(n + 1)
            .enumerate()
            .for_each(|(a, row)| {
                for (t, &k) in order.iter().enumerate() {
                    row[t + 1] = row[t] + self.disutility(risk, k, a);
                }
            });
        let run = |a: usize, from: usize, to: usize| {
            prefix[a * (n + 1) + to] - prefix[a * (n + 1) + from]
        };
        let interval = |xi: f64, xj: f64, below_mid: usize, at_most_mid: usize| {
            if xi < xj {
                (0, below_mid)
            } else {
                (at_most_mid, n)
            }
        };
        // for_i[i][j] = run(j, ·) − run(i, ·) over the voters on i's side. Each part is read
        // along one row of `prefix`: the votes of i's voters for j row by row of j (stored
        // transposed), then the rest row by row of i, so that memory is read in order.
        let for_j: Vec<Vec<f64>> = (0..n)
            .into_par_iter()
            .with_min_len(64)
            .map(|j| {
                let xj = self.x[j];
                let mut column = vec![0.0; n];
                for_each_midpoint(&xs, xj, self.x, &order, |i, below_mid, at_most_mid| {
                    let (from, to) = interval(self.x[i], xj, below_mid, at_most_mid);
                    column[i] = run(j, from, to);
                });
                column
            })
            .collect();
        (0..n)
            .into_par_iter()
            .with_min_len(64)
            .map(|i| {
                let xi = self.x[i];
                let mut row = vec![0.0; n];
                for_each_midpoint(&xs, xi, self.x, &order, |j, below_mid, at_most_mid| {
                    let xj = self.x[j];
                    if xi != xj {
                        let (from, to) = interval(xi, xj, below_mid, at_most_mid);
                        row[j] = -run(i, from, to);
                    }
                });
                for (j, v) in row.iter_mut().enumerate() {
                    if self.x[j] != xi {
                        *v = (for_j[j][i] + *v).max(0.0);
                    }
                }
                row
            })
            .collect()
    }

    /// The same votes for risk-neutral voters (all exponents 1) in `O(n² log n)`: a voter
    /// closer to i than to j gives `w (|x_k − x_j| − |x_k − x_i|)/Δ`, which is `w (x_j − x_i)/Δ`
    /// for voters beyond i and `w (x_i + x_j − 2x_k)/Δ` between i and the midpoint, so prefix
    /// sums of `w` and `w x` over the voters sorted by position give each pair at once.
    #[allow(clippy::float_cmp)] // only exactly equal positions have no votes
    fn linear_votes(&self) -> Vec<Vec<f64>> {
        let n = self.x.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|a, b| self.x[*a].total_cmp(&self.x[*b]));
        let xs: Vec<f64> = order.iter().map(|&k| self.x[k]).collect();
        let mut w_sum = vec![0.0; n + 1];
        let mut wx_sum = vec![0.0; n + 1];
        for (t, &k) in order.iter().enumerate() {
            let w = self.c[k] * self.s[k];
            w_sum[t + 1] = w_sum[t] + w;
            wx_sum[t + 1] = wx_sum[t] + w * self.x[k];
        }
        let below = |y: f64| xs.partition_point(|x| *x < y);
        let at_most = |y: f64| xs.partition_point(|x| *x <= y);
        // Rows are split across threads only in chunks of 64: small issues (and issues run
        // inside a parallel Monte Carlo) stay on one thread without scheduling overhead.
        (0..n)
            .into_par_iter()
            .with_min_len(64)
            .map(|i| {
                let xi = self.x[i];
                let (at_most_i, below_i) = (at_most(xi), below(xi));
                let mut row = vec![0.0; n];
                for_each_midpoint(&xs, xi, self.x, &order, |j, below_mid, at_most_mid| {
                    let xj = self.x[j];
                    if xi == xj {
                        return;
                    }
                    let votes = if xi < xj {
                        let (a, b) = (at_most_i, below_mid.max(at_most_i));
                        w_sum[a] * (xj - xi) + (w_sum[b] - w_sum[a]) * (xi + xj)
                            - 2.0 * (wx_sum[b] - wx_sum[a])
                    } else {
                        let (a, b) = (below_i, at_most_mid.min(below_i));
                        (w_sum[n] - w_sum[a]) * (xi - xj) + 2.0 * (wx_sum[a] - wx_sum[b])
                            - (w_sum[a] - w_sum[b]) * (xi + xj)
                    };
                    row[j] = votes.max(0.0) / self.range;
                });
                row
            })
            .collect()
    }

    /// `Q·U_sq` with risk exponent `r`.
    fn status_quo(&self, r: f64) -> f64 {
        self.q * (2.0 - 4.0 * power(0.5, r))
    }

    /// The parts of `E(U_ab)` that `E(U_ba)` shares when seen with the same exponent `r`
    /// (they depend on the pair, not its order); `status_quo` is `Q·U_sq`.
    fn utility_terms(&self, r: f64, status_quo: f64, a: usize, b: usize) -> UtilityTerms {
        let d = (self.x[a] - self.x[b]).abs() / self.range;
        let u = |base: f64| 2.0 - 4.0 * power(base.max(0.0), r);
        let success = u(0.5 - 0.5 * d);
        let failure = u(0.5 + 0.5 * d);
        let no_challenge = if self.full_no_challenge {
            let e =
                ((self.x[a] - self.median).abs() + (self.x[b] - self.median).abs()) / self.range;
            let better = u(0.5 - 0.25 * e);
            let worse = u(0.5 + 0.25 * e);
            status_quo + (1.0 - self.q) * (self.t * better + (1.0 - self.t) * worse)
        } else {
            // [scholz] only the status-quo term; identical to the full form when Q = 1.
            status_quo
        };
        UtilityTerms {
            success,
            failure,
            no_challenge,
        }
    }

    /// `E(U_ab)` as perceived with risk exponent `r`, from the pair's terms: the challenge of
    /// `b` minus no challenge.
    fn expected_utility_from(&self, terms: &UtilityTerms, b: usize, p_ab: f64) -> f64 {
        let challenge = self.s[b] * (p_ab * terms.success + (1.0 - p_ab) * terms.failure)
            + (1.0 - self.s[b]) * terms.success;
        challenge - terms.no_challenge
    }

    /// Risk exponents from the security levels, with all exponents 1; and whether the
    /// security levels were all equal (then every exponent is 1).
    fn risk_exponents(&self, probability: Probability) -> (Vec<f64>, bool) {
        let n = self.x.len();
        let ones = vec![1.0; n];
        let p = self.probabilities(&ones, probability);
        // S_k = Σ_{j≠k} E(U_jk), summed over j in order as `Iterator::sum` does (from -0.0),
        // but row by row so that the matrix is read along its rows.
        let mut security = vec![-0.0; n];
        let status_quo = self.status_quo(1.0);
        for (j, row) in p.iter().enumerate() {
            for (k, (sum, p_jk)) in security.iter_mut().zip(row).enumerate() {
                if k != j {
                    let terms = self.utility_terms(1.0, status_quo, j, k);
                    *sum += self.expected_utility_from(&terms, k, *p_jk);
                }
            }
        }
        let max = security.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = security.iter().copied().fold(f64::INFINITY, f64::min);
        if max - min <= 0.0 || !(max - min).is_finite() {
            return (ones, true);
        }
        let risk = security
            .iter()
            .map(|s| {
                let r = (2.0 * s - max - min) / (max - min);
                (1.0 - r / 3.0) / (1.0 + r / 3.0)
            })
            .collect();
        (risk, false)
    }
}

/// The utilities of one pair as one actor sees them.
struct UtilityTerms {
    success: f64,
    failure: f64,
    no_challenge: f64,
}

/// The most actors for which the votes with risk exponents are summed directly, voter by
/// voter (`O(n³)`, the order of operations that the conformance tests were run with); above,
/// prefix sums take over (`O(n² log n)`).
const DIRECT_VOTES_MAX: usize = 400;

/// Calls `f(j, below, at_most)` for every actor `j` in `order` (positions ascending), with
/// the number of the sorted positions `xs` below and at most the midpoint of `xi` and `x[j]`.
/// The midpoints grow with `x[j]`, so two pointers that only move forward replace a binary
/// search per pair: `O(n)` a row. The counts are exactly those of `partition_point`.
fn for_each_midpoint(
    xs: &[f64],
    xi: f64,
    x: &[f64],
    order: &[usize],
    mut f: impl FnMut(usize, usize, usize),
) {
    let (mut below, mut at_most) = (0, 0);
    let mut last_mid = f64::NEG_INFINITY;
    for &j in order {
        let mid = f64::midpoint(xi, x[j]);
        if mid < last_mid {
            // Not expected (the midpoint is monotonic); start the pointers afresh if it is not.
            below = xs.partition_point(|x| *x < mid);
            at_most = below;
        }
        last_mid = mid;
        while below < xs.len() && xs[below] < mid {
            below += 1;
        }
        at_most = at_most.max(below);
        while at_most < xs.len() && xs[at_most] <= mid {
            at_most += 1;
        }
        f(j, below, at_most);
    }
}

/// `base^r`, exact for `r = 1` (the risk pass) without a call to `powf`.
#[allow(clippy::float_cmp)]
fn power(base: f64, r: f64) -> f64 {
    if r == 1.0 { base } else { base.powf(r) }
}

/// `Σ max(0, a_k − b_k)`, summed in four lanes so that it vectorises.
fn positive_differences(a: &[f64], b: &[f64]) -> f64 {
    let mut lanes = [0.0f64; 4];
    let chunks = a.len() / 4 * 4;
    for (ca, cb) in a[..chunks].chunks_exact(4).zip(b[..chunks].chunks_exact(4)) {
        for lane in 0..4 {
            lanes[lane] += (ca[lane] - cb[lane]).max(0.0);
        }
    }
    let tail: f64 = a[chunks..]
        .iter()
        .zip(&b[chunks..])
        .map(|(x, y)| (x - y).max(0.0))
        .sum();
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail
}

/// The matrices of the decision pass of the first round, for checks against published tables.
pub fn first_round_matrices(actors: &[EuActor], config: &EuConfig) -> PassMatrices {
    let x: Vec<f64> = actors.iter().map(|a| a.position).collect();
    let c: Vec<f64> = actors.iter().map(|a| a.capability).collect();
    let s: Vec<f64> = actors.iter().map(|a| a.salience).collect();
    let range = range_of(&x);
    decision_matrices(&x, &c, &s, range, config)
}

fn range_of(x: &[f64]) -> f64 {
    let max = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = x.iter().copied().fold(f64::INFINITY, f64::min);
    max - min
}

fn decision_matrices(
    x: &[f64],
    c: &[f64],
    s: &[f64],
    range: f64,
    config: &EuConfig,
) -> PassMatrices {
    let variant = config.preset.variant();
    let weights: Vec<f64> = c.iter().zip(s).map(|(c, s)| c * s).collect();
    let pass = Pass {
        x,
        c,
        s,
        range,
        q: config.q,
        t: config.t,
        median: weighted_median(x, &weights),
        full_no_challenge: variant.full_no_challenge,
    };
    let (risk, degenerate) = pass.risk_exponents(variant.probability);
    let p = pass.probabilities(&risk, variant.probability);
    let n = x.len();
    // E^i(U_ij) and E^i(U_ji) share their utilities (same pair, i's exponent).
    let (eu_own, eu_other): (Vec<Vec<f64>>, Vec<Vec<f64>>) = (0..n)
        .into_par_iter()
        .with_min_len(64)
        .map(|i| {
            let status_quo = pass.status_quo(risk[i]);
            (0..n)
                .map(|j| {
                    let terms = pass.utility_terms(risk[i], status_quo, i, j);
                    (
                        pass.expected_utility_from(&terms, j, p[i][j]),
                        pass.expected_utility_from(&terms, i, p[j][i]),
                    )
                })
                .unzip()
        })
        .unzip();
    PassMatrices {
        risk,
        p,
        eu_own,
        eu_other,
        degenerate,
    }
}

/// Runs the model on one issue.
pub fn run_issue(actors: &[EuActor], config: &EuConfig, rng: &mut ChaCha8Rng) -> EuRun {
    let c: Vec<f64> = actors.iter().map(|a| a.capability).collect();
    let mut s: Vec<f64> = actors.iter().map(|a| a.salience).collect();
    let mut x: Vec<f64> = actors.iter().map(|a| a.position).collect();
    let range = range_of(&x);
    let weights = |s: &[f64]| -> Vec<f64> { c.iter().zip(s).map(|(c, s)| c * s).collect() };
    let w = weights(&s);
    let mut rounds = vec![EuRound {
        round: 0,
        median: weighted_median(&x, &w),
        mean: weighted_mean(&x, &w),
        positions: x.clone(),
        risk: Vec::new(),
        actions: Vec::new(),
    }];
    let mut degenerate_risk_rounds = Vec::new();
    if actors.is_empty() || range <= 0.0 || !range.is_finite() {
        return EuRun {
            rounds,
            stop: StopReason::Agreement,
            degenerate_risk_rounds,
        };
    }
    let max_rounds = match config.stopping {
        Stopping::Rounds(n) => n,
        Stopping::Convergence { max_rounds, .. } => max_rounds,
    };
    for round in 1..=max_rounds {
        if let Some(shock) = config.salience_shock {
            for salience in &mut s {
                if rng.random::<f64>() < shock.probability {
                    *salience = rng.random::<f64>();
                }
            }
        }
        let m = decision_matrices(&x, &c, &s, range, config);
        if m.degenerate {
            degenerate_risk_rounds.push(round);
        }
        let (next, actions) = decide(&x, &c, &s, &m, config.preset.variant().offers, rng);
        x = next;
        let w = weights(&s);
        rounds.push(EuRound {
            round,
            median: weighted_median(&x, &w),
            mean: weighted_mean(&x, &w),
            positions: x.clone(),
            risk: m.risk,
            actions,
        });
        if let Stopping::Convergence {
            epsilon, patience, ..
        } = config.stopping
            && let Some(stop) = convergence(&rounds, range, epsilon, patience)
        {
            return EuRun {
                rounds,
                stop,
                degenerate_risk_rounds,
            };
        }
    }
    let stop = match config.stopping {
        Stopping::Rounds(_) => StopReason::Rounds,
        Stopping::Convergence { epsilon, .. } => {
            quasi_cycle(&rounds, range, epsilon).unwrap_or(StopReason::MaxRounds)
        }
    };
    EuRun {
        rounds,
        stop,
        degenerate_risk_rounds,
    }
}

/// The stopping test after the last round: a still median, a fixed point, or a repeat.
fn convergence(rounds: &[EuRound], range: f64, epsilon: f64, patience: u32) -> Option<StopReason> {
    let last = rounds.last()?;
    let previous = &rounds[rounds.len() - 2];
    if last.positions == previous.positions {
        return Some(StopReason::Converged);
    }
    let still = rounds
        .windows(2)
        .rev()
        .take(patience as usize)
        .filter(|w| (w[1].median - w[0].median).abs() <= epsilon * range)
        .count();
    if patience > 0 && still == patience as usize && rounds.len() > patience as usize {
        return Some(StopReason::Converged);
    }
    let tolerance = 1e-12 * range;
    let earlier = rounds[..rounds.len() - 1].iter().rposition(|r| {
        r.positions
            .iter()
            .zip(&last.positions)
            .all(|(a, b)| (a - b).abs() <= tolerance)
    })?;
    Some(cycle_over(&rounds[earlier + 1..]))
}

fn cycle_over(cycle: &[EuRound]) -> StopReason {
    let n = cycle.len() as f64;
    StopReason::Cycle {
        period: u32::try_from(cycle.len()).unwrap_or(u32::MAX),
        median: cycle.iter().map(|r| r.median).sum::<f64>() / n,
        mean: cycle.iter().map(|r| r.mean).sum::<f64>() / n,
    }
}

/// A median that repeats within `epsilon · Δ` with some period over the last two periods.
fn quasi_cycle(rounds: &[EuRound], range: f64, epsilon: f64) -> Option<StopReason> {
    let medians: Vec<f64> = rounds.iter().map(|r| r.median).collect();
    let n = medians.len();
    (2..=n / 3).find_map(|period| {
        let repeats = (n - period..n)
            .all(|t| (medians[t] - medians[t - period]).abs() <= 2.0 * epsilon * range);
        repeats.then(|| cycle_over(&rounds[n - period..]))
    })
}

/// Each receiver's response to the offers it gets, applied simultaneously.
fn decide(
    x: &[f64],
    c: &[f64],
    s: &[f64],
    m: &PassMatrices,
    rule: OfferRule,
    rng: &mut ChaCha8Rng,
) -> (Vec<f64>, Vec<Action>) {
    match rule {
        OfferRule::Scholz | OfferRule::SmallestMove => {
            let chosen: Vec<(f64, Action)> = (0..x.len()).map(|i| respond(i, x, m, rule)).collect();
            chosen.into_iter().unzip()
        }
        OfferRule::Masad => masad_round(x, c, s, m, rng),
    }
}

/// Receiver `i`'s response under the scholz and textbook rules. Equal move sizes are
/// compared exactly: the tie rule decides only between exactly equal moves.
#[allow(clippy::float_cmp)]
fn respond(i: usize, x: &[f64], m: &PassMatrices, rule: OfferRule) -> (f64, Action) {
    let mut best: Option<(f64, Action, f64, f64)> = None; // (position, action, rank, b)
    let mut best_confrontation: Option<(f64, usize, f64)> = None;
    for j in 0..x.len() {
        #[allow(clippy::float_cmp)]
        if j == i || x[j] == x[i] {
            continue;
        }
        let (a, b) = (m.eu_own[i][j], m.eu_other[i][j]);
        let offer = if b > a && a > 0.0 {
            Some((x[j], Action::Confrontation(j)))
        } else if b > 0.0 && 0.0 > a && b > a.abs() {
            Some((x[i] + (x[j] - x[i]) * (a / b).abs(), Action::Compromise(j)))
        } else if b > 0.0 && 0.0 > a && b < a.abs() && rule != OfferRule::Scholz {
            // [B1] Scholz's code tests `b < |b|` here, so it never capitulates.
            Some((x[j], Action::Capitulation(j)))
        } else {
            None
        };
        let Some((position, action)) = offer else {
            continue;
        };
        if rule == OfferRule::Scholz {
            if let Action::Confrontation(_) = action {
                let distance = (x[j] - x[i]).abs();
                if best_confrontation.is_none_or(|(_, _, d)| distance < d) {
                    best_confrontation = Some((position, j, distance));
                }
                continue;
            }
            // [B2] Scholz's code ranks compromises by |a|·x_i + |b|·x_j over |a| + |b|, a
            // weighted position rather than the size of the move.
            let rank = (a.abs() * x[i] + b.abs() * x[j]) / (a.abs() + b.abs());
            if best.is_none_or(|(_, _, r, _)| rank < r) {
                best = Some((position, action, rank, b));
            }
        } else {
            let size = (position - x[i]).abs();
            let better = best.is_none_or(|(_, _, r, best_b)| size < r || (size == r && b > best_b));
            if better {
                best = Some((position, action, size, b));
            }
        }
    }
    if let Some((position, j, _)) = best_confrontation {
        return (position, Action::Confrontation(j));
    }
    best.map_or((x[i], Action::Stay), |(position, action, _, _)| {
        (position, action)
    })
}

/// One round under Masad's reading of BDM 2002 (SPEC 7.3).
#[allow(clippy::float_cmp)]
fn masad_round(
    x: &[f64],
    c: &[f64],
    s: &[f64],
    m: &PassMatrices,
    rng: &mut ChaCha8Rng,
) -> (Vec<f64>, Vec<Action>) {
    let n = x.len();
    let mut next = x.to_vec();
    let mut actions = vec![Action::Stay; n];
    let mut conflict_with: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        // j threatens i when j's own expected utility from challenging i is above 1e-4.
        let threats: Vec<usize> = (0..n)
            .filter(|&j| j != i && m.eu_own[j][i] > 1e-4)
            .collect();
        let mut best: Option<(f64, usize, f64, f64)> = None; // (position, j, move, b)
        for &j in &threats {
            let b = m.eu_other[i][j];
            if b < 0.0 {
                continue;
            }
            let a = m.eu_own[i][j];
            let position = if a > 0.0 {
                m.p[i][j] * x[i] + (1.0 - m.p[i][j]) * x[j]
            } else if a.abs() <= b {
                x[i] + (x[j] - x[i]) * (a / b).abs()
            } else {
                x[j]
            };
            let size = (position - x[i]).abs();
            if best.is_none_or(|(_, _, best_size, best_b)| {
                size < best_size || (size == best_size && b > best_b)
            }) {
                best = Some((position, j, size, b));
            }
        }
        let Some((position, j, _, _)) = best else {
            continue;
        };
        // [B3] The category comes from the last credible threat in actor order, not the
        // chosen one.
        let last = threats
            .iter()
            .rev()
            .copied()
            .find(|&k| m.eu_other[i][k] >= 0.0)
            .unwrap_or(j);
        let (a, b) = (m.eu_own[i][last], m.eu_other[i][last]);
        if a > 0.0 {
            conflict_with[i] = Some(j);
            actions[i] = Action::Confrontation(j);
        } else if a.abs() <= b {
            next[i] = position;
            actions[i] = Action::Compromise(j);
        } else {
            next[i] = position;
            actions[i] = Action::Capitulation(j);
        }
    }
    // Reneging: an actor whose offer was accepted keeps its old position this round.
    let accepted_from: Vec<bool> = (0..n)
        .map(|j| {
            actions
                .iter()
                .any(|a| matches!(a, Action::Compromise(k) | Action::Capitulation(k) if *k == j))
        })
        .collect();
    for j in 0..n {
        if accepted_from[j] {
            next[j] = x[j];
        }
    }
    // Contests between actors that chose each other, neither having had an offer accepted:
    // i wins with its share of the votes; the loser moves to the winner's position.
    for i in 0..n {
        let Some(j) = conflict_with[i] else { continue };
        if j <= i || conflict_with[j] != Some(i) || accepted_from[i] || accepted_from[j] {
            continue;
        }
        let (mut for_i, mut for_j) = (0.0, 0.0);
        for k in 0..n {
            let v = c[k] * s[k] * ((x[k] - x[j]).abs() - (x[k] - x[i]).abs());
            if v > 0.0 { for_i += v } else { for_j -= v }
        }
        let share = if for_i + for_j > 0.0 {
            for_i / (for_i + for_j)
        } else {
            0.5
        };
        if rng.random::<f64>() < share {
            next[j] = x[i];
        } else {
            next[i] = x[j];
        }
    }
    (next, actions)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefix-sum votes equal the direct sums for risk-neutral voters, ties included.
    #[test]
    fn linear_votes_equal_the_direct_sums() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for n in [2, 3, 7, 30] {
            // Positions on a coarse grid so that ties and exact midpoints occur.
            let x: Vec<f64> = (0..n)
                .map(|_| f64::from(rng.random_range(0..12_u8)) * 0.5)
                .collect();
            let c: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
            let s: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
            let range = range_of(&x).max(1.0);
            let pass = Pass {
                x: &x,
                c: &c,
                s: &s,
                range,
                q: 1.0,
                t: 1.0,
                median: 0.0,
                full_no_challenge: true,
            };
            let fast = pass.linear_votes();
            let direct = pass.votes_with_exponents(&vec![1.0; n]);
            for i in 0..n {
                for j in 0..n {
                    assert!(
                        (fast[i][j] - direct[i][j]).abs() < 1e-12,
                        "n {n} ({i}, {j}): {} vs {}",
                        fast[i][j],
                        direct[i][j]
                    );
                }
            }
        }
    }

    /// The prefix-sum votes with risk exponents (large issues) equal the direct sums up to
    /// rounding, ties and exact midpoints included.
    #[test]
    fn prefix_sum_votes_equal_the_direct_sums() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for n in [2, 3, 7, 40] {
            let x: Vec<f64> = (0..n)
                .map(|_| f64::from(rng.random_range(0..12_u8)) * 0.5)
                .collect();
            let c: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
            let s: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
            let risk: Vec<f64> = (0..n).map(|_| 0.5 + 1.5 * rng.random::<f64>()).collect();
            let range = range_of(&x).max(1.0);
            let pass = Pass {
                x: &x,
                c: &c,
                s: &s,
                range,
                q: 1.0,
                t: 1.0,
                median: 0.0,
                full_no_challenge: false,
            };
            let fast = pass.votes_by_prefix_sums(&risk);
            let direct = pass.votes_with_exponents(&risk);
            for i in 0..n {
                for j in 0..n {
                    assert!(
                        (fast[i][j] - direct[i][j]).abs() < 1e-12,
                        "n {n} ({i}, {j}): {} vs {}",
                        fast[i][j],
                        direct[i][j]
                    );
                }
            }
        }
    }
}
