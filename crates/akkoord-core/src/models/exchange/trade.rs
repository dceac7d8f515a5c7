//! One candidate trade of the Equal Gain model: its amounts, its validity, and the cap that
//! keeps the outcome short of the demanding actor (SPEC sections 3.4 to 3.7).
//!
//! A [`Trade`] is built for two actors and two issues, and recalculated after other trades
//! move its actors. All positions are on the internal 0..100 scale.

use super::round::{Entry, RoundState, UpdateLogs};

/// A move is zero when it is no larger than this (the reference's threshold).
const MOVE_EPSILON: f64 = 1e-10;
/// A trade is worthless when its gain is below this (the reference's threshold).
const GAIN_EPSILON: f64 = 1e-10;
/// Slack on the 0..100 bounds of a voting position, for f64 rounding where the reference's
/// decimal arithmetic lands exactly on a bound.
const BOUND_SLACK: f64 = 1e-9;

/// One side of a trade: an actor giving ground on its supply issue for movement on its
/// demand issue.
#[derive(Clone, Debug)]
pub(super) struct Side {
    pub(super) actor: usize,
    pub(super) supply: usize,
    pub(super) demand: usize,
    /// Current position on the supply issue (carried forward by earlier trades this round).
    pub(super) x: f64,
    /// Position on the supply issue at the start of the round.
    pub(super) start: f64,
    /// The partner's round-start position on this side's supply issue: where this side moves to.
    pub(super) target: f64,
    pub(super) salience_supply: f64,
    pub(super) salience_demand: f64,
    pub(super) power_supply: f64,
    /// The move history the reference keeps (SPEC 3.6): earlier candidate moves, then the current one.
    pub(super) moves: History,
    pub(super) y: f64,
    pub(super) eu: f64,
    pub(super) nbs_0: f64,
    pub(super) nbs_1: f64,
    pub(super) adjusted: bool,
}

/// A side's move history as the validity test reads it: the earlier moves kept only as their
/// sum (summed in the same order as the reference's list) and their signs, then the current
/// move.
#[derive(Clone, Copy, Debug)]
pub(super) struct History {
    /// The sum of the earlier moves, from -0.0 like `Iterator::sum`.
    earlier_sum: f64,
    earlier_all_negative: bool,
    earlier_all_positive: bool,
    current: f64,
}

impl Default for History {
    fn default() -> Self {
        Self {
            earlier_sum: -0.0,
            earlier_all_negative: true,
            earlier_all_positive: true,
            current: 0.0,
        }
    }
}

impl History {
    /// Keeps the current move as an earlier one; the next calculation sets a new current move.
    fn keep_current(&mut self) {
        self.earlier_sum += self.current;
        self.earlier_all_negative &= self.current < 0.0;
        self.earlier_all_positive &= self.current > 0.0;
    }

    /// The sum of the whole history, current move included.
    fn sum(&self) -> f64 {
        self.earlier_sum + self.current
    }

    /// Whether every move of the history goes the same way.
    fn one_direction(&self) -> bool {
        (self.earlier_all_negative && self.current < 0.0)
            || (self.earlier_all_positive && self.current > 0.0)
    }
}

impl Side {
    pub(super) fn current_move(&self) -> f64 {
        self.moves.current
    }

    /// The change in Σ salience·power·position of the supply issue when this side's actor
    /// moves from its round-start position to `at` (as [`RoundState`] computes it).
    fn shift(&self, at: f64) -> f64 {
        self.salience_supply * self.power_supply * (at - self.start)
    }

    /// Replaces the current move and the voting position that follows from it.
    pub(super) fn set_move(&mut self, m: f64) {
        self.moves.current = m;
        self.y = self.x + m;
    }

