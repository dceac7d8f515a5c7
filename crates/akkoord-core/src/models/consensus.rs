//! The consensus (veto) model of appointments: who blocks whom, and how a body with no formal
//! procedure gets from there to a name, or to the fallback.
//!
//! **Question.** Which candidate, if any, does every member end up able to live with before
//! the deadline, and what does it take?
//!
//! **Basis.** Under unanimity each veto holder compares a candidate with the fallback (the
//! status quo of appointment games: an incumbent's extended term). An actor blocks a candidate
//! whose value to it, after informal criteria, is below its value of the fallback (Tsebelis
//! 2002, veto players; the win-set of the fallback). Among candidates nobody blocks, the
//! facilitator proposes the asymmetric Nash bargaining solution with the fallback as the
//! disagreement point (Nash 1950; bargaining power = capability × salience).
//!
//! **Dynamics**, round by round until the deadline:
//! 1. *Nomination and withdrawal.* An interested candidate is put forward when its home actor
//!    prefers it to the fallback and its weighted support is at least `nomination_share` of the
//!    front-runner's; a candidate whose weighted support falls below `withdraw_share` of the
//!    front-runner's withdraws.
//! 2. *Lobbying in small groups* (after BDM's challenge logic): each supporter lobbies for its
//!    favourite candidate. A holdout `b` of candidate `c` feels the share of the weighted
//!    stakes for `c` among all stakes, `π = V_for / (V_for + V_against)` with stakes
//!    `capability × salience × |support − fallback| / 100`, and resists with its own salience:
//!    its support moves `κ · π · (1 − s_bc)` of the way to 100.
//! 3. *Deals through linked side issues* (after Stokman's exchange logic), in the last
//!    `deal_window` rounds (holdouts sell their consent near the deadline: Roth, Murnighan &
//!    Schoumaker 1988; Ma & Manove 1993): a holdout of the front-runner consents if the side issue it cares about moves toward it by just enough to
//!    make up its loss, `Δ = range · s_bc (f_b − u_bc) / (100 · s_bk)`, provided the
//!    front-runner's supporters value the candidate at least as much as the move costs everyone
//!    else (salience-weighted distances on the side issue). Each deal is a concession to one
//!    holdout, priced against the side issue as the positions stand; deals do not compound.
//! 4. *Agreement* as soon as a candidate passes the decision rule; the fallback holds at the
//!    deadline.
//!
//! Within a draw the dynamics are deterministic; uncertainty enters through the Monte Carlo
//! draws of the inputs (see [`crate::montecarlo`]).

use crate::scenario::{ActorId, CandidateId, CandidateStatus, DecisionRule, Scenario};

/// Parameters of the dynamics. Built by the caller, which knows the defaults it documents.
#[derive(Clone, Debug)]
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
    /// Holdouts sell their consent only in this many last rounds before the deadline (the
    /// deadline effect); at least the number of rounds lets deals happen at any time.
    pub deal_window: u32,
}

/// One realisation of the uncertain inputs of an appointment.
#[derive(Clone, Debug)]
pub struct Draw {
    /// `support[actor][candidate]` after informal criteria, 0..100.
    pub support: Vec<Vec<f64>>,
    /// `salience[actor][candidate]`.
    pub salience: Vec<Vec<f64>>,
    /// Each actor's value of the fallback, 0..100.
    pub fallback: Vec<f64>,
    /// Each actor's capability.
    pub capability: Vec<f64>,
    /// The linked side issues: positions and saliences by actor.
    pub side_issues: Vec<SideIssue>,
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

/// A concession on a side issue that bought a holdout's consent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Deal {
    /// The holdout who consented.
    pub actor: usize,
    /// The side issue (index into the scenario's issues).
    pub issue: usize,
    /// The candidate it consented to.
    pub candidate: usize,
    /// How far the side issue's outcome moved toward the holdout, in the issue's units.
    pub shift: f64,
    /// The round.
    pub round: u32,
}

