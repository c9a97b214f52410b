//! An edit is judged by whether it adds a problem, not by whether the plan
//! is clean: in a plan with any number of errors each single fix is
//! accepted, and each edit that adds an error is refused, naming that
//! error at the position `check` would report, even when an error of the
//! same kind already exists elsewhere.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use gantry::diagnostic::Diagnostic;
use gantry::store::{Edit, EditError, EntityKind, PlanFile, TaskField, parse_str};
use proptest::prelude::*;
use toml_edit::{Table, Value};

const HEADER: &str = r#"[project]
name = "Judged"
start = 2027-01-04

[[phase]]
id = "build"
name = "Build"

[[person]]
id = "ana"
name = "Ana"

[[task]]
id = "v1"
name = "Valid one"
duration = 2

[[task]]
id = "v2"
name = "Valid two"
depends = ["v1"]

[[risk]]
id = "R0"
title = "Valid risk"
likelihood = 2
impact = 3
"#;

/// A block of plan text with errors of its own.
struct Broken {
    text: &'static str,
    /// How many `[[task]]` tables the block holds (for index-addressed edits).
    tasks: usize,
}

const BROKEN: [Broken; 13] = [
    Broken {
        text: "[[task]]\nid = \"a\"\nname = \"A\"\nduration = \"five\"\n",
        tasks: 1,
    },
    Broken {
        text: "[[task]]\nid = \"b\"\nname = \"B\"\nprogress = 150\n",
        tasks: 1,
    },
    Broken {
        text: "[[task]]\nid = \"c\"\nname = \"C\"\nstatus = \"finished\"\n",
        tasks: 1,
    },
    Broken {
        text: "[[task]]\nid = \"c d\"\nname = \"Bad id\"\n",
        tasks: 1,
    },
    Broken {
        text: "[[task]]\nid = \"e\"\nname = \"E\"\ndepends = [\"zzz\"]\n",
        tasks: 1,
    },
    Broken {
        text: "[[task]]\nid = \"f\"\nname = \"F\"\nowner = \"nobody\"\n",
        tasks: 1,
    },
    Broken {
        text: "[[task]]\nid = \"g\"\nname = \"G\"\nphase = \"nophase\"\n",
        tasks: 1,
    },
    Broken {
        text: "[[risk]]\nid = \"R1\"\ntitle = \"Odds\"\nlikelihood = 9\nimpact = 2\n",
        tasks: 0,
    },
    Broken {
        text: "[[risk]]\nid = \"R2\"\ntitle = \"Gone\"\nlikelihood = 2\nimpact = 2\nstatus = \"gone\"\n",
        tasks: 0,
    },
    Broken {
        text: "[[task]]\nname = \"Nameless\"\nduration = 2\n",
        tasks: 1,
    },
    Broken {
        text: "[[task]]\nid = \"dup\"\nname = \"D1\"\n\n[[task]]\nid = \"dup\"\nname = \"D2\"\n",
        tasks: 2,
    },
    Broken {
        text: "[[log]]\ndate = 2026-12-01\ntask = \"v1\"\nhours = 2\n",
        tasks: 0,
    },
    Broken {
        text: "[[task]]\nid = \"h h\"\nname = \"Two problems\"\nprogress = 150\n",
        tasks: 1,
    },
];

fn plan_text(included: &[bool]) -> String {
    let mut text = HEADER.to_owned();
    for (broken, _) in BROKEN.iter().zip(included).filter(|(_, on)| **on) {
        text.push('\n');
        text.push_str(broken.text);
    }
    text
}

/// The index among `[[task]]` tables of the first task of block `block`.
fn task_index(included: &[bool], block: usize) -> usize {
    2 + BROKEN[..block]
        .iter()
        .zip(included)
        .filter(|(_, on)| **on)
        .map(|(broken, _)| broken.tasks)
        .sum::<usize>()
}

fn set_task(task: &str, field: TaskField, value: Option<Value>) -> Edit {
    Edit::SetTask {
        task: task.to_owned(),
        field,
        value,
    }
}

