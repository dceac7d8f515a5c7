//! The command line as typed: clap definitions only, no behaviour.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Forecast and explain decisions made by consensus and bargaining.
#[derive(Debug, Parser)]
#[command(name = "akkoord", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  akkoord check examples/nato-2023.toml
  akkoord forecast examples/nato-2023.toml --runs 20000 --seed 7
  akkoord run exchange copenhagen.csv --rounds 10 --format json
  akkoord run bdm emission.csv --preset scholz
  akkoord convert copenhagen.csv --to toml > copenhagen.toml
  akkoord schema > scenario.v1.json";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files and report every problem with its line and column.
    #[command(
        after_help = "Examples:\n  akkoord check examples/*.toml\n  akkoord check --input-format decide data.txt"
    )]
    Check {
        /// Files to check (TOML scenarios, Decide files, BDM tables).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Convert a scenario (for example a Decide file or a BDM table) to TOML or JSON.
    #[command(
        after_help = "Examples:\n  akkoord convert copenhagen.csv --to toml > copenhagen.toml\n  akkoord convert emission.csv --to json"
    )]
    Convert {
        /// The file to convert.
        file: PathBuf,
        /// The output format.
        #[arg(long, value_enum)]
        to: ConvertTo,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Print the JSON Schema of the scenario format.
    Schema,
}

/// How input files are read.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Read the files in this format instead of recognising it from the content.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormatArg>,
}

/// Input formats on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum InputFormatArg {
    /// The native TOML scenario format.
    Toml,
    /// Decide's #A/#P/#M/#D rows.
    Decide,
    /// The BDM table actor,capability,position,salience.
    Bdm,
}

/// Formats `convert` writes.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ConvertTo {
    /// The native TOML scenario format.
    Toml,
    /// The same structure as JSON.
    Json,
}
