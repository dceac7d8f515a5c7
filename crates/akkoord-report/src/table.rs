//! Terminal tables for people: the trajectory of each outcome, round by round.

use std::fmt::Write;

use akkoord_core::models::exchange::ExchangeRun;
use akkoord_core::models::expected_utility::EuRun;
use akkoord_core::scenario::{IssueId, Scenario};
use comfy_table::{Cell, CellAlignment, Table, presets::UTF8_FULL_CONDENSED};

use crate::json::ForecastOutput;
use crate::words::{self, Names};

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

/// The outcome of every issue after every round of the exchange model: the run itself, or
/// over randomized repetitions (`p` > 0 or more than one run) the mean ± standard deviation.
pub fn exchange(s: &Scenario, runs: &[ExchangeRun], p: f64, seed: u64) -> String {
    match runs {
        [run] if p <= 0.0 => exchange_run(s, run),
        _ => exchange_repetitions(s, runs, p, seed),
    }
}

/// Mean ± standard deviation of each issue's outcome after each round, over the repetitions.
fn exchange_repetitions(s: &Scenario, runs: &[ExchangeRun], p: f64, seed: u64) -> String {
    let rounds = runs.iter().map(|r| r.rounds.len()).max().unwrap_or(0);
    let mut header = vec!["issue".to_owned()];
    header.extend((1..=rounds).map(|r| format!("r{r}")));
    let mut t = table(header);
    let spread = |values: &[f64]| -> String {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        if values.len() < 2 {
            return number(mean);
        }
        let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        format!("{} ± {:.2}", number(mean), sd)
    };
    for (d, issue) in s.issues.iter().enumerate() {
        let mut row = vec![Cell::new(&issue.id)];
        for k in 0..rounds {
            let values: Vec<f64> = runs
                .iter()
                .filter_map(|r| r.rounds.get(k).map(|round| round.outcomes[d]))
                .collect();
            row.push(right(if values.is_empty() {
                "–".into()
            } else {
                spread(&values)
            }));
        }
        t.add_row(row);
    }
    let mut trades = vec![Cell::new("trades")];
    for k in 0..rounds {
        let values: Vec<f64> = runs
            .iter()
            .filter_map(|r| r.rounds.get(k).map(|round| round.trades.len() as f64))
            .collect();
        trades.push(right(if values.is_empty() {
            "–".into()
        } else {
            spread(&values)
        }));
    }
    t.add_row(trades);
    format!(
        "Randomized exchange model (p = {p}, {}, seed {seed}): mean ± standard deviation of each issue's outcome after each round\n{t}\n",
        count(runs.len(), "repetition", "repetitions")
    )
}

/// The outcome of every issue after every round of one exchange run, and the trades made.
fn exchange_run(s: &Scenario, run: &ExchangeRun) -> String {
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
        let why = match stop.reason {
            "rounds" => "the rounds asked for were run",
            "agreement" => "every actor agreed",
            "converged" => "the positions converged",
            "max-rounds" => "the most rounds allowed were run without convergence",
            "cycle" => "the positions repeat in a cycle",
            other => other,
        };
        let _ = write!(
            out,
            "Expected-utility model ({preset}), issue \"{}\"\n{t}\nstopped after {}: {why}{detail}\n\n",
            issue.id,
            count(stop.rounds, "round", "rounds"),
        );
    }
    out
}

