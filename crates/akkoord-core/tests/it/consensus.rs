//! The consensus model: golden scenarios computed by hand, the defects of issue 13 (each test
//! fails on the first model), and its invariants.
#![allow(clippy::float_cmp)] // exact equalities are the point: same draws, same counts

use akkoord_core::models::consensus::{
    ConsensusParams, Draw, DrawPlan, PARAMETERS, consensus_map, simulate,
};
use akkoord_core::montecarlo::{AppointmentForecast, McConfig, forecast_appointment};
use akkoord_core::random::TruncatedNormal;
use akkoord_core::scenario::{
    CriterionDraft, FollowDraft, Scenario, ScenarioDraft, StanceDefaultDraft, StanceDraft,
    UncertaintyDraft,
};
use proptest::prelude::*;

use crate::build::{actor, appointing, appointment, candidate, issue, scenario, stance};

/// The published defaults without outsiders or payments: the bargaining as such.
fn params(rounds: u32) -> ConsensusParams {
    ConsensusParams {
        outsider_rate: 0.0,
        payment_share: 0.0,
        deal_window: rounds,
        ..ConsensusParams::argued(rounds)
    }
}

/// The first model's rules: free vetoes, no deadline pressure, no outsiders.
fn free_vetoes(rounds: u32) -> ConsensusParams {
    ConsensusParams {
        veto_cost: 0.0,
        deadline_pressure: 0.0,
        ..params(rounds)
    }
}

fn forecast(s: &Scenario, p: &ConsensusParams, runs: usize, levers: usize) -> AppointmentForecast {
    forecast_appointment(
        appointing(s),
        p,
        McConfig { runs, seed: 3 },
        levers,
        &|_| {},
    )
}

fn two_actors(b_salience: f64) -> ScenarioDraft {
    ScenarioDraft {
        actors: vec![actor("A", 1.0), actor("B", 1.0)],
        appointment: Some(appointment(
            vec![candidate("c")],
            vec![
                stance("A", "c", 80.0, 1.0),
                stance("B", "c", 20.0, b_salience),
            ],
            40.0,
        )),
        ..ScenarioDraft::default()
    }
}

fn red_line(actor: &str, candidate: &str) -> StanceDraft {
    StanceDraft {
        red_line: Some(true),
        ..stance(actor, candidate, 0.0, 1.0)
    }
}

#[test]
fn the_parameter_table_matches_the_published_defaults() {
    let (shipped, argued) = (ConsensusParams::published(5), ConsensusParams::argued(5));
    for param in PARAMETERS {
        assert_eq!(
            shipped.get(param.name),
            Some(param.default),
            "{}",
            param.name
        );
        assert_eq!(argued.get(param.name), Some(param.argued), "{}", param.name);
        assert!(param.low <= param.default && param.default <= param.high);
        assert!(param.low <= param.argued && param.argued <= param.high);
    }
}

#[test]
fn a_holdout_who_cares_completely_and_is_not_paid_keeps_the_fallback() {
    let s = scenario(two_actors(1.0));
    let p = free_vetoes(12);
    let path = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
    assert_eq!(path.winner, None);
    assert_eq!(path.holdouts_at_end, vec![1]);
}

#[test]
fn lobbying_moves_a_half_interested_holdout_in_two_rounds() {
    // Round 1: stakes for 1·1·(80−40)/100 = 0.4, against 1·0.5·(40−20)/100 = 0.1: share 0.8;
    // B moves 0.35·0.8·0.5·(100−20) = 11.2 to 31.2, still below 40. Round 2: against
    // 0.5·8.8/100 = 0.044, share 0.4/0.444; B moves 0.35·0.9009·0.5·68.8 = 10.85 to 42.05.
    let s = scenario(two_actors(0.5));
    let p = free_vetoes(12);
    let path = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
    assert_eq!(path.winner, Some(0));
    assert_eq!(path.round, Some(2));
    assert_eq!(path.last_holdouts, vec![1]);
}

#[test]
fn a_member_whose_stake_is_below_the_cost_of_a_veto_goes_along() {
    // B's stake 0.3·(40−30)/100 = 0.03; the veto would cost it 0.2 × support 1/1.3 ×
    // isolation 1 = 0.154: it does not block. With free vetoes it does.
    let mut draft = two_actors(0.3);
    draft.appointment.as_mut().unwrap().stances[1].support = 30.0;
    let s = scenario(draft);
    let p = params(4);
    assert_eq!(
        simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p).round,
        Some(0)
    );
    let free = free_vetoes(4);
    assert_ne!(
        simulate(appointing(&s), &Draw::stated(appointing(&s), &free), &free).round,
        Some(0)
    );
}

