//! One run of a bargaining model: the exchange model (with randomized repetitions) or the
//! expected-utility model.

use akkoord_core::models::exchange::{self, ExchangeConfig, ExchangeRun, Externalities};
use akkoord_core::models::expected_utility::{self, EuConfig, EuRun, SalienceShock, Stopping};
use akkoord_core::scenario::{IssueId, Scenario};
use rayon::prelude::*;

use crate::settings::{BdmSettings, ExchangeSettings};
use crate::{Error, with_threads};

/// Runs the exchange model on `s` (named `name` in messages): one run per repetition, each on
/// its own random stream, in repetition order whatever the number of threads.
pub fn exchange(
    name: &str,
    s: &Scenario,
    settings: &ExchangeSettings,
) -> Result<Vec<ExchangeRun>, Error> {
    if s.issues.len() < 2 {
        return Err(Error::TooFewIssues {
            model: "exchange model",
            needs: "at least two issues",
            name: name.to_owned(),
            found: s.issues.len().to_string(),
        });
    }
    let config = ExchangeConfig {
        randomization: (settings.p > 0.0).then_some(settings.p),
        seed: settings.seed,
        externalities: if settings.externalities {
            Externalities::Record
        } else {
            Externalities::Skip
        },
        ..ExchangeConfig::equal_gain(settings.rounds, settings.ties)
    };
    with_threads(settings.threads, || {
        (0..u64::from(settings.repetitions))
            .into_par_iter()
            .map(|r| exchange::run(s, &config, r))
            .collect()
    })
}

/// Runs the expected-utility model on every issue of `s` (named `name` in messages).
pub fn expected_utility(
    name: &str,
    s: &Scenario,
    settings: &BdmSettings,
) -> Result<Vec<(IssueId, EuRun)>, Error> {
    if s.issues.is_empty() {
        return Err(Error::TooFewIssues {
            model: "expected-utility model",
            needs: "a continuous issue",
            name: name.to_owned(),
            found: "none".to_owned(),
        });
    }
    crate::load::require_unit_saliences(s, "expected-utility model")?;
    let config = EuConfig {
        preset: settings.preset,
        stopping: settings
            .rounds
            .map_or(BdmSettings::CONVERGENCE, Stopping::Rounds),
        q: settings.q,
        t: settings.t,
        salience_shock: settings
            .salience_shock
            .map(|probability| SalienceShock { probability }),
        seed: settings.seed,
    };
    Ok(expected_utility::run(s, &config))
}
