//! Governance diagnostics. [`structural`] runs with every validation (a
//! change's edits naming unknown tasks are errors like any other broken
//! reference); [`warnings`] is what `gantry check` adds about the state of
//! governance at the status date.

use chrono::{Days, NaiveDate};
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

/// What `gantry check` adds about governance at `date` (the status date,
/// else today), each a warning at the entity it is about:
///
/// - an open risk whose trigger date has come with no mitigation or no owner;
/// - an approved (or done) change request whose task edits are not in the
///   plan, or that was never followed by a baseline;
/// - a proposed change request whose declared `cost` or `days` disagrees
///   with the impact computed from its task edits (at the declared value);
/// - a gated milestone done while its gate is open, without an override;
///   and every override recorded on a gate;
/// - no check-in recorded for the last full week before `date`, while the
///   project ran;
/// - a communication item overdue.
///
/// For a plan without errors: it schedules the plan.
pub fn warnings(plan: &Plan, date: NaiveDate) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let schedule = crate::schedule::schedule(plan).ok();
    risks(plan, date, &mut warnings);
    changes(plan, schedule.as_ref(), date, &mut warnings);
    gates(plan, &mut warnings);
    if let Some(schedule) = &schedule {
        checkin(plan, schedule, date, &mut warnings);
        communications(plan, schedule, date, &mut warnings);
    }
    warnings
}

fn risks(plan: &Plan, date: NaiveDate, warnings: &mut Vec<Diagnostic>) {
    for risk in &plan.risks {
        let Some(trigger) = risk.trigger.filter(|_| risk.is_past_trigger(date)) else {
            continue;
        };
        let mitigation = risk
            .mitigation
            .as_deref()
            .is_some_and(|text| !text.trim().is_empty());
        let missing = match (mitigation, risk.owner.is_some()) {
            (true, true) => continue,
            (false, false) => "no mitigation and no owner",
            (false, true) => "no mitigation",
            (true, false) => "no owner",
        };
        let message = format!(
            "risk `{}` is open and its trigger date {trigger} has come (as of {date}), but it has {missing}; give it an owner and a mitigation, or close it",
            quote(&risk.id.value)
        );
        warnings.push(
            Diagnostic::warning(risk.id.pos, message).about(Subject::entity(
                "risk",
                &risk.id.value,
                "trigger",
            )),
        );
    }
}

/// Whether the default baseline of every task the change touches holds
/// the task's scheduled dates: the plan was baselined after the change.
fn baselined_after(
    plan: &Plan,
    schedule: Option<&crate::schedule::Schedule>,
    change: &crate::model::ChangeRequest,
) -> bool {
    let Some(schedule) = schedule else {
        return false;
    };
    let ids = change
        .edits
        .iter()
        .map(|patch| patch.task.value.as_str())
        .chain(change.adds.iter().map(|task| task.id.value.as_str()));
    ids.into_iter().all(|id| {
        plan.task_index(id).is_some_and(|index| {
            let dates = &schedule.tasks[index];
            plan.tasks[index].baseline.is_some_and(|baseline| {
                baseline.start == dates.start && baseline.finish == dates.finish
            })
        })
    })
}

