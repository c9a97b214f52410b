//! After any run of edits, the model a `PlanFile` holds is the model of its
//! text read afresh, and so are its problems: edits update the model piece
//! by piece for speed, and must never drift from what `check` would read.
//! Positions are left out: after edits they are exact only once `locate`
//! has run (and that is checked by `located_positions_…` in `save.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use gantry::store::{Edit, EntityKind, PlanFile, TaskField, parse_str};
use proptest::prelude::*;

const EXAMPLES: [&str; 3] = [
    include_str!("../examples/hotel-integration.toml"),
    include_str!("../examples/ecommerce-replatform.toml"),
    include_str!("../examples/minimal.toml"),
];

/// The plans the edits start from: the examples, and one whose tasks,
/// risks and log entries carry problems of their own (unknown keys), which
/// must follow their entities through adds, removes and moves.
fn plans() -> Vec<String> {
    let mut plans: Vec<String> = EXAMPLES.iter().map(|&text| text.to_owned()).collect();
    let hotel = EXAMPLES[0]
        .replacen("\nstatus = ", "\nshade = 1\nstatus = ", 12)
        .replacen("\nhours = ", "\ncolour = 2\nhours = ", 3);
    plans.push(hotel);
    plans
}

/// `text` with every `Pos { line: N, col: M }` replaced by `Pos`.
fn without_positions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("Pos { line: ") {
        out.push_str(&rest[..at]);
        out.push_str("Pos");
        let after = &rest[at..];
        let end = after.find('}').expect("a closing brace");
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A message with the numbers after "line " taken out: a duplicate id
/// names the line of the first one, a position like any other.
fn without_lines(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("line ") {
        out.push_str(&rest[..at + "line ".len()]);
        rest = rest[at + "line ".len()..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push('N');
    }
    out.push_str(rest);
    out
}

fn assert_in_step(file: &PlanFile, after: &str) {
    let fresh = parse_str(&file.text()).expect("the edited text parses");
    assert_eq!(
        without_positions(&format!("{:?}", file.plan)),
        without_positions(&format!("{:?}", fresh.plan)),
        "the model drifted from the text after {after}"
    );
    let messages = |diagnostics: &[gantry::diagnostic::Diagnostic]| {
        let mut messages: Vec<String> = diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.severity.as_str(), without_lines(&d.message)))
            .collect();
        messages.sort();
        messages
    };
    assert_eq!(
        messages(&file.diagnostics),
        messages(&fresh.diagnostics),
        "the problems drifted from the text after {after}"
    );
}

#[derive(Debug, Clone)]
enum Step {
    Name(usize, String),
    Duration(usize, i64),
    Depends(usize, Vec<usize>),
    Status(usize, usize),
    AddTask(usize),
    RemoveTask(usize),
    MoveTask(usize, usize),
    RiskTitle(usize, String),
    RemoveRisk(usize),
    AddLog(usize),
    RemoveLog(usize),
    /// An edit of a single table without an id (`[handover]`, `[scope]`,
    /// `[review]`, `[project]`), as the Plan pane makes them: the table
    /// replaced whole. Which table, what kind of edit, a number to vary it.
    Single(usize, usize, usize),
    Undo,
}

/// The single tables the `Single` steps edit.
const SINGLE: [&str; 4] = ["handover", "scope", "review", "project"];

fn step() -> impl Strategy<Value = Step> {
    let index = any::<usize>();
    prop_oneof![
        (index, "[A-Za-z ]{1,12}").prop_map(|(t, name)| Step::Name(t, name)),
        (index, 0..30i64).prop_map(|(t, days)| Step::Duration(t, days)),
        (index, proptest::collection::vec(any::<usize>(), 0..3))
            .prop_map(|(t, on)| Step::Depends(t, on)),
        (index, 0..4usize).prop_map(|(t, s)| Step::Status(t, s)),
        index.prop_map(Step::AddTask),
        index.prop_map(Step::RemoveTask),
        (index, any::<usize>()).prop_map(|(t, to)| Step::MoveTask(t, to)),
        (index, "[A-Za-z ]{1,12}").prop_map(|(r, title)| Step::RiskTitle(r, title)),
        index.prop_map(Step::RemoveRisk),
        index.prop_map(Step::AddLog),
        index.prop_map(Step::RemoveLog),
        (0..SINGLE.len(), 0..6usize, 0..40usize).prop_map(|(t, e, n)| Step::Single(t, e, n)),
        (0..SINGLE.len(), 0..6usize, 0..40usize).prop_map(|(t, e, n)| Step::Single(t, e, n)),
        Just(Step::Undo),
    ]
}

