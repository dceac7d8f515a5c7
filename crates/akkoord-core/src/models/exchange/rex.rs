//! Randomized Equal Gain ("REX", Dijkstra, van Assen, Stokman & Draaijer 2018; SPEC section 4).
//!
//! With `p > 0`, every time a trade is calculated past its validity test, one of its two sides
//! is drawn and its utility moved at random between its equal gain and its maximum utility
//! (a win) or toward zero (a loss); the moves then follow from that utility. Selection still
//! uses the equal gain. Deliberate deviations from the reference, documented in
//! docs/models/exchange.md: the drawn side keeps its capped move, signed once, when its move
//! would push the outcome past its partner (the reference keeps the uncapped move and flips
//! its sign); and when the partner would have to move past the drawn side, the drawn side
//! moves all the way instead of past its partner (`SoftFail` in the reference).

use rand::RngExt;
use rand::rngs::ChaCha8Rng;

use super::round::{RoundState, UpdateLogs};
use super::trade::{Side, Trade};

/// The size of the random variation of exchange rates, in (0, 1].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Randomization {
    pub(super) p: f64,
}

/// Maximum utilities of the two sides (SPEC 4, `calculate_maximum_utility`), as `(I, J)`.
pub(super) fn maximum_utilities(t: &Trade, state: &RoundState, logs: &UpdateLogs) -> (f64, f64) {
    let (i, j) = (&t.i, &t.j);
    // [REF] These compare positions on different issues and are almost never true; kept
    // because they decide which formula applies.
    #[allow(clippy::float_cmp)]
    let pi_i = j.target == i.y;
    #[allow(clippy::float_cmp)]
    let pi_j = i.target == j.y;
    let delta_i = (i.nbs_0
        - t.adjusted_outcome(
            state,
            logs,
            i.supply,
            i.actor,
            if pi_i { i.y } else { i.target },
        ))
    .abs();
    let delta_j = (j.nbs_0
        - t.adjusted_outcome(
            state,
            logs,
            j.supply,
            j.actor,
            if pi_j { j.y } else { j.target },
        ))
    .abs();
    let (s_ip, s_iq, s_jp, s_jq) = (
        i.salience_demand,
        i.salience_supply,
        j.salience_supply,
        j.salience_demand,
    );
    let loss_j = delta_j * s_jp;
    let gain_i = delta_j * s_ip;
    let loss_i = delta_i * s_iq;
    let gain_j = delta_i * s_jq;
    let mut override_value = None;
    if pi_i && gain_j - loss_j > 0.0 {
        override_value = Some(gain_i - (loss_j / s_jq) * s_iq);
    }
    if pi_j && gain_i - loss_i > 0.0 {
        override_value = Some(gain_j - (loss_i / s_ip) * s_jp);
    }
    let override_value = override_value.filter(|v| *v != 0.0);
    // A is the side whose gain is the smaller one; B the other.
    let a_is_j = gain_i > gain_j;
    let (gain, loss) = if a_is_j {
        (gain_j, loss_i)
    } else {
        (gain_i, loss_j)
    };
    let (a, b) = if a_is_j { (j, i) } else { (i, j) };
    let sigma = a.salience_supply / (a.salience_supply + b.salience_demand);
    let b_max = override_value
        .unwrap_or(sigma * b.salience_demand * (gain / (sigma * a.salience_supply)) - loss);
    let a_max = gain - sigma * a.salience_supply * (loss / (sigma * b.salience_demand));
    if a_is_j {
        (b_max, a_max)
    } else {
        (a_max, b_max)
    }
}

impl Randomization {
    /// Redraws the terms of `t` if its last calculation got past the validity test.
    pub(super) fn randomize(
        self,
        t: &mut Trade,
        state: &RoundState,
        logs: &UpdateLogs,
        rng: &mut ChaCha8Rng,
    ) {
        if !t.randomizable {
            return;
        }
        let u: f64 = rng.random();
        let v: f64 = rng.random();
        let z: f64 = rng.random();
        self.apply(t, state, logs, u, v, z);
    }

    /// Redraws the terms of `t` with the uniform draws `u` (which side), `v` (win or lose)
    /// and `z` (how far).
    fn apply(self, t: &mut Trade, state: &RoundState, logs: &UpdateLogs, u: f64, v: f64, z: f64) {
        let (max_i, max_j) = maximum_utilities(t, state, logs);
        let eu = t.gain;
        let (x, o, eu_max) = if u < 0.5 {
            (&t.i, &t.j, max_i)
        } else {
            (&t.j, &t.i, max_j)
        };
        let eu_x = if v < 0.5 {
            eu + self.p * z * (eu_max - eu)
        } else {
            eu - self.p * z * eu
        };
        let (mut m_x, mut m_o, eu_x, eu_o) = terms(x, o, eu_x, state, logs, t);
        let toward = |side: &Side, m: f64| if side.x > side.target { -m } else { m };
        m_x = toward(x, m_x);
        m_o = toward(o, m_o);
        let drew_i = u < 0.5;
        let (x, o) = if drew_i {
            (&mut t.i, &mut t.j)
        } else {
            (&mut t.j, &mut t.i)
        };
        x.eu = eu_x;
        o.eu = eu_o;
        x.set_move(m_x);
        o.set_move(m_o);
        t.valid = t.i.is_move_valid(t.i.current_move()) && t.j.is_move_valid(t.j.current_move());
        for role_i in [true, false] {
            let side = if role_i { &t.i } else { &t.j };
            let nbs_0 = t.adjusted_outcome(state, logs, side.supply, side.actor, side.x);
            let nbs_1 = t.adjusted_outcome(state, logs, side.supply, side.actor, side.y);
            let side = if role_i { &mut t.i } else { &mut t.j };
            side.nbs_0 = nbs_0;
            side.nbs_1 = nbs_1;
        }
    }
}

