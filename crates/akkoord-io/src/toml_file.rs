//! Reading the native TOML scenario format, with the span of every field.

use std::ops::Range;

use akkoord_core::diag::FieldPath;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::file_v1::{FORMAT_VERSION, ScenarioFile};
use crate::spans::SpanMap;
use crate::{Parsed, RawProblem};

/// TOML nesting deeper than this is refused before parsing: scenarios need four levels, and
/// the limit keeps recursion bounded on hostile input.
const MAX_NESTING: usize = 32;

/// Parses a TOML scenario.
pub(crate) fn parse(text: &str) -> Result<Parsed, Vec<RawProblem>> {
    if let Some(at) = too_deep(text) {
        return Err(vec![
            RawProblem::new(
                format!("the file nests arrays or tables more than {MAX_NESTING} levels deep"),
                Some(at..at + 1),
            )
            .hint("a scenario never needs this much nesting; check the brackets"),
        ]);
    }
    let file: ScenarioFile = toml::from_str(text).map_err(|e| vec![syntax_problem(&e, text)])?;
    let mut spans = SpanMap::default();
    if let Ok(table) = DeTable::parse(text) {
        collect_table(table.get_ref(), &FieldPath::root(), &mut spans);
    }
    if file.format != FORMAT_VERSION {
        return Err(vec![RawProblem::new(
            format!("this akkoord reads scenario format {FORMAT_VERSION}, found format = {}", file.format),
            spans.locate(&FieldPath::root().key("format")),
        )
        .hint(format!("write format = {FORMAT_VERSION}, or use the akkoord version the file was written for"))]);
    }
    Ok(Parsed {
        draft: file.to_draft(),
        spans,
        format: crate::InputFormat::Toml,
        problems: Vec::new(),
    })
}

fn syntax_problem(e: &toml::de::Error, text: &str) -> RawProblem {
    let message = e.message().trim().to_owned();
    let found = e.span().and_then(|span| text.get(span)).unwrap_or("");
    let looks_like_date = found.len() >= 10
        && found.as_bytes()[4] == b'-'
        && found[..4].bytes().all(|b| b.is_ascii_digit());
    let problem = RawProblem::new(message.clone(), e.span());
    if message.contains("missing field `format`") {
        problem.hint("start the file with format = 1")
    } else if message.contains("datetime") || looks_like_date {
        problem.hint("write dates as quoted strings: as_of = \"2023-11-28\"")
    } else if message.contains("unknown field") {
        problem.hint("see docs/scenario-format.md for the fields of each table")
    } else if message.contains("expected f64") && key_before(text, e.span()) == Some("threshold") {
        problem.hint("threshold takes one share of the voting weight; for several, name the weight of each: thresholds = [{ weight = \"members\", at_least = 0.55 }, { weight = \"population\", at_least = 0.65 }]")
    } else {
        problem
    }
}

/// The key written just before a value's span on its line (`threshold` in
/// `threshold = [0.55, 0.65]`), for hints about a value of the wrong type.
fn key_before(text: &str, span: Option<Range<usize>>) -> Option<&str> {
    let start = span?.start;
    let line_start = text.get(..start)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = text.get(line_start..start)?.trim_end().strip_suffix('=')?;
    let key = before.trim().rsplit(['{', ',', ' ']).next()?;
    Some(key.trim())
}

/// Where nesting first goes deeper than [`MAX_NESTING`], counting brackets outside strings
/// and comments. An over-estimate is harmless: it only decides whether to parse at all.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string: Option<char> = None;
    let mut in_comment = false;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        if let Some(quote) = in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' && quote == '"' {
                escaped = true;
            } else if c == quote || c == '\n' {
                in_string = None;
            }
            continue;
        }
        match c {
            '#' => in_comment = true,
            '"' | '\'' => in_string = Some(c),
            '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(at);
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

pub(crate) fn collect_table(table: &DeTable<'_>, path: &FieldPath, spans: &mut SpanMap) {
    for (key, value) in table {
        collect_value(value, &path.key(key.get_ref()), spans);
    }
}

fn collect_value(value: &Spanned<DeValue<'_>>, path: &FieldPath, spans: &mut SpanMap) {
    let span: Range<usize> = value.span();
    spans.insert(path.clone(), span);
    match value.get_ref() {
        DeValue::Table(table) => collect_table(table, path, spans),
        DeValue::Array(array) => {
            for (i, item) in array.iter().enumerate() {
                collect_value(item, &path.index(i), spans);
            }
        }
        _ => {}
    }
}