    /// The reference's validity test for a move (SPEC 3.6), history included, plus one test
    /// of ours: the move must not carry the actor past its partner. The reference lets the
    /// outcome cap (3.7) recompute the partner's move from the capped ratio without looking at
    /// the partner's distance, which can overshoot; such a trade is invalid here
    /// (docs/models/exchange.md).
    pub(super) fn is_move_valid(&self, m: f64) -> bool {
        let within_partner = m.abs() <= (self.target - self.x).abs() + BOUND_SLACK;
        let size_ok = m.is_finite() && m.abs() > MOVE_EPSILON && m.abs() <= 100.0 && within_partner;
        let lands_on_scale = (-BOUND_SLACK..=100.0 + BOUND_SLACK).contains(&(self.x + m));
        let total_ok = self.moves.sum() <= 100.0;
        size_ok && lands_on_scale && total_ok && self.moves.one_direction()
    }
}

/// A candidate trade: side `i` supplies issue `q` and demands `p`; side `j` the reverse.
// Its four flags are independent facts (groups, validity, capped, randomizable) that the
// reference's algorithm tests one at a time; no state machine joins them.
#[allow(clippy::struct_excessive_bools)]
#[derive(Clone, Debug)]
pub(super) struct Trade {
    pub(super) p: usize,
    pub(super) q: usize,
    /// Whether the two actors came from groups A and D (else B and C).
    pub(super) groups_ad: bool,
    pub(super) i: Side,
    pub(super) j: Side,
    pub(super) gain: f64,
    pub(super) valid: bool,
    /// Whether the outcome cap of the last calculation moved a side: if not, the moves are
    /// the equal-gain amounts, which a change of the partner-move logs alone leaves as they
    /// are.
    capped: bool,
    /// Whether the last calculation got past the validity test of SPEC 3.5 step 6, the
    /// point after which the randomized variant redraws the trade's terms.
    pub(super) randomizable: bool,
}

/// The two sides of a trade in the role of the side being capped and its partner.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    I,
    J,
}

impl Trade {
    /// Builds the trade between actors `a` and `b` on issues `p < q`, with roles decided by
    /// their salience ratios (SPEC 3.4), not yet calculated: the caller calculates it where
    /// it keeps it, so that the 300-byte candidate is not calculated on the stack and copied
    /// into the list (that copy was 7 % of a run).
    pub(super) fn uncalculated(
        state: &RoundState,
        a: usize,
        b: usize,
        p: usize,
        q: usize,
        groups_ad: bool,
    ) -> Self {
        // Each actor's data on each issue looked up once (the lookups were a seventh of a run).
        let (a_p, a_q, b_p, b_q) = (
            state.entry(a, p),
            state.entry(a, q),
            state.entry(b, p),
            state.entry(b, q),
        );
        // s_ap / s_aq < s_bp / s_bq, compared by cross-multiplication so that a salience of 0
        // orders the actors instead of dividing by zero.
        let b_demands_p = a_p.salience * b_q.salience < b_p.salience * a_q.salience;
        let (i_actor, j_actor) = if b_demands_p { (b, a) } else { (a, b) };
        let (i_p, i_q, j_p, j_q) = if b_demands_p {
            (b_p, b_q, a_p, a_q)
        } else {
            (a_p, a_q, b_p, b_q)
        };
        let side = |actor: usize,
                    (supply, on_supply): (usize, &Entry),
                    (demand, on_demand): (usize, &Entry),
                    partner_on_supply: &Entry| Side {
            actor,
            supply,
            demand,
            x: on_supply.x,
            start: on_supply.x,
            target: partner_on_supply.x,
            salience_supply: on_supply.salience,
            salience_demand: on_demand.salience,
            power_supply: on_supply.power,
            moves: History::default(),
            y: on_supply.x,
            eu: 0.0,
            nbs_0: 0.0,
            nbs_1: 0.0,
            adjusted: false,
        };
        Self {
            p,
            q,
            groups_ad,
            i: side(i_actor, (q, i_q), (p, i_p), j_q),
            j: side(j_actor, (p, j_p), (q, j_q), i_p),
            gain: 0.0,
            valid: false,
            capped: false,
            randomizable: false,
        }
    }

