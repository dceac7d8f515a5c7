//! The bargaining models. Each takes a validated [`crate::scenario::Scenario`] and returns
//! plain result types; none reads another's internals. The models of continuous issues are
//! also [`issue_model::IssueModel`]s, listed once in [`issue_model::ISSUE_MODELS`].

pub mod baselines;
pub mod consensus;
pub mod exchange;
pub mod expected_utility;
pub mod issue_model;
