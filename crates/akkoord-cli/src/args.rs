//! The command line as typed: clap definitions only, no behaviour.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Forecast and explain decisions made by consensus and bargaining.
#[derive(Debug, Parser)]
#[command(
    name = "akkoord",
    version,
    about = "Forecast and explain decisions made by consensus and bargaining among many actors",
    long_about = None,
    after_help = EXAMPLES
)]
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
  akkoord report examples/nato-2023.toml -o nato.html
  akkoord backtest cases/
  akkoord convert copenhagen.csv --to toml > copenhagen.toml
  akkoord schema > scenario.v1.json

Exit codes: 0 success, 1 invalid input (every problem is listed on stderr), 2 usage error.";

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
    #[command(
        after_help = "Examples:\n  akkoord schema > scenario.v1.json\n  (then point your editor's TOML or JSON schema setting at scenario.v1.json)"
    )]
    Schema,
    /// Run one bargaining model on a scenario.
    #[command(
        subcommand,
        after_help = "Examples:\n  akkoord run exchange copenhagen.csv --rounds 10\n  akkoord run bdm emission.csv --preset scholz --format json"
    )]
    Run(RunCommand),
    /// Forecast an appointment (who gets the job, or no agreement), or each model's outcome
    /// of continuous issues, by Monte Carlo over every uncertain input.
    #[command(
        after_help = "Examples:\n  akkoord forecast examples/nato-2023.toml\n  akkoord forecast examples/nato-2023.toml --runs 100000 --seed 7 --format json\n  akkoord forecast copenhagen.csv --runs 500"
    )]
    Forecast(ForecastArgs),
    /// Write a self-contained HTML report (and optionally each chart as SVG).
    #[command(
        after_help = "Examples:\n  akkoord report examples/nato-2023.toml -o nato.html\n  akkoord report copenhagen.csv -o cop15.html --charts charts/"
    )]
    Report(ReportArgs),
    /// Score forecasts of cases whose outcome is known (a file, or every .toml in a folder).
    #[command(
        after_help = "Examples:\n  akkoord backtest cases/\n  akkoord backtest cases/nato-2009.toml --format json"
    )]
    Backtest(BacktestArgs),
    /// Fit the consensus model's parameters to a library of cases with known outcomes, with
    /// cross-validated (out-of-sample) scores beside the defaults and the naive rule.
    #[command(
        after_help = "Examples:\n  akkoord calibrate cases/\n  akkoord calibrate cases/ --folds 5 --runs 1000 -o params.toml\n  akkoord forecast examples/nato-2023.toml --params params.toml"
    )]
    Calibrate(CalibrateArgs),
}

/// Arguments of `akkoord calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// A folder of scenarios with known outcomes (every .toml in it).
    pub path: PathBuf,
    /// Cross-validation: `loo` (leave one case out) or a number of folds.
    #[arg(long, default_value = "loo", value_parser = folds)]
    pub folds: akkoord_core::calibration::Folds,
    /// Draws per case for every parameter vector tried (the same draws each time).
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
    pub runs: u64,
    /// Seed of the draws.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Nelder-Mead iterations per fit at most.
    #[arg(long, default_value_t = 80, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_iterations: u64,
    /// Write the calibrated parameters (with their provenance and spread) to this TOML file,
    /// for --params.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BriefFormat::Table)]
    pub format: BriefFormat,
}

/// Parses `loo` or a number of folds of at least 2.
fn folds(text: &str) -> Result<akkoord_core::calibration::Folds, String> {
    use akkoord_core::calibration::Folds;
    match text.trim() {
        "loo" => Ok(Folds::LeaveOneOut),
        k => match k.parse::<usize>() {
            Ok(k) if k >= 2 => Ok(Folds::K(k)),
            _ => Err(format!(
                "expected loo or a number of folds of at least 2, found \"{text}\""
            )),
        },
    }
}

