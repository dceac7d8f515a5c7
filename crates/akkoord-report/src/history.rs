//! The history of a forecast as bytes: its JSON output type, the terminal table, the CSV and
//! the line chart of probabilities over time with the events marked.
//!
//! Built from the engine's [`History`] and the scenario's events; never runs a model.

use std::fmt::Write;

use akkoord_core::history::History;
use akkoord_core::scenario::EventDraft;
use serde::Serialize;

use crate::json::SCHEMA_VERSION;
use crate::svg::{EndLabel, PALETTE, end_labels, escape, open};

/// The output of `akkoord history`.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryOutput {
    /// The version of this output format.
    pub schema_version: u32,
    /// The scenario's title.
    pub title: String,
    /// Draws per date.
    pub runs: usize,
    /// The seed of every date's draws (common random numbers).
    pub seed: u64,
    /// `event`, `week` or `month`.
    pub every: String,
    /// Every outcome of the history: the candidates as they enter, then the outcomes that are
    /// not candidates.
    pub outcomes: Vec<OutcomeLabel>,
    /// The outcome most likely at the last date.
    pub favourite: String,
    /// One per date, earliest first.
    pub steps: Vec<HistoryStep>,
    /// The dates with events, ordered by how far they moved the favourite (largest first).
    pub movers: Vec<Mover>,
}

/// An outcome's id and its display name.
#[derive(Clone, Debug, Serialize)]
pub struct OutcomeLabel {
    /// The id.
    pub id: String,
    /// The display name.
    pub label: String,
}

/// The forecast at one date.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryStep {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The events that took effect since the date before.
    pub events: Vec<EventJson>,
    /// Each outcome's probability and its change since the date before, in `outcomes` order.
    pub outcomes: Vec<StepOutcome>,
    /// Actors that block the eventual winner in most draws.
    pub holdouts: Vec<String>,
    /// Holdouts that were not holdouts at the date before.
    pub holdouts_appeared: Vec<String>,
    /// Holdouts at the date before that are holdouts no more.
    pub holdouts_disappeared: Vec<String>,
}

/// An event as shown in a history.
#[derive(Clone, Debug, Serialize)]
pub struct EventJson {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// What happened (the event's headline, or its changes counted).
    pub headline: String,
    /// Its source's link, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One outcome at one date.
#[derive(Clone, Debug, Serialize)]
pub struct StepOutcome {
    /// The outcome's id.
    pub id: String,
    /// Its probability.
    pub probability: f64,
    /// The change since the date before.
    pub change: f64,
}

/// A date whose events moved the favourite.
#[derive(Clone, Debug, Serialize)]
pub struct Mover {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The events of that date (since the date before).
    pub events: Vec<String>,
    /// The change of the favourite's probability.
    pub change: f64,
}

/// What an event says in a history: its headline, or a count of its changes.
pub fn headline(e: &EventDraft) -> String {
    e.headline
        .clone()
        .unwrap_or_else(|| format!("{} change(s)", e.change_count()))
}

fn difference(now: &[String], then: &[String]) -> Vec<String> {
    now.iter().filter(|a| !then.contains(a)).cloned().collect()
}

impl HistoryOutput {
    /// The output of `history`, whose outcomes `labels` names (by id; an id without a label
    /// is its own), for a scenario with `events`.
    pub fn new(
        title: &str,
        history: &History,
        events: &[EventDraft],
        labels: &[(String, String)],
        (runs, seed, every): (usize, u64, &str),
    ) -> Self {
        let label = |id: &str| {
            labels
                .iter()
                .find(|(o, _)| o == id)
                .map_or_else(|| id.to_owned(), |(_, l)| l.clone())
        };
        let event_json = |i: usize| EventJson {
            date: events[i].date.clone(),
            headline: headline(&events[i]),
            url: events[i].source.url.clone(),
        };
        let mut steps: Vec<HistoryStep> = Vec::with_capacity(history.steps.len());
        for step in &history.steps {
            let before = steps.last().map(|s| s.holdouts.clone()).unwrap_or_default();
            steps.push(HistoryStep {
                date: step.at.date.clone(),
                events: step.at.events.iter().map(|&i| event_json(i)).collect(),
                outcomes: history
                    .outcomes
                    .iter()
                    .enumerate()
                    .map(|(o, id)| StepOutcome {
                        id: id.clone(),
                        probability: step.probabilities[o],
                        change: step.change[o],
                    })
                    .collect(),
                holdouts_appeared: difference(&step.holdouts, &before),
                holdouts_disappeared: difference(&before, &step.holdouts),
                holdouts: step.holdouts.clone(),
            });
        }
        Self {
            schema_version: SCHEMA_VERSION,
            title: title.to_owned(),
            runs,
            seed,
            every: every.to_owned(),
            outcomes: history
                .outcomes
                .iter()
                .map(|id| OutcomeLabel {
                    id: id.clone(),
                    label: label(id),
                })
                .collect(),
            favourite: history.outcomes[history.favourite].clone(),
            movers: history
                .movers
                .iter()
                .map(|&k| Mover {
                    date: history.steps[k].at.date.clone(),
                    events: history.steps[k]
                        .at
                        .events
                        .iter()
                        .map(|&i| headline(&events[i]))
                        .collect(),
                    change: history.steps[k].change[history.favourite],
                })
                .collect(),
            steps,
        }
    }

