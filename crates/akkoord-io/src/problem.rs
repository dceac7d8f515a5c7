//! A problem in an input file, placed in its source text and ready for rendering.
//!
//! [`Problem`] implements [`miette::Diagnostic`], so the CLI renders it with the file name,
//! line and column, the source snippet, a label and hints. This crate never renders itself.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use akkoord_core::diag::{Severity, Topic};
use miette::{LabeledSpan, MietteError, MietteSpanContents, NamedSource, SourceCode, SpanContents};

use crate::text::clip;

/// The longest message kept whole; longer ones (a huge value quoted in a way [`clip_message`]
/// does not see) are cut.
const MAX_MESSAGE_CHARS: usize = 400;

/// Snippets with a line longer than this many bytes are cut to a window around the problem.
const MAX_LINE_BYTES: usize = 300;

/// The most bytes of source shown on each side of a problem in a cut snippet, and the most
/// underlined.
const SNIPPET_WINDOW_BYTES: usize = 60;

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
    /// The problem with every long quoted value in its message and hints clipped (see
    /// [`clip`]), so that a huge value cannot make a huge report.
    #[must_use]
    pub fn clipped(mut self) -> Self {
        self.message = clip_message(&self.message);
        for hint in &mut self.hints {
            *hint = clip_message(hint);
        }
        self
    }

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
        self.span.as_ref().map(|_| self as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        let text = self.source.inner();
        // A span over a line too long to print is underlined by its start only: the snippet
        // shows no more (see `read_span`).
        let span = if touches_long_line(text, &span) {
            let start = floor_char_boundary(text, span.start);
            let line_end = text[start..].find('\n').map_or(text.len(), |at| start + at);
            let end = floor_char_boundary(
                text,
                span.end.min(start + SNIPPET_WINDOW_BYTES).min(line_end),
            );
            start..end.max(start)
        } else {
            span
        };
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

/// The source as snippets show it: the file itself, or, where the lines around a problem are
/// too long to print, a window of the problem's line.
impl SourceCode for Problem {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let whole = self
            .source
            .read_span(span, context_lines_before, context_lines_after)?;
        if whole
            .data()
            .split(|b| *b == b'\n')
            .all(|line| line.len() <= MAX_LINE_BYTES)
        {
            return Ok(whole);
        }
        let text = self.source.inner();
        let start = floor_char_boundary(text, span.offset());
        let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |at| start + at);
        let from = ceil_char_boundary(
            text,
            start.saturating_sub(SNIPPET_WINDOW_BYTES).max(line_start),
        );
        let to = floor_char_boundary(
            text,
            (start + span.len().min(SNIPPET_WINDOW_BYTES) + SNIPPET_WINDOW_BYTES).min(line_end),
        )
        .max(from);
        let line = text[..start].matches('\n').count();
        let column = text[line_start..from].chars().count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.source.name().to_owned(),
            &text.as_bytes()[from..to],
            (from, to - from).into(),
            line,
            column,
            0,
        )))
    }
}

/// `message` with every quoted value longer than [`crate::text::MAX_QUOTED_CHARS`] clipped,
/// and cut at [`MAX_MESSAGE_CHARS`] if it is still too long.
fn clip_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MAX_MESSAGE_CHARS * 4));
    let mut rest = message;
    while let Some(open) = rest.find('"') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('"') else {
            break;
        };
        out.push_str(&rest[..=open]);
        out.push_str(&clip(&after[..close]));
        out.push('"');
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    match out.char_indices().nth(MAX_MESSAGE_CHARS) {
        None => out,
        Some((cut, _)) => format!("{}… ({} characters)", &out[..cut], out.chars().count()),
    }
}

/// Whether a line that `span` touches is longer than [`MAX_LINE_BYTES`].
fn touches_long_line(text: &str, span: &Range<usize>) -> bool {
    let start = floor_char_boundary(text, span.start);
    let end = floor_char_boundary(text, span.end.max(span.start));
    let first = text[..start].rfind('\n').map_or(0, |at| at + 1);
    let last = text[end..].find('\n').map_or(text.len(), |at| end + at);
    text[first..last]
        .split('\n')
        .any(|line| line.len() > MAX_LINE_BYTES)
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}
