//! `akkoord convert`: write a scenario from any readable format as TOML or JSON.

use std::io::Write;
use std::path::Path;

use akkoord::load::ConvertTo;

use crate::Failure;
use crate::args::{ConvertToArg, InputFormatArg};
use crate::input::{load, report_error};

pub(crate) fn run(
    path: &Path,
    to: ConvertToArg,
    format: Option<InputFormatArg>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    // Only a valid scenario is converted, and the whole text is built before anything is
    // written, so a failure never leaves a partial file behind.
    let loaded = load(path, format, stderr)?;
    let to = match to {
        ConvertToArg::Toml => ConvertTo::Toml,
        ConvertToArg::Json => ConvertTo::Json,
    };
    let text = akkoord::load::convert(&loaded, to).map_err(|e| report_error(&e, stderr))?;
    stdout.write_all(text.as_bytes())?;
    Ok(())
}
