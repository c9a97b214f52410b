//! Tables as CSV (RFC 4180, written with the `csv` crate): the tasks with
//! their computed dates, the risk register, or the time log.
//!
//! A spreadsheet runs a cell that begins with `=`, `+`, `-`, `@`, a tab or
//! a carriage return as a formula, so every text cell that begins with one
//! of those, or with `'`, gets a `'` in front: the spreadsheet shows the
//! text as written, and `gantry import` takes the `'` off again. Numbers
//! and dates that gantry computes are written as they are. Control
//! characters other than tab and line feed become U+FFFD.
//!
//! The task table's columns are [`TASK_COLUMNS`]; `docs/export.md` gives
//! their meaning.

use std::borrow::Cow;

use crate::cli::CsvTable;
use crate::model::{DependencyKind, Plan, Task};
use crate::schedule::Schedule;

use super::inert_text;

/// The columns of the task table, in order.
pub const TASK_COLUMNS: &[&str] = &[
    "id",
    "name",
    "phase",
    "phase_name",
    "owner",
    "owner_name",
    "start",
    "finish",
    "duration",
    "slack",
    "critical",
    "status",
    "progress",
    "milestone",
    "depends",
    "not_before",
    "estimate",
    "baseline_start",
    "baseline_finish",
    "blocker",
    "blocked_since",
    "notes",
];

const RISK_COLUMNS: &[&str] = &[
    "id",
    "title",
    "owner",
    "owner_name",
    "likelihood",
    "impact",
    "score",
    "tier",
    "status",
    "trigger",
    "reviewed",
    "mitigation",
    "tasks",
];

const LOG_COLUMNS: &[&str] = &[
    "date",
    "task",
    "task_name",
    "person",
    "person_name",
    "hours",
    "note",
];

/// A text cell made inert for spreadsheets (see the module docs).
pub fn cell(text: &str) -> Cow<'_, str> {
    let text = inert_text(text);
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => Cow::Owned(format!("'{text}")),
        _ => text,
    }
}

/// The inverse of [`cell`] for text cells: one leading `'` taken off.
pub fn uncell(text: &str) -> &str {
    text.strip_prefix('\'').unwrap_or(text)
}

