//! The validated domain model: actors, continuous issues, an appointment, the decision rule.
//!
//! A [`Scenario`] can only be made by [`crate::validate::validate`] from a [`ScenarioDraft`]:
//! every reference resolves, every number is finite and in range. Models rely on that and
//! never re-check. Ids are dense indices into the `Vec`s; names live beside them for output.
//! This module must never parse text, read files or know about any file format.

mod draft;
pub mod events;
mod rules;

pub use draft::{
    ActorDraft, AppointmentDraft, CandidateDraft, CriterionDraft, DeadlineDraft, EvidenceDraft,
    FallbackDraft, FollowDraft, IssueDraft, OutcomeDraft, PositionDraft, RuleDraft, SalienceRange,
    ScenarioDraft, StanceDefaultDraft, StanceDraft, UncertaintyDraft,
};

pub use events::{EventDraft, EventPositionDraft, FactDraft};
pub use rules::{
    Body, BodyRule, Counting, Membership, RulePartsDraft, StageDraft, Threshold, ThresholdDraft,
};

use std::collections::BTreeMap;

/// Index of an actor in [`Scenario::actors`]. Made only by this crate, from a validated
/// scenario, so that an id always names an actor of the scenario it came from; a caller finds
/// one by name with [`Scenario::actor_id`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActorId(u32);

/// Index of a continuous issue in [`Scenario::issues`]. Made only by this crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IssueId(u32);

/// Index of a candidate in [`Appointment::candidates`]. Made only by this crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CandidateId(u32);

impl ActorId {
    /// The id of the actor at `index` of a validated scenario.
    pub(crate) fn at(index: usize) -> Self {
        Self(dense_u32(index))
    }

    /// The index as a `usize`, for indexing per-actor vectors.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl IssueId {
    /// The id of the issue at `index` of a validated scenario.
    pub(crate) fn at(index: usize) -> Self {
        Self(dense_u32(index))
    }

    /// The index as a `usize`, for indexing per-issue vectors.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl CandidateId {
    /// The id of the candidate at `index` of a validated appointment.
    pub(crate) fn at(index: usize) -> Self {
        Self(dense_u32(index))
    }

    /// The index as a `usize`, for indexing per-candidate vectors.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Converts a vector index into a dense id; scenarios are far smaller than `u32::MAX`.
pub(crate) fn dense_u32(index: usize) -> u32 {
    u32::try_from(index).expect("scenario sizes are bounded by the readers far below u32::MAX")
}

/// A validated scenario. Built only by [`crate::validate::validate`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Scenario {
    /// Title, description, date and sources.
    pub meta: Metadata,
    /// How the body decides.
    pub rule: DecisionRule,
    /// When the decision must be taken.
    pub deadline: Deadline,
    /// The actors, in input order.
    pub actors: Vec<Actor>,
    /// The continuous issues, in input order.
    pub issues: Vec<Issue>,
    /// The appointment to be made, if any.
    pub appointment: Option<Appointment>,
    /// What really happened, for backtests.
    pub outcome: Option<KnownOutcome>,
    /// The bodies a decision passes through, in order, when the scenario uses the parts of
    /// rules (thresholds, counts, dated membership, stages); empty otherwise, and `rule` holds.
    pub bodies: Vec<Body>,
    /// Days from `as_of` to the deadline's date (0 when either is unknown): round `k` of `R`
    /// is dated `k/R` of the way, which dated membership is counted against.
    pub days_to_deadline: i64,
}

