//! The akkoord library: every pipeline of akkoord as one call that takes one typed settings
//! struct and returns typed results. The command line, a web server and Python bindings are
//! front ends of this crate: they parse their arguments into the settings, call a pipeline,
//! and render its result with [`render`] (tables, JSON, CSV, SVG, HTML).
//!
//! | pipeline | call | settings |
//! |---|---|---|
//! | load and validate (TOML, Decide, BDM table) | [`load::load`] | [`load::LoadSettings`] |
//! | convert to TOML or JSON | [`load::convert`] | [`load::ConvertTo`] |
//! | forecast an appointment | [`forecast::appointment`] | [`settings::ForecastSettings`] |
//! | forecast continuous issues | [`forecast::issues`] | [`settings::ForecastSettings`] |
//! | run the exchange model | [`run::exchange`] | [`settings::ExchangeSettings`] |
//! | run the expected-utility model | [`run::expected_utility`] | [`settings::BdmSettings`] |
//! | backtest appointments | [`backtest::score_case`], [`backtest::summarise`] | [`settings::ForecastSettings`] |
//! | calibrate the consensus model on cases | [`calibrate::calibrate`] | [`calibrate::CalibrateSettings`] |
//! | read a parameters file | [`load::parameters`] | |
//! | backtest a DEU issue table | [`backtest::deu`] | [`backtest::Capability`] |
//! | the HTML report | [`report::report`] | [`report::ReportSettings`] |
//!
//! Defaults live once, in the settings' `Default` (taken from the engine's published values);
//! front ends read them from there. Errors are one type, [`Error`]; invalid input carries its
//! located [`Problem`]s, which are `miette` diagnostics for the front end to show.
//!
//! **Invariant:** this crate never reads files, never prints and never decides how a result
//! looks: bytes come in, typed results go out. The engine ([`akkoord_core`]) stays pure; the
//! models run here on a thread pool of the caller's size.

pub mod backtest;
pub mod calibrate;
mod error;
pub mod forecast;
pub mod load;
pub mod report;
pub mod run;
pub mod settings;

pub use akkoord_core as core;
pub use akkoord_io::{InputFormat, Problem};
pub use akkoord_report as render;
pub use error::Error;

/// Runs `work` on a pool of `threads` workers, or on the global pool.
pub(crate) fn with_threads<T: Send>(
    threads: Option<u16>,
    work: impl FnOnce() -> T + Send,
) -> Result<T, Error> {
    match threads {
        None => Ok(work()),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build()
            .map(|pool| pool.install(work))
            .map_err(|e| Error::Threads {
                threads: n,
                reason: e.to_string(),
            }),
    }
}

/// A count of draws as a `usize`.
pub(crate) fn draws(runs: u64) -> Result<usize, Error> {
    usize::try_from(runs).map_err(|_| Error::TooManyRuns { runs })
}
