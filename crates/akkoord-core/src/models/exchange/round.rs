//! One round of the Equal Gain model: candidate trades, greedy selection, recalculation
//! through indexes, and the end-of-round update (SPEC 3.1 to 3.10).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::RngExt;
use rand::rngs::ChaCha8Rng;

use super::trade::{Side, Trade};
use super::{Externality, ExternalityKind, TieRule, TradeRecord, TradeSide};

/// Gains within this relative distance of the best count as tied (the canonical rule).
const TIE_TOLERANCE: f64 = 1e-12;

/// One actor's data on one issue during a round.
#[derive(Clone, Copy, Debug)]
pub(super) struct Entry {
    pub(super) actor: usize,
    pub(super) x: f64,
    pub(super) salience: f64,
    pub(super) power: f64,
}

/// Positions, saliences and powers at the start of a round, with the outcome of each issue.
#[derive(Clone, Debug)]
pub(super) struct RoundState {
    /// Per issue, the actors with data on it in input order (the order of the sums).
    pub(super) entries: Vec<Vec<Entry>>,
    /// `slot[issue][actor]`: index into `entries[issue]`.
    pub(super) slot: Vec<Vec<Option<usize>>>,
    denominators: Vec<f64>,
    /// Σ salience·power·position per issue, in entry order.
    sums: Vec<f64>,
}

impl RoundState {
    pub(super) fn new(entries: Vec<Vec<Entry>>, actor_count: usize) -> Self {
        let slot = entries
            .iter()
            .map(|list| {
                let mut slot = vec![None; actor_count];
                for (n, e) in list.iter().enumerate() {
                    slot[e.actor] = Some(n);
                }
                slot
            })
            .collect();
        let denominators = entries
            .iter()
            .map(|list| list.iter().map(|e| e.salience * e.power).sum())
            .collect();
        let sums = entries
            .iter()
            .map(|list| list.iter().map(|e| e.salience * e.power * e.x).sum())
            .collect();
        Self {
            entries,
            slot,
            denominators,
            sums,
        }
    }

    fn entry(&self, actor: usize, issue: usize) -> &Entry {
        let n = self.slot[issue][actor]
            .expect("trades are only built for actors with data on both issues");
        &self.entries[issue][n]
    }

    pub(super) fn position(&self, actor: usize, issue: usize) -> f64 {
        self.entry(actor, issue).x
    }

    pub(super) fn salience(&self, actor: usize, issue: usize) -> f64 {
        self.entry(actor, issue).salience
    }

    pub(super) fn power(&self, actor: usize, issue: usize) -> f64 {
        self.entry(actor, issue).power
    }

    pub(super) fn denominator(&self, issue: usize) -> f64 {
        self.denominators[issue]
    }

    /// Σ salience·power·position over the issue's actors with some positions replaced: the
    /// round-start sum corrected by each replacement, so that the cost is the number of
    /// replacements, not of actors.
    pub(super) fn weighted_sum_replacing(
        &self,
        issue: usize,
        replacements: impl Iterator<Item = (usize, f64)>,
    ) -> f64 {
        replacements.fold(self.sums[issue], |sum, (actor, x)| {
            let e = self.entry(actor, issue);
            sum + e.salience * e.power * (x - e.x)
        })
    }

    /// The weighted-mean outcome of every issue (0 where nobody has weight).
    pub(super) fn outcomes(&self) -> Vec<f64> {
        (0..self.entries.len())
            .map(|d| {
                let denominator = self.denominator(d);
                if denominator == 0.0 {
                    0.0
                } else {
                    self.sums[d] / denominator
                }
            })
            .collect()
    }
}

/// What a round produced.
pub(super) struct RoundResult {
    pub(super) trades: Vec<TradeRecord>,
    pub(super) candidates: usize,
    pub(super) voting: Vec<Vec<Entry>>,
    pub(super) next: Vec<Vec<Entry>>,
}