    fn favourite_label(&self) -> &str {
        self.outcomes
            .iter()
            .find(|o| o.id == self.favourite)
            .map_or(self.favourite.as_str(), |o| o.label.as_str())
    }

    /// The sentence for a mover: "on 2023-10-28, Rutte calls the post interesting: +21
    /// points for Mark Rutte".
    pub fn mover_sentence(&self, m: &Mover) -> String {
        format!(
            "on {}, {}: {:+.0} points for {}",
            m.date,
            m.events.join("; "),
            100.0 * m.change,
            self.favourite_label()
        )
    }

    /// The terminal table: a row per date with its events and each outcome's probability,
    /// then the events that moved the favourite most.
    pub fn table(&self) -> String {
        let mut t = comfy_table::Table::new();
        let mut header = vec!["date".to_owned(), "events".to_owned()];
        header.extend(self.outcomes.iter().map(|o| o.label.clone()));
        header.push(format!("change for {}", self.favourite_label()));
        header.push("holdouts".to_owned());
        t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
            .force_no_tty()
            .set_header(header);
        let favourite = self
            .outcomes
            .iter()
            .position(|o| o.id == self.favourite)
            .unwrap_or(0);
        for (k, step) in self.steps.iter().enumerate() {
            let mut row = vec![
                step.date.clone(),
                if step.events.is_empty() {
                    if k == 0 { "(start)" } else { "" }.to_owned()
                } else {
                    step.events
                        .iter()
                        .map(|e| e.headline.clone())
                        .collect::<Vec<_>>()
                        .join("\n")
                },
            ];
            row.extend(
                step.outcomes
                    .iter()
                    .map(|o| format!("{:.1}%", 100.0 * o.probability)),
            );
            row.push(if k == 0 {
                String::new()
            } else {
                format!("{:+.1}", 100.0 * step.outcomes[favourite].change)
            });
            let mut holdouts: Vec<String> = step
                .holdouts_appeared
                .iter()
                .map(|a| format!("+{a}"))
                .collect();
            holdouts.extend(step.holdouts_disappeared.iter().map(|a| format!("-{a}")));
            row.push(holdouts.join(" "));
            t.add_row(row);
        }
        let mut text = format!(
            "History of {} ({} draws per date, seed {}, common random numbers)\n{t}\n",
            if self.title.is_empty() {
                "the forecast"
            } else {
                &self.title
            },
            self.runs,
            self.seed
        );
        if !self.movers.is_empty() {
            let _ = writeln!(
                text,
                "What moved the forecast for {} most:",
                self.favourite_label()
            );
            for m in self.movers.iter().take(5) {
                let _ = writeln!(text, "  {}", self.mover_sentence(m));
            }
        }
        text.push_str("change: points of probability since the date before; holdouts: + an actor that now blocks the eventual winner in most draws, - one that no longer does.\n");
        text
    }

    /// The CSV: one row per date and outcome.
    pub fn csv(&self) -> String {
        crate::csv_out::rows(
            &["date", "events", "outcome", "probability", "change"],
            self.steps.iter().flat_map(|step| {
                let events = step
                    .events
                    .iter()
                    .map(|e| e.headline.clone())
                    .collect::<Vec<_>>()
                    .join("; ");
                step.outcomes.iter().map(move |o| {
                    vec![
                        step.date.clone(),
                        events.clone(),
                        o.id.clone(),
                        o.probability.to_string(),
                        o.change.to_string(),
                    ]
                })
            }),
        )
    }