/// What happened in one draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// The candidate appointed, or `None` when the fallback held.
    pub winner: Option<usize>,
    /// The round of agreement (0: agreed as the scenario stands).
    pub round: Option<u32>,
    /// Veto holders who blocked the winner at the start (or the front-runner at the deadline).
    pub holdouts: Vec<usize>,
    /// The last of them to consent.
    pub last_holdout: Option<usize>,
    /// Deals made.
    pub deals: Vec<Deal>,
}

impl Draw {
    /// The stated values, without uncertainty.
    pub fn stated(s: &Scenario) -> Self {
        Self::build(s, |_, v| v)
    }

    /// The inputs with each uncertain value replaced by `sample(uncertainty, stated value)`.
    pub(crate) fn build(
        s: &Scenario,
        mut sample: impl FnMut(&crate::scenario::Uncertainty, f64) -> f64,
    ) -> Self {
        let a = s
            .appointment
            .as_ref()
            .expect("only appointments have draws");
        let n = s.actors.len();
        let capability = s
            .actors
            .iter()
            .map(|x| sample(&x.capability_uncertainty, x.capability).max(0.0))
            .collect();
        let fallback: Vec<f64> = a
            .fallback_stances
            .iter()
            .map(|f| sample(&f.uncertainty, f.support).clamp(0.0, 100.0))
            .collect();
        let mut support = vec![vec![0.0; a.candidates.len()]; n];
        let mut salience = vec![vec![0.0; a.candidates.len()]; n];
        for actor in 0..n {
            for c in 0..a.candidates.len() {
                match &a.stances[actor][c] {
                    Some(stance) => {
                        support[actor][c] =
                            sample(&stance.uncertainty, stance.support).clamp(0.0, 100.0);
                        salience[actor][c] = stance.salience;
                    }
                    // No stance: indifferent between the candidate and the fallback.
                    None => {
                        support[actor][c] = fallback[actor];
                        salience[actor][c] = a.fallback_stances[actor].salience;
                    }
                }
            }
        }
        for criterion in &a.criteria {
            for concern in &criterion.concerns {
                let penalty = sample(&concern.uncertainty, concern.penalty).clamp(0.0, 100.0);
                for (c, passes) in criterion.passes.iter().enumerate() {
                    if !passes {
                        let u = &mut support[concern.actor.index()][c];
                        *u = (*u - penalty).max(0.0);
                    }
                }
            }
        }
        let side_issues = s
            .issues
            .iter()
            .enumerate()
            .filter(|(_, issue)| issue.linked_to_appointment)
            .map(|(k, issue)| {
                let mut positions = vec![None; n];
                for p in &issue.positions {
                    let x = sample(&p.position_uncertainty, p.position)
                        .clamp(issue.scale.lower, issue.scale.upper);
                    let sal = sample(&p.salience_uncertainty, p.salience).clamp(0.0, 1.0);
                    positions[p.actor.index()] = Some((x, sal));
                }
                SideIssue {
                    issue: k,
                    positions,
                    range: issue.scale.upper - issue.scale.lower,
                }
            })
            .collect();
        Self {
            support,
            salience,
            fallback,
            capability,
            side_issues,
        }
    }

    fn stake(&self, actor: usize, c: usize) -> f64 {
        self.capability[actor]
            * self.salience[actor][c]
            * (self.support[actor][c] - self.fallback[actor]).abs()
            / 100.0
    }

    fn blocks(&self, actor: usize, c: usize) -> bool {
        self.support[actor][c] < self.fallback[actor]
    }
}

/// Weighted support of each candidate: the capability × salience share of voting actors who
/// prefer it to the fallback.
pub fn weighted_support(s: &Scenario, d: &Draw) -> Vec<f64> {
    let candidates = d.support.first().map_or(0, Vec::len);
    (0..candidates)
        .map(|c| {
            let (mut total, mut pro) = (0.0, 0.0);
            for a in (0..s.actors.len()).filter(|&a| s.actors[a].votes) {
                let w = d.capability[a] * d.salience[a][c];
                total += w;
                if d.support[a][c] > d.fallback[a] {
                    pro += w;
                }
            }
            if total > 0.0 { pro / total } else { 0.0 }
        })
        .collect()
}

