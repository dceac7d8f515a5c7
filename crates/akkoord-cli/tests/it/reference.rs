//! Access to the reference data in ../shared/reference, which is never committed into the
//! project (licences): tests read it at run time and fail with a clear message without it.

use std::io::Read;
use std::path::PathBuf;

use akkoord_io::Loaded;

/// The folder of the reference data.
pub(crate) fn root() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference");
    assert!(
        root.is_dir(),
        "the reference data is missing: expected it at {} (the shared/ folder beside the project); \
         conformance tests read it from there at run time",
        root.display()
    );
    root
}

/// The text of a reference file, gunzipped when its name ends in `.gz`.
pub(crate) fn read(relative: &str) -> String {
    let path = root().join(relative);
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    if std::path::Path::new(relative)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
    {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("cannot gunzip {}: {e}", path.display()));
        text
    } else {
        String::from_utf8(bytes).expect("reference files are UTF-8")
    }
}

/// A reference input, read and validated.
pub(crate) fn load(relative: &str) -> Loaded {
    let text = read(relative);
    akkoord_io::load(relative, text.as_bytes(), None)
        .unwrap_or_else(|problems| panic!("{relative} should be valid: {problems:?}"))
}

/// The rows of a CSV text, as maps from column name to value.
pub(crate) fn csv_rows(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    lines
        .filter(|l| !l.is_empty())
        .map(|line| {
            let fields = split_csv(line);
            header.iter().map(|h| (*h).to_owned()).zip(fields).collect()
        })
        .collect()
}

fn split_csv(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    fields.push(current);
    fields
}
