//! Terminal tables for people: the trajectory of each outcome, round by round.

use std::fmt::Write;

use akkoord_core::models::exchange::ExchangeRun;
use akkoord_core::models::expected_utility::EuRun;
use akkoord_core::scenario::{IssueId, Scenario};
use comfy_table::{Cell, CellAlignment, Table, presets::UTF8_FULL_CONDENSED};

use crate::json::ForecastOutput;

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

fn percent(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// The brief of an appointment forecast: favourite, outcomes, holdouts, deals, levers and the
/// consensus map.
pub fn forecast(s: &Scenario, out: &ForecastOutput) -> String {
    let a = s
        .appointment
        .as_ref()
        .expect("appointment forecasts come from appointments");
    let as_of = s
        .meta
        .as_of
        .as_deref()
        .map(|d| format!(", as of {d}"))
        .unwrap_or_default();
    let title = if s.meta.title.is_empty() {
        &a.name
    } else {
        &s.meta.title
    };
    let mut text = format!(
        "{title}{as_of}: {} ({} draws, seed {})\n\n",
        a.name, out.runs, out.seed
    );
    for section in [
        headline(out),
        outcomes(out),
        holdouts(out),
        deals(out),
        levers(out),
        map(out),
    ] {
        text.push_str(&section);
    }
    text
}

fn headline(out: &ForecastOutput) -> String {
    let Some(best) = out
        .outcomes
        .iter()
        .max_by(|x, y| x.probability.total_cmp(&y.probability))
    else {
        return String::new();
    };
    let timing = out
        .timing
        .iter()
        .max_by(|x, y| {
            x.probability
                .total_cmp(&y.probability)
                .then(y.round.cmp(&x.round))
        })
        .filter(|t| t.probability > 0.0)
        .map(|t| match &out.agreement_by {
            Some(date) => format!(
                "; agreement most likely by {}",
                akkoord_core::calendar::month_year(date)
            ),
            None => format!(
                "; agreement most often in round {} of {}",
                t.round,
                out.timing.len() - 1
            ),
        })
        .unwrap_or_default();
    format!(
        "Most likely: {} at {}{timing}\n\n",
        best.label,
        percent(best.probability)
    )
}

fn outcomes(out: &ForecastOutput) -> String {
    let mut t = table(vec![
        "outcome".into(),
        "probability".into(),
        "95% interval".into(),
    ]);
    for o in &out.outcomes {
        let interval = format!("{}–{}", percent(o.interval[0]), percent(o.interval[1]));
        t.add_row(vec![
            Cell::new(&o.label),
            right(percent(o.probability)),
            right(interval),
        ]);
    }
    format!("{t}\n\n")
}

fn holdouts(out: &ForecastOutput) -> String {
    if out.blockers.is_empty() {
        return String::new();
    }
    let mut t = table(vec![
        "holdout".into(),
        "blocks the winner at the start".into(),
        "last to consent".into(),
        "still blocks at the end".into(),
    ]);
    for b in out.blockers.iter().take(10) {
        t.add_row(vec![
            Cell::new(&b.actor),
            right(percent(b.probability)),
            right(percent(b.last_holdout)),
            right(percent(b.at_end)),
        ]);
    }
    format!("Holdouts (share of draws)\n{t}\n\n")
}

fn deals(out: &ForecastOutput) -> String {
    if out.deals.is_empty() {
        return String::new();
    }
    let mut text = "Deals that unlock consent\n".to_owned();
    for d in out.deals.iter().take(8) {
        let _ = if d.issue == "side-payment" {
            writeln!(
                text,
                "  {} consents to {} for a side payment worth {:.3} ({} of draws)",
                d.actor,
                d.candidate,
                d.mean_price,
                percent(d.probability)
            )
        } else {
            writeln!(
                text,
                "  {} consents to {} for a move of {} by {:+.1} toward it ({} of draws)",
                d.actor,
                d.candidate,
                d.issue,
                d.mean_shift,
                percent(d.probability)
            )
        };
    }
    text + "\n"
}

fn levers(out: &ForecastOutput) -> String {
    if out.levers.is_empty() {
        return String::new();
    }
    let mut text = "Levers: stance changes that move the favourite most\n".to_owned();
    for l in &out.levers {
        let verb = if l.change > 0.0 { "rose" } else { "fell" };
        let _ = writeln!(
            text,
            "  if {}'s support for {} {verb} by {:.0} points: {} -> {}",
            l.actor,
            l.candidate,
            l.change.abs(),
            percent(l.before),
            percent(l.after)
        );
    }
    text + "\n"
}

fn map(out: &ForecastOutput) -> String {
    let mut t = table(vec![
        "candidate".into(),
        "passes now".into(),
        "weighted support".into(),
        "blocked by".into(),
    ]);
    for m in &out.map {
        let blocked = if m.blockers.is_empty() {
            "nobody".to_owned()
        } else {
            m.blockers.join(", ")
        };
        let passes = Cell::new(if m.passes { "yes" } else { "no" });
        t.add_row(vec![
            Cell::new(&m.candidate),
            passes,
            right(percent(m.weighted_support)),
            Cell::new(blocked),
        ]);
    }
    let nash = out.nash_choice.as_deref().map_or_else(
        || "No candidate passes as the scenario stands.".to_owned(),
        |c| format!("Nash bargaining choice among candidates that pass now: {c}"),
    );
    format!("Consensus map as the scenario stands\n{t}\n{nash}\n")
}

/// Each model's prediction for each continuous issue, with its interval.
pub fn issue_forecast(out: &crate::json::IssueForecastOutput) -> String {
    let mut text = format!(
        "Predicted outcomes ({} draws, seed {}; interval: 5th to 95th percentile)\n",
        out.runs, out.seed
    );
    let mut t = table(vec![
        "issue".into(),
        "model".into(),
        "stated".into(),
        "mean".into(),
        "interval".into(),
    ]);
    for issue in &out.issues {
        for m in &issue.models {
            t.add_row(vec![
                Cell::new(&issue.issue),
                Cell::new(m.model),
                right(number(m.stated)),
                right(number(m.mean)),
                right(format!(
                    "{} – {}",
                    number(m.interval[0]),
                    number(m.interval[1])
                )),
            ]);
        }
    }
    let _ = writeln!(text, "{t}");
    text
}
