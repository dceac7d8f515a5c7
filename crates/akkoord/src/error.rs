//! The one error type of the library.

use akkoord_io::Problem;

/// What stopped a pipeline.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is invalid: every problem found, located in the source, errors first.
    #[error("{name}: {} error(s)", errors(problems))]
    Invalid {
        /// How the input is named.
        name: String,
        /// The problems, as `miette` diagnostics.
        problems: Vec<Problem>,
    },
    /// A backtest case cites sources dated after its `as_of`.
    #[error(
        "{name}: {late} source(s) dated after as_of; a backtest case may hold only what was known on its date"
    )]
    Hindsight {
        /// How the input is named.
        name: String,
        /// How many sources are late.
        late: usize,
        /// Every problem, the late sources as errors.
        problems: Vec<Problem>,
    },
    /// A model that reads saliences as shares met a salience above 1 (a Decide file on the
    /// 0-100 scale).
    #[error(
        "the {model} needs saliences in 0..1, but {actor} has salience {salience} on \"{issue}\"; divide the saliences by 100"
    )]
    SalienceAboveOne {
        /// The model or pipeline.
        model: &'static str,
        /// The actor's id.
        actor: String,
        /// Its salience.
        salience: f64,
        /// The issue's id.
        issue: String,
    },
    /// The model needs more continuous issues than the scenario has.
    #[error("the {model} needs {needs}; {name} has {found}")]
    TooFewIssues {
        /// The model.
        model: &'static str,
        /// What it needs, in words.
        needs: &'static str,
        /// How the input is named.
        name: String,
        /// The issues it has, in words.
        found: String,
    },
    /// A consensus-model parameter that does not exist.
    #[error("unknown parameter \"{name}\", expected one of {expected}")]
    UnknownParameter {
        /// The name given.
        name: String,
        /// The names there are.
        expected: String,
    },
    /// A DEU proposal whose scenario the engine refused (a defect of the conversion).
    #[error("proposal {proposal} could not be modelled: {reason}")]
    Proposal {
        /// The proposal number.
        proposal: String,
        /// The engine's diagnostics, in words.
        reason: String,
    },
    /// A scenario could not be written in the format asked for.
    #[error("cannot write {format}: {reason}")]
    Convert {
        /// `TOML` or `JSON`.
        format: &'static str,
        /// Why.
        reason: String,
    },
    /// The thread pool could not start.
    #[error("cannot start {threads} threads: {reason}")]
    Threads {
        /// Threads asked for.
        threads: u16,
        /// Why not.
        reason: String,
    },
    /// A calibration case that is not an appointment with a known outcome.
    #[error("cannot calibrate on {name}: {reason}")]
    NotACase {
        /// How the case is named.
        name: String,
        /// Why, in words.
        reason: String,
    },
    /// A calibration library with fewer than two cases.
    #[error("calibration needs at least two cases with a known outcome; {library} has {found}")]
    TooFewCases {
        /// How the library is named.
        library: String,
        /// Cases found.
        found: usize,
    },
    /// More cross-validation folds than cases.
    #[error("{folds} folds are more than the {cases} cases; use leave-one-out (--folds loo)")]
    TooManyFolds {
        /// Folds asked for.
        folds: usize,
        /// Cases there are.
        cases: usize,
    },
    /// The optimiser failed (it cannot on a well-formed objective); the engine's words.
    #[error("{0}")]
    Optimiser(String),
    /// More draws than this machine can count.
    #[error("{runs} draws are too many for this machine")]
    TooManyRuns {
        /// Draws asked for.
        runs: u64,
    },
}

fn errors(problems: &[Problem]) -> usize {
    problems
        .iter()
        .filter(|p| p.severity == akkoord_core::diag::Severity::Error)
        .count()
}

impl Error {
    /// Whether the error lies in the settings asked for rather than in the input (a usage
    /// error: exit code 2 on the command line).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Self::Threads { .. }
                | Self::TooManyRuns { .. }
                | Self::UnknownParameter { .. }
                | Self::TooManyFolds { .. }
                | Self::Convert { .. }
        )
    }

    /// The located problems of invalid input, for the front end to show.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Self::Invalid { problems, .. } | Self::Hindsight { problems, .. } => problems,
            _ => &[],
        }
    }
}
