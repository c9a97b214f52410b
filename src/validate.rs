//! Checks across the whole plan: duplicate ids, references, cycles, and the
//! softer warnings. Resolves every reference to an index as it goes.

use chrono::Datelike;

use crate::diagnostic::{self, Diagnostic};
use crate::model::{Located, Plan, Ref};
use crate::sanitize::for_terminal;

/// Resolves references and returns every problem found.
pub fn validate(plan: &mut Plan) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let tasks = index(&mut diagnostics, "task", plan.tasks.iter().map(|t| &t.id));
    let people = index(
        &mut diagnostics,
        "person",
        plan.people.iter().map(|p| &p.id),
    );
    let phases = index(&mut diagnostics, "phase", plan.phases.iter().map(|p| &p.id));
    index(
        &mut diagnostics,
        "objective",
        plan.objectives.iter().map(|o| &o.id),
    );
    index(&mut diagnostics, "risk", plan.risks.iter().map(|r| &r.id));
    index(
        &mut diagnostics,
        "change request",
        plan.changes.iter().map(|c| &c.id),
    );
    index(&mut diagnostics, "gate", plan.gates.iter().map(|g| &g.id));
    index(
        &mut diagnostics,
        "communication",
        plan.communications.iter().map(|c| &c.id),
    );

    let task_ids = Resolver::new(&tasks, "task");
    let person_ids = Resolver::new(&people, "person");
    let phase_ids = Resolver::new(&phases, "phase");

    for (task_index, task) in plan.tasks.iter_mut().enumerate() {
        // Named only in messages, so built only for one.
        let owner = || format!("task `{}`", task.id.value);
        if let Some(phase) = &mut task.phase {
            phase_ids.resolve(&mut diagnostics, phase, owner, "is in phase");
        }
        if let Some(person) = &mut task.owner {
            person_ids.resolve(&mut diagnostics, person, owner, "is owned by");
        }
        let mut seen = Vec::new();
        for dependency in &mut task.depends {
            task_ids.resolve(&mut diagnostics, &mut dependency.task, owner, "depends on");
            if dependency.task.index == Some(task_index) {
                let message = format!(
                    "task `{}` depends on itself; remove it from its own `depends`",
                    task.id.value
                );
                diagnostics.push(Diagnostic::error(dependency.task.id.pos, message));
                dependency.task.index = None;
            } else if let Some(target) = dependency.task.index {
                if seen.contains(&(target, dependency.kind)) {
                    let message = format!(
                        "task `{}` lists its dependency on `{}` twice",
                        task.id.value, dependency.task.id.value
                    );
                    diagnostics.push(Diagnostic::warning(dependency.task.id.pos, message));
                }
                seen.push((target, dependency.kind));
            }
        }
        if task.start.is_some_and(|start| start < plan.project.start)
            && plan.project.start != Default::default()
        {
            let message = format!(
                "task `{}` may not start before {}, but the project itself starts later, on {}",
                task.id.value,
                task.start.unwrap_or_default(),
                plan.project.start
            );
            diagnostics.push(Diagnostic::warning(task.pos, message));
        }
    }
    for entry in &mut plan.log {
        let owner = || format!("the log entry of {}", entry.date);
        task_ids.resolve(&mut diagnostics, &mut entry.task, owner, "is for");
        if let Some(person) = &mut entry.person {
            person_ids.resolve(&mut diagnostics, person, owner, "is by");
        }
    }
    for risk in &mut plan.risks {
        let owner = || format!("risk `{}`", risk.id.value);
        if let Some(person) = &mut risk.owner {
            person_ids.resolve(&mut diagnostics, person, owner, "is owned by");
        }
        for task in &mut risk.tasks {
            task_ids.resolve(&mut diagnostics, task, owner, "is linked to");
        }
    }
    for gate in &mut plan.gates {
        let owner = || format!("gate `{}`", gate.id.value);
        if let Some(milestone) = &mut gate.milestone {
            task_ids.resolve(&mut diagnostics, milestone, owner, "guards");
            if let Some(index) = milestone.index
                && !plan.tasks[index].is_milestone()
            {
                let message = format!(
                    "gate `{}` guards `{}`, which is not a milestone; a gate usually guards a milestone (milestone = true)",
                    gate.id.value, milestone.id.value
                );
                diagnostics.push(Diagnostic::warning(milestone.id.pos, message));
            }
        }
    }
    for communication in &mut plan.communications {
        let owner = || format!("communication `{}`", communication.id.value);
        if let Some(person) = &mut communication.owner {
            person_ids.resolve(&mut diagnostics, person, owner, "is owned by");
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
            diagnostics.push(Diagnostic::warning(checkin.week.pos, message));
        }
    }
    if let Some(status_date) = plan.project.status_date
        && status_date < plan.project.start
    {
        let message = format!(
            "`status_date` {status_date} is before the project starts on {}",
            plan.project.start
        );
        diagnostics.push(Diagnostic::warning(plan.project.pos, message));
    }
    cycles(plan, &mut diagnostics);
    diagnostics
}

