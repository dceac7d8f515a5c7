//! Fuzzes the appointment forecast as `akkoord forecast` runs it, on small valid scenarios
//! built from the fuzzer's bytes, with the consensus model's parameters anywhere in their
//! ranges: every probability lies in 0..1 with its interval around it, the outcomes sum to 1,
//! and the JSON brief is the same bytes on one thread as on many.
#![no_main]

use akkoord_core::models::consensus::{ConsensusParams, PARAMETERS, consensus_map};
use akkoord_core::montecarlo::{AppointmentForecast, Estimate, McConfig, forecast_appointment};
use akkoord_core::scenario::Scenario;
use akkoord_fuzz::draft::{FuzzAppointment, FuzzScenario, unit};
use akkoord_fuzz::{PROBABILITY_TOLERANCE, assert_finite, assert_sum_one, assert_within};
use akkoord_report::json::{self, ConsensusSettingsJson, ForecastOutput, OrderedMap};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    scenario: FuzzScenario,
    appointment: FuzzAppointment,
    /// Each parameter of [`PARAMETERS`] somewhere in its range, or its default.
    params: [Option<u8>; PARAMETERS.len()],
    /// Draws, 1..=32.
    runs: u8,
    seed: u64,
}

fuzz_target!(|input: Input| {
    let Some(s) = input.scenario.validated(1, 0, Some(&input.appointment)) else {
        return;
    };
    let appointing = s
        .with_appointment()
        .expect("the draft has an appointment");
    let mut params = ConsensusParams::published(s.deadline.rounds_or_default());
    for (parameter, value) in PARAMETERS.iter().zip(input.params) {
        if let Some(value) = value {
            let value = parameter.low + (parameter.high - parameter.low) * unit(value);
            assert!(
                params.set(parameter.name, value),
                "{} is not settable",
                parameter.name
            );
        }
    }
    let config = McConfig {
        runs: usize::from(input.runs % 32) + 1,
        seed: input.seed,
    };
    let settings = ConsensusSettingsJson {
        rounds: Some(params.rounds),
        deal_window: params.deal_window,
        parameters: PARAMETERS
            .iter()
            .filter_map(|p| Some((p.name.to_owned(), params.get(p.name)?)))
            .collect(),
        source: "fuzz".to_owned(),
        provenance: OrderedMap(Vec::new()),
        spread: OrderedMap(Vec::new()),
    };
    let brief = |f: &AppointmentForecast| {
        json::to_string(&ForecastOutput::new(
            appointing,
            f,
            &consensus_map(appointing, &params),
            settings.clone(),
        ))
    };
    let forecast = forecast_appointment(appointing, &params, config, config.runs, &|_| {});
    check(&s, &params, config, &forecast);
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool of one thread");
    let again =
        one_thread.install(|| forecast_appointment(appointing, &params, config, config.runs, &|_| {}));
    assert_eq!(
        brief(&forecast),
        brief(&again),
        "the same forecast differs on one thread"
    );
});

fn check_estimate(what: &str, e: &Estimate) {
    assert_within(what, e.probability, 0.0, 1.0);
    assert!(
        0.0 <= e.low && e.low <= e.probability && e.probability <= e.high && e.high <= 1.0,
        "{what}: the interval {}..{} does not hold {}",
        e.low,
        e.high,
        e.probability
    );
}

fn check(s: &Scenario, params: &ConsensusParams, config: McConfig, f: &AppointmentForecast) {
    let a = s
        .appointment
        .as_ref()
        .expect("the draft has an appointment");
    let (actors, rounds) = (s.actors.len(), params.rounds as usize);
    assert_eq!(f.runs, config.runs, "draws run");
    assert_eq!(
        f.candidates.len(),
        a.candidates.len(),
        "one estimate per candidate"
    );
    for e in &f.candidates {
        check_estimate("a candidate's probability", e);
    }
    check_estimate("not named", &f.not_named);
    check_estimate("no agreement", &f.no_agreement);
    assert_sum_one(
        "the candidates, not-named and no-agreement",
        f.candidates
            .iter()
            .chain([&f.not_named, &f.no_agreement])
            .map(|e| e.probability),
    );
    assert_eq!(
        f.by_round.len(),
        rounds + 1,
        "one agreement share per round"
    );
    for p in &f.by_round {
        assert_within("agreement in a round", *p, 0.0, 1.0);
    }
    assert_sum_one(
        "agreement by round and no agreement",
        f.by_round
            .iter()
            .copied()
            .chain([f.no_agreement.probability]),
    );
    for shares in [&f.holdout_at_start, &f.holdout_at_end, &f.last_holdout] {
        assert_eq!(shares.len(), actors, "one holdout share per actor");
        for p in shares {
            assert_within("a holdout share", *p, 0.0, 1.0);
        }
    }
    let last: f64 = f.last_holdout.iter().sum();
    assert!(
        last <= 1.0 + PROBABILITY_TOLERANCE,
        "last holdouts sum to {last}"
    );
    for deal in &f.deals {
        assert!(
            deal.actor < actors && deal.candidate < a.candidates.len(),
            "{deal:?}"
        );
        assert!(deal.issue.is_none_or(|k| k < s.issues.len()), "{deal:?}");
        assert_within("a deal's probability", deal.probability, 0.0, 1.0);
        assert_finite("a deal's shift", deal.mean_shift);
        assert_finite("a deal's price", deal.mean_price);
    }
    for lever in &f.levers {
        assert!(
            lever.actor < actors && lever.candidate < a.candidates.len(),
            "{lever:?}"
        );
        assert_within("a lever's before", lever.before, 0.0, 1.0);
        assert_within("a lever's after", lever.after, 0.0, 1.0);
        assert_finite("a lever's change", lever.change);
    }
    assert!(
        f.round_dates.is_empty() || f.round_dates.len() == rounds + 1,
        "{} round dates for {rounds} rounds",
        f.round_dates.len()
    );
    assert!(
        f.median_round.is_none_or(|r| r as usize <= rounds),
        "median round {:?}",
        f.median_round
    );
}
