//! Benchmarks of the models on random inputs and of the NATO forecast (`cargo bench`).
//! Figures and the commands that produced them are in BENCHMARKS.md.

use akkoord_core::models::consensus::ConsensusParams;
use akkoord_core::models::exchange::{self, ExchangeConfig, TieRule};
use akkoord_core::models::expected_utility::{EuActor, EuConfig, Preset, Stopping, run_issue};
use akkoord_core::montecarlo::{McConfig, forecast_appointment};
use akkoord_core::scenario::{ActorDraft, IssueDraft, PositionDraft, Scenario, ScenarioDraft};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

fn main() {
    divan::main();
}

/// A random exchange scenario: every actor has data on every issue, continuous values.
fn random_exchange(actors: usize, issues: usize) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(20_251_129);
    let names: Vec<String> = (0..actors).map(|a| format!("A{a:03}")).collect();
    let draft = ScenarioDraft {
        actors: names
            .iter()
            .map(|id| ActorDraft {
                id: id.clone(),
                capability: 1.0,
                ..ActorDraft::default()
            })
            .collect(),
        issues: (0..issues)
            .map(|d| IssueDraft {
                id: format!("I{d:03}"),
                lower: Some(0.0),
                upper: Some(100.0),
                positions: names
                    .iter()
                    .map(|id| PositionDraft {
                        actor: id.clone(),
                        position: (rng.random::<f64>() * 1000.0).round() / 10.0,
                        salience: 0.05 + 0.95 * rng.random::<f64>(),
                        capability: Some(0.01 + 0.99 * rng.random::<f64>()),
                        ..PositionDraft::default()
                    })
                    .collect(),
                ..IssueDraft::default()
            })
            .collect(),
        ..ScenarioDraft::default()
    };
    akkoord_core::validate::validate(&draft)
        .expect("random scenarios are valid")
        .value
}

#[divan::bench(args = [(11, 7), (15, 13), (40, 20), (80, 20)], sample_count = 5)]
fn exchange_ten_rounds(bencher: divan::Bencher, (actors, issues): (usize, usize)) {
    let s = random_exchange(actors, issues);
    let config = ExchangeConfig::equal_gain(10, TieRule::Canonical);
    bencher.bench(|| exchange::run(divan::black_box(&s), &config, 0));
}

fn random_bdm(n: usize) -> Vec<EuActor> {
    let mut rng = ChaCha8Rng::seed_from_u64(n as u64);
    (0..n)
        .map(|_| EuActor {
            capability: 0.01 + 0.99 * rng.random::<f64>(),
            position: 100.0 * rng.random::<f64>(),
            salience: 0.01 + 0.99 * rng.random::<f64>(),
        })
        .collect()
}

#[divan::bench(args = [10, 80, 1000], sample_count = 5)]
fn expected_utility_ten_rounds(bencher: divan::Bencher, n: usize) {
    let actors = random_bdm(n);
    let config = EuConfig::published(Preset::Scholz, Stopping::Rounds(10));
    bencher.bench(|| {
        run_issue(
            divan::black_box(&actors),
            &config,
            &mut ChaCha8Rng::seed_from_u64(0),
        )
    });
}

#[divan::bench(args = [10_000, 100_000], sample_count = 3)]
fn nato_2023_forecast(bencher: divan::Bencher, runs: usize) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/nato-2023.toml");
    let text = std::fs::read(path).expect("the NATO example");
    let s = akkoord_io::load("nato-2023.toml", &text, None)
        .expect("the NATO example is valid")
        .scenario;
    let appointing = s
        .with_appointment()
        .expect("the NATO example is an appointment");
    let params = ConsensusParams::published(8);
    bencher.bench(|| {
        forecast_appointment(appointing, &params, McConfig { runs, seed: 0 }, 0, &|_| {})
    });
}
