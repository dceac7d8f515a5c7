//! A problem in an input file, placed in its source text and ready for rendering.
//!
//! [`Problem`] implements [`miette::Diagnostic`], so the CLI renders it with the file name,
//! line and column, the source snippet, a label and hints. This crate never renders itself.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use akkoord_core::diag::{Severity, Topic};
use miette::{LabeledSpan, NamedSource, SourceCode};

/// A problem found while reading or validating one input file.
#[derive(Clone, Debug)]
pub struct Problem {
    /// Whether it stops a run.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Where, in bytes of the source; `None` for the file as a whole.
    pub span: Option<Range<usize>>,
    /// How to fix it.
    pub hints: Vec<String>,
    /// The file it was found in.
    pub source: Arc<NamedSource<String>>,
    /// What it is about (hindsight is refused by backtests).
    pub topic: Topic,
}

impl Problem {
    /// The 1-based line and column where the problem starts, if it has a place.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        let span = self.span.as_ref()?;
        let text = self.source.inner();
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, column))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

impl miette::Diagnostic for Problem {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.hints.is_empty()).then(|| Box::new(self.hints.join("\n")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.span
            .as_ref()
            .map(|_| self.source.as_ref() as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        let label = match self.severity {
            Severity::Error => "here",
            Severity::Warning => "this",
        };
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(label.into()),
            span,
        ))))
    }
}
