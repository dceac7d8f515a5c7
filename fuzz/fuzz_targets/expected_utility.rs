//! Fuzzes the expected-utility model as `akkoord run bdm` runs it, on small valid scenarios
//! built from the fuzzer's bytes, with every preset, stopping rule, Q, T and salience shock:
//! every position, median and mean stays on its issue's scale, every risk exponent is finite,
//! and the JSON output is the same bytes twice.
#![no_main]

use akkoord_core::models::expected_utility::{
    self, EuConfig, EuRun, Preset, SalienceShock, StopReason, Stopping,
};
use akkoord_core::scenario::{IssueId, Scenario};
use akkoord_fuzz::draft::{FuzzScenario, unit};
use akkoord_fuzz::{assert_finite, assert_within};
use akkoord_report::json;
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    scenario: FuzzScenario,
    preset: u8,
    /// `Rounds(1..=8)`, or convergence with an epsilon, patience and most rounds.
    stopping: Result<u8, (u8, u8, u8)>,
    q: Option<u8>,
    t: Option<u8>,
    shock: Option<u8>,
    seed: u64,
}

const PRESETS: [(Preset, &str); 3] = [
    (Preset::Scholz, "scholz"),
    (Preset::Textbook, "textbook"),
    (Preset::Masad2016, "masad2016"),
];

fuzz_target!(|input: Input| {
    let Some(s) = input.scenario.validated(1, 1, None) else {
        return;
    };
    let (preset, name) = PRESETS[usize::from(input.preset) % PRESETS.len()];
    let stopping = match input.stopping {
        Ok(rounds) => Stopping::Rounds(u32::from(rounds % 8) + 1),
        Err((epsilon, patience, most)) => Stopping::Convergence {
            epsilon: unit(epsilon) / 10.0,
            patience: u32::from(patience % 3) + 1,
            max_rounds: u32::from(most % 12) + 1,
        },
    };
    let config = EuConfig {
        preset,
        stopping,
        q: input.q.map_or(1.0, unit),
        t: input.t.map_or(1.0, unit),
        salience_shock: input.shock.map(|p| SalienceShock {
            probability: unit(p),
        }),
        seed: input.seed,
    };
    let runs = expected_utility::run(&s, &config);
    check(&s, &stopping, &runs);
    let again = expected_utility::run(&s, &config);
    assert_eq!(
        json::to_string(&json::bdm_output(&s, name, &runs)),
        json::to_string(&json::bdm_output(&s, name, &again)),
        "the same run gave different output"
    );
});

fn check(s: &Scenario, stopping: &Stopping, runs: &[(IssueId, EuRun)]) {
    let most = match *stopping {
        Stopping::Rounds(r) => r,
        Stopping::Convergence { max_rounds, .. } => max_rounds,
    } as usize;
    assert_eq!(runs.len(), s.issues.len(), "a run per issue");
    for (id, run) in runs {
        let issue = &s.issues[id.index()];
        let scale = &issue.scale;
        let within = |what: &str, x: f64| assert_within(what, x, scale.lower, scale.upper);
        let actors = issue.positions.len();
        assert!(
            !run.rounds.is_empty() && run.rounds.len() <= most + 1,
            "{} rounds of at most {most}",
            run.rounds.len()
        );
        for (r, round) in run.rounds.iter().enumerate() {
            assert_eq!(round.round as usize, r, "rounds in order");
            assert_eq!(round.positions.len(), actors, "a position per actor");
            for x in &round.positions {
                within("a position", *x);
            }
            within("the median", round.median);
            within("the mean", round.mean);
            for risk in &round.risk {
                assert_finite("a risk exponent", *risk);
            }
            for action in &round.actions {
                assert!(action.partner().is_none_or(|j| j < actors), "{action:?}");
            }
        }
        if let StopReason::Cycle {
            period,
            median,
            mean,
        } = run.stop
        {
            assert!(
                period >= 1 && period as usize <= run.rounds.len(),
                "cycle of {period}"
            );
            within("the cycle's median", median);
            within("the cycle's mean", mean);
        }
        for r in &run.degenerate_risk_rounds {
            assert!((*r as usize) < run.rounds.len(), "degenerate round {r}");
        }
    }
}
