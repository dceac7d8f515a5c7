//! The library's pipelines as an API caller meets them: defaults defined once, and bad
//! requests answered with typed errors, never a panic.
#![allow(clippy::float_cmp)] // the defaults are exact copies

use akkoord::core::models::consensus::ConsensusParams;
use akkoord::core::scenario::Deadline;
use akkoord::load::{LoadSettings, load};
use akkoord::settings::{ExchangeSettings, ForecastSettings};
use akkoord::{Error, InputFormat};

const ONE_ISSUE: &str = "actor,capability,position,salience\nA,1,10,0.5\nB,2,90,0.5\nC,1,40,0.5\n";

const SALIENCES_OF_100: &str = "'#A'\t'N'\t'North'\n'#A'\t'S'\t'South'\n'#P'\t'tax'\t'Tax'\n'#P'\t'aid'\t'Aid'\n\
'#D'\t'N'\t'tax'\t80\t90\t0.5\n'#D'\t'S'\t'tax'\t20\t30\t0.5\n\
'#D'\t'N'\t'aid'\t30\t20\t0.5\n'#D'\t'S'\t'aid'\t90\t100\t0.5\n";

#[test]
fn forecast_defaults_are_the_published_parameters() {
    let loaded = load("one.csv", ONE_ISSUE.as_bytes(), &LoadSettings::default())
        .expect("the table is valid");
    let settings = ForecastSettings::default();
    let published = ConsensusParams::published(Deadline::DEFAULT_ROUNDS);
    let params = settings
        .consensus_params(&loaded.scenario)
        .expect("the defaults are valid");
    assert_eq!(params.lobbying, 0.35);
    assert_eq!(params, published);
    assert_eq!(settings.model.source, "defaults");
    assert!(settings.spread().iter().all(|sd| *sd == 0.0));
    assert_eq!(settings.appointment_runs(), 20_000);
}

#[test]
fn a_parameters_file_sets_the_values_and_a_value_set_by_hand_is_not_sampled() {
    let file = "format = 1\n[provenance]\ncommand = \"by hand\"\n[parameters]\nlobbying = 0.5\nveto_cost = 0.1\n[spread]\nlobbying = 0.2\nveto_cost = 0.3\n";
    let model = akkoord::load::parameters("p.toml", file.as_bytes()).expect("a valid file");
    assert_eq!(model.source, "p.toml");
    assert_eq!(
        model.provenance,
        [("command".to_owned(), "by hand".to_owned())]
    );
    let loaded = load("one.csv", ONE_ISSUE.as_bytes(), &LoadSettings::default())
        .expect("the table is valid");
    let settings = ForecastSettings {
        model,
        params: vec![("veto_cost".to_owned(), 0.05)],
        ..ForecastSettings::default()
    };
    let params = settings
        .consensus_params(&loaded.scenario)
        .expect("valid settings");
    assert_eq!(params.lobbying, 0.5, "from the file");
    assert_eq!(params.veto_cost, 0.05, "by hand, over the file");
    let published = ConsensusParams::published(Deadline::DEFAULT_ROUNDS);
    assert_eq!(
        params.outsider_rate, published.outsider_rate,
        "not in the file: the default"
    );
    let json = settings.consensus_json(None).expect("valid settings");
    assert_eq!(
        json.spread.0,
        [("lobbying".to_owned(), 0.2)],
        "veto_cost is set by hand"
    );
    assert_eq!(json.source, "p.toml");
}

#[test]
fn a_bad_parameters_file_is_located() {
    let error = akkoord::load::parameters("p.toml", b"format = 1\n[parameters]\nlobbying = 7\n")
        .expect_err("out of range");
    let problem = &error.problems()[0];
    assert!(problem.message.contains("lobbying"), "{}", problem.message);
    assert_eq!(
        problem.span.clone().map(|s| s.start),
        Some("format = 1\n[parameters]\nlobbying = ".len()),
        "at the value"
    );
}

#[test]
fn an_issues_only_scenario_has_no_appointment_to_forecast() {
    let loaded = load("one.csv", ONE_ISSUE.as_bytes(), &LoadSettings::default())
        .expect("the table is valid");
    assert_eq!(loaded.format, InputFormat::BdmTable);
    assert!(loaded.scenario.with_appointment().is_none());
    let forecast =
        akkoord::forecast::issues(&loaded.scenario, &ForecastSettings::default(), &|_| {})
            .expect("issues forecast");
    assert_eq!(forecast.runs, 1, "nothing is uncertain: one draw");
}

#[test]
fn the_exchange_model_on_one_issue_is_a_typed_error() {
    let loaded = load("one.csv", ONE_ISSUE.as_bytes(), &LoadSettings::default())
        .expect("the table is valid");
    let error = akkoord::run::exchange("one.csv", &loaded.scenario, &ExchangeSettings::default())
        .expect_err("one issue cannot be traded");
    assert!(matches!(error, Error::TooFewIssues { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the exchange model needs at least two issues; one.csv has 1"
    );
}

#[test]
fn an_unknown_parameter_is_a_usage_error() {
    let loaded = load("one.csv", ONE_ISSUE.as_bytes(), &LoadSettings::default())
        .expect("the table is valid");
    let settings = ForecastSettings {
        params: vec![("veto_costs".to_owned(), 0.1)],
        ..ForecastSettings::default()
    };
    let error = settings
        .consensus_params(&loaded.scenario)
        .expect_err("no such parameter");
    assert!(error.is_usage());
    assert!(
        error
            .to_string()
            .starts_with("unknown parameter \"veto_costs\"")
    );
}

#[test]
fn saliences_above_one_are_refused_by_the_forecast() {
    let loaded = load(
        "big.txt",
        SALIENCES_OF_100.as_bytes(),
        &LoadSettings::default(),
    )
    .expect("a Decide file may have saliences up to 100");
    let error = akkoord::forecast::issues(&loaded.scenario, &ForecastSettings::default(), &|_| {})
        .expect_err("saliences of 90 are not shares");
    assert!(matches!(error, Error::SalienceAboveOne { .. }), "{error:?}");
}

#[test]
fn invalid_input_carries_located_problems() {
    let error = load(
        "bad.csv",
        b"actor,capability,position,salience\nA,x,10,0.5\n",
        &LoadSettings::default(),
    )
    .expect_err("a capability must be a number");
    assert!(!error.problems().is_empty());
    assert!(error.to_string().starts_with("bad.csv: "), "{error}");
}
