//! `akkoord forecast` and `akkoord backtest`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use akkoord_core::calibration::{Case as LibraryCase, params_with};
use akkoord_core::models::consensus::{ConsensusParams, consensus_map};
use akkoord_core::montecarlo::{self, AppointmentForecast, McConfig};
use akkoord_core::scenario::Scenario;
use akkoord_core::scoring::{
    CategoricalForecast, CategoricalSummary, LOG_SCORE_FLOOR, reliability, summarise_categorical,
};
use akkoord_report::json::{self, ForecastOutput, IssueForecastOutput};
use akkoord_report::{svg, table};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::Failure;
use crate::args::{BacktestArgs, BriefFormat, ForecastArgs, ForecastSettings};
use crate::commands::calibrate::{ModelParameters, model_parameters};
use crate::commands::report::{check_writable, write_whole};
use crate::commands::run::with_threads;
use crate::input::{Hindsight, load, load_as};

/// Bins of the backtest's reliability table.
const RELIABILITY_BINS: usize = 10;

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

pub(crate) fn params(
    s: &Scenario,
    settings: &ForecastSettings,
    model: &ModelParameters,
) -> ConsensusParams {
    let mut p = params_with(
        settings
            .rounds
            .unwrap_or_else(|| s.deadline.rounds_or_default()),
        &model.values,
    );
    p.deal_window = settings.deal_window;
    p
}

fn runs(runs: u64) -> Result<usize, Failure> {
    usize::try_from(runs).map_err(|_| Failure::Usage("--runs is too large for this machine".into()))
}

