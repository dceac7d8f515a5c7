//! Checking the parts of decision rules and building the [`Body`]s: kinds, thresholds on
//! named weights, blocking minorities, counts of votes, veto holders, dated membership and
//! stages. Every mistake is a located error with a hint; nothing here touches the rest of the
//! scenario.

use std::collections::{BTreeMap, BTreeSet};

use super::{Bounds, PERCENT, Validator};
use crate::calendar;
use crate::diag::{FieldPath, closest};
use crate::scenario::{
    Actor, Body, BodyRule, Counting, DecisionRule, Membership, RuleDraft, ScenarioDraft, Threshold,
    ThresholdDraft,
};

/// The rule kinds, as written.
const KINDS: [&str; 5] = [
    "consensus",
    "unanimity",
    "qualified-majority",
    "simple-majority",
    "votes",
];

/// A share of a body's weight: above 0, at most 1.
const SHARE: Bounds = Bounds {
    low: 0.0,
    high: 1.0,
};

/// Whether the scenario uses any part of the rules beyond the first format's single rule:
/// then its decision is [`DecisionRule::Bodies`].
pub(super) fn uses_bodies(d: &ScenarioDraft) -> bool {
    !d.stages.is_empty()
        || d.rule
            .as_ref()
            .is_some_and(|r| r.kind == "votes" || !r.parts.is_empty())
        || d.actors
            .iter()
            .any(|a| a.member_from.is_some() || a.member_until.is_some())
}

/// Whether every voting actor holds a veto unless it says otherwise: the first format's
/// consensus, or a single body under consensus.
pub(super) fn every_voter_vetoes(d: &ScenarioDraft, rule: DecisionRule) -> bool {
    match rule {
        DecisionRule::Consensus => true,
        DecisionRule::Bodies => {
            d.stages.is_empty()
                && d.rule
                    .as_ref()
                    .is_none_or(|r| matches!(r.kind.as_str(), "consensus" | "unanimity"))
        }
        _ => false,
    }
}

impl Validator {
    /// The bodies of a scenario that uses the parts of rules (see [`uses_bodies`]); sets each
    /// actor's `veto` to its veto in the first body, which the bargaining runs in.
    pub(super) fn bodies(
        &mut self,
        d: &ScenarioDraft,
        actors: &mut [Actor],
        actor_index: &BTreeMap<&str, usize>,
    ) -> (Vec<Body>, i64) {
        let root = FieldPath::root();
        let as_of = d.as_of.as_deref().and_then(calendar::days);
        let deadline = d
            .deadline
            .as_ref()
            .and_then(|x| x.date.as_deref())
            .and_then(calendar::days);
        let days_to_deadline = match (as_of, deadline) {
            (Some(a), Some(b)) if b >= a => b - a,
            _ => 0,
        };
        if !uses_bodies(d) {
            return (Vec::new(), days_to_deadline);
        }
        self.require_dated_rounds(d, as_of.is_some() && deadline.is_some());
        let membership = self.memberships(d, as_of);
        let mut bodies = Vec::new();
        if d.stages.is_empty() {
            let members: Vec<Option<Membership>> = actors
                .iter()
                .zip(&membership)
                .map(|(a, m)| a.votes.then_some(*m))
                .collect();
            let default_rule = RuleDraft {
                kind: "consensus".into(),
                ..RuleDraft::default()
            };
            let rule = d.rule.as_ref().unwrap_or(&default_rule);
            let flagged: Vec<bool> = actors.iter().map(|a| a.veto).collect();
            if let Some(body) = self.body(
                &root.key("rule"),
                ("rule", "the body"),
                rule,
                members,
                &flagged,
                actors,
                actor_index,
            ) {
                bodies.push(body);
            }
        } else {
            bodies = self.stages(d, actors, actor_index, &membership, as_of);
        }
        if let Some(first) = bodies.first() {
            for (a, veto) in actors.iter_mut().zip(&first.veto) {
                a.veto = *veto;
            }
        }
        (bodies, days_to_deadline)
    }

