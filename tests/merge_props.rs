#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The merge on random edits: two sides edit disjoint entities of a random
//! plan through the app's own edits (set a field, add, remove, move); the
//! merge either way round is the same plan, and the same as making one
//! side's edits and then the other's.

use std::collections::BTreeMap;
use std::path::Path;

use gantry::model::Plan;
use gantry::store::merge::merge;
use gantry::store::pairing::plan_keys;
use gantry::store::{Edit, EntityKind, PlanFile, TaskField, parse_str};
use proptest::prelude::*;

#[path = "../examples/gen_plan.rs"]
mod gen_plan;

/// One edit, on an entity picked by number among those the side owns.
#[derive(Debug, Clone)]
enum Op {
    SetTask(usize, TaskField, i64),
    Rename(usize, String),
    SetRisk(usize, &'static str, i64),
    AddTask(usize),
    RemoveTask(usize),
    MoveTask(usize, usize),
    AddCheckin(u8),
}

fn op() -> impl Strategy<Value = Op> {
    let field = prop_oneof![
        Just(TaskField::Duration),
        Just(TaskField::Progress),
        Just(TaskField::Estimate),
    ];
    prop_oneof![
        (any::<usize>(), field, 0..=100i64).prop_map(|(t, f, v)| Op::SetTask(t, f, v)),
        (any::<usize>(), "[A-Za-z ]{1,12}").prop_map(|(t, name)| Op::Rename(t, name)),
        (
            any::<usize>(),
            prop_oneof![Just("likelihood"), Just("impact")],
            1..=5i64
        )
            .prop_map(|(r, k, v)| Op::SetRisk(r, k, v)),
        any::<usize>().prop_map(Op::AddTask),
        any::<usize>().prop_map(Op::RemoveTask),
        (any::<usize>(), any::<usize>()).prop_map(|(t, to)| Op::MoveTask(t, to)),
        (0..20u8).prop_map(Op::AddCheckin),
    ]
}

/// Which entities a side may touch: every other one, so the two sides
/// never touch the same entity.
struct Share {
    side: usize,
    tasks: Vec<String>,
    removable: Vec<String>,
    risks: Vec<String>,
}

impl Share {
    fn new(plan: &Plan, side: usize) -> Share {
        let owned = |index: usize| index % 2 == side;
        let referenced = |id: &str| {
            plan.tasks
                .iter()
                .any(|t| t.depends.iter().any(|d| d.task.id.value == id))
                || plan.log.iter().any(|l| l.task.id.value == id)
                || plan
                    .risks
                    .iter()
                    .any(|r| r.tasks.iter().any(|t| t.id.value == id))
                || plan
                    .gates
                    .iter()
                    .any(|g| g.milestone.as_ref().is_some_and(|m| m.id.value == id))
        };
        let tasks: Vec<String> = plan
            .tasks
            .iter()
            .enumerate()
            .filter(|(i, _)| owned(*i))
            .map(|(_, t)| t.id.value.clone())
            .collect();
        Share {
            side,
            removable: tasks.iter().filter(|id| !referenced(id)).cloned().collect(),
            tasks,
            risks: plan
                .risks
                .iter()
                .enumerate()
                .filter(|(i, _)| owned(*i))
                .map(|(_, r)| r.id.value.clone())
                .collect(),
        }
    }