    /// The equal-gain amounts from the current supply positions (SPEC 3.5), then the outcome
    /// cap (3.7). Appends the new moves to the sides' histories.
    pub(super) fn calculate(&mut self, state: &RoundState, logs: &UpdateLogs) {
        let (p, q) = (self.p, self.q);
        let (i, j) = (&self.i, &self.j);
        let (s_ip, s_iq, s_jp, s_jq) = (
            i.salience_demand,
            i.salience_supply,
            j.salience_supply,
            j.salience_demand,
        );
        let (w_iq, w_jp) = (s_iq * i.power_supply, s_jp * j.power_supply);
        let (d_p, d_q) = (state.denominator(p), state.denominator(q));
        let distance_j = (j.target - j.x).abs();
        let distance_i = (i.target - i.x).abs();

        let mut dp = distance_j * w_jp / d_p;
        let mut dq = dp * (s_jp + s_ip) / (s_jq + s_iq);
        let mut move_i = dq * d_q / w_iq;
        let mut move_j = distance_j;
        if move_i > distance_i {
            dq = distance_i * w_iq / d_q;
            dp = dq * (s_iq + s_jq) / (s_ip + s_jp);
            move_i = distance_i;
            move_j = dp * d_p / w_jp;
        }
        if i.x > i.target {
            move_i = -move_i;
        }
        if j.x > j.target {
            move_j = -move_j;
        }
        self.i.set_move(move_i);
        self.j.set_move(move_j);

        let eu_i = (dq * s_iq - dp * s_ip).abs();
        self.gain = eu_i;
        self.i.eu = eu_i;
        self.j.eu = eu_i;
        self.valid = self.i.is_move_valid(move_i)
            && self.j.is_move_valid(move_j)
            && self.gain >= GAIN_EPSILON;
        self.randomizable = self.valid;
        self.capped = false;
        if !self.valid {
            return;
        }
        self.cap_outcome(state, logs, Role::I);
        self.cap_outcome(state, logs, Role::J);
        self.valid = self.i.is_move_valid(self.i.current_move())
            && self.j.is_move_valid(self.j.current_move());
    }

    /// What [`Self::calculate`] gives after only partner-move logs changed, for a valid
    /// candidate whose last calculation was not capped: the supply positions and histories are
    /// those of that calculation, so the equal-gain amounts, the gain and their validity are
    /// too, and only the caps whose logs changed (`cap_i_log`, `cap_j_log`) can come out
    /// differently. Side J's cap runs after side I's moved anything, as in `calculate`.
    fn recheck_caps(
        &mut self,
        state: &RoundState,
        logs: &UpdateLogs,
        cap_i_log: bool,
        cap_j_log: bool,
    ) {
        debug_assert!(self.valid && !self.capped);
        if cap_i_log {
            self.cap_outcome(state, logs, Role::I);
        }
        if cap_j_log || self.capped {
            self.cap_outcome(state, logs, Role::J);
        }
        if self.capped {
            self.valid = self.i.is_move_valid(self.i.current_move())
                && self.j.is_move_valid(self.j.current_move());
        }
    }

    fn sides_mut(&mut self, role: Role) -> (&mut Side, &mut Side) {
        match role {
            Role::I => (&mut self.i, &mut self.j),
            Role::J => (&mut self.j, &mut self.i),
        }
    }

    /// The actor that demands `issue` in this trade: its log holds the recorded partner moves
    /// on `issue` that this trade sees.
    fn demander(&self, issue: usize) -> usize {
        if issue == self.i.demand {
            self.i.actor
        } else {
            self.j.actor
        }
    }

