//! Fuzzes the exchange model as `akkoord run exchange` runs it, on small valid scenarios built
//! from the fuzzer's bytes: every position and outcome stays on its issue's scale, every gain
//! and utility is finite, and the JSON output is the same bytes twice.
#![no_main]

use akkoord_core::models::exchange::{
    self, ExchangeConfig, ExchangeRun, Externalities, Positions, TieRule,
};
use akkoord_core::scenario::Scenario;
use akkoord_fuzz::draft::{FuzzScenario, unit};
use akkoord_fuzz::{assert_finite, assert_within};
use akkoord_report::json::{self, ExchangeOutput, ExchangeSettings};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    scenario: FuzzScenario,
    /// Rounds, 1..=6.
    rounds: u8,
    ties: u8,
    /// Randomized Equal Gain's p in (0, 1].
    p: Option<u8>,
    seed: u64,
    stream: u8,
    externalities: bool,
}

const TIES: [(TieRule, &str); 3] = [
    (TieRule::Canonical, "canonical"),
    (TieRule::ListOrder, "list-order"),
    (TieRule::Random, "random"),
];

fuzz_target!(|input: Input| {
    let Some(s) = input.scenario.validated(2, 2, None) else {
        return;
    };
    let rounds = u32::from(input.rounds % 6) + 1;
    let (ties, ties_name) = TIES[usize::from(input.ties) % TIES.len()];
    let p = input.p.map(|p| unit(p.max(1)));
    let config = ExchangeConfig {
        randomization: p,
        seed: input.seed,
        externalities: if input.externalities {
            Externalities::Record
        } else {
            Externalities::Skip
        },
        ..ExchangeConfig::equal_gain(rounds, ties)
    };
    let output = |run: &ExchangeRun| {
        let settings = ExchangeSettings {
            rounds,
            ties: ties_name.to_owned(),
            p: p.unwrap_or(0.0),
            seed: input.seed,
        };
        json::to_string(&ExchangeOutput::new(
            &s,
            settings,
            std::slice::from_ref(run),
        ))
    };
    let run = exchange::run(&s, &config, u64::from(input.stream));
    check(&s, rounds, &run);
    let again = exchange::run(&s, &config, u64::from(input.stream));
    assert_eq!(
        output(&run),
        output(&again),
        "the same run gave different output"
    );
});

fn on_scale(s: &Scenario, issue: usize, what: &str, value: f64) {
    let scale = &s.issues[issue].scale;
    assert_within(what, value, scale.lower, scale.upper);
}

fn check_positions(s: &Scenario, what: &str, positions: &Positions, outcomes: &[f64]) {
    assert_eq!(
        positions.len(),
        s.issues.len(),
        "{what}: positions of every issue"
    );
    assert_eq!(
        outcomes.len(),
        s.issues.len(),
        "{what}: an outcome per issue"
    );
    for (k, (issue, outcome)) in positions.iter().zip(outcomes).enumerate() {
        assert_eq!(
            issue.len(),
            s.issues[k].positions.len(),
            "{what}: every actor's position"
        );
        for (actor, x) in issue {
            assert!(actor.index() < s.actors.len(), "{what}: no such actor");
            on_scale(s, k, what, *x);
        }
        on_scale(s, k, &format!("{what} outcome"), *outcome);
    }
}

fn check(s: &Scenario, rounds: u32, run: &ExchangeRun) {
    assert!(
        run.rounds.len() <= rounds as usize,
        "{} rounds run of {rounds}",
        run.rounds.len()
    );
    for round in &run.rounds {
        check_positions(s, "start", &round.start_positions, &round.start_outcomes);
        check_positions(s, "voting", &round.voting_positions, &round.voting_outcomes);
        check_positions(s, "updated", &round.positions, &round.outcomes);
        assert!(
            round.trades.len() <= round.candidates,
            "more trades than candidates"
        );
        for trade in &round.trades {
            assert!(
                trade.p < s.issues.len() && trade.q < s.issues.len() && trade.p != trade.q,
                "{trade:?}"
            );
            assert_finite("a trade's gain", trade.gain);
            for side in [&trade.i, &trade.j] {
                assert!(side.actor < s.actors.len(), "{side:?}");
                for x in [side.start, side.from, side.to, side.partner_position] {
                    on_scale(s, side.supply_issue, "a trade's position", x);
                }
                assert_finite("a trade's expected utility", side.eu);
            }
            for e in &trade.externalities {
                assert!(e.actor < s.actors.len(), "{e:?}");
                assert_finite("an externality", e.value);
            }
        }
    }
}
