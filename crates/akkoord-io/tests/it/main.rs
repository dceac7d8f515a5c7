//! Tests of the readers: every malformed file yields precise diagnostics (snapshots), no input
//! makes a reader panic, and the JSON Schema stays what `schemas/scenario.v1.json` says.

use std::path::Path;

use akkoord_io::{InputFormat, Problem, load};
use miette::{GraphicalReportHandler, GraphicalTheme};
use proptest::prelude::*;

/// Renders problems as the CLI does, without colour.
fn render(problems: &[Problem]) -> String {
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    let mut out = String::new();
    for p in problems {
        handler
            .render_report(&mut out, p)
            .expect("rendering to a string cannot fail");
        out.push('\n');
    }
    out
}

fn malformed_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed")
}

/// Loads a file of the malformed corpus: it must fail, and its diagnostics are a snapshot.
fn check_malformed(name: &str) -> String {
    let bytes = std::fs::read(malformed_dir().join(name)).expect("corpus file");
    match load(name, &bytes, None) {
        Ok(_) => panic!("{name} should be rejected"),
        Err(problems) => {
            assert!(
                problems
                    .iter()
                    .any(|p| p.severity == akkoord_core::diag::Severity::Error),
                "{name}: no error"
            );
            render(&problems)
        }
    }
}

#[test]
fn every_malformed_file_is_rejected_with_its_diagnostics() {
    let mut names: Vec<String> = std::fs::read_dir(malformed_dir())
        .expect("corpus folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 20, "corpus too small: {names:?}");
    for name in names {
        insta::assert_snapshot!(name.clone(), check_malformed(&name));
    }
}

/// Inputs the fuzz targets (`fuzz/`, docs/fuzzing.md) found breaking the readers' contract, with
/// the format their target reads them as, the error each must give, and its line and column.
const FUZZ_REGRESSIONS: [(&str, InputFormat, &str, (usize, usize)); 2] = [
    (
        "no-actors.toml",
        InputFormat::Toml,
        "a scenario needs at least one actor, found none",
        (1, 1),
    ),
    (
        "decide-no-rows.txt",
        InputFormat::Decide,
        "the Decide file has no #A or #P rows",
        (1, 1),
    ),
];

#[test]
fn inputs_the_fuzzers_found_get_located_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let files = std::fs::read_dir(&dir).expect("regression folder").count();
    assert_eq!(
        files,
        FUZZ_REGRESSIONS.len(),
        "every file in {dir:?} is listed"
    );
    for (name, format, message, place) in FUZZ_REGRESSIONS {
        let bytes = std::fs::read(dir.join(name)).expect("regression file");
        let problems = load(name, &bytes, Some(format)).expect_err(name);
        let found = problems
            .iter()
            .find(|p| p.message == message)
            .unwrap_or_else(|| panic!("{name}: {}", render(&problems)));
        assert_eq!(found.line_column(), Some(place), "{name}");
        let errors = problems
            .iter()
            .filter(|p| p.severity == akkoord_core::diag::Severity::Error);
        assert!(
            errors.clone().all(|p| p.span.is_some()),
            "{name}: {}",
            render(&problems)
        );
    }
}

#[test]
fn diagnostics_name_line_and_column() {
    let bytes = std::fs::read(malformed_dir().join("out-of-range.toml")).unwrap();
    let problems = load("out-of-range.toml", &bytes, None).unwrap_err();
    let places: Vec<(usize, usize)> = problems.iter().filter_map(Problem::line_column).collect();
    assert!(places.contains(&(5, 14)), "{places:?}");
    assert!(places.contains(&(15, 31)), "{places:?}");
}

#[test]
fn old_mac_line_ends_are_lines() {
    let bytes = std::fs::read(malformed_dir().join("cr-line-ends.toml")).unwrap();
    let problems = load("cr-line-ends.toml", &bytes, None).unwrap_err();
    let places: Vec<(usize, usize)> = problems.iter().filter_map(Problem::line_column).collect();
    assert_eq!(places, [(5, 14)]);
}

