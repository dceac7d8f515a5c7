//! `akkoord run exchange` and `akkoord run bdm`.

use std::io::Write;

use akkoord_core::models::exchange::{self, ExchangeConfig, Externalities, TieRule};
use akkoord_core::models::expected_utility::{self, EuConfig, Preset, SalienceShock, Stopping};
use akkoord_report::json::{self, ExchangeOutput, ExchangeSettings};
use akkoord_report::{csv_out, table};
use clap::ValueEnum;
use rayon::prelude::*;

use crate::Failure;
use crate::args::{BdmArgs, ExchangeArgs, OutputFormat, PresetArg, TiesArg};
use crate::input::load;

/// Runs `work` on a pool of `threads` workers, or on the global pool.
pub(crate) fn with_threads<T: Send>(
    threads: Option<u16>,
    work: impl FnOnce() -> T + Send,
) -> Result<T, Failure> {
    match threads {
        None => Ok(work()),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build()
            .map(|pool| pool.install(work))
            .map_err(|e| Failure::Usage(format!("cannot start {n} threads: {e}"))),
    }
}

pub(crate) fn exchange(
    args: &ExchangeArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    let loaded = load(&args.file, args.input.input_format, stderr)?;
    let scenario = &loaded.scenario;
    if scenario.issues.len() < 2 {
        let _ = writeln!(
            stderr,
            "error: the exchange model needs at least two issues; {} has {}",
            crate::input::display_name(&args.file),
            scenario.issues.len()
        );
        return Err(Failure::Invalid);
    }
    let ties = match args.ties {
        TiesArg::Canonical => TieRule::Canonical,
        TiesArg::ListOrder => TieRule::ListOrder,
        TiesArg::Random => TieRule::Random,
    };
    let config = ExchangeConfig {
        randomization: (args.p > 0.0).then_some(args.p),
        seed: args.seed,
        // Only the JSON output shows externalities, and only when asked for.
        externalities: if args.externalities && args.format == OutputFormat::Json {
            Externalities::Record
        } else {
            Externalities::Skip
        },
        ..ExchangeConfig::equal_gain(args.rounds, ties)
    };
    // One stream per repetition, collected in repetition order: the same seed gives the same
    // result whatever the number of threads.
    let runs = with_threads(args.threads, || {
        (0..u64::from(args.repetitions))
            .into_par_iter()
            .map(|r| exchange::run(scenario, &config, r))
            .collect::<Vec<_>>()
    })?;
    let text = match args.format {
        OutputFormat::Json => {
            let settings = ExchangeSettings {
                rounds: args.rounds,
                ties: args
                    .ties
                    .to_possible_value()
                    .map(|v| v.get_name().to_owned())
                    .unwrap_or_default(),
                p: args.p,
                seed: args.seed,
            };
            json::to_string(&ExchangeOutput::new(scenario, settings, &runs))
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
    if scenario.issues.is_empty() {
        let _ = writeln!(
            stderr,
            "error: the expected-utility model needs a continuous issue; {} has none",
            crate::input::display_name(&args.file)
        );
        return Err(Failure::Invalid);
    }
    crate::input::require_unit_saliences(scenario, "expected-utility model", stderr)?;
    let (preset, name) = match args.preset {
        PresetArg::Scholz => (Preset::Scholz, "scholz"),
        PresetArg::Textbook => (Preset::Textbook, "textbook"),
        PresetArg::Masad2016 => (Preset::Masad2016, "masad2016"),
    };
    let config = EuConfig {
        preset,
        stopping: args.rounds.map_or(
            Stopping::Convergence {
                epsilon: 0.005,
                patience: 2,
                max_rounds: 50,
            },
            Stopping::Rounds,
        ),
        q: args.q,
        t: args.t,
        salience_shock: args
            .salience_shock
            .map(|probability| SalienceShock { probability }),
        seed: args.seed,
    };
    let runs = expected_utility::run(scenario, &config);
    for (id, run) in &runs {
        for round in &run.degenerate_risk_rounds {
            let _ = writeln!(
                stderr,
                "warning: issue {}: in round {round} every actor was equally secure; all risk exponents were set to 1",
                scenario.issues[id.index()].id
            );
        }
    }
    let text = match args.format {
        OutputFormat::Json => json::to_string(&json::bdm_output(scenario, name, &runs)),
        OutputFormat::Table => table::bdm(scenario, name, &runs),
        OutputFormat::Csv => csv_out::bdm(scenario, &runs),
    };
    stdout.write_all(text.as_bytes())?;
    Ok(())
}