fn set(kind: EntityKind, id: &str, key: &str, value: impl Into<Value>) -> Edit {
    Edit::Set {
        kind,
        id: id.to_owned(),
        key: key.to_owned(),
        value: Some(value.into()),
    }
}

fn table(text: &str) -> Table {
    text.parse::<toml_edit::DocumentMut>()
        .unwrap()
        .as_table()
        .clone()
}

/// The edits that fix one problem of each included block.
fn fixes(included: &[bool]) -> Vec<(String, Vec<Edit>)> {
    let mut fixes = Vec::new();
    let mut add = |block: usize, name: &str, edits: Vec<Edit>| {
        if included[block] {
            fixes.push((name.to_owned(), edits));
        }
    };
    add(
        0,
        "duration of a",
        vec![set_task("a", TaskField::Duration, Some(5.into()))],
    );
    add(
        1,
        "progress of b",
        vec![set_task("b", TaskField::Progress, Some(50.into()))],
    );
    add(
        2,
        "status of c",
        vec![set_task("c", TaskField::Status, Some("done".into()))],
    );
    add(
        3,
        "malformed id",
        vec![set(EntityKind::Task, "c d", "id", "c-d")],
    );
    add(
        4,
        "unknown dependency",
        vec![set_task("e", TaskField::Depends, None)],
    );
    add(
        5,
        "unknown owner",
        vec![set_task("f", TaskField::Owner, Some("ana".into()))],
    );
    add(
        6,
        "unknown phase",
        vec![set_task("g", TaskField::Phase, Some("build".into()))],
    );
    add(
        7,
        "likelihood",
        vec![set(EntityKind::Risk, "R1", "likelihood", 3)],
    );
    add(
        8,
        "risk status",
        vec![set(EntityKind::Risk, "R2", "status", "open")],
    );
    add(
        9,
        "task without an id",
        vec![Edit::RemoveAt {
            kind: EntityKind::Task,
            index: task_index(included, 9),
        }],
    );
    add(
        10,
        "duplicate id",
        vec![set(EntityKind::Task, "dup", "id", "dup-1")],
    );
    add(
        11,
        "log dated before the start",
        vec![
            Edit::RemoveAt {
                kind: EntityKind::Log,
                index: 0,
            },
            Edit::InsertAt {
                kind: EntityKind::Log,
                index: 0,
                table: table("date = 2027-01-05\ntask = \"v1\"\nhours = 2\n"),
            },
        ],
    );
    add(
        12,
        "one of two problems: the progress",
        vec![set(EntityKind::Task, "h h", "progress", 50)],
    );
    add(
        12,
        "one of two problems: the id",
        vec![set(EntityKind::Task, "h h", "id", "h-h")],
    );
    fixes
}

/// Edits that each add one error, with a piece of the message it must have.
fn breakages(included: &[bool]) -> Vec<(Vec<Edit>, &'static str)> {
    let mut breakages = vec![
        (
            vec![set_task("v1", TaskField::Duration, Some((-2).into()))],
            "`duration` in task `v1` is -2",
        ),
        (
            vec![set_task(
                "v1",
                TaskField::Depends,
                Some(["zzz"].into_iter().collect()),
            )],
            "task `v1` depends on `zzz`, which is not a task",
        ),
        (
            vec![set_task("v2", TaskField::Status, Some("finished".into()))],
            "`status` in task `v2` is \"finished\"",
        ),
        (
            vec![set(EntityKind::Risk, "R0", "likelihood", 7)],
            "`likelihood` in risk `R0` is 7",
        ),
        (
            vec![set(EntityKind::Task, "v2", "id", "v1")],
            "duplicate task id `v1`",
        ),
        (
            vec![set(EntityKind::Task, "v2", "id", "v 2")],
            "id `v 2` may hold only",
        ),
        (
            vec![Edit::Add {
                kind: EntityKind::Task,
                after: Some("v2".to_owned()),
                table: table("id = \"new\"\nname = \"New\"\nowner = \"nobody\"\n"),
            }],
            "task `new` is owned by `nobody`, which is not a person",
        ),
        (
            vec![Edit::Add {
                kind: EntityKind::Log,
                after: None,
                table: table("date = 2026-11-30\ntask = \"v2\"\nhours = 1\n"),
            }],
            "the log entry of 2026-11-30 for `v2` is dated before the project starts",
        ),
    ];
    if included[1] {
        breakages.push((
            vec![set_task("b", TaskField::Duration, Some("x".into()))],
            "`duration` in task `b` must be a whole number",
        ));
    }
    if included[3] {
        breakages.push((
            vec![set(EntityKind::Task, "c d", "progress", 150)],
            "`progress` in task `c d` is 150",
        ));
    }
    if included[4] {
        breakages.push((
            vec![set_task(
                "e",
                TaskField::Depends,
                Some(["zzz", "yyy"].into_iter().collect()),
            )],
            "task `e` depends on `yyy`, which is not a task",
        ));
    }
    if included[12] {
        breakages.push((
            vec![set(EntityKind::Task, "h h", "duration", "long")],
            "`duration` in task `h h` must be a whole number",
        ));
    }
    breakages
}

