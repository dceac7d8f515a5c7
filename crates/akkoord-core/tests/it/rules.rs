//! The decision rules of real bodies: hand-computed answers of the UN Security Council's
//! nine votes with five vetoes, the EU's double majority with its blocking minority, dated
//! membership, candidates from outside the body, availability and two stages.
#![allow(clippy::float_cmp)] // exact equalities are the point: same draws, same paths

use akkoord_core::models::consensus::{
    Answer, ConsensusParams, Draw, DrawPlan, answers, passes, simulate,
};
use akkoord_core::scenario::{
    AppointmentDraft, CandidateDraft, DeadlineDraft, RuleDraft, RulePartsDraft, Scenario,
    ScenarioDraft, StageDraft, StanceDraft, ThresholdDraft,
};
use akkoord_core::validate::validate;

use crate::build::{actor, appointing, appointment, candidate, scenario, stance};

fn params() -> ConsensusParams {
    ConsensusParams {
        outsider_rate: 0.0,
        ..ConsensusParams::published(4)
    }
}

const P5: [&str; 5] = ["CHN", "FRA", "GBR", "RUS", "USA"];
const ELECTED: [&str; 10] = [
    "E01", "E02", "E03", "E04", "E05", "E06", "E07", "E08", "E09", "E10",
];

/// The Security Council: nine yes votes and no permanent member's "no". `stances` gives each
/// member's support for candidate `c` (fallback 50; members not listed are silent).
fn council(stances: &[(&str, f64)]) -> Scenario {
    let actors = P5.iter().chain(&ELECTED).map(|id| actor(id, 1.0)).collect();
    scenario(ScenarioDraft {
        actors,
        rule: Some(RuleDraft {
            kind: "votes".into(),
            parts: RulePartsDraft {
                count: Some(9),
                veto_holders: P5.iter().map(|x| (*x).to_owned()).collect(),
                ..RulePartsDraft::default()
            },
            ..RuleDraft::default()
        }),
        appointment: Some(appointment(
            vec![candidate("c")],
            stances
                .iter()
                .map(|(a, support)| stance(a, "c", *support, 1.0))
                .collect(),
            50.0,
        )),
        ..ScenarioDraft::default()
    })
}

fn tally(s: &Scenario) -> [usize; 3] {
    let p = params();
    let d = Draw::stated(appointing(s), &p);
    let mut out = [0; 3];
    for (_, answer) in answers(s, &d, &p, &s.bodies[0], 0, 0.0) {
        out[match answer {
            Answer::Yes => 0,
            Answer::No => 1,
            Answer::Abstain => 2,
        }] += 1;
    }
    out
}

fn passes_now(s: &Scenario) -> bool {
    let p = params();
    passes(s, &Draw::stated(appointing(s), &p), &p, 0, 0.0)
}

#[test]
fn eight_yes_and_no_veto_fails() {
    let yes: Vec<(&str, f64)> = ELECTED[..8].iter().map(|a| (*a, 80.0)).collect();
    let s = council(&yes);
    assert_eq!(tally(&s), [8, 0, 7]);
    assert!(!passes_now(&s));
}

#[test]
fn nine_yes_with_one_permanent_no_fails() {
    // RUS: stake 1 × (50 − 10)/100 = 0.4; the veto costs at most 0.2 × support 9/15 = 0.12.
    let mut stances: Vec<(&str, f64)> = ELECTED[..9].iter().map(|a| (*a, 80.0)).collect();
    stances.push(("RUS", 10.0));
    let s = council(&stances);
    assert_eq!(tally(&s), [9, 1, 5]);
    assert!(!passes_now(&s));
}

#[test]
fn nine_yes_and_five_abstentions_pass() {
    // Three permanent members for, two silent; six elected for, four silent, ...
    let mut stances: Vec<(&str, f64)> = vec![("CHN", 70.0), ("FRA", 70.0), ("USA", 70.0)];
    stances.extend(ELECTED[..6].iter().map(|a| (*a, 80.0)));
    // ... and one elected member against: a "no" without a veto.
    stances.push(("E10", 10.0));
    let s = council(&stances);
    assert_eq!(tally(&s), [9, 1, 5]);
    assert!(passes_now(&s));
}

