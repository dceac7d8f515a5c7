//! The consensus model: golden scenarios computed by hand, and its invariants.

use akkoord_core::models::consensus::{ConsensusParams, Draw, consensus_map, simulate};
use akkoord_core::montecarlo::{McConfig, forecast_appointment};
use akkoord_core::scenario::{ScenarioDraft, UncertaintyDraft};
use proptest::prelude::*;

use crate::build::{actor, appointment, candidate, issue, scenario, stance};

fn params(rounds: u32) -> ConsensusParams {
    ConsensusParams {
        rounds,
        lobbying: 0.35,
        withdraw_share: 0.25,
        nomination_share: 0.5,
        deal_window: rounds,
    }
}

fn two_actors(b_salience: f64) -> ScenarioDraft {
    ScenarioDraft {
        actors: vec![actor("A", 1.0), actor("B", 1.0)],
        appointment: Some(appointment(
            vec![candidate("c")],
            vec![
                stance("A", "c", 80.0, 1.0),
                stance("B", "c", 20.0, b_salience),
            ],
            40.0,
        )),
        ..ScenarioDraft::default()
    }
}

#[test]
fn a_holdout_who_cares_completely_and_has_no_deal_keeps_the_fallback() {
    let s = scenario(two_actors(1.0));
    let path = simulate(&s, &Draw::stated(&s), &params(12));
    assert_eq!(path.winner, None);
    assert_eq!(path.holdouts, vec![1]);
}

#[test]
fn lobbying_moves_a_half_interested_holdout_in_two_rounds() {
    // Round 1: stakes for 1·1·(80−40)/100 = 0.4, against 1·0.5·(40−20)/100 = 0.1: share 0.8;
    // B moves 0.35·0.8·0.5·(100−20) = 11.2 to 31.2, still below 40. Round 2: against
    // 0.5·8.8/100 = 0.044, share 0.4/0.444; B moves 0.35·0.9009·0.5·68.8 = 10.85 to 42.05.
    let s = scenario(two_actors(0.5));
    let path = simulate(&s, &Draw::stated(&s), &params(12));
    assert_eq!(path.winner, Some(0));
    assert_eq!(path.round, Some(2));
    assert_eq!(path.last_holdout, Some(1));
}

fn with_side_issue(a_support: f64) -> ScenarioDraft {
    let mut draft = ScenarioDraft {
        actors: vec![actor("A", 1.0), actor("B", 1.0)],
        appointment: Some(appointment(
            vec![candidate("c")],
            vec![
                stance("A", "c", a_support, 1.0),
                stance("B", "c", 20.0, 1.0),
            ],
            40.0,
        )),
        ..ScenarioDraft::default()
    };
    let mut side = issue("opt-out", &[("A", 100.0, 0.9), ("B", 0.0, 0.5)]);
    side.linked_to = Some("post".into());
    draft.issues.push(side);
    draft
}

#[test]
fn a_deal_on_a_side_issue_buys_consent_when_supporters_value_the_candidate_enough() {
    // Side outcome (0.9·100 + 0.5·0)/1.4 = 64.29. B loses 1·(40−20)/100 = 0.2 and gains 0.5 per
    // 100 points: it needs 40 points. A pays 0.9·(75.71 − 35.71)/100 = 0.36 and values the
    // candidate at 1·1·(80−40)/100 = 0.4: the deal is made in round 1.
    let s = scenario(with_side_issue(80.0));
    let path = simulate(&s, &Draw::stated(&s), &params(12));
    assert_eq!(path.winner, Some(0));
    assert_eq!(path.round, Some(1));
    assert_eq!(path.deals.len(), 1);
    assert!(
        (path.deals[0].shift + 40.0).abs() < 1e-9,
        "{:?}",
        path.deals
    );
}

#[test]
fn no_deal_when_it_costs_the_supporters_more_than_the_candidate_is_worth() {
    // A now values the candidate at 0.35 < 0.36.
    let s = scenario(with_side_issue(75.0));
    let path = simulate(&s, &Draw::stated(&s), &params(12));
    assert_eq!(path.winner, None);
    assert!(path.deals.is_empty());
}

#[test]
fn the_map_names_blockers_and_the_pivotal_actor() {
    let s = scenario(two_actors(0.5));
    let map = consensus_map(&s);
    assert_eq!(map.candidates[0].blockers.len(), 1);
    assert_eq!(
        map.candidates[0].pivotal,
        map.candidates[0].blockers.first().copied()
    );
    assert!((map.candidates[0].weighted_support - 1.0 / 1.5).abs() < 1e-12);
    assert_eq!(map.nash_choice, None);
}

