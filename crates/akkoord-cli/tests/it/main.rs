//! Integration tests of akkoord, in one binary: conformance with the reference
//! implementations (read from ../shared/reference at run time), and the command line.

// In tests a panic is the failure report, and a note on stderr is how a test explains itself.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod reference;

mod bdm_conformance;
mod calibrate;
mod cli;
mod deu;
mod events;
mod exchange_conformance;
mod golden;
mod input;
mod report;
mod roundtrip;
mod streams;
mod terminal;
