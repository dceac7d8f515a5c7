//! Calibration: coordinates, common random numbers, identification, cross-validation and
//! determinism.
#![allow(clippy::float_cmp)] // exact equalities are the point: same draws, same counts

use akkoord_core::calibration::{
    self, Case, Folds, Identification, Settings, argued_values, from_free, params_with, to_free,
};
use akkoord_core::models::consensus::PARAMETERS;
use akkoord_core::montecarlo::{
    McConfig, forecast_appointment, forecast_appointment_with_spread, parameter_draw,
};
use akkoord_core::scenario::{OutcomeDraft, Scenario, ScenarioDraft, UncertaintyDraft};
use proptest::prelude::*;

use crate::build::{actor, appointing, appointment, candidate, scenario, stance};

/// Two members; A wants `c`, B is lukewarm about it with an uncertain stance; the outcome
/// is `winner`.
fn lukewarm(b_support: f64, winner: &str) -> Scenario {
    let mut b = stance("B", "c", b_support, 1.0);
    b.uncertainty = UncertaintyDraft {
        sd: Some(15.0),
        range: None,
    };
    scenario(ScenarioDraft {
        actors: vec![actor("A", 1.0), actor("B", 1.0)],
        appointment: Some(appointment(
            vec![candidate("c")],
            vec![stance("A", "c", 85.0, 1.0), b],
            40.0,
        )),
        outcome: Some(OutcomeDraft {
            winner: Some(winner.into()),
            positions: Vec::new(),
        }),
        ..ScenarioDraft::default()
    })
}

/// Both members want `c` for certain, and got it: nothing a parameter does changes that.
fn settled() -> Scenario {
    scenario(ScenarioDraft {
        actors: vec![actor("A", 1.0), actor("B", 1.0)],
        appointment: Some(appointment(
            vec![candidate("c")],
            vec![stance("A", "c", 90.0, 1.0), stance("B", "c", 90.0, 1.0)],
            10.0,
        )),
        outcome: Some(OutcomeDraft {
            winner: Some("c".into()),
            positions: Vec::new(),
        }),
        ..ScenarioDraft::default()
    })
}

fn settings(folds: Folds) -> Settings {
    Settings {
        runs: 200,
        seed: 5,
        folds,
        max_iterations: 15,
    }
}

proptest! {
    #[test]
    fn the_optimiser_never_leaves_a_range(x in -1e6f64..1e6) {
        for p in &PARAMETERS {
            let v = from_free(p, x);
            prop_assert!(p.low <= v && v <= p.high, "{} = {v}", p.name);
        }
    }

    #[test]
    fn coordinates_go_there_and_back(share in 0.001f64..0.999) {
        for p in &PARAMETERS {
            let v = p.low + share * (p.high - p.low);
            prop_assert!((from_free(p, to_free(p, v)) - v).abs() < 1e-9);
        }
    }
}

#[test]
fn a_case_is_forecast_on_the_same_draws_as_a_forecast() {
    let s = lukewarm(45.0, "c");
    let case = Case::new(&s, None).unwrap();
    let values = argued_values();
    let params = params_with(case.rounds, &values);
    let f = forecast_appointment(
        appointing(&s),
        &params,
        McConfig { runs: 300, seed: 9 },
        0,
        &|_| {},
    );
    let c = case.forecast(&values, 300, 9);
    assert_eq!(c.probabilities[0], f.candidates[0].probability);
    assert_eq!(c.probabilities[1], f.no_agreement.probability);
    assert_eq!(c.probabilities[2], f.not_named.probability);
    assert_eq!(c.actual, 0);
}

#[test]
fn the_outcome_of_a_case_indexes_candidates_then_no_agreement_then_not_named() {
    let s = lukewarm(45.0, "no-agreement");
    assert_eq!(Case::new(&s, None).unwrap().actual, 1);
    let s = lukewarm(45.0, "not-named");
    assert_eq!(Case::new(&s, None).unwrap().actual, 2);
}

