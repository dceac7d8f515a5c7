//! Text to engine and back: akkoord scenario files, Decide files and BDM tables.
//!
//! [`load`] takes the bytes of one input, recognises its [`InputFormat`] (or takes the one
//! given), reads it into the engine's draft while recording the span of every field
//! ([`spans::SpanMap`]), validates it with `akkoord_core`, and places every diagnostic in the
//! source as a [`Problem`]. [`file_v1`] holds the versioned serde types of the native format
//! and its JSON Schema.
//!
//! **Invariant:** this crate never opens files, never prints and never panics on input: it
//! takes text and a display name, and every problem with the text becomes a [`Problem`].

pub mod deu;
pub mod file_v1;
pub mod params;
pub mod problem;
pub mod spans;
pub mod text;

mod bdm_table;
mod decide;
mod toml_file;

use std::ops::Range;
use std::sync::Arc;

use akkoord_core::diag::Severity;
use akkoord_core::scenario::{Scenario, ScenarioDraft};
use akkoord_core::validate::validate_as_of;
use miette::NamedSource;

pub use problem::Problem;

/// The formats akkoord reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// The native TOML scenario format.
    Toml,
    /// Decide's `#A/#P/#M/#D` rows.
    Decide,
    /// The BDM table `actor,capability,position,salience`.
    BdmTable,
}

impl InputFormat {
    /// The name used on the command line and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Toml => "toml",
            Self::Decide => "decide",
            Self::BdmTable => "bdm",
        }
    }

    /// Recognises the format from the content: Decide row keys, the BDM header (or a header
    /// close to it), or TOML; `None` for a DEU issue table, which holds many cases and is
    /// read by [`deu::read`], not as one scenario.
    pub fn detect(text: &str) -> Option<Self> {
        if decide::looks_like(text) {
            Some(Self::Decide)
        } else if deu::looks_like(text) {
            None
        } else if bdm_table::looks_like(text) {
            Some(Self::BdmTable)
        } else {
            Some(Self::Toml)
        }
    }
}

/// A problem found by a reader, before it is tied to a named source.
#[derive(Clone, Debug)]
pub(crate) struct RawProblem {
    message: String,
    span: Option<Range<usize>>,
    hints: Vec<String>,
}

impl RawProblem {
    fn new(message: String, span: Option<Range<usize>>) -> Self {
        Self {
            message,
            span,
            hints: Vec::new(),
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

/// What a reader made of a text: the draft, where its fields lie, and problems that did not
/// stop the reading (so that validation can still report the rest).
pub(crate) struct Parsed {
    draft: ScenarioDraft,
    spans: spans::SpanMap,
    format: InputFormat,
    problems: Vec<RawProblem>,
}

/// A scenario read and validated.
#[derive(Debug)]
pub struct Loaded {
    /// The validated scenario.
    pub scenario: Scenario,
    /// The draft it was built from, for `akkoord convert`.
    pub draft: ScenarioDraft,
    /// The format it was read from.
    pub format: InputFormat,
    /// Problems that do not stop a run.
    pub warnings: Vec<Problem>,
}

/// Where an error about something the text leaves out as a whole (no actors at all, no
/// Decide rows) is placed: the start of the file, as a missing `format` is, so that every
/// error in a readable text has a line and column.
const FILE_START: Range<usize> = 0..0;

/// Reads and validates one input. On failure, every problem found, errors first.
pub fn load(name: &str, bytes: &[u8], format: Option<InputFormat>) -> Result<Loaded, Vec<Problem>> {
    load_as_of(name, bytes, format, None)
}

/// [`load`], taking the scenario as it stood on `as_of` (its base and the events dated on or
/// before it; sources dated after it are hindsight) instead of on its own `as_of`.
pub fn load_as_of(
    name: &str,
    bytes: &[u8],
    format: Option<InputFormat>,
    as_of: Option<&str>,
) -> Result<Loaded, Vec<Problem>> {
    let text = match text::decode(bytes) {
        Ok(text) => text,
        Err(problem) => {
            let source = Arc::new(NamedSource::new(name, String::new()));
            return Err(vec![Problem {
                severity: Severity::Error,
                message: problem.message(),
                span: None,
                hints: vec![problem.hint().to_owned()],
                source,
                topic: akkoord_core::diag::Topic::General,
            }]);
        }
    };
    let text: &str = &text;
    let format = match format {
        Some(format) => Some(format),
        None => InputFormat::detect(text),
    };
    let source = Arc::new(
        NamedSource::new(name, text.to_owned()).with_language(match format {
            Some(InputFormat::Toml) => "toml",
            _ => "csv",
        }),
    );
    let place = |raw: RawProblem| {
        Problem {
            severity: Severity::Error,
            message: raw.message,
            span: Some(raw.span.unwrap_or(FILE_START)),
            hints: raw.hints,
            source: Arc::clone(&source),
            topic: akkoord_core::diag::Topic::General,
        }
        .clipped()
    };
    let Some(format) = format else {
        // Only a DEU table is recognised without being a scenario format.
        return Err(vec![place(deu::not_a_scenario(text))]);
    };
    let parsed = match format {
        InputFormat::Toml => toml_file::parse(text),
        InputFormat::Decide => Ok(decide::parse(text)),
        InputFormat::BdmTable => bdm_table::parse(text),
    };
    let parsed = parsed.map_err(|raw| raw.into_iter().map(place).collect::<Vec<_>>())?;
    let reader_problems: Vec<Problem> = parsed.problems.into_iter().map(place).collect();
    let located = |d: akkoord_core::diag::Diagnostic| {
        // A warning about an omission (no `[deadline]`) may stay without a place; an error
        // never does (see [`FILE_START`]).
        let span = parsed
            .spans
            .locate(&d.path)
            .or_else(|| (d.severity == Severity::Error).then_some(FILE_START));
        Problem {
            severity: d.severity,
            message: d.message,
            span,
            hints: d.hints,
            source: Arc::clone(&source),
            topic: d.topic,
        }
        .clipped()
    };
    match validate_as_of(&parsed.draft, as_of) {
        Ok(validated) if reader_problems.is_empty() => Ok(Loaded {
            scenario: validated.value,
            draft: parsed.draft,
            format: parsed.format,
            warnings: validated.warnings.into_iter().map(located).collect(),
        }),
        Ok(validated) => Err(merge(
            reader_problems,
            validated.warnings.into_iter().map(located).collect(),
        )),
        Err(diagnostics) => Err(merge(
            reader_problems,
            diagnostics.into_iter().map(located).collect(),
        )),
    }
}

/// Reader problems first, then the engine's, leaving out the engine's where the reader has
/// already reported the same place (a number it could not read is not also "not finite").
fn merge(reader: Vec<Problem>, engine: Vec<Problem>) -> Vec<Problem> {
    let taken: Vec<Option<Range<usize>>> = reader.iter().map(|p| p.span.clone()).collect();
    let mut all = reader;
    all.extend(
        engine
            .into_iter()
            .filter(|p| p.span.is_none() || !taken.contains(&p.span)),
    );
    all.sort_by_key(|p| {
        (
            std::cmp::Reverse(p.severity),
            p.span.as_ref().map_or(0, |s| s.start),
        )
    });
    all
}
