//! Golden outputs: the bytes of every output format of every command on the examples, the
//! cases and the fixtures. A change in any of them is a change of the output contract and
//! must be intended (and its snapshot diff read).

use crate::cli::akkoord;

/// Runs akkoord from the crate folder with paths relative to it, so that the file names in
/// the outputs are the same on every machine, and returns stdout after checking success.
fn golden(args: &[&str]) -> String {
    let out = akkoord(args);
    assert_eq!(out.code, 0, "akkoord {args:?} failed: {}", out.stderr);
    out.stdout
}

const NATO: &str = "../../examples/nato-2023.toml";
const THREE_ISSUES: &str = "tests/fixtures/three-issues.txt";
const BDM_TABLE: &str = "tests/fixtures/five-actors.csv";
const DEU_TABLE: &str = "tests/fixtures/deu-small.tsv";

#[test]
fn appointment_forecast_in_every_format() {
    for format in ["json", "table", "csv"] {
        let text = golden(&[
            "forecast",
            NATO,
            "--runs",
            "3000",
            "--lever-runs",
            "300",
            "--seed",
            "5",
            "--format",
            format,
        ]);
        insta::assert_snapshot!(format!("nato-2023-forecast-{format}"), text);
    }
}

#[test]
fn issue_forecast_in_every_format() {
    for (name, file) in [("three-issues", THREE_ISSUES), ("five-actors", BDM_TABLE)] {
        for format in ["json", "table", "csv"] {
            let text = golden(&["forecast", file, "--runs", "40", "--format", format]);
            insta::assert_snapshot!(format!("{name}-issue-forecast-{format}"), text);
        }
    }
}

#[test]
fn model_runs_in_every_format() {
    for format in ["json", "table", "csv"] {
        let exchange = golden(&["run", "exchange", THREE_ISSUES, "--format", format]);
        insta::assert_snapshot!(format!("three-issues-exchange-{format}"), exchange);
        let randomized = golden(&[
            "run",
            "exchange",
            THREE_ISSUES,
            "--p",
            "0.3",
            "--repetitions",
            "3",
            "--seed",
            "2",
            "--format",
            format,
        ]);
        insta::assert_snapshot!(format!("three-issues-rex-{format}"), randomized);
        let bdm = golden(&["run", "bdm", BDM_TABLE, "--format", format]);
        insta::assert_snapshot!(format!("five-actors-bdm-{format}"), bdm);
        let masad = golden(&[
            "run",
            "bdm",
            BDM_TABLE,
            "--preset",
            "masad2016",
            "--rounds",
            "6",
            "--seed",
            "3",
            "--format",
            format,
        ]);
        insta::assert_snapshot!(format!("five-actors-masad-{format}"), masad);
    }
}

#[test]
fn backtests_in_every_format() {
    for format in ["json", "table", "csv"] {
        let one = golden(&[
            "backtest",
            "../../cases/nato-2009.toml",
            "--runs",
            "1000",
            "--lever-runs",
            "0",
            "--format",
            format,
        ]);
        insta::assert_snapshot!(format!("nato-2009-backtest-{format}"), one);
        let deu = golden(&["backtest", DEU_TABLE, "--format", format]);
        insta::assert_snapshot!(format!("deu-small-backtest-{format}"), deu);
    }
}

#[test]
fn a_folder_of_cases_is_backtested() {
    let text = golden(&[
        "backtest",
        "../../cases",
        "--runs",
        "200",
        "--lever-runs",
        "0",
        "--format",
        "json",
    ]);
    insta::assert_snapshot!("cases-backtest-json", text);
}

#[test]
fn conversions_in_every_format() {
    for to in ["json", "toml"] {
        for (name, file) in [
            ("nato-2023", NATO),
            ("three-issues", THREE_ISSUES),
            ("five-actors", BDM_TABLE),
        ] {
            let text = golden(&["convert", file, "--to", to]);
            insta::assert_snapshot!(format!("{name}-convert-{to}"), text);
        }
    }
}

#[test]
fn check_summaries() {
    let text = golden(&["check", NATO, THREE_ISSUES, BDM_TABLE]);
    insta::assert_snapshot!("check-summaries", text);
}
