//! The self-contained HTML report: the scenario in brief, the forecast and its uncertainty, the
//! consensus map, trajectories, holdouts, deals, levers, and every assumption with its source.
//!
//! One file with inline CSS and SVG charts, from a minijinja template compiled into the
//! binary; it loads nothing from the network and opens from disk.

use akkoord_core::models::consensus::{ConsensusParams, Draw};
use akkoord_core::models::exchange::ExchangeRun;
use akkoord_core::models::expected_utility::EuRun;
use akkoord_core::scenario::{
    Appointment, AppointmentScenario, DecisionRule, IssueId, Scenario, Uncertainty,
};
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use crate::json::{ForecastOutput, IssueForecastOutput};
use crate::svg::{self, Bar, Cell, Series};
use crate::words::{self, Names};

const TEMPLATE: &str = include_str!("../templates/report.html");

/// A rendered report: the HTML, and each chart as a standalone SVG file `(name, text)`.
pub struct Report {
    /// The HTML document.
    pub html: String,
    /// The charts, also embedded in the HTML.
    pub charts: Vec<(String, String)>,
}

/// What the report says about how it was made.
pub struct ReportSettings<'a> {
    /// akkoord's version.
    pub version: &'a str,
    /// Model parameters, seed and the like, as `(name, value)`.
    pub parameters: Vec<(String, String)>,
    /// The title when the scenario has none (such as the file's name).
    pub fallback_title: String,
}

/// The results of the continuous-issue models to report.
pub struct IssueResults<'a> {
    /// Expected-utility runs by issue.
    pub bdm: &'a [(IssueId, EuRun)],
    /// The exchange run (two issues or more).
    pub exchange: Option<&'a ExchangeRun>,
    /// Each model's prediction with its interval.
    pub forecast: Option<&'a IssueForecastOutput>,
}

/// A chart's file name from an issue id, which may hold any characters.
fn file_name(issue: &str, model: &str) -> String {
    let safe: String = issue
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{safe}-{model}.svg")
}

/// The site of a link, as its text: a whole address would make a narrow table very tall.
fn site(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.strip_prefix("www.").unwrap_or(host);
    if host.is_empty() {
        url.to_owned()
    } else {
        host.to_owned()
    }
}