impl Scenario {
    /// The day after `as_of` at time `tau` of the bargaining (0 at `as_of`, 1 at the last
    /// round): along the listed meetings when there are any (meeting k at `tau = k/M`, linear
    /// in between), else `tau` of the way to the deadline's date. Round dates, dated
    /// membership and stage deadlines all count time through this one map.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_precision_loss,
        clippy::cast_sign_loss
    )] // day counts, and `x` is at least 0
    pub fn day_at(&self, tau: f64) -> i64 {
        let meetings = &self.deadline.meeting_days;
        let Some(&last) = meetings.last() else {
            return (self.days_to_deadline as f64 * tau).round() as i64;
        };
        let at = |k: usize| if k == 0 { 0.0 } else { meetings[k - 1] as f64 };
        let x = tau.clamp(0.0, 1.0) * meetings.len() as f64;
        let k = x.floor() as usize;
        if k >= meetings.len() {
            return last;
        }
        (at(k) + (at(k + 1) - at(k)) * (x - k as f64)).round() as i64
    }

    /// The date of each round `0..=rounds`: `as_of` and then the meetings when there is one
    /// meeting a round (other numbers of rounds are placed along the meetings by
    /// [`Self::day_at`]), else evenly spaced from `as_of` to the deadline's date; `None` when
    /// the dates are not known.
    pub fn round_dates(&self, rounds: u32) -> Option<Vec<String>> {
        let as_of = self.meta.as_of.as_deref();
        if self.deadline.meeting_days.is_empty() {
            return crate::calendar::round_dates(as_of, self.deadline.date.as_deref(), rounds);
        }
        let start = crate::calendar::days(as_of?)?;
        let rounds = rounds.max(1);
        Some(
            (0..=rounds)
                .map(|k| {
                    crate::calendar::date(start + self.day_at(f64::from(k) / f64::from(rounds)))
                })
                .collect(),
        )
    }

    /// Whether any input of the continuous issues is uncertain (capabilities, positions or
    /// saliences): if not, every Monte Carlo draw is the stated scenario.
    pub fn issues_are_uncertain(&self) -> bool {
        let uncertain = |u: &Uncertainty| *u != Uncertainty::None;
        self.actors
            .iter()
            .any(|a| uncertain(&a.capability_uncertainty))
            || self
                .issues
                .iter()
                .flat_map(|i| &i.positions)
                .any(|p| uncertain(&p.position_uncertainty) || uncertain(&p.salience_uncertainty))
    }

    /// The sources cited for judgements (stances and positions), dated or not.
    pub fn cited_sources(&self) -> impl Iterator<Item = &Evidence> {
        let stances = self.appointment.iter().flat_map(|a| {
            a.stances
                .iter()
                .flatten()
                .flatten()
                .chain(a.fallback_stances.iter())
                .filter_map(|s| s.evidence.as_ref())
        });
        let positions = self
            .issues
            .iter()
            .flat_map(|i| i.positions.iter().filter_map(|p| p.evidence.as_ref()));
        stances.chain(positions)
    }

    /// The actor with this id.
    pub fn actor(&self, id: ActorId) -> &Actor {
        &self.actors[id.index()]
    }

    /// The id of the actor called `name`.
    pub fn actor_id(&self, name: &str) -> Option<ActorId> {
        self.actors
            .iter()
            .position(|a| a.id == name)
            .map(ActorId::at)
    }

    /// The scenario as one with an appointment, which the consensus model and the
    /// appointment forecasts need; `None` for a scenario of continuous issues only.
    pub fn with_appointment(&self) -> Option<AppointmentScenario<'_>> {
        self.appointment
            .as_ref()
            .map(|appointment| AppointmentScenario {
                scenario: self,
                appointment,
            })
    }

    /// The number of candidates of the appointment (0 when there is none).
    pub fn candidate_count(&self) -> usize {
        self.appointment.as_ref().map_or(0, |a| a.candidates.len())
    }
}

/// A validated scenario that has an appointment: the precondition of the consensus model and
/// of appointment forecasts, held in the type (made only by [`Scenario::with_appointment`]).
/// It reads as the [`Scenario`] it borrows.
#[derive(Clone, Copy, Debug)]
pub struct AppointmentScenario<'a> {
    scenario: &'a Scenario,
    appointment: &'a Appointment,
}

