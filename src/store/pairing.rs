//! Which entity of one version of a plan is which entity of another: the
//! pairing a three-way merge (and a semantic diff) rests on.
//!
//! An entity is named by its top-level table and an identity:
//!
//! - kinds with an `id` (tasks, risks, people, ...) by their id;
//! - check-ins by their `week`;
//! - log entries by `date`, `task` and `person` (the format keeps one entry
//!   per person, task and day), so a changed number of hours is an edit of
//!   that entry, not a new one;
//! - single tables (`[project]`, `[calendar]`, ...) by their name;
//! - anything else (an entity without its id, tables of unknown kinds, the
//!   `[[conflict]]` records of a merge) by its whole text.
//!
//! Two entities of one version with the same identity (a duplicate id in an
//! invalid plan) are told apart by their occurrence: the n-th of them in one
//! version pairs with the n-th in the other, so nothing is lost.

use std::hash::Hash;

use crate::model::Plan;

use super::load::EntityKind;

/// What names an entity within its table, whatever its position.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Identity {
    /// A single table such as `[project]`: its name is enough.
    Table,
    Id(String),
    /// A check-in's week, as written (`2027-01-11`).
    Week(String),
    Log {
        date: String,
        task: String,
        person: Option<String>,
    },
    /// The entity's text (or for the model, its fields), for what has no
    /// other name.
    Content(String),
}

impl Identity {
    /// How messages name the entity after its kind: "`api`", "week
    /// 2027-01-11", "2027-01-12 `api` `ana`".
    pub fn describe(&self) -> String {
        let plain = |text: &str| crate::sanitize::for_terminal(text).into_owned();
        match self {
            Identity::Table => String::new(),
            Identity::Id(id) => format!("`{}`", plain(id)),
            Identity::Week(week) => format!("of week {}", plain(week)),
            Identity::Log { date, task, person } => match person {
                Some(person) => format!(
                    "of {} on `{}` by `{}`",
                    plain(date),
                    plain(task),
                    plain(person)
                ),
                None => format!("of {} on `{}`", plain(date), plain(task)),
            },
            Identity::Content(_) => "(matched by its content)".to_owned(),
        }
    }
}

/// An entity's name across versions: its table, its identity and, among
/// entities of one version with the same identity, which one (from 1).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MatchKey {
    /// The top-level key (`task`, `project`), or the dotted path of a
    /// table that stands apart from its parent.
    pub table: String,
    pub identity: Identity,
    pub occurrence: usize,
}

impl MatchKey {
    /// "task `api`", "check-in of week 2027-01-11", "[project]".
    pub fn describe(&self) -> String {
        let table = crate::sanitize::for_terminal(&self.table);
        let mut text = match &self.identity {
            Identity::Table => format!("[{table}]"),
            identity => format!(
                "{} {}",
                crate::model::entity_noun(&table),
                identity.describe()
            ),
        };
        if self.occurrence > 1 {
            text.push_str(&format!(" (number {} of that name)", self.occurrence));
        }
        text
    }
}

/// Numbers the occurrences of equal identities in order, giving each
/// entity its `MatchKey`.
pub fn number(entities: impl IntoIterator<Item = (String, Identity)>) -> Vec<MatchKey> {
    let mut keys: Vec<MatchKey> = entities
        .into_iter()
        .map(|(table, identity)| MatchKey {
            table,
            identity,
            occurrence: 1,
        })
        .collect();
    let repeats: Vec<(usize, usize)> = {
        let mut seen: rustc_hash::FxHashMap<&MatchKey, usize> = Default::default();
        seen.reserve(keys.len());
        keys.iter()
            .enumerate()
            .filter_map(|(index, key)| {
                let count = seen.entry(key).or_insert(0);
                *count += 1;
                (*count > 1).then_some((index, *count))
            })
            .collect()
    };
    for (index, occurrence) in repeats {
        keys[index].occurrence = occurrence;
    }
    keys
}

/// One entity in an old and a new version, by index; None on the side
/// that does not have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub old: Option<usize>,
    pub new: Option<usize>,
}

/// Pairs two lists of keys: every old key in order (with its partner, if
/// any), then the new keys that have none, in order.
pub fn pair<K: Eq + Hash>(old: &[K], new: &[K]) -> Vec<Pair> {
    let mut new_index: rustc_hash::FxHashMap<&K, usize> = Default::default();
    new_index.reserve(new.len());
    for (index, key) in new.iter().enumerate() {
        new_index.entry(key).or_insert(index);
    }
    let mut taken = vec![false; new.len()];
    let mut pairs = Vec::with_capacity(old.len().max(new.len()));
    for (index, key) in old.iter().enumerate() {
        let partner = new_index.get(key).copied().filter(|&n| !taken[n]);
        if let Some(n) = partner {
            taken[n] = true;
        }
        pairs.push(Pair {
            old: Some(index),
            new: partner,
        });
    }
    pairs.extend(
        taken
            .iter()
            .enumerate()
            .filter(|(_, taken)| !**taken)
            .map(|(index, _)| Pair {
                old: None,
                new: Some(index),
            }),
    );
    pairs
}

