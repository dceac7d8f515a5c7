//! The `[[events]]` of format 1: dated news that changes a scenario from its date on, and
//! their conversion to and from the engine's [`EventDraft`].
//!
//! A change has the fields of what it changes (a stance, a candidate, a position, a
//! criterion), so that a diagnostic about a field of the scenario as of a date has the same
//! name in the event that wrote it.

use akkoord_core::scenario::{EventDraft, EventPositionDraft, FactDraft, PositionDraft};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Candidate, Criterion, Source, Stance, candidate_draft, candidate_file, criterion_draft,
    criterion_file, evidence, source, stance_draft, stance_file, uncertainty,
};

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
            candidates: self.candidates.iter().map(candidate_draft).collect(),
            stances: self.stances.iter().map(stance_draft).collect(),
            positions: self.positions.iter().map(EventPosition::to_draft).collect(),
            facts: self
                .facts
                .iter()
                .map(|f| FactDraft {
                    actor: f.actor.clone(),
                    fact: f.fact.clone(),
                    value: f.value,
                })
                .collect(),
            criteria: self.criteria.iter().map(criterion_draft).collect(),
        }
    }

    /// The event that reads back as `draft`.
    pub(super) fn from_draft(draft: &EventDraft) -> Self {
        Self {
            date: draft.date.clone(),
            headline: draft.headline.clone(),
            source: source(&draft.source),
            candidates: draft.candidates.iter().map(candidate_file).collect(),
            stances: draft.stances.iter().map(stance_file).collect(),
            positions: draft
                .positions
                .iter()
                .map(EventPosition::from_draft)
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
            criteria: draft.criteria.iter().map(criterion_file).collect(),
        }
    }
}

impl EventPosition {
    fn to_draft(&self) -> EventPositionDraft {
        EventPositionDraft {
            issue: self.issue.clone(),
            position: PositionDraft {
                actor: self.actor.clone(),
                position: self.position,
                salience: self.salience,
                capability: self.capability,
                uncertainty: uncertainty(self.sd, self.range),
                salience_sd: self.salience_sd,
                // The event's own source stands for its changes.
                source: None,
            },
        }
    }

    fn from_draft(draft: &EventPositionDraft) -> Self {
        let p = &draft.position;
        Self {
            issue: draft.issue.clone(),
            actor: p.actor.clone(),
            position: p.position,
            salience: p.salience,
            capability: p.capability,
            sd: p.uncertainty.sd,
            range: p.uncertainty.range,
            salience_sd: p.salience_sd,
        }
    }
}