impl<'a> AppointmentScenario<'a> {
    /// The scenario.
    pub fn scenario(self) -> &'a Scenario {
        self.scenario
    }

    /// Its appointment.
    pub fn appointment(self) -> &'a Appointment {
        self.appointment
    }
}

impl std::ops::Deref for AppointmentScenario<'_> {
    type Target = Scenario;

    fn deref(&self) -> &Scenario {
        self.scenario
    }
}

/// Descriptive information about a scenario.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    /// A short title.
    pub title: String,
    /// A longer description.
    pub description: String,
    /// The date the scenario describes the situation as of (`YYYY-MM-DD`).
    pub as_of: Option<String>,
    /// Where the facts come from.
    pub sources: Vec<String>,
}

/// How the body takes its decision.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DecisionRule {
    /// Every member with a veto can block (NATO, EU unanimity, UN Security Council P5).
    Consensus,
    /// A proposal passes with at least `threshold` of the voting weight and no veto.
    QualifiedMajority {
        /// Share of the total voting weight needed, in (0, 1].
        threshold: f64,
    },
    /// A proposal passes with more than half of the voting weight and no veto.
    SimpleMajority,
    /// The rules of [`Scenario::bodies`], in order.
    Bodies,
}

/// When the decision must be taken.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Deadline {
    /// The calendar date (`YYYY-MM-DD`), if known.
    pub date: Option<String>,
    /// The number of bargaining rounds before the fallback holds.
    pub rounds: Option<u32>,
    /// The dates of the meetings left before the deadline, in order, after `as_of`: one
    /// bargaining round each (empty when the file lists none).
    pub meetings: Vec<String>,
    /// The days from `as_of` to each meeting (empty when the file lists no meetings or no
    /// `as_of`).
    pub meeting_days: Vec<i64>,
}

impl Deadline {
    /// The bargaining rounds assumed when a scenario gives none (validation warns about it):
    /// about a year of monthly meetings.
    pub const DEFAULT_ROUNDS: u32 = 12;

    /// The bargaining rounds before the fallback holds: as written, else one per meeting, else
    /// [`Self::DEFAULT_ROUNDS`].
    pub fn rounds_or_default(&self) -> u32 {
        self.rounds
            .or_else(|| u32::try_from(self.meetings.len()).ok().filter(|n| *n > 0))
            .unwrap_or(Self::DEFAULT_ROUNDS)
    }
}

/// Someone who takes part in the decision or influences it.
#[derive(Clone, Debug)]
pub struct Actor {
    /// Short identifier, unique in the scenario.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Clout: resources the actor can bring to bear, >= 0. Only ratios matter.
    pub capability: f64,
    /// How uncertain the capability is.
    pub capability_uncertainty: Uncertainty,
    /// Whether the actor can block a decision on its own.
    pub veto: bool,
    /// Whether the actor votes (influencers lobby but do not vote).
    pub votes: bool,
    /// Voting weight under a majority rule, >= 0.
    pub weight: f64,
    /// Numeric facts, such as `defence_pct_gdp`, for informal criteria.
    pub facts: BTreeMap<String, f64>,
    /// Group tags, such as `region = "nordic"`.
    pub groups: BTreeMap<String, String>,
}

/// A probability distribution around a stated value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Uncertainty {
    /// The value is taken as known.
    None,
    /// Normally distributed with this standard deviation, truncated to the valid range.
    Normal {
        /// Standard deviation, >= 0.
        sd: f64,
    },
    /// Uniform between two bounds.
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
}

/// Where a stance or position comes from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evidence {
    /// A link to the source.
    pub url: Option<String>,
    /// The date of the source.
    pub date: Option<String>,
    /// The words that support the judgement.
    pub quote: Option<String>,
}

/// A labelled point on an issue's scale, like Decide's `#M` rows.
#[derive(Clone, Debug, PartialEq)]
pub struct ScalePoint {
    /// Where the point lies.
    pub at: f64,
    /// What it means.
    pub label: String,
}

