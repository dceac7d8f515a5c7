//! The history of a forecast: the dates at which a scenario with events is forecast, and what
//! moved from one date to the next.
//!
//! [`dates`] picks the dates (each event date, or every week or month) and the events that
//! take effect at each. [`History::new`] takes the probabilities forecast at those dates (with
//! the same seed, so that draws are common random numbers and a change between two dates is
//! the news, not Monte Carlo noise) and works out each step's change and the steps that moved
//! the favourite most. This module never runs a model itself and never renders.

use crate::calendar;
use crate::scenario::ScenarioDraft;
use crate::scenario::events::application_order;

/// How often a history forecasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Every {
    /// At the start and on each date an event takes effect.
    Event,
    /// At the start and every seven days.
    Week,
    /// At the start and on the same day of each following month (the month's last day when it
    /// is shorter).
    Month,
}

/// A date of a history and the events that took effect since the date before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryDate {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Indices of the events dated after the previous date and on or before this one, in the
    /// order they apply (for the first date: every event on or before it).
    pub events: Vec<usize>,
}

/// The default first date of a history: the day before the first event, so that the history
/// opens with the base alone; `None` without a validly dated event.
pub fn default_from(draft: &ScenarioDraft) -> Option<String> {
    let first = application_order(&draft.events).first().copied()?;
    calendar::days(&draft.events[first].date).map(|d| calendar::date(d - 1))
}

/// The default last date of a history: the scenario's `as_of`, or its last event's date.
pub fn default_to(draft: &ScenarioDraft) -> Option<String> {
    draft.as_of.clone().or_else(|| {
        application_order(&draft.events)
            .last()
            .map(|&i| draft.events[i].date.clone())
    })
}

/// The dates from `from` to `to` (both `YYYY-MM-DD`, `from` on or before `to`) at which a
/// history forecasts, with the events that take effect at each. Always opens with `from` and
/// closes with `to`.
pub fn dates(draft: &ScenarioDraft, from: &str, to: &str, every: Every) -> Vec<String> {
    let mut dates = vec![from.to_owned()];
    match every {
        Every::Event => {
            for i in application_order(&draft.events) {
                let date = &draft.events[i].date;
                if date.as_str() > from && date.as_str() <= to && dates.last() != Some(date) {
                    dates.push(date.clone());
                }
            }
        }
        Every::Week => {
            let (Some(start), Some(end)) = (calendar::days(from), calendar::days(to)) else {
                return dates;
            };
            dates.extend((start + 7..=end).step_by(7).map(calendar::date));
        }
        Every::Month => {
            let mut k = 1;
            while let Some(next) = months_after(from, k).filter(|d| d.as_str() <= to) {
                dates.push(next);
                k += 1;
            }
        }
    }
    if dates.last().map(String::as_str) != Some(to) {
        dates.push(to.to_owned());
    }
    dates
}

/// The date `months` months after `date`, on the same day or the month's last day.
fn months_after(date: &str, months: i64) -> Option<String> {
    let year: i64 = date.get(0..4)?.parse().ok()?;
    let month: i64 = date.get(5..7)?.parse().ok()?;
    let day: i64 = date.get(8..10)?.parse().ok()?;
    let index = year * 12 + (month - 1) + months;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    (0..4)
        .map(|back| format!("{year:04}-{month:02}-{:02}", day - back))
        .find(|d| calendar::days(d).is_some_and(|n| calendar::date(n) == *d))
}

/// Attaches to each date the events that take effect on it (after the date before).
pub fn with_events(draft: &ScenarioDraft, dates: &[String]) -> Vec<HistoryDate> {
    let order = application_order(&draft.events);
    let mut previous: Option<&str> = None;
    dates
        .iter()
        .map(|date| {
            let events = order
                .iter()
                .copied()
                .filter(|&i| {
                    let d = draft.events[i].date.as_str();
                    d <= date.as_str() && previous.is_none_or(|p| d > p)
                })
                .collect();
            previous = Some(date);
            HistoryDate {
                date: date.clone(),
                events,
            }
        })
        .collect()
}

/// The forecast at one date of a history.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The date and the events that took effect on it.
    pub at: HistoryDate,
    /// The probability of each outcome, in [`History::outcomes`] order (0 for a candidate
    /// who has not entered yet).
    pub probabilities: Vec<f64>,
    /// The change of each probability since the step before (0 at the first step).
    pub change: Vec<f64>,
    /// Actors that block the eventual winner in most draws at this date.
    pub holdouts: Vec<String>,
}

/// A history: the outcomes over all dates, the steps, and the steps that moved the favourite
/// most.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    /// Outcome ids: the candidates in the order they appear over the history, then the
    /// outcomes that are not candidates (such as no agreement).
    pub outcomes: Vec<String>,
    /// One per date, earliest first.
    pub steps: Vec<Step>,
    /// The outcome most likely at the last date.
    pub favourite: usize,
    /// Indices of the steps with events that moved the favourite's probability, ordered by
    /// how far (largest first; ties by date).
    pub movers: Vec<usize>,
}

/// The forecast at one date, as a model gave it.
#[derive(Clone, Debug, PartialEq)]
pub struct DatedForecast {
    /// The date and its events.
    pub at: HistoryDate,
    /// `(outcome id, probability)` for every outcome forecast at that date.
    pub probabilities: Vec<(String, f64)>,
    /// Actors that block the eventual winner in most draws at that date.
    pub holdouts: Vec<String>,
}

impl History {
    /// The history of `forecasts` (earliest first), whose outcomes may differ by date as
    /// candidates enter. `last_outcomes` are ids listed after every candidate (the outcomes
    /// that are not candidates), in that order.
    pub fn new(forecasts: Vec<DatedForecast>, last_outcomes: &[&str]) -> Self {
        let mut outcomes: Vec<String> = Vec::new();
        for f in &forecasts {
            for (id, _) in &f.probabilities {
                if !outcomes.contains(id) && !last_outcomes.contains(&id.as_str()) {
                    outcomes.push(id.clone());
                }
            }
        }
        outcomes.extend(last_outcomes.iter().map(|&o| o.to_owned()));
        let mut steps: Vec<Step> = Vec::with_capacity(forecasts.len());
        for f in forecasts {
            let probabilities: Vec<f64> = outcomes
                .iter()
                .map(|o| {
                    f.probabilities
                        .iter()
                        .find(|(id, _)| id == o)
                        .map_or(0.0, |(_, p)| *p)
                })
                .collect();
            let change = match steps.last() {
                Some(before) => probabilities
                    .iter()
                    .zip(&before.probabilities)
                    .map(|(now, then)| now - then)
                    .collect(),
                None => vec![0.0; probabilities.len()],
            };
            steps.push(Step {
                at: f.at,
                probabilities,
                change,
                holdouts: f.holdouts,
            });
        }
        let favourite = steps.last().map_or(0, |last| {
            (0..outcomes.len()).fold(0, |best, o| {
                if last.probabilities[o] > last.probabilities[best] {
                    o
                } else {
                    best
                }
            })
        });
        let mut movers: Vec<usize> = (1..steps.len())
            .filter(|&k| !steps[k].at.events.is_empty() && steps[k].change[favourite] != 0.0)
            .collect();
        movers.sort_by(|&a, &b| {
            steps[b].change[favourite]
                .abs()
                .total_cmp(&steps[a].change[favourite].abs())
                .then(a.cmp(&b))
        });
        Self {
            outcomes,
            steps,
            favourite,
            movers,
        }
    }
}
