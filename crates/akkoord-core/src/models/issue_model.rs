//! The models of continuous issues as one type: every model that forecasts and backtests run
//! on an issue implements [`IssueModel`], and [`ISSUE_MODELS`] lists them in output order.
//!
//! A new model is one file (a type that implements [`IssueModel`]) and one line in
//! [`ISSUE_MODELS`]; the forecasts, the DEU backtest, every renderer and the JSON output pick
//! it up by its [`IssueModel::name`]. This module must never know a model by name.

use crate::models::{baselines, exchange, expected_utility};
use crate::scenario::{Issue, Scenario};

/// A model that predicts the outcome of each continuous issue of a scenario.
pub trait IssueModel: Sync {
    /// The model's name in every output (`compromise`, `expected-utility`, ...).
    fn name(&self) -> &'static str;

    /// The predicted outcome of every issue of `s`, in issue order: `None` where the model
    /// does not apply (such as the exchange model on a single issue).
    fn predict(&self, s: &Scenario) -> Vec<Option<f64>>;
}

/// The models run on continuous issues, in output order.
pub static ISSUE_MODELS: [&dyn IssueModel; 5] = [
    &baselines::Compromise,
    &baselines::WeightedMedian,
    &baselines::NashBargaining,
    &expected_utility::IssueForecast,
    &exchange::IssueForecast,
];

/// The rounds the dynamic models (expected utility, exchange) run in issue forecasts and
/// reports: those of the published runs.
pub const ISSUE_MODEL_ROUNDS: u32 = 10;

/// The positions on `issue` and their weights (capability × salience), in position order:
/// what the static models read.
pub fn positions_and_weights(s: &Scenario, issue: &Issue) -> (Vec<f64>, Vec<f64>) {
    issue
        .positions
        .iter()
        .map(|p| (p.position, s.actor(p.actor).capability * p.salience))
        .unzip()
}
