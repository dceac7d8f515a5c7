//! Version 1 of the native scenario format: the serde types, and their conversion to and from
//! the engine's [`ScenarioDraft`].
//!
//! These types are a public contract: analysts' files and the JSON Schema printed by
//! `akkoord schema` depend on them. Every table denies unknown fields. Changing a field here
//! is a format change, reviewed as such, never a side effect of a refactor.

mod events;

use std::collections::BTreeMap;

use akkoord_core::scenario::{
    ActorDraft, AppointmentDraft, CandidateDraft, CriterionDraft, DeadlineDraft, EvidenceDraft,
    FallbackDraft, FollowDraft, IssueDraft, OutcomeDraft, PositionDraft, SalienceRange,
    ScenarioDraft, StanceDefaultDraft, StanceDraft, UncertaintyDraft,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod rules;

pub use events::{Event, EventPosition, Fact};
pub use rules::{Stage, Threshold};

/// The version this module reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// An akkoord scenario file.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "akkoord scenario, format 1")]
pub struct ScenarioFile {
    /// The format version; must be 1.
    pub format: u32,
    /// The range of issue saliences: `0-1` (the default), or `0-100` for a scenario converted
    /// from a Decide file whose saliences run above 1 (the exchange model uses them as given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salience_range: Option<SalienceRangeFile>,
    /// Title, description, date and sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Metadata>,
    /// How the body decides; consensus when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
    /// When the decision must be taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Deadline>,
    /// Everyone who takes part or influences.
    #[serde(default)]
    pub actors: Vec<Actor>,
    /// Continuous issues, including side issues that can be traded for the appointment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<Issue>,
    /// The appointment to be made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<Appointment>,
    /// What really happened, for backtests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The bodies a decision passes through in order, each with its members, rule and
    /// deadline (instead of `rule`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Stage>,
    /// Dated events that change the scenario from their date on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
}

/// The range of issue saliences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SalienceRangeFile {
    /// Shares of attention, 0..=1.
    #[serde(rename = "0-1")]
    Unit,
    /// Decide's 0..=100.
    #[serde(rename = "0-100")]
    UpToHundred,
}

/// Descriptive information.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// A short title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The date of the situation described, `YYYY-MM-DD` in quotes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Where the facts come from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// The decision rule.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// `consensus` (also `unanimity`), `qualified-majority`, `simple-majority` or `votes`.
    pub kind: String,
    /// Share of the voting weight needed under a qualified majority, in (0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Several thresholds on named weights, all needed (instead of `threshold`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<Threshold>,
    /// Under a qualified majority, the fewest members that can block: fewer cannot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocking_minority: Option<i64>,
    /// Under `votes`, the yes votes needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// Members whose "no" blocks whatever the rest answer (not under consensus).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub veto_holders: Vec<String>,
    /// A member abstains when its support lies within this many points (0..100) of its value
    /// of the fallback; 0 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abstain_within: Option<f64>,
}

/// The deadline.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// The date, `YYYY-MM-DD` in quotes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Bargaining rounds before the fallback holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds: Option<i64>,
    /// Dates of the meetings left before the deadline, `YYYY-MM-DD` in quotes: one round each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meetings: Vec<String>,
}

/// An actor.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Short identifier, unique in the scenario.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Clout, >= 0; only ratios matter.
    pub capability: f64,
    /// Standard deviation of the capability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability_sd: Option<f64>,
    /// Whether it can block; under consensus every voting actor can unless this says false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub veto: Option<bool>,
    /// Whether it votes; false for influencers. True when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes: Option<bool>,
    /// Voting weight under a majority rule; 1 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Numeric facts, such as `defence_pct_gdp = 1.70`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub facts: BTreeMap<String, f64>,
    /// Group tags, such as `region = "baltic"`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, String>,
    /// The first day of membership, `YYYY-MM-DD`; a member from the start when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_from: Option<String>,
    /// The first day it is no longer a member, `YYYY-MM-DD`; to the end when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_until: Option<String>,
}

