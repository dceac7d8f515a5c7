//! The consensus (veto) model of appointments, second generation: who blocks whom at what
//! cost, and how a body with no formal procedure gets from there to a name, to someone not
//! yet named, or to the fallback.
//!
//! **Question.** Which candidate, if any, does every member end up able to live with before
//! the deadline, when, and what does it take?
//!
//! **Basis.** Under unanimity each veto holder compares a candidate with the fallback (the
//! status quo of appointment games; Tsebelis 2002). A veto is a costly, visible act
//! (Heisenberg 2005; Novak 2013): a member blocks only when its *stake*, salience × loss
//! against the fallback, outweighs the cost of objecting, which grows with the support of the
//! candidate it blocks, with its isolation, and as the deadline nears (Granovetter 1978 for
//! the pull of support). Members without a stated view follow the emerging consensus and
//! never block; red lines are absolute. Among candidates nobody blocks, the facilitator
//! proposes the asymmetric Nash bargaining solution with the fallback as the disagreement
//! point (Nash 1950; Kalai 1977).
//!
//! **Dynamics**, round by round until the deadline (round `t` of `R`, `τ = t/R`):
//! 1. *Nomination and withdrawal.* A candidate vetoed for good (a red line, or a holdout that
//!    no pressure and no affordable payment can move) withdraws; an interested candidate is
//!    put forward when its home actor prefers it to the fallback and its weighted support
//!    reaches `nomination_share` of the front-runner's; a candidate below `withdraw_share` of
//!    the front-runner's withdraws.
//! 2. *Lobbying* (after BDM's challenge logic): a holdout `b` of `c` moves
//!    `κ · π · (1 − s_bc)` of the way to full support, `π` the share of the stakes for `c`.
//! 3. *Concessions*, in the last `deal_window` rounds (Roth, Murnighan & Schoumaker 1988; Ma &
//!    Manove 1993): the front-runner's supporters buy holdouts, cheapest first, with a move of
//!    a linked side issue (Stokman's exchange logic; each side issue moves once per draw) or a
//!    generic side payment priced at the holdout's net stake, within a budget of
//!    `payment_share` of what the candidate is worth to them (the Nash split of the surplus).
//! 4. *Agreement* as soon as a candidate passes the decision rule; otherwise the hazard of an
//!    *outsider* (someone not yet named) grows by `outsider_rate / R` in each deadlocked
//!    round. The fallback holds at the deadline.
//!
//! Within a draw the dynamics are deterministic; uncertainty enters through the draws of the
//! inputs ([`DrawPlan`]): support, fallback values, capabilities, criteria penalties and side
//! issues, each from a random number keyed by the ids of what is drawn, with a shared shock
//! per group of actors (`shared_shock` of the variance). Ties are broken by ids, never by
//! positions in the file.

mod rules;

pub use rules::{Answer, answers, body_passes};

use smallvec::{SmallVec, smallvec};

use crate::random::{Noise, TruncatedNormal, combine, key, normal_cdf};
use crate::scenario::{
    ActorId, Appointment, AppointmentScenario, CandidateId, CandidateStatus, DecisionRule, Follow,
    Scenario, Uncertainty,
};

/// Parameters of the dynamics. Built by the caller; [`ConsensusParams::published`] gives the
/// documented defaults of [`PARAMETERS`].
#[derive(Clone, Debug, PartialEq)]
pub struct ConsensusParams {
    /// Bargaining rounds before the fallback holds.
    pub rounds: u32,
    /// Lobbying intensity `κ` in (0, 1]: the share of the way to full support a holdout
    /// moves in one round under unopposed pressure when it does not care at all.
    pub lobbying: f64,
    /// A candidate withdraws when its weighted support falls below this share of the
    /// front-runner's.
    pub withdraw_share: f64,
    /// An interested candidate is put forward when its weighted support reaches this share of
    /// the front-runner's.
    pub nomination_share: f64,
    /// Holdouts sell their consent only in this many last rounds before the deadline.
    pub deal_window: u32,
    /// The cost of a lone veto against a candidate everyone else supports, at the start, in
    /// units of stake (salience × loss / 100): a member blocks only when its stake is larger.
    pub veto_cost: f64,
    /// How much the cost of a veto grows by the deadline: the cost is multiplied by
    /// `1 + deadline_pressure · t/R`.
    pub deadline_pressure: f64,
    /// Salience of an actor on a candidate it states nothing about, when the actor states no
    /// salience on the fallback and no stance at all.
    pub silent_salience: f64,
    /// Share of the variance of support that is shared by the members of a group.
    pub shared_shock: f64,
    /// Integrated hazard of an outsider over a process deadlocked from start to deadline: the
    /// chance that someone not yet named is appointed is `1 − exp(−outsider_rate)` then.
    pub outsider_rate: f64,
    /// Share of what a candidate is worth to its supporters that they will pay for holdouts.
    pub payment_share: f64,
}

/// A tunable parameter of the consensus model: name, documented default and plausible range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Parameter {
    /// The field of [`ConsensusParams`] (and the CLI flag without `--`, `_` as `-`).
    pub name: &'static str,
    /// The value argued by hand from the literature in docs/models/consensus.md: where
    /// calibration starts, and what a parameter the case library cannot identify keeps.
    pub argued: f64,
    /// The shipped default: the calibrated value where the case library identifies the
    /// parameter (docs/calibration.md), else the argued one.
    pub default: f64,
    /// Lowest plausible value.
    pub low: f64,
    /// Highest plausible value.
    pub high: f64,
}

/// The continuous parameters a calibration can fit, with defaults and ranges.
pub const PARAMETERS: [Parameter; 9] = [
    Parameter {
        name: "lobbying",
        argued: 0.35,
        default: 0.35,
        low: 0.05,
        high: 1.0,
    },
    Parameter {
        name: "withdraw_share",
        argued: 0.25,
        default: 0.25,
        low: 0.0,
        high: 0.6,
    },
    Parameter {
        name: "nomination_share",
        argued: 0.5,
        default: 0.5,
        low: 0.1,
        high: 1.0,
    },
    Parameter {
        name: "veto_cost",
        argued: 0.2,
        default: 0.2,
        low: 0.0,
        high: 0.8,
    },
    Parameter {
        name: "deadline_pressure",
        argued: 1.0,
        default: 1.0,
        low: 0.0,
        high: 4.0,
    },
    Parameter {
        name: "silent_salience",
        argued: 0.25,
        default: 0.25,
        low: 0.0,
        high: 1.0,
    },
    Parameter {
        name: "shared_shock",
        argued: 0.3,
        default: 0.3,
        low: 0.0,
        high: 0.9,
    },
    Parameter {
        name: "outsider_rate",
        argued: std::f64::consts::LN_2,
        default: std::f64::consts::LN_2,
        low: 0.0,
        high: 3.0,
    },
    Parameter {
        name: "payment_share",
        argued: 0.5,
        default: 0.5,
        low: 0.0,
        high: 1.0,
    },
];

