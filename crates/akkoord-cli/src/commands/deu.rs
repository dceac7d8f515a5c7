//! `akkoord backtest FILE --input-format deu`: every issue model on real EU decisions.

use std::io::Write;

use akkoord::backtest::Capability;
use akkoord::render::{csv_out, json, table};
use akkoord_io::deu::CouncilWeights;

use crate::Failure;
use crate::args::{BacktestArgs, BriefFormat, CapabilityArg};
use crate::input::{print_problems, read_bounded, report_error};

fn read(path: &std::path::Path, stderr: &mut dyn Write) -> Result<Vec<u8>, Failure> {
    read_bounded(path).map_err(|e| {
        let _ = writeln!(stderr, "error: cannot read {}: {e}", path.display());
        Failure::Invalid
    })
}

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
    let capability = match (args.capability, &args.council_weights) {
        (CapabilityArg::Equal, _) => Capability::Equal,
        (CapabilityArg::Council, None) => {
            return Err(Failure::Usage(
                "--capability council needs --council-weights FILE".into(),
            ));
        }
        (CapabilityArg::Council, Some(path)) => {
            let bytes = read(path, stderr)?;
            let weights =
                CouncilWeights::read(&path.display().to_string(), &bytes).map_err(|problems| {
                    print_problems(&problems, stderr);
                    Failure::Invalid
                })?;
            Capability::Council {
                weights,
                institution_weight: args.institution_weight,
            }
        }
    };
    let scores =
        akkoord::backtest::deu(&issues, &capability).map_err(|e| report_error(&e, stderr))?;
    let text = match args.format {
        BriefFormat::Json => json::to_string(&json::IssueBacktestOutput::new(&scores)),
        BriefFormat::Table => table::issue_backtest(&scores),
        BriefFormat::Csv => csv_out::issue_backtest(&scores),
    };
    stdout.write_all(text.as_bytes())?;
    Ok(())
}
