//! The `[[events]]` of format 1: dated news that changes a scenario from its date on, and
//! their conversion to and from the engine's [`EventDraft`].
//!
//! A change has the fields of what it changes (a stance, a candidate, a position, a
//! criterion), so that a diagnostic about a field of the scenario as of a date has the same
//! name in the event that wrote it.

use akkoord_core::scenario::{
    CandidateDraft, CriterionDraft, EventDraft, EventPositionDraft, FactDraft, PositionDraft,
    StanceDraft,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Candidate, Concern, Criterion, Source, Stance, evidence, source, uncertainty};

/// A dated event: what became known on a date, where it was reported, and what it changes.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// When it became known, `YYYY-MM-DD` in quotes.
    pub date: String,
    /// A short line saying what happened, shown in histories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// Where it was reported; dated no later than the event.
    pub source: Source,
    /// Candidates entering the race or changing status; a name or home left out keeps the
    /// candidate's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
    /// Stances, each replacing the actor's stance on that candidate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stances: Vec<Stance>,
    /// Positions on issues (side issues included), each replacing the actor's position.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<EventPosition>,
    /// Facts of actors, such as a new year's defence spending.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
    /// Informal criteria, each replacing the criterion with its id or adding one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<Criterion>,
}

/// An actor's position on an issue, set by an event.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventPosition {
    /// The issue's id.
    pub issue: String,
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
}

/// A fact of an actor, set by an event.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// The actor's id.
    pub actor: String,
    /// The fact's name, such as `defence_pct_gdp`.
    pub fact: String,
    /// Its new value.
    pub value: f64,
}

impl Event {
    /// The engine's draft of this event.
    pub(super) fn to_draft(&self) -> EventDraft {
        EventDraft {
            date: self.date.clone(),
            headline: self.headline.clone(),
            source: evidence(&self.source),
            candidates: self
                .candidates
                .iter()
                .map(|c| CandidateDraft {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    home: c.home.clone(),
                    status: c.status.clone(),
                })
                .collect(),
            stances: self
                .stances
                .iter()
                .map(|s| StanceDraft {
                    actor: s.actor.clone(),
                    candidate: s.candidate.clone(),
                    support: s.support,
                    salience: s.salience,
                    uncertainty: uncertainty(s.sd, s.range),
                    red_line: s.red_line,
                    source: s.source.as_ref().map(evidence),
                })
                .collect(),
            positions: self
                .positions
                .iter()
                .map(|p| EventPositionDraft {
                    issue: p.issue.clone(),
                    position: PositionDraft {
                        actor: p.actor.clone(),
                        position: p.position,
                        salience: p.salience,
                        capability: p.capability,
                        uncertainty: uncertainty(p.sd, p.range),
                        salience_sd: p.salience_sd,
                        // The event's own source stands for its changes.
                        source: None,
                    },
                })
                .collect(),
            facts: self
                .facts
                .iter()
                .map(|f| FactDraft {
                    actor: f.actor.clone(),
                    fact: f.fact.clone(),
                    value: f.value,
                })
                .collect(),
            criteria: self
                .criteria
                .iter()
                .map(|c| CriterionDraft {
                    id: c.id.clone(),
                    description: c.description.clone(),
                    rule: c.rule.clone(),
                    cared_by: c
                        .cared_by
                        .iter()
                        .map(|x| (x.actor.clone(), x.penalty, x.sd))
                        .collect(),
                })
                .collect(),
        }
    }

    /// The event that reads back as `draft`.
    pub(super) fn from_draft(draft: &EventDraft) -> Self {
        Self {
            date: draft.date.clone(),
            headline: draft.headline.clone(),
            source: source(&draft.source),
            candidates: draft
                .candidates
                .iter()
                .map(|c| Candidate {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    home: c.home.clone(),
                    status: c.status.clone(),
                })
                .collect(),
            stances: draft
                .stances
                .iter()
                .map(|s| Stance {
                    actor: s.actor.clone(),
                    candidate: s.candidate.clone(),
                    support: s.support,
                    salience: s.salience,
                    sd: s.uncertainty.sd,
                    range: s.uncertainty.range,
                    red_line: s.red_line,
                    source: s.source.as_ref().map(source),
                })
                .collect(),
            positions: draft
                .positions
                .iter()
                .map(|p| EventPosition {
                    issue: p.issue.clone(),
                    actor: p.position.actor.clone(),
                    position: p.position.position,
                    salience: p.position.salience,
                    capability: p.position.capability,
                    sd: p.position.uncertainty.sd,
                    range: p.position.uncertainty.range,
                    salience_sd: p.position.salience_sd,
                })
                .collect(),
            facts: draft
                .facts
                .iter()
                .map(|f| Fact {
                    actor: f.actor.clone(),
                    fact: f.fact.clone(),
                    value: f.value,
                })
                .collect(),
            criteria: draft
                .criteria
                .iter()
                .map(|c| Criterion {
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
                })
                .collect(),
        }
    }
}