/// The actors whose opposition keeps candidate `c` from passing: veto holders below the
/// fallback, and under a majority rule every voter below it while the majority is missing.
pub fn blockers(s: &Scenario, d: &Draw, c: usize) -> Vec<usize> {
    let vetoes: Vec<usize> = (0..s.actors.len())
        .filter(|&a| s.actors[a].veto && d.blocks(a, c))
        .collect();
    if s.rule == DecisionRule::Consensus || !vetoes.is_empty() || majority(s, d, c) {
        return vetoes;
    }
    (0..s.actors.len())
        .filter(|&a| s.actors[a].votes && d.blocks(a, c))
        .collect()
}

fn majority(s: &Scenario, d: &Draw, c: usize) -> bool {
    let (mut total, mut accept) = (0.0, 0.0);
    for (a, actor) in s.actors.iter().enumerate().filter(|(_, x)| x.votes) {
        total += actor.weight;
        if !d.blocks(a, c) {
            accept += actor.weight;
        }
    }
    let share = if total > 0.0 { accept / total } else { 0.0 };
    match s.rule {
        DecisionRule::Consensus => true,
        DecisionRule::QualifiedMajority { threshold } => share >= threshold,
        DecisionRule::SimpleMajority => share > 0.5,
    }
}

/// Whether candidate `c` passes the decision rule.
pub fn passes(s: &Scenario, d: &Draw, c: usize) -> bool {
    let vetoed = (0..s.actors.len()).any(|a| s.actors[a].veto && d.blocks(a, c));
    !vetoed && majority(s, d, c)
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

/// Among the candidates in `eligible` that pass, the facilitator's proposal: the largest Nash
/// value, ties to the earlier candidate.
fn facilitator(s: &Scenario, d: &Draw, eligible: &[bool]) -> Option<usize> {
    (0..eligible.len())
        .filter(|&c| eligible[c] && passes(s, d, c))
        .map(|c| (c, nash_value(s, d, c)))
        .fold(None, |best: Option<(usize, f64)>, (c, v)| match best {
            Some((_, bv)) if bv >= v => best,
            _ => Some((c, v)),
        })
        .map(|(c, _)| c)
}

fn front_runner(support: &[f64], eligible: &[bool]) -> Option<usize> {
    (0..support.len())
        .filter(|&c| eligible[c])
        .fold(None, |best: Option<usize>, c| match best {
            Some(b) if support[b] >= support[c] => Some(b),
            _ => Some(c),
        })
}

/// The state of one draw's bargaining.
struct Bargaining<'a> {
    s: &'a Scenario,
    d: Draw,
    nominated: Vec<bool>,
    withdrawn: Vec<bool>,
    initial_blockers: Vec<Vec<usize>>,
    consented_at: Vec<Vec<Option<u32>>>,
    deals: Vec<Deal>,
}

impl<'a> Bargaining<'a> {
    fn new(s: &'a Scenario, draw: &Draw) -> Self {
        let a = s
            .appointment
            .as_ref()
            .expect("the consensus model needs an appointment");
        let m = a.candidates.len();
        Self {
            s,
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
            initial_blockers: (0..m).map(|c| blockers(s, draw, c)).collect(),
            consented_at: vec![vec![None; s.actors.len()]; m],
            deals: Vec::new(),
            d: draw.clone(),
        }
    }

    /// Candidates that can be appointed now: put forward and not withdrawn.
    fn eligible(&self) -> Vec<bool> {
        self.nominated
            .iter()
            .zip(&self.withdrawn)
            .map(|(n, w)| *n && !w)
            .collect()
    }

