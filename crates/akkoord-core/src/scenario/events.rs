//! Dated events: news that changes a scenario from its date on, and the scenario as of a date.
//!
//! A scenario may carry events after its base (path `events[i]`). The scenario *as of* a date
//! is the base with every event dated on or before that date applied, in date order and,
//! within a date, in the order the events are written. A change replaces what it names (a
//! stance, a position, a fact, a criterion, a candidate's status) or adds it when the base has
//! none; a candidate named for the first time enters the race.
//!
//! This module owns that application and the [`Provenance`] that takes a field of the applied
//! draft back to the place it was written (the base or an event), so that diagnostics about
//! the scenario as of a date point at the event that wrote the field. It never checks values
//! (that is `validate`'s work) and never reads text.

use std::collections::BTreeMap;

use crate::diag::{FieldPath, Segment};
use crate::validate::is_iso_date;

use super::{
    CandidateDraft, CriterionDraft, EvidenceDraft, PositionDraft, ScenarioDraft, StanceDraft,
};

/// One dated event as written.
#[derive(Clone, Debug, Default)]
pub struct EventDraft {
    /// When it became known, `YYYY-MM-DD`.
    pub date: String,
    /// A short line saying what happened, for histories.
    pub headline: Option<String>,
    /// Where it was reported.
    pub source: EvidenceDraft,
    /// Candidates entering or changing status (path `events[i].candidates[j]`); a name or
    /// home left out keeps the candidate's own.
    pub candidates: Vec<CandidateDraft>,
    /// Stances set (path `events[i].stances[j]`), each replacing the actor's stance on that
    /// candidate.
    pub stances: Vec<StanceDraft>,
    /// Positions on issues set (path `events[i].positions[j]`).
    pub positions: Vec<EventPositionDraft>,
    /// Facts set (path `events[i].facts[j]`).
    pub facts: Vec<FactDraft>,
    /// Informal criteria set or added (path `events[i].criteria[j]`).
    pub criteria: Vec<CriterionDraft>,
}

impl EventDraft {
    /// The number of changes the event makes.
    pub fn change_count(&self) -> usize {
        self.candidates.len()
            + self.stances.len()
            + self.positions.len()
            + self.facts.len()
            + self.criteria.len()
    }
}

/// A position on an issue set by an event: the issue's id and the position as in the issue.
#[derive(Clone, Debug, Default)]
pub struct EventPositionDraft {
    /// The issue's id.
    pub issue: String,
    /// The actor's position, replacing its position on the issue.
    pub position: PositionDraft,
}

/// A fact of an actor set by an event, such as a new year's defence spending.
#[derive(Clone, Debug, Default)]
pub struct FactDraft {
    /// The actor's id.
    pub actor: String,
    /// The fact's name, such as `defence_pct_gdp`.
    pub fact: String,
    /// Its new value.
    pub value: f64,
}

/// The indices of the events with a valid date, in the order they apply: by date, then as
/// written. Events with a malformed date never apply (validation reports them).
pub fn application_order(events: &[EventDraft]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..events.len())
        .filter(|&i| is_iso_date(&events[i].date))
        .collect();
    order.sort_by(|&a, &b| events[a].date.cmp(&events[b].date));
    order
}

/// The distinct valid dates of the events, earliest first.
pub fn event_dates(events: &[EventDraft]) -> Vec<String> {
    let mut dates: Vec<String> = application_order(events)
        .into_iter()
        .map(|i| events[i].date.clone())
        .collect();
    dates.dedup();
    dates
}

/// Where the fields of an applied draft were written: prefixes of paths in the applied draft
/// mapped to the paths in the file they came from. Fields under no recorded prefix are the
/// base's, at the same path.
#[derive(Clone, Debug, Default)]
pub struct Provenance(BTreeMap<FieldPath, FieldPath>);

impl Provenance {
    fn record(&mut self, applied: FieldPath, written: FieldPath) {
        self.0.insert(applied, written);
    }

    /// The path in the file of the field at `path` in the applied draft.
    pub fn written_at(&self, path: &FieldPath) -> FieldPath {
        let segments = path.segments();
        for len in (1..=segments.len()).rev() {
            let prefix = extended(&FieldPath::root(), &segments[..len]);
            if let Some(written) = self.0.get(&prefix) {
                return extended(written, &segments[len..]);
            }
        }
        path.clone()
    }
}

/// `path` followed by `segments`.
fn extended(path: &FieldPath, segments: &[Segment]) -> FieldPath {
    segments.iter().fold(path.clone(), |p, s| match s {
        Segment::Key(key) => p.key(key),
        Segment::Index(index) => p.index(*index),
    })
}

/// A scenario as of a date: the base with the events up to that date applied.
#[derive(Clone, Debug)]
pub struct AppliedDraft {
    /// The scenario as of the date, with no events of its own and `as_of` set to the date.
    pub draft: ScenarioDraft,
    /// Where each of its fields was written.
    pub provenance: Provenance,
    /// The indices of the events applied, in the order they were applied.
    pub applied: Vec<usize>,
}

