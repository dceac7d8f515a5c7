//! `akkoord report`: the self-contained HTML report, and the charts as SVG files.

use std::io::Write;
use std::path::Path;

use akkoord::report::ReportSettings;

use crate::Failure;
use crate::args::ReportArgs;
use crate::commands::history::{Span, history_of};
use crate::input::{display_name, load_as_of, report_error};
use akkoord::core::history::Every;

/// Writes `bytes` to `path` through a temporary file beside it, so that a failure never leaves
/// a partial file behind: the temporary file is removed whether the write or the rename fails.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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
fn check_writable(path: &Path) -> Result<(), Failure> {
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
    let loaded = load_as_of(
        &args.file,
        args.input.input_format,
        args.settings.as_of.as_deref(),
        stderr,
    )?;
    let settings = ReportSettings {
        forecast: args.settings.settings(),
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