/// Where a judgement comes from.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// A link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The date of the source, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The words that support the judgement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// A continuous issue.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    /// Short identifier, unique among issues.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The scale positions lie on.
    pub scale: Scale,
    /// The id of the appointment this side issue can be traded for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_to: Option<String>,
    /// The actors' positions.
    #[serde(default)]
    pub positions: Vec<Position>,
}

/// A scale: its ends and labelled points. Ends default to the lowest and highest point.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// The lowest position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower: Option<f64>,
    /// The highest position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper: Option<f64>,
    /// Labelled points, like Decide's `#M` rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<ScalePoint>,
}

/// A labelled point of a scale.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScalePoint {
    /// Where it lies.
    pub at: f64,
    /// What it means.
    #[serde(default)]
    pub label: String,
}

/// One actor's position on an issue.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// The actor's id.
    pub actor: String,
    /// Its position on the issue's scale.
    pub position: f64,
    /// How much it cares, 0..=1.
    pub salience: f64,
    /// Its power on this issue when it differs from its capability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability: Option<f64>,
    /// Standard deviation of the position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
    /// Range the position lies in, `[low, high]` (instead of sd).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    /// Standard deviation of the salience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salience_sd: Option<f64>,
    /// Where the judgement comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// An appointment.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Appointment {
    /// Short identifier, referenced by side issues' `linked_to`.
    pub id: String,
    /// Name of the post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What holds if nobody is agreed.
    pub fallback: Fallback,
    /// The candidates.
    #[serde(default)]
    pub candidates: Vec<Candidate>,
    /// Actors' stances on candidates and on the fallback.
    #[serde(default)]
    pub stances: Vec<Stance>,
    /// Informal criteria.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<Criterion>,
    /// Default stances: what actors that write no stance on a candidate think of it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub defaults: Vec<StanceDefault>,
    /// Actors that take their cue from another.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follows: Vec<Follow>,
}

/// A default stance: the stance of every actor it covers (one actor, the members of one group,
/// or everyone when neither is given) on every candidate it covers (all when `candidates` is
/// absent) where the actor writes no stance of its own. The most specific default wins.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StanceDefault {
    /// The actor it covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The group it covers, as one tag of the actors' `groups`: `{ region = "baltic" }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<BTreeMap<String, String>>,
    /// The candidates it covers; every candidate when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<String>>,
    /// Support, 0..100.
    pub support: f64,
    /// How much the actors care, 0..=1; 1 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salience: Option<f64>,
    /// Standard deviation of the support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
    /// Range the support lies in, `[low, high]` (instead of sd).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    /// Where the judgement comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// An actor that takes its cue from another on the candidates it writes no stance about.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Follow {
    /// The follower's id.
    pub actor: String,
    /// The id of the actor it follows.
    pub leader: String,
    /// How far it follows, 0..=1; 1 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// The fallback.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fallback {
    /// Identifier, usable as a candidate in stances.
    pub id: String,
    /// What it means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The value (0..100) every actor without a stance of its own puts on it; 50 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support: Option<f64>,
}

/// A candidate.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// Short identifier.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The actor the candidate comes from, or a country that is not an actor when
    /// `home_facts` are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<String>,
    /// `mentioned`, `interested`, `declared`, `nominated` or `withdrawn`.
    pub status: String,
    /// The facts of a home that is not an actor, for informal criteria.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_facts: Option<BTreeMap<String, f64>>,
    /// The probability that the person accepts the post, 0..1; 1 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<f64>,
}

/// An actor's stance on a candidate or on the fallback.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stance {
    /// The actor's id.
    pub actor: String,
    /// The candidate's id, or the fallback's.
    pub candidate: String,
    /// Support, 0..100; below the actor's value of the fallback it will block.
    pub support: f64,
    /// How much the actor cares about the appointment, 0..=1; 1 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salience: Option<f64>,
    /// Standard deviation of the support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
    /// Range the support lies in, `[low, high]` (instead of sd).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    /// A red line: the actor blocks this candidate whatever it costs (never bought, never
    /// lobbied over); `false` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub red_line: Option<bool>,
    /// Where the judgement comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// An informal criterion.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Short identifier.
    pub id: String,
    /// What it means, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A rule over the home actor's facts, such as `home.defence_pct_gdp >= 2.0`.
    pub rule: String,
    /// Who cares, and how much.
    #[serde(default)]
    pub cared_by: Vec<Concern>,
}

