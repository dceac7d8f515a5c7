//! `akkoord convert` round trips: every input format converted to TOML reads back as the same
//! scenario, shown by the same forecasts and model runs, byte for byte.

use crate::cli::{akkoord, scratch};

/// Converts `file` to TOML in a scratch folder and returns the new file's path, after
/// checking that `akkoord check` accepts it.
fn converted(file: &str, name: &str) -> String {
    let out = akkoord(&["convert", file, "--to", "toml"]);
    assert_eq!(out.code, 0, "convert {file}: {}", out.stderr);
    let path = scratch(&format!("roundtrip-{name}")).join(format!("{name}.toml"));
    std::fs::write(&path, &out.stdout).unwrap();
    let path = path.display().to_string();
    let check = akkoord(&["check", &path]);
    assert_eq!(
        check.code, 0,
        "check rejects the converted {file}:\n{}\n{}",
        check.stderr, out.stdout
    );
    path
}

/// The output of `args` on `original` and on its conversion, which must be the same bytes.
fn same_output(original: &str, copy: &str, args: &[&str]) {
    let run = |file: &str| {
        let mut all = args.to_vec();
        all.insert(all.iter().position(|a| *a == "FILE").unwrap(), file);
        all.retain(|a| *a != "FILE");
        let out = akkoord(&all);
        assert_eq!(out.code, 0, "akkoord {all:?}: {}", out.stderr);
        out.stdout
    };
    assert_eq!(
        run(original),
        run(copy),
        "akkoord {args:?} differs after convert"
    );
}

#[test]
fn a_toml_appointment_reads_back_the_same() {
    let original = "../../examples/nato-2023.toml";
    let copy = converted(original, "nato");
    same_output(
        original,
        &copy,
        &[
            "forecast",
            "FILE",
            "--runs",
            "2000",
            "--lever-runs",
            "200",
            "--format",
            "json",
        ],
    );
}

#[test]
fn a_decide_file_reads_back_the_same() {
    let original = "tests/fixtures/three-issues.txt";
    let copy = converted(original, "three-issues");
    same_output(original, &copy, &["forecast", "FILE", "--format", "json"]);
    same_output(
        original,
        &copy,
        &["run", "exchange", "FILE", "--format", "json"],
    );
    same_output(original, &copy, &["run", "bdm", "FILE", "--format", "json"]);
}

#[test]
fn a_decide_file_with_saliences_up_to_100_reads_back_the_same() {
    let original = "tests/fixtures/decide-saliences-100.txt";
    let copy = converted(original, "saliences-100");
    same_output(
        original,
        &copy,
        &["run", "exchange", "FILE", "--format", "json"],
    );
    let text = std::fs::read_to_string(&copy).unwrap();
    assert!(text.contains("salience_range = \"0-100\""), "{text}");
}

#[test]
fn a_bdm_table_reads_back_the_same() {
    let original = "tests/fixtures/five-actors.csv";
    let copy = converted(original, "five-actors");
    same_output(original, &copy, &["forecast", "FILE", "--format", "json"]);
    same_output(original, &copy, &["run", "bdm", "FILE", "--format", "json"]);
}