#[test]
fn a_holdout_gives_way_as_the_deadline_nears() {
    // B's stake 1·(40−21)/100 = 0.19 against a cost 0.2 × 0.5 × 1 × (1 + t/4): 0.1, 0.125,
    // 0.15, 0.175 in rounds 0..3 (B blocks; it cares completely, so lobbying cannot move it),
    // 0.2 in round 4: agreement at the deadline.
    let mut draft = two_actors(1.0);
    draft.appointment.as_mut().unwrap().stances[1].support = 21.0;
    let s = scenario(draft);
    let p = params(4);
    let path = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
    assert_eq!((path.winner, path.round), (Some(0), Some(4)));
    assert_eq!(path.holdouts_at_start, vec![1]);
}

#[test]
fn a_red_line_holds_against_support_pressure_and_payments() {
    let mut draft = two_actors(1.0);
    let a = draft.appointment.as_mut().unwrap();
    a.stances[1] = StanceDraft {
        salience: Some(0.0),
        ..red_line("B", "c")
    };
    let s = scenario(draft);
    let p = ConsensusParams {
        payment_share: 1.0,
        ..params(6)
    };
    let path = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
    assert_eq!(path.winner, None);
    assert!(path.deals.is_empty());
}

#[test]
fn a_generic_side_payment_buys_a_holdout_within_the_budget() {
    // B's stake 1·(40−10)/100 = 0.3 against a veto cost of 0.2 × 0.5 × 1 × 2 = 0.2 at the
    // deadline (round 4, the only round of the deal window): a price of 0.1, which A's budget
    // of 0.5 × 0.4 = 0.2 covers.
    let mut draft = two_actors(1.0);
    draft.appointment.as_mut().unwrap().stances[1].support = 10.0;
    let s = scenario(draft);
    let p = ConsensusParams {
        payment_share: 0.5,
        deal_window: 1,
        ..params(4)
    };
    let path = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
    assert_eq!((path.winner, path.round), (Some(0), Some(4)));
    assert_eq!(path.deals.len(), 1);
    assert_eq!(path.deals[0].issue, None);
    assert!((path.deals[0].price - 0.1).abs() < 1e-9, "{:?}", path.deals);
    // A budget of 0.2 × 0.4 = 0.08 does not.
    let poor = ConsensusParams {
        payment_share: 0.2,
        ..p
    };
    assert_eq!(
        simulate(appointing(&s), &Draw::stated(appointing(&s), &poor), &poor).winner,
        None
    );
}

fn with_side_issue(b_side_salience: f64) -> ScenarioDraft {
    let mut draft = two_actors(1.0);
    let mut side = issue("opt-out", &[("A", 100.0, 0.9), ("B", 0.0, b_side_salience)]);
    side.linked_to = Some("post".into());
    draft.issues.push(side);
    draft
}

#[test]
fn a_side_issue_deal_is_taken_when_it_is_cheaper_than_a_payment() {
    // Free vetoes: B's stake 1·(40−20)/100 = 0.2, a payment of 0.2. Side outcome
    // (0.9·100 + 1·0)/1.9 = 47.37; B needs 0.2·100/1 = 20 points; A pays 0.9·20/100 = 0.18.
    let s = scenario(with_side_issue(1.0));
    let p = ConsensusParams {
        payment_share: 1.0,
        ..free_vetoes(3)
    };
    let path = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
    assert_eq!((path.winner, path.round), (Some(0), Some(1)));
    assert_eq!(path.deals.len(), 1);
    assert_eq!(path.deals[0].issue, Some(0));
    assert!(
        (path.deals[0].shift + 20.0).abs() < 1e-9,
        "{:?}",
        path.deals
    );
    assert!(
        (path.deals[0].price - 0.18).abs() < 1e-9,
        "{:?}",
        path.deals
    );
    // When B cares less about the side issue (0.5: 40 points, 0.36), the payment is cheaper.
    let s = scenario(with_side_issue(0.5));
    let path = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
    assert_eq!(path.deals[0].issue, None);
}

