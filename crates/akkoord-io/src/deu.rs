//! Reading the DEU issue table (Decision-making in the European Union: Thomson et al. 2006,
//! 2012; Arregui & Perarnaud 2022): one row per contested issue of an EU legislative proposal,
//! with the position (0..100) and salience (0..100) of the Commission, the Parliament and every
//! member state, the reference point and the outcome.
//!
//! The layout is the DEU III deposit's 75 columns, tab- or semicolon-separated, with or without
//! quotes. A row without a proposal number and issue id (the blksv copy adds one, holding GDP
//! weights) is skipped. Every other problem is reported with its line and column.

use std::ops::Range;
use std::sync::Arc;

use akkoord_core::diag::Severity;
use miette::NamedSource;

use crate::text::{Field, Line, decode, lines, split_fields};
use crate::{Problem, RawProblem};

/// The columns every DEU table has besides the actors' positions and saliences.
const REQUIRED: [&str; 8] = [
    "prnrnmc", "prnr", "isnr", "proc", "counvte", "intro", "rp", "out",
];

/// The header of a DEU table: its first non-blank line, and its delimiter.
fn header(text: &str) -> Option<(Line<'_>, char)> {
    let header = lines(text).find(|l| !l.text.trim().is_empty())?;
    let delimiter = if header.text.contains('\t') {
        '\t'
    } else {
        ';'
    };
    Some((header, delimiter))
}

/// Whether `text` starts with a DEU header: at least half of the columns that are not
/// positions or saliences, so that a damaged header is still read (and reported) as DEU.
pub fn looks_like(text: &str) -> bool {
    header(text).is_some_and(|(line, delimiter)| {
        let names: Vec<String> = split_fields(&line, delimiter)
            .iter()
            .map(|f| f.text.to_ascii_lowercase())
            .collect();
        let found = REQUIRED
            .iter()
            .filter(|r| names.iter().any(|n| n == *r))
            .count();
        found * 2 >= REQUIRED.len()
    })
}

/// The problem with reading a DEU table as one scenario.
pub(crate) fn not_a_scenario(text: &str) -> RawProblem {
    let span = header(text).map(|(line, _)| line.offset..line.offset + line.text.len());
    RawProblem::new(
        "this is a DEU issue table (many EU decisions), not a scenario".into(),
        span,
    )
    .hint("score every model on it with: akkoord backtest FILE (the DEU table is recognised by its header)")
    .hint("check, forecast, run, report and convert read one scenario: TOML, Decide or a BDM table")
}

/// The DEU actor codes, in column order: Commission, Parliament, then the member states.
pub const ACTORS: [&str; 30] = [
    "com", "ep", "at", "be", "bu", "cr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "el", "hu",
    "ie", "it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "si", "sk", "es", "se", "uk",
];

/// One contested issue.
#[derive(Clone, Debug, PartialEq)]
pub struct DeuIssue {
    /// The issue id (`isnr`), such as `d00032i1`.
    pub id: String,
    /// The proposal id (`prnr`).
    pub proposal: String,
    /// The proposal number (`prnrnmc`): issues of one proposal share it.
    pub proposal_number: String,
    /// `COD` (codecision) or `CNS` (consultation).
    pub procedure: String,
    /// The Council's voting rule: `QMV`, `Unan`, ...
    pub voting_rule: String,
    /// The year, month and day the Commission introduced the proposal, repaired where a
    /// spreadsheet rewrote `DD-MM-YY` as `YYYY-MM-DD`.
    pub introduced: Option<(u32, u32, u32)>,
    /// Actors with both a position and a salience: `(code, position, salience on 0..1)`.
    pub actors: Vec<(&'static str, f64, f64)>,
    /// The policy that would hold without a new law.
    pub reference_point: Option<f64>,
    /// The decision outcome.
    pub outcome: Option<f64>,
    /// The line of the row.
    pub line: usize,
}

impl DeuIssue {
    /// Whether the issue can be scored: an outcome and at least three actors.
    pub fn scorable(&self) -> bool {
        self.outcome.is_some() && self.actors.len() >= 3
    }
}

struct Reader<'a> {
    source: Arc<NamedSource<String>>,
    problems: Vec<Problem>,
    fields: Vec<Field<'a>>,
}

