//! `akkoord backtest FILE --input-format deu`: every model on real EU decisions.
//!
//! Each proposal of the DEU table becomes one scenario whose issues are the proposal's issues,
//! so the exchange model can trade across them; every model predicts every issue, and the
//! predictions of the scorable issues (an outcome and at least three actors with a position and
//! a salience) are scored against the recorded outcome.

use std::io::Write;

use akkoord_core::montecarlo::{ISSUE_MODELS, issue_predictions};
use akkoord_core::scenario::{ActorDraft, IssueDraft, PositionDraft, ScenarioDraft};
use akkoord_core::scoring::{ModelScore, Prediction, score};
use akkoord_io::deu::{CouncilWeights, DeuIssue};
use rayon::prelude::*;
use serde::Serialize;

use crate::Failure;
use crate::args::{BacktestArgs, BriefFormat, CapabilityArg};
use crate::input::{print_problems, read_bounded};

fn read(path: &std::path::Path, stderr: &mut dyn Write) -> Result<Vec<u8>, Failure> {
    read_bounded(path).map_err(|e| {
        let _ = writeln!(stderr, "error: cannot read {}: {e}", path.display());
        Failure::Invalid
    })
}

/// The capability of an actor on a proposal introduced on `date`.
fn capability(
    weights: Option<&CouncilWeights>,
    institution: f64,
    code: &str,
    date: Option<(u32, u32, u32)>,
) -> f64 {
    let Some(weights) = weights else { return 1.0 };
    if code == "com" || code == "ep" {
        let largest = akkoord_io::deu::ACTORS[2..]
            .iter()
            .filter_map(|c| weights.weight(c, date))
            .fold(0.0, f64::max);
        return institution * largest;
    }
    weights.weight(code, date).unwrap_or(0.0)
}

