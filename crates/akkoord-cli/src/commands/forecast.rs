//! `akkoord forecast` and `akkoord backtest` of appointments.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use akkoord::backtest::CaseError;
use akkoord::load::Hindsight;
use akkoord::render::json::{self, BacktestOutput, IssueForecastOutput};
use akkoord::render::{self, csv_out, table};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::Failure;
use crate::args::{BacktestArgs, BriefFormat, ForecastArgs};
use crate::input::{forecast_settings, load_as_of, load_dated, report_error};
use crate::output::{check_writable, write_file};

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

pub(crate) fn forecast(
    args: &ForecastArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    let loaded = load_as_of(
        &args.file,
        args.input.input_format,
        args.settings.as_of.as_deref(),
        stderr,
    )?;
    let s = &loaded.scenario;
    let settings = forecast_settings(&args.settings, stderr)?;
    let text = if let Some(appointing) = s.with_appointment() {
        let bar = progress_bar(settings.appointment_runs(), PROGRESS_FROM);
        let result = akkoord::forecast::appointment(appointing, &settings, &|n| bar.inc(n as u64))
            .map_err(|e| report_error(&e, stderr))?;
        bar.finish_and_clear();
        let out = result.output(appointing);
        match args.format {
            BriefFormat::Json => json::to_string(&out),
            BriefFormat::Table => table::forecast(appointing, &out),
            BriefFormat::Csv => csv_out::forecast(&out),
        }
    } else {
        let bar = progress_bar(settings.issue_runs(s), ISSUE_PROGRESS_FROM);
        let result = akkoord::forecast::issues(s, &settings, &|n| bar.inc(n as u64))
            .map_err(|e| report_error(&e, stderr))?;
        bar.finish_and_clear();
        let out = IssueForecastOutput::new(s, result.runs, result.seed, &result.forecasts);
        match args.format {
            BriefFormat::Json => json::to_string(&out),
            BriefFormat::Table => table::issue_forecast(&out),
            BriefFormat::Csv => csv_out::issue_forecast(&out),
        }
    };
    stdout.write_all(text.as_bytes())?;
    Ok(())
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
    let settings = forecast_settings(&args.settings, stderr)?;
    let mut cases = Vec::new();
    let mut failed = false;
    for path in &files {
        let as_of = args.settings.as_of.as_deref();
        let Ok(loaded) = load_dated(path, None, Hindsight::Refuse, as_of, stderr) else {
            failed = true;
            continue;
        };
        let label = path.display().to_string();
        match akkoord::backtest::score_case(label, &loaded.scenario, &settings) {
            Ok(case) => cases.push(case),
            Err(CaseError::Forecast(e)) if e.is_usage() => return Err(report_error(&e, stderr)),
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
    let backtest = akkoord::backtest::summarise(cases, &settings);
    if let Some(path) = &args.svg {
        write_file(
            path,
            render::svg::backtest_reliability(&backtest).as_bytes(),
        )?;
    }
    let consensus = settings
        .consensus_json(None)
        .map_err(|e| report_error(&e, stderr))?;
    let text = match args.format {
        BriefFormat::Json => json::to_string(&BacktestOutput::new(&backtest, consensus)),
        BriefFormat::Table => table::backtest(&backtest),
        BriefFormat::Csv => csv_out::backtest(&backtest),
    };
    stdout.write_all(text.as_bytes())?;
    if failed {
        Err(Failure::Invalid)
    } else {
        Ok(())
    }
}
