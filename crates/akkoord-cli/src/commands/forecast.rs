//! `akkoord forecast` and `akkoord backtest`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use akkoord_core::models::consensus::{ConsensusParams, consensus_map};
use akkoord_core::montecarlo::{self, AppointmentForecast, McConfig};
use akkoord_core::scenario::{KnownOutcome, Scenario};
use akkoord_report::json::{self, ForecastOutput, IssueForecastOutput};
use akkoord_report::table;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::Failure;
use crate::args::{BacktestArgs, BriefFormat, ForecastArgs, ForecastSettings};
use crate::commands::run::with_threads;
use crate::input::load;

/// Appointment draws above which a progress bar is worth showing (about a second).
const PROGRESS_FROM: u64 = 200_000;
/// Issue draws above which a progress bar is worth showing: each runs every model.
const ISSUE_PROGRESS_FROM: u64 = 500;

fn progress_bar(total: u64, from: u64) -> ProgressBar {
    if total < from || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {pos}/{len} draws {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
}

pub(crate) fn params(s: &Scenario, settings: &ForecastSettings) -> ConsensusParams {
    let mut p = ConsensusParams::published(settings.rounds.or(s.deadline.rounds).unwrap_or(12));
    p.lobbying = settings.lobbying;
    p.withdraw_share = settings.withdraw_share;
    p.nomination_share = settings.nomination_share;
    p.deal_window = settings.deal_window;
    for (name, value) in &settings.params {
        p.set(name, *value);
    }
    p
}

fn runs(settings: &ForecastSettings) -> Result<usize, Failure> {
    usize::try_from(settings.runs)
        .map_err(|_| Failure::Usage("--runs is too large for this machine".into()))
}

/// The appointment forecast of a scenario.
pub(crate) fn appointment(
    s: &Scenario,
    settings: &ForecastSettings,
) -> Result<AppointmentForecast, Failure> {
    let runs = runs(settings)?;
    let bar = progress_bar(settings.runs, PROGRESS_FROM);
    let params = params(s, settings);
    let lever_runs = usize::try_from(settings.lever_runs).unwrap_or(usize::MAX);
    let forecast = with_threads(settings.threads, || {
        montecarlo::forecast_appointment(
            s,
            &params,
            McConfig {
                runs,
                seed: settings.seed,
            },
            lever_runs,
            &|n| bar.inc(n as u64),
        )
    })?;
    bar.finish_and_clear();
    Ok(forecast)
}

pub(crate) fn forecast(
    args: &ForecastArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    let loaded = load(&args.file, args.input.input_format, stderr)?;
    let s = &loaded.scenario;
    crate::input::require_unit_saliences(s, "forecast", stderr)?;
    let text = if s.appointment.is_some() {
        let f = appointment(s, &args.settings)?;
        let out = ForecastOutput::new(s, &f, &consensus_map(s, &params(s, &args.settings)));
        match args.format {
            BriefFormat::Json => json::to_string(&out),
            BriefFormat::Table => table::forecast(s, &out),
            BriefFormat::Csv => akkoord_report::csv_out::forecast(&out),
        }
    } else {
        let runs = usize::try_from(args.settings.issue_runs)
            .map_err(|_| Failure::Usage("--issue-runs is too large for this machine".into()))?;
        let bar = progress_bar(args.settings.issue_runs, ISSUE_PROGRESS_FROM);
        let config = McConfig {
            runs,
            seed: args.settings.seed,
        };
        let forecasts = with_threads(args.settings.threads, || {
            montecarlo::forecast_issues(s, config, &|n| bar.inc(n as u64))
        })?;
        bar.finish_and_clear();
        let out = IssueForecastOutput::new(s, runs, args.settings.seed, &forecasts);
        match args.format {
            BriefFormat::Json => json::to_string(&out),
            BriefFormat::Table => table::issue_forecast(&out),
            BriefFormat::Csv => akkoord_report::csv_out::issue_forecast(&out),
        }
    };
    stdout.write_all(text.as_bytes())?;
    Ok(())
}

/// One scored case.
#[derive(Debug, Serialize)]
struct Case {
    file: String,
    title: String,
    actual: String,
    probability: f64,
    rank: usize,
    brier: f64,
    naive: Naive,
}

/// The naive baseline's score on a case.
#[derive(Debug, Serialize)]
struct Naive {
    prediction: String,
    hit: bool,
    brier: f64,
}

#[derive(Debug, Serialize)]
struct BacktestOutput {
    schema_version: u32,
    runs: u64,
    seed: u64,
    cases: Vec<Case>,
    mean_brier: f64,
    naive_mean_brier: f64,
}

fn scenario_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// Scores one case, or says why it cannot be scored.
fn score(path: &Path, s: &Scenario, settings: &ForecastSettings) -> Result<Case, String> {
    let a = s
        .appointment
        .as_ref()
        .ok_or("it has no appointment; backtests score appointments")?;
    // Outcomes are indexed as the candidates, then no agreement, then a winner who was not
    // named on the as-of date.
    let no_agreement_index = a.candidates.len();
    let not_named_index = no_agreement_index + 1;
    let actual_index = match &s.outcome {
        Some(KnownOutcome::Candidate(c)) => c.index(),
        Some(KnownOutcome::NoAgreement) => no_agreement_index,
        Some(KnownOutcome::NotNamed) => not_named_index,
        _ => return Err("it records no known winner ([outcome] winner = ...)".into()),
    };
    let f = appointment(s, settings).map_err(|_| "the forecast could not run".to_owned())?;
    let mut probabilities: Vec<f64> = f.candidates.iter().map(|e| e.probability).collect();
    probabilities.push(f.no_agreement.probability);
    probabilities.push(f.not_named.probability);
    let p = probabilities[actual_index];
    let rank = 1 + probabilities.iter().filter(|q| **q > p).count();
    let brier = |predicted: &[f64]| -> f64 {
        predicted
            .iter()
            .enumerate()
            .map(|(o, q)| (q - if o == actual_index { 1.0 } else { 0.0 }).powi(2))
            .sum()
    };
    let naive = montecarlo::naive_favourite(s);
    let mut naive_probabilities = vec![0.0; probabilities.len()];
    let naive = naive.unwrap_or(no_agreement_index);
    naive_probabilities[naive] = 1.0;
    let name = |o: usize| match o {
        o if o == no_agreement_index => akkoord_core::validate::NO_AGREEMENT.to_owned(),
        o if o == not_named_index => akkoord_core::validate::NOT_NAMED.to_owned(),
        c => a.candidates[c].id.clone(),
    };
    Ok(Case {
        file: path.display().to_string(),
        title: s.meta.title.clone(),
        actual: name(actual_index),
        probability: p,
        rank,
        brier: brier(&probabilities),
        naive: Naive {
            prediction: name(naive),
            hit: naive == actual_index,
            brier: brier(&naive_probabilities),
        },
    })
}

pub(crate) fn backtest(
    args: &BacktestArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    let files = scenario_files(&args.path).map_err(|e| {
        let _ = writeln!(stderr, "error: cannot read {}: {e}", args.path.display());
        Failure::Invalid
    })?;
    let mut cases = Vec::new();
    let mut failed = false;
    for path in &files {
        let Ok(loaded) = load(path, None, stderr) else {
            failed = true;
            continue;
        };
        match score(path, &loaded.scenario, &args.settings) {
            Ok(case) => cases.push(case),
            Err(why) if files.len() > 1 && loaded.scenario.outcome.is_none() => {
                let _ = writeln!(stderr, "note: skipping {}: {why}", path.display());
            }
            Err(why) => {
                let _ = writeln!(stderr, "error: cannot backtest {}: {why}", path.display());
                failed = true;
            }
        }
    }
    if cases.is_empty() {
        let _ = writeln!(
            stderr,
            "error: no case with a known outcome in {}",
            args.path.display()
        );
        return Err(Failure::Invalid);
    }
    let mean = |f: &dyn Fn(&Case) -> f64| cases.iter().map(f).sum::<f64>() / cases.len() as f64;
    let out = BacktestOutput {
        schema_version: json::SCHEMA_VERSION,
        runs: args.settings.runs,
        seed: args.settings.seed,
        mean_brier: mean(&|c| c.brier),
        naive_mean_brier: mean(&|c| c.naive.brier),
        cases,
    };
    let text = match args.format {
        BriefFormat::Json => json::to_string(&out),
        BriefFormat::Table => backtest_table(&out),
        BriefFormat::Csv => akkoord_report::csv_out::rows(
            &[
                "file",
                "title",
                "actual",
                "probability",
                "rank",
                "brier",
                "naive_prediction",
                "naive_brier",
            ],
            out.cases.iter().map(|c| {
                vec![
                    c.file.clone(),
                    c.title.clone(),
                    c.actual.clone(),
                    c.probability.to_string(),
                    c.rank.to_string(),
                    c.brier.to_string(),
                    c.naive.prediction.clone(),
                    c.naive.brier.to_string(),
                ]
            }),
        ),
    };
    stdout.write_all(text.as_bytes())?;
    if failed {
        Err(Failure::Invalid)
    } else {
        Ok(())
    }
}

fn backtest_table(out: &BacktestOutput) -> String {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(vec![
            "case",
            "what happened",
            "probability",
            "rank",
            "Brier",
            "naive call",
            "naive Brier",
        ]);
    for c in &out.cases {
        t.add_row(vec![
            if c.title.is_empty() {
                c.file.clone()
            } else {
                c.title.clone()
            },
            c.actual.clone(),
            format!("{:.1}%", 100.0 * c.probability),
            c.rank.to_string(),
            format!("{:.3}", c.brier),
            format!(
                "{}{}",
                c.naive.prediction,
                if c.naive.hit { " (hit)" } else { " (miss)" }
            ),
            format!("{:.3}", c.naive.brier),
        ]);
    }
    format!(
        "Backtest ({} draws per case, seed {}; Brier: 0 is perfect, 2 is certain and wrong)\n{t}\nmean Brier: akkoord {:.3}, naive baseline {:.3}\n",
        out.runs, out.seed, out.mean_brier, out.naive_mean_brier
    )
}
