//! Fuzzes the DEU issue-table reader as `akkoord backtest --input-format deu` runs it, and the
//! scenario loader on the same bytes (which must refuse a DEU table with a located error): any
//! bytes give issues whose numbers lie on their scales, or located errors, the same both times.
#![no_main]

use akkoord_fuzz::{INPUT_NAME, assert_within, check_problems};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let first = akkoord_io::deu::read(INPUT_NAME, bytes);
    let second = akkoord_io::deu::read(INPUT_NAME, bytes);
    assert_eq!(
        format!("{first:?}"),
        format!("{second:?}"),
        "the same table read twice gave different results"
    );
    let decodable = akkoord_io::text::decode(bytes).is_ok();
    match first {
        Ok(issues) => {
            let lines = bytes.split(|b| *b == b'\n').count();
            for issue in &issues {
                assert!(!issue.id.is_empty(), "an issue without an id: {issue:?}");
                assert!(
                    (1..=lines).contains(&issue.line),
                    "issue {} on line {}",
                    issue.id,
                    issue.line
                );
                for (_, position, salience) in &issue.actors {
                    assert_within("position", *position, 0.0, 100.0);
                    assert_within("salience", *salience, 0.0, 1.0);
                }
                for value in [issue.reference_point, issue.outcome].into_iter().flatten() {
                    assert_within("reference point or outcome", value, 0.0, 100.0);
                }
                if let Some((_, month, day)) = issue.introduced {
                    assert!(
                        (1..=12).contains(&month) && (1..=31).contains(&day),
                        "date {:?}",
                        issue.introduced
                    );
                }
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "a refused table with no problem");
            check_problems(&problems, decodable);
        }
    }
    akkoord_fuzz::check_load(bytes, None);
});