/// The appointment forecast of a scenario.
pub(crate) fn appointment(
    s: &Scenario,
    settings: &ForecastSettings,
    model: &ModelParameters,
) -> Result<AppointmentForecast, Failure> {
    let runs = runs(settings.appointment_runs())?;
    let bar = progress_bar(settings.appointment_runs(), PROGRESS_FROM);
    let params = params(s, settings, model);
    let lever_runs = usize::try_from(settings.lever_runs).unwrap_or(usize::MAX);
    let config = McConfig {
        runs,
        seed: settings.seed,
    };
    let spread = model.spread_values();
    let forecast = with_threads(settings.threads, || {
        if spread.iter().any(|sd| *sd > 0.0) {
            montecarlo::forecast_appointment_with_spread(
                s,
                &params,
                &spread,
                config,
                lever_runs,
                &|n| bar.inc(n as u64),
            )
        } else {
            montecarlo::forecast_appointment(s, &params, config, lever_runs, &|n| {
                bar.inc(n as u64);
            })
        }
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
        let model = model_parameters(&args.settings, stderr)?;
        let f = appointment(s, &args.settings, &model)?;
        let p = params(s, &args.settings, &model);
        let out = ForecastOutput::new(
            s,
            &f,
            &consensus_map(s, &p),
            model.json(Some(p.rounds), p.deal_window),
        );
        match args.format {
            BriefFormat::Json => json::to_string(&out),
            BriefFormat::Table => table::forecast(s, &out),
            BriefFormat::Csv => akkoord_report::csv_out::forecast(&out),
        }
    } else {
        let issue_runs = args.settings.issue_runs(s.issues_are_uncertain());
        let runs = runs(issue_runs)?;
        let bar = progress_bar(issue_runs, ISSUE_PROGRESS_FROM);
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
    log_score: f64,
    naive: Naive,
    /// Sources cited for judgements, and how many of them carry no date.
    sources: usize,
    undated_sources: usize,
    #[serde(skip)]
    forecast: CategoricalForecast,
}

/// The naive baseline's score on a case.
#[derive(Debug, Serialize)]
struct Naive {
    prediction: String,
    hit: bool,
    brier: f64,
    log_score: f64,
    #[serde(skip)]
    forecast: CategoricalForecast,
}

/// Scores over the cases of a backtest.
#[derive(Debug, Serialize)]
struct Summary {
    mean_brier: f64,
    mean_log_score: f64,
    rank_one_rate: f64,
    mean_probability_of_actual: f64,
}

impl From<CategoricalSummary> for Summary {
    fn from(s: CategoricalSummary) -> Self {
        Self {
            mean_brier: s.mean_brier,
            mean_log_score: s.mean_log_score,
            rank_one_rate: s.rank_one_rate,
            mean_probability_of_actual: s.mean_probability_of_actual,
        }
    }
}

/// A reliability bin of the backtest.
#[derive(Debug, Serialize)]
struct Reliability {
    low: f64,
    high: f64,
    forecasts: usize,
    mean_forecast: f64,
    observed: f64,
}

#[derive(Debug, Serialize)]
struct BacktestOutput {
    schema_version: u32,
    runs: u64,
    seed: u64,
    settings: json::ConsensusSettingsJson,
    cases: Vec<Case>,
    mean_brier: f64,
    naive_mean_brier: f64,
    akkoord: Summary,
    naive: Summary,
    log_score_floor: f64,
    reliability: Vec<Reliability>,
    sources: usize,
    undated_sources: usize,
}

pub(crate) fn scenario_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
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
fn score(
    path: &Path,
    s: &Scenario,
    settings: &ForecastSettings,
    model: &ModelParameters,
) -> Result<Case, String> {
    let case = LibraryCase::new(s, settings.rounds).map_err(|e| e.to_string())?;
    let a = s.appointment.as_ref().ok_or("it has no appointment")?;
    // Outcomes are indexed as the candidates, then no agreement, then a winner who was not
    // named on the as-of date.
    let no_agreement_index = a.candidates.len();
    let not_named_index = no_agreement_index + 1;
    let actual_index = case.actual;
    let f = appointment(s, settings, model).map_err(|_| "the forecast could not run".to_owned())?;
    let mut probabilities: Vec<f64> = f.candidates.iter().map(|e| e.probability).collect();
    probabilities.push(f.no_agreement.probability);
    probabilities.push(f.not_named.probability);
    let forecast = CategoricalForecast {
        probabilities,
        actual: actual_index,
    };
    let naive_forecast = case.naive();
    let naive = naive_forecast
        .probabilities
        .iter()
        .position(|p| *p > 0.0)
        .unwrap_or(no_agreement_index);
    let name = |o: usize| match o {
        o if o == no_agreement_index => akkoord_core::validate::NO_AGREEMENT.to_owned(),
        o if o == not_named_index => akkoord_core::validate::NOT_NAMED.to_owned(),
        c => a.candidates[c].id.clone(),
    };
    let (sources, undated_sources) = s.cited_sources().fold((0, 0), |(n, undated), e| {
        (n + 1, undated + usize::from(e.date.is_none()))
    });
    Ok(Case {
        file: path.display().to_string(),
        title: s.meta.title.clone(),
        actual: name(actual_index),
        probability: forecast.probability_of_actual(),
        rank: forecast.rank(),
        brier: forecast.brier(),
        log_score: forecast.log_score(),
        naive: Naive {
            prediction: name(naive),
            hit: naive == actual_index,
            brier: naive_forecast.brier(),
            log_score: naive_forecast.log_score(),
            forecast: naive_forecast,
        },
        sources,
        undated_sources,
        forecast,
    })
}

#[allow(clippy::too_many_lines)] // read, score, summarise, render in three formats, in order
pub(crate) fn backtest(
    args: &BacktestArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    let files = scenario_files(&args.path).map_err(|e| {
        let _ = writeln!(stderr, "error: cannot read {}: {e}", args.path.display());
        Failure::Invalid
    })?;
    args.svg.as_deref().map(check_writable).transpose()?;
    let model = model_parameters(&args.settings, stderr)?;
    let mut cases = Vec::new();
    let mut failed = false;
    for path in &files {
        let Ok(loaded) = load_as(path, None, Hindsight::Refuse, stderr) else {
            failed = true;
            continue;
        };
        match score(path, &loaded.scenario, &args.settings, &model) {
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
    let forecasts: Vec<CategoricalForecast> = cases.iter().map(|c| c.forecast.clone()).collect();
    let naive: Vec<CategoricalForecast> = cases.iter().map(|c| c.naive.forecast.clone()).collect();
    let akkoord = summarise_categorical(&forecasts);
    let naive = summarise_categorical(&naive);
    let out = BacktestOutput {
        schema_version: json::SCHEMA_VERSION,
        runs: args.settings.appointment_runs(),
        seed: args.settings.seed,
        settings: model.json(args.settings.rounds, args.settings.deal_window),
        mean_brier: akkoord.mean_brier,
        naive_mean_brier: naive.mean_brier,
        akkoord: akkoord.into(),
        naive: naive.into(),
        log_score_floor: LOG_SCORE_FLOOR,
        reliability: reliability(&forecasts, RELIABILITY_BINS)
            .into_iter()
            .map(|b| Reliability {
                low: b.low,
                high: b.high,
                forecasts: b.forecasts,
                mean_forecast: b.mean_forecast,
                observed: b.observed,
            })
            .collect(),
        sources: cases.iter().map(|c| c.sources).sum(),
        undated_sources: cases.iter().map(|c| c.undated_sources).sum(),
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
                "log_score",
                "naive_prediction",
                "naive_brier",
                "naive_log_score",
            ],
            out.cases.iter().map(|c| {
                vec![
                    c.file.clone(),
                    c.title.clone(),
                    c.actual.clone(),
                    c.probability.to_string(),
                    c.rank.to_string(),
                    c.brier.to_string(),
                    c.log_score.to_string(),
                    c.naive.prediction.clone(),
                    c.naive.brier.to_string(),
                    c.naive.log_score.to_string(),
                ]
            }),
        ),
    };
    (args
        .svg
        .as_deref()
        .map(|p| write_reliability_diagram(p, &out)))
    .transpose()?;
    stdout.write_all(text.as_bytes())?;
    if failed {
        Err(Failure::Invalid)
    } else {
        Ok(())
    }
}

/// Writes the reliability diagram of a backtest (`--svg`), all or nothing.
fn write_reliability_diagram(path: &Path, out: &BacktestOutput) -> Result<(), Failure> {
    let points: Vec<svg::ReliabilityPoint> = out
        .reliability
        .iter()
        .map(|b| svg::ReliabilityPoint {
            forecast: b.mean_forecast,
            observed: b.observed,
            count: b.forecasts,
        })
        .collect();
    let chart = svg::reliability(
        &format!("Reliability of {} case(s)", out.cases.len()),
        &points,
    );
    write_whole(path, chart.as_bytes()).map_err(|e| {
        Failure::Output(std::io::Error::new(
            e.kind(),
            format!("{}: {e}", path.display()),
        ))
    })
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
            "log score",
            "naive call",
            "naive Brier",
        ]);
    for c in &out.cases {
        let file = Path::new(&c.file)
            .file_name()
            .map_or_else(|| c.file.clone(), |n| n.to_string_lossy().into_owned());
        t.add_row(vec![
            if c.title.is_empty() {
                file
            } else {
                format!("{}\n{file}", c.title)
            },
            c.actual.clone(),
            format!("{:.1}%", 100.0 * c.probability),
            c.rank.to_string(),
            format!("{:.3}", c.brier),
            format!("{:.2}", c.log_score),
            format!(
                "{}{}",
                c.naive.prediction,
                if c.naive.hit { " (hit)" } else { " (miss)" }
            ),
            format!("{:.3}", c.naive.brier),
        ]);
    }
    let mut reliability = comfy_table::Table::new();
    reliability
        .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(vec!["forecast", "outcomes", "mean forecast", "happened"]);
    for b in out.reliability.iter().filter(|b| b.forecasts > 0) {
        reliability.add_row(vec![
            format!("{:.0}-{:.0}%", 100.0 * b.low, 100.0 * b.high),
            b.forecasts.to_string(),
            format!("{:.1}%", 100.0 * b.mean_forecast),
            format!("{:.1}%", 100.0 * b.observed),
        ]);
    }
    let line = |who: &str, s: &Summary| {
        format!(
            "{who:<15} mean Brier {:.3}   mean log score {:.3}   winner ranked first {:.0}%   mean probability of what happened {:.1}%",
            s.mean_brier,
            s.mean_log_score,
            100.0 * s.rank_one_rate,
            100.0 * s.mean_probability_of_actual
        )
    };
    format!(
        "Backtest of {} case(s) ({} draws per case, seed {})\n\
         Brier: 0 is perfect, 2 is certain and wrong. Log score: the logarithm of the probability given to what happened, floored at {}; 0 is perfect.\n\
         {t}\n{}\n{}\n{} of {} cited sources undated\n\n\
         Reliability (every outcome of every case: how often outcomes forecast at about this probability happened)\n{reliability}\n",
        out.cases.len(),
        out.runs,
        out.seed,
        out.log_score_floor,
        line("akkoord", &out.akkoord),
        line("naive baseline", &out.naive),
        out.undated_sources,
        out.sources,
    )
}
