//! Small scenarios built from the fuzzer's bytes (structure-aware fuzzing with `arbitrary`).
//!
//! Every number is mapped into the range its field allows, with the extremes the readers let
//! through (0, tiny values, magnitudes up to the validator's bound), so that nearly every input
//! is a valid scenario and the fuzzer's effort goes into the models rather than into being
//! refused. A draft the validator still refuses is skipped by the targets: the readers' targets
//! hold the validator to its own contract.

use akkoord_core::scenario::Scenario;
use akkoord_core::scenario::{
    ActorDraft, AppointmentDraft, CandidateDraft, CriterionDraft, DeadlineDraft, FallbackDraft,
    IssueDraft, PositionDraft, RuleDraft, ScenarioDraft, StanceDraft, UncertaintyDraft,
};
use akkoord_core::validate::{LARGEST_MAGNITUDE, validate};
use arbitrary::Arbitrary;

/// The most actors of a fuzzed scenario: enough for coalitions, vetoes and trades, few enough
/// for thousands of runs a second.
pub const MAX_ACTORS: usize = 6;
/// The most issues of a fuzzed scenario.
pub const MAX_ISSUES: usize = 3;
/// The most candidates of a fuzzed appointment.
pub const MAX_CANDIDATES: usize = 4;

/// A non-negative number from 0 through tiny values to the validator's largest magnitude.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub struct Magnitude {
    mantissa: u8,
    exponent: u8,
}

impl Magnitude {
    /// `mantissa / 255 · 10^(exponent mod 20 − 10)`, at most the largest magnitude allowed.
    pub fn value(self) -> f64 {
        let power = 10f64.powi(i32::from(self.exponent % 20) - 10);
        (unit(self.mantissa) * power).min(LARGEST_MAGNITUDE)
    }
}

/// A share in 0..=1 from a byte.
pub fn unit(byte: u8) -> f64 {
    f64::from(byte) / 255.0
}

/// One actor.
#[derive(Arbitrary, Debug)]
pub struct FuzzActor {
    capability: Magnitude,
    capability_sd: Option<Magnitude>,
    /// `None` leaves the rule's default; an actor without a vote never gets a veto.
    votes: Option<bool>,
    veto: Option<bool>,
    weight: Option<Magnitude>,
    /// The fact the appointment's criterion reads.
    fact: Option<(bool, Magnitude)>,
}

/// One actor's position on an issue.
#[derive(Arbitrary, Debug)]
pub struct FuzzPosition {
    position: u8,
    salience: u8,
    capability: Option<Magnitude>,
    sd: Option<u8>,
    range: Option<(u8, u8)>,
    salience_sd: Option<u8>,
}

/// One issue: its scale and every actor's position (`None`: the actor has none).
#[derive(Arbitrary, Debug)]
pub struct FuzzIssue {
    ends: (bool, Magnitude, bool, Magnitude),
    positions: [Option<FuzzPosition>; MAX_ACTORS],
}

/// One candidate.
#[derive(Arbitrary, Debug)]
pub struct FuzzCandidate {
    status: u8,
    home: Option<u8>,
}

/// One actor's stance on a candidate or on the fallback.
#[derive(Arbitrary, Debug)]
pub struct FuzzStance {
    support: u8,
    salience: Option<u8>,
    sd: Option<u8>,
    range: Option<(u8, u8)>,
    red_line: Option<bool>,
}

/// The informal criterion of an appointment: `home.fact OP threshold`, with penalties.
#[derive(Arbitrary, Debug)]
pub struct FuzzCriterion {
    comparison: u8,
    threshold: (bool, Magnitude),
    cared_by: [Option<(u8, Option<u8>)>; MAX_ACTORS],
}

/// An appointment.
#[derive(Arbitrary, Debug)]
pub struct FuzzAppointment {
    candidates: Vec<FuzzCandidate>,
    /// `stances[actor][candidate]`, the last column for the fallback.
    stances: [[Option<FuzzStance>; MAX_CANDIDATES + 1]; MAX_ACTORS],
    fallback_support: Option<u8>,
    criterion: Option<FuzzCriterion>,
}

/// The decision rule.
#[derive(Arbitrary, Debug)]
pub enum FuzzRule {
    /// Not written: consensus.
    Unwritten,
    /// `consensus`.
    Consensus,
    /// `simple-majority`.
    SimpleMajority,
    /// `qualified-majority` with a threshold in (0, 1].
    QualifiedMajority(u8),
}