fn changes(
    plan: &Plan,
    schedule: Option<&crate::schedule::Schedule>,
    date: NaiveDate,
    warnings: &mut Vec<Diagnostic>,
) {
    for change in &plan.changes {
        let id = change.id.value.as_str();
        let about = |key| Subject::entity("change", id, key);
        match change.status {
            ChangeStatus::Approved | ChangeStatus::Done if change.changes_tasks() => {
                let missing: Vec<String> = change
                    .edits
                    .iter()
                    .filter(|patch| {
                        !plan
                            .task(&patch.task.value)
                            .is_some_and(|task| patch.is_in(task))
                    })
                    .map(|patch| format!("the edit of `{}`", quote(&patch.task.value)))
                    .chain(
                        change
                            .adds
                            .iter()
                            .filter(|task| plan.task(&task.id.value).is_none())
                            .map(|task| format!("new task `{}`", quote(&task.id.value))),
                    )
                    .collect();
                if !missing.is_empty() {
                    let message = format!(
                        "change request `{}` is {} but the plan does not hold {}; make the tasks match, or record why they differ in `note`",
                        quote(id),
                        change.status.as_str(),
                        missing.join(", ")
                    );
                    warnings.push(Diagnostic::warning(change.pos, message).about(about("edit")));
                }
                match &change.baseline {
                    None if baselined_after(plan, schedule, change) => {}
                    None => {
                        let message = format!(
                            "change request `{}` changed the plan but no baseline was recorded after it; record one (gantry baseline --force, or gantry baseline --name NAME and write the name in `baseline`), so slip is measured against the agreed plan",
                            quote(id)
                        );
                        warnings.push(
                            Diagnostic::warning(change.pos, message).about(about("baseline")),
                        );
                    }
                    Some(name) => {
                        let recorded = plan.tasks.iter().any(|task| {
                            task.baselines.iter().any(|(taken, _)| taken == &name.value)
                        });
                        if !recorded {
                            let message = format!(
                                "change request `{}` names baseline `{}`, which no task has; record it with gantry baseline --name {}",
                                quote(id),
                                quote(&name.value),
                                quote(&name.value)
                            );
                            warnings.push(
                                Diagnostic::warning(name.pos, message).about(about("baseline")),
                            );
                        }
                    }
                }
            }
            ChangeStatus::Proposed
                if change.changes_tasks() && (change.cost.is_some() || change.days.is_some()) =>
            {
                let Ok(index) = super::change_index(plan, id) else {
                    continue;
                };
                let Some(schedule) = schedule else {
                    continue;
                };
                let Ok(impact) = super::impact::impact_with(plan, schedule, index, date) else {
                    continue;
                };
                if impact.cost_disagrees() {
                    let message = format!(
                        "change request `{}` declares a cost of {}, but its task edits cost {}; correct `cost` or remove it",
                        quote(id),
                        crate::metrics::format_money(change.cost.unwrap_or_default()),
                        crate::metrics::format_money(impact.cost)
                    );
                    warnings
                        .push(Diagnostic::warning(change.cost_pos, message).about(about("cost")));
                }
                if impact.days_disagree() {
                    let message = format!(
                        "change request `{}` declares {} days, but its task edits move the finish by {} working days; correct `days` or remove it",
                        quote(id),
                        change.days.unwrap_or_default(),
                        impact.days
                    );
                    warnings
                        .push(Diagnostic::warning(change.days_pos, message).about(about("days")));
                }
            }
            _ => {}
        }
    }
}

fn gates(plan: &Plan, warnings: &mut Vec<Diagnostic>) {
    for gate in &plan.gates {
        let id = gate.id.value.as_str();
        if let Some(overridden) = &gate.overridden {
            let on = overridden
                .date
                .map(|date| format!(" on {date}"))
                .unwrap_or_default();
            let message = format!(
                "quality gate `{}` was overridden by {}{on}: {}",
                quote(id),
                quote(&overridden.by),
                quote(&overridden.reason)
            );
            warnings.push(
                Diagnostic::warning(overridden.pos, message)
                    .about(Subject::entity("gate", id, "override")),
            );
            continue;
        }
        let task = gate
            .milestone
            .as_ref()
            .and_then(|milestone| milestone.index)
            .and_then(|index| plan.tasks.get(index));
        if let Some(task) = task
            && task.status == crate::model::TaskStatus::Done
            && !gate.is_passed()
        {
            let message = format!(
                "milestone `{}` is done while quality gate `{}` is open: {}; finish and sign the gate, or record an override on it",
                quote(&task.id.value),
                quote(id),
                super::gates::open_reasons(gate)
            );
            warnings.push(
                Diagnostic::warning(gate.pos, message).about(Subject::entity("gate", id, "signed")),
            );
        }
    }
}