impl Reader<'_> {
    /// The issue of the current row.
    fn issue(
        &mut self,
        actor_columns: &[(&'static str, Option<usize>, Option<usize>)],
        col: &dyn Fn(&str) -> usize,
        line: usize,
    ) -> DeuIssue {
        let mut actors = Vec::new();
        for (code, p, s) in actor_columns {
            let position = self.scale_value(
                p.expect("checked with the header"),
                &format!("position of {code}"),
            );
            let salience = self.scale_value(
                s.expect("checked with the header"),
                &format!("salience of {code}"),
            );
            if let (Some(x), Some(s)) = (position, salience) {
                actors.push((*code, x, s / 100.0));
            }
        }
        let text = |n: &str| self.fields[col(n)].text.to_owned();
        let issue = DeuIssue {
            id: text("isnr"),
            proposal: text("prnr"),
            proposal_number: text("prnrnmc"),
            procedure: text("proc"),
            voting_rule: text("counvte"),
            introduced: date(&text("intro")),
            actors,
            reference_point: self.scale_value(col("rp"), "reference point"),
            outcome: self.scale_value(col("out"), "outcome"),
            line,
        };
        if issue.id.is_empty() {
            let span = self.fields[col("isnr")].span.clone();
            self.problem("the issue id (isnr) must not be empty".into(), span, None);
        }
        issue
    }

    fn problem(&mut self, message: String, span: Range<usize>, hint: Option<&str>) {
        self.problems.push(
            Problem {
                severity: Severity::Error,
                message,
                span: Some(span),
                hints: hint.map(str::to_owned).into_iter().collect(),
                source: Arc::clone(&self.source),
                topic: akkoord_core::diag::Topic::General,
            }
            .clipped(),
        );
    }

    /// A number on 0..100, or `None` when blank (or `999`, DEU's "no value").
    fn scale_value(&mut self, column: usize, what: &str) -> Option<f64> {
        let field = self.fields[column].clone();
        let text = field.text.trim();
        if text.is_empty() || text == "999" {
            return None;
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && (0.0..=100.0).contains(&v) => Some(v),
            Ok(v) => {
                self.problem(
                    format!("{what} must be between 0 and 100, found {v}"),
                    field.span,
                    Some(
                        "DEU scales run from 0 to 100; leave the cell blank when there is no value",
                    ),
                );
                None
            }
            Err(_) => {
                self.problem(
                    format!("{what} must be a number, found \"{text}\""),
                    field.span,
                    None,
                );
                None
            }
        }
    }
}

/// Repairs and reads a DEU date: `DD-MM-YY`, `DD-MM-YYYY`, or `YYYY-MM-DD` that a spreadsheet
/// made of `DD-MM-YY` (the day is then the last two digits of the "year").
fn date(text: &str) -> Option<(u32, u32, u32)> {
    let parts: Vec<u32> = text
        .split('-')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let century = |yy: u32| if yy >= 90 { 1900 + yy } else { 2000 + yy };
    let (year, month, day) = match text.split('-').next().map(str::len) {
        Some(4) => (century(*c), *b, a % 100),
        _ if *c >= 100 => (*c, *b, *a),
        _ => (century(*c), *b, *a),
    };
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

/// Reads a DEU issue table.
pub fn read(name: &str, bytes: &[u8]) -> Result<Vec<DeuIssue>, Vec<Problem>> {
    let text = decode(bytes).map_err(|p| {
        vec![Problem {
            severity: Severity::Error,
            message: p.message(),
            span: None,
            hints: vec![p.hint().to_owned()],
            source: Arc::new(NamedSource::new(name, String::new())),
            topic: akkoord_core::diag::Topic::General,
        }]
    })?;
    let text: &str = &text;
    let source = Arc::new(NamedSource::new(name, text.to_owned()));
    let Some((header, delimiter)) = header(text) else {
        return Ok(Vec::new());
    };
    let all = lines(text)
        .filter(|l| !l.text.trim().is_empty())
        .skip_while(|l| l.number <= header.number);
    let names: Vec<String> = split_fields(&header, delimiter)
        .iter()
        .map(|f| f.text.to_ascii_lowercase())
        .collect();
    let column = |name: &str| names.iter().position(|n| n == name);
    let mut reader = Reader {
        source: Arc::clone(&source),
        problems: Vec::new(),
        fields: Vec::new(),
    };
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|n| column(n).is_none())
        .collect();
    let actor_columns: Vec<(&'static str, Option<usize>, Option<usize>)> = ACTORS
        .iter()
        .map(|a| (*a, column(&format!("p{a}")), column(&format!("s{a}"))))
        .collect();
    if !missing.is_empty()
        || actor_columns
            .iter()
            .any(|(_, p, s)| p.is_none() || s.is_none())
    {
        reader.problem(
            format!("this is not a DEU issue table: the header lacks {}", if missing.is_empty() { "actor columns".to_owned() } else { missing.join(", ") }),
            header.offset..header.offset + header.text.len(),
            Some("the header must name prnrnmc, prnr, isnr, proc, counvte, intro, rp, out and p<actor>/s<actor> for every DEU actor"),
        );
        return Err(reader.problems);
    }
    let col = |n: &str| column(n).expect("checked above");
    let mut issues = Vec::new();
    for line in all {
        let fields = split_fields(&line, delimiter);
        if fields.len() != names.len() {
            reader.problem(
                format!(
                    "a row needs {} fields like the header, found {}",
                    names.len(),
                    fields.len()
                ),
                line.offset..line.offset + line.text.len(),
                Some("check the delimiters of this row"),
            );
            continue;
        }
        if fields[col("prnrnmc")].text.is_empty() && fields[col("isnr")].text.is_empty() {
            continue;
        }
        reader.fields = fields;
        let issue = reader.issue(&actor_columns, &col, line.number);
        issues.push(issue);
    }
    if reader.problems.is_empty() {
        Ok(issues)
    } else {
        Err(reader.problems)
    }
}

/// Council voting weights by member state and treaty regime (`eucouncil_weights.csv`:
/// `id,name,eu9,eu10,eu12,eu15,eu25_bv,eu25_bp,eu25_av,eu25_ap`).
#[derive(Clone, Debug, Default)]
pub struct CouncilWeights {
    /// `(DEU code, eu15, eu25 before Nice, eu25 after Nice (Nice votes), population)`.
    rows: Vec<(&'static str, [Option<f64>; 4])>,
}

/// The member states' names in the weights file, by DEU code.
const NAMES: [(&str, &str); 28] = [
    ("at", "Austria"),
    ("be", "Belgium"),
    ("bu", "Bulgaria"),
    ("cr", "Croatia"),
    ("cy", "Cyprus"),
    ("cz", "Czech Republic"),
    ("dk", "Denmark"),
    ("ee", "Estonia"),
    ("fi", "Finland"),
    ("fr", "France"),
    ("de", "Germany"),
    ("el", "Greece"),
    ("hu", "Hungary"),
    ("ie", "Ireland"),
    ("it", "Italy"),
    ("lv", "Latvia"),
    ("lt", "Lithuania"),
    ("lu", "Luxembourg"),
    ("mt", "Malta"),
    ("nl", "Netherlands"),
    ("pl", "Poland"),
    ("pt", "Portugal"),
    ("ro", "Romania"),
    ("si", "Slovenia"),
    ("sk", "Slovakia"),
    ("es", "Spain"),
    ("se", "Sweden"),
    ("uk", "United Kingdom"),
];

impl CouncilWeights {
    /// Reads the weights table.
    pub fn read(name: &str, bytes: &[u8]) -> Result<Self, Vec<Problem>> {
        let problem = |message: String, span: Option<Range<usize>>, text: &str| Problem {
            severity: Severity::Error,
            message,
            span,
            hints: Vec::new(),
            source: Arc::new(NamedSource::new(name, text.to_owned())),
            topic: akkoord_core::diag::Topic::General,
        };
        let text = decode(bytes).map_err(|p| vec![problem(p.message(), None, "")])?;
        let text: &str = &text;
        let mut all = lines(text).filter(|l| !l.text.trim().is_empty());
        let header = all
            .next()
            .ok_or_else(|| vec![problem("the weights table is empty".into(), None, text)])?;
        let names: Vec<&str> = split_fields(&header, ',').iter().map(|f| f.text).collect();
        let columns =
            ["eu15", "eu25_bv", "eu25_av", "eu25_ap"].map(|c| names.iter().position(|n| *n == c));
        let Some(name_column) = names.iter().position(|n| *n == "name") else {
            return Err(vec![problem(
                "the weights table needs a name column".into(),
                Some(header.offset..header.offset + header.text.len()),
                text,
            )]);
        };
        let mut rows = Vec::new();
        for line in all {
            let fields = split_fields(&line, ',');
            let Some(code) = fields
                .get(name_column)
                .and_then(|f| NAMES.iter().find(|(_, n)| *n == f.text))
                .map(|(c, _)| *c)
            else {
                continue;
            };
            let weights = columns.map(|c| {
                c.and_then(|c| fields.get(c))
                    .and_then(|f| f.text.parse::<f64>().ok())
                    .filter(|w| w.is_finite() && *w >= 0.0)
            });
            rows.push((code, weights));
        }
        Ok(Self { rows })
    }

    /// The weight of a member state under the regime in force on `date` (EU-15 votes before
    /// 1 May 2004, EU-25 votes before Nice until 31 October 2004, Nice votes until 31 October
    /// 2014, population from 1 November 2014).
    pub fn weight(&self, code: &str, date: Option<(u32, u32, u32)>) -> Option<f64> {
        let regime = match date {
            Some(d) if d >= (2014, 11, 1) => 3,
            Some(d) if d >= (2004, 11, 1) => 2,
            Some(d) if d >= (2004, 5, 1) => 1,
            _ => 0,
        };
        let (_, weights) = self.rows.iter().find(|(c, _)| *c == code)?;
        weights[regime].or_else(|| weights.iter().rev().flatten().next().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_dates_are_repaired() {
        assert_eq!(date("26-01-00"), Some((2000, 1, 26)));
        assert_eq!(date("1930-05-01"), Some((2001, 5, 30)));
        assert_eq!(date("2024-05-17"), Some((2017, 5, 24)));
        assert_eq!(date("03-10-2012"), Some((2012, 10, 3)));
        assert_eq!(date("999"), None);
    }
}