/// A whole scenario.
#[derive(Arbitrary, Debug)]
pub struct FuzzScenario {
    actors: Vec<FuzzActor>,
    issues: Vec<FuzzIssue>,
    rule: FuzzRule,
    /// Rounds before the deadline, 1..=8.
    rounds: Option<u8>,
    /// `as_of` and the deadline as days after 2030-01-01.
    dates: Option<(u16, u16)>,
}

impl FuzzScenario {
    /// The validated scenario of [`Self::draft`], its numbers checked
    /// ([`crate::check_scenario`]); `None` when the bytes give too little or the validator
    /// refuses the draft.
    pub fn validated(
        &self,
        min_actors: usize,
        min_issues: usize,
        appointment: Option<&FuzzAppointment>,
    ) -> Option<Scenario> {
        let draft = self.draft(min_actors, min_issues, appointment)?;
        let scenario = validate(&draft).ok()?.value;
        crate::check_scenario(&scenario);
        Some(scenario)
    }

    /// The draft of a scenario with `actors` actors at least, `issues` issues at least, and
    /// an appointment when one is given; `None` when the bytes give too few of them.
    pub fn draft(
        &self,
        min_actors: usize,
        min_issues: usize,
        appointment: Option<&FuzzAppointment>,
    ) -> Option<ScenarioDraft> {
        let actors = &self.actors[..self.actors.len().min(MAX_ACTORS)];
        let issues = &self.issues[..self.issues.len().min(MAX_ISSUES)];
        if actors.len() < min_actors || issues.len() < min_issues {
            return None;
        }
        let appointment = match appointment {
            Some(a) => Some(a.draft(actors.len())?),
            None => None,
        };
        Some(ScenarioDraft {
            title: Some("fuzzed".into()),
            as_of: self.dates.map(|(from, _)| date(from)),
            rule: self.rule.draft(),
            deadline: Some(DeadlineDraft {
                date: self
                    .dates
                    .map(|(from, days)| date(from.saturating_add(days % 1000))),
                rounds: self.rounds.map(|r| i64::from(r % 8 + 1)),
                meetings: Vec::new(),
            }),
            actors: actors.iter().enumerate().map(|(i, a)| a.draft(i)).collect(),
            issues: issues
                .iter()
                .enumerate()
                .map(|(k, issue)| issue.draft(k, actors.len()))
                .collect(),
            appointment,
            ..ScenarioDraft::default()
        })
    }
}

fn actor_id(i: usize) -> String {
    format!("a{i}")
}

/// A date `days` after 2030-01-01, as `YYYY-MM-DD` (months of 28 days keep it valid).
fn date(days: u16) -> String {
    let days = u32::from(days);
    format!(
        "{}-{:02}-{:02}",
        2030 + days / 336,
        days % 336 / 28 + 1,
        days % 28 + 1
    )
}

impl FuzzRule {
    fn draft(&self) -> Option<RuleDraft> {
        let (kind, threshold) = match *self {
            Self::Unwritten => return None,
            Self::Consensus => ("consensus", None),
            Self::SimpleMajority => ("simple-majority", None),
            Self::QualifiedMajority(t) => ("qualified-majority", Some(unit(t.max(1)))),
        };
        Some(RuleDraft {
            kind: kind.into(),
            threshold,
            ..RuleDraft::default()
        })
    }
}

impl FuzzActor {
    fn draft(&self, i: usize) -> ActorDraft {
        let votes = self.votes;
        ActorDraft {
            id: actor_id(i),
            capability: self.capability.value(),
            capability_sd: self.capability_sd.map(Magnitude::value),
            votes,
            veto: self.veto.filter(|veto| !veto || votes != Some(false)),
            weight: self.weight.map(Magnitude::value),
            facts: self
                .fact
                .map(|(negative, m)| ("f".to_owned(), signed(negative, m)))
                .into_iter()
                .collect(),
            ..ActorDraft::default()
        }
    }
}

fn signed(negative: bool, m: Magnitude) -> f64 {
    if negative { -m.value() } else { m.value() }
}

/// A range around `value` inside `low..=high`, reaching a share of the way to each end.
fn range_around(value: f64, low: f64, high: f64, (down, up): (u8, u8)) -> [f64; 2] {
    [
        (value - (value - low) * unit(down)).clamp(low, value),
        (value + (high - value) * unit(up)).clamp(value, high),
    ]
}

