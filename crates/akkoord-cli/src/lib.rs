//! The akkoord command line: argument parsing, files, and the choice of output.
//!
//! [`run`] is the whole program with its output streams passed in, so that tests run it in
//! process. This is the only crate that reads files, prints and renders diagnostics. Exit
//! codes: 0 success, 1 invalid input (diagnostics on stderr), 2 usage error.

mod args;
mod commands;
mod input;
mod output;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};

use clap::Parser;

pub use args::Cli;

/// What went wrong in a command, decided into an exit code.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The input is invalid; diagnostics were printed. Exit 1.
    Invalid,
    /// The command line cannot be carried out. Exit 2.
    Usage(String),
    /// Writing the output failed. Exit 1.
    Output(std::io::Error),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Self::Output(e)
    }
}

/// Runs akkoord with these arguments, writing data to `stdout` and diagnostics to `stderr`;
/// returns the exit code.
pub fn run<I, T>(args: I, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            // Colour only where a person reads it: a terminal.
            let coloured = if e.use_stderr() {
                std::io::stderr().is_terminal()
            } else {
                std::io::stdout().is_terminal()
            };
            let rendered = if coloured {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            let target: &mut dyn Write = if e.use_stderr() { stderr } else { stdout };
            let _ = write!(target, "{rendered}");
            return u8::try_from(code).unwrap_or(2);
        }
    };
    match commands::dispatch(cli, stdout, stderr) {
        Ok(()) => 0,
        Err(Failure::Invalid) => 1,
        Err(Failure::Usage(message)) => {
            let _ = writeln!(stderr, "error: {message}");
            2
        }
        // A reader that stopped early (`akkoord ... | head`) is not an error: end quietly, as
        // other Unix tools do.
        Err(Failure::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(Failure::Output(e)) => {
            let _ = writeln!(stderr, "error: could not write the output: {e}");
            1
        }
    }
}
