//! Turning a [`ScenarioDraft`] into a [`Scenario`], reporting every problem at once.
//!
//! Every rule runs, whatever the others found, and each problem becomes a [`Diagnostic`] at
//! the path of the field it is about. Errors stop the run; warnings travel with the result.
//! This module owns every cross-field rule of the scenario format; models never re-check.

mod candidates;
mod cues;
mod rules;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, FieldPath, Topic, Validated, closest};
use crate::scenario::{
    Actor, ActorId, Appointment, Candidate, CandidateId, CandidateStatus, Comparison, Concern,
    Criterion, Deadline, DecisionRule, Evidence, EvidenceDraft, Fallback, Issue, IssueId,
    KnownOutcome, Metadata, Position, SalienceRange, Scale, ScalePoint, Scenario, ScenarioDraft,
    Stance, Uncertainty, UncertaintyDraft,
};

/// The id under which a known outcome says that nobody was agreed.
pub const NO_AGREEMENT: &str = "no-agreement";

/// The id under which a known outcome says that the post went to someone who was not a
/// candidate of the scenario on its as-of date (an outsider).
pub const NOT_NAMED: &str = "not-named";

mod events;

pub use events::validate_as_of;

/// Checks a draft and builds the scenario, or returns every error found (warnings included).
/// A draft with events is the scenario as of its `as_of` (see [`validate_as_of`]).
pub fn validate(draft: &ScenarioDraft) -> Result<Validated<Scenario>, Vec<Diagnostic>> {
    if !draft.events.is_empty() {
        return validate_as_of(draft, None);
    }
    let mut v = Validator {
        salience_range: draft.salience_range,
        ..Validator::default()
    };
    let scenario = v.scenario(draft);
    let (errors, warnings): (Vec<_>, Vec<_>) = v.found.into_iter().partition(Diagnostic::is_error);
    if errors.is_empty() {
        Ok(Validated {
            value: scenario,
            warnings,
        })
    } else {
        let mut all = errors;
        all.extend(warnings);
        Err(all)
    }
}

#[derive(Default)]
struct Validator {
    found: Vec<Diagnostic>,
    salience_range: SalienceRange,
    /// The scenario's `as_of`, when it is a valid date: sources dated later are hindsight.
    as_of: Option<String>,
}

/// An inclusive numeric range a field must lie in, with its wording for messages.
struct Bounds {
    low: f64,
    high: f64,
}

const UNIT: Bounds = Bounds {
    low: 0.0,
    high: 1.0,
};
const PERCENT: Bounds = Bounds {
    low: 0.0,
    high: 100.0,
};
/// The largest magnitude of any number in a scenario. The models multiply such numbers
/// (capability × salience × distance) and add them over hundreds of actors; below this bound
/// every intermediate result stays finite with room to spare, and no real input comes near it
/// (capabilities only matter as ratios, so they can always be rescaled).
pub const LARGEST_MAGNITUDE: f64 = 1e9;

const NON_NEGATIVE: Bounds = Bounds {
    low: 0.0,
    high: LARGEST_MAGNITUDE,
};
const ANY: Bounds = Bounds {
    low: -LARGEST_MAGNITUDE,
    high: LARGEST_MAGNITUDE,
};

impl Validator {
    fn error(&mut self, path: FieldPath, message: String) -> &mut Diagnostic {
        self.found.push(Diagnostic::error(path, message));
        self.found.last_mut().expect("a diagnostic was just pushed")
    }

    fn warn(&mut self, path: FieldPath, message: String) -> &mut Diagnostic {
        self.found.push(Diagnostic::warning(path, message));
        self.found.last_mut().expect("a diagnostic was just pushed")
    }

    /// Checks that `value` is finite and within `bounds`; returns it clamped into range so the
    /// rest of validation can go on.
    fn number(&mut self, path: &FieldPath, what: &str, value: f64, bounds: &Bounds) -> f64 {
        if !value.is_finite() {
            self.error(
                path.clone(),
                format!("{what} must be a finite number, found {value}"),
            )
            .hints
            .push("write a plain decimal number such as 0.5".into());
            return bounds.low.max(0.0);
        }
        if value < bounds.low || value > bounds.high {
            let expected = if bounds.high < LARGEST_MAGNITUDE || bounds.low < 0.0 {
                format!(
                    "between {} and {}",
                    readable(bounds.low),
                    readable(bounds.high)
                )
            } else if value < bounds.low {
                format!("at least {}", readable(bounds.low))
            } else {
                format!("at most {}", readable(bounds.high))
            };
            let d = self.error(
                path.clone(),
                format!("{what} must be {expected}, found {}", readable(value)),
            );
            if (bounds.high - 1.0).abs() < f64::EPSILON && value > 1.0 && value <= 100.0 {
                // 1.7 is most likely a slip for 0.17, 70 a percentage for 0.7.
                let meant = if value < 10.0 {
                    value / 10.0
                } else {
                    value / 100.0
                };
                d.hints.push(format!(
                    "{what}s are shares between 0 and 1; did you mean {}?",
                    readable(meant)
                ));
            } else if value.abs() > LARGEST_MAGNITUDE {
                d.hints.push(
                    "numbers are limited to ±1e9 so that the models' sums stay finite; rescale (capabilities only matter as ratios)".into(),
                );
            }
            return value.clamp(bounds.low, bounds.high);
        }
        value
    }