#[test]
fn a_side_issue_moves_once_per_draw() {
    // Two holdouts with a position on the same side issue: one deal moves it, the other
    // holdout is paid.
    let mut draft = with_side_issue(1.0);
    draft.actors.push(actor("C", 1.0));
    draft
        .appointment
        .as_mut()
        .unwrap()
        .stances
        .push(stance("C", "c", 20.0, 1.0));
    draft.issues[0]
        .positions
        .push(issue("x", &[("C", 0.0, 1.0)]).positions.remove(0));
    let s = scenario(draft);
    let p = ConsensusParams {
        payment_share: 1.0,
        ..free_vetoes(3)
    };
    let path = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
    let moved = path.deals.iter().filter(|d| d.issue.is_some()).count();
    assert!(moved <= 1, "{:?}", path.deals);
}

// --- The defects of issue 13, point 5: each test fails on the first model. ---

fn uncertain_draft() -> ScenarioDraft {
    let mut draft = with_side_issue(0.6);
    draft.actors.push(actor("C", 2.0));
    draft.actors[0].groups = vec![("region".into(), "west".into())];
    draft.actors[2].groups = vec![("region".into(), "west".into())];
    let a = draft.appointment.as_mut().expect("an appointment");
    a.stances[0].support = 78.0;
    a.stances.push(stance("C", "c", 45.0, 0.6));
    for st in &mut a.stances {
        st.uncertainty = UncertaintyDraft {
            sd: Some(15.0),
            range: None,
        };
    }
    a.candidates.push(candidate("d"));
    a.stances.push(StanceDraft {
        uncertainty: UncertaintyDraft {
            sd: None,
            range: Some([30.0, 70.0]),
        },
        ..stance("B", "d", 50.0, 0.7)
    });
    a.stances.push(stance("C", "d", 30.0, 0.4));
    draft
}

fn by_candidate(s: &Scenario, f: &AppointmentForecast) -> Vec<(String, f64)> {
    let a = s.appointment.as_ref().expect("an appointment");
    let mut v: Vec<(String, f64)> = a
        .candidates
        .iter()
        .zip(&f.candidates)
        .map(|(c, e)| (c.id.clone(), e.probability))
        .collect();
    v.sort_by(|x, y| x.0.cmp(&y.0));
    v.push(("not-named".into(), f.not_named.probability));
    v.push(("no-agreement".into(), f.no_agreement.probability));
    v
}

#[test]
fn issue_13_permuting_actors_and_candidates_changes_no_probability() {
    let draft = uncertain_draft();
    let p = ConsensusParams::argued(4);
    let s = scenario(draft.clone());
    let mut permuted = draft;
    permuted.actors.reverse();
    let a = permuted.appointment.as_mut().unwrap();
    a.candidates.reverse();
    a.stances.reverse();
    let t = scenario(permuted);
    let (f, g) = (forecast(&s, &p, 4000, 0), forecast(&t, &p, 4000, 0));
    assert_eq!(by_candidate(&s, &f), by_candidate(&t, &g));
    // Holdouts are counted by actor id, whatever the order.
    let ids = |s: &Scenario, f: &AppointmentForecast| {
        let mut v: Vec<(String, f64, f64)> = s
            .actors
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.clone(), f.holdout_at_start[i], f.last_holdout[i]))
            .collect();
        v.sort_by(|x, y| x.0.cmp(&y.0));
        v
    };
    assert_eq!(ids(&s, &f), ids(&t, &g));
}

#[test]
fn issue_13_truncated_normals_do_not_pile_at_the_bounds() {
    // A stance of 5 ± 20 on 0..100: the first model clamped about 40% of draws to exactly 0.
    let mut draft = two_actors(0.5);
    let a = draft.appointment.as_mut().unwrap();
    a.stances[1].support = 5.0;
    a.stances[1].uncertainty.sd = Some(20.0);
    let s = scenario(draft);
    let plan = DrawPlan::new(appointing(&s), &params(2));
    let values: Vec<f64> = (0..4000).map(|i| plan.draw(1, i).support[1][0]).collect();
    assert!(values.iter().all(|v| *v > 0.0 && *v < 100.0));
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let expected = TruncatedNormal::new(5.0, 20.0, 0.0, 100.0).mean();
    assert!((mean - expected).abs() < 0.6, "{mean} vs {expected}");
}

