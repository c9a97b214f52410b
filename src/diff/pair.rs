//! Pairs the entities of two versions of a plan by kind and id, for the
//! diff and for anything else that lines two versions up (a merge).
//!
//! Entities with an id pair by it. A plan may be invalid and hold one id
//! twice: then the n-th table with that id in one version pairs with the
//! n-th in the other, so nothing is lost. Log entries have no id: the
//! format keeps one per day, task and person, so those name it (changed
//! hours are an edit of the entry); check-ins pair by their week.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

use crate::model::{Checkin, LogEntry, Plan};
use crate::store::EntityKind;

/// How the entities of one kind in two versions line up, by index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pairing {
    /// `(old, new)` for each entity in both, in the old version's order.
    pub matched: Vec<(usize, usize)>,
    /// Old indices with no partner, in order.
    pub removed: Vec<usize>,
    /// New indices with no partner, in order.
    pub added: Vec<usize>,
}

impl Pairing {
    /// The partner in the new version of each old index.
    pub fn new_of_old(&self, old_len: usize) -> Vec<Option<usize>> {
        let mut map = vec![None; old_len];
        for &(old, new) in &self.matched {
            if let Some(slot) = map.get_mut(old) {
                *slot = Some(new);
            }
        }
        map
    }

    /// The partner in the old version of each new index.
    pub fn old_of_new(&self, new_len: usize) -> Vec<Option<usize>> {
        let mut map = vec![None; new_len];
        for &(old, new) in &self.matched {
            if let Some(slot) = map.get_mut(new) {
                *slot = Some(old);
            }
        }
        map
    }

    /// Whether the two versions hold the same entities.
    pub fn is_identity(&self) -> bool {
        self.removed.is_empty() && self.added.is_empty()
    }
}

/// Pairs `old` and `new` by `key`; equal keys pair in order of appearance.
pub fn pair_by<'a, T, K: Eq + Hash>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&'a T) -> K,
) -> Pairing {
    let mut waiting: HashMap<K, VecDeque<usize>> = HashMap::with_capacity(new.len());
    for (index, item) in new.iter().enumerate() {
        waiting.entry(key(item)).or_default().push_back(index);
    }
    let mut pairing = Pairing::default();
    let mut taken = vec![false; new.len()];
    for (index, item) in old.iter().enumerate() {
        match waiting.get_mut(&key(item)).and_then(VecDeque::pop_front) {
            Some(partner) => {
                taken[partner] = true;
                pairing.matched.push((index, partner));
            }
            None => pairing.removed.push(index),
        }
    }
    pairing.added = (0..new.len()).filter(|&index| !taken[index]).collect();
    pairing
}

/// Pairs what `pair_by` left over when one side's entity is the other's
/// under a new id: the same `key` (a task's name, say), and that key held
/// by exactly one leftover on each side. The new pairs are returned and
/// also moved into `matched`.
pub fn pair_renamed<'a, T, K: Eq + Hash>(
    pairing: &mut Pairing,
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&'a T) -> Option<K>,
) -> Vec<(usize, usize)> {
    fn unique<K: Eq + Hash>(keys: impl Iterator<Item = (usize, Option<K>)>) -> HashMap<K, usize> {
        let mut seen: HashMap<K, Option<usize>> = HashMap::new();
        for (index, key) in keys {
            if let Some(key) = key {
                seen.entry(key)
                    .and_modify(|slot| *slot = None)
                    .or_insert(Some(index));
            }
        }
        seen.into_iter()
            .filter_map(|(key, index)| Some((key, index?)))
            .collect()
    }
    if pairing.removed.is_empty() || pairing.added.is_empty() {
        return Vec::new();
    }
    let removed = unique(pairing.removed.iter().map(|&i| (i, key(&old[i]))));
    let added = unique(pairing.added.iter().map(|&i| (i, key(&new[i]))));
    let mut renamed: Vec<(usize, usize)> = removed
        .iter()
        .filter_map(|(key, &old_index)| Some((old_index, *added.get(key)?)))
        .collect();
    renamed.sort_unstable();
    if renamed.is_empty() {
        return renamed;
    }
    pairing
        .removed
        .retain(|index| renamed.binary_search_by_key(index, |pair| pair.0).is_err());
    let mut new_taken: Vec<usize> = renamed.iter().map(|pair| pair.1).collect();
    new_taken.sort_unstable();
    pairing
        .added
        .retain(|index| new_taken.binary_search(index).is_err());
    pairing.matched.extend(renamed.iter().copied());
    pairing.matched.sort_unstable();
    renamed
}

