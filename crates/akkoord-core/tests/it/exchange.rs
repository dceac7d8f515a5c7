//! Invariants of the exchange model on random scenarios.

use akkoord_core::models::exchange::{ExchangeConfig, Externalities, TieRule, run};
use akkoord_core::scenario::ScenarioDraft;
use proptest::prelude::*;

use crate::build::{actor, issue, scenario};

fn config(randomization: Option<f64>) -> ExchangeConfig {
    ExchangeConfig {
        rounds: 4,
        ties: TieRule::Canonical,
        salience_weight: 0.4,
        fixed_weight: 0.1,
        randomization,
        seed: 3,
        externalities: Externalities::Record,
    }
}

fn random_issues() -> impl Strategy<Value = ScenarioDraft> {
    (3usize..7, 2usize..5).prop_flat_map(|(n, k)| {
        (
            proptest::collection::vec(0.05f64..1.0, n),
            proptest::collection::vec(
                proptest::collection::vec((0.0f64..100.0, 0.05f64..1.0), n),
                k,
            ),
        )
            .prop_map(move |(caps, data)| ScenarioDraft {
                actors: (0..n).map(|a| actor(&format!("a{a}"), caps[a])).collect(),
                issues: (0..k)
                    .map(|d| {
                        let names: Vec<String> = (0..n).map(|a| format!("a{a}")).collect();
                        let rows: Vec<(&str, f64, f64)> = (0..n)
                            .map(|a| (names[a].as_str(), data[d][a].0, data[d][a].1))
                            .collect();
                        issue(&format!("i{d}"), &rows)
                    })
                    .collect(),
                ..ScenarioDraft::default()
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn outcomes_stay_on_the_scale_and_nobody_passes_its_partner(draft in random_issues(), p in prop_oneof![Just(None), Just(Some(0.5))]) {
        let s = scenario(draft);
        let result = run(&s, &config(p), 0);
        for r in &result.rounds {
            for o in r.outcomes.iter().chain(&r.voting_outcomes) {
                prop_assert!((-1e-9..=100.0 + 1e-9).contains(o), "outcome {o}");
            }
            for t in &r.trades {
                for side in [&t.i, &t.j] {
                    let (low, high) = if side.from <= side.partner_position { (side.from, side.partner_position) } else { (side.partner_position, side.from) };
                    prop_assert!(side.to >= low - 1e-9 && side.to <= high + 1e-9, "{side:?}");
                }
            }
        }
    }

    #[test]
    fn runs_are_reproducible_for_a_seed(draft in random_issues()) {
        let s = scenario(draft);
        prop_assert_eq!(format!("{:?}", run(&s, &config(Some(0.7)), 2).rounds), format!("{:?}", run(&s, &config(Some(0.7)), 2).rounds));
    }
}

/// Found by the `exchange` fuzz target (docs/fuzzing.md): on the scale -100000..-0.01, the
/// position -0.01 came back from the model's 0..100 units as -0.00999999999476, off the scale.
#[test]
fn positions_at_the_end_of_an_odd_scale_stay_on_it() {
    let mut far = issue("far", &[("a1", -0.01, 1.0)]);
    far.lower = Some(-100_000.0);
    far.upper = Some(-0.01);
    let near = issue("near", &[("a0", 75.0, 0.0), ("a1", 74.9, 0.75)]);
    let s = scenario(ScenarioDraft {
        actors: vec![actor("a0", 0.0), actor("a1", 0.1)],
        issues: vec![near, far],
        ..ScenarioDraft::default()
    });
    let on_scale = |x: f64| (-100_000.0..=-0.01).contains(&x);
    let result = run(&s, &config(None), 0);
    for r in &result.rounds {
        for positions in [&r.start_positions, &r.voting_positions, &r.positions] {
            let x = positions[1][0].1;
            assert!(
                on_scale(x) && (x + 0.01).abs() < 1e-9,
                "round {}: {x}",
                r.round
            );
        }
        for outcome in [r.start_outcomes[1], r.voting_outcomes[1], r.outcomes[1]] {
            assert!(on_scale(outcome), "round {}: outcome {outcome}", r.round);
        }
    }
}

#[test]
fn decide_saliences_up_to_100_are_warned_about_not_refused() {
    use akkoord_core::scenario::SalienceRange;
    let mut draft = ScenarioDraft {
        actors: vec![actor("a", 1.0), actor("b", 1.0)],
        issues: vec![
            issue("p", &[("a", 0.0, 10.0), ("b", 100.0, 60.0)]),
            issue("q", &[("a", 0.0, 90.0), ("b", 100.0, 50.0)]),
        ],
        ..ScenarioDraft::default()
    };
    assert!(
        akkoord_core::validate::validate(&draft).is_err(),
        "the native format wants 0..1"
    );
    draft.salience_range = SalienceRange::UpToHundred;
    let validated = akkoord_core::validate::validate(&draft).expect("Decide's range is accepted");
    assert_eq!(validated.warnings.len(), 4);
}
