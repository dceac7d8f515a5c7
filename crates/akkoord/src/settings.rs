//! The settings of every pipeline, each with its defaults defined once, here, from the
//! engine's published values. Front ends read the defaults from `Default` (the command line
//! shows them in `--help`) and never restate them.

use akkoord_core::calibration::{ParameterValues, default_values, params_with};
use akkoord_core::models::consensus::{ConsensusParams, PARAMETERS};
use akkoord_core::models::exchange::TieRule;
use akkoord_core::models::expected_utility::{EuConfig, Preset, Stopping};
use akkoord_core::models::issue_model::ISSUE_MODEL_ROUNDS;
use akkoord_core::scenario::{Deadline, Scenario};

use akkoord_core::models::consensus::Parameter;
use akkoord_io::params::ParamsFile;
use akkoord_report::json::{ConsensusSettingsJson, OrderedMap};

use crate::Error;

/// Settings of a forecast (appointment or continuous issues), of the appointment backtest and
/// of the report: the Monte Carlo and the consensus dynamics.
#[derive(Clone, Debug, PartialEq)]
pub struct ForecastSettings {
    /// Monte Carlo draws; `None`: [`Self::APPOINTMENT_RUNS`] for an appointment,
    /// [`Self::ISSUE_RUNS`] for continuous issues, one when no input is uncertain.
    pub runs: Option<u64>,
    /// Seed of the random streams; the same seed gives the same forecast on any thread count.
    pub seed: u64,
    /// Worker threads; `None`: all cores.
    pub threads: Option<u16>,
    /// Bargaining rounds before the fallback holds; `None`: the scenario's deadline, else
    /// [`Deadline::DEFAULT_ROUNDS`].
    pub rounds: Option<u32>,
    /// The consensus model's parameters: the shipped defaults, or a calibrated parameters
    /// file with its spread.
    pub model: ModelParameters,
    /// Holdouts sell their consent through side deals only in this many last rounds.
    pub deal_window: u32,
    /// Draws used to measure levers (common random numbers).
    pub lever_runs: u64,
    /// Parameters set by hand, by name (one of [`PARAMETERS`]), applied last over
    /// [`Self::model`]; a value set by hand is never sampled.
    pub params: Vec<(String, f64)>,
}

impl ForecastSettings {
    /// Draws of an appointment forecast when none are given.
    pub const APPOINTMENT_RUNS: u64 = 20_000;
    /// Draws of an issue forecast when none are given: each draw runs every model, and the
    /// exchange model alone takes milliseconds a draw.
    pub const ISSUE_RUNS: u64 = 1000;
    /// Lever draws when none are given.
    pub const LEVER_RUNS: u64 = 2000;

    /// The draws of an appointment forecast.
    pub fn appointment_runs(&self) -> u64 {
        self.runs.unwrap_or(Self::APPOINTMENT_RUNS)
    }

    /// The draws of a forecast of continuous issues: one when nothing in the scenario is
    /// uncertain (every draw would be the same).
    pub fn issue_runs(&self, s: &Scenario) -> u64 {
        if s.issues_are_uncertain() {
            self.runs.unwrap_or(Self::ISSUE_RUNS)
        } else {
            1
        }
    }

    /// The consensus model's parameters for scenario `s`: the model's values, these
    /// settings over them.
    pub fn consensus_params(&self, s: &Scenario) -> Result<ConsensusParams, Error> {
        self.params_with_rounds(
            self.rounds
                .unwrap_or_else(|| s.deadline.rounds_or_default()),
        )
    }

