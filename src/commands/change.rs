//! `gantry change list|show|add|approve|reject|done`: change requests from
//! the command line, with their impact computed (`governance::impact`).
//!
//! Decisions go through `PlanFile::apply_all` as one change, so a refused
//! step (a transition the status does not allow, an approval whose edits
//! make the plan invalid) prints why and leaves the file as it was.

use std::io::{self, Write};

use chrono::NaiveDate;
use serde::Serialize;
use toml_edit::{ArrayOfTables, Item, Table, Value};

use crate::cli::{
    ChangeAddArgs, ChangeApproveArgs, ChangeCommand, ChangeDecideArgs, ChangeIdArgs,
    ChangeListArgs, ChangeShowArgs,
};
use crate::diagnostic;
use crate::governance::{self, Decision, Impact};
use crate::metrics::format_money;
use crate::model::{ChangeRequest, ChangeStatus, Plan, is_valid_id};
use crate::sanitize::{for_terminal, path, quote};
use crate::store::{Edit, EntityKind, TaskField, toml_date};

use super::gate::refused;
use super::risk::{apply_edits, save};
use super::status::{finish_output, status_date, today};
use super::{EXIT_INVALID, EXIT_USAGE, open_plan, read_plan};

pub fn run(command: ChangeCommand) -> anyhow::Result<u8> {
    match command {
        ChangeCommand::List(args) => list(&args),
        ChangeCommand::Show(args) => show(&args),
        ChangeCommand::Add(args) => add(&args),
        ChangeCommand::Approve(args) => approve(&args),
        ChangeCommand::Reject(args) => reject(&args),
        ChangeCommand::Done(args) => done(&args),
    }
}

#[derive(Serialize)]
struct JsonChange<'a> {
    id: &'a str,
    title: &'a str,
    status: &'static str,
    requested_by: Option<&'a str>,
    requested: Option<String>,
    decided_by: Option<&'a str>,
    decided: Option<String>,
    reason: Option<&'a str>,
    note: Option<&'a str>,
    baseline: Option<&'a str>,
    edits: Vec<&'a str>,
    adds: Vec<&'a str>,
    declared_cost: Option<f64>,
    declared_days: Option<i64>,
    impact: Option<JsonImpact<'a>>,
}

#[derive(Serialize)]
struct JsonImpact<'a> {
    computed: bool,
    finish_before: String,
    finish_after: String,
    days: i64,
    cost: f64,
    bac_before: f64,
    bac_after: f64,
    eac_before: Option<f64>,
    eac_after: Option<f64>,
    critical_path_changes: bool,
    critical_before: &'a [String],
    critical_after: &'a [String],
    moves: Vec<JsonMove<'a>>,
    declared_cost_disagrees: bool,
    declared_days_disagree: bool,
}

#[derive(Serialize)]
struct JsonMove<'a> {
    id: &'a str,
    new: bool,
    start_before: Option<String>,
    finish_before: Option<String>,
    start_after: String,
    finish_after: String,
    start_days: i64,
    finish_days: i64,
}

fn json_change<'a>(change: &'a ChangeRequest, impact: Option<&'a Impact>) -> JsonChange<'a> {
    JsonChange {
        id: &change.id.value,
        title: &change.title,
        status: change.status.as_str(),
        requested_by: change.requested_by.as_deref(),
        requested: change.requested.map(|d| d.to_string()),
        decided_by: change.decided_by.as_deref(),
        decided: change.decided.map(|d| d.to_string()),
        reason: change.reason.as_deref(),
        note: change.note.as_deref(),
        baseline: change.baseline.as_ref().map(|b| b.value.as_str()),
        edits: change.edits.iter().map(|e| e.task.value.as_str()).collect(),
        adds: change.adds.iter().map(|t| t.id.value.as_str()).collect(),
        declared_cost: change.cost,
        declared_days: change.days,
        impact: impact.map(|impact| JsonImpact {
            computed: impact.computed,
            finish_before: impact.finish_before.to_string(),
            finish_after: impact.finish_after.to_string(),
            days: impact.days,
            cost: impact.cost,
            bac_before: impact.bac_before,
            bac_after: impact.bac_after,
            eac_before: impact.eac_before,
            eac_after: impact.eac_after,
            critical_path_changes: impact.critical_path_changes(),
            critical_before: &impact.critical_before,
            critical_after: &impact.critical_after,
            moves: impact
                .moves
                .iter()
                .map(|m| JsonMove {
                    id: &m.id,
                    new: m.is_new(),
                    start_before: m.start_before.map(|d| d.to_string()),
                    finish_before: m.finish_before.map(|d| d.to_string()),
                    start_after: m.start_after.to_string(),
                    finish_after: m.finish_after.to_string(),
                    start_days: m.start_days,
                    finish_days: m.finish_days,
                })
                .collect(),
            declared_cost_disagrees: impact.cost_disagrees(),
            declared_days_disagree: impact.days_disagree(),
        }),
    }
}

