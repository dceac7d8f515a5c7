//! The bargaining models. Each takes a validated [`crate::scenario::Scenario`] and returns
//! plain result types; none reads another's internals.

pub mod baselines;
pub mod consensus;
pub mod exchange;
pub mod expected_utility;
