//! Fuzzes the BDM table reader with validation, as `akkoord check` runs them: any bytes give a valid
//! scenario or located errors, the same both times (see the crate's contracts).
#![no_main]

use akkoord_io::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    akkoord_fuzz::check_load(bytes, Some(InputFormat::BdmTable));
});