/// "+3 working days", "-1 working day", "no change".
fn days_text(days: i64) -> String {
    match days {
        0 => "no change".to_owned(),
        1 | -1 => format!("{days:+} working day"),
        _ => format!("{days:+} working days"),
    }
}

fn signed_money(value: f64) -> String {
    if value > 0.0 {
        format!("+{}", format_money(value))
    } else {
        format_money(value)
    }
}

fn list(args: &ChangeListArgs) -> anyhow::Result<u8> {
    let loaded = match read_plan(&args.file, false)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    if loaded.has_errors() {
        errln!(
            "gantry: {0} has errors; see `gantry check {0}`",
            path(&args.file)
        );
    }
    let plan = &loaded.plan;
    let date = status_date(plan, None);
    // Proposed changes with task edits have their figures computed.
    let impacts: Vec<Option<Impact>> = plan
        .changes
        .iter()
        .map(|change| {
            (change.status == ChangeStatus::Proposed && change.changes_tasks())
                .then(|| governance::impact(plan, &change.id.value, date).ok())
                .flatten()
        })
        .collect();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = if args.json {
        let changes: Vec<JsonChange<'_>> = plan
            .changes
            .iter()
            .zip(&impacts)
            .map(|(change, impact)| json_change(change, impact.as_ref()))
            .collect();
        serde_json::to_string_pretty(&changes)
            .map_err(io::Error::from)
            .and_then(|text| writeln!(out, "{}", crate::sanitize::json(text)))
    } else {
        write_list(&mut out, plan, &impacts)
    };
    finish_output(written.and_then(|()| out.flush()))
}