#[test]
fn a_huge_unknown_id_makes_short_messages() {
    let id = "x".repeat(200_000);
    let text = format!(
        "format = 1\n[[actors]]\nid = \"A\"\ncapability = 1\n[[issues]]\nid = \"i\"\n\
         scale = {{ lower = 0, upper = 100 }}\npositions = [\n  {{ actor = \"A\", position = 1, salience = 1 }},\n  \
         {{ actor = \"{id}\", position = 2, salience = 1 }},\n]\n"
    );
    let problems = load("long.toml", text.as_bytes(), None).unwrap_err();
    let rendered = render(&problems);
    assert!(
        rendered.len() < 4_000,
        "{} bytes: {rendered:.2000}",
        rendered.len()
    );
    assert!(rendered.contains("(200000 characters)"), "{rendered}");
}

#[test]
fn deep_nesting_is_refused_without_recursion() {
    let text = format!(
        "format = 1\nx = {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let problems = load("deep.toml", text.as_bytes(), None).unwrap_err();
    assert!(
        problems[0].message.contains("nests"),
        "{}",
        problems[0].message
    );
}

#[test]
fn large_files_are_refused() {
    let bytes = vec![b'#'; akkoord_io::text::MAX_INPUT_BYTES + 1];
    let problems = load("huge.toml", &bytes, None).unwrap_err();
    // Readers get one byte past the limit, so the size they see is not the file's.
    assert_eq!(
        problems[0].message,
        "the file is larger than 16 MiB (the limit); larger inputs are refused"
    );
}

#[test]
fn binary_and_invalid_utf8_are_refused() {
    for bytes in [&b"\x89PNG\r\n\x1a\n\0\0"[..], &[0xff, 0xfe, 0x41][..]] {
        let problems = load("data.bin", bytes, None).unwrap_err();
        assert_eq!(problems.len(), 1);
    }
}

#[test]
fn the_schema_file_is_current() {
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/scenario.v1.json"),
    )
    .expect("schemas/scenario.v1.json");
    let current = akkoord_io::file_v1::json_schema();
    assert_eq!(
        committed, current,
        "regenerate with: akkoord schema > schemas/scenario.v1.json"
    );
    insta::assert_snapshot!("scenario-schema", current);
}

#[test]
fn examples_and_conversions_round_trip() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for entry in std::fs::read_dir(dir).expect("examples") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).unwrap();
        let loaded = load(&path.display().to_string(), &bytes, None)
            .unwrap_or_else(|p| panic!("{}: {}", path.display(), render(&p)));
        let file = akkoord_io::file_v1::ScenarioFile::from_draft(&loaded.draft);
        let text = toml::to_string(&file).unwrap();
        let again = load("converted.toml", text.as_bytes(), Some(InputFormat::Toml))
            .unwrap_or_else(|p| panic!("{}", render(&p)));
        assert_eq!(again.scenario.actors.len(), loaded.scenario.actors.len());
        assert_eq!(
            again.scenario.candidate_count(),
            loaded.scenario.candidate_count()
        );
        assert_eq!(again.scenario.bodies, loaded.scenario.bodies);
    }
}

fn formats() -> impl Strategy<Value = Option<InputFormat>> {
    prop_oneof![
        Just(None),
        Just(Some(InputFormat::Toml)),
        Just(Some(InputFormat::Decide)),
        Just(Some(InputFormat::BdmTable))
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512), format in formats()) {
        let _ = load("fuzz", &bytes, format);
    }

    #[test]
    fn mangled_scenarios_never_panic(cut in 0usize..4000, insert in "[\\[\\]{}=#,;\t'\"0-9a-zA-Z. \n-]{0,12}", format in formats()) {
        let base = include_str!("../../../../cases/nato-2009.toml");
        let at = base.char_indices().map(|(i, _)| i).nth(cut % base.chars().count()).unwrap_or(0);
        let text = format!("{}{insert}{}", &base[..at], &base[at..]);
        let _ = load("mangled.toml", text.as_bytes(), format);
    }

    #[test]
    fn mangled_decide_rows_never_panic(rows in proptest::collection::vec("('?#[APMDO/0X]'?)?[\t;,]?[a-zA-Z0-9 .,'\"-]{0,10}([\t;,][a-zA-Z0-9 .,'\"-]{0,8}){0,6}", 0..12)) {
        let _ = load("rows.txt", rows.join("\n").as_bytes(), Some(InputFormat::Decide));
        let _ = load("rows.csv", rows.join("\n").as_bytes(), Some(InputFormat::BdmTable));
    }
}
