//! The command line as typed: clap definitions only, no behaviour.

use std::path::PathBuf;

use akkoord::backtest::Capability;
use akkoord::calibrate::CalibrateSettings;
use akkoord::core::calibration::Folds;
use akkoord::core::models::exchange::TieRule;
use akkoord::core::models::expected_utility::Preset;
use akkoord::settings::{BdmSettings, ExchangeSettings, ForecastSettings, ModelParameters};
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
        to: ConvertToArg,
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
    /// The forecast at each date of a scenario with dated events, and what moved it.
    #[command(
        after_help = "Examples:\n  akkoord history examples/nato-2023.toml\n  akkoord history examples/nato-2023.toml --every month --runs 5000 --format csv\n  akkoord history examples/nato-2023.toml --from 2023-10-01 --chart history.svg"
    )]
    History(HistoryArgs),
    /// Open the web workbench on a scenario or a folder of scenarios: edit stances in the
    /// browser and see the forecast move; saving keeps the file's comments.
    #[cfg(feature = "web")]
    #[command(
        after_help = "Examples:\n  akkoord serve examples/\n  akkoord serve examples/nato-2023.toml --port 8080"
    )]
    Serve(ServeArgs),
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
    #[arg(long, default_value_t = CalibrateSettings::default().folds, value_parser = folds)]
    pub folds: Folds,
    /// Draws per case for every parameter vector tried (the same draws each time).
    #[arg(long, default_value_t = CalibrateSettings::default().runs, value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
    pub runs: u64,
    /// Seed of the draws.
    #[arg(long, default_value_t = CalibrateSettings::default().seed)]
    pub seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Nelder-Mead iterations per fit at most.
    #[arg(long, default_value_t = CalibrateSettings::default().max_iterations, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_iterations: u64,
    /// Write the calibrated parameters (with their provenance and spread) to this TOML file,
    /// for --params.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BriefFormat::Table)]
    pub format: BriefFormat,
}

impl CalibrateArgs {
    /// The library's settings these flags ask for.
    pub fn settings(&self) -> CalibrateSettings {
        CalibrateSettings {
            folds: self.folds,
            runs: self.runs,
            seed: self.seed,
            threads: self.threads,
            max_iterations: self.max_iterations,
        }
    }
}

/// Parses `loo` or a number of folds of at least 2.
fn folds(text: &str) -> Result<Folds, String> {
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

/// Settings of the consensus dynamics and the Monte Carlo; the defaults are the library's.
#[derive(Debug, Args)]
pub struct ForecastFlags {
    /// Monte Carlo draws [default: 20000 for an appointment; 1000 for continuous issues, where
    /// each draw runs every model; a single run when no input is uncertain].
    #[arg(long, alias = "issue-runs", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub runs: Option<u64>,
    /// Seed of the random streams; the same seed gives the same forecast on any thread count.
    #[arg(long, default_value_t = ForecastSettings::default().seed)]
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
    #[arg(long, default_value_t = ForecastSettings::default().deal_window, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub deal_window: u32,
    /// Draws used to measure levers (common random numbers).
    #[arg(long, default_value_t = ForecastSettings::default().lever_runs, value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    pub lever_runs: u64,
    /// The scenario as it stood on this date (YYYY-MM-DD): its events dated on or before it,
    /// and sources dated after it treated as hindsight.
    #[arg(long, value_name = "DATE", value_parser = calendar_date)]
    pub as_of: Option<String>,
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

impl ForecastFlags {
    /// The library's settings these flags ask for, starting from `model` (the parameters
    /// file of `--params`, read by the caller, or the defaults). The named flags come before
    /// `--param`, so that a `--param` of the same name wins, as the last word should.
    pub fn settings(&self, model: ModelParameters) -> ForecastSettings {
        let named = [
            ("lobbying", self.lobbying),
            ("withdraw_share", self.withdraw_share),
            ("nomination_share", self.nomination_share),
        ];
        ForecastSettings {
            runs: self.runs,
            seed: self.seed,
            threads: self.threads,
            rounds: self.rounds,
            model,
            deal_window: self.deal_window,
            lever_runs: self.lever_runs,
            params: named
                .into_iter()
                .filter_map(|(name, value)| Some((name.to_owned(), value?)))
                .chain(self.params.iter().cloned())
                .collect(),
        }
    }
}

/// Arguments of `akkoord forecast`.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// The scenario.
    pub file: PathBuf,
    #[command(flatten)]
    pub settings: ForecastFlags,
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
    pub settings: ForecastFlags,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Arguments of `akkoord backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// A scenario with a known outcome, a folder of them, or a DEU issue table.
    pub path: PathBuf,
    #[command(flatten)]
    pub settings: ForecastFlags,
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
    #[arg(long, default_value_t = Capability::INSTITUTION_WEIGHT, value_parser = non_negative)]
    pub institution_weight: f64,
}

/// How DEU actors' capability is set.
/// `akkoord history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// A scenario file with `[[events]]`.
    pub file: PathBuf,
    /// The first date (default: the day before the first event, the base alone).
    #[arg(long, value_name = "DATE", value_parser = calendar_date)]
    pub from: Option<String>,
    /// The last date (default: the scenario's `as_of`, or its last event).
    #[arg(long, value_name = "DATE", value_parser = calendar_date)]
    pub to: Option<String>,
    /// Forecast on each event's date, or every week or month.
    #[arg(long, value_enum, default_value_t = EveryArg::Event)]
    pub every: EveryArg,
    /// Model settings; every date uses the same seed (common random numbers). `--as-of` is
    /// refused: a history runs from --from to --to.
    #[command(flatten)]
    pub settings: ForecastFlags,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BriefFormat::Table)]
    pub format: BriefFormat,
    /// Also write the chart of probabilities over time (SVG) to this file.
    #[arg(long, value_name = "FILE")]
    pub chart: Option<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// How often `akkoord history` forecasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EveryArg {
    /// On each date an event takes effect.
    Event,
    /// Every seven days.
    Week,
    /// Every month.
    Month,
}

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
    #[arg(long, default_value_t = ExchangeSettings::default().rounds, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub rounds: u32,
    /// How ties between equal gains are broken.
    #[arg(long, value_enum, default_value_t = ExchangeSettings::default().ties.into())]
    pub ties: TiesArg,
    /// Randomized Equal Gain: the size of the random variation of exchange rates, 0..=1.
    #[arg(long, default_value_t = ExchangeSettings::default().p, value_parser = unit_interval)]
    pub p: f64,
    /// Independent repetitions (useful with --p or --ties random).
    #[arg(long, default_value_t = ExchangeSettings::default().repetitions, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub repetitions: u32,
    /// Seed of the random streams; the same seed gives the same result on any thread count.
    #[arg(long, default_value_t = ExchangeSettings::default().seed)]
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
    #[arg(long, value_enum, default_value_t = BdmSettings::default().preset.into())]
    pub preset: PresetArg,
    /// Run exactly this many rounds; without it, run until the median settles or cycles.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub rounds: Option<u32>,
    /// Seed of stochastic contests (masad2016) and salience shocks.
    #[arg(long, default_value_t = BdmSettings::default().seed)]
    pub seed: u64,
    /// Redraw each actor's salience with this probability before every round.
    #[arg(long, value_parser = unit_interval)]
    pub salience_shock: Option<f64>,
    /// Probability that the status quo persists when nobody challenges.
    #[arg(long, default_value_t = BdmSettings::default().q, value_parser = unit_interval)]
    pub q: f64,
    /// Probability that an unchallenged change goes the actor's way.
    #[arg(long, default_value_t = BdmSettings::default().t, value_parser = unit_interval)]
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