    /// The outcome of `issue` as this trade sees it: round-start positions, replaced by the
    /// recorded partner moves, with `actor` placed at `at` (SPEC 3.7, `adjust_nbs`).
    pub(super) fn adjusted_outcome(
        &self,
        state: &RoundState,
        logs: &UpdateLogs,
        issue: usize,
        actor: usize,
        at: f64,
    ) -> f64 {
        let side = self.supplier(issue);
        debug_assert_eq!(
            side.actor, actor,
            "the outcome is adjusted for the supplying side"
        );
        logs.weighted_sum_with(state, self.demander(issue), issue, actor, side.shift(at))
            / state.denominator(issue)
    }

    /// The side that supplies `issue`.
    fn supplier(&self, issue: usize) -> &Side {
        if issue == self.i.supply {
            &self.i
        } else {
            &self.j
        }
    }

    /// Keeps side `role`'s move from pushing the outcome of its supply issue past its
    /// partner's position (SPEC 3.7).
    fn cap_outcome(&mut self, state: &RoundState, logs: &UpdateLogs, role: Role) {
        let (a, b) = match role {
            Role::I => (&self.i, &self.j),
            Role::J => (&self.j, &self.i),
        };
        let r = a.supply;
        let x_b = a.target;
        let nbs_0 = self.adjusted_outcome(state, logs, r, a.actor, a.x);
        let nbs_1 = self.adjusted_outcome(state, logs, r, a.actor, a.y);
        let same_side = (x_b - nbs_0 >= 0.0 && x_b - nbs_1 >= 0.0)
            || (x_b - nbs_0 <= 0.0 && x_b - nbs_1 <= 0.0);
        if same_side {
            let (a, _) = self.sides_mut(role);
            a.nbs_0 = nbs_0;
            a.nbs_1 = nbs_1;
            return;
        }
        let w_a = a.salience_supply * a.power_supply;
        let d_r = state.denominator(r);
        let capped_sum = logs.capped_weighted_sum(self.demander(r), r, a.actor, a.shift(a.x));
        let delta = ((x_b * d_r - capped_sum) / w_a).abs();
        let dp = delta * w_a / d_r;
        let dq =
            dp * (a.salience_supply + b.salience_demand) / (a.salience_demand + b.salience_supply);
        let t = b.supply;
        let mut move_b = dq * state.denominator(t) / (b.salience_supply * b.power_supply);
        // B moves toward A's round-start position on B's supply issue (A's demand position).
        if b.x > b.target {
            move_b = -move_b;
        }
        let move_a = if a.x > x_b { -delta } else { delta };
        let gain = (dp * b.salience_demand - dq * b.salience_supply).abs();
        let actor_a = a.actor;
        self.capped = true;
        {
            let (a, b) = self.sides_mut(role);
            a.set_move(move_a);
            b.set_move(move_b);
            a.nbs_0 = nbs_0;
            a.adjusted = true;
        }
        self.gain = gain;
        let y_a = match role {
            Role::I => self.i.y,
            Role::J => self.j.y,
        };
        let nbs_1 = self.adjusted_outcome(state, logs, r, actor_a, y_a);
        let (a, _) = self.sides_mut(role);
        a.nbs_1 = nbs_1;
        self.valid = self.i.is_move_valid(self.i.current_move())
            && self.j.is_move_valid(self.j.current_move());
    }

