//! `akkoord run exchange` and `akkoord run bdm`.

use std::io::Write;

use akkoord::render::json::{self, ExchangeOutput, ExchangeSettings as ExchangeJsonSettings};
use akkoord::render::{csv_out, table};
use akkoord::settings::{BdmSettings, ExchangeSettings};
use clap::ValueEnum;

use crate::Failure;
use crate::args::{BdmArgs, ExchangeArgs, OutputFormat};
use crate::input::{display_name, load, report_error};

pub(crate) fn exchange(
    args: &ExchangeArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    let loaded = load(&args.file, args.input.input_format, stderr)?;
    let scenario = &loaded.scenario;
    let settings = ExchangeSettings {
        rounds: args.rounds,
        ties: args.ties.into(),
        p: args.p,
        repetitions: args.repetitions,
        seed: args.seed,
        threads: args.threads,
        // Only the JSON output shows externalities, and only when asked for.
        externalities: args.externalities && args.format == OutputFormat::Json,
    };
    let runs = akkoord::run::exchange(&display_name(&args.file), scenario, &settings)
        .map_err(|e| report_error(&e, stderr))?;
    let text = match args.format {
        OutputFormat::Json => {
            let shown = ExchangeJsonSettings {
                rounds: args.rounds,
                ties: args
                    .ties
                    .to_possible_value()
                    .map(|v| v.get_name().to_owned())
                    .unwrap_or_default(),
                p: args.p,
                seed: args.seed,
            };
            json::to_string(&ExchangeOutput::new(scenario, shown, &runs))
        }
        OutputFormat::Table => table::exchange(scenario, &runs, args.p, args.seed),
        OutputFormat::Csv => csv_out::exchange(scenario, &runs[0]),
    };
    stdout.write_all(text.as_bytes())?;
    Ok(())
}

pub(crate) fn bdm(
    args: &BdmArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    let loaded = load(&args.file, args.input.input_format, stderr)?;
    let scenario = &loaded.scenario;
    let settings = BdmSettings {
        preset: args.preset.into(),
        rounds: args.rounds,
        seed: args.seed,
        salience_shock: args.salience_shock,
        q: args.q,
        t: args.t,
    };
    let runs = akkoord::run::expected_utility(&display_name(&args.file), scenario, &settings)
        .map_err(|e| report_error(&e, stderr))?;
    for (id, run) in &runs {
        for round in &run.degenerate_risk_rounds {
            let _ = writeln!(
                stderr,
                "warning: issue {}: in round {round} every actor was equally secure; all risk exponents were set to 1",
                scenario.issues[id.index()].id
            );
        }
    }
    let name = args
        .preset
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default();
    let text = match args.format {
        OutputFormat::Json => json::to_string(&json::bdm_output(scenario, &name, &runs)),
        OutputFormat::Table => table::bdm(scenario, &name, &runs),
        OutputFormat::Csv => csv_out::bdm(scenario, &runs),
    };
    stdout.write_all(text.as_bytes())?;
    Ok(())
}
