//! Checks across the whole plan: duplicate ids, references, cycles, and the
//! softer warnings. Resolves every reference to an index as it goes.

use chrono::Datelike;

use crate::diagnostic::{self, Diagnostic, Subject};
use crate::model::{Located, Plan, Ref, is_valid_id};
use crate::sanitize::quote;

/// Resolves references and returns every problem found.
///
/// The plan is read first, with maps that borrow its ids, collecting the
/// index each reference resolves to; the indices are then written into the
/// references in the same order, and the dependency graph is searched.
pub fn validate(plan: &mut Plan) -> Vec<Diagnostic> {
    let (resolved, mut diagnostics) = check(plan);
    let mut resolved = resolved.into_iter();
    for_each_ref(plan, |reference| {
        reference.index = resolved.next().flatten();
    });
    debug_assert!(resolved.next().is_none(), "one index per reference");
    cycles(plan, &mut diagnostics);
    diagnostics.extend(crate::governance::check::structural(plan));
    diagnostics
}

/// Every reference of the plan, in the order `check` resolves them.
fn for_each_ref(plan: &mut Plan, mut visit: impl FnMut(&mut Ref)) {
    for task in &mut plan.tasks {
        if let Some(phase) = &mut task.phase {
            visit(phase);
        }
        if let Some(person) = &mut task.owner {
            visit(person);
        }
        for dependency in &mut task.depends {
            visit(&mut dependency.task);
        }
    }
    for entry in &mut plan.log {
        visit(&mut entry.task);
        if let Some(person) = &mut entry.person {
            visit(person);
        }
    }
    for risk in &mut plan.risks {
        if let Some(person) = &mut risk.owner {
            visit(person);
        }
        for task in &mut risk.tasks {
            visit(task);
        }
    }
    for gate in &mut plan.gates {
        if let Some(milestone) = &mut gate.milestone {
            visit(milestone);
        }
    }
    for communication in &mut plan.communications {
        if let Some(person) = &mut communication.owner {
            visit(person);
        }
    }
}