    /// The line chart: each outcome's probability over time (a step at each date), the
    /// events marked by numbered dashed lines and listed under the chart.
    pub fn chart(&self) -> String {
        let days: Vec<i64> = self
            .steps
            .iter()
            .map(|s| akkoord_core::calendar::days(&s.date).unwrap_or(0))
            .collect();
        let (first, last) = (days[0], days[days.len() - 1].max(days[0] + 1));
        let events: Vec<(usize, &EventJson)> = self
            .steps
            .iter()
            .enumerate()
            .flat_map(|(k, s)| s.events.iter().map(move |e| (k, e)))
            .collect();
        let longest = self
            .outcomes
            .iter()
            .map(|o| o.label.chars().count())
            .max()
            .unwrap_or(0);
        let (left, top, width, height) = (56.0, 40.0, 440.0, 240.0);
        let x = |d: i64| left + width * (d - first) as f64 / (last - first) as f64;
        let y = |p: f64| top + height * (1.0 - p);
        let legend_top = top + height + 44.0;
        let total_width = left + width + 24.0 + 6.2 * longest as f64 + 6.0;
        let title = format!("{}: probabilities over time", self.title);
        let mut svg = open(
            total_width,
            legend_top + 15.0 * events.len() as f64 + 6.0,
            &title,
        );
        let _ = writeln!(
            svg,
            "<text x=\"4\" y=\"16\" font-weight=\"bold\">{}</text>\n\
             <rect x=\"{left}\" y=\"{top}\" width=\"{width}\" height=\"{height}\" fill=\"none\" stroke=\"#999\"/>",
            escape(&title)
        );
        for tick in 0..=4 {
            let p = f64::from(tick) / 4.0;
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{:.0}%</text>",
                left - 4.0,
                y(p) + 3.0,
                100.0 * p
            );
        }
        for (k, d) in [(0, first), (days.len() - 1, last)] {
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{}\" font-size=\"11\">{}</text>",
                x(d),
                top + height + 15.0,
                if k == 0 { "start" } else { "end" },
                self.steps[k].date
            );
        }
        for (n, (k, e)) in events.iter().enumerate() {
            marker(&mut svg, n, e, x(days[*k]), (top, height), legend_top);
        }
        let mut ends: Vec<(f64, usize)> = Vec::new();
        for (o, outcome) in self.outcomes.iter().enumerate() {
            let colour = PALETTE[o % PALETTE.len()];
            // A forecast holds until the next date: steps, not slopes.
            let mut points: Vec<String> = Vec::with_capacity(2 * days.len());
            for (k, (s, d)) in self.steps.iter().zip(&days).enumerate() {
                let at = y(s.outcomes[o].probability);
                if k > 0 {
                    points.push(format!(
                        "{:.1},{:.1}",
                        x(*d),
                        y(self.steps[k - 1].outcomes[o].probability)
                    ));
                }
                points.push(format!("{:.1},{at:.1}", x(*d)));
            }
            let _ = writeln!(
                svg,
                "<polyline class=\"series\" points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"><title>{}</title></polyline>",
                points.join(" "),
                escape(&outcome.label)
            );
            let end = self.steps[self.steps.len() - 1].outcomes[o].probability;
            ends.push((y(end), o));
        }
        let labels: Vec<EndLabel> = self
            .outcomes
            .iter()
            .enumerate()
            .map(|(o, outcome)| EndLabel {
                colour: PALETTE[o % PALETTE.len()],
                text: outcome.label.clone(),
                bold: false,
            })
            .collect();
        end_labels(&mut svg, ends, &labels, left + width, (top, height));
        svg + "</svg>\n"
    }
}

/// Event `n` (from 0) of a history chart: a numbered dashed line at `at` and its line in the
/// list under the chart.
fn marker(
    svg: &mut String,
    n: usize,
    e: &EventJson,
    at: f64,
    (top, height): (f64, f64),
    legend_top: f64,
) {
    let _ = writeln!(
        svg,
        "<line class=\"event\" x1=\"{at:.1}\" y1=\"{top}\" x2=\"{at:.1}\" y2=\"{:.1}\" stroke=\"#bbb\" stroke-dasharray=\"3 3\"><title>{}</title></line>\
         <text x=\"{at:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\">{}</text>\
         <text class=\"event-label\" x=\"4\" y=\"{:.1}\" font-size=\"11\">{}. {} {}</text>",
        top + height,
        escape(&e.headline),
        top - 4.0 - 10.0 * (n % 2) as f64,
        n + 1,
        legend_top + 15.0 * n as f64,
        n + 1,
        e.date,
        escape(&e.headline)
    );
}

impl HistoryOutput {
    /// Adds to an HTML report a section on how the forecast moved with the scenario's events
    /// (the chart and the events that moved the favourite most), before its method, and the
    /// chart to its charts.
    pub fn add_to(&self, report: &mut crate::html::Report) {
        let chart = self.chart();
        let mut movers = String::new();
        for m in self.movers.iter().take(5) {
            let _ = write!(movers, "<li>{}</li>", escape(&self.mover_sentence(m)));
        }
        let section = format!(
            "<h2>How the forecast moved</h2>\n<figure>{chart}<figcaption>The forecast at each event's date ({} draws each, the same seed: a change is the news, not noise).</figcaption></figure>\n{}\n",
            self.runs,
            if movers.is_empty() {
                "<p>No event moved the favourite's chances.</p>".to_owned()
            } else {
                format!("<p>What moved the forecast most:</p><ul>{movers}</ul>")
            }
        );
        let method = "<h2>Method and parameters</h2>";
        report.html = match report.html.find(method) {
            Some(at) => format!("{}{section}{}", &report.html[..at], &report.html[at..]),
            None => report.html.clone() + &section,
        };
        report.charts.push(("history.svg".to_owned(), chart));
    }
}
