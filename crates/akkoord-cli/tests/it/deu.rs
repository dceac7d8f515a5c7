//! The DEU backtest: hand-made fixtures with known answers, and the published baselines on the
//! real table (read from ../shared/data/validation at run time, never committed).

use std::path::PathBuf;

use crate::cli::akkoord;

/// A file of `tests/fixtures`.
pub(crate) fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn validation(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/validation")
        .join(name);
    assert!(
        path.is_file(),
        "the DEU data is missing: expected {} (the shared/ folder beside the project)",
        path.display()
    );
    path.display().to_string()
}

/// Runs the DEU backtest on `path` with extra arguments and returns its JSON.
fn backtest_json(path: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "backtest",
        path,
        "--input-format",
        "deu",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = akkoord(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn mae(v: &serde_json::Value, model: &str) -> f64 {
    let models = v["models"].as_array().expect("a list of models");
    let entry = models
        .iter()
        .find(|m| m["model"] == model)
        .unwrap_or_else(|| panic!("no {model}"));
    entry["mae"].as_f64().expect("a number")
}

#[test]
fn hand_computed_errors_on_a_small_table() {
    // Issue 1: positions 100, 0, 40 with saliences 50, 50, 100: weighted mean 45, mean 46.67,
    // outcome 50. Issue 2: 20, 60, 80 with 80, 20, 100: weighted mean 54, mean 53.33, outcome
    // 70. The third issue has two actors and is not scored; the second line (no issue id) is
    // skipped.
    let v = backtest_json(&fixture("deu-small.tsv"), &[]);
    assert_eq!(v["cases"], 2);
    assert!((mae(&v, "compromise") - 10.5).abs() < 1e-9);
    assert!((mae(&v, "mean") - 10.0).abs() < 1e-9);
    assert!((mae(&v, "reference-point") - 50.0).abs() < 1e-9);
}

#[test]
fn malformed_rows_are_reported_with_their_place() {
    let out = akkoord(&[
        "backtest",
        &fixture("deu-out-of-range.tsv"),
        "--input-format",
        "deu",
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("must be a number, found \"abc\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("outcome must be between 0 and 100, found 150"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("deu-out-of-range.tsv:4:"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_published_baselines_are_reproduced() {
    let v = backtest_json(&validation("deu3.csv"), &[]);
    assert_eq!(v["cases"], 351);
    assert!(
        (mae(&v, "compromise") - 23.64).abs() < 0.005,
        "{}",
        mae(&v, "compromise")
    );
    assert!(
        (mae(&v, "mean") - 23.63).abs() < 0.005,
        "{}",
        mae(&v, "mean")
    );
    assert!((mae(&v, "reference-point") - 51.31).abs() < 0.005);
}

#[test]
fn council_capability_needs_the_weights() {
    let out = akkoord(&[
        "backtest",
        &fixture("deu-small.tsv"),
        "--input-format",
        "deu",
        "--capability",
        "council",
    ]);
    assert_eq!(out.code, 2);
    let weights = validation("eucouncil_weights.csv");
    let v = backtest_json(
        &validation("deu3.csv"),
        &["--capability", "council", "--council-weights", &weights],
    );
    assert_eq!(v["capability"], "council");
    assert!(
        mae(&v, "compromise") > 23.64,
        "Council weights are the known weaker capability proxy"
    );
}

#[test]
fn a_deu_table_is_recognised_by_its_header() {
    // Without --input-format deu, backtest reads it as DEU ...
    let out = akkoord(&["backtest", &fixture("deu-small.tsv"), "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["cases"], 2);
    // ... and a single-scenario command says what it is and which command reads it.
    for command in ["check", "forecast"] {
        let out = akkoord(&[command, &fixture("deu-small.tsv")]);
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(out.stdout.is_empty());
        assert!(
            out.stderr.contains("this is a DEU issue table")
                && out.stderr.contains("akkoord backtest"),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains("key with no value"), "{}", out.stderr);
    }
}
