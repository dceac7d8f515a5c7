//! The expected-utility model against captured runs of Scholz et al.'s code and the
//! published tables.

use akkoord_core::models::expected_utility::{self, EuActor, EuConfig, Preset, Stopping};
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

use crate::reference::{csv_rows, load, read};

fn config(preset: Preset) -> EuConfig {
    EuConfig::published(preset, Stopping::Rounds(10))
}

fn actors(input: &str) -> (Vec<String>, Vec<EuActor>) {
    let loaded = load(input);
    let s = &loaded.scenario;
    let issue = &s.issues[0];
    let names = issue
        .positions
        .iter()
        .map(|p| s.actor(p.actor).id.clone())
        .collect();
    let actors = expected_utility::issue_actors(s, 0);
    (names, actors)
}

#[test]
fn scholz_emission_trajectory() {
    let (names, actors) = actors("bdm/inputs/emission.csv");
    let run = expected_utility::run_issue(
        &actors,
        &config(Preset::Scholz),
        &mut ChaCha8Rng::seed_from_u64(0),
    );
    for row in csv_rows(&read("bdm/expected/scholz/emission.rounds.csv")) {
        let round: usize = row["round"].parse().unwrap();
        let median: f64 = row["median"].parse().unwrap();
        let mean: f64 = row["mean"].parse().unwrap();
        assert!(
            (run.rounds[round].median - median).abs() < 1e-9,
            "round {round} median {} vs {median}",
            run.rounds[round].median
        );
        assert!(
            (run.rounds[round].mean - mean).abs() < 1e-9,
            "round {round} mean {} vs {mean}",
            run.rounds[round].mean
        );
    }
    for row in csv_rows(&read("bdm/expected/scholz/emission.positions.csv")) {
        let round: usize = row["round"].parse().unwrap();
        let actor = names.iter().position(|n| *n == row["actor"]).unwrap();
        let r = &run.rounds[round];
        let position: f64 = row["position"].parse().unwrap();
        assert!(
            (r.positions[actor] - position).abs() < 1e-9,
            "round {round} {}: {} vs {position}",
            row["actor"],
            r.positions[actor]
        );
        if round > 0 {
            let risk: f64 = row["r"].parse().unwrap();
            assert!(
                (r.risk[actor] - risk).abs() < 1e-9,
                "round {round} {} r",
                row["actor"]
            );
            let action = r.actions[actor];
            let expected = &row["action"];
            let ours = match action.partner() {
                Some(j) => format!("{}:{}", action.kind(), names[j]),
                None => String::new(),
            };
            assert_eq!(&ours, expected, "round {round} {} action", row["actor"]);
        }
    }
}

#[test]
fn scholz_emission_round_one_matrices() {
    let (names, actors) = actors("bdm/inputs/emission.csv");
    let m = expected_utility::first_round_matrices(&actors, &config(Preset::Scholz));
    for row in csv_rows(&read("bdm/expected/scholz/emission.round1_matrices.csv")) {
        let i = names.iter().position(|n| *n == row["i"]).unwrap();
        let j = names.iter().position(|n| *n == row["j"]).unwrap();
        let close = |ours: f64, key: &str| {
            let theirs: f64 = row[key].parse().unwrap();
            assert!(
                (ours - theirs).abs() < 1e-12,
                "{} {} {key}: {ours} vs {theirs}",
                row["i"],
                row["j"]
            );
        };
        close(m.risk[i], "r_i");
        close(m.p[i][j], "p_ij");
        close(m.eu_own[i][j], "EU_i_ij");
        close(m.eu_other[i][j], "EU_i_ji");
    }
}

/// Rows of a published table, skipping its `#` comment lines.
fn published(relative: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = read(relative).lines().filter(|l| !l.starts_with('#')).fold(
        String::new(),
        |mut text, line| {
            text.push_str(line);
            text.push('\n');
            text
        },
    );
    csv_rows(&text)
}