fn percent(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

fn uncertainty(u: &Uncertainty) -> String {
    match *u {
        Uncertainty::None => String::new(),
        Uncertainty::Normal { sd } => format!("sd {sd}"),
        Uncertainty::Uniform { low, high } => format!("{low} to {high}"),
    }
}

#[derive(Serialize)]
struct StanceRow {
    actor: String,
    candidate: String,
    support: String,
    salience: String,
    uncertainty: String,
    url: Option<String>,
    /// The link's text: the site the source is on.
    site: Option<String>,
    date: Option<String>,
    quote: Option<String>,
}

#[derive(Serialize)]
struct PositionRow {
    actor: String,
    position: String,
    salience: String,
    capability: String,
    uncertainty: String,
    url: Option<String>,
    /// The link's text: the site the source is on.
    site: Option<String>,
}

#[derive(Serialize)]
struct Chart {
    svg: Value,
    caption: String,
}

#[derive(Serialize)]
struct IssueSection {
    name: String,
    predictions: Vec<Value>,
    charts: Vec<Chart>,
    positions: Vec<PositionRow>,
    /// Whether any position has a source (else the column is left out).
    sourced: bool,
}

fn positions(s: &Scenario, issue: usize) -> Vec<PositionRow> {
    s.issues[issue]
        .positions
        .iter()
        .map(|p| PositionRow {
            actor: s.actor(p.actor).name.clone(),
            position: format!("{}", p.position),
            salience: format!("{}", p.salience),
            capability: format!("{}", p.capability),
            uncertainty: uncertainty(&p.position_uncertainty),
            url: p.evidence.as_ref().and_then(|e| e.url.clone()),
            site: p.evidence.as_ref().and_then(|e| e.url.as_deref()).map(site),
        })
        .collect()
}

/// Whether any position on the issue has a source.
fn sourced(s: &Scenario, issue: usize) -> bool {
    s.issues[issue]
        .positions
        .iter()
        .any(|p| p.evidence.as_ref().is_some_and(|e| e.url.is_some()))
}

/// Renders the template; the context holds the common header, `appointment` and `issues`.
fn render(
    s: &Scenario,
    settings: &ReportSettings<'_>,
    appointment: Value,
    issues: &[IssueSection],
) -> String {
    let mut env = Environment::new();
    env.add_template("report.html", TEMPLATE)
        .expect("the report template is valid");
    let rule = match s.rule {
        DecisionRule::Consensus => "consensus: every member with a veto can block".to_owned(),
        DecisionRule::QualifiedMajority { threshold } => format!(
            "qualified majority of {}% of the voting weight",
            100.0 * threshold
        ),
        DecisionRule::SimpleMajority => "simple majority".to_owned(),
        DecisionRule::Bodies => words::bodies_rule(s),
    };
    let deadline = match (&s.deadline.date, s.deadline.rounds) {
        (Some(d), Some(r)) => Some(format!("{d} ({r} rounds)")),
        (Some(d), None) => Some(d.clone()),
        (None, Some(r)) => Some(format!("{r} rounds")),
        (None, None) => None,
    };
    let title = if s.meta.title.is_empty() {
        settings.fallback_title.clone()
    } else {
        s.meta.title.clone()
    };
    env.get_template("report.html")
        .and_then(|t| {
            t.render(context! {
                title, version => settings.version, as_of => s.meta.as_of.clone(), rule, deadline,
                description => s.meta.description.clone(), sources => s.meta.sources.clone(), actors => s.actors.len(),
                appointment, issues => Value::from(Serde(issues)), parameters => settings.parameters.clone(),
            })
        })
        .expect("the report template renders with any context it is given")
}

/// Every stance the scenario writes, on candidates and on the fallback, with its source.
fn stance_rows(s: AppointmentScenario<'_>) -> Vec<StanceRow> {
    let a = s.appointment();
    let mut stances = Vec::new();
    for (actor, row) in a.stances.iter().enumerate() {
        let named = row
            .iter()
            .enumerate()
            .filter_map(|(c, st)| st.as_ref().map(|st| (a.candidates[c].name.clone(), st)));
        // The fallback stance only where the scenario writes one: the default is said once, in
        // the caption, rather than as a row for every actor.
        let fallback = a.fallback_written[actor]
            .then(|| (a.fallback.label.clone(), &a.fallback_stances[actor]));
        for (candidate, st) in named.chain(fallback) {
            stances.push(StanceRow {
                actor: s.actors[actor].name.clone(),
                candidate,
                support: format!("{}", st.support),
                salience: format!("{}", st.salience),
                uncertainty: uncertainty(&st.uncertainty),
                url: st.evidence.as_ref().and_then(|e| e.url.clone()),
                site: st
                    .evidence
                    .as_ref()
                    .and_then(|e| e.url.as_deref())
                    .map(site),
                date: st.evidence.as_ref().and_then(|e| e.date.clone()),
                quote: st.evidence.as_ref().and_then(|e| e.quote.clone()),
            });
        }
    }
    stances
}

/// Every informal criterion: its rule, who fails it, and who cares how much.
fn criteria_rows(s: AppointmentScenario<'_>) -> Vec<Value> {
    let a = s.appointment();
    a.criteria
        .iter()
        .map(|c| {
            let fails: Vec<&str> = c.passes.iter().enumerate().filter(|(_, p)| !**p).map(|(n, _)| a.candidates[n].name.as_str()).collect();
            let concerns: Vec<String> = c.concerns.iter().map(|x| format!("{} ({})", s.actor(x.actor).id, x.penalty)).collect();
            context! { description => c.description.clone(), rule => format!("home.{} {} {}", c.fact, c.comparison.symbol(), c.threshold),
                       fails => if fails.is_empty() { "nobody".to_owned() } else { fails.join(", ") }, concerns => concerns.join(", ") }
        })
        .collect()
}

/// The candidate most likely to get the job (ignoring no agreement), if any.
fn favourite(a: &Appointment, out: &ForecastOutput) -> Option<usize> {
    out.outcomes
        .iter()
        .filter_map(|o| {
            let c = a.candidates.iter().position(|c| c.id == o.id)?;
            Some((c, o.probability))
        })
        .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)))
        .map(|(c, _)| c)
}

/// The rows of the consensus map: actors by their margin for the favourite (support minus
/// the fallback, 0 without a stance), most in favour first, ties by id; by id without one.
fn map_order(s: &Scenario, d: &Draw, favourite: Option<usize>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..s.actors.len()).collect();
    order.sort_by(|&x, &y| {
        let by_margin = favourite.map_or(std::cmp::Ordering::Equal, |c| {
            let margin = |actor: usize| d.support[actor][c] - d.fallback[actor];
            margin(y).total_cmp(&margin(x))
        });
        by_margin.then_with(|| s.actors[x].id.cmp(&s.actors[y].id))
    });
    order
}

