//! Quality gates guard their milestone: the milestone is not marked done
//! while its gate is open (checklist items not done, or not signed off),
//! and a gate is not signed while items are open, unless an override is
//! recorded on the gate (`override = { by, date, reason }`).
//!
//! The edit judge (`PlanFile::apply_all`) takes a [`snapshot`] before the
//! edits and asks for [`completion_refusals`] after them, so `gantry task
//! set`, an approved change and the app all meet the same rule.

use chrono::NaiveDate;
use toml_edit::{InlineTable, Value};

use super::{GovernanceError, gate_index};
use crate::diagnostic::{Diagnostic, Subject};
use crate::model::{Gate, Plan, TaskStatus};
use crate::sanitize::quote;
use crate::store::{Edit, EntityKind, PlanFile, toml_date};

/// What the gate rule needs to know of the plan before an edit: the
/// gated milestones not yet done, by gate and task id, and the gates not
/// yet signed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GateSnapshot {
    /// Gate id, task id, and the task's index then (where it is looked for
    /// first: an edit seldom moves it).
    pub open_milestones: Vec<(String, String, usize)>,
    pub unsigned: Vec<String>,
}

/// How the refusal of a gated milestone's completion ends: what would let
/// it through. A caller can tell such a refusal by it and add its own way
/// of recording an override.
pub const REFUSED_COMPLETION_ADVICE: &str =
    "finish the checklist and sign the gate, or record an override on the gate";

/// The plan's gates as the rule sees them before an edit.
pub fn snapshot(plan: &Plan) -> GateSnapshot {
    let mut snapshot = GateSnapshot::default();
    for gate in &plan.gates {
        if gate.signed.is_none() {
            snapshot.unsigned.push(gate.id.value.clone());
        }
        let index = gate
            .milestone
            .as_ref()
            .and_then(|milestone| milestone.index);
        if let Some((index, task)) = index.and_then(|index| Some((index, plan.tasks.get(index)?)))
            && task.status != TaskStatus::Done
        {
            snapshot
                .open_milestones
                .push((gate.id.value.clone(), task.id.value.clone(), index));
        }
    }
    snapshot
}

/// Why the edits that took the plan from `before` to `plan` break the gate
/// rule: a gated milestone now done while its gate is open, or a gate now
/// signed while items are open, without an override. Empty when they do not.
pub fn completion_refusals(before: &GateSnapshot, plan: &Plan) -> Vec<Diagnostic> {
    let mut refusals = Vec::new();
    if plan.gates.is_empty() {
        return refusals;
    }
    for (gate_id, task_id, index) in &before.open_milestones {
        let task = plan
            .tasks
            .get(*index)
            .filter(|task| &task.id.value == task_id)
            .or_else(|| plan.task(task_id));
        let (Some(gate), Some(task)) = (
            plan.gates.iter().find(|gate| &gate.id.value == gate_id),
            task,
        ) else {
            continue;
        };
        if task.status != TaskStatus::Done || gate.is_passed() {
            continue;
        }
        let message = format!(
            "task `{}` cannot be done while quality gate `{}` is open: {}; {REFUSED_COMPLETION_ADVICE}",
            quote(task_id),
            quote(gate_id),
            open_reasons(gate),
        );
        refusals.push(
            Diagnostic::error(task.pos, message).about(Subject::entity("task", task_id, "status")),
        );
    }
    for gate_id in &before.unsigned {
        let Some(gate) = plan.gates.iter().find(|gate| &gate.id.value == gate_id) else {
            continue;
        };
        if gate.signed.is_none() || gate.checklist_done() || gate.overridden.is_some() {
            continue;
        }
        let message = format!(
            "quality gate `{}` cannot be signed while {}; tick them (gantry gate check) or sign with an override (gantry gate sign FILE {} --by NAME --override \"why\")",
            quote(gate_id),
            open_items(gate),
            quote(gate_id),
        );
        refusals.push(
            Diagnostic::error(gate.pos, message).about(Subject::entity("gate", gate_id, "signed")),
        );
    }
    refusals
}

/// "2 of 3 checklist items are not done (\"Load test\", \"Runbook\") and it
/// is not signed".
pub fn open_reasons(gate: &Gate) -> String {
    let mut reasons = Vec::new();
    if !gate.checklist_done() {
        reasons.push(open_items(gate));
    }
    if gate.signed.is_none() {
        reasons.push("it is not signed".to_owned());
    }
    reasons.join(" and ")
}