impl FuzzIssue {
    fn draft(&self, k: usize, actors: usize) -> IssueDraft {
        let (negative_a, a, negative_b, b) = self.ends;
        let (a, b) = (signed(negative_a, a), signed(negative_b, b));
        let lower = a.min(b).min(LARGEST_MAGNITUDE - 1.0);
        let upper = if a.max(b) > lower {
            a.max(b)
        } else {
            lower + 1.0
        };
        let positions = self.positions[..actors]
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.as_ref().map(|p| p.draft(i, lower, upper)))
            .collect();
        IssueDraft {
            id: format!("i{k}"),
            lower: Some(lower),
            upper: Some(upper),
            positions,
            ..IssueDraft::default()
        }
    }
}

impl FuzzPosition {
    fn draft(&self, actor: usize, lower: f64, upper: f64) -> PositionDraft {
        let position = (lower + (upper - lower) * unit(self.position)).clamp(lower, upper);
        PositionDraft {
            actor: actor_id(actor),
            position,
            salience: unit(self.salience),
            capability: self.capability.map(Magnitude::value),
            uncertainty: UncertaintyDraft {
                sd: self.sd.map(|sd| (upper - lower) * unit(sd) / 2.0),
                range: self.range.map(|r| range_around(position, lower, upper, r)),
            },
            salience_sd: self.salience_sd.map(|sd| unit(sd) / 2.0),
            ..PositionDraft::default()
        }
    }
}

const STATUSES: [&str; 4] = ["interested", "declared", "nominated", "withdrawn"];
const COMPARISONS: [&str; 6] = [">=", "<=", "==", "!=", ">", "<"];

impl FuzzAppointment {
    fn draft(&self, actors: usize) -> Option<AppointmentDraft> {
        let candidates = &self.candidates[..self.candidates.len().min(MAX_CANDIDATES)];
        if candidates.is_empty() {
            return None;
        }
        let candidate_id = |c: usize| {
            if c == candidates.len() {
                "fallback".to_owned()
            } else {
                format!("c{c}")
            }
        };
        let mut stances = Vec::new();
        for (actor, row) in self.stances[..actors].iter().enumerate() {
            for (c, stance) in row[..=candidates.len()].iter().enumerate() {
                if let Some(stance) = stance {
                    stances.push(stance.draft(actor_id(actor), candidate_id(c)));
                }
            }
        }
        Some(AppointmentDraft {
            id: "post".into(),
            fallback: Some(FallbackDraft {
                id: "fallback".into(),
                label: None,
                support: self.fallback_support.map(percent),
            }),
            candidates: candidates
                .iter()
                .enumerate()
                .map(|(c, candidate)| CandidateDraft {
                    id: candidate_id(c),
                    home: candidate.home.map(|h| actor_id(usize::from(h) % actors)),
                    status: STATUSES[usize::from(candidate.status) % STATUSES.len()].into(),
                    ..CandidateDraft::default()
                })
                .collect(),
            stances,
            criteria: self
                .criterion
                .as_ref()
                .map(|c| c.draft(actors))
                .into_iter()
                .collect(),
            ..AppointmentDraft::default()
        })
    }
}

/// A percentage in 0..=100 from a byte.
fn percent(byte: u8) -> f64 {
    f64::from(byte % 101)
}

impl FuzzStance {
    fn draft(&self, actor: String, candidate: String) -> StanceDraft {
        let support = percent(self.support);
        StanceDraft {
            actor,
            candidate,
            support,
            salience: self.salience.map(unit),
            uncertainty: UncertaintyDraft {
                sd: self.sd.map(|sd| unit(sd) * 50.0),
                range: self.range.map(|r| range_around(support, 0.0, 100.0, r)),
            },
            red_line: self.red_line,
            ..StanceDraft::default()
        }
    }
}

impl FuzzCriterion {
    fn draft(&self, actors: usize) -> CriterionDraft {
        let (negative, threshold) = self.threshold;
        CriterionDraft {
            id: "criterion".into(),
            rule: format!(
                "home.f {} {:?}",
                COMPARISONS[usize::from(self.comparison) % COMPARISONS.len()],
                signed(negative, threshold)
            ),
            cared_by: self.cared_by[..actors]
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    c.map(|(penalty, sd)| (actor_id(i), percent(penalty), sd.map(percent)))
                })
                .collect(),
            ..CriterionDraft::default()
        }
    }
}