/// The unsigned moves of the drawn side `x` and its partner `o` that give `x` the utility
/// `eu_x`, within both actors' distances and without pushing an outcome past a partner; with
/// the utilities that result, as `(m_x, m_o, eu_x, eu_o)`.
fn terms(
    x: &Side,
    o: &Side,
    eu_x: f64,
    state: &RoundState,
    logs: &UpdateLogs,
    t: &Trade,
) -> (f64, f64, f64, f64) {
    let w_x = x.salience_supply * x.power_supply;
    let w_o = o.salience_supply * o.power_supply;
    let (d_x, d_o) = (state.denominator(x.supply), state.denominator(o.supply));
    let full_x = (x.x - x.target).abs();
    let full_o = (o.x - o.target).abs();
    let utilities = |r_x: f64, r_o: f64| {
        (
            (r_o * x.salience_demand - r_x * x.salience_supply).abs(),
            (r_o * o.salience_supply - r_x * o.salience_demand).abs(),
        )
    };
    let mut m_x = full_x;
    let mut r_x = m_x * w_x / d_x;
    let mut r_o = (eu_x + r_x * x.salience_supply) / x.salience_demand;
    let mut m_o = r_o * d_o / w_o;
    if m_o > full_o {
        r_o = full_o * w_o / d_o;
        m_o = full_o;
        r_x = ((eu_x - r_o * x.salience_demand) / x.salience_supply).abs();
        m_x = (r_x * d_x / w_x).min(full_x);
        r_x = m_x * w_x / d_x;
    } else {
        // Keep the outcome of x's supply issue short of o's position.
        let signed = if x.x > x.target { -m_x } else { m_x };
        let nbs_0 = t.adjusted_outcome(state, logs, x.supply, x.actor, x.x);
        let nbs_1 = t.adjusted_outcome(state, logs, x.supply, x.actor, x.x + signed);
        let crosses = (x.target - nbs_0) * (x.target - nbs_1) < 0.0;
        if crosses {
            m_x = (d_x * (x.target - nbs_0) / w_x).abs();
            r_x = m_x * w_x / d_x;
            r_o = (eu_x + r_x * x.salience_supply) / x.salience_demand;
            m_o = (r_o * d_o / w_o).min(full_o);
            r_o = m_o * w_o / d_o;
        }
    }
    let (eu_x, eu_o) = utilities(r_x, r_o);
    (m_x, m_o, eu_x, eu_o)
}

#[cfg(test)]
mod tests {
    use super::super::round::{Entry, RoundState, UpdateLogs};
    use super::super::trade::Trade;
    use super::*;

    /// The reference's own REX test (TESTS.md, `decide/tests/test_rex.py`): two actors, two
    /// issues, saliences 10..90.
    #[test]
    fn maximum_utilities_match_the_reference_test() {
        let entry = |actor, x, salience| Entry {
            actor,
            x,
            salience,
            power: 1.0,
        };
        let state = RoundState::new(
            vec![
                vec![entry(0, 0.0, 10.0), entry(1, 100.0, 60.0)],
                vec![entry(0, 0.0, 90.0), entry(1, 100.0, 50.0)],
            ],
            2,
        );
        let mut logs = UpdateLogs::default();
        logs.reset(&state, 2);
        let outcomes = state.outcomes();
        assert!((outcomes[0] - (85.0 + 5.0 / 7.0)).abs() < 1e-12);
        assert!((outcomes[1] - (35.0 + 5.0 / 7.0)).abs() < 1e-12);
        let mut trade = Trade::uncalculated(&state, 0, 1, 0, 1, true);
        trade.calculate(&state, &logs);
        assert_eq!(
            (trade.i.actor, trade.j.actor),
            (1, 0),
            "Actor-2 supplies issue 2"
        );
        assert!((trade.gain - 500.0).abs() < 1e-9, "{}", trade.gain);
        let (max_i, max_j) = maximum_utilities(&trade, &state, &logs);
        assert!((max_j - 1400.0).abs() < 1e-9, "{max_j}");
        assert!((max_i - 777.777_777_777_777_8).abs() < 1e-9, "{max_i}");
        // With the reference's draws after random.seed(0): J (Actor-1) is drawn and loses.
        Randomization { p: 1.0 }.apply(
            &mut trade,
            &state,
            &logs,
            0.844_421_851_525_048_1,
            0.757_954_402_940_302_5,
            0.420_571_580_830_845,
        );
        assert!(
            (trade.j.eu - 289.714_209_584_577_5).abs() < 1e-9,
            "{}",
            trade.j.eu
        );
        assert!(
            (trade.i.eu - 616.825_439_119_679_2).abs() < 1e-9,
            "{}",
            trade.i.eu
        );
        assert!(
            (trade.i.current_move() + 13.457_775_409_297_97).abs() < 1e-9,
            "{}",
            trade.i.current_move()
        );
    }
}