/// The scenario of one proposal: its issues with the actors that have a position and salience.
fn scenario(
    issues: &[&DeuIssue],
    weights: Option<&CouncilWeights>,
    institution: f64,
) -> ScenarioDraft {
    let date = issues.first().and_then(|i| i.introduced);
    let present: Vec<&str> = akkoord_io::deu::ACTORS
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
                capability: capability(weights, institution, code, date),
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

/// Predictions of every model for the scorable issues of one proposal, as `(model, prediction)`.
fn predict(
    issues: &[&DeuIssue],
    weights: Option<&CouncilWeights>,
    institution: f64,
) -> Result<Vec<(&'static str, Prediction)>, String> {
    let draft = scenario(issues, weights, institution);
    let s = akkoord_core::validate::validate(&draft)
        .map_err(|d| format!("{d:?}"))?
        .value;
    let predicted = issue_predictions(&s);
    let mut out = Vec::new();
    for (k, issue) in issues.iter().enumerate() {
        let Some(actual) = issue.outcome.filter(|_| issue.scorable()) else {
            continue;
        };
        let groups = vec![
            ("procedure".to_owned(), issue.procedure.clone()),
            ("voting rule".to_owned(), issue.voting_rule.clone()),
        ];
        let case = |predicted: f64| Prediction {
            predicted,
            actual,
            groups: groups.clone(),
        };
        let mean = issue.actors.iter().map(|a| a.1).sum::<f64>() / issue.actors.len() as f64;
        out.push(("mean", case(mean)));
        for (m, name) in ISSUE_MODELS.iter().enumerate() {
            if predicted[k][m].is_finite() {
                out.push((name, case(predicted[k][m])));
            }
        }
        if let Some(rp) = issue.reference_point {
            out.push(("reference-point", case(rp)));
        }
    }
    Ok(out)
}

#[derive(Serialize)]
struct Output {
    schema_version: u32,
    cases: usize,
    capability: &'static str,
    models: Vec<ModelJson>,
}

#[derive(Serialize)]
struct ModelJson {
    model: String,
    n: usize,
    mae: f64,
    sd: f64,
    median: f64,
    by: Vec<GroupJson>,
}

#[derive(Serialize)]
struct GroupJson {
    dimension: String,
    value: String,
    n: usize,
    mae: f64,
}

/// The models in output order.
const MODELS: [&str; 7] = [
    "mean",
    "compromise",
    "median",
    "nash",
    "expected-utility",
    "exchange",
    "reference-point",
];

pub(crate) fn backtest(
    args: &BacktestArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    if args.svg.is_some() {
        return Err(Failure::Usage(
            "--svg draws the reliability of appointment cases; a DEU table has none".into(),
        ));
    }
    let name = args.path.display().to_string();
    let bytes = read(&args.path, stderr)?;
    let issues = akkoord_io::deu::read(&name, &bytes).map_err(|problems| {
        print_problems(&problems, stderr);
        let _ = writeln!(stderr, "{name}: {} error(s)", problems.len());
        Failure::Invalid
    })?;
    let weights = match (args.capability, &args.council_weights) {
        (CapabilityArg::Equal, _) => None,
        (CapabilityArg::Council, None) => {
            return Err(Failure::Usage(
                "--capability council needs --council-weights FILE".into(),
            ));
        }
        (CapabilityArg::Council, Some(path)) => {
            let bytes = read(path, stderr)?;
            Some(
                CouncilWeights::read(&path.display().to_string(), &bytes).map_err(|problems| {
                    print_problems(&problems, stderr);
                    Failure::Invalid
                })?,
            )
        }
    };
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
    let results: Vec<Result<Vec<(&str, Prediction)>, String>> = proposals
        .par_iter()
        .map(|(_, list)| predict(list, weights.as_ref(), args.institution_weight))
        .collect();
    let mut predictions: Vec<(&str, Prediction)> = Vec::new();
    for (result, (proposal, _)) in results.into_iter().zip(&proposals) {
        match result {
            Ok(p) => predictions.extend(p),
            Err(why) => {
                let _ = writeln!(
                    stderr,
                    "error: proposal {proposal} could not be modelled: {why}"
                );
                return Err(Failure::Invalid);
            }
        }
    }
    let scores: Vec<ModelScore> = MODELS
        .iter()
        .map(|m| {
            score(
                m,
                &predictions
                    .iter()
                    .filter(|(name, _)| name == m)
                    .map(|(_, p)| p.clone())
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|s| s.overall.n > 0)
        .collect();
    let out = output(
        issues.iter().filter(|i| i.scorable()).count(),
        args.capability,
        &scores,
    );
    let text = match args.format {
        BriefFormat::Json => akkoord_report::json::to_string(&out),
        BriefFormat::Table => table(&out),
        BriefFormat::Csv => akkoord_report::csv_out::rows(
            &["model", "n", "mae", "sd", "median"],
            out.models.iter().map(|m| {
                vec![
                    m.model.clone(),
                    m.n.to_string(),
                    m.mae.to_string(),
                    m.sd.to_string(),
                    m.median.to_string(),
                ]
            }),
        ),
    };
    stdout.write_all(text.as_bytes())?;
    Ok(())
}

/// The output of the scores of every model.
fn output(cases: usize, capability: CapabilityArg, scores: &[ModelScore]) -> Output {
    Output {
        schema_version: akkoord_report::json::SCHEMA_VERSION,
        cases,
        capability: match capability {
            CapabilityArg::Equal => "equal",
            CapabilityArg::Council => "council",
        },
        models: scores
            .iter()
            .map(|s| ModelJson {
                model: s.model.clone(),
                n: s.overall.n,
                mae: s.overall.mae,
                sd: s.overall.sd,
                median: s.overall.median,
                by: s
                    .by_group
                    .iter()
                    .map(|((d, v), e)| GroupJson {
                        dimension: d.clone(),
                        value: v.clone(),
                        n: e.n,
                        mae: e.mae,
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn table(out: &Output) -> String {
    let mut groups: Vec<(String, String)> = Vec::new();
    for m in &out.models {
        for g in &m.by {
            if !groups
                .iter()
                .any(|(d, v)| *d == g.dimension && *v == g.value)
            {
                groups.push((g.dimension.clone(), g.value.clone()));
            }
        }
    }
    let mut header = vec![
        "model".to_owned(),
        "n".into(),
        "MAE".into(),
        "sd".into(),
        "median AE".into(),
    ];
    header.extend(groups.iter().map(|(_, v)| format!("MAE {v}")));
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(header);
    for m in &out.models {
        let mut row = vec![
            m.model.clone(),
            m.n.to_string(),
            format!("{:.2}", m.mae),
            format!("{:.2}", m.sd),
            format!("{:.2}", m.median),
        ];
        row.extend(groups.iter().map(|(d, v)| {
            m.by.iter()
                .find(|g| g.dimension == *d && g.value == *v)
                .map_or_else(String::new, |g| format!("{:.2} ({})", g.mae, g.n))
        }));
        t.add_row(row);
    }
    format!(
        "DEU backtest: {} scorable issues, capability {}; absolute error on the 0-100 scale\n{t}\n",
        out.cases, out.capability
    )
}