/// An actor's concern with a criterion.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Concern {
    /// The actor's id.
    pub actor: String,
    /// Support points withdrawn from a candidate who fails (0..100; 100 is a red line).
    pub penalty: f64,
    /// Standard deviation of the penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
}

/// The known outcome.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// The candidate appointed, the fallback's id, or `no-agreement`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub winner: Option<String>,
    /// When it was decided, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// What happened, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Known outcomes of continuous issues.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<OutcomePosition>,
}

/// The known outcome of one issue.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomePosition {
    /// The issue's id.
    pub issue: String,
    /// Where it ended.
    pub position: f64,
}

fn uncertainty(sd: Option<f64>, range: Option<[f64; 2]>) -> UncertaintyDraft {
    UncertaintyDraft { sd, range }
}

fn evidence(s: &Source) -> EvidenceDraft {
    EvidenceDraft {
        url: s.url.clone(),
        date: s.date.clone(),
        quote: s.quote.clone(),
    }
}

fn source(e: &EvidenceDraft) -> Source {
    Source {
        url: e.url.clone(),
        date: e.date.clone(),
        quote: e.quote.clone(),
    }
}

fn candidate_draft(c: &Candidate) -> CandidateDraft {
    CandidateDraft {
        id: c.id.clone(),
        name: c.name.clone(),
        home: c.home.clone(),
        status: c.status.clone(),
        home_facts: c
            .home_facts
            .as_ref()
            .map(|f| f.iter().map(|(k, v)| (k.clone(), *v)).collect()),
        available: c.available,
    }
}

fn candidate_file(c: &CandidateDraft) -> Candidate {
    Candidate {
        id: c.id.clone(),
        name: c.name.clone(),
        home: c.home.clone(),
        status: c.status.clone(),
        home_facts: c.home_facts.as_ref().map(|f| f.iter().cloned().collect()),
        available: c.available,
    }
}

fn stance_draft(s: &Stance) -> StanceDraft {
    StanceDraft {
        actor: s.actor.clone(),
        candidate: s.candidate.clone(),
        support: s.support,
        salience: s.salience,
        uncertainty: uncertainty(s.sd, s.range),
        red_line: s.red_line,
        source: s.source.as_ref().map(evidence),
    }
}

fn stance_file(s: &StanceDraft) -> Stance {
    Stance {
        actor: s.actor.clone(),
        candidate: s.candidate.clone(),
        support: s.support,
        salience: s.salience,
        sd: s.uncertainty.sd,
        range: s.uncertainty.range,
        red_line: s.red_line,
        source: s.source.as_ref().map(source),
    }
}

fn criterion_draft(c: &Criterion) -> CriterionDraft {
    CriterionDraft {
        id: c.id.clone(),
        description: c.description.clone(),
        rule: c.rule.clone(),
        cared_by: c
            .cared_by
            .iter()
            .map(|x| (x.actor.clone(), x.penalty, x.sd))
            .collect(),
    }
}

fn criterion_file(c: &CriterionDraft) -> Criterion {
    Criterion {
        id: c.id.clone(),
        description: c.description.clone(),
        rule: c.rule.clone(),
        cared_by: c
            .cared_by
            .iter()
            .map(|(actor, penalty, sd)| Concern {
                actor: actor.clone(),
                penalty: *penalty,
                sd: *sd,
            })
            .collect(),
    }
}

