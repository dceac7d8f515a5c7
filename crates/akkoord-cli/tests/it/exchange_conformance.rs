//! The exchange model against captured runs of the Decide reference.

use akkoord_core::models::exchange::{self, ExchangeConfig, ExchangeRun, TieRule};

use crate::reference::{csv_rows, load, read};

fn config(ties: TieRule) -> ExchangeConfig {
    ExchangeConfig::equal_gain(10, ties)
}

/// Compares every position of the given phases and rounds with the captured run; returns
/// the number of values compared.
fn check_positions(
    input: &str,
    expected: &str,
    ties: TieRule,
    rounds: std::ops::RangeInclusive<u32>,
    tolerance: f64,
) -> usize {
    let loaded = load(input);
    let scenario = &loaded.scenario;
    let run: ExchangeRun = exchange::run(scenario, &config(ties), 0);
    let mut compared = 0;
    for row in csv_rows(&read(expected)) {
        let round: u32 = row["round"].parse().expect("round numbers are integers");
        let phase = row["phase"].as_str();
        // "final" (round 11) holds the preferences after round 10: round 10's update.
        let (source_round, phase) = if phase == "final" {
            (round - 1, "next")
        } else {
            (round, phase)
        };
        if !rounds.contains(&source_round) {
            continue;
        }
        let r = &run.rounds[source_round as usize - 1];
        let positions = match phase {
            "preference" => &r.start_positions,
            "voting" => &r.voting_positions,
            _ => &r.positions,
        };
        let issue = scenario
            .issues
            .iter()
            .position(|i| i.id == row["issue"])
            .expect("issue");
        let actor = scenario.actor_id(&row["actor"]).expect("actor");
        let got = positions[issue]
            .iter()
            .find(|(a, _)| *a == actor)
            .expect("position")
            .1;
        let want: f64 = row["pos_raw"].parse().expect("positions are numbers");
        assert!(
            (got - want).abs() <= tolerance,
            "{input}: round {round} {phase} {}/{}: got {got}, expected {want}",
            row["issue"],
            row["actor"]
        );
        compared += 1;
    }
    compared
}

#[test]
fn copenhagen_canonical_rounds_1_to_7() {
    let n = check_positions(
        "decide/inputs/copenhagen.csv",
        "decide/expected/copenhagen__equal_canonical/positions.csv.gz",
        TieRule::Canonical,
        1..=7,
        1e-9,
    );
    assert!(n > 1000, "compared {n} values");
}

#[test]
fn sample_data_canonical_rounds_1_to_3() {
    let n = check_positions(
        "decide/inputs/sample_data.txt",
        "decide/expected/sample_data__equal_canonical/positions.csv.gz",
        TieRule::Canonical,
        1..=3,
        1e-9,
    );
    assert!(n > 300, "compared {n} values");
}

#[test]
fn synthetic_round_one_and_the_start_of_round_two() {
    let n = check_positions(
        "decide/inputs/synth_a10_i5.csv",
        "decide/expected/synth_a10_i5__equal_det/positions.csv.gz",
        TieRule::ListOrder,
        1..=1,
        1e-9,
    );
    assert!(n >= 100, "compared {n} values");
    // Round 2 carries out the same first 30 trades as the reference. Its 31st candidate sees
    // the outcome exactly on the partner's position after an earlier capped trade: in exact
    // and in f64 arithmetic the trade is allowed, while the reference's 28-digit decimals put
    // the outcome one unit in the last digit past it and drop the trade (docs/models/exchange.md,
    // "Where f64 and the reference part").
    let loaded = load("decide/inputs/synth_a10_i5.csv");
    let s = &loaded.scenario;
    let run = exchange::run(s, &config(TieRule::ListOrder), 0);
    let expected: Vec<_> = csv_rows(&read(
        "decide/expected/synth_a10_i5__equal_det/exchanges.csv.gz",
    ))
    .into_iter()
    .filter(|r| r["round"] == "2" && r["side"] == "i")
    .collect();
    for (n, (ours, theirs)) in run.rounds[1]
        .trades
        .iter()
        .zip(&expected)
        .enumerate()
        .take(30)
    {
        assert_eq!(
            s.actors[ours.i.actor].id,
            theirs["actor"],
            "trade {}",
            n + 1
        );
        let gain: f64 = theirs["gain"].parse().unwrap();
        assert!(
            (ours.gain - gain).abs() < 1e-12,
            "trade {}: gain {} vs {gain}",
            n + 1,
            ours.gain
        );
    }
    assert_eq!(s.actors[run.rounds[1].trades[30].i.actor].id, "A001");
    assert_eq!(expected[30]["actor"], "A010");
}

#[test]
fn copenhagen_list_order_round_1() {
    let n = check_positions(
        "decide/inputs/copenhagen.csv",
        "decide/expected/copenhagen__equal_det/positions.csv.gz",
        TieRule::ListOrder,
        1..=1,
        1e-9,
    );
    assert!(n > 100, "compared {n} values");
}

#[test]
fn sample_model_round_one_matches_the_reference_tests() {
    let loaded = load("decide/inputs/sample_data.txt");
    let run = exchange::run(&loaded.scenario, &config(TieRule::ListOrder), 0);
    let first = &run.rounds[0];
    assert_eq!(first.candidates, 240);
    assert_eq!(first.trades.len(), 39);
    assert!((first.trades[0].gain - 1.973_684_210_526_316).abs() < 1e-12);
    assert!((first.trades[1].gain - 1.792_636_308_765_341).abs() < 1e-12);
}
