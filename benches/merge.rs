//! `gantry merge` of two edited versions of a 10,000-task plan.
//!
//! ```text
//! cargo bench --bench merge -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! Ours sets the duration of 200 tasks, adds 20 and moves 10; theirs sets
//! the progress of 200 other tasks, adds 20, renames 50 and records two
//! check-ins. `merge_and_validate` is the work of the command short of
//! reading and writing files: the merge, then the merged plan read and
//! validated and its schedule checked, as `check` would.

// A benchmark whose setup fails has nothing to measure: stopping is right.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use gantry::store::merge::merge;
use gantry::store::{Edit, EntityKind, PlanFile, TaskField, parse_str};

#[path = "../examples/gen_plan.rs"]
mod gen_plan;

fn task_id(index: usize) -> String {
    format!("t{:05}", index + 1)
}

fn edited(base: &str, edits: Vec<Edit>) -> String {
    let mut file = PlanFile::from_text(Path::new("plan.toml"), base.to_owned())
        .expect("the generated plan parses");
    for edit in edits {
        file.apply(edit).expect("the edit is accepted");
    }
    file.text()
}

fn new_task(id: &str) -> toml_edit::Table {
    let mut table = toml_edit::Table::new();
    table.insert("id", toml_edit::value(id));
    table.insert("name", toml_edit::value(format!("Added {id}")));
    table.insert("duration", toml_edit::value(3));
    table
}

fn sides(tasks: usize) -> (String, String, String) {
    let base = gen_plan::generate(&gen_plan::Options::new(tasks));
    let mut ours = Vec::new();
    for i in 0..200 {
        ours.push(Edit::SetTask {
            task: task_id(i * 37 % tasks),
            field: TaskField::Duration,
            value: Some(((i % 9) as i64 + 1).into()),
        });
    }
    for i in 0..20 {
        ours.push(Edit::Add {
            kind: EntityKind::Task,
            after: Some(task_id(i * 401 % tasks)),
            table: new_task(&format!("ours-{i}")),
        });
    }
    for i in 0..10 {
        ours.push(Edit::Move {
            kind: EntityKind::Task,
            id: task_id(i * 997 % tasks + 3),
            index: i * 13,
        });
    }
    let mut theirs = Vec::new();
    for i in 0..200 {
        theirs.push(Edit::SetTask {
            task: task_id((i * 37 + 11) % tasks),
            field: TaskField::Progress,
            value: Some(((i % 10) as i64 * 10).into()),
        });
    }
    for i in 0..50 {
        theirs.push(Edit::SetTask {
            task: task_id((i * 53 + 5) % tasks),
            field: TaskField::Name,
            value: Some(format!("Renamed {i}").into()),
        });
    }
    for i in 0..20 {
        theirs.push(Edit::Add {
            kind: EntityKind::Task,
            after: Some(task_id((i * 409 + 7) % tasks)),
            table: new_task(&format!("theirs-{i}")),
        });
    }
    for week in ["2029-01-01", "2029-01-08"] {
        let mut table = toml_edit::Table::new();
        table.insert(
            "week",
            toml_edit::value(week.parse::<toml_edit::Datetime>().expect("a date")),
        );
        table.insert("note", toml_edit::value("recorded on the other branch"));
        theirs.push(Edit::Add {
            kind: EntityKind::Checkin,
            after: None,
            table,
        });
    }
    let ours = edited(&base, ours);
    let theirs = edited(&base, theirs);
    (base, ours, theirs)
}

fn merge_10k(c: &mut Criterion) {
    let (base, ours, theirs) = sides(10_000);
    let merged = merge(&base, &ours, &theirs).expect("the sides merge");
    assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    let loaded = parse_str(&merged.text).expect("the merge parses");
    assert!(!loaded.has_errors(), "{:?}", &loaded.diagnostics[..1]);

    let mut group = c.benchmark_group("merge_10k");
    group.sample_size(20);
    group.bench_function("merge_only", |b| {
        b.iter(|| merge(black_box(&base), black_box(&ours), black_box(&theirs)))
    });
    group.bench_function("merge_and_validate", |b| {
        b.iter(|| {
            let merged = merge(black_box(&base), black_box(&ours), black_box(&theirs))
                .expect("the sides merge");
            let loaded = parse_str(&merged.text).expect("the merge parses");
            black_box(gantry::schedule::diagnostics(&loaded.plan))
        })
    });
    group.finish();
}

criterion_group!(benches, merge_10k);
criterion_main!(benches);