/// The scale of a continuous issue.
#[derive(Clone, Debug, PartialEq)]
pub struct Scale {
    /// The lowest possible position.
    pub lower: f64,
    /// The highest possible position, > `lower`.
    pub upper: f64,
    /// Labelled points, in input order.
    pub points: Vec<ScalePoint>,
}

impl Scale {
    /// Maps a position on the scale to 0..100.
    pub fn normalise(&self, x: f64) -> f64 {
        // Rounding may carry an end of the scale an ulp past 0 or 100: keep it on the scale.
        ((x - self.lower) * (100.0 / (self.upper - self.lower))).clamp(0.0, 100.0)
    }

    /// Maps a 0..100 value back to the scale.
    pub fn denormalise(&self, v: f64) -> f64 {
        // A value at 100 came back as -0.00999999999476 on the scale -100000..-0.01 (found by
        // fuzzing): the round trip is not exact, and a model's output must stay on the scale.
        (v / (100.0 / (self.upper - self.lower)) + self.lower).clamp(self.lower, self.upper)
    }
}

/// One actor's data on one issue.
#[derive(Clone, Debug)]
pub struct Position {
    /// The actor.
    pub actor: ActorId,
    /// Its position, within the issue's scale.
    pub position: f64,
    /// How much it cares, in 0..=1.
    pub salience: f64,
    /// Its power on this issue, >= 0 (the actor's capability unless the input says otherwise).
    pub capability: f64,
    /// How uncertain the position is.
    pub position_uncertainty: Uncertainty,
    /// How uncertain the salience is.
    pub salience_uncertainty: Uncertainty,
    /// Where the judgement comes from.
    pub evidence: Option<Evidence>,
}

/// A continuous issue.
#[derive(Clone, Debug)]
pub struct Issue {
    /// Short identifier, unique among issues.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Its scale.
    pub scale: Scale,
    /// The actors' positions, in input order; an actor may have none.
    pub positions: Vec<Position>,
    /// Whether this issue can be traded for the appointment (a side issue).
    pub linked_to_appointment: bool,
}

/// How far a candidate is in the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CandidateStatus {
    /// Named by others, silent itself; the model treats it as interested.
    Mentioned,
    /// Openly interested, not put forward.
    Interested,
    /// Declared candidate.
    Declared,
    /// Formally nominated by a government.
    Nominated,
    /// No longer in the running.
    Withdrawn,
}

impl CandidateStatus {
    /// The word used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mentioned => "mentioned",
            Self::Interested => "interested",
            Self::Declared => "declared",
            Self::Nominated => "nominated",
            Self::Withdrawn => "withdrawn",
        }
    }
}

/// Someone who could get the job.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Short identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The actor whose national the candidate is.
    pub home: Option<ActorId>,
    /// How far the candidacy is.
    pub status: CandidateStatus,
    /// A home that is not an actor: its name as written (`home` then is `None`).
    pub outside_home: Option<String>,
    /// The facts of an outside home, for informal criteria.
    pub home_facts: BTreeMap<String, f64>,
    /// The probability that the person accepts the post when agreed, in 0..=1.
    pub available: f64,
}

/// One actor's stance on one candidate (or on the fallback).
#[derive(Clone, Debug)]
pub struct Stance {
    /// Support on 0..100; below the actor's value of the fallback means it will block.
    pub support: f64,
    /// How much the actor cares about this appointment, in 0..=1.
    pub salience: f64,
    /// How uncertain the support is.
    pub uncertainty: Uncertainty,
    /// A red line: the actor blocks the candidate whatever it costs (`red_line = true`).
    pub red_line: bool,
    /// Where the judgement comes from.
    pub evidence: Option<Evidence>,
}

/// A comparison in an informal criterion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// `>=`
    AtLeast,
    /// `>`
    Above,
    /// `<=`
    AtMost,
    /// `<`
    Below,
    /// `==`
    Equal,
    /// `!=`
    NotEqual,
}

