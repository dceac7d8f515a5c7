//! The command line, run in process: exit codes, streams and output contracts.

use std::path::PathBuf;

use crate::reference;

/// What a run printed and how it ended.
pub(crate) struct Output {
    pub(crate) code: u8,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs akkoord with these arguments.
pub(crate) fn akkoord(args: &[&str]) -> Output {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = akkoord_cli::run(
        std::iter::once("akkoord").chain(args.iter().copied()),
        &mut stdout,
        &mut stderr,
    );
    Output {
        code,
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

pub(crate) fn example(name: &str) -> String {
    project_file("examples", name)
}

/// A case of the library in `cases/`.
pub(crate) fn case(name: &str) -> String {
    project_file("cases", name)
}

/// A fresh, empty folder for one test.
pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("akkoord-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn project_file(folder: &str, name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(folder)
        .join(name)
        .display()
        .to_string()
}

fn input(relative: &str) -> String {
    reference::root().join(relative).display().to_string()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn every_valid_reference_input_checks() {
    for relative in [
        "decide/inputs/copenhagen.csv",
        "decide/inputs/cop21.csv",
        "decide/inputs/sample_data.txt",
        "decide/inputs/synth_a10_i5.csv",
        "bdm/inputs/emission.csv",
        "bdm/inputs/china.csv",
        "bdm/inputs/sultan.csv",
        "bdm/inputs/honduras.csv",
        "bdm/inputs/uk_emu_labour.csv",
    ] {
        let out = akkoord(&["check", &input(relative)]);
        assert_eq!(out.code, 0, "{relative}: {}", out.stderr);
        assert!(out.stdout.contains(": ok ("), "{}", out.stdout);
    }
}

#[test]
fn both_planted_errors_are_reported_in_one_run() {
    let out = akkoord(&["check", &input("decide/inputs/copenhagen_with_errors.csv")]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("copenhagen_with_errors.csv:86:"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("copenhagen_with_errors.csv:87:"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("2 error(s)"), "{}", out.stderr);
}

#[test]
fn exit_codes_tell_usage_from_invalid_input() {
    assert_eq!(akkoord(&["check"]).code, 2);
    assert_eq!(akkoord(&["frobnicate"]).code, 2);
    assert_eq!(
        akkoord(&["run", "exchange", &example("nato-2023.toml"), "--p", "2"]).code,
        2
    );
    assert_eq!(akkoord(&["check", "no/such/file.toml"]).code, 1);
    let help = akkoord(&["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Examples:"), "{}", help.stdout);
}

#[test]
fn check_summarises_each_file() {
    let out = akkoord(&["check", &example("nato-2023.toml"), &case("nato-2009.toml")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("31 actors, 1 issue, 3 candidates"),
        "{}",
        out.stdout
    );
    assert_eq!(out.stdout.lines().count(), 2);
}

#[test]
fn convert_moves_decide_data_to_toml_and_back() {
    let out = akkoord(&[
        "convert",
        &input("decide/inputs/copenhagen.csv"),
        "--to",
        "toml",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let dir = std::env::temp_dir().join(format!("akkoord-convert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("copenhagen.toml");
    std::fs::write(&path, &out.stdout).unwrap();
    let a = akkoord(&[
        "run",
        "exchange",
        &input("decide/inputs/copenhagen.csv"),
        "--format",
        "csv",
    ]);
    let b = akkoord(&[
        "run",
        "exchange",
        &path.display().to_string(),
        "--format",
        "csv",
    ]);
    assert_eq!(a.stdout, b.stdout);
    let converted = akkoord(&["convert", &input("bdm/inputs/emission.csv"), "--to", "json"]);
    assert_eq!(json(&converted.stdout)["format"], 1);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_failed_conversion_writes_nothing() {
    let out = akkoord(&[
        "convert",
        &input("decide/inputs/copenhagen_with_errors.csv"),
        "--to",
        "toml",
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
}

#[test]
fn schema_prints_the_json_schema() {
    let out = akkoord(&["schema"]);
    assert_eq!(out.code, 0);
    assert_eq!(json(&out.stdout)["title"], "akkoord scenario, format 1");
}

#[test]
fn exchange_json_follows_the_contract() {
    let out = akkoord(&[
        "run",
        "exchange",
        &input("decide/inputs/copenhagen.csv"),
        "--rounds",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = json(&out.stdout);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["model"], "exchange");
    let rounds = v["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 4);
    assert!(rounds[0].get("exchanges").is_none());
    assert_eq!(rounds[0]["positions"]["Newtreaty"]["USA"], 10.0);
    assert!(
        (rounds[0]["outcomes"]["Newtreaty"].as_f64().unwrap() - 61.576_271_186_440_68).abs() < 1e-9
    );
    assert!(rounds[1]["exchanges"].as_array().unwrap().len() > 10);
    assert!(rounds[1]["voting_outcomes"]["Extra"].is_number());
}

#[test]
fn randomized_exchange_summaries_do_not_depend_on_threads() {
    let args = |threads: &'static str| {
        vec![
            "run",
            "exchange",
            "--p",
            "0.5",
            "--repetitions",
            "8",
            "--seed",
            "4",
            "--rounds",
            "3",
            "--format",
            "json",
            "--threads",
            threads,
        ]
    };
    let path = input("decide/inputs/copenhagen.csv");
    let mut one = args("1");
    one.push(&path);
    let mut two = args("2");
    two.push(&path);
    let (a, b) = (akkoord(&one), akkoord(&two));
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    let v = json(&a.stdout);
    assert_eq!(v["repetitions"]["repetitions"], 8);
    assert!(
        v["repetitions"]["covariance"]["Newtreaty"]["Newtreaty"]
            .as_f64()
            .unwrap()
            >= 0.0
    );
}

#[test]
fn bdm_runs_on_tables_and_reports_actions() {
    let out = akkoord(&[
        "run",
        "bdm",
        &input("bdm/inputs/emission.csv"),
        "--rounds",
        "10",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = json(&out.stdout);
    assert_eq!(v["model"], "bdm");
    assert_eq!(v["rounds"].as_array().unwrap().len(), 11);
    assert!(
        (v["rounds"][1]["outcomes"]["issue"].as_f64().unwrap() - 8.415_932_315_426_764).abs()
            < 1e-9
    );
    assert!(
        v["rounds"][1]["actions"]["issue"]["Belgium"]
            .as_str()
            .unwrap()
            .contains(':')
    );
    let table = akkoord(&["run", "bdm", &input("bdm/inputs/emission.csv")]);
    assert!(table.stdout.contains("stopped after"), "{}", table.stdout);
}

#[test]
fn forecasts_are_reproducible_on_any_thread_count() {
    let run = |threads: &str| {
        akkoord(&[
            "forecast",
            &example("nato-2023.toml"),
            "--runs",
            "3000",
            "--seed",
            "9",
            "--lever-runs",
            "300",
            "--format",
            "json",
            "--threads",
            threads,
        ])
    };
    let (a, b) = (run("1"), run("2"));
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    let v = json(&a.stdout);
    assert_eq!(v["schema_version"], 1);
    let outcomes = v["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.last().unwrap()["id"], "no-agreement");
    assert_eq!(outcomes[outcomes.len() - 2]["id"], "not-named");
    let total: f64 = outcomes
        .iter()
        .map(|o| o["probability"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-9);
    assert!(
        v["blockers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["actor"] == "HUN")
    );
}

#[test]
fn the_brief_names_the_favourite() {
    let out = akkoord(&[
        "forecast",
        &example("nato-2023.toml"),
        "--runs",
        "2000",
        "--lever-runs",
        "200",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Most likely: Mark Rutte"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Holdouts"), "{}", out.stdout);
}

#[test]
fn issue_scenarios_get_every_model_with_an_interval() {
    let out = akkoord(&[
        "forecast",
        &input("bdm/inputs/emission.csv"),
        "--runs",
        "50",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = json(&out.stdout);
    let models: Vec<&str> = v["issues"][0]["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["compromise", "median", "nash", "expected-utility"]);
}

#[test]
fn backtests_score_the_known_cases() {
    let dir = project_file("cases", "");
    let out = akkoord(&[
        "backtest",
        &dir,
        "--runs",
        "300",
        "--lever-runs",
        "0",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = json(&out.stdout);
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 15, "{} cases", cases.len());
    for case in cases {
        assert!(case["rank"].as_u64().unwrap() >= 1);
        assert!((0.0..=2.0).contains(&case["brier"].as_f64().unwrap()));
    }
}

#[test]
fn issue_13_backtests_score_an_outsider_against_the_not_named_outcome() {
    let score = |rate: &str| {
        let out = akkoord(&[
            "backtest",
            &case("eu-commission-2004.toml"),
            "--runs",
            "300",
            "--lever-runs",
            "0",
            "--param",
            &format!("outsider_rate={rate}"),
            "--format",
            "json",
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v = json(&out.stdout);
        assert_eq!(v["cases"][0]["actual"], "not-named");
        v["cases"][0]["probability"].as_f64().unwrap()
    };
    assert!(score("0").abs() < f64::EPSILON);
    assert!(score("3") > 0.0);
    let bad = akkoord(&["forecast", &case("nato-2014.toml"), "--param", "vetocost=1"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn the_binary_runs() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_akkoord"))
        .args(["check", &case("nato-2014.toml")])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_akkoord"))
        .args(["check", "--bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn forecast_json_is_stable() {
    let out = akkoord(&[
        "forecast",
        &case("nato-2014.toml"),
        "--runs",
        "400",
        "--seed",
        "3",
        "--lever-runs",
        "100",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("nato-2014-forecast-json", out.stdout);
}

#[test]
fn exchange_json_is_stable() {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/three-issues.txt")
        .display()
        .to_string();
    let out = akkoord(&[
        "run",
        "exchange",
        &fixture,
        "--rounds",
        "2",
        "--format",
        "json",
        "--externalities",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"exchanges\""));
    insta::assert_snapshot!("three-issues-exchange-json", out.stdout);
}

/// Issue 16: externalities are most of the output on large inputs, so the JSON carries them
/// only with `--externalities`; everything else is the same.
#[test]
fn issue_16_exchange_json_leaves_out_externalities_unless_asked() {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/three-issues.txt")
        .display()
        .to_string();
    let args = [
        "run", "exchange", &fixture, "--rounds", "2", "--format", "json",
    ];
    let plain = akkoord(&args);
    let full = akkoord(&[&args[..], &["--externalities"]].concat());
    assert_eq!((plain.code, full.code), (0, 0), "{}", plain.stderr);
    assert!(!plain.stdout.contains("externalities"));
    let mut full: serde_json::Value = serde_json::from_str(&full.stdout).expect("JSON");
    for round in full["rounds"].as_array_mut().expect("rounds") {
        let trades = round
            .get_mut("exchanges")
            .and_then(serde_json::Value::as_array_mut);
        for trade in trades.into_iter().flatten() {
            let trade = trade.as_object_mut().expect("a trade is an object");
            assert!(trade.remove("externalities").is_some());
        }
    }
    let plain: serde_json::Value = serde_json::from_str(&plain.stdout).expect("JSON");
    assert_eq!(plain, full);
}

#[test]
fn converted_bdm_tables_run_the_same() {
    let table = input("bdm/inputs/emission.csv");
    let converted = akkoord(&["convert", &table, "--to", "toml"]);
    assert_eq!(converted.code, 0, "{}", converted.stderr);
    let dir = std::env::temp_dir().join(format!("akkoord-bdm-convert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("emission.toml");
    std::fs::write(&path, &converted.stdout).unwrap();
    let a = akkoord(&["run", "bdm", &table, "--rounds", "10", "--format", "csv"]);
    let b = akkoord(&[
        "run",
        "bdm",
        &path.display().to_string(),
        "--rounds",
        "10",
        "--format",
        "csv",
    ]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    std::fs::remove_dir_all(dir).ok();
}

/// Magnitudes a user can type: zero, tiny, ordinary, at the limit, past it, and huge.
fn magnitudes() -> impl proptest::strategy::Strategy<Value = f64> {
    use proptest::prelude::*;
    prop_oneof![
        Just(0.0),
        Just(1e-300),
        0.0..100.0f64,
        Just(1e9),
        Just(-1e9),
        Just(1e10),
        Just(1e308),
        Just(-1e308),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(40))]

    /// Extreme or vanishing numbers are refused with a located error, or every printed number
    /// is finite: never `inf`, `NaN` or `null`.
    #[test]
    fn extreme_inputs_give_an_error_or_finite_numbers(
        rows in proptest::collection::vec((magnitudes(), magnitudes(), 0.0..=1.0f64), 2..5)
    ) {
        use std::fmt::Write as _;
        let mut table = String::from("actor,capability,position,salience\n");
        for (i, (capability, position, salience)) in rows.iter().enumerate() {
            writeln!(table, "A{i},{capability:e},{position:e},{salience}").unwrap();
        }
        let path = scratch("extreme").join("table.csv");
        std::fs::write(&path, &table).unwrap();
        let file = path.display().to_string();
        for args in [
            vec!["run", "bdm", &file, "--rounds", "3", "--format", "json"],
            vec!["forecast", &file, "--runs", "5", "--format", "json"],
        ] {
            let out = akkoord(&args);
            proptest::prop_assert!(out.code == 0 || out.code == 1, "{table}\n{}", out.stderr);
            if out.code == 1 {
                proptest::prop_assert!(out.stderr.contains(".csv:"), "not located: {}", out.stderr);
            }
            for bad in ["inf", "NaN", "null"] {
                proptest::prop_assert!(!out.stdout.contains(bad), "{bad} in {:?} on\n{table}\n{}", args, out.stdout);
            }
        }
        let _ = std::fs::remove_file(&path);
    }
}

#[test]
fn hindsight_is_a_warning_for_check_and_an_error_for_backtest() {
    let case = "format = 1\n\
        [scenario]\ntitle = \"Written with hindsight\"\nas_of = \"2009-03-28\"\n\
        [deadline]\ndate = \"2009-04-04\"\nrounds = 2\n\
        [[actors]]\nid = \"USA\"\ncapability = 10\n\
        [[actors]]\nid = \"TUR\"\ncapability = 4\n\
        [appointment]\nid = \"sg\"\nfallback = { id = \"later\", support = 40 }\n\
        candidates = [{ id = \"rasmussen\", home = \"USA\", status = \"declared\" }]\n\
        stances = [\n\
        { actor = \"TUR\", candidate = \"rasmussen\", support = 70, source = { url = \"https://example.org/summit\", date = \"2009-04-04\" } },\n\
        ]\n\
        [outcome]\nwinner = \"rasmussen\"\n";
    let path = scratch("hindsight").join("case.toml");
    std::fs::write(&path, case).unwrap();
    let file = path.display().to_string();
    let check = akkoord(&["check", &file]);
    let backtest = akkoord(&["backtest", &file, "--runs", "50", "--lever-runs", "0"]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("⚠ source dated 2009-04-04 is after as_of 2009-03-28"),
        "{}",
        check.stderr
    );
    assert_eq!(backtest.code, 1, "{}", backtest.stderr);
    assert!(
        backtest
            .stderr
            .contains("× source dated 2009-04-04 is after as_of 2009-03-28"),
        "{}",
        backtest.stderr
    );
    assert!(
        backtest.stderr.contains(&format!("{file}:19:111")),
        "not located: {}",
        backtest.stderr
    );
    assert!(backtest.stdout.is_empty(), "{}", backtest.stdout);
}

#[test]
fn backtests_report_proper_scores_and_reliability() {
    let out = akkoord(&[
        "backtest",
        &case("nato-2014.toml"),
        "--runs",
        "200",
        "--lever-runs",
        "0",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = json(&out.stdout);
    let p = v["cases"][0]["probability"].as_f64().unwrap();
    let log = v["cases"][0]["log_score"].as_f64().unwrap();
    assert!((log - p.max(0.01).ln()).abs() < 1e-12);
    for key in [
        "mean_brier",
        "mean_log_score",
        "rank_one_rate",
        "mean_probability_of_actual",
    ] {
        assert!(
            v["akkoord"][key].is_number() && v["naive"][key].is_number(),
            "{key}"
        );
    }
    let counted: u64 = v["reliability"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["forecasts"].as_u64().unwrap())
        .sum();
    let outcomes = v["cases"].as_array().unwrap().len() as u64 * 6; // 4 candidates, no agreement, not named
    assert_eq!(counted, outcomes);
    assert_eq!(v["undated_sources"].as_u64(), Some(0));
}

#[test]
fn every_command_has_examples_in_its_help() {
    for command in [
        vec!["check"],
        vec!["convert"],
        vec!["schema"],
        vec!["run"],
        vec!["run", "exchange"],
        vec!["run", "bdm"],
        vec!["forecast"],
        vec!["report"],
        vec!["backtest"],
    ] {
        let mut args = command.clone();
        args.push("--help");
        let out = akkoord(&args);
        assert_eq!(out.code, 0, "{command:?}");
        assert!(
            out.stdout.contains("Examples:"),
            "{command:?} --help:\n{}",
            out.stdout
        );
    }
}

#[test]
fn counts_agree_with_their_nouns() {
    let out = akkoord(&["check", &example("nato-2023.toml")]);
    assert!(out.stdout.contains("1 issue,"), "{}", out.stdout);
    let bdm = akkoord(&[
        "run",
        "bdm",
        &input("bdm/inputs/emission.csv"),
        "--rounds",
        "1",
    ]);
    assert!(
        bdm.stdout
            .contains("stopped after 1 round: the rounds asked for were run"),
        "{}",
        bdm.stdout
    );
}

#[test]
fn the_randomized_exchange_table_shows_the_mean_over_repetitions() {
    let copenhagen = input("decide/inputs/copenhagen.csv");
    let args = [
        "run",
        "exchange",
        &copenhagen,
        "--p",
        "0.5",
        "--repetitions",
        "5",
        "--rounds",
        "2",
    ];
    let table = akkoord(&args);
    let mut with_json = args.to_vec();
    with_json.extend(["--format", "json"]);
    let v = json(&akkoord(&with_json).stdout);
    assert!(
        table.stdout.contains("p = 0.5, 5 repetitions"),
        "{}",
        table.stdout
    );
    let mean = v["repetitions"]["rounds"][1]["outcomes"]["Newtreaty"]["mean"]
        .as_f64()
        .unwrap();
    assert!(
        table.stdout.contains(&format!("{mean:.4} ±")),
        "{mean} not in\n{}",
        table.stdout
    );
}

#[test]
fn a_scenario_without_uncertainty_is_forecast_once_and_says_so() {
    let copenhagen = input("decide/inputs/copenhagen.csv");
    let out = akkoord(&["forecast", &copenhagen, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json(&out.stdout)["runs"].as_u64(), Some(1));
    let table = akkoord(&["forecast", &copenhagen]);
    assert!(
        table.stdout.contains("no input is uncertain: one run"),
        "{}",
        table.stdout
    );
}

#[test]
fn runs_sets_the_draws_of_issue_forecasts() {
    let dir = scratch("uncertain");
    let path = dir.join("u.toml");
    std::fs::write(
        &path,
        "format = 1\n[[actors]]\nid = \"A\"\ncapability = 1\n[[actors]]\nid = \"B\"\ncapability = 2\n\
         [[issues]]\nid = \"x\"\nscale = { lower = 0, upper = 100 }\n\
         positions = [{ actor = \"A\", position = 10, salience = 0.5, sd = 5 }, { actor = \"B\", position = 80, salience = 0.7 }]\n",
    )
    .unwrap();
    let out = akkoord(&[
        "forecast",
        &path.display().to_string(),
        "--runs",
        "37",
        "--format",
        "json",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json(&out.stdout)["runs"].as_u64(), Some(37));
}

#[test]
fn the_brief_explains_its_numbers_and_shows_names() {
    let out = akkoord(&[
        "forecast",
        &example("nato-2023.toml"),
        "--runs",
        "2000",
        "--lever-runs",
        "300",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for legend in [
        "The interval is the Monte Carlo error of each probability",
        "blocks the winner at the start: the member blocked",
        "last to consent: it was the last",
        "still blocks at the end: it blocked",
        "passes now: the decision rule is met",
        "measured on the same random draws with and without the change",
    ] {
        assert!(
            out.stdout.contains(legend),
            "missing {legend:?}:\n{}",
            out.stdout
        );
    }
    assert!(out.stdout.contains("│ Hungary"), "{}", out.stdout);
    assert!(!out.stdout.contains("│ HUN "), "{}", out.stdout);
    assert!(
        !out.stdout.contains(" -> "),
        "levers show the change, not two figures:\n{}",
        out.stdout
    );
}
