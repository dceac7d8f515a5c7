//! `akkoord calibrate`: reads a library of cases, calibrates the consensus model on it
//! ([`akkoord::calibrate`]) and prints or writes what it found.

use std::io::{IsTerminal, Write};

use akkoord::core::scenario::Scenario;
use akkoord::load::Hindsight;
use akkoord::render::calibration::{CalibrationOutput, table};
use akkoord::render::json;

use crate::Failure;
use crate::args::{BriefFormat, CalibrateArgs};
use crate::commands::forecast::scenario_files;
use crate::input::{load_as, report_error};
use crate::output::{check_writable, write_file};

pub(crate) fn run(
    args: &CalibrateArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    if let Some(path) = &args.output {
        check_writable(path)?;
    }
    let library = read_library(args, stderr)?;
    let talk = std::io::stderr().is_terminal();
    let progress = |message: &str| {
        if talk {
            // Progress goes to the terminal only, never into redirected diagnostics.
            #[allow(clippy::print_stderr)]
            {
                eprintln!("{message}");
            }
        }
    };
    let result = akkoord::calibrate::calibrate(
        &args.path.display().to_string(),
        &library,
        &args.settings(),
        &today(),
        &progress,
    )
    .map_err(|e| report_error(&e, stderr))?;
    if let Some(path) = &args.output {
        let file = akkoord_io::params::write(&result.parameters_file());
        write_file(path, file.as_bytes())?;
    }
    let text = match args.format {
        BriefFormat::Table | BriefFormat::Csv => table(&result.calibration, &result.cases),
        BriefFormat::Json => json::to_string(&CalibrationOutput::new(
            &result.calibration,
            &result.cases,
            result.provenance.clone(),
        )),
    };
    stdout.write_all(text.as_bytes())?;
    Ok(())
}

/// Reads every case of the library, refusing hindsight; fails (after printing every
/// problem) when any case cannot be read.
fn read_library(
    args: &CalibrateArgs,
    stderr: &mut dyn Write,
) -> Result<Vec<(String, Scenario)>, Failure> {
    let files = scenario_files(&args.path).map_err(|e| {
        let _ = writeln!(stderr, "error: cannot read {}: {e}", args.path.display());
        Failure::Invalid
    })?;
    let mut library = Vec::new();
    let mut failed = false;
    for file in &files {
        match load_as(file, None, Hindsight::Refuse, stderr) {
            Ok(loaded) => library.push((file.display().to_string(), loaded.scenario)),
            Err(_) => failed = true,
        }
    }
    if failed {
        return Err(Failure::Invalid);
    }
    Ok(library)
}

/// Today's date (UTC), as the parameters file's provenance records it.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs() / 86_400).unwrap_or(0));
    akkoord::core::calendar::date(days)
}
