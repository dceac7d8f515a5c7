//! Load and validate one scenario from the bytes of any input format, and convert it; read a
//! parameters file.

use akkoord_core::diag::{Severity, Topic};
use akkoord_core::scenario::Scenario;
use akkoord_io::file_v1::ScenarioFile;
use akkoord_io::{InputFormat, Loaded, Problem};

use crate::Error;
use crate::settings::ModelParameters;

/// What a source dated after the scenario's `as_of` is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Hindsight {
    /// A warning: a forecast may use what it likes.
    #[default]
    Warn,
    /// An error: a backtest case must hold only what was known on its date.
    Refuse,
}

/// Settings of [`load`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadSettings {
    /// The format; `None`: recognised from the content.
    pub format: Option<InputFormat>,
    /// What a source dated after `as_of` is.
    pub hindsight: Hindsight,
    /// The date to take the scenario as of (its base and the events dated on or before it;
    /// sources dated after it are hindsight); `None`: the scenario's own `as_of`.
    pub as_of: Option<String>,
}

/// Reads and validates the scenario in `bytes`, named `name` in messages. The warnings come
/// back with it, for the caller to show.
pub fn load(name: &str, bytes: &[u8], settings: &LoadSettings) -> Result<Loaded, Error> {
    let refused =
        |p: &Problem| settings.hindsight == Hindsight::Refuse && p.topic == Topic::Hindsight;
    match akkoord_io::load_as_of(name, bytes, settings.format, settings.as_of.as_deref()) {
        Ok(loaded) if !loaded.warnings.iter().any(refused) => Ok(loaded),
        Ok(loaded) => {
            let problems: Vec<Problem> = loaded
                .warnings
                .into_iter()
                .map(|mut p| {
                    if refused(&p) {
                        p.severity = Severity::Error;
                    }
                    p
                })
                .collect();
            Err(Error::Hindsight {
                name: name.to_owned(),
                late: problems.iter().filter(|p| refused(p)).count(),
                problems,
            })
        }
        Err(problems) => Err(Error::Invalid {
            name: name.to_owned(),
            problems,
        }),
    }
}

/// Refuses a scenario with issue saliences above 1 (possible in Decide files) for the models
/// that read a salience as a probability or a share of attention (`model` names them).
pub fn require_unit_saliences(s: &Scenario, model: &'static str) -> Result<(), Error> {
    let above = s
        .issues
        .iter()
        .flat_map(|i| i.positions.iter().map(move |p| (i, p)))
        .find(|(_, p)| p.salience > 1.0);
    match above {
        None => Ok(()),
        Some((issue, p)) => Err(Error::SalienceAboveOne {
            model,
            actor: s.actor(p.actor).id.clone(),
            salience: p.salience,
            issue: issue.id.clone(),
        }),
    }
}

/// The formats a scenario converts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConvertTo {
    /// The native TOML scenario format.
    Toml,
    /// The same structure as JSON.
    Json,
}

/// The scenario `loaded` in the native format, as TOML or JSON text.
pub fn convert(loaded: &Loaded, to: ConvertTo) -> Result<String, Error> {
    let file = ScenarioFile::from_draft(&loaded.draft);
    match to {
        ConvertTo::Toml => toml::to_string(&file).map_err(|e| Error::Convert {
            format: "TOML",
            reason: e.to_string(),
        }),
        ConvertTo::Json => serde_json::to_string_pretty(&file)
            .map(|text| text + "\n")
            .map_err(|e| Error::Convert {
                format: "JSON",
                reason: e.to_string(),
            }),
    }
}

/// Reads a parameters file (written by `akkoord calibrate -o`) named `name` from `bytes`:
/// the values a forecast starts from, with their provenance and spread.
pub fn parameters(name: &str, bytes: &[u8]) -> Result<ModelParameters, Error> {
    akkoord_io::params::read(name, bytes)
        .map(|file| ModelParameters::from_file(name.to_owned(), &file))
        .map_err(|problems| Error::Invalid {
            name: name.to_owned(),
            problems,
        })
}
