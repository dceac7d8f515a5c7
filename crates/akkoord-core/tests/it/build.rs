//! Small scenarios built in code, through the same validation as files.

use akkoord_core::scenario::{
    ActorDraft, AppointmentDraft, AppointmentScenario, CandidateDraft, FallbackDraft, IssueDraft,
    PositionDraft, Scenario, ScenarioDraft, StanceDraft,
};
use akkoord_core::validate::validate;

/// An actor with this capability.
pub(crate) fn actor(id: &str, capability: f64) -> ActorDraft {
    ActorDraft {
        id: id.into(),
        capability,
        ..ActorDraft::default()
    }
}

/// A declared candidate.
pub(crate) fn candidate(id: &str) -> CandidateDraft {
    CandidateDraft {
        id: id.into(),
        status: "declared".into(),
        ..CandidateDraft::default()
    }
}

/// A stance.
pub(crate) fn stance(actor: &str, candidate: &str, support: f64, salience: f64) -> StanceDraft {
    StanceDraft {
        actor: actor.into(),
        candidate: candidate.into(),
        support,
        salience: Some(salience),
        ..StanceDraft::default()
    }
}

/// A 0..100 issue with these `(actor, position, salience)`.
pub(crate) fn issue(id: &str, positions: &[(&str, f64, f64)]) -> IssueDraft {
    IssueDraft {
        id: id.into(),
        lower: Some(0.0),
        upper: Some(100.0),
        positions: positions
            .iter()
            .map(|(a, x, s)| PositionDraft {
                actor: (*a).into(),
                position: *x,
                salience: *s,
                ..PositionDraft::default()
            })
            .collect(),
        ..IssueDraft::default()
    }
}

/// An appointment with a fallback every actor values at `fallback`.
pub(crate) fn appointment(
    candidates: Vec<CandidateDraft>,
    stances: Vec<StanceDraft>,
    fallback: f64,
) -> AppointmentDraft {
    AppointmentDraft {
        id: "post".into(),
        fallback: Some(FallbackDraft {
            id: "status-quo".into(),
            label: None,
            support: Some(fallback),
        }),
        candidates,
        stances,
        ..AppointmentDraft::default()
    }
}

/// Validates a draft that must be valid.
#[allow(clippy::needless_pass_by_value)] // tests build a draft and hand it over
pub(crate) fn scenario(draft: ScenarioDraft) -> Scenario {
    match validate(&draft) {
        Ok(v) => v.value,
        Err(problems) => panic!("test scenario should be valid: {problems:#?}"),
    }
}

/// The scenario as an appointment: every scenario of these tests has one.
pub(crate) fn appointing(s: &Scenario) -> AppointmentScenario<'_> {
    s.with_appointment()
        .expect("the test builds an appointment")
}