/// Every problem but cycles, and the index of each reference in the order
/// of `for_each_ref`: None for one that does not resolve or must not be
/// followed (a task's dependency on itself).
fn check(plan: &Plan) -> (Vec<Option<usize>>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let tasks = index(
        &mut diagnostics,
        ("task", "task"),
        plan.tasks.iter().map(|t| &t.id),
    );
    let people = index(
        &mut diagnostics,
        ("person", "person"),
        plan.people.iter().map(|p| &p.id),
    );
    let phases = index(
        &mut diagnostics,
        ("phase", "phase"),
        plan.phases.iter().map(|p| &p.id),
    );
    index(
        &mut diagnostics,
        ("objective", "objective"),
        plan.objectives.iter().map(|o| &o.id),
    );
    index(
        &mut diagnostics,
        ("risk", "risk"),
        plan.risks.iter().map(|r| &r.id),
    );
    index(
        &mut diagnostics,
        ("change request", "change"),
        plan.changes.iter().map(|c| &c.id),
    );
    index(
        &mut diagnostics,
        ("gate", "gate"),
        plan.gates.iter().map(|g| &g.id),
    );
    index(
        &mut diagnostics,
        ("communication", "communication"),
        plan.communications.iter().map(|c| &c.id),
    );

    let task_ids = Resolver::new(&tasks, "task");
    let person_ids = Resolver::new(&people, "person");
    let phase_ids = Resolver::new(&phases, "phase");
    let mut resolved = Vec::with_capacity(plan.tasks.len() * 4 + plan.log.len() * 2);

    for (task_index, task) in plan.tasks.iter().enumerate() {
        // Named only in messages, so built only for one.
        let owner = || format!("task `{}`", quote(&task.id.value));
        let about = |key: &'static str| move || Subject::entity("task", &task.id.value, key);
        if let Some(phase) = &task.phase {
            let about = about("phase");
            resolved.push(phase_ids.resolve(&mut diagnostics, phase, owner, "is in phase", about));
        }
        if let Some(person) = &task.owner {
            let about = about("owner");
            resolved.push(person_ids.resolve(
                &mut diagnostics,
                person,
                owner,
                "is owned by",
                about,
            ));
        }
        let first = resolved.len();
        for dependency in &task.depends {
            let mut target = task_ids.resolve(
                &mut diagnostics,
                &dependency.task,
                owner,
                "depends on",
                about("depends"),
            );
            if target == Some(task_index) {
                let message = format!(
                    "task `{}` depends on itself; remove it from its own `depends`",
                    quote(&task.id.value)
                );
                diagnostics.push(
                    Diagnostic::error(dependency.task.id.pos, message).about(about("depends")()),
                );
                target = None;
            } else if let Some(target) = target {
                // The same task and kind among the dependencies before this one.
                let twice = task
                    .depends
                    .iter()
                    .zip(&resolved[first..])
                    .any(|(earlier, &index)| {
                        index == Some(target) && earlier.kind == dependency.kind
                    });
                if twice {
                    let message = format!(
                        "task `{}` lists its dependency on `{}` twice",
                        quote(&task.id.value),
                        quote(&dependency.task.id.value)
                    );
                    diagnostics.push(
                        Diagnostic::warning(dependency.task.id.pos, message)
                            .about(about("depends")()),
                    );
                }
            }
            resolved.push(target);
        }
        if task.start.is_some_and(|start| start < plan.project.start)
            && plan.project.start != Default::default()
        {
            let message = format!(
                "task `{}` may not start before {}, but the project itself starts later, on {}",
                quote(&task.id.value),
                task.start.unwrap_or_default(),
                plan.project.start
            );
            diagnostics.push(Diagnostic::warning(task.start_pos, message).about(about("start")()));
        }
    }
    for entry in &plan.log {
        let owner = || format!("the log entry of {}", entry.date);
        let about = |key: &'static str| move || Subject::unnamed("log", key);
        resolved.push(task_ids.resolve(
            &mut diagnostics,
            &entry.task,
            owner,
            "is for",
            about("task"),
        ));
        if let Some(person) = &entry.person {
            resolved.push(person_ids.resolve(
                &mut diagnostics,
                person,
                owner,
                "is by",
                about("person"),
            ));
        }
        if entry.date < plan.project.start && plan.project.start != Default::default() {
            let message = format!(
                "the log entry of {} for `{}` is dated before the project starts on {}, so the task would seem to have started before the project; correct the date, or move `start` in [project]",
                entry.date,
                quote(&entry.task.id.value),
                plan.project.start
            );
            diagnostics.push(Diagnostic::error(entry.date_pos, message).about(about("date")()));
        }
    }
    for risk in &plan.risks {
        let owner = || format!("risk `{}`", quote(&risk.id.value));
        let about = |key: &'static str| move || Subject::entity("risk", &risk.id.value, key);
        if let Some(person) = &risk.owner {
            let about = about("owner");
            resolved.push(person_ids.resolve(
                &mut diagnostics,
                person,
                owner,
                "is owned by",
                about,
            ));
        }
        for task in &risk.tasks {
            let about = about("tasks");
            resolved.push(task_ids.resolve(&mut diagnostics, task, owner, "is linked to", about));
        }
    }
    for gate in &plan.gates {
        let owner = || format!("gate `{}`", quote(&gate.id.value));
        let about = || Subject::entity("gate", &gate.id.value, "milestone");
        if let Some(milestone) = &gate.milestone {
            let index = task_ids.resolve(&mut diagnostics, milestone, owner, "guards", about);
            if let Some(index) = index
                && !plan.tasks[index].is_milestone()
            {
                let message = format!(
                    "gate `{}` guards `{}`, which is not a milestone; a gate usually guards a milestone (milestone = true)",
                    quote(&gate.id.value),
                    quote(&milestone.id.value)
                );
                diagnostics.push(Diagnostic::warning(milestone.id.pos, message).about(about()));
            }
            resolved.push(index);
        }
    }
    for communication in &plan.communications {
        let owner = || format!("communication `{}`", quote(&communication.id.value));
        let about = || Subject::entity("communication", &communication.id.value, "owner");
        if let Some(person) = &communication.owner {
            resolved.push(person_ids.resolve(
                &mut diagnostics,
                person,
                owner,
                "is owned by",
                about,
            ));
        }
    }
    for checkin in &plan.checkins {
        if checkin.week.value.weekday() != chrono::Weekday::Mon {
            let monday = checkin.week.value
                - chrono::Days::new(checkin.week.value.weekday().num_days_from_monday().into());
            let message = format!(
                "a check-in's `week` is the Monday of its week: {} is a {}; write {monday}",
                checkin.week.value,
                checkin.week.value.format("%A")
            );
            diagnostics.push(
                Diagnostic::warning(checkin.week.pos, message)
                    .about(Subject::unnamed("checkin", "week")),
            );
        }
    }
    if let Some(status_date) = plan.project.status_date
        && status_date < plan.project.start
    {
        let message = format!(
            "`status_date` {status_date} is before the project starts on {}",
            plan.project.start
        );
        diagnostics.push(
            Diagnostic::warning(plan.project.status_date_pos, message)
                .about(Subject::unnamed("project", "status_date")),
        );
    }
    (resolved, diagnostics)
}

