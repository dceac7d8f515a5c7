//! Reading Decide's `#A/#P/#M/#D` files (the exchange-model input format).
//!
//! Accepted: tab, `;` or `,` between fields, decided from the first data row; fields with or
//! without `'` or `"` quotes; comment rows `#/`, `#O` and `#0`; blank lines; rows with extra
//! fields; `#M` points in any order (the scale runs from the lowest to the highest point, or
//! 0..100 without points). Unlike Decide's own reader, every problem is reported with its
//! line, including duplicate `#D` rows and references to undefined actors or issues.

use std::collections::BTreeMap;

use akkoord_core::diag::FieldPath;
use akkoord_core::scenario::{ActorDraft, IssueDraft, PositionDraft, SalienceRange, ScenarioDraft};

use crate::spans::SpanMap;
use crate::text::{Field, Line, lines, split_fields};
use crate::{InputFormat, Parsed, RawProblem};

const ROW_KEYS: [&str; 7] = ["#A", "#P", "#M", "#D", "#/", "#O", "#0"];

/// Whether `text` looks like a Decide file: its first non-blank line starts with a row key.
pub(crate) fn looks_like(text: &str) -> bool {
    lines(text)
        .find(|l| !l.text.trim().is_empty())
        .is_some_and(|line| {
            // The first token, up to a delimiter or a space: a file with spaces between fields is
            // still recognised as Decide, so that its rows get Decide's diagnostics.
            let first = line
                .text
                .trim_start()
                .split(['\t', ';', ',', ' '])
                .next()
                .unwrap_or("")
                .trim();
            let unquoted = first.trim_matches(['\'', '"']);
            ROW_KEYS.contains(&unquoted) && unquoted.len() + 2 >= first.len()
        })
}

fn delimiter(text: &str) -> char {
    let data_line = lines(text)
        .map(|l| l.text)
        .find(|t| {
            ["#A", "#P", "#M", "#D"].iter().any(|k| {
                t.trim_start()
                    .trim_start_matches(['\'', '"'])
                    .starts_with(k)
            })
        })
        .unwrap_or("");
    ['\t', ';', ',']
        .into_iter()
        .find(|d| data_line.contains(*d))
        .unwrap_or('\t')
}

struct Reader<'a> {
    draft: ScenarioDraft,
    spans: SpanMap,
    problems: Vec<RawProblem>,
    actor_index: BTreeMap<String, usize>,
    issue_index: BTreeMap<String, usize>,
    scale_points: Vec<(Line<'a>, Vec<Field<'a>>)>,
    data_rows: Vec<(Line<'a>, Vec<Field<'a>>)>,
    powers: BTreeMap<String, f64>,
}

/// Parses a Decide file.
pub(crate) fn parse(text: &str) -> Parsed {
    let delimiter = delimiter(text);
    let mut r = Reader {
        draft: ScenarioDraft {
            salience_range: SalienceRange::UpToHundred,
            ..ScenarioDraft::default()
        },
        spans: SpanMap::default(),
        problems: Vec::new(),
        actor_index: BTreeMap::new(),
        issue_index: BTreeMap::new(),
        scale_points: Vec::new(),
        data_rows: Vec::new(),
        powers: BTreeMap::new(),
    };
    for line in lines(text) {
        if line.text.trim().is_empty() {
            continue;
        }
        let fields = split_fields(&line, delimiter);
        r.row(line, fields);
    }
    // Points and data refer to issues and actors by name, so they are read once all #A and
    // #P rows are known, whatever the order of the rows in the file.
    for (line, fields) in std::mem::take(&mut r.scale_points) {
        r.scale_point(&line, &fields);
    }
    for (line, fields) in std::mem::take(&mut r.data_rows) {
        r.data(&line, &fields);
    }
    for actor in &mut r.draft.actors {
        actor.capability = r.powers.get(&actor.id).copied().unwrap_or(0.0);
    }
    for (i, issue) in r.draft.issues.iter_mut().enumerate() {
        if issue.points.is_empty() {
            issue.lower = Some(0.0);
            issue.upper = Some(100.0);
        } else if issue.points.len() == 1 {
            let path = FieldPath::root()
                .key("issues")
                .index(i)
                .key("scale")
                .key("points")
                .index(0)
                .key("at");
            if let Some(span) = r.spans.locate(&path) {
                r.spans
                    .insert(FieldPath::root().key("issues").index(i).key("scale"), span);
            }
        }
    }
    if r.draft.actors.is_empty() && r.draft.issues.is_empty() && r.problems.is_empty() {
        r.problems.push(
            RawProblem::new("the Decide file has no #A or #P rows".into(), None).hint(
                "a Decide file lists actors (#A), issues (#P), scale points (#M) and data (#D)",
            ),
        );
    }
    let Reader {
        draft,
        spans,
        problems,
        ..
    } = r;
    Parsed {
        draft,
        spans,
        format: InputFormat::Decide,
        problems,
    }
}

