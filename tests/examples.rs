//! The shipped plans are valid, and together they use every key of the format.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use toml_edit::{Item, TableLike};

/// Every key of format 1, as `table.key` (entity arrays by their table name).
const FORMAT_KEYS: &[&str] = &[
    "project.name",
    "project.start",
    "project.status_date",
    "project.currency",
    "project.budget",
    "project.description",
    "scope.included",
    "scope.excluded",
    "scope.dropped",
    "calendar.workdays",
    "calendar.holidays",
    "calendar.hours_per_day",
    "objective.id",
    "objective.title",
    "objective.target",
    "objective.current",
    "person.id",
    "person.name",
    "person.role",
    "person.rate",
    "person.capacity",
    "person.skills",
    "phase.id",
    "phase.name",
    "task.id",
    "task.name",
    "task.phase",
    "task.owner",
    "task.duration",
    "task.estimate",
    "task.depends",
    "task.depends.task",
    "task.depends.type",
    "task.depends.lag",
    "task.start",
    "task.milestone",
    "task.status",
    "task.progress",
    "task.blocker",
    "task.blocked_since",
    "task.notes",
    "task.baseline",
    "task.baseline.start",
    "task.baseline.finish",
    "task.baselines",
    "log.date",
    "log.task",
    "log.person",
    "log.hours",
    "log.note",
    "risk.id",
    "risk.title",
    "risk.owner",
    "risk.likelihood",
    "risk.impact",
    "risk.trigger",
    "risk.mitigation",
    "risk.status",
    "risk.tier",
    "risk.tasks",
    "risk.reviewed",
    "change.id",
    "change.title",
    "change.requested_by",
    "change.requested",
    "change.cost",
    "change.days",
    "change.status",
    "change.decided_by",
    "change.decided",
    "change.note",
    "change.reason",
    "change.edit",
    "change.edit.task",
    "change.edit.depends",
    "change.add",
    "change.add.id",
    "change.add.name",
    "change.add.depends",
    "gate.id",
    "gate.name",
    "gate.milestone",
    "gate.checklist",
    "gate.checklist.item",
    "gate.checklist.done",
    "gate.approver",
    "gate.signed",
    "gate.signed_by",
    "communication.id",
    "communication.what",
    "communication.audience",
    "communication.cadence",
    "communication.channel",
    "communication.owner",
    "communication.last",
    "checkin.week",
    "checkin.done",
    "checkin.next",
    "checkin.blocked",
    "checkin.note",
    "checkin.metrics",
    "checkin.metrics.percent_complete",
    "checkin.metrics.spi",
    "checkin.metrics.cpi",
    "checkin.metrics.open_blockers",
    "handover.to",
    "handover.date",
    "handover.checklist",
    "handover.checklist.item",
    "handover.checklist.done",
    "review.date",
    "review.planned",
    "review.actual",
    "review.went_well",
    "review.improve",
    "review.lessons",
];

fn example_files() -> Vec<PathBuf> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

fn collect_keys(prefix: &str, table: &dyn TableLike, keys: &mut BTreeSet<String>) {
    for (key, item) in table.iter() {
        let path = format!("{prefix}.{key}");
        collect_item(&path, item, keys);
        keys.insert(path);
    }
}

fn collect_item(path: &str, item: &Item, keys: &mut BTreeSet<String>) {
    match item {
        Item::Table(table) => collect_keys(path, table, keys),
        Item::ArrayOfTables(array) => {
            for table in array.iter() {
                collect_keys(path, table, keys);
            }
        }
        Item::Value(toml_edit::Value::InlineTable(table)) if !path.ends_with("baselines") => {
            collect_keys(path, table, keys)
        }
        Item::Value(toml_edit::Value::Array(array)) => {
            for value in array.iter() {
                if let Some(table) = value.as_inline_table() {
                    collect_keys(path, table, keys);
                }
            }
        }
        _ => {}
    }
}

#[test]
fn every_example_is_valid_without_warnings() {
    let files = example_files();
    assert!(
        files.len() >= 5,
        "expected the four industry examples and minimal.toml: {files:?}"
    );
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let loaded =
            gantry::store::parse_str(&text).unwrap_or_else(|d| panic!("{}: {d:?}", path.display()));
        let problems: Vec<String> = loaded
            .diagnostics
            .iter()
            .map(|d| d.display(path).to_string())
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        let scheduling = gantry::schedule::diagnostics(&loaded.plan);
        assert!(scheduling.is_empty(), "{}: {scheduling:?}", path.display());
    }
}

#[test]
fn the_industry_examples_are_realistic_in_size() {
    for path in example_files() {
        if path.file_name().is_some_and(|name| name == "minimal.toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let plan = gantry::store::parse_str(&text).unwrap().plan;
        let tasks = plan.tasks.len();
        assert!(
            (25..=80).contains(&tasks),
            "{}: {tasks} tasks",
            path.display()
        );
        assert!(plan.phases.len() >= 3, "{}", path.display());
        assert!(
            !plan.people.is_empty() && !plan.risks.is_empty(),
            "{}",
            path.display()
        );
        assert!(
            !plan.changes.is_empty() && !plan.gates.is_empty() && !plan.checkins.is_empty(),
            "{}",
            path.display()
        );
    }
}

#[test]
fn together_the_examples_use_every_key_and_the_docs_describe_it() {
    let mut used = BTreeSet::new();
    for path in example_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let document: toml_edit::DocumentMut = text.parse().unwrap();
        for (key, item) in document.iter() {
            collect_item(key, item, &mut used);
            used.insert(key.to_owned());
        }
    }
    let missing: Vec<&&str> = FORMAT_KEYS
        .iter()
        .filter(|key| !used.contains(**key))
        .collect();
    assert!(missing.is_empty(), "keys no example uses: {missing:?}");

    let docs =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/format.md"))
            .unwrap();
    let undocumented: Vec<&&str> = FORMAT_KEYS
        .iter()
        .filter(|key| {
            let last = key.rsplit('.').next().unwrap();
            !docs.contains(&format!("`{last}`"))
        })
        .collect();
    assert!(
        undocumented.is_empty(),
        "keys docs/format.md does not describe: {undocumented:?}"
    );
}

#[test]
fn the_starter_plan_is_valid_and_uses_every_part() {
    let text = include_str!("../src/templates/starter.toml");
    let loaded = gantry::store::parse_str(text).unwrap();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let document: toml_edit::DocumentMut = text.parse().unwrap();
    for part in gantry::store::TOP_LEVEL_KEYS {
        assert!(
            document.contains_key(part),
            "the starter plan has no `{part}`"
        );
    }
}