    /// Puts forward interested candidates that have enough support and their government's
    /// backing; withdraws candidates whose support collapsed.
    fn nominate_and_withdraw(&mut self, round: u32, params: &ConsensusParams) {
        let a = self.s.appointment.as_ref().expect("checked in new");
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
                    .is_none_or(|h| self.d.support[h.index()][c] > self.d.fallback[h.index()]);
                self.nominated[c] = home_wants && share >= params.nomination_share * best;
            } else if round > 1 && share < params.withdraw_share * best {
                self.withdrawn[c] = true;
            }
        }
    }

    /// Each supporter lobbies the holdouts of its favourite candidate; moves are simultaneous.
    fn lobby(&mut self, round: u32, params: &ConsensusParams) {
        let (n, live) = (self.s.actors.len(), self.eligible());
        let d = &self.d;
        let favourite: Vec<Option<usize>> = (0..n)
            .map(|x| {
                (0..live.len())
                    .filter(|&c| live[c] && d.support[x][c] > d.fallback[x])
                    .fold(None, |best: Option<usize>, c| match best {
                        Some(b)
                            if d.support[x][b] - d.fallback[x]
                                >= d.support[x][c] - d.fallback[x] =>
                        {
                            Some(b)
                        }
                        _ => Some(c),
                    })
            })
            .collect();
        let mut moves = Vec::new();
        for c in (0..live.len()).filter(|&c| live[c]) {
            let against: f64 = (0..n)
                .filter(|&x| d.blocks(x, c))
                .map(|x| d.stake(x, c))
                .sum();
            for b in blockers(self.s, d, c) {
                let pro: f64 = (0..n)
                    .filter(|&x| x != b && favourite[x] == Some(c))
                    .map(|x| d.stake(x, c))
                    .sum();
                let share = if pro + against > 0.0 {
                    pro / (pro + against)
                } else {
                    0.0
                };
                moves.push((
                    b,
                    c,
                    params.lobbying * share * (1.0 - d.salience[b][c]) * (100.0 - d.support[b][c]),
                ));
            }
        }
        for (b, c, step) in moves {
            let was_blocking = self.d.blocks(b, c);
            self.d.support[b][c] = (self.d.support[b][c] + step).min(100.0);
            if was_blocking && !self.d.blocks(b, c) {
                self.consented_at[c][b] = Some(round);
            }
        }
    }

    /// Buys the front-runner's holdouts with side-issue deals, closest to consent first.
    fn make_deals(&mut self, round: u32) {
        let live = self.eligible();
        let Some(c) = front_runner(&weighted_support(self.s, &self.d), &live) else {
            return;
        };
        let d = &self.d;
        let mut targets = blockers(self.s, d, c);
        targets.sort_by(|x, y| {
            (d.fallback[*x] - d.support[*x][c])
                .total_cmp(&(d.fallback[*y] - d.support[*y][c]))
                .then(x.cmp(y))
        });
        for b in targets {
            if let Some(deal) = best_deal(&self.d, b, c, round, self.s) {
                self.d.support[b][c] = self.d.fallback[b];
                self.consented_at[c][b] = Some(round);
                self.deals.push(deal);
            }
        }
    }

    /// The path of this draw, ending with `winner` in `round` (or the fallback).
    fn finish(self, winner: Option<usize>, round: Option<u32>) -> Path {
        let focus =
            winner.or_else(|| front_runner(&weighted_support(self.s, &self.d), &self.eligible()));
        let holdouts = match (winner, focus) {
            (Some(c), _) => self.initial_blockers[c].clone(),
            (None, Some(c)) => blockers(self.s, &self.d, c),
            (None, None) => Vec::new(),
        };
        let last_holdout = winner.and_then(|c| {
            self.initial_blockers[c]
                .iter()
                .copied()
                .max_by_key(|&b| (self.consented_at[c][b].unwrap_or(0), std::cmp::Reverse(b)))
        });
        Path {
            winner,
            round,
            holdouts,
            last_holdout,
            deals: self.deals,
        }
    }
}