#[test]
fn masad2016_step_zero_tables() {
    let (names, actors) = actors("bdm/inputs/emission.csv");
    let config = config(Preset::Masad2016);
    let m = expected_utility::first_round_matrices(&actors, &config);
    let index = |name: &str| names.iter().position(|n| n == name).unwrap();
    let round_2dp = |x: f64| (x * 100.0).round() / 100.0;
    let run = expected_utility::run_issue(&actors, &config, &mut ChaCha8Rng::seed_from_u64(0));
    for row in published("bdm/published/masad2016_dissertation_emission_step0.csv") {
        let i = index(&row["actor"]);
        let r: f64 = row["r_i0"].parse().unwrap();
        assert!(
            (round_2dp(m.risk[i]) - r).abs() < 1e-9,
            "{} r {} vs {r}",
            row["actor"],
            m.risk[i]
        );
        let action = run.rounds[1].actions[i];
        let category = match action.kind() {
            "confrontation" => "conflict",
            "stay" => "",
            other => other,
        };
        assert_eq!(category, row["category"], "{} category", row["actor"]);
        assert_eq!(
            action.partner().map_or("", |j| names[j].as_str()),
            row["accepted_offer_from"],
            "{} offer",
            row["actor"]
        );
    }
    for row in published("bdm/published/masad2016_dissertation_emission_step0_EU.csv") {
        let source = index(&row["source"]);
        for (target, value) in row.iter().filter(|(k, v)| *k != "source" && !v.is_empty()) {
            let expected: f64 = value.parse().unwrap();
            let ours = m.eu_own[source][index(target)];
            assert!(
                (round_2dp(ours) - expected).abs() < 1e-9,
                "E(U {} -> {target}) {ours} vs {expected}",
                row["source"]
            );
        }
    }
    let p = m.p[index("Belgium")][index("Netherlands")];
    assert!(
        (round_2dp(p) - 0.63).abs() < 1e-9,
        "P(Belgium over Netherlands) = {p}"
    );
}

#[test]
fn scholz_meets_the_published_1994_trajectory() {
    let (_, actors) = actors("bdm/inputs/emission.csv");
    let run = expected_utility::run_issue(
        &actors,
        &config(Preset::Scholz),
        &mut ChaCha8Rng::seed_from_u64(0),
    );
    for row in published("bdm/published/bdm1994_original_rounds_as_plotted_by_masad.csv") {
        let round: usize = row["round"].parse().unwrap();
        if round > 8 {
            continue;
        }
        let mean: f64 = row["mean_years"].parse().unwrap();
        assert!(
            (run.rounds[round].mean - mean).abs() <= 0.1,
            "round {round} mean"
        );
        // The median of round 2 is the one published value the code does not meet
        // (9.61 against 9.9 as plotted; PUBLISHED.md).
        if round != 2 {
            let median: f64 = row["median_years"].parse().unwrap();
            assert!(
                (run.rounds[round].median - median).abs() <= 0.1,
                "round {round} median {} vs {median}",
                run.rounds[round].median
            );
        }
    }
}

#[test]
fn masad2016_round_one_matches_its_deterministic_parts() {
    // The captured run drew its contests from Python's generator; everything that does not
    // depend on a draw (risk exponents, choices, positions outside the contest) must match.
    let (names, actors) = actors("bdm/inputs/emission.csv");
    let run = expected_utility::run_issue(
        &actors,
        &config(Preset::Masad2016),
        &mut ChaCha8Rng::seed_from_u64(0),
    );
    let round = &run.rounds[1];
    let mut checked = 0;
    for row in csv_rows(&read("bdm/expected/masad2016/emission_seed0.positions.csv"))
        .iter()
        .filter(|r| r["round"] == "1")
    {
        let actor = names.iter().position(|n| *n == row["actor"]).unwrap();
        let risk: f64 = row["r"].parse().unwrap();
        assert!(
            (round.risk[actor] - risk).abs() < 1e-9,
            "{} r",
            row["actor"]
        );
        let action = round.actions[actor];
        let theirs = &row["action"];
        let expected = match action.partner() {
            None => String::new(),
            Some(j) => {
                let word = if action.kind() == "confrontation" {
                    "conflict"
                } else {
                    action.kind()
                };
                format!("{} {word} with {}", names[actor], names[j])
            }
        };
        assert!(
            theirs.starts_with(&expected),
            "{}: {theirs} vs {expected}",
            row["actor"]
        );
        if !theirs.contains("attack:") {
            let position: f64 = row["position"].parse().unwrap();
            assert!(
                (round.positions[actor] - position).abs() < 1e-9,
                "{} position",
                row["actor"]
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 8, "every actor outside the one contest");
}
