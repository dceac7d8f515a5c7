//! The contracts the fuzz targets hold akkoord to, shared by every target.
//!
//! A reader must answer any bytes with a valid scenario or with diagnostics that are placed in
//! the input (a line and column inside it) and that render as the command line renders them;
//! a model must answer any valid scenario with finite numbers inside their scales and
//! probabilities that sum to 1; and the same input must give the same result twice. Every
//! check panics with what it found, which libFuzzer records as a crash.
//!
//! This crate builds only under cargo-fuzz (`scripts/fuzz.sh`); it must never hold a
//! workaround for a bug of the crates it checks: a failure here is fixed where it happens.

use akkoord_core::diag::Severity;
use akkoord_core::scenario::{Scenario, Uncertainty};
use akkoord_io::{InputFormat, Loaded, Problem};
use miette::{GraphicalReportHandler, GraphicalTheme};

pub mod draft;

/// The name the fuzz inputs are given in diagnostics.
pub const INPUT_NAME: &str = "fuzz-input";

/// How far a sum of probabilities may stray from 1.
pub const PROBABILITY_TOLERANCE: f64 = 1e-9;

/// Reads `bytes` as the command line does (`akkoord check`), twice, and checks the contract of
/// a reader: a scenario whose numbers lie in their ranges, or located errors; both times the
/// same.
pub fn check_load(bytes: &[u8], format: Option<InputFormat>) {
    let first = akkoord_io::load(INPUT_NAME, bytes, format);
    let second = akkoord_io::load(INPUT_NAME, bytes, format);
    assert_eq!(
        summary(&first),
        summary(&second),
        "the same input read twice gave different results"
    );
    let decodable = akkoord_io::text::decode(bytes).is_ok();
    match first {
        Ok(loaded) => {
            check_problems(&loaded.warnings, decodable);
            check_scenario(&loaded.scenario);
        }
        Err(problems) => {
            assert!(
                problems.iter().any(|p| p.severity == Severity::Error),
                "a refused input has no error: {problems:?}"
            );
            check_problems(&problems, decodable);
        }
    }
}

/// What two reads of one input must agree on: the scenario, or every problem with its place.
fn summary(result: &Result<Loaded, Vec<Problem>>) -> String {
    match result {
        Ok(loaded) => format!("{:?}\n{}", loaded.scenario, problem_lines(&loaded.warnings)),
        Err(problems) => problem_lines(problems),
    }
}

fn problem_lines(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| {
            format!(
                "{:?} {:?} {} {:?}\n",
                p.severity, p.span, p.message, p.hints
            )
        })
        .collect()
}

/// Every error is placed inside the input (unless the input is not text at all, when there is
/// nothing to point into), every problem has a message and renders as the command line
/// renders it.
pub fn check_problems(problems: &[Problem], decodable: bool) {
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    for problem in problems {
        assert!(
            !problem.message.trim().is_empty(),
            "a problem without a message: {problem:?}"
        );
        let text = problem.source.inner();
        match &problem.span {
            Some(span) => {
                assert!(
                    span.start <= span.end && span.end <= text.len(),
                    "span {span:?} lies outside the input of {} bytes: {}",
                    text.len(),
                    problem.message
                );
                let (line, column) = problem
                    .line_column()
                    .expect("a problem with a span has a line and column");
                let lines = text.split('\n').count();
                assert!(
                    line >= 1 && line <= lines && column >= 1,
                    "line {line}, column {column} is not in the input of {lines} lines: {}",
                    problem.message
                );
            }
            // A warning may be about something the input leaves out (no `[deadline]`), which
            // has no place to point at; an error in readable text always has one.
            None => assert!(
                !decodable || problem.severity == Severity::Warning,
                "an error in a readable input has no place: {}",
                problem.message
            ),
        }
        let mut rendered = String::new();
        handler
            .render_report(&mut rendered, problem)
            .unwrap_or_else(|e| panic!("the problem \"{}\" does not render: {e}", problem.message));
        assert!(
            !rendered.trim().is_empty(),
            "the problem \"{}\" renders as nothing",
            problem.message
        );
    }
}

