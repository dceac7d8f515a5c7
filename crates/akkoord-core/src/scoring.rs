//! Scores of point predictions against known outcomes: mean absolute error, its spread, and
//! breakdowns by group (such as procedure or voting rule).

use std::collections::BTreeMap;

/// One prediction with what really happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// The predicted outcome.
    pub predicted: f64,
    /// The known outcome.
    pub actual: f64,
    /// Groups the case belongs to, as `(dimension, value)`, such as `("procedure", "COD")`.
    pub groups: Vec<(String, String)>,
}

/// The mean absolute error of some predictions.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorSummary {
    /// Cases scored.
    pub n: usize,
    /// Mean absolute error.
    pub mae: f64,
    /// Standard deviation of the absolute errors (n − 1).
    pub sd: f64,
    /// Median absolute error.
    pub median: f64,
}

/// A model's score, overall and by group.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelScore {
    /// The model.
    pub model: String,
    /// Over every case it applies to.
    pub overall: ErrorSummary,
    /// By `(dimension, value)`, in sorted order.
    pub by_group: Vec<((String, String), ErrorSummary)>,
}

/// Summarises absolute errors.
pub fn summarise(errors: &[f64]) -> ErrorSummary {
    let n = errors.len();
    if n == 0 {
        return ErrorSummary {
            n,
            mae: f64::NAN,
            sd: f64::NAN,
            median: f64::NAN,
        };
    }
    let mae = errors.iter().sum::<f64>() / n as f64;
    let sd = if n > 1 {
        (errors.iter().map(|e| (e - mae).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    let mut sorted = errors.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])
    };
    ErrorSummary { n, mae, sd, median }
}

/// Scores one model's predictions.
pub fn score(model: &str, predictions: &[Prediction]) -> ModelScore {
    let errors: Vec<f64> = predictions
        .iter()
        .map(|p| (p.predicted - p.actual).abs())
        .collect();
    let mut groups: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for (p, e) in predictions.iter().zip(&errors) {
        for g in &p.groups {
            groups.entry(g.clone()).or_default().push(*e);
        }
    }
    ModelScore {
        model: model.to_owned(),
        overall: summarise(&errors),
        by_group: groups
            .into_iter()
            .map(|(g, e)| (g, summarise(&e)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_summarised() {
        let s = summarise(&[1.0, 3.0, 8.0]);
        assert_eq!(s.n, 3);
        assert!((s.mae - 4.0).abs() < 1e-12);
        assert!((s.median - 3.0).abs() < 1e-12);
        assert!((s.sd - 13.0_f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn groups_are_scored_apart() {
        let p = |predicted: f64, actual: f64, rule: &str| Prediction {
            predicted,
            actual,
            groups: vec![("rule".into(), rule.into())],
        };
        let s = score(
            "m",
            &[
                p(10.0, 20.0, "QMV"),
                p(50.0, 40.0, "QMV"),
                p(0.0, 30.0, "Unan"),
            ],
        );
        assert!((s.overall.mae - 50.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.by_group.len(), 2);
        assert!((s.by_group[0].1.mae - 10.0).abs() < 1e-12);
        assert!((s.by_group[1].1.mae - 30.0).abs() < 1e-12);
    }
}
