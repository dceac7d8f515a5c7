//! `akkoord report`: the self-contained HTML report, and the charts as SVG files.

use std::io::Write;

use akkoord::report::ReportSettings;

use crate::Failure;
use crate::args::ReportArgs;
use crate::commands::history::{Span, history_of};
use crate::input::{display_name, forecast_settings, load_as_of, report_error};
use crate::output::{check_writable, located, write_file};
use akkoord::core::history::Every;

pub(crate) fn run(
    args: &ReportArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    check_writable(&args.output)?;
    let loaded = load_as_of(
        &args.file,
        args.input.input_format,
        args.settings.as_of.as_deref(),
        stderr,
    )?;
    let settings = ReportSettings {
        forecast: forecast_settings(&args.settings, stderr)?,
        name: display_name(&args.file),
        untitled: args.file.file_name().map_or_else(
            || display_name(&args.file),
            |n| n.to_string_lossy().into_owned(),
        ),
        format: Some(loaded.format),
    };
    let mut report = akkoord::report::report(&loaded.scenario, &settings)
        .map_err(|e| report_error(&e, stderr))?;
    if loaded.scenario.appointment.is_some() && !loaded.draft.events.is_empty() {
        let span = Span {
            from: None,
            to: args.settings.as_of.clone(),
            every: Every::Event,
        };
        history_of(&loaded, &span, &settings.forecast, stderr)?.add_to(&mut report);
    }
    if let Some(dir) = &args.charts {
        std::fs::create_dir_all(dir).map_err(|e| Failure::Output(located(dir, &e)))?;
        for (name, svg) in &report.charts {
            write_file(&dir.join(name), svg.as_bytes())?;
        }
    }
    write_file(&args.output, report.html.as_bytes())?;
    writeln!(
        stdout,
        "wrote {} ({} charts)",
        args.output.display(),
        report.charts.len()
    )?;
    Ok(())
}