/// The consensus map as the scenario stands, with the caption's sentence on its row order.
fn consensus_map_chart(
    appointing: AppointmentScenario<'_>,
    out: &ForecastOutput,
) -> (String, String) {
    let (s, a) = (appointing.scenario(), appointing.appointment());
    let d = Draw::stated(appointing, &ConsensusParams::published(1));
    // Who blocks is the map's finding, not this renderer's.
    let blocking: Vec<Vec<usize>> = out
        .map
        .iter()
        .map(|m| {
            m.blockers
                .iter()
                .filter_map(|b| s.actors.iter().position(|x| &x.id == b))
                .collect()
        })
        .collect();
    let favourite = favourite(a, out);
    let order = map_order(s, &d, favourite);
    let cells: Vec<Vec<Cell>> = order
        .iter()
        .map(|&actor| {
            (0..a.candidates.len())
                .map(|c| Cell {
                    margin: a.stances[actor][c]
                        .as_ref()
                        .map(|_| d.support[actor][c] - d.fallback[actor]),
                    blocks: blocking[c].contains(&actor),
                })
                .collect()
        })
        .collect();
    let actor_ids: Vec<String> = order.iter().map(|&x| s.actors[x].id.clone()).collect();
    let candidate_names: Vec<String> = a.candidates.iter().map(|c| c.name.clone()).collect();
    let map = svg::heat_map(
        "Support minus the fallback",
        &actor_ids,
        &candidate_names,
        &cells,
    );
    let caption = favourite.map_or_else(
        || "Rows: allies by id.".to_owned(),
        |c| {
            format!(
                "Rows: allies by their margin for the favourite, {}, most in favour first (ties by id).",
                a.candidates[c].name
            )
        },
    );
    (map, caption)
}

/// The report of an appointment forecast.
#[allow(clippy::too_many_lines)] // one template context, field by field
pub fn appointment(
    s: AppointmentScenario<'_>,
    out: &ForecastOutput,
    settings: &ReportSettings<'_>,
) -> Report {
    let appointing = s;
    let (s, a) = (appointing.scenario(), appointing.appointment());
    let mut charts = Vec::new();
    let bars: Vec<Bar> = out
        .outcomes
        .iter()
        .map(|o| Bar {
            label: o.label.clone(),
            value: o.probability,
            interval: Some((o.interval[0], o.interval[1])),
        })
        .collect();
    charts.push((
        "outcomes.svg".to_owned(),
        svg::probability_bars("Who gets the job", &bars),
    ));
    let timing: Vec<Bar> = out
        .timing
        .iter()
        .map(|t| Bar {
            label: t
                .date
                .clone()
                .unwrap_or_else(|| format!("round {}", t.round)),
            value: t.probability,
            interval: None,
        })
        .collect();
    charts.push((
        "timing.svg".to_owned(),
        svg::probability_bars("When agreement comes", &timing),
    ));
    let (map, map_order) = consensus_map_chart(appointing, out);
    charts.push(("consensus-map.svg".to_owned(), map));
    let best = out
        .outcomes
        .iter()
        .max_by(|x, y| x.probability.total_cmp(&y.probability));
    let headline = best.map_or_else(String::new, |b| {
        format!(
            "Most likely: {} ({}, 95% interval {} to {}).",
            b.label,
            percent(b.probability),
            percent(b.interval[0]),
            percent(b.interval[1])
        )
    });
    let stances = stance_rows(appointing);
    let criteria = criteria_rows(appointing);
    let names = Names::new(s);
    let appointment = context! {
        headline, runs => out.runs, seed => out.seed, fallback => a.fallback.label.clone(),
        outcome_chart => Value::from_safe_string(charts[0].1.clone()),
        timing_chart => Value::from_safe_string(charts[1].1.clone()),
        map_chart => Value::from_safe_string(charts[2].1.clone()), map_order,
        fallback_support => format!("{}", a.fallback.default_support),
        map => out.map.iter().map(|m| context! { candidate => m.candidate.clone(), passes => m.passes, support => percent(m.weighted_support),
            blockers => if m.blockers.is_empty() { "nobody".to_owned() } else { m.blockers.join(", ") } }).collect::<Vec<_>>(),
        nash => out.nash_choice.as_deref().map_or_else(|| "No candidate passes as the scenario stands: it takes lobbying or deals.".to_owned(),
            |c| format!("Among the candidates that pass now, a Nash bargain picks {c}.")),
        blockers => out.blockers.iter().filter(|b| b.probability >= 0.0005).take(12).map(|b| context! { actor => names.actor(&b.actor), probability => percent(b.probability), last => percent(b.last_holdout) }).collect::<Vec<_>>(),
        deals => words::deals(out, &names).into_iter().take(10).collect::<Vec<_>>(),
        levers => words::levers(out, &names), levers_legend => words::LEVERS_LEGEND,
        stances_sourced => stances.iter().any(|r| r.url.is_some() || r.date.is_some() || r.quote.is_some()),
        stances => Value::from(Serde(&stances)), criteria,
    };
    let issues: Vec<IssueSection> = (0..s.issues.len())
        .map(|k| IssueSection {
            name: s.issues[k].name.clone(),
            predictions: Vec::new(),
            charts: Vec::new(),
            sourced: sourced(s, k),
            positions: positions(s, k),
        })
        .collect();
    Report {
        html: render(s, settings, appointment, &issues),
        charts,
    }
}

