//! `akkoord convert`: write a scenario from any readable format as TOML or JSON.

use std::io::Write;
use std::path::Path;

use akkoord_io::file_v1::ScenarioFile;

use crate::Failure;
use crate::args::{ConvertTo, InputFormatArg};
use crate::input::load;

pub(crate) fn run(
    path: &Path,
    to: ConvertTo,
    format: Option<InputFormatArg>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    // Only a valid scenario is converted, and the whole text is built before anything is
    // written, so a failure never leaves a partial file behind.
    let loaded = load(path, format, stderr)?;
    let file = ScenarioFile::from_draft(&loaded.draft);
    let text = match to {
        ConvertTo::Toml => {
            toml::to_string(&file).map_err(|e| Failure::Usage(format!("cannot write TOML: {e}")))?
        }
        ConvertTo::Json => {
            serde_json::to_string_pretty(&file)
                .map_err(|e| Failure::Usage(format!("cannot write JSON: {e}")))?
                + "\n"
        }
    };
    stdout.write_all(text.as_bytes())?;
    Ok(())
}
