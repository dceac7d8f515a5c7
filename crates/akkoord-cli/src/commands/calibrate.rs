//! `akkoord calibrate`: reads a library of cases, runs the engine's calibration
//! (`akkoord_core::calibration`) and prints or writes what it found.

use std::io::{IsTerminal, Write};
use std::path::Path;

use akkoord_core::calibration::{
    self, Calibration, Case, Folds, Identification, ParameterValues, Scored, default_values,
};
use akkoord_core::models::consensus::PARAMETERS;
use akkoord_core::scenario::Scenario;
use akkoord_core::scoring::CategoricalSummary;
use akkoord_report::json::{ConsensusSettingsJson, OrderedMap};
use serde::Serialize;

use crate::Failure;
use crate::args::{BriefFormat, CalibrateArgs, ForecastSettings};
use crate::commands::forecast::scenario_files;
use crate::commands::report::{check_writable, write_whole};
use crate::commands::run::with_threads;
use crate::input::{Hindsight, display_name, load_as, print_problems, read_bounded};

/// The consensus parameters a command runs with: the shipped defaults or a parameters file,
/// then the flags.
#[derive(Clone, Debug)]
pub(crate) struct ModelParameters {
    /// Every parameter's value.
    pub(crate) values: ParameterValues,
    /// Sampling spread of calibrated parameters (not overridden by a flag).
    pub(crate) spread: Vec<(String, f64)>,
    /// The file's provenance.
    pub(crate) provenance: Vec<(String, String)>,
    /// `defaults`, or the file's name.
    pub(crate) source: String,
}

impl ModelParameters {
    /// The spread of every parameter, in the order of [`PARAMETERS`] (0: fixed).
    pub(crate) fn spread_values(&self) -> ParameterValues {
        PARAMETERS.map(|p| {
            self.spread
                .iter()
                .find(|(n, _)| n == p.name)
                .map_or(0.0, |(_, sd)| *sd)
        })
    }

    /// The settings as JSON outputs record them, with the rounds (`None` when each case
    /// has its own) and the deal window used.
    pub(crate) fn json(&self, rounds: Option<u32>, deal_window: u32) -> ConsensusSettingsJson {
        ConsensusSettingsJson {
            rounds,
            deal_window,
            parameters: PARAMETERS
                .iter()
                .zip(&self.values)
                .map(|(p, v)| (p.name.to_owned(), *v))
                .collect(),
            source: self.source.clone(),
            provenance: OrderedMap(self.provenance.clone()),
            spread: OrderedMap(self.spread.clone()),
        }
    }
}

/// Reads `--params` (printing its problems) and applies the flags.
pub(crate) fn model_parameters(
    settings: &ForecastSettings,
    stderr: &mut dyn Write,
) -> Result<ModelParameters, Failure> {
    let mut model = ModelParameters {
        values: default_values(),
        spread: Vec::new(),
        provenance: Vec::new(),
        source: "defaults".to_owned(),
    };
    let index = |name: &str| PARAMETERS.iter().position(|p| p.name == name);
    if let Some(path) = &settings.params_file {
        let name = display_name(path);
        let bytes = read_bounded(path).map_err(|e| {
            let _ = writeln!(stderr, "error: cannot read {name}: {e}");
            Failure::Invalid
        })?;
        let file = akkoord_io::params::read(&name, &bytes).map_err(|problems| {
            print_problems(&problems, stderr);
            let _ = writeln!(stderr, "{name}: {} error(s)", problems.len());
            Failure::Invalid
        })?;
        for (n, v) in &file.values {
            if let Some(i) = index(n) {
                model.values[i] = *v;
            }
        }
        model.spread = file.spread;
        model.provenance = file.provenance;
        model.source = name;
    }
    let flags = [
        ("lobbying", settings.lobbying),
        ("withdraw_share", settings.withdraw_share),
        ("nomination_share", settings.nomination_share),
    ];
    let flags = flags
        .into_iter()
        .filter_map(|(n, v)| v.map(|v| (n.to_owned(), v)))
        .chain(settings.params.iter().cloned());
    for (n, v) in flags {
        if let Some(i) = index(&n) {
            model.values[i] = v;
            // A value set by hand is not sampled.
            model.spread.retain(|(name, _)| *name != n);
        }
    }
    Ok(model)
}

