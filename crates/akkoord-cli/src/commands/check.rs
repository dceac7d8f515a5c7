//! `akkoord check`: validate files and print one summary line for each valid one.

use std::io::Write;
use std::path::PathBuf;

use akkoord::render::table::count;

use crate::Failure;
use crate::args::InputFormatArg;
use crate::input::load;

pub(crate) fn run(
    files: &[PathBuf],
    format: Option<InputFormatArg>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    let mut any_invalid = false;
    for path in files {
        match load(path, format, stderr) {
            Ok(loaded) => {
                let s = &loaded.scenario;
                writeln!(
                    stdout,
                    "{}: ok ({}): {}, {}, {}{}",
                    crate::input::display_name(path),
                    loaded.format.name(),
                    count(s.actors.len(), "actor", "actors"),
                    count(s.issues.len(), "issue", "issues"),
                    count(s.candidate_count(), "candidate", "candidates"),
                    match loaded.warnings.len() {
                        0 => String::new(),
                        n => format!(", {}", count(n, "warning", "warnings")),
                    }
                )?;
            }
            Err(Failure::Invalid) => any_invalid = true,
            Err(other) => return Err(other),
        }
    }
    if any_invalid {
        Err(Failure::Invalid)
    } else {
        Ok(())
    }
}