/// Each actor's preference position on issue `k` round by round in the exchange run, and the
/// outcome.
fn exchange_series(s: &Scenario, run: &ExchangeRun, k: usize) -> Vec<Series> {
    let mut series: Vec<Series> = s.issues[k]
        .positions
        .iter()
        .map(|p| {
            let initial = run.initial().map(|(pos, _)| {
                pos[k]
                    .iter()
                    .find(|(a, _)| *a == p.actor)
                    .map_or(f64::NAN, |x| x.1)
            });
            let later = run.rounds.iter().map(|r| {
                r.positions[k]
                    .iter()
                    .find(|(a, _)| *a == p.actor)
                    .map_or(f64::NAN, |x| x.1)
            });
            Series {
                label: s.actor(p.actor).id.clone(),
                values: initial.into_iter().chain(later).collect(),
                outcome: false,
            }
        })
        .collect();
    let outcomes = run
        .initial()
        .map(|(_, o)| o[k])
        .into_iter()
        .chain(run.rounds.iter().map(|r| r.outcomes[k]));
    series.push(Series {
        label: "outcome".into(),
        values: outcomes.collect(),
        outcome: true,
    });
    series
}

/// The report of continuous issues: each model's prediction, the trajectories, the positions.
pub fn issues(s: &Scenario, results: &IssueResults<'_>, settings: &ReportSettings<'_>) -> Report {
    let mut charts = Vec::new();
    let mut sections = Vec::new();
    for (k, issue) in s.issues.iter().enumerate() {
        let range = (issue.scale.lower, issue.scale.upper);
        let y_title = format!("position ({} to {})", issue.scale.lower, issue.scale.upper);
        let names: Vec<String> = issue
            .positions
            .iter()
            .map(|p| s.actor(p.actor).id.clone())
            .collect();
        let mut section_charts = Vec::new();
        if let Some((_, run)) = results.bdm.iter().find(|(id, _)| id.index() == k) {
            let mut series: Vec<Series> = names
                .iter()
                .enumerate()
                .map(|(n, name)| Series {
                    label: name.clone(),
                    values: run.rounds.iter().map(|r| r.positions[n]).collect(),
                    outcome: false,
                })
                .collect();
            series.push(Series {
                label: "median".into(),
                values: run.rounds.iter().map(|r| r.median).collect(),
                outcome: true,
            });
            let svg = svg::trajectories(
                &format!("{}: expected-utility model", issue.name),
                &y_title,
                range,
                &series,
            );
            charts.push((file_name(&issue.id, "expected-utility"), svg.clone()));
            section_charts.push(Chart { svg: Value::from_safe_string(svg), caption: "Each actor's position and the predicted outcome (weighted median), round by round.".into() });
        }
        if let Some(run) = results.exchange {
            let series = exchange_series(s, run, k);
            let svg = svg::trajectories(
                &format!("{}: exchange model", issue.name),
                &y_title,
                range,
                &series,
            );
            charts.push((file_name(&issue.id, "exchange"), svg.clone()));
            section_charts.push(Chart { svg: Value::from_safe_string(svg), caption: "Each actor's preference position and the outcome (weighted mean), round by round.".into() });
        }
        let predictions = results
            .forecast
            .and_then(|f| f.issues.iter().find(|i| i.issue == issue.id))
            .map(|f| {
                f.models
                    .iter()
                    .map(|m| context! { model => m.model, stated => format!("{:.2}", m.stated), mean => format!("{:.2}", m.mean),
                                        interval => format!("{:.2} to {:.2}", m.interval[0], m.interval[1]) })
                    .collect()
            })
            .unwrap_or_default();
        sections.push(IssueSection {
            name: issue.name.clone(),
            predictions,
            charts: section_charts,
            sourced: sourced(s, k),
            positions: positions(s, k),
        });
    }
    Report {
        html: render(s, settings, Value::from(()), &sections),
        charts,
    }
}

#[cfg(test)]
mod tests {
    use super::site;

    #[test]
    fn links_are_shown_by_their_site() {
        assert_eq!(site("https://www.news.err.ee/160/prime?x=1"), "news.err.ee");
        assert_eq!(site("http://example.org"), "example.org");
        assert_eq!(site("doi:10.1000/182"), "doi:10.1000");
    }
}
