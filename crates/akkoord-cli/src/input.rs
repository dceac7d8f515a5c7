//! Reading input files and printing their diagnostics.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use akkoord::InputFormat;
use akkoord::load::{Hindsight, LoadSettings};
use akkoord::settings::{ForecastSettings, ModelParameters};
use akkoord_io::text::MAX_INPUT_BYTES;
use akkoord_io::{Loaded, Problem};
use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::Failure;
use crate::args::{ForecastFlags, InputFormatArg};

/// The single-scenario format a command-line choice names; DEU tables hold many cases and
/// are read only by `akkoord backtest`.
fn scenario_format(arg: InputFormatArg) -> Result<InputFormat, Failure> {
    match arg {
        InputFormatArg::Toml => Ok(InputFormat::Toml),
        InputFormatArg::Decide => Ok(InputFormat::Decide),
        InputFormatArg::Bdm => Ok(InputFormat::BdmTable),
        InputFormatArg::Deu => Err(Failure::Usage(
            "a DEU table holds many cases; score them with: akkoord backtest FILE --input-format deu".into(),
        )),
    }
}

/// Colour where a person reads the diagnostics on a terminal, unless `NO_COLOR` asks for none
/// (<https://no-color.org>); plain text everywhere else.
fn theme() -> GraphicalTheme {
    let coloured = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if coloured {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    }
}

/// Writes problems to `stderr` as miette reports with their source snippets.
pub(crate) fn print_problems(problems: &[Problem], stderr: &mut dyn Write) {
    let handler = GraphicalReportHandler::new_themed(theme()).with_width(100);
    for problem in problems {
        let mut rendered = String::new();
        if handler.render_report(&mut rendered, problem).is_ok() {
            let _ = writeln!(stderr, "{rendered}");
        } else {
            let _ = writeln!(stderr, "error: {}", problem.message);
        }
    }
}

/// Shows a library error on `stderr` (invalid input as located diagnostics) and decides its
/// exit code.
pub(crate) fn report_error(error: &akkoord::Error, stderr: &mut dyn Write) -> Failure {
    if error.is_usage() {
        return Failure::Usage(error.to_string());
    }
    if error.problems().is_empty() {
        let _ = writeln!(stderr, "error: {error}");
    } else {
        print_problems(error.problems(), stderr);
        let _ = writeln!(stderr, "{error}");
    }
    Failure::Invalid
}

/// Reads, validates and returns one scenario, printing its warnings; on invalid input the
/// problems are printed and [`Failure::Invalid`] returned.
pub(crate) fn load(
    path: &Path,
    format: Option<InputFormatArg>,
    stderr: &mut dyn Write,
) -> Result<Loaded, Failure> {
    load_as(path, format, Hindsight::Warn, stderr)
}

/// [`load`], with hindsight treated as `hindsight` says.
pub(crate) fn load_as(
    path: &Path,
    format: Option<InputFormatArg>,
    hindsight: Hindsight,
    stderr: &mut dyn Write,
) -> Result<Loaded, Failure> {
    load_dated(path, format, hindsight, None, stderr)
}

/// [`load`] of the scenario as it stood on `as_of` when one is given.
pub(crate) fn load_as_of(
    path: &Path,
    format: Option<InputFormatArg>,
    as_of: Option<&str>,
    stderr: &mut dyn Write,
) -> Result<Loaded, Failure> {
    load_dated(path, format, Hindsight::Warn, as_of, stderr)
}

/// [`load_as`], taking the scenario as it stood on `as_of` when one is given.
pub(crate) fn load_dated(
    path: &Path,
    format: Option<InputFormatArg>,
    hindsight: Hindsight,
    as_of: Option<&str>,
    stderr: &mut dyn Write,
) -> Result<Loaded, Failure> {
    let format = format.map(scenario_format).transpose()?;
    let name = display_name(path);
    let bytes = read_bounded(path).map_err(|e| {
        let _ = writeln!(stderr, "error: cannot read {name}: {e}");
        Failure::Invalid
    })?;
    let loaded = akkoord::load::load(
        &name,
        &bytes,
        &LoadSettings {
            format,
            hindsight,
            as_of: as_of.map(str::to_owned),
        },
    )
    .map_err(|e| report_error(&e, stderr))?;
    print_problems(&loaded.warnings, stderr);
    Ok(loaded)
}

/// The forecast settings of `flags`, with the parameters file of `--params` read (its
/// problems printed, located) when one is given.
pub(crate) fn forecast_settings(
    flags: &ForecastFlags,
    stderr: &mut dyn Write,
) -> Result<ForecastSettings, Failure> {
    let model = match &flags.params_file {
        None => ModelParameters::default(),
        Some(path) => {
            let name = display_name(path);
            let bytes = read_bounded(path).map_err(|e| {
                let _ = writeln!(stderr, "error: cannot read {name}: {e}");
                Failure::Invalid
            })?;
            akkoord::load::parameters(&name, &bytes).map_err(|e| report_error(&e, stderr))?
        }
    };
    Ok(flags.settings(model))
}

/// Whether `path` is a regular file that starts with a DEU table's header. Only the start is
/// read: the header is its first line.
pub(crate) fn is_deu_table(path: &Path) -> bool {
    const HEAD_BYTES: u64 = 64 * 1024;
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(HEAD_BYTES).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    let text = match std::str::from_utf8(&head) {
        Ok(text) => text,
        // The head may end inside a character.
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
    };
    akkoord_io::deu::looks_like(text)
}

/// The path that stands for standard input.
pub(crate) const STDIN_PATH: &str = "-";

/// How an input is named in messages: its path, or `<stdin>` for `-`.
pub(crate) fn display_name(path: &Path) -> String {
    if path.as_os_str() == STDIN_PATH {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

/// Reads a file, or standard input for `-`, stopping one byte past the size limit so that huge
/// input costs no memory. Anything but a regular file (a folder, a FIFO, a device) is refused
/// before it is opened: opening a FIFO with no writer would wait for ever.
pub(crate) fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let limit = MAX_INPUT_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    if path.as_os_str() == STDIN_PATH {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)?;
        return Ok(bytes);
    }
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "it is {}, not a regular file; pass a scenario file, or - to read standard input",
                file_kind(metadata.file_type())
            ),
        ));
    }
    if metadata.len() > MAX_INPUT_BYTES as u64 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "the file is {} bytes ({:.1} MiB); akkoord reads files up to {} MiB",
                metadata.len(),
                mebibytes(metadata.len()),
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        ));
    }
    std::fs::File::open(path)?
        .take(limit)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[allow(clippy::cast_precision_loss)] // a size shown to one decimal
fn mebibytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// What a file that is not a regular file is, for messages.
fn file_kind(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "something else"
    }
}
