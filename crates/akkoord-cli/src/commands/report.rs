//! `akkoord report`: the self-contained HTML report, and the charts as SVG files.

use std::io::Write;
use std::path::Path;

use akkoord_core::models::consensus::consensus_map;
use akkoord_core::models::exchange::{self, ExchangeConfig, TieRule};
use akkoord_core::models::expected_utility::{self, EuConfig, Preset, Stopping};
use akkoord_core::montecarlo::{self, McConfig};
use akkoord_core::scenario::Scenario;
use akkoord_report::html::{self, IssueResults, Report, ReportSettings};
use akkoord_report::json::{ForecastOutput, IssueForecastOutput};

use crate::Failure;
use crate::args::ReportArgs;
use crate::commands::calibrate::model_parameters;
use crate::commands::forecast::{appointment, params};
use crate::commands::run::with_threads;
use crate::input::load;

/// Writes `bytes` to `path` through a temporary file beside it, so that a failure never leaves
/// a partial file behind: the temporary file is removed whether the write or the rename fails.
pub(crate) fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = temporary_beside(path);
    let written =
        std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// The temporary file that [`write_whole`] writes before renaming it to `path`.
fn temporary_beside(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.partial"))
}

/// Checks, before any computing, that a file can be written at `path`: its folder exists and
/// takes a new file.
pub(crate) fn check_writable(path: &Path) -> Result<(), Failure> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(Failure::Usage(format!(
            "cannot write {}: the folder {} does not exist (create it first)",
            path.display(),
            folder.display()
        )));
    }
    if path.is_dir() {
        return Err(Failure::Usage(format!(
            "cannot write {}: it is a folder; give a file name such as {}",
            path.display(),
            path.join("report.html").display()
        )));
    }
    let probe = temporary_beside(path);
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", path.display())))
}

pub(crate) fn run(
    args: &ReportArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    check_writable(&args.output)?;
    let loaded = load(&args.file, args.input.input_format, stderr)?;
    let s = &loaded.scenario;
    crate::input::require_unit_saliences(s, "report", stderr)?;
    let version = env!("CARGO_PKG_VERSION");
    let fallback_title = format!(
        "Report on {}",
        args.file.file_name().map_or_else(
            || crate::input::display_name(&args.file),
            |n| n.to_string_lossy().into_owned()
        )
    );
    let parameters = vec![
        (
            "scenario".to_owned(),
            crate::input::display_name(&args.file),
        ),
        ("read as".to_owned(), loaded.format.name().to_owned()),
        ("seed".to_owned(), args.settings.seed.to_string()),
    ];
    let settings = |parameters: Vec<(String, String)>| ReportSettings {
        version,
        parameters,
        fallback_title: fallback_title.clone(),
    };
    let report = if s.appointment.is_some() {
        appointment_report(s, args, parameters, &settings, stderr)?
    } else {
        issues_report(s, args, parameters, &settings)?
    };
    let fail = |what: &Path, e: std::io::Error| {
        Failure::Output(std::io::Error::new(
            e.kind(),
            format!("{}: {e}", what.display()),
        ))
    };
    if let Some(dir) = &args.charts {
        std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
        for (name, svg) in &report.charts {
            let path = dir.join(name);
            write_whole(&path, svg.as_bytes()).map_err(|e| fail(&path, e))?;
        }
    }
    write_whole(&args.output, report.html.as_bytes()).map_err(|e| fail(&args.output, e))?;
    writeln!(
        stdout,
        "wrote {} ({} charts)",
        args.output.display(),
        report.charts.len()
    )?;
    Ok(())
}

/// The report of an appointment: the forecast, the map, holdouts, deals, levers, assumptions.
fn appointment_report(
    s: &Scenario,
    args: &ReportArgs,
    mut parameters: Vec<(String, String)>,
    settings: &dyn Fn(Vec<(String, String)>) -> ReportSettings<'static>,
    stderr: &mut dyn Write,
) -> Result<Report, Failure> {
    let model = model_parameters(&args.settings, stderr)?;
    let f = appointment(s, &args.settings, &model)?;
    let p = params(s, &args.settings, &model);
    parameters.extend([
        (
            "model".to_owned(),
            "consensus (veto) model with lobbying and side deals; docs/models/consensus.md"
                .to_owned(),
        ),
        (
            "Monte Carlo draws".to_owned(),
            args.settings.appointment_runs().to_string(),
        ),
        (
            "rounds before the fallback".to_owned(),
            p.rounds.to_string(),
        ),
        (
            "deal window (last rounds in which holdouts sell consent through side deals)"
                .to_owned(),
            p.deal_window.to_string(),
        ),
        ("lobbying intensity".to_owned(), p.lobbying.to_string()),
        (
            "withdrawal threshold".to_owned(),
            p.withdraw_share.to_string(),
        ),
        (
            "nomination threshold".to_owned(),
            p.nomination_share.to_string(),
        ),
        (
            "lever draws".to_owned(),
            args.settings.lever_runs.to_string(),
        ),
    ]);
    // The parameters of the second generation (the others are listed above by name).
    for param in akkoord_core::models::consensus::PARAMETERS {
        let listed = ["lobbying", "withdraw_share", "nomination_share"].contains(&param.name);
        if let (false, Some(value)) = (listed, p.get(param.name)) {
            parameters.push((param.name.replace('_', " "), value.to_string()));
        }
    }
    parameters.push(("parameters from".to_owned(), model.source.clone()));
    let out = ForecastOutput::new(
        s,
        &f,
        &consensus_map(s, &p),
        model.json(Some(p.rounds), p.deal_window),
    );
    Ok(html::appointment(s, &out, &settings(parameters)))
}

/// The report of continuous issues: every model's prediction, trajectories, positions.
fn issues_report(
    s: &Scenario,
    args: &ReportArgs,
    mut parameters: Vec<(String, String)>,
    settings: &dyn Fn(Vec<(String, String)>) -> ReportSettings<'static>,
) -> Result<Report, Failure> {
    // The same 10 rounds as the predictions in the table (and as the published runs).
    let eu_config = EuConfig::published(Preset::Scholz, Stopping::Rounds(10));
    let bdm = expected_utility::run(s, &eu_config);
    let exchange_run = (s.issues.len() >= 2)
        .then(|| exchange::run(s, &ExchangeConfig::equal_gain(10, TieRule::Canonical), 0));
    let runs =
        usize::try_from(args.settings.issue_runs(s.issues_are_uncertain())).unwrap_or(usize::MAX);
    let config = McConfig {
        runs,
        seed: args.settings.seed,
    };
    let forecasts = with_threads(args.settings.threads, || {
        montecarlo::forecast_issues(s, config, &|_| {})
    })?;
    let forecast = IssueForecastOutput::new(s, runs, args.settings.seed, &forecasts);
    parameters.extend([
        (
            "expected-utility model".to_owned(),
            "scholz preset, 10 rounds".to_owned(),
        ),
        (
            "exchange model".to_owned(),
            "Equal Gain, 10 rounds, canonical ties".to_owned(),
        ),
        (
            "Monte Carlo draws for the intervals".to_owned(),
            runs.to_string(),
        ),
    ]);
    let results = IssueResults {
        bdm: &bdm,
        exchange: exchange_run.as_ref(),
        forecast: Some(&forecast),
    };
    Ok(html::issues(s, &results, &settings(parameters)))
}
