//! Validation of a scenario with dated events, and of a scenario as of a date.
//!
//! The events are checked on their own first: a valid date, a source dated no later than the
//! event, at least one change, no two changes to one target on one date, issues and actors
//! that exist, no stance on a candidate before the candidate enters. Then every scenario the
//! events make is checked with all the rules of [`super::validate`]: the base, the scenario
//! as of each event date, the base with every event applied (those with a malformed date
//! too, so that their references are checked), and the scenario as of the date asked for. Each problem is placed,
//! through the [`Provenance`] of the applied draft, at the field that was written: the base's
//! or an event's. Only the scenario as of the date asked for contributes warnings (hindsight
//! among them: a source dated after that date).

use std::collections::{BTreeMap, BTreeSet};

use super::{Validator, is_iso_date, validate};
use crate::diag::{Diagnostic, FieldPath, Validated};
use crate::scenario::events::{self, AppliedDraft, EventDraft, application_order, event_dates};
use crate::scenario::{Scenario, ScenarioDraft};

/// Checks `draft` as of `date` and builds that scenario: its base with every event dated on
/// or before `date` applied, and `as_of` set to `date`. Without a date, the scenario is taken
/// as of its own `as_of`, or as of its last event when it has none. Every event is checked
/// whatever the date: an error in an event after the date is still an error in the file.
pub fn validate_as_of(
    draft: &ScenarioDraft,
    date: Option<&str>,
) -> Result<Validated<Scenario>, Vec<Diagnostic>> {
    if draft.events.is_empty() {
        return match date {
            None => validate(draft),
            Some(date) => validate(&ScenarioDraft {
                as_of: Some(date.to_owned()),
                ..draft.clone()
            }),
        };
    }
    let dates = event_dates(&draft.events);
    let mut found = Found::new(check_events(draft));
    let stages = std::iter::once(events::base(draft))
        .chain(dates.iter().map(|d| events::as_of(draft, d)))
        .chain(std::iter::once(events::with_every_event(draft)));
    for mut stage in stages {
        // Checked as the file states its date, so that only the contents differ by stage.
        stage.draft.as_of.clone_from(&draft.as_of);
        if let Err(diagnostics) = validate(&stage.draft) {
            found.place(&stage, diagnostics.into_iter().filter(Diagnostic::is_error));
        }
    }
    let target = date
        .map(str::to_owned)
        .or_else(|| draft.as_of.clone())
        .or_else(|| dates.last().cloned());
    let stage = match &target {
        Some(date) => events::as_of(draft, date),
        None => events::base(draft),
    };
    match validate(&stage.draft) {
        Ok(validated) if found.errors.is_empty() => Ok(Validated {
            warnings: validated
                .warnings
                .into_iter()
                .map(|d| placed(&stage, d))
                .collect(),
            value: validated.value,
        }),
        Ok(validated) => Err(found.with_warnings(&stage, validated.warnings)),
        Err(diagnostics) => {
            let (errors, warnings): (Vec<_>, Vec<_>) =
                diagnostics.into_iter().partition(Diagnostic::is_error);
            found.place(&stage, errors.into_iter());
            Err(found.with_warnings(&stage, warnings))
        }
    }
}

/// A diagnostic about an applied draft, moved to the place its field was written.
fn placed(stage: &AppliedDraft, mut d: Diagnostic) -> Diagnostic {
    d.path = stage.provenance.written_at(&d.path);
    d
}

/// Errors gathered over the stages, each reported once.
struct Found {
    errors: Vec<Diagnostic>,
    /// The paths of the events' own errors: a stage's error at the same place says the same
    /// thing less precisely.
    event_paths: BTreeSet<FieldPath>,
}

impl Found {
    fn new(errors: Vec<Diagnostic>) -> Self {
        Self {
            event_paths: errors.iter().map(|d| d.path.clone()).collect(),
            errors,
        }
    }

    fn place(&mut self, stage: &AppliedDraft, diagnostics: impl Iterator<Item = Diagnostic>) {
        for d in diagnostics.map(|d| placed(stage, d)) {
            let repeated = self
                .errors
                .iter()
                .any(|e| e.path == d.path && e.message == d.message);
            if !repeated && !self.event_paths.contains(&d.path) {
                self.errors.push(d);
            }
        }
    }

    fn with_warnings(self, stage: &AppliedDraft, warnings: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut all = self.errors;
        all.extend(warnings.into_iter().map(|d| placed(stage, d)));
        all
    }
}

