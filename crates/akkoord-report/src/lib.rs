//! Results to bytes: the versioned JSON output ([`json`]), terminal tables ([`table`]) and
//! CSV ([`csv_out`]).
//!
//! Every renderer takes a model's result and the [`akkoord_core::scenario::Scenario`] it came
//! from (for names and units) and returns a `String`, so that a caller writes all or nothing.
//! **Invariant:** this crate never reads files, never prints and never runs a model.

pub mod calibration;
pub mod csv_out;
pub mod history;
pub mod html;
pub mod json;
pub mod svg;
pub mod table;
pub mod words;
