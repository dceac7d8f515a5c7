//! Backtests: forecasts of cases whose outcome is known, scored against it beside a naive
//! baseline; and every issue model on the DEU table of EU decisions.

use akkoord_core::backtest::{self, AppointmentBacktest, ScoredCase, Unscorable};
use akkoord_core::models::baselines::UnweightedMean;
use akkoord_core::models::issue_model::{ISSUE_MODELS, IssueModel};
use akkoord_core::scenario::{ActorDraft, IssueDraft, PositionDraft, Scenario, ScenarioDraft};
use akkoord_core::scoring::{IssueBacktest, Prediction, score};
use akkoord_io::deu::{ACTORS, CouncilWeights, DeuIssue};
use rayon::prelude::*;

use crate::Error;
use crate::settings::ForecastSettings;

/// Why a case of an appointment backtest was not scored.
#[derive(Debug)]
pub enum CaseError {
    /// The scenario cannot be scored (no appointment, no known outcome).
    Unscorable(Unscorable),
    /// The forecast could not run.
    Forecast(Error),
}

impl std::fmt::Display for CaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unscorable(why) => why.fmt(f),
            Self::Forecast(e) => write!(f, "the forecast could not run: {e}"),
        }
    }
}

/// Forecasts the appointment of `s` and scores it against its known outcome; `label` names
/// the case in the results.
pub fn score_case(
    label: String,
    s: &Scenario,
    settings: &ForecastSettings,
) -> Result<ScoredCase, CaseError> {
    let (appointing, actual) = backtest::actual_outcome(s).map_err(CaseError::Unscorable)?;
    let result =
        crate::forecast::appointment(appointing, settings, &|_| {}).map_err(CaseError::Forecast)?;
    Ok(backtest::score_case(
        label,
        appointing,
        actual,
        &result.forecast,
    ))
}

/// The scores over the cases scored with `settings`.
pub fn summarise(cases: Vec<ScoredCase>, settings: &ForecastSettings) -> AppointmentBacktest {
    backtest::summarise_cases(cases, settings.appointment_runs(), settings.seed)
}

/// How DEU actors' capability is set.
#[derive(Clone, Debug, Default)]
pub enum Capability {
    /// Every actor has capability 1.
    #[default]
    Equal,
    /// Council voting weights of the period the proposal was introduced in; the Commission
    /// and the Parliament get `institution_weight` times the largest member state's.
    Council {
        /// The weights table.
        weights: CouncilWeights,
        /// The institutions' share of the largest member state's weight.
        institution_weight: f64,
    },
}

impl Capability {
    /// The institutions' weight when none is given: that of the largest member state.
    pub const INSTITUTION_WEIGHT: f64 = 1.0;

    /// The name in outputs.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Equal => "equal",
            Self::Council { .. } => "council",
        }
    }

    /// The capability of the actor `code` on a proposal introduced on `date`.
    fn of(&self, code: &str, date: Option<(u32, u32, u32)>) -> f64 {
        let Self::Council {
            weights,
            institution_weight,
        } = self
        else {
            return 1.0;
        };
        if code == "com" || code == "ep" {
            let largest = ACTORS[2..]
                .iter()
                .filter_map(|c| weights.weight(c, date))
                .fold(0.0, f64::max);
            return institution_weight * largest;
        }
        weights.weight(code, date).unwrap_or(0.0)
    }
}