#[test]
fn a_permanent_member_that_opposes_mildly_abstains_rather_than_vetoes() {
    // GBR: stake (50 − 45)/100 = 0.05, below the veto's cost 0.2 × 9/15 × isolation 1 = 0.12.
    let mut stances: Vec<(&str, f64)> = ELECTED[..9].iter().map(|a| (*a, 80.0)).collect();
    stances.push(("GBR", 45.0));
    let s = council(&stances);
    assert_eq!(tally(&s), [9, 0, 6]);
    assert!(passes_now(&s));
}

#[test]
fn the_abstention_band_turns_lukewarm_support_into_abstentions() {
    let stances: Vec<(&str, f64)> = ELECTED[..9].iter().map(|a| (*a, 53.0)).collect();
    let mut draft_scenario = council(&stances);
    assert!(passes_now(&draft_scenario));
    draft_scenario.bodies[0].abstain_within = 5.0;
    assert_eq!(tally(&draft_scenario), [0, 0, 15]);
    assert!(!passes_now(&draft_scenario));
}

/// Ten members holding 100 units of population; 55% of members and 65% of the population,
/// answered by `no` voting against and everyone else for.
fn double_majority(no: &[&str], blocking_minority: Option<i64>) -> Scenario {
    let population = [
        ("A", 30.0),
        ("B", 20.0),
        ("C", 12.0),
        ("D", 10.0),
        ("E", 8.0),
        ("F", 6.0),
        ("G", 5.0),
        ("H", 4.0),
        ("I", 3.0),
        ("J", 2.0),
    ];
    let actors = population
        .iter()
        .map(|(id, p)| {
            let mut a = actor(id, 1.0);
            a.facts = vec![("population".into(), *p)];
            a
        })
        .collect();
    let threshold = |weight: &str, share: f64| ThresholdDraft {
        weight: weight.into(),
        at_least: Some(share),
        more_than: None,
    };
    scenario(ScenarioDraft {
        actors,
        rule: Some(RuleDraft {
            kind: "qualified-majority".into(),
            parts: RulePartsDraft {
                thresholds: vec![threshold("members", 0.55), threshold("population", 0.65)],
                blocking_minority,
                ..RulePartsDraft::default()
            },
            ..RuleDraft::default()
        }),
        appointment: Some(appointment(
            vec![candidate("c")],
            population
                .iter()
                .map(|(id, _)| {
                    let support = if no.contains(id) { 10.0 } else { 80.0 };
                    stance(id, "c", support, 1.0)
                })
                .collect(),
            50.0,
        )),
        ..ScenarioDraft::default()
    })
}

#[test]
fn a_double_majority_fails_on_population_alone() {
    // Six of ten members for (60% ≥ 55%), but 36% of the population (< 65%), four against.
    let s = double_majority(&["A", "B", "C", "J"], Some(4));
    assert_eq!(tally(&s), [6, 4, 0]);
    assert!(!passes_now(&s));
}

#[test]
fn a_blocking_minority_of_three_members_does_not_block() {
    // Seven members for, 38% of the population: the thresholds fail, but three members
    // cannot block when a blocking minority needs four.
    let s = double_majority(&["A", "B", "C"], Some(4));
    assert!(passes_now(&s));
    // Without the blocking-minority clause the same three block on population.
    assert!(!passes_now(&double_majority(&["A", "B", "C"], None)));
}

#[test]
fn the_first_formats_single_threshold_keeps_its_meaning() {
    // threshold = 0.6 on the voting weight, silent members counting as not against.
    let draft = |member_from: Option<&str>| {
        let mut actors: Vec<_> = ["A", "B", "C", "D", "E"]
            .iter()
            .map(|id| actor(id, 1.0))
            .collect();
        actors[4].member_from = member_from.map(Into::into);
        ScenarioDraft {
            as_of: Some("2020-01-01".into()),
            deadline: Some(DeadlineDraft {
                date: Some("2020-12-31".into()),
                rounds: Some(6),
                meetings: Vec::new(),
            }),
            actors,
            rule: Some(RuleDraft {
                kind: "qualified-majority".into(),
                threshold: Some(0.6),
                ..RuleDraft::default()
            }),
            appointment: Some(appointment(
                vec![candidate("c")],
                vec![
                    stance("A", "c", 80.0, 1.0),
                    stance("B", "c", 10.0, 1.0),
                    stance("C", "c", 10.0, 1.0),
                ],
                50.0,
            )),
            ..ScenarioDraft::default()
        }
    };
    // 3 of 5 not against = 60%: passes under the first format's rule ...
    assert!(passes_now(&scenario(draft(None))));
    // ... and under a body whose fifth member has always been one.
    let always = scenario(draft(Some("2019-01-01")));
    assert!(!always.bodies.is_empty());
    assert!(passes_now(&always));
    // A fifth member that joins later leaves 2 of 4 = 50% at the start.
    assert!(!passes_now(&scenario(draft(Some("2020-06-01")))));
}

