//! The decision rules of real bodies in the consensus model: each member's answer (yes, no or
//! abstain) derived from its stance, and whether a body's answers carry a candidate.
//!
//! **Answers.** Member `a` of a body, on candidate `c` at time `τ`, with support `u`, fallback
//! value `f` and the body's `abstain_within` band `w` (0 unless written):
//! - a veto holder answers **no** exactly when it would block under consensus (a red line,
//!   or a stated loss whose stake outweighs the cost of a veto); a veto holder that opposes
//!   at less than that cost **abstains**, as permanent members do rather than veto;
//! - any other member answers **no** on a red line, or when it opposes `c` by more than `w`
//!   points (`u < f − w`);
//! - every member answers **yes** when it supports `c` by more than `w` points (`u > f + w`);
//! - everything else is an **abstention**: silent members, indifferent ones, those within the
//!   band. An abstention is neither a yes nor a veto.
//!
//! **Rules.** `Consensus`: no veto holder answers no. `Votes { count }`: at least `count`
//! members answer yes and no veto holder answers no. `Majority`: each threshold's share of
//! the members' weight answers yes (or, for the first format's single threshold, does not
//! answer no), or fewer members than the blocking minority fail to answer yes; and no veto
//! holder answers no. Members are counted on the date of the round.
//!
//! This module reads the draw and never changes it; the dynamics stay in `consensus.rs`.

use super::{ConsensusParams, Draw, Shares, shares, veto_cost};
use crate::scenario::{Body, BodyRule, Counting, Scenario};

/// A member's answer to a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// It votes for the candidate.
    Yes,
    /// It votes against; from a veto holder, a veto.
    No,
    /// Neither.
    Abstain,
}

/// The day (after `as_of`) of time `tau`: the day membership and stage deadlines are counted
/// on ([`Scenario::day_at`]).
fn day(s: &Scenario, tau: f64) -> i64 {
    s.day_at(tau)
}

/// Whether actor `a` sits in `body` on `day`.
fn member(body: &Body, a: usize, day: i64) -> bool {
    body.members[a].is_some_and(|m| m.on(day))
}

/// Whether `b` holds a veto at `tau` in the body the bargaining runs in (the first).
pub(super) fn holds_veto(s: &Scenario, b: usize, tau: f64) -> bool {
    match s.bodies.first() {
        None => s.actors[b].veto,
        Some(body) => body.veto[b] && member(body, b, day(s, tau)),
    }
}

/// Member `a`'s answer on `c` at `tau` (see the module documentation).
#[allow(clippy::too_many_arguments)] // the draw, the body and the time an answer depends on
fn answer(
    s: &Scenario,
    d: &Draw,
    p: &ConsensusParams,
    body: &Body,
    sh: Shares,
    a: usize,
    c: usize,
    tau: f64,
) -> Answer {
    let margin = d.support[a][c] - d.fallback[a];
    let band = body.abstain_within;
    if body.veto[a] {
        if d.red_line[a][c]
            || (d.opposes(a, c) && d.stake(a, c) > veto_cost(s, d, p, sh, a, c, tau))
        {
            return Answer::No;
        }
    } else if d.red_line[a][c] || (d.opposes(a, c) && -margin > band) {
        return Answer::No;
    }
    if d.supports(a, c) && margin > band {
        Answer::Yes
    } else {
        Answer::Abstain
    }
}

/// The answers of the members of `body` on the date of `tau` to candidate `c`, as
/// `(actor, answer)`.
pub fn answers(
    s: &Scenario,
    d: &Draw,
    p: &ConsensusParams,
    body: &Body,
    c: usize,
    tau: f64,
) -> Vec<(usize, Answer)> {
    let today = day(s, tau);
    let sh = shares(s, d, c);
    (0..s.actors.len())
        .filter(|&a| member(body, a, today))
        .map(|a| (a, answer(s, d, p, body, sh, a, c, tau)))
        .collect()
}

/// Whether the answers carry the candidate, leaving vetoes aside.
fn counts_reached(body: &Body, answers: &[(usize, Answer)]) -> bool {
    let yes = |x: &&(usize, Answer)| x.1 == Answer::Yes;
    match &body.rule {
        BodyRule::Consensus => true,
        BodyRule::Votes { count } => answers.iter().filter(yes).count() >= *count as usize,
        BodyRule::Majority {
            thresholds,
            blocking_minority,
        } => {
            let not_yes = answers.len() - answers.iter().filter(yes).count();
            if blocking_minority.is_some_and(|m| not_yes < m as usize) {
                return true;
            }
            thresholds.iter().all(|t| {
                let (mut total, mut counted) = (0.0, 0.0);
                for &(a, ans) in answers {
                    let w = t.by_actor[a];
                    total += w;
                    let counts = match t.counting {
                        Counting::Yes => ans == Answer::Yes,
                        Counting::NotAgainst => ans != Answer::No,
                    };
                    if counts {
                        counted += w;
                    }
                }
                let share = if total > 0.0 { counted / total } else { 0.0 };
                if t.strict {
                    share > t.share
                } else {
                    share >= t.share
                }
            })
        }
    }
}

/// Whether `body` agrees to `c` at `tau`: before its deadline, no veto holder answers no and
/// the answers reach its counts.
pub fn body_passes(
    s: &Scenario,
    d: &Draw,
    p: &ConsensusParams,
    body: &Body,
    c: usize,
    tau: f64,
) -> bool {
    if body.deadline_day.is_some_and(|last| day(s, tau) > last) {
        return false;
    }
    let answers = answers(s, d, p, body, c, tau);
    !answers
        .iter()
        .any(|&(a, ans)| ans == Answer::No && body.veto[a])
        && counts_reached(body, &answers)
}

/// The members whose answers keep `c` from passing the first body at `tau`: veto holders who
/// answer no; without a veto, while the counts are missing, every member whose answer does not
/// count toward them.
pub(super) fn body_blockers(
    s: &Scenario,
    d: &Draw,
    p: &ConsensusParams,
    c: usize,
    tau: f64,
) -> Vec<usize> {
    let body = &s.bodies[0];
    let answers = answers(s, d, p, body, c, tau);
    let vetoed: Vec<usize> = answers
        .iter()
        .filter(|&&(a, ans)| ans == Answer::No && body.veto[a])
        .map(|&(a, _)| a)
        .collect();
    if !vetoed.is_empty() || counts_reached(body, &answers) {
        return vetoed;
    }
    let only_no = matches!(&body.rule, BodyRule::Majority { thresholds, .. }
        if thresholds.iter().all(|t| t.counting == Counting::NotAgainst));
    answers
        .iter()
        .filter(|&&(_, ans)| ans == Answer::No || (!only_no && ans == Answer::Abstain))
        .map(|&(a, _)| a)
        .collect()
}

/// Whether candidate `c`, agreed in the first body at `tau`, is confirmed by every later
/// body and accepts the post in this draw.
pub(super) fn confirmed(s: &Scenario, d: &Draw, p: &ConsensusParams, c: usize, tau: f64) -> bool {
    !d.declines[c]
        && s.bodies
            .iter()
            .skip(1)
            .all(|body| body_passes(s, d, p, body, c, tau))
}
