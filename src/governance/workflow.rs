//! The decision on a change request: proposed, then approved or rejected,
//! then (approved and carried out) done. Each step is a list of edits to
//! apply together with `PlanFile::apply_all`, so the decision and what it
//! changes are saved at once and undone as one step.

use chrono::NaiveDate;
use toml_edit::{InlineTable, Item, Table, Value};

use super::{GovernanceError, change_index};
use crate::model::{
    ChangeRequest, ChangeStatus, Dependency, DependencyKind, Plan, Task, TaskPatch, is_valid_id,
};
use crate::sanitize::quote;
use crate::store::{Edit, EntityKind, TaskField, toml_date};

/// Who decided, when, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub by: String,
    pub date: NaiveDate,
    pub reason: Option<String>,
}

/// The edits that approve the change request `id`: its status, who decided
/// and when, its task edits and new tasks, and, with `baseline`, every
/// task's new dates recorded as a baseline of that name (which must not be
/// taken). Refused unless the change is proposed.
pub fn approve_edits(
    plan: &Plan,
    id: &str,
    decision: &Decision,
    baseline: Option<&str>,
) -> Result<Vec<Edit>, GovernanceError> {
    let index = change_index(plan, id)?;
    let change = &plan.changes[index];
    if change.status != ChangeStatus::Proposed {
        return Err(refused_decision(change, "approved"));
    }
    unnamed_decision(change, decision)?;
    let mut edits = decision_edits(change, ChangeStatus::Approved, decision);
    for patch in &change.edits {
        edits.extend(patch_edits(patch));
    }
    for task in &change.adds {
        edits.push(Edit::Add {
            kind: EntityKind::Task,
            after: None,
            table: task_table(task),
        });
    }
    if let Some(name) = baseline {
        if !is_valid_id(name) {
            return Err(GovernanceError::Refused(format!(
                "`{}` cannot name a baseline; use letters, digits, '-', '_' and '.', e.g. after-{}",
                quote(name),
                quote(id)
            )));
        }
        if plan
            .tasks
            .iter()
            .any(|task| task.baselines.iter().any(|(taken, _)| taken == name))
        {
            return Err(GovernanceError::Refused(format!(
                "the plan already has a baseline named `{}`; choose another name so the one recorded stays",
                quote(name)
            )));
        }
        let changed = super::apply_change(plan, index);
        let schedule = crate::schedule::schedule(&changed)
            .map_err(|error| GovernanceError::Invalid(vec![error.diagnostic(&changed)]))?;
        for (task, dates) in changed.tasks.iter().zip(&schedule.tasks) {
            edits.push(Edit::SetBaseline {
                task: task.id.value.clone(),
                name: Some(name.to_owned()),
                baseline: crate::model::Baseline {
                    start: dates.start,
                    finish: dates.finish,
                },
            });
        }
        edits.push(set(change, "baseline", Some(Value::from(name))));
    }
    Ok(edits)
}

/// The edits that reject the change request `id`; its tasks stay as they
/// are. Refused unless the change is proposed.
pub fn reject_edits(
    plan: &Plan,
    id: &str,
    decision: &Decision,
) -> Result<Vec<Edit>, GovernanceError> {
    let change = &plan.changes[change_index(plan, id)?];
    if change.status != ChangeStatus::Proposed {
        return Err(refused_decision(change, "rejected"));
    }
    unnamed_decision(change, decision)?;
    Ok(decision_edits(change, ChangeStatus::Rejected, decision))
}

/// The edit that marks the approved change request `id` done (carried
/// out). Refused unless the change is approved.
pub fn done_edits(plan: &Plan, id: &str) -> Result<Vec<Edit>, GovernanceError> {
    let change = &plan.changes[change_index(plan, id)?];
    let name = quote(&change.id.value);
    match change.status {
        ChangeStatus::Approved => Ok(vec![set(
            change,
            "status",
            Some(Value::from(ChangeStatus::Done.as_str())),
        )]),
        ChangeStatus::Done => Err(GovernanceError::Refused(format!(
            "change request `{name}` is done already"
        ))),
        ChangeStatus::Proposed => Err(GovernanceError::Refused(format!(
            "change request `{name}` is proposed, not approved; only an approved change can be done: approve it first (gantry change approve)"
        ))),
        ChangeStatus::Rejected => Err(GovernanceError::Refused(format!(
            "change request `{name}` was rejected{}; only an approved change can be done",
            decided(change)
        ))),
    }
}

/// A decision records who made it: a blank name is refused, so no change
/// is approved or rejected by nobody.
fn unnamed_decision(change: &ChangeRequest, decision: &Decision) -> Result<(), GovernanceError> {
    if decision.by.trim().is_empty() {
        return Err(GovernanceError::Refused(format!(
            "change request `{}` needs who decides it; give a name with --by NAME, e.g. --by Ana",
            quote(&change.id.value)
        )));
    }
    Ok(())
}

