//! Diagnostics: what is wrong with a scenario, where (as a field path), and how to fix it.
//!
//! This module owns the vocabulary every validation rule speaks. It knows nothing about
//! source text: a [`FieldPath`] names a field (`actors[3].capability`), and the I/O crate maps
//! that path to a file, line and column. It must never hold spans, file names or rendering.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The scenario can still be run, but the analyst should look.
    Warning,
    /// The scenario cannot be run.
    Error,
}

/// What a diagnostic is about, where a caller treats some kinds apart (a backtest refuses
/// hindsight that `check` only warns about).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Topic {
    /// Anything else.
    #[default]
    General,
    /// A source dated after the scenario's `as_of`: knowledge the forecaster could not have had.
    Hindsight,
}

/// One step of a [`FieldPath`]: a key in a table or an index in a list.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Segment {
    /// A named field, such as `capability`.
    Key(String),
    /// A position in a list, counted from 0.
    Index(usize),
}

/// The address of a field in a scenario, such as `issues[0].positions[3].salience`.
///
/// Paths follow the layout of the native scenario format; readers of other formats build
/// the same paths so that a diagnostic can always be traced back to a place in the input.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldPath(Vec<Segment>);

impl FieldPath {
    /// The empty path: the scenario as a whole.
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This path extended by a field name.
    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.to_owned()));
        Self(segments)
    }

    /// This path extended by a list index.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        Self(segments)
    }

    /// The path one step up, or `None` at the root.
    pub fn parent(&self) -> Option<Self> {
        let (_, rest) = self.0.split_last()?;
        Some(Self(rest.to_vec()))
    }

    /// The segments of the path, outermost first.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if n == 0 => write!(f, "{key}")?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A problem found in a scenario.
///
/// Messages are lower-case, without a trailing full stop, and say what was expected and
/// what was found; hints say how to fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Whether the scenario can still run.
    pub severity: Severity,
    /// The field the problem is about.
    pub path: FieldPath,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hints: Vec<String>,
    /// What it is about.
    pub topic: Topic,
}

impl Diagnostic {
    /// An error at `path`.
    pub fn error(path: FieldPath, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path,
            message: message.into(),
            hints: Vec::new(),
            topic: Topic::General,
        }
    }

    /// A warning at `path`.
    pub fn warning(path: FieldPath, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            path,
            message: message.into(),
            hints: Vec::new(),
            topic: Topic::General,
        }
    }

    /// The same diagnostic with one more hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// The same diagnostic about `topic`.
    #[must_use]
    pub fn about(mut self, topic: Topic) -> Self {
        self.topic = topic;
        self
    }

    /// Whether this diagnostic stops a run.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A value that passed validation, with the warnings found on the way.
#[derive(Clone, Debug)]
pub struct Validated<T> {
    /// The validated value.
    pub value: T,
    /// Problems that do not stop a run.
    pub warnings: Vec<Diagnostic>,
}

/// The closest of `known` to `unknown`, for "did you mean" hints; `None` when nothing is close.
pub fn closest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let unknown_lower = unknown.to_lowercase();
    known
        .into_iter()
        .map(|candidate| {
            let similarity = strsim::jaro_winkler(&unknown_lower, &candidate.to_lowercase());
            (candidate, similarity)
        })
        .filter(|(_, similarity)| *similarity >= 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(candidate, _)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_like_the_scenario_format() {
        let path = FieldPath::root()
            .key("issues")
            .index(0)
            .key("positions")
            .index(3);
        assert_eq!(
            path.key("salience").to_string(),
            "issues[0].positions[3].salience"
        );
        assert_eq!(path.parent().unwrap().to_string(), "issues[0].positions");
    }

    #[test]
    fn closest_finds_near_misses_only() {
        assert_eq!(closest("ESt", ["EST", "LVA", "NLD"]), Some("EST"));
        assert_eq!(closest("Hungray", ["Hungary", "Turkey"]), Some("Hungary"));
        assert_eq!(closest("XYZ", ["EST", "LVA"]), None);
    }
}