/// The default deal window, in rounds.
pub const DEFAULT_DEAL_WINDOW: u32 = 2;

impl ConsensusParams {
    /// The shipped defaults ([`Parameter::default`]), with `rounds` rounds.
    pub fn published(rounds: u32) -> Self {
        Self::with_values(rounds, |p| p.default)
    }

    /// The values argued by hand ([`Parameter::argued`]), with `rounds` rounds: the model as
    /// documented before calibration, which the hand-computed tests follow.
    pub fn argued(rounds: u32) -> Self {
        Self::with_values(rounds, |p| p.argued)
    }

    fn with_values(rounds: u32, value: impl Fn(&Parameter) -> f64) -> Self {
        let mut p = Self {
            rounds,
            lobbying: 0.0,
            withdraw_share: 0.0,
            nomination_share: 0.0,
            deal_window: DEFAULT_DEAL_WINDOW,
            veto_cost: 0.0,
            deadline_pressure: 0.0,
            silent_salience: 0.0,
            shared_shock: 0.0,
            outsider_rate: 0.0,
            payment_share: 0.0,
        };
        for param in PARAMETERS {
            p.set(param.name, value(&param));
        }
        p
    }

    fn field(&mut self, name: &str) -> Option<&mut f64> {
        Some(match name {
            "lobbying" => &mut self.lobbying,
            "withdraw_share" => &mut self.withdraw_share,
            "nomination_share" => &mut self.nomination_share,
            "veto_cost" => &mut self.veto_cost,
            "deadline_pressure" => &mut self.deadline_pressure,
            "silent_salience" => &mut self.silent_salience,
            "shared_shock" => &mut self.shared_shock,
            "outsider_rate" => &mut self.outsider_rate,
            "payment_share" => &mut self.payment_share,
            _ => return None,
        })
    }

    /// Sets the parameter called `name` (one of [`PARAMETERS`]); false if there is none.
    pub fn set(&mut self, name: &str, value: f64) -> bool {
        self.field(name).map(|f| *f = value).is_some()
    }

    /// The value of the parameter called `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.clone().field(name).map(|f| *f)
    }
}

/// One actor's values for every candidate, kept inline for the usual handful of candidates
/// (draws are built and dropped a hundred thousand times a forecast).
pub type Row<T> = SmallVec<[T; 8]>;

/// One realisation of the uncertain inputs of an appointment.
#[derive(Clone, Debug)]
pub struct Draw {
    /// `support[actor][candidate]` after informal criteria (may fall below 0 when penalised).
    pub support: Vec<Row<f64>>,
    /// `salience[actor][candidate]`.
    pub salience: Vec<Row<f64>>,
    /// Whether the actor states a view on the candidate (a stance, a criterion, a red line);
    /// members without one follow the consensus and never block.
    pub stated: Vec<Row<bool>>,
    /// Red lines: the actor blocks the candidate whatever it costs.
    pub red_line: Vec<Row<bool>>,
    /// Each actor's value of the fallback, 0..100.
    pub fallback: Vec<f64>,
    /// Each actor's capability.
    pub capability: Vec<f64>,
    /// The linked side issues: positions and saliences by actor.
    pub side_issues: Vec<SideIssue>,
    /// The draw's quantile for the emergence of an outsider, in (0, 1): someone not yet named
    /// is appointed once the integrated hazard reaches `−ln(1 − outsider)`.
    pub outsider: f64,
    /// Per candidate, whether the person declines the post in this draw (see `available`).
    pub declines: Row<bool>,
}

/// A side issue as the dynamics see it.
#[derive(Clone, Debug)]
pub struct SideIssue {
    /// The issue.
    pub issue: usize,
    /// `(position, salience)` by actor, where the actor has one.
    pub positions: Vec<Option<(f64, f64)>>,
    /// The scale's length.
    pub range: f64,
}

/// A concession that bought a holdout's consent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Deal {
    /// The holdout who consented.
    pub actor: usize,
    /// The side issue moved (index into the scenario's issues), or `None` for a generic side
    /// payment.
    pub issue: Option<usize>,
    /// The candidate it consented to.
    pub candidate: usize,
    /// How far the side issue's outcome moved toward the holdout, in the issue's units (0 for
    /// a side payment).
    pub shift: f64,
    /// What the concession cost the candidate's supporters (capability × salience units).
    pub price: f64,
    /// The round.
    pub round: u32,
}

/// What happened in one draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// The candidate appointed, or `None` when the fallback held or an outsider won.
    pub winner: Option<usize>,
    /// Whether someone not yet named was appointed.
    pub outsider: bool,
    /// The round of agreement on a candidate or an outsider (0: as the scenario stands).
    pub round: Option<u32>,
    /// Veto holders who blocked the winner as the scenario stood.
    pub holdouts_at_start: Vec<usize>,
    /// Without a winner: those who blocked the front-runner when the process ended.
    pub holdouts_at_end: Vec<usize>,
    /// The winner's holdouts who consented last (ties share the count).
    pub last_holdouts: Vec<usize>,
    /// Deals that unlocked the winner.
    pub deals: Vec<Deal>,
}

/// A value of the draw: stated, with its spread and its random key.
#[derive(Clone, Copy, Debug)]
struct Uncertain {
    value: f64,
    key: u64,
    spread: Spread,
}

#[derive(Clone, Copy, Debug)]
enum Spread {
    Fixed,
    Normal(TruncatedNormal),
    Uniform { low: f64, high: f64 },
}