/// Scores every issue model, the unweighted mean of the positions and the DEU reference point
/// on the scorable issues of a DEU table (an outcome and at least three actors with a
/// position and a salience). Each proposal becomes one scenario whose issues are the
/// proposal's issues, so the exchange model can trade across them.
pub fn deu(issues: &[DeuIssue], capability: &Capability) -> Result<IssueBacktest, Error> {
    let mut proposals: Vec<(&str, Vec<&DeuIssue>)> = Vec::new();
    for issue in issues.iter().filter(|i| !i.actors.is_empty()) {
        match proposals
            .iter_mut()
            .find(|(p, _)| *p == issue.proposal_number)
        {
            Some((_, list)) => list.push(issue),
            None => proposals.push((&issue.proposal_number, vec![issue])),
        }
    }
    let predicted: Vec<Result<Vec<(&'static str, Prediction)>, Error>> = proposals
        .par_iter()
        .map(|(proposal, list)| predict(proposal, list, capability))
        .collect();
    let mut predictions: Vec<(&str, Prediction)> = Vec::new();
    for p in predicted {
        predictions.extend(p?);
    }
    let models = std::iter::once(UnweightedMean.name())
        .chain(ISSUE_MODELS.iter().map(|m| m.name()))
        .chain([REFERENCE_POINT])
        .map(|m| {
            score(
                m,
                &predictions
                    .iter()
                    .filter(|(name, _)| *name == m)
                    .map(|(_, p)| p.clone())
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|s| s.overall.n > 0)
        .collect();
    Ok(IssueBacktest {
        scorable_issues: issues.iter().filter(|i| i.scorable()).count(),
        capability: capability.name(),
        models,
    })
}

/// The DEU experts' reference point, scored beside the models.
const REFERENCE_POINT: &str = "reference-point";

/// The scenario of one proposal: its issues with the actors that have a position and salience.
fn scenario(issues: &[&DeuIssue], capability: &Capability) -> ScenarioDraft {
    let date = issues.first().and_then(|i| i.introduced);
    let present: Vec<&str> = ACTORS
        .iter()
        .copied()
        .filter(|code| {
            issues
                .iter()
                .any(|i| i.actors.iter().any(|(c, _, _)| c == code))
        })
        .collect();
    ScenarioDraft {
        actors: present
            .iter()
            .map(|code| ActorDraft {
                id: (*code).to_owned(),
                capability: capability.of(code, date),
                ..ActorDraft::default()
            })
            .collect(),
        issues: issues
            .iter()
            .map(|i| IssueDraft {
                id: i.id.clone(),
                lower: Some(0.0),
                upper: Some(100.0),
                positions: i
                    .actors
                    .iter()
                    .map(|(code, x, s)| PositionDraft {
                        actor: (*code).to_owned(),
                        position: *x,
                        salience: *s,
                        ..PositionDraft::default()
                    })
                    .collect(),
                ..IssueDraft::default()
            })
            .collect(),
        ..ScenarioDraft::default()
    }
}

/// Predictions of every model for the scorable issues of one proposal, as `(model,
/// prediction)`.
fn predict(
    proposal: &str,
    issues: &[&DeuIssue],
    capability: &Capability,
) -> Result<Vec<(&'static str, Prediction)>, Error> {
    let s = akkoord_core::validate::validate(&scenario(issues, capability))
        .map_err(|diagnostics| Error::Proposal {
            proposal: proposal.to_owned(),
            reason: diagnostics
                .iter()
                .map(|d| format!("{}: {}", d.path, d.message))
                .collect::<Vec<_>>()
                .join("; "),
        })?
        .value;
    let models: Vec<(&'static str, Vec<Option<f64>>)> =
        std::iter::once(&UnweightedMean as &dyn IssueModel)
            .chain(ISSUE_MODELS.iter().copied())
            .map(|m| (m.name(), m.predict(&s)))
            .collect();
    let mut out = Vec::new();
    for (k, issue) in issues.iter().enumerate() {
        let Some(actual) = issue.outcome.filter(|_| issue.scorable()) else {
            continue;
        };
        let case = |predicted: f64| Prediction {
            predicted,
            actual,
            groups: vec![
                ("procedure".to_owned(), issue.procedure.clone()),
                ("voting rule".to_owned(), issue.voting_rule.clone()),
            ],
        };
        for (name, predicted) in &models {
            if let Some(value) = predicted[k].filter(|v| v.is_finite()) {
                out.push((*name, case(value)));
            }
        }
        if let Some(rp) = issue.reference_point {
            out.push((REFERENCE_POINT, case(rp)));
        }
    }
    Ok(out)
}
