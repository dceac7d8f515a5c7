//! Reading the BDM table: `actor,capability,position,salience`, one row per actor.
//!
//! This is the layout of the expected-utility literature's published data sets. It becomes a
//! scenario with one issue, `issue`, whose scale runs from the lowest to the highest position
//! (the actors' range, as the published implementations use).

use akkoord_core::diag::{FieldPath, closest};
use akkoord_core::scenario::{ActorDraft, IssueDraft, PositionDraft, ScenarioDraft};

use crate::spans::SpanMap;
use crate::text::{Field, Line, lines, split_fields};
use crate::{InputFormat, Parsed, RawProblem};

const COLUMNS: [&str; 4] = ["actor", "capability", "position", "salience"];

/// Whether `text` starts with the BDM table's header, or a comma-separated header close to it
/// (at least two of its columns, spelt right or nearly), so that a missing or misspelt
/// column is reported as such rather than as bad TOML.
pub(crate) fn looks_like(text: &str) -> bool {
    lines(text)
        .find(|l| !l.text.trim().is_empty())
        .is_some_and(|line| {
            let text = line.text.trim_start();
            if text.starts_with(['#', '[']) || text.contains('=') {
                return false;
            }
            let near_columns = split_fields(&line, ',')
                .iter()
                .filter(|f| closest(f.text, COLUMNS).is_some())
                .count();
            near_columns >= 2
        })
}

/// What a BDM table needs, for messages.
const NEEDED: &str =
    "a BDM table needs the columns actor, capability, position and salience, in any order";

/// The column of each of [`COLUMNS`] in the header, or every problem with the header.
fn header_columns(header: &Line<'_>, fields: &[Field<'_>]) -> Result<[usize; 4], Vec<RawProblem>> {
    let mut columns: [Option<usize>; 4] = [None; 4];
    let mut problems = Vec::new();
    let mut unknown = Vec::new();
    for (at, field) in fields.iter().enumerate() {
        match COLUMNS
            .iter()
            .position(|c| c.eq_ignore_ascii_case(field.text))
        {
            Some(c) => match columns[c] {
                None => columns[c] = Some(at),
                Some(first) => problems.push(
                    RawProblem::new(
                        format!(
                            "the column \"{}\" appears twice (columns {} and {})",
                            COLUMNS[c],
                            first + 1,
                            at + 1
                        ),
                        Some(field.span.clone()),
                    )
                    .hint("remove or rename one of them: a BDM table has one column of each"),
                ),
            },
            None => unknown.push(field),
        }
    }
    let missing: Vec<&str> = COLUMNS
        .iter()
        .zip(columns)
        .filter(|(_, at)| at.is_none())
        .map(|(name, _)| *name)
        .collect();
    let lone_pair = unknown.len() == 1 && missing.len() == 1;
    for name in missing {
        let near = unknown
            .iter()
            .position(|f| closest(f.text, [name]).is_some());
        match near {
            Some(i) => {
                let field = unknown.remove(i);
                problems.push(
                    RawProblem::new(
                        format!("unknown column \"{}\"; {NEEDED}", field.text),
                        Some(field.span.clone()),
                    )
                    .hint(format!("did you mean {name}?")),
                );
            }
            None if lone_pair => problems.push(
                RawProblem::new(
                    format!(
                        "the header lacks the column {name}, and \"{}\" is not a column of a BDM table; {NEEDED}",
                        unknown[0].text
                    ),
                    Some(unknown[0].span.clone()),
                )
                .hint(format!("if this column holds the {name}, name it {name}")),
            ),
            None => problems.push(
                RawProblem::new(
                    format!("the header lacks the column {name}; {NEEDED}"),
                    Some(header.offset..header.offset + header.text.len()),
                )
                .hint("start the table with the header actor,capability,position,salience"),
            ),
        }
    }
    if problems.is_empty() {
        Ok(columns.map(|c| c.expect("every column was found: missing ones are problems")))
    } else {
        problems.sort_by_key(|p| p.span.as_ref().map(|s| s.start));
        Err(problems)
    }
}