    fn identifier(&mut self, path: &FieldPath, what: &str, id: &str) {
        if id.trim().is_empty() {
            self.error(path.clone(), format!("{what} must not be empty"))
                .hints
                .push("give a short identifier such as \"NLD\"".into());
        } else if id.trim() != id {
            self.error(
                path.clone(),
                format!("{what} \"{id}\" has leading or trailing spaces"),
            );
        }
    }

    fn date(&mut self, path: &FieldPath, what: &str, date: &str) {
        if !is_iso_date(date) {
            self.error(
                path.clone(),
                format!("{what} must be a date as YYYY-MM-DD, found \"{date}\""),
            )
            .hints
            .push("for example \"2023-11-28\"".into());
        }
    }

    /// Checks that ids are unique; reports each repeat at its own path.
    fn unique<'a>(
        &mut self,
        what: &str,
        ids: impl Iterator<Item = (FieldPath, &'a str)>,
    ) -> BTreeMap<&'a str, usize> {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (n, (path, id)) in ids.enumerate() {
            if let Some(first) = seen.get(id) {
                self.error(path, format!("duplicate {what} \"{id}\""))
                    .hints
                    .push(format!(
                        "it was already defined as {what} number {}",
                        first + 1
                    ));
            } else {
                seen.insert(id, n);
            }
        }
        seen
    }

    /// Resolves a reference; reports an unknown name with the closest known one.
    fn resolve(
        &mut self,
        path: &FieldPath,
        what: &str,
        name: &str,
        known: &BTreeMap<&str, usize>,
    ) -> Option<usize> {
        if let Some(&index) = known.get(name) {
            return Some(index);
        }
        let d = self.error(path.clone(), format!("unknown {what} \"{name}\""));
        match closest(name, known.keys().copied()) {
            Some(near) => d.hints.push(format!("did you mean \"{near}\"?")),
            None if known.is_empty() => d.hints.push(format!("no {what} is defined")),
            None => d.hints.push(format!(
                "known: {}",
                known
                    .keys()
                    .take(12)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
        None
    }

    fn uncertainty(
        &mut self,
        path: &FieldPath,
        draft: UncertaintyDraft,
        value: f64,
        bounds: &Bounds,
    ) -> Uncertainty {
        match (draft.sd, draft.range) {
            (None, None) => Uncertainty::None,
            (Some(_), Some(_)) => {
                self.error(
                    path.key("range"),
                    "give either sd or range, not both".into(),
                );
                Uncertainty::None
            }
            (Some(sd), None) => {
                let sd = self.number(&path.key("sd"), "sd", sd, &NON_NEGATIVE);
                Uncertainty::Normal { sd }
            }
            (None, Some([low, high])) => {
                let low = self.number(&path.key("range").index(0), "range start", low, bounds);
                let high = self.number(&path.key("range").index(1), "range end", high, bounds);
                if low > high {
                    self.error(
                        path.key("range"),
                        format!("range must run from low to high, found [{low}, {high}]"),
                    );
                } else if value < low || value > high {
                    self.error(
                        path.key("range"),
                        format!("range [{low}, {high}] must contain the stated value {value}"),
                    );
                }
                Uncertainty::Uniform { low, high }
            }
        }
    }

    fn scenario(&mut self, d: &ScenarioDraft) -> Scenario {
        let root = FieldPath::root();
        if let Some(as_of) = &d.as_of {
            self.date(&root.key("scenario").key("as_of"), "as_of", as_of);
            self.as_of = is_iso_date(as_of).then(|| as_of.clone());
        }
        let rule = self.rule(d);
        let deadline = self.deadline(d);
        let mut actors = self.actors(d, rule);
        let actor_index: BTreeMap<&str, usize> = d
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let (bodies, days_to_deadline) = self.bodies(d, &mut actors, &actor_index);
        let appointment = d
            .appointment
            .as_ref()
            .map(|a| self.appointment(a, &actor_index, &actors));
        let issues = self.issues(d, &actor_index, &actors, appointment.as_ref());
        self.salience_warnings(d, &actors, &issues, appointment.as_ref());
        self.vanishing_weights(&actors, &issues);
        if let Some(a) = &appointment {
            self.appointment_warnings(d, a);
        }
        if actors.is_empty() {
            self.error(
                root.key("actors"),
                "a scenario needs at least one actor, found none".into(),
            )
            .hints
            .push("add an [[actors]] table (or #A rows in a Decide file)".into());
        }
        if issues.is_empty() && appointment.is_none() {
            self.error(
                root.key("issues"),
                "a scenario needs at least one issue or an appointment, found neither".into(),
            )
            .hints
            .push("add an [[issues]] table or an [appointment] table".into());
        }
        let outcome = d
            .outcome
            .as_ref()
            .and_then(|o| self.outcome(o, &issues, appointment.as_ref()));
        Scenario {
            meta: Metadata {
                title: d.title.clone().unwrap_or_default(),
                description: d.description.clone().unwrap_or_default(),
                as_of: d.as_of.clone(),
                sources: d.sources.clone(),
            },
            rule,
            deadline,
            actors,
            issues,
            appointment,
            outcome,
            bodies,
            days_to_deadline,
        }
    }

    fn rule(&mut self, d: &ScenarioDraft) -> DecisionRule {
        if rules::uses_bodies(d) {
            return DecisionRule::Bodies;
        }
        let Some(rule) = &d.rule else {
            return DecisionRule::Consensus;
        };
        let path = FieldPath::root().key("rule");
        match rule.kind.as_str() {
            "consensus" | "unanimity" => DecisionRule::Consensus,
            "simple-majority" => DecisionRule::SimpleMajority,
            "qualified-majority" => match rule.threshold {
                Some(t) => {
                    let threshold = self.number(&path.key("threshold"), "threshold", t, &UNIT);
                    if threshold <= 0.0 {
                        self.error(path.key("threshold"), "threshold must be above 0".into());
                    }
                    DecisionRule::QualifiedMajority { threshold }
                }
                None => {
                    self.error(
                        path.key("kind"),
                        "a qualified majority needs a threshold".into(),
                    )
                    .hints
                    .push("add threshold = 0.55 (the share of the voting weight needed)".into());
                    DecisionRule::Consensus
                }
            },
            other => {
                let kinds = [
                    "consensus",
                    "unanimity",
                    "qualified-majority",
                    "simple-majority",
                    "votes",
                ];
                let d = self.error(
                    path.key("kind"),
                    format!(
                        "unknown decision rule \"{other}\", expected one of {}",
                        kinds.join(", ")
                    ),
                );
                if let Some(near) = closest(other, kinds) {
                    d.hints.push(format!("did you mean \"{near}\"?"));
                }
                DecisionRule::Consensus
            }
        }
    }

    fn deadline(&mut self, d: &ScenarioDraft) -> Deadline {
        let Some(deadline) = &d.deadline else {
            return Deadline::default();
        };
        let path = FieldPath::root().key("deadline");
        if let Some(date) = &deadline.date {
            self.date(&path.key("date"), "deadline date", date);
            if let Some(as_of) = &self.as_of
                && is_iso_date(date)
                && date < as_of
            {
                self.error(
                    path.key("date"),
                    format!("the deadline {date} is before as_of {as_of}"),
                )
                .hints
                .push("the deadline is when the fallback holds; it lies after the situation described".into());
            }
        }
        let rounds = deadline.rounds.and_then(|r| match u32::try_from(r) {
            Ok(r) if (1..=10_000).contains(&r) => Some(r),
            _ => {
                self.error(
                    path.key("rounds"),
                    format!("rounds must be between 1 and 10000, found {r}"),
                );
                None
            }
        });
        let meetings = self.meetings(&path, deadline, rounds);
        let start = self.as_of.as_deref().and_then(crate::calendar::days);
        let meeting_days = meetings
            .iter()
            .map(|m| Some(crate::calendar::days(m)? - start?))
            .collect::<Option<Vec<i64>>>()
            .unwrap_or_default();
        Deadline {
            date: deadline.date.clone(),
            rounds,
            meetings,
            meeting_days,
        }
    }

    /// The meetings of `[deadline]`: dates in order, after `as_of`, not after the deadline,
    /// one per round when `rounds` is written too.
    fn meetings(
        &mut self,
        path: &FieldPath,
        deadline: &crate::scenario::DeadlineDraft,
        rounds: Option<u32>,
    ) -> Vec<String> {
        let list = path.key("meetings");
        let mut previous: Option<&str> = None;
        for (i, meeting) in deadline.meetings.iter().enumerate() {
            let at = list.index(i);
            self.date(&at, "meeting date", meeting);
            if !is_iso_date(meeting) {
                continue;
            }
            if let Some(as_of) = &self.as_of
                && meeting.as_str() <= as_of.as_str()
            {
                self.error(
                    at.clone(),
                    format!("the meeting {meeting} is not after as_of {as_of}"),
                )
                .hints
                .push("list the meetings still to come; each is one bargaining round".into());
            }
            if let Some(end) = deadline.date.as_deref().filter(|d| is_iso_date(d))
                && meeting.as_str() > end
            {
                self.error(
                    at.clone(),
                    format!("the meeting {meeting} is after the deadline {end}"),
                );
            }
            if let Some(before) = previous
                && meeting.as_str() <= before
            {
                self.error(
                    at.clone(),
                    format!(
                        "meetings must be in date order, but {meeting} is listed after {before}"
                    ),
                );
            }
            previous = Some(meeting);
        }
        if let Some(r) = rounds
            && !deadline.meetings.is_empty()
            && deadline.meetings.len() != r as usize
        {
            self.error(
                path.key("rounds"),
                format!(
                    "rounds = {r} but {} meetings are listed: each meeting is one round",
                    deadline.meetings.len()
                ),
            )
            .hints
            .push("leave out rounds (the meetings count them), or make them agree".into());
        }
        deadline.meetings.clone()
    }

    fn actors(&mut self, d: &ScenarioDraft, rule: DecisionRule) -> Vec<Actor> {
        let list = FieldPath::root().key("actors");
        self.unique(
            "actor",
            d.actors
                .iter()
                .enumerate()
                .map(|(i, a)| (list.index(i).key("id"), a.id.as_str())),
        );
        d.actors
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let path = list.index(i);
                self.identifier(&path.key("id"), "actor id", &a.id);
                let capability = self.number(
                    &path.key("capability"),
                    "capability",
                    a.capability,
                    &NON_NEGATIVE,
                );
                let weight = a.weight.map_or(1.0, |w| {
                    self.number(&path.key("weight"), "weight", w, &NON_NEGATIVE)
                });
                let mut facts = BTreeMap::new();
                for (name, value) in &a.facts {
                    let value = self.number(&path.key("facts").key(name), "fact", *value, &ANY);
                    facts.insert(name.clone(), value);
                }
                let votes = a.votes.unwrap_or(true);
                let veto = a
                    .veto
                    .unwrap_or(votes && rules::every_voter_vetoes(d, rule));
                if veto && !votes {
                    self.error(
                        path.key("veto"),
                        "an actor without a vote cannot hold a veto".into(),
                    )
                    .hints
                    .push("set votes = true, or veto = false for an influencer".into());
                }
                let capability_uncertainty =
                    a.capability_sd
                        .map_or(Uncertainty::None, |sd| Uncertainty::Normal {
                            sd: self.number(
                                &path.key("capability_sd"),
                                "capability_sd",
                                sd,
                                &NON_NEGATIVE,
                            ),
                        });
                Actor {
                    capability_uncertainty,
                    id: a.id.clone(),
                    name: a.name.clone().unwrap_or_else(|| a.id.clone()),
                    capability,
                    veto,
                    votes,
                    weight,
                    facts,
                    groups: a.groups.iter().cloned().collect(),
                }
            })
            .collect()
    }

    fn issues(
        &mut self,
        d: &ScenarioDraft,
        actor_index: &BTreeMap<&str, usize>,
        actors: &[Actor],
        appointment: Option<&Appointment>,
    ) -> Vec<Issue> {
        let list = FieldPath::root().key("issues");
        self.unique(
            "issue",
            d.issues
                .iter()
                .enumerate()
                .map(|(i, x)| (list.index(i).key("id"), x.id.as_str())),
        );
        let mut issues = Vec::with_capacity(d.issues.len());
        for (i, issue) in d.issues.iter().enumerate() {
            let path = list.index(i);
            self.identifier(&path.key("id"), "issue id", &issue.id);
            let scale = self.scale(&path.key("scale"), issue);
            let linked_to_appointment = match (&issue.linked_to, appointment) {
                (None, _) => false,
                (Some(link), Some(a)) if *link == a.id => true,
                (Some(link), Some(a)) => {
                    self.error(
                        path.key("linked_to"),
                        format!("unknown appointment \"{link}\""),
                    )
                    .hints
                    .push(format!("the appointment is called \"{}\"", a.id));
                    false
                }
                (Some(link), None) => {
                    self.error(
                        path.key("linked_to"),
                        format!(
                            "issue is linked to \"{link}\" but the scenario has no appointment"
                        ),
                    )
                    .hints
                    .push("add an [appointment] table or remove linked_to".into());
                    false
                }
            };
            let positions = self.positions(&path, issue, &scale, actor_index, actors);
            if positions.len() == 1 {
                self.warn(
                    path.key("positions"),
                    format!(
                        "issue \"{}\" has {} position(s); bargaining needs at least two",
                        issue.id,
                        positions.len()
                    ),
                );
            }
            issues.push(Issue {
                id: issue.id.clone(),
                name: issue.name.clone().unwrap_or_else(|| issue.id.clone()),
                scale,
                positions,
                linked_to_appointment,
            });
        }
        issues
    }

    fn scale(&mut self, path: &FieldPath, issue: &crate::scenario::IssueDraft) -> Scale {
        let mut points = Vec::with_capacity(issue.points.len());
        for (n, (at, label)) in issue.points.iter().enumerate() {
            let at = self.number(
                &path.key("points").index(n).key("at"),
                "scale point",
                *at,
                &ANY,
            );
            points.push(ScalePoint {
                at,
                label: label.clone(),
            });
        }
        let point_min = points.iter().map(|p| p.at).min_by(f64::total_cmp);
        let point_max = points.iter().map(|p| p.at).max_by(f64::total_cmp);
        let lower = issue
            .lower
            .map(|l| self.number(&path.key("lower"), "lower", l, &ANY))
            .or(point_min);
        let upper = issue
            .upper
            .map(|u| self.number(&path.key("upper"), "upper", u, &ANY))
            .or(point_max);
        match (lower, upper) {
            (Some(lower), Some(upper)) if lower < upper => {
                for (n, p) in points.iter().enumerate() {
                    if p.at < lower || p.at > upper {
                        self.error(
                            path.key("points").index(n).key("at"),
                            format!(
                                "scale point {} lies outside the scale {lower}..{upper}",
                                p.at
                            ),
                        );
                    }
                }
                Scale {
                    lower,
                    upper,
                    points,
                }
            }
            (Some(lower), Some(upper)) => {
                let message = if points.len() == 1 && issue.lower.is_none() && issue.upper.is_none()
                {
                    format!(
                        "the scale of \"{}\" has a single point ({lower}); a scale needs two different ends",
                        issue.id
                    )
                } else {
                    format!(
                        "the scale of \"{}\" must have lower < upper, found {lower}..{upper}",
                        issue.id
                    )
                };
                self.error(path.clone(), message).hints.push(
                    "give the two ends of the scale, for example lower = 0 and upper = 100".into(),
                );
                Scale {
                    lower: 0.0,
                    upper: 100.0,
                    points,
                }
            }
            _ => {
                self.error(path.clone(), format!("issue \"{}\" has no scale", issue.id))
                    .hints
                    .push("add scale = { lower = 0, upper = 100 }".into());
                Scale {
                    lower: 0.0,
                    upper: 100.0,
                    points,
                }
            }
        }
    }

    fn positions(
        &mut self,
        issue_path: &FieldPath,
        issue: &crate::scenario::IssueDraft,
        scale: &Scale,
        actor_index: &BTreeMap<&str, usize>,
        actors: &[Actor],
    ) -> Vec<Position> {
        let list = issue_path.key("positions");
        let mut seen: BTreeMap<usize, usize> = BTreeMap::new();
        let on_scale = Bounds {
            low: scale.lower,
            high: scale.upper,
        };
        let mut positions = Vec::new();
        for (j, p) in issue.positions.iter().enumerate() {
            let path = list.index(j);
            let actor = self.resolve(&path.key("actor"), "actor", &p.actor, actor_index);
            if let Some(a) = actor
                && let Some(first) = seen.insert(a, j)
            {
                self.error(
                    path.key("actor"),
                    format!(
                        "actor \"{}\" has two positions on issue \"{}\"",
                        p.actor, issue.id
                    ),
                )
                .hints
                .push(format!(
                    "the first is position number {}; keep one",
                    first + 1
                ));
            }
            let position = self.number(&path.key("position"), "position", p.position, &on_scale);
            let salience = match self.salience_range {
                SalienceRange::Unit => {
                    self.number(&path.key("salience"), "salience", p.salience, &UNIT)
                }
                SalienceRange::UpToHundred => {
                    let s = self.number(&path.key("salience"), "salience", p.salience, &PERCENT);
                    // A salience out of range has its error already; warn only about one
                    // that Decide accepts.
                    if s > 1.0 && p.salience <= 100.0 {
                        self.warn(path.key("salience"), format!("salience {s} is above 1"))
                            .hints
                            .push("the exchange model uses it as Decide does; the expected-utility and consensus models need saliences in 0..1 (divide by 100)".into());
                    }
                    s
                }
            };
            // Decide's own rules give power on 0..100; other formats take any capability.
            let capability_bounds = match self.salience_range {
                SalienceRange::Unit => &NON_NEGATIVE,
                SalienceRange::UpToHundred => &PERCENT,
            };
            let capability = p.capability.map(|c| {
                let checked =
                    self.number(&path.key("capability"), "capability", c, capability_bounds);
                if !(0.0..=100.0).contains(&c)
                    && self.salience_range == SalienceRange::UpToHundred
                    && let Some(d) = self.found.last_mut()
                {
                    d.hints.push("a Decide file gives power on 0..100".into());
                }
                checked
            });
            let position_uncertainty = self.uncertainty(&path, p.uncertainty, position, &on_scale);
            let salience_uncertainty =
                p.salience_sd
                    .map_or(Uncertainty::None, |sd| Uncertainty::Normal {
                        sd: self.number(&path.key("salience_sd"), "salience_sd", sd, &NON_NEGATIVE),
                    });
            if let Some(a) = actor {
                positions.push(Position {
                    actor: ActorId::at(a),
                    position,
                    salience,
                    capability: capability.unwrap_or(actors.get(a).map_or(0.0, |x| x.capability)),
                    position_uncertainty,
                    salience_uncertainty,
                    evidence: p
                        .source
                        .as_ref()
                        .map(|e| self.evidence(&path.key("source"), e)),
                });
            }
        }
        positions
    }

    fn evidence(&mut self, path: &FieldPath, e: &EvidenceDraft) -> Evidence {
        if let Some(date) = &e.date {
            self.date(&path.key("date"), "source date", date);
            if let Some(as_of) = &self.as_of
                && is_iso_date(date)
                && date > as_of
            {
                self.found.push(
                    Diagnostic::warning(
                        path.key("date"),
                        format!("source dated {date} is after as_of {as_of}"),
                    )
                    .about(Topic::Hindsight)
                    .with_hint("a scenario as of a date may only use what was public then; move the judgement to [outcome], or date the scenario later"),
                );
            }
        }
        Evidence {
            url: e.url.clone(),
            date: e.date.clone(),
            quote: e.quote.clone(),
        }
    }

    fn appointment(
        &mut self,
        a: &crate::scenario::AppointmentDraft,
        actor_index: &BTreeMap<&str, usize>,
        actors: &[Actor],
    ) -> Appointment {
        let path = FieldPath::root().key("appointment");
        self.identifier(&path.key("id"), "appointment id", &a.id);
        let fallback = match &a.fallback {
            Some(f) => {
                self.identifier(&path.key("fallback").key("id"), "fallback id", &f.id);
                Fallback {
                    id: f.id.clone(),
                    label: f.label.clone().unwrap_or_else(|| f.id.clone()),
                    default_support: f.support.map_or(50.0, |s| {
                        self.number(&path.key("fallback").key("support"), "support", s, &PERCENT)
                    }),
                }
            }
            None => {
                self.error(path.key("fallback"), "an appointment needs a fallback".into())
                    .hints
                    .push("add [appointment.fallback] with id, label and support: what holds if nobody is agreed".into());
                Fallback {
                    id: NO_AGREEMENT.into(),
                    label: "no agreement".into(),
                    default_support: 50.0,
                }
            }
        };
        let clist = path.key("candidates");
        let ids = a
            .candidates
            .iter()
            .enumerate()
            .map(|(i, c)| (clist.index(i).key("id"), c.id.as_str()));
        let candidate_index = self.unique("candidate", ids);
        if candidate_index.contains_key(fallback.id.as_str())
            || fallback.id == NO_AGREEMENT && a.fallback.is_some()
        {
            self.error(
                path.key("fallback").key("id"),
                format!("the fallback id \"{}\" must differ from every candidate id and from \"{NO_AGREEMENT}\"", fallback.id),
            );
        }
        if a.candidates.is_empty() {
            self.error(
                clist.clone(),
                "an appointment needs at least one candidate, found none".into(),
            );
        }
        let candidates: Vec<Candidate> = a
            .candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let cpath = clist.index(i);
                self.identifier(&cpath.key("id"), "candidate id", &c.id);
                let (home, outside_home, home_facts) = self.home(&cpath, c, actor_index);
                Candidate {
                    id: c.id.clone(),
                    name: c.name.clone().unwrap_or_else(|| c.id.clone()),
                    home,
                    status: self.status(&cpath.key("status"), &c.status),
                    outside_home,
                    home_facts,
                    available: c.available.map_or(1.0, |x| {
                        self.fraction(
                            &cpath.key("available"),
                            "available",
                            x,
                            "the probability that the person accepts the post, such as 0.8",
                        )
                    }),
                }
            })
            .collect();
        let (mut stances, fallback_stances, fallback_written) = self.stances(
            &path,
            a,
            actor_index,
            &candidate_index,
            &fallback,
            actors.len(),
        );
        let follows = self.unwritten_stances(
            &path,
            a,
            actors,
            actor_index,
            &candidate_index,
            &mut stances,
        );
        let criteria = self.criteria(&path, a, actor_index, actors, &candidates);
        Appointment {
            id: a.id.clone(),
            name: a.name.clone().unwrap_or_else(|| a.id.clone()),
            candidates,
            stances,
            fallback_stances,
            fallback_written,
            fallback,
            criteria,
            follows,
        }
    }

    fn status(&mut self, path: &FieldPath, status: &str) -> CandidateStatus {
        const ALL: [CandidateStatus; 5] = [
            CandidateStatus::Mentioned,
            CandidateStatus::Interested,
            CandidateStatus::Declared,
            CandidateStatus::Nominated,
            CandidateStatus::Withdrawn,
        ];
        if let Some(s) = ALL.iter().find(|s| s.as_str() == status) {
            return *s;
        }
        let names: Vec<&str> = ALL.iter().map(|s| s.as_str()).collect();
        let d = self.error(
            path.clone(),
            format!(
                "unknown candidate status \"{status}\", expected one of {}",
                names.join(", ")
            ),
        );
        if let Some(near) = closest(status, names) {
            d.hints.push(format!("did you mean \"{near}\"?"));
        }
        CandidateStatus::Interested
    }

    #[allow(clippy::type_complexity)]
    fn stances(
        &mut self,
        path: &FieldPath,
        a: &crate::scenario::AppointmentDraft,
        actor_index: &BTreeMap<&str, usize>,
        candidate_index: &BTreeMap<&str, usize>,
        fallback: &Fallback,
        actor_count: usize,
    ) -> (Vec<Vec<Option<Stance>>>, Vec<Stance>, Vec<bool>) {
        let candidate_count = a.candidates.len();
        let mut stances: Vec<Vec<Option<Stance>>> = vec![vec![None; candidate_count]; actor_count];
        let mut fallback_stances: Vec<Option<Stance>> = vec![None; actor_count];
        let mut targets = candidate_index.clone();
        targets.insert(fallback.id.as_str(), candidate_count);
        let mut seen: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for (k, s) in a.stances.iter().enumerate() {
            let spath = path.key("stances").index(k);
            let actor = self.resolve(&spath.key("actor"), "actor", &s.actor, actor_index);
            let target = self.resolve(&spath.key("candidate"), "candidate", &s.candidate, &targets);
            let stance = self.stance(
                &spath,
                s.support,
                s.salience,
                s.uncertainty,
                s.source.as_ref(),
                s.red_line.unwrap_or(false),
            );
            let (Some(actor), Some(target)) = (actor, target) else {
                continue;
            };
            if let Some(first) = seen.insert((actor, target), k) {
                self.error(
                    spath.key("candidate"),
                    format!(
                        "actor \"{}\" has two stances on \"{}\"",
                        s.actor, s.candidate
                    ),
                )
                .hints
                .push(format!(
                    "the first is stance number {}; keep one",
                    first + 1
                ));
            }
            if target == candidate_count {
                fallback_stances[actor] = Some(stance);
            } else {
                stances[actor][target] = Some(stance);
            }
        }
        let fallback_written = fallback_stances.iter().map(Option::is_some).collect();
        let fallback_stances = fallback_stances
            .into_iter()
            .map(|s| {
                s.unwrap_or(Stance {
                    support: fallback.default_support,
                    salience: 1.0,
                    uncertainty: Uncertainty::None,
                    red_line: false,
                    evidence: None,
                })
            })
            .collect();
        (stances, fallback_stances, fallback_written)
    }

    /// The stance written at `path` (a stance or a default stance), every number checked.
    fn stance(
        &mut self,
        path: &FieldPath,
        support: f64,
        salience: Option<f64>,
        uncertainty: UncertaintyDraft,
        source: Option<&EvidenceDraft>,
        red_line: bool,
    ) -> Stance {
        let support = self.number(&path.key("support"), "support", support, &PERCENT);
        let salience = salience.map_or(1.0, |x| {
            self.number(&path.key("salience"), "salience", x, &UNIT)
        });
        Stance {
            support,
            salience,
            uncertainty: self.uncertainty(path, uncertainty, support, &PERCENT),
            red_line,
            evidence: source.map(|e| self.evidence(&path.key("source"), e)),
        }
    }

    fn criteria(
        &mut self,
        path: &FieldPath,
        a: &crate::scenario::AppointmentDraft,
        actor_index: &BTreeMap<&str, usize>,
        actors: &[Actor],
        candidates: &[Candidate],
    ) -> Vec<Criterion> {
        let list = path.key("criteria");
        self.unique(
            "criterion",
            a.criteria
                .iter()
                .enumerate()
                .map(|(i, c)| (list.index(i).key("id"), c.id.as_str())),
        );
        let mut criteria = Vec::new();
        for (i, c) in a.criteria.iter().enumerate() {
            let cpath = list.index(i);
            let Some((fact, comparison, threshold)) =
                self.criterion_rule(&cpath.key("rule"), &c.rule)
            else {
                continue;
            };
            let known_facts: BTreeSet<&str> = actors
                .iter()
                .flat_map(|a| a.facts.keys().map(String::as_str))
                .chain(
                    candidates
                        .iter()
                        .flat_map(|c| c.home_facts.keys().map(String::as_str)),
                )
                .collect();
            if !known_facts.contains(fact.as_str()) {
                let d = self.error(
                    cpath.key("rule"),
                    format!("no actor has the fact \"{fact}\""),
                );
                if let Some(near) = closest(&fact, known_facts.iter().copied()) {
                    d.hints.push(format!("did you mean \"{near}\"?"));
                }
                continue;
            }
            let mut passes = Vec::with_capacity(candidates.len());
            for candidate in candidates {
                let value = candidate
                    .home
                    .and_then(|h| actors[h.index()].facts.get(&fact))
                    .or_else(|| candidate.home_facts.get(&fact));
                match (candidate.home, value) {
                    (_, Some(v)) => passes.push(comparison.holds(*v, threshold)),
                    (None, None) if candidate.outside_home.is_some() => {
                        self.missing_home_fact(&cpath.key("rule"), &c.id, &fact, &candidate.id);
                        passes.push(true);
                    }
                    (None, None) => {
                        self.error(
                            cpath.key("rule"),
                            format!(
                                "criterion \"{}\" needs candidate \"{}\" to have a home actor",
                                c.id, candidate.id
                            ),
                        );
                        passes.push(true);
                    }
                    (Some(home), None) => {
                        self.error(
                            cpath.key("rule"),
                            format!(
                                "criterion \"{}\" needs the fact \"{fact}\" of actor \"{}\", home of candidate \"{}\"",
                                c.id, actors[home.index()].id, candidate.id
                            ),
                        )
                        .hints
                        .push(format!("add {fact} to the facts of \"{}\"", actors[home.index()].id));
                        passes.push(true);
                    }
                }
            }
            let mut concerns = Vec::new();
            for (j, (actor, penalty, sd)) in c.cared_by.iter().enumerate() {
                let jpath = cpath.key("cared_by").index(j);
                let penalty = self.number(&jpath.key("penalty"), "penalty", *penalty, &PERCENT);
                let uncertainty = sd.map_or(Uncertainty::None, |sd| Uncertainty::Normal {
                    sd: self.number(&jpath.key("sd"), "sd", sd, &NON_NEGATIVE),
                });
                if let Some(a) = self.resolve(&jpath.key("actor"), "actor", actor, actor_index) {
                    concerns.push(Concern {
                        actor: ActorId::at(a),
                        penalty,
                        uncertainty,
                    });
                }
            }
            criteria.push(Criterion {
                id: c.id.clone(),
                description: c.description.clone().unwrap_or_else(|| c.rule.clone()),
                fact,
                comparison,
                threshold,
                concerns,
                passes,
            });
        }
        criteria
    }

    fn criterion_rule(
        &mut self,
        path: &FieldPath,
        rule: &str,
    ) -> Option<(String, Comparison, f64)> {
        let parsed = parse_criterion_rule(rule);
        if parsed.is_none() {
            self.error(
                path.clone(),
                format!("expected a rule like \"home.defence_pct_gdp >= 2.0\", found \"{rule}\""),
            )
            .hints
            .push("a rule compares a fact of the candidate's home actor with a number, using >=, >, <=, <, == or !=".into());
        }
        parsed
    }

    fn outcome(
        &mut self,
        o: &crate::scenario::OutcomeDraft,
        issues: &[Issue],
        appointment: Option<&Appointment>,
    ) -> Option<KnownOutcome> {
        let path = FieldPath::root().key("outcome");
        if let Some(winner) = &o.winner {
            let Some(a) = appointment else {
                self.error(
                    path.key("winner"),
                    "a winner needs an appointment in the scenario".into(),
                );
                return None;
            };
            if winner == NO_AGREEMENT || *winner == a.fallback.id {
                return Some(KnownOutcome::NoAgreement);
            }
            if winner == NOT_NAMED {
                return Some(KnownOutcome::NotNamed);
            }
            let mut known: BTreeMap<&str, usize> = a
                .candidates
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.as_str(), i))
                .collect();
            known.insert(a.fallback.id.as_str(), usize::MAX);
            return self
                .resolve(&path.key("winner"), "candidate", winner, &known)
                .map(|c| KnownOutcome::Candidate(CandidateId::at(c)));
        }
        let issue_index: BTreeMap<&str, usize> = issues
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i))
            .collect();
        let mut known = Vec::new();
        for (n, (issue, value)) in o.positions.iter().enumerate() {
            let ppath = path.key("positions").index(n);
            if let Some(i) = self.resolve(&ppath.key("issue"), "issue", issue, &issue_index) {
                let scale = &issues[i].scale;
                let value = self.number(
                    &ppath.key("position"),
                    "position",
                    *value,
                    &Bounds {
                        low: scale.lower,
                        high: scale.upper,
                    },
                );
                known.push((IssueId::at(i), value));
            }
        }
        if o.positions.is_empty() {
            self.error(path, "an outcome needs a winner or positions".into());
            return None;
        }
        if known.is_empty() {
            // Every position names an unknown issue, and each has been reported.
            return None;
        }
        Some(KnownOutcome::Positions(known))
    }

    /// Refuses scenarios where the weights every model divides by are all zero: no model is
    /// defined there, and any number it printed would be made up.
    fn vanishing_weights(&mut self, actors: &[Actor], issues: &[Issue]) {
        if !actors.is_empty() && actors.iter().all(|a| a.capability == 0.0) {
            // Every issue's weights vanish with the capabilities: one error says it all.
            self.error(
                FieldPath::root().key("actors").index(0).key("capability"),
                "every actor has capability 0: the models weigh each actor by its capability, so nothing can be forecast".into(),
            )
            .hints
            .push("give the actors their clout (only ratios matter)".into());
            return;
        }
        for (i, issue) in issues.iter().enumerate() {
            let path = FieldPath::root().key("issues").index(i);
            if issue.positions.is_empty() {
                self.error(
                    path,
                    format!(
                        "issue \"{}\" has no positions: no model can place its outcome",
                        issue.id
                    ),
                )
                .hints
                .push("add the actors' positions, or remove the issue".into());
            } else if issue
                .positions
                .iter()
                .all(|p| p.capability * p.salience == 0.0)
            {
                self.error(
                    path.key("positions"),
                    format!("on issue \"{}\" every position has weight 0 (capability × salience): no model can weigh them", issue.id),
                )
                .hints
                .push("give at least one actor a capability and a salience above 0 on this issue".into());
            }
        }
    }

    /// What an appointment's forecast would assume silently: a default number of rounds, a
    /// candidate nobody has spoken about.
    fn appointment_warnings(&mut self, d: &ScenarioDraft, a: &Appointment) {
        if d.deadline
            .as_ref()
            .is_none_or(|x| x.rounds.is_none() && x.meetings.is_empty())
        {
            self.warn(
                FieldPath::root().key("deadline"),
                format!("no [deadline] rounds: the forecast assumes {} bargaining rounds before the fallback holds", Deadline::DEFAULT_ROUNDS),
            )
            .hints
            .push("add [deadline] with rounds = the meetings left before the deadline".into());
        }
        for (c, candidate) in a.candidates.iter().enumerate() {
            let spoken = a.stances.iter().any(|row| row[c].is_some());
            if !spoken && candidate.status != CandidateStatus::Withdrawn {
                self.warn(
                    FieldPath::root().key("appointment").key("candidates").index(c),
                    format!("nobody has a stance on candidate \"{}\": every actor is indifferent between it and the fallback, so nothing stands in its way", candidate.id),
                )
                .hints
                .push("write the stances of the actors who have spoken about this candidate".into());
            }
        }
    }

    fn salience_warnings(
        &mut self,
        d: &ScenarioDraft,
        actors: &[Actor],
        issues: &[Issue],
        appointment: Option<&Appointment>,
    ) {
        // An actor whose saliences could not be read has them at 0 already reported as
        // errors; a warning about it would only repeat them.
        if self.found.iter().any(Diagnostic::is_error) {
            return;
        }
        for (i, actor) in actors.iter().enumerate() {
            let on_issues = issues
                .iter()
                .flat_map(|x| x.positions.iter())
                .filter(|p| p.actor.index() == i)
                .map(|p| p.salience);
            let on_candidates = appointment
                .into_iter()
                .flat_map(|a| a.stances[i].iter().flatten())
                .map(|s| s.salience);
            let saliences: Vec<f64> = on_issues.chain(on_candidates).collect();
            if !saliences.is_empty() && saliences.iter().all(|s| *s == 0.0) {
                let path = FieldPath::root().key("actors").index(i);
                self.warn(
                    path,
                    format!(
                        "actor \"{}\" has salience 0 everywhere and cannot influence anything",
                        actor.id
                    ),
                )
                .hints
                .push("give it a salience above 0 where it cares, or remove it".into());
            }
        }
        let _ = d;
    }
}