    /// Applies the trade `e` just carried out to this candidate (SPEC 3.9): carries supply
    /// positions forward and recalculates when anything changed. The partner moves that `e`
    /// records are already in `logs`, shared by every candidate with the same demanding
    /// actor and issue. When only those logs changed for this candidate and `amounts_kept`
    /// (the amounts are the equal-gain ones, not redrawn), only the caps are checked again
    /// (the same result as a full calculation, for a fraction of the work). Returns whether
    /// the candidate was recalculated.
    pub(super) fn follow(
        &mut self,
        e: &Trade,
        state: &RoundState,
        logs: &UpdateLogs,
        amounts_kept: bool,
    ) -> bool {
        let mut moved = false;
        for side in [&mut self.i, &mut self.j] {
            let source = [&e.i, &e.j]
                .into_iter()
                .find(|es| es.actor == side.actor && es.supply == side.supply);
            if let Some(es) = source {
                // [REF] The reference appends the trade's move to the history and then drops
                // the last move of each side: the matched side keeps its current move as
                // history; the other side's current move is replaced below.
                side.x = es.y;
                side.moves.keep_current();
                moved = true;
            }
        }
        if moved {
            self.calculate(state, logs);
            return true;
        }
        // The log of (actor, demand issue) of side `s` is read by the cap of its partner.
        let log_changed = |s: &Side| {
            [&e.i, &e.j]
                .iter()
                .any(|d| s.actor == d.actor && s.demand == d.demand)
        };
        let (cap_i_log, cap_j_log) = (log_changed(&self.j), log_changed(&self.i));
        if !cap_i_log && !cap_j_log {
            return false;
        }
        if amounts_kept && !self.capped {
            self.recheck_caps(state, logs, cap_i_log, cap_j_log);
        } else {
            self.calculate(state, logs);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};

    use super::super::round::{Entry, RoundState, UpdateLogs};
    use super::*;

    /// After a partner move is recorded in the log that one cap reads, checking only the caps
    /// gives bit for bit what a full recalculation gives, whether or not the cap now cuts the
    /// move.
    #[test]
    fn rechecking_the_caps_equals_a_full_calculation() {
        let mut rng = ChaCha8Rng::seed_from_u64(16);
        let (actors, issues) = (14, 3);
        let entries: Vec<Vec<Entry>> = (0..issues)
            .map(|_| {
                (0..actors)
                    .map(|actor| Entry {
                        actor,
                        x: (rng.random::<f64>() * 1000.0).round() / 10.0,
                        salience: 0.05 + 0.95 * rng.random::<f64>(),
                        power: 0.01 + 0.99 * rng.random::<f64>(),
                    })
                    .collect()
            })
            .collect();
        let state = RoundState::new(entries, actors);
        let (mut compared, mut newly_capped) = (0, 0);
        for (a, b) in (0..actors).flat_map(|a| (a + 1..actors).map(move |b| (a, b))) {
            let mut logs = UpdateLogs::default();
            logs.reset(&state, actors);
            let mut before = Trade::uncalculated(&state, a, b, 0, 1, true);
            before.calculate(&state, &logs);
            if !before.valid || before.capped {
                continue;
            }
            // A third actor's move recorded for side J's demand, which side I's cap reads,
            // aimed to bring the outcome half of side I's shift short of side J's position,
            // so that side I's move now carries it past and the cap cuts it.
            let (demander, issue) = (before.j.actor, before.j.demand);
            let aim = before.i.target - 0.5 * (before.i.nbs_1 - before.i.nbs_0);
            let wanted_shift = (aim - before.i.nbs_0) * state.denominator(issue);
            let Some((partner, start, y)) = (0..actors)
                .filter(|k| *k != a && *k != b)
                .map(|k| {
                    let e = state.entry(k, issue);
                    (k, e.x, e.x + wanted_shift / (e.salience * e.power))
                })
                .find(|(_, _, y)| (0.0..=100.0).contains(y))
            else {
                continue;
            };
            logs.record(&state, demander, issue, partner, start, y);
            let mut full = before.clone();
            full.calculate(&state, &logs);
            let mut quick = before.clone();
            quick.recheck_caps(&state, &logs, true, false);
            assert_eq!(
                format!("{full:?}"),
                format!("{quick:?}"),
                "actors {a} and {b}"
            );
            compared += 1;
            newly_capped += usize::from(full.capped);
        }
        assert!(compared > 10, "{compared} trades compared");
        assert!(newly_capped > 0, "no recorded move triggered a cap");
    }
}