#[test]
fn issue_13_a_penalised_candidate_at_zero_is_not_accepted_when_the_fallback_is_zero() {
    // B's support 0 minus a criterion penalty of 30 stays below its fallback of 0; the first
    // model floored it at 0, where it counted as consent.
    let mut draft = ScenarioDraft {
        actors: vec![actor("A", 1.0), actor("B", 1.0)],
        appointment: Some(appointment(
            vec![candidate("c")],
            vec![stance("A", "c", 80.0, 1.0), stance("B", "c", 0.0, 1.0)],
            0.0,
        )),
        ..ScenarioDraft::default()
    };
    draft.actors[0].facts = vec![("spending".into(), 1.0)];
    let a = draft.appointment.as_mut().unwrap();
    a.candidates[0].home = Some("A".into());
    a.criteria.push(CriterionDraft {
        id: "two-percent".into(),
        rule: "home.spending >= 2".into(),
        cared_by: vec![("B".into(), 30.0, None)],
        ..CriterionDraft::default()
    });
    let s = scenario(draft);
    let p = params(1);
    let map = consensus_map(appointing(&s), &p);
    assert_eq!(map.candidates[0].blockers.len(), 1, "{map:?}");
    assert_eq!(
        simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p).round,
        None
    );
}

#[test]
fn issue_13_ties_for_last_to_consent_are_shared() {
    // B and C are the same holdout: they consent in the same round and share the count.
    let mut draft = two_actors(0.5);
    draft.actors.push(actor("C", 1.0));
    draft
        .appointment
        .as_mut()
        .unwrap()
        .stances
        .push(stance("C", "c", 20.0, 0.5));
    let s = scenario(draft);
    let p = params(8);
    let path = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
    assert_eq!(path.winner, Some(0));
    assert_eq!(path.last_holdouts, vec![1, 2]);
    let f = forecast(&s, &p, 10, 0);
    assert_eq!(f.last_holdout, vec![0.0, 0.5, 0.5]);
}

#[test]
fn issue_13_a_front_runner_vetoed_for_good_withdraws_so_a_rival_can_be_nominated() {
    let mut rival = candidate("rival");
    rival.status = "interested".into();
    rival.home = Some("B".into());
    let s = scenario(ScenarioDraft {
        actors: vec![actor("A", 1.0), actor("B", 1.0), actor("C", 1.0)],
        appointment: Some(appointment(
            vec![candidate("front"), rival],
            vec![
                stance("A", "front", 90.0, 1.0),
                stance("C", "front", 90.0, 1.0),
                red_line("B", "front"),
                stance("B", "rival", 70.0, 0.3),
            ],
            50.0,
        )),
        ..ScenarioDraft::default()
    });
    let p = params(4);
    let path = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
    assert_eq!((path.winner, path.round), (Some(1), Some(1)));
}

#[test]
fn issue_13_an_actor_without_a_stance_gets_its_own_salience_not_1() {
    let mut draft = two_actors(0.4);
    draft.actors.push(actor("D", 1.0));
    draft
        .appointment
        .as_mut()
        .unwrap()
        .candidates
        .push(candidate("e"));
    let s = scenario(draft);
    let p = params(2);
    let d = Draw::stated(appointing(&s), &p);
    // B said 0.4 about c and nothing about e; D said nothing at all.
    assert!((d.salience[1][1] - 0.4).abs() < 1e-12);
    assert!((d.salience[2][0] - p.silent_salience).abs() < 1e-12);
    assert!(!d.stated[2][0]);
}

#[test]
fn issue_13_the_map_and_the_dynamics_agree_on_who_can_pass() {
    let mut draft = two_actors(1.0);
    let a = draft.appointment.as_mut().unwrap();
    let mut quiet = candidate("quiet");
    quiet.status = "interested".into();
    a.candidates.push(quiet);
    a.stances.push(stance("A", "quiet", 60.0, 0.5));
    a.stances.push(stance("B", "quiet", 60.0, 0.5));
    let mut gone = candidate("gone");
    gone.status = "withdrawn".into();
    a.candidates.push(gone);
    let s = scenario(draft);
    let p = params(3);
    let map = consensus_map(appointing(&s), &p);
    assert!(map.candidates[1].blockers.is_empty());
    assert!(!map.candidates[1].passes && !map.candidates[2].passes);
    assert_eq!(map.nash_choice, None);
    assert_ne!(
        simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p).round,
        Some(0)
    );
}

