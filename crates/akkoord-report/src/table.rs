//! Terminal tables for people: the trajectory of each outcome, round by round.

use std::fmt::Write;

use akkoord_core::backtest::AppointmentBacktest;
use akkoord_core::models::exchange::ExchangeRun;
use akkoord_core::models::expected_utility::EuRun;
use akkoord_core::scenario::{AppointmentScenario, IssueId, Scenario};
use akkoord_core::scoring::{CategoricalSummary, IssueBacktest, LOG_SCORE_FLOOR};
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
pub fn forecast(appointing: AppointmentScenario<'_>, out: &ForecastOutput) -> String {
    let (s, a) = (appointing.scenario(), appointing.appointment());
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
    if !s.bodies.is_empty() {
        text.push_str("Decided by ");
        text.push_str(&words::bodies_rule(s));
        text.push_str("\n\n");
    }
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

/// The brief of an appointment backtest: every case, akkoord beside the naive baseline, and
/// the reliability table.
pub fn backtest(b: &AppointmentBacktest) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(vec![
            "case",
            "what happened",
            "probability",
            "rank",
            "Brier",
            "log score",
            "naive call",
            "naive Brier",
        ]);
    for c in &b.cases {
        let file = std::path::Path::new(&c.label)
            .file_name()
            .map_or_else(|| c.label.clone(), |n| n.to_string_lossy().into_owned());
        t.add_row(vec![
            if c.title.is_empty() {
                file
            } else {
                format!("{}\n{file}", c.title)
            },
            c.actual.clone(),
            format!("{:.1}%", 100.0 * c.probability),
            c.rank.to_string(),
            format!("{:.3}", c.brier),
            format!("{:.2}", c.log_score),
            format!(
                "{}{}",
                c.naive.prediction,
                if c.naive.hit { " (hit)" } else { " (miss)" }
            ),
            format!("{:.3}", c.naive.brier),
        ]);
    }
    let mut reliability = Table::new();
    reliability
        .load_style(UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(vec!["forecast", "outcomes", "mean forecast", "happened"]);
    for bin in b.reliability.iter().filter(|bin| bin.forecasts > 0) {
        reliability.add_row(vec![
            format!("{:.0}-{:.0}%", 100.0 * bin.low, 100.0 * bin.high),
            bin.forecasts.to_string(),
            format!("{:.1}%", 100.0 * bin.mean_forecast),
            format!("{:.1}%", 100.0 * bin.observed),
        ]);
    }
    let line = |who: &str, s: &CategoricalSummary| {
        format!(
            "{who:<15} mean Brier {:.3}   mean log score {:.3}   winner ranked first {:.0}%   mean probability of what happened {:.1}%",
            s.mean_brier,
            s.mean_log_score,
            100.0 * s.rank_one_rate,
            100.0 * s.mean_probability_of_actual
        )
    };
    format!(
        "Backtest of {} case(s) ({} draws per case, seed {})\n\
         Brier: 0 is perfect, 2 is certain and wrong. Log score: the logarithm of the probability given to what happened, floored at {}; 0 is perfect.\n\
         {t}\n{}\n{}\n{} of {} cited sources undated\n\n\
         Reliability (every outcome of every case: how often outcomes forecast at about this probability happened)\n{reliability}\n",
        b.cases.len(),
        b.runs,
        b.seed,
        LOG_SCORE_FLOOR,
        line("akkoord", &b.akkoord),
        line("naive baseline", &b.naive),
        b.undated_sources,
        b.sources,
    )
}

/// The brief of an issue backtest: every model's absolute errors, overall and by group.
pub fn issue_backtest(b: &IssueBacktest) -> String {
    let mut groups: Vec<&(String, String)> = Vec::new();
    for m in &b.models {
        for (group, _) in &m.by_group {
            if !groups.contains(&group) {
                groups.push(group);
            }
        }
    }
    let mut header = vec![
        "model".to_owned(),
        "n".into(),
        "MAE".into(),
        "sd".into(),
        "median AE".into(),
    ];
    header.extend(groups.iter().map(|(_, v)| format!("MAE {v}")));
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(header);
    for m in &b.models {
        let mut row = vec![
            m.model.clone(),
            m.overall.n.to_string(),
            format!("{:.2}", m.overall.mae),
            format!("{:.2}", m.overall.sd),
            format!("{:.2}", m.overall.median),
        ];
        row.extend(groups.iter().map(|group| {
            m.by_group
                .iter()
                .find(|(g, _)| g == *group)
                .map_or_else(String::new, |(_, e)| format!("{:.2} ({})", e.mae, e.n))
        }));
        t.add_row(row);
    }
    format!(
        "DEU backtest: {} scorable issues, capability {}; absolute error on the 0-100 scale\n{t}\n",
        b.scorable_issues, b.capability
    )
}