#[test]
fn a_library_that_settles_itself_identifies_nothing() {
    let (a, b) = (settled(), settled());
    let cases = [Case::new(&a, None).unwrap(), Case::new(&b, None).unwrap()];
    let c = calibration::calibrate(&cases, settings(Folds::LeaveOneOut), &|_| {}).unwrap();
    for p in &c.parameters {
        assert!(
            matches!(p.identification, Identification::Flat { objective_range } if objective_range == 0.0),
            "{}: {:?}",
            p.parameter.name,
            p.identification
        );
        assert_eq!(p.value, p.parameter.argued, "{}", p.parameter.name);
        assert_eq!(p.free_sd, 0.0);
    }
    assert_eq!(c.values(), argued_values());
    // Certain and right: log score 0 and Brier 0 everywhere.
    assert_eq!(c.calibrated.out_of_sample.mean_log_score, 0.0);
    assert_eq!(c.calibrated.out_of_sample.mean_brier, 0.0);
    // 2 default forecasts, 9 × 5 profile points on 2 cases, 2 held-out forecasts, 2 in
    // sample; no fit ran.
    assert_eq!(c.case_forecasts, 2 + 90 + 2 + 2);
}

#[test]
fn fitting_never_scores_worse_in_sample_than_the_argued_values() {
    let library = [
        lukewarm(30.0, "no-agreement"),
        lukewarm(35.0, "no-agreement"),
        lukewarm(45.0, "c"),
        lukewarm(25.0, "no-agreement"),
    ];
    let cases: Vec<Case<'_>> = library
        .iter()
        .map(|s| Case::new(s, None).unwrap())
        .collect();
    let c = calibration::calibrate(&cases, settings(Folds::K(2)), &|_| {}).unwrap();
    assert!(
        c.parameters
            .iter()
            .any(|p| p.identification == Identification::Fitted),
        "{:#?}",
        c.parameters
    );
    assert!(c.calibrated.in_sample.mean_log_score >= c.argued.in_sample.mean_log_score);
    assert_eq!(c.calibrated.forecasts.len(), 4);
    assert_eq!(c.argued.in_sample, c.argued.out_of_sample);
    for p in &c.parameters {
        assert_eq!(p.fold_values.len(), 2);
        assert!(p.parameter.low <= p.value && p.value <= p.parameter.high);
    }
}

#[test]
fn a_calibration_is_the_same_on_one_thread_and_on_two() {
    let library = [lukewarm(30.0, "no-agreement"), lukewarm(45.0, "c")];
    let cases: Vec<Case<'_>> = library
        .iter()
        .map(|s| Case::new(s, None).unwrap())
        .collect();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                calibration::calibrate(&cases, settings(Folds::LeaveOneOut), &|_| {}).unwrap()
            })
    };
    assert_eq!(run(1), run(2));
}

#[test]
fn without_spread_the_parameters_are_not_drawn_and_with_it_they_stay_in_range() {
    let p = params_with(6, &argued_values());
    let none = [0.0; PARAMETERS.len()];
    assert_eq!(parameter_draw(&p, &none, 1, 7), p);
    let wide = [3.0; PARAMETERS.len()];
    let drawn: Vec<_> = (0..20).map(|g| parameter_draw(&p, &wide, 1, g)).collect();
    for param in &PARAMETERS {
        let values: Vec<f64> = drawn.iter().map(|d| d.get(param.name).unwrap()).collect();
        assert!(values.iter().all(|v| param.low <= *v && *v <= param.high));
        assert!(
            values.iter().any(|v| *v != values[0]),
            "{} never moved",
            param.name
        );
    }
    assert_eq!(
        parameter_draw(&p, &wide, 1, 3),
        drawn[3],
        "keyed by seed and group"
    );
}

#[test]
fn parameter_uncertainty_widens_the_interval_and_the_monte_carlo_error_stays_apart() {
    let s = lukewarm(32.0, "c");
    let p = params_with(6, &argued_values());
    let config = McConfig {
        runs: 4000,
        seed: 2,
    };
    let fixed = forecast_appointment(appointing(&s), &p, config, 0, &|_| {});
    assert!(fixed.forecast_intervals.is_none());
    let spread = PARAMETERS.map(|q| if q.name == "veto_cost" { 1.5 } else { 0.0 });
    let f = forecast_appointment_with_spread(appointing(&s), &p, &spread, config, 0, &|_| {});
    let (low, high) = f.forecast_intervals.as_ref().unwrap()[0];
    let c = f.candidates[0];
    assert!(low <= c.probability && c.probability <= high);
    // The Wilson interval is the Monte Carlo error of 4000 draws alone: about ±1.5 points.
    assert!(c.high - c.low < 0.04, "{c:?}");
    assert!(
        high - low > 2.0 * (c.high - c.low),
        "{low}–{high} against {c:?}"
    );
    let zero = [0.0; PARAMETERS.len()];
    let same = forecast_appointment_with_spread(appointing(&s), &p, &zero, config, 0, &|_| {});
    assert_eq!(
        same.candidates, fixed.candidates,
        "no spread: the same draws"
    );
}