#[test]
fn a_candidate_nobody_backs_is_not_agreed_by_silence() {
    // "minor" is nominated and nobody objects, but only D backs it (weighted support 0.1 of
    // the body) while the interested "leader" has A, B and C: silent members follow the
    // emerging consensus, so the leader is put forward and agreed in round 1.
    let mut leader = candidate("leader");
    leader.status = "interested".into();
    leader.home = Some("A".into());
    let mut minor = candidate("minor");
    minor.status = "nominated".into();
    let s = scenario(ScenarioDraft {
        actors: ["A", "B", "C", "D"].iter().map(|x| actor(x, 1.0)).collect(),
        appointment: Some(appointment(
            vec![leader, minor],
            vec![
                stance("A", "leader", 80.0, 1.0),
                stance("B", "leader", 70.0, 1.0),
                stance("C", "leader", 70.0, 1.0),
                stance("D", "minor", 70.0, 0.4),
            ],
            50.0,
        )),
        ..ScenarioDraft::default()
    });
    let p = params(3);
    assert!(!consensus_map(appointing(&s), &p).candidates[1].passes);
    let path = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
    assert_eq!((path.winner, path.round), (Some(0), Some(1)));
}

#[test]
fn issue_13_levers_start_from_the_headline() {
    let s = scenario(uncertain_draft());
    let p = ConsensusParams::argued(4);
    let f = forecast(&s, &p, 3000, 500);
    assert!(!f.levers.is_empty());
    for l in &f.levers {
        assert_eq!(l.before, f.candidates[l.candidate].probability);
    }
}

#[test]
fn issue_13_holdouts_at_the_start_and_at_the_end_are_reported_apart() {
    let s = scenario(two_actors(1.0));
    let p = free_vetoes(3);
    let stuck = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
    assert!(stuck.holdouts_at_start.is_empty());
    assert_eq!(stuck.holdouts_at_end, vec![1]);
    let s = scenario(two_actors(0.5));
    let agreed = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
    assert_eq!(agreed.holdouts_at_start, vec![1]);
    assert!(agreed.holdouts_at_end.is_empty());
}

// --- Correlated uncertainty and outsiders. ---

#[test]
fn members_of_a_group_share_a_shock() {
    let mut draft = uncertain_draft();
    draft.appointment.as_mut().unwrap().stances[0].support = 50.0;
    let s = scenario(draft);
    let correlation = |shared: f64| {
        let p = ConsensusParams {
            shared_shock: shared,
            ..params(2)
        };
        let plan = DrawPlan::new(appointing(&s), &p);
        let pairs: Vec<(f64, f64)> = (0..4000)
            .map(|i| {
                let d = plan.draw(9, i);
                (d.support[0][0], d.support[2][0])
            })
            .collect();
        let n = pairs.len() as f64;
        let (mx, my) = (
            pairs.iter().map(|p| p.0).sum::<f64>() / n,
            pairs.iter().map(|p| p.1).sum::<f64>() / n,
        );
        let cov = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>();
        let vx = pairs.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>();
        let vy = pairs.iter().map(|p| (p.1 - my).powi(2)).sum::<f64>();
        cov / (vx * vy).sqrt()
    };
    assert!(correlation(0.0).abs() < 0.06);
    assert!(
        (correlation(0.6) - 0.6).abs() < 0.08,
        "{}",
        correlation(0.6)
    );
}

#[test]
fn an_outsider_wins_a_deadlock_with_the_integrated_hazard() {
    let mut draft = two_actors(1.0);
    draft.appointment.as_mut().unwrap().stances[1] = red_line("B", "c");
    let s = scenario(draft);
    for rate in [0.0, 0.5, 1.5] {
        let p = ConsensusParams {
            outsider_rate: rate,
            ..params(4)
        };
        let f = forecast(&s, &p, 4000, 0);
        let expected = 1.0 - (-rate).exp();
        assert!(
            (f.not_named.probability - expected).abs() < 0.03,
            "{rate}: {}",
            f.not_named.probability
        );
        assert_eq!(f.candidates[0].probability, 0.0);
    }
}

#[test]
fn timing_is_given_as_dates() {
    let mut draft = two_actors(0.5);
    draft.as_of = Some("2024-01-01".into());
    draft.deadline = Some(akkoord_core::scenario::DeadlineDraft {
        date: Some("2024-05-01".into()),
        rounds: Some(4),
        meetings: Vec::new(),
    });
    let s = scenario(draft);
    let f = forecast(&s, &free_vetoes(4), 10, 0);
    assert_eq!(f.round_dates.len(), 5);
    assert_eq!(f.round_dates[0], "2024-01-01");
    assert_eq!(f.round_dates[4], "2024-05-01");
    assert_eq!(f.median_round, Some(2));
}

