//! The akkoord engine: forecasts of decisions taken by consensus and bargaining.
//!
//! Data flows one way. A reader (in `akkoord-io`) fills a [`scenario::ScenarioDraft`];
//! [`validate::validate`] checks it and builds a [`scenario::Scenario`], reporting every
//! problem as a [`diag::Diagnostic`] with a field path. The models in [`models`] take a
//! validated scenario and return plain result types that the report crate renders.
//!
//! **Invariant:** this crate never does I/O, never prints, never reads the clock and never
//! draws from an unseeded random number generator. Everything comes in as arguments.

pub mod backtest;
pub mod calendar;
pub mod calibration;
pub mod diag;
pub mod history;
pub mod models;
pub mod montecarlo;
pub mod random;
pub mod scenario;
pub mod scoring;
pub mod validate;