fn open(text: &str) -> PlanFile {
    PlanFile::from_text(Path::new("plan.toml"), text.to_owned()).expect("the plan parses")
}

fn errors(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.pos, d.message))
        .collect()
}

/// A message with the numbers after "line " taken out (a duplicate id
/// names the line of the first one, which moves when a line is added).
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

/// What `check` reports for the text the edits make, that it did not
/// report before them: the refusal must be exactly this.
fn expected_refusal(text: &str, edits: &[Edit]) -> Vec<String> {
    let mut file = open(text);
    file.replay(edits.to_vec()).expect("the edits apply");
    let message = |line: &str| without_lines(line.split_once(": ").unwrap().1);
    let before: Vec<String> = errors(&parse_str(text).unwrap().diagnostics)
        .iter()
        .map(|line| message(line))
        .collect();
    errors(&parse_str(&file.text()).unwrap().diagnostics)
        .into_iter()
        .filter(|line| !before.contains(&message(line)))
        .collect()
}

fn check_plan(included: &[bool]) -> Result<(), TestCaseError> {
    let text = plan_text(included);
    let original_errors = errors(&parse_str(&text).unwrap().diagnostics).len();
    for (name, edits) in fixes(included) {
        let mut file = open(&text);
        prop_assert!(
            file.check_edits(edits.clone()).is_ok(),
            "checking the fix of {name} was refused"
        );
        prop_assert_eq!(file.text(), text.clone(), "checking changed the plan");
        let inverses = match file.apply_all(edits) {
            Ok(inverses) => inverses,
            Err(error) => {
                return Err(TestCaseError::fail(format!(
                    "the fix of {name} was refused: {error:?}\n{text}"
                )));
            }
        };
        let fresh = parse_str(&file.text()).unwrap();
        prop_assert!(
            errors(&fresh.diagnostics).len() < original_errors,
            "the fix of {name} fixed nothing"
        );
        file.locate();
        prop_assert_eq!(errors(&file.diagnostics), errors(&fresh.diagnostics));
        // Undoing a fix brings its problem back, and is never refused.
        file.replay(inverses).expect("undo");
        prop_assert_eq!(file.text(), text.clone(), "undo did not restore the text");
    }
    for (edits, message) in breakages(included) {
        let expected = expected_refusal(&text, &edits);
        prop_assert_eq!(
            expected.len(),
            1,
            "{:?} adds one error: {:?}",
            message,
            expected
        );
        prop_assert!(
            expected[0].contains(message),
            "{:?} is not {:?}",
            expected[0],
            message
        );
        let mut file = open(&text);
        prop_assert!(
            file.check_edits(edits.clone()).is_err(),
            "{} was allowed",
            message
        );
        match file.apply_all(edits.clone()) {
            Err(EditError::Invalid(diagnostics)) => {
                prop_assert_eq!(errors(&diagnostics), expected);
            }
            other => {
                return Err(TestCaseError::fail(format!(
                    "{message}: not refused: {other:?}"
                )));
            }
        }
        prop_assert_eq!(file.text(), text.clone(), "a refused edit changed the plan");
        // Unlocated, the refusal names the same problem.
        match file.apply_all_unlocated(edits) {
            Err(EditError::Invalid(diagnostics)) => {
                let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
                prop_assert_eq!(messages.len(), 1);
                prop_assert!(messages[0].contains(message));
            }
            other => {
                return Err(TestCaseError::fail(format!(
                    "{message}: not refused unlocated: {other:?}"
                )));
            }
        }
    }
    Ok(())
}