/// What one change of an event is about, for finding two changes to one target on one date.
fn targets(e: &EventDraft, path: &FieldPath) -> Vec<(String, FieldPath)> {
    let mut all = Vec::new();
    for (j, c) in e.candidates.iter().enumerate() {
        all.push((
            format!("candidate \"{}\"", c.id),
            path.key("candidates").index(j).key("id"),
        ));
    }
    for (j, s) in e.stances.iter().enumerate() {
        all.push((
            format!("the stance of \"{}\" on \"{}\"", s.actor, s.candidate),
            path.key("stances").index(j).key("candidate"),
        ));
    }
    for (j, p) in e.positions.iter().enumerate() {
        all.push((
            format!(
                "the position of \"{}\" on \"{}\"",
                p.position.actor, p.issue
            ),
            path.key("positions").index(j).key("actor"),
        ));
    }
    for (j, f) in e.facts.iter().enumerate() {
        all.push((
            format!("the fact \"{}\" of \"{}\"", f.fact, f.actor),
            path.key("facts").index(j).key("fact"),
        ));
    }
    for (j, c) in e.criteria.iter().enumerate() {
        all.push((
            format!("criterion \"{}\"", c.id),
            path.key("criteria").index(j).key("id"),
        ));
    }
    all
}

/// The rules of the events themselves, before any is applied.
fn check_events(draft: &ScenarioDraft) -> Vec<Diagnostic> {
    let mut v = Validator::default();
    let actor_index: BTreeMap<&str, usize> = draft
        .actors
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let issue_index: BTreeMap<&str, usize> = draft
        .issues
        .iter()
        .enumerate()
        .map(|(i, issue)| (issue.id.as_str(), i))
        .collect();
    let list = FieldPath::root().key("events");
    for (i, e) in draft.events.iter().enumerate() {
        let path = list.index(i);
        v.date(&path.key("date"), "event date", &e.date);
        if let Some(source_date) = &e.source.date {
            v.date(&path.key("source").key("date"), "source date", source_date);
            if is_iso_date(&e.date) && is_iso_date(source_date) && *source_date > e.date {
                v.error(
                    path.key("source").key("date"),
                    format!(
                        "the source is dated {source_date}, after its event of {}",
                        e.date
                    ),
                )
                .hints
                .push(
                    "an event is dated when it became known: on or after the date of its source"
                        .into(),
                );
            }
        }
        if e.change_count() == 0 {
            v.error(path.clone(), format!("the event of {} changes nothing", e.date))
                .hints
                .push("add at least one of [[events.candidates]], [[events.stances]], [[events.positions]], [[events.facts]] or [[events.criteria]]".into());
        }
        for (j, p) in e.positions.iter().enumerate() {
            let ppath = path.key("positions").index(j);
            v.resolve(&ppath.key("issue"), "issue", &p.issue, &issue_index);
        }
        for (j, f) in e.facts.iter().enumerate() {
            let fpath = path.key("facts").index(j);
            v.resolve(&fpath.key("actor"), "actor", &f.actor, &actor_index);
            v.identifier(&fpath.key("fact"), "fact name", &f.fact);
        }
    }
    let order = application_order(&draft.events);
    let mut seen: BTreeMap<(&str, String), FieldPath> = BTreeMap::new();
    for &i in &order {
        let e = &draft.events[i];
        for (target, at) in targets(e, &list.index(i)) {
            if let Some(first) = seen.get(&(e.date.as_str(), target.clone())) {
                v.error(at, format!("two changes to {target} are dated {}", e.date))
                    .hints
                    .push(format!(
                        "the other is at {first}; keep one, or give each its own date"
                    ));
            } else {
                seen.insert((e.date.as_str(), target), at);
            }
        }
    }
    stances_before_entry(&mut v, draft, &order);
    v.found
}

/// Reports a stance set by an event on a candidate who enters only with a later event.
fn stances_before_entry(v: &mut Validator, draft: &ScenarioDraft, order: &[usize]) {
    let mut entered: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in order {
        for c in &draft.events[i].candidates {
            entered.entry(c.id.as_str()).or_insert(i);
        }
    }
    let in_base: BTreeSet<&str> = draft
        .appointment
        .iter()
        .flat_map(|a| {
            a.candidates
                .iter()
                .map(|c| c.id.as_str())
                .chain(a.fallback.iter().map(|f| f.id.as_str()))
        })
        .collect();
    let position: BTreeMap<usize, usize> = order.iter().enumerate().map(|(n, &i)| (i, n)).collect();
    for &i in order {
        let e = &draft.events[i];
        for (j, s) in e.stances.iter().enumerate() {
            let Some(&entry) = entered.get(s.candidate.as_str()) else {
                continue;
            };
            if !in_base.contains(s.candidate.as_str()) && position[&entry] > position[&i] {
                v.error(
                    FieldPath::root()
                        .key("events")
                        .index(i)
                        .key("stances")
                        .index(j)
                        .key("candidate"),
                    format!(
                        "candidate \"{}\" enters on {} (event {}), after this event of {}",
                        s.candidate,
                        draft.events[entry].date,
                        entry + 1,
                        e.date
                    ),
                )
                .hints
                .push("date the stance on or after the candidate's entry, or enter the candidate earlier".into());
            }
        }
    }
}