/// Panics unless `value` is finite and in `low..=high`.
#[track_caller]
pub fn assert_within(what: &str, value: f64, low: f64, high: f64) {
    assert!(
        value.is_finite() && low <= value && value <= high,
        "{what} is {value}, outside {low}..={high}"
    );
}

/// Panics unless `value` is finite.
#[track_caller]
pub fn assert_finite(what: &str, value: f64) {
    assert!(value.is_finite(), "{what} is {value}");
}

/// Panics unless the probabilities sum to 1.
#[track_caller]
pub fn assert_sum_one(what: &str, probabilities: impl IntoIterator<Item = f64>) {
    let sum: f64 = probabilities.into_iter().sum();
    assert!(
        (sum - 1.0).abs() <= PROBABILITY_TOLERANCE,
        "{what} sum to {sum}, not 1"
    );
}

/// The largest magnitude a validated scenario may hold.
const LARGEST: f64 = akkoord_core::validate::LARGEST_MAGNITUDE;

/// Every number of a validated scenario is finite and inside the range its field allows.
pub fn check_scenario(s: &Scenario) {
    for actor in &s.actors {
        assert_within("capability", actor.capability, 0.0, LARGEST);
        assert_within("weight", actor.weight, 0.0, LARGEST);
        check_uncertainty(
            "capability uncertainty",
            actor.capability_uncertainty,
            0.0,
            f64::INFINITY,
        );
        for value in actor.facts.values() {
            assert_within("fact", *value, -LARGEST, LARGEST);
        }
    }
    for issue in &s.issues {
        let scale = &issue.scale;
        assert!(
            scale.lower.is_finite() && scale.upper.is_finite() && scale.lower < scale.upper,
            "issue {} has the scale {}..{}",
            issue.id,
            scale.lower,
            scale.upper
        );
        for point in &scale.points {
            assert_within("scale point", point.at, scale.lower, scale.upper);
        }
        for p in &issue.positions {
            assert!(
                p.actor.index() < s.actors.len(),
                "a position names no actor"
            );
            assert_within("position", p.position, scale.lower, scale.upper);
            assert_within("salience", p.salience, 0.0, 100.0);
            assert_within("position capability", p.capability, 0.0, LARGEST);
            check_uncertainty(
                "position uncertainty",
                p.position_uncertainty,
                scale.lower,
                scale.upper,
            );
            check_uncertainty("salience uncertainty", p.salience_uncertainty, 0.0, 100.0);
        }
    }
    if let Some(a) = &s.appointment {
        assert!(
            !a.candidates.is_empty(),
            "an appointment without candidates"
        );
        assert_eq!(a.stances.len(), s.actors.len(), "stances per actor");
        assert_eq!(
            a.fallback_stances.len(),
            s.actors.len(),
            "fallback stances per actor"
        );
        assert_within("fallback support", a.fallback.default_support, 0.0, 100.0);
        let stances = a.stances.iter().flatten().flatten();
        for stance in stances.chain(&a.fallback_stances) {
            assert_within("support", stance.support, 0.0, 100.0);
            assert_within("stance salience", stance.salience, 0.0, 1.0);
            check_uncertainty("support uncertainty", stance.uncertainty, 0.0, 100.0);
        }
        for criterion in &a.criteria {
            assert_finite("criterion threshold", criterion.threshold);
            for concern in &criterion.concerns {
                assert_finite("criterion penalty", concern.penalty);
            }
        }
    }
}

/// A standard deviation is finite and not negative; a range lies inside `low..=high`.
fn check_uncertainty(what: &str, u: Uncertainty, low: f64, high: f64) {
    match u {
        Uncertainty::None => {}
        Uncertainty::Normal { sd } => assert_within(what, sd, 0.0, LARGEST),
        Uncertainty::Uniform { low: a, high: b } => {
            assert!(a <= b, "{what}: the range {a}..{b} runs backwards");
            assert_within(what, a, low.max(-LARGEST), high.min(LARGEST));
            assert_within(what, b, low.max(-LARGEST), high.min(LARGEST));
        }
    }
}
