//! The sentences that the terminal brief and the HTML report both say, written once.

use akkoord_core::scenario::{BodyRule, Counting, Scenario};

use crate::json::ForecastOutput;

/// Display names for the ids that the JSON output carries.
pub struct Names<'a> {
    s: &'a Scenario,
}

impl<'a> Names<'a> {
    /// The names of this scenario's actors, candidates and issues.
    pub fn new(s: &'a Scenario) -> Self {
        Self { s }
    }

    /// An actor's name.
    pub fn actor(&self, id: &str) -> String {
        self.s
            .actors
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.to_owned(), |a| a.name.clone())
    }

    /// A candidate's (or the fallback's) name.
    pub fn candidate(&self, id: &str) -> String {
        let a = self.s.appointment.as_ref();
        a.and_then(|a| a.candidates.iter().find(|c| c.id == id))
            .map(|c| c.name.clone())
            .or_else(|| {
                a.filter(|a| a.fallback.id == id)
                    .map(|a| a.fallback.label.clone())
            })
            .unwrap_or_else(|| id.to_owned())
    }

    /// An issue's name.
    pub fn issue(&self, id: &str) -> String {
        self.s
            .issues
            .iter()
            .find(|i| i.id == id)
            .map_or_else(|| id.to_owned(), |i| i.name.clone())
    }
}

/// What the levers measure, for a legend.
pub const LEVERS_LEGEND: &str = "stance changes that move the favourite most (change of its probability, measured on the same random draws with and without the change)";

/// The `issue` of a deal made through a generic side payment rather than a linked side issue.
const SIDE_PAYMENT: &str = "side-payment";

fn percent(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// One sentence per deal made in at least one draw in 2000, most frequent first.
pub fn deals(out: &ForecastOutput, names: &Names<'_>) -> Vec<String> {
    out.deals
        .iter()
        .filter(|d| d.probability >= 0.0005)
        .map(|d| {
            let actor = names.actor(&d.actor);
            let candidate = names.candidate(&d.candidate);
            if d.issue == SIDE_PAYMENT {
                format!(
                    "{actor} consents to {candidate} for a side payment worth {:.3} ({} of draws)",
                    d.mean_price,
                    percent(d.probability)
                )
            } else {
                format!(
                    "{actor} consents to {candidate} when {} moves {:.1} points toward {actor}'s position ({} of draws)",
                    names.issue(&d.issue),
                    d.mean_shift.abs(),
                    percent(d.probability)
                )
            }
        })
        .collect()
}

/// One sentence per lever whose effect shows at a tenth of a point.
pub fn levers(out: &ForecastOutput, names: &Names<'_>) -> Vec<String> {
    out.levers
        .iter()
        .filter(|l| percent(l.after) != percent(l.before))
        .map(|l| {
            let verb = if l.change > 0.0 { "rose" } else { "fell" };
            format!(
                "if {}'s support for {} {verb} by {:.0} points: {:+.1} points",
                names.actor(&l.actor),
                names.candidate(&l.candidate),
                l.change.abs(),
                100.0 * (l.after - l.before)
            )
        })
        .collect()
}

/// The decision rule of each body in order, one sentence: "Council: 55% of members and 65% of
/// population (a blocking minority needs 4 members); then Parliament: more than 50% of seats".
pub fn bodies_rule(s: &Scenario) -> String {
    let percent = |share: f64| format!("{}%", (share * 1000.0).round() / 10.0);
    s.bodies
        .iter()
        .map(|body| {
            let vetoes: Vec<&str> = (0..s.actors.len())
                .filter(|&a| body.veto[a])
                .map(|a| s.actors[a].id.as_str())
                .collect();
            let members = body.members.iter().flatten().count();
            let rule = match &body.rule {
                BodyRule::Consensus => format!("consensus of {members} members"),
                BodyRule::Votes { count } => format!("{count} yes votes of {members} members"),
                BodyRule::Majority {
                    thresholds,
                    blocking_minority,
                } => {
                    let parts: Vec<String> = thresholds
                        .iter()
                        .map(|t| {
                            let how = if t.strict { "more than " } else { "" };
                            let of = if t.weight == "weight" {
                                "the voting weight"
                            } else {
                                &t.weight
                            };
                            let counted = match t.counting {
                                Counting::Yes => "in favour",
                                Counting::NotAgainst => "not against",
                            };
                            format!("{how}{} of {of} {counted}", percent(t.share))
                        })
                        .collect();
                    let minority = blocking_minority
                        .map(|m| format!(" (a blocking minority needs {m} members)"))
                        .unwrap_or_default();
                    format!("{}{minority}", parts.join(" and "))
                }
            };
            let veto = if vetoes.is_empty() || body.rule == BodyRule::Consensus {
                String::new()
            } else {
                format!(", no veto from {}", vetoes.join(", "))
            };
            format!("{}: {rule}{veto}", body.name)
        })
        .collect::<Vec<_>>()
        .join("; then ")
}