/// Settings of the consensus dynamics and the Monte Carlo.
#[derive(Debug, Args)]
pub struct ForecastSettings {
    /// Monte Carlo draws [default: 20000 for an appointment; 1000 for continuous issues, where
    /// each draw runs every model; a single run when no input is uncertain].
    #[arg(long, alias = "issue-runs", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub runs: Option<u64>,
    /// Seed of the random streams; the same seed gives the same forecast on any thread count.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Bargaining rounds before the fallback holds (default: the scenario's deadline, else 12).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub rounds: Option<u32>,
    /// Lobbying intensity: the share of the way to full support an indifferent holdout moves
    /// in a round under unopposed pressure [default: the model's, docs/calibration.md].
    #[arg(long, value_parser = unit_interval)]
    pub lobbying: Option<f64>,
    /// A candidate withdraws below this share of the front-runner's weighted support
    /// [default: the model's].
    #[arg(long, value_parser = unit_interval)]
    pub withdraw_share: Option<f64>,
    /// An interested candidate is put forward at this share of the front-runner's support
    /// [default: the model's].
    #[arg(long, value_parser = unit_interval)]
    pub nomination_share: Option<f64>,
    /// Holdouts sell their consent through side deals only in this many last rounds before the
    /// deadline (the deadline effect).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub deal_window: u32,
    /// Draws used to measure levers (common random numbers).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    pub lever_runs: u64,
    /// Sets a parameter of the consensus model, as NAME=VALUE (repeatable), such as
    /// veto-cost, deadline-pressure, silent-salience, shared-shock, outsider-rate or
    /// payment-share (docs/models/consensus.md lists each with its default and range).
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = model_parameter)]
    pub params: Vec<(String, f64)>,
    /// A parameters file (written by `akkoord calibrate -o`) whose values replace the shipped
    /// defaults; --param and the flags above still override it.
    #[arg(long = "params", value_name = "FILE")]
    pub params_file: Option<PathBuf>,
}

impl ForecastSettings {
    /// Draws of an appointment forecast when `--runs` is not given.
    pub const APPOINTMENT_RUNS: u64 = 20_000;
    /// Draws of an issue forecast when `--runs` is not given: each draw runs every model, and
    /// the exchange model alone takes milliseconds a draw.
    pub const ISSUE_RUNS: u64 = 1000;

    /// The draws of an appointment forecast.
    pub fn appointment_runs(&self) -> u64 {
        self.runs.unwrap_or(Self::APPOINTMENT_RUNS)
    }

    /// The draws of a forecast of continuous issues: one when nothing in the scenario is
    /// uncertain (every draw would be the same).
    pub fn issue_runs(&self, anything_uncertain: bool) -> u64 {
        if anything_uncertain {
            self.runs.unwrap_or(Self::ISSUE_RUNS)
        } else {
            1
        }
    }
}

/// Arguments of `akkoord forecast`.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// The scenario.
    pub file: PathBuf,
    #[command(flatten)]
    pub settings: ForecastSettings,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BriefFormat::Table)]
    pub format: BriefFormat,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Arguments of `akkoord report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The scenario.
    pub file: PathBuf,
    /// Where to write the HTML report.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Also write each chart as an SVG file into this folder.
    #[arg(long)]
    pub charts: Option<PathBuf>,
    #[command(flatten)]
    pub settings: ForecastSettings,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Arguments of `akkoord backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// A scenario with a known outcome, a folder of them, or a DEU issue table.
    pub path: PathBuf,
    #[command(flatten)]
    pub settings: ForecastSettings,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BriefFormat::Table)]
    pub format: BriefFormat,
    /// `deu` to score every model on a DEU issue table of EU decisions.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormatArg>,
    /// DEU: actors' capability: equal, or Council voting weights of the proposal's period.
    #[arg(long, value_enum, default_value_t = CapabilityArg::Equal)]
    pub capability: CapabilityArg,
    /// DEU: the Council weights table (`eucouncil_weights.csv`), needed with --capability council.
    #[arg(long)]
    pub council_weights: Option<PathBuf>,
    /// Also write the reliability diagram (SVG) of the cases to this file.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// DEU: the Commission's and the Parliament's capability as a share of the largest member
    /// state's, with --capability council.
    #[arg(long, default_value_t = 1.0, value_parser = non_negative)]
    pub institution_weight: f64,
}

/// How DEU actors' capability is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CapabilityArg {
    /// Every actor has capability 1.
    Equal,
    /// Council voting weights of the period the proposal was introduced in.
    Council,
}

/// Parses a finite number >= 0.
fn non_negative(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("expected a number of at least 0, found \"{text}\"")),
    }
}

/// Formats of forecasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BriefFormat {
    /// A readable brief.
    Table,
    /// Versioned JSON (docs/output-format.md).
    Json,
    /// The main table as CSV.
    Csv,
}