/// The base of `draft`, before any event, with its own `as_of`.
pub fn base(draft: &ScenarioDraft) -> AppliedDraft {
    AppliedDraft {
        draft: ScenarioDraft {
            events: Vec::new(),
            ..draft.clone()
        },
        provenance: Provenance::default(),
        applied: Vec::new(),
    }
}

/// The scenario `draft` as of `date`: its base with every event dated on or before `date`
/// applied in order. The result's `as_of` is `date`.
pub fn as_of(draft: &ScenarioDraft, date: &str) -> AppliedDraft {
    let order = application_order(&draft.events);
    let due = order
        .into_iter()
        .take_while(|&i| draft.events[i].date.as_str() <= date);
    let mut applied = with_events(draft, due);
    applied.draft.as_of = Some(date.to_owned());
    applied
}

/// The base of `draft` with every event applied, those with a malformed date last: the
/// scenario in which validation checks the references of every change, dated or not.
pub fn with_every_event(draft: &ScenarioDraft) -> AppliedDraft {
    let dated = application_order(&draft.events);
    let undated = (0..draft.events.len()).filter(|i| !dated.contains(i));
    with_events(draft, dated.clone().into_iter().chain(undated))
}

fn with_events(draft: &ScenarioDraft, events: impl Iterator<Item = usize>) -> AppliedDraft {
    let mut applied = base(draft);
    for i in events {
        apply(&mut applied, &draft.events[i], i);
        applied.applied.push(i);
    }
    applied
}

fn apply(to: &mut AppliedDraft, event: &EventDraft, i: usize) {
    let written = FieldPath::root().key("events").index(i);
    let d = &mut to.draft;
    let provenance = &mut to.provenance;
    for (j, fact) in event.facts.iter().enumerate() {
        if let Some((a, actor)) = d
            .actors
            .iter_mut()
            .enumerate()
            .find(|(_, a)| a.id == fact.actor)
        {
            match actor.facts.iter_mut().find(|(name, _)| *name == fact.fact) {
                Some((_, value)) => *value = fact.value,
                None => actor.facts.push((fact.fact.clone(), fact.value)),
            }
            provenance.record(
                FieldPath::root()
                    .key("actors")
                    .index(a)
                    .key("facts")
                    .key(&fact.fact),
                written.key("facts").index(j).key("value"),
            );
        }
    }
    for (j, p) in event.positions.iter().enumerate() {
        if let Some((k, issue)) = d
            .issues
            .iter_mut()
            .enumerate()
            .find(|(_, issue)| issue.id == p.issue)
        {
            let at = replace_or_push(&mut issue.positions, p.position.clone(), |q| {
                q.actor == p.position.actor
            });
            provenance.record(
                FieldPath::root()
                    .key("issues")
                    .index(k)
                    .key("positions")
                    .index(at),
                written.key("positions").index(j),
            );
        }
    }
    let Some(appointment) = d.appointment.as_mut() else {
        return;
    };
    let base = FieldPath::root().key("appointment");
    for (j, c) in event.candidates.iter().enumerate() {
        let from = written.key("candidates").index(j);
        match appointment.candidates.iter().position(|x| x.id == c.id) {
            Some(k) => {
                let existing = &mut appointment.candidates[k];
                let to = base.key("candidates").index(k);
                existing.status.clone_from(&c.status);
                provenance.record(to.key("status"), from.key("status"));
                if c.name.is_some() {
                    existing.name.clone_from(&c.name);
                    provenance.record(to.key("name"), from.key("name"));
                }
                if c.home.is_some() {
                    existing.home.clone_from(&c.home);
                    provenance.record(to.key("home"), from.key("home"));
                }
            }
            None => {
                provenance.record(
                    base.key("candidates").index(appointment.candidates.len()),
                    from,
                );
                appointment.candidates.push(c.clone());
            }
        }
    }
    for (j, s) in event.stances.iter().enumerate() {
        let at = replace_or_push(&mut appointment.stances, s.clone(), |x| {
            x.actor == s.actor && x.candidate == s.candidate
        });
        provenance.record(
            base.key("stances").index(at),
            written.key("stances").index(j),
        );
    }
    for (j, c) in event.criteria.iter().enumerate() {
        let at = replace_or_push(&mut appointment.criteria, c.clone(), |x| x.id == c.id);
        provenance.record(
            base.key("criteria").index(at),
            written.key("criteria").index(j),
        );
    }
}

/// Replaces the first item that `same` picks, or appends `item`; returns where it lies.
fn replace_or_push<T>(items: &mut Vec<T>, item: T, same: impl Fn(&T) -> bool) -> usize {
    if let Some(k) = items.iter().position(same) {
        items[k] = item;
        k
    } else {
        items.push(item);
        items.len() - 1
    }
}
