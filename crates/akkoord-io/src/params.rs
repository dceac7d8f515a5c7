//! The parameters file: values of the consensus model's parameters ([`PARAMETERS`]), with
//! where they came from and, when calibrated, their sampling spread. `akkoord calibrate -o`
//! writes it; `--params` reads it.
//!
//! ```toml
//! format = 1
//!
//! [provenance]            # free text, carried into every JSON output's settings
//! command = "akkoord calibrate cases/ --folds loo"
//!
//! [parameters]            # any of PARAMETERS, each inside its range
//! lobbying = 0.41
//!
//! [spread]                # optional: sd of each fitted value in logit coordinates
//! lobbying = 0.2
//! ```
//!
//! **Invariant:** every unknown name, out-of-range or non-finite value is a [`Problem`] placed
//! at its line and column; nothing is defaulted silently. This module never opens files.

use std::sync::Arc;

use akkoord_core::diag::{FieldPath, Severity, Topic};
use akkoord_core::models::consensus::{PARAMETERS, Parameter};
use miette::NamedSource;
use toml::de::DeTable;

use crate::Problem;
use crate::spans::SpanMap;

/// The version of the parameters file this crate reads and writes.
pub const PARAMS_FORMAT: i64 = 1;

/// A parameters file, read and checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParamsFile {
    /// Values by parameter name, in the order of [`PARAMETERS`].
    pub values: Vec<(String, f64)>,
    /// Sampling spread by parameter name (standard deviation in logit coordinates of the
    /// parameter's range), in the order of [`PARAMETERS`].
    pub spread: Vec<(String, f64)>,
    /// Where the values came from, as written (values as text), in the file's order.
    pub provenance: Vec<(String, String)>,
}

/// The parameter called `name`.
fn parameter(name: &str) -> Option<&'static Parameter> {
    PARAMETERS.iter().find(|p| p.name == name)
}

fn names() -> String {
    PARAMETERS
        .iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a parameters file named `name` from `bytes`; every problem, located.
pub fn read(name: &str, bytes: &[u8]) -> Result<ParamsFile, Vec<Problem>> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let source = Arc::new(NamedSource::new(name, text.clone()).with_language("toml"));
    let problem = |message: String, span: Option<std::ops::Range<usize>>, hint: Option<String>| {
        Problem {
            severity: Severity::Error,
            message,
            span,
            hints: hint.into_iter().collect(),
            source: Arc::clone(&source),
            topic: Topic::General,
        }
        .clipped()
    };
    if std::str::from_utf8(bytes).is_err() {
        return Err(vec![problem(
            "a parameters file must be UTF-8 text".into(),
            None,
            None,
        )]);
    }
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        vec![problem(
            e.message().trim().to_owned(),
            e.span(),
            Some("see docs/calibration.md for the parameters file".into()),
        )]
    })?;
    let mut spans = SpanMap::default();
    if let Ok(parsed) = DeTable::parse(&text) {
        crate::toml_file::collect_table(parsed.get_ref(), &FieldPath::root(), &mut spans);
    }
    let at = |path: FieldPath| spans.locate(&path);
    let root = FieldPath::root();
    let mut problems = Vec::new();
    let mut file = ParamsFile::default();
    for (key, value) in &table {
        let here = at(root.key(key));
        match (key.as_str(), value) {
            ("format", toml::Value::Integer(PARAMS_FORMAT)) => {}
            ("format", _) => problems.push(problem(
                format!(
                    "this akkoord reads parameters format {PARAMS_FORMAT}, found format = {value}"
                ),
                here,
                Some(format!("write format = {PARAMS_FORMAT}")),
            )),
            ("provenance", toml::Value::Table(t)) => {
                file.provenance = t
                    .iter()
                    .map(|(k, v)| {
                        let text = match v {
                            toml::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        (k.clone(), text)
                    })
                    .collect();
            }
            ("parameters" | "spread", toml::Value::Table(t)) => {
                let spread = key == "spread";
                for (name, v) in t {
                    let here = at(root.key(key).key(name));
                    match check(name, v, spread) {
                        Ok(x) if spread => file.spread.push((name.clone(), x)),
                        Ok(x) => file.values.push((name.clone(), x)),
                        Err((message, hint)) => problems.push(problem(message, here, hint)),
                    }
                }
            }
            ("provenance" | "parameters" | "spread", _) => problems.push(problem(
                format!("{key} must be a table"),
                here,
                Some(format!("write [{key}] on a line of its own")),
            )),
            _ => problems.push(problem(
                format!("unknown field \"{key}\" in a parameters file"),
                here,
                Some(
                    "a parameters file holds format, [provenance], [parameters] and [spread]"
                        .into(),
                ),
            )),
        }
    }
    if !table.contains_key("format") {
        problems.push(problem(
            "the parameters file does not say its format".into(),
            None,
            Some(format!("start the file with format = {PARAMS_FORMAT}")),
        ));
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.span.as_ref().map_or(0, |s| s.start));
        return Err(problems);
    }
    in_parameter_order(&mut file.values);
    in_parameter_order(&mut file.spread);
    Ok(file)
}