/// `n` with its noun in the right number: "1 round", "4 rounds".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
    let names = Names::new(s);
    for section in [
        headline(out),
        outcomes(out),
        holdouts(out, &names),
        deals(out, &names),
        levers(out, &names),
        map(out, &names),
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
    let with_parameters = out.outcomes.iter().any(|o| o.forecast_interval.is_some());
    let mut header = vec!["outcome".into(), "probability".into()];
    if with_parameters {
        header.push("forecast 95% interval".into());
    }
    header.push("Monte Carlo 95% interval".into());
    let mut t = table(header);
    for o in &out.outcomes {
        let span = |i: [f64; 2]| format!("{}–{}", percent(i[0]), percent(i[1]));
        let mut row = vec![Cell::new(&o.label), right(percent(o.probability))];
        if let Some(i) = o.forecast_interval {
            row.push(right(span(i)));
        }
        row.push(right(span(o.interval)));
        t.add_row(row);
    }
    if with_parameters {
        format!(
            "{t}\nThe forecast interval is the spread that the calibrated parameters' uncertainty gives (each draw samples them), with the Monte Carlo error added; the Monte Carlo interval alone is how far a rerun with another seed could move each probability ({} draws).\n\n",
            out.runs
        )
    } else {
        format!(
            "{t}\nThe interval is the Monte Carlo error of each probability ({} draws): how far a rerun with another seed could move it. The uncertainty of the forecast itself is the spread of the probabilities, which comes from the sd and ranges of the stances.\n\n",
            out.runs
        )
    }
}

fn holdouts(out: &ForecastOutput, names: &Names<'_>) -> String {
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
            Cell::new(names.actor(&b.actor)),
            right(percent(b.probability)),
            right(percent(b.last_holdout)),
            right(percent(b.at_end)),
        ]);
    }
    format!(
        "Holdouts (share of draws)\n{t}\nblocks the winner at the start: the member blocked the eventual winner (or, where nobody was agreed, the front-runner) as the draw began. last to consent: it was the last of those blockers to give way. still blocks at the end: it blocked the front-runner when the deadline came.\n\n"
    )
}

fn deals(out: &ForecastOutput, names: &Names<'_>) -> String {
    let sentences = words::deals(out, names);
    if sentences.is_empty() {
        return String::new();
    }
    let mut text =
        "Deals that unlock consent (share of draws in which the deal was made)\n".to_owned();
    for sentence in sentences.iter().take(8) {
        let _ = writeln!(text, "  {sentence}");
    }
    text + "\n"
}

fn levers(out: &ForecastOutput, names: &Names<'_>) -> String {
    let sentences = words::levers(out, names);
    if sentences.is_empty() {
        return String::new();
    }
    let mut text = format!("Levers: {}\n", words::LEVERS_LEGEND);
    for sentence in sentences {
        let _ = writeln!(text, "  {sentence}");
    }
    text + "\n"
}

fn map(out: &ForecastOutput, names: &Names<'_>) -> String {
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
            let blockers: Vec<String> = m.blockers.iter().map(|b| names.actor(b)).collect();
            blockers.join(", ")
        };
        let passes = Cell::new(if m.passes { "yes" } else { "no" });
        t.add_row(vec![
            Cell::new(names.candidate(&m.candidate)),
            passes,
            right(percent(m.weighted_support)),
            Cell::new(blocked),
        ]);
    }
    let nash = out.nash_choice.as_deref().map_or_else(
        || "No candidate passes as the scenario stands.".to_owned(),
        |c| {
            format!(
                "Nash bargaining choice among candidates that pass now: {}",
                names.candidate(c)
            )
        },
    );
    format!(
        "Consensus map as the scenario stands (stated values, before any bargaining)\n{t}\npasses now: the decision rule is met with nobody blocking; weighted support: the capability × salience share of voters who prefer the candidate to the fallback; blocked by: members who value the candidate below the fallback.\n{nash}\n"
    )
}

/// Each model's prediction for each continuous issue, with its interval.
pub fn issue_forecast(out: &crate::json::IssueForecastOutput) -> String {
    let mut text = if out.runs == 1 {
        "Predicted outcomes (no input is uncertain: one run, so each interval is the prediction itself)\n".to_owned()
    } else {
        format!(
            "Predicted outcomes ({} draws, seed {}; interval: 5th to 95th percentile of the draws, the spread that the stated uncertainty of the inputs gives)\n",
            out.runs, out.seed
        )
    };
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