/// A random appointment: 2..6 actors, 1..4 candidates, stances 0..100, saliences 0..1.
fn random_appointment() -> impl Strategy<Value = (ScenarioDraft, usize)> {
    (2usize..6, 1usize..4).prop_flat_map(|(n, m)| {
        (
            proptest::collection::vec(0.1f64..10.0, n),
            proptest::collection::vec(
                proptest::collection::vec((0.0f64..100.0, 0.05f64..1.0), m),
                n,
            ),
            20.0f64..60.0,
        )
            .prop_map(move |(caps, table, fallback)| {
                let actors = (0..n).map(|a| actor(&format!("a{a}"), caps[a])).collect();
                let candidates = (0..m).map(|c| candidate(&format!("c{c}"))).collect();
                let stances = (0..n)
                    .flat_map(|a| (0..m).map(move |c| (a, c)))
                    .map(|(a, c)| {
                        stance(
                            &format!("a{a}"),
                            &format!("c{c}"),
                            table[a][c].0,
                            table[a][c].1,
                        )
                    })
                    .collect();
                (
                    ScenarioDraft {
                        actors,
                        appointment: Some(appointment(candidates, stances, fallback)),
                        ..ScenarioDraft::default()
                    },
                    m,
                )
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn more_support_never_costs_a_candidate_the_job((draft, m) in random_appointment(), who in 0usize..6, raise in 1.0f64..50.0) {
        let s = scenario(draft.clone());
        let before = simulate(&s, &Draw::stated(&s), &params(8));
        if let Some(c) = before.winner {
            let mut draft = draft;
            let a = draft.appointment.as_mut().unwrap();
            let actor = format!("a{}", who % s.actors.len());
            let candidate = format!("c{}", c % m);
            for st in a.stances.iter_mut().filter(|st| st.actor == actor && st.candidate == candidate) {
                st.support = (st.support + raise).min(100.0);
            }
            let s = scenario(draft);
            let after = simulate(&s, &Draw::stated(&s), &params(8));
            prop_assert_eq!(after.winner, Some(c));
        }
    }

    #[test]
    fn a_candidate_nobody_blocks_is_agreed_at_once((draft, _) in random_appointment()) {
        let s = scenario(draft);
        let map = consensus_map(&s);
        let path = simulate(&s, &Draw::stated(&s), &params(8));
        if map.candidates.iter().any(|c| c.blockers.is_empty()) {
            prop_assert_eq!(path.round, Some(0));
            prop_assert!(path.winner.is_some());
        }
    }

    #[test]
    fn a_committed_holdout_without_deals_is_never_overruled((draft, m) in random_appointment()) {
        let mut draft = draft;
        let a = draft.appointment.as_mut().unwrap();
        for st in a.stances.iter_mut().filter(|st| st.actor == "a0" && st.candidate == "c0") {
            st.support = 0.0;
            st.salience = Some(1.0);
        }
        let s = scenario(draft);
        let path = simulate(&s, &Draw::stated(&s), &params(8));
        prop_assert_ne!(path.winner, Some(0));
        let _ = m;
    }

    #[test]
    fn actor_order_does_not_matter((draft, _) in random_appointment()) {
        let s = scenario(draft.clone());
        let before = simulate(&s, &Draw::stated(&s), &params(8));
        let mut reversed = draft;
        reversed.actors.reverse();
        let s = scenario(reversed);
        let after = simulate(&s, &Draw::stated(&s), &params(8));
        prop_assert_eq!((before.winner, before.round), (after.winner, after.round));
    }
}

fn uncertain() -> akkoord_core::scenario::Scenario {
    let mut draft = with_side_issue(78.0);
    let a = draft.appointment.as_mut().expect("an appointment");
    for st in &mut a.stances {
        st.uncertainty = UncertaintyDraft {
            sd: Some(15.0),
            range: None,
        };
    }
    a.candidates.push(candidate("d"));
    a.stances.push(akkoord_core::scenario::StanceDraft {
        uncertainty: UncertaintyDraft {
            sd: None,
            range: Some([30.0, 70.0]),
        },
        ..stance("B", "d", 50.0, 0.7)
    });
    scenario(draft)
}

#[test]
fn probabilities_sum_to_one() {
    let s = uncertain();
    let f = forecast_appointment(
        &s,
        &params(6),
        McConfig {
            runs: 3000,
            seed: 5,
        },
        0,
        &|_| {},
    );
    let total: f64 =
        f.candidates.iter().map(|e| e.probability).sum::<f64>() + f.no_agreement.probability;
    assert!((total - 1.0).abs() < 1e-12, "{total}");
    assert!(
        f.no_agreement.probability > 0.0 && f.candidates[0].probability > 0.0,
        "{f:?}"
    );
}

#[test]
fn forecasts_do_not_depend_on_the_thread_count() {
    let s = uncertain();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            forecast_appointment(
                &s,
                &params(6),
                McConfig {
                    runs: 5000,
                    seed: 11,
                },
                500,
                &|_| {},
            )
        })
    };
    let (one, four) = (run(1), run(4));
    assert_eq!(format!("{one:?}"), format!("{four:?}"));
}

#[test]
fn holdouts_sell_their_consent_near_the_deadline() {
    // The same deal as above, but with deals only in the last 2 of 6 rounds: round 5.
    let s = scenario(with_side_issue(80.0));
    let params = ConsensusParams {
        deal_window: 2,
        ..params(6)
    };
    let path = simulate(&s, &Draw::stated(&s), &params);
    assert_eq!(path.winner, Some(0));
    assert_eq!(path.round, Some(5));
    assert_eq!(path.deals.len(), 1);
}