/// " by Ana on 2027-02-03", as far as the change records it.
fn decided(change: &ChangeRequest) -> String {
    let mut text = String::new();
    if let Some(by) = &change.decided_by {
        text.push_str(&format!(" by {}", quote(by)));
    }
    if let Some(date) = change.decided {
        text.push_str(&format!(" on {date}"));
    }
    text
}

fn refused_decision(change: &ChangeRequest, wanted: &str) -> GovernanceError {
    let name = quote(&change.id.value);
    let decided = decided(change);
    GovernanceError::Refused(match (change.status, wanted) {
        (ChangeStatus::Approved, "approved") => {
            format!("change request `{name}` is already approved{decided}")
        }
        (ChangeStatus::Rejected, "rejected") => {
            format!("change request `{name}` is already rejected{decided}")
        }
        (ChangeStatus::Approved, _) => format!(
            "change request `{name}` was approved{decided}, so it can no longer be rejected; to take it back, propose a change request that undoes it"
        ),
        (ChangeStatus::Rejected, _) => format!(
            "change request `{name}` was rejected{decided}, so it cannot be approved; to ask again, propose it as a new change request"
        ),
        _ => format!(
            "change request `{name}` is done{decided}; a change carried out cannot be {wanted}"
        ),
    })
}

fn set(change: &ChangeRequest, key: &str, value: Option<Value>) -> Edit {
    Edit::Set {
        kind: EntityKind::Change,
        id: change.id.value.clone(),
        key: key.to_owned(),
        value,
    }
}

fn decision_edits(change: &ChangeRequest, status: ChangeStatus, decision: &Decision) -> Vec<Edit> {
    let mut edits = vec![
        set(change, "status", Some(Value::from(status.as_str()))),
        set(
            change,
            "decided_by",
            Some(Value::from(decision.by.as_str())),
        ),
        set(change, "decided", Some(toml_date(decision.date))),
    ];
    if let Some(reason) = &decision.reason {
        edits.push(set(change, "reason", Some(Value::from(reason.as_str()))));
    }
    edits
}

/// A number of hours as TOML writes it: whole numbers without a fraction.
fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        Value::from(value as i64)
    } else {
        Value::from(value)
    }
}

/// `depends` as the format writes it: a plain id for finish-to-start
/// without lag, else an inline table.
fn depends_value(depends: &[Dependency]) -> Value {
    let mut array = toml_edit::Array::new();
    for dependency in depends {
        let id = dependency.task.id.value.as_str();
        if dependency.kind == DependencyKind::FinishToStart && dependency.lag == 0 {
            array.push(id);
            continue;
        }
        let mut table = InlineTable::new();
        table.insert("task", Value::from(id));
        if dependency.kind != DependencyKind::FinishToStart {
            table.insert("type", Value::from(dependency.kind.as_str()));
        }
        if dependency.lag != 0 {
            table.insert("lag", Value::from(dependency.lag));
        }
        array.push(table);
    }
    Value::Array(array)
}

/// The values of a task edit, key by key, in the order of `TaskField::ALL`.
pub fn patch_values(patch: &TaskPatch) -> Vec<(TaskField, Value)> {
    let text = |value: &str| Value::from(value);
    let values = [
        (TaskField::Name, patch.name.as_deref().map(text)),
        (
            TaskField::Phase,
            patch.phase.as_ref().map(|r| text(&r.id.value)),
        ),
        (
            TaskField::Owner,
            patch.owner.as_ref().map(|r| text(&r.id.value)),
        ),
        (
            TaskField::Duration,
            patch.duration.as_ref().map(|d| Value::from(d.value)),
        ),
        (TaskField::Estimate, patch.estimate.map(number)),
        (
            TaskField::Depends,
            patch.depends.as_deref().map(depends_value),
        ),
        (TaskField::Start, patch.start.map(toml_date)),
        (TaskField::Milestone, patch.milestone.map(Value::from)),
        (TaskField::Status, patch.status.map(|s| text(s.as_str()))),
        (
            TaskField::Progress,
            patch.progress.map(|p| Value::from(i64::from(p))),
        ),
        (TaskField::Blocker, patch.blocker.as_deref().map(text)),
        (TaskField::BlockedSince, patch.blocked_since.map(toml_date)),
        (TaskField::Notes, patch.notes.as_deref().map(text)),
    ];
    values
        .into_iter()
        .filter_map(|(field, value)| value.map(|value| (field, value)))
        .collect()
}

fn patch_edits(patch: &TaskPatch) -> Vec<Edit> {
    patch_values(patch)
        .into_iter()
        .map(|(field, value)| Edit::SetTask {
            task: patch.task.value.clone(),
            field,
            value: Some(value),
        })
        .collect()
}

