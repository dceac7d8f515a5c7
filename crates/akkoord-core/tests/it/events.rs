//! Dated events: the scenario as of a date does not depend on the order events are written
//! in (within distinct dates), and the forecast as of a date is the forecast of the scenario
//! the events make.
#![allow(clippy::float_cmp)] // exact values: a fact is copied, never computed

use akkoord_core::models::consensus::ConsensusParams;
use akkoord_core::montecarlo::{McConfig, forecast_appointment};
use akkoord_core::scenario::{
    CandidateDraft, EventDraft, EvidenceDraft, FactDraft, ScenarioDraft, StanceDraft,
};
use akkoord_core::validate::validate_as_of;
use proptest::prelude::*;

use crate::build::{actor, appointment, candidate, stance};

fn event(date: &str) -> EventDraft {
    EventDraft {
        date: date.to_owned(),
        source: EvidenceDraft {
            url: Some(format!("https://example.org/{date}")),
            date: Some(date.to_owned()),
            quote: None,
        },
        ..EventDraft::default()
    }
}

/// A base with two candidates and seven events on distinct dates, touching candidates,
/// stances, facts and a criterion.
fn draft() -> ScenarioDraft {
    let mut actors = vec![actor("A", 2.0), actor("B", 1.0), actor("C", 1.0)];
    for a in &mut actors {
        a.facts.push(("spending".into(), 1.5));
    }
    let mut d = ScenarioDraft {
        actors,
        appointment: Some(appointment(
            vec![
                CandidateDraft {
                    home: Some("A".into()),
                    ..candidate("p")
                },
                CandidateDraft {
                    home: Some("B".into()),
                    ..candidate("q")
                },
            ],
            vec![stance("A", "p", 80.0, 1.0), stance("B", "q", 70.0, 0.5)],
            40.0,
        )),
        as_of: Some("2023-12-31".into()),
        ..ScenarioDraft::default()
    };
    let sd = |s: StanceDraft| StanceDraft {
        uncertainty: akkoord_core::scenario::UncertaintyDraft {
            sd: Some(15.0),
            range: None,
        },
        ..s
    };
    d.events = vec![
        EventDraft {
            candidates: vec![CandidateDraft {
                home: Some("C".into()),
                ..candidate("r")
            }],
            stances: vec![sd(stance("C", "r", 90.0, 1.0))],
            ..event("2023-03-01")
        },
        EventDraft {
            stances: vec![sd(stance("B", "p", 30.0, 0.8))],
            ..event("2023-04-15")
        },
        EventDraft {
            stances: vec![sd(stance("A", "r", 65.0, 0.6))],
            ..event("2023-05-02")
        },
        EventDraft {
            facts: vec![FactDraft {
                actor: "C".into(),
                fact: "spending".into(),
                value: 2.4,
            }],
            ..event("2023-06-30")
        },
        EventDraft {
            criteria: vec![akkoord_core::scenario::CriterionDraft {
                id: "two".into(),
                rule: "home.spending >= 2".into(),
                cared_by: vec![("A".into(), 20.0, Some(5.0))],
                ..Default::default()
            }],
            ..event("2023-07-07")
        },
        EventDraft {
            candidates: vec![CandidateDraft {
                status: "withdrawn".into(),
                name: None,
                home: None,
                ..candidate("q")
            }],
            ..event("2023-09-01")
        },
        EventDraft {
            stances: vec![sd(stance("B", "p", 55.0, 0.8))],
            ..event("2023-10-10")
        },
    ];
    d
}

/// The probability of each outcome of the scenario `d` as of `date`, keyed by outcome.
fn forecast(d: &ScenarioDraft, date: &str) -> Vec<(String, f64)> {
    let s = validate_as_of(d, Some(date))
        .unwrap_or_else(|e| panic!("valid: {e:?}"))
        .value;
    let f = forecast_appointment(
        s.with_appointment()
            .expect("the scenario has an appointment"),
        &ConsensusParams::published(6),
        McConfig { runs: 300, seed: 9 },
        0,
        &|_| {},
    );
    let a = s
        .appointment
        .as_ref()
        .expect("the draft has an appointment");
    let mut all: Vec<(String, f64)> = a
        .candidates
        .iter()
        .zip(&f.candidates)
        .map(|(c, e)| (c.id.clone(), e.probability))
        .collect();
    all.push(("no-agreement".into(), f.no_agreement.probability));
    all.push(("not-named".into(), f.not_named.probability));
    all.sort_by(|x, y| x.0.cmp(&y.0));
    all
}

const DATES: [&str; 5] = [
    "2023-01-01",
    "2023-04-15",
    "2023-06-01",
    "2023-08-01",
    "2023-12-31",
];

#[test]
fn an_event_takes_effect_on_its_date_and_not_before() {
    let d = draft();
    let before = validate_as_of(&d, Some("2023-02-28")).unwrap().value;
    let on = validate_as_of(&d, Some("2023-03-01")).unwrap().value;
    assert_eq!(before.candidate_count(), 2);
    assert_eq!(on.candidate_count(), 3, "r enters on 1 March");
    assert_eq!(on.meta.as_of.as_deref(), Some("2023-03-01"));
    let late = validate_as_of(&d, Some("2023-07-07")).unwrap().value;
    assert_eq!(late.actors[2].facts["spending"], 2.4);
    assert_eq!(late.appointment.as_ref().unwrap().criteria.len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    /// Events on distinct dates apply in date order whatever order the file lists them in.
    #[test]
    fn the_order_events_are_written_in_changes_nothing(seed in any::<u64>()) {
        let d = draft();
        let mut shuffled = d.clone();
        // A permutation from the seed (Fisher-Yates with a simple generator).
        let mut state = seed | 1;
        for i in (1..shuffled.events.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let j = usize::try_from(state % (i as u64 + 1)).unwrap();
            shuffled.events.swap(i, j);
        }
        for date in DATES {
            prop_assert_eq!(forecast(&d, date), forecast(&shuffled, date));
        }
    }
}