    fn params_with_rounds(&self, rounds: u32) -> Result<ConsensusParams, Error> {
        let mut p = params_with(rounds, &self.model.values);
        p.deal_window = self.deal_window;
        for (name, value) in &self.params {
            if !p.set(name, *value) {
                return Err(Error::UnknownParameter {
                    name: name.clone(),
                    expected: PARAMETERS
                        .iter()
                        .map(|p| p.name)
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        }
        Ok(p)
    }

    /// The sampling spread of every parameter in the order of [`PARAMETERS`] (0: fixed): the
    /// model's, except for the parameters set by hand.
    pub fn spread(&self) -> ParameterValues {
        let mut spread = self.model.spread;
        for (i, p) in PARAMETERS.iter().enumerate() {
            if self.params.iter().any(|(name, _)| name == p.name) {
                spread[i] = 0.0;
            }
        }
        spread
    }

    /// The consensus settings as JSON outputs record them; `rounds` is `None` where each case
    /// has its own (a backtest).
    pub fn consensus_json(&self, rounds: Option<u32>) -> Result<ConsensusSettingsJson, Error> {
        let params = self.params_with_rounds(rounds.unwrap_or(Deadline::DEFAULT_ROUNDS))?;
        let spread = self.spread();
        Ok(ConsensusSettingsJson {
            rounds,
            deal_window: params.deal_window,
            parameters: PARAMETERS
                .iter()
                .filter_map(|p| Some((p.name.to_owned(), params.get(p.name)?)))
                .collect(),
            source: self.model.source.clone(),
            provenance: OrderedMap(self.model.provenance.clone()),
            spread: PARAMETERS
                .iter()
                .zip(spread)
                .filter(|(_, sd)| *sd > 0.0)
                .map(|(p, sd)| (p.name.to_owned(), sd))
                .collect(),
        })
    }
}

/// The values of the consensus model's parameters a forecast starts from: the shipped
/// defaults, or those of a parameters file (written by a calibration) with its provenance and
/// the spread each draw samples them from.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelParameters {
    /// Every parameter's value, in the order of [`PARAMETERS`].
    pub values: ParameterValues,
    /// The sampling spread of each parameter (standard deviation in logit coordinates of its
    /// range), in the order of [`PARAMETERS`]; 0 keeps it fixed.
    pub spread: ParameterValues,
    /// Where the values came from (command, library, scores), as the file says.
    pub provenance: Vec<(String, String)>,
    /// `defaults`, or the parameters file's name.
    pub source: String,
}

impl ModelParameters {
    /// The values of a parameters file called `source`; parameters it does not name keep
    /// their shipped defaults.
    pub fn from_file(source: String, file: &ParamsFile) -> Self {
        let named = |list: &[(String, f64)], p: &Parameter| {
            list.iter().find(|(n, _)| n == p.name).map(|(_, v)| *v)
        };
        let mut model = Self {
            source,
            provenance: file.provenance.clone(),
            ..Self::default()
        };
        for (i, p) in PARAMETERS.iter().enumerate() {
            model.values[i] = named(&file.values, p).unwrap_or(p.default);
            model.spread[i] = named(&file.spread, p).unwrap_or(0.0);
        }
        model
    }
}

impl Default for ModelParameters {
    fn default() -> Self {
        Self {
            values: default_values(),
            spread: [0.0; PARAMETERS.len()],
            provenance: Vec::new(),
            source: "defaults".to_owned(),
        }
    }
}

impl Default for ForecastSettings {
    fn default() -> Self {
        let published = ConsensusParams::published(Deadline::DEFAULT_ROUNDS);
        Self {
            runs: None,
            seed: 0,
            threads: None,
            rounds: None,
            model: ModelParameters::default(),
            deal_window: published.deal_window,
            lever_runs: Self::LEVER_RUNS,
            params: Vec::new(),
        }
    }
}

/// Settings of a run of the exchange model.
#[derive(Clone, Debug, PartialEq)]
pub struct ExchangeSettings {
    /// Rounds to run.
    pub rounds: u32,
    /// How ties between equal gains are broken.
    pub ties: TieRule,
    /// Randomized Equal Gain: the size of the random variation of exchange rates, 0..=1
    /// (0: plain Equal Gain).
    pub p: f64,
    /// Independent repetitions.
    pub repetitions: u32,
    /// Seed of the random streams.
    pub seed: u64,
    /// Worker threads; `None`: all cores.
    pub threads: Option<u16>,
    /// Whether trades record their effect on every actor (one value per actor and trade).
    pub externalities: bool,
}

impl Default for ExchangeSettings {
    fn default() -> Self {
        Self {
            rounds: ISSUE_MODEL_ROUNDS,
            ties: TieRule::Canonical,
            p: 0.0,
            repetitions: 1,
            seed: 0,
            threads: None,
            externalities: false,
        }
    }
}

/// Settings of a run of the expected-utility model.
#[derive(Clone, Debug, PartialEq)]
pub struct BdmSettings {
    /// The published variant.
    pub preset: Preset,
    /// Exactly this many rounds; `None`: until the median settles or cycles
    /// ([`Self::CONVERGENCE`]).
    pub rounds: Option<u32>,
    /// Seed of stochastic contests and salience shocks.
    pub seed: u64,
    /// Redraw each actor's salience with this probability before every round.
    pub salience_shock: Option<f64>,
    /// Probability that the status quo persists when nobody challenges.
    pub q: f64,
    /// Probability that an unchallenged change goes the actor's way.
    pub t: f64,
}

impl BdmSettings {
    /// When a run without a number of rounds stops.
    pub const CONVERGENCE: Stopping = Stopping::Convergence {
        epsilon: 0.005,
        patience: 2,
        max_rounds: 50,
    };
}

impl Default for BdmSettings {
    fn default() -> Self {
        let published = EuConfig::published(Preset::Scholz, Self::CONVERGENCE);
        Self {
            preset: published.preset,
            rounds: None,
            seed: published.seed,
            salience_shock: None,
            q: published.q,
            t: published.t,
        }
    }
}
