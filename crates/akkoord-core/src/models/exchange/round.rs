//! One round of the Equal Gain model: candidate trades, greedy selection, recalculation
//! through indexes, and the end-of-round update (SPEC 3.1 to 3.10).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use smallvec::SmallVec;

use super::trade::{Side, Trade};
use super::{Externalities, Externality, ExternalityKind, TieRule, TradeRecord, TradeSide};

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

    #[inline]
    pub(super) fn entry(&self, actor: usize, issue: usize) -> &Entry {
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

    pub(super) fn denominator(&self, issue: usize) -> f64 {
        self.denominators[issue]
    }

    /// The change in Σ salience·power·position of `issue` when `actor` moves to `x`.
    fn shift(&self, issue: usize, actor: usize, x: f64) -> f64 {
        let e = self.entry(actor, issue);
        e.salience * e.power * (x - e.x)
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

/// The partner moves recorded during a round (SPEC 3.9b, `update_updates`), one log per
/// demanding actor and issue: a candidate whose side demands issue `d` as actor `b` sees on
/// `d` exactly the moves of `b`'s partners recorded since the round began, because every
/// candidate is built at the start of the round and each recorded move reaches all the
/// candidates alive. One shared log replaces a copy in every candidate.
///
/// **Invariant:** `total` is the round-start Σ salience·power·position of the issue with the
/// logged positions substituted one by one in log order, so that the sums a trade needs cost
/// one addition and come out bit for bit as the reference's order of operations gives them.
#[derive(Default)]
pub(super) struct UpdateLogs {
    issue_count: usize,
    logs: Vec<Log>,
}

#[derive(Clone, Default)]
struct Log {
    /// `(actor, recorded position)`, in order of first record; inline while short, as most
    /// logs are.
    entries: SmallVec<[(usize, f64); 4]>,
    total: f64,
}

impl UpdateLogs {
    /// Empty logs for a round from `state`, reusing the buffers of an earlier round.
    pub(super) fn reset(&mut self, state: &RoundState, actor_count: usize) {
        let issue_count = state.entries.len();
        self.issue_count = issue_count;
        self.logs
            .resize_with(actor_count * issue_count, Log::default);
        for (n, log) in self.logs.iter_mut().enumerate() {
            log.entries.clear();
            log.total = state.sums[n % issue_count];
        }
    }

    fn actor_count(&self) -> usize {
        self.logs.len() / self.issue_count.max(1)
    }

    fn log(&self, demander: usize, issue: usize) -> &Log {
        &self.logs[demander * self.issue_count + issue]
    }

    /// Records a partner's move by the reference's `update_updates` rule (SPEC 3.9b): the
    /// first value is taken; later ones keep the smaller or larger of old and new, depending
    /// on where the partner started.
    pub(super) fn record(
        &mut self,
        state: &RoundState,
        demander: usize,
        issue: usize,
        partner: usize,
        start: f64,
        y: f64,
    ) {
        let log = &mut self.logs[demander * self.issue_count + issue];
        match log.entries.iter_mut().find(|(a, _)| *a == partner) {
            None => {
                log.entries.push((partner, y));
                log.total += state.shift(issue, partner, y);
            }
            Some((_, u)) => {
                *u = if start <= *u { u.min(y) } else { u.max(y) };
                log.total = log.entries.iter().fold(state.sums[issue], |sum, &(k, x)| {
                    sum + state.shift(issue, k, x)
                });
            }
        }
    }

    /// Σ salience·power·position of `issue` as a trade whose side `demander` demands it sees
    /// it, with `actor` moved by `own_shift` (its [`RoundState::shift`]) after the recorded
    /// moves of the others (`adjust_nbs`).
    pub(super) fn weighted_sum_with(
        &self,
        state: &RoundState,
        demander: usize,
        issue: usize,
        actor: usize,
        own_shift: f64,
    ) -> f64 {
        let log = self.log(demander, issue);
        let others = if log.entries.iter().any(|(k, _)| *k == actor) {
            log.entries
                .iter()
                .filter(|(k, _)| *k != actor)
                .fold(state.sums[issue], |sum, &(k, x)| {
                    sum + state.shift(issue, k, x)
                })
        } else {
            log.total
        };
        others + own_shift
    }

    /// The weighted sum the reference uses for the capped move (`adjusted_nbs_by_position`):
    /// `actor` is moved first (by `own_shift`) and the recorded moves applied after, so a
    /// recorded move of the actor itself wins.
    pub(super) fn capped_weighted_sum(
        &self,
        demander: usize,
        issue: usize,
        actor: usize,
        own_shift: f64,
    ) -> f64 {
        let log = self.log(demander, issue);
        if log.entries.iter().any(|(k, _)| *k == actor) {
            log.total
        } else {
            log.total + own_shift
        }
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
    pub(super) externalities: Externalities,
}

/// Candidate trades still in play, with indexes from (actor, issue) to the candidates whose
/// sides supply or demand it, so that a trade carried out touches only its neighbours.
struct Pool {
    trades: Vec<Trade>,
    alive: Vec<bool>,
    /// The number of candidates alive.
    live: usize,
    /// Candidates by gain, largest first, ties to the earliest created. A lazy heap: entries
    /// are never removed or decreased in place. A gain that rises is pushed anew; a gain that
    /// falls is left for later: when its old, higher entry surfaces, it is pushed again with
    /// the current key. Entries of removed candidates, and entries below a candidate's current
    /// key, are skipped; the heap is rebuilt when such entries outnumber the live ones.
    /// Unused under the list-order rule.
    by_gain: BinaryHeap<(u64, Reverse<usize>)>,
    /// The current key of each candidate in `by_gain`.
    keys: Vec<u64>,
    by_supply: Vec<Vec<usize>>,
    by_demand: Vec<Vec<usize>>,
    issue_count: usize,
    initially_invalid: Vec<usize>,
    /// The list-order rule's state; `None` under the other rules.
    list: Option<ListOrder>,
    /// The partner moves recorded so far this round.
    logs: UpdateLogs,
    /// A buffer for the neighbours of a trade.
    neighbours: Vec<usize>,
}

/// The reference's list under `ALLOW_RANDOM = False`, kept without re-sorting it after every
/// trade. The reference sorts its list stably by gain (at 12 significant digits here), so
/// among equal gains the order of the previous sort decides. `seq` numbers the candidates
/// in that order within each gain: a candidate whose gain changes lands, among the
/// candidates with its new gain, before all of them when it came from a higher gain and after
/// all of them when it came from a lower one (in the previous order among the candidates
/// that moved together), so it takes a fresh number below or above every number in use.
///
/// **Invariant:** among the live candidates with the same key, `seq` increases along the
/// reference's sorted list; the first of the list is the heap's largest `(key, Reverse(seq))`.
struct ListOrder {
    /// Lazy max-heap of `(key, Reverse(seq), id)`; entries whose key or `seq` are no longer
    /// the candidate's are skipped.
    heap: BinaryHeap<(u64, Reverse<i64>, usize)>,
    keys: Vec<u64>,
    seqs: Vec<i64>,
    /// Candidates recalculated since the last sort, with their new key.
    changed: Vec<(usize, u64)>,
    lowest: i64,
    highest: i64,
}

impl ListOrder {
    fn new(trades: &[Trade]) -> Self {
        let keys: Vec<u64> = trades.iter().map(|t| list_key(t.gain)).collect();
        let seqs: Vec<i64> = (0..trades.len())
            .map(|id| i64::try_from(id).expect("fewer than 2^63 candidates"))
            .collect();
        let heap = keys
            .iter()
            .zip(&seqs)
            .enumerate()
            .map(|(id, (k, s))| (*k, Reverse(*s), id))
            .collect();
        Self {
            heap,
            keys,
            seqs,
            changed: Vec::new(),
            lowest: 0,
            highest: i64::try_from(trades.len()).expect("fewer than 2^63 candidates"),
        }
    }

    /// Places the candidates recalculated since the last sort as the reference's stable sort
    /// would.
    fn sort(&mut self, alive: &[bool]) {
        let mut changed = std::mem::take(&mut self.changed);
        changed.retain(|(id, key)| alive[*id] && *key != self.keys[*id]);
        // The previous order: gain descending, then `seq`.
        changed.sort_unstable_by_key(|(id, _)| (Reverse(self.keys[*id]), self.seqs[*id]));
        let before = changed
            .iter()
            .filter(|(id, key)| *key < self.keys[*id])
            .count();
        let before = i64::try_from(before).expect("fewer than 2^63 candidates");
        let mut low = self.lowest - before;
        self.lowest = low;
        for &(id, key) in &changed {
            let seq = if key < self.keys[id] {
                low += 1;
                low - 1
            } else {
                self.highest += 1;
                self.highest
            };
            self.keys[id] = key;
            self.seqs[id] = seq;
            self.heap.push((key, Reverse(seq), id));
        }
        changed.clear();
        self.changed = changed;
    }

    /// The first live candidate of the sorted list.
    fn first(&mut self, alive: &[bool]) -> Option<usize> {
        self.sort(alive);
        while let Some(&(key, Reverse(seq), id)) = self.heap.peek() {
            if alive[id] && key == self.keys[id] && seq == self.seqs[id] {
                return Some(id);
            }
            self.heap.pop();
        }
        None
    }
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

/// The key of the list-order rule: the reference's decimal arithmetic makes mathematically
/// equal gains equal; in f64 they may differ in the last bits, so gains are compared at 12
/// significant digits.
fn list_key(gain: f64) -> u64 {
    gain_key(significant(gain))
}

/// The heap is rebuilt when it holds more than this many entries per live candidate.
const HEAP_SLACK: usize = 2;

impl Pool {
    fn new(trades: Vec<Trade>, ties: TieRule, logs: UpdateLogs, issue_count: usize) -> Self {
        let actor_count = logs.actor_count();
        let mut by_supply = vec![Vec::new(); actor_count * issue_count];
        let mut by_demand = vec![Vec::new(); actor_count * issue_count];
        let mut initially_invalid = Vec::new();
        for (id, t) in trades.iter().enumerate() {
            for side in [&t.i, &t.j] {
                by_supply[side.actor * issue_count + side.supply].push(id);
                by_demand[side.actor * issue_count + side.demand].push(id);
            }
            if !t.valid {
                initially_invalid.push(id);
            }
        }
        let keys: Vec<u64> = trades.iter().map(|t| gain_key(t.gain)).collect();
        let (by_gain, list) = if ties == TieRule::ListOrder {
            (BinaryHeap::new(), Some(ListOrder::new(&trades)))
        } else {
            let entries: Vec<_> = keys
                .iter()
                .enumerate()
                .map(|(id, k)| (*k, Reverse(id)))
                .collect();
            (BinaryHeap::from(entries), None)
        };
        Self {
            alive: vec![true; trades.len()],
            live: trades.len(),
            trades,
            by_gain,
            keys,
            by_supply,
            by_demand,
            issue_count,
            initially_invalid,
            list,
            logs,
            neighbours: Vec::new(),
        }
    }

    fn remove(&mut self, id: usize) {
        if std::mem::replace(&mut self.alive[id], false) {
            self.live -= 1;
        }
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

    /// Rebuilds the gain heap from the live candidates when dead and stale entries dominate.
    /// The order of what it yields depends only on the live candidates' current keys.
    fn compact(&mut self) {
        if self.list.is_some() || self.by_gain.len() <= HEAP_SLACK * self.live + 1024 {
            return;
        }
        let mut entries = std::mem::take(&mut self.by_gain).into_vec();
        entries.clear();
        entries.extend(
            (0..self.trades.len())
                .filter(|id| self.alive[*id])
                .map(|id| (self.keys[id], Reverse(id))),
        );
        self.by_gain = BinaryHeap::from(entries);
    }

    /// Takes the next trade by the tie rule, or `None` when the pool is empty.
    fn take_best(&mut self, ties: TieRule, rng: &mut ChaCha8Rng) -> Option<usize> {
        let id = match ties {
            TieRule::ListOrder => self
                .list
                .as_mut()
                .expect("the list-order state is built for the list-order rule")
                .first(&self.alive)?,
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

    /// Collects the candidates a trade by these sides can affect, in creation order, into
    /// `self.neighbours`. Candidates that are gone are dropped from the indexes on the way,
    /// so later lookups stay short.
    fn collect_neighbours(&mut self, e: &Trade) {
        let key = |side: &Side, issue: usize| side.actor * self.issue_count + issue;
        let lists = [
            (true, key(&e.i, e.i.supply)),
            (true, key(&e.j, e.j.supply)),
            (false, key(&e.i, e.i.demand)),
            (false, key(&e.j, e.j.demand)),
        ];
        self.neighbours.clear();
        for (supply, k) in lists {
            let list = if supply {
                &mut self.by_supply[k]
            } else {
                &mut self.by_demand[k]
            };
            list.retain(|id| self.alive[*id]);
            self.neighbours.extend_from_slice(list);
        }
        self.neighbours.sort_unstable();
        self.neighbours.dedup();
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
        for (demander, partner) in [(&e.j, &e.i), (&e.i, &e.j)] {
            self.logs.record(
                state,
                demander.actor,
                demander.demand,
                partner.actor,
                partner.start,
                partner.y,
            );
        }
        self.collect_neighbours(e);
        for n in 0..self.neighbours.len() {
            let id = self.neighbours[n];
            let old_key = self.keys[id];
            let recalculated =
                self.trades[id].follow(e, state, &self.logs, randomization.is_none());
            if let (true, Some(r)) = (recalculated, randomization) {
                r.randomize(&mut self.trades[id], state, &self.logs, rng);
            }
            let t = &self.trades[id];
            if !t.valid {
                self.remove(id);
                continue;
            }
            let key = gain_key(t.gain);
            if let Some(list) = &mut self.list {
                // An unchanged gain keeps its place (and its rounding need not be formatted
                // again): equal gain keys give equal list keys.
                if recalculated && key != old_key {
                    list.changed.push((id, list_key(t.gain)));
                }
            } else if key > old_key {
                self.by_gain.push((key, Reverse(id)));
            }
            self.keys[id] = key;
        }
        self.compact();
    }
}

/// Builds every candidate trade of a round into `trades`, in the reference's order (SPEC 3.3).
fn candidates(
    state: &RoundState,
    outcomes: &[f64],
    actor_count: usize,
    logs: &UpdateLogs,
    trades: &mut Vec<Trade>,
) {
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
    trades.clear();
    trades.reserve(count);
    for (p, q, groups) in &pairs {
        for (first, second, groups_ad) in [(0, 3, true), (1, 2, false)] {
            for &a in &groups[first] {
                for &b in &groups[second] {
                    trades.push(Trade::uncalculated(state, a, b, *p, *q, groups_ad));
                    trades
                        .last_mut()
                        .expect("a candidate was just added")
                        .calculate(state, logs);
                }
            }
        }
    }
}

/// The buffers a run keeps from one round to the next, so that the largest allocation, the
/// candidates (45 MB a round at 80 actors and 20 issues), is made once per run instead of
/// once per round, and its pages are not faulted in anew every round.
#[derive(Default)]
pub(super) struct RoundBuffers {
    trades: Vec<Trade>,
    logs: UpdateLogs,
}

/// Runs one round from `state`.
pub(super) fn run_round(
    state: &RoundState,
    actor_count: usize,
    config: &mut RoundConfig<'_>,
    buffers: &mut RoundBuffers,
) -> RoundResult {
    let outcomes = state.outcomes();
    let mut logs = std::mem::take(&mut buffers.logs);
    logs.reset(state, actor_count);
    let mut built = std::mem::take(&mut buffers.trades);
    candidates(state, &outcomes, actor_count, &logs, &mut built);
    if let Some(r) = config.randomization {
        for t in built.iter_mut().filter(|t| t.valid) {
            r.randomize(t, state, &logs, config.rng);
        }
    }
    let candidate_count = built.len();
    let mut pool = Pool::new(built, config.ties, logs, state.entries.len());
    let mut executed: Vec<Trade> = Vec::new();
    while let Some(id) = pool.take_best(config.ties, config.rng) {
        if !pool.trades[id].valid {
            continue;
        }
        let e = pool.trades[id].clone();
        pool.follow(&e, state, config.randomization, config.rng);
        executed.push(e);
    }
    buffers.trades = pool.trades;
    buffers.logs = pool.logs;
    let trades = executed
        .iter()
        .map(|e| record(e, state, &outcomes, config.externalities))
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
fn record(
    e: &Trade,
    state: &RoundState,
    outcomes: &[f64],
    externalities: Externalities,
) -> TradeRecord {
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
    let wanted = externalities == Externalities::Record;
    let mut externalities = Vec::new();
    for actor in (0..state.slot[p].len()).filter(|_| wanted) {
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
