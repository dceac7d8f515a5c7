//! Integration tests of akkoord, in one binary: conformance with the reference
//! implementations (read from ../shared/reference at run time), and the command line.

mod reference;

mod bdm_conformance;
mod cli;
mod deu;
mod exchange_conformance;