/// NATO-like consensus with ALB joining on `member_from`; ALB draws a red line against `c`.
fn joining(member_from: Option<&str>) -> ScenarioDraft {
    let mut alb = actor("ALB", 1.0);
    alb.member_from = member_from.map(Into::into);
    let mut red = stance("ALB", "c", 0.0, 1.0);
    red.red_line = Some(true);
    ScenarioDraft {
        as_of: Some("2009-01-01".into()),
        deadline: Some(DeadlineDraft {
            date: Some("2009-12-31".into()),
            rounds: Some(12),
            meetings: Vec::new(),
        }),
        actors: vec![actor("USA", 1.0), actor("DEU", 1.0), alb],
        appointment: Some(appointment(
            vec![candidate("c")],
            vec![
                stance("USA", "c", 80.0, 1.0),
                stance("DEU", "c", 40.0, 0.5),
                red,
            ],
            50.0,
        )),
        ..ScenarioDraft::default()
    }
}

#[test]
fn each_round_counts_the_members_of_its_date() {
    let p = params();
    let s = scenario(joining(Some("2009-04-01")));
    let d = Draw::stated(appointing(&s), &p);
    // 2009-04-01 is day 90 of 364: from tau 90/364 ≈ 0.247 on, ALB's red line counts.
    assert!(passes(&s, &d, &p, 0, 0.24));
    assert!(!passes(&s, &d, &p, 0, 0.25));
    // Members from the start block from the start.
    let from_start = scenario(joining(None));
    assert!(!passes(
        &from_start,
        &Draw::stated(appointing(&from_start), &p),
        &p,
        0,
        0.0
    ));
}

#[test]
fn membership_since_before_the_scenario_changes_no_draw() {
    let p = params();
    let plain = scenario(joining(None));
    let dated = scenario(joining(Some("1999-03-12")));
    assert!(plain.bodies.is_empty() && !dated.bodies.is_empty());
    let (a, b) = (
        DrawPlan::new(appointing(&plain), &p),
        DrawPlan::new(appointing(&dated), &p),
    );
    for i in 0..200 {
        assert_eq!(
            simulate(appointing(&plain), &a.draw(7, i), &p),
            simulate(appointing(&dated), &b.draw(7, i), &p)
        );
    }
}

fn with_candidate(c: CandidateDraft, stances: Vec<StanceDraft>) -> ScenarioDraft {
    ScenarioDraft {
        actors: vec![actor("A", 1.0), actor("B", 1.0)],
        appointment: Some(AppointmentDraft {
            candidates: vec![c, candidate("y")],
            ..appointment(Vec::new(), stances, 50.0)
        }),
        ..ScenarioDraft::default()
    }
}

#[test]
fn a_winner_who_declines_leaves_the_post_to_the_next() {
    let stances = vec![
        stance("A", "x", 90.0, 1.0),
        stance("B", "x", 90.0, 1.0),
        stance("A", "y", 70.0, 1.0),
        stance("B", "y", 70.0, 1.0),
    ];
    let p = params();
    let willing = scenario(with_candidate(candidate("x"), stances.clone()));
    assert_eq!(
        simulate(
            appointing(&willing),
            &Draw::stated(appointing(&willing), &p),
            &p
        )
        .winner,
        Some(0)
    );
    let unwilling = scenario(with_candidate(
        CandidateDraft {
            available: Some(0.3),
            ..candidate("x")
        },
        stances,
    ));
    assert_eq!(
        simulate(
            appointing(&unwilling),
            &Draw::stated(appointing(&unwilling), &p),
            &p
        )
        .winner,
        Some(1)
    );
    // Over draws, x accepts in about 30% of them.
    let plan = DrawPlan::new(appointing(&unwilling), &p);
    let x_wins = (0..2000)
        .filter(|&i| simulate(appointing(&unwilling), &plan.draw(1, i), &p).winner == Some(0))
        .count();
    assert!((540..660).contains(&x_wins), "{x_wins}");
}