/// The models `akkoord run` knows.
#[derive(Debug, Subcommand)]
pub enum RunCommand {
    /// Stokman's exchange model (Equal Gain, as in Decide), optionally randomized.
    #[command(
        after_help = "Examples:\n  akkoord run exchange copenhagen.csv\n  akkoord run exchange copenhagen.csv --ties list-order --format json\n  akkoord run exchange cop21.csv --p 0.5 --repetitions 100 --seed 1 --format json"
    )]
    Exchange(ExchangeArgs),
    /// Bueno de Mesquita's expected-utility model, one issue at a time.
    #[command(
        after_help = "Examples:\n  akkoord run bdm emission.csv\n  akkoord run bdm emission.csv --preset masad2016 --seed 3 --format csv\n  akkoord run bdm scenario.toml --preset textbook"
    )]
    Bdm(BdmArgs),
}

/// Arguments of `akkoord run exchange`.
#[derive(Debug, Args)]
pub struct ExchangeArgs {
    /// The scenario (TOML or a Decide file).
    pub file: PathBuf,
    /// Rounds to run.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub rounds: u32,
    /// How ties between equal gains are broken.
    #[arg(long, value_enum, default_value_t = TiesArg::Canonical)]
    pub ties: TiesArg,
    /// Randomized Equal Gain: the size of the random variation of exchange rates, 0..=1.
    #[arg(long, default_value_t = 0.0, value_parser = unit_interval)]
    pub p: f64,
    /// Independent repetitions (useful with --p or --ties random).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub repetitions: u32,
    /// Seed of the random streams; the same seed gives the same result on any thread count.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Include each trade's effect on every actor ("externalities") in the JSON output: one
    /// value per actor and trade, most of the output on large inputs.
    #[arg(long)]
    pub externalities: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Arguments of `akkoord run bdm`.
#[derive(Debug, Args)]
pub struct BdmArgs {
    /// The scenario (TOML or a BDM table).
    pub file: PathBuf,
    /// The published variant to run.
    #[arg(long, value_enum, default_value_t = PresetArg::Scholz)]
    pub preset: PresetArg,
    /// Run exactly this many rounds; without it, run until the median settles or cycles.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub rounds: Option<u32>,
    /// Seed of stochastic contests (masad2016) and salience shocks.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Redraw each actor's salience with this probability before every round.
    #[arg(long, value_parser = unit_interval)]
    pub salience_shock: Option<f64>,
    /// Probability that the status quo persists when nobody challenges.
    #[arg(long, default_value_t = 1.0, value_parser = unit_interval)]
    pub q: f64,
    /// Probability that an unchallenged change goes the actor's way.
    #[arg(long, default_value_t = 1.0, value_parser = unit_interval)]
    pub t: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Tie rules on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TiesArg {
    /// Gains within a relative 1e-12 tie; the earliest created trade wins.
    Canonical,
    /// The reference's deterministic rule: first in list order.
    ListOrder,
    /// A seeded draw among tied trades.
    Random,
}

/// Expected-utility presets on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PresetArg {
    /// Scholz et al.'s code; reproduces BDM's 1994 trajectory.
    Scholz,
    /// The paper's reading with the known bugs fixed.
    Textbook,
    /// BDM 2002 as implemented by Masad (2016): stochastic contests, reneging.
    Masad2016,
}

/// Output formats of model runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A table for people.
    Table,
    /// Versioned JSON (docs/output-format.md).
    Json,
    /// One row per round, issue and actor.
    Csv,
}

/// Parses a number in [0, 1].
fn model_parameter(text: &str) -> Result<(String, f64), String> {
    let names: Vec<&str> = akkoord_core::models::consensus::PARAMETERS
        .iter()
        .map(|p| p.name)
        .collect();
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=VALUE, found \"{text}\""))?;
    let name = name.trim().replace('-', "_");
    if !names.contains(&name.as_str()) {
        return Err(format!(
            "unknown parameter \"{name}\", expected one of {}",
            names.join(", ")
        ));
    }
    let value: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("expected a number after \"{name}=\", found \"{value}\""))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!("expected a finite number >= 0, found {value}"));
    }
    Ok((name, value))
}

fn unit_interval(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("expected a number between 0 and 1, found \"{text}\""))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("expected a number between 0 and 1, found {value}"))
    }
}

/// How input files are read.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Read the files in this format instead of recognising it from the content.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormatArg>,
}

/// Input formats on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    /// The native TOML scenario format.
    Toml,
    /// Decide's #A/#P/#M/#D rows.
    Decide,
    /// The BDM table actor,capability,position,salience.
    Bdm,
    /// The DEU issue table of EU decisions (backtest only: it holds many cases).
    Deu,
}

/// Formats `convert` writes.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ConvertTo {
    /// The native TOML scenario format.
    Toml,
    /// The same structure as JSON.
    Json,
}
