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

/// The scores of every issue model on a table of real decisions with recorded outcomes.
#[derive(Clone, Debug, PartialEq)]
pub struct IssueBacktest {
    /// The issues that could be scored.
    pub scorable_issues: usize,
    /// How actors' capability was set (such as `equal` or `council`).
    pub capability: &'static str,
    /// Every model that predicted at least one issue, in output order.
    pub models: Vec<ModelScore>,
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

/// A probability forecast over mutually exclusive outcomes (the candidates, no agreement, a
/// name not yet known), with the index of what happened.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoricalForecast {
    /// The probability of each outcome; they sum to 1.
    pub probabilities: Vec<f64>,
    /// The outcome that happened.
    pub actual: usize,
}

/// The smallest probability the log score credits to what happened. A Monte Carlo forecast
/// cannot resolve chances much below one in a few hundred draws, and on a library of a few
/// dozen cases one confident miss at probability 0 would otherwise outweigh every other case
/// (its logarithm is minus infinity).
pub const LOG_SCORE_FLOOR: f64 = 0.01;

impl CategoricalForecast {
    /// The forecast that puts everything on one outcome, as a naive rule does.
    pub fn certain(outcomes: usize, predicted: usize, actual: usize) -> Self {
        let mut probabilities = vec![0.0; outcomes];
        probabilities[predicted] = 1.0;
        Self {
            probabilities,
            actual,
        }
    }

    /// The probability given to what happened.
    pub fn probability_of_actual(&self) -> f64 {
        self.probabilities[self.actual]
    }

    /// The Brier score: the squared distance to what happened, summed over outcomes (0 is
    /// perfect, 2 certain and wrong).
    pub fn brier(&self) -> f64 {
        self.probabilities
            .iter()
            .enumerate()
            .map(|(o, p)| (p - if o == self.actual { 1.0 } else { 0.0 }).powi(2))
            .sum()
    }

    /// The log score: the natural logarithm of the probability of what happened, floored at
    /// [`LOG_SCORE_FLOOR`] (0 is perfect; higher is better).
    pub fn log_score(&self) -> f64 {
        self.probability_of_actual().max(LOG_SCORE_FLOOR).ln()
    }

    /// The rank of what happened among the outcomes (1: it was the favourite; ties share the
    /// better rank).
    pub fn rank(&self) -> usize {
        let p = self.probability_of_actual();
        1 + self.probabilities.iter().filter(|q| **q > p).count()
    }
}

/// How a set of probability forecasts scored.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoricalSummary {
    /// Cases scored.
    pub n: usize,
    /// Mean Brier score (lower is better).
    pub mean_brier: f64,
    /// Mean log score (higher is better).
    pub mean_log_score: f64,
    /// Share of cases where what happened was ranked first.
    pub rank_one_rate: f64,
    /// Mean probability given to what happened.
    pub mean_probability_of_actual: f64,
}

/// Summarises forecasts by the strictly proper Brier and log scores (Gneiting & Raftery 2007),
/// the rank-1 rate and the mean probability of what happened.
pub fn summarise_categorical(forecasts: &[CategoricalForecast]) -> CategoricalSummary {
    let n = forecasts.len();
    let mean = |f: &dyn Fn(&CategoricalForecast) -> f64| {
        if n == 0 {
            0.0
        } else {
            forecasts.iter().map(f).sum::<f64>() / n as f64
        }
    };
    CategoricalSummary {
        n,
        mean_brier: mean(&CategoricalForecast::brier),
        mean_log_score: mean(&CategoricalForecast::log_score),
        rank_one_rate: mean(&|f| if f.rank() == 1 { 1.0 } else { 0.0 }),
        mean_probability_of_actual: mean(&CategoricalForecast::probability_of_actual),
    }
}

/// One bin of a reliability table: forecasts of about this probability, and how often the
/// outcome they were about happened.
#[derive(Clone, Debug, PartialEq)]
pub struct ReliabilityBin {
    /// Lower end of the bin (inclusive).
    pub low: f64,
    /// Upper end (exclusive, but 1 belongs to the last bin).
    pub high: f64,
    /// Outcome probabilities that fell in the bin.
    pub forecasts: usize,
    /// Their mean.
    pub mean_forecast: f64,
    /// The share of them whose outcome happened.
    pub observed: f64,
}

/// The reliability table over every outcome of every forecast, in `bins` equal bins of
/// probability: a calibrated forecaster's outcomes happen as often as it says.
pub fn reliability(forecasts: &[CategoricalForecast], bins: usize) -> Vec<ReliabilityBin> {
    let bins = bins.max(1);
    let mut sums = vec![(0usize, 0.0, 0usize); bins];
    for f in forecasts {
        for (o, &p) in f.probabilities.iter().enumerate() {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // p lies in 0..=1
            let b = ((p * bins as f64) as usize).min(bins - 1);
            sums[b].0 += 1;
            sums[b].1 += p;
            sums[b].2 += usize::from(o == f.actual);
        }
    }
    sums.into_iter()
        .enumerate()
        .map(|(b, (count, total, hits))| ReliabilityBin {
            low: b as f64 / bins as f64,
            high: (b + 1) as f64 / bins as f64,
            forecasts: count,
            mean_forecast: if count == 0 {
                0.0
            } else {
                total / count as f64
            },
            observed: if count == 0 {
                0.0
            } else {
                hits as f64 / count as f64
            },
        })
        .collect()
}

#[cfg(test)]
mod categorical_tests {
    use super::*;

    #[test]
    fn scores_by_hand() {
        let f = CategoricalForecast {
            probabilities: vec![0.5, 0.3, 0.2],
            actual: 1,
        };
        assert!((f.brier() - (0.25 + 0.49 + 0.04)).abs() < 1e-12);
        assert!((f.log_score() - 0.3f64.ln()).abs() < 1e-12);
        assert_eq!(f.rank(), 2);
        let miss = CategoricalForecast::certain(3, 0, 2);
        assert!((miss.brier() - 2.0).abs() < 1e-12);
        assert!((miss.log_score() - LOG_SCORE_FLOOR.ln()).abs() < 1e-12);
        let s = summarise_categorical(&[f, miss]);
        assert!((s.rank_one_rate - 0.0).abs() < 1e-12);
        assert!((s.mean_probability_of_actual - 0.15).abs() < 1e-12);
    }

    #[test]
    fn reliability_counts_every_outcome_once() {
        let f = CategoricalForecast {
            probabilities: vec![0.95, 0.05],
            actual: 0,
        };
        let table = reliability(&[f.clone(), f], 10);
        assert_eq!(table.iter().map(|b| b.forecasts).sum::<usize>(), 4);
        assert!((table[9].observed - 1.0).abs() < 1e-12);
        assert!((table[0].observed - 0.0).abs() < 1e-12);
    }
}
