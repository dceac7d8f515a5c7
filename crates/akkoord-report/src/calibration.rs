//! The result of a calibration as bytes: its JSON output type and the terminal tables.
//!
//! Built from the engine's [`Calibration`]; never runs a model.

use std::path::Path;

use akkoord_core::calibration::{Calibration, Folds, Identification, Scored};
use akkoord_core::scoring::CategoricalSummary;
use serde::Serialize;

use crate::json::{OrderedMap, SCHEMA_VERSION};

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
pub struct CalibrationOutput {
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

impl CalibrationOutput {
    /// The output of calibration `c` on the cases named `cases`, with its `provenance`.
    pub fn new(c: &Calibration, cases: &[String], provenance: Vec<(String, String)>) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            runs: c.settings.runs,
            seed: c.settings.seed,
            folds: c.settings.folds.to_string(),
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
            cases: cases
                .iter()
                .enumerate()
                .map(|(i, file)| CaseJson {
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

/// The terminal tables of calibration `c` on the cases named `cases`: the parameters, the
/// scores in and out of sample, and each case's probability of what happened.
pub fn table(c: &Calibration, cases: &[String]) -> String {
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
    let mut by_case = comfy_table::Table::new();
    by_case
        .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(vec!["case", "calibrated (out)", "hand-set", "naive"]);
    for (i, file) in cases.iter().enumerate() {
        let p = |s: &Scored| format!("{:.1}%", 100.0 * s.forecasts[i].probability_of_actual());
        by_case.add_row(vec![
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
         Probability of what happened\n{by_case}\n",
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