/// Every kind of entity in two plans, paired.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanPairing {
    pub objectives: Pairing,
    pub people: Pairing,
    pub phases: Pairing,
    pub tasks: Pairing,
    pub log: Pairing,
    pub risks: Pairing,
    pub changes: Pairing,
    pub gates: Pairing,
    pub communications: Pairing,
    pub checkins: Pairing,
    /// Merge conflicts recorded in the plan, paired by what they are about.
    pub conflicts: Pairing,
}

impl PlanPairing {
    pub fn get(&self, kind: EntityKind) -> &Pairing {
        match kind {
            EntityKind::Objective => &self.objectives,
            EntityKind::Person => &self.people,
            EntityKind::Phase => &self.phases,
            EntityKind::Task => &self.tasks,
            EntityKind::Log => &self.log,
            EntityKind::Risk => &self.risks,
            EntityKind::Change => &self.changes,
            EntityKind::Gate => &self.gates,
            EntityKind::Communication => &self.communications,
            EntityKind::Checkin => &self.checkins,
            EntityKind::Conflict => &self.conflicts,
        }
    }
}

/// Pairs every kind of entity of two plans: by id, log entries by day,
/// task and person, check-ins by week.
pub fn pair_plans(old: &Plan, new: &Plan) -> PlanPairing {
    PlanPairing {
        objectives: pair_by(&old.objectives, &new.objectives, |o| o.id.value.as_str()),
        people: pair_by(&old.people, &new.people, |p| p.id.value.as_str()),
        phases: pair_by(&old.phases, &new.phases, |p| p.id.value.as_str()),
        tasks: pair_by(&old.tasks, &new.tasks, |t| t.id.value.as_str()),
        log: pair_by(&old.log, &new.log, log_key),
        risks: pair_by(&old.risks, &new.risks, |r| r.id.value.as_str()),
        changes: pair_by(&old.changes, &new.changes, |c| c.id.value.as_str()),
        gates: pair_by(&old.gates, &new.gates, |g| g.id.value.as_str()),
        communications: pair_by(&old.communications, &new.communications, |c| {
            c.id.value.as_str()
        }),
        checkins: pair_by(&old.checkins, &new.checkins, checkin_key),
        conflicts: pair_by(&old.conflicts, &new.conflicts, |c| c.summary()),
    }
}

/// A log entry is the work of one person on one task on one day.
pub fn log_key(entry: &LogEntry) -> (chrono::NaiveDate, &str, Option<&str>) {
    (
        entry.date,
        entry.task.id.value.as_str(),
        entry.person.as_ref().map(|person| person.id.value.as_str()),
    )
}

pub fn checkin_key(checkin: &Checkin) -> chrono::NaiveDate {
    checkin.week.value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_by_key_keeping_duplicates_in_order() {
        let old = ["a", "b", "b", "c"];
        let new = ["b", "d", "a", "b", "b"];
        let pairing = pair_by(&old, &new, |s| *s);
        assert_eq!(pairing.matched, vec![(0, 2), (1, 0), (2, 3)]);
        assert_eq!(pairing.removed, vec![3]);
        assert_eq!(pairing.added, vec![1, 4]);
        assert_eq!(pairing.new_of_old(4), vec![Some(2), Some(0), Some(3), None]);
        assert_eq!(
            pairing.old_of_new(5),
            vec![Some(1), None, Some(0), Some(2), None]
        );
    }

    #[test]
    fn renames_pair_only_on_a_key_unique_to_each_side() {
        let old = [
            ("a", "Design"),
            ("b", "Build"),
            ("c", "Test"),
            ("d", "Test"),
        ];
        let new = [
            ("a", "Design"),
            ("b2", "Build"),
            ("c2", "Test"),
            ("x", "Other"),
        ];
        let mut pairing = pair_by(&old, &new, |t| t.0);
        let renamed = pair_renamed(&mut pairing, &old, &new, |t| Some(t.1));
        // "Test" is held by two removed tasks: no guess.
        assert_eq!(renamed, vec![(1, 1)]);
        assert_eq!(pairing.matched, vec![(0, 0), (1, 1)]);
        assert_eq!(pairing.removed, vec![2, 3]);
        assert_eq!(pairing.added, vec![2, 3]);
    }
}
