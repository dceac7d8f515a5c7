//! Default stances and leader-following: the two ways a scenario speaks for actors that
//! state nothing candidate by candidate.
//!
//! A default stance is expanded here into ordinary stances, so that the models never see the
//! difference between a stance written once for thirty members and thirty written stances.
//! Following is checked here (references, weights, no cycles) and put in an order in which
//! every leader comes before its followers; the consensus model applies it in each draw.
//! This module never decides how a stance is drawn or used.

use std::collections::BTreeMap;

use super::{UNIT, Validator};
use crate::diag::FieldPath;
use crate::scenario::{Actor, ActorId, AppointmentDraft, Follow, Stance, StanceDefaultDraft};

/// How specific a default is: an actor's own beats its group's, which beats everyone's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    Everyone,
    Group,
    Actor,
}

/// One checked default: whom and what it covers, and the stance it stands for.
struct Checked {
    index: usize,
    reach: Reach,
    actors: Vec<bool>,
    candidates: Vec<bool>,
    stance: Stance,
}

impl Validator {
    /// What the appointment says about stances it does not write: fills them from the
    /// defaults, and returns the follows (which apply where the file wrote no stance).
    pub(super) fn unwritten_stances(
        &mut self,
        path: &FieldPath,
        a: &AppointmentDraft,
        actors: &[Actor],
        actor_index: &BTreeMap<&str, usize>,
        candidate_index: &BTreeMap<&str, usize>,
        stances: &mut [Vec<Option<Stance>>],
    ) -> Vec<Follow> {
        let written: Vec<Vec<bool>> = stances
            .iter()
            .map(|row| row.iter().map(Option::is_some).collect())
            .collect();
        self.stance_defaults(path, a, actors, actor_index, candidate_index, stances);
        self.follows(path, a, actor_index, &written)
    }

