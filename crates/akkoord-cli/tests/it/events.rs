//! Dated events: forecasts as of a date and the history of a forecast, on a hand-built scenario
//! with three events (`tests/fixtures/three-events.toml`) and on the NATO example.
#![allow(clippy::float_cmp)] // a scenario without uncertainty gives exact probabilities

use crate::cli::{akkoord, example, scratch};
use crate::deu::fixture;

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Each outcome's id and probability in a forecast's JSON, sorted by id.
fn probabilities(forecast: &serde_json::Value) -> Vec<(String, f64)> {
    let mut all: Vec<(String, f64)> = forecast["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["id"].as_str().unwrap().to_owned(),
                o["probability"].as_f64().unwrap(),
            )
        })
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

fn forecast(file: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["forecast", file, "--runs", "500", "--format", "json"];
    args.extend(extra);
    let out = akkoord(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    json(&out.stdout)
}

fn probability_of(forecast: &serde_json::Value, id: &str) -> f64 {
    probabilities(forecast)
        .into_iter()
        .find(|(o, _)| o == id)
        .map_or(0.0, |(_, p)| p)
}

#[test]
fn each_event_moves_the_forecast_as_computed_by_hand() {
    let file = fixture("three-events.toml");
    // The base: X and Y both value a above the fallback (90 and 70 against 40): a is agreed.
    let base = forecast(&file, &["--as-of", "2023-01-09"]);
    assert_eq!(probability_of(&base, "a"), 1.0);
    assert!(
        probability_of(&base, "b") == 0.0,
        "b has not entered: {base}"
    );
    // Y's red line on a (1 February) leaves b, whom both value above the fallback.
    let february = forecast(&file, &["--as-of", "2023-02-15"]);
    assert_eq!(probability_of(&february, "a"), 0.0);
    assert_eq!(probability_of(&february, "b"), 1.0);
}

#[test]
fn the_forecast_as_of_a_date_equals_the_hand_written_snapshot_of_that_date() {
    let events = akkoord(&[
        "forecast",
        &fixture("three-events.toml"),
        "--runs",
        "300",
        "--format",
        "json",
    ]);
    let snapshot = akkoord(&[
        "forecast",
        &fixture("three-events-2023-02-15.toml"),
        "--runs",
        "300",
        "--format",
        "json",
    ]);
    assert_eq!(events.code, 0, "{}", events.stderr);
    assert_eq!(events.stdout, snapshot.stdout, "byte for byte");
}

#[test]
fn the_nato_example_as_of_its_date_equals_its_hand_written_snapshot() {
    let rebuilt = forecast(&example("nato-2023.toml"), &[]);
    let snapshot = forecast(&fixture("nato-2023-11-28.toml"), &[]);
    // Candidates enter in the order of their events (Kallas before Karins), so outcomes are
    // compared by id; draws are keyed by ids, so every probability is the same.
    assert_eq!(probabilities(&rebuilt), probabilities(&snapshot));
    assert_eq!(rebuilt["blockers"], snapshot["blockers"]);
}

#[test]
fn an_event_after_as_of_changes_nothing() {
    let file = fixture("three-events.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let future = text.find("[[events]]\ndate = \"2023-03-01\"").unwrap();
    let dir = scratch("events-future");
    let without = dir.join("without-future.toml");
    std::fs::write(&without, &text[..future]).unwrap();
    let with = akkoord(&["forecast", &file, "--runs", "300", "--format", "json"]);
    let cut = akkoord(&[
        "forecast",
        without.to_str().unwrap(),
        "--runs",
        "300",
        "--format",
        "json",
    ]);
    assert_eq!(with.code, 0, "{}", with.stderr);
    assert_eq!(with.stdout, cut.stdout);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn withdrawing_the_favourite_moves_its_probability_to_the_others() {
    let file = fixture("three-events.toml");
    let after = forecast(&file, &["--as-of", "2023-03-05"]);
    assert_eq!(probability_of(&after, "b"), 0.0, "b withdrew");
    // a is blocked by Y's red line and b is gone: the draws go to an outsider or to nobody.
    assert_eq!(probability_of(&after, "a"), 0.0);
    let rest = probability_of(&after, "not-named") + probability_of(&after, "no-agreement");
    assert!((rest - 1.0).abs() < 1e-9, "{after}");
}

#[test]
fn history_reports_each_event_and_what_moved_the_favourite() {
    let out = akkoord(&[
        "history",
        &fixture("three-events.toml"),
        "--to",
        "2023-03-05",
        "--runs",
        "300",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let h = json(&out.stdout);
    let dates: Vec<&str> = h["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2023-01-09",
            "2023-01-10",
            "2023-02-01",
            "2023-03-01",
            "2023-03-05"
        ]
    );
    let ids: Vec<&str> = h["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "not-named", "no-agreement"]);
    // On 1 February b goes from 0 to 1 and a from 1 to 0.
    let february = &h["steps"][2];
    assert_eq!(february["events"][0]["headline"], "Y turns against a");
    assert_eq!(february["outcomes"][0]["change"], -1.0);
    assert_eq!(february["outcomes"][1]["change"], 1.0);
    // The same seed at every date: a date without news changes nothing.
    for o in h["steps"][4]["outcomes"].as_array().unwrap() {
        assert_eq!(o["change"], 0.0);
    }
    // The favourite at the end is an outsider; b's withdrawal is what moved it.
    assert_eq!(h["favourite"], "not-named");
    assert_eq!(h["movers"][0]["date"], "2023-03-01");
    assert_eq!(h["movers"].as_array().unwrap().len(), 1);
}

#[test]
fn history_csv_table_and_chart() {
    let dir = scratch("events-history");
    let chart = dir.join("history.svg");
    let file = fixture("three-events.toml");
    let csv = akkoord(&["history", &file, "--runs", "100", "--format", "csv"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    assert_eq!(
        csv.stdout.lines().next(),
        Some("date,events,outcome,probability,change")
    );
    // 4 dates (the start, 10 January, 1 February, as_of) × 4 outcomes.
    assert_eq!(csv.stdout.lines().count(), 1 + 4 * 4, "{}", csv.stdout);
    let table = akkoord(&[
        "history",
        &file,
        "--runs",
        "100",
        "--chart",
        chart.to_str().unwrap(),
    ]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(
        table
            .stdout
            .contains("on 2023-02-01, Y turns against a: +100 points for b"),
        "{}",
        table.stdout
    );
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert_eq!(
        svg.matches("class=\"event\"").count(),
        2,
        "one marker per event shown"
    );
    assert_eq!(svg.matches("<polyline").count(), 4, "one line per outcome");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn history_refuses_as_of_and_dates_out_of_order() {
    let file = fixture("three-events.toml");
    assert_eq!(
        akkoord(&["history", &file, "--as-of", "2023-02-01"]).code,
        2
    );
    assert_eq!(
        akkoord(&[
            "history",
            &file,
            "--from",
            "2023-03-01",
            "--to",
            "2023-02-01"
        ])
        .code,
        2
    );
    assert_eq!(
        akkoord(&["forecast", &file, "--as-of", "2023-02-30"]).code,
        2
    );
}

#[test]
fn backtest_as_of_refuses_sources_after_that_date() {
    let dir = scratch("events-backtest");
    let case = dir.join("case.toml");
    let text = std::fs::read_to_string(fixture("three-events-2023-02-15.toml")).unwrap()
        + "source = { url = \"https://example.org/late\", date = \"2023-02-10\" }\n\n[outcome]\nwinner = \"b\"\n";
    std::fs::write(&case, text).unwrap();
    let fine = akkoord(&["backtest", case.to_str().unwrap(), "--runs", "100"]);
    assert_eq!(fine.code, 0, "{}", fine.stderr);
    let early = akkoord(&[
        "backtest",
        case.to_str().unwrap(),
        "--runs",
        "100",
        "--as-of",
        "2023-02-01",
    ]);
    assert_eq!(early.code, 1);
    assert!(
        early
            .stderr
            .contains("source dated 2023-02-10 is after as_of 2023-02-01"),
        "{}",
        early.stderr
    );
    std::fs::remove_dir_all(dir).ok();
}
