//! The unvalidated scenario: what a reader found, field by field, before any check.
//!
//! Its layout mirrors the native scenario format, so the [`crate::diag::FieldPath`] of a
//! field here is the path of the same field in a scenario file. Readers of other formats fill
//! the same structure. References are still names; numbers may be non-finite or out of range.

/// A scenario as read, before validation.
#[derive(Clone, Debug, Default)]
pub struct ScenarioDraft {
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Date of the situation (`YYYY-MM-DD`).
    pub as_of: Option<String>,
    /// Sources.
    pub sources: Vec<String>,
    /// Decision rule.
    pub rule: Option<RuleDraft>,
    /// Deadline.
    pub deadline: Option<DeadlineDraft>,
    /// Actors (path `actors[i]`).
    pub actors: Vec<ActorDraft>,
    /// Continuous issues (path `issues[i]`).
    pub issues: Vec<IssueDraft>,
    /// The appointment (path `appointment`).
    pub appointment: Option<AppointmentDraft>,
    /// The known outcome (path `outcome`).
    pub outcome: Option<OutcomeDraft>,
    /// The range issue saliences may take.
    pub salience_range: SalienceRange,
    /// Bodies a decision passes through in order (path `stages[i]`); empty: `rule` alone.
    pub stages: Vec<super::rules::StageDraft>,
    /// Dated events that change the scenario from their date on (path `events[i]`).
    pub events: Vec<super::EventDraft>,
}

/// The range issue saliences may take: the native format's shares of attention, or Decide's
/// wider 0..100 (its own validation allows it, and its model then uses the values as given).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SalienceRange {
    /// 0..=1.
    #[default]
    Unit,
    /// 0..=100, with a warning above 1, as Decide files allow (whose power also runs 0..=100).
    UpToHundred,
}

/// The decision rule as written.
#[derive(Clone, Debug, Default)]
pub struct RuleDraft {
    /// `consensus`, `unanimity`, `qualified-majority` or `simple-majority`.
    pub kind: String,
    /// Share of the weight needed under a qualified majority.
    pub threshold: Option<f64>,
    /// The composable parts of a rule (several thresholds, a count of votes, veto holders).
    pub parts: super::rules::RulePartsDraft,
}

/// The deadline as written.
#[derive(Clone, Debug, Default)]
pub struct DeadlineDraft {
    /// Date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Number of rounds.
    pub rounds: Option<i64>,
    /// Dates of the meetings left before the deadline, `YYYY-MM-DD` (path
    /// `deadline.meetings[i]`).
    pub meetings: Vec<String>,
}

/// An actor as written.
#[derive(Clone, Debug, Default)]
pub struct ActorDraft {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Capability.
    pub capability: f64,
    /// Standard deviation of the capability.
    pub capability_sd: Option<f64>,
    /// Whether it can block; the rule decides when absent.
    pub veto: Option<bool>,
    /// Whether it votes; `true` when absent.
    pub votes: Option<bool>,
    /// Voting weight; 1 when absent.
    pub weight: Option<f64>,
    /// Numeric facts, in input order.
    pub facts: Vec<(String, f64)>,
    /// Group tags, in input order.
    pub groups: Vec<(String, String)>,
    /// The first day of membership (`YYYY-MM-DD`); a member from the start when absent.
    pub member_from: Option<String>,
    /// The day membership ends (`YYYY-MM-DD`, no longer a member on it); open when absent.
    pub member_until: Option<String>,
}

/// Uncertainty as written: a standard deviation or a range, not both.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UncertaintyDraft {
    /// Standard deviation.
    pub sd: Option<f64>,
    /// Range `[low, high]`.
    pub range: Option<[f64; 2]>,
}

/// Evidence as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EvidenceDraft {
    /// Link.
    pub url: Option<String>,
    /// Date.
    pub date: Option<String>,
    /// Quote.
    pub quote: Option<String>,
}

/// A continuous issue as written.
#[derive(Clone, Debug, Default)]
pub struct IssueDraft {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Lower end of the scale.
    pub lower: Option<f64>,
    /// Upper end of the scale.
    pub upper: Option<f64>,
    /// Labelled points (`scale.points[i]`), as `(at, label)`.
    pub points: Vec<(f64, String)>,
    /// The appointment this side issue can be traded for.
    pub linked_to: Option<String>,
    /// Positions (path `issues[i].positions[j]`).
    pub positions: Vec<PositionDraft>,
}