    /// Reports the first dated membership or stage deadline when rounds have no dates.
    fn require_dated_rounds(&mut self, d: &ScenarioDraft, dated_rounds: bool) {
        let root = FieldPath::root();
        let first_dated = d
            .actors
            .iter()
            .enumerate()
            .find_map(|(i, a)| {
                if a.member_from.is_some() {
                    Some(root.key("actors").index(i).key("member_from"))
                } else if a.member_until.is_some() {
                    Some(root.key("actors").index(i).key("member_until"))
                } else {
                    None
                }
            })
            .or_else(|| {
                d.stages
                    .iter()
                    .position(|s| s.deadline.is_some())
                    .map(|i| root.key("stages").index(i).key("deadline"))
            });
        if let Some(path) = first_dated
            && !dated_rounds
        {
            self.error(
                path,
                "a dated membership or stage deadline needs dated rounds".into(),
            )
            .hints
            .push("give [scenario] as_of and [deadline] date: round k of R is dated k/R of the way between them".into());
        }
    }

    /// Each actor's membership, in days after `as_of`.
    fn memberships(&mut self, d: &ScenarioDraft, as_of: Option<i64>) -> Vec<Membership> {
        let root = FieldPath::root();
        let day = |v: &mut Self, path: FieldPath, what: &str, date: &str| -> Option<i64> {
            v.date(&path, what, date);
            Some(calendar::days(date)? - as_of?)
        };
        d.actors
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let path = root.key("actors").index(i);
                let from_day = a
                    .member_from
                    .as_ref()
                    .and_then(|x| day(self, path.key("member_from"), "member_from", x));
                let until_day = a
                    .member_until
                    .as_ref()
                    .and_then(|x| day(self, path.key("member_until"), "member_until", x));
                if let (Some(from), Some(until)) = (from_day, until_day)
                    && until <= from
                {
                    self.error(
                        path.key("member_until"),
                        "member_until must come after member_from".into(),
                    )
                    .hints
                    .push("member_until is the first day the actor is no longer a member".into());
                }
                Membership {
                    from_day,
                    until_day,
                }
            })
            .collect()
    }

    fn stages(
        &mut self,
        d: &ScenarioDraft,
        actors: &[Actor],
        actor_index: &BTreeMap<&str, usize>,
        membership: &[Membership],
        as_of: Option<i64>,
    ) -> Vec<Body> {
        let root = FieldPath::root();
        if d.rule.is_some() {
            self.error(
                root.key("rule"),
                "a scenario with [[stages]] gives each stage its own rule".into(),
            )
            .hints
            .push("move this rule into the first stage: rule = { kind = ... }".into());
        }
        for (i, a) in d.actors.iter().enumerate() {
            if a.veto.is_some() {
                self.error(
                    root.key("actors").index(i).key("veto"),
                    "with [[stages]], vetoes belong to a stage's rule".into(),
                )
                .hints
                .push("write veto_holders = [...] in the rule of the stage where it blocks".into());
            }
        }
        let list = root.key("stages");
        self.unique(
            "stage",
            d.stages
                .iter()
                .enumerate()
                .map(|(i, s)| (list.index(i).key("id"), s.id.as_str())),
        );
        let mut bodies = Vec::new();
        for (i, stage) in d.stages.iter().enumerate() {
            let path = list.index(i);
            self.identifier(&path.key("id"), "stage id", &stage.id);
            let mut members: Vec<Option<Membership>> = vec![None; actors.len()];
            for (j, name) in stage.members.iter().enumerate() {
                let mpath = path.key("members").index(j);
                if let Some(a) = self.resolve(&mpath, "actor", name, actor_index) {
                    if members[a].is_some() {
                        self.error(mpath, format!("\"{name}\" is listed twice as a member"));
                    }
                    members[a] = Some(membership[a]);
                }
            }
            if stage.members.is_empty() {
                self.error(
                    path.key("members"),
                    "a stage needs at least one member".into(),
                )
                .hints
                .push(
                    "members = [\"DEU\", \"FRA\", ...]: the actors that decide in this stage"
                        .into(),
                );
            }
            let deadline_day = stage.deadline.as_ref().and_then(|x| {
                self.date(&path.key("deadline"), "stage deadline", x);
                Some(calendar::days(x)? - as_of?)
            });
            let Some(rule) = &stage.rule else {
                self.error(path.key("rule"), "a stage needs a rule".into())
                    .hints
                    .push("for example rule = { kind = \"consensus\" }".into());
                continue;
            };
            let no_flags = vec![false; actors.len()];
            let name = stage.name.clone().unwrap_or_else(|| stage.id.clone());
            if let Some(mut body) = self.body(
                &path.key("rule"),
                (&stage.id, &name),
                rule,
                members,
                &no_flags,
                actors,
                actor_index,
            ) {
                body.deadline_day = deadline_day;
                bodies.push(body);
            }
        }
        bodies
    }

    /// One body: its rule's kind and parts, checked against its members.
    #[allow(clippy::too_many_arguments, clippy::too_many_lines)] // one rule, read part by part
    fn body(
        &mut self,
        path: &FieldPath,
        (id, name): (&str, &str),
        rule: &RuleDraft,
        members: Vec<Option<Membership>>,
        flagged_veto: &[bool],
        actors: &[Actor],
        actor_index: &BTreeMap<&str, usize>,
    ) -> Option<Body> {
        let parts = &rule.parts;
        let member_count = members.iter().flatten().count();
        let consensus = matches!(rule.kind.as_str(), "consensus" | "unanimity");
        let rule_kind = match rule.kind.as_str() {
            "consensus" | "unanimity" => {
                self.refuse_parts(path, "consensus", rule);
                BodyRule::Consensus
            }
            "simple-majority" => {
                self.refuse_parts(path, "simple-majority", rule);
                BodyRule::Majority {
                    thresholds: vec![legacy_threshold(actors, &members, 0.5, true)],
                    blocking_minority: None,
                }
            }
            "qualified-majority" => {
                let thresholds = match (rule.threshold, parts.thresholds.is_empty()) {
                    (Some(_), false) => {
                        self.error(
                            path.key("threshold"),
                            "give either threshold or thresholds, not both".into(),
                        )
                        .hints
                        .push("threshold is one share of the voting weight; thresholds names the weight of each".into());
                        Vec::new()
                    }
                    (Some(t), true) => {
                        let share = self.share(&path.key("threshold"), "threshold", t);
                        vec![legacy_threshold(actors, &members, share, false)]
                    }
                    (None, false) => self.thresholds(path, &parts.thresholds, actors, &members),
                    (None, true) => {
                        self.error(
                            path.key("kind"),
                            "a qualified majority needs a threshold".into(),
                        )
                        .hints
                        .push("add threshold = 0.55, or thresholds = [{ weight = \"members\", at_least = 0.55 }, { weight = \"population\", at_least = 0.65 }]".into());
                        Vec::new()
                    }
                };
                if parts.count.is_some() {
                    self.error(
                        path.key("count"),
                        "count belongs to kind = \"votes\"".into(),
                    )
                    .hints
                    .push("a qualified majority counts weight with thresholds".into());
                }
                let blocking_minority = parts.blocking_minority.and_then(|b| {
                    self.member_number(
                        &path.key("blocking_minority"),
                        "blocking_minority",
                        b,
                        member_count,
                    )
                });
                BodyRule::Majority {
                    thresholds,
                    blocking_minority,
                }
            }
            "votes" => {
                if !parts.thresholds.is_empty() || rule.threshold.is_some() {
                    let key = if rule.threshold.is_some() {
                        "threshold"
                    } else {
                        "thresholds"
                    };
                    self.error(
                        path.key(key),
                        "kind = \"votes\" counts members, not weight".into(),
                    )
                    .hints
                    .push("write count = 9 (the yes votes needed), or use kind = \"qualified-majority\"".into());
                }
                if parts.blocking_minority.is_some() {
                    self.error(
                        path.key("blocking_minority"),
                        "a blocking minority belongs to kind = \"qualified-majority\"".into(),
                    );
                }
                let count = match parts.count {
                    Some(c) => self.member_number(&path.key("count"), "count", c, member_count),
                    None => {
                        self.error(path.key("kind"), "kind = \"votes\" needs a count".into())
                            .hints
                            .push("add count = 9: the yes votes needed (nine of fifteen in the UN Security Council)".into());
                        None
                    }
                };
                BodyRule::Votes {
                    count: count.unwrap_or(1),
                }
            }
            other => {
                let d = self.error(
                    path.key("kind"),
                    format!(
                        "unknown decision rule \"{other}\", expected one of {}",
                        KINDS.join(", ")
                    ),
                );
                if let Some(near) = closest(other, KINDS) {
                    d.hints.push(format!("did you mean \"{near}\"?"));
                }
                return None;
            }
        };
        let mut veto: Vec<bool> = members
            .iter()
            .zip(flagged_veto)
            .zip(actors)
            .map(|((m, flagged), a)| m.is_some() && (*flagged || (consensus && a.votes)))
            .collect();
        for (j, holder) in parts.veto_holders.iter().enumerate() {
            let hpath = path.key("veto_holders").index(j);
            if consensus {
                self.error(
                    hpath.clone(),
                    "under consensus every member holds a veto already".into(),
                )
                .hints
                .push(
                    "remove veto_holders, or choose kind = \"votes\" or \"qualified-majority\""
                        .into(),
                );
            }
            let Some(a) = self.resolve(&hpath, "actor", holder, actor_index) else {
                continue;
            };
            if members[a].is_none() {
                self.error(
                    hpath,
                    format!("veto holder \"{holder}\" is not a member of {name}"),
                )
                .hints
                .push("a veto holder must be a member (votes = true, or listed in the stage's members)".into());
            }
            veto[a] = members[a].is_some();
        }
        let abstain_within = parts.abstain_within.map_or(0.0, |x| {
            self.number(&path.key("abstain_within"), "abstain_within", x, &PERCENT)
        });
        Some(Body {
            id: id.to_owned(),
            name: name.to_owned(),
            members,
            veto,
            rule: rule_kind,
            abstain_within,
            deadline_day: None,
        })
    }

    /// Reports the parts a rule of this kind cannot have.
    fn refuse_parts(&mut self, path: &FieldPath, kind: &str, rule: &RuleDraft) {
        let parts = &rule.parts;
        let written = [
            ("threshold", rule.threshold.is_some()),
            ("thresholds", !parts.thresholds.is_empty()),
            ("blocking_minority", parts.blocking_minority.is_some()),
            ("count", parts.count.is_some()),
        ];
        for (field, present) in written {
            if present {
                self.error(
                    path.key(field),
                    format!("kind = \"{kind}\" takes no {field}"),
                )
                .hints
                .push("thresholds and blocking_minority belong to \"qualified-majority\", count to \"votes\"".into());
            }
        }
    }

    /// A number in 0..=1 that is a share or a probability, not a salience: out of range, its
    /// error carries `hint` instead of the salience's "did you mean".
    pub(super) fn fraction(&mut self, path: &FieldPath, what: &str, value: f64, hint: &str) -> f64 {
        let before = self.found.len();
        let checked = self.number(path, what, value, &SHARE);
        for d in &mut self.found[before..] {
            d.hints = vec![hint.to_owned()];
        }
        checked
    }

    /// A share in (0, 1].
    fn share(&mut self, path: &FieldPath, what: &str, value: f64) -> f64 {
        let share = self.fraction(
            path,
            what,
            value,
            "a share of the body's weight, such as 0.55",
        );
        if share <= 0.0 {
            self.error(path.clone(), format!("{what} must be above 0"))
                .hints
                .push("a share of the body's weight, such as 0.55".into());
        }
        share
    }

    /// A number of members: 1 up to the body's size.
    fn member_number(
        &mut self,
        path: &FieldPath,
        what: &str,
        value: i64,
        member_count: usize,
    ) -> Option<u32> {
        match u32::try_from(value) {
            Ok(n) if n >= 1 && n as usize <= member_count => Some(n),
            _ => {
                self.error(
                    path.clone(),
                    format!(
                        "{what} must be between 1 and the {member_count} members, found {value}"
                    ),
                )
                .hints
                .push(
                    "it counts members of the body (actors that vote, or a stage's members)".into(),
                );
                None
            }
        }
    }

    fn thresholds(
        &mut self,
        path: &FieldPath,
        drafts: &[ThresholdDraft],
        actors: &[Actor],
        members: &[Option<Membership>],
    ) -> Vec<Threshold> {
        let facts: BTreeSet<&str> = actors
            .iter()
            .flat_map(|a| a.facts.keys().map(String::as_str))
            .collect();
        let mut out = Vec::new();
        for (k, t) in drafts.iter().enumerate() {
            let tpath = path.key("thresholds").index(k);
            let (share, strict) = match (t.at_least, t.more_than) {
                (Some(x), None) => (self.share(&tpath.key("at_least"), "at_least", x), false),
                (None, Some(x)) => (self.share(&tpath.key("more_than"), "more_than", x), true),
                (Some(_), Some(_)) => {
                    self.error(
                        tpath.key("more_than"),
                        "give either at_least or more_than, not both".into(),
                    );
                    continue;
                }
                (None, None) => {
                    self.error(
                        tpath.clone(),
                        "a threshold needs at_least or more_than".into(),
                    )
                    .hints
                    .push("for example { weight = \"population\", at_least = 0.65 }".into());
                    continue;
                }
            };
            let by_actor: Vec<f64> = match t.weight.as_str() {
                "members" => members
                    .iter()
                    .map(|m| f64::from(u8::from(m.is_some())))
                    .collect(),
                "weight" => actors.iter().map(|a| a.weight).collect(),
                fact => {
                    if !facts.contains(fact) {
                        let d = self.error(
                            tpath.key("weight"),
                            format!("unknown weight \"{fact}\": no actor has this fact"),
                        );
                        match closest(fact, facts.iter().copied()) {
                            Some(near) => d.hints.push(format!("did you mean \"{near}\"?")),
                            None => d.hints.push("a weight is \"members\", \"weight\" or an actor fact such as population".into()),
                        }
                        continue;
                    }
                    for (a, _) in members.iter().enumerate().filter(|(_, m)| m.is_some()) {
                        if !actors[a].facts.contains_key(fact) {
                            self.error(
                                tpath.key("weight"),
                                format!("member \"{}\" has no fact \"{fact}\"", actors[a].id),
                            )
                            .hints
                            .push(format!("add {fact} to the facts of \"{}\"", actors[a].id));
                        }
                    }
                    actors
                        .iter()
                        .map(|a| a.facts.get(fact).copied().unwrap_or(0.0))
                        .collect()
                }
            };
            out.push(Threshold {
                weight: t.weight.clone(),
                by_actor,
                share,
                strict,
                counting: Counting::Yes,
            });
        }
        out
    }
}

/// The first format's single threshold on the voting weight, counting every member that does
/// not answer no (its meaning before rules had parts).
fn legacy_threshold(
    actors: &[Actor],
    members: &[Option<Membership>],
    share: f64,
    strict: bool,
) -> Threshold {
    Threshold {
        weight: "weight".into(),
        by_actor: actors
            .iter()
            .zip(members)
            .map(|(a, m)| if m.is_some() { a.weight } else { 0.0 })
            .collect(),
        share,
        strict,
        counting: Counting::NotAgainst,
    }
}
