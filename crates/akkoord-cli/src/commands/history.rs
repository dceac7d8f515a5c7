//! `akkoord history`: the forecast of a scenario with dated events at each date, and what
//! moved it.
//!
//! Glue only: the dates and the changes come from `akkoord::core::history`, the scenario as of
//! each date from `akkoord::core::validate::validate_as_of`, the rendering from
//! `akkoord::render::history`. Every date is forecast with the same seed, so that draws are
//! common random numbers and a change between two dates is the news, not noise.

use std::io::Write;

use akkoord::core::diag::{Diagnostic, Severity};
use akkoord::core::history::{self, DatedForecast, Every, History, HistoryDate};
use akkoord::core::scenario::ScenarioDraft;
use akkoord::core::validate::{NO_AGREEMENT, NOT_NAMED, validate_as_of};
use akkoord::render::history::HistoryOutput;
use akkoord::render::json;
use akkoord::settings::ForecastSettings;
use akkoord_io::Loaded;

use crate::Failure;
use crate::args::{BriefFormat, EveryArg, HistoryArgs};
use crate::input::{forecast_settings, load_as_of, report_error};
use crate::output::{check_writable, write_file};

/// An actor that blocks the eventual winner in at least this share of the draws is a holdout.
const HOLDOUT_FROM: f64 = 0.5;

/// The dates a history runs over: `None` for the defaults (the day before the first event,
/// and the scenario's `as_of` or last event).
pub(crate) struct Span {
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    pub(crate) every: Every,
}

/// The history of the scenario `loaded` over `span`, each date forecast with `settings`.
pub(crate) fn history_of(
    loaded: &Loaded,
    span: &Span,
    settings: &ForecastSettings,
    stderr: &mut dyn Write,
) -> Result<HistoryOutput, Failure> {
    let draft = &loaded.draft;
    let (Some(from), Some(to)) = (
        span.from.clone().or_else(|| history::default_from(draft)),
        span.to.clone().or_else(|| history::default_to(draft)),
    ) else {
        return Err(Failure::Usage(
            "the scenario has no dated events; give --from and --to, or add [[events]]".into(),
        ));
    };
    if from > to {
        return Err(Failure::Usage(format!("--from {from} is after --to {to}")));
    }
    let dates = history::with_events(draft, &history::dates(draft, &from, &to, span.every));
    let runs = usize::try_from(settings.appointment_runs())
        .map_err(|_| Failure::Usage("--runs is too large for this machine".into()))?;
    // A history shows how the news moved the forecast; levers are for one date's brief.
    let settings = &ForecastSettings {
        lever_runs: 0,
        ..settings.clone()
    };
    let mut forecasts = Vec::with_capacity(dates.len());
    let mut labels: Vec<(String, String)> = Vec::new();
    let mut reported: Vec<Diagnostic> = Vec::new();
    for at in dates {
        forecasts.push(forecast_at(
            draft,
            at,
            settings,
            &mut labels,
            &mut reported,
            stderr,
        )?);
    }
    let history = History::new(forecasts, &[NOT_NAMED, NO_AGREEMENT]);
    let every_name = match span.every {
        Every::Event => "event",
        Every::Week => "week",
        Every::Month => "month",
    };
    Ok(HistoryOutput::new(
        &loaded.scenario.meta.title,
        &history,
        &draft.events,
        &labels,
        (runs, settings.seed, every_name),
    ))
}

pub(crate) fn run(
    args: &HistoryArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    if args.settings.as_of.is_some() {
        return Err(Failure::Usage(
            "a history runs from --from to --to; --as-of is for forecast, report and backtest"
                .into(),
        ));
    }
    args.chart.as_deref().map(check_writable).transpose()?;
    let loaded = load_as_of(&args.file, args.input.input_format, None, stderr)?;
    let every = match args.every {
        EveryArg::Event => Every::Event,
        EveryArg::Week => Every::Week,
        EveryArg::Month => Every::Month,
    };
    let span = Span {
        from: args.from.clone(),
        to: args.to.clone(),
        every,
    };
    let settings = forecast_settings(&args.settings, stderr)?;
    let out = history_of(&loaded, &span, &settings, stderr)?;
    let text = match args.format {
        BriefFormat::Json => json::to_string(&out),
        BriefFormat::Table => out.table(),
        BriefFormat::Csv => out.csv(),
    };
    if let Some(path) = &args.chart {
        write_file(path, out.chart().as_bytes())?;
    }
    stdout.write_all(text.as_bytes())?;
    Ok(())
}

/// The forecast of the scenario `draft` as of `at`, adding the labels of outcomes not seen
/// before to `labels`.
fn forecast_at(
    draft: &ScenarioDraft,
    at: HistoryDate,
    settings: &ForecastSettings,
    labels: &mut Vec<(String, String)>,
    reported: &mut Vec<Diagnostic>,
    stderr: &mut dyn Write,
) -> Result<DatedForecast, Failure> {
    let validated = match validate_as_of(draft, Some(&at.date)) {
        Ok(validated) => validated,
        Err(diagnostics) => {
            report(&at.date, &diagnostics, reported, stderr);
            return Err(Failure::Invalid);
        }
    };
    report(&at.date, &validated.warnings, reported, stderr);
    let s = &validated.value;
    let Some(appointing) = s.with_appointment() else {
        let _ = writeln!(
            stderr,
            "error: a history forecasts an appointment, and this scenario has none"
        );
        return Err(Failure::Invalid);
    };
    let result = akkoord::forecast::appointment(appointing, settings, &|_| {})
        .map_err(|e| report_error(&e, stderr))?;
    let f = &result.forecast;
    let out = result.output(appointing);
    for o in &out.outcomes {
        if !labels.iter().any(|(id, _)| *id == o.id) {
            labels.push((o.id.clone(), o.label.clone()));
        }
    }
    Ok(DatedForecast {
        at,
        probabilities: out
            .outcomes
            .iter()
            .map(|o| (o.id.clone(), o.probability))
            .collect(),
        holdouts: s
            .actors
            .iter()
            .zip(&f.holdout_at_start)
            .filter(|(_, p)| **p >= HOLDOUT_FROM)
            .map(|(a, _)| a.id.clone())
            .collect(),
    })
}

/// Prints the diagnostics of the scenario as of `date` that were not printed before (the
/// scenario's own were, located, when it was read).
fn report(
    date: &str,
    diagnostics: &[Diagnostic],
    reported: &mut Vec<Diagnostic>,
    stderr: &mut dyn Write,
) {
    for d in diagnostics {
        if reported.contains(d) {
            continue;
        }
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(stderr, "{kind}: as of {date}: {}: {}", d.path, d.message);
        reported.push(d.clone());
    }
}
