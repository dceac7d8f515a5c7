//! The decision rules of real bodies, as composable parts: who is a member on which date,
//! who holds a veto, and what the members' answers must add up to (a consensus, one or more
//! weighted thresholds with a blocking minority, a count of votes), for one body or for
//! several bodies in order (stages).
//!
//! Validation builds [`Body`]s only when a scenario uses one of these parts; a scenario
//! without them keeps the plain [`super::DecisionRule`] and the models' original code path.
//! This module holds data only: it never parses text and never evaluates a rule (the
//! consensus model does, in `models/consensus/rules.rs`).

/// The parts of a rule beyond `kind` and the single `threshold`, as written.
#[derive(Clone, Debug, Default)]
pub struct RulePartsDraft {
    /// Weighted thresholds (path `rule.thresholds[i]`).
    pub thresholds: Vec<ThresholdDraft>,
    /// The fewest members that can block a qualified majority.
    pub blocking_minority: Option<i64>,
    /// The yes votes needed under `votes`.
    pub count: Option<i64>,
    /// Actors that block with a "no" (path `rule.veto_holders[i]`).
    pub veto_holders: Vec<String>,
    /// Support points around the fallback within which a member abstains.
    pub abstain_within: Option<f64>,
}

impl RulePartsDraft {
    /// Whether any part is written.
    pub fn is_empty(&self) -> bool {
        self.thresholds.is_empty()
            && self.blocking_minority.is_none()
            && self.count.is_none()
            && self.veto_holders.is_empty()
            && self.abstain_within.is_none()
    }
}

/// One weighted threshold as written: `{ weight = "population", at_least = 0.65 }`.
#[derive(Clone, Debug, Default)]
pub struct ThresholdDraft {
    /// `members`, `weight` or the name of an actor fact.
    pub weight: String,
    /// The share of the members' total weight that must answer yes, inclusive.
    pub at_least: Option<f64>,
    /// The share that must be exceeded.
    pub more_than: Option<f64>,
}

/// A stage as written: a body that must agree, in order.
#[derive(Clone, Debug, Default)]
pub struct StageDraft {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Member actors (path `stages[i].members[j]`).
    pub members: Vec<String>,
    /// The stage's rule (path `stages[i].rule`).
    pub rule: Option<super::RuleDraft>,
    /// The last date on which the stage can decide.
    pub deadline: Option<String>,
}

/// A body that must agree: its members over time, its veto holders and its rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    /// Short identifier (`rule` for the scenario's single body).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Per actor, its membership; `None` for an actor that never sits in this body.
    pub members: Vec<Option<Membership>>,
    /// Per actor, whether its "no" blocks whatever the rest answer.
    pub veto: Vec<bool>,
    /// What the answers must add up to.
    pub rule: BodyRule,
    /// A member abstains when its support lies within this many points of its fallback value
    /// (0: only an exactly indifferent or silent member abstains).
    pub abstain_within: f64,
    /// The last day the body can decide, in days after `as_of`.
    pub deadline_day: Option<i64>,
}

/// When an actor is a member, in days after the scenario's `as_of` (round dates are counted
/// the same way).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Membership {
    /// The first day it is a member; `None`: from the start.
    pub from_day: Option<i64>,
    /// The first day it is no longer a member; `None`: to the end.
    pub until_day: Option<i64>,
}

impl Membership {
    /// Whether the actor is a member on `day` (days after `as_of`).
    pub fn on(&self, day: i64) -> bool {
        self.from_day.is_none_or(|from| from <= day)
            && self.until_day.is_none_or(|until| day < until)
    }
}

/// What the members' answers must add up to.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyRule {
    /// No veto holder answers no (every member holds a veto unless it says otherwise).
    Consensus,
    /// Every threshold is reached, or the members that do not answer yes are fewer than the
    /// blocking minority; and no veto holder answers no.
    Majority {
        /// The thresholds, all of which must be reached.
        thresholds: Vec<Threshold>,
        /// The fewest members that can block; fewer cannot, whatever weight they hold.
        blocking_minority: Option<u32>,
    },
    /// At least `count` members answer yes and no veto holder answers no.
    Votes {
        /// The yes votes needed.
        count: u32,
    },
}

/// One weighted threshold.
#[derive(Clone, Debug, PartialEq)]
pub struct Threshold {
    /// The weight's name as written (`members`, `weight`, a fact).
    pub weight: String,
    /// Per actor, its weight (0 for actors that are never members).
    pub by_actor: Vec<f64>,
    /// The share of the members' total weight needed.
    pub share: f64,
    /// Whether the share must be exceeded (`more_than`) rather than reached (`at_least`).
    pub strict: bool,
    /// Which answers count toward the share.
    pub counting: Counting,
}

/// Which answers count toward a threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counting {
    /// Only yes (the thresholds of `thresholds = [...]`): an abstention counts against.
    Yes,
    /// Every member that does not answer no (the single `threshold` and `simple-majority`
    /// of the first format, whose meaning is kept).
    NotAgainst,
}