/// One actor's position on one issue as written.
#[derive(Clone, Debug, Default)]
pub struct PositionDraft {
    /// Actor reference.
    pub actor: String,
    /// Position on the issue's scale.
    pub position: f64,
    /// Salience, 0..=1.
    pub salience: f64,
    /// Power on this issue, when it differs from the actor's capability.
    pub capability: Option<f64>,
    /// Uncertainty of the position.
    pub uncertainty: UncertaintyDraft,
    /// Standard deviation of the salience.
    pub salience_sd: Option<f64>,
    /// Source.
    pub source: Option<EvidenceDraft>,
}

/// The appointment as written.
#[derive(Clone, Debug, Default)]
pub struct AppointmentDraft {
    /// Identifier.
    pub id: String,
    /// Name of the post.
    pub name: Option<String>,
    /// The fallback (path `appointment.fallback`).
    pub fallback: Option<FallbackDraft>,
    /// Candidates (path `appointment.candidates[i]`).
    pub candidates: Vec<CandidateDraft>,
    /// Stances (path `appointment.stances[i]`).
    pub stances: Vec<StanceDraft>,
    /// Informal criteria (path `appointment.criteria[i]`).
    pub criteria: Vec<CriterionDraft>,
    /// Default stances (path `appointment.defaults[i]`).
    pub defaults: Vec<StanceDefaultDraft>,
    /// Leader-following (path `appointment.follows[i]`).
    pub follows: Vec<FollowDraft>,
}

/// A default stance as written: the stance of every actor it covers on every candidate it
/// covers where the actor writes no stance of its own.
#[derive(Clone, Debug, Default)]
pub struct StanceDefaultDraft {
    /// The actor it covers; with `group` absent too, every actor.
    pub actor: Option<String>,
    /// The group it covers, as written (`{ region = "baltic" }`: one tag).
    pub group: Vec<(String, String)>,
    /// The candidates it covers; every candidate when absent.
    pub candidates: Option<Vec<String>>,
    /// Support, 0..100.
    pub support: f64,
    /// Salience, 0..=1; 1 when absent.
    pub salience: Option<f64>,
    /// Uncertainty of the support.
    pub uncertainty: UncertaintyDraft,
    /// Source.
    pub source: Option<EvidenceDraft>,
}

/// An actor that takes its cue from another, as written.
#[derive(Clone, Debug, Default)]
pub struct FollowDraft {
    /// The follower.
    pub actor: String,
    /// The actor it follows.
    pub leader: String,
    /// How far it follows, 0..=1; 1 when absent.
    pub weight: Option<f64>,
}

/// The fallback as written.
#[derive(Clone, Debug, Default)]
pub struct FallbackDraft {
    /// Identifier.
    pub id: String,
    /// Label.
    pub label: Option<String>,
    /// Default support of every actor for the fallback.
    pub support: Option<f64>,
}

/// A candidate as written.
#[derive(Clone, Debug, Default)]
pub struct CandidateDraft {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Home actor reference.
    pub home: Option<String>,
    /// `mentioned`, `interested`, `declared`, `nominated` or `withdrawn`.
    pub status: String,
    /// Facts of a home that is not an actor (path `...candidates[i].home_facts`).
    pub home_facts: Option<Vec<(String, f64)>>,
    /// The probability that the person would accept the post, 0..=1; 1 when absent.
    pub available: Option<f64>,
}

/// A stance as written.
#[derive(Clone, Debug, Default)]
pub struct StanceDraft {
    /// Actor reference.
    pub actor: String,
    /// Candidate (or fallback) reference.
    pub candidate: String,
    /// Support, 0..100.
    pub support: f64,
    /// Salience, 0..=1; 1 when absent.
    pub salience: Option<f64>,
    /// Uncertainty of the support.
    pub uncertainty: UncertaintyDraft,
    /// Whether the actor will never accept the candidate, whatever happens (a red line).
    pub red_line: Option<bool>,
    /// Source.
    pub source: Option<EvidenceDraft>,
}

/// An informal criterion as written.
#[derive(Clone, Debug, Default)]
pub struct CriterionDraft {
    /// Identifier.
    pub id: String,
    /// Description.
    pub description: Option<String>,
    /// The rule, such as `home.defence_pct_gdp >= 2.0`.
    pub rule: String,
    /// Who cares (path `appointment.criteria[i].cared_by[j]`), as `(actor, penalty, sd)`.
    pub cared_by: Vec<(String, f64, Option<f64>)>,
}

/// The known outcome as written.
#[derive(Clone, Debug, Default)]
pub struct OutcomeDraft {
    /// The candidate appointed, the fallback's id, or `no-agreement`.
    pub winner: Option<String>,
    /// Known outcomes of continuous issues, as `(issue, position)`.
    pub positions: Vec<(String, f64)>,
}