    /// Fills `stances[actor][candidate]` wherever the input writes no stance and a default
    /// covers the pair, the most specific default first. Two defaults of the same reach that
    /// cover the same pair are an error: the scenario would not say which one it means.
    fn stance_defaults(
        &mut self,
        path: &FieldPath,
        a: &AppointmentDraft,
        actors: &[Actor],
        actor_index: &BTreeMap<&str, usize>,
        candidate_index: &BTreeMap<&str, usize>,
        stances: &mut [Vec<Option<Stance>>],
    ) {
        let list = path.key("defaults");
        let checked: Vec<Checked> = a
            .defaults
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                self.stance_default(&list.index(i), i, d, actors, actor_index, candidate_index)
            })
            .collect();
        for (k, later) in checked.iter().enumerate() {
            let clash = checked[..k].iter().find(|earlier| {
                earlier.reach == later.reach
                    && overlaps(&earlier.actors, &later.actors)
                    && overlaps(&earlier.candidates, &later.candidates)
            });
            if let Some(earlier) = clash {
                self.error(
                    list.index(later.index),
                    format!(
                        "this default covers the same actors and candidates as default number {}",
                        earlier.index + 1
                    ),
                )
                .hints
                .push("give each actor and candidate at most one default of each kind (everyone, a group, an actor), or name the candidates each one covers".into());
            }
        }
        let mut by_reach: Vec<&Checked> = checked.iter().collect();
        by_reach.sort_by_key(|c| std::cmp::Reverse(c.reach));
        for (actor, row) in stances.iter_mut().enumerate() {
            for (candidate, stance) in row.iter_mut().enumerate() {
                if stance.is_some() {
                    continue;
                }
                *stance = by_reach
                    .iter()
                    .find(|d| d.actors[actor] && d.candidates[candidate])
                    .map(|d| d.stance.clone());
            }
        }
    }

    fn stance_default(
        &mut self,
        path: &FieldPath,
        index: usize,
        d: &StanceDefaultDraft,
        actors: &[Actor],
        actor_index: &BTreeMap<&str, usize>,
        candidate_index: &BTreeMap<&str, usize>,
    ) -> Option<Checked> {
        let stance = self.stance(
            path,
            d.support,
            d.salience,
            d.uncertainty,
            d.source.as_ref(),
            false,
        );
        let candidates = match &d.candidates {
            None => vec![true; candidate_index.len()],
            Some(names) => {
                let mut covered = vec![false; candidate_index.len()];
                for (j, name) in names.iter().enumerate() {
                    let at = path.key("candidates").index(j);
                    if let Some(c) = self.resolve(&at, "candidate", name, candidate_index) {
                        covered[c] = true;
                    }
                }
                covered
            }
        };
        let (reach, covered) = match (&d.actor, d.group.as_slice()) {
            (Some(_), [_, ..]) => {
                self.error(
                    path.key("group"),
                    "a default covers one actor or one group, not both".into(),
                )
                .hints
                .push("write two defaults, or keep `actor` or `group`".into());
                return None;
            }
            (Some(name), []) => {
                let actor = self.resolve(&path.key("actor"), "actor", name, actor_index)?;
                (
                    Reach::Actor,
                    (0..actors.len()).map(|i| i == actor).collect(),
                )
            }
            (None, [(key, value)]) => {
                let covered: Vec<bool> = actors
                    .iter()
                    .map(|x| x.groups.get(key) == Some(value))
                    .collect();
                if !covered.contains(&true) {
                    self.error(
                        path.key("group"),
                        format!("no actor is in the group {key} = \"{value}\""),
                    )
                    .hints
                    .push("groups are the `groups` tags of [[actors]]".into());
                    return None;
                }
                (Reach::Group, covered)
            }
            (None, []) => (Reach::Everyone, vec![true; actors.len()]),
            (None, _) => {
                self.error(
                    path.key("group"),
                    format!("a default covers one group, found {} tags", d.group.len()),
                )
                .hints
                .push("write `group = { region = \"baltic\" }` with a single tag".into());
                return None;
            }
        };
        Some(Checked {
            index,
            reach,
            actors: covered,
            candidates,
            stance,
        })
    }

    /// The follows of the appointment, leaders before followers. `written[actor][candidate]`
    /// says where the actor wrote a stance of its own (it follows only elsewhere).
    fn follows(
        &mut self,
        path: &FieldPath,
        a: &AppointmentDraft,
        actor_index: &BTreeMap<&str, usize>,
        written: &[Vec<bool>],
    ) -> Vec<Follow> {
        let list = path.key("follows");
        let mut leader_of: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        let mut follows: Vec<(usize, Follow)> = Vec::new();
        for (i, f) in a.follows.iter().enumerate() {
            let fpath = list.index(i);
            let weight = f.weight.map_or(1.0, |w| {
                self.number(&fpath.key("weight"), "weight", w, &UNIT)
            });
            let actor = self.resolve(&fpath.key("actor"), "actor", &f.actor, actor_index);
            let leader = self.resolve(&fpath.key("leader"), "actor", &f.leader, actor_index);
            let (Some(actor), Some(leader)) = (actor, leader) else {
                continue;
            };
            if actor == leader {
                self.error(
                    fpath.key("leader"),
                    format!("actor \"{}\" cannot follow itself", f.actor),
                );
                continue;
            }
            if let Some(&(first, _)) = leader_of.get(&actor) {
                self.error(
                    fpath.key("actor"),
                    format!("actor \"{}\" already follows someone", f.actor),
                )
                .hints
                .push(format!(
                    "follow number {} names its leader; an actor follows one leader",
                    first + 1
                ));
                continue;
            }
            leader_of.insert(actor, (i, leader));
            follows.push((
                i,
                Follow {
                    actor: ActorId::at(actor),
                    leader: ActorId::at(leader),
                    weight,
                    candidates: written[actor].iter().map(|w| !w).collect(),
                },
            ));
        }
        // Each actor follows at most one leader, so a cycle is a walk that comes back.
        let depth = |start: usize| -> Option<usize> {
            let mut steps = 0;
            let mut at = start;
            while let Some(&(_, next)) = leader_of.get(&at) {
                steps += 1;
                at = next;
                if at == start || steps > leader_of.len() {
                    return None;
                }
            }
            Some(steps)
        };
        let mut ordered = Vec::with_capacity(follows.len());
        for (i, follow) in follows {
            match depth(follow.actor.index()) {
                Some(steps) => ordered.push((steps, follow)),
                None => {
                    self.error(
                        list.index(i).key("leader"),
                        format!(
                            "actor \"{}\" follows a chain of leaders that comes back to it",
                            a.follows[i].actor
                        ),
                    )
                    .hints
                    .push("break the cycle: one of these actors must make up its own mind".into());
                }
            }
        }
        // Fewer steps to an actor that follows nobody: leaders come first.
        ordered.sort_by_key(|(steps, f)| (*steps, f.actor));
        ordered.into_iter().map(|(_, f)| f).collect()
    }
}

fn overlaps(a: &[bool], b: &[bool]) -> bool {
    a.iter().zip(b).any(|(x, y)| *x && *y)
}