/// One of the first few tasks, so that edits, moves and removals keep
/// meeting the same entities (and the problems they carry).
fn task_id(file: &PlanFile, index: usize) -> Option<String> {
    let tasks = &file.plan.tasks;
    (!tasks.is_empty()).then(|| tasks[index % tasks.len().min(8)].id.value.clone())
}

fn edit_for(file: &PlanFile, step: &Step, serial: usize) -> Option<Edit> {
    let set = |task: usize, field, value: toml_edit::Value| {
        task_id(file, task).map(|task| Edit::SetTask {
            task,
            field,
            value: Some(value),
        })
    };
    match step {
        Step::Name(task, name) => set(*task, TaskField::Name, name.as_str().into()),
        Step::Duration(task, days) => set(*task, TaskField::Duration, (*days).into()),
        Step::Depends(task, on) => {
            let ids: Vec<String> = on.iter().filter_map(|&t| task_id(file, t)).collect();
            set(
                *task,
                TaskField::Depends,
                ids.iter().collect::<toml_edit::Array>().into(),
            )
        }
        Step::Status(task, status) => {
            let status = ["todo", "doing", "done", "blocked"][*status];
            set(*task, TaskField::Status, status.into())
        }
        Step::AddTask(after) => {
            let mut table = toml_edit::Table::new();
            table.insert("id", toml_edit::value(format!("new-{serial}")));
            table.insert("name", toml_edit::value("A new task"));
            Some(Edit::Add {
                kind: EntityKind::Task,
                after: task_id(file, *after),
                table,
            })
        }
        Step::RemoveTask(task) => task_id(file, *task).map(|id| Edit::Remove {
            kind: EntityKind::Task,
            id,
        }),
        Step::MoveTask(task, to) => task_id(file, *task).map(|id| Edit::Move {
            kind: EntityKind::Task,
            id,
            index: to % file.plan.tasks.len().clamp(1, 8),
        }),
        Step::RiskTitle(risk, title) => {
            let risks = &file.plan.risks;
            (!risks.is_empty()).then(|| Edit::Set {
                kind: EntityKind::Risk,
                id: risks[risk % risks.len()].id.value.clone(),
                key: "title".to_owned(),
                value: Some(title.as_str().into()),
            })
        }
        Step::RemoveRisk(risk) => {
            let risks = &file.plan.risks;
            (!risks.is_empty()).then(|| Edit::Remove {
                kind: EntityKind::Risk,
                id: risks[risk % risks.len()].id.value.clone(),
            })
        }
        Step::AddLog(task) => task_id(file, *task).map(|task| {
            let mut table = toml_edit::Table::new();
            table.insert(
                "date",
                toml_edit::Item::Value(gantry::store::toml_date(
                    chrono::NaiveDate::from_ymd_opt(2027, 2, 1).expect("a date"),
                )),
            );
            table.insert("task", toml_edit::value(task));
            table.insert("hours", toml_edit::value(3));
            Edit::Add {
                kind: EntityKind::Log,
                after: None,
                table,
            }
        }),
        Step::RemoveLog(entry) => {
            let log = &file.plan.log;
            (!log.is_empty()).then(|| Edit::RemoveAt {
                kind: EntityKind::Log,
                index: entry % log.len(),
            })
        }
        Step::Single(table, edit, n) => single_edit(file, SINGLE[*table], *edit, *n),
        Step::Undo => None,
    }
}

