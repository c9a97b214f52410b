//! Governance diagnostics. [`structural`] runs with every validation (a
//! change's edits naming unknown tasks are errors like any other broken
//! reference); [`warnings`] is what `gantry check` adds about the state of
//! governance at the status date.

use rustc_hash::FxHashSet;

use crate::diagnostic::{self, Diagnostic, Subject};
use crate::model::{ChangeStatus, Plan, Ref};
use crate::sanitize::quote;

/// The errors of change requests' task edits and new tasks (an unknown
/// task, phase, owner or dependency; a new task whose id is taken) and the
/// warnings of `[scope]` `dropped`. Called by `validate::validate`; costs
/// nothing for a plan whose change requests carry no task edits.
pub fn structural(plan: &Plan) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    dropped_scope(plan, &mut diagnostics);
    if !plan.changes.iter().any(|change| change.changes_tasks()) {
        return diagnostics;
    }
    let tasks: FxHashSet<&str> = plan.tasks.iter().map(|t| t.id.value.as_str()).collect();
    let people: FxHashSet<&str> = plan.people.iter().map(|p| p.id.value.as_str()).collect();
    let phases: FxHashSet<&str> = plan.phases.iter().map(|p| p.id.value.as_str()).collect();
    for change in plan.changes.iter().filter(|change| change.changes_tasks()) {
        let id = change.id.value.as_str();
        let owner = format!("change request `{}`", quote(id));
        let mut added: Vec<&str> = Vec::new();
        for task in &change.adds {
            let new = task.id.value.as_str();
            let about = Subject::entity("change", id, "add");
            // Once approved, the new task is in the plan.
            if tasks.contains(new) && change.status == ChangeStatus::Proposed {
                let message = format!(
                    "{owner} adds task `{}`, but the plan already has a task with that id; choose another id for the new task",
                    quote(new)
                );
                diagnostics.push(Diagnostic::error(task.id.pos, message).about(about));
            } else if added.contains(&new) {
                let message = format!("{owner} adds task `{}` twice", quote(new));
                diagnostics.push(Diagnostic::error(task.id.pos, message).about(about));
            }
            added.push(new);
        }
        let all_tasks = || plan.tasks.iter().map(|task| task.id.value.as_str());
        let references = |diagnostics: &mut Vec<Diagnostic>,
                          what: &str,
                          key: &'static str,
                          phase: Option<&Ref>,
                          person: Option<&Ref>,
                          depends: &mut dyn Iterator<Item = &Ref>| {
            let about = Subject::entity("change", id, key);
            let mut unknown = |reference: &Ref, kind: &str, known: bool, candidates: Vec<&str>| {
                if known {
                    return;
                }
                let value = reference.id.value.as_str();
                let message = format!(
                    "{what} of {owner} names {kind} `{}`, which is not a {kind}{}",
                    quote(value),
                    diagnostic::suggestion(value, candidates)
                );
                diagnostics.push(Diagnostic::error(reference.id.pos, message).about(about.clone()));
            };
            if let Some(phase) = phase {
                let known = phases.contains(phase.id.value.as_str());
                unknown(
                    phase,
                    "phase",
                    known,
                    plan.phases.iter().map(|p| p.id.value.as_str()).collect(),
                );
            }
            if let Some(person) = person {
                let known = people.contains(person.id.value.as_str());
                unknown(
                    person,
                    "person",
                    known,
                    plan.people.iter().map(|p| p.id.value.as_str()).collect(),
                );
            }
            for dependency in depends {
                let value = dependency.id.value.as_str();
                let known = tasks.contains(value) || added.contains(&value);
                if !known {
                    unknown(
                        dependency,
                        "task",
                        false,
                        all_tasks().chain(added.iter().copied()).collect(),
                    );
                }
            }
        };
        for patch in &change.edits {
            let target = patch.task.value.as_str();
            if !tasks.contains(target) {
                let hint = if added.contains(&target) {
                    format!(
                        "; `{}` is a task this change adds: put the values in its [[change.add]]",
                        quote(target)
                    )
                } else {
                    diagnostic::suggestion(target, all_tasks())
                };
                let message = format!(
                    "{owner} edits task `{}`, which is not a task{hint}",
                    quote(target)
                );
                diagnostics.push(
                    Diagnostic::error(patch.task.pos, message)
                        .about(Subject::entity("change", id, "edit")),
                );
            }
            let what = format!("the edit of task `{}`", quote(target));
            let mut depends = patch.depends.iter().flatten().map(|d| &d.task);
            references(
                &mut diagnostics,
                &what,
                "edit",
                patch.phase.as_ref(),
                patch.owner.as_ref(),
                &mut depends,
            );
        }
        for task in &change.adds {
            let what = format!("new task `{}`", quote(&task.id.value));
            let mut depends = task.depends.iter().map(|d| &d.task);
            references(
                &mut diagnostics,
                &what,
                "add",
                task.phase.as_ref(),
                task.owner.as_ref(),
                &mut depends,
            );
        }
    }
    diagnostics
}

/// Every `dropped` scope item must be one of `included`.
fn dropped_scope(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) {
    for item in &plan.scope.dropped {
        if plan.scope.included.contains(&item.value) {
            continue;
        }
        let message = format!(
            "\"{}\" in `dropped` in [scope] is not one of `included`; a dropped item is a deliverable that was in scope{}",
            quote(&item.value),
            diagnostic::suggestion(&item.value, plan.scope.included.iter().map(String::as_str))
        );
        diagnostics.push(
            Diagnostic::warning(item.pos, message).about(Subject::unnamed("scope", "dropped")),
        );
    }
}