impl ScenarioFile {
    /// The engine's draft of this file; paths in the draft are paths in the file.
    #[allow(clippy::too_many_lines)] // one field-by-field mapping, clearest in one place
    pub fn to_draft(&self) -> ScenarioDraft {
        let meta = self.scenario.clone().unwrap_or_default();
        ScenarioDraft {
            title: meta.title,
            description: meta.description,
            as_of: meta.as_of,
            sources: meta.sources,
            rule: self.rule.as_ref().map(Rule::to_draft),
            deadline: self.deadline.as_ref().map(|d| DeadlineDraft {
                date: d.date.clone(),
                rounds: d.rounds,
                meetings: d.meetings.clone(),
            }),
            actors: self
                .actors
                .iter()
                .map(|a| ActorDraft {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    capability: a.capability,
                    capability_sd: a.capability_sd,
                    veto: a.veto,
                    votes: a.votes,
                    weight: a.weight,
                    facts: a.facts.iter().map(|(k, v)| (k.clone(), *v)).collect(),
                    groups: a
                        .groups
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    member_from: a.member_from.clone(),
                    member_until: a.member_until.clone(),
                })
                .collect(),
            issues: self
                .issues
                .iter()
                .map(|i| IssueDraft {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    lower: i.scale.lower,
                    upper: i.scale.upper,
                    points: i
                        .scale
                        .points
                        .iter()
                        .map(|p| (p.at, p.label.clone()))
                        .collect(),
                    linked_to: i.linked_to.clone(),
                    positions: i
                        .positions
                        .iter()
                        .map(|p| PositionDraft {
                            actor: p.actor.clone(),
                            position: p.position,
                            salience: p.salience,
                            capability: p.capability,
                            uncertainty: uncertainty(p.sd, p.range),
                            salience_sd: p.salience_sd,
                            source: p.source.as_ref().map(evidence),
                        })
                        .collect(),
                })
                .collect(),
            appointment: self.appointment.as_ref().map(|a| AppointmentDraft {
                id: a.id.clone(),
                name: a.name.clone(),
                fallback: Some(FallbackDraft {
                    id: a.fallback.id.clone(),
                    label: a.fallback.label.clone(),
                    support: a.fallback.support,
                }),
                candidates: a.candidates.iter().map(candidate_draft).collect(),
                stances: a.stances.iter().map(stance_draft).collect(),
                criteria: a.criteria.iter().map(criterion_draft).collect(),
                defaults: a
                    .defaults
                    .iter()
                    .map(|d| StanceDefaultDraft {
                        actor: d.actor.clone(),
                        group: d
                            .group
                            .iter()
                            .flatten()
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect(),
                        candidates: d.candidates.clone(),
                        support: d.support,
                        salience: d.salience,
                        uncertainty: uncertainty(d.sd, d.range),
                        source: d.source.as_ref().map(evidence),
                    })
                    .collect(),
                follows: a
                    .follows
                    .iter()
                    .map(|f| FollowDraft {
                        actor: f.actor.clone(),
                        leader: f.leader.clone(),
                        weight: f.weight,
                    })
                    .collect(),
            }),
            outcome: self.outcome.as_ref().map(|o| OutcomeDraft {
                winner: o.winner.clone(),
                positions: o
                    .positions
                    .iter()
                    .map(|p| (p.issue.clone(), p.position))
                    .collect(),
            }),
            salience_range: match self.salience_range {
                Some(SalienceRangeFile::UpToHundred) => SalienceRange::UpToHundred,
                Some(SalienceRangeFile::Unit) | None => SalienceRange::Unit,
            },
            stages: self.stages.iter().map(Stage::to_draft).collect(),
            events: self.events.iter().map(Event::to_draft).collect(),
        }
    }