/// A date `days` after 2027-02-01.
fn date_after(days: usize) -> toml_edit::Item {
    let date = chrono::NaiveDate::from_ymd_opt(2027, 2, 1).expect("a date")
        + chrono::Days::new(days as u64);
    toml_edit::Item::Value(gantry::store::toml_date(date))
}

/// The single table `key` replaced: removed, given an unknown key (a
/// warning of its own) or rid of it, changed as the pane changes it, or
/// given a value of the wrong type (an error: the edit is refused).
fn single_edit(file: &PlanFile, key: &str, edit: usize, n: usize) -> Option<Edit> {
    if edit == 0 {
        return Some(Edit::Replace {
            key: key.to_owned(),
            item: None,
        });
    }
    let mut item = file
        .top_level_item(key)
        .unwrap_or_else(|| toml_edit::Item::Table(toml_edit::Table::new()));
    let table = item.as_table_like_mut()?;
    match (edit, key) {
        (1, _) => {
            table.insert("colour", toml_edit::value(n as i64));
        }
        (2, _) => {
            table.remove("colour");
        }
        (3, "handover") => {
            let checklist = table.get_mut("checklist")?.as_array_mut()?;
            let len = checklist.len();
            let entry = checklist.get_mut(n % len.max(1))?.as_inline_table_mut()?;
            let done = entry.get("done").and_then(toml_edit::Value::as_bool) == Some(true);
            entry.insert("done", (!done).into());
        }
        (3, "scope") => {
            let included: Vec<String> = table
                .get("included")
                .and_then(toml_edit::Item::as_array)
                .map(|array| {
                    array
                        .iter()
                        .filter_map(toml_edit::Value::as_str)
                        .take(n % 3)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            table.insert(
                "dropped",
                toml_edit::value(included.iter().collect::<toml_edit::Array>()),
            );
        }
        (3, "review") => {
            table.insert("date", date_after(120 + n));
        }
        (3, _) => {
            table.insert("status_date", date_after(n));
        }
        (4, "handover") => {
            table.insert("to", toml_edit::value(format!("Owner {n}")));
        }
        (4, "scope") => {
            table.insert("excluded", toml_edit::value(n as i64));
        }
        (4, "review") => {
            table.insert("went_well", toml_edit::value("everything"));
        }
        (4, _) => {
            table.insert("name", toml_edit::value(format!("Plan {n}")));
        }
        (_, "handover" | "review") => {
            table.insert("date", toml_edit::value("soon"));
        }
        (_, "scope") => {
            table.insert("dropped", toml_edit::value(n as i64));
        }
        _ => {
            table.insert("budget", toml_edit::value("lots"));
        }
    }
    Some(Edit::Replace {
        key: key.to_owned(),
        item: Some(item),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_model_after_edits_is_the_model_of_the_text(
        example in 0usize..EXAMPLES.len() + 1,
        steps in proptest::collection::vec(step(), 1..16),
    ) {
        let mut file = PlanFile::from_text(Path::new("plan.toml"), plans()[example].clone())
            .expect("the example parses");
        prop_assume!(example < EXAMPLES.len() || file.diagnostics.len() >= 10);
        let mut undo: Vec<Edit> = Vec::new();
        for (serial, step) in steps.iter().enumerate() {
            if let Step::Undo = step {
                if let Some(inverse) = undo.pop() {
                    file.apply(inverse).expect("an undo is accepted");
                }
            } else if let Some(edit) = edit_for(&file, step, serial) {
                // The edit must reach the entity it names.
                let named = match (&edit, step) {
                    (Edit::SetTask { task, .. }, Step::Name(_, name)) => {
                        Some((task.clone(), name.clone()))
                    }
                    _ => None,
                };
                // A refused edit must leave everything as it was, too.
                if let Ok(inverse) = file.apply(edit) {
                    undo.push(inverse);
                    if let Some((task, name)) = named {
                        let fresh = parse_str(&file.text()).expect("the edited text parses");
                        prop_assert_eq!(&fresh.plan.task(&task).expect("the task").name, &name);
                    }
                }
            }
            assert_in_step(&file, &format!("{step:?}"));
        }
    }
}