/// A task's dependencies as `task set depends=` takes them:
/// `design,vendor:fs+2,qa-env:ss,docs:ff-1`.
pub fn depends_text(task: &Task) -> String {
    task.depends
        .iter()
        .map(|dependency| {
            let mut part = dependency.task.id.value.clone();
            if dependency.kind != DependencyKind::FinishToStart {
                part.push(':');
                part.push_str(dependency.kind.as_str());
            }
            if dependency.lag != 0 {
                if dependency.kind == DependencyKind::FinishToStart {
                    part.push_str(":fs");
                }
                if dependency.lag > 0 {
                    part.push('+');
                }
                part.push_str(&dependency.lag.to_string());
            }
            part
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        value.to_string()
    }
}

fn date(value: Option<chrono::NaiveDate>) -> String {
    value.map(|date| date.to_string()).unwrap_or_default()
}

/// The table as CSV text.
pub fn to_csv(plan: &Plan, schedule: &Schedule, table: CsvTable) -> String {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(256 + plan.tasks.len() * 160));
    let rows: Vec<Vec<String>> = match table {
        CsvTable::Tasks => task_rows(plan, schedule),
        CsvTable::Risks => risk_rows(plan),
        CsvTable::Log => log_rows(plan),
    };
    let header = match table {
        CsvTable::Tasks => TASK_COLUMNS,
        CsvTable::Risks => RISK_COLUMNS,
        CsvTable::Log => LOG_COLUMNS,
    };
    // Writing to memory cannot fail; a failed row would only be missing.
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn person_name(plan: &Plan, index: Option<usize>) -> String {
    index
        .and_then(|index| plan.people.get(index))
        .map(|person| cell(&person.name).into_owned())
        .unwrap_or_default()
}

fn task_rows(plan: &Plan, schedule: &Schedule) -> Vec<Vec<String>> {
    plan.tasks
        .iter()
        .zip(&schedule.tasks)
        .map(|(task, dates)| {
            let phase = task.phase.as_ref();
            let owner = task.owner.as_ref();
            vec![
                cell(&task.id.value).into_owned(),
                cell(&task.name).into_owned(),
                phase
                    .map(|p| cell(&p.id.value).into_owned())
                    .unwrap_or_default(),
                phase
                    .and_then(|p| p.index)
                    .and_then(|index| plan.phases.get(index))
                    .map(|p| cell(&p.name).into_owned())
                    .unwrap_or_default(),
                owner
                    .map(|o| cell(&o.id.value).into_owned())
                    .unwrap_or_default(),
                person_name(plan, owner.and_then(|o| o.index)),
                dates.start.to_string(),
                dates.finish.to_string(),
                task.working_days().to_string(),
                dates.total_slack.to_string(),
                dates.critical.to_string(),
                task.status.as_str().to_owned(),
                task.progress.to_string(),
                task.milestone.to_string(),
                cell(&depends_text(task)).into_owned(),
                date(task.start),
                task.estimate.map(number).unwrap_or_default(),
                date(task.baseline.map(|b| b.start)),
                date(task.baseline.map(|b| b.finish)),
                task.blocker
                    .as_deref()
                    .map(|b| cell(b).into_owned())
                    .unwrap_or_default(),
                date(task.blocked_since),
                task.notes
                    .as_deref()
                    .map(|n| cell(n).into_owned())
                    .unwrap_or_default(),
            ]
        })
        .collect()
}

fn risk_rows(plan: &Plan) -> Vec<Vec<String>> {
    plan.risks
        .iter()
        .map(|risk| {
            let owner = risk.owner.as_ref();
            vec![
                cell(&risk.id.value).into_owned(),
                cell(&risk.title).into_owned(),
                owner
                    .map(|o| cell(&o.id.value).into_owned())
                    .unwrap_or_default(),
                person_name(plan, owner.and_then(|o| o.index)),
                risk.likelihood.to_string(),
                risk.impact.to_string(),
                risk.score().to_string(),
                risk.tier.as_str().to_owned(),
                risk.status.as_str().to_owned(),
                date(risk.trigger),
                date(risk.reviewed),
                risk.mitigation
                    .as_deref()
                    .map(|m| cell(m).into_owned())
                    .unwrap_or_default(),
                cell(
                    &risk
                        .tasks
                        .iter()
                        .map(|task| task.id.value.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                )
                .into_owned(),
            ]
        })
        .collect()
}

fn log_rows(plan: &Plan) -> Vec<Vec<String>> {
    plan.log
        .iter()
        .map(|entry| {
            let task = entry.task.index.and_then(|index| plan.tasks.get(index));
            // The person defaults to the task's owner.
            let person = entry
                .person
                .as_ref()
                .or_else(|| task.and_then(|task| task.owner.as_ref()));
            vec![
                entry.date.to_string(),
                cell(&entry.task.id.value).into_owned(),
                task.map(|task| cell(&task.name).into_owned())
                    .unwrap_or_default(),
                person
                    .map(|p| cell(&p.id.value).into_owned())
                    .unwrap_or_default(),
                person_name(plan, person.and_then(|p| p.index)),
                number(entry.hours),
                entry
                    .note
                    .as_deref()
                    .map(|n| cell(n).into_owned())
                    .unwrap_or_default(),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_made_inert_and_come_back() {
        for text in [
            "=cmd|' /C calc'!A0",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "'quoted",
            "plain",
        ] {
            let written = cell(text);
            assert!(
                !written.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{written}"
            );
            assert_eq!(uncell(&written), text);
        }
        // A carriage return is a control character: it never reaches the cell.
        assert_eq!(cell("\rx"), "\u{FFFD}x");
    }
}