    /// The file that reads back as `draft`, for `akkoord convert`.
    ///
    /// A position's capability is written only where it differs from its actor's, so a
    /// Decide file with one power per actor becomes a file with one capability per actor.
    #[allow(clippy::too_many_lines)] // one field-by-field mapping, clearest in one place
    pub fn from_draft(draft: &ScenarioDraft) -> Self {
        let capability_of: BTreeMap<&str, f64> = draft
            .actors
            .iter()
            .map(|a| (a.id.as_str(), a.capability))
            .collect();
        let has_meta = draft.title.is_some()
            || draft.description.is_some()
            || draft.as_of.is_some()
            || !draft.sources.is_empty();
        Self {
            format: FORMAT_VERSION,
            // Only saliences above 1 need the wider range written out; within 0..1 both
            // ranges read the same.
            salience_range: (draft.salience_range == SalienceRange::UpToHundred
                && draft
                    .issues
                    .iter()
                    .flat_map(|i| &i.positions)
                    .any(|p| p.salience > 1.0))
            .then_some(SalienceRangeFile::UpToHundred),
            scenario: has_meta.then(|| Metadata {
                title: draft.title.clone(),
                description: draft.description.clone(),
                as_of: draft.as_of.clone(),
                sources: draft.sources.clone(),
            }),
            rule: draft.rule.as_ref().map(Rule::from_draft),
            deadline: draft.deadline.as_ref().map(|d| Deadline {
                date: d.date.clone(),
                rounds: d.rounds,
                meetings: d.meetings.clone(),
            }),
            actors: draft
                .actors
                .iter()
                .map(|a| Actor {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    capability: a.capability,
                    capability_sd: a.capability_sd,
                    veto: a.veto,
                    votes: a.votes,
                    weight: a.weight,
                    facts: a.facts.iter().cloned().collect(),
                    groups: a.groups.iter().cloned().collect(),
                    member_from: a.member_from.clone(),
                    member_until: a.member_until.clone(),
                })
                .collect(),
            issues: draft
                .issues
                .iter()
                .map(|i| Issue {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    scale: Scale {
                        lower: i.lower,
                        upper: i.upper,
                        points: i
                            .points
                            .iter()
                            .map(|(at, label)| ScalePoint {
                                at: *at,
                                label: label.clone(),
                            })
                            .collect(),
                    },
                    linked_to: i.linked_to.clone(),
                    positions: i
                        .positions
                        .iter()
                        .map(|p| Position {
                            actor: p.actor.clone(),
                            position: p.position,
                            salience: p.salience,
                            capability: p
                                .capability
                                .filter(|c| capability_of.get(p.actor.as_str()) != Some(c)),
                            sd: p.uncertainty.sd,
                            range: p.uncertainty.range,
                            salience_sd: p.salience_sd,
                            source: p.source.as_ref().map(source),
                        })
                        .collect(),
                })
                .collect(),
            appointment: draft.appointment.as_ref().map(|a| Appointment {
                id: a.id.clone(),
                name: a.name.clone(),
                fallback: a
                    .fallback
                    .as_ref()
                    .map(|f| Fallback {
                        id: f.id.clone(),
                        label: f.label.clone(),
                        support: f.support,
                    })
                    .unwrap_or_default(),
                candidates: a.candidates.iter().map(candidate_file).collect(),
                stances: a.stances.iter().map(stance_file).collect(),
                criteria: a.criteria.iter().map(criterion_file).collect(),
                defaults: a
                    .defaults
                    .iter()
                    .map(|d| StanceDefault {
                        actor: d.actor.clone(),
                        group: (!d.group.is_empty()).then(|| d.group.iter().cloned().collect()),
                        candidates: d.candidates.clone(),
                        support: d.support,
                        salience: d.salience,
                        sd: d.uncertainty.sd,
                        range: d.uncertainty.range,
                        source: d.source.as_ref().map(source),
                    })
                    .collect(),
                follows: a
                    .follows
                    .iter()
                    .map(|f| Follow {
                        actor: f.actor.clone(),
                        leader: f.leader.clone(),
                        weight: f.weight,
                    })
                    .collect(),
            }),
            outcome: draft.outcome.as_ref().map(|o| Outcome {
                winner: o.winner.clone(),
                date: None,
                note: None,
                positions: o
                    .positions
                    .iter()
                    .map(|(issue, position)| OutcomePosition {
                        issue: issue.clone(),
                        position: *position,
                    })
                    .collect(),
            }),
            stages: draft.stages.iter().map(Stage::from_draft).collect(),
            events: draft.events.iter().map(Event::from_draft).collect(),
        }
    }
}

/// The JSON Schema of format 1, as pretty-printed JSON.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ScenarioFile);
    serde_json::to_string_pretty(&schema).expect("a JSON Schema always serialises") + "\n"
}