/// Ids to their index and the line of their first appearance. The Fx hash
/// is several times faster than the default on short ids; resistance to
/// crafted collisions is not needed for ids in the user's own plan.
type IdMap = rustc_hash::FxHashMap<String, (usize, u32)>;

/// Maps ids to indices, reporting each duplicate at its second appearance.
fn index<'a>(
    diagnostics: &mut Vec<Diagnostic>,
    kind: &str,
    ids: impl ExactSizeIterator<Item = &'a Located<String>>,
) -> IdMap {
    let mut map = IdMap::with_capacity_and_hasher(ids.len(), Default::default());
    for (index, id) in ids.enumerate() {
        if let Some((_, line)) = map.get(id.value.as_str()) {
            let message = format!(
                "duplicate {kind} id `{}`: line {line} already has a {kind} with this id; ids must be unique",
                id.value
            );
            diagnostics.push(Diagnostic::error(id.pos, message));
            continue;
        }
        map.insert(id.value.clone(), (index, id.pos.line));
    }
    map
}

struct Resolver<'a> {
    ids: &'a IdMap,
    kind: &'static str,
}

impl<'a> Resolver<'a> {
    fn new(ids: &'a IdMap, kind: &'static str) -> Self {
        Resolver { ids, kind }
    }

    fn resolve(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        reference: &mut Ref,
        owner: impl Fn() -> String,
        verb: &str,
    ) {
        reference.index = self.ids.get(&reference.id.value).map(|&(index, _)| index);
        if reference.index.is_none() {
            let kind = self.kind;
            let message = format!(
                "{} {verb} `{}`, which is not a {kind}{}",
                owner(),
                for_terminal(&reference.id.value),
                diagnostic::suggestion(&reference.id.value, self.ids.keys().map(String::as_str))
            );
            diagnostics.push(Diagnostic::error(reference.id.pos, message));
        }
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
                    let mut names: Vec<&str> = stack[start..]
                        .iter()
                        .map(|&(t, _)| plan.tasks[t].id.value.as_str())
                        .collect();
                    names.reverse();
                    names.rotate_right(1);
                    // Written as "a → b → c → a": each depends on the one before it.
                    let mut order: Vec<&str> = Vec::with_capacity(names.len() + 1);
                    order.extend(names.iter().copied());
                    order.push(names[0]);
                    let message = format!(
                        "dependency cycle: {}; each task here waits for the one before it, so none can start — remove one of these dependencies",
                        order
                            .iter()
                            .map(|id| format!("`{id}`"))
                            .collect::<Vec<_>>()
                            .join(" → ")
                    );
                    diagnostics.push(Diagnostic::error(dependency.task.id.pos, message));
                }
                Mark::Finished => {}
            }
        }
    }
}
