//! `akkoord calibrate` and `--params`: the parameters file goes out, comes back in, and every
//! bad value in it is refused at its place.

use crate::cli::{akkoord, case, example, scratch};

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A library of two cases, for a quick calibration.
fn two_cases(name: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    for file in ["nato-1999.toml", "imf-2011.toml"] {
        std::fs::copy(case(file), dir.join(file)).unwrap();
    }
    dir
}

#[test]
fn calibration_writes_a_parameters_file_that_forecasts_read_back() {
    let dir = two_cases("calibrate-roundtrip");
    let params = dir.join("params.toml");
    let out = akkoord(&[
        "calibrate",
        dir.to_str().unwrap(),
        "--runs",
        "40",
        "--max-iterations",
        "3",
        "--format",
        "json",
        "-o",
        params.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = json(&out.stdout);
    assert_eq!(v["folds"], "loo");
    assert_eq!(v["parameters"].as_array().unwrap().len(), 9);
    assert_eq!(v["cases"].as_array().unwrap().len(), 2);
    for who in ["calibrated", "hand_set", "naive"] {
        let brier = v[who]["out_of_sample"]["mean_brier"].as_f64().unwrap();
        assert!((0.0..=2.0).contains(&brier), "{who}: {brier}");
    }
    let written = std::fs::read_to_string(&params).unwrap();
    assert!(
        written.contains("command = \"akkoord calibrate"),
        "{written}"
    );
    let forecast = akkoord(&[
        "forecast",
        &example("nato-2023.toml"),
        "--runs",
        "50",
        "--lever-runs",
        "0",
        "--params",
        params.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(forecast.code, 0, "{}", forecast.stderr);
    let f = json(&forecast.stdout);
    assert_eq!(f["settings"]["source"], params.display().to_string());
    assert_eq!(f["settings"]["provenance"]["cases"], "2");
    for p in v["parameters"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        assert_eq!(
            f["settings"]["parameters"][name], p["value"],
            "{name} as written and as read"
        );
    }
}

#[test]
fn a_flag_overrides_the_parameters_file() {
    let dir = scratch("params-flag");
    let params = dir.join("p.toml");
    std::fs::write(
        &params,
        "format = 1\n[parameters]\nveto_cost = 0.5\nlobbying = 0.2\n",
    )
    .unwrap();
    let out = akkoord(&[
        "backtest",
        &case("nato-2014.toml"),
        "--runs",
        "20",
        "--lever-runs",
        "0",
        "--params",
        params.to_str().unwrap(),
        "--lobbying",
        "0.9",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = json(&out.stdout);
    assert_eq!(v["settings"]["parameters"]["veto_cost"], 0.5);
    assert_eq!(v["settings"]["parameters"]["lobbying"], 0.9);
    assert_eq!(v["settings"]["rounds"], serde_json::Value::Null);
}

#[test]
fn every_bad_value_in_a_parameters_file_is_refused_at_its_place() {
    let dir = scratch("params-bad");
    let params = dir.join("bad.toml");
    std::fs::write(
        &params,
        "format = 1\n[parameters]\nlobying = 0.3\nveto_cost = 5\npayment_share = nan\n[spread]\nveto_cost = -1\n[extra]\n",
    )
    .unwrap();
    let out = akkoord(&[
        "forecast",
        &example("nato-2023.toml"),
        "--runs",
        "10",
        "--params",
        params.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    for expected in [
        "unknown parameter \"lobying\"",
        "did you mean lobbying?",
        "bad.toml:3:11",
        "veto_cost = 5 is outside its range 0 to 0.8",
        "bad.toml:4:13",
        "payment_share must be a finite number, found NaN",
        "the spread of veto_cost must be at least 0, found -1",
        "unknown field \"extra\" in a parameters file",
        "5 error(s)",
    ] {
        assert!(out.stderr.contains(expected), "{expected}:\n{}", out.stderr);
    }
}

#[test]
fn a_parameters_file_without_a_format_or_with_another_is_refused() {
    let dir = scratch("params-format");
    let params = dir.join("p.toml");
    for (text, expected) in [
        ("[parameters]\nlobbying = 0.3\n", "does not say its format"),
        (
            "format = 2\n",
            "reads parameters format 1, found format = 2",
        ),
        ("format = 1\nparameters = 3\n", "parameters must be a table"),
        (
            "format = 1\n[parameters]\nlobbying = \"high\"\n",
            "lobbying must be a number",
        ),
    ] {
        std::fs::write(&params, text).unwrap();
        let out = akkoord(&[
            "backtest",
            &case("nato-2014.toml"),
            "--runs",
            "10",
            "--params",
            params.to_str().unwrap(),
        ]);
        assert_eq!(out.code, 1, "{text}");
        assert!(out.stderr.contains(expected), "{expected}:\n{}", out.stderr);
    }
}

#[test]
fn calibration_refuses_more_folds_than_cases_and_a_bad_fold_count() {
    let dir = two_cases("calibrate-folds");
    let out = akkoord(&["calibrate", dir.to_str().unwrap(), "--folds", "3"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("3 folds are more than the 2 cases"),
        "{}",
        out.stderr
    );
    let out = akkoord(&["calibrate", dir.to_str().unwrap(), "--folds", "one"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("expected loo or a number of folds of at least 2"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_backtest_draws_its_reliability_diagram() {
    let dir = scratch("backtest-svg");
    let chart = dir.join("reliability.svg");
    let out = akkoord(&[
        "backtest",
        &case("nato-2014.toml"),
        "--runs",
        "50",
        "--lever-runs",
        "0",
        "--svg",
        chart.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.contains("Reliability of 1 case(s)"), "{svg}");
    // One case with its outcomes spread over the bins: at least one point.
    assert!(svg.contains("<circle"), "{svg}");
    let missing = dir.join("no-such-folder").join("r.svg");
    let out = akkoord(&[
        "backtest",
        &case("nato-2014.toml"),
        "--svg",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
}