fn open_items(gate: &Gate) -> String {
    let open: Vec<String> = gate
        .checklist
        .iter()
        .filter(|item| !item.done)
        .map(|item| format!("\"{}\"", quote(&item.item)))
        .collect();
    format!(
        "{} of {} checklist item{} {} not done ({})",
        open.len(),
        gate.checklist.len(),
        if gate.checklist.len() == 1 { "" } else { "s" },
        if open.len() == 1 { "is" } else { "are" },
        open.join(", ")
    )
}

/// The gates guarding the task at `task`, open or not.
pub fn guards_of(plan: &Plan, task: usize) -> Vec<usize> {
    plan.gates
        .iter()
        .enumerate()
        .filter(|(_, gate)| {
            gate.milestone
                .as_ref()
                .is_some_and(|milestone| milestone.index == Some(task))
        })
        .map(|(index, _)| index)
        .collect()
}

/// The gates that keep the task at `task` from being done: guarding it
/// and not passed.
pub fn open_guards(plan: &Plan, task: usize) -> Vec<usize> {
    guards_of(plan, task)
        .into_iter()
        .filter(|&gate| !plan.gates[gate].is_passed())
        .collect()
}

/// The checklist item of `gate` that `item` names: its number from 1, or
/// its text (whole, ignoring case, else a unique part of it).
pub fn find_item(gate: &Gate, item: &str) -> Result<usize, GovernanceError> {
    let wanted = item.trim();
    let count = gate.checklist.len();
    let listing = || {
        gate.checklist
            .iter()
            .enumerate()
            .map(|(index, item)| format!("{} \"{}\"", index + 1, quote(&item.item)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Ok(number) = wanted.parse::<usize>() {
        return match number {
            1.. if number <= count => Ok(number - 1),
            _ if count == 0 => Err(GovernanceError::Refused(format!(
                "quality gate `{}` has no checklist items",
                quote(&gate.id.value)
            ))),
            _ => Err(GovernanceError::Refused(format!(
                "quality gate `{}` has {count} checklist item{}, numbered from 1: {}",
                quote(&gate.id.value),
                if count == 1 { "" } else { "s" },
                listing()
            ))),
        };
    }
    let lower = wanted.to_lowercase();
    if let Some(index) = gate
        .checklist
        .iter()
        .position(|entry| entry.item.trim().to_lowercase() == lower)
    {
        return Ok(index);
    }
    let matching: Vec<usize> = gate
        .checklist
        .iter()
        .enumerate()
        .filter(|(_, entry)| !lower.is_empty() && entry.item.to_lowercase().contains(&lower))
        .map(|(index, _)| index)
        .collect();
    match matching.as_slice() {
        [index] => Ok(*index),
        [] => Err(GovernanceError::Refused(format!(
            "quality gate `{}` has no checklist item \"{}\"; its items: {}",
            quote(&gate.id.value),
            quote(wanted),
            listing()
        ))),
        _ => Err(GovernanceError::Refused(format!(
            "\"{}\" matches {} checklist items of quality gate `{}`; give the number: {}",
            quote(wanted),
            matching.len(),
            quote(&gate.id.value),
            listing()
        ))),
    }
}

/// The edit that ticks (`done`) or unticks checklist item `item` of gate
/// `gate_id`, changing only that item's `done` in the file's array. Empty
/// when the item is already so.
pub fn check_item_edits(
    file: &PlanFile,
    gate_id: &str,
    item: &str,
    done: bool,
) -> Result<Vec<Edit>, GovernanceError> {
    let plan = &file.plan;
    let gate = &plan.gates[gate_index(plan, gate_id)?];
    let index = find_item(gate, item)?;
    if gate.checklist[index].done == done {
        return Ok(Vec::new());
    }
    let unreadable = || {
        GovernanceError::Refused(format!(
            "the checklist of quality gate `{}` is not an array of {{ item = \"...\", done = false }} tables; fix it in the file",
            quote(gate_id)
        ))
    };
    let text = file
        .raw_value(EntityKind::Gate, gate_id, "checklist")
        .ok_or_else(unreadable)?;
    let mut value: Value = text.parse().map_err(|_| unreadable())?;
    let entry = value
        .as_array_mut()
        .and_then(|array| array.get_mut(index))
        .and_then(Value::as_inline_table_mut)
        .ok_or_else(unreadable)?;
    match entry.get_mut("done") {
        Some(slot) => {
            let decor = slot.decor().clone();
            *slot = Value::from(done);
            *slot.decor_mut() = decor;
        }
        None => {
            entry.insert("done", Value::from(done));
        }
    }
    Ok(vec![Edit::Set {
        kind: EntityKind::Gate,
        id: gate.id.value.clone(),
        key: "checklist".to_owned(),
        value: Some(value),
    }])
}

/// The edits that sign gate `gate_id` off on `date` by `by`. Refused when
/// it is signed already, or when items are open and neither an override
/// is recorded nor `override_reason` given (which records one).
pub fn sign_edits(
    plan: &Plan,
    gate_id: &str,
    by: &str,
    date: NaiveDate,
    override_reason: Option<&str>,
) -> Result<Vec<Edit>, GovernanceError> {
    let gate = &plan.gates[gate_index(plan, gate_id)?];
    if let Some(signed) = gate.signed {
        let who = gate
            .signed_by
            .as_deref()
            .map(|by| format!(" by {}", quote(by)))
            .unwrap_or_default();
        return Err(GovernanceError::Refused(format!(
            "quality gate `{}` was signed on {signed}{who} already",
            quote(gate_id)
        )));
    }
    if by.trim().is_empty() {
        return Err(GovernanceError::Refused(format!(
            "quality gate `{}` needs who signs it off; give a name with --by NAME, e.g. --by Ana",
            quote(gate_id)
        )));
    }
    let mut edits = Vec::new();
    if !gate.checklist_done() && gate.overridden.is_none() {
        match override_reason {
            Some(reason) => edits.extend(override_edits(plan, gate_id, by, date, reason)?),
            None => {
                return Err(GovernanceError::Refused(format!(
                    "quality gate `{}` cannot be signed while {}; tick them (gantry gate check) or sign with an override (--override \"why\")",
                    quote(gate_id),
                    open_items(gate)
                )));
            }
        }
    }
    let set = |key: &str, value: Value| Edit::Set {
        kind: EntityKind::Gate,
        id: gate.id.value.clone(),
        key: key.to_owned(),
        value: Some(value),
    };
    edits.push(set("signed", toml_date(date)));
    edits.push(set("signed_by", Value::from(by)));
    Ok(edits)
}

/// The edit that records an override on gate `gate_id`: `by` let its
/// milestone through (or signed it) on `date` with items open, for `reason`.
pub fn override_edits(
    plan: &Plan,
    gate_id: &str,
    by: &str,
    date: NaiveDate,
    reason: &str,
) -> Result<Vec<Edit>, GovernanceError> {
    let gate = &plan.gates[gate_index(plan, gate_id)?];
    if reason.trim().is_empty() || by.trim().is_empty() {
        return Err(GovernanceError::Refused(
            "an override needs who decides it and why: --override \"why\" --by NAME".to_owned(),
        ));
    }
    let mut table = InlineTable::new();
    table.insert("by", Value::from(by));
    table.insert("date", toml_date(date));
    table.insert("reason", Value::from(reason));
    Ok(vec![Edit::Set {
        kind: EntityKind::Gate,
        id: gate.id.value.clone(),
        key: "override".to_owned(),
        value: Some(Value::InlineTable(table)),
    }])
}

/// The overrides that let the task `task_id` be marked done: one for each
/// open gate guarding it. Empty when none holds it back.
pub fn completion_override_edits(
    plan: &Plan,
    task_id: &str,
    by: &str,
    date: NaiveDate,
    reason: &str,
) -> Result<Vec<Edit>, GovernanceError> {
    let Some(task) = plan.task_index(task_id) else {
        return Err(GovernanceError::Unknown {
            kind: "task",
            id: crate::sanitize::for_terminal(task_id).into_owned(),
            suggestion: crate::diagnostic::suggestion(
                task_id,
                plan.tasks.iter().map(|task| task.id.value.as_str()),
            ),
        });
    };
    let mut edits = Vec::new();
    for gate in open_guards(plan, task) {
        edits.extend(override_edits(
            plan,
            &plan.gates[gate].id.value,
            by,
            date,
            reason,
        )?);
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{EditError, TaskField};

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    const PLAN: &str = "[project]\nname = \"Shop\"\nstart = 2027-01-04\n\n[[task]]\nid = \"live\"\nname = \"Live\"\nmilestone = true\n\n[[gate]]\nid = \"G1\"\nname = \"Go-live\"\nmilestone = \"live\"\nchecklist = [\n  { item = \"Load test passed\", done = true },  # signed by QA\n  { item = \"Runbook written\", done = false },\n]\n";

    fn file() -> PlanFile {
        PlanFile::from_text(std::path::Path::new("plan.toml"), PLAN.to_owned()).expect("loads")
    }

    fn done() -> Edit {
        Edit::SetTask {
            task: "live".to_owned(),
            field: TaskField::Status,
            value: Some(Value::from("done")),
        }
    }

    #[test]
    fn a_gated_milestone_is_not_done_while_its_gate_is_open() {
        let mut file = file();
        let Err(EditError::Invalid(diagnostics)) = file.apply(done()) else {
            panic!("accepted");
        };
        assert_eq!(
            diagnostics[0].message,
            "task `live` cannot be done while quality gate `G1` is open: 1 of 2 checklist items is not done (\"Runbook written\") and it is not signed; finish the checklist and sign the gate, or record an override on the gate"
        );
        assert_eq!(file.text(), PLAN);
    }

    #[test]
    fn an_override_recorded_with_the_edit_lets_it_through() {
        let mut file = file();
        let mut edits = completion_override_edits(
            &file.plan,
            "live",
            "Ana",
            date("2027-01-05"),
            "Runbook follows",
        )
        .expect("edits");
        assert_eq!(edits.len(), 1);
        edits.push(done());
        file.apply_all(edits).expect("accepted");
        assert!(file.text().contains(
            "override = { by = \"Ana\", date = 2027-01-05, reason = \"Runbook follows\" }"
        ));
        assert!(file.plan.gates[0].is_passed());
    }

    #[test]
    fn ticking_an_item_changes_only_its_done_and_then_the_gate_can_be_signed() {
        let mut file = file();
        let refused =
            sign_edits(&file.plan, "G1", "Ana", date("2027-01-05"), None).expect_err("open");
        assert!(
            refused
                .to_string()
                .contains("1 of 2 checklist items is not done"),
            "{refused}"
        );
        let edits = check_item_edits(&file, "G1", "runbook", true).expect("edits");
        file.apply_all(edits).expect("accepted");
        assert_eq!(
            file.text(),
            PLAN.replace(
                "\"Runbook written\", done = false",
                "\"Runbook written\", done = true"
            )
        );
        assert!(
            check_item_edits(&file, "G1", "2", true)
                .expect("edits")
                .is_empty()
        );
        let edits = sign_edits(&file.plan, "G1", "Ana", date("2027-01-05"), None).expect("edits");
        file.apply_all(edits).expect("accepted");
        assert!(file.plan.gates[0].is_passed());
        file.apply(done()).expect("the gate is passed");
        let again =
            sign_edits(&file.plan, "G1", "Bo", date("2027-01-06"), None).expect_err("twice");
        assert_eq!(
            again.to_string(),
            "quality gate `G1` was signed on 2027-01-05 by Ana already"
        );
    }

    #[test]
    fn a_sign_off_written_directly_with_items_open_is_refused() {
        let mut file = file();
        let edit = Edit::Set {
            kind: EntityKind::Gate,
            id: "G1".to_owned(),
            key: "signed".to_owned(),
            value: Some(toml_date(date("2027-01-05"))),
        };
        assert!(matches!(file.apply(edit), Err(EditError::Invalid(_))));
        let signed = sign_edits(
            &file.plan,
            "G1",
            "Ana",
            date("2027-01-05"),
            Some("QA accepted"),
        )
        .expect("with an override");
        file.apply_all(signed).expect("accepted");
    }

    #[test]
    fn items_are_found_by_number_or_text() {
        let plan = file().plan;
        let gate = &plan.gates[0];
        assert_eq!(find_item(gate, "1").ok(), Some(0));
        assert_eq!(find_item(gate, "RUNBOOK WRITTEN").ok(), Some(1));
        assert_eq!(find_item(gate, "load").ok(), Some(0));
        let error = find_item(gate, "3").expect_err("no third");
        assert_eq!(
            error.to_string(),
            "quality gate `G1` has 2 checklist items, numbered from 1: 1 \"Load test passed\", 2 \"Runbook written\""
        );
        assert!(find_item(gate, "e").is_err(), "ambiguous");
        assert!(find_item(gate, "deploy").is_err());
    }
}
