//! Invariants of the expected-utility model on random inputs.

use akkoord_core::models::expected_utility::{EuActor, EuConfig, Preset, Stopping, run_issue};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

fn config(preset: Preset) -> EuConfig {
    EuConfig::published(preset, Stopping::Rounds(6))
}

fn actors() -> impl Strategy<Value = Vec<EuActor>> {
    proptest::collection::vec((0.01f64..1.0, 0.0f64..100.0, 0.01f64..1.0), 3..12).prop_map(|v| {
        v.into_iter()
            .map(|(capability, position, salience)| EuActor {
                capability,
                position,
                salience,
            })
            .collect()
    })
}

fn presets() -> impl Strategy<Value = Preset> {
    prop_oneof![
        Just(Preset::Scholz),
        Just(Preset::Textbook),
        Just(Preset::Masad2016)
    ]
}

fn rng() -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(9)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn positions_stay_in_the_initial_hull(actors in actors(), preset in presets()) {
        let low = actors.iter().map(|a| a.position).fold(f64::INFINITY, f64::min);
        let high = actors.iter().map(|a| a.position).fold(f64::NEG_INFINITY, f64::max);
        let run = run_issue(&actors, &config(preset), &mut rng());
        for r in &run.rounds {
            for x in &r.positions {
                prop_assert!(*x >= low - 1e-9 && *x <= high + 1e-9);
            }
        }
    }

    #[test]
    fn scaling_capabilities_changes_nothing(actors in actors(), preset in presets(), k in 0.01f64..100.0) {
        let scaled: Vec<EuActor> = actors.iter().map(|a| EuActor { capability: a.capability * k, ..*a }).collect();
        let a = run_issue(&actors, &config(preset), &mut rng());
        let b = run_issue(&scaled, &config(preset), &mut rng());
        for (x, y) in a.rounds.iter().zip(&b.rounds) {
            for (p, q) in x.positions.iter().zip(&y.positions) {
                prop_assert!((p - q).abs() < 1e-6, "{p} vs {q}");
            }
        }
    }

    #[test]
    fn actor_order_changes_nothing(actors in actors(), preset in prop_oneof![Just(Preset::Scholz), Just(Preset::Textbook)]) {
        let mut reversed = actors.clone();
        reversed.reverse();
        let a = run_issue(&actors, &config(preset), &mut rng());
        let b = run_issue(&reversed, &config(preset), &mut rng());
        for (x, y) in a.rounds.iter().zip(&b.rounds) {
            prop_assert!((x.median - y.median).abs() < 1e-6);
            for (p, q) in x.positions.iter().zip(y.positions.iter().rev()) {
                prop_assert!((p - q).abs() < 1e-6, "{p} vs {q}");
            }
        }
    }

    #[test]
    fn agreement_is_a_fixed_point(actors in actors(), preset in presets(), at in 0.0f64..100.0) {
        let agreed: Vec<EuActor> = actors.iter().map(|a| EuActor { position: at, ..*a }).collect();
        let run = run_issue(&agreed, &config(preset), &mut rng());
        prop_assert!(run.rounds.iter().all(|r| r.positions.iter().all(|x| (*x - at).abs() < f64::EPSILON)));
    }
}

#[test]
fn salience_shocks_are_seeded() {
    use akkoord_core::models::expected_utility::SalienceShock;
    let actors: Vec<EuActor> = (0..8)
        .map(|k| EuActor {
            capability: 1.0 + f64::from(k),
            position: f64::from(k * 13 % 100),
            salience: 0.2 + 0.1 * f64::from(k),
        })
        .collect();
    let shocked = |probability: f64, seed: u64| {
        let config = EuConfig {
            salience_shock: Some(SalienceShock { probability }),
            ..config(Preset::Scholz)
        };
        run_issue(&actors, &config, &mut ChaCha8Rng::seed_from_u64(seed))
            .rounds
            .iter()
            .map(|r| r.median)
            .collect::<Vec<_>>()
    };
    let plain: Vec<f64> = run_issue(&actors, &config(Preset::Scholz), &mut rng())
        .rounds
        .iter()
        .map(|r| r.median)
        .collect();
    assert_eq!(shocked(0.0, 1), plain, "no shock, no change");
    assert_eq!(
        shocked(0.5, 1),
        shocked(0.5, 1),
        "the same seed, the same run"
    );
    assert!(
        (1..6).any(|seed| shocked(1.0, seed) != plain),
        "shocks change the run"
    );
}

/// Found by the `expected_utility` fuzz target (docs/fuzzing.md): the weighted mean of two
/// actors at 100000 came out as 100000.00000000001, off the scale 0..100000.
#[test]
#[allow(clippy::float_cmp)] // the clamped means are exact
fn the_weighted_mean_stays_between_the_positions() {
    use akkoord_core::models::expected_utility::weighted_mean;
    assert_eq!(
        weighted_mean(&[100_000.0, 100_000.0], &[0.1, 0.7]),
        100_000.0
    );
    assert_eq!(weighted_mean(&[-5.0, 100_000.0], &[0.0, 0.0]), 49_997.5);
    assert_eq!(weighted_mean(&[0.0, 100.0], &[1.0, 3.0]), 75.0);
}