fn in_parameter_order(list: &mut [(String, f64)]) {
    list.sort_by_key(|(n, _)| PARAMETERS.iter().position(|p| p.name == n));
}

/// Checks one entry of `[parameters]` (or of `[spread]` when `spread`).
fn check(name: &str, value: &toml::Value, spread: bool) -> Result<f64, (String, Option<String>)> {
    let Some(p) = parameter(name) else {
        let close = PARAMETERS
            .iter()
            .map(|p| (strsim::levenshtein(name, p.name), p.name))
            .min_by_key(|(d, _)| *d)
            .filter(|(d, _)| *d <= 3)
            .map(|(_, n)| format!("did you mean {n}? "))
            .unwrap_or_default();
        return Err((
            format!("unknown parameter \"{name}\""),
            Some(format!("{close}the parameters are {}", names())),
        ));
    };
    let x = match value {
        toml::Value::Float(x) => *x,
        #[allow(clippy::cast_precision_loss)] // a parameter is a small number
        toml::Value::Integer(i) => *i as f64,
        other => {
            return Err((format!("{name} must be a number, found {other}"), None));
        }
    };
    if !x.is_finite() {
        return Err((format!("{name} must be a finite number, found {x}"), None));
    }
    if spread {
        if x < 0.0 {
            return Err((
                format!("the spread of {name} must be at least 0, found {x}"),
                None,
            ));
        }
    } else if x < p.low || x > p.high {
        return Err((
            format!("{name} = {x} is outside its range {} to {}", p.low, p.high),
            Some("docs/models/consensus.md argues each parameter's range".into()),
        ));
    }
    Ok(x)
}

/// Writes a parameters file (the format [`read`] reads).
pub fn write(file: &ParamsFile) -> String {
    let mut table = toml::Table::new();
    table.insert("format".into(), toml::Value::Integer(PARAMS_FORMAT));
    let mut provenance = toml::Table::new();
    for (k, v) in &file.provenance {
        provenance.insert(k.clone(), toml::Value::String(v.clone()));
    }
    let numbers = |list: &[(String, f64)]| {
        let mut t = toml::Table::new();
        for (k, v) in list {
            t.insert(k.clone(), toml::Value::Float(*v));
        }
        t
    };
    table.insert("provenance".into(), toml::Value::Table(provenance));
    table.insert(
        "parameters".into(),
        toml::Value::Table(numbers(&file.values)),
    );
    if !file.spread.is_empty() {
        table.insert("spread".into(), toml::Value::Table(numbers(&file.spread)));
    }
    format!(
        "# Parameters of the consensus model (docs/calibration.md). [spread]: the sampling sd of\n\
         # each fitted value in logit coordinates of its range; forecasts draw the parameters from it.\n{}",
        toml::to_string(&table).unwrap_or_default()
    )
}