/// Parses a BDM table.
#[allow(clippy::too_many_lines)] // header, rows and scale of one small format
pub(crate) fn parse(text: &str) -> Result<Parsed, Vec<RawProblem>> {
    let mut all_lines = lines(text).filter(|l| !l.text.trim().is_empty());
    let Some(header) = all_lines.next() else {
        return Err(vec![RawProblem::new("the table is empty".into(), None)]);
    };
    let header_fields = split_fields(&header, ',');
    let columns = header_columns(&header, &header_fields)?;
    let mut draft = ScenarioDraft::default();
    let mut spans = SpanMap::default();
    let mut problems = Vec::new();
    let mut issue = IssueDraft {
        id: "issue".into(),
        ..IssueDraft::default()
    };
    let issue_path = FieldPath::root().key("issues").index(0);
    for line in all_lines {
        let fields = split_fields(&line, ',');
        let row_span = line.offset..line.offset + line.text.len();
        if fields.len() != header_fields.len() {
            problems.push(
                RawProblem::new(
                    format!(
                        "a row needs {} fields like the header, found {}",
                        header_fields.len(),
                        fields.len()
                    ),
                    Some(row_span),
                )
                .hint("rows are actor,capability,position,salience"),
            );
            continue;
        }
        let mut number = |field: &Field<'_>, what: &str| {
            field.text.parse::<f64>().unwrap_or_else(|_| {
                problems.push(RawProblem::new(
                    format!("{what} must be a number, found \"{}\"", field.text),
                    Some(field.span.clone()),
                ));
                f64::NAN
            })
        };
        let [actor, capability, position, salience] = columns.map(|c| &fields[c]);
        let capability_value = number(capability, "capability");
        let position_value = number(position, "position");
        let salience_value = number(salience, "salience");
        let i = draft.actors.len();
        let actor_path = FieldPath::root().key("actors").index(i);
        spans.insert(actor_path.clone(), row_span.clone());
        spans.insert(actor_path.key("id"), actor.span.clone());
        spans.insert(actor_path.key("capability"), capability.span.clone());
        let position_path = issue_path.key("positions").index(i);
        spans.insert(position_path.clone(), row_span);
        spans.insert(position_path.key("actor"), actor.span.clone());
        spans.insert(position_path.key("position"), position.span.clone());
        spans.insert(position_path.key("salience"), salience.span.clone());
        draft.actors.push(ActorDraft {
            id: actor.text.to_owned(),
            capability: capability_value,
            ..ActorDraft::default()
        });
        issue.positions.push(PositionDraft {
            actor: actor.text.to_owned(),
            position: position_value,
            salience: salience_value,
            ..PositionDraft::default()
        });
    }
    if draft.actors.is_empty() && problems.is_empty() {
        return Err(vec![
            RawProblem::new(
                "the table has a header but no rows; expected one row per actor".into(),
                Some(header.offset..header.offset + header.text.len()),
            )
            .hint("add rows such as Netherlands,0.08,4.0,0.8"),
        ]);
    }
    let finite = issue
        .positions
        .iter()
        .map(|p| p.position)
        .filter(|x| x.is_finite());
    let lower = finite.clone().min_by(f64::total_cmp);
    let upper = finite.max_by(f64::total_cmp);
    if let (Some(lower), Some(upper)) = (lower, upper) {
        // The actors' range is the model's Δ; when every actor agrees the scale is widened by
        // one unit on each side so that it stays a scale, and the model predicts the agreement.
        let (lower, upper) = if lower < upper {
            (lower, upper)
        } else {
            (lower - 1.0, upper + 1.0)
        };
        issue.lower = Some(lower);
        issue.upper = Some(upper);
    }
    spans.insert(issue_path, header.offset..header.offset + header.text.len());
    draft.issues.push(issue);
    Ok(Parsed {
        draft,
        spans,
        format: InputFormat::BdmTable,
        problems,
    })
}