/// A kind's ids: each id's index and the line of its first appearance.
/// The Fx hash is several times faster than the default on short ids;
/// resistance to crafted collisions is not needed for ids in the user's
/// own plan.
struct Ids<'a> {
    map: rustc_hash::FxHashMap<&'a str, (usize, u32)>,
    /// Every id by index when no two are the same, else empty: then a
    /// reference that still holds the index of a table with its id is
    /// resolved without hashing (after an edit, all but the edited one).
    unique: Vec<&'a str>,
}

/// Maps ids to indices, reporting each duplicate at its second appearance.
/// `kind` is how messages name the kind, and the key of its tables.
fn index<'a>(
    diagnostics: &mut Vec<Diagnostic>,
    (kind, table): (&str, &'static str),
    ids: impl ExactSizeIterator<Item = &'a Located<String>>,
) -> Ids<'a> {
    use std::collections::hash_map::Entry;
    let mut map = rustc_hash::FxHashMap::with_capacity_and_hasher(ids.len(), Default::default());
    let mut unique = Vec::with_capacity(ids.len());
    for (index, id) in ids.enumerate() {
        match map.entry(id.value.as_str()) {
            Entry::Occupied(first) => {
                let (_, line) = first.get();
                let message = format!(
                    "duplicate {kind} id `{}`: line {line} already has a {kind} with this id; ids must be unique",
                    quote(&id.value)
                );
                diagnostics.push(
                    Diagnostic::error(id.pos, message)
                        .about(Subject::entity(table, &id.value, "id")),
                );
            }
            Entry::Vacant(slot) => {
                slot.insert((index, id.pos.line));
            }
        }
        unique.push(id.value.as_str());
    }
    if map.len() != unique.len() {
        unique.clear();
    }
    Ids { map, unique }
}

struct Resolver<'a, 'ids> {
    ids: &'a Ids<'ids>,
    kind: &'static str,
}

impl<'a, 'ids> Resolver<'a, 'ids> {
    fn new(ids: &'a Ids<'ids>, kind: &'static str) -> Self {
        Resolver { ids, kind }
    }

    /// The index `reference` names, or None after reporting it (about
    /// `subject`). An entity whose id is not valid is never the target:
    /// its id is an error until it is fixed, and so is every reference to it.
    fn resolve(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        reference: &Ref,
        owner: impl Fn() -> String,
        verb: &str,
        subject: impl Fn() -> Subject,
    ) -> Option<usize> {
        let id = reference.id.value.as_str();
        if let Some(index) = reference.index
            && self.ids.unique.get(index) == Some(&id)
        {
            return Some(index);
        }
        match self.ids.map.get(id) {
            Some(&(index, _)) if is_valid_id(id) => Some(index),
            found => {
                self.report(
                    diagnostics,
                    reference,
                    &owner,
                    verb,
                    &subject,
                    found.is_some(),
                );
                None
            }
        }
    }

    /// The problem of a reference that does not resolve: to no entity, or
    /// to one whose id is not valid (`malformed`).
    #[cold]
    fn report(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        reference: &Ref,
        owner: &dyn Fn() -> String,
        verb: &str,
        subject: &dyn Fn() -> Subject,
        malformed: bool,
    ) {
        let id = reference.id.value.as_str();
        let kind = self.kind;
        let message = if malformed {
            format!(
                "{} {verb} `{}`, but that {kind}'s id is not valid (ids hold only ASCII letters, digits, '-', '_' and '.'); fix the id there and here",
                owner(),
                quote(id),
            )
        } else {
            format!(
                "{} {verb} `{}`, which is not a {kind}{}",
                owner(),
                quote(id),
                diagnostic::suggestion(
                    id,
                    self.ids.map.keys().copied().filter(|id| is_valid_id(id))
                )
            )
        };
        diagnostics.push(Diagnostic::error(reference.id.pos, message).about(subject()));
    }
}