    fn edit(&self, op: &Op, count: usize, plan_tasks: usize) -> Option<Edit> {
        let pick =
            |list: &[String], n: usize| (!list.is_empty()).then(|| list[n % list.len()].clone());
        Some(match op {
            Op::SetTask(t, field, value) => Edit::SetTask {
                task: pick(&self.tasks, *t)?,
                field: *field,
                value: Some((*value).into()),
            },
            Op::Rename(t, name) => Edit::SetTask {
                task: pick(&self.tasks, *t)?,
                field: TaskField::Name,
                value: Some(name.as_str().into()),
            },
            Op::SetRisk(r, key, value) => Edit::Set {
                kind: EntityKind::Risk,
                id: pick(&self.risks, *r)?,
                key: (*key).to_owned(),
                value: Some((*value).into()),
            },
            Op::AddTask(after) => {
                let mut table = toml_edit::Table::new();
                let id = format!("new-{}-{count}", self.side);
                table.insert("id", toml_edit::value(id.as_str()));
                table.insert("name", toml_edit::value(format!("New task {count}")));
                table.insert("duration", toml_edit::value(2));
                Edit::Add {
                    kind: EntityKind::Task,
                    after: pick(&self.tasks, *after),
                    table,
                }
            }
            Op::RemoveTask(t) => Edit::Remove {
                kind: EntityKind::Task,
                id: pick(&self.removable, *t)?,
            },
            Op::MoveTask(t, to) => Edit::Move {
                kind: EntityKind::Task,
                id: pick(&self.tasks, *t)?,
                index: to % plan_tasks.max(1),
            },
            Op::AddCheckin(week) => {
                // Weeks of their own per side: 2028 for one, 2029 for the other.
                let mut table = toml_edit::Table::new();
                let monday = chrono::NaiveDate::from_isoywd_opt(
                    2028 + self.side as i32,
                    u32::from(*week) + 1,
                    chrono::Weekday::Mon,
                )?;
                table.insert("week", toml_edit::value(gantry::store::toml_date(monday)));
                table.insert("note", toml_edit::value(format!("side {}", self.side)));
                Edit::Add {
                    kind: EntityKind::Checkin,
                    after: None,
                    table,
                }
            }
        })
    }
}

fn open(text: &str) -> PlanFile {
    PlanFile::from_text(Path::new("plan.toml"), text.to_owned()).expect("the plan parses")
}

/// Applies what of `ops` the plan accepts, in order; returns the edits kept.
fn apply(file: &mut PlanFile, share: &Share, ops: &[Op]) -> Vec<Edit> {
    let mut kept = Vec::new();
    for (count, op) in ops.iter().enumerate() {
        let Some(edit) = share.edit(op, count, file.plan.tasks.len()) else {
            continue;
        };
        if file.apply(edit.clone()).is_ok() {
            kept.push(edit);
        }
    }
    kept
}

/// The plan as data: each entity by its key, without the positions and
/// resolved indices that depend on where things stand in the file.
fn model(text: &str) -> BTreeMap<String, String> {
    let plan = parse_str(text).expect("the plan parses").plan;
    let mut entities = BTreeMap::new();
    let debug = |value: &dyn std::fmt::Debug| strip_positions(&format!("{value:?}"));
    entities.insert("project".to_owned(), debug(&plan.project));
    entities.insert("calendar".to_owned(), debug(&plan.calendar));
    entities.insert("scope".to_owned(), debug(&plan.scope));
    for kind in EntityKind::ALL {
        let keys = plan_keys(&plan, *kind);
        for (index, key) in keys.iter().enumerate() {
            let value = match kind {
                EntityKind::Task => debug(&plan.tasks[index]),
                EntityKind::Risk => debug(&plan.risks[index]),
                EntityKind::Checkin => debug(&plan.checkins[index]),
                EntityKind::Log => debug(&plan.log[index]),
                EntityKind::Person => debug(&plan.people[index]),
                EntityKind::Phase => debug(&plan.phases[index]),
                _ => continue,
            };
            entities.insert(format!("{key:?}"), value);
        }
    }
    entities
}

/// Drops `Pos { .. }` and `index: Some(..)` from a debug rendering.
fn strip_positions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("Pos { ") {
            rest = after.split_once(" }").map_or("", |(_, tail)| tail);
            out.push_str("Pos");
        } else if let Some(after) = rest.strip_prefix("index: Some(") {
            rest = after.split_once(')').map_or("", |(_, tail)| tail);
            out.push_str("index");
        } else {
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                out.push(c);
            }
            rest = chars.as_str();
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn disjoint_edits_merge_the_same_either_way_and_as_made_in_turn(
        seed in 1u64..1000,
        tasks in 6usize..24,
        ours_ops in proptest::collection::vec(op(), 1..8),
        theirs_ops in proptest::collection::vec(op(), 1..8),
    ) {
        let mut options = gen_plan::Options::new(tasks);
        options.seed = seed;
        options.risks = 4;
        options.log = 3;
        let base = gen_plan::generate(&options);
        let base_file = open(&base);
        let shares = [Share::new(&base_file.plan, 0), Share::new(&base_file.plan, 1)];

        let mut ours_file = open(&base);
        let ours_edits = apply(&mut ours_file, &shares[0], &ours_ops);
        let ours = ours_file.text();
        let mut theirs_file = open(&base);
        let theirs_edits = apply(&mut theirs_file, &shares[1], &theirs_ops);
        let theirs = theirs_file.text();

        let one_way = merge(&base, &ours, &theirs).expect("merges");
        let other_way = merge(&base, &theirs, &ours).expect("merges");
        prop_assert!(one_way.conflicts.is_empty(), "{:?}", one_way.conflicts);
        prop_assert!(other_way.conflicts.is_empty(), "{:?}", other_way.conflicts);

        // Ours' edits, then theirs', made by the editor on one file.
        let mut in_turn = open(&base);
        for edit in ours_edits.iter().chain(&theirs_edits) {
            let accepted = in_turn.apply(edit.clone());
            prop_assert!(accepted.is_ok(), "{edit:?}: {accepted:?}");
        }
        let in_turn = in_turn.text();

        let merged = model(&one_way.text);
        prop_assert_eq!(&merged, &model(&other_way.text));
        prop_assert_eq!(&merged, &model(&in_turn));
        prop_assert!(!parse_str(&one_way.text).expect("parses").has_errors());

        // Where only one side moved tasks, the merge has that side's order
        // (less what the other removed, plus what it added).
        let moves = |edits: &[Edit]| edits.iter().any(|e| matches!(e, Edit::Move { .. }));
        let order = |text: &str, keep: &dyn Fn(&str) -> bool| -> Vec<String> {
            parse_str(text)
                .expect("parses")
                .plan
                .tasks
                .iter()
                .map(|t| t.id.value.clone())
                .filter(|id| keep(id))
                .collect()
        };
        for (mover, other, mover_edits, other_edits) in [
            (&ours, &theirs, &ours_edits, &theirs_edits),
            (&theirs, &ours, &theirs_edits, &ours_edits),
        ] {
            if !moves(mover_edits) || moves(other_edits) {
                continue;
            }
            let in_both = |id: &str| {
                order(mover, &|_| true).iter().any(|t| t == id)
                    && order(other, &|_| true).iter().any(|t| t == id)
            };
            let expected = order(mover, &in_both);
            prop_assert_eq!(&order(&one_way.text, &in_both), &expected);
            prop_assert_eq!(&order(&other_way.text, &in_both), &expected);
        }
    }
}