impl Uncertain {
    fn new(value: f64, u: &Uncertainty, low: f64, high: f64, key: u64) -> Self {
        let spread = match *u {
            Uncertainty::Normal { sd } if sd > 0.0 && high > low => {
                Spread::Normal(TruncatedNormal::new(value, sd, low, high))
            }
            Uncertainty::Uniform { low, high } if high > low => Spread::Uniform { low, high },
            Uncertainty::Uniform { low, .. } => return Self::fixed(low),
            _ => Spread::Fixed,
        };
        Self { value, key, spread }
    }

    fn fixed(value: f64) -> Self {
        Self {
            value,
            key: 0,
            spread: Spread::Fixed,
        }
    }

    fn is_fixed(&self) -> bool {
        matches!(self.spread, Spread::Fixed)
    }

    /// The value at quantile `u` of its distribution.
    fn at(&self, u: f64) -> f64 {
        match self.spread {
            Spread::Fixed => self.value,
            Spread::Normal(t) => t.quantile(u),
            Spread::Uniform { low, high } => low + (high - low) * u,
        }
    }

    fn sample(&self, noise: Option<Noise>) -> f64 {
        match noise {
            Some(n) if !self.is_fixed() => self.at(n.uniform(self.key)),
            _ => self.value,
        }
    }
}

#[derive(Clone, Debug)]
struct StancePlan {
    support: Uncertain,
    salience: f64,
    red_line: bool,
}

#[derive(Clone, Debug)]
struct ConcernPlan {
    actor: usize,
    penalty: Uncertain,
    /// A stated penalty of 100: a red line against every candidate failing the criterion.
    red_line: bool,
    fails: Vec<bool>,
}

#[derive(Clone, Debug)]
struct SidePlan {
    issue: usize,
    range: f64,
    positions: Vec<(usize, Uncertain, Uncertain)>,
}

/// Everything needed to draw an appointment's inputs, prepared once per forecast: the
/// distributions of the uncertain values and their random keys (made from ids).
#[derive(Clone, Debug)]
pub struct DrawPlan {
    capability: Vec<Uncertain>,
    fallback: Vec<Uncertain>,
    stances: Vec<Vec<Option<StancePlan>>>,
    default_salience: Vec<f64>,
    concerns: Vec<ConcernPlan>,
    /// Leader-following, leaders before their followers.
    follows: Vec<Follow>,
    sides: Vec<SidePlan>,
    /// Per actor, indices into `group_keys`.
    actor_groups: Vec<Vec<usize>>,
    group_keys: Vec<u64>,
    candidate_keys: Vec<u64>,
    outsider_key: u64,
    shared_shock: f64,
    /// Per candidate, the probability it accepts and the key of its draw.
    available: Vec<(f64, u64)>,
}

impl DrawPlan {
    /// The plan of the appointment of scenario `s`.
    #[allow(clippy::too_many_lines)] // one pass over every kind of uncertain input, in order
    pub fn new(s: AppointmentScenario<'_>, params: &ConsensusParams) -> Self {
        let a = s.appointment();
        let n = s.actors.len();
        let capability = s
            .actors
            .iter()
            .map(|x| {
                Uncertain::new(
                    x.capability,
                    &x.capability_uncertainty,
                    0.0,
                    f64::INFINITY,
                    key(&["capability", &x.id]),
                )
            })
            .collect();
        let fallback = s
            .actors
            .iter()
            .zip(&a.fallback_stances)
            .map(|(x, f)| {
                Uncertain::new(
                    f.support,
                    &f.uncertainty,
                    0.0,
                    100.0,
                    key(&["fallback", &x.id]),
                )
            })
            .collect();
        let stances = (0..n)
            .map(|i| {
                (0..a.candidates.len())
                    .map(|c| {
                        a.stances[i][c].as_ref().map(|st| StancePlan {
                            support: Uncertain::new(
                                st.support,
                                &st.uncertainty,
                                0.0,
                                100.0,
                                key(&["stance", &s.actors[i].id, &a.candidates[c].id]),
                            ),
                            salience: st.salience,
                            red_line: st.red_line,
                        })
                    })
                    .collect()
            })
            .collect();
        // An actor's salience where it states nothing: its stated salience on the fallback,
        // else the mean of its stated saliences on candidates, else the model's default.
        let default_salience = (0..n)
            .map(|i| {
                if a.fallback_written.get(i).copied().unwrap_or(false) {
                    return a.fallback_stances[i].salience;
                }
                let stated: Vec<f64> = a.stances[i].iter().flatten().map(|x| x.salience).collect();
                if stated.is_empty() {
                    params.silent_salience
                } else {
                    stated.iter().sum::<f64>() / stated.len() as f64
                }
            })
            .collect();
        let concerns = a
            .criteria
            .iter()
            .flat_map(|criterion| {
                criterion
                    .concerns
                    .iter()
                    .map(move |concern| (criterion, concern))
            })
            .map(|(criterion, concern)| ConcernPlan {
                actor: concern.actor.index(),
                penalty: Uncertain::new(
                    concern.penalty,
                    &concern.uncertainty,
                    0.0,
                    100.0,
                    key(&["penalty", &criterion.id, &s.actor(concern.actor).id]),
                ),
                red_line: concern.penalty >= 100.0,
                fails: criterion.passes.iter().map(|p| !p).collect(),
            })
            .collect();
        let sides = s
            .issues
            .iter()
            .enumerate()
            .filter(|(_, issue)| issue.linked_to_appointment)
            .map(|(k, issue)| SidePlan {
                issue: k,
                range: issue.scale.upper - issue.scale.lower,
                positions: issue
                    .positions
                    .iter()
                    .map(|p| {
                        let who = &s.actor(p.actor).id;
                        (
                            p.actor.index(),
                            Uncertain::new(
                                p.position,
                                &p.position_uncertainty,
                                issue.scale.lower,
                                issue.scale.upper,
                                key(&["position", &issue.id, who]),
                            ),
                            Uncertain::new(
                                p.salience,
                                &p.salience_uncertainty,
                                0.0,
                                1.0,
                                key(&["salience", &issue.id, who]),
                            ),
                        )
                    })
                    .collect(),
            })
            .collect();
        let mut group_names: Vec<(&str, &str)> = Vec::new();
        let actor_groups = s
            .actors
            .iter()
            .map(|x| {
                x.groups
                    .iter()
                    .map(|(k, v)| {
                        let g = (k.as_str(), v.as_str());
                        match group_names.iter().position(|h| *h == g) {
                            Some(i) => i,
                            None => {
                                group_names.push(g);
                                group_names.len() - 1
                            }
                        }
                    })
                    .collect()
            })
            .collect();
        Self {
            capability,
            fallback,
            stances,
            default_salience,
            concerns,
            follows: a.follows.clone(),
            sides,
            actor_groups,
            group_keys: group_names
                .iter()
                .map(|(k, v)| key(&["group", k, v]))
                .collect(),
            candidate_keys: a
                .candidates
                .iter()
                .map(|c| key(&["candidate", &c.id]))
                .collect(),
            outsider_key: key(&["outsider"]),
            shared_shock: params.shared_shock.clamp(0.0, 1.0),
            available: a
                .candidates
                .iter()
                .map(|c| (c.available, key(&["available", &c.id])))
                .collect(),
        }
    }

