//! Checking what the rules of real bodies add to a candidate: a home that is not an actor
//! (with its facts on the candidate), and nothing else about candidates.

use std::collections::BTreeMap;

use super::{ANY, Validator};
use crate::diag::FieldPath;
use crate::scenario::{ActorId, CandidateDraft};

/// A candidate's home: an actor, or a country outside the body with its facts.
type Home = (Option<ActorId>, Option<String>, BTreeMap<String, f64>);

impl Validator {
    /// Resolves `home` to an actor; a name that is no actor is an outside home when the
    /// candidate gives `home_facts` (possibly empty), else an unknown actor.
    pub(super) fn home(
        &mut self,
        path: &FieldPath,
        c: &CandidateDraft,
        actor_index: &BTreeMap<&str, usize>,
    ) -> Home {
        let mut facts = BTreeMap::new();
        for (name, value) in c.home_facts.iter().flatten() {
            let value = self.number(&path.key("home_facts").key(name), "fact", *value, &ANY);
            facts.insert(name.clone(), value);
        }
        let Some(home) = &c.home else {
            if c.home_facts.is_some() {
                self.error(
                    path.key("home_facts"),
                    "home_facts describe a home; this candidate has none".into(),
                )
                .hints
                .push("add home = \"NZL\" (a country that is not an actor)".into());
            }
            return (None, None, facts);
        };
        if let Some(&a) = actor_index.get(home.as_str()) {
            if c.home_facts.is_some() {
                self.error(
                    path.key("home_facts"),
                    format!("home \"{home}\" is an actor: its facts are the actor's"),
                )
                .hints
                .push(format!("move these facts to the facts of actor \"{home}\""));
            }
            return (Some(ActorId::at(a)), None, facts);
        }
        if c.home_facts.is_some() {
            return (None, Some(home.clone()), facts);
        }
        self.resolve(&path.key("home"), "actor", home, actor_index);
        if let Some(d) = self.found.last_mut() {
            d.hints.push(
                "for a home that is not an actor, give its facts on the candidate: home_facts = { ... } (empty if none)".to_owned(),
            );
        }
        (None, None, facts)
    }

    /// Reports a criterion's fact missing from the `home_facts` of a candidate whose home is
    /// not an actor.
    pub(super) fn missing_home_fact(
        &mut self,
        path: &FieldPath,
        criterion: &str,
        fact: &str,
        candidate: &str,
    ) {
        self.error(
            path.clone(),
            format!("criterion \"{criterion}\" needs the fact \"{fact}\" of candidate \"{candidate}\"'s home"),
        )
        .hints
        .push(format!("add {fact} to the home_facts of candidate \"{candidate}\""));
    }
}