/// Reads every case of the library, refusing hindsight; `None` (after printing why) when a
/// case cannot be read or scored.
pub(crate) fn read_library(
    path: &Path,
    stderr: &mut dyn Write,
) -> Result<Vec<(String, Scenario)>, Failure> {
    let files = scenario_files(path).map_err(|e| {
        let _ = writeln!(stderr, "error: cannot read {}: {e}", path.display());
        Failure::Invalid
    })?;
    let mut scenarios = Vec::new();
    let mut failed = false;
    for file in &files {
        match load_as(file, None, Hindsight::Refuse, stderr) {
            Ok(loaded) => match Case::new(&loaded.scenario, None) {
                Ok(_) => scenarios.push((file.display().to_string(), loaded.scenario)),
                Err(why) => {
                    let _ = writeln!(
                        stderr,
                        "error: cannot calibrate on {}: {why}",
                        file.display()
                    );
                    failed = true;
                }
            },
            Err(_) => failed = true,
        }
    }
    if failed {
        return Err(Failure::Invalid);
    }
    if scenarios.len() < 2 {
        let _ = writeln!(
            stderr,
            "error: calibration needs at least two cases with a known outcome in {}",
            path.display()
        );
        return Err(Failure::Invalid);
    }
    Ok(scenarios)
}

pub(crate) fn run(
    args: &CalibrateArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    if let Some(path) = &args.output {
        check_writable(path)?;
    }
    let library = read_library(&args.path, stderr)?;
    let cases: Vec<Case<'_>> = library
        .iter()
        .filter_map(|(_, s)| Case::new(s, None).ok())
        .collect();
    if let Folds::K(k) = args.folds
        && k > cases.len()
    {
        return Err(Failure::Usage(format!(
            "--folds {k} is more than the {} cases; use --folds loo",
            cases.len()
        )));
    }
    let settings = calibration::Settings {
        runs: usize::try_from(args.runs)
            .map_err(|_| Failure::Usage("--runs is too large for this machine".into()))?,
        seed: args.seed,
        folds: args.folds,
        max_iterations: args.max_iterations,
    };
    let talk = std::io::stderr().is_terminal();
    let progress = |message: &str| {
        if talk {
            // Progress goes to the terminal only, never into redirected diagnostics.
            #[allow(clippy::print_stderr)]
            {
                eprintln!("{message}");
            }
        }
    };
    let result = with_threads(args.threads, || {
        calibration::calibrate(&cases, settings, &progress)
    })?
    .map_err(|e| {
        let _ = writeln!(stderr, "error: {e}");
        Failure::Invalid
    })?;
    let provenance = provenance(args, &result, &library);
    if let Some(path) = &args.output {
        let file = akkoord_io::params::ParamsFile {
            values: PARAMETERS
                .iter()
                .zip(result.values())
                .map(|(p, v)| (p.name.to_owned(), v))
                .collect(),
            spread: result
                .parameters
                .iter()
                .filter(|p| p.identification == Identification::Fitted)
                .map(|p| (p.parameter.name.to_owned(), p.free_sd))
                .collect(),
            provenance: provenance.clone(),
        };
        write_whole(path, akkoord_io::params::write(&file).as_bytes()).map_err(|e| {
            Failure::Output(std::io::Error::new(
                e.kind(),
                format!("{}: {e}", path.display()),
            ))
        })?;
    }
    let text = match args.format {
        BriefFormat::Table | BriefFormat::Csv => table(&result, &library),
        BriefFormat::Json => {
            akkoord_report::json::to_string(&CalibrationJson::new(&result, &library, provenance))
        }
    };
    stdout.write_all(text.as_bytes())?;
    Ok(())
}

