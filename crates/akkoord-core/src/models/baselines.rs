//! Baseline predictions for a continuous issue: the compromise (weighted mean), the weighted
//! median, and the asymmetric Nash bargaining solution.
//!
//! **Compromise** (Achen 2006's "compromise model"): `Σ w x / Σ w` with `w = capability ×
//! salience`. **Weighted median** (the median voter under majority rule). **Nash bargaining
//! solution** (Nash 1950; asymmetric with bargaining power `w`): the position `y` on the scale
//! maximising `Σ w_a ln(g_a(y))`, where `g_a(y) = D_a − |y − x_a|` is actor `a`'s gain over
//! disagreement and the disagreement point is the actor's worst point of the scale
//! (`D_a = max(|lower − x_a|, |upper − x_a|)`). The objective is concave, so a golden-section
//! search finds the maximum.

pub use super::expected_utility::{weighted_mean, weighted_median};

use super::issue_model::{IssueModel, positions_and_weights};
use crate::scenario::{Issue, Scenario};

/// The compromise model: the weighted mean of the positions.
pub struct Compromise;

/// The weighted median of the positions.
pub struct WeightedMedian;

/// The asymmetric Nash bargaining solution.
pub struct NashBargaining;

/// The unweighted mean of the positions: the naive baseline of backtests, not a forecast.
pub struct UnweightedMean;

/// Applies a static rule to every issue: each issue's outcome depends on its own positions
/// and weights alone.
fn per_issue(s: &Scenario, rule: impl Fn(&Issue, &[f64], &[f64]) -> f64) -> Vec<Option<f64>> {
    s.issues
        .iter()
        .map(|issue| {
            let (x, w) = positions_and_weights(s, issue);
            Some(rule(issue, &x, &w))
        })
        .collect()
}

impl IssueModel for Compromise {
    fn name(&self) -> &'static str {
        "compromise"
    }

    fn predict(&self, s: &Scenario) -> Vec<Option<f64>> {
        per_issue(s, |_, x, w| weighted_mean(x, w))
    }
}

impl IssueModel for WeightedMedian {
    fn name(&self) -> &'static str {
        "median"
    }

    fn predict(&self, s: &Scenario) -> Vec<Option<f64>> {
        per_issue(s, |_, x, w| weighted_median(x, w))
    }
}

impl IssueModel for NashBargaining {
    fn name(&self) -> &'static str {
        "nash"
    }

    fn predict(&self, s: &Scenario) -> Vec<Option<f64>> {
        per_issue(s, |issue, x, w| {
            nash_bargaining(x, w, issue.scale.lower, issue.scale.upper)
        })
    }
}

impl IssueModel for UnweightedMean {
    fn name(&self) -> &'static str {
        "mean"
    }

    fn predict(&self, s: &Scenario) -> Vec<Option<f64>> {
        per_issue(s, |_, x, _| x.iter().sum::<f64>() / x.len() as f64)
    }
}

/// The asymmetric Nash bargaining solution on `[lower, upper]`.
pub fn nash_bargaining(positions: &[f64], weights: &[f64], lower: f64, upper: f64) -> f64 {
    let objective = |y: f64| -> f64 {
        positions
            .iter()
            .zip(weights)
            .filter(|(_, w)| **w > 0.0)
            .map(|(x, w)| {
                let worst = (lower - x).abs().max((upper - x).abs());
                w * (worst - (y - x).abs()).max(1e-12).ln()
            })
            .sum()
    };
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let (mut a, mut b) = (lower, upper);
    let mut c = b - ratio * (b - a);
    let mut d = a + ratio * (b - a);
    let (mut fc, mut fd) = (objective(c), objective(d));
    for _ in 0..200 {
        if (b - a).abs() <= 1e-12 * (upper - lower).abs().max(1.0) {
            break;
        }
        if fc >= fd {
            b = d;
            d = c;
            fd = fc;
            c = b - ratio * (b - a);
            fc = objective(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + ratio * (b - a);
            fd = objective(d);
        }
    }
    f64::midpoint(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_equal_actors_meet_halfway() {
        let y = nash_bargaining(&[20.0, 80.0], &[1.0, 1.0], 0.0, 100.0);
        assert!((y - 50.0).abs() < 1e-6, "{y}");
    }

    #[test]
    fn the_stronger_actor_gets_more() {
        let y = nash_bargaining(&[0.0, 100.0], &[3.0, 1.0], 0.0, 100.0);
        // Gains 100 − y and y; maximise 3 ln(100 − y) + ln(y): y = 25.
        assert!((y - 25.0).abs() < 1e-6, "{y}");
    }

    #[test]
    fn medians_take_the_lowest_of_a_tie() {
        assert!((weighted_median(&[1.0, 3.0], &[1.0, 1.0]) - 1.0).abs() < f64::EPSILON);
        assert!((weighted_median(&[5.0, 1.0, 3.0], &[1.0, 1.0, 3.0]) - 3.0).abs() < f64::EPSILON);
        assert!((weighted_mean(&[0.0, 100.0], &[1.0, 3.0]) - 75.0).abs() < 1e-12);
    }
}