/// Parses `home.FACT OP NUMBER`.
fn parse_criterion_rule(rule: &str) -> Option<(String, Comparison, f64)> {
    const OPERATORS: [(&str, Comparison); 6] = [
        (">=", Comparison::AtLeast),
        ("<=", Comparison::AtMost),
        ("==", Comparison::Equal),
        ("!=", Comparison::NotEqual),
        (">", Comparison::Above),
        ("<", Comparison::Below),
    ];
    let (symbol, comparison) = OPERATORS.iter().find(|(symbol, _)| rule.contains(symbol))?;
    let (left, right) = rule.split_once(symbol)?;
    let fact = left.trim().strip_prefix("home.")?;
    let valid_name =
        !fact.is_empty() && fact.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let threshold: f64 = right.trim().parse().ok()?;
    (valid_name && threshold.is_finite()).then(|| (fact.to_owned(), *comparison, threshold))
}

/// A number as a person writes it: at most six decimals, no trailing zeros, and large or tiny
/// magnitudes in scientific notation (`1e308`, not 309 digits).
fn readable(value: f64) -> String {
    if value != 0.0 && !(1e-6..1e9).contains(&value.abs()) {
        return format!("{value:e}");
    }
    let fixed = format!("{value:.6}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".into()
    } else {
        trimmed.into()
    }
}

/// Whether `s` is a calendar date written as `YYYY-MM-DD`.
pub(crate) fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return false;
    }
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criterion_rules_parse() {
        assert_eq!(
            parse_criterion_rule("home.defence_pct_gdp >= 2.0"),
            Some(("defence_pct_gdp".into(), Comparison::AtLeast, 2.0))
        );
        assert_eq!(
            parse_criterion_rule("home.x<1"),
            Some(("x".into(), Comparison::Below, 1.0))
        );
        assert_eq!(parse_criterion_rule("defence >= 2"), None);
        assert_eq!(parse_criterion_rule("home.x >= two"), None);
    }

    #[test]
    fn dates_are_checked_for_the_calendar() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2023-13-01"));
        assert!(!is_iso_date("23-11-28"));
    }
}