/// Where calibrated values come from, as the parameters file and JSON outputs record it.
fn provenance(
    args: &CalibrateArgs,
    c: &Calibration,
    library: &[(String, Scenario)],
) -> Vec<(String, String)> {
    let mut dates: Vec<&str> = library
        .iter()
        .filter_map(|(_, s)| s.meta.as_of.as_deref())
        .collect();
    dates.sort_unstable();
    let today = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs() / 86_400).unwrap_or(0));
    let folds = match c.settings.folds {
        Folds::LeaveOneOut => "loo".to_owned(),
        Folds::K(k) => k.to_string(),
    };
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
                "akkoord calibrate {} --folds {folds} --runs {} --seed {} --max-iterations {}",
                args.path.display(),
                c.settings.runs,
                c.settings.seed,
                c.settings.max_iterations
            ),
        ),
        ("library".to_owned(), args.path.display().to_string()),
        ("cases".to_owned(), c.cases.to_string()),
        (
            "cases_as_of".to_owned(),
            format!(
                "{} to {}",
                dates.first().unwrap_or(&"?"),
                dates.last().unwrap_or(&"?")
            ),
        ),
        ("created".to_owned(), akkoord_core::calendar::date(today)),
        (
            "out_of_sample".to_owned(),
            score(&c.calibrated.out_of_sample),
        ),
        ("in_sample".to_owned(), score(&c.calibrated.in_sample)),
        ("hand_set".to_owned(), score(&c.argued.out_of_sample)),
        ("naive_rule".to_owned(), score(&c.naive.out_of_sample)),
    ]
}

/// Scores as JSON.
#[derive(Debug, Serialize)]
struct ScoresJson {
    mean_log_score: f64,
    mean_brier: f64,
    rank_one_rate: f64,
    mean_probability_of_actual: f64,
}

impl From<&CategoricalSummary> for ScoresJson {
    fn from(s: &CategoricalSummary) -> Self {
        Self {
            mean_log_score: s.mean_log_score,
            mean_brier: s.mean_brier,
            rank_one_rate: s.rank_one_rate,
            mean_probability_of_actual: s.mean_probability_of_actual,
        }
    }
}

#[derive(Debug, Serialize)]
struct ForecasterJson {
    out_of_sample: ScoresJson,
    in_sample: ScoresJson,
}

impl From<&Scored> for ForecasterJson {
    fn from(s: &Scored) -> Self {
        Self {
            out_of_sample: (&s.out_of_sample).into(),
            in_sample: (&s.in_sample).into(),
        }
    }
}

#[derive(Debug, Serialize)]
struct ParameterJson {
    name: &'static str,
    argued: f64,
    default: f64,
    low: f64,
    high: f64,
    value: f64,
    /// `fitted`, `flat` or `unstable`.
    identified: &'static str,
    /// Largest minus smallest mean log score over the profile.
    objective_range: f64,
    fold_values: Vec<f64>,
    spread: f64,
}

#[derive(Debug, Serialize)]
struct CaseJson {
    file: String,
    /// Probability of what happened out of sample, with the hand-set values, by the naive rule.
    calibrated: f64,
    hand_set: f64,
    naive: f64,
}

/// The JSON output of `akkoord calibrate`.
#[derive(Debug, Serialize)]
struct CalibrationJson {
    schema_version: u32,
    runs: usize,
    seed: u64,
    folds: String,
    provenance: OrderedMap<String>,
    parameters: Vec<ParameterJson>,
    calibrated: ForecasterJson,
    hand_set: ForecasterJson,
    naive: ForecasterJson,
    cases: Vec<CaseJson>,
    case_forecasts: usize,
}