#[test]
fn a_home_outside_the_body_carries_its_own_facts() {
    let mut draft = with_candidate(
        CandidateDraft {
            home: Some("NZL".into()),
            home_facts: Some(vec![("women_pm".into(), 1.0)]),
            status: "mentioned".into(),
            ..candidate("x")
        },
        vec![stance("A", "y", 70.0, 1.0)],
    );
    draft.appointment.as_mut().unwrap().criteria = vec![akkoord_core::scenario::CriterionDraft {
        id: "woman".into(),
        rule: "home.women_pm >= 1".into(),
        cared_by: vec![("A".into(), 30.0, None)],
        ..Default::default()
    }];
    // y's home has no facts: the criterion needs one.
    let problems = validate(&draft).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|d| d.message.contains("candidate \"y\"")),
        "{problems:#?}"
    );
    draft.appointment.as_mut().unwrap().candidates[1].home = Some("AUS".into());
    draft.appointment.as_mut().unwrap().candidates[1].home_facts =
        Some(vec![("women_pm".into(), 0.0)]);
    let s = scenario(draft);
    let a = s.appointment.as_ref().unwrap();
    assert_eq!(a.candidates[0].outside_home.as_deref(), Some("NZL"));
    assert_eq!(a.criteria[0].passes, [true, false]);
}

/// A council of three agrees by consensus; a parliament of two groups (seats 60 and 40)
/// needs more than half of its seats.
fn two_stages(parliament_on_x: f64) -> Scenario {
    let mut left = actor("LEFT", 1.0);
    left.facts = vec![("seats".into(), 60.0)];
    let mut right = actor("RIGHT", 1.0);
    right.facts = vec![("seats".into(), 40.0)];
    let members = |ids: &[&str]| ids.iter().map(|x| (*x).to_owned()).collect();
    scenario(ScenarioDraft {
        actors: vec![
            actor("DEU", 1.0),
            actor("FRA", 1.0),
            actor("ITA", 1.0),
            left,
            right,
        ],
        stages: vec![
            StageDraft {
                id: "council".into(),
                members: members(&["DEU", "FRA", "ITA"]),
                rule: Some(RuleDraft {
                    kind: "consensus".into(),
                    ..RuleDraft::default()
                }),
                ..StageDraft::default()
            },
            StageDraft {
                id: "parliament".into(),
                members: members(&["LEFT", "RIGHT"]),
                rule: Some(RuleDraft {
                    kind: "qualified-majority".into(),
                    parts: RulePartsDraft {
                        thresholds: vec![ThresholdDraft {
                            weight: "seats".into(),
                            more_than: Some(0.5),
                            at_least: None,
                        }],
                        ..RulePartsDraft::default()
                    },
                    ..RuleDraft::default()
                }),
                ..StageDraft::default()
            },
        ],
        appointment: Some(AppointmentDraft {
            candidates: vec![candidate("x"), candidate("y")],
            ..appointment(
                Vec::new(),
                vec![
                    stance("DEU", "x", 90.0, 1.0),
                    stance("FRA", "x", 90.0, 1.0),
                    stance("ITA", "x", 90.0, 1.0),
                    stance("DEU", "y", 70.0, 1.0),
                    stance("FRA", "y", 70.0, 1.0),
                    stance("ITA", "y", 70.0, 1.0),
                    stance("LEFT", "x", parliament_on_x, 1.0),
                    stance("RIGHT", "x", 80.0, 1.0),
                    stance("LEFT", "y", 80.0, 1.0),
                ],
                50.0,
            )
        }),
        ..ScenarioDraft::default()
    })
}

#[test]
fn a_candidate_the_second_stage_rejects_sends_the_first_back_to_propose() {
    let p = params();
    // LEFT (60 seats) for x: the council's favourite x is confirmed at once.
    let confirmed = two_stages(80.0);
    let path = simulate(
        appointing(&confirmed),
        &Draw::stated(appointing(&confirmed), &p),
        &p,
    );
    assert_eq!((path.winner, path.round), (Some(0), Some(0)));
    // LEFT against x: 40 of 100 seats is not more than half; the council proposes y, for
    // which LEFT's 60 seats suffice (RIGHT is silent and abstains).
    let rejected = two_stages(10.0);
    let path = simulate(
        appointing(&rejected),
        &Draw::stated(appointing(&rejected), &p),
        &p,
    );
    assert_eq!((path.winner, path.round), (Some(1), Some(0)));
}