#[test]
fn listed_meetings_are_the_rounds_and_their_dates() {
    let mut draft = two_actors(0.5);
    draft.as_of = Some("2024-01-01".into());
    let meetings = ["2024-02-14", "2024-04-04", "2024-06-13", "2024-07-09"];
    draft.deadline = Some(akkoord_core::scenario::DeadlineDraft {
        date: Some("2024-07-10".into()),
        rounds: None,
        meetings: meetings.iter().map(|m| (*m).to_string()).collect(),
    });
    let s = scenario(draft);
    assert_eq!(s.deadline.rounds_or_default(), 4);
    let f = forecast(&s, &free_vetoes(4), 10, 0);
    assert_eq!(f.round_dates[0], "2024-01-01");
    assert_eq!(f.round_dates[1..], meetings);
    // Another number of rounds than meetings (a `--rounds` override): rounds placed along
    // the meetings, here every second one.
    let f = forecast(&s, &free_vetoes(2), 10, 0);
    assert_eq!(f.round_dates, ["2024-01-01", "2024-04-04", "2024-07-09"]);
    // Between two meetings, time runs linearly: a quarter of the way is half-way between
    // as_of and the first meeting.
    assert_eq!(s.day_at(0.125), 22);
}

// --- Properties. ---

/// A random appointment: 2..6 actors, 1..4 candidates, stances 0..100 with some
/// uncertainty, saliences 0..1.
fn random_appointment() -> impl Strategy<Value = (ScenarioDraft, usize)> {
    (2usize..6, 1usize..4).prop_flat_map(|(n, m)| {
        (
            proptest::collection::vec(0.1f64..10.0, n),
            proptest::collection::vec(
                proptest::collection::vec((0.0f64..100.0, 0.05f64..1.0, 0.0f64..20.0), m),
                n,
            ),
            20.0f64..60.0,
        )
            .prop_map(move |(caps, table, fallback)| {
                let actors = (0..n)
                    .map(|a| {
                        let mut x = actor(&format!("a{a}"), caps[a]);
                        x.groups = vec![("bloc".into(), format!("g{}", a % 2))];
                        x
                    })
                    .collect();
                let candidates = (0..m).map(|c| candidate(&format!("c{c}"))).collect();
                let stances = (0..n)
                    .flat_map(|a| (0..m).map(move |c| (a, c)))
                    .map(|(a, c)| StanceDraft {
                        uncertainty: UncertaintyDraft {
                            sd: Some(table[a][c].2),
                            range: None,
                        },
                        ..stance(
                            &format!("a{a}"),
                            &format!("c{c}"),
                            table[a][c].0,
                            table[a][c].1,
                        )
                    })
                    .collect();
                (
                    ScenarioDraft {
                        actors,
                        appointment: Some(appointment(candidates, stances, fallback)),
                        ..ScenarioDraft::default()
                    },
                    m,
                )
            })
    })
}