fn write_list(out: &mut impl Write, plan: &Plan, impacts: &[Option<Impact>]) -> io::Result<()> {
    let count = |status: ChangeStatus| {
        plan.changes
            .iter()
            .filter(|change| change.status == status)
            .count()
    };
    writeln!(
        out,
        "{} change request{}: {} proposed, {} approved, {} rejected, {} done",
        plan.changes.len(),
        if plan.changes.len() == 1 { "" } else { "s" },
        count(ChangeStatus::Proposed),
        count(ChangeStatus::Approved),
        count(ChangeStatus::Rejected),
        count(ChangeStatus::Done)
    )?;
    if plan.changes.is_empty() {
        return Ok(());
    }
    let id_width = plan
        .changes
        .iter()
        .map(|change| for_terminal(&change.id.value).chars().count())
        .chain([2])
        .max()
        .unwrap_or(2);
    writeln!(
        out,
        "{:<id_width$}  {:<8}  {:>6}  {:>14}  TITLE",
        "ID", "STATUS", "DAYS", "COST"
    )?;
    for (change, impact) in plan.changes.iter().zip(impacts) {
        // Computed figures are marked `*`; declared ones are as written.
        let (days, cost) = match impact {
            Some(impact) => (
                format!("{:+}*", impact.days),
                format!("{}*", signed_money(impact.cost)),
            ),
            None => (
                change.days.map(|d| format!("{d:+}")).unwrap_or_default(),
                change.cost.map(signed_money).unwrap_or_default(),
            ),
        };
        let line = format!(
            "{:<id_width$}  {:<8}  {days:>6}  {cost:>14}  {}",
            for_terminal(&change.id.value),
            change.status.as_str(),
            for_terminal(&change.title)
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    if impacts.iter().any(Option::is_some) {
        writeln!(
            out,
            "* computed from the change's task edits (gantry change show)"
        )?;
    }
    Ok(())
}

fn show(args: &ChangeShowArgs) -> anyhow::Result<u8> {
    let loaded = match read_plan(&args.file, true)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let plan = &loaded.plan;
    let index = match governance::change_index(plan, &args.id) {
        Ok(index) => index,
        Err(error) => return Ok(refused_quietly(&args.file, &error)),
    };
    let change = &plan.changes[index];
    let date = status_date(plan, args.date);
    let impact = match governance::impact(plan, &args.id, date) {
        Ok(impact) => impact,
        Err(governance::GovernanceError::Invalid(diagnostics)) => {
            for diagnostic in &diagnostics {
                errln!("{}", diagnostic.display(&args.file));
            }
            return Ok(EXIT_INVALID);
        }
        Err(error) => return Ok(refused_quietly(&args.file, &error)),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = if args.json {
        serde_json::to_string_pretty(&json_change(change, Some(&impact)))
            .map_err(io::Error::from)
            .and_then(|text| writeln!(out, "{}", crate::sanitize::json(text)))
    } else {
        write_show(&mut out, plan, change, &impact, date)
    };
    finish_output(written.and_then(|()| out.flush()))
}

fn refused_quietly(file: &std::path::Path, error: &governance::GovernanceError) -> u8 {
    errln!(
        "gantry: {}: {}",
        path(file),
        crate::sanitize::message(error)
    );
    EXIT_INVALID
}

fn write_show(
    out: &mut impl Write,
    plan: &Plan,
    change: &ChangeRequest,
    impact: &Impact,
    date: NaiveDate,
) -> io::Result<()> {
    let currency = plan
        .project
        .currency
        .as_deref()
        .map(|c| format!(" {}", for_terminal(c)))
        .unwrap_or_default();
    writeln!(
        out,
        "change request {}: {}",
        for_terminal(&change.id.value),
        for_terminal(&change.title)
    )?;
    let mut status = format!("status: {}", change.status.as_str());
    if let Some(by) = &change.decided_by {
        status.push_str(&format!(" by {}", for_terminal(by)));
    }
    if let Some(decided) = change.decided {
        status.push_str(&format!(" on {decided}"));
    }
    writeln!(out, "{status}")?;
    if change.requested_by.is_some() || change.requested.is_some() {
        let mut line = "requested".to_owned();
        if let Some(by) = &change.requested_by {
            line.push_str(&format!(" by {}", for_terminal(by)));
        }
        if let Some(on) = change.requested {
            line.push_str(&format!(" on {on}"));
        }
        writeln!(out, "{line}")?;
    }
    if let Some(reason) = &change.reason {
        writeln!(out, "reason: {}", for_terminal(reason))?;
    }
    if let Some(note) = &change.note {
        writeln!(out, "note: {}", for_terminal(note))?;
    }
    for patch in &change.edits {
        let keys: Vec<String> = governance::workflow::patch_values(patch)
            .into_iter()
            .map(|(field, value)| {
                let mut value = value;
                value.decor_mut().clear();
                format!("{} = {}", field.key(), value)
            })
            .collect();
        writeln!(
            out,
            "edits task {}: {}",
            for_terminal(&patch.task.value),
            for_terminal(&keys.join(", "))
        )?;
    }
    for task in &change.adds {
        writeln!(
            out,
            "adds task {}: {}",
            for_terminal(&task.id.value),
            for_terminal(&task.name)
        )?;
    }
    writeln!(out)?;
    if !impact.computed {
        writeln!(
            out,
            "impact (declared; the change carries no task edits): {}, cost {}{currency}",
            days_text(impact.days),
            signed_money(impact.cost)
        )?;
        return Ok(());
    }
    let applied = matches!(change.status, ChangeStatus::Approved | ChangeStatus::Done)
        && change.edits.iter().all(|patch| {
            plan.task(&patch.task.value)
                .is_some_and(|task| patch.is_in(task))
        })
        && change
            .adds
            .iter()
            .all(|task| plan.task(&task.id.value).is_some());
    if applied {
        writeln!(
            out,
            "impact: the change's task edits are in the plan already, so nothing is left to move"
        )?;
        return Ok(());
    }
    writeln!(out, "impact (computed at {date}):")?;
    writeln!(
        out,
        "  finish: {} -> {} ({})",
        impact.finish_before,
        impact.finish_after,
        days_text(impact.days)
    )?;
    writeln!(
        out,
        "  cost: {}{currency}; BAC {} -> {}",
        signed_money(impact.cost),
        format_money(impact.bac_before),
        format_money(impact.bac_after)
    )?;
    let eac = |value: Option<f64>| value.map(format_money).unwrap_or_else(|| "n/a".to_owned());
    writeln!(
        out,
        "  EAC: {} -> {}",
        eac(impact.eac_before),
        eac(impact.eac_after)
    )?;
    if impact.critical_path_changes() {
        writeln!(
            out,
            "  critical path changes: {} -> {}",
            for_terminal(&impact.critical_before.join(", ")),
            for_terminal(&impact.critical_after.join(", "))
        )?;
    } else {
        writeln!(out, "  critical path unchanged")?;
    }
    if impact.moves.is_empty() {
        writeln!(out, "  no task moves")?;
    } else {
        writeln!(out, "  tasks that move:")?;
        for task in &impact.moves {
            let line = match (task.start_before, task.finish_before) {
                (Some(start), Some(finish)) => format!(
                    "    {}: {start}..{finish} -> {}..{} (finish {})",
                    for_terminal(&task.id),
                    task.start_after,
                    task.finish_after,
                    days_text(task.finish_days)
                ),
                _ => format!(
                    "    {} (new): {}..{}",
                    for_terminal(&task.id),
                    task.start_after,
                    task.finish_after
                ),
            };
            writeln!(out, "{line}")?;
        }
    }
    if impact.cost_disagrees() || impact.days_disagree() {
        writeln!(
            out,
            "  the declared figures (cost {}, days {}) differ from the computed ones",
            change
                .cost
                .map(signed_money)
                .unwrap_or_else(|| "-".to_owned()),
            change
                .days
                .map(|d| format!("{d:+}"))
                .unwrap_or_else(|| "-".to_owned())
        )?;
    }
    Ok(())
}

/// `TASK:FIELD=VALUE` as the task and its key and value.
fn parse_edit(text: &str, plan: &Plan) -> Result<(String, TaskField, Value), String> {
    let Some((task, assignment)) = text.split_once(':') else {
        return Err(format!(
            "`{}` is not TASK:FIELD=VALUE; write e.g. --edit api:duration=8",
            quote(text)
        ));
    };
    let Some((key, value)) = assignment.split_once('=') else {
        return Err(format!(
            "`{}` is not TASK:FIELD=VALUE; write e.g. --edit api:duration=8",
            quote(text)
        ));
    };
    let key = key.trim();
    let Some(field) = TaskField::from_key(key) else {
        let names: Vec<&str> = TaskField::ALL.iter().map(|f| f.key()).collect();
        return Err(format!(
            "`{}` is not a task field{}; fields: {}",
            quote(key),
            diagnostic::suggestion(key, names.iter().copied()),
            names.join(", ")
        ));
    };
    match field.parse_text_in(value, plan)? {
        Some(value) => Ok((task.trim().to_owned(), field, value)),
        None => Err(format!(
            "--edit {}: a change cannot remove a task's `{key}`; give a value",
            quote(text)
        )),
    }
}

fn add(args: &ChangeAddArgs) -> anyhow::Result<u8> {
    if !is_valid_id(&args.id) {
        errln!(
            "gantry: `{}` cannot be a change request id; use letters, digits, '-', '_' and '.', e.g. C3",
            quote(&args.id)
        );
        return Ok(EXIT_USAGE);
    }
    let mut file = match open_plan(&args.file, false)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    let mut patches: Vec<Table> = Vec::new();
    for text in &args.edits {
        let (task, field, value) = match parse_edit(text, &file.plan) {
            Ok(edit) => edit,
            Err(message) => {
                errln!("gantry: {}", for_terminal(&message));
                return Ok(EXIT_USAGE);
            }
        };
        let position = patches
            .iter()
            .position(|table| table.get("task").and_then(Item::as_str) == Some(task.as_str()));
        let position = position.unwrap_or_else(|| {
            let mut table = Table::new();
            table.insert("task", Item::Value(Value::from(task.as_str())));
            patches.push(table);
            patches.len() - 1
        });
        patches[position].insert(field.key(), Item::Value(value));
    }
    if let Some(existing) = file.plan.changes.iter().find(|c| c.id.value == args.id) {
        errln!(
            "{}:{}: error: there is already a change request with id `{}`; choose another id",
            path(&args.file),
            existing.id.pos,
            quote(&args.id)
        );
        return Ok(EXIT_INVALID);
    }
    let mut table = Table::new();
    table.insert("id", Item::Value(Value::from(args.id.as_str())));
    table.insert("title", Item::Value(Value::from(args.title.as_str())));
    if let Some(by) = &args.requested_by {
        table.insert("requested_by", Item::Value(Value::from(by.as_str())));
    }
    let requested = args
        .requested
        .unwrap_or_else(|| file.plan.record_date(today()));
    table.insert("requested", Item::Value(toml_date(requested)));
    if let Some(cost) = args.cost {
        table.insert("cost", Item::Value(Value::from(cost)));
    }
    if let Some(days) = args.days {
        table.insert("days", Item::Value(Value::from(days)));
    }
    table.insert("status", Item::Value(Value::from("proposed")));
    if let Some(note) = &args.note {
        table.insert("note", Item::Value(Value::from(note.as_str())));
    }
    if !patches.is_empty() {
        let mut array = ArrayOfTables::new();
        for patch in patches {
            array.push(patch);
        }
        table.insert("edit", Item::ArrayOfTables(array));
    }
    let edit = Edit::Add {
        kind: EntityKind::Change,
        after: None,
        table,
    };
    if let Err(code) = apply_edits(&mut file, vec![edit.clone()])? {
        return Ok(code);
    }
    let id = quote(&args.id);
    save(
        &mut file,
        vec![edit],
        &format!("added change request `{id}` (proposed)"),
        &format!("change request `{id}` was not added"),
    )
}

fn decision(plan: &Plan, by: &str, date: Option<NaiveDate>, reason: &Option<String>) -> Decision {
    Decision {
        by: by.to_owned(),
        date: date.unwrap_or_else(|| plan.record_date(today())),
        reason: reason.clone(),
    }
}

fn approve(args: &ChangeApproveArgs) -> anyhow::Result<u8> {
    let mut file = match open_plan(&args.file, true)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    let decision = decision(&file.plan, &args.by, args.date, &args.reason);
    let edits = match governance::approve_edits(
        &file.plan,
        &args.id,
        &decision,
        args.baseline.as_deref(),
    ) {
        Ok(edits) => edits,
        Err(error) => return Ok(refused(&args.file, &error)),
    };
    let changes_tasks = file
        .plan
        .changes
        .iter()
        .find(|c| c.id.value == args.id)
        .is_some_and(ChangeRequest::changes_tasks);
    if let Err(code) = apply_edits(&mut file, edits.clone())? {
        return Ok(code);
    }
    let mut what = format!("approved change request `{}`", quote(&args.id));
    if changes_tasks {
        what.push_str(" and applied its task edits");
    }
    if let Some(name) = &args.baseline {
        what.push_str(&format!(", recorded baseline `{}`", quote(name)));
    }
    save(&mut file, edits, &what, "nothing changed")
}

fn reject(args: &ChangeDecideArgs) -> anyhow::Result<u8> {
    let mut file = match open_plan(&args.file, false)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    let decision = decision(&file.plan, &args.by, args.date, &args.reason);
    let edits = match governance::reject_edits(&file.plan, &args.id, &decision) {
        Ok(edits) => edits,
        Err(error) => return Ok(refused(&args.file, &error)),
    };
    if let Err(code) = apply_edits(&mut file, edits.clone())? {
        return Ok(code);
    }
    save(
        &mut file,
        edits,
        &format!("rejected change request `{}`", quote(&args.id)),
        "nothing changed",
    )
}

fn done(args: &ChangeIdArgs) -> anyhow::Result<u8> {
    let mut file = match open_plan(&args.file, false)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    let edits = match governance::done_edits(&file.plan, &args.id) {
        Ok(edits) => edits,
        Err(error) => return Ok(refused(&args.file, &error)),
    };
    if let Err(code) = apply_edits(&mut file, edits.clone())? {
        return Ok(code);
    }
    save(
        &mut file,
        edits,
        &format!("marked change request `{}` done", quote(&args.id)),
        "nothing changed",
    )
}