impl CalibrationJson {
    fn new(
        c: &Calibration,
        library: &[(String, Scenario)],
        provenance: Vec<(String, String)>,
    ) -> Self {
        Self {
            schema_version: akkoord_report::json::SCHEMA_VERSION,
            runs: c.settings.runs,
            seed: c.settings.seed,
            folds: match c.settings.folds {
                Folds::LeaveOneOut => "loo".to_owned(),
                Folds::K(k) => k.to_string(),
            },
            provenance: OrderedMap(provenance),
            parameters: c
                .parameters
                .iter()
                .map(|p| ParameterJson {
                    name: p.parameter.name,
                    argued: p.parameter.argued,
                    default: p.parameter.default,
                    low: p.parameter.low,
                    high: p.parameter.high,
                    value: p.value,
                    identified: match p.identification {
                        Identification::Fitted => "fitted",
                        Identification::Flat { .. } => "flat",
                        Identification::Unstable { .. } => "unstable",
                    },
                    objective_range: p.objective_range(),
                    fold_values: p.fold_values.clone(),
                    spread: p.free_sd,
                })
                .collect(),
            calibrated: (&c.calibrated).into(),
            hand_set: (&c.argued).into(),
            naive: (&c.naive).into(),
            cases: library
                .iter()
                .enumerate()
                .map(|(i, (file, _))| CaseJson {
                    file: file.clone(),
                    calibrated: c.calibrated.forecasts[i].probability_of_actual(),
                    hand_set: c.argued.forecasts[i].probability_of_actual(),
                    naive: c.naive.forecasts[i].probability_of_actual(),
                })
                .collect(),
            case_forecasts: c.case_forecasts,
        }
    }
}

fn table(c: &Calibration, library: &[(String, Scenario)]) -> String {
    let mut params = comfy_table::Table::new();
    params
        .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(vec![
            "parameter",
            "argued",
            "range",
            "calibrated",
            "fold fits (min-max)",
            "identified",
        ]);
    for p in &c.parameters {
        let (lo, hi) = p
            .fold_values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(*v), hi.max(*v))
            });
        params.add_row(vec![
            p.parameter.name.to_owned(),
            format!("{:.3}", p.parameter.argued),
            format!("{}-{}", p.parameter.low, p.parameter.high),
            format!("{:.3}", p.value),
            format!("{lo:.3}-{hi:.3}"),
            match p.identification {
                Identification::Fitted => "yes".to_owned(),
                Identification::Flat { objective_range } => {
                    format!("no: flat (log score moves {objective_range:.4})")
                }
                Identification::Unstable { spread } => {
                    format!(
                        "no: unstable across folds (sd {:.0}% of range)",
                        100.0 * spread
                    )
                }
            },
        ]);
    }
    let mut scores = comfy_table::Table::new();
    scores
        .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(vec![
            "forecaster",
            "log score (out)",
            "Brier (out)",
            "rank 1 (out)",
            "log score (in)",
            "Brier (in)",
            "rank 1 (in)",
        ]);
    let row = |who: &str, s: &Scored| {
        let cells = |x: &CategoricalSummary| {
            [
                format!("{:.3}", x.mean_log_score),
                format!("{:.3}", x.mean_brier),
                format!("{:.0}%", 100.0 * x.rank_one_rate),
            ]
        };
        let mut row = vec![who.to_owned()];
        row.extend(cells(&s.out_of_sample));
        row.extend(cells(&s.in_sample));
        row
    };
    scores.add_row(row("calibrated", &c.calibrated));
    scores.add_row(row("hand-set (argued)", &c.argued));
    scores.add_row(row("naive rule", &c.naive));
    let mut cases = comfy_table::Table::new();
    cases
        .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(vec!["case", "calibrated (out)", "hand-set", "naive"]);
    for (i, (file, _)) in library.iter().enumerate() {
        let p = |s: &Scored| format!("{:.1}%", 100.0 * s.forecasts[i].probability_of_actual());
        cases.add_row(vec![
            Path::new(file)
                .file_name()
                .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned()),
            p(&c.calibrated),
            p(&c.argued),
            p(&c.naive),
        ]);
    }
    format!(
        "Calibration on {} case(s): {}, {} draws per case and parameter vector (common random numbers, seed {}), {} case forecasts\n\
         {params}\n\n\
         Scores (out: each case forecast by a fit that never saw it; in: fitted on every case)\n{scores}\n\n\
         Probability of what happened\n{cases}\n",
        c.cases,
        match c.settings.folds {
            Folds::LeaveOneOut => "leave one case out".to_owned(),
            Folds::K(k) => format!("{k} folds"),
        },
        c.settings.runs,
        c.settings.seed,
        c.case_forecasts,
    )
}