fn checkin(
    plan: &Plan,
    schedule: &crate::schedule::Schedule,
    date: NaiveDate,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(last_week) = crate::metrics::week_monday(date).checked_sub_days(Days::new(7)) else {
        return;
    };
    let last_sunday = last_week
        .checked_add_days(Days::new(6))
        .unwrap_or(last_week);
    if last_sunday < plan.project.start.min(schedule.start) || last_week > schedule.finish {
        return;
    }
    if plan
        .checkins
        .iter()
        .any(|checkin| crate::metrics::week_monday(checkin.week.value) == last_week)
    {
        return;
    }
    let message = format!(
        "no check-in recorded for the week of {last_week}, the last full week before {date}; record one (gantry checkin --record)"
    );
    warnings.push(
        Diagnostic::warning(plan.project.status_date_pos, message)
            .about(Subject::unnamed("checkin", "week")),
    );
}

fn communications(
    plan: &Plan,
    schedule: &crate::schedule::Schedule,
    date: NaiveDate,
    warnings: &mut Vec<Diagnostic>,
) {
    for communication in plan.communications.iter().filter(|c| c.last.is_some()) {
        let super::Due::On(due) =
            super::next_due(communication, plan.project.start.max(schedule.start))
        else {
            continue;
        };
        if due >= date || due > schedule.finish {
            continue;
        }
        let message = format!(
            "communication `{}` ({}) was due {due} and has not taken place since {}; hold it and move `last`",
            quote(&communication.id.value),
            quote(&communication.what),
            communication.last.unwrap_or(due)
        );
        warnings.push(
            Diagnostic::warning(communication.pos, message).about(Subject::entity(
                "communication",
                &communication.id.value,
                "last",
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    const BASE: &str = "[project]\nname = \"Shop\"\nstart = 2027-01-04\n\n[[person]]\nid = \"ana\"\nname = \"Ana\"\nrate = 100\n\n[[task]]\nid = \"api\"\nname = \"API\"\nduration = 10\nowner = \"ana\"\nestimate = 40\n\n[[task]]\nid = \"live\"\nname = \"Live\"\nmilestone = true\ndepends = [\"api\"]\n\n[[checkin]]\nweek = 2027-01-04\n";

    /// The warnings at 2027-01-12 (the week before it has its check-in),
    /// as "LINE:COL message".
    fn warned(extra: &str) -> Vec<String> {
        let text = format!("{BASE}\n{extra}");
        let loaded = crate::store::parse_str(&text).expect("parses");
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        warnings(&loaded.plan, date("2027-01-12"))
            .iter()
            .map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message))
            .collect()
    }

    #[test]
    fn a_plan_in_order_has_no_governance_warnings() {
        assert!(warned("").is_empty(), "{:?}", warned(""));
    }

    #[test]
    fn a_risk_past_its_trigger_needs_an_owner_and_a_mitigation() {
        let found = warned(
            "[[risk]]\nid = \"R1\"\ntitle = \"Late\"\nlikelihood = 2\nimpact = 2\ntrigger = 2027-01-11\nowner = \"ana\"\n\n[[risk]]\nid = \"R2\"\ntitle = \"Fine\"\nlikelihood = 2\nimpact = 2\ntrigger = 2027-01-11\nowner = \"ana\"\nmitigation = \"Mock it\"\n\n[[risk]]\nid = \"R3\"\ntitle = \"Later\"\nlikelihood = 2\nimpact = 2\ntrigger = 2027-01-13\n",
        );
        assert_eq!(
            found,
            [
                "27:6 risk `R1` is open and its trigger date 2027-01-11 has come (as of 2027-01-12), but it has no mitigation; give it an owner and a mitigation, or close it"
            ]
        );
    }

    #[test]
    fn an_approved_change_must_be_in_the_plan_and_followed_by_a_baseline() {
        let found = warned(
            "[[change]]\nid = \"C1\"\ntitle = \"Longer\"\nstatus = \"approved\"\n\n[[change.edit]]\ntask = \"api\"\nduration = 12\n",
        );
        assert_eq!(
            found,
            [
                "26:1 change request `C1` is approved but the plan does not hold the edit of `api`; make the tasks match, or record why they differ in `note`",
                "26:1 change request `C1` changed the plan but no baseline was recorded after it; record one (gantry baseline --force, or gantry baseline --name NAME and write the name in `baseline`), so slip is measured against the agreed plan",
            ]
        );
        let baselined = warned("[[change]]\nid = \"C1\"\ntitle = \"Same\"\nstatus = \"approved\"\n\n[[change.edit]]\ntask = \"api\"\nduration = 10\n")
            .into_iter()
            .filter(|w| w.contains("no baseline"))
            .count();
        assert_eq!(baselined, 1, "without any baseline");
        let text = BASE.replace(
            "estimate = 40\n",
            "estimate = 40\nbaseline = { start = 2027-01-04, finish = 2027-01-15 }\n",
        );
        let loaded = crate::store::parse_str(&format!("{text}\n[[change]]\nid = \"C1\"\ntitle = \"Same\"\nstatus = \"approved\"\n\n[[change.edit]]\ntask = \"api\"\nduration = 10\n")).expect("parses");
        assert!(
            warnings(&loaded.plan, date("2027-01-12")).is_empty(),
            "the default baseline holds the change"
        );
        let named = warned(
            "[[change]]\nid = \"C1\"\ntitle = \"Same\"\nstatus = \"done\"\nbaseline = \"after-C1\"\n\n[[change.edit]]\ntask = \"api\"\nduration = 10\n",
        );
        assert_eq!(
            named,
            [
                "30:12 change request `C1` names baseline `after-C1`, which no task has; record it with gantry baseline --name after-C1"
            ]
        );
    }

    #[test]
    fn a_declared_figure_that_disagrees_is_warned_at_the_value() {
        let found = warned(
            "[[change]]\nid = \"C1\"\ntitle = \"Longer\"\ncost = 100\ndays = 2\n\n[[change.edit]]\ntask = \"api\"\nduration = 12\nestimate = 50\n",
        );
        assert_eq!(
            found,
            [
                "29:8 change request `C1` declares a cost of 100.00, but its task edits cost 1,000.00; correct `cost` or remove it"
            ]
        );
    }

    #[test]
    fn a_gated_milestone_done_with_the_gate_open_and_an_override_are_warned() {
        let text = BASE.replace(
            "milestone = true\n",
            "milestone = true\nstatus = \"done\"\n",
        );
        let loaded = crate::store::parse_str(&format!("{text}\n[[gate]]\nid = \"G1\"\nname = \"Go\"\nmilestone = \"live\"\nchecklist = [{{ item = \"Tests\", done = false }}]\n\n[[gate]]\nid = \"G2\"\nname = \"Again\"\nmilestone = \"live\"\noverride = {{ by = \"Ana\", date = 2027-01-08, reason = \"Accepted\" }}\n")).expect("parses");
        let found: Vec<String> = warnings(&loaded.plan, date("2027-01-12"))
            .iter()
            .map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message))
            .collect();
        assert_eq!(
            found,
            [
                "27:1 milestone `live` is done while quality gate `G1` is open: 1 of 1 checklist item is not done (\"Tests\") and it is not signed; finish and sign the gate, or record an override on it",
                "37:12 quality gate `G2` was overridden by Ana on 2027-01-08: Accepted",
            ]
        );
    }

    #[test]
    fn a_missing_check_in_and_an_overdue_communication_are_warned() {
        let text = BASE.replace(
            "start = 2027-01-04\n",
            "start = 2027-01-04\nstatus_date = 2027-01-19\n",
        );
        let loaded = crate::store::parse_str(&format!("{text}\n[[communication]]\nid = \"steer\"\nwhat = \"Steering\"\ncadence = \"weekly, Monday\"\nlast = 2027-01-11\n\n[[communication]]\nid = \"fresh\"\nwhat = \"Standup\"\ncadence = \"weekly\"\nlast = 2027-01-18\n")).expect("parses");
        let found: Vec<String> = warnings(&loaded.plan, date("2027-01-19"))
            .iter()
            .map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message))
            .collect();
        assert_eq!(
            found,
            [
                "4:15 no check-in recorded for the week of 2027-01-11, the last full week before 2027-01-19; record one (gantry checkin --record)",
                "27:1 communication `steer` (Steering) was due 2027-01-18 and has not taken place since 2027-01-11; hold it and move `last`",
            ]
        );
    }
}