fn line_span(line: &Line<'_>) -> std::ops::Range<usize> {
    line.offset..line.offset + line.text.len()
}

impl<'a> Reader<'a> {
    fn problem(&mut self, message: String, span: std::ops::Range<usize>) -> &mut RawProblem {
        self.problems.push(RawProblem::new(message, Some(span)));
        self.problems.last_mut().expect("a problem was just pushed")
    }

    /// Checks that a row has at least `names.len()` fields after its key.
    fn arity(&mut self, line: &Line<'_>, fields: &[Field<'_>], key: &str, names: &[&str]) -> bool {
        if fields.len() > names.len() {
            return true;
        }
        let found = fields.len() - 1;
        self.problem(
            format!(
                "a {key} row needs {} fields after the key ({}), found {found}",
                names.len(),
                names.join(", ")
            ),
            line_span(line),
        )
        .hints
        .push(format!(
            "line {}: check the delimiters between fields",
            line.number
        ));
        false
    }

    fn number(&mut self, field: &Field<'_>, what: &str) -> f64 {
        match field.text.parse::<f64>() {
            Ok(v) => v,
            Err(_) => {
                let p = self.problem(
                    format!("{what} must be a number, found \"{}\"", field.text),
                    field.span.clone(),
                );
                if field.text.contains(',') {
                    p.hints.push("use a decimal point, not a comma".into());
                }
                f64::NAN
            }
        }
    }

    fn row(&mut self, line: Line<'a>, fields: Vec<Field<'a>>) {
        let key = fields[0].text;
        match key {
            "#A" => {
                if !self.arity(&line, &fields, "#A", &["id"]) {
                    return;
                }
                let i = self.draft.actors.len();
                let path = FieldPath::root().key("actors").index(i);
                self.spans.insert(path.clone(), line_span(&line));
                self.spans.insert(path.key("id"), fields[1].span.clone());
                let name = fields.get(2).map(|f| f.text).filter(|t| !t.is_empty());
                self.actor_index
                    .entry(fields[1].text.to_owned())
                    .or_insert(i);
                self.draft.actors.push(ActorDraft {
                    id: fields[1].text.to_owned(),
                    name: name.map(str::to_owned),
                    ..ActorDraft::default()
                });
            }
            "#P" => {
                if !self.arity(&line, &fields, "#P", &["name"]) {
                    return;
                }
                let i = self.draft.issues.len();
                let path = FieldPath::root().key("issues").index(i);
                self.spans.insert(path.clone(), line_span(&line));
                self.spans.insert(path.key("id"), fields[1].span.clone());
                self.spans.insert(path.key("scale"), line_span(&line));
                self.issue_index
                    .entry(fields[1].text.to_owned())
                    .or_insert(i);
                let description = fields
                    .get(2)
                    .map(|f| f.text)
                    .filter(|t| !t.is_empty() && *t != fields[1].text);
                self.draft.issues.push(IssueDraft {
                    id: fields[1].text.to_owned(),
                    name: description.map(str::to_owned),
                    ..IssueDraft::default()
                });
            }
            "#M" => {
                if self.arity(&line, &fields, "#M", &["issue", "position"]) {
                    self.scale_points.push((line, fields));
                }
            }
            "#D" => {
                if self.arity(
                    &line,
                    &fields,
                    "#D",
                    &["actor", "issue", "position", "salience", "power"],
                ) {
                    self.data_rows.push((line, fields));
                }
            }
            "#O" | "#0" => {
                if self.draft.title.is_none() {
                    self.draft.title = fields
                        .get(1)
                        .map(|f| f.text.to_owned())
                        .filter(|t| !t.is_empty());
                }
            }
            "#/" => {}
            other => {
                let p = self.problem(
                    format!("unknown row type \"{other}\""),
                    fields[0].span.clone(),
                );
                if ROW_KEYS.iter().any(|k| other.starts_with(k)) {
                    p.hints
                        .push("separate the fields with tabs, ';' or ',' (not spaces)".into());
                }
                p.hints.push(
                    "Decide rows start with #A, #P, #M, #D, or #/ and #O for comments".into(),
                );
                if let Some(near) = akkoord_core::diag::closest(other, ROW_KEYS) {
                    p.hints.push(format!("did you mean \"{near}\"?"));
                }
            }
        }
    }

    fn lookup(
        &mut self,
        field: &Field<'_>,
        what: &str,
        index: &BTreeMap<String, usize>,
        row: &str,
    ) -> Option<usize> {
        if let Some(&i) = index.get(field.text) {
            return Some(i);
        }
        let p = self.problem(
            format!("unknown {what} \"{}\"", field.text),
            field.span.clone(),
        );
        p.hints
            .push(format!("every {what} must be defined by a {row} row"));
        if let Some(near) =
            akkoord_core::diag::closest(field.text, index.keys().map(String::as_str))
        {
            p.hints.push(format!("did you mean \"{near}\"?"));
        }
        None
    }

    fn scale_point(&mut self, line: &Line<'_>, fields: &[Field<'_>]) {
        let issue_index = self.issue_index.clone();
        let Some(i) = self.lookup(&fields[1], "issue", &issue_index, "#P") else {
            return;
        };
        let at = self.number(&fields[2], "scale point");
        let label = fields.get(3).map_or("", |f| f.text).to_owned();
        let n = self.draft.issues[i].points.len();
        let path = FieldPath::root()
            .key("issues")
            .index(i)
            .key("scale")
            .key("points")
            .index(n);
        self.spans.insert(path.clone(), line_span(line));
        self.spans.insert(path.key("at"), fields[2].span.clone());
        self.draft.issues[i].points.push((at, label));
    }

    fn data(&mut self, line: &Line<'_>, fields: &[Field<'_>]) {
        let actor_index = self.actor_index.clone();
        let issue_index = self.issue_index.clone();
        let actor = self.lookup(&fields[1], "actor", &actor_index, "#A");
        let issue = self.lookup(&fields[2], "issue", &issue_index, "#P");
        let position = self.number(&fields[3], "position");
        let salience = self.number(&fields[4], "salience");
        let power = self.number(&fields[5], "power");
        let (Some(_), Some(i)) = (actor, issue) else {
            return;
        };
        let j = self.draft.issues[i].positions.len();
        let path = FieldPath::root()
            .key("issues")
            .index(i)
            .key("positions")
            .index(j);
        self.spans.insert(path.clone(), line_span(line));
        let named = [
            ("actor", &fields[1]),
            ("position", &fields[3]),
            ("salience", &fields[4]),
            ("capability", &fields[5]),
        ];
        for (key, field) in named {
            self.spans.insert(path.key(key), field.span.clone());
        }
        if power.is_finite() {
            let best = self
                .powers
                .entry(fields[1].text.to_owned())
                .or_insert(power);
            *best = best.max(power);
        }
        self.draft.issues[i].positions.push(PositionDraft {
            actor: fields[1].text.to_owned(),
            position,
            salience,
            capability: Some(power),
            ..PositionDraft::default()
        });
    }
}
