//! The parts of decision rules in format 1: weighted thresholds, stages, and their
//! conversion to and from the engine's drafts. A format change like the rest of `file_v1`.

use akkoord_core::scenario::{RuleDraft, RulePartsDraft, StageDraft, ThresholdDraft};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Rule;

/// A threshold on a named weight, such as 65% of the population.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// `members` (one each), `weight` (the actors' voting weight) or an actor fact such as
    /// `population` or `seats`.
    pub weight: String,
    /// The share of the members' total weight that must answer yes, inclusive, in (0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// The share that must be exceeded (a majority of component members: 0.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more_than: Option<f64>,
}

/// A body that must agree, in order: the first proposes, later ones confirm.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Short identifier, unique among stages.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The actors that decide in this stage.
    #[serde(default)]
    pub members: Vec<String>,
    /// The stage's rule, with the fields of `[rule]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
    /// The last date the stage can decide, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
}

impl Rule {
    pub(super) fn to_draft(&self) -> RuleDraft {
        RuleDraft {
            kind: self.kind.clone(),
            threshold: self.threshold,
            parts: RulePartsDraft {
                thresholds: self
                    .thresholds
                    .iter()
                    .map(|t| ThresholdDraft {
                        weight: t.weight.clone(),
                        at_least: t.at_least,
                        more_than: t.more_than,
                    })
                    .collect(),
                blocking_minority: self.blocking_minority,
                count: self.count,
                veto_holders: self.veto_holders.clone(),
                abstain_within: self.abstain_within,
            },
        }
    }

    pub(super) fn from_draft(r: &RuleDraft) -> Self {
        Self {
            kind: r.kind.clone(),
            threshold: r.threshold,
            thresholds: r
                .parts
                .thresholds
                .iter()
                .map(|t| Threshold {
                    weight: t.weight.clone(),
                    at_least: t.at_least,
                    more_than: t.more_than,
                })
                .collect(),
            blocking_minority: r.parts.blocking_minority,
            count: r.parts.count,
            veto_holders: r.parts.veto_holders.clone(),
            abstain_within: r.parts.abstain_within,
        }
    }
}

impl Stage {
    pub(super) fn to_draft(&self) -> StageDraft {
        StageDraft {
            id: self.id.clone(),
            name: self.name.clone(),
            members: self.members.clone(),
            rule: self.rule.as_ref().map(Rule::to_draft),
            deadline: self.deadline.clone(),
        }
    }

    pub(super) fn from_draft(s: &StageDraft) -> Self {
        Self {
            id: s.id.clone(),
            name: s.name.clone(),
            members: s.members.clone(),
            rule: s.rule.as_ref().map(Rule::from_draft),
            deadline: s.deadline.clone(),
        }
    }
}