    /// The stated values, without uncertainty.
    pub fn stated(&self) -> Draw {
        self.build(None)
    }

    /// Draw `draw` under `seed`.
    pub fn draw(&self, seed: u64, draw: u64) -> Draw {
        self.build(Some(Noise::new(seed, draw)))
    }

    /// The quantile of actor `a`'s support for candidate `c`: a Gaussian copula of a shock
    /// shared by each of the actor's groups and its own noise.
    fn stance_quantile(&self, noise: Noise, a: usize, c: usize, own: u64, shocks: &[f64]) -> f64 {
        let groups = &self.actor_groups[a];
        if groups.is_empty() || self.shared_shock <= 0.0 {
            return noise.uniform(own);
        }
        let m = self.candidate_keys.len();
        let shared: f64 =
            groups.iter().map(|&g| shocks[g * m + c]).sum::<f64>() / (groups.len() as f64).sqrt();
        let z = self.shared_shock.sqrt() * shared
            + (1.0 - self.shared_shock).sqrt() * noise.normal(own);
        normal_cdf(z)
    }

    fn build(&self, noise: Option<Noise>) -> Draw {
        let n = self.capability.len();
        let m = self.candidate_keys.len();
        let capability: Vec<f64> = self.capability.iter().map(|u| u.sample(noise)).collect();
        let fallback: Vec<f64> = self.fallback.iter().map(|u| u.sample(noise)).collect();
        let shocks: Vec<f64> = match noise {
            Some(noise) if self.shared_shock > 0.0 => self
                .group_keys
                .iter()
                .flat_map(|g| {
                    self.candidate_keys
                        .iter()
                        .map(move |c| noise.normal(combine(*g, *c)))
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut support: Vec<Row<f64>> = vec![smallvec![0.0; m]; n];
        let mut salience: Vec<Row<f64>> = vec![smallvec![0.0; m]; n];
        let mut stated: Vec<Row<bool>> = vec![smallvec![false; m]; n];
        let mut red_line: Vec<Row<bool>> = vec![smallvec![false; m]; n];
        for a in 0..n {
            for c in 0..m {
                match &self.stances[a][c] {
                    Some(st) => {
                        support[a][c] = match noise {
                            Some(noise) if !st.support.is_fixed() => st
                                .support
                                .at(self.stance_quantile(noise, a, c, st.support.key, &shocks)),
                            _ => st.support.value,
                        };
                        salience[a][c] = st.salience;
                        stated[a][c] = true;
                        red_line[a][c] = st.red_line;
                    }
                    // No stance: indifferent between the candidate and the fallback.
                    None => {
                        support[a][c] = fallback[a];
                        salience[a][c] = self.default_salience[a];
                    }
                }
            }
        }
        // Followers take their cue from the leader's view of each candidate against the
        // fallback (its margin, so that two actors who value the fallback differently still
        // agree on who is better than it), before any criteria: each actor's criteria are its
        // own. Leaders come first, so that chains carry.
        for f in &self.follows {
            let (a, l) = (f.actor.index(), f.leader.index());
            for c in (0..m).filter(|&c| f.candidates[c]) {
                let own = support[a][c] - fallback[a];
                let cue = support[l][c] - fallback[l];
                support[a][c] =
                    (fallback[a] + (1.0 - f.weight) * own + f.weight * cue).clamp(0.0, 100.0);
                stated[a][c] |= f.weight > 0.0 && stated[l][c];
            }
        }
        for concern in &self.concerns {
            let penalty = concern.penalty.sample(noise);
            for (c, fails) in concern.fails.iter().enumerate() {
                if *fails {
                    // No floor at 0: a penalised candidate stays below an indifferent one.
                    support[concern.actor][c] -= penalty;
                    stated[concern.actor][c] = true;
                    red_line[concern.actor][c] |= concern.red_line;
                }
            }
        }
        let side_issues = self
            .sides
            .iter()
            .map(|side| {
                let mut positions = vec![None; n];
                for (a, x, sal) in &side.positions {
                    positions[*a] = Some((x.sample(noise), sal.sample(noise)));
                }
                SideIssue {
                    issue: side.issue,
                    positions,
                    range: side.range,
                }
            })
            .collect();
        Draw {
            support,
            salience,
            stated,
            red_line,
            fallback,
            capability,
            side_issues,
            outsider: noise.map_or(0.5, |n| n.uniform(self.outsider_key)),
            // The stated draw takes the median answer, as it does for the outsider.
            declines: self
                .available
                .iter()
                .map(|&(p, k)| p < 1.0 && noise.map_or(0.5, |n| n.uniform(k)) >= p)
                .collect(),
        }
    }
}

impl Draw {
    /// The stated values of scenario `s`, without uncertainty.
    pub fn stated(s: AppointmentScenario<'_>, params: &ConsensusParams) -> Self {
        DrawPlan::new(s, params).stated()
    }

    /// The pressure an actor brings to bear for or against `c`: capability × salience ×
    /// distance from the fallback / 100.
    fn pressure(&self, actor: usize, c: usize) -> f64 {
        self.capability[actor]
            * self.salience[actor][c]
            * (self.support[actor][c] - self.fallback[actor]).abs()
            / 100.0
    }

    /// What consenting to `c` costs `actor`: salience × loss against the fallback / 100.
    fn stake(&self, actor: usize, c: usize) -> f64 {
        self.salience[actor][c] * (self.fallback[actor] - self.support[actor][c]).max(0.0) / 100.0
    }

    /// Whether `actor` prefers `c` to the fallback (strictly).
    fn supports(&self, actor: usize, c: usize) -> bool {
        !self.red_line[actor][c] && self.support[actor][c] > self.fallback[actor]
    }

    /// Whether `actor` is against `c`: a red line, or a stated view strictly below the fallback.
    fn opposes(&self, actor: usize, c: usize) -> bool {
        self.red_line[actor][c]
            || (self.stated[actor][c] && self.support[actor][c] < self.fallback[actor])
    }
}

/// The capability × salience weights of a candidate's voters: in total, for, against.
#[derive(Clone, Copy, Debug)]
struct Shares {
    total: f64,
    pro: f64,
    against: f64,
}

fn shares(s: &Scenario, d: &Draw, c: usize) -> Shares {
    let mut sh = Shares {
        total: 0.0,
        pro: 0.0,
        against: 0.0,
    };
    for a in (0..s.actors.len()).filter(|&a| s.actors[a].votes) {
        let w = d.capability[a] * d.salience[a][c];
        sh.total += w;
        if d.supports(a, c) {
            sh.pro += w;
        } else if d.opposes(a, c) {
            sh.against += w;
        }
    }
    sh
}

impl Shares {
    fn support(&self) -> f64 {
        if self.total > 0.0 {
            self.pro / self.total
        } else {
            0.0
        }
    }
}

/// Weighted support of each candidate: the capability × salience share of voting actors who
/// prefer it to the fallback.
pub fn weighted_support(s: &Scenario, d: &Draw) -> Vec<f64> {
    let candidates = d.support.first().map_or(0, SmallVec::len);
    (0..candidates).map(|c| shares(s, d, c).support()).collect()
}

/// The cost to `b` of blocking `c` at time `tau` (0 at the start, 1 at the deadline):
/// `veto_cost × support × isolation × (1 + deadline_pressure × tau)`.
fn veto_cost(
    s: &Scenario,
    d: &Draw,
    p: &ConsensusParams,
    sh: Shares,
    b: usize,
    c: usize,
    tau: f64,
) -> f64 {
    if sh.total <= 0.0 {
        return 0.0;
    }
    let own = if s.actors[b].votes && d.opposes(b, c) {
        d.capability[b] * d.salience[b][c]
    } else {
        0.0
    };
    let isolation = (1.0 - (sh.against - own) / sh.total).clamp(0.0, 1.0);
    p.veto_cost * sh.support() * isolation * (1.0 + p.deadline_pressure * tau)
}

/// Whether veto holder `b` blocks `c` at time `tau`: a red line, or a stated loss against the
/// fallback whose stake outweighs the cost of the veto.
fn vetoes(
    s: &Scenario,
    d: &Draw,
    p: &ConsensusParams,
    sh: Shares,
    b: usize,
    c: usize,
    tau: f64,
) -> bool {
    rules::holds_veto(s, b, tau)
        && (d.red_line[b][c]
            || (d.opposes(b, c) && d.stake(b, c) > veto_cost(s, d, p, sh, b, c, tau)))
}

/// The actors whose opposition keeps candidate `c` from passing at time `tau`: veto holders
/// who block it, and under a majority rule every voter against it while the majority is
/// missing.
pub fn blockers(s: &Scenario, d: &Draw, p: &ConsensusParams, c: usize, tau: f64) -> Vec<usize> {
    if !s.bodies.is_empty() {
        return rules::body_blockers(s, d, p, c, tau);
    }
    let sh = shares(s, d, c);
    let vetoed: Vec<usize> = (0..s.actors.len())
        .filter(|&b| vetoes(s, d, p, sh, b, c, tau))
        .collect();
    if s.rule == DecisionRule::Consensus || !vetoed.is_empty() || majority(s, d, c) {
        return vetoed;
    }
    (0..s.actors.len())
        .filter(|&a| s.actors[a].votes && d.opposes(a, c))
        .collect()
}

fn majority(s: &Scenario, d: &Draw, c: usize) -> bool {
    let (mut total, mut accept) = (0.0, 0.0);
    for (a, actor) in s.actors.iter().enumerate().filter(|(_, x)| x.votes) {
        total += actor.weight;
        if !d.opposes(a, c) {
            accept += actor.weight;
        }
    }
    let share = if total > 0.0 { accept / total } else { 0.0 };
    match s.rule {
        DecisionRule::Consensus | DecisionRule::Bodies => true,
        DecisionRule::QualifiedMajority { threshold } => share >= threshold,
        DecisionRule::SimpleMajority => share > 0.5,
    }
}

/// Whether candidate `c` passes the decision rule at time `tau`.
pub fn passes(s: &Scenario, d: &Draw, p: &ConsensusParams, c: usize, tau: f64) -> bool {
    if let Some(body) = s.bodies.first() {
        return body_passes(s, d, p, body, c, tau);
    }
    let sh = shares(s, d, c);
    !(0..s.actors.len()).any(|b| vetoes(s, d, p, sh, b, c, tau)) && majority(s, d, c)
}

/// The asymmetric Nash product (in logs) of candidate `c` against the fallback: Σ w ln(gain),
/// with gains floored at 1e-6 so that indifferent actors do not zero it.
pub fn nash_value(s: &Scenario, d: &Draw, c: usize) -> f64 {
    (0..s.actors.len())
        .filter(|&a| s.actors[a].votes)
        .map(|a| {
            let w = d.capability[a] * d.salience[a][c];
            w * (d.support[a][c] - d.fallback[a]).max(1e-6).ln()
        })
        .sum()
}

/// The candidate id, for breaking ties independently of the order of the file.
fn candidate_id(s: &Scenario, c: usize) -> &str {
    s.appointment
        .as_ref()
        .map_or("", |a| a.candidates[c].id.as_str())
}

/// Whether candidate `b` with value `vb` comes before `c` with value `vc`: the larger value,
/// ties to the smaller candidate id (never the position in the file).
fn prefer(s: &Scenario, vb: f64, b: usize, vc: f64, c: usize) -> bool {
    vb.total_cmp(&vc)
        .then_with(|| candidate_id(s, c).cmp(candidate_id(s, b)))
        .is_gt()
}

/// The best weighted support among the candidates still in the running: not withdrawn, and
/// either put forward or backed by their home actor (who would put them forward).
fn best_in_running(s: &Scenario, d: &Draw, support: &[f64], withdrawn: &[bool]) -> f64 {
    let Some(a) = s.appointment.as_ref() else {
        return 0.0;
    };
    (0..support.len())
        .filter(|&c| !withdrawn[c])
        .filter(|&c| {
            !matches!(
                a.candidates[c].status,
                CandidateStatus::Interested | CandidateStatus::Mentioned
            ) || a.candidates[c]
                .home
                .is_none_or(|h| d.supports(h.index(), c))
        })
        .map(|c| support[c])
        .fold(0.0, f64::max)
}

/// The facilitator's proposal at `tau`: among the candidates in `eligible` that pass the rule
/// and carry the emerging consensus (weighted support at least `nomination_share` of the best
/// candidate still in the running: silent members follow a bandwagon, not a name nobody
/// backs), the largest Nash value, ties to the smaller candidate id.
fn facilitator(
    s: &Scenario,
    d: &Draw,
    p: &ConsensusParams,
    eligible: &[bool],
    withdrawn: &[bool],
    tau: f64,
) -> Option<usize> {
    let support = weighted_support(s, d);
    let threshold = p.nomination_share * best_in_running(s, d, &support, withdrawn);
    (0..eligible.len())
        .filter(|&c| eligible[c] && support[c] >= threshold && passes(s, d, p, c, tau))
        .map(|c| (c, nash_value(s, d, c)))
        .fold(None, |best: Option<(usize, f64)>, (c, v)| match best {
            Some((b, bv)) if prefer(s, bv, b, v, c) => best,
            _ => Some((c, v)),
        })
        .map(|(c, _)| c)
}

/// The eligible candidate with the most weighted support, ties to the smaller id.
fn front_runner(s: &Scenario, support: &[f64], eligible: &[bool]) -> Option<usize> {
    (0..support.len())
        .filter(|&c| eligible[c])
        .fold(None, |best: Option<usize>, c| match best {
            Some(b) if prefer(s, support[b], b, support[c], c) => Some(b),
            _ => Some(c),
        })
}

/// The state of one draw's bargaining.
struct Bargaining<'a> {
    s: &'a Scenario,
    a: &'a Appointment,
    p: &'a ConsensusParams,
    d: Draw,
    nominated: Vec<bool>,
    withdrawn: Vec<bool>,
    initial_blockers: Vec<Vec<usize>>,
    /// `[candidate][actor]`: the last round in which the actor blocked the candidate.
    last_blocked: Vec<Vec<u32>>,
    side_moved: Vec<bool>,
    spent: Vec<f64>,
    deals: Vec<Deal>,
    hazard: f64,
}

impl<'a> Bargaining<'a> {
    fn new(s: AppointmentScenario<'a>, draw: Draw, p: &'a ConsensusParams) -> Self {
        let a = s.appointment();
        let m = a.candidates.len();
        Self {
            s: s.scenario(),
            a,
            p,
            nominated: a
                .candidates
                .iter()
                .map(|c| {
                    matches!(
                        c.status,
                        CandidateStatus::Declared | CandidateStatus::Nominated
                    )
                })
                .collect(),
            withdrawn: a
                .candidates
                .iter()
                .map(|c| c.status == CandidateStatus::Withdrawn)
                .collect(),
            initial_blockers: (0..m).map(|c| blockers(&s, &draw, p, c, 0.0)).collect(),
            last_blocked: vec![vec![0; s.actors.len()]; m],
            side_moved: vec![false; draw.side_issues.len()],
            spent: vec![0.0; m],
            deals: Vec::new(),
            hazard: 0.0,
            d: draw,
        }
    }

    /// The facilitator's proposal at `tau` that every later body confirms and the person
    /// accepts; a proposal that fails there is out of the running, and the facilitator
    /// proposes again.
    fn agree(&mut self, tau: f64) -> Option<usize> {
        loop {
            let c = facilitator(
                self.s,
                &self.d,
                self.p,
                &self.eligible(),
                &self.withdrawn,
                tau,
            )?;
            if rules::confirmed(self.s, &self.d, self.p, c, tau) {
                return Some(c);
            }
            self.withdrawn[c] = true;
        }
    }

    fn tau(&self, round: u32) -> f64 {
        f64::from(round) / f64::from(self.p.rounds.max(1))
    }

    /// Candidates that can be appointed now: put forward and not withdrawn.
    fn eligible(&self) -> Vec<bool> {
        self.nominated
            .iter()
            .zip(&self.withdrawn)
            .map(|(n, w)| *n && !w)
            .collect()
    }

    /// What the supporters of `c` other than `b` would still pay for it.
    fn budget(&self, b: usize, c: usize) -> f64 {
        let value: f64 = (0..self.s.actors.len())
            .filter(|&x| x != b && self.d.supports(x, c))
            .map(|x| self.d.pressure(x, c))
            .sum();
        (self.p.payment_share * value - self.spent[c]).max(0.0)
    }

    /// The generic side payment that buys `b`'s consent to `c` at `tau`: its capability ×
    /// (stake − the cost of blocking it would save).
    fn payment(&self, b: usize, c: usize, tau: f64) -> f64 {
        let sh = shares(self.s, &self.d, c);
        self.d.capability[b]
            * (self.d.stake(b, c) - veto_cost(self.s, &self.d, self.p, sh, b, c, tau)).max(0.0)
    }

    /// Whether candidate `c` is vetoed for good: a red line, or a holdout who cares
    /// completely (no lobbying moves it), whose stake beats the highest cost a veto can have,
    /// and whom the supporters cannot afford to buy at the deadline.
    fn vetoed_for_good(&self, c: usize) -> bool {
        let max_cost = self.p.veto_cost * (1.0 + self.p.deadline_pressure);
        (0..self.s.actors.len()).any(|b| {
            rules::holds_veto(self.s, b, 1.0)
                && (self.d.red_line[b][c]
                    || (self.d.opposes(b, c)
                        && self.d.salience[b][c] >= 1.0
                        && self.d.stake(b, c) > max_cost
                        && self.payment(b, c, 1.0) > self.budget(b, c)
                        && self.d.side_issues.is_empty()))
        })
    }

    /// Withdraws candidates vetoed for good or whose support collapsed; puts forward
    /// interested candidates that have enough support and their government's backing.
    fn nominate_and_withdraw(&mut self, round: u32) {
        let a = self.a;
        for c in 0..self.withdrawn.len() {
            if !self.withdrawn[c] && self.vetoed_for_good(c) {
                self.withdrawn[c] = true;
            }
        }
        let support = weighted_support(self.s, &self.d);
        let live = self.eligible();
        let best = (0..support.len())
            .filter(|&c| live[c])
            .map(|c| support[c])
            .fold(0.0, f64::max);
        for (c, &share) in support.iter().enumerate() {
            if self.withdrawn[c] {
                continue;
            }
            if !self.nominated[c] {
                let home_wants = a.candidates[c]
                    .home
                    .is_none_or(|h| self.d.supports(h.index(), c));
                self.nominated[c] = home_wants && share >= self.p.nomination_share * best;
            } else if round > 1 && share < self.p.withdraw_share * best {
                self.withdrawn[c] = true;
            }
        }
    }

    /// Each supporter lobbies the holdouts of its favourite candidate; moves are simultaneous.
    fn lobby(&mut self, round: u32) {
        let (n, live) = (self.s.actors.len(), self.eligible());
        let tau = self.tau(round);
        let d = &self.d;
        let favourite: Vec<Option<usize>> = (0..n)
            .map(|x| {
                (0..live.len())
                    .filter(|&c| live[c] && d.supports(x, c))
                    .fold(None, |best: Option<usize>, c| match best {
                        Some(b) if prefer(self.s, d.support[x][b], b, d.support[x][c], c) => {
                            Some(b)
                        }
                        _ => Some(c),
                    })
            })
            .collect();
        let mut moves = Vec::new();
        for c in (0..live.len()).filter(|&c| live[c]) {
            let against: f64 = (0..n)
                .filter(|&x| d.opposes(x, c))
                .map(|x| d.pressure(x, c))
                .sum();
            for b in blockers(self.s, d, self.p, c, tau) {
                let pro: f64 = (0..n)
                    .filter(|&x| x != b && favourite[x] == Some(c))
                    .map(|x| d.pressure(x, c))
                    .sum();
                let share = if pro + against > 0.0 {
                    pro / (pro + against)
                } else {
                    0.0
                };
                moves.push((
                    b,
                    c,
                    self.p.lobbying
                        * share
                        * (1.0 - d.salience[b][c]).max(0.0)
                        * (100.0 - d.support[b][c]).max(0.0),
                ));
            }
        }
        for (b, c, step) in moves {
            self.d.support[b][c] = (self.d.support[b][c] + step).min(100.0);
        }
    }

    /// Buys the front-runner's holdouts, cheapest first (ties by actor id), with a side-issue
    /// move or a generic side payment, while the supporters' budget lasts.
    fn make_deals(&mut self, round: u32) {
        let tau = self.tau(round);
        let live = self.eligible();
        let Some(c) = front_runner(self.s, &weighted_support(self.s, &self.d), &live) else {
            return;
        };
        let mut targets: Vec<(usize, f64)> = blockers(self.s, &self.d, self.p, c, tau)
            .into_iter()
            .filter(|&b| !self.d.red_line[b][c] && self.s.actors[b].veto)
            .map(|b| (b, self.payment(b, c, tau)))
            .collect();
        targets.sort_by(|x, y| {
            x.1.total_cmp(&y.1)
                .then_with(|| self.s.actors[x.0].id.cmp(&self.s.actors[y.0].id))
        });
        for (b, _) in targets {
            // Earlier deals make the rest more isolated: price each holdout as things stand.
            if !vetoes(
                self.s,
                &self.d,
                self.p,
                shares(self.s, &self.d, c),
                b,
                c,
                tau,
            ) {
                continue;
            }
            let budget = self.budget(b, c);
            let generic = self.payment(b, c, tau);
            let side = self
                .side_deal(b, c, tau)
                .filter(|(_, cost, _)| *cost <= generic);
            let deal = match side {
                Some((k, cost, shift)) if cost <= budget => Some((Some(k), cost, shift)),
                _ if generic <= budget => Some((None, generic, 0.0)),
                _ => None,
            };
            if let Some((k, price, shift)) = deal {
                if let Some(k) = k {
                    self.side_moved[k] = true;
                }
                self.spent[c] += price;
                self.d.support[b][c] = self.d.fallback[b];
                self.deals.push(Deal {
                    actor: b,
                    issue: k.map(|k| self.d.side_issues[k].issue),
                    candidate: c,
                    shift,
                    price,
                    round,
                });
            }
        }
    }

    /// The cheapest move of a side issue not yet moved in this draw that makes up `b`'s net
    /// stake in `c`: `(side issue, cost to the others, shift)`.
    fn side_deal(&self, b: usize, c: usize, tau: f64) -> Option<(usize, f64, f64)> {
        let d = &self.d;
        let sh = shares(self.s, d, c);
        let loss = (d.stake(b, c) - veto_cost(self.s, d, self.p, sh, b, c, tau)).max(0.0);
        let mut best: Option<(usize, f64, f64)> = None;
        for (k, side) in d.side_issues.iter().enumerate() {
            if self.side_moved[k] {
                continue;
            }
            let Some((x_b, s_b)) = side.positions[b] else {
                continue;
            };
            let Some(outcome) = side_outcome(d, k) else {
                continue;
            };
            let room = (x_b - outcome).abs();
            if s_b <= 0.0 || room <= 0.0 || side.range <= 0.0 {
                continue;
            }
            let needed = loss * side.range / s_b;
            if needed > room {
                continue;
            }
            let moved = outcome + needed * (x_b - outcome).signum();
            let cost: f64 = side
                .positions
                .iter()
                .enumerate()
                .filter(|(x, _)| *x != b)
                .filter_map(|(x, p)| {
                    p.map(|(pos, sal)| {
                        d.capability[x] * sal * ((moved - pos).abs() - (outcome - pos).abs())
                            / side.range
                    })
                })
                .sum();
            if best.is_none_or(|(_, c0, _)| cost < c0) {
                best = Some((k, cost, moved - outcome));
            }
        }
        best
    }

    /// Notes, for every candidate, who still blocks it in `round`.
    fn record_blockers(&mut self, round: u32) {
        let tau = self.tau(round);
        for c in 0..self.initial_blockers.len() {
            if self.initial_blockers[c].is_empty() {
                continue;
            }
            if self.s.rule == DecisionRule::Consensus {
                let sh = shares(self.s, &self.d, c);
                for b in 0..self.s.actors.len() {
                    if vetoes(self.s, &self.d, self.p, sh, b, c, tau) {
                        self.last_blocked[c][b] = round;
                    }
                }
            } else {
                for b in blockers(self.s, &self.d, self.p, c, tau) {
                    self.last_blocked[c][b] = round;
                }
            }
        }
    }

    /// The path of this draw, ending with `winner` in `round`.
    fn finish(self, winner: Option<usize>, outsider: bool, round: Option<u32>) -> Path {
        let end_round = round.unwrap_or(self.p.rounds);
        // Without a winner: the holdouts of the best supported candidate that was ever put
        // forward (withdrawn or not).
        let holdouts_at_end = if winner.is_some() {
            Vec::new()
        } else {
            front_runner(self.s, &weighted_support(self.s, &self.d), &self.nominated)
                .map(|c| blockers(self.s, &self.d, self.p, c, self.tau(end_round)))
                .unwrap_or_default()
        };
        let (holdouts_at_start, last_holdouts, deals) = match winner {
            Some(c) => {
                let start = self.initial_blockers[c].clone();
                let latest = start.iter().map(|&b| self.last_blocked[c][b]).max();
                let last = start
                    .iter()
                    .copied()
                    .filter(|&b| Some(self.last_blocked[c][b]) == latest)
                    .collect();
                let deals = self
                    .deals
                    .into_iter()
                    .filter(|x| x.candidate == c)
                    .collect();
                (start, last, deals)
            }
            None => (Vec::new(), Vec::new(), Vec::new()),
        };
        Path {
            winner,
            outsider,
            round,
            holdouts_at_start,
            holdouts_at_end,
            last_holdouts,
            deals,
        }
    }
}

/// Runs the dynamics on one draw: agreement as the scenario stands, else rounds of
/// nomination, lobbying and concessions until a candidate passes, an outsider emerges or the
/// deadline comes.
pub fn simulate(s: AppointmentScenario<'_>, draw: &Draw, params: &ConsensusParams) -> Path {
    simulate_owned(s, draw.clone(), params)
}

/// [`simulate`] on a draw it may consume.
pub fn simulate_owned(s: AppointmentScenario<'_>, draw: Draw, params: &ConsensusParams) -> Path {
    let threshold = -(1.0 - draw.outsider).ln();
    let mut b = Bargaining::new(s, draw, params);
    if let Some(c) = b.agree(0.0) {
        return b.finish(Some(c), false, Some(0));
    }
    for round in 1..=params.rounds {
        let tau = b.tau(round);
        b.nominate_and_withdraw(round);
        b.lobby(round);
        // The deadline effect: a holdout holds out for its price until the deadline is near.
        if round + params.deal_window > params.rounds {
            b.make_deals(round);
        }
        if let Some(c) = b.agree(tau) {
            return b.finish(Some(c), false, Some(round));
        }
        b.record_blockers(round);
        // A deadlocked round gives a name not yet mentioned its chance.
        b.hazard += params.outsider_rate / f64::from(params.rounds.max(1));
        if params.outsider_rate > 0.0 && b.hazard >= threshold {
            return b.finish(None, true, Some(round));
        }
    }
    b.finish(None, false, None)
}

/// The outcome of a side issue: the weighted mean of the positions.
fn side_outcome(d: &Draw, k: usize) -> Option<f64> {
    let (mut total, mut sum) = (0.0, 0.0);
    for (a, p) in d.side_issues[k].positions.iter().enumerate() {
        if let Some((x, sal)) = p {
            let w = d.capability[a] * sal;
            total += w;
            sum += w * x;
        }
    }
    (total > 0.0).then(|| sum / total)
}

/// The static map of an appointment: who blocks each candidate as the scenario stands, its
/// weighted support, and the facilitator's choice among the candidates that can pass now.
#[derive(Clone, Debug)]
pub struct ConsensusMap {
    /// One entry per candidate, in input order.
    pub candidates: Vec<CandidateMap>,
    /// The Nash bargaining choice among candidates that pass now.
    pub nash_choice: Option<CandidateId>,
}

/// The map of one candidate.
#[derive(Clone, Debug)]
pub struct CandidateMap {
    /// The candidate.
    pub candidate: CandidateId,
    /// Actors that block it now.
    pub blockers: Vec<ActorId>,
    /// Actors that prefer it to the fallback.
    pub supporters: Vec<ActorId>,
    /// Capability × salience share of voters that prefer it.
    pub weighted_support: f64,
    /// Whether it passes now: put forward (declared or nominated), nobody blocks it, and it
    /// carries the emerging consensus (weighted support at least `nomination_share` of the
    /// best candidate in the running). The dynamics agree: such a candidate can be agreed in
    /// round 0.
    pub passes: bool,
    /// Whether one actor alone stands in its way (that actor is pivotal).
    pub pivotal: Option<ActorId>,
}

/// The consensus map from the stated values.
pub fn consensus_map(s: AppointmentScenario<'_>, params: &ConsensusParams) -> ConsensusMap {
    let d = Draw::stated(s, params);
    let support = weighted_support(&s, &d);
    let a = s.appointment();
    let eligible: Vec<bool> = a
        .candidates
        .iter()
        .map(|c| {
            matches!(
                c.status,
                CandidateStatus::Declared | CandidateStatus::Nominated
            )
        })
        .collect();
    let withdrawn: Vec<bool> = a
        .candidates
        .iter()
        .map(|c| c.status == CandidateStatus::Withdrawn)
        .collect();
    let threshold = params.nomination_share * best_in_running(&s, &d, &support, &withdrawn);
    let to_id = ActorId::at;
    let candidates = (0..support.len())
        .map(|c| {
            let blocking = blockers(&s, &d, params, c, 0.0);
            CandidateMap {
                candidate: CandidateId::at(c),
                pivotal: (blocking.len() == 1).then(|| to_id(blocking[0])),
                blockers: blocking.into_iter().map(to_id).collect(),
                supporters: (0..s.actors.len())
                    .filter(|&x| d.supports(x, c))
                    .map(to_id)
                    .collect(),
                weighted_support: support[c],
                passes: eligible[c] && support[c] >= threshold && passes(&s, &d, params, c, 0.0),
            }
        })
        .collect();
    ConsensusMap {
        candidates,
        nash_choice: facilitator(&s, &d, params, &eligible, &withdrawn, 0.0).map(CandidateId::at),
    }
}