impl Comparison {
    /// Whether `value` passes against `threshold`. `==` and `!=` compare exactly, as the
    /// analyst wrote them.
    #[allow(clippy::float_cmp)]
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Self::AtLeast => value >= threshold,
            Self::Above => value > threshold,
            Self::AtMost => value <= threshold,
            Self::Below => value < threshold,
            Self::Equal => value == threshold,
            Self::NotEqual => value != threshold,
        }
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::AtLeast => ">=",
            Self::Above => ">",
            Self::AtMost => "<=",
            Self::Below => "<",
            Self::Equal => "==",
            Self::NotEqual => "!=",
        }
    }
}

/// An actor's concern with an informal criterion.
#[derive(Clone, Debug)]
pub struct Concern {
    /// Who cares.
    pub actor: ActorId,
    /// Support points it withdraws from a candidate who fails the criterion (100: a red line).
    pub penalty: f64,
    /// How uncertain the penalty is.
    pub uncertainty: Uncertainty,
}

/// An informal criterion, such as "the candidate's country spends 2% of GDP on defence".
#[derive(Clone, Debug)]
pub struct Criterion {
    /// Short identifier.
    pub id: String,
    /// What it means, in words.
    pub description: String,
    /// The fact of the candidate's home actor it tests.
    pub fact: String,
    /// The comparison.
    pub comparison: Comparison,
    /// The threshold.
    pub threshold: f64,
    /// Who cares, and how much.
    pub concerns: Vec<Concern>,
    /// Whether each candidate passes, indexed by candidate.
    pub passes: Vec<bool>,
}

/// What holds if nobody is agreed by the deadline.
#[derive(Clone, Debug)]
pub struct Fallback {
    /// Short identifier, usable in stances.
    pub id: String,
    /// Display label.
    pub label: String,
    /// The value every actor without a stance of its own puts on the fallback, 0..100.
    pub default_support: f64,
}

/// An appointment to be made by the body.
#[derive(Clone, Debug)]
pub struct Appointment {
    /// Short identifier.
    pub id: String,
    /// Display name of the post.
    pub name: String,
    /// The candidates, in input order.
    pub candidates: Vec<Candidate>,
    /// Stances, `stances[actor][candidate]`; `None` where the input gives none.
    pub stances: Vec<Vec<Option<Stance>>>,
    /// Each actor's stance on the fallback (the default where the input gives none).
    pub fallback_stances: Vec<Stance>,
    /// Whether the input gives each actor's stance on the fallback (else it is the default).
    pub fallback_written: Vec<bool>,
    /// What holds if nobody is agreed.
    pub fallback: Fallback,
    /// Informal criteria.
    pub criteria: Vec<Criterion>,
    /// Leader-following, leaders before their followers (an actor that follows a follower
    /// comes after it).
    pub follows: Vec<Follow>,
}

/// An actor that takes its cue from another on the candidates it states nothing about: there,
/// its margin of support over its value of the fallback is `(1 − weight) ×` its own
/// `+ weight ×` the leader's (cue-taking; the consensus model applies it in every draw).
#[derive(Clone, Debug, PartialEq)]
pub struct Follow {
    /// The follower.
    pub actor: ActorId,
    /// The actor it follows.
    pub leader: ActorId,
    /// How far it follows, in 0..=1.
    pub weight: f64,
    /// Per candidate: whether the follower wrote no stance of its own on it (only there does it
    /// follow).
    pub candidates: Vec<bool>,
}

/// What really happened, recorded for backtests.
#[derive(Clone, Debug, PartialEq)]
pub enum KnownOutcome {
    /// This candidate was appointed.
    Candidate(CandidateId),
    /// Nobody was agreed by the deadline; the fallback held.
    NoAgreement,
    /// Someone who was not a candidate on the as-of date was appointed (`not-named`).
    NotNamed,
    /// The outcome of continuous issues, as `(issue, position)`.
    Positions(Vec<(IssueId, f64)>),
}