/// A new task's table, with the keys its `[[change.add]]` gave.
fn task_table(task: &Task) -> Table {
    let mut table = Table::new();
    table.insert("id", Item::Value(Value::from(task.id.value.as_str())));
    let patch = TaskPatch {
        name: Some(task.name.clone()),
        phase: task.phase.clone(),
        owner: task.owner.clone(),
        duration: (!task.milestone || task.duration.value != 1).then(|| task.duration.clone()),
        estimate: task.estimate,
        depends: (!task.depends.is_empty()).then(|| task.depends.clone()),
        start: task.start,
        milestone: task.milestone.then_some(true),
        status: (task.status != Default::default()).then_some(task.status),
        progress: (task.progress != 0).then_some(task.progress),
        blocker: task.blocker.clone(),
        blocked_since: task.blocked_since,
        notes: task.notes.clone(),
        ..TaskPatch::default()
    };
    for (field, value) in patch_values(&patch) {
        table.insert(field.key(), Item::Value(value));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::PlanFile;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    const PLAN: &str = "[project]\nname = \"Shop\"\nstart = 2027-01-04\n\n[[task]]\nid = \"api\"\nname = \"API\"\nduration = 5 # agreed\n\n[[task]]\nid = \"live\"\nname = \"Live\"\nmilestone = true\ndepends = [\"api\"]\n\n[[change]]\nid = \"C1\"\ntitle = \"More API\"\nstatus = \"proposed\"\n\n[[change.edit]]\ntask = \"api\"\nduration = 8\n\n[[change.add]]\nid = \"docs\"\nname = \"Docs\"\nduration = 2\ndepends = [{ task = \"api\", type = \"ss\", lag = 1 }]\n";

    fn file() -> PlanFile {
        PlanFile::from_text(std::path::Path::new("plan.toml"), PLAN.to_owned()).expect("loads")
    }

    fn ana() -> Decision {
        Decision {
            by: "Ana".to_owned(),
            date: date("2027-01-06"),
            reason: Some("Worth it".to_owned()),
        }
    }

    #[test]
    fn approving_applies_the_edits_and_records_the_decision_in_one_change() {
        let mut file = file();
        let edits = approve_edits(&file.plan, "C1", &ana(), Some("after-C1")).expect("edits");
        let inverses = file.apply_all(edits).expect("accepted");
        let text = file.text();
        assert!(text.contains("duration = 8 # agreed"), "{text}");
        assert!(text.contains("status = \"approved\"\ndecided_by = \"Ana\"\ndecided = 2027-01-06\nreason = \"Worth it\""), "{text}");
        assert!(text.contains("id = \"docs\"\nname = \"Docs\"\nduration = 2\ndepends = [{ task = \"api\", type = \"ss\", lag = 1 }]"), "{text}");
        let api = file.plan.task("api").expect("api");
        assert_eq!(api.duration.value, 8);
        assert_eq!(api.baselines[0].0, "after-C1");
        assert_eq!(api.baselines[0].1.finish, date("2027-01-13"));
        assert!(
            file.plan
                .task("docs")
                .is_some_and(|docs| !docs.baselines.is_empty())
        );
        assert_eq!(file.plan.changes[0].status, ChangeStatus::Approved);
        assert!(file.plan.changes[0].edits[0].is_in(api));
        // One undo step takes it all back.
        file.replay(inverses).expect("undone");
        assert_eq!(file.text(), PLAN);
    }

    #[test]
    fn rejecting_leaves_the_tasks_alone() {
        let mut file = file();
        let edits = reject_edits(&file.plan, "C1", &ana()).expect("edits");
        file.apply_all(edits).expect("accepted");
        assert_eq!(file.plan.changes[0].status, ChangeStatus::Rejected);
        assert_eq!(file.plan.task("api").map(|t| t.duration.value), Some(5));
        assert!(file.plan.task("docs").is_none());
    }

    #[test]
    fn transitions_out_of_order_are_refused_with_the_reason() {
        let mut file = file();
        let early = done_edits(&file.plan, "C1").expect_err("not approved");
        assert!(
            early.to_string().contains("is proposed, not approved"),
            "{early}"
        );
        let edits = reject_edits(&file.plan, "C1", &ana()).expect("edits");
        file.apply_all(edits).expect("accepted");
        let error = approve_edits(&file.plan, "C1", &ana(), None).expect_err("rejected");
        assert_eq!(
            error.to_string(),
            "change request `C1` was rejected by Ana on 2027-01-06, so it cannot be approved; to ask again, propose it as a new change request"
        );
        let again = reject_edits(&file.plan, "C1", &ana()).expect_err("twice");
        assert!(again.to_string().contains("already rejected"), "{again}");
        assert!(done_edits(&file.plan, "C1").is_err());
    }

    #[test]
    fn a_taken_baseline_name_is_refused() {
        let mut file = file();
        file.apply(Edit::SetBaseline {
            task: "api".to_owned(),
            name: Some("signed".to_owned()),
            baseline: crate::model::Baseline {
                start: date("2027-01-04"),
                finish: date("2027-01-08"),
            },
        })
        .expect("recorded");
        let error = approve_edits(&file.plan, "C1", &ana(), Some("signed")).expect_err("taken");
        assert!(
            error
                .to_string()
                .contains("already has a baseline named `signed`")
        );
        assert!(approve_edits(&file.plan, "C1", &ana(), Some("a b")).is_err());
    }
}
