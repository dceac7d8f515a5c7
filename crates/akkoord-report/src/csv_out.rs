//! CSV output: one row per actor, issue and round, for spreadsheets and scripts.

use akkoord_core::backtest::AppointmentBacktest;
use akkoord_core::models::exchange::{ExchangeRun, Positions};
use akkoord_core::models::expected_utility::EuRun;
use akkoord_core::scenario::{IssueId, Scenario};
use akkoord_core::scoring::IssueBacktest;

use crate::json::action_label;

fn finish(writer: csv::Writer<Vec<u8>>) -> String {
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

/// `round,phase,issue,actor,position`: `preference` at the start of each round, `voting`
/// after its trades, `final` after the last round's update.
pub fn exchange(s: &Scenario, run: &ExchangeRun) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["round", "phase", "issue", "actor", "position"])
        .expect("in memory");
    let mut write = |round: u32, phase: &str, positions: &Positions| {
        for (d, list) in positions.iter().enumerate() {
            for (actor, x) in list {
                w.write_record([
                    round.to_string(),
                    phase.to_owned(),
                    s.issues[d].id.clone(),
                    s.actor(*actor).id.clone(),
                    x.to_string(),
                ])
                .expect("in memory");
            }
        }
    };
    for r in &run.rounds {
        write(r.round, "preference", &r.start_positions);
        write(r.round, "voting", &r.voting_positions);
    }
    if let Some(last) = run.rounds.last() {
        write(last.round + 1, "final", &last.positions);
    }
    finish(w)
}

/// `issue,round,actor,position,risk,action`.
pub fn bdm(s: &Scenario, runs: &[(IssueId, EuRun)]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["issue", "round", "actor", "position", "risk", "action"])
        .expect("in memory");
    for (id, run) in runs {
        let issue = &s.issues[id.index()];
        let ids: Vec<usize> = issue.positions.iter().map(|p| p.actor.index()).collect();
        for r in &run.rounds {
            for (n, actor) in ids.iter().enumerate() {
                let risk = r.risk.get(n).map(ToString::to_string).unwrap_or_default();
                let action = r
                    .actions
                    .get(n)
                    .map(|a| action_label(s, &ids, *a))
                    .unwrap_or_default();
                w.write_record([
                    issue.id.clone(),
                    r.round.to_string(),
                    s.actors[*actor].id.clone(),
                    r.positions[n].to_string(),
                    risk,
                    action,
                ])
                .expect("in memory");
            }
        }
    }
    finish(w)
}

/// Writes rows under a header as CSV.
pub fn rows(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("in memory");
    for row in rows {
        w.write_record(row).expect("in memory");
    }
    finish(w)
}

/// The outcomes of an appointment forecast: `id,label,probability,low,high`.
pub fn forecast(out: &crate::json::ForecastOutput) -> String {
    rows(
        &["id", "label", "probability", "low", "high"],
        out.outcomes.iter().map(|o| {
            vec![
                o.id.clone(),
                o.label.clone(),
                o.probability.to_string(),
                o.interval[0].to_string(),
                o.interval[1].to_string(),
            ]
        }),
    )
}

/// Each model's prediction for each issue: `issue,model,stated,mean,low,high`.
pub fn issue_forecast(out: &crate::json::IssueForecastOutput) -> String {
    rows(
        &["issue", "model", "stated", "mean", "low", "high"],
        out.issues.iter().flat_map(|i| {
            i.models.iter().map(|m| {
                vec![
                    i.issue.clone(),
                    m.model.to_owned(),
                    m.stated.to_string(),
                    m.mean.to_string(),
                    m.interval[0].to_string(),
                    m.interval[1].to_string(),
                ]
            })
        }),
    )
}

/// The cases of an appointment backtest, one row each.
pub fn backtest(b: &AppointmentBacktest) -> String {
    rows(
        &[
            "file",
            "title",
            "actual",
            "probability",
            "rank",
            "brier",
            "log_score",
            "naive_prediction",
            "naive_brier",
            "naive_log_score",
        ],
        b.cases.iter().map(|c| {
            vec![
                c.label.clone(),
                c.title.clone(),
                c.actual.clone(),
                c.probability.to_string(),
                c.rank.to_string(),
                c.brier.to_string(),
                c.log_score.to_string(),
                c.naive.prediction.clone(),
                c.naive.brier.to_string(),
                c.naive.log_score.to_string(),
            ]
        }),
    )
}

/// The models of an issue backtest, one row each.
pub fn issue_backtest(b: &IssueBacktest) -> String {
    rows(
        &["model", "n", "mae", "sd", "median"],
        b.models.iter().map(|m| {
            vec![
                m.model.clone(),
                m.overall.n.to_string(),
                m.overall.mae.to_string(),
                m.overall.sd.to_string(),
                m.overall.median.to_string(),
            ]
        }),
    )
}