fn raise(draft: &mut ScenarioDraft, actor: &str, candidate: &str, by: f64) {
    let a = draft.appointment.as_mut().expect("an appointment");
    for st in a
        .stances
        .iter_mut()
        .filter(|st| st.actor == actor && st.candidate == candidate)
    {
        st.support = (st.support + by).min(100.0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn more_support_never_costs_a_candidate_the_job((draft, m) in random_appointment(), who in 0usize..6, by in 1.0f64..50.0) {
        let p = ConsensusParams::argued(6);
        let s = scenario(draft.clone());
        let before = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
        if let Some(c) = before.winner {
            let mut draft = draft;
            raise(&mut draft, &format!("a{}", who % s.actors.len()), &format!("c{}", c % m), by);
            let s = scenario(draft);
            let after = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
            prop_assert_eq!(after.winner, Some(c));
        }
    }

    #[test]
    fn adding_a_supporter_never_lowers_a_probability((draft, m) in random_appointment(), who in 0usize..6, target in 0usize..4, by in 1.0f64..50.0) {
        let p = ConsensusParams::argued(4);
        let s = scenario(draft.clone());
        let c = target % m;
        let before = forecast(&s, &p, 300, 0).candidates[c].probability;
        let mut draft = draft;
        raise(&mut draft, &format!("a{}", who % s.actors.len()), &format!("c{c}"), by);
        let after = forecast(&scenario(draft), &p, 300, 0).candidates[c].probability;
        prop_assert!(after >= before, "{} < {}", after, before);
    }

    #[test]
    fn a_candidate_nobody_blocks_is_agreed_at_once((draft, _) in random_appointment()) {
        let p = ConsensusParams::argued(6);
        let s = scenario(draft);
        let map = consensus_map(appointing(&s), &p);
        let path = simulate(appointing(&s), &Draw::stated(appointing(&s), &p), &p);
        if map.candidates.iter().any(|c| c.passes) {
            prop_assert_eq!(path.round, Some(0));
            prop_assert!(path.winner.is_some());
        }
    }

    #[test]
    fn a_member_with_salience_0_never_blocks((draft, _) in random_appointment()) {
        let mut draft = draft;
        for st in draft.appointment.as_mut().unwrap().stances.iter_mut().filter(|st| st.actor == "a0") {
            st.salience = Some(0.0);
        }
        let p = ConsensusParams::argued(6);
        let s = scenario(draft);
        let first = s.actor_id(&s.actors[0].id).expect("the first actor has an id");
        prop_assert!(consensus_map(appointing(&s), &p).candidates.iter().all(|c| !c.blockers.contains(&first)));
        let f = forecast(&s, &p, 200, 0);
        prop_assert_eq!(f.holdout_at_start[0], 0.0);
        prop_assert_eq!(f.holdout_at_end[0], 0.0);
    }

    #[test]
    fn a_red_line_is_never_crossed((draft, _) in random_appointment()) {
        let mut draft = draft;
        for st in draft.appointment.as_mut().unwrap().stances.iter_mut().filter(|st| st.actor == "a0" && st.candidate == "c0") {
            st.red_line = Some(true);
        }
        let p = ConsensusParams { payment_share: 1.0, ..ConsensusParams::argued(6) };
        let s = scenario(draft);
        prop_assert_eq!(forecast(&s, &p, 200, 0).candidates[0].probability, 0.0);
    }

    #[test]
    fn actor_and_candidate_order_do_not_matter((draft, _) in random_appointment()) {
        let p = ConsensusParams::argued(4);
        let s = scenario(draft.clone());
        let mut permuted = draft;
        permuted.actors.reverse();
        let a = permuted.appointment.as_mut().unwrap();
        a.candidates.reverse();
        a.stances.reverse();
        let t = scenario(permuted);
        prop_assert_eq!(by_candidate(&s, &forecast(&s, &p, 200, 0)), by_candidate(&t, &forecast(&t, &p, 200, 0)));
    }
}

#[test]
fn probabilities_sum_to_one() {
    let s = scenario(uncertain_draft());
    let f = forecast(&s, &ConsensusParams::argued(6), 3000, 0);
    let total: f64 = f.candidates.iter().map(|e| e.probability).sum::<f64>()
        + f.no_agreement.probability
        + f.not_named.probability;
    assert!((total - 1.0).abs() < 1e-12, "{total}");
}

#[test]
fn forecasts_do_not_depend_on_the_thread_count() {
    let s = scenario(uncertain_draft());
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| forecast(&s, &ConsensusParams::argued(6), 5000, 500))
    };
    let (one, two) = (run(1), run(2));
    assert_eq!(format!("{one:?}"), format!("{two:?}"));
}

fn stance_default(
    actor: Option<&str>,
    group: Option<(&str, &str)>,
    support: f64,
    salience: f64,
) -> StanceDefaultDraft {
    StanceDefaultDraft {
        actor: actor.map(Into::into),
        group: group
            .map(|(k, v)| vec![(k.into(), v.into())])
            .unwrap_or_default(),
        support,
        salience: Some(salience),
        ..StanceDefaultDraft::default()
    }
}

fn stated_supports(s: &Scenario) -> Vec<Vec<f64>> {
    let d = Draw::stated(appointing(s), &params(4));
    d.support.iter().map(|row| row.to_vec()).collect()
}

