//! Terminal tables for people: the trajectory of each outcome, round by round.

use std::fmt::Write;

use akkoord_core::models::exchange::ExchangeRun;
use akkoord_core::models::expected_utility::EuRun;
use akkoord_core::scenario::{IssueId, Scenario};
use comfy_table::{Cell, CellAlignment, Table, presets::UTF8_FULL_CONDENSED};

/// Formats a number for a table: four significant decimals.
pub fn number(x: f64) -> String {
    format!("{x:.4}")
}

fn table(header: Vec<String>) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(header);
    t
}

fn right(text: String) -> Cell {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

/// The outcome of every issue after every round of an exchange run, and the trades made.
pub fn exchange(s: &Scenario, run: &ExchangeRun) -> String {
    let mut header = vec!["issue".to_owned(), "start".to_owned()];
    header.extend(run.rounds.iter().map(|r| format!("r{}", r.round)));
    let mut t = table(header);
    for (d, issue) in s.issues.iter().enumerate() {
        let mut row = vec![Cell::new(&issue.id)];
        if let Some((_, outcomes)) = run.initial() {
            row.push(right(number(outcomes[d])));
        }
        row.extend(run.rounds.iter().map(|r| right(number(r.outcomes[d]))));
        t.add_row(row);
    }
    let mut trades = vec![Cell::new("trades"), Cell::new("")];
    trades.extend(run.rounds.iter().map(|r| right(r.trades.len().to_string())));
    t.add_row(trades);
    format!("Exchange model (Equal Gain): outcome of each issue after each round\n{t}\n")
}

/// The median and mean of each issue, round by round.
pub fn bdm(s: &Scenario, preset: &str, runs: &[(IssueId, EuRun)]) -> String {
    let mut out = String::new();
    for (id, run) in runs {
        let issue = &s.issues[id.index()];
        let mut t = table(vec![
            "round".into(),
            "median (outcome)".into(),
            "mean".into(),
            "moves".into(),
        ]);
        for r in &run.rounds {
            let moves = r.actions.iter().filter(|a| a.partner().is_some()).count();
            t.add_row(vec![
                right(r.round.to_string()),
                right(number(r.median)),
                right(number(r.mean)),
                right(moves.to_string()),
            ]);
        }
        let stop = crate::json::stop_json(run);
        let detail = match (stop.period, stop.cycle_median) {
            (Some(period), Some(median)) => {
                format!(
                    ": period {period}, median {} on average over the cycle",
                    number(median)
                )
            }
            _ => String::new(),
        };
        let _ = write!(
            out,
            "Expected-utility model ({preset}) on {}\n{t}\nstopped after {} rounds: {}{detail}\n\n",
            issue.id, stop.rounds, stop.reason
        );
    }
    out
}
