//! Calibration of the consensus model on a library of cases whose outcome is known: the
//! engine's fit ([`akkoord_core::calibration`]) over scenarios the caller has loaded, with the
//! provenance that a parameters file and every output carry.

use akkoord_core::calibration::{self, Calibration, Case, Folds, Identification};
use akkoord_core::models::consensus::PARAMETERS;
use akkoord_core::scenario::Scenario;
use akkoord_core::scoring::CategoricalSummary;
use akkoord_io::params::ParamsFile;

use crate::{Error, draws, with_threads};

/// Settings of [`calibrate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CalibrateSettings {
    /// Cross-validation: leave one case out, or K folds.
    pub folds: Folds,
    /// Draws per case for every parameter vector tried (the same draws each time).
    pub runs: u64,
    /// Seed of the draws.
    pub seed: u64,
    /// Worker threads; `None`: all cores.
    pub threads: Option<u16>,
    /// Nelder–Mead iterations per fit at most.
    pub max_iterations: u64,
}

impl Default for CalibrateSettings {
    fn default() -> Self {
        Self {
            folds: Folds::LeaveOneOut,
            runs: 500,
            seed: 0,
            threads: None,
            max_iterations: 80,
        }
    }
}

/// A calibration with the names of its cases and where it came from.
#[derive(Clone, Debug)]
pub struct CalibrationResult {
    /// The fit, the identification of each parameter and the scores.
    pub calibration: Calibration,
    /// The cases' names (their files), in the library's order.
    pub cases: Vec<String>,
    /// Where the values came from: the command that reproduces them, the library, its
    /// dates, the day it ran and the scores, as a parameters file records it.
    pub provenance: Vec<(String, String)>,
}

impl CalibrationResult {
    /// The parameters file of this calibration: every value, the spread of the fitted ones
    /// and the provenance.
    pub fn parameters_file(&self) -> ParamsFile {
        ParamsFile {
            values: PARAMETERS
                .iter()
                .zip(self.calibration.values())
                .map(|(p, v)| (p.name.to_owned(), v))
                .collect(),
            spread: self
                .calibration
                .parameters
                .iter()
                .filter(|p| p.identification == Identification::Fitted)
                .map(|p| (p.parameter.name.to_owned(), p.free_sd))
                .collect(),
            provenance: self.provenance.clone(),
        }
    }
}

/// Calibrates the consensus model on `cases` (name, scenario), a library called `library`,
/// on the day `created` (YYYY-MM-DD, recorded in the provenance). Every case must be an
/// appointment with a known outcome; `progress` hears each stage.
pub fn calibrate(
    library: &str,
    cases: &[(String, Scenario)],
    settings: &CalibrateSettings,
    created: &str,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<CalibrationResult, Error> {
    let library_cases = cases
        .iter()
        .map(|(name, s)| {
            Case::new(s, None).map_err(|why| Error::NotACase {
                name: name.clone(),
                reason: why.to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if library_cases.len() < 2 {
        return Err(Error::TooFewCases {
            library: library.to_owned(),
            found: library_cases.len(),
        });
    }
    if let Folds::K(k) = settings.folds
        && k > library_cases.len()
    {
        return Err(Error::TooManyFolds {
            folds: k,
            cases: library_cases.len(),
        });
    }
    let engine = calibration::Settings {
        runs: draws(settings.runs)?,
        seed: settings.seed,
        folds: settings.folds,
        max_iterations: settings.max_iterations,
    };
    let fit = with_threads(settings.threads, || {
        calibration::calibrate(&library_cases, engine, progress)
    })?
    .map_err(|e| Error::Optimiser(e.to_string()))?;
    Ok(CalibrationResult {
        provenance: provenance(library, &fit, settings, cases, created),
        cases: cases.iter().map(|(name, _)| name.clone()).collect(),
        calibration: fit,
    })
}

/// Where calibrated values come from, as the parameters file and JSON outputs record it.
fn provenance(
    library: &str,
    c: &Calibration,
    settings: &CalibrateSettings,
    cases: &[(String, Scenario)],
    created: &str,
) -> Vec<(String, String)> {
    let mut dates: Vec<&str> = cases
        .iter()
        .filter_map(|(_, s)| s.meta.as_of.as_deref())
        .collect();
    dates.sort_unstable();
    let score = |s: &CategoricalSummary| {
        format!(
            "log score {:.3}, Brier {:.3}, rank 1 {:.0}%",
            s.mean_log_score,
            s.mean_brier,
            100.0 * s.rank_one_rate
        )
    };
    vec![
        (
            "command".to_owned(),
            format!(
                "akkoord calibrate {library} --folds {} --runs {} --seed {} --max-iterations {}",
                settings.folds, settings.runs, settings.seed, settings.max_iterations
            ),
        ),
        ("library".to_owned(), library.to_owned()),
        ("cases".to_owned(), c.cases.to_string()),
        (
            "cases_as_of".to_owned(),
            format!(
                "{} to {}",
                dates.first().unwrap_or(&"?"),
                dates.last().unwrap_or(&"?")
            ),
        ),
        ("created".to_owned(), created.to_owned()),
        (
            "out_of_sample".to_owned(),
            score(&c.calibrated.out_of_sample),
        ),
        ("in_sample".to_owned(), score(&c.calibrated.in_sample)),
        ("hand_set".to_owned(), score(&c.argued.out_of_sample)),
        ("naive_rule".to_owned(), score(&c.naive.out_of_sample)),
    ]
}