/// The identity of the entity of `kind` at `index` in a model.
pub fn plan_identity(plan: &Plan, kind: EntityKind, index: usize) -> Option<Identity> {
    if let Some(id) = super::load::entity_id(plan, kind, index) {
        return Some(Identity::Id(id.to_owned()));
    }
    match kind {
        EntityKind::Checkin => plan
            .checkins
            .get(index)
            .map(|checkin| Identity::Week(checkin.week.value.format("%Y-%m-%d").to_string())),
        EntityKind::Log => plan.log.get(index).map(|entry| Identity::Log {
            date: entry.date.format("%Y-%m-%d").to_string(),
            task: entry.task.id.value.clone(),
            person: entry.person.as_ref().map(|person| person.id.value.clone()),
        }),
        EntityKind::Conflict => plan
            .conflicts
            .get(index)
            .map(|conflict| Identity::Content(conflict.summary())),
        _ => None,
    }
}

/// The keys of every entity of `kind` in a model, in order.
pub fn plan_keys(plan: &Plan, kind: EntityKind) -> Vec<MatchKey> {
    let count = super::load::entity_count(plan, kind);
    number((0..count).filter_map(|index| {
        plan_identity(plan, kind, index).map(|identity| (kind.key().to_owned(), identity))
    }))
}

/// Pairs the entities of `kind` in two models (see `pair`).
pub fn pair_plans(old: &Plan, new: &Plan, kind: EntityKind) -> Vec<Pair> {
    pair(&plan_keys(old, kind), &plan_keys(new, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(ids: &[&str]) -> Vec<MatchKey> {
        number(
            ids.iter()
                .map(|id| ("task".to_owned(), Identity::Id((*id).to_owned()))),
        )
    }

    #[test]
    fn pairs_by_key_then_lists_the_new_ones() {
        let pairs = pair(&keys(&["a", "b", "c"]), &keys(&["c", "d", "a"]));
        let as_tuples: Vec<(Option<usize>, Option<usize>)> =
            pairs.iter().map(|p| (p.old, p.new)).collect();
        assert_eq!(
            as_tuples,
            vec![
                (Some(0), Some(2)),
                (Some(1), None),
                (Some(2), Some(0)),
                (None, Some(1))
            ]
        );
    }

    #[test]
    fn duplicates_pair_in_order_of_appearance() {
        let old = keys(&["a", "a", "b"]);
        let new = keys(&["a", "b", "a", "a"]);
        assert_eq!(old[1].occurrence, 2);
        let pairs = pair(&old, &new);
        assert_eq!(pairs[0].new, Some(0));
        assert_eq!(pairs[1].new, Some(2));
        assert_eq!(pairs[2].new, Some(1));
        assert_eq!(pairs[3].new, Some(3));
    }

    #[test]
    fn models_pair_logs_by_day_task_and_person_and_checkins_by_week() {
        let old = crate::store::parse_str(
            "[project]\nname = \"P\"\nstart = 2027-01-04\n[[task]]\nid = \"a\"\nname = \"A\"\n\
             [[log]]\ndate = 2027-01-04\ntask = \"a\"\nhours = 2\n\
             [[checkin]]\nweek = 2027-01-04\n",
        )
        .expect("parses")
        .plan;
        let new = crate::store::parse_str(
            "[project]\nname = \"P\"\nstart = 2027-01-04\n[[task]]\nid = \"a\"\nname = \"A\"\n\
             [[checkin]]\nweek = 2027-01-04\nnote = \"n\"\n\
             [[log]]\ndate = 2027-01-05\ntask = \"a\"\nhours = 1\n\
             [[log]]\ndate = 2027-01-04\ntask = \"a\"\nhours = 5\n",
        )
        .expect("parses")
        .plan;
        let logs = pair_plans(&old, &new, EntityKind::Log);
        assert_eq!(logs[0].new, Some(1), "{logs:?}");
        assert_eq!(
            logs[1],
            Pair {
                old: None,
                new: Some(0)
            }
        );
        let checkins = pair_plans(&old, &new, EntityKind::Checkin);
        assert_eq!(
            checkins,
            vec![Pair {
                old: Some(0),
                new: Some(0)
            }]
        );
        assert_eq!(
            plan_keys(&new, EntityKind::Log)[1].describe(),
            "log entry of 2027-01-04 on `a`"
        );
    }
}
