//! One module per subcommand; [`dispatch`] picks one.

mod calibrate;
mod check;
mod convert;
mod deu;
mod forecast;
mod history;
mod report;
mod run;
#[cfg(feature = "web")]
mod serve;

use std::io::Write;

use crate::Failure;
use crate::args::{Cli, Command, RunCommand};

pub(crate) fn dispatch(
    cli: Cli,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    match cli.command {
        Command::Check { files, input } => check::run(&files, input.input_format, stdout, stderr),
        Command::Convert { file, to, input } => {
            convert::run(&file, to, input.input_format, stdout, stderr)
        }
        Command::Run(RunCommand::Exchange(args)) => run::exchange(&args, stdout, stderr),
        Command::Run(RunCommand::Bdm(args)) => run::bdm(&args, stdout, stderr),
        Command::Report(args) => report::run(&args, stdout, stderr),
        Command::Forecast(args) => forecast::forecast(&args, stdout, stderr),
        Command::Backtest(args)
            if args.input_format == Some(crate::args::InputFormatArg::Deu)
                || (args.input_format.is_none() && crate::input::is_deu_table(&args.path)) =>
        {
            deu::backtest(&args, stdout, stderr)
        }
        Command::Backtest(args) => forecast::backtest(&args, stdout, stderr),
        Command::History(args) => history::run(&args, stdout, stderr),
        #[cfg(feature = "web")]
        Command::Serve(args) => serve::run(&args, stderr),
        Command::Calibrate(args) => calibrate::run(&args, stdout, stderr),
        Command::Schema => {
            stdout.write_all(akkoord_io::file_v1::json_schema().as_bytes())?;
            Ok(())
        }
    }
}