#[test]
fn defaults_fill_unwritten_stances_the_most_specific_first() {
    let mut draft = two_actors(0.5);
    draft.actors.push(actor("C", 1.0));
    draft.actors.push(actor("D", 1.0));
    draft.actors[2].groups = vec![("bloc".into(), "east".into())];
    draft.actors[3].groups = vec![("bloc".into(), "east".into())];
    let a = draft.appointment.as_mut().expect("an appointment");
    a.candidates.push(candidate("d"));
    a.defaults = vec![
        stance_default(None, None, 60.0, 0.3),
        stance_default(None, Some(("bloc", "east")), 30.0, 0.6),
        StanceDefaultDraft {
            candidates: Some(vec!["d".into()]),
            ..stance_default(Some("D"), None, 90.0, 0.9)
        },
    ];
    let s = scenario(draft);
    // Written stances stay (A and B on c); everyone's default fills A and B on d; the group's
    // fills C and D on c, and C on d; D's own default wins on d.
    assert_eq!(
        stated_supports(&s),
        vec![
            vec![80.0, 60.0],
            vec![20.0, 60.0],
            vec![30.0, 30.0],
            vec![30.0, 90.0]
        ]
    );
    let a = s.appointment.as_ref().expect("an appointment");
    assert_eq!(a.stances[3][1].as_ref().map(|x| x.salience), Some(0.9));
    assert_eq!(a.stances[2][0].as_ref().map(|x| x.salience), Some(0.6));
}

fn follower_draft(weight: f64) -> ScenarioDraft {
    // L opposes c (20 against a fallback of 40); F says nothing and follows L; G follows F.
    let mut draft = two_actors(0.5);
    draft.actors = vec![
        actor("A", 1.0),
        actor("L", 1.0),
        actor("F", 1.0),
        actor("G", 1.0),
    ];
    let a = draft.appointment.as_mut().expect("an appointment");
    a.stances = vec![stance("A", "c", 80.0, 1.0), stance("L", "c", 20.0, 0.5)];
    a.follows = vec![
        FollowDraft {
            actor: "G".into(),
            leader: "F".into(),
            weight: Some(1.0),
        },
        FollowDraft {
            actor: "F".into(),
            leader: "L".into(),
            weight: Some(weight),
        },
    ];
    draft
}

#[test]
fn a_follower_takes_the_margin_of_its_leader_and_chains_carry() {
    // F: 40 + 0.5 × (20 − 40) = 30, now a stated view against c; G copies F's margin.
    let s = scenario(follower_draft(0.5));
    let d = Draw::stated(appointing(&s), &params(4));
    let column: Vec<f64> = d.support.iter().map(|row| row[0]).collect();
    assert_eq!(column, vec![80.0, 20.0, 30.0, 30.0]);
    assert_eq!(
        d.stated.iter().map(|row| row[0]).collect::<Vec<_>>(),
        [true; 4]
    );
    // With weight 0 nothing moves and the silent follower stays indifferent.
    let s = scenario(follower_draft(0.0));
    let d = Draw::stated(appointing(&s), &params(4));
    assert_eq!(d.support[2][0], 40.0);
    assert!(!d.stated[2][0]);
}

/// [`follower_draft`] with a leader whose view of c is uncertain (sd 20).
fn uncertain_leader(weight: f64) -> ScenarioDraft {
    let mut draft = follower_draft(weight);
    draft.appointment.as_mut().expect("an appointment").stances[1].uncertainty = UncertaintyDraft {
        sd: Some(20.0),
        range: None,
    };
    draft
}

#[test]
fn followers_move_with_their_leader_in_every_draw() {
    let s = scenario(uncertain_leader(1.0));
    let plan = DrawPlan::new(appointing(&s), &params(4));
    for i in 0..200 {
        let d = plan.draw(9, i);
        // The same value up to rounding: 40 + (x − 40).
        assert!((d.support[2][0] - d.support[1][0]).abs() < 1e-12);
        assert!((d.support[3][0] - d.support[1][0]).abs() < 1e-12);
    }
}

#[test]
fn following_does_not_depend_on_the_order_of_the_file() {
    let mut draft = uncertain_leader(0.7);
    let s = scenario(draft.clone());
    draft.actors.reverse();
    draft
        .appointment
        .as_mut()
        .expect("an appointment")
        .follows
        .reverse();
    let t = scenario(draft);
    let p = ConsensusParams::published(4);
    let (f, g) = (forecast(&s, &p, 2000, 0), forecast(&t, &p, 2000, 0));
    assert_eq!(by_candidate(&s, &f), by_candidate(&t, &g));
}