#[test]
fn every_problem_at_once() {
    check_plan(&[true; 13]).unwrap();
}

#[test]
fn a_clean_plan() {
    check_plan(&[false; 13]).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any mix of the problems: each fix is accepted, each new error refused.
    #[test]
    fn any_mix_of_problems(included in proptest::collection::vec(any::<bool>(), 13)) {
        check_plan(&included)?;
    }
}

/// Fixing the id of a task that others depend on is accepted (their
/// references were already errors), and so is each reference fixed after.
#[test]
fn a_malformed_id_can_be_fixed_and_then_its_references() {
    let text = format!(
        "{HEADER}\n[[task]]\nid = \"c d\"\nname = \"C\"\nprogress = 150\n\n[[task]]\nid = \"x\"\nname = \"X\"\ndepends = [\"c d\"]\n"
    );
    let mut file = open(&text);
    assert_eq!(
        file.invalid_value(EntityKind::Task, "c d", "progress")
            .as_deref(),
        Some("150")
    );
    file.apply(set(EntityKind::Task, "c d", "id", "c-d"))
        .expect("renaming the malformed id");
    file.apply(set_task(
        "x",
        TaskField::Depends,
        Some(["c-d"].into_iter().collect()),
    ))
    .expect("pointing the reference at the new id");
    file.apply(set_task("c-d", TaskField::Progress, Some(60.into())))
        .expect("fixing the progress");
    file.locate();
    assert!(!file.has_errors(), "{:?}", file.diagnostics);
}

/// The form shows what the file says, not the model's default.
#[test]
fn invalid_values_are_read_as_written() {
    let text = format!(
        "{HEADER}\n[[task]]\nid = \"a\"\nname = \"A\"\nduration = \"five\"  # ask Ana\nprogress = 150\nstatus = \"finished\"\nowner = \"nobody\"\n"
    );
    let file = open(&text);
    let task = file.plan.task("a").expect("the task is in the model");
    assert_eq!(
        (task.duration.value, task.progress, task.status.as_str()),
        (1, 0, "todo"),
        "the model holds defaults"
    );
    let invalid = |key| file.invalid_value(EntityKind::Task, "a", key);
    assert_eq!(invalid("duration").as_deref(), Some("five"));
    assert_eq!(invalid("progress").as_deref(), Some("150"));
    assert_eq!(invalid("status").as_deref(), Some("finished"));
    // An unknown owner is kept in the model as written: nothing to replace.
    assert_eq!(invalid("owner"), None);
    assert_eq!(invalid("name"), None);
    assert_eq!(
        file.raw_value(EntityKind::Task, "a", "name").as_deref(),
        Some("A")
    );
    assert_eq!(
        file.raw_value(EntityKind::Task, "v2", "depends").as_deref(),
        Some("[\"v1\"]")
    );
    assert_eq!(file.raw_value(EntityKind::Task, "a", "notes"), None);
    assert_eq!(file.raw_value(EntityKind::Task, "zz", "name"), None);
}

/// Adding an entity whose id is taken is refused at the one that has it.
#[test]
fn adding_a_taken_id_points_at_the_entity_that_has_it() {
    let mut file = open(HEADER);
    let refusal = file.apply(Edit::Add {
        kind: EntityKind::Task,
        after: None,
        table: table("id = \"v1\"\nname = \"Again\"\n"),
    });
    match refusal {
        Err(EditError::Invalid(diagnostics)) => assert_eq!(
            errors(&diagnostics),
            ["14:6: there is already a task with id `v1`; ids must be unique"]
        ),
        other => panic!("not refused: {other:?}"),
    }
    assert_eq!(file.text(), HEADER);
}