/// Reports every dependency cycle once, naming each task in it, at the
/// dependency that closes it. Iterative, so deep chains cannot overflow.
fn cycles(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Finished,
    }
    let count = plan.tasks.len();
    let mut marks = vec![Mark::New; count];
    // The path from the root of the current search, with the next dependency to follow.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..count {
        if marks[root] != Mark::New {
            continue;
        }
        marks[root] = Mark::Active;
        stack.push((root, 0));
        while let Some(&mut (task, ref mut next)) = stack.last_mut() {
            let depends = &plan.tasks[task].depends;
            if *next == depends.len() {
                marks[task] = Mark::Finished;
                stack.pop();
                continue;
            }
            let dependency = &depends[*next];
            *next += 1;
            let Some(target) = dependency.task.index else {
                continue;
            };
            match marks[target] {
                Mark::New => {
                    marks[target] = Mark::Active;
                    stack.push((target, 0));
                }
                Mark::Active => {
                    let start = stack.iter().position(|&(t, _)| t == target).unwrap_or(0);
                    let mut names: Vec<std::borrow::Cow<'_, str>> = stack[start..]
                        .iter()
                        .map(|&(t, _)| quote(plan.tasks[t].id.value.as_str()))
                        .collect();
                    names.reverse();
                    names.rotate_right(1);
                    // Written as "a → b → c → a": each depends on the one before it.
                    let mut order = Vec::with_capacity(names.len() + 1);
                    order.extend(names.iter().cloned());
                    order.push(names[0].clone());
                    let message = format!(
                        "dependency cycle: {}; each task here waits for the one before it, so none can start — remove one of these dependencies",
                        order
                            .iter()
                            .map(|id| format!("`{}`", quote(id)))
                            .collect::<Vec<_>>()
                            .join(" → ")
                    );
                    diagnostics.push(
                        Diagnostic::error(dependency.task.id.pos, message)
                            .about(Subject::unnamed("task", "depends")),
                    );
                }
                Mark::Finished => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn example() -> Plan {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/hotel-integration.toml"
        );
        let text = std::fs::read_to_string(path).expect("the example is readable");
        crate::store::parse_str(&text)
            .expect("the example parses")
            .plan
    }

    fn indices(plan: &mut Plan) -> Vec<Option<usize>> {
        let mut indices = Vec::new();
        for_each_ref(plan, |reference| indices.push(reference.index));
        indices
    }

    #[derive(Debug, Clone)]
    enum Change {
        /// Gives task `a` the id of task `b` (a duplicate, or a rename).
        CopyId(usize, usize),
        /// Swaps the ids of two tasks: every stale index points at the wrong one.
        SwapIds(usize, usize),
        /// Renames a task to an id nothing refers to.
        Rename(usize),
        /// Moves a task to the end, shifting every index after it.
        MoveLast(usize),
        /// Points a dependency at another task by id.
        Retarget(usize, usize),
    }

    fn change() -> impl Strategy<Value = Change> {
        prop_oneof![
            (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Change::CopyId(a, b)),
            (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Change::SwapIds(a, b)),
            any::<usize>().prop_map(Change::Rename),
            any::<usize>().prop_map(Change::MoveLast),
            (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Change::Retarget(a, b)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// References that still hold the indices of an earlier validation
        /// resolve exactly as fresh ones: same indices, same problems.
        #[test]
        fn stale_indices_resolve_as_fresh_ones(changes in proptest::collection::vec(change(), 1..6)) {
            let mut plan = example();
            validate(&mut plan);
            let count = plan.tasks.len();
            for change in changes {
                match change {
                    Change::CopyId(a, b) => {
                        plan.tasks[a % count].id.value = plan.tasks[b % count].id.value.clone();
                    }
                    Change::SwapIds(a, b) => {
                        let (a, b) = (a % count, b % count);
                        let id = plan.tasks[a].id.value.clone();
                        plan.tasks[a].id.value = std::mem::replace(&mut plan.tasks[b].id.value, id);
                    }
                    Change::Rename(a) => plan.tasks[a % count].id.value = format!("renamed-{a}"),
                    Change::MoveLast(a) => {
                        let task = plan.tasks.remove(a % count);
                        plan.tasks.push(task);
                    }
                    Change::Retarget(a, b) => {
                        let target = plan.tasks[b % count].id.value.clone();
                        if let Some(dependency) = plan.tasks[a % count].depends.first_mut() {
                            dependency.task.id.value = target;
                        }
                    }
                }
            }
            let mut fresh = plan.clone();
            for_each_ref(&mut fresh, |reference| reference.index = None);
            let stale_diagnostics = validate(&mut plan);
            let fresh_diagnostics = validate(&mut fresh);
            prop_assert_eq!(stale_diagnostics, fresh_diagnostics);
            prop_assert_eq!(indices(&mut plan), indices(&mut fresh));
        }
    }

    #[test]
    fn a_duplicate_id_resolves_to_its_first_task() {
        let mut plan = example();
        validate(&mut plan);
        // The last task takes the first one's id: references to that id
        // keep pointing at the first.
        let first = plan.tasks[0].id.value.clone();
        let last = plan.tasks.len() - 1;
        plan.tasks[last].id.value = first.clone();
        let diagnostics = validate(&mut plan);
        assert!(diagnostics.iter().any(|d| {
            d.message
                .starts_with(&format!("duplicate task id `{first}`"))
        }));
        for task in &plan.tasks {
            for dependency in &task.depends {
                if dependency.task.id.value == first {
                    assert_eq!(dependency.task.index, Some(0));
                }
            }
        }
    }
}
