//! Tests of the engine through its public API: golden scenarios with hand-computed answers and
//! property tests of the models' invariants.

mod build;
mod calibration;
mod consensus;
mod events;
mod exchange;
mod expected_utility;
mod rules;