impl From<TieRule> for TiesArg {
    fn from(rule: TieRule) -> Self {
        match rule {
            TieRule::Canonical => Self::Canonical,
            TieRule::ListOrder => Self::ListOrder,
            TieRule::Random => Self::Random,
        }
    }
}

impl From<TiesArg> for TieRule {
    fn from(arg: TiesArg) -> Self {
        match arg {
            TiesArg::Canonical => Self::Canonical,
            TiesArg::ListOrder => Self::ListOrder,
            TiesArg::Random => Self::Random,
        }
    }
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

impl From<Preset> for PresetArg {
    fn from(preset: Preset) -> Self {
        match preset {
            Preset::Scholz => Self::Scholz,
            Preset::Textbook => Self::Textbook,
            Preset::Masad2016 => Self::Masad2016,
        }
    }
}

impl From<PresetArg> for Preset {
    fn from(arg: PresetArg) -> Self {
        match arg {
            PresetArg::Scholz => Self::Scholz,
            PresetArg::Textbook => Self::Textbook,
            PresetArg::Masad2016 => Self::Masad2016,
        }
    }
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

/// Parses a consensus-model parameter as NAME=VALUE.
fn model_parameter(text: &str) -> Result<(String, f64), String> {
    let names: Vec<&str> = akkoord::core::models::consensus::PARAMETERS
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

/// A `YYYY-MM-DD` date of the calendar.
pub(crate) fn calendar_date(text: &str) -> Result<String, String> {
    match akkoord::core::calendar::days(text) {
        Some(days) if akkoord::core::calendar::date(days) == text => Ok(text.to_owned()),
        _ => Err(format!(
            "expected a date as YYYY-MM-DD, such as 2023-11-28, found \"{text}\""
        )),
    }
}

/// Parses a number in [0, 1].
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
pub enum ConvertToArg {
    /// The native TOML scenario format.
    Toml,
    /// The same structure as JSON.
    Json,
}

/// Arguments of `akkoord serve`.
#[cfg(feature = "web")]
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// A scenario file, or a folder whose *.toml scenarios are listed.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The port to listen on.
    #[arg(long, default_value_t = 7878)]
    pub port: u16,
    /// The address to listen on; anything but the loopback interface makes the workbench
    /// (and the right to overwrite the served files) reachable from other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
}