/// Runs the dynamics on one draw: agreement as the scenario stands, else rounds of
/// nomination, lobbying and deals until a candidate passes or the deadline comes.
pub fn simulate(s: &Scenario, draw: &Draw, params: &ConsensusParams) -> Path {
    let mut b = Bargaining::new(s, draw);
    if let Some(c) = facilitator(s, &b.d, &b.eligible()) {
        return b.finish(Some(c), Some(0));
    }
    for round in 1..=params.rounds {
        b.nominate_and_withdraw(round, params);
        b.lobby(round, params);
        // The deadline effect: a holdout holds out for its price until the deadline is near.
        if round + params.deal_window > params.rounds {
            b.make_deals(round);
        }
        if let Some(c) = facilitator(s, &b.d, &b.eligible()) {
            return b.finish(Some(c), Some(round));
        }
    }
    b.finish(None, None)
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

/// The cheapest side-issue concession that buys `b`'s consent to `c`, if the candidate's
/// supporters value it at least as much as the concession costs everyone else.
///
/// A deal is a concession to one holdout, such as an opt-out: it is priced against the side
/// issue's outcome as the positions stand, and deals with different holdouts do not compound.
/// This keeps a holdout's deal independent of the order in which holdouts are bought, so that
/// more support for a candidate never makes its deals harder.
fn best_deal(d: &Draw, b: usize, c: usize, round: u32, s: &Scenario) -> Option<Deal> {
    let loss = d.salience[b][c] * (d.fallback[b] - d.support[b][c]) / 100.0;
    let value: f64 = (0..s.actors.len())
        .filter(|&x| x != b && d.support[x][c] > d.fallback[x])
        .map(|x| d.stake(x, c))
        .sum();
    let mut best: Option<(Deal, f64)> = None;
    for (k, side) in d.side_issues.iter().enumerate() {
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
        if value >= cost && best.as_ref().is_none_or(|(_, c0)| cost < *c0) {
            best = Some((
                Deal {
                    actor: b,
                    issue: side.issue,
                    candidate: c,
                    shift: moved - outcome,
                    round,
                },
                cost,
            ));
        }
    }
    best.map(|(deal, _)| deal)
}

/// The static map of an appointment: who blocks each candidate, its weighted support, and
/// the facilitator's choice among the candidates nobody blocks.
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
    /// Whether it passes now.
    pub passes: bool,
    /// Whether one actor alone stands in its way (that actor is pivotal).
    pub pivotal: Option<ActorId>,
}

/// The consensus map from the stated values.
pub fn consensus_map(s: &Scenario) -> ConsensusMap {
    let d = Draw::stated(s);
    let support = weighted_support(s, &d);
    let m = support.len();
    let to_id = |a: usize| ActorId(crate::scenario::dense_u32(a));
    let candidates = (0..m)
        .map(|c| {
            let blocking = blockers(s, &d, c);
            CandidateMap {
                candidate: CandidateId(crate::scenario::dense_u32(c)),
                pivotal: (blocking.len() == 1).then(|| to_id(blocking[0])),
                blockers: blocking.into_iter().map(to_id).collect(),
                supporters: (0..s.actors.len())
                    .filter(|&a| d.support[a][c] > d.fallback[a])
                    .map(to_id)
                    .collect(),
                weighted_support: support[c],
                passes: passes(s, &d, c),
            }
        })
        .collect();
    let a = s
        .appointment
        .as_ref()
        .expect("a consensus map needs an appointment");
    let open: Vec<bool> = a
        .candidates
        .iter()
        .map(|c| c.status != CandidateStatus::Withdrawn)
        .collect();
    ConsensusMap {
        candidates,
        nash_choice: facilitator(s, &d, &open).map(|c| CandidateId(crate::scenario::dense_u32(c))),
    }
}