/// Settings of a round.
pub(super) struct RoundConfig<'a> {
    pub(super) ties: TieRule,
    pub(super) salience_weight: f64,
    pub(super) fixed_weight: f64,
    pub(super) rng: &'a mut ChaCha8Rng,
    pub(super) randomization: Option<&'a super::rex::Randomization>,
}

/// Candidate trades still in play, with indexes from (actor, issue) to the candidates whose
/// sides supply or demand it, so that a trade carried out touches only its neighbours.
struct Pool {
    trades: Vec<Trade>,
    alive: Vec<bool>,
    /// Candidates by gain, largest first, ties to the earliest created. A lazy heap: entries
    /// are never removed or decreased in place. A gain that rises is pushed anew; a gain that
    /// falls is left for later: when its old, higher entry surfaces, it is pushed again with
    /// the current key. Entries of removed candidates, and entries below a candidate's current
    /// key, are skipped.
    by_gain: BinaryHeap<(u64, Reverse<usize>)>,
    /// The current key of each candidate in `by_gain`.
    keys: Vec<u64>,
    by_supply: Vec<Vec<usize>>,
    by_demand: Vec<Vec<usize>>,
    issue_count: usize,
    initially_invalid: Vec<usize>,
    list_order: Vec<usize>,
}

/// `x` rounded to 12 significant digits.
fn significant(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// A key that orders non-negative gains like the numbers themselves.
fn gain_key(gain: f64) -> u64 {
    if gain.is_finite() && gain > 0.0 {
        gain.to_bits()
    } else {
        0
    }
}

impl Pool {
    fn new(trades: Vec<Trade>, actor_count: usize, issue_count: usize) -> Self {
        let mut by_supply = vec![Vec::new(); actor_count * issue_count];
        let mut by_demand = vec![Vec::new(); actor_count * issue_count];
        let mut by_gain = BinaryHeap::with_capacity(trades.len());
        let mut initially_invalid = Vec::new();
        for (id, t) in trades.iter().enumerate() {
            for side in [&t.i, &t.j] {
                by_supply[side.actor * issue_count + side.supply].push(id);
                by_demand[side.actor * issue_count + side.demand].push(id);
            }
            by_gain.push((gain_key(t.gain), Reverse(id)));
            if !t.valid {
                initially_invalid.push(id);
            }
        }
        let alive = vec![true; trades.len()];
        let list_order = (0..trades.len()).collect();
        let keys = trades.iter().map(|t| gain_key(t.gain)).collect();
        Self {
            trades,
            alive,
            by_gain,
            keys,
            by_supply,
            by_demand,
            issue_count,
            initially_invalid,
            list_order,
        }
    }

    fn remove(&mut self, id: usize) {
        self.alive[id] = false;
    }

    /// Takes every live candidate whose gain is within the tie tolerance of the best, in
    /// creation order; `None` when the pool is empty.
    fn pop_tied(&mut self) -> Option<Vec<usize>> {
        let mut tied: Vec<usize> = Vec::new();
        let mut floor = None;
        while let Some(&entry) = self.by_gain.peek() {
            let (key, Reverse(id)) = entry;
            if !self.alive[id] || key < self.keys[id] {
                self.by_gain.pop();
                continue;
            }
            if key > self.keys[id] {
                self.by_gain.pop();
                self.by_gain.push((self.keys[id], Reverse(id)));
                continue;
            }
            let gain = f64::from_bits(key);
            let floor = *floor.get_or_insert(gain - gain * TIE_TOLERANCE);
            if gain < floor {
                break;
            }
            self.by_gain.pop();
            tied.push(entry.1.0);
        }
        tied.sort_unstable();
        tied.dedup();
        (!tied.is_empty()).then_some(tied)
    }

    /// Takes the next trade by the tie rule, or `None` when the pool is empty.
    fn take_best(&mut self, ties: TieRule, rng: &mut ChaCha8Rng) -> Option<usize> {
        let id = match ties {
            TieRule::ListOrder => {
                // The reference's stable sort, largest gain first, on the list as it stands.
                // Its decimal arithmetic makes mathematically equal gains equal; in f64 they
                // may differ in the last bits, so gains are compared at 12 significant digits.
                self.list_order.retain(|id| self.alive[*id]);
                let trades = &self.trades;
                self.list_order
                    .sort_by_cached_key(|id| Reverse(gain_key(significant(trades[*id].gain))));
                *self.list_order.first()?
            }
            TieRule::Canonical | TieRule::Random => {
                let tied = self.pop_tied()?;
                let chosen = if ties == TieRule::Canonical {
                    0
                } else {
                    rng.random_range(0..tied.len())
                };
                for (n, &id) in tied.iter().enumerate() {
                    if n != chosen {
                        self.by_gain.push((self.keys[id], Reverse(id)));
                    }
                }
                tied[chosen]
            }
        };
        self.remove(id);
        Some(id)
    }

    /// The candidates a trade by these sides can affect, in creation order. Candidates that
    /// are gone are dropped from the indexes on the way, so later lookups stay short.
    fn neighbours(&mut self, e: &Trade) -> Vec<usize> {
        let key = |side: &Side, issue: usize| side.actor * self.issue_count + issue;
        let lists = [
            (true, key(&e.i, e.i.supply)),
            (true, key(&e.j, e.j.supply)),
            (false, key(&e.i, e.i.demand)),
            (false, key(&e.j, e.j.demand)),
        ];
        let mut ids = Vec::new();
        for (supply, k) in lists {
            let list = if supply {
                &mut self.by_supply[k]
            } else {
                &mut self.by_demand[k]
            };
            list.retain(|id| self.alive[*id]);
            ids.extend_from_slice(list);
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Applies the trade just carried out to its neighbours and drops what became invalid
    /// (SPEC 3.9).
    fn follow(
        &mut self,
        e: &Trade,
        state: &RoundState,
        randomization: Option<&super::rex::Randomization>,
        rng: &mut ChaCha8Rng,
    ) {
        for id in std::mem::take(&mut self.initially_invalid) {
            self.remove(id);
        }
        for id in self.neighbours(e) {
            let old_key = self.keys[id];
            let recalculated = self.trades[id].follow(e, state);
            if let (true, Some(r)) = (recalculated, randomization) {
                r.randomize(&mut self.trades[id], state, rng);
            }
            let t = &self.trades[id];
            let key = gain_key(t.gain);
            if t.valid {
                if key > old_key {
                    self.by_gain.push((key, Reverse(id)));
                }
                self.keys[id] = key;
            } else {
                self.alive[id] = false;
            }
        }
    }
}

/// Builds every candidate trade of a round, in the reference's order (SPEC 3.3).
fn candidates(state: &RoundState, outcomes: &[f64], actor_count: usize) -> Vec<Trade> {
    let issue_count = state.entries.len();
    // The groups of every issue pair first, so that the list is allocated once: at 80 actors
    // and 20 issues it holds 150 000 candidates.
    let mut pairs = Vec::with_capacity(issue_count * issue_count.saturating_sub(1) / 2);
    for p in 0..issue_count {
        for q in p + 1..issue_count {
            let mut groups: [Vec<usize>; 4] = Default::default();
            for actor in 0..actor_count {
                if state.slot[p][actor].is_none() || state.slot[q][actor].is_none() {
                    continue;
                }
                let left_p = usize::from(state.position(actor, p) <= outcomes[p]);
                let left_q = usize::from(state.position(actor, q) <= outcomes[q]);
                groups[left_p + 2 * left_q].push(actor);
            }
            pairs.push((p, q, groups));
        }
    }
    let count = pairs
        .iter()
        .map(|(_, _, g)| g[0].len() * g[3].len() + g[1].len() * g[2].len())
        .sum();
    let mut trades = Vec::with_capacity(count);
    for (p, q, groups) in &pairs {
        for (first, second, groups_ad) in [(0, 3, true), (1, 2, false)] {
            for &a in &groups[first] {
                for &b in &groups[second] {
                    trades.push(Trade::new(state, a, b, *p, *q, groups_ad));
                }
            }
        }
    }
    trades
}

/// Runs one round from `state`.
pub(super) fn run_round(
    state: &RoundState,
    actor_count: usize,
    config: &mut RoundConfig<'_>,
) -> RoundResult {
    let outcomes = state.outcomes();
    let mut built = candidates(state, &outcomes, actor_count);
    if let Some(r) = config.randomization {
        for t in built.iter_mut().filter(|t| t.valid) {
            r.randomize(t, state, config.rng);
        }
    }
    let candidate_count = built.len();
    let mut pool = Pool::new(built, actor_count, state.entries.len());
    let mut executed: Vec<Trade> = Vec::new();
    while let Some(id) = pool.take_best(config.ties, config.rng) {
        if !pool.trades[id].valid {
            continue;
        }
        let e = pool.trades[id].clone();
        pool.follow(&e, state, config.randomization, config.rng);
        executed.push(e);
    }
    let trades = executed
        .iter()
        .map(|e| record(e, state, &outcomes))
        .collect();

    let mut voting = state.entries.clone();
    let mut next = state.entries.clone();
    for e in &executed {
        for side in [&e.i, &e.j] {
            let n = state.slot[side.supply][side.actor]
                .expect("a trading actor has data on its supply issue");
            voting[side.supply][n].x = side.y;
            let alpha = (1.0 - side.salience_supply) * config.salience_weight + config.fixed_weight;
            next[side.supply][n].x = (1.0 - alpha) * side.start + alpha * side.y;
        }
    }
    RoundResult {
        trades,
        candidates: candidate_count,
        voting,
        next,
    }
}

/// The report of a trade carried out, with its externalities (SPEC 7.1).
fn record(e: &Trade, state: &RoundState, outcomes: &[f64]) -> TradeRecord {
    let side = |s: &Side| TradeSide {
        actor: s.actor,
        supply_issue: s.supply,
        demand_issue: s.demand,
        start: s.start,
        from: s.x,
        to: s.y,
        partner_position: s.target,
        eu: s.eu,
        adjusted: s.adjusted,
    };
    let (p, q) = (e.j.supply, e.i.supply);
    let mut externalities = Vec::new();
    for actor in 0..state.slot[p].len() {
        if state.slot[p][actor].is_none() || state.slot[q][actor].is_none() {
            continue;
        }
        let kind = if actor == e.i.actor || actor == e.j.actor {
            ExternalityKind::Own
        } else {
            let left_p = usize::from(state.position(actor, e.p) <= outcomes[e.p]);
            let left_q = usize::from(state.position(actor, e.q) <= outcomes[e.q]);
            let group = left_p + 2 * left_q;
            let inner = if e.groups_ad {
                group == 0 || group == 3
            } else {
                group == 1 || group == 2
            };
            if inner {
                ExternalityKind::Inner
            } else {
                ExternalityKind::Outer
            }
        };
        let value = if kind == ExternalityKind::Own {
            e.gain
        } else {
            let (x_p, x_q) = (state.position(actor, p), state.position(actor, q));
            ((e.j.nbs_0 - x_p).abs() - (e.j.nbs_1 - x_p).abs()) * state.salience(actor, p)
                + ((e.i.nbs_0 - x_q).abs() - (e.i.nbs_1 - x_q).abs()) * state.salience(actor, q)
        };
        externalities.push(Externality { actor, kind, value });
    }
    TradeRecord {
        p: e.p,
        q: e.q,
        gain: e.gain,
        i: side(&e.i),
        j: side(&e.j),
        externalities,
    }
}
